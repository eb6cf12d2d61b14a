//! `XREAD` and `XREADGROUP` (`xreadCommand`): option parsing, `$` and `>`, serving history from
//! a consumer's pending list, and delivering new entries to a group (pending entries, the
//! group's last ID and read counter).
//!
//! A host does not block: with `BLOCK` these answer what Redis answers when the client may not
//! block (the nil array when nothing can be served), except from a script, where Redis 7.0
//! refuses `BLOCK` outright (`xread command is not allowed with BLOCK option from scripts`).
//! `ferrous serve` blocks for real on top of this.

use super::Exec;
use super::args::{CmdResult, NOT_INTEGER, SYNTAX, err, is_kw, parse_i64};
use super::stream::{Group, Nack, Stream};
use super::stream_groups::c_str;
use super::stream_id::{StreamId, parse_strict_id};
use super::streams::entry_reply;
use crate::reply::Reply;

/// What `XREAD`/`XREADGROUP` read: options, then keys and IDs.
struct ReadArgs<'a> {
    count: usize,
    noack: bool,
    /// `GROUP group consumer`.
    group: Option<(&'a [u8], &'a [u8])>,
    keys: &'a [Vec<u8>],
    ids: &'a [Vec<u8>],
}

/// The ID to read after: an ID, or `>` (new entries of the group).
#[derive(Clone, Copy, Debug, PartialEq)]
enum After {
    Id(StreamId),
    New,
}

fn parse_read_args<'a>(
    x: &Exec<'_>,
    args: &'a [Vec<u8>],
    xreadgroup: bool,
) -> Result<ReadArgs<'a>, Reply> {
    let mut read = ReadArgs {
        count: 0,
        noack: false,
        group: None,
        keys: &[],
        ids: &[],
    };
    let mut streams_at = None;
    let mut idx = 1;
    while idx < args.len() {
        let more = args.len() - idx - 1;
        let opt = &args[idx];
        if is_kw(opt, "block") && more > 0 {
            if x.from_script {
                return Err(err(&format!(
                    "ERR {} command is not allowed with BLOCK option from scripts",
                    c_str(&args[0])
                )));
            }
            let timeout = parse_i64(&args[idx + 1])
                .ok_or_else(|| err("ERR timeout is not an integer or out of range"))?;
            if timeout < 0 {
                return Err(err("ERR timeout is negative"));
            }
            idx += 2;
        } else if is_kw(opt, "count") && more > 0 {
            let count = parse_i64(&args[idx + 1]).ok_or_else(|| err(NOT_INTEGER))?;
            read.count = usize::try_from(count.max(0)).unwrap_or(usize::MAX);
            idx += 2;
        } else if is_kw(opt, "streams") && more > 0 {
            let n_args = args.len() - idx - 1;
            if n_args % 2 != 0 {
                return Err(err(
                    "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.",
                ));
            }
            streams_at = Some(idx + 1);
            break;
        } else if is_kw(opt, "group") && more >= 2 {
            if !xreadgroup {
                return Err(err(
                    "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.",
                ));
            }
            read.group = Some((&args[idx + 1], &args[idx + 2]));
            idx += 3;
        } else if is_kw(opt, "noack") {
            if !xreadgroup {
                return Err(err(
                    "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.",
                ));
            }
            read.noack = true;
            idx += 1;
        } else {
            return Err(err(SYNTAX));
        }
    }
    let Some(at) = streams_at else {
        return Err(err(SYNTAX));
    };
    if xreadgroup && read.group.is_none() {
        return Err(err("ERR Missing GROUP option for XREADGROUP"));
    }
    let n_streams = (args.len() - at) / 2;
    read.keys = &args[at..at + n_streams];
    read.ids = &args[at + n_streams..];
    Ok(read)
}

/// Resolves each ID argument, checking each key's type and group on the way.
fn resolve_ids(x: &mut Exec<'_>, read: &ReadArgs<'_>) -> Result<Vec<After>, Reply> {
    let xreadgroup = read.group.is_some();
    let mut afters = Vec::with_capacity(read.keys.len());
    for (key, arg) in read.keys.iter().zip(read.ids) {
        let stream = x.stream(key)?;
        if let Some((group, _)) = read.group {
            if stream.is_none_or(|s| !s.groups.contains_key(group)) {
                return Err(err(&format!(
                    "NOGROUP No such key '{}' or consumer group '{}' in XREADGROUP with GROUP option",
                    c_str(key),
                    c_str(group)
                )));
            }
        }
        let after = match arg.as_slice() {
            b"$" => {
                if xreadgroup {
                    return Err(err(
                        "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.",
                    ));
                }
                After::Id(stream.map_or(StreamId::MIN, |s| s.last_id))
            }
            b">" => {
                if !xreadgroup {
                    return Err(err(
                        "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.",
                    ));
                }
                After::New
            }
            // Redis marks `>` with the largest ID, so that ID reads as `>` too.
            _ => match parse_strict_id(arg, 0)? {
                StreamId::MAX if xreadgroup => After::New,
                id => After::Id(id),
            },
        };
        afters.push(after);
    }
    Ok(afters)
}

