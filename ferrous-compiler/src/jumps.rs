//! Jump lists: the part of Lua 5.1's `lcode.c` that threads pending jumps through the `sBx`
//! fields of the jumps themselves, as methods on `Parser`.
//!
//! A list is named by its head pc; each node's `sBx` leads to the next node and `NO_JUMP`
//! ends the list. `concat` appends a list, `patchlistaux` gives every node its target,
//! `patchtohere` defers that to the next instruction emitted (`FuncState::jpc`).
//!
//! Lua 5.1's `luaK_concat` walks the first list to its end on every append, which makes a
//! chain of n `or`s, `and`s, `elseif`s or `break`s cost n^2/2 steps. Here `concat` starts
//! from `FuncState::jump_tails`, a cache of each list's last node keyed by its head, so an
//! append costs O(1) and the emitted code stays exactly 5.1's.
//!
//! Invariants:
//! - Every list has one owner (an `ExpDesc` field, `jpc`, a block's break list, a local of
//!   the parser), and `concat(l1, l2)` consumes `l2`; so a list's nodes only change at its
//!   end (`concat` links the last node) or all together (`patchlistaux` patches each node
//!   and clears its cache entry). Hence a node cached for `head`, once in the list of `head`,
//!   stays in it until that list is patched.
//! - A cache entry is only a starting point: it is used when it names an existing jump
//!   instruction (`sBx` format), and the walk from it still goes to `NO_JUMP`. A stale entry
//!   can cost time, never change the result compared to walking from the head.

use crate::error::CompileErrorKind;
use crate::funcstate::NO_JUMP;
use crate::lexer::LResult;
use crate::opcodes::{Instruction, MAXARG_SBX, NO_REG, OpCode, OpFormat};
use crate::parser::Parser;

