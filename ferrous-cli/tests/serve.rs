//! `ferrous serve` end to end: the built binary on a free loopback port, driven over raw TCP
//! with replies decoded by `ferrous_redis::parse_reply` (a RESP client in a few lines).
//!
//! Every test starts its own server through `support::Server`, whose `Drop` kills the child.

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use ferrous_redis::Reply;

#[path = "support/resp.rs"]
mod resp;
mod support;
use resp::{Client, bulk, error_text};
use support::Server;

#[test]
fn pipeline_and_scripts() {
    let server = Server::start(&[]);
    let mut c = server.client();
    let mut pipeline = Vec::new();
    for i in 0..100 {
        pipeline.extend_from_slice(
            format!(
                "*3\r\n$3\r\nSET\r\n$2\r\nk{}\r\n$1\r\n{}\r\n",
                i % 10,
                i % 10
            )
            .as_bytes(),
        );
    }
    pipeline.extend_from_slice(b"PING\r\n");
    c.send_raw(&pipeline);
    for _ in 0..100 {
        assert_eq!(c.read(), Some(Reply::ok()));
    }
    assert_eq!(c.read(), Some(Reply::Status(b"PONG".to_vec())));
    let sha = match c.call(&["SCRIPT", "LOAD", "return redis.call('incr', KEYS[1])"]) {
        Reply::Bulk(sha) => String::from_utf8(sha).expect("hex"),
        other => panic!("{other:?}"),
    };
    assert_eq!(c.call(&["EVALSHA", &sha, "1", "n"]), Reply::Integer(1));
    assert_eq!(
        c.call(&["EVAL", "return redis.call('get', KEYS[1])", "1", "n"]),
        bulk("1")
    );
    assert_eq!(
        error_text(&c.call(&["EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0"])),
        "NOSCRIPT No matching script. Please use EVAL."
    );
    assert_eq!(
        error_text(&c.call(&["NOSUCH", "a"])),
        "ERR unknown command 'NOSUCH', with args beginning with: 'a' "
    );
    assert_eq!(
        error_text(&c.call(&["GET"])),
        "ERR wrong number of arguments for 'get' command"
    );
    assert_eq!(
        error_text(&c.call(&["SELECT", "16"])),
        "ERR DB index is out of range"
    );
    assert_eq!(c.call(&["MULTI"]), Reply::ok());
    assert_eq!(c.call(&["INCR", "n"]), Reply::Status(b"QUEUED".to_vec()));
    assert_eq!(
        c.call(&["EVAL", "return 7", "0"]),
        Reply::Status(b"QUEUED".to_vec())
    );
    assert_eq!(
        c.call(&["EXEC"]),
        Reply::Array(vec![Reply::Integer(2), Reply::Integer(7)])
    );
    let hello = c.call(&["HELLO", "3"]);
    let Reply::Map(pairs) = hello else {
        panic!("HELLO 3 answers a map");
    };
    assert!(pairs.contains(&(bulk("version"), bulk("7.0.15"))));
    assert!(pairs.contains(&(bulk("proto"), Reply::Integer(3))));
}

#[test]
fn watch_sees_script_writes() {
    let server = Server::start(&[]);
    let mut a = server.client();
    let mut b = server.client();
    assert_eq!(a.call(&["WATCH", "w"]), Reply::ok());
    assert_eq!(
        b.call(&["EVAL", "return redis.call('set', KEYS[1], 1)", "1", "w"]),
        Reply::ok()
    );
    assert_eq!(a.call(&["MULTI"]), Reply::ok());
    assert_eq!(a.call(&["GET", "w"]), Reply::Status(b"QUEUED".to_vec()));
    assert_eq!(a.call(&["EXEC"]), Reply::NilArray);
}

