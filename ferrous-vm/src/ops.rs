//! The out-of-line bodies of the interpreter's less frequent opcodes (`NEWTABLE`, `LEN` on
//! non-tables, `FORPREP`, `TFORLOOP`, `SETLIST`, `CLOSURE`, `VARARG`) and the fuel check, and
//! `TFORLOOP`'s inline iteration over `pairs`/`ipairs` (no native call per iteration).
//!
//! They live outside `Vm::execute` and are never inlined into it, so the loop's hot state (pc,
//! base, code, constants, fuel) stays in machine registers. Each is called after the loop saved
//! its pc and fuel (`save_pc!`), like any other slow path.

use ferrous_heap::{FunctionHandle, TableHandle, Value};

use crate::call::Flow;
use crate::error::{Raise, RaiseResult};
use crate::native::InlineIter;
use crate::thread::Cont;
use crate::value::count;
use crate::vm::Vm;

/// 5.1's `LFIELDS_PER_FLUSH`.
const FIELDS_PER_FLUSH: usize = 50;

/// 5.1's `luaO_fb2int`: the "floating point byte" table sizes of `OP_NEWTABLE`.
fn fb2int(x: usize) -> usize {
    let e = (x >> 3) & 31;
    if e == 0 { x } else { ((x & 7) + 8) << (e - 1) }
}

/// The error for an opcode the loop does not know.
#[cold]
#[inline(never)]
pub(crate) fn unknown_opcode(op: u32) -> Raise {
    Raise::runtime(format!("internal error: unknown opcode {op}"))
}

impl Vm {
    /// `OP_NEWTABLE`: `R(A) := {}` with the size hints of instruction `i`.
    #[inline(never)]
    pub(crate) fn op_newtable(&mut self, i: u32, ra: usize) -> RaiseResult<()> {
        let ins = ferrous_compiler::Instruction(i);
        let (b, c) = (ins.b() as usize, ins.c() as usize);
        let t = self.heap.tx().new_table(fb2int(b), fb2int(c))?;
        self.th.stack[ra] = Value::Table(t);
        self.gc_check()?;
        Ok(())
    }

    /// `OP_GETGLOBAL` when the raw read found nil: nil, or the environment's `__index`.
    #[inline(never)]
    pub(crate) fn op_getglobal_nil(
        &mut self,
        env: TableHandle,
        key: Value,
        ra: usize,
    ) -> RaiseResult<()> {
        if self.has_index_meta(env) {
            self.index(Value::Table(env), key, None, ra)
        } else {
            self.th.stack[ra] = Value::Nil;
            Ok(())
        }
    }

    /// `OP_LEN` of anything but a table: a string's length or the `__len` metamethod. `reg`
    /// names the operand in errors.
    #[inline(never)]
    pub(crate) fn op_len(&mut self, slot: usize, reg: u32, ra: usize) -> RaiseResult<()> {
        let x = self.th.stack[slot];
        match x {
            Value::Table(t) => {
                let n = self.heap.tx().len(t)?;
                self.th.stack[ra] = count(n);
            }
            Value::String(s) => {
                let n = self.heap.str_bytes(s)?.len();
                self.th.stack[ra] = count(n);
            }
            _ => self.len_meta(x, reg, ra)?,
        }
        Ok(())
    }

    /// `OP_LEN` of a string in `slot`, stored in `ra`; false if it is not a string. (Not
    /// inlined in debug builds, like the other fast paths of the loop taken out of it: their
    /// locals would add to the loop's stack frame, of which `MAX_REENTRY` must fit in a thread.)
    #[inline]
    pub(crate) fn string_len(&mut self, slot: usize, ra: usize) -> bool {
        let Value::String(s) = self.th.stack[slot] else {
            return false;
        };
        let Ok(bytes) = self.heap.str_bytes(s) else {
            return false;
        };
        self.th.stack[ra] = count(bytes.len());
        true
    }

    /// `OP_FORPREP` when the three control values are numbers: `R(A) -= R(A+2)`. False
    /// otherwise ([`Vm::op_forprep`] converts strings and raises the errors).
    #[inline]
    pub(crate) fn forprep_numbers(&mut self, ra: usize) -> bool {
        let Some(regs) = self.th.stack.get_mut(ra..ra + 3) else {
            return false;
        };
        if let (&Value::Number(init), &Value::Number(_), &Value::Number(step)) =
            (&regs[0], &regs[1], &regs[2])
        {
            regs[0] = Value::Number(init - step);
            return true;
        }
        false
    }

