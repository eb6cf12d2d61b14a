//! `cmsgpack.pack`'s encoder: lua-cmsgpack's choice of encodings, and its walk over nested
//! tables kept in an explicit stack of open tables ([`EncodeFrame`]), at most
//! [`MAX_NESTING`] deep. Each table's pairs are read at once when it opens, into a buffer the
//! open tables share.
//!
//! Invariant: the walk counts the Lua stack slots the C code would hold at each step, so its
//! `luaL_checkstack` errors come where Redis raises them.

use ferrous_heap::{Heap, TableHandle};
use ferrous_vm::{Ctx, Error, Result, Value, Vm};

use super::check_stack;
use crate::libs::structlib::{MAX_OUTPUT, c_i64};

/// `LUACMSGPACK_MAX_NESTING`: tables this deep encode as nil.
const MAX_NESTING: usize = 16;

/// An open table of the encoder. Its pairs were read at once into the encoder's `pairs`
/// (`HeapTransaction::pairs_into`, in `next` order: nothing changes the table while it is
/// encoded) from `start` on; the rest of them wait there while a child is encoded.
pub(super) struct EncodeFrame {
    /// Where the table's pairs start in `pairs` (dropped from there when it is done).
    start: usize,
    /// The next pair to encode.
    next: usize,
    /// Array: the values only. Map: the key, then (`value_next`) the value.
    is_array: bool,
    value_next: bool,
    slots: usize,
    level: usize,
}

/// The encoder of one `pack` call: the output and the open tables.
pub(super) struct Encoder {
    pub(super) out: Vec<u8>,
    stack: Vec<EncodeFrame>,
    /// The pairs of the open tables.
    pairs: Vec<(Value, Value)>,
    /// Items encoded since fuel was last charged.
    pub(super) items: u64,
    /// An output length known to be within the memory cap (the heap does not change during
    /// an encode, so every shorter length is too).
    room_upto: usize,
}

/// The buffers an [`Encoder`] uses, kept between calls.
#[derive(Default)]
pub(super) struct EncodeBufs {
    pub(super) out: Vec<u8>,
    pub(super) stack: Vec<EncodeFrame>,
    pub(super) pairs: Vec<(Value, Value)>,
}

impl Encoder {
    /// An encoder writing to `bufs.out` (emptied), with the rest of `bufs` (emptied) for its
    /// open tables: buffers a caller keeps between calls.
    pub(super) fn new(mut bufs: EncodeBufs) -> Encoder {
        bufs.out.clear();
        bufs.stack.clear();
        bufs.pairs.clear();
        Encoder {
            out: bufs.out,
            stack: bufs.stack,
            pairs: bufs.pairs,
            items: 0,
            room_upto: 0,
        }
    }

    /// The buffers back, emptied of Lua values, for the next call.
    pub(super) fn into_buffers(mut self) -> EncodeBufs {
        self.stack.clear();
        self.pairs.clear();
        EncodeBufs {
            out: self.out,
            stack: self.stack,
            pairs: self.pairs,
        }
    }

    /// Refuses an output of `len` bytes past the memory cap (exactly as checking every length
    /// would, asking the heap only when `len` passes the length last found within the cap).
    #[inline(always)]
    fn room(&mut self, heap: &Heap, len: usize) -> Result<()> {
        if len <= self.room_upto {
            return Ok(());
        }
        self.more_room(heap, len)
    }

    /// [`Encoder::room`] past `room_upto`: asks for twice as much at once, then for `len`.
    #[cold]
    #[inline(never)]
    fn more_room(&mut self, heap: &Heap, len: usize) -> Result<()> {
        if len > MAX_OUTPUT {
            return Err(Error::OutOfMemory);
        }
        let ahead = len.max(self.room_upto.saturating_mul(2)).min(MAX_OUTPUT);
        if heap.can_allocate(ahead) {
            self.room_upto = ahead;
        } else if heap.can_allocate(len) {
            self.room_upto = len;
        } else {
            return Err(Error::OutOfMemory);
        }
        Ok(())
    }

