//! The unpackers' decoder: a cursor over a copy of the input and the open arrays and maps in an
//! explicit stack ([`DecodeFrame`]), so nesting never recurses in Rust; its depth is bounded by
//! the 8000 stack slots Lua 5.1 gives a native, counted as the C code would use them.

use ferrous_vm::{Ctx, Error, Result, Ret, Value, Vm};

use super::check_stack;
use crate::libs::layouts::Layouts;
use crate::libs::recycle;
use crate::libs::strcache::StrCache;

/// Why decoding stopped.
enum DecodeError {
    /// `MP_CUR_ERROR_EOF`: the input ended inside an object.
    Eof,
    /// `MP_CUR_ERROR_BADFMT`: a type byte this version does not know.
    BadFormat,
    /// An error raised on the spot (stack overflow, table index, memory).
    Raised(Error),
}

impl From<Error> for DecodeError {
    fn from(err: Error) -> Self {
        DecodeError::Raised(err)
    }
}

impl From<ferrous_heap::HeapError> for DecodeError {
    fn from(err: ferrous_heap::HeapError) -> Self {
        DecodeError::Raised(err.into())
    }
}

/// An open container of the decoder. Its elements wait on the decoder's value stacks
/// (`items`, `pairs`) from `start` on, and become a table when the last one is read (built at
/// once: `HeapTransaction::new_array_from`/`new_table_from` give the layout of the C
/// decoder's one-by-one assignments).
pub(super) enum DecodeFrame {
    /// An array with `left` items to go.
    Array {
        start: usize,
        left: u64,
        slots: usize,
    },
    /// A map with `left` pairs to go; `key` is set while its value is decoded.
    Map {
        start: usize,
        key: Option<Value>,
        left: u64,
        slots: usize,
    },
}

/// The unpackers' buffers, kept between calls in the VM's app data so that decoding allocates
/// nothing of its own once they have grown. They hold no Lua values between calls.
#[derive(Default)]
pub(super) struct UnpackBufs {
    data: Vec<u8>,
    stack: Vec<DecodeFrame>,
    items: Vec<Value>,
    pairs: Vec<(Value, Value)>,
    layouts: Layouts,
    /// Strings interned lately (kept from call to call: see [`StrCache`]).
    strings: StrCache,
}

impl UnpackBufs {
    /// Buffers larger than this are not kept for the next call.
    const KEEP_BYTES: usize = 1 << 16;
    const KEEP_VALUES: usize = 1 << 12;

    /// Empties the buffers for the next call, dropping those a large input grew.
    fn recycle(&mut self) {
        self.layouts.forget();
        recycle(&mut self.data, Self::KEEP_BYTES);
        recycle(&mut self.stack, Self::KEEP_VALUES);
        recycle(&mut self.items, Self::KEEP_VALUES);
        recycle(&mut self.pairs, Self::KEEP_VALUES);
    }
}

/// What one type byte (and its length fields) starts.
enum Item {
    Value(Value),
    Array(u64),
    Map(u64),
}

/// The decoder's cursor over a copy of the input, and its open containers.
struct Decoder<'a> {
    data: &'a [u8],
    pos: usize,
    stack: &'a mut Vec<DecodeFrame>,
    items: &'a mut Vec<Value>,
    pairs: &'a mut Vec<(Value, Value)>,
    layouts: &'a mut Layouts,
    strings: &'a mut StrCache,
    /// Work done since fuel was last charged.
    work: u64,
}

