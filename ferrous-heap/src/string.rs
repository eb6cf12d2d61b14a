//! Interned byte strings.
//!
//! Every Lua string lives once in the strings arena as a [`LuaString`]: its bytes (any bytes,
//! not UTF-8) and two hashes computed once, at interning: a seeded `ahash` over every byte for
//! the interner, and 5.1's own string hash (`lua_hash`, kept in [`LuaHashes`] by slot) for table
//! node placement. The
//! [`Interner`] is a `hashbrown::HashTable<StringHandle>`: it stores only handles and compares
//! candidates against the bytes in the arena, so no second copy of any string exists.
//!
//! **Invariant:** equal bytes <=> equal handle, for as long as the string is alive; the intern
//! table holds exactly the live strings (the sweep removes each string from it as it frees it,
//! or prunes it in one pass first when many strings die).

use hashbrown::HashTable;

use crate::arena::{Arena, MarkBits};
use crate::error::Result;
use crate::handle::StringHandle;
use crate::memory::Memory;

/// Fixed seeds, so the interner's hashes are the same from run to run. `Heap::with_hash_seed`
/// mixes in a caller-chosen seed. (Table order depends only on [`lua_hash`], which is unseeded.)
const SEEDS: [u64; 4] = [
    0x243f_6a88_85a3_08d3,
    0x1319_8a2e_0370_7344,
    0xa409_3822_299f_31d0,
    0x082e_fa98_ec4e_6c89,
];

/// A string object: its bytes and their hashes.
#[derive(Debug)]
pub(crate) struct LuaString {
    /// The interner's hash (seeded `ahash` over every byte).
    pub(crate) hash: u64,
    bytes: StrBytes,
}

/// The longest string kept inside its arena slot (no allocation of its own).
const INLINE_LEN: usize = 22;

/// A string's bytes: up to [`INLINE_LEN`] of them in place, longer ones in their own
/// allocation. Most strings a script makes are short (keys, numbers as text, words): kept
/// inline, such a string costs its 40-byte arena slot instead of a 32-byte slot plus a
/// separate allocation of at least 32 bytes (5.1: a 24-byte header plus the bytes, in one
/// allocation). `StrBytes` is 24 bytes either way.
#[derive(Debug)]
enum StrBytes {
    Inline { len: u8, buf: [u8; INLINE_LEN] },
    Heap(Box<[u8]>),
}

impl StrBytes {
    fn new(bytes: &[u8]) -> StrBytes {
        let mut buf = [0; INLINE_LEN];
        match buf.get_mut(..bytes.len()) {
            Some(prefix) => {
                prefix.copy_from_slice(bytes);
                // `bytes.len() <= INLINE_LEN`, which fits a `u8`.
                StrBytes::Inline {
                    len: bytes.len() as u8,
                    buf,
                }
            }
            None => StrBytes::Heap(bytes.into()),
        }
    }
}

/// Lua 5.1.5's string hash (`luaS_newlstr`, no seed): the length, then every `step`-th byte
/// from the end, where `step` grows by one per 32 bytes of length.
///
/// 5.1 reads the bytes at `l1 - 1` for `l1 = len, len - step, ...` while `l1 >= step`: those
/// are the bytes from `step - 1` on, from the last one backwards, every `step`-th. Walked so,
/// a byte costs no bounds check (per byte: 11 instructions instead of 16; strcat.lua interns
/// long strings and ran a tenth of its instructions here).
pub(crate) fn lua_hash(bytes: &[u8]) -> u32 {
    let len = bytes.len();
    let step = (len >> 5) + 1;
    let sampled = bytes.get(step - 1..).unwrap_or_default();
    sampled
        .iter()
        .rev()
        .step_by(step)
        .fold(len as u32, |h, &byte| {
            h ^ (h << 5).wrapping_add(h >> 2).wrapping_add(u32::from(byte))
        })
}

