//! Errors in running code: `raise` unwinds the frames to the nearest protected frame (`pcall`,
//! `xpcall`, a coroutine's body, a host-level call) and lets it handle the error: `pcall`
//! returns `false, err`, `xpcall` calls its message handler where the error happened, a
//! coroutine dies and its resumer gets the error, a host-level frame returns it as `Err`.
//!
//! Invariants:
//! - Unwinding closes the upvalues of every frame it removes and restores the `n_ccalls` saved
//!   in the protected frame.
//! - The error value in flight is a root (`Vm::error_value`) while frames are removed and
//!   handlers run; it is cleared when the error is caught or leaves.
//! - A killed script (`Raise::Killed`) is caught by no `pcall`/`xpcall`; only coroutine bodies
//!   and host-level frames stop it on its way out.
//! - Running out of memory collects garbage once the error has unwound (see `raise`).

use ferrous_heap::Value;

use crate::call::Flow;
use crate::error::{Raise, RaiseResult};
use crate::thread::{Cont, Frame};
use crate::vm::Vm;

impl Vm {
    /// Raises `err` in the running code: unwinds to the nearest protected call (`pcall`,
    /// `xpcall`, a coroutine's body) and lets it handle the error. An error that reaches a
    /// host-level frame pops it and comes back as `Err`.
    pub(crate) fn raise(&mut self, err: Raise) -> RaiseResult<Flow> {
        let out_of_memory = matches!(err, Raise::OutOfMemory);
        let res = self.unwind(err);
        if out_of_memory {
            // The frames that filled the heap are gone: collect their garbage now, so the code
            // that caught the error (or the host's next script) finds memory again. The
            // collection threshold alone may lie above the memory cap.
            if res.is_ok() {
                // Caught: `top` ends the results of the protected call, and every slot above
                // is dead (the caller's free registers, the registers of the unwound frames),
                // but some lie in the caller's register window, which a collection traces.
                if let Some(dead) = self.th.stack.get_mut(self.th.top..) {
                    dead.fill(Value::Nil);
                }
            }
            self.collect_garbage();
        }
        res
    }

    /// `raise` without the collection after running out of memory.
    fn unwind(&mut self, err: Raise) -> RaiseResult<Flow> {
        let killed = match &err {
            Raise::Killed(msg) => Some(msg.clone()),
            _ => None,
        };
        let mut error_handling = matches!(err, Raise::ErrorHandling);
        let mut out_of_memory = matches!(err, Raise::OutOfMemory);
        let mut value = self.error_to_value(err);
        loop {
            self.error_value = value;
            let Some(idx) = self.th.frames.iter().rposition(|f| match f.cont {
                Cont::Pcall | Cont::Xpcall | Cont::XpcallHandler => killed.is_none(),
                Cont::CoroutineBody | Cont::Host => true,
                _ => false,
            }) else {
                // No frame at all is protected: the thread is unwound completely.
                self.error_location = self.innermost_lua_location();
                self.close_upvalues(0)?;
                self.th.frames.clear();
                self.th.n_ccalls = 0;
                self.error_value = Value::Nil;
                return Err(killed.map_or(Raise::Value(value), Raise::Killed));
            };
            let frame = self.th.frames[idx];
            let step = match frame.cont {
                Cont::Host => {
                    if self.capture_traceback && self.pending_traceback.is_none() {
                        self.pending_traceback = Some(self.error_traceback());
                    }
                    self.error_location = self.innermost_lua_location();
                    self.close_upvalues(frame.func as usize)?;
                    self.th.frames.truncate(idx);
                    self.th.n_ccalls = frame.ccalls_before;
                    self.th.top = frame.func as usize;
                    self.error_value = Value::Nil;
                    return Err(killed.map_or(Raise::Value(value), Raise::Killed));
                }
                Cont::Pcall => {
                    self.close_upvalues(frame.func as usize)?;
                    self.th.frames.truncate(idx);
                    self.th.n_ccalls = frame.ccalls_before;
                    // `pcall` returns: its `return` event (the error value is kept alive by
                    // `error_value` meanwhile).
                    // An error the hook raises is raised from here, as any other.
                    let top = self.th.top.max(frame.func as usize);
                    match self.native_return_hook(top) {
                        Err(err) => Err(err),
                        Ok(()) => match self.th.frames.pop() {
                            Some(parent) => {
                                let at = parent.func as usize;
                                self.th.ensure_stack(at + 2);
                                self.th.stack[at] = Value::Boolean(false);
                                self.th.stack[at + 1] = value;
                                self.post_call(parent, at, 2)
                            }
                            None => Err(Raise::runtime("internal error: pcall frame lost")),
                        },
                    }
                }
                // The message handler runs where the error happened, before unwinding. As in
                // 5.1 (where `L->errfunc` stays set while it runs), an error inside the handler
                // calls it again, nested, until one call returns or the extra room past the
                // limits runs out (`LUA_ERRERR`).
                // Running out of memory calls no handler either (5.1 throws `LUA_ERRMEM`
                // straight to the protected call).
                Cont::Xpcall | Cont::XpcallHandler if out_of_memory => self.xpcall_failed(value),
                Cont::Xpcall | Cont::XpcallHandler if !error_handling => self.call_handler(value),
                Cont::Xpcall | Cont::XpcallHandler => self.error_in_error_handling(),
                Cont::CoroutineBody => self.coroutine_failed(value, killed.clone()),
                _ => Err(Raise::runtime("internal error: unwinding")),
            };
            match step {
                Ok(flow) => {
                    // The error was caught: a traceback recorded on its way is stale.
                    self.pending_traceback = None;
                    self.error_value = Value::Nil;
                    return Ok(flow);
                }
                Err(Raise::Killed(msg)) => {
                    return self.raise_killed(msg);
                }
                Err(err) => {
                    error_handling = matches!(err, Raise::ErrorHandling);
                    out_of_memory = matches!(err, Raise::OutOfMemory);
                    value = self.error_to_value(err);
                }
            }
        }
    }

