//! `ferrous serve`: a Redis-compatible server over the script engine and the in-memory host.
//!
//! Being written (issue: `ferrous serve`).

use std::process::ExitCode;

/// The options of `ferrous serve`.
#[derive(clap::Args, Debug)]
pub(crate) struct ServeArgs {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    bind: String,
    /// The TCP port.
    #[arg(long, default_value_t = 6379)]
    port: u16,
}

pub(crate) fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!(
        "ferrous serve is not available yet ({}:{})",
        args.bind,
        args.port
    )
}
