//! The `table` library of Lua 5.1 (ltablib.c): `concat`, `insert`, `remove`, `sort`, `maxn`,
//! `getn`, `setn` (an error, as in 5.1), `foreach`, `foreachi`.
//!
//! `sort` is 5.1's quicksort (`auxsort`) step for step, so inconsistent comparators give the same
//! results and the same `invalid order function for sorting` error; its recursion on the
//! smaller half is an explicit stack here. Comparators run through `Vm::call_value` (bounded
//! re-entry). Without a comparator, an array of numbers (no NaN) or of strings is sorted as a
//! copy with the same steps and written back (`CopySlots`): nothing can observe the
//! difference, and a comparison is then one `<` on `f64`s or byte strings.

use ferrous_heap::{TableHandle, Value};

use crate::error::{Error, Raise, RaiseResult, Result};
use crate::native::{Ctx, Ret};
use crate::value::{is_truthy, number_to_int, type_name};
use crate::vm::Vm;

/// The functions that run no Lua code (all but the ones taking a function) and do not look at
/// the call stack.
const LEAVES: &[&str] = &["concat", "getn", "insert", "maxn", "remove", "setn"];

pub(crate) fn open(vm: &mut Vm) -> Result<()> {
    let t = super::new_lib(
        vm,
        "table",
        &[
            ("concat", concat),
            ("foreach", foreach),
            ("foreachi", foreachi),
            ("getn", getn),
            ("insert", insert),
            ("maxn", maxn),
            ("remove", remove),
            ("setn", setn),
            ("sort", sort),
        ],
    )?;
    vm.mark_leaves(t, LEAVES.iter().copied())
}

/// `aux_getn`: the table argument and its length.
fn table_and_len(ctx: &mut Ctx<'_>) -> Result<(TableHandle, i64)> {
    let t = ctx.check_table(1)?;
    let n = ctx.vm.heap.len(t)? as i64;
    Ok((t, i64::from(n as i32)))
}

fn check_int(ctx: &mut Ctx<'_>, n: usize) -> Result<i64> {
    Ok(i64::from(number_to_int(ctx.check_number(n)?)))
}

fn opt_int(ctx: &mut Ctx<'_>, n: usize, default: i64) -> Result<i64> {
    if ctx.is_none_or_nil(n) {
        Ok(default)
    } else {
        check_int(ctx, n)
    }
}

// Always inlined in release builds: `TableSlots::get` relies on it (an out-of-line
// `Result<Value>` stalls the sort's comparator calls; with a plain hint it stopped being
// inlined when the VM grew: `sort` +9%). Not in debug builds, which honor `inline(always)`:
// there it grew the Rust frame of every nested sort past `MAX_REENTRY`'s budget.
#[cfg_attr(not(debug_assertions), inline(always))]
fn geti(vm: &Vm, t: TableHandle, i: i64) -> RaiseResult<Value> {
    Ok(vm.heap.raw_get_int(t, i)?)
}

#[cfg_attr(not(debug_assertions), inline(always))]
fn seti(vm: &mut Vm, t: TableHandle, i: i64, v: Value) -> RaiseResult<()> {
    Ok(vm.heap.tx().raw_set_int(t, i, v)?)
}

fn concat(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let sep = match ctx.opt_string(2)? {
        Some(s) => ctx.vm.heap.str_bytes(s)?.to_vec(),
        None => Vec::new(),
    };
    let t = ctx.check_table(1)?;
    let i = opt_int(ctx, 3, 1)?;
    let last = if ctx.is_none_or_nil(4) {
        i64::from(ctx.vm.heap.len(t)? as i32)
    } else {
        check_int(ctx, 4)?
    };
    let mut out = Vec::new();
    let mut k = i;
    while k <= last {
        let v = geti(ctx.vm, t, k)?;
        if !ctx.vm.plain_tostring(v, &mut out)? {
            return Err(Error::runtime(format!(
                "invalid value ({}) at index {k} in table for 'concat'",
                type_name(v)
            )));
        }
        if k != last {
            out.extend_from_slice(&sep);
        }
        k += 1;
    }
    ctx.push_bytes(&out)?;
    Ok(Ret::values(1))
}

