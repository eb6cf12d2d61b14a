//! The call protocol: entering Lua and native functions, returning through continuations,
//! tail calls, upvalues and closures, and error unwinding to protected calls.
//!
//! Every call pushes a [`Frame`] whose [`Cont`] says what the caller does with the results; a
//! return pops it and [`Vm::post_call`] carries that out. Nothing here calls the interpreter loop
//! recursively, except [`Vm::call_value`], the bounded re-entry used by natives such as
//! `table.sort` (at most `MAX_CCALLS` deep, then `C stack overflow`).
//!
//! Invariants:
//! - A frame with a counting continuation (metamethods, protected calls, re-entries) adds one to
//!   `n_ccalls`; popping any frame restores the count saved in it (`ccalls_before`).
//! - Unwinding closes the upvalues of every frame it removes.

use ferrous_heap::{
    CallShape, Function, LuaClosure, ThreadHandle, UpValue, UpValueList, Value, names,
};

use crate::error::{Raise, RaiseResult};
use crate::interp::{Exit, Flow};
use crate::native::{Ctx, ResumeRequest, RetKind};
use crate::thread::{CoStatus, Cont, Frame, LuaCode, ThreadState};
use crate::value::is_truthy;
use crate::vm::{MAX_CCALLS, MAX_FRAMES, MAX_REENTRY, MAX_STACK, Vm};

/// 5.1's `LUA_MINSTACK`: free slots a native function may use without asking.
const MIN_STACK: usize = 20;

/// Frames an `xpcall` message handler (and what it calls) may add past `MAX_FRAMES`, and the
/// frames searched for a running handler when a limit is reached. 5.1 doubles its call-info
/// array when it overflows, which leaves the handler room to run; an overflow inside that room
/// is `error in error handling` (`LUA_ERRERR`).
const HANDLER_EXTRA_FRAMES: usize = 1_000;

/// Stack slots a message handler may use past `MAX_STACK`.
const HANDLER_EXTRA_STACK: usize = HANDLER_EXTRA_FRAMES * crate::interp::REGS;

/// Nested C calls a message handler may make past `MAX_CCALLS` (5.1's `LUAI_MAXCCALLS / 8`).
const HANDLER_EXTRA_CCALLS: u32 = MAX_CCALLS / 8;

/// Whether a continuation counts as a nested "C call" (5.1 runs these through `luaD_call`).
fn counts_as_ccall(cont: Cont) -> bool {
    !matches!(cont, Cont::Call | Cont::CoroutineBody | Cont::Host)
}

/// What [`Vm::enter_lua_call`] did with a `Value::Function` callee.
pub(crate) enum Callee {
    /// It pushed the frame of a Lua function with fixed parameters; the loop runs it.
    Lua {
        /// The first register.
        base: usize,
        proto: ferrous_heap::ProtoHandle,
        env: ferrous_heap::TableHandle,
    },
    /// Nothing: the callee is this native function (the caller runs it with
    /// [`Vm::call_native`], without looking the function up again).
    Native(ferrous_heap::NativeFn),
    /// Nothing: the callee is a vararg Lua function (the caller goes through [`Vm::precall`]).
    Other,
}

impl Vm {
    /// Calls the value in stack slot `func` with the `nargs` values above it. A Lua function gets
    /// a new frame (the loop runs it); a native function runs to completion here.
    pub(crate) fn precall(
        &mut self,
        func: usize,
        nargs: usize,
        nresults: i32,
        cont: Cont,
    ) -> RaiseResult<Flow> {
        self.precall_tail(func, nargs, nresults, cont, 0)
    }

    fn precall_tail(
        &mut self,
        func: usize,
        mut nargs: usize,
        nresults: i32,
        cont: Cont,
        tailcalls: u32,
    ) -> RaiseResult<Flow> {
        loop {
            match self.th.stack[func] {
                Value::Function(h) => {
                    let (lua, native) = match self.heap.function(h)? {
                        Function::Lua(cl) => (Some((cl.proto, cl.env, cl.shape)), None),
                        Function::Native(nc) => (None, Some(nc.id)),
                    };
                    if let Some((proto, env, shape)) = lua {
                        let code = LuaCode {
                            closure: h,
                            proto,
                            env,
                        };
                        self.enter_lua(func, nargs, nresults, cont, code, shape, tailcalls)?;
                        return Ok(Flow::Continue);
                    }
                    if let Some(id) = native {
                        return self.call_native(id, func, nargs, nresults, cont);
                    }
                }
                Value::NativeFunction(id) => {
                    return self.call_native(id, func, nargs, nresults, cont);
                }
                other => {
                    // `__call`: the metamethod is called with the object as first argument.
                    let tm = self.metamethod(other, names::CALL);
                    if !matches!(tm, Value::Function(_) | Value::NativeFunction(_)) {
                        return Err(self.call_error(func, other));
                    }
                    self.th.ensure_stack(func + nargs + 2);
                    self.th.stack.copy_within(func..=func + nargs, func + 1);
                    self.th.stack[func] = tm;
                    nargs += 1;
                    self.th.top = self.th.top.max(func + nargs + 1);
                }
            }
        }
    }

    /// A call would pass `MAX_FRAMES`: `stack overflow`, unless a message handler may use its
    /// extra room.
    #[cold]
    #[inline(never)]
    fn frames_past_limit(&mut self, cont: Cont) -> RaiseResult<()> {
        let within = self.th.frames.len() < MAX_FRAMES + HANDLER_EXTRA_FRAMES;
        self.past_limit(cont, within, "stack overflow")
    }

