//! The bytecode verifier: checks every operand of every prototype of a `CompiledModule` before
//! anything runs it.
//!
//! It is 5.1's `luaG_checkcode` (`precheck` and the full-check half of `symbexec` in
//! ldebug.c), plus what 5.1 leaves to trust and Ferrous's interpreter relies on:
//! - `LOADNIL` covers `R(A)..R(B)` with `A <= B`; `LOADBOOL` with any nonzero `C` skips a real
//!   instruction (5.1 checks only `C == 1`);
//! - an instruction that takes "all values up to the top" (`CALL`/`TAILCALL`/`RETURN`/`SETLIST`
//!   with `B = 0`) directly follows the call or `VARARG` that set the top, below its results,
//!   and no jump lands on it (5.1 only checks the other direction);
//! - a `SETLIST` extra word names a block between 1 and the code length (each earlier block
//!   needed a `SETLIST` of its own);
//! - `FORPREP` jumps to a `FORLOOP` of the same base, and that `FORLOOP` jumps back just after a
//!   `FORPREP` of the same base;
//! - every string index is inside the module's string table.
//!
//! Key items: `verify` (a whole module, its prototype tree walked without recursion),
//! `verify_proto` (one prototype, used by `undump` in 5.1's order), `VerifyError`.
//!
//! Invariant: a prototype that passes cannot make the interpreter index outside its register
//! window, constants, upvalues, nested prototypes or code, or execute a `SETLIST` extra word as
//! an instruction.

use thiserror::Error;

use crate::module::{
    CompiledModule, Constant, Proto, VARARG_HASARG, VARARG_ISVARARG, VARARG_NEEDSARG,
};
use crate::opcodes::{Instruction, OpArgMode, OpCode, OpFormat, index_k, is_k};

/// 5.1's `MAXSTACK`: the most registers a function may use.
pub const MAX_STACK_SIZE: u8 = 250;

/// What the verifier found wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerifyErrorKind {
    /// More than 250 registers, or fewer than the parameters (and `arg`) need.
    FrameSize,
    /// `VARARG_NEEDSARG` without `VARARG_HASARG`.
    VarargFlags,
    /// More upvalue names than upvalues, or line info of another length than the code.
    DebugInfo,
    /// The code is empty or does not end with `RETURN`.
    NoReturn,
    /// An opcode number above 37.
    UnknownOpcode,
    /// A register operand outside the function's registers.
    Register,
    /// A constant index out of range, or `GETGLOBAL`/`SETGLOBAL` naming a non-string.
    Constant,
    /// An upvalue index out of range.
    Upvalue,
    /// A jump outside the code or onto a `SETLIST` extra word, or a test not followed by `JMP`.
    Jump,
    /// An open call or `VARARG` and the instruction that takes its values do not go together.
    OpenResults,
    /// A bad `CLOSURE`: prototype index out of range, or its upvalue pseudo-instructions.
    Closure,
    /// A `SETLIST` extra word missing or out of range.
    SetList,
    /// A numeric or generic `for` instruction of the wrong shape.
    Loop,
    /// Another operand constraint (unused operand not zero, `CONCAT` of fewer than two values,
    /// `LOADNIL` backwards, `VARARG` outside a vararg function).
    Operand,
    /// A string index outside the module's string table.
    StringIndex,
}

/// A prototype failed verification (5.1: `bad code in precompiled chunk`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
#[error("bad code: {kind:?} at instruction {pc}")]
pub struct VerifyError {
    /// What is wrong.
    pub kind: VerifyErrorKind,
    /// The instruction (0-based), or 0 for the prototype's header fields.
    pub pc: u32,
}

/// Verifies every prototype of `module` (children before parents, without recursion).
pub fn verify(module: &CompiledModule) -> Result<(), VerifyError> {
    let mut stack = vec![&module.main];
    while let Some(proto) = stack.pop() {
        verify_proto(proto, module.strings.len())?;
        stack.extend(proto.protos.iter());
    }
    Ok(())
}

