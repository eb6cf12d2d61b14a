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

use ferrous_heap::{Function, Heap, HeapError, NativeFn, StringHandle, Value};

use super::format::{self, FormatArgs, FormatError};
use super::lua_pattern::{
    Capture, GsubState, MAX_CAPTURES, Match, PatternError, PatternMatcher, expand_replacement,
    find_plain, has_specials, start_index,
};
use crate::app_data::AppData;
use crate::error::{Error, Raise, RaiseResult, Result};
use crate::native::{Ctx, Ret};
use crate::value::{count, is_truthy, number_to_int, type_name};
use crate::vm::Vm;

/// The string library's per-VM state (app data): the pattern matcher, whose backtracking stack,
/// scratch buffer and compiled-pattern cache are reused from match to match, and the native
/// behind `string.gmatch`'s iterators.
pub(crate) struct StringState {
    matcher: PatternMatcher,
    gmatch_aux: NativeFn,
}

/// The matcher of the string library's state (the library is open whenever a native that
/// matches can run).
fn matcher_of(app_data: &mut AppData) -> RaiseResult<&mut PatternMatcher> {
    match app_data.get_mut::<StringState>() {
        Some(state) => Ok(&mut state.matcher),
        None => Err(Raise::runtime("internal error: string library state")),
    }
}

/// The longest string `rep` and friends build, whatever the memory cap (1 GiB).
const MAX_STRING: usize = 1 << 30;

/// Fuel given to one pattern-matching attempt before the host is asked whether to go on.
const PATTERN_FUEL: u64 = 1 << 20;

/// The functions that run no Lua code and do not look at the call stack: all but `gsub`, which
/// may call a function or index a table, and `dump`. (A long match asks the host's interrupt
/// whether to go on; the interrupt does not see the VM.)
const LEAVES: &[&str] = &[
    "byte", "char", "find", "format", "gmatch", "len", "lower", "match", "rep", "reverse", "sub",
    "upper",
];

pub(crate) fn open(vm: &mut Vm) -> Result<()> {
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
    vm.mark_leaves(t, LEAVES.iter().copied())?;
    let gmatch_aux = vm.natives.register("gmatch_iterator", gmatch_aux);
    vm.set_app_data(StringState {
        matcher: PatternMatcher::new(),
        gmatch_aux,
    });
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

fn len(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let s = ctx.check_string(1)?;
    let n = ctx.vm.heap.str_bytes(s)?.len();
    ctx.ret(&[count(n)])
}

fn sub(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let s = ctx.check_string(1)?;
    let l = ctx.vm.heap.str_bytes(s)?.len();
    let start = posrelat(ctx.check_integer(2)?, l).max(1);
    let end = posrelat(ctx.opt_integer(3, -1)?, l).min(l as i64);
    let sub = if start > end {
        ctx.vm.intern(b"")?
    } else {
        let range = start as usize - 1..end as usize;
        ctx.vm.heap.tx().intern_from(s, |bytes, out| {
            out.extend_from_slice(bytes.get(range).unwrap_or_default());
        })?
    };
    ctx.push(Value::String(sub));
    Ok(Ret::values(1))
}

/// A string made from argument 1's bytes by `f`, built in the heap's reused buffer.
fn map_bytes(ctx: &mut Ctx<'_>, f: impl Fn(&[u8], &mut Vec<u8>)) -> Result<Ret> {
    let s = ctx.check_string(1)?;
    let mapped = ctx.vm.heap.tx().intern_from(s, f)?;
    ctx.push(Value::String(mapped));
    Ok(Ret::values(1))
}

fn lower(ctx: &mut Ctx<'_>) -> Result<Ret> {
    map_bytes(ctx, |b, out| {
        out.extend(b.iter().map(u8::to_ascii_lowercase))
    })
}

fn upper(ctx: &mut Ctx<'_>) -> Result<Ret> {
    map_bytes(ctx, |b, out| {
        out.extend(b.iter().map(u8::to_ascii_uppercase))
    })
}

fn reverse(ctx: &mut Ctx<'_>) -> Result<Ret> {
    map_bytes(ctx, |b, out| out.extend(b.iter().rev()))
}

fn rep(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let s = ctx.check_string(1)?;
    let n = i64::from(ctx.check_int(2)?);
    let unit = ctx.vm.heap.str_bytes(s)?.len();
    if n <= 0 || unit == 0 {
        ctx.push_bytes(b"")?;
        return Ok(Ret::values(1));
    }
    let total = unit.checked_mul(n as usize).filter(|&t| t <= MAX_STRING);
    let Some(total) = total.filter(|&t| ctx.vm.heap.can_allocate(t)) else {
        return Err(Error::OutOfMemory);
    };
    let repeated = ctx.vm.heap.tx().intern_from(s, |bytes, out| {
        out.reserve(total);
        for _ in 0..n {
            out.extend_from_slice(bytes);
        }
    })?;
    ctx.push(Value::String(repeated));
    Ok(Ret::values(1))
}

fn byte(ctx: &mut Ctx<'_>) -> Result<Ret> {
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
        // `luaL_checkstack`'s message.
        return Err(Error::runtime("stack overflow (string slice too long)"));
    }
    // Read a byte at a time: a copy of the range (the heap is borrowed while pushing) was an
    // allocation per call, most of `s:byte(i)`'s cost.
    let first = posi as usize - 1;
    for k in first..first + n {
        let b = ctx.vm.heap.str_bytes(s)?.get(k).copied().unwrap_or(0);
        ctx.push(Value::Number(f64::from(b)));
    }
    Ok(Ret::values(n))
}