fn insert(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let (t, n) = table_and_len(ctx)?;
    let mut e = n + 1;
    let pos = match ctx.nargs() {
        2 => e,
        3 => {
            let pos = check_int(ctx, 2)?;
            if pos > e {
                e = pos;
            }
            let mut i = e;
            while i > pos {
                let v = geti(ctx.vm, t, i - 1)?;
                seti(ctx.vm, t, i, v)?;
                i -= 1;
            }
            pos
        }
        _ => return Err(Error::runtime("wrong number of arguments to 'insert'")),
    };
    let v = ctx.arg(ctx.nargs());
    seti(ctx.vm, t, pos, v)?;
    Ok(Ret::values(0))
}

fn remove(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let (t, e) = table_and_len(ctx)?;
    let mut pos = opt_int(ctx, 2, e)?;
    // 5.1.5: a position outside `1..=#t` removes nothing and returns nothing.
    if !(1 <= pos && pos <= e) {
        return Ok(Ret::values(0));
    }
    let removed = geti(ctx.vm, t, pos)?;
    while pos < e {
        let v = geti(ctx.vm, t, pos + 1)?;
        seti(ctx.vm, t, pos, v)?;
        pos += 1;
    }
    seti(ctx.vm, t, e, Value::Nil)?;
    ctx.ret(&[removed])
}

fn maxn(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let t = ctx.check_table(1)?;
    let mut max = 0.0f64;
    let mut key = Value::Nil;
    while let Some((k, _)) = ctx.vm.heap.next(t, key)? {
        if let Value::Number(n) = k {
            if n > max {
                max = n;
            }
        }
        key = k;
    }
    ctx.ret(&[Value::Number(max)])
}

fn getn(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let (_, n) = table_and_len(ctx)?;
    ctx.ret(&[Value::Number(n as f64)])
}

fn setn(ctx: &mut Ctx<'_>) -> Result<Ret> {
    ctx.check_table(1)?;
    Err(Error::runtime("'setn' is obsolete"))
}

fn check_function(ctx: &Ctx<'_>, n: usize) -> Result<Value> {
    match ctx.arg(n) {
        f @ (Value::Function(_) | Value::NativeFunction(_)) => Ok(f),
        _ => Err(ctx.type_error(n, "function")),
    }
}

fn foreachi(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let (t, n) = table_and_len(ctx)?;
    let f = check_function(ctx, 2)?;
    for i in 1..=n {
        let v = geti(ctx.vm, t, i)?;
        let res = ctx.vm.call_value(f, &[Value::Number(i as f64), v])?;
        let first = res.first().copied().unwrap_or(Value::Nil);
        if !matches!(first, Value::Nil) {
            return ctx.ret(&[first]);
        }
    }
    Ok(Ret::values(0))
}

fn foreach(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let t = ctx.check_table(1)?;
    let f = check_function(ctx, 2)?;
    let mut key = Value::Nil;
    while let Some((k, v)) = ctx.vm.heap.next(t, key)? {
        let res = ctx.vm.call_value(f, &[k, v])?;
        let first = res.first().copied().unwrap_or(Value::Nil);
        if !matches!(first, Value::Nil) {
            return ctx.ret(&[first]);
        }
        key = k;
    }
    Ok(Ret::values(0))
}

/// The slots `sort` permutes and the order it uses: 5.1's `lua_rawgeti`, `lua_rawseti` and
/// `sort_comp`.
trait Slots {
    type Elem: Copy;
    fn get(&mut self, i: i64) -> RaiseResult<Self::Elem>;
    fn set(&mut self, i: i64, v: Self::Elem) -> RaiseResult<()>;
    fn less(&mut self, a: Self::Elem, b: Self::Elem) -> RaiseResult<bool>;
}

