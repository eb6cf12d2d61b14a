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
struct StackBuf<const N: usize> {
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

    fn as_bytes(&self) -> &[u8] {
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
    // Fast path: integral values below 1e14 print as plain integers (%.14g keeps 14 digits).
    if n.abs() < 1e14 && n == n.trunc() {
        if n == 0.0 && n.is_sign_negative() {
            out.extend_from_slice(b"-0");
        } else {
            push_i64(n as i64, out);
        }
        return;
    }
    if !n.is_finite() {
        push_non_finite(n, out);
        return;
    }
    if n.is_sign_negative() {
        out.push(b'-');
    }
    let mut body = StackBuf::<32>::new();
    general(n.abs(), 14, false, false, &mut body);
    out.extend_from_slice(body.as_bytes());
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

/// Appends `inf`, `-inf`, `nan` or `-nan` (glibc prints the sign bit of a NaN).
fn push_non_finite(n: f64, out: &mut Vec<u8>) {
    if n.is_sign_negative() {
        out.push(b'-');
    }
    out.extend_from_slice(if n.is_nan() { b"nan" } else { b"inf" });
}

/// Appends the decimal digits of `value`.
fn push_i64(value: i64, out: &mut Vec<u8>) {
    if value < 0 {
        out.push(b'-');
    }
    push_u64(value.unsigned_abs(), 10, false, out);
}

/// Appends the digits of `value` in `radix` (8, 10 or 16).
fn push_u64(value: u64, radix: u64, upper: bool, out: &mut Vec<u8>) {
    let mut buf = [0u8; 22];
    let start = u64_digits(value, radix, upper, &mut buf);
    out.extend_from_slice(&buf[start..]);
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

/// The bytes a C function sees: everything before the first NUL.
fn c_str(s: &[u8]) -> &[u8] {
    match s.iter().position(|&b| b == 0) {
        Some(nul) => &s[..nul],
        None => s,
    }
}

/// `luaO_str2d`: converts a whole string to a number (`tonumber(s)`, coercions), or `None`.
pub(crate) fn str_to_number(s: &[u8]) -> Option<f64> {
    let s = c_str(s);
    let (mut value, mut end) = strtod(s)?;
    if matches!(s.get(end), Some(b'x' | b'X')) {
        // 5.1 retries hexadecimal constants with strtoul; on glibc strtod already read them,
        // so this only decides where the (failed) conversion ends.
        let (int, int_end) = strtoul(s, 16);
        value = int as f64;
        end = int_end;
    }
    let rest = &s[end..];
    if rest.iter().all(|&b| is_c_space(b)) {
        Some(value)
    } else {
        None
    }
}

/// `tonumber(s, base)` for `base` in 2..=36 other than 10 (`luaB_tonumber`'s `strtoul` path;
/// with base 10, 5.1 calls `luaO_str2d`, i.e. [`str_to_number`]): a negative number wraps modulo 2^64 and an overflowing one saturates at 2^64 - 1, as
/// `unsigned long` does on 64-bit Linux.
pub(crate) fn str_to_number_base(s: &[u8], base: u32) -> Option<f64> {
    if !(2..=36).contains(&base) {
        // The VM raises "base out of range" before getting here.
        return None;
    }
    let s = c_str(s);
    let (value, end) = strtoul(s, base);
    if end == 0 {
        return None;
    }
    let rest = &s[end..];
    if rest.iter().all(|&b| is_c_space(b)) {
        Some(value as f64)
    } else {
        None
    }
}

/// Case-insensitive ASCII prefix test.
fn starts_with_ci(s: &[u8], prefix: &[u8]) -> bool {
    s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// glibc `strtod` on a NUL-free string: the value and the index where parsing stopped, or
/// `None` when nothing was converted.
fn strtod(s: &[u8]) -> Option<(f64, usize)> {
    let mut i = 0;
    while i < s.len() && is_c_space(s[i]) {
        i += 1;
    }
    let num_start = i;
    let negative = match s.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let signed = |v: f64| if negative { -v } else { v };
    let rest = &s[i..];
    if starts_with_ci(rest, b"inf") {
        let len = if starts_with_ci(rest, b"infinity") {
            8
        } else {
            3
        };
        return Some((signed(f64::INFINITY), i + len));
    }
    if starts_with_ci(rest, b"nan") {
        let mut end = i + 3;
        if s.get(end) == Some(&b'(') {
            let mut j = end + 1;
            while j < s.len() && (s[j].is_ascii_alphanumeric() || s[j] == b'_') {
                j += 1;
            }
            if s.get(j) == Some(&b')') {
                end = j + 1;
            }
        }
        // glibc's NAN is positive; `-nan` sets the sign bit (printed back as `-nan`).
        let nan = f64::from_bits(0x7ff8_0000_0000_0000);
        return Some((signed(nan), end));
    }
    if rest.len() >= 2 && rest[0] == b'0' && (rest[1] | 0x20) == b'x' {
        if let Some((value, end)) = parse_hex_float(s, i + 2) {
            return Some((signed(value), end));
        }
        // "0x" without hex digits: strtod reads the "0" and stops at the 'x'.
    }
    let mut j = i;
    let mut n_digits = 0;
    while j < s.len() && s[j].is_ascii_digit() {
        j += 1;
        n_digits += 1;
    }
    if s.get(j) == Some(&b'.') {
        j += 1;
        while j < s.len() && s[j].is_ascii_digit() {
            j += 1;
            n_digits += 1;
        }
    }
    if n_digits == 0 {
        return None;
    }
    if matches!(s.get(j), Some(b'e' | b'E')) {
        let mut k = j + 1;
        if matches!(s.get(k), Some(b'+' | b'-')) {
            k += 1;
        }
        if s.get(k).is_some_and(u8::is_ascii_digit) {
            while k < s.len() && s[k].is_ascii_digit() {
                k += 1;
            }
            j = k;
        }
    }
    // The validated text is ASCII and in a form Rust's correctly rounding parser accepts.
    let text = std::str::from_utf8(&s[num_start..j]).ok()?;
    let value: f64 = text.parse().ok()?;
    Some((value, j))
}

/// The value of an ASCII hex digit.
fn hex_digit(byte: u8) -> Option<u64> {
    match byte {
        b'0'..=b'9' => Some(u64::from(byte - b'0')),
        b'a'..=b'f' => Some(u64::from(byte - b'a' + 10)),
        b'A'..=b'F' => Some(u64::from(byte - b'A' + 10)),
        _ => None,
    }
}

/// Parses the mantissa (after `0x`) and optional `p` exponent of a hexadecimal float, rounding to
/// nearest-even like glibc. Returns the magnitude and the end index, `None` without hex digits.
fn parse_hex_float(s: &[u8], start: usize) -> Option<(f64, usize)> {
    let mut i = start;
    let mut mantissa: u64 = 0;
    let mut exp: i64 = 0;
    let mut sticky = false;
    let mut any_digit = false;
    let mut seen_point = false;
    while i < s.len() {
        let byte = s[i];
        if byte == b'.' && !seen_point {
            seen_point = true;
            i += 1;
            continue;
        }
        let Some(digit) = hex_digit(byte) else { break };
        any_digit = true;
        if mantissa >> 60 == 0 {
            mantissa = (mantissa << 4) | digit;
            if seen_point {
                exp -= 4;
            }
        } else {
            sticky |= digit != 0;
            if !seen_point {
                exp += 4;
            }
        }
        i += 1;
    }
    if !any_digit {
        return None;
    }
    if matches!(s.get(i), Some(b'p' | b'P')) {
        let mut k = i + 1;
        let negative = match s.get(k) {
            Some(b'-') => {
                k += 1;
                true
            }
            Some(b'+') => {
                k += 1;
                false
            }
            _ => false,
        };
        if s.get(k).is_some_and(u8::is_ascii_digit) {
            let mut p_exp: i64 = 0;
            while k < s.len() && s[k].is_ascii_digit() {
                p_exp = (p_exp * 10 + i64::from(s[k] - b'0')).min(1 << 40);
                k += 1;
            }
            exp += if negative { -p_exp } else { p_exp };
            i = k;
        }
    }
    Some((compose_binary(mantissa, exp, sticky), i))
}

/// Rounds `mantissa * 2^exp` (plus a non-zero tail below it when `sticky`) to the nearest
/// double, ties to even, with gradual underflow and overflow to infinity.
fn compose_binary(mantissa: u64, exp: i64, sticky: bool) -> f64 {
    if mantissa == 0 {
        return 0.0;
    }
    let lz = mantissa.leading_zeros();
    let m = mantissa << lz;
    // value = m * 2^(top - 63), m in [2^63, 2^64).
    let top = exp - i64::from(lz) + 63;
    if top > 1023 {
        return f64::INFINITY;
    }
    let keep = if top >= -1022 { 53 } else { 53 - (-1022 - top) };
    let shift = 64 - keep;
    if shift > 64 {
        return 0.0; // Below half the smallest subnormal.
    }
    let (mut q, rem, half) = if shift == 64 {
        (0u64, m, 1u64 << 63)
    } else {
        (m >> shift, m & ((1u64 << shift) - 1), 1u64 << (shift - 1))
    };
    if rem > half || (rem == half && (sticky || q & 1 == 1)) {
        q += 1;
    }
    if top >= -1022 {
        let mut top = top;
        if q == 1 << 53 {
            q >>= 1;
            top += 1;
            if top > 1023 {
                return f64::INFINITY;
            }
        }
        f64::from_bits((((top + 1023) as u64) << 52) | (q & ((1 << 52) - 1)))
    } else {
        // Subnormal: q * 2^-1074; q == 2^52 is exactly the smallest normal.
        f64::from_bits(q)
    }
}

/// glibc `strtoul` on a NUL-free string: the value and the end index; the end is 0 when nothing
/// was converted (or the index of the `x` of a bare `0x` in base 16, as glibc reports it).
fn strtoul(s: &[u8], base: u32) -> (u64, usize) {
    let mut i = 0;
    while i < s.len() && is_c_space(s[i]) {
        i += 1;
    }
    let negative = match s.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    if base == 16 && s.get(i) == Some(&b'0') && matches!(s.get(i + 1), Some(b'x' | b'X')) {
        i += 2;
    }
    let save = i;
    let mut value: u64 = 0;
    let mut overflow = false;
    while let Some(digit) = s.get(i).and_then(|&b| char::from(b).to_digit(base)) {
        match value
            .checked_mul(u64::from(base))
            .and_then(|v| v.checked_add(u64::from(digit)))
        {
            Some(v) => value = v,
            None => overflow = true,
        }
        i += 1;
    }
    if i == save {
        let bare_0x = save >= 2 && (s[save - 1] | 0x20) == b'x' && s[save - 2] == b'0';
        return (0, if bare_0x { save - 1 } else { 0 });
    }
    if overflow {
        (u64::MAX, i)
    } else if negative {
        (value.wrapping_neg(), i)
    } else {
        (value, i)
    }
}

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
    a - (a / b).floor() * b
}

/// `luai_numpow`: C `pow` (`0^0` is 1, a negative base with a fractional exponent is NaN).
pub(crate) fn lua_pow(a: f64, b: f64) -> f64 {
    a.powf(b)
}

#[cfg(test)]
mod tests {
    //! Expected outputs were produced by running `lua5.1` (5.1.5, glibc, x86-64); see the case tables.
    use super::*;

    /// Parses a `%.17g` rendering (or inf/nan with sign) back into the exact double.
    fn num(text: &str) -> f64 {
        match text {
            "nan" => f64::from_bits(0x7ff8_0000_0000_0000),
            "-nan" => f64::from_bits(0xfff8_0000_0000_0000),
            "inf" => f64::INFINITY,
            "-inf" => f64::NEG_INFINITY,
            _ => text
                .parse()
                .unwrap_or_else(|_| panic!("bad test number {text}")),
        }
    }

    /// Parses `%[flags][width][.precision]conv` (a test-only helper; `format.rs` has the real one).
    fn spec_of(text: &str) -> (Spec, FloatConv, &str) {
        let bytes = text.as_bytes();
        let mut spec = Spec::default();
        let mut i = 1;
        loop {
            match bytes[i] {
                b'-' => spec.left = true,
                b'+' => spec.plus = true,
                b' ' => spec.space = true,
                b'#' => spec.alt = true,
                b'0' => spec.zero = true,
                _ => break,
            }
            i += 1;
        }
        while bytes[i].is_ascii_digit() {
            spec.width = spec.width * 10 + usize::from(bytes[i] - b'0');
            i += 1;
        }
        if bytes[i] == b'.' {
            i += 1;
            let mut precision = 0;
            while bytes[i].is_ascii_digit() {
                precision = precision * 10 + usize::from(bytes[i] - b'0');
                i += 1;
            }
            spec.precision = Some(precision);
        }
        let conv = match bytes[i] {
            b'e' => FloatConv::Exp,
            b'E' => FloatConv::ExpUpper,
            b'f' => FloatConv::Fixed,
            b'g' => FloatConv::General,
            b'G' => FloatConv::GeneralUpper,
            other => panic!("bad conversion {other}"),
        };
        (spec, conv, &text[i + 1..])
    }

    fn tostring(n: f64) -> String {
        let mut out = Vec::new();
        fmt_number(n, &mut out);
        String::from_utf8(out).expect("numbers format to ASCII")
    }

    #[test]
    fn tostring_matches_lua51() {
        for &(input, expected) in TOSTRING_CASES {
            assert_eq!(tostring(num(input)), expected, "tostring({input})");
        }
    }

    #[test]
    fn tostring_special_values() {
        let zero = std::hint::black_box(0.0_f64);
        assert_eq!(
            tostring(zero / zero),
            "-nan",
            "x86 0/0 has the sign bit set"
        );
        assert_eq!(tostring(-(zero / zero)), "nan");
        assert_eq!(tostring(-zero), "-0");
        assert_eq!(tostring(1.0 / zero), "inf");
        assert_eq!(tostring(-1.0 / zero), "-inf");
        assert_eq!(tostring(2f64.powi(53)), "9.007199254741e+15");
        assert_eq!(tostring(123_456_789_012_345.0), "1.2345678901234e+14");
        assert_eq!(tostring(99_999_999_999_999.0), "99999999999999");
        assert_eq!(tostring(-99_999_999_999_999.0), "-99999999999999");
        assert_eq!(tostring(1e14), "1e+14");
        assert_eq!(tostring(i64::MIN as f64), "-9.2233720368548e+18");
    }

    #[test]
    fn printf_floats_match_lua51() {
        for &(fmt, input, expected) in PRINTF_FLOAT_CASES {
            let (spec, conv, suffix) = spec_of(fmt);
            let mut out = Vec::new();
            fmt_float(num(input), conv, &spec, &mut out);
            out.extend_from_slice(suffix.as_bytes());
            assert_eq!(
                String::from_utf8_lossy(&out),
                expected,
                "format({fmt:?}, {input})"
            );
        }
    }

    fn show(value: Option<f64>) -> String {
        match value {
            None => "nil".to_owned(),
            Some(v) if v.is_nan() => if v.is_sign_negative() { "-nan" } else { "nan" }.to_owned(),
            Some(v) if v.is_infinite() => if v < 0.0 { "-inf" } else { "inf" }.to_owned(),
            Some(v) => {
                // Compare exactly: re-render the expected text's double.
                format!("{:e}", v)
            }
        }
    }

    fn show_expected(text: &str) -> String {
        match text {
            "nil" | "nan" | "-nan" | "inf" | "-inf" => text.to_owned(),
            _ => format!("{:e}", num(text)),
        }
    }

    #[test]
    fn tonumber_matches_lua51() {
        for &(input, expected) in TONUMBER_CASES {
            let got = str_to_number(input);
            assert_eq!(
                show(got),
                show_expected(expected),
                "tonumber({:?})",
                String::from_utf8_lossy(input)
            );
            if let Some(v) = got.filter(|&v| v == 0.0) {
                assert_eq!(
                    v.is_sign_negative(),
                    expected.starts_with('-'),
                    "sign of zero for {input:?}"
                );
            }
        }
    }

    #[test]
    fn tonumber_base_matches_lua51() {
        for &(input, base, expected) in TONUMBER_BASE_CASES {
            let got = str_to_number_base(input, base);
            assert_eq!(
                show(got),
                show_expected(expected),
                "tonumber({:?}, {base})",
                String::from_utf8_lossy(input)
            );
        }
    }

    #[test]
    fn hex_float_rounding_edges() {
        assert_eq!(str_to_number(b"0x1p-1074"), Some(f64::from_bits(1)));
        assert_eq!(
            str_to_number(b"0x1p-1075"),
            Some(0.0),
            "exact half of the smallest subnormal rounds to even"
        );
        assert_eq!(str_to_number(b"0x1.8p-1075"), Some(f64::from_bits(1)));
        assert_eq!(str_to_number(b"0x1.fffffffffffffp1023"), Some(f64::MAX));
        assert_eq!(
            str_to_number(b"0x1.fffffffffffff8p1023"),
            Some(f64::INFINITY)
        );
        assert_eq!(str_to_number(b"0x1.00000000000008p0"), Some(1.0));
        assert_eq!(
            str_to_number(b"0x1.000000000000080001p0"),
            Some(1.0 + f64::EPSILON)
        );
        assert_eq!(
            str_to_number(b"0x1.00000000000018p0"),
            Some(1.0 + 2.0 * f64::EPSILON)
        );
        assert_eq!(
            str_to_number(b"0x0.fffffffffffff8p-1022"),
            Some(f64::MIN_POSITIVE)
        );
        assert_eq!(
            str_to_number(b"0x1p99999999999999999999"),
            Some(f64::INFINITY)
        );
        assert_eq!(str_to_number(b"0x1p-99999999999999999999"), Some(0.0));
    }

    #[test]
    fn c_casts_match_x86_64() {
        assert_eq!(c_double_to_long(3.7), 3);
        assert_eq!(c_double_to_long(-0.5), 0);
        assert_eq!(c_double_to_long(2f64.powi(63)), i64::MIN);
        assert_eq!(c_double_to_long(f64::NAN), i64::MIN);
        assert_eq!(c_double_to_long(-1e100), i64::MIN);
        assert_eq!(c_double_to_ulong(-1.0), u64::MAX);
        assert_eq!(c_double_to_ulong(2f64.powi(64)), 0);
        assert_eq!(c_double_to_ulong(f64::NAN), 1 << 63);
        assert_eq!(
            c_double_to_ulong(2f64.powi(63) + 4096.0),
            0x8000_0000_0000_1000
        );
        assert_eq!(c_double_to_ulong(f64::INFINITY), 0);
        assert_eq!(c_double_to_ulong(f64::NEG_INFINITY), 1 << 63);
        assert_eq!(c_double_to_int(321.0), 321);
        assert_eq!(c_double_to_int(1e100), i32::MIN);
        assert_eq!(c_double_to_int(-2_147_483_648.9), i32::MIN);
    }

    #[test]
    fn arithmetic_helpers_match_lua51() {
        let b = std::hint::black_box;
        assert_eq!(tostring(lua_pow(b(0.0), b(0.0))), "1");
        assert_eq!(tostring(lua_pow(b(-8.0), b(1.0 / 3.0))), "-nan");
        assert_eq!(tostring(lua_pow(b(2.0), b(0.5))), "1.4142135623731");
        assert_eq!(tostring(lua_pow(b(f64::NAN), b(0.0))), "1");
        assert_eq!(tostring(lua_mod(b(5.0), b(3.0))), "2");
        assert_eq!(tostring(lua_mod(b(-5.0), b(3.0))), "1");
        assert_eq!(tostring(lua_mod(b(5.0), b(-3.0))), "-1");
        assert_eq!(tostring(lua_mod(b(5.5), b(2.0))), "1.5");
        assert_eq!(tostring(lua_mod(b(1.0), b(0.0))), "-nan");
        assert_eq!(tostring(lua_mod(b(1.0), b(f64::INFINITY))), "-nan");
        assert_eq!(tostring(lua_mod(b(-1.0), b(f64::INFINITY))), "-nan");
    }

    #[rustfmt::skip]
    const TOSTRING_CASES: &[(&str, &str)] = &[
        ("0", "0"),
        ("0", "0"),
        ("1", "1"),
        ("-1", "-1"),
        ("0.10000000000000001", "0.1"),
        ("0.5", "0.5"),
        ("1.5", "1.5"),
        ("2.5", "2.5"),
        ("-2.5", "-2.5"),
        ("0.25", "0.25"),
        ("0.125", "0.125"),
        ("0.375", "0.375"),
        ("1000000000000000", "1e+15"),
        ("1e+100", "1e+100"),
        ("123456789012345", "1.2345678901234e+14"),
        ("9007199254740992", "9.007199254741e+15"),
        ("9007199254740992", "9.007199254741e+15"),
        ("9.2233720368547758e+18", "9.2233720368548e+18"),
        ("-9.2233720368547758e+18", "-9.2233720368548e+18"),
        ("1.8446744073709552e+19", "1.844674407371e+19"),
        ("100000000000000", "1e+14"),
        ("99999999999999", "99999999999999"),
        ("99999999999999", "99999999999999"),
        ("999999999999999", "1e+15"),
        ("3.14159265358979", "3.1415926535898"),
        ("0.33333333333333331", "0.33333333333333"),
        ("0.66666666666666663", "0.66666666666667"),
        ("-0.33333333333333331", "-0.33333333333333"),
        ("1.0000000000000001e-05", "1e-05"),
        ("0.0001", "0.0001"),
        ("0.00014999999999999999", "0.00015"),
        ("9.9999899999999998e-05", "9.99999e-05"),
        ("0.0001", "0.0001"),
        ("1.234e-05", "1.234e-05"),
        ("1e+21", "1e+21"),
        ("1e+22", "1e+22"),
        ("9.9999999999999992e+22", "1e+23"),
        ("1.7976931348623157e+308", "1.7976931348623e+308"),
        ("2.2250738585072014e-308", "2.2250738585072e-308"),
        ("4.9406564584124654e-324", "4.9406564584125e-324"),
        ("inf", "inf"),
        ("-inf", "-inf"),
        ("100", "100"),
        ("1000000", "1000000"),
        ("12345678", "12345678"),
        ("0.30000000000000004", "0.3"),
        ("0.99999999999999989", "1"),
        ("123.456", "123.456"),
        ("-123.456", "-123.456"),
        ("4.9406564584124654e-324", "4.9406564584125e-324"),
        ("9.9999999999999694e-311", "1e-310"),
        ("65535", "65535"),
        ("4294967295", "4294967295"),
        ("4294967296", "4294967296"),
        ("255.5", "255.5"),
        ("0.050000000000000003", "0.05"),
        ("0.014999999999999999", "0.015"),
        ("0.0015", "0.0015"),
        ("1.05", "1.05"),
        ("2.6749999999999998", "2.675"),
        ("1.0049999999999999", "1.005"),
        ("999999.5", "999999.5"),
        ("9999999.5", "9999999.5"),
        ("99999999999999.5", "1e+14"),
        ("0.99999999999999001", "0.99999999999999"),
        ("0.999999999999999", "1"),
        ("999999999999990", "9.9999999999999e+14"),
        ("999999999999995", "1e+15"),
        ("12.5", "12.5"),
        ("9.9999999999999995e-08", "1e-07"),
        ("1.23e-18", "1.23e-18"),
        ("6.9999999999999996e-10", "7e-10"),
        ("30000000000", "30000000000"),
        ("2147483648", "2147483648"),
        ("-2147483648", "-2147483648"),
        ("4294967296", "4294967296"),
        ("16777216", "16777216"),
        ("10000000000000000", "1e+16"),
        ("1e+17", "1e+17"),
        ("42", "42"),
        ("3.3469948001890416e-11", "3.346994800189e-11"),
        ("-4.2248668215353354e-18", "-4.2248668215353e-18"),
        ("6.3655852416369995e+22", "6.365585241637e+22"),
        ("2.4923935078514708e-09", "2.4923935078515e-09"),
        ("-3.1786026308213372e-22", "-3.1786026308213e-22"),
        ("7.6067157218264024e-26", "7.6067157218264e-26"),
        ("5646518890581335", "5.6465188905813e+15"),
        ("0.0021884979317842506", "0.0021884979317843"),
        ("5738.4172807160849", "5738.4172807161"),
        ("6.2887394085008364e+18", "6.2887394085008e+18"),
        ("2.7476643830294089e+20", "2.7476643830294e+20"),
        ("-9.6540214259429014e-15", "-9.6540214259429e-15"),
        ("2.1553059304856257e+24", "2.1553059304856e+24"),
        ("5.1718622470143543e+25", "5.1718622470144e+25"),
        ("2.82567206436101e-16", "2.825672064361e-16"),
        ("3.8931246445947914e+30", "3.8931246445948e+30"),
        ("9402.6867344056664", "9402.6867344057"),
        ("9.2202882278805069e+17", "9.2202882278805e+17"),
        ("4.4068284539537646e-09", "4.4068284539538e-09"),
        ("-1.6922910007146608e+29", "-1.6922910007147e+29"),
        ("7.5294491916566397e-15", "7.5294491916566e-15"),
        ("-6.6662494589883136e-17", "-6.6662494589883e-17"),
        ("-0.00078657011072457306", "-0.00078657011072457"),
        ("7.7013765637303589e+28", "7.7013765637304e+28"),
        ("-1.1869791062488124e-16", "-1.1869791062488e-16"),
        ("-602986558.15561604", "-602986558.15562"),
        ("16894.74886138679", "16894.748861387"),
        ("0.47817892556925257", "0.47817892556925"),
        ("2.4180628324011632e+26", "2.4180628324012e+26"),
        ("5.606646810475107e-25", "5.6066468104751e-25"),
        ("-6.7565120881220859e+21", "-6.7565120881221e+21"),
        ("62.023581453610021", "62.02358145361"),
        ("8.1690518037271931e-12", "8.1690518037272e-12"),
        ("9.0221783002010454e-26", "9.022178300201e-26"),
        ("9.0109769948809311e-19", "9.0109769948809e-19"),
        ("1.3140505092749609e+18", "1.314050509275e+18"),
        ("-3.5381145745227647e+28", "-3.5381145745228e+28"),
        ("0.00013296880718924515", "0.00013296880718925"),
        ("687726894713.81116", "687726894713.81"),
        ("5.9192744623493749e-16", "5.9192744623494e-16"),
        ("4.7444440353403076e+26", "4.7444440353403e+26"),
        ("-610.04420491403164", "-610.04420491403"),
        ("9.6412899296923031e-09", "9.6412899296923e-09"),
        ("7.5222935981686669e-15", "7.5222935981687e-15"),
        ("4.9153153108969865e-21", "4.915315310897e-21"),
        ("4.646027122925048e-13", "4.646027122925e-13"),
        ("607553683.50425446", "607553683.50425"),
        ("2.202581727040271e+17", "2.2025817270403e+17"),
        ("0.086513994721003795", "0.086513994721004"),
        ("4.3608353633251207e-27", "4.3608353633251e-27"),
        ("102.31804107423781", "102.31804107424"),
        ("-6.1678838060087926e-22", "-6.1678838060088e-22"),
        ("6.4611949987994485e-24", "6.4611949987994e-24"),
        ("9.7688151010166918e+22", "9.7688151010167e+22"),
        ("3.7921206624210439e-09", "3.792120662421e-09"),
        ("-9.7180908078877671e+19", "-9.7180908078878e+19"),
        ("3.5765911050031858e+23", "3.5765911050032e+23"),
        ("7.0570964492192015e-25", "7.0570964492192e-25"),
        ("-4.9413960915717267e+28", "-4.9413960915717e+28"),
        ("-9.6475528644619284e-06", "-9.6475528644619e-06"),
        ("6.7822135690516863", "6.7822135690517"),
        ("3.1018902981196949e-23", "3.1018902981197e-23"),
        ("48089411970269592", "4.808941197027e+16"),
        ("72418055530832.172", "72418055530832"),
        ("-7.9144991831455847e-23", "-7.9144991831456e-23"),
        ("7.3461615607823063e-25", "7.3461615607823e-25"),
        ("0.0096814557023725736", "0.0096814557023726"),
        ("8.4584961777825347e-21", "8.4584961777825e-21"),
        ("5006971058.9046459", "5006971058.9046"),
        ("62041492.975336261", "62041492.975336"),
        ("7.9693053513622399e-13", "7.9693053513622e-13"),
        ("5046883.2557307938", "5046883.2557308"),
        ("3.5373250551229925e-26", "3.537325055123e-26"),
        ("3.0819206838877504e-25", "3.0819206838878e-25"),
        ("1.2029637308805083e+23", "1.2029637308805e+23"),
        ("28157695.069982532", "28157695.069983"),
        ("-256636.51398226456", "-256636.51398226"),
        ("-0.00010623043082013281", "-0.00010623043082013"),
        ("5.0616873917457134e+25", "5.0616873917457e+25"),
        ("9549.3579094993693", "9549.3579094994"),
        ("2.5527071685310025e-09", "2.552707168531e-09"),
        ("5.3939694098168847e+20", "5.3939694098169e+20"),
        ("9.6773110282036071e-18", "9.6773110282036e-18"),
        ("64.2764442433959", "64.276444243396"),
        ("55921223.04063347", "55921223.040633"),
        ("-5.8641351088248833e+25", "-5.8641351088249e+25"),
        ("2.0605038628263882e-20", "2.0605038628264e-20"),
        ("-2.7249096020706509e-14", "-2.7249096020707e-14"),
        ("4.9144487757768702e-10", "4.9144487757769e-10"),
        ("3.5705174662035507e-13", "3.5705174662036e-13"),
        ("834.0668537812619", "834.06685378126"),
        ("6007115.5596557613", "6007115.5596558"),
        ("96717.488298526732", "96717.488298527"),
        ("4.1435095361170871e-18", "4.1435095361171e-18"),
        ("-9.4948157479496747e-15", "-9.4948157479497e-15"),
        ("3.6401666345261812e+21", "3.6401666345262e+21"),
        ("-3.9257237566289141e-27", "-3.9257237566289e-27"),
        ("3.2942807317219115e-13", "3.2942807317219e-13"),
        ("4.2031996903024614e+18", "4.2031996903025e+18"),
        ("-9.4826296016027341e-22", "-9.4826296016027e-22"),
        ("5.2606110904648025e-30", "5.2606110904648e-30"),
        ("-38869796.897689722", "-38869796.89769"),
        ("102081.53589725566", "102081.53589726"),
        ("1.9944314854193626e+29", "1.9944314854194e+29"),
        ("-4.5047837423648612e+27", "-4.5047837423649e+27"),
        ("-5.1398008713218389e-12", "-5.1398008713218e-12"),
        ("-4920264042411.123", "-4920264042411.1"),
        ("6412538395455.3584", "6412538395455.4"),
        ("-678928233999259.88", "-6.7892823399926e+14"),
        ("8225602311187238", "8.2256023111872e+15"),
        ("8.6019185178922107e-14", "8.6019185178922e-14"),
        ("-43605840319.584053", "-43605840319.584"),
        ("60409957990241216", "6.0409957990241e+16"),
        ("3.320464833323129e+17", "3.3204648333231e+17"),
        ("2.6266355685082433e-16", "2.6266355685082e-16"),
        ("4518720234985799", "4.5187202349858e+15"),
        ("4.8608539322674532e-16", "4.8608539322675e-16"),
        ("-5.7135405324928191e+23", "-5.7135405324928e+23"),
        ("9.8016896377325463e+28", "9.8016896377325e+28"),
        ("2.0397500144502848e+17", "2.0397500144503e+17"),
        ("599823913.8162806", "599823913.81628"),
        ("1.7825537369505288e-28", "1.7825537369505e-28"),
        ("10562477172.614298", "10562477172.614"),
        ("-5.933385666428779e-30", "-5.9333856664288e-30"),
        ("1.6446177575945008e-14", "1.6446177575945e-14"),
        ("-67341367931729.828", "-67341367931730"),
        ("4.8421093983771792e-18", "4.8421093983772e-18"),
        ("-9.8942593391492314e+17", "-9.8942593391492e+17"),
        ("-19235294134931312", "-1.9235294134931e+16"),
        ("-1.3502396044089643e+28", "-1.350239604409e+28"),
        ("82692.162032561464", "82692.162032561"),
        ("79410.703004994764", "79410.703004995"),
        ("425278.15812513145", "425278.15812513"),
        ("8.2251654091408313e-20", "8.2251654091408e-20"),
        ("5.7664928053349688e-12", "5.766492805335e-12"),
        ("4.255063889666956e-30", "4.255063889667e-30"),
        ("0.59571631606468756", "0.59571631606469"),
        ("0.0084226774091006613", "0.0084226774091007"),
        ("-30487931394.245441", "-30487931394.245"),
        ("-5.5297904859901354e+19", "-5.5297904859901e+19"),
        ("575282112.0318408", "575282112.03184"),
        ("-0.00023198035603015705", "-0.00023198035603016"),
        ("9.5913218378980296e+22", "9.591321837898e+22"),
        ("360837174747.52905", "360837174747.53"),
        ("769141812701.31006", "769141812701.31"),
        ("4.467096540363084e-24", "4.4670965403631e-24"),
        ("8454127227167.6582", "8454127227167.7"),
        ("-45133641103810.461", "-45133641103810"),
        ("8.3583477364659083e-30", "8.3583477364659e-30"),
        ("97907.677291849483", "97907.677291849"),
        ("8.5037410298845465e-23", "8.5037410298845e-23"),
        ("7.5354060053524588e-08", "7.5354060053525e-08"),
        ("9.8636889689898533e-10", "9.8636889689899e-10"),
        ("7940847765626.7803", "7940847765626.8"),
        ("-0.077002680570354073", "-0.077002680570354"),
        ("-7.8656760546684627e+24", "-7.8656760546685e+24"),
        ("39338831994374664", "3.9338831994375e+16"),
        ("1.9843242373244486e-18", "1.9843242373244e-18"),
        ("4.8321500582770207e-28", "4.832150058277e-28"),
        ("-4.4008900757883162e-29", "-4.4008900757883e-29"),
        ("-2.0407838896106851e-24", "-2.0407838896107e-24"),
        ("6.021047707656885e+22", "6.0210477076569e+22"),
        ("-4.2827518211131698e+21", "-4.2827518211132e+21"),
        ("1078677811.2308483", "1078677811.2308"),
        ("-4.6339910871507565e-05", "-4.6339910871508e-05"),
        ("-0.50063565815828537", "-0.50063565815829"),
        ("6.4508381795374869e+23", "6.4508381795375e+23"),
        ("-4.9245990370049137e-25", "-4.9245990370049e-25"),
        ("-5118.659373893709", "-5118.6593738937"),
        ("-6.2614320201154021e-30", "-6.2614320201154e-30"),
        ("-7.7030877665165284e-18", "-7.7030877665165e-18"),
        ("-5.8965429225454766e+18", "-5.8965429225455e+18"),
        ("7.240935171600866e-16", "7.2409351716009e-16"),
        ("7.2482522284836748e-09", "7.2482522284837e-09"),
        ("4.2199772103782629e+19", "4.2199772103783e+19"),
        ("5.8475282442977311e-11", "5.8475282442977e-11"),
        ("6.5980018659485521e+28", "6.5980018659486e+28"),
        ("0.0049255252978417678", "0.0049255252978418"),
        ("-5.3434626550150401", "-5.343462655015"),
        ("-6.2101616646210484e-23", "-6.210161664621e-23"),
        ("-7.316390051188128e+24", "-7.3163900511881e+24"),
        ("-9.5125219223613486e+28", "-9.5125219223613e+28"),
        ("-33396327417.994076", "-33396327417.994"),
        ("9.6444030896035957e-06", "9.6444030896036e-06"),
        ("5.3846891109760336e+20", "5.384689110976e+20"),
        ("5.2550894046458831e-05", "5.2550894046459e-05"),
        ("4.2171571423379508e-28", "4.217157142338e-28"),
        ("-36798.188154026022", "-36798.188154026"),
        ("8.152355378564612e-24", "8.1523553785646e-24"),
        ("82919313098732.062", "82919313098732"),
        ("0.0084994366851166986", "0.0084994366851167"),
        ("8.1565539390577707e-07", "8.1565539390578e-07"),
        ("0.00012616351485539393", "0.00012616351485539"),
        ("4.1201277608611289e-06", "4.1201277608611e-06"),
        ("4.6981103740158078e+26", "4.6981103740158e+26"),
        ("0.049446760792958899", "0.049446760792959"),
        ("-0.0255107944950046", "-0.025510794495005"),
        ("9.7398593415226128e+21", "9.7398593415226e+21"),
        ("1435614773.7408125", "1435614773.7408"),
        ("0.8150211697514268", "0.81502116975143"),
        ("6.1450821236451529e-10", "6.1450821236452e-10"),
        ("-3.1233138186500007e-05", "-3.12331381865e-05"),
        ("967.45610747833553", "967.45610747834"),
        ("-3.0397590589894724e+28", "-3.0397590589895e+28"),
        ("-4.671600044086389e+29", "-4.6716000440864e+29"),
        ("6.1767411260757319", "6.1767411260757"),
        ("-6016030654318644", "-6.0160306543186e+15"),
        ("658303046439915.5", "6.5830304643992e+14"),
        ("2.8032658495024157e+22", "2.8032658495024e+22"),
        ("2019946464.3466969", "2019946464.3467"),
        ("4.4439929744433576e-12", "4.4439929744434e-12"),
        ("33910364.254336044", "33910364.254336"),
        ("-637385.17353189422", "-637385.17353189"),
        ("-3.726402182935925e+23", "-3.7264021829359e+23"),
        ("-5.0930908578881484e+26", "-5.0930908578881e+26"),
        ("5858.6068618384224", "5858.6068618384"),
        ("1.2780395947760157e-22", "1.278039594776e-22"),
        ("-1.393560637437534e+19", "-1.3935606374375e+19"),
        ("-9.8849888052255802e-25", "-9.8849888052256e-25"),
        ("4.9046794627349262e-25", "4.9046794627349e-25"),
        ("-474.45639244953935", "-474.45639244954"),
        ("7.9040788756236816e+23", "7.9040788756237e+23"),
        ("-5.1988797007123377", "-5.1988797007123"),
        ("-7.8906015622851455e+23", "-7.8906015622851e+23"),
        ("-9.9372202576777066e-09", "-9.9372202576777e-09"),
        ("2.2950026776152676e+29", "2.2950026776153e+29"),
        ("9.4221690620398931e-24", "9.4221690620399e-24"),
        ("4.0319507913812762e-16", "4.0319507913813e-16"),
        ("5.8642072211318683e-16", "5.8642072211319e-16"),
        ("63545531110626.43", "63545531110626"),
        ("-3.65320016334448e-19", "-3.6532001633445e-19"),
        ("-3.9052305016225345e+30", "-3.9052305016225e+30"),
        ("0.2339579398901937", "0.23395793989019"),
        ("2.3139435575874264e-13", "2.3139435575874e-13"),
        ("3.184946404390478e-12", "3.1849464043905e-12"),
        ("331.41264940212142", "331.41264940212"),
        ("0.88782249525553658", "0.88782249525554"),
        ("-5.8932724203417421e+23", "-5.8932724203417e+23"),
        ("0.0094229937109271966", "0.0094229937109272"),
        ("-6.8285716589673286e-24", "-6.8285716589673e-24"),
        ("0.035722887439524238", "0.035722887439524"),
        ("-5.6174436004913618e+22", "-5.6174436004914e+22"),
        ("6.355072658674361e+23", "6.3550726586744e+23"),
        ("-2.1590276445071338e-24", "-2.1590276445071e-24"),
        ("0.00067557107502388351", "0.00067557107502388"),
        ("52382128244443856", "5.2382128244444e+16"),
        ("3465140728.9622078", "3465140728.9622"),
        ("-2.7145340585683166e-16", "-2.7145340585683e-16"),
        ("4.3799534600134725e-10", "4.3799534600135e-10"),
        ("8.3463877292100306e-30", "8.34638772921e-30"),
        ("9.5185163288929116e-08", "9.5185163288929e-08"),
        ("-2.6409031789009009e+27", "-2.6409031789009e+27"),
        ("-56176.271641709041", "-56176.271641709"),
        ("-3.6475679761020314e+17", "-3.647567976102e+17"),
        ("0.046213271769794291", "0.046213271769794"),
        ("8.6382769740364862e+30", "8.6382769740365e+30"),
        ("-7.993420035575247e-10", "-7.9934200355752e-10"),
        ("-2108925.4282922139", "-2108925.4282922"),
        ("5.0167439435686655e-28", "5.0167439435687e-28"),
        ("2.5810827932232445e+23", "2.5810827932232e+23"),
        ("1.1564950976318192e+20", "1.1564950976318e+20"),
        ("4.3961810154822569e-25", "4.3961810154823e-25"),
        ("6205371048.3970909", "6205371048.3971"),
        ("-6.8180231362665179e-29", "-6.8180231362665e-29"),
        ("0.85480808413345744", "0.85480808413346"),
        ("4.5804905633351254e-09", "4.5804905633351e-09"),
        ("-8.2293788056026112e-22", "-8.2293788056026e-22"),
        ("8.3729705067225602e-09", "8.3729705067226e-09"),
        ("9.0453808703671129e+21", "9.0453808703671e+21"),
        ("6.7663809269510106e-24", "6.766380926951e-24"),
        ("2.7870706807761779e-16", "2.7870706807762e-16"),
        ("25388960878.080204", "25388960878.08"),
        ("-1.6393007531945131e-13", "-1.6393007531945e-13"),
        ("-6.4433573356100149e+29", "-6.44335733561e+29"),
        ("9.110093470248437e+20", "9.1100934702484e+20"),
        ("6.3952199026920008e-13", "6.395219902692e-13"),
        ("-3.5369494620417002e-24", "-3.5369494620417e-24"),
        ("4.0004228772597496e+27", "4.0004228772597e+27"),
        ("5.0017419760123546e-29", "5.0017419760124e-29"),
        ("74161568970494.703", "74161568970495"),
        ("3.0947586815314175e+30", "3.0947586815314e+30"),
        ("7.0544958939098275e-16", "7.0544958939098e-16"),
        ("1.9362716991157605e-06", "1.9362716991158e-06"),
        ("3.3577132706333484e-27", "3.3577132706333e-27"),
        ("4.9663885799080081e+28", "4.966388579908e+28"),
        ("1383624.8085757832", "1383624.8085758"),
        ("1.2476989213599351e+28", "1.2476989213599e+28"),
        ("2.5520309584923236e-09", "2.5520309584923e-09"),
        ("7.4055463482651608e-06", "7.4055463482652e-06"),
        ("8.2498902027727523e-22", "8.2498902027728e-22"),
        ("0.0053914417817217501", "0.0053914417817218"),
        ("2.261399720917176e-20", "2.2613997209172e-20"),
        ("-5.8310438580024258e-09", "-5.8310438580024e-09"),
        ("-2305745232061.3643", "-2305745232061.4"),
        ("-8.503526984017123e-19", "-8.5035269840171e-19"),
        ("2.9724699505476611e-10", "2.9724699505477e-10"),
        ("0.0002930646949881058", "0.00029306469498811"),
        ("-86946900229410.688", "-86946900229411"),
        ("0.006550316431815883", "0.0065503164318159"),
        ("476.44820133058738", "476.44820133059"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("-2147483648", "-2147483648"),
        ("56375.625", "56375.625"),
        ("116814.5", "116814.5"),
        ("53695.25", "53695.25"),
        ("66300.375", "66300.375"),
        ("106546.5", "106546.5"),
        ("32976.125", "32976.125"),
        ("113336.625", "113336.625"),
        ("8257.625", "8257.625"),
        ("50464.625", "50464.625"),
        ("20372.375", "20372.375"),
        ("116674.25", "116674.25"),
        ("3562.625", "3562.625"),
        ("66229.625", "66229.625"),
        ("18493.5", "18493.5"),
        ("46341.25", "46341.25"),
        ("107202.375", "107202.375"),
        ("112493", "112493"),
        ("78417.375", "78417.375"),
        ("55446.375", "55446.375"),
        ("64745.375", "64745.375"),
        ("74893.125", "74893.125"),
        ("39625", "39625"),
        ("56919.5", "56919.5"),
        ("5568.625", "5568.625"),
        ("43421.875", "43421.875"),
        ("52584.625", "52584.625"),
        ("9946.875", "9946.875"),
        ("23716.125", "23716.125"),
        ("107879.625", "107879.625"),
        ("28485.625", "28485.625"),
        ("40063.5", "40063.5"),
        ("39255.125", "39255.125"),
        ("20300", "20300"),
        ("93758.875", "93758.875"),
        ("105555.625", "105555.625"),
        ("1846.5", "1846.5"),
        ("1735", "1735"),
        ("93892.125", "93892.125"),
        ("10104.125", "10104.125"),
        ("52199.75", "52199.75"),
        ("914.11699999999996", "914.117"),
        ("14.227", "14.227"),
        ("446.09899999999999", "446.099"),
        ("443.95400000000001", "443.954"),
        ("162.17500000000001", "162.175"),
        ("816.83000000000004", "816.83"),
        ("301.572", "301.572"),
        ("62.119", "62.119"),
        ("444.16800000000001", "444.168"),
        ("745.14300000000003", "745.143"),
        ("580.08199999999999", "580.082"),
        ("43.313000000000002", "43.313"),
        ("62.143000000000001", "62.143"),
        ("35.436999999999998", "35.437"),
        ("87.861999999999995", "87.862"),
        ("409.51799999999997", "409.518"),
        ("456.11500000000001", "456.115"),
        ("167.43700000000001", "167.437"),
        ("599.24699999999996", "599.247"),
        ("319.15100000000001", "319.151"),
        ("395.32299999999998", "395.323"),
        ("919.75599999999997", "919.756"),
        ("633.19299999999998", "633.193"),
        ("557.72400000000005", "557.724"),
        ("669.827", "669.827"),
        ("477.637", "477.637"),
        ("572.49599999999998", "572.496"),
        ("683.70699999999999", "683.707"),
        ("228.774", "228.774"),
        ("653.33000000000004", "653.33"),
        ("101.304", "101.304"),
        ("142.88999999999999", "142.89"),
        ("667.55799999999999", "667.558"),
        ("547.404", "547.404"),
        ("586.84500000000003", "586.845"),
        ("829.73299999999995", "829.733"),
        ("364.233", "364.233"),
        ("888.41700000000003", "888.417"),
        ("891.85299999999995", "891.853"),
        ("808.40200000000004", "808.402"),
        ("6.9048950167906779e-27", "6.9048950167907e-27"),
        ("1.3858275978109574e+115", "1.385827597811e+115"),
        ("9.7370537372569829e+266", "9.737053737257e+266"),
        ("-5.8704222951657581e+283", "-5.8704222951658e+283"),
        ("-8.1182736507609888e+120", "-8.118273650761e+120"),
        ("-2.0729208648145268e-07", "-2.0729208648145e-07"),
        ("2.9144347582160521e+253", "2.9144347582161e+253"),
        ("-2.3643547130729478e-138", "-2.3643547130729e-138"),
        ("-7.7097316552536929e+74", "-7.7097316552537e+74"),
        ("1.6486815959262554e+69", "1.6486815959263e+69"),
        ("-7.9157546257700126e-274", "-7.91575462577e-274"),
        ("1.8799638237336556e+277", "1.8799638237337e+277"),
        ("1.8068583364375709e-102", "1.8068583364376e-102"),
        ("6.0685927182330845e+300", "6.0685927182331e+300"),
        ("-1.1628997142982963e+102", "-1.1628997142983e+102"),
        ("2.2673772332811284e+227", "2.2673772332811e+227"),
        ("-7.0228591303333315e+86", "-7.0228591303333e+86"),
        ("3.547383604804004e+88", "3.547383604804e+88"),
        ("4.0491519006861504e+101", "4.0491519006862e+101"),
        ("7.4281796072946974e+115", "7.4281796072947e+115"),
        ("-nan", "-nan"),
        ("nan", "nan"),
        ("-0", "-0"),
        ("inf", "inf"),
        ("-inf", "-inf"),
    ];

    #[rustfmt::skip]
    const PRINTF_FLOAT_CASES: &[(&str, &str, &str)] = &[
        ("%e", "0", "0.000000e+00"),
        ("%e", "0", "0.000000e+00"),
        ("%e", "1", "1.000000e+00"),
        ("%e", "-1", "-1.000000e+00"),
        ("%e", "0.10000000000000001", "1.000000e-01"),
        ("%e", "0.5", "5.000000e-01"),
        ("%e", "1.5", "1.500000e+00"),
        ("%e", "2.5", "2.500000e+00"),
        ("%e", "2.2250738585072014e-308", "2.225074e-308"),
        ("%e", "1e+17", "1.000000e+17"),
        ("%e", "687726894713.81116", "6.877269e+11"),
        ("%e", "5.0616873917457134e+25", "5.061687e+25"),
        ("%e", "9.8016896377325463e+28", "9.801690e+28"),
        ("%e", "4.8321500582770207e-28", "4.832150e-28"),
        ("%e", "1435614773.7408125", "1.435615e+09"),
        ("%e", "0.0094229937109271966", "9.422994e-03"),
        ("%e", "5.0017419760123546e-29", "5.001742e-29"),
        ("%e", "-2147483648", "-2.147484e+09"),
        ("%e", "-2147483648", "-2.147484e+09"),
        ("%e", "10104.125", "1.010412e+04"),
        ("%e", "891.85299999999995", "8.918530e+02"),
        ("%e", "-nan", "-nan"),
        ("%e", "nan", "nan"),
        ("%e", "inf", "inf"),
        ("%e", "-inf", "-inf"),
        ("%E", "0", "0.000000E+00"),
        ("%E", "0", "0.000000E+00"),
        ("%E", "1", "1.000000E+00"),
        ("%E", "-1", "-1.000000E+00"),
        ("%E", "0.10000000000000001", "1.000000E-01"),
        ("%E", "0.5", "5.000000E-01"),
        ("%E", "1.5", "1.500000E+00"),
        ("%E", "2.5", "2.500000E+00"),
        ("%E", "1.7976931348623157e+308", "1.797693E+308"),
        ("%E", "10000000000000000", "1.000000E+16"),
        ("%E", "0.00013296880718924515", "1.329688E-04"),
        ("%E", "-0.00010623043082013281", "-1.062304E-04"),
        ("%E", "-5.7135405324928191e+23", "-5.713541E+23"),
        ("%E", "1.9843242373244486e-18", "1.984324E-18"),
        ("%E", "9.7398593415226128e+21", "9.739859E+21"),
        ("%E", "-5.8932724203417421e+23", "-5.893272E+23"),
        ("%E", "4.0004228772597496e+27", "4.000423E+27"),
        ("%E", "-2147483648", "-2.147484E+09"),
        ("%E", "-2147483648", "-2.147484E+09"),
        ("%E", "93892.125", "9.389212E+04"),
        ("%E", "888.41700000000003", "8.884170E+02"),
        ("%E", "-nan", "-NAN"),
        ("%E", "nan", "NAN"),
        ("%E", "inf", "INF"),
        ("%E", "-inf", "-INF"),
        ("%f", "0", "0.000000"),
        ("%f", "0", "0.000000"),
        ("%f", "1", "1.000000"),
        ("%f", "-1", "-1.000000"),
        ("%f", "0.10000000000000001", "0.100000"),
        ("%f", "0.5", "0.500000"),
        ("%f", "1.5", "1.500000"),
        ("%f", "2.5", "2.500000"),
        ("%f", "9.9999999999999992e+22", "99999999999999991611392.000000"),
        ("%f", "16777216", "16777216.000000"),
        ("%f", "-3.5381145745227647e+28", "-35381145745227647416195350528.000000"),
        ("%f", "-256636.51398226456", "-256636.513982"),
        ("%f", "4.8608539322674532e-16", "0.000000"),
        ("%f", "39338831994374664", "39338831994374664.000000"),
        ("%f", "-0.0255107944950046", "-0.025511"),
        ("%f", "0.88782249525553658", "0.887822"),
        ("%f", "-3.5369494620417002e-24", "-0.000000"),
        ("%f", "-2147483648", "-2147483648.000000"),
        ("%f", "-2147483648", "-2147483648.000000"),
        ("%f", "1735", "1735.000000"),
        ("%f", "364.233", "364.233000"),
        ("%f", "-nan", "-nan"),
        ("%f", "nan", "nan"),
        ("%f", "inf", "inf"),
        ("%f", "-inf", "-inf"),
        ("%g", "0", "0"),
        ("%g", "0", "0"),
        ("%g", "1", "1"),
        ("%g", "-1", "-1"),
        ("%g", "0.10000000000000001", "0.1"),
        ("%g", "0.5", "0.5"),
        ("%g", "1.5", "1.5"),
        ("%g", "2.5", "2.5"),
        ("%g", "1e+22", "1e+22"),
        ("%g", "4294967296", "4.29497e+09"),
        ("%g", "1.3140505092749609e+18", "1.31405e+18"),
        ("%g", "28157695.069982532", "2.81577e+07"),
        ("%g", "4518720234985799", "4.51872e+15"),
        ("%g", "-7.8656760546684627e+24", "-7.86568e+24"),
        ("%g", "0.049446760792958899", "0.0494468"),
        ("%g", "331.41264940212142", "331.413"),
        ("%g", "6.3952199026920008e-13", "6.39522e-13"),
        ("%g", "-2147483648", "-2.14748e+09"),
        ("%g", "-2147483648", "-2.14748e+09"),
        ("%g", "1846.5", "1846.5"),
        ("%g", "829.73299999999995", "829.733"),
        ("%g", "-nan", "-nan"),
        ("%g", "nan", "nan"),
        ("%g", "inf", "inf"),
        ("%g", "-inf", "-inf"),
        ("%G", "0", "0"),
        ("%G", "0", "0"),
        ("%G", "1", "1"),
        ("%G", "-1", "-1"),
        ("%G", "0.10000000000000001", "0.1"),
        ("%G", "0.5", "0.5"),
        ("%G", "1.5", "1.5"),
        ("%G", "2.5", "2.5"),
        ("%G", "1e+21", "1E+21"),
        ("%G", "-2147483648", "-2.14748E+09"),
        ("%G", "9.0109769948809311e-19", "9.01098E-19"),
        ("%G", "1.2029637308805083e+23", "1.20296E+23"),
        ("%G", "2.6266355685082433e-16", "2.62664E-16"),
        ("%G", "-0.077002680570354073", "-0.0770027"),
        ("%G", "4.6981103740158078e+26", "4.69811E+26"),
        ("%G", "3.184946404390478e-12", "3.18495E-12"),
        ("%G", "9.110093470248437e+20", "9.11009E+20"),
        ("%G", "-2147483648", "-2.14748E+09"),
        ("%G", "-2147483648", "-2.14748E+09"),
        ("%G", "105555.625", "105556"),
        ("%G", "586.84500000000003", "586.845"),
        ("%G", "-nan", "-NAN"),
        ("%G", "nan", "NAN"),
        ("%G", "inf", "INF"),
        ("%G", "-inf", "-INF"),
        ("%.0e", "0", "0e+00"),
        ("%.0e", "0", "0e+00"),
        ("%.0e", "1", "1e+00"),
        ("%.0e", "-1", "-1e+00"),
        ("%.0e", "0.10000000000000001", "1e-01"),
        ("%.0e", "0.5", "5e-01"),
        ("%.0e", "1.5", "2e+00"),
        ("%.0e", "2.5", "2e+00"),
        ("%.0e", "1.234e-05", "1e-05"),
        ("%.0e", "2147483648", "2e+09"),
        ("%.0e", "9.0221783002010454e-26", "9e-26"),
        ("%.0e", "3.0819206838877504e-25", "3e-25"),
        ("%.0e", "3.320464833323129e+17", "3e+17"),
        ("%.0e", "7940847765626.7803", "8e+12"),
        ("%.0e", "4.1201277608611289e-06", "4e-06"),
        ("%.0e", "2.3139435575874264e-13", "2e-13"),
        ("%.0e", "-6.4433573356100149e+29", "-6e+29"),
        ("%.0e", "-2147483648", "-2e+09"),
        ("%.0e", "-2147483648", "-2e+09"),
        ("%.0e", "93758.875", "9e+04"),
        ("%.0e", "547.404", "5e+02"),
        ("%.0e", "-nan", "-nan"),
        ("%.0e", "nan", "nan"),
        ("%.0e", "inf", "inf"),
        ("%.0e", "-inf", "-inf"),
        ("%.0f", "0", "0"),
        ("%.0f", "0", "0"),
        ("%.0f", "1", "1"),
        ("%.0f", "-1", "-1"),
        ("%.0f", "0.10000000000000001", "0"),
        ("%.0f", "0.5", "0"),
        ("%.0f", "1.5", "2"),
        ("%.0f", "2.5", "2"),
        ("%.0f", "0.0001", "0"),
        ("%.0f", "30000000000", "30000000000"),
        ("%.0f", "8.1690518037271931e-12", "0"),
        ("%.0f", "3.5373250551229925e-26", "0"),
        ("%.0f", "60409957990241216", "60409957990241216"),
        ("%.0f", "9.8636889689898533e-10", "0"),
        ("%.0f", "0.00012616351485539393", "0"),
        ("%.0f", "0.2339579398901937", "0"),
        ("%.0f", "-1.6393007531945131e-13", "-0"),
        ("%.0f", "-2147483648", "-2147483648"),
        ("%.0f", "-2147483648", "-2147483648"),
        ("%.0f", "20300", "20300"),
        ("%.0f", "667.55799999999999", "668"),
        ("%.0f", "-nan", "-nan"),
        ("%.0f", "nan", "nan"),
        ("%.0f", "inf", "inf"),
        ("%.0f", "-inf", "-inf"),
        ("%.0g", "0", "0"),
        ("%.0g", "0", "0"),
        ("%.0g", "1", "1"),
        ("%.0g", "-1", "-1"),
        ("%.0g", "0.10000000000000001", "0.1"),
        ("%.0g", "0.5", "0.5"),
        ("%.0g", "1.5", "2"),
        ("%.0g", "2.5", "2"),
        ("%.0g", "9.9999899999999998e-05", "0.0001"),
        ("%.0g", "6.9999999999999996e-10", "7e-10"),
        ("%.0g", "62.023581453610021", "6e+01"),
        ("%.0g", "5046883.2557307938", "5e+06"),
        ("%.0g", "-43605840319.584053", "-4e+10"),
        ("%.0g", "7.5354060053524588e-08", "8e-08"),
        ("%.0g", "8.1565539390577707e-07", "8e-07"),
        ("%.0g", "-3.9052305016225345e+30", "-4e+30"),
        ("%.0g", "25388960878.080204", "3e+10"),
        ("%.0g", "-2147483648", "-2e+09"),
        ("%.0g", "-2147483648", "-2e+09"),
        ("%.0g", "39255.125", "4e+04"),
        ("%.0g", "142.88999999999999", "1e+02"),
        ("%.0g", "-nan", "-nan"),
        ("%.0g", "nan", "nan"),
        ("%.0g", "inf", "inf"),
        ("%.0g", "-inf", "-inf"),
        ("%#.0e", "0", "0.e+00"),
        ("%#.0e", "0", "0.e+00"),
        ("%#.0e", "1", "1.e+00"),
        ("%#.0e", "-1", "-1.e+00"),
        ("%#.0e", "0.10000000000000001", "1.e-01"),
        ("%#.0e", "0.5", "5.e-01"),
        ("%#.0e", "1.5", "2.e+00"),
        ("%#.0e", "2.5", "2.e+00"),
        ("%#.0e", "0.00014999999999999999", "1.e-04"),
        ("%#.0e", "1.23e-18", "1.e-18"),
        ("%#.0e", "-6.7565120881220859e+21", "-7.e+21"),
        ("%#.0e", "7.9693053513622399e-13", "8.e-13"),
        ("%#.0e", "8.6019185178922107e-14", "9.e-14"),
        ("%#.0e", "8.5037410298845465e-23", "9.e-23"),
        ("%#.0e", "0.0084994366851166986", "8.e-03"),
        ("%#.0e", "-3.65320016334448e-19", "-4.e-19"),
        ("%#.0e", "2.7870706807761779e-16", "3.e-16"),
        ("%#.0e", "-2147483648", "-2.e+09"),
        ("%#.0e", "-2147483648", "-2.e+09"),
        ("%#.0e", "40063.5", "4.e+04"),
        ("%#.0e", "101.304", "1.e+02"),
        ("%#.0e", "-nan", "-nan"),
        ("%#.0e", "nan", "nan"),
        ("%#.0e", "inf", "inf"),
        ("%#.0e", "-inf", "-inf"),
        ("%#.0f", "0", "0."),
        ("%#.0f", "0", "0."),
        ("%#.0f", "1", "1."),
        ("%#.0f", "-1", "-1."),
        ("%#.0f", "0.10000000000000001", "0."),
        ("%#.0f", "0.5", "0."),
        ("%#.0f", "1.5", "2."),
        ("%#.0f", "2.5", "2."),
        ("%#.0f", "0.0001", "0."),
        ("%#.0f", "9.9999999999999995e-08", "0."),
        ("%#.0f", "5.606646810475107e-25", "0."),
        ("%#.0f", "62041492.975336261", "62041493."),
        ("%#.0f", "8225602311187238", "8225602311187238."),
        ("%#.0f", "97907.677291849483", "97908."),
        ("%#.0f", "82919313098732.062", "82919313098732."),
        ("%#.0f", "63545531110626.43", "63545531110626."),
        ("%#.0f", "6.7663809269510106e-24", "0."),
        ("%#.0f", "-2147483648", "-2147483648."),
        ("%#.0f", "-2147483648", "-2147483648."),
        ("%#.0f", "28485.625", "28486."),
        ("%#.0f", "653.33000000000004", "653."),
        ("%#.0f", "-nan", "-nan"),
        ("%#.0f", "nan", "nan"),
        ("%#.0f", "inf", "inf"),
        ("%#.0f", "-inf", "-inf"),
        ("%#g", "0", "0.00000"),
        ("%#g", "0", "0.00000"),
        ("%#g", "1", "1.00000"),
        ("%#g", "-1", "-1.00000"),
        ("%#g", "0.10000000000000001", "0.100000"),
        ("%#g", "0.5", "0.500000"),
        ("%#g", "1.5", "1.50000"),
        ("%#g", "2.5", "2.50000"),
        ("%#g", "1.0000000000000001e-05", "1.00000e-05"),
        ("%#g", "12.5", "12.5000"),
        ("%#g", "2.4180628324011632e+26", "2.41806e+26"),
        ("%#g", "5006971058.9046459", "5.00697e+09"),
        ("%#g", "-678928233999259.88", "-6.78928e+14"),
        ("%#g", "8.3583477364659083e-30", "8.35835e-30"),
        ("%#g", "8.152355378564612e-24", "8.15236e-24"),
        ("%#g", "5.8642072211318683e-16", "5.86421e-16"),
        ("%#g", "9.0453808703671129e+21", "9.04538e+21"),
        ("%#g", "-2147483648", "-2.14748e+09"),
        ("%#g", "-2147483648", "-2.14748e+09"),
        ("%#g", "107879.625", "107880."),
        ("%#g", "228.774", "228.774"),
        ("%#g", "-nan", "-nan"),
        ("%#g", "nan", "nan"),
        ("%#g", "inf", "inf"),
        ("%#g", "-inf", "-inf"),
        ("%#.3g", "0", "0.00"),
        ("%#.3g", "0", "0.00"),
        ("%#.3g", "1", "1.00"),
        ("%#.3g", "-1", "-1.00"),
        ("%#.3g", "0.10000000000000001", "0.100"),
        ("%#.3g", "0.5", "0.500"),
        ("%#.3g", "1.5", "1.50"),
        ("%#.3g", "2.5", "2.50"),
        ("%#.3g", "-0.33333333333333331", "-0.333"),
        ("%#.3g", "999999999999995", "1.00e+15"),
        ("%#.3g", "0.47817892556925257", "0.478"),
        ("%#.3g", "8.4584961777825347e-21", "8.46e-21"),
        ("%#.3g", "6412538395455.3584", "6.41e+12"),
        ("%#.3g", "-45133641103810.461", "-4.51e+13"),
        ("%#.3g", "-36798.188154026022", "-3.68e+04"),
        ("%#.3g", "4.0319507913812762e-16", "4.03e-16"),
        ("%#.3g", "8.3729705067225602e-09", "8.37e-09"),
        ("%#.3g", "-2147483648", "-2.15e+09"),
        ("%#.3g", "-2147483648", "-2.15e+09"),
        ("%#.3g", "23716.125", "2.37e+04"),
        ("%#.3g", "683.70699999999999", "684."),
        ("%#.3g", "-nan", "-nan"),
        ("%#.3g", "nan", "nan"),
        ("%#.3g", "inf", "inf"),
        ("%#.3g", "-inf", "-inf"),
        ("%.3e", "0", "0.000e+00"),
        ("%.3e", "0", "0.000e+00"),
        ("%.3e", "1", "1.000e+00"),
        ("%.3e", "-1", "-1.000e+00"),
        ("%.3e", "0.10000000000000001", "1.000e-01"),
        ("%.3e", "0.5", "5.000e-01"),
        ("%.3e", "1.5", "1.500e+00"),
        ("%.3e", "2.5", "2.500e+00"),
        ("%.3e", "0.66666666666666663", "6.667e-01"),
        ("%.3e", "999999999999990", "1.000e+15"),
        ("%.3e", "16894.74886138679", "1.689e+04"),
        ("%.3e", "0.0096814557023725736", "9.681e-03"),
        ("%.3e", "-4920264042411.123", "-4.920e+12"),
        ("%.3e", "8454127227167.6582", "8.454e+12"),
        ("%.3e", "4.2171571423379508e-28", "4.217e-28"),
        ("%.3e", "9.4221690620398931e-24", "9.422e-24"),
        ("%.3e", "-8.2293788056026112e-22", "-8.229e-22"),
        ("%.3e", "-2147483648", "-2.147e+09"),
        ("%.3e", "-2147483648", "-2.147e+09"),
        ("%.3e", "9946.875", "9.947e+03"),
        ("%.3e", "572.49599999999998", "5.725e+02"),
        ("%.3e", "-nan", "-nan"),
        ("%.3e", "nan", "nan"),
        ("%.3e", "inf", "inf"),
        ("%.3e", "-inf", "-inf"),
        ("%.10f", "0", "0.0000000000"),
        ("%.10f", "0", "0.0000000000"),
        ("%.10f", "1", "1.0000000000"),
        ("%.10f", "-1", "-1.0000000000"),
        ("%.10f", "0.10000000000000001", "0.1000000000"),
        ("%.10f", "0.5", "0.5000000000"),
        ("%.10f", "1.5", "1.5000000000"),
        ("%.10f", "2.5", "2.5000000000"),
        ("%.10f", "0.33333333333333331", "0.3333333333"),
        ("%.10f", "0.999999999999999", "1.0000000000"),
        ("%.10f", "-602986558.15561604", "-602986558.1556160450"),
        ("%.10f", "7.3461615607823063e-25", "0.0000000000"),
        ("%.10f", "-5.1398008713218389e-12", "-0.0000000000"),
        ("%.10f", "4.467096540363084e-24", "0.0000000000"),
        ("%.10f", "5.2550894046458831e-05", "0.0000525509"),
        ("%.10f", "2.2950026776152676e+29", "229500267761526762801945640960.0000000000"),
        ("%.10f", "4.5804905633351254e-09", "0.0000000046"),
        ("%.10f", "-2147483648", "-2147483648.0000000000"),
        ("%.10f", "-2147483648", "-2147483648.0000000000"),
        ("%.10f", "52584.625", "52584.6250000000"),
        ("%.10f", "477.637", "477.6370000000"),
        ("%.10f", "-nan", "-nan"),
        ("%.10f", "nan", "nan"),
        ("%.10f", "inf", "inf"),
        ("%.10f", "-inf", "-inf"),
        ("%.20g", "0", "0"),
        ("%.20g", "0", "0"),
        ("%.20g", "1", "1"),
        ("%.20g", "-1", "-1"),
        ("%.20g", "0.10000000000000001", "0.10000000000000000555"),
        ("%.20g", "0.5", "0.5"),
        ("%.20g", "1.5", "1.5"),
        ("%.20g", "2.5", "2.5"),
        ("%.20g", "3.14159265358979", "3.1415926535897900074"),
        ("%.20g", "0.99999999999999001", "0.99999999999999000799"),
        ("%.20g", "-1.1869791062488124e-16", "-1.1869791062488124441e-16"),
        ("%.20g", "-7.9144991831455847e-23", "-7.9144991831455846971e-23"),
        ("%.20g", "-4.5047837423648612e+27", "-4.5047837423648611668e+27"),
        ("%.20g", "769141812701.31006", "769141812701.31005859"),
        ("%.20g", "5.3846891109760336e+20", "5.3846891109760335872e+20"),
        ("%.20g", "-9.9372202576777066e-09", "-9.9372202576777066204e-09"),
        ("%.20g", "0.85480808413345744", "0.85480808413345743535"),
        ("%.20g", "-2147483648", "-2147483648"),
        ("%.20g", "-2147483648", "-2147483648"),
        ("%.20g", "43421.875", "43421.875"),
        ("%.20g", "669.827", "669.82699999999999818"),
        ("%.20g", "-nan", "-nan"),
        ("%.20g", "nan", "nan"),
        ("%.20g", "inf", "inf"),
        ("%.20g", "-inf", "-inf"),
        ("%.17g", "0", "0"),
        ("%.17g", "0", "0"),
        ("%.17g", "1", "1"),
        ("%.17g", "-1", "-1"),
        ("%.17g", "0.10000000000000001", "0.10000000000000001"),
        ("%.17g", "0.5", "0.5"),
        ("%.17g", "1.5", "1.5"),
        ("%.17g", "2.5", "2.5"),
        ("%.17g", "999999999999999", "999999999999999"),
        ("%.17g", "99999999999999.5", "99999999999999.5"),
        ("%.17g", "7.7013765637303589e+28", "7.7013765637303589e+28"),
        ("%.17g", "72418055530832.172", "72418055530832.172"),
        ("%.17g", "1.9944314854193626e+29", "1.9944314854193626e+29"),
        ("%.17g", "360837174747.52905", "360837174747.52905"),
        ("%.17g", "9.6444030896035957e-06", "9.6444030896035957e-06"),
        ("%.17g", "-7.8906015622851455e+23", "-7.8906015622851455e+23"),
        ("%.17g", "-6.8180231362665179e-29", "-6.8180231362665179e-29"),
        ("%.17g", "-2147483648", "-2147483648"),
        ("%.17g", "-2147483648", "-2147483648"),
        ("%.17g", "5568.625", "5568.625"),
        ("%.17g", "557.72400000000005", "557.72400000000005"),
        ("%.17g", "-nan", "-nan"),
        ("%.17g", "nan", "nan"),
        ("%.17g", "inf", "inf"),
        ("%.17g", "-inf", "-inf"),
        ("%.99f", "0", "0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"),
        ("%.99f", "0", "0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"),
        ("%.99f", "1", "1.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"),
        ("%.99f", "-1", "-1.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"),
        ("%.99f", "0.10000000000000001", "0.100000000000000005551115123125782702118158340454101562500000000000000000000000000000000000000000000"),
        ("%.99f", "0.5", "0.500000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"),
        ("%.99f", "1.5", "1.500000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"),
        ("%.99f", "2.5", "2.500000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"),
        ("%.99f", "99999999999999", "99999999999999.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"),
        ("%.99f", "9999999.5", "9999999.500000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"),
        ("%.99f", "-0.00078657011072457306", "-0.000786570110724573064164832914002545294351875782012939453125000000000000000000000000000000000000000"),
        ("%.99f", "48089411970269592", "48089411970269592.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"),
        ("%.99f", "102081.53589725566", "102081.535897255656891502439975738525390625000000000000000000000000000000000000000000000000000000000000000"),
        ("%.99f", "9.5913218378980296e+22", "95913218378980296491008.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"),
        ("%.99f", "-33396327417.994076", "-33396327417.994075775146484375000000000000000000000000000000000000000000000000000000000000000000000000000000000"),
        ("%.99f", "-5.1988797007123377", "-5.198879700712337736945301003288477659225463867187500000000000000000000000000000000000000000000000000"),
        ("%.99f", "6205371048.3970909", "6205371048.397090911865234375000000000000000000000000000000000000000000000000000000000000000000000000000000000"),
        ("%.99f", "-2147483648", "-2147483648.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"),
        ("%.99f", "-2147483648", "-2147483648.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"),
        ("%.99f", "56919.5", "56919.500000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"),
        ("%.99f", "633.19299999999998", "633.192999999999983629095368087291717529296875000000000000000000000000000000000000000000000000000000000"),
        ("%.99f", "-nan", "-nan"),
        ("%.99f", "nan", "nan"),
        ("%.99f", "inf", "inf"),
        ("%.99f", "-inf", "-inf"),
        ("%.99e", "0", "0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000e+00"),
        ("%.99e", "0", "0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000e+00"),
        ("%.99e", "1", "1.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000e+00"),
        ("%.99e", "-1", "-1.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000e+00"),
        ("%.99e", "0.10000000000000001", "1.000000000000000055511151231257827021181583404541015625000000000000000000000000000000000000000000000e-01"),
        ("%.99e", "0.5", "5.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000e-01"),
        ("%.99e", "1.5", "1.500000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000e+00"),
        ("%.99e", "2.5", "2.500000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000e+00"),
        ("%.99e", "99999999999999", "9.999999999999900000000000000000000000000000000000000000000000000000000000000000000000000000000000000e+13"),
        ("%.99e", "999999.5", "9.999995000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000e+05"),
        ("%.99e", "-6.6662494589883136e-17", "-6.666249458988313647504584966957284748176950788011232984509035759401740506291389465332031250000000000e-17"),
        ("%.99e", "3.1018902981196949e-23", "3.101890298119694850769020557815622373105870140933779060744997484871943171924613125156611204147338867e-23"),
        ("%.99e", "-38869796.897689722", "-3.886979689768972247838973999023437500000000000000000000000000000000000000000000000000000000000000000e+07"),
        ("%.99e", "-0.00023198035603015705", "-2.319803560301570549955635369698825343220960348844528198242187500000000000000000000000000000000000000e-04"),
        ("%.99e", "-9.5125219223613486e+28", "-9.512521922361348636841659596800000000000000000000000000000000000000000000000000000000000000000000000e+28"),
        ("%.99e", "7.9040788756236816e+23", "7.904078875623681614151680000000000000000000000000000000000000000000000000000000000000000000000000000e+23"),
        ("%.99e", "4.3961810154822569e-25", "4.396181015482256867800526884042253529347541374588097003547877713691520440431048655227641575038433075e-25"),
        ("%.99e", "-2147483648", "-2.147483648000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000e+09"),
        ("%.99e", "-2147483648", "-2.147483648000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000e+09"),
        ("%.99e", "39625", "3.962500000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000e+04"),
        ("%.99e", "919.75599999999997", "9.197559999999999718056642450392246246337890625000000000000000000000000000000000000000000000000000000e+02"),
        ("%.99e", "-nan", "-nan"),
        ("%.99e", "nan", "nan"),
        ("%.99e", "inf", "inf"),
        ("%.99e", "-inf", "-inf"),
        ("%.99g", "0", "0"),
        ("%.99g", "0", "0"),
        ("%.99g", "1", "1"),
        ("%.99g", "-1", "-1"),
        ("%.99g", "0.10000000000000001", "0.1000000000000000055511151231257827021181583404541015625"),
        ("%.99g", "0.5", "0.5"),
        ("%.99g", "1.5", "1.5"),
        ("%.99g", "2.5", "2.5"),
        ("%.99g", "100000000000000", "100000000000000"),
        ("%.99g", "1.0049999999999999", "1.00499999999999989341858963598497211933135986328125"),
        ("%.99g", "7.5294491916566397e-15", "7.5294491916566397060738734900597678051143053779004077341596712358295917510986328125e-15"),
        ("%.99g", "6.7822135690516863", "6.7822135690516862638332895585335791110992431640625"),
        ("%.99g", "5.2606110904648025e-30", "5.26061109046480253147368057042745943663670418798303438810092506914588917722784642411193445354911091e-30"),
        ("%.99g", "575282112.0318408", "575282112.031840801239013671875"),
        ("%.99g", "-7.316390051188128e+24", "-7316390051188127983206400"),
        ("%.99g", "-474.45639244953935", "-474.45639244953935076409834437072277069091796875"),
        ("%.99g", "1.1564950976318192e+20", "115649509763181920256"),
        ("%.99g", "-2147483648", "-2147483648"),
        ("%.99g", "-2147483648", "-2147483648"),
        ("%.99g", "74893.125", "74893.125"),
        ("%.99g", "395.32299999999998", "395.3229999999999790816218592226505279541015625"),
        ("%.99g", "-nan", "-nan"),
        ("%.99g", "nan", "nan"),
        ("%.99g", "inf", "inf"),
        ("%.99g", "-inf", "-inf"),
        ("%5.2f", "0", " 0.00"),
        ("%5.2f", "0", " 0.00"),
        ("%5.2f", "1", " 1.00"),
        ("%5.2f", "-1", "-1.00"),
        ("%5.2f", "0.10000000000000001", " 0.10"),
        ("%5.2f", "0.5", " 0.50"),
        ("%5.2f", "1.5", " 1.50"),
        ("%5.2f", "2.5", " 2.50"),
        ("%5.2f", "1.8446744073709552e+19", "18446744073709551616.00"),
        ("%5.2f", "2.6749999999999998", " 2.67"),
        ("%5.2f", "-1.6922910007146608e+29", "-169229100071466080897830223872.00"),
        ("%5.2f", "-9.6475528644619284e-06", "-0.00"),
        ("%5.2f", "-9.4826296016027341e-22", "-0.00"),
        ("%5.2f", "-5.5297904859901354e+19", "-55297904859901353984.00"),
        ("%5.2f", "-6.2101616646210484e-23", "-0.00"),
        ("%5.2f", "4.9046794627349262e-25", " 0.00"),
        ("%5.2f", "2.5810827932232445e+23", "258108279322324448051200.00"),
        ("%5.2f", "476.44820133058738", "476.45"),
        ("%5.2f", "-2147483648", "-2147483648.00"),
        ("%5.2f", "64745.375", "64745.38"),
        ("%5.2f", "319.15100000000001", "319.15"),
        ("%5.2f", "7.4281796072946974e+115", "74281796072946973860845007987810134247727580575326838372144479108434843060367602168060333608645808716111092551516160.00"),
        ("%5.2f", "-nan", " -nan"),
        ("%5.2f", "nan", "  nan"),
        ("%5.2f", "inf", "  inf"),
        ("%5.2f", "-inf", " -inf"),
        ("%-12.3e|", "0", "0.000e+00   |"),
        ("%-12.3e|", "0", "0.000e+00   |"),
        ("%-12.3e|", "1", "1.000e+00   |"),
        ("%-12.3e|", "-1", "-1.000e+00  |"),
        ("%-12.3e|", "0.10000000000000001", "1.000e-01   |"),
        ("%-12.3e|", "0.5", "5.000e-01   |"),
        ("%-12.3e|", "1.5", "1.500e+00   |"),
        ("%-12.3e|", "2.5", "2.500e+00   |"),
        ("%-12.3e|", "-9.2233720368547758e+18", "-9.223e+18  |"),
        ("%-12.3e|", "1.05", "1.050e+00   |"),
        ("%-12.3e|", "4.4068284539537646e-09", "4.407e-09   |"),
        ("%-12.3e|", "-4.9413960915717267e+28", "-4.941e+28  |"),
        ("%-12.3e|", "4.2031996903024614e+18", "4.203e+18   |"),
        ("%-12.3e|", "-30487931394.245441", "-3.049e+10  |"),
        ("%-12.3e|", "-5.3434626550150401", "-5.343e+00  |"),
        ("%-12.3e|", "-9.8849888052255802e-25", "-9.885e-25  |"),
        ("%-12.3e|", "5.0167439435686655e-28", "5.017e-28   |"),
        ("%-12.3e|", "0.006550316431815883", "6.550e-03   |"),
        ("%-12.3e|", "-2147483648", "-2.147e+09  |"),
        ("%-12.3e|", "55446.375", "5.545e+04   |"),
        ("%-12.3e|", "599.24699999999996", "5.992e+02   |"),
        ("%-12.3e|", "4.0491519006861504e+101", "4.049e+101  |"),
        ("%-12.3e|", "-nan", "-nan        |"),
        ("%-12.3e|", "nan", "nan         |"),
        ("%-12.3e|", "inf", "inf         |"),
        ("%-12.3e|", "-inf", "-inf        |"),
        ("%+g", "0", "+0"),
        ("%+g", "0", "+0"),
        ("%+g", "1", "+1"),
        ("%+g", "-1", "-1"),
        ("%+g", "0.10000000000000001", "+0.1"),
        ("%+g", "0.5", "+0.5"),
        ("%+g", "1.5", "+1.5"),
        ("%+g", "2.5", "+2.5"),
        ("%+g", "9.2233720368547758e+18", "+9.22337e+18"),
        ("%+g", "0.0015", "+0.0015"),
        ("%+g", "9.2202882278805069e+17", "+9.22029e+17"),
        ("%+g", "7.0570964492192015e-25", "+7.0571e-25"),
        ("%+g", "3.2942807317219115e-13", "+3.29428e-13"),
        ("%+g", "0.0084226774091006613", "+0.00842268"),
        ("%+g", "0.0049255252978417678", "+0.00492553"),
        ("%+g", "-1.393560637437534e+19", "-1.39356e+19"),
        ("%+g", "-2108925.4282922139", "-2.10893e+06"),
        ("%+g", "-86946900229410.688", "-8.69469e+13"),
        ("%+g", "-2147483648", "-2.14748e+09"),
        ("%+g", "78417.375", "+78417.4"),
        ("%+g", "167.43700000000001", "+167.437"),
        ("%+g", "3.547383604804004e+88", "+3.54738e+88"),
        ("%+g", "-nan", "-nan"),
        ("%+g", "nan", "+nan"),
        ("%+g", "inf", "+inf"),
        ("%+g", "-inf", "-inf"),
        ("% g", "0", " 0"),
        ("% g", "0", " 0"),
        ("% g", "1", " 1"),
        ("% g", "-1", "-1"),
        ("% g", "0.10000000000000001", " 0.1"),
        ("% g", "0.5", " 0.5"),
        ("% g", "1.5", " 1.5"),
        ("% g", "2.5", " 2.5"),
        ("% g", "9007199254740992", " 9.0072e+15"),
        ("% g", "0.014999999999999999", " 0.015"),
        ("% g", "9402.6867344056664", " 9402.69"),
        ("% g", "3.5765911050031858e+23", " 3.57659e+23"),
        ("% g", "-3.9257237566289141e-27", "-3.92572e-27"),
        ("% g", "0.59571631606468756", " 0.595716"),
        ("% g", "6.5980018659485521e+28", " 6.598e+28"),
        ("% g", "1.2780395947760157e-22", " 1.27804e-22"),
        ("% g", "-7.993420035575247e-10", "-7.99342e-10"),
        ("% g", "0.0002930646949881058", " 0.000293065"),
        ("% g", "-2147483648", "-2.14748e+09"),
        ("% g", "112493", " 112493"),
        ("% g", "456.11500000000001", " 456.115"),
        ("% g", "-7.0228591303333315e+86", "-7.02286e+86"),
        ("% g", "-nan", "-nan"),
        ("% g", "nan", " nan"),
        ("% g", "inf", " inf"),
        ("% g", "-inf", "-inf"),
        ("%012.4f", "0", "0000000.0000"),
        ("%012.4f", "0", "0000000.0000"),
        ("%012.4f", "1", "0000001.0000"),
        ("%012.4f", "-1", "-000001.0000"),
        ("%012.4f", "0.10000000000000001", "0000000.1000"),
        ("%012.4f", "0.5", "0000000.5000"),
        ("%012.4f", "1.5", "0000001.5000"),
        ("%012.4f", "2.5", "0000002.5000"),
        ("%012.4f", "9007199254740992", "9007199254740992.0000"),
        ("%012.4f", "0.050000000000000003", "0000000.0500"),
        ("%012.4f", "3.8931246445947914e+30", "3893124644594791380175105818624.0000"),
        ("%012.4f", "-9.7180908078877671e+19", "-97180908078877671424.0000"),
        ("%012.4f", "3.6401666345261812e+21", "3640166634526181163008.0000"),
        ("%012.4f", "4.255063889666956e-30", "0000000.0000"),
        ("%012.4f", "5.8475282442977311e-11", "0000000.0000"),
        ("%012.4f", "5858.6068618384224", "0005858.6069"),
        ("%012.4f", "8.6382769740364862e+30", "8638276974036486160721373036544.0000"),
        ("%012.4f", "2.9724699505476611e-10", "0000000.0000"),
        ("%012.4f", "-2147483648", "-2147483648.0000"),
        ("%012.4f", "107202.375", "0107202.3750"),
        ("%012.4f", "409.51799999999997", "0000409.5180"),
        ("%012.4f", "2.2673772332811284e+227", "226737723328112841461243376081595472531838243632407720881897975048412309118403044745331358265076629078477746691684836321024865896069038556802870346058980799263810643588171193037132648526974502573293136769376936799810578823512064.0000"),
        ("%012.4f", "-nan", "        -nan"),
        ("%012.4f", "nan", "         nan"),
        ("%012.4f", "inf", "         inf"),
        ("%012.4f", "-inf", "        -inf"),
        ("%-+10.2f|", "0", "+0.00     |"),
        ("%-+10.2f|", "0", "+0.00     |"),
        ("%-+10.2f|", "1", "+1.00     |"),
        ("%-+10.2f|", "-1", "-1.00     |"),
        ("%-+10.2f|", "0.10000000000000001", "+0.10     |"),
        ("%-+10.2f|", "0.5", "+0.50     |"),
        ("%-+10.2f|", "1.5", "+1.50     |"),
        ("%-+10.2f|", "2.5", "+2.50     |"),
        ("%-+10.2f|", "123456789012345", "+123456789012345.00|"),
        ("%-+10.2f|", "255.5", "+255.50   |"),
        ("%-+10.2f|", "2.82567206436101e-16", "+0.00     |"),
        ("%-+10.2f|", "3.7921206624210439e-09", "+0.00     |"),
        ("%-+10.2f|", "-9.4948157479496747e-15", "-0.00     |"),
        ("%-+10.2f|", "5.7664928053349688e-12", "+0.00     |"),
        ("%-+10.2f|", "4.2199772103782629e+19", "+42199772103782629376.00|"),
        ("%-+10.2f|", "-5.0930908578881484e+26", "-509309085788814838589292544.00|"),
        ("%-+10.2f|", "0.046213271769794291", "+0.05     |"),
        ("%-+10.2f|", "-8.503526984017123e-19", "-0.00     |"),
        ("%-+10.2f|", "-2147483648", "-2147483648.00|"),
        ("%-+10.2f|", "46341.25", "+46341.25 |"),
        ("%-+10.2f|", "87.861999999999995", "+87.86    |"),
        ("%-+10.2f|", "-1.1628997142982963e+102", "-1162899714298296264250473027076619389949950306459504800611838827821334388801420202582895914083569106944.00|"),
        ("%-+10.2f|", "-nan", "-nan      |"),
        ("%-+10.2f|", "nan", "+nan      |"),
        ("%-+10.2f|", "inf", "+inf      |"),
        ("%-+10.2f|", "-inf", "-inf      |"),
        ("%+012e", "0", "+0.000000e+00"),
        ("%+012e", "0", "+0.000000e+00"),
        ("%+012e", "1", "+1.000000e+00"),
        ("%+012e", "-1", "-1.000000e+00"),
        ("%+012e", "0.10000000000000001", "+1.000000e-01"),
        ("%+012e", "0.5", "+5.000000e-01"),
        ("%+012e", "1.5", "+1.500000e+00"),
        ("%+012e", "2.5", "+2.500000e+00"),
        ("%+012e", "1e+100", "+1.000000e+100"),
        ("%+012e", "4294967296", "+4.294967e+09"),
        ("%+012e", "5.1718622470143543e+25", "+5.171862e+25"),
        ("%+012e", "9.7688151010166918e+22", "+9.768815e+22"),
        ("%+012e", "4.1435095361170871e-18", "+4.143510e-18"),
        ("%+012e", "8.2251654091408313e-20", "+8.225165e-20"),
        ("%+012e", "7.2482522284836748e-09", "+7.248252e-09"),
        ("%+012e", "-3.726402182935925e+23", "-3.726402e+23"),
        ("%+012e", "-3.6475679761020314e+17", "-3.647568e+17"),
        ("%+012e", "-2305745232061.3643", "-2.305745e+12"),
        ("%+012e", "-2147483648", "-2.147484e+09"),
        ("%+012e", "18493.5", "+1.849350e+04"),
        ("%+012e", "35.436999999999998", "+3.543700e+01"),
        ("%+012e", "6.0685927182330845e+300", "+6.068593e+300"),
        ("%+012e", "-nan", "        -nan"),
        ("%+012e", "nan", "        +nan"),
        ("%+012e", "inf", "        +inf"),
        ("%+012e", "-inf", "        -inf"),
        ("% 015g", "0", " 00000000000000"),
        ("% 015g", "0", " 00000000000000"),
        ("% 015g", "1", " 00000000000001"),
        ("% 015g", "-1", "-00000000000001"),
        ("% 015g", "0.10000000000000001", " 000000000000.1"),
        ("% 015g", "0.5", " 000000000000.5"),
        ("% 015g", "1.5", " 000000000001.5"),
        ("% 015g", "2.5", " 000000000002.5"),
        ("% 015g", "1000000000000000", " 0000000001e+15"),
        ("% 015g", "4294967295", " 0004.29497e+09"),
        ("% 015g", "2.1553059304856257e+24", " 0002.15531e+24"),
        ("% 015g", "6.4611949987994485e-24", " 0006.46119e-24"),
        ("% 015g", "96717.488298526732", " 000000096717.5"),
        ("% 015g", "425278.15812513145", " 00000000425278"),
        ("% 015g", "7.240935171600866e-16", " 0007.24094e-16"),
        ("% 015g", "-637385.17353189422", "-00000000637385"),
        ("% 015g", "-56176.271641709041", "-000000056176.3"),
        ("% 015g", "-5.8310438580024258e-09", "-0005.83104e-09"),
        ("% 015g", "-2147483648", "-0002.14748e+09"),
        ("% 015g", "66229.625", " 000000066229.6"),
        ("% 015g", "62.143000000000001", " 0000000062.143"),
        ("% 015g", "1.8068583364375709e-102", " 001.80686e-102"),
        ("% 015g", "-nan", "           -nan"),
        ("% 015g", "nan", "            nan"),
        ("% 015g", "inf", "            inf"),
        ("% 015g", "-inf", "           -inf"),
        ("%#012.0f", "0", "00000000000."),
        ("%#012.0f", "0", "00000000000."),
        ("%#012.0f", "1", "00000000001."),
        ("%#012.0f", "-1", "-0000000001."),
        ("%#012.0f", "0.10000000000000001", "00000000000."),
        ("%#012.0f", "0.5", "00000000000."),
        ("%#012.0f", "1.5", "00000000002."),
        ("%#012.0f", "2.5", "00000000002."),
        ("%#012.0f", "0.375", "00000000000."),
        ("%#012.0f", "65535", "00000065535."),
        ("%#012.0f", "-9.6540214259429014e-15", "-0000000000."),
        ("%#012.0f", "-6.1678838060087926e-22", "-0000000000."),
        ("%#012.0f", "6007115.5596557613", "00006007116."),
        ("%#012.0f", "79410.703004994764", "00000079411."),
        ("%#012.0f", "-5.8965429225454766e+18", "-5896542922545476608."),
        ("%#012.0f", "33910364.254336044", "00033910364."),
        ("%#012.0f", "-2.6409031789009009e+27", "-2640903178900900885433417728."),
        ("%#012.0f", "2.261399720917176e-20", "00000000000."),
        ("%#012.0f", "-2147483648", "-2147483648."),
        ("%#012.0f", "3562.625", "00000003563."),
        ("%#012.0f", "43.313000000000002", "00000000043."),
        ("%#012.0f", "1.8799638237336556e+277", "18799638237336556369911346441919993919629405150363465184249054413439068811421820903860459842595079571800837832023810321546833417035192453641239569878312117782690893890016204193758012955003945539698764244494023012837168414954782245874952026578177217313951402952703961627889762304."),
        ("%#012.0f", "-nan", "        -nan"),
        ("%#012.0f", "nan", "         nan"),
        ("%#012.0f", "inf", "         inf"),
        ("%#012.0f", "-inf", "        -inf"),
        ("%#G", "0", "0.00000"),
        ("%#G", "0", "0.00000"),
        ("%#G", "1", "1.00000"),
        ("%#G", "-1", "-1.00000"),
        ("%#G", "0.10000000000000001", "0.100000"),
        ("%#G", "0.5", "0.500000"),
        ("%#G", "1.5", "1.50000"),
        ("%#G", "2.5", "2.50000"),
        ("%#G", "0.125", "0.125000"),
        ("%#G", "9.9999999999999694e-311", "1.00000E-310"),
        ("%#G", "2.7476643830294089e+20", "2.74766E+20"),
        ("%#G", "102.31804107423781", "102.318"),
        ("%#G", "834.0668537812619", "834.067"),
        ("%#G", "82692.162032561464", "82692.2"),
        ("%#G", "-7.7030877665165284e-18", "-7.70309E-18"),
        ("%#G", "4.4439929744433576e-12", "4.44399E-12"),
        ("%#G", "9.5185163288929116e-08", "9.51852E-08"),
        ("%#G", "0.0053914417817217501", "0.00539144"),
        ("%#G", "-2147483648", "-2.14748E+09"),
        ("%#G", "116674.25", "116674."),
        ("%#G", "580.08199999999999", "580.082"),
        ("%#G", "-7.9157546257700126e-274", "-7.91575E-274"),
        ("%#G", "-nan", "-NAN"),
        ("%#G", "nan", "NAN"),
        ("%#G", "inf", "INF"),
        ("%#G", "-inf", "-INF"),
        ("%99.2f", "0", "                                                                                               0.00"),
        ("%99.2f", "0", "                                                                                               0.00"),
        ("%99.2f", "1", "                                                                                               1.00"),
        ("%99.2f", "-1", "                                                                                              -1.00"),
        ("%99.2f", "0.10000000000000001", "                                                                                               0.10"),
        ("%99.2f", "0.5", "                                                                                               0.50"),
        ("%99.2f", "1.5", "                                                                                               1.50"),
        ("%99.2f", "2.5", "                                                                                               2.50"),
        ("%99.2f", "0.25", "                                                                                               0.25"),
        ("%99.2f", "4.9406564584124654e-324", "                                                                                               0.00"),
        ("%99.2f", "6.2887394085008364e+18", "                                                                             6288739408500836352.00"),
        ("%99.2f", "4.3608353633251207e-27", "                                                                                               0.00"),
        ("%99.2f", "3.5705174662035507e-13", "                                                                                               0.00"),
        ("%99.2f", "-1.3502396044089643e+28", "                                                                  -13502396044089643154513330176.00"),
        ("%99.2f", "-6.2614320201154021e-30", "                                                                                              -0.00"),
        ("%99.2f", "2019946464.3466969", "                                                                                      2019946464.35"),
        ("%99.2f", "8.3463877292100306e-30", "                                                                                               0.00"),
        ("%99.2f", "8.2498902027727523e-22", "                                                                                               0.00"),
        ("%99.2f", "-2147483648", "                                                                                     -2147483648.00"),
        ("%99.2f", "20372.375", "                                                                                           20372.38"),
        ("%99.2f", "745.14300000000003", "                                                                                             745.14"),
        ("%99.2f", "1.6486815959262554e+69", "                          1648681595926255419237246673431750863248810179127472024414347719606272.00"),
        ("%99.2f", "-nan", "                                                                                               -nan"),
        ("%99.2f", "nan", "                                                                                                nan"),
        ("%99.2f", "inf", "                                                                                                inf"),
        ("%99.2f", "-inf", "                                                                                               -inf"),
        ("%.1f", "0", "0.0"),
        ("%.1f", "0", "0.0"),
        ("%.1f", "1", "1.0"),
        ("%.1f", "-1", "-1.0"),
        ("%.1f", "0.10000000000000001", "0.1"),
        ("%.1f", "0.5", "0.5"),
        ("%.1f", "1.5", "1.5"),
        ("%.1f", "2.5", "2.5"),
        ("%.1f", "-2.5", "-2.5"),
        ("%.1f", "-123.456", "-123.5"),
        ("%.1f", "5738.4172807160849", "5738.4"),
        ("%.1f", "0.086513994721003795", "0.1"),
        ("%.1f", "4.9144487757768702e-10", "0.0"),
        ("%.1f", "-19235294134931312", "-19235294134931312.0"),
        ("%.1f", "-5118.659373893709", "-5118.7"),
        ("%.1f", "2.8032658495024157e+22", "28032658495024157163520.0"),
        ("%.1f", "4.3799534600134725e-10", "0.0"),
        ("%.1f", "7.4055463482651608e-06", "0.0"),
        ("%.1f", "-2147483648", "-2147483648.0"),
        ("%.1f", "50464.625", "50464.6"),
        ("%.1f", "444.16800000000001", "444.2"),
        ("%.1f", "-7.7097316552536929e+74", "-770973165525369294714848956357879347896946059639298976654734903214063222784.0"),
        ("%.1f", "-nan", "-nan"),
        ("%.1f", "nan", "nan"),
        ("%.1f", "inf", "inf"),
        ("%.1f", "-inf", "-inf"),
        ("%.2f", "0", "0.00"),
        ("%.2f", "0", "0.00"),
        ("%.2f", "1", "1.00"),
        ("%.2f", "-1", "-1.00"),
        ("%.2f", "0.10000000000000001", "0.10"),
        ("%.2f", "0.5", "0.50"),
        ("%.2f", "1.5", "1.50"),
        ("%.2f", "2.5", "2.50"),
        ("%.2f", "123.456", "123.46"),
        ("%.2f", "0.0021884979317842506", "0.00"),
        ("%.2f", "2.202581727040271e+17", "220258172704027104.00"),
        ("%.2f", "-2.7249096020706509e-14", "-0.00"),
        ("%.2f", "-9.8942593391492314e+17", "-989425933914923136.00"),
        ("%.2f", "-4.9245990370049137e-25", "-0.00"),
        ("%.2f", "658303046439915.5", "658303046439915.50"),
        ("%.2f", "-2.7145340585683166e-16", "-0.00"),
        ("%.2f", "2.5520309584923236e-09", "0.00"),
        ("%.2f", "-2147483648", "-2147483648.00"),
        ("%.2f", "8257.625", "8257.62"),
        ("%.2f", "62.119", "62.12"),
        ("%.2f", "-2.3643547130729478e-138", "-0.00"),
        ("%.2f", "-nan", "-nan"),
        ("%.2f", "nan", "nan"),
        ("%.2f", "inf", "inf"),
        ("%.2f", "-inf", "-inf"),
        ("%.3f", "0", "0.000"),
        ("%.3f", "0", "0.000"),
        ("%.3f", "1", "1.000"),
        ("%.3f", "-1", "-1.000"),
        ("%.3f", "0.10000000000000001", "0.100"),
        ("%.3f", "0.5", "0.500"),
        ("%.3f", "1.5", "1.500"),
        ("%.3f", "2.5", "2.500"),
        ("%.3f", "0.99999999999999989", "1.000"),
        ("%.3f", "5646518890581335", "5646518890581335.000"),
        ("%.3f", "607553683.50425446", "607553683.504"),
        ("%.3f", "2.0605038628263882e-20", "0.000"),
        ("%.3f", "4.8421093983771792e-18", "0.000"),
        ("%.3f", "6.4508381795374869e+23", "645083817953748691451904.000"),
        ("%.3f", "-6016030654318644", "-6016030654318644.000"),
        ("%.3f", "3465140728.9622078", "3465140728.962"),
        ("%.3f", "1.2476989213599351e+28", "12476989213599350825297117184.000"),
        ("%.3f", "-2147483648", "-2147483648.000"),
        ("%.3f", "113336.625", "113336.625"),
        ("%.3f", "301.572", "301.572"),
        ("%.3f", "2.9144347582160521e+253", "29144347582160520932874894071605780834802899061560056494544049421654155413751064004797852860445221920283239020232001515823589151440010450843536089673264414793224887933601660799013899891262043139697904166245561528131980461416391181582325438153876962279424.000"),
        ("%.3f", "-nan", "-nan"),
        ("%.3f", "nan", "nan"),
        ("%.3f", "inf", "inf"),
        ("%.3f", "-inf", "-inf"),
        ("%10.4g", "0", "         0"),
        ("%10.4g", "0", "         0"),
        ("%10.4g", "1", "         1"),
        ("%10.4g", "-1", "        -1"),
        ("%10.4g", "0.10000000000000001", "       0.1"),
        ("%10.4g", "0.5", "       0.5"),
        ("%10.4g", "1.5", "       1.5"),
        ("%10.4g", "2.5", "       2.5"),
        ("%10.4g", "0.30000000000000004", "       0.3"),
        ("%10.4g", "7.6067157218264024e-26", " 7.607e-26"),
        ("%10.4g", "4.646027122925048e-13", " 4.646e-13"),
        ("%10.4g", "-5.8641351088248833e+25", "-5.864e+25"),
        ("%10.4g", "-67341367931729.828", "-6.734e+13"),
        ("%10.4g", "-0.50063565815828537", "   -0.5006"),
        ("%10.4g", "6.1767411260757319", "     6.177"),
        ("%10.4g", "52382128244443856", " 5.238e+16"),
        ("%10.4g", "1383624.8085757832", " 1.384e+06"),
        ("%10.4g", "-2147483648", "-2.147e+09"),
        ("%10.4g", "32976.125", " 3.298e+04"),
        ("%10.4g", "816.83000000000004", "     816.8"),
        ("%10.4g", "-2.0729208648145268e-07", "-2.073e-07"),
        ("%10.4g", "-nan", "      -nan"),
        ("%10.4g", "nan", "       nan"),
        ("%10.4g", "inf", "       inf"),
        ("%10.4g", "-inf", "      -inf"),
        ("%-10g|", "0", "0         |"),
        ("%-10g|", "0", "0         |"),
        ("%-10g|", "1", "1         |"),
        ("%-10g|", "-1", "-1        |"),
        ("%-10g|", "0.10000000000000001", "0.1       |"),
        ("%-10g|", "0.5", "0.5       |"),
        ("%-10g|", "1.5", "1.5       |"),
        ("%-10g|", "2.5", "2.5       |"),
        ("%-10g|", "12345678", "1.23457e+07|"),
        ("%-10g|", "-3.1786026308213372e-22", "-3.1786e-22|"),
        ("%-10g|", "4.9153153108969865e-21", "4.91532e-21|"),
        ("%-10g|", "55921223.04063347", "5.59212e+07|"),
        ("%-10g|", "1.6446177575945008e-14", "1.64462e-14|"),
        ("%-10g|", "-4.6339910871507565e-05", "-4.63399e-05|"),
        ("%-10g|", "-4.671600044086389e+29", "-4.6716e+29|"),
        ("%-10g|", "0.00067557107502388351", "0.000675571|"),
        ("%-10g|", "4.9663885799080081e+28", "4.96639e+28|"),
        ("%-10g|", "-2147483648", "-2.14748e+09|"),
        ("%-10g|", "106546.5", "106546    |"),
        ("%-10g|", "162.17500000000001", "162.175   |"),
        ("%-10g|", "-8.1182736507609888e+120", "-8.11827e+120|"),
        ("%-10g|", "-nan", "-nan      |"),
        ("%-10g|", "nan", "nan       |"),
        ("%-10g|", "inf", "inf       |"),
        ("%-10g|", "-inf", "-inf      |"),
        ("%010g", "0", "0000000000"),
        ("%010g", "0", "0000000000"),
        ("%010g", "1", "0000000001"),
        ("%010g", "-1", "-000000001"),
        ("%010g", "0.10000000000000001", "00000000.1"),
        ("%010g", "0.5", "00000000.5"),
        ("%010g", "1.5", "00000001.5"),
        ("%010g", "2.5", "00000002.5"),
        ("%010g", "1000000", "000001e+06"),
        ("%010g", "2.4923935078514708e-09", "2.49239e-09"),
        ("%010g", "7.5222935981686669e-15", "7.52229e-15"),
        ("%010g", "64.2764442433959", "00064.2764"),
        ("%010g", "-5.933385666428779e-30", "-5.93339e-30"),
        ("%010g", "1078677811.2308483", "1.07868e+09"),
        ("%010g", "-3.0397590589894724e+28", "-3.03976e+28"),
        ("%010g", "-2.1590276445071338e-24", "-2.15903e-24"),
        ("%010g", "3.3577132706333484e-27", "3.35771e-27"),
        ("%010g", "-2147483648", "-2.14748e+09"),
        ("%010g", "66300.375", "00066300.4"),
        ("%010g", "443.95400000000001", "000443.954"),
        ("%010g", "-5.8704222951657581e+283", "-5.87042e+283"),
        ("%010g", "-nan", "      -nan"),
        ("%010g", "nan", "       nan"),
        ("%010g", "inf", "       inf"),
        ("%010g", "-inf", "      -inf"),
        ("%.15g", "0", "0"),
        ("%.15g", "0", "0"),
        ("%.15g", "1", "1"),
        ("%.15g", "-1", "-1"),
        ("%.15g", "0.10000000000000001", "0.1"),
        ("%.15g", "0.5", "0.5"),
        ("%.15g", "1.5", "1.5"),
        ("%.15g", "2.5", "2.5"),
        ("%.15g", "100", "100"),
        ("%.15g", "6.3655852416369995e+22", "6.365585241637e+22"),
        ("%.15g", "9.6412899296923031e-09", "9.6412899296923e-09"),
        ("%.15g", "9.6773110282036071e-18", "9.67731102820361e-18"),
        ("%.15g", "10562477172.614298", "10562477172.6143"),
        ("%.15g", "-4.2827518211131698e+21", "-4.28275182111317e+21"),
        ("%.15g", "967.45610747833553", "967.456107478336"),
        ("%.15g", "6.355072658674361e+23", "6.35507265867436e+23"),
        ("%.15g", "1.9362716991157605e-06", "1.93627169911576e-06"),
        ("%.15g", "-2147483648", "-2147483648"),
        ("%.15g", "53695.25", "53695.25"),
        ("%.15g", "446.09899999999999", "446.099"),
        ("%.15g", "9.7370537372569829e+266", "9.73705373725698e+266"),
        ("%.15g", "-nan", "-nan"),
        ("%.15g", "nan", "nan"),
        ("%.15g", "inf", "inf"),
        ("%.15g", "-inf", "-inf"),
        ("%.16g", "0", "0"),
        ("%.16g", "0", "0"),
        ("%.16g", "1", "1"),
        ("%.16g", "-1", "-1"),
        ("%.16g", "0.10000000000000001", "0.1"),
        ("%.16g", "0.5", "0.5"),
        ("%.16g", "1.5", "1.5"),
        ("%.16g", "2.5", "2.5"),
        ("%.16g", "-inf", "-inf"),
        ("%.16g", "-4.2248668215353354e-18", "-4.224866821535335e-18"),
        ("%.16g", "-610.04420491403164", "-610.0442049140316"),
        ("%.16g", "5.3939694098168847e+20", "5.393969409816885e+20"),
        ("%.16g", "1.7825537369505288e-28", "1.782553736950529e-28"),
        ("%.16g", "6.021047707656885e+22", "6.021047707656885e+22"),
        ("%.16g", "-3.1233138186500007e-05", "-3.123313818650001e-05"),
        ("%.16g", "-5.6174436004913618e+22", "-5.617443600491362e+22"),
        ("%.16g", "7.0544958939098275e-16", "7.054495893909827e-16"),
        ("%.16g", "-2147483648", "-2147483648"),
        ("%.16g", "116814.5", "116814.5"),
        ("%.16g", "14.227", "14.227"),
        ("%.16g", "1.3858275978109574e+115", "1.385827597810957e+115"),
        ("%.16g", "-nan", "-nan"),
        ("%.16g", "nan", "nan"),
        ("%.16g", "inf", "inf"),
        ("%.16g", "-inf", "-inf"),
        ("%.14g", "0", "0"),
        ("%.14g", "0", "0"),
        ("%.14g", "1", "1"),
        ("%.14g", "-1", "-1"),
        ("%.14g", "0.10000000000000001", "0.1"),
        ("%.14g", "0.5", "0.5"),
        ("%.14g", "1.5", "1.5"),
        ("%.14g", "2.5", "2.5"),
        ("%.14g", "inf", "inf"),
        ("%.14g", "3.3469948001890416e-11", "3.346994800189e-11"),
        ("%.14g", "4.7444440353403076e+26", "4.7444440353403e+26"),
        ("%.14g", "2.5527071685310025e-09", "2.552707168531e-09"),
        ("%.14g", "599823913.8162806", "599823913.81628"),
        ("%.14g", "-2.0407838896106851e-24", "-2.0407838896107e-24"),
        ("%.14g", "6.1450821236451529e-10", "6.1450821236452e-10"),
        ("%.14g", "0.035722887439524238", "0.035722887439524"),
        ("%.14g", "3.0947586815314175e+30", "3.0947586815314e+30"),
        ("%.14g", "-2147483648", "-2147483648"),
        ("%.14g", "56375.625", "56375.625"),
        ("%.14g", "914.11699999999996", "914.117"),
        ("%.14g", "6.9048950167906779e-27", "6.9048950167907e-27"),
        ("%.14g", "-nan", "-nan"),
        ("%.14g", "nan", "nan"),
        ("%.14g", "inf", "inf"),
        ("%.14g", "-inf", "-inf"),
        ("%.6G", "0", "0"),
        ("%.6G", "0", "0"),
        ("%.6G", "1", "1"),
        ("%.6G", "-1", "-1"),
        ("%.6G", "0.10000000000000001", "0.1"),
        ("%.6G", "0.5", "0.5"),
        ("%.6G", "1.5", "1.5"),
        ("%.6G", "2.5", "2.5"),
        ("%.6G", "4.9406564584124654e-324", "4.94066E-324"),
        ("%.6G", "42", "42"),
        ("%.6G", "5.9192744623493749e-16", "5.91927E-16"),
        ("%.6G", "9549.3579094993693", "9549.36"),
        ("%.6G", "2.0397500144502848e+17", "2.03975E+17"),
        ("%.6G", "-4.4008900757883162e-29", "-4.40089E-29"),
        ("%.6G", "0.8150211697514268", "0.815021"),
        ("%.6G", "-6.8285716589673286e-24", "-6.82857E-24"),
        ("%.6G", "74161568970494.703", "7.41616E+13"),
        ("%.6G", "-2147483648", "-2.14748E+09"),
        ("%.6G", "-2147483648", "-2.14748E+09"),
        ("%.6G", "52199.75", "52199.8"),
        ("%.6G", "808.40200000000004", "808.402"),
        ("%.6G", "-nan", "-NAN"),
        ("%.6G", "nan", "NAN"),
        ("%.6G", "inf", "INF"),
        ("%.6G", "-inf", "-INF"),
        ("%#.10g", "0", "0.000000000"),
        ("%#.10g", "0", "0.000000000"),
        ("%#.10g", "1", "1.000000000"),
        ("%#.10g", "-1", "-1.000000000"),
        ("%#.10g", "0.10000000000000001", "0.1000000000"),
        ("%#.10g", "0.5", "0.5000000000"),
        ("%#.10g", "1.5", "1.500000000"),
        ("%#.10g", "2.5", "2.500000000"),
        ("%#.10g", "2.2250738585072014e-308", "2.225073859e-308"),
        ("%#.10g", "1e+17", "1.000000000e+17"),
        ("%#.10g", "687726894713.81116", "6.877268947e+11"),
        ("%#.10g", "5.0616873917457134e+25", "5.061687392e+25"),
        ("%#.10g", "9.8016896377325463e+28", "9.801689638e+28"),
        ("%#.10g", "4.8321500582770207e-28", "4.832150058e-28"),
        ("%#.10g", "1435614773.7408125", "1435614774."),
        ("%#.10g", "0.0094229937109271966", "0.009422993711"),
        ("%#.10g", "5.0017419760123546e-29", "5.001741976e-29"),
        ("%#.10g", "-2147483648", "-2147483648."),
        ("%#.10g", "-2147483648", "-2147483648."),
        ("%#.10g", "10104.125", "10104.12500"),
        ("%#.10g", "891.85299999999995", "891.8530000"),
        ("%#.10g", "-nan", "-nan"),
        ("%#.10g", "nan", "nan"),
        ("%#.10g", "inf", "inf"),
        ("%#.10g", "-inf", "-inf"),
        ("%08.3e", "0", "0.000e+00"),
        ("%08.3e", "0", "0.000e+00"),
        ("%08.3e", "1", "1.000e+00"),
        ("%08.3e", "-1", "-1.000e+00"),
        ("%08.3e", "0.10000000000000001", "1.000e-01"),
        ("%08.3e", "0.5", "5.000e-01"),
        ("%08.3e", "1.5", "1.500e+00"),
        ("%08.3e", "2.5", "2.500e+00"),
        ("%08.3e", "1.7976931348623157e+308", "1.798e+308"),
        ("%08.3e", "10000000000000000", "1.000e+16"),
        ("%08.3e", "0.00013296880718924515", "1.330e-04"),
        ("%08.3e", "-0.00010623043082013281", "-1.062e-04"),
        ("%08.3e", "-5.7135405324928191e+23", "-5.714e+23"),
        ("%08.3e", "1.9843242373244486e-18", "1.984e-18"),
        ("%08.3e", "9.7398593415226128e+21", "9.740e+21"),
        ("%08.3e", "-5.8932724203417421e+23", "-5.893e+23"),
        ("%08.3e", "4.0004228772597496e+27", "4.000e+27"),
        ("%08.3e", "-2147483648", "-2.147e+09"),
        ("%08.3e", "-2147483648", "-2.147e+09"),
        ("%08.3e", "93892.125", "9.389e+04"),
        ("%08.3e", "888.41700000000003", "8.884e+02"),
        ("%08.3e", "-nan", "    -nan"),
        ("%08.3e", "nan", "     nan"),
        ("%08.3e", "inf", "     inf"),
        ("%08.3e", "-inf", "    -inf"),
        ("%+.0e", "0", "+0e+00"),
        ("%+.0e", "0", "+0e+00"),
        ("%+.0e", "1", "+1e+00"),
        ("%+.0e", "-1", "-1e+00"),
        ("%+.0e", "0.10000000000000001", "+1e-01"),
        ("%+.0e", "0.5", "+5e-01"),
        ("%+.0e", "1.5", "+2e+00"),
        ("%+.0e", "2.5", "+2e+00"),
        ("%+.0e", "9.9999999999999992e+22", "+1e+23"),
        ("%+.0e", "16777216", "+2e+07"),
        ("%+.0e", "-3.5381145745227647e+28", "-4e+28"),
        ("%+.0e", "-256636.51398226456", "-3e+05"),
        ("%+.0e", "4.8608539322674532e-16", "+5e-16"),
        ("%+.0e", "39338831994374664", "+4e+16"),
        ("%+.0e", "-0.0255107944950046", "-3e-02"),
        ("%+.0e", "0.88782249525553658", "+9e-01"),
        ("%+.0e", "-3.5369494620417002e-24", "-4e-24"),
        ("%+.0e", "-2147483648", "-2e+09"),
        ("%+.0e", "-2147483648", "-2e+09"),
        ("%+.0e", "1735", "+2e+03"),
        ("%+.0e", "364.233", "+4e+02"),
        ("%+.0e", "-nan", "-nan"),
        ("%+.0e", "nan", "+nan"),
        ("%+.0e", "inf", "+inf"),
        ("%+.0e", "-inf", "-inf"),
        ("%.1e", "0", "0.0e+00"),
        ("%.1e", "0", "0.0e+00"),
        ("%.1e", "1", "1.0e+00"),
        ("%.1e", "-1", "-1.0e+00"),
        ("%.1e", "0.10000000000000001", "1.0e-01"),
        ("%.1e", "0.5", "5.0e-01"),
        ("%.1e", "1.5", "1.5e+00"),
        ("%.1e", "2.5", "2.5e+00"),
        ("%.1e", "1e+22", "1.0e+22"),
        ("%.1e", "4294967296", "4.3e+09"),
        ("%.1e", "1.3140505092749609e+18", "1.3e+18"),
        ("%.1e", "28157695.069982532", "2.8e+07"),
        ("%.1e", "4518720234985799", "4.5e+15"),
        ("%.1e", "-7.8656760546684627e+24", "-7.9e+24"),
        ("%.1e", "0.049446760792958899", "4.9e-02"),
        ("%.1e", "331.41264940212142", "3.3e+02"),
        ("%.1e", "6.3952199026920008e-13", "6.4e-13"),
        ("%.1e", "-2147483648", "-2.1e+09"),
        ("%.1e", "-2147483648", "-2.1e+09"),
        ("%.1e", "1846.5", "1.8e+03"),
        ("%.1e", "829.73299999999995", "8.3e+02"),
        ("%.1e", "-nan", "-nan"),
        ("%.1e", "nan", "nan"),
        ("%.1e", "inf", "inf"),
        ("%.1e", "-inf", "-inf"),
        ("%.2e", "0", "0.00e+00"),
        ("%.2e", "0", "0.00e+00"),
        ("%.2e", "1", "1.00e+00"),
        ("%.2e", "-1", "-1.00e+00"),
        ("%.2e", "0.10000000000000001", "1.00e-01"),
        ("%.2e", "0.5", "5.00e-01"),
        ("%.2e", "1.5", "1.50e+00"),
        ("%.2e", "2.5", "2.50e+00"),
        ("%.2e", "1e+21", "1.00e+21"),
        ("%.2e", "-2147483648", "-2.15e+09"),
        ("%.2e", "9.0109769948809311e-19", "9.01e-19"),
        ("%.2e", "1.2029637308805083e+23", "1.20e+23"),
        ("%.2e", "2.6266355685082433e-16", "2.63e-16"),
        ("%.2e", "-0.077002680570354073", "-7.70e-02"),
        ("%.2e", "4.6981103740158078e+26", "4.70e+26"),
        ("%.2e", "3.184946404390478e-12", "3.18e-12"),
        ("%.2e", "9.110093470248437e+20", "9.11e+20"),
        ("%.2e", "-2147483648", "-2.15e+09"),
        ("%.2e", "-2147483648", "-2.15e+09"),
        ("%.2e", "105555.625", "1.06e+05"),
        ("%.2e", "586.84500000000003", "5.87e+02"),
        ("%.2e", "-nan", "-nan"),
        ("%.2e", "nan", "nan"),
        ("%.2e", "inf", "inf"),
        ("%.2e", "-inf", "-inf"),
    ];

    #[rustfmt::skip]
    const TONUMBER_CASES: &[(&[u8], &str)] = &[
        (b"0x", "nil"),
        (b"0x1g", "nil"),
        (b"1e", "nil"),
        (b"- 1", "nil"),
        (b"", "nil"),
        (b" ", "nil"),
        (b"1 2", "nil"),
        (b"0x1P-2", "0.25"),
        (b"1e400", "inf"),
        (b"-0x10", "-16"),
        (b"0x10", "16"),
        (b" 0x10 ", "16"),
        (b"1\x00", "1"),
        (b"1\x00x", "1"),
        (b"nan", "nan"),
        (b"-nan", "-nan"),
        (b"inf", "inf"),
        (b"-Infinity", "-inf"),
        (b"nan(abc)", "nan"),
        (b"nan(", "nil"),
        (b"nan(a_b9)", "nan"),
        (b"NaN()", "nan"),
        (b"0x1p", "nil"),
        (b"1e+", "nil"),
        (b"  .5  ", "0.5"),
        (b"5.", "5"),
        (b".", "nil"),
        (b" +.5", "0.5"),
        (b"0x.8", "0.5"),
        (b"0X1.8P1", "3"),
        (b"\x0912\x0b\x0c", "12"),
        (b"1x", "nil"),
        (b"0xffffffffffffffffffff", "1.2089258196146292e+24"),
        (b"infinit", "nil"),
        (b"nanx", "nil"),
        (b"1e-400", "0"),
        (b"0x1p-1080", "0"),
        (b"0x1p-1074", "4.9406564584124654e-324"),
        (b"0x1p-1075", "0"),
        (b"0x1.8p-1074", "9.8813129168249309e-324"),
        (b"0x3p-1076", "4.9406564584124654e-324"),
        (b"0x1p1023", "8.9884656743115795e+307"),
        (b"0x1p1024", "inf"),
        (b"0x1.fffffffffffff8p1023", "inf"),
        (b"0x1.fffffffffffff7p1023", "1.7976931348623157e+308"),
        (b"0x10000000000000000001", "7.5557863725914323e+22"),
        (b"0x.0000000000000000000001", "3.2311742677852644e-27"),
        (b"0x1.0000000000000080000000001", "1"),
        (b"0x1.00000000000008", "1"),
        (b"0x1.00000000000018", "1.0000000000000004"),
        (b"0x123456789abcdef123", "3.3581272767073033e+20"),
        (b"12", "12"),
        (b"-12", "-12"),
        (b"+12", "12"),
        (b"1e5", "100000"),
        (b"1E-5", "1.0000000000000001e-05"),
        (b"1.5e+3", "1500"),
        (b".e1", "nil"),
        (b"e1", "nil"),
        (b"0x", "nil"),
        (b"0x ", "nil"),
        (b"0xg", "nil"),
        (b"--1", "nil"),
        (b"+-1", "nil"),
        (b"1..2", "nil"),
        (b"1.2.3", "nil"),
        (b"0.1", "0.10000000000000001"),
        (b"123456789012345678901234567890", "1.2345678901234568e+29"),
        (b"4.9406564584124654e-324", "4.9406564584124654e-324"),
        (b"2.4703282292062327e-324", "0"),
        (b"2.4703282292062328e-324", "4.9406564584124654e-324"),
        (b"1.7976931348623157e308", "1.7976931348623157e+308"),
        (b"1.7976931348623159e308", "inf"),
        (b"0x1e", "30"),
        (b"0x1e+1", "nil"),
        (b"1e+1x", "nil"),
        (b"  -0  ", "-0"),
        (b"-0x0", "-0"),
        (b"0e", "nil"),
        (b"0e-", "nil"),
        (b"0e-1", "0"),
        (b"\x0a12\x0a", "12"),
        (b"infinityx", "nil"),
        (b"INFINITY", "inf"),
        (b"-iNf", "-inf"),
        (b"0X", "nil"),
        (b"0x.", "nil"),
        (b"0x.p1", "nil"),
        (b"0x1.p1", "2"),
        (b"0x1P+", "nil"),
        (b"1f", "nil"),
        (b"1d", "nil"),
        (b"0b11", "nil"),
        (b"00x1", "nil"),
        (b"\xff1", "nil"),
        (b"\xd9\xa1", "nil"),
        (b"0x1p-1022", "2.2250738585072014e-308"),
        (b"0x0.fffffffffffffp-1022", "2.2250738585072009e-308"),
        (b"0x1.fffffffffffffp-1023", "2.2250738585072014e-308"),
        (b"9007199254740993", "9007199254740992"),
        (b"0.30000000000000004", "0.30000000000000004"),
        (b"1e-320", "9.9998886718268301e-321"),
    ];

    #[rustfmt::skip]
    const TONUMBER_BASE_CASES: &[(&[u8], u32, &str)] = &[
        (b"-ff", 16, "1.8446744073709552e+19"),
        (b"ff", 16, "255"),
        (b"  ff  ", 16, "255"),
        (b"0xff", 16, "255"),
        (b"0XFF", 16, "255"),
        (b"ffffffffffffffffffff", 16, "1.8446744073709552e+19"),
        (b"z", 36, "35"),
        (b"Z", 36, "35"),
        (b"-1", 2, "1.8446744073709552e+19"),
        (b"", 16, "nil"),
        (b"8", 8, "nil"),
        (b"1\x00", 16, "1"),
        (b"+11", 2, "3"),
        (b"0x", 16, "nil"),
        (b"0x1", 36, "1189"),
        (b"0x", 36, "33"),
        (b"12", 3, "5"),
        (b"123", 3, "nil"),
        (b"1 ", 2, "1"),
        (b" 1", 2, "1"),
        (b"1 1", 2, "nil"),
        (b"-", 11, "nil"),
        (b"+", 16, "nil"),
        (b"0b11", 2, "nil"),
        (b"7fffffffffffffff", 16, "9.2233720368547758e+18"),
        (b"8000000000000000", 16, "9.2233720368547758e+18"),
        (b"ffffffffffffffff", 16, "1.8446744073709552e+19"),
        (b"10000000000000000", 16, "1.8446744073709552e+19"),
        (b"-10000000000000000", 16, "1.8446744073709552e+19"),
        (b"-8000000000000001", 16, "9.2233720368547758e+18"),
        (b"zzzzzzzzzzzzzzzzz", 36, "1.8446744073709552e+19"),
        (b"  -0x10", 16, "1.8446744073709552e+19"),
        (b"0x 1", 16, "nil"),
        (b"0xg", 16, "nil"),
        (b"1.5", 16, "nil"),
        (b"1e1", 16, "481"),
        (b"11", 11, "12"),
        (b"aA", 11, "120"),
        (b"\x09\x0a101\x0d", 2, "5"),
        (b"0x1f", 17, "nil"),
        (b"1234567890123456789", 11, "6.7274999233881754e+18"),
    ];
}
