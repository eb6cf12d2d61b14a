//! `undump`: a Lua 5.1 binary chunk (`string.dump`, `luac5.1`) back into a `CompiledModule`,
//! like `lundump.c`, with the verifier (`verify.rs`) run on each function as soon as it is read,
//! in 5.1's order (children before parents), so the first error reported is 5.1's.
//!
//! Key items: `undump`, `UndumpError` / `UndumpErrorKind` (lua5.1's messages:
//! `NAME: unexpected end in precompiled chunk`, `bad header`, `bad integer`, `bad constant`,
//! `bad code`, `code too deep`).
//!
//! Invariants:
//! - No input panics; nesting is walked with an explicit stack bounded like 5.1's C calls
//!   (`code too deep` past 198 levels), never by recursion.
//! - Nothing is allocated for a count before the bytes the count announces are known to be in
//!   the input: every vector's capacity is bounded by the remaining input.
//! - Bytes after the main function are ignored, as 5.1 does.

use std::collections::HashMap;

use thiserror::Error;

use crate::binary::{
    BINARY_HEADER, BINARY_SIGNATURE, TAG_BOOLEAN, TAG_NIL, TAG_NUMBER, TAG_STRING,
};
use crate::module::{CompiledModule, Constant, LocalVar, Proto, StrIdx};
use crate::opcodes::Instruction;
use crate::verify::{VerifyError, verify_proto};

/// 5.1's `LUAI_MAXCCALLS`: `LoadFunction` counts a C call per nested function, starting from the
/// two a script running under `lua5.1` has made (`lua_cpcall`, `lua_pcall`), so 198 levels of
/// functions load and 199 are `code too deep`, as `loadstring` in lua5.1 reports.
const MAX_DEPTH: usize = 200 - 2;

/// Why a binary chunk was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UndumpErrorKind {
    /// `unexpected end`: the input ends inside the chunk (or a size exceeds what is left).
    UnexpectedEnd,
    /// `bad header`: not a Lua 5.1 chunk for this platform.
    BadHeader,
    /// `bad integer`: a negative count or line.
    BadInteger,
    /// `bad constant`: an unknown constant tag (or a string constant without bytes).
    BadConstant,
    /// `bad code`: a function failed verification.
    BadCode(VerifyError),
    /// `code too deep`: functions nested deeper than 5.1's C-call limit.
    TooDeep,
}

impl UndumpErrorKind {
    fn why(self) -> &'static str {
        match self {
            UndumpErrorKind::UnexpectedEnd => "unexpected end",
            UndumpErrorKind::BadHeader => "bad header",
            UndumpErrorKind::BadInteger => "bad integer",
            UndumpErrorKind::BadConstant => "bad constant",
            UndumpErrorKind::BadCode(_) => "bad code",
            UndumpErrorKind::TooDeep => "code too deep",
        }
    }
}

/// A refused binary chunk, with lua5.1's message (`NAME: WHY in precompiled chunk`).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("{}", String::from_utf8_lossy(&self.message))]
pub struct UndumpError {
    /// What was wrong.
    pub kind: UndumpErrorKind,
    message: Vec<u8>,
}

impl UndumpError {
    /// The message, byte-identical to lua5.1's.
    pub fn message_bytes(&self) -> &[u8] {
        &self.message
    }
}

/// Whether `bytes` is a binary chunk (starts with `ESC`), as `lua_load` decides.
pub fn is_binary_chunk(bytes: &[u8]) -> bool {
    bytes.first() == Some(&BINARY_SIGNATURE)
}

/// Reads a binary chunk, like `luaU_undump`. `chunk_name` is the name `load` was given: its
/// messages say `NAME:` without a leading `@` or `=`, or `binary string` when the name is the
/// chunk itself.
pub fn undump(bytes: &[u8], chunk_name: &[u8]) -> Result<CompiledModule, UndumpError> {
    Loader::new(bytes).module().map_err(|kind| {
        let name: &[u8] = match chunk_name.first() {
            Some(b'@' | b'=') => &chunk_name[1..],
            Some(&BINARY_SIGNATURE) => b"binary string",
            _ => chunk_name,
        };
        let mut message = name.to_vec();
        message.extend_from_slice(b": ");
        message.extend_from_slice(kind.why().as_bytes());
        message.extend_from_slice(b" in precompiled chunk");
        UndumpError { kind, message }
    })
}