#[test]
fn smove_touches_the_destination_only_when_it_adds() {
    // As Redis's `smoveCommand`: a member the destination already holds leaves it unchanged
    // (and its `WATCH` intact); moving within one key changes nothing.
    let server = Server::start(&[]);
    let mut a = server.client();
    let mut b = server.client();
    let exec_after = |a: &mut Client, b: &mut Client, watched: &str, smove: [&str; 3]| {
        assert_eq!(a.call(&["WATCH", watched]), Reply::ok());
        let mut args = vec!["SMOVE"];
        args.extend(smove);
        assert_eq!(b.call(&args), Reply::Integer(1));
        assert_eq!(a.call(&["MULTI"]), Reply::ok());
        assert_eq!(a.call(&["PING"]), Reply::Status(b"QUEUED".to_vec()));
        a.call(&["EXEC"])
    };
    let pong = Reply::Array(vec![Reply::Status(b"PONG".to_vec())]);
    b.call(&["SADD", "src", "a", "b", "c"]);
    b.call(&["SADD", "dst", "a"]);
    assert_eq!(exec_after(&mut a, &mut b, "dst", ["src", "dst", "a"]), pong);
    assert_eq!(
        exec_after(&mut a, &mut b, "src", ["src", "dst", "b"]),
        Reply::NilArray
    );
    assert_eq!(
        exec_after(&mut a, &mut b, "dst", ["src", "dst", "c"]),
        Reply::NilArray
    );
    assert_eq!(exec_after(&mut a, &mut b, "dst", ["dst", "dst", "c"]), pong);
}

/// Waits until the server counts `n` blocked clients (`INFO clients`), asking through `client`.
fn wait_blocked(client: &mut Client, n: usize) {
    let line = format!("blocked_clients:{n}\r\n");
    poll(|| match client.call(&["INFO", "clients"]) {
        Reply::Bulk(info) if String::from_utf8_lossy(&info).contains(&line) => Some(Reply::ok()),
        _ => None,
    });
}

