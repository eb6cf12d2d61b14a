//! Coroutine switching: `coroutine.resume`/`wrap` and `coroutine.yield` as the loop carries
//! them out (natives ask for them with `Ret`), a coroutine body's return and its death by
//! error.
//!
//! The running thread's state is `Vm::th`; a switch swaps it with the `ThreadState` kept as the
//! other thread's heap payload (the swap reuses the payload's box, and the values passed are
//! copied straight between the two stacks: a switch allocates nothing).
//!
//! Invariants:
//! - Exactly one thread's state is in `Vm::th` (`Vm::current`); every other thread's state is
//!   in its heap payload, so the collector sees all of them.
//! - A coroutine is resumed only when suspended; the resumer is `Normal` while it runs, and
//!   yielding is allowed only at the `n_ccalls` level it was resumed at (`base_ccalls`).
//! - Both states' fields are written after the swap, never before (the swap's wide copies
//!   stall on fields written just before).

use ferrous_heap::{ThreadHandle, Value};

use crate::call::{Flow, MIN_STACK};
use crate::error::{Raise, RaiseResult};
use crate::thread::{CoStatus, Cont, ThreadState};
use crate::vm::{MAX_CCALLS, Vm};

/// Copies the values passed between two threads' stacks (`to.len() == from.len()`). Usually
/// one or two: a loop beats `memcpy`'s call, as in `Vm::move_results`.
#[inline]
fn copy_values(to: &mut [Value], from: &[Value]) {
    if to.len() <= 4 {
        for (t, f) in to.iter_mut().zip(from) {
            *t = *f;
        }
    } else {
        to.copy_from_slice(from);
    }
}

impl Vm {
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
        copy_values(
            &mut self.th.stack[top..top + nargs],
            &old.stack[args_start..args_start + nargs],
        );
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
    pub(crate) fn yield_values(&mut self, n: usize) -> RaiseResult<Flow> {
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
        copy_values(
            &mut self.th.stack[top..top + n],
            &old.stack[start..start + n],
        );
        self.th.top = top + n;
        self.put_thread_state(left, old)?;
        self.finish_call(frame, res, top + n - res)
    }
}
