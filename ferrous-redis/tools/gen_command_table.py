#!/usr/bin/env python3
"""Generates ferrous-redis/src/commands/table.rs: Redis 7.0.15's command table as Rust data.

Inputs:
  * a running redis-server 7.0.15 (Debian's build), asked `COMMAND` through `redis-cli --json`:
    names, arity, the flags COMMAND shows, legacy first/last/step, ACL categories, key
    specifications (their flags and how they find keys, for ACL key permissions), subcommands;
  * upstream `src/commands.c` of tag 7.0.15 (for example `git show 7.0.15:src/commands.c` in a
    clone of github.com/redis/redis): the flags COMMAND hides on purpose (`may_replicate`,
    `sentinel`, `only_sentinel`, `protected`) and the getkeys procedure of each command, which says
    how movable keys are found. Every flag COMMAND does show is cross-checked against it.

Usage:
  redis-server --port 16380 --bind 127.0.0.1 --save '' --appendonly no --daemonize yes
  git -C redis show 7.0.15:src/commands.c > /tmp/commands.c
  python3 ferrous-redis/tools/gen_command_table.py --port 16380 --commands-c /tmp/commands.c \
      > ferrous-redis/src/commands/table.rs
The output is already as rustfmt leaves it (the rows are #[rustfmt::skip]).
"""

import argparse
import json
import re
import subprocess
import sys

# COMMAND's flag names, in the order `addReplyFlagsForCommand` prints them, with the Rust const.
SHOWN_FLAGS = [
    ("write", "WRITE"), ("readonly", "READONLY"), ("denyoom", "DENYOOM"), ("module", "MODULE"),
    ("admin", "ADMIN"), ("pubsub", "PUBSUB"), ("noscript", "NOSCRIPT"), ("blocking", "BLOCKING"),
    ("loading", "LOADING"), ("stale", "STALE"), ("skip_monitor", "SKIP_MONITOR"),
    ("skip_slowlog", "SKIP_SLOWLOG"), ("asking", "ASKING"), ("fast", "FAST"),
    ("no_auth", "NO_AUTH"), ("no_mandatory_keys", "NO_MANDATORY_KEYS"),
    ("no_async_loading", "NO_ASYNC_LOADING"), ("no_multi", "NO_MULTI"),
    ("movablekeys", "MOVABLE_KEYS"), ("allow_busy", "ALLOW_BUSY"),
]
# Flags COMMAND hides; taken from commands.c (`CMD_<NAME>`).
HIDDEN_FLAGS = ["MAY_REPLICATE", "SENTINEL", "ONLY_SENTINEL", "PROTECTED"]

ACL = ["keyspace", "read", "write", "set", "sortedset", "list", "hash", "string", "bitmap",
       "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking",
       "dangerous", "connection", "transaction", "scripting"]

# getkeys procedures of commands.c -> the KeyFinder variant that reproduces them. Procedures whose
# answer always equals the legacy range (set, bitfield, sort_ro: key at argv[1]) map to Range.
GETKEYS = {
    "evalGetKeys": "KeyFinder::NumKeys { store: 0, count: 2, first: 3 }",
    "functionGetKeys": "KeyFinder::NumKeys { store: 0, count: 2, first: 3 }",
    "zunionInterDiffStoreGetKeys": "KeyFinder::NumKeys { store: 1, count: 2, first: 3 }",
    "zunionInterDiffGetKeys": "KeyFinder::NumKeys { store: 0, count: 1, first: 2 }",
    "sintercardGetKeys": "KeyFinder::NumKeys { store: 0, count: 1, first: 2 }",
    "lmpopGetKeys": "KeyFinder::NumKeys { store: 0, count: 1, first: 2 }",
    "zmpopGetKeys": "KeyFinder::NumKeys { store: 0, count: 1, first: 2 }",
    "blmpopGetKeys": "KeyFinder::NumKeys { store: 0, count: 2, first: 3 }",
    "bzmpopGetKeys": "KeyFinder::NumKeys { store: 0, count: 2, first: 3 }",
    "sortGetKeys": "KeyFinder::Sort",
    "migrateGetKeys": "KeyFinder::Migrate",
    "georadiusGetKeys": "KeyFinder::GeoRadius",
    "xreadGetKeys": "KeyFinder::XRead",
    "sortROGetKeys": "KeyFinder::Range",
    "setGetKeys": "KeyFinder::Range",
    "bitfieldGetKeys": "KeyFinder::Range",
}


