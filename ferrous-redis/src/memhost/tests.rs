//! Unit tests of [`MemoryHost`] through one helper, [`check`]: run a command, get its reply.

use super::{ManualClock, MemoryHost};
use crate::host::{CallContext, CommandHost};
use crate::reply::Reply;

/// Runs `cmd` on `host` (database 0, RESP2) and returns the reply.
fn check(host: &mut MemoryHost, cmd: &[&str]) -> Reply {
    check_resp(host, 2, cmd)
}

fn check_resp(host: &mut MemoryHost, resp: u8, cmd: &[&str]) -> Reply {
    let args: Vec<Vec<u8>> = cmd.iter().map(|a| a.as_bytes().to_vec()).collect();
    let ctx = CallContext {
        resp,
        ..CallContext::default()
    };
    host.call(&ctx, &args)
}

fn bulk(text: &str) -> Reply {
    Reply::Bulk(text.as_bytes().to_vec())
}

fn error(text: &str) -> Reply {
    Reply::Error(text.as_bytes().to_vec())
}

fn array(items: &[&str]) -> Reply {
    Reply::Array(items.iter().map(|s| bulk(s)).collect())
}

#[test]
fn strings_set_get_and_options() {
    let mut host = MemoryHost::new();
    assert_eq!(check(&mut host, &["SET", "k", "v"]), Reply::ok());
    assert_eq!(check(&mut host, &["get", "k"]), bulk("v"));
    assert_eq!(check(&mut host, &["SET", "k", "w", "NX"]), Reply::Nil);
    assert_eq!(check(&mut host, &["SET", "k", "w", "XX", "GET"]), bulk("v"));
    assert_eq!(
        check(&mut host, &["SET", "k", "w", "NX", "XX"]),
        error("ERR syntax error")
    );
    assert_eq!(
        check(&mut host, &["SET", "k", "w", "EX", "0"]),
        error("ERR invalid expire time in 'set' command")
    );
    assert_eq!(
        check(&mut host, &["INCR", "k"]),
        error("ERR value is not an integer or out of range")
    );
    assert_eq!(
        check(&mut host, &["SET", "n", "9223372036854775807"]),
        Reply::ok()
    );
    assert_eq!(
        check(&mut host, &["INCR", "n"]),
        error("ERR increment or decrement would overflow")
    );
    assert_eq!(check(&mut host, &["INCRBYFLOAT", "f", "0.1"]), bulk("0.1"));
    assert_eq!(check(&mut host, &["INCRBYFLOAT", "f", "0.2"]), bulk("0.3"));
    assert_eq!(
        check(
            &mut host,
            &[
                "GETRANGE",
                "k",
                "-9223372036854775808",
                "9223372036854775807"
            ]
        ),
        bulk("w")
    );
    assert_eq!(
        check(&mut host, &["SETRANGE", "k", "9223372036854775807", "x"]),
        error("ERR string exceeds maximum allowed size (proto-max-bulk-len)")
    );
    assert_eq!(
        check(&mut host, &["LPUSH", "k", "x"]),
        error(super::args::WRONGTYPE)
    );
}

#[test]
fn expiry_follows_the_manual_clock() {
    let clock = ManualClock::new(1_000_000);
    let mut host = MemoryHost::with_clock(clock.clone());
    assert_eq!(
        check(&mut host, &["SET", "k", "v", "PX", "100"]),
        Reply::ok()
    );
    assert_eq!(check(&mut host, &["PTTL", "k"]), Reply::Integer(100));
    assert_eq!(check(&mut host, &["SET", "j", "v", "EX", "1"]), Reply::ok());
    clock.advance(100);
    assert_eq!(check(&mut host, &["PTTL", "k"]), Reply::Integer(0));
    assert_eq!(check(&mut host, &["GET", "k"]), bulk("v"));
    clock.advance(1);
    assert_eq!(check(&mut host, &["GET", "k"]), Reply::Nil);
    assert_eq!(host.dbsize(0), 1);
    clock.advance(999);
    assert_eq!(host.active_expire(10), 1);
    assert_eq!(host.dbsize(0), 0);
    assert_eq!(check(&mut host, &["SET", "k", "v"]), Reply::ok());
    assert_eq!(
        check(&mut host, &["EXPIRE", "k", "10", "GT"]),
        Reply::Integer(0)
    );
    assert_eq!(
        check(&mut host, &["EXPIRE", "k", "10", "NX"]),
        Reply::Integer(1)
    );
    assert_eq!(check(&mut host, &["TTL", "k"]), Reply::Integer(10));
    assert_eq!(
        check(&mut host, &["EXPIRETIME", "k"]),
        Reply::Integer(1_011)
    );
    assert_eq!(check(&mut host, &["EXPIRE", "k", "-1"]), Reply::Integer(1));
    assert_eq!(check(&mut host, &["EXISTS", "k"]), Reply::Integer(0));
    assert_eq!(check(&mut host, &["TIME"]), array(&["1001", "100000"]));
    let db1 = CallContext {
        db: 1,
        ..CallContext::default()
    };
    let argv = |args: &[&str]| {
        args.iter()
            .map(|a| a.as_bytes().to_vec())
            .collect::<Vec<_>>()
    };
    assert_eq!(host.call(&db1, &argv(&["SET", "other", "v"])), Reply::ok());
    assert_eq!(host.dbsize(1), 1);
    host.flushdb(0);
    assert_eq!(host.dbsize(1), 1);
    host.flushall();
    assert_eq!(host.dbsize(1), 0);
    let db16 = CallContext {
        db: 16,
        ..CallContext::default()
    };
    assert_eq!(
        host.call(&db16, &argv(&["GET", "k"])),
        error("ERR DB index is out of range")
    );
}

