//! A [`Reply`] as `redis-cli` 7.0 prints it: [`render_no_raw`] is `cliFormatReplyTTY` (what a
//! terminal shows, or `--no-raw`), [`render_raw`] is `cliFormatReplyRaw` plus the newline that
//! ends each reply (`--raw`, or output to a pipe).
//!
//! The reply is taken as redis-cli received it: a RESP2 connection never delivers RESP3 shapes
//! (encode with RESP2 and parse back to see what it would get). Like redis-cli, statuses and
//! errors in TTY mode are C strings (cut at the first NUL), bulk strings are quoted with
//! `sdscatrepr` escapes, and a big number is a type redis-cli 7.0 cannot print: it writes
//! `Unknown reply type: 13` to stderr and exits with status 1, which is [`CliError::UnknownType`].
//! A nil array reads as a nil, as hiredis reads `*-1`.

use crate::reply::Reply;
use crate::reply::resp::format_double;

/// The deepest nesting rendered; deeper replies are an error rather than deep recursion.
pub const MAX_RENDER_DEPTH: usize = 1024;

/// Why a reply cannot be rendered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CliError {
    /// A reply type redis-cli 7.0 does not print (hiredis type number; 13 is a big number):
    /// redis-cli prints this text to stderr and exits with status 1.
    #[error("Unknown reply type: {0}")]
    UnknownType(u32),
    /// Nesting deeper than 1024 levels (`MAX_RENDER_DEPTH`).
    #[error("reply nested deeper than {MAX_RENDER_DEPTH} levels")]
    TooDeep,
}

/// hiredis's `REDIS_REPLY_BIGNUM`.
const HIREDIS_BIGNUM: u32 = 13;

/// `reply` as `redis-cli --no-raw` prints it, final newline included.
pub fn render_no_raw(reply: &Reply) -> Result<String, CliError> {
    let mut out = Vec::new();
    tty(reply, b"", 0, &mut out)?;
    Ok(String::from_utf8(out)
        .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned()))
}

/// `reply` as `redis-cli --no-raw` prints it, as bytes (verbatim strings and statuses are written
/// raw, so the output need not be UTF-8).
pub fn render_no_raw_bytes(reply: &Reply) -> Result<Vec<u8>, CliError> {
    let mut out = Vec::new();
    tty(reply, b"", 0, &mut out)?;
    Ok(out)
}

/// `reply` as `redis-cli --raw` prints it, final newline included.
pub fn render_raw(reply: &Reply) -> Result<Vec<u8>, CliError> {
    let mut out = Vec::new();
    raw(reply, 0, &mut out)?;
    out.push(b'\n');
    Ok(out)
}

/// C's `%s` of a string: up to its first NUL.
fn c_str(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    bytes.get(..end).unwrap_or_default()
}

/// `sdscatrepr`: a double-quoted string with C escapes; bytes outside printable ASCII as `\xHH`.
pub fn repr(bytes: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    for &b in bytes {
        match b {
            b'\\' | b'"' => out.extend_from_slice(&[b'\\', b]),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\x07' => out.extend_from_slice(b"\\a"),
            b'\x08' => out.extend_from_slice(b"\\b"),
            b' '..=b'~' => out.push(b),
            _ => out.extend_from_slice(format!("\\x{b:02x}").as_bytes()),
        }
    }
    out.push(b'"');
}

/// The elements of an aggregate as hiredis sees them (a map's keys and values alternate), with
/// the separator of its index and its empty text; `None` for scalars.
fn aggregate(reply: &Reply) -> Option<(Vec<&Reply>, u8, &'static str)> {
    match reply {
        Reply::Array(items) => Some((items.iter().collect(), b')', "(empty array)\n")),
        Reply::Set(items) => Some((items.iter().collect(), b'~', "(empty set)\n")),
        Reply::Map(pairs) => Some((
            pairs.iter().flat_map(|(k, v)| [k, v]).collect(),
            b'#',
            "(empty hash)\n",
        )),
        _ => None,
    }
}

/// `cliIsMultilineValueTTY`: whether a map value goes on its own lines.
fn is_multiline(reply: &Reply) -> bool {
    // Single-element aggregates are followed down iteratively.
    let mut reply = reply;
    loop {
        reply = match reply {
            Reply::Array(items) | Reply::Set(items) => match items.as_slice() {
                [] => return false,
                [only] => only,
                _ => return true,
            },
            Reply::Map(pairs) => match pairs.as_slice() {
                [] => return false,
                [(_, value)] => value,
                _ => return true,
            },
            _ => return false,
        };
    }
}

