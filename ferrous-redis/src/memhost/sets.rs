//! Set commands: `SADD`, `SREM`, `SMEMBERS`, `SISMEMBER`, `SMISMEMBER`, `SCARD`, `SPOP`,
//! `SRANDMEMBER`, `SINTER`, `SUNION`, `SDIFF` and their `STORE` forms, `SMOVE`, `SSCAN`,
//! `SINTERCARD`, following `t_set.c`.
//!
//! Sets of up to 512 integers list their members in numeric order, as Redis's intsets do;
//! other sets list them in insertion order (Redis's order is unspecified there).

use super::Exec;
use super::args::{CmdResult, POSITIVE, SYNTAX, err, int_arg, is_kw, parse_i64, positive_arg};
use super::hashes::random_picks;
use super::keyspace::Value;
use super::ordmap::OrdMap;
use super::scan::{page, parse_options, scan_reply};
use crate::glob::glob_match;
use crate::reply::Reply;

/// The members of `set` in the order Redis would list them where that order is fixed.
fn members(set: &OrdMap<()>) -> Vec<Vec<u8>> {
    let mut listed: Vec<Vec<u8>> = set.keys().cloned().collect();
    if listed.len() <= 512 && listed.iter().all(|m| parse_i64(m).is_some()) {
        listed.sort_by_key(|m| parse_i64(m).unwrap_or(0));
    }
    listed
}

/// A set reply: `~` in RESP3, an array in RESP2.
fn set_reply(x: &Exec<'_>, items: Vec<Vec<u8>>) -> Reply {
    let items = items.into_iter().map(Reply::Bulk).collect();
    if x.resp >= 3 {
        Reply::Set(items)
    } else {
        Reply::Array(items)
    }
}

/// `SADD key member...`.
pub(crate) fn sadd(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let set = x.set_or_create(&args[1])?;
    let added = args[2..]
        .iter()
        .filter(|m| set.insert((*m).clone(), ()).is_none())
        .count();
    Ok(Reply::Integer(added as i64))
}

/// `SREM key member...`.
pub(crate) fn srem(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let Some(set) = x.set_mut(&args[1])? else {
        return Ok(Reply::Integer(0));
    };
    let removed = args[2..].iter().filter(|m| set.remove(m).is_some()).count();
    x.db().remove_if_empty(&args[1]);
    Ok(Reply::Integer(removed as i64))
}

/// `SMEMBERS key`.
pub(crate) fn smembers(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let items = x.set(&args[1])?.map_or_else(Vec::new, members);
    Ok(set_reply(x, items))
}

/// `SISMEMBER key member`.
pub(crate) fn sismember(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::Integer(i64::from(
        x.set(&args[1])?.is_some_and(|s| s.contains(&args[2])),
    )))
}

/// `SMISMEMBER key member...`.
pub(crate) fn smismember(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let set = x.set(&args[1])?;
    let found = args[2..]
        .iter()
        .map(|m| Reply::Integer(i64::from(set.is_some_and(|s| s.contains(m)))))
        .collect();
    Ok(Reply::Array(found))
}

/// `SCARD key`.
pub(crate) fn scard(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::Integer(
        x.set(&args[1])?.map_or(0, OrdMap::len) as i64
    ))
}

/// `SPOP key [count]`.
pub(crate) fn spop(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    if args.len() > 3 {
        return Err(err(SYNTAX));
    }
    let count = match args.get(2) {
        Some(text) => Some(positive_arg(text, POSITIVE)?),
        None => None,
    };
    let Some(set) = x.set(&args[1])? else {
        return Ok(match count {
            Some(_) => set_reply(x, Vec::new()),
            None => Reply::Nil,
        });
    };
    let all: Vec<Vec<u8>> = set.keys().cloned().collect();
    let picked = random_picks(x, all, count.unwrap_or(1))?;
    if let Some(set) = x.set_mut(&args[1])? {
        for member in &picked {
            set.remove(member);
        }
    }
    x.db().remove_if_empty(&args[1]);
    Ok(match count {
        Some(_) => set_reply(x, picked),
        None => picked.into_iter().next().map_or(Reply::Nil, Reply::Bulk),
    })
}

/// `SRANDMEMBER key [count]`.
pub(crate) fn srandmember(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    if args.len() > 3 {
        return Err(err(SYNTAX));
    }
    let count = match args.get(2) {
        Some(text) => {
            let count = int_arg(text)?;
            if count == i64::MIN {
                return Err(err(
                    "ERR value is out of range, value must between -9223372036854775807 and \
                     9223372036854775807",
                ));
            }
            Some(count)
        }
        None => None,
    };
    let Some(set) = x.set(&args[1])? else {
        return Ok(if count.is_some() {
            Reply::Array(Vec::new())
        } else {
            Reply::Nil
        });
    };
    let all = members(set);
    let picked = random_picks(x, all, count.unwrap_or(1))?;
    Ok(match count {
        Some(_) => Reply::Array(picked.into_iter().map(Reply::Bulk).collect()),
        None => picked.into_iter().next().map_or(Reply::Nil, Reply::Bulk),
    })
}

/// The sets under `keys` (`None` for missing keys), or `WRONGTYPE` if any key holds another
/// type.
fn load_sets(x: &mut Exec<'_>, keys: &[Vec<u8>]) -> Result<Vec<Option<OrdMap<()>>>, Reply> {
    let mut sets = Vec::with_capacity(keys.len());
    for key in keys {
        sets.push(x.set(key)?.cloned());
    }
    Ok(sets)
}

/// Which set operation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SetOp {
    Inter,
    Union,
    Diff,
}