#[test]
fn hashes_reply_by_protocol() {
    let mut host = MemoryHost::new();
    assert_eq!(
        check(&mut host, &["HSET", "h", "a", "1", "b", "2"]),
        Reply::Integer(2)
    );
    assert_eq!(
        check(&mut host, &["HGETALL", "h"]),
        array(&["a", "1", "b", "2"])
    );
    assert_eq!(
        check_resp(&mut host, 3, &["HGETALL", "h"]),
        Reply::Map(vec![(bulk("a"), bulk("1")), (bulk("b"), bulk("2"))])
    );
    assert_eq!(
        check(&mut host, &["HINCRBYFLOAT", "h", "a", "10.5"]),
        bulk("11.5")
    );
    assert_eq!(
        check(&mut host, &["HSET", "h", "a"]),
        error("ERR wrong number of arguments for 'hset' command")
    );
    assert_eq!(
        check(&mut host, &["HDEL", "h", "a", "b"]),
        Reply::Integer(2)
    );
    assert_eq!(check(&mut host, &["EXISTS", "h"]), Reply::Integer(0));
}

#[test]
fn lists_handle_extreme_indexes() {
    let mut host = MemoryHost::new();
    assert_eq!(
        check(&mut host, &["RPUSH", "l", "a", "b", "c"]),
        Reply::Integer(3)
    );
    assert_eq!(
        check(
            &mut host,
            &["LRANGE", "l", "-9223372036854775808", "9223372036854775807"]
        ),
        array(&["a", "b", "c"])
    );
    assert_eq!(
        check(&mut host, &["LINDEX", "l", "-9223372036854775808"]),
        Reply::Nil
    );
    assert_eq!(check(&mut host, &["LPOP", "l", "2"]), array(&["a", "b"]));
    assert_eq!(check(&mut host, &["LPOP", "missing", "2"]), Reply::NilArray);
    assert_eq!(
        check(&mut host, &["LMOVE", "l", "l", "LEFT", "RIGHT"]),
        bulk("c")
    );
    assert_eq!(check(&mut host, &["LTRIM", "l", "1", "0"]), Reply::ok());
    assert_eq!(check(&mut host, &["EXISTS", "l"]), Reply::Integer(0));
}

#[test]
fn zsets_format_scores_like_redis() {
    let mut host = MemoryHost::new();
    assert_eq!(
        check(
            &mut host,
            &["ZADD", "z", "0.1", "a", "1.5", "b", "inf", "c"]
        ),
        Reply::Integer(3)
    );
    assert_eq!(
        check(&mut host, &["ZSCORE", "z", "a"]),
        bulk("0.10000000000000001")
    );
    assert_eq!(check(&mut host, &["ZSCORE", "z", "b"]), bulk("1.5"));
    assert_eq!(check(&mut host, &["ZSCORE", "z", "c"]), bulk("inf"));
    assert_eq!(
        check_resp(&mut host, 3, &["ZSCORE", "z", "b"]),
        Reply::Double(1.5)
    );
    assert_eq!(
        check(
            &mut host,
            &["ZRANGE", "z", "(0.1", "+inf", "BYSCORE", "WITHSCORES"]
        ),
        array(&["b", "1.5", "c", "inf"])
    );
    assert_eq!(
        check_resp(&mut host, 3, &["ZRANGE", "z", "0", "0", "WITHSCORES"]),
        Reply::Array(vec![Reply::Array(vec![bulk("a"), Reply::Double(0.1)])])
    );
    assert_eq!(
        check(&mut host, &["ZRANGEBYSCORE", "z", "x", "1"]),
        error("ERR min or max is not a float")
    );
    assert_eq!(
        check(&mut host, &["ZADD", "z", "INCR", "-inf", "c"]),
        error("ERR resulting score is not a number (NaN)")
    );
}

