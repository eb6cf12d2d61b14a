//! Errors: the ones raised inside the VM while a script runs, and the ones a host sees.
//!
//! Inside the VM an error travels as an [`RtError`] until the interpreter turns it into a Lua
//! value (adding the position prefix the way PUC Lua 5.1 does: `luaG_runerror` for errors of the
//! interpreter itself, `luaL_where(L, 1)` for errors raised by native functions) and unwinds to the
//! nearest protected call. What escapes to the host is an [`Error`].
//!
//! Invariant: every message a script can observe is byte-for-byte the one lua5.1 produces.

use ferrous_heap::{HeapError, Value};

/// An error on its way through the VM, before it became a Lua value.
#[derive(Debug, thiserror::Error)]
pub enum RtError {
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

impl RtError {
    pub fn runtime(msg: impl Into<Vec<u8>>) -> Self {
        RtError::Runtime(msg.into())
    }

    pub fn native(msg: impl Into<Vec<u8>>) -> Self {
        RtError::Native(msg.into())
    }

    pub fn arg(narg: u32, msg: impl Into<Vec<u8>>) -> Self {
        RtError::Arg {
            narg,
            msg: msg.into(),
        }
    }
}

impl From<HeapError> for RtError {
    fn from(err: HeapError) -> Self {
        match err {
            HeapError::OutOfMemory => RtError::OutOfMemory,
            // Table errors raised on behalf of the running Lua code carry its position.
            other => RtError::Runtime(other.to_string().into_bytes()),
        }
    }
}

/// The result type of fallible operations inside the VM.
pub type RtResult<T> = Result<T, RtError>;

/// An error returned to the host.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The source did not compile; the message is exactly lua5.1's.
    #[error("{}", String::from_utf8_lossy(.0))]
    Syntax(Vec<u8>),
    /// A Lua error escaped the script. `message` is the error value converted like lua5.1's
    /// standalone interpreter does (strings and numbers as text, other values described).
    #[error("{}", String::from_utf8_lossy(.message))]
    Runtime {
        message: Vec<u8>,
        /// The error value itself (valid until the next garbage collection).
        value: Option<Value>,
        /// `stack traceback:` lines in lua5.1's format, when they were captured.
        traceback: Option<String>,
    },
    /// The memory cap was reached.
    #[error("not enough memory")]
    OutOfMemory,
    /// The host stopped the script.
    #[error("{}", String::from_utf8_lossy(.0))]
    Killed(Vec<u8>),
    /// A call was made in a state that does not allow it (for example, resuming a VM that has no
    /// paused script).
    #[error("{0}")]
    Usage(&'static str),
}
