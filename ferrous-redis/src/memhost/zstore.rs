//! The sorted-set algebra of `zunionInterDiffGenericCommand`: `ZUNION`, `ZINTER`, `ZDIFF`
//! (`WITHSCORES`), their `STORE` forms, and `ZINTERCARD`, with `WEIGHTS` and
//! `AGGREGATE SUM|MIN|MAX`. Plain sets count as members scored 1, and `inf + -inf` (or
//! `inf * 0`) becomes 0, as in Redis.

use std::collections::HashMap;

use super::Exec;
use super::args::{CmdResult, SYNTAX, err, int_arg, is_kw, parse_f64, positive_arg, wrongtype};
use super::keyspace::Value;
use super::numfmt::double_reply;
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

/// Which operation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Union,
    Inter,
    Diff,
}

/// One input: its members (sets scored 1) and its weight.
struct Source {
    zset: ZSet,
    weight: f64,
}

/// What the command does with the result.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Output {
    /// `ZUNION`/`ZINTER`/`ZDIFF`: reply with the members.
    Reply,
    /// The `STORE` forms: store under `args[1]`, reply with the size.
    Store,
    /// `ZINTERCARD`: reply with the size only.
    Cardinality,
}

fn load_sources(x: &mut Exec<'_>, keys: &[Vec<u8>]) -> Result<Vec<Source>, Reply> {
    let mut sources = Vec::with_capacity(keys.len());
    for key in keys {
        let zset = match x.get(key) {
            None => ZSet::new(),
            Some(Value::ZSet(zset)) => zset.clone(),
            Some(Value::Set(set)) => {
                let mut zset = ZSet::new();
                for member in set.keys() {
                    zset.insert(member, 1.0);
                }
                zset
            }
            Some(_) => return Err(wrongtype()),
        };
        sources.push(Source { zset, weight: 1.0 });
    }
    Ok(sources)
}

fn compute(mut sources: Vec<Source>, op: Op, how: Aggregate, limit: u64) -> (ZSet, u64) {
    let weighted = |score: f64, weight: f64| {
        let value = score * weight;
        if value.is_nan() { 0.0 } else { value }
    };
    if op != Op::Diff {
        sources.sort_by_key(|s| s.zset.len());
    }
    let mut result = ZSet::new();
    let mut cardinality = 0u64;
    let Some((first, rest)) = sources.split_first() else {
        return (result, 0);
    };
    match op {
        Op::Union => {
            let mut acc: HashMap<&[u8], f64> = HashMap::new();
            for source in &sources {
                for (member, score) in source.zset.iter() {
                    let value = weighted(score, source.weight);
                    match acc.get_mut(member) {
                        Some(target) => aggregate(target, value, how),
                        None => {
                            acc.insert(member, value);
                        }
                    }
                }
            }
            for (member, score) in acc {
                result.insert(member, score);
            }
        }
        Op::Inter => {
            'members: for (member, score) in first.zset.iter() {
                let mut total = weighted(score, first.weight);
                for other in rest {
                    let Some(other_score) = other.zset.score(member) else {
                        continue 'members;
                    };
                    aggregate(&mut total, other_score * other.weight, how);
                }
                cardinality += 1;
                result.insert(member, total);
                if limit != 0 && cardinality >= limit {
                    break;
                }
            }
        }
        Op::Diff => {
            for (member, score) in first.zset.iter() {
                if rest.iter().all(|other| other.zset.score(member).is_none()) {
                    result.insert(member, score);
                }
            }
        }
    }
    let len = result.len() as u64;
    (result, len)
}

