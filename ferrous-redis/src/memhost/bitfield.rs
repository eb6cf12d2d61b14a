//! `BITFIELD` and `BITFIELD_RO`: integers of 1 to 64 bits (`i64`, `u63` at most) at any bit
//! offset of a string (`#N` counts in units of the width), with `GET`, `SET`, `INCRBY` and
//! `OVERFLOW WRAP|SAT|FAIL`, following `bitfieldGeneric` in `bitops.c`.

use super::Exec;
use super::args::{CmdResult, MAX_STRING, SYNTAX, err, int_arg, is_kw, parse_i64};
use super::keyspace::Value;
use crate::reply::Reply;

const BAD_TYPE: &str = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
const BAD_OFFSET: &str = "ERR bit offset is not an integer or out of range";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Overflow {
    Wrap,
    Sat,
    Fail,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Get,
    Set,
    IncrBy,
}

struct FieldOp {
    op: Op,
    signed: bool,
    bits: u32,
    offset: u64,
    value: i64,
    overflow: Overflow,
}

/// `getBitfieldTypeFromArgument`.
fn field_type(arg: &[u8]) -> Result<(bool, u32), Reply> {
    let signed = match arg.first() {
        Some(b'i') => true,
        Some(b'u') => false,
        _ => return Err(err(BAD_TYPE)),
    };
    match parse_i64(&arg[1..]) {
        Some(bits) if bits >= 1 && bits <= if signed { 64 } else { 63 } => {
            Ok((signed, bits as u32))
        }
        _ => Err(err(BAD_TYPE)),
    }
}

/// `getBitOffsetFromArgument` with `#N` (N times the width).
fn field_offset(arg: &[u8], bits: u32) -> Result<u64, Reply> {
    let (hash, digits) = match arg.split_first() {
        Some((b'#', rest)) => (true, rest),
        _ => (false, arg),
    };
    let mut offset = parse_i64(digits).ok_or_else(|| err(BAD_OFFSET))?;
    if hash {
        offset = offset
            .checked_mul(i64::from(bits))
            .ok_or_else(|| err(BAD_OFFSET))?;
    }
    if offset < 0 || (offset >> 3) as u64 >= MAX_STRING as u64 {
        return Err(err(BAD_OFFSET));
    }
    Ok(offset as u64)
}

fn get_unsigned(bytes: &[u8], mut offset: u64, bits: u32) -> u64 {
    let mut value = 0u64;
    for _ in 0..bits {
        let byte = bytes.get((offset >> 3) as usize).copied().unwrap_or(0);
        value = (value << 1) | u64::from((byte >> (7 - (offset & 7))) & 1);
        offset += 1;
    }
    value
}

fn get_signed(bytes: &[u8], offset: u64, bits: u32) -> i64 {
    let mut value = get_unsigned(bytes, offset, bits);
    if bits < 64 && value & (1u64 << (bits - 1)) != 0 {
        value |= u64::MAX << bits;
    }
    value as i64
}

fn set_unsigned(bytes: &mut [u8], mut offset: u64, bits: u32, value: u64) {
    for j in 0..bits {
        let bit = (value >> (bits - 1 - j)) & 1;
        if let Some(byte) = bytes.get_mut((offset >> 3) as usize) {
            let mask = 1u8 << (7 - (offset & 7));
            *byte = if bit == 1 {
                *byte | mask
            } else {
                *byte & !mask
            };
        }
        offset += 1;
    }
}

/// `checkUnsignedBitfieldOverflow`: `Some(replacement)` on overflow (`None` under `FAIL`).
fn unsigned_overflow(value: u64, incr: i64, bits: u32, overflow: Overflow) -> Option<Option<u64>> {
    let max = if bits == 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    };
    let max_incr = max.wrapping_sub(value) as i64;
    let min_incr = value.wrapping_neg() as i64;
    let wrap = || value.wrapping_add(incr as u64) & !(u64::MAX.checked_shl(bits).unwrap_or(0));
    let limit = if value > max || (incr > 0 && incr > max_incr) {
        max
    } else if incr < 0 && incr < min_incr {
        0
    } else {
        return None;
    };
    Some(match overflow {
        Overflow::Wrap => Some(wrap()),
        Overflow::Sat => Some(limit),
        Overflow::Fail => None,
    })
}

/// `checkSignedBitfieldOverflow`: `Some(replacement)` on overflow (`None` under `FAIL`).
fn signed_overflow(value: i64, incr: i64, bits: u32, overflow: Overflow) -> Option<Option<i64>> {
    let max = if bits == 64 {
        i64::MAX
    } else {
        (1i64 << (bits - 1)) - 1
    };
    let min = -max - 1;
    let max_incr = (max as u64).wrapping_sub(value as u64) as i64;
    let min_incr = min.wrapping_sub(value);
    let wrap = || {
        let mut c = (value as u64).wrapping_add(incr as u64);
        if bits < 64 {
            let mask = u64::MAX << bits;
            if c & (1u64 << (bits - 1)) != 0 {
                c |= mask;
            } else {
                c &= !mask;
            }
        }
        c as i64
    };
    let limit = if value > max
        || (bits != 64 && incr > max_incr)
        || (value >= 0 && incr > 0 && incr > max_incr)
    {
        max
    } else if value < min
        || (bits != 64 && incr < min_incr)
        || (value < 0 && incr < 0 && incr < min_incr)
    {
        min
    } else {
        return None;
    };
    Some(match overflow {
        Overflow::Wrap => Some(wrap()),
        Overflow::Sat => Some(limit),
        Overflow::Fail => None,
    })
}

