//! A bounded fuzz run of the VM: random (syntactically valid) programs that stress metamethods,
//! coroutines, patterns, `string.format`, sorting, errors and deep nesting run under a fuel
//! budget and a memory cap. Whatever they do, the VM must not panic, must return (finished, an
//! error, or paused), and must run the next script afterwards.
//!
//! The generator is a seeded xorshift, so a failure names the seed and program that caused it.
//! `FERROUS_FUZZ_CASES=N` runs more programs.

mod common;

use common::Rng;
use ferrous_vm::{Outcome, Profile, Value, Vm};

const PATTERN_BYTES: &[u8] = b"()[]%^$*+-?.abc1 dw%a%d%s%b()%f[%a]";
const FORMAT_SPECS: &[&str] = &[
    "%d", "%5.2f", "%-8s", "%q", "%x", "%X", "%o", "%e", "%g", "%c", "%%", "%10.3s", "%+d", "%#x",
    "%05d", "%i", "%u", "%G", "%E", "%y", "%", "%123d",
];

fn pattern(rng: &mut Rng) -> String {
    let len = rng.below(8);
    let mut out = String::new();
    for _ in 0..len {
        let b = PATTERN_BYTES[rng.below(PATTERN_BYTES.len())];
        if b == b'"' || b == b'\\' {
            continue;
        }
        out.push(b as char);
    }
    out
}

fn expr(rng: &mut Rng, depth: usize) -> String {
    if depth > 3 {
        return rng
            .pick(&[
                "1", "0", "-2.5", "'ab'", "nil", "true", "x", "t", "s", "1e308", "0/0",
            ])
            .to_owned();
    }
    let d = depth + 1;
    match rng.below(16) {
        0 => format!(
            "({} {} {})",
            expr(rng, d),
            rng.pick(&[
                "+", "-", "*", "/", "%", "^", "..", "==", "<", "<=", "and", "or"
            ]),
            expr(rng, d)
        ),
        1 => format!(
            "{{{}, {}, k = {}}}",
            expr(rng, d),
            expr(rng, d),
            expr(rng, d)
        ),
        2 => format!("#{}", rng.pick(&["t", "s", "'xyz'", "{1,2,nil,4}"])),
        3 => format!("t[{}]", expr(rng, d)),
        4 => format!("string.rep({}, {})", expr(rng, d), rng.below(40)),
        5 => format!(
            "string.format('{}', {}, {})",
            rng.pick(FORMAT_SPECS),
            expr(rng, d),
            expr(rng, d)
        ),
        6 => format!("string.find(s, \"{}\")", pattern(rng)),
        7 => format!(
            "string.gsub(s, \"{}\", {})",
            pattern(rng),
            rng.pick(&["'%0%0'", "'%1'", "{}", "function(c) return c end", "'x'"])
        ),
        8 => format!("select('#', string.match(s, \"{}\"))", pattern(rng)),
        9 => format!("pcall(function() return {} end)", expr(rng, d)),
        10 => format!("tostring({})", expr(rng, d)),
        11 => format!(
            "tonumber({})",
            rng.pick(&["'0x1p4'", "'  5 '", "'z'", "x", "'1e'"])
        ),
        12 => format!(
            "(function(...) return select('#', ...) end)({}, {})",
            expr(rng, d),
            expr(rng, d)
        ),
        13 => format!("setmetatable({{}}, mt)[{}]", expr(rng, d)),
        14 => format!("co({})", expr(rng, d)),
        _ => format!("-({})", expr(rng, d)),
    }
}

