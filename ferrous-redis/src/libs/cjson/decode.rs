//! `cjson.decode`: JSON text to a Lua value, with the C parser's tokenizer and its quirks.
//!
//! The C code reads a NUL-terminated string, so a NUL byte (or the end of the input) is the
//! end token `T_END`: `[1]\0junk` decodes, and a NUL inside a string is `unexpected end of
//! string`. Numbers go through `strtod` (hex, `inf`, `nan` and leading zeros are accepted
//! unless `decode_invalid_numbers` is off). Errors name the offending token and its 1-based
//! character position, exactly as `json_throw_parse_error` does.
//!
//! Invariant: no recursion. Open containers live on an explicit [`Open`] stack bounded by
//! `decode_max_depth` and by the emulated C stack limit (`super::checkstack`).

use ferrous_heap::{StringHandle, TableHandle, Value};
use ferrous_vm::{Ctx, Error, Result, Ret};

use super::{Config, config_of, fpconv, null_of};

/// Fuel is charged in batches of this many units.
const FUEL_BATCH: u64 = 256;

/// A token (`json_token_type_t`); strings leave their bytes in `Parser::tmp`.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    ObjBegin,
    ObjEnd,
    ArrBegin,
    ArrEnd,
    Str,
    Number(f64),
    Boolean(bool),
    Null,
    Colon,
    Comma,
    End,
    /// A tokenizer error with its description (`invalid token`, `invalid number`, ...).
    Error(&'static str),
}

impl Kind {
    /// How an error message names the token (`json_token_type_name`).
    fn name(self) -> &'static str {
        match self {
            Kind::ObjBegin => "T_OBJ_BEGIN",
            Kind::ObjEnd => "T_OBJ_END",
            Kind::ArrBegin => "T_ARR_BEGIN",
            Kind::ArrEnd => "T_ARR_END",
            Kind::Str => "T_STRING",
            Kind::Number(_) => "T_NUMBER",
            Kind::Boolean(_) => "T_BOOLEAN",
            Kind::Null => "T_NULL",
            Kind::Colon => "T_COLON",
            Kind::Comma => "T_COMMA",
            Kind::End => "T_END",
            Kind::Error(msg) => msg,
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Token {
    kind: Kind,
    /// 0-based offset: where the token starts, or where a tokenizer error was found.
    index: usize,
}

/// A container being filled.
enum Open {
    /// An array and the index its next value goes to.
    Array { table: TableHandle, next: i64 },
    /// An object and the key its next value goes to.
    Object {
        table: TableHandle,
        key: StringHandle,
    },
}

impl Open {
    /// The C Lua stack slots this container holds while a value inside it is parsed.
    fn slots(&self) -> usize {
        match self {
            Open::Array { .. } => 1,
            Open::Object { .. } => 2,
        }
    }
}

/// `cjson.decode(text)`.
pub(crate) fn decode(ctx: &mut Ctx<'_>) -> Result<Ret> {
    if ctx.nargs() != 1 {
        return Err(Error::arg(1, "expected 1 argument"));
    }
    let (_, cfg) = config_of(ctx)?;
    let text = ctx.check_string(1)?;
    // A copy, so that the heap can be written while the text is read.
    let data = ctx.vm().str_bytes(text)?.to_vec();
    if data.len() >= 2 && (data[0] == 0 || data[1] == 0) {
        return Err(Error::runtime(
            "JSON parser does not support UTF-16 or UTF-32",
        ));
    }
    let mut parser = Parser {
        data: &data,
        pos: 0,
        cfg,
        null: null_of(ctx)?,
        depth: 0,
        slots: 1,
        tmp: Vec::new(),
        fuel: 0,
    };
    let value = parser.value(ctx)?;
    let end = parser.next_token(ctx)?;
    if end.kind != Kind::End {
        return Err(parse_error("the end", end));
    }
    ctx.ret(&[value])
}

/// `json_throw_parse_error`.
fn parse_error(expected: &str, token: Token) -> Error {
    Error::runtime(format!(
        "Expected {expected} but found {} at character {}",
        token.kind.name(),
        token.index + 1
    ))
}

struct Parser<'a> {
    data: &'a [u8],
    pos: usize,
    cfg: Config,
    null: Value,
    /// Containers open (`current_depth`).
    depth: usize,
    /// C Lua stack slots in use: the argument, plus what open containers hold.
    slots: usize,
    /// The bytes of the last string token.
    tmp: Vec<u8>,
    /// Fuel used and not charged yet.
    fuel: u64,
}

impl Parser<'_> {
    /// The byte at `i`, or NUL past the end.
    #[inline]
    fn at(&self, i: usize) -> u8 {
        self.data.get(i).copied().unwrap_or(0)
    }

