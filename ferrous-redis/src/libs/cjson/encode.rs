//! `cjson.encode`: a Lua value to JSON text, as `json_append_data` and friends do it.
//!
//! Tables are arrays when every key is a positive integer (`lua_array_length`, with its
//! `int` arithmetic: a key of 2^31 or more becomes `INT_MIN`, as x86-64's conversion gives)
//! and the array is not excessively sparse; otherwise objects, in `next` order. Holes encode
//! as `null`; metatables are ignored (raw reads only).
//!
//! Invariant: no recursion. Open tables live on an explicit [`Frame`] stack whose height is
//! bounded by `encode_max_depth` and by the emulated C stack limit (`super::checkstack`); the
//! pairs of each are read at once when it opens, into a buffer the open tables share.

use ferrous_heap::{TableHandle, Value};
use ferrous_vm::{Ctx, Error, Result, Ret};

use super::{Config, config_of, fpconv, null_of};

/// The largest JSON text built (as `string.rep` caps its results).
const MAX_OUTPUT: usize = 1 << 30;

/// Fuel is charged in batches of this many units.
const FUEL_BATCH: u64 = 256;

/// A table being encoded. Its pairs were read at once into the encoder's `pairs` when it
/// opened (`HeapTransaction::pairs_into`, in `next` order: nothing changes the table while it
/// is encoded), from `start` on. An array whose keys are `1..=len` in that order is encoded
/// from them; any other array (holes, keys in the hash part) is read index by index.
struct Frame {
    /// Where the table's pairs start in `pairs` (dropped from there when it is done).
    start: usize,
    /// The next pair to encode.
    next: usize,
    is_array: bool,
    /// An array read index by index: the table, its length and the next index.
    by_index: Option<(TableHandle, i64, i64)>,
}

/// The encoder's buffers, kept between calls in the VM's app data so that an encode allocates
/// nothing but its result once they have grown. They hold no Lua values between calls.
#[derive(Default)]
pub(crate) struct EncodeBufs {
    out: Vec<u8>,
    stack: Vec<Frame>,
    pairs: Vec<(Value, Value)>,
}

impl EncodeBufs {
    /// An output buffer larger than this is not kept for the next call.
    const KEEP_BYTES: usize = 1 << 16;
    const KEEP_FRAMES: usize = 1 << 10;
    const KEEP_PAIRS: usize = 1 << 12;
}

impl Frame {
    /// The C Lua stack slots this table's traversal holds while one of its values is encoded
    /// (the value; an object also has the key).
    fn slots(&self) -> usize {
        if self.is_array { 1 } else { 2 }
    }
}

/// `cjson.encode(value)`.
pub(crate) fn encode(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let (_, cfg) = config_of(ctx)?;
    if ctx.nargs() != 1 {
        return Err(Error::arg(1, "expected 1 argument"));
    }
    let null = null_of(ctx)?;
    let mut bufs = ctx
        .app_data_mut::<EncodeBufs>()
        .map(std::mem::take)
        .unwrap_or_default();
    bufs.out.clear();
    bufs.stack.clear();
    bufs.pairs.clear();
    let mut encoder = Encoder {
        cfg,
        null,
        out: bufs.out,
        fuel: 0,
    };
    let res = encoder.run(ctx, ctx.arg(1), &mut bufs.stack, &mut bufs.pairs);
    let res = res.and_then(|()| ctx.vm().intern(&encoder.out));
    bufs.out = encoder.out;
    crate::libs::recycle(&mut bufs.out, EncodeBufs::KEEP_BYTES);
    crate::libs::recycle(&mut bufs.stack, EncodeBufs::KEEP_FRAMES);
    crate::libs::recycle(&mut bufs.pairs, EncodeBufs::KEEP_PAIRS);
    if let Some(slot) = ctx.app_data_mut::<EncodeBufs>() {
        *slot = bufs;
    }
    ctx.ret(&[Value::String(res?)])
}

/// `json_encode_exception`: `Cannot serialise <type>: <reason>`.
fn exception(ctx: &mut Ctx<'_>, value: Value, reason: &str) -> Error {
    let type_name = ctx.vm().type_name(value);
    Error::runtime(format!("Cannot serialise {type_name}: {reason}"))
}

struct Encoder {
    cfg: Config,
    null: Value,
    out: Vec<u8>,
    /// Fuel used and not charged yet.
    fuel: u64,
}

