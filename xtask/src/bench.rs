//! `cargo xtask bench`: the performance figures we publish.
//!
//! Today it runs the heap micro-benchmarks (`cargo bench -p ferrous-heap`). The Lua program
//! benchmarks, timed against `lua5.1` and `luajit -joff` in the same run and printed as ratios,
//! arrive with the VM (`ferrous run`); until then this says so instead of printing numbers it
//! does not have.

use anyhow::Result;

pub(crate) fn run(args: &[String]) -> Result<()> {
    let mut cargo_args = vec!["bench", "-p", "ferrous-heap", "--"];
    cargo_args.extend(args.iter().map(String::as_str));
    crate::cargo(&cargo_args)?;
    println!(
        "xtask bench: Lua program benchmarks against lua5.1 need `ferrous run`, which does not exist yet"
    );
    Ok(())
}