/// `cliFormatReplyTTY(reply, prefix)`.
fn tty(reply: &Reply, prefix: &[u8], depth: usize, out: &mut Vec<u8>) -> Result<(), CliError> {
    if depth > MAX_RENDER_DEPTH {
        return Err(CliError::TooDeep);
    }
    match reply {
        Reply::Error(text) => {
            out.extend_from_slice(b"(error) ");
            out.extend_from_slice(c_str(text));
            out.push(b'\n');
        }
        Reply::Status(text) => {
            out.extend_from_slice(c_str(text));
            out.push(b'\n');
        }
        Reply::Integer(n) => out.extend_from_slice(format!("(integer) {n}\n").as_bytes()),
        Reply::Double(d) => {
            out.extend_from_slice(b"(double) ");
            format_double(*d, out);
            out.push(b'\n');
        }
        Reply::Bulk(bytes) => {
            repr(bytes, out);
            out.push(b'\n');
        }
        Reply::Verbatim { text, .. } => {
            out.extend_from_slice(text);
            out.push(b'\n');
        }
        Reply::Nil | Reply::NilArray => out.extend_from_slice(b"(nil)\n"),
        Reply::Boolean(b) => out.extend_from_slice(if *b { b"(true)\n" } else { b"(false)\n" }),
        Reply::BigNumber(_) => return Err(CliError::UnknownType(HIREDIS_BIGNUM)),
        Reply::Array(_) | Reply::Set(_) | Reply::Map(_) => {
            let Some((elements, sep, empty)) = aggregate(reply) else {
                return Ok(());
            };
            if elements.is_empty() {
                out.extend_from_slice(empty.as_bytes());
                return Ok(());
            }
            let is_map = matches!(reply, Reply::Map(_));
            let count = if is_map {
                elements.len() / 2
            } else {
                elements.len()
            };
            let idx_len = count.to_string().len();
            let mut inner = prefix.to_vec();
            inner.extend(std::iter::repeat_n(b' ', idx_len + 2));
            let step = if is_map { 2 } else { 1 };
            for (n, chunk) in elements.chunks(step).enumerate() {
                if n > 0 {
                    out.extend_from_slice(prefix);
                }
                out.extend_from_slice(format!("{:>idx_len$}", n + 1).as_bytes());
                out.push(sep);
                out.push(b' ');
                let (first, value) = match chunk {
                    [key, value] => (*key, Some(*value)),
                    [item, ..] => (*item, None),
                    [] => continue,
                };
                tty(first, &inner, depth + 1, out)?;
                if let Some(value) = value {
                    // The key's newline gives way to ` => `.
                    out.pop();
                    out.extend_from_slice(b" => ");
                    if is_multiline(value) {
                        out.push(b'\n');
                        out.extend_from_slice(&inner);
                    }
                    tty(value, &inner, depth + 1, out)?;
                }
            }
        }
    }
    Ok(())
}

/// `cliFormatReplyRaw(reply)`.
fn raw(reply: &Reply, depth: usize, out: &mut Vec<u8>) -> Result<(), CliError> {
    if depth > MAX_RENDER_DEPTH {
        return Err(CliError::TooDeep);
    }
    match reply {
        Reply::Nil | Reply::NilArray => {}
        Reply::Error(text) => {
            out.extend_from_slice(text);
            out.push(b'\n');
        }
        Reply::Status(bytes) | Reply::Bulk(bytes) | Reply::Verbatim { text: bytes, .. } => {
            out.extend_from_slice(bytes);
        }
        Reply::Boolean(b) => out.extend_from_slice(if *b { b"(true)" } else { b"(false)" }),
        Reply::Integer(n) => out.extend_from_slice(n.to_string().as_bytes()),
        Reply::Double(d) => format_double(*d, out),
        Reply::BigNumber(_) => return Err(CliError::UnknownType(HIREDIS_BIGNUM)),
        Reply::Array(items) | Reply::Set(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b'\n');
                }
                raw(item, depth + 1, out)?;
            }
        }
        Reply::Map(pairs) => {
            for (i, (key, value)) in pairs.iter().enumerate() {
                if i > 0 {
                    out.push(b'\n');
                }
                raw(key, depth + 1, out)?;
                out.push(b' ');
                raw(value, depth + 1, out)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod cases;
#[cfg(test)]
mod tests;