type Res<T> = Result<T, UndumpErrorKind>;

/// A function whose nested functions are being read.
struct Pending {
    proto: Proto,
    children_left: usize,
}

struct Loader<'a> {
    input: &'a [u8],
    pos: usize,
    strings: Vec<Box<[u8]>>,
    index: HashMap<Box<[u8]>, StrIdx>,
}

impl<'a> Loader<'a> {
    fn new(input: &'a [u8]) -> Loader<'a> {
        Loader {
            input,
            pos: 0,
            strings: Vec::new(),
            index: HashMap::new(),
        }
    }

    fn remaining(&self) -> usize {
        self.input.len() - self.pos
    }

    fn block(&mut self, n: usize) -> Res<&'a [u8]> {
        let input: &'a [u8] = self.input;
        let end = self
            .pos
            .checked_add(n)
            .ok_or(UndumpErrorKind::UnexpectedEnd)?;
        let bytes = input
            .get(self.pos..end)
            .ok_or(UndumpErrorKind::UnexpectedEnd)?;
        self.pos = end;
        Ok(bytes)
    }

    fn array<const N: usize>(&mut self) -> Res<[u8; N]> {
        let bytes = self.block(N)?;
        <[u8; N]>::try_from(bytes).map_err(|_| UndumpErrorKind::UnexpectedEnd)
    }

    fn byte(&mut self) -> Res<u8> {
        Ok(self.array::<1>()?[0])
    }

    /// 5.1's `LoadInt`: a non-negative `int`.
    fn int(&mut self) -> Res<u32> {
        let x = i32::from_le_bytes(self.array()?);
        u32::try_from(x).map_err(|_| UndumpErrorKind::BadInteger)
    }

    /// A count of items taking at least `min_size` bytes each, and a capacity for them that the
    /// remaining input can justify.
    fn count(&mut self, min_size: usize) -> Res<(usize, usize)> {
        let n = self.int()? as usize;
        Ok((n, n.min(self.remaining() / min_size)))
    }

    fn intern(&mut self, bytes: &[u8]) -> StrIdx {
        if let Some(&idx) = self.index.get(bytes) {
            return idx;
        }
        let idx = StrIdx(self.strings.len() as u32);
        let boxed: Box<[u8]> = bytes.into();
        self.strings.push(boxed.clone());
        self.index.insert(boxed, idx);
        idx
    }

    /// 5.1's `LoadString`: `None` for the empty marker.
    fn string(&mut self) -> Res<Option<StrIdx>> {
        let size = u64::from_le_bytes(self.array()?);
        if size == 0 {
            return Ok(None);
        }
        let size = usize::try_from(size).map_err(|_| UndumpErrorKind::UnexpectedEnd)?;
        let bytes = self.block(size)?;
        // The last byte is the C string's NUL.
        Ok(Some(self.intern(&bytes[..size - 1])))
    }

