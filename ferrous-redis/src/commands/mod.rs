//! Redis 7.0.15's command table as data, and the checks Redis runs before a command executes.
//!
//! - [`CommandSpec`]: one command or subcommand (`get`, `config|get`): arity, [`CommandFlags`],
//!   legacy key range, [`AclCategories`], subcommands. The rows live in `table.rs`, generated from
//!   a real server by `ferrous-redis/tools/gen_command_table.py`.
//! - [`lookup`] / [`lookup_sub`]: case-insensitive, allocation-free lookups (a hash index of
//!   the table; binary searches among a command's subcommands).
//! - [`resolve`]: Redis's `lookupCommand` followed by `commandCheckExistence` and
//!   `commandCheckArity`, with the exact error texts (`ERR unknown command ...`,
//!   `ERR unknown subcommand ...`, `ERR wrong number of arguments for 'config|get' command`).
//! - [`keys_of`] (in `keys.rs`): where the keys of an argv are, as `getKeysFromCommand` finds them.
//! - [`keys_with_flags`] (in `keyspecs.rs`): the keys with how each is accessed, from the key
//!   specifications, as ACL checks them.
//! - [`key_hash_slot`] (in `slot.rs`): the cluster hash slot of a key.
//!
//! Invariants: `table::COMMANDS` is sorted by name and every `subcommands` slice by full name, all
//! lowercase (a test checks it), so subcommand lookups are binary searches that lowercase the
//! probe byte by byte. Names are compared as whole byte strings: `get\0x` is not `get`.

mod keys;
mod keyspecs;
mod names;
mod slot;
mod table;

use std::cmp::Ordering;
use std::sync::LazyLock;

use crate::reply::Reply;

pub(crate) use names::NameIndex;

pub use self::keys::{KeyPositions, keys_of};
pub use self::keyspecs::{KeyFlags, KeySpec, keys_with_flags};
pub use self::slot::{crc16, key_hash_slot};

/// Command flags: Redis's `CMD_*` bits (same bit positions as `server.h` of 7.0.15).
///
/// `COMMAND` shows all but [`CommandFlags::MAY_REPLICATE`], [`CommandFlags::SENTINEL`],
/// [`CommandFlags::ONLY_SENTINEL`] and [`CommandFlags::PROTECTED`], which Redis hides on purpose;
/// the table has them from `commands.c`. Redis 7.0 has no `no_propagate` flag (it came in 7.2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct CommandFlags(u64);

/// Flag names as `COMMAND` prints them, in bit order.
const FLAG_NAMES: &[(CommandFlags, &str)] = &[
    (CommandFlags::WRITE, "write"),
    (CommandFlags::READONLY, "readonly"),
    (CommandFlags::DENYOOM, "denyoom"),
    (CommandFlags::MODULE, "module"),
    (CommandFlags::ADMIN, "admin"),
    (CommandFlags::PUBSUB, "pubsub"),
    (CommandFlags::NOSCRIPT, "noscript"),
    (CommandFlags::BLOCKING, "blocking"),
    (CommandFlags::LOADING, "loading"),
    (CommandFlags::STALE, "stale"),
    (CommandFlags::SKIP_MONITOR, "skip_monitor"),
    (CommandFlags::SKIP_SLOWLOG, "skip_slowlog"),
    (CommandFlags::ASKING, "asking"),
    (CommandFlags::FAST, "fast"),
    (CommandFlags::NO_AUTH, "no_auth"),
    (CommandFlags::MAY_REPLICATE, "may_replicate"),
    (CommandFlags::SENTINEL, "sentinel"),
    (CommandFlags::ONLY_SENTINEL, "only_sentinel"),
    (CommandFlags::NO_MANDATORY_KEYS, "no_mandatory_keys"),
    (CommandFlags::PROTECTED, "protected"),
    (CommandFlags::NO_ASYNC_LOADING, "no_async_loading"),
    (CommandFlags::NO_MULTI, "no_multi"),
    (CommandFlags::MOVABLE_KEYS, "movablekeys"),
    (CommandFlags::ALLOW_BUSY, "allow_busy"),
];

