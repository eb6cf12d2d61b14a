//! Per-function compilation state (5.1's `FuncState`, `BlockCnt`, `expdesc`).
//!
//! `FuncState` accumulates one prototype: code and line info, the constant table with its
//! lookup map, nested prototypes, local-variable debug records, upvalue descriptors, the
//! active-variable stack, the block stack, and the register allocator (`freereg`).
//!
//! Invariants (those of `lparser.c` / `lcode.c`):
//! - Registers are allocated LIFO: `nactvar <= freereg <= max_stack_size`, and registers
//!   below `nactvar` hold the active locals in declaration order.
//! - `code.len() == line_info.len()`; jump lists are threaded through the `sBx` fields of
//!   the `JMP` instructions, `NO_JUMP` (-1) ends a list; `jump_tails` caches list ends
//!   (`jumps.rs`).
//! - Constants are deduplicated by value (numbers by numeric equality, so `-0` and `0`
//!   share a slot, as 5.1's constant table does).

use std::collections::HashMap;

use crate::module::{Constant, LocalVar, Proto, StrIdx};
use crate::opcodes::Instruction;

/// End of a jump list.
pub(crate) const NO_JUMP: i32 = -1;
/// `LUA_MULTRET`.
pub(crate) const LUA_MULTRET: i32 = -1;
/// `LUAI_MAXVARS`: active locals per function.
pub(crate) const LUAI_MAXVARS: u32 = 200;
/// `LUAI_MAXUPVALUES`: upvalues per function.
pub(crate) const LUAI_MAXUPVALUES: u32 = 60;
/// `MAXSTACK`: registers per function.
pub(crate) const MAXSTACK: i32 = 250;

/// Kinds of expression descriptors (5.1's `expkind`, same order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ExpKind {
    /// No value (empty expression list).
    Void,
    Nil,
    True,
    False,
    /// `info` = index of the constant.
    K,
    /// `nval` = the numeric value.
    KNum,
    /// `info` = local register.
    Local,
    /// `info` = index of the upvalue.
    Upval,
    /// `info` = index of the name constant.
    Global,
    /// `info` = table register, `aux` = index register or RK constant.
    Indexed,
    /// `info` = pc of the jump instruction.
    Jmp,
    /// `info` = pc of the instruction whose `A` is still to be set.
    Relocable,
    /// `info` = the register holding the value.
    NonReloc,
    /// `info` = pc of the `CALL`.
    Call,
    /// `info` = pc of the `VARARG`.
    Vararg,
}

/// An expression being compiled (5.1's `expdesc`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct ExpDesc {
    pub(crate) k: ExpKind,
    pub(crate) info: i32,
    pub(crate) aux: i32,
    pub(crate) nval: f64,
    /// Patch list of "exit when true".
    pub(crate) t: i32,
    /// Patch list of "exit when false".
    pub(crate) f: i32,
}

impl ExpDesc {
    /// `init_exp`.
    pub(crate) fn new(k: ExpKind, info: i32) -> ExpDesc {
        ExpDesc {
            k,
            info,
            aux: 0,
            nval: 0.0,
            t: NO_JUMP,
            f: NO_JUMP,
        }
    }

    /// A numeric literal.
    pub(crate) fn num(nval: f64) -> ExpDesc {
        ExpDesc {
            nval,
            ..ExpDesc::new(ExpKind::KNum, 0)
        }
    }

    /// `hasjumps`.
    pub(crate) fn has_jumps(&self) -> bool {
        self.t != self.f
    }

    /// `isnumeral`.
    pub(crate) fn is_numeral(&self) -> bool {
        self.k == ExpKind::KNum && self.t == NO_JUMP && self.f == NO_JUMP
    }

    /// `hasmultret`.
    pub(crate) fn has_multret(&self) -> bool {
        matches!(self.k, ExpKind::Call | ExpKind::Vararg)
    }
}

/// A lexical block (5.1's `BlockCnt`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct BlockCnt {
    /// Jumps out of this loop.
    pub(crate) breaklist: i32,
    /// Active locals outside the block.
    pub(crate) nactvar: u32,
    /// Some variable of the block is captured as an upvalue.
    pub(crate) upval: bool,
    /// The block is a loop.
    pub(crate) isbreakable: bool,
}

