//! `LongDouble`: the x87 80-bit `long double` that `INCRBYFLOAT` and `HINCRBYFLOAT` compute in
//! (a 64-bit significand), emulated exactly: `strtold` parsing rounded to nearest even, addition
//! rounded to nearest even, and Redis's "human" printing (`%.17Lf` without trailing zeros).
//!
//! Doubles would print `0.1 + 0.2` as `0.30000000000000004`; Redis answers `0.3`.
//! FIXME: subnormal long doubles keep a full significand.

use super::bignum::BigUint;
use super::hexfloat::parse_hex;

/// A finite or infinite long double (NaN never survives parsing or an increment check).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum LongDouble {
    /// Zero, with its sign.
    Zero { neg: bool },
    /// `mant * 2^exp`, with the top bit of `mant` set.
    Finite { neg: bool, mant: u64, exp: i64 },
    /// An infinity.
    Inf { neg: bool },
    /// Not a number (`inf + -inf`).
    NaN,
}

/// The largest exponent of the top significand bit (the format's `2^16383`).
const MAX_TOP_EXP: i64 = 16383;
/// Below this top-bit exponent a value underflows to zero (the smallest subnormal, `2^-16445`).
const MIN_TOP_EXP: i64 = -16445;

/// Rounds `q * 2^exp` (with `sticky` meaning "a little more than q") to 64 bits.
fn normalize(neg: bool, q: u128, exp: i64, sticky: bool) -> LongDouble {
    if q == 0 {
        return LongDouble::Zero { neg };
    }
    let top = 127 - i64::from(q.leading_zeros());
    let (mant, exp) = if top <= 63 {
        ((q << (63 - top)) as u64, exp - (63 - top))
    } else {
        let drop = (top - 63) as u32;
        let mut mant = (q >> drop) as u64;
        let half = 1u128 << (drop - 1);
        let rest = q & ((1u128 << drop) - 1);
        let mut exp = exp + i64::from(drop);
        if rest > half || (rest == half && (sticky || mant & 1 == 1)) {
            mant = mant.wrapping_add(1);
            if mant == 0 {
                mant = 1 << 63;
                exp += 1;
            }
        }
        (mant, exp)
    };
    let top_exp = exp + 63;
    if top_exp > MAX_TOP_EXP {
        LongDouble::Inf { neg }
    } else if top_exp < MIN_TOP_EXP {
        LongDouble::Zero { neg }
    } else {
        LongDouble::Finite { neg, mant, exp }
    }
}

/// Parses a decimal number as `strtold` would, for text that Redis's `string2ld` accepts: no
/// leading space, nothing after the number, not NaN, not overflowing, not underflowing to zero.
pub(crate) fn parse(text: &[u8]) -> Option<LongDouble> {
    if text.is_empty() || text.len() >= 5 * 1024 {
        return None;
    }
    let (neg, body) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, text),
    };
    let lowered = body.to_ascii_lowercase();
    if lowered == b"inf" || lowered == b"infinity" {
        return Some(LongDouble::Inf { neg });
    }
    if let Some(hex) = parse_hex(text) {
        if hex.mantissa.is_zero() {
            return Some(LongDouble::Zero { neg });
        }
        let (top, shift, sticky) = hex.mantissa.top_u128();
        let value = normalize(neg, top, hex.exp2.saturating_add(shift as i64), sticky);
        return matches!(value, LongDouble::Finite { .. }).then_some(value);
    }
    let mut digits = BigUint::default();
    let mut n_digits = 0usize;
    let mut exp10: i64 = 0;
    let mut idx = 0;
    let mut seen_point = false;
    while let Some(&byte) = body.get(idx) {
        if byte.is_ascii_digit() {
            digits.mul_add_small(10, u32::from(byte - b'0'));
            n_digits += 1;
            if seen_point {
                exp10 -= 1;
            }
        } else if byte == b'.' && !seen_point {
            seen_point = true;
        } else {
            break;
        }
        idx += 1;
    }
    if n_digits == 0 {
        return None;
    }
    if let Some(b'e' | b'E') = body.get(idx) {
        let mut exp_idx = idx + 1;
        let exp_neg = match body.get(exp_idx) {
            Some(b'-') => {
                exp_idx += 1;
                true
            }
            Some(b'+') => {
                exp_idx += 1;
                false
            }
            _ => false,
        };
        let mut exp_value: i64 = 0;
        let exp_start = exp_idx;
        while let Some(&byte) = body.get(exp_idx) {
            if !byte.is_ascii_digit() {
                break;
            }
            exp_value = (exp_value * 10 + i64::from(byte - b'0')).min(1_000_000);
            exp_idx += 1;
        }
        if exp_idx > exp_start {
            exp10 += if exp_neg { -exp_value } else { exp_value };
            idx = exp_idx;
        }
    }
    if idx != body.len() {
        return None;
    }
    if digits.is_zero() {
        return Some(LongDouble::Zero { neg });
    }
    let value = from_decimal(neg, digits, exp10);
    match value {
        LongDouble::Finite { .. } => Some(value),
        _ => None,
    }
}

