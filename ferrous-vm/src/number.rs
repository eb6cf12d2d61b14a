//! Number <-> byte-string conversions exactly as PUC-Rio Lua 5.1.5 on 64-bit glibc Linux does them.
//!
//! * [`fmt_number`] is `lua_Number2str`, i.e. C `sprintf("%.14g")` (`LUAI_NUMFFORMAT`): what
//!   `tostring`, `print` and `..` produce for a number. It has an allocation-free fast path for
//!   integral values, which are most of the numbers a script prints.
//! * [`fmt_float`] is glibc `printf` for `%e %E %f %g %G` with every flag, width and precision; it
//!   is the engine behind `string.format` and `fmt_number`. [`Spec`] holds one conversion's flags.
//! * [`str_to_number`] is `luaO_str2d` (glibc `strtod`, then 5.1's `strtoul(s, 16)` fallback when
//!   `strtod` stopped at an `x`), used by `tonumber`, arithmetic coercion and the lexer.
//! * [`str_to_number_base`] is `tonumber(s, base)` for bases other than 10 (glibc `strtoul`).
//! * [`c_double_to_int`], [`c_double_to_long`] and [`c_double_to_ulong`] are the C casts
//!   `(int)d`, `(long)d` and `(unsigned long)d` as gcc compiles them for x86-64 (out-of-range and NaN
//!   give the "integer indefinite" value), which `string.format("%d")` and friends expose.
//! * [`lua_mod`] and [`lua_pow`] are `luai_nummod` and `luai_numpow`.
//!
//! Invariants: digits come from Rust's exact, correctly rounded (ties-to-even) float formatting
//! and parsing, which is what glibc does in the default rounding mode, so output is byte-for-byte
//! glibc's. Strings are bytes and are treated like C strings: conversion stops at the first NUL
//! byte, as `luaO_str2d` and `strtoul` see nothing after it. Precisions are capped at
//! [`MAX_PRECISION`] (99), the largest `string.format` accepts, so every intermediate buffer lives on
//! the stack.

use std::fmt::{self, Write as _};

/// Largest precision a conversion accepts (`string.format` allows two digits).
pub(crate) const MAX_PRECISION: usize = 99;

/// Flags, width and precision of one printf conversion (`%-+ #0` flags, `%5.2f`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Spec {
    /// `-`: pad on the right.
    pub(crate) left: bool,
    /// `+`: always print a sign on signed conversions.
    pub(crate) plus: bool,
    /// ` `: print a space where a `+` would go.
    pub(crate) space: bool,
    /// `#`: the alternative form (`0x` prefix, kept decimal point and zeros).
    pub(crate) alt: bool,
    /// `0`: pad with zeros after the sign (ignored with `-`, a precision on integers, inf and nan).
    pub(crate) zero: bool,
    /// Minimum field width.
    pub(crate) width: usize,
    /// Precision, `None` when the conversion has no `.`.
    pub(crate) precision: Option<usize>,
}

/// The floating-point conversions of printf.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FloatConv {
    /// `%e`: `d.dddddde+XX`.
    Exp,
    /// `%E`: `%e` in capitals.
    ExpUpper,
    /// `%f`: `ddd.dddddd`.
    Fixed,
    /// `%g`: `%e` or `%f`, whichever C's rules pick, trailing zeros removed.
    General,
    /// `%G`: `%g` in capitals.
    GeneralUpper,
}

