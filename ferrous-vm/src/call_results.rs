//! Where a call's values go: the results a frame returns, moved to the function's slot and
//! adjusted to the number the caller wants, and a vararg function's fixed parameters, moved
//! above its arguments. Helpers of `call.rs` and the interpreter loop; they call nothing back.

use ferrous_heap::{CallShape, Value};

use crate::decode::window_mut;
use crate::thread::REGS;
use crate::vm::Vm;

/// Where the registers of a Lua function called from slot `func` with `nargs` arguments start,
/// and how many extra arguments it keeps (5.1's `luaD_precall`): a vararg function's registers
/// start above all its arguments, so that `...` stays below them.
#[inline(always)]
pub(crate) fn frame_base(func: usize, nargs: usize, shape: CallShape) -> (usize, usize) {
    if shape.is_vararg != 0 {
        let n_params = usize::from(shape.num_params);
        (func + 1 + nargs, nargs.saturating_sub(n_params))
    } else {
        (func + 1, 0)
    }
}

impl Vm {
    /// Readies the registers of a Lua frame (not one that needs 5.0's `arg` table) called from
    /// slot `func` with `nargs` arguments, whose registers start at `base`: the stack holds the
    /// whole register window, a vararg function's fixed parameters move up to `base`, the
    /// registers no argument was given for become nil, and the stack top is the frame's top
    /// (`base + max_stack_size`).
    ///
    /// The nils are written through the register window: its one bounds check, and none for
    /// the range (the frame's registers are fewer than 256).
    #[inline(always)]
    pub(crate) fn set_up_registers(
        &mut self,
        func: usize,
        base: usize,
        nargs: usize,
        shape: CallShape,
    ) {
        self.th.ensure_stack(base + REGS);
        let n_params = usize::from(shape.num_params);
        let max = usize::from(shape.max_stack_size);
        let first_nil = if shape.is_vararg != 0 {
            move_fixed_params(&mut self.th.stack, func, base, nargs, n_params);
            n_params
        } else {
            nargs.min(n_params)
        };
        if let Some(regs) = window_mut(&mut self.th.stack, base) {
            regs[first_nil.min(max)..max].fill(Value::Nil);
        }
        self.th.top = base + max;
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

    /// A plain call's `n` results at `stack[res..]` go to the function's slot `func`, adjusted to
    /// the `nresults` the caller wants.
    #[inline(always)]
    pub(crate) fn place_results(&mut self, func: usize, res: usize, n: usize, nresults: i32) {
        if nresults == 1 && n >= 1 {
            // One result wanted and given (`local y = f(x)`), as `OP_RETURN` does.
            self.th.stack[func] = self.th.stack[res];
            self.th.top = func + 1;
        } else if nresults == 0 {
            // A call statement.
            self.th.top = func;
        } else {
            self.move_results(func, res, n, nresults);
        }
    }
}

/// 5.1's `adjust_varargs`: a vararg function's fixed parameters move from the arguments (at
/// `func + 1`) to its registers (at `base`, above all the arguments); the slots they leave and
/// the parameters no argument was given for become nil.
#[inline(always)]
pub(crate) fn move_fixed_params(
    stack: &mut [Value],
    func: usize,
    base: usize,
    nargs: usize,
    n_params: usize,
) {
    for j in 0..n_params {
        if j < nargs {
            stack[base + j] = stack[func + 1 + j];
            stack[func + 1 + j] = Value::Nil;
        } else {
            stack[base + j] = Value::Nil;
        }
    }
}
