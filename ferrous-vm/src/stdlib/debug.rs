//! The `debug` library of 5.1 (ldblib.c), `Cli` profile only (the Redis sandbox never has it):
//! `getinfo`, `getlocal`, `setlocal`, `getupvalue`, `setupvalue`, `getregistry`,
//! `getmetatable`, `setmetatable`, `getfenv`, `setfenv`, `sethook`, `gethook`, `traceback`,
//! `debug`.
//!
//! Functions that take a thread as their first argument (`getinfo`, `getlocal`, `setlocal`,
//! `sethook`, `gethook`, `traceback`) read a suspended coroutine's frames from its heap payload;
//! the running thread's are `Vm::th`. Stack levels count the calls tail calls replaced, as
//! `lua_getstack` does (`debug::level_frame_in`).

use std::io::{BufRead, Write};

use ferrous_heap::{Function, ThreadHandle, Value};

use crate::debug::level_frame_in;
use crate::error::{Error, Raise, Result};
use crate::hook::{Hook, MASK_CALL, MASK_COUNT, MASK_LINE, MASK_RET};
use crate::native::{Ctx, Ret};
use crate::thread::Frame;
use crate::vm::{Vm, basic_meta_slot};

pub(crate) fn open(vm: &mut Vm) -> Result<ferrous_heap::TableHandle> {
    super::new_lib(
        vm,
        "debug",
        &[
            ("debug", debug),
            ("getfenv", getfenv),
            ("gethook", gethook),
            ("getinfo", getinfo),
            ("getlocal", getlocal),
            ("getregistry", getregistry),
            ("getmetatable", getmetatable),
            ("getupvalue", getupvalue),
            ("setfenv", setfenv),
            ("sethook", sethook),
            ("setlocal", setlocal),
            ("setmetatable", setmetatable),
            ("setupvalue", setupvalue),
            ("traceback", traceback),
        ],
    )
}

/// 5.1's `getthread`: the thread argument, if the first argument is one, and the index of the
/// argument before the others (0 or 1).
fn get_thread(ctx: &Ctx<'_>) -> (Option<ThreadHandle>, usize) {
    match ctx.arg(1) {
        Value::Thread(t) => (Some(t), 1),
        _ => (None, 0),
    }
}

/// A copy of the frames of `thread` (the running one when `None` or current) and whether
/// it is the running thread.
fn frames_of(vm: &Vm, thread: Option<ThreadHandle>) -> (Vec<Frame>, bool) {
    match thread {
        Some(t) if t != vm.current => {
            let frames = vm
                .thread_state(t)
                .map(|state| {
                    if state.frames.is_empty() {
                        state
                            .error_frames
                            .as_deref()
                            .map(<[Frame]>::to_vec)
                            .unwrap_or_default()
                    } else {
                        state.frames.clone()
                    }
                })
                .unwrap_or_default();
            (frames, false)
        }
        _ => (vm.th.frames.clone(), true),
    }
}

/// Stack slot `slot` of `thread`.
fn slot_of(vm: &Vm, thread: Option<ThreadHandle>, slot: usize) -> Value {
    match thread {
        Some(t) if t != vm.current => vm
            .thread_state(t)
            .and_then(|state| state.stack.get(slot).copied())
            .unwrap_or(Value::Nil),
        _ => vm.th.stack.get(slot).copied().unwrap_or(Value::Nil),
    }
}

/// The `top` of `thread`.
fn top_of(vm: &Vm, thread: Option<ThreadHandle>) -> usize {
    match thread {
        Some(t) if t != vm.current => vm.thread_state(t).map_or(0, |state| state.top),
        _ => vm.th.top,
    }
}

/// Sets `t[name] = v`.
fn set_field(vm: &mut Vm, t: ferrous_heap::TableHandle, name: &str, v: Value) -> Result<()> {
    let key = vm.intern(name.as_bytes())?;
    vm.heap.tx().raw_set_str(t, key, v)?;
    Ok(())
}

