//! [`MemoryHost`]: a complete in-memory keyspace that answers Redis 7.0's data commands with
//! Redis's replies and error texts, for embedders that want scripts to run against something
//! real without writing their own host.
//!
//! Sixteen databases ([`Db`]); values are strings, lists, hashes, sets, sorted sets and streams
//! ([`Value`]); keys expire lazily when touched and in bounded sweeps
//! ([`MemoryHost::active_expire`]); time comes from a [`Clock`] so tests can move it.
//!
//! [`COMMANDS`] is the one command table (name, arity, handler). Each family has its own
//! module: `strings`, `bits`, `bitfield`, `lcs`, `hll`, `keys`, `sort`, `server`, `hashes`,
//! `lists`, `blocking` (multi-key and blocking pops, which never block), `sets`, `zsets`,
//! `zrange`, `zstore`, `geo`, `geosearch`, `streams` (`XADD`, `XTRIM`, `XRANGE`, `XDEL`),
//! `stream_read` (`XREAD`, `XREADGROUP`), `stream_groups` (`XGROUP`, `XACK`, `XPENDING`,
//! `XCLAIM`, `XAUTOCLAIM`), `stream_info` (`XINFO`, `XSETID`). Handlers see an [`Exec`]: the selected database, the
//! time frozen for the call, the protocol and the random generator. Support: `keyspace` (a
//! database), `ordmap`, `zset` and `stream` (the collections; `stream_id` parses stream IDs, `stream_listpack` sizes stream nodes), `args` (parsing, error texts), `numfmt`
//! (`%.17g`), `longdouble` with `bignum` and `hexfloat` (the x87 arithmetic of `INCRBYFLOAT`),
//! `scan` (cursors); glob patterns are the crate's `glob` (`stringmatchlen`).
//!
//! **Invariant:** no input panics: arity is checked again here (the engine checks it first),
//! every index and size computation is checked, and errors come back as `Reply::Error`.
//! Deliberately absent: blocking (the blocking pops and `XREAD`/`XREADGROUP BLOCK` answer as a
//! client that may not block; from a script `BLOCK` is refused as Redis 7.0 refuses it),
//! keyspace notifications, eviction, object encodings (`OBJECT`), and time frozen across a
//! whole script (each command reads the clock).

mod args;
mod bignum;
mod bitfield;
mod bits;
mod blocking;
mod clock;
mod geo;
mod geosearch;
mod hashes;
mod hexfloat;
mod hll;
mod keys;
mod keyspace;
mod lcs;
mod lists;
mod longdouble;
mod numfmt;
mod ordmap;
mod scan;
mod server;
mod sets;
mod sort;
mod stream;
mod stream_groups;
mod stream_id;
mod stream_info;
mod stream_listpack;
mod stream_read;
mod streams;
mod strings;
mod zrange;
mod zset;
mod zsets;
mod zstore;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod transcripts;

use std::cell::Cell;
use std::collections::VecDeque;
use std::sync::LazyLock;

use crate::commands::NameIndex;
use crate::host::{CallContext, CommandHost};
use crate::reply::Reply;

pub use self::clock::{Clock, ManualClock, SystemClock};

use self::args::{CmdResult, err, wrongtype};
use self::keyspace::{Db, Value};
use self::ordmap::OrdMap;
use self::stream::{NodeLimits, Stream};
use self::zset::ZSet;

/// The number of databases (`SELECT 0` to `SELECT 15`).
const N_DBS: usize = 16;

/// An in-memory Redis keyspace implementing [`CommandHost`].
///
/// ```
/// use ferrous_redis::{CallContext, CommandHost, MemoryHost, Reply};
///
/// let mut host = MemoryHost::new();
/// let ctx = CallContext::default();
/// let argv = |args: &[&str]| args.iter().map(|a| a.as_bytes().to_vec()).collect::<Vec<_>>();
/// assert_eq!(host.call(&ctx, &argv(&["SET", "k", "10"])), Reply::ok());
/// assert_eq!(host.call(&ctx, &argv(&["INCRBYFLOAT", "k", "0.1"])), Reply::bulk("10.1"));
/// assert_eq!(host.dbsize(0), 1);
/// ```
pub struct MemoryHost {
    dbs: Vec<Db>,
    clock: Box<dyn Clock + Send>,
    rng: u64,
    stream_limits: NodeLimits,
    /// While a script runs: the time it started, which keys expire by.
    script_time: Option<i64>,
}

