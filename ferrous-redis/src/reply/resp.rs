//! RESP2/RESP3 on the wire: [`encode`] a [`Reply`] as Redis 7.0 writes it, [`parse_reply`] what a
//! server sent, and (in `resp/request.rs`) [`parse_request`] what a client sent.
//!
//! The encoder downgrades RESP3 shapes for RESP2 clients exactly as `networking.c` does: maps
//! become flat arrays, sets arrays, doubles bulk strings in `%.17g` (`inf`/`-inf`), booleans `:1`
//! / `:0`, big numbers and verbatim strings bulk strings, nulls `$-1` / `*-1`; in RESP3 both nulls
//! are `_`.
//!
//! Invariants: [`encode`] writes exactly one well-formed frame per reply (CR and LF inside
//! status, error and big-number lines become spaces); nothing here recurses on the shape of a
//! reply (the encoder and the decoder keep an explicit stack; the decoder refuses nesting deeper
//! than [`MAX_REPLY_DEPTH`]); nothing panics; and no buffer is sized from a length the peer
//! declared beyond what the input already holds.

mod request;

use crate::reply::Reply;

pub use self::request::{Argv, RequestLimits, parse_request, parse_request_into};

/// The deepest nesting [`parse_reply`] accepts.
pub const MAX_REPLY_DEPTH: usize = 1024;

/// A malformed request or reply. For requests, `Display` is Redis's text after `ERR `
/// (`Protocol error: invalid bulk length`), and [`ProtocolError::to_reply`] the error reply.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    /// A multibulk count that is not a number or exceeds the limit.
    #[error("Protocol error: invalid multibulk length")]
    InvalidMultibulkLength,
    /// A bulk length that is not a number, is negative or exceeds `proto-max-bulk-len`.
    #[error("Protocol error: invalid bulk length")]
    InvalidBulkLength,
    /// A multibulk element that does not start with `$`; holds the byte found.
    #[error("Protocol error: expected '$', got '{}'", char::from(*.0))]
    ExpectedDollar(u8),
    /// An inline request with no newline in its first 64 KiB.
    #[error("Protocol error: too big inline request")]
    TooBigInlineRequest,
    /// A multibulk count line with no CR in its first 64 KiB.
    #[error("Protocol error: too big mbulk count string")]
    TooBigMbulkCountString,
    /// A bulk length line with no CR in its first 64 KiB.
    #[error("Protocol error: too big bulk count string")]
    TooBigBulkCountString,
    /// An inline request whose quotes do not close (or close with no space after them).
    #[error("Protocol error: unbalanced quotes in request")]
    UnbalancedQuotes,
    /// More than 10 arguments before the client authenticated.
    #[error("Protocol error: unauthenticated multibulk length")]
    UnauthenticatedMultibulkLength,
    /// A bulk over 16 KiB before the client authenticated.
    #[error("Protocol error: unauthenticated bulk length")]
    UnauthenticatedBulkLength,
    /// A reply starting with a byte that is no RESP type (or a streamed type, which Redis 7.0
    /// never sends). `Display` is hiredis's text: `Protocol error, got "?" as reply type byte`.
    #[error("Protocol error, got {} as reply type byte", show_type_byte(*.0))]
    UnknownReplyType(u8),
    /// A malformed reply; holds hiredis's text for it (`Bad double value`), which redis-cli
    /// prints after `Error: ` before exiting with status 1.
    #[error("{0}")]
    InvalidReply(&'static str),
    /// A reply nested deeper than [`MAX_REPLY_DEPTH`].
    #[error("Protocol error, reply nested deeper than {MAX_REPLY_DEPTH} levels")]
    TooDeep,
}

impl ProtocolError {
    /// The error text as Redis sends it after `-ERR `, bytes exact (`ExpectedDollar` quotes the
    /// raw byte, CR and LF shown as spaces).
    pub fn message(&self) -> Vec<u8> {
        match *self {
            ProtocolError::ExpectedDollar(byte) => {
                let mut text = b"Protocol error: expected '$', got '".to_vec();
                text.push(if byte == b'\r' || byte == b'\n' {
                    b' '
                } else {
                    byte
                });
                text.push(b'\'');
                text
            }
            _ => self.to_string().into_bytes(),
        }
    }

