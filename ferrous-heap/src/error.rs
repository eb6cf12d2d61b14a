//! The heap's error type.
//!
//! [`HeapError`] is what every fallible heap operation returns. Its `Display` texts are exactly
//! what PUC Lua 5.1 (or Redis, for [`HeapError::ReadOnly`]) print for the same condition, so the
//! VM can hand them to Lua code unchanged.

/// An error raised by a heap operation. The heap is left consistent whenever one is returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HeapError {
    /// A handle whose object has been collected, or that belongs to another heap.
    #[error("stale heap handle")]
    StaleHandle,
    /// An allocation would exceed the memory limit (see `Heap::set_memory_limit`), or a size
    /// does not fit the heap's limits.
    #[error("not enough memory")]
    OutOfMemory,
    /// A table write used `nil` as a key.
    #[error("table index is nil")]
    NilKey,
    /// A table write used NaN as a key.
    #[error("table index is NaN")]
    NaNKey,
    /// A write to a table marked read-only (the Redis sandbox's globals and libraries).
    #[error("Attempt to modify a readonly table")]
    ReadOnly,
    /// `next` was given a key that is not in the table.
    #[error("invalid key to 'next'")]
    InvalidNextKey,
}

/// The heap's result type.
pub(crate) type Result<T, E = HeapError> = core::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::HeapError;

    #[test]
    fn messages_match_lua_and_redis() {
        assert_eq!(HeapError::OutOfMemory.to_string(), "not enough memory");
        assert_eq!(HeapError::NilKey.to_string(), "table index is nil");
        assert_eq!(HeapError::NaNKey.to_string(), "table index is NaN");
        assert_eq!(
            HeapError::ReadOnly.to_string(),
            "Attempt to modify a readonly table"
        );
        assert_eq!(
            HeapError::InvalidNextKey.to_string(),
            "invalid key to 'next'"
        );
    }
}
