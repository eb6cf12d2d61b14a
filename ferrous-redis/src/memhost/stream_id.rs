//! [`StreamId`]: a stream entry's `ms-seq` identifier, and its parsing as `t_stream.c` parses
//! it (`streamGenericParseIDOrReply`): `-` and `+` (unless strict), `ms` alone (the sequence
//! filled in by the caller), `ms-seq`, `ms-*` (where `XADD` allows it), each number read by
//! `string2ull` (so `" 1"`, `"+1"` and `"01"` are accepted, as Redis accepts them).
//!
//! **Invariant:** parsing never panics and never overflows: a number past `u64::MAX` and any
//! argument longer than 127 bytes is `ERR Invalid stream ID specified as stream command
//! argument`.

use crate::reply::Reply;

use super::args::err;

/// Redis's complaint about any malformed ID.
pub(crate) const INVALID_ID: &str = "ERR Invalid stream ID specified as stream command argument";

/// A stream entry ID; the derived order is Redis's (`streamCompareID`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct StreamId {
    pub(crate) ms: u64,
    pub(crate) seq: u64,
}

impl StreamId {
    /// `0-0`.
    pub(crate) const MIN: StreamId = StreamId { ms: 0, seq: 0 };
    /// `18446744073709551615-18446744073709551615`.
    pub(crate) const MAX: StreamId = StreamId {
        ms: u64::MAX,
        seq: u64::MAX,
    };

    /// `streamIncrID`: the successor, or `None` past the largest ID.
    pub(crate) fn incr(self) -> Option<StreamId> {
        if self.seq < u64::MAX {
            Some(StreamId {
                seq: self.seq + 1,
                ..self
            })
        } else if self.ms < u64::MAX {
            Some(StreamId {
                ms: self.ms + 1,
                seq: 0,
            })
        } else {
            None
        }
    }

    /// `streamDecrID`: the predecessor, or `None` before `0-0`.
    pub(crate) fn decr(self) -> Option<StreamId> {
        if self.seq > 0 {
            Some(StreamId {
                seq: self.seq - 1,
                ..self
            })
        } else if self.ms > 0 {
            Some(StreamId {
                ms: self.ms - 1,
                seq: u64::MAX,
            })
        } else {
            None
        }
    }

    /// Whether this is `0-0`.
    pub(crate) fn is_zero(self) -> bool {
        self == StreamId::MIN
    }

    /// `ms-seq` as a bulk reply.
    pub(crate) fn reply(self) -> Reply {
        Reply::Bulk(self.to_string().into_bytes())
    }
}

impl std::fmt::Display for StreamId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.ms, self.seq)
    }
}

/// Whether `byte` is C's `isspace`.
fn is_c_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// `strtoull(text, &end, 10)` that must consume all of `text`: leading spaces and a sign are
/// allowed, a minus negates modulo 2^64 (as C does), overflow fails.
fn strtoull_all(text: &[u8]) -> Option<u64> {
    let start = text
        .iter()
        .position(|&b| !is_c_space(b))
        .unwrap_or(text.len());
    let mut rest = &text[start..];
    let negative = rest.first() == Some(&b'-');
    if matches!(rest.first(), Some(b'-' | b'+')) {
        rest = &rest[1..];
    }
    if rest.is_empty() || !rest.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut value: u64 = 0;
    for &digit in rest {
        value = value
            .checked_mul(10)?
            .checked_add(u64::from(digit - b'0'))?;
    }
    Some(if negative {
        value.wrapping_neg()
    } else {
        value
    })
}

/// `string2ull`: `string2ll` first (a negative value fails), then `strtoull`.
fn string2ull(text: &[u8]) -> Option<u64> {
    if let Some(value) = crate::reply::resp::string2ll(text) {
        return u64::try_from(value).ok();
    }
    if text.is_empty() {
        return None;
    }
    strtoull_all(text)
}

/// What parsing an ID found: the ID, and whether its sequence was given (`false` for `ms-*`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct ParsedId {
    pub(crate) id: StreamId,
    pub(crate) seq_given: bool,
}