/// A fixed-size byte buffer on the stack that `write!` can target.
pub(crate) struct StackBuf<const N: usize> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> StackBuf<N> {
    fn new() -> Self {
        Self {
            buf: [0; N],
            len: 0,
        }
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    fn push(&mut self, byte: u8) {
        self.buf[self.len] = byte;
        self.len += 1;
    }

    fn extend(&mut self, bytes: &[u8]) {
        self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }
}

impl<const N: usize> fmt::Write for StackBuf<N> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        let dst = self.buf.get_mut(self.len..end).ok_or(fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Appends `n` as C `printf("%.14g", n)` does: how Lua 5.1 turns a number into a string.
pub(crate) fn fmt_number(n: f64, out: &mut Vec<u8>) {
    out.extend_from_slice(number_text(n).as_bytes());
}

/// `n` as C `printf("%.14g", n)` prints it, in a stack buffer (a sign and at most 20 more
/// bytes: `-1.2345678901234e-308`): number-to-string conversions allocate nothing but the
/// interned result.
pub(crate) fn number_text(n: f64) -> StackBuf<32> {
    let mut out = StackBuf::<32>::new();
    // Fast path: integral values below 1e14 print as plain integers (%.14g keeps 14 digits).
    if n.abs() < 1e14 && n == n.trunc() {
        if n == 0.0 && n.is_sign_negative() {
            out.extend(b"-0");
        } else {
            if n < 0.0 {
                out.push(b'-');
            }
            let mut digits = [0u8; 22];
            let start = u64_digits((n as i64).unsigned_abs(), 10, false, &mut digits);
            out.extend(&digits[start..]);
        }
        return out;
    }
    if n.is_sign_negative() {
        out.push(b'-');
    }
    if !n.is_finite() {
        out.extend(if n.is_nan() { b"nan" } else { b"inf" });
        return out;
    }
    let mut body = StackBuf::<32>::new();
    general(n.abs(), 14, false, false, &mut body);
    out.extend(body.as_bytes());
    out
}

/// Appends `n` as glibc's `printf("%.<precision>g", n)` does: `%.17g` is how Redis turns a
/// Lua number into a command argument.
pub fn format_g(n: f64, precision: usize, out: &mut Vec<u8>) {
    // Integers with at most `precision` digits print as themselves (JSON encoders and
    // `redis.call` arguments are mostly integers).
    let limit = 10f64.powi(i32::try_from(precision.min(15)).unwrap_or(15));
    if n == n.trunc() && n.abs() < limit && !(n == 0.0 && n.is_sign_negative()) {
        if n < 0.0 {
            out.push(b'-');
        }
        let mut digits = [0u8; 22];
        let start = u64_digits((n as i64).unsigned_abs(), 10, false, &mut digits);
        out.extend_from_slice(&digits[start..]);
        return;
    }
    let spec = Spec {
        precision: Some(precision),
        ..Spec::default()
    };
    fmt_float(n, FloatConv::General, &spec, out);
}

/// Appends `n` formatted like glibc `printf` with conversion `conv` and `spec`.
pub(crate) fn fmt_float(n: f64, conv: FloatConv, spec: &Spec, out: &mut Vec<u8>) {
    let sign: &[u8] = if n.is_sign_negative() {
        b"-"
    } else if spec.plus {
        b"+"
    } else if spec.space {
        b" "
    } else {
        b""
    };
    let upper = matches!(conv, FloatConv::ExpUpper | FloatConv::GeneralUpper);
    if !n.is_finite() {
        let mut body = StackBuf::<4>::new();
        let text: &[u8] = match (n.is_nan(), upper) {
            (true, false) => b"nan",
            (true, true) => b"NAN",
            (false, false) => b"inf",
            (false, true) => b"INF",
        };
        body.extend(text);
        pad(out, sign, body.as_bytes(), spec.width, spec.left, false);
        return;
    }
    let abs = n.abs();
    let precision = spec.precision.unwrap_or(6).min(MAX_PRECISION);
    // 309 integer digits + '.' + 99 decimals is the longest body (%.99f of 1e308).
    let mut body = StackBuf::<512>::new();
    match conv {
        FloatConv::Fixed => {
            write_or_unreachable(write!(body, "{abs:.precision$}"));
            if precision == 0 && spec.alt {
                body.push(b'.');
            }
        }
        FloatConv::Exp | FloatConv::ExpUpper => {
            let mut digits = StackBuf::<128>::new();
            let exp = exp_digits(abs, precision, &mut digits);
            let digits = digits.as_bytes();
            body.push(digits[0]);
            if precision > 0 || spec.alt {
                body.push(b'.');
            }
            body.extend(&digits[1..]);
            push_exponent(exp, upper, &mut body);
        }
        FloatConv::General | FloatConv::GeneralUpper => {
            general(abs, precision.max(1), spec.alt, upper, &mut body);
        }
    }
    pad(out, sign, body.as_bytes(), spec.width, spec.left, spec.zero);
}

/// Appends `prefix` and `body` padded to `width`: spaces on the right with `left`, zeros between
/// prefix and body with `zero`, spaces on the left otherwise.
pub(crate) fn pad(
    out: &mut Vec<u8>,
    prefix: &[u8],
    body: &[u8],
    width: usize,
    left: bool,
    zero: bool,
) {
    let fill = width.saturating_sub(prefix.len() + body.len());
    if left {
        out.extend_from_slice(prefix);
        out.extend_from_slice(body);
        out.resize(out.len() + fill, b' ');
    } else if zero {
        out.extend_from_slice(prefix);
        out.resize(out.len() + fill, b'0');
        out.extend_from_slice(body);
    } else {
        out.resize(out.len() + fill, b' ');
        out.extend_from_slice(prefix);
        out.extend_from_slice(body);
    }
}

/// `write!` into a buffer sized for the worst case cannot fail; a failure would truncate output.
fn write_or_unreachable(res: fmt::Result) {
    debug_assert!(res.is_ok(), "stack buffer too small for a float conversion");
}

/// Writes the digits of `value` in `radix` (2..=16) at the end of `buf` and returns the index of
/// the first digit (`0` prints as one digit).
pub(crate) fn u64_digits(mut value: u64, radix: u64, upper: bool, buf: &mut [u8; 22]) -> usize {
    let digits: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let mut pos = buf.len();
    loop {
        pos -= 1;
        buf[pos] = digits[(value % radix) as usize];
        value /= radix;
        if value == 0 {
            return pos;
        }
    }
}

/// Writes the `precision + 1` significant decimal digits of `abs` (correctly rounded) into
/// `digits`, without a decimal point, and returns the decimal exponent of the first digit.
fn exp_digits(abs: f64, precision: usize, digits: &mut StackBuf<128>) -> i32 {
    if let Some(exp) = decimal_exp_digits(abs, precision, digits) {
        return exp;
    }
    if let Some(exp) = shortest_exp_digits(abs, precision, digits) {
        return exp;
    }
    let mut text = StackBuf::<128>::new();
    write_or_unreachable(write!(text, "{abs:.precision$e}"));
    let text = text.as_bytes();
    let e_pos = text.iter().position(|&b| b == b'e').unwrap_or(text.len());
    for &b in &text[..e_pos] {
        if b != b'.' {
            digits.push(b);
        }
    }
    let mut exp: i32 = 0;
    let mut negative = false;
    for &b in text.get(e_pos + 1..).unwrap_or(&[]) {
        if b == b'-' {
            negative = true;
        } else {
            exp = exp * 10 + i32::from(b - b'0');
        }
    }
    if negative { -exp } else { exp }
}

/// [`exp_digits`] for a short decimal (`12.5`, `0.25`, `1.5e-7`): when `abs` is the double
/// nearest `m / 10^k` for an integer `m` of at most `precision + 1 <= 15` digits, those digits
/// are the answer, found with a few multiplications. Why: `10^k` and `m < 10^15` are exact,
/// so `m * 10^-k` is within half an ulp of `abs`, which is less than half a unit in the 15th
/// significant digit (as in [`shortest_exp_digits`]). `None` for anything else.
fn decimal_exp_digits(abs: f64, precision: usize, digits: &mut StackBuf<128>) -> Option<i32> {
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    if precision >= 15 || !abs.is_normal() {
        return None;
    }
    for (k, &scale) in POW10.iter().enumerate().skip(1) {
        let y = abs * scale;
        if y >= 1e15 {
            return None;
        }
        if y != y.trunc() {
            continue;
        }
        if y / scale != abs {
            return None;
        }
        let mut buf = [0u8; 22];
        let start = u64_digits(y as u64, 10, false, &mut buf);
        let m = &buf[start..];
        if m.len() > precision + 1 {
            return None;
        }
        digits.extend(m);
        for _ in m.len()..=precision {
            digits.push(b'0');
        }
        return Some(m.len() as i32 - 1 - k as i32);
    }
    None
}

/// [`exp_digits`] from the shortest representation that reads back as `abs` (much cheaper
/// than exact digit generation), when that is the correctly rounded answer: when the shortest
/// form has at most `precision + 1` significant digits and `precision + 1 <= 15`. Then the
/// shortest form `s` is within half an ulp of `abs`, which is less than half a unit in the
/// 15th significant digit (`10^15 < 2^52`), so `s` padded with zeros is the nearest number of
/// `precision + 1` digits. `None` otherwise, and for subnormals (whose ulp is relatively
/// larger).
fn shortest_exp_digits(abs: f64, precision: usize, digits: &mut StackBuf<128>) -> Option<i32> {
    if precision >= 15 || !(abs.is_normal() || abs == 0.0) {
        return None;
    }
    // `ryu` gives the same shortest digits as `{:e}` (the closest of the shortest strings that
    // read back as `abs`) at a fraction of the cost, as `12.5`, `0.001`, `1e21` or `1.5e-7`.
    let mut buffer = ryu::Buffer::new();
    let text = buffer.format_finite(abs).as_bytes();
    let (mantissa, exponent) = match text.iter().position(|&b| b == b'e') {
        Some(e_pos) => (&text[..e_pos], &text[e_pos + 1..]),
        None => (text, &b""[..]),
    };
    let (negative, exponent) = match exponent.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, exponent),
    };
    let exponent = exponent
        .iter()
        .fold(0i32, |acc, &b| acc * 10 + i32::from(b - b'0'));
    let point = mantissa
        .iter()
        .position(|&b| b == b'.')
        .unwrap_or(mantissa.len());
    // The digits without the point, then without leading and trailing zeros; the exponent of
    // the first digit left.
    let all = mantissa.iter().filter(|b| b.is_ascii_digit());
    let leading = all.clone().take_while(|&&b| b == b'0').count();
    let mut significant = [0u8; 24];
    let mut len = 0;
    for (slot, &b) in significant.iter_mut().zip(all.skip(leading)) {
        *slot = b;
        len += 1;
    }
    while len > 0 && significant[len - 1] == b'0' {
        len -= 1;
    }
    if len == 0 {
        // Zero: as many zeros as `{:e}` gives.
        for _ in 0..=precision {
            digits.push(b'0');
        }
        return Some(0);
    }
    if len > precision + 1 {
        return None;
    }
    for &b in &significant[..len] {
        digits.push(b);
    }
    for _ in len..=precision {
        digits.push(b'0');
    }
    let first = i32::try_from(point).ok()? - 1 - i32::try_from(leading).ok()?;
    Some(if negative { -exponent } else { exponent } + first)
}

