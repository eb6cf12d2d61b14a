//! In-process EVALSHA throughput over `MemoryHost`, for `cargo xtask bench redis`, which runs the
//! same scripts on redis-server with `redis-benchmark -P 64` and prints the ratios.
//!
//! Prints one line per script: `name ops_per_second` (best of 3 runs of `N` calls; `N` is the
//! first argument, 200,000 by default; a second argument runs only that script). The scripts are
//! in `bench_scripts.json`, which xtask reads too.

use std::time::Instant;

use ferrous_redis::{CallContext, MemoryHost, Reply, ScriptEngine};

/// A 9 KB JSON document (90 objects), for the cjson and cmsgpack scripts (`$DOC` in an
/// argument).
const DOC: &str = include_str!("doc10k.json");

/// The scripts, shared with `cargo xtask bench redis` (which runs them on redis-server).
const SCRIPTS: &str = include_str!("bench_scripts.json");

#[derive(serde::Deserialize)]
struct Script {
    name: String,
    script: String,
    keys: Vec<String>,
    args: Vec<String>,
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200_000);
    let only = std::env::args().nth(2);
    let ctx = CallContext::default();
    let Ok(scripts) = serde_json::from_str::<Vec<Script>>(SCRIPTS) else {
        eprintln!("bench_scripts.json is not valid");
        std::process::exit(1);
    };
    for Script {
        name,
        script,
        keys,
        args,
    } in &scripts
    {
        if only.as_deref().is_some_and(|only| only != name) {
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
        argv.extend(args.iter().map(|a| a.replace("$DOC", DOC).into_bytes()));
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