    /// The error reply Redis answers a bad request with (`-ERR Protocol error: ...`).
    pub fn to_reply(&self) -> Reply {
        let mut text = b"ERR ".to_vec();
        text.extend_from_slice(&self.message());
        Reply::Error(text)
    }
}

/// hiredis's `chrtos`: a byte in double quotes, C escapes for specials, `\xHH` if unprintable.
fn show_type_byte(byte: u8) -> String {
    match byte {
        b'\\' | b'"' => format!("\"\\{}\"", char::from(byte)),
        b'\n' => "\"\\n\"".to_owned(),
        b'\r' => "\"\\r\"".to_owned(),
        b'\t' => "\"\\t\"".to_owned(),
        b'\x07' => "\"\\a\"".to_owned(),
        b'\x08' => "\"\\b\"".to_owned(),
        b' '..=b'~' => format!("\"{}\"", char::from(byte)),
        _ => format!("\"\\x{byte:02x}\""),
    }
}

/// Appends `reply` as Redis 7.0 writes it to a client speaking `resp` (3 for RESP3, anything
/// else RESP2).
pub fn encode(reply: &Reply, resp: u8, out: &mut Vec<u8>) {
    let resp3 = resp == 3;
    // Replies still to write, last one first: an explicit stack instead of recursion.
    let mut todo: Vec<&Reply> = vec![reply];
    while let Some(reply) = todo.pop() {
        match reply {
            Reply::Status(text) => line(out, b'+', text),
            Reply::Error(text) => line(out, b'-', text),
            Reply::Integer(n) => line(out, b':', n.to_string().as_bytes()),
            Reply::Bulk(bytes) => bulk(out, b'$', bytes),
            Reply::Nil if resp3 => out.extend_from_slice(b"_\r\n"),
            Reply::Nil => out.extend_from_slice(b"$-1\r\n"),
            Reply::NilArray if resp3 => out.extend_from_slice(b"_\r\n"),
            Reply::NilArray => out.extend_from_slice(b"*-1\r\n"),
            Reply::Array(items) => {
                header(out, b'*', items.len());
                todo.extend(items.iter().rev());
            }
            Reply::Set(items) => {
                header(out, if resp3 { b'~' } else { b'*' }, items.len());
                todo.extend(items.iter().rev());
            }
            Reply::Map(pairs) => {
                if resp3 {
                    header(out, b'%', pairs.len());
                } else {
                    header(out, b'*', pairs.len().saturating_mul(2));
                }
                todo.extend(pairs.iter().rev().flat_map(|(k, v)| [v, k]));
            }
            Reply::Double(d) => {
                let mut text = Vec::new();
                format_double(*d, &mut text);
                if resp3 {
                    line(out, b',', &text);
                } else {
                    bulk(out, b'$', &text);
                }
            }
            Reply::Boolean(b) if resp3 => line(out, b'#', if *b { b"t" } else { b"f" }),
            Reply::Boolean(b) => line(out, b':', if *b { b"1" } else { b"0" }),
            Reply::BigNumber(digits) if resp3 => line(out, b'(', digits),
            Reply::BigNumber(digits) => bulk(out, b'$', digits),
            Reply::Verbatim { format, text } if resp3 => {
                header(out, b'=', text.len().saturating_add(4));
                out.extend_from_slice(format);
                out.push(b':');
                out.extend_from_slice(text);
                out.extend_from_slice(b"\r\n");
            }
            Reply::Verbatim { text, .. } => bulk(out, b'$', text),
        }
    }
}

/// `<kind><text>\r\n`. CR and LF in `text` become spaces (as Redis maps them in the statuses and
/// errors it builds), so one reply is always one well-formed frame.
fn line(out: &mut Vec<u8>, kind: u8, text: &[u8]) {
    out.push(kind);
    out.extend(
        text.iter()
            .map(|&b| if b == b'\r' || b == b'\n' { b' ' } else { b }),
    );
    out.extend_from_slice(b"\r\n");
}

/// `<kind><len>\r\n`.
fn header(out: &mut Vec<u8>, kind: u8, len: usize) {
    line(out, kind, len.to_string().as_bytes());
}