    /// `OP_FORPREP`'s conversions and first step back: `R(A) -= R(A+2)`.
    #[inline(never)]
    pub(crate) fn op_forprep(&mut self, ra: usize) -> RaiseResult<()> {
        let init = self.for_number(ra, "'for' initial value must be a number")?;
        self.for_number(ra + 1, "'for' limit must be a number")?;
        let step = self.for_number(ra + 2, "'for' step must be a number")?;
        self.th.stack[ra] = Value::Number(init - step);
        Ok(())
    }

    /// `OP_FORPREP`'s conversion of a loop control value (strings convert in place).
    fn for_number(&mut self, slot: usize, msg: &'static str) -> RaiseResult<f64> {
        match self.to_number(self.th.stack[slot]) {
            Some(n) => {
                self.th.stack[slot] = Value::Number(n);
                Ok(n)
            }
            None => Err(Raise::runtime(msg)),
        }
    }

    /// `OP_TFORLOOP`: calls the iterator `R(A)(R(A+1), R(A+2))` for `c` results at `R(A+3)`.
    #[inline(never)]
    pub(crate) fn op_tforloop(&mut self, ra: usize, c: usize) -> RaiseResult<Flow> {
        let cb = ra + 3;
        self.th.ensure_stack(cb + 3 + c);
        self.th.stack[cb + 2] = self.th.stack[ra + 2];
        self.th.stack[cb + 1] = self.th.stack[ra + 1];
        self.th.stack[cb] = self.th.stack[ra];
        self.precall(cb, 2, c as i32, Cont::ForIter)
    }

    /// `OP_TFORLOOP` without a call, when the iterator is one the loop runs itself
    /// ([`InlineIter`]: `pairs`'s `next`, `ipairs`'s iterator) on its usual arguments: the
    /// results go to `R(A+3)..R(A+2+c)` as the call would leave them, and the answer is whether
    /// the loop goes on (`R(A+3)` not nil, then copied to `R(A+2)`). `None`: make the call (any
    /// other iterator, or arguments the native must check and reject itself). The caller runs
    /// it only without hooks (a hook would see the call) and has charged the iteration.
    #[inline]
    pub(crate) fn inline_iteration(&mut self, ra: usize, c: usize) -> Option<bool> {
        let (Value::NativeFunction(f), Value::Table(t)) =
            (*self.th.stack.get(ra)?, *self.th.stack.get(ra + 1)?)
        else {
            return None;
        };
        // Read as tag and payload: the previous iteration stored a number key there in those
        // two parts, and a whole-`Value` load of it stalls (`copy_split`).
        let control = crate::value::copy_split(self.th.stack.get(ra + 2)?);
        if c == 0 {
            // No loop variable to take the key from (never compiled): the general path.
            return None;
        }
        let results = self.th.stack.get_mut(ra + 3..ra + 3 + c)?;
        let more = match self.natives.get(f)?.inline? {
            // Straight into the loop's variables (`Heap::next_into`).
            InlineIter::Next => self.heap.next_into(t, control, results).ok()?,
            InlineIter::Ipairs => {
                let Value::Number(n) = control else {
                    return None;
                };
                let i = i64::from(crate::value::number_to_int(n)) + 1;
                match self.heap.raw_get_int(t, i).ok()? {
                    Value::Nil => false,
                    v => {
                        if let Some(slot) = results.get_mut(0) {
                            *slot = Value::Number(i as f64);
                        }
                        if let Some(slot) = results.get_mut(1) {
                            *slot = v;
                        }
                        true
                    }
                }
            }
        };
        if !more {
            results.fill(Value::Nil);
            return Some(false);
        }
        results.iter_mut().skip(2).for_each(|v| *v = Value::Nil);
        // The key, read as it was just written (a number in two parts).
        self.th.stack[ra + 2] = crate::value::copy_split(&self.th.stack[ra + 3]);
        Some(true)
    }

