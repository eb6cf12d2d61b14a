//! Sorted-set commands other than ranges and stores: `ZADD` (`NX`, `XX`, `GT`, `LT`, `CH`,
//! `INCR`), `ZINCRBY`, `ZSCORE`, `ZMSCORE`, `ZREM`, `ZCARD`, `ZCOUNT`, `ZRANK`, `ZREVRANK`,
//! `ZPOPMIN`, `ZPOPMAX`, `ZSCAN`, `ZREMRANGEBYRANK`, `ZREMRANGEBYSCORE`, following `t_zset.c`.

use super::Exec;
use super::args::{
    CmdResult, MIN_MAX_FLOAT, POSITIVE, SYNTAX, err, float_arg, int_arg, positive_arg,
};
use super::numfmt::{double_reply, fmt_d2string};
use super::scan::{page, parse_options, scan_reply};
use super::zrange::{parse_score_range, rank_range};
use crate::glob::glob_match;
use crate::reply::Reply;

const NAN_SCORE: &str = "ERR resulting score is not a number (NaN)";

/// `ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]`.
pub(crate) fn zadd(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let (mut nx, mut xx, mut gt, mut lt, mut ch, mut incr) =
        (false, false, false, false, false, false);
    let mut idx = 2;
    while let Some(opt) = args.get(idx) {
        match opt.to_ascii_lowercase().as_slice() {
            b"nx" => nx = true,
            b"xx" => xx = true,
            b"gt" => gt = true,
            b"lt" => lt = true,
            b"ch" => ch = true,
            b"incr" => incr = true,
            _ => break,
        }
        idx += 1;
    }
    let pairs = &args[idx..];
    if pairs.is_empty() || pairs.len() % 2 == 1 {
        return Err(err(SYNTAX));
    }
    if nx && xx {
        return Err(err(
            "ERR XX and NX options at the same time are not compatible",
        ));
    }
    if (gt && nx) || (lt && nx) || (gt && lt) {
        return Err(err(
            "ERR GT, LT, and/or NX options at the same time are not compatible",
        ));
    }
    if incr && pairs.len() > 2 {
        return Err(err(
            "ERR INCR option supports a single increment-element pair",
        ));
    }
    let scores = pairs
        .chunks(2)
        .map(|pair| float_arg(&pair[0]))
        .collect::<Result<Vec<f64>, Reply>>()?;
    let key = &args[1];
    if x.zset(key)?.is_none() && xx {
        return Ok(if incr { Reply::Nil } else { Reply::Integer(0) });
    }
    let zset = x.zset_or_create(key)?;
    let (mut added, mut updated, mut processed) = (0, 0, 0);
    let mut last_score = 0.0;
    let mut failed = false;
    for (pair, &score) in pairs.chunks(2).zip(&scores) {
        let member = &pair[1];
        match zset.score(member) {
            Some(current) => {
                if nx {
                    continue;
                }
                let score = if incr { score + current } else { score };
                if score.is_nan() {
                    failed = true;
                    break;
                }
                if (lt && score >= current) || (gt && score <= current) {
                    continue;
                }
                last_score = score;
                processed += 1;
                if score != current {
                    zset.insert(member, score);
                    updated += 1;
                }
            }
            None if !xx => {
                zset.insert(member, score);
                last_score = score;
                added += 1;
                processed += 1;
            }
            None => {}
        }
    }
    x.db().remove_if_empty(key);
    if failed {
        return Err(err(NAN_SCORE));
    }
    Ok(if incr {
        if processed > 0 {
            double_reply(last_score, x.resp)
        } else {
            Reply::Nil
        }
    } else {
        Reply::Integer(if ch { added + updated } else { added })
    })
}

/// `ZINCRBY key increment member`.
pub(crate) fn zincrby(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let incr = float_arg(&args[2])?;
    let zset = x.zset_or_create(&args[1])?;
    let score = incr + zset.score(&args[3]).unwrap_or(0.0);
    if score.is_nan() {
        x.db().remove_if_empty(&args[1]);
        return Err(err(NAN_SCORE));
    }
    if zset.score(&args[3]) != Some(score) {
        zset.insert(&args[3], score);
    }
    Ok(double_reply(score, x.resp))
}

/// `ZSCORE key member`.
pub(crate) fn zscore(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let score = x.zset(&args[1])?.and_then(|z| z.score(&args[2]));
    Ok(score.map_or(Reply::Nil, |s| double_reply(s, x.resp)))
}

/// `ZMSCORE key member...`.
pub(crate) fn zmscore(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let zset = x.zset(&args[1])?;
    let scores: Vec<Option<f64>> = args[2..]
        .iter()
        .map(|m| zset.and_then(|z| z.score(m)))
        .collect();
    let resp = x.resp;
    Ok(Reply::Array(
        scores
            .into_iter()
            .map(|s| s.map_or(Reply::Nil, |s| double_reply(s, resp)))
            .collect(),
    ))
}

/// `ZREM key member...`.
pub(crate) fn zrem(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let Some(zset) = x.zset_mut(&args[1])? else {
        return Ok(Reply::Integer(0));
    };
    let removed = args[2..].iter().filter(|m| zset.remove(m)).count();
    x.db().remove_if_empty(&args[1]);
    Ok(Reply::Integer(removed as i64))
}

