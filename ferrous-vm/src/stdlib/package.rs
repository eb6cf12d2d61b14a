//! Modules for the command-line profile: `require`, `package.path`, `package.loaded`,
//! `package.preload`, `dofile`, `loadfile` (loadlib.c, lbaselib.c); it also opens `debug`
//! (`debug.rs`) and records it in `package.loaded`.
//!
//! `require` searches `package.path` (from `LUA_PATH`, else 5.1's default) for `.lua` modules
//! only: there are no C modules, so `package.cpath` is absent and the "not found" message lists
//! the preload field and the Lua paths tried.

use ferrous_heap::{TableHandle, Value};

use crate::error::{RtError, RtResult};
use crate::native::{Ctx, Ret};
use crate::vm::Vm;

/// 5.1's `LUA_PATH_DEFAULT` as Debian builds it.
const DEFAULT_PATH: &str = "./?.lua;/usr/local/share/lua/5.1/?.lua;/usr/local/share/lua/5.1/?/init.lua;/usr/local/lib/lua/5.1/?.lua;/usr/local/lib/lua/5.1/?/init.lua;/usr/share/lua/5.1/?.lua;/usr/share/lua/5.1/?/init.lua";

pub(crate) fn open(vm: &mut Vm) -> RtResult<()> {
    let package = super::new_lib(vm, "package", &[])?;
    let loaded = vm.new_table(0, 16)?;
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
    vm.register("require", require)?;
    vm.register("dofile", dofile)?;
    vm.register("loadfile", loadfile)?;
    let debug = super::debug::open(vm)?;
    let key = vm.intern(b"debug")?;
    vm.heap.tx().raw_set_str(loaded, key, Value::Table(debug))?;
    Ok(())
}

/// A field of the `package` table.
fn package_field(vm: &mut Vm, name: &str) -> RtResult<Value> {
    let globals = vm.globals;
    let key = vm.intern(b"package")?;
    let Value::Table(package) = vm.heap.raw_get_str(globals, key)? else {
        return Err(RtError::native("'package' must be a table"));
    };
    let key = vm.intern(name.as_bytes())?;
    Ok(vm.heap.raw_get_str(package, key)?)
}

fn loaded_table(vm: &mut Vm) -> RtResult<TableHandle> {
    match package_field(vm, "loaded")? {
        Value::Table(t) => Ok(t),
        _ => Err(RtError::native("'package.loaded' must be a table")),
    }
}

/// Compiles a file like `luaL_loadfile` (chunk name `@path`; `None` reads stdin, `=stdin`).
/// `Err` carries the message of a file that cannot be opened or read, or of a syntax error.
fn load_file(vm: &mut Vm, path: Option<&[u8]>) -> RtResult<Result<Value, Vec<u8>>> {
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
    match ferrous_compiler::compile_file(&source, &chunk_name) {
        Ok(module) => Ok(Ok(vm.load_module(&module)?)),
        Err(e) => Ok(Err(e.message_bytes().to_vec())),
    }
}

