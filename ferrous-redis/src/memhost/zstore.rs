//! `ZUNIONSTORE` and `ZINTERSTORE` (`WEIGHTS`, `AGGREGATE SUM|MIN|MAX`), following
//! `zunionInterDiffGenericCommand`: plain sets count as members scored 1, and `inf + -inf`
//! (or `inf * 0`) becomes 0.

use super::Exec;
use super::args::{CmdResult, SYNTAX, err, int_arg, is_kw, parse_f64, wrongtype};
use super::keyspace::Value;
use super::zset::ZSet;
use crate::reply::Reply;

/// How scores of one member combine.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Aggregate {
    Sum,
    Min,
    Max,
}

fn aggregate(target: &mut f64, value: f64, how: Aggregate) {
    match how {
        Aggregate::Sum => {
            *target += value;
            if target.is_nan() {
                *target = 0.0;
            }
        }
        Aggregate::Min => {
            if value < *target {
                *target = value;
            }
        }
        Aggregate::Max => {
            if value > *target {
                *target = value;
            }
        }
    }
}

/// One input: its members with scores (sets scored 1) and its weight.
struct Source {
    members: Vec<(Vec<u8>, f64)>,
    zset: ZSet,
    weight: f64,
}

fn store_generic(x: &mut Exec<'_>, args: &[Vec<u8>], union: bool) -> CmdResult {
    let name = if union { "zunionstore" } else { "zinterstore" };
    let n_keys = int_arg(&args[2])?;
    if n_keys < 1 {
        return Err(err(&format!(
            "ERR at least 1 input key is needed for '{name}' command"
        )));
    }
    if n_keys as u64 > (args.len() - 3) as u64 {
        return Err(err(SYNTAX));
    }
    let keys_end = 3 + n_keys as usize;
    let mut sources = Vec::with_capacity(n_keys as usize);
    for key in &args[3..keys_end] {
        let (members, zset) = match x.get(key) {
            None => (Vec::new(), ZSet::new()),
            Some(Value::ZSet(zset)) => (
                zset.iter().map(|(m, s)| (m.to_vec(), s)).collect(),
                zset.clone(),
            ),
            Some(Value::Set(set)) => {
                let mut zset = ZSet::new();
                for member in set.keys() {
                    zset.insert(member, 1.0);
                }
                (set.keys().map(|m| (m.clone(), 1.0)).collect(), zset)
            }
            Some(_) => return Err(wrongtype()),
        };
        sources.push(Source {
            members,
            zset,
            weight: 1.0,
        });
    }
    let mut how = Aggregate::Sum;
    let mut idx = keys_end;
    while idx < args.len() {
        let remaining = args.len() - idx;
        if remaining > sources.len() && is_kw(&args[idx], "weights") {
            for (offset, source) in sources.iter_mut().enumerate() {
                source.weight = parse_f64(&args[idx + 1 + offset])
                    .ok_or_else(|| err("ERR weight value is not a float"))?;
            }
            idx += 1 + sources.len();
        } else if remaining >= 2 && is_kw(&args[idx], "aggregate") {
            let mode = &args[idx + 1];
            how = if is_kw(mode, "sum") {
                Aggregate::Sum
            } else if is_kw(mode, "min") {
                Aggregate::Min
            } else if is_kw(mode, "max") {
                Aggregate::Max
            } else {
                return Err(err(SYNTAX));
            };
            idx += 2;
        } else {
            return Err(err(SYNTAX));
        }
    }
    sources.sort_by_key(|s| s.members.len());
    let weighted = |score: f64, weight: f64| {
        let value = score * weight;
        if value.is_nan() { 0.0 } else { value }
    };
    let mut result = ZSet::new();
    if union {
        let mut order: Vec<Vec<u8>> = Vec::new();
        let mut acc: std::collections::HashMap<Vec<u8>, f64> = std::collections::HashMap::new();
        for source in &sources {
            for (member, score) in &source.members {
                let value = weighted(*score, source.weight);
                match acc.get_mut(member) {
                    Some(target) => aggregate(target, value, how),
                    None => {
                        acc.insert(member.clone(), value);
                        order.push(member.clone());
                    }
                }
            }
        }
        for member in order {
            if let Some(&score) = acc.get(&member) {
                result.insert(&member, score);
            }
        }
    } else if let Some((first, rest)) = sources.split_first() {
        'members: for (member, score) in &first.members {
            let mut total = weighted(*score, first.weight);
            for other in rest {
                let Some(other_score) = other.zset.score(member) else {
                    continue 'members;
                };
                aggregate(&mut total, other_score * other.weight, how);
            }
            result.insert(member, total);
        }
    }
    let len = result.len();
    if len == 0 {
        x.db().remove(&args[1]);
    } else {
        x.db().set(&args[1], Value::ZSet(result));
    }
    Ok(Reply::Integer(len as i64))
}

/// `ZUNIONSTORE destination numkeys key... [WEIGHTS w...] [AGGREGATE SUM|MIN|MAX]`.
pub(crate) fn zunionstore(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    store_generic(x, args, true)
}

/// `ZINTERSTORE destination numkeys key... [WEIGHTS w...] [AGGREGATE SUM|MIN|MAX]`.
pub(crate) fn zinterstore(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    store_generic(x, args, false)
}
