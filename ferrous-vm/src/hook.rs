//! Debug hooks (5.1's `lua_sethook` as `debug.sethook` uses it): a Lua function called on
//! `call`, `return` (and `tail return`), `line` and `count` events of one thread.
//!
//! Key types: [`Hook`], the per-thread hook state kept in `ThreadState`.
//!
//! Cost when no hook is set: the interpreter loop exists twice (`Vm::execute_with::<HOOKED>`);
//! the copy without hooks has no hook code at all, and `Vm::execute` picks the copy when it
//! starts. Setting or clearing a hook while the loop runs asks it to switch
//! ([`Vm::request_loop_switch`]): the fuel is parked and the loop pauses at its next charge point
//! (a call or a backward jump), where `execute` restarts it in the other copy if it runs the
//! wrong one (`Vm::loop_hooked` says which copy the innermost loop is); a nested loop (a native
//! calling Lua) that changed the hooks parks the fuel again when it returns, so the loop it
//! returns to checks too. Natives check the mask once on their way in and once on their way
//! out (`call_native`).
//!
//! Invariants:
//! - A hook never runs inside a hook (5.1's `allowhook`): `Hook::allow` is false while one runs
//!   (its instructions still count towards the next `count` event, as in 5.1).
//! - A hook runs above every live slot of the frame it reports on (results on their way out
//!   included), so it can clobber nothing.

use ferrous_heap::Value;

use crate::error::RaiseResult;
use crate::vm::Vm;

/// `LUA_MASKCALL`.
pub(crate) const MASK_CALL: u8 = 1;
/// `LUA_MASKRET`.
pub(crate) const MASK_RET: u8 = 2;
/// `LUA_MASKLINE`.
pub(crate) const MASK_LINE: u8 = 4;
/// `LUA_MASKCOUNT`.
pub(crate) const MASK_COUNT: u8 = 8;

/// The hook of one thread. Its function is kept in the registry, keyed by the thread (5.1
/// keeps it in a registry table keyed by the thread too): a small `Hook` keeps `ThreadState`
/// small, which every coroutine switch copies.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Hook {
    /// Which events call it (`MASK_*`); 0 = no hook.
    pub mask: u8,
    /// The count of `count` events (instructions between two calls).
    pub base_count: i32,
    /// Instructions left before the next `count` event.
    pub count: i32,
    /// False while a hook runs.
    pub allow: bool,
}

impl Default for Hook {
    fn default() -> Self {
        Hook {
            mask: 0,
            base_count: 0,
            count: 0,
            allow: true,
        }
    }
}

impl Hook {
    /// Whether the interpreter loop must run its hooked copy. Also while a hook runs: its
    /// instructions count for `count` events, as in 5.1 (only the calls are suppressed).
    #[inline]
    pub(crate) fn active(&self) -> bool {
        self.mask != 0
    }
}

impl Vm {
    /// Asks the running loop to restart in its other copy (hooked or not) at its next charge
    /// point: the fuel is parked in `hook_saved_fuel` and `out_of_fuel` gives it back.
    pub(crate) fn request_loop_switch(&mut self) {
        if !self.hook_switch {
            self.hook_switch = true;
            self.hook_saved_fuel = self.fuel;
            self.fuel = -1;
        }
        // The loop's `resync!` after the native that asked for this goes to the top of the
        // loop, which sees the parked fuel at once (not only at the next charge point).
        self.env_changed = true;
    }

    /// After a switch of threads while hooks are in use: the loop switches copies when the
    /// new thread's hook needs the other one.
    #[cold]
    #[inline(never)]
    pub(crate) fn thread_switched_hooks(&mut self) {
        if self.th.hook.active() != self.loop_hooked {
            self.request_loop_switch();
        }
    }

    /// The hook function of `thread` (nil if none).
    pub(crate) fn hook_function(&self, thread: ferrous_heap::ThreadHandle) -> RaiseResult<Value> {
        Ok(self
            .heap
            .raw_get(self.registry, Value::Thread(thread))
            .unwrap_or(Value::Nil))
    }

