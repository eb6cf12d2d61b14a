//! Unit tests of Functions: the dump format (round trips, every corruption a clean error,
//! random bytes), restore policies, and running functions in slices (`FUNCTION KILL`,
//! `SCRIPT KILL`, `FUNCTION STATS`, `BUSY`), which transcripts cannot show.

use super::dump::{self, DumpError};
use crate::host::{CallContext, CommandHost};
use crate::reply::Reply;
use crate::{MemoryHost, Poll, ScriptEngine};

fn engine() -> ScriptEngine<MemoryHost> {
    match ScriptEngine::new(MemoryHost::new()) {
        Ok(engine) => engine,
        Err(err) => panic!("engine: {err}"),
    }
}

fn cmd(engine: &mut ScriptEngine<MemoryHost>, args: &[&[u8]]) -> Reply {
    let argv: Vec<Vec<u8>> = args.iter().map(|a| a.to_vec()).collect();
    engine.command(&CallContext::default(), &argv)
}

fn start(engine: &mut ScriptEngine<MemoryHost>, args: &[&str]) -> Poll {
    let argv: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
    engine.start(&CallContext::default(), &argv)
}

fn bulk(s: &str) -> Reply {
    Reply::Bulk(s.as_bytes().to_vec())
}

fn err(s: &str) -> Reply {
    Reply::Error(s.as_bytes().to_vec())
}

const LIB1: &[u8] =
    b"#!lua name=lib1\nredis.register_function('f1', function(keys, args) return 'one' end)";
const LIB2: &[u8] = b"#!lua name=lib2\nredis.register_function{function_name='f2', callback=function(keys, args) return args[1] end, flags={'no-writes'}, description='two'}";
const LOOP: &[u8] = b"#!lua name=spin\nredis.register_function('spin', function() local a = 1 while true do a = a + 1 end end)";

fn dump(engine: &mut ScriptEngine<MemoryHost>) -> Vec<u8> {
    match cmd(engine, &[b"FUNCTION", b"DUMP"]) {
        Reply::Bulk(payload) => payload,
        other => panic!("FUNCTION DUMP answered {other:?}"),
    }
}

#[test]
fn crc64_is_redis_crc64() {
    assert_eq!(dump::crc64(0, b"123456789"), 0xe9c6_d914_c4b8_d9ca);
}

#[test]
fn dump_and_restore_round_trip() {
    let mut e = engine();
    assert_eq!(cmd(&mut e, &[b"FUNCTION", b"LOAD", LIB1]), bulk("lib1"));
    assert_eq!(cmd(&mut e, &[b"FUNCTION", b"LOAD", LIB2]), bulk("lib2"));
    let listed = cmd(&mut e, &[b"FUNCTION", b"LIST", b"WITHCODE"]);
    let payload = dump(&mut e);
    assert_eq!(cmd(&mut e, &[b"FUNCTION", b"FLUSH"]), Reply::ok());
    assert_eq!(
        cmd(&mut e, &[b"FCALL", b"f1", b"0"]),
        err("ERR Function not found")
    );
    assert_eq!(
        cmd(&mut e, &[b"FUNCTION", b"RESTORE", &payload]),
        Reply::ok()
    );
    assert_eq!(cmd(&mut e, &[b"FUNCTION", b"LIST", b"WITHCODE"]), listed);
    assert_eq!(cmd(&mut e, &[b"FCALL", b"f1", b"0"]), bulk("one"));
    assert_eq!(cmd(&mut e, &[b"FCALL_RO", b"f2", b"0", b"x"]), bulk("x"));
    // Into another engine, and a dump of nothing.
    let mut other = engine();
    assert_eq!(
        cmd(&mut other, &[b"FUNCTION", b"RESTORE", &payload]),
        Reply::ok()
    );
    assert_eq!(cmd(&mut other, &[b"FCALL", b"F1", b"0"]), bulk("one"));
    let empty = dump(&mut engine());
    assert_eq!(dump::decode(&empty), Ok(Vec::new()));
    assert_eq!(
        cmd(&mut other, &[b"FUNCTION", b"RESTORE", &empty, b"FLUSH"]),
        Reply::ok()
    );
    assert_eq!(
        cmd(&mut other, &[b"FUNCTION", b"LIST"]),
        Reply::Array(Vec::new())
    );
}

