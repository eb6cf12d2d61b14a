//! Coroutine switching: `coroutine.resume`/`wrap` and `coroutine.yield` as the loop carries
//! them out (natives ask for them with `Ret`), a coroutine body's return and its death by
//! error.
//!
//! The running thread's state is `Vm::th`; a switch swaps it with the `ThreadState` of the other
//! thread (the swap reuses that state's box, and the values passed are copied straight between
//! the two stacks, into the slots where the receiving frame wants its results: a switch
//! allocates nothing and moves each value once). The state of the thread that stopped running
//! last stays parked in `Vm::parked` until another one stops; the others are in their heap
//! objects. A coroutine resumed again and again by the same thread (a generator) thus switches
//! with no heap lookup: each side finds the other's state parked.
//!
//! Invariants:
//! - Exactly one thread's state is in `Vm::th` (`Vm::current`); at most one other is parked,
//!   every other thread's state is its heap payload. Collections put the parked one back in
//!   its heap object first (`unpark_thread`), so the collector sees all of them, and a parked
//!   thread is never collected. Code reading another thread's state goes through
//!   `Vm::thread_state`/`with_thread_state_mut`, which look in both places.
//! - A coroutine is resumed only when suspended; the resumer is `Normal` while it runs, and
//!   yielding is allowed only at the `n_ccalls` level it was resumed at (`base_ccalls`).
//! - A suspended coroutine's frames count their `ccalls_before` from the `base_ccalls` of its
//!   last resume; a resume from another level shifts them all (`rebase_ccalls`), so the count
//!   stays the resumer's plus the coroutine's own nesting, as 5.1's `nCcalls`.
//! - Both states' fields are written after the swap, never before (the swap's wide copies
//!   stall on fields written just before).

use ferrous_heap::{FunctionHandle, NativeFn, ThreadHandle, Value};

use crate::call::{Flow, MIN_STACK};
use crate::error::{Raise, RaiseResult};
use crate::thread::{CoStatus, Cont, ThreadState};
use crate::vm::{MAX_CCALLS, Vm};

/// Copies the values passed between two threads' stacks (`to.len() == from.len()`). Usually
/// one or two: a loop beats `memcpy`'s call, as in `Vm::move_results`.
#[inline(always)]
fn copy_values(to: &mut [Value], from: &[Value]) {
    if to.len() <= 4 {
        for (t, f) in to.iter_mut().zip(from) {
            *t = *f;
        }
    } else {
        to.copy_from_slice(from);
    }
}

/// The error of a switch whose bookkeeping is broken (a missing payload or frame).
#[cold]
#[inline(never)]
fn internal(msg: &'static str) -> Raise {
    Raise::runtime(msg)
}

impl Vm {
    /// Takes the state of a thread that is not running: parked, or out of its heap object.
    #[inline(always)]
    fn take_thread_state(&mut self, thread: ThreadHandle) -> RaiseResult<Box<ThreadState>> {
        if matches!(&self.parked, Some((parked, _)) if *parked == thread) {
            if let Some((_, state)) = self.parked.take() {
                return Ok(state);
            }
        }
        self.take_heap_thread_state(thread)
    }

    /// Takes a thread's state out of its heap object.
    fn take_heap_thread_state(&mut self, thread: ThreadHandle) -> RaiseResult<Box<ThreadState>> {
        let payload = match self.heap.tx().thread_mut(thread) {
            Ok(t) => t.payload.take(),
            Err(_) => return Err(internal("internal error: thread state missing")),
        };
        let Some(payload) = payload else {
            return Err(internal("internal error: thread state missing"));
        };
        let any: Box<dyn std::any::Any> = payload;
        any.downcast::<ThreadState>()
            .map_err(|_| internal("internal error: thread state of another kind"))
    }

    /// Makes `thread` (whose state is `state`) the running thread. Returns the handle and the
    /// state of the thread that was running, in the box `state` came in (a switch allocates
    /// nothing); the caller hands them back with [`Vm::put_thread_state`].
    ///
    /// Performance: callers write the two states' fields after the swap, not before: the swap
    /// copies the state with wide loads, which stall on fields just written. Not inlined: on
    /// its own it swaps 16 bytes at a time, inlined into its callers 8 (twice the instructions).
    #[inline(never)]
    fn swap_state(
        &mut self,
        thread: ThreadHandle,
        mut state: Box<ThreadState>,
    ) -> (ThreadHandle, Box<ThreadState>) {
        std::mem::swap(&mut self.th, &mut *state);
        let old_handle = std::mem::replace(&mut self.current, thread);
        // The slots of open upvalues it remembers are the other thread's.
        self.upvals.forget_places();
        if self.th.hook.mask != 0 || self.loop_hooked {
            // The threads' hooks may differ (`hook.rs`): the loop may switch copies.
            self.thread_switched_hooks();
        }
        (old_handle, state)
    }

