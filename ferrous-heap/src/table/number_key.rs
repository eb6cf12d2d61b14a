//! Number keys in the array part's fast paths.

/// `n` as an `i32` when it is exactly one (`-0` gives 0), for the array part's fast paths.
///
/// Adding 1.5 * 2^52 rounds `n` to an integer in the low 32 bits of the sum's mantissa (for
/// |n| < 2^51; the rounding mode is always to nearest in Rust), and converting those bits back
/// confirms it (NaN, infinities, fractions and everything out of range fail that test). Cheaper
/// than `n as i64`, whose saturation of NaN and out-of-range values took two more compares and
/// two conditional moves on the way to the array slot's address.
#[inline(always)]
pub(super) fn exact_i32(n: f64) -> Option<i32> {
    const ROUND: f64 = 6_755_399_441_055_744.0;
    // Truncation intended: the low 32 bits of the mantissa.
    let i = (n + ROUND).to_bits() as u32 as i32;
    (f64::from(i) == n).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::exact_i32;

    /// The definition `exact_i32` replaces: the round trip through `i64`, in `i32`'s range.
    fn reference(n: f64) -> Option<i32> {
        let i = n as i64;
        (i as f64 == n)
            .then_some(i)
            .and_then(|i| i32::try_from(i).ok())
    }

    #[test]
    fn exact_i32_accepts_exactly_the_integers_of_i32() {
        let mut cases = vec![
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.0,
            1.5,
            2.5,
            -1.0,
            -2.5,
            255.0,
            1e9,
            -1e9,
            2147483647.0,
            2147483648.0,
            -2147483648.0,
            -2147483649.0,
            4294967296.0,
            4294967297.0,
            2f64.powi(40) + 3.0,
            2f64.powi(51) + 1.0,
            2f64.powi(52) + 1.0,
            2f64.powi(53),
            2f64.powi(63),
            -(2f64.powi(63)),
            1e300,
            f64::MIN_POSITIVE,
            f64::EPSILON,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            -f64::NAN,
            f64::from_bits(0x7ff8_0000_0000_0005),
        ];
        // Integers and their neighbours across the whole range, and the bits around them.
        let mut x = 1.0f64;
        while x < 1e20 {
            let r = x.round();
            for n in [x, -x, r, -r, r + 1.0, r - 1.0, -r - 1.0, r + 0.5, x + 0.25] {
                cases.push(n);
                cases.push(f64::from_bits(n.to_bits() + 1));
                cases.push(f64::from_bits(n.to_bits().wrapping_sub(1)));
            }
            x *= 1.7;
        }
        for n in cases {
            assert_eq!(exact_i32(n), reference(n), "{n:e} ({:#x})", n.to_bits());
        }
    }
}