    /// Calls the message handler of the innermost `xpcall` with the error `value`, on top of
    /// the frames where the error happened. As in 5.1, a handler that is not a function (a
    /// callable table neither) is `error in error handling`. A handler call that fails before
    /// its frame exists is an error in the handler too; it is raised again (so the handler is
    /// called for it) only when it made progress (a `C stack overflow` that raised the count),
    /// otherwise it is `error in error handling`: retrying could loop.
    fn call_handler(&mut self, value: Value) -> RaiseResult<Flow> {
        let Some(xpcall) = self.th.frames.iter().rposition(|f| f.cont == Cont::Xpcall) else {
            return Err(Raise::runtime("internal error: xpcall frame lost"));
        };
        let slot = (self.th.frames[xpcall].func as usize).wrapping_sub(1);
        let handler = self.th.stack.get(slot).copied().unwrap_or(Value::Nil);
        if !matches!(handler, Value::Function(_) | Value::NativeFunction(_)) {
            return self.error_in_error_handling();
        }
        let (depth, ccalls) = (self.th.frames.len(), self.th.n_ccalls);
        match self.call_meta(handler, &[value], Cont::XpcallHandler) {
            Err(err)
                if self.th.frames.len() <= depth
                    && !matches!(err, Raise::Killed(_) | Raise::Paused | Raise::ErrorHandling)
                    && self.th.n_ccalls <= ccalls =>
            {
                self.error_in_error_handling()
            }
            other => other,
        }
    }

    /// The innermost `xpcall` returns `false, "error in error handling"` (5.1's `LUA_ERRERR`).
    fn error_in_error_handling(&mut self) -> RaiseResult<Flow> {
        let value = self.message_value(b"error in error handling");
        self.xpcall_failed(value)
    }

    /// The innermost `xpcall` returns `false, value` without calling its handler.
    fn xpcall_failed(&mut self, value: Value) -> RaiseResult<Flow> {
        let (parent, at) = self.unwind_to_xpcall()?;
        self.th.stack[at] = Value::Boolean(false);
        self.th.stack[at + 1] = value;
        self.post_call(parent, at, 2)
    }

    fn raise_killed(&mut self, msg: Vec<u8>) -> RaiseResult<Flow> {
        self.raise(Raise::Killed(msg))
    }

    /// Pops frames down to the innermost `xpcall`-protected one and its `xpcall` native frame.
    /// Returns the native frame and the slot where its results go.
    pub(crate) fn unwind_to_xpcall(&mut self) -> RaiseResult<(Frame, usize)> {
        let Some(idx) = self.th.frames.iter().rposition(|f| f.cont == Cont::Xpcall) else {
            return Err(Raise::runtime("internal error: xpcall frame lost"));
        };
        let protected = self.th.frames[idx];
        self.close_upvalues(protected.func as usize)?;
        self.th.frames.truncate(idx);
        self.th.n_ccalls = protected.ccalls_before;
        // `xpcall` returns: its `return` event (the caller keeps the value it returns in
        // `error_value` meanwhile).
        let top = self.th.top.max(protected.func as usize);
        self.native_return_hook(top)?;
        let Some(parent) = self.th.frames.pop() else {
            return Err(Raise::runtime("internal error: xpcall frame lost"));
        };
        let at = parent.func as usize;
        self.th.ensure_stack(at + 2);
        Ok((parent, at))
    }
}
