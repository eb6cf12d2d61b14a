//! HyperLogLog: `PFADD`, `PFCOUNT`, `PFMERGE`, byte for byte as `hyperloglog.c` keeps them in a
//! string: a 16-byte header (`HYLL`, the encoding, the cached cardinality) and 16384 six-bit
//! registers, sparse (run-length opcodes, updated exactly as `hllSparseSet` does, so `GET`
//! shows Redis's bytes) until 3000 bytes or a register above 32, dense after.

use super::Exec;
use super::args::{CmdResult, err, wrongtype};
use super::keyspace::Value;
use crate::reply::Reply;

const P: u32 = 14;
const REGISTERS: usize = 1 << P;
const HDR: usize = 16;
const DENSE_SIZE: usize = HDR + (REGISTERS * 6).div_ceil(8);
const SPARSE: u8 = 1;
const DENSE: u8 = 0;
const SPARSE_MAX_BYTES: usize = 3000;
const NOT_HLL: &str = "WRONGTYPE Key is not a valid HyperLogLog string value.";
const CORRUPTED: &str = "INVALIDOBJ Corrupted HLL object detected";

/// `MurmurHash64A` with Redis's seed, as a little-endian machine computes it.
fn murmur64a(key: &[u8], seed: u64) -> u64 {
    const M: u64 = 0xc6a4_a793_5bd1_e995;
    let mut h = seed ^ (key.len() as u64).wrapping_mul(M);
    let mut chunks = key.chunks_exact(8);
    for chunk in &mut chunks {
        let mut k = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        k = k.wrapping_mul(M);
        k ^= k >> 47;
        k = k.wrapping_mul(M);
        h ^= k;
        h = h.wrapping_mul(M);
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        for (idx, &byte) in tail.iter().enumerate() {
            h ^= u64::from(byte) << (8 * idx);
        }
        h = h.wrapping_mul(M);
    }
    h ^= h >> 47;
    h = h.wrapping_mul(M);
    h ^= h >> 47;
    h
}

/// `hllPatLen`: the register an element addresses and its run of zeros plus one.
fn pat_len(element: &[u8]) -> (usize, u8) {
    let hash = murmur64a(element, 0xadc8_3b19);
    let index = (hash & (REGISTERS as u64 - 1)) as usize;
    let rest = (hash >> P) | (1u64 << (64 - P));
    (index, rest.trailing_zeros() as u8 + 1)
}

fn dense_get(regs: &[u8], idx: usize) -> u8 {
    let byte = idx * 6 / 8;
    let shift = (idx * 6) & 7;
    let b0 = u16::from(regs.get(byte).copied().unwrap_or(0));
    let b1 = u16::from(regs.get(byte + 1).copied().unwrap_or(0));
    (((b0 >> shift) | (b1 << (8 - shift))) & 63) as u8
}

fn dense_set(regs: &mut [u8], idx: usize, value: u8) {
    let byte = idx * 6 / 8;
    let shift = (idx * 6) & 7;
    let value = u16::from(value);
    if let Some(b0) = regs.get_mut(byte) {
        *b0 = (u16::from(*b0) & !(63 << shift) | (value << shift)) as u8;
    }
    if let Some(b1) = regs.get_mut(byte + 1) {
        *b1 = (u16::from(*b1) & !(63 >> (8 - shift)) | (value >> (8 - shift))) as u8;
    }
}

/// `isHLLObjectOrReply`'s checks on a string.
fn is_hll(bytes: &[u8]) -> bool {
    bytes.len() >= HDR
        && bytes.starts_with(b"HYLL")
        && bytes[4] <= SPARSE
        && (bytes[4] != DENSE || bytes.len() == DENSE_SIZE)
}

fn invalidate_cache(bytes: &mut [u8]) {
    bytes[15] |= 0x80;
}

