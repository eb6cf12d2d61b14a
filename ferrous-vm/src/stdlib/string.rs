//! The `string` library of Lua 5.1 (lstrlib.c) and the string metatable (`("x"):rep(3)`).
//!
//! The byte-level work lives in `lua_pattern.rs` (patterns) and `format.rs` (`string.format`);
//! this file checks arguments, converts positions, and bridges to the VM: Lua replacement
//! functions of `gsub`, the `gmatch` iterator state, and fuel.
//!
//! Invariants:
//! - Strings are bytes: nothing here assumes UTF-8.
//! - Pattern matching consumes fuel; when a match runs long, the host's interrupt decides
//!   whether to stop the script, so a time limit can interrupt any pattern.
//! - No result string is built before checking it fits the memory cap (`string.rep`).

use std::borrow::Cow;

use ferrous_heap::{Function, Value};

use super::format::{self, FormatArgs, FormatError};
use super::lua_pattern::{
    Capture, GsubState, Match, PatternError, PatternMatcher, expand_replacement, start_index,
};
use crate::error::{RtError, RtResult};
use crate::native::{Ctx, Ret};
use crate::value::{is_truthy, number_to_int, type_name};
use crate::vm::Vm;

/// The longest string `rep` and friends build, whatever the memory cap (1 GiB).
const MAX_STRING: usize = 1 << 30;

/// Fuel given to one pattern-matching attempt before the host is asked whether to go on.
const PATTERN_FUEL: u64 = 1 << 20;

pub(crate) fn open(vm: &mut Vm) -> RtResult<()> {
    let t = super::new_lib(
        vm,
        "string",
        &[
            ("byte", byte),
            ("char", char),
            ("dump", dump),
            ("find", find),
            ("format", format_),
            ("gmatch", gmatch),
            ("gsub", gsub),
            ("len", len),
            ("lower", lower),
            ("match", match_),
            ("rep", rep),
            ("reverse", reverse),
            ("sub", sub),
            ("upper", upper),
        ],
    )?;
    vm.gmatch_aux = vm.natives.register("gmatch_iterator", gmatch_aux);
    // LUA_COMPAT_GFIND: `string.gfind` is the same function value as `string.gmatch`.
    let gmatch_key = vm.intern(b"gmatch")?;
    let gmatch_fn = vm.heap.raw_get_str(t, gmatch_key)?;
    let gfind_key = vm.intern(b"gfind")?;
    vm.heap.tx().raw_set_str(t, gfind_key, gmatch_fn)?;
    let meta = vm.new_table(0, 1)?;
    vm.heap
        .tx()
        .raw_set_str(meta, ferrous_heap::names::INDEX, Value::Table(t))?;
    vm.string_meta = Some(meta);
    Ok(())
}

/// 5.1's `posrelat`: a negative position counts from the end.
fn posrelat(pos: i64, len: usize) -> i64 {
    let len = len as i64;
    let pos = if pos < 0 { pos + len + 1 } else { pos };
    pos.max(0)
}

fn len(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
    let s = ctx.check_string(1)?;
    let n = ctx.vm.heap.str_bytes(s)?.len();
    ctx.ret(&[Value::Number(n as f64)])
}

fn sub(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
    let s = ctx.check_string(1)?;
    let l = ctx.vm.heap.str_bytes(s)?.len();
    let start = posrelat(ctx.check_integer(2)?, l).max(1);
    let end = posrelat(ctx.opt_integer(3, -1)?, l).min(l as i64);
    if start > end {
        ctx.push_bytes(b"")?;
    } else {
        let bytes = ctx.vm.heap.str_bytes(s)?[start as usize - 1..end as usize].to_vec();
        ctx.push_bytes(&bytes)?;
    }
    Ok(Ret::values(1))
}

