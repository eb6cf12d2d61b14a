//! `compile_reader`: a chunk read in pieces compiles to exactly what `compile` gives for the
//! whole chunk (listing or error message), and the reader is called when lua5.1's `load` calls
//! it: the counts below are lua5.1's for a reader returning one byte per call.

use ferrous_compiler::{
    ChunkReader, CompileErrorKind, ReadFailed, compile, compile_reader, listing,
};

/// Gives `source` in pieces of `size` bytes, counting the calls; fails at call `fail_at`.
struct Pieces<'a> {
    source: &'a [u8],
    size: usize,
    calls: usize,
    fail_at: Option<usize>,
}

impl ChunkReader for Pieces<'_> {
    fn read(&mut self, buf: &mut Vec<u8>) -> Result<bool, ReadFailed> {
        self.calls += 1;
        if self.fail_at == Some(self.calls) {
            return Err(ReadFailed);
        }
        let n = self.size.min(self.source.len());
        buf.extend_from_slice(&self.source[..n]);
        self.source = &self.source[n..];
        Ok(n > 0)
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

/// Compiles `src` read `size` bytes at a time: the outcome and the number of reader calls.
fn read_in_pieces(src: &[u8], size: usize) -> (Vec<u8>, usize) {
    let mut reader = Pieces {
        source: src,
        size,
        calls: 0,
        fail_at: None,
    };
    let res = compile_reader(&mut reader, b"=(load)");
    (outcome(res), reader.calls)
}

const SOURCES: &[&str] = &[
    "",
    "return 1\n",
    "local t = {a = 1, b; [3] = 'x'} return t.a .. t[3]",
    "x = 3e+5 y = .5 z = 0x1F w = 1..2",
    "-- comment\n--[==[ long\ncomment ]==] x = [[\nline1\r\nline2]] .. 'a\\tb\\65\\\n'",
    "a = 1 == 2 ~= 3 <= 4 >= 5 ... \r\n\n\r b",
    "x = = 1 + 2 + 3",
    "x = 'abc\\999' .. 1",
    "x = [[abc",
    "x = 3e+ y",
    "local t = {a = 1, b}  x = = 1",
    "x = 'ab\ncd'",
    "x = [==[ ]] ]=] ]==] .. [=",
    "--[[ unfinished",
    "x = [[ a [[ b ]] ]]",
    "*a = 123",
    "\x1bLua",
    "local function f(...) return ... end return f(1, 2)",
];

#[test]
fn pieces_compile_like_the_whole_chunk() {
    for src in SOURCES {
        let whole = outcome(compile(src.as_bytes(), b"=(load)"));
        for size in [1, 2, 3, 7, 4096] {
            let (got, _) = read_in_pieces(src.as_bytes(), size);
            assert_eq!(
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(&whole),
                "{src:?} in pieces of {size}"
            );
        }
    }
}

#[test]
fn the_reader_is_called_when_lua51_calls_it() {
    // (source, lua5.1's number of calls to a reader returning one byte per call).
    let cases: &[(&str, usize)] = &[
        ("*a = 123", 2),
        ("x = = 1 + 2 + 3", 6),
        ("x = 'abc\\999' .. 1", 13),
        ("x = [[abc", 10),
        ("x = 3e+ y", 8),
        ("local t = {a = 1, b}  x = = 1", 28),
        ("return 1\n", 10),
        ("x = 'ab\ncd'", 8),
    ];
    for &(src, calls) in cases {
        assert_eq!(read_in_pieces(src.as_bytes(), 1).1, calls, "{src:?}");
    }
}

#[test]
fn a_failing_reader_stops_the_compilation() {
    let mut reader = Pieces {
        source: b"x = 1 + 2",
        size: 1,
        calls: 0,
        fail_at: Some(4),
    };
    let err = compile_reader(&mut reader, b"=(load)")
        .err()
        .map(|e| e.kind);
    assert_eq!(err, Some(CompileErrorKind::ReadFailed));
    assert_eq!(reader.calls, 4);
}

#[test]
fn long_tokens_in_tiny_pieces_take_linear_time() {
    // A 1 MiB long string and comment read a byte at a time: rescanning after every piece
    // would be quadratic (10^12 steps); this finishes at once.
    let body = "x".repeat(1 << 20);
    let src = format!("--[[{body}]] return [[{body}]]");
    let (got, calls) = read_in_pieces(src.as_bytes(), 1);
    assert!(
        got.starts_with(b"\nmain <(load):0,0>"),
        "{}",
        String::from_utf8_lossy(&got[..80])
    );
    assert!(calls <= src.len() * 2 + 1);
}
