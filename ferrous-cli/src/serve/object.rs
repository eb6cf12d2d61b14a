//! `OBJECT ENCODING|REFCOUNT|IDLETIME|FREQ` and `MEMORY USAGE` over the in-memory keyspace. `MemoryHost` keeps no
//! C Redis encodings, so `ENCODING` reports the one Redis 7.0 would pick for a value of that
//! type and size under the default thresholds (`listpack` up to 128 entries of up to 64 bytes,
//! `intset` up to 512 integers, `embstr` up to 44 bytes), which is what clients and the test
//! suites look at.

use ferrous_redis::{CallContext, CommandHost, MemoryHost, Reply};

/// Whether `bytes` is a canonical 64-bit integer (`string2ll`).
fn is_int(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes)
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .is_some_and(|n| n.to_string().as_bytes() == bytes)
}

/// The elements (and, for hashes and sorted sets, the values) of a container, as bulks.
fn items(reply: Reply) -> Vec<Vec<u8>> {
    match reply {
        Reply::Array(items) | Reply::Set(items) => items
            .into_iter()
            .filter_map(|r| match r {
                Reply::Bulk(b) => Some(b),
                _ => None,
            })
            .collect(),
        Reply::Map(pairs) => pairs
            .into_iter()
            .flat_map(|(k, v)| [k, v])
            .filter_map(|r| match r {
                Reply::Bulk(b) => Some(b),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The encoding Redis 7.0 would report for `key`.
fn encoding(host: &mut MemoryHost, ctx: &CallContext, key: &[u8]) -> Option<&'static str> {
    let call = |host: &mut MemoryHost, args: &[&[u8]]| {
        let argv: Vec<Vec<u8>> = args.iter().map(|a| a.to_vec()).collect();
        host.call(ctx, &argv)
    };
    let kind = match call(host, &[b"type", key]) {
        Reply::Status(kind) => kind,
        _ => return None,
    };
    let small = |items: &[Vec<u8>], entries: usize| {
        items.len() <= entries && items.iter().all(|i| i.len() <= 64)
    };
    Some(match kind.as_slice() {
        b"string" => match call(host, &[b"get", key]) {
            Reply::Bulk(value) if is_int(&value) && value.len() <= 20 => "int",
            Reply::Bulk(value) if value.len() <= 44 => "embstr",
            _ => "raw",
        },
        b"list" => {
            let all = items(call(host, &[b"lrange", key, b"0", b"-1"]));
            if small(&all, 128) && all.iter().map(Vec::len).sum::<usize>() <= 8192 {
                "listpack"
            } else {
                "quicklist"
            }
        }
        b"set" => {
            let all = items(call(host, &[b"smembers", key]));
            if all.len() <= 512 && all.iter().all(|m| is_int(m)) {
                "intset"
            } else {
                "hashtable"
            }
        }
        b"hash" => {
            let all = items(call(host, &[b"hgetall", key]));
            if small(&all, 256) {
                "listpack"
            } else {
                "hashtable"
            }
        }
        b"zset" => {
            let members = items(call(host, &[b"zrange", key, b"0", b"-1"]));
            if small(&members, 128) {
                "listpack"
            } else {
                "skiplist"
            }
        }
        b"stream" => "stream",
        _ => return None,
    })
}

/// `MEMORY USAGE key [SAMPLES n]`: an estimate (the bytes of the key and its elements plus a
/// per-element overhead), nil for a missing key; `MEMORY DOCTOR|STATS|PURGE` minimal answers.
pub(crate) fn memory(host: &mut MemoryHost, ctx: &CallContext, argv: &[Vec<u8>]) -> Reply {
    let sub = argv
        .get(1)
        .map(|s| s.to_ascii_lowercase())
        .unwrap_or_default();
    match sub.as_slice() {
        b"usage" => {
            let Some(key) = argv.get(2) else {
                return Reply::error("ERR wrong number of arguments for 'memory|usage' command");
            };
            let dump: &[&[u8]] = match host.call(ctx, &[b"type".to_vec(), key.clone()]) {
                Reply::Status(kind) if kind == b"string" => &[b"get"],
                Reply::Status(kind) if kind == b"list" => &[b"lrange", b"0", b"-1"],
                Reply::Status(kind) if kind == b"set" => &[b"smembers"],
                Reply::Status(kind) if kind == b"hash" => &[b"hgetall"],
                Reply::Status(kind) if kind == b"zset" => &[b"zrange", b"0", b"-1"],
                Reply::Status(kind) if kind == b"stream" => &[b"xrange", b"-", b"+"],
                _ => return Reply::Nil,
            };
            let mut args = vec![dump[0].to_vec(), key.clone()];
            args.extend(dump[1..].iter().map(|a| a.to_vec()));
            let reply = host.call(ctx, &args);
            let elements = match reply {
                Reply::Bulk(bytes) => vec![bytes],
                other => items(other),
            };
            let bytes: usize = elements.iter().map(|e| e.len() + 16).sum();
            Reply::Integer(i64::try_from(bytes + key.len() + 56).unwrap_or(i64::MAX))
        }
        b"doctor" => Reply::Bulk(b"Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.".to_vec()),
        b"purge" => Reply::ok(),
        b"stats" => Reply::Map(Vec::new()),
        _ => Reply::error(format!(
            "ERR unknown subcommand '{}'. Try MEMORY HELP.",
            String::from_utf8_lossy(argv.get(1).map_or(&[][..], Vec::as_slice))
        )),
    }
}

/// `OBJECT subcommand key`.
pub(crate) fn object(host: &mut MemoryHost, ctx: &CallContext, argv: &[Vec<u8>]) -> Reply {
    let sub = argv
        .get(1)
        .map(|s| s.to_ascii_lowercase())
        .unwrap_or_default();
    let Some(key) = argv.get(2) else {
        return Reply::error(format!(
            "ERR unknown subcommand or wrong number of arguments for '{}'. Try OBJECT HELP.",
            String::from_utf8_lossy(argv.get(1).map_or(&[][..], Vec::as_slice))
        ));
    };
    let Some(found) = encoding(host, ctx, key) else {
        return Reply::Nil;
    };
    match sub.as_slice() {
        b"encoding" => Reply::Bulk(found.as_bytes().to_vec()),
        b"refcount" => Reply::Integer(if found == "int" { 2_147_483_647 } else { 1 }),
        b"idletime" => Reply::Integer(0),
        b"freq" => Reply::error(
            "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
        ),
        _ => Reply::error(format!(
            "ERR unknown subcommand '{}'. Try OBJECT HELP.",
            String::from_utf8_lossy(&argv[1])
        )),
    }
}