    fn module(mut self) -> Res<CompiledModule> {
        let header = self.block(BINARY_HEADER.len())?;
        if header != BINARY_HEADER {
            return Err(UndumpErrorKind::BadHeader);
        }
        let unnamed = self.intern(b"=?");
        let mut stack: Vec<Pending> = Vec::new();
        let mut parent_source = unnamed;
        loop {
            // `LoadFunction` up to its nested functions.
            if stack.len() >= MAX_DEPTH {
                return Err(UndumpErrorKind::TooDeep);
            }
            let (proto, children) = self.function_head(parent_source)?;
            stack.push(Pending {
                proto,
                children_left: children,
            });
            // Finish every function whose nested functions are all read, innermost first.
            loop {
                let Some(top) = stack.last_mut() else {
                    return Err(UndumpErrorKind::UnexpectedEnd);
                };
                if top.children_left > 0 {
                    top.children_left -= 1;
                    parent_source = top.proto.source;
                    break;
                }
                let Some(Pending { mut proto, .. }) = stack.pop() else {
                    return Err(UndumpErrorKind::UnexpectedEnd);
                };
                self.debug(&mut proto)?;
                verify_proto(&proto, self.strings.len()).map_err(UndumpErrorKind::BadCode)?;
                match stack.last_mut() {
                    Some(parent) => parent.proto.protos.push(proto),
                    None => {
                        return Ok(CompiledModule {
                            strings: self.strings,
                            main: proto,
                        });
                    }
                }
            }
        }
    }

    /// A function's fields, code and constants; returns it with the number of nested functions
    /// that follow.
    fn function_head(&mut self, parent_source: StrIdx) -> Res<(Proto, usize)> {
        let source = self.string()?.unwrap_or(parent_source);
        let line_defined = self.int()?;
        let last_line_defined = self.int()?;
        let num_upvalues = self.byte()?;
        let num_params = self.byte()?;
        let is_vararg = self.byte()?;
        let max_stack_size = self.byte()?;
        let n = self.int()? as usize;
        let words = self.block(n.checked_mul(4).ok_or(UndumpErrorKind::UnexpectedEnd)?)?;
        let code = words
            .chunks_exact(4)
            .map(|w| Instruction(u32::from_le_bytes([w[0], w[1], w[2], w[3]])))
            .collect();
        let (n, cap) = self.count(1)?;
        let mut constants = Vec::with_capacity(cap);
        for _ in 0..n {
            constants.push(match self.byte()? {
                TAG_NIL => Constant::Nil,
                TAG_BOOLEAN => Constant::Boolean(self.byte()? != 0),
                TAG_NUMBER => Constant::Number(f64::from_le_bytes(self.array()?)),
                // 5.1 would store a null string and crash later.
                TAG_STRING => Constant::String(self.string()?.ok_or(UndumpErrorKind::BadConstant)?),
                _ => return Err(UndumpErrorKind::BadConstant),
            });
        }
        // A function takes at least 8 + 4 * 2 + 4 + 4 * 5 bytes.
        let (children, cap) = self.count(40)?;
        let proto = Proto {
            code,
            constants,
            protos: Vec::with_capacity(cap),
            upvalue_names: Vec::new(),
            num_upvalues,
            num_params,
            is_vararg,
            max_stack_size,
            line_info: Vec::new(),
            local_vars: Vec::new(),
            line_defined,
            last_line_defined,
            source,
        };
        Ok((proto, children))
    }

    /// 5.1's `LoadDebug`. A missing name (5.1 keeps a null pointer) reads as the empty string.
    fn debug(&mut self, proto: &mut Proto) -> Res<()> {
        let n = self.int()? as usize;
        let words = self.block(n.checked_mul(4).ok_or(UndumpErrorKind::UnexpectedEnd)?)?;
        // Lines are C `int`s; 5.1 does not check their sign.
        proto.line_info = words
            .chunks_exact(4)
            .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
            .collect();
        let (n, cap) = self.count(16)?;
        proto.local_vars = Vec::with_capacity(cap);
        for _ in 0..n {
            let name = self.string()?;
            let name = name.unwrap_or_else(|| self.intern(b""));
            let start_pc = self.int()?;
            let end_pc = self.int()?;
            proto.local_vars.push(LocalVar {
                name,
                start_pc,
                end_pc,
            });
        }
        let (n, cap) = self.count(8)?;
        proto.upvalue_names = Vec::with_capacity(cap);
        for _ in 0..n {
            let name = self.string()?;
            let name = name.unwrap_or_else(|| self.intern(b""));
            proto.upvalue_names.push(name);
        }
        Ok(())
    }
}
