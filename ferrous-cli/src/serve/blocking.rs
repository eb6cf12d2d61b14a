//! Blocking pops: `BLPOP`, `BRPOP`, `BRPOPLPUSH`, `BLMOVE`, `BZPOPMIN`, `BZPOPMAX`, `BLMPOP`,
//! `BZMPOP`; blocked stream reads (`xread.rs`) wait in the same queue.
//!
//! A blocking command first tries its non-blocking form; when every key is empty the client
//! waits ([`Blocked`], in arrival order). After each write the core retries the waiting
//! clients, oldest first; a deadline passing answers the nil reply. A retry that meets a key
//! of another type leaves the client blocked (only the first attempt answers `WRONGTYPE`). Timeouts are seconds with
//! a fraction (`0.1`); 0 waits forever.

use std::time::{Duration, Instant};

use ferrous_redis::{CallContext, CommandHost, CommandSpec, Reply};

use super::host::ServerHost;

use super::core::{Batch, Core, Step};

/// What a blocked client waits for.
pub(crate) struct BlockSpec {
    pub(crate) db: usize,
    pub(crate) resp: u8,
    pub(crate) argv: Vec<Vec<u8>>,
    pub(crate) deadline: Option<Instant>,
}

/// A blocked client: its request and the rest of its batch.
pub(crate) struct Blocked {
    pub(crate) spec: BlockSpec,
    pub(crate) batch: Batch,
}

/// Redis's reading of a timeout argument: seconds, possibly fractional, not negative.
fn parse_timeout(arg: &[u8]) -> Result<Option<Duration>, Reply> {
    let secs = std::str::from_utf8(arg)
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite())
        .ok_or_else(|| Reply::error("ERR timeout is not a float or out of range"))?;
    if secs < 0.0 {
        return Err(Reply::error("ERR timeout is negative"));
    }
    if secs == 0.0 {
        return Ok(None);
    }
    Duration::try_from_secs_f64(secs)
        .map(Some)
        .map_err(|_| Reply::error("ERR timeout is out of range"))
}

/// The reply of a blocking command that timed out.
fn timeout_reply(argv: &[Vec<u8>]) -> Reply {
    let name = argv
        .first()
        .map(|n| n.to_ascii_lowercase())
        .unwrap_or_default();
    if name == b"brpoplpush" || name == b"blmove" {
        Reply::Nil
    } else {
        Reply::NilArray
    }
}

/// Where a blocking command keeps its timeout: last, or first for `BLMPOP`/`BZMPOP`.
fn timeout_arg(argv: &[Vec<u8>]) -> &[u8] {
    let name = argv
        .first()
        .map(|n| n.to_ascii_lowercase())
        .unwrap_or_default();
    let at = if name == b"blmpop" || name == b"bzmpop" {
        1
    } else {
        argv.len().saturating_sub(1)
    };
    argv.get(at).map_or(&[][..], Vec::as_slice)
}

/// Tries the non-blocking form of a blocking command: `Some(reply)` when it could be served.
/// Errors end the wait only on the first attempt.
fn try_serve(host: &mut ServerHost, spec: &BlockSpec, first: bool) -> Option<Reply> {
    if super::xread::is_stream_read(&spec.argv) {
        return super::xread::retry(host, spec);
    }
    match try_pop(host, spec)? {
        Reply::Error(text) if !first => {
            // A source that is now a list but a destination of another type fails the
            // client (BRPOPLPUSH, BLMOVE); anything else keeps it waiting.
            let name = spec.argv[0].to_ascii_lowercase();
            let moves = name == b"brpoplpush" || name == b"blmove";
            let ctx = CallContext {
                resp: spec.resp,
                db: spec.db,
                from_script: false,
            };
            let source_is_list = matches!(
                host.call(&ctx, &[b"type".to_vec(), spec.argv[1].clone()]),
                Reply::Status(kind) if kind == b"list"
            );
            (moves && source_is_list).then_some(Reply::Error(text))
        }
        reply => Some(reply),
    }
}

