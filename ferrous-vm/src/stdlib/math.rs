//! The `math` library of Lua 5.1 (lmathlib.c), including the 5.0 alias `math.mod`.
//!
//! `math.random` follows the profile: the Redis sandbox uses Redis's `redisLrand48` (the 48-bit
//! LCG of POSIX `lrand48`), so sequences match Redis; the command-line profile uses glibc's
//! `rand()` (the TYPE_3 additive generator), so sequences match `lua5.1` on Linux. Both are
//! seeded per VM, never from a global.

use ferrous_heap::Value;

use crate::error::{Error, Result};
use crate::native::{Ctx, NativeFunction, Ret};
use crate::value::number_to_int;
use crate::vm::Vm;

/// The generators behind `math.random`.
#[derive(Clone, Debug)]
pub(crate) enum Random {
    /// Redis's `redisLrand48`: X(n+1) = (0x5DEECE66D * X(n) + 0xB) mod 2^48, output X >> 17.
    Lrand48 { x: u64 },
    /// glibc's `random()` (TYPE_3, degree 31, separation 3).
    Glibc { r: [u32; 34], i: usize },
}

const LRAND48_A: u64 = 0x5_DEEC_E66D;
const LRAND48_MASK: u64 = (1 << 48) - 1;
/// Redis's `REDIS_LRAND48_MAX` and glibc's `RAND_MAX`.
const RAND_MAX: u32 = i32::MAX as u32;

impl Random {
    /// Redis's generator in its initial state (`x = 0x1234ABCD330E`).
    pub(crate) fn lrand48() -> Random {
        Random::Lrand48 {
            x: 0x1234_ABCD_330E,
        }
    }

    /// glibc's generator, seeded with 1 as `rand()` is before any `srand` (its state computed
    /// at compile time: seeding runs the generator 310 times, 1% of a bare start-up).
    pub(crate) fn glibc() -> Random {
        const SEEDED_WITH_1: ([u32; 34], usize) = glibc_state(1);
        let (r, i) = SEEDED_WITH_1;
        Random::Glibc { r, i }
    }

    fn seed(&mut self, seed: i32) {
        match self {
            Random::Lrand48 { x } => {
                // redisSrand48: SEED(X0, LOW(seedval), HIGH(seedval)).
                let s = seed as u32 as u64;
                *x = ((s & 0xffff_ffff) << 16) | 0x330E;
            }
            Random::Glibc { r, i } => (*r, *i) = glibc_state(seed),
        }
    }

    /// The next 31-bit output (`lrand48()` / `rand()`).
    fn next_u31(&mut self) -> u32 {
        match self {
            Random::Lrand48 { x } => {
                *x = (LRAND48_A.wrapping_mul(*x).wrapping_add(0xB)) & LRAND48_MASK;
                (*x >> 17) as u32
            }
            Random::Glibc { r, i } => glibc_step(r, i) >> 1,
        }
    }

    /// A number in [0, 1), as `math.random()` computes it.
    fn next_f64(&mut self) -> f64 {
        f64::from(self.next_u31() % RAND_MAX) / f64::from(RAND_MAX)
    }
}

/// The state of glibc's `random()` after `srandom(seed)`: the ring of 34 entries and the next
/// position, once the first 310 outputs are discarded as glibc does.
const fn glibc_state(seed: i32) -> ([u32; 34], usize) {
    let mut state = [0i64; 34];
    state[0] = if seed == 0 { 1 } else { seed as u32 as i64 };
    let mut k = 1;
    while k < 31 {
        let prev = state[k - 1] as i32 as i64;
        let hi = prev / 127_773;
        let lo = prev % 127_773;
        let mut word = 16_807 * lo - 2_836 * hi;
        if word < 0 {
            word += 2_147_483_647;
        }
        state[k] = word;
        k += 1;
    }
    while k < 34 {
        state[k] = state[k - 31];
        k += 1;
    }
    let mut r = [0u32; 34];
    k = 0;
    while k < 34 {
        r[k] = state[k] as u32;
        k += 1;
    }
    let mut i = 0;
    let mut n = 0;
    while n < 310 {
        glibc_step(&mut r, &mut i);
        n += 1;
    }
    (r, i)
}

