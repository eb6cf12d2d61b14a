//! Byte accounting and the memory limit.
//!
//! [`Memory`] counts the bytes the heap's objects occupy (their fixed size plus the buffers they
//! own, including table growth). Every allocation is charged here *before* it happens; if the
//! charge would pass the limit it fails with `HeapError::OutOfMemory` and nothing is changed.
//! The sweep releases each freed object's bytes. The buffers of freed tables may be kept for
//! new ones (`table::pool`); they are charged to nobody while they wait.
//!
//! **Invariant:** `allocated` equals the sum of `heap_size()` over all live objects.

use crate::error::{HeapError, Result};
use crate::table::pool::Pool;

/// The heap's byte counter and optional limit, and the recycled table buffers.
#[derive(Debug, Default)]
pub(crate) struct Memory {
    allocated: usize,
    limit: Option<usize>,
    /// Buffers of swept tables, for new tables.
    pub(crate) pool: Pool,
}

impl Memory {
    /// Bytes currently charged.
    #[inline]
    pub(crate) fn allocated(&self) -> usize {
        self.allocated
    }

    /// Whether charging `bytes` more would stay within the limit.
    pub(crate) fn can_charge(&self, bytes: usize) -> bool {
        match self.allocated().checked_add(bytes) {
            Some(total) => self.limit.is_none_or(|limit| total <= limit),
            None => false,
        }
    }

    /// The cap on allocated bytes, if any.
    pub(crate) fn limit(&self) -> Option<usize> {
        self.limit
    }

    pub(crate) fn set_limit(&mut self, limit: Option<usize>) {
        self.limit = limit;
    }

    /// Charges `bytes` for a new allocation, or fails without charging.
    #[inline]
    pub(crate) fn charge(&mut self, bytes: usize) -> Result<()> {
        let total = self
            .allocated
            .checked_add(bytes)
            .ok_or(HeapError::OutOfMemory)?;
        if self.limit.is_some_and(|limit| total > limit) {
            return Err(HeapError::OutOfMemory);
        }
        self.allocated = total;
        Ok(())
    }

    /// Checks that an object may grow from `old` to `new` bytes, and charges the difference.
    #[inline]
    pub(crate) fn resize(&mut self, old: usize, new: usize) -> Result<()> {
        if new >= old {
            self.charge(new - old)
        } else {
            self.release(old - new);
            Ok(())
        }
    }

    /// Moves the charge of an object from `from` to `to` bytes without checking the limit
    /// (to undo a `resize` whose allocation then failed).
    pub(crate) fn adjust(&mut self, from: usize, to: usize) {
        self.allocated = self.allocated.saturating_sub(from).saturating_add(to);
    }

    /// Releases the bytes of a freed (or shrunk) object.
    #[inline]
    pub(crate) fn release(&mut self, bytes: usize) {
        self.allocated = self.allocated.saturating_sub(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_refuses_without_charging() {
        let mut memory = Memory::default();
        memory.set_limit(Some(100));
        assert_eq!(memory.charge(60), Ok(()));
        assert_eq!(memory.charge(60), Err(HeapError::OutOfMemory));
        assert_eq!(memory.allocated(), 60);
        assert_eq!(memory.resize(60, 10), Ok(()));
        assert_eq!(memory.allocated(), 10);
        assert_eq!(memory.charge(usize::MAX), Err(HeapError::OutOfMemory));
    }
}
