//! `cmsgpack.pack`'s encoder: lua-cmsgpack's choice of encodings, and its walk over nested
//! tables kept in an explicit stack of open tables ([`EncodeFrame`]), at most
//! [`MAX_NESTING`] deep.
//!
//! Invariant: the walk counts the Lua stack slots the C code would hold at each step, so its
//! `luaL_checkstack` errors come where Redis raises them.

use ferrous_heap::TableHandle;
use ferrous_vm::{Ctx, Error, Result, Value, Vm};

use super::check_stack;
use crate::libs::structlib::{MAX_OUTPUT, c_i64};

/// `LUACMSGPACK_MAX_NESTING`: tables this deep encode as nil.
const MAX_NESTING: usize = 16;

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
pub(super) struct Encoder {
    pub(super) out: Vec<u8>,
    stack: Vec<EncodeFrame>,
    /// Items encoded since fuel was last charged.
    pub(super) items: u64,
}

impl Encoder {
    pub(super) fn new() -> Encoder {
        Encoder {
            out: Vec::new(),
            stack: Vec::new(),
            items: 0,
        }
    }

    /// Appends bytes, refusing to grow past the memory cap.
    fn append(&mut self, vm: &mut Vm, bytes: &[u8]) -> Result<()> {
        let new_len = self.out.len().saturating_add(bytes.len());
        if new_len > MAX_OUTPUT || !vm.heap().can_allocate(new_len) {
            return Err(Error::OutOfMemory);
        }
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
    ) -> Result<()> {
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
    pub(super) fn run(&mut self, ctx: &mut Ctx<'_>) -> Result<()> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        assert_eq!(number_bytes(1.5), vec![0xca, 0x3f, 0xc0, 0, 0]);
        assert_eq!(number_bytes(-0.0), vec![0]);
        assert_eq!(int_bytes(-33), vec![0xd0, 0xdf]);
        assert_eq!(int_bytes(65536), vec![0xce, 0, 1, 0, 0]);
        assert_eq!(str_header(40), vec![0xd9, 40]);
    }
}
