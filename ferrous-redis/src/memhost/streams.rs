//! Stream commands that add, trim and read entries without groups: `XADD`, `XTRIM`, `XLEN`,
//! `XRANGE`, `XREVRANGE`, `XDEL`, following `t_stream.c`. Reading with `XREAD` and groups is
//! `stream_read`; group management is `stream_groups`; `XINFO` and `XSETID` are
//! `stream_info`.

use super::Exec;
use super::args::{CmdResult, NOT_INTEGER, SYNTAX, err, int_arg, is_kw, parse_i64};
use super::stream::{NodeLimits, Stream, TrimStrategy};
use super::stream_id::{StreamId, parse_id_generic, parse_interval_id, parse_strict_id};
use crate::reply::Reply;

/// The options `XADD` and `XTRIM` share (`streamAddTrimArgs`).
#[derive(Debug, Default)]
struct AddTrimArgs {
    strategy: Option<TrimStrategy>,
    approx: bool,
    limit: u64,
    no_mkstream: bool,
    /// `XADD`'s explicit ID and whether its sequence was given.
    id: Option<(StreamId, bool)>,
}

/// `streamParseAddOrTrimArgsOrReply`: parses from `args[2]`; for `XADD` returns the index of
/// the ID argument (`*` or explicit).
fn parse_add_trim(
    args: &[Vec<u8>],
    xadd: bool,
    limits: NodeLimits,
) -> Result<(AddTrimArgs, usize), Reply> {
    let mut parsed = AddTrimArgs::default();
    let mut limit_given = false;
    let mut idx = 2;
    while idx < args.len() {
        let more = args.len() - 1 - idx;
        let opt = &args[idx];
        if xadd && opt.as_slice() == b"*" {
            break;
        }
        let maxlen = is_kw(opt, "maxlen");
        if (maxlen || is_kw(opt, "minid")) && more > 0 {
            if parsed.strategy.is_some() {
                return Err(err(
                    "ERR syntax error, MAXLEN and MINID options at the same time are not compatible",
                ));
            }
            parsed.approx = false;
            let next = args[idx + 1].as_slice();
            if more >= 2 && (next == b"~" || next == b"=") {
                parsed.approx = next == b"~";
                idx += 1;
            }
            let threshold = &args[idx + 1];
            parsed.strategy = Some(if maxlen {
                let max = int_arg(threshold)?;
                let max =
                    u64::try_from(max).map_err(|_| err("ERR The MAXLEN argument must be >= 0."))?;
                TrimStrategy::MaxLen(max)
            } else {
                TrimStrategy::MinId(parse_strict_id(threshold, 0)?)
            });
            idx += 2;
            continue;
        }
        if is_kw(opt, "limit") && more > 0 {
            let limit = int_arg(&args[idx + 1])?;
            parsed.limit =
                u64::try_from(limit).map_err(|_| err("ERR The LIMIT argument must be >= 0."))?;
            limit_given = true;
            idx += 2;
            continue;
        }
        if xadd && is_kw(opt, "nomkstream") {
            parsed.no_mkstream = true;
            idx += 1;
            continue;
        }
        if !xadd {
            return Err(err(SYNTAX));
        }
        let id = parse_id_generic(opt, 0, true, true)?;
        parsed.id = Some((id.id, id.seq_given));
        break;
    }
    if parsed.limit > 0 && parsed.strategy.is_none() {
        return Err(err(
            "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy",
        ));
    }
    if !xadd && parsed.strategy.is_none() {
        return Err(err(
            "ERR syntax error, XTRIM must be called with a trimming strategy",
        ));
    }
    if limit_given {
        if !parsed.approx {
            return Err(err(
                "ERR syntax error, LIMIT cannot be used without the special ~ option",
            ));
        }
    } else if parsed.approx {
        parsed.limit = limits.default_trim_limit();
    }
    Ok((parsed, idx))
}

/// The ID `XADD` would give the next entry (`streamAppendItem`'s first half), or the error.
fn next_id(stream: &Stream, given: Option<(StreamId, bool)>, now: i64) -> Result<StreamId, Reply> {
    let smaller =
        || err("ERR The ID specified in XADD is equal or smaller than the target stream top item");
    let last = stream.last_id;
    let id = match given {
        Some((id, true)) => id,
        Some((id, false)) if id.ms == last.ms => {
            if last.seq == u64::MAX {
                return Err(smaller());
            }
            StreamId {
                ms: last.ms,
                seq: last.seq + 1,
            }
        }
        Some((id, false)) => id,
        None => {
            let ms = u64::try_from(now).unwrap_or(0);
            if ms > last.ms {
                StreamId { ms, seq: 0 }
            } else {
                last.incr().ok_or_else(smaller)?
            }
        }
    };
    if id <= last {
        return Err(smaller());
    }
    Ok(id)
}