fn getinfo(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let (thread, arg) = get_thread(ctx);
    let options = match ctx.opt_string(arg + 2)? {
        Some(s) => ctx.vm.str_bytes(s)?.to_vec(),
        None => b"flnSu".to_vec(),
    };
    let (frames, _) = frames_of(ctx.vm, thread);
    // The frame (`Some(Some(idx))`), a lost tail call (`Some(None)`), or a function (`None`).
    let (level, func) = match ctx.arg(arg + 1) {
        Value::Number(n) => {
            let level = crate::value::number_to_integer(n);
            let found = if level < 0 {
                None
            } else {
                level_frame_in(&frames, level as usize)
            };
            match found {
                None => return ctx.ret(&[Value::Nil]),
                Some(Some(idx)) => (
                    Some(Some(idx)),
                    slot_of(ctx.vm, thread, frames[idx].func as usize),
                ),
                Some(None) => (Some(None), Value::Nil),
            }
        }
        f @ (Value::Function(_) | Value::NativeFunction(_)) => (None, f),
        _ => return Err(Error::arg((arg + 1) as u32, "function or level expected")),
    };
    if options.starts_with(b">")
        || options
            .iter()
            .any(|c| !matches!(c, b'S' | b'l' | b'u' | b'n' | b'L' | b'f'))
    {
        return Err(Error::arg((arg + 2) as u32, "invalid option"));
    }
    let has = |c: u8| options.contains(&c);
    let t = ctx.vm.new_table(0, 2)?;
    let frame_idx = match level {
        Some(Some(idx)) => Some(idx),
        _ => None,
    };
    if level == Some(None) {
        // 5.1's `info_tailcall`.
        if has(b'S') {
            let source = ctx.vm.intern(b"=(tail call)")?;
            let short = ctx.vm.intern(b"(tail call)")?;
            let what = ctx.vm.intern(b"tail")?;
            set_field(ctx.vm, t, "source", Value::String(source))?;
            set_field(ctx.vm, t, "short_src", Value::String(short))?;
            set_field(ctx.vm, t, "linedefined", Value::Number(-1.0))?;
            set_field(ctx.vm, t, "lastlinedefined", Value::Number(-1.0))?;
            set_field(ctx.vm, t, "what", Value::String(what))?;
        }
        if has(b'l') {
            set_field(ctx.vm, t, "currentline", Value::Number(-1.0))?;
        }
        if has(b'u') {
            set_field(ctx.vm, t, "nups", Value::Number(0.0))?;
        }
        if has(b'n') {
            let empty = ctx.vm.intern(b"")?;
            set_field(ctx.vm, t, "name", Value::String(empty))?;
            set_field(ctx.vm, t, "namewhat", Value::String(empty))?;
        }
        if has(b'L') {
            set_field(ctx.vm, t, "activelines", Value::Nil)?;
        }
        if has(b'f') {
            set_field(ctx.vm, t, "func", Value::Nil)?;
        }
        return ctx.ret(&[Value::Table(t)]);
    }
    let (proto, nups) = match func {
        Value::Function(h) => match ctx.vm.heap.function(h)? {
            Function::Lua(cl) => (Some(cl.proto), cl.upvalues.len()),
            Function::Native(nc) => (None, nc.upvalues.len()),
        },
        _ => (None, 0),
    };
    if has(b'S') {
        match proto {
            Some(p) => {
                let (source, line_defined, last) = {
                    let proto = ctx.vm.heap.proto(p)?;
                    (proto.source, proto.line_defined, proto.last_line_defined)
                };
                let short = ctx.vm.short_src(p);
                let short = ctx.vm.intern(&short)?;
                let what = ctx
                    .vm
                    .intern(if line_defined == 0 { b"main" } else { b"Lua" })?;
                set_field(ctx.vm, t, "source", Value::String(source))?;
                set_field(ctx.vm, t, "short_src", Value::String(short))?;
                set_field(
                    ctx.vm,
                    t,
                    "linedefined",
                    Value::Number(f64::from(line_defined)),
                )?;
                set_field(ctx.vm, t, "lastlinedefined", Value::Number(f64::from(last)))?;
                set_field(ctx.vm, t, "what", Value::String(what))?;
            }
            None => {
                let c = ctx.vm.intern(b"=[C]")?;
                let short = ctx.vm.intern(b"[C]")?;
                let what = ctx.vm.intern(b"C")?;
                set_field(ctx.vm, t, "source", Value::String(c))?;
                set_field(ctx.vm, t, "short_src", Value::String(short))?;
                set_field(ctx.vm, t, "linedefined", Value::Number(-1.0))?;
                set_field(ctx.vm, t, "lastlinedefined", Value::Number(-1.0))?;
                set_field(ctx.vm, t, "what", Value::String(what))?;
            }
        }
    }
    if has(b'l') {
        let line = frame_idx
            .and_then(|idx| ctx.vm.frame_line(&frames[idx]))
            .map_or(-1.0, |(_, line)| f64::from(line));
        set_field(ctx.vm, t, "currentline", Value::Number(line))?;
    }
    if has(b'u') {
        set_field(ctx.vm, t, "nups", Value::Number(nups as f64))?;
    }
    if has(b'n') {
        let (kind, name) = match frame_idx {
            Some(idx) => ctx.vm.called_name_in(&frames, idx),
            None => (None, Vec::new()),
        };
        match kind {
            Some(kind) => {
                let name = ctx.vm.intern(&name)?;
                let kind = ctx.vm.intern(kind.as_bytes())?;
                set_field(ctx.vm, t, "name", Value::String(name))?;
                set_field(ctx.vm, t, "namewhat", Value::String(kind))?;
            }
            None => {
                let empty = ctx.vm.intern(b"")?;
                set_field(ctx.vm, t, "name", Value::Nil)?;
                set_field(ctx.vm, t, "namewhat", Value::String(empty))?;
            }
        }
    }
    if has(b'L') {
        let lines = match proto {
            Some(p) => {
                let line_info = ctx.vm.heap.proto(p)?.line_info.clone();
                let lines = ctx.vm.new_table(0, 0)?;
                for line in line_info.iter() {
                    ctx.vm.heap.tx().raw_set(
                        lines,
                        Value::Number(f64::from(*line)),
                        Value::Boolean(true),
                    )?;
                }
                Value::Table(lines)
            }
            None => Value::Nil,
        };
        set_field(ctx.vm, t, "activelines", lines)?;
    }
    if has(b'f') {
        set_field(ctx.vm, t, "func", func)?;
    }
    ctx.ret(&[Value::Table(t)])
}