#[test]
fn restore_policies() {
    let mut e = engine();
    cmd(&mut e, &[b"FUNCTION", b"LOAD", LIB1]);
    let payload = dump(&mut e);
    // APPEND (the default) refuses an existing library and changes nothing.
    let exists = err("ERR Library lib1 already exists");
    assert_eq!(cmd(&mut e, &[b"FUNCTION", b"RESTORE", &payload]), exists);
    assert_eq!(
        cmd(&mut e, &[b"FUNCTION", b"RESTORE", &payload, b"append"]),
        exists
    );
    // REPLACE swaps it; FLUSH drops everything else.
    let newer = b"#!lua name=lib1\nredis.register_function('f1', function() return 'new' end)";
    cmd(&mut e, &[b"FUNCTION", b"LOAD", b"REPLACE", newer]);
    assert_eq!(
        cmd(&mut e, &[b"FUNCTION", b"RESTORE", &payload, b"REPLACE"]),
        Reply::ok()
    );
    assert_eq!(cmd(&mut e, &[b"FCALL", b"f1", b"0"]), bulk("one"));
    cmd(&mut e, &[b"FUNCTION", b"LOAD", LIB2]);
    assert_eq!(
        cmd(&mut e, &[b"FUNCTION", b"RESTORE", &payload, b"FLUSH"]),
        Reply::ok()
    );
    assert_eq!(
        cmd(&mut e, &[b"FCALL", b"f2", b"0"]),
        err("ERR Function not found")
    );
    // A function name used by another library fails even with REPLACE, and keeps the old.
    let clash = b"#!lua name=other\nredis.register_function('F1', function() return 'clash' end)";
    cmd(&mut e, &[b"FUNCTION", b"FLUSH"]);
    cmd(&mut e, &[b"FUNCTION", b"LOAD", clash]);
    let taken = err("ERR Function f1 already exists");
    assert_eq!(
        cmd(&mut e, &[b"FUNCTION", b"RESTORE", &payload, b"REPLACE"]),
        taken
    );
    assert_eq!(cmd(&mut e, &[b"FCALL", b"f1", b"0"]), bulk("clash"));
    let stats = cmd(&mut e, &[b"FUNCTION", b"STATS"]);
    assert!(format!("{stats:?}").contains("Integer(1)"), "{stats:?}");
}

#[test]
fn every_corruption_is_a_clean_error() {
    let mut e = engine();
    cmd(&mut e, &[b"FUNCTION", b"LOAD", LIB1]);
    let payload = dump(&mut e);
    cmd(&mut e, &[b"FUNCTION", b"FLUSH"]);
    let wrong = err("ERR DUMP payload version or checksum are wrong");
    for i in 0..payload.len() {
        for bit in [0x01u8, 0x80] {
            let mut bad = payload.clone();
            bad[i] ^= bit;
            assert_eq!(
                dump::decode(&bad),
                Err(DumpError::VersionOrChecksum),
                "byte {i}"
            );
            assert_eq!(cmd(&mut e, &[b"FUNCTION", b"RESTORE", &bad]), wrong);
        }
    }
    for len in 0..payload.len() {
        assert_eq!(
            cmd(&mut e, &[b"FUNCTION", b"RESTORE", &payload[..len]]),
            wrong
        );
    }
    for extra in 0..=255u8 {
        let mut longer = payload.clone();
        longer.push(extra);
        assert_eq!(cmd(&mut e, &[b"FUNCTION", b"RESTORE", &longer]), wrong);
    }
    assert_eq!(
        cmd(&mut e, &[b"FUNCTION", b"LIST"]),
        Reply::Array(Vec::new())
    );
}

