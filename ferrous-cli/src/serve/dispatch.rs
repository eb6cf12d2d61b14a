//! One command, as `processCommand` runs it: the command table's checks (unknown command,
//! arity), authentication, `MULTI` queueing, `maxmemory`, then the command itself: the
//! server's own (connection, `CLIENT`, `CONFIG`, `INFO`, `COMMAND`, transactions, blocking
//! pops, `SHUTDOWN`) here, everything else on the script engine and its keyspace.

use std::time::Instant;

use ferrous_redis::{CommandFlags, CommandHost, CommandSpec, Poll, Reply, resolve_command};

use super::clients::ReplyMode;
use super::core::{Core, Step};

/// `-NOAUTH`.
const NOAUTH: &str = "NOAUTH Authentication required.";
/// `-OOM` for commands refused past `maxmemory`.
const OOM: &str = "OOM command not allowed when used memory > 'maxmemory'.";

impl Core {
    /// Runs one request of client `id`.
    pub(crate) fn exec(&mut self, id: u64, argv: &[Vec<u8>]) -> Step {
        let start = Instant::now();
        // A script that runs keeps the time it started at.
        if !self.engine.is_running() {
            self.engine.host().sync_clock(start);
        }
        let spec = match resolve_command(argv) {
            Ok(spec) => spec,
            Err(err) => {
                let reply = err.to_reply();
                if let Some(multi) = self.client(id).and_then(|c| c.multi.as_mut()) {
                    multi.failed = true;
                }
                if let Reply::Error(text) = &reply {
                    self.engine.host_mut().stats.record_rejected(None, text);
                }
                return Step::Reply(reply);
            }
        };
        let Some(client) = self.clients.get_mut(&id) else {
            return Step::Silent;
        };
        client.last_command = spec.name;
        if !client.authenticated && !spec.flags.contains(CommandFlags::NO_AUTH) {
            return self.reject(spec, NOAUTH);
        }
        if let Some(step) = self.check_acl(id, spec, argv) {
            return step;
        }
        if let Some(step) = self.check_replicas(id, spec) {
            return step;
        }
        if spec.name == "exec"
            && self.queued_has(id, CommandFlags::DENYOOM)
            && self.engine.host().is_oom()
        {
            // `EXEC` of a transaction that would use memory is refused as a whole.
            return self.reject_exec(id, spec, OOM);
        }
        let Some(client) = self.clients.get_mut(&id) else {
            return Step::Silent;
        };
        if client.resp == 2
            && (!client.channels.is_empty()
                || !client.patterns.is_empty()
                || !client.shard_channels.is_empty())
            && !super::pubsub::allowed_when_subscribed(spec.name)
        {
            let text = format!(
                "ERR Can't execute '{}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
                spec.name
            );
            return self.reject(spec, &text);
        }
        if client.multi.is_some()
            && !matches!(
                spec.name,
                "exec" | "discard" | "multi" | "watch" | "quit" | "reset"
            )
        {
            if spec.flags.contains(CommandFlags::NO_MULTI) {
                if let Some(multi) = client.multi.as_mut() {
                    multi.failed = true;
                }
                return self.reject(spec, "ERR Command not allowed inside a transaction");
            }
            if spec.flags.contains(CommandFlags::DENYOOM) && self.engine.host().is_oom() {
                if let Some(multi) = self.client(id).and_then(|c| c.multi.as_mut()) {
                    multi.failed = true;
                }
                return self.reject(spec, OOM);
            }
            if let Some(multi) = self.client(id).and_then(|c| c.multi.as_mut()) {
                multi.queued.push(argv.to_vec());
            }
            return Step::Reply(Reply::Status(b"QUEUED".to_vec()));
        }
        if spec.flags.contains(CommandFlags::DENYOOM) && self.engine.host().is_oom() {
            return self.reject(spec, OOM);
        }
        let errors_before = self.engine.host().stats.total_error_replies;
        let step = self.run_command(id, spec, argv, false);
        if let Step::Reply(reply) | Step::Close(reply) = &step {
            let usec = u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX);
            self.engine
                .host_mut()
                .stats
                .record_call_since(spec.name, usec, reply, errors_before);
        }
        self.after_command();
        step
    }

    /// A command refused before it ran.
    pub(crate) fn reject(&mut self, spec: &CommandSpec, text: &str) -> Step {
        self.engine
            .host_mut()
            .stats
            .record_rejected(Some(spec.name), text.as_bytes());
        Step::Reply(Reply::error(text))
    }

    /// The command itself. `in_exec`: run from `EXEC` (scripts run to completion, blocking
    /// commands do not block).
    pub(crate) fn run_command(
        &mut self,
        id: u64,
        spec: &'static CommandSpec,
        argv: &[Vec<u8>],
        in_exec: bool,
    ) -> Step {
        let ctx = self.call_context(id);
        let reply = match spec.name {
            "quit" => return Step::Close(Reply::ok()),
            "ping" if ctx.resp == 2 && self.subscriptions(id) > 0 => {
                let message = argv.get(1).cloned().unwrap_or_default();
                Reply::Array(vec![Reply::Bulk(b"pong".to_vec()), Reply::Bulk(message)])
            }
            "subscribe" => return self.subscribe(id, argv, false),
            "psubscribe" => return self.subscribe(id, argv, true),
            "unsubscribe" => return self.unsubscribe(id, argv, false),
            "punsubscribe" => return self.unsubscribe(id, argv, true),
            "publish" => {
                self.propagate_publish(id, argv);
                self.publish(&argv[1], &argv[2])
            }
            "ssubscribe" => return self.ssubscribe(id, argv),
            "sunsubscribe" => return self.sunsubscribe(id, argv),
            "spublish" => self.spublish(&argv[1], &argv[2]),
            name if name.starts_with("pubsub|") => self.pubsub_command(name, argv),
            "reset" => self.reset_client(id),
            "select" => self.select(id, &argv[1]),
            "hello" => self.hello(id, argv),
            "auth" => self.auth(id, argv),
            "sync" | "psync" => return self.sync(id, spec.name == "psync"),
            name if name.starts_with("acl|") => return self.acl_command(id, spec, argv),
            "info" => self.info(argv),
            "shutdown" => return self.shutdown(argv),
            "multi" => self.multi(id),
            "exec" => self.exec_multi(id),
            "discard" => self.discard(id),
            "watch" => self.watch(id, argv),
            "unwatch" => self.unwatch(id),
            "lastsave" => Reply::Integer(unix_time()),
            "save" => Reply::ok(),
            "bgsave" => Reply::Status(b"Background saving started".to_vec()),
            "bgrewriteaof" => {
                Reply::Status(b"Background append only file rewriting started".to_vec())
            }
            "readonly" | "readwrite" => Reply::ok(),
            "wait" => Reply::Integer(0),
            "script|kill" => self.engine.script_kill(),
            "function|kill" => self.engine.function_kill(),
            "debug" => self.debug(argv),
            name if name.starts_with("client|") => return self.client_command(id, spec, argv),
            name if name.starts_with("config|") => self.config_command(argv),
            name if name == "command" || name.starts_with("command|") => {
                super::command::command(spec, argv)
            }
            "blpop" | "brpop" | "brpoplpush" | "blmove" | "bzpopmin" | "bzpopmax" | "blmpop"
            | "bzmpop" => {
                return self.blocking_command(id, spec, argv, in_exec);
            }
            "xread" | "xreadgroup" if super::xread::wants_block(argv) => {
                return self.stream_read_blocking(id, argv, in_exec);
            }
            "eval" | "evalsha" | "eval_ro" | "evalsha_ro" | "fcall" | "fcall_ro" if in_exec => {
                self.script_finished();
                self.set_caller(id);
                self.engine.command(&ctx, argv)
            }
            name => match self.start_as_caller(id, &ctx, argv) {
                Poll::Done(reply) => {
                    if name.starts_with("eval") || name.starts_with("fcall") {
                        self.script_finished();
                    }
                    reply
                }
                Poll::Running => return Step::Script,
            },
        };
        Step::Reply(reply)
    }

    /// `SELECT index`.
    fn select(&mut self, id: u64, index: &[u8]) -> Reply {
        let Some(db) = std::str::from_utf8(index)
            .ok()
            .and_then(|s| s.parse::<i64>().ok())
        else {
            return Reply::error("ERR value is not an integer or out of range");
        };
        if !(0..16).contains(&db) {
            return Reply::error("ERR DB index is out of range");
        }
        if let Some(client) = self.client(id) {
            client.db = usize::try_from(db).unwrap_or(0);
        }
        Reply::ok()
    }

    /// `RESET`: the client as it connected (database 0, RESP2, no transaction or watch, no
    /// name, and logged out when a password is set).
    fn reset_client(&mut self, id: u64) -> Reply {
        self.unsubscribe_all(id);
        let needs_auth = self.engine.host().acl.auth_required();
        if let Some(client) = self.client(id) {
            client.db = 0;
            client.resp = 2;
            client.multi = None;
            client.watched.clear();
            client.dirty_cas = false;
            client.name.clear();
            client.reply_mode = ReplyMode::On;
            client.authenticated = !needs_auth;
            client.user = b"default".to_vec();
        }
        Reply::Status(b"RESET".to_vec())
    }

    /// `SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]`.
    fn shutdown(&mut self, argv: &[Vec<u8>]) -> Step {
        for arg in &argv[1..] {
            let arg = arg.to_ascii_lowercase();
            if !matches!(
                arg.as_slice(),
                b"nosave" | b"save" | b"now" | b"force" | b"abort"
            ) {
                return Step::Reply(Reply::error("ERR syntax error"));
            }
            if arg == b"abort" {
                return Step::Reply(Reply::error("ERR No shutdown in progress."));
            }
        }
        tracing::warn!("User requested shutdown...");
        Step::Shutdown
    }

    /// `DEBUG`: the few subcommands tests use (`LOG`, `SLEEP`, `SET-ACTIVE-EXPIRE`, ...).
    fn debug(&mut self, argv: &[Vec<u8>]) -> Reply {
        let sub = argv
            .get(1)
            .map(|s| s.to_ascii_lowercase())
            .unwrap_or_default();
        match sub.as_slice() {
            b"log" if argv.len() >= 3 => {
                tracing::warn!("DEBUG LOG: {}", String::from_utf8_lossy(&argv[2]));
                Reply::ok()
            }
            b"sleep" if argv.len() >= 3 => {
                let secs = std::str::from_utf8(&argv[2])
                    .ok()
                    .and_then(|s| s.parse::<f64>().ok())
                    .filter(|s| s.is_finite() && *s >= 0.0)
                    .unwrap_or(0.0);
                std::thread::sleep(std::time::Duration::from_secs_f64(secs.min(60.0)));
                Reply::ok()
            }
            b"set-active-expire" | b"quicklist-packed-threshold" | b"set-disable-deny-scripts" => {
                Reply::ok()
            }
            _ => Reply::error(format!(
                "ERR unknown subcommand '{}'. Try DEBUG HELP.",
                String::from_utf8_lossy(argv.get(1).map_or(&[][..], Vec::as_slice))
            )),
        }
    }
}

/// Seconds since the Unix epoch.
pub(crate) fn unix_time() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
}
