//! The `table` library of Lua 5.1 (ltablib.c): `concat`, `insert`, `remove`, `sort`, `maxn`,
//! `getn`, `setn` (an error, as in 5.1), `foreach`, `foreachi`.
//!
//! `sort` is 5.1's quicksort (`auxsort`) step for step, so inconsistent comparators give the same
//! results and the same `invalid order function for sorting` error; its recursion on the
//! smaller half is an explicit stack here. Comparators run through `Vm::call_value` (bounded
//! re-entry).

use ferrous_heap::{TableHandle, Value};

use crate::error::{RtError, RtResult};
use crate::native::{Ctx, Ret};
use crate::value::{is_truthy, number_to_int, type_name};
use crate::vm::Vm;

pub(crate) fn open(vm: &mut Vm) -> RtResult<()> {
    super::new_lib(
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
    Ok(())
}

/// `aux_getn`: the table argument and its length.
fn table_and_len(ctx: &mut Ctx<'_>) -> RtResult<(TableHandle, i64)> {
    let t = ctx.check_table(1)?;
    let n = ctx.vm.heap.len(t)? as i64;
    Ok((t, i64::from(n as i32)))
}

fn check_int(ctx: &mut Ctx<'_>, n: usize) -> RtResult<i64> {
    Ok(i64::from(number_to_int(ctx.check_number(n)?)))
}

fn opt_int(ctx: &mut Ctx<'_>, n: usize, default: i64) -> RtResult<i64> {
    if ctx.is_none_or_nil(n) {
        Ok(default)
    } else {
        check_int(ctx, n)
    }
}

fn geti(vm: &Vm, t: TableHandle, i: i64) -> RtResult<Value> {
    Ok(vm.heap.raw_get_int(t, i)?)
}

fn seti(vm: &mut Vm, t: TableHandle, i: i64, v: Value) -> RtResult<()> {
    Ok(vm.heap.tx().raw_set_int(t, i, v)?)
}

fn concat(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
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
            return Err(RtError::native(format!(
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

fn insert(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
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
        _ => return Err(RtError::native("wrong number of arguments to 'insert'")),
    };
    let v = ctx.arg(ctx.nargs());
    seti(ctx.vm, t, pos, v)?;
    Ok(Ret::values(0))
}

fn remove(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
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

fn maxn(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
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

fn getn(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
    let (_, n) = table_and_len(ctx)?;
    ctx.ret(&[Value::Number(n as f64)])
}

fn setn(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
    ctx.check_table(1)?;
    Err(RtError::native("'setn' is obsolete"))
}

fn check_function(ctx: &Ctx<'_>, n: usize) -> RtResult<Value> {
    match ctx.arg(n) {
        f @ (Value::Function(_) | Value::NativeFunction(_)) => Ok(f),
        _ => Err(ctx.type_error(n, "function")),
    }
}

fn foreachi(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
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

fn foreach(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
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

/// The comparison of `sort`: the comparator, or `<` (with `__lt`).
struct Sorter {
    t: TableHandle,
    comp: Option<Value>,
}

impl Sorter {
    fn less(&self, vm: &mut Vm, a: Value, b: Value) -> RtResult<bool> {
        match self.comp {
            Some(f) => {
                let res = vm.call_value1(f, &[a, b])?;
                Ok(is_truthy(res))
            }
            None => vm.less_than_sync(a, b),
        }
    }

    fn get(&self, vm: &Vm, i: i64) -> RtResult<Value> {
        geti(vm, self.t, i)
    }

    fn set(&self, vm: &mut Vm, i: i64, v: Value) -> RtResult<()> {
        seti(vm, self.t, i, v)
    }

    fn swap(&self, vm: &mut Vm, i: i64, j: i64) -> RtResult<()> {
        let (a, b) = (self.get(vm, i)?, self.get(vm, j)?);
        self.set(vm, i, b)?;
        self.set(vm, j, a)
    }

    /// `auxsort` of ltablib.c, with the tail recursion and the recursion on the smaller part
    /// both turned into a loop over an explicit stack of ranges.
    fn sort(&self, vm: &mut Vm, lo: i64, up: i64) -> RtResult<()> {
        let mut ranges = vec![(lo, up)];
        while let Some((mut l, mut u)) = ranges.pop() {
            while l < u {
                // Sort elements a[l], a[(l+u)/2] and a[u].
                let (al, au) = (self.get(vm, l)?, self.get(vm, u)?);
                if self.less(vm, au, al)? {
                    self.swap(vm, l, u)?;
                }
                if u - l == 1 {
                    break;
                }
                let mut i = (l + u) / 2;
                let (ai, al) = (self.get(vm, i)?, self.get(vm, l)?);
                if self.less(vm, ai, al)? {
                    self.swap(vm, i, l)?;
                } else {
                    let (ai, au) = (self.get(vm, i)?, self.get(vm, u)?);
                    if self.less(vm, au, ai)? {
                        self.swap(vm, i, u)?;
                    }
                }
                if u - l == 2 {
                    break;
                }
                let pivot = self.get(vm, i)?;
                // a[l] <= P == a[u-1] <= a[u], only need to sort from l+1 to u-2.
                self.swap(vm, i, u - 1)?;
                i = l;
                let mut j = u - 1;
                loop {
                    // Repeat ++i until a[i] >= P.
                    loop {
                        i += 1;
                        let ai = self.get(vm, i)?;
                        if !self.less(vm, ai, pivot)? {
                            break;
                        }
                        if i > u {
                            return Err(RtError::native("invalid order function for sorting"));
                        }
                    }
                    // Repeat --j until a[j] <= P.
                    loop {
                        j -= 1;
                        let aj = self.get(vm, j)?;
                        if !self.less(vm, pivot, aj)? {
                            break;
                        }
                        if j < l {
                            return Err(RtError::native("invalid order function for sorting"));
                        }
                    }
                    if j < i {
                        break;
                    }
                    self.swap(vm, i, j)?;
                }
                self.swap(vm, u - 1, i)?;
                // a[l..i-1] <= a[i] == P <= a[i+1..u]. 5.1 recurses on the smaller part, then
                // loops on the larger: sort the smaller now and keep the larger for later, so
                // a comparator sees the same calls in the same order (and the stack stays
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
}

fn sort(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
    let (t, n) = table_and_len(ctx)?;
    let comp = if ctx.is_none_or_nil(2) {
        None
    } else {
        Some(check_function(ctx, 2)?)
    };
    Sorter { t, comp }.sort(ctx.vm, 1, n)?;
    Ok(Ret::values(0))
}
