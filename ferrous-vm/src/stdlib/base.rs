//! The base library of Lua 5.1 (lbaselib.c): `print`, `type`, `tostring`, `tonumber`, `pcall`,
//! `error`, metatables, raw access, iteration, `select`, `unpack`, environments, `loadstring`,
//! `load`, `collectgarbage`, `_G`, `_VERSION`.

use std::io::Write;

use ferrous_heap::{Function, NativeFn, Value, names};

use crate::binary::LoadError;
use crate::error::{Error, Raise, RaiseResult, Result};
use crate::native::{Ctx, InlineIter, Ret, RetKind};
use crate::number;
use crate::thread::Cont;
use crate::value::{is_truthy, number_to_int, type_name};
use crate::vm::Vm;

/// 5.1's `LUAI_MAXCSTACK`: the most values a native may push (bounds `unpack`).
const MAX_C_STACK: i64 = 8000;

/// The functions that run no Lua code and do not look at the call stack (`tostring`'s
/// `__tostring` call is a request, made after it returns).
const LEAVES: &[&str] = &[
    "assert",
    "getmetatable",
    "next",
    "rawequal",
    "rawget",
    "rawset",
    "select",
    "setmetatable",
    "tonumber",
    "tostring",
    "type",
    "unpack",
];

pub(crate) fn open(vm: &mut Vm) -> Result<()> {
    let globals = vm.globals;
    super::set_funcs(
        vm,
        globals,
        &[
            ("assert", assert),
            ("collectgarbage", collectgarbage),
            ("error", error),
            ("gcinfo", gcinfo),
            ("getfenv", getfenv),
            ("getmetatable", getmetatable),
            ("load", load),
            ("loadstring", loadstring),
            ("next", next),
            ("pcall", pcall),
            ("print", print),
            ("rawequal", rawequal),
            ("rawget", rawget),
            ("rawset", rawset),
            ("select", select),
            ("setfenv", setfenv),
            ("setmetatable", setmetatable),
            ("tonumber", tonumber),
            ("tostring", tostring),
            ("type", type_),
            ("unpack", unpack),
            ("xpcall", xpcall),
            ("newproxy", newproxy),
        ],
    )?;
    vm.mark_leaves(globals, LEAVES.iter().copied())?;
    vm.set_global("_G", Value::Table(globals))?;
    let version = vm.intern(b"Lua 5.1")?;
    vm.set_global("_VERSION", Value::String(version))?;
    // `pairs` and `ipairs` return their iterators, which are natives of their own (as in 5.1,
    // the `next` that `pairs` returns is not the global `next`).
    let pairs_next = vm.natives.register_iterator("next", next, InlineIter::Next);
    let ipairs_iter =
        vm.natives
            .register_iterator("ipairs_iterator", ipairs_aux, InlineIter::Ipairs);
    vm.set_app_data(BaseState {
        pairs_next,
        ipairs_iter,
    });
    vm.register("pairs", pairs)?;
    vm.register("ipairs", ipairs)?;
    Ok(())
}