/// Lua 5.1.5's hash of every string, by arena slot: what places a string key in a table's node
/// vector. Kept beside the arena rather than in [`LuaString`], so a table lookup reads one `u32`
/// from a dense vector (no occupancy or generation test): a slot's entry is written when a
/// string is interned into it, and a stale handle just reads some hash, which can only lead to
/// a key equal to that stale handle.
#[derive(Debug, Default)]
pub(crate) struct LuaHashes(Vec<u32>);

impl LuaHashes {
    /// The 5.1 hash of `key` (of whatever string last lived in its slot, or 0).
    #[inline(always)]
    pub(crate) fn get(&self, key: StringHandle) -> u32 {
        self.0.get(key.raw().index()).copied().unwrap_or(0)
    }

    /// Records the hash of the string interned into `slot`.
    fn set(&mut self, slot: usize, hash: u32) -> Result<()> {
        if slot >= self.0.len() {
            let extra = (slot + 1 - self.0.len()).max(self.0.len());
            self.0
                .try_reserve(extra)
                .map_err(|_| crate::error::HeapError::OutOfMemory)?;
            self.0.resize(slot + 1, 0);
        }
        if let Some(entry) = self.0.get_mut(slot) {
            *entry = hash;
        }
        Ok(())
    }
}

impl LuaString {
    /// Bytes charged for a string of `len` bytes (object, bytes kept outside it, intern-table
    /// slot, 5.1 hash).
    pub(crate) fn heap_size_for(len: usize) -> usize {
        let outside = if len > INLINE_LEN { len } else { 0 };
        size_of::<LuaString>() + outside + size_of::<StringHandle>() + size_of::<u32>()
    }

    pub(crate) fn heap_size(&self) -> usize {
        Self::heap_size_for(self.bytes().len())
    }

    /// The string's bytes.
    #[inline]
    pub(crate) fn bytes(&self) -> &[u8] {
        match &self.bytes {
            StrBytes::Inline { len, buf } => buf.get(..usize::from(*len)).unwrap_or_default(),
            StrBytes::Heap(bytes) => bytes,
        }
    }
}

/// `a == b`, comparing short strings (most keys and words) byte by byte rather than through a
/// `memcmp` call.
#[inline(always)]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    if a.len() <= 16 {
        return a.iter().zip(b).all(|(x, y)| x == y);
    }
    a == b
}

/// The intern table.
#[derive(Debug)]
pub(crate) struct Interner {
    table: HashTable<StringHandle>,
    state: ahash::RandomState,
}

impl Interner {
    pub(crate) fn new(seed: u64) -> Interner {
        let state = ahash::RandomState::with_seeds(SEEDS[0] ^ seed, SEEDS[1], SEEDS[2], SEEDS[3]);
        Interner {
            table: HashTable::new(),
            state,
        }
    }

    /// The hash of `bytes` (every byte counts).
    #[inline]
    pub(crate) fn hash(&self, bytes: &[u8]) -> u64 {
        self.state.hash_one(bytes)
    }

    /// The live string with these bytes, if any.
    #[inline]
    pub(crate) fn find(
        &self,
        strings: &Arena<LuaString>,
        hash: u64,
        bytes: &[u8],
    ) -> Option<StringHandle> {
        self.table
            .find(hash, |handle| {
                strings
                    .get(handle.raw())
                    .is_some_and(|s| s.hash == hash && same_bytes(s.bytes(), bytes))
            })
            .copied()
    }

    /// The handle of the string with these bytes, creating it if needed. Finding an existing
    /// string (the common case: keys, names, repeated values) is inlined into the caller; a new
    /// string is made out of line, so the lookup's frame stays small.
    #[inline]
    pub(crate) fn intern(
        &mut self,
        strings: &mut Arena<LuaString>,
        lua_hashes: &mut LuaHashes,
        memory: &mut Memory,
        bytes: &[u8],
    ) -> Result<StringHandle> {
        let hash = self.hash(bytes);
        if let Some(handle) = self.find(strings, hash, bytes) {
            return Ok(handle);
        }
        self.insert_new(strings, lua_hashes, memory, bytes, hash)
    }

