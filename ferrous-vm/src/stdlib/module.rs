//! The module system of 5.1's loadlib.c: `require` over `package.loaders` (the preload, Lua,
//! C and all-in-one searchers, in 5.1's order and with its messages), `module`,
//! `package.seeall`, `package.loadlib`, `package.cpath` and `package.config`.
//!
//! There are no C modules: `package.loadlib` returns `nil, msg, "absent"` as a 5.1 built
//! without dynamic libraries does, and a C searcher that finds a file fails the same way; the
//! C paths are still searched, so "module not found" lists the same lines as lua5.1's.

use ferrous_heap::{Function, NativeClosure, TableHandle, Value};

use crate::error::{Error, Result};
use crate::native::{Ctx, NativeFunction, Ret};
use crate::vm::Vm;

/// 5.1's `LUA_CPATH_DEFAULT` as Debian builds it.
const DEFAULT_CPATH: &str = "./?.so;/usr/local/lib/lua/5.1/?.so;/usr/lib/x86_64-linux-gnu/lua/5.1/?.so;/usr/lib/lua/5.1/?.so;/usr/local/lib/lua/5.1/loadall.so";

/// `package.config`: directory separator, path separator, template mark, executable-directory
/// mark, ignore mark.
const CONFIG: &[u8] = b"/\n;\n?\n!\n-";

/// What `loadlib` answers: no dynamic libraries.
const NO_DL: &[u8] = b"dynamic libraries not enabled; check your Lua installation";

/// Adds the module functions to `package` and the globals.
pub(crate) fn open(vm: &mut Vm, package: TableHandle) -> Result<()> {
    let cpath = match std::env::var("LUA_CPATH") {
        Ok(p) => p.replace(";;", &format!(";{DEFAULT_CPATH};")),
        Err(_) => DEFAULT_CPATH.to_owned(),
    };
    let cpath = vm.intern(cpath.as_bytes())?;
    let config = vm.intern(CONFIG)?;
    let loaders = vm.new_table(4, 0)?;
    for (i, (name, f)) in [
        ("loader_preload", loader_preload as NativeFunction),
        ("loader_Lua", loader_lua),
        ("loader_C", loader_c),
        ("loader_Croot", loader_croot),
    ]
    .into_iter()
    .enumerate()
    {
        let f = package_native(vm, package, name, f)?;
        vm.heap.tx().raw_set_int(loaders, i as i64 + 1, f)?;
    }
    let loadlib = package_native(vm, package, "loadlib", loadlib)?;
    let seeall = package_native(vm, package, "seeall", seeall)?;
    for (name, value) in [
        ("cpath", Value::String(cpath)),
        ("config", Value::String(config)),
        ("loaders", Value::Table(loaders)),
        ("loadlib", loadlib),
        ("seeall", seeall),
    ] {
        let key = vm.intern(name.as_bytes())?;
        vm.heap.tx().raw_set_str(package, key, value)?;
    }
    let require = package_native(vm, package, "require", require)?;
    vm.set_global("require", require)?;
    let module = package_native(vm, package, "module", module)?;
    vm.set_global("module", module)?;
    Ok(())
}

/// A function of this library: a native closure whose environment is `package`, as
/// `luaopen_package` makes them (`LUA_ENVIRONINDEX`), so the global `package` can change.
fn package_native(
    vm: &mut Vm,
    package: TableHandle,
    name: &'static str,
    f: NativeFunction,
) -> Result<Value> {
    let Value::NativeFunction(id) = vm.native(name, f) else {
        return Err(Error::runtime("internal error: native expected"));
    };
    let f = vm.heap.tx().new_function(Function::Native(NativeClosure {
        id,
        upvalues: Box::new([]),
        env: package,
    }))?;
    Ok(Value::Function(f))
}

/// A field of the package table (the running function's environment, as in 5.1).
fn package_field(ctx: &mut Ctx<'_>, name: &str) -> Result<Value> {
    let package = match ctx.closure.map(|c| ctx.vm.heap.function(c)) {
        Some(Ok(Function::Native(closure))) => closure.env,
        _ => return Err(Error::runtime("'package' must be a table")),
    };
    let key = ctx.vm.intern(name.as_bytes())?;
    Ok(ctx.vm.heap.raw_get_str(package, key)?)
}

/// 5.1's `_LOADED` table of the registry (`package.loaded` unless a script replaced that).
fn loaded_table(vm: &mut Vm) -> Result<TableHandle> {
    let registry = vm.registry;
    let key = vm.intern(b"_LOADED")?;
    match vm.heap.raw_get_str(registry, key)? {
        Value::Table(t) => Ok(t),
        _ => Err(Error::runtime("'package.loaded' must be a table")),
    }
}

