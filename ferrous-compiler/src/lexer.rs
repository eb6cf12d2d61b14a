//! The Lua 5.1 lexer (`llex.c`): a `logos` automaton over `&[u8]` for token dispatch, with
//! hand-written sub-lexers (`lexer/scan.rs`) for what a regular expression cannot do alone
//! (strings with escapes, long brackets with levels, comments, numeral conversion).
//!
//! `Lexer` is what the parser sees: the current token `t`, one token of lookahead,
//! `linenumber` and `lastline` exactly as `LexState` keeps them, and error construction
//! (`syntax_error`, `lex_error`) with 5.1's `near '...'` text.
//!
//! Invariants:
//! - Tokens, line counting (`\n`, `\r`, `\r\n`, `\n\r` are one line break each) and every
//!   message are those of lua5.1 in the C locale (names are ASCII letters, digits and `_`).
//! - The near-text of a name, string or number is what 5.1 has in its token buffer: the
//!   numeral or name as written, a string with its delimiters and escapes already decoded.
//! - Tokens are produced lazily, when the parser asks, so errors come in 5.1's order.
//! - The input may arrive in pieces (`lexer/input.rs`): a token is taken only when the scan
//!   stopped inside the bytes read so far, so the tokens are those of the whole chunk.

mod input;
mod scan;

use logos::Logos;

use crate::error::{CompileError, CompileErrorKind, MAXSRC, chunk_id_sized};
use crate::module::StrIdx;
use crate::strings::Interner;

pub(crate) use input::Input;
pub use input::{ChunkReader, ReadFailed};
pub(crate) use scan::{LexErr, Near};
use scan::{StrLit, bad_long_delim, comment, long_string, newline, number, short_string};

/// Per-lexer state shared with the `logos` callbacks.
#[derive(Default)]
pub(crate) struct Extras {
    /// Current line number (5.1's `linenumber`).
    pub(crate) line: u32,
    /// Decoded bytes of the last string that needed decoding.
    pub(crate) buf: Vec<u8>,
}

/// The raw tokens the `logos` automaton recognises.
#[derive(Logos, Debug, Clone, Copy, PartialEq)]
#[logos(utf8 = false)]
#[logos(extras = Extras)]
#[logos(error = LexErr)]
#[logos(skip r"[ \t\x0B\x0C]+")]
pub(crate) enum RawTok<'s> {
    #[regex(r"\r\n|\n\r|\n|\r", newline)]
    Newline,
    #[token("--", comment)]
    Comment,
    #[token("and")]
    And,
    #[token("break")]
    Break,
    #[token("do")]
    Do,
    #[token("else")]
    Else,
    #[token("elseif")]
    Elseif,
    #[token("end")]
    End,
    #[token("false")]
    False,
    #[token("for")]
    For,
    #[token("function")]
    Function,
    #[token("if")]
    If,
    #[token("in")]
    In,
    #[token("local")]
    Local,
    #[token("nil")]
    Nil,
    #[token("not")]
    Not,
    #[token("or")]
    Or,
    #[token("repeat")]
    Repeat,
    #[token("return")]
    Return,
    #[token("then")]
    Then,
    #[token("true")]
    True,
    #[token("until")]
    Until,
    #[token("while")]
    While,
    #[token("..")]
    Concat,
    #[token("...")]
    Dots,
    #[token("==")]
    Eq,
    #[token(">=")]
    Ge,
    #[token("<=")]
    Le,
    #[token("~=")]
    Ne,
    #[regex(r"[0-9][0-9.]*([Ee][+\-]?)?[A-Za-z0-9_]*", number)]
    #[regex(r"\.[0-9][0-9.]*([Ee][+\-]?)?[A-Za-z0-9_]*", number)]
    Number(f64),
    #[regex(r"[A-Za-z_][A-Za-z0-9_]*")]
    Name,
    #[token("\"", short_string)]
    #[token("'", short_string)]
    #[regex(r"\[=*\[", long_string)]
    String(StrLit<'s>),
    #[regex(r"\[=+", bad_long_delim)]
    BadLongDelim,
    #[regex(r"(?s-u:.)", |lex| lex.slice().first().copied().unwrap_or(0), priority = 0)]
    Char(u8),
}

/// Token kinds as the parser sees them (5.1's `RESERVED` plus single characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tok {
    And,
    Break,
    Do,
    Else,
    Elseif,
    End,
    False,
    For,
    Function,
    If,
    In,
    Local,
    Nil,
    Not,
    Or,
    Repeat,
    Return,
    Then,
    True,
    Until,
    While,
    Concat,
    Dots,
    Eq,
    Ge,
    Le,
    Ne,
    Number,
    Name,
    String,
    Eos,
    /// A single-character token such as `+` or `(` (5.1 uses the character code).
    Char(u8),
}