    /// `OP_SETLIST`: `R(A)[(c-1)*FPF+j] := R(A+j)` for `1 <= j <= n` (`n == 0`: up to `top`).
    #[inline(never)]
    pub(crate) fn op_setlist(&mut self, ra: usize, n: usize, c: usize) -> RaiseResult<()> {
        let n = if n == 0 {
            self.th.top.saturating_sub(ra + 1)
        } else {
            n
        };
        let Value::Table(t) = self.th.stack[ra] else {
            return Err(Raise::runtime("internal error: SETLIST on a non-table"));
        };
        let Some(first) = c.checked_sub(1).map(|block| block * FIELDS_PER_FLUSH) else {
            return Err(Raise::runtime("internal error: SETLIST block 0"));
        };
        let mut tx = self.heap.tx();
        // As 5.1: the array part takes every item at once, so the constructor's sizes match.
        tx.grow_array(t, first + n)?;
        let values = self
            .th
            .stack
            .get(ra + 1..=ra + n)
            .ok_or_else(|| Raise::runtime("internal error: SETLIST past the stack"))?;
        tx.raw_set_ints(t, first as i64 + 1, values)?;
        Ok(())
    }

    /// `OP_CLOSURE`, then a collector safe point. Returns how many of the pseudo-instructions
    /// that follow it (`pseudo`) it consumed.
    #[inline(never)]
    pub(crate) fn op_closure(
        &mut self,
        parent: FunctionHandle,
        bx: usize,
        base: usize,
        pseudo: &[u32],
        ra: usize,
    ) -> RaiseResult<usize> {
        let n = self.make_closure(parent, bx, base, pseudo, ra)?;
        self.gc_check()?;
        Ok(n)
    }

    /// `OP_VARARG`: `R(A), ..., R(A+B-2) = vararg` (`b == 0`: all of them, setting `top`).
    /// Returns the fuel the copy costs: a unit per 16 values, so that passing a growing `...`
    /// on (`return f(1, ...)`, quadratic work) cannot run for long on little fuel.
    #[inline(never)]
    pub(crate) fn op_vararg(&mut self, fi: usize, base: usize, ra: usize, b: usize) -> i64 {
        let Some(frame) = self.th.frames.get(fi) else {
            return 0;
        };
        let n_varargs = frame.n_varargs as usize;
        let wanted = if b == 0 { n_varargs } else { b - 1 };
        let end = ra + wanted;
        self.th.ensure_stack(end);
        if b == 0 {
            self.th.top = end;
        }
        let fuel = (wanted / 16) as i64;
        // The extra arguments sit just below `base`, the registers at or above it: one window
        // holds both, and the ranges do not overlap.
        let from = base - n_varargs;
        let Some((extra, regs)) = self
            .th
            .stack
            .get_mut(from..end)
            .and_then(|window| window.split_at_mut_checked(ra - from))
        else {
            return fuel;
        };
        let copied = wanted.min(n_varargs);
        if let (Some(dst), Some(src)) = (regs.get_mut(..copied), extra.get(..copied)) {
            if copied <= 4 {
                // The usual few values: an unrolled copy. (A zipped loop's set-up, unrolled
                // by four with a remainder loop, was 30 instructions for three values;
                // `copy_from_slice` is a `memcpy` call.)
                #[allow(clippy::manual_memcpy)]
                for j in 0..copied {
                    dst[j] = src[j];
                }
            } else {
                dst.copy_from_slice(src);
            }
        }
        if let Some(nils) = regs.get_mut(copied..) {
            nils.fill(Value::Nil);
        }
        fuel
    }

    /// The fuel ran out: `true` to pause and return to the host, `false` to go on.
    #[cold]
    #[inline(never)]
    pub(crate) fn out_of_fuel(&mut self) -> RaiseResult<bool> {
        if self.hook_switch {
            // The fuel was parked because a hook was set or cleared (`hook.rs`): this loop
            // restarts in its other copy if it runs the wrong one.
            self.hook_switch = false;
            self.fuel = self.hook_saved_fuel;
            if self.th.hook.active() != self.loop_hooked {
                self.loop_switch = true;
                return Ok(true);
            }
            if self.fuel >= 0 {
                return Ok(false);
            }
        }
        if self.reentry == 0 {
            self.fuel = 0;
            return Ok(true);
        }
        // A nested loop (a native re-entering Lua) cannot pause: ask the host whether to stop.
        if let Some(interrupt) = self.interrupt.as_mut() {
            if let Some(msg) = interrupt() {
                return Err(Raise::Killed(msg));
            }
        }
        self.fuel = self.slice;
        Ok(false)
    }
}
