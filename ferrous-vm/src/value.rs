//! Value-level rules of Lua 5.1 that do not depend on the interpreter state: type names,
//! truthiness, number-to-integer casts, counts as numbers, and raw equality.

use ferrous_heap::Value;
use std::sync::atomic::{AtomicU64, Ordering};

/// The type name `type(v)` returns.
#[inline]
pub(crate) fn type_name(value: Value) -> &'static str {
    match value {
        Value::Nil => "nil",
        Value::Boolean(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Table(_) => "table",
        Value::Function(_) | Value::NativeFunction(_) => "function",
        Value::UserData(_) => "userdata",
        Value::Thread(_) => "thread",
    }
}

/// Lua truthiness: only `nil` and `false` are false.
#[inline]
pub(crate) fn is_truthy(value: Value) -> bool {
    !matches!(value, Value::Nil | Value::Boolean(false))
}

/// The C cast `(lua_Integer)n` of 5.1 on 64-bit Linux (`ptrdiff_t`): truncation toward zero;
/// NaN and out-of-range values give `i64::MIN`, as x86-64's `cvttsd2si` does.
#[inline]
pub(crate) fn number_to_integer(n: f64) -> i64 {
    if !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&n) {
        i64::MIN
    } else {
        n as i64
    }
}

/// The C cast `(int)n` used by 5.1 where it wants an `int` (`lua_tointeger` results passed to
/// functions taking `int`): the 64-bit truncation, then the low 32 bits.
#[inline]
pub(crate) fn number_to_int(n: f64) -> i32 {
    number_to_integer(n) as i32
}

/// A length or count as a Lua number, exactly as `n as f64`. Usually through `u32`, which
/// converts with one `cvtsi2sd`; LLVM turns a signed conversion of a length it knows to be
/// non-negative back into the unsigned one, which takes six instructions (`local y = #s`: 118
/// -> 114 instructions per loop iteration).
#[inline(always)]
pub(crate) fn count(n: usize) -> Value {
    Value::Number(match u32::try_from(n) {
        Ok(n) => f64::from(n),
        Err(_) => n as f64,
    })
}

/// Marks the path that calls it as the unlikely one (stable Rust's `std::hint::cold_path`,
/// which needs 1.95): the optimizer lays it out of line and branches to it, instead of
/// computing both paths and selecting (`FORLOOP`'s comparison, `interp.rs`).
#[cold]
#[inline(always)]
pub(crate) fn cold() {}

/// Zero, as far as the optimizer can tell any value (see [`opaque`]). Never written.
static OPAQUE_ZERO: AtomicU64 = AtomicU64::new(0);

/// `x`, through an operation the optimizer cannot see through: a number copied with it is
/// moved as its 8-byte payload, never merged with its tag into one 16-byte copy. Cheaper than
/// `black_box`, which sends the value through a stack slot and back (a store-to-load round trip
/// on the copy's critical path); this adds an `xor` with a load that is off that path.
#[inline(always)]
pub(crate) fn opaque(x: f64) -> f64 {
    f64::from_bits(x.to_bits() ^ OPAQUE_ZERO.load(Ordering::Relaxed))
}

/// A copy of `*value` that reads a number's tag and payload separately. A whole-`Value` load
/// right after an arithmetic result was stored there (a tag byte and an 8-byte payload) cannot
/// be forwarded from those two stores and stalls; this copy does not. (`opaque` keeps the
/// optimizer from merging the number arm back into one 16-byte copy.)
#[inline(always)]
pub(crate) fn copy_split(value: &Value) -> Value {
    match value {
        &Value::Number(x) => Value::Number(opaque(x)),
        other => *other,
    }
}

/// `*dst = *src`, a number written as tag and payload (read so too, as in [`copy_split`]): no
/// whole-`Value` temporary that a later 16-byte load would have to forward from narrower stores.
#[inline(always)]
pub(crate) fn copy_into(dst: &mut Value, src: &Value) {
    match src {
        &Value::Number(x) => *dst = Value::Number(opaque(x)),
        other => *dst = *other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opaque_is_the_identity_bit_for_bit() {
        for x in [
            0.0,
            -0.0,
            1.5,
            f64::INFINITY,
            f64::NAN,
            -f64::NAN,
            f64::MIN_POSITIVE / 2.0,
        ] {
            assert_eq!(opaque(x).to_bits(), x.to_bits(), "{x}");
        }
    }

    #[test]
    fn counts_convert_as_unsigned_casts_do() {
        for n in [
            0,
            1,
            255,
            1 << 31,
            (1 << 53) + 1,
            i64::MAX as usize,
            usize::MAX,
        ] {
            assert_eq!(count(n), Value::Number(n as f64), "{n}");
        }
    }
}
