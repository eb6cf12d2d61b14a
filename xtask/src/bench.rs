//! `cargo xtask bench`: the performance figures we publish.
//!
//! Runs every Lua program in `xtask/bench/` with the release `ferrous`, `lua5.1` and
//! `luajit -joff` in the same run (best of 3 wall-clock times each), checks that the outputs
//! agree, and prints each program's ratio to lua5.1 and the geometric mean. Then the heap
//! micro-benchmarks (`cargo bench -p ferrous-heap`) unless `--quick` is given.
//! `cargo xtask bench redis` measures the script engine instead (`bench_redis.rs`).
//!
//! Timing never goes in a test: this is the only place where Ferrous is timed.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

#[path = "bench_compile.rs"]
mod bench_compile;

const RUNS: usize = 3;

pub(crate) fn run(args: &[String]) -> Result<()> {
    if args.first().is_some_and(|a| a == "redis") {
        return crate::bench_redis::run();
    }
    crate::oracles::ensure()?;
    crate::cargo(&["build", "--release", "--quiet", "-p", "ferrous-cli"])?;
    let root = crate::workspace_root();
    let ferrous = root.join("target/release/ferrous");
    let dir = root.join("xtask/bench");
    let mut programs: Vec<String> = std::fs::read_dir(&dir)
        .context("reading xtask/bench")?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".lua"))
        .filter(|n| selected(args, n.trim_end_matches(".lua")))
        .collect();
    programs.sort();
    let luajit = crate::oracles::is_installed("luajit");
    println!(
        "{:<16} {:>10} {:>10} {:>10} {:>14}",
        "program", "ferrous", "lua5.1", "luajit-joff", "ferrous/lua5.1"
    );
    let mut log_sum = 0.0;
    for name in &programs {
        let script = dir.join(name);
        let (ours, our_out) = best_time(Command::new(&ferrous).arg("run").arg(&script))?;
        let (reference, ref_out) = best_time(Command::new("lua5.1").arg(&script))?;
        if our_out != ref_out {
            bail!(
                "{name}: output differs from lua5.1\n--- lua5.1\n{}\n--- ferrous\n{}",
                String::from_utf8_lossy(&ref_out),
                String::from_utf8_lossy(&our_out)
            );
        }
        let jit = if luajit {
            let (t, _) = best_time(Command::new("luajit").arg("-joff").arg(&script))?;
            format!("{:.3}s", t.as_secs_f64())
        } else {
            "-".to_owned()
        };
        let ratio = ours.as_secs_f64() / reference.as_secs_f64();
        log_sum += ratio.ln();
        println!(
            "{:<16} {:>9.3}s {:>9.3}s {:>10} {:>13.2}x",
            name.trim_end_matches(".lua"),
            ours.as_secs_f64(),
            reference.as_secs_f64(),
            jit,
            ratio
        );
    }
    if !programs.is_empty() {
        let geomean = (log_sum / programs.len() as f64).exp();
        println!("geometric mean ferrous/lua5.1: {geomean:.2}x (below 1.0 = faster than lua5.1)");
    }
    if args.iter().any(|a| a == "--quick") {
        return Ok(());
    }
    crate::cargo(&["bench", "-p", "ferrous-heap", "--", "--quick"])?;
    bench_compile_hook(&root)
}

/// Whether program `name` runs: every program unless names are given (`cargo xtask bench --quick
/// fib closures`).
fn selected(args: &[String], name: &str) -> bool {
    let mut names = args.iter().filter(|a| !a.starts_with("--")).peekable();
    names.peek().is_none() || names.any(|a| a == name)
}

/// Runs a command `RUNS` times; the best wall-clock time and the output of the last run.
fn best_time(cmd: &mut Command) -> Result<(Duration, Vec<u8>)> {
    let mut best = Duration::MAX;
    let mut out = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        let output = cmd
            .stderr(Stdio::inherit())
            .output()
            .with_context(|| format!("running {cmd:?}"))?;
        best = best.min(start.elapsed());
        if !output.status.success() {
            bail!("{cmd:?} failed ({})", output.status);
        }
        out = output.stdout;
    }
    Ok((best, out))
}

/// The compiler's benchmark (`ferrous check` against `luac5.1 -p`), when it exists.
fn bench_compile_hook(_root: &Path) -> Result<()> {
    bench_compile::run()
}
