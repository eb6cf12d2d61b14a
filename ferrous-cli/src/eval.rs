//! `ferrous eval SCRIPT NUMKEYS [KEY...] [ARG...]` (or `--file PATH NUMKEYS ...`): one script
//! against a fresh in-memory host, its reply printed exactly as `redis-cli` prints it:
//! formatted on a terminal, raw when piped, `--raw`/`--no-raw` to choose.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use ferrous_redis::{CallContext, MemoryHost, Reply, ScriptEngine};

/// The arguments of `ferrous eval`.
#[derive(clap::Args, Debug)]
pub(crate) struct EvalArgs {
    /// Read the script from this file instead of the first argument.
    #[arg(long, value_name = "PATH")]
    file: Option<std::path::PathBuf>,
    /// Print the reply raw, as `redis-cli --raw` (the default when stdout is not a terminal).
    #[arg(long, conflicts_with = "no_raw")]
    raw: bool,
    /// Print the reply formatted, as `redis-cli --no-raw` (the default on a terminal).
    #[arg(long)]
    no_raw: bool,
    /// Speak RESP3 (as `redis-cli -3`).
    #[arg(short = '3', long = "resp3")]
    resp3: bool,
    /// The script (unless --file), then NUMKEYS, the keys and the arguments.
    #[arg(
        value_name = "SCRIPT NUMKEYS [KEY...] [ARG...]",
        allow_hyphen_values = true
    )]
    rest: Vec<std::ffi::OsString>,
}

pub(crate) fn run(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let mut rest: Vec<Vec<u8>> = args
        .rest
        .iter()
        .map(|a| a.as_encoded_bytes().to_vec())
        .collect();
    let script = match &args.file {
        Some(path) => std::fs::read(path).with_context(|| format!("reading {}", path.display()))?,
        None if rest.is_empty() => {
            anyhow::bail!("usage: ferrous eval SCRIPT NUMKEYS [KEY...] [ARG...]")
        }
        None => rest.remove(0),
    };
    let mut argv = vec![b"EVAL".to_vec(), script];
    argv.extend(rest);
    let mut engine = ScriptEngine::new(MemoryHost::new())?;
    let resp = if args.resp3 { 3 } else { 2 };
    let ctx = CallContext {
        resp,
        ..CallContext::default()
    };
    let reply = engine.command(&ctx, &argv);
    let raw = args.raw || (!args.no_raw && !std::io::stdout().is_terminal());
    print_reply(&reply, resp, raw)
}

/// Prints a reply as redis-cli would after receiving it in protocol `resp`.
fn print_reply(reply: &Reply, resp: u8, raw: bool) -> anyhow::Result<ExitCode> {
    let mut wire = Vec::new();
    ferrous_redis::encode_reply(reply, resp, &mut wire);
    let received = match ferrous_redis::parse_reply(&wire) {
        Ok(Some((received, _))) => received,
        _ => reply.clone(),
    };
    let text = if raw {
        ferrous_redis::render_raw(&received)
    } else {
        ferrous_redis::render_no_raw_bytes(&received)
    };
    let text = match text {
        Ok(text) => text,
        Err(err) => {
            eprintln!("{err}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let mut out = std::io::stdout().lock();
    out.write_all(&text)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
