//! Argument parsing and the error replies commands share, with Redis's exact texts.
//!
//! Numbers parse as Redis parses them: [`parse_i64`] is `string2ll` (no `+`, no spaces, no
//! leading zeros), [`parse_f64`] is `string2d` (`strtod` without leading spaces, overflow or
//! underflow to zero), [`parse_range_f64`] is the looser `strtod` of score ranges.

use super::hexfloat::parse_hex;
use crate::reply::Reply;

/// A command's outcome: the reply, or an error reply to return early with `?`.
pub(crate) type CmdResult = Result<Reply, Reply>;

/// An error reply.
pub(crate) fn err(text: &str) -> Reply {
    Reply::Error(text.as_bytes().to_vec())
}

pub(crate) const WRONGTYPE: &str =
    "WRONGTYPE Operation against a key holding the wrong kind of value";
pub(crate) const NOT_INTEGER: &str = "ERR value is not an integer or out of range";
pub(crate) const SYNTAX: &str = "ERR syntax error";
pub(crate) const NOT_FLOAT: &str = "ERR value is not a valid float";
pub(crate) const OVERFLOW: &str = "ERR increment or decrement would overflow";
pub(crate) const NO_SUCH_KEY: &str = "ERR no such key";
pub(crate) const MIN_MAX_FLOAT: &str = "ERR min or max is not a float";
pub(crate) const OUT_OF_RANGE: &str = "ERR index out of range";
pub(crate) const TOO_BIG: &str = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
pub(crate) const POSITIVE: &str = "ERR value is out of range, must be positive";

/// Redis's `proto-max-bulk-len` default: the largest string a command may build.
pub(crate) const MAX_STRING: usize = 512 * 1024 * 1024;

/// The `WRONGTYPE` error.
pub(crate) fn wrongtype() -> Reply {
    err(WRONGTYPE)
}

/// Whether `arg` equals the ASCII keyword `word`, ignoring case.
pub(crate) fn is_kw(arg: &[u8], word: &str) -> bool {
    arg.eq_ignore_ascii_case(word.as_bytes())
}

/// `string2ll`: a strict decimal `i64`.
pub(crate) fn parse_i64(bytes: &[u8]) -> Option<i64> {
    crate::reply::resp::string2ll(bytes)
}

/// An integer argument, or `ERR value is not an integer or out of range`.
pub(crate) fn int_arg(bytes: &[u8]) -> Result<i64, Reply> {
    parse_i64(bytes).ok_or_else(|| err(NOT_INTEGER))
}

/// `getPositiveLongFromObjectOrReply`: a non-negative integer; `error` for anything else (a
/// non-integer included, as Redis passes its message down).
pub(crate) fn positive_arg(bytes: &[u8], error: &str) -> Result<i64, Reply> {
    match parse_i64(bytes) {
        Some(value) if value >= 0 => Ok(value),
        _ => Err(err(error)),
    }
}

/// Whether `byte` is C's `isspace`.
fn is_c_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Parses a `strtod` number that covers all of `text`.
fn strtod_all(text: &[u8]) -> Option<f64> {
    if let Some(hex) = parse_hex(text) {
        return Some(hex.to_f64());
    }
    let text = std::str::from_utf8(text).ok()?;
    let lowered = text.to_ascii_lowercase();
    let unsigned = lowered.trim_start_matches(['+', '-']);
    if unsigned.len() + 1 < lowered.len() {
        return None;
    }
    let is_inf = unsigned == "inf" || unsigned == "infinity";
    let is_decimal = unsigned
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'+' | b'-'));
    if !is_inf && !is_decimal {
        return None;
    }
    text.parse::<f64>().ok()
}

/// `string2d`: a double that spans all of `bytes`, not NaN, not out of range.
pub(crate) fn parse_f64(bytes: &[u8]) -> Option<f64> {
    if bytes.first().is_none_or(|&b| is_c_space(b)) {
        return None;
    }
    let value = strtod_all(bytes)?;
    if value.is_nan() {
        return None;
    }
    let lowered = bytes.to_ascii_lowercase();
    if value.is_infinite() && !lowered.windows(3).any(|w| w == b"inf") {
        return None;
    }
    if value == 0.0 {
        let mantissa = lowered.split(|&b| b == b'e').next().unwrap_or_default();
        if mantissa.iter().any(|b| (b'1'..=b'9').contains(b)) {
            return None;
        }
    }
    Some(value)
}

/// A float argument, or `ERR value is not a valid float`.
pub(crate) fn float_arg(bytes: &[u8]) -> Result<f64, Reply> {
    parse_f64(bytes).ok_or_else(|| err(NOT_FLOAT))
}

/// The `strtod` of `zslParseRange`: leading spaces allowed, empty means 0, overflow allowed,
/// the text ends at a NUL byte; only NaN and trailing bytes are refused.
pub(crate) fn parse_range_f64(bytes: &[u8]) -> Option<f64> {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    let text = &bytes[..end];
    let start = text
        .iter()
        .position(|&b| !is_c_space(b))
        .unwrap_or(text.len());
    let text = &text[start..];
    if text.is_empty() {
        return Some(0.0);
    }
    strtod_all(text).filter(|value| !value.is_nan())
}

#[cfg(test)]
mod tests {
    use super::{parse_f64, parse_i64, parse_range_f64};

    #[test]
    fn integers_parse_like_string2ll() {
        assert_eq!(parse_i64(b"0"), Some(0));
        assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_i64(b"9223372036854775807"), Some(i64::MAX));
        for bad in [
            "",
            "-",
            "-0",
            "01",
            "+1",
            " 1",
            "1 ",
            "9223372036854775808",
            "1.0",
        ] {
            assert_eq!(parse_i64(bad.as_bytes()), None, "{bad}");
        }
    }

    #[test]
    fn floats_parse_like_string2d() {
        assert_eq!(parse_f64(b"1.5"), Some(1.5));
        assert_eq!(parse_f64(b"-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_f64(b"+Infinity"), Some(f64::INFINITY));
        assert_eq!(parse_f64(b".5"), Some(0.5));
        assert_eq!(parse_f64(b"5."), Some(5.0));
        assert_eq!(parse_f64(b"0e0"), Some(0.0));
        for bad in [
            "", " 1", "1 ", "nan", "1e400", "1e-400", "abc", "1e", "--1", "infx",
        ] {
            assert_eq!(parse_f64(bad.as_bytes()), None, "{bad}");
        }
        assert_eq!(parse_range_f64(b""), Some(0.0));
        assert_eq!(parse_range_f64(b" 2"), Some(2.0));
        assert_eq!(parse_range_f64(b"1e400"), Some(f64::INFINITY));
        assert_eq!(parse_range_f64(b"nan"), None);
    }
}
