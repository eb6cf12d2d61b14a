//! The payload of an `io` file handle: the stream ([`Stream`]), its read-ahead buffer and its
//! pending writes, buffered as `file:setvbuf` asks ([`VBuf`]).
//!
//! Invariant: pending writes are written before anything reads, seeks, flushes or closes the
//! stream, and when the payload is dropped.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};

use ferrous_heap::{Trace, Tracer};

use crate::number;

/// What a Lua file handle refers to.
#[derive(Debug)]
pub(crate) enum Stream {
    Stdin,
    Stdout,
    Stderr,
    File(File),
    Closed,
}

/// How writes to a file are buffered (`file:setvbuf`, C's `setvbuf` modes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum VBuf {
    /// Every write goes out at once (the default here; C buffers files fully by default).
    No,
    /// Writes wait until this many bytes are pending.
    Full(usize),
    /// Writes wait until one of them contains a newline.
    Line,
}

/// The payload of a file userdata: the stream, a read-ahead buffer and the pending writes.
///
/// Invariant: pending writes are written before anything reads, seeks, flushes or closes the
/// stream, and when the payload is dropped.
#[derive(Debug)]
pub(crate) struct LuaFile {
    pub(super) stream: Stream,
    pub(super) buf: Vec<u8>,
    pub(super) pos: usize,
    pub(super) eof: bool,
    pub(super) vbuf: VBuf,
    pending: Vec<u8>,
}

impl Drop for LuaFile {
    fn drop(&mut self) {
        // As C's `exit` flushes every stream; an error has nowhere to go.
        let _ = self.flush_pending();
    }
}

impl Trace for LuaFile {
    fn trace(&self, _tracer: &mut Tracer<'_>) {}
}

impl LuaFile {
    pub(super) fn new(stream: Stream) -> Self {
        LuaFile {
            stream,
            buf: Vec::new(),
            pos: 0,
            eof: false,
            vbuf: VBuf::No,
            pending: Vec::new(),
        }
    }

    /// Writes the pending bytes.
    pub(super) fn flush_pending(&mut self) -> std::io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let res = match &mut self.stream {
            Stream::File(f) => f.write_all(&self.pending),
            _ => Ok(()),
        };
        self.pending.clear();
        res
    }

    /// Writes `out` as the buffering mode says.
    pub(super) fn write_buffered(&mut self, out: &[u8]) -> std::io::Result<()> {
        match self.vbuf {
            VBuf::No => match &mut self.stream {
                Stream::File(f) => f.write_all(out),
                _ => Err(std::io::Error::from(std::io::ErrorKind::Unsupported)),
            },
            VBuf::Full(size) => {
                // As glibc: a full buffer is written when the next write does not fit; a write
                // as large as the buffer goes out directly.
                if self.pending.len() + out.len() > size {
                    self.flush_pending()?;
                }
                if out.len() >= size {
                    return match &mut self.stream {
                        Stream::File(f) => f.write_all(out),
                        _ => Err(std::io::Error::from(std::io::ErrorKind::Unsupported)),
                    };
                }
                self.pending.extend_from_slice(out);
                Ok(())
            }
            VBuf::Line => {
                self.pending.extend_from_slice(out);
                if out.contains(&b'\n') {
                    self.flush_pending()?;
                }
                Ok(())
            }
        }
    }

    /// Closes the stream after writing what is pending.
    pub(super) fn close(&mut self) {
        let _ = self.flush_pending();
        self.stream = Stream::Closed;
        self.buf.clear();
    }