impl Tok {
    /// `luaX_token2str`.
    pub(crate) fn text(self) -> Vec<u8> {
        let s: &str = match self {
            Tok::And => "and",
            Tok::Break => "break",
            Tok::Do => "do",
            Tok::Else => "else",
            Tok::Elseif => "elseif",
            Tok::End => "end",
            Tok::False => "false",
            Tok::For => "for",
            Tok::Function => "function",
            Tok::If => "if",
            Tok::In => "in",
            Tok::Local => "local",
            Tok::Nil => "nil",
            Tok::Not => "not",
            Tok::Or => "or",
            Tok::Repeat => "repeat",
            Tok::Return => "return",
            Tok::Then => "then",
            Tok::True => "true",
            Tok::Until => "until",
            Tok::While => "while",
            Tok::Concat => "..",
            Tok::Dots => "...",
            Tok::Eq => "==",
            Tok::Ge => ">=",
            Tok::Le => "<=",
            Tok::Ne => "~=",
            Tok::Number => "<number>",
            Tok::Name => "<name>",
            Tok::String => "<string>",
            Tok::Eos => "<eof>",
            Tok::Char(c) if c < 32 || c == 127 => return format!("char({c})").into_bytes(),
            Tok::Char(c) => return vec![c],
        };
        s.as_bytes().to_vec()
    }
}

/// Semantic value of a token.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Sem {
    None,
    /// A name or string, interned.
    Str(StrIdx),
    /// A number.
    Num(f64),
}

/// A token with its value and where it starts in the source.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) sem: Sem,
    start: usize,
    end: usize,
}

const EOS: Token = Token {
    tok: Tok::Eos,
    sem: Sem::None,
    start: 0,
    end: 0,
};

/// The lexer state the parser drives (5.1's `LexState` minus the parser parts).
pub(crate) struct Lexer<'s> {
    input: Input<'s>,
    /// Where the next raw token starts in the input.
    pos: usize,
    /// The state of the `logos` callbacks (the line number), kept between tokens.
    extras: Extras,
    /// The current token.
    pub(crate) t: Token,
    ahead: Option<Token>,
    /// Line of the last token consumed.
    pub(crate) lastline: u32,
    chunkid: Vec<u8>,
    /// The string table being built.
    pub(crate) interner: Interner,
}

pub(crate) type LResult<T> = Result<T, Box<CompileError>>;

