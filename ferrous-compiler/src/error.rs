//! Compile errors and chunk names.
//!
//! `CompileError` carries the message exactly as lua5.1 builds it (`luaX_lexerror`:
//! `CHUNKID:LINE: MSG near 'TOKEN'`), as bytes, because Lua messages are byte strings (the
//! near-token can hold any byte). `chunk_id` is `luaO_chunkid`.
//!
//! Invariants:
//! - `CompileError::message_bytes` is byte-identical to the message lua5.1 produces for the
//!   same source and chunk name; `Display` shows it (lossily, if it is not UTF-8).
//! - Syntax errors format the chunk name with 5.1's `MAXSRC` (80), runtime positions with
//!   `LUA_IDSIZE` (60): `chunk_id` is the runtime one.

use thiserror::Error;

/// What went wrong, by the message 5.1 would print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompileErrorKind {
    /// `unfinished string` (end of line or of input inside a short string).
    UnfinishedString,
    /// `unfinished long string`.
    UnfinishedLongString,
    /// `unfinished long comment`.
    UnfinishedLongComment,
    /// `malformed number`.
    MalformedNumber,
    /// `escape sequence too large` (`\ddd` above 255).
    EscapeTooLarge,
    /// `invalid long string delimiter` (`[=` not followed by `[`).
    InvalidLongStringDelimiter,
    /// `nesting of [[...]] is deprecated` (5.1's `LUA_COMPAT_LSTR` 1).
    NestedLongString,
    /// A grammar error: `unexpected symbol`, `'=' expected`, `'end' expected (to close ...)`,
    /// `ambiguous syntax ...`, `no loop to break`, `cannot use '...' outside a vararg function`, ...
    Syntax,
    /// `chunk has too many syntax levels` (more than 200 nested levels).
    TooManySyntaxLevels,
    /// `main function has more than N ...` / `function at line L has more than N ...`
    /// (local variables, upvalues, variables in assignment).
    LimitExceeded,
    /// `function or expression too complex` (more than 250 registers).
    TooComplex,
    /// `control structure too long` (a jump offset does not fit in `sBx`).
    ControlStructureTooLong,
    /// `constant table overflow` (more than 262143 constants or functions in one function).
    ConstantTableOverflow,
    /// `too many local variables` (more than 32767 local declarations in one function).
    TooManyLocalVariables,
    /// The `ChunkReader` of `compile_reader` failed; the reader holds the real error (5.1
    /// raises the reader's error itself).
    ReadFailed,
}

/// A compile error with lua5.1's exact message.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("{}", String::from_utf8_lossy(&self.message))]
pub struct CompileError {
    /// The kind of error.
    pub kind: CompileErrorKind,
    /// The line the lexer was on (what the message shows, when it shows one).
    pub line: u32,
    message: Vec<u8>,
}

impl CompileError {
    /// The full message, as bytes (e.g. `[string "x = = 1"]:1: unexpected symbol near '='`).
    pub fn message_bytes(&self) -> &[u8] {
        &self.message
    }

    /// An error positioned like `luaX_lexerror`: `chunkid:line: msg[ near 'near']`.
    pub(crate) fn positioned(
        kind: CompileErrorKind,
        chunkid: &[u8],
        line: u32,
        msg: &[u8],
        near: Option<&[u8]>,
    ) -> Box<CompileError> {
        let mut message = Vec::with_capacity(chunkid.len() + msg.len() + 32);
        message.extend_from_slice(chunkid);
        message.push(b':');
        message.extend_from_slice(line.to_string().as_bytes());
        message.extend_from_slice(b": ");
        message.extend_from_slice(msg);
        if let Some(near) = near {
            message.extend_from_slice(b" near '");
            // The C message is built from a C string: it stops at the first NUL.
            let end = near.iter().position(|&c| c == 0).unwrap_or(near.len());
            message.extend_from_slice(&near[..end]);
            message.push(b'\'');
        }
        Box::new(CompileError {
            kind,
            line,
            message,
        })
    }

    /// An error without position (5.1 raises these through `luaG_runerror` outside a Lua frame).
    pub(crate) fn bare(kind: CompileErrorKind, line: u32, msg: &[u8]) -> Box<CompileError> {
        Box::new(CompileError {
            kind,
            line,
            message: msg.to_vec(),
        })
    }
}

/// `LUA_IDSIZE`: the buffer size for chunk names in runtime error positions.
const LUA_IDSIZE: usize = 60;
/// `MAXSRC` of `llex.c`: the buffer size for chunk names in syntax errors.
pub(crate) const MAXSRC: usize = 80;

/// Formats a chunk name for runtime error positions, like 5.1's `luaO_chunkid` with
/// `LUA_IDSIZE`: `@file.lua` -> `file.lua` (keeping the end of long names), `=stdin` ->
/// `stdin`, anything else -> `[string "first line..."]`.
pub fn chunk_id(name: &[u8]) -> Vec<u8> {
    chunk_id_sized(name, LUA_IDSIZE)
}

/// `luaO_chunkid(out, source, bufflen)`.
pub(crate) fn chunk_id_sized(name: &[u8], bufflen: usize) -> Vec<u8> {
    // The C source is a C string: it ends at the first NUL.
    let name = &name[..name.iter().position(|&c| c == 0).unwrap_or(name.len())];
    let mut out = Vec::with_capacity(bufflen);
    match name.first() {
        Some(b'=') => {
            let rest = &name[1..];
            out.extend_from_slice(&rest[..rest.len().min(bufflen - 1)]);
        }
        Some(b'@') => {
            let mut rest = &name[1..];
            let room = bufflen - " '...' ".len() - 1;
            if rest.len() > room {
                rest = &rest[rest.len() - room..];
                out.extend_from_slice(b"...");
            }
            out.extend_from_slice(rest);
        }
        _ => {
            let line_len = name
                .iter()
                .position(|&c| c == b'\n' || c == b'\r')
                .unwrap_or(name.len());
            let room = bufflen - " [string \"...\"] ".len() - 1;
            let len = line_len.min(room);
            out.extend_from_slice(b"[string \"");
            if len < name.len() {
                out.extend_from_slice(&name[..len]);
                out.extend_from_slice(b"...");
            } else {
                out.extend_from_slice(name);
            }
            out.extend_from_slice(b"\"]");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_ids() {
        assert_eq!(chunk_id(b"=stdin"), b"stdin");
        assert_eq!(chunk_id(b"@a.lua"), b"a.lua");
        assert_eq!(chunk_id(b"x = 1"), b"[string \"x = 1\"]");
        assert_eq!(chunk_id(b"x\ny"), b"[string \"x...\"]");
        assert_eq!(chunk_id(b""), b"[string \"\"]");
        let long = [b'('; 300];
        let id = chunk_id_sized(&long, MAXSRC);
        assert_eq!(id.len(), "[string \"".len() + 63 + "...\"]".len());
        let file = [b"@".as_slice(), &[b'f'; 100]].concat();
        assert_eq!(chunk_id(&file).len(), 3 + 52);
        assert_eq!(chunk_id(b"=ab\0cd"), b"ab");
    }
}