    /// Makes at least one unread byte available; false at end of file.
    pub(super) fn fill(&mut self) -> std::io::Result<bool> {
        if self.pos < self.buf.len() {
            return Ok(true);
        }
        self.flush_pending()?;
        self.buf.clear();
        self.pos = 0;
        self.buf.resize(8192, 0);
        let res = match &mut self.stream {
            Stream::Stdin => std::io::stdin().lock().read(&mut self.buf),
            Stream::File(f) => f.read(&mut self.buf),
            _ => Ok(0),
        };
        // On an error nothing was read: the buffer must not look like 8 KiB of unread bytes
        // (a later write would seek back over them, fail, and lose its data).
        let n = res.inspect_err(|_| self.buf.clear())?;
        self.buf.truncate(n);
        if n == 0 {
            self.eof = true;
        }
        Ok(n > 0)
    }

    pub(super) fn peek(&mut self) -> std::io::Result<Option<u8>> {
        Ok(if self.fill()? {
            Some(self.buf[self.pos])
        } else {
            None
        })
    }

    /// `*l`: a line without its newline; `None` at end of file.
    pub(super) fn read_line(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        let mut line = Vec::new();
        let mut any = false;
        while self.fill()? {
            any = true;
            let rest = &self.buf[self.pos..];
            if let Some(nl) = rest.iter().position(|&b| b == b'\n') {
                line.extend_from_slice(&rest[..nl]);
                self.pos += nl + 1;
                return Ok(Some(line));
            }
            line.extend_from_slice(rest);
            self.pos = self.buf.len();
        }
        Ok(if any { Some(line) } else { None })
    }

    /// `*a`: everything left.
    pub(super) fn read_all(&mut self) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::new();
        while self.fill()? {
            out.extend_from_slice(&self.buf[self.pos..]);
            self.pos = self.buf.len();
        }
        Ok(out)
    }

    /// `n`: up to `n` bytes; `None` at end of file.
    pub(super) fn read_n(&mut self, n: usize) -> std::io::Result<Option<Vec<u8>>> {
        let mut out = Vec::new();
        while out.len() < n && self.fill()? {
            let take = (n - out.len()).min(self.buf.len() - self.pos);
            out.extend_from_slice(&self.buf[self.pos..self.pos + take]);
            self.pos += take;
        }
        Ok(if out.is_empty() && n > 0 {
            None
        } else {
            Some(out)
        })
    }

    /// `*n`: a number as `fscanf("%lf")` reads it.
    pub(super) fn read_number(&mut self) -> std::io::Result<Option<f64>> {
        while let Some(b) = self.peek()? {
            if !number::is_c_space(b) {
                break;
            }
            self.pos += 1;
        }
        // Accept the longest prefix that can still be a number, as fscanf("%lf") does.
        let mut text = Vec::new();
        let mut hex = false;
        let mut seen_exp = false;
        while let Some(b) = self.peek()? {
            let prev = text.last().copied();
            let ok = match b {
                b'+' | b'-' => text.is_empty() || matches!(prev, Some(b'e' | b'E' | b'p' | b'P')),
                b'0'..=b'9' | b'.' => true,
                b'x' | b'X' => text == b"0" || text == b"+0" || text == b"-0",
                b'a'..=b'f' | b'A'..=b'F' if hex => !seen_exp,
                b'e' | b'E' => !seen_exp && text.iter().any(u8::is_ascii_digit),
                b'p' | b'P' => hex && !seen_exp,
                _ => false,
            };
            if !ok {
                break;
            }
            if matches!(b, b'x' | b'X') {
                hex = true;
            } else if (!hex && matches!(b, b'e' | b'E')) || (hex && matches!(b, b'p' | b'P')) {
                seen_exp = true;
            }
            text.push(b);
            self.pos += 1;
        }
        Ok(number::str_to_number(&text))
    }

    /// Discards the read-ahead (moving the OS position back) before a write or seek.
    pub(super) fn sync_read_ahead(&mut self) -> std::io::Result<()> {
        let unread = self.buf.len() - self.pos;
        if unread > 0 {
            if let Stream::File(f) = &mut self.stream {
                f.seek(SeekFrom::Current(-(unread as i64)))?;
            }
        }
        self.buf.clear();
        self.pos = 0;
        Ok(())
    }
}
