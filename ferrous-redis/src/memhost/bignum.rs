//! `BigUint`: the little unsigned big integer that exact decimal <-> binary conversion of long
//! doubles needs (multiply by a small number, shift, compare, subtract, divide by a small
//! number). Limbs are `u32`, least significant first, with no high zero limbs.

use std::cmp::Ordering;

/// An unsigned integer of any size.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct BigUint {
    limbs: Vec<u32>,
}

impl BigUint {
    /// The number `value`.
    pub(crate) fn from_u64(value: u64) -> BigUint {
        let mut big = BigUint {
            limbs: vec![value as u32, (value >> 32) as u32],
        };
        big.trim();
        big
    }

    fn trim(&mut self) {
        while self.limbs.last() == Some(&0) {
            self.limbs.pop();
        }
    }

    /// Whether the number is 0.
    pub(crate) fn is_zero(&self) -> bool {
        self.limbs.is_empty()
    }

    /// The number of significant bits.
    pub(crate) fn bit_len(&self) -> u64 {
        match self.limbs.last() {
            Some(&top) => (self.limbs.len() as u64 - 1) * 32 + u64::from(32 - top.leading_zeros()),
            None => 0,
        }
    }

    /// Bit `idx` (0 is the least significant).
    pub(crate) fn bit(&self, idx: u64) -> bool {
        let limb = usize::try_from(idx / 32).unwrap_or(usize::MAX);
        self.limbs
            .get(limb)
            .is_some_and(|&l| (l >> (idx % 32)) & 1 == 1)
    }

    /// `self = self * mul + add`.
    pub(crate) fn mul_add_small(&mut self, mul: u32, add: u32) {
        let mut carry = u64::from(add);
        for limb in &mut self.limbs {
            let wide = u64::from(*limb) * u64::from(mul) + carry;
            *limb = wide as u32;
            carry = wide >> 32;
        }
        if carry != 0 {
            self.limbs.push(carry as u32);
        }
        self.trim();
    }

    /// `self = self * 10^exp`.
    pub(crate) fn mul_pow10(&mut self, mut exp: u32) {
        while exp >= 9 {
            self.mul_add_small(1_000_000_000, 0);
            exp -= 9;
        }
        self.mul_add_small(10u32.pow(exp), 0);
    }

    /// `self = self << bits`.
    pub(crate) fn shl(&mut self, bits: u64) {
        if self.is_zero() {
            return;
        }
        let limbs = usize::try_from(bits / 32).unwrap_or(0);
        let rest = (bits % 32) as u32;
        if rest != 0 {
            let mut carry = 0u32;
            for limb in &mut self.limbs {
                let next_carry = *limb >> (32 - rest);
                *limb = (*limb << rest) | carry;
                carry = next_carry;
            }
            if carry != 0 {
                self.limbs.push(carry);
            }
        }
        self.limbs.splice(0..0, std::iter::repeat_n(0, limbs));
    }

    /// `self = self * 2 + bit`.
    fn double_add(&mut self, bit: bool) {
        self.mul_add_small(2, u32::from(bit));
    }

    /// `self -= other`; `other` must not exceed `self`.
    fn sub_assign(&mut self, other: &BigUint) {
        let mut borrow = 0i64;
        for (idx, limb) in self.limbs.iter_mut().enumerate() {
            let sub = i64::from(other.limbs.get(idx).copied().unwrap_or(0)) + borrow;
            let mut wide = i64::from(*limb) - sub;
            borrow = 0;
            if wide < 0 {
                wide += 1 << 32;
                borrow = 1;
            }
            *limb = wide as u32;
        }
        self.trim();
    }

    /// The quotient `self / divisor` (which must fit in 128 bits) and whether a remainder is
    /// left. `divisor` must not be 0.
    pub(crate) fn div_u128(&self, divisor: &BigUint) -> (u128, bool) {
        let mut quotient = 0u128;
        let mut rem = BigUint::default();
        for idx in (0..self.bit_len()).rev() {
            rem.double_add(self.bit(idx));
            quotient <<= 1;
            if rem.cmp(divisor) != Ordering::Less {
                rem.sub_assign(divisor);
                quotient |= 1;
            }
        }
        (quotient, !rem.is_zero())
    }

    /// The top 128 bits (or all, when fewer) and whether any bit below them is set.
    pub(crate) fn top_u128(&self) -> (u128, u64, bool) {
        let bit_len = self.bit_len();
        let shift = bit_len.saturating_sub(128);
        let mut top = 0u128;
        for idx in (shift..bit_len).rev() {
            top = (top << 1) | u128::from(self.bit(idx));
        }
        let sticky = (0..shift).any(|idx| self.bit(idx));
        (top, shift, sticky)
    }

    /// The decimal digits.
    pub(crate) fn to_decimal(&self) -> String {
        let mut chunks = Vec::new();
        let mut value = self.clone();
        while !value.is_zero() {
            let mut rem = 0u64;
            for limb in value.limbs.iter_mut().rev() {
                let wide = (rem << 32) | u64::from(*limb);
                *limb = (wide / 1_000_000_000) as u32;
                rem = wide % 1_000_000_000;
            }
            value.trim();
            chunks.push(rem);
        }
        let mut text = chunks
            .pop()
            .map_or_else(|| "0".to_owned(), |top| top.to_string());
        for chunk in chunks.iter().rev() {
            text.push_str(&format!("{chunk:09}"));
        }
        text
    }
}

impl Ord for BigUint {
    fn cmp(&self, other: &Self) -> Ordering {
        self.limbs
            .len()
            .cmp(&other.limbs.len())
            .then_with(|| self.limbs.iter().rev().cmp(other.limbs.iter().rev()))
    }
}

impl PartialOrd for BigUint {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::BigUint;

    #[test]
    fn arithmetic_round_trips_through_decimal() {
        let mut big = BigUint::from_u64(123);
        big.mul_pow10(30);
        assert_eq!(big.to_decimal(), format!("123{}", "0".repeat(30)));
        big.shl(3);
        let mut ten = BigUint::from_u64(1);
        ten.mul_pow10(30);
        assert_eq!(big.div_u128(&ten), (984, false));
        assert_eq!(BigUint::default().to_decimal(), "0");
    }
}