impl Vm {
    /// `tostring` without metamethods: what `luaL_tolstring`'s default case prints.
    pub(crate) fn tostring_raw(&self, v: Value, out: &mut Vec<u8>) -> RaiseResult<()> {
        match v {
            Value::Nil => out.extend_from_slice(b"nil"),
            Value::Boolean(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
            Value::Number(n) => number::fmt_number(n, out),
            Value::String(s) => out.extend_from_slice(self.heap.str_bytes(s)?),
            other => {
                let id = match other {
                    Value::Table(h) => h.id(),
                    Value::Function(h) => h.id(),
                    Value::NativeFunction(id) => u64::from(id.0) << 4 | 0x8,
                    Value::UserData(h) => h.id(),
                    Value::Thread(h) => h.id(),
                    _ => 0,
                };
                // Addresses differ from C Lua's anyway; keep their shape (`table: 0x...`).
                let _ = write!(
                    out,
                    "{}: 0x{:08x}",
                    type_name(other),
                    0x5555_0000_u64 + id * 0x20
                );
            }
        }
        Ok(())
    }

    /// `tostring(v)`, calling `__tostring` when there is one.
    pub(crate) fn tostring_value(&mut self, v: Value) -> RaiseResult<Value> {
        if let Value::String(_) = v {
            return Ok(v);
        }
        let tm = self.metamethod(v, names::TOSTRING);
        if !matches!(tm, Value::Nil) {
            return self.call_value1(tm, &[v]);
        }
        let mut buf = Vec::new();
        self.tostring_raw(v, &mut buf)?;
        Ok(Value::String(self.intern(&buf)?))
    }
}

/// `lua_getglobal`: the global `name` in the running thread's global table, through `__index`
/// as `luaV_gettable` does (a table that `setfenv(0, t)` installed may inherit from `_G`).
fn thread_global(ctx: &mut Ctx<'_>, name: &[u8]) -> Result<Value> {
    let key = Value::String(ctx.vm.intern(name)?);
    let mut t = ctx.vm.thread_globals();
    for _ in 0..100 {
        let v = ctx.vm.heap.tx().raw_get(t, key)?;
        if !matches!(v, Value::Nil) {
            return Ok(v);
        }
        match ctx.vm.metamethod(Value::Table(t), names::INDEX) {
            Value::Table(next) => t = next,
            tm @ (Value::Function(_) | Value::NativeFunction(_)) => {
                return Ok(ctx.vm.call_value1(tm, &[Value::Table(t), key])?);
            }
            // FIXME: an `__index` of another type is indexed in turn by 5.1 (a string's
            // metatable, or an error); here it finds nothing.
            _ => return Ok(Value::Nil),
        }
    }
    Err(Raise::runtime("loop in gettable").into())
}

fn print(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let n = ctx.nargs();
    let tostring_fn = thread_global(ctx, b"tostring")?;
    // As 5.1's `luaB_print`, the global `tostring` is looked up on each call and called for each
    // value; the built-in one is run directly unless a hook would see the call.
    let builtin = !ctx.vm.th.hook.active()
        && matches!(tostring_fn, Value::NativeFunction(id) if ctx.vm.native_name(id) == "tostring");
    // As 5.1, each value is written as soon as it is converted: what a `__tostring` prints
    // comes between, and an error leaves the values before it written.
    let mut number = Vec::new();
    for i in 1..=n {
        let v = ctx.arg(i);
        let s = if builtin {
            ctx.vm.tostring_value(v)?
        } else {
            ctx.vm.call_value1(tostring_fn, &[v])?
        };
        let vm = &mut *ctx.vm;
        let bytes: &[u8] = match s {
            Value::String(s) => {
                // 5.1 writes each value with `fputs`, which stops at the first NUL byte.
                let bytes = vm.heap.str_bytes(s)?;
                let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
                &bytes[..end]
            }
            Value::Number(x) => {
                number.clear();
                number::fmt_number(x, &mut number);
                &number
            }
            _ => {
                return Err(Error::runtime("'tostring' must return a string to 'print'"));
            }
        };
        if i > 1 {
            let _ = vm.stdout.write_all(b"\t");
        }
        let _ = vm.stdout.write_all(bytes);
    }
    ctx.vm.write_stdout(b"\n");
    Ok(Ret::values(0))
}

fn type_(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let v = ctx.check_any(1)?;
    let name = match type_name(v) {
        "nil" => names::NIL,
        "boolean" => names::BOOLEAN,
        "number" => names::NUMBER,
        "string" => names::STRING,
        "table" => names::TABLE,
        "function" => names::FUNCTION,
        "userdata" => names::USERDATA,
        _ => names::THREAD,
    };
    ctx.ret(&[Value::String(name)])
}

fn tostring(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let v = ctx.check_any(1)?;
    let tm = ctx.vm.metamethod(v, names::TOSTRING);
    if !matches!(tm, Value::Nil) {
        // `__tostring(v)` runs in the interpreter loop (no Rust recursion); its first result is
        // this function's result.
        let func = ctx.vm.th.top;
        ctx.push(tm);
        ctx.push(v);
        return Ok(Ret(RetKind::Call {
            func,
            cont: Cont::NativeReturn,
        }));
    }
    let s = ctx.vm.tostring_value(v)?;
    ctx.ret(&[s])
}

fn tonumber(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let base = ctx.opt_integer(2, 10)?;
    if base == 10 {
        let v = ctx.check_any(1)?;
        let res = ctx.vm.to_number(v).map_or(Value::Nil, Value::Number);
        return ctx.ret(&[res]);
    }
    let s = ctx.check_bytes(1)?;
    if !(2..=36).contains(&base) {
        return Err(Error::arg(2, "base out of range"));
    }
    let res = number::str_to_number_base(&s, base as u32).map_or(Value::Nil, Value::Number);
    ctx.ret(&[res])
}

fn assert(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let v = ctx.check_any(1)?;
    if is_truthy(v) {
        return Ok(Ret::values(ctx.push_args_again()));
    }
    let msg = match ctx.opt_string(2)? {
        Some(s) => ctx.vm.heap.str_bytes(s)?.to_vec(),
        None => b"assertion failed!".to_vec(),
    };
    Err(Error::runtime(msg))
}

fn error(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let level = ctx.opt_integer(2, 1)?;
    let v = ctx.arg(1);
    if level > 0 && matches!(v, Value::String(_) | Value::Number(_)) {
        let mut msg = ctx.vm.where_(level as usize);
        ctx.vm.plain_tostring(v, &mut msg)?;
        let value = ctx.vm.message_value(&msg);
        return Err(Error::value(value));
    }
    Err(Error::value(v))
}

fn pcall(ctx: &mut Ctx<'_>) -> Result<Ret> {
    ctx.check_any(1)?;
    Ok(Ret(RetKind::Call {
        func: ctx.base,
        cont: Cont::Pcall,
    }))
}

fn xpcall(ctx: &mut Ctx<'_>) -> Result<Ret> {
    ctx.check_any(2)?;
    // Stack: handler, then the function, called without arguments.
    let (f, handler) = (ctx.arg(1), ctx.arg(2));
    ctx.vm.th.stack[ctx.base] = handler;
    ctx.vm.th.stack[ctx.base + 1] = f;
    ctx.vm.th.top = ctx.base + 2;
    Ok(Ret(RetKind::Call {
        func: ctx.base + 1,
        cont: Cont::Xpcall,
    }))
}

/// The payload of a `newproxy` userdata: nothing.
struct Proxy;

impl ferrous_heap::Trace for Proxy {
    fn trace(&self, _tracer: &mut ferrous_heap::Tracer<'_>) {}
}

/// `newproxy([b])`: an empty userdata; with `true` it gets a new metatable of its own, with
/// another proxy it shares that one's metatable (5.1 accepts only metatables `newproxy` made,
/// which are exactly those of proxies: Lua cannot set a userdata's metatable).
fn newproxy(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let metatable = match ctx.arg(1) {
        Value::Nil | Value::Boolean(false) => None,
        Value::Boolean(true) => Some(ctx.vm.new_table(0, 0)?),
        Value::UserData(u) => {
            let proxy = ctx.vm.heap.userdata(u)?;
            match (proxy.downcast_ref::<Proxy>(), proxy.metatable) {
                (Some(_), Some(mt)) => Some(mt),
                _ => return Err(Error::arg(1, "boolean or proxy expected")),
            }
        }
        _ => return Err(Error::arg(1, "boolean or proxy expected")),
    };
    let proxy = ctx.vm.heap.tx().new_userdata(ferrous_heap::UserData {
        metatable,
        env: None,
        data: Box::new(Proxy),
    })?;
    ctx.ret(&[Value::UserData(proxy)])
}

fn rawequal(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let a = ctx.check_any(1)?;
    let b = ctx.check_any(2)?;
    ctx.ret(&[Value::Boolean(a == b)])
}

fn rawget(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let t = ctx.check_table(1)?;
    let k = ctx.check_any(2)?;
    let v = ctx.vm.heap.tx().raw_get(t, k)?;
    ctx.ret(&[v])
}

fn rawset(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let t = ctx.check_table(1)?;
    let k = ctx.check_any(2)?;
    let v = ctx.check_any(3)?;
    ctx.vm.heap.tx().raw_set(t, k, v)?;
    ctx.ret(&[Value::Table(t)])
}

fn setmetatable(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let t = ctx.check_table(1)?;
    let mt = match ctx.arg(2) {
        Value::Nil if ctx.nargs() >= 2 => None,
        Value::Table(mt) => Some(mt),
        _ => return Err(Error::arg(2, "nil or table expected")),
    };
    if let Some(old) = ctx.vm.heap.metatable(t)? {
        if !matches!(ctx.vm.heap.raw_get_str(old, names::METATABLE)?, Value::Nil) {
            return Err(Error::runtime("cannot change a protected metatable"));
        }
    }
    ctx.vm.heap.tx().set_metatable(t, mt)?;
    ctx.ret(&[Value::Table(t)])
}

fn getmetatable(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let v = ctx.check_any(1)?;
    let Some(mt) = ctx.vm.metatable_of(v) else {
        return ctx.ret(&[Value::Nil]);
    };
    let protected = ctx.vm.heap.raw_get_str(mt, names::METATABLE)?;
    if matches!(protected, Value::Nil) {
        ctx.ret(&[Value::Table(mt)])
    } else {
        ctx.ret(&[protected])
    }
}

fn next(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let t = ctx.check_table(1)?;
    let k = ctx.arg(2);
    match ctx.vm.heap.tx().next(t, k) {
        Ok(Some((k, v))) => ctx.ret(&[k, v]),
        Ok(None) => ctx.ret(&[Value::Nil]),
        // Raised by 5.1's `luaH_next` with `luaG_runerror` while `next` runs: no position.
        Err(ferrous_heap::HeapError::InvalidNextKey) => {
            Err(Raise::runtime("invalid key to 'next'").into())
        }
        Err(e) => Err(e.into()),
    }
}

/// The base library's per-VM state (app data): the iterators `pairs` and `ipairs` return.
struct BaseState {
    pairs_next: NativeFn,
    ipairs_iter: NativeFn,
}

fn base_state<'c>(ctx: &'c Ctx<'_>) -> Result<&'c BaseState> {
    ctx.app_data::<BaseState>()
        .ok_or_else(|| Error::runtime("internal error: base library state"))
}

fn pairs(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let t = ctx.check_table(1)?;
    let f = Value::NativeFunction(base_state(ctx)?.pairs_next);
    ctx.ret(&[f, Value::Table(t), Value::Nil])
}

fn ipairs(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let t = ctx.check_table(1)?;
    let f = Value::NativeFunction(base_state(ctx)?.ipairs_iter);
    ctx.ret(&[f, Value::Table(t), Value::Number(0.0)])
}

fn ipairs_aux(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let t = ctx.check_table(1)?;
    let i = i64::from(number_to_int(ctx.check_number(2)?)) + 1;
    let v = ctx.vm.heap.tx().raw_get_int(t, i)?;
    if matches!(v, Value::Nil) {
        return Ok(Ret::values(0));
    }
    ctx.ret(&[Value::Number(i as f64), v])
}

fn select(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let n = ctx.nargs() as i64;
    if let Value::String(s) = ctx.arg(1) {
        if ctx.vm.heap.str_bytes(s)?.first() == Some(&b'#') {
            return ctx.ret(&[Value::Number((n - 1) as f64)]);
        }
    }
    let mut i = i64::from(number_to_int(ctx.check_number(1)?));
    if i < 0 {
        i += n;
    } else if i > n {
        i = n;
    }
    if i < 1 {
        return Err(Error::arg(1, "index out of range"));
    }
    // The results are the arguments from `i + 1` on, already on the stack.
    Ok(Ret::values((n - i) as usize))
}

fn unpack(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let t = ctx.check_table(1)?;
    let i = i64::from(number_to_int(ctx.opt_number(2, 1.0)?));
    let e = if ctx.is_none_or_nil(3) {
        ctx.vm.heap.tx().len(t)? as i64
    } else {
        i64::from(number_to_int(ctx.check_number(3)?))
    };
    if i > e {
        return Ok(Ret::values(0));
    }
    let n = e - i + 1;
    if n <= 0 || n + ctx.nargs() as i64 > MAX_C_STACK {
        return Err(Error::runtime("too many results to unpack"));
    }
    // Straight into the stack, the table looked up once.
    let (n, top) = (n as usize, ctx.vm.th.top);
    ctx.vm.th.ensure_stack(top + n);
    let vm = &mut *ctx.vm;
    vm.heap.raw_get_ints(t, i, &mut vm.th.stack[top..top + n])?;
    vm.th.top = top + n;
    Ok(Ret::values(n))
}

/// 5.1's `getfunc`: the function argument, or the function at stack level `level` (1 = the
/// caller of the native; `opt`: an absent level means 1), for `getfenv`/`setfenv`. `None` for
/// level 0 (the running thread's environment).
fn level_function(ctx: &mut Ctx<'_>, arg: Value, opt: bool) -> Result<Option<Value>> {
    if matches!(arg, Value::Function(_) | Value::NativeFunction(_)) {
        return Ok(Some(arg));
    }
    let level = if opt && matches!(arg, Value::Nil) {
        1
    } else {
        i64::from(number_to_int(ctx.check_number(1)?))
    };
    if level < 0 {
        return Err(Error::arg(1, "level must be non-negative"));
    }
    if level == 0 {
        return Ok(None);
    }
    match ctx.vm.level_frame(level as usize) {
        None => Err(Error::arg(1, "invalid level")),
        Some(None) => Err(Error::runtime(format!(
            "no function environment for tail call at level {level}"
        ))),
        Some(Some(idx)) => {
            let func = ctx.vm.th.frames[idx].func as usize;
            Ok(Some(ctx.vm.th.stack[func]))
        }
    }
}

fn getfenv(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let arg = ctx.arg(1);
    let env = match level_function(ctx, arg, true)? {
        Some(Value::Function(h)) => match ctx.vm.heap.function(h)? {
            Function::Lua(cl) => Value::Table(cl.env),
            Function::Native(_) => Value::Table(ctx.vm.globals),
        },
        // Level 0: the running thread's global table.
        None => Value::Table(ctx.vm.thread_globals()),
        _ => Value::Table(ctx.vm.globals),
    };
    ctx.ret(&[env])
}

fn setfenv(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let env = ctx.check_table(2)?;
    let arg = ctx.arg(1);
    match level_function(ctx, arg, false)? {
        None => {
            // Level 0: the running thread's global table only (a coroutine's is its own).
            match &mut ctx.vm.th.globals {
                Some(globals) => *globals = env,
                None => ctx.vm.globals = env,
            }
            Ok(Ret::values(0))
        }
        Some(Value::Function(h)) if matches!(ctx.vm.heap.function(h)?, Function::Lua(_)) => {
            if let Function::Lua(cl) = ctx.vm.heap.tx().function_mut(h)? {
                cl.env = env;
            }
            // Running frames of this closure cache their environment; the interpreter reloads
            // its copy when `env_changed` is set.
            for frame in &mut ctx.vm.th.frames {
                if let Some(lua) = &mut frame.lua {
                    if lua.closure == h {
                        lua.env = env;
                        ctx.vm.env_changed = true;
                    }
                }
            }
            ctx.ret(&[Value::Function(h)])
        }
        _ => Err(Error::runtime(
            "'setfenv' cannot change environment of given object",
        )),
    }
}

fn loadstring(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let source = ctx.check_bytes(1)?;
    let chunk_name = match ctx.opt_string(2)? {
        Some(s) => ctx.vm.heap.str_bytes(s)?.to_vec(),
        None => source.clone(),
    };
    load_result(ctx, &source, &chunk_name)
}

fn load(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let reader = ctx.arg(1);
    if !matches!(reader, Value::Function(_) | Value::NativeFunction(_)) {
        return Err(ctx.type_error(1, "function"));
    }
    let chunk_name = match ctx.opt_string(2)? {
        Some(s) => ctx.vm.heap.str_bytes(s)?.to_vec(),
        None => b"=(load)".to_vec(),
    };
    let res = super::chunk_reader::load_from_reader(ctx, reader, &chunk_name);
    load_outcome(ctx, res)
}

/// Compiles and returns the function, or `nil, message`.
fn load_result(ctx: &mut Ctx<'_>, source: &[u8], chunk_name: &[u8]) -> Result<Ret> {
    let res = ctx.vm.load_chunk(source, chunk_name);
    load_outcome(ctx, res)
}

/// The function, or `nil, message`.
fn load_outcome(ctx: &mut Ctx<'_>, res: std::result::Result<Value, LoadError>) -> Result<Ret> {
    match res {
        Ok(f) => ctx.ret(&[f]),
        Err(e) => match e.into_message() {
            Ok(msg) => {
                let msg = ctx.vm.message_value(&msg);
                ctx.ret(&[Value::Nil, msg])
            }
            // As 5.1's `load_aux`, any other failure is a result too; only running out of
            // memory (and a kill) is raised.
            Err(e @ (Raise::OutOfMemory | Raise::Killed(_) | Raise::Paused)) => Err(e.into()),
            Err(e) => {
                let msg = match e {
                    Raise::Value(v) => v,
                    other => ctx.vm.message_value(other.to_string().as_bytes()),
                };
                ctx.ret(&[Value::Nil, msg])
            }
        },
    }
}

fn collectgarbage(ctx: &mut Ctx<'_>) -> Result<Ret> {
    const OPTIONS: &[&str] = &[
        "stop",
        "restart",
        "collect",
        "count",
        "step",
        "setpause",
        "setstepmul",
    ];
    let opt = match ctx.opt_string(1)? {
        Some(s) => ctx.vm.heap.str_bytes(s)?.to_vec(),
        None => b"collect".to_vec(),
    };
    let Some(opt) = OPTIONS.iter().find(|o| o.as_bytes() == opt.as_slice()) else {
        let mut msg = b"invalid option '".to_vec();
        msg.extend_from_slice(&opt);
        msg.push(b'\'');
        return Err(Error::arg(1, msg));
    };
    let arg = ctx.opt_integer(2, 0)?;
    let res = match *opt {
        "stop" => {
            ctx.vm.gc_stopped = true;
            0.0
        }
        "restart" => {
            ctx.vm.gc_stopped = false;
            0.0
        }
        // As 5.1's `luaC_fullgc` and `luaC_step`, which set a new threshold: a full collection
        // or a step restarts a stopped collector.
        "collect" => {
            ctx.vm.gc_stopped = false;
            ctx.vm.collect_garbage();
            ctx.vm.run_finalizers()?;
            0.0
        }
        "count" => ctx.vm.heap.bytes_allocated() as f64 / 1024.0,
        "step" => {
            ctx.vm.gc_stopped = false;
            let finished = gc_step(ctx.vm, arg);
            ctx.vm.run_finalizers()?;
            return ctx.ret(&[Value::Boolean(finished)]);
        }
        "setpause" => f64::from(ctx.vm.heap.set_pause(arg as u32)),
        _ => f64::from(ctx.vm.heap.set_stepmul(arg as u32)),
    };
    ctx.ret(&[Value::Number(res)])
}

/// The collector work `collectgarbage("step")` has asked for since its last finished cycle,
/// in bytes (the VM's per-VM data of the base library).
#[derive(Default)]
struct GcStepWork(usize);

/// `collectgarbage("step", kb)`: true when a cycle finished. 5.1 runs `kb + 1` steps of 2 KiB
/// of work each (`GCSTEPSIZE` at the default `stepmul`), and a cycle is about as much work as
/// the bytes in use. Cycles here are not incremental: the step that brings the work asked
/// for to the bytes in use runs a whole cycle; the steps before it do nothing.
fn gc_step(vm: &mut Vm, kb: i64) -> bool {
    const STEP_WORK: usize = 2048;
    let work = usize::try_from(kb)
        .unwrap_or(0)
        .saturating_add(1)
        .saturating_mul(STEP_WORK);
    if vm.app_data::<GcStepWork>().is_none() {
        vm.set_app_data(GcStepWork::default());
    }
    let in_use = vm.heap.bytes_allocated();
    let Some(done) = vm.app_data_mut::<GcStepWork>() else {
        return false;
    };
    done.0 = done.0.saturating_add(work);
    if done.0 < in_use {
        return false;
    }
    done.0 = 0;
    vm.collect_garbage();
    true
}

fn gcinfo(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let kb = (ctx.vm.heap.bytes_allocated() / 1024) as f64;
    ctx.ret(&[Value::Number(kb)])
}

impl Ctx<'_> {
    /// Returns all the arguments as results (they are already on the stack).
    fn push_args_again(&mut self) -> usize {
        self.vm.th.top = self.base + self.nargs;
        self.nargs
    }
}

impl Vm {
    /// Writes to the VM's standard output.
    pub(crate) fn write_stdout(&mut self, bytes: &[u8]) {
        self.stdout_pending = true;
        let _ = self.stdout.write_all(bytes);
    }
}
