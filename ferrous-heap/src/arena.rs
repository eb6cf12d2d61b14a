//! Per-type object storage: the only module that knows the arena crate.
//!
//! [`Arena<T>`] wraps `generational_arena::Arena<T>` and keeps an occupancy bitmap (`live`, one
//! bit per slot) next to it; [`RawHandle`] is the 8-byte (u32 slot, u32 generation) form that
//! typed handles carry. Swapping the arena crate means rewriting this file only.
//!
//! The arena crate keeps one 64-bit generation per arena that grows by one on every removal; a
//! new object takes the arena's current generation. A handle keeps its low 32 bits. At the
//! access boundary the handle is turned back into an arena index by reading the slot
//! (`get_unknown_gen`: a bounds check and an occupancy test) and comparing the low 32 bits of
//! the slot's generation, rather than by `Index::from_raw_parts(index, generation as u64)`: the
//! latter would reject every object that has outlived 2^32 frees in its arena, which a
//! long-running server reaches. The price is that a stale handle is accepted again only if its
//! slot is reused by an object whose generation is equal to the handle's modulo 2^32, that is
//! only after a multiple of 2^32 frees in the same arena since the handle's object was freed.
//!
//! The occupancy bitmap lets [`Arena::sweep`] find the dead objects a word at a time
//! (`live & !marked`): a live object is never visited by the sweep, and a dead one is visited
//! once, to remove it from the crate's arena (`get_unknown_gen` for its index, then `remove`).
//! Freed slots go on the crate's free list, which hands out the most recently freed first.
//!
//! [`MarkBits`] is a mark bitmap indexed by slot, kept outside the arena so the collector can
//! read objects and set marks at the same time. The sweep clears it.
//!
//! **Invariant:** a `RawHandle` is only produced by [`Arena::insert`] (or, for the pinned names,
//! by construction at generation 0 in an arena that has never freed anything).
//! **Invariant:** bit `i` of `live` is set exactly when slot `i` of the crate's arena holds a
//! value (set by `insert`, cleared by `sweep`, the only two ways the crate's arena changes).

use std::num::NonZeroU64;

use generational_arena::Index;

use crate::error::{HeapError, Result};

/// An arena slot and generation, packed into 8 bytes: the slot plus one in the high half, the
/// generation in the low half, in a `NonZeroU64` (the slot plus one is never 0), so that
/// `Option` of a handle is 8 bytes too (a table's metatable: this keeps a table's arena slot at
/// 72 bytes instead of 80). One integer, so equality is one comparison (two 32-bit fields
/// compared as derived took two comparisons and branches: handles are compared on every call
/// and return of the interpreter loop); the order is by slot, then generation.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct RawHandle(NonZeroU64);

impl std::fmt::Debug for RawHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawHandle")
            .field("slot", &self.index())
            .field("generation", &self.generation())
            .finish()
    }
}

impl RawHandle {
    /// The handle of slot `index` (below `u32::MAX`) at `generation`.
    #[inline]
    const fn pack(index: u32, generation: u32) -> RawHandle {
        let slot_plus_one = index.wrapping_add(1) as u64;
        match NonZeroU64::new((slot_plus_one << 32) | generation as u64) {
            Some(n) => RawHandle(n),
            // `index` was `u32::MAX` and `generation` 0: not a slot the arenas hand out.
            None => RawHandle(NonZeroU64::MAX),
        }
    }

    /// A handle from its parts (used for the pinned names, which live at known slots);
    /// `index` must be below `u32::MAX`.
    #[inline]
    pub(crate) const fn from_parts(index: u32, generation: u32) -> RawHandle {
        RawHandle::pack(index, generation)
    }

    /// The slot number.
    #[inline]
    pub(crate) const fn index(self) -> usize {
        ((self.0.get() >> 32) as usize).wrapping_sub(1)
    }

    /// The low 32 bits of the object's generation.
    #[inline]
    const fn generation(self) -> u32 {
        // Truncation intended: the low half.
        self.0.get() as u32
    }

    /// The bits of the handle as one integer (generation high, slot plus one low: the number
    /// `id()` gives and `tostring` prints).
    #[inline]
    pub(crate) const fn bits(self) -> u64 {
        self.0.get().rotate_left(32)
    }

    /// The handle of the object the crate's arena stores at `index`, if the slot fits in 32 bits
    /// (below `u32::MAX`).
    #[inline]
    fn from_index(index: Index) -> Option<RawHandle> {
        let (slot, generation) = index.into_raw_parts();
        let slot = u32::try_from(slot).ok().filter(|&s| s != u32::MAX)?;
        // Truncation intended: handles keep the low 32 bits of the generation (module docs).
        Some(RawHandle::pack(slot, generation as u32))
    }

