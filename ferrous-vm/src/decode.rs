//! The interpreter loop's view of an instruction word: the opcode values its `match` lists, the
//! operand decoders (over `ferrous_compiler::Instruction`, the instruction set's one definition)
//! and the register window a frame's instructions index.

use ferrous_compiler::{Instruction, OpCode};
use ferrous_heap::Value;

use crate::thread::REGS;

pub(crate) const OP_MOVE: u32 = OpCode::Move as u32;
pub(crate) const OP_LOADK: u32 = OpCode::LoadK as u32;
pub(crate) const OP_LOADBOOL: u32 = OpCode::LoadBool as u32;
pub(crate) const OP_LOADNIL: u32 = OpCode::LoadNil as u32;
pub(crate) const OP_GETUPVAL: u32 = OpCode::GetUpval as u32;
pub(crate) const OP_GETGLOBAL: u32 = OpCode::GetGlobal as u32;
pub(crate) const OP_GETTABLE: u32 = OpCode::GetTable as u32;
pub(crate) const OP_SETGLOBAL: u32 = OpCode::SetGlobal as u32;
pub(crate) const OP_SETUPVAL: u32 = OpCode::SetUpval as u32;
pub(crate) const OP_SETTABLE: u32 = OpCode::SetTable as u32;
pub(crate) const OP_NEWTABLE: u32 = OpCode::NewTable as u32;
pub(crate) const OP_SELF: u32 = OpCode::OpSelf as u32;
pub(crate) const OP_ADD: u32 = OpCode::Add as u32;
pub(crate) const OP_SUB: u32 = OpCode::Sub as u32;
pub(crate) const OP_MUL: u32 = OpCode::Mul as u32;
pub(crate) const OP_DIV: u32 = OpCode::Div as u32;
pub(crate) const OP_MOD: u32 = OpCode::Mod as u32;
pub(crate) const OP_POW: u32 = OpCode::Pow as u32;
pub(crate) const OP_UNM: u32 = OpCode::Unm as u32;
pub(crate) const OP_NOT: u32 = OpCode::Not as u32;
pub(crate) const OP_LEN: u32 = OpCode::Len as u32;
pub(crate) const OP_CONCAT: u32 = OpCode::Concat as u32;
pub(crate) const OP_JMP: u32 = OpCode::Jmp as u32;
pub(crate) const OP_EQ: u32 = OpCode::Eq as u32;
pub(crate) const OP_LT: u32 = OpCode::Lt as u32;
pub(crate) const OP_LE: u32 = OpCode::Le as u32;
pub(crate) const OP_TEST: u32 = OpCode::Test as u32;
pub(crate) const OP_TESTSET: u32 = OpCode::TestSet as u32;
pub(crate) const OP_CALL: u32 = OpCode::Call as u32;
pub(crate) const OP_TAILCALL: u32 = OpCode::TailCall as u32;
pub(crate) const OP_RETURN: u32 = OpCode::Return as u32;
pub(crate) const OP_FORLOOP: u32 = OpCode::ForLoop as u32;
pub(crate) const OP_FORPREP: u32 = OpCode::ForPrep as u32;
pub(crate) const OP_TFORLOOP: u32 = OpCode::TForLoop as u32;
pub(crate) const OP_SETLIST: u32 = OpCode::SetList as u32;
pub(crate) const OP_CLOSE: u32 = OpCode::Close as u32;
pub(crate) const OP_CLOSURE: u32 = OpCode::Closure as u32;
pub(crate) const OP_VARARG: u32 = OpCode::VarArg as u32;
// The loop's match lists the values above the last opcode by number (so it covers all 64).
const _: () = assert!(OP_VARARG == 37);