    /// Makes the string `bytes` (absent from the table; `hash` is its hash).
    #[inline(never)]
    fn insert_new(
        &mut self,
        strings: &mut Arena<LuaString>,
        lua_hashes: &mut LuaHashes,
        memory: &mut Memory,
        bytes: &[u8],
        hash: u64,
    ) -> Result<StringHandle> {
        memory.charge(LuaString::heap_size_for(bytes.len()))?;
        let raw = match strings.insert(LuaString {
            hash,
            bytes: StrBytes::new(bytes),
        }) {
            Ok(raw) => raw,
            Err(err) => {
                memory.release(LuaString::heap_size_for(bytes.len()));
                return Err(err);
            }
        };
        let handle = StringHandle(raw);
        // If this allocation is refused, the new string is unreachable and the next sweep
        // frees it (and its charge).
        lua_hashes.set(raw.index(), lua_hash(bytes))?;
        // The hasher is only consulted for live entries, whose strings are in the arena.
        self.table
            .insert_unique(hash, handle, |h| strings.get(h.raw()).map_or(0, |s| s.hash));
        Ok(handle)
    }

    /// Drops the entries of strings that are about to be swept (not marked).
    pub(crate) fn prune(&mut self, marks: &MarkBits) {
        self.table.retain(|handle| marks.get(handle.raw().index()));
    }

    /// Drops the entry of one string that is about to be freed (`hash` is its hash).
    #[inline]
    pub(crate) fn forget(&mut self, handle: StringHandle, hash: u64) {
        if let Ok(entry) = self.table.find_entry(hash, |h| *h == handle) {
            entry.remove();
        }
    }

    /// The number of interned strings.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.table.len()
    }
}

#[cfg(test)]
mod tests {
    use super::{INLINE_LEN, LuaString, StrBytes, lua_hash};

    #[test]
    fn short_strings_are_inline_and_slots_small() {
        assert_eq!(size_of::<StrBytes>(), 24);
        assert_eq!(size_of::<LuaString>(), 32);
        for len in [0, 1, INLINE_LEN, INLINE_LEN + 1, 100] {
            let bytes: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let s = StrBytes::new(&bytes);
            assert_eq!(matches!(s, StrBytes::Inline { .. }), len <= INLINE_LEN);
            let string = LuaString { hash: 0, bytes: s };
            assert_eq!(string.bytes(), &bytes[..]);
        }
    }

    #[test]
    fn lua_hash_samples_the_bytes_lua51_reads() {
        // `luaS_newlstr`'s loop as written in lstring.c, against every length up to 300
        // (steps 1 to 10) and pseudo-random bytes.
        fn transcribed(bytes: &[u8]) -> u32 {
            let len = bytes.len();
            let mut h = len as u32;
            let step = (len >> 5) + 1;
            let mut l1 = len;
            while l1 >= step {
                h ^= (h << 5)
                    .wrapping_add(h >> 2)
                    .wrapping_add(u32::from(bytes[l1 - 1]));
                l1 -= step;
            }
            h
        }
        let mut seed = 12345u32;
        let bytes: Vec<u8> = (0..300)
            .map(|_| {
                seed = seed.wrapping_mul(1103515245).wrapping_add(12345);
                (seed >> 16) as u8
            })
            .collect();
        for len in 0..=bytes.len() {
            assert_eq!(
                lua_hash(&bytes[..len]),
                transcribed(&bytes[..len]),
                "length {len}"
            );
        }
    }

    #[test]
    fn lua_hash_is_lua51s() {
        // Worked by hand from `luaS_newlstr`: "" is its length, "a" is 1 ^ ((1 << 5) + 0 + 97).
        assert_eq!(lua_hash(b""), 0);
        assert_eq!(lua_hash(b"a"), 1 ^ (32 + 97));
        // Past 32 bytes only every second byte (from the end) counts.
        let long = [b'x'; 40];
        let mut other = long;
        other[0] = b'y';
        assert_eq!(lua_hash(&long), lua_hash(&other), "byte 1 is skipped");
        other[1] = b'y';
        assert_ne!(lua_hash(&long), lua_hash(&other), "byte 2 counts");
    }
}
