//! List commands: `LPUSH`, `RPUSH`, `LPUSHX`, `RPUSHX`, `LPOP`, `RPOP` (with count), `LLEN`,
//! `LRANGE`, `LINDEX`, `LSET`, `LREM`, `LINSERT`, `LTRIM`, `LPOS`, `LMOVE`, `RPOPLPUSH`,
//! following `t_list.c`. Index arithmetic saturates, so no index can overflow.

use std::collections::VecDeque;

use super::Exec;
use super::args::{
    CmdResult, NO_SUCH_KEY, OUT_OF_RANGE, POSITIVE, SYNTAX, err, int_arg, is_kw, positive_arg,
};
use super::zrange::rank_range;
use crate::reply::Reply;

/// Which end of a list.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    /// The head (`LEFT`).
    Left,
    /// The tail (`RIGHT`).
    Right,
}

fn push(list: &mut VecDeque<Vec<u8>>, value: Vec<u8>, end: End) {
    match end {
        End::Left => list.push_front(value),
        End::Right => list.push_back(value),
    }
}

fn push_generic(x: &mut Exec<'_>, args: &[Vec<u8>], end: End, only_existing: bool) -> CmdResult {
    let list = if only_existing {
        match x.list_mut(&args[1])? {
            Some(list) => list,
            None => return Ok(Reply::Integer(0)),
        }
    } else {
        x.list_or_create(&args[1])?
    };
    for value in &args[2..] {
        push(list, value.clone(), end);
    }
    Ok(Reply::Integer(list.len() as i64))
}

/// `LPUSH key element...`.
pub(crate) fn lpush(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    push_generic(x, args, End::Left, false)
}

/// `RPUSH key element...`.
pub(crate) fn rpush(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    push_generic(x, args, End::Right, false)
}

/// `LPUSHX key element...`.
pub(crate) fn lpushx(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    push_generic(x, args, End::Left, true)
}

/// `RPUSHX key element...`.
pub(crate) fn rpushx(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    push_generic(x, args, End::Right, true)
}

/// Removes and returns up to `count` elements from `end`.
pub(crate) fn pop_n(list: &mut VecDeque<Vec<u8>>, end: End, count: i64) -> Vec<Vec<u8>> {
    let n = usize::try_from(count).unwrap_or(0).min(list.len());
    (0..n)
        .filter_map(|_| match end {
            End::Left => list.pop_front(),
            End::Right => list.pop_back(),
        })
        .collect()
}

fn pop_generic(x: &mut Exec<'_>, args: &[Vec<u8>], end: End) -> CmdResult {
    let name = if end == End::Left { "lpop" } else { "rpop" };
    if args.len() > 3 {
        return Err(err(&format!(
            "ERR wrong number of arguments for '{name}' command"
        )));
    }
    let count = match args.get(2) {
        Some(text) => Some(positive_arg(text, POSITIVE)?),
        None => None,
    };
    let Some(list) = x.list_mut(&args[1])? else {
        return Ok(if count.is_some() {
            Reply::NilArray
        } else {
            Reply::Nil
        });
    };
    let reply = match count {
        None => {
            let popped = match end {
                End::Left => list.pop_front(),
                End::Right => list.pop_back(),
            };
            popped.map_or(Reply::Nil, Reply::Bulk)
        }
        Some(count) => Reply::Array(
            pop_n(list, end, count)
                .into_iter()
                .map(Reply::Bulk)
                .collect(),
        ),
    };
    x.db().remove_if_empty(&args[1]);
    Ok(reply)
}

/// `LPOP key [count]`.
pub(crate) fn lpop(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    pop_generic(x, args, End::Left)
}

/// `RPOP key [count]`.
pub(crate) fn rpop(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    pop_generic(x, args, End::Right)
}

/// `LLEN key`.
pub(crate) fn llen(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::Integer(
        x.list(&args[1])?.map_or(0, VecDeque::len) as i64
    ))
}

/// `LRANGE key start stop`.
pub(crate) fn lrange(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let start = int_arg(&args[2])?;
    let end = int_arg(&args[3])?;
    let Some(list) = x.list(&args[1])? else {
        return Ok(Reply::Array(Vec::new()));
    };
    let items = match rank_range(start, end, list.len()) {
        Some((start, end)) => list
            .range(start..=end)
            .map(|v| Reply::Bulk(v.clone()))
            .collect(),
        None => Vec::new(),
    };
    Ok(Reply::Array(items))
}

/// A list index (negative from the end) as a position, if within the list.
fn position(index: i64, len: usize) -> Option<usize> {
    let len = len as i64;
    let idx = if index < 0 {
        len.checked_add(index)?
    } else {
        index
    };
    (0..len).contains(&idx).then_some(idx as usize)
}

/// `LINDEX key index`.
pub(crate) fn lindex(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let Some(list) = x.list(&args[1])? else {
        return Ok(Reply::Nil);
    };
    let index = int_arg(&args[2])?;
    Ok(position(index, list.len())
        .and_then(|idx| list.get(idx))
        .map_or(Reply::Nil, |v| Reply::Bulk(v.clone())))
}

/// `LSET key index element`.
pub(crate) fn lset(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let Some(list) = x.list_mut(&args[1])? else {
        return Err(err(NO_SUCH_KEY));
    };
    let index = int_arg(&args[2])?;
    let slot = position(index, list.len()).and_then(|idx| list.get_mut(idx));
    let slot = slot.ok_or_else(|| err(OUT_OF_RANGE))?;
    *slot = args[3].clone();
    Ok(Reply::ok())
}

