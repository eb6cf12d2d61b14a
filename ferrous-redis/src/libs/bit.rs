//! The `bit` library as Redis 7.0 bundles it (LuaBitOp 1.0.2, `deps/lua/src/lua_bit.c`):
//! `tobit tohex bnot band bor bxor lshift rshift arshift rol ror bswap` on 32-bit integers.
//!
//! Numbers become bits the way LuaBitOp does it on a double build: add 2^52+2^51 and keep the low
//! 32 bits of the sum's representation ([`to_bits`]). That rounds fractions to nearest-even, wraps
//! large values modulo 2^32, and turns NaN and the infinities into 0 exactly as x86-64 does.
//! Results are the signed 32-bit value as a number, so a result is never negative zero.
//!
//! Invariant: every argument check reads like LuaBitOp's (`luaL_typerror` wording), and
//! `bit.tohex(x, -2147483648)` gives eight uppercase digits (the CVE-2024-31449 fix that Debian's
//! 7.0.15 carries) instead of reading past a buffer.

use ferrous_vm::{Ctx, NativeFunction, Result, Ret, Value, Vm};

/// The functions of the library, in LuaBitOp's order.
const FUNCS: [(&str, NativeFunction); 12] = [
    ("tobit", bit_tobit),
    ("bnot", bit_bnot),
    ("band", bit_band),
    ("bor", bit_bor),
    ("bxor", bit_bxor),
    ("lshift", bit_lshift),
    ("rshift", bit_rshift),
    ("arshift", bit_arshift),
    ("rol", bit_rol),
    ("ror", bit_ror),
    ("bswap", bit_bswap),
    ("tohex", bit_tohex),
];

/// Opens the library into `vm`'s globals as `bit`.
pub fn open(vm: &mut Vm) -> Result<()> {
    let lib = vm.register_library("bit", &FUNCS)?;
    // All leaves (`Vm::mark_leaf`): none runs Lua code or looks at the call stack.
    vm.mark_leaves(lib, FUNCS.iter().map(|&(name, _)| name))
}

/// LuaBitOp's conversion of a number to 32 bits: the low word of `x + 2^52 + 2^51`.
pub(crate) fn to_bits(x: f64) -> u32 {
    (x + 6_755_399_441_055_744.0).to_bits() as u32
}

/// `barg`: argument `n` as 32 bits. Like 5.1's `lua_tonumber`, anything that is not a number (or
/// a numeric string) reads as 0, which is an error unless it really was a number.
fn barg(ctx: &mut Ctx<'_>, n: usize) -> Result<u32> {
    let value = ctx.arg(n);
    match ctx.vm().to_number(value) {
        Some(x) => Ok(to_bits(x)),
        None => Err(ctx.type_error(n, "number")),
    }
}

/// `BRET`: the bits as a signed 32-bit number.
fn bret(ctx: &mut Ctx<'_>, bits: u32) -> Result<Ret> {
    ctx.ret(&[Value::Number(f64::from(bits as i32))])
}

fn bit_tobit(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let b = barg(ctx, 1)?;
    bret(ctx, b)
}

fn bit_bnot(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let b = barg(ctx, 1)?;
    bret(ctx, !b)
}

/// `BIT_OP`: folds the arguments from the last down to the second into the first.
fn fold(ctx: &mut Ctx<'_>, op: fn(u32, u32) -> u32) -> Result<Ret> {
    let mut b = barg(ctx, 1)?;
    let nargs = ctx.nargs();
    ctx.charge(nargs as u64 / 16)?;
    for i in (2..=nargs).rev() {
        b = op(b, barg(ctx, i)?);
    }
    bret(ctx, b)
}

fn bit_band(ctx: &mut Ctx<'_>) -> Result<Ret> {
    fold(ctx, |a, b| a & b)
}

fn bit_bor(ctx: &mut Ctx<'_>) -> Result<Ret> {
    fold(ctx, |a, b| a | b)
}

fn bit_bxor(ctx: &mut Ctx<'_>) -> Result<Ret> {
    fold(ctx, |a, b| a ^ b)
}

/// `BIT_SH`: the value, and the shift count taken modulo 32.
fn shift(ctx: &mut Ctx<'_>, op: fn(u32, u32) -> u32) -> Result<Ret> {
    let b = barg(ctx, 1)?;
    let n = barg(ctx, 2)? & 31;
    bret(ctx, op(b, n))
}

