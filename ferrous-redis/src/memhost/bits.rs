//! Bit commands on strings: `SETBIT`, `GETBIT`, `BITCOUNT`, `BITPOS` (`BYTE`/`BIT` ranges) and
//! `BITOP`, following `bitops.c`. Bit 0 is the most significant bit of the first byte.

use super::Exec;
use super::args::{CmdResult, MAX_STRING, SYNTAX, err, int_arg, is_kw, parse_i64};
use super::keyspace::Value;
use crate::reply::Reply;

const BAD_OFFSET: &str = "ERR bit offset is not an integer or out of range";

/// `getBitOffsetFromArgument` (without the `#` form, which only BITFIELD takes).
fn bit_offset(arg: &[u8]) -> Result<u64, Reply> {
    match parse_i64(arg) {
        Some(offset) if offset >= 0 && ((offset >> 3) as u64) < MAX_STRING as u64 => {
            Ok(offset as u64)
        }
        _ => Err(err(BAD_OFFSET)),
    }
}

/// `SETBIT key offset value`: the bit's old value.
pub(crate) fn setbit(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let offset = bit_offset(&args[2])?;
    let on = match parse_i64(&args[3]) {
        Some(value @ (0 | 1)) => value == 1,
        _ => return Err(err("ERR bit is not an integer or out of range")),
    };
    let byte = (offset >> 3) as usize;
    let mask = 1u8 << (7 - (offset & 7));
    let value = match x.string_mut(&args[1])? {
        Some(value) => value,
        None => {
            x.db().set(&args[1], Value::Str(Vec::new()));
            x.string_or_create(&args[1])?
        }
    };
    if value.len() <= byte {
        value.resize(byte + 1, 0);
    }
    let old = value[byte] & mask != 0;
    if on {
        value[byte] |= mask;
    } else {
        value[byte] &= !mask;
    }
    Ok(Reply::Integer(i64::from(old)))
}

/// `GETBIT key offset`.
pub(crate) fn getbit(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let offset = bit_offset(&args[2])?;
    let Some(value) = x.string(&args[1])? else {
        return Ok(Reply::Integer(0));
    };
    let bit = value
        .get((offset >> 3) as usize)
        .is_some_and(|byte| byte & (1 << (7 - (offset & 7))) != 0);
    Ok(Reply::Integer(i64::from(bit)))
}

/// A `start end [BYTE|BIT]` range resolved as Redis does: the byte range and the masks of the
/// bits of the first and last bytes that fall outside a `BIT` range.
struct BitRange {
    start: i64,
    end: i64,
    first_mask: u8,
    last_mask: u8,
}

fn resolve(mut start: i64, mut end: i64, len: i64, is_bit: bool) -> BitRange {
    let total = if is_bit { len << 3 } else { len };
    if start < 0 {
        start = total.saturating_add(start);
    }
    if end < 0 {
        end = total.saturating_add(end);
    }
    start = start.max(0);
    end = end.max(0);
    if end >= total {
        end = total - 1;
    }
    let (mut first_mask, mut last_mask) = (0u8, 0u8);
    if is_bit && start <= end {
        first_mask = !((1u16 << (8 - (start & 7))) - 1) as u8;
        last_mask = ((1u16 << (7 - (end & 7))) - 1) as u8;
        start >>= 3;
        end >>= 3;
    }
    BitRange {
        start,
        end,
        first_mask,
        last_mask,
    }
}

fn parse_unit(arg: &[u8]) -> Result<bool, Reply> {
    if is_kw(arg, "bit") {
        Ok(true)
    } else if is_kw(arg, "byte") {
        Ok(false)
    } else {
        Err(err(SYNTAX))
    }
}

/// `BITCOUNT key [start end [BYTE|BIT]]`.
pub(crate) fn bitcount(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let Some(value) = x.string(&args[1])? else {
        return Ok(Reply::Integer(0));
    };
    let len = value.len() as i64;
    let range = match args.len() {
        4 | 5 => {
            let start = int_arg(&args[2])?;
            let end = int_arg(&args[3])?;
            if start < 0 && end < 0 && start > end {
                return Ok(Reply::Integer(0));
            }
            let is_bit = match args.get(4) {
                Some(unit) => parse_unit(unit)?,
                None => false,
            };
            resolve(start, end, len, is_bit)
        }
        2 => BitRange {
            start: 0,
            end: len - 1,
            first_mask: 0,
            last_mask: 0,
        },
        _ => return Err(err(SYNTAX)),
    };
    if range.start > range.end {
        return Ok(Reply::Integer(0));
    }
    let (start, end) = (range.start as usize, range.end as usize);
    let bytes = &value[start..=end];
    let mut count: i64 = bytes.iter().map(|b| i64::from(b.count_ones())).sum();
    count -= i64::from((value[start] & range.first_mask).count_ones());
    count -= i64::from((value[end] & range.last_mask).count_ones());
    Ok(Reply::Integer(count))
}