/// 5.1's `findlocal`: the name and stack slot of local `n` of frame `idx`.
fn find_local(
    vm: &Vm,
    thread: Option<ThreadHandle>,
    frames: &[Frame],
    idx: usize,
    n: i64,
) -> Option<(Vec<u8>, usize)> {
    let frame = &frames[idx];
    let slot = (frame.base as usize).checked_add(usize::try_from(n).ok()?.checked_sub(1)?)?;
    if let Some(lua) = &frame.lua {
        let n = u32::try_from(n).ok()?;
        if let Some(name) = vm.local_name(lua.proto, n, frame.pc.saturating_sub(1)) {
            return Some((name, slot));
        }
    }
    let limit = match frames.get(idx + 1) {
        Some(next) => next.func as usize,
        None => top_of(vm, thread),
    };
    if n > 0 && limit.saturating_sub(frame.base as usize) >= n as usize {
        Some((b"(*temporary)".to_vec(), slot))
    } else {
        None
    }
}

/// The frame at the level given by argument `arg`, or `level out of range`.
fn level_arg(ctx: &mut Ctx<'_>, frames: &[Frame], arg: usize) -> Result<Option<usize>> {
    let level = ctx.check_int(arg)?;
    match usize::try_from(level)
        .ok()
        .and_then(|l| level_frame_in(frames, l))
    {
        Some(found) => Ok(found),
        None => Err(Error::arg(arg as u32, "level out of range")),
    }
}