    fn charge(&mut self, ctx: &mut Ctx<'_>, units: u64) -> Result<()> {
        self.fuel += units;
        if self.fuel >= FUEL_BATCH {
            ctx.charge(self.fuel)?;
            self.fuel = 0;
        }
        Ok(())
    }

    /// Parses one value and everything nested in it.
    fn value(&mut self, ctx: &mut Ctx<'_>) -> Result<Value> {
        let mut stack: Vec<Open> = Vec::new();
        let mut token = self.next_token(ctx)?;
        loop {
            // `token` starts a value.
            let mut value = match token.kind {
                Kind::Str => Value::String(ctx.vm().intern(&self.tmp)?),
                Kind::Number(x) => Value::Number(x),
                Kind::Boolean(b) => Value::Boolean(b),
                Kind::Null => self.null,
                Kind::ObjBegin => {
                    self.descend(3)?;
                    let table = ctx.vm().new_table(0, 0)?;
                    token = self.next_token(ctx)?;
                    if token.kind == Kind::ObjEnd {
                        self.depth -= 1;
                        Value::Table(table)
                    } else {
                        let key = self.object_key(ctx, token)?;
                        let open = Open::Object { table, key };
                        self.slots += open.slots();
                        stack.push(open);
                        token = self.next_token(ctx)?;
                        continue;
                    }
                }
                Kind::ArrBegin => {
                    self.descend(2)?;
                    let table = ctx.vm().new_table(0, 0)?;
                    token = self.next_token(ctx)?;
                    if token.kind == Kind::ArrEnd {
                        self.depth -= 1;
                        Value::Table(table)
                    } else {
                        let open = Open::Array { table, next: 1 };
                        self.slots += open.slots();
                        stack.push(open);
                        continue;
                    }
                }
                _ => return Err(parse_error("value", token)),
            };
            // `value` is complete: store it, closing every container that ends after it.
            loop {
                let Some(open) = stack.last_mut() else {
                    return Ok(value);
                };
                let (table, end, expected) = match open {
                    Open::Array { table, next } => {
                        ctx.vm().heap().tx().raw_set_int(*table, *next, value)?;
                        *next += 1;
                        (*table, Kind::ArrEnd, "comma or array end")
                    }
                    Open::Object { table, key } => {
                        ctx.vm().heap().tx().raw_set_str(*table, *key, value)?;
                        (*table, Kind::ObjEnd, "comma or object end")
                    }
                };
                token = self.next_token(ctx)?;
                if token.kind == end {
                    self.depth -= 1;
                    if let Some(open) = stack.pop() {
                        self.slots -= open.slots();
                    }
                    value = Value::Table(table);
                    continue;
                }
                if token.kind != Kind::Comma {
                    return Err(parse_error(expected, token));
                }
                token = self.next_token(ctx)?;
                if let Some(Open::Object { key, .. }) = stack.last_mut() {
                    *key = self.object_key(ctx, token)?;
                    token = self.next_token(ctx)?;
                }
                break;
            }
        }
    }

