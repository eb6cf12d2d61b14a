//! `ferrous disasm`: lands with the compiler issue.

use std::process::ExitCode;

pub(crate) fn run(_args: &[String]) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`ferrous disasm` is not implemented yet (the compiler has not landed)")
}