impl Decoder<'_> {
    fn left(&self) -> usize {
        self.data.len() - self.pos
    }

    /// `mp_cur_need`: at least `n` bytes are left.
    fn need(&self, n: usize) -> Result<(), DecodeError> {
        if self.left() < n {
            return Err(DecodeError::Eof);
        }
        Ok(())
    }

    /// Byte `i` after the cursor (in bounds after [`Decoder::need`]).
    fn byte(&self, i: usize) -> u8 {
        self.data.get(self.pos + i).copied().unwrap_or(0)
    }

    /// The big-endian unsigned integer of `n` bytes after the type byte.
    fn be(&self, n: usize) -> u64 {
        (1..=n).fold(0u64, |acc, i| (acc << 8) | u64::from(self.byte(i)))
    }

    /// Reads a string of `len` bytes starting `skip` bytes after the cursor.
    fn string(&mut self, vm: &mut Vm, skip: usize, len: usize) -> Result<Item, DecodeError> {
        self.need(skip.checked_add(len).ok_or(DecodeError::Eof)?)?;
        let start = self.pos + skip;
        let s = self.strings.intern(vm, self.data, start, start + len)?;
        self.pos = start + len;
        self.work += len as u64 / 16;
        Ok(Item::Value(Value::String(s)))
    }

    /// `mp_decode_to_lua_type` for one type byte, at a frame of `slots` stack slots.
    fn item(&mut self, vm: &mut Vm, slots: usize) -> Result<Item, DecodeError> {
        self.need(1)?;
        check_stack(
            slots,
            1,
            "too many return values at once; use unpack_one or unpack_limit instead.",
        )?;
        self.work += 1;
        let number = |n: f64| Item::Value(Value::Number(n));
        let (item, size) = match self.byte(0) {
            0xcc => (self.need(2).map(|()| number(f64::from(self.byte(1))))?, 2),
            0xd0 => (
                self.need(2)
                    .map(|()| number(f64::from(self.byte(1) as i8)))?,
                2,
            ),
            0xcd => (self.need(3).map(|()| number(self.be(2) as f64))?, 3),
            0xd1 => (self.need(3).map(|()| number(self.be(2) as i16 as f64))?, 3),
            0xce => (self.need(5).map(|()| number(self.be(4) as f64))?, 5),
            0xd2 => (self.need(5).map(|()| number(self.be(4) as i32 as f64))?, 5),
            // `lua_pushinteger` of the unsigned value: 2^63 and up wrap to negative.
            0xcf | 0xd3 => (self.need(9).map(|()| number(self.be(8) as i64 as f64))?, 9),
            0xc0 => (Item::Value(Value::Nil), 1),
            0xc3 => (Item::Value(Value::Boolean(true)), 1),
            0xc2 => (Item::Value(Value::Boolean(false)), 1),
            0xca => (
                self.need(5)
                    .map(|()| number(f64::from(f32::from_bits(self.be(4) as u32))))?,
                5,
            ),
            0xcb => (
                self.need(9).map(|()| number(f64::from_bits(self.be(8))))?,
                9,
            ),
            0xd9 => {
                self.need(2)?;
                let len = usize::from(self.byte(1));
                return self.string(vm, 2, len);
            }
            0xda => {
                self.need(3)?;
                let len = self.be(2) as usize;
                return self.string(vm, 3, len);
            }
            0xdb => {
                self.need(5)?;
                let len = usize::try_from(self.be(4)).map_err(|_| DecodeError::Eof)?;
                return self.string(vm, 5, len);
            }
            0xdc => (self.need(3).map(|()| Item::Array(self.be(2)))?, 3),
            0xdd => (self.need(5).map(|()| Item::Array(self.be(4)))?, 5),
            0xde => (self.need(3).map(|()| Item::Map(self.be(2)))?, 3),
            0xdf => (self.need(5).map(|()| Item::Map(self.be(4)))?, 5),
            b if b & 0x80 == 0 => (number(f64::from(b)), 1),
            b if b & 0xe0 == 0xe0 => (number(f64::from(b as i8)), 1),
            b if b & 0xe0 == 0xa0 => return self.string(vm, 1, usize::from(b & 0x1f)),
            b if b & 0xf0 == 0x90 => (Item::Array(u64::from(b & 0xf)), 1),
            b if b & 0xf0 == 0x80 => (Item::Map(u64::from(b & 0xf)), 1),
            _ => return Err(DecodeError::BadFormat),
        };
        self.pos += size;
        Ok(item)
    }

    /// Decodes one complete object at a frame of `slots` stack slots.
    fn object(&mut self, ctx: &mut Ctx<'_>, slots: usize) -> Result<Value, DecodeError> {
        let mut slots = slots;
        loop {
            let mut value = match self.item(ctx.vm(), slots)? {
                Item::Value(v) => v,
                Item::Array(len) => {
                    check_stack(slots + 1, 1, "in function mp_decode_to_lua_array")?;
                    if len > 0 {
                        self.stack.push(DecodeFrame::Array {
                            start: self.items.len(),
                            left: len,
                            slots,
                        });
                        // The table and the index are on the stack under the item.
                        slots += 2;
                        continue;
                    }
                    Value::Table(ctx.vm().new_table(0, 0)?)
                }
                Item::Map(len) => {
                    if len > 0 {
                        self.stack.push(DecodeFrame::Map {
                            start: self.pairs.len(),
                            key: None,
                            left: len,
                            slots,
                        });
                        slots += 1;
                        continue;
                    }
                    Value::Table(ctx.vm().new_table(0, 0)?)
                }
            };
            if self.work >= 1024 {
                ctx.charge(self.work)?;
                self.work = 0;
            }
            // Store the value in its container; a full container is a value for its parent.
            loop {
                match self.stack.last_mut() {
                    None => return Ok(value),
                    Some(DecodeFrame::Array {
                        left, slots: base, ..
                    }) => {
                        self.items.push(value);
                        *left -= 1;
                        if *left > 0 {
                            slots = *base + 2;
                            break;
                        }
                    }
                    Some(DecodeFrame::Map {
                        key,
                        left,
                        slots: base,
                        ..
                    }) => {
                        let Some(k) = key.take() else {
                            *key = Some(value);
                            slots = *base + 2;
                            break;
                        };
                        match k {
                            Value::Nil => return Err(raw_error(ctx, "table index is nil")),
                            Value::Number(n) if n.is_nan() => {
                                return Err(raw_error(ctx, "table index is NaN"));
                            }
                            _ => {}
                        }
                        self.pairs.push((k, value));
                        *left -= 1;
                        if *left > 0 {
                            slots = *base + 1;
                            break;
                        }
                    }
                }
                let mut tx = ctx.vm().heap().tx();
                match self.stack.pop() {
                    Some(DecodeFrame::Array { start, .. }) => {
                        let table =
                            tx.new_array_from(self.items.get(start..).unwrap_or_default())?;
                        self.items.truncate(start);
                        value = Value::Table(table);
                    }
                    Some(DecodeFrame::Map { start, .. }) => {
                        let pairs = self.pairs.get(start..).unwrap_or_default();
                        // Records in an array, and documents from call to call, repeat key
                        // sequences.
                        let table = self.layouts.build(&mut tx, pairs)?;
                        self.pairs.truncate(start);
                        value = Value::Table(table);
                    }
                    None => {}
                }
            }
        }
    }
}

