//! The parser: a port of Lua 5.1's `lparser.c` (statements, scopes, variables); expressions
//! are in `expr.rs`, code generation in `codegen.rs`.
//!
//! `Parser` owns the lexer, the function being compiled (`fs`) and the enclosing ones
//! (`outer`, innermost last), and the nesting counter that bounds recursion.
//!
//! Invariants:
//! - Every recursive descent passes `enter_level`, which fails with 5.1's `chunk has too
//!   many syntax levels` after `LUAI_MAXCCALLS` (200) levels, counting from 1 as inside
//!   `luac`/`loadstring`; the Rust stack depth is therefore bounded.
//! - Between statements `freereg == nactvar` (all temporaries are released).
//! - Errors are returned (`Box<CompileError>`), never panics.

use crate::error::CompileErrorKind;
use crate::funcstate::{
    BlockCnt, ExpDesc, ExpKind, FuncState, LUA_MULTRET, LUAI_MAXUPVALUES, LUAI_MAXVARS, NO_JUMP,
    UpvalDesc,
};
use crate::lexer::{Input, LResult, Lexer, Sem, Tok};
use crate::module::{CompiledModule, LocalVar, Proto, StrIdx, VARARG_ISVARARG};
use crate::opcodes::OpCode;
use crate::strings::Interner;

/// `LUAI_MAXCCALLS`: nesting limit of the parser.
pub(crate) const LUAI_MAXCCALLS: u32 = 200;
/// `SHRT_MAX`: local-variable records per function.
const MAX_LOCVARS: usize = 32767;

/// The parser state (5.1's `LexState` + the `FuncState` chain).
pub(crate) struct Parser<'s> {
    pub(crate) ls: Lexer<'s>,
    pub(crate) fs: FuncState,
    pub(crate) outer: Vec<FuncState>,
    /// 5.1's `L->nCcalls` during parsing.
    nccalls: u32,
    source: StrIdx,
}

/// One target of a multiple assignment (5.1's `LHS_assign`, kept in a vector).
type LhsList = Vec<ExpDesc>;

/// Parses and compiles a whole chunk (`luaY_parser`).
pub(crate) fn parse(input: Input<'_>, chunk_name: &[u8]) -> LResult<CompiledModule> {
    let mut interner = Interner::default();
    let name = &chunk_name[..chunk_name
        .iter()
        .position(|&c| c == 0)
        .unwrap_or(chunk_name.len())];
    let source_idx = interner.intern(name);
    let mut p = Parser {
        ls: Lexer::new(input, chunk_name, interner),
        fs: FuncState::new(0),
        outer: Vec::new(),
        // `luac` and `loadstring` parse inside one C call.
        nccalls: 1,
        source: source_idx,
    };
    p.fs.is_vararg = VARARG_ISVARARG;
    p.ls.next()?;
    p.chunk()?;
    p.check(Tok::Eos)?;
    let (main, _) = p.close_func()?;
    Ok(CompiledModule {
        strings: p.ls.into_interner().into_table(),
        main,
    })
}

impl<'s> Parser<'s> {
    // ---- helpers ------------------------------------------------------------------------

    pub(crate) fn error_expected(&self, tok: Tok) -> Box<crate::CompileError> {
        let mut msg = b"'".to_vec();
        msg.extend_from_slice(&tok.text());
        msg.extend_from_slice(b"' expected");
        self.ls.syntax_error(&msg)
    }

    /// `errorlimit`.
    pub(crate) fn error_limit(
        &self,
        fs: &FuncState,
        limit: u32,
        what: &str,
    ) -> Box<crate::CompileError> {
        let msg = if fs.line_defined == 0 {
            format!("main function has more than {limit} {what}")
        } else {
            format!(
                "function at line {} has more than {limit} {what}",
                fs.line_defined
            )
        };
        self.ls
            .error_at_line(CompileErrorKind::LimitExceeded, msg.as_bytes())
    }