impl Default for MemoryHost {
    fn default() -> Self {
        MemoryHost::new()
    }
}

impl std::fmt::Debug for MemoryHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sizes: Vec<usize> = self.dbs.iter().map(Db::len).collect();
        f.debug_struct("MemoryHost")
            .field("dbsizes", &sizes)
            .finish_non_exhaustive()
    }
}

impl MemoryHost {
    /// An empty host on the system clock.
    pub fn new() -> MemoryHost {
        MemoryHost::with_clock(SystemClock)
    }

    /// An empty host whose expiry follows `clock`.
    pub fn with_clock(clock: impl Clock + Send + 'static) -> MemoryHost {
        MemoryHost {
            dbs: (0..N_DBS).map(|_| Db::default()).collect(),
            clock: Box::new(clock),
            rng: 0x2545_f491_4f6c_dd1d,
            stream_limits: NodeLimits::default(),
            script_time: None,
        }
    }

    /// Removes every key of every database.
    pub fn flushall(&mut self) {
        self.dbs.iter_mut().for_each(Db::clear);
    }

    /// Removes every key of database `db` (nothing if there is no such database).
    pub fn flushdb(&mut self, db: usize) {
        if let Some(db) = self.dbs.get_mut(db) {
            db.clear();
        }
    }

    /// The number of keys in database `db`, as `DBSIZE` counts them (keys that expired but were
    /// not yet removed included); 0 for a database that does not exist.
    pub fn dbsize(&self, db: usize) -> usize {
        self.dbs.get(db).map_or(0, Db::len)
    }