/// One step of glibc's `random()`: r[k] = r[k-31] + r[k-3], kept in a ring of 34 entries whose
/// next position is `i`; returns the new entry (`random()` returns it shifted right by one).
const fn glibc_step(r: &mut [u32; 34], i: &mut usize) -> u32 {
    let k = *i;
    let v = r[(k + 34 - 31) % 34].wrapping_add(r[(k + 34 - 3) % 34]);
    r[k % 34] = v;
    *i = (k + 1) % 34;
    v
}

pub(crate) fn open(vm: &mut Vm) -> Result<()> {
    let funcs: &[(&'static str, NativeFunction)] = &[
        ("abs", abs),
        ("acos", acos),
        ("asin", asin),
        ("atan", atan),
        ("atan2", atan2),
        ("ceil", ceil),
        ("cos", cos),
        ("cosh", cosh),
        ("deg", deg),
        ("exp", exp),
        ("floor", floor),
        ("fmod", fmod),
        ("frexp", frexp),
        ("ldexp", ldexp),
        ("log", log),
        ("log10", log10),
        ("max", max),
        ("min", min),
        ("modf", modf),
        ("pow", pow),
        ("rad", rad),
        ("random", random),
        ("randomseed", randomseed),
        ("sin", sin),
        ("sinh", sinh),
        ("sqrt", sqrt),
        ("tan", tan),
        ("tanh", tanh),
    ];
    let t = super::new_lib(vm, "math", funcs)?;
    // All of them: none runs Lua code or looks at the call stack.
    vm.mark_leaves(t, funcs.iter().map(|&(name, _)| name))?;
    // LUA_COMPAT_MOD: `math.mod` is the same function value as `math.fmod`.
    let fmod_key = vm.intern(b"fmod")?;
    let fmod_fn = vm.heap.raw_get_str(t, fmod_key)?;
    let mod_key = vm.intern(b"mod")?;
    vm.heap.tx().raw_set_str(t, mod_key, fmod_fn)?;
    for (name, value) in [("pi", std::f64::consts::PI), ("huge", f64::INFINITY)] {
        let key = vm.intern(name.as_bytes())?;
        vm.heap.tx().raw_set_str(t, key, Value::Number(value))?;
    }
    Ok(())
}

macro_rules! unary {
    ($($name:ident => $f:expr;)*) => {$(
        fn $name(ctx: &mut Ctx<'_>) -> Result<Ret> {
            let x = ctx.check_number(1)?;
            let f: fn(f64) -> f64 = $f;
            ctx.ret(&[Value::Number(f(x))])
        }
    )*};
}

unary! {
    abs => f64::abs;
    acos => f64::acos;
    asin => f64::asin;
    atan => f64::atan;
    ceil => f64::ceil;
    cos => f64::cos;
    cosh => f64::cosh;
    deg => |x| x / (std::f64::consts::PI / 180.0);
    exp => f64::exp;
    floor => crate::number::floor;
    log => f64::ln;
    log10 => f64::log10;
    rad => |x| x * (std::f64::consts::PI / 180.0);
    sin => f64::sin;
    sinh => f64::sinh;
    sqrt => f64::sqrt;
    tan => f64::tan;
    tanh => f64::tanh;
}

/// `f(luaL_checknumber(L, 1), luaL_checknumber(L, 2))` as lua5.1 is built (GCC, x86-64):
/// C call arguments are evaluated right to left, so argument #2 is checked first.
fn check_two_numbers(ctx: &mut Ctx<'_>) -> Result<(f64, f64)> {
    let b = ctx.check_number(2)?;
    let a = ctx.check_number(1)?;
    Ok((a, b))
}

fn atan2(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let (y, x) = check_two_numbers(ctx)?;
    ctx.ret(&[Value::Number(y.atan2(x))])
}

fn fmod(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let (a, b) = check_two_numbers(ctx)?;
    // Rust's `%` on floats is C's fmod.
    ctx.ret(&[Value::Number(a % b)])
}

fn pow(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let (a, b) = check_two_numbers(ctx)?;
    ctx.ret(&[Value::Number(a.powf(b))])
}

fn modf(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let x = ctx.check_number(1)?;
    let int = x.trunc();
    // C's `modf`: the fractional part has the sign of `x` (`modf(-1)` is `-1, -0`).
    let frac = if x.is_infinite() {
        0.0f64.copysign(x)
    } else {
        (x - int).copysign(x)
    };
    ctx.ret(&[Value::Number(int), Value::Number(frac)])
}

fn frexp(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let x = ctx.check_number(1)?;
    let (m, e) = frexp_f64(x);
    ctx.ret(&[Value::Number(m), Value::Number(f64::from(e))])
}

/// C's `frexp`: `x = m * 2^e` with `0.5 <= |m| < 1` (zero, infinities and NaN unchanged).
fn frexp_f64(x: f64) -> (f64, i32) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    if exp == 0 {
        // Subnormal: scale up first.
        let (m, e) = frexp_f64(x * 2f64.powi(64));
        return (m, e - 64);
    }
    let e = exp - 1022;
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, e)
}

