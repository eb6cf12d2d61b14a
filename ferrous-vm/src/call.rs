//! The call protocol: entering Lua and native functions (with the stack and C-call limits),
//! tail calls, and returning through continuations.
//!
//! Every call pushes a [`Frame`] whose [`Cont`] says what the caller does with the results; a
//! return pops it and [`Vm::post_call`] carries that out (the loop inlines the common
//! `Cont::Call` and `Cont::Host` returns). Nothing here calls the interpreter loop: the loop runs
//! whatever frame is on top. The neighbouring modules: `call_limits.rs` (what happens when a
//! call would pass a limit), `call_results.rs` (moving results and parameters), `upvalue.rs`
//! (upvalues and closures),
//! `unwind.rs` (errors to protected calls), `coswitch.rs` (coroutine resume/yield),
//! `reentry.rs` (the host and natives running Lua to completion, the one place that runs the
//! loop). None of them imports the loop (`interp.rs`); the loop imports this module.
//!
//! Invariants:
//! - A frame with a counting continuation (metamethods, protected calls, re-entries) adds one to
//!   `n_ccalls`; popping any frame restores the count saved in it (`ccalls_before`).
//! - A Lua frame's whole register window (`stack[base..base + REGS]`) exists once it is pushed.
//! - Past `MAX_FRAMES`, `MAX_STACK` or `MAX_CCALLS` a call fails before its frame is pushed,
//!   except within the extra room a running `xpcall` message handler gets (`past_limit`).

use ferrous_compiler::Instruction;
use ferrous_heap::{CallShape, Function, Value, names};

use crate::call_limits::counts_as_ccall;
use crate::call_results::{frame_base, move_fixed_params};
use crate::error::{Raise, RaiseResult};
use crate::native::{Ctx, ResumeRequest, Ret, RetKind};
use crate::thread::{Cont, Frame, LuaCode, REGS};
use crate::value::is_truthy;
use crate::vm::{MAX_CCALLS, MAX_FRAMES, MAX_STACK, Vm};

/// 5.1's `LUA_MINSTACK`: free slots a native function may use without asking.
pub(crate) const MIN_STACK: usize = 20;

/// Why the loop stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    /// The host-level frame returned; its results are at `stack[func..top]`.
    Returned,
    /// The fuel ran out; calling `execute` again continues where it stopped.
    Paused,
}

