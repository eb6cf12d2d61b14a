//! What the engine needs to know about a command before a script may run it: arity and the
//! flags Redis checks in `scriptCall` (noscript, write, denyoom, may-replicate).
//!
//! Placeholder table of the most common commands; replaced by Redis 7.0's full command table.

/// The facts about one command.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CommandInfo {
    pub arity: i32,
    pub write: bool,
    pub denyoom: bool,
    pub noscript: bool,
    pub may_replicate: bool,
}

impl CommandInfo {
    /// Redis's arity rule: positive = exactly, negative = at least.
    pub(crate) fn arity_ok(&self, argc: usize) -> bool {
        let argc = i64::try_from(argc).unwrap_or(i64::MAX);
        let arity = i64::from(self.arity);
        if arity >= 0 {
            argc == arity
        } else {
            argc >= -arity
        }
    }
}

/// Looks up `argv[0]` (any case).
pub(crate) fn lookup(argv: &[Vec<u8>]) -> Option<CommandInfo> {
    let name = argv.first()?.to_ascii_lowercase();
    let (arity, flags) = TABLE
        .iter()
        .find(|(n, _, _)| n.as_bytes() == name)
        .map(|&(_, a, f)| (a, f))?;
    Some(CommandInfo {
        arity,
        write: flags.contains('w'),
        denyoom: flags.contains('m'),
        noscript: flags.contains('s'),
        may_replicate: flags.contains('p'),
    })
}

/// name, arity, flags (w write, m denyoom, s noscript, p may-replicate).
const TABLE: &[(&str, i32, &str)] = &[
    ("get", 2, ""),
    ("set", -3, "wm"),
    ("del", -2, "w"),
    ("incr", 2, "wm"),
    ("incrby", 3, "wm"),
    ("decr", 2, "wm"),
    ("exists", -2, ""),
    ("expire", -3, "w"),
    ("ttl", 2, ""),
    ("ping", -1, ""),
    ("echo", 2, ""),
    ("hset", -4, "wm"),
    ("hget", 3, ""),
    ("hgetall", 2, ""),
    ("lpush", -3, "wm"),
    ("rpush", -3, "wm"),
    ("lrange", 4, ""),
    ("sadd", -3, "wm"),
    ("smembers", 2, ""),
    ("zadd", -4, "wm"),
    ("zrange", -4, ""),
    ("type", 2, ""),
    ("mget", -2, ""),
    ("time", 1, ""),
    ("blpop", -3, "ws"),
    ("brpop", -3, "ws"),
    ("eval", -3, "sp"),
    ("evalsha", -3, "sp"),
    ("multi", 1, "s"),
    ("exec", 1, "s"),
    ("subscribe", -2, "s"),
    ("script", -2, "s"),
    ("incrbyfloat", 3, "wm"),
    ("setnx", 3, "wm"),
    ("append", 3, "wm"),
    ("strlen", 2, ""),
    ("hincrby", 4, "wm"),
    ("hdel", -3, "w"),
    ("llen", 2, ""),
    ("lpop", -2, "w"),
    ("rpop", -2, "w"),
    ("pexpire", -3, "w"),
    ("pttl", 2, ""),
    ("flushall", -1, "w"),
    ("dbsize", 1, ""),
    ("scard", 2, ""),
    ("zscore", 3, ""),
    ("zincrby", 4, "wm"),
    ("keys", 2, ""),
    ("hmget", -3, ""),
    ("hkeys", 2, ""),
    ("hlen", 2, ""),
    ("zcard", 2, ""),
    ("zrem", -3, "w"),
    ("srem", -3, "w"),
    ("sismember", 3, ""),
    ("publish", 3, "p"),
    ("getset", 3, "wm"),
    ("mset", -3, "wm"),
];