fn require(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
    let name_handle = ctx.check_string(1)?;
    let name = ctx.vm.heap.str_bytes(name_handle)?.to_vec();
    let loaded = loaded_table(ctx.vm)?;
    let sentinel = ctx.vm.registry;
    match ctx.vm.heap.raw_get_str(loaded, name_handle)? {
        Value::Nil | Value::Boolean(false) => {}
        Value::Table(t) if t == sentinel => {
            let mut msg = b"loop or previous error loading module '".to_vec();
            msg.extend_from_slice(&name);
            msg.push(b'\'');
            return Err(RtError::Native(msg));
        }
        v => return ctx.ret(&[v]),
    }
    // Find a loader: package.preload, then the Lua path.
    let mut tried = Vec::new();
    let mut loader = Value::Nil;
    if let Value::Table(preload) = package_field(ctx.vm, "preload")? {
        loader = ctx.vm.heap.raw_get_str(preload, name_handle)?;
    }
    if matches!(loader, Value::Nil) {
        tried.extend_from_slice(b"\n\tno field package.preload['");
        tried.extend_from_slice(&name);
        tried.extend_from_slice(b"']");
        let path = match package_field(ctx.vm, "path")? {
            Value::String(s) => ctx.vm.heap.str_bytes(s)?.to_vec(),
            _ => return Err(RtError::native("'package.path' must be a string")),
        };
        let file_name: Vec<u8> = name
            .iter()
            .map(|&b| if b == b'.' { b'/' } else { b })
            .collect();
        for template in path.split(|&b| b == b';').filter(|t| !t.is_empty()) {
            let mut candidate = Vec::new();
            for &b in template {
                if b == b'?' {
                    candidate.extend_from_slice(&file_name);
                } else {
                    candidate.push(b);
                }
            }
            use std::os::unix::ffi::OsStrExt;
            if std::path::Path::new(std::ffi::OsStr::from_bytes(&candidate)).is_file() {
                match load_file(ctx.vm, Some(&candidate))? {
                    Ok(f) => {
                        loader = f;
                        break;
                    }
                    Err(msg) => {
                        let mut full = b"error loading module '".to_vec();
                        full.extend_from_slice(&name);
                        full.extend_from_slice(b"' from file '");
                        full.extend_from_slice(&candidate);
                        full.extend_from_slice(b"':\n\t");
                        full.extend_from_slice(&msg);
                        return Err(RtError::Native(full));
                    }
                }
            }
            tried.extend_from_slice(b"\n\tno file '");
            tried.extend_from_slice(&candidate);
            tried.push(b'\'');
        }
    }
    if matches!(loader, Value::Nil) {
        let mut msg = b"module '".to_vec();
        msg.extend_from_slice(&name);
        msg.extend_from_slice(b"' not found:");
        msg.extend_from_slice(&tried);
        return Err(RtError::Native(msg));
    }
    ctx.vm
        .heap
        .tx()
        .raw_set_str(loaded, name_handle, Value::Table(sentinel))?;
    let res = ctx.vm.call_value(loader, &[Value::String(name_handle)]);
    let res = match res {
        Ok(res) => res,
        Err(e) => {
            ctx.vm
                .heap
                .tx()
                .raw_set_str(loaded, name_handle, Value::Nil)?;
            return Err(e);
        }
    };
    let first = res.first().copied().unwrap_or(Value::Nil);
    if !matches!(first, Value::Nil) {
        ctx.vm.heap.tx().raw_set_str(loaded, name_handle, first)?;
    }
    let value = match ctx.vm.heap.raw_get_str(loaded, name_handle)? {
        Value::Table(t) if t == sentinel => {
            ctx.vm
                .heap
                .tx()
                .raw_set_str(loaded, name_handle, Value::Boolean(true))?;
            Value::Boolean(true)
        }
        v => v,
    };
    ctx.ret(&[value])
}

/// The optional file name of `loadfile`/`dofile` (`luaL_optstring`; none reads stdin).
fn opt_file_name(ctx: &mut Ctx<'_>) -> RtResult<Option<Vec<u8>>> {
    match ctx.opt_string(1)? {
        Some(s) => Ok(Some(ctx.vm.heap.str_bytes(s)?.to_vec())),
        None => Ok(None),
    }
}

fn loadfile(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
    let name = opt_file_name(ctx)?;
    match load_file(ctx.vm, name.as_deref())? {
        Ok(f) => ctx.ret(&[f]),
        Err(msg) => {
            let msg = ctx.vm.message_value(&msg);
            ctx.ret(&[Value::Nil, msg])
        }
    }
}

fn dofile(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
    let name = opt_file_name(ctx)?;
    let f = match load_file(ctx.vm, name.as_deref())? {
        Ok(f) => f,
        Err(msg) => return Err(RtError::Value(ctx.vm.message_value(&msg))),
    };
    let res = ctx.vm.call_value(f, &[])?;
    ctx.ret(&res)
}
