//! Pathological inputs: deep nesting and long chains must give 5.1's error (or compile),
//! never overflow the stack, even on a 2 MiB thread (the default for test threads) in a
//! debug build. Measured: the deepest input needs between 320 and 640 KiB in a debug build,
//! so 2 MiB leaves a margin of three or more.

use ferrous_compiler::{CompileErrorKind, compile};

/// Compiles `src` on a thread with a 2 MiB stack; the error kind, if any.
fn check_on_small_stack(src: Vec<u8>) -> Option<CompileErrorKind> {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || compile(&src, b"=deep").err().map(|e| e.kind))
        .expect("spawn")
        .join()
        .expect("compiler thread panicked")
}

fn repeat(prefix: &str, unit: &str, n: usize, suffix: &str) -> Vec<u8> {
    let mut s = String::from(prefix);
    s.push_str(&unit.repeat(n));
    s.push_str(suffix);
    s.into_bytes()
}

const N: usize = 100_000;
const STACK: usize = 2 << 20;
const LEVELS: Option<CompileErrorKind> = Some(CompileErrorKind::TooManySyntaxLevels);

#[test]
fn deep_parentheses() {
    assert_eq!(check_on_small_stack(repeat("x = ", "(", N, "1")), LEVELS);
}

#[test]
fn deep_tables() {
    assert_eq!(check_on_small_stack(repeat("x = ", "{", N, "")), LEVELS);
}

#[test]
fn deep_blocks_and_functions() {
    assert_eq!(check_on_small_stack(repeat("", "do ", N, "")), LEVELS);
    assert_eq!(
        check_on_small_stack(repeat("", "while 1 do ", N, "")),
        LEVELS
    );
    assert_eq!(
        check_on_small_stack(repeat("", "if 1 then ", N, "")),
        LEVELS
    );
    // Four locals per loop: the 200-locals limit comes first.
    assert_eq!(
        check_on_small_stack(repeat("", "for i=1,2 do ", N, "")),
        Some(CompileErrorKind::LimitExceeded)
    );
    assert_eq!(check_on_small_stack(repeat("", "repeat ", N, "")), LEVELS);
    assert_eq!(
        check_on_small_stack(repeat("x = ", "function() return ", N, "")),
        LEVELS
    );
    assert_eq!(
        check_on_small_stack(repeat("", "local function f() ", N, "")),
        LEVELS
    );
}

#[test]
fn deep_operators() {
    assert_eq!(
        check_on_small_stack(repeat("x = 1", " .. 1", N, "")),
        LEVELS
    );
    assert_eq!(check_on_small_stack(repeat("x = 2", " ^ 2", N, "")), LEVELS);
    assert_eq!(check_on_small_stack(repeat("x = ", "- ", N, "1")), LEVELS);
    assert_eq!(check_on_small_stack(repeat("x = ", "not ", N, "1")), LEVELS);
    assert_eq!(check_on_small_stack(repeat("x = ", "f(", N, "")), LEVELS);
    assert_eq!(check_on_small_stack(repeat("x = ", "a[", N, "")), LEVELS);
    assert_eq!(check_on_small_stack(repeat("x = ", "{f = ", N, "")), LEVELS);
}

#[test]
fn long_chains_compile() {
    // Left-associative chains are loops in 5.1's parser, not recursion.
    assert_eq!(check_on_small_stack(repeat("x = a", ".a", N, "")), None);
    assert_eq!(check_on_small_stack(repeat("x = a", ":a()", N, "")), None);
    assert_eq!(check_on_small_stack(repeat("x = a", "()", N, "")), None);
    assert_eq!(check_on_small_stack(repeat("x = 1", " + 1", N, "")), None);
    assert_eq!(check_on_small_stack(repeat("", "x = 1 ", N, "")), None);
    assert_eq!(check_on_small_stack(repeat("x = {", "1, ", N, "}")), None);
}

#[test]
fn long_assignment_lists() {
    assert_eq!(
        check_on_small_stack(repeat("a", ", a", N, " = 1")),
        Some(CompileErrorKind::LimitExceeded)
    );
    assert_eq!(
        check_on_small_stack(repeat("a", ", a.b", N, " = 1")),
        Some(CompileErrorKind::LimitExceeded)
    );
}
