//! The Lua 5.1 instruction set, defined exactly once.
//!
//! `for_each_op!` is the single table of opcodes (name, format, operand modes, a one-line
//! semantics comment). The `OpCode` enum, its mode queries, the encoder (`Instruction::abc`,
//! `abx`, `asbx`), the decoder (`Instruction::opcode` and the field accessors) and the
//! disassembler (`listing.rs`, which asks `OpCode::b_mode` / `c_mode` / `format`) are all
//! derived from it.
//!
//! Invariants:
//! - Numbering, order and encoding are those of Lua 5.1's `lopcodes.h`: `OP:6 A:8 C:9 B:9`
//!   (from the least significant bit), `Bx:18` overlapping `C` and `B`, `sBx = Bx - 131071`.
//! - RK operands with bit 8 (`BITRK` = 256) set name constant `x - 256`.
//! - Decoding an unknown opcode is an error (`DecodeError`), never a default.

use thiserror::Error;

/// Instruction formats (5.1's `enum OpMode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpFormat {
    /// `A B C` operands.
    ABC,
    /// `A Bx` operands (unsigned 18-bit `Bx`).
    ABx,
    /// `A sBx` operands (signed 18-bit `sBx`).
    AsBx,
}

/// How an instruction uses its `B` or `C` operand (5.1's `enum OpArgMask`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpArgMode {
    /// Argument is not used.
    N,
    /// Argument is used, but is neither a register nor a constant.
    U,
    /// Argument is a register or a jump offset.
    R,
    /// Argument is a constant or register/constant (RK).
    K,
}

/// The one table of opcodes: `Variant = number, "NAME", format, B mode, C mode, sets A,
/// is a test (next instruction is a jump)`, each with its semantics as a doc comment.
macro_rules! for_each_op {
    ($m:ident) => {
        $m! {
            /// R(A) := R(B)
            Move = 0, "MOVE", ABC, R, N, true, false;
            /// R(A) := Kst(Bx)
            LoadK = 1, "LOADK", ABx, K, N, true, false;
            /// R(A) := (Bool)B; if (C) pc++
            LoadBool = 2, "LOADBOOL", ABC, U, U, true, false;
            /// R(A) := ... := R(B) := nil
            LoadNil = 3, "LOADNIL", ABC, R, N, true, false;
            /// R(A) := UpValue\[B\]
            GetUpval = 4, "GETUPVAL", ABC, U, N, true, false;
            /// R(A) := Gbl[Kst(Bx)]
            GetGlobal = 5, "GETGLOBAL", ABx, K, N, true, false;
            /// R(A) := R(B)[RK(C)]
            GetTable = 6, "GETTABLE", ABC, R, K, true, false;
            /// Gbl[Kst(Bx)] := R(A)
            SetGlobal = 7, "SETGLOBAL", ABx, K, N, false, false;
            /// UpValue\[B\] := R(A)
            SetUpval = 8, "SETUPVAL", ABC, U, N, false, false;
            /// R(A)[RK(B)] := RK(C)
            SetTable = 9, "SETTABLE", ABC, K, K, false, false;
            /// R(A) := {} (size = B,C)
            NewTable = 10, "NEWTABLE", ABC, U, U, true, false;
            /// R(A+1) := R(B); R(A) := R(B)[RK(C)]
            OpSelf = 11, "SELF", ABC, R, K, true, false;
            /// R(A) := RK(B) + RK(C)
            Add = 12, "ADD", ABC, K, K, true, false;
            /// R(A) := RK(B) - RK(C)
            Sub = 13, "SUB", ABC, K, K, true, false;
            /// R(A) := RK(B) * RK(C)
            Mul = 14, "MUL", ABC, K, K, true, false;
            /// R(A) := RK(B) / RK(C)
            Div = 15, "DIV", ABC, K, K, true, false;
            /// R(A) := RK(B) % RK(C)
            Mod = 16, "MOD", ABC, K, K, true, false;
            /// R(A) := RK(B) ^ RK(C)
            Pow = 17, "POW", ABC, K, K, true, false;
            /// R(A) := -R(B)
            Unm = 18, "UNM", ABC, R, N, true, false;
            /// R(A) := not R(B)
            Not = 19, "NOT", ABC, R, N, true, false;
            /// R(A) := length of R(B)
            Len = 20, "LEN", ABC, R, N, true, false;
            /// R(A) := R(B).. ... ..R(C)
            Concat = 21, "CONCAT", ABC, R, R, true, false;
            /// pc+=sBx
            Jmp = 22, "JMP", AsBx, R, N, false, false;
            /// if ((RK(B) == RK(C)) ~= A) then pc++
            Eq = 23, "EQ", ABC, K, K, false, true;
            /// if ((RK(B) <  RK(C)) ~= A) then pc++
            Lt = 24, "LT", ABC, K, K, false, true;
            /// if ((RK(B) <= RK(C)) ~= A) then pc++
            Le = 25, "LE", ABC, K, K, false, true;
            /// if not (R(A) <=> C) then pc++
            Test = 26, "TEST", ABC, R, U, true, true;
            /// if (R(B) <=> C) then R(A) := R(B) else pc++
            TestSet = 27, "TESTSET", ABC, R, U, true, true;
            /// R(A), ... ,R(A+C-2) := R(A)(R(A+1), ... ,R(A+B-1))
            Call = 28, "CALL", ABC, U, U, true, false;
            /// return R(A)(R(A+1), ... ,R(A+B-1))
            TailCall = 29, "TAILCALL", ABC, U, U, true, false;
            /// return R(A), ... ,R(A+B-2)
            Return = 30, "RETURN", ABC, U, N, false, false;
            /// R(A)+=R(A+2); if R(A) <?= R(A+1) then { pc+=sBx; R(A+3)=R(A) }
            ForLoop = 31, "FORLOOP", AsBx, R, N, true, false;
            /// R(A)-=R(A+2); pc+=sBx
            ForPrep = 32, "FORPREP", AsBx, R, N, true, false;
            /// R(A+3), ... ,R(A+2+C) := R(A)(R(A+1), R(A+2)); if R(A+3) ~= nil then R(A+2)=R(A+3) else pc++
            TForLoop = 33, "TFORLOOP", ABC, N, U, false, true;
            /// R(A)[(C-1)*FPF+i] := R(A+i), 1 <= i <= B (C = 0: C is the next code word)
            SetList = 34, "SETLIST", ABC, U, U, false, false;
            /// close all variables in the stack up to (>=) R(A)
            Close = 35, "CLOSE", ABC, N, N, false, false;
            /// R(A) := closure(KPROTO\[Bx\], R(A), ... ,R(A+n)); followed by n MOVE/GETUPVAL pseudo-instructions
            Closure = 36, "CLOSURE", ABx, U, N, true, false;
            /// R(A), R(A+1), ..., R(A+B-1) = vararg
            VarArg = 37, "VARARG", ABC, U, N, true, false;
        }
    };
}

