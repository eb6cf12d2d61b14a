//! `ferrous run FILE [ARGS]` (also `ferrous FILE`) and `ferrous -e CODE`: run Lua like `lua5.1`.
//!
//! The script gets its arguments as `...` and in the global `arg` (`arg[0]` is the script name),
//! output goes to stdout, and an uncaught error prints `ferrous: MESSAGE` and lua5.1's
//! `stack traceback:` to stderr with exit status 1.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use ferrous_vm::{Error, ErrorValue, Value, Vm};

/// lua.c's command line: `[-e CODE] [-l MODULE] [-i] [-v] [--] [SCRIPT|- [ARGS]]`, handled in
/// order on one VM. Without a script or `-e`: the REPL on a terminal, else standard input.
pub(crate) fn lua_main(args: &[String]) -> anyhow::Result<ExitCode> {
    let mut vm = Vm::builder().build();
    vm.set_capture_traceback(true);
    crate::handler::remember_builtin(&mut vm);
    let mut interactive = false;
    let mut ran_something = false;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "-i" => interactive = true,
            "-v" => {
                eprintln!("Ferrous {} (Lua 5.1)", env!("CARGO_PKG_VERSION"));
                ran_something = true;
            }
            opt if opt.starts_with("-e") || opt.starts_with("-l") => {
                // lua.c takes the argument attached (`-lname`) or as the next word.
                let flag = &opt[..2];
                let attached = opt.get(2..).filter(|rest| !rest.is_empty());
                let value = match attached {
                    Some(rest) => rest.to_owned(),
                    None => {
                        let Some(value) = args.get(i + 1) else {
                            eprintln!("ferrous: '{flag}' needs argument");
                            return Ok(usage());
                        };
                        i += 1;
                        value.clone()
                    }
                };
                // `-e` runs its chunk; `-l` calls the global `require` with the name, as
                // lua.c's `dolibrary` does (so its errors carry no chunk position).
                let (f, call_args) = if flag == "-e" {
                    match vm.load(value.as_bytes(), "=(command line)") {
                        Ok(f) => (f, Vec::new()),
                        Err(err) => return Ok(report(&err)),
                    }
                } else {
                    let require = vm.get_global("require")?;
                    let name = Value::String(vm.intern(value.as_bytes())?);
                    (require, vec![name])
                };
                if let Err(err) = vm.call(f, &call_args) {
                    let err = crate::handler::apply(&mut vm, err);
                    return Ok(report(&err));
                }
                ran_something = true;
            }
            "--" => {
                i += 1;
                break;
            }
            "-" => break,
            option if option.starts_with('-') => {
                eprintln!("ferrous: unrecognized option '{option}'");
                return Ok(usage());
            }
            _ => break,
        }
        i += 1;
    }
    if let Some((script, script_args)) = args.get(i..).and_then(<[String]>::split_first) {
        let code = run_script(&mut vm, script, script_args)?;
        if code != ExitCode::SUCCESS || !interactive {
            // lua.c's `lua_close`: the finalizers of the userdata still alive run.
            vm.close();
            return Ok(code);
        }
        return crate::repl::run_with(vm);
    }
    if interactive || (!ran_something && std::io::stdin().is_terminal()) {
        if !ran_something {
            eprintln!("Ferrous {} (Lua 5.1)", env!("CARGO_PKG_VERSION"));
        }
        return crate::repl::run_with(vm);
    }
    if ran_something {
        vm.close();
        return Ok(ExitCode::SUCCESS);
    }
    let code = run_script(&mut vm, "-", &[]);
    vm.close();
    code
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: ferrous [options] [script [args]].\n\
         Available options are:\n  \
         -e stat  execute string 'stat'\n  \
         -l name  require library 'name'\n  \
         -i       enter interactive mode after executing 'script'\n  \
         -v       show version information\n  \
         --       stop handling options\n  \
         -        execute stdin and stop handling options\n\
         Subcommands: run check disasm eval serve repl (ferrous --help)"
    );
    ExitCode::FAILURE
}

/// Runs `script` (`-` is standard input, chunk name `=stdin`) with its arguments.
fn run_script(vm: &mut Vm, script: &str, script_args: &[String]) -> anyhow::Result<ExitCode> {
    set_arg_table(vm, script, script_args)?;
    let (source, chunk_name) = if script == "-" {
        let mut source = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut source)?;
        (source, "=stdin".to_owned())
    } else {
        match std::fs::read(script) {
            Ok(source) => (source, format!("@{script}")),
            Err(_) => {
                eprintln!("ferrous: cannot open {script}");
                return Ok(ExitCode::FAILURE);
            }
        }
    };
    let f = match vm.load_file(&source, &chunk_name) {
        Ok(f) => f,
        Err(err) => return Ok(report(&err)),
    };
    let mut call_args = Vec::new();
    for a in script_args {
        call_args.push(vm.string_value(a.as_bytes())?);
    }
    Ok(call(vm, f, &call_args))
}

/// Runs a script file with arguments.
pub(crate) fn run_file(args: &[String]) -> anyhow::Result<ExitCode> {
    let Some((file, script_args)) = args.split_first() else {
        anyhow::bail!("usage: ferrous run FILE [ARGS]");
    };
    let mut vm = Vm::builder().build();
    crate::handler::remember_builtin(&mut vm);
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
    let code = call(&mut vm, f, &call_args);
    vm.close();
    Ok(code)
}

fn call(vm: &mut Vm, f: Value, args: &[Value]) -> ExitCode {
    vm.set_capture_traceback(true);
    match vm.call(f, args) {
        Ok(_) => ExitCode::SUCCESS,
        Err(err) => report(&crate::handler::apply(vm, err)),
    }
}

/// Gives back the registry key of an error value the REPL's long-lived VM keeps.
pub(crate) fn release(vm: &mut Vm, err: Error) {
    if let Error::Runtime(e) = err {
        if let ErrorValue::Object(key) = e.value {
            vm.registry_remove(key);
        }
    }
}

/// Prints an error the way lua5.1's `report` does (nothing for a `nil` error value), and
/// returns the failure status.
pub(crate) fn report(err: &Error) -> ExitCode {
    if let Error::Runtime(e) = err {
        if e.value == ErrorValue::Nil {
            return ExitCode::FAILURE;
        }
    }
    let mut out = b"ferrous: ".to_vec();
    match err {
        Error::Runtime(e) => {
            out.extend_from_slice(&e.message);
            if let Some(tb) = &e.traceback {
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
    // lua.c's `argv[0]`: how the interpreter was invoked (scripts run it again with that).
    let argv0 = std::env::args()
        .next()
        .unwrap_or_else(|| "ferrous".to_owned());
    let progname = vm.string_value(argv0.as_bytes())?;
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