    #[inline]
    fn matches(self, index: Index) -> bool {
        // Truncation intended: handles keep the low 32 bits of the generation (module docs).
        index.into_raw_parts().1 as u32 == self.generation()
    }
}

/// Storage for one kind of object.
#[derive(Debug)]
pub(crate) struct Arena<T> {
    inner: generational_arena::Arena<T>,
    /// Bit `i` set: slot `i` of `inner` holds a value.
    live: Vec<u64>,
}

impl<T> Arena<T> {
    pub(crate) fn new() -> Arena<T> {
        Arena {
            inner: generational_arena::Arena::new(),
            live: Vec::new(),
        }
    }

    /// Stores `value` and returns its handle; `OutOfMemory` if the slot number would not fit
    /// in 32 bits.
    #[inline]
    pub(crate) fn insert(&mut self, value: T) -> Result<RawHandle> {
        if self.inner.len() == self.inner.capacity() {
            self.grow();
        }
        let index = self.inner.insert(value);
        match RawHandle::from_index(index) {
            Some(handle) => {
                set_bit(&mut self.live, handle.index());
                Ok(handle)
            }
            None => {
                self.inner.remove(index);
                Err(HeapError::OutOfMemory)
            }
        }
    }

    /// Makes room for a quarter more objects. The crate, left to itself, doubles the arena when
    /// it is full and writes a free-list entry into every new slot, so up to half of a large
    /// arena was resident without ever holding an object (`gc.lua`: 65,536 table slots of 72
    /// bytes for at most 40,000 tables).
    #[cold]
    fn grow(&mut self) {
        let capacity = self.inner.capacity();
        self.inner.reserve((capacity / 4).max(64));
    }

    /// The object behind `handle`, if it is still alive.
    #[inline]
    pub(crate) fn get(&self, handle: RawHandle) -> Option<&T> {
        match self.inner.get_unknown_gen(handle.index()) {
            Some((value, index)) if handle.matches(index) => Some(value),
            _ => None,
        }
    }

    /// The object behind `handle`, mutably, if it is still alive.
    #[inline]
    pub(crate) fn get_mut(&mut self, handle: RawHandle) -> Option<&mut T> {
        match self.inner.get_unknown_gen_mut(handle.index()) {
            Some((value, index)) if handle.matches(index) => Some(value),
            _ => None,
        }
    }

    /// Whether `handle` names a live object.
    #[inline]
    pub(crate) fn contains(&self, handle: RawHandle) -> bool {
        self.get(handle).is_some()
    }

    /// The number of live objects.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.inner.len()
    }

    /// How many objects the next [`Arena::sweep`] with `marks` would free.
    pub(crate) fn count_unmarked(&self, marks: &MarkBits) -> usize {
        self.live
            .iter()
            .enumerate()
            .map(|(word_idx, live)| {
                let marked = marks.words.get(word_idx).copied().unwrap_or(0);
                (live & !marked).count_ones() as usize
            })
            .sum()
    }

    /// Frees every object whose slot is not marked in `marks`, handing each one (and the handle
    /// it had) to `on_free`, which drops it or keeps parts of it, and clears `marks`. Only the dead objects
    /// are visited: the occupied slots are found a word at a time from the occupancy bitmap.
    pub(crate) fn sweep(&mut self, marks: &mut MarkBits, mut on_free: impl FnMut(RawHandle, T)) {
        // Slots are visited (and their objects dropped) in ascending order: descending, which
        // would make the crate's free list hand out the lowest slot first, took 28.5 ms instead
        // of 19.5 ms on a million dead tables (the frees of their buffers ran against the
        // allocator's order).
        for (word_idx, live) in self.live.iter_mut().enumerate() {
            let marked = marks.words.get(word_idx).copied().unwrap_or(0);
            let mut dead = *live & !marked;
            *live &= !dead;
            while dead != 0 {
                let slot = word_idx * 64 + dead.trailing_zeros() as usize;
                dead &= dead - 1;
                let Some((_, index)) = self.inner.get_unknown_gen(slot) else {
                    continue;
                };
                let value = self.inner.remove(index);
                if let (Some(handle), Some(value)) = (RawHandle::from_index(index), value) {
                    on_free(handle, value);
                }
            }
        }
        marks.clear();
    }
}

/// Sets bit `index` of `words`, growing it as needed.
#[inline]
fn set_bit(words: &mut Vec<u64>, index: usize) {
    let word_idx = index / 64;
    if word_idx >= words.len() {
        words.resize(word_idx + 1, 0);
    }
    if let Some(word) = words.get_mut(word_idx) {
        *word |= 1 << (index % 64);
    }
}

