//! `SORT` and `SORT_RO`, following `sort.c`: `BY pattern` (`nosort`, hash fields with `->`),
//! `LIMIT offset count`, `GET pattern...` (`#` for the element), `ASC`/`DESC`, `ALPHA`,
//! `STORE destination`.
//!
//! Numeric sorts break ties by the elements' bytes, as Redis does, so they are deterministic;
//! `ALPHA` compares bytes (Redis uses `strcoll`, which is byte order in the C and C.UTF-8
//! locales). FIXME: `ALPHA` with `BY` leaves ties in Redis's `qsort` order, which is not
//! reproduced.

use std::cmp::Ordering;
use std::collections::VecDeque;

use super::Exec;
use super::args::{CmdResult, SYNTAX, err, int_arg, is_kw, wrongtype};
use super::hexfloat::parse_hex;
use super::keyspace::Value;
use super::sets::members;
use crate::reply::Reply;

/// `lookupKeyByPattern`: the string (or hash field, with `->field`) that `pattern` names for
/// `element`; `#` is the element itself.
fn lookup_by_pattern(x: &mut Exec<'_>, pattern: &[u8], element: &[u8]) -> Option<Vec<u8>> {
    if pattern == b"#" {
        return Some(element.to_vec());
    }
    // Redis reads the pattern as a C string.
    let pattern = &pattern[..pattern
        .iter()
        .position(|&b| b == 0)
        .unwrap_or(pattern.len())];
    let star = pattern.iter().position(|&b| b == b'*')?;
    let after = &pattern[star + 1..];
    let arrow = after
        .windows(2)
        .position(|w| w == b"->")
        .filter(|&at| at + 2 < after.len());
    let (postfix, field) = match arrow {
        Some(at) => (&after[..at], Some(&after[at + 2..])),
        None => (after, None),
    };
    let mut key = pattern[..star].to_vec();
    key.extend_from_slice(element);
    key.extend_from_slice(postfix);
    match (x.get(&key)?, field) {
        (Value::Hash(hash), Some(field)) => hash.get(field).cloned(),
        (Value::Str(text), None) => Some(text.clone()),
        _ => None,
    }
}

/// The `strtod` of `SORT`: leading spaces allowed, an empty string is 0, no overflow or
/// underflow, nothing after the number.
fn sort_score(text: &[u8]) -> Option<f64> {
    let end = text.iter().position(|&b| b == 0).unwrap_or(text.len());
    let text = &text[..end];
    let start = text
        .iter()
        .position(|&b| !matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
        .unwrap_or(text.len());
    let text = &text[start..];
    if text.is_empty() {
        return Some(0.0);
    }
    if let Some(hex) = parse_hex(text) {
        let value = hex.to_f64();
        return (value.is_finite() && (value != 0.0 || hex.mantissa.is_zero())).then_some(value);
    }
    let lowered = std::str::from_utf8(text).ok()?.to_ascii_lowercase();
    let unsigned = lowered.trim_start_matches(['+', '-']);
    if unsigned.len() + 1 < lowered.len() {
        return None;
    }
    let is_inf = unsigned == "inf" || unsigned == "infinity";
    if !is_inf
        && !unsigned
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'+' | b'-'))
    {
        return None;
    }
    let value: f64 = lowered.parse().ok()?;
    let mantissa = unsigned.split('e').next().unwrap_or_default();
    let underflow = value == 0.0 && mantissa.bytes().any(|b| (b'1'..=b'9').contains(&b));
    let overflow = value.is_infinite() && !is_inf;
    // glibc reports subnormal results as out of range too.
    let subnormal = value != 0.0 && value.is_finite() && !value.is_normal();
    (!underflow && !overflow && !subnormal && !value.is_nan()).then_some(value)
}

/// One element being sorted, with what it sorts by.
struct Item {
    element: Vec<u8>,
    score: f64,
    by: Option<Vec<u8>>,
}