fn stmt(rng: &mut Rng, depth: usize) -> String {
    let d = depth + 1;
    if depth > 2 {
        return format!("x = {}", expr(rng, d));
    }
    match rng.below(20) {
        0 => format!("x = {}", expr(rng, d)),
        // The shapes of the Lua conformance issue's panic and hangs: a vararg function with an
        // `arg` table called short, odd message handlers, overflows inside protected calls,
        // huge constructors, recursive `__index` under `xpcall`.
        12 => format!(
            "local function v(a, b, ...) return arg end x = v({})",
            rng.pick(&["", "1", "1, 2, 3", "nil, nil"])
        ),
        13 => format!(
            "x = {{xpcall(function() {} end, {})}}",
            stmt(rng, d),
            rng.pick(&[
                "nil",
                "false",
                "1",
                "'h'",
                "{}",
                "setmetatable({}, {__call = function() return 'c' end})",
                "function(m) return m end",
                "function(m) error(m) end",
                "print"
            ])
        ),
        14 => format!(
            "local function r(n) return {} end x = {{{}(r, {})}}",
            rng.pick(&["r(n + 1) + 1", "1 + r(n)", "r(n) .. 'x'"]),
            rng.pick(&["pcall", "xpcall"]),
            rng.pick(&["1", "function(m) return m end", "nil"])
        ),
        15 => format!(
            "x = #{{{}}}",
            std::iter::repeat_n("1", 100 + rng.below(40_000))
                .collect::<Vec<_>>()
                .join(",")
        ),
        16 => format!(
            "local rt = setmetatable({{}}, {{}}) getmetatable(rt).__index = function(t, k) return t[k] end x = {{xpcall(function() return rt.x end, {})}}",
            rng.pick(&["function(m) return m end", "nil", "error"])
        ),
        17 => format!(
            "x = collectgarbage({})",
            rng.pick(&["'step', 1", "'step', 0", "'count'", "", "'collect'"])
        ),
        18 => "local c = coroutine.wrap(function() setfenv(0, {}) coroutine.yield(1) end) pcall(c)"
            .to_owned(),
        19 => format!(
            "x = {{pcall(loadstring, {})}}",
            rng.pick(&["'return ...'", "'x ='", "string.rep('(', 300)", "'\\27Lua'"])
        ),
        1 => format!("t[{}] = {}", expr(rng, d), expr(rng, d)),
        2 => format!(
            "if {} then {} else {} end",
            expr(rng, d),
            stmt(rng, d),
            stmt(rng, d)
        ),
        3 => format!("for i = 1, {} do {} end", rng.below(50), stmt(rng, d)),
        4 => format!("pcall(function() {} end)", stmt(rng, d)),
        5 => format!(
            "table.sort(t, {})",
            rng.pick(&[
                "nil",
                "function(a, b) return true end",
                "function(a, b) return a < b end",
                "function(a, b) error('e') end"
            ])
        ),
        6 => format!("table.insert(t, {})", expr(rng, d)),
        7 => format!("s = s .. tostring({})", expr(rng, d)),
        8 => format!("error({}, {})", expr(rng, d), rng.below(4)),
        9 => format!(
            "local function f(n) if n > 0 then return f(n - 1) end return {} end x = f({})",
            expr(rng, d),
            rng.below(300)
        ),
        10 => "while true do x = (x or 0) end".to_owned(),
        _ => format!(
            "mt.{} = function(...) return {} end",
            rng.pick(&[
                "__index",
                "__newindex",
                "__add",
                "__concat",
                "__call",
                "__lt",
                "__eq",
                "__tostring",
                "__len"
            ]),
            expr(rng, d)
        ),
    }
}

fn program(rng: &mut Rng) -> String {
    let mut src = String::from(
        "local x, t, s = 1, {3, 1, 2}, 'hello world 123'\n\
         local mt = {}\n\
         local co = coroutine.wrap(function(...) while true do coroutine.yield(...) end end)\n",
    );
    for _ in 0..rng.below(12) + 1 {
        src.push_str(&stmt(rng, 0));
        src.push('\n');
    }
    src
}

#[test]
fn random_programs_never_panic() {
    let cases: u64 = std::env::var("FERROUS_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let mut vm = Vm::builder()
        .profile(Profile::Sandbox)
        .memory_limit(Some(64 << 20))
        .build();
    let (mut finished, mut failed, mut paused) = (0, 0, 0);
    // A hang is a failure too: a watchdog names the program that runs for a minute without
    // returning (every program runs under fuel, so none may).
    let current = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let watched = std::sync::Arc::clone(&current);
    std::thread::spawn(move || {
        let mut last = u64::MAX;
        loop {
            std::thread::sleep(std::time::Duration::from_secs(60));
            let seed = watched.load(std::sync::atomic::Ordering::Relaxed);
            if seed == last && seed != u64::MAX {
                eprintln!("fuzz: seed {seed} ran for over a minute: a hang");
                std::process::exit(101);
            }
            last = seed;
        }
    });
    for seed in 1..=cases {
        current.store(seed, std::sync::atomic::Ordering::Relaxed);
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let src = program(&mut rng);
        let f = match vm.load(src.as_bytes(), "=fuzz") {
            Ok(f) => f,
            Err(e) => panic!("seed {seed}: generated program does not compile: {e}\n{src}"),
        };
        vm.start(f, &[])
            .unwrap_or_else(|e| panic!("seed {seed}: start: {e}"));
        match vm.run_for(200_000) {
            Ok(Outcome::Paused) => {
                paused += 1;
                vm.abort();
            }
            Ok(Outcome::Finished(_)) => finished += 1,
            Err(_) => failed += 1,
        }
        // The VM stays usable.
        let check = vm.load(b"return 1 + 1", "=check").expect("compiles");
        let res = vm.call(check, &[]);
        assert_eq!(
            res.ok(),
            Some(vec![Value::Number(2.0)]),
            "seed {seed}:\n{src}"
        );
    }
    current.store(u64::MAX, std::sync::atomic::Ordering::Relaxed);
    // The generator must reach every outcome, or the run proves little.
    assert!(
        finished > 0 && failed > 0 && paused > 0,
        "finished {finished}, failed {failed}, paused {paused}"
    );
}