fn bit_lshift(ctx: &mut Ctx<'_>) -> Result<Ret> {
    shift(ctx, |b, n| b << n)
}

fn bit_rshift(ctx: &mut Ctx<'_>) -> Result<Ret> {
    shift(ctx, |b, n| b >> n)
}

fn bit_arshift(ctx: &mut Ctx<'_>) -> Result<Ret> {
    shift(ctx, |b, n| ((b as i32) >> n) as u32)
}

fn bit_rol(ctx: &mut Ctx<'_>) -> Result<Ret> {
    shift(ctx, u32::rotate_left)
}

fn bit_ror(ctx: &mut Ctx<'_>) -> Result<Ret> {
    shift(ctx, u32::rotate_right)
}

fn bit_bswap(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let b = barg(ctx, 1)?;
    bret(ctx, b.swap_bytes())
}

/// `bit.tohex(x [, n])`: the low `|n|` hex digits (at most 8), uppercase when `n < 0`. An absent
/// `n` means 8; a present but non-numeric one (even nil) is an error, as in LuaBitOp.
fn bit_tohex(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let mut b = barg(ctx, 1)?;
    let mut n = if ctx.nargs() < 2 {
        8
    } else {
        barg(ctx, 2)? as i32
    };
    let digits: &[u8; 16] = if n < 0 {
        // The CVE-2024-31449 fix: -INT32_MIN would overflow; it counts as INT32_MIN + 1.
        n = n.checked_neg().unwrap_or(i32::MAX);
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let len = n.min(8) as usize;
    let mut buf = [0u8; 8];
    for slot in buf[..len].iter_mut().rev() {
        *slot = digits[(b & 15) as usize];
        b >>= 4;
    }
    ctx.push_bytes(&buf[..len])?;
    Ok(Ret::values(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::libs::bit::test_support::eval;

    #[test]
    fn conversion_matches_luabitop() {
        assert_eq!(to_bits(1437217655.0), 1437217655);
        assert_eq!(to_bits(0.5), 0);
        assert_eq!(to_bits(1.5), 2);
        assert_eq!(to_bits(2.5), 2);
        assert_eq!(to_bits(-0.0), 0);
        assert_eq!(to_bits(4294967296.0 + 3.0), 3);
        assert_eq!(to_bits(f64::INFINITY), 0);
        assert_eq!(to_bits(f64::NAN), 0);
        assert_eq!(to_bits(-1.0), u32::MAX);
    }

    #[test]
    fn functions() {
        assert_eq!(
            eval("return bit.tohex(1, -2147483648)", bit_open),
            "\"00000001\""
        );
        assert_eq!(eval("return bit.tohex(-1, -3)", bit_open), "\"FFF\"");
        assert_eq!(eval("return bit.tohex(255)", bit_open), "\"000000ff\"");
        assert_eq!(
            eval("return bit.band(0xff, 0x0f, 7)", bit_open),
            "(integer) 7"
        );
        assert_eq!(
            eval("return bit.bswap(0x12345678)", bit_open),
            "(integer) 2018915346"
        );
        assert_eq!(
            eval("return bit.arshift(-256, 4)", bit_open),
            "(integer) -16"
        );
        assert_eq!(
            eval("return bit.rol(0x80000001, 33)", bit_open),
            "(integer) 3"
        );
        assert_eq!(
            eval("local ok, e = pcall(bit.band) return e", bit_open),
            "\"bad argument #1 to '?' (number expected, got no value)\""
        );
        assert_eq!(
            eval("local ok, e = pcall(bit.tohex, 1, nil) return e", bit_open),
            "\"bad argument #2 to '?' (number expected, got nil)\""
        );
    }

    #[test]
    fn transcript_cases() {
        let failures =
            crate::libs::bit::test_support::check_cases(include_str!("../../tests/cases/bit.toml"));
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    fn bit_open(vm: &mut Vm) -> Result<()> {
        open(vm)
    }
}

/// What the unit tests of `bit`, `struct` and `cmsgpack` share: a sandbox VM with the three
/// libraries, Redis's conversion of a script's result to a reply rendered as `redis-cli --no-raw`
/// prints it, and a reader for the transcript case files (the subset of TOML they use).
#[cfg(test)]
pub(crate) mod test_support {
    use ferrous_vm::{Error, Profile, Result, Value, Vm};

    /// A sandbox VM with `bit`, `struct` and `cmsgpack` opened.
    pub(crate) fn vm() -> Vm {
        let mut vm = Vm::builder().profile(Profile::Sandbox).build();
        super::open(&mut vm).unwrap();
        crate::libs::structlib::open(&mut vm).unwrap();
        crate::libs::cmsgpack::open(&mut vm).unwrap();
        vm
    }

    /// Runs `script` as Redis's `EVAL` would (chunk `@user_script`, first result) in a VM opened
    /// by `open`, and renders the reply as `redis-cli --no-raw` does. A script error renders as
    /// `(error) ERR msg` without Redis's ` script: <sha>...` suffix.
    pub(crate) fn eval(script: &str, open: fn(&mut Vm) -> Result<()>) -> String {
        let mut vm = Vm::builder().profile(Profile::Sandbox).build();
        open(&mut vm).unwrap();
        run(&mut vm, script)
    }

    /// Like [`eval`] in a given VM.
    pub(crate) fn run(vm: &mut Vm, script: &str) -> String {
        let res = vm
            .load(script.as_bytes(), "@user_script")
            .and_then(|f| vm.call(f, &[]));
        match res {
            Ok(values) => {
                let value = values.first().copied().unwrap_or(Value::Nil);
                let mut out = String::new();
                render(vm, value, "", &mut out);
                out.trim_end_matches('\n').to_owned()
            }
            Err(Error::Runtime(e)) => {
                format!("(error) ERR {}", String::from_utf8_lossy(&e.message))
            }
            Err(other) => format!("(error) ERR {other}"),
        }
    }

    /// `sdscatrepr`: a quoted string with C escapes.
    fn repr(bytes: &[u8], out: &mut String) {
        out.push('"');
        for &b in bytes {
            match b {
                b'\\' => out.push_str("\\\\"),
                b'"' => out.push_str("\\\""),
                b'\n' => out.push_str("\\n"),
                b'\r' => out.push_str("\\r"),
                b'\t' => out.push_str("\\t"),
                7 => out.push_str("\\a"),
                8 => out.push_str("\\b"),
                0x20..=0x7e => out.push(char::from(b)),
                _ => out.push_str(&format!("\\x{b:02x}")),
            }
        }
        out.push('"');
    }

    /// Redis's Lua-to-RESP2 conversion and redis-cli's rendering of it, one value.
    fn render(vm: &mut Vm, value: Value, prefix: &str, out: &mut String) {
        match value {
            Value::Number(x) => {
                let n = if (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&x) {
                    x as i64
                } else {
                    i64::MIN
                };
                out.push_str(&format!("(integer) {n}\n"));
            }
            Value::String(s) => {
                let bytes = vm.str_bytes(s).unwrap().to_vec();
                repr(&bytes, out);
                out.push('\n');
            }
            Value::Boolean(true) => out.push_str("(integer) 1\n"),
            Value::Table(t) => {
                let mut items = Vec::new();
                loop {
                    let v = vm
                        .heap()
                        .tx()
                        .raw_get_int(t, items.len() as i64 + 1)
                        .unwrap();
                    if v == Value::Nil {
                        break;
                    }
                    items.push(v);
                }
                if items.is_empty() {
                    out.push_str("(empty array)\n");
                    return;
                }
                let width = items.len().to_string().len();
                let inner = format!("{prefix}{}", " ".repeat(width + 2));
                for (i, item) in items.into_iter().enumerate() {
                    let lead = if i == 0 { "" } else { prefix };
                    out.push_str(&format!("{lead}{:>width$}) ", i + 1));
                    render(vm, item, &inner, out);
                }
            }
            _ => out.push_str("(nil)\n"),
        }
    }

    /// A xorshift generator for the no-panic tests.
    pub(crate) struct Rng(pub u64);

    impl Rng {
        pub(crate) fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        /// Random bytes, biased toward `alphabet` half of the time.
        pub(crate) fn bytes(&mut self, max_len: u64, alphabet: &[u8]) -> Vec<u8> {
            let len = self.next() % (max_len + 1);
            (0..len)
                .map(|_| {
                    let r = self.next();
                    if r & 1 == 0 && !alphabet.is_empty() {
                        alphabet[(r >> 8) as usize % alphabet.len()]
                    } else {
                        (r >> 16) as u8
                    }
                })
                .collect()
        }
    }

    /// Calls the global function `lib.name` with `args` and returns whether it succeeded (an
    /// error is fine; a panic fails the test).
    pub(crate) fn call_global(vm: &mut Vm, lib: &str, name: &str, args: &[Value]) -> bool {
        let src = format!("return {lib}.{name}");
        let get = vm.load(src.as_bytes(), "=fuzz").unwrap();
        let f = vm.call(get, &[]).unwrap()[0];
        vm.call(f, args).is_ok()
    }

    /// One transcript case: its name, script and expected reply.
    pub(crate) struct Case {
        pub name: String,
        pub script: String,
        pub reply: String,
    }

    /// Reads the `[[case]]` entries of a case file (basic, literal and multi-line literal
    /// strings only, which is what our case files use).
    pub(crate) fn cases(text: &str) -> Vec<Case> {
        let mut out = Vec::new();
        let mut rest = text;
        let mut current: Option<Case> = None;
        while !rest.is_empty() {
            let line_end = rest.find('\n').unwrap_or(rest.len());
            let line = rest[..line_end].trim();
            if line == "[[case]]" {
                out.extend(current.take());
                current = Some(Case {
                    name: String::new(),
                    script: String::new(),
                    reply: String::new(),
                });
                rest = &rest[(line_end + 1).min(rest.len())..];
                continue;
            }
            if line.is_empty() || line.starts_with('#') {
                rest = &rest[(line_end + 1).min(rest.len())..];
                continue;
            }
            let eq = rest.find('=').expect("key = value");
            let key = rest[..eq].trim().to_owned();
            let (value, after) = parse_string(rest[eq + 1..].trim_start());
            let case = current.as_mut().expect("a key outside [[case]]");
            match key.as_str() {
                "name" => case.name = value,
                "script" => case.script = value,
                "reply" => case.reply = value,
                other => panic!("unexpected key {other}"),
            }
            rest = after;
        }
        out.extend(current);
        out
    }

    /// One TOML string at the start of `s`, and what follows its line.
    fn parse_string(s: &str) -> (String, &str) {
        let skip_line = |r: &'_ str| -> usize { r.find('\n').map_or(r.len(), |i| i + 1) };
        if let Some(body) = s.strip_prefix("'''") {
            let body = body.strip_prefix('\n').unwrap_or(body);
            let end = body.find("'''").expect("closing quotes");
            let rest = &body[end + 3..];
            return (body[..end].to_owned(), &rest[skip_line(rest)..]);
        }
        if let Some(body) = s.strip_prefix('\'') {
            let end = body.find('\'').expect("closing quote");
            let rest = &body[end + 1..];
            return (body[..end].to_owned(), &rest[skip_line(rest)..]);
        }
        let body = s.strip_prefix('"').expect("a string");
        let mut value = String::new();
        let mut chars = body.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    let rest = &body[i + 1..];
                    return (value, &rest[skip_line(rest)..]);
                }
                '\\' => match chars.next().map(|(_, c)| c) {
                    Some('n') => value.push('\n'),
                    Some('t') => value.push('\t'),
                    Some('r') => value.push('\r'),
                    Some('"') => value.push('"'),
                    Some('\\') => value.push('\\'),
                    Some('u') => {
                        let hex: String = (0..4)
                            .filter_map(|_| chars.next().map(|(_, c)| c))
                            .collect();
                        let code = u32::from_str_radix(&hex, 16).expect("\\u escape");
                        value.push(char::from_u32(code).expect("a scalar value"));
                    }
                    other => panic!("unsupported escape {other:?}"),
                },
                c => value.push(c),
            }
        }
        panic!("unterminated string");
    }

    /// Runs every case of a case file and returns the failures, one line each.
    pub(crate) fn check_cases(text: &str) -> Vec<String> {
        let mut failures = Vec::new();
        let cases = cases(text);
        assert!(cases.len() > 10, "the case file was not read");
        for case in cases {
            let got = run(&mut vm(), &case.script);
            let expected = match case.reply.find(" script: ") {
                Some(i) if case.reply.starts_with("(error)") => &case.reply[..i],
                _ => case.reply.as_str(),
            };
            if got != expected {
                failures.push(format!(
                    "{}:\n  script: {}\n  want: {expected}\n  got:  {got}",
                    case.name, case.script
                ));
            }
        }
        failures
    }
}
