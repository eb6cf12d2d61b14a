//! Errors: the one public [`Error`] (what natives return and what the host sees, with its
//! [`Result`] alias) and the crate-private [`Raise`], the form an error travels in inside the VM.
//!
//! A native function fails with [`Error::runtime`] (`luaL_error`), [`Error::arg`]
//! (`luaL_argerror`) or [`Error::value`] (`lua_error` with any value). The VM turns the error
//! into a Lua value (adding the position prefix the way PUC Lua 5.1 does: `luaG_runerror` for
//! errors of the interpreter itself, `luaL_where(L, 1)` for errors raised by natives) and unwinds
//! to the nearest protected call. What reaches the host is one of the host-facing variants:
//! [`Error::Syntax`], [`Error::Undump`], [`Error::Runtime`], [`Error::OutOfMemory`],
//! [`Error::Killed`], [`Error::Usage`].
//!
//! Invariants:
//! - Every message a script can observe is byte-for-byte the one lua5.1 produces.
//! - The internal states of [`Raise`] (a paused run, `error in error handling`, a raw error
//!   value in flight) never reach the host: `Vm::host_error` converts every one, and an error
//!   value the host receives is text or is kept by a [`RegistryKey`], never a bare [`Value`] a
//!   collection could free.

use ferrous_compiler::{CompileError, UndumpError};
use ferrous_heap::{HeapError, Value};

use crate::api::RegistryKey;

/// The result type of ferrous-vm: what natives return and what the host receives.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The error type of ferrous-vm, for natives and hosts alike.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The source did not compile; `Display` is exactly lua5.1's message
    /// (`input:3: '=' expected near 'x'`).
    #[error(transparent)]
    Syntax(Box<CompileError>),
    /// A binary chunk was malformed (`NAME: bad header in precompiled chunk`).
    #[error(transparent)]
    Undump(Box<UndumpError>),
    /// A Lua error reached the host.
    #[error(transparent)]
    Runtime(Box<RuntimeError>),
    /// The memory cap was reached.
    #[error("not enough memory")]
    OutOfMemory,
    /// The host stopped the script (`Vm::kill`, an interrupt, `Ctx::charge`); `pcall` cannot
    /// catch it.
    #[error("{}", String::from_utf8_lossy(.0))]
    Killed(Vec<u8>),
    /// A call was made in a state that does not allow it (for example, resuming a VM that has no
    /// paused script).
    #[error("{0}")]
    Usage(&'static str),
    /// An error raised by a native function (or by the VM) on its way to becoming a Lua error
    /// value: made by [`Error::runtime`], [`Error::arg`] and [`Error::value`]. The host never
    /// receives one from a `Vm` method.
    #[error("{0}")]
    Raised(Raised),
}

/// A Lua error that reached the host ([`Error::Runtime`]).
#[derive(Debug, thiserror::Error)]
#[error("{}", String::from_utf8_lossy(&self.message))]
pub struct RuntimeError {
    /// The error value converted like lua5.1's standalone interpreter does: strings and numbers
    /// as text (with their position prefix), `nil` as `nil`, other values
    /// `(error object is not a string)`.
    pub message: Vec<u8>,
    /// `stack traceback:` lines in lua5.1's format, when they were captured
    /// (`Vm::set_capture_traceback`).
    pub traceback: Option<String>,
    /// The error value itself.
    pub value: ErrorValue,
}

impl RuntimeError {
    /// An error whose value is the string `message`.
    pub fn message(message: impl Into<Vec<u8>>) -> Self {
        RuntimeError {
            message: message.into(),
            traceback: None,
            value: ErrorValue::String,
        }
    }
}

/// The value of an error that reached the host ([`Error::Runtime`]).
#[derive(Debug, PartialEq)]
pub enum ErrorValue {
    /// `error(nil)` (lua5.1's standalone interpreter prints nothing for it).
    Nil,
    /// `error(true)`.
    Boolean(bool),
    /// A number; `message` is its text.
    Number(f64),
    /// A string; `message` is its bytes.
    String,
    /// A table, function, userdata or thread (a Redis error table `{err = ...}`), kept alive by
    /// this key until the host gives it back to `Vm::registry_remove`.
    Object(RegistryKey),
}

/// An error on its way through the VM (see [`Error::Raised`]). Its `Display` is the message
/// without the position the VM adds. Boxed, so that [`Error`] (in every native's result) stays
/// small.
#[derive(Debug)]
pub struct Raised(pub(crate) Box<Raise>);

impl std::fmt::Display for Raised {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl Error {
    /// A native's error with a message, like `luaL_error`: the VM prefixes the position of the
    /// Lua function that called the native (`input:1: msg`).
    pub fn runtime(msg: impl Into<Vec<u8>>) -> Self {
        Error::Raised(Raised(Box::new(Raise::Native(msg.into()))))
    }

    /// A bad argument, like `luaL_argerror`: `bad argument #narg to 'name' (msg)`, with the name
    /// the function was called under and the caller's position.
    pub fn arg(narg: u32, msg: impl Into<Vec<u8>>) -> Self {
        Error::Raised(Raised(Box::new(Raise::Arg {
            narg,
            msg: msg.into(),
        })))
    }

