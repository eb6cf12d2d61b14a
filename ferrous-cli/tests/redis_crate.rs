//! `ferrous serve` driven by a real client library, the `redis` crate, as a user's program
//! would drive it: scripts through `redis::Script` (EVALSHA, falling back to EVAL on
//! NOSCRIPT), pipelines, transactions, RESP3, BUSY and SCRIPT KILL from a second connection,
//! a client that vanishes mid-script, and a thousand connections at once.

use std::time::{Duration, Instant};

use redis::{Commands, Connection, ErrorKind, RedisResult, ServerErrorKind, Value};

mod support;
use support::Server;

fn connect(server: &Server, resp3: bool) -> Connection {
    let protocol = if resp3 { "?protocol=resp3" } else { "" };
    let url = format!("redis://127.0.0.1:{}/{protocol}", server.port);
    let client = redis::Client::open(url).expect("a valid URL");
    let con = client.get_connection().expect("connected");
    con.set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    con
}

#[test]
fn scripts_through_the_client_library() {
    let server = Server::start(&[]);
    let mut con = connect(&server, false);
    // `Script::invoke` tries EVALSHA first and loads the script on NOSCRIPT.
    let incr = redis::Script::new("return redis.call('incrby', KEYS[1], ARGV[1])");
    let first: i64 = incr.key("counter").arg(5).invoke(&mut con).expect("EVAL");
    let second: i64 = incr
        .key("counter")
        .arg(2)
        .invoke(&mut con)
        .expect("EVALSHA");
    assert_eq!((first, second), (5, 7));
    let exists: Vec<bool> = redis::cmd("SCRIPT")
        .arg("EXISTS")
        .arg(incr.get_hash())
        .query(&mut con)
        .expect("SCRIPT EXISTS");
    assert_eq!(exists, vec![true]);

    // Replies convert as Redis converts them: tables to arrays (to the first nil), floats
    // truncated, false to nil, {ok=...} to a status.
    let mixed = redis::Script::new("return {1, 2.9, 'x', false, 'after', nil, 'lost'}");
    let value: Value = mixed.invoke(&mut con).expect("a table");
    assert_eq!(
        value,
        Value::Array(vec![
            Value::Int(1),
            Value::Int(2),
            Value::BulkString(b"x".to_vec()),
            Value::Nil,
            Value::BulkString(b"after".to_vec()),
        ])
    );
    let status: Value = redis::Script::new("return redis.status_reply('FINE')")
        .invoke(&mut con)
        .expect("a status");
    assert_eq!(status, Value::SimpleString("FINE".to_owned()));

    // Script errors reach the client as Redis words them.
    let err = redis::Script::new("return redis.call('nosuchcommand')")
        .invoke::<Value>(&mut con)
        .expect_err("an unknown command");
    assert!(
        err.to_string()
            .contains("Unknown Redis command called from script"),
        "{err}"
    );
    let err = redis::cmd("EVALSHA")
        .arg("0000000000000000000000000000000000000000")
        .arg(0)
        .query::<Value>(&mut con)
        .expect_err("NOSCRIPT");
    assert_eq!(err.kind(), ErrorKind::Server(ServerErrorKind::NoScript));

    // cjson round trip.
    let json: String =
        redis::Script::new("local t = cjson.decode(ARGV[1]) t.n = t.n + 1 return cjson.encode(t)")
            .arg(r#"{"n":41}"#)
            .invoke(&mut con)
            .expect("cjson");
    assert_eq!(json, r#"{"n":42}"#);
}

#[test]
fn pipelines_and_transactions() {
    let server = Server::start(&[]);
    let mut con = connect(&server, false);
    let script = redis::Script::new("return redis.call('rpush', KEYS[1], ARGV[1])");
    let sha: String = redis::cmd("SCRIPT")
        .arg("LOAD")
        .arg("return redis.call('rpush', KEYS[1], ARGV[1])")
        .query(&mut con)
        .expect("SCRIPT LOAD");
    assert_eq!(sha, script.get_hash());

    // A thousand pipelined EVALSHAs answer in order.
    let mut pipe = redis::pipe();
    for i in 0..1000 {
        pipe.cmd("EVALSHA").arg(&sha).arg(1).arg("list").arg(i);
    }
    let lengths: Vec<i64> = pipe.query(&mut con).expect("pipeline");
    assert_eq!(lengths, (1..=1000).collect::<Vec<i64>>());

    // MULTI/EXEC wrapping a script, as clients do.
    let (length, item): (i64, String) = redis::pipe()
        .atomic()
        .cmd("EVALSHA")
        .arg(&sha)
        .arg(1)
        .arg("list")
        .arg("last")
        .cmd("LINDEX")
        .arg("list")
        .arg(-1)
        .query(&mut con)
        .expect("transaction");
    assert_eq!((length, item.as_str()), (1001, "last"));
    let _: () = con.set("plain", "value").expect("SET");
    let got: String = con.get("plain").expect("GET");
    assert_eq!(got, "value");
}

#[test]
fn resp3_replies_after_setresp() {
    let server = Server::start(&[]);
    let mut con = connect(&server, true);
    let value: Value = redis::Script::new("redis.setresp(3) return redis.call('hgetall', KEYS[1])")
        .key("empty")
        .invoke(&mut con)
        .expect("a RESP3 map");
    assert_eq!(value, Value::Map(Vec::new()));
    let value: Value = redis::Script::new("return {double = 3.5}")
        .invoke(&mut con)
        .expect("a double");
    assert_eq!(value, Value::Double(3.5));
    // Lua booleans become RESP3 booleans only after `redis.setresp(3)`, as in Redis 7.0.
    let value: Value = redis::Script::new("return true")
        .invoke(&mut con)
        .expect("an integer");
    assert_eq!(value, Value::Int(1));
    let value: Value = redis::Script::new("redis.setresp(3) return true")
        .invoke(&mut con)
        .expect("a boolean");
    assert_eq!(value, Value::Boolean(true));
}

#[test]
fn busy_scripts_are_killed_from_another_connection() {
    let server = Server::start(&["--busy-reply-threshold", "50"]);
    let mut runner = connect(&server, false);
    let mut admin = connect(&server, false);
    let handle = std::thread::spawn(move || {
        redis::cmd("EVAL")
            .arg("while true do end")
            .arg(0)
            .query::<Value>(&mut runner)
    });
    let start = Instant::now();
    loop {
        match redis::cmd("PING").query::<String>(&mut admin) {
            Ok(_) => {}
            Err(err) if err.kind() == ErrorKind::Server(ServerErrorKind::BusyLoading) => {}
            Err(err) => {
                assert!(err.to_string().contains("BUSY"), "{err}");
                break;
            }
        }
        assert!(start.elapsed() < Duration::from_secs(10), "never BUSY");
        std::thread::sleep(Duration::from_millis(10));
    }
    let killed: RedisResult<String> = redis::cmd("SCRIPT").arg("KILL").query(&mut admin);
    assert_eq!(killed.expect("SCRIPT KILL"), "OK");
    let err = handle
        .join()
        .expect("the runner thread")
        .expect_err("the script was killed");
    assert!(
        err.to_string()
            .contains("Script killed by user with SCRIPT KILL"),
        "{err}"
    );
    let pong: String = redis::cmd("PING").query(&mut admin).expect("PING");
    assert_eq!(pong, "PONG");
}

#[test]
fn a_client_that_vanishes_mid_script_hurts_no_one() {
    let server = Server::start(&[]);
    let mut leaver = connect(&server, false);
    let mut other = connect(&server, false);
    // Send a long script and go away without reading its reply.
    redis::cmd("EVAL")
        .arg("local i = 0 while i < 2000000 do i = i + 1 end return i")
        .arg(0)
        .exec(&mut leaver)
        .ok();
    drop(leaver);
    let _: () = other.set("still", "here").expect("SET after");
    let value: String = other.get("still").expect("GET after");
    assert_eq!(value, "here");
}

#[test]
fn a_thousand_connections_run_scripts_at_once() {
    let server = Server::start(&[]);
    let script = redis::Script::new("return redis.call('incr', KEYS[1])");
    let mut connections: Vec<Connection> = (0..1000).map(|_| connect(&server, false)).collect();
    for con in &mut connections {
        let _: i64 = script.key("shared").invoke(con).expect("EVALSHA");
    }
    let mut con = connect(&server, false);
    let total: i64 = con.get("shared").expect("GET");
    assert_eq!(total, 1000);
    let clients: String = redis::cmd("INFO")
        .arg("clients")
        .query(&mut con)
        .expect("INFO");
    assert!(clients.contains("connected_clients:1001"), "{clients}");
}
