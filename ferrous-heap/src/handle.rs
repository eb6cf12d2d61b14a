//! Typed handles to heap objects.
//!
//! Each handle is a `Copy` wrapper around an 8-byte [`RawHandle`] (slot index and generation),
//! so a handle of one object kind can never be used for another. Handles compare by identity;
//! strings are interned, so for [`StringHandle`] identity is content equality.
//!
//! **Invariant:** every handle is 8 bytes (tested), which keeps `Value` at 16.

use crate::arena::RawHandle;

macro_rules! handles {
    ($($(#[$doc:meta])* $name:ident,)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub(crate) RawHandle);

        impl $name {
            /// The raw slot and generation.
            #[inline]
            pub(crate) const fn raw(self) -> RawHandle {
                self.0
            }

            /// A number identifying the object while it lives (slot and generation), for
            /// printing (`table: 0x...`).
            #[inline]
            pub fn id(self) -> u64 {
                self.0.bits()
            }
        }
    )*};
}

handles! {
    /// An interned byte string.
    StringHandle,
    /// A Lua table.
    TableHandle,
    /// A function: a Lua closure or a native closure.
    FunctionHandle,
    /// An upvalue, open (a stack slot of a thread) or closed (a value of its own).
    UpValueHandle,
    /// A function prototype (compiled code and constants).
    ProtoHandle,
    /// A full userdata.
    UserDataHandle,
    /// A coroutine.
    ThreadHandle,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_eight_bytes() {
        assert_eq!(size_of::<StringHandle>(), 8);
        assert_eq!(size_of::<TableHandle>(), 8);
        assert_eq!(size_of::<FunctionHandle>(), 8);
        assert_eq!(size_of::<UpValueHandle>(), 8);
        assert_eq!(size_of::<ProtoHandle>(), 8);
        assert_eq!(size_of::<UserDataHandle>(), 8);
        assert_eq!(size_of::<ThreadHandle>(), 8);
        assert_eq!(size_of::<Option<TableHandle>>(), 8);
    }
}