// The VM's specialized forms (`specialize.rs`), in the field values above the last opcode: the
// loader rewrites an instruction into one where its operands allow, and only the loop's code
// (`Prototype::exec`) holds them. Each is listed once, with the opcode it is a form of.
macro_rules! specialized_ops {
    ($($(#[$doc:meta])* $name:ident = $value:literal, a form of $original:ident;)*) => {
        $($(#[$doc])* pub(crate) const $name: u32 = $value;)*

        /// The original opcode of opcode field `op`: the instruction a specialized form was
        /// made from, or `op` itself.
        #[cfg_attr(not(any(test, debug_assertions)), allow(dead_code))]
        pub(crate) fn original_op(op: u32) -> u32 {
            match op {
                $($name => OpCode::$original as u32,)*
                other => other,
            }
        }
    };
}

specialized_ops! {
    /// `GETTABLE` whose key (C) is a constant string: `t.x`.
    OP_GETFIELD = 38, a form of GetTable;
    /// `SETTABLE` whose key (B) is a constant string: `t.x = v`.
    OP_SETFIELD = 39, a form of SetTable;
    /// `ADD` of a register (B) and a number constant (C): `i + 1`.
    OP_ADDK = 40, a form of Add;
    /// `SUB` of a register and a number constant: `n - 1`.
    OP_SUBK = 41, a form of Sub;
    /// `MUL` of a register and a number constant: `x * 2`.
    OP_MULK = 42, a form of Mul;
    /// `DIV` of a register and a number constant: `x / 2`.
    OP_DIVK = 43, a form of Div;
    /// `EQ` of a register (B) and a constant (C): `k == 0`, `kind == "string"`.
    OP_EQK = 44, a form of Eq;
    /// `LT` of a register (B) and a number constant (C): `n < 2`.
    OP_LTK = 45, a form of Lt;
    /// `LE` of a register (B) and a number constant (C).
    OP_LEK = 46, a form of Le;
    /// `MOD` of a register (B) and a number constant (C): `i % 1000`.
    OP_MODK = 47, a form of Mod;
    /// `ADD` of two registers: `a + b`.
    OP_ADDRR = 48, a form of Add;
    /// `RETURN` of one value (B = 2): `return x`.
    OP_RETURN1 = 49, a form of Return;
    /// `ADD` of two registers followed by a `FORLOOP` (the sum at the end of a loop's body:
    /// `s = s + t[i]`): both in one dispatch. The `FORLOOP` stays in the next word, which is
    /// where a jump to it goes.
    OP_ADDRR_FORLOOP = 50, a form of Add;
    /// `SETUPVAL` A B followed by `GETUPVAL` A B (`n = n + 1; return n`): the read would put
    /// back in A the value just written from it, so the loop skips it. The `GETUPVAL` stays in
    /// the next word, which is where a jump to it goes.
    OP_SETUPVAL_GET = 51, a form of SetUpval;
    /// `MOVE` followed by a `CALL` (the last argument or the function put in place: `f(x)`,
    /// `c()`): both in one dispatch. The `CALL` stays in the next word, which is where a jump
    /// to it goes.
    OP_MOVE_CALL = 52, a form of Move;
    /// `GETUPVAL` A B followed by an `ADD` or `SUB` A A C and a `SETUPVAL` A B (`n = n + 1`,
    /// `sum = sum + v` on an upvalue): the three at once when both operands are numbers
    /// (`Vm::getupval_arith`). The other two stay in the next words, which is where a jump to
    /// them goes.
    OP_GETUPVAL_ARITH = 53, a form of GetUpval;
    /// `GETUPVAL` A B followed by a `GETUPVAL` A+1 D, an `ADD` or `SUB` A A A+1 and a
    /// `SETUPVAL` A B (`n = n + step` with both upvalues): the four at once, as
    /// `OP_GETUPVAL_ARITH`.
    OP_GETUPVAL2_ARITH = 54, a form of GetUpval;
    /// `GETTABLE` A B K (a constant string key) followed by an `ADD` or `SUB` A A C and a
    /// `SETTABLE` B K A (`self.n = self.n + 1`): the three at once when the field and C are
    /// numbers, the field looked up once (`Vm::getfield_arith`). The other two stay in the
    /// next words, which is where a jump to them goes.
    OP_GETFIELD_ARITH = 55, a form of GetTable;
    /// `MOD` of a register (B) and a constant (C) that is an integer from 1 to 2^31: `i %
    /// 1000` without a division when B holds an integer (`number::lua_mod_by_int`).
    OP_MODK_INT = 56, a form of Mod;
}

// The operands of instruction word `i`, decoded by `ferrous_compiler::Instruction` (the
// instruction set's one definition), as the loop indexes with them. Inlined in optimized builds
// only: inlined into the loop in a debug build, each use added stack slots to its frame.
macro_rules! operand_decoders {
    ($($name:ident: $field:ident -> $ty:ty;)*) => {$(
        #[cfg_attr(debug_assertions, inline(never))]
        #[cfg_attr(not(debug_assertions), inline(always))]
        pub(crate) fn $name(i: u32) -> $ty {
            Instruction(i).$field() as $ty
        }
    )*};
}

operand_decoders! {
    arg_a: a -> usize;
    arg_b: b -> usize;
    arg_c: c -> usize;
    arg_bx: bx -> usize;
    arg_sbx: sbx -> isize;
}

/// RK operand `x` of an instruction in a frame whose registers start at `base` in `stack` and
/// whose constants are `k`, by reference (`None` out of range): what the out-of-line fused
/// arms (`Vm::getupval_arith`, `Vm::getfield_arith`) read their second operand with.
#[cfg_attr(debug_assertions, allow(dead_code))]
#[inline(always)]
pub(crate) fn rk_operand<'a>(
    stack: &'a [Value],
    k: &'a [Value],
    base: usize,
    x: u32,
) -> Option<&'a Value> {
    if ferrous_compiler::is_k(x) {
        k.get(ferrous_compiler::index_k(x) as usize)
    } else {
        stack.get(base + x as usize)
    }
}

/// The constant index of RK operand `x` that names a constant (a specialized instruction's,
/// known to be one at load time; only optimized builds run those, see `interp.rs`).
#[cfg(not(debug_assertions))]
#[inline(always)]
pub(crate) fn const_index(x: usize) -> usize {
    ferrous_compiler::index_k(x as u32) as usize
}

/// The register window of a frame whose registers start at `base` (see `REGS`). Inlined in
/// optimized builds only, as the `arg_*` decoders are.
#[cfg_attr(debug_assertions, inline(never))]
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) fn window_mut(stack: &mut [Value], base: usize) -> Option<&mut [Value; REGS]> {
    stack
        .get_mut(base..base + REGS)
        .and_then(|r| <&mut [Value; REGS]>::try_from(r).ok())
}

/// [`window_mut`], shared.
#[cfg_attr(debug_assertions, inline(never))]
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) fn window(stack: &[Value], base: usize) -> Option<&[Value; REGS]> {
    stack
        .get(base..base + REGS)
        .and_then(|r| <&[Value; REGS]>::try_from(r).ok())
}
