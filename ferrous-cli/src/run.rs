//! `ferrous run FILE [ARGS]` (also `ferrous FILE`) and `ferrous -e CODE`: run Lua like `lua5.1`.
//!
//! The script gets its arguments as `...` and in the global `arg` (`arg[0]` is the script name),
//! output goes to stdout, and an uncaught error prints `ferrous: MESSAGE` and lua5.1's
//! `stack traceback:` to stderr with exit status 1.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use ferrous_vm::{Error, Value, Vm};

/// Runs a script file with arguments.
pub(crate) fn run_file(args: &[String]) -> anyhow::Result<ExitCode> {
    let Some((file, script_args)) = args.split_first() else {
        anyhow::bail!("usage: ferrous run FILE [ARGS]");
    };
    let mut vm = Vm::builder().build();
    set_arg_table(&mut vm, file, script_args)?;
    let source = match std::fs::read(file) {
        Ok(source) => source,
        Err(_) => {
            eprintln!("ferrous: cannot open {file}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let chunk_name = format!("@{file}");
    let f = match vm.load_file(&source, &chunk_name) {
        Ok(f) => f,
        Err(err) => return Ok(report(&err)),
    };
    let mut call_args = Vec::new();
    for a in script_args {
        call_args.push(vm.string_value(a.as_bytes())?);
    }
    Ok(call(&mut vm, f, &call_args))
}

/// Runs a chunk given on the command line.
pub(crate) fn run_code(code: &str) -> anyhow::Result<ExitCode> {
    let mut vm = Vm::builder().build();
    let f = match vm.load(code.as_bytes(), "=(command line)") {
        Ok(f) => f,
        Err(err) => return Ok(report(&err)),
    };
    Ok(call(&mut vm, f, &[]))
}

fn call(vm: &mut Vm, f: Value, args: &[Value]) -> ExitCode {
    vm.set_capture_traceback(true);
    match vm.call(f, args) {
        Ok(_) => ExitCode::SUCCESS,
        Err(err) => report(&err),
    }
}

/// Prints an error the way lua5.1's `report` does (nothing for a `nil` error value), and
/// returns the failure status.
pub(crate) fn report(err: &Error) -> ExitCode {
    if let Error::Runtime {
        value: Some(Value::Nil),
        ..
    } = err
    {
        return ExitCode::FAILURE;
    }
    let mut out = b"ferrous: ".to_vec();
    match err {
        Error::Runtime {
            message, traceback, ..
        } => {
            out.extend_from_slice(message);
            if let Some(tb) = traceback {
                out.push(b'\n');
                out.extend_from_slice(tb.as_bytes());
                out.extend_from_slice(b"\n\t[C]: ?");
            }
        }
        other => out.extend_from_slice(other.to_string().as_bytes()),
    }
    out.push(b'\n');
    let _ = std::io::stderr().lock().write_all(&out);
    ExitCode::FAILURE
}

/// The global `arg`: `arg[0]` the script, `arg[1..]` its arguments, `arg[-1]` the interpreter.
fn set_arg_table(vm: &mut Vm, file: &str, script_args: &[String]) -> anyhow::Result<()> {
    let t = vm.new_table(script_args.len(), 2).context("creating arg")?;
    let progname = vm.string_value(b"ferrous")?;
    vm.raw_set(t, Value::Number(-1.0), progname)?;
    let name = vm.string_value(file.as_bytes())?;
    vm.raw_set(t, Value::Number(0.0), name)?;
    for (i, a) in script_args.iter().enumerate() {
        let v = vm.string_value(a.as_bytes())?;
        vm.raw_set(t, Value::Number(i as f64 + 1.0), v)?;
    }
    vm.set_global("arg", Value::Table(t))?;
    Ok(())
}