/// The result of `op` over the sets under `keys`, as a set.
fn compute(x: &mut Exec<'_>, keys: &[Vec<u8>], op: SetOp) -> Result<OrdMap<()>, Reply> {
    let sets = load_sets(x, keys)?;
    let mut result = OrdMap::new();
    match op {
        SetOp::Inter => {
            if sets.iter().any(Option::is_none) {
                return Ok(result);
            }
            let sets: Vec<OrdMap<()>> = sets.into_iter().flatten().collect();
            let Some(smallest) = sets.iter().min_by_key(|s| s.len()) else {
                return Ok(result);
            };
            for member in smallest.keys() {
                if sets.iter().all(|s| s.contains(member)) {
                    result.insert(member.clone(), ());
                }
            }
        }
        SetOp::Union => {
            for set in sets.iter().flatten() {
                for member in set.keys() {
                    result.insert(member.clone(), ());
                }
            }
        }
        SetOp::Diff => {
            let mut sets = sets.into_iter();
            if let Some(Some(first)) = sets.next() {
                let rest: Vec<OrdMap<()>> = sets.flatten().collect();
                for member in first.keys() {
                    if !rest.iter().any(|s| s.contains(member)) {
                        result.insert(member.clone(), ());
                    }
                }
            }
        }
    }
    Ok(result)
}

fn op_reply(x: &mut Exec<'_>, args: &[Vec<u8>], op: SetOp) -> CmdResult {
    let result = compute(x, &args[1..], op)?;
    let items = members(&result);
    Ok(set_reply(x, items))
}

fn op_store(x: &mut Exec<'_>, args: &[Vec<u8>], op: SetOp) -> CmdResult {
    let result = compute(x, &args[2..], op)?;
    let len = result.len();
    if len == 0 {
        x.db().remove(&args[1]);
    } else {
        x.db().set(&args[1], Value::Set(result));
    }
    Ok(Reply::Integer(len as i64))
}

/// `SINTER key...`.
pub(crate) fn sinter(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    op_reply(x, args, SetOp::Inter)
}

/// `SUNION key...`.
pub(crate) fn sunion(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    op_reply(x, args, SetOp::Union)
}

/// `SDIFF key...`.
pub(crate) fn sdiff(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    op_reply(x, args, SetOp::Diff)
}

/// `SINTERSTORE destination key...`.
pub(crate) fn sinterstore(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    op_store(x, args, SetOp::Inter)
}

/// `SUNIONSTORE destination key...`.
pub(crate) fn sunionstore(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    op_store(x, args, SetOp::Union)
}

/// `SDIFFSTORE destination key...`.
pub(crate) fn sdiffstore(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    op_store(x, args, SetOp::Diff)
}

/// `SMOVE source destination member`.
pub(crate) fn smove(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let (src, dst, member) = (&args[1], &args[2], &args[3]);
    if x.get(src).is_none() {
        return Ok(Reply::Integer(0));
    }
    x.set(src)?;
    x.set(dst)?;
    if src == dst {
        return Ok(Reply::Integer(i64::from(
            x.set(src)?.is_some_and(|s| s.contains(member)),
        )));
    }
    if x.set_mut(src)?.and_then(|s| s.remove(member)).is_none() {
        return Ok(Reply::Integer(0));
    }
    x.db().remove_if_empty(src);
    x.set_or_create(dst)?.insert(member.clone(), ());
    Ok(Reply::Integer(1))
}

/// `SSCAN key cursor [MATCH pattern] [COUNT count]`. Sets of up to 512 integers come back
/// whole, as Redis's intsets do.
pub(crate) fn sscan(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let opts = parse_options(args, 2, false)?;
    let Some(set) = x.set(&args[1])? else {
        return Ok(scan_reply(0, Vec::new()));
    };
    let listed = members(set);
    let is_intset = listed.len() <= 512 && listed.iter().all(|m| parse_i64(m).is_some());
    let (taken, cursor) = if is_intset {
        (listed.iter().map(|m| (m.as_slice(), ())).collect(), 0)
    } else {
        page(
            listed.iter().map(|m| (m.as_slice(), ())),
            opts.cursor,
            opts.count,
        )
    };
    let elements = taken
        .into_iter()
        .filter(|(m, ())| opts.pattern.as_ref().is_none_or(|p| glob_match(p, m)))
        .map(|(m, ())| Reply::Bulk(m.to_vec()))
        .collect();
    Ok(scan_reply(cursor, elements))
}

/// `SINTERCARD numkeys key... [LIMIT limit]`.
pub(crate) fn sintercard(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let numkeys = match parse_i64(&args[1]) {
        Some(n) if n >= 1 => n as u64,
        _ => return Err(err("ERR numkeys should be greater than 0")),
    };
    if numkeys > (args.len() - 2) as u64 {
        return Err(err(
            "ERR Number of keys can't be greater than number of args",
        ));
    }
    let keys_end = 2 + numkeys as usize;
    let mut limit = 0u64;
    let mut idx = keys_end;
    while let Some(opt) = args.get(idx) {
        match args.get(idx + 1) {
            Some(value) if is_kw(opt, "limit") => {
                limit = positive_arg(value, "ERR LIMIT can't be negative")? as u64;
            }
            _ => return Err(err(SYNTAX)),
        }
        idx += 2;
    }
    let result = compute(x, &args[2..keys_end], SetOp::Inter)?;
    let len = result.len() as u64;
    Ok(Reply::Integer(
        if limit != 0 { len.min(limit) } else { len } as i64,
    ))
}
