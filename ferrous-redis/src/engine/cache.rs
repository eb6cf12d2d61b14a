//! The script cache: compiled scripts by SHA1.
//!
//! Scripts loaded with `SCRIPT LOAD` or run by `EVALSHA` stay until `SCRIPT FLUSH`. Bodies seen
//! only through `EVAL` are also cached (so a later `EVALSHA` finds them, as in Redis 7.0), but
//! bounded by count and by bytes, oldest first out (Redis 8's EVAL LRU; Valkey's script
//! memory cap), so `EVAL` with values inlined into the script cannot grow memory without bound.

use std::collections::{BTreeMap, HashMap};

use ahash::RandomState;

use ferrous_vm::RegistryKey;

use super::shebang::ScriptFlags;

/// One compiled script.
pub(crate) struct CachedScript {
    /// The compiled function.
    pub function: RegistryKey,
    /// Its shebang flags.
    pub flags: ScriptFlags,
    /// Size of its body, for the byte bound and `INFO`.
    pub body_len: usize,
    /// Loaded by `SCRIPT LOAD` or used by `EVALSHA`: never evicted.
    pub pinned: bool,
    /// Last-use tick, the key in the eviction order while not pinned.
    tick: u64,
}

/// The cache.
#[derive(Default)]
pub(crate) struct ScriptCache {
    /// By SHA1 (hex); ahash, seeded per process: SipHash of 40 bytes was a tenth of an EVALSHA.
    scripts: HashMap<[u8; 40], CachedScript, RandomState>,
    /// Unpinned scripts by last use.
    order: BTreeMap<u64, [u8; 40]>,
    unpinned_bytes: usize,
    tick: u64,
}

impl ScriptCache {
    /// The function and flags of a cached script, marking it used (and never evicted when
    /// `pin`); `None` when it is not cached.
    pub(crate) fn lookup(
        &mut self,
        sha: &[u8; 40],
        pin: bool,
    ) -> Option<(ScriptFlags, &RegistryKey)> {
        self.tick += 1;
        let tick = self.tick;
        let script = self.scripts.get_mut(sha)?;
        if pin && !script.pinned {
            script.pinned = true;
            self.unpinned_bytes -= script.body_len;
            self.order.remove(&script.tick);
        } else if !script.pinned {
            self.order.remove(&script.tick);
            self.order.insert(tick, *sha);
        }
        script.tick = tick;
        Some((script.flags, &script.function))
    }

    pub(crate) fn contains(&self, sha: &[u8; 40]) -> bool {
        self.scripts.contains_key(sha)
    }

    /// Marks a script as never evicted.
    pub(crate) fn pin(&mut self, sha: &[u8; 40]) {
        if let Some(script) = self.scripts.get_mut(sha) {
            if !script.pinned {
                script.pinned = true;
                self.order.remove(&script.tick);
                self.unpinned_bytes -= script.body_len;
            }
        }
    }

    pub(crate) fn insert(
        &mut self,
        sha: [u8; 40],
        function: RegistryKey,
        flags: ScriptFlags,
        body_len: usize,
        pinned: bool,
    ) {
        self.tick += 1;
        if !pinned {
            self.order.insert(self.tick, sha);
            self.unpinned_bytes += body_len;
        }
        self.scripts.insert(
            sha,
            CachedScript {
                function,
                flags,
                body_len,
                pinned,
                tick: self.tick,
            },
        );
    }

    /// Removes unpinned scripts, oldest first, until at most `max_count` of them and
    /// `max_bytes` of their bodies remain; returns the keys to release.
    pub(crate) fn evict(&mut self, max_count: usize, max_bytes: usize) -> Vec<RegistryKey> {
        let mut released = Vec::new();
        while self.order.len() > max_count || self.unpinned_bytes > max_bytes {
            let Some((_, sha)) = self.order.pop_first() else {
                break;
            };
            if let Some(script) = self.scripts.remove(&sha) {
                self.unpinned_bytes -= script.body_len;
                released.push(script.function);
            }
        }
        released
    }

    /// Empties the cache; returns the keys to release.
    pub(crate) fn clear(&mut self) -> Vec<RegistryKey> {
        self.order.clear();
        self.unpinned_bytes = 0;
        self.scripts.drain().map(|(_, s)| s.function).collect()
    }

    pub(crate) fn len(&self) -> usize {
        self.scripts.len()
    }

    /// Bytes of all cached bodies.
    pub(crate) fn body_bytes(&self) -> usize {
        self.scripts.values().map(|s| s.body_len).sum()
    }
}