impl CommandFlags {
    /// `write`: may modify the keyspace.
    pub const WRITE: CommandFlags = CommandFlags(1 << 0);
    /// `readonly`: only reads keys.
    pub const READONLY: CommandFlags = CommandFlags(1 << 1);
    /// `denyoom`: may grow memory; refused when over `maxmemory`.
    pub const DENYOOM: CommandFlags = CommandFlags(1 << 2);
    /// `module`: exported by a module.
    pub const MODULE: CommandFlags = CommandFlags(1 << 3);
    /// `admin`: administrative.
    pub const ADMIN: CommandFlags = CommandFlags(1 << 4);
    /// `pubsub`: publish/subscribe.
    pub const PUBSUB: CommandFlags = CommandFlags(1 << 5);
    /// `noscript`: not allowed from scripts.
    pub const NOSCRIPT: CommandFlags = CommandFlags(1 << 6);
    /// `blocking`: may block the client.
    pub const BLOCKING: CommandFlags = CommandFlags(1 << 8);
    /// `loading`: allowed while the dataset loads.
    pub const LOADING: CommandFlags = CommandFlags(1 << 9);
    /// `stale`: allowed on a replica with stale data.
    pub const STALE: CommandFlags = CommandFlags(1 << 10);
    /// `skip_monitor`: not shown to MONITOR.
    pub const SKIP_MONITOR: CommandFlags = CommandFlags(1 << 11);
    /// `skip_slowlog`: not logged by the slow log.
    pub const SKIP_SLOWLOG: CommandFlags = CommandFlags(1 << 12);
    /// `asking`: cluster ASKING semantics.
    pub const ASKING: CommandFlags = CommandFlags(1 << 13);
    /// `fast`: O(1) or O(log N).
    pub const FAST: CommandFlags = CommandFlags(1 << 14);
    /// `no_auth`: runs without authentication.
    pub const NO_AUTH: CommandFlags = CommandFlags(1 << 15);
    /// `may_replicate` (hidden by `COMMAND`): may replicate although not a write (PUBLISH,
    /// EVAL); scripts treat it as a write.
    pub const MAY_REPLICATE: CommandFlags = CommandFlags(1 << 16);
    /// `sentinel` (hidden): also present in sentinel mode.
    pub const SENTINEL: CommandFlags = CommandFlags(1 << 17);
    /// `only_sentinel` (hidden): present only in sentinel mode (so in no row of this table).
    pub const ONLY_SENTINEL: CommandFlags = CommandFlags(1 << 18);
    /// `no_mandatory_keys`: its keys are optional.
    pub const NO_MANDATORY_KEYS: CommandFlags = CommandFlags(1 << 19);
    /// `protected` (hidden): refused unless `enable-debug-command`/`enable-module-command`.
    pub const PROTECTED: CommandFlags = CommandFlags(1 << 20);
    /// `no_async_loading`: refused during async loading.
    pub const NO_ASYNC_LOADING: CommandFlags = CommandFlags(1 << 23);
    /// `no_multi`: not allowed inside MULTI.
    pub const NO_MULTI: CommandFlags = CommandFlags(1 << 24);
    /// `movablekeys`: the legacy first/last/step range does not find all keys ([`keys_of`] does).
    pub const MOVABLE_KEYS: CommandFlags = CommandFlags(1 << 25);
    /// `allow_busy`: allowed while a script runs too long.
    pub const ALLOW_BUSY: CommandFlags = CommandFlags(1 << 26);

    /// No flags.
    pub const fn empty() -> CommandFlags {
        CommandFlags(0)
    }

    /// The bits, as Redis's `CMD_*` values.
    pub const fn bits(self) -> u64 {
        self.0
    }

    /// Both sets of flags.
    #[must_use]
    pub const fn union(self, other: CommandFlags) -> CommandFlags {
        CommandFlags(self.0 | other.0)
    }

    /// Whether every flag of `other` is set.
    pub const fn contains(self, other: CommandFlags) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether any flag of `other` is set.
    pub const fn intersects(self, other: CommandFlags) -> bool {
        self.0 & other.0 != 0
    }

    /// The names of the set flags in bit order (`COMMAND`'s order), hidden ones included.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        FLAG_NAMES
            .iter()
            .filter(move |(flag, _)| self.contains(*flag))
            .map(|(_, name)| *name)
    }
}

