//! The `struct` library as Redis 7.0 bundles it (Roberto Ierusalimschy's struct 1.7 with Redis's
//! patches, `deps/lua/src/lua_struct.c`): `struct.pack`, `struct.unpack` and `struct.size`.
//!
//! A format is read up to its first NUL byte, one option at a time: `>` `<` (endianness, little
//! by default), `![n]` (maximum alignment, default 8), `x` (a zero byte), `b B h H l L T i[n]
//! I[n]` (integers of 1, 2, 8, 8 and n bytes, n <= 32, default 4), `f d` (IEEE floats), `c[n]`
//! (n bytes of a string; `c0` packs the whole string, and unpacks as many bytes as the previous
//! result said), `s` (a NUL-terminated string) and ` ` (ignored). The sizes are x86-64 Linux's:
//! `long` and `size_t` are 8 bytes.
//!
//! The C code's machine behaviour is reproduced where scripts can see it: numbers become 64-bit
//! integers through x86-64's conversions ([`c_u64`]), integers wider than 8 bytes keep only
//! their low 8 bytes, and the sign mask of `i0`/`i9`..`i32` is built with the shift count
//! reduced modulo 64 as the `shl` instruction does.
//!
//! Invariants: positions are `u64` with the C code's wrapping arithmetic, and every read is
//! bounds-checked first (CVE-2018-11218/11219: offsets past the end or negative are `data string
//! too short`); a size in a format that overflows an `int` is `integral size overflow`
//! (CVE-2020-14147). As in Lua 5.1, `unpack` stops with `stack overflow (too many results)`
//! before its frame passes `LUAI_MAXCSTACK` (8000) slots.

use ferrous_vm::{Ctx, Error, NativeFunction, Result, Ret, Value, Vm};

/// Lua 5.1's `LUAI_MAXCSTACK`: the most stack slots a native's frame may hold.
pub(crate) const MAX_C_STACK: usize = 8000;
/// The longest string `pack` builds (2 GiB): beyond it, `not enough memory`.
pub(crate) const MAX_OUTPUT: usize = 1 << 31;
/// The largest integer size (`MAXINTSIZE`).
const MAX_INT_SIZE: i32 = 32;
/// The default of `!` (`MAXALIGN`: the alignment of `double` on x86-64).
const MAX_ALIGN: i32 = 8;

const FUNCS: [(&str, NativeFunction); 3] = [
    ("pack", struct_pack),
    ("unpack", struct_unpack),
    ("size", struct_size),
];

/// Opens the library into `vm`'s globals as `struct`.
pub fn open(vm: &mut Vm) -> Result<()> {
    let lib = vm.register_library("struct", &FUNCS)?;
    // All leaves (`Vm::mark_leaf`): none runs Lua code or looks at the call stack.
    vm.mark_leaves(lib, FUNCS.iter().map(|&(name, _)| name))
}

/// x86-64's `cvttsd2si`: truncation toward zero, `i64::MIN` for NaN and out-of-range values.
pub(crate) fn c_i64(x: f64) -> i64 {
    if (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&x) {
        x as i64
    } else {
        i64::MIN
    }
}

/// gcc's `(uint64_t)x` on x86-64: values from 2^63 up are converted after subtracting 2^63
/// (so infinity and 2^64 give 0), the rest through [`c_i64`] (so NaN gives 2^63).
pub(crate) fn c_u64(x: f64) -> u64 {
    const TWO_63: f64 = 9.223_372_036_854_776e18;
    if x >= TWO_63 {
        (c_i64(x - TWO_63) as u64) ^ (1 << 63)
    } else {
        c_i64(x) as u64
    }
}

/// The format's state: byte order and maximum alignment.
struct Header {
    little: bool,
    align: u64,
}

impl Header {
    fn new() -> Header {
        Header {
            little: true,
            align: 1,
        }
    }
}

/// A format string and the reading position in it.
struct Format {
    bytes: Vec<u8>,
    pos: usize,
}

impl Format {
    /// The format argument (`luaL_checkstring`), up to its first NUL as C reads it.
    fn check(ctx: &mut Ctx<'_>) -> Result<Format> {
        let mut bytes = ctx.check_bytes(1)?;
        if let Some(nul) = bytes.iter().position(|&b| b == 0) {
            bytes.truncate(nul);
        }
        ctx.charge(bytes.len() as u64 / 16)?;
        Ok(Format { bytes, pos: 0 })
    }

    /// The next option byte.
    fn next_opt(&mut self) -> Option<u8> {
        let opt = *self.bytes.get(self.pos)?;
        self.pos += 1;
        Some(opt)
    }

