//! The engine's public API with a small host of its own (the one docs/EMBEDDING.md shows):
//! what an embedder writes to get Redis scripting over their keyspace.

use std::collections::HashMap;

use ferrous_redis::{AclDenied, CallContext, CommandHost, Reply, ScriptEngine};

/// A keyspace of strings with GET, SET, DEL and INCR.
#[derive(Default)]
struct Strings {
    data: HashMap<Vec<u8>, Vec<u8>>,
}

impl CommandHost for Strings {
    fn call(&mut self, _ctx: &CallContext, args: &[Vec<u8>]) -> Reply {
        match args[0].to_ascii_lowercase().as_slice() {
            b"get" => self
                .data
                .get(&args[1])
                .map_or(Reply::Nil, |v| Reply::bulk(v.clone())),
            b"set" => {
                self.data.insert(args[1].clone(), args[2].clone());
                Reply::ok()
            }
            b"del" => Reply::Integer(
                args[1..]
                    .iter()
                    .filter(|k| self.data.remove(*k).is_some())
                    .count() as i64,
            ),
            b"incr" => {
                let old = self.data.get(&args[1]).map_or(Some(0), |v| {
                    std::str::from_utf8(v)
                        .ok()
                        .and_then(|s| s.parse::<i64>().ok())
                });
                match old.and_then(|n| n.checked_add(1)) {
                    Some(n) => {
                        self.data
                            .insert(args[1].clone(), n.to_string().into_bytes());
                        Reply::Integer(n)
                    }
                    None => Reply::error("ERR value is not an integer or out of range"),
                }
            }
            _ => Reply::error("ERR unknown command"),
        }
    }
}

fn engine() -> ScriptEngine<Strings> {
    ScriptEngine::new(Strings::default()).unwrap()
}

#[test]
fn scripts_reach_the_host() {
    let mut e = engine();
    let reply = e.eval(
        b"redis.call('set', KEYS[1], ARGV[1]) return redis.call('get', KEYS[1])",
        &[b"k"],
        &[b"v"],
    );
    assert_eq!(reply, Reply::bulk("v"));
    assert_eq!(e.host().data.get(&b"k"[..]), Some(&b"v".to_vec()));
    assert_eq!(
        e.eval(b"return redis.call('incr', 'n')", &[], &[]),
        Reply::Integer(1)
    );
}

#[test]
fn errors_are_redis_texts() {
    let mut e = engine();
    let sha = ferrous_redis::sha1_hex(b"return foo");
    assert_eq!(
        e.eval(b"return foo", &[], &[]),
        Reply::Error(format!("ERR user_script:1: Script attempted to access nonexistent global variable 'foo' script: {sha}, on @user_script:1.").into_bytes())
    );
    let sha = ferrous_redis::sha1_hex(b"return redis.call('nosuch')");
    assert_eq!(
        e.eval(b"return redis.call('nosuch')", &[], &[]),
        Reply::Error(
            format!(
                "ERR Unknown Redis command called from script script: {sha}, on @user_script:1."
            )
            .into_bytes()
        )
    );
    assert_eq!(
        e.eval(b"return {err='My Error'}", &[], &[]),
        Reply::error("My Error")
    );
    assert_eq!(
        e.eval(b"x = 5", &[], &[]),
        Reply::Error(format!("ERR user_script:1: Attempt to modify a readonly table script: {}, on @user_script:1.", ferrous_redis::sha1_hex(b"x = 5")).into_bytes())
    );
    assert_eq!(
        e.eval(b"return 1 +", &[], &[]),
        Reply::error(
            "ERR Error compiling script (new function): user_script:1: unexpected symbol near '<eof>'"
        )
    );
}

#[test]
fn conversions_follow_redis() {
    let mut e = engine();
    assert_eq!(
        e.eval(b"return {1, 'a', {2.9, -3.9}, nil, 5}", &[], &[]),
        Reply::Array(vec![
            Reply::Integer(1),
            Reply::bulk("a"),
            Reply::Array(vec![Reply::Integer(2), Reply::Integer(-3)]),
        ])
    );
    assert_eq!(e.eval(b"return true", &[], &[]), Reply::Integer(1));
    assert_eq!(e.eval(b"return false", &[], &[]), Reply::Nil);
    assert_eq!(
        e.eval(b"return redis.status_reply('a\\r\\nb')", &[], &[]),
        Reply::Status(b"a  b".to_vec())
    );
    assert_eq!(
        e.eval(b"return pcall(redis.call, 'nosuch')", &[], &[]),
        Reply::Nil
    );
    assert_eq!(
        e.eval(
            b"local ok, e = pcall(redis.call, 'nosuch') return e",
            &[],
            &[]
        ),
        Reply::bulk("ERR Unknown Redis command called from script")
    );
}