/// `createHLLObject`: an empty sparse HLL.
fn create() -> Vec<u8> {
    let mut bytes = b"HYLL".to_vec();
    bytes.extend_from_slice(&[SPARSE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    bytes.extend_from_slice(&[0x40 | 0x3f, 0xff]);
    bytes
}

/// One sparse opcode: `(registers covered, value, opcode length)`.
fn opcode(bytes: &[u8], at: usize) -> (usize, u8, usize) {
    let op = bytes[at];
    match op & 0xc0 {
        0x00 => (usize::from(op & 0x3f) + 1, 0, 1),
        0x40 => {
            let low = bytes.get(at + 1).copied().unwrap_or(0);
            ((usize::from(op & 0x3f) << 8 | usize::from(low)) + 1, 0, 2)
        }
        _ => (usize::from(op & 3) + 1, ((op >> 2) & 0x1f) + 1, 1),
    }
}

/// `hllMerge`: raises `max` to this HLL's registers; `Err` when corrupted.
fn merge_into(bytes: &[u8], max: &mut [u8]) -> Result<(), ()> {
    if bytes[4] == DENSE {
        for (idx, slot) in max.iter_mut().enumerate() {
            *slot = (*slot).max(dense_get(&bytes[HDR..], idx));
        }
        return Ok(());
    }
    let (mut at, mut idx) = (HDR, 0usize);
    while at < bytes.len() {
        let (run, value, len) = opcode(bytes, at);
        if value > 0 {
            if idx + run > REGISTERS {
                break;
            }
            for slot in &mut max[idx..idx + run] {
                *slot = (*slot).max(value);
            }
        }
        idx += run;
        at += len;
    }
    if idx == REGISTERS { Ok(()) } else { Err(()) }
}

/// `hllSparseToDense`; `Err` when corrupted.
fn to_dense(bytes: &mut Vec<u8>) -> Result<(), ()> {
    if bytes[4] == DENSE {
        return Ok(());
    }
    let mut regs = vec![0u8; REGISTERS];
    merge_into(bytes, &mut regs)?;
    let mut dense = bytes[..HDR].to_vec();
    dense[4] = DENSE;
    dense.resize(DENSE_SIZE, 0);
    for (idx, &value) in regs.iter().enumerate() {
        if value > 0 {
            dense_set(&mut dense[HDR..], idx, value);
        }
    }
    *bytes = dense;
    Ok(())
}

fn sparse_val(value: u8, len: usize) -> u8 {
    ((value - 1) << 2 | (len as u8 - 1)) | 0x80
}

fn sparse_zero(out: &mut Vec<u8>, len: usize) {
    if len > 64 {
        out.push(((len - 1) >> 8) as u8 | 0x40);
        out.push(((len - 1) & 0xff) as u8);
    } else {
        out.push((len - 1) as u8);
    }
}

/// `hllSparseSet` (promoting to dense when needed): whether the register grew.
fn sparse_set(bytes: &mut Vec<u8>, index: usize, count: u8) -> Result<bool, ()> {
    if count <= 32 {
        let (mut at, mut first, mut prev, mut span) = (HDR, 0usize, None, 0usize);
        while at < bytes.len() {
            let (run, _, len) = opcode(bytes, at);
            span = run;
            if index < first + span {
                break;
            }
            prev = Some(at);
            at += len;
            first += span;
        }
        if span == 0 || at >= bytes.len() {
            return Err(());
        }
        let (run, value, oplen) = opcode(bytes, at);
        let is_val = value > 0;
        let mut updated_in_place = false;
        if is_val {
            if value >= count {
                return Ok(false);
            }
            if run == 1 {
                bytes[at] = sparse_val(count, 1);
                updated_in_place = true;
            }
        } else if oplen == 1 && run == 1 {
            bytes[at] = sparse_val(count, 1);
            updated_in_place = true;
        }
        if !updated_in_place {
            let last = first + span - 1;
            let mut seq = Vec::with_capacity(5);
            if is_val {
                if index != first {
                    seq.push(sparse_val(value, index - first));
                }
                seq.push(sparse_val(count, 1));
                if index != last {
                    seq.push(sparse_val(value, last - index));
                }
            } else {
                if index != first {
                    sparse_zero(&mut seq, index - first);
                }
                seq.push(sparse_val(count, 1));
                if index != last {
                    sparse_zero(&mut seq, last - index);
                }
            }
            if seq.len() > oplen && bytes.len() + seq.len() - oplen > SPARSE_MAX_BYTES {
                return promote(bytes, index, count);
            }
            bytes.splice(at..at + oplen, seq);
        }
        // Merge adjacent equal values, scanning up to five opcodes from the previous one.
        let mut p = prev.unwrap_or(HDR);
        let mut scan = 5;
        while p < bytes.len() && scan > 0 {
            scan -= 1;
            let op = bytes[p];
            if op & 0xc0 == 0x40 {
                p += 2;
                continue;
            }
            if op & 0xc0 == 0 {
                p += 1;
                continue;
            }
            if let Some(&next) = bytes.get(p + 1).filter(|&&n| n & 0x80 != 0) {
                let (v1, v2) = (((op >> 2) & 0x1f) + 1, ((next >> 2) & 0x1f) + 1);
                let len = usize::from(op & 3) + usize::from(next & 3) + 2;
                if v1 == v2 && len <= 4 {
                    bytes[p + 1] = sparse_val(v1, len);
                    bytes.remove(p);
                    continue;
                }
            }
            p += 1;
        }
        invalidate_cache(bytes);
        return Ok(true);
    }
    promote(bytes, index, count)
}

fn promote(bytes: &mut Vec<u8>, index: usize, count: u8) -> Result<bool, ()> {
    to_dense(bytes)?;
    Ok(dense_add(bytes, index, count))
}

fn dense_add(bytes: &mut [u8], index: usize, count: u8) -> bool {
    if count > dense_get(&bytes[HDR..], index) {
        dense_set(&mut bytes[HDR..], index, count);
        true
    } else {
        false
    }
}

/// `hllSigma`.
fn sigma(mut x: f64) -> f64 {
    if x == 1.0 {
        return f64::INFINITY;
    }
    let (mut y, mut z) = (1.0, x);
    loop {
        x *= x;
        let previous = z;
        z += x * y;
        y += y;
        if previous == z {
            return z;
        }
    }
}

/// `hllTau`.
fn tau(mut x: f64) -> f64 {
    if x == 0.0 || x == 1.0 {
        return 0.0;
    }
    let (mut y, mut z) = (1.0, 1.0 - x);
    loop {
        x = x.sqrt();
        let previous = z;
        y *= 0.5;
        z -= (1.0 - x) * (1.0 - x) * y;
        if previous == z {
            return z / 3.0;
        }
    }
}

/// `hllCount` over registers.
fn count(regs: &[u8]) -> u64 {
    let mut histo = [0u32; 64];
    for &value in regs {
        histo[usize::from(value & 63)] += 1;
    }
    let m = REGISTERS as f64;
    let mut z = m * tau((m - f64::from(histo[51])) / m);
    for j in (1..=50).rev() {
        z += f64::from(histo[j]);
        z *= 0.5;
    }
    z += m * sigma(f64::from(histo[0]) / m);
    (0.721_347_520_444_481_7 * m * m / z).round() as u64
}

/// The HLL string under `key` (`Ok(None)` when missing), or the `WRONGTYPE` errors.
fn load(x: &mut Exec<'_>, key: &[u8]) -> Result<Option<Vec<u8>>, Reply> {
    match x.get(key) {
        None => Ok(None),
        Some(Value::Str(bytes)) if is_hll(bytes) => Ok(Some(bytes.clone())),
        Some(Value::Str(_)) => Err(err(NOT_HLL)),
        Some(_) => Err(wrongtype()),
    }
}

/// `PFADD key [element...]`.
pub(crate) fn pfadd(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let (mut bytes, mut updated) = match load(x, &args[1])? {
        Some(bytes) => (bytes, false),
        None => (create(), true),
    };
    for element in &args[2..] {
        let (index, run) = pat_len(element);
        let grew = if bytes[4] == DENSE {
            Ok(dense_add(&mut bytes, index, run))
        } else {
            sparse_set(&mut bytes, index, run)
        };
        match grew {
            Ok(grew) => updated |= grew,
            Err(()) => return Err(err(CORRUPTED)),
        }
    }
    if updated {
        invalidate_cache(&mut bytes);
        x.db().set_keep_ttl(&args[1], Value::Str(bytes));
    }
    Ok(Reply::Integer(i64::from(updated)))
}

/// `PFCOUNT key...`: the cached cardinality of one key (computed and cached when stale), or
/// the cardinality of the union of several.
pub(crate) fn pfcount(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let mut regs = vec![0u8; REGISTERS];
    if args.len() > 2 {
        for key in &args[1..] {
            if let Some(bytes) = load(x, key)? {
                merge_into(&bytes, &mut regs).map_err(|()| err(CORRUPTED))?;
            }
        }
        return Ok(Reply::Integer(count(&regs) as i64));
    }
    let Some(mut bytes) = load(x, &args[1])? else {
        return Ok(Reply::Integer(0));
    };
    if bytes[15] & 0x80 == 0 {
        let cached = u64::from_le_bytes(bytes[8..16].try_into().unwrap_or([0; 8]));
        return Ok(Reply::Integer(cached as i64));
    }
    merge_into(&bytes, &mut regs).map_err(|()| err(CORRUPTED))?;
    let card = count(&regs);
    bytes[8..16].copy_from_slice(&card.to_le_bytes());
    x.db().set_keep_ttl(&args[1], Value::Str(bytes));
    Ok(Reply::Integer(card as i64))
}

/// `PFMERGE destkey [sourcekey...]`.
pub(crate) fn pfmerge(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let mut max = vec![0u8; REGISTERS];
    let mut use_dense = false;
    for key in &args[1..] {
        if let Some(bytes) = load(x, key)? {
            use_dense |= bytes[4] == DENSE;
            merge_into(&bytes, &mut max).map_err(|()| err(CORRUPTED))?;
        }
    }
    let mut bytes = load(x, &args[1])?.unwrap_or_else(create);
    if use_dense {
        to_dense(&mut bytes).map_err(|()| err(CORRUPTED))?;
    }
    for (idx, &value) in max.iter().enumerate() {
        if value == 0 {
            continue;
        }
        if bytes[4] == DENSE {
            dense_add(&mut bytes, idx, value);
        } else {
            sparse_set(&mut bytes, idx, value).map_err(|()| err(CORRUPTED))?;
        }
    }
    invalidate_cache(&mut bytes);
    x.db().set_keep_ttl(&args[1], Value::Str(bytes));
    Ok(Reply::ok())
}