    pub(crate) fn testnext(&mut self, tok: Tok) -> LResult<bool> {
        if self.ls.t.tok == tok {
            self.ls.next()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    pub(crate) fn check(&self, tok: Tok) -> LResult<()> {
        if self.ls.t.tok != tok {
            return Err(self.error_expected(tok));
        }
        Ok(())
    }

    pub(crate) fn checknext(&mut self, tok: Tok) -> LResult<()> {
        self.check(tok)?;
        self.ls.next()
    }

    /// `check_match`.
    pub(crate) fn check_match(&mut self, what: Tok, who: Tok, line: u32) -> LResult<()> {
        if !self.testnext(what)? {
            if line == self.ls.line() {
                return Err(self.error_expected(what));
            }
            let mut msg = b"'".to_vec();
            msg.extend_from_slice(&what.text());
            msg.extend_from_slice(b"' expected (to close '");
            msg.extend_from_slice(&who.text());
            msg.extend_from_slice(format!("' at line {line})").as_bytes());
            return Err(self.ls.syntax_error(&msg));
        }
        Ok(())
    }

    /// `str_checkname`.
    pub(crate) fn str_checkname(&mut self) -> LResult<StrIdx> {
        self.check(Tok::Name)?;
        let Sem::Str(name) = self.ls.t.sem else {
            return Err(self.error_expected(Tok::Name));
        };
        self.ls.next()?;
        Ok(name)
    }

    /// `checkname`: a name as a string constant.
    pub(crate) fn checkname(&mut self) -> LResult<ExpDesc> {
        let name = self.str_checkname()?;
        Ok(ExpDesc::new(ExpKind::K, self.string_k(name)?))
    }

    pub(crate) fn enter_level(&mut self) -> LResult<()> {
        self.nccalls += 1;
        if self.nccalls > LUAI_MAXCCALLS {
            return Err(self.ls.error_at_line(
                CompileErrorKind::TooManySyntaxLevels,
                b"chunk has too many syntax levels",
            ));
        }
        Ok(())
    }

    pub(crate) fn leave_level(&mut self) {
        self.nccalls -= 1;
    }

    // ---- variables ----------------------------------------------------------------------

    fn registerlocalvar(&mut self, name: StrIdx) -> LResult<u16> {
        if self.fs.locvars.len() >= MAX_LOCVARS {
            return Err(crate::CompileError::bare(
                CompileErrorKind::TooManyLocalVariables,
                self.ls.line(),
                b"too many local variables",
            ));
        }
        self.fs.locvars.push(LocalVar {
            name,
            start_pc: 0,
            end_pc: 0,
        });
        Ok((self.fs.locvars.len() - 1) as u16)
    }

    /// `new_localvar`: declares local `n` (counting from the active ones), not yet active.
    pub(crate) fn new_localvar(&mut self, name: StrIdx, n: u32) -> LResult<()> {
        if self.fs.nactvar + n + 1 > LUAI_MAXVARS {
            return Err(self.error_limit(&self.fs, LUAI_MAXVARS, "local variables"));
        }
        let idx = self.registerlocalvar(name)?;
        let slot = (self.fs.nactvar + n) as usize;
        if self.fs.actvar.len() <= slot {
            self.fs.actvar.resize(slot + 1, 0);
        }
        self.fs.actvar[slot] = idx;
        Ok(())
    }

    /// `new_localvarliteral`.
    pub(crate) fn new_localvar_literal(&mut self, name: &str, n: u32) -> LResult<()> {
        let name = self.ls.interner.intern(name.as_bytes());
        self.new_localvar(name, n)
    }

    /// `adjustlocalvars`.
    pub(crate) fn adjustlocalvars(&mut self, nvars: u32) {
        self.fs.nactvar += nvars;
        let pc = self.fs.pc() as u32;
        for i in (self.fs.nactvar - nvars)..self.fs.nactvar {
            if let Some(v) = self.fs.locvar(i) {
                v.start_pc = pc;
            }
        }
    }

    fn removevars(&mut self, tolevel: u32) {
        let pc = self.fs.pc() as u32;
        while self.fs.nactvar > tolevel {
            self.fs.nactvar -= 1;
            let i = self.fs.nactvar;
            if let Some(v) = self.fs.locvar(i) {
                v.end_pc = pc;
            }
        }
    }

    /// `indexupvalue` on the function at `level` (0 = outermost, `outer.len()` = current).
    fn indexupvalue(&mut self, level: usize, name: StrIdx, v: &ExpDesc) -> LResult<i32> {
        let desc = UpvalDesc {
            from_local: v.k == ExpKind::Local,
            info: v.info as u8,
        };
        let fs = if level == self.outer.len() {
            &self.fs
        } else {
            &self.outer[level]
        };
        if let Some(i) = fs.upvalues.iter().position(|u| *u == desc) {
            return Ok(i as i32);
        }
        if fs.upvalues.len() as u32 + 1 > LUAI_MAXUPVALUES {
            return Err(self.error_limit(fs, LUAI_MAXUPVALUES, "upvalues"));
        }
        let fs = if level == self.outer.len() {
            &mut self.fs
        } else {
            &mut self.outer[level]
        };
        fs.upvalue_names.push(name);
        fs.upvalues.push(desc);
        Ok(fs.upvalues.len() as i32 - 1)
    }

    /// `singlevar`: resolves a name to a local, an upvalue or a global.
    pub(crate) fn singlevar(&mut self) -> LResult<ExpDesc> {
        let name = self.str_checkname()?;
        if let Some(v) = searchvar(&self.fs, name) {
            return Ok(ExpDesc::new(ExpKind::Local, v as i32));
        }
        // Find the innermost enclosing function where the name is a local.
        let mut found = None;
        for level in (0..self.outer.len()).rev() {
            if let Some(v) = searchvar(&self.outer[level], name) {
                markupval(&mut self.outer[level], v);
                found = Some((level, v));
                break;
            }
        }
        let Some((level, v)) = found else {
            let k = self.string_k(name)?;
            return Ok(ExpDesc::new(ExpKind::Global, k));
        };
        let mut var = ExpDesc::new(ExpKind::Local, v as i32);
        for inner in level + 1..=self.outer.len() {
            let idx = self.indexupvalue(inner, name, &var)?;
            var = ExpDesc::new(ExpKind::Upval, idx);
        }
        Ok(var)
    }

    /// `adjust_assign`.
    pub(crate) fn adjust_assign(&mut self, nvars: i32, nexps: i32, e: &mut ExpDesc) -> LResult<()> {
        let mut extra = nvars - nexps;
        if e.has_multret() {
            extra += 1;
            if extra < 0 {
                extra = 0;
            }
            self.setreturns(e, extra)?;
            if extra > 1 {
                self.reserveregs(extra - 1)?;
            }
        } else {
            if e.k != ExpKind::Void {
                self.exp2nextreg(e)?;
            }
            if extra > 0 {
                let reg = self.fs.freereg;
                self.reserveregs(extra)?;
                self.nil(reg, extra)?;
            }
        }
        Ok(())
    }

    // ---- blocks and functions -----------------------------------------------------------

    pub(crate) fn enterblock(&mut self, isbreakable: bool) {
        self.fs.bl.push(BlockCnt {
            breaklist: NO_JUMP,
            nactvar: self.fs.nactvar,
            upval: false,
            isbreakable,
        });
    }

    pub(crate) fn leaveblock(&mut self) -> LResult<()> {
        let Some(bl) = self.fs.bl.pop() else {
            return Ok(());
        };
        self.removevars(bl.nactvar);
        if bl.upval {
            self.code_abc(OpCode::Close, bl.nactvar as i32, 0, 0)?;
        }
        self.fs.freereg = self.fs.nactvar as i32;
        self.patchtohere(bl.breaklist)
    }

    /// `open_func`: starts compiling a nested function.
    pub(crate) fn open_func(&mut self, line_defined: u32) {
        let parent = std::mem::replace(&mut self.fs, FuncState::new(line_defined));
        self.outer.push(parent);
    }

    /// `close_func`: finishes the current function; returns it with its upvalue descriptors.
    pub(crate) fn close_func(&mut self) -> LResult<(Proto, Vec<UpvalDesc>)> {
        self.removevars(0);
        self.ret(0, 0)?;
        let fs = match self.outer.pop() {
            Some(parent) => std::mem::replace(&mut self.fs, parent),
            None => std::mem::replace(&mut self.fs, FuncState::new(0)),
        };
        let upvalues = fs.upvalues.clone();
        Ok((fs.into_proto(self.source), upvalues))
    }

    /// `pushclosure`.
    pub(crate) fn pushclosure(&mut self, func: Proto, upvalues: &[UpvalDesc]) -> LResult<ExpDesc> {
        if self.fs.p.len() as u32 >= crate::opcodes::MAXARG_BX {
            return Err(self.overflow_error());
        }
        self.fs.p.push(func);
        let np = self.fs.p.len() as u32 - 1;
        let pc = self.code_abx(OpCode::Closure, 0, np)?;
        for u in upvalues {
            let op = if u.from_local {
                OpCode::Move
            } else {
                OpCode::GetUpval
            };
            self.code_abc(op, 0, i32::from(u.info), 0)?;
        }
        Ok(ExpDesc::new(ExpKind::Relocable, pc))
    }

    // ---- statements ---------------------------------------------------------------------

    fn block_follow(&self) -> bool {
        matches!(
            self.ls.t.tok,
            Tok::Else | Tok::Elseif | Tok::End | Tok::Until | Tok::Eos
        )
    }

    /// `chunk -> { stat [';'] }`.
    pub(crate) fn chunk(&mut self) -> LResult<()> {
        self.enter_level()?;
        let mut islast = false;
        while !islast && !self.block_follow() {
            islast = self.statement()?;
            self.testnext(Tok::Char(b';'))?;
            self.fs.freereg = self.fs.nactvar as i32;
        }
        self.leave_level();
        Ok(())
    }

    /// `block -> chunk`.
    fn block(&mut self) -> LResult<()> {
        self.enterblock(false);
        self.chunk()?;
        self.leaveblock()
    }

    fn statement(&mut self) -> LResult<bool> {
        let line = self.ls.line();
        match self.ls.t.tok {
            Tok::If => self.ifstat(line)?,
            Tok::While => self.whilestat(line)?,
            Tok::Do => {
                self.ls.next()?;
                self.block()?;
                self.check_match(Tok::End, Tok::Do, line)?;
            }
            Tok::For => self.forstat(line)?,
            Tok::Repeat => self.repeatstat(line)?,
            Tok::Function => self.funcstat(line)?,
            Tok::Local => {
                self.ls.next()?;
                if self.testnext(Tok::Function)? {
                    self.localfunc()?;
                } else {
                    self.localstat()?;
                }
            }
            Tok::Return => {
                self.retstat()?;
                return Ok(true);
            }
            Tok::Break => {
                self.ls.next()?;
                self.breakstat()?;
                return Ok(true);
            }
            _ => self.exprstat()?,
        }
        Ok(false)
    }

    /// `check_conflict`: a local assigned after being used as table or index in a previous
    /// target of the same assignment is copied first.
    fn check_conflict(&mut self, lhs: &mut LhsList, v: &ExpDesc) -> LResult<()> {
        let extra = self.fs.freereg;
        let mut conflict = false;
        for lh in lhs.iter_mut() {
            if lh.k == ExpKind::Indexed {
                if lh.info == v.info {
                    conflict = true;
                    lh.info = extra;
                }
                if lh.aux == v.info {
                    conflict = true;
                    lh.aux = extra;
                }
            }
        }
        if conflict {
            let reg = self.fs.freereg;
            self.code_abc(OpCode::Move, reg, v.info, 0)?;
            self.reserveregs(1)?;
        }
        Ok(())
    }

    /// `assignment`: `lhs` holds the targets read so far (the last is the current one).
    fn assignment(&mut self, lhs: &mut LhsList, nvars: i32) -> LResult<()> {
        let Some(&cur) = lhs.last() else {
            return Ok(());
        };
        if !(ExpKind::Local..=ExpKind::Indexed).contains(&cur.k) {
            return Err(self.ls.syntax_error(b"syntax error"));
        }
        if self.testnext(Tok::Char(b','))? {
            let nv = self.primaryexp()?;
            if nv.k == ExpKind::Local {
                self.check_conflict(lhs, &nv)?;
            }
            let limit = LUAI_MAXCCALLS as i32 - self.nccalls as i32;
            if nvars > limit {
                return Err(self.error_limit(&self.fs, limit as u32, "variables in assignment"));
            }
            lhs.push(nv);
            self.assignment(lhs, nvars + 1)?;
            lhs.pop();
        } else {
            self.checknext(Tok::Char(b'='))?;
            let (nexps, mut e) = self.explist1()?;
            if nexps != nvars {
                self.adjust_assign(nvars, nexps, &mut e)?;
                if nexps > nvars {
                    self.fs.freereg -= nexps - nvars;
                }
            } else {
                self.setoneret(&mut e);
                let var = lhs.last().copied().unwrap_or(cur);
                return self.storevar(&var, &mut e);
            }
        }
        let mut e = ExpDesc::new(ExpKind::NonReloc, self.fs.freereg - 1);
        let var = lhs.last().copied().unwrap_or(cur);
        self.storevar(&var, &mut e)
    }

    /// `cond`: returns the false-exit list.
    fn cond(&mut self) -> LResult<i32> {
        let mut v = self.expr()?;
        if v.k == ExpKind::Nil {
            v.k = ExpKind::False;
        }
        self.goiftrue(&mut v)?;
        Ok(v.f)
    }

    fn breakstat(&mut self) -> LResult<()> {
        let mut upval = false;
        let mut target = None;
        for (i, bl) in self.fs.bl.iter().enumerate().rev() {
            if bl.isbreakable {
                target = Some(i);
                break;
            }
            upval |= bl.upval;
        }
        let Some(i) = target else {
            return Err(self.ls.syntax_error(b"no loop to break"));
        };
        if upval {
            let nactvar = self.fs.bl[i].nactvar as i32;
            self.code_abc(OpCode::Close, nactvar, 0, 0)?;
        }
        let j = self.jump()?;
        let mut list = self.fs.bl[i].breaklist;
        self.concat(&mut list, j)?;
        self.fs.bl[i].breaklist = list;
        Ok(())
    }

    fn whilestat(&mut self, line: u32) -> LResult<()> {
        self.ls.next()?;
        let whileinit = self.getlabel();
        let condexit = self.cond()?;
        self.enterblock(true);
        self.checknext(Tok::Do)?;
        self.block()?;
        let j = self.jump()?;
        self.patchlist(j, whileinit)?;
        self.check_match(Tok::End, Tok::While, line)?;
        self.leaveblock()?;
        self.patchtohere(condexit)
    }

    fn repeatstat(&mut self, line: u32) -> LResult<()> {
        let repeat_init = self.getlabel();
        self.enterblock(true);
        self.enterblock(false);
        self.ls.next()?;
        self.chunk()?;
        self.check_match(Tok::Until, Tok::Repeat, line)?;
        let condexit = self.cond()?;
        let scope_upval = self.fs.bl.last().is_some_and(|b| b.upval);
        if !scope_upval {
            self.leaveblock()?;
            self.patchlist(condexit, repeat_init)?;
        } else {
            self.breakstat()?;
            self.patchtohere(condexit)?;
            self.leaveblock()?;
            let j = self.jump()?;
            self.patchlist(j, repeat_init)?;
        }
        self.leaveblock()
    }

    /// `exp1`.
    fn exp1(&mut self) -> LResult<()> {
        let mut e = self.expr()?;
        self.exp2nextreg(&mut e)
    }

    fn forbody(&mut self, base: i32, line: u32, nvars: u32, isnum: bool) -> LResult<()> {
        self.adjustlocalvars(3);
        self.checknext(Tok::Do)?;
        let prep = if isnum {
            self.code_asbx(OpCode::ForPrep, base, NO_JUMP)?
        } else {
            self.jump()?
        };
        self.enterblock(false);
        self.adjustlocalvars(nvars);
        self.reserveregs(nvars as i32)?;
        self.block()?;
        self.leaveblock()?;
        self.patchtohere(prep)?;
        let endfor = if isnum {
            self.code_asbx(OpCode::ForLoop, base, NO_JUMP)?
        } else {
            self.code_abc(OpCode::TForLoop, base, 0, nvars as i32)?
        };
        self.fixline(line);
        let list = if isnum { endfor } else { self.jump()? };
        self.patchlist(list, prep + 1)
    }

    fn fornum(&mut self, varname: StrIdx, line: u32) -> LResult<()> {
        let base = self.fs.freereg;
        self.new_localvar_literal("(for index)", 0)?;
        self.new_localvar_literal("(for limit)", 1)?;
        self.new_localvar_literal("(for step)", 2)?;
        self.new_localvar(varname, 3)?;
        self.checknext(Tok::Char(b'='))?;
        self.exp1()?;
        self.checknext(Tok::Char(b','))?;
        self.exp1()?;
        if self.testnext(Tok::Char(b','))? {
            self.exp1()?;
        } else {
            let reg = self.fs.freereg;
            let k = self.number_k(1.0)?;
            self.code_abx(OpCode::LoadK, reg, k as u32)?;
            self.reserveregs(1)?;
        }
        self.forbody(base, line, 1, true)
    }

    fn forlist(&mut self, indexname: StrIdx) -> LResult<()> {
        let base = self.fs.freereg;
        self.new_localvar_literal("(for generator)", 0)?;
        self.new_localvar_literal("(for state)", 1)?;
        self.new_localvar_literal("(for control)", 2)?;
        self.new_localvar(indexname, 3)?;
        let mut nvars = 4;
        while self.testnext(Tok::Char(b','))? {
            let name = self.str_checkname()?;
            self.new_localvar(name, nvars)?;
            nvars += 1;
        }
        self.checknext(Tok::In)?;
        let line = self.ls.line();
        let (nexps, mut e) = self.explist1()?;
        self.adjust_assign(3, nexps, &mut e)?;
        self.checkstack(3)?;
        self.forbody(base, line, nvars - 3, false)
    }

    fn forstat(&mut self, line: u32) -> LResult<()> {
        self.enterblock(true);
        self.ls.next()?;
        let varname = self.str_checkname()?;
        match self.ls.t.tok {
            Tok::Char(b'=') => self.fornum(varname, line)?,
            Tok::Char(b',') | Tok::In => self.forlist(varname)?,
            _ => return Err(self.ls.syntax_error(b"'=' or 'in' expected")),
        }
        self.check_match(Tok::End, Tok::For, line)?;
        self.leaveblock()
    }

    fn test_then_block(&mut self) -> LResult<i32> {
        self.ls.next()?;
        let condexit = self.cond()?;
        self.checknext(Tok::Then)?;
        self.block()?;
        Ok(condexit)
    }

    fn ifstat(&mut self, line: u32) -> LResult<()> {
        let mut escapelist = NO_JUMP;
        let mut flist = self.test_then_block()?;
        while self.ls.t.tok == Tok::Elseif {
            let j = self.jump()?;
            self.concat(&mut escapelist, j)?;
            self.patchtohere(flist)?;
            flist = self.test_then_block()?;
        }
        if self.ls.t.tok == Tok::Else {
            let j = self.jump()?;
            self.concat(&mut escapelist, j)?;
            self.patchtohere(flist)?;
            self.ls.next()?;
            self.block()?;
        } else {
            self.concat(&mut escapelist, flist)?;
        }
        self.patchtohere(escapelist)?;
        self.check_match(Tok::End, Tok::If, line)
    }

    fn localfunc(&mut self) -> LResult<()> {
        let name = self.str_checkname()?;
        self.new_localvar(name, 0)?;
        let v = ExpDesc::new(ExpKind::Local, self.fs.freereg);
        self.reserveregs(1)?;
        self.adjustlocalvars(1);
        let line = self.ls.line();
        let mut b = self.body(false, line)?;
        self.storevar(&v, &mut b)?;
        // Debug information only sees the variable after this point.
        let pc = self.fs.pc() as u32;
        let last = self.fs.nactvar - 1;
        if let Some(var) = self.fs.locvar(last) {
            var.start_pc = pc;
        }
        Ok(())
    }

    fn localstat(&mut self) -> LResult<()> {
        let mut nvars = 0;
        loop {
            let name = self.str_checkname()?;
            self.new_localvar(name, nvars)?;
            nvars += 1;
            if !self.testnext(Tok::Char(b','))? {
                break;
            }
        }
        let (nexps, mut e) = if self.testnext(Tok::Char(b'='))? {
            self.explist1()?
        } else {
            (0, ExpDesc::new(ExpKind::Void, 0))
        };
        self.adjust_assign(nvars as i32, nexps, &mut e)?;
        self.adjustlocalvars(nvars);
        Ok(())
    }

    /// `funcname -> NAME {field} [':' NAME]`; returns whether it is a method.
    fn funcname(&mut self) -> LResult<(ExpDesc, bool)> {
        let mut v = self.singlevar()?;
        while self.ls.t.tok == Tok::Char(b'.') {
            self.field(&mut v)?;
        }
        let mut needself = false;
        if self.ls.t.tok == Tok::Char(b':') {
            needself = true;
            self.field(&mut v)?;
        }
        Ok((v, needself))
    }

    fn funcstat(&mut self, line: u32) -> LResult<()> {
        self.ls.next()?;
        let (v, needself) = self.funcname()?;
        let mut b = self.body(needself, line)?;
        self.storevar(&v, &mut b)?;
        self.fixline(line);
        Ok(())
    }

    fn exprstat(&mut self) -> LResult<()> {
        let v = self.primaryexp()?;
        if v.k == ExpKind::Call {
            self.fs.instr(v.info).set_c(1);
            Ok(())
        } else {
            let mut lhs = vec![v];
            self.assignment(&mut lhs, 1)
        }
    }

    fn retstat(&mut self) -> LResult<()> {
        self.ls.next()?;
        let (first, nret);
        if self.block_follow() || self.ls.t.tok == Tok::Char(b';') {
            first = 0;
            nret = 0;
        } else {
            let (n, mut e) = self.explist1()?;
            if e.has_multret() {
                self.setmultret(&mut e)?;
                if e.k == ExpKind::Call && n == 1 {
                    self.fs.instr(e.info).set_opcode(OpCode::TailCall);
                }
                first = self.fs.nactvar as i32;
                nret = LUA_MULTRET;
            } else if n == 1 {
                first = self.exp2anyreg(&mut e)?;
                nret = 1;
            } else {
                self.exp2nextreg(&mut e)?;
                first = self.fs.nactvar as i32;
                nret = n;
            }
        }
        self.ret(first, nret)
    }
}

/// `searchvar`: the active local named `name`, innermost first.
fn searchvar(fs: &FuncState, name: StrIdx) -> Option<u32> {
    (0..fs.nactvar).rev().find(|&i| {
        fs.actvar
            .get(i as usize)
            .and_then(|&idx| fs.locvars.get(idx as usize))
            .is_some_and(|v| v.name == name)
    })
}

/// `markupval`: the block declaring local `level` has a variable captured as an upvalue.
fn markupval(fs: &mut FuncState, level: u32) {
    if let Some(bl) = fs.bl.iter_mut().rev().find(|bl| bl.nactvar <= level) {
        bl.upval = true;
    }
}