/// What happened to a call request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    /// Execution continues in whatever Lua frame is now on top.
    Continue,
    /// A host-level frame returned.
    Stop,
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
    ///
    /// Inlined into the loop in optimized builds only: in a debug build its locals would add to
    /// the loop's stack frame, and `MAX_REENTRY` nested loops must fit in a thread's stack.
    #[cfg_attr(debug_assertions, inline(never))]
    #[cfg_attr(not(debug_assertions), inline(always))]
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
        if shape.is_vararg & ferrous_compiler::VARARG_NEEDSARG != 0 {
            return Ok(Callee::Other);
        }
        if self.th.frames.len() >= MAX_FRAMES {
            self.frames_past_limit(Cont::Call)?;
        }
        let (base, n_varargs) = frame_base(func, nargs, shape);
        let top = base + usize::from(shape.max_stack_size);
        if top > MAX_STACK {
            self.stack_past_limit(Cont::Call, top)?;
        }
        self.set_up_registers(func, base, nargs, shape);
        let ccalls_before = self.th.n_ccalls;
        self.th.frames.push(Frame {
            func: func as u32,
            base: base as u32,
            top: top as u32,
            pc: 0,
            nresults,
            n_varargs: n_varargs as u32,
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
            // As the frame holds it: the loop then knows `base` fits in 32 bits, and its
            // register window (`base..base + REGS`) needs no overflow check.
            base: base as u32 as usize,
            proto: proto_handle,
            env,
        })
    }

    /// [`Vm::tail_call`]'s fast path: if `closure` (in slot `ra`, called with `nargs` arguments)
    /// is a Lua function that does not need 5.0's `arg` table and the calling frame `fi` is a
    /// plain call, the callee takes over that frame in place, with the state the general path
    /// leaves (upvalues closed, callee and arguments moved down, one more tail call counted)
    /// but without popping and pushing the frame or looking the callee up a second time.
    /// Returns false, having changed nothing, when it does not apply (an `arg` table to build,
    /// another continuation, a limit reached: the general path then does it, errors included).
    /// The loop picks the new frame up from the frame stack, as after any tail call; inlined
    /// into the loop, this took registers from every other instruction (array.lua ran 1% more
    /// instructions).
    #[inline(always)]
    fn enter_lua_tail(
        &mut self,
        closure: ferrous_heap::FunctionHandle,
        fi: usize,
        ra: usize,
        nargs: usize,
    ) -> RaiseResult<bool> {
        let Function::Lua(cl) = self.heap.function(closure)? else {
            return Ok(false);
        };
        let (proto, env, shape) = (cl.proto, cl.env, cl.shape);
        let Some(frame) = self.th.frames.get(fi) else {
            return Ok(false);
        };
        let needs_arg = shape.is_vararg & ferrous_compiler::VARARG_NEEDSARG != 0;
        if needs_arg || frame.cont != Cont::Call || fi >= MAX_FRAMES {
            return Ok(false);
        }
        let (func, old_base, ccalls_before) = (
            frame.func as usize,
            frame.base as usize,
            frame.ccalls_before,
        );
        let (base, n_varargs) = frame_base(func, nargs, shape);
        let top = base + usize::from(shape.max_stack_size);
        if top > MAX_STACK {
            return Ok(false);
        }
        if let Some(&(slot, _)) = self.th.open_upvalues.last() {
            if slot as usize >= old_base {
                self.close_upvalues(old_base)?;
            }
        }
        self.th.stack.copy_within(ra..=ra + nargs, func);
        self.th.n_ccalls = ccalls_before;
        self.set_up_registers(func, base, nargs, shape);
        if let Some(frame) = self.th.frames.get_mut(fi) {
            frame.base = base as u32;
            frame.top = top as u32;
            frame.pc = 0;
            frame.n_varargs = n_varargs as u32;
            frame.lua = Some(LuaCode {
                closure,
                proto,
                env,
            });
            frame.tailcalls = frame.tailcalls.saturating_add(1);
        }
        Ok(true)
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
        let (base, n_varargs) = frame_base(func, nargs, shape);
        let top = base + max_stack;
        if top > MAX_STACK {
            if let Err(err) = self.stack_past_limit(cont, top) {
                self.th.n_ccalls = ccalls_before;
                return Err(err);
            }
        }
        // `top < base + REGS`: this also gives the loop its whole register window.
        self.th.ensure_stack(base + REGS);
        let first_nil = if is_vararg {
            move_fixed_params(&mut self.th.stack, func, base, nargs, n_params);
            let stack = &self.th.stack;
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
        let Some(entry) = self.natives.get(id) else {
            return Err(Raise::runtime("internal error: unknown native function"));
        };
        let f = entry.func;
        if entry.leaf
            && cont == Cont::Call
            && self.th.hook.mask == 0
            && self.th.frames.len() < MAX_FRAMES
        {
            return self.call_leaf(f, func, nargs, nresults, closure);
        }
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
        let base = func + 1;
        self.th.top = base + nargs;
        self.th.ensure_stack(self.th.top + MIN_STACK);
        self.push_native_frame(func, nargs, nresults, cont, ccalls_before);
        if self.th.hook.mask != 0 {
            self.hook_native_call()?;
        }
        if id == self.switch_natives[0] || id == self.switch_natives[1] {
            // `coroutine.yield` and `wrap`'s functions switch threads without a `Ctx`.
            return self.switch_native(id, nargs, closure);
        }
        let ret = f(&mut Ctx {
            vm: self,
            base,
            nargs,
            closure,
        });
        self.native_returned(ret, base)
    }

    /// Pushes the frame of native function in slot `func` called with `nargs` arguments.
    ///
    /// Performance: the frame is pushed with a placeholder continuation that is then
    /// overwritten: built whole, it was assembled in a temporary from `cont`'s narrow copies and
    /// then moved with wide loads, which stalled.
    #[inline(always)]
    fn push_native_frame(
        &mut self,
        func: usize,
        nargs: usize,
        nresults: i32,
        cont: Cont,
        ccalls_before: u32,
    ) {
        let base = func + 1;
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
    }

    /// A plain call (`Cont::Call`, no hook) of the leaf native `f` (see `NativeEntry::leaf`):
    /// no frame unless it fails or returns a request, and then the frame `call_native` would
    /// have pushed, before the error or the request is carried out, so that error messages,
    /// levels and continuations see what they would have seen.
    fn call_leaf(
        &mut self,
        f: crate::native::NativeFunction,
        func: usize,
        nargs: usize,
        nresults: i32,
        closure: Option<ferrous_heap::FunctionHandle>,
    ) -> RaiseResult<Flow> {
        let base = func + 1;
        self.th.top = base + nargs;
        self.th.ensure_stack(self.th.top + MIN_STACK);
        let ret = f(&mut Ctx {
            vm: self,
            base,
            nargs,
            closure,
        });
        let Ok(Ret(RetKind::Values(n))) = ret else {
            let ccalls_before = self.th.n_ccalls;
            self.push_native_frame(func, nargs, nresults, Cont::Call, ccalls_before);
            return self.native_returned(ret, base);
        };
        let res = self.th.top.saturating_sub(n);
        self.place_results(func, res, n, nresults);
        if self.collection_due() {
            return self.gc_after_native(Ok(Flow::Continue));
        }
        Ok(Flow::Continue)
    }

    /// What a native whose frame (from slot `base - 1`) is on top returned: its results
    /// returned, its error raised, or its request carried out.
    #[inline(always)]
    fn native_returned(
        &mut self,
        ret: crate::error::Result<Ret>,
        base: usize,
    ) -> RaiseResult<Flow> {
        let ret = match ret {
            Ok(ret) => ret,
            Err(e) => return Err(self.raise_of(e)),
        };
        match ret.0 {
            RetKind::Values(n) => {
                if self.th.hook.mask != 0 {
                    self.hook_return()?;
                }
                let start = self.th.top.saturating_sub(n);
                self.finish_native(start, n)
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
                if self.enter_lua_tail(h, fi, ra, nargs)? {
                    return Ok(Flow::Continue);
                }
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

    /// Pops the native frame on top, which returned `n` results at `stack[res..]`: what
    /// [`Vm::post_call`] does, with its common case, a plain call, inlined.
    ///
    /// Performance: the plain call reads the four fields it needs in place. Popping the whole
    /// frame copied it with 16-byte loads of the narrower stores that had just pushed it, which
    /// stalled on every native call.
    #[inline(always)]
    fn finish_native(&mut self, res: usize, n: usize) -> RaiseResult<Flow> {
        let Some(&Frame {
            cont,
            func,
            nresults,
            ccalls_before,
            ..
        }) = self.th.frames.last()
        else {
            return Err(Raise::runtime("internal error: native frame lost"));
        };
        if cont == Cont::Call {
            self.th.frames.truncate(self.th.frames.len() - 1);
            self.th.n_ccalls = ccalls_before;
            self.place_results(func as usize, res, n, nresults);
            if self.collection_due() {
                return self.gc_after_native(Ok(Flow::Continue));
            }
            // The result is built here, in the caller's return slot: kept in a variable and
            // copied there, its 16-byte load read the narrower stores that had just written it,
            // which stalled.
            return Ok(Flow::Continue);
        }
        let Some(frame) = self.th.frames.pop() else {
            return Err(Raise::runtime("internal error: native frame lost"));
        };
        let flow = self.post_call(frame, res, n);
        if self.collection_due() {
            return self.gc_after_native(flow);
        }
        flow
    }

    /// Whether a native call's return is a safe point to collect at: the heap asks for it and
    /// the collector is not stopped. The collection itself is out of line
    /// (`Vm::gc_after_native`), without a `?` in `call_native`: that frame is part of every
    /// nested loop's Rust stack (see `MAX_REENTRY`).
    #[inline(always)]
    fn collection_due(&self) -> bool {
        !self.gc_stopped && self.heap.should_collect()
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
                                    .map_or(0, |&i| Instruction(i).sbx() as isize);
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
                    self.native_return_hook(res + n)?;
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
                    self.native_return_hook(res + n)?;
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
                    // Kept alive while `xpcall`'s return hook may run (`unwind_to_xpcall`).
                    self.error_value = first;
                    let unwound = self.unwind_to_xpcall();
                    self.error_value = Value::Nil;
                    let (parent, at) = unwound?;
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

    /// The `return` event of the native frame on top (a `pcall`, `xpcall` or `tostring` whose
    /// callee's results are ready), as 5.1's `luaD_poscall` fires it for a C function: with
    /// `th.top` at `live_top`, so the hook's call goes above the results (`fire_hook` restores
    /// it).
    pub(crate) fn native_return_hook(&mut self, live_top: usize) -> RaiseResult<()> {
        if self.th.hook.mask == 0 {
            return Ok(());
        }
        self.th.top = live_top;
        self.hook_return()
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
            .map_or(0, |&i| Instruction(i).a());
        if res == (a != 0) {
            let jump = code.get(pc).map_or(0, |&i| Instruction(i).sbx() as isize);
            top.pc = (pc as isize + 1 + jump) as u32;
        } else {
            top.pc += 1;
        }
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
}
