//! The execution state of one Lua thread (the main thread or a coroutine): one contiguous value
//! stack, the call frames, and the open upvalues.
//!
//! Invariants:
//! - `stack.len()` is the allocated size; slots at or above `top` may hold stale values. Those
//!   above both `top` and the innermost frame's `top` are cleared before each collection
//!   (`clear_dead_slots`); the others are traced, which is conservative and safe.
//! - Every frame's registers `base .. base + max_stack` lie inside `stack`; for a Lua frame the
//!   whole register window `base .. base + REGS` does (the stack never shrinks).
//! - `open_upvalues` is sorted by stack slot, ascending, with at most one upvalue per slot.
//! - The running thread's state lives in `Vm::th`; every other thread's state lives in its heap
//!   `Thread` object as a [`Payload`], so the GC sees all of them.

use ferrous_heap::{
    FunctionHandle, ProtoHandle, TableHandle, ThreadHandle, Trace, Tracer, UpValueHandle, Value,
};

/// The register window of a Lua frame: `stack[base..base + REGS]` exists for every Lua frame
/// (`Vm::enter_lua`, `Vm::enter_lua_call` and the top of the loop make sure of it; the stack
/// never shrinks), so the loop takes the window with one bounds check (`regs!`) and indexes it
/// with 8-bit register numbers without further checks. Three more than the 256 registers, so
/// that a numeric `for`'s four slots from any register `a` (`a..a + 4`) are inside it too.
pub(crate) const REGS: usize = 256 + 3;

/// What the caller does with a frame's results when the frame returns. This is what lets
/// metamethods, `pcall` and coroutines run inside the one interpreter loop, without Rust recursion.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Cont {
    /// A call from `OP_CALL` (or `OP_TAILCALL` in a native frame): results go to the function's
    /// slot, adjusted to the frame's `nresults`.
    Call,
    /// A metamethod whose first result is stored in an absolute stack slot.
    Store(u32),
    /// A metamethod whose results are ignored (`__newindex`).
    Discard,
    /// A comparison metamethod: its truth value (negated for `__le` emulated with `not __lt`)
    /// decides the conditional jump of the calling `OP_EQ`/`OP_LT`/`OP_LE`.
    Cond { negate: bool },
    /// A `__concat` metamethod inside `OP_CONCAT`: the result replaces the pair at `slot`, then the
    /// concatenation of the remaining `total` operands ending at `slot` resumes.
    Concat { slot: u32, total: u32 },
    /// The iterator call of `OP_TFORLOOP`.
    ForIter,
    /// A protected call made by `pcall` (the waiting `pcall` native is the frame below):
    /// results are prefixed with `true`.
    Pcall,
    /// A protected call made by `xpcall`; the handler sits in the slot below the function.
    Xpcall,
    /// The running `xpcall` error handler: its first result becomes the error message returned by
    /// the innermost `xpcall`.
    XpcallHandler,
    /// A call a native function made as its last act (`tostring` calling `__tostring`): the
    /// callee's first result becomes the one result of the waiting native (the frame below).
    NativeReturn,
    /// The body of a coroutine: returning finishes the coroutine.
    CoroutineBody,
    /// A call made by the host or by a native function re-entering the loop: returning stops
    /// the loop that started it.
    Host,
}

/// The function a Lua frame executes: handles only, so frames are small `Copy` values. The
/// interpreter loop keeps the prototype's code and constants in its locals (reloaded from the
/// heap when the running prototype changes).
#[derive(Clone, Copy, Debug)]
pub(crate) struct LuaCode {
    pub closure: FunctionHandle,
    pub proto: ProtoHandle,
    /// The closure's environment (globals), cached; `setfenv` updates running frames.
    pub env: TableHandle,
}

/// One activation record.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame {
    /// The stack slot holding the called function.
    pub func: u32,
    /// The first register (Lua) or the first argument (native).
    pub base: u32,
    /// One past the frame's last register (`base + max_stack_size` for Lua frames): calls made
    /// on behalf of this frame (metamethods, error handlers) put their function here.
    pub top: u32,
    /// The index of the next instruction (Lua frames only).
    pub pc: u32,
    /// Results the caller wants; -1 means all of them.
    pub nresults: i32,
    /// How many extra arguments a vararg function received; they sit just below `base`.
    pub n_varargs: u32,
    /// What to do with the results.
    pub cont: Cont,
    /// Lua code, or `None` for a native function frame.
    pub lua: Option<LuaCode>,
    /// How many calls this frame's tail calls replaced (5.1's `tailcalls`): each counts as one
    /// stack level (`(tail call): ?` in tracebacks, `getfenv(level)`, `error(msg, level)`).
    pub tailcalls: u32,
    /// The thread's `n_ccalls` before this frame was pushed; restored when it is popped.
    pub ccalls_before: u32,
}

/// Status of a coroutine, as `coroutine.status` reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CoStatus {
    /// Created or yielded: can be resumed.
    Suspended,
    /// Currently executing.
    Running,
    /// Resumed another coroutine and waits for it.
    Normal,
    /// Returned or raised an error.
    Dead,
}

impl CoStatus {
    /// The name `coroutine.status` returns.
    pub(crate) fn name(self) -> &'static str {
        match self {
            CoStatus::Suspended => "suspended",
            CoStatus::Running => "running",
            CoStatus::Normal => "normal",
            CoStatus::Dead => "dead",
        }
    }
}

