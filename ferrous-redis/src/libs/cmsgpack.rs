//! The `cmsgpack` library as Redis 7.0 bundles it (lua-cmsgpack 0.4.0 with Redis's patches,
//! `deps/lua/src/lua_cmsgpack.c`): `pack`, `unpack`, `unpack_one`, `unpack_limit`, and the
//! `_NAME`, `_VERSION`, `_COPYRIGHT`, `_DESCRIPTION` fields.
//!
//! Encoding follows lua-cmsgpack's choices: a number equal to its `int64_t` cast is the
//! smallest integer encoding, else a float32 when that is exact, else a float64; a table whose
//! keys are exactly `1..n` (its `table_is_an_array`) is an array, any other table a map in
//! `next` order; tables nested 16 deep (`LUACMSGPACK_MAX_NESTING`) encode as nil; functions,
//! userdata, threads and nil encode as nil. Decoding knows the types 0.4.0 knows (fixint,
//! int/uint 8..64, nil, booleans, float32/64, fixstr and str 8/16/32, arrays and maps): the
//! others (bin, ext, 0xc1) are `Bad data format in input.`. `uint 64` goes through
//! `lua_pushinteger`, so values from 2^63 up come back negative, as in Redis.
//!
//! Invariants: neither direction recurses in Rust: the encoder's nesting is bounded by 16 and
//! kept in an explicit stack ([`Encoder`]), the decoder keeps its open containers in an explicit
//! stack ([`Decoder`]). Both count the Lua stack slots the C code would use, so the
//! `stack overflow (...)` errors of Lua 5.1's 8000-slot limit for natives come exactly where
//! Redis raises them, which also bounds the decoder's depth (about 4000 nested arrays or 8000
//! nested maps). The output buffer never grows past what the heap's memory cap allows nor past
//! [`MAX_OUTPUT`].

use ferrous_heap::TableHandle;
use ferrous_vm::{Ctx, NativeFunction, Ret, RtError, RtResult, Value, Vm};

use crate::libs::structlib::{MAX_C_STACK, MAX_OUTPUT, c_i64};

/// `LUACMSGPACK_MAX_NESTING`: tables this deep encode as nil.
const MAX_NESTING: usize = 16;

const FUNCS: [(&str, NativeFunction); 4] = [
    ("pack", mp_pack),
    ("unpack", mp_unpack),
    ("unpack_one", mp_unpack_one),
    ("unpack_limit", mp_unpack_limit),
];

const FIELDS: [(&str, &str); 4] = [
    ("_NAME", "cmsgpack"),
    ("_VERSION", "lua-cmsgpack 0.4.0"),
    ("_COPYRIGHT", "Copyright (C) 2012, Salvatore Sanfilippo"),
    ("_DESCRIPTION", "MessagePack C implementation for Lua"),
];

/// Opens the library into `vm`'s globals as `cmsgpack`.
pub fn open(vm: &mut Vm) -> RtResult<()> {
    let table = vm.new_table(0, 0)?;
    for (name, func) in FUNCS {
        let key = vm.intern(name.as_bytes())?;
        let value = vm.native(name, func);
        vm.heap().tx().raw_set(table, Value::String(key), value)?;
    }
    for (name, text) in FIELDS {
        let key = vm.intern(name.as_bytes())?;
        let value = vm.intern(text.as_bytes())?;
        vm.heap()
            .tx()
            .raw_set(table, Value::String(key), Value::String(value))?;
    }
    vm.set_global("cmsgpack", Value::Table(table))
}

