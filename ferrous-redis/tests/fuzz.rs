//! Random scripts built from fragments that poke at every part of the engine (redis.call with
//! odd arguments, the libraries with hostile inputs, errors of every shape, deep tables, RESP3,
//! kills mid-run) must never panic, and the engine must answer the next script.
//!
//! `FERROUS_FUZZ_CASES=N` runs N scripts (default 2,000).

use ferrous_redis::{CallContext, EngineConfig, MemoryHost, Poll, Reply, ScriptEngine};

const FRAGMENTS: &[&str] = &[
    "redis.call('set', KEYS[1] or 'k', ARGV[1] or 'v')",
    "redis.pcall('incr', 'k')",
    "redis.pcall('lpush', 'k', 1, 2, 3)",
    "redis.pcall('hset', 'h', 'f', 1/0)",
    "redis.pcall('zadd', 'z', 0/0, 'm')",
    "redis.pcall('get')",
    "redis.pcall()",
    "redis.pcall('nosuch', {})",
    "redis.pcall('eval', 'return 1', 0)",
    "redis.setresp(3)",
    "redis.setresp(2)",
    "redis.pcall('hgetall', 'h')",
    "redis.pcall('smembers', 's')",
    "redis.pcall('zrange', 'z', 0, -1, 'withscores')",
    "redis.pcall('setrange', 'k', 2^40, 'x')",
    "redis.pcall('lrange', 'l', -2^53, 2^53)",
    "pcall(error, {err = 'E'})",
    "pcall(error, {})",
    "pcall(error)",
    "pcall(cjson.decode, string.rep('[', 5000))",
    "pcall(cjson.decode, '{\"a\":' .. string.rep('1', 400) .. '}')",
    "pcall(cjson.encode, setmetatable({}, {__index = function() return 1 end}))",
    "pcall(cmsgpack.unpack, string.rep('\\220\\255\\255', 300))",
    "pcall(cmsgpack.pack, unpack({1, 2, 3, {a = {b = {c = {}}}}}))",
    "pcall(struct.pack, '>I2147483648', 1)",
    "pcall(struct.unpack, 'f', 'abc', -3)",
    "pcall(struct.unpack, 'i16', string.rep('x', 16))",
    "pcall(bit.tohex, 1, -2147483648)",
    "pcall(bit.lshift, 1/0, 2^60)",
    "pcall(string.rep, 'x', 1e9)",
    "pcall(string.format, '%99999d', 1)",
    "pcall(loadstring, string.rep('(', 300))",
    "pcall(setmetatable, _G, nil)",
    "pcall(rawset, _G, 'x', 1)",
    "pcall(function() x = 1 end)",
    "pcall(function() return undefined_global end)",
    "local t = {} for i = 1, 100 do t = {t} end",
    "local co = coroutine.wrap(function() redis.pcall('incr', 'c') coroutine.yield(1) end) co()",
    "pcall(coroutine.wrap(function() error('in coroutine') end))",
    "table.sort({3, 1, 2}, function(a, b) redis.pcall('incr', 'sorted') return a < b end)",
    "string.gsub('abc', '%w', function(c) return redis.pcall('echo', c) end)",
    "for i = 1, 50 do redis.pcall('rpush', 'q', i) end",
    "local s = '' for i = 1, 20 do s = s .. cjson.encode({i, tostring(i)}) end",
];

const ENDINGS: &[&str] = &[
    "return 1",
    "return {1, 'two', {3}, {ok = 'x'}, {err = 'y'}}",
    "return {map = {a = 1}, set = 1}",
    "return {double = 0/0}",
    "return redis.error_reply('boom')",
    "error('the end')",
    "error({err = 'CUSTOM end'})",
    "return cjson.null",
    "while true do end",
    "return nil",
];

fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn random_scripts_never_panic() {
    let cases: u64 = std::env::var("FERROUS_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000);
    let config = EngineConfig {
        memory_limit: Some(32 << 20),
        slice_fuel: 2_000,
        ..EngineConfig::default()
    };
    let mut engine = ScriptEngine::with_config(MemoryHost::new(), config).expect("engine");
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    for case in 0..cases {
        let mut script = String::new();
        for _ in 0..(next(&mut state) % 6) {
            let fragment = FRAGMENTS[(next(&mut state) % FRAGMENTS.len() as u64) as usize];
            script.push_str(fragment);
            script.push('\n');
        }
        script.push_str(ENDINGS[(next(&mut state) % ENDINGS.len() as u64) as usize]);
        let resp = if next(&mut state) % 4 == 0 { 3 } else { 2 };
        let ctx = CallContext {
            resp,
            ..CallContext::default()
        };
        let argv = vec![
            b"EVAL".to_vec(),
            script.clone().into_bytes(),
            b"1".to_vec(),
            b"key".to_vec(),
            b"arg".to_vec(),
        ];
        let mut poll = engine.start(&ctx, &argv);
        let mut slices = 0;
        while poll == Poll::Running {
            slices += 1;
            if slices == 20 {
                // Endless: kill it, or stop it hard when it wrote.
                if engine.script_kill() != Reply::ok() {
                    engine.abort_running();
                    break;
                }
            }
            poll = engine.resume();
        }
        assert!(!engine.is_running(), "case {case} still running:\n{script}");
        if case % 50 == 0 {
            engine.script_flush();
        }
    }
    assert_eq!(engine.eval(b"return 1", &[], &[]), Reply::Integer(1));
}
