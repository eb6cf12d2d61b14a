//! Hostile binary chunks: valid `string.dump` outputs mutated (bit flips, random bytes, random
//! instructions written over the code, truncations, insertions, deletions, swapped and
//! duplicated sections) and loaded as binary chunks under a memory cap. Whatever loads runs
//! under fuel with an interrupt that kills nested loops. Nothing may panic or hang: every case
//! ends as a load error, a runtime error, a result, or a pause that the test aborts.
//!
//! Hand-built modules go through the same verifier (`Vm::load_module`): an out-of-range
//! constant index, register or jump is an error, not a panic in the loop.
//!
//! The generator is seeded, so a failing case names its number. `FERROUS_FUZZ_CASES=N` runs
//! more cases (1,500 of each kind by default).

mod common;

use common::Rng;
use ferrous_compiler::{Instruction, OpCode};
use ferrous_vm::{Outcome, Profile, Value, Vm};

/// Functions whose dumps are mutated: every opcode, nested closures with upvalues, varargs,
/// long constructors (`SETLIST` with an extra word needs more than 25,550 items, so only the
/// short form here), loops of both kinds.
const SEEDS: &[&str] = &[
    "local a, b = ... return a + b, a .. b, a < b, not a, #b",
    "local t = {1, 2, 3, x = 'y', [10] = false} for i = 1, #t do t[i] = t[i] * 2 end return t",
    "local n = 0 for k, v in pairs({a = 1, b = 2}) do n = n + v end return n",
    "local function f(...) local x = select('#', ...) return x, ... end return f(1, nil, 3)",
    "local u = 1 local function g() u = u + 1 return function() return u end end return g()()",
    "local s = '' while #s < 10 do s = s .. 'x' end repeat s = s:sub(2) until #s < 3 return s",
    "local t = setmetatable({}, {__index = function(t, k) return k end}) return t.x, t[1]",
    "return {...}, {f = function(self, x) return self, x end}, -(...) or 2 ^ 3 % 5 / 1",
    "local a = {} for i = 1, 60 do a[i] = i end return #a, unpack(a, 1, 3)",
    "local ok, e = pcall(error, 'x') local c = coroutine.wrap(function(a) coroutine.yield(a) end) return ok, e, c(5)",
];

/// The dumps of the seeds (from a VM that allows binary chunks).
fn seed_dumps() -> Vec<Vec<u8>> {
    let mut vm = Vm::builder().build();
    SEEDS
        .iter()
        .map(|src| {
            let f = vm.load(src.as_bytes(), "=seed").expect("seed compiles");
            let dump = vm.get_global("string").expect("string library");
            let Value::Table(string) = dump else {
                panic!("string is a table");
            };
            let key = vm.string_value(b"dump").expect("interns");
            let dump = vm.heap().raw_get(string, key).expect("reads");
            let res = vm.call(dump, &[f]).expect("dumps");
            let Value::String(s) = res[0] else {
                panic!("a string");
            };
            vm.str_bytes(s).expect("live").to_vec()
        })
        .collect()
}

/// A random instruction with operands anywhere in their ranges.
fn random_instruction(rng: &mut Rng) -> u32 {
    let op = OpCode::ALL[rng.below(OpCode::ALL.len())];
    let small = |rng: &mut Rng| rng.below(12) as u32;
    match rng.below(3) {
        0 => Instruction::abc(op, small(rng), small(rng), small(rng)).0,
        1 => Instruction::abx(op, small(rng), rng.below(8) as u32).0,
        _ => rng.next() as u32,
    }
}

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut chunk = seed.to_vec();
    for _ in 0..=rng.below(3) {
        let len = chunk.len().max(1);
        match rng.below(9) {
            0 => {
                let at = rng.below(len);
                if let Some(b) = chunk.get_mut(at) {
                    *b ^= 1 << rng.below(8);
                }
            }
            1 => {
                let at = rng.below(len);
                if let Some(b) = chunk.get_mut(at) {
                    *b = rng.next() as u8;
                }
            }
            2 => {
                // An instruction of the main function: its code follows the header, the source
                // (an 8-byte size and the bytes), 12 bytes of fields and the 4-byte count.
                let size = chunk
                    .get(12..20)
                    .and_then(|b| <[u8; 8]>::try_from(b).ok())
                    .map_or(0, u64::from_le_bytes);
                let count = usize::try_from(size).ok().and_then(|size| {
                    let start = 20usize.checked_add(size)?.checked_add(12)?;
                    let n = chunk.get(start..start + 4)?;
                    Some((
                        start + 4,
                        u32::from_le_bytes([n[0], n[1], n[2], n[3]]) as usize,
                    ))
                });
                if let Some((code, n)) = count.filter(|&(_, n)| n > 0) {
                    let at = code + 4 * rng.below(n);
                    let word = random_instruction(rng).to_le_bytes();
                    if at + 4 <= chunk.len() {
                        chunk[at..at + 4].copy_from_slice(&word);
                    }
                }
            }
            3 => chunk.truncate(rng.below(len)),
            4 => {
                let at = rng.below(len);
                let n = rng.below(9);
                for _ in 0..n {
                    chunk.insert(at.min(chunk.len()), rng.next() as u8);
                }
            }
            5 => {
                let at = rng.below(len);
                let end = (at + rng.below(16)).min(chunk.len());
                chunk.drain(at.min(end)..end);
            }
            6 => {
                // Swap two sections of equal length.
                let n = 1 + rng.below(24);
                if chunk.len() > 2 * n {
                    let a = rng.below(chunk.len() - 2 * n);
                    let b = a + n + rng.below(chunk.len() - a - 2 * n + 1);
                    for j in 0..n {
                        chunk.swap(a + j, b + j);
                    }
                }
            }
            7 => {
                // Duplicate a section in place.
                let at = rng.below(len);
                let end = (at + 1 + rng.below(32)).min(chunk.len());
                let piece = chunk[at.min(end)..end].to_vec();
                let to = rng.below(len).min(chunk.len());
                chunk.splice(to..to, piece);
            }
            _ => {
                // A big count or size where a 4- or 8-byte field may be.
                let at = rng.below(len);
                let big = [0xff, 0xff, 0xff, 0x7f];
                for (j, b) in big.iter().enumerate() {
                    if let Some(x) = chunk.get_mut(at + j) {
                        *x = *b;
                    }
                }
            }
        }
    }
    chunk
}

