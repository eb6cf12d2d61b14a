//! Unit tests of `cjson` on a plain sandbox VM: each snippet's result (or error) as text.
//! Expected texts come from Redis 7.0.15 (`EVAL` replies), adjusted to plain Lua values.

use ferrous_vm::{Profile, Value, Vm};

/// Runs `src` in a fresh VM with `cjson` opened; returns the first result as text, or the
/// error message.
fn check(src: &str) -> Result<String, String> {
    let mut vm = Vm::builder().profile(Profile::Sandbox).build();
    super::open(&mut vm).expect("cjson opens");
    run(&mut vm, src)
}

fn run(vm: &mut Vm, src: &str) -> Result<String, String> {
    let f = vm
        .load(src.as_bytes(), "=test")
        .map_err(|e| e.to_string())?;
    let res = vm.call(f, &[]).map_err(|e| e.to_string())?;
    Ok(match res.first().copied().unwrap_or(Value::Nil) {
        Value::String(s) => String::from_utf8_lossy(vm.str_bytes(s).expect("live")).into_owned(),
        Value::Number(n) => format!("{n}"),
        Value::Boolean(b) => format!("{b}"),
        Value::Nil => "nil".to_string(),
        other => vm.type_name(other).to_string(),
    })
}

fn ok(src: &str, expected: &str) {
    assert_eq!(check(src), Ok(expected.to_string()), "{src}");
}

fn err(src: &str, expected: &str) {
    assert_eq!(check(src), Err(expected.to_string()), "{src}");
}

#[test]
fn module_fields() {
    ok("return cjson._NAME .. ' ' .. cjson._VERSION", "cjson 2.1.0");
    ok(
        "local t = {} for k in pairs(cjson) do t[#t+1] = k end table.sort(t) \
         return table.concat(t, ',')",
        "_NAME,_VERSION,decode,decode_invalid_numbers,decode_max_depth,encode,\
         encode_invalid_numbers,encode_keep_buffer,encode_max_depth,encode_number_precision,\
         encode_sparse_array,new,null",
    );
}

#[test]
fn null_value() {
    ok("return tostring(cjson.null)", "userdata: (nil)");
    ok("return type(cjson.null)", "userdata");
    ok("return cjson.decode('null') == cjson.null", "true");
    ok("return cjson.new().null == cjson.null", "true");
    ok("return cjson.encode({cjson.null})", "[null]");
}

#[test]
fn encode_scalars() {
    ok(
        "return cjson.encode('a/b\"\\\\\\0\\127\\b\\t\\n\\f\\r\\1')",
        "\"a\\/b\\\"\\\\\\u0000\\u007f\\b\\t\\n\\f\\r\\u0001\"",
    );
    ok("return cjson.encode(true)", "true");
    ok("return cjson.encode(nil)", "null");
    ok(
        "return cjson.encode({1e300, 0.1, -0, 1/3, 100000000000000, 1e15, 2^53, -1.5e-7, 5e-324})",
        "[1e+300,0.1,-0,0.33333333333333,1e+14,1e+15,9.007199254741e+15,-1.5e-07,4.9406564584125e-324]",
    );
    ok(
        "cjson.encode_number_precision(2) return cjson.encode({0.125, 2.5, 0.375, 1e-5, 123456, 0.0001234, 12, 1.25})",
        "[0.12,2.5,0.38,1e-05,1.2e+05,0.00012,12,1.2]",
    );
}

#[test]
fn encode_errors() {
    err(
        "return cjson.encode(1/0)",
        "test:1: Cannot serialise number: must not be NaN or Inf",
    );
    err(
        "return cjson.encode(print)",
        "test:1: Cannot serialise function: type not supported",
    );
    err(
        "return cjson.encode({[true]=1})",
        "test:1: Cannot serialise boolean: table key must be a number or string",
    );
    err(
        "return cjson.encode({[20]=1})",
        "test:1: Cannot serialise table: excessively sparse array",
    );
    err(
        "return cjson.encode()",
        "test:1: bad argument #1 to 'encode' (expected 1 argument)",
    );
    err(
        "local t = {} t[1] = t return cjson.encode(t)",
        "test:1: Cannot serialise, excessive nesting (1001)",
    );
}

