//! The Lua 5.1 front end of Ferrous: source bytes in, an inert `CompiledModule` out.
//!
//! `compile` (or `compile_reader`, for a chunk read in pieces) runs the lexer (`lexer.rs`, `logos`), the parser (`parser.rs`, `expr.rs`, a port
//! of `lparser.c`) and the code generator (`codegen.rs` and `jumps.rs`, a port of `lcode.c`) in
//! one pass, like Lua 5.1 does: there is no syntax tree. The output uses Lua 5.1's instruction set and
//! encoding (`opcodes.rs`), so `listing` prints what `luac5.1 -l -l` prints.
//!
//! Binary chunks: `binary.rs` defines lua5.1's format (`ChunkWriter`, what `string.dump`
//! writes), `undump` reads it back into a `CompiledModule`, and `verify` checks every operand
//! of a module's code (`undump` runs it on each function; the VM's loader on every module).
//!
//! Invariants:
//! - This crate never depends on `ferrous-heap` or the garbage collector.
//! - No input makes the compiler panic or overflow the stack: recursion is bounded by 5.1's
//!   `LUAI_MAXCCALLS` (200 syntax levels).
//! - Error messages are byte-identical to lua5.1's.

mod binary;
mod codegen;
mod error;
mod expr;
mod funcstate;
mod jumps;
mod lexer;
mod listing;
mod module;
mod number;
mod opcodes;
mod parser;
mod strings;
mod undump;
mod verify;

pub use crate::binary::{BINARY_HEADER, BINARY_SIGNATURE, ChunkWriter};
pub use crate::error::{CompileError, CompileErrorKind, chunk_id};
pub use crate::lexer::{ChunkReader, ReadFailed};
pub use crate::listing::listing;
pub use crate::module::{
    CompiledModule, Constant, LocalVar, Proto, StrIdx, VARARG_HASARG, VARARG_ISVARARG,
    VARARG_NEEDSARG,
};
pub use crate::number::{str_to_number, str_to_number_base};
pub use crate::opcodes::{
    BITRK, DecodeError, Instruction, LFIELDS_PER_FLUSH, MAXARG_A, MAXARG_B, MAXARG_BX, MAXARG_C,
    MAXARG_SBX, MAXINDEXRK, NUM_OPCODES, OpArgMode, OpCode, OpFormat, index_k, is_k,
};
pub use crate::undump::{UndumpError, UndumpErrorKind, is_binary_chunk, undump};
pub use crate::verify::{MAX_STACK_SIZE, VerifyError, VerifyErrorKind, verify, verify_proto};

/// Compiles a Lua 5.1 chunk, like `lua_load` / `loadstring`.
///
/// `chunk_name` follows Lua's convention: `@file.lua` (messages say `file.lua:LINE:`),
/// `=stdin` (`stdin:LINE:`), or the source itself (`[string "..."]:LINE:`).
/// Binary chunks are not accepted: a leading ESC byte is an unexpected symbol.
pub fn compile(source: &[u8], chunk_name: &[u8]) -> Result<CompiledModule, CompileError> {
    parser::parse(lexer::Input::slice(source), chunk_name).map_err(|e| *e)
}

/// Compiles a Lua 5.1 chunk read piece by piece, like `lua_load` with a reader: `reader` is
/// called only when the lexer needs the next byte (as 5.1's `luaZ_fill`), so an error stops
/// the reading where lua5.1 stops it. A failing reader ends the compilation with
/// `CompileErrorKind::ReadFailed`. Binary chunks are not accepted (see [`compile`]).
pub fn compile_reader(
    reader: &mut dyn ChunkReader,
    chunk_name: &[u8],
) -> Result<CompiledModule, CompileError> {
    parser::parse(lexer::Input::reader(reader), chunk_name).map_err(|e| *e)
}

/// Compiles the contents of a file, like `luaL_loadfile`: a first line starting with `#`
/// (such as `#!/usr/bin/lua`) is skipped, keeping line numbers.
pub fn compile_file(source: &[u8], chunk_name: &[u8]) -> Result<CompiledModule, CompileError> {
    let source = if source.first() == Some(&b'#') {
        let eol = source
            .iter()
            .position(|&c| c == b'\n')
            .unwrap_or(source.len());
        &source[eol..]
    } else {
        source
    };
    compile(source, chunk_name)
}