fn getlocal(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let (thread, arg) = get_thread(ctx);
    let (frames, _) = frames_of(ctx.vm, thread);
    let idx = level_arg(ctx, &frames, arg + 1)?;
    let n = i64::from(ctx.check_int(arg + 2)?);
    let Some(idx) = idx else {
        return ctx.ret(&[Value::Nil]);
    };
    match find_local(ctx.vm, thread, &frames, idx, n) {
        Some((name, slot)) => {
            let value = slot_of(ctx.vm, thread, slot);
            let name = ctx.vm.intern(&name)?;
            ctx.ret(&[Value::String(name), value])
        }
        None => ctx.ret(&[Value::Nil]),
    }
}

fn setlocal(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let (thread, arg) = get_thread(ctx);
    let (frames, running) = frames_of(ctx.vm, thread);
    let idx = level_arg(ctx, &frames, arg + 1)?;
    let n = i64::from(ctx.check_int(arg + 2)?);
    let value = ctx.check_any(arg + 3)?;
    let Some(idx) = idx else {
        return ctx.ret(&[Value::Nil]);
    };
    match find_local(ctx.vm, thread, &frames, idx, n) {
        Some((name, slot)) => {
            if running {
                if let Some(v) = ctx.vm.th.stack.get_mut(slot) {
                    *v = value;
                }
            } else if let Some(t) = thread {
                ctx.vm.with_thread_state_mut(t, |state| {
                    if let Some(v) = state.stack.get_mut(slot) {
                        *v = value;
                    }
                });
            }
            ctx.push_bytes(&name)?;
            Ok(Ret::values(1))
        }
        None => ctx.ret(&[Value::Nil]),
    }
}

/// 5.1's `auxupvalue`: the name of upvalue `n` of a Lua function (C upvalues are not shown).
fn upvalue_name(ctx: &mut Ctx<'_>) -> Result<Option<(ferrous_heap::FunctionHandle, usize)>> {
    let n = ctx.check_int(2)?;
    let f = match ctx.arg(1) {
        Value::Function(h) => h,
        Value::NativeFunction(_) => return Ok(None),
        _ => return Err(ctx.type_error(1, "function")),
    };
    let Function::Lua(cl) = ctx.vm.heap.function(f)? else {
        return Ok(None);
    };
    let count = ctx.vm.heap.proto(cl.proto)?.upvalue_names.len();
    match usize::try_from(n) {
        Ok(n) if n >= 1 && n <= count => Ok(Some((f, n - 1))),
        _ => Ok(None),
    }
}

fn upvalue_name_bytes(vm: &Vm, f: ferrous_heap::FunctionHandle, idx: usize) -> Vec<u8> {
    let Ok(Function::Lua(cl)) = vm.heap.function(f) else {
        return Vec::new();
    };
    vm.heap
        .proto(cl.proto)
        .ok()
        .and_then(|p| p.upvalue_names.get(idx).copied())
        .and_then(|s| vm.heap.str_bytes(s).ok())
        .unwrap_or(b"")
        .to_vec()
}

fn getupvalue(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let Some((f, idx)) = upvalue_name(ctx)? else {
        return Ok(Ret::values(0));
    };
    let name = upvalue_name_bytes(ctx.vm, f, idx);
    let value = ctx.vm.get_upvalue(f, idx)?;
    let name = ctx.vm.intern(&name)?;
    ctx.ret(&[Value::String(name), value])
}

fn setupvalue(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let value = ctx.check_any(3)?;
    let Some((f, idx)) = upvalue_name(ctx)? else {
        return Ok(Ret::values(0));
    };
    let name = upvalue_name_bytes(ctx.vm, f, idx);
    ctx.vm.set_upvalue(f, idx, value)?;
    ctx.push_bytes(&name)?;
    Ok(Ret::values(1))
}

fn getregistry(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let registry = ctx.vm.registry;
    ctx.ret(&[Value::Table(registry)])
}