/// `XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value...`.
pub(crate) fn xadd(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let limits = x.stream_limits;
    let (parsed, id_idx) = parse_add_trim(args, true, limits)?;
    let n_fields = args.len().saturating_sub(id_idx + 1);
    if n_fields < 2 || n_fields % 2 == 1 {
        return Err(err("ERR wrong number of arguments for 'xadd' command"));
    }
    if parsed.id == Some((StreamId::MIN, true)) {
        return Err(err("ERR The ID specified in XADD must be greater than 0-0"));
    }
    let now = x.now();
    let stream = if parsed.no_mkstream {
        match x.stream_mut(&args[1])? {
            Some(stream) => stream,
            None => return Ok(Reply::Nil),
        }
    } else {
        x.stream_or_create(&args[1])?
    };
    if stream.last_id == StreamId::MAX {
        return Err(err(
            "ERR The stream has exhausted the last possible ID, unable to add more items",
        ));
    }
    let id = next_id(stream, parsed.id, now)?;
    stream.append(id, args[id_idx + 1..].to_vec(), limits);
    if let Some(strategy) = parsed.strategy {
        stream.trim(strategy, parsed.approx, parsed.limit);
    }
    Ok(id.reply())
}

/// `XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]`.
pub(crate) fn xtrim(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let (parsed, _) = parse_add_trim(args, false, x.stream_limits)?;
    let Some(stream) = x.stream_mut(&args[1])? else {
        return Ok(Reply::Integer(0));
    };
    let deleted = match parsed.strategy {
        Some(strategy) => stream.trim(strategy, parsed.approx, parsed.limit),
        None => 0,
    };
    Ok(Reply::Integer(i64::try_from(deleted).unwrap_or(i64::MAX)))
}

/// `XLEN key`.
pub(crate) fn xlen(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let len = x.stream(&args[1])?.map_or(0, |stream| stream.len());
    Ok(Reply::Integer(i64::try_from(len).unwrap_or(i64::MAX)))
}

/// One entry as Redis replies it: `[id, [field, value...]]`.
pub(crate) fn entry_reply(id: StreamId, fields: &[Vec<u8>]) -> Reply {
    Reply::Array(vec![
        id.reply(),
        Reply::Array(fields.iter().cloned().map(Reply::Bulk).collect()),
    ])
}

/// Entries from `start` to `end` (inclusive), at most `count` of them (0: all).
pub(crate) fn range_reply(
    stream: &Stream,
    start: StreamId,
    end: StreamId,
    count: usize,
    rev: bool,
) -> Reply {
    let limit = if count == 0 { usize::MAX } else { count };
    let entries = stream
        .range(start, end, rev)
        .take(limit)
        .map(|(id, fields)| entry_reply(id, fields))
        .collect();
    Reply::Array(entries)
}

fn xrange_generic(x: &mut Exec<'_>, args: &[Vec<u8>], rev: bool) -> CmdResult {
    let (start_arg, end_arg) = if rev {
        (&args[3], &args[2])
    } else {
        (&args[2], &args[3])
    };
    let (mut start, start_ex) = parse_interval_id(start_arg, 0)?;
    if start_ex {
        start = start
            .incr()
            .ok_or_else(|| err("ERR invalid start ID for the interval"))?;
    }
    let (mut end, end_ex) = parse_interval_id(end_arg, u64::MAX)?;
    if end_ex {
        end = end
            .decr()
            .ok_or_else(|| err("ERR invalid end ID for the interval"))?;
    }
    let mut count: i64 = -1;
    let mut idx = 4;
    while idx < args.len() {
        if is_kw(&args[idx], "count") && idx + 1 < args.len() {
            count = parse_i64(&args[idx + 1])
                .ok_or_else(|| err(NOT_INTEGER))?
                .max(0);
            idx += 2;
        } else {
            return Err(err(SYNTAX));
        }
    }
    let Some(stream) = x.stream(&args[1])? else {
        return Ok(Reply::Array(Vec::new()));
    };
    if count == 0 {
        return Ok(Reply::NilArray);
    }
    let count = usize::try_from(count).unwrap_or(0);
    Ok(range_reply(stream, start, end, count, rev))
}

/// `XRANGE key start end [COUNT count]`.
pub(crate) fn xrange(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    xrange_generic(x, args, false)
}

/// `XREVRANGE key end start [COUNT count]`.
pub(crate) fn xrevrange(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    xrange_generic(x, args, true)
}

/// `XDEL key id...`: every ID is checked before any is deleted.
pub(crate) fn xdel(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let Some(stream) = x.stream_mut(&args[1])? else {
        return Ok(Reply::Integer(0));
    };
    let ids = args[2..]
        .iter()
        .map(|arg| parse_strict_id(arg, 0))
        .collect::<Result<Vec<_>, _>>()?;
    let deleted = ids.into_iter().filter(|&id| stream.delete(id)).count();
    Ok(Reply::Integer(deleted as i64))
}