fn sort_generic(x: &mut Exec<'_>, args: &[Vec<u8>], readonly: bool) -> CmdResult {
    let (mut desc, mut alpha) = (false, false);
    let (mut limit_start, mut limit_count) = (0i64, -1i64);
    let mut store: Option<&Vec<u8>> = None;
    let mut by: Option<&Vec<u8>> = None;
    let mut dont_sort = false;
    let mut gets: Vec<&Vec<u8>> = Vec::new();
    let mut idx = 2;
    while let Some(opt) = args.get(idx) {
        let left = args.len() - idx - 1;
        if is_kw(opt, "asc") {
            desc = false;
        } else if is_kw(opt, "desc") {
            desc = true;
        } else if is_kw(opt, "alpha") {
            alpha = true;
        } else if is_kw(opt, "limit") && left >= 2 {
            limit_start = int_arg(&args[idx + 1])?;
            limit_count = int_arg(&args[idx + 2])?;
            idx += 2;
        } else if !readonly && is_kw(opt, "store") && left >= 1 {
            store = Some(&args[idx + 1]);
            idx += 1;
        } else if is_kw(opt, "by") && left >= 1 {
            by = Some(&args[idx + 1]);
            dont_sort = !args[idx + 1].contains(&b'*');
            idx += 1;
        } else if is_kw(opt, "get") && left >= 1 {
            gets.push(&args[idx + 1]);
            idx += 1;
        } else {
            return Err(err(SYNTAX));
        }
        idx += 1;
    }
    let source = match x.get(&args[1]) {
        None => Value::List(VecDeque::new()),
        Some(value @ (Value::List(_) | Value::Set(_) | Value::ZSet(_))) => value.clone(),
        Some(_) => return Err(wrongtype()),
    };
    if dont_sort && matches!(source, Value::Set(_)) && (store.is_some() || x.from_script) {
        // Sets have no order: scripts and STORE get a deterministic one.
        dont_sort = false;
        alpha = true;
        by = None;
    }
    let len = match &source {
        Value::List(list) => list.len(),
        Value::Set(set) => set.len(),
        Value::ZSet(zset) => zset.len(),
        _ => 0,
    } as i64;
    let mut start = limit_start.max(0).min(len);
    let limit_count = limit_count.max(-1).min(len);
    let mut end = if limit_count < 0 {
        len - 1
    } else {
        start + limit_count - 1
    };
    if start >= len {
        start = len - 1;
        end = len - 2;
    }
    if end >= len {
        end = len - 1;
    }
    let elements: Vec<Vec<u8>> = match &source {
        Value::List(list) if dont_sort => {
            let picked: Vec<Vec<u8>> = if end >= start {
                let count = (end - start + 1) as usize;
                if desc {
                    list.iter()
                        .rev()
                        .skip(start as usize)
                        .take(count)
                        .cloned()
                        .collect()
                } else {
                    list.iter()
                        .skip(start as usize)
                        .take(count)
                        .cloned()
                        .collect()
                }
            } else {
                Vec::new()
            };
            end -= start;
            start = 0;
            picked
        }
        Value::ZSet(zset) if dont_sort => {
            let count = (end - start + 1).max(0) as usize;
            let picked = if desc {
                zset.iter()
                    .rev()
                    .skip(start.max(0) as usize)
                    .take(count)
                    .map(|(m, _)| m.to_vec())
                    .collect()
            } else {
                zset.iter()
                    .skip(start.max(0) as usize)
                    .take(count)
                    .map(|(m, _)| m.to_vec())
                    .collect()
            };
            end -= start;
            start = 0;
            picked
        }
        Value::List(list) => list.iter().cloned().collect(),
        Value::Set(set) => members(set),
        Value::ZSet(zset) => zset.iter().map(|(m, _)| m.to_vec()).collect(),
        _ => Vec::new(),
    };
    let mut items: Vec<Item> = elements
        .into_iter()
        .map(|element| Item {
            element,
            score: 0.0,
            by: None,
        })
        .collect();
    if !dont_sort {
        let mut conversion_error = false;
        for item in &mut items {
            let value = match by {
                Some(pattern) => match lookup_by_pattern(x, pattern, &item.element) {
                    Some(value) => value,
                    None => continue,
                },
                None => item.element.clone(),
            };
            if alpha {
                if by.is_some() {
                    item.by = Some(value);
                }
            } else {
                match sort_score(&value) {
                    Some(score) => item.score = score,
                    None => conversion_error = true,
                }
            }
        }
        if conversion_error {
            return Err(err("ERR One or more scores can't be converted into double"));
        }
        let by_pattern = by.is_some();
        items.sort_by(|a, b| {
            let cmp = if !alpha {
                a.score
                    .partial_cmp(&b.score)
                    .unwrap_or(Ordering::Equal)
                    .then_with(|| a.element.cmp(&b.element))
            } else if by_pattern {
                match (&a.by, &b.by) {
                    (None, None) => Ordering::Equal,
                    (None, Some(_)) => Ordering::Less,
                    (Some(_), None) => Ordering::Greater,
                    (Some(a), Some(b)) => a.cmp(b),
                }
            } else {
                a.element.cmp(&b.element)
            };
            if desc { cmp.reverse() } else { cmp }
        });
    }
    let picked: Vec<Vec<u8>> = if end >= start {
        items
            .into_iter()
            .skip(start as usize)
            .take((end - start + 1) as usize)
            .map(|item| item.element)
            .collect()
    } else {
        Vec::new()
    };
    let mut output: Vec<Option<Vec<u8>>> = Vec::new();
    for element in &picked {
        if gets.is_empty() {
            output.push(Some(element.clone()));
        }
        for pattern in &gets {
            output.push(lookup_by_pattern(x, pattern, element));
        }
    }
    match store {
        None => Ok(Reply::Array(
            output
                .into_iter()
                .map(|v| v.map_or(Reply::Nil, Reply::Bulk))
                .collect(),
        )),
        Some(dest) => {
            let len = output.len();
            if len == 0 {
                x.db().remove(dest);
            } else {
                let list: VecDeque<Vec<u8>> =
                    output.into_iter().map(Option::unwrap_or_default).collect();
                x.db().set(dest, Value::List(list));
            }
            Ok(Reply::Integer(len as i64))
        }
    }
}

/// `SORT key [BY pattern] [LIMIT offset count] [GET pattern...] [ASC|DESC] [ALPHA]
/// [STORE destination]`.
pub(crate) fn sort(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    sort_generic(x, args, false)
}

/// `SORT_RO`: `SORT` without `STORE`.
pub(crate) fn sort_ro(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    sort_generic(x, args, true)
}