    /// `getnum`: the decimal number at the reading position, or `default`.
    fn getnum(&mut self, default: i32) -> Result<i32> {
        let mut a: i32 = 0;
        let mut any = false;
        while let Some(&b) = self.bytes.get(self.pos).filter(|b| b.is_ascii_digit()) {
            let digit = i32::from(b - b'0');
            if a > i32::MAX / 10 || a * 10 > i32::MAX - digit {
                return Err(Error::runtime("integral size overflow"));
            }
            a = a * 10 + digit;
            self.pos += 1;
            any = true;
        }
        Ok(if any { a } else { default })
    }

    /// `optsize`: the size of option `opt`, reading its number if it takes one.
    fn optsize(&mut self, opt: u8) -> Result<u64> {
        Ok(match opt {
            b'b' | b'B' | b'x' => 1,
            b'h' | b'H' => 2,
            b'l' | b'L' | b'T' | b'd' => 8,
            b'f' => 4,
            b'c' => self.getnum(1)? as u64,
            b'i' | b'I' => {
                let size = self.getnum(4)?;
                if size > MAX_INT_SIZE {
                    return Err(Error::runtime(format!(
                        "integral size {size} is larger than limit of {MAX_INT_SIZE}"
                    )));
                }
                size as u64
            }
            _ => 0,
        })
    }

    /// `controloptions`: endianness, alignment and blanks; anything else is an error.
    fn control(&mut self, opt: u8, header: &mut Header) -> Result<()> {
        match opt {
            b' ' => {}
            b'>' => header.little = false,
            b'<' => header.little = true,
            b'!' => {
                let align = self.getnum(MAX_ALIGN)?;
                if align <= 0 || align & (align - 1) != 0 {
                    return Err(Error::runtime(format!(
                        "alignment {align} is not a power of 2"
                    )));
                }
                header.align = align as u64;
            }
            _ => {
                let mut msg = b"invalid format option '".to_vec();
                msg.push(opt);
                msg.push(b'\'');
                return Err(Error::arg(1, msg));
            }
        }
        Ok(())
    }
}

/// `gettoalign`: the padding before an item of `size` bytes at position `len`.
fn gettoalign(len: u64, header: &Header, opt: u8, size: u64) -> u64 {
    if size == 0 || opt == b'c' {
        return 0;
    }
    let size = size.min(header.align);
    size.wrapping_sub(len & (size - 1)) & (size - 1)
}

fn is_integer_opt(opt: u8) -> bool {
    matches!(
        opt,
        b'b' | b'B' | b'h' | b'H' | b'l' | b'L' | b'T' | b'i' | b'I'
    )
}

/// `luaL_checknumber` or `luaL_checklstring` of pack's argument `arg`. The C code pushes a nil
/// mark after its arguments, so the first missing one reads as nil rather than as no value.
fn missing_as_nil(ctx: &Ctx<'_>, arg: usize, expected: &str) -> Result<()> {
    if arg == ctx.nargs() + 1 {
        return Err(Error::arg(
            arg as u32,
            format!("{expected} expected, got nil"),
        ));
    }
    Ok(())
}

/// `struct.pack(fmt, ...)`.
fn struct_pack(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let mut fmt = Format::check(ctx)?;
    let mut header = Header::new();
    let mut arg = 2;
    let mut total: u64 = 0;
    let mut out = Vec::new();
    while let Some(opt) = fmt.next_opt() {
        let mut size = fmt.optsize(opt)?;
        let pad = gettoalign(total, &header, opt, size);
        total = total.wrapping_add(pad);
        out.resize(out.len() + pad as usize, 0);
        match opt {
            _ if is_integer_opt(opt) => {
                missing_as_nil(ctx, arg, "number")?;
                let n = ctx.check_number(arg)?;
                arg += 1;
                let mut value = if n < 0.0 { c_i64(n) as u64 } else { c_u64(n) };
                let start = out.len();
                for _ in 0..size {
                    out.push(value as u8);
                    value >>= 8;
                }
                if !header.little {
                    out[start..].reverse();
                }
            }
            b'x' => out.push(0),
            b'f' => {
                missing_as_nil(ctx, arg, "number")?;
                let f = ctx.check_number(arg)? as f32;
                arg += 1;
                if header.little {
                    out.extend_from_slice(&f.to_le_bytes());
                } else {
                    out.extend_from_slice(&f.to_be_bytes());
                }
            }
            b'd' => {
                missing_as_nil(ctx, arg, "number")?;
                let d = ctx.check_number(arg)?;
                arg += 1;
                if header.little {
                    out.extend_from_slice(&d.to_le_bytes());
                } else {
                    out.extend_from_slice(&d.to_be_bytes());
                }
            }
            b'c' | b's' => {
                missing_as_nil(ctx, arg, "string")?;
                let s = ctx.check_string(arg)?;
                arg += 1;
                let len = ctx.vm().str_bytes(s)?.len() as u64;
                if size == 0 {
                    size = len;
                }
                if len < size {
                    return Err(Error::arg(arg as u32, "string too short"));
                }
                // In bounds: `size <= len`.
                let new_len = out.len().saturating_add(size as usize);
                if new_len > MAX_OUTPUT || !ctx.vm().heap().can_allocate(new_len) {
                    return Err(Error::OutOfMemory);
                }
                ctx.charge(size / 16)?;
                out.extend_from_slice(&ctx.vm().str_bytes(s)?[..size as usize]);
                if opt == b's' {
                    out.push(0);
                    size += 1;
                }
            }
            _ => fmt.control(opt, &mut header)?,
        }
        total = total.wrapping_add(size);
    }
    ctx.charge(out.len() as u64 / 16)?;
    ctx.push_bytes(&out)?;
    Ok(Ret::values(1))
}