/// A bitmap of marked slots for one arena.
#[derive(Debug, Default)]
pub(crate) struct MarkBits {
    words: Vec<u64>,
}

impl MarkBits {
    /// Whether `slot` is marked.
    #[inline]
    pub(crate) fn get(&self, slot: usize) -> bool {
        self.words
            .get(slot / 64)
            .is_some_and(|word| word & (1 << (slot % 64)) != 0)
    }

    /// Marks `slot`; returns true if it was not marked before.
    #[inline]
    pub(crate) fn set(&mut self, slot: usize) -> bool {
        let word_idx = slot / 64;
        if word_idx >= self.words.len() {
            self.words.resize(word_idx + 1, 0);
        }
        let bit = 1 << (slot % 64);
        match self.words.get_mut(word_idx) {
            Some(word) if *word & bit == 0 => {
                *word |= bit;
                true
            }
            _ => false,
        }
    }

    /// Unmarks everything, keeping the allocation.
    pub(crate) fn clear(&mut self) {
        self.words.iter_mut().for_each(|word| *word = 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_handle_is_rejected_after_removal_and_reuse() {
        let mut arena = Arena::new();
        let first = arena.insert(1).expect("small arena");
        let mut marks = MarkBits::default();
        arena.sweep(&mut marks, |_, _| {});
        assert_eq!(arena.get(first), None);
        let second = arena.insert(2).expect("small arena");
        assert_eq!(second.index(), first.index(), "the slot is reused");
        assert_eq!(arena.get(first), None);
        assert_eq!(arena.get_mut(first), None);
        assert_eq!(arena.get(second), Some(&2));
    }

    #[test]
    fn foreign_slot_is_rejected() {
        let arena: Arena<u8> = Arena::new();
        assert_eq!(arena.get(RawHandle::from_parts(7, 0)), None);
    }

    #[test]
    fn sweep_keeps_marked_slots() {
        let mut arena = Arena::new();
        let kept = arena.insert("kept").expect("small arena");
        let dropped = arena.insert("dropped").expect("small arena");
        let mut marks = MarkBits::default();
        assert!(marks.set(kept.index()));
        assert!(!marks.set(kept.index()));
        let mut freed = Vec::new();
        arena.sweep(&mut marks, |_, value| freed.push(value));
        assert_eq!(freed, ["dropped"]);
        assert!(arena.contains(kept));
        assert!(!arena.contains(dropped));
        assert!(!marks.get(kept.index()), "the sweep clears the marks");
    }

    #[test]
    fn sweep_across_words_frees_exactly_the_unmarked_and_reuses_their_slots() {
        let mut arena = Arena::new();
        let handles: Vec<RawHandle> = (0..200)
            .map(|i| arena.insert(i).expect("small arena"))
            .collect();
        let mut marks = MarkBits::default();
        for handle in handles.iter().filter(|h| h.index() % 3 == 0) {
            marks.set(handle.index());
        }
        let mut freed = Vec::new();
        arena.sweep(&mut marks, |_, value| freed.push(value));
        assert_eq!(freed.len(), 200 - 67);
        assert!(freed.iter().all(|value| value % 3 != 0));
        assert_eq!(arena.len(), 67);
        for (i, handle) in handles.iter().enumerate() {
            assert_eq!(arena.get(*handle).copied(), (i % 3 == 0).then_some(i));
        }
        // The freed slots are reused, most recently freed first (the crate's free list), before
        // the arena grows.
        let reused = arena.insert(1000).expect("small arena");
        assert_eq!(reused.index(), 199);
        for i in 0..(200 - 67 - 1) {
            let handle = arena.insert(2000 + i).expect("small arena");
            assert!(handle.index() < 200, "slot {} reused", handle.index());
        }
        assert_eq!(arena.insert(0).expect("small arena").index(), 200);
        // Every old handle to a freed slot stays stale even though the slot is reused.
        for handle in handles.iter().filter(|h| h.index() % 3 != 0) {
            assert!(!arena.contains(*handle));
        }
    }

    #[test]
    fn a_slot_freed_many_times_keeps_rejecting_old_handles() {
        let mut arena = Arena::new();
        let mut marks = MarkBits::default();
        let mut old = Vec::new();
        for i in 0..100 {
            let handle = arena.insert(i).expect("small arena");
            assert_eq!(handle.index(), 0);
            old.push(handle);
            arena.sweep(&mut marks, |_, _| {});
        }
        assert!(old.iter().all(|handle| !arena.contains(*handle)));
        assert_eq!(arena.len(), 0);
    }
}
