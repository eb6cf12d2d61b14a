//! Client requests: Redis 7.0's `processMultibulkBuffer` and `processInlineBuffer` (with
//! `sdssplitargs`), as a stateless parser of one request at the start of a buffer.
//!
//! Quirks kept on purpose because clients can observe them: the CRLF after a bulk payload is
//! skipped unchecked (`$3\r\nfooXY` reads `foo`); a count line ends at its first CR and the byte
//! after it is skipped unchecked; line searches stop at a NUL byte as C's `strchr` does (so a NUL
//! before the line end waits for more input, then fails the 64 KiB size check); a non-positive
//! multibulk count and a blank inline line are empty requests, which the server skips.
//!
//! Invariant: the argument vector is only built once the whole request is in the buffer, so
//! what is allocated never exceeds what the buffer holds, whatever the lengths declared.

use super::{ProtocolError, string2ll};

/// A request's arguments, the command name first (`Vec<Vec<u8>>`).
pub type Argv = Vec<Vec<u8>>;

/// Redis's input limits (`PROTO_INLINE_MAX_SIZE`, `proto-max-bulk-len`, the multibulk count cap)
/// and whether the client has authenticated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestLimits {
    /// The longest inline request and the longest count line: 64 KiB.
    pub max_inline_len: usize,
    /// `proto-max-bulk-len`: the largest bulk argument, 512 MiB by default.
    pub max_bulk_len: i64,
    /// The largest multibulk count: `INT_MAX` in Redis 7.0 (1024*1024 before 6.0.0; 7.0.15 was
    /// checked to accept 2,000,000).
    pub max_multibulk_len: i64,
    /// Whether the client is authenticated (or needs no authentication); when not, Redis allows
    /// at most 10 arguments of at most 16 KiB each.
    pub authenticated: bool,
}

impl Default for RequestLimits {
    fn default() -> Self {
        RequestLimits {
            max_inline_len: 64 * 1024,
            max_bulk_len: 512 * 1024 * 1024,
            max_multibulk_len: i64::from(i32::MAX),
            authenticated: true,
        }
    }
}

/// Parses one request at the start of `buf`: `Ok(Some((argv, bytes used)))`, or `Ok(None)` when
/// more input is needed. An empty `argv` is a request Redis skips (a blank line, `*0`, `*-1`).
///
/// A request starting with `*` is a multibulk; anything else is an inline command, split like
/// `sdssplitargs` (blanks separate arguments; `"..."` with `\n \r \t \b \a \xHH \\ \"` escapes;
/// `'...'` with `\'`). After an error Redis replies [`ProtocolError::to_reply`] and closes the
/// connection.
pub fn parse_request(
    buf: &[u8],
    limits: &RequestLimits,
) -> Result<Option<(Argv, usize)>, ProtocolError> {
    let mut argv = Argv::new();
    Ok(parse_request_into(buf, limits, &mut argv)?.map(|used| (argv, used)))
}

/// [`parse_request`] into `argv`, whose vectors are reused (a server keeps the argument vectors
/// of requests it has run and parses the next ones into them, so a request allocates nothing
/// once they have grown): `Ok(Some(bytes used))` with the request in `argv`. When the result is
/// not `Ok(Some(_))`, what `argv` holds is unspecified.
pub fn parse_request_into(
    buf: &[u8],
    limits: &RequestLimits,
    argv: &mut Argv,
) -> Result<Option<usize>, ProtocolError> {
    match buf.first() {
        None => Ok(None),
        Some(b'*') => parse_multibulk(buf, limits, argv),
        Some(_) => parse_inline(buf, limits, argv),
    }
}

/// The index of the first `byte` in `buf[from..]`, as `strchr` finds it: `None` when absent or
/// when a NUL comes first.
fn c_strchr(buf: &[u8], from: usize, byte: u8) -> Option<usize> {
    let rest = buf.get(from..)?;
    let at = rest.iter().position(|&b| b == byte || b == 0)?;
    (rest.get(at) == Some(&byte)).then_some(from + at)
}

/// `processMultibulkBuffer`: the headers are checked and the request found complete first,
/// then the arguments are copied (walking the headers again), so nothing is allocated for a
/// request that has not fully arrived.
fn parse_multibulk(
    buf: &[u8],
    limits: &RequestLimits,
    argv: &mut Argv,
) -> Result<Option<usize>, ProtocolError> {
    let Some(cr) = c_strchr(buf, 0, b'\r') else {
        if buf.len() > limits.max_inline_len {
            return Err(ProtocolError::TooBigMbulkCountString);
        }
        return Ok(None);
    };
    // The byte after the CR must have arrived (it is not checked to be LF).
    if cr + 2 > buf.len() {
        return Ok(None);
    }
    let count = buf
        .get(1..cr)
        .and_then(string2ll)
        .filter(|&n| n <= limits.max_multibulk_len)
        .ok_or(ProtocolError::InvalidMultibulkLength)?;
    if count > 10 && !limits.authenticated {
        return Err(ProtocolError::UnauthenticatedMultibulkLength);
    }
    let first = cr + 2;
    let count = usize::try_from(count).unwrap_or(0);
    let mut pos = first;
    for _ in 0..count {
        match bulk_at(buf, pos, limits)? {
            Some((_, _, next)) => pos = next,
            None => return Ok(None),
        }
    }
    let end = pos;
    argv.truncate(count);
    let mut pos = first;
    for i in 0..count {
        let Some((start, len, next)) = bulk_at(buf, pos, limits)? else {
            return Ok(None);
        };
        let bytes = buf.get(start..start + len).unwrap_or_default();
        match argv.get_mut(i) {
            Some(arg) => {
                arg.clear();
                arg.extend_from_slice(bytes);
            }
            None => argv.push(bytes.to_vec()),
        }
        pos = next;
    }
    Ok(Some(end))
}