impl Encoder {
    fn run(
        &mut self,
        ctx: &mut Ctx<'_>,
        root: Value,
        stack: &mut Vec<Frame>,
        pairs: &mut Vec<(Value, Value)>,
    ) -> Result<()> {
        // C stack slots in use: the argument, plus what open tables hold.
        let mut slots = 1usize;
        let mut pending = Some(root);
        loop {
            if let Some(value) = pending.take() {
                self.charge(ctx, 1)?;
                if let Value::Table(table) = value {
                    let depth = stack.len() + 1;
                    let max_depth = usize::try_from(self.cfg.encode_max_depth).unwrap_or(0);
                    if depth > max_depth || !super::checkstack(slots, 3) {
                        return Err(Error::runtime(format!(
                            "Cannot serialise, excessive nesting ({depth})"
                        )));
                    }
                    let start = pairs.len();
                    ctx.vm().heap().tx().pairs_into(table, pairs)?;
                    let len =
                        self.array_length(ctx, table, pairs.get(start..).unwrap_or_default())?;
                    let is_array = len > 0;
                    let mut by_index = None;
                    if is_array {
                        self.out.push(b'[');
                        if !keys_in_order(len, pairs.get(start..).unwrap_or_default()) {
                            pairs.truncate(start);
                            by_index = Some((table, i64::from(len), 1));
                        }
                    } else {
                        self.out.push(b'{');
                    }
                    let frame = Frame {
                        start,
                        next: start,
                        is_array,
                        by_index,
                    };
                    slots += frame.slots();
                    stack.push(frame);
                } else {
                    self.scalar(ctx, value)?;
                }
            }
            let Some(frame) = stack.last_mut() else {
                return Ok(());
            };
            if let Some((table, len, next)) = &mut frame.by_index {
                if *next <= *len {
                    if *next > 1 {
                        self.out.push(b',');
                    }
                    pending = Some(ctx.vm().heap().tx().raw_get_int(*table, *next)?);
                    *next += 1;
                    continue;
                }
            } else if let Some(&(k, v)) = pairs.get(frame.next) {
                if frame.next > frame.start {
                    self.out.push(b',');
                }
                frame.next += 1;
                if !frame.is_array {
                    self.key(ctx, k)?;
                }
                pending = Some(v);
                continue;
            }
            self.out.push(if frame.is_array { b']' } else { b'}' });
            pairs.truncate(frame.start);
            if let Some(frame) = stack.pop() {
                slots -= frame.slots();
            }
        }
    }

    /// Charges fuel in batches and keeps the output within the memory limit.
    fn charge(&mut self, ctx: &mut Ctx<'_>, units: u64) -> Result<()> {
        self.fuel += units;
        if self.fuel >= FUEL_BATCH {
            ctx.charge(self.fuel)?;
            self.fuel = 0;
            if self.out.len() > MAX_OUTPUT || !ctx.vm().heap().can_allocate(self.out.len()) {
                return Err(Error::OutOfMemory);
            }
        }
        Ok(())
    }

    /// `lua_array_length` of `table`, whose pairs are `pairs`: the array length, or -1 for an
    /// object.
    fn array_length(
        &mut self,
        ctx: &mut Ctx<'_>,
        table: TableHandle,
        pairs: &[(Value, Value)],
    ) -> Result<i32> {
        let mut max: i32 = 0;
        let mut items: i32 = 0;
        let mut walked = 0;
        let mut is_array = true;
        for (k, _) in pairs {
            walked += 1;
            match *k {
                // `n >= 1` and an integer (`floor` without the call: below 2^63 the `i64`
                // round trip keeps exactly the integers; from there on every double is one).
                Value::Number(n) if n >= 1.0 && (n >= 9.2e18 || (n as i64) as f64 == n) => {
                    if n > f64::from(max) {
                        max = c_int(n);
                    }
                    items = items.wrapping_add(1);
                }
                _ => {
                    is_array = false;
                    break;
                }
            }
        }
        self.charge(ctx, walked)?;
        if !is_array {
            return Ok(-1);
        }
        let cfg = &self.cfg;
        if cfg.encode_sparse_ratio > 0
            && max > items.wrapping_mul(cfg.encode_sparse_ratio)
            && max > cfg.encode_sparse_safe
        {
            if cfg.encode_sparse_convert == 0 {
                return Err(exception(
                    ctx,
                    Value::Table(table),
                    "excessively sparse array",
                ));
            }
            return Ok(-1);
        }
        Ok(max)
    }

    /// An object key: numbers become strings, strings are escaped.
    fn key(&mut self, ctx: &mut Ctx<'_>, key: Value) -> Result<()> {
        match key {
            Value::Number(n) => {
                self.out.push(b'"');
                self.number(ctx, n)?;
                self.out.extend_from_slice(b"\":");
            }
            Value::String(s) => {
                self.string(ctx, s)?;
                self.out.push(b':');
            }
            other => {
                return Err(exception(
                    ctx,
                    other,
                    "table key must be a number or string",
                ));
            }
        }
        Ok(())
    }

    /// Everything but tables.
    fn scalar(&mut self, ctx: &mut Ctx<'_>, value: Value) -> Result<()> {
        match value {
            Value::String(s) => self.string(ctx, s)?,
            Value::Number(n) => self.number(ctx, n)?,
            Value::Boolean(true) => self.out.extend_from_slice(b"true"),
            Value::Boolean(false) => self.out.extend_from_slice(b"false"),
            Value::Nil => self.out.extend_from_slice(b"null"),
            v if v == self.null => self.out.extend_from_slice(b"null"),
            other => return Err(exception(ctx, other, "type not supported")),
        }
        Ok(())
    }