/// `LREM key count element`: from the head for a positive count, the tail for a negative one,
/// all for 0.
pub(crate) fn lrem(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let count = int_arg(&args[2])?;
    let Some(list) = x.list_mut(&args[1])? else {
        return Ok(Reply::Integer(0));
    };
    let element = &args[3];
    let limit = if count == 0 {
        u64::MAX
    } else {
        count.unsigned_abs()
    };
    let mut removed = 0u64;
    let mut kept = VecDeque::with_capacity(list.len());
    if count >= 0 {
        for value in list.drain(..) {
            if removed < limit && value == *element {
                removed += 1;
            } else {
                kept.push_back(value);
            }
        }
    } else {
        while let Some(value) = list.pop_back() {
            if removed < limit && value == *element {
                removed += 1;
            } else {
                kept.push_front(value);
            }
        }
    }
    *list = kept;
    x.db().remove_if_empty(&args[1]);
    Ok(Reply::Integer(removed as i64))
}

/// `LINSERT key BEFORE|AFTER pivot element`.
pub(crate) fn linsert(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let after = if is_kw(&args[2], "after") {
        true
    } else if is_kw(&args[2], "before") {
        false
    } else {
        return Err(err(SYNTAX));
    };
    let Some(list) = x.list_mut(&args[1])? else {
        return Ok(Reply::Integer(0));
    };
    let Some(idx) = list.iter().position(|v| *v == args[3]) else {
        return Ok(Reply::Integer(-1));
    };
    list.insert(if after { idx + 1 } else { idx }, args[4].clone());
    Ok(Reply::Integer(list.len() as i64))
}

/// `LTRIM key start stop`.
pub(crate) fn ltrim(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let start = int_arg(&args[2])?;
    let end = int_arg(&args[3])?;
    let Some(list) = x.list_mut(&args[1])? else {
        return Ok(Reply::ok());
    };
    match rank_range(start, end, list.len()) {
        Some((start, end)) => {
            list.truncate(end + 1);
            list.drain(..start);
        }
        None => list.clear(),
    }
    x.db().remove_if_empty(&args[1]);
    Ok(Reply::ok())
}

/// `LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]`.
pub(crate) fn lpos(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let (mut rank, mut count, mut maxlen) = (1i64, None::<u64>, 0u64);
    let mut idx = 3;
    while let Some(opt) = args.get(idx) {
        let value = args.get(idx + 1);
        match value {
            Some(value) if is_kw(opt, "rank") => {
                rank = int_arg(value)?;
                if rank == 0 {
                    return Err(err(
                        "ERR RANK can't be zero: use 1 to start from the first match, 2 from the \
                         second ... or use negative to start from the end of the list",
                    ));
                }
            }
            Some(value) if is_kw(opt, "count") => {
                count = Some(positive_arg(value, "ERR COUNT can't be negative")? as u64);
            }
            Some(value) if is_kw(opt, "maxlen") => {
                maxlen = positive_arg(value, "ERR MAXLEN can't be negative")? as u64;
            }
            _ => return Err(err(SYNTAX)),
        }
        idx += 2;
    }
    let Some(list) = x.list(&args[1])? else {
        return Ok(if count.is_some() {
            Reply::Array(Vec::new())
        } else {
            Reply::Nil
        });
    };
    let from_tail = rank < 0;
    let rank = rank.unsigned_abs();
    let mut matches = 0u64;
    let mut found = Vec::new();
    let order: Box<dyn Iterator<Item = (usize, &Vec<u8>)>> = if from_tail {
        Box::new(list.iter().enumerate().rev())
    } else {
        Box::new(list.iter().enumerate())
    };
    for (scanned, (pos, value)) in order.enumerate() {
        if maxlen != 0 && scanned as u64 >= maxlen {
            break;
        }
        if *value != args[2] {
            continue;
        }
        matches += 1;
        if matches >= rank {
            found.push(Reply::Integer(pos as i64));
            match count {
                None => break,
                Some(count) if count != 0 && matches - rank + 1 >= count => break,
                Some(_) => {}
            }
        }
    }
    Ok(match count {
        Some(_) => Reply::Array(found),
        None => found.pop().unwrap_or(Reply::Nil),
    })
}

/// `LEFT` or `RIGHT`, else a syntax error.
pub(crate) fn parse_end(arg: &[u8]) -> Result<End, Reply> {
    if is_kw(arg, "right") {
        Ok(End::Right)
    } else if is_kw(arg, "left") {
        Ok(End::Left)
    } else {
        Err(err(SYNTAX))
    }
}

/// `lmoveGenericCommand`.
pub(crate) fn move_generic(
    x: &mut Exec<'_>,
    src: &[u8],
    dst: &[u8],
    from: End,
    to: End,
) -> CmdResult {
    if x.list(src)?.is_none() {
        return Ok(Reply::Nil);
    }
    x.list(dst)?;
    let Some(value) = x.list_mut(src)?.and_then(|list| match from {
        End::Left => list.pop_front(),
        End::Right => list.pop_back(),
    }) else {
        return Ok(Reply::Nil);
    };
    let target = x.list_or_create(dst)?;
    push(target, value.clone(), to);
    x.db().remove_if_empty(src);
    Ok(Reply::Bulk(value))
}

/// `LMOVE source destination LEFT|RIGHT LEFT|RIGHT`.
pub(crate) fn lmove(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let from = parse_end(&args[3])?;
    let to = parse_end(&args[4])?;
    move_generic(x, &args[1], &args[2], from, to)
}

/// `RPOPLPUSH source destination`.
pub(crate) fn rpoplpush(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    move_generic(x, &args[1], &args[2], End::Right, End::Left)
}
