//! `ferrous disasm FILE`: the bytecode listing, in the format of `luac5.1 -l -l FILE`.
//!
//! Compile errors are reported like `ferrous check` does (stderr, exit status 1). A binary chunk
//! (`luac5.1` output, `string.dump`) is read back and listed, as `luac5.1 -l` does.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, bail};

pub(crate) fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    let [file] = args else {
        bail!("usage: ferrous disasm FILE");
    };
    let source = std::fs::read(file).with_context(|| format!("cannot open {file}"))?;
    let chunk_name = [b"@", file.as_bytes()].concat();
    let module = if ferrous_compiler::is_binary_chunk(&source) {
        ferrous_compiler::undump(&source, &chunk_name).map_err(|e| e.message_bytes().to_vec())
    } else {
        ferrous_compiler::compile_file(&source, &chunk_name).map_err(|e| e.message_bytes().to_vec())
    };
    match module {
        Ok(module) => {
            std::io::stdout()
                .lock()
                .write_all(&ferrous_compiler::listing(&module))?;
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            let mut line = b"ferrous: ".to_vec();
            line.extend_from_slice(&err);
            line.push(b'\n');
            std::io::stderr().lock().write_all(&line)?;
            Ok(ExitCode::FAILURE)
        }
    }
}
