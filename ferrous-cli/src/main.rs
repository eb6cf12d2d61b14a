//! The `ferrous` command: one subcommand per module.
//!
//! - `ferrous check FILE` (`check.rs`): syntax check, like `luac5.1 -p`.
//! - `ferrous disasm FILE` (`disasm.rs`): bytecode listing, like `luac5.1 -l -l`.
//! - `ferrous run FILE`: needs the VM, which has not landed yet; it says so and fails.

use std::process::ExitCode;

mod check;
mod disasm;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = args.get(1..).unwrap_or_default();
    let res = match args.first().map(String::as_str) {
        Some("check") => check::run(rest),
        Some("disasm") => disasm::run(rest),
        Some("--version" | "-v") => {
            eprintln!("ferrous {}", env!("CARGO_PKG_VERSION"));
            Ok(ExitCode::SUCCESS)
        }
        _ => Err(anyhow::anyhow!(
            "running Lua is not implemented yet (the VM has not landed)"
        )),
    };
    match res {
        Ok(code) => code,
        Err(err) => {
            eprintln!("ferrous: {err:#}");
            ExitCode::FAILURE
        }
    }
}
