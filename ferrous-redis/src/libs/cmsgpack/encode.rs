//! `cmsgpack.pack`'s encoder: lua-cmsgpack's choice of encodings, and its walk over nested
//! tables kept in an explicit stack of open tables ([`EncodeFrame`]), at most
//! [`MAX_NESTING`] deep. Each table's pairs are read at once when it opens, into a buffer the
//! open tables share.
//!
//! Invariant: the walk counts the Lua stack slots the C code would hold at each step, so its
//! `luaL_checkstack` errors come where Redis raises them.

use ferrous_heap::TableHandle;
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

    /// Refuses to grow the output by `extra` bytes past the memory cap.
    #[inline]
    fn room(&mut self, vm: &mut Vm, extra: usize) -> Result<()> {
        let new_len = self.out.len().saturating_add(extra);
        if new_len > MAX_OUTPUT || !vm.heap().can_allocate(new_len) {
            return Err(Error::OutOfMemory);
        }
        Ok(())
    }

    /// Appends bytes, refusing to grow past the memory cap.
    #[inline]
    fn append(&mut self, vm: &mut Vm, bytes: &[u8]) -> Result<()> {
        self.room(vm, bytes.len())?;
        self.out.extend_from_slice(bytes);
        Ok(())
    }

    /// Encodes `value`, the top of a frame of `slots` stack slots, at nesting `level`; a table
    /// opens a frame that [`Encoder::run`] finishes.
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
                let header = str_header(bytes.len());
                let new_len = self
                    .out
                    .len()
                    .saturating_add(header.len() + bytes.len());
                if new_len > MAX_OUTPUT || !heap.can_allocate(new_len) {
                    return Err(Error::OutOfMemory);
                }
                self.out.extend_from_slice(&header);
                self.out.extend_from_slice(bytes);
                self.items += bytes.len() as u64 / 16;
                Ok(())
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
            self.append(vm, &container_header(len as u64, 0x90, 0xdc))?;
        } else {
            check_stack(slots, 3, "in function mp_encode_lua_table_as_map")?;
            self.items += count as u64;
            self.append(vm, &container_header(count as u64, 0x80, 0xde))?;
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

/// A few bytes built on the stack: a header or a number's encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Bytes {
    buf: [u8; 9],
    len: u8,
}

impl Bytes {
    fn new(tag: u8, payload: &[u8]) -> Bytes {
        let mut buf = [0u8; 9];
        buf[0] = tag;
        let len = 1 + payload.len().min(8);
        if let Some(dst) = buf.get_mut(1..len) {
            dst.copy_from_slice(payload.get(..len - 1).unwrap_or_default());
        }
        Bytes {
            buf,
            len: len as u8,
        }
    }
}

impl std::ops::Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        self.buf.get(..usize::from(self.len)).unwrap_or_default()
    }
}

/// The header of a string of `len` bytes (fixstr, str 8, str 16, str 32).
fn str_header(len: usize) -> Bytes {
    if len < 32 {
        Bytes::new(0xa0 | len as u8, &[])
    } else if len <= 0xff {
        Bytes::new(0xd9, &[len as u8])
    } else if len <= 0xffff {
        Bytes::new(0xda, &(len as u16).to_be_bytes())
    } else {
        Bytes::new(0xdb, &(len as u32).to_be_bytes())
    }
}

/// The header of an array (`fix` 0x90, `x16` 0xdc) or a map (0x80, 0xde) of `n` items.
fn container_header(n: u64, fix: u8, x16: u8) -> Bytes {
    if n <= 15 {
        Bytes::new(fix | n as u8, &[])
    } else if n <= 0xffff {
        Bytes::new(x16, &(n as u16).to_be_bytes())
    } else {
        Bytes::new(x16 + 1, &(n as u32).to_be_bytes())
    }
}

/// `mp_encode_lua_number`: an integer when `(int64_t)n == n`, else float32 if exact, else
/// float64.
fn number_bytes(n: f64) -> Bytes {
    let i = c_i64(n);
    if n.is_finite() && i as f64 == n {
        return int_bytes(i);
    }
    let f = n as f32;
    if f64::from(f) == n {
        Bytes::new(0xca, &f.to_be_bytes())
    } else {
        Bytes::new(0xcb, &n.to_be_bytes())
    }
}

/// `mp_encode_int`: the smallest encoding of `n`.
fn int_bytes(n: i64) -> Bytes {
    if n >= 0 {
        if n <= 127 {
            Bytes::new(n as u8, &[])
        } else if n <= 0xff {
            Bytes::new(0xcc, &[n as u8])
        } else if n <= 0xffff {
            Bytes::new(0xcd, &(n as u16).to_be_bytes())
        } else if n <= 0xffff_ffff {
            Bytes::new(0xce, &(n as u32).to_be_bytes())
        } else {
            Bytes::new(0xcf, &(n as u64).to_be_bytes())
        }
    } else if n >= -32 {
        Bytes::new(n as u8, &[])
    } else if n >= -128 {
        Bytes::new(0xd0, &[n as u8])
    } else if n >= -32768 {
        Bytes::new(0xd1, &(n as i16).to_be_bytes())
    } else if n >= -2_147_483_648 {
        Bytes::new(0xd2, &(n as i32).to_be_bytes())
    } else {
        Bytes::new(0xd3, &n.to_be_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        assert_eq!(&*number_bytes(1.5), &[0xca, 0x3f, 0xc0, 0, 0]);
        assert_eq!(&*number_bytes(-0.0), &[0]);
        let mut double = vec![0xcb];
        double.extend_from_slice(&0.1f64.to_be_bytes());
        assert_eq!(&*number_bytes(0.1), &double[..]);
        assert_eq!(&*int_bytes(-33), &[0xd0, 0xdf]);
        assert_eq!(&*int_bytes(65536), &[0xce, 0, 1, 0, 0]);
        assert_eq!(
            &*int_bytes(-(1 << 40)),
            &[0xd3, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0]
        );
        assert_eq!(&*str_header(40), &[0xd9, 40]);
        assert_eq!(
            &*container_header(70_000, 0x80, 0xde),
            &[0xdf, 0, 1, 0x11, 0x70]
        );
    }
}
