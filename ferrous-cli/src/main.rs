//! The `ferrous` command: one subcommand per module.
//!
//! - `ferrous check FILE` (`check.rs`): syntax check, like `luac5.1 -p`.
//! - `ferrous disasm FILE` (`disasm.rs`): bytecode listing, like `luac5.1 -l -l`.
//! - `ferrous run FILE [ARGS]` or `ferrous FILE [ARGS]` (`run.rs`): run a script like `lua5.1`.
//! - `ferrous -e CODE`: run a chunk given on the command line.
//! - `ferrous` alone (`repl.rs`): the interactive loop of `lua5.1 -i`.

use std::process::ExitCode;

mod check;
mod disasm;
mod repl;
mod run;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = args.get(1..).unwrap_or_default();
    let res = match args.first().map(String::as_str) {
        Some("check") => check::run(rest),
        Some("disasm") => disasm::run(rest),
        Some("run") => run::run_file(rest),
        Some("-e") => match rest.first() {
            Some(code) => run::run_code(code),
            None => Err(anyhow::anyhow!("'-e' needs argument")),
        },
        Some("--version" | "-v") => {
            eprintln!("ferrous {}", env!("CARGO_PKG_VERSION"));
            Ok(ExitCode::SUCCESS)
        }
        Some(_) => run::run_file(&args),
        None => repl::run(),
    };
    match res {
        Ok(code) => code,
        Err(err) => {
            eprintln!("ferrous: {err:#}");
            ExitCode::FAILURE
        }
    }
}
