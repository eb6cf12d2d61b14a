//! `ferrous check FILE`: syntax check, like `luac5.1 -p FILE`.
//!
//! Silent with exit status 0 when the file compiles; otherwise prints
//! `ferrous: FILE:LINE: message` to stderr (as `luac5.1:` does) and exits with status 1.
//! The file is compiled like `luaL_loadfile` (chunk name `@FILE`, `#` first line skipped).

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, bail};

pub(crate) fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    let [file] = args else {
        bail!("usage: ferrous check FILE");
    };
    let source = std::fs::read(file).with_context(|| format!("cannot open {file}"))?;
    let chunk_name = [b"@", file.as_bytes()].concat();
    match ferrous_compiler::compile_file(&source, &chunk_name) {
        Ok(_) => Ok(ExitCode::SUCCESS),
        Err(err) => {
            let mut stderr = std::io::stderr().lock();
            let mut line = b"ferrous: ".to_vec();
            line.extend_from_slice(err.message_bytes());
            line.push(b'\n');
            stderr.write_all(&line)?;
            Ok(ExitCode::FAILURE)
        }
    }
}