/// `streamGenericParseIDOrReply`. `missing_seq` fills in a lone `ms`; `strict` refuses `-` and
/// `+`; `allow_star` accepts `ms-*` (only `XADD` does).
pub(crate) fn parse_id_generic(
    arg: &[u8],
    missing_seq: u64,
    strict: bool,
    allow_star: bool,
) -> Result<ParsedId, Reply> {
    let invalid = || err(INVALID_ID);
    if arg.len() > 127 {
        return Err(invalid());
    }
    // The C code works on a NUL-terminated copy.
    let end = arg.iter().position(|&b| b == 0).unwrap_or(arg.len());
    let text = &arg[..end];
    let given = |id| {
        Ok(ParsedId {
            id,
            seq_given: true,
        })
    };
    match text {
        b"-" | b"+" if strict => return Err(invalid()),
        b"-" => return given(StreamId::MIN),
        b"+" => return given(StreamId::MAX),
        _ => {}
    }
    let (ms_text, seq_text) = match text.iter().position(|&b| b == b'-') {
        Some(dash) => (&text[..dash], Some(&text[dash + 1..])),
        None => (text, None),
    };
    let ms = string2ull(ms_text).ok_or_else(invalid)?;
    match seq_text {
        Some(b"*") if allow_star => Ok(ParsedId {
            id: StreamId { ms, seq: 0 },
            seq_given: false,
        }),
        Some(seq_text) => {
            let seq = string2ull(seq_text).ok_or_else(invalid)?;
            given(StreamId { ms, seq })
        }
        None => given(StreamId {
            ms,
            seq: missing_seq,
        }),
    }
}

/// `streamParseIDOrReply`: `-` and `+` allowed.
pub(crate) fn parse_id(arg: &[u8], missing_seq: u64) -> Result<StreamId, Reply> {
    parse_id_generic(arg, missing_seq, false, false).map(|parsed| parsed.id)
}

/// `streamParseStrictIDOrReply` without `ms-*`.
pub(crate) fn parse_strict_id(arg: &[u8], missing_seq: u64) -> Result<StreamId, Reply> {
    parse_id_generic(arg, missing_seq, true, false).map(|parsed| parsed.id)
}

/// `streamParseIntervalIDOrReply`: an ID, or `(ID` for an exclusive bound (then strict).
/// Returns the ID and whether it was exclusive.
pub(crate) fn parse_interval_id(arg: &[u8], missing_seq: u64) -> Result<(StreamId, bool), Reply> {
    if arg.len() > 1 && arg[0] == b'(' {
        Ok((parse_strict_id(&arg[1..], missing_seq)?, true))
    } else {
        Ok((parse_id(arg, missing_seq)?, false))
    }
}

#[cfg(test)]
mod tests {
    use super::{StreamId, parse_id, parse_id_generic, parse_interval_id, parse_strict_id};

    fn id(ms: u64, seq: u64) -> StreamId {
        StreamId { ms, seq }
    }

    #[test]
    fn ids_parse_like_redis() {
        assert_eq!(parse_id(b"1-2", 0), Ok(id(1, 2)));
        assert_eq!(parse_id(b"5", 7), Ok(id(5, 7)));
        assert_eq!(parse_id(b"-", 0), Ok(StreamId::MIN));
        assert_eq!(parse_id(b"+", 0), Ok(StreamId::MAX));
        assert_eq!(parse_id(b"01-02", 0), Ok(id(1, 2)));
        assert_eq!(parse_id(b" 3", 0), Ok(id(3, 0)));
        assert_eq!(
            parse_id(b"18446744073709551615-18446744073709551615", 0),
            Ok(StreamId::MAX)
        );
        for bad in [
            &b"18446744073709551616"[..],
            b"1-",
            b"-1",
            b"a",
            b"",
            b"1-2-3",
            b"1-*",
            &[b'1'; 200],
        ] {
            assert!(parse_id(bad, 0).is_err(), "{bad:?}");
        }
        assert!(parse_strict_id(b"+", 0).is_err());
        assert_eq!(parse_interval_id(b"(1-1", 0), Ok((id(1, 1), true)));
        assert!(parse_interval_id(b"(-", 0).is_err());
        let star = parse_id_generic(b"5-*", 0, true, true);
        assert_eq!(star.map(|p| (p.id, p.seq_given)), Ok((id(5, 0), false)));
    }

    #[test]
    fn successor_and_predecessor_stop_at_the_ends() {
        assert_eq!(StreamId::MAX.incr(), None);
        assert_eq!(StreamId::MIN.decr(), None);
        assert_eq!(id(1, u64::MAX).incr(), Some(id(2, 0)));
        assert_eq!(id(2, 0).decr(), Some(id(1, u64::MAX)));
    }
}