/// The table itself, compared by the comparator or `<` (with `__lt`): what 5.1 does, and what
/// any comparison that can run Lua code (and so see the table mid-sort) needs.
struct TableSlots<'v> {
    vm: &'v mut Vm,
    t: TableHandle,
    comp: Option<Value>,
}

impl Slots for TableSlots<'_> {
    type Elem = Value;

    // Inlined into `auxsort`: a `Result<Value>` returned from an out-of-line call goes
    // through memory and stalls the caller.
    #[inline(always)]
    fn get(&mut self, i: i64) -> RaiseResult<Value> {
        geti(self.vm, self.t, i)
    }

    #[inline(always)]
    fn set(&mut self, i: i64, v: Value) -> RaiseResult<()> {
        seti(self.vm, self.t, i, v)
    }

    fn less(&mut self, a: Value, b: Value) -> RaiseResult<bool> {
        match self.comp {
            Some(f) => {
                let res = self.vm.call_value1(f, &[a, b])?;
                Ok(is_truthy(res))
            }
            None => self.vm.less_than_sync(a, b),
        }
    }
}

/// `t[1..=n]` copied out, when every element is a number (no NaN) or every one a string and
/// there is no comparator: `<` is then a total order that runs no Lua code, so nothing can
/// see the table mid-sort, the scans never leave `1..=n`, and sorting the copy with the same
/// steps and writing it back gives 5.1's result.
struct CopySlots<T, F> {
    elems: Vec<T>,
    less: F,
}

impl<T: Copy, F: Fn(&T, &T) -> bool> Slots for CopySlots<T, F> {
    type Elem = T;

    #[inline]
    fn get(&mut self, i: i64) -> RaiseResult<T> {
        // Unreachable under a total order; an error rather than a panic all the same.
        let idx = usize::try_from(i - 1).ok();
        idx.and_then(|idx| self.elems.get(idx))
            .copied()
            .ok_or_else(|| Raise::native("invalid order function for sorting"))
    }

    #[inline]
    fn set(&mut self, i: i64, v: T) -> RaiseResult<()> {
        if let Some(slot) = usize::try_from(i - 1)
            .ok()
            .and_then(|idx| self.elems.get_mut(idx))
        {
            *slot = v;
        }
        Ok(())
    }

    #[inline]
    fn less(&mut self, a: T, b: T) -> RaiseResult<bool> {
        Ok((self.less)(&a, &b))
    }
}

/// Sorts `t[1..=n]` through a copy (see [`CopySlots`]) when that gives 5.1's result; `None`
/// when the elements do not allow it (the caller sorts the table in place).
fn sort_copy(vm: &mut Vm, t: TableHandle, n: i64) -> Option<RaiseResult<()>> {
    let len = usize::try_from(n).ok()?;
    if vm.heap.is_readonly(t).ok()? {
        return None;
    }
    let mut values = Vec::with_capacity(len);
    for i in 1..=n {
        values.push(vm.heap.raw_get_int(t, i).ok()?);
    }
    let sorted: Vec<Value> = match values.first() {
        Some(Value::Number(_)) => {
            let mut nums = Vec::with_capacity(len);
            for v in &values {
                match *v {
                    Value::Number(x) if !x.is_nan() => nums.push(x),
                    _ => return None,
                }
            }
            let mut slots = CopySlots {
                elems: nums,
                less: |a: &f64, b: &f64| a < b,
            };
            let res = auxsort(&mut slots, 1, n);
            let sorted = slots.elems.into_iter().map(Value::Number).collect();
            if let Err(err) = res {
                return Some(write_back(vm, t, sorted).and(Err(err)));
            }
            sorted
        }
        Some(Value::String(_)) => {
            let heap = &vm.heap;
            let mut strs = Vec::with_capacity(len);
            for v in &values {
                match *v {
                    Value::String(s) => strs.push((s, heap.str_bytes(s).ok()?)),
                    _ => return None,
                }
            }
            // Byte order is `l_strcmp` under the C locale (`strcoll` is `strcmp` there, and
            // the `\0` handling makes a prefix sort first).
            let mut slots = CopySlots {
                elems: strs,
                less: |a: &(_, &[u8]), b: &(_, &[u8])| a.1 < b.1,
            };
            let res = auxsort(&mut slots, 1, n);
            let sorted = slots.elems.iter().map(|&(s, _)| Value::String(s)).collect();
            if let Err(err) = res {
                return Some(write_back(vm, t, sorted).and(Err(err)));
            }
            sorted
        }
        _ => return None,
    };
    Some(write_back(vm, t, sorted))
}