/// `<kind><len>\r\n<bytes>\r\n`.
fn bulk(out: &mut Vec<u8>, kind: u8, bytes: &[u8]) {
    header(out, kind, bytes.len());
    out.extend_from_slice(bytes);
    out.extend_from_slice(b"\r\n");
}

/// Appends `d` as glibc's `printf("%.17g")` writes it, with `inf`/`-inf` (what Redis 7.0's
/// `addReplyDouble` sends) and `nan`/`-nan` by the sign bit.
pub(crate) fn format_double(d: f64, out: &mut Vec<u8>) {
    if d.is_nan() {
        out.extend_from_slice(if d.is_sign_negative() {
            b"-nan"
        } else {
            b"nan"
        });
        return;
    }
    if d.is_infinite() {
        out.extend_from_slice(if d > 0.0 { b"inf" } else { b"-inf" });
        return;
    }
    // Rust's exact, correctly rounded formatting gives the 17 significant digits and the
    // exponent after rounding; %g then picks fixed or exponent notation from that exponent.
    let sci = format!("{:.16e}", d.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    let trimmed = |digits: &[u8]| -> Vec<u8> {
        let end = digits.iter().rposition(|&b| b != b'0').map_or(0, |i| i + 1);
        digits.get(..end).unwrap_or_default().to_vec()
    };
    if d.is_sign_negative() {
        out.push(b'-');
    }
    if !(-4..17).contains(&exp) {
        out.extend_from_slice(digits.get(..1).unwrap_or(b"0"));
        let frac = trimmed(digits.get(1..).unwrap_or_default());
        if !frac.is_empty() {
            out.push(b'.');
            out.extend_from_slice(&frac);
        }
        out.push(b'e');
        out.push(if exp < 0 { b'-' } else { b'+' });
        let abs = exp.unsigned_abs();
        if abs < 10 {
            out.push(b'0');
        }
        out.extend_from_slice(abs.to_string().as_bytes());
    } else if exp >= 0 {
        let int_len = usize::try_from(exp).unwrap_or(0) + 1;
        out.extend_from_slice(digits.get(..int_len).unwrap_or(&digits));
        let frac = trimmed(digits.get(int_len..).unwrap_or_default());
        if !frac.is_empty() {
            out.push(b'.');
            out.extend_from_slice(&frac);
        }
    } else {
        out.extend_from_slice(b"0.");
        let zeros = usize::try_from(-exp - 1).unwrap_or(0);
        out.extend(std::iter::repeat_n(b'0', zeros));
        out.extend_from_slice(&trimmed(&digits));
    }
}

/// Redis's `string2ll`: an optional `-`, then digits with no leading zero (or exactly `0`), at
/// most 20 bytes, within `i64`. Nothing else (no `+`, no spaces).
pub(crate) fn string2ll(bytes: &[u8]) -> Option<i64> {
    if bytes.is_empty() || bytes.len() >= 21 {
        return None;
    }
    if bytes == b"0" {
        return Some(0);
    }
    let (negative, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    match digits.first() {
        Some(b'1'..=b'9') => {}
        _ => return None,
    }
    let mut value: u64 = 0;
    for &b in digits {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    if negative {
        0i64.checked_sub_unsigned(value)
    } else {
        i64::try_from(value).ok()
    }
}

/// An aggregate being filled by [`parse_reply`].
enum Frame {
    /// `*`, `~` or `>`: elements so far and how many are still due.
    Items {
        kind: u8,
        items: Vec<Reply>,
        left: usize,
    },
    /// `%`: pairs so far, a key waiting for its value, pairs still due.
    Pairs {
        pairs: Vec<(Reply, Reply)>,
        key: Option<Reply>,
        left: usize,
    },
    /// `|`: attribute elements (keys and values) still to skip.
    Attribute { left: usize },
}

/// Parses one reply at the start of `buf`: `Ok(Some((reply, bytes used)))`, or `Ok(None)` when
/// `buf` holds only part of it.
///
/// It checks what hiredis 7.0 (the reader redis-cli uses) checks, with the same error texts
/// (`Bad double value`, `Protocol error, got "?" as reply type byte`, ...), and reads the same
/// values: `_`, `$-1`, `=-1` and the `-1` counts of `%`, `~`, `>` as [`Reply::Nil`], `*-1` as
/// [`Reply::NilArray`], pushes (`>`) as arrays. Beyond hiredis 7.0 it skips attributes (`|`),
/// reads blob errors (`!`) as errors, and requires the CRLF after a payload (hiredis skips two
/// bytes unchecked). Doubles are read with Rust's parser where hiredis uses `strtod`, so hex
/// floats and leading blanks, which no server sends, are refused.
pub fn parse_reply(buf: &[u8]) -> Result<Option<(Reply, usize)>, ProtocolError> {
    let mut pos = 0;
    let mut stack: Vec<Frame> = Vec::new();
    loop {
        // hiredis rejects an unknown type byte before the line is complete.
        let Some(&kind) = buf.get(pos) else {
            return Ok(None);
        };
        if !b"+-:_,#($!=*~>%|".contains(&kind) {
            return Err(ProtocolError::UnknownReplyType(kind));
        }
        let Some((text, next)) = read_line(buf, pos) else {
            return Ok(None);
        };
        pos = next;
        let remaining = buf.len().saturating_sub(pos);
        // A value is complete (`Some`) or an aggregate was opened (`None`).
        let value = match kind {
            b'+' => Some(Reply::Status(simple_string(text)?)),
            b'-' => Some(Reply::Error(simple_string(text)?)),
            b':' => Some(Reply::Integer(
                string2ll(text).ok_or(ProtocolError::InvalidReply("Bad integer value"))?,
            )),
            b'_' if text.is_empty() => Some(Reply::Nil),
            b'_' => return Err(ProtocolError::InvalidReply("Bad nil value")),
            b',' => Some(Reply::Double(parse_double(text)?)),
            b'#' => match text {
                b"t" | b"T" => Some(Reply::Boolean(true)),
                b"f" | b"F" => Some(Reply::Boolean(false)),
                _ => return Err(ProtocolError::InvalidReply("Bad bool value")),
            },
            b'(' => Some(Reply::BigNumber(big_number(text)?)),
            b'$' | b'!' | b'=' => match length(
                text,
                "Bad bulk string length",
                "Bulk string length out of range",
            )? {
                None => Some(Reply::Nil),
                Some(len) => {
                    let Some((payload, next)) = read_payload(buf, pos, len)? else {
                        return Ok(None);
                    };
                    pos = next;
                    Some(blob(kind, payload)?)
                }
            },
            _ => match length(
                text,
                "Bad multi-bulk length",
                "Multi-bulk length out of range",
            )? {
                None if kind == b'*' => Some(Reply::NilArray),
                None => Some(Reply::Nil),
                Some(0) => empty_aggregate(kind),
                Some(n) => {
                    if stack.len() >= MAX_REPLY_DEPTH {
                        return Err(ProtocolError::TooDeep);
                    }
                    // Every element takes at least 3 bytes (`_\r\n`).
                    let cap = n.min(remaining / 3);
                    stack.push(match kind {
                        b'%' => Frame::Pairs {
                            pairs: Vec::with_capacity(cap / 2),
                            key: None,
                            left: n,
                        },
                        b'|' => Frame::Attribute {
                            left: n.saturating_mul(2),
                        },
                        _ => Frame::Items {
                            kind,
                            items: Vec::with_capacity(cap),
                            left: n,
                        },
                    });
                    None
                }
            },
        };
        let Some(mut value) = value else { continue };
        // Hand the value to the aggregates it completes.
        loop {
            let Some(frame) = stack.last_mut() else {
                return Ok(Some((value, pos)));
            };
            let done = match frame {
                Frame::Items { items, left, .. } => {
                    items.push(value);
                    *left -= 1;
                    *left == 0
                }
                Frame::Pairs { pairs, key, left } => {
                    if let Some(k) = key.take() {
                        pairs.push((k, value));
                        *left -= 1;
                    } else {
                        *key = Some(value);
                    }
                    *left == 0
                }
                Frame::Attribute { left } => {
                    *left -= 1;
                    *left == 0
                }
            };
            if !done {
                break;
            }
            match stack.pop() {
                Some(Frame::Items { kind, items, .. }) => {
                    value = if kind == b'~' {
                        Reply::Set(items)
                    } else {
                        Reply::Array(items)
                    };
                }
                Some(Frame::Pairs { pairs, .. }) => value = Reply::Map(pairs),
                // A finished attribute is dropped; the value it annotates comes next.
                Some(Frame::Attribute { .. }) | None => break,
            }
        }
    }
}

/// The value of an aggregate header with no elements (`|0` annotates nothing: `None`).
fn empty_aggregate(kind: u8) -> Option<Reply> {
    match kind {
        b'%' => Some(Reply::Map(Vec::new())),
        b'~' => Some(Reply::Set(Vec::new())),
        b'|' => None,
        _ => Some(Reply::Array(Vec::new())),
    }
}

/// The reply of a length-prefixed payload (`$`, `!`, `=`).
fn blob(kind: u8, payload: &[u8]) -> Result<Reply, ProtocolError> {
    Ok(match kind {
        b'$' => Reply::Bulk(payload.to_vec()),
        b'!' => Reply::Error(payload.to_vec()),
        _ => match payload {
            [a, b, c, b':', text @ ..] => Reply::Verbatim {
                format: [*a, *b, *c],
                text: text.to_vec(),
            },
            _ => {
                return Err(ProtocolError::InvalidReply(
                    "Verbatim string 4 bytes of content type are missing or incorrectly encoded.",
                ));
            }
        },
    })
}

/// A status or error line: no CR or LF inside.
fn simple_string(text: &[u8]) -> Result<Vec<u8>, ProtocolError> {
    if text.iter().any(|&b| b == b'\r' || b == b'\n') {
        return Err(ProtocolError::InvalidReply("Bad simple string value"));
    }
    Ok(text.to_vec())
}

/// A big number: decimal digits, possibly after a leading `-`.
fn big_number(text: &[u8]) -> Result<Vec<u8>, ProtocolError> {
    let digits = text.strip_prefix(b"-").unwrap_or(text);
    if !digits.iter().all(u8::is_ascii_digit) {
        return Err(ProtocolError::InvalidReply("Bad bignum value"));
    }
    Ok(text.to_vec())
}

/// A RESP3 double as hiredis accepts it: `inf` or `-inf` (any case) or a finite number, in fewer
/// than 326 bytes.
fn parse_double(text: &[u8]) -> Result<f64, ProtocolError> {
    if text.len() >= 326 {
        return Err(ProtocolError::InvalidReply("Double value is too large"));
    }
    if text.eq_ignore_ascii_case(b"inf") {
        return Ok(f64::INFINITY);
    }
    if text.eq_ignore_ascii_case(b"-inf") {
        return Ok(f64::NEG_INFINITY);
    }
    std::str::from_utf8(text)
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|d| d.is_finite())
        .ok_or(ProtocolError::InvalidReply("Bad double value"))
}

/// A length or count header: `Some(n)`, `None` for `-1`, hiredis's errors for anything else.
fn length(
    text: &[u8],
    bad: &'static str,
    out_of_range: &'static str,
) -> Result<Option<usize>, ProtocolError> {
    match string2ll(text) {
        Some(-1) => Ok(None),
        Some(n) => usize::try_from(n)
            .map(Some)
            .map_err(|_| ProtocolError::InvalidReply(out_of_range)),
        None => Err(ProtocolError::InvalidReply(bad)),
    }
}

/// The text of the line at `pos` (after its type byte, up to the first CRLF) and the position
/// after the CRLF; `None` when the CRLF has not arrived.
fn read_line(buf: &[u8], pos: usize) -> Option<(&[u8], usize)> {
    let rest = buf.get(pos..)?;
    let end = rest.windows(2).position(|pair| pair == b"\r\n")?;
    // `end` is at least 1 here: the type byte was checked not to be CR.
    let text = rest.get(1..end.max(1)).unwrap_or_default();
    Some((text, pos + end + 2))
}

/// `len` payload bytes at `pos` and the CRLF after them.
fn read_payload(
    buf: &[u8],
    pos: usize,
    len: usize,
) -> Result<Option<(&[u8], usize)>, ProtocolError> {
    let end = pos.saturating_add(len);
    let Some(crlf) = buf.get(end..end.saturating_add(2)) else {
        return Ok(None);
    };
    if crlf != b"\r\n" {
        return Err(ProtocolError::InvalidReply("Bad bulk string terminator"));
    }
    Ok(buf.get(pos..end).map(|payload| (payload, end + 2)))
}

#[cfg(test)]
mod request_cases;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_request;