/// `luaL_checkstack(L, n, msg)` for a frame holding `slots` values.
fn check_stack(slots: usize, n: usize, msg: &str) -> RtResult<()> {
    if slots + n > MAX_C_STACK {
        return Err(RtError::native(format!("stack overflow ({msg})")));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Encoding.

/// An open table of the encoder: the rest of its items wait here while a child is encoded.
enum EncodeFrame {
    /// An array: items `next ..= len` are left.
    Array {
        table: TableHandle,
        next: i64,
        len: i64,
        slots: usize,
        level: usize,
    },
    /// A map: the pair after `key` is next; `value` is set while its key is being encoded.
    Map {
        table: TableHandle,
        key: Value,
        value: Option<Value>,
        slots: usize,
        level: usize,
    },
}

/// The encoder of one `pack` call: the output and the open tables.
struct Encoder {
    out: Vec<u8>,
    stack: Vec<EncodeFrame>,
    /// Items encoded since fuel was last charged.
    items: u64,
}

impl Encoder {
    /// Appends bytes, refusing to grow past the memory cap.
    fn append(&mut self, vm: &mut Vm, bytes: &[u8]) -> RtResult<()> {
        let new_len = self.out.len().saturating_add(bytes.len());
        if new_len > MAX_OUTPUT || !vm.heap().can_allocate(new_len) {
            return Err(RtError::OutOfMemory);
        }
        self.out.extend_from_slice(bytes);
        Ok(())
    }

    /// Encodes `value`, the top of a frame of `slots` stack slots, at nesting `level`; a table
    /// opens a frame that [`Encoder::run`] finishes.
    fn encode(&mut self, vm: &mut Vm, value: Value, level: usize, slots: usize) -> RtResult<()> {
        self.items += 1;
        match value {
            Value::String(s) => {
                let bytes = vm.str_bytes(s)?;
                let len = bytes.len();
                let header = str_header(len);
                let bytes = bytes.to_vec();
                self.append(vm, &header)?;
                self.items += len as u64 / 16;
                self.append(vm, &bytes)
            }
            Value::Boolean(b) => self.append(vm, &[if b { 0xc3 } else { 0xc2 }]),
            Value::Number(n) => self.append(vm, &number_bytes(n)),
            Value::Table(table) if level < MAX_NESTING => self.open_table(vm, table, level, slots),
            _ => self.append(vm, &[0xc0]),
        }
    }

    /// `mp_encode_lua_table`: an array if the keys are exactly `1..n`, else a map.
    fn open_table(
        &mut self,
        vm: &mut Vm,
        table: TableHandle,
        level: usize,
        slots: usize,
    ) -> RtResult<()> {
        check_stack(slots, 2, "in function table_is_an_array")?;
        let heap = vm.heap();
        let (mut count, mut max, mut is_array) = (0i64, 0i64, true);
        let mut key = Value::Nil;
        while let Some((k, _)) = heap.next(table, key)? {
            key = k;
            count += 1;
            // The key must be a number whose `int` cast is itself and positive.
            match k {
                Value::Number(n) if n > 0.0 && n <= f64::from(i32::MAX) && n.fract() == 0.0 => {
                    max = max.max(n as i64);
                }
                _ => {
                    is_array = false;
                    break;
                }
            }
        }
        self.items += count as u64;
        if is_array && max == count {
            check_stack(slots, 1, "in function mp_encode_lua_table_as_array")?;
            let len = vm.heap().len(table)?;
            self.append(vm, &container_header(len as u64, 0x90, 0xdc))?;
            self.stack.push(EncodeFrame::Array {
                table,
                next: 1,
                len: len as i64,
                slots: slots + 1,
                level: level + 1,
            });
        } else {
            check_stack(slots, 3, "in function mp_encode_lua_table_as_map")?;
            let heap = vm.heap();
            let mut len = 0u64;
            let mut key = Value::Nil;
            while let Some((k, _)) = heap.next(table, key)? {
                key = k;
                len += 1;
            }
            self.items += len;
            self.append(vm, &container_header(len, 0x80, 0xde))?;
            self.stack.push(EncodeFrame::Map {
                table,
                key: Value::Nil,
                value: None,
                slots: slots + 1,
                level: level + 1,
            });
        }
        Ok(())
    }

    /// Encodes the items of the open tables until none is left.
    fn run(&mut self, ctx: &mut Ctx<'_>) -> RtResult<()> {
        while let Some(frame) = self.stack.last_mut() {
            let (value, level, slots) = match frame {
                EncodeFrame::Array {
                    table,
                    next,
                    len,
                    slots,
                    level,
                } => {
                    if *next > *len {
                        self.stack.pop();
                        continue;
                    }
                    let value = ctx.vm().heap().raw_get_int(*table, *next)?;
                    *next += 1;
                    (value, *level, *slots)
                }
                EncodeFrame::Map {
                    table,
                    key,
                    value,
                    slots,
                    level,
                } => {
                    if let Some(v) = value.take() {
                        // The key is still on the C stack while the value is encoded.
                        (v, *level, *slots + 1)
                    } else {
                        match ctx.vm().heap().next(*table, *key)? {
                            None => {
                                self.stack.pop();
                                continue;
                            }
                            Some((k, v)) => {
                                *key = k;
                                *value = Some(v);
                                // Key and value, then the copy of the key being encoded.
                                (k, *level, *slots + 2)
                            }
                        }
                    }
                }
            };
            self.encode(ctx.vm(), value, level, slots)?;
            if self.items >= 1024 {
                ctx.charge(self.items)?;
                self.items = 0;
            }
        }
        Ok(())
    }
}

/// The header of a string of `len` bytes (fixstr, str 8, str 16, str 32).
fn str_header(len: usize) -> Vec<u8> {
    if len < 32 {
        vec![0xa0 | len as u8]
    } else if len <= 0xff {
        vec![0xd9, len as u8]
    } else if len <= 0xffff {
        let mut header = vec![0xda];
        header.extend_from_slice(&(len as u16).to_be_bytes());
        header
    } else {
        let mut header = vec![0xdb];
        header.extend_from_slice(&(len as u32).to_be_bytes());
        header
    }
}

/// The header of an array (`fix` 0x90, `x16` 0xdc) or a map (0x80, 0xde) of `n` items.
fn container_header(n: u64, fix: u8, x16: u8) -> Vec<u8> {
    if n <= 15 {
        vec![fix | n as u8]
    } else if n <= 0xffff {
        let mut header = vec![x16];
        header.extend_from_slice(&(n as u16).to_be_bytes());
        header
    } else {
        let mut header = vec![x16 + 1];
        header.extend_from_slice(&(n as u32).to_be_bytes());
        header
    }
}

/// `mp_encode_lua_number`: an integer when `(int64_t)n == n`, else float32 if exact, else
/// float64.
fn number_bytes(n: f64) -> Vec<u8> {
    let i = c_i64(n);
    if n.is_finite() && i as f64 == n {
        return int_bytes(i);
    }
    let f = n as f32;
    let mut out = Vec::with_capacity(9);
    if f64::from(f) == n {
        out.push(0xca);
        out.extend_from_slice(&f.to_be_bytes());
    } else {
        out.push(0xcb);
        out.extend_from_slice(&n.to_be_bytes());
    }
    out
}

/// `mp_encode_int`: the smallest encoding of `n`.
fn int_bytes(n: i64) -> Vec<u8> {
    let mut out = Vec::with_capacity(9);
    if n >= 0 {
        if n <= 127 {
            out.push(n as u8);
        } else if n <= 0xff {
            out.extend_from_slice(&[0xcc, n as u8]);
        } else if n <= 0xffff {
            out.push(0xcd);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        } else if n <= 0xffff_ffff {
            out.push(0xce);
            out.extend_from_slice(&(n as u32).to_be_bytes());
        } else {
            out.push(0xcf);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
    } else if n >= -32 {
        out.push(n as u8);
    } else if n >= -128 {
        out.extend_from_slice(&[0xd0, n as u8]);
    } else if n >= -32768 {
        out.push(0xd1);
        out.extend_from_slice(&(n as i16).to_be_bytes());
    } else if n >= -2_147_483_648 {
        out.push(0xd2);
        out.extend_from_slice(&(n as i32).to_be_bytes());
    } else {
        out.push(0xd3);
        out.extend_from_slice(&n.to_be_bytes());
    }
    out
}

/// `cmsgpack.pack(...)`: the encodings of all arguments, concatenated.
fn mp_pack(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
    let nargs = ctx.nargs();
    if nargs == 0 {
        return Err(RtError::arg(0, "MessagePack pack needs input."));
    }
    // `lua_checkstack(L, nargs)` on a frame that already holds the arguments.
    if nargs > MAX_C_STACK || nargs + nargs > MAX_C_STACK {
        return Err(RtError::arg(0, "Too many arguments for MessagePack pack."));
    }
    let mut encoder = Encoder {
        out: Vec::new(),
        stack: Vec::new(),
        items: 0,
    };
    for i in 1..=nargs {
        // The argument's copy sits above the arguments and the encodings made so far.
        let value = ctx.arg(i);
        encoder.encode(ctx.vm(), value, 0, nargs + i)?;
        encoder.run(ctx)?;
    }
    ctx.charge(encoder.items + encoder.out.len() as u64 / 16)?;
    ctx.push_bytes(&encoder.out)?;
    Ok(Ret::values(1))
}

// ---------------------------------------------------------------------------------------------
// Decoding.

/// Why decoding stopped.
enum DecodeError {
    /// `MP_CUR_ERROR_EOF`: the input ended inside an object.
    Eof,
    /// `MP_CUR_ERROR_BADFMT`: a type byte this version does not know.
    BadFormat,
    /// An error raised on the spot (stack overflow, table index, memory).
    Raised(RtError),
}

impl From<RtError> for DecodeError {
    fn from(err: RtError) -> Self {
        DecodeError::Raised(err)
    }
}

impl From<ferrous_heap::HeapError> for DecodeError {
    fn from(err: ferrous_heap::HeapError) -> Self {
        DecodeError::Raised(err.into())
    }
}

/// An open container of the decoder.
enum DecodeFrame {
    /// An array whose item `index` comes next, `left` items to go.
    Array {
        table: TableHandle,
        index: i64,
        left: u64,
        slots: usize,
    },
    /// A map with `left` pairs to go; `key` is set while its value is decoded.
    Map {
        table: TableHandle,
        key: Option<Value>,
        left: u64,
        slots: usize,
    },
}

/// What one type byte (and its length fields) starts.
enum Item {
    Value(Value),
    Array(u64),
    Map(u64),
}

/// The decoder's cursor over a copy of the input, and its open containers.
struct Decoder {
    data: Vec<u8>,
    pos: usize,
    stack: Vec<DecodeFrame>,
    /// Work done since fuel was last charged.
    work: u64,
}

impl Decoder {
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
        let s = vm.intern(&self.data[start..start + len])?;
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
                    let table = ctx.vm().new_table(0, 0)?;
                    check_stack(slots + 1, 1, "in function mp_decode_to_lua_array")?;
                    if len > 0 {
                        self.stack.push(DecodeFrame::Array {
                            table,
                            index: 1,
                            left: len,
                            slots,
                        });
                        // The table and the index are on the stack under the item.
                        slots += 2;
                        continue;
                    }
                    Value::Table(table)
                }
                Item::Map(len) => {
                    let table = ctx.vm().new_table(0, 0)?;
                    if len > 0 {
                        self.stack.push(DecodeFrame::Map {
                            table,
                            key: None,
                            left: len,
                            slots,
                        });
                        slots += 1;
                        continue;
                    }
                    Value::Table(table)
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
                        table,
                        index,
                        left,
                        slots: base,
                    }) => {
                        let table = *table;
                        ctx.vm()
                            .heap()
                            .tx()
                            .raw_set(table, Value::Number(*index as f64), value)?;
                        *index += 1;
                        *left -= 1;
                        if *left > 0 {
                            slots = *base + 2;
                            break;
                        }
                    }
                    Some(DecodeFrame::Map {
                        table,
                        key,
                        left,
                        slots: base,
                    }) => {
                        let Some(k) = key.take() else {
                            *key = Some(value);
                            slots = *base + 2;
                            break;
                        };
                        let table = *table;
                        match k {
                            Value::Nil => return Err(raw_error(ctx, "table index is nil")),
                            Value::Number(n) if n.is_nan() => {
                                return Err(raw_error(ctx, "table index is NaN"));
                            }
                            _ => {}
                        }
                        ctx.vm().heap().tx().raw_set(table, k, value)?;
                        *left -= 1;
                        if *left > 0 {
                            slots = *base + 1;
                            break;
                        }
                    }
                }
                if let Some(DecodeFrame::Array { table, .. } | DecodeFrame::Map { table, .. }) =
                    self.stack.pop()
                {
                    value = Value::Table(table);
                }
            }
        }
    }
}

