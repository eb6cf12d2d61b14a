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

use ferrous_heap::{TableHandle, Value};
use ferrous_vm::{Ctx, Error, Result, Ret};

use super::{Config, config_of, fpconv, null_of};
use crate::libs::layouts::Layouts;
use crate::libs::recycle;
use crate::libs::strcache::StrCache;

/// Fuel is charged in batches of this many units.
const FUEL_BATCH: u64 = 256;

/// A token (`json_token_type_t`). A string's bytes, a number's value and an error's text are
/// left in the [`Parser`] (`str_bytes`, `number`, `error_msg`), so a token is two words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    ObjBegin,
    ObjEnd,
    ArrBegin,
    ArrEnd,
    Str,
    Number,
    True,
    False,
    Null,
    Colon,
    Comma,
    End,
    /// A tokenizer error (`invalid token`, `invalid number`, ...; the text is in the parser).
    Error,
}

#[derive(Clone, Copy, Debug)]
struct Token {
    kind: Kind,
    /// 0-based offset: where the token starts, or where a tokenizer error was found.
    index: usize,
}

/// A container being filled. Its elements wait on the parser's value stacks (`items`, `pairs`)
/// from `start` on, and become a table when it closes (built at once: see
/// `HeapTransaction::new_table_from`, which gives the layout the C decoder's one-by-one
/// `lua_rawset`s give).
#[derive(Clone, Copy)]
enum Open {
    /// An array: its values are `items[start..]`.
    Array { start: usize },
    /// An object: its pairs are `pairs[start..]`; `key` is the key its next value goes to.
    Object { start: usize, key: Value },
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

/// The decoder's buffers, kept between calls in the VM's app data so that a decode allocates
/// nothing of its own once they have grown. They hold no Lua values between calls.
#[derive(Default)]
pub(crate) struct DecodeBufs {
    /// A copy of the text (the heap is written while it is read).
    data: Vec<u8>,
    /// The bytes of a string token with escapes.
    tmp: Vec<u8>,
    items: Vec<Value>,
    pairs: Vec<(Value, Value)>,
    open: Vec<Open>,
    layouts: Layouts,
    /// Strings interned lately (kept from call to call: see [`StrCache`]).
    strings: StrCache,
}

impl DecodeBufs {
    /// Buffers larger than this are not kept for the next call.
    const KEEP_BYTES: usize = 1 << 16;
    const KEEP_VALUES: usize = 1 << 12;