fn eval_argv(script: &str) -> Vec<Vec<u8>> {
    vec![b"EVAL".to_vec(), script.as_bytes().to_vec(), b"0".to_vec()]
}

#[test]
fn an_endless_script_runs_in_slices_and_script_kill_stops_it() {
    let config = ferrous_redis::EngineConfig {
        busy_reply_threshold: std::time::Duration::ZERO,
        slice_fuel: 1_000,
        ..ferrous_redis::EngineConfig::default()
    };
    let mut e = ScriptEngine::with_config(Strings::default(), config).unwrap();
    let ctx = CallContext::default();
    let argv = eval_argv("local i = 0\nwhile true do i = i + 1 end");
    assert_eq!(e.start(&ctx, &argv), ferrous_redis::Poll::Running);
    for _ in 0..10 {
        assert_eq!(e.resume(), ferrous_redis::Poll::Running);
    }
    assert!(e.is_busy());
    // Another command meanwhile is refused with BUSY.
    assert_eq!(
        e.start(&ctx, &eval_argv("return 1")),
        ferrous_redis::Poll::Done(e.busy_reply())
    );
    assert_eq!(e.script_kill(), Reply::ok());
    let sha = ferrous_redis::sha1_hex(&argv[1]);
    assert_eq!(
        e.resume(),
        ferrous_redis::Poll::Done(Reply::Error(
            format!(
                "ERR Script killed by user with SCRIPT KILL... script: {sha}, on @user_script:2."
            )
            .into_bytes()
        ))
    );
    assert!(!e.is_running());
    assert_eq!(
        e.script_kill(),
        Reply::error("NOTBUSY No scripts in execution right now.")
    );
    // The engine serves the next script.
    assert_eq!(e.eval(b"return 7", &[], &[]), Reply::Integer(7));
}

#[test]
fn pcall_cannot_swallow_a_kill() {
    let config = ferrous_redis::EngineConfig {
        slice_fuel: 500,
        ..ferrous_redis::EngineConfig::default()
    };
    let mut e = ScriptEngine::with_config(Strings::default(), config).unwrap();
    let argv = eval_argv("while true do pcall(function() while true do end end) end");
    assert_eq!(
        e.start(&CallContext::default(), &argv),
        ferrous_redis::Poll::Running
    );
    assert_eq!(e.resume(), ferrous_redis::Poll::Running);
    assert_eq!(e.script_kill(), Reply::ok());
    assert!(
        matches!(e.resume(), ferrous_redis::Poll::Done(Reply::Error(msg)) if msg.starts_with(b"ERR Script killed by user"))
    );
}

#[test]
fn a_script_that_wrote_cannot_be_killed() {
    let mut e = engine();
    let argv = eval_argv("redis.call('set', 'k', 'v') while true do end");
    assert_eq!(
        e.start(&CallContext::default(), &argv),
        ferrous_redis::Poll::Running
    );
    while e.host().data.is_empty() {
        assert_eq!(e.resume(), ferrous_redis::Poll::Running);
    }
    assert!(matches!(e.script_kill(), Reply::Error(msg) if msg.starts_with(b"UNKILLABLE")));
    // The host can still stop it (SHUTDOWN NOSAVE).
    assert!(e.abort_running().is_some());
    assert!(!e.is_running());
}

#[test]
fn the_memory_cap_is_an_error_and_the_engine_goes_on() {
    let config = ferrous_redis::EngineConfig {
        memory_limit: Some(8 << 20),
        ..ferrous_redis::EngineConfig::default()
    };
    let mut e = ScriptEngine::with_config(Strings::default(), config).unwrap();
    let reply = e.eval(
        b"local t = {} for i = 1, 1e7 do t[i] = tostring(i) end return #t",
        &[],
        &[],
    );
    assert!(
        matches!(&reply, Reply::Error(msg) if msg.starts_with(b"ERR not enough memory")),
        "{reply:?}"
    );
    assert_eq!(
        e.eval(b"return #string.rep('x', 1000)", &[], &[]),
        Reply::Integer(1000)
    );
}

#[test]
fn deep_replies_and_deep_errors_do_not_overflow() {
    let mut e = engine();
    let reply = e.eval(
        b"local t = {} local c = t for i = 1, 100000 do local n = {} c[1] = n c = n end return t",
        &[],
        &[],
    );
    let mut depth = 0;
    let mut cur = &reply;
    while let Reply::Array(items) = cur {
        depth += 1;
        cur = &items[0];
    }
    assert_eq!(depth, 7_995);
    assert_eq!(cur, &Reply::error("ERR reached lua stack limit"));
}