    /// Parks the state of a thread that stopped running (`Vm::parked`); the one parked before,
    /// if any, goes back to its heap object.
    #[inline(always)]
    fn put_thread_state(
        &mut self,
        thread: ThreadHandle,
        state: Box<ThreadState>,
    ) -> RaiseResult<()> {
        match self.parked.replace((thread, state)) {
            None => Ok(()),
            Some((thread, state)) => self.put_heap_thread_state(thread, state),
        }
    }

    /// Puts the parked thread state, if any, back in its heap object (before a collection,
    /// which finds every suspended thread's state in its heap object).
    pub(crate) fn unpark_thread(&mut self) {
        if let Some((thread, state)) = self.parked.take() {
            // A parked thread is alive: nothing collects while it is parked.
            let _ = self.put_heap_thread_state(thread, state);
        }
    }

    /// Stores the state of a thread that is not running in its heap object.
    #[cold]
    #[inline(never)]
    fn put_heap_thread_state(
        &mut self,
        thread: ThreadHandle,
        state: Box<ThreadState>,
    ) -> RaiseResult<()> {
        match self.heap.tx().thread_mut(thread) {
            Ok(t) => {
                t.payload = Some(state);
                Ok(())
            }
            Err(_) => Err(internal("internal error: thread object missing")),
        }
    }

    /// Makes `thread` the running thread; the state of the running one goes back to the heap.
    fn switch_to(&mut self, thread: ThreadHandle, state: Box<ThreadState>) -> RaiseResult<()> {
        let (old_handle, old) = self.swap_state(thread, state);
        self.put_thread_state(old_handle, old)
    }

    /// Returns from the running thread's top frame (the native that asked for the switch:
    /// `resume`/`wrap` on the resumer, `yield` on the coroutine) with `ok` (for `resume`)
    /// followed by `values`, which come from the other thread's stack. A plain call (the
    /// common case, without hooks) gets them straight in its function's slot, adjusted to the
    /// results it wants, and is done (`None`). Otherwise they go at `top`, and the `return`
    /// hook and the continuation still have to run (`Some((res, n))`, for
    /// [`Vm::finish_switch`]) once the state of the other thread is stored: they may run code
    /// that collects garbage.
    #[inline(always)]
    fn place_switch_results(
        &mut self,
        ok: Option<bool>,
        values: &[Value],
    ) -> RaiseResult<Option<(usize, usize)>> {
        let Some(frame) = self.th.frames.last() else {
            return Err(internal("internal error: switch frame lost"));
        };
        let n = values.len() + usize::from(ok.is_some());
        if frame.cont == Cont::Call && self.th.hook.mask == 0 {
            let (func, wanted) = (frame.func as usize, frame.nresults);
            self.th.n_ccalls = frame.ccalls_before;
            let len = self.th.frames.len();
            self.th.frames.truncate(len - 1);
            let top = if wanted < 0 {
                func + n
            } else {
                func + wanted as usize
            };
            self.th.ensure_stack(top.max(func + n));
            let mut at = func;
            if let Some(ok) = ok {
                self.th.stack[at] = Value::Boolean(ok);
                at += 1;
            }
            let copied = values.len().min(top.saturating_sub(at));
            copy_values(&mut self.th.stack[at..at + copied], &values[..copied]);
            if at + copied < top {
                self.th.stack[at + copied..top].fill(Value::Nil);
            }
            self.th.top = top;
            return Ok(None);
        }
        let res = self.th.top;
        self.th.ensure_stack(res + n + 1);
        let mut at = res;
        if let Some(ok) = ok {
            self.th.stack[at] = Value::Boolean(ok);
            at += 1;
        }
        copy_values(&mut self.th.stack[at..at + values.len()], values);
        self.th.top = res + n;
        Ok(Some((res, n)))
    }

    /// After [`Vm::place_switch_results`]: the native that asked for the switch returns (its
    /// `return` hook, as 5.1 calls it when `yield` returns in the resumed coroutine and when
    /// `resume` returns in the resumer), its frame is popped and its continuation runs, unless
    /// it was a plain call without hooks and is done already.
    #[inline(always)]
    fn finish_switch(&mut self, pending: Option<(usize, usize)>) -> RaiseResult<Flow> {
        let Some((res, n)) = pending else {
            return Ok(Flow::Continue);
        };
        if self.th.hook.mask != 0 {
            self.hook_return()?;
        }
        let Some(frame) = self.th.frames.pop() else {
            return Err(internal("internal error: switch frame lost"));
        };
        self.post_call(frame, res, n)
    }

    /// Shifts the `ccalls_before` of a suspended coroutine's frames by `delta` (mod 2^32): it
    /// is resumed from another C-call level than last time.
    #[cold]
    #[inline(never)]
    fn rebase_ccalls(&mut self, delta: u32) {
        for frame in &mut self.th.frames {
            frame.ccalls_before = frame.ccalls_before.wrapping_add(delta);
        }
    }