/// `digits * 10^exp10`, correctly rounded.
fn from_decimal(neg: bool, mut digits: BigUint, exp10: i64) -> LongDouble {
    let n_bits = digits.bit_len() as i64;
    // A crude bound first, so that absurd exponents cost nothing.
    if (n_bits as f64) + (exp10 as f64) * std::f64::consts::LOG2_10 > (MAX_TOP_EXP + 2) as f64 {
        return LongDouble::Inf { neg };
    }
    if (n_bits as f64) + (exp10 as f64) * std::f64::consts::LOG2_10 < (MIN_TOP_EXP - 2) as f64 {
        return LongDouble::Zero { neg };
    }
    if exp10 >= 0 {
        digits.mul_pow10(exp10 as u32);
        let (top, shift, sticky) = digits.top_u128();
        return normalize(neg, top, shift as i64, sticky);
    }
    let mut divisor = BigUint::from_u64(1);
    divisor.mul_pow10((-exp10) as u32);
    let gap = digits.bit_len() as i64 - divisor.bit_len() as i64 - 100;
    if gap < 0 {
        digits.shl((-gap) as u64);
    } else {
        divisor.shl(gap as u64);
    }
    let (quotient, sticky) = digits.div_u128(&divisor);
    normalize(neg, quotient, gap, sticky)
}

/// `a + b`, rounded to nearest even.
pub(crate) fn add(a: LongDouble, b: LongDouble) -> LongDouble {
    use LongDouble::{Finite, Inf, NaN, Zero};
    match (a, b) {
        (NaN, _) | (_, NaN) => NaN,
        (Inf { neg: x }, Inf { neg: y }) => {
            if x == y {
                a
            } else {
                NaN
            }
        }
        (Inf { .. }, _) => a,
        (_, Inf { .. }) => b,
        (Zero { neg: x }, Zero { neg: y }) => Zero { neg: x && y },
        (Zero { .. }, _) => b,
        (_, Zero { .. }) => a,
        (
            Finite {
                neg: na,
                mant: ma,
                exp: ea,
            },
            Finite {
                neg: nb,
                mant: mb,
                exp: eb,
            },
        ) => {
            let ((na, ma, ea), (nb, mb, eb)) = if ea >= eb {
                ((na, ma, ea), (nb, mb, eb))
            } else {
                ((nb, mb, eb), (na, ma, ea))
            };
            let big_a = u128::from(ma) << 62;
            let shifted_b = u128::from(mb) << 62;
            let dist = ea - eb;
            let small_b = if dist >= 126 {
                1
            } else {
                let dist = dist as u32;
                let lost = shifted_b & ((1u128 << dist) - 1);
                (shifted_b >> dist) | u128::from(lost != 0)
            };
            let (neg, sum) = if na == nb {
                (na, big_a + small_b)
            } else if big_a >= small_b {
                (na, big_a - small_b)
            } else {
                (nb, small_b - big_a)
            };
            if sum == 0 {
                return Zero { neg: false };
            }
            normalize(neg, sum, ea - 62, false)
        }
    }
}

/// The long double equal to `value` (every double is one exactly).
pub(crate) fn from_f64(value: f64) -> LongDouble {
    let neg = value.is_sign_negative();
    if value.is_nan() {
        return LongDouble::NaN;
    }
    if value.is_infinite() {
        return LongDouble::Inf { neg };
    }
    if value == 0.0 {
        return LongDouble::Zero { neg };
    }
    let bits = value.to_bits();
    let exp_bits = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1u64 << 52) - 1);
    let (mant, exp) = if exp_bits == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1u64 << 52), exp_bits - 1075)
    };
    normalize(neg, u128::from(mant), exp, false)
}