fn getmetatable(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let v = ctx.check_any(1)?;
    let mt = ctx.vm.metatable_of(v).map_or(Value::Nil, Value::Table);
    ctx.ret(&[mt])
}

fn setmetatable(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let v = ctx.arg(1);
    let mt = match ctx.arg(2) {
        Value::Nil => None,
        Value::Table(mt) => Some(mt),
        _ => return Err(Error::arg(2, "nil or table expected")),
    };
    match v {
        Value::Table(t) => ctx.vm.heap.tx().set_metatable(t, mt)?,
        Value::UserData(u) => ctx.vm.heap.tx().userdata_mut(u)?.metatable = mt,
        Value::String(_) => ctx.vm.string_meta = mt,
        other => {
            if let Some(slot) = basic_meta_slot(other) {
                ctx.vm.basic_meta[slot] = mt;
            }
        }
    }
    ctx.ret(&[Value::Boolean(true)])
}

fn getfenv(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let env = match ctx.check_any(1)? {
        Value::Function(h) => match ctx.vm.heap.function(h)? {
            Function::Lua(cl) => Value::Table(cl.env),
            Function::Native(nc) => Value::Table(nc.env),
        },
        Value::NativeFunction(_) => Value::Table(ctx.vm.globals),
        Value::UserData(u) => ctx
            .vm
            .heap
            .userdata(u)?
            .env
            .map_or(Value::Nil, Value::Table),
        Value::Thread(t) => Value::Table(thread_globals(ctx.vm, t)),
        _ => Value::Nil,
    };
    ctx.ret(&[env])
}

/// The global table of thread `t`.
fn thread_globals(vm: &Vm, t: ThreadHandle) -> ferrous_heap::TableHandle {
    if t == vm.current {
        return vm.thread_globals();
    }
    vm.thread_state(t)
        .and_then(|state| state.globals)
        .unwrap_or(vm.globals)
}

fn setfenv(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let env = ctx.check_table(2)?;
    let target = ctx.arg(1);
    let changed = match target {
        Value::Function(h) => {
            match ctx.vm.heap.tx().function_mut(h)? {
                Function::Lua(cl) => cl.env = env,
                Function::Native(nc) => nc.env = env,
            }
            for frame in &mut ctx.vm.th.frames {
                if let Some(lua) = &mut frame.lua {
                    if lua.closure == h {
                        lua.env = env;
                        ctx.vm.env_changed = true;
                    }
                }
            }
            true
        }
        Value::UserData(u) => {
            ctx.vm.heap.tx().userdata_mut(u)?.env = Some(env);
            true
        }
        Value::Thread(t) => {
            if t == ctx.vm.current {
                match &mut ctx.vm.th.globals {
                    Some(globals) => *globals = env,
                    None => ctx.vm.globals = env,
                }
            } else if t == ctx.vm.main_thread {
                ctx.vm.globals = env;
            } else {
                ctx.vm
                    .with_thread_state_mut(t, |state| state.globals = Some(env));
            }
            true
        }
        _ => false,
    };
    if !changed {
        return Err(Error::runtime(
            "'setfenv' cannot change environment of given object",
        ));
    }
    ctx.ret(&[target])
}

