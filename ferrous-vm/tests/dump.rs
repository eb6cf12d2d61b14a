//! `string.dump` compared with `lua5.1` byte for byte, and binary chunks loaded back.
//!
//! The corpus is every compiler fixture (`ferrous-compiler/tests/fixtures/ok/*.lua`) and every
//! conformance script (`tests/lua/*.lua`): one driver script loads each file with `loadstring`,
//! prints the hex of `string.dump` of the chunk and of each function value it can reach without
//! running it (none: chunks are not run), and whether the dump of the reloaded chunk is the same
//! bytes. The driver runs on Ferrous and on `lua5.1`; the outputs must be equal. Without
//! `lua5.1` the comparison is skipped, except under `CI=true`, where it is a failure.

mod common;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;

use common::Capture;
use ferrous_vm::{Error, Profile, Value, Vm};

const DRIVER: &str = r#"
local function hex(s)
  return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end
for _, path in ipairs(FILES) do
  local file = assert(io.open(path, "rb"))
  local src = file:read("*a")
  file:close()
  local name = path:match("[^/]*$")
  local f, err = loadstring(src, "@" .. name)
  if f then
    local d = string.dump(f)
    local g, err2 = loadstring(d)
    print(name, hex(d), g and string.dump(g) == d or err2)
  else
    print(name, err)
  end
end
"#;

fn corpus() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in [
        root.join("../ferrous-compiler/tests/fixtures/ok"),
        root.join("tests/lua"),
    ] {
        let entries = std::fs::read_dir(&dir).expect("corpus folder exists");
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "lua") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn driver(files: &[PathBuf]) -> String {
    let list: Vec<String> = files
        .iter()
        .map(|p| format!("{:?}", p.to_string_lossy()))
        .collect();
    format!("FILES = {{{}}}\n{DRIVER}", list.join(", "))
}

fn run_ferrous(source: &str) -> Vec<u8> {
    let out = Rc::new(RefCell::new(Vec::new()));
    let mut vm = Vm::builder().build();
    vm.set_stdout(Box::new(Capture(out.clone())));
    let f = vm
        .load(source.as_bytes(), "=driver")
        .expect("driver compiles");
    vm.call(f, &[]).expect("driver runs");
    out.take()
}

#[test]
fn dumps_match_lua51_on_the_corpus() {
    let files = corpus();
    assert!(files.len() > 50, "corpus found");
    let script = driver(&files);
    let ours = run_ferrous(&script);
    // Every chunk's dump loads back and dumps to the same bytes.
    for line in String::from_utf8_lossy(&ours).lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() == 3 {
            assert_eq!(fields[2], "true", "round trip of {}", fields[0]);
        }
    }
    let lua = Command::new("lua5.1").arg("-e").arg(&script).output();
    let Ok(lua) = lua else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "lua5.1 is missing under CI"
        );
        return;
    };
    assert!(lua.status.success(), "lua5.1 runs the driver");
    let theirs = lua.stdout;
    let (ours, theirs) = (
        String::from_utf8_lossy(&ours),
        String::from_utf8_lossy(&theirs),
    );
    for (a, b) in ours.lines().zip(theirs.lines()) {
        assert_eq!(a, b, "string.dump differs from lua5.1's");
    }
    assert_eq!(ours.lines().count(), theirs.lines().count());
}

fn run(vm: &mut Vm, src: &str) -> Result<Vec<Value>, Error> {
    let f = vm.load(src.as_bytes(), "=test")?;
    vm.call(f, &[])
}

#[test]
fn sandbox_and_bare_profiles_refuse_binary_chunks() {
    for profile in [Profile::Sandbox, Profile::Bare] {
        let mut vm = Vm::builder().profile(profile).build();
        if profile == Profile::Bare {
            vm.open_base().expect("base opens");
            vm.open_string().expect("string opens");
        }
        let res = run(
            &mut vm,
            "local f, msg = loadstring(string.dump(function() end)) return f, msg",
        )
        .expect("runs");
        assert_eq!(res[0], Value::Nil);
        let Value::String(msg) = res[1] else {
            panic!("a message");
        };
        assert_eq!(
            vm.str_bytes(msg).expect("live string"),
            b"[string \"\x1bLuaQ\"]:1: unexpected symbol near 'char(27)'"
        );
    }
    let mut vm = Vm::builder()
        .profile(Profile::Sandbox)
        .binary_chunks(true)
        .build();
    let res = run(
        &mut vm,
        "return loadstring(string.dump(function(a) return a * 2 end))(21)",
    )
    .expect("runs");
    assert_eq!(res, vec![Value::Number(42.0)]);
}

#[test]
fn host_loads_binary_chunks() {
    let mut vm = Vm::builder().build();
    let res = run(
        &mut vm,
        "return string.dump(function(...) return select('#', ...) end)",
    )
    .expect("runs");
    let Value::String(s) = res[0] else {
        panic!("a string");
    };
    let chunk = vm.str_bytes(s).expect("live").to_vec();
    let f = vm.load(&chunk, "=bin").expect("loads");
    let n = vm
        .call(f, &[Value::Nil, Value::Nil, Value::Nil])
        .expect("runs");
    assert_eq!(n, vec![Value::Number(3.0)]);
    let mut file = b"#!/usr/bin/lua\n".to_vec();
    file.extend_from_slice(&chunk);
    let f = vm.load_file(&file, "@x.luac").expect("loads");
    assert_eq!(vm.call(f, &[]).expect("runs"), vec![Value::Number(0.0)]);
    let err = vm.load(&chunk[..20], "@x.luac").expect_err("truncated");
    assert!(
        matches!(&err, Error::Undump(e) if e.message_bytes() == b"x.luac: unexpected end in precompiled chunk"),
        "{err}"
    );
}