fn fail<T>(kind: VerifyErrorKind, pc: usize) -> Result<T, VerifyError> {
    Err(VerifyError {
        kind,
        pc: u32::try_from(pc).unwrap_or(u32::MAX),
    })
}

/// Verifies one prototype (not its children, whose upvalue counts it reads); `n_strings` is the
/// size of the module's string table.
pub fn verify_proto(p: &Proto, n_strings: usize) -> Result<(), VerifyError> {
    use VerifyErrorKind as K;
    // precheck
    if p.max_stack_size > MAX_STACK_SIZE
        || u32::from(p.num_params) + u32::from(p.is_vararg & VARARG_HASARG)
            > u32::from(p.max_stack_size)
    {
        return fail(K::FrameSize, 0);
    }
    if p.is_vararg & VARARG_NEEDSARG != 0 && p.is_vararg & VARARG_HASARG == 0 {
        return fail(K::VarargFlags, 0);
    }
    if p.upvalue_names.len() > usize::from(p.num_upvalues)
        || !(p.line_info.is_empty() || p.line_info.len() == p.code.len())
    {
        return fail(K::DebugInfo, 0);
    }
    match p.code.last().map(|i| i.opcode()) {
        Some(Ok(OpCode::Return)) => {}
        _ => return fail(K::NoReturn, p.code.len().saturating_sub(1)),
    }
    check_strings(p, n_strings)?;
    check_code(p)
}

fn check_strings(p: &Proto, n_strings: usize) -> Result<(), VerifyError> {
    let ok = |idx: crate::StrIdx| (idx.0 as usize) < n_strings;
    let constants_ok = p.constants.iter().all(|k| match k {
        Constant::String(idx) => ok(*idx),
        _ => true,
    });
    if !ok(p.source)
        || !constants_ok
        || !p.local_vars.iter().all(|v| ok(v.name))
        || !p.upvalue_names.iter().all(|n| ok(*n))
    {
        return fail(VerifyErrorKind::StringIndex, 0);
    }
    Ok(())
}

/// What the sequential pass leaves for the checks that need the whole code: one byte of flags
/// per code word.
struct Marks(Vec<u8>);

/// The word is a `SETLIST` extra word, not an instruction.
const EXTRA: u8 = 1;
/// Some instruction transfers control to the word other than by falling through.
const TARGET: u8 = 2;
/// The instruction takes the values up to the top (`B = 0`).
const CONSUMER: u8 = 4;

impl Marks {
    fn set(&mut self, pc: usize, flag: u8) {
        if let Some(f) = self.0.get_mut(pc) {
            *f |= flag;
        }
    }
}