fn char(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let mut out = Vec::with_capacity(ctx.nargs());
    for i in 1..=ctx.nargs() {
        let c = number_to_int(ctx.check_number(i)?);
        if !(0..=255).contains(&c) {
            return Err(Error::arg(i as u32, "invalid value"));
        }
        out.push(c as u8);
    }
    ctx.push_bytes(&out)?;
    Ok(Ret::values(1))
}

/// `string.dump`: lua5.1's binary chunk of a Lua function (`binary.rs`).
fn dump(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let bytes = match ctx.arg(1) {
        Value::Function(f) => ctx.vm.dump_function(f)?,
        Value::NativeFunction(_) => None,
        _ => return Err(ctx.type_error(1, "function")),
    };
    let Some(bytes) = bytes else {
        return Err(Error::runtime("unable to dump given function"));
    };
    let s = ctx.vm.intern(&bytes)?;
    ctx.ret(&[Value::String(s)])
}

// ----- format -----

struct FmtArgs<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
}

impl From<FormatError> for Error {
    fn from(err: FormatError) -> Self {
        Error::runtime(err.message())
    }
}

impl FormatArgs for FmtArgs<'_, '_> {
    type Error = Error;

    fn check_present(&mut self, arg: usize) -> Result<(), Error> {
        if arg > self.ctx.nargs() {
            return Err(Error::arg(arg as u32, "no value"));
        }
        Ok(())
    }

    fn number(&mut self, arg: usize) -> Result<f64, Error> {
        self.ctx.check_number(arg)
    }

    fn string(&mut self, arg: usize) -> Result<Cow<'_, [u8]>, Error> {
        let s = self.ctx.check_string(arg)?;
        Ok(Cow::Borrowed(self.ctx.vm.heap.str_bytes(s)?))
    }
}

fn format_(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let fmt = ctx.check_bytes(1)?;
    let mut out = Vec::with_capacity(fmt.len() + 16);
    format::format(&fmt, &mut FmtArgs { ctx }, &mut out)?;
    ctx.push_bytes(&out)?;
    Ok(Ret::values(1))
}

// ----- patterns -----

/// Why a matcher step stopped: a pattern error (fuel included) or a VM error.
enum StepError {
    Pattern(PatternError),
    Rt(Raise),
}