    /// Every key of database `db`, expired ones not yet removed included (what a flush or
    /// `SWAPDB` touches).
    pub fn db_keys(&self, db: usize) -> Vec<Vec<u8>> {
        self.dbs
            .get(db)
            .map(|db| db.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// Sets how many entries (`stream-node-max-entries`, default 100) and about how many bytes
    /// (`stream-node-max-bytes`, default 4096) one stream node holds before a new one starts;
    /// 0 means no limit of that kind. Approximate trimming (`MAXLEN ~`) removes whole nodes,
    /// so these decide what it removes, as in Redis.
    pub fn set_stream_node_limits(&mut self, max_entries: u64, max_bytes: u64) {
        self.stream_limits = NodeLimits {
            max_entries,
            max_bytes,
        };
    }

    /// Starts or stops recording the keys removed because their time came (lazily when a
    /// command met them, or by [`MemoryHost::active_expire`]); a server that implements
    /// `WATCH` reads them with [`MemoryHost::take_expired`], as Redis touches watched keys on
    /// expiry. Off by default (the log would grow with no one reading it).
    pub fn track_expired(&mut self, on: bool) {
        for db in &mut self.dbs {
            db.track_expired(on);
        }
    }

    /// The keys removed by expiry since the last call, with their database.
    pub fn take_expired(&mut self) -> Vec<(usize, Vec<u8>)> {
        // Runs after every command of a server: nothing to collect is the common case.
        if !self.dbs.iter().any(Db::has_expired) {
            return Vec::new();
        }
        self.dbs
            .iter_mut()
            .enumerate()
            .flat_map(|(index, db)| db.take_expired().into_iter().map(move |key| (index, key)))
            .collect()
    }

    /// Looks at up to `budget` keys with an expiry time in each database and removes those whose
    /// time has come; returns how many keys it removed.
    pub fn active_expire(&mut self, budget: usize) -> usize {
        let now = self.clock.now_ms();
        self.dbs
            .iter_mut()
            .map(|db| db.active_expire(now, budget))
            .sum()
    }
}

impl CommandHost for MemoryHost {
    fn call(&mut self, ctx: &CallContext, args: &[Vec<u8>]) -> Reply {
        let Some(name) = args.first() else {
            return err("ERR unknown command '', with args beginning with: ");
        };
        let Some(&(lowered, arity, handler)) = dispatch(name) else {
            return unknown_command(args);
        };
        let n_args = args.len() as i64;
        if (arity > 0 && n_args != arity) || (arity < 0 && n_args < -arity) {
            return err(&format!(
                "ERR wrong number of arguments for '{lowered}' command"
            ));
        }
        if ctx.db >= self.dbs.len() {
            return err("ERR DB index is out of range");
        }
        let mut exec = Exec {
            dbs: &mut self.dbs,
            db: ctx.db,
            clock: &*self.clock,
            now: Cell::new(None),
            script_time: self.script_time.filter(|_| ctx.from_script),
            resp: ctx.resp,
            from_script: ctx.from_script,
            rng: &mut self.rng,
            stream_limits: self.stream_limits,
        };
        handler(&mut exec, args).unwrap_or_else(|error| error)
    }

    fn script_started(&mut self) {
        self.script_time = Some(self.clock.now_ms());
    }

    fn script_ended(&mut self) {
        self.script_time = None;
    }
}

/// Redis's reply to a command it does not know.
fn unknown_command(args: &[Vec<u8>]) -> Reply {
    let clip = |bytes: &[u8], max: usize| -> String {
        let end = bytes
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(bytes.len())
            .min(max);
        String::from_utf8_lossy(&bytes[..end]).into_owned()
    };
    let mut listed = String::new();
    for arg in args.iter().skip(1) {
        if listed.len() >= 128 {
            break;
        }
        listed.push_str(&format!("'{}' ", clip(arg, 128 - listed.len())));
    }
    let name = clip(args.first().map_or(&[][..], Vec::as_slice), 128);
    let text = format!("ERR unknown command '{name}', with args beginning with: {listed}");
    Reply::Error(text.replace(['\r', '\n'], " ").into_bytes())
}

/// A command handler: all arguments, the name included.
type Handler = fn(&mut Exec<'_>, &[Vec<u8>]) -> CmdResult;

/// Every command the host runs: lowercased name, Redis's arity (negative: at least that many
/// arguments, the name included) and handler.
const COMMANDS: &[(&str, i64, Handler)] = &[
    // Strings.
    ("get", 2, strings::get),
    ("set", -3, strings::set),
    ("setnx", 3, strings::setnx),
    ("setex", 4, strings::setex),
    ("psetex", 4, strings::psetex),
    ("getset", 3, strings::getset),
    ("getdel", 2, strings::getdel),
    ("getex", -2, strings::getex),
    ("mget", -2, strings::mget),
    ("mset", -3, strings::mset),
    ("msetnx", -3, strings::msetnx),
    ("append", 3, strings::append),
    ("strlen", 2, strings::strlen),
    ("incr", 2, strings::incr),
    ("decr", 2, strings::decr),
    ("incrby", 3, strings::incrby),
    ("decrby", 3, strings::decrby),
    ("incrbyfloat", 3, strings::incrbyfloat),
    ("getrange", 4, strings::getrange),
    ("substr", 4, strings::getrange),
    ("setrange", 4, strings::setrange),
    ("lcs", -3, lcs::lcs),
    ("pfadd", -2, hll::pfadd),
    ("pfcount", -2, hll::pfcount),
    ("pfmerge", -2, hll::pfmerge),
    ("setbit", 4, bits::setbit),
    ("getbit", 3, bits::getbit),
    ("bitcount", -2, bits::bitcount),
    ("bitpos", -3, bits::bitpos),
    ("bitop", -4, bits::bitop),
    ("bitfield", -2, bitfield::bitfield),
    ("bitfield_ro", -2, bitfield::bitfield_ro),
    // Keys.
    ("del", -2, keys::del),
    ("unlink", -2, keys::del),
    ("exists", -2, keys::exists),
    ("type", 2, keys::type_),
    ("expire", -3, keys::expire),
    ("pexpire", -3, keys::pexpire),
    ("expireat", -3, keys::expireat),
    ("pexpireat", -3, keys::pexpireat),
    ("ttl", 2, keys::ttl),
    ("pttl", 2, keys::pttl),
    ("expiretime", 2, keys::expiretime),
    ("pexpiretime", 2, keys::pexpiretime),
    ("persist", 2, keys::persist),
    ("keys", 2, keys::keys),
    ("scan", -2, keys::scan),
    ("randomkey", 1, keys::randomkey),
    ("rename", 3, keys::rename),
    ("renamenx", 3, keys::renamenx),
    ("copy", -3, keys::copy),
    ("touch", -2, keys::exists),
    ("move", 3, keys::move_),
    ("swapdb", 3, server::swapdb),
    ("sort", -2, sort::sort),
    ("sort_ro", -2, sort::sort_ro),
    // Server.
    ("dbsize", 1, server::dbsize),
    ("flushdb", -1, server::flushdb),
    ("flushall", -1, server::flushall),
    ("time", 1, server::time),
    ("ping", -1, server::ping),
    ("echo", 2, server::echo),
    ("publish", 3, server::publish),
    ("spublish", 3, server::publish),
    // Hashes.
    ("hset", -4, hashes::hset),
    ("hmset", -4, hashes::hmset),
    ("hsetnx", 4, hashes::hsetnx),
    ("hget", 3, hashes::hget),
    ("hmget", -3, hashes::hmget),
    ("hgetall", 2, hashes::hgetall),
    ("hdel", -3, hashes::hdel),
    ("hexists", 3, hashes::hexists),
    ("hlen", 2, hashes::hlen),
    ("hkeys", 2, hashes::hkeys),
    ("hvals", 2, hashes::hvals),
    ("hincrby", 4, hashes::hincrby),
    ("hincrbyfloat", 4, hashes::hincrbyfloat),
    ("hstrlen", 3, hashes::hstrlen),
    ("hscan", -3, hashes::hscan),
    ("hrandfield", -2, hashes::hrandfield),
    // Lists.
    ("lpush", -3, lists::lpush),
    ("rpush", -3, lists::rpush),
    ("lpushx", -3, lists::lpushx),
    ("rpushx", -3, lists::rpushx),
    ("lpop", -2, lists::lpop),
    ("rpop", -2, lists::rpop),
    ("llen", 2, lists::llen),
    ("lrange", 4, lists::lrange),
    ("lindex", 3, lists::lindex),
    ("lset", 4, lists::lset),
    ("lrem", 4, lists::lrem),
    ("linsert", 5, lists::linsert),
    ("ltrim", 4, lists::ltrim),
    ("lpos", -3, lists::lpos),
    ("lmove", 5, lists::lmove),
    ("rpoplpush", 3, lists::rpoplpush),
    ("lmpop", -4, blocking::lmpop),
    ("blmpop", -5, blocking::blmpop),
    ("blpop", -3, blocking::blpop),
    ("brpop", -3, blocking::brpop),
    ("blmove", 6, blocking::blmove),
    ("brpoplpush", 4, blocking::brpoplpush),
    // Sets.
    ("sadd", -3, sets::sadd),
    ("srem", -3, sets::srem),
    ("smembers", 2, sets::smembers),
    ("sismember", 3, sets::sismember),
    ("smismember", -3, sets::smismember),
    ("scard", 2, sets::scard),
    ("spop", -2, sets::spop),
    ("srandmember", -2, sets::srandmember),
    ("sinter", -2, sets::sinter),
    ("sunion", -2, sets::sunion),
    ("sdiff", -2, sets::sdiff),
    ("sinterstore", -3, sets::sinterstore),
    ("sunionstore", -3, sets::sunionstore),
    ("sdiffstore", -3, sets::sdiffstore),
    ("smove", 4, sets::smove),
    ("sscan", -3, sets::sscan),
    ("sintercard", -3, sets::sintercard),
    // Sorted sets.
    ("zadd", -4, zsets::zadd),
    ("zincrby", 4, zsets::zincrby),
    ("zscore", 3, zsets::zscore),
    ("zmscore", -3, zsets::zmscore),
    ("zrem", -3, zsets::zrem),
    ("zcard", 2, zsets::zcard),
    ("zcount", 4, zsets::zcount),
    ("zrank", 3, zsets::zrank),
    ("zrevrank", 3, zsets::zrevrank),
    ("zpopmin", -2, zsets::zpopmin),
    ("zpopmax", -2, zsets::zpopmax),
    ("zscan", -3, zsets::zscan),
    ("zremrangebyrank", 4, zsets::zremrangebyrank),
    ("zremrangebyscore", 4, zsets::zremrangebyscore),
    ("zrange", -4, zrange::zrange),
    ("zrangebyscore", -4, zrange::zrangebyscore),
    ("zrevrange", -4, zrange::zrevrange),
    ("zrevrangebyscore", -4, zrange::zrevrangebyscore),
    ("zrangebylex", -4, zrange::zrangebylex),
    ("zrevrangebylex", -4, zrange::zrevrangebylex),
    ("zlexcount", 4, zrange::zlexcount),
    ("zrangestore", -5, zrange::zrangestore),
    ("zremrangebylex", 4, zrange::zremrangebylex),
    ("zrandmember", -2, zsets::zrandmember),
    ("zmpop", -4, blocking::zmpop),
    ("bzmpop", -5, blocking::bzmpop),
    ("bzpopmin", -3, blocking::bzpopmin),
    ("bzpopmax", -3, blocking::bzpopmax),
    ("geoadd", -5, geo::geoadd),
    ("geopos", -2, geo::geopos),
    ("geodist", -4, geo::geodist),
    ("geohash", -2, geo::geohash),
    ("georadius", -6, geosearch::georadius),
    ("georadius_ro", -6, geosearch::georadius_ro),
    ("georadiusbymember", -5, geosearch::georadiusbymember),
    ("georadiusbymember_ro", -5, geosearch::georadiusbymember_ro),
    ("geosearch", -7, geosearch::geosearch),
    ("geosearchstore", -8, geosearch::geosearchstore),
    ("zunionstore", -4, zstore::zunionstore),
    ("zinterstore", -4, zstore::zinterstore),
    ("zdiffstore", -4, zstore::zdiffstore),
    ("zunion", -3, zstore::zunion),
    ("zinter", -3, zstore::zinter),
    ("zdiff", -3, zstore::zdiff),
    ("zintercard", -3, zstore::zintercard),
    // Streams.
    ("xadd", -5, streams::xadd),
    ("xtrim", -4, streams::xtrim),
    ("xlen", 2, streams::xlen),
    ("xrange", -4, streams::xrange),
    ("xrevrange", -4, streams::xrevrange),
    ("xdel", -3, streams::xdel),
    ("xread", -4, stream_read::xread),
    ("xreadgroup", -7, stream_read::xreadgroup),
    ("xgroup", -2, stream_groups::xgroup),
    ("xack", -4, stream_groups::xack),
    ("xpending", -3, stream_groups::xpending),
    ("xclaim", -6, stream_groups::xclaim),
    ("xautoclaim", -6, stream_groups::xautoclaim),
    ("xinfo", -2, stream_info::xinfo),
    ("xsetid", -3, stream_info::xsetid),
];

/// The entry of `COMMANDS` for a command name in any case: an index lookup (this runs for
/// every command; a scan of the table cost more than the command itself).
fn dispatch(name: &[u8]) -> Option<&'static (&'static str, i64, Handler)> {
    static INDEX: LazyLock<NameIndex> =
        LazyLock::new(|| NameIndex::new(COMMANDS.iter().map(|(name, _, _)| *name)));
    COMMANDS.get(INDEX.get(name)?)
}

/// What a handler works with during one call.
pub(crate) struct Exec<'a> {
    dbs: &'a mut [Db],
    /// The selected database.
    db: usize,
    clock: &'a (dyn Clock + Send),
    /// The time of the call, read from `clock` when first asked for ([`Exec::now`]): most
    /// commands never need it.
    now: Cell<Option<i64>>,
    /// When a script runs the command, the time it started ([`Exec::expiry_now`]).
    script_time: Option<i64>,
    /// The caller's protocol (2 or 3).
    resp: u8,
    /// Whether a script runs the command (`SORT` orders sets for scripts).
    from_script: bool,
    rng: &'a mut u64,
    /// The size of stream nodes.
    stream_limits: NodeLimits,
}

impl Exec<'_> {
    /// The time of the call, in ms (what `mstime()` gives Redis's commands: TTL arithmetic,
    /// stream IDs, `TIME`); the clock is read once per call.
    pub(crate) fn now(&self) -> i64 {
        match self.now.get() {
            Some(now) => now,
            None => {
                let now = self.clock.now_ms();
                self.now.set(Some(now));
                now
            }
        }
    }

