//! The Lua environment of Redis 7.0 scripts: which globals exist, the libraries, the `redis`
//! table, Redis's `pcall`, and the protections (read-only globals and libraries, an error for
//! reading an undefined global, a read-only string metatable).
//!
//! Debian's redis-server 7.0.15 (the reference) removes `getfenv`, `setfenv` and `newproxy`
//! and protects the string metatable (CVE-2025-46818); so does this sandbox.

use ferrous_vm::{Ctx, Error, Profile, Result, Ret, StringHandle, TableHandle, Value, Vm};

use super::redis_lib;
use crate::host::CommandHost;

/// The globals a script may see (script_lua.c's allow lists, less what Debian removes).
const ALLOWED_GLOBALS: &[&[u8]] = &[
    b"string",
    b"cjson",
    b"bit",
    b"cmsgpack",
    b"math",
    b"table",
    b"struct",
    b"redis",
    b"__redis__err__handler",
    b"xpcall",
    b"tostring",
    b"setmetatable",
    b"next",
    b"assert",
    b"tonumber",
    b"rawequal",
    b"collectgarbage",
    b"getmetatable",
    b"rawset",
    b"pcall",
    b"coroutine",
    b"type",
    b"_G",
    b"select",
    b"unpack",
    b"gcinfo",
    b"pairs",
    b"rawget",
    b"loadstring",
    b"ipairs",
    b"_VERSION",
    b"load",
    b"error",
];

/// Redis's `pcall` (`luaRedisPcall`): an error that is a table with an `err` field is returned
/// as that field, so scripts written for Redis 6 see the message text.
const PRELUDE: &[u8] = b"\
local rawpcall, type, rawget, select, error, tostring = pcall, type, rawget, select, error, tostring
local function fix(ok, ...)
  if ok then return true, ... end
  local e = ...
  if type(e) == 'table' then
    local m = rawget(e, 'err')
    local t = type(m)
    if t == 'string' or t == 'number' then return false, m end
  end
  return false, e
end
pcall = function(...)
  if select('#', ...) == 0 then return false, \"bad argument #1 to 'pcall' (value expected)\" end
  return fix(rawpcall(...))
end
__redis__err__handler = function(err)
  if type(err) ~= 'table' then err = {err = 'ERR ' .. tostring(err)} end
  return err
end
return getmetatable('')
";

/// Builds the VM of a script engine: Redis's globals and libraries, then locked.
pub(crate) fn build<H: CommandHost + 'static>(memory_limit: Option<usize>) -> Result<Vm> {
    let mut vm = Vm::builder().profile(Profile::Bare).build();
    vm.open_base()?;
    vm.open_coroutine()?;
    vm.open_table()?;
    vm.open_string()?;
    vm.open_math(true)?;
    remove_unlisted_globals(&mut vm)?;
    crate::open_cjson(&mut vm)?;
    crate::open_struct(&mut vm)?;
    crate::open_cmsgpack(&mut vm)?;
    crate::open_bit(&mut vm)?;
    redis_lib::open::<H>(&mut vm)?;
    let string_meta = run_prelude(&mut vm)?;
    let globals = vm.globals();
    let meta = error_metatable(&mut vm)?;
    vm.heap().tx().set_metatable(globals, Some(meta))?;
    protect_recursively(&mut vm, globals)?;
    if let Value::Table(t) = string_meta {
        protect_recursively(&mut vm, t)?;
    }
    vm.heap().set_memory_limit(memory_limit);
    Ok(vm)
}

/// `luaSetErrorMetatable`'s metatable: reading a missing key of its table is an error.
pub(crate) fn error_metatable(vm: &mut Vm) -> Result<TableHandle> {
    let meta = vm.new_table(0, 1)?;
    let index = vm.native("__index", nonexistent_global);
    let key = vm.intern(b"__index")?;
    vm.heap().tx().raw_set_str(meta, key, index)?;
    Ok(meta)
}

