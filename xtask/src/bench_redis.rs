//! `cargo xtask bench redis`: EVALSHA throughput of typical scripts, in process on Ferrous's
//! engine over `MemoryHost` (`ferrous-redis/examples/evalsha_bench.rs`), against the same scripts
//! on a real redis-server 7.0 driven by `redis-benchmark -P 64` (4 clients), in the same run.

use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::redis_ref::RedisServer;

/// The scripts (`name`, `script`, `keys`, `args`; `$DOC` in an argument is the 9 KB JSON
/// document `doc10k.json`), shared with `ferrous-redis/examples/evalsha_bench.rs`.
const SCRIPTS: &str = include_str!("../../ferrous-redis/examples/bench_scripts.json");
const DOC: &str = include_str!("../../ferrous-redis/examples/doc10k.json");

const CALLS: usize = 200_000;

pub(crate) fn run() -> Result<()> {
    crate::oracles::ensure()?;
    let root = crate::workspace_root();
    crate::cargo(&[
        "build",
        "--release",
        "--quiet",
        "-p",
        "ferrous-redis",
        "--example",
        "evalsha_bench",
    ])?;
    let output = Command::new(root.join("target/release/examples/evalsha_bench"))
        .arg(CALLS.to_string())
        .output()
        .context("running evalsha_bench")?;
    if !output.status.success() {
        bail!(
            "evalsha_bench failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let ours = String::from_utf8_lossy(&output.stdout).into_owned();
    let server = RedisServer::start()?;
    println!(
        "{:<12} {:>16} {:>22} {:>8}",
        "script", "ferrous ops/s", "redis-server -P64 ops/s", "ratio"
    );
    let scripts: Vec<serde_json::Value> =
        serde_json::from_str(SCRIPTS).context("bench_scripts.json")?;
    for entry in &scripts {
        let text = |field: &str| entry[field].as_str().unwrap_or_default().to_owned();
        let list = |field: &str| -> Vec<String> {
            entry[field]
                .as_array()
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|v| v.as_str())
                        .map(|v| v.replace("$DOC", DOC))
                        .collect()
                })
                .unwrap_or_default()
        };
        let (name, script, keys, args) = (text("name"), text("script"), list("keys"), list("args"));
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let ours: f64 = ours
            .lines()
            .find_map(|l| {
                l.strip_prefix(name.as_str())
                    .and_then(|r| r.trim().parse().ok())
            })
            .with_context(|| format!("no figure for {name}"))?;
        let theirs = redis_benchmark(server.port, &script, &keys, &args)?;
        println!(
            "{name:<12} {ours:>16.0} {theirs:>22.0} {:>7.2}x",
            ours / theirs
        );
    }
    Ok(())
}

/// `redis-benchmark -P 64 -c 4 EVALSHA ...`: requests per second.
fn redis_benchmark(port: u16, script: &str, keys: &[&str], args: &[&str]) -> Result<f64> {
    let cli = |args: &[&str]| -> Result<String> {
        let out = Command::new("redis-cli")
            .args(["-p", &port.to_string()])
            .args(args)
            .output()
            .context("running redis-cli")?;
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    let sha = cli(&["SCRIPT", "LOAD", script])?;
    let numkeys = keys.len().to_string();
    let mut command = vec!["EVALSHA", sha.as_str(), numkeys.as_str()];
    command.extend(keys);
    command.extend(args);
    let out = Command::new("redis-benchmark")
        .args(["-p", &port.to_string(), "-c", "4", "-P", "64", "-q"])
        .args(["-n", &CALLS.to_string()])
        .args(&command)
        .output()
        .context("running redis-benchmark")?;
    let text = String::from_utf8_lossy(&out.stdout);
    let last = text.rsplit('\r').next().unwrap_or_default();
    last.split_whitespace()
        .zip(last.split_whitespace().skip(1))
        .find(|(_, unit)| *unit == "requests")
        .and_then(|(n, _)| n.parse().ok())
        .with_context(|| format!("unexpected redis-benchmark output: {text}"))
}