fn map_bytes(ctx: &mut Ctx<'_>, f: impl Fn(&[u8]) -> Vec<u8>) -> RtResult<Ret> {
    let s = ctx.check_string(1)?;
    let out = f(ctx.vm.heap.str_bytes(s)?);
    ctx.push_bytes(&out)?;
    Ok(Ret::values(1))
}

fn lower(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
    map_bytes(ctx, <[u8]>::to_ascii_lowercase)
}

fn upper(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
    map_bytes(ctx, <[u8]>::to_ascii_uppercase)
}

fn reverse(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
    map_bytes(ctx, |b| b.iter().rev().copied().collect())
}

fn rep(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
    let s = ctx.check_string(1)?;
    let n = ctx.check_integer(2)?;
    let unit = ctx.vm.heap.str_bytes(s)?.len();
    if n <= 0 || unit == 0 {
        ctx.push_bytes(b"")?;
        return Ok(Ret::values(1));
    }
    let total = unit.checked_mul(n as usize).filter(|&t| t <= MAX_STRING);
    let Some(total) = total.filter(|&t| ctx.vm.heap.can_allocate(t)) else {
        return Err(RtError::OutOfMemory);
    };
    let bytes = ctx.vm.heap.str_bytes(s)?;
    let mut out = Vec::with_capacity(total);
    for _ in 0..n {
        out.extend_from_slice(bytes);
    }
    ctx.push_bytes(&out)?;
    Ok(Ret::values(1))
}

fn byte(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
    let s = ctx.check_string(1)?;
    let l = ctx.vm.heap.str_bytes(s)?.len();
    let posi = posrelat(ctx.opt_integer(2, 1)?, l);
    let pose = posrelat(ctx.opt_integer(3, posi)?, l).min(l as i64);
    let posi = posi.max(1);
    if posi > pose {
        return Ok(Ret::values(0));
    }
    let n = (pose - posi + 1) as usize;
    if n > 8000 {
        return Err(RtError::native("string slice too long"));
    }
    let bytes = ctx.vm.heap.str_bytes(s)?[posi as usize - 1..pose as usize].to_vec();
    for b in bytes {
        ctx.push(Value::Number(f64::from(b)));
    }
    Ok(Ret::values(n))
}

fn char(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
    let mut out = Vec::with_capacity(ctx.nargs());
    for i in 1..=ctx.nargs() {
        let c = number_to_int(ctx.check_number(i)?);
        if !(0..=255).contains(&c) {
            return Err(RtError::arg(i as u32, "invalid value"));
        }
        out.push(c as u8);
    }
    ctx.push_bytes(&out)?;
    Ok(Ret::values(1))
}

fn dump(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
    match ctx.arg(1) {
        Value::Function(_) | Value::NativeFunction(_) => {
            Err(RtError::native("unable to dump given function"))
        }
        _ => Err(ctx.type_error(1, "function")),
    }
}

// ----- format -----

struct FmtArgs<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
}

impl From<FormatError> for RtError {
    fn from(err: FormatError) -> Self {
        RtError::Native(err.message())
    }
}

impl FormatArgs for FmtArgs<'_, '_> {
    type Error = RtError;

    fn check_present(&mut self, arg: usize) -> Result<(), RtError> {
        if arg > self.ctx.nargs() {
            return Err(RtError::arg(arg as u32, "no value"));
        }
        Ok(())
    }

    fn number(&mut self, arg: usize) -> Result<f64, RtError> {
        self.ctx.check_number(arg)
    }

    fn string(&mut self, arg: usize) -> Result<Cow<'_, [u8]>, RtError> {
        let s = self.ctx.check_string(arg)?;
        Ok(Cow::Borrowed(self.ctx.vm.heap.str_bytes(s)?))
    }
}

fn format_(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
    let fmt = ctx.check_bytes(1)?;
    let mut out = Vec::with_capacity(fmt.len() + 16);
    format::format(&fmt, &mut FmtArgs { ctx }, &mut out)?;
    ctx.push_bytes(&out)?;
    Ok(Ret::values(1))
}

