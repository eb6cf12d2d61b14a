//! Pops across several keys: `LMPOP`, `ZMPOP`, and the blocking forms `BLPOP`, `BRPOP`,
//! `BLMOVE`, `BRPOPLPUSH`, `BLMPOP`, `BZPOPMIN`, `BZPOPMAX`, `BZMPOP`.
//!
//! A host cannot block, so the blocking forms behave as Redis makes them behave inside scripts
//! (`CLIENT_DENY_BLOCKING`): they pop when there is something to pop, and otherwise answer as if
//! the timeout had passed. Their timeout is still parsed and checked as Redis does.

use super::Exec;
use super::args::{CmdResult, SYNTAX, err, is_kw, parse_i64};
use super::lists::{End, move_generic, parse_end, pop_n};
use super::longdouble;
use super::numfmt::double_reply;
use super::zsets::pop_scored;
use crate::reply::Reply;

/// What a list pop across keys found: the key and the elements popped.
type ListPop = Option<(Vec<u8>, Vec<Vec<u8>>)>;

/// What a sorted-set pop across keys found: the key and the members popped with their scores.
type ZSetPop = Option<(Vec<u8>, Vec<(Vec<u8>, f64)>)>;

/// `getTimeoutFromObjectOrReply` in seconds: a long double, times 1000, cast to an integer.
fn check_timeout(arg: &[u8]) -> Result<(), Reply> {
    let seconds =
        longdouble::parse(arg).ok_or_else(|| err("ERR timeout is not a float or out of range"))?;
    if longdouble::trunc_i64(longdouble::mul_u64(seconds, 1000)) < 0 {
        return Err(err("ERR timeout is negative"));
    }
    Ok(())
}

/// A count or numkeys argument in `1..=i64::MAX`, or `error`.
fn at_least_one(arg: &[u8], error: &str) -> Result<i64, Reply> {
    match parse_i64(arg) {
        Some(value) if value >= 1 => Ok(value),
        _ => Err(err(error)),
    }
}

/// Pops from the first non-empty list among `keys`: `(key, elements)`. A key of another type
/// met before it is an error.
fn pop_first_list(
    x: &mut Exec<'_>,
    keys: &[Vec<u8>],
    end: End,
    count: i64,
) -> Result<ListPop, Reply> {
    for key in keys {
        let Some(list) = x.list_mut(key)? else {
            continue;
        };
        let popped = pop_n(list, end, count);
        x.db().remove_if_empty(key);
        return Ok(Some((key.clone(), popped)));
    }
    Ok(None)
}

/// Pops from the first non-empty sorted set among `keys`.
fn pop_first_zset(
    x: &mut Exec<'_>,
    keys: &[Vec<u8>],
    max: bool,
    count: i64,
) -> Result<ZSetPop, Reply> {
    for key in keys {
        let Some(zset) = x.zset_mut(key)? else {
            continue;
        };
        let popped = pop_scored(zset, max, count);
        x.db().remove_if_empty(key);
        return Ok(Some((key.clone(), popped)));
    }
    Ok(None)
}

/// `[key, [element...]]`, or the nil array.
fn keyed_list_reply(found: ListPop) -> Reply {
    found.map_or(Reply::NilArray, |(key, popped)| {
        Reply::Array(vec![
            Reply::Bulk(key),
            Reply::Array(popped.into_iter().map(Reply::Bulk).collect()),
        ])
    })
}

/// `[key, [[member, score]...]]`, or the nil array.
fn keyed_zset_reply(found: ZSetPop, resp: u8) -> Reply {
    found.map_or(Reply::NilArray, |(key, popped)| {
        let pairs = popped
            .into_iter()
            .map(|(m, s)| Reply::Array(vec![Reply::Bulk(m), double_reply(s, resp)]))
            .collect();
        Reply::Array(vec![Reply::Bulk(key), Reply::Array(pairs)])
    })
}

/// Checks the `numkeys key... WHERE` part of the MPOP commands, from `args[numkeys_idx]`;
/// returns the index of `WHERE` (the keys sit between).
fn parse_mpop(args: &[Vec<u8>], numkeys_idx: usize) -> Result<usize, Reply> {
    let numkeys = at_least_one(&args[numkeys_idx], "ERR numkeys should be greater than 0")?;
    let where_idx = (numkeys as u64).saturating_add(numkeys_idx as u64 + 1);
    if where_idx >= args.len() as u64 {
        return Err(err(SYNTAX));
    }
    Ok(where_idx as usize)
}

