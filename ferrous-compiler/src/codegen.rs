//! The code generator: a port of Lua 5.1's `lcode.c`, as methods on `Parser`.
//!
//! Expressions are `ExpDesc`s that are "discharged" into registers or RK operands only
//! when needed; conditional jumps are kept in true/false patch lists until their target is
//! known; jumps to the current position are collected in `jpc` and patched when the next
//! instruction is emitted (the jump lists themselves are `jumps.rs`).
//!
//! Invariants (`lcode.c`'s): registers are freed in LIFO order (`free_reg` only frees the
//! top register); an instruction is emitted with the line of the last token consumed
//! (`lastline`); the instruction listing equals `luac5.1 -l -l`'s for the same source.

use crate::error::CompileErrorKind;
use crate::funcstate::{ConstKey, ExpDesc, ExpKind, LUA_MULTRET, MAXSTACK, NO_JUMP};
use crate::lexer::LResult;
use crate::module::{Constant, StrIdx};
use crate::opcodes::{
    Instruction, LFIELDS_PER_FLUSH, MAXARG_BX, MAXARG_C, MAXARG_SBX, MAXINDEXRK, NO_REG, OpCode,
    rk_as_k,
};
use crate::parser::Parser;

/// Binary operators (5.1's `BinOpr`, same order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BinOpr {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Concat,
    Ne,
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
}

/// Unary operators (5.1's `UnOpr`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UnOpr {
    Minus,
    Not,
    Len,
}

fn is_k_operand(x: i32) -> bool {
    x & (1 << 8) != 0
}