def parse_commands_c(path):
    """fullname -> (arity, set of CMD_ flag names, getkeys proc or None)."""
    out = {}
    container = None
    # The fields after the command group: history, tips, proc, arity, flags, acl.
    row = re.compile(r'^\{"([^"]+)",.*COMMAND_GROUP_\w+,\w+,\w+,\w+,(-?\d+),([A-Z_|]+|0),([A-Z_|]+|0)[,}]')
    for line in open(path, encoding="utf-8"):
        head = re.match(r"^struct redisCommand (\w+)_Subcommands\[\] = \{", line)
        if head:
            container = head.group(1).lower().replace("_", "-")
            continue
        if line.startswith("struct redisCommand redisCommandTable[]"):
            container = None
            continue
        m = row.match(line)
        if not m:
            continue
        name = m.group(1)
        full = f"{container}|{name}" if container else name
        flags = set() if m.group(3) == "0" else {f[len("CMD_"):] for f in m.group(3).split("|")}
        getkeys = re.search(r"\b(\w+GetKeys)\b", line)
        out[full] = (int(m.group(2)), flags, getkeys.group(1) if getkeys else None)
    return out


# Key specification flags as COMMAND prints them -> the Rust const of `KeyFlags`.
KEY_FLAGS = {
    "RO": "RO", "RW": "RW", "OW": "OW", "RM": "RM", "access": "ACCESS", "update": "UPDATE",
    "insert": "INSERT", "delete": "DELETE", "not_key": "NOT_KEY", "incomplete": "INCOMPLETE",
    "variable_flags": "VARIABLE_FLAGS",
}


def rust_key_spec(name, spec):
    unknown = set(spec) - {"flags", "begin_search", "find_keys", "notes"}
    if unknown:
        sys.exit(f"{name}: unknown key spec fields {unknown}")
    flags = []
    for flag in spec["flags"]:
        if flag not in KEY_FLAGS:
            sys.exit(f"{name}: unknown key spec flag {flag}")
        flags.append(KEY_FLAGS[flag])
    flags_text = "k!(" + " | ".join(flags) + ")" if flags else "K::empty()"
    bs, fk = spec["begin_search"], spec["find_keys"]
    if bs["type"] == "index":
        begin = f"B::Index({bs['spec']['index']})"
    elif bs["type"] == "keyword":
        begin = f"B::Keyword({json.dumps(bs['spec']['keyword'])}, {bs['spec']['startfrom']})"
    elif bs["type"] == "unknown":
        begin = "B::Unknown"
    else:
        sys.exit(f"{name}: unknown begin_search {bs}")
    if fk["type"] == "range":
        r = fk["spec"]
        find = f"FK::Range({r['lastkey']}, {r['keystep']}, {r['limit']})"
    elif fk["type"] == "keynum":
        r = fk["spec"]
        find = f"FK::KeyNum({r['keynumidx']}, {r['firstkey']}, {r['keystep']})"
    elif fk["type"] == "unknown":
        find = "FK::Unknown"
    else:
        sys.exit(f"{name}: unknown find_keys {fk}")
    return f"ks({flags_text}, {begin}, {find})"


def rust_flags(flags):
    return "f!(" + " | ".join(flags) + ")" if flags else "F::empty()"


def rust_acl(cats):
    names = [c.lstrip("@").upper() for c in cats]
    return "a!(" + " | ".join(names) + ")" if names else "A::empty()"


def spec_line(cmd, source, indent):
    name, arity, flags, first, last, step, acl = cmd[:7]
    key_specs = "&[" + ", ".join(rust_key_spec(name, k) for k in cmd[8]) + "]"
    subs = cmd[9]
    if name not in source:
        sys.exit(f"{name}: not in commands.c")
    src_arity, src_flags, getkeys = source[name]
    if src_arity != arity:
        sys.exit(f"{name}: arity {arity} from COMMAND, {src_arity} in commands.c")
    shown = {rust for (text, rust) in SHOWN_FLAGS if text in flags}
    unknown = set(flags) - {text for (text, _) in SHOWN_FLAGS}
    if unknown:
        sys.exit(f"{name}: unknown flags {unknown}")
    # movablekeys is computed by the server, never written in commands.c.
    expected = {f for f in src_flags if f in {r for (_, r) in SHOWN_FLAGS}}
    if expected != shown - {"MOVABLE_KEYS"}:
        sys.exit(f"{name}: COMMAND flags {sorted(shown)} but commands.c says {sorted(src_flags)}")
    all_flags = [rust for (text, rust) in SHOWN_FLAGS if rust in shown]
    all_flags += [f for f in HIDDEN_FLAGS if f in src_flags]
    for cat in acl:
        if cat.lstrip("@") not in ACL:
            sys.exit(f"{name}: unknown ACL category {cat}")
    finder = GETKEYS.get(getkeys, "KeyFinder::Range") if getkeys else "KeyFinder::Range"
    if getkeys and getkeys not in GETKEYS:
        sys.exit(f"{name}: unknown getkeys procedure {getkeys}")
    if "MOVABLE_KEYS" in shown and not getkeys:
        sys.exit(f"{name}: movablekeys without a key finder")
    pad = " " * indent
    if subs:
        sub_lines = [spec_line(s, source, indent + 4) for s in sorted(subs, key=lambda s: s[0])]
        sub_text = "&[\n" + "".join(sub_lines) + pad + "]"
    else:
        sub_text = "&[]"
    return (f'{pad}c("{name}", {arity}, {rust_flags(all_flags)}, {first}, {last}, {step}, '
            f"{rust_acl(acl)}, {finder}, {key_specs}, {sub_text}),\n")


