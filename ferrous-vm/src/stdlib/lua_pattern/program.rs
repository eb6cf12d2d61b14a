//! Pattern items: how the matcher reads a pattern.
//!
//! A pattern is a sequence of [`Item`]s. [`Raw`] decodes them from the pattern bytes each time
//! the matcher reaches one (5.1's way, used for long patterns); [`Compiled`] decodes a pattern
//! once into a vector, with each `[...]` set turned into a 256-bit table, and is cached by the
//! matcher. Both raise 5.1's errors for a malformed item only when the matcher reaches it:
//! [`Compiled`] stops decoding at the first malformed item and keeps its error in its place.
//!
//! Invariant: for every byte `c`, [`Program::contains`] of a compiled set equals 5.1's
//! `singlematch` on the pattern text it came from (the tables are built by asking [`Raw`]).

use super::{MAX_CAPTURES, PatternError};

/// Character class bits of the C locale, one byte per character.
const ALPHA: u8 = 1;
const CNTRL: u8 = 2;
const DIGIT: u8 = 4;
const LOWER: u8 = 8;
const PUNCT: u8 = 16;
const SPACE: u8 = 32;
const UPPER: u8 = 64;
const XDIGIT: u8 = 128;

/// `ctype.h` of the C locale as a table: bytes >= 128 are in no class.
const CLASSES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        let mut bits = 0;
        if b.is_ascii_alphabetic() {
            bits |= ALPHA;
        }
        if b.is_ascii_control() {
            bits |= CNTRL;
        }
        if b.is_ascii_digit() {
            bits |= DIGIT;
        }
        if b.is_ascii_lowercase() {
            bits |= LOWER;
        }
        if b.is_ascii_punctuation() {
            bits |= PUNCT;
        }
        if matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
            bits |= SPACE;
        }
        if b.is_ascii_uppercase() {
            bits |= UPPER;
        }
        if b.is_ascii_hexdigit() {
            bits |= XDIGIT;
        }
        table[c] = bits;
        c += 1;
    }
    table
};

/// A set of bytes: what one single-character class matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Set {
    /// `.`: every byte.
    Any,
    /// A plain byte, or `%` followed by a non-class character (`%.`), or `%z`.
    Byte(u8),
    /// `%Z`: every byte but NUL.
    NotNul,
    /// A `%` class: the bytes whose class bits meet `mask` (`want`), or do not (`!want`).
    Class { mask: u8, want: bool },
    /// `[...]` in [`Raw`]: the `[` at `p` and the `]` at `ec`.
    Bracket { p: usize, ec: usize },
    /// `[...]` in [`Compiled`]: an index into its tables.
    Table(usize),
}

/// Repetition suffix of a single-character class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Rep {
    /// No suffix: exactly one.
    One,
    /// `?`
    Optional,
    /// `*`
    Star,
    /// `+`
    Plus,
    /// `-`
    Lazy,
}

/// One pattern item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Item {
    /// A single-character class and its suffix.
    Single(Set, Rep),
    /// `(`
    Open,
    /// `()`
    Position,
    /// `)`
    Close,
    /// `%bxy`
    Balance(u8, u8),
    /// `%f[set]`
    Frontier(Set),
    /// `%1`-`%9` (the digit byte; `%0` too, which is always an invalid index).
    BackReference(u8),
    /// `$` as the last byte of the pattern.
    EndAnchor,
    /// A malformed item ([`Compiled`] only): raising this error is what reaching it does.
    Error(PatternError),
}

/// What a match must start with, when that can be tested without matching.
#[derive(Clone, Copy, Debug)]
pub(super) enum Start {
    /// The first item consumes a byte of this set (`x` or `x+`).
    Class(Set),
    /// The first item is `%f[set]`.
    Frontier(Set),
}

/// Where the matcher reads items from. Positions are opaque: 0 is the first item, `end()` is past
/// the last, and each item reports the position of the next.
pub(super) trait Program {
    /// The position past the last item.
    fn end(&self) -> usize;
    /// The item at `p < end()` and the position after it, or the error 5.1 raises on reaching it.
    fn item(&self, p: usize) -> Result<(Item, usize), PatternError>;
    /// `singlematch`: whether byte `c` is in `set`.
    fn contains(&self, set: Set, c: u8) -> bool;

