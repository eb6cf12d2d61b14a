//! `cjson`: Lua CJSON 2.1.0 as Redis 7.0 bundles it (`deps/lua/src/lua_cjson.c`), byte for
//! byte: `encode`, `decode`, the configuration functions, `new`, `null`, `_NAME`, `_VERSION`.
//!
//! - `encode.rs`: Lua value -> JSON text (sparse-array rules, nesting limits, escapes).
//! - `decode.rs`: JSON text -> Lua value (the C tokenizer's quirks and error positions).
//! - `fpconv.rs`: `%.14g` and glibc `strtod`, the number text both ways.
//!
//! Every function of one module table shares a [`Config`] (a userdata upvalue, as in C, so
//! `cjson.new()` returns a module with settings of its own) and the VM's JSON `null`.
//!
//! `null` is C's `lightuserdata(NULL)`; Ferrous has no light userdata, so it is one full
//! userdata per VM (shared by every module table, as NULL is in C): `type` says `userdata`, it
//! equals only itself, and `tostring` gives C's `userdata: (nil)` through a hidden metatable
//! (`__metatable = false`, so `getmetatable(cjson.null)` is `false` where C says `nil`).
//!
//! Invariants:
//! - Nothing recurses: encoder and decoder keep explicit stacks, bounded by the depth limits
//!   and by an emulation of C Lua's `lua_checkstack` (8000 slots), which Redis hits first
//!   when a script raises the limits.
//! - Work is charged as fuel (about one unit per element or per 16 bytes), output is capped by
//!   the heap's memory limit, and every string and table is allocated on the VM heap.

mod decode;
mod encode;
mod fpconv;
#[cfg(test)]
mod tests;

use ferrous_heap::{
    Function, NativeClosure, NativeFn, Trace, Tracer, UserData, UserDataHandle, Value,
};
use ferrous_vm::{Ctx, Error, Result, Ret, Vm};

/// One module table's settings (`json_config_t` without its buffers and lookup tables).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Config {
    /// `encode_sparse_array` convert: encode excessively sparse arrays as objects.
    pub encode_sparse_convert: u8,
    /// `encode_sparse_array` ratio.
    pub encode_sparse_ratio: i32,
    /// `encode_sparse_array` safe.
    pub encode_sparse_safe: i32,
    /// `encode_max_depth`.
    pub encode_max_depth: i32,
    /// `decode_max_depth`.
    pub decode_max_depth: i32,
    /// `encode_invalid_numbers`: 0 off, 1 on, 2 `null`.
    pub encode_invalid_numbers: u8,
    /// `encode_number_precision`, 1..=14.
    pub encode_number_precision: i32,
    /// `encode_keep_buffer` (kept for its return values; buffers are not reused here).
    pub encode_keep_buffer: u8,
    /// `decode_invalid_numbers`.
    pub decode_invalid_numbers: u8,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            encode_sparse_convert: 0,
            encode_sparse_ratio: 2,
            encode_sparse_safe: 10,
            encode_max_depth: 1000,
            decode_max_depth: 1000,
            encode_invalid_numbers: 0,
            encode_number_precision: 14,
            encode_keep_buffer: 1,
            decode_invalid_numbers: 1,
        }
    }
}

