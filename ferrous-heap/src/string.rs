//! Interned byte strings.
//!
//! Every Lua string lives once in the strings arena as a [`LuaString`]: its bytes (any bytes,
//! not UTF-8) and a hash computed once, at interning, with a seeded `ahash` over every byte. The
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

/// Fixed seeds, so hashes (and so the order `next` visits string keys of small tables in) are
/// the same from run to run. `Heap::with_hash_seed` mixes in a caller-chosen seed.
const SEEDS: [u64; 4] = [
    0x243f_6a88_85a3_08d3,
    0x1319_8a2e_0370_7344,
    0xa409_3822_299f_31d0,
    0x082e_fa98_ec4e_6c89,
];

/// A string object: its bytes and their hash.
#[derive(Debug)]
pub(crate) struct LuaString {
    pub(crate) hash: u64,
    pub(crate) bytes: Box<[u8]>,
}

impl LuaString {
    /// Bytes charged for a string of `len` bytes (object, bytes, intern-table slot).
    pub(crate) fn heap_size_for(len: usize) -> usize {
        size_of::<LuaString>() + len + size_of::<StringHandle>()
    }

    pub(crate) fn heap_size(&self) -> usize {
        Self::heap_size_for(self.bytes.len())
    }
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
                    .is_some_and(|s| s.hash == hash && *s.bytes == *bytes)
            })
            .copied()
    }

    /// The handle of the string with these bytes, creating it if needed.
    pub(crate) fn intern(
        &mut self,
        strings: &mut Arena<LuaString>,
        memory: &mut Memory,
        bytes: &[u8],
    ) -> Result<StringHandle> {
        let hash = self.hash(bytes);
        if let Some(handle) = self.find(strings, hash, bytes) {
            return Ok(handle);
        }
        memory.charge(LuaString::heap_size_for(bytes.len()))?;
        let raw = match strings.insert(LuaString {
            hash,
            bytes: bytes.into(),
        }) {
            Ok(raw) => raw,
            Err(err) => {
                memory.release(LuaString::heap_size_for(bytes.len()));
                return Err(err);
            }
        };
        let handle = StringHandle(raw);
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
