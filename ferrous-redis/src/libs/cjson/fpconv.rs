//! Number text for `cjson`, as Redis's `fpconv.c` produces and reads it with glibc in the C
//! locale: [`format_g`] is `printf("%.Ng", x)` (N = `encode_number_precision`, 1..=14) and
//! [`strtod`] is glibc's `strtod` (decimal, hexadecimal, `inf`/`infinity`/`nan(...)`, leading
//! sign), returning the value and where the number ends.
//!
//! Invariants: both are total (no input panics); decimal conversions round correctly to
//! nearest-even in both directions (Rust's own conversions, which match glibc's), and
//! hexadecimal input is rounded the same way here.

/// Appends `x` formatted like C's `%.{precision}g` (the VM's glibc-exact `printf`).
pub(crate) fn format_g(x: f64, precision: usize, out: &mut Vec<u8>) {
    ferrous_vm::format_g(x, precision.max(1), out);
}

/// Appends `x` as `%.{precision}g` prints it when it has a short decimal form, `M / 10^k`
/// with `M` an integer of at most `precision` digits, `k <= 8` and `x >= 1e-4` in magnitude
/// (fixed notation, trailing zeros dropped), and returns true; returns false, appending
/// nothing, for any other number (`precision` is 1..=14).
///
/// Why the digits are `%g`'s: `x * 10^k` is rounded once, so when it gives an integer `M`, `x`
/// lies within half an ulp of `M` (scaled), far less than half a unit of the `precision`-th
/// digit (an ulp is 2^-52 of the value, the digit's unit at least 10^-14 of it): rounding `x`
/// to `precision` digits gives `M / 10^k` exactly, whose trailing zeros `%g` drops.
#[inline]
pub(crate) fn format_short(x: f64, precision: usize, out: &mut Vec<u8>) -> bool {
    let Some(&limit) = POW10.get(precision) else {
        return false;
    };
    let mag = x.abs();
    // NaN fails this test too.
    if mag.is_nan() || mag >= limit {
        return false;
    }
    // `0 <= m < limit <= 10^17 < 2^63`: `m` is an integer exactly when the `i64` round trip
    // keeps it (no call to `trunc`, which this target does not inline).
    let Some(k) = (0..=8).find(|&k| {
        let m = mag * POW10[k];
        m < limit && (m as i64) as f64 == m
    }) else {
        return false;
    };
    // `m < 10^14`: exact in a `u64`. (`x * 10^(k-1)` may have missed an integer by its
    // rounding, so `m` may end in zeros, which `%g` drops.)
    let (mut m, mut k) = ((mag * POW10[k]) as u64, k);
    while k > 0 && m % 10 == 0 {
        m /= 10;
        k -= 1;
    }
    // The digits of `m`, last first, at the end of `buf`.
    let mut buf = [0u8; 24];
    let mut start = buf.len();
    let mut rest = m;
    loop {
        start -= 1;
        if let Some(slot) = buf.get_mut(start) {
            *slot = b'0' + (rest % 10) as u8;
        }
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let len = buf.len() - start;
    if m != 0 && len + 3 < k {
        // Below 1e-4: `%g` switches to exponent notation.
        return false;
    }
    let digits = buf.get(start..).unwrap_or_default();
    if x.is_sign_negative() {
        out.push(b'-');
    }
    if k == 0 {
        out.extend_from_slice(digits);
    } else if k >= len {
        out.extend_from_slice(b"0.");
        out.extend(std::iter::repeat_n(b'0', k - len));
        out.extend_from_slice(digits);
    } else {
        let (int, frac) = digits.split_at(len - k);
        out.extend_from_slice(int);
        out.push(b'.');
        out.extend_from_slice(frac);
    }
    true
}

/// The byte at `i`, or NUL past the end (the C code reads a NUL-terminated string).
#[inline]
fn at(s: &[u8], i: usize) -> u8 {
    s.get(i).copied().unwrap_or(0)
}

/// Whether `s[i..]` starts with `word` (lowercase ASCII), ignoring case.
fn starts_with_ci(s: &[u8], i: usize, word: &[u8]) -> bool {
    word.iter()
        .enumerate()
        .all(|(k, &w)| at(s, i + k).to_ascii_lowercase() == w)
}

/// glibc's `strtod(s + start, &end)`: the value and the end offset, or `None` when no number
/// starts at `start` (strtod's `end == start`). Bytes past the slice read as NUL.
pub(crate) fn strtod(s: &[u8], start: usize) -> Option<(f64, usize)> {
    let mut i = start;
    let negative = at(s, i) == b'-';
    if matches!(at(s, i), b'+' | b'-') {
        i += 1;
    }
    let sign = |x: f64| if negative { -x } else { x };
    if starts_with_ci(s, i, b"inf") {
        i += 3;
        if starts_with_ci(s, i, b"inity") {
            i += 5;
        }
        return Some((sign(f64::INFINITY), i));
    }
    if starts_with_ci(s, i, b"nan") {
        i += 3;
        if at(s, i) == b'(' {
            let mut j = i + 1;
            while at(s, j).is_ascii_alphanumeric() || at(s, j) == b'_' {
                j += 1;
            }
            if at(s, j) == b')' {
                i = j + 1;
            }
        }
        return Some((sign(f64::NAN), i));
    }
    if at(s, i) == b'0' && at(s, i + 1).eq_ignore_ascii_case(&b'x') {
        if let Some((x, end)) = hex(s, i + 2) {
            return Some((sign(x), end));
        }
        // `0x` without hex digits: the number is the `0`.
        return Some((sign(0.0), i + 1));
    }
    let (x, end) = decimal(s, i)?;
    Some((sign(x), end))
}

/// Powers of ten that are exact doubles.
const POW10: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// [`strtod`] for the common case, `-?digits(.digits)?` with at most 15 digits in all and no
/// exponent or hexadecimal prefix after it; `None` for anything else. The digits make an
/// integer below 2^53 and the fraction a division by an exact power of ten, so the one
/// rounding of that division gives the correctly rounded value, which is `strtod`'s.
#[inline]
pub(crate) fn simple_decimal(s: &[u8], start: usize) -> Option<(f64, usize)> {
    let mut i = start;
    let negative = at(s, i) == b'-';
    i += usize::from(negative);
    let int_start = i;
    let mut mantissa: u64 = 0;
    let mut digits = 0usize;
    while let Some(d) = at(s, i).checked_sub(b'0').filter(|d| *d <= 9) {
        mantissa = mantissa * 10 + u64::from(d);
        digits += 1;
        i += 1;
        if digits > 15 {
            return None;
        }
    }
    if i == int_start {
        return None;
    }
    let mut frac = 0usize;
    if at(s, i) == b'.' {
        i += 1;
        while let Some(d) = at(s, i).checked_sub(b'0').filter(|d| *d <= 9) {
            mantissa = mantissa * 10 + u64::from(d);
            digits += 1;
            frac += 1;
            i += 1;
            if digits > 15 {
                return None;
            }
        }
        if frac == 0 {
            return None;
        }
    }
    if matches!(at(s, i), b'e' | b'E' | b'x' | b'X') {
        return None;
    }
    let x = mantissa as f64 / *POW10.get(frac)?;
    Some((if negative { -x } else { x }, i))
}

/// An unsigned decimal number at `i`: digits, an optional fraction, an optional exponent.
fn decimal(s: &[u8], start: usize) -> Option<(f64, usize)> {
    let mut i = start;
    let int_start = i;
    while at(s, i).is_ascii_digit() {
        i += 1;
    }
    let int_digits = &s[int_start..i];
    let mut frac_digits: &[u8] = &[];
    if at(s, i) == b'.' {
        let frac_start = i + 1;
        let mut j = frac_start;
        while at(s, j).is_ascii_digit() {
            j += 1;
        }
        if int_digits.is_empty() && j == frac_start {
            return None;
        }
        frac_digits = &s[frac_start..j];
        i = j;
    } else if int_digits.is_empty() {
        return None;
    }
    let mut exp_text: &[u8] = &[];
    if at(s, i).eq_ignore_ascii_case(&b'e') {
        let mut j = i + 1;
        if matches!(at(s, j), b'+' | b'-') {
            j += 1;
        }
        let digits_start = j;
        while at(s, j).is_ascii_digit() {
            j += 1;
        }
        if j > digits_start {
            exp_text = &s[i + 1..j];
            i = j;
        }
    }
    // Rebuild a text Rust's parser accepts (both parts non-empty); it rounds like glibc.
    let mut text = Vec::with_capacity(i - start + 4);
    text.extend_from_slice(if int_digits.is_empty() {
        b"0"
    } else {
        int_digits
    });
    text.push(b'.');
    text.extend_from_slice(if frac_digits.is_empty() {
        b"0"
    } else {
        frac_digits
    });
    if !exp_text.is_empty() {
        text.push(b'e');
        text.extend_from_slice(exp_text);
    }
    let x = std::str::from_utf8(&text).ok()?.parse::<f64>().ok()?;
    Some((x, i))
}

/// A hexadecimal number after its `0x` at `i`: hex digits with an optional point, then an
/// optional binary exponent `p[+-]digits`. `None` when there is no hex digit.
fn hex(s: &[u8], start: usize) -> Option<(f64, usize)> {
    let mut i = start;
    // The first 16 significant hex digits, exactly; the rest only as a sticky bit.
    let mut mantissa: u64 = 0;
    let mut significant = 0u32;
    let mut sticky = false;
    let mut exp: i64 = 0;
    let mut any_digit = false;
    let mut seen_point = false;
    loop {
        let c = at(s, i);
        if c == b'.' && !seen_point {
            seen_point = true;
            i += 1;
            continue;
        }
        let Some(d) = char::from(c).to_digit(16) else {
            break;
        };
        any_digit = true;
        i += 1;
        if significant < 16 {
            if mantissa != 0 || d != 0 {
                mantissa = mantissa << 4 | u64::from(d);
                significant += 1;
            }
            if seen_point {
                exp -= 4;
            }
        } else {
            sticky |= d != 0;
            if !seen_point {
                exp += 4;
            }
        }
    }
    if !any_digit {
        return None;
    }
    if at(s, i).eq_ignore_ascii_case(&b'p') {
        let mut j = i + 1;
        let negative = at(s, j) == b'-';
        if matches!(at(s, j), b'+' | b'-') {
            j += 1;
        }
        let digits_start = j;
        let mut value: i64 = 0;
        while at(s, j).is_ascii_digit() {
            value = (value * 10 + i64::from(at(s, j) - b'0')).min(1 << 20);
            j += 1;
        }
        if j > digits_start {
            exp += if negative { -value } else { value };
            i = j;
        }
    }
    Some((scale_binary(mantissa, exp, sticky), i))
}

/// `mantissa * 2^exp` (plus a sticky fraction below the mantissa) rounded to nearest-even.
fn scale_binary(mantissa: u64, exp: i64, sticky: bool) -> f64 {
    if mantissa == 0 {
        return 0.0;
    }
    let bits = i64::from(64 - mantissa.leading_zeros());
    // Exponent of the leading bit.
    let top = exp + bits - 1;
    if top > 1023 {
        return f64::INFINITY;
    }
    // Bits the result can hold at this magnitude: 53, fewer for subnormals.
    let keep = if top >= -1022 { 53 } else { 53 - (-1022 - top) };
    let shift = bits - keep;
    let (kept, scale) = if shift <= 0 {
        (mantissa, exp)
    } else {
        let kept = if shift >= 64 { 0 } else { mantissa >> shift };
        let rem_bits = shift.min(64);
        let rem = if rem_bits >= 64 {
            mantissa
        } else {
            mantissa & ((1u64 << rem_bits) - 1)
        };
        let round_up = if shift > 64 {
            false
        } else {
            let half = 1u64 << (shift - 1);
            rem > half || (rem == half && (sticky || kept & 1 == 1))
        };
        (kept + u64::from(round_up), exp + shift)
    };
    if kept == 0 {
        return 0.0;
    }
    // `kept` has at most 54 bits and the product is representable (or overflows to inf), so
    // these multiplications are exact.
    let mut x = kept as f64;
    let mut scale = scale;
    while scale > 1023 {
        x *= 2f64.powi(1023);
        scale -= 1023;
    }
    while scale < -1022 {
        x *= 2f64.powi(-1022);
        scale += 1022;
    }
    x * 2f64.powi(i32::try_from(scale).unwrap_or(0))
}
