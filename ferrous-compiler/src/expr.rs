//! Expressions, table constructors and function bodies: the expression half of Lua 5.1's
//! `lparser.c`, as methods on `Parser`.
//!
//! Operator precedence is 5.1's table (`priority`): `or` < `and` < comparisons < `..`
//! (right associative) < `+ -` < `* / %` < unary < `^` (right associative).
//!
//! Invariant: `subexpr` and everything that recurses into an expression passes through
//! `enter_level`, so nesting depth is bounded by `LUAI_MAXCCALLS`.

use crate::codegen::{BinOpr, UnOpr};
use crate::funcstate::{ExpDesc, ExpKind, LUA_MULTRET};
use crate::lexer::{LResult, Sem, Tok};
use crate::module::{VARARG_HASARG, VARARG_ISVARARG, VARARG_NEEDSARG};
use crate::opcodes::{LFIELDS_PER_FLUSH, OpCode};
use crate::parser::Parser;

/// Priority of unary operators.
const UNARY_PRIORITY: u32 = 8;

/// Left and right priority of a binary operator.
fn priority(op: BinOpr) -> (u32, u32) {
    match op {
        BinOpr::Add | BinOpr::Sub => (6, 6),
        BinOpr::Mul | BinOpr::Div | BinOpr::Mod => (7, 7),
        BinOpr::Pow => (10, 9),
        BinOpr::Concat => (5, 4),
        BinOpr::Ne | BinOpr::Eq | BinOpr::Lt | BinOpr::Le | BinOpr::Gt | BinOpr::Ge => (3, 3),
        BinOpr::And => (2, 2),
        BinOpr::Or => (1, 1),
    }
}

fn getunopr(tok: Tok) -> Option<UnOpr> {
    match tok {
        Tok::Not => Some(UnOpr::Not),
        Tok::Char(b'-') => Some(UnOpr::Minus),
        Tok::Char(b'#') => Some(UnOpr::Len),
        _ => None,
    }
}

fn getbinopr(tok: Tok) -> Option<BinOpr> {
    Some(match tok {
        Tok::Char(b'+') => BinOpr::Add,
        Tok::Char(b'-') => BinOpr::Sub,
        Tok::Char(b'*') => BinOpr::Mul,
        Tok::Char(b'/') => BinOpr::Div,
        Tok::Char(b'%') => BinOpr::Mod,
        Tok::Char(b'^') => BinOpr::Pow,
        Tok::Concat => BinOpr::Concat,
        Tok::Ne => BinOpr::Ne,
        Tok::Eq => BinOpr::Eq,
        Tok::Char(b'<') => BinOpr::Lt,
        Tok::Le => BinOpr::Le,
        Tok::Char(b'>') => BinOpr::Gt,
        Tok::Ge => BinOpr::Ge,
        Tok::And => BinOpr::And,
        Tok::Or => BinOpr::Or,
        _ => return None,
    })
}

/// State of a table constructor (5.1's `ConsControl`).
struct ConsControl {
    /// Last list item read.
    v: ExpDesc,
    /// The table's register.
    t: i32,
    /// Number of record elements.
    nh: i32,
    /// Number of array elements.
    na: i32,
    /// Array elements pending to be stored.
    tostore: i32,
}

/// `luaO_int2fb`: an integer as a "floating point byte".
fn int2fb(mut x: u32) -> u32 {
    let mut e = 0;
    while x >= 16 {
        x = (x + 1) >> 1;
        e += 1;
    }
    if x < 8 { x } else { ((e + 1) << 3) | (x - 8) }
}

