//! Interning during compilation: identifiers through `lasso`, byte strings deduplicated.
//!
//! `Interner` owns the module's string table under construction. Identifiers are interned
//! by the lexer in a `lasso::Rodeo` (they are ASCII, hence valid UTF-8) and mapped once to
//! their `StrIdx`; every other byte string (literals, the chunk name, names the parser
//! invents such as `(for index)`) goes straight to the byte table.
//!
//! Invariant: equal bytes <=> equal `StrIdx`, whether they arrived as an identifier or as a
//! literal; so comparing `StrIdx` is comparing strings (5.1 compares `TString` pointers).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use lasso::{Rodeo, Spur};

use crate::module::StrIdx;

/// The `FxHash` function (rustc's): fast, fine for keys an attacker does not choose adaptively.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        // The multiply only moves entropy upwards; the table uses the low bits, so fold the
        // high bits down (keys such as float bits of integers differ only in high bits).
        let h = self.hash;
        (h ^ (h >> 29) ^ (h >> 47))
            .wrapping_mul(SEED)
            .rotate_left(26)
    }
}

/// A `HashMap` with `FxHasher`.
pub(crate) type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// The string table under construction.
pub(crate) struct Interner {
    bytes: FxHashMap<Box<[u8]>, u32>,
    names: Rodeo<Spur, BuildHasherDefault<FxHasher>>,
    /// `StrIdx` of each interned identifier, indexed by its `Spur`.
    name_idx: Vec<StrIdx>,
}

impl Default for Interner {
    fn default() -> Self {
        Interner {
            bytes: FxHashMap::default(),
            names: Rodeo::with_hasher(BuildHasherDefault::default()),
            name_idx: Vec::new(),
        }
    }
}

impl Interner {
    /// Interns a byte string.
    pub(crate) fn intern(&mut self, s: &[u8]) -> StrIdx {
        if let Some(&idx) = self.bytes.get(s) {
            return StrIdx(idx);
        }
        let idx = self.bytes.len() as u32;
        self.bytes.insert(s.into(), idx);
        StrIdx(idx)
    }

    /// Interns an identifier (ASCII letters, digits and `_`).
    pub(crate) fn intern_name(&mut self, name: &str) -> StrIdx {
        let spur = self.names.get_or_intern(name);
        let slot = spur.into_inner().get() as usize - 1;
        if let Some(&idx) = self.name_idx.get(slot) {
            return idx;
        }
        let idx = self.intern(name.as_bytes());
        // `Rodeo` hands out keys densely, so the new key is the next slot.
        self.name_idx.push(idx);
        idx
    }

    /// The bytes of an interned string (linear time: for error paths only).
    pub(crate) fn lookup_slow(&self, idx: StrIdx) -> &[u8] {
        self.bytes
            .iter()
            .find(|(_, i)| **i == idx.0)
            .map_or(&[], |(s, _)| s)
    }

    /// The finished table, indexed by `StrIdx`.
    pub(crate) fn into_table(self) -> Vec<Box<[u8]>> {
        let mut table: Vec<Box<[u8]>> = vec![Box::default(); self.bytes.len()];
        for (s, idx) in self.bytes {
            if let Some(slot) = table.get_mut(idx as usize) {
                *slot = s;
            }
        }
        table
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_bytes_share_indices() {
        let mut interner = Interner::default();
        let a = interner.intern_name("foo");
        let b = interner.intern(b"foo");
        let c = interner.intern(b"\xff");
        let d = interner.intern_name("bar");
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(interner.intern_name("bar"), d);
        assert_eq!(interner.lookup_slow(c), b"\xff");
        let table = interner.into_table();
        assert_eq!(table.len(), 3);
        assert_eq!(&*table[a.0 as usize], b"foo");
        assert_eq!(&*table[d.0 as usize], b"bar");
    }
}
