//! Modules for the command-line profile: `require`, `package.path`, `package.loaded`,
//! `package.preload`, `dofile`, `loadfile` (loadlib.c, lbaselib.c); it also opens `debug`
//! (`debug.rs`) and records it in `package.loaded`.
//!
//! `package.path` comes from `LUA_PATH`, else 5.1's default; `require`, `module` and the rest
//! of the module system are in `module.rs`.

use ferrous_heap::Value;

use crate::error::{Error, Result};
use crate::native::{Ctx, Ret};
use crate::vm::Vm;

/// 5.1's `LUA_PATH_DEFAULT` as Debian builds it.
const DEFAULT_PATH: &str = "./?.lua;/usr/local/share/lua/5.1/?.lua;/usr/local/share/lua/5.1/?/init.lua;/usr/local/lib/lua/5.1/?.lua;/usr/local/lib/lua/5.1/?/init.lua;/usr/share/lua/5.1/?.lua;/usr/share/lua/5.1/?/init.lua";

pub(crate) fn open(vm: &mut Vm) -> Result<()> {
    let package = super::new_lib(vm, "package", &[])?;
    let loaded = vm.new_table(0, 16)?;
    // As 5.1, `require` and `module` find the loaded modules in the registry's `_LOADED`.
    let registry = vm.registry;
    let key = vm.intern(b"_LOADED")?;
    vm.heap
        .tx()
        .raw_set_str(registry, key, Value::Table(loaded))?;
    let preload = vm.new_table(0, 4)?;
    let path = match std::env::var("LUA_PATH") {
        // ";;" stands for the default path.
        Ok(p) => p.replace(";;", &format!(";{DEFAULT_PATH};")),
        Err(_) => DEFAULT_PATH.to_owned(),
    };
    let path = vm.intern(path.as_bytes())?;
    for (name, value) in [
        ("loaded", Value::Table(loaded)),
        ("preload", Value::Table(preload)),
        ("path", Value::String(path)),
    ] {
        let key = vm.intern(name.as_bytes())?;
        vm.heap.tx().raw_set_str(package, key, value)?;
    }
    // Libraries already opened count as loaded.
    for name in [
        "_G",
        "coroutine",
        "string",
        "table",
        "math",
        "io",
        "os",
        "package",
    ] {
        let key = vm.intern(name.as_bytes())?;
        let globals = vm.globals;
        let lib = if name == "_G" {
            Value::Table(globals)
        } else {
            vm.heap.raw_get_str(globals, key)?
        };
        if !matches!(lib, Value::Nil) {
            vm.heap.tx().raw_set_str(loaded, key, lib)?;
        }
    }
    super::module::open(vm, package)?;
    vm.register("dofile", dofile)?;
    vm.register("loadfile", loadfile)?;
    let debug = super::debug::open(vm)?;
    let key = vm.intern(b"debug")?;
    vm.heap.tx().raw_set_str(loaded, key, Value::Table(debug))?;
    Ok(())
}

/// Compiles a file like `luaL_loadfile` (chunk name `@path`; `None` reads stdin, `=stdin`).
/// `Err` carries the message of a file that cannot be opened or read, or of a syntax error.
pub(crate) fn load_file(vm: &mut Vm, path: Option<&[u8]>) -> Result<Result<Value, Vec<u8>>> {
    use std::io::Read;
    use std::os::unix::ffi::OsStrExt;
    // `errfile` of lauxlib.c: `cannot open NAME: strerror` (or `read`).
    let errfile = |what: &str, e: std::io::Error| {
        let mut msg = format!("cannot {what} ").into_bytes();
        msg.extend_from_slice(path.unwrap_or(b"stdin"));
        msg.extend_from_slice(b": ");
        msg.extend_from_slice(crate::stdlib::io::c_error_text(&e).as_bytes());
        msg
    };
    let mut source = Vec::new();
    let chunk_name = match path {
        Some(path) => {
            let mut file = match std::fs::File::open(std::ffi::OsStr::from_bytes(path)) {
                Ok(file) => file,
                Err(e) => return Ok(Err(errfile("open", e))),
            };
            if let Err(e) = file.read_to_end(&mut source) {
                return Ok(Err(errfile("read", e)));
            }
            let mut chunk_name = b"@".to_vec();
            chunk_name.extend_from_slice(path);
            chunk_name
        }
        None => {
            vm.flush_stdout();
            if let Err(e) = std::io::stdin().lock().read_to_end(&mut source) {
                return Ok(Err(errfile("read", e)));
            }
            b"=stdin".to_vec()
        }
    };
    match vm.load_file_chunk(&source, &chunk_name) {
        Ok(f) => Ok(Ok(f)),
        Err(e) => Ok(Err(e.into_message()?)),
    }
}

/// The optional file name of `loadfile`/`dofile` (`luaL_optstring`; none reads stdin).
fn opt_file_name(ctx: &mut Ctx<'_>) -> Result<Option<Vec<u8>>> {
    match ctx.opt_string(1)? {
        Some(s) => Ok(Some(ctx.vm.heap.str_bytes(s)?.to_vec())),
        None => Ok(None),
    }
}

fn loadfile(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let name = opt_file_name(ctx)?;
    match load_file(ctx.vm, name.as_deref())? {
        Ok(f) => ctx.ret(&[f]),
        Err(msg) => {
            let msg = ctx.vm.message_value(&msg);
            ctx.ret(&[Value::Nil, msg])
        }
    }
}

fn dofile(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let name = opt_file_name(ctx)?;
    let f = match load_file(ctx.vm, name.as_deref())? {
        Ok(f) => f,
        Err(msg) => return Err(Error::value(ctx.vm.message_value(&msg))),
    };
    let res = ctx.vm.call_value(f, &[])?;
    ctx.ret(&res)
}