impl<'s> Lexer<'s> {
    pub(crate) fn new(input: Input<'s>, chunk_name: &[u8], interner: Interner) -> Lexer<'s> {
        Lexer {
            input,
            pos: 0,
            extras: Extras {
                line: 1,
                buf: Vec::new(),
            },
            t: EOS,
            ahead: None,
            lastline: 1,
            chunkid: chunk_id_sized(chunk_name, MAXSRC),
            interner,
        }
    }

    /// The current line (5.1's `linenumber`).
    pub(crate) fn line(&self) -> u32 {
        self.extras.line
    }

    /// `luaX_next`.
    pub(crate) fn next(&mut self) -> LResult<()> {
        self.lastline = self.line();
        self.t = match self.ahead.take() {
            Some(tok) => tok,
            None => self.lex()?,
        };
        Ok(())
    }

    /// `luaX_lookahead`: the token after the current one.
    pub(crate) fn lookahead(&mut self) -> LResult<Tok> {
        let tok = match self.ahead {
            Some(tok) => tok,
            None => {
                let tok = self.lex()?;
                self.ahead = Some(tok);
                tok
            }
        };
        Ok(tok.tok)
    }

    fn lex(&mut self) -> LResult<Token> {
        loop {
            let start = self.pos;
            let line = self.extras.line;
            let bytes = self.input.bytes();
            let rest = bytes.get(start..).unwrap_or(&[]);
            let mut raw = RawTok::lexer_with_extras(rest, std::mem::take(&mut self.extras));
            let res = raw.next();
            let span = raw.span();
            // 5.1 holds the character after a token: a scan that stopped at the end of what
            // was read must see the next piece first (the token may go on there).
            let stop = if res.is_some() { span.end } else { rest.len() };
            if stop >= rest.len() && !self.input.complete() {
                self.extras = raw.extras;
                self.extras.line = line;
                if self.input.fill(start).is_err() {
                    return Err(CompileError::bare(
                        CompileErrorKind::ReadFailed,
                        line,
                        b"the chunk reader failed",
                    ));
                }
                continue;
            }
            let Some(res) = res else {
                self.extras = raw.extras;
                let end = bytes.len();
                self.pos = end;
                return Ok(Token {
                    start: end,
                    end,
                    ..EOS
                });
            };
            let (tok, sem) = match res {
                Err(err) => {
                    self.extras = raw.extras;
                    return Err(self.lex_error(err));
                }
                Ok(raw_tok) => match raw_tok {
                    RawTok::Newline | RawTok::Comment | RawTok::BadLongDelim => {
                        self.pos = start + span.end;
                        self.extras = raw.extras;
                        continue;
                    }
                    RawTok::And => (Tok::And, Sem::None),
                    RawTok::Break => (Tok::Break, Sem::None),
                    RawTok::Do => (Tok::Do, Sem::None),
                    RawTok::Else => (Tok::Else, Sem::None),
                    RawTok::Elseif => (Tok::Elseif, Sem::None),
                    RawTok::End => (Tok::End, Sem::None),
                    RawTok::False => (Tok::False, Sem::None),
                    RawTok::For => (Tok::For, Sem::None),
                    RawTok::Function => (Tok::Function, Sem::None),
                    RawTok::If => (Tok::If, Sem::None),
                    RawTok::In => (Tok::In, Sem::None),
                    RawTok::Local => (Tok::Local, Sem::None),
                    RawTok::Nil => (Tok::Nil, Sem::None),
                    RawTok::Not => (Tok::Not, Sem::None),
                    RawTok::Or => (Tok::Or, Sem::None),
                    RawTok::Repeat => (Tok::Repeat, Sem::None),
                    RawTok::Return => (Tok::Return, Sem::None),
                    RawTok::Then => (Tok::Then, Sem::None),
                    RawTok::True => (Tok::True, Sem::None),
                    RawTok::Until => (Tok::Until, Sem::None),
                    RawTok::While => (Tok::While, Sem::None),
                    RawTok::Concat => (Tok::Concat, Sem::None),
                    RawTok::Dots => (Tok::Dots, Sem::None),
                    RawTok::Eq => (Tok::Eq, Sem::None),
                    RawTok::Ge => (Tok::Ge, Sem::None),
                    RawTok::Le => (Tok::Le, Sem::None),
                    RawTok::Ne => (Tok::Ne, Sem::None),
                    RawTok::Number(n) => (Tok::Number, Sem::Num(n)),
                    RawTok::Name => {
                        // The automaton only matches ASCII names here.
                        let name = std::str::from_utf8(raw.slice()).unwrap_or("");
                        (Tok::Name, Sem::Str(self.interner.intern_name(name)))
                    }
                    RawTok::String(lit) => {
                        let idx = match lit {
                            StrLit::Borrowed(s) => self.interner.intern(s),
                            StrLit::Buffered => self.interner.intern(&raw.extras.buf),
                        };
                        (Tok::String, Sem::Str(idx))
                    }
                    RawTok::Char(c) => (Tok::Char(c), Sem::None),
                },
            };
            self.extras = raw.extras;
            self.pos = start + span.end;
            return Ok(Token {
                tok,
                sem,
                start: start + span.start,
                end: start + span.end,
            });
        }
    }

    fn lex_error(&self, err: LexErr) -> Box<CompileError> {
        let near = match &err.near {
            Near::None => None,
            Near::Eof => Some(Tok::Eos.text()),
            Near::Text(text) => Some(text.clone()),
        };
        CompileError::positioned(
            err.kind,
            &self.chunkid,
            err.line,
            err.msg.as_bytes(),
            near.as_deref(),
        )
    }

    /// The near-text of the current token (5.1's `txtToken`).
    fn near_text(&self) -> Vec<u8> {
        let tok = self.t;
        match tok.tok {
            Tok::Name | Tok::Number => self
                .input
                .bytes()
                .get(tok.start..tok.end)
                .unwrap_or(&[])
                .to_vec(),
            Tok::String => match tok.sem {
                Sem::Str(idx) => scan::string_near_text(
                    self.input.bytes().get(tok.start..).unwrap_or(&[]),
                    self.interner.lookup_slow(idx),
                ),
                _ => Vec::new(),
            },
            other => other.text(),
        }
    }

    /// `luaX_syntaxerror`: `msg` near the current token.
    pub(crate) fn syntax_error(&self, msg: &[u8]) -> Box<CompileError> {
        self.error_near(CompileErrorKind::Syntax, msg)
    }

    /// An error of `kind` near the current token.
    pub(crate) fn error_near(&self, kind: CompileErrorKind, msg: &[u8]) -> Box<CompileError> {
        let near = self.near_text();
        CompileError::positioned(kind, &self.chunkid, self.line(), msg, Some(&near))
    }

    /// `luaX_lexerror(ls, msg, 0)`: positioned, without a near-token.
    pub(crate) fn error_at_line(&self, kind: CompileErrorKind, msg: &[u8]) -> Box<CompileError> {
        CompileError::positioned(kind, &self.chunkid, self.line(), msg, None)
    }

    /// Gives the string table back once parsing is done.
    pub(crate) fn into_interner(self) -> Interner {
        self.interner
    }
}

#[cfg(test)]
mod tests;