    /// `coroutine.yield` (`id == switch_natives[1]`) or a function of `coroutine.wrap`
    /// (`switch_natives[0]`, `closure` with the coroutine as upvalue), called with `nargs`
    /// arguments: `call_native` hands them here once their frame is pushed, instead of
    /// building a `Ctx` for the natives in `stdlib/coroutine.rs` (which do the same) and
    /// decoding their `Ret`.
    pub(crate) fn switch_native(
        &mut self,
        id: NativeFn,
        nargs: usize,
        closure: Option<FunctionHandle>,
    ) -> RaiseResult<Flow> {
        if id == self.switch_natives[1] {
            return self.yield_inline(nargs);
        }
        let co = match closure.map(|f| *self.native_upvalue(f, 0)) {
            Some(Value::Thread(co)) => co,
            _ => return Err(internal("internal error: wrap without coroutine")),
        };
        self.resume_thread(co, nargs, true)
    }

    /// `coroutine.resume`/`wrap`: the running thread's top frame is the resuming native; the
    /// last `nargs` values on its stack go to the coroutine.
    /// `coroutine.resume` checks the coroutine's status itself (a bad status is a result, not
    /// an error); for `wrap` it is checked here, on the state taken out of the heap.
    ///
    /// Inlined into its two callers, as [`Vm::return_to_resumer`] is into its three: called,
    /// each paid a prologue and epilogue saving six registers at every switch (coroutines.lua
    /// -1.6% instructions, -3.5..-6% time). Not in debug builds: there the inlined frames
    /// added to the Rust stack of every nested loop (`tests/limits.rs` overflowed).
    #[cfg_attr(debug_assertions, inline(never))]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn resume_thread(
        &mut self,
        co: ThreadHandle,
        nargs: usize,
        wrap: bool,
    ) -> RaiseResult<Flow> {
        if co == self.current {
            return Err(Raise::native("cannot resume running coroutine"));
        }
        let state = self.take_thread_state(co)?;
        if state.status != CoStatus::Suspended || self.th.n_ccalls >= MAX_CCALLS {
            return self.cannot_resume(co, state);
        }
        let (resumer, mut old) = self.swap_state(co, state);
        let args_start = old.top - nargs;
        old.top = args_start;
        old.status = CoStatus::Normal;
        // As 5.1's `lua_setlevel` and `lua_resume`: one level above the resumer's.
        let n_ccalls = old.n_ccalls + 1;
        let th = &mut self.th;
        th.resumer = Some(resumer);
        th.status = CoStatus::Running;
        th.wrapped = wrap;
        let args = &old.stack[args_start..args_start + nargs];
        if th.frames.is_empty() {
            // The first resume: the body is called with the arguments.
            th.n_ccalls = n_ccalls;
            th.base_ccalls = n_ccalls;
            let top = th.top;
            th.ensure_stack(top + nargs + MIN_STACK);
            copy_values(&mut th.stack[top..top + nargs], args);
            th.top = top + nargs;
            self.put_thread_state(resumer, old)?;
            let nargs = self.th.top - 1;
            return self.precall(0, nargs, -1, Cont::CoroutineBody);
        }
        // Set here for the `return` hook of `yield` (with hooks); then restored from the yield
        // frame, rebased to the same level.
        th.n_ccalls = n_ccalls;
        if th.base_ccalls != n_ccalls {
            let delta = n_ccalls.wrapping_sub(th.base_ccalls);
            self.rebase_ccalls(delta);
            self.th.base_ccalls = n_ccalls;
        }
        // The arguments are the results of the `yield` it is suspended in.
        let placed = self.place_switch_results(None, args);
        self.put_thread_state(resumer, old)?;
        self.finish_switch(placed?)
    }

    /// A resume that cannot go ahead: the state goes back, and the error is raised.
    #[cold]
    #[inline(never)]
    fn cannot_resume(&mut self, co: ThreadHandle, state: Box<ThreadState>) -> RaiseResult<Flow> {
        let status = state.status;
        self.put_thread_state(co, state)?;
        if status != CoStatus::Suspended {
            return Err(Raise::native(format!(
                "cannot resume {} coroutine",
                status.name()
            )));
        }
        Err(Raise::runtime("C stack overflow"))
    }

    /// `coroutine.yield`: the running coroutine's top frame is the yielding native.
    pub(crate) fn yield_values(&mut self, n: usize) -> RaiseResult<Flow> {
        self.yield_inline(n)
    }

    /// [`Vm::yield_values`], inlined into `switch_native` (the yield of a plain call): called,
    /// it paid a prologue and epilogue saving six registers at every yield.
    #[cfg_attr(debug_assertions, inline(never))]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn yield_inline(&mut self, n: usize) -> RaiseResult<Flow> {
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
    pub(crate) fn finish_coroutine(&mut self, res: usize, n: usize) -> RaiseResult<Flow> {
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
    pub(crate) fn coroutine_failed(
        &mut self,
        value: Value,
        killed: Option<Vec<u8>>,
    ) -> RaiseResult<Flow> {
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
    #[cfg_attr(debug_assertions, inline(never))]
    #[cfg_attr(not(debug_assertions), inline(always))]
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
        let ok = if wrapped { None } else { Some(ok) };
        let placed = self.place_switch_results(ok, &old.stack[start..start + n]);
        self.put_thread_state(left, old)?;
        self.finish_switch(placed?)
    }
}
