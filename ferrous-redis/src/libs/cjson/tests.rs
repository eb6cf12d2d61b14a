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
