//! Hash commands: `HSET`, `HMSET`, `HSETNX`, `HGET`, `HMGET`, `HGETALL`, `HDEL`, `HEXISTS`,
//! `HLEN`, `HKEYS`, `HVALS`, `HINCRBY`, `HINCRBYFLOAT`, `HSTRLEN`, `HSCAN`, `HRANDFIELD`,
//! following `t_hash.c`. Fields keep insertion order, as Redis's small (listpack) hashes do.

use super::Exec;
use super::args::{CmdResult, NOT_FLOAT, OVERFLOW, SYNTAX, err, int_arg, is_kw, parse_i64};
use super::longdouble::{self, LongDouble};
use super::scan::{page, parse_cursor, parse_options, scan_reply};
use crate::glob::glob_match;
use crate::reply::Reply;

/// The most elements a random-sampling reply may hold (Redis would try to send them all).
pub(crate) const MAX_RANDOM_REPLY: u64 = 1 << 24;

/// A `[field, value, ...]` reply: a map in RESP3, a flat array in RESP2.
fn pairs_reply(x: &Exec<'_>, pairs: Vec<(Vec<u8>, Vec<u8>)>) -> Reply {
    if x.resp >= 3 {
        Reply::Map(
            pairs
                .into_iter()
                .map(|(k, v)| (Reply::Bulk(k), Reply::Bulk(v)))
                .collect(),
        )
    } else {
        Reply::Array(
            pairs
                .into_iter()
                .flat_map(|(k, v)| [Reply::Bulk(k), Reply::Bulk(v)])
                .collect(),
        )
    }
}

fn hset_generic(x: &mut Exec<'_>, args: &[Vec<u8>], name: &str) -> Result<i64, Reply> {
    if args.len() % 2 == 1 {
        return Err(err(&format!(
            "ERR wrong number of arguments for '{name}' command"
        )));
    }
    let hash = x.hash_or_create(&args[1])?;
    let mut created = 0;
    for pair in args[2..].chunks(2) {
        if let [field, value] = pair {
            match hash.get_mut(field) {
                // An existing field keeps its allocations when the new value fits them.
                Some(old) if old.capacity() <= value.len().max(16) * 2 => {
                    old.clear();
                    old.extend_from_slice(value);
                }
                Some(old) => *old = value.clone(),
                None => {
                    hash.insert(field.clone(), value.clone());
                    created += 1;
                }
            }
        }
    }
    Ok(created)
}

/// `HSET key field value [field value ...]`: how many fields are new.
pub(crate) fn hset(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    hset_generic(x, args, "hset").map(Reply::Integer)
}

/// `HMSET key field value [field value ...]`.
pub(crate) fn hmset(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    hset_generic(x, args, "hmset").map(|_| Reply::ok())
}

/// `HSETNX key field value`.
pub(crate) fn hsetnx(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let hash = x.hash_or_create(&args[1])?;
    if hash.contains(&args[2]) {
        return Ok(Reply::Integer(0));
    }
    hash.insert(args[2].clone(), args[3].clone());
    Ok(Reply::Integer(1))
}

/// `HGET key field`.
pub(crate) fn hget(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let value = x.hash(&args[1])?.and_then(|hash| hash.get(&args[2]));
    Ok(value.map_or(Reply::Nil, |v| Reply::Bulk(v.clone())))
}

/// `HMGET key field...`.
pub(crate) fn hmget(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let hash = x.hash(&args[1])?;
    let values = args[2..]
        .iter()
        .map(|field| {
            hash.and_then(|h| h.get(field))
                .map_or(Reply::Nil, |v| Reply::Bulk(v.clone()))
        })
        .collect();
    Ok(Reply::Array(values))
}

/// `HGETALL key`.
pub(crate) fn hgetall(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let pairs = match x.hash(&args[1])? {
        Some(hash) => hash.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        None => Vec::new(),
    };
    Ok(pairs_reply(x, pairs))
}

/// `HDEL key field...`.
pub(crate) fn hdel(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let Some(hash) = x.hash_mut(&args[1])? else {
        return Ok(Reply::Integer(0));
    };
    let deleted = args[2..]
        .iter()
        .filter(|field| hash.remove(field).is_some())
        .count();
    x.db().remove_if_empty(&args[1]);
    Ok(Reply::Integer(deleted as i64))
}

/// `HEXISTS key field`.
pub(crate) fn hexists(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let found = x
        .hash(&args[1])?
        .is_some_and(|hash| hash.contains(&args[2]));
    Ok(Reply::Integer(i64::from(found)))
}

/// `HLEN key`.
pub(crate) fn hlen(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::Integer(
        x.hash(&args[1])?.map_or(0, |hash| hash.len()) as i64,
    ))
}

/// `HKEYS key`.
pub(crate) fn hkeys(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let keys = x.hash(&args[1])?.map_or_else(Vec::new, |hash| {
        hash.keys().map(|k| Reply::Bulk(k.clone())).collect()
    });
    Ok(Reply::Array(keys))
}

/// `HVALS key`.
pub(crate) fn hvals(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let values = x.hash(&args[1])?.map_or_else(Vec::new, |hash| {
        hash.iter().map(|(_, v)| Reply::Bulk(v.clone())).collect()
    });
    Ok(Reply::Array(values))
}

/// `HINCRBY key field increment`.
pub(crate) fn hincrby(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let incr = int_arg(&args[3])?;
    let current = match x.hash(&args[1])?.and_then(|hash| hash.get(&args[2])) {
        Some(text) => parse_i64(text).ok_or_else(|| err("ERR hash value is not an integer"))?,
        None => 0,
    };
    let value = current.checked_add(incr).ok_or_else(|| err(OVERFLOW))?;
    let hash = x.hash_or_create(&args[1])?;
    hash.insert(args[2].clone(), value.to_string().into_bytes());
    Ok(Reply::Integer(value))
}

