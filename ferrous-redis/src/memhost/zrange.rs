//! The range commands of sorted sets: `ZRANGE` (`BYSCORE`, `BYLEX`, `REV`, `LIMIT`,
//! `WITHSCORES`), `ZRANGEBYSCORE`, `ZREVRANGE`, `ZREVRANGEBYSCORE`, `ZRANGEBYLEX`,
//! `ZREVRANGEBYLEX`, `ZLEXCOUNT`, and the range parsing they share with `ZCOUNT` and
//! `ZREMRANGEBYSCORE` (`zrangeGenericCommand` in `t_zset.c`).

use super::Exec;
use super::args::{CmdResult, MIN_MAX_FLOAT, SYNTAX, err, int_arg, is_kw, parse_range_f64};
use super::keyspace::Value;
use super::numfmt::double_reply;
use super::zset::{ScoreBound, ZSet};
use crate::reply::Reply;

const BAD_LEX: &str = "ERR min or max not valid string range item";

/// `zslParseRange`: `1.5`, `(1.5`, `-inf`, `+inf`.
pub(crate) fn parse_score_range(min: &[u8], max: &[u8]) -> Option<(ScoreBound, ScoreBound)> {
    let bound = |text: &[u8]| -> Option<ScoreBound> {
        match text.split_first() {
            Some((b'(', rest)) => Some(ScoreBound {
                value: parse_range_f64(rest)?,
                exclusive: true,
            }),
            _ => Some(ScoreBound {
                value: parse_range_f64(text)?,
                exclusive: false,
            }),
        }
    };
    Some((bound(min)?, bound(max)?))
}

/// One end of a lexicographic range.
#[derive(Clone, Debug)]
enum LexBound {
    /// `-`: below every member.
    Min,
    /// `+`: above every member.
    Max,
    /// `[member` (inclusive) or `(member` (exclusive).
    Member { bytes: Vec<u8>, exclusive: bool },
}

/// `zslParseLexRangeItem`.
fn parse_lex_bound(text: &[u8]) -> Option<LexBound> {
    match text {
        [b'+'] => Some(LexBound::Max),
        [b'-'] => Some(LexBound::Min),
        [b'(', rest @ ..] => Some(LexBound::Member {
            bytes: rest.to_vec(),
            exclusive: true,
        }),
        [b'[', rest @ ..] => Some(LexBound::Member {
            bytes: rest.to_vec(),
            exclusive: false,
        }),
        _ => None,
    }
}

fn parse_lex_range(min: &[u8], max: &[u8]) -> Option<(LexBound, LexBound)> {
    Some((parse_lex_bound(min)?, parse_lex_bound(max)?))
}

fn above_min(member: &[u8], min: &LexBound) -> bool {
    match min {
        LexBound::Min => true,
        LexBound::Max => false,
        LexBound::Member { bytes, exclusive } => {
            if *exclusive {
                member > bytes.as_slice()
            } else {
                member >= bytes.as_slice()
            }
        }
    }
}

fn below_max(member: &[u8], max: &LexBound) -> bool {
    match max {
        LexBound::Min => false,
        LexBound::Max => true,
        LexBound::Member { bytes, exclusive } => {
            if *exclusive {
                member < bytes.as_slice()
            } else {
                member <= bytes.as_slice()
            }
        }
    }
}

/// Whether a lex range can hold nothing whatever the members (`zslParseLexRange`'s check).
fn lex_range_is_empty(min: &LexBound, max: &LexBound) -> bool {
    fn rank(bound: &LexBound) -> (u8, &[u8], bool) {
        match bound {
            LexBound::Min => (0, &[], true),
            LexBound::Member { bytes, exclusive } => (1, bytes.as_slice(), *exclusive),
            LexBound::Max => (2, &[], true),
        }
    }
    let (min_rank, min_bytes, min_ex) = rank(min);
    let (max_rank, max_bytes, max_ex) = rank(max);
    match (min_rank, min_bytes).cmp(&(max_rank, max_bytes)) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Equal => min_ex || max_ex,
        std::cmp::Ordering::Less => false,
    }
}

