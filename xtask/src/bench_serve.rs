//! `cargo xtask bench serve`: `redis-benchmark` against `ferrous serve` and `redis-server` 7.0
//! in the same run, printed as requests per second and their ratio.
//!
//! Cases: PING, SET, GET, EVALSHA of a one-call script, of a ten-call script and of a cjson
//! round trip; each with 50 clients, then with 4 clients pipelining 64 requests (`-P 64`,
//! server-bound). Both servers start on free loopback ports and are stopped on drop.

use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::redis_ref::RedisServer;
use crate::redis_suite::Server;

/// Requests per case and configuration.
const REQUESTS: &str = "100000";

/// `(label, script)`: the scripts run through EVALSHA.
const SCRIPTS: &[(&str, &str)] = &[
    (
        "EVALSHA 1 call",
        "return redis.call('set', KEYS[1], ARGV[1])",
    ),
    (
        "EVALSHA 10 calls",
        "for i = 1, 10 do redis.call('incr', KEYS[1]) end return 1",
    ),
    (
        "EVALSHA cjson",
        "return cjson.encode(cjson.decode(ARGV[1]))",
    ),
];

/// `SCRIPT LOAD` through redis-cli; the SHA1.
fn script_load(port: u16, body: &str) -> Result<String> {
    let out = Command::new("redis-cli")
        .args(["-p", &port.to_string(), "script", "load", body])
        .output()
        .context("running redis-cli")?;
    let sha = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    if sha.len() != 40 {
        bail!("SCRIPT LOAD on port {port} answered {sha:?}");
    }
    Ok(sha)
}

/// Runs redis-benchmark; the requests per second it reports.
fn benchmark(port: u16, clients: &str, pipeline: &str, command: &[&str]) -> Result<f64> {
    let out = Command::new("redis-benchmark")
        .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-q"])
        .args(["-n", REQUESTS, "-c", clients, "-P", pipeline])
        .args(command)
        .output()
        .context("running redis-benchmark (Debian redis-tools)")?;
    let text = String::from_utf8_lossy(&out.stdout);
    // `-q` prints lines like `ping: 123456.79 requests per second, p50=0.2 msec`, with progress
    // updates before them on carriage returns.
    text.split(['\r', '\n'])
        .filter_map(|line| {
            let (_, rest) = line.split_once(": ")?;
            let number = rest.split_whitespace().next()?;
            rest.contains("requests per second")
                .then(|| number.parse::<f64>().ok())
                .flatten()
        })
        .next_back()
        .with_context(|| format!("no figure in redis-benchmark's output: {text}"))
}

pub(crate) fn run() -> Result<()> {
    let binary = crate::release::build_ferrous()?;
    let ours = Server::start(&binary)?;
    let reference = RedisServer::start()?;
    let mut cases: Vec<(String, Vec<String>)> = vec![
        ("PING".to_owned(), vec!["ping".to_owned()]),
        (
            "SET".to_owned(),
            vec!["set".to_owned(), "k".to_owned(), "v".to_owned()],
        ),
        ("GET".to_owned(), vec!["get".to_owned(), "k".to_owned()]),
    ];
    for (label, body) in SCRIPTS {
        let sha = script_load(ours.port, body)?;
        let reference_sha = script_load(reference.port, body)?;
        if sha != reference_sha {
            bail!("{label}: the SHA1s differ ({sha} vs {reference_sha})");
        }
        // The ten-call script counts in a key of its own (SET left a string in `k`).
        let key = if label.ends_with("10 calls") {
            "n"
        } else {
            "k"
        };
        let arg = if label.ends_with("cjson") {
            r#"{"a":[1,2,3],"b":{"c":"d"},"e":1.5}"#
        } else {
            "v"
        };
        cases.push((
            (*label).to_owned(),
            vec![
                "evalsha".to_owned(),
                sha,
                "1".to_owned(),
                key.to_owned(),
                arg.to_owned(),
            ],
        ));
    }
    println!(
        "{:<18} {:>8} {:>14} {:>14} {:>8}",
        "case", "clients", "ferrous rps", "redis rps", "ratio"
    );
    for (clients, pipeline) in [("50", "1"), ("4", "64")] {
        for (label, command) in &cases {
            let command: Vec<&str> = command.iter().map(String::as_str).collect();
            let a = benchmark(ours.port, clients, pipeline, &command)?;
            let b = benchmark(reference.port, clients, pipeline, &command)?;
            let config = if pipeline == "1" {
                clients.to_owned()
            } else {
                format!("{clients} -P{pipeline}")
            };
            println!(
                "{label:<18} {config:>8} {a:>14.0} {b:>14.0} {:>7.2}x",
                a / b
            );
        }
    }
    Ok(())
}
