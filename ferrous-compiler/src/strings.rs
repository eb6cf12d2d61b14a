//! Interning during compilation: identifiers through `lasso`, byte strings deduplicated.
//!
//! `Interner` owns the module's string table under construction. Identifiers are interned
//! by the lexer in a `lasso::Rodeo` (they are ASCII, hence valid UTF-8) and mapped once to
//! their `StrIdx`; every other byte string (literals, the chunk name, names the parser
//! invents such as `(for index)`) goes straight to the byte table.
//!
//! Invariant: equal bytes <=> equal `StrIdx`, whether they arrived as an identifier or as a
//! literal; so comparing `StrIdx` is comparing strings (5.1 compares `TString` pointers).
//!
//! Invariant: every map the compiler keys by source text (these, the constant table's) uses
//! std's randomly keyed `RandomState`, never a fixed hash function: with a fixed one a script
//! can pick strings or numbers that all collide, making each lookup linear (100,000 crafted
//! number constants took 56 s with `FxHash`). Indices are handed out in insertion order, so
//! the hash never shows in the output.

use std::collections::HashMap;
use std::hash::RandomState;

use lasso::{Rodeo, Spur};

use crate::module::StrIdx;

/// The string table under construction.
pub(crate) struct Interner {
    bytes: HashMap<Box<[u8]>, u32>,
    names: Rodeo<Spur, RandomState>,
    /// `StrIdx` of each interned identifier, indexed by its `Spur`.
    name_idx: Vec<StrIdx>,
}

impl Default for Interner {
    fn default() -> Self {
        Interner {
            bytes: HashMap::new(),
            names: Rodeo::with_hasher(RandomState::new()),
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
