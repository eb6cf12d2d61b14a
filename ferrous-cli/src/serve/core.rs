//! [`Core`]: the one thread that owns the script engine, the keyspace and every client's state.
//! Connections send it [`ToCore`] messages over a channel; it answers each [`Batch`] (the
//! requests one read delivered, in order) with the encoded replies.
//!
//! Scripts are atomic: while one runs, the core resumes it slice by slice and, between slices,
//! looks at its mailbox. Before the busy threshold, other batches wait in `pending`; after it,
//! they are answered (`BUSY`, except `SCRIPT KILL`, `SHUTDOWN NOSAVE` and the commands flagged
//! `allow-busy`). A batch whose command blocks (`BLPOP` on an empty list) waits in
//! `blocked` and the rest of its requests wait with it, as a Redis client's would.
//!
//! Invariant: no other command runs between the slices of a script except what Redis itself
//! allows while a script is busy; a vanished client (its reply channel closed) is forgotten
//! without affecting anyone else.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use ferrous_redis::{
    Argv, CommandFlags, EngineConfig, Poll, Reply, ScriptEngine, encode_reply, resolve_command,
};
/// Where the core sends a client's pub/sub messages.
type PushSender = tokio::sync::mpsc::Sender<Vec<u8>>;
use tokio::sync::{Notify, oneshot};

use super::blocking::{BlockSpec, Blocked};
use super::clients::{Client, ClientMap, ReplyMode};
use super::config::Config;
use super::host::ServerHost;
use super::pubsub::{PubSub, encode_push};

/// A message from a connection task.
pub(crate) enum ToCore {
    /// A new connection.
    Connect {
        id: u64,
        addr: SocketAddr,
        laddr: SocketAddr,
        kill: Arc<Notify>,
        push: PushSender,
    },
    /// Requests to run, in order.
    Batch(Batch),
    /// The connection closed.
    Disconnect(u64),
}

/// The requests of one read, and where their replies go.
pub(crate) struct Batch {
    pub(crate) client: u64,
    pub(crate) argvs: VecDeque<Argv>,
    pub(crate) reply: oneshot::Sender<BatchReply>,
    pub(crate) out: Vec<u8>,
    pub(crate) close: bool,
    /// Requests already run: they go back with the replies, so their memory is freed on the
    /// connection's thread rather than the core's.
    pub(crate) spent: Vec<Argv>,
}

impl Batch {
    /// A batch of `argvs` for `client`; its replies are appended to `bufs.out` and its spent
    /// requests to `bufs.spent` (the connection's buffers, which come back with the replies).
    pub(crate) fn new(
        client: u64,
        argvs: VecDeque<Argv>,
        reply: oneshot::Sender<BatchReply>,
        bufs: BatchBufs,
    ) -> Batch {
        Batch {
            client,
            argvs,
            reply,
            out: bufs.out,
            close: false,
            spent: bufs.spent,
        }
    }
}

/// A connection's buffers, lent to the core with each batch and given back with its
/// replies, so that a batch allocates nothing of its own once they have grown.
#[derive(Debug, Default)]
pub(crate) struct BatchBufs {
    /// The replies: empty when lent.
    pub(crate) out: Vec<u8>,
    /// The requests run: empty when lent.
    pub(crate) spent: Vec<Argv>,
    /// The requests to run: empty when given back.
    pub(crate) argvs: VecDeque<Argv>,
}

/// What a connection writes back for a batch.
#[derive(Debug)]
pub(crate) struct BatchReply {
    /// The encoded replies in `bufs.out`; the batch's requests in `bufs.spent`, to be freed
    /// by the connection, off the core's thread.
    pub(crate) bufs: BatchBufs,
    /// Close the connection after writing (`QUIT`, `CLIENT KILL` of itself).
    pub(crate) close: bool,
    /// Whether the client is now authenticated (the request size limits depend on it).
    pub(crate) authenticated: bool,
}

/// What running one command led to.
pub(crate) enum Step {
    /// Its reply.
    Reply(Reply),
    /// No reply at all (`CLIENT REPLY OFF`'s own).
    Silent,
    /// A script started: the reply comes when it ends.
    Script,
    /// The command blocks (a blocking pop on empty lists).
    Block(BlockSpec),
    /// The reply, then close the connection.
    Close(Reply),
    /// Stop the server.
    Shutdown,
    /// Pub/sub frames (one per channel of `SUBSCRIBE`).
    Pushes(Vec<Vec<Reply>>),
}

