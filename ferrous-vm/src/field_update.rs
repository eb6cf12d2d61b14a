//! `OP_GETFIELD_ARITH` (`specialize.rs`): a field's update, `self.n = self.n + 1`, run by one
//! dispatch with one lookup of the field, out of the interpreter loop.

use ferrous_compiler::{Instruction, index_k};
use ferrous_heap::Value;

use crate::decode::{OP_GETFIELD, OP_SUB, original_op, rk_operand};
use crate::vm::Vm;

impl Vm {
    /// The `GETTABLE` A B K `i` (K a constant string), the `ADD` or `SUB` A A C and the
    /// `SETTABLE` B K A that follow it (`code[pc..]`, the words after `i`), in a frame whose
    /// registers start at `base` and whose constants are `k`, when the table's field has a
    /// number value and C is a number: the field is updated in place and A gets the result, as
    /// the three would leave them. Also the `GETTABLE` A B K after them when it is the next
    /// word (`return self.n`), which would read back what A holds. Returns how many words after
    /// `i` it ran; `None`, with nothing done, when the fast path does not apply or when
    /// `HOOKED` (the caller runs the `GETTABLE`, and the others run on their own: with hooks
    /// each instruction is a step of its own).
    ///
    /// Out of the loop: its arm only calls this, which leaves the loop's register allocation
    /// alone (as `Vm::getupval_arith`).
    #[cfg_attr(debug_assertions, allow(dead_code))]
    #[inline(never)]
    pub(crate) fn getfield_arith<const HOOKED: bool>(
        &mut self,
        i: u32,
        code: &[u32],
        pc: usize,
        base: usize,
        k: &[Value],
    ) -> Option<usize> {
        if HOOKED {
            return None;
        }
        let [arith, _set, ref after @ ..] = *code.get(pc..)? else {
            return None;
        };
        let arith = Instruction(arith);
        match original_op(arith.op_field()) {
            OP_SUB => self.getfield_arith_as::<true>(Instruction(i), arith, after, base, k),
            _ => self.getfield_arith_as::<false>(Instruction(i), arith, after, base, k),
        }
    }

    /// [`Vm::getfield_arith`] for a subtraction or an addition: one copy per operation (with
    /// the choice inside, the optimizer may add `-y`, which flips a NaN's sign).
    #[cfg_attr(debug_assertions, allow(dead_code))]
    #[inline(always)]
    fn getfield_arith_as<const SUB: bool>(
        &mut self,
        ins: Instruction,
        arith: Instruction,
        after: &[u32],
        base: usize,
        k: &[Value],
    ) -> Option<usize> {
        let ra = base + ins.a() as usize;
        let y = rk_operand(&self.th.stack, k, base, arith.c());
        let (Some(&Value::Number(y)), Some(&Value::String(key)), Some(&Value::Table(t))) = (
            y,
            k.get(index_k(ins.c()) as usize),
            self.th.stack.get(base + ins.b() as usize),
        ) else {
            return None;
        };
        if ra >= self.th.stack.len() {
            return None;
        }
        let mut tx = self.heap.tx();
        let new = if SUB {
            tx.update_number_field(t, key, |x| x - y)
        } else {
            tx.update_number_field(t, key, |x| x + y)
        }?;
        self.th.stack[ra] = Value::Number(new);
        // The read back: the plain `GETTABLE` A B K form (not the start of another update).
        let read_back = after.first() == Some(&((ins.0 & !0x3f) | OP_GETFIELD));
        Some(2 + usize::from(read_back))
    }
}