fn ldexp(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let (m, e) = check_two_numbers(ctx)?;
    let e = number_to_int(e);
    ctx.ret(&[Value::Number(ldexp_f64(m, e))])
}

/// C's `ldexp`, exact (scaling in steps keeps subnormal results correctly rounded).
fn ldexp_f64(m: f64, e: i32) -> f64 {
    let mut x = m;
    let mut e = e;
    while e > 1000 {
        x *= 2f64.powi(1000);
        e -= 1000;
    }
    while e < -1000 {
        x *= 2f64.powi(-1000);
        e += 1000;
    }
    x * 2f64.powi(e)
}

fn max(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let mut best = ctx.check_number(1)?;
    for i in 2..=ctx.nargs() {
        let x = ctx.check_number(i)?;
        if x > best {
            best = x;
        }
    }
    ctx.ret(&[Value::Number(best)])
}

fn min(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let mut best = ctx.check_number(1)?;
    for i in 2..=ctx.nargs() {
        let x = ctx.check_number(i)?;
        if x < best {
            best = x;
        }
    }
    ctx.ret(&[Value::Number(best)])
}

fn random(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let Some(generator) = ctx.app_data_mut::<Random>() else {
        return Err(Error::runtime("internal error: math library state"));
    };
    let r = generator.next_f64();
    let res = match ctx.nargs() {
        0 => r,
        1 => {
            let u = number_to_int(ctx.check_number(1)?);
            if u < 1 {
                return Err(Error::arg(1, "interval is empty"));
            }
            (r * f64::from(u)).floor() + 1.0
        }
        2 => {
            let l = number_to_int(ctx.check_number(1)?);
            let u = number_to_int(ctx.check_number(2)?);
            if l > u {
                return Err(Error::arg(2, "interval is empty"));
            }
            (r * (f64::from(u) - f64::from(l) + 1.0)).floor() + f64::from(l)
        }
        _ => return Err(Error::runtime("wrong number of arguments")),
    };
    ctx.ret(&[Value::Number(res)])
}

fn randomseed(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let seed = number_to_int(ctx.check_number(1)?);
    if let Some(generator) = ctx.app_data_mut::<Random>() {
        generator.seed(seed);
    }
    Ok(Ret::values(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(x: f64) -> String {
        let mut out = Vec::new();
        crate::number::fmt_number(x, &mut out);
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn lrand48_matches_redis() {
        // Values from the Redis issue: first math.random() without and with randomseed(10).
        let mut r = Random::lrand48();
        assert_eq!(fmt(r.next_f64()), "0.39646477363839");
        let mut r = Random::lrand48();
        r.seed(10);
        assert_eq!(fmt(r.next_f64()), "0.87885112309775");
    }

    #[test]
    fn glibc_rand_matches_lua51() {
        // `lua5.1 -e 'print(math.random())'` and after `math.randomseed(42)`.
        let mut r = Random::glibc();
        assert_eq!(fmt(r.next_f64()), "0.84018771715471");
        let mut r = Random::glibc();
        r.seed(42);
        assert_eq!(fmt(r.next_f64()), "0.03346994800189");
    }

    #[test]
    fn frexp_and_ldexp_round_trip() {
        for x in [1.0, -3.5, 1e-310, 123456.789, f64::MAX] {
            let (m, e) = frexp_f64(x);
            assert!((0.5..1.0).contains(&m.abs()), "{x}");
            assert_eq!(ldexp_f64(m, e), x);
        }
    }
}