/// A script that is running, and the batch waiting for its reply.
pub(crate) struct ScriptRun {
    pub(crate) batch: Batch,
    pub(crate) name: &'static str,
    pub(crate) started: Instant,
    pub(crate) errors_before: u64,
}

/// The engine's thread.
pub(crate) struct Core {
    pub(crate) engine: ScriptEngine<ServerHost>,
    pub(crate) clients: ClientMap,
    pub(crate) config: Config,
    pub(crate) pending: VecDeque<Batch>,
    pub(crate) script: Option<ScriptRun>,
    pub(crate) blocked: VecDeque<Blocked>,
    pub(crate) started: Instant,
    pub(crate) port: u16,
    pub(crate) shutdown: Option<oneshot::Sender<()>>,
    pub(crate) stopping: bool,
    pub(crate) last_tick: Instant,
    /// Scripts run since the last Lua garbage collection.
    pub(crate) scripts_since_gc: u32,
    pub(crate) pubsub: PubSub,
}

/// A full Lua collection every this many scripts (Redis's `LUA_GC_CYCLE_PERIOD`).
const GC_PERIOD: u32 = 50;

impl Core {
    /// What the keyspace is told of client `id`'s commands: its database and protocol.
    pub(crate) fn call_context(&self, id: u64) -> ferrous_redis::CallContext {
        let (db, resp) = self.clients.get(&id).map_or((0, 2), |c| (c.db, c.resp));
        ferrous_redis::CallContext {
            resp,
            db,
            from_script: false,
        }
    }

    /// A core with an empty keyspace.
    pub(crate) fn new(
        config: Config,
        port: u16,
        shutdown: oneshot::Sender<()>,
    ) -> anyhow::Result<Core> {
        let engine_config = EngineConfig {
            busy_reply_threshold: config.busy_reply_threshold,
            ..EngineConfig::default()
        };
        let mut host = ServerHost::new(config.maxmemory);
        host.acl.set_default_password(config.requirepass.as_deref());
        let engine = ScriptEngine::with_config(host, engine_config)?;
        Ok(Core {
            engine,
            clients: ClientMap::default(),
            config,
            pending: VecDeque::new(),
            script: None,
            blocked: VecDeque::new(),
            started: Instant::now(),
            port,
            shutdown: Some(shutdown),
            stopping: false,
            last_tick: Instant::now(),
            scripts_since_gc: 0,
            pubsub: PubSub::default(),
        })
    }

