//! `XINFO STREAM [FULL [COUNT n]]|GROUPS|CONSUMERS|HELP` and `XSETID`, following `t_stream.c`.
//!
//! `radix-tree-keys` counts the listpack nodes `Stream` models; `radix-tree-nodes` is the size
//! of the radix tree Redis would build over them (`Stream::radix_tree_nodes`).

use super::Exec;
use super::args::{CmdResult, NO_SUCH_KEY, NOT_INTEGER, SYNTAX, err, is_kw, parse_i64};
use super::stream::{Group, INVALID_ENTRIES_READ, Stream};
use super::stream_groups::{c_str, check_subcommand, help_reply, subcommand_error};
use super::stream_id::{StreamId, parse_strict_id};
use super::streams::{entry_reply, range_reply};
use crate::reply::Reply;

const XINFO_HELP: &[&str] = &[
    "CONSUMERS <key> <groupname>",
    "    Show consumers of <groupname>.",
    "GROUPS <key>",
    "    Show the stream consumer groups.",
    "STREAM <key> [FULL [COUNT <count>]",
    "    Show information about the stream.",
];

/// A bulk field name.
fn name(text: &str) -> Reply {
    Reply::Bulk(text.as_bytes().to_vec())
}

/// A map in RESP3, a flat `[key, value, ...]` array in RESP2.
fn map(resp: u8, pairs: Vec<(Reply, Reply)>) -> Reply {
    if resp >= 3 {
        Reply::Map(pairs)
    } else {
        Reply::Array(pairs.into_iter().flat_map(|(k, v)| [k, v]).collect())
    }
}

/// An unsigned counter as an integer reply.
fn count_reply(value: u64) -> Reply {
    Reply::Integer(i64::try_from(value).unwrap_or(i64::MAX))
}

/// A group's `entries-read`: the counter, or nil when unknown.
fn entries_read_reply(group: &Group) -> Reply {
    if group.entries_read == INVALID_ENTRIES_READ {
        Reply::Nil
    } else {
        Reply::Integer(group.entries_read)
    }
}

/// `XINFO subcommand ...`.
pub(crate) fn xinfo(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    check_subcommand(args)?;
    let sub = args[1].to_ascii_lowercase();
    if sub == b"help" {
        if args.len() != 2 {
            return Err(subcommand_error(args));
        }
        return Ok(help_reply(args, XINFO_HELP));
    }
    if args.len() < 3 {
        return Err(subcommand_error(args));
    }
    let (now, resp) = (x.now(), x.resp);
    let key = &args[2];
    let stream = x.stream(key)?.ok_or_else(|| err(NO_SUCH_KEY))?;
    match sub.as_slice() {
        b"consumers" if args.len() == 4 => {
            let group = stream.groups.get(args[3].as_slice()).ok_or_else(|| {
                err(&format!(
                    "NOGROUP No such consumer group '{}' for key name '{}'",
                    c_str(&args[3]),
                    c_str(key)
                ))
            })?;
            let consumers = group
                .consumers
                .iter()
                .map(|(consumer_name, consumer)| {
                    map(
                        resp,
                        vec![
                            (name("name"), Reply::Bulk(consumer_name.clone())),
                            (name("pending"), Reply::Integer(consumer.pel.len() as i64)),
                            (
                                name("idle"),
                                Reply::Integer(now.saturating_sub(consumer.seen_time).max(0)),
                            ),
                        ],
                    )
                })
                .collect();
            Ok(Reply::Array(consumers))
        }
        b"groups" if args.len() == 3 => {
            let groups = stream
                .groups
                .iter()
                .map(|(group_name, group)| {
                    map(
                        resp,
                        vec![
                            (name("name"), Reply::Bulk(group_name.clone())),
                            (
                                name("consumers"),
                                Reply::Integer(group.consumers.len() as i64),
                            ),
                            (name("pending"), Reply::Integer(group.pel.len() as i64)),
                            (name("last-delivered-id"), group.last_id.reply()),
                            (name("entries-read"), entries_read_reply(group)),
                            (name("lag"), lag_reply(stream, group)),
                        ],
                    )
                })
                .collect();
            Ok(Reply::Array(groups))
        }
        b"stream" => stream_info(stream, args, resp),
        _ => Err(subcommand_error(args)),
    }
}

fn lag_reply(stream: &Stream, group: &Group) -> Reply {
    stream.lag(group).map_or(Reply::Nil, Reply::Integer)
}

