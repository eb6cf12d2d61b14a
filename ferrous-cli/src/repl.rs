//! `ferrous` without arguments: the interactive loop of `lua5.1 -i`.
//!
//! An expression typed without `=` prints its value too (as Lua 5.3+ does).
//! Lines are edited and remembered with `rustyline` (history in `~/.ferrous_history`). A line
//! starting with `=` is `return` + the rest; a chunk whose syntax error ends at `<eof>` is
//! incomplete and continues on the next line (prompt `>> `); results are printed with the global
//! `print`, errors as `ferrous: stdin:1: ...` with a traceback.

use std::process::ExitCode;

use ferrous_vm::{Error, Value, Vm};
use rustyline::DefaultEditor;
use rustyline::error::ReadlineError;

pub(crate) fn run() -> anyhow::Result<ExitCode> {
    eprintln!("Ferrous {} (Lua 5.1)", env!("CARGO_PKG_VERSION"));
    let mut vm = Vm::builder().build();
    crate::handler::remember_builtin(&mut vm);
    run_with(vm)
}

/// The loop on a VM that may already have run a script (`ferrous -i FILE`).
pub(crate) fn run_with(mut vm: Vm) -> anyhow::Result<ExitCode> {
    vm.set_capture_traceback(true);
    let mut editor = DefaultEditor::new()?;
    let history = std::env::var_os("HOME")
        .map(|home| std::path::PathBuf::from(home).join(".ferrous_history"));
    if let Some(path) = &history {
        let _ = editor.load_history(path);
    }
    let mut chunk = String::new();
    loop {
        let prompt = if chunk.is_empty() { "> " } else { ">> " };
        let line = match editor.readline(prompt) {
            Ok(line) => line,
            Err(ReadlineError::Interrupted) => {
                chunk.clear();
                continue;
            }
            Err(ReadlineError::Eof) => break,
            Err(err) => return Err(err.into()),
        };
        if chunk.is_empty() {
            chunk = match line.strip_prefix('=') {
                Some(expr) => format!("return {expr}"),
                // An expression typed alone prints its value, as in Lua 5.3's REPL.
                None if is_expression(&line) => format!("return {line}"),
                None => line,
            };
        } else {
            chunk.push('\n');
            chunk.push_str(&line);
        }
        let f = match vm.load(chunk.as_bytes(), "=stdin") {
            Ok(f) => f,
            Err(Error::Syntax(e)) if e.message_bytes().ends_with(b"'<eof>'") => continue,
            Err(err) => {
                let _ = editor.add_history_entry(chunk.as_str());
                crate::run::report(&err);
                chunk.clear();
                continue;
            }
        };
        let _ = editor.add_history_entry(chunk.as_str());
        chunk.clear();
        match vm.call(f, &[]) {
            Ok(results) if !results.is_empty() => print_results(&mut vm, &results),
            Ok(_) => {}
            Err(err) => {
                let err = crate::handler::apply(&mut vm, err);
                crate::run::report(&err);
                crate::run::release(&mut vm, err);
            }
        }
    }
    if let Some(path) = &history {
        let _ = editor.save_history(path);
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether `line` compiles as `return line`: an expression to print rather than a statement.
fn is_expression(line: &str) -> bool {
    ferrous_compiler::compile(format!("return {line}").as_bytes(), b"=stdin").is_ok()
}

/// Prints results with the global `print`, as lua5.1's REPL does.
fn print_results(vm: &mut Vm, results: &[Value]) {
    let print = vm.get_global("print").unwrap_or(Value::Nil);
    if let Err(err) = vm.call(print, results) {
        crate::run::report(&err);
        crate::run::release(vm, err);
    }
}
