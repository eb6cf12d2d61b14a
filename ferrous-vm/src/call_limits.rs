//! The limits on calls: `MAX_FRAMES` frames, `MAX_STACK` stack slots and `MAX_CCALLS` nested
//! "C calls" (metamethods, protected calls, re-entries), with the extra room a running `xpcall`
//! message handler gets past each (5.1's `LUA_ERRERR` behaviour). `call.rs` checks a limit
//! inline and calls here, out of line, only when a call would pass it.
//!
//! Invariant: nothing here pushes or pops frames; a check either lets the call go ahead or
//! returns the error the call fails with.

use crate::error::{Raise, RaiseResult};
use crate::thread::{Cont, REGS};
use crate::vm::{MAX_CCALLS, MAX_FRAMES, MAX_STACK, Vm};

/// Frames an `xpcall` message handler (and what it calls) may add past `MAX_FRAMES`, and the
/// frames searched for a running handler when a limit is reached. 5.1 doubles its call-info
/// array when it overflows, which leaves the handler room to run; an overflow inside that room
/// is `error in error handling` (`LUA_ERRERR`).
pub(crate) const HANDLER_EXTRA_FRAMES: usize = 1_000;

/// Stack slots a message handler may use past `MAX_STACK`.
pub(crate) const HANDLER_EXTRA_STACK: usize = HANDLER_EXTRA_FRAMES * REGS;

/// Nested C calls a message handler may make past `MAX_CCALLS` (5.1's `LUAI_MAXCCALLS / 8`).
pub(crate) const HANDLER_EXTRA_CCALLS: u32 = MAX_CCALLS / 8;

/// Whether a continuation counts as a nested "C call" (5.1 runs these through `luaD_call`).
pub(crate) fn counts_as_ccall(cont: Cont) -> bool {
    !matches!(cont, Cont::Call | Cont::CoroutineBody | Cont::Host)
}

impl Vm {
    /// A call would pass `MAX_FRAMES`: `stack overflow`, unless a message handler may use its
    /// extra room.
    #[cold]
    #[inline(never)]
    pub(crate) fn frames_past_limit(&mut self, cont: Cont) -> RaiseResult<()> {
        let within = self.th.frames.len() < MAX_FRAMES + HANDLER_EXTRA_FRAMES;
        self.past_limit(cont, within, "stack overflow")
    }

    /// A frame would end at `top`, past `MAX_STACK`.
    #[cold]
    #[inline(never)]
    pub(crate) fn stack_past_limit(&mut self, cont: Cont, top: usize) -> RaiseResult<()> {
        let within = top <= MAX_STACK + HANDLER_EXTRA_STACK;
        self.past_limit(cont, within, "stack overflow")
    }

    /// A call would pass `MAX_CCALLS`.
    #[cold]
    #[inline(never)]
    pub(crate) fn ccalls_past_limit(&mut self, cont: Cont) -> RaiseResult<()> {
        if self.th.n_ccalls == MAX_CCALLS {
            // As 5.1, which counts a call before checking it: the call that fails keeps its
            // count until the error is caught, so a message handler called for this error runs
            // one level higher, in its extra room (and a handler call that fails here is
            // retried there with this error, as 5.1 calls the handler for it).
            self.th.n_ccalls += 1;
            return Err(Raise::runtime("C stack overflow"));
        }
        let within = self.th.n_ccalls < MAX_CCALLS + HANDLER_EXTRA_CCALLS;
        self.past_limit(cont, within, "C stack overflow")
    }

    /// A call with continuation `cont` would pass a limit: with no message handler running
    /// near the top of the stack, the error `msg`; with one (or `cont` calling one), the call
    /// goes ahead while `within` its extra room, and past it is `error in error handling`
    /// (5.1's `LUA_ERRERR`, which has no position).
    fn past_limit(&mut self, cont: Cont, within: bool, msg: &'static str) -> RaiseResult<()> {
        let handler_running = cont == Cont::XpcallHandler
            || self
                .th
                .frames
                .iter()
                .rev()
                .take(HANDLER_EXTRA_FRAMES)
                .any(|f| f.cont == Cont::XpcallHandler);
        if !handler_running {
            return Err(Raise::runtime(msg));
        }
        if within {
            return Ok(());
        }
        Err(Raise::ErrorHandling)
    }
}
