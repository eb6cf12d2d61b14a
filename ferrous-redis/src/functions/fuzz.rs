//! Random libraries and calls: libraries built from load-time fragments (hostile ones too),
//! functions from run-time fragments, and a random mix of `FUNCTION LOAD [REPLACE]`, `DELETE`,
//! `FLUSH`, `DUMP`/`RESTORE`, `FCALL`/`FCALL_RO` (killed or aborted when endless) and `EVAL`
//! must never panic, and the engine must answer afterwards.

use crate::host::CallContext;
use crate::reply::Reply;
use crate::{EngineConfig, MemoryHost, Poll, ScriptEngine};

const LOAD_FRAGMENTS: &[&str] = &[
    "local n = 0",
    "local t = {}",
    "redis.log(redis.LOG_DEBUG, 'x')",
    "redis.log(7, 'x')",
    "local v = redis.REDIS_VERSION",
    "redis.call('ping')",
    "local s = string",
    "x = 1",
    "redis.register_function()",
    "redis.register_function('bad-name', function() end)",
    "redis.register_function{function_name = 'n', callback = 1}",
    "redis.register_function{function_name = 'n', callback = function() end, flags = {'nope'}}",
    "for i = 1, 1000 do n = (n or 0) + 1 end",
    "local function helper(k) return redis.call('incr', k) end",
];

const BODIES: &[&str] = &[
    "return 1",
    "return {keys, args}",
    "return redis.call('set', keys[1] or 'k', args[1] or 'v')",
    "return redis.pcall('get', keys[1] or 'k')",
    "return redis.call('incr', 'counter')",
    "redis.setresp(3) return redis.pcall('hgetall', 'h')",
    "error('boom')",
    "error({err = 'CODE x'})",
    "return KEYS",
    "x = 1",
    "while true do end",
    "redis.pcall('set', 'w', 1) while true do end",
    "return redis.register_function",
    "return cjson.encode({a = keys})",
];

const NAMES: &[&str] = &["f1", "f2", "F1", "g"];
const LIBS: &[&str] = &["lib1", "lib2", "lib3"];

fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

fn pick<'a>(state: &mut u64, items: &[&'a str]) -> &'a str {
    items[(next(state) % items.len() as u64) as usize]
}

fn library(state: &mut u64) -> Vec<u8> {
    let mut code = format!("#!lua name={}\n", pick(state, LIBS));
    // One library in three gets load-time fragments (most of them fail the load).
    if next(state) % 3 == 0 {
        code.push_str(pick(state, LOAD_FRAGMENTS));
        code.push('\n');
    }
    for _ in 0..(1 + next(state) % 2) {
        let name = pick(state, NAMES);
        let body = pick(state, BODIES);
        if next(state) % 2 == 0 {
            code.push_str(&format!(
                "redis.register_function('{name}', function(keys, args) {body} end)\n"
            ));
        } else {
            code.push_str(&format!(
                "redis.register_function{{function_name = '{name}', callback = function(keys, args) {body} end, flags = {{'no-writes'}}}}\n"
            ));
        }
    }
    code.into_bytes()
}

/// Runs a command to its end, killing (or aborting) it when it runs too long.
fn run(engine: &mut ScriptEngine<MemoryHost>, argv: &[Vec<u8>]) {
    let ctx = CallContext::default();
    let mut poll = engine.start(&ctx, argv);
    let mut slices = 0;
    while poll == Poll::Running {
        slices += 1;
        if slices == 10 {
            let killed =
                engine.function_kill() == Reply::ok() || engine.script_kill() == Reply::ok();
            if !killed {
                engine.abort_running();
                break;
            }
        }
        poll = engine.resume();
    }
}

#[test]
fn random_libraries_and_calls_never_panic() {
    let config = EngineConfig {
        memory_limit: Some(32 << 20),
        slice_fuel: 2_000,
        ..EngineConfig::default()
    };
    let Ok(mut engine) = ScriptEngine::with_config(MemoryHost::new(), config) else {
        panic!("engine");
    };
    let mut state = 0x51f1_5eed_0bad_cafe_u64;
    let mut payload = Vec::new();
    for case in 0..1_500 {
        let argv: Vec<Vec<u8>> = match next(&mut state) % 10 {
            0..=2 => {
                let mut argv = vec![b"FUNCTION".to_vec(), b"LOAD".to_vec()];
                if next(&mut state) % 2 == 0 {
                    argv.push(b"REPLACE".to_vec());
                }
                argv.push(library(&mut state));
                argv
            }
            3 => vec![
                b"FUNCTION".to_vec(),
                b"DELETE".to_vec(),
                pick(&mut state, LIBS).as_bytes().to_vec(),
            ],
            4 if case % 7 == 0 => vec![b"FUNCTION".to_vec(), b"FLUSH".to_vec()],
            4 => {
                let mut corrupted = payload.clone();
                if let Some(byte) = corrupted.get_mut((next(&mut state) % 64) as usize) {
                    *byte ^= 1;
                }
                let policy = pick(&mut state, &["FLUSH", "APPEND", "REPLACE"]);
                let restored = if next(&mut state) % 2 == 0 {
                    &payload
                } else {
                    &corrupted
                };
                vec![
                    b"FUNCTION".to_vec(),
                    b"RESTORE".to_vec(),
                    restored.clone(),
                    policy.as_bytes().to_vec(),
                ]
            }
            5 => {
                if let Reply::Bulk(dump) = engine.command(
                    &CallContext::default(),
                    &[b"FUNCTION".to_vec(), b"DUMP".to_vec()],
                ) {
                    payload = dump;
                }
                continue;
            }
            6 => vec![
                b"EVAL".to_vec(),
                b"return redis.call('incr', 'counter')".to_vec(),
                b"0".to_vec(),
            ],
            n => vec![
                if n == 9 {
                    b"FCALL_RO".to_vec()
                } else {
                    b"FCALL".to_vec()
                },
                pick(&mut state, NAMES).as_bytes().to_vec(),
                b"1".to_vec(),
                b"key".to_vec(),
                b"arg".to_vec(),
            ],
        };
        run(&mut engine, &argv);
        assert!(!engine.is_running(), "case {case} still running");
    }
    let lib = b"#!lua name=final\nredis.register_function('final', function() return 7 end)";
    let ctx = CallContext::default();
    let load = [
        b"FUNCTION".to_vec(),
        b"LOAD".to_vec(),
        b"REPLACE".to_vec(),
        lib.to_vec(),
    ];
    engine.command(&ctx, &[b"FUNCTION".to_vec(), b"FLUSH".to_vec()]);
    assert_eq!(engine.command(&ctx, &load), Reply::Bulk(b"final".to_vec()));
    let call = [b"FCALL".to_vec(), b"final".to_vec(), b"0".to_vec()];
    assert_eq!(engine.command(&ctx, &call), Reply::Integer(7));
    assert_eq!(engine.eval(b"return 1", &[], &[]), Reply::Integer(1));
}
