//! The Lua state of functions, separate from `EVAL`'s, built like function_lua.c's
//! `luaEngineInitEngine`: the same sandbox, whose globals move into a table `R`; the VM's
//! globals table becomes an empty read-only table whose metatable's `__index` is `R` while
//! functions run, and the library API while a library loads. The library API is only
//! `redis = { register_function, log, LOG_*, REDIS_VERSION, REDIS_VERSION_NUM }`; reading
//! anything else there is an error (`Script attempted to access nonexistent global variable`).
//!
//! Differences from the `EVAL` state, as Redis: no `__redis__err__handler` global, no
//! `redis.breakpoint`, `redis.debug` or `redis.replicate_commands`, and `_G` is `R`.
//!
//! Invariant: `R`, the library API and the globals' metatable are kept by registry keys, so
//! they live as long as the VM; every table here is read-only except while this module
//! switches `__index`.

use ferrous_vm::{RegistryKey, Result, TableHandle, Value, Vm};

use super::register;
use crate::engine::{redis_lib, sandbox};
use crate::host::CommandHost;

/// The tables the loader switches between.
pub(crate) struct FunctionEnv {
    /// The globals' metatable (its `__index` is switched).
    meta: TableHandle,
    /// The real globals (`R`).
    globals: TableHandle,
    /// The library API.
    library_api: TableHandle,
    /// Keep the three alive.
    _keys: [RegistryKey; 3],
}

/// Which environment the globals show.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Functions run: the sandbox's globals.
    Run,
    /// A library loads: the library API only.
    Load,
}

/// Builds the functions VM and its environment.
pub(crate) fn build<H: CommandHost + 'static>(
    memory_limit: Option<usize>,
) -> Result<(Vm, FunctionEnv)> {
    let mut vm = sandbox::build::<H>(None)?;
    let g = vm.globals();
    let error_meta = vm.heap().metatable(g)?;
    // Move every global into R.
    let mut entries = Vec::new();
    let mut key = Value::Nil;
    while let Some((k, v)) = vm.heap().next(g, key)? {
        entries.push((k, v));
        key = k;
    }
    let r = vm.new_table(0, entries.len() + 1)?;
    let skip = vm.intern(b"__redis__err__handler")?;
    let g_name = vm.intern(b"_G")?;
    {
        let mut tx = vm.heap().tx();
        for &(k, v) in &entries {
            if k != Value::String(skip) {
                tx.raw_set(r, k, v)?;
            }
        }
        tx.raw_set_str(r, g_name, Value::Table(r))?;
        tx.set_metatable(r, error_meta)?;
        tx.set_readonly(g, false)?;
        for &(k, _) in &entries {
            tx.raw_set(g, k, Value::Nil)?;
        }
    }
    remove_eval_only_helpers(&mut vm, r)?;
    let meta = vm.new_table(0, 1)?;
    let index = vm.intern(b"__index")?;
    {
        let mut tx = vm.heap().tx();
        tx.raw_set_str(meta, index, Value::Table(r))?;
        tx.set_readonly(meta, true)?;
        tx.set_metatable(g, Some(meta))?;
        tx.set_readonly(g, true)?;
        tx.set_readonly(r, true)?;
    }
    let library_api = library_api::<H>(&mut vm)?;
    let keys = [
        vm.registry_insert(Value::Table(meta)),
        vm.registry_insert(Value::Table(r)),
        vm.registry_insert(Value::Table(library_api)),
    ];
    vm.heap().set_memory_limit(memory_limit);
    Ok((
        vm,
        FunctionEnv {
            meta,
            globals: r,
            library_api,
            _keys: keys,
        },
    ))
}

impl FunctionEnv {
    /// Points the globals at the run-time or the load-time environment.
    pub(crate) fn switch(&self, vm: &mut Vm, mode: Mode) -> Result<()> {
        let target = match mode {
            Mode::Run => self.globals,
            Mode::Load => self.library_api,
        };
        let index = vm.intern(b"__index")?;
        let mut tx = vm.heap().tx();
        tx.set_readonly(self.meta, false)?;
        let res = tx.raw_set_str(self.meta, index, Value::Table(target));
        tx.set_readonly(self.meta, true)?;
        res?;
        Ok(())
    }
}

/// `redis.breakpoint`, `redis.debug` and `redis.replicate_commands` exist for `EVAL` only.
fn remove_eval_only_helpers(vm: &mut Vm, r: TableHandle) -> Result<()> {
    let redis_name = vm.intern(b"redis")?;
    let Value::Table(redis) = vm.heap().raw_get_str(r, redis_name)? else {
        return Ok(());
    };
    let names = [
        vm.intern(b"breakpoint")?,
        vm.intern(b"debug")?,
        vm.intern(b"replicate_commands")?,
    ];
    let mut tx = vm.heap().tx();
    tx.set_readonly(redis, false)?;
    for name in names {
        tx.raw_set_str(redis, name, Value::Nil)?;
    }
    tx.set_readonly(redis, true)?;
    Ok(())
}

/// The library API: `{ redis = { register_function, log, ... } }`, both tables with the error
/// metatable and read-only.
fn library_api<H: CommandHost + 'static>(vm: &mut Vm) -> Result<TableHandle> {
    let api = vm.new_table(0, 1)?;
    let redis = vm.new_table(0, 8)?;
    let register = vm.native("register_function", register::register_function);
    let log = vm.native("log", redis_lib::log::<H>);
    let version = Value::String(vm.intern(crate::REDIS_VERSION.as_bytes())?);
    let fields: [(&[u8], Value); 8] = [
        (b"register_function", register),
        (b"log", log),
        (b"LOG_DEBUG", Value::Number(0.0)),
        (b"LOG_VERBOSE", Value::Number(1.0)),
        (b"LOG_NOTICE", Value::Number(2.0)),
        (b"LOG_WARNING", Value::Number(3.0)),
        (
            b"REDIS_VERSION_NUM",
            Value::Number(f64::from(crate::REDIS_VERSION_NUM)),
        ),
        (b"REDIS_VERSION", version),
    ];
    for (name, value) in fields {
        let key = vm.intern(name)?;
        vm.heap().tx().raw_set_str(redis, key, value)?;
    }
    let redis_name = vm.intern(b"redis")?;
    vm.heap()
        .tx()
        .raw_set_str(api, redis_name, Value::Table(redis))?;
    for t in [api, redis] {
        let meta = sandbox::error_metatable(vm)?;
        let mut tx = vm.heap().tx();
        tx.set_metatable(t, Some(meta))?;
        tx.set_readonly(meta, true)?;
        tx.set_readonly(t, true)?;
    }
    Ok(api)
}