#[test]
fn unknown_commands_and_bad_argv_do_not_panic() {
    let mut host = MemoryHost::new();
    assert_eq!(
        check(&mut host, &["foo", "a"]),
        error("ERR unknown command 'foo', with args beginning with: 'a' ")
    );
    let long_a = "a".repeat(100);
    let long_b = "b".repeat(50);
    assert_eq!(
        check(&mut host, &["foo", &long_a, &long_b, "c"]),
        error(&format!(
            "ERR unknown command 'foo', with args beginning with: '{long_a}' '{}' ",
            &long_b[..25]
        ))
    );
    assert!(host.call(&CallContext::default(), &[]).is_error());
    for name in [
        "get",
        "set",
        "lrange",
        "zadd",
        "hset",
        "sinter",
        "zunionstore",
        "lpos",
        "scan",
        "copy",
    ] {
        for n_args in 0..6 {
            let mut cmd = vec![name];
            cmd.extend(std::iter::repeat_n("-1", n_args));
            let _ = check(&mut host, &cmd);
        }
    }
}

#[test]
fn random_argv_never_panics() {
    let pool: &[&[u8]] = &[
        b"k",
        b"l",
        b"h",
        b"s",
        b"z",
        b"0",
        b"1",
        b"-1",
        b"2",
        b"-2",
        b"3",
        b"100",
        b"9223372036854775807",
        b"-9223372036854775808",
        b"4611686018427387904",
        b"",
        b"(",
        b"(1",
        b"[",
        b"[a",
        b"-",
        b"+",
        b"nan",
        b"inf",
        b"-inf",
        b"1.5",
        b"1e400",
        b"withscores",
        b"limit",
        b"rev",
        b"byscore",
        b"bylex",
        b"count",
        b"match",
        b"type",
        b"ex",
        b"px",
        b"exat",
        b"pxat",
        b"keepttl",
        b"get",
        b"nx",
        b"xx",
        b"gt",
        b"lt",
        b"ch",
        b"incr",
        b"weights",
        b"aggregate",
        b"rank",
        b"maxlen",
        b"before",
        b"after",
        b"left",
        b"right",
        b"db",
        b"replace",
        b"withvalues",
        b"persist",
        b"\xff\x00",
        b"*",
        b"536870911",
        b"x",
        b"g",
        b"c",
        b"1-1",
        b"1-*",
        b"(1-1",
        b"18446744073709551615-18446744073709551615",
        b"(18446744073709551615-18446744073709551615",
        b"18446744073709551615-*",
        b"~",
        b"=",
        b"minid",
        b"streams",
        b"group",
        b"block",
        b"noack",
        b">",
        b"$",
        b"mkstream",
        b"create",
        b"setid",
        b"destroy",
        b"createconsumer",
        b"delconsumer",
        b"entriesread",
        b"force",
        b"justid",
        b"idle",
        b"retrycount",
        b"lastid",
        b"stream",
        b"full",
        b"groups",
        b"consumers",
        b"entriesadded",
        b"maxdeletedid",
    ];
    let mut host = MemoryHost::new();
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let ctx = CallContext::default();
    for round in 0..60_000usize {
        if round % 500 == 0 {
            host.flushall();
            for cmd in [
                &["RPUSH", "l", "a", "b", "c"][..],
                &["HSET", "h", "a", "1", "b", "x"],
                &["SADD", "s", "1", "a"],
                &["ZADD", "z", "1", "a", "2", "b", "inf", "c"],
                &["SET", "k", "10"],
                &["XADD", "x", "1-1", "a", "1"],
                &["XADD", "x", "2-1", "b", "2"],
                &["XGROUP", "CREATE", "x", "g", "0"],
                &[
                    "XREADGROUP",
                    "GROUP",
                    "g",
                    "c",
                    "COUNT",
                    "1",
                    "STREAMS",
                    "x",
                    ">",
                ],
            ] {
                let _ = check(&mut host, cmd);
            }
        }
        // Every other command is a stream command: their grammars are long.
        let name = if round % 2 == 0 {
            let streams: Vec<&str> = super::COMMANDS
                .iter()
                .map(|(name, _, _)| *name)
                .filter(|name| name.starts_with('x'))
                .collect();
            streams[(next() % streams.len() as u64) as usize]
        } else {
            super::COMMANDS[(next() % super::COMMANDS.len() as u64) as usize].0
        };
        let mut args = vec![name.as_bytes().to_vec()];
        for _ in 0..next() % 12 {
            args.push(pool[(next() % pool.len() as u64) as usize].to_vec());
        }
        let ctx = CallContext {
            resp: if round % 2 == 0 { 2 } else { 3 },
            ..ctx
        };
        let _ = host.call(&ctx, &args);
    }
}