/// Stores `values` at `t[1..]`.
fn write_back(vm: &mut Vm, t: TableHandle, values: Vec<Value>) -> RaiseResult<()> {
    let mut tx = vm.heap.tx();
    for (i, v) in (1..).zip(values) {
        tx.raw_set_int(t, i, v)?;
    }
    Ok(())
}

/// `auxsort` of ltablib.c, with the tail recursion and the recursion on the smaller part both
/// turned into a loop over an explicit stack of ranges.
fn auxsort<S: Slots>(a: &mut S, lo: i64, up: i64) -> RaiseResult<()> {
    let swap = |a: &mut S, i: i64, j: i64| -> RaiseResult<()> {
        let (ai, aj) = (a.get(i)?, a.get(j)?);
        a.set(i, aj)?;
        a.set(j, ai)
    };
    let mut ranges = vec![(lo, up)];
    while let Some((mut l, mut u)) = ranges.pop() {
        while l < u {
            // Sort elements a[l], a[(l+u)/2] and a[u].
            let (al, au) = (a.get(l)?, a.get(u)?);
            if a.less(au, al)? {
                swap(a, l, u)?;
            }
            if u - l == 1 {
                break;
            }
            let mut i = (l + u) / 2;
            let (ai, al) = (a.get(i)?, a.get(l)?);
            if a.less(ai, al)? {
                swap(a, i, l)?;
            } else {
                let (ai, au) = (a.get(i)?, a.get(u)?);
                if a.less(au, ai)? {
                    swap(a, i, u)?;
                }
            }
            if u - l == 2 {
                break;
            }
            let pivot = a.get(i)?;
            // a[l] <= P == a[u-1] <= a[u], only need to sort from l+1 to u-2.
            swap(a, i, u - 1)?;
            i = l;
            let mut j = u - 1;
            loop {
                // Repeat ++i until a[i] >= P.
                loop {
                    i += 1;
                    let ai = a.get(i)?;
                    if !a.less(ai, pivot)? {
                        break;
                    }
                    if i > u {
                        return Err(Raise::native("invalid order function for sorting"));
                    }
                }
                // Repeat --j until a[j] <= P.
                loop {
                    j -= 1;
                    let aj = a.get(j)?;
                    if !a.less(pivot, aj)? {
                        break;
                    }
                    if j < l {
                        return Err(Raise::native("invalid order function for sorting"));
                    }
                }
                if j < i {
                    break;
                }
                swap(a, i, j)?;
            }
            swap(a, u - 1, i)?;
            // a[l..i-1] <= a[i] == P <= a[i+1..u]. 5.1 recurses on the smaller part, then
            // loops on the larger: sort the smaller now and keep the larger for later, so a
            // comparator sees the same calls in the same order (and the stack stays
            // logarithmic, as every pending range is larger than the ones above it).
            if i - l < u - i {
                ranges.push((i + 1, u));
                u = i - 1;
            } else {
                ranges.push((l, i - 1));
                l = i + 1;
            }
        }
    }
    Ok(())
}

fn sort(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let (t, n) = table_and_len(ctx)?;
    let comp = if ctx.is_none_or_nil(2) {
        None
    } else {
        Some(check_function(ctx, 2)?)
    };
    if comp.is_none() && n > 1 {
        if let Some(res) = sort_copy(ctx.vm, t, n) {
            res?;
            return Ok(Ret::values(0));
        }
    }
    let mut slots = TableSlots {
        vm: ctx.vm,
        t,
        comp,
    };
    auxsort(&mut slots, 1, n)?;
    Ok(Ret::values(0))
}