    /// Encodes `value`, the top of a frame of `slots` stack slots, at nesting `level`; a table
    /// opens a frame that [`Encoder::run`] finishes. Always inlined (into `run`'s loop).
    #[inline(always)]
    pub(super) fn encode(
        &mut self,
        vm: &mut Vm,
        value: Value,
        level: usize,
        slots: usize,
    ) -> Result<()> {
        self.items += 1;
        match value {
            Value::String(s) => {
                let heap = &*vm.heap();
                let bytes = heap.str_bytes(s)?;
                let len = bytes.len();
                self.room(
                    heap,
                    self.out.len().saturating_add(len + str_header_len(len)),
                )?;
                put_str_header(&mut self.out, len);
                self.out.extend_from_slice(bytes);
                self.items += len as u64 / 16;
                Ok(())
            }
            Value::Boolean(b) => {
                self.out.push(if b { 0xc3 } else { 0xc2 });
                self.room(vm.heap(), self.out.len())
            }
            Value::Number(n) => {
                put_number(&mut self.out, n);
                self.room(vm.heap(), self.out.len())
            }
            Value::Table(table) if level < MAX_NESTING => self.open_table(vm, table, level, slots),
            _ => {
                self.out.push(0xc0);
                self.room(vm.heap(), self.out.len())
            }
        }
    }

    /// `mp_encode_lua_table`: an array if the keys are exactly `1..n`, else a map.
    fn open_table(
        &mut self,
        vm: &mut Vm,
        table: TableHandle,
        level: usize,
        slots: usize,
    ) -> Result<()> {
        check_stack(slots, 2, "in function table_is_an_array")?;
        let start = self.pairs.len();
        vm.heap().tx().pairs_into(table, &mut self.pairs)?;
        let pairs = self.pairs.get(start..).unwrap_or_default();
        // The key must be a number whose `int` cast is itself and positive.
        let array_key = |key: &Value| match *key {
            // In that range, `n as i64` is exact for integers only.
            Value::Number(n) if n > 0.0 && n <= f64::from(i32::MAX) && (n as i64) as f64 == n => {
                Some(n as i64)
            }
            _ => None,
        };
        let mut max = 0i64;
        let mut walked = 0u64;
        let mut is_array = true;
        for (key, _) in pairs {
            walked += 1;
            match array_key(key) {
                Some(n) => max = max.max(n),
                None => {
                    is_array = false;
                    break;
                }
            }
        }
        self.items += walked;
        let count = pairs.len();
        if is_array && max == count as i64 {
            check_stack(slots, 1, "in function mp_encode_lua_table_as_array")?;
            // The keys are exactly `1..=count`, so `#t` is `count`; the values go in key
            // order, which is `next` order unless some of them sit in the hash part.
            let in_order = (1..)
                .zip(pairs)
                .all(|(i, (key, _))| *key == Value::Number(f64::from(i)));
            if !in_order {
                self.pairs.truncate(start);
                let tx = vm.heap().tx();
                let len = tx.len(table)?;
                for i in 1..=len {
                    let value = tx.raw_get_int(table, i as i64)?;
                    self.pairs.push((Value::Nil, value));
                }
            }
            let len = self.pairs.len() - start;
            put_container_header(&mut self.out, len as u64, 0x90, 0xdc);
            self.room(vm.heap(), self.out.len())?;
        } else {
            check_stack(slots, 3, "in function mp_encode_lua_table_as_map")?;
            self.items += count as u64;
            put_container_header(&mut self.out, count as u64, 0x80, 0xde);
            self.room(vm.heap(), self.out.len())?;
        }
        self.stack.push(EncodeFrame {
            start,
            next: start,
            is_array: is_array && max == count as i64,
            value_next: false,
            slots: slots + 1,
            level: level + 1,
        });
        Ok(())
    }

    /// Encodes the items of the open tables until none is left.
    pub(super) fn run(&mut self, ctx: &mut Ctx<'_>) -> Result<()> {
        while let Some(frame) = self.stack.last_mut() {
            let Some(&(key, value)) = self.pairs.get(frame.next) else {
                self.pairs.truncate(frame.start);
                self.stack.pop();
                continue;
            };
            let (item, level, slots) = if frame.is_array {
                frame.next += 1;
                (value, frame.level, frame.slots)
            } else if frame.value_next {
                // The key is still on the C stack while the value is encoded.
                frame.value_next = false;
                frame.next += 1;
                (value, frame.level, frame.slots + 1)
            } else {
                // Key and value, then the copy of the key being encoded.
                frame.value_next = true;
                (key, frame.level, frame.slots + 2)
            };
            self.encode(ctx.vm(), item, level, slots)?;
            if self.items >= 1024 {
                ctx.charge(self.items)?;
                self.items = 0;
            }
        }
        Ok(())
    }
}

