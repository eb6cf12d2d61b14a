//! Number text conversions with the C library's exact behaviour, shared by the lexer and the
//! VM (`tonumber`, string coercions).
//!
//! - `str_to_number` is 5.1's `luaO_str2d` over glibc's `strtod`: decimal numerals (correctly
//!   rounded), hexadecimal integers and floats (`0x1p4`), `inf`/`nan`, surrounding spaces; the
//!   string ends at its first NUL, as C sees it.
//! - `str_to_number_base` is `tonumber(s, base)`'s `strtoul` path (bases 2..36 other than 10).
//! - `fmt_g14` is `printf("%.14g")` (`LUA_NUMBER_FMT`), as `luac -l` prints constants.
//!
//! Invariant: every function is total (no panics) on any input.

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
pub fn str_to_number(s: &[u8]) -> Option<f64> {
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
/// with base 10, 5.1 calls `luaO_str2d`, i.e. `str_to_number`): a negative number wraps modulo 2^64 and an overflowing one saturates at 2^64 - 1, as
/// `unsigned long` does on 64-bit Linux.
pub fn str_to_number_base(s: &[u8], base: u32) -> Option<f64> {
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

/// Skips an optional `+` or `-` at `*i`; true for `-`.
fn take_sign(s: &[u8], i: &mut usize) -> bool {
    match s.get(*i) {
        Some(b'-') => {
            *i += 1;
            true
        }
        Some(b'+') => {
            *i += 1;
            false
        }
        _ => false,
    }
}

/// glibc `strtod` on a NUL-free string: the value and the index where parsing stopped, or
/// `None` when nothing was converted.
fn strtod(s: &[u8]) -> Option<(f64, usize)> {
    let mut i = 0;
    while i < s.len() && is_c_space(s[i]) {
        i += 1;
    }
    let num_start = i;
    let negative = take_sign(s, &mut i);
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
        let negative = take_sign(s, &mut k);
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
    let negative = take_sign(s, &mut i);
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
        assert_eq!(str_to_number(b"3"), Some(3.0));
        assert_eq!(str_to_number(b" 0x1p4 "), Some(16.0));
        assert_eq!(str_to_number(b"1e"), None);
        assert_eq!(str_to_number(b"5\0junk"), Some(5.0));
        assert_eq!(str_to_number_base(b"ff", 16), Some(255.0));
    }

    #[test]
    fn g14() {
        assert_eq!(fmt_g14(1e15), "1e+15");
        assert_eq!(fmt_g14(0.1), "0.1");
        assert_eq!(fmt_g14(-0.0), "-0");
    }
}