/// Loads and runs one chunk; returns whether it loaded.
fn run_case(chunk: &[u8]) -> bool {
    let mut vm = Vm::builder()
        .profile(Profile::Sandbox)
        .binary_chunks(true)
        .memory_limit(Some(8 << 20))
        .build();
    vm.set_stdout(Box::new(std::io::sink()));
    vm.set_interrupt(Some(Box::new(|| Some(b"interrupted".to_vec()))));
    let Ok(f) = vm.load(chunk, "=fuzz") else {
        return false;
    };
    let args = [Value::Number(1.0), Value::Number(2.0)];
    if vm.start(f, &args).is_err() {
        return true;
    }
    for _ in 0..8 {
        match vm.run_for(20_000) {
            Ok(Outcome::Paused) => continue,
            _ => return true,
        }
    }
    vm.abort();
    true
}

#[test]
fn mutated_dumps_never_panic_or_hang() {
    let cases: u64 = std::env::var("FERROUS_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_500);
    let seeds = seed_dumps();
    for seed in &seeds {
        assert!(run_case(seed), "an unmutated dump loads");
    }
    let mut rng = Rng(0xB1A5_ED5E_ED00_0001);
    let mut loaded = 0u64;
    for case in 0..cases {
        let seed = &seeds[rng.below(seeds.len())];
        let chunk = mutate(&mut rng, seed);
        let res = std::panic::catch_unwind(|| run_case(&chunk));
        match res {
            Ok(true) => loaded += 1,
            Ok(false) => {}
            Err(_) => panic!("case {case} panicked; chunk: {chunk:?}"),
        }
    }
    // Most mutations must be refused, some must still load (the test exercises both sides).
    assert!(loaded > 0 && loaded < cases, "{loaded} of {cases} loaded");
    eprintln!("binary fuzz: {cases} cases, {loaded} loaded and ran");
}

/// A random prototype of `module` (depth-first order), mutably.
fn pick_proto<'m>(
    rng: &mut Rng,
    module: &'m mut ferrous_compiler::CompiledModule,
) -> &'m mut ferrous_compiler::Proto {
    let mut proto = &mut module.main;
    while !proto.protos.is_empty() && rng.below(2) == 0 {
        let i = rng.below(proto.protos.len());
        proto = &mut proto.protos[i];
    }
    proto
}

/// Changes instructions and header fields of a compiled module where they matter most: the
/// verifier alone stands between these and the interpreter.
fn mutate_module(rng: &mut Rng, module: &mut ferrous_compiler::CompiledModule) {
    for _ in 0..=rng.below(3) {
        let proto = pick_proto(rng, module);
        let n = proto.code.len();
        match rng.below(8) {
            0 | 1 => {
                let at = rng.below(n);
                proto.code[at] = Instruction(random_instruction(rng));
            }
            2 => {
                // One operand moved by a little.
                let at = rng.below(n);
                let shift = [6, 14, 23][rng.below(3)];
                let delta = [1u32, 2, 255, 256, 511][rng.below(5)];
                let word = &mut proto.code[at].0;
                *word = if rng.below(2) == 0 {
                    word.wrapping_add(delta << shift)
                } else {
                    word.wrapping_sub(delta << shift)
                };
            }
            3 => {
                let (a, b) = (rng.below(n), rng.below(n));
                proto.code.swap(a, b);
            }
            4 => proto.max_stack_size = rng.below(256) as u8,
            5 => proto.num_params = rng.below(8) as u8,
            6 => proto.is_vararg = rng.below(8) as u8,
            _ => proto.num_upvalues = rng.below(4) as u8,
        }
    }
}