/// Appends `e+XX` (at least two exponent digits) as C does.
fn push_exponent<const N: usize>(exp: i32, upper: bool, body: &mut StackBuf<N>) {
    body.push(if upper { b'E' } else { b'e' });
    body.push(if exp < 0 { b'-' } else { b'+' });
    let exp = exp.unsigned_abs();
    if exp >= 100 {
        body.push(b'0' + (exp / 100) as u8);
    }
    body.push(b'0' + (exp / 10 % 10) as u8);
    body.push(b'0' + (exp % 10) as u8);
}

/// The body of `%.{precision}g` for a finite non-negative `abs` (`precision` >= 1).
fn general<const N: usize>(
    abs: f64,
    precision: usize,
    alt: bool,
    upper: bool,
    body: &mut StackBuf<N>,
) {
    let mut digits = StackBuf::<128>::new();
    let exp = exp_digits(abs, precision - 1, &mut digits);
    let digits = digits.as_bytes();
    let trim = |frac: &[u8]| -> usize {
        if alt {
            frac.len()
        } else {
            frac.iter().rposition(|&b| b != b'0').map_or(0, |i| i + 1)
        }
    };
    if exp < -4 || exp >= precision as i32 {
        body.extend(&digits[..1]);
        let frac = &digits[1..];
        let keep = trim(frac);
        if keep > 0 || alt {
            body.push(b'.');
            body.extend(&frac[..keep]);
        }
        push_exponent(exp, upper, body);
    } else if exp >= 0 {
        let int_len = exp as usize + 1;
        body.extend(&digits[..int_len]);
        let frac = &digits[int_len..];
        let keep = trim(frac);
        if keep > 0 || alt {
            body.push(b'.');
            body.extend(&frac[..keep]);
        }
    } else {
        // 0.000ddd: -exp - 1 zeros, then all digits (the first is non-zero as abs != 0).
        body.extend(b"0.");
        for _ in 0..(-exp - 1) {
            body.push(b'0');
        }
        let keep = trim(digits);
        body.extend(&digits[..keep]);
    }
}