fn remove_unlisted_globals(vm: &mut Vm) -> Result<()> {
    let globals = vm.globals();
    let mut doomed = Vec::new();
    let mut key = Value::Nil;
    while let Some((k, _)) = vm.heap().next(globals, key)? {
        let keep = match k {
            Value::String(s) => ALLOWED_GLOBALS.contains(&vm.str_bytes(s)?),
            _ => false,
        };
        if !keep {
            doomed.push(k);
        }
        key = k;
    }
    for k in doomed {
        vm.heap().tx().raw_set(globals, k, Value::Nil)?;
    }
    Ok(())
}

fn run_prelude(vm: &mut Vm) -> Result<Value> {
    let prelude = vm
        .load(PRELUDE, "=redis_sandbox")
        .map_err(|e| Error::runtime(e.to_string()))?;
    let results = vm
        .call(prelude, &[])
        .map_err(|e| Error::runtime(e.to_string()))?;
    Ok(results.first().copied().unwrap_or(Value::Nil))
}

/// `luaSetTableProtectionRecursively`: the table, every table among its values, and their
/// metatables become read-only. Iterative, with the read-only flag as the visited mark.
fn protect_recursively(vm: &mut Vm, root: TableHandle) -> Result<()> {
    let mut pending = vec![root];
    while let Some(t) = pending.pop() {
        if vm.heap().is_readonly(t)? {
            continue;
        }
        vm.heap().tx().set_readonly(t, true)?;
        let mut key = Value::Nil;
        while let Some((k, v)) = vm.heap().next(t, key)? {
            if let Value::Table(child) = v {
                pending.push(child);
            }
            key = k;
        }
        if let Some(meta) = vm.heap().metatable(t)? {
            pending.push(meta);
        }
    }
    Ok(())
}

/// `__index` of the globals: reading an undefined global is an error.
fn nonexistent_global(ctx: &mut Ctx<'_>) -> Result<Ret> {
    if ctx.nargs() != 2 {
        return Err(Error::runtime(
            "Wrong number of arguments to luaProtectedTableError",
        ));
    }
    match ctx.arg(2) {
        Value::String(_) | Value::Number(_) => {}
        _ => {
            return Err(Error::runtime(
                "Second argument to luaProtectedTableError must be a string or number",
            ));
        }
    }
    let name = ctx.check_bytes(2)?;
    let mut msg = b"Script attempted to access nonexistent global variable '".to_vec();
    msg.extend_from_slice(&name);
    msg.push(b'\'');
    Err(Error::runtime(msg))
}

/// Sets `KEYS` or `ARGV` to a table of `items` (the globals are unlocked for the one write, as
/// Redis does).
///
/// Redis builds a new table on every run. Here the table of the previous run is emptied and
/// refilled instead (shaped as a new one: `HeapTransaction::reset_table`), which saves an
/// allocation and the collections it paces: no one can tell, because an `EVAL` script cannot
/// keep a reference past its run (globals, library tables and metatables of the sandbox are
/// read-only, and the script's body is a function without upvalues).
pub(crate) fn set_array_global(vm: &mut Vm, name: StringHandle, items: &[Vec<u8>]) -> Result<()> {
    let globals = vm.globals();
    let mut tx = vm.heap().tx();
    let table = match tx.raw_get_str(globals, name)? {
        Value::Table(t) => {
            tx.reset_table(t, items.len())?;
            Some(t)
        }
        _ => None,
    };
    let t = match table {
        Some(t) => t,
        None => tx.new_table(items.len(), 0)?,
    };
    for (i, item) in items.iter().enumerate() {
        let s = tx.intern(item)?;
        tx.raw_set_int(t, i as i64 + 1, Value::String(s))?;
    }
    if table.is_none() {
        tx.set_readonly(globals, false)?;
        let res = tx.raw_set_str(globals, name, Value::Table(t));
        tx.set_readonly(globals, true)?;
        res?;
    }
    Ok(())
}
