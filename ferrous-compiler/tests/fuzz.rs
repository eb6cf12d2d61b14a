//! Property tests with a bounded budget (a few seconds in a debug build):
//!
//! - token soup: random sequences of Lua tokens, fragments and raw bytes never make the
//!   compiler panic (it returns a module or an error), and read in random pieces through
//!   `compile_reader` they give the same listing or error as the whole;
//! - random valid programs (from a small grammar-directed generator) always compile, and,
//!   when `luac5.1` is installed, their listing equals `luac5.1 -l -l`'s.
//!
//! `FERROUS_FUZZ_CASES=N` runs N cases per property instead (for long local runs).

use std::process::Command;

use ferrous_compiler::{ChunkReader, ReadFailed, compile, compile_reader, listing};
use proptest::prelude::*;

/// Number of cases: `default`, or `FERROUS_FUZZ_CASES` for a longer local run.
fn cases(default: u32) -> u32 {
    std::env::var("FERROUS_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

const PIECES: &[&str] = &[
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "if", "in", "local",
    "nil", "not", "or", "repeat", "return", "then", "true", "until", "while", "x", "y", "self",
    "_", "..", "...", "==", ">=", "<=", "~=", "=", "<", ">", "+", "-", "*", "/", "%", "^", "#",
    "(", ")", "{", "}", "[", "]", ";", ":", ",", ".", "1", "0x1F", "1e5", ".5", "3.", "'s'",
    "\"s\\n\"", "[[l]]", "[==[", "]==]", "--", "--[[", "]]", "\n", " ", "\"", "'", "\\", "\\300",
    "[=", "0x", "1e", "goto", "::", "//",
];

fn soup() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        4 => proptest::sample::select(PIECES).prop_map(|s| s.as_bytes().to_vec()),
        1 => any::<u8>().prop_map(|b| vec![b]),
    ];
    proptest::collection::vec(piece, 0..60).prop_map(|ps| ps.join(&b" "[..]))
}

/// Gives a chunk in pieces whose sizes cycle through `sizes`.
struct Pieces<'a> {
    src: &'a [u8],
    sizes: &'a [usize],
    i: usize,
}

impl ChunkReader for Pieces<'_> {
    fn read(&mut self, buf: &mut Vec<u8>) -> Result<bool, ReadFailed> {
        let size = self.sizes[self.i % self.sizes.len()].min(self.src.len());
        self.i += 1;
        buf.extend_from_slice(&self.src[..size]);
        self.src = &self.src[size..];
        Ok(size > 0)
    }
}

/// The listing, or the error message.
fn outcome(
    res: Result<ferrous_compiler::CompiledModule, ferrous_compiler::CompileError>,
) -> Vec<u8> {
    match res {
        Ok(module) => listing(&module),
        Err(e) => e.message_bytes().to_vec(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(600), ..ProptestConfig::default() })]

    #[test]
    fn token_soup_never_panics(src in soup()) {
        let _ = compile(&src, b"=soup");
    }

    #[test]
    fn token_soup_in_pieces_compiles_like_the_whole(
        src in soup(),
        sizes in proptest::collection::vec(1usize..9, 1..6),
    ) {
        let whole = outcome(compile(&src, b"=soup"));
        let mut reader = Pieces { src: &src, sizes: &sizes, i: 0 };
        prop_assert_eq!(outcome(compile_reader(&mut reader, b"=soup")), whole);
    }

    #[test]
    fn random_bytes_never_panic(src in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = compile(&src, b"=bytes");
    }
}

/// A tiny deterministic generator of valid Lua 5.1 programs.
struct Gen {
    state: u64,
    depth: u32,
}