    /// Serves messages until `SHUTDOWN` or until every sender is gone.
    pub(crate) fn run(mut self, rx: &Receiver<ToCore>) {
        while !self.stopping {
            if self.engine.is_running() {
                match self.engine.resume() {
                    Poll::Done(reply) => self.script_done(reply),
                    Poll::Running => {
                        while let Ok(msg) = rx.try_recv() {
                            self.accept(msg);
                        }
                        if self.engine.is_busy() {
                            while let Some(batch) = self.pending.pop_front() {
                                self.run_batch_busy(batch);
                            }
                        }
                    }
                }
                continue;
            }
            if let Some(batch) = self.pending.pop_front() {
                self.run_batch(batch);
                continue;
            }
            if !self.blocked.is_empty() {
                self.expire_blocked();
            }
            if self.last_tick.elapsed() >= Duration::from_millis(100) {
                self.on_timer();
            }
            match rx.recv_timeout(self.next_timeout()) {
                Ok(msg) => self.accept(msg),
                Err(RecvTimeoutError::Timeout) => self.on_timer(),
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }

    /// How long the mailbox may stay quiet: until the next blocked client times out, and at
    /// most 100 ms (expired keys are swept on that tick).
    fn next_timeout(&self) -> Duration {
        let tick = Duration::from_millis(100);
        let now = Instant::now();
        self.blocked
            .iter()
            .filter_map(|b| b.spec.deadline)
            .map(|d| d.saturating_duration_since(now))
            .min()
            .map_or(tick, |d| d.min(tick))
    }

    fn on_timer(&mut self) {
        self.last_tick = Instant::now();
        if !self.engine.is_running() {
            self.engine.host_mut().sync_wall_clock();
        }
        let host = self.engine.host_mut();
        if host.mem.active_expire(20) > 0 {
            // Expired keys touch the `WATCH`es on them.
            let expired = host.mem.take_expired();
            if host.track_keys {
                host.dirty.extend(expired);
                self.after_command();
            }
        }
        self.expire_blocked();
    }

    /// One message.
    fn accept(&mut self, msg: ToCore) {
        match msg {
            ToCore::Connect {
                id,
                addr,
                laddr,
                kill,
                push,
            } => {
                let authenticated = !self.engine.host().acl.auth_required();
                self.engine.host_mut().stats.total_connections_received += 1;
                self.clients
                    .insert(id, Client::new(id, addr, laddr, kill, push, authenticated));
            }
            ToCore::Disconnect(id) => self.forget_client(id),
            ToCore::Batch(batch) => {
                if self.engine.is_running() {
                    if self.engine.is_busy() {
                        self.run_batch_busy(batch);
                    } else {
                        self.pending.push_back(batch);
                    }
                } else {
                    self.run_batch(batch);
                }
            }
        }
    }

    /// A client is gone: its state, its watches and its blocked requests go too.
    pub(crate) fn forget_client(&mut self, id: u64) {
        self.unsubscribe_all(id);
        self.clients.remove(&id);
        self.blocked.retain(|b| b.batch.client != id);
        self.pending.retain(|b| b.client != id);
    }

    /// Runs a batch's requests until one blocks or starts a script, or all are answered.
    pub(crate) fn run_batch(&mut self, mut batch: Batch) {
        while let Some(argv) = batch.argvs.pop_front() {
            if self.stopping {
                return;
            }
            let step = self.exec(batch.client, &argv);
            let name = match step {
                Step::Script => resolve_command(&argv).map_or("eval", |s| s.name),
                _ => "",
            };
            batch.spent.push(argv);
            match step {
                Step::Reply(reply) => self.emit(&mut batch, &reply),
                Step::Silent => {}
                Step::Pushes(frames) => {
                    let resp = self.clients.get(&batch.client).map_or(2, |c| c.resp);
                    for frame in frames {
                        encode_push(frame, resp, &mut batch.out);
                    }
                }
                Step::Script => {
                    let errors_before = self.engine.host().stats.total_error_replies;
                    self.script = Some(ScriptRun {
                        batch,
                        name,
                        started: Instant::now(),
                        errors_before,
                    });
                    return;
                }
                Step::Block(spec) => {
                    self.engine.host_mut().track_keys = true;
                    self.blocked.push_back(Blocked { spec, batch });
                    return;
                }
                Step::Close(reply) => {
                    self.emit(&mut batch, &reply);
                    batch.close = true;
                    break;
                }
                Step::Shutdown => {
                    self.stopping = true;
                    return;
                }
            }
        }
        self.finish(batch);
    }

    /// Answers a batch while a script is busy.
    fn run_batch_busy(&mut self, mut batch: Batch) {
        while let Some(argv) = batch.argvs.pop_front() {
            if self.stopping {
                return;
            }
            if allowed_while_busy(&argv) {
                match self.exec(batch.client, &argv) {
                    Step::Reply(reply) => self.emit(&mut batch, &reply),
                    Step::Close(reply) => {
                        self.emit(&mut batch, &reply);
                        batch.close = true;
                        break;
                    }
                    Step::Shutdown => {
                        self.engine.abort_running();
                        self.stopping = true;
                        return;
                    }
                    Step::Silent | Step::Script | Step::Block(_) | Step::Pushes(_) => {}
                }
            } else {
                let is_exec = argv
                    .first()
                    .is_some_and(|name| name.eq_ignore_ascii_case(b"exec"));
                let reply =
                    self.reject_in_transaction(batch.client, is_exec, self.engine.busy_reply());
                let name = resolve_command(&argv).ok().map(|s| s.name);
                if let Reply::Error(text) = &reply {
                    self.engine.host_mut().stats.record_rejected(name, text);
                }
                self.emit_raw(&mut batch, &reply);
            }
            batch.spent.push(argv);
        }
        self.finish(batch);
    }

    /// Counts a finished script; every [`GC_PERIOD`] scripts the Lua heap is collected.
    pub(crate) fn script_finished(&mut self) {
        self.scripts_since_gc += 1;
        if self.scripts_since_gc >= GC_PERIOD {
            self.scripts_since_gc = 0;
            self.engine.collect_garbage();
        }
    }

    /// The running script ended with `reply`: answer its batch and go on with the batch.
    fn script_done(&mut self, reply: Reply) {
        self.script_finished();
        let Some(run) = self.script.take() else {
            return;
        };
        let usec = u64::try_from(run.started.elapsed().as_micros()).unwrap_or(u64::MAX);
        self.engine
            .host_mut()
            .stats
            .record_call_since(run.name, usec, &reply, run.errors_before);
        self.after_command();
        let mut batch = run.batch;
        self.emit(&mut batch, &reply);
        self.run_batch(batch);
    }

    /// Encodes `reply` for the batch's client, honouring `CLIENT REPLY`.
    pub(crate) fn emit(&mut self, batch: &mut Batch, reply: &Reply) {
        let Some(client) = self.clients.get_mut(&batch.client) else {
            return;
        };
        match client.reply_mode {
            ReplyMode::On => encode_reply(reply, client.resp, &mut batch.out),
            ReplyMode::Off => {}
            ReplyMode::Skip => client.reply_mode = ReplyMode::On,
        }
    }

    /// Encodes `reply` whatever `CLIENT REPLY` says (busy errors).
    fn emit_raw(&mut self, batch: &mut Batch, reply: &Reply) {
        let resp = self.clients.get(&batch.client).map_or(2, |c| c.resp);
        encode_reply(reply, resp, &mut batch.out);
    }

    /// Sends a finished batch's replies to its connection.
    pub(crate) fn finish(&mut self, batch: Batch) {
        let authenticated = self
            .clients
            .get(&batch.client)
            .is_some_and(|c| c.authenticated);
        let _ = batch.reply.send(BatchReply {
            bufs: BatchBufs {
                out: batch.out,
                spent: batch.spent,
                argvs: batch.argvs,
            },
            close: batch.close,
            authenticated,
        });
    }

    /// After any command: watched keys that were written make their watchers' `EXEC` fail, and
    /// clients blocked on lists get another try.
    pub(crate) fn after_command(&mut self) {
        // The command's writes go to replicas first; blocked clients it serves write after.
        self.flush_replication();
        if self.engine.host().acl_log.needs_client_info() {
            let clients = &self.clients;
            let log = &mut self.engine.host_mut().acl_log;
            log.fill_client_info(|cid| clients.get(&cid).map(Client::info_line));
        }
        // Serving a blocked client writes too (BLMOVE pushes to a list another client may
        // wait on): go round until nothing more is written.
        loop {
            let host = self.engine.host_mut();
            if host.dirty.is_empty() && !host.flushed {
                break;
            }
            let dirty = std::mem::take(&mut host.dirty);
            let flushed = std::mem::replace(&mut host.flushed, false);
            for client in self.clients.values_mut() {
                if client.watched.is_empty() {
                    continue;
                }
                if flushed || dirty.iter().any(|key| client.watched.contains(key)) {
                    client.dirty_cas = true;
                }
            }
            if self.blocked.is_empty() {
                break;
            }
            self.engine.host_mut().ready = dirty;
            self.retry_blocked();
        }
        if self.engine.host().track_keys {
            let track =
                !self.blocked.is_empty() || self.clients.values().any(|c| !c.watched.is_empty());
            self.engine.host_mut().track_keys = track;
        }
        self.flush_replication();
    }

    /// The client `id`, if still connected.
    pub(crate) fn client(&mut self, id: u64) -> Option<&mut Client> {
        self.clients.get_mut(&id)
    }
}

/// Whether Redis serves `argv` while a script is busy: `SCRIPT KILL`, `SHUTDOWN NOSAVE`, and
/// the commands flagged `allow-busy`.
fn allowed_while_busy(argv: &[Vec<u8>]) -> bool {
    let Ok(spec) = resolve_command(argv) else {
        return false;
    };
    if spec.name == "shutdown" {
        return argv
            .iter()
            .skip(1)
            .any(|a| a.eq_ignore_ascii_case(b"nosave"));
    }
    spec.flags.contains(CommandFlags::ALLOW_BUSY)
}