/// ACL categories: Redis's `ACL_CATEGORY_*` bits (same positions as `server.h` of 7.0.15).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct AclCategories(u32);

/// Category names (without `@`), in bit order.
const ACL_NAMES: [&str; 21] = [
    "keyspace",
    "read",
    "write",
    "set",
    "sortedset",
    "list",
    "hash",
    "string",
    "bitmap",
    "hyperloglog",
    "geo",
    "stream",
    "pubsub",
    "admin",
    "fast",
    "slow",
    "blocking",
    "dangerous",
    "connection",
    "transaction",
    "scripting",
];

impl AclCategories {
    /// `@keyspace`.
    pub const KEYSPACE: AclCategories = AclCategories(1 << 0);
    /// `@read`.
    pub const READ: AclCategories = AclCategories(1 << 1);
    /// `@write`.
    pub const WRITE: AclCategories = AclCategories(1 << 2);
    /// `@set`.
    pub const SET: AclCategories = AclCategories(1 << 3);
    /// `@sortedset`.
    pub const SORTEDSET: AclCategories = AclCategories(1 << 4);
    /// `@list`.
    pub const LIST: AclCategories = AclCategories(1 << 5);
    /// `@hash`.
    pub const HASH: AclCategories = AclCategories(1 << 6);
    /// `@string`.
    pub const STRING: AclCategories = AclCategories(1 << 7);
    /// `@bitmap`.
    pub const BITMAP: AclCategories = AclCategories(1 << 8);
    /// `@hyperloglog`.
    pub const HYPERLOGLOG: AclCategories = AclCategories(1 << 9);
    /// `@geo`.
    pub const GEO: AclCategories = AclCategories(1 << 10);
    /// `@stream`.
    pub const STREAM: AclCategories = AclCategories(1 << 11);
    /// `@pubsub`.
    pub const PUBSUB: AclCategories = AclCategories(1 << 12);
    /// `@admin`.
    pub const ADMIN: AclCategories = AclCategories(1 << 13);
    /// `@fast`.
    pub const FAST: AclCategories = AclCategories(1 << 14);
    /// `@slow`.
    pub const SLOW: AclCategories = AclCategories(1 << 15);
    /// `@blocking`.
    pub const BLOCKING: AclCategories = AclCategories(1 << 16);
    /// `@dangerous`.
    pub const DANGEROUS: AclCategories = AclCategories(1 << 17);
    /// `@connection`.
    pub const CONNECTION: AclCategories = AclCategories(1 << 18);
    /// `@transaction`.
    pub const TRANSACTION: AclCategories = AclCategories(1 << 19);
    /// `@scripting`.
    pub const SCRIPTING: AclCategories = AclCategories(1 << 20);

    /// No category.
    pub const fn empty() -> AclCategories {
        AclCategories(0)
    }

    /// The bits, as Redis's `ACL_CATEGORY_*` values.
    pub const fn bits(self) -> u32 {
        self.0
    }

    /// Both sets of categories.
    #[must_use]
    pub const fn union(self, other: AclCategories) -> AclCategories {
        AclCategories(self.0 | other.0)
    }

    /// Whether every category of `other` is set.
    pub const fn contains(self, other: AclCategories) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether any category of `other` is set.
    pub const fn intersects(self, other: AclCategories) -> bool {
        self.0 & other.0 != 0
    }

    /// Every category with its name (without `@`), in bit order (`ACL CAT`'s order).
    pub fn all() -> impl Iterator<Item = (AclCategories, &'static str)> {
        ACL_NAMES
            .iter()
            .enumerate()
            .map(|(bit, name)| (AclCategories(1 << bit), *name))
    }

    /// The category names (without `@`), in bit order.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        ACL_NAMES
            .iter()
            .enumerate()
            .filter(move |(bit, _)| self.0 & (1 << bit) != 0)
            .map(|(_, name)| *name)
    }
}