fn check_code(p: &Proto) -> Result<(), VerifyError> {
    use VerifyErrorKind as K;
    let code = &p.code;
    let n = code.len();
    let max_stack = i64::from(p.max_stack_size);
    let nk = p.constants.len();
    let reg_ok = |r: i64| r < max_stack;
    let mut marks = Marks(vec![0; n]);
    // The `A` of the open call or `VARARG` just before, if the previous instruction was one.
    let mut open_before: Option<i64> = None;
    let mut pc = 0;
    while pc < n {
        let i = code[pc];
        let Ok(op) = i.opcode() else {
            return fail(K::UnknownOpcode, pc);
        };
        let a = i64::from(i.a());
        if !reg_ok(a) {
            return fail(K::Register, pc);
        }
        let (b, c) = (i.b(), i.c());
        match op.format() {
            OpFormat::ABC => {
                arg_mode(p, b, op.b_mode(), pc)?;
                arg_mode(p, c, op.c_mode(), pc)?;
            }
            OpFormat::ABx => {
                if op.b_mode() == OpArgMode::K && i.bx() as usize >= nk {
                    return fail(K::Constant, pc);
                }
            }
            OpFormat::AsBx => {
                let dest = jump_dest(i, pc, n)?;
                marks.set(dest, TARGET);
            }
        }
        if op.is_test() {
            let next_is_jmp = code.get(pc + 1).map(|j| j.opcode()) == Some(Ok(OpCode::Jmp));
            if pc + 2 >= n || !next_is_jmp {
                return fail(K::Jump, pc);
            }
            marks.set(pc + 2, TARGET);
        }
        let (b, c) = (i64::from(b), i64::from(c));
        let producer = open_before.take();
        match op {
            OpCode::LoadBool if c != 0 => {
                if pc + 2 >= n || is_setlist_with_extra(code[pc + 1]) {
                    return fail(K::Jump, pc);
                }
                marks.set(pc + 2, TARGET);
            }
            OpCode::LoadNil if b < a => return fail(K::Operand, pc),
            OpCode::GetUpval | OpCode::SetUpval if b >= i64::from(p.num_upvalues) => {
                return fail(K::Upvalue, pc);
            }
            OpCode::GetGlobal | OpCode::SetGlobal
                if !matches!(p.constants.get(i.bx() as usize), Some(Constant::String(_))) =>
            {
                return fail(K::Constant, pc);
            }
            OpCode::OpSelf if !reg_ok(a + 1) => return fail(K::Register, pc),
            OpCode::Concat if b >= c => return fail(K::Operand, pc),
            OpCode::TForLoop if c < 1 || !reg_ok(a + 2 + c) => return fail(K::Loop, pc),
            OpCode::ForLoop | OpCode::ForPrep => check_for(p, i, op, pc)?,
            OpCode::Call | OpCode::TailCall => {
                if b != 0 && !reg_ok(a + b - 1) {
                    return fail(K::Register, pc);
                }
                if b == 0 {
                    consumer(producer, a, false, pc, &mut marks)?;
                }
                if c == 0 {
                    check_open(code, pc)?;
                    open_before = Some(a);
                } else if c >= 2 && !reg_ok(a + c - 2) {
                    return fail(K::Register, pc);
                }
            }
            OpCode::Return => {
                if b >= 2 && !reg_ok(a + b - 2) {
                    return fail(K::Register, pc);
                }
                if b == 0 {
                    consumer(producer, a, true, pc, &mut marks)?;
                }
            }
            OpCode::SetList => {
                if b > 0 && !reg_ok(a + b) {
                    return fail(K::Register, pc);
                }
                if b == 0 {
                    consumer(producer, a, false, pc, &mut marks)?;
                }
                if c == 0 {
                    pc += 1;
                    // 5.1: the extra word is not the last one (that is the final `RETURN`).
                    if pc + 1 >= n || code[pc].0 == 0 || code[pc].0 as usize > n {
                        return fail(K::SetList, pc);
                    }
                    marks.set(pc, EXTRA);
                }
            }
            OpCode::Closure => {
                let Some(child) = p.protos.get(i.bx() as usize) else {
                    return fail(K::Closure, pc);
                };
                let nup = usize::from(child.num_upvalues);
                if pc + nup >= n {
                    return fail(K::Closure, pc);
                }
                let pseudo_ok = code[pc + 1..=pc + nup]
                    .iter()
                    .all(|w| matches!(w.opcode(), Ok(OpCode::GetUpval | OpCode::Move)));
                if !pseudo_ok {
                    return fail(K::Closure, pc);
                }
                // The pseudo-instructions are then checked as the instructions they are.
            }
            OpCode::VarArg => {
                let flags = p.is_vararg;
                if flags & VARARG_ISVARARG == 0 || flags & VARARG_NEEDSARG != 0 {
                    return fail(K::Operand, pc);
                }
                if b == 0 {
                    check_open(code, pc)?;
                    open_before = Some(a);
                } else if !reg_ok(a + b - 2) {
                    return fail(K::Register, pc);
                }
            }
            _ => {}
        }
        pc += 1;
    }
    for (at, &flags) in marks.0.iter().enumerate() {
        if flags & TARGET != 0 && flags & EXTRA != 0 {
            return fail(K::Jump, at);
        }
        if flags & TARGET != 0 && flags & CONSUMER != 0 {
            return fail(K::OpenResults, at);
        }
    }
    Ok(())
}