    /// An object key (the string `token`) and its colon.
    fn object_key(&mut self, ctx: &mut Ctx<'_>, token: Token) -> Result<StringHandle> {
        if token.kind != Kind::Str {
            return Err(parse_error("object key string", token));
        }
        let key = ctx.vm().intern(&self.tmp)?;
        let colon = self.next_token(ctx)?;
        if colon.kind != Kind::Colon {
            return Err(parse_error("colon", colon));
        }
        Ok(key)
    }

    /// `json_decode_descend`: one level deeper, within the depth and C stack limits.
    fn descend(&mut self, slots: usize) -> Result<()> {
        self.depth += 1;
        let max_depth = usize::try_from(self.cfg.decode_max_depth).unwrap_or(0);
        if self.depth <= max_depth && super::checkstack(self.slots, slots) {
            return Ok(());
        }
        Err(Error::runtime(format!(
            "Found too many nested data structures ({}) at character {}",
            self.depth, self.pos
        )))
    }

    /// `json_next_token`.
    fn next_token(&mut self, ctx: &mut Ctx<'_>) -> Result<Token> {
        let start = self.pos;
        while matches!(self.at(self.pos), b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
        let index = self.pos;
        let ch = self.at(index);
        let single = |kind| Token { kind, index };
        let token = match ch {
            0 => single(Kind::End),
            b'{' | b'}' | b'[' | b']' | b',' | b':' => {
                self.pos += 1;
                single(match ch {
                    b'{' => Kind::ObjBegin,
                    b'}' => Kind::ObjEnd,
                    b'[' => Kind::ArrBegin,
                    b']' => Kind::ArrEnd,
                    b',' => Kind::Comma,
                    _ => Kind::Colon,
                })
            }
            b'"' => self.string_token(),
            b'-' | b'0'..=b'9' => {
                if self.cfg.decode_invalid_numbers == 0 && self.is_invalid_number() {
                    self.error("invalid number")
                } else {
                    self.number_token()
                }
            }
            b'f' | b'i' | b'I' | b'n' | b'N' | b't' | b'+' => self.word_token(),
            _ => self.error("invalid token"),
        };
        let consumed = (self.pos - start) as u64;
        self.charge(ctx, 1 + consumed / 16)?;
        Ok(token)
    }

    /// A tokenizer error at the current position (`json_set_token_error`).
    fn error(&self, msg: &'static str) -> Token {
        Token {
            kind: Kind::Error(msg),
            index: self.pos,
        }
    }

    /// `true`, `false`, `null`, or (with `decode_invalid_numbers`) `inf`/`nan`/`+...`.
    fn word_token(&mut self) -> Token {
        let index = self.pos;
        let rest = &self.data[self.pos..];
        let word = |w: &[u8]| rest.starts_with(w);
        let kind = if word(b"true") {
            self.pos += 4;
            Kind::Boolean(true)
        } else if word(b"false") {
            self.pos += 5;
            Kind::Boolean(false)
        } else if word(b"null") {
            self.pos += 4;
            Kind::Null
        } else if self.cfg.decode_invalid_numbers != 0 && self.is_invalid_number() {
            return self.number_token();
        } else {
            return self.error("invalid token");
        };
        Token { kind, index }
    }

    /// `json_is_invalid_number`: what strict JSON rejects but `strtod` may accept.
    fn is_invalid_number(&self) -> bool {
        let mut p = self.pos;
        if self.at(p) == b'+' {
            return true;
        }
        if self.at(p) == b'-' {
            p += 1;
        }
        let c = self.at(p);
        if c == b'0' {
            let c2 = self.at(p + 1);
            return c2 | 0x20 == b'x' || c2.is_ascii_digit();
        }
        if c <= b'9' {
            return false;
        }
        let ci = |w: &[u8]| {
            w.iter()
                .enumerate()
                .all(|(k, &b)| self.at(p + k).to_ascii_lowercase() == b)
        };
        ci(b"inf") || ci(b"nan")
    }

    /// `json_next_number_token`.
    fn number_token(&mut self) -> Token {
        match fpconv::strtod(self.data, self.pos) {
            Some((x, end)) => {
                let index = self.pos;
                self.pos = end;
                Token {
                    kind: Kind::Number(x),
                    index,
                }
            }
            None => self.error("invalid number"),
        }
    }

    /// `json_next_string_token`: the decoded bytes go to `tmp`.
    fn string_token(&mut self) -> Token {
        let index = self.pos;
        self.pos += 1;
        self.tmp.clear();
        loop {
            let ch = self.at(self.pos);
            match ch {
                b'"' => break,
                0 => return self.error("unexpected end of string"),
                b'\\' => {
                    let translated = match self.at(self.pos + 1) {
                        b'"' => b'"',
                        b'\\' => b'\\',
                        b'/' => b'/',
                        b'b' => b'\x08',
                        b't' => b'\t',
                        b'n' => b'\n',
                        b'f' => b'\x0c',
                        b'r' => b'\r',
                        b'u' => {
                            if self.unicode_escape() {
                                continue;
                            }
                            return self.error("invalid unicode escape code");
                        }
                        _ => return self.error("invalid escape code"),
                    };
                    self.tmp.push(translated);
                    self.pos += 2;
                }
                _ => {
                    // Copy the run of plain bytes at once.
                    let run = self.data[self.pos..]
                        .iter()
                        .position(|&b| matches!(b, b'"' | b'\\' | 0))
                        .unwrap_or(self.data.len() - self.pos);
                    self.tmp
                        .extend_from_slice(&self.data[self.pos..self.pos + run]);
                    self.pos += run;
                }
            }
        }
        self.pos += 1;
        Token {
            kind: Kind::Str,
            index,
        }
    }

    /// `decode_hex4` at `i`: four hex digits, or `None`.
    fn hex4(&self, i: usize) -> Option<u32> {
        (0..4).try_fold(0u32, |acc, k| {
            let digit = char::from(self.at(i + k)).to_digit(16)?;
            Some(acc << 4 | digit)
        })
    }

    /// `json_append_unicode_escape` at a `\u`: appends the UTF-8 of the code point (a UTF-16
    /// surrogate pair takes two escapes) and advances, or returns false.
    fn unicode_escape(&mut self) -> bool {
        let Some(mut codepoint) = self.hex4(self.pos + 2) else {
            return false;
        };
        let mut escape_len = 6;
        if codepoint & 0xF800 == 0xD800 {
            // A low surrogate first, or a high one without its low half, is an error.
            if codepoint & 0x400 != 0 {
                return false;
            }
            if self.at(self.pos + 6) != b'\\' || self.at(self.pos + 7) != b'u' {
                return false;
            }
            let Some(low) = self.hex4(self.pos + 8) else {
                return false;
            };
            if low & 0xFC00 != 0xDC00 {
                return false;
            }
            codepoint = (((codepoint & 0x3FF) << 10) | (low & 0x3FF)) + 0x10000;
            escape_len = 12;
        }
        push_utf8(&mut self.tmp, codepoint);
        self.pos += escape_len;
        true
    }
}

/// `codepoint_to_utf8` for code points up to 0x10FFFF.
fn push_utf8(out: &mut Vec<u8>, cp: u32) {
    if cp <= 0x7F {
        out.push(cp as u8);
    } else if cp <= 0x7FF {
        out.extend_from_slice(&[(cp >> 6) as u8 | 0xC0, (cp & 0x3F) as u8 | 0x80]);
    } else if cp <= 0xFFFF {
        out.extend_from_slice(&[
            (cp >> 12) as u8 | 0xE0,
            ((cp >> 6) & 0x3F) as u8 | 0x80,
            (cp & 0x3F) as u8 | 0x80,
        ]);
    } else {
        out.extend_from_slice(&[
            (cp >> 18) as u8 | 0xF0,
            ((cp >> 12) & 0x3F) as u8 | 0x80,
            ((cp >> 6) & 0x3F) as u8 | 0x80,
            (cp & 0x3F) as u8 | 0x80,
        ]);
    }
}