    /// What every match must start with, if something simple (see [`find_start`]).
    fn start(&self) -> Option<Start> {
        find_start(self)
    }
}

/// The first item after leading captures, when it must consume a byte of a set or is a frontier:
/// start positions failing it fail in 5.1 at that item, before reaching anything that could
/// raise an error.
fn find_start<P: Program + ?Sized>(prog: &P) -> Option<Start> {
    let mut p = 0;
    for _ in 0..MAX_CAPTURES {
        if p >= prog.end() {
            return None;
        }
        match prog.item(p).ok()? {
            (Item::Open | Item::Position, next) => p = next,
            (Item::Single(set, Rep::One | Rep::Plus), _) => return Some(Start::Class(set)),
            (Item::Frontier(set), _) => return Some(Start::Frontier(set)),
            _ => return None,
        }
    }
    None
}

/// Whether byte `c` is in a set that is not a bracket set.
#[inline]
fn simple_contains(set: Set, c: u8) -> bool {
    match set {
        Set::Any => true,
        Set::Byte(b) => b == c,
        Set::NotNul => c != 0,
        Set::Class { mask, want } => (CLASSES[usize::from(c)] & mask != 0) == want,
        Set::Bracket { .. } | Set::Table(_) => false,
    }
}

/// `%cl` as a set (`%a`, `%A`, ...; any other `cl` is itself).
fn class_set(cl: u8) -> Set {
    let want = cl.is_ascii_lowercase();
    let mask = match cl.to_ascii_lowercase() {
        b'a' => ALPHA,
        b'c' => CNTRL,
        b'd' => DIGIT,
        b'l' => LOWER,
        b'p' => PUNCT,
        b's' => SPACE,
        b'u' => UPPER,
        b'w' => ALPHA | DIGIT,
        b'x' => XDIGIT,
        b'z' if want => return Set::Byte(0),
        b'z' => return Set::NotNul,
        _ => return Set::Byte(cl),
    };
    Set::Class { mask, want }
}

/// A pattern read straight from its bytes (without the NUL and anchor handled by the caller).
pub(super) struct Raw<'a> {
    pub(super) pat: &'a [u8],
}

impl Raw<'_> {
    /// The pattern byte at `p`, NUL past the end (the C string terminator).
    #[inline]
    fn at(&self, p: usize) -> u8 {
        self.pat.get(p).copied().unwrap_or(0)
    }

    /// `classend`: the index just after the single-character class starting at `p`.
    fn class_end(&self, p: usize) -> Result<usize, PatternError> {
        let first = self.at(p);
        let mut p = p + 1;
        match first {
            b'%' => {
                if p >= self.pat.len() {
                    return Err(PatternError::EndsWithPercent);
                }
                Ok(p + 1)
            }
            b'[' => {
                if self.at(p) == b'^' {
                    p += 1;
                }
                loop {
                    if p >= self.pat.len() {
                        return Err(PatternError::MissingBracket);
                    }
                    let c = self.at(p);
                    p += 1;
                    if c == b'%' && p < self.pat.len() {
                        p += 1;
                    }
                    if self.at(p) == b']' {
                        return Ok(p + 1);
                    }
                }
            }
            _ => Ok(p),
        }
    }

    /// `matchbracketclass`: whether `c` is in the set `[...]` from `p` (the `[`) to `ec` (the `]`).
    fn bracket_class(&self, c: u8, p: usize, ec: usize) -> bool {
        let mut p = p;
        let mut sig = true;
        if self.at(p + 1) == b'^' {
            sig = false;
            p += 1;
        }
        loop {
            p += 1;
            if p >= ec {
                return !sig;
            }
            let byte = self.at(p);
            if byte == b'%' {
                p += 1;
                if simple_contains(class_set(self.at(p)), c) {
                    return sig;
                }
            } else if self.at(p + 1) == b'-' && p + 2 < ec {
                p += 2;
                if byte <= c && c <= self.at(p) {
                    return sig;
                }
            } else if byte == c {
                return sig;
            }
        }
    }
}