/// `HINCRBYFLOAT key field increment`, in long double arithmetic.
pub(crate) fn hincrbyfloat(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let incr = longdouble::parse(&args[3]).ok_or_else(|| err(NOT_FLOAT))?;
    if matches!(incr, LongDouble::Inf { .. } | LongDouble::NaN) {
        return Err(err("ERR value is NaN or Infinity"));
    }
    let current = match x.hash(&args[1])?.and_then(|hash| hash.get(&args[2])) {
        Some(text) => {
            longdouble::parse(text).ok_or_else(|| err("ERR hash value is not a float"))?
        }
        None => LongDouble::Zero { neg: false },
    };
    let sum = longdouble::add(current, incr);
    if matches!(sum, LongDouble::Inf { .. } | LongDouble::NaN) {
        return Err(err("ERR increment would produce NaN or Infinity"));
    }
    let text = longdouble::to_human(sum);
    let hash = x.hash_or_create(&args[1])?;
    hash.insert(args[2].clone(), text.clone());
    Ok(Reply::Bulk(text))
}

/// `HSTRLEN key field`.
pub(crate) fn hstrlen(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let len = x
        .hash(&args[1])?
        .and_then(|hash| hash.get(&args[2]))
        .map_or(0, Vec::len);
    Ok(Reply::Integer(len as i64))
}

/// `HSCAN key cursor [MATCH pattern] [COUNT count]`. Small hashes come back whole in insertion
/// order, as Redis's listpack hashes do.
pub(crate) fn hscan(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let cursor = parse_cursor(&args[2])?;
    let Some(hash) = x.hash(&args[1])? else {
        return Ok(scan_reply(0, Vec::new()));
    };
    let opts = parse_options(args, 3, false, cursor)?;
    // Redis keeps a hash of at most 128 fields, none longer than 64 bytes, as a listpack, which
    // SCAN returns whole.
    let is_listpack = hash.len() <= 128 && hash.iter().all(|(k, v)| k.len() <= 64 && v.len() <= 64);
    let (taken, cursor) = if is_listpack {
        (hash.iter().map(|(k, v)| (k.as_slice(), v)).collect(), 0)
    } else {
        page(
            hash.iter().map(|(k, v)| (k.as_slice(), v)),
            opts.cursor,
            opts.count,
        )
    };
    let elements = taken
        .into_iter()
        .filter(|(field, _)| opts.pattern.as_ref().is_none_or(|p| glob_match(p, field)))
        .flat_map(|(field, value)| [Reply::Bulk(field.to_vec()), Reply::Bulk(value.clone())])
        .collect();
    Ok(scan_reply(cursor, elements))
}

/// `HRANDFIELD key [count [WITHVALUES]]`.
pub(crate) fn hrandfield(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    if args.len() == 2 {
        let Some(hash) = x.hash(&args[1])? else {
            return Ok(Reply::Nil);
        };
        let entries: Vec<Vec<u8>> = hash.keys().cloned().collect();
        let pick = x.rand_below(entries.len());
        return Ok(entries
            .into_iter()
            .nth(pick)
            .map_or(Reply::Nil, Reply::Bulk));
    }
    let count = int_arg(&args[2])?;
    if count == i64::MIN {
        return Err(err(
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
        ));
    }
    let with_values = match args.get(3) {
        None => false,
        Some(opt) if args.len() == 4 && is_kw(opt, "withvalues") => true,
        Some(_) => return Err(err(SYNTAX)),
    };
    if with_values && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&count) {
        return Err(err("ERR value is out of range"));
    }
    let Some(hash) = x.hash(&args[1])? else {
        return Ok(Reply::Array(Vec::new()));
    };
    let entries: Vec<(Vec<u8>, Vec<u8>)> =
        hash.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    let picked = random_picks(x, entries, count)?;
    let resp3 = x.resp >= 3;
    let reply = if !with_values {
        picked.into_iter().map(|(k, _)| Reply::Bulk(k)).collect()
    } else if resp3 {
        picked
            .into_iter()
            .map(|(k, v)| Reply::Array(vec![Reply::Bulk(k), Reply::Bulk(v)]))
            .collect()
    } else {
        picked
            .into_iter()
            .flat_map(|(k, v)| [Reply::Bulk(k), Reply::Bulk(v)])
            .collect()
    };
    Ok(Reply::Array(reply))
}

/// `count` random items: distinct ones (at most all, in order when all) for a positive count,
/// possibly repeated ones for a negative count.
pub(crate) fn random_picks<T: Clone>(
    x: &mut Exec<'_>,
    mut items: Vec<T>,
    count: i64,
) -> Result<Vec<T>, Reply> {
    if count.unsigned_abs() > MAX_RANDOM_REPLY
        && (count < 0 || count.unsigned_abs() < items.len() as u64)
    {
        return Err(err("ERR value is out of range"));
    }
    if count == 0 || items.is_empty() {
        return Ok(Vec::new());
    }
    if count < 0 {
        let n = count.unsigned_abs() as usize;
        return Ok((0..n)
            .map(|_| items[x.rand_below(items.len())].clone())
            .collect());
    }
    let n = count as u64;
    if n >= items.len() as u64 {
        return Ok(items);
    }
    let n = n as usize;
    for idx in 0..n {
        let other = idx + x.rand_below(items.len() - idx);
        items.swap(idx, other);
    }
    items.truncate(n);
    Ok(items)
}
