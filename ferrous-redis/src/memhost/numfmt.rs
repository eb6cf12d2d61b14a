//! How Redis 7.0 prints doubles: `%.17g` (`ZSCORE`, `ZINCRBY`, `WITHSCORES`), with `inf` and
//! `-inf` spelled out, and the reply shape per protocol ([`double_reply`]).

use crate::reply::Reply;

/// `printf("%.17g", value)`.
pub(crate) fn fmt_g17(value: f64) -> Vec<u8> {
    if value.is_nan() {
        return b"nan".to_vec();
    }
    if value.is_infinite() {
        return if value > 0.0 {
            b"inf".to_vec()
        } else {
            b"-inf".to_vec()
        };
    }
    // `{:.16e}` gives the same 17 significant digits, correctly rounded.
    let sci = format!("{value:.16e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (neg, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if !(-4..17).contains(&exp) {
        let (first, rest) = digits.split_at(1);
        out.push_str(first);
        let rest = rest.trim_end_matches('0');
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exp.unsigned_abs()));
    } else if exp < 0 {
        out.push_str("0.");
        out.push_str(&"0".repeat((-exp - 1) as usize));
        out.push_str(digits.trim_end_matches('0'));
    } else {
        let (int_part, frac) = digits.split_at((exp + 1) as usize);
        out.push_str(int_part);
        let frac = frac.trim_end_matches('0');
        if !frac.is_empty() {
            out.push('.');
            out.push_str(frac);
        }
    }
    out.into_bytes()
}

/// A double as Redis's `addReplyDouble` sends it: a RESP3 double, or a `%.17g` bulk string.
pub(crate) fn double_reply(value: f64, resp: u8) -> Reply {
    if resp >= 3 {
        Reply::Double(value)
    } else {
        Reply::Bulk(fmt_g17(value))
    }
}

/// Redis's `d2string`: integral values within ±2^62 print as integers, others as `%.17g`
/// (`ZSCAN` on a small sorted set, whose scores are stored as text).
pub(crate) fn fmt_d2string(value: f64) -> Vec<u8> {
    const LIMIT: f64 = (i64::MAX / 2) as f64;
    if value != 0.0 && value.fract() == 0.0 && (-LIMIT..=LIMIT).contains(&value) {
        return (value as i64).to_string().into_bytes();
    }
    fmt_g17(value)
}

#[cfg(test)]
mod tests {
    use super::fmt_g17;

    #[test]
    fn prints_like_percent_17g() {
        let cases: &[(f64, &str)] = &[
            (0.1, "0.10000000000000001"),
            (1.5, "1.5"),
            (0.0, "0"),
            (-0.0, "-0"),
            (100.0, "100"),
            (1e17, "1e+17"),
            (1e16, "10000000000000000"),
            (1.0e-5, "1.0000000000000001e-05"),
            (0.0001, "0.0001"),
            (-2.5, "-2.5"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (123456789.0, "123456789"),
        ];
        for &(value, text) in cases {
            assert_eq!(
                String::from_utf8(fmt_g17(value)).unwrap_or_default(),
                text,
                "{value}"
            );
        }
    }
}