fn sethook(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let (thread, arg) = get_thread(ctx);
    let hook = if ctx.is_none_or_nil(arg + 1) {
        Hook::default()
    } else {
        let smask = ctx.check_bytes(arg + 2)?;
        if !matches!(
            ctx.arg(arg + 1),
            Value::Function(_) | Value::NativeFunction(_)
        ) {
            return Err(ctx.type_error(arg + 1, "function"));
        }
        let count = i32::try_from(ctx.opt_integer(arg + 3, 0)?).unwrap_or(0);
        let mut mask = 0;
        for (c, bit) in [(b'c', MASK_CALL), (b'r', MASK_RET), (b'l', MASK_LINE)] {
            if smask.contains(&c) {
                mask |= bit;
            }
        }
        if count > 0 {
            mask |= MASK_COUNT;
        }
        if mask == 0 {
            Hook::default()
        } else {
            Hook {
                mask,
                base_count: count,
                count,
                allow: true,
            }
        }
    };
    let func = if hook.mask == 0 {
        Value::Nil
    } else {
        ctx.arg(arg + 1)
    };
    let target = thread.unwrap_or(ctx.vm.current);
    let registry = ctx.vm.registry;
    ctx.vm
        .heap
        .tx()
        .raw_set(registry, Value::Thread(target), func)?;
    match thread {
        Some(t) if t != ctx.vm.current => {
            ctx.vm.with_thread_state_mut(t, |state| {
                // A hook set from inside a hook keeps that hook's `allow`.
                state.hook = Hook {
                    allow: state.hook.allow,
                    ..hook
                };
            });
        }
        _ => {
            let allow = ctx.vm.th.hook.allow;
            ctx.vm.th.hook = Hook { allow, ..hook };
            ctx.vm.request_loop_switch();
        }
    }
    Ok(Ret::values(0))
}

fn gethook(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let (thread, _) = get_thread(ctx);
    let func = ctx.vm.hook_function(thread.unwrap_or(ctx.vm.current))?;
    let hook = match thread {
        Some(t) if t != ctx.vm.current => ctx
            .vm
            .thread_state(t)
            .map(|state| state.hook)
            .unwrap_or_default(),
        _ => ctx.vm.th.hook,
    };
    let mut mask = Vec::new();
    for (c, bit) in [(b'c', MASK_CALL), (b'r', MASK_RET), (b'l', MASK_LINE)] {
        if hook.mask & bit != 0 {
            mask.push(c);
        }
    }
    ctx.push(if hook.mask == 0 { Value::Nil } else { func });
    ctx.push_bytes(&mask)?;
    ctx.push(Value::Number(f64::from(hook.base_count)));
    Ok(Ret::values(3))
}

fn traceback(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let (thread, arg) = get_thread(ctx);
    let msg = ctx.arg(arg + 1);
    // 5.1 (`db_errorfb`): an explicit nil is returned as it is, like any non-string message.
    let no_msg = ctx.nargs() <= arg;
    if !no_msg && !matches!(msg, Value::String(_) | Value::Number(_)) {
        return ctx.ret(&[msg]);
    }
    let (frames, running) = frames_of(ctx.vm, thread);
    let level = ctx.opt_integer(arg + 2, i64::from(running))?.max(0) as usize;
    let mut out = Vec::new();
    if !no_msg {
        ctx.vm.plain_tostring(msg, &mut out)?;
        out.push(b'\n');
    }
    out.extend_from_slice(ctx.vm.traceback_of(&frames, level).as_bytes());
    if running {
        out.extend_from_slice(b"\n\t[C]: ?");
    }
    ctx.push_bytes(&out)?;
    Ok(Ret::values(1))
}

/// `debug.debug`: runs each line read from stdin until `cont` or the end of the input; errors
/// are printed to stderr.
fn debug(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let stdin = std::io::stdin();
    loop {
        let _ = std::io::stderr().write_all(b"lua_debug> ");
        let mut line = Vec::new();
        match stdin.lock().read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return Ok(Ret::values(0)),
            Ok(_) => {}
        }
        if line == b"cont\n" {
            return Ok(Ret::values(0));
        }
        let res = match ctx.vm.load_chunk(&line, b"=(debug command)") {
            Ok(f) => ctx.vm.call_value(f, &[]).map(|_| ()),
            Err(e) => match e.into_message() {
                Ok(msg) => Err(Raise::Value(ctx.vm.message_value(&msg))),
                Err(e) => Err(e),
            },
        };
        match res {
            Ok(()) => {}
            Err(Raise::Value(v)) => {
                let mut out = Vec::new();
                if !ctx.vm.plain_tostring(v, &mut out)? {
                    out = b"(error object is not a string)".to_vec();
                }
                out.push(b'\n');
                let _ = std::io::stderr().write_all(&out);
            }
            Err(e) => return Err(e.into()),
        }
    }
}