#[cfg(test)]
thread_local! {
    /// Steps taken along jump lists on this thread (`getjump` calls), for the tests that
    /// check the work of compiling long chains is linear.
    pub(crate) static WALK_STEPS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

impl Parser<'_> {
    fn fixjump(&mut self, pc: i32, dest: i32) -> LResult<()> {
        let offset = dest - (pc + 1);
        if offset.abs() > MAXARG_SBX {
            return Err(self.ls.error_near(
                CompileErrorKind::ControlStructureTooLong,
                b"control structure too long",
            ));
        }
        self.fs.instr(pc).set_sbx(offset);
        Ok(())
    }

    /// `luaK_getlabel`: the current pc, marked as a jump target.
    pub(crate) fn getlabel(&mut self) -> i32 {
        self.fs.lasttarget = self.fs.pc();
        self.fs.pc()
    }

    /// The node after `pc` in its list, or `NO_JUMP`.
    fn getjump(&mut self, pc: i32) -> i32 {
        #[cfg(test)]
        WALK_STEPS.with(|steps| steps.set(steps.get() + 1));
        let offset = self.fs.instr(pc).sbx();
        if offset == NO_JUMP {
            NO_JUMP
        } else {
            pc + 1 + offset
        }
    }

    /// `getjumpcontrol`: the pc of the test controlling the jump at `pc`, or `pc` itself.
    pub(crate) fn getjumpcontrol(&mut self, pc: i32) -> i32 {
        if pc >= 1 && self.fs.instr(pc - 1).opcode().is_ok_and(|op| op.is_test()) {
            pc - 1
        } else {
            pc
        }
    }

    /// `need_value`: some jump of `list` does not produce a value (is not a `TESTSET`).
    pub(crate) fn need_value(&mut self, mut list: i32) -> bool {
        while list != NO_JUMP {
            let ctl = self.getjumpcontrol(list);
            if self.fs.instr(ctl).opcode() != Ok(OpCode::TestSet) {
                return true;
            }
            list = self.getjump(list);
        }
        false
    }

    fn patchtestreg(&mut self, node: i32, reg: i32) -> bool {
        let ctl = self.getjumpcontrol(node);
        let i = self.fs.instr(ctl);
        if i.opcode() != Ok(OpCode::TestSet) {
            return false;
        }
        if reg != NO_REG as i32 && reg != i.b() as i32 {
            i.set_a(reg as u32);
        } else {
            *i = Instruction::abc(OpCode::Test, i.b(), 0, i.c());
        }
        true
    }

    /// `removevalues`: every `TESTSET` of `list` becomes a `TEST`.
    pub(crate) fn removevalues(&mut self, mut list: i32) {
        while list != NO_JUMP {
            self.patchtestreg(list, NO_REG as i32);
            list = self.getjump(list);
        }
    }

    /// `patchlistaux`: value-producing jumps of `list` go to `vtarget` (storing into `reg`),
    /// the others to `dtarget`. The list is used up.
    pub(crate) fn patchlistaux(
        &mut self,
        mut list: i32,
        vtarget: i32,
        reg: i32,
        dtarget: i32,
    ) -> LResult<()> {
        while list != NO_JUMP {
            let next = self.getjump(list);
            self.forget_tail(list);
            if self.patchtestreg(list, reg) {
                self.fixjump(list, vtarget)?;
            } else {
                self.fixjump(list, dtarget)?;
            }
            list = next;
        }
        Ok(())
    }

    /// `dischargejpc`: the jumps pending to the current pc get it as their target.
    pub(crate) fn dischargejpc(&mut self) -> LResult<()> {
        let pc = self.fs.pc();
        let jpc = self.fs.jpc;
        self.fs.jpc = NO_JUMP;
        self.patchlistaux(jpc, pc, NO_REG as i32, pc)
    }

    /// `luaK_patchlist`.
    pub(crate) fn patchlist(&mut self, list: i32, target: i32) -> LResult<()> {
        if target == self.fs.pc() {
            self.patchtohere(list)
        } else {
            self.patchlistaux(list, target, NO_REG as i32, target)
        }
    }

    /// `luaK_patchtohere`.
    pub(crate) fn patchtohere(&mut self, list: i32) -> LResult<()> {
        self.getlabel();
        let mut jpc = self.fs.jpc;
        self.concat(&mut jpc, list)?;
        self.fs.jpc = jpc;
        Ok(())
    }

    /// `luaK_concat`: appends list `l2` to list `l1`, consuming `l2`.
    pub(crate) fn concat(&mut self, l1: &mut i32, l2: i32) -> LResult<()> {
        if l2 == NO_JUMP {
            return Ok(());
        }
        if *l1 == NO_JUMP {
            *l1 = l2;
            return Ok(());
        }
        let last = self.last_node(*l1);
        self.fixjump(last, l2)?;
        let new_last = self.last_node(l2);
        self.remember_tail(*l1, new_last);
        Ok(())
    }

    /// The last node of the non-empty list `head`, walking from its cached tail when that
    /// names a jump instruction, and remembered for the next time.
    fn last_node(&mut self, head: i32) -> i32 {
        let cached = usize::try_from(head)
            .ok()
            .and_then(|h| self.fs.jump_tails.get(h).copied())
            .filter(|&node| self.is_jump(node));
        let mut node = cached.unwrap_or(head);
        loop {
            let next = self.getjump(node);
            if next == NO_JUMP {
                break;
            }
            node = next;
        }
        self.remember_tail(head, node);
        node
    }

    /// Whether `pc` names an emitted instruction with an `sBx` jump (`JMP`, `FORPREP`,
    /// `FORLOOP`), the only instructions jump lists go through.
    fn is_jump(&self, pc: i32) -> bool {
        usize::try_from(pc)
            .ok()
            .and_then(|pc| self.fs.code.get(pc))
            .is_some_and(|i| i.opcode().is_ok_and(|op| op.format() == OpFormat::AsBx))
    }

    fn remember_tail(&mut self, head: i32, last: i32) {
        let Ok(h) = usize::try_from(head) else {
            return;
        };
        let tails = &mut self.fs.jump_tails;
        if h >= tails.len() {
            if head == last {
                // A one-node list needs no entry.
                return;
            }
            tails.resize(self.fs.code.len().max(h + 1), NO_JUMP);
        }
        if let Some(slot) = tails.get_mut(h) {
            *slot = last;
        }
    }

    fn forget_tail(&mut self, node: i32) {
        if let Some(slot) = usize::try_from(node)
            .ok()
            .and_then(|n| self.fs.jump_tails.get_mut(n))
        {
            *slot = NO_JUMP;
        }
    }
}

#[cfg(test)]
mod tests;
