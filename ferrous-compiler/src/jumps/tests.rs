//! Work of compiling long chains, counted in steps along jump lists (`WALK_STEPS`) rather
//! than timed: every chain shape at 15,000 and 100,000 terms must take a bounded number of
//! steps per term. Lua 5.1's `luaK_concat` takes about n^2/2 steps (5 * 10^9 at 100,000)
//! on these shapes. `tests/differential.rs` checks the same shapes' listings against
//! luac5.1's at 2,000 terms.

use std::cell::Cell;

use super::WALK_STEPS;
use crate::CompileErrorKind;

/// Steps allowed per term: the linear code takes at most about 6 (measured; the count is
/// deterministic), the quadratic one n/2 (7,500 and more here).
const STEPS_PER_TERM: u64 = 10;

/// Compiles `src`: the steps taken along jump lists, and the error kind if any.
fn walk_steps(src: &str) -> (u64, Option<CompileErrorKind>) {
    WALK_STEPS.with(|steps| steps.set(0));
    let res = crate::compile(src.as_bytes(), b"=chain");
    (WALK_STEPS.with(Cell::get), res.err().map(|e| e.kind))
}

/// `prefix`, then `term(i)` for `i` in `0..n`, then `suffix`.
fn chain(prefix: &str, term: impl Fn(usize) -> String, n: usize, suffix: &str) -> String {
    let mut s = String::from(prefix);
    for i in 0..n {
        s.push_str(&term(i));
    }
    s.push_str(suffix);
    s
}

/// Every long-chain shape with `n` terms, named.
fn shapes(n: usize) -> Vec<(&'static str, String)> {
    vec![
        ("or", chain("return ", |_| "a or ".into(), n, "b")),
        ("and", chain("return ", |_| "a and ".into(), n, "b")),
        (
            "comparisons",
            chain("return ", |i| format!("x == {i} or "), n, "x"),
        ),
        (
            "parenthesised",
            chain("return ", |_| "(a or b) or ".into(), n, "c"),
        ),
        ("and_or", chain("x = ", |_| "a and b or ".into(), n, "c")),
        ("not", chain("return not (", |_| "a or ".into(), n, "b)")),
        (
            "elseif",
            chain(
                "if x == -1 then ",
                |i| format!("elseif x == {i} then f() "),
                n,
                "else g() end",
            ),
        ),
        (
            "while",
            chain("while ", |_| "a and ".into(), n, "b do f() end"),
        ),
        (
            "repeat",
            chain("repeat f() until ", |_| "a or ".into(), n, "b"),
        ),
        (
            "breaks",
            chain("while x do ", |_| "if a then break end ".into(), n, "end"),
        ),
        (
            "if_condition",
            chain("if ", |_| "a or ".into(), n, "b then f() end"),
        ),
    ]
}

#[test]
fn long_chains_take_linear_work() {
    // 15,000 terms compile; at 100,000 every shape has a jump longer than an sBx offset
    // allows (2 or more instructions per term), which luac5.1 reports too, once its
    // quadratic walk is done.
    for (n, outcome) in [
        (15_000, None),
        (100_000, Some(CompileErrorKind::ControlStructureTooLong)),
    ] {
        for (name, src) in shapes(n) {
            let (steps, err) = walk_steps(&src);
            assert_eq!(err, outcome, "{name} with {n} terms");
            assert!(
                steps <= STEPS_PER_TERM * n as u64,
                "{name}: {steps} steps along jump lists for {n} terms"
            );
        }
    }
}
