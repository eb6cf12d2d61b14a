//! Per-type object storage: the only module that knows the arena crate.
//!
//! [`Arena<T>`] wraps `generational_arena::Arena<T>`; [`RawHandle`] is the 8-byte (u32 index,
//! u32 generation) form that typed handles carry. Swapping the arena crate means rewriting this
//! file only.
//!
//! The arena crate keeps a 64-bit generation per arena that grows by one on every removal. A
//! handle keeps its low 32 bits. At the access boundary the handle is turned back into an arena
//! index by reading the slot (`get_unknown_gen`) and comparing the low 32 bits of the slot's
//! generation, rather than by `Index::from_raw_parts(index, generation as u64)`: the latter would
//! reject every object that has outlived 2^32 frees in its arena, which a long-running server
//! reaches. The price is that a stale handle is accepted again only if its slot is reused by an
//! object whose generation is equal modulo 2^32.
//!
//! [`MarkBits`] is a mark bitmap indexed by slot, kept outside the arena so the collector can
//! read objects and set marks at the same time.
//!
//! **Invariant:** a `RawHandle` is only produced by [`Arena::insert`] (or, for the pinned names,
//! by construction at generation 0 in an arena that has never freed anything).

use generational_arena::Index;

use crate::error::{HeapError, Result};

/// An arena slot and generation, packed into 8 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct RawHandle {
    index: u32,
    generation: u32,
}

impl RawHandle {
    /// A handle from its parts (used for the pinned names, which live at known slots).
    #[inline]
    pub(crate) const fn from_parts(index: u32, generation: u32) -> RawHandle {
        RawHandle { index, generation }
    }

    /// The slot number.
    #[inline]
    pub(crate) const fn index(self) -> usize {
        self.index as usize
    }

    /// The bits of the handle as one integer (for hashing).
    #[inline]
    pub(crate) const fn bits(self) -> u64 {
        ((self.generation as u64) << 32) | self.index as u64
    }

    #[inline]
    fn matches(self, index: Index) -> bool {
        // Truncation intended: handles keep the low 32 bits of the generation (module docs).
        index.into_raw_parts().1 as u32 == self.generation
    }
}

/// Storage for one kind of object.
#[derive(Debug)]
pub(crate) struct Arena<T> {
    inner: generational_arena::Arena<T>,
}

impl<T> Arena<T> {
    pub(crate) fn new() -> Arena<T> {
        Arena {
            inner: generational_arena::Arena::new(),
        }
    }

    /// Stores `value` and returns its handle; `OutOfMemory` if the slot number would not fit
    /// in 32 bits.
    pub(crate) fn insert(&mut self, value: T) -> Result<RawHandle> {
        let index = self.inner.insert(value);
        let (slot, generation) = index.into_raw_parts();
        match u32::try_from(slot) {
            // Truncation intended: see the module docs.
            Ok(slot) => Ok(RawHandle {
                index: slot,
                generation: generation as u32,
            }),
            Err(_) => {
                self.inner.remove(index);
                Err(HeapError::OutOfMemory)
            }
        }
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

    /// Frees every object whose slot is not marked in `marks`, calling `on_free` with each one
    /// before it is dropped.
    pub(crate) fn sweep(&mut self, marks: &MarkBits, mut on_free: impl FnMut(&T)) {
        self.inner.retain(|index, value| {
            let keep = marks.get(index.into_raw_parts().0);
            if !keep {
                on_free(value);
            }
            keep
        });
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
        let marks = MarkBits::default();
        arena.sweep(&marks, |_| {});
        assert_eq!(arena.get(first), None);
        let second = arena.insert(2).expect("small arena");
        assert_eq!(second.index(), first.index(), "the slot is reused");
        assert_eq!(arena.get(first), None);
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
        arena.sweep(&marks, |value| freed.push(*value));
        assert_eq!(freed, ["dropped"]);
        assert!(arena.contains(kept));
        assert!(!arena.contains(dropped));
        marks.clear();
        assert!(!marks.get(kept.index()));
    }
}
