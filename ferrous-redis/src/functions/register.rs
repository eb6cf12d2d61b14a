//! `redis.register_function` (function_lua.c's `luaRegisterFunction`): the positional form
//! `(name, callback)` and the named form `{function_name=, callback=, description=, flags=}`,
//! with Redis's error texts. The functions a library registers collect in [`LoadState`], the
//! functions VM's app data while (and only while) a library loads.

use ferrous_vm::{Ctx, RegistryKey, Result, Ret, TableHandle, Value};

use super::metadata::{self, BAD_NAME};
use crate::engine::redis_lib;
use crate::engine::shebang::ScriptFlags;

/// A function registered by the library being loaded.
pub(crate) struct Registered {
    pub name: Vec<u8>,
    pub description: Option<Vec<u8>>,
    pub flags: ScriptFlags,
    pub callback: RegistryKey,
}

/// The load in progress.
#[derive(Default)]
pub(crate) struct LoadState {
    pub functions: Vec<Registered>,
}

/// What the arguments said.
struct Args {
    name: Vec<u8>,
    description: Option<Vec<u8>>,
    flags: ScriptFlags,
    callback: Value,
}

/// The native behind `redis.register_function`.
pub(crate) fn register_function(ctx: &mut Ctx<'_>) -> Result<Ret> {
    if ctx.app_data::<LoadState>().is_none() {
        return raise(
            ctx,
            b"redis.register_function can only be called on FUNCTION LOAD command",
        );
    }
    let args = match ctx.nargs() {
        1 => named_args(ctx),
        2 => positional_args(ctx),
        _ => Err("wrong number of arguments to redis.register_function"),
    };
    let args = match args {
        Ok(args) => args,
        Err(msg) => return raise(ctx, msg.as_bytes()),
    };
    if !metadata::valid_name(&args.name) {
        return raise(ctx, BAD_NAME.as_bytes());
    }
    let exists = ctx
        .app_data::<LoadState>()
        .is_some_and(|s| s.functions.iter().any(|f| f.name == args.name));
    if exists {
        return raise(ctx, b"Function already exists in the library");
    }
    let callback = ctx.vm().registry_insert(args.callback);
    if let Some(state) = ctx.app_data_mut::<LoadState>() {
        state.functions.push(Registered {
            name: args.name,
            description: args.description,
            flags: args.flags,
            callback,
        });
    }
    Ok(Ret::values(0))
}

/// Raises Redis's error table for `msg` (`luaPushError` + `luaError`).
fn raise(ctx: &mut Ctx<'_>, msg: &[u8]) -> Result<Ret> {
    redis_lib::fail(ctx, msg, true, false)
}

/// `lua_isstring`: strings and numbers.
fn string_arg(ctx: &mut Ctx<'_>, value: Value) -> Option<Vec<u8>> {
    match value {
        Value::String(s) => Some(ctx.vm().str_bytes(s).ok()?.to_vec()),
        Value::Number(n) => {
            let s = ctx.vm().number_to_string(n).ok()?;
            Some(ctx.vm().str_bytes(s).ok()?.to_vec())
        }
        _ => None,
    }
}

fn is_function(value: Value) -> bool {
    matches!(value, Value::Function(_) | Value::NativeFunction(_))
}

fn positional_args(ctx: &mut Ctx<'_>) -> Result<Args, &'static str> {
    let first = ctx.arg(1);
    let Some(name) = string_arg(ctx, first) else {
        return Err("first argument to redis.register_function must be a string");
    };
    let callback = ctx.arg(2);
    if !is_function(callback) {
        return Err("second argument to redis.register_function must be a function");
    }
    Ok(Args {
        name,
        description: None,
        flags: ScriptFlags::default(),
        callback,
    })
}

fn named_args(ctx: &mut Ctx<'_>) -> Result<Args, &'static str> {
    let Value::Table(table) = ctx.arg(1) else {
        return Err(
            "calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).",
        );
    };
    let (mut name, mut description, mut flags, mut callback) = (None, None, None, None);
    let mut key = Value::Nil;
    loop {
        let entry = ctx
            .vm()
            .heap()
            .next(table, key)
            .map_err(|_| "invalid key to 'next'")?;
        let Some((k, v)) = entry else { break };
        key = k;
        let Some(k) = string_arg(ctx, k) else {
            return Err("named argument key given to redis.register_function is not a string");
        };
        if k.eq_ignore_ascii_case(b"function_name") {
            name = Some(string_arg(ctx, v).ok_or(
                "function_name argument given to redis.register_function must be a string",
            )?);
        } else if k.eq_ignore_ascii_case(b"description") {
            description =
                Some(string_arg(ctx, v).ok_or(
                    "description argument given to redis.register_function must be a string",
                )?);
        } else if k.eq_ignore_ascii_case(b"callback") {
            if !is_function(v) {
                return Err(
                    "callback argument given to redis.register_function must be a function",
                );
            }
            callback = Some(v);
        } else if k.eq_ignore_ascii_case(b"flags") {
            let Value::Table(list) = v else {
                return Err(
                    "flags argument to redis.register_function must be a table representing function flags",
                );
            };
            flags = Some(read_flags(ctx, list).ok_or("unknown flag given")?);
        } else {
            return Err("unknown argument given to redis.register_function");
        }
    }
    let Some(name) = name else {
        return Err("redis.register_function must get a function name argument");
    };
    let Some(callback) = callback else {
        return Err("redis.register_function must get a callback argument");
    };
    Ok(Args {
        name,
        description,
        flags: flags.unwrap_or_default(),
        callback,
    })
}

/// `luaRegisterFunctionReadFlags`: `list[1..]` up to the first nil, each a flag name in any
/// case.
fn read_flags(ctx: &mut Ctx<'_>, list: TableHandle) -> Option<ScriptFlags> {
    let mut flags = ScriptFlags::default();
    for i in 1i64.. {
        let value = ctx.vm().heap().raw_get_int(list, i).ok()?;
        if value == Value::Nil {
            break;
        }
        let name = string_arg(ctx, value)?;
        flags |= ScriptFlags::from_name(&name.to_ascii_lowercase())?;
    }
    Some(flags)
}