/// An error raised by the Lua core inside a native (`luaG_runerror` with no Lua function
/// running): the message without a position.
fn raw_error(ctx: &mut Ctx<'_>, msg: &str) -> DecodeError {
    match ctx.vm().intern(msg.as_bytes()) {
        Ok(s) => DecodeError::Raised(RtError::Value(Value::String(s))),
        Err(e) => DecodeError::Raised(e),
    }
}

/// `mp_unpack_full`: decodes up to `limit` objects from `offset` (all of them when both are 0)
/// out of argument 1, in a frame that holds `base_slots` arguments.
fn unpack_full(ctx: &mut Ctx<'_>, limit: i64, offset: i64, base_slots: usize) -> RtResult<Ret> {
    let s = ctx.check_string(1)?;
    let data = ctx.vm().str_bytes(s)?.to_vec();
    let len = data.len();
    ctx.charge(len as u64 / 16)?;
    let decode_all = limit == 0 && offset == 0;
    if offset < 0 || limit < 0 {
        return Err(RtError::native(format!(
            "Invalid request to unpack with offset of {} and limit of {}.",
            offset as i32, len as i32
        )));
    } else if offset as u64 > len as u64 {
        return Err(RtError::native(format!(
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
        data,
        pos: offset as usize,
        stack: Vec::new(),
        work: 0,
    };
    let mut results = Vec::new();
    while decoder.left() > 0 && (results.len() as i64) < limit {
        match decoder.object(ctx, base_slots + results.len()) {
            Ok(value) => results.push(value),
            Err(DecodeError::Eof) => return Err(RtError::native("Missing bytes in input.")),
            Err(DecodeError::BadFormat) => {
                return Err(RtError::native("Bad data format in input."));
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

/// `cmsgpack.unpack(s)`: every object in `s`.
fn mp_unpack(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
    let nargs = ctx.nargs().max(1);
    unpack_full(ctx, 0, 0, nargs)
}

/// `cmsgpack.unpack_one(s [, offset])`: the next offset (-1 at the end), then one object.
fn mp_unpack_one(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
    let offset = ctx.opt_integer(2, 0)?;
    unpack_full(ctx, 1, offset, 1)
}

/// `cmsgpack.unpack_limit(s, limit [, offset])`: the next offset, then up to `limit` objects.
fn mp_unpack_limit(ctx: &mut Ctx<'_>) -> RtResult<Ret> {
    let limit = ctx.check_integer(2)?;
    let offset = ctx.opt_integer(3, 0)?;
    unpack_full(ctx, limit, offset, 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::libs::bit::test_support::{check_cases, eval};

    fn cmsgpack_open(vm: &mut Vm) -> RtResult<()> {
        open(vm)
    }

    #[test]
    fn encodings() {
        assert_eq!(number_bytes(1.5), vec![0xca, 0x3f, 0xc0, 0, 0]);
        assert_eq!(number_bytes(-0.0), vec![0]);
        assert_eq!(int_bytes(-33), vec![0xd0, 0xdf]);
        assert_eq!(int_bytes(65536), vec![0xce, 0, 1, 0, 0]);
        assert_eq!(str_header(40), vec![0xd9, 40]);
    }

    #[test]
    fn deep_nesting_is_bounded() {
        // 100,000 nested arrays: Redis stops at its stack limit; so do we, without recursion.
        let script = "local ok, e = pcall(cmsgpack.unpack, string.rep('\\145', 100000) .. '\\1') \
                      return e";
        assert_eq!(
            eval(script, cmsgpack_open),
            "\"stack overflow (in function mp_decode_to_lua_array)\""
        );
        let script = "local t = {} for i = 1, 100000 do t = {t} end \
                      return #cmsgpack.pack(t)";
        assert_eq!(eval(script, cmsgpack_open), "(integer) 17");
    }

    #[test]
    fn huge_inputs_are_clean_errors() {
        // 100,000 arguments, from the host (a script's `unpack` refuses that many).
        let mut vm = Vm::builder().profile(ferrous_vm::Profile::Sandbox).build();
        open(&mut vm).unwrap();
        let get = vm.load(b"return cmsgpack.pack", "=test").unwrap();
        let pack = vm.call(get, &[]).unwrap()[0];
        let args = vec![Value::Number(1.0); 100_000];
        let err = vm.call(pack, &args).unwrap_err();
        assert!(
            err.to_string()
                .ends_with("(Too many arguments for MessagePack pack.)")
        );
        // Shared subtables make the encoding exponential: the memory cap stops it.
        let mut vm = Vm::builder()
            .profile(ferrous_vm::Profile::Sandbox)
            .memory_limit(Some(64 << 20))
            .build();
        open(&mut vm).unwrap();
        let script = "local t = string.rep('x', 100000) for i = 1, 15 do t = {t, t} end \
                      local ok, e = pcall(cmsgpack.pack, t) return e";
        assert_eq!(
            crate::libs::bit::test_support::run(&mut vm, script),
            "\"not enough memory\""
        );
    }

    #[test]
    fn transcript_cases() {
        let failures = check_cases(include_str!("../../tests/cases/cmsgpack.toml"));
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