/// The bulk argument whose `$` header starts at `pos`: `(payload start, length, next
/// position)`, or `None` when it has not fully arrived.
fn bulk_at(
    buf: &[u8],
    pos: usize,
    limits: &RequestLimits,
) -> Result<Option<(usize, usize, usize)>, ProtocolError> {
    let Some(cr) = c_strchr(buf, pos, b'\r') else {
        if buf.len() - pos > limits.max_inline_len {
            return Err(ProtocolError::TooBigBulkCountString);
        }
        return Ok(None);
    };
    if cr + 2 > buf.len() {
        return Ok(None);
    }
    let first = buf.get(pos).copied().unwrap_or(b'\r');
    if first != b'$' {
        return Err(ProtocolError::ExpectedDollar(first));
    }
    let len = buf
        .get(pos + 1..cr)
        .and_then(string2ll)
        .filter(|&n| (0..=limits.max_bulk_len).contains(&n))
        .ok_or(ProtocolError::InvalidBulkLength)?;
    if len > 16384 && !limits.authenticated {
        return Err(ProtocolError::UnauthenticatedBulkLength);
    }
    let start = cr + 2;
    let len = usize::try_from(len).map_err(|_| ProtocolError::InvalidBulkLength)?;
    // The payload and two more bytes (the CRLF, skipped unchecked).
    if buf.len() - start < len.saturating_add(2) {
        return Ok(None);
    }
    Ok(Some((start, len, start + len + 2)))
}

/// `processInlineBuffer`.
fn parse_inline(
    buf: &[u8],
    limits: &RequestLimits,
    argv: &mut Argv,
) -> Result<Option<usize>, ProtocolError> {
    let Some(newline) = c_strchr(buf, 0, b'\n') else {
        if buf.len() > limits.max_inline_len {
            return Err(ProtocolError::TooBigInlineRequest);
        }
        return Ok(None);
    };
    let mut end = newline;
    if end > 0 && buf.get(end - 1) == Some(&b'\r') {
        end -= 1;
    }
    let line = buf.get(..end).unwrap_or_default();
    *argv = split_args(line).ok_or(ProtocolError::UnbalancedQuotes)?;
    Ok(Some(newline + 1))
}

/// C's `isspace` in the C locale.
fn is_c_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// `sdssplitargs` of a line holding no NUL: the arguments, or `None` for unbalanced quotes.
pub(crate) fn split_args(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    let at = |i: usize| line.get(i).copied();
    let mut argv = Vec::new();
    let mut p = 0;
    loop {
        while at(p).is_some_and(is_c_space) {
            p += 1;
        }
        if at(p).is_none() {
            return Some(argv);
        }
        let mut current = Vec::new();
        let (mut in_double, mut in_single) = (false, false);
        loop {
            let c = at(p);
            if in_double {
                match (c, at(p + 1)) {
                    (Some(b'\\'), Some(b'x'))
                        if at(p + 2).is_some_and(|b| b.is_ascii_hexdigit())
                            && at(p + 3).is_some_and(|b| b.is_ascii_hexdigit()) =>
                    {
                        let hex = |b: Option<u8>| b.and_then(|b| char::from(b).to_digit(16));
                        let byte = hex(at(p + 2)).unwrap_or(0) * 16 + hex(at(p + 3)).unwrap_or(0);
                        current.push(u8::try_from(byte).unwrap_or(0));
                        p += 3;
                    }
                    (Some(b'\\'), Some(escaped)) => {
                        p += 1;
                        current.push(match escaped {
                            b'n' => b'\n',
                            b'r' => b'\r',
                            b't' => b'\t',
                            b'b' => b'\x08',
                            b'a' => b'\x07',
                            other => other,
                        });
                    }
                    (Some(b'"'), next) => {
                        // The closing quote must be followed by a blank or the end.
                        if next.is_some_and(|b| !is_c_space(b)) {
                            return None;
                        }
                        p += 1;
                        break;
                    }
                    (None, _) => return None,
                    (Some(other), _) => current.push(other),
                }
            } else if in_single {
                match (c, at(p + 1)) {
                    (Some(b'\\'), Some(b'\'')) => {
                        p += 1;
                        current.push(b'\'');
                    }
                    (Some(b'\''), next) => {
                        if next.is_some_and(|b| !is_c_space(b)) {
                            return None;
                        }
                        p += 1;
                        break;
                    }
                    (None, _) => return None,
                    (Some(other), _) => current.push(other),
                }
            } else {
                match c {
                    None => break,
                    Some(b' ' | b'\n' | b'\r' | b'\t') => {
                        p += 1;
                        break;
                    }
                    Some(b'"') => in_double = true,
                    Some(b'\'') => in_single = true,
                    Some(other) => current.push(other),
                }
            }
            p += 1;
        }
        argv.push(current);
    }
}