fn try_pop(host: &mut ServerHost, spec: &BlockSpec) -> Option<Reply> {
    let argv = &spec.argv;
    let ctx = CallContext {
        resp: spec.resp,
        db: spec.db,
        from_script: false,
    };
    let name = argv.first()?.to_ascii_lowercase();
    let keys = argv
        .get(1..argv.len().saturating_sub(1))
        .unwrap_or_default();
    match name.as_slice() {
        b"blpop" | b"brpop" => {
            let pop: &[u8] = if name == b"blpop" { b"lpop" } else { b"rpop" };
            for key in keys {
                match host.call(&ctx, &[pop.to_vec(), key.clone()]) {
                    Reply::Nil | Reply::NilArray => {}
                    Reply::Error(e) => return Some(Reply::Error(e)),
                    value => return Some(Reply::Array(vec![Reply::Bulk(key.clone()), value])),
                }
            }
            None
        }
        b"bzpopmin" | b"bzpopmax" => {
            let pop: &[u8] = if name == b"bzpopmin" {
                b"zpopmin"
            } else {
                b"zpopmax"
            };
            for key in keys {
                match host.call(&ctx, &[pop.to_vec(), key.clone()]) {
                    Reply::Array(items) if items.is_empty() => {}
                    Reply::Array(items) => {
                        let mut out = vec![Reply::Bulk(key.clone())];
                        out.extend(items);
                        return Some(Reply::Array(out));
                    }
                    Reply::Error(e) => return Some(Reply::Error(e)),
                    _ => {}
                }
            }
            None
        }
        b"brpoplpush" => {
            let args = vec![b"rpoplpush".to_vec(), argv[1].clone(), argv[2].clone()];
            match host.call(&ctx, &args) {
                Reply::Nil | Reply::NilArray => None,
                other => Some(other),
            }
        }
        b"blmpop" | b"bzmpop" => {
            let zset = name == b"bzmpop";
            match super::mpop::mpop(&mut host.mem, &ctx, argv, 2, zset) {
                Reply::NilArray => None,
                other => {
                    if !other.is_error() {
                        let write = mpop_as_write(argv, zset);
                        if let Ok(write_spec) = ferrous_redis::resolve_command(&write) {
                            host.note_effects(write_spec, spec.db, &write, &other);
                        }
                    }
                    Some(other)
                }
            }
        }
        b"blmove" => {
            let mut args = vec![b"lmove".to_vec()];
            args.extend(argv[1..5].iter().cloned());
            match host.call(&ctx, &args) {
                Reply::Nil | Reply::NilArray => None,
                other => Some(other),
            }
        }
        _ => Some(Reply::error("ERR unknown blocking command")),
    }
}

/// `LMPOP`/`ZMPOP` with the same keys, so its effects are noted as a write of those keys.
fn mpop_as_write(argv: &[Vec<u8>], zset: bool) -> Vec<Vec<u8>> {
    let name: &[u8] = if zset { b"zmpop" } else { b"lmpop" };
    let mut out = vec![name.to_vec()];
    out.extend(argv.iter().skip(2).cloned());
    out
}

impl Core {
    /// A blocking command: served now, or the client blocks (from `EXEC`, it never blocks).
    pub(crate) fn blocking_command(
        &mut self,
        id: u64,
        _spec: &CommandSpec,
        argv: &[Vec<u8>],
        in_exec: bool,
    ) -> Step {
        let timeout = match parse_timeout(timeout_arg(argv)) {
            Ok(t) => t,
            Err(reply) => return Step::Reply(reply),
        };
        let (db, resp) = self.clients.get(&id).map_or((0, 2), |c| (c.db, c.resp));
        let spec = BlockSpec {
            db,
            resp,
            argv: argv.to_vec(),
            deadline: timeout.map(|t| Instant::now() + t),
        };
        if let Some(reply) = try_serve(self.engine.host_mut(), &spec, true) {
            return Step::Reply(reply);
        }
        if in_exec {
            return Step::Reply(timeout_reply(argv));
        }
        Step::Block(spec)
    }

    /// After a write: serves the blocked clients that can be served now, oldest first.
    pub(crate) fn retry_blocked(&mut self) {
        let mut waiting = std::mem::take(&mut self.blocked);
        let mut still = std::collections::VecDeque::new();
        while let Some(blocked) = waiting.pop_front() {
            match try_serve(self.engine.host_mut(), &blocked.spec, false) {
                Some(reply) => {
                    let name = blocked.spec.argv[0].to_ascii_lowercase();
                    let name = String::from_utf8_lossy(&name).into_owned();
                    self.engine.host_mut().stats.record_call(&name, 0, &reply);
                    let mut batch = blocked.batch;
                    self.emit(&mut batch, &reply);
                    self.run_batch(batch);
                }
                None => still.push_back(blocked),
            }
        }
        still.append(&mut self.blocked);
        self.blocked = still;
    }

    /// `CLIENT UNBLOCK`: ends client `id`'s wait as a timeout or with `-UNBLOCKED`.
    pub(crate) fn unblock(&mut self, id: u64, error: bool) -> bool {
        let Some(at) = self.blocked.iter().position(|b| b.batch.client == id) else {
            return false;
        };
        let Some(blocked) = self.blocked.remove(at) else {
            return false;
        };
        let reply = if error {
            Reply::error("UNBLOCKED client unblocked via CLIENT UNBLOCK")
        } else {
            timeout_reply(&blocked.spec.argv)
        };
        let mut batch = blocked.batch;
        self.emit(&mut batch, &reply);
        self.run_batch(batch);
        true
    }

    /// Answers the blocked clients whose deadline passed.
    pub(crate) fn expire_blocked(&mut self) {
        let now = Instant::now();
        let mut kept = std::collections::VecDeque::new();
        while let Some(blocked) = self.blocked.pop_front() {
            if blocked.spec.deadline.is_some_and(|d| d <= now) {
                let reply = timeout_reply(&blocked.spec.argv);
                let mut batch = blocked.batch;
                self.emit(&mut batch, &reply);
                self.run_batch(batch);
            } else {
                kept.push_back(blocked);
            }
        }
        kept.append(&mut self.blocked);
        self.blocked = kept;
    }
}