fn require(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let name = ctx.check_string(1)?;
    let name_bytes = ctx.vm.heap.str_bytes(name)?.to_vec();
    let loaded = loaded_table(ctx.vm)?;
    // The registry table stands for 5.1's sentinel: "being loaded".
    let sentinel = ctx.vm.registry;
    match ctx.vm.heap.raw_get_str(loaded, name)? {
        Value::Nil | Value::Boolean(false) => {}
        Value::Table(t) if t == sentinel => {
            let mut msg = b"loop or previous error loading module '".to_vec();
            msg.extend_from_slice(&name_bytes);
            msg.push(b'\'');
            return Err(Error::runtime(msg));
        }
        v => return ctx.ret(&[v]),
    }
    let Value::Table(loaders) = package_field(ctx, "loaders")? else {
        return Err(Error::runtime("'package.loaders' must be a table"));
    };
    let mut tried = Vec::new();
    let mut i = 1;
    let loader = loop {
        let searcher = ctx.vm.heap.tx().raw_get_int(loaders, i)?;
        if matches!(searcher, Value::Nil) {
            let mut msg = b"module '".to_vec();
            msg.extend_from_slice(&name_bytes);
            msg.extend_from_slice(b"' not found:");
            msg.extend_from_slice(&tried);
            return Err(Error::runtime(msg));
        }
        let found = ctx.vm.call_value1(searcher, &[Value::String(name)])?;
        match found {
            Value::Function(_) | Value::NativeFunction(_) => break found,
            Value::String(s) => tried.extend_from_slice(ctx.vm.heap.str_bytes(s)?),
            Value::Number(x) => crate::number::fmt_number(x, &mut tried),
            _ => {}
        }
        i += 1;
    };
    ctx.vm
        .heap
        .tx()
        .raw_set_str(loaded, name, Value::Table(sentinel))?;
    // As in 5.1, an error here leaves the sentinel: requiring the module again reports it.
    let first = ctx.vm.call_value1(loader, &[Value::String(name)])?;
    if !matches!(first, Value::Nil) {
        ctx.vm.heap.tx().raw_set_str(loaded, name, first)?;
    }
    let value = match ctx.vm.heap.raw_get_str(loaded, name)? {
        Value::Table(t) if t == sentinel => {
            ctx.vm
                .heap
                .tx()
                .raw_set_str(loaded, name, Value::Boolean(true))?;
            Value::Boolean(true)
        }
        v => v,
    };
    ctx.ret(&[value])
}

/// 5.1's `findfile`: the first readable file of path `pname` for `name` (dots become
/// slashes), or the `\n\tno file '...'` lines of the files tried.
fn find_file(ctx: &mut Ctx<'_>, name: &[u8], pname: &str) -> Result<Result<Vec<u8>, Vec<u8>>> {
    use std::os::unix::ffi::OsStrExt;
    let path = match package_field(ctx, pname)? {
        Value::String(s) => ctx.vm.heap.str_bytes(s)?.to_vec(),
        _ => {
            return Err(Error::runtime(format!(
                "'package.{pname}' must be a string"
            )));
        }
    };
    let file_name: Vec<u8> = name
        .iter()
        .map(|&b| if b == b'.' { b'/' } else { b })
        .collect();
    let mut tried = Vec::new();
    for template in path.split(|&b| b == b';').filter(|t| !t.is_empty()) {
        let mut candidate = Vec::new();
        for &b in template {
            if b == b'?' {
                candidate.extend_from_slice(&file_name);
            } else {
                candidate.push(b);
            }
        }
        if std::fs::File::open(std::ffi::OsStr::from_bytes(&candidate)).is_ok() {
            return Ok(Ok(candidate));
        }
        tried.extend_from_slice(b"\n\tno file '");
        tried.extend_from_slice(&candidate);
        tried.push(b'\'');
    }
    Ok(Err(tried))
}

/// 5.1's `loaderror`.
fn load_error(name: &[u8], file: &[u8], msg: &[u8]) -> Error {
    let mut full = b"error loading module '".to_vec();
    full.extend_from_slice(name);
    full.extend_from_slice(b"' from file '");
    full.extend_from_slice(file);
    full.extend_from_slice(b"':\n\t");
    full.extend_from_slice(msg);
    Error::runtime(full)
}

fn loader_preload(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let name = ctx.check_string(1)?;
    let Value::Table(preload) = package_field(ctx, "preload")? else {
        return Err(Error::runtime("'package.preload' must be a table"));
    };
    let loader = ctx.vm.heap.raw_get_str(preload, name)?;
    if !matches!(loader, Value::Nil) {
        return ctx.ret(&[loader]);
    }
    let mut msg = b"\n\tno field package.preload['".to_vec();
    msg.extend_from_slice(ctx.vm.heap.str_bytes(name)?);
    msg.extend_from_slice(b"']");
    ctx.push_bytes(&msg)?;
    Ok(Ret::values(1))
}

fn loader_lua(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let name = ctx.check_bytes(1)?;
    match find_file(ctx, &name, "path")? {
        Ok(file) => match super::package::load_file(ctx.vm, Some(&file))? {
            Ok(f) => ctx.ret(&[f]),
            Err(msg) => Err(load_error(&name, &file, &msg)),
        },
        Err(tried) => {
            ctx.push_bytes(&tried)?;
            Ok(Ret::values(1))
        }
    }
}