    /// Calls the hook with `event` and `line` (nil for events other than `line`).
    fn fire_hook(&mut self, event: &[u8], line: Option<u32>) -> RaiseResult<()> {
        let hook = self.th.hook;
        if !hook.allow {
            return Ok(());
        }
        let func = self.hook_function(self.current)?;
        if matches!(func, Value::Nil) {
            return Ok(());
        }
        let name = Value::String(self.intern(event)?);
        let line = line.map_or(Value::Nil, |l| Value::Number(f64::from(l)));
        // The hook's function goes above every live slot of the frame on top.
        let top = self.th.top as u32;
        let saved_top = self.th.frames.last().map(|f| f.top);
        if let Some(frame) = self.th.frames.last_mut() {
            frame.top = frame.top.max(top);
        }
        let saved_th_top = self.th.top;
        self.th.hook.allow = false;
        let res = self.call_value(func, &[name, line]);
        self.th.hook.allow = true;
        if self.th.hook.active() != self.loop_hooked {
            // The hook set or cleared hooks (or was set by the native just returning).
            self.request_loop_switch();
        } else if self.hook_switch {
            // Parked by the hook's own loop on its way out (hooks were not allowed then): the
            // loop that called the hook runs the right copy already.
            self.hook_switch = false;
            self.fuel = self.hook_saved_fuel;
        }
        if let (Some(frame), Some(t)) = (self.th.frames.last_mut(), saved_top) {
            frame.top = t;
        }
        self.th.top = saved_th_top;
        res.map(|_| ())
    }

    /// Before the instruction at `cur` of Lua frame `fi` (the hooked loop only): the `call`
    /// event of a frame just entered, `count` events, and `line` events when the instruction
    /// starts a new line, jumps back, or is the function's first (5.1's `traceexec`). Leaves the
    /// frame's `pc` after `cur`, as 5.1's `savedpc`.
    #[inline(never)]
    pub(crate) fn hook_step(&mut self, fi: usize, cur: usize) -> RaiseResult<()> {
        let Some(frame) = self.th.frames.get_mut(fi) else {
            return Ok(());
        };
        let old = frame.pc as usize;
        frame.pc = (cur + 1) as u32;
        let Some(lua) = frame.lua else {
            return Ok(());
        };
        let hook = self.th.hook;
        if !hook.active() {
            return Ok(());
        }
        if cur == 0 && old == 0 && hook.mask & MASK_CALL != 0 && hook.allow {
            self.fire_hook(b"call", None)?;
        }
        // The call hook may have changed the hook (5.1 runs it before the first instruction).
        let hook = self.th.hook;
        if !hook.active() {
            return Ok(());
        }
        if hook.mask & MASK_COUNT != 0 {
            self.th.hook.count -= 1;
            if self.th.hook.count <= 0 {
                self.th.hook.count = self.th.hook.base_count;
                self.fire_hook(b"count", None)?;
            }
        }
        if hook.mask & MASK_LINE != 0 && self.th.hook.allow {
            let line_info = self.heap.proto(lua.proto)?.line_info.clone();
            let line = line_info.get(cur).copied().unwrap_or(0);
            let old_line = old.checked_sub(1).and_then(|o| line_info.get(o).copied());
            if cur == 0 || cur < old || old_line != Some(line) {
                self.fire_hook(b"line", Some(line))?;
            }
        }
        Ok(())
    }

    /// The `return` event of the frame on top, then one `tail return` per call its tail calls
    /// replaced (5.1's `callrethooks`).
    #[inline(never)]
    pub(crate) fn hook_return(&mut self) -> RaiseResult<()> {
        if self.th.hook.mask & MASK_RET == 0 || !self.th.hook.allow {
            return Ok(());
        }
        self.fire_hook(b"return", None)?;
        let tailcalls = self
            .th
            .frames
            .last()
            .map_or(0, |f| if f.lua.is_some() { f.tailcalls } else { 0 });
        for _ in 0..tailcalls {
            if self.th.hook.mask & MASK_RET == 0 {
                break;
            }
            self.fire_hook(b"tail return", None)?;
        }
        Ok(())
    }

    /// The `call` event of a native whose frame was just pushed.
    #[inline(never)]
    pub(crate) fn hook_native_call(&mut self) -> RaiseResult<()> {
        if self.th.hook.mask & MASK_CALL == 0 {
            return Ok(());
        }
        self.fire_hook(b"call", None)
    }
}
