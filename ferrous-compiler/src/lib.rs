//! The Lua 5.1 front end of Ferrous: source bytes in, an inert `CompiledModule` out.
//!
//! Invariant: this crate never depends on `ferrous-heap` or the garbage collector.

mod error;
mod lexer;
mod module;
mod number;
mod opcodes;
mod strings;

pub use crate::error::{CompileError, CompileErrorKind, chunk_id};
pub use crate::module::{CompiledModule, Constant, LocalVar, Proto, StrIdx};
pub use crate::opcodes::{DecodeError, Instruction, OpArgMode, OpCode, OpFormat};
