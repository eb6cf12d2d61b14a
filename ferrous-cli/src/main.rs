//! The `ferrous` command.
//!
//! Running Lua files needs the VM, which has not landed yet; until then every command says so and
//! exits with a failure status instead of pretending.

use anyhow::{Result, bail};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--version" | "-v") => {
            eprintln!("ferrous {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        _ => bail!("ferrous: running Lua is not implemented yet (the VM has not landed)"),
    }
}