/// Calls `probe` until it gives an answer (at most 10 s, for loaded machines).
fn poll(mut probe: impl FnMut() -> Option<Reply>) -> Reply {
    let start = Instant::now();
    loop {
        if let Some(reply) = probe() {
            return reply;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no answer in 10 s"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn busy_script_kill_and_disconnect_mid_script() {
    let server = Server::start(&[]);
    let mut admin = server.client();
    assert_eq!(
        admin.call(&["CONFIG", "SET", "busy-reply-threshold", "50"]),
        Reply::ok()
    );
    assert_eq!(
        error_text(&admin.call(&["SCRIPT", "KILL"])),
        "NOTBUSY No scripts in execution right now."
    );
    let mut runner = server.client();
    runner.send(&["EVAL", "while true do end", "0"]);
    // PONG until the core has taken the script (however loaded the machine), then BUSY.
    let busy = poll(|| match admin.call(&["PING"]) {
        Reply::Status(pong) if pong == b"PONG" => None,
        other => Some(other),
    });
    assert!(error_text(&busy).starts_with("BUSY Redis is busy running a script."));
    assert_eq!(admin.call(&["SCRIPT", "KILL"]), Reply::ok());
    assert!(
        error_text(&runner.read().expect("reply"))
            .starts_with("ERR Script killed by user with SCRIPT KILL...")
    );
    assert_eq!(admin.call(&["PING"]), Reply::Status(b"PONG".to_vec()));

    // A client that vanishes while its script runs: the script ends, the server goes on
    // (others wait for it: the script is below the busy threshold). The script marks its end:
    // the server may read the leaver's connection after the admin's next commands, and the
    // script must not still be running (killable) when the threshold drops again below.
    assert_eq!(
        admin.call(&["CONFIG", "SET", "lua-time-limit", "5000"]),
        Reply::ok()
    );
    let mut leaver = server.client();
    leaver.send(&[
        "EVAL",
        "local i = 0 while i < 3000000 do i = i + 1 end redis.call('set', 'left', i) return i",
        "0",
    ]);
    drop(leaver);
    assert_eq!(admin.call(&["SET", "after", "1"]), Reply::ok());
    assert_eq!(admin.call(&["GET", "after"]), bulk("1"));
    let left = poll(|| match admin.call(&["GET", "left"]) {
        Reply::Nil => None,
        other => Some(other),
    });
    assert_eq!(left, bulk("3000000"));

    // A script that wrote cannot be killed, only waited for or shut down with.
    assert_eq!(
        admin.call(&["CONFIG", "SET", "busy-reply-threshold", "50"]),
        Reply::ok()
    );
    let mut writer = server.client();
    writer.send(&["EVAL", "redis.call('set','x','y') while true do end", "0"]);
    // NOTBUSY until the core has taken the script; once it is busy it has written.
    let refused = poll(|| {
        let reply = admin.call(&["SCRIPT", "KILL"]);
        (!error_text(&reply).starts_with("NOTBUSY")).then_some(reply)
    });
    assert!(error_text(&refused).starts_with("UNKILLABLE"));
    admin.send(&["SHUTDOWN", "NOSAVE"]);
    assert_eq!(admin.read(), None);
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", server.port)).is_ok() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "server still listening"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn malformed_input_closes_only_that_connection() {
    let server = Server::start(&[]);
    let mut other = server.client();
    let mut bad = server.client();
    bad.send_raw(b"PING\r\n*1\r\n$-5\r\n");
    assert_eq!(bad.read(), Some(Reply::Status(b"PONG".to_vec())));
    assert_eq!(
        bad.read().map(|r| error_text(&r)),
        Some("ERR Protocol error: invalid bulk length".to_owned())
    );
    assert_eq!(bad.read(), None);
    let mut garbage = server.client();
    garbage.send_raw(b"*2\r\n$3\r\nGET\r\n:1\r\n");
    assert_eq!(
        garbage.read().map(|r| error_text(&r)),
        Some("ERR Protocol error: expected '$', got ':'".to_owned())
    );
    assert_eq!(garbage.read(), None);
    let mut huge = server.client();
    huge.send_raw(b"*1\r\n$999999999999\r\n");
    assert_eq!(
        huge.read().map(|r| error_text(&r)),
        Some("ERR Protocol error: invalid bulk length".to_owned())
    );
    let mut binary = server.client();
    binary.send_raw(&[0xff, 0x00, 0x13, b'\r', b'\n']);
    drop(binary);
    assert_eq!(other.call(&["PING"]), Reply::Status(b"PONG".to_vec()));
}

#[test]
fn thousand_concurrent_connections() {
    let server = Server::start(&[]);
    let start = Instant::now();
    let mut clients: Vec<Client> = (0..1000).map(|_| server.client()).collect();
    for (i, c) in clients.iter_mut().enumerate() {
        c.send(&["INCR", "hits"]);
        if i % 100 == 0 {
            c.send(&["EVAL", "return 1", "0"]);
        }
    }
    for (i, c) in clients.iter_mut().enumerate() {
        assert!(matches!(c.read(), Some(Reply::Integer(_))));
        if i % 100 == 0 {
            assert_eq!(c.read(), Some(Reply::Integer(1)));
        }
    }
    assert_eq!(clients[0].call(&["GET", "hits"]), bulk("1000"));
    assert!(start.elapsed() < Duration::from_secs(60));
}

#[test]
fn maxclients_shrinks_to_the_open_files_limit() {
    // 64 descriptors leave room for 32 clients (Redis keeps 32 for itself): the 33rd is
    // told so and closed, instead of waiting on a server out of descriptors.
    let server = Server::start_with_open_files(Some(64), &[]);
    let pong = Reply::Status(b"PONG".to_vec());
    let mut first = server.client();
    // The start-up probe's connection may not be closed yet.
    poll(|| match first.call(&["INFO", "clients"]) {
        Reply::Bulk(info) if String::from_utf8_lossy(&info).contains("connected_clients:1\r\n") => {
            Some(Reply::ok())
        }
        _ => None,
    });
    let mut clients: Vec<Client> = (1..32).map(|_| server.client()).collect();
    for c in &mut clients {
        assert_eq!(c.call(&["PING"]), pong);
    }
    let mut extra = server.client();
    assert_eq!(
        extra.read(),
        Some(Reply::Error(b"ERR max number of clients reached".to_vec()))
    );
    assert_eq!(extra.read(), None);
    assert_eq!(
        first.call(&["CONFIG", "GET", "maxclients"]),
        Reply::Array(vec![bulk("maxclients"), bulk("32")])
    );
    // A freed place is taken by the next client.
    drop(clients.pop());
    poll(|| {
        let mut c = server.client();
        c.send(&["PING"]);
        (c.read() == Some(pong.clone())).then(Reply::ok)
    });
}

#[test]
fn blocking_pop_is_served_by_a_later_push() {
    let server = Server::start(&[]);
    let mut waiter = server.client();
    let mut pusher = server.client();
    waiter.send(&["BLPOP", "q", "5"]);
    wait_blocked(&mut pusher, 1);
    assert_eq!(pusher.call(&["RPUSH", "q", "job"]), Reply::Integer(1));
    assert_eq!(
        waiter.read(),
        Some(Reply::Array(vec![bulk("q"), bulk("job")]))
    );
    assert_eq!(waiter.call(&["BLPOP", "q", "0.05"]), Reply::NilArray);

    // A blocked client that goes away takes nothing with it.
    let mut gone = server.client();
    gone.send(&["BRPOP", "q2", "0"]);
    wait_blocked(&mut pusher, 1);
    drop(gone);
    wait_blocked(&mut pusher, 0);
    assert_eq!(pusher.call(&["RPUSH", "q2", "kept"]), Reply::Integer(1));
    assert_eq!(pusher.call(&["LLEN", "q2"]), Reply::Integer(1));
}

/// `[[key, [[id, [field, value]]]]]`: an `XREAD` reply with one entry of one stream.
fn one_entry(key: &str, id: &str, field: &str, value: &str) -> Reply {
    Reply::Array(vec![Reply::Array(vec![
        bulk(key),
        Reply::Array(vec![Reply::Array(vec![
            bulk(id),
            Reply::Array(vec![bulk(field), bulk(value)]),
        ])]),
    ])])
}

/// A consumer of group `g` waiting for new entries of stream `s`.
const GROUP_READ: &[&str] = &[
    "XREADGROUP",
    "GROUP",
    "g",
    "c",
    "BLOCK",
    "0",
    "STREAMS",
    "s",
    ">",
];

#[test]
fn blocking_stream_reads_are_served_by_a_later_xadd() {
    let server = Server::start(&[]);
    let mut waiter = server.client();
    let mut writer = server.client();
    assert_eq!(writer.call(&["XADD", "s", "1-1", "old", "x"]), bulk("1-1"));
    // `$` means entries added after the call, not the ones already there.
    waiter.send(&["XREAD", "BLOCK", "5000", "STREAMS", "s", "$"]);
    wait_blocked(&mut writer, 1);
    assert_eq!(writer.call(&["XADD", "s", "2-1", "job", "1"]), bulk("2-1"));
    assert_eq!(waiter.read(), Some(one_entry("s", "2-1", "job", "1")));

    // Two streams written in one transaction: the reader is served from the one written first.
    waiter.send(&["XREAD", "BLOCK", "5000", "STREAMS", "s2", "s", "$", "$"]);
    wait_blocked(&mut writer, 1);
    assert_eq!(writer.call(&["MULTI"]), Reply::ok());
    writer.call(&["XADD", "s", "2-2", "job", "b"]);
    writer.call(&["XADD", "s2", "1-1", "job", "a"]);
    assert!(matches!(writer.call(&["EXEC"]), Reply::Array(_)));
    assert_eq!(waiter.read(), Some(one_entry("s", "2-2", "job", "b")));

    // A timeout is the nil array, in RESP2 and in RESP3.
    assert_eq!(
        waiter.call(&["XREAD", "BLOCK", "50", "STREAMS", "s", "$"]),
        Reply::NilArray
    );
    waiter.call(&["HELLO", "3"]);
    waiter.send(&["XREAD", "BLOCK", "50", "STREAMS", "s", "$"]);
    let timed_out = waiter.read();
    assert!(
        matches!(timed_out, Some(Reply::Nil | Reply::NilArray)),
        "{timed_out:?}"
    );
    waiter.call(&["HELLO", "2"]);

    // A group reader blocks on `>` and the new entry becomes pending for it.
    assert_eq!(
        writer.call(&["XGROUP", "CREATE", "s", "g", "$"]),
        Reply::ok()
    );
    waiter.send(GROUP_READ);
    wait_blocked(&mut writer, 1);
    assert_eq!(writer.call(&["XADD", "s", "3-1", "job", "2"]), bulk("3-1"));
    assert_eq!(waiter.read(), Some(one_entry("s", "3-1", "job", "2")));
    let pending = writer.call(&["XPENDING", "s", "g"]);
    assert!(
        matches!(&pending, Reply::Array(items) if items.first() == Some(&Reply::Integer(1))),
        "{pending:?}"
    );

    // Inside MULTI nothing blocks.
    assert_eq!(writer.call(&["MULTI"]), Reply::ok());
    writer.call(&["XREAD", "BLOCK", "0", "STREAMS", "s", "$"]);
    assert_eq!(writer.call(&["EXEC"]), Reply::Array(vec![Reply::NilArray]));

    // A group destroyed or a key deleted under a blocked group reader ends its wait.
    waiter.send(GROUP_READ);
    wait_blocked(&mut writer, 1);
    assert_eq!(
        writer.call(&["XGROUP", "DESTROY", "s", "g"]),
        Reply::Integer(1)
    );
    assert_eq!(
        waiter.read().map(|r| error_text(&r)),
        Some("NOGROUP the consumer group this client was blocked on no longer exists".to_owned())
    );
    assert_eq!(
        writer.call(&["XGROUP", "CREATE", "s", "g", "$"]),
        Reply::ok()
    );
    waiter.send(GROUP_READ);
    wait_blocked(&mut writer, 1);
    assert_eq!(writer.call(&["DEL", "s"]), Reply::Integer(1));
    assert_eq!(
        waiter.read().map(|r| error_text(&r)),
        Some("UNBLOCKED the stream key no longer exists".to_owned())
    );
}

#[test]
fn publish_reaches_subscribers() {
    let server = Server::start(&[]);
    let mut sub = server.client();
    let mut publisher = server.client();
    sub.send(&["SUBSCRIBE", "news"]);
    assert_eq!(
        sub.read(),
        Some(Reply::Array(vec![
            bulk("subscribe"),
            bulk("news"),
            Reply::Integer(1)
        ]))
    );
    assert_eq!(
        publisher.call(&["PUBLISH", "news", "hi"]),
        Reply::Integer(1)
    );
    assert_eq!(
        sub.read(),
        Some(Reply::Array(vec![
            bulk("message"),
            bulk("news"),
            bulk("hi")
        ]))
    );
    assert!(error_text(&sub.call(&["GET", "x"])).starts_with("ERR Can't execute 'get'"));
    drop(sub);
    // The subscription goes when the server notices the closed connection.
    let receivers = poll(|| match publisher.call(&["PUBLISH", "news", "again"]) {
        Reply::Integer(1) => None,
        other => Some(other),
    });
    assert_eq!(receivers, Reply::Integer(0));
}

/// A xorshift generator: the same garbage on every run.
fn next_random(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn random_garbage_never_hurts_the_server() {
    let server = Server::start(&[]);
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let pieces: &[&[u8]] = &[
        b"*",
        b"$",
        b"\r\n",
        b"-1",
        b"3",
        b"99999999999",
        b"PING",
        b"EVAL",
        b"\"",
        b"'",
        b"\x00",
        b"\xff",
        b" ",
        b"return 1",
        b"0",
        b"*2\r\n$4\r\nECHO\r\n$",
        b"MULTI\r\n",
        b"EXEC\r\n",
        b"SUBSCRIBE a\r\n",
        b"BLPOP q 0.01\r\n",
        b"HELLO 3\r\n",
        b"CLIENT KILL ID 1\r\n",
    ];
    for _ in 0..200 {
        let mut garbage = Vec::new();
        for _ in 0..(next_random(&mut state) % 40) {
            let piece = pieces[(next_random(&mut state) % pieces.len() as u64) as usize];
            garbage.extend_from_slice(piece);
        }
        let mut c = server.client();
        c.stream
            .set_read_timeout(Some(Duration::from_millis(50)))
            .expect("timeout");
        let _ = c.stream.write_all(&garbage);
        let _ = c.read();
    }
    let mut c = server.client();
    assert_eq!(c.call(&["PING"]), Reply::Status(b"PONG".to_vec()));
}

/// `COMMAND GETKEYS`/`GETKEYSANDFLAGS` as redis-server 7.0.15 answers them (replies recorded
/// from it): the checks in its order, keys from the key specifications, flags in its order.
#[test]
fn command_getkeys_as_redis() {
    let server = Server::start(&[]);
    let mut c = server.client();
    let status = |s: &str| Reply::Status(s.as_bytes().to_vec());
    assert_eq!(
        c.call(&["COMMAND", "GETKEYSANDFLAGS", "SET", "k", "v", "GET"]),
        Reply::Array(vec![Reply::Array(vec![
            bulk("k"),
            Reply::Array(vec![status("RW"), status("access"), status("update")]),
        ])])
    );
    assert_eq!(
        c.call(&["COMMAND", "GETKEYS", "LMOVE", "a", "b", "LEFT", "RIGHT"]),
        Reply::Array(vec![bulk("a"), bulk("b")])
    );
    assert_eq!(
        c.call(&["COMMAND", "GETKEYS", "EVAL", "x", "0"]),
        Reply::Array(Vec::new())
    );
    for (args, error) in [
        (&["PING", "x"][..], "ERR The command has no key arguments"),
        (
            &["GET", "a", "b"][..],
            "ERR Invalid number of arguments specified for command",
        ),
        (&["NOSUCH", "x"][..], "ERR Invalid command specified"),
    ] {
        let mut argv = vec!["COMMAND", "GETKEYS"];
        argv.extend_from_slice(args);
        assert_eq!(error_text(&c.call(&argv)), error, "{args:?}");
    }
}