#[test]
fn encode_int_conversion_quirk() {
    ok("return cjson.encode({[2^32+5]=1})", "{\"4294967301\":1}");
    ok("return cjson.encode({[1e10]=1, [3]=1})", "[null,null,1]");
    ok(
        "return cjson.encode({[3]=1, [1e10]=1})",
        "{\"3\":1,\"10000000000\":1}",
    );
}

#[test]
fn invalid_numbers() {
    ok(
        "cjson.encode_invalid_numbers(true) return cjson.encode({1/0,-1/0,0/0})",
        "[inf,-inf,nan]",
    );
    ok(
        "cjson.encode_invalid_numbers('null') return cjson.encode({1/0,-1/0,0/0})",
        "[null,null,null]",
    );
    ok("return cjson.encode_invalid_numbers('null')", "null");
    ok(
        "return tostring(cjson.decode('-nan')) .. tostring(cjson.decode('Infinity'))",
        "-naninf",
    );
}

#[test]
fn decode_values() {
    ok("return cjson.decode('0x10')", "16");
    ok("return cjson.decode('[1]\\0zz')[1]", "1");
    ok(
        "return cjson.encode(cjson.decode('{\"a\":[1,2,{\"b\":null}],\"c\":\"\\\\u00e9\\\\ud83d\\\\ude00\"}'))",
        "{\"a\":[1,2,{\"b\":null}],\"c\":\"é😀\"}",
    );
    ok("return cjson.decode('\"\\\\u0041\\\\/\"')", "A/");
    ok("return cjson.decode(' 1.5e3 ')", "1500");
    ok("return cjson.decode('0x1.8p1')", "3");
}

#[test]
fn decode_errors() {
    err(
        "return cjson.decode('[1')",
        "test:1: Expected comma or array end but found T_END at character 3",
    );
    err(
        "return cjson.decode('1e')",
        "test:1: Expected the end but found invalid token at character 2",
    );
    err(
        "return cjson.decode('\"a\\0b\"')",
        "test:1: Expected value but found unexpected end of string at character 3",
    );
    err(
        "return cjson.decode('')",
        "test:1: Expected value but found T_END at character 1",
    );
    err(
        "return cjson.decode('  ')",
        "test:1: Expected value but found T_END at character 3",
    );
    err(
        "return cjson.decode('{\"a\":1,}')",
        "test:1: Expected object key string but found T_OBJ_END at character 8",
    );
    err(
        "return cjson.decode('nil')",
        "test:1: Expected value but found invalid token at character 1",
    );
    err(
        "return cjson.decode('\\0\\0')",
        "test:1: JSON parser does not support UTF-16 or UTF-32",
    );
}

#[test]
fn nesting_limits() {
    err(
        "cjson.decode_max_depth(100000) return cjson.decode(string.rep('[', 9000))",
        "test:1: Found too many nested data structures (7999) at character 7999",
    );
    err(
        "cjson.decode_max_depth(100000) return cjson.decode(string.rep('{\"a\":', 9000))",
        "test:1: Found too many nested data structures (4000) at character 19996",
    );
    err(
        "cjson.encode_max_depth(100000) local t = {} for i=1,9000 do t = {t} end return cjson.encode(t)",
        "test:1: Cannot serialise, excessive nesting (7998)",
    );
    err(
        "cjson.encode_max_depth(100000) local t = {} for i=1,9000 do t = {a=t} end return cjson.encode(t)",
        "test:1: Cannot serialise, excessive nesting (4000)",
    );
}

#[test]
fn config_functions() {
    ok(
        "local c = cjson.new() c.encode_max_depth(2) return c.encode_max_depth() .. ',' .. cjson.encode_max_depth()",
        "2,1000",
    );
    err(
        "return cjson.encode_max_depth(1, 2)",
        "test:1: bad argument #2 to 'encode_max_depth' (found too many arguments)",
    );
    err(
        "return cjson.encode_sparse_array(true, 1, -1)",
        "test:1: bad argument #1 to 'encode_sparse_array' (expected integer between 0 and 2147483647)",
    );
    err(
        "return cjson.encode_keep_buffer('maybe')",
        "test:1: bad argument #1 to 'encode_keep_buffer' (invalid option 'maybe')",
    );
}

