//! Unit tests of the lexer: tokens, line counting and lua5.1's lexical error messages.

use super::*;

/// Lexes `src` to the end: the tokens, or the error message.
fn lex_all(src: &[u8]) -> Result<Vec<(Tok, Sem, u32)>, String> {
    let mut lexer = Lexer::new(Input::slice(src), b"=t", Interner::default());
    let mut out = Vec::new();
    loop {
        lexer
            .next()
            .map_err(|e| String::from_utf8_lossy(e.message_bytes()).into_owned())?;
        if lexer.t.tok == Tok::Eos {
            return Ok(out);
        }
        out.push((lexer.t.tok, lexer.t.sem, lexer.line()));
    }
}

fn kinds(src: &str) -> Vec<Tok> {
    lex_all(src.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|t| t.0)
        .collect()
}

fn error(src: &[u8]) -> String {
    match lex_all(src) {
        Ok(toks) => format!("no error: {toks:?}"),
        Err(e) => e,
    }
}

#[test]
fn operators_and_keywords() {
    use Tok::*;
    assert_eq!(
        kinds("and or not x == ~= <= >= < > = .. ... . ~ # % ^ ; : , [ ] { } ( )"),
        vec![
            And,
            Or,
            Not,
            Name,
            Eq,
            Ne,
            Le,
            Ge,
            Char(b'<'),
            Char(b'>'),
            Char(b'='),
            Concat,
            Dots,
            Char(b'.'),
            Char(b'~'),
            Char(b'#'),
            Char(b'%'),
            Char(b'^'),
            Char(b';'),
            Char(b':'),
            Char(b','),
            Char(b'['),
            Char(b']'),
            Char(b'{'),
            Char(b'}'),
            Char(b'('),
            Char(b')')
        ]
    );
    assert_eq!(kinds("andx _end end9 goto"), vec![Name, Name, Name, Name]);
    assert_eq!(
        kinds("a--comment\nb--[[long\ncomment]]c"),
        vec![Name, Name, Name]
    );
}

#[test]
fn numbers() {
    let nums: Vec<Sem> = lex_all(b"3 3. .5 1e10 0x1F 1E-3 0xAp1")
        .unwrap_or_default()
        .into_iter()
        .map(|t| t.1)
        .collect();
    assert_eq!(
        nums,
        [3.0, 3.0, 0.5, 1e10, 31.0, 1e-3, 20.0]
            .map(Sem::Num)
            .to_vec()
    );
    assert_eq!(error(b"x = 1..2"), "t:1: malformed number near '1..2'");
    assert_eq!(error(b"3x"), "t:1: malformed number near '3x'");
    assert_eq!(error(b"0x"), "t:1: malformed number near '0x'");
    assert_eq!(error(b"\n.5e+"), "t:2: malformed number near '.5e+'");
    assert_eq!(kinds("a..b"), vec![Tok::Name, Tok::Concat, Tok::Name]);
}

#[test]
fn strings_and_escapes() {
    let mut lexer = Lexer::new(
        Input::slice(b"'a\\tb\\65\\066\\\n\\\\\\\"\\q' [==[\nx]]y]=]]==] \"\""),
        b"=t",
        Interner::default(),
    );
    let mut got = Vec::new();
    for _ in 0..3 {
        lexer.next().unwrap_or_else(|e| panic!("{e}"));
        let Sem::Str(idx) = lexer.t.sem else {
            panic!("not a string")
        };
        got.push(lexer.interner.lookup_slow(idx).to_vec());
    }
    assert_eq!(got[0], b"a\tbAB\n\\\"q");
    assert_eq!(got[1], b"x]]y]=]");
    assert_eq!(got[2], b"");
    assert_eq!(lexer.line(), 3);
}

#[test]
fn line_breaks() {
    let lines: Vec<u32> = lex_all(b"a\r\nb\n\rc\n\nd\re")
        .unwrap_or_default()
        .into_iter()
        .map(|t| t.2)
        .collect();
    assert_eq!(lines, vec![1, 2, 3, 5, 6]);
}

#[test]
fn lexical_errors_match_lua51() {
    assert_eq!(error(b"x = \"abc"), "t:1: unfinished string near '<eof>'");
    assert_eq!(
        error(b"x = \"abc\n\""),
        "t:1: unfinished string near '\"abc'"
    );
    assert_eq!(
        error(b"x = 'a\\tb\n"),
        "t:1: unfinished string near ''a\tb'"
    );
    assert_eq!(
        error(b"x = \"a\\300\""),
        "t:1: escape sequence too large near '\"a'"
    );
    assert_eq!(
        error(b"x = [==x"),
        "t:1: invalid long string delimiter near '[=='"
    );
    assert_eq!(
        error(b"x = [[\n\nabc"),
        "t:3: unfinished long string near '<eof>'"
    );
    assert_eq!(
        error(b"--[==[\nabc"),
        "t:2: unfinished long comment near '<eof>'"
    );
    assert_eq!(
        error(b"x = [[ [[ ]]"),
        "t:1: nesting of [[...]] is deprecated near '['"
    );
    assert_eq!(
        error(b"--[[ [[ ]]"),
        "t:1: nesting of [[...]] is deprecated near '['"
    );
    assert!(error(b"x = [==[ [==[ ]==]").starts_with("no error"));
    assert_eq!(error(b"'\\"), "t:1: unfinished string near '<eof>'");
}