/// How a command's keys are found beyond the legacy range: the getkeys procedures of `db.c`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyFinder {
    /// The legacy first/last/step range (`getKeysUsingLegacyRangeSpec`).
    Range,
    /// `genericGetKeys`: `argv[count]` keys from `argv[first]`, then `argv[store]` if
    /// `store != 0` (EVAL, FCALL, ZUNIONSTORE, LMPOP, ...).
    NumKeys {
        /// Index of the destination key, 0 for none.
        store: u8,
        /// Index of the key count.
        count: u8,
        /// Index of the first key.
        first: u8,
    },
    /// `sortGetKeys`: `argv[1]` and the last `STORE` key.
    Sort,
    /// `migrateGetKeys`: `argv[3]` or the keys after `KEYS`.
    Migrate,
    /// `georadiusGetKeys`: `argv[1]` and the last `STORE`/`STOREDIST` key.
    GeoRadius,
    /// `xreadGetKeys`: the first half of what follows `STREAMS`.
    XRead,
}

/// One command or subcommand of Redis 7.0.15.
#[derive(Debug, PartialEq)]
pub struct CommandSpec {
    /// The lowercase name; for a subcommand the full name, `container|sub` (`config|get`).
    pub name: &'static str,
    /// Redis's arity: the argument count including the name(s); negative means at least `-arity`.
    pub arity: i32,
    /// The flags.
    pub flags: CommandFlags,
    /// Legacy key range: index of the first key, 0 when the range has no keys.
    pub first_key: i32,
    /// Legacy key range: index of the last key; negative counts from the end (-1 = last argument).
    pub last_key: i32,
    /// Legacy key range: the step between keys.
    pub key_step: i32,
    /// The ACL categories, implicit ones (`@read`, `@fast`, ...) included as `COMMAND` shows them.
    pub acl_categories: AclCategories,
    /// How [`keys_of`] finds the keys.
    pub(crate) keys: KeyFinder,
    /// The key specifications (how each key is accessed), as `COMMAND` shows them.
    pub key_specs: &'static [KeySpec],
    /// The subcommands of a container command (`config`), sorted by name; empty otherwise.
    pub subcommands: &'static [CommandSpec],
}

impl CommandSpec {
    /// Whether `argc` arguments (the name(s) included) satisfy the arity (`commandCheckArity`).
    pub fn arity_ok(&self, argc: usize) -> bool {
        let argc = i64::try_from(argc).unwrap_or(i64::MAX);
        let arity = i64::from(self.arity);
        if arity >= 0 {
            argc == arity
        } else {
            argc >= -arity
        }
    }

    /// Whether this is a container command (`config`, `client`, `script`, ...).
    pub fn is_container(&self) -> bool {
        !self.subcommands.is_empty()
    }

    /// `doesCommandHaveKeys`: a procedure of its own finds the keys, or a key specification is
    /// not marked `not_key`.
    pub fn has_keys(&self) -> bool {
        !matches!(self.keys, KeyFinder::Range)
            || self
                .key_specs
                .iter()
                .any(|k| !k.flags.contains(KeyFlags::NOT_KEY))
    }

    /// The subcommand `sub` of this container, any case.
    pub fn subcommand(&self, sub: &[u8]) -> Option<&'static CommandSpec> {
        let index = self
            .subcommands
            .binary_search_by(|spec| compare_name(sub_name(spec.name), sub))
            .ok()?;
        self.subcommands.get(index)
    }
}

/// The part of a full name after `|`.
fn sub_name(full: &str) -> &str {
    full.split_once('|').map_or(full, |(_, sub)| sub)
}

/// Compares a lowercase table name with a probe of any case, without allocating.
fn compare_name(name: &str, probe: &[u8]) -> Ordering {
    name.bytes().cmp(probe.iter().map(u8::to_ascii_lowercase))
}

/// Every command of the table (top level, sorted by name).
pub fn all_commands() -> &'static [CommandSpec] {
    table::COMMANDS
}

/// The command called `name`, any case (`GET`, `get`, `Get`).
pub fn lookup(name: &[u8]) -> Option<&'static CommandSpec> {
    // This runs for every command and every `redis.call` (a binary search cost about four
    // times as much as the index).
    static INDEX: LazyLock<NameIndex> =
        LazyLock::new(|| NameIndex::new(table::COMMANDS.iter().map(|spec| spec.name)));
    table::COMMANDS.get(INDEX.get(name)?)
}

