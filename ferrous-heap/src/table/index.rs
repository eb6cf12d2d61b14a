//! The index of a large hash part: open addressing with linear probing over entry positions.
//!
//! A [`HashIndex`] maps a key's hash to the positions of the entries vector that may hold it.
//! It has twice as many slots as the hash part has room for entries, so at least half of its
//! slots are empty and every probe sequence ends at an empty slot soon. Nothing is ever removed:
//! a key set to nil stays an entry (a tombstone) until the next rehash rebuilds the index.
//! The first slot is taken from the hash's top bits (Fibonacci hashing). A lookup is a
//! multiply for the hash, then per candidate one slot load and one key
//! comparison (for a string key, one tag test and one handle comparison).
//!
//! **Invariant:** the number of slots is 0 or a power of two greater than the number of
//! positions stored, so a probe always meets an empty slot within `slots.len()` steps.

use crate::error::{HeapError, Result};

/// An empty slot.
const EMPTY: u32 = u32::MAX;

/// Positions of hash-part entries, by key hash.
#[derive(Debug, Default)]
pub(crate) struct HashIndex {
    slots: Vec<u32>,
    /// `64 - log2(slots.len())`: a hash's top bits pick its first slot.
    shift: u32,
}

impl HashIndex {
    /// An index for up to `node_cap` entries (`node_cap` a power of two, or 0); `OutOfMemory`
    /// if the allocation is refused.
    pub(crate) fn with_capacity(node_cap: usize) -> Result<HashIndex> {
        let len = node_cap.checked_mul(2).ok_or(HeapError::OutOfMemory)?;
        let mut slots = Vec::new();
        slots
            .try_reserve_exact(len)
            .map_err(|_| HeapError::OutOfMemory)?;
        slots.resize(len, EMPTY);
        let shift = 64 - len.max(1).trailing_zeros();
        Ok(HashIndex { slots, shift })
    }

    /// Bytes per entry of capacity (two `u32` slots).
    pub(crate) const BYTES_PER_NODE: usize = 2 * size_of::<u32>();

    /// The first slot of `hash`'s probe sequence: its top bits (Fibonacci hashing, so a
    /// multiplicative hash of consecutive handles spreads evenly).
    #[inline(always)]
    fn start(&self, hash: u64) -> usize {
        hash.checked_shr(self.shift).unwrap_or(0) as usize
    }

    /// The first position on `hash`'s probe sequence for which `is_key` holds.
    #[inline(always)]
    pub(crate) fn find(&self, hash: u64, is_key: impl Fn(usize) -> bool) -> Option<usize> {
        let mask = self.slots.len().wrapping_sub(1);
        let mut slot = self.start(hash);
        for _ in 0..self.slots.len() {
            slot &= mask;
            let pos = *self.slots.get(slot)?;
            if pos == EMPTY {
                return None;
            }
            if is_key(pos as usize) {
                return Some(pos as usize);
            }
            slot += 1;
        }
        None
    }

    /// Records `pos` under `hash` (the key is not in the index yet).
    pub(crate) fn insert(&mut self, hash: u64, pos: u32) {
        let mask = self.slots.len().wrapping_sub(1);
        let mut slot = self.start(hash);
        for _ in 0..self.slots.len() {
            slot &= mask;
            match self.slots.get_mut(slot) {
                Some(free) if *free == EMPTY => {
                    *free = pos;
                    return;
                }
                Some(_) => slot += 1,
                None => return,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colliding_hashes_probe_on() {
        // Eight slots: the top three bits of a hash pick the first one.
        let mut index = HashIndex::with_capacity(4).expect("small");
        let last_slot = 7 << 61;
        for pos in 0..4 {
            index.insert(last_slot, pos);
        }
        for pos in 0..4 {
            assert_eq!(
                index.find(last_slot, |p| p == pos as usize),
                Some(pos as usize),
                "found after wrapping around"
            );
        }
        assert_eq!(index.find(last_slot, |_| false), None);
        assert_eq!(
            index.find(0, |p| p == 1),
            Some(1),
            "slot 0 holds position 1"
        );
        assert_eq!(index.find(3 << 61, |_| true), None, "an empty first slot");
    }

    #[test]
    fn empty_index_finds_nothing() {
        let index = HashIndex::default();
        assert_eq!(index.find(0, |_| true), None);
    }
}