#[test]
fn scripts_are_cached_by_sha_and_flushed() {
    let mut e = engine();
    let sha = ferrous_redis::sha1_hex(b"return 'x'");
    assert_eq!(e.script_load(b"return 'x'"), Reply::bulk(sha.clone()));
    let ctx = CallContext::default();
    let evalsha = vec![b"EVALSHA".to_vec(), sha.clone().into_bytes(), b"0".to_vec()];
    assert_eq!(e.command(&ctx, &evalsha), Reply::bulk("x"));
    assert_eq!(e.cached_scripts(), 1);
    e.script_flush();
    assert_eq!(e.cached_scripts(), 0);
    assert_eq!(
        e.command(&ctx, &evalsha),
        Reply::error("NOSCRIPT No matching script. Please use EVAL.")
    );
}

#[test]
fn eval_bodies_are_evicted_beyond_the_bound_but_loaded_scripts_stay() {
    let config = ferrous_redis::EngineConfig {
        eval_cache_scripts: 10,
        ..ferrous_redis::EngineConfig::default()
    };
    let mut e = ScriptEngine::with_config(Strings::default(), config).unwrap();
    e.script_load(b"return 'kept'");
    for i in 0..100 {
        assert_eq!(
            e.eval(format!("return {i}").as_bytes(), &[], &[]),
            Reply::Integer(i)
        );
    }
    assert_eq!(e.cached_scripts(), 11);
    let ctx = CallContext::default();
    let sha = ferrous_redis::sha1_hex(b"return 'kept'").into_bytes();
    assert_eq!(
        e.command(&ctx, &[b"EVALSHA".to_vec(), sha, b"0".to_vec()]),
        Reply::bulk("kept")
    );
}

