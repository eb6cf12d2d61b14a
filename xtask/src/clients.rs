//! `cargo xtask clients`: real client libraries against `ferrous serve` and redis-server 7.0 in
//! the same run, comparing what they print.
//!
//! Today: BullMQ (Node.js), the job queue whose ~50 Lua scripts (run by `EVALSHA`, using
//! `cmsgpack`, `cjson`, sorted sets, streams and `redis.pcall`) are the heaviest scripting
//! workload we know of. `xtask/clients/bullmq.mjs` prints only what does not depend on timing,
//! so both servers must print the same lines. Needs `node` and `npm` (the package is installed
//! into `target/clients` on first use); not part of `cargo xtask ci`, which does not require
//! Node.js.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::redis_ref::RedisServer;
use crate::redis_suite::Server;
use crate::release::build_ferrous;

const BULLMQ_VERSION: &str = "bullmq@5";

pub(crate) fn run() -> Result<()> {
    crate::oracles::ensure()?;
    let root = crate::workspace_root();
    let dir = root.join("target/clients");
    std::fs::create_dir_all(&dir)?;
    if !dir.join("node_modules/bullmq").is_dir() {
        npm(&dir, &["init", "-y"])?;
        npm(
            &dir,
            &["install", "--no-audit", "--no-fund", BULLMQ_VERSION],
        )?;
    }
    let script = dir.join("bullmq.mjs");
    std::fs::copy(root.join("xtask/clients/bullmq.mjs"), &script)?;
    let binary = build_ferrous()?;
    let reference = {
        let server = RedisServer::start()?;
        node(&script, server.port)?
    };
    let ours = {
        let server = Server::start(&binary)?;
        node(&script, server.port)?
    };
    println!("BullMQ on redis-server 7.0:\n{reference}");
    if ours != reference {
        println!("BullMQ on ferrous serve:\n{ours}");
        bail!("BullMQ printed something else on ferrous serve");
    }
    println!(
        "BullMQ: ferrous serve printed the same {} lines",
        ours.lines().count()
    );
    Ok(())
}

fn npm(dir: &Path, args: &[&str]) -> Result<()> {
    let status = Command::new("npm")
        .args(args)
        .current_dir(dir)
        .status()
        .context("running npm (cargo xtask clients needs Node.js and npm)")?;
    if !status.success() {
        bail!("npm {} failed", args.join(" "));
    }
    Ok(())
}

/// Runs the script against the server on `port`; its standard output, or an error with both
/// streams when it fails.
fn node(script: &Path, port: u16) -> Result<String> {
    let output = Command::new("node")
        .arg(script)
        .env("PORT", port.to_string())
        .output()
        .context("running node")?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() {
        bail!(
            "{} failed against port {port}:\n{stdout}{}",
            script.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(stdout)
}