    /// The time keys expire by: [`Exec::now`], except in a script, where it is the time the
    /// script started (Redis's `keyIsExpired` uses `scriptTimeSnapshot()`: a key cannot expire
    /// in the middle of a script).
    pub(crate) fn expiry_now(&self) -> i64 {
        self.script_time.unwrap_or_else(|| self.now())
    }
}

/// Generates typed accessors: read, write, and write-creating-if-missing.
macro_rules! typed_access {
    ($get:ident, $get_mut:ident, $create:ident, $variant:ident, $ty:ty, $new:expr) => {
        /// The value under `key` if it has this type; `Ok(None)` when missing; `WRONGTYPE`.
        pub(crate) fn $get(&mut self, key: &[u8]) -> Result<Option<&$ty>, Reply> {
            match self.get(key) {
                None => Ok(None),
                Some(Value::$variant(value)) => Ok(Some(value)),
                Some(_) => Err(wrongtype()),
            }
        }

        /// Like the read accessor, mutably.
        pub(crate) fn $get_mut(&mut self, key: &[u8]) -> Result<Option<&mut $ty>, Reply> {
            match self.get_mut(key) {
                None => Ok(None),
                Some(Value::$variant(value)) => Ok(Some(value)),
                Some(_) => Err(wrongtype()),
            }
        }

        /// The value under `key`, created empty when missing; the caller must add to it.
        pub(crate) fn $create(&mut self, key: &[u8]) -> Result<&mut $ty, Reply> {
            let now = self.expiry_now();
            let db = &mut self.dbs[self.db];
            if db.get(key, now).is_none() {
                db.set(key, Value::$variant($new));
            }
            match db.get_mut(key, now) {
                Some(Value::$variant(value)) => Ok(value),
                _ => Err(wrongtype()),
            }
        }
    };
}