    /// Empties the buffers for the next call, dropping those a large document grew.
    fn recycle(&mut self) {
        self.layouts.forget();
        recycle(&mut self.data, Self::KEEP_BYTES);
        recycle(&mut self.tmp, Self::KEEP_BYTES);
        recycle(&mut self.items, Self::KEEP_VALUES);
        recycle(&mut self.pairs, Self::KEEP_VALUES);
        recycle(&mut self.open, Self::KEEP_VALUES);
    }
}

/// `cjson.decode(text)`.
pub(crate) fn decode(ctx: &mut Ctx<'_>) -> Result<Ret> {
    if ctx.nargs() != 1 {
        return Err(Error::arg(1, "expected 1 argument"));
    }
    let (_, cfg) = config_of(ctx)?;
    let text = ctx.check_string(1)?;
    // Boxed, so taking the buffers out of app data and back moves a pointer.
    let mut bufs = ctx
        .app_data_mut::<Option<Box<DecodeBufs>>>()
        .and_then(Option::take)
        .unwrap_or_default();
    bufs.data.clear();
    bufs.data.extend_from_slice(ctx.vm().str_bytes(text)?);
    let res = run(ctx, cfg, &mut bufs);
    bufs.recycle();
    if let Some(slot) = ctx.app_data_mut::<Option<Box<DecodeBufs>>>() {
        *slot = Some(bufs);
    }
    let value = res?;
    ctx.ret(&[value])
}

/// Decodes `bufs.data`.
fn run(ctx: &mut Ctx<'_>, cfg: Config, bufs: &mut DecodeBufs) -> Result<Value> {
    let DecodeBufs {
        data,
        tmp,
        items,
        pairs,
        open,
        layouts,
        strings,
    } = bufs;
    if data.len() >= 2 && (data[0] == 0 || data[1] == 0) {
        return Err(Error::runtime(
            "JSON parser does not support UTF-16 or UTF-32",
        ));
    }
    let mut parser = Parser {
        data,
        pos: 0,
        cfg,
        null: null_of(ctx)?,
        depth: 0,
        slots: 1,
        tmp,
        str_start: 0,
        str_end: 0,
        str_escaped: false,
        number: 0.0,
        error_msg: "",
        tokens: 0,
        charged_pos: 0,
        strings,
    };
    let value = parser.value(ctx, items, pairs, open, layouts)?;
    let end = parser.next_token();
    if end.kind != Kind::End {
        return Err(parser.parse_error("the end", end));
    }
    Ok(value)
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
    /// The bytes of the last string token when it had escapes.
    tmp: &'a mut Vec<u8>,
    /// The last string token's bytes in `data` when it had no escapes.
    str_start: usize,
    str_end: usize,
    str_escaped: bool,
    /// The last number token's value.
    number: f64,
    /// The last tokenizer error's text.
    error_msg: &'static str,
    /// Tokens read and bytes passed (from `charged_pos`) since fuel was last charged.
    tokens: u64,
    charged_pos: usize,
    /// Strings interned lately.
    strings: &'a mut StrCache,
}

impl Parser<'_> {
    /// The byte at `i`, or NUL past the end.
    #[inline(always)]
    fn at(&self, i: usize) -> u8 {
        self.data.get(i).copied().unwrap_or(0)
    }

    /// Charges about one unit per token and per 16 bytes, in batches.
    #[inline]
    fn charge(&mut self, ctx: &mut Ctx<'_>) -> Result<()> {
        if self.tokens >= FUEL_BATCH {
            let bytes = (self.pos - self.charged_pos) as u64;
            ctx.charge(self.tokens + bytes / 16)?;
            self.tokens = 0;
            self.charged_pos = self.pos;
        }
        Ok(())
    }

