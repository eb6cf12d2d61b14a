//! The compiler's output: `CompiledModule`, `Proto`, `Constant`, `LocalVar`, `StrIdx`.
//!
//! A `CompiledModule` is inert and self-contained: no lifetimes, no heap handles. Every byte
//! string the code refers to (string constants, global and field names, local and upvalue
//! names, the chunk name) lives once in `CompiledModule::strings` and is named by a `StrIdx`.
//!
//! Invariants:
//! - `strings` holds no duplicates: equal bytes <=> equal `StrIdx`.
//! - `code.len() == line_info.len()`, and `upvalue_names.len() == num_upvalues`, for what the
//!   compiler builds; a stripped binary chunk (`undump`) may have no line info and fewer upvalue
//!   names, as 5.1 allows. `verify` checks what the loader relies on.
//! - Every `StrIdx` in a module indexes `strings`.

/// Index into `CompiledModule::strings`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StrIdx(pub u32);

/// A constant of a prototype (5.1's `k` array).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Constant {
    /// `nil`.
    Nil,
    /// `true` or `false`.
    Boolean(bool),
    /// A number.
    Number(f64),
    /// A string, by index into the module's string table.
    String(StrIdx),
}

/// Debug information about one local variable (5.1's `LocVar`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalVar {
    /// The variable's name.
    pub name: StrIdx,
    /// First instruction where the variable is active.
    pub start_pc: u32,
    /// First instruction where the variable is dead.
    pub end_pc: u32,
}

/// `is_vararg` flag: the function has the 5.0-compatible `arg` local (`LUA_COMPAT_VARARG`).
pub const VARARG_HASARG: u8 = 1;
/// `is_vararg` flag: the function is declared with `...`.
pub const VARARG_ISVARARG: u8 = 2;
/// `is_vararg` flag: the function never uses `...`, so the VM must build the `arg` table.
pub const VARARG_NEEDSARG: u8 = 4;

/// A function prototype (5.1's `Proto`).
#[derive(Clone, Debug, PartialEq)]
pub struct Proto {
    /// The instructions.
    pub code: Vec<crate::Instruction>,
    /// The constants.
    pub constants: Vec<Constant>,
    /// Nested prototypes, indexed by `CLOSURE`'s `Bx`.
    pub protos: Vec<Proto>,
    /// Upvalue names (as many as `num_upvalues`, or fewer in a stripped binary chunk).
    pub upvalue_names: Vec<StrIdx>,
    /// Number of upvalues (5.1's `nups`).
    pub num_upvalues: u8,
    /// Number of fixed parameters.
    pub num_params: u8,
    /// `VARARG_*` flags, as 5.1 stores them (`luac` prints `+` when nonzero).
    pub is_vararg: u8,
    /// Number of registers the function needs.
    pub max_stack_size: u8,
    /// Source line of each instruction.
    pub line_info: Vec<u32>,
    /// Local variable debug information, in declaration order.
    pub local_vars: Vec<LocalVar>,
    /// Line where the function starts (0 for the main chunk).
    pub line_defined: u32,
    /// Line where the function ends (0 for the main chunk).
    pub last_line_defined: u32,
    /// The chunk name (`@file.lua`, `=stdin`, or the source text), as given to `compile`.
    pub source: StrIdx,
}

/// A compiled chunk: the deduplicated string table and the main function.
#[derive(Clone, Debug, PartialEq)]
pub struct CompiledModule {
    /// Every byte string the module refers to, each once.
    pub strings: Vec<Box<[u8]>>,
    /// The main function (a vararg function with no parameters).
    pub main: Proto,
}

impl CompiledModule {
    /// The bytes of a string of this module (empty for an index out of range).
    pub fn string(&self, idx: StrIdx) -> &[u8] {
        self.strings.get(idx.0 as usize).map_or(&[], |s| s)
    }
}