HEADER = """\
//! Redis 7.0.15's command table (GENERATED by `ferrous-redis/tools/gen_command_table.py`; do not
//! edit by hand, regenerate).
//!
//! One row per command, sorted by name, each container command holding its subcommands sorted by
//! their full name (`config|get`). Sources: `COMMAND` of a running redis-server 7.0.15 (Debian
//! 12's build) for names, arities, flags, legacy key ranges and ACL categories; upstream
//! `src/commands.c` (tag 7.0.15) for the flags `COMMAND` hides (`may_replicate`, `sentinel`,
//! `only_sentinel`, `protected`) and for how movable keys are found. Sentinel-only commands are
//! absent, as they are from a non-sentinel server.
//!
//! Row: `c(name, arity, flags, first_key, last_key, key_step, acl_categories, keys, key_specs,
//! subcommands)`; a key spec is `ks(flags, begin_search, find_keys)`.

use super::keyspecs::{BeginSearch as B, FindKeys as FK, KeyFlags as K, KeySpec, ks};
use super::{AclCategories as A, CommandFlags as F, CommandSpec, KeyFinder};

/// `f!(WRITE | DENYOOM)`: a [`CommandFlags`](super::CommandFlags) value.
macro_rules! f {
    ($($flag:ident)|+) => { F::empty()$(.union(F::$flag))+ };
}

/// `a!(READ | STRING)`: an [`AclCategories`](super::AclCategories) value.
macro_rules! a {
    ($($cat:ident)|+) => { A::empty()$(.union(A::$cat))+ };
}

/// `k!(RW | ACCESS)`: a [`KeyFlags`](super::keyspecs::KeyFlags) value.
macro_rules! k {
    ($($flag:ident)|+) => { K::empty()$(.union(K::$flag))+ };
}

/// One row.
#[expect(
    clippy::too_many_arguments,
    reason = "one positional row per command keeps the table dense"
)]
const fn c(
    name: &'static str,
    arity: i32,
    flags: F,
    first_key: i32,
    last_key: i32,
    key_step: i32,
    acl_categories: A,
    keys: KeyFinder,
    key_specs: &'static [KeySpec],
    subcommands: &'static [CommandSpec],
) -> CommandSpec {
    CommandSpec {
        name,
        arity,
        flags,
        first_key,
        last_key,
        key_step,
        acl_categories,
        keys,
        key_specs,
        subcommands,
    }
}

/// Every command of a (non-sentinel) Redis 7.0.15 server, sorted by name.
#[rustfmt::skip]
pub(super) static COMMANDS: &[CommandSpec] = &[
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=16380)
    ap.add_argument("--commands-c", required=True, help="upstream src/commands.c of tag 7.0.15")
    args = ap.parse_args()
    text = subprocess.run(["redis-cli", "-p", str(args.port), "--json", "COMMAND"],
                          check=True, capture_output=True, text=True).stdout
    commands = sorted(json.loads(text), key=lambda c: c[0])
    source = parse_commands_c(args.commands_c)
    version = subprocess.run(["redis-cli", "-p", str(args.port), "INFO", "server"],
                             check=True, capture_output=True, text=True).stdout
    if "redis_version:7.0.15" not in version:
        sys.exit("the server is not redis 7.0.15")
    out = [HEADER]
    for cmd in commands:
        out.append(spec_line(cmd, source, 4))
    out.append("];\n")
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
