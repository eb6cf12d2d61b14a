//! Running Lua from the host and re-entering the loop from natives: `call_value` (and
//! `call_value1`) push a host-level frame (`Cont::Host`) and run the interpreter loop until it
//! returns (`run_loop`), handling errors on the way.
//!
//! This is the only place the interpreter loop is called from inside the VM, so it is the only
//! Rust recursion a Lua program can cause (a native such as `table.sort` calling a Lua
//! comparator).
//!
//! Invariants:
//! - A nested run (a native re-entering) counts one `n_ccalls` and one `reentry` level, both
//!   bounded (`MAX_CCALLS`, `MAX_REENTRY`: `C stack overflow`) and restored when it returns.
//! - A call that fails before its frame exists leaves the frames as they were and returns the
//!   error to the caller; an error inside it unwinds to the host-level frame (`raise`).

use ferrous_heap::Value;

use crate::call::{Callee, Exit, Flow, MIN_STACK};
use crate::error::{Raise, RaiseResult};
use crate::thread::Cont;
use crate::vm::{MAX_CCALLS, MAX_REENTRY, Vm};

impl Vm {
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
}
