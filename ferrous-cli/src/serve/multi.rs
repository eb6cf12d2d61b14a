//! Transactions: `MULTI`, `EXEC`, `DISCARD`, `WATCH`, `UNWATCH`.
//!
//! Queued commands run back to back in `EXEC`, so nothing runs between them (the core is one
//! thread). A command refused while queueing (unknown, wrong arity, `OOM`) makes `EXEC` answer
//! `EXECABORT`. `WATCH` registers keys with the client; a write to one of them (seen through
//! the host's dirty-key notes, script writes included) or a flush marks the client, and its
//! `EXEC` answers a nil array.

use ferrous_redis::{Argv, CommandFlags, CommandSpec, Reply, resolve_command};

use super::core::{Core, Step};

/// A client inside `MULTI`.
#[derive(Debug, Default)]
pub(crate) struct MultiState {
    pub(crate) queued: Vec<Argv>,
    /// A command was refused while queueing.
    pub(crate) failed: bool,
}

impl Core {
    /// `MULTI`.
    pub(crate) fn multi(&mut self, id: u64) -> Reply {
        let Some(client) = self.client(id) else {
            return Reply::ok();
        };
        if client.multi.is_some() {
            return Reply::error("ERR MULTI calls can not be nested");
        }
        client.multi = Some(MultiState::default());
        Reply::ok()
    }

    /// `DISCARD`.
    pub(crate) fn discard(&mut self, id: u64) -> Reply {
        let Some(client) = self.client(id) else {
            return Reply::ok();
        };
        if client.multi.take().is_none() {
            return Reply::error("ERR DISCARD without MULTI");
        }
        client.watched.clear();
        client.dirty_cas = false;
        Reply::ok()
    }

    /// `WATCH key...`.
    pub(crate) fn watch(&mut self, id: u64, argv: &[Vec<u8>]) -> Reply {
        let Some(client) = self.client(id) else {
            return Reply::ok();
        };
        if client.multi.is_some() {
            return Reply::error("ERR WATCH inside MULTI is not allowed");
        }
        let db = client.db;
        for key in &argv[1..] {
            client.watched.insert((db, key.clone()));
        }
        self.engine.host_mut().track_keys = true;
        Reply::ok()
    }

    /// `UNWATCH`.
    pub(crate) fn unwatch(&mut self, id: u64) -> Reply {
        if let Some(client) = self.client(id) {
            client.watched.clear();
            client.dirty_cas = false;
        }
        Reply::ok()
    }

    /// `rejectCommand`'s effect on a transaction: a refused command inside `MULTI` makes the
    /// `EXEC` fail (`flagTransaction`), and a refused `EXEC` discards the transaction and
    /// answers `EXECABORT Transaction discarded because of: <error>` (`execCommandAbort`).
    /// Returns the reply to send.
    pub(crate) fn reject_in_transaction(&mut self, id: u64, is_exec: bool, error: Reply) -> Reply {
        let Some(client) = self.client(id) else {
            return error;
        };
        let Some(multi) = client.multi.as_mut() else {
            return error;
        };
        if !is_exec {
            multi.failed = true;
            return error;
        }
        client.multi = None;
        client.watched.clear();
        client.dirty_cas = false;
        match error {
            Reply::Error(text) => {
                let mut abort = b"EXECABORT Transaction discarded because of: ".to_vec();
                abort.extend_from_slice(text.strip_prefix(b"-").unwrap_or(&text));
                Reply::Error(abort)
            }
            other => other,
        }
    }

    /// An `EXEC` refused with `error` (`OOM`, `NOREPLICAS`): the transaction is discarded and the
    /// `EXECABORT` reply is counted as the rejected call.
    pub(crate) fn reject_exec(&mut self, id: u64, spec: &'static CommandSpec, error: &str) -> Step {
        let reply = self.reject_in_transaction(id, true, Reply::error(error));
        if let Reply::Error(text) = &reply {
            self.engine
                .host_mut()
                .stats
                .record_rejected(Some(spec.name), text);
        }
        Step::Reply(reply)
    }

    /// Whether the client's transaction holds a command with `flag` (Redis's
    /// `mstate.cmd_flags`: a `denyoom` one makes `EXEC` subject to `maxmemory`, a `write` one
    /// to `min-replicas-to-write`).
    pub(crate) fn queued_has(&self, id: u64, flag: CommandFlags) -> bool {
        self.clients
            .get(&id)
            .and_then(|c| c.multi.as_ref())
            .is_some_and(|multi| {
                multi
                    .queued
                    .iter()
                    .any(|argv| resolve_command(argv).is_ok_and(|s| s.flags.contains(flag)))
            })
    }

    /// `EXEC`: the queued commands' replies, `EXECABORT`, or a nil array after a touched watch.
    pub(crate) fn exec_multi(&mut self, id: u64) -> Reply {
        let Some(client) = self.client(id) else {
            return Reply::NilArray;
        };
        let Some(multi) = client.multi.take() else {
            return Reply::error("ERR EXEC without MULTI");
        };
        let dirty = std::mem::replace(&mut client.dirty_cas, false);
        client.watched.clear();
        if multi.failed {
            return Reply::error("EXECABORT Transaction discarded because of previous errors.");
        }
        if dirty {
            return Reply::NilArray;
        }
        let mut replies = Vec::with_capacity(multi.queued.len());
        for argv in &multi.queued {
            let Ok(spec) = resolve_command(argv) else {
                continue;
            };
            if let Some(refusal) = self.exec_acl_refusal(id, spec, argv) {
                replies.push(refusal);
                continue;
            }
            let start = std::time::Instant::now();
            let reply = match self.run_command(id, spec, argv, true) {
                Step::Reply(reply) | Step::Close(reply) => reply,
                Step::Block(_) | Step::Silent | Step::Script | Step::Shutdown | Step::Pushes(_) => {
                    Reply::NilArray
                }
            };
            let usec = u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX);
            self.engine
                .host_mut()
                .stats
                .record_call(spec.name, usec, &reply);
            replies.push(reply);
        }
        Reply::Array(replies)
    }
}
