//! `XREAD` and `XREADGROUP` with `BLOCK`: the stream side of `blocking.rs`.
//!
//! The keyspace answers these without blocking (the nil array when nothing can be served).
//! When a client's `BLOCK` read finds nothing, it waits as a [`BlockSpec`] whose request is the
//! same read made ready to retry: `BLOCK` removed, each `$` replaced by the stream's last ID at
//! the time of the call, and `COUNT 1000` when none was given (Redis's
//! `XREAD_BLOCKED_DEFAULT_COUNT`). After a write, the streams written (`ServerHost::ready`, in
//! write order) are read one at a time; the first with something new serves the client with
//! that stream alone, as `serveClientsBlockedOnStreamKey` does. A blocked `XREADGROUP` whose key
//! was deleted or changed type ends with `-UNBLOCKED the stream key no longer exists`, one whose
//! group was destroyed with `-NOGROUP`, as in Redis's `blocked.c`. `BLOCK 0` waits forever;
//! from `EXEC` nothing blocks.

use std::time::{Duration, Instant};

use ferrous_redis::{CallContext, CommandHost, Reply};

use super::blocking::BlockSpec;
use super::core::{Core, Step};
use super::host::ServerHost;

/// Redis's `XREAD_BLOCKED_DEFAULT_COUNT`.
const BLOCKED_DEFAULT_COUNT: &[u8] = b"1000";

/// Whether `argv` is a stream read (what this module retries).
pub(crate) fn is_stream_read(argv: &[Vec<u8>]) -> bool {
    argv.first().is_some_and(|name| {
        name.eq_ignore_ascii_case(b"xread") || name.eq_ignore_ascii_case(b"xreadgroup")
    })
}

/// The options before `STREAMS`: the index of each option word, so `BLOCK`'s value and
/// `COUNT` can be found (the keyspace already checked the syntax).
fn option_indices(argv: &[Vec<u8>]) -> (Option<usize>, bool, Option<usize>) {
    let (mut block, mut count, mut streams) = (None, false, None);
    let mut idx = 1;
    while idx < argv.len() {
        let arg = &argv[idx];
        if arg.eq_ignore_ascii_case(b"streams") {
            streams = Some(idx);
            break;
        }
        if arg.eq_ignore_ascii_case(b"block") {
            block = Some(idx);
            idx += 2;
        } else if arg.eq_ignore_ascii_case(b"count") {
            count = true;
            idx += 2;
        } else if arg.eq_ignore_ascii_case(b"group") {
            idx += 3;
        } else {
            idx += 1;
        }
    }
    (block, count, streams)
}

/// Whether a stream read asks to block.
pub(crate) fn wants_block(argv: &[Vec<u8>]) -> bool {
    is_stream_read(argv) && option_indices(argv).0.is_some()
}

/// The `last-generated-id` of the stream at `key`, or `0-0` when there is none.
fn last_id(host: &mut ServerHost, ctx: &CallContext, key: &[u8]) -> Vec<u8> {
    let argv = [b"xinfo".to_vec(), b"stream".to_vec(), key.to_vec()];
    let fields = match host.mem.call(ctx, &argv) {
        Reply::Array(fields) => fields,
        _ => return b"0-0".to_vec(),
    };
    fields
        .chunks(2)
        .find_map(|pair| match pair {
            [Reply::Bulk(name), Reply::Bulk(id)] if name == b"last-generated-id" => {
                Some(id.clone())
            }
            _ => None,
        })
        .unwrap_or_else(|| b"0-0".to_vec())
}