/// The members a lex range selects, walked exactly as Redis walks a listpack: it finds the
/// first member at or above `min` (the last at or below `max` when reversed), skips `offset`
/// members, then takes members until one is past the far end. Lex ranges are meant for members
/// of equal score; with mixed scores this gives what Redis gives for small sorted sets.
fn lex_walk<'a>(
    zset: &'a ZSet,
    min: &LexBound,
    max: &LexBound,
    reverse: bool,
    offset: i64,
    limit: i64,
) -> Vec<(&'a [u8], f64)> {
    let all: Vec<(&[u8], f64)> = zset.iter().collect();
    let (Some(first), Some(last)) = (all.first(), all.last()) else {
        return Vec::new();
    };
    if lex_range_is_empty(min, max) || !above_min(last.0, min) || !below_max(first.0, max) {
        return Vec::new();
    }
    let start = if reverse {
        all.iter()
            .rposition(|(m, _)| below_max(m, max))
            .filter(|&i| above_min(all[i].0, min))
    } else {
        all.iter()
            .position(|(m, _)| above_min(m, min))
            .filter(|&i| below_max(all[i].0, max))
    };
    let Some(start) = start else {
        return Vec::new();
    };
    if offset < 0 {
        return Vec::new();
    }
    let offset = usize::try_from(offset).unwrap_or(usize::MAX);
    let walk: Box<dyn Iterator<Item = &(&[u8], f64)>> = if reverse {
        Box::new(all[..=start].iter().rev().skip(offset))
    } else {
        Box::new(all[start..].iter().skip(offset))
    };
    let limit = if limit < 0 {
        usize::MAX
    } else {
        usize::try_from(limit).unwrap_or(usize::MAX)
    };
    walk.take(limit)
        .take_while(|(m, _)| {
            if reverse {
                above_min(m, min)
            } else {
                below_max(m, max)
            }
        })
        .copied()
        .collect()
}

/// Redis's rank sanitising (LRANGE, LTRIM, ZRANGE): the inclusive `start..=end` within `len`
/// elements, or `None` when empty.
pub(crate) fn rank_range(start: i64, end: i64, len: usize) -> Option<(usize, usize)> {
    let len = len as i64;
    let start = if start < 0 {
        len.saturating_add(start)
    } else {
        start
    }
    .max(0);
    let end = if end < 0 {
        len.saturating_add(end)
    } else {
        end
    };
    if start > end || start >= len {
        return None;
    }
    Some((start as usize, end.min(len - 1) as usize))
}

/// How a range is selected.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RangeType {
    Auto,
    Rank,
    Score,
    Lex,
}

/// `zrangeGenericCommand` for a client reply: `kind`/`rev` preset by the legacy commands.
fn zrange_generic(
    x: &mut Exec<'_>,
    args: &[Vec<u8>],
    mut kind: RangeType,
    rev: Option<bool>,
    store: bool,
) -> CmdResult {
    // `ZRANGESTORE dst src ...` has everything one argument later.
    let base = if store { 2 } else { 1 };
    let mut reverse = rev;
    let (mut with_scores, mut offset, mut limit) = (false, 0i64, -1i64);
    let mut idx = base + 3;
    while let Some(opt) = args.get(idx) {
        let left = args.len() - idx - 1;
        if !store && is_kw(opt, "withscores") {
            with_scores = true;
        } else if is_kw(opt, "limit") && left >= 2 {
            offset = int_arg(&args[idx + 1])?;
            limit = int_arg(&args[idx + 2])?;
            idx += 2;
        } else if reverse.is_none() && is_kw(opt, "rev") {
            reverse = Some(true);
        } else if kind == RangeType::Auto && is_kw(opt, "bylex") {
            kind = RangeType::Lex;
        } else if kind == RangeType::Auto && is_kw(opt, "byscore") {
            kind = RangeType::Score;
        } else {
            return Err(err(SYNTAX));
        }
        idx += 1;
    }
    let reverse = reverse.unwrap_or(false);
    if kind == RangeType::Auto {
        kind = RangeType::Rank;
    }
    if limit != -1 && kind == RangeType::Rank {
        return Err(err(
            "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
        ));
    }
    if with_scores && kind == RangeType::Lex {
        return Err(err(
            "ERR syntax error, WITHSCORES not supported in combination with BYLEX",
        ));
    }
    let (mut min_arg, mut max_arg) = (&args[base + 1], &args[base + 2]);
    if reverse && kind != RangeType::Rank {
        std::mem::swap(&mut min_arg, &mut max_arg);
    }
    enum Spec {
        Rank(i64, i64),
        Score(ScoreBound, ScoreBound),
        Lex(LexBound, LexBound),
    }
    let spec = match kind {
        RangeType::Score => {
            let (min, max) =
                parse_score_range(min_arg, max_arg).ok_or_else(|| err(MIN_MAX_FLOAT))?;
            Spec::Score(min, max)
        }
        RangeType::Lex => {
            let (min, max) = parse_lex_range(min_arg, max_arg).ok_or_else(|| err(BAD_LEX))?;
            Spec::Lex(min, max)
        }
        _ => Spec::Rank(int_arg(min_arg)?, int_arg(max_arg)?),
    };
    let resp = x.resp;
    let Some(zset) = x.zset(&args[base])? else {
        if store {
            x.db().remove(&args[1]);
            return Ok(Reply::Integer(0));
        }
        return Ok(Reply::Array(Vec::new()));
    };
    let picked: Vec<(&[u8], f64)> = match &spec {
        Spec::Rank(start, end) => match rank_range(*start, *end, zset.len()) {
            Some((start, end)) => {
                let count = end - start + 1;
                if reverse {
                    zset.iter().rev().skip(start).take(count).collect()
                } else {
                    zset.iter().skip(start).take(count).collect()
                }
            }
            None => Vec::new(),
        },
        Spec::Score(min, max) => {
            let range = zset.range_by_score(*min, *max);
            apply_limit(
                if reverse {
                    Box::new(range.rev())
                } else {
                    Box::new(range)
                },
                offset,
                limit,
                zset.len(),
            )
        }
        Spec::Lex(min, max) => lex_walk(zset, min, max, reverse, offset, limit),
    };
    if store {
        let mut stored = ZSet::new();
        for (member, score) in &picked {
            stored.insert(member, *score);
        }
        let len = stored.len();
        if len == 0 {
            x.db().remove(&args[1]);
        } else {
            x.db().set(&args[1], Value::ZSet(stored));
        }
        return Ok(Reply::Integer(len as i64));
    }
    let reply = if !with_scores {
        picked
            .into_iter()
            .map(|(m, _)| Reply::Bulk(m.to_vec()))
            .collect()
    } else if resp >= 3 {
        picked
            .into_iter()
            .map(|(m, s)| Reply::Array(vec![Reply::Bulk(m.to_vec()), double_reply(s, resp)]))
            .collect()
    } else {
        picked
            .into_iter()
            .flat_map(|(m, s)| [Reply::Bulk(m.to_vec()), double_reply(s, resp)])
            .collect()
    };
    Ok(Reply::Array(reply))
}