/// C `isspace` in the C locale.
pub(crate) fn is_c_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// `luaO_str2d` and `tonumber(s, base)`: one implementation, in the compiler (the lower layer),
/// serves the lexer and the VM.
pub(crate) use ferrous_compiler::{str_to_number, str_to_number_base};

/// C `(int)d` on x86-64 (`cvttsd2si`): truncation, and `INT_MIN` for NaN and out-of-range values.
pub(crate) fn c_double_to_int(d: f64) -> i32 {
    if d > -2_147_483_649.0 && d < 2_147_483_648.0 {
        d as i32
    } else {
        i32::MIN
    }
}

/// C `(long)d` on x86-64 Linux: truncation, and `LONG_MIN` for NaN and out-of-range values.
pub(crate) fn c_double_to_long(d: f64) -> i64 {
    if (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&d) {
        d as i64
    } else {
        i64::MIN
    }
}

/// C `(unsigned long)d` as gcc compiles it for x86-64: values from 2^63 go through
/// `(long)(d - 2^63) ^ 2^63`, everything else through `(long)d` (so -1 gives 2^64 - 1,
/// NaN gives 2^63, 2^64 and above give 0).
pub(crate) fn c_double_to_ulong(d: f64) -> u64 {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if d >= TWO_63 {
        (c_double_to_long(d - TWO_63) as u64) ^ (1 << 63)
    } else {
        c_double_to_long(d) as u64
    }
}