/// A body with a correct checksum around it.
fn sealed(body: &[u8]) -> Vec<u8> {
    let mut out = body.to_vec();
    let crc = dump::checksum(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

#[test]
fn checksummed_but_malformed_payloads_are_errors() {
    let header = |count: u32| {
        let mut h = b"FRFN".to_vec();
        h.extend_from_slice(&dump::VERSION.to_le_bytes());
        h.extend_from_slice(&count.to_le_bytes());
        h
    };
    // More libraries announced than present; a length past the end; trailing bytes.
    assert_eq!(dump::decode(&sealed(&header(1))), Err(DumpError::Malformed));
    let mut long = header(1);
    long.extend_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(dump::decode(&sealed(&long)), Err(DumpError::Malformed));
    let mut trailing = header(0);
    trailing.push(7);
    assert_eq!(dump::decode(&sealed(&trailing)), Err(DumpError::Malformed));
    // Another version or magic.
    let mut v2 = b"FRFN".to_vec();
    v2.extend_from_slice(&2u16.to_le_bytes());
    v2.extend_from_slice(&0u32.to_le_bytes());
    assert_eq!(
        dump::decode(&sealed(&v2)),
        Err(DumpError::VersionOrChecksum)
    );
    let mut magic = header(0);
    magic[0] = b'X';
    assert_eq!(
        dump::decode(&sealed(&magic)),
        Err(DumpError::VersionOrChecksum)
    );
    // Well-formed, but the code does not load: its error, and nothing restored.
    let mut e = engine();
    let bad = dump::encode([&b"#!lua name=x\nreturn 1"[..], LIB1].into_iter());
    assert_eq!(
        cmd(&mut e, &[b"FUNCTION", b"RESTORE", &bad]),
        err("ERR No functions registered")
    );
    let twice = dump::encode([LIB1, LIB1].into_iter());
    assert_eq!(
        cmd(&mut e, &[b"FUNCTION", b"RESTORE", &twice]),
        err("ERR Library 'lib1' already exists")
    );
    assert_eq!(
        cmd(&mut e, &[b"FUNCTION", b"LIST"]),
        Reply::Array(Vec::new())
    );
    assert_eq!(
        cmd(&mut e, &[b"FUNCTION", b"RESTORE", &sealed(&trailing)]),
        err("ERR Failed loading library payload")
    );
}

#[test]
fn random_payloads_never_panic() {
    let mut e = engine();
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for round in 0..2000 {
        let len = (next() % 64) as usize;
        let mut bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        if round % 2 == 0 && bytes.len() >= 4 {
            bytes[..4].copy_from_slice(b"FRFN");
        }
        let _ = dump::decode(&bytes);
        let _ = dump::decode(&sealed(&bytes));
        let reply = cmd(&mut e, &[b"FUNCTION", b"RESTORE", &sealed(&bytes)]);
        assert!(
            matches!(reply, Reply::Error(_) | Reply::Status(_)),
            "{reply:?}"
        );
    }
}

#[test]
fn function_kill_stops_a_running_function() {
    let mut e = engine();
    cmd(&mut e, &[b"FUNCTION", b"LOAD", LOOP]);
    assert_eq!(start(&mut e, &["fcall", "spin", "0"]), Poll::Running);
    assert_eq!(e.resume(), Poll::Running);
    let busy =
        "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
    assert_eq!(e.busy_reply(), err(busy));
    assert_eq!(start(&mut e, &["PING"]), Poll::Done(err(busy)));
    // FUNCTION STATS names it; SCRIPT KILL refuses it.
    let Poll::Done(Reply::Map(stats)) = start(&mut e, &["FUNCTION", "STATS"]) else {
        panic!("FUNCTION STATS while a function runs");
    };
    let Reply::Map(running) = &stats[0].1 else {
        panic!("running_script: {:?}", stats[0].1);
    };
    assert_eq!(running[0].1, bulk("spin"));
    assert_eq!(
        running[1].1,
        Reply::Array(vec![bulk("fcall"), bulk("spin"), bulk("0")])
    );
    assert_eq!(start(&mut e, &["SCRIPT", "KILL"]), Poll::Done(err(busy)));
    assert_eq!(
        start(&mut e, &["FUNCTION", "KILL"]),
        Poll::Done(Reply::ok())
    );
    let Poll::Done(Reply::Error(text)) = e.resume() else {
        panic!("the killed function answers an error");
    };
    assert_eq!(
        text, b"ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2.",
        "the text redis-server 7.0.15 gives"
    );
    assert!(!e.is_running());
    assert_eq!(cmd(&mut e, &[b"PING"]), Reply::Status(b"PONG".to_vec()));
    assert_eq!(
        cmd(&mut e, &[b"FUNCTION", b"KILL"]),
        err("NOTBUSY No scripts in execution right now.")
    );
}

#[test]
fn function_kill_refuses_an_eval_script() {
    let mut e = engine();
    let script = "local a = 1 while true do a = a + 1 end";
    assert_eq!(start(&mut e, &["EVAL", script, "0"]), Poll::Running);
    let busy =
        "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
    assert_eq!(start(&mut e, &["FUNCTION", "KILL"]), Poll::Done(err(busy)));
    assert_eq!(start(&mut e, &["FUNCTION", "STATS"]), Poll::Done(err(busy)));
    assert_eq!(e.script_kill(), Reply::ok());
    assert!(matches!(e.resume(), Poll::Done(Reply::Error(_))));
}

#[test]
fn a_function_that_wrote_cannot_be_killed() {
    let mut e = engine();
    let lib = b"#!lua name=w\nredis.register_function('w', function(keys) redis.call('set', keys[1], 'v') while true do end end)";
    cmd(&mut e, &[b"FUNCTION", b"LOAD", lib]);
    assert_eq!(start(&mut e, &["FCALL", "w", "1", "k"]), Poll::Running);
    assert!(matches!(e.function_kill(), Reply::Error(t) if t.starts_with(b"UNKILLABLE")));
    assert!(e.abort_running().is_some());
    assert_eq!(cmd(&mut e, &[b"GET", b"k"]), bulk("v"));
}

#[test]
fn the_host_follows_the_running_vm() {
    let mut e = engine();
    let lib = b"#!lua name=h\nredis.log(redis.LOG_NOTICE, 'loading')\nredis.register_function('set', function(keys, args) return redis.call('set', keys[1], args[1]) end)";
    assert_eq!(cmd(&mut e, &[b"FUNCTION", b"LOAD", lib]), bulk("h"));
    assert_eq!(
        cmd(&mut e, &[b"FCALL", b"set", b"1", b"k", b"1"]),
        Reply::ok()
    );
    let eval = e.eval(b"return redis.call('incr', KEYS[1])", &[b"k"], &[]);
    assert_eq!(eval, Reply::Integer(2));
    assert_eq!(
        cmd(&mut e, &[b"FCALL", b"set", b"1", b"k", b"9"]),
        Reply::ok()
    );
    assert_eq!(
        e.host_mut()
            .call(&CallContext::default(), &[b"GET".to_vec(), b"k".to_vec()]),
        bulk("9")
    );
    let _ = e.host();
}

#[test]
fn restored_code_runs_under_the_load_time_limit() {
    let mut e = engine();
    let spin = b"#!lua name=slow\nlocal a = 0\nwhile true do a = a + 1 end";
    let payload = dump::encode([&spin[..]].into_iter());
    assert_eq!(
        cmd(&mut e, &[b"FUNCTION", b"RESTORE", &payload]),
        err("ERR Error registering functions: ERR FUNCTION LOAD timeout")
    );
    assert_eq!(
        cmd(&mut e, &[b"FUNCTION", b"LIST"]),
        Reply::Array(Vec::new())
    );
}

#[test]
fn command_errors_come_before_busy() {
    let mut e = engine();
    cmd(&mut e, &[b"FUNCTION", b"LOAD", LOOP]);
    assert_eq!(start(&mut e, &["FCALL", "spin", "0"]), Poll::Running);
    let Poll::Done(Reply::Error(unknown)) = start(&mut e, &["NOSUCH"]) else {
        panic!("an unknown command while a function runs");
    };
    assert!(unknown.starts_with(b"ERR unknown command 'NOSUCH'"));
    assert_eq!(
        start(&mut e, &["FUNCTION", "STATS", "x"]),
        Poll::Done(err(
            "ERR wrong number of arguments for 'function|stats' command"
        ))
    );
    assert!(e.abort_running().is_some());
}

#[test]
fn long_library_names_and_patterns_do_not_overflow() {
    let mut e = engine();
    let name = "a".repeat(100_000);
    let code = format!("#!lua name={name}\nredis.register_function('f', function() return 1 end)");
    assert!(matches!(
        cmd(&mut e, &[b"FUNCTION", b"LOAD", code.as_bytes()]),
        Reply::Bulk(_)
    ));
    let pattern = "*a".repeat(50_000);
    let Reply::Array(found) = cmd(
        &mut e,
        &[b"FUNCTION", b"LIST", b"LIBRARYNAME", pattern.as_bytes()],
    ) else {
        panic!("FUNCTION LIST answers an array");
    };
    assert_eq!(found.len(), 1);
    let missing = pattern + "b";
    let listed = cmd(
        &mut e,
        &[b"FUNCTION", b"LIST", b"LIBRARYNAME", missing.as_bytes()],
    );
    assert_eq!(listed, Reply::Array(Vec::new()));
}