/// `getinteger`: `size` bytes as an integer; wider than 8 bytes keeps the last 8 read.
fn getinteger(bytes: &[u8], little: bool, signed: bool) -> f64 {
    let fold = |acc: u64, b: &u8| (acc << 8) | u64::from(*b);
    let mut l = if little {
        bytes.iter().rev().fold(0, fold)
    } else {
        bytes.iter().fold(0, fold)
    };
    if !signed {
        return l as f64;
    }
    // `~0 << (size*8 - 1)`, with the shift count reduced modulo 64 like x86-64's `shl`.
    let shift = (bytes.len() as i64 * 8 - 1) & 63;
    let mask = u64::MAX << shift;
    if l & mask != 0 {
        l |= mask;
    }
    l as i64 as f64
}

/// `struct.unpack(fmt, data [, pos])`: the values, then the position after them.
fn struct_unpack(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let mut fmt = Format::check(ctx)?;
    let data = ctx.check_string(2)?;
    let offset = ctx.opt_integer(3, 1)? as u64;
    if offset == 0 {
        return Err(Error::arg(3, "offset must be 1 or greater"));
    }
    let mut pos = offset - 1;
    let ld = ctx.vm().str_bytes(data)?.len() as u64;
    let nargs = ctx.nargs();
    let mut header = Header::new();
    let mut results: Vec<Value> = Vec::new();
    let too_short = || Error::arg(2, "data string too short");
    while let Some(opt) = fmt.next_opt() {
        let mut size = fmt.optsize(opt)?;
        pos = pos.wrapping_add(gettoalign(pos, &header, opt, size));
        if size > ld || pos > ld - size {
            return Err(too_short());
        }
        if nargs + results.len() + 2 > MAX_C_STACK {
            return Err(Error::runtime("stack overflow (too many results)"));
        }
        // In bounds: `pos + size <= ld`.
        let (start, end) = (pos as usize, (pos + size) as usize);
        match opt {
            _ if is_integer_opt(opt) => {
                let bytes = &ctx.vm().str_bytes(data)?[start..end];
                let value = getinteger(bytes, header.little, opt.is_ascii_lowercase());
                results.push(Value::Number(value));
            }
            b'x' => {}
            b'f' => {
                let bytes = &ctx.vm().str_bytes(data)?[start..end];
                let mut raw = [0u8; 4];
                raw.copy_from_slice(bytes);
                let f = if header.little {
                    f32::from_le_bytes(raw)
                } else {
                    f32::from_be_bytes(raw)
                };
                results.push(Value::Number(f64::from(f)));
            }
            b'd' => {
                let bytes = &ctx.vm().str_bytes(data)?[start..end];
                let mut raw = [0u8; 8];
                raw.copy_from_slice(bytes);
                let d = if header.little {
                    f64::from_le_bytes(raw)
                } else {
                    f64::from_be_bytes(raw)
                };
                results.push(Value::Number(d));
            }
            b'c' => {
                if size == 0 {
                    let previous = results.last().and_then(|v| ctx.vm().to_number(*v));
                    let Some(n) = previous else {
                        return Err(Error::runtime("format 'c0' needs a previous size"));
                    };
                    results.pop();
                    size = c_u64(n);
                    if size > ld || pos > ld - size {
                        return Err(too_short());
                    }
                }
                ctx.charge(size / 16)?;
                let bytes = ctx.vm().str_bytes(data)?[start..(pos + size) as usize].to_vec();
                let s = ctx.vm().intern(&bytes)?;
                results.push(Value::String(s));
            }
            b's' => {
                let bytes = ctx.vm().str_bytes(data)?;
                let Some(len) = bytes[start..].iter().position(|&b| b == 0) else {
                    return Err(Error::runtime("unfinished string in data"));
                };
                let bytes = bytes[start..start + len].to_vec();
                ctx.charge(len as u64 / 16)?;
                size = len as u64 + 1;
                let s = ctx.vm().intern(&bytes)?;
                results.push(Value::String(s));
            }
            _ => fmt.control(opt, &mut header)?,
        }
        pos = pos.wrapping_add(size);
    }
    ctx.charge(results.len() as u64 / 16)?;
    results.push(Value::Number(pos.wrapping_add(1) as i64 as f64));
    ctx.ret(&results)
}

