//! The Lua value.
//!
//! [`Value`] is a 16-byte `Copy` enum: immediate nil/boolean/number, or a typed handle to a heap
//! object. Native functions are [`NativeFn`] ids into the VM's registry; the heap never sees a
//! function pointer. The derived `PartialEq` is Lua's raw equality (`rawequal`): numbers by
//! value (so NaN is not equal to itself), everything else by identity.
//!
//! **Invariant:** `size_of::<Value>() <= 16` (checked at compile time and by a test).

use crate::handle::{FunctionHandle, StringHandle, TableHandle, ThreadHandle, UserDataHandle};

/// An id into the VM's registry of native (Rust) functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NativeFn(pub u32);

/// A Lua 5.1 value.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Value {
    /// `nil`.
    #[default]
    Nil,
    /// `true` or `false`.
    Boolean(bool),
    /// A number (Lua 5.1 has only doubles).
    Number(f64),
    /// An interned byte string.
    String(StringHandle),
    /// A table.
    Table(TableHandle),
    /// A Lua or native closure.
    Function(FunctionHandle),
    /// A native function without upvalues or environment of its own, by registry id.
    NativeFunction(NativeFn),
    /// A full userdata.
    UserData(UserDataHandle),
    /// A coroutine.
    Thread(ThreadHandle),
}

const _: () = assert!(size_of::<Value>() <= 16);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_is_sixteen_bytes() {
        assert!(size_of::<Value>() <= 16);
        assert!(size_of::<Option<Value>>() <= 16);
    }

    #[test]
    fn raw_equality_is_numeric_for_numbers() {
        assert_eq!(Value::Number(0.0), Value::Number(-0.0));
        assert_ne!(Value::Number(f64::NAN), Value::Number(f64::NAN));
        assert_ne!(Value::Nil, Value::Boolean(false));
    }
}
