//! Hand-written sub-lexers called from the `logos` automaton: short strings with escapes,
//! long brackets with levels (strings and comments), short comments, line breaks, numerals.
//!
//! Each callback consumes its token with `Lexer::bump` (never past the end of the input),
//! keeps `Extras::line` up to date, and fails with the exact 5.1 message and near-text.
//!
//! Invariants:
//! - A line break is `\n`, `\r`, `\r\n` or `\n\r` (5.1's `inclinenumber`); inside strings
//!   it is stored as `\n`.
//! - Long brackets follow 5.1.5 with `LUA_COMPAT_LSTR` 1: `[[` inside a level-0 long string
//!   or comment is the error `nesting of [[...]] is deprecated`.

use logos::{FilterResult, Lexer, Skip};

use super::RawTok;
use crate::error::CompileErrorKind;
use crate::number::str_to_number;

/// What a lexical error is near.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) enum Near {
    /// No near-token (5.1 passes token 0).
    #[default]
    None,
    /// `near '<eof>'`.
    Eof,
    /// `near '<this text>'`.
    Text(Vec<u8>),
}

/// A lexical error as the callbacks report it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LexErr {
    pub(crate) kind: CompileErrorKind,
    pub(crate) msg: &'static str,
    pub(crate) line: u32,
    pub(crate) near: Near,
}

impl Default for LexErr {
    /// Never produced: every byte matches some pattern of the automaton.
    fn default() -> Self {
        LexErr {
            kind: CompileErrorKind::Syntax,
            msg: "unexpected symbol",
            line: 0,
            near: Near::None,
        }
    }
}

/// The decoded contents of a string token.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum StrLit<'s> {
    /// The contents are exactly these source bytes.
    Borrowed(&'s [u8]),
    /// The contents needed decoding; they are in `Extras::buf`.
    Buffered,
}

type Lex<'s> = Lexer<'s, RawTok<'s>>;

fn err(lex: &Lex<'_>, kind: CompileErrorKind, msg: &'static str, near: Near) -> LexErr {
    LexErr {
        kind,
        msg,
        line: lex.extras.line,
        near,
    }
}

/// Length of the line break at the start of `s` (0 if none): 5.1's `inclinenumber`.
fn line_break_len(s: &[u8]) -> usize {
    match s {
        [b'\n', b'\r', ..] | [b'\r', b'\n', ..] => 2,
        [b'\n' | b'\r', ..] => 1,
        _ => 0,
    }
}

pub(super) fn newline(lex: &mut Lex<'_>) -> Skip {
    lex.extras.line = lex.extras.line.saturating_add(1);
    Skip
}

/// `--` just matched: a long comment if `[=*[` follows, else a comment to the end of line.
pub(super) fn comment<'s>(lex: &mut Lex<'s>) -> FilterResult<(), LexErr> {
    let rest = lex.remainder();
    if let Some(sep) = open_bracket_level(rest) {
        let start = sep + 2;
        match scan_long(lex, start, sep, false) {
            Ok(_) => FilterResult::Skip,
            Err(e) => FilterResult::Error(e),
        }
    } else {
        let len = rest
            .iter()
            .position(|&c| c == b'\n' || c == b'\r')
            .unwrap_or(rest.len());
        lex.bump(len);
        FilterResult::Skip
    }
}

/// If `s` starts with `[=*[`, the number of `=`.
fn open_bracket_level(s: &[u8]) -> Option<usize> {
    if s.first() != Some(&b'[') {
        return None;
    }
    let level = s[1..].iter().take_while(|&&c| c == b'=').count();
    (s.get(1 + level) == Some(&b'[')).then_some(level)
}

/// `[=*[` just matched: a long string.
pub(super) fn long_string<'s>(lex: &mut Lex<'s>) -> Result<StrLit<'s>, LexErr> {
    let sep = lex.slice().len() - 2;
    scan_long(lex, 0, sep, true)
}

/// `[=+` without a second `[`.
pub(super) fn bad_long_delim(lex: &mut Lex<'_>) -> Result<(), LexErr> {
    let near = Near::Text(lex.slice().to_vec());
    Err(err(
        lex,
        CompileErrorKind::InvalidLongStringDelimiter,
        "invalid long string delimiter",
        near,
    ))
}

/// Scans a long bracket body of level `sep` starting `skip` bytes into the remainder;
/// consumes through the closing bracket. Returns the contents when `is_string`.
fn scan_long<'s>(
    lex: &mut Lex<'s>,
    skip: usize,
    sep: usize,
    is_string: bool,
) -> Result<StrLit<'s>, LexErr> {
    let rest = lex.remainder();
    let mut i = skip;
    // A line break right after the opening bracket is not part of the contents.
    let first = line_break_len(&rest[i..]);
    if first > 0 {
        i += first;
        lex.extras.line = lex.extras.line.saturating_add(1);
    }
    let start = i;
    let mut has_cr = false;
    loop {
        match rest.get(i) {
            None => {
                lex.bump(rest.len());
                let (kind, msg) = if is_string {
                    (
                        CompileErrorKind::UnfinishedLongString,
                        "unfinished long string",
                    )
                } else {
                    (
                        CompileErrorKind::UnfinishedLongComment,
                        "unfinished long comment",
                    )
                };
                return Err(err(lex, kind, msg, Near::Eof));
            }
            Some(b'[') => {
                let level = rest[i + 1..].iter().take_while(|&&c| c == b'=').count();
                let j = i + 1 + level;
                if level == sep && rest.get(j) == Some(&b'[') {
                    if sep == 0 {
                        lex.bump(j + 1);
                        return Err(err(
                            lex,
                            CompileErrorKind::NestedLongString,
                            "nesting of [[...]] is deprecated",
                            Near::Text(b"[".to_vec()),
                        ));
                    }
                    i = j + 1;
                } else {
                    i = j;
                }
            }
            Some(b']') => {
                let level = rest[i + 1..].iter().take_while(|&&c| c == b'=').count();
                let j = i + 1 + level;
                if level == sep && rest.get(j) == Some(&b']') {
                    let content = &rest[start..i];
                    lex.bump(j + 1);
                    if !is_string || !has_cr {
                        return Ok(StrLit::Borrowed(content));
                    }
                    normalize_breaks(content, &mut lex.extras.buf);
                    return Ok(StrLit::Buffered);
                }
                i = j;
            }
            Some(b'\n' | b'\r') => {
                let n = line_break_len(&rest[i..]);
                has_cr |= n == 2 || rest[i] == b'\r';
                i += n;
                lex.extras.line = lex.extras.line.saturating_add(1);
            }
            Some(_) => i += 1,
        }
    }
}