/// Follows `cmd`'s cursor (at argument `cursor_at`) to the end; returns every element seen.
fn scan_all(
    host: &mut MemoryHost,
    cmd: &[&str],
    cursor_at: usize,
    every_call: &mut dyn FnMut(&mut MemoryHost),
) -> Vec<Vec<u8>> {
    let mut seen = Vec::new();
    let mut cursor = "0".to_owned();
    for _ in 0..10_000 {
        let mut args: Vec<&str> = cmd.to_vec();
        args[cursor_at] = &cursor;
        let Reply::Array(parts) = check(host, &args) else {
            panic!("scan reply is an array");
        };
        let [Reply::Bulk(next), Reply::Array(items)] = parts.as_slice() else {
            panic!("scan reply is [cursor, items]");
        };
        seen.extend(items.iter().filter_map(|item| match item {
            Reply::Bulk(bytes) => Some(bytes.clone()),
            _ => None,
        }));
        cursor = String::from_utf8_lossy(next).into_owned();
        every_call(host);
        if cursor == "0" {
            return seen;
        }
    }
    panic!("scan did not end");
}

#[test]
fn scans_return_every_element_present_throughout() {
    let mut host = MemoryHost::new();
    for i in 0..500 {
        let key = format!("key:{i}");
        check(&mut host, &["SET", &key, "v"]);
        check(&mut host, &["HSET", "h", &key, "v"]);
        check(&mut host, &["SADD", "s", &key]);
        check(&mut host, &["ZADD", "z", &i.to_string(), &key]);
    }
    // Keys come and go during the scan; the 500 that stay must all be seen.
    let mut churn = 0;
    let mut change = |host: &mut MemoryHost| {
        churn += 1;
        let extra = format!("extra:{churn}");
        check(host, &["SET", &extra, "v"]);
        check(host, &["DEL", &format!("extra:{}", churn - 1)]);
    };
    let seen = scan_all(&mut host, &["SCAN", "0", "COUNT", "7"], 1, &mut change);
    for i in 0..500 {
        let key = format!("key:{i}").into_bytes();
        assert!(seen.contains(&key), "SCAN missed {i}");
    }
    let mut nothing = |_: &mut MemoryHost| {};
    for (cmd, stride) in [
        (&["HSCAN", "h", "0", "COUNT", "5"][..], 2),
        (&["SSCAN", "s", "0", "COUNT", "5"][..], 1),
        (&["ZSCAN", "z", "0", "COUNT", "5"][..], 2),
    ] {
        let seen = scan_all(&mut host, cmd, 2, &mut nothing);
        let keys: Vec<&Vec<u8>> = seen.iter().step_by(stride).collect();
        assert_eq!(keys.len(), 500, "{}", cmd[0]);
        for i in 0..500 {
            assert!(
                keys.contains(&&format!("key:{i}").into_bytes()),
                "{} missed {i}",
                cmd[0]
            );
        }
    }
}

#[test]
fn active_expiry_respects_its_budget() {
    let clock = ManualClock::new(0);
    let mut host = MemoryHost::with_clock(clock.clone());
    for i in 0..100 {
        check(&mut host, &["SET", &format!("k{i}"), "v", "PX", "10"]);
    }
    check(&mut host, &["SET", "stays", "v"]);
    clock.set(11);
    assert_eq!(host.active_expire(30), 30);
    assert_eq!(host.dbsize(0), 71);
    let mut removed = 30;
    while removed < 100 {
        removed += host.active_expire(30);
    }
    assert_eq!(host.dbsize(0), 1);
    assert_eq!(host.active_expire(30), 0);
}

#[test]
fn memory_host_is_send() {
    fn assert_send<T: Send>() {}
    assert_send::<MemoryHost>();
}

/// Redis freezes the time keys expire by while a script runs (`scriptTimeSnapshot()`): a key
/// cannot expire between two commands of one script. TTL arithmetic keeps the real clock.
#[test]
fn keys_do_not_expire_during_a_script() {
    let clock = ManualClock::new(1_000_000);
    let mut host = MemoryHost::with_clock(clock.clone());
    assert_eq!(
        check(&mut host, &["SET", "k", "v", "PX", "100"]),
        Reply::ok()
    );
    let in_script = CallContext {
        from_script: true,
        ..CallContext::default()
    };
    let run = |host: &mut MemoryHost, cmd: &[&str]| {
        let args: Vec<Vec<u8>> = cmd.iter().map(|a| a.as_bytes().to_vec()).collect();
        host.call(&in_script, &args)
    };
    host.script_started();
    clock.advance(500);
    assert_eq!(run(&mut host, &["GET", "k"]), bulk("v"));
    assert_eq!(run(&mut host, &["PTTL", "k"]), Reply::Integer(0));
    // A client outside the script (what a server answers while it is busy) sees real time.
    assert_eq!(check(&mut host, &["EXISTS", "k"]), Reply::Integer(0));
    host.script_ended();
    assert_eq!(run(&mut host, &["GET", "k"]), Reply::Nil);
}