impl Parser<'_> {
    /// `field -> ['.' | ':'] NAME`.
    pub(crate) fn field(&mut self, v: &mut ExpDesc) -> LResult<()> {
        self.exp2anyreg(v)?;
        self.ls.next()?;
        let mut key = self.checkname()?;
        self.indexed(v, &mut key)
    }

    /// `index -> '[' expr ']'`.
    fn yindex(&mut self) -> LResult<ExpDesc> {
        self.ls.next()?;
        let mut v = self.expr()?;
        self.exp2val(&mut v)?;
        self.checknext(Tok::Char(b']'))?;
        Ok(v)
    }

    fn recfield(&mut self, cc: &mut ConsControl) -> LResult<()> {
        let reg = self.fs.freereg;
        let mut key = if self.ls.t.tok == Tok::Name {
            self.checkname()?
        } else {
            self.yindex()?
        };
        cc.nh += 1;
        self.checknext(Tok::Char(b'='))?;
        let rkkey = self.exp2rk(&mut key)?;
        let mut val = self.expr()?;
        let rkval = self.exp2rk(&mut val)?;
        self.code_abc(OpCode::SetTable, cc.t, rkkey, rkval)?;
        self.fs.freereg = reg;
        Ok(())
    }

    fn closelistfield(&mut self, cc: &mut ConsControl) -> LResult<()> {
        if cc.v.k == ExpKind::Void {
            return Ok(());
        }
        self.exp2nextreg(&mut cc.v)?;
        cc.v.k = ExpKind::Void;
        if cc.tostore == LFIELDS_PER_FLUSH as i32 {
            self.setlist(cc.t, cc.na, cc.tostore)?;
            cc.tostore = 0;
        }
        Ok(())
    }

    fn lastlistfield(&mut self, cc: &mut ConsControl) -> LResult<()> {
        if cc.tostore == 0 {
            return Ok(());
        }
        if cc.v.has_multret() {
            self.setmultret(&mut cc.v)?;
            self.setlist(cc.t, cc.na, LUA_MULTRET)?;
            cc.na -= 1;
        } else {
            if cc.v.k != ExpKind::Void {
                self.exp2nextreg(&mut cc.v)?;
            }
            self.setlist(cc.t, cc.na, cc.tostore)?;
        }
        Ok(())
    }

    fn listfield(&mut self, cc: &mut ConsControl) -> LResult<()> {
        cc.v = self.expr()?;
        cc.na += 1;
        cc.tostore += 1;
        Ok(())
    }

    /// `constructor -> '{' [ field { sep field } [sep] ] '}'`.
    fn constructor(&mut self) -> LResult<ExpDesc> {
        let line = self.ls.line();
        let pc = self.code_abc(OpCode::NewTable, 0, 0, 0)?;
        let mut t = ExpDesc::new(ExpKind::Relocable, pc);
        self.exp2nextreg(&mut t)?;
        let mut cc = ConsControl {
            v: ExpDesc::new(ExpKind::Void, 0),
            t: t.info,
            nh: 0,
            na: 0,
            tostore: 0,
        };
        self.checknext(Tok::Char(b'{'))?;
        loop {
            if self.ls.t.tok == Tok::Char(b'}') {
                break;
            }
            self.closelistfield(&mut cc)?;
            match self.ls.t.tok {
                Tok::Name => {
                    if self.ls.lookahead()? != Tok::Char(b'=') {
                        self.listfield(&mut cc)?;
                    } else {
                        self.recfield(&mut cc)?;
                    }
                }
                Tok::Char(b'[') => self.recfield(&mut cc)?,
                _ => self.listfield(&mut cc)?,
            }
            if !(self.testnext(Tok::Char(b','))? || self.testnext(Tok::Char(b';'))?) {
                break;
            }
        }
        self.check_match(Tok::Char(b'}'), Tok::Char(b'{'), line)?;
        self.lastlistfield(&mut cc)?;
        let i = self.fs.instr(pc);
        i.set_b(int2fb(cc.na as u32));
        i.set_c(int2fb(cc.nh as u32));
        Ok(t)
    }

    /// `parlist -> [ param { ',' param } ]`.
    fn parlist(&mut self) -> LResult<()> {
        let mut nparams = 0;
        self.fs.is_vararg = 0;
        if self.ls.t.tok != Tok::Char(b')') {
            loop {
                match self.ls.t.tok {
                    Tok::Name => {
                        let name = self.str_checkname()?;
                        self.new_localvar(name, nparams)?;
                        nparams += 1;
                    }
                    Tok::Dots => {
                        self.ls.next()?;
                        // LUA_COMPAT_VARARG: the implicit `arg` local.
                        self.new_localvar_literal("arg", nparams)?;
                        nparams += 1;
                        self.fs.is_vararg = VARARG_HASARG | VARARG_NEEDSARG;
                        self.fs.is_vararg |= VARARG_ISVARARG;
                    }
                    _ => return Err(self.ls.syntax_error(b"<name> or '...' expected")),
                }
                if self.fs.is_vararg != 0 || !self.testnext(Tok::Char(b','))? {
                    break;
                }
            }
        }
        self.adjustlocalvars(nparams);
        self.fs.num_params = (self.fs.nactvar - u32::from(self.fs.is_vararg & VARARG_HASARG)) as u8;
        let n = self.fs.nactvar as i32;
        self.reserveregs(n)
    }

    /// `body -> '(' parlist ')' chunk END`.
    pub(crate) fn body(&mut self, needself: bool, line: u32) -> LResult<ExpDesc> {
        self.open_func(line);
        self.checknext(Tok::Char(b'('))?;
        if needself {
            self.new_localvar_literal("self", 0)?;
            self.adjustlocalvars(1);
        }
        self.parlist()?;
        self.checknext(Tok::Char(b')'))?;
        self.chunk()?;
        self.fs.last_line_defined = self.ls.line();
        self.check_match(Tok::End, Tok::Function, line)?;
        let (proto, upvalues) = self.close_func()?;
        self.pushclosure(proto, &upvalues)
    }

    /// `explist1 -> expr { ',' expr }`: the number of expressions and the last one.
    pub(crate) fn explist1(&mut self) -> LResult<(i32, ExpDesc)> {
        let mut n = 1;
        let mut v = self.expr()?;
        while self.testnext(Tok::Char(b','))? {
            self.exp2nextreg(&mut v)?;
            v = self.expr()?;
            n += 1;
        }
        Ok((n, v))
    }

    fn funcargs(&mut self, f: &mut ExpDesc) -> LResult<()> {
        let line = self.ls.line();
        let mut args = match self.ls.t.tok {
            Tok::Char(b'(') => {
                if line != self.ls.lastline {
                    return Err(self
                        .ls
                        .syntax_error(b"ambiguous syntax (function call x new statement)"));
                }
                self.ls.next()?;
                let args = if self.ls.t.tok == Tok::Char(b')') {
                    ExpDesc::new(ExpKind::Void, 0)
                } else {
                    let (_, mut args) = self.explist1()?;
                    self.setmultret(&mut args)?;
                    args
                };
                self.check_match(Tok::Char(b')'), Tok::Char(b'('), line)?;
                args
            }
            Tok::Char(b'{') => self.constructor()?,
            Tok::String => {
                let Sem::Str(s) = self.ls.t.sem else {
                    return Err(self.ls.syntax_error(b"function arguments expected"));
                };
                let args = ExpDesc::new(ExpKind::K, self.string_k(s)?);
                self.ls.next()?;
                args
            }
            _ => return Err(self.ls.syntax_error(b"function arguments expected")),
        };
        let base = f.info;
        let nparams = if args.has_multret() {
            LUA_MULTRET
        } else {
            if args.k != ExpKind::Void {
                self.exp2nextreg(&mut args)?;
            }
            self.fs.freereg - (base + 1)
        };
        *f = ExpDesc::new(
            ExpKind::Call,
            self.code_abc(OpCode::Call, base, nparams + 1, 2)?,
        );
        self.fixline(line);
        self.fs.freereg = base + 1;
        Ok(())
    }

    /// `prefixexp -> NAME | '(' expr ')'`.
    fn prefixexp(&mut self) -> LResult<ExpDesc> {
        match self.ls.t.tok {
            Tok::Char(b'(') => {
                let line = self.ls.line();
                self.ls.next()?;
                let mut v = self.expr()?;
                self.check_match(Tok::Char(b')'), Tok::Char(b'('), line)?;
                self.dischargevars(&mut v)?;
                Ok(v)
            }
            Tok::Name => self.singlevar(),
            _ => Err(self.ls.syntax_error(b"unexpected symbol")),
        }
    }

    /// `primaryexp -> prefixexp { '.' NAME | '[' exp ']' | ':' NAME funcargs | funcargs }`.
    pub(crate) fn primaryexp(&mut self) -> LResult<ExpDesc> {
        let mut v = self.prefixexp()?;
        loop {
            match self.ls.t.tok {
                Tok::Char(b'.') => self.field(&mut v)?,
                Tok::Char(b'[') => {
                    self.exp2anyreg(&mut v)?;
                    let mut key = self.yindex()?;
                    self.indexed(&mut v, &mut key)?;
                }
                Tok::Char(b':') => {
                    self.ls.next()?;
                    let mut key = self.checkname()?;
                    self.self_(&mut v, &mut key)?;
                    self.funcargs(&mut v)?;
                }
                Tok::Char(b'(') | Tok::String | Tok::Char(b'{') => {
                    self.exp2nextreg(&mut v)?;
                    self.funcargs(&mut v)?;
                }
                _ => return Ok(v),
            }
        }
    }

    /// `simpleexp -> NUMBER | STRING | NIL | true | false | ... | constructor |
    /// FUNCTION body | primaryexp`.
    fn simpleexp(&mut self) -> LResult<ExpDesc> {
        let v = match self.ls.t.tok {
            Tok::Number => match self.ls.t.sem {
                Sem::Num(n) => ExpDesc::num(n),
                _ => ExpDesc::num(0.0),
            },
            Tok::String => match self.ls.t.sem {
                Sem::Str(s) => ExpDesc::new(ExpKind::K, self.string_k(s)?),
                _ => ExpDesc::new(ExpKind::Nil, 0),
            },
            Tok::Nil => ExpDesc::new(ExpKind::Nil, 0),
            Tok::True => ExpDesc::new(ExpKind::True, 0),
            Tok::False => ExpDesc::new(ExpKind::False, 0),
            Tok::Dots => {
                if self.fs.is_vararg == 0 {
                    return Err(self
                        .ls
                        .syntax_error(b"cannot use '...' outside a vararg function"));
                }
                self.fs.is_vararg &= !VARARG_NEEDSARG;
                ExpDesc::new(ExpKind::Vararg, self.code_abc(OpCode::VarArg, 0, 1, 0)?)
            }
            Tok::Char(b'{') => return self.constructor(),
            Tok::Function => {
                self.ls.next()?;
                let line = self.ls.line();
                return self.body(false, line);
            }
            _ => return self.primaryexp(),
        };
        self.ls.next()?;
        Ok(v)
    }

    /// `subexpr -> (simpleexp | unop subexpr) { binop subexpr }`, for binary operators
    /// with left priority above `limit`; returns the first operator not handled.
    fn subexpr(&mut self, v: &mut ExpDesc, limit: u32) -> LResult<Option<BinOpr>> {
        self.enter_level()?;
        if let Some(uop) = getunopr(self.ls.t.tok) {
            self.ls.next()?;
            self.subexpr(v, UNARY_PRIORITY)?;
            self.prefix(uop, v)?;
        } else {
            *v = self.simpleexp()?;
        }
        let mut op = getbinopr(self.ls.t.tok);
        while let Some(o) = op {
            let (left, right) = priority(o);
            if left <= limit {
                break;
            }
            self.ls.next()?;
            self.infix(o, v)?;
            let mut v2 = ExpDesc::new(ExpKind::Void, 0);
            let nextop = self.subexpr(&mut v2, right)?;
            self.posfix(o, v, &mut v2)?;
            op = nextop;
        }
        self.leave_level();
        Ok(op)
    }

    /// `expr -> subexpr`.
    pub(crate) fn expr(&mut self) -> LResult<ExpDesc> {
        let mut v = ExpDesc::new(ExpKind::Void, 0);
        self.subexpr(&mut v, 0)?;
        Ok(v)
    }
}