/// The state of one Lua thread.
#[derive(Debug)]
pub(crate) struct ThreadState {
    pub stack: Vec<Value>,
    /// First free slot, for variable results and native arguments.
    pub top: usize,
    pub frames: Vec<Frame>,
    pub open_upvalues: Vec<(u32, UpValueHandle)>,
    pub status: CoStatus,
    /// The thread that resumed this one, while it runs.
    pub resumer: Option<ThreadHandle>,
    /// Nested "C calls" (metamethods, protected calls, re-entries), as 5.1's `nCcalls`.
    pub n_ccalls: u32,
    /// `n_ccalls` when this coroutine was resumed: yielding is allowed only at that level.
    pub base_ccalls: u32,
    /// Whether the resume that is running this coroutine came from `coroutine.wrap`.
    pub wrapped: bool,
    /// A coroutine's global table (5.1's per-thread `gt(L)`: `getfenv(0)`, `setfenv(0, t)`, the
    /// environment of chunks it loads), taken from its creator. `None` for the main thread,
    /// whose global table is `Vm::globals`.
    pub globals: Option<TableHandle>,
    /// The frames of a coroutine that died with an error, as they were when it was raised
    /// (`debug.traceback(co)` shows them, as 5.1 does); their stack slots are not kept.
    pub error_frames: Option<Box<[Frame]>>,
    /// The thread's debug hook (`debug.sethook`).
    pub hook: crate::hook::Hook,
}

impl ThreadState {
    pub fn new() -> Self {
        ThreadState {
            stack: vec![Value::Nil; 64],
            top: 0,
            frames: Vec::new(),
            open_upvalues: Vec::new(),
            status: CoStatus::Suspended,
            resumer: None,
            n_ccalls: 0,
            base_ccalls: 0,
            wrapped: false,
            globals: None,
            error_frames: None,
            hook: crate::hook::Hook::default(),
        }
    }

    /// Makes sure `stack[..needed]` exists.
    #[inline]
    pub fn ensure_stack(&mut self, needed: usize) {
        if needed > self.stack.len() {
            let new_len = needed.max(self.stack.len() * 2);
            self.stack.resize(new_len, Value::Nil);
        }
    }

    /// Clears the slots above every frame's registers and above `top` before a collection (as
    /// 5.1's `traversestack` does), so dead values left there by returned or unwound frames are
    /// not kept alive.
    pub fn clear_dead_slots(&mut self) {
        let live = self.live_slots();
        if let Some(dead) = self.stack.get_mut(live..) {
            dead.fill(Value::Nil);
        }
    }

    /// One past the last slot that can still be read: the innermost frame's `top`, or `top`
    /// when it is higher (results of a multiple-result call, values a native pushed). As 5.1's
    /// `traversestack` (which marks below `L->top`, that is `ci->top` while a Lua function
    /// runs): every frame but the innermost was called at a slot at or above its own live
    /// registers (an `OP_CALL` register, with only free registers above it, or the frame's
    /// `top` for metamethods), so its live values lie below the innermost frame. The slots above
    /// are written before they are read again (they include the registers of returned frames
    /// and the spare window the interpreter keeps above the last Lua frame, `REGS`).
    fn live_slots(&self) -> usize {
        self.frames
            .last()
            .map_or(0, |f| f.top as usize)
            .max(self.top)
    }

    /// Pushes a value at `top`.
    #[inline]
    pub fn push(&mut self, value: Value) {
        self.ensure_stack(self.top + 1);
        self.stack[self.top] = value;
        self.top += 1;
    }
}

impl Trace for ThreadState {
    fn trace(&self, tracer: &mut Tracer) {
        // Dead slots are not traced: for the running thread they are cleared before every
        // collection; a suspended thread writes them before it reads them.
        let live = self.live_slots().min(self.stack.len());
        for value in &self.stack[..live] {
            tracer.value(*value);
        }
        for frame in self
            .frames
            .iter()
            .chain(self.error_frames.iter().flat_map(|f| f.iter()))
        {
            if let Some(lua) = &frame.lua {
                tracer.value(Value::Function(lua.closure));
                tracer.proto(lua.proto);
                tracer.table(lua.env);
            }
        }
        for (_, upvalue) in &self.open_upvalues {
            tracer.upvalue(*upvalue);
        }
        if let Some(resumer) = self.resumer {
            tracer.value(Value::Thread(resumer));
        }
        if let Some(globals) = self.globals {
            tracer.table(globals);
        }
    }
}

impl crate::vm::Vm {
    /// The running thread's global table (5.1's `gt(L)`).
    pub(crate) fn thread_globals(&self) -> TableHandle {
        self.th.globals.unwrap_or(self.globals)
    }

    /// The state of a thread that is not running: parked (`Vm::parked`) or in its heap object.
    /// `None` for the running thread and for a handle that is not a thread of this VM.
    pub(crate) fn thread_state(&self, thread: ThreadHandle) -> Option<&ThreadState> {
        match &self.parked {
            Some((parked, state)) if *parked == thread => Some(state),
            _ => self
                .heap
                .thread(thread)
                .ok()
                .and_then(|t| t.downcast_ref::<ThreadState>()),
        }
    }

    /// Runs `f` on the state of a thread that is not running (see [`Vm::thread_state`]);
    /// `None` if there is none.
    pub(crate) fn with_thread_state_mut<R>(
        &mut self,
        thread: ThreadHandle,
        f: impl FnOnce(&mut ThreadState) -> R,
    ) -> Option<R> {
        match &mut self.parked {
            Some((parked, state)) if *parked == thread => Some(f(state)),
            _ => {
                let mut tx = self.heap.tx();
                let state = tx.thread_mut(thread).ok()?.downcast_mut::<ThreadState>()?;
                Some(f(state))
            }
        }
    }
}
