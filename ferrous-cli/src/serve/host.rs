//! [`ServerHost`]: the in-memory keyspace as the server runs it. It wraps `MemoryHost` to learn
//! what every command did, wherever it came from (a client or a script's `redis.call`): which
//! keys were written (for `WATCH` and the clients blocked on a list), whether a database was
//! flushed, the per-command statistics of `INFO commandstats`, and `maxmemory`.
//!
//! Invariant: every call that reaches the keyspace goes through [`ServerHost::call`], so a
//! write can never miss its notification.

use std::time::Instant;

use ferrous_redis::{
    AclDenied, CallContext, Clock, CommandFlags, CommandHost, CommandSpec, ManualClock, MemoryHost,
    Reply, SystemClock, keys_of,
};

use super::acl::Users;
use super::acl_log::AclLog;
use super::repl::Replication;
use super::stats::Stats;

/// A key written by a command: its database and name.
pub(crate) type DirtyKey = (usize, Vec<u8>);

/// About what Redis reports as `used_memory` for an empty server.
const BASE_MEMORY: u64 = 900_000;

/// The keyspace and what the server learns from its calls.
pub(crate) struct ServerHost {
    pub(crate) mem: MemoryHost,
    /// The keyspace's time for expiry, read from the system clock once per command (see
    /// [`ServerHost::sync_clock`]) rather than once per key lookup; a script sees the time
    /// it started at, as in Redis 7.0.
    clock: ManualClock,
    /// When the wall clock was last read, and what it said.
    wall: (Instant, i64),
    /// Keys written since the server last looked (drained after each command), recorded only
    /// while `track_keys` is set.
    pub(crate) dirty: Vec<DirtyKey>,
    /// Whether some client watches keys or waits on a blocking command: only then are written
    /// keys worth recording (the core sets it before such a client's state can depend on it).
    pub(crate) track_keys: bool,
    /// Whether a `FLUSHALL`/`FLUSHDB` ran since the server last looked.
    pub(crate) flushed: bool,
    /// The keys written by the command whose blocked clients are being retried, in the order
    /// they were written (Redis's ready keys; blocked stream reads are served from them).
    pub(crate) ready: Vec<DirtyKey>,
    /// Writes since start (`INFO`'s `rdb_changes_since_last_save`).
    pub(crate) writes: u64,
    /// `maxmemory` (0: none).
    pub(crate) maxmemory: u64,
    /// Statistics of commands, errors included.
    pub(crate) stats: Stats,
    /// The ACL users and `ACL LOG`.
    pub(crate) acl: Users,
    pub(crate) acl_log: AclLog,
    /// The user and id of the client whose command runs: scripts run with its permissions.
    pub(crate) caller: Vec<u8>,
    pub(crate) caller_id: u64,
    /// `min-replicas-to-write` (there are never replicas here, so any value above 0, with
    /// `min-replicas-max-lag` above 0, refuses writes with `NOREPLICAS`).
    pub(crate) min_replicas_to_write: u64,
    /// Attached replicas and the writes waiting for them.
    pub(crate) repl: Replication,
}

impl ServerHost {
    /// An empty keyspace.
    pub(crate) fn new(maxmemory: u64) -> ServerHost {
        let wall_ms = SystemClock.now_ms();
        let clock = ManualClock::new(wall_ms);
        ServerHost {
            mem: {
                let mut mem = MemoryHost::with_clock(clock.clone());
                // Expired keys touch the `WATCH`es on them, as in Redis.
                mem.track_expired(true);
                mem
            },
            clock,
            wall: (Instant::now(), wall_ms),
            dirty: Vec::new(),
            track_keys: false,
            flushed: false,
            ready: Vec::new(),
            writes: 0,
            maxmemory,
            stats: Stats::default(),
            acl: Users::new(None),
            acl_log: AclLog::default(),
            caller: b"default".to_vec(),
            caller_id: 0,
            min_replicas_to_write: 0,
            repl: Replication::default(),
        }
    }

    /// Sets the keyspace's clock to `now` (the command's start, read once for the clock and
    /// the statistics), counted from the wall time read at the last timer tick.
    pub(crate) fn sync_clock(&self, now: Instant) {
        let (at, wall_ms) = self.wall;
        let since = i64::try_from(now.saturating_duration_since(at).as_millis()).unwrap_or(0);
        self.clock.set(wall_ms.saturating_add(since));
    }