/// Random bytes and near-JSON never panic, and the VM stays usable.
#[test]
fn decode_never_panics() {
    let mut vm = Vm::builder().profile(Profile::Sandbox).build();
    super::open(&mut vm).expect("cjson opens");
    let pieces = [
        "[",
        "]",
        "{",
        "}",
        ",",
        ":",
        "\"",
        "\\",
        "\\u",
        "\\ud800",
        "\\udc00",
        "1",
        "-",
        "+",
        "0x",
        "1e",
        "e5",
        ".",
        "nan",
        "inf",
        "true",
        "null",
        "fals",
        " ",
        "\0",
        "\u{ff}",
        "p-3",
        "\"k\"",
        "\"\\u00",
        "9999999999999999999999",
        "0x1p99999",
        "1e-99999",
    ];
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    for _ in 0..3000 {
        let mut text = String::new();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let n = (x % 12) as usize;
        for k in 0..n {
            let idx = ((x >> (k * 5)) % pieces.len() as u64) as usize;
            text.push_str(pieces[idx]);
        }
        let escaped: String = text.bytes().map(|b| format!("\\{b}")).collect();
        let src = format!("local ok, v = pcall(cjson.decode, \"{escaped}\") return ok");
        let res = run(&mut vm, &src);
        assert!(res.is_ok(), "{text:?}: {res:?}");
    }
}