/// An error raised by the Lua core inside a native (`luaG_runerror` with no Lua function
/// running): the message without a position.
fn raw_error(ctx: &mut Ctx<'_>, msg: &str) -> DecodeError {
    match ctx.vm().intern(msg.as_bytes()) {
        Ok(s) => DecodeError::Raised(Error::value(Value::String(s))),
        Err(e) => DecodeError::Raised(e),
    }
}

/// `mp_unpack_full`: decodes up to `limit` objects from `offset` (all of them when both are 0)
/// out of argument 1, in a frame that holds `base_slots` arguments.
pub(super) fn unpack_full(
    ctx: &mut Ctx<'_>,
    limit: i64,
    offset: i64,
    base_slots: usize,
) -> Result<Ret> {
    let s = ctx.check_string(1)?;
    let mut bufs = ctx
        .app_data_mut::<Option<Box<UnpackBufs>>>()
        .and_then(Option::take)
        .unwrap_or_default();
    bufs.data.clear();
    bufs.data.extend_from_slice(ctx.vm().str_bytes(s)?);
    let res = unpack_data(ctx, &mut bufs, limit, offset, base_slots);
    bufs.recycle();
    if let Some(slot) = ctx.app_data_mut::<Option<Box<UnpackBufs>>>() {
        *slot = Some(bufs);
    }
    res
}

/// [`unpack_full`] over the copy of the input in `bufs`.
fn unpack_data(
    ctx: &mut Ctx<'_>,
    bufs: &mut UnpackBufs,
    limit: i64,
    offset: i64,
    base_slots: usize,
) -> Result<Ret> {
    let len = bufs.data.len();
    ctx.charge(len as u64 / 16)?;
    let decode_all = limit == 0 && offset == 0;
    if offset < 0 || limit < 0 {
        return Err(Error::runtime(format!(
            "Invalid request to unpack with offset of {} and limit of {}.",
            offset as i32, len as i32
        )));
    } else if offset as u64 > len as u64 {
        return Err(Error::runtime(format!(
            "Start offset {} greater than input length {}.",
            offset as i32, len as i32
        )));
    }
    let limit = if decode_all {
        i64::from(i32::MAX)
    } else {
        limit
    };
    let mut decoder = Decoder {
        data: &bufs.data,
        pos: offset as usize,
        stack: &mut bufs.stack,
        items: &mut bufs.items,
        pairs: &mut bufs.pairs,
        layouts: &mut bufs.layouts,
        strings: &mut bufs.strings,
        work: 0,
    };
    let mut results = Vec::new();
    while decoder.left() > 0 && (results.len() as i64) < limit {
        match decoder.object(ctx, base_slots + results.len()) {
            Ok(value) => results.push(value),
            Err(DecodeError::Eof) => return Err(Error::runtime("Missing bytes in input.")),
            Err(DecodeError::BadFormat) => {
                return Err(Error::runtime("Bad data format in input."));
            }
            Err(DecodeError::Raised(e)) => return Err(e),
        }
    }
    ctx.charge(decoder.work)?;
    if !decode_all {
        check_stack(base_slots + results.len(), 1, "in function mp_unpack_full")?;
        let next = if decoder.left() == 0 {
            -1.0
        } else {
            decoder.pos as f64
        };
        results.insert(0, Value::Number(next));
    }
    ctx.ret(&results)
}