/// `struct.size(fmt)`: the packed size of a fixed-size format.
fn struct_size(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let mut fmt = Format::check(ctx)?;
    let mut header = Header::new();
    let mut pos: u64 = 0;
    while let Some(opt) = fmt.next_opt() {
        let size = fmt.optsize(opt)?;
        pos = pos.wrapping_add(gettoalign(pos, &header, opt, size));
        if opt == b's' {
            return Err(Error::arg(1, "option 's' has no fixed size"));
        } else if opt == b'c' && size == 0 {
            return Err(Error::arg(1, "option 'c0' has no fixed size"));
        }
        if !opt.is_ascii_alphanumeric() {
            fmt.control(opt, &mut header)?;
        }
        pos = pos.wrapping_add(size);
    }
    ctx.ret(&[Value::Number(pos as i64 as f64)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::libs::bit::test_support::{check_cases, eval};

    fn struct_open(vm: &mut Vm) -> Result<()> {
        open(vm)
    }

    #[test]
    fn machine_conversions() {
        assert_eq!(c_u64(f64::INFINITY), 0);
        assert_eq!(c_u64(f64::NAN), 1 << 63);
        assert_eq!(c_u64(18_446_744_073_709_551_616.0), 0);
        assert_eq!(c_u64(-1.0), u64::MAX);
        assert_eq!(c_i64(-1.5), -1);
    }

    #[test]
    fn cve_shapes_are_clean_errors() {
        assert_eq!(
            eval(
                "local ok, e = pcall(struct.pack, '>I2147483648', 1) return e",
                struct_open
            ),
            "\"integral size overflow\""
        );
        assert_eq!(
            eval(
                "local ok, e = pcall(struct.unpack, 'f', 'abcd', -3) return e",
                struct_open
            ),
            "\"bad argument #2 to '?' (data string too short)\""
        );
    }

    #[test]
    fn output_respects_the_memory_cap() {
        let mut vm = Vm::builder()
            .profile(ferrous_vm::Profile::Sandbox)
            .memory_limit(Some(64 << 20))
            .build();
        open(&mut vm).unwrap();
        let script = "local s = string.rep('x', 1000000) \
                      local ok, e = pcall(struct.pack, string.rep('c0', 200), \
                      unpack((function() local t = {} for i = 1, 200 do t[i] = s end return t end)())) \
                      return e";
        assert_eq!(
            crate::libs::bit::test_support::run(&mut vm, script),
            "\"not enough memory\""
        );
    }

    #[test]
    fn random_formats_never_panic() {
        use crate::libs::bit::test_support::{Rng, call_global, vm};
        let mut vm = vm();
        let mut rng = Rng(0x5eed);
        let alphabet = b"bBhHlLTiIxXcsfd<>!= 0123456789";
        for _ in 0..3000 {
            let fmt = rng.bytes(12, alphabet);
            let data = rng.bytes(40, b"\0\x01\xff");
            let fmt = vm.string_value(&fmt).unwrap();
            // The host's values must be pinned across calls (they may collect garbage).
            vm.unpin_all();
            vm.pin(fmt);
            let data = vm.string_value(&data).unwrap();
            vm.pin(data);
            let offset = Value::Number((rng.next() % 50) as f64 - 10.0);
            let n = Value::Number(f64::from_bits(rng.next()));
            call_global(&mut vm, "struct", "unpack", &[fmt, data, offset]);
            call_global(&mut vm, "struct", "pack", &[fmt, n, data, n, data, n, data]);
            call_global(&mut vm, "struct", "size", &[fmt]);
        }
    }

    #[test]
    fn transcript_cases() {
        let failures = check_cases(include_str!("../../tests/cases/struct.toml"));
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