/// `luai_nummod`: `a - floor(a/b)*b` (the sign follows the divisor; `x % 0` is NaN).
pub(crate) fn lua_mod(a: f64, b: f64) -> f64 {
    a - floor(a / b) * b
}

/// [`lua_mod`] by a constant divisor `b` that is an integer from 1 to 2^31 (`OP_MODK_INT`,
/// which the loader makes only for such a constant), without the division on its result's
/// path: for an integer `a` below 2^50 in magnitude, whose remainder 5.1's formula computes
/// exactly (its quotient is rounded less than the distance to the next integer), it is found
/// in integers from the truncation of `a` times `b`'s reciprocal, off by one at most, and
/// corrected once; the same value, `+0` for a multiple of `b` included. Any other `a` goes to
/// `lua_mod`. A division takes 13-15 cycles where a multiplication takes 4, and `i % n` is
/// usually on the way to something else (`t[i % n + 1]`, an argument): upvalues.lua spent 6%
/// of its time waiting on the division.
#[cfg_attr(debug_assertions, allow(dead_code))]
#[inline(always)]
pub(crate) fn lua_mod_by_int(a: f64, b: f64) -> f64 {
    // Truncation intended: `a` is tested exact just after (a NaN or a fraction fails the test),
    // `b` is an integer below 2^32.
    let (ai, bi) = (a as i64, b as i64);
    if ai as f64 == a && ai.unsigned_abs() < 1 << 50 {
        // The truncated quotient is the floored one or one off either way (the product's
        // rounding is under a quarter); the remainder is corrected once, in integers (no
        // overflow: both are below 2^51), and converted exactly.
        let q = (a * (1.0 / b)) as i64;
        let r = ai - q * bi;
        let r = if r < 0 {
            r + bi
        } else if r >= bi {
            r - bi
        } else {
            r
        };
        r as f64
    } else {
        lua_mod(a, b)
    }
}

/// Whether `b` is a divisor [`lua_mod_by_int`] takes: an integer from 1 to 2^31.
pub(crate) fn is_mod_int(b: f64) -> bool {
    (1.0..=2_147_483_648.0).contains(&b) && b.fract() == 0.0
}

/// C `floor`, equal to `f64::floor` for every input (-0.0 and NaN included), without a call for
/// the values scripts have. x86-64's baseline has no rounding instruction, so `f64::floor` is a
/// call into a software routine (~20 instructions; `i % 17` spent 1.4% of a bench there); below
/// 2^52 in magnitude a truncating conversion does it.
#[inline(always)]
pub(crate) fn floor(x: f64) -> f64 {
    const TWO_52: f64 = 4_503_599_627_370_496.0;
    if x.abs() < TWO_52 {
        // Truncation intended: |x| < 2^52 fits, and the conversion back is exact.
        let t = x as i64 as f64;
        let t = if t > x { t - 1.0 } else { t };
        // The sign of a zero result is x's (`floor(-0.0)` is -0.0).
        t.copysign(x)
    } else {
        x.floor()
    }
}

/// `luai_numpow`: C `pow` (`0^0` is 1, a negative base with a fractional exponent is NaN).
pub(crate) fn lua_pow(a: f64, b: f64) -> f64 {
    a.powf(b)
}

#[cfg(test)]
mod tests;
