//! The cursor scheme of `SCAN`, `HSCAN`, `SSCAN` and `ZSCAN`, and their options.
//!
//! An element's place in the iteration is a fixed hash of its bytes (FNV-1a, top bit cleared,
//! never 0), so it does not move when others are added or removed. A cursor is the place to go
//! on from; a page holds the `COUNT` elements with the smallest places at or after it (plus any
//! that share the last place), and the next cursor is the place of the first element left out,
//! or 0 at the end. So, as Redis promises, an element present from the first call to the last is
//! returned at least once, and one that is never present is never returned.

use super::args::{SYNTAX, err, int_arg, is_kw};
use crate::reply::Reply;

/// Parsed `cursor [MATCH pattern] [COUNT count] [TYPE type]`.
pub(crate) struct ScanOptions {
    pub(crate) cursor: u64,
    pub(crate) pattern: Option<Vec<u8>>,
    pub(crate) count: usize,
    pub(crate) type_name: Option<Vec<u8>>,
}

/// `strtoul`, as `parseScanCursorOrReply` uses it.
pub(crate) fn parse_cursor(bytes: &[u8]) -> Result<u64, Reply> {
    let invalid = || err("ERR invalid cursor");
    if bytes
        .first()
        .is_some_and(|b| b.is_ascii_whitespace() || *b == 0x0b)
    {
        return Err(invalid());
    }
    let (negative, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, bytes),
    };
    if digits.is_empty() {
        // strtoul parses nothing and stops at the end: cursor 0 (only for an empty string).
        return if bytes.is_empty() {
            Ok(0)
        } else {
            Err(invalid())
        };
    }
    let mut value: u64 = 0;
    for &byte in digits {
        if !byte.is_ascii_digit() {
            return Err(invalid());
        }
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(byte - b'0')))
            .ok_or_else(invalid)?;
    }
    Ok(if negative {
        value.wrapping_neg()
    } else {
        value
    })
}

/// Parses the options from `args[first]` on (`TYPE` only for `SCAN`), after the cursor.
pub(crate) fn parse_options(
    args: &[Vec<u8>],
    first: usize,
    allow_type: bool,
    cursor: u64,
) -> Result<ScanOptions, Reply> {
    let mut options = ScanOptions {
        cursor,
        pattern: None,
        count: 10,
        type_name: None,
    };
    let mut idx = first;
    while let Some(arg) = args.get(idx) {
        let value = args.get(idx + 1);
        match value {
            Some(value) if is_kw(arg, "count") => {
                let count = int_arg(value)?;
                if count < 1 {
                    return Err(err(SYNTAX));
                }
                options.count = usize::try_from(count).unwrap_or(usize::MAX);
            }
            Some(value) if is_kw(arg, "match") => {
                options.pattern = (value.as_slice() != b"*").then(|| value.clone());
            }
            Some(value) if allow_type && is_kw(arg, "type") => {
                options.type_name = Some(value.clone());
            }
            _ => return Err(err(SYNTAX)),
        }
        idx += 2;
    }
    Ok(options)
}

/// An element's fixed place in the iteration order.
fn place(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    (hash >> 1).max(1)
}

/// One page of `items` (each with its bytes) after `cursor`: the items and the next cursor.
pub(crate) fn page<'a, T>(
    items: impl Iterator<Item = (&'a [u8], T)>,
    cursor: u64,
    count: usize,
) -> (Vec<(&'a [u8], T)>, u64) {
    let mut placed: Vec<(u64, &'a [u8], T)> = items
        .map(|(bytes, item)| (place(bytes), bytes, item))
        .filter(|(at, _, _)| *at >= cursor)
        .collect();
    placed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    let mut taken = Vec::new();
    let mut next_cursor = 0;
    let mut last_place = None;
    for (at, bytes, item) in placed {
        if taken.len() >= count && last_place != Some(at) {
            next_cursor = at;
            break;
        }
        last_place = Some(at);
        taken.push((bytes, item));
    }
    (taken, next_cursor)
}

/// The `[cursor, [elements...]]` reply.
pub(crate) fn scan_reply(cursor: u64, elements: Vec<Reply>) -> Reply {
    Reply::Array(vec![
        Reply::Bulk(cursor.to_string().into_bytes()),
        Reply::Array(elements),
    ])
}
