//! Binary chunks in the VM: `string.dump`'s writer (`Vm::dump_function`, from the heap
//! prototypes, in lua5.1's format through `ferrous_compiler::ChunkWriter`), the switch that
//! allows or refuses loading them (`BinaryChunks`, set by `VmBuilder::binary_chunks`), and the
//! entry points that tell a binary chunk from source (`Vm::load_chunk`'s, `Vm::load_file_chunk`).
//!
//! A binary chunk is read by `ferrous_compiler::undump` (which verifies every function) and
//! loaded by `Vm::load_module` (which verifies the module again, as it does any module).
//!
//! Invariants:
//! - With binary chunks refused (the default of every profile but `Cli`), a chunk starting with
//!   ESC goes to the compiler, which refuses it as `unexpected symbol near 'char(27)'`, exactly
//!   as Redis's patched Lua does.
//! - `dump_function` walks nested prototypes with an explicit stack, never by recursion.

use ferrous_heap::{Function, FunctionHandle, ProtoHandle, StringHandle, Value};

use crate::error::{Error, Raise, RaiseResult};
use crate::vm::Vm;

/// Why `Vm::load_chunk` failed.
#[derive(Debug)]
pub(crate) enum LoadError {
    /// The source did not compile.
    Syntax(ferrous_compiler::CompileError),
    /// A binary chunk was malformed.
    Undump(ferrous_compiler::UndumpError),
    /// Loading itself failed (memory, a module the verifier refused).
    Raise(Raise),
}

impl LoadError {
    /// The message of a chunk that did not compile or undump (what `load` returns as
    /// `nil, msg`), or the error loading raised.
    pub(crate) fn into_message(self) -> Result<Vec<u8>, Raise> {
        match self {
            LoadError::Syntax(e) => Ok(e.message_bytes().to_vec()),
            LoadError::Undump(e) => Ok(e.message_bytes().to_vec()),
            LoadError::Raise(raise) => Err(raise),
        }
    }
}

impl From<LoadError> for Error {
    fn from(err: LoadError) -> Self {
        match err {
            LoadError::Syntax(e) => e.into(),
            LoadError::Undump(e) => e.into(),
            LoadError::Raise(raise) => raise.into(),
        }
    }
}

/// Whether this VM loads binary chunks (per-VM data; absent means refused).
pub(crate) struct BinaryChunks(pub(crate) bool);

impl Vm {
    /// Whether `load`, `loadstring`, `loadfile`, `dofile` and the host's `load`/`load_file`
    /// accept binary chunks ([`crate::VmBuilder::binary_chunks`]).
    pub fn binary_chunks_allowed(&self) -> bool {
        self.app_data::<BinaryChunks>().is_some_and(|b| b.0)
    }

    /// Loads `source` (a binary chunk when allowed and it starts with ESC, else Lua source).
    pub(crate) fn load_chunk(
        &mut self,
        source: &[u8],
        chunk_name: &[u8],
    ) -> Result<Value, LoadError> {
        let module = if self.binary_chunks_allowed() && ferrous_compiler::is_binary_chunk(source) {
            ferrous_compiler::undump(source, chunk_name).map_err(LoadError::Undump)?
        } else {
            ferrous_compiler::compile(source, chunk_name).map_err(LoadError::Syntax)?
        };
        self.load_verified(&module).map_err(LoadError::Raise)
    }

    /// Loads the contents of a file, like `luaL_loadfile`: a first line starting with `#` is
    /// skipped; if what follows starts with ESC (and binary chunks are allowed), the chunk is
    /// the file from its first ESC on.
    pub(crate) fn load_file_chunk(
        &mut self,
        source: &[u8],
        chunk_name: &[u8],
    ) -> Result<Value, LoadError> {
        if self.binary_chunks_allowed() {
            let after_comment = if source.first() == Some(&b'#') {
                source
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(&[][..], |eol| &source[eol + 1..])
            } else {
                source
            };
            if ferrous_compiler::is_binary_chunk(after_comment) {
                let start = source
                    .iter()
                    .position(|&c| c == ferrous_compiler::BINARY_SIGNATURE)
                    .unwrap_or(0);
                return self.load_chunk(&source[start..], chunk_name);
            }
        }
        let module =
            ferrous_compiler::compile_file(source, chunk_name).map_err(LoadError::Syntax)?;
        self.load_verified(&module).map_err(LoadError::Raise)
    }

    /// `lua_dump`: the binary chunk of a Lua function, byte for byte what lua5.1 writes;
    /// `None` for a native function.
    pub(crate) fn dump_function(&self, f: FunctionHandle) -> RaiseResult<Option<Vec<u8>>> {
        let Function::Lua(cl) = self.heap.function(f)? else {
            return Ok(None);
        };
        let mut w = ferrous_compiler::ChunkWriter::new();
        // (prototype, its parent's source, nested prototypes written so far).
        let mut stack: Vec<(ProtoHandle, Option<StringHandle>, usize)> = Vec::new();
        self.dump_head(&mut w, cl.proto, None)?;
        stack.push((cl.proto, None, 0));
        while let Some((handle, _, next)) = stack.last_mut() {
            let proto = self.heap.proto(*handle)?;
            if let Some(&child) = proto.protos.get(*next) {
                *next += 1;
                let source = proto.source;
                self.dump_head(&mut w, child, Some(source))?;
                stack.push((child, Some(source), 0));
                continue;
            }
            // `DumpDebug`.
            w.lines(&proto.line_info);
            w.int(proto.local_vars.len());
            for var in proto.local_vars.iter() {
                w.string(Some(self.heap.str_bytes(var.name)?));
                w.int(var.start_pc as usize);
                w.int(var.end_pc as usize);
            }
            w.int(proto.upvalue_names.len());
            for name in proto.upvalue_names.iter() {
                w.string(Some(self.heap.str_bytes(*name)?));
            }
            stack.pop();
        }
        Ok(Some(w.finish()))
    }

    /// `DumpFunction` up to the nested functions: fields, code, constants, and their count.
    fn dump_head(
        &self,
        w: &mut ferrous_compiler::ChunkWriter,
        handle: ProtoHandle,
        parent_source: Option<StringHandle>,
    ) -> RaiseResult<()> {
        let proto = self.heap.proto(handle)?;
        if parent_source == Some(proto.source) {
            w.string(None);
        } else {
            w.string(Some(self.heap.str_bytes(proto.source)?));
        }
        w.int(proto.line_defined as usize);
        w.int(proto.last_line_defined as usize);
        w.byte(proto.num_upvalues);
        w.byte(proto.num_params);
        w.byte(proto.is_vararg);
        w.byte(proto.max_stack_size);
        w.code(&proto.code);
        w.int(proto.constants.len());
        for k in proto.constants.iter() {
            match *k {
                Value::Nil => w.nil(),
                Value::Boolean(b) => w.boolean(b),
                Value::Number(x) => w.number(x),
                Value::String(s) => w.string_constant(self.heap.str_bytes(s)?),
                _ => return Err(Raise::native("unable to dump given function")),
            }
        }
        w.int(proto.protos.len());
        Ok(())
    }
}