/// 5.1's `checkArgMode`.
fn arg_mode(p: &Proto, x: u32, mode: OpArgMode, pc: usize) -> Result<(), VerifyError> {
    let max_stack = u32::from(p.max_stack_size);
    let ok = match mode {
        OpArgMode::N => x == 0,
        OpArgMode::U => true,
        OpArgMode::R => x < max_stack,
        OpArgMode::K if is_k(x) => (index_k(x) as usize) < p.constants.len(),
        OpArgMode::K => x < max_stack,
    };
    if ok {
        Ok(())
    } else if mode == OpArgMode::K && is_k(x) {
        fail(VerifyErrorKind::Constant, pc)
    } else if mode == OpArgMode::N {
        fail(VerifyErrorKind::Operand, pc)
    } else {
        fail(VerifyErrorKind::Register, pc)
    }
}

/// The destination of a jump at `pc`, which must be inside the code.
fn jump_dest(i: Instruction, pc: usize, n: usize) -> Result<usize, VerifyError> {
    let dest = pc as i64 + 1 + i64::from(i.sbx());
    match usize::try_from(dest) {
        Ok(dest) if dest < n => Ok(dest),
        _ => fail(VerifyErrorKind::Jump, pc),
    }
}

fn is_setlist_with_extra(i: Instruction) -> bool {
    i.opcode() == Ok(OpCode::SetList) && i.c() == 0
}

/// 5.1's `checkopenop`: an open call or `VARARG` is followed by an instruction taking its values.
fn check_open(code: &[Instruction], pc: usize) -> Result<(), VerifyError> {
    let ok = code.get(pc + 1).is_some_and(|next| {
        matches!(
            next.opcode(),
            Ok(OpCode::Call | OpCode::TailCall | OpCode::Return | OpCode::SetList)
        ) && next.b() == 0
    });
    if ok {
        Ok(())
    } else {
        fail(VerifyErrorKind::OpenResults, pc)
    }
}

/// An instruction taking the values up to the top: the previous instruction set the top, at a
/// register above this one's `A` (at or above it for `RETURN`).
fn consumer(
    producer: Option<i64>,
    a: i64,
    is_return: bool,
    pc: usize,
    marks: &mut Marks,
) -> Result<(), VerifyError> {
    match producer {
        Some(p) if p > a || (is_return && p == a) => {
            marks.set(pc, CONSUMER);
            Ok(())
        }
        _ => fail(VerifyErrorKind::OpenResults, pc),
    }
}

/// `FORPREP`/`FORLOOP`: four registers from `A`, and the shape 5.1's `forbody` generates.
fn check_for(p: &Proto, i: Instruction, op: OpCode, pc: usize) -> Result<(), VerifyError> {
    let code = &p.code;
    if i64::from(i.a()) + 3 >= i64::from(p.max_stack_size) {
        return fail(VerifyErrorKind::Register, pc);
    }
    let dest = jump_dest(i, pc, code.len())?;
    let same = |at: Option<&Instruction>, want: OpCode| {
        at.is_some_and(|j| j.opcode() == Ok(want) && j.a() == i.a())
    };
    let ok = match op {
        OpCode::ForPrep => same(code.get(dest), OpCode::ForLoop),
        _ => dest
            .checked_sub(1)
            .is_some_and(|before| same(code.get(before), OpCode::ForPrep)),
    };
    if ok {
        Ok(())
    } else {
        fail(VerifyErrorKind::Loop, pc)
    }
}
