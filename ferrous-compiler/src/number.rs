//! Number text conversions with the C library's exact behaviour.
//!
//! - `str2d` is 5.1's `luaO_str2d` over glibc's `strtod`: decimal numerals (correctly
//!   rounded), hexadecimal integers and hexadecimal floats (`0x1p4`), nothing else; trailing
//!   characters other than spaces make the conversion fail.
//! - `fmt_g14` is `printf("%.14g")` (`LUA_NUMBER_FMT`), as `luac -l` prints constants.
//!
//! Invariant: both functions are total (no panics) on any input.

/// Converts a numeral like `luaO_str2d`; `None` means "malformed number".
pub(crate) fn str2d(s: &[u8]) -> Option<f64> {
    let (value, end) = strtod_prefix(s)?;
    // `luaO_str2d` retries with `strtoul(s, 16)` when `strtod` stops at an `x`; that
    // retry stops at or before the same `x`, so it never yields a complete conversion.
    let rest = &s[end..];
    if rest.iter().all(|c| is_space(*c)) {
        Some(value)
    } else {
        None
    }
}

/// C's `isspace` in the C locale.
pub(crate) fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// The longest prefix `strtod` converts: `(value, bytes used)`, or `None` when nothing is.
fn strtod_prefix(s: &[u8]) -> Option<(f64, usize)> {
    let mut i = 0;
    while i < s.len() && is_space(s[i]) {
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
    let (value, end) = if s.get(i) == Some(&b'0') && matches!(s.get(i + 1), Some(b'x' | b'X')) {
        match hex_float(&s[i + 2..]) {
            Some((v, used)) => (v, i + 2 + used),
            // "0x" without hex digits: strtod converts the "0".
            None => (0.0, i + 1),
        }
    } else {
        let used = decimal_len(&s[i..])?;
        let text = std::str::from_utf8(&s[i..i + used]).ok()?;
        (text.parse::<f64>().ok()?, i + used)
    };
    Some((if negative { -value } else { value }, end))
}

/// Length of the decimal floating-point numeral at the start of `s`, if there is one.
fn decimal_len(s: &[u8]) -> Option<usize> {
    let digits = |from: usize| s[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let int_digits = digits(0);
    let mut i = int_digits;
    let mut frac_digits = 0;
    if s.get(i) == Some(&b'.') {
        frac_digits = digits(i + 1);
        i += 1 + frac_digits;
    }
    if int_digits + frac_digits == 0 {
        return None;
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(s.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let exp_digits = digits(j);
        if exp_digits > 0 {
            i = j + exp_digits;
        }
    }
    Some(i)
}

fn hex_digit(c: u8) -> Option<u64> {
    (c as char).to_digit(16).map(u64::from)
}

/// Parses the part of a hexadecimal float after `0x`: `(value, bytes used)`, or `None`
/// when there is no hex digit.
fn hex_float(s: &[u8]) -> Option<(f64, usize)> {
    let mut mant: u64 = 0;
    let mut exp2: i64 = 0;
    let mut sticky = false;
    let mut any_digit = false;
    let mut i = 0;
    let mut seen_point = false;
    loop {
        match s.get(i) {
            Some(&b'.') if !seen_point => seen_point = true,
            Some(&c) => match hex_digit(c) {
                Some(d) => {
                    any_digit = true;
                    if mant >> 60 == 0 {
                        mant = (mant << 4) | d;
                        if seen_point {
                            exp2 -= 4;
                        }
                    } else {
                        sticky |= d != 0;
                        if !seen_point {
                            exp2 += 4;
                        }
                    }
                }
                None => break,
            },
            None => break,
        }
        i += 1;
    }
    if !any_digit {
        return None;
    }
    if matches!(s.get(i), Some(b'p' | b'P')) {
        let mut j = i + 1;
        let negative = match s.get(j) {
            Some(b'-') => {
                j += 1;
                true
            }
            Some(b'+') => {
                j += 1;
                false
            }
            _ => false,
        };
        let start = j;
        let mut e: i64 = 0;
        while let Some(d) = s.get(j).filter(|c| c.is_ascii_digit()) {
            e = (e * 10 + i64::from(d - b'0')).min(1 << 40);
            j += 1;
        }
        if j > start {
            exp2 += if negative { -e } else { e };
            i = j;
        }
    }
    Some((make_f64(mant, exp2, sticky), i))
}

/// `mant * 2^exp2`, correctly rounded (ties to even); `sticky` marks nonzero bits below `mant`.
fn make_f64(mant: u64, exp2: i64, sticky: bool) -> f64 {
    if mant == 0 {
        return 0.0;
    }
    let shift = mant.leading_zeros();
    let m = mant << shift;
    // value = m * 2^(e - 63), with m in [2^63, 2^64): unbiased exponent e.
    let e = exp2 - i64::from(shift) + 63;
    if e > 1023 {
        return f64::INFINITY;
    }
    // Number of low bits of `m` to drop: 11 for normals, more for subnormals.
    let drop: i64 = if e >= -1022 { 11 } else { 11 + (-1022 - e) };
    if drop > 64 {
        return 0.0;
    }
    let wide = u128::from(m);
    let kept = (wide >> drop) as u64;
    let rem = wide & ((1u128 << drop) - 1);
    let half = 1u128 << (drop - 1);
    let round_up = rem > half || (rem == half && (sticky || kept & 1 == 1));
    let mut kept = kept + u64::from(round_up);
    if e >= -1022 {
        let mut e = e;
        if kept == 1 << 53 {
            kept >>= 1;
            e += 1;
            if e > 1023 {
                return f64::INFINITY;
            }
        }
        let bits = (((e + 1023) as u64) << 52) | (kept & ((1 << 52) - 1));
        f64::from_bits(bits)
    } else {
        // Subnormal (or rounded up to the smallest normal, which the bit pattern encodes).
        f64::from_bits(kept)
    }
}

/// Formats like C's `printf("%.14g", v)`.
pub(crate) fn fmt_g14(v: f64) -> String {
    if v.is_nan() {
        return if v.is_sign_negative() { "-nan" } else { "nan" }.to_owned();
    }
    if v.is_infinite() {
        return if v < 0.0 { "-inf" } else { "inf" }.to_owned();
    }
    if v == 0.0 {
        return if v.is_sign_negative() { "-0" } else { "0" }.to_owned();
    }
    let sci = format!("{v:.13e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..14).contains(&exp) {
        let mantissa = strip_zeros(mantissa);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.abs())
    } else {
        let precision = (13 - exp) as usize;
        strip_zeros(&format!("{v:.precision$}")).to_owned()
    }
}

fn strip_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals() {
        assert_eq!(str2d(b"3"), Some(3.0));
        assert_eq!(str2d(b"3."), Some(3.0));
        assert_eq!(str2d(b".5"), Some(0.5));
        assert_eq!(str2d(b"1e10"), Some(1e10));
        assert_eq!(str2d(b"1E-3"), Some(1e-3));
        assert_eq!(str2d(b"1.e2"), Some(100.0));
        assert_eq!(str2d(b"0x1F"), Some(31.0));
        assert_eq!(str2d(b"0X1p4"), Some(16.0));
        assert_eq!(str2d(b"0x.8"), Some(0.5));
        assert_eq!(str2d(b"0xffffffffffffffffff"), Some(4.722366482869645e21));
        assert_eq!(str2d(b"1e400"), Some(f64::INFINITY));
        for bad in [
            &b"3x"[..],
            b"0x",
            b"1e",
            b".5e+",
            b"3..2",
            b"1.2.3",
            b"0xg",
            b"08x",
        ] {
            assert_eq!(str2d(bad), None, "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn g14() {
        assert_eq!(fmt_g14(34.0), "34");
        assert_eq!(fmt_g14(0.1), "0.1");
        assert_eq!(fmt_g14(1e15), "1e+15");
        assert_eq!(fmt_g14(1e14), "1e+14");
        assert_eq!(fmt_g14(123456789012345.0), "1.2345678901234e+14");
        assert_eq!(fmt_g14(12345678901234.0), "12345678901234");
        assert_eq!(fmt_g14(0.0001), "0.0001");
        assert_eq!(fmt_g14(0.00001), "1e-05");
        assert_eq!(fmt_g14(-2.5), "-2.5");
        assert_eq!(fmt_g14(1.0 / 3.0), "0.33333333333333");
        assert_eq!(fmt_g14(f64::INFINITY), "inf");
        assert_eq!(fmt_g14(-0.0), "-0");
        assert_eq!(fmt_g14(1e300), "1e+300");
    }
}