macro_rules! define_opcodes {
    ($($(#[$doc:meta])* $name:ident = $num:literal, $text:literal, $fmt:ident, $b:ident, $c:ident, $seta:literal, $test:literal;)*) => {
        /// A Lua 5.1 opcode; the discriminant is the 6-bit opcode field.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum OpCode {
            $($(#[$doc])* $name = $num,)*
        }

        impl OpCode {
            /// Every opcode, in numbering order.
            pub const ALL: &'static [OpCode] = &[$(OpCode::$name,)*];

            /// The opcode with number `n`, if there is one.
            pub const fn from_u8(n: u8) -> Option<OpCode> {
                match n {
                    $($num => Some(OpCode::$name),)*
                    _ => None,
                }
            }

            /// The name `luac -l` prints (`"MOVE"`, `"LOADK"`, ...).
            pub const fn name(self) -> &'static str {
                match self {
                    $(OpCode::$name => $text,)*
                }
            }

            /// The instruction format.
            pub const fn format(self) -> OpFormat {
                match self {
                    $(OpCode::$name => OpFormat::$fmt,)*
                }
            }

            /// How operand `B` (or `Bx`/`sBx`) is used.
            pub const fn b_mode(self) -> OpArgMode {
                match self {
                    $(OpCode::$name => OpArgMode::$b,)*
                }
            }

            /// How operand `C` is used.
            pub const fn c_mode(self) -> OpArgMode {
                match self {
                    $(OpCode::$name => OpArgMode::$c,)*
                }
            }

            /// Whether the instruction writes register `A`.
            pub const fn sets_a(self) -> bool {
                match self {
                    $(OpCode::$name => $seta,)*
                }
            }

            /// Whether the instruction is a test (the next instruction is a jump).
            pub const fn is_test(self) -> bool {
                match self {
                    $(OpCode::$name => $test,)*
                }
            }
        }
    };
}

for_each_op!(define_opcodes);

/// Number of opcodes (5.1's `NUM_OPCODES`).
pub const NUM_OPCODES: usize = OpCode::ALL.len();

const SIZE_OP: u32 = 6;
const SIZE_A: u32 = 8;
const SIZE_B: u32 = 9;
const SIZE_C: u32 = 9;
const SIZE_BX: u32 = SIZE_B + SIZE_C;
const POS_A: u32 = SIZE_OP;
const POS_C: u32 = POS_A + SIZE_A;
const POS_B: u32 = POS_C + SIZE_C;
const POS_BX: u32 = POS_C;

/// Largest value of operand `A`.
pub const MAXARG_A: u32 = (1 << SIZE_A) - 1;
/// Largest value of operand `B`.
pub const MAXARG_B: u32 = (1 << SIZE_B) - 1;
/// Largest value of operand `C`.
pub const MAXARG_C: u32 = (1 << SIZE_C) - 1;
/// Largest value of operand `Bx`.
pub const MAXARG_BX: u32 = (1 << SIZE_BX) - 1;
/// Largest absolute value of operand `sBx` (also its encoding bias).
pub const MAXARG_SBX: i32 = (MAXARG_BX >> 1) as i32;
/// The bit that marks an RK operand as a constant index.
pub const BITRK: u32 = 1 << (SIZE_B - 1);
/// Largest constant index an RK operand can hold.
pub const MAXINDEXRK: u32 = BITRK - 1;
/// Register value meaning "no register" (`NO_REG`), used by `TESTSET` patching.
pub const NO_REG: u32 = MAXARG_A;
/// Number of list items to accumulate before a `SETLIST` instruction.
pub const LFIELDS_PER_FLUSH: u32 = 50;

/// Whether an RK operand names a constant.
pub const fn is_k(x: u32) -> bool {
    x & BITRK != 0
}

/// The constant index of an RK operand that names a constant.
pub const fn index_k(x: u32) -> u32 {
    x & !BITRK
}

/// Encodes a constant index as an RK operand.
pub const fn rk_as_k(x: u32) -> u32 {
    x | BITRK
}

/// Decoding failed: the instruction word does not hold a valid opcode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum DecodeError {
    /// The 6-bit opcode field is not one of the 38 opcodes.
    #[error("unknown opcode {0}")]
    UnknownOpcode(u8),
}

/// One encoded 32-bit Lua 5.1 instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Instruction(pub u32);

const fn mask(size: u32, pos: u32) -> u32 {
    ((1u32 << size) - 1) << pos
}

impl Instruction {
    /// Encodes an `iABC` instruction (5.1's `CREATE_ABC`); operands are masked to their width.
    pub const fn abc(op: OpCode, a: u32, b: u32, c: u32) -> Instruction {
        Instruction(
            (op as u32)
                | ((a << POS_A) & mask(SIZE_A, POS_A))
                | ((b << POS_B) & mask(SIZE_B, POS_B))
                | ((c << POS_C) & mask(SIZE_C, POS_C)),
        )
    }

    /// Encodes an `iABx` instruction (5.1's `CREATE_ABx`).
    pub const fn abx(op: OpCode, a: u32, bx: u32) -> Instruction {
        Instruction(
            (op as u32)
                | ((a << POS_A) & mask(SIZE_A, POS_A))
                | ((bx << POS_BX) & mask(SIZE_BX, POS_BX)),
        )
    }

    /// Encodes an `iAsBx` instruction.
    pub const fn asbx(op: OpCode, a: u32, sbx: i32) -> Instruction {
        Instruction::abx(op, a, (sbx + MAXARG_SBX) as u32)
    }

    /// The opcode, or an error for an unknown opcode number.
    pub const fn opcode(self) -> Result<OpCode, DecodeError> {
        let n = (self.0 & mask(SIZE_OP, 0)) as u8;
        match OpCode::from_u8(n) {
            Some(op) => Ok(op),
            None => Err(DecodeError::UnknownOpcode(n)),
        }
    }

    /// The 6-bit opcode field as a number, unchecked (the interpreter dispatches on it and
    /// treats the 26 values that are not opcodes as errors).
    pub const fn op_field(self) -> u32 {
        self.0 & mask(SIZE_OP, 0)
    }

    /// The same operands under another 6-bit opcode field: how a VM gives an instruction a
    /// specialized form of its own among the 26 values that are not opcodes.
    pub const fn with_op_field(self, op: u32) -> Instruction {
        Instruction((self.0 & !mask(SIZE_OP, 0)) | (op & mask(SIZE_OP, 0)))
    }

    /// Operand `A`.
    pub const fn a(self) -> u32 {
        (self.0 >> POS_A) & MAXARG_A
    }

    /// Operand `B`.
    pub const fn b(self) -> u32 {
        (self.0 >> POS_B) & MAXARG_B
    }

    /// Operand `C`.
    pub const fn c(self) -> u32 {
        (self.0 >> POS_C) & MAXARG_C
    }

    /// Operand `Bx`.
    pub const fn bx(self) -> u32 {
        (self.0 >> POS_BX) & MAXARG_BX
    }

    /// Operand `sBx`.
    pub const fn sbx(self) -> i32 {
        self.bx() as i32 - MAXARG_SBX
    }

    pub(crate) fn set_opcode(&mut self, op: OpCode) {
        self.0 = (self.0 & !mask(SIZE_OP, 0)) | op as u32;
    }

    pub(crate) fn set_a(&mut self, a: u32) {
        self.0 = (self.0 & !mask(SIZE_A, POS_A)) | ((a << POS_A) & mask(SIZE_A, POS_A));
    }

    pub(crate) fn set_b(&mut self, b: u32) {
        self.0 = (self.0 & !mask(SIZE_B, POS_B)) | ((b << POS_B) & mask(SIZE_B, POS_B));
    }

    pub(crate) fn set_c(&mut self, c: u32) {
        self.0 = (self.0 & !mask(SIZE_C, POS_C)) | ((c << POS_C) & mask(SIZE_C, POS_C));
    }

    pub(crate) fn set_sbx(&mut self, sbx: i32) {
        let bx = (sbx + MAXARG_SBX) as u32;
        self.0 = (self.0 & !mask(SIZE_BX, POS_BX)) | ((bx << POS_BX) & mask(SIZE_BX, POS_BX));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_matches_lopcodes_h() {
        assert_eq!(NUM_OPCODES, 38);
        for (i, op) in OpCode::ALL.iter().enumerate() {
            assert_eq!(*op as usize, i);
            assert_eq!(OpCode::from_u8(i as u8), Some(*op));
        }
        assert_eq!(OpCode::VarArg as u8, 37);
        assert_eq!(OpCode::from_u8(38), None);
    }

    #[test]
    fn fields_round_trip() {
        let i = Instruction::abc(OpCode::Call, 200, 511, 300);
        assert_eq!(i.opcode(), Ok(OpCode::Call));
        assert_eq!((i.a(), i.b(), i.c()), (200, 511, 300));
        let j = Instruction::asbx(OpCode::Jmp, 0, -131071);
        assert_eq!(j.sbx(), -131071);
        let k = Instruction::abx(OpCode::LoadK, 3, MAXARG_BX);
        assert_eq!((k.a(), k.bx()), (3, MAXARG_BX));
        let mut m = Instruction::abc(OpCode::Move, 1, 2, 0);
        m.set_b(7);
        m.set_a(9);
        m.set_opcode(OpCode::Test);
        assert_eq!((m.opcode(), m.a(), m.b()), (Ok(OpCode::Test), 9, 7));
    }

    #[test]
    fn unknown_opcode_is_an_error() {
        assert_eq!(
            Instruction(63).opcode(),
            Err(DecodeError::UnknownOpcode(63))
        );
    }

    #[test]
    fn op_field_is_the_raw_opcode_number() {
        for &op in OpCode::ALL.iter() {
            assert_eq!(Instruction::abc(op, 255, 511, 511).op_field(), op as u32);
        }
        // Not an opcode: still the field's value, with the operands masked off.
        assert_eq!(Instruction(u32::MAX).op_field(), 63);
    }

    #[test]
    fn with_op_field_keeps_the_operands() {
        let ins = Instruction::abc(OpCode::GetTable, 7, 300, 511);
        let other = ins.with_op_field(40);
        assert_eq!(other.op_field(), 40);
        assert_eq!((other.a(), other.b(), other.c()), (7, 300, 511));
        assert_eq!(other.with_op_field(OpCode::GetTable as u32), ins);
        // Only the field's six bits are taken.
        assert_eq!(ins.with_op_field(64 + 40).op_field(), 40);
    }
}