/// `XINFO STREAM key [FULL [COUNT count]]`.
fn stream_info(stream: &Stream, args: &[Vec<u8>], resp: u8) -> CmdResult {
    let opts = &args[3..];
    let full = !opts.is_empty();
    let mut count: i64 = 10;
    if full {
        if (opts.len() != 1 && opts.len() != 3) || !is_kw(&opts[0], "full") {
            return Err(subcommand_error(args));
        }
        if opts.len() == 3 {
            if !is_kw(&opts[1], "count") {
                return Err(subcommand_error(args));
            }
            count = parse_i64(&opts[2]).ok_or_else(|| err(NOT_INTEGER))?;
            if count < 0 {
                count = 10;
            }
        }
    }
    let keys = stream.node_count() as u64;
    let mut info = vec![
        (name("length"), count_reply(stream.len())),
        (name("radix-tree-keys"), count_reply(keys)),
        (
            name("radix-tree-nodes"),
            count_reply(stream.radix_tree_nodes() as u64),
        ),
        (name("last-generated-id"), stream.last_id.reply()),
        (name("max-deleted-entry-id"), stream.max_deleted_id.reply()),
        (name("entries-added"), count_reply(stream.entries_added)),
        (name("recorded-first-entry-id"), stream.first_id.reply()),
    ];
    if !full {
        let edge = |entry: Option<(StreamId, &[Vec<u8>])>| {
            entry.map_or(Reply::Nil, |(id, fields)| entry_reply(id, fields))
        };
        info.push((name("groups"), Reply::Integer(stream.groups.len() as i64)));
        info.push((name("first-entry"), edge(stream.first_entry())));
        info.push((name("last-entry"), edge(stream.last_entry())));
        return Ok(map(resp, info));
    }
    let limit = usize::try_from(count).unwrap_or(usize::MAX);
    let take = if limit == 0 { usize::MAX } else { limit };
    info.push((
        name("entries"),
        range_reply(stream, StreamId::MIN, StreamId::MAX, limit, false),
    ));
    let groups = stream
        .groups
        .iter()
        .map(|(group_name, group)| {
            let pending = group
                .pel
                .iter()
                .take(take)
                .map(|(id, nack)| {
                    Reply::Array(vec![
                        id.reply(),
                        Reply::Bulk(nack.consumer.clone()),
                        Reply::Integer(nack.delivery_time),
                        count_reply(nack.delivery_count),
                    ])
                })
                .collect();
            let consumers = group
                .consumers
                .iter()
                .map(|(consumer_name, consumer)| {
                    let pending = consumer
                        .pel
                        .iter()
                        .take(take)
                        .filter_map(|id| {
                            let nack = group.pel.get(id)?;
                            Some(Reply::Array(vec![
                                id.reply(),
                                Reply::Integer(nack.delivery_time),
                                count_reply(nack.delivery_count),
                            ]))
                        })
                        .collect();
                    map(
                        resp,
                        vec![
                            (name("name"), Reply::Bulk(consumer_name.clone())),
                            (name("seen-time"), Reply::Integer(consumer.seen_time)),
                            (name("pel-count"), Reply::Integer(consumer.pel.len() as i64)),
                            (name("pending"), Reply::Array(pending)),
                        ],
                    )
                })
                .collect();
            map(
                resp,
                vec![
                    (name("name"), Reply::Bulk(group_name.clone())),
                    (name("last-delivered-id"), group.last_id.reply()),
                    (name("entries-read"), entries_read_reply(group)),
                    (name("lag"), lag_reply(stream, group)),
                    (name("pel-count"), Reply::Integer(group.pel.len() as i64)),
                    (name("pending"), Reply::Array(pending)),
                    (name("consumers"), Reply::Array(consumers)),
                ],
            )
        })
        .collect();
    info.push((name("groups"), Reply::Array(groups)));
    Ok(map(resp, info))
}

/// `XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]`.
pub(crate) fn xsetid(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let id = parse_strict_id(&args[2], 0)?;
    let mut entries_added: Option<u64> = None;
    let mut max_deleted = StreamId::MIN;
    let mut idx = 3;
    while let Some(opt) = args.get(idx) {
        let value = args.get(idx + 1);
        match value {
            Some(value) if is_kw(opt, "entriesadded") => {
                let added = parse_i64(value).ok_or_else(|| err(NOT_INTEGER))?;
                entries_added = Some(
                    u64::try_from(added).map_err(|_| err("ERR entries_added must be positive"))?,
                );
            }
            Some(value) if is_kw(opt, "maxdeletedid") => {
                max_deleted = parse_strict_id(value, 0)?;
                if id < max_deleted {
                    return Err(err(
                        "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id",
                    ));
                }
            }
            _ => return Err(err(SYNTAX)),
        }
        idx += 2;
    }
    let stream = x.stream_mut(&args[1])?.ok_or_else(|| err(NO_SUCH_KEY))?;
    if let Some((top, _)) = stream.last_entry() {
        if id < top {
            return Err(err(
                "ERR The ID specified in XSETID is smaller than the target stream top item",
            ));
        }
        if entries_added.is_some_and(|added| stream.len() > added) {
            return Err(err(
                "ERR The entries_added specified in XSETID is smaller than the target stream length",
            ));
        }
    }
    stream.last_id = id;
    if let Some(added) = entries_added {
        stream.entries_added = added;
    }
    if !max_deleted.is_zero() {
        stream.max_deleted_id = max_deleted;
    }
    Ok(Reply::ok())
}