#[test]
fn the_kill_switch_stops_a_script_stuck_in_a_native_callback_from_another_thread() {
    let config = ferrous_redis::EngineConfig {
        slice_fuel: 1_000,
        ..ferrous_redis::EngineConfig::default()
    };
    let mut e = ScriptEngine::with_config(Strings::default(), config).unwrap();
    let switch = e.kill_switch();
    assert_eq!(
        switch.script_kill(),
        Reply::error("NOTBUSY No scripts in execution right now.")
    );
    // A comparator that never returns: the engine cannot get back between slices, so only the
    // switch, read by the VM's interrupt inside the nested run, can stop it.
    let killer = std::thread::spawn(move || {
        while !switch.is_running() {
            std::thread::yield_now();
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        switch.script_kill()
    });
    let argv = eval_argv("table.sort({3, 2, 1}, function(a, b) while true do end end)");
    let mut poll = e.start(&CallContext::default(), &argv);
    while poll == ferrous_redis::Poll::Running {
        poll = e.resume();
    }
    assert_eq!(killer.join().unwrap(), Reply::ok());
    assert!(
        matches!(poll, ferrous_redis::Poll::Done(Reply::Error(msg)) if msg.starts_with(b"ERR Script killed by user with SCRIPT KILL..."))
    );
    assert_eq!(e.eval(b"return 'next'", &[], &[]), Reply::bulk("next"));
}

/// A cluster node serving the lower half of the slots.
#[derive(Default)]
struct ClusterNode(Strings);

impl CommandHost for ClusterNode {
    fn call(&mut self, ctx: &CallContext, args: &[Vec<u8>]) -> Reply {
        self.0.call(ctx, args)
    }

    fn cluster_enabled(&self) -> bool {
        true
    }

    fn slot_redirect(&self, slot: u16) -> Option<Reply> {
        (slot >= 8192).then(|| Reply::Error(format!("MOVED {slot} 127.0.0.1:7001").into_bytes()))
    }
}

#[test]
fn cluster_rules_apply_when_the_host_is_a_cluster_node() {
    // Slots: "a" 15495, "b" 3300, "c" 7365, "{b}x" 3300.
    assert_eq!(ferrous_redis::key_hash_slot(b"b"), 3300);
    assert_eq!(ferrous_redis::key_hash_slot(b"{b}x"), 3300);
    assert_eq!(ferrous_redis::key_hash_slot(b"c"), 7365);
    let mut e = ScriptEngine::new(ClusterNode::default()).unwrap();
    let run = |e: &mut ScriptEngine<ClusterNode>, script: &str, keys: &[&[u8]]| {
        e.eval(script.as_bytes(), keys, &[])
    };
    assert_eq!(
        run(&mut e, "return 1", &[b"b", b"c"]),
        Reply::error("CROSSSLOT Keys in request don't hash to the same slot")
    );
    assert_eq!(
        run(&mut e, "return 1", &[b"a"]),
        Reply::error("MOVED 15495 127.0.0.1:7001")
    );
    assert_eq!(
        run(&mut e, "#!lua flags=no-cluster\nreturn 1", &[]),
        Reply::error("ERR Can not run script on cluster, 'no-cluster' flag is set.")
    );
    // Keys of the declared slot, hash tags included.
    assert_eq!(
        run(
            &mut e,
            "redis.call('set', KEYS[1], 1) return redis.call('get', '{b}x')",
            &[b"b"]
        ),
        Reply::Nil
    );
    let sha = |s: &str| ferrous_redis::sha1_hex(s.as_bytes());
    let script = "return redis.call('get', 'a')";
    assert_eq!(
        run(&mut e, script, &[b"b"]),
        Reply::Error(format!("ERR Script attempted to access a non local key in a cluster node script: {}, on @user_script:1.", sha(script)).into_bytes())
    );
    // With a shebang (no cross-slot allowance) a second slot is refused; without one it is
    // allowed, as Redis 7.0 keeps Redis 6's behaviour.
    let script = "#!lua\nredis.call('get', 'b') return redis.call('get', 'c')";
    assert_eq!(
        run(&mut e, script, &[]),
        Reply::Error(format!("ERR Script attempted to access keys that do not hash to the same slot script: {}, on @user_script:2.", sha(script)).into_bytes())
    );
    assert_eq!(
        run(
            &mut e,
            "redis.call('get', 'b') return redis.call('get', 'c')",
            &[]
        ),
        Reply::Nil
    );
    assert_eq!(
        run(
            &mut e,
            "#!lua flags=allow-cross-slot-keys\nredis.call('get', 'b') return redis.call('get', 'c')",
            &[]
        ),
        Reply::Nil
    );
}

/// A host with one rule (no `hset`, no key `secret`), no replicas, and a record of the
/// commands the engine refused.
#[derive(Default)]
struct Guarded {
    inner: Strings,
    replicas_ok: bool,
    rejected: Vec<(Vec<u8>, Vec<u8>)>,
}

impl CommandHost for Guarded {
    fn call(&mut self, ctx: &CallContext, args: &[Vec<u8>]) -> Reply {
        self.inner.call(ctx, args)
    }

    fn acl_denied(&mut self, args: &[Vec<u8>]) -> Option<AclDenied> {
        if args[0].eq_ignore_ascii_case(b"hset") {
            Some(AclDenied::Command)
        } else if args.iter().skip(1).any(|a| a == b"secret") {
            Some(AclDenied::Key)
        } else {
            None
        }
    }

    fn acl_check(&self, args: &[Vec<u8>]) -> bool {
        !args[0].eq_ignore_ascii_case(b"hset")
    }

    fn enough_replicas(&self) -> bool {
        self.replicas_ok
    }

    fn command_rejected(&mut self, args: &[Vec<u8>], error: &[u8]) {
        self.rejected.push((args[0].clone(), error.to_vec()));
    }
}

#[test]
fn acl_replica_and_rejection_hooks() {
    let mut e = ScriptEngine::new(Guarded::default()).unwrap();
    let sha = |s: &str| ferrous_redis::sha1_hex(s.as_bytes());
    let script = "return redis.call('get', 'secret')";
    assert_eq!(
        e.eval(script.as_bytes(), &[], &[]),
        Reply::Error(format!("ERR The user executing the script can't access at least one of the keys mentioned in the command arguments script: {}, on @user_script:1.", sha(script)).into_bytes())
    );
    assert_eq!(
        e.eval(b"return redis.pcall('hset', 'h', 'f', 'v')", &[], &[]),
        Reply::error("ERR The user executing the script can't run this command or subcommand")
    );
    assert_eq!(
        e.eval(
            b"return {redis.acl_check_cmd('hset', 'h'), redis.acl_check_cmd('get', 'k')}",
            &[],
            &[]
        ),
        Reply::Array(vec![Reply::Nil, Reply::Integer(1)])
    );
    // Without enough replicas: reads run, the first write is refused.
    assert_eq!(
        e.eval(b"return redis.call('get', 'k')", &[], &[]),
        Reply::Nil
    );
    assert_eq!(
        e.eval(b"return redis.pcall('set', 'k', 'v')", &[], &[]),
        Reply::error("NOREPLICAS Not enough good replicas to write.")
    );
    assert_eq!(
        e.eval(b"#!lua\nreturn 1", &[], &[]),
        Reply::error("NOREPLICAS Not enough good replicas to write.")
    );
    assert_eq!(
        e.eval(b"#!lua flags=no-writes\nreturn 1", &[], &[]),
        Reply::Integer(1)
    );
    assert_eq!(
        e.host().rejected,
        vec![
            (b"get".to_vec(), b"ERR The user executing the script can't access at least one of the keys mentioned in the command arguments".to_vec()),
            (b"hset".to_vec(), b"ERR The user executing the script can't run this command or subcommand".to_vec()),
            (b"set".to_vec(), b"NOREPLICAS Not enough good replicas to write.".to_vec()),
        ]
    );
    e.host_mut().replicas_ok = true;
    assert_eq!(
        e.eval(b"return redis.pcall('set', 'k', 'v')", &[], &[]),
        Reply::ok()
    );
}
