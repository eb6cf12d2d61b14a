//! Consumer groups: `XGROUP CREATE|SETID|DESTROY|CREATECONSUMER|DELCONSUMER|HELP`, `XACK`,
//! `XPENDING` (summary and extended form, `IDLE`), `XCLAIM` and `XAUTOCLAIM`, following
//! `t_stream.c`. Reading through a group is `stream_read`.
//!
//! **Invariant:** a group's pending list and its consumers' pending lists agree: an ID is in
//! `Group::pel` with consumer `c` exactly when it is in `c`'s `pel`.

use super::Exec;
use super::args::{CmdResult, NOT_INTEGER, SYNTAX, err, is_kw, parse_i64};
use super::stream::{Group, INVALID_ENTRIES_READ, Nack, Stream};
use super::stream_id::{StreamId, parse_id, parse_interval_id, parse_strict_id};
use super::streams::entry_reply;
use crate::reply::Reply;

/// Text as Redis's `%s` prints it: up to the first NUL byte.
pub(crate) fn c_str(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

/// `addReplySubcommandSyntaxError`.
pub(crate) fn subcommand_error(args: &[Vec<u8>]) -> Reply {
    let name = c_str(args.first().map_or(&[][..], Vec::as_slice)).to_ascii_uppercase();
    let sub: String = c_str(args.get(1).map_or(&[][..], Vec::as_slice))
        .chars()
        .take(128)
        .collect();
    err(&format!(
        "ERR unknown subcommand or wrong number of arguments for '{sub}'. Try {name} HELP."
    ))
}

/// `processCommand`'s checks of a container command (`XGROUP`, `XINFO`): the subcommand must
/// exist and have its arity.
pub(crate) fn check_subcommand(args: &[Vec<u8>]) -> Result<(), Reply> {
    crate::commands::resolve(args)
        .map(|_| ())
        .map_err(|error| error.to_reply())
}

/// `addReplyHelp`: the header, the lines, and the `HELP` footer, as status replies.
pub(crate) fn help_reply(args: &[Vec<u8>], lines: &[&str]) -> Reply {
    let name = c_str(&args[0]).to_ascii_uppercase();
    let mut out = vec![Reply::Status(
        format!("{name} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:").into_bytes(),
    )];
    out.extend(lines.iter().map(|l| Reply::Status(l.as_bytes().to_vec())));
    out.push(Reply::Status(b"HELP".to_vec()));
    out.push(Reply::Status(b"    Prints this help.".to_vec()));
    Reply::Array(out)
}

const XGROUP_HELP: &[&str] = &[
    "CREATE <key> <groupname> <id|$> [option]",
    "    Create a new consumer group. Options are:",
    "    * MKSTREAM",
    "      Create the empty stream if it does not exist.",
    "    * ENTRIESREAD entries_read",
    "      Set the group's entries_read counter (internal use).",
    "CREATECONSUMER <key> <groupname> <consumer>",
    "    Create a new consumer in the specified group.",
    "DELCONSUMER <key> <groupname> <consumer>",
    "    Remove the specified consumer.",
    "DESTROY <key> <groupname>",
    "    Remove the specified group.",
    "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
    "    Set the current group ID and entries_read counter.",
];

/// `-NOGROUP` for a command on a missing key or group.
fn no_group(key: &[u8], group: &[u8]) -> Reply {
    err(&format!(
        "NOGROUP No such key '{}' or consumer group '{}'",
        c_str(key),
        c_str(group)
    ))
}

/// `XGROUP subcommand ...`.
pub(crate) fn xgroup(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    check_subcommand(args)?;
    let sub = args[1].to_ascii_lowercase();
    if args.len() == 2 && sub == b"help" {
        return Ok(help_reply(args, XGROUP_HELP));
    }
    if args.len() < 4 {
        return Err(subcommand_error(args));
    }
    let (create, setid) = (sub == b"create", sub == b"setid");
    let mut mkstream = false;
    let mut entries_read = INVALID_ENTRIES_READ;
    let mut idx = 5;
    while idx < args.len() {
        if create && is_kw(&args[idx], "mkstream") {
            mkstream = true;
            idx += 1;
        } else if (create || setid) && is_kw(&args[idx], "entriesread") && idx + 1 < args.len() {
            entries_read = parse_i64(&args[idx + 1]).ok_or_else(|| err(NOT_INTEGER))?;
            if entries_read < 0 && entries_read != INVALID_ENTRIES_READ {
                return Err(err("ERR value for ENTRIESREAD must be positive or -1"));
            }
            idx += 2;
        } else {
            return Err(subcommand_error(args));
        }
    }
    let (key, group_name) = (&args[2], &args[3]);
    let now = x.now();
    let exists = x.stream(key)?.is_some();
    if !mkstream {
        let Some(stream) = x.stream(key)? else {
            return Err(err(
                "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.",
            ));
        };
        let needs_group = matches!(
            sub.as_slice(),
            b"setid" | b"createconsumer" | b"delconsumer"
        );
        if needs_group && !stream.groups.contains_key(group_name.as_slice()) {
            return Err(err(&format!(
                "NOGROUP No such consumer group '{}' for key name '{}'",
                c_str(group_name),
                c_str(key)
            )));
        }
    }
    match sub.as_slice() {
        b"create" if (5..=8).contains(&args.len()) => {
            let id = match args[4].as_slice() {
                b"$" => x.stream(key)?.map_or(StreamId::MIN, |s| s.last_id),
                arg => parse_strict_id(arg, 0)?,
            };
            let stream = x.stream_or_create(key)?;
            if stream.groups.contains_key(group_name.as_slice()) {
                return Err(err("BUSYGROUP Consumer Group name already exists"));
            }
            stream
                .groups
                .insert(group_name.clone(), Group::new(id, entries_read));
            Ok(Reply::ok())
        }
        _ if !exists => Err(subcommand_error(args)),
        b"setid" if args.len() == 5 || args.len() == 7 => {
            let stream = stream_of(x, key)?;
            let id = match args[4].as_slice() {
                b"$" => stream.last_id,
                arg => parse_id(arg, 0)?,
            };
            if let Some(group) = stream.groups.get_mut(group_name.as_slice()) {
                group.last_id = id;
                group.entries_read = entries_read;
            }
            Ok(Reply::ok())
        }
        b"destroy" if args.len() == 4 => {
            let stream = stream_of(x, key)?;
            let removed = stream.groups.remove(group_name.as_slice()).is_some();
            Ok(Reply::Integer(i64::from(removed)))
        }
        b"createconsumer" if args.len() == 5 => {
            let stream = stream_of(x, key)?;
            let created = stream
                .groups
                .get_mut(group_name.as_slice())
                .is_some_and(|group| group.consumer_or_create(&args[4], now).1);
            Ok(Reply::Integer(i64::from(created)))
        }
        b"delconsumer" if args.len() == 5 => {
            let stream = stream_of(x, key)?;
            let mut pending = 0;
            if let Some(group) = stream.groups.get_mut(group_name.as_slice()) {
                if let Some(consumer) = group.consumers.remove(args[4].as_slice()) {
                    pending = consumer.pel.len();
                    for id in &consumer.pel {
                        group.pel.remove(id);
                    }
                }
            }
            Ok(Reply::Integer(pending as i64))
        }
        _ => Err(subcommand_error(args)),
    }
}

/// The stream under `key`, which the caller knows exists.
fn stream_of<'x>(x: &'x mut Exec<'_>, key: &[u8]) -> Result<&'x mut Stream, Reply> {
    match x.stream_mut(key)? {
        Some(stream) => Ok(stream),
        None => Err(err(super::args::NO_SUCH_KEY)),
    }
}

/// `XACK key group id...`.
pub(crate) fn xack(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let Some(stream) = x.stream_mut(&args[1])? else {
        return Ok(Reply::Integer(0));
    };
    let Some(group) = stream.groups.get_mut(args[2].as_slice()) else {
        return Ok(Reply::Integer(0));
    };
    let ids = args[3..]
        .iter()
        .map(|arg| parse_strict_id(arg, 0))
        .collect::<Result<Vec<_>, _>>()?;
    let mut acknowledged = 0;
    for id in ids {
        if let Some(nack) = group.pel.remove(&id) {
            if let Some(consumer) = group.consumers.get_mut(&nack.consumer) {
                consumer.pel.remove(&id);
            }
            acknowledged += 1;
        }
    }
    Ok(Reply::Integer(acknowledged))
}

/// `XPENDING key group [[IDLE min-idle] start end count [consumer]]`.
pub(crate) fn xpending(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let n_args = args.len();
    if n_args != 3 && !(6..=9).contains(&n_args) {
        return Err(err(SYNTAX));
    }
    let mut range = None;
    if n_args >= 6 {
        let mut at = 3;
        let mut min_idle = 0;
        if is_kw(&args[3], "idle") {
            min_idle = parse_i64(&args[4]).ok_or_else(|| err(NOT_INTEGER))?;
            if n_args < 8 {
                return Err(err(SYNTAX));
            }
            at = 5;
        }
        let count = parse_i64(&args[at + 2]).ok_or_else(|| err(NOT_INTEGER))?;
        let (mut start, start_ex) = parse_interval_id(&args[at], 0)?;
        if start_ex {
            start = start
                .incr()
                .ok_or_else(|| err("ERR invalid start ID for the interval"))?;
        }
        let (mut end, end_ex) = parse_interval_id(&args[at + 1], u64::MAX)?;
        if end_ex {
            end = end
                .decr()
                .ok_or_else(|| err("ERR invalid end ID for the interval"))?;
        }
        let consumer = args.get(at + 3).map(Vec::as_slice);
        range = Some((min_idle, start, end, count.max(0), consumer));
    }
    let now = x.now();
    let group = x
        .stream(&args[1])?
        .and_then(|s| s.groups.get(args[2].as_slice()))
        .ok_or_else(|| no_group(&args[1], &args[2]))?;
    let Some((min_idle, start, end, count, consumer)) = range else {
        let (Some(first), Some(last)) = (group.pel.keys().next(), group.pel.keys().next_back())
        else {
            return Ok(Reply::Array(vec![
                Reply::Integer(0),
                Reply::Nil,
                Reply::Nil,
                Reply::NilArray,
            ]));
        };
        let owners = group
            .consumers
            .iter()
            .filter(|(_, c)| !c.pel.is_empty())
            .map(|(name, c)| {
                Reply::Array(vec![
                    Reply::Bulk(name.clone()),
                    Reply::Bulk(c.pel.len().to_string().into_bytes()),
                ])
            })
            .collect();
        return Ok(Reply::Array(vec![
            Reply::Integer(group.pel.len() as i64),
            first.reply(),
            last.reply(),
            Reply::Array(owners),
        ]));
    };
    if start > end {
        return Ok(Reply::Array(Vec::new()));
    }
    let ids: Box<dyn Iterator<Item = StreamId>> = match consumer {
        Some(name) => match group.consumers.get(name) {
            Some(c) => Box::new(c.pel.range(start..=end).copied()),
            None => return Ok(Reply::Array(Vec::new())),
        },
        None => Box::new(group.pel.range(start..=end).map(|(id, _)| *id)),
    };
    let mut out = Vec::new();
    for id in ids {
        if out.len() as i64 >= count {
            break;
        }
        let Some(nack) = group.pel.get(&id) else {
            continue;
        };
        let idle = now.saturating_sub(nack.delivery_time);
        if min_idle != 0 && idle < min_idle {
            continue;
        }
        out.push(Reply::Array(vec![
            id.reply(),
            Reply::Bulk(nack.consumer.clone()),
            Reply::Integer(idle.max(0)),
            Reply::Integer(i64::try_from(nack.delivery_count).unwrap_or(i64::MAX)),
        ]));
    }
    Ok(Reply::Array(out))
}

/// Gives pending entry `id` to `consumer` (`XCLAIM`/`XAUTOCLAIM`'s common part), which is
/// seen now.
fn claim(
    group: &mut Group,
    id: StreamId,
    consumer: &[u8],
    delivery_time: i64,
    delivery_count: u64,
    now: i64,
) {
    let previous = group.pel.get(&id).map(|nack| nack.consumer.clone());
    if let Some(previous) = previous.filter(|p| p.as_slice() != consumer) {
        if let Some(old) = group.consumers.get_mut(&previous) {
            old.pel.remove(&id);
        }
    }
    let (owner, _) = group.consumer_or_create(consumer, now);
    owner.seen_time = now;
    owner.pel.insert(id);
    group.pel.insert(
        id,
        Nack {
            consumer: consumer.to_vec(),
            delivery_time,
            delivery_count,
        },
    );
}

/// Drops pending entry `id` (its entry is gone from the stream).
fn drop_pending(group: &mut Group, id: StreamId) {
    if let Some(nack) = group.pel.remove(&id) {
        if let Some(consumer) = group.consumers.get_mut(&nack.consumer) {
            consumer.pel.remove(&id);
        }
    }
}

/// An `XCLAIM` option's integer, or its own error text.
fn claim_int(arg: &[u8], what: &str) -> Result<i64, Reply> {
    parse_i64(arg).ok_or_else(|| err(&format!("ERR Invalid {what} argument for XCLAIM")))
}

/// `XCLAIM key group consumer min-idle-time id... [IDLE ms] [TIME unix-ms] [RETRYCOUNT count]
/// [FORCE] [JUSTID] [LASTID id]`.
pub(crate) fn xclaim(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let now = x.now();
    let stream = x
        .stream_mut(&args[1])?
        .filter(|s| s.groups.contains_key(args[2].as_slice()))
        .ok_or_else(|| no_group(&args[1], &args[2]))?;
    let min_idle = claim_int(&args[4], "min-idle-time")?.max(0);
    let mut ids = Vec::new();
    let mut idx = 5;
    while let Some(arg) = args.get(idx) {
        match parse_strict_id(arg, 0) {
            Ok(id) => ids.push(id),
            Err(_) => break,
        }
        idx += 1;
    }
    let (mut force, mut justid) = (false, false);
    let mut retry_count: Option<i64> = None;
    let mut delivery_time: Option<i64> = None;
    let mut last_id = StreamId::MIN;
    while let Some(opt) = args.get(idx) {
        let value = args.get(idx + 1);
        if is_kw(opt, "force") {
            force = true;
        } else if is_kw(opt, "justid") {
            justid = true;
        } else if let (true, Some(value)) = (is_kw(opt, "idle"), value) {
            let idle = parse_i64(value)
                .ok_or_else(|| err("ERR Invalid IDLE option argument for XCLAIM"))?;
            delivery_time = Some(now.wrapping_sub(idle));
            idx += 1;
        } else if let (true, Some(value)) = (is_kw(opt, "time"), value) {
            delivery_time = Some(
                parse_i64(value)
                    .ok_or_else(|| err("ERR Invalid TIME option argument for XCLAIM"))?,
            );
            idx += 1;
        } else if let (true, Some(value)) = (is_kw(opt, "retrycount"), value) {
            retry_count = Some(
                parse_i64(value)
                    .ok_or_else(|| err("ERR Invalid RETRYCOUNT option argument for XCLAIM"))?,
            );
            idx += 1;
        } else if let (true, Some(value)) = (is_kw(opt, "lastid"), value) {
            last_id = parse_strict_id(value, 0)?;
            idx += 1;
        } else {
            return Err(err(&format!(
                "ERR Unrecognized XCLAIM option '{}'",
                c_str(opt)
            )));
        }
        idx += 1;
    }
    let Some(mut group) = stream.groups.remove(args[2].as_slice()) else {
        return Err(no_group(&args[1], &args[2]));
    };
    if last_id > group.last_id {
        group.last_id = last_id;
    }
    let delivery_time = match delivery_time {
        Some(time) if (0..=now).contains(&time) => time,
        _ => now,
    };
    let consumer = &args[3];
    let mut out = Vec::new();
    for id in ids {
        let Some(fields) = stream.get(id) else {
            drop_pending(&mut group, id);
            continue;
        };
        // FORCE creates the pending entry as a fresh delivery (`streamCreateNACK`).
        let (previous_time, previous_count, fresh) = match group.pel.get(&id) {
            Some(nack) => (nack.delivery_time, nack.delivery_count, false),
            None if force => (now, 1, true),
            None => continue,
        };
        if !fresh && min_idle > 0 && now.saturating_sub(previous_time) < min_idle {
            continue;
        }
        let delivery_count = match retry_count.filter(|&c| c >= 0) {
            Some(count) => u64::try_from(count).unwrap_or(0),
            None if !justid => previous_count.saturating_add(1),
            None => previous_count,
        };
        claim(&mut group, id, consumer, delivery_time, delivery_count, now);
        out.push(if justid {
            id.reply()
        } else {
            entry_reply(id, fields)
        });
    }
    stream.groups.insert(args[2].clone(), group);
    Ok(Reply::Array(out))
}

/// `XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]`.
pub(crate) fn xautoclaim(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let now = x.now();
    let min_idle = parse_i64(&args[4])
        .ok_or_else(|| err("ERR Invalid min-idle-time argument for XAUTOCLAIM"))?
        .max(0);
    let (mut start, start_ex) = parse_interval_id(&args[5], 0)?;
    if start_ex {
        start = start
            .incr()
            .ok_or_else(|| err("ERR invalid start ID for the interval"))?;
    }
    let mut count: i64 = 100;
    let mut justid = false;
    let mut idx = 6;
    while let Some(opt) = args.get(idx) {
        if is_kw(opt, "count") && idx + 1 < args.len() {
            let max_count = i64::MAX / 16;
            count = parse_i64(&args[idx + 1])
                .filter(|value| (1..=max_count).contains(value))
                .ok_or_else(|| err("ERR COUNT must be > 0"))?;
            idx += 1;
        } else if is_kw(opt, "justid") {
            justid = true;
        } else {
            return Err(err(SYNTAX));
        }
        idx += 1;
    }
    let stream = x
        .stream_mut(&args[1])?
        .filter(|s| s.groups.contains_key(args[2].as_slice()))
        .ok_or_else(|| no_group(&args[1], &args[2]))?;
    let Some(mut group) = stream.groups.remove(args[2].as_slice()) else {
        return Err(no_group(&args[1], &args[2]));
    };
    let consumer = &args[3];
    let mut attempts = count.saturating_mul(10);
    let mut claimed = Vec::new();
    let mut deleted = Vec::new();
    let mut cursor = Some(start);
    while attempts > 0 && count > 0 {
        attempts -= 1;
        let Some(from) = cursor else { break };
        let Some((&id, nack)) = group.pel.range(from..).next() else {
            cursor = None;
            break;
        };
        cursor = id.incr();
        let Some(fields) = stream.get(id) else {
            drop_pending(&mut group, id);
            deleted.push(id.reply());
            count -= 1;
            continue;
        };
        if min_idle > 0 && now.saturating_sub(nack.delivery_time) < min_idle {
            continue;
        }
        let delivery_count = if justid {
            nack.delivery_count
        } else {
            nack.delivery_count.saturating_add(1)
        };
        claim(&mut group, id, consumer, now, delivery_count, now);
        claimed.push(if justid {
            id.reply()
        } else {
            entry_reply(id, fields)
        });
        count -= 1;
    }
    let next = cursor
        .and_then(|from| group.pel.range(from..).next().map(|(id, _)| *id))
        .unwrap_or(StreamId::MIN);
    stream.groups.insert(args[2].clone(), group);
    Ok(Reply::Array(vec![
        next.reply(),
        Reply::Array(claimed),
        Reply::Array(deleted),
    ]))
}