// ----- patterns -----

impl Vm {
    /// Runs a matcher step with fuel: charged to the instruction budget; when a step needs more
    /// than `PATTERN_FUEL`, the host's interrupt may stop the script, else the step is retried
    /// with twice the fuel.
    fn with_pattern_fuel<T>(
        &mut self,
        mut step: impl FnMut(&mut PatternMatcher, &mut u64) -> Result<T, PatternError>,
    ) -> RtResult<T> {
        let mut budget = PATTERN_FUEL;
        loop {
            let mut fuel = budget;
            let res = step(&mut self.matcher, &mut fuel);
            let spent = budget - fuel;
            self.fuel = self
                .fuel
                .saturating_sub(i64::try_from(spent / 16).unwrap_or(i64::MAX));
            match res {
                Ok(v) => return Ok(v),
                Err(PatternError::FuelExhausted) => {
                    if let Some(interrupt) = self.interrupt.as_mut() {
                        if let Some(msg) = interrupt() {
                            return Err(RtError::Killed(msg));
                        }
                    }
                    budget = budget.saturating_mul(2);
                }
                Err(e) => return Err(RtError::native(e.to_string())),
            }
        }
    }

    /// Pushes the captures of a match (or the whole match) as Lua values; returns how many.
    fn push_captures(&mut self, subject: &[u8], m: &Match, whole_if_none: bool) -> RtResult<usize> {
        let n = if whole_if_none {
            m.n_values()
        } else {
            m.level()
        };
        for i in 0..n {
            let v = self.capture_value(subject, m, i)?;
            self.th.push(v);
        }
        Ok(n)
    }

    fn capture_value(&mut self, subject: &[u8], m: &Match, i: usize) -> RtResult<Value> {
        match m.capture(i).map_err(|e| RtError::native(e.to_string()))? {
            Capture::Bytes(range) => Ok(Value::String(self.intern(&subject[range])?)),
            Capture::Position(pos) => Ok(Value::Number(pos as f64)),
        }
    }
}

fn find_aux(ctx: &mut Ctx<'_>, find: bool) -> RtResult<Ret> {
    let s = ctx.check_string(1)?;
    let p = ctx.check_string(2)?;
    let subject = ctx.vm.heap.str_bytes(s)?.to_vec();
    let pattern = ctx.vm.heap.str_bytes(p)?.to_vec();
    let init = ctx.opt_integer(3, 1)?;
    let plain = find && is_truthy(ctx.arg(4));
    let start = start_index(init, subject.len());
    let m = ctx.vm.with_pattern_fuel(|matcher, fuel| {
        if find {
            matcher.find(&subject, &pattern, start, plain, fuel)
        } else {
            matcher.match_pattern(&subject, &pattern, start, fuel)
        }
    })?;
    let Some(m) = m else {
        return ctx.ret(&[Value::Nil]);
    };
    if find {
        ctx.push(Value::Number((m.start + 1) as f64));
        ctx.push(Value::Number(m.end as f64));
        let n = ctx.vm.push_captures(&subject, &m, false)?;
        Ok(Ret::values(n + 2))
    } else {
        let n = ctx.vm.push_captures(&subject, &m, true)?;
        Ok(Ret::values(n))
    }
}

fn find(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
    find_aux(ctx, true)
}

fn match_(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
    find_aux(ctx, false)
}

fn gmatch(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
    let s = ctx.check_string(1)?;
    let p = ctx.check_string(2)?;
    let id = ctx.vm.gmatch_aux;
    let upvalues = Box::new([Value::String(s), Value::String(p), Value::Number(0.0)]);
    let f = super::native_closure(ctx.vm, id, upvalues)?;
    ctx.ret(&[f])
}