impl From<PatternError> for StepError {
    fn from(err: PatternError) -> Self {
        Self::Pattern(err)
    }
}

impl From<HeapError> for StepError {
    fn from(err: HeapError) -> Self {
        Self::Rt(err.into())
    }
}

impl Vm {
    /// Charges `spent` units of pattern fuel to the instruction budget (one unit of it per 16).
    fn charge_pattern_fuel(&mut self, spent: u64) {
        self.fuel = self
            .fuel
            .saturating_sub(i64::try_from(spent / 16).unwrap_or(i64::MAX));
    }

    /// Runs a matcher step with fuel. The step reads the strings it needs from the heap itself,
    /// so subjects are never copied. Fuel spent is charged to the instruction budget; when a step
    /// needs more than `PATTERN_FUEL`, the host's interrupt may stop the script, else the step is
    /// retried with twice the fuel (a step must leave its caller's state as it was when it
    /// returns an error).
    fn match_with_fuel<T>(
        &mut self,
        mut step: impl FnMut(&mut PatternMatcher, &Heap, &mut u64) -> Result<T, StepError>,
    ) -> RaiseResult<T> {
        let mut budget = PATTERN_FUEL;
        loop {
            let mut fuel = budget;
            let res = step(matcher_of(&mut self.app_data)?, &self.heap, &mut fuel);
            self.charge_pattern_fuel(budget - fuel);
            match res {
                Ok(v) => return Ok(v),
                Err(StepError::Pattern(PatternError::FuelExhausted)) => {
                    if let Some(interrupt) = self.interrupt.as_mut() {
                        if let Some(msg) = interrupt() {
                            return Err(Raise::Killed(msg));
                        }
                    }
                    budget = budget.saturating_mul(2);
                }
                Err(StepError::Pattern(e)) => return Err(Raise::native(e.to_string())),
                Err(StepError::Rt(e)) => return Err(e),
            }
        }
    }

    /// Pushes the captures of a match of `subject` (or the whole match) as Lua values; returns
    /// how many.
    fn push_captures(
        &mut self,
        subject: StringHandle,
        m: &Match,
        whole_if_none: bool,
    ) -> RaiseResult<usize> {
        let n = if whole_if_none {
            m.n_values()
        } else {
            m.level()
        };
        // One look-up of the matcher for all the captures.
        let matcher = matcher_of(&mut self.app_data)?;
        for i in 0..n {
            let v = capture_value(matcher, &mut self.heap, subject, m, i)?;
            self.th.push(v);
        }
        Ok(n)
    }

    /// The first `values.len()` captures of match `m` of `subject` as Lua values.
    fn capture_values(
        &mut self,
        subject: StringHandle,
        m: &Match,
        values: &mut [Value],
    ) -> RaiseResult<()> {
        let matcher = matcher_of(&mut self.app_data)?;
        for (i, value) in values.iter_mut().enumerate() {
            *value = capture_value(matcher, &mut self.heap, subject, m, i)?;
        }
        Ok(())
    }
}

/// Capture `i` of match `m` of `subject` as a Lua value. The bytes go through the matcher's
/// scratch buffer, since interning cannot borrow the heap it inserts into.
fn capture_value(
    matcher: &mut PatternMatcher,
    heap: &mut Heap,
    subject: StringHandle,
    m: &Match,
    i: usize,
) -> RaiseResult<Value> {
    match matcher
        .capture(m, i)
        .map_err(|e| Raise::native(e.to_string()))?
    {
        Capture::Bytes(range) => {
            let scratch = &mut matcher.scratch;
            scratch.clear();
            scratch.extend_from_slice(heap.str_bytes(subject)?.get(range).unwrap_or(&[]));
            Ok(Value::String(heap.tx().intern(&matcher.scratch)?))
        }
        Capture::Position(pos) => Ok(Value::Number(pos as f64)),
    }
}