/// `value * factor`, rounded to nearest even.
pub(crate) fn mul_u64(value: LongDouble, factor: u64) -> LongDouble {
    match value {
        LongDouble::Finite { neg, mant, exp } => {
            normalize(neg, u128::from(mant) * u128::from(factor), exp, false)
        }
        LongDouble::Zero { .. } | LongDouble::Inf { .. } if factor == 0 => LongDouble::NaN,
        other => other,
    }
}

/// C's `(long long)value` on x86-64: truncation toward zero, and `i64::MIN` for anything out
/// of range (NaN and infinities included).
pub(crate) fn trunc_i64(value: LongDouble) -> i64 {
    match value {
        LongDouble::Zero { .. } => 0,
        LongDouble::Finite { neg, mant, exp } => {
            let magnitude = if exp >= 0 {
                if exp > 63 {
                    return i64::MIN;
                }
                u128::from(mant) << exp
            } else if exp <= -64 {
                0
            } else {
                u128::from(mant >> (-exp))
            };
            match (neg, i64::try_from(magnitude)) {
                (false, Ok(positive)) => positive,
                (true, Ok(positive)) => -positive,
                _ => i64::MIN,
            }
        }
        LongDouble::Inf { .. } | LongDouble::NaN => i64::MIN,
    }
}

/// Redis's `LD_STR_HUMAN` printing: `%.17Lf`, trailing zeros (and a bare point) removed, `-0`
/// printed as `0`. Infinities print as `inf` / `-inf`.
pub(crate) fn to_human(value: LongDouble) -> Vec<u8> {
    let (neg, text) = match value {
        LongDouble::NaN => return b"nan".to_vec(),
        LongDouble::Inf { neg } => {
            return if neg {
                b"-inf".to_vec()
            } else {
                b"inf".to_vec()
            };
        }
        LongDouble::Zero { neg } => (neg, "0".to_owned()),
        LongDouble::Finite { neg, mant, exp } if exp >= 0 => {
            let mut big = BigUint::from_u64(mant);
            big.shl(exp as u64);
            (neg, big.to_decimal())
        }
        LongDouble::Finite { neg, mant, exp } => {
            const SCALE: u128 = 100_000_000_000_000_000;
            let scaled = u128::from(mant) * SCALE;
            let k = -exp;
            let rounded = if k >= 128 {
                0
            } else {
                let k = k as u32;
                let quotient = scaled >> k;
                let rest = scaled & ((1u128 << k) - 1);
                let half = 1u128 << (k - 1);
                if rest > half || (rest == half && quotient & 1 == 1) {
                    quotient + 1
                } else {
                    quotient
                }
            };
            let frac = format!("{:017}", rounded % SCALE);
            let frac = frac.trim_end_matches('0');
            let int_part = rounded / SCALE;
            if frac.is_empty() {
                (neg, int_part.to_string())
            } else {
                (neg, format!("{int_part}.{frac}"))
            }
        }
    };
    if neg && text != "0" {
        format!("-{text}").into_bytes()
    } else {
        text.into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::{add, from_f64, parse, to_human};

    fn sum(a: &str, b: &str) -> String {
        let a = parse(a.as_bytes()).expect("a parses");
        let b = parse(b.as_bytes()).expect("b parses");
        String::from_utf8(to_human(add(a, b))).expect("ascii")
    }

    #[test]
    fn adds_and_prints_like_redis_on_x86_64() {
        assert_eq!(sum("0", "0.1"), "0.1");
        assert_eq!(sum("0.1", "0.2"), "0.3");
        assert_eq!(sum("10.5", "0.1"), "10.6");
        assert_eq!(sum("5.0e3", "2.0e2"), "5200");
        assert_eq!(sum("1", "-1"), "0");
        assert_eq!(sum("-0.5", "0.25"), "-0.25");
        assert_eq!(sum("3.0", "1e20"), "100000000000000000000");
        assert_eq!(
            sum("0", "123456789.123456789123"),
            "123456789.12345678912242875"
        );
        assert_eq!(sum("0", "1.5e-17"), "0.00000000000000002");
        assert_eq!(sum("0", "1e-30"), "0");
        assert_eq!(sum("0", "-1e-30"), "0");
        assert_eq!(sum("1.5", "1.5"), "3");
        assert_eq!(to_human(from_f64(0.1)), b"0.10000000000000001");
        assert_eq!(to_human(from_f64(-2.5)), b"-2.5");
        assert!(parse(b"1e5000").is_none());
        assert!(parse(b"1e-5000").is_none());
        assert!(parse(b" 1").is_none());
        assert!(parse(b"nan").is_none());
        assert!(parse(b"1.2.3").is_none());
    }
}