/// `ZCARD key`.
pub(crate) fn zcard(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::Integer(
        x.zset(&args[1])?.map_or(0, |z| z.len()) as i64
    ))
}

/// `ZCOUNT key min max`.
pub(crate) fn zcount(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let (min, max) = parse_score_range(&args[2], &args[3]).ok_or_else(|| err(MIN_MAX_FLOAT))?;
    let count = x
        .zset(&args[1])?
        .map_or(0, |z| z.range_by_score(min, max).count());
    Ok(Reply::Integer(count as i64))
}

fn rank_generic(x: &mut Exec<'_>, args: &[Vec<u8>], reverse: bool) -> CmdResult {
    let Some(zset) = x.zset(&args[1])? else {
        return Ok(Reply::Nil);
    };
    let len = zset.len();
    Ok(zset.rank(&args[2]).map_or(Reply::Nil, |rank| {
        Reply::Integer(if reverse { len - 1 - rank } else { rank } as i64)
    }))
}

/// `ZRANK key member`.
pub(crate) fn zrank(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    rank_generic(x, args, false)
}

/// `ZREVRANK key member`.
pub(crate) fn zrevrank(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    rank_generic(x, args, true)
}

fn pop_generic(x: &mut Exec<'_>, args: &[Vec<u8>], max: bool) -> CmdResult {
    if args.len() > 3 {
        return Err(err(SYNTAX));
    }
    let count = match args.get(2) {
        Some(text) => Some(positive_arg(text, POSITIVE)?),
        None => None,
    };
    let nested = x.resp >= 3 && count.is_some();
    let resp = x.resp;
    let Some(zset) = x.zset_mut(&args[1])? else {
        return Ok(Reply::Array(Vec::new()));
    };
    let n = usize::try_from(count.unwrap_or(1))
        .unwrap_or(usize::MAX)
        .min(zset.len());
    let mut popped = Vec::with_capacity(n);
    for _ in 0..n {
        let next = if max {
            zset.iter().next_back()
        } else {
            zset.iter().next()
        };
        let Some((member, score)) = next.map(|(m, s)| (m.to_vec(), s)) else {
            break;
        };
        zset.remove(&member);
        popped.push((member, score));
    }
    x.db().remove_if_empty(&args[1]);
    let reply = if nested {
        popped
            .into_iter()
            .map(|(m, s)| Reply::Array(vec![Reply::Bulk(m), double_reply(s, resp)]))
            .collect()
    } else {
        popped
            .into_iter()
            .flat_map(|(m, s)| [Reply::Bulk(m), double_reply(s, resp)])
            .collect()
    };
    Ok(Reply::Array(reply))
}

/// `ZPOPMIN key [count]`.
pub(crate) fn zpopmin(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    pop_generic(x, args, false)
}

/// `ZPOPMAX key [count]`.
pub(crate) fn zpopmax(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    pop_generic(x, args, true)
}

/// `ZSCAN key cursor [MATCH pattern] [COUNT count]`. Sorted sets of up to 128 members come
/// back whole in score order, as Redis's listpack sorted sets do.
pub(crate) fn zscan(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let opts = parse_options(args, 2, false)?;
    let Some(zset) = x.zset(&args[1])? else {
        return Ok(scan_reply(0, Vec::new()));
    };
    let (taken, cursor) = if zset.len() <= 128 {
        (zset.iter().collect(), 0)
    } else {
        page(zset.iter(), opts.cursor, opts.count)
    };
    let elements = taken
        .into_iter()
        .filter(|(m, _)| opts.pattern.as_ref().is_none_or(|p| glob_match(p, m)))
        .flat_map(|(m, s)| [Reply::Bulk(m.to_vec()), Reply::Bulk(fmt_d2string(s))])
        .collect();
    Ok(scan_reply(cursor, elements))
}

/// Removes `members` from the sorted set under `key`; returns how many.
fn remove_members(x: &mut Exec<'_>, key: &[u8], members: Vec<Vec<u8>>) -> CmdResult {
    if let Some(zset) = x.zset_mut(key)? {
        for member in &members {
            zset.remove(member);
        }
    }
    x.db().remove_if_empty(key);
    Ok(Reply::Integer(members.len() as i64))
}

/// `ZREMRANGEBYRANK key start stop`.
pub(crate) fn zremrangebyrank(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let start = int_arg(&args[2])?;
    let end = int_arg(&args[3])?;
    let Some(zset) = x.zset(&args[1])? else {
        return Ok(Reply::Integer(0));
    };
    let members = match rank_range(start, end, zset.len()) {
        Some((start, end)) => zset
            .iter()
            .skip(start)
            .take(end - start + 1)
            .map(|(m, _)| m.to_vec())
            .collect(),
        None => Vec::new(),
    };
    remove_members(x, &args[1], members)
}

/// `ZREMRANGEBYSCORE key min max`.
pub(crate) fn zremrangebyscore(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let (min, max) = parse_score_range(&args[2], &args[3]).ok_or_else(|| err(MIN_MAX_FLOAT))?;
    let Some(zset) = x.zset(&args[1])? else {
        return Ok(Reply::Integer(0));
    };
    let members = zset
        .range_by_score(min, max)
        .map(|(m, _)| m.to_vec())
        .collect();
    remove_members(x, &args[1], members)
}