fn zop_generic(
    x: &mut Exec<'_>,
    args: &[Vec<u8>],
    op: Op,
    output: Output,
    name: &str,
) -> CmdResult {
    let numkeys_idx = if output == Output::Store { 2 } else { 1 };
    let n_keys = int_arg(&args[numkeys_idx])?;
    if n_keys < 1 {
        return Err(err(&format!(
            "ERR at least 1 input key is needed for '{name}' command"
        )));
    }
    if n_keys as u64 > (args.len() - numkeys_idx - 1) as u64 {
        return Err(err(SYNTAX));
    }
    let keys_end = numkeys_idx + 1 + n_keys as usize;
    let mut sources = load_sources(x, &args[numkeys_idx + 1..keys_end])?;
    let (mut how, mut with_scores, mut limit) = (Aggregate::Sum, false, 0u64);
    let full = op != Op::Diff && output != Output::Cardinality;
    let mut idx = keys_end;
    while idx < args.len() {
        let remaining = args.len() - idx;
        let opt = &args[idx];
        if full && remaining > sources.len() && is_kw(opt, "weights") {
            for (offset, source) in sources.iter_mut().enumerate() {
                source.weight = parse_f64(&args[idx + 1 + offset])
                    .ok_or_else(|| err("ERR weight value is not a float"))?;
            }
            idx += 1 + sources.len();
        } else if full && remaining >= 2 && is_kw(opt, "aggregate") {
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
        } else if output == Output::Reply && is_kw(opt, "withscores") {
            with_scores = true;
            idx += 1;
        } else if output == Output::Cardinality && remaining >= 2 && is_kw(opt, "limit") {
            limit = positive_arg(&args[idx + 1], "ERR LIMIT can't be negative")? as u64;
            idx += 2;
        } else {
            return Err(err(SYNTAX));
        }
    }
    let (result, cardinality) = compute(sources, op, how, limit);
    match output {
        Output::Cardinality => Ok(Reply::Integer(cardinality as i64)),
        Output::Store => {
            let len = result.len();
            if len == 0 {
                x.db().remove(&args[1]);
            } else {
                x.db().set(&args[1], Value::ZSet(result));
            }
            Ok(Reply::Integer(len as i64))
        }
        Output::Reply => {
            let resp = x.resp;
            let items = result.iter().map(|(m, s)| (Reply::Bulk(m.to_vec()), s));
            let reply = if !with_scores {
                items.map(|(m, _)| m).collect()
            } else if resp >= 3 {
                items
                    .map(|(m, s)| Reply::Array(vec![m, double_reply(s, resp)]))
                    .collect()
            } else {
                items
                    .flat_map(|(m, s)| [m, double_reply(s, resp)])
                    .collect()
            };
            Ok(Reply::Array(reply))
        }
    }
}

/// `ZUNIONSTORE destination numkeys key... [WEIGHTS w...] [AGGREGATE SUM|MIN|MAX]`.
pub(crate) fn zunionstore(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    zop_generic(x, args, Op::Union, Output::Store, "zunionstore")
}

/// `ZINTERSTORE destination numkeys key... [WEIGHTS w...] [AGGREGATE SUM|MIN|MAX]`.
pub(crate) fn zinterstore(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    zop_generic(x, args, Op::Inter, Output::Store, "zinterstore")
}

/// `ZDIFFSTORE destination numkeys key...`.
pub(crate) fn zdiffstore(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    zop_generic(x, args, Op::Diff, Output::Store, "zdiffstore")
}

/// `ZUNION numkeys key... [WEIGHTS w...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]`.
pub(crate) fn zunion(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    zop_generic(x, args, Op::Union, Output::Reply, "zunion")
}

/// `ZINTER numkeys key... [WEIGHTS w...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]`.
pub(crate) fn zinter(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    zop_generic(x, args, Op::Inter, Output::Reply, "zinter")
}

/// `ZDIFF numkeys key... [WITHSCORES]`.
pub(crate) fn zdiff(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    zop_generic(x, args, Op::Diff, Output::Reply, "zdiff")
}

/// `ZINTERCARD numkeys key... [LIMIT limit]`.
pub(crate) fn zintercard(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    zop_generic(x, args, Op::Inter, Output::Cardinality, "zintercard")
}