fn gmatch_aux(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
    let (Value::String(s), Value::String(p), Value::Number(pos)) =
        (ctx.upvalue(0)?, ctx.upvalue(1)?, ctx.upvalue(2)?)
    else {
        return Err(RtError::native("internal error: gmatch state"));
    };
    let subject = ctx.vm.heap.str_bytes(s)?.to_vec();
    let pattern = ctx.vm.heap.str_bytes(p)?.to_vec();
    let mut at = pos as usize;
    let m = ctx.vm.with_pattern_fuel(|matcher, fuel| {
        let mut probe = at;
        let res = matcher.gmatch_next(&subject, &pattern, &mut probe, fuel);
        if res.is_ok() {
            at = probe;
        }
        res
    })?;
    let Some(m) = m else {
        return Ok(Ret::values(0));
    };
    if let Some(closure) = ctx.closure {
        if let Function::Native(nc) = ctx.vm.heap.tx().function_mut(closure)? {
            if let Some(slot) = nc.upvalues.get_mut(2) {
                *slot = Value::Number(at as f64);
            }
        }
    }
    let n = ctx.vm.push_captures(&subject, &m, true)?;
    Ok(Ret::values(n))
}

fn gsub(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
    let s = ctx.check_string(1)?;
    let p = ctx.check_string(2)?;
    let subject = ctx.vm.heap.str_bytes(s)?.to_vec();
    let pattern = ctx.vm.heap.str_bytes(p)?.to_vec();
    let repl = ctx.arg(3);
    if !matches!(
        repl,
        Value::Number(_)
            | Value::String(_)
            | Value::Function(_)
            | Value::NativeFunction(_)
            | Value::Table(_)
    ) {
        return Err(RtError::arg(3, "string/function/table expected"));
    }
    let repl_bytes = match repl {
        Value::String(_) | Value::Number(_) => Some(ctx.check_bytes(3)?),
        _ => None,
    };
    let max_n = if ctx.is_none_or_nil(4) {
        subject.len() as i64 + 1
    } else {
        i64::from(number_to_int(ctx.check_number(4)?))
    };
    let mut out = Vec::with_capacity(subject.len());
    let mut state = GsubState::new();
    let mut n = 0i64;
    while n < max_n {
        let m = ctx.vm.with_pattern_fuel(|matcher, fuel| {
            let mut probe_state = state;
            let mut probe_out = Vec::new();
            let res = matcher.gsub_next(&subject, &pattern, &mut probe_state, &mut probe_out, fuel);
            if res.is_ok() {
                state = probe_state;
                out.extend_from_slice(&probe_out);
            }
            res
        })?;
        let Some(m) = m else {
            break;
        };
        n += 1;
        if let Some(repl_bytes) = &repl_bytes {
            expand_replacement(repl_bytes, &subject, &m, &mut out)
                .map_err(|e| RtError::native(e.to_string()))?;
            continue;
        }
        let first = ctx.vm.capture_value(&subject, &m, 0)?;
        let value = match repl {
            Value::Table(t) => ctx.vm.index_sync(Value::Table(t), first)?,
            f => {
                let mut args = Vec::with_capacity(m.n_values());
                for i in 0..m.n_values() {
                    args.push(ctx.vm.capture_value(&subject, &m, i)?);
                }
                ctx.vm.call_value1(f, &args)?
            }
        };
        match value {
            Value::Nil | Value::Boolean(false) => out.extend_from_slice(&subject[m.start..m.end]),
            Value::String(_) | Value::Number(_) => {
                ctx.vm.plain_tostring(value, &mut out)?;
            }
            other => {
                return Err(RtError::native(format!(
                    "invalid replacement value (a {})",
                    type_name(other)
                )));
            }
        }
        if out.len() > MAX_STRING || !ctx.vm.heap.can_allocate(out.len()) {
            return Err(RtError::OutOfMemory);
        }
    }
    state.finish(&subject, &mut out);
    ctx.push_bytes(&out)?;
    ctx.push(Value::Number(n as f64));
    Ok(Ret::values(2))
}