    /// Reads the wall clock again (every timer tick: it may have been set).
    pub(crate) fn sync_wall_clock(&mut self) {
        self.wall = (Instant::now(), SystemClock.now_ms());
        self.clock.set(self.wall.1);
    }

    /// An estimate of `used_memory`: a base plus a small cost per key.
    pub(crate) fn used_memory(&self) -> u64 {
        let keys: u64 = (0..16).map(|db| self.mem.dbsize(db) as u64).sum();
        BASE_MEMORY + keys * 64
    }

    /// Records the effects of a command that ran on the keyspace.
    pub(crate) fn note_effects(
        &mut self,
        spec: &'static CommandSpec,
        db: usize,
        argv: &[Vec<u8>],
        reply: &Reply,
    ) {
        if reply.is_error()
            || !spec.flags.contains(CommandFlags::WRITE)
            || !changed(spec.name, argv, reply)
        {
            return;
        }
        self.writes += 1;
        if self.track_keys {
            for pos in keys_of(spec, argv) {
                if let Some(key) = argv.get(pos) {
                    self.dirty.push((db, key.clone()));
                }
            }
        }
        self.repl.note(&mut self.mem, db, argv, spec.name, reply);
    }
}

/// At most this many keys are noted one by one before a flush; past it every `WATCH` is
/// touched (`flushed`), which can only make more `EXEC`s fail, never fewer.
const TOUCH_LIMIT: usize = 100_000;

impl ServerHost {
    /// `touchAllWatchedKeysInDb`: before `FLUSHALL`, `FLUSHDB` or `SWAPDB`, the keys that
    /// exist in the databases it empties (and, for `SWAPDB`, in the one it brings in) count as
    /// written; watched keys that do not exist stay untouched.
    fn touch_before_flush(&mut self, db: usize, name: &[u8], args: &[Vec<u8>]) {
        let index = |n: usize| -> Option<usize> {
            let text = std::str::from_utf8(args.get(n)?).ok()?;
            text.parse::<usize>().ok().filter(|&i| i < 16)
        };
        let dbs: Vec<usize> = match name {
            b"flushall" => (0..16).collect(),
            b"flushdb" => vec![db],
            _ => match (index(1), index(2)) {
                (Some(a), Some(b)) => vec![a, b],
                _ => return,
            },
        };
        let total: usize = dbs.iter().map(|&d| self.mem.dbsize(d)).sum();
        if total > TOUCH_LIMIT {
            self.flushed = true;
            return;
        }
        for &from in &dbs {
            for key in self.mem.db_keys(from) {
                if name == b"swapdb" {
                    // A key present on either side changes on both.
                    for &to in &dbs {
                        self.dirty.push((to, key.clone()));
                    }
                } else {
                    self.dirty.push((from, key));
                }
            }
        }
    }
}

/// What an `SMOVE src dst member` about to run will leave unchanged although it moves the
/// member: `dst` when it already holds the member (Redis signals only `src` then), or both
/// when `src` and `dst` are one key (a no-op). `None` when both change, or nothing moves.
struct SmoveUnchanged {
    /// `src` is unchanged too (the keys are the same).
    source: bool,
}

fn smove_unchanged(
    mem: &mut MemoryHost,
    ctx: &CallContext,
    args: &[Vec<u8>],
) -> Option<SmoveUnchanged> {
    let [_, src, dst, member] = args else {
        return None;
    };
    if src == dst {
        return Some(SmoveUnchanged { source: true });
    }
    let held = mem.call(ctx, &[b"sismember".to_vec(), dst.clone(), member.clone()]);
    (held == Reply::Integer(1)).then_some(SmoveUnchanged { source: false })
}

/// The destination of `SORT ... STORE dst` (the last `STORE` wins, as in Redis).
fn sort_destination(args: &[Vec<u8>]) -> Option<&[u8]> {
    let at = args
        .iter()
        .rposition(|arg| arg.eq_ignore_ascii_case(b"store"))?;
    args.get(at + 1).map(Vec::as_slice)
}

/// Whether a write command's reply says it changed something: a nil (but for `SET ... GET` of a
/// new key), an empty array or (but for the counters) a zero means it found nothing to do, and
/// Redis signals no key then.
fn changed(name: &str, argv: &[Vec<u8>], reply: &Reply) -> bool {
    let has = |opt: &[u8]| argv.iter().skip(3).any(|a| a.eq_ignore_ascii_case(opt));
    match reply {
        // `SET key value GET` answers the old value: nil when the key was new (and set,
        // unless `XX` asked for an existing key).
        Reply::Nil => name == "set" && has(b"get") && !has(b"xx"),
        Reply::NilArray => false,
        Reply::Array(items) => !items.is_empty(),
        Reply::Integer(0) => name.contains("incr") || name.contains("decr"),
        _ => true,
    }
}