fn find_aux(ctx: &mut Ctx<'_>, find: bool) -> Result<Ret> {
    let s = ctx.check_string(1)?;
    let p = ctx.check_string(2)?;
    let init = ctx.opt_integer(3, 1)?;
    let plain = find && is_truthy(ctx.arg(4));
    if find {
        if let Some(ret) = find_plain_quick(ctx, s, p, init, plain)? {
            return Ok(ret);
        }
    }
    let m = ctx.vm.match_with_fuel(|matcher, heap, fuel| {
        let subject = heap.str_bytes(s)?;
        let pattern = heap.str_bytes(p)?;
        let start = start_index(init, subject.len());
        Ok(if find {
            matcher.find(subject, pattern, start, plain, fuel)?
        } else {
            matcher.match_pattern(subject, pattern, start, fuel)?
        })
    })?;
    let Some(m) = m else {
        return ctx.ret(&[Value::Nil]);
    };
    if find {
        ctx.push(Value::Number((m.start + 1) as f64));
        ctx.push(Value::Number(m.end as f64));
        let n = ctx.vm.push_captures(s, &m, false)?;
        Ok(Ret::values(n + 2))
    } else {
        let n = ctx.vm.push_captures(s, &m, true)?;
        Ok(Ret::values(n))
    }
}

/// `string.find` of plain bytes (`plain`, or a pattern without specials) when one matcher
/// step's fuel covers the search: done here, without the matcher's state or its step loop (the
/// fuel spent is charged the same way). `None` when it does not apply, or when the fuel ran out
/// (a long search: [`Vm::match_with_fuel`] runs it again, asking the host between steps).
fn find_plain_quick(
    ctx: &mut Ctx<'_>,
    s: StringHandle,
    p: StringHandle,
    init: i64,
    plain: bool,
) -> Result<Option<Ret>> {
    let (subject, pattern) = (ctx.vm.heap.str_bytes(s)?, ctx.vm.heap.str_bytes(p)?);
    if !plain && has_specials(pattern) {
        return Ok(None);
    }
    let mut fuel = PATTERN_FUEL;
    let start = start_index(init, subject.len());
    let found = match find_plain(subject, pattern, start, &mut fuel) {
        Ok(found) => found,
        Err(_) => return Ok(None),
    };
    ctx.vm.charge_pattern_fuel(PATTERN_FUEL - fuel);
    Ok(Some(match found {
        Some((start, end)) => {
            ctx.push(Value::Number((start + 1) as f64));
            ctx.push(Value::Number(end as f64));
            Ret::values(2)
        }
        None => ctx.ret(&[Value::Nil])?,
    }))
}

fn find(ctx: &mut Ctx<'_>) -> Result<Ret> {
    find_aux(ctx, true)
}

fn match_(ctx: &mut Ctx<'_>) -> Result<Ret> {
    find_aux(ctx, false)
}

fn gmatch(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let s = ctx.check_string(1)?;
    let p = ctx.check_string(2)?;
    let Some(id) = ctx.app_data::<StringState>().map(|state| state.gmatch_aux) else {
        return Err(Error::runtime("internal error: string library state"));
    };
    let upvalues = Box::new([Value::String(s), Value::String(p), Value::Number(0.0)]);
    let f = super::native_closure(ctx.vm, id, upvalues)?;
    ctx.ret(&[f])
}