/// Delivers entries after the group's last ID to `consumer` (`streamReplyWithRange` with a
/// group): moves the group forward and, unless `noack`, records them as pending.
fn deliver_new(
    stream: &Stream,
    group: &mut Group,
    consumer: &[u8],
    count: usize,
    noack: bool,
    now: i64,
) -> Vec<Reply> {
    let Some(start) = group.last_id.incr() else {
        return Vec::new();
    };
    let limit = if count == 0 { usize::MAX } else { count };
    let mut out = Vec::new();
    for (id, fields) in stream.range(start, StreamId::MAX, false).take(limit) {
        stream.advance_group(group, id);
        out.push(entry_reply(id, fields));
        if noack {
            continue;
        }
        let nack = Nack {
            consumer: consumer.to_vec(),
            delivery_time: now,
            delivery_count: 1,
        };
        if let Some(old) = group.pel.insert(id, nack) {
            if let Some(previous) = group.consumers.get_mut(&old.consumer) {
                previous.pel.remove(&id);
            }
        }
        let (owner, _) = group.consumer_or_create(consumer, now);
        owner.pel.insert(id);
    }
    out
}

/// Serves a consumer's own pending entries after `after` (`streamReplyWithRangeFromConsumerPEL`):
/// an entry deleted since is `[id, nil]`; each one served counts a delivery.
fn deliver_history(
    stream: &Stream,
    group: &mut Group,
    consumer: &[u8],
    after: StreamId,
    count: usize,
    now: i64,
) -> Vec<Reply> {
    let Some(start) = after.incr() else {
        return Vec::new();
    };
    let limit = if count == 0 { usize::MAX } else { count };
    let ids: Vec<StreamId> = group
        .consumers
        .get(consumer)
        .map(|c| c.pel.range(start..).take(limit).copied().collect())
        .unwrap_or_default();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        match stream.get(id) {
            Some(fields) => {
                out.push(entry_reply(id, fields));
                if let Some(nack) = group.pel.get_mut(&id) {
                    nack.delivery_time = now;
                    nack.delivery_count = nack.delivery_count.saturating_add(1);
                }
            }
            None => out.push(Reply::Array(vec![id.reply(), Reply::NilArray])),
        }
    }
    out
}

fn xread_generic(x: &mut Exec<'_>, args: &[Vec<u8>], xreadgroup: bool) -> CmdResult {
    let read = parse_read_args(x, args, xreadgroup)?;
    let afters = resolve_ids(x, &read)?;
    let (now, resp) = (x.now(), x.resp);
    let mut served = Vec::new();
    for (key, after) in read.keys.iter().zip(afters) {
        let Some(stream) = x.stream_mut(key)? else {
            continue;
        };
        let entries = match read.group {
            Some((group_name, consumer)) => {
                let Some(mut group) = stream.groups.remove(group_name) else {
                    continue;
                };
                let newer = stream
                    .last_entry()
                    .is_some_and(|(id, _)| id > group.last_id);
                let entries = match after {
                    After::New if !newer => None,
                    After::Id(after) => {
                        group.consumer_or_create(consumer, now).0.seen_time = now;
                        Some(deliver_history(
                            stream, &mut group, consumer, after, read.count, now,
                        ))
                    }
                    After::New => {
                        group.consumer_or_create(consumer, now).0.seen_time = now;
                        Some(deliver_new(
                            stream, &mut group, consumer, read.count, read.noack, now,
                        ))
                    }
                };
                stream.groups.insert(group_name.to_vec(), group);
                entries
            }
            None => {
                let After::Id(after) = after else { continue };
                match (stream.last_entry(), after.incr()) {
                    (Some((last, _)), Some(start)) if last > after => {
                        let limit = if read.count == 0 {
                            usize::MAX
                        } else {
                            read.count
                        };
                        let entries = stream
                            .range(start, StreamId::MAX, false)
                            .take(limit)
                            .map(|(id, fields)| entry_reply(id, fields))
                            .collect();
                        Some(entries)
                    }
                    _ => None,
                }
            }
        };
        if let Some(entries) = entries {
            served.push((Reply::Bulk(key.clone()), Reply::Array(entries)));
        }
    }
    if served.is_empty() {
        return Ok(Reply::NilArray);
    }
    Ok(if resp == 3 {
        Reply::Map(served)
    } else {
        Reply::Array(
            served
                .into_iter()
                .map(|(key, entries)| Reply::Array(vec![key, entries]))
                .collect(),
        )
    })
}

/// `XREAD [COUNT count] [BLOCK ms] STREAMS key... id...`.
pub(crate) fn xread(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    xread_generic(x, args, false)
}

/// `XREADGROUP GROUP group consumer [COUNT count] [BLOCK ms] [NOACK] STREAMS key... id...`.
pub(crate) fn xreadgroup(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    xread_generic(x, args, true)
}