impl CommandHost for ServerHost {
    fn call(&mut self, ctx: &CallContext, args: &[Vec<u8>]) -> Reply {
        let name: &[u8] = args.first().map_or(&[], Vec::as_slice);
        let is = |command: &[u8]| name.eq_ignore_ascii_case(command);
        let smove_unchanged = if self.track_keys && is(b"smove") {
            smove_unchanged(&mut self.mem, ctx, args)
        } else {
            None
        };
        let reply = if ctx.from_script && is(b"select") {
            // The engine keeps the script's database; the host only checks the index.
            match args
                .get(1)
                .and_then(|a| std::str::from_utf8(a).ok()?.parse::<i64>().ok())
            {
                Some(db) if (0..16).contains(&db) => Reply::ok(),
                Some(_) => Reply::error("ERR DB index is out of range"),
                None => Reply::error("ERR value is not an integer or out of range"),
            }
        } else if is(b"lmpop") || is(b"zmpop") {
            super::mpop::mpop(&mut self.mem, ctx, args, 1, is(b"zmpop"))
        } else if is(b"memory") {
            super::object::memory(&mut self.mem, ctx, args)
        } else if is(b"object") {
            super::object::object(&mut self.mem, ctx, args)
        } else if is(b"sort") || is(b"sort_ro") {
            let full_access = self.caller_reads_every_key(args);
            let exists = |mem: &mut MemoryHost, key: &[u8]| {
                mem.call(ctx, &[b"exists".to_vec(), key.to_vec()]) == Reply::Integer(1)
            };
            let store = sort_destination(args)
                .filter(|dst| self.track_keys && exists(&mut self.mem, dst))
                .map(<[u8]>::to_vec);
            let reply = super::sort::sort(&mut self.mem, ctx, args, is(b"sort_ro"), full_access);
            // `SORT ... STORE` with an empty result deletes an existing destination: a write.
            if let (Some(dst), Reply::Integer(0)) = (store, &reply) {
                self.dirty.push((ctx.db, dst));
            }
            reply
        } else {
            if self.track_keys && (is(b"flushall") || is(b"flushdb") || is(b"swapdb")) {
                let lowered = name.to_ascii_lowercase();
                self.touch_before_flush(ctx.db, &lowered, args);
            }
            self.mem.call(ctx, args)
        };
        let expired = self.mem.take_expired();
        if self.track_keys {
            self.dirty.extend(expired);
        }
        let spec = ferrous_redis::resolve_command(args);
        if let Ok(spec) = spec {
            let noted = self.dirty.len();
            self.note_effects(spec, ctx.db, args, &reply);
            if let Some(unchanged) = smove_unchanged {
                self.dirty.truncate(noted + usize::from(!unchanged.source));
            }
        }
        if ctx.from_script {
            match spec {
                Ok(spec) => self.stats.record_call(spec.name, 0, &reply),
                Err(_) => {
                    let label = String::from_utf8_lossy(name).to_ascii_lowercase();
                    self.stats.record_call(&label, 0, &reply);
                }
            }
        }
        reply
    }

    fn is_oom(&self) -> bool {
        self.maxmemory > 0 && self.used_memory() > self.maxmemory
    }

    fn acl_check(&self, args: &[Vec<u8>]) -> bool {
        self.acl_allows(args)
    }

    fn acl_denied(&mut self, args: &[Vec<u8>]) -> Option<AclDenied> {
        self.acl_refusal(args)
    }

    fn enough_replicas(&self) -> bool {
        self.min_replicas_to_write == 0
    }

    fn script_started(&mut self) {
        self.mem.script_started();
    }

    fn script_ended(&mut self) {
        self.mem.script_ended();
    }

    fn command_rejected(&mut self, args: &[Vec<u8>], error: &[u8]) {
        let name = ferrous_redis::resolve_command(args).ok().map(|s| s.name);
        self.stats.record_rejected(name, error);
    }

    fn log(&mut self, level: u8, message: &[u8]) {
        let text = String::from_utf8_lossy(message);
        match level {
            0 => tracing::debug!(target: "script", "{text}"),
            1 | 2 => tracing::info!(target: "script", "{text}"),
            _ => tracing::warn!(target: "script", "{text}"),
        }
    }
}