impl Gen {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn pick(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn name(&mut self, locals: &[String]) -> String {
        if !locals.is_empty() && self.pick(2) == 0 {
            locals[self.pick(locals.len() as u64) as usize].clone()
        } else {
            ["a", "b", "g", "print", "t"][self.pick(5) as usize].to_owned()
        }
    }

    fn expr(&mut self, locals: &[String], vararg: bool) -> String {
        self.depth += 1;
        let leaf = self.depth > 4;
        let choice = if leaf { self.pick(6) } else { self.pick(16) };
        let e = match choice {
            0 => self.name(locals),
            1 => format!("{}", self.pick(300)),
            2 => ["nil", "true", "false", "0.5", "1e3", "-0"][self.pick(6) as usize].to_owned(),
            3 => format!("'s{}'", self.pick(20)),
            4 if vararg => "...".to_owned(),
            4 | 5 => format!("{}.f{}", self.name(locals), self.pick(3)),
            6 => {
                let ops = [
                    "+", "-", "*", "/", "%", "^", "..", "==", "~=", "<", "<=", ">", ">=", "and",
                    "or",
                ];
                let op = ops[self.pick(ops.len() as u64) as usize];
                format!(
                    "{} {op} {}",
                    self.expr(locals, vararg),
                    self.expr(locals, vararg)
                )
            }
            7 => {
                let op = ["- ", "not ", "#"][self.pick(3) as usize];
                format!("{op}{}", self.expr(locals, vararg))
            }
            8 => format!("({})", self.expr(locals, vararg)),
            9 => format!("{}({})", self.name(locals), self.exprlist(locals, vararg)),
            10 => format!("{{{}}}", self.exprlist(locals, vararg)),
            11 => format!(
                "{{x = {}, [{}] = {}; {}}}",
                self.expr(locals, vararg),
                self.expr(locals, vararg),
                self.expr(locals, vararg),
                self.expr(locals, vararg)
            ),
            12 => format!("{}[{}]", self.name(locals), self.expr(locals, vararg)),
            13 => format!("{}:m({})", self.name(locals), self.exprlist(locals, vararg)),
            14 => {
                let vararg_fn = self.pick(2) == 0;
                let body = self.block(locals, vararg_fn, false, 2);
                let dots = if vararg_fn { ", ..." } else { "" };
                format!("function(p, q{dots}) {body} end")
            }
            _ => format!(
                "{} .. {} .. {}",
                self.name(locals),
                self.pick(9),
                self.name(locals)
            ),
        };
        self.depth -= 1;
        e
    }

    fn exprlist1(&mut self, locals: &[String], vararg: bool) -> String {
        let first = self.expr(locals, vararg);
        let rest = self.exprlist(locals, vararg);
        if rest.is_empty() {
            first
        } else {
            format!("{first}, {rest}")
        }
    }

    fn exprlist(&mut self, locals: &[String], vararg: bool) -> String {
        let n = self.pick(4);
        (0..n)
            .map(|_| self.expr(locals, vararg))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn block(&mut self, outer: &[String], vararg: bool, in_loop: bool, budget: u32) -> String {
        let mut locals = outer.to_vec();
        let mut out = Vec::new();
        let n = self.pick(u64::from(budget) + 1);
        for _ in 0..n {
            out.push(self.stat(&mut locals, vararg, in_loop, budget.saturating_sub(1)));
        }
        match self.pick(6) {
            0 => out.push(format!("return {}", self.exprlist(&locals, vararg))),
            1 if in_loop => out.push("break".to_owned()),
            _ => {}
        }
        out.join(";\n")
    }

    fn stat(
        &mut self,
        locals: &mut Vec<String>,
        vararg: bool,
        in_loop: bool,
        budget: u32,
    ) -> String {
        match self.pick(17) {
            0 | 1 => {
                let name = format!("l{}", locals.len());
                let s = if self.pick(4) == 0 {
                    format!("local {name}, {name}b")
                } else {
                    format!("local {name}, {name}b = {}", self.exprlist1(locals, vararg))
                };
                locals.push(name);
                s
            }
            2 => format!(
                "{}, {}.k = {}",
                self.name(locals),
                self.name(locals),
                self.exprlist1(locals, vararg)
            ),
            3 => format!("{} = {}", self.name(locals), self.expr(locals, vararg)),
            4 => format!("{}({})", self.name(locals), self.exprlist(locals, vararg)),
            5 => format!(
                "if {} then {} elseif {} then {} else {} end",
                self.expr(locals, vararg),
                self.block(locals, vararg, in_loop, budget),
                self.expr(locals, vararg),
                self.block(locals, vararg, in_loop, budget),
                self.block(locals, vararg, in_loop, budget)
            ),
            6 => format!(
                "while {} do {} end",
                self.expr(locals, vararg),
                self.block(locals, vararg, true, budget)
            ),
            7 => format!(
                "repeat local r = {}; {} until r or {}",
                self.expr(locals, vararg),
                self.block(locals, vararg, true, budget),
                self.expr(locals, vararg)
            ),
            8 => {
                let mut inner = locals.clone();
                inner.push("i".to_owned());
                format!(
                    "for i = {}, {}, {} do {} end",
                    self.expr(locals, vararg),
                    self.expr(locals, vararg),
                    self.pick(3) + 1,
                    self.block(&inner, vararg, true, budget)
                )
            }
            9 => {
                let mut inner = locals.clone();
                inner.push("k".to_owned());
                inner.push("v".to_owned());
                let iter = if self.pick(2) == 0 {
                    format!("pairs({})", self.expr(locals, vararg))
                } else {
                    "next, t".to_owned()
                };
                format!(
                    "for k, v in {iter} do {} end",
                    self.block(&inner, vararg, true, budget)
                )
            }
            10 => {
                let name = format!("lf{}", locals.len());
                locals.push(name.clone());
                let body = self.block(locals, true, false, budget);
                format!("local function {name}(a, ...) {body} end")
            }
            _ => format!("do {} end", self.block(locals, vararg, in_loop, budget)),
        }
    }
}

/// luac5.1's listing of `src`: `None` when luac5.1 is not installed, `Some(Err(message))`
/// when it rejects the program.
fn luac_listing(src: &str) -> Option<Result<Vec<u8>, String>> {
    let dir = std::env::temp_dir().join(format!("ferrous-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    std::fs::write(dir.join("gen.lua"), src).ok()?;
    let out = Command::new("luac5.1")
        .args(["-l", "-l", "-o", "/dev/null", "gen.lua"])
        .current_dir(&dir)
        .output()
        .ok()?;
    Some(if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    })
}

fn strip_addresses(s: &[u8]) -> String {
    let text = String::from_utf8_lossy(s);
    let mut out = String::with_capacity(text.len());
    let mut rest = &*text;
    while let Some(pos) = rest.find("0x") {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 2..];
        let n = after.bytes().take_while(u8::is_ascii_hexdigit).count();
        out.push_str("0xADDR");
        rest = &after[n..];
    }
    out.push_str(rest);
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(250), ..ProptestConfig::default() })]

    #[test]
    fn valid_programs_compile_like_luac(seed in any::<u64>()) {
        let mut g = Gen { state: seed | 1, depth: 0 };
        let src = g.block(&[], true, false, 4);
        let module = compile(src.as_bytes(), b"@gen.lua");
        prop_assert!(module.is_ok(), "{src}\n{:?}", module.err().map(|e| e.to_string()));
        if let (Ok(module), Some(theirs)) = (module, luac_listing(&src)) {
            prop_assert!(theirs.is_ok(), "{src}\nluac5.1 rejects it: {:?}", theirs.err());
            let ours = strip_addresses(&listing(&module));
            let theirs = strip_addresses(&theirs.unwrap_or_default());
            prop_assert!(ours == theirs, "{src}\n--- luac5.1:\n{theirs}\n--- ferrous:\n{ours}");
        }
    }
}