/// `redisBitpos`: the first bit equal to `bit`; for 0 past the end when all are 1, for 1 `-1`.
fn first_bit(bytes: &[u8], bit: bool) -> i64 {
    for (idx, &byte) in bytes.iter().enumerate() {
        let probe = if bit { byte } else { !byte };
        if probe != 0 {
            return idx as i64 * 8 + i64::from(probe.leading_zeros());
        }
    }
    if bit { -1 } else { bytes.len() as i64 * 8 }
}

/// `BITPOS key bit [start [end [BYTE|BIT]]]`.
pub(crate) fn bitpos(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let bit = match int_arg(&args[2])? {
        0 => false,
        1 => true,
        _ => return Err(err("ERR The bit argument must be 1 or 0.")),
    };
    let Some(value) = x.string(&args[1])? else {
        return Ok(Reply::Integer(if bit { -1 } else { 0 }));
    };
    let len = value.len() as i64;
    let mut end_given = false;
    let range = match args.len() {
        4..=6 => {
            let start = int_arg(&args[3])?;
            let is_bit = match args.get(5) {
                Some(unit) => parse_unit(unit)?,
                None => false,
            };
            let end = match args.get(4) {
                Some(end) => {
                    end_given = true;
                    int_arg(end)?
                }
                None if is_bit => (len << 3) + 7,
                None => len - 1,
            };
            resolve(start, end, len, is_bit)
        }
        3 => BitRange {
            start: 0,
            end: len - 1,
            first_mask: 0,
            last_mask: 0,
        },
        _ => return Err(err(SYNTAX)),
    };
    if range.start > range.end {
        return Ok(Reply::Integer(-1));
    }
    let (mut start, end) = (range.start as usize, range.end as usize);
    let mut bytes = end - start + 1;
    let masked = |byte: u8, mask: u8| if bit { byte & !mask } else { byte | mask };
    let pos = 'search: {
        if range.first_mask != 0 {
            let mut first = masked(value[start], range.first_mask);
            if range.last_mask != 0 && bytes == 1 {
                first = masked(first, range.last_mask);
            }
            let pos = first_bit(&[first], bit);
            if bytes == 1 || (pos != -1 && pos != 8) {
                break 'search pos;
            }
            start += 1;
            bytes -= 1;
        }
        let whole = bytes - usize::from(range.last_mask != 0);
        if whole > 0 {
            let pos = first_bit(&value[start..start + whole], bit);
            if bytes == whole || (pos != -1 && pos != whole as i64 * 8) {
                break 'search pos;
            }
            start += whole;
            bytes -= whole;
        }
        first_bit(&[masked(value[end], range.last_mask)], bit)
    };
    if end_given && !bit && pos == bytes as i64 * 8 {
        return Ok(Reply::Integer(-1));
    }
    Ok(Reply::Integer(if pos == -1 {
        -1
    } else {
        pos + start as i64 * 8
    }))
}

/// `BITOP AND|OR|XOR|NOT destkey key...`: the length of the stored result.
pub(crate) fn bitop(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let op = args[1].to_ascii_lowercase();
    if !matches!(op.as_slice(), b"and" | b"or" | b"xor" | b"not") {
        return Err(err(SYNTAX));
    }
    if op == b"not" && args.len() != 4 {
        return Err(err(
            "ERR BITOP NOT must be called with a single source key.",
        ));
    }
    let mut sources = Vec::with_capacity(args.len() - 3);
    for key in &args[3..] {
        sources.push(x.string(key)?.cloned().unwrap_or_default());
    }
    let max_len = sources.iter().map(Vec::len).max().unwrap_or(0);
    let byte_at = |source: &Vec<u8>, idx: usize| source.get(idx).copied().unwrap_or(0);
    let result: Vec<u8> = (0..max_len)
        .map(|idx| {
            let mut bytes = sources.iter().map(|s| byte_at(s, idx));
            let first = bytes.next().unwrap_or(0);
            match op.as_slice() {
                b"and" => bytes.fold(first, |acc, b| acc & b),
                b"or" => bytes.fold(first, |acc, b| acc | b),
                b"xor" => bytes.fold(first, |acc, b| acc ^ b),
                _ => !first,
            }
        })
        .collect();
    let len = result.len();
    if len == 0 {
        x.db().remove(&args[2]);
    } else {
        x.db().set(&args[2], Value::Str(result));
    }
    Ok(Reply::Integer(len as i64))
}