    /// A frame would end at `top`, past `MAX_STACK`.
    #[cold]
    #[inline(never)]
    fn stack_past_limit(&mut self, cont: Cont, top: usize) -> RaiseResult<()> {
        let within = top <= MAX_STACK + HANDLER_EXTRA_STACK;
        self.past_limit(cont, within, "stack overflow")
    }

    /// A call would pass `MAX_CCALLS`.
    #[cold]
    #[inline(never)]
    fn ccalls_past_limit(&mut self, cont: Cont) -> RaiseResult<()> {
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

    /// `attempt to call ...`, naming the register when the function sits in the caller's frame.
    fn call_error(&self, func: usize, value: Value) -> Raise {
        let reg = self
            .th
            .frames
            .last()
            .filter(|f| f.lua.is_some() && func >= f.base as usize && func < f.top as usize)
            .map(|f| (func - f.base as usize) as u32);
        self.type_error(reg, value, "call")
    }

    /// `OP_CALL`'s fast path: if `closure` is a Lua function with fixed parameters, pushes its
    /// frame (exactly as [`Vm::precall`] would with `Cont::Call`, or `Cont::Host` when `host`)
    /// and returns what the loop needs to run it; otherwise does nothing and says what the
    /// callee is.
    #[inline(always)]
    pub(crate) fn enter_lua_call(
        &mut self,
        closure: ferrous_heap::FunctionHandle,
        func: usize,
        nargs: usize,
        nresults: i32,
        host: bool,
    ) -> RaiseResult<Callee> {
        let cl = match self.heap.function(closure)? {
            Function::Lua(cl) => cl,
            Function::Native(nc) => return Ok(Callee::Native(nc.id)),
        };
        let (proto_handle, env, shape) = (cl.proto, cl.env, cl.shape);
        if shape.is_vararg != 0 {
            return Ok(Callee::Other);
        }
        let n_params = usize::from(shape.num_params);
        let max_stack = usize::from(shape.max_stack_size);
        if self.th.frames.len() >= MAX_FRAMES {
            self.frames_past_limit(Cont::Call)?;
        }
        let base = func + 1;
        let top = base + max_stack;
        if top > MAX_STACK {
            self.stack_past_limit(Cont::Call, top)?;
        }
        // `top < base + REGS`: this also gives the loop its whole register window.
        self.th.ensure_stack(base + crate::interp::REGS);
        self.th.stack[base + nargs.min(n_params)..top].fill(Value::Nil);
        self.th.top = top;
        let ccalls_before = self.th.n_ccalls;
        self.th.frames.push(Frame {
            func: func as u32,
            base: base as u32,
            top: top as u32,
            pc: 0,
            nresults,
            n_varargs: 0,
            cont: Cont::Call,
            lua: Some(LuaCode {
                closure,
                proto: proto_handle,
                env,
            }),
            tailcalls: 0,
            ccalls_before,
        });
        if host {
            // Written after the push, as in `call_native`.
            if let Some(frame) = self.th.frames.last_mut() {
                frame.cont = Cont::Host;
            }
            // As in `enter_lua`: no `OP_CALL` charged this call.
            self.fuel -= 1;
        }
        Ok(Callee::Lua {
            base,
            proto: proto_handle,
            env,
        })
    }

    /// Pushes the frame of a Lua function (5.1's `luaD_precall` for Lua closures).
    #[allow(clippy::too_many_arguments)]
    fn enter_lua(
        &mut self,
        func: usize,
        nargs: usize,
        nresults: i32,
        cont: Cont,
        code: LuaCode,
        shape: CallShape,
        tailcalls: u32,
    ) -> RaiseResult<()> {
        if self.th.frames.len() >= MAX_FRAMES {
            self.frames_past_limit(cont)?;
        }
        let ccalls_before = self.th.n_ccalls;
        if counts_as_ccall(cont) {
            if ccalls_before >= MAX_CCALLS {
                self.ccalls_past_limit(cont)?;
            }
            self.th.n_ccalls += 1;
        }
        if cont != Cont::Call {
            // A Lua function entered without an `OP_CALL` (a metamethod, an iterator, a callback,
            // a coroutine body) costs one unit of fuel too: metamethods calling each other need
            // no call instruction (see the fuel invariant in `interp.rs`).
            self.fuel -= 1;
        }
        let n_params = usize::from(shape.num_params);
        let is_vararg = shape.is_vararg != 0;
        let proto_needs_arg = shape.is_vararg & ferrous_compiler::VARARG_NEEDSARG != 0;
        let max_stack = usize::from(shape.max_stack_size);
        let (base, n_varargs) = if is_vararg {
            (func + 1 + nargs, nargs.saturating_sub(n_params))
        } else {
            (func + 1, 0)
        };
        let top = base + max_stack;
        if top > MAX_STACK {
            if let Err(err) = self.stack_past_limit(cont, top) {
                self.th.n_ccalls = ccalls_before;
                return Err(err);
            }
        }
        // `top < base + REGS`: this also gives the loop its whole register window.
        self.th.ensure_stack(base + crate::interp::REGS);
        let first_nil = if is_vararg {
            let stack = &mut self.th.stack;
            // 5.1's adjust_varargs: the fixed parameters move above the actual arguments.
            for j in 0..n_params {
                if j < nargs {
                    stack[base + j] = stack[func + 1 + j];
                    stack[func + 1 + j] = Value::Nil;
                } else {
                    stack[base + j] = Value::Nil;
                }
            }
            if proto_needs_arg {
                // 5.0 compatibility (`LUA_COMPAT_VARARG`): the extra arguments in a table `arg`
                // (empty when there are fewer arguments than fixed parameters).
                let extra = stack.get(func + 1 + n_params..base).unwrap_or_default();
                let mut tx = self.heap.tx();
                let arg = tx.new_table(extra.len(), 1)?;
                for (j, v) in extra.iter().enumerate() {
                    tx.raw_set_int(arg, j as i64 + 1, *v)?;
                }
                tx.raw_set_str(arg, names::N, Value::Number(extra.len() as f64))?;
                let stack = &mut self.th.stack;
                stack[base + n_params] = Value::Table(arg);
                base + n_params + 1
            } else {
                base + n_params
            }
        } else {
            base + nargs.min(n_params)
        };
        self.th.stack[first_nil..top].fill(Value::Nil);
        self.th.top = top;
        self.th.frames.push(Frame {
            func: func as u32,
            base: base as u32,
            top: top as u32,
            pc: 0,
            nresults,
            n_varargs: n_varargs as u32,
            cont,
            lua: Some(code),
            tailcalls,
            ccalls_before,
        });
        Ok(())
    }

    /// Runs the native function `id` in stack slot `func` to completion (or to its request).
    ///
    /// Performance: the closure handle is read back from the slot rather than passed: as an
    /// argument, the 12-byte `Option` went through memory in two parts and was read back in
    /// one, which stalled.
    pub(crate) fn call_native(
        &mut self,
        id: ferrous_heap::NativeFn,
        func: usize,
        nargs: usize,
        nresults: i32,
        cont: Cont,
    ) -> RaiseResult<Flow> {
        let closure = match &self.th.stack[func] {
            &Value::Function(h) => Some(h),
            _ => None,
        };
        if self.th.frames.len() >= MAX_FRAMES {
            self.frames_past_limit(cont)?;
        }
        let Some(entry) = self.natives.get(id) else {
            return Err(Raise::runtime("internal error: unknown native function"));
        };
        let f = entry.func;
        let ccalls_before = self.th.n_ccalls;
        if counts_as_ccall(cont) {
            if ccalls_before >= MAX_CCALLS {
                self.ccalls_past_limit(cont)?;
            }
            self.th.n_ccalls += 1;
        }
        let base = func + 1;
        self.th.top = base + nargs;
        self.th.ensure_stack(self.th.top + MIN_STACK);
        // The frame is pushed with a placeholder continuation that is then overwritten: built
        // whole, it was assembled in a temporary from `cont`'s narrow copies and then moved with
        // wide loads, which stalled.
        self.th.frames.push(Frame {
            func: func as u32,
            base: base as u32,
            top: (base + nargs) as u32,
            pc: 0,
            nresults,
            n_varargs: 0,
            cont: Cont::Call,
            lua: None,
            tailcalls: 0,
            ccalls_before,
        });
        if let Some(frame) = self.th.frames.last_mut() {
            frame.cont = cont;
        }
        if self.th.hook.mask != 0 {
            self.hook_native_call()?;
        }
        let ret = match f(&mut Ctx {
            vm: self,
            base,
            nargs,
            closure,
        }) {
            Ok(ret) => ret,
            Err(e) => return Err(self.raise_of(e)),
        };
        match ret.0 {
            RetKind::Values(n) => {
                if self.th.hook.mask != 0 {
                    self.hook_return()?;
                }
                let Some(frame) = self.th.frames.pop() else {
                    return Err(Raise::runtime("internal error: native frame lost"));
                };
                let start = self.th.top.saturating_sub(n);
                let flow = self.finish_call(frame, start, n);
                if !self.gc_stopped && self.heap.should_collect() {
                    // Out of line and without a `?` here: this frame is part of every nested
                    // loop's Rust stack (see `MAX_REENTRY`).
                    return self.gc_after_native(flow);
                }
                flow
            }
            RetKind::Call { func, cont } => {
                let nargs = self.th.top - func - 1;
                let depth = self.th.frames.len();
                match self.precall(func, nargs, -1, cont) {
                    Err(err)
                        if matches!(cont, Cont::Pcall | Cont::Xpcall)
                            && self.th.frames.len() == depth
                            && !matches!(err, Raise::Killed(_) | Raise::Paused) =>
                    {
                        // The call failed before its frame existed (`pcall(nil)`, stack or C
                        // stack overflow): the protected call still catches the error. A
                        // stand-in frame with the protecting continuation lets `raise` find it.
                        let ccalls_before = self.th.n_ccalls;
                        self.th.frames.push(Frame {
                            func: func as u32,
                            base: func as u32 + 1,
                            top: self.th.top as u32,
                            pc: 0,
                            nresults: -1,
                            n_varargs: 0,
                            cont,
                            lua: None,
                            tailcalls: 0,
                            ccalls_before,
                        });
                        self.raise(err)
                    }
                    other => other,
                }
            }
            RetKind::Yield(n) => self.yield_values(n),
            RetKind::Resume(ResumeRequest { thread, wrap }) => {
                // The arguments to pass: all of the native's, but the coroutine itself for
                // `coroutine.resume`.
                let nargs = self.th.top.saturating_sub(base + usize::from(!wrap));
                self.resume_thread(thread, nargs, wrap)
            }
        }
    }

    /// `OP_TAILCALL`: a Lua callee replaces the calling frame (so tail recursion runs in constant
    /// space); anything else is called normally and its results returned by the `RETURN` that
    /// follows.
    pub(crate) fn tail_call(&mut self, fi: usize, ra: usize, nargs: usize) -> RaiseResult<Flow> {
        match self.th.stack[ra] {
            Value::Function(h) => {
                if let Function::Native(nc) = self.heap.function(h)? {
                    let id = nc.id;
                    return self.call_native(id, ra, nargs, -1, Cont::Call);
                }
            }
            Value::NativeFunction(id) => return self.call_native(id, ra, nargs, -1, Cont::Call),
            _ => return self.precall(ra, nargs, -1, Cont::Call),
        }
        let frame = &self.th.frames[fi];
        let func = frame.func as usize;
        let (nresults, cont, ccalls_before) = (frame.nresults, frame.cont, frame.ccalls_before);
        let tailcalls = frame.tailcalls.saturating_add(1);
        if !self.th.open_upvalues.is_empty() {
            self.close_upvalues(frame.base as usize)?;
        }
        self.th.stack.copy_within(ra..=ra + nargs, func);
        self.th.frames.truncate(fi);
        self.th.n_ccalls = ccalls_before;
        self.precall_tail(func, nargs, nresults, cont, tailcalls)
    }

    /// Moves `n` results from `res` to `func`, adjusted to `wanted` (-1 = all).
    #[inline]
    pub(crate) fn move_results(&mut self, func: usize, res: usize, n: usize, wanted: i32) {
        if res != func {
            if n <= 4 {
                // Few results (the common case): a loop beats `memmove`'s call.
                for j in 0..n {
                    self.th.stack[func + j] = self.th.stack[res + j];
                }
            } else {
                self.th.stack.copy_within(res..res + n, func);
            }
        }
        if wanted < 0 {
            self.th.top = func + n;
        } else {
            let wanted = wanted as usize;
            if n < wanted {
                self.th.ensure_stack(func + wanted);
                self.th.stack[func + n..func + wanted].fill(Value::Nil);
            }
            self.th.top = func + wanted;
        }
    }

    /// [`Vm::post_call`] with its common case, a plain call, inlined: the results are moved
    /// where the caller wants them.
    #[inline]
    fn finish_call(&mut self, frame: Frame, res: usize, n: usize) -> RaiseResult<Flow> {
        if frame.cont == Cont::Call {
            self.th.n_ccalls = frame.ccalls_before;
            self.move_results(frame.func as usize, res, n, frame.nresults);
            Ok(Flow::Continue)
        } else {
            self.post_call(frame, res, n)
        }
    }

    /// A frame returned `n` results at `stack[res..]`: carry out its continuation.
    pub(crate) fn post_call(&mut self, frame: Frame, res: usize, n: usize) -> RaiseResult<Flow> {
        let mut frame = frame;
        let mut res = res;
        let mut n = n;
        loop {
            self.th.n_ccalls = frame.ccalls_before;
            let func = frame.func as usize;
            // The first result, read only by the continuations that use it (the common `Call`
            // moves the results; reading one it just got from a native would stall).
            macro_rules! first {
                () => {
                    if n > 0 {
                        self.th.stack[res]
                    } else {
                        Value::Nil
                    }
                };
            }
            match frame.cont {
                Cont::Call => {
                    self.move_results(func, res, n, frame.nresults);
                    return Ok(Flow::Continue);
                }
                Cont::Host => {
                    self.move_results(func, res, n, -1);
                    return Ok(Flow::Stop);
                }
                Cont::Store(slot) => {
                    self.th.stack[slot as usize] = first!();
                    return Ok(Flow::Continue);
                }
                Cont::Discard => return Ok(Flow::Continue),
                Cont::Cond { negate } => {
                    self.cond_jump(is_truthy(first!()) != negate);
                    return Ok(Flow::Continue);
                }
                Cont::Concat { slot, total } => {
                    self.th.stack[slot as usize] = first!();
                    self.concat_resume(slot as usize, total as usize)?;
                    return Ok(Flow::Continue);
                }
                Cont::ForIter => {
                    self.move_results(func, res, n, frame.nresults);
                    let control = self.th.stack[func];
                    if let Some(top) = self.th.frames.last_mut() {
                        if let Some(lua) = &top.lua {
                            let pc = top.pc as usize;
                            if !matches!(control, Value::Nil) {
                                let jump = self
                                    .heap
                                    .proto(lua.proto)
                                    .ok()
                                    .and_then(|p| p.code.get(pc))
                                    .map_or(0, |&i| (i >> 14) as isize - 131_071);
                                top.pc = (pc as isize + jump) as u32;
                                self.th.stack[func - 1] = control;
                            }
                            top.pc += 1;
                        }
                    }
                    return Ok(Flow::Continue);
                }
                Cont::Pcall | Cont::Xpcall => {
                    // The waiting `pcall`/`xpcall` native returns `true` and the results.
                    let Some(parent) = self.th.frames.pop() else {
                        return Err(Raise::runtime("internal error: pcall frame lost"));
                    };
                    let pfunc = parent.func as usize;
                    self.th.ensure_stack(pfunc + n + 1);
                    self.th.stack.copy_within(res..res + n, pfunc + 1);
                    self.th.stack[pfunc] = Value::Boolean(true);
                    frame = parent;
                    res = pfunc;
                    n += 1;
                }
                Cont::NativeReturn => {
                    let Some(parent) = self.th.frames.pop() else {
                        return Err(Raise::runtime("internal error: native frame lost"));
                    };
                    let pfunc = parent.func as usize;
                    self.th.stack[pfunc] = first!();
                    frame = parent;
                    res = pfunc;
                    n = 1;
                }
                Cont::XpcallHandler => {
                    let first = first!();
                    let (parent, at) = self.unwind_to_xpcall()?;
                    self.th.stack[at] = Value::Boolean(false);
                    self.th.stack[at + 1] = first;
                    frame = parent;
                    res = at;
                    n = 2;
                }
                Cont::CoroutineBody => {
                    return self.finish_coroutine(res, n);
                }
            }
        }
    }

    /// After a comparison metamethod: the conditional jump of the `EQ`/`LT`/`LE` being executed.
    fn cond_jump(&mut self, res: bool) {
        let Some(top) = self.th.frames.last_mut() else {
            return;
        };
        let Some(lua) = &top.lua else {
            return;
        };
        let pc = top.pc as usize;
        let code: &[u32] = self.heap.proto(lua.proto).map_or(&[], |p| &p.code);
        let a = pc
            .checked_sub(1)
            .and_then(|p| code.get(p))
            .map_or(0, |&i| (i >> 6) & 0xff);
        if res == (a != 0) {
            let jump = code.get(pc).map_or(0, |&i| (i >> 14) as isize - 131_071);
            top.pc = (pc as isize + 1 + jump) as u32;
        } else {
            top.pc += 1;
        }
    }

    /// Pops frames down to the innermost `xpcall`-protected one and its `xpcall` native frame.
    /// Returns the native frame and the slot where its results go.
    fn unwind_to_xpcall(&mut self) -> RaiseResult<(Frame, usize)> {
        let Some(idx) = self.th.frames.iter().rposition(|f| f.cont == Cont::Xpcall) else {
            return Err(Raise::runtime("internal error: xpcall frame lost"));
        };
        let protected = self.th.frames[idx];
        self.close_upvalues(protected.func as usize)?;
        self.th.frames.truncate(idx);
        self.th.n_ccalls = protected.ccalls_before;
        let Some(parent) = self.th.frames.pop() else {
            return Err(Raise::runtime("internal error: xpcall frame lost"));
        };
        let at = parent.func as usize;
        self.th.ensure_stack(at + 2);
        Ok((parent, at))
    }

    /// The slot where a call made on behalf of the top frame puts its function.
    pub(crate) fn call_slot(&mut self) -> usize {
        let slot = match self.th.frames.last() {
            Some(frame) if frame.lua.is_some() => frame.top as usize,
            _ => self.th.top,
        };
        self.th.ensure_stack(slot + 8);
        slot
    }

    /// Calls `f(args)` on behalf of the top frame; `cont` decides what happens to the results.
    pub(crate) fn call_meta(&mut self, f: Value, args: &[Value], cont: Cont) -> RaiseResult<Flow> {
        let slot = self.call_slot();
        self.th.ensure_stack(slot + args.len() + 1);
        self.th.stack[slot] = f;
        self.th.stack[slot + 1..slot + 1 + args.len()].copy_from_slice(args);
        self.th.top = slot + 1 + args.len();
        self.precall(slot, args.len(), 1, cont)
    }

    // ----- upvalues and closures -----

    /// [`Vm::get_upvalue`]'s fast path, by reference: a closed upvalue, or an open one on the
    /// running thread's stack. `None` sends the caller to the slow path.
    #[inline]
    pub(crate) fn upvalue_fast(
        &self,
        closure: ferrous_heap::FunctionHandle,
        idx: usize,
    ) -> Option<&Value> {
        let Ok(Function::Lua(cl)) = self.heap.function(closure) else {
            return None;
        };
        match self.heap.upvalue_ref(*cl.upvalues.get(idx)?).ok()? {
            UpValue::Closed(v) => Some(v),
            UpValue::Open { thread, slot } if *thread == self.current => {
                self.th.stack.get(*slot as usize)
            }
            UpValue::Open { .. } => None,
        }
    }

    /// Reads upvalue `idx` of a Lua closure.
    pub(crate) fn get_upvalue(
        &self,
        closure: ferrous_heap::FunctionHandle,
        idx: usize,
    ) -> RaiseResult<Value> {
        let Function::Lua(cl) = self.heap.function(closure)? else {
            return Ok(Value::Nil);
        };
        let Some(&uv) = cl.upvalues.get(idx) else {
            return Ok(Value::Nil);
        };
        match self.heap.upvalue(uv)? {
            UpValue::Closed(v) => Ok(v),
            UpValue::Open { thread, slot } => Ok(self.thread_slot(thread, slot as usize)),
        }
    }

    /// [`Vm::set_upvalue`]'s fast path: true if the write was done (a closed upvalue, or an
    /// open one on the running thread's stack).
    #[inline]
    pub(crate) fn set_upvalue_fast(
        &mut self,
        closure: ferrous_heap::FunctionHandle,
        idx: usize,
        value: Value,
    ) -> bool {
        let Ok(Function::Lua(cl)) = self.heap.function(closure) else {
            return false;
        };
        let Some(&uv) = cl.upvalues.get(idx) else {
            return false;
        };
        match self.heap.upvalue_ref(uv) {
            Ok(&UpValue::Open { thread, slot }) if thread == self.current => {
                match self.th.stack.get_mut(slot as usize) {
                    Some(v) => {
                        *v = value;
                        true
                    }
                    None => false,
                }
            }
            Ok(UpValue::Closed(_)) => self
                .heap
                .tx()
                .set_upvalue(uv, UpValue::Closed(value))
                .is_ok(),
            _ => false,
        }
    }

    /// Writes upvalue `idx` of a Lua closure.
    pub(crate) fn set_upvalue(
        &mut self,
        closure: ferrous_heap::FunctionHandle,
        idx: usize,
        value: Value,
    ) -> RaiseResult<()> {
        let Function::Lua(cl) = self.heap.function(closure)? else {
            return Ok(());
        };
        let Some(&uv) = cl.upvalues.get(idx) else {
            return Ok(());
        };
        match self.heap.upvalue(uv)? {
            UpValue::Closed(_) => Ok(self.heap.tx().set_upvalue(uv, UpValue::Closed(value))?),
            UpValue::Open { thread, slot } => self.set_thread_slot(thread, slot as usize, value),
        }
    }

    /// A stack slot of any thread (the running one, or a suspended one in the heap).
    fn thread_slot(&self, thread: ThreadHandle, slot: usize) -> Value {
        if thread == self.current {
            return self.th.stack.get(slot).copied().unwrap_or(Value::Nil);
        }
        self.heap
            .thread(thread)
            .ok()
            .and_then(|t| t.downcast_ref::<ThreadState>())
            .and_then(|state| state.stack.get(slot).copied())
            .unwrap_or(Value::Nil)
    }

    fn set_thread_slot(
        &mut self,
        thread: ThreadHandle,
        slot: usize,
        value: Value,
    ) -> RaiseResult<()> {
        if thread == self.current {
            if let Some(v) = self.th.stack.get_mut(slot) {
                *v = value;
            }
            return Ok(());
        }
        let mut tx = self.heap.tx();
        if let Some(state) = tx.thread_mut(thread)?.downcast_mut::<ThreadState>() {
            if let Some(v) = state.stack.get_mut(slot) {
                *v = value;
            }
        }
        Ok(())
    }

    /// The open upvalue for stack slot `slot` of the running thread, created if needed.
    fn find_upvalue(&mut self, slot: usize) -> RaiseResult<ferrous_heap::UpValueHandle> {
        let slot32 = slot as u32;
        match self
            .th
            .open_upvalues
            .binary_search_by_key(&slot32, |(s, _)| *s)
        {
            Ok(pos) => Ok(self.th.open_upvalues[pos].1),
            Err(pos) => {
                let uv = self.heap.tx().new_upvalue(UpValue::Open {
                    thread: self.current,
                    slot: slot32,
                })?;
                self.th.open_upvalues.insert(pos, (slot32, uv));
                Ok(uv)
            }
        }
    }

    /// Closes the open upvalues of slots `level` and above (5.1's `luaF_close`).
    pub(crate) fn close_upvalues(&mut self, level: usize) -> RaiseResult<()> {
        let level = level as u32;
        while let Some(&(slot, uv)) = self.th.open_upvalues.last() {
            if slot < level {
                break;
            }
            self.th.open_upvalues.pop();
            let value = self.th.stack[slot as usize];
            self.heap.tx().set_upvalue(uv, UpValue::Closed(value))?;
        }
        Ok(())
    }

    /// `OP_CLOSURE`: creates a closure of child prototype `bx`; `pseudo` are the instructions that
    /// follow (its upvalue descriptions). Returns how many of them it consumed.
    pub(crate) fn make_closure(
        &mut self,
        parent: ferrous_heap::FunctionHandle,
        bx: usize,
        base: usize,
        pseudo: &[u32],
        ra: usize,
    ) -> RaiseResult<usize> {
        let Function::Lua(cl) = self.heap.function(parent)? else {
            return Err(Raise::runtime(
                "internal error: CLOSURE outside a Lua function",
            ));
        };
        let env = cl.env;
        let Some(&child) = self.heap.proto(cl.proto)?.protos.get(bx) else {
            return Err(Raise::runtime("internal error: bad prototype index"));
        };
        let shape = self.heap.proto(child)?.call_shape();
        let nups = usize::from(shape.num_upvalues);
        let mut buf = [None; UpValueList::INLINE];
        let mut boxed = Vec::new();
        for (j, &ins) in pseudo.iter().take(nups).enumerate() {
            let b = (ins >> 23) as usize;
            let uv = if ins & 0x3f == ferrous_compiler::OpCode::Move as u32 {
                self.find_upvalue(base + b)?
            } else {
                // The parent's upvalue, looked up again rather than cloning the parent's list.
                let uv = match self.heap.function(parent)? {
                    Function::Lua(cl) => cl.upvalues.get(b).copied(),
                    Function::Native(_) => None,
                };
                let Some(uv) = uv else {
                    return Err(Raise::runtime("internal error: bad upvalue index"));
                };
                uv
            };
            if nups <= UpValueList::INLINE {
                buf[j] = Some(uv);
            } else {
                boxed.push(uv);
            }
        }
        let upvalues = if nups > UpValueList::INLINE {
            UpValueList::Boxed(boxed.into_boxed_slice())
        } else if let [Some(first), second] = buf {
            UpValueList::Inline {
                len: nups as u8,
                items: [first, second.unwrap_or(first)],
            }
        } else {
            UpValueList::new()
        };
        let f = self.heap.tx().new_function(Function::Lua(LuaClosure {
            proto: child,
            shape,
            upvalues,
            env,
        }))?;
        self.th.stack[ra] = Value::Function(f);
        Ok(nups)
    }

    // ----- running from the host and re-entering from natives -----

    /// Calls `f(args)` and runs it to completion, returning its results. Used by the host and by
    /// natives that need a Lua function's results (`table.sort`, `gsub`, `tostring`): these
    /// nest at most `MAX_CCALLS` deep. Errors come back as [`Raise::Value`].
    pub(crate) fn call_value(&mut self, f: Value, args: &[Value]) -> RaiseResult<Vec<Value>> {
        let func = self.call_in_place(f, args)?;
        let results = self.th.stack[func..self.th.top].to_vec();
        self.th.top = func;
        Ok(results)
    }

    /// [`Vm::call_value`] keeping only the first result (nil if none), without allocating:
    /// `table.sort` comparators, `gsub` callbacks, `__tostring`.
    pub(crate) fn call_value1(&mut self, f: Value, args: &[Value]) -> RaiseResult<Value> {
        let func = self.call_in_place(f, args)?;
        let first = if self.th.top > func {
            self.th.stack[func]
        } else {
            Value::Nil
        };
        self.th.top = func;
        Ok(first)
    }

    /// Runs `f(args)` to completion; its results are left at `stack[func..top]`, and `func` is
    /// returned. Kept out of line (measured: with it inlined into `table.sort`'s comparator
    /// calls, `sort.lua` ran 5% slower).
    #[inline(never)]
    fn call_in_place(&mut self, f: Value, args: &[Value]) -> RaiseResult<usize> {
        let nested = !self.th.frames.is_empty();
        if nested && (self.th.n_ccalls >= MAX_CCALLS || self.reentry >= MAX_REENTRY) {
            return Err(Raise::runtime("C stack overflow"));
        }
        let func = self.call_slot();
        self.th.ensure_stack(func + args.len() + MIN_STACK);
        self.th.stack[func] = f;
        self.th.stack[func + 1..func + 1 + args.len()].copy_from_slice(args);
        self.th.top = func + 1 + args.len();
        let depth = self.th.frames.len();
        let saved_ccalls = self.th.n_ccalls;
        if nested {
            self.th.n_ccalls += 1;
            self.reentry += 1;
        }
        let res = self.run_call(func, args.len(), depth);
        if nested {
            self.reentry -= 1;
            self.th.n_ccalls = saved_ccalls;
        }
        res?;
        Ok(func)
    }

    /// Calls the function at `func` as a host-level call and runs the loop until it returns.
    fn run_call(&mut self, func: usize, nargs: usize, depth: usize) -> RaiseResult<()> {
        // A Lua function with fixed parameters (sort comparators, gsub callbacks): its frame is
        // pushed without `precall`'s dispatch.
        let entered = match self.th.stack[func] {
            Value::Function(h) => self.enter_lua_call(h, func, nargs, -1, true),
            _ => Ok(Callee::Other),
        };
        let res = match entered {
            Ok(Callee::Lua { .. }) => Ok(Flow::Continue),
            Ok(Callee::Native(id)) => self.call_native(id, func, nargs, -1, Cont::Host),
            Ok(Callee::Other) => self.precall(func, nargs, -1, Cont::Host),
            Err(err) => Err(err),
        };
        match res {
            Ok(Flow::Stop) => return Ok(()),
            Ok(Flow::Continue) => {}
            Err(err) if self.th.frames.len() <= depth => {
                // The call failed before any frame was pushed: the error belongs to the caller.
                let value = self.error_to_value(err);
                return Err(Raise::Value(value));
            }
            Err(err) => match self.raise(err)? {
                Flow::Stop => return Ok(()),
                Flow::Continue => {}
            },
        }
        self.run_loop()
    }

    /// Runs the loop until the innermost host-level frame returns, handling errors on the way.
    pub(crate) fn run_loop(&mut self) -> RaiseResult<()> {
        loop {
            match self.execute() {
                Ok(Exit::Returned) => return Ok(()),
                Ok(Exit::Paused) => return Err(Raise::Paused),
                Err(err) => match self.raise(err)? {
                    Flow::Stop => return Ok(()),
                    Flow::Continue => {}
                },
            }
        }
    }

    // ----- errors -----

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
                    match self.th.frames.pop() {
                        Some(parent) => {
                            let at = parent.func as usize;
                            self.th.ensure_stack(at + 2);
                            self.th.stack[at] = Value::Boolean(false);
                            self.th.stack[at + 1] = value;
                            self.post_call(parent, at, 2)
                        }
                        None => Err(Raise::runtime("internal error: pcall frame lost")),
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

    // ----- coroutines -----

    /// Takes a suspended thread's state out of the heap.
    fn take_thread_state(&mut self, thread: ThreadHandle) -> RaiseResult<Box<ThreadState>> {
        let payload = self.heap.tx().thread_mut(thread)?.payload.take();
        let Some(payload) = payload else {
            return Err(Raise::runtime("internal error: thread state missing"));
        };
        let any: Box<dyn std::any::Any> = payload;
        any.downcast::<ThreadState>()
            .map_err(|_| Raise::runtime("internal error: thread state of another kind"))
    }

    /// Makes `thread` (whose state is `state`) the running thread. Returns the handle and the
    /// state of the thread that was running, in the box `state` came in (a switch allocates
    /// nothing); the caller hands them back with [`Vm::put_thread_state`].
    ///
    /// Performance: callers write the two states' fields after the swap, not before: the swap
    /// copies the state with wide loads, which stall on fields just written.
    fn swap_state(
        &mut self,
        thread: ThreadHandle,
        mut state: Box<ThreadState>,
    ) -> (ThreadHandle, Box<ThreadState>) {
        std::mem::swap(&mut self.th, &mut *state);
        let old_handle = std::mem::replace(&mut self.current, thread);
        if self.th.hook.mask != 0 || self.loop_hooked {
            // The threads' hooks may differ (`hook.rs`): the loop may switch copies.
            self.thread_switched_hooks();
        }
        (old_handle, state)
    }

    /// Stores the state of a thread that is not running in its heap object.
    fn put_thread_state(
        &mut self,
        thread: ThreadHandle,
        state: Box<ThreadState>,
    ) -> RaiseResult<()> {
        self.heap.tx().thread_mut(thread)?.payload = Some(state);
        Ok(())
    }

    /// Makes `thread` the running thread; the state of the running one goes back to the heap.
    fn switch_to(&mut self, thread: ThreadHandle, state: Box<ThreadState>) -> RaiseResult<()> {
        let (old_handle, old) = self.swap_state(thread, state);
        self.put_thread_state(old_handle, old)
    }

    /// `coroutine.resume`/`wrap`: the running thread's top frame is the resuming native; the
    /// last `nargs` values on its stack go to the coroutine.
    /// `coroutine.resume` checks the coroutine's status itself (a bad status is a result, not
    /// an error); for `wrap` it is checked here, on the state taken out of the heap.
    fn resume_thread(&mut self, co: ThreadHandle, nargs: usize, wrap: bool) -> RaiseResult<Flow> {
        if co == self.current {
            return Err(Raise::native("cannot resume running coroutine"));
        }
        let state = self.take_thread_state(co)?;
        if state.status != CoStatus::Suspended || self.th.n_ccalls >= MAX_CCALLS {
            let status = state.status;
            self.put_thread_state(co, state)?;
            if status != CoStatus::Suspended {
                return Err(Raise::native(format!(
                    "cannot resume {} coroutine",
                    status.name()
                )));
            }
            return Err(Raise::runtime("C stack overflow"));
        }
        let (resumer, mut old) = self.swap_state(co, state);
        let args_start = old.top - nargs;
        old.top = args_start;
        old.status = CoStatus::Normal;
        let n_ccalls = old.n_ccalls + 1;
        let first_time = self.th.frames.is_empty();
        let top = self.th.top;
        self.th.ensure_stack(top + nargs + MIN_STACK);
        self.th.stack[top..top + nargs].copy_from_slice(&old.stack[args_start..args_start + nargs]);
        self.th.top = top + nargs;
        self.th.resumer = Some(resumer);
        self.th.status = CoStatus::Running;
        self.th.wrapped = wrap;
        self.th.n_ccalls = n_ccalls;
        self.th.base_ccalls = n_ccalls;
        self.put_thread_state(resumer, old)?;
        if first_time {
            let nargs = self.th.top - 1;
            self.precall(0, nargs, -1, Cont::CoroutineBody)
        } else {
            let Some(frame) = self.th.frames.pop() else {
                return Err(Raise::runtime("internal error: yield frame lost"));
            };
            let start = self.th.top - nargs;
            self.finish_call(frame, start, nargs)
        }
    }

    /// `coroutine.yield`: the running coroutine's top frame is the yielding native.
    fn yield_values(&mut self, n: usize) -> RaiseResult<Flow> {
        let Some(resumer) = self.th.resumer else {
            return Err(Raise::runtime(
                "attempt to yield across metamethod/C-call boundary",
            ));
        };
        if self.th.n_ccalls > self.th.base_ccalls {
            return Err(Raise::runtime(
                "attempt to yield across metamethod/C-call boundary",
            ));
        }
        let start = self.th.top - n;
        let wrapped = self.th.wrapped;
        self.return_to_resumer(resumer, start, n, wrapped, true)
    }

    /// The coroutine's body returned `n` results at `res`.
    fn finish_coroutine(&mut self, res: usize, n: usize) -> RaiseResult<Flow> {
        self.th.status = CoStatus::Dead;
        self.th.frames.clear();
        self.th.top = 0;
        let Some(resumer) = self.th.resumer.take() else {
            return Err(Raise::runtime("internal error: coroutine without resumer"));
        };
        let wrapped = self.th.wrapped;
        self.return_to_resumer(resumer, res, n, wrapped, true)
    }

    /// An error reached the bottom of a coroutine: it dies, and the resumer gets the error.
    fn coroutine_failed(&mut self, value: Value, killed: Option<Vec<u8>>) -> RaiseResult<Flow> {
        self.close_upvalues(0)?;
        self.th.status = CoStatus::Dead;
        // Kept for `debug.traceback(co)`, as 5.1 keeps a failed coroutine's stack.
        self.th.error_frames = Some(std::mem::take(&mut self.th.frames).into_boxed_slice());
        self.th.top = 0;
        self.th.n_ccalls = 0;
        let Some(resumer) = self.th.resumer.take() else {
            return Err(Raise::runtime("internal error: coroutine without resumer"));
        };
        let wrapped = self.th.wrapped;
        // Keep the error value alive in the dead coroutine's stack while switching.
        self.th.stack[0] = value;
        if killed.is_none() && !wrapped {
            return self.return_to_resumer(resumer, 0, 1, false, false);
        }
        let state = self.take_thread_state(resumer)?;
        self.switch_to(resumer, state)?;
        if let Some(msg) = killed {
            return Err(Raise::Killed(msg));
        }
        if wrapped {
            // `coroutine.wrap` propagates the error, with the caller's position added to strings.
            let value = match value {
                Value::String(s) => {
                    let mut msg = self.where_(1);
                    msg.extend_from_slice(self.heap.str_bytes(s)?);
                    self.message_value(&msg)
                }
                Value::Number(x) => {
                    let mut msg = self.where_(1);
                    crate::number::fmt_number(x, &mut msg);
                    self.message_value(&msg)
                }
                other => other,
            };
            return Err(Raise::Value(value));
        }
        Err(Raise::runtime("internal error: coroutine error lost"))
    }

    /// Switches back to `resumer` and returns from the resuming native on top of it: `true,
    /// values...` for `resume` (or `false, err`), just the values for `wrap`. The values are
    /// `stack[start..start + n]` of the thread being left; they are copied straight into the
    /// resumer's stack. The thread being left is suspended at `start` (a yield) unless it is
    /// dead already.
    fn return_to_resumer(
        &mut self,
        resumer: ThreadHandle,
        start: usize,
        n: usize,
        wrapped: bool,
        ok: bool,
    ) -> RaiseResult<Flow> {
        let state = self.take_thread_state(resumer)?;
        let (left, mut old) = self.swap_state(resumer, state);
        if old.status != CoStatus::Dead {
            old.top = start;
            old.status = CoStatus::Suspended;
            old.resumer = None;
        }
        let Some(frame) = self.th.frames.pop() else {
            self.put_thread_state(left, old)?;
            return Err(Raise::runtime("internal error: resume frame lost"));
        };
        let res = self.th.top;
        self.th.ensure_stack(res + n + 1);
        let mut top = res;
        if !wrapped {
            self.th.stack[top] = Value::Boolean(ok);
            top += 1;
        }
        self.th.stack[top..top + n].copy_from_slice(&old.stack[start..start + n]);
        self.th.top = top + n;
        self.put_thread_state(left, old)?;
        self.finish_call(frame, res, top + n - res)
    }
}