impl Exec<'_> {
    /// The selected database.
    pub(crate) fn db(&mut self) -> &mut Db {
        &mut self.dbs[self.db]
    }

    /// Database `idx` (checked by the caller).
    pub(crate) fn db_at(&mut self, idx: usize) -> Option<&mut Db> {
        self.dbs.get_mut(idx)
    }

    /// Swaps two databases; `false` if either index is out of range.
    pub(crate) fn swap_dbs(&mut self, first: i64, second: i64) -> bool {
        let n_dbs = self.dbs.len() as i64;
        if !(0..n_dbs).contains(&first) || !(0..n_dbs).contains(&second) {
            return false;
        }
        self.dbs.swap(first as usize, second as usize);
        true
    }

    /// The live value under `key`.
    pub(crate) fn get(&mut self, key: &[u8]) -> Option<&Value> {
        let now = self.expiry_now();
        self.dbs[self.db].get(key, now)
    }

    /// The live value under `key`, mutably.
    pub(crate) fn get_mut(&mut self, key: &[u8]) -> Option<&mut Value> {
        let now = self.expiry_now();
        self.dbs[self.db].get_mut(key, now)
    }

    /// The next pseudo-random number (xorshift64*).
    pub(crate) fn rand(&mut self) -> u64 {
        let mut state = *self.rng;
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        *self.rng = state;
        state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A pseudo-random number below `bound` (which must not be 0).
    pub(crate) fn rand_below(&mut self, bound: usize) -> usize {
        (self.rand() % bound.max(1) as u64) as usize
    }

    typed_access!(
        string,
        string_mut,
        string_or_create,
        Str,
        Vec<u8>,
        Vec::new()
    );
    typed_access!(
        list,
        list_mut,
        list_or_create,
        List,
        VecDeque<Vec<u8>>,
        VecDeque::new()
    );
    typed_access!(
        hash,
        hash_mut,
        hash_or_create,
        Hash,
        OrdMap<Vec<u8>>,
        OrdMap::new()
    );
    typed_access!(set, set_mut, set_or_create, Set, OrdMap<()>, OrdMap::new());
    typed_access!(zset, zset_mut, zset_or_create, ZSet, ZSet, ZSet::new());
    typed_access!(
        stream,
        stream_mut,
        stream_or_create,
        Stream,
        Box<Stream>,
        Box::default()
    );
}