    /// Raises `value` itself as the error value, like `lua_error` (a Redis error table, a
    /// message without position). `value` must be reachable until the native returns (it is,
    /// when it is an argument or was just created).
    pub fn value(value: Value) -> Self {
        Error::Raised(Raised(Box::new(Raise::Value(value))))
    }
}

impl From<CompileError> for Error {
    /// For hosts that compile with `ferrous_compiler` themselves and load with
    /// `Vm::load_module`.
    fn from(err: CompileError) -> Self {
        Error::Syntax(Box::new(err))
    }
}

impl From<UndumpError> for Error {
    fn from(err: UndumpError) -> Self {
        Error::Undump(Box::new(err))
    }
}

impl From<HeapError> for Error {
    /// `not enough memory`, or the heap's message as a runtime error without position (what
    /// lua5.1 reports for such an error raised inside a C function).
    fn from(err: HeapError) -> Self {
        match err {
            HeapError::OutOfMemory => Error::OutOfMemory,
            other => Error::Runtime(Box::new(RuntimeError::message(other.to_string()))),
        }
    }
}

impl From<Raise> for Error {
    fn from(raise: Raise) -> Self {
        match raise {
            Raise::OutOfMemory => Error::OutOfMemory,
            Raise::Killed(msg) => Error::Killed(msg),
            other => Error::Raised(Raised(Box::new(other))),
        }
    }
}

/// An error on its way through the VM, before it became a Lua value. Crate-private: natives
/// and hosts see it as [`Error`].
#[derive(Debug, thiserror::Error)]
pub(crate) enum Raise {
    /// A ready Lua error value (`error(v)`, a rethrow, an error crossing a coroutine).
    #[error("a Lua error value")]
    Value(Value),
    /// A runtime error of the interpreter itself: prefixed with the position of the running
    /// Lua function (`luaG_runerror`).
    #[error("{}", String::from_utf8_lossy(.0))]
    Runtime(Vec<u8>),
    /// An error raised by a native function (`luaL_error`): prefixed with the position of the
    /// function that called the native, when that is a Lua function (`luaL_where(L, 1)`).
    #[error("{}", String::from_utf8_lossy(.0))]
    Native(Vec<u8>),
    /// A message raised as it is, without position (an [`Error`] a native passed on).
    #[error("{}", String::from_utf8_lossy(.0))]
    Message(Vec<u8>),
    /// A bad argument to a native function (`luaL_argerror`): formatted with the name under
    /// which the function was called, `bad argument #N to 'name' (msg)`.
    #[error("bad argument #{narg} ({})", String::from_utf8_lossy(.msg))]
    Arg { narg: u32, msg: Vec<u8> },
    /// 5.1's `LUA_ERRERR`: an `xpcall` message handler ran out of its extra room past the stack
    /// limits (or is not a function). It unwinds to the innermost protected call without
    /// calling a handler; the message is `error in error handling`, without position.
    #[error("error in error handling")]
    ErrorHandling,
    /// The memory cap was reached: the message is `not enough memory`, without position.
    #[error("not enough memory")]
    OutOfMemory,
    /// The host asked to stop the script (time limit, `SCRIPT KILL`). `pcall` cannot catch it.
    #[error("{}", String::from_utf8_lossy(.0))]
    Killed(Vec<u8>),
    /// The fuel of a sliced run ran out (not an error of the script: the run can continue).
    #[error("paused")]
    Paused,
}

impl Raise {
    pub(crate) fn runtime(msg: impl Into<Vec<u8>>) -> Self {
        Raise::Runtime(msg.into())
    }

    pub(crate) fn native(msg: impl Into<Vec<u8>>) -> Self {
        Raise::Native(msg.into())
    }
}

impl From<HeapError> for Raise {
    fn from(err: HeapError) -> Self {
        match err {
            HeapError::OutOfMemory => Raise::OutOfMemory,
            // Table errors raised on behalf of the running Lua code carry its position.
            other => Raise::Runtime(other.to_string().into_bytes()),
        }
    }
}

impl From<Error> for Raise {
    /// An [`Error`] raised again inside the VM. A host-facing error becomes its message without
    /// position (`Vm::raise_of` also restores a kept error value).
    fn from(err: Error) -> Self {
        match err {
            Error::Raised(Raised(raise)) => *raise,
            Error::OutOfMemory => Raise::OutOfMemory,
            Error::Killed(msg) => Raise::Killed(msg),
            Error::Runtime(e) => Raise::Message(e.message),
            Error::Syntax(e) => Raise::Message(e.message_bytes().to_vec()),
            Error::Undump(e) => Raise::Message(e.message_bytes().to_vec()),
            Error::Usage(msg) => Raise::Message(msg.as_bytes().to_vec()),
        }
    }
}

/// The result type of fallible operations inside the VM.
pub(crate) type RaiseResult<T> = std::result::Result<T, Raise>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_states_stay_raised() {
        assert!(matches!(Error::from(Raise::Paused), Error::Raised(_)));
        assert!(matches!(
            Error::from(Raise::ErrorHandling),
            Error::Raised(_)
        ));
        assert!(matches!(
            Error::from(Raise::OutOfMemory),
            Error::OutOfMemory
        ));
        assert!(matches!(
            Raise::from(Error::Usage("x")),
            Raise::Message(m) if m == b"x"
        ));
    }

    #[test]
    fn sizes() {
        assert!(size_of::<Raise>() <= 32);
        assert!(size_of::<Error>() <= 32);
    }
}