/// Copies `s` into `out` with every line break stored as `\n`.
fn normalize_breaks(s: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut i = 0;
    while i < s.len() {
        let n = line_break_len(&s[i..]);
        if n > 0 {
            out.push(b'\n');
            i += n;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
}

/// A quote just matched: a short string (`read_string`).
pub(super) fn short_string<'s>(lex: &mut Lex<'s>) -> Result<StrLit<'s>, LexErr> {
    let del = lex.slice()[0];
    let rest = lex.remainder();
    let mut i = 0;
    // Until the first escape the contents are the source bytes; then they go to `buf`.
    let mut buffered = false;
    let mut buf = std::mem::take(&mut lex.extras.buf);
    buf.clear();
    let res = loop {
        let Some(&c) = rest.get(i) else {
            lex.bump(rest.len());
            break Err(err(
                lex,
                CompileErrorKind::UnfinishedString,
                "unfinished string",
                Near::Eof,
            ));
        };
        if c == del {
            lex.bump(i + 1);
            break Ok(if buffered {
                StrLit::Buffered
            } else {
                StrLit::Borrowed(&rest[..i])
            });
        }
        match c {
            b'\n' | b'\r' => {
                lex.bump(i);
                let mut near = vec![del];
                near.extend_from_slice(if buffered { &buf } else { &rest[..i] });
                break Err(err(
                    lex,
                    CompileErrorKind::UnfinishedString,
                    "unfinished string",
                    Near::Text(near),
                ));
            }
            b'\\' => {
                if !buffered {
                    buf.extend_from_slice(&rest[..i]);
                    buffered = true;
                }
                i += 1;
                let Some(&e) = rest.get(i) else {
                    continue;
                };
                match e {
                    b'a' => buf.push(7),
                    b'b' => buf.push(8),
                    b'f' => buf.push(12),
                    b'n' => buf.push(b'\n'),
                    b'r' => buf.push(b'\r'),
                    b't' => buf.push(b'\t'),
                    b'v' => buf.push(11),
                    b'\n' | b'\r' => {
                        buf.push(b'\n');
                        i += line_break_len(&rest[i..]);
                        lex.extras.line = lex.extras.line.saturating_add(1);
                        continue;
                    }
                    b'0'..=b'9' => {
                        let mut value: u32 = 0;
                        let mut n = 0;
                        while n < 3 {
                            match rest.get(i) {
                                Some(&d) if d.is_ascii_digit() => {
                                    value = value * 10 + u32::from(d - b'0');
                                    i += 1;
                                    n += 1;
                                }
                                _ => break,
                            }
                        }
                        if value > 255 {
                            lex.bump(i);
                            let mut near = vec![del];
                            near.extend_from_slice(&buf);
                            break Err(err(
                                lex,
                                CompileErrorKind::EscapeTooLarge,
                                "escape sequence too large",
                                Near::Text(near),
                            ));
                        }
                        buf.push(value as u8);
                        continue;
                    }
                    other => buf.push(other),
                }
                i += 1;
            }
            _ => {
                if buffered {
                    buf.push(c);
                }
                i += 1;
            }
        }
    };
    lex.extras.buf = buf;
    res
}

/// A numeral just matched (`read_numeral`): convert it like `luaO_str2d`.
pub(super) fn number(lex: &mut Lex<'_>) -> Result<f64, LexErr> {
    let text = lex.slice();
    str_to_number(text).ok_or_else(|| {
        err(
            lex,
            CompileErrorKind::MalformedNumber,
            "malformed number",
            Near::Text(text.to_vec()),
        )
    })
}

/// The near-text 5.1 shows for a string token starting at `src[0]` with decoded `contents`.
pub(super) fn string_near_text(src: &[u8], contents: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(contents.len() + 8);
    match src.first() {
        Some(&b'[') => {
            let level = src[1..].iter().take_while(|&&c| c == b'=').count();
            out.push(b'[');
            out.extend(std::iter::repeat_n(b'=', level));
            out.push(b'[');
            out.extend_from_slice(contents);
            out.push(b']');
            out.extend(std::iter::repeat_n(b'=', level));
            out.push(b']');
        }
        Some(&del) => {
            out.push(del);
            out.extend_from_slice(contents);
            out.push(del);
        }
        None => {}
    }
    out
}
