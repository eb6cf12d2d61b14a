//! Hexadecimal floating-point text (`0x1.8p3`), which C's `strtod` and `strtold` accept and so
//! Redis accepts wherever it reads a float (`ZADD z 0x10 m`, `INCRBYFLOAT k 0x1p-2`).

use super::bignum::BigUint;

/// A parsed hex float: `mantissa * 2^exp2`, with its sign.
pub(crate) struct HexFloat {
    pub(crate) neg: bool,
    pub(crate) mantissa: BigUint,
    pub(crate) exp2: i64,
}

/// Parses `[+-]0x<hex>[.<hex>][p[+-]<dec>]` spanning all of `text`.
pub(crate) fn parse_hex(text: &[u8]) -> Option<HexFloat> {
    let (neg, body) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, text),
    };
    let body = body
        .strip_prefix(b"0x")
        .or_else(|| body.strip_prefix(b"0X"))?;
    let mut mantissa = BigUint::default();
    let (mut n_digits, mut exp2, mut idx, mut seen_point) = (0usize, 0i64, 0usize, false);
    while let Some(&byte) = body.get(idx) {
        if let Some(digit) = char::from(byte).to_digit(16) {
            if mantissa.bit_len() < 20_000 {
                mantissa.mul_add_small(16, digit);
                if seen_point {
                    exp2 -= 4;
                }
            } else if !seen_point {
                exp2 += 4;
            }
            n_digits += 1;
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
    if let Some(b'p' | b'P') = body.get(idx) {
        let rest = &body[idx + 1..];
        let (exp_neg, digits) = match rest.split_first() {
            Some((b'-', d)) => (true, d),
            Some((b'+', d)) => (false, d),
            _ => (false, rest),
        };
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let value = digits.iter().fold(0i64, |acc, &d| {
            (acc * 10 + i64::from(d - b'0')).min(1_000_000)
        });
        exp2 += if exp_neg { -value } else { value };
        idx = body.len();
    }
    (idx == body.len()).then_some(HexFloat {
        neg,
        mantissa,
        exp2,
    })
}

impl HexFloat {
    /// The nearest double (ties to even); infinite when too large. FIXME: subnormal results may
    /// round twice.
    pub(crate) fn to_f64(&self) -> f64 {
        let sign = if self.neg { -1.0 } else { 1.0 };
        if self.mantissa.is_zero() {
            return sign * 0.0;
        }
        let (top, shift, sticky) = self.mantissa.top_u128();
        let high = 127 - i64::from(top.leading_zeros());
        let mut exp = self.exp2.saturating_add(shift as i64);
        let mut mant = top;
        if high > 52 {
            let drop = (high - 52) as u32;
            let half = 1u128 << (drop - 1);
            let rest = mant & ((1u128 << drop) - 1);
            mant >>= drop;
            exp += i64::from(drop);
            if rest > half || (rest == half && (sticky || mant & 1 == 1)) {
                mant += 1;
            }
        }
        // Two exact powers of two, so only the last product rounds.
        let exp = exp.clamp(-2000, 2000) as i32;
        let half = exp / 2;
        sign * (mant as f64 * 2f64.powi(half) * 2f64.powi(exp - half))
    }
}

#[cfg(test)]
mod tests {
    use super::parse_hex;

    #[test]
    fn parses_c_hex_floats() {
        let value = |text: &str| parse_hex(text.as_bytes()).map(|h| h.to_f64());
        assert_eq!(value("0x10"), Some(16.0));
        assert_eq!(value("-0x1.8p1"), Some(-3.0));
        assert_eq!(value("0x.8"), Some(0.5));
        assert_eq!(value("0X1P-2"), Some(0.25));
        assert_eq!(value("0x1p2000"), Some(f64::INFINITY));
        assert!(value("0x").is_none());
        assert!(value("0x1p").is_none());
        assert!(value("0x1g").is_none());
    }
}