/// The read a blocked client retries: no `BLOCK`, `$` resolved, a `COUNT`.
fn retry_argv(host: &mut ServerHost, ctx: &CallContext, argv: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let (block, has_count, streams) = option_indices(argv);
    let Some(streams) = streams else {
        return argv.to_vec();
    };
    let mut out: Vec<Vec<u8>> = Vec::with_capacity(argv.len() + 2);
    for (idx, arg) in argv[..streams].iter().enumerate() {
        if block.is_some_and(|b| idx == b || idx == b + 1) {
            continue;
        }
        out.push(arg.clone());
    }
    if !has_count {
        out.push(b"COUNT".to_vec());
        out.push(BLOCKED_DEFAULT_COUNT.to_vec());
    }
    let rest = &argv[streams + 1..];
    let n_keys = rest.len() / 2;
    out.push(argv[streams].clone());
    out.extend(rest[..n_keys].iter().cloned());
    for (key, id) in rest[..n_keys].iter().zip(&rest[n_keys..]) {
        if id.as_slice() == b"$" {
            out.push(last_id(host, ctx, key));
        } else {
            out.push(id.clone());
        }
    }
    out
}

/// The `BLOCK` timeout in milliseconds (0: forever), as already checked by the keyspace.
fn block_deadline(argv: &[Vec<u8>]) -> Option<Instant> {
    let (block, _, _) = option_indices(argv);
    let ms = block
        .and_then(|b| argv.get(b + 1))
        .and_then(|v| std::str::from_utf8(v).ok()?.parse::<u64>().ok())
        .unwrap_or(0);
    if ms == 0 {
        return None;
    }
    Instant::now().checked_add(Duration::from_millis(ms))
}

/// A retry of a blocked stream read: `Some(reply)` ends the wait. The streams just written
/// are tried one by one in the order they were written, and the first with something new
/// answers alone, as Redis serves a blocked reader from the first of its keys that became
/// ready.
pub(crate) fn retry(host: &mut ServerHost, spec: &BlockSpec) -> Option<Reply> {
    let ctx = CallContext {
        resp: spec.resp,
        db: spec.db,
        from_script: false,
    };
    let argv = &spec.argv;
    let group = argv
        .first()
        .is_some_and(|n| n.eq_ignore_ascii_case(b"xreadgroup"));
    let (_, _, streams) = option_indices(argv);
    let streams = streams?;
    let rest = &argv[streams + 1..];
    let (keys, ids) = rest.split_at(rest.len() / 2);
    if group {
        for key in keys {
            let kind = host.mem.call(&ctx, &[b"type".to_vec(), key.clone()]);
            if !matches!(&kind, Reply::Status(kind) if kind == b"stream") {
                return Some(Reply::error("UNBLOCKED the stream key no longer exists"));
            }
        }
    }
    let mut ready: Vec<&Vec<u8>> = Vec::new();
    for (db, key) in &host.ready {
        if *db == spec.db && !ready.contains(&key) {
            ready.push(key);
        }
    }
    let order: Vec<(Vec<u8>, Vec<u8>)> = ready
        .iter()
        .filter_map(|key| {
            let at = keys.iter().position(|k| k == *key)?;
            Some((keys[at].clone(), ids[at].clone()))
        })
        .collect();
    for (key, id) in order {
        let mut one = argv[..=streams].to_vec();
        one.push(key);
        one.push(id);
        match host.call(&ctx, &one) {
            Reply::NilArray => {}
            Reply::Error(text) if group && text.starts_with(b"NOGROUP") => {
                return Some(Reply::error(
                    "NOGROUP the consumer group this client was blocked on no longer exists",
                ));
            }
            // A key of another type keeps an XREAD waiting (Redis serves it only from streams).
            Reply::Error(_) => {}
            reply => return Some(reply),
        }
    }
    None
}

impl Core {
    /// `XREAD`/`XREADGROUP` with `BLOCK`: answered now, or the client blocks.
    pub(crate) fn stream_read_blocking(
        &mut self,
        id: u64,
        argv: &[Vec<u8>],
        in_exec: bool,
    ) -> Step {
        let ctx = self.call_context(id);
        let reply = self.engine.command(&ctx, argv);
        if reply != Reply::NilArray || in_exec {
            return Step::Reply(reply);
        }
        let host = self.engine.host_mut();
        let retry = retry_argv(host, &ctx, argv);
        Step::Block(BlockSpec {
            db: ctx.db,
            resp: ctx.resp,
            argv: retry,
            deadline: block_deadline(argv),
        })
    }
}