    /// How an error message names the token (`json_token_type_name`).
    fn token_name(&self, kind: Kind) -> &'static str {
        match kind {
            Kind::ObjBegin => "T_OBJ_BEGIN",
            Kind::ObjEnd => "T_OBJ_END",
            Kind::ArrBegin => "T_ARR_BEGIN",
            Kind::ArrEnd => "T_ARR_END",
            Kind::Str => "T_STRING",
            Kind::Number => "T_NUMBER",
            Kind::True | Kind::False => "T_BOOLEAN",
            Kind::Null => "T_NULL",
            Kind::Colon => "T_COLON",
            Kind::Comma => "T_COMMA",
            Kind::End => "T_END",
            Kind::Error => self.error_msg,
        }
    }

    /// `json_throw_parse_error`.
    #[cold]
    fn parse_error(&self, expected: &str, token: Token) -> Error {
        Error::runtime(format!(
            "Expected {expected} but found {} at character {}",
            self.token_name(token.kind),
            token.index + 1
        ))
    }

    /// The last string token, interned (always inlined: see `StrCache::intern`).
    #[inline(always)]
    fn intern(&mut self, ctx: &mut Ctx<'_>) -> Result<ferrous_heap::StringHandle> {
        if self.str_escaped {
            self.strings.intern(ctx.vm(), self.tmp, 0, self.tmp.len())
        } else {
            self.strings
                .intern(ctx.vm(), self.data, self.str_start, self.str_end)
        }
    }

    /// Parses one value and everything nested in it.
    fn value(
        &mut self,
        ctx: &mut Ctx<'_>,
        items: &mut Vec<Value>,
        pairs: &mut Vec<(Value, Value)>,
        stack: &mut Vec<Open>,
        layouts: &mut Layouts,
    ) -> Result<Value> {
        let mut token = self.next_token();
        loop {
            self.charge(ctx)?;
            // `token` starts a value.
            let mut value = match token.kind {
                Kind::Str => Value::String(self.intern(ctx)?),
                Kind::Number => Value::Number(self.number),
                Kind::True => Value::Boolean(true),
                Kind::False => Value::Boolean(false),
                Kind::Null => self.null,
                Kind::ObjBegin => {
                    self.descend(3)?;
                    token = self.next_token();
                    if token.kind == Kind::ObjEnd {
                        self.depth -= 1;
                        Value::Table(ctx.vm().new_table(0, 0)?)
                    } else {
                        let key = self.object_key(ctx, token)?;
                        let open = Open::Object {
                            start: pairs.len(),
                            key,
                        };
                        self.slots += open.slots();
                        stack.push(open);
                        token = self.next_token();
                        continue;
                    }
                }
                Kind::ArrBegin => {
                    self.descend(2)?;
                    token = self.next_token();
                    if token.kind == Kind::ArrEnd {
                        self.depth -= 1;
                        Value::Table(ctx.vm().new_table(0, 0)?)
                    } else {
                        let open = Open::Array { start: items.len() };
                        self.slots += open.slots();
                        stack.push(open);
                        continue;
                    }
                }
                _ => return Err(self.parse_error("value", token)),
            };
            // `value` is complete: store it, closing every container that ends after it.
            loop {
                let Some(open) = stack.last().copied() else {
                    return Ok(value);
                };
                let (end, expected) = match open {
                    Open::Array { .. } => {
                        items.push(value);
                        (b']', "comma or array end")
                    }
                    Open::Object { key, .. } => {
                        pairs.push((key, value));
                        (b'}', "comma or object end")
                    }
                };
                if self.eat(end) {
                    self.depth -= 1;
                    self.slots -= open.slots();
                    stack.pop();
                    value = Value::Table(close(ctx, open, items, pairs, layouts)?);
                    continue;
                }
                if !self.eat(b',') {
                    // Neither: the token there is the error.
                    token = self.next_token();
                    return Err(self.parse_error(expected, token));
                }
                token = self.next_token();
                if let Some(Open::Object { key, .. }) = stack.last_mut() {
                    *key = self.object_key(ctx, token)?;
                    token = self.next_token();
                }
                break;
            }
        }
    }

    /// Moves past JSON whitespace; returns the byte there (0 at the end).
    #[inline(always)]
    fn skip_space(&mut self) -> u8 {
        let mut ch = self.at(self.pos);
        while matches!(ch, b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
            ch = self.at(self.pos);
        }
        ch
    }

    /// Skips whitespace, then reads the one-byte token `byte` if it comes next: the common
    /// case of `next_token` where a comma, colon or closing bracket is expected.
    #[inline(always)]
    fn eat(&mut self, byte: u8) -> bool {
        if self.skip_space() == byte {
            self.pos += 1;
            self.tokens += 1;
            return true;
        }
        false
    }

    /// An object key (the string `token`) and its colon.
    #[inline(always)]
    fn object_key(&mut self, ctx: &mut Ctx<'_>, token: Token) -> Result<Value> {
        if token.kind != Kind::Str {
            return Err(self.parse_error("object key string", token));
        }
        let key = self.intern(ctx)?;
        if !self.eat(b':') {
            let colon = self.next_token();
            return Err(self.parse_error("colon", colon));
        }
        Ok(Value::String(key))
    }

    /// `json_decode_descend`: one level deeper, within the depth and C stack limits.
    #[inline]
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
    #[inline]
    fn next_token(&mut self) -> Token {
        self.tokens += 1;
        let ch = self.skip_space();
        let index = self.pos;
        let kind = match ch {
            b'{' => Kind::ObjBegin,
            b'}' => Kind::ObjEnd,
            b'[' => Kind::ArrBegin,
            b']' => Kind::ArrEnd,
            b',' => Kind::Comma,
            b':' => Kind::Colon,
            b'"' => return self.string_token(),
            b'-' | b'0'..=b'9' => {
                return if self.cfg.decode_invalid_numbers == 0 && self.is_invalid_number() {
                    self.error("invalid number")
                } else {
                    self.number_token()
                };
            }
            0 => {
                return Token {
                    kind: Kind::End,
                    index,
                };
            }
            _ => return self.word_token(),
        };
        self.pos += 1;
        Token { kind, index }
    }

    /// A tokenizer error at the current position (`json_set_token_error`).
    #[cold]
    fn error(&mut self, msg: &'static str) -> Token {
        self.error_msg = msg;
        Token {
            kind: Kind::Error,
            index: self.pos,
        }
    }

    /// `true`, `false`, `null`, or (with `decode_invalid_numbers`) `inf`/`nan`/`+...`.
    fn word_token(&mut self) -> Token {
        let index = self.pos;
        let ch = self.at(index);
        if !matches!(ch, b'f' | b'i' | b'I' | b'n' | b'N' | b't' | b'+') {
            return self.error("invalid token");
        }
        let rest = &self.data[self.pos..];
        let word = |w: &[u8]| rest.starts_with(w);
        let kind = if word(b"true") {
            self.pos += 4;
            Kind::True
        } else if word(b"false") {
            self.pos += 5;
            Kind::False
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

    /// `json_next_number_token`: plain decimals (up to 15 digits, no exponent) exactly as
    /// `strtod` rounds them, anything else through [`fpconv::strtod`].
    #[inline]
    fn number_token(&mut self) -> Token {
        let index = self.pos;
        match fpconv::simple_decimal(self.data, index).or_else(|| fpconv::strtod(self.data, index))
        {
            Some((x, end)) => {
                self.pos = end;
                self.number = x;
                Token {
                    kind: Kind::Number,
                    index,
                }
            }
            None => self.error("invalid number"),
        }
    }

    /// `json_next_string_token`: the bytes stay in `data` (`str_start..str_end`) unless the
    /// string has escapes, which are decoded into `tmp`.
    #[inline]
    fn string_token(&mut self) -> Token {
        let index = self.pos;
        let start = index + 1;
        let run = self
            .data
            .get(start..)
            .unwrap_or_default()
            .iter()
            .position(|&b| STRING_STOP[usize::from(b)]);
        match run.map(|run| (start + run, self.at(start + run))) {
            Some((end, b'"')) => {
                self.str_start = start;
                self.str_end = end;
                self.str_escaped = false;
                self.pos = end + 1;
                Token {
                    kind: Kind::Str,
                    index,
                }
            }
            _ => self.escaped_string_token(),
        }
    }

    /// [`Parser::string_token`] for a string with escapes (or without its end).
    fn escaped_string_token(&mut self) -> Token {
        let index = self.pos;
        self.pos += 1;
        self.tmp.clear();
        self.str_escaped = true;
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
        push_utf8(self.tmp, codepoint);
        self.pos += escape_len;
        true
    }
}

/// The bytes that end a run of plain string bytes: the closing quote, a backslash, NUL.
const STRING_STOP: [bool; 256] = {
    let mut table = [false; 256];
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table[0] = true;
    table
};

/// Makes the table of a container that just closed from its elements, and pops them.
fn close(
    ctx: &mut Ctx<'_>,
    open: Open,
    items: &mut Vec<Value>,
    pairs: &mut Vec<(Value, Value)>,
    layouts: &mut Layouts,
) -> Result<TableHandle> {
    let table = match open {
        Open::Array { start } => {
            let table = ctx
                .vm()
                .heap()
                .tx()
                .new_array_from(items.get(start..).unwrap_or_default())?;
            items.truncate(start);
            table
        }
        Open::Object { start, .. } => {
            let pairs_of = pairs.get(start..).unwrap_or_default();
            // Records in an array, and documents from call to call, repeat key sequences.
            let table = layouts.build(&mut ctx.vm().heap().tx(), pairs_of)?;
            pairs.truncate(start);
            table
        }
    };
    Ok(table)
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