impl Parser<'_> {
    fn code(&mut self, i: Instruction, line: u32) -> LResult<i32> {
        self.dischargejpc()?;
        self.fs.code.push(i);
        self.fs.line_info.push(line);
        Ok(self.fs.pc() - 1)
    }

    /// `luaK_codeABC`.
    pub(crate) fn code_abc(&mut self, op: OpCode, a: i32, b: i32, c: i32) -> LResult<i32> {
        let line = self.ls.lastline;
        self.code(Instruction::abc(op, a as u32, b as u32, c as u32), line)
    }

    /// `luaK_codeABx`.
    pub(crate) fn code_abx(&mut self, op: OpCode, a: i32, bx: u32) -> LResult<i32> {
        let line = self.ls.lastline;
        self.code(Instruction::abx(op, a as u32, bx), line)
    }

    /// `luaK_codeAsBx`.
    pub(crate) fn code_asbx(&mut self, op: OpCode, a: i32, sbx: i32) -> LResult<i32> {
        self.code_abx(op, a, (sbx + MAXARG_SBX) as u32)
    }

    /// `luaK_fixline`: the last instruction belongs to `line`.
    pub(crate) fn fixline(&mut self, line: u32) {
        if let Some(l) = self.fs.line_info.last_mut() {
            *l = line;
        }
    }

    /// `luaK_nil`: registers `from .. from+n-1` := nil, merged with a previous `LOADNIL`.
    pub(crate) fn nil(&mut self, from: i32, n: i32) -> LResult<()> {
        let fs = &mut self.fs;
        if fs.pc() > fs.lasttarget {
            if fs.pc() == 0 {
                if from >= fs.nactvar as i32 {
                    return Ok(());
                }
            } else {
                let pc = fs.pc() - 1;
                let previous = fs.instr(pc);
                if previous.opcode() == Ok(OpCode::LoadNil) {
                    let pfrom = previous.a() as i32;
                    let pto = previous.b() as i32;
                    if pfrom <= from && from <= pto + 1 {
                        if from + n - 1 > pto {
                            previous.set_b((from + n - 1) as u32);
                        }
                        return Ok(());
                    }
                }
            }
        }
        self.code_abc(OpCode::LoadNil, from, from + n - 1, 0)?;
        Ok(())
    }

    /// `luaK_jump`.
    pub(crate) fn jump(&mut self) -> LResult<i32> {
        let jpc = self.fs.jpc;
        self.fs.jpc = NO_JUMP;
        let mut j = self.code_asbx(OpCode::Jmp, 0, NO_JUMP)?;
        self.concat(&mut j, jpc)?;
        Ok(j)
    }

    /// `luaK_ret`.
    pub(crate) fn ret(&mut self, first: i32, nret: i32) -> LResult<()> {
        self.code_abc(OpCode::Return, first, nret + 1, 0)?;
        Ok(())
    }

    fn condjump(&mut self, op: OpCode, a: i32, b: i32, c: i32) -> LResult<i32> {
        self.code_abc(op, a, b, c)?;
        self.jump()
    }

    /// `luaK_checkstack`.
    pub(crate) fn checkstack(&mut self, n: i32) -> LResult<()> {
        let newstack = self.fs.freereg + n;
        if newstack > i32::from(self.fs.max_stack_size) {
            if newstack >= MAXSTACK {
                return Err(self.ls.error_near(
                    CompileErrorKind::TooComplex,
                    b"function or expression too complex",
                ));
            }
            self.fs.max_stack_size = newstack as u8;
        }
        Ok(())
    }

    /// `luaK_reserveregs`.
    pub(crate) fn reserveregs(&mut self, n: i32) -> LResult<()> {
        self.checkstack(n)?;
        self.fs.freereg += n;
        Ok(())
    }

    fn free_reg(&mut self, reg: i32) {
        if !is_k_operand(reg) && reg >= self.fs.nactvar as i32 {
            self.fs.freereg -= 1;
        }
    }

    fn freeexp(&mut self, e: &ExpDesc) {
        if e.k == ExpKind::NonReloc {
            self.free_reg(e.info);
        }
    }

    fn addk(&mut self, key: ConstKey, value: Constant) -> LResult<i32> {
        if let Some(&idx) = self.fs.h.get(&key) {
            return Ok(idx as i32);
        }
        let idx = self.fs.k.len() as u32;
        if idx >= MAXARG_BX {
            return Err(self.overflow_error());
        }
        self.fs.h.insert(key, idx);
        self.fs.k.push(value);
        Ok(idx as i32)
    }

    /// `constant table overflow` (5.1 raises it without position).
    pub(crate) fn overflow_error(&self) -> Box<crate::CompileError> {
        crate::CompileError::bare(
            CompileErrorKind::ConstantTableOverflow,
            self.ls.line(),
            b"constant table overflow",
        )
    }

    /// `luaK_stringK`.
    pub(crate) fn string_k(&mut self, s: StrIdx) -> LResult<i32> {
        self.addk(ConstKey::Str(s.0), Constant::String(s))
    }

    /// `luaK_numberK`.
    pub(crate) fn number_k(&mut self, r: f64) -> LResult<i32> {
        let bits = if r == 0.0 { 0 } else { r.to_bits() };
        self.addk(ConstKey::Num(bits), Constant::Number(r))
    }

    fn bool_k(&mut self, b: bool) -> LResult<i32> {
        self.addk(ConstKey::Bool(b), Constant::Boolean(b))
    }

    fn nil_k(&mut self) -> LResult<i32> {
        self.addk(ConstKey::Nil, Constant::Nil)
    }

    /// `luaK_setreturns`.
    pub(crate) fn setreturns(&mut self, e: &mut ExpDesc, nresults: i32) -> LResult<()> {
        if e.k == ExpKind::Call {
            self.fs.instr(e.info).set_c((nresults + 1) as u32);
        } else if e.k == ExpKind::Vararg {
            let freereg = self.fs.freereg;
            let i = self.fs.instr(e.info);
            i.set_b((nresults + 1) as u32);
            i.set_a(freereg as u32);
            self.reserveregs(1)?;
        }
        Ok(())
    }

    /// `luaK_setmultret`.
    pub(crate) fn setmultret(&mut self, e: &mut ExpDesc) -> LResult<()> {
        self.setreturns(e, LUA_MULTRET)
    }

    /// `luaK_setoneret`.
    pub(crate) fn setoneret(&mut self, e: &mut ExpDesc) {
        if e.k == ExpKind::Call {
            e.k = ExpKind::NonReloc;
            e.info = self.fs.instr(e.info).a() as i32;
        } else if e.k == ExpKind::Vararg {
            self.fs.instr(e.info).set_b(2);
            e.k = ExpKind::Relocable;
        }
    }

    /// `luaK_dischargevars`.
    pub(crate) fn dischargevars(&mut self, e: &mut ExpDesc) -> LResult<()> {
        match e.k {
            ExpKind::Local => e.k = ExpKind::NonReloc,
            ExpKind::Upval => {
                e.info = self.code_abc(OpCode::GetUpval, 0, e.info, 0)?;
                e.k = ExpKind::Relocable;
            }
            ExpKind::Global => {
                e.info = self.code_abx(OpCode::GetGlobal, 0, e.info as u32)?;
                e.k = ExpKind::Relocable;
            }
            ExpKind::Indexed => {
                self.free_reg(e.aux);
                self.free_reg(e.info);
                e.info = self.code_abc(OpCode::GetTable, 0, e.info, e.aux)?;
                e.k = ExpKind::Relocable;
            }
            ExpKind::Vararg | ExpKind::Call => self.setoneret(e),
            _ => {}
        }
        Ok(())
    }

    fn code_label(&mut self, a: i32, b: i32, jump: i32) -> LResult<i32> {
        self.getlabel();
        self.code_abc(OpCode::LoadBool, a, b, jump)
    }

    fn discharge2reg(&mut self, e: &mut ExpDesc, reg: i32) -> LResult<()> {
        self.dischargevars(e)?;
        match e.k {
            ExpKind::Nil => self.nil(reg, 1)?,
            ExpKind::False | ExpKind::True => {
                self.code_abc(OpCode::LoadBool, reg, i32::from(e.k == ExpKind::True), 0)?;
            }
            ExpKind::K => {
                self.code_abx(OpCode::LoadK, reg, e.info as u32)?;
            }
            ExpKind::KNum => {
                let k = self.number_k(e.nval)?;
                self.code_abx(OpCode::LoadK, reg, k as u32)?;
            }
            ExpKind::Relocable => self.fs.instr(e.info).set_a(reg as u32),
            ExpKind::NonReloc => {
                if reg != e.info {
                    self.code_abc(OpCode::Move, reg, e.info, 0)?;
                }
            }
            _ => return Ok(()),
        }
        e.info = reg;
        e.k = ExpKind::NonReloc;
        Ok(())
    }

    fn discharge2anyreg(&mut self, e: &mut ExpDesc) -> LResult<()> {
        if e.k != ExpKind::NonReloc {
            self.reserveregs(1)?;
            let reg = self.fs.freereg - 1;
            self.discharge2reg(e, reg)?;
        }
        Ok(())
    }

    fn exp2reg(&mut self, e: &mut ExpDesc, reg: i32) -> LResult<()> {
        self.discharge2reg(e, reg)?;
        if e.k == ExpKind::Jmp {
            let mut t = e.t;
            self.concat(&mut t, e.info)?;
            e.t = t;
        }
        if e.has_jumps() {
            let mut p_f = NO_JUMP;
            let mut p_t = NO_JUMP;
            if self.need_value(e.t) || self.need_value(e.f) {
                let fj = if e.k == ExpKind::Jmp {
                    NO_JUMP
                } else {
                    self.jump()?
                };
                p_f = self.code_label(reg, 0, 1)?;
                p_t = self.code_label(reg, 1, 0)?;
                self.patchtohere(fj)?;
            }
            let last = self.getlabel();
            self.patchlistaux(e.f, last, reg, p_f)?;
            self.patchlistaux(e.t, last, reg, p_t)?;
        }
        e.f = NO_JUMP;
        e.t = NO_JUMP;
        e.info = reg;
        e.k = ExpKind::NonReloc;
        Ok(())
    }

    /// `luaK_exp2nextreg`.
    pub(crate) fn exp2nextreg(&mut self, e: &mut ExpDesc) -> LResult<()> {
        self.dischargevars(e)?;
        self.freeexp(e);
        self.reserveregs(1)?;
        let reg = self.fs.freereg - 1;
        self.exp2reg(e, reg)
    }

    /// `luaK_exp2anyreg`.
    pub(crate) fn exp2anyreg(&mut self, e: &mut ExpDesc) -> LResult<i32> {
        self.dischargevars(e)?;
        if e.k == ExpKind::NonReloc {
            if !e.has_jumps() {
                return Ok(e.info);
            }
            if e.info >= self.fs.nactvar as i32 {
                let reg = e.info;
                self.exp2reg(e, reg)?;
                return Ok(e.info);
            }
        }
        self.exp2nextreg(e)?;
        Ok(e.info)
    }

    /// `luaK_exp2val`.
    pub(crate) fn exp2val(&mut self, e: &mut ExpDesc) -> LResult<()> {
        if e.has_jumps() {
            self.exp2anyreg(e)?;
            Ok(())
        } else {
            self.dischargevars(e)
        }
    }

    /// `luaK_exp2RK`.
    pub(crate) fn exp2rk(&mut self, e: &mut ExpDesc) -> LResult<i32> {
        self.exp2val(e)?;
        match e.k {
            ExpKind::KNum | ExpKind::True | ExpKind::False | ExpKind::Nil
                if self.fs.k.len() as u32 <= MAXINDEXRK =>
            {
                e.info = match e.k {
                    ExpKind::Nil => self.nil_k()?,
                    ExpKind::KNum => self.number_k(e.nval)?,
                    _ => self.bool_k(e.k == ExpKind::True)?,
                };
                e.k = ExpKind::K;
                return Ok(rk_as_k(e.info as u32) as i32);
            }
            ExpKind::K if e.info as u32 <= MAXINDEXRK => {
                return Ok(rk_as_k(e.info as u32) as i32);
            }
            _ => {}
        }
        self.exp2anyreg(e)
    }

    /// `luaK_storevar`.
    pub(crate) fn storevar(&mut self, var: &ExpDesc, ex: &mut ExpDesc) -> LResult<()> {
        match var.k {
            ExpKind::Local => {
                self.freeexp(ex);
                return self.exp2reg(ex, var.info);
            }
            ExpKind::Upval => {
                let e = self.exp2anyreg(ex)?;
                self.code_abc(OpCode::SetUpval, e, var.info, 0)?;
            }
            ExpKind::Global => {
                let e = self.exp2anyreg(ex)?;
                self.code_abx(OpCode::SetGlobal, e, var.info as u32)?;
            }
            ExpKind::Indexed => {
                let e = self.exp2rk(ex)?;
                self.code_abc(OpCode::SetTable, var.info, var.aux, e)?;
            }
            _ => {}
        }
        self.freeexp(ex);
        Ok(())
    }

    /// `luaK_self`.
    pub(crate) fn self_(&mut self, e: &mut ExpDesc, key: &mut ExpDesc) -> LResult<()> {
        self.exp2anyreg(e)?;
        self.freeexp(e);
        let func = self.fs.freereg;
        self.reserveregs(2)?;
        let k = self.exp2rk(key)?;
        self.code_abc(OpCode::OpSelf, func, e.info, k)?;
        self.freeexp(key);
        e.info = func;
        e.k = ExpKind::NonReloc;
        Ok(())
    }

    fn invertjump(&mut self, e: &ExpDesc) {
        let ctl = self.getjumpcontrol(e.info);
        let i = self.fs.instr(ctl);
        let a = i.a();
        i.set_a(u32::from(a == 0));
    }

    fn jumponcond(&mut self, e: &mut ExpDesc, cond: bool) -> LResult<i32> {
        if e.k == ExpKind::Relocable {
            let ie = *self.fs.instr(e.info);
            if ie.opcode() == Ok(OpCode::Not) {
                // Remove the previous NOT.
                self.fs.code.pop();
                self.fs.line_info.pop();
                self.fs.jump_tails.truncate(self.fs.code.len());
                return self.condjump(OpCode::Test, ie.b() as i32, 0, i32::from(!cond));
            }
        }
        self.discharge2anyreg(e)?;
        self.freeexp(e);
        self.condjump(OpCode::TestSet, NO_REG as i32, e.info, i32::from(cond))
    }

    /// `luaK_goiftrue`.
    pub(crate) fn goiftrue(&mut self, e: &mut ExpDesc) -> LResult<()> {
        self.dischargevars(e)?;
        let pc = match e.k {
            ExpKind::K | ExpKind::KNum | ExpKind::True => NO_JUMP,
            ExpKind::Jmp => {
                self.invertjump(e);
                e.info
            }
            _ => self.jumponcond(e, false)?,
        };
        let mut f = e.f;
        self.concat(&mut f, pc)?;
        e.f = f;
        self.patchtohere(e.t)?;
        e.t = NO_JUMP;
        Ok(())
    }

    fn goiffalse(&mut self, e: &mut ExpDesc) -> LResult<()> {
        self.dischargevars(e)?;
        let pc = match e.k {
            ExpKind::Nil | ExpKind::False => NO_JUMP,
            ExpKind::Jmp => e.info,
            _ => self.jumponcond(e, true)?,
        };
        let mut t = e.t;
        self.concat(&mut t, pc)?;
        e.t = t;
        self.patchtohere(e.f)?;
        e.f = NO_JUMP;
        Ok(())
    }

    fn codenot(&mut self, e: &mut ExpDesc) -> LResult<()> {
        self.dischargevars(e)?;
        match e.k {
            ExpKind::Nil | ExpKind::False => e.k = ExpKind::True,
            ExpKind::K | ExpKind::KNum | ExpKind::True => e.k = ExpKind::False,
            ExpKind::Jmp => self.invertjump(e),
            ExpKind::Relocable | ExpKind::NonReloc => {
                self.discharge2anyreg(e)?;
                self.freeexp(e);
                e.info = self.code_abc(OpCode::Not, 0, e.info, 0)?;
                e.k = ExpKind::Relocable;
            }
            _ => {}
        }
        std::mem::swap(&mut e.f, &mut e.t);
        self.removevalues(e.f);
        self.removevalues(e.t);
        Ok(())
    }

    /// `luaK_indexed`.
    pub(crate) fn indexed(&mut self, t: &mut ExpDesc, k: &mut ExpDesc) -> LResult<()> {
        t.aux = self.exp2rk(k)?;
        t.k = ExpKind::Indexed;
        Ok(())
    }

    fn codearith(&mut self, op: OpCode, e1: &mut ExpDesc, e2: &mut ExpDesc) -> LResult<()> {
        if constfolding(op, e1, e2) {
            return Ok(());
        }
        let o2 = if op != OpCode::Unm && op != OpCode::Len {
            self.exp2rk(e2)?
        } else {
            0
        };
        let o1 = self.exp2rk(e1)?;
        if o1 > o2 {
            self.freeexp(e1);
            self.freeexp(e2);
        } else {
            self.freeexp(e2);
            self.freeexp(e1);
        }
        e1.info = self.code_abc(op, 0, o1, o2)?;
        e1.k = ExpKind::Relocable;
        Ok(())
    }

    fn codecomp(
        &mut self,
        op: OpCode,
        mut cond: i32,
        e1: &mut ExpDesc,
        e2: &mut ExpDesc,
    ) -> LResult<()> {
        let mut o1 = self.exp2rk(e1)?;
        let mut o2 = self.exp2rk(e2)?;
        self.freeexp(e2);
        self.freeexp(e1);
        if cond == 0 && op != OpCode::Eq {
            std::mem::swap(&mut o1, &mut o2);
            cond = 1;
        }
        e1.info = self.condjump(op, cond, o1, o2)?;
        e1.k = ExpKind::Jmp;
        Ok(())
    }

    /// `luaK_prefix`.
    pub(crate) fn prefix(&mut self, op: UnOpr, e: &mut ExpDesc) -> LResult<()> {
        let mut e2 = ExpDesc::num(0.0);
        match op {
            UnOpr::Minus => {
                if !e.is_numeral() {
                    self.exp2anyreg(e)?;
                }
                self.codearith(OpCode::Unm, e, &mut e2)
            }
            UnOpr::Not => self.codenot(e),
            UnOpr::Len => {
                self.exp2anyreg(e)?;
                self.codearith(OpCode::Len, e, &mut e2)
            }
        }
    }

    /// `luaK_infix`.
    pub(crate) fn infix(&mut self, op: BinOpr, v: &mut ExpDesc) -> LResult<()> {
        match op {
            BinOpr::And => self.goiftrue(v),
            BinOpr::Or => self.goiffalse(v),
            BinOpr::Concat => self.exp2nextreg(v),
            BinOpr::Add | BinOpr::Sub | BinOpr::Mul | BinOpr::Div | BinOpr::Mod | BinOpr::Pow => {
                if !v.is_numeral() {
                    self.exp2rk(v)?;
                }
                Ok(())
            }
            _ => {
                self.exp2rk(v)?;
                Ok(())
            }
        }
    }

    /// `luaK_posfix`.
    pub(crate) fn posfix(&mut self, op: BinOpr, e1: &mut ExpDesc, e2: &mut ExpDesc) -> LResult<()> {
        match op {
            BinOpr::And => {
                self.dischargevars(e2)?;
                let mut f = e2.f;
                self.concat(&mut f, e1.f)?;
                e2.f = f;
                *e1 = *e2;
                Ok(())
            }
            BinOpr::Or => {
                self.dischargevars(e2)?;
                let mut t = e2.t;
                self.concat(&mut t, e1.t)?;
                e2.t = t;
                *e1 = *e2;
                Ok(())
            }
            BinOpr::Concat => {
                self.exp2val(e2)?;
                if e2.k == ExpKind::Relocable
                    && self.fs.instr(e2.info).opcode() == Ok(OpCode::Concat)
                {
                    self.freeexp(e1);
                    self.fs.instr(e2.info).set_b(e1.info as u32);
                    e1.k = ExpKind::Relocable;
                    e1.info = e2.info;
                    Ok(())
                } else {
                    self.exp2nextreg(e2)?;
                    self.codearith(OpCode::Concat, e1, e2)
                }
            }
            BinOpr::Add => self.codearith(OpCode::Add, e1, e2),
            BinOpr::Sub => self.codearith(OpCode::Sub, e1, e2),
            BinOpr::Mul => self.codearith(OpCode::Mul, e1, e2),
            BinOpr::Div => self.codearith(OpCode::Div, e1, e2),
            BinOpr::Mod => self.codearith(OpCode::Mod, e1, e2),
            BinOpr::Pow => self.codearith(OpCode::Pow, e1, e2),
            BinOpr::Eq => self.codecomp(OpCode::Eq, 1, e1, e2),
            BinOpr::Ne => self.codecomp(OpCode::Eq, 0, e1, e2),
            BinOpr::Lt => self.codecomp(OpCode::Lt, 1, e1, e2),
            BinOpr::Le => self.codecomp(OpCode::Le, 1, e1, e2),
            BinOpr::Gt => self.codecomp(OpCode::Lt, 0, e1, e2),
            BinOpr::Ge => self.codecomp(OpCode::Le, 0, e1, e2),
        }
    }

    /// `luaK_setlist`.
    pub(crate) fn setlist(&mut self, base: i32, nelems: i32, tostore: i32) -> LResult<()> {
        let c = (nelems - 1) / LFIELDS_PER_FLUSH as i32 + 1;
        let b = if tostore == LUA_MULTRET { 0 } else { tostore };
        if c <= MAXARG_C as i32 {
            self.code_abc(OpCode::SetList, base, b, c)?;
        } else {
            self.code_abc(OpCode::SetList, base, b, 0)?;
            let line = self.ls.lastline;
            self.code(Instruction(c as u32), line)?;
        }
        self.fs.freereg = base + 1;
        Ok(())
    }
}

/// `constfolding`: folds arithmetic on numeric literals where 5.1 does.
fn constfolding(op: OpCode, e1: &mut ExpDesc, e2: &ExpDesc) -> bool {
    if !e1.is_numeral() || !e2.is_numeral() {
        return false;
    }
    let (v1, v2) = (e1.nval, e2.nval);
    let r = match op {
        OpCode::Add => v1 + v2,
        OpCode::Sub => v1 - v2,
        OpCode::Mul => v1 * v2,
        OpCode::Div if v2 == 0.0 => return false,
        OpCode::Div => v1 / v2,
        OpCode::Mod if v2 == 0.0 => return false,
        // luai_nummod: a - floor(a/b)*b
        OpCode::Mod => v1 - (v1 / v2).floor() * v2,
        OpCode::Pow => v1.powf(v2),
        OpCode::Unm => -v1,
        _ => return false,
    };
    if r.is_nan() {
        return false;
    }
    e1.nval = r;
    true
}
