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
//! kept in an explicit stack ([`encode::Encoder`]), the decoder keeps its open containers in an
//! explicit stack (`decode::Decoder`). Both count the Lua stack slots the C code would use, so the
//! `stack overflow (...)` errors of Lua 5.1's 8000-slot limit for natives come exactly where
//! Redis raises them, which also bounds the decoder's depth (about 4000 nested arrays or 8000
//! nested maps). The output buffer never grows past what the heap's memory cap allows nor past
//! `MAX_OUTPUT` (2 GiB).
//!
//! - `encode.rs`: [`encode::Encoder`], `pack`'s table walk and the msgpack encodings.
//! - `decode.rs`: `decode::Decoder`, the cursor and the open containers of the unpackers.

mod decode;
mod encode;

use ferrous_vm::{Ctx, Error, NativeFunction, Result, Ret, Value, Vm};

use crate::libs::structlib::MAX_C_STACK;

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
pub fn open(vm: &mut Vm) -> Result<()> {
    if vm.app_data::<PackBufs>().is_none() {
        vm.set_app_data(PackBufs::default());
    }
    if vm.app_data::<Option<Box<decode::UnpackBufs>>>().is_none() {
        vm.set_app_data(Some(Box::<decode::UnpackBufs>::default()));
    }
    let table = vm.new_table(0, 0)?;
    for (name, func) in FUNCS {
        let key = vm.intern(name.as_bytes())?;
        let value = vm.native(name, func);
        // A leaf (`Vm::mark_leaf`): no Lua code, no look at the call stack.
        vm.mark_leaf(value);
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
#[inline(always)]
fn check_stack(slots: usize, n: usize, msg: &str) -> Result<()> {
    if slots + n > MAX_C_STACK {
        return Err(stack_overflow(msg));
    }
    Ok(())
}

/// The error of a failed [`check_stack`].
#[cold]
#[inline(never)]
fn stack_overflow(msg: &str) -> Error {
    Error::runtime(format!("stack overflow ({msg})"))
}

/// `cmsgpack.pack(...)`: the encodings of all arguments, concatenated.
fn mp_pack(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let nargs = ctx.nargs();
    if nargs == 0 {
        return Err(Error::arg(0, "MessagePack pack needs input."));
    }
    // `lua_checkstack(L, nargs)` on a frame that already holds the arguments.
    if nargs > MAX_C_STACK || nargs + nargs > MAX_C_STACK {
        return Err(Error::arg(0, "Too many arguments for MessagePack pack."));
    }
    let bufs = ctx
        .app_data_mut::<PackBufs>()
        .map(|slot| std::mem::take(&mut slot.0))
        .unwrap_or_default();
    let mut encoder = encode::Encoder::new(bufs);
    let res = pack_args(ctx, &mut encoder, nargs);
    let mut bufs = encoder.into_buffers();
    crate::libs::recycle(&mut bufs.out, PackBufs::KEEP_BYTES);
    crate::libs::recycle(&mut bufs.stack, PackBufs::KEEP_FRAMES);
    crate::libs::recycle(&mut bufs.pairs, PackBufs::KEEP_PAIRS);
    if let Some(slot) = ctx.app_data_mut::<PackBufs>() {
        slot.0 = bufs;
    }
    res?;
    Ok(Ret::values(1))
}

/// Encodes every argument and pushes the result.
fn pack_args(ctx: &mut Ctx<'_>, encoder: &mut encode::Encoder, nargs: usize) -> Result<()> {
    for i in 1..=nargs {
        // The argument's copy sits above the arguments and the encodings made so far.
        let value = ctx.arg(i);
        encoder.encode(ctx.vm(), value, 0, nargs + i)?;
        encoder.run(ctx)?;
    }
    ctx.charge(encoder.items + encoder.out.len() as u64 / 16)?;
    ctx.push_bytes(&encoder.out)
}

/// `pack`'s buffers, kept between calls in the VM's app data (no Lua values between calls).
#[derive(Default)]
struct PackBufs(encode::EncodeBufs);

impl PackBufs {
    /// Buffers larger than this are not kept for the next call.
    const KEEP_BYTES: usize = 1 << 16;
    const KEEP_FRAMES: usize = 1 << 10;
    const KEEP_PAIRS: usize = 1 << 12;
}

/// `cmsgpack.unpack(s)`: every object in `s`.
fn mp_unpack(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let nargs = ctx.nargs().max(1);
    decode::unpack_full(ctx, 0, 0, nargs)
}

/// `cmsgpack.unpack_one(s [, offset])`: the next offset (-1 at the end), then one object.
fn mp_unpack_one(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let offset = ctx.opt_integer(2, 0)?;
    decode::unpack_full(ctx, 1, offset, 1)
}

/// `cmsgpack.unpack_limit(s, limit [, offset])`: the next offset, then up to `limit` objects.
fn mp_unpack_limit(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let limit = ctx.check_integer(2)?;
    let offset = ctx.opt_integer(3, 0)?;
    decode::unpack_full(ctx, limit, offset, 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::libs::bit::test_support::{check_cases, eval};

    fn cmsgpack_open(vm: &mut Vm) -> Result<()> {
        open(vm)
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
    fn random_input_never_panics() {
        use crate::libs::bit::test_support::{Rng, call_global, vm};
        let mut vm = vm();
        let mut rng = Rng(0xc0ffee);
        let alphabet = b"\x91\x81\xdc\xdd\xde\xdf\xd9\xda\xdb\xcf\xd3\xcb\xca\xc0\xc1\xc4\x00\xff";
        for _ in 0..3000 {
            let data = rng.bytes(40, alphabet);
            let data = vm.string_value(&data).unwrap();
            // The host's values must be pinned across calls (they may collect garbage).
            vm.unpin_all();
            vm.pin(data);
            let a = Value::Number((rng.next() % 50) as f64 - 10.0);
            let b = Value::Number((rng.next() % 50) as f64 - 10.0);
            if call_global(&mut vm, "cmsgpack", "unpack", &[data]) {
                // Whatever decodes must encode again.
                let src =
                    b"local s = ... if #s > 0 then return cmsgpack.pack(cmsgpack.unpack(s)) end";
                let f = vm.load(src, "=fuzz").unwrap();
                vm.call(f, &[data]).unwrap();
            }
            call_global(&mut vm, "cmsgpack", "unpack_one", &[data, a]);
            call_global(&mut vm, "cmsgpack", "unpack_limit", &[data, a, b]);
        }
    }

    #[test]
    fn transcript_cases() {
        let failures = check_cases(include_str!("../../../tests/cases/cmsgpack.toml"));
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