/// Appends `tag` and the bytes of `payload` (a fixed size, so no copy loop or call).
#[inline(always)]
fn put_tagged<const N: usize>(out: &mut Vec<u8>, tag: u8, payload: [u8; N]) {
    out.push(tag);
    out.extend_from_slice(&payload);
}

/// The length of [`put_str_header`]'s header for a string of `len` bytes.
fn str_header_len(len: usize) -> usize {
    match len {
        0..32 => 1,
        32..=0xff => 2,
        0x100..=0xffff => 3,
        _ => 5,
    }
}

/// Appends the header of a string of `len` bytes (fixstr, str 8, str 16, str 32).
#[inline(always)]
fn put_str_header(out: &mut Vec<u8>, len: usize) {
    if len < 32 {
        out.push(0xa0 | len as u8);
    } else if len <= 0xff {
        put_tagged(out, 0xd9, [len as u8]);
    } else if len <= 0xffff {
        put_tagged(out, 0xda, (len as u16).to_be_bytes());
    } else {
        put_tagged(out, 0xdb, (len as u32).to_be_bytes());
    }
}

/// Appends the header of an array (`fix` 0x90, `x16` 0xdc) or a map (0x80, 0xde) of `n`
/// items.
fn put_container_header(out: &mut Vec<u8>, n: u64, fix: u8, x16: u8) {
    if n <= 15 {
        out.push(fix | n as u8);
    } else if n <= 0xffff {
        put_tagged(out, x16, (n as u16).to_be_bytes());
    } else {
        put_tagged(out, x16 + 1, (n as u32).to_be_bytes());
    }
}

/// `mp_encode_lua_number`: an integer when `(int64_t)n == n`, else float32 if exact, else
/// float64.
#[inline]
fn put_number(out: &mut Vec<u8>, n: f64) {
    let i = c_i64(n);
    if n.is_finite() && i as f64 == n {
        return put_int(out, i);
    }
    let f = n as f32;
    if f64::from(f) == n {
        put_tagged(out, 0xca, f.to_be_bytes());
    } else {
        put_tagged(out, 0xcb, n.to_be_bytes());
    }
}

/// `mp_encode_int`: the smallest encoding of `n`.
#[inline]
fn put_int(out: &mut Vec<u8>, n: i64) {
    if n >= 0 {
        if n <= 127 {
            out.push(n as u8);
        } else if n <= 0xff {
            put_tagged(out, 0xcc, [n as u8]);
        } else if n <= 0xffff {
            put_tagged(out, 0xcd, (n as u16).to_be_bytes());
        } else if n <= 0xffff_ffff {
            put_tagged(out, 0xce, (n as u32).to_be_bytes());
        } else {
            put_tagged(out, 0xcf, (n as u64).to_be_bytes());
        }
    } else if n >= -32 {
        out.push(n as u8);
    } else if n >= -128 {
        put_tagged(out, 0xd0, [n as u8]);
    } else if n >= -32768 {
        put_tagged(out, 0xd1, (n as i16).to_be_bytes());
    } else if n >= -2_147_483_648 {
        put_tagged(out, 0xd2, (n as i32).to_be_bytes());
    } else {
        put_tagged(out, 0xd3, n.to_be_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes `put` appends to an empty buffer.
    fn bytes(put: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
        let mut out = Vec::new();
        put(&mut out);
        out
    }

    #[test]
    fn encodings() {
        assert_eq!(bytes(|o| put_number(o, 1.5)), [0xca, 0x3f, 0xc0, 0, 0]);
        assert_eq!(bytes(|o| put_number(o, -0.0)), [0]);
        let mut double = vec![0xcb];
        double.extend_from_slice(&0.1f64.to_be_bytes());
        assert_eq!(bytes(|o| put_number(o, 0.1)), double);
        assert_eq!(bytes(|o| put_int(o, -33)), [0xd0, 0xdf]);
        assert_eq!(bytes(|o| put_int(o, 65536)), [0xce, 0, 1, 0, 0]);
        assert_eq!(
            bytes(|o| put_int(o, -(1 << 40))),
            [0xd3, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0]
        );
        assert_eq!(bytes(|o| put_str_header(o, 40)), [0xd9, 40]);
        assert_eq!(
            bytes(|o| put_container_header(o, 70_000, 0x80, 0xde)),
            [0xdf, 0, 1, 0x11, 0x70]
        );
        for len in [0, 31, 32, 255, 256, 65535, 65536] {
            assert_eq!(bytes(|o| put_str_header(o, len)).len(), str_header_len(len));
        }
    }
}
