//! `cargo xtask`: the project's development tasks, in Rust so they run the same everywhere.
//!
//! - `cargo xtask ci`: everything CI checks (oracles installed, crate layering, fmt, clippy, tests).
//! - `cargo xtask bench`: benchmarks against `lua5.1`, `lua5.4` and `luajit`: time and memory ratios.
//! - `cargo xtask bench serve`: `redis-benchmark` against `ferrous serve` and `redis-server`.
//! - `cargo xtask bench ops`: the cost of single operations (calls, upvalues, ...) against lua5.1.
//! - `cargo xtask bench against BINARY`: this tree's `ferrous` against an earlier build.
//! - `cargo xtask redis-suites`: Redis's Tcl suites against `ferrous serve`, as counts.
//! - `cargo xtask clients`: BullMQ against `ferrous serve` and `redis-server`, outputs compared.
//! - `cargo xtask hot-order`: regenerates `ferrous-cli/link/hot.ld` from callgrind profiles.
//!
//! Invariant: under `CI=true` a missing reference program (`lua5.1`, `luac5.1`) is a failure, never
//! a silent skip; elsewhere `cargo xtask` installs it with apt-get when it can.

#![expect(clippy::print_stdout, reason = "xtask reports to the terminal")]

mod bench;
mod bench_ab;
mod bench_copies;
mod bench_ops;
mod bench_redis;
mod bench_rss;
mod bench_serve;
mod callgrind;
mod clients;
mod hot_order;
mod layering;
mod lua_suite;
mod machine;
mod oracles;
mod redis_ref;
mod redis_suite;
mod release;

use std::process::Command;

use anyhow::{Context, Result, bail};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = args.first().map(String::as_str).unwrap_or("help");
    match task {
        "ci" => ci(),
        "bench" if args.get(1).is_some_and(|a| a == "serve") => bench_serve::run(),
        "bench" if args.get(1).is_some_and(|a| a == "ops") => bench_ops::run(&args[2..]),
        "bench" => bench::run(&args[1..]),
        "layering" => layering::check(),
        "oracles" => oracles::ensure(),
        "redis-suites" => redis_suite::all(),
        "redis-scripting" => redis_suite::ci(),
        "lua-suite" => lua_suite::run(),
        // Hidden: the bench's measuring wrapper (bench_rss.rs).
        "rss" => bench_rss::child(&args[1..]),
        "clients" => clients::run(),
        "hot-order" => hot_order::run(&args[1..]),
        _ => {
            println!(
                "usage: cargo xtask <task>\n\n\
                 tasks:\n  \
                 ci         layering check, fmt check, clippy, rustdoc, the whole test suite (with oracles)\n  \
                 bench      time and peak RSS against lua5.1, lua5.4, luajit, as ratios [--quick] [PROGRAM...]\n  \
                 bench redis  EVALSHA throughput in process against redis-server -P 64\n  \
                 bench serve  redis-benchmark against ferrous serve and redis-server 7.0\n  \
                 bench ops  per-operation time (or --instructions) against lua5.1 [OP...]\n  \
                 bench against BINARY  this tree's ferrous against an earlier build [PROGRAM...]\n  \
                 clients    BullMQ (Node.js) against ferrous serve and redis-server 7.0, outputs compared\n  \
                 hot-order  regenerate ferrous-cli/link/hot.ld (hot functions first) from callgrind runs [--reuse]\n  \
                 layering   check that crates only depend on the layers beneath them\n  \
                 oracles    install the reference programs (lua5.1, luac5.1) when missing\n  \
                 lua-suite  the official Lua 5.1 suite under ferrous run (the ci step)\n  \
                 redis-suites  Redis's Tcl suites (scripting, data types, protocol, info) against ferrous serve\n  \
                 redis-scripting  the CI step alone: unit/scripting, failing on unexpected [err]s"
            );
            Ok(())
        }
    }
}

/// Everything CI checks, in the order that fails fastest.
fn ci() -> Result<()> {
    oracles::ensure()?;
    step("layering", layering::check)?;
    step("fmt", || cargo(&["fmt", "--all", "--check"]))?;
    step("clippy", || {
        cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ])
    })?;
    step("doc", || {
        // The library crates' API docs (what docs.rs shows) build without broken links.
        cargo_env(
            &["doc", "--workspace", "--no-deps", "--quiet"],
            &[("RUSTDOCFLAGS", "-D warnings")],
        )
    })?;
    step("test", || {
        // The Redis transcripts replay on a real redis-server 7.0 as well as on the engine.
        let reference = redis_ref::RedisServer::start();
        let address = match &reference {
            Ok(server) => format!("127.0.0.1:{}", server.port),
            Err(err) if std::env::var("CI").is_ok_and(|v| v == "true") => {
                bail!("no reference redis-server (CI=true: cannot skip): {err:#}")
            }
            Err(err) => {
                println!(
                    "warning: no reference redis-server ({err:#}); transcripts run on the engine only"
                );
                String::new()
            }
        };
        // Snapshot tests must not write new snapshots in CI: a missing or changed snapshot fails.
        cargo_env(
            &["test", "--workspace", "--quiet"],
            &[
                ("INSTA_UPDATE", "no"),
                ("FERROUS_REDIS_REFERENCE", &address),
            ],
        )
    })?;
    step("test-release-loop", || {
        // Optimized builds run the loader's specialized instructions in arms of their own,
        // which debug builds leave out (ferrous-vm's `specialize.rs`): the Lua conformance
        // scripts, the random programs compared with lua5.1 and the read-only tables' writes
        // run on them too.
        cargo(&[
            "test",
            "--release",
            "--quiet",
            "-p",
            "ferrous-vm",
            "--test",
            "conformance",
            "--test",
            "differential",
            "--test",
            "fuzz",
            "--test",
            "readonly",
        ])
    })?;
    // Redis's own scripting suite against `ferrous serve` (tclsh comes with the oracles).
    step("lua-5.1-tests", lua_suite::run)?;
    step(
        "redis-suite unit/scripting unit/functions unit/multi",
        redis_suite::ci,
    )?;
    println!("xtask ci: all checks passed");
    Ok(())
}

fn step(name: &str, f: impl FnOnce() -> Result<()>) -> Result<()> {
    println!("== {name}");
    f().with_context(|| format!("ci step `{name}` failed"))
}

pub(crate) fn cargo(args: &[&str]) -> Result<()> {
    cargo_env(args, &[])
}

pub(crate) fn cargo_env(args: &[&str], envs: &[(&str, &str)]) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(&cargo)
        .args(args)
        .envs(envs.iter().copied())
        .current_dir(workspace_root())
        .status()
        .with_context(|| format!("running {cargo} {}", args.join(" ")))?;
    if !status.success() {
        bail!("`cargo {}` failed ({status})", args.join(" "));
    }
    Ok(())
}

/// The workspace root: the parent of this crate's manifest directory.
pub(crate) fn workspace_root() -> std::path::PathBuf {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}
