//! `load` with a reader function (`lua_load` with lbaselib's `generic_reader`): the chunk is
//! read piece by piece while it is compiled (`ferrous_compiler::compile_reader`), so the
//! function is called exactly when lua5.1 calls it and a syntax error stops the reading.
//!
//! Each piece is the reader's first result: a string (an empty one ends the chunk), a number
//! (converted as `lua_tolstring` does), nil (the end), or anything else, which is the error
//! `reader function must return a string`, positioned at `load`'s caller as `luaL_error` does.
//!
//! Invariants:
//! - An error of the reader (or of the conversion) stops the compilation; `load` returns it as
//!   its second result, except running out of memory and a kill, which are raised.
//! - Each piece costs fuel (one unit per call and per 16 bytes) and the bytes read count
//!   against the heap's memory limit, so a reader that never ends, or returns the same huge
//!   string forever, is stopped by the host's interrupt or the limit.
//! - After the end of the chunk the reader is not called again.
//! - A binary chunk (first piece starting with ESC, when the VM allows them) is read to its
//!   end and then undumped; a bad header stops the reading after the header, as in 5.1 (a
//!   chunk bad further on is read to its end first: 5.1 stops where `luaU_undump` fails).

use ferrous_compiler::{ChunkReader, ReadFailed};
use ferrous_heap::Value;

use crate::binary::LoadError;
use crate::error::{Raise, RaiseResult};
use crate::native::Ctx;
use crate::number;

/// A Lua reader function as the compiler's `ChunkReader`.
struct FunctionReader<'c, 'v> {
    ctx: &'c mut Ctx<'v>,
    reader: Value,
    /// The first piece, read before the compiler starts (5.1's `luaZ_lookahead`).
    first: Vec<u8>,
    /// The reader gave the end of the chunk.
    ended: bool,
    /// Bytes read so far.
    total: usize,
    /// Why reading stopped, when it failed.
    error: Option<Raise>,
}

impl ChunkReader for FunctionReader<'_, '_> {
    fn read(&mut self, buf: &mut Vec<u8>) -> Result<bool, ReadFailed> {
        if !self.first.is_empty() {
            buf.append(&mut self.first);
            return Ok(true);
        }
        if self.ended {
            return Ok(false);
        }
        match self.next_piece(buf) {
            Ok(more) => {
                self.ended = !more;
                Ok(more)
            }
            Err(e) => {
                self.error = Some(e);
                self.ended = true;
                Err(ReadFailed)
            }
        }
    }
}

impl FunctionReader<'_, '_> {
    /// Calls the reader once and appends its piece: `false` at the end of the chunk.
    fn next_piece(&mut self, buf: &mut Vec<u8>) -> RaiseResult<bool> {
        self.ctx.charge(1)?;
        let piece = self.ctx.vm.call_value1(self.reader, &[])?;
        let before = buf.len();
        match piece {
            Value::Nil => return Ok(false),
            Value::String(s) => {
                let len = self.ctx.vm.heap.str_bytes(s)?.len();
                self.ctx.charge(len as u64 / 16)?;
                self.count(len)?;
                buf.extend_from_slice(self.ctx.vm.heap.str_bytes(s)?);
                return Ok(len > 0);
            }
            // `lua_tolstring` converts numbers; the chunk goes on.
            Value::Number(x) => number::fmt_number(x, buf),
            _ => {
                let mut msg = self.ctx.vm.where_(1);
                msg.extend_from_slice(b"reader function must return a string");
                return Err(Raise::Value(self.ctx.vm.message_value(&msg)));
            }
        }
        let added = buf.len() - before;
        self.count(added)?;
        Ok(added > 0)
    }

    /// Counts `len` more bytes read; more than the memory limit is `not enough memory`.
    fn count(&mut self, len: usize) -> RaiseResult<()> {
        self.total = self.total.saturating_add(len);
        match self.ctx.vm.heap.memory_limit() {
            Some(limit) if self.total > limit => Err(Raise::OutOfMemory),
            _ => Ok(()),
        }
    }

    /// Why reading failed.
    fn take_error(&mut self) -> Raise {
        self.error
            .take()
            .unwrap_or_else(|| Raise::runtime("reader failed"))
    }

    /// Reads the rest of a binary chunk into `buf`: its header first, and the rest only if
    /// the header is lua5.1's (`luaU_undump` stops at a bad header).
    fn read_binary(&mut self, buf: &mut Vec<u8>) -> RaiseResult<()> {
        let header = &ferrous_compiler::BINARY_HEADER;
        loop {
            if buf.len() >= header.len() && !buf.starts_with(header) {
                return Ok(());
            }
            match self.read(buf) {
                Ok(true) => {}
                Ok(false) => return Ok(()),
                Err(ReadFailed) => return Err(self.take_error()),
            }
        }
    }
}

/// Loads the chunk that `reader` gives, named `chunk_name`.
pub(crate) fn load_from_reader(
    ctx: &mut Ctx<'_>,
    reader: Value,
    chunk_name: &[u8],
) -> std::result::Result<Value, LoadError> {
    let mut rd = FunctionReader {
        ctx,
        reader,
        first: Vec::new(),
        ended: false,
        total: 0,
        error: None,
    };
    let mut first = Vec::new();
    if let Err(ReadFailed) = rd.read(&mut first) {
        return Err(LoadError::Raise(rd.take_error()));
    }
    if rd.ctx.vm.binary_chunks_allowed() && ferrous_compiler::is_binary_chunk(&first) {
        rd.read_binary(&mut first).map_err(LoadError::Raise)?;
        return rd.ctx.vm.load_chunk(&first, chunk_name);
    }
    rd.first = first;
    match ferrous_compiler::compile_reader(&mut rd, chunk_name) {
        Ok(module) => rd.ctx.vm.load_verified(&module).map_err(LoadError::Raise),
        Err(e) if e.kind == ferrous_compiler::CompileErrorKind::ReadFailed => {
            Err(LoadError::Raise(rd.take_error()))
        }
        Err(e) => Err(LoadError::Syntax(e)),
    }
}
