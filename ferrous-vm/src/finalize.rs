//! Running userdata finalizers (`__gc`) after a collection, at the VM's safe points.
//!
//! The heap decides which userdata are due (`ferrous-heap`'s `finalize.rs`: unreachable, with a
//! `__gc`, in 5.1's order) and keeps them alive until taken; the VM calls their metatable's
//! `__gc` with each, right after the collection that found them: from `Vm::gc_check` (the
//! automatic safe points) and from `collectgarbage`. As in 5.1, an error in a finalizer
//! propagates to the code that triggered the collection (`pcall(collectgarbage)` catches it);
//! the finalizers still queued run after the next collection.
//!
//! Invariants:
//! - Finalizers never nest: one that triggers a collection leaves the new ones queued for the
//!   loop that is already running them.
//! - A finalizer runs above every live slot of the frame on top (results of a call with many
//!   results included), like a debug hook, so it clobbers nothing.

use ferrous_heap::{Value, names};

use crate::error::RaiseResult;
use crate::vm::Vm;

impl Vm {
    /// Calls the `__gc` of every userdata the last collections queued. Out of line: inlined
    /// into `call_native` (through `gc_check`), its locals grew every nested loop's Rust frame.
    #[inline(never)]
    #[cold]
    pub(crate) fn run_finalizers(&mut self) -> RaiseResult<()> {
        if self.in_finalizer {
            return Ok(());
        }
        self.in_finalizer = true;
        let res = self.run_queued_finalizers();
        self.in_finalizer = false;
        res
    }

    /// `gc_check` after a native returned with `flow`.
    #[inline(never)]
    #[cold]
    pub(crate) fn gc_after_native(
        &mut self,
        flow: RaiseResult<crate::call::Flow>,
    ) -> RaiseResult<crate::call::Flow> {
        let flow = flow?;
        self.gc_check()?;
        Ok(flow)
    }

    fn run_queued_finalizers(&mut self) -> RaiseResult<()> {
        while let Some(userdata) = self.heap.next_finalizer() {
            let gc = self.metamethod(Value::UserData(userdata), names::GC);
            if matches!(gc, Value::Nil) {
                continue;
            }
            let top = self.th.top as u32;
            let saved_top = self.th.frames.last().map(|f| f.top);
            if let Some(frame) = self.th.frames.last_mut() {
                frame.top = frame.top.max(top);
            }
            let saved_th_top = self.th.top;
            // Hooks do not see finalizers (5.1's `GCTM` turns them off).
            let allow = std::mem::replace(&mut self.th.hook.allow, false);
            let res = self.call_value(gc, &[Value::UserData(userdata)]);
            self.th.hook.allow = allow;
            if let (Some(frame), Some(t)) = (self.th.frames.last_mut(), saved_top) {
                frame.top = t;
            }
            self.th.top = saved_th_top;
            res?;
        }
        Ok(())
    }

    /// Runs the finalizers of every userdata that has one and has not been finalized, reachable
    /// or not, newest first: what 5.1 does when a state is closed (`lua_close`). Errors are
    /// ignored, as `lua_close` ignores them.
    pub fn close(&mut self) {
        self.heap.finalize_all();
        while self.heap.has_finalizers() {
            self.in_finalizer = false;
            let _ = self.run_finalizers();
        }
    }
}