    /// `json_append_number`.
    fn number(&mut self, ctx: &mut Ctx<'_>, n: f64) -> Result<()> {
        match self.cfg.encode_invalid_numbers {
            0 if !n.is_finite() => {
                return Err(exception(ctx, Value::Number(n), "must not be NaN or Inf"));
            }
            1 if n.is_nan() => {
                self.out.extend_from_slice(b"nan");
                return Ok(());
            }
            2 if !n.is_finite() => {
                self.out.extend_from_slice(b"null");
                return Ok(());
            }
            _ => {}
        }
        let precision = usize::try_from(self.cfg.encode_number_precision).unwrap_or(14);
        if !fpconv::format_short(n, precision, &mut self.out) {
            fpconv::format_g(n, precision, &mut self.out);
        }
        Ok(())
    }

    /// `json_append_string`: quoted, with `char2escape`'s escapes. Short strings (keys, words)
    /// go byte by byte here, cheaper than finding runs; longer ones take
    /// [`Encoder::long_string`], out of line so that this stays small (and always inlined).
    #[inline(always)]
    fn string(&mut self, ctx: &mut Ctx<'_>, s: ferrous_heap::StringHandle) -> Result<()> {
        let bytes = ctx.vm().str_bytes(s)?;
        let len = bytes.len();
        if len > 32 {
            return self.long_string(ctx, s);
        }
        self.out.reserve(len + 2);
        self.out.push(b'"');
        for &b in bytes {
            if NEEDS_ESCAPE[usize::from(b)] {
                push_escaped(&mut self.out, b);
            } else {
                self.out.push(b);
            }
        }
        self.out.push(b'"');
        // Below 16 bytes the charge is 0 units, which never completes a batch.
        if len >= 16 {
            self.charge(ctx, len as u64 / 16)?;
        }
        Ok(())
    }

    /// [`Encoder::string`] for strings of more than 32 bytes: runs of plain bytes at once.
    #[inline(never)]
    fn long_string(&mut self, ctx: &mut Ctx<'_>, s: ferrous_heap::StringHandle) -> Result<()> {
        let bytes = ctx.vm().str_bytes(s)?;
        let len = bytes.len();
        if len > MAX_OUTPUT {
            return Err(Error::OutOfMemory);
        }
        self.out.reserve(len + 2);
        self.out.push(b'"');
        let mut rest = bytes;
        while let Some(i) = rest.iter().position(|&b| NEEDS_ESCAPE[usize::from(b)]) {
            let (plain, tail) = rest.split_at(i);
            self.out.extend_from_slice(plain);
            if let Some((&b, tail)) = tail.split_first() {
                push_escaped(&mut self.out, b);
                rest = tail;
            } else {
                rest = tail;
            }
        }
        self.out.extend_from_slice(rest);
        self.out.push(b'"');
        self.charge(ctx, len as u64 / 16)
    }
}

/// Appends the escape of `b` (one of [`NEEDS_ESCAPE`]).
#[cold]
#[inline(never)]
fn push_escaped(out: &mut Vec<u8>, b: u8) {
    out.extend_from_slice(escape(b).unwrap_or(&[b]));
}

/// Whether `pairs`, those of an array of `len` items, have exactly the keys `1..=len` in that
/// order (an array part without holes).
fn keys_in_order(len: i32, pairs: &[(Value, Value)]) -> bool {
    usize::try_from(len).is_ok_and(|len| len == pairs.len())
        && (1..)
            .zip(pairs)
            .all(|(i, (key, _))| *key == Value::Number(f64::from(i)))
}

/// The C cast `(int)k` of a double on x86-64: out of range gives `INT_MIN`.
fn c_int(k: f64) -> i32 {
    if (-2_147_483_648.0..2_147_483_648.0).contains(&k) {
        k as i32
    } else {
        i32::MIN
    }
}

/// Which bytes [`escape`] changes.
const NEEDS_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = b < 0x20
            || b == 0x7f
            || b == b'"' as usize
            || b == b'/' as usize
            || b == b'\\' as usize;
        b += 1;
    }
    table
};

/// `char2escape`: how a byte is written inside a JSON string, when not as itself.
fn escape(b: u8) -> Option<&'static [u8]> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    const fn unicode(b: u8) -> [u8; 6] {
        [
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[(b >> 4) as usize],
            HEX[(b & 15) as usize],
        ]
    }
    const UNICODE: [[u8; 6]; 32] = {
        let mut table = [[0u8; 6]; 32];
        let mut i = 0;
        while i < 32 {
            table[i] = unicode(i as u8);
            i += 1;
        }
        table
    };
    const DEL: [u8; 6] = unicode(0x7f);
    match b {
        b'\x08' => Some(b"\\b"),
        b'\t' => Some(b"\\t"),
        b'\n' => Some(b"\\n"),
        b'\x0c' => Some(b"\\f"),
        b'\r' => Some(b"\\r"),
        0..=0x1f => Some(&UNICODE[b as usize]),
        b'"' => Some(b"\\\""),
        b'/' => Some(b"\\/"),
        b'\\' => Some(b"\\\\"),
        0x7f => Some(&DEL),
        _ => None,
    }
}
