//! In-process EVALSHA throughput over `MemoryHost`, for `cargo xtask bench redis`, which runs the
//! same scripts on redis-server with `redis-benchmark -P 64` and prints the ratios.
//!
//! Prints one line per script: `name ops_per_second` (best of 3 runs of `N` calls; `N` is the
//! first argument, 200,000 by default; a second argument runs only that script). The scripts are `SCRIPTS`, shared with xtask by name.

use std::time::Instant;

use ferrous_redis::{CallContext, MemoryHost, Reply, ScriptEngine};

/// name, script, keys, args: the same table is in xtask/src/bench_redis.rs.
const SCRIPTS: &[(&str, &str, &[&str], &[&str])] = &[
    (
        "counter",
        "return redis.call('incr', KEYS[1])",
        &["counter"],
        &[],
    ),
    (
        "ratelimit",
        "local c = redis.call('incr', KEYS[1]) if c == 1 then redis.call('expire', KEYS[1], ARGV[1]) end return c",
        &["rl"],
        &["60"],
    ),
    (
        "lock",
        "if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', 30000) then redis.call('del', KEYS[1]) return 1 end return 0",
        &["lock"],
        &["token"],
    ),
    (
        "tencalls",
        "for i = 1, 10 do redis.call('hset', KEYS[1], 'f' .. i, i) end return redis.call('hlen', KEYS[1])",
        &["h"],
        &[],
    ),
    (
        "json",
        "local d = cjson.decode(ARGV[1]) d.n = d.n + 1 local s = cjson.encode(d) redis.call('set', KEYS[1], s) return s",
        &["doc"],
        &["{\"n\":1,\"name\":\"widget\",\"tags\":[\"a\",\"b\",\"c\"],\"price\":12.5}"],
    ),
];

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200_000);
    let only = std::env::args().nth(2);
    let ctx = CallContext::default();
    for (name, script, keys, args) in SCRIPTS {
        if only.as_deref().is_some_and(|only| only != *name) {
            continue;
        }
        let Ok(mut engine) = ScriptEngine::new(MemoryHost::new()) else {
            eprintln!("cannot build the engine");
            std::process::exit(1);
        };
        let Reply::Bulk(sha) = engine.script_load(script.as_bytes()) else {
            eprintln!("{name}: SCRIPT LOAD failed");
            std::process::exit(1);
        };
        let mut argv = vec![
            b"EVALSHA".to_vec(),
            sha,
            keys.len().to_string().into_bytes(),
        ];
        argv.extend(keys.iter().map(|k| k.as_bytes().to_vec()));
        argv.extend(args.iter().map(|a| a.as_bytes().to_vec()));
        let mut best = f64::MAX;
        for _ in 0..3 {
            let start = Instant::now();
            for _ in 0..n {
                if let Reply::Error(e) = engine.command(&ctx, &argv) {
                    eprintln!("{name}: {}", String::from_utf8_lossy(&e));
                    std::process::exit(1);
                }
            }
            best = best.min(start.elapsed().as_secs_f64());
        }
        #[expect(clippy::print_stdout, reason = "the report xtask reads")]
        {
            println!("{name} {:.0}", n as f64 / best);
        }
    }
}
