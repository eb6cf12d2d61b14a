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
    /// A command's pipe (`io.popen`).
    Pipe(super::popen::Pipe),
    Closed,
}

/// How writes to a file are buffered (`file:setvbuf`, C's `setvbuf` modes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum VBuf {
    /// Every write goes out at once.
    No,
    /// Writes wait in a buffer of `LuaFile::cap` bytes (the default of files and pipes, as in
    /// C), written as glibc's `_IO_file_xsputn` writes it.
    Full,
    /// Writes wait until one of them contains a newline (what follows the last newline stays
    /// in the buffer, as in glibc).
    Line,
}

/// The buffer size glibc gives a stream it cannot `fstat` (and pipes get from `fstat`).
const DEFAULT_BLKSIZE: usize = 4096;

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
    /// The size of glibc's buffer: 0 until the first write or `setvbuf` allocates it, 1 after
    /// `setvbuf("no")` (glibc's one-byte `_shortbuf`, which a later `full` keeps).
    cap: usize,
    /// What glibc allocates: the stream's `st_blksize`.
    blksize: usize,
    /// Whether the stream was opened for writing: a write to one that was not fails at once
    /// with `EBADF`, as `fwrite` does, instead of waiting in the buffer.
    pub(super) writable: bool,
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
    /// A handle on `stream`: files and pipes are fully buffered, as C opens them; the standard
    /// files are written at once here (standard output through the VM's own buffer).
    pub(super) fn new(stream: Stream) -> Self {
        use std::os::unix::fs::MetadataExt;
        let (vbuf, blksize) = match &stream {
            Stream::File(f) => (
                VBuf::Full,
                f.metadata()
                    .ok()
                    .and_then(|m| usize::try_from(m.blksize()).ok())
                    .filter(|&b| b > 0)
                    .unwrap_or(DEFAULT_BLKSIZE),
            ),
            Stream::Pipe(_) => (VBuf::Full, DEFAULT_BLKSIZE),
            _ => (VBuf::No, DEFAULT_BLKSIZE),
        };
        let writable = match &stream {
            Stream::Pipe(p) => p.writable(),
            _ => true,
        };
        LuaFile {
            stream,
            buf: Vec::new(),
            pos: 0,
            eof: false,
            vbuf,
            pending: Vec::new(),
            cap: 0,
            blksize,
            writable,
        }
    }

    /// Whether the stream is a file or pipe still open.
    pub(super) fn is_open(&self) -> bool {
        matches!(self.stream, Stream::File(_) | Stream::Pipe(_))
    }

    /// `setvbuf(f, NULL, mode, size)` under glibc: the size is ignored; `full` and `line`
    /// allocate the default buffer if there is none yet, `no` leaves a one-byte buffer.
    pub(super) fn set_vbuf(&mut self, vbuf: VBuf) {
        self.vbuf = vbuf;
        match vbuf {
            VBuf::No => self.cap = 1,
            VBuf::Full | VBuf::Line if self.cap == 0 => self.cap = self.blksize,
            _ => {}
        }
    }

    /// Writes the pending bytes.
    pub(super) fn flush_pending(&mut self) -> std::io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending);
        let res = match self.writer() {
            Ok(w) => w.write_all(&pending),
            Err(_) => Ok(()),
        };
        // The buffer is kept for the next writes.
        self.pending = pending;
        self.pending.clear();
        res
    }

    /// The stream to write to: a file or a pipe.
    fn writer(&mut self) -> std::io::Result<&mut dyn Write> {
        match &mut self.stream {
            Stream::File(f) => Ok(f),
            Stream::Pipe(p) => Ok(p),
            _ => Err(std::io::Error::from(std::io::ErrorKind::Unsupported)),
        }
    }

    /// Writes `out` as the buffering mode says.
    pub(super) fn write_buffered(&mut self, out: &[u8]) -> std::io::Result<()> {
        if !self.writable {
            return Err(std::io::Error::from_raw_os_error(9));
        }
        match self.vbuf {
            VBuf::No => self.writer()?.write_all(out),
            VBuf::Full | VBuf::Line => self.write_glibc(out),
        }
    }

    /// glibc's `_IO_new_file_xsputn`: fill the buffer (in line mode only up to the last
    /// newline, if it all fits, and then write it); if bytes are left, write the buffer
    /// (allocating it on the first write), then the whole blocks left directly, and buffer the
    /// rest.
    fn write_glibc(&mut self, out: &[u8]) -> std::io::Result<()> {
        let mut space = self.cap.saturating_sub(self.pending.len());
        let mut must_flush = false;
        if self.vbuf == VBuf::Line && space >= out.len() {
            if let Some(nl) = out.iter().rposition(|&c| c == b'\n') {
                space = nl + 1;
                must_flush = true;
            }
        }
        let (now, rest) = out.split_at(space.min(out.len()));
        self.pending.extend_from_slice(now);
        if rest.is_empty() && !must_flush {
            return Ok(());
        }
        if self.cap == 0 {
            self.cap = self.blksize;
        }
        self.flush_pending()?;
        let direct = if self.cap >= 128 {
            rest.len() - rest.len() % self.cap
        } else {
            rest.len()
        };
        self.writer()?.write_all(&rest[..direct])?;
        self.pending.extend_from_slice(&rest[direct..]);
        Ok(())
    }

    /// Closes the stream after writing what is pending (waiting for a pipe's command, as
    /// `pclose`).
    pub(super) fn close(&mut self) {
        let _ = self.flush_pending();
        if let Stream::Pipe(p) = &mut self.stream {
            let _ = p.close();
        }
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
            Stream::Pipe(p) => p.read(&mut self.buf),
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
    /// A pipe cannot move back: its read-ahead stays (a write to a reading pipe fails anyway).
    pub(super) fn sync_read_ahead(&mut self) -> std::io::Result<()> {
        if matches!(self.stream, Stream::Pipe(_)) {
            return Ok(());
        }
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