impl Trace for Config {
    fn trace(&self, _tracer: &mut Tracer<'_>) {}
}

/// The payload of the JSON `null` userdata.
struct JsonNull;

impl Trace for JsonNull {
    fn trace(&self, _tracer: &mut Tracer<'_>) {}
}

/// The library's natives, registered once per VM (so `cjson.new()` does not grow the registry).
#[derive(Clone, Copy)]
struct Natives {
    /// The module functions, in `lua_cjson_new`'s registration order.
    funcs: [(&'static str, NativeFn); 10],
    /// `__tostring` of `null`.
    null_tostring: NativeFn,
}

/// Upvalue slots of every module function.
const UPVALUE_CONFIG: usize = 0;
const UPVALUE_NULL: usize = 1;

/// Opens the library into `vm`'s globals as `cjson`.
pub fn open(vm: &mut Vm) -> Result<()> {
    if vm.app_data::<Option<Box<decode::DecodeBufs>>>().is_none() {
        vm.set_app_data(Some(Box::<decode::DecodeBufs>::default()));
    }
    if vm.app_data::<encode::EncodeBufs>().is_none() {
        vm.set_app_data(encode::EncodeBufs::default());
    }
    let null = new_null(vm)?;
    let module = new_module(vm, null)?;
    vm.set_global("cjson", module)
}

/// The registered natives, registering them on first use.
fn natives(vm: &mut Vm) -> Natives {
    if let Some(natives) = vm.app_data::<Natives>() {
        return *natives;
    }
    let table: [(&'static str, ferrous_vm::NativeFunction); 10] = [
        ("encode", encode::encode),
        ("decode", decode::decode),
        ("encode_sparse_array", cfg_encode_sparse_array),
        ("encode_max_depth", cfg_encode_max_depth),
        ("decode_max_depth", cfg_decode_max_depth),
        ("encode_number_precision", cfg_encode_number_precision),
        ("encode_keep_buffer", cfg_encode_keep_buffer),
        ("encode_invalid_numbers", cfg_encode_invalid_numbers),
        ("decode_invalid_numbers", cfg_decode_invalid_numbers),
        ("new", new),
    ];
    let natives = Natives {
        // All leaves (`Vm::mark_leaf`): none runs Lua code or looks at the call stack.
        funcs: table.map(|(name, f)| {
            let value = vm.native(name, f);
            vm.mark_leaf(value);
            (name, native_id(value))
        }),
        null_tostring: native_id(vm.native("tostring", null_tostring)),
    };
    vm.set_app_data(natives);
    natives
}

fn native_id(value: Value) -> NativeFn {
    match value {
        Value::NativeFunction(id) => id,
        _ => NativeFn(u32::MAX),
    }
}

/// The JSON `null` of a VM: a userdata whose hidden metatable prints it as C does.
fn new_null(vm: &mut Vm) -> Result<Value> {
    let tostring = natives(vm).null_tostring;
    let meta = vm.new_table(0, 0)?;
    let key = vm.intern(b"__tostring")?;
    vm.heap()
        .tx()
        .raw_set_str(meta, key, Value::NativeFunction(tostring))?;
    let key = vm.intern(b"__metatable")?;
    vm.heap()
        .tx()
        .raw_set_str(meta, key, Value::Boolean(false))?;
    vm.heap().tx().set_readonly(meta, true)?;
    let null = vm.heap().tx().new_userdata(UserData {
        metatable: Some(meta),
        env: None,
        data: Box::new(JsonNull),
    })?;
    Ok(Value::UserData(null))
}

/// `tostring(cjson.null)`: what glibc's `%p` prints for NULL.
fn null_tostring(ctx: &mut Ctx<'_>) -> Result<Ret> {
    ctx.push_bytes(b"userdata: (nil)")?;
    Ok(Ret::values(1))
}

/// `lua_cjson_new`: a module table with a fresh [`Config`], sharing the VM's `null`.
fn new_module(vm: &mut Vm, null: Value) -> Result<Value> {
    let funcs = natives(vm).funcs;
    let config = vm.heap().tx().new_userdata(UserData {
        metatable: None,
        env: None,
        data: Box::new(Config::default()),
    })?;
    let module = vm.new_table(0, 0)?;
    let env = vm.globals();
    for (name, id) in funcs {
        let upvalues: Box<[Value]> = Box::new([Value::UserData(config), null]);
        let f = vm
            .heap()
            .tx()
            .new_function(Function::Native(NativeClosure { id, upvalues, env }))?;
        set_field(vm, module, name, Value::Function(f))?;
    }
    set_field(vm, module, "null", null)?;
    let name = Value::String(vm.intern(b"cjson")?);
    set_field(vm, module, "_NAME", name)?;
    let version = Value::String(vm.intern(b"2.1.0")?);
    set_field(vm, module, "_VERSION", version)?;
    Ok(Value::Table(module))
}

fn set_field(vm: &mut Vm, t: ferrous_heap::TableHandle, name: &str, v: Value) -> Result<()> {
    let key = vm.intern(name.as_bytes())?;
    vm.heap().tx().raw_set_str(t, key, v)?;
    Ok(())
}

/// `cjson.new()`.
fn new(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let null = ctx.upvalue(UPVALUE_NULL)?;
    let module = new_module(ctx.vm(), null)?;
    ctx.ret(&[module])
}

/// The JSON `null` of the running module function.
pub(crate) fn null_of(ctx: &Ctx<'_>) -> Result<Value> {
    ctx.upvalue(UPVALUE_NULL)
}

/// The config userdata of the running module function and a copy of its settings.
pub(crate) fn config_of(ctx: &mut Ctx<'_>) -> Result<(UserDataHandle, Config)> {
    let bug = || Error::runtime("BUG: Unable to fetch CJSON configuration");
    let Value::UserData(u) = ctx.upvalue(UPVALUE_CONFIG)? else {
        return Err(bug());
    };
    let cfg = *ctx
        .vm()
        .heap()
        .userdata(u)?
        .downcast_ref::<Config>()
        .ok_or_else(bug)?;
    Ok((u, cfg))
}

fn store_config(ctx: &mut Ctx<'_>, u: UserDataHandle, cfg: Config) -> Result<()> {
    if let Some(slot) = ctx
        .vm()
        .heap()
        .tx()
        .userdata_mut(u)?
        .downcast_mut::<Config>()
    {
        *slot = cfg;
    }
    Ok(())
}

/// `json_arg_init`: at most `n` arguments.
fn arg_init(ctx: &mut Ctx<'_>, n: usize) -> Result<(UserDataHandle, Config)> {
    if ctx.nargs() > n {
        return Err(Error::arg(n as u32 + 1, "found too many arguments"));
    }
    config_of(ctx)
}

/// `json_integer_option`: sets `*setting` from argument `idx` unless it is nil, and returns it.
fn integer_option(
    ctx: &mut Ctx<'_>,
    idx: usize,
    setting: &mut i32,
    min: i32,
    max: i32,
) -> Result<Value> {
    if !ctx.is_none_or_nil(idx) {
        // `int value = luaL_checkinteger(...)`: the low 32 bits.
        let value = ctx.check_integer(idx)? as i32;
        if !(min <= value && value <= max) {
            // C passes 1 here whatever the argument's position.
            return Err(Error::arg(
                1,
                format!("expected integer between {min} and {max}"),
            ));
        }
        *setting = value;
    }
    Ok(Value::Number(f64::from(*setting)))
}

/// `json_enum_option` with `bool_true = 1` (the only use in this version): booleans set 0/1,
/// strings are looked up in `options`; returns a boolean for 0/1 and the option name beyond.
fn enum_option(ctx: &mut Ctx<'_>, idx: usize, setting: &mut u8, options: &[&str]) -> Result<Value> {
    if !ctx.is_none_or_nil(idx) {
        if let Value::Boolean(b) = ctx.arg(idx) {
            *setting = u8::from(b);
        } else {
            *setting = check_option(ctx, idx, options)?;
        }
    }
    match *setting {
        0 | 1 => Ok(Value::Boolean(*setting == 1)),
        n => {
            let name = options.get(usize::from(n)).copied().unwrap_or("");
            Ok(Value::String(ctx.vm().intern(name.as_bytes())?))
        }
    }
}

/// `luaL_checkoption` without a default: the C string (up to a NUL) must be one of `options`.
fn check_option(ctx: &mut Ctx<'_>, idx: usize, options: &[&str]) -> Result<u8> {
    let s = ctx.check_string(idx)?;
    let bytes = ctx.vm().str_bytes(s)?;
    let name = bytes.split(|&b| b == 0).next().unwrap_or(&[]);
    if let Some(pos) = options.iter().position(|o| o.as_bytes() == name) {
        return Ok(pos as u8);
    }
    let mut msg = b"invalid option '".to_vec();
    msg.extend_from_slice(name);
    msg.push(b'\'');
    Err(Error::arg(idx as u32, msg))
}

const BOOL_OPTIONS: &[&str] = &["off", "on"];

/// Runs a configuration change, storing the settings even when it fails halfway (C writes
/// each setting as soon as it is checked).
fn configure(
    ctx: &mut Ctx<'_>,
    max_args: usize,
    change: impl FnOnce(&mut Ctx<'_>, &mut Config) -> Result<Vec<Value>>,
) -> Result<Ret> {
    let (u, mut cfg) = arg_init(ctx, max_args)?;
    let res = change(ctx, &mut cfg);
    store_config(ctx, u, cfg)?;
    let values = res?;
    ctx.ret(&values)
}

/// `cjson.encode_sparse_array([convert[, ratio[, safe]]])`.
fn cfg_encode_sparse_array(ctx: &mut Ctx<'_>) -> Result<Ret> {
    configure(ctx, 3, |ctx, cfg| {
        let convert = enum_option(ctx, 1, &mut cfg.encode_sparse_convert, BOOL_OPTIONS)?;
        let ratio = integer_option(ctx, 2, &mut cfg.encode_sparse_ratio, 0, i32::MAX)?;
        let safe = integer_option(ctx, 3, &mut cfg.encode_sparse_safe, 0, i32::MAX)?;
        Ok(vec![convert, ratio, safe])
    })
}

/// `cjson.encode_max_depth([depth])`.
fn cfg_encode_max_depth(ctx: &mut Ctx<'_>) -> Result<Ret> {
    configure(ctx, 1, |ctx, cfg| {
        Ok(vec![integer_option(
            ctx,
            1,
            &mut cfg.encode_max_depth,
            1,
            i32::MAX,
        )?])
    })
}

/// `cjson.decode_max_depth([depth])`.
fn cfg_decode_max_depth(ctx: &mut Ctx<'_>) -> Result<Ret> {
    configure(ctx, 1, |ctx, cfg| {
        Ok(vec![integer_option(
            ctx,
            1,
            &mut cfg.decode_max_depth,
            1,
            i32::MAX,
        )?])
    })
}

/// `cjson.encode_number_precision([precision])`.
fn cfg_encode_number_precision(ctx: &mut Ctx<'_>) -> Result<Ret> {
    configure(ctx, 1, |ctx, cfg| {
        Ok(vec![integer_option(
            ctx,
            1,
            &mut cfg.encode_number_precision,
            1,
            14,
        )?])
    })
}

/// `cjson.encode_keep_buffer([setting])`.
fn cfg_encode_keep_buffer(ctx: &mut Ctx<'_>) -> Result<Ret> {
    configure(ctx, 1, |ctx, cfg| {
        Ok(vec![enum_option(
            ctx,
            1,
            &mut cfg.encode_keep_buffer,
            BOOL_OPTIONS,
        )?])
    })
}

/// `cjson.encode_invalid_numbers([setting])`: `off`, `on` or `null`.
fn cfg_encode_invalid_numbers(ctx: &mut Ctx<'_>) -> Result<Ret> {
    configure(ctx, 1, |ctx, cfg| {
        Ok(vec![enum_option(
            ctx,
            1,
            &mut cfg.encode_invalid_numbers,
            &["off", "on", "null"],
        )?])
    })
}

/// `cjson.decode_invalid_numbers([setting])`.
fn cfg_decode_invalid_numbers(ctx: &mut Ctx<'_>) -> Result<Ret> {
    configure(ctx, 1, |ctx, cfg| {
        Ok(vec![enum_option(
            ctx,
            1,
            &mut cfg.decode_invalid_numbers,
            BOOL_OPTIONS,
        )?])
    })
}

/// Emulates C Lua's `lua_checkstack` for a C function that holds `used` slots: at most
/// `LUAI_MAXCSTACK` (8000) slots per C function.
pub(crate) fn checkstack(used: usize, extra: usize) -> bool {
    used + extra <= 8000
}