fn bitfield_generic(x: &mut Exec<'_>, args: &[Vec<u8>], readonly_command: bool) -> CmdResult {
    let mut ops = Vec::new();
    let mut overflow = Overflow::Wrap;
    let mut highest_write: Option<u64> = None;
    let mut j = 2;
    while j < args.len() {
        let left = args.len() - j - 1;
        let sub = &args[j];
        let op = if is_kw(sub, "get") && left >= 2 {
            Op::Get
        } else if is_kw(sub, "set") && left >= 3 {
            Op::Set
        } else if is_kw(sub, "incrby") && left >= 3 {
            Op::IncrBy
        } else if is_kw(sub, "overflow") && left >= 1 {
            let kind = &args[j + 1];
            overflow = if is_kw(kind, "wrap") {
                Overflow::Wrap
            } else if is_kw(kind, "sat") {
                Overflow::Sat
            } else if is_kw(kind, "fail") {
                Overflow::Fail
            } else {
                return Err(err("ERR Invalid OVERFLOW type specified"));
            };
            j += 2;
            continue;
        } else {
            return Err(err(SYNTAX));
        };
        let (signed, bits) = field_type(&args[j + 1])?;
        let offset = field_offset(&args[j + 2], bits)?;
        let mut value = 0;
        if op != Op::Get {
            let last = offset + u64::from(bits) - 1;
            highest_write = Some(highest_write.map_or(last, |h: u64| h.max(last)));
            value = int_arg(&args[j + 3])?;
        }
        ops.push(FieldOp {
            op,
            signed,
            bits,
            offset,
            value,
            overflow,
        });
        j += if op == Op::Get { 3 } else { 4 };
    }
    if highest_write.is_some() && readonly_command {
        return Err(err("ERR BITFIELD_RO only supports the GET subcommand"));
    }
    let key = &args[1];
    let mut bytes = x.string(key)?.cloned();
    if let Some(highest) = highest_write {
        let needed = (highest >> 3) as usize + 1;
        let value = bytes.get_or_insert_with(Vec::new);
        if value.len() < needed {
            value.resize(needed, 0);
        }
    }
    let mut replies = Vec::with_capacity(ops.len());
    for field in &ops {
        let data = bytes.as_deref().unwrap_or(&[]);
        match (field.op, field.signed) {
            (Op::Get, true) => {
                replies.push(Reply::Integer(get_signed(data, field.offset, field.bits)))
            }
            (Op::Get, false) => {
                replies.push(Reply::Integer(
                    get_unsigned(data, field.offset, field.bits) as i64
                ))
            }
            (op, true) => {
                let old = get_signed(data, field.offset, field.bits);
                let (new, reply) = if op == Op::IncrBy {
                    match signed_overflow(old, field.value, field.bits, field.overflow) {
                        None => (
                            Some(old.wrapping_add(field.value)),
                            old.wrapping_add(field.value),
                        ),
                        Some(replaced) => (replaced, replaced.unwrap_or(0)),
                    }
                } else {
                    match signed_overflow(field.value, 0, field.bits, field.overflow) {
                        None => (Some(field.value), old),
                        Some(replaced) => (replaced, old),
                    }
                };
                match (new, bytes.as_mut()) {
                    (Some(new), Some(target)) => {
                        set_unsigned(target, field.offset, field.bits, new as u64);
                        replies.push(Reply::Integer(reply));
                    }
                    _ => replies.push(Reply::Nil),
                }
            }
            (op, false) => {
                let old = get_unsigned(data, field.offset, field.bits);
                let (new, reply) = if op == Op::IncrBy {
                    let sum = old.wrapping_add(field.value as u64);
                    match unsigned_overflow(old, field.value, field.bits, field.overflow) {
                        None => (Some(sum), sum),
                        Some(replaced) => (replaced, replaced.unwrap_or(0)),
                    }
                } else {
                    let new = field.value as u64;
                    match unsigned_overflow(new, 0, field.bits, field.overflow) {
                        None => (Some(new), old),
                        Some(replaced) => (replaced, old),
                    }
                };
                match (new, bytes.as_mut()) {
                    (Some(new), Some(target)) => {
                        set_unsigned(target, field.offset, field.bits, new);
                        replies.push(Reply::Integer(reply as i64));
                    }
                    _ => replies.push(Reply::Nil),
                }
            }
        }
    }
    if highest_write.is_some() {
        if let Some(bytes) = bytes {
            x.db().set_keep_ttl(key, Value::Str(bytes));
        }
    }
    Ok(Reply::Array(replies))
}

/// `BITFIELD key [GET type offset] [SET type offset value] [INCRBY type offset increment]
/// [OVERFLOW WRAP|SAT|FAIL] ...`.
pub(crate) fn bitfield(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    bitfield_generic(x, args, false)
}

/// `BITFIELD_RO key [GET type offset] ...`.
pub(crate) fn bitfield_ro(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    bitfield_generic(x, args, true)
}
