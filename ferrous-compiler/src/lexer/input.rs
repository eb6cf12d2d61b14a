//! The lexer's input: the whole chunk as one slice, or a chunk read piece by piece from a
//! `ChunkReader` (5.1's `lua_Reader` behind `ZIO`), as `load` with a reader function does.
//!
//! 5.1's lexer always holds one character past the token it has just read (`ls->current`),
//! and calls the reader (`luaZ_fill`) only when it needs a character it does not have. The
//! `logos` automaton works on a slice, so `Lexer::lex` scans the bytes read so far and takes a
//! result as final only when it stops strictly inside them; otherwise it asks for another
//! piece (`Input::fill`) and scans the token again. The reader is therefore called exactly
//! when 5.1 calls it, and an error in the middle of the chunk stops the reading.
//!
//! Invariants:
//! - A slice input is complete from the start and never calls a reader.
//! - Scanning a token again costs at most `EXACT_SCAN` bytes per piece: past that, pieces are
//!   read until the bytes after the token's start have doubled, so a token (or a run of
//!   comments and blank lines) split over many small pieces costs linear time, not quadratic.
//!   Only such long tokens may read more pieces than 5.1 (never fewer).

use std::borrow::Cow;

/// A chunk read piece by piece (5.1's `lua_Reader`), for [`crate::compile_reader`].
pub trait ChunkReader {
    /// Appends the next piece of the chunk to `buf` and returns `Ok(true)`, or `Ok(false)` at
    /// the end of the chunk (an empty piece ends it too, as in 5.1). `Err(ReadFailed)` stops
    /// the compilation at once with a [`crate::CompileErrorKind::ReadFailed`] error; the reader
    /// keeps whatever it needs to report the failure.
    fn read(&mut self, buf: &mut Vec<u8>) -> Result<bool, ReadFailed>;
}

/// A `ChunkReader` could not give the next piece (its own error says why).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadFailed;

/// Tokens shorter than this (from where the scan starts) are scanned again after every piece.
const EXACT_SCAN: usize = 1024;

/// The bytes of the chunk read so far, and where the rest comes from.
pub(crate) struct Input<'s> {
    bytes: Cow<'s, [u8]>,
    reader: Option<&'s mut dyn ChunkReader>,
}

impl<'s> Input<'s> {
    /// The whole chunk.
    pub(crate) fn slice(source: &'s [u8]) -> Input<'s> {
        Input {
            bytes: Cow::Borrowed(source),
            reader: None,
        }
    }

    /// A chunk read from `reader` as the lexer needs it.
    pub(crate) fn reader(reader: &'s mut dyn ChunkReader) -> Input<'s> {
        Input {
            bytes: Cow::Owned(Vec::new()),
            reader: Some(reader),
        }
    }

    /// The bytes read so far.
    #[inline]
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Whether `bytes` is the whole chunk.
    #[inline]
    pub(crate) fn complete(&self) -> bool {
        self.reader.is_none()
    }

    /// Reads more of the chunk after a scan from `start` ran into the end of what was read.
    /// At the end of the chunk the input becomes complete.
    pub(crate) fn fill(&mut self, start: usize) -> Result<(), ReadFailed> {
        let Some(reader) = self.reader.as_deref_mut() else {
            return Ok(());
        };
        let bytes = self.bytes.to_mut();
        let scanned = bytes.len() - start.min(bytes.len());
        let wanted = if scanned < EXACT_SCAN {
            bytes.len() + 1
        } else {
            bytes.len() + scanned
        };
        while bytes.len() < wanted {
            let before = bytes.len();
            if !reader.read(bytes)? || bytes.len() == before {
                self.reader = None;
                return Ok(());
            }
        }
        Ok(())
    }
}
