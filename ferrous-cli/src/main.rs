//! The `ferrous` command: one subcommand per module.
//!
//! - `ferrous run FILE [ARGS]`, `ferrous FILE [ARGS]`, `ferrous -e CODE`, `ferrous -` and
//!   `ferrous` alone: Lua like `lua5.1` (`run.rs`, `repl.rs`; lua.c's own argument grammar).
//! - `ferrous check FILE` (`check.rs`): syntax check, like `luac5.1 -p`.
//! - `ferrous disasm FILE` (`disasm.rs`): bytecode listing, like `luac5.1 -l -l`.
//! - `ferrous eval SCRIPT NUMKEYS ...` (`eval.rs`): a Redis script, printed like `redis-cli`.
//! - `ferrous serve` (`serve/`): the Redis-compatible server.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod check;
mod disasm;
mod eval;
mod handler;
mod repl;
mod run;
mod serve;

const EXAMPLES: &str = "\
Examples:
  ferrous script.lua a b             run a Lua file with arguments (as lua5.1)
  ferrous -e 'print(1 + 1)'          run a chunk given on the command line
  ferrous                            interactive REPL
  ferrous check script.lua           syntax check (as luac5.1 -p)
  ferrous disasm script.lua          bytecode listing (as luac5.1 -l -l)
  ferrous eval \"return redis.call('incr', KEYS[1])\" 1 counter
                                     run a Redis script against a fresh in-memory keyspace
  ferrous serve --port 6379          Redis-compatible server on 127.0.0.1";

/// A memory-safe Lua 5.1 VM with Redis 7.0 scripting.
#[derive(Parser, Debug)]
#[command(name = "ferrous", version, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run a Lua file (as `lua5.1 FILE ARGS`).
    Run {
        /// The script and its arguments.
        #[arg(required = true, allow_hyphen_values = true, trailing_var_arg = true)]
        args: Vec<String>,
    },
    /// Check the syntax of Lua files (as `luac5.1 -p`).
    Check {
        /// The files.
        #[arg(required = true)]
        files: Vec<String>,
    },
    /// Print the bytecode listing of a Lua file (as `luac5.1 -l -l`).
    Disasm {
        /// The file.
        #[arg(required = true)]
        files: Vec<String>,
    },
    /// Run a Redis script (EVAL) against a fresh in-memory keyspace; print the reply as redis-cli.
    Eval(eval::EvalArgs),
    /// Serve the Redis protocol (scripts, functions, the in-memory keyspace).
    Serve(serve::ServeArgs),
    /// The interactive Lua REPL.
    Repl,
}

const SUBCOMMANDS: &[&str] = &[
    "run",
    "check",
    "disasm",
    "eval",
    "serve",
    "repl",
    "help",
    "--help",
    "-h",
    "--version",
    "-V",
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let first = args.get(1).map(String::as_str);
    let res = match first {
        // `ferrous run FILE [ARGS]` without clap, which is what `run`'s arguments amount to when
        // the first one is not an option: building clap's parser for every subcommand was
        // about 1 MB of the peak RSS of a short script run this way (`cargo xtask bench`).
        Some("run") if args.get(2).is_some_and(|file| !file.starts_with('-')) => {
            run::run_file(args.get(2..).unwrap_or_default())
        }
        Some(word) if SUBCOMMANDS.contains(&word) => subcommand(Cli::parse().command),
        // lua.c's grammar: options, then a script (or `-`) and its arguments.
        _ => run::lua_main(args.get(1..).unwrap_or_default()),
    };
    match res {
        Ok(code) => code,
        Err(err) => {
            eprintln!("ferrous: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn subcommand(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Run { args } => run::run_file(&args),
        Command::Check { files } => check::run(&files),
        Command::Disasm { files } => disasm::run(&files),
        Command::Eval(args) => eval::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Repl => repl::run(),
    }
}