impl Program for Raw<'_> {
    fn end(&self) -> usize {
        self.pat.len()
    }

    fn item(&self, p: usize) -> Result<(Item, usize), PatternError> {
        Ok(match self.at(p) {
            b'(' if self.at(p + 1) == b')' => (Item::Position, p + 2),
            b'(' => (Item::Open, p + 1),
            b')' => (Item::Close, p + 1),
            b'$' if p + 1 == self.pat.len() => (Item::EndAnchor, p + 1),
            b'%' if self.at(p + 1) == b'b' => {
                if p + 3 >= self.pat.len() {
                    return Err(PatternError::Unbalanced);
                }
                (Item::Balance(self.at(p + 2), self.at(p + 3)), p + 4)
            }
            b'%' if self.at(p + 1) == b'f' => {
                let q = p + 2;
                if self.at(q) != b'[' {
                    return Err(PatternError::MissingFrontierBracket);
                }
                let ep = self.class_end(q)?;
                (Item::Frontier(Set::Bracket { p: q, ec: ep - 1 }), ep)
            }
            b'%' if self.at(p + 1).is_ascii_digit() => (Item::BackReference(self.at(p + 1)), p + 2),
            first => {
                let ep = self.class_end(p)?;
                let set = match first {
                    b'.' => Set::Any,
                    b'%' => class_set(self.at(p + 1)),
                    b'[' => Set::Bracket { p, ec: ep - 1 },
                    byte => Set::Byte(byte),
                };
                let (rep, next) = match self.at(ep) {
                    b'?' => (Rep::Optional, ep + 1),
                    b'*' => (Rep::Star, ep + 1),
                    b'+' => (Rep::Plus, ep + 1),
                    b'-' => (Rep::Lazy, ep + 1),
                    _ => (Rep::One, ep),
                };
                (Item::Single(set, rep), next)
            }
        })
    }

    #[inline]
    fn contains(&self, set: Set, c: u8) -> bool {
        match set {
            Set::Bracket { p, ec } => self.bracket_class(c, p, ec),
            set => simple_contains(set, c),
        }
    }
}

/// A pattern decoded once: its items, the tables of its bracket sets, and its [`Start`].
#[derive(Debug)]
pub(super) struct Compiled {
    /// The pattern bytes this was compiled from (the cache key).
    pub(super) key: Box<[u8]>,
    items: Vec<Item>,
    tables: Vec<[u64; 4]>,
    start: Option<Start>,
}

impl Compiled {
    /// Decodes `pat` up to its end or its first malformed item.
    pub(super) fn new(pat: &[u8]) -> Self {
        let raw = Raw { pat };
        let mut compiled = Self {
            key: pat.into(),
            items: Vec::new(),
            tables: Vec::new(),
            start: None,
        };
        let mut p = 0;
        while p < pat.len() {
            match raw.item(p) {
                Ok((item, next)) => {
                    let item = match item {
                        Item::Single(set, rep) => Item::Single(compiled.table_for(&raw, set), rep),
                        Item::Frontier(set) => Item::Frontier(compiled.table_for(&raw, set)),
                        item => item,
                    };
                    compiled.items.push(item);
                    p = next;
                }
                Err(err) => {
                    compiled.items.push(Item::Error(err));
                    break;
                }
            }
        }
        compiled.start = find_start(&compiled);
        compiled
    }

    /// `set` with a bracket set replaced by a table of its bytes.
    fn table_for(&mut self, raw: &Raw<'_>, set: Set) -> Set {
        let Set::Bracket { .. } = set else {
            return set;
        };
        let mut table = [0u64; 4];
        for c in 0..=255u8 {
            if raw.contains(set, c) {
                table[usize::from(c >> 6)] |= 1 << (c & 63);
            }
        }
        self.tables.push(table);
        Set::Table(self.tables.len() - 1)
    }
}

impl Program for Compiled {
    fn start(&self) -> Option<Start> {
        self.start
    }

    #[inline]
    fn end(&self) -> usize {
        self.items.len()
    }

    #[inline]
    fn item(&self, p: usize) -> Result<(Item, usize), PatternError> {
        match self.items.get(p) {
            Some(Item::Error(err)) => Err(*err),
            Some(item) => Ok((*item, p + 1)),
            // The matcher never asks past the end; as a pattern, nothing there is a failure.
            None => Ok((Item::Single(Set::Table(usize::MAX), Rep::One), p + 1)),
        }
    }

    #[inline]
    fn contains(&self, set: Set, c: u8) -> bool {
        match set {
            Set::Table(i) => self
                .tables
                .get(i)
                .is_some_and(|table| table[usize::from(c >> 6)] >> (c & 63) & 1 != 0),
            set => simple_contains(set, c),
        }
    }
}