fn gmatch_aux(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let (Value::String(s), Value::String(p), Value::Number(pos)) =
        (ctx.upvalue(0)?, ctx.upvalue(1)?, ctx.upvalue(2)?)
    else {
        return Err(Error::runtime("internal error: gmatch state"));
    };
    let mut at = pos as usize;
    let m = ctx.vm.match_with_fuel(|matcher, heap, fuel| {
        let mut probe = at;
        let m = matcher.gmatch_next(heap.str_bytes(s)?, heap.str_bytes(p)?, &mut probe, fuel)?;
        at = probe;
        Ok(m)
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
    let n = ctx.vm.push_captures(s, &m, true)?;
    Ok(Ret::values(n))
}

/// Whether a `gsub` result of `len` bytes may still grow.
fn gsub_fits(heap: &Heap, len: usize) -> bool {
    len <= MAX_STRING && heap.can_allocate(len)
}

fn gsub(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let s = ctx.check_string(1)?;
    let p = ctx.check_string(2)?;
    let repl = ctx.arg(3);
    let repl_string = match repl {
        Value::String(_) | Value::Number(_) => Some(ctx.check_string(3)?),
        Value::Function(_) | Value::NativeFunction(_) | Value::Table(_) => None,
        _ => return Err(Error::arg(3, "string/function/table expected")),
    };
    let subject_len = ctx.vm.heap.str_bytes(s)?.len();
    let max_n = if ctx.is_none_or_nil(4) {
        subject_len as i64 + 1
    } else {
        i64::from(number_to_int(ctx.check_number(4)?))
    };
    let mut out = Vec::with_capacity(subject_len);
    let mut state = GsubState::new();
    let mut n = 0i64;
    if let Some(r) = repl_string {
        // A string replacement needs no Lua code: the whole loop is one matcher step.
        let fits = ctx.vm.match_with_fuel(|matcher, heap, fuel| {
            let (subject, pattern, repl) =
                (heap.str_bytes(s)?, heap.str_bytes(p)?, heap.str_bytes(r)?);
            while n < max_n {
                let (saved_state, saved_len) = (state, out.len());
                let m = match matcher.gsub_next(subject, pattern, &mut state, &mut out, fuel) {
                    Ok(Some(m)) => m,
                    Ok(None) => break,
                    Err(e) => {
                        state = saved_state;
                        out.truncate(saved_len);
                        return Err(e.into());
                    }
                };
                n += 1;
                expand_replacement(repl, subject, &m, matcher, &mut out)?;
                if !gsub_fits(heap, out.len()) {
                    return Ok(false);
                }
            }
            Ok(true)
        })?;
        if !fits {
            return Err(Error::OutOfMemory);
        }
    } else {
        while n < max_n {
            let m = ctx.vm.match_with_fuel(|matcher, heap, fuel| {
                let (saved_state, saved_len) = (state, out.len());
                let res = matcher.gsub_next(
                    heap.str_bytes(s)?,
                    heap.str_bytes(p)?,
                    &mut state,
                    &mut out,
                    fuel,
                );
                if res.is_err() {
                    state = saved_state;
                    out.truncate(saved_len);
                }
                Ok(res?)
            })?;
            let Some(m) = m else {
                break;
            };
            n += 1;
            let mut args = [Value::Nil; MAX_CAPTURES];
            let value = match repl {
                Value::Table(t) => {
                    ctx.vm.capture_values(s, &m, &mut args[..1])?;
                    ctx.vm.index_sync(Value::Table(t), args[0])?
                }
                f => {
                    let n_args = m.n_values();
                    ctx.vm.capture_values(s, &m, &mut args[..n_args])?;
                    ctx.vm.call_value1(f, &args[..n_args])?
                }
            };
            match value {
                Value::Nil | Value::Boolean(false) => {
                    let subject = ctx.vm.heap.str_bytes(s)?;
                    out.extend_from_slice(subject.get(m.start..m.end).unwrap_or(&[]));
                }
                Value::String(_) | Value::Number(_) => {
                    ctx.vm.plain_tostring(value, &mut out)?;
                }
                other => {
                    return Err(Error::runtime(format!(
                        "invalid replacement value (a {})",
                        type_name(other)
                    )));
                }
            }
            if !gsub_fits(&ctx.vm.heap, out.len()) {
                return Err(Error::OutOfMemory);
            }
        }
    }
    if n == 0 {
        // Nothing replaced: the result is the subject itself, already interned.
        ctx.push(Value::String(s));
    } else {
        state.finish(ctx.vm.heap.str_bytes(s)?, &mut out);
        ctx.push_bytes(&out)?;
    }
    ctx.push(Value::Number(n as f64));
    Ok(Ret::values(2))
}
