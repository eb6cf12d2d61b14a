//! `LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]`: the longest common subsequence
//! of two strings, by Redis's dynamic programme and its walk back for match ranges.

use super::Exec;
use super::args::{CmdResult, MAX_STRING, SYNTAX, err, int_arg, is_kw};
use super::keyspace::Value;
use crate::reply::Reply;

/// `LCS key1 key2 ...`.
pub(crate) fn lcs(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let mut text = |key: &[u8]| match x.get(key) {
        None => Ok(Vec::new()),
        Some(Value::Str(value)) => Ok(value.clone()),
        Some(_) => Err(err("ERR The specified keys must contain string values")),
    };
    let a = text(&args[1])?;
    let b = text(&args[2])?;
    let (mut get_len, mut get_idx, mut with_match_len, mut min_match_len) =
        (false, false, false, 0u64);
    let mut idx = 3;
    while let Some(opt) = args.get(idx) {
        if is_kw(opt, "idx") {
            get_idx = true;
        } else if is_kw(opt, "len") {
            get_len = true;
        } else if is_kw(opt, "withmatchlen") {
            with_match_len = true;
        } else if is_kw(opt, "minmatchlen") && idx + 1 < args.len() {
            min_match_len = int_arg(&args[idx + 1])?.max(0) as u64;
            idx += 1;
        } else {
            return Err(err(SYNTAX));
        }
        idx += 1;
    }
    if get_len && get_idx {
        return Err(err(
            "ERR If you want both the length and indexes, please just use IDX.",
        ));
    }
    let (a_len, b_len) = (a.len(), b.len());
    let cells = (a_len as u64 + 1).saturating_mul(b_len as u64 + 1);
    if cells.saturating_mul(4) > MAX_STRING as u64 {
        return Err(err(
            "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len",
        ));
    }
    let width = b_len + 1;
    let mut table = vec![0u32; cells as usize];
    for i in 1..=a_len {
        for j in 1..=b_len {
            table[i * width + j] = if a[i - 1] == b[j - 1] {
                table[(i - 1) * width + j - 1] + 1
            } else {
                table[(i - 1) * width + j].max(table[i * width + j - 1])
            };
        }
    }
    let total = table[a_len * width + b_len];
    if get_len {
        return Ok(Reply::Integer(i64::from(total)));
    }
    let mut result = vec![0u8; total as usize];
    let mut matches = Vec::new();
    let (mut i, mut j, mut pos) = (a_len, b_len, total as usize);
    // `a_start == a_len` means no range is open.
    let (mut a_start, mut a_end, mut b_start, mut b_end) = (a_len, 0, 0, 0);
    while i > 0 && j > 0 {
        let mut emit = false;
        if a[i - 1] == b[j - 1] {
            result[pos - 1] = a[i - 1];
            if a_start == a_len {
                (a_start, a_end, b_start, b_end) = (i - 1, i - 1, j - 1, j - 1);
            } else if a_start == i && b_start == j {
                a_start -= 1;
                b_start -= 1;
            } else {
                emit = true;
            }
            if a_start == 0 || b_start == 0 {
                emit = true;
            }
            pos -= 1;
            i -= 1;
            j -= 1;
        } else {
            if table[(i - 1) * width + j] > table[i * width + j - 1] {
                i -= 1;
            } else {
                j -= 1;
            }
            if a_start != a_len {
                emit = true;
            }
        }
        if emit {
            // A range is open whenever one is emitted.
            let match_len = (a_end + 1).saturating_sub(a_start) as u64;
            if get_idx && (min_match_len == 0 || match_len >= min_match_len) {
                let range = |s: usize, e: usize| {
                    Reply::Array(vec![Reply::Integer(s as i64), Reply::Integer(e as i64)])
                };
                let mut entry = vec![range(a_start, a_end), range(b_start, b_end)];
                if with_match_len {
                    entry.push(Reply::Integer(match_len as i64));
                }
                matches.push(Reply::Array(entry));
            }
            a_start = a_len;
        }
    }
    if !get_idx {
        return Ok(Reply::Bulk(result));
    }
    let pairs = vec![
        (Reply::Bulk(b"matches".to_vec()), Reply::Array(matches)),
        (
            Reply::Bulk(b"len".to_vec()),
            Reply::Integer(i64::from(total)),
        ),
    ];
    Ok(if x.resp >= 3 {
        Reply::Map(pairs)
    } else {
        Reply::Array(pairs.into_iter().flat_map(|(k, v)| [k, v]).collect())
    })
}