#[test]
fn mutated_modules_never_panic_or_hang() {
    let cases: u64 = std::env::var("FERROUS_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_500);
    let seeds: Vec<_> = SEEDS.iter().map(|src| module(src)).collect();
    let mut rng = Rng(0x5EED_0FC0_DE00_0002);
    let mut loaded = 0u64;
    for case in 0..cases {
        let mut m = seeds[rng.below(seeds.len())].clone();
        mutate_module(&mut rng, &mut m);
        let res = std::panic::catch_unwind(|| {
            let mut vm = Vm::builder()
                .profile(Profile::Sandbox)
                .memory_limit(Some(8 << 20))
                .build();
            vm.set_stdout(Box::new(std::io::sink()));
            vm.set_interrupt(Some(Box::new(|| Some(b"interrupted".to_vec()))));
            let Ok(f) = vm.load_module(&m) else {
                return false;
            };
            if vm
                .start(f, &[Value::Number(1.0), Value::Number(2.0)])
                .is_ok()
            {
                for _ in 0..8 {
                    if !matches!(vm.run_for(20_000), Ok(Outcome::Paused)) {
                        return true;
                    }
                }
                vm.abort();
            }
            true
        });
        match res {
            Ok(true) => loaded += 1,
            Ok(false) => {}
            Err(_) => panic!("case {case} panicked; module: {m:?}"),
        }
    }
    assert!(loaded > 0 && loaded < cases, "{loaded} of {cases} loaded");
    eprintln!("module fuzz: {cases} cases, {loaded} loaded and ran");
}

fn module(src: &str) -> ferrous_compiler::CompiledModule {
    ferrous_compiler::compile(src.as_bytes(), b"=test").expect("compiles")
}

fn load_err(module: &ferrous_compiler::CompiledModule) -> String {
    let mut vm = Vm::builder().build();
    match vm.load_module(module) {
        Ok(_) => String::from("loaded"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn load_module_verifies_hand_built_modules() {
    // An out-of-range constant index in LOADK.
    let mut m = module("local x = 'a' return x");
    m.main.code[0] = Instruction::abx(OpCode::LoadK, 0, 7);
    assert!(
        load_err(&m).starts_with("bad code in loaded module"),
        "{}",
        load_err(&m)
    );
    // An RK constant out of range.
    let mut m = module("local a = ... return a + 1");
    let add = m
        .main
        .code
        .iter()
        .position(|i| i.opcode() == Ok(OpCode::Add))
        .expect("an ADD");
    m.main.code[add] = Instruction::abc(OpCode::Add, 1, 0, 256 + 9);
    assert!(load_err(&m).contains("Constant"), "{}", load_err(&m));
    // A register past the frame, a jump out of the code, an unknown opcode, no RETURN.
    let mut m = module("return 1");
    m.main.code[0] = Instruction::abc(OpCode::Move, 200, 0, 0);
    assert!(load_err(&m).contains("Register"));
    let mut m = module("return 1");
    m.main
        .code
        .insert(0, Instruction::asbx(OpCode::Jmp, 0, 100));
    m.main.line_info.insert(0, 1);
    assert!(load_err(&m).contains("Jump"));
    let mut m = module("return 1");
    m.main.code[0] = Instruction(63);
    assert!(load_err(&m).contains("UnknownOpcode"));
    let mut m = module("local x = 1");
    m.main.code.pop();
    m.main.line_info.pop();
    assert!(load_err(&m).contains("NoReturn"));
    // An open call consumer without its producer (Ferrous's stricter rule).
    let mut m = module("local f = ... f(f())");
    let call = m
        .main
        .code
        .iter()
        .position(|i| i.opcode() == Ok(OpCode::Call))
        .expect("a CALL");
    m.main.code[call] = Instruction::abc(OpCode::Call, 2, 1, 1);
    assert!(load_err(&m).contains("OpenResults"), "{}", load_err(&m));
    // A nested prototype is checked too; the unmodified module loads.
    let mut m = module("local function f() return 1 end return f");
    assert_eq!(load_err(&m), "loaded");
    m.main.protos[0].code[0] = Instruction::abx(OpCode::LoadK, 0, 5);
    assert!(load_err(&m).contains("Constant"));
}