/// `LIMIT offset count` as Redis applies it: a negative offset (or one past the end) gives
/// nothing, a negative count means all.
fn apply_limit<'a>(
    range: Box<dyn Iterator<Item = (&'a [u8], f64)> + 'a>,
    offset: i64,
    limit: i64,
    len: usize,
) -> Vec<(&'a [u8], f64)> {
    if offset < 0 || (offset > 0 && offset as u64 >= len as u64) {
        return Vec::new();
    }
    let range = range.skip(offset as usize);
    if limit < 0 {
        range.collect()
    } else {
        range
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .collect()
    }
}

/// `ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]`.
pub(crate) fn zrange(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    zrange_generic(x, args, RangeType::Auto, None, false)
}

/// `ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]`.
pub(crate) fn zrangebyscore(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    zrange_generic(x, args, RangeType::Score, Some(false), false)
}

/// `ZREVRANGE key start stop [WITHSCORES]`.
pub(crate) fn zrevrange(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    zrange_generic(x, args, RangeType::Rank, Some(true), false)
}

/// `ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]`.
pub(crate) fn zrevrangebyscore(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    zrange_generic(x, args, RangeType::Score, Some(true), false)
}

/// `ZRANGEBYLEX key min max [LIMIT offset count]`.
pub(crate) fn zrangebylex(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    zrange_generic(x, args, RangeType::Lex, Some(false), false)
}

/// `ZREVRANGEBYLEX key max min [LIMIT offset count]`.
pub(crate) fn zrevrangebylex(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    zrange_generic(x, args, RangeType::Lex, Some(true), false)
}

/// `ZLEXCOUNT key min max`.
pub(crate) fn zlexcount(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let (min, max) = parse_lex_range(&args[2], &args[3]).ok_or_else(|| err(BAD_LEX))?;
    let count = x
        .zset(&args[1])?
        .map_or(0, |z| lex_walk(z, &min, &max, false, 0, -1).len());
    Ok(Reply::Integer(count as i64))
}

/// `ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]`.
pub(crate) fn zrangestore(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    zrange_generic(x, args, RangeType::Auto, None, true)
}

/// `ZREMRANGEBYLEX key min max`.
pub(crate) fn zremrangebylex(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let (min, max) = parse_lex_range(&args[2], &args[3]).ok_or_else(|| err(BAD_LEX))?;
    let Some(zset) = x.zset_mut(&args[1])? else {
        return Ok(Reply::Integer(0));
    };
    let members: Vec<Vec<u8>> = lex_walk(zset, &min, &max, false, 0, -1)
        .into_iter()
        .map(|(m, _)| m.to_vec())
        .collect();
    for member in &members {
        zset.remove(member);
    }
    x.db().remove_if_empty(&args[1]);
    Ok(Reply::Integer(members.len() as i64))
}