/// Random tables (cycles, metatables, odd keys and values) under random settings: encode
/// either succeeds or raises a Lua error, and never panics.
#[test]
fn encode_never_panics() {
    let src = r#"
        local seed = 12345
        local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648 return seed % n end
        local pool = {}
        local function gen(d)
          local k = rnd(d > 4 and 6 or 11)
          if k == 0 then return rnd(1000) - 500
          elseif k == 1 then return ({1/0, -1/0, 0/0, -0, 2^31, 2^53, 1e300, 5e-324})[1 + rnd(8)]
          elseif k == 2 then return string.rep(string.char(rnd(256)), rnd(5))
          elseif k == 3 then return rnd(2) == 1
          elseif k == 4 then return cjson.null
          elseif k == 5 then return ({print, coroutine.create(function() end), cjson.encode})[1 + rnd(3)]
          elseif k == 6 or k == 7 then
            local t = {} pool[#pool + 1] = t
            for i = 1, rnd(6) do t[i + rnd(3) * rnd(30)] = gen(d + 1) end
            return t
          elseif k == 8 then
            local t = {} pool[#pool + 1] = t
            for i = 1, rnd(5) do
              local key = ({'k' .. rnd(9), rnd(20) - 5, 1.5, true, 2^40, 1/0})[1 + rnd(6)]
              t[key] = gen(d + 1)
            end
            return t
          elseif k == 9 and #pool > 0 then return pool[1 + rnd(#pool)]
          else return setmetatable({gen(d + 1)}, {__index = function() return 1 end}) end
        end
        local n, ok_count = 0, 0
        for i = 1, 400 do
          cjson.encode_sparse_array(rnd(2) == 1, rnd(4), rnd(12))
          cjson.encode_invalid_numbers(({'on', 'off', 'null'})[1 + rnd(3)])
          cjson.encode_max_depth(1 + rnd(12))
          cjson.encode_number_precision(1 + rnd(14))
          local ok, res = pcall(cjson.encode, gen(0))
          n = n + 1
          if ok then
            ok_count = ok_count + 1
            local ok2 = pcall(cjson.decode, res)
          end
        end
        return n .. ' ' .. tostring(ok_count > 0)
    "#;
    ok(src, "400 true");
}

/// Arbitrary bytes (not only near-JSON) never panic.
#[test]
fn decode_random_bytes() {
    let src = r#"
        local seed = 99
        local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648 return seed % n end
        local alphabet = '[]{},:"\\/ubfnrt0123456789+-.eExXpPinfaINFAl \0\255\128\t\n'
        for i = 1, 3000 do
          local parts = {}
          for j = 1, rnd(20) do
            if rnd(3) == 0 then parts[j] = string.char(rnd(256))
            else local k = 1 + rnd(#alphabet) parts[j] = alphabet:sub(k, k) end
          end
          cjson.decode_invalid_numbers(rnd(2) == 1)
          cjson.decode_max_depth(1 + rnd(5))
          pcall(cjson.decode, table.concat(parts))
        end
        return 'done'
    "#;
    ok(src, "done");
}

/// A huge sparse array (ratio 0 allows any) stops at the memory limit instead of exhausting
/// the process.
#[test]
fn encode_output_respects_memory_limit() {
    let mut vm = Vm::builder()
        .profile(Profile::Sandbox)
        .memory_limit(Some(16 << 20))
        .build();
    super::open(&mut vm).expect("cjson opens");
    let res = run(
        &mut vm,
        "cjson.encode_sparse_array(false, 0) return cjson.encode({[2^31 - 1] = 1})",
    );
    assert_eq!(res, Err("not enough memory".to_string()));
    // The VM is still usable.
    assert_eq!(
        run(&mut vm, "return cjson.encode({1})"),
        Ok("[1]".to_string())
    );
}

/// Encoding and decoding charge fuel: a host interrupt stops a long conversion.
#[test]
fn conversions_charge_fuel() {
    for (setup, src) in [
        (
            "local t = {} for i = 1, 100 do t[i] = i end INPUT = {} \
             for i = 1, 2000 do INPUT[i] = t end",
            "return cjson.encode(INPUT)",
        ),
        (
            "INPUT = '[' .. string.rep('1,', 200000) .. '1]'",
            "return cjson.decode(INPUT)",
        ),
    ] {
        let mut vm = Vm::builder().profile(Profile::Sandbox).build();
        super::open(&mut vm).expect("cjson opens");
        assert_eq!(run(&mut vm, setup), Ok("nil".to_string()));
        let f = vm.load(src.as_bytes(), "=test").expect("compiles");
        vm.set_interrupt(Some(Box::new(|| Some(b"killed".to_vec()))));
        vm.start(f, &[]).expect("starts");
        match vm.run_for(100) {
            Err(ferrous_vm::Error::Killed(msg)) => assert_eq!(msg, b"killed"),
            other => panic!("{src}: {other:?}"),
        }
    }
}

/// Hexadecimal and decimal `strtod` against values computed by hand.
#[test]
fn strtod_edges() {
    use super::fpconv::strtod;
    let cases: &[(&str, f64, usize)] = &[
        ("0x1p-1074", 5e-324, 9),
        ("0x1p-1075", 0.0, 9),
        ("0x1.8p-1074", 1e-323, 11),
        ("0x1fffffffffffffp0", 9007199254740991.0, 18),
        ("0x20000000000001p0", 9007199254740992.0, 18),
        ("0x20000000000003p0", 9007199254740996.0, 18),
        ("0x1p1023", 8.98846567431158e307, 8),
        ("0x1p1024", f64::INFINITY, 8),
        ("0x", 0.0, 1),
        ("1e", 1.0, 1),
        ("1.e2x", 100.0, 4),
        ("-.5", -0.5, 3),
        ("infinityx", f64::INFINITY, 8),
        ("nan(x_1)y", f64::NAN, 8),
    ];
    for &(text, want, end) in cases {
        let (got, got_end) = strtod(text.as_bytes(), 0).expect(text);
        assert_eq!(got_end, end, "{text}");
        if want.is_nan() {
            assert!(got.is_nan(), "{text}");
        } else {
            assert_eq!(got.to_bits(), want.to_bits(), "{text}");
        }
    }
    assert_eq!(strtod(b"-", 0), None);
    assert_eq!(strtod(b".", 0), None);
}

/// A small deterministic generator (xorshift64*).
fn rng(state: &mut u64) -> u64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_f491_4f6c_dd1d)
}

#[test]
fn short_number_paths_agree_with_the_general_ones() {
    use super::fpconv::{format_g, format_short, simple_decimal, strtod};
    let mut state = 0x2545_f491_4f6c_dd1d;
    let mut texts: Vec<String> = [
        "0",
        "-0",
        "7",
        "12.5",
        "-0.001",
        "0.0001",
        "0.00001",
        "123456789012345",
        "1234567890123456",
        "99999999999999.9",
        "0.1",
        "0.3",
        "1.0",
        "10.50",
        "007",
        "-12.",
        "1e5",
        "0x10",
        "3.14159265358979",
        "0.000123456789",
        "5e-324",
        "100000000000000",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for _ in 0..20_000 {
        let r = rng(&mut state);
        let int = r % 10u64.pow((r >> 60) as u32 % 16);
        let frac_digits = (r >> 40) as usize % 10;
        let frac = rng(&mut state) % 10u64.pow(frac_digits as u32);
        let sign = if r & 1 == 1 { "-" } else { "" };
        texts.push(if frac_digits == 0 {
            format!("{sign}{int}")
        } else {
            format!("{sign}{int}.{frac:0frac_digits$}")
        });
    }
    // Values made by arithmetic, a digit or so off their short forms.
    for i in 0..20_000u64 {
        let r = rng(&mut state);
        let x = match i % 4 {
            0 => (r % 1_000_000) as f64 * 0.01,
            1 => (r % 1000) as f64 / 3.0,
            2 => (r % 100_000) as f64 * 0.1 + 0.2,
            _ => f64::from_bits(r),
        };
        texts.push(format!("{x:e}"));
    }
    for text in &texts {
        let bytes = text.as_bytes();
        if let Some((x, end)) = simple_decimal(bytes, 0) {
            let (want, want_end) = strtod(bytes, 0).expect("a number");
            assert_eq!((x.to_bits(), end), (want.to_bits(), want_end), "{text}");
        }
        let Some((x, _)) = strtod(bytes, 0) else {
            continue;
        };
        for precision in [14, 1, 3, 6, 10] {
            let (mut short, mut general) = (Vec::new(), Vec::new());
            format_g(x, precision, &mut general);
            if format_short(x, precision, &mut short) {
                assert_eq!(
                    String::from_utf8_lossy(&short),
                    String::from_utf8_lossy(&general),
                    "{text} at precision {precision}"
                );
            }
        }
    }
    // The common cases take the short paths.
    assert!(simple_decimal(b"12.5,", 0).is_some());
    assert!(format_short(12.5, 14, &mut Vec::new()));
    assert!(format_short(-3.0, 14, &mut Vec::new()));
}

#[test]
fn records_decode_in_the_order_of_one_by_one_assignment() {
    // The second and third records reuse the first one's layout (`Layouts`); their `next`
    // order must be that of tables assigned key by key, as in C.
    let keys = [
        "id", "name", "tags", "price", "x", "yy", "zzz", "in_stock", "w", "h", "k12", "a",
    ];
    let record = |n: usize, dup: bool| {
        let mut fields: Vec<String> = keys.iter().map(|k| format!("\"{k}\":{n}")).collect();
        if dup {
            fields.push(format!("\"id\":{}", n + 100));
        }
        format!("{{{}}}", fields.join(","))
    };
    for dup in [false, true] {
        let doc = format!("[{},{},{}]", record(1, dup), record(2, dup), record(3, dup));
        let mut assign: String = keys.iter().map(|k| format!("r['{k}'] = 3 ")).collect();
        if dup {
            assign.push_str("r['id'] = 103 ");
        }
        let src = format!(
            "local t = cjson.decode('{doc}') local r = {{}} {assign} \
             return cjson.encode(t[3]) == cjson.encode(r) and cjson.encode(t[3]) or 'differs'"
        );
        let out = check(&src).expect("runs");
        assert_ne!(out, "differs", "{src}");
    }
}