/// Key of the constant lookup map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ConstKey {
    Nil,
    Bool(bool),
    /// Bits of the number, with `-0` stored as `0`.
    Num(u64),
    Str(u32),
}

/// Where an upvalue of a function comes from, in the enclosing function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct UpvalDesc {
    /// `true`: a local register of the enclosing function; `false`: one of its upvalues.
    pub(crate) from_local: bool,
    pub(crate) info: u8,
}

/// State of one function being compiled.
pub(crate) struct FuncState {
    pub(crate) code: Vec<Instruction>,
    pub(crate) line_info: Vec<u32>,
    pub(crate) k: Vec<Constant>,
    /// Constant lookup (randomly keyed hash: see `strings.rs`).
    pub(crate) h: HashMap<ConstKey, u32>,
    pub(crate) p: Vec<Proto>,
    pub(crate) locvars: Vec<LocalVar>,
    pub(crate) upvalue_names: Vec<StrIdx>,
    pub(crate) upvalues: Vec<UpvalDesc>,
    pub(crate) num_params: u8,
    pub(crate) is_vararg: u8,
    pub(crate) max_stack_size: u8,
    pub(crate) line_defined: u32,
    pub(crate) last_line_defined: u32,
    /// `pc` of the last jump target.
    pub(crate) lasttarget: i32,
    /// Pending jumps to `pc`.
    pub(crate) jpc: i32,
    /// Cached last node of the jump list headed at each pc, or `NO_JUMP` (see `jumps.rs`);
    /// shorter than `code` where nothing was cached.
    pub(crate) jump_tails: Vec<i32>,
    /// First free register.
    pub(crate) freereg: i32,
    /// Number of active locals.
    pub(crate) nactvar: u32,
    /// `locvars` index of each active local.
    pub(crate) actvar: Vec<u16>,
    /// Enclosing blocks, innermost last.
    pub(crate) bl: Vec<BlockCnt>,
    /// Target of writes to an instruction that does not exist (never happens).
    scratch: Instruction,
}

impl FuncState {
    /// `open_func`.
    pub(crate) fn new(line_defined: u32) -> FuncState {
        FuncState {
            code: Vec::new(),
            line_info: Vec::new(),
            k: Vec::new(),
            h: HashMap::new(),
            p: Vec::new(),
            locvars: Vec::new(),
            upvalue_names: Vec::new(),
            upvalues: Vec::new(),
            num_params: 0,
            is_vararg: 0,
            // Registers 0/1 are always valid.
            max_stack_size: 2,
            line_defined,
            last_line_defined: 0,
            lasttarget: -1,
            jpc: NO_JUMP,
            jump_tails: Vec::new(),
            freereg: 0,
            nactvar: 0,
            actvar: Vec::new(),
            bl: Vec::new(),
            scratch: Instruction(0),
        }
    }

    /// Current `pc` (number of instructions emitted).
    pub(crate) fn pc(&self) -> i32 {
        self.code.len() as i32
    }

    /// The instruction at `pc` (which the code generator knows to exist).
    pub(crate) fn instr(&mut self, pc: i32) -> &mut Instruction {
        // Indices come from the code generator's own lists; an impossible one hits `scratch`.
        match usize::try_from(pc).ok().and_then(|i| self.code.get_mut(i)) {
            Some(i) => i,
            None => &mut self.scratch,
        }
    }

    /// The debug record of active local `i`.
    pub(crate) fn locvar(&mut self, i: u32) -> Option<&mut LocalVar> {
        let idx = *self.actvar.get(i as usize)? as usize;
        self.locvars.get_mut(idx)
    }

    /// The prototype, once the function is closed.
    pub(crate) fn into_proto(self, source: StrIdx) -> Proto {
        Proto {
            code: self.code,
            constants: self.k,
            protos: self.p,
            // At most `LUAI_MAXUPVALUES` (60), checked by the parser.
            num_upvalues: self.upvalue_names.len() as u8,
            upvalue_names: self.upvalue_names,
            num_params: self.num_params,
            is_vararg: self.is_vararg,
            max_stack_size: self.max_stack_size,
            line_info: self.line_info,
            local_vars: self.locvars,
            line_defined: self.line_defined,
            last_line_defined: self.last_line_defined,
            source,
        }
    }
}