fn mpop_count(args: &[Vec<u8>], after_where: usize) -> Result<i64, Reply> {
    let mut count = None;
    let mut idx = after_where;
    while let Some(opt) = args.get(idx) {
        match args.get(idx + 1) {
            Some(value) if count.is_none() && is_kw(opt, "count") => {
                count = Some(at_least_one(value, "ERR count should be greater than 0")?);
            }
            _ => return Err(err(SYNTAX)),
        }
        idx += 2;
    }
    Ok(count.unwrap_or(1))
}

fn lmpop_generic(x: &mut Exec<'_>, args: &[Vec<u8>], numkeys_idx: usize) -> CmdResult {
    let where_idx = parse_mpop(args, numkeys_idx)?;
    let keys = &args[numkeys_idx + 1..where_idx];
    let end = parse_end(&args[where_idx])?;
    let count = mpop_count(args, where_idx + 1)?;
    if numkeys_idx == 2 {
        check_timeout(&args[1])?;
    }
    let found = pop_first_list(x, keys, end, count)?;
    Ok(keyed_list_reply(found))
}

fn zmpop_generic(x: &mut Exec<'_>, args: &[Vec<u8>], numkeys_idx: usize) -> CmdResult {
    let where_idx = parse_mpop(args, numkeys_idx)?;
    let (keys, where_arg) = (&args[numkeys_idx + 1..where_idx], &args[where_idx]);
    let max = if is_kw(where_arg, "min") {
        false
    } else if is_kw(where_arg, "max") {
        true
    } else {
        return Err(err(SYNTAX));
    };
    let count = mpop_count(args, where_idx + 1)?;
    if numkeys_idx == 2 {
        check_timeout(&args[1])?;
    }
    let found = pop_first_zset(x, keys, max, count)?;
    Ok(keyed_zset_reply(found, x.resp))
}

/// `LMPOP numkeys key... LEFT|RIGHT [COUNT count]`.
pub(crate) fn lmpop(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    lmpop_generic(x, args, 1)
}

/// `BLMPOP timeout numkeys key... LEFT|RIGHT [COUNT count]`.
pub(crate) fn blmpop(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    lmpop_generic(x, args, 2)
}

/// `ZMPOP numkeys key... MIN|MAX [COUNT count]`.
pub(crate) fn zmpop(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    zmpop_generic(x, args, 1)
}

/// `BZMPOP timeout numkeys key... MIN|MAX [COUNT count]`.
pub(crate) fn bzmpop(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    zmpop_generic(x, args, 2)
}

fn bpop_generic(x: &mut Exec<'_>, args: &[Vec<u8>], end: End) -> CmdResult {
    let (timeout, keys) = args[1..].split_last().ok_or_else(|| err(SYNTAX))?;
    check_timeout(timeout)?;
    Ok(match pop_first_list(x, keys, end, 1)? {
        Some((key, popped)) => {
            let value = popped.into_iter().next().map_or(Reply::Nil, Reply::Bulk);
            Reply::Array(vec![Reply::Bulk(key), value])
        }
        None => Reply::NilArray,
    })
}

/// `BLPOP key... timeout`.
pub(crate) fn blpop(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    bpop_generic(x, args, End::Left)
}

/// `BRPOP key... timeout`.
pub(crate) fn brpop(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    bpop_generic(x, args, End::Right)
}

fn bzpop_generic(x: &mut Exec<'_>, args: &[Vec<u8>], max: bool) -> CmdResult {
    let (timeout, keys) = args[1..].split_last().ok_or_else(|| err(SYNTAX))?;
    check_timeout(timeout)?;
    let resp = x.resp;
    Ok(match pop_first_zset(x, keys, max, 1)? {
        Some((key, popped)) => {
            let mut reply = vec![Reply::Bulk(key)];
            for (member, score) in popped {
                reply.push(Reply::Bulk(member));
                reply.push(double_reply(score, resp));
            }
            Reply::Array(reply)
        }
        None => Reply::NilArray,
    })
}

/// `BZPOPMIN key... timeout`.
pub(crate) fn bzpopmin(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    bzpop_generic(x, args, false)
}

/// `BZPOPMAX key... timeout`.
pub(crate) fn bzpopmax(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    bzpop_generic(x, args, true)
}

/// `BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout`.
pub(crate) fn blmove(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let from = parse_end(&args[3])?;
    let to = parse_end(&args[4])?;
    check_timeout(&args[5])?;
    move_generic(x, &args[1], &args[2], from, to)
}

/// `BRPOPLPUSH source destination timeout`.
pub(crate) fn brpoplpush(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    check_timeout(&args[3])?;
    move_generic(x, &args[1], &args[2], End::Right, End::Left)
}