/// The subcommand `sub` of the container command `container`, any case (`CONFIG`, `get`).
pub fn lookup_sub(container: &[u8], sub: &[u8]) -> Option<&'static CommandSpec> {
    lookup(container)?.subcommand(sub)
}

/// Why [`resolve`] refused an argv. `Display` is the exact text of Redis's error reply (without
/// the leading `-`); [`CommandError::to_reply`] gives the reply itself.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    /// `ERR unknown command 'foo', with args beginning with: 'a' 'b' ` (the whole text, which
    /// quotes user bytes and so may not be UTF-8).
    #[error("{}", String::from_utf8_lossy(.0))]
    UnknownCommand(Vec<u8>),
    /// `ERR unknown subcommand 'x'. Try CONFIG HELP.` (the whole text).
    #[error("{}", String::from_utf8_lossy(.0))]
    UnknownSubcommand(Vec<u8>),
    /// The argument count does not match the arity; holds the (full) command name.
    #[error("ERR wrong number of arguments for '{0}' command")]
    WrongArity(&'static str),
}

impl CommandError {
    /// The error text, bytes as Redis sends them after `-`.
    pub fn message(&self) -> Vec<u8> {
        match self {
            CommandError::UnknownCommand(text) | CommandError::UnknownSubcommand(text) => {
                text.clone()
            }
            CommandError::WrongArity(_) => self.to_string().into_bytes(),
        }
    }

    /// The error reply Redis sends.
    pub fn to_reply(&self) -> Reply {
        Reply::Error(self.message())
    }
}

/// C's `%.*s` of a byte string: stops at the first NUL and after `max` bytes.
fn c_str(bytes: &[u8], max: usize) -> &[u8] {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    bytes.get(..end.min(max)).unwrap_or_default()
}

/// `sdsmapchars(s, "\r\n", "  ")`: error replies must stay on one line.
fn one_line(mut text: Vec<u8>) -> Vec<u8> {
    for byte in &mut text {
        if *byte == b'\r' || *byte == b'\n' {
            *byte = b' ';
        }
    }
    text
}

/// Finds the command an argv runs and checks its arity, as `processCommand` does before running
/// it: the subcommand when the command is a container and an argument follows, else the command.
///
/// An empty argv is reported as an unknown command with an empty name (Redis never runs one: its
/// request parser skips empty requests).
pub fn resolve<A: AsRef<[u8]>>(argv: &[A]) -> Result<&'static CommandSpec, CommandError> {
    let name = argv.first().map_or(&[][..], AsRef::as_ref);
    let base = lookup(name);
    let found = match (base, argv.get(1)) {
        (Some(base), Some(sub)) if base.is_container() => base.subcommand(sub.as_ref()),
        (base, _) => base,
    };
    let Some(spec) = found else {
        return Err(unknown(base.is_some(), argv));
    };
    if spec.arity_ok(argv.len()) {
        Ok(spec)
    } else {
        Err(CommandError::WrongArity(spec.name))
    }
}

/// The error of `commandCheckExistence`.
fn unknown<A: AsRef<[u8]>>(is_container: bool, argv: &[A]) -> CommandError {
    let name = argv.first().map_or(&[][..], AsRef::as_ref);
    if is_container {
        let sub = argv.get(1).map_or(&[][..], AsRef::as_ref);
        let mut text = b"ERR unknown subcommand '".to_vec();
        text.extend_from_slice(c_str(sub, 128));
        text.extend_from_slice(b"'. Try ");
        text.extend(c_str(name, usize::MAX).iter().map(u8::to_ascii_uppercase));
        text.extend_from_slice(b" HELP.");
        return CommandError::UnknownSubcommand(one_line(text));
    }
    let mut args = Vec::new();
    for arg in argv.iter().skip(1) {
        if args.len() >= 128 {
            break;
        }
        let precision = 128 - args.len();
        args.push(b'\'');
        args.extend_from_slice(c_str(arg.as_ref(), precision));
        args.extend_from_slice(b"' ");
    }
    let mut text = b"ERR unknown command '".to_vec();
    text.extend_from_slice(c_str(name, 128));
    text.extend_from_slice(b"', with args beginning with: ");
    text.extend_from_slice(&args);
    CommandError::UnknownCommand(one_line(text))
}

#[cfg(test)]
mod tests;