fn loader_c(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let name = ctx.check_bytes(1)?;
    match find_file(ctx, &name, "cpath")? {
        Ok(file) => Err(load_error(&name, &file, NO_DL)),
        Err(tried) => {
            ctx.push_bytes(&tried)?;
            Ok(Ret::values(1))
        }
    }
}

fn loader_croot(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let name = ctx.check_bytes(1)?;
    let Some(dot) = name.iter().position(|&b| b == b'.') else {
        // Not a submodule: nothing to search.
        return Ok(Ret::values(0));
    };
    match find_file(ctx, &name[..dot], "cpath")? {
        Ok(file) => Err(load_error(&name, &file, NO_DL)),
        Err(tried) => {
            ctx.push_bytes(&tried)?;
            Ok(Ret::values(1))
        }
    }
}

fn loadlib(ctx: &mut Ctx<'_>) -> Result<Ret> {
    ctx.check_string(1)?;
    ctx.check_string(2)?;
    let msg = ctx.vm.intern(NO_DL)?;
    let absent = ctx.vm.intern(b"absent")?;
    ctx.ret(&[Value::Nil, Value::String(msg), Value::String(absent)])
}

fn seeall(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let t = ctx.check_table(1)?;
    let mt = match ctx.vm.heap.metatable(t)? {
        Some(mt) => mt,
        None => {
            let mt = ctx.vm.new_table(0, 1)?;
            ctx.vm.heap.tx().set_metatable(t, Some(mt))?;
            mt
        }
    };
    let globals = ctx.vm.thread_globals();
    ctx.vm
        .heap
        .tx()
        .raw_set_str(mt, ferrous_heap::names::INDEX, Value::Table(globals))?;
    Ok(Ret::values(0))
}

/// 5.1's `luaL_findtable` on the globals: the table at dotted path `name`, created where
/// absent; `Err(())` when a part holds something else (`name conflict`).
fn find_table(vm: &mut Vm, name: &[u8]) -> Result<Result<TableHandle, ()>> {
    let mut t = vm.thread_globals();
    let parts: Vec<&[u8]> = name.split(|&b| b == b'.').collect();
    let last = parts.len().saturating_sub(1);
    for (i, part) in parts.iter().enumerate() {
        let key = vm.intern(part)?;
        match vm.heap.raw_get_str(t, key)? {
            Value::Nil => {
                let new = vm.new_table(0, if i < last { 1 } else { 0 })?;
                vm.heap.tx().raw_set_str(t, key, Value::Table(new))?;
                t = new;
            }
            Value::Table(next) => t = next,
            _ => return Ok(Err(())),
        }
    }
    Ok(Ok(t))
}

fn module(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let name = ctx.check_string(1)?;
    let name_bytes = ctx.vm.heap.str_bytes(name)?.to_vec();
    let loaded = loaded_table(ctx.vm)?;
    let sentinel = ctx.vm.registry;
    let m = match ctx.vm.heap.raw_get_str(loaded, name)? {
        // `require`'s sentinel is no module (5.1's is a light userdata).
        Value::Table(t) if t != sentinel => t,
        _ => match find_table(ctx.vm, &name_bytes)? {
            Ok(t) => {
                ctx.vm
                    .heap
                    .tx()
                    .raw_set_str(loaded, name, Value::Table(t))?;
                t
            }
            Err(()) => {
                let mut msg = b"name conflict for module '".to_vec();
                msg.extend_from_slice(&name_bytes);
                msg.push(b'\'');
                return Err(Error::runtime(msg));
            }
        },
    };
    let key_name = ctx.vm.intern(b"_NAME")?;
    if matches!(ctx.vm.heap.raw_get_str(m, key_name)?, Value::Nil) {
        let key_m = ctx.vm.intern(b"_M")?;
        let key_package = ctx.vm.intern(b"_PACKAGE")?;
        let package_len = name_bytes
            .iter()
            .rposition(|&b| b == b'.')
            .map_or(0, |dot| dot + 1);
        let package = ctx.vm.intern(&name_bytes[..package_len])?;
        let mut tx = ctx.vm.heap.tx();
        tx.raw_set_str(m, key_m, Value::Table(m))?;
        tx.raw_set_str(m, key_name, Value::String(name))?;
        tx.raw_set_str(m, key_package, Value::String(package))?;
    }
    // The calling function's environment becomes the module.
    let caller = match ctx.vm.level_frame(1) {
        Some(Some(idx)) => ctx.vm.th.frames[idx].lua.map(|lua| lua.closure),
        _ => None,
    };
    let Some(closure) = caller else {
        return Err(Error::runtime("'module' not called from a Lua function"));
    };
    if let Function::Lua(cl) = ctx.vm.heap.tx().function_mut(closure)? {
        cl.env = m;
    }
    for frame in &mut ctx.vm.th.frames {
        if let Some(lua) = &mut frame.lua {
            if lua.closure == closure {
                lua.env = m;
                ctx.vm.env_changed = true;
            }
        }
    }
    for i in 2..=ctx.nargs() {
        let option = ctx.arg(i);
        ctx.vm.call_value(option, &[Value::Table(m)])?;
    }
    Ok(Ret::values(0))
}
