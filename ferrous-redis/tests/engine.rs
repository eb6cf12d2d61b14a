//! The engine's public API with a small host of its own (the one docs/EMBEDDING.md shows):
//! what an embedder writes to get Redis scripting over their keyspace.

use std::collections::HashMap;

use ferrous_redis::{CallContext, CommandHost, Reply, ScriptEngine};

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
