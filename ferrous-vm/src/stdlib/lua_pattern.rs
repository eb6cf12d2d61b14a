//! Lua 5.1 pattern matching (lstrlib.c `match` and friends) without recursion, with a fuel budget
//! and a bounded backtracking stack.
//!
//! The matcher walks the pattern item by item, like 5.1. Short patterns are decoded once into
//! items (`program::Compiled`, bracket sets as 256-bit tables) and cached in the
//! [`PatternMatcher`]; long ones are decoded from their bytes as the matcher reaches each item
//! (`program::Raw`). When every match must begin with a byte of some set (the first item after
//! leading captures is `x` or `x+`) or with a frontier, start positions are found by a scan
//! instead of a failed match attempt each. Where 5.1's `match` recurses
//! (on `?`, `*`, `+`, `-` and captures), this one pushes a [`Backtrack`] entry on an explicit stack
//! and keeps going; on failure it pops entries, undoing capture changes and resuming at the next
//! alternative, which visits alternatives in exactly 5.1's order. So results and errors are 5.1's,
//! including errors raised only when the matcher reaches the bad part of a pattern
//! (`("abc"):find("x%")` is nil, not an error).
//!
//! Key types: [`PatternMatcher`] (the reusable stack; the VM can keep one per state),
//! [`Match`] (a successful match: its range and up to [`MAX_CAPTURES`] captures, read with
//! [`Match::capture`]), [`Capture`], [`GsubState`], [`PatternError`].
//! Entry points: [`PatternMatcher::find`] (`string.find`), [`PatternMatcher::match_pattern`]
//! (`string.match`), [`PatternMatcher::gmatch_next`] (one `gmatch` iteration),
//! [`PatternMatcher::gsub_next`] with [`GsubState::finish`] and [`expand_replacement`]
//! (`string.gsub`), [`has_specials`] and [`start_index`].
//!
//! Invariants and limits:
//! * No Rust recursion at all: stack use is constant whatever the subject or pattern.
//! * Patterns are C strings in 5.1: everything from the first NUL byte of a pattern is ignored
//!   (use `%z` to match a NUL). Subjects may contain NULs; reading one byte past the end of the
//!   subject yields NUL, as 5.1 reads the terminator (this is what `%f[%z]` sees at the end).
//! * Character classes use the C locale: bytes >= 128 belong to no class.
//! * Fuel: every matching step costs one unit of the `fuel` budget passed in: each pattern item
//!   tried at a subject position, each subject byte scanned by a greedy expansion, `%b` or a
//!   back-reference, and about one unit per 16 bytes scanned by a plain search or a
//!   start-position scan. When the budget
//!   reaches zero the call returns [`PatternError::FuelExhausted`]; the VM charges the fuel spent
//!   (the decrease of `*fuel`) to its instruction budget and raises its time-limit error.
//! * Memory: the backtracking stack holds at most one entry per pattern item on the current path
//!   (Lua patterns have no loops), and is capped at [`MAX_BACKTRACK`] entries; past that the match
//!   fails with [`PatternError::TooComplex`] ("pattern too complex", Lua 5.2's text: 5.1 has no
//!   limit and crashes with a C stack overflow near 150 000 nested items). The cache holds at
//!   most `CACHE_SIZE` compiled patterns of at most `MAX_COMPILED` bytes each.

mod program;
mod state;

use std::fmt;
use std::ops::Range;

use program::{Compiled, Raw};
use state::State;

/// Maximum number of captures in a pattern (`LUA_MAXCAPTURES`).
pub(crate) const MAX_CAPTURES: usize = 32;

/// Maximum number of entries on the backtracking stack (about 6 MiB).
pub(crate) const MAX_BACKTRACK: usize = 200_000;

/// The bytes that make `string.find` use the matcher instead of a plain search.
const SPECIALS: &[u8] = b"^$*+?.([%-";

/// Capture length of a capture still open.
const CAP_UNFINISHED: isize = -1;
/// Capture length of a position capture `()`.
const CAP_POSITION: isize = -2;

/// An error raised while matching. All but [`PatternError::FuelExhausted`] are Lua errors whose
/// text ([`fmt::Display`]) is 5.1's, without position: the VM prefixes `luaL_where`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PatternError {
    /// `malformed pattern (ends with '%')`.
    EndsWithPercent,
    /// `malformed pattern (missing ']')`.
    MissingBracket,
    /// `missing '[' after '%f' in pattern`.
    MissingFrontierBracket,
    /// `unbalanced pattern`: `%b` without its two delimiter characters.
    Unbalanced,
    /// `invalid capture index`: `%1`-`%9` naming no (closed) capture, in a pattern or a
    /// replacement string.
    InvalidCaptureIndex,
    /// `invalid pattern capture`: a `)` without an open `(`.
    InvalidPatternCapture,
    /// `unfinished capture`: the match succeeded with a `(` never closed.
    UnfinishedCapture,
    /// `too many captures`: more than [`MAX_CAPTURES`].
    TooManyCaptures,
    /// `pattern too complex`: the backtracking stack passed [`MAX_BACKTRACK`] (not a 5.1 error).
    TooComplex,
    /// The fuel budget ran out. Not a Lua error: the VM raises its own time-limit error.
    FuelExhausted,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::EndsWithPercent => "malformed pattern (ends with '%')",
            Self::MissingBracket => "malformed pattern (missing ']')",
            Self::MissingFrontierBracket => "missing '[' after '%f' in pattern",
            Self::Unbalanced => "unbalanced pattern",
            Self::InvalidCaptureIndex => "invalid capture index",
            Self::InvalidPatternCapture => "invalid pattern capture",
            Self::UnfinishedCapture => "unfinished capture",
            Self::TooManyCaptures => "too many captures",
            Self::TooComplex => "pattern too complex",
            Self::FuelExhausted => "pattern matching ran out of fuel",
        })
    }
}

impl std::error::Error for PatternError {}

/// One capture value, as 5.1 pushes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Capture {
    /// A substring of the subject (byte range).
    Bytes(Range<usize>),
    /// A position capture `()`: the 1-based Lua position (a number in Lua).
    Position(usize),
}

/// A capture slot: start in the subject and length, or `CAP_UNFINISHED` / `CAP_POSITION`.
#[derive(Clone, Copy, Debug, Default)]
struct RawCapture {
    init: usize,
    len: isize,
}

/// A successful match: the matched range of the subject. Its captures stay in the
/// [`PatternMatcher`] that made it, read with [`PatternMatcher::capture`] until the matcher's
/// next call (so a match is a few words to move around, not 32 capture slots).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Match {
    /// Index of the first matched byte (0-based; Lua's `find` returns `start + 1`).
    pub(crate) start: usize,
    /// Index after the last matched byte (Lua's `find` returns it as the end position).
    pub(crate) end: usize,
    level: usize,
    /// The matcher call that made this match (see [`PatternMatcher::capture`]).
    stamp: u64,
}

impl Match {
    /// The number of captures the pattern made: what `string.find` returns after the positions.
    pub(crate) fn level(&self) -> usize {
        self.level
    }

    /// The number of values `string.match`, `gmatch` and a `gsub` function receive: the
    /// captures, or the whole match when there are none.
    pub(crate) fn n_values(&self) -> usize {
        self.level.max(1)
    }
}

/// A choice point or an undo record on the backtracking stack.
#[derive(Clone, Copy, Debug)]
enum Backtrack {
    /// A capture was opened: on failure, drop it (`level -= 1`).
    Opened,
    /// Capture `level` was closed: on failure, reopen it.
    Closed { level: usize },
    /// `x?` matched one `x`: on failure, go on without it from `(s, p)`.
    Optional { s: usize, p: usize },
    /// `x*` / `x+` matched `count` items from `s`: on failure, retry with one fewer (the rest
    /// of the pattern starts at `next`).
    MaxExpand { s: usize, count: usize, next: usize },
    /// `x-` (the item at `p`) is trying the rest at `s`: on failure, eat one more `x` and retry.
    MinExpand { s: usize, p: usize },
}

/// How many compiled patterns the matcher keeps.
const CACHE_SIZE: usize = 8;

/// Patterns longer than this are read from their bytes instead of being compiled and cached.
const MAX_COMPILED: usize = 256;

/// Reusable matcher state: the backtracking stack, the capture slots, and the last compiled
/// patterns. Keeping one alive across calls saves allocations and pattern decoding per call.
#[derive(Debug, Default)]
pub(crate) struct PatternMatcher {
    stack: Vec<Backtrack>,
    captures: [RawCapture; MAX_CAPTURES],
    /// Compiled short patterns, replaced round-robin from `next_victim`.
    cache: Vec<Compiled>,
    next_victim: usize,
    /// The cache entry used last.
    last_used: usize,
    /// Counts matching calls, so that a [`Match`] knows whether the capture slots are its own.
    stamp: u64,
    /// Scratch bytes for the VM: a capture is copied here before it is interned.
    pub(crate) scratch: Vec<u8>,
}

/// The progress of one `string.gsub` call between [`PatternMatcher::gsub_next`] calls. It holds
/// no borrow, so the VM can run a Lua replacement function between steps.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct GsubState {
    /// Current subject position (`src` in 5.1).
    src: usize,
    /// End of the match last returned, whose skip step has not been applied yet.
    pending: Option<usize>,
    /// The loop has ended (end of subject, or anchored pattern).
    done: bool,
}

/// `strpbrk(pattern, SPECIALS) != NULL`: whether `string.find` must use the matcher (only the
/// bytes before the first NUL count, as in 5.1).
pub(crate) fn has_specials(pattern: &[u8]) -> bool {
    c_str(pattern).iter().any(|b| SPECIALS.contains(b))
}

/// The 0-based start of a search from Lua's `init` argument (`posrelat`, then clamped to
/// `0..=len` as 5.1's `str_find_aux` does).
pub(crate) fn start_index(init: i64, len: usize) -> usize {
    let len_i = i64::try_from(len).unwrap_or(i64::MAX);
    let pos = if init < 0 {
        init.saturating_add(len_i).saturating_add(1)
    } else {
        init
    };
    let pos = pos.max(0) - 1;
    if pos < 0 {
        0
    } else {
        usize::try_from(pos).map_or(len, |p| p.min(len))
    }
}

/// 5.1's `add_s`: appends the `gsub` replacement string `repl` for match `m` of `subject`.
/// `%0` is the whole match, `%1`-`%9` the captures (a position capture as its number), `%`
/// followed by anything else is that byte, and a `%` at the very end adds a NUL byte (5.1 reads
/// the string's terminator).
pub(crate) fn expand_replacement(
    repl: &[u8],
    subject: &[u8],
    m: &Match,
    matcher: &PatternMatcher,
    out: &mut Vec<u8>,
) -> Result<(), PatternError> {
    let mut i = 0;
    while i < repl.len() {
        if repl[i] != b'%' {
            let run_end = memchr(b'%', &repl[i..]).map_or(repl.len(), |k| i + k);
            out.extend_from_slice(&repl[i..run_end]);
            i = run_end;
            continue;
        }
        i += 1;
        let byte = repl.get(i).copied().unwrap_or(0);
        if !byte.is_ascii_digit() {
            out.push(byte);
        } else if byte == b'0' {
            out.extend_from_slice(&subject[m.start..m.end]);
        } else {
            match matcher.capture(m, usize::from(byte - b'1'))? {
                Capture::Bytes(range) => out.extend_from_slice(&subject[range]),
                Capture::Position(pos) => push_decimal(pos, out),
            }
        }
        i += 1;
    }
    Ok(())
}

/// Runs `$body` with `$state`, a [`State`] over `$src` and the pattern `$pat` (compiled and
/// cached when short, else read from its bytes). A macro rather than a function so that the
/// body is monomorphized for both program kinds and borrows the matcher's fields apart.
macro_rules! with_state {
    ($matcher:ident, $src:expr, $pat:expr, |$state:ident| $body:expr) => {{
        $matcher.stamp = $matcher.stamp.wrapping_add(1);
        match $matcher.compiled($pat) {
            Some(i) => {
                let mut $state = State {
                    src: $src,
                    prog: &$matcher.cache[i],
                    level: 0,
                    stamp: $matcher.stamp,
                    captures: &mut $matcher.captures,
                    stack: &mut $matcher.stack,
                };
                $body
            }
            None => {
                let raw = Raw { pat: $pat };
                let mut $state = State {
                    src: $src,
                    prog: &raw,
                    level: 0,
                    stamp: $matcher.stamp,
                    captures: &mut $matcher.captures,
                    stack: &mut $matcher.stack,
                };
                $body
            }
        }
    }};
}

impl PatternMatcher {
    /// A matcher with an empty stack.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// `string.find(subject, pattern, init, plain)` with `init` already turned into a 0-based
    /// index by [`start_index`]. Searches plainly when `plain` is set or the pattern has no
    /// special characters (then the whole pattern, NULs included, is searched for and the match
    /// has no captures).
    pub(crate) fn find(
        &mut self,
        subject: &[u8],
        pattern: &[u8],
        init: usize,
        plain: bool,
        fuel: &mut u64,
    ) -> Result<Option<Match>, PatternError> {
        if plain || !has_specials(pattern) {
            let found = find_plain(subject, pattern, init, fuel)?;
            Ok(found.map(|(start, end)| Match {
                start,
                end,
                level: 0,
                stamp: 0,
            }))
        } else {
            self.match_pattern(subject, pattern, init.min(subject.len()), fuel)
        }
    }

    /// Capture `i` (0-based) of `m`, the last match this matcher made, as 5.1's
    /// `push_onecapture`: index 0 of a pattern without captures is the whole match; a missing
    /// capture is `invalid capture index` and an open one `unfinished capture`. The captures of
    /// an older match are gone: asking for them is `invalid capture index` too.
    pub(crate) fn capture(&self, m: &Match, i: usize) -> Result<Capture, PatternError> {
        if i >= m.level {
            return if i == 0 {
                Ok(Capture::Bytes(m.start..m.end))
            } else {
                Err(PatternError::InvalidCaptureIndex)
            };
        }
        if m.stamp != self.stamp {
            return Err(PatternError::InvalidCaptureIndex);
        }
        let cap = self.captures[i];
        match cap.len {
            CAP_UNFINISHED => Err(PatternError::UnfinishedCapture),
            CAP_POSITION => Ok(Capture::Position(cap.init + 1)),
            len => Ok(Capture::Bytes(cap.init..cap.init + len as usize)),
        }
    }

    /// `string.match(subject, pattern, init)` (and the matching half of `string.find`): the
    /// first match at or after the 0-based `init`; a leading `^` anchors it at `init`.
    pub(crate) fn match_pattern(
        &mut self,
        subject: &[u8],
        pattern: &[u8],
        init: usize,
        fuel: &mut u64,
    ) -> Result<Option<Match>, PatternError> {
        let (pattern, anchor) = split_anchor(c_str(pattern));
        let init = init.min(subject.len());
        with_state!(self, subject, pattern, |state| {
            Ok(state
                .search(init, anchor, fuel)?
                .map(|(s, e)| state.to_match(s, e)))
        })
    }

    /// One `gmatch` iteration: the first match at or after `*pos` (0-based), moving `*pos` past
    /// it (one further for an empty match), or `None` leaving `*pos` as it is. `^` is an ordinary
    /// byte here, as in 5.1. The VM keeps `*pos` in the iterator closure, starting at 0.
    pub(crate) fn gmatch_next(
        &mut self,
        subject: &[u8],
        pattern: &[u8],
        pos: &mut usize,
        fuel: &mut u64,
    ) -> Result<Option<Match>, PatternError> {
        let pattern = c_str(pattern);
        with_state!(self, subject, pattern, |state| {
            let Some((s, e)) = state.search(*pos, false, fuel)? else {
                return Ok(None);
            };
            *pos = if e == s { e + 1 } else { e };
            Ok(Some(state.to_match(s, e)))
        })
    }

    /// One step of `string.gsub`: copies the unmatched subject bytes to `out` and returns the next
    /// match, for which the caller appends the replacement (see [`expand_replacement`]), or `None`
    /// when the subject is exhausted. The caller counts matches and stops calling once it reaches
    /// gsub's `n` argument; it always ends with [`GsubState::finish`].
    pub(crate) fn gsub_next(
        &mut self,
        subject: &[u8],
        pattern: &[u8],
        gsub: &mut GsubState,
        out: &mut Vec<u8>,
        fuel: &mut u64,
    ) -> Result<Option<Match>, PatternError> {
        let (pattern, anchor) = split_anchor(c_str(pattern));
        if let Some(end) = gsub.pending.take() {
            gsub.advance(Some(end), anchor, subject, out);
        }
        with_state!(self, subject, pattern, |state| state
            .gsub_step(gsub, anchor, out, fuel))
    }

    /// The index in the cache of `pattern` compiled, compiling it if needed; `None` for a
    /// pattern too long to cache.
    fn compiled(&mut self, pattern: &[u8]) -> Option<usize> {
        if pattern.len() > MAX_COMPILED {
            return None;
        }
        // The last pattern used is the likeliest (a gmatch loop, a gsub with a function).
        if self
            .cache
            .get(self.last_used)
            .is_some_and(|c| *c.key == *pattern)
        {
            return Some(self.last_used);
        }
        if let Some(i) = self.cache.iter().position(|c| *c.key == *pattern) {
            self.last_used = i;
            return Some(i);
        }
        let compiled = Compiled::new(pattern);
        if self.cache.len() < CACHE_SIZE {
            self.cache.push(compiled);
            self.last_used = self.cache.len() - 1;
            return Some(self.last_used);
        }
        let i = self.next_victim % CACHE_SIZE;
        self.cache[i] = compiled;
        self.next_victim = (i + 1) % CACHE_SIZE;
        self.last_used = i;
        Some(i)
    }
}

impl GsubState {
    /// The state at the start of a `gsub` call.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// 5.1's loop tail after a match ending at `end` (or no match): skip the match, or copy one
    /// byte, or stop at the end of the subject; an anchored pattern stops after one try.
    fn advance(&mut self, end: Option<usize>, anchor: bool, subject: &[u8], out: &mut Vec<u8>) {
        match end {
            Some(e) if e > self.src => self.src = e,
            _ if self.src < subject.len() => {
                out.push(subject[self.src]);
                self.src += 1;
            }
            _ => {
                self.done = true;
                return;
            }
        }
        if anchor {
            self.done = true;
        }
    }

    /// Ends a `gsub`: applies the skip after the last match and appends the rest of the subject.
    pub(crate) fn finish(&mut self, subject: &[u8], out: &mut Vec<u8>) {
        if let Some(end) = self.pending.take() {
            // The anchor flag only decides whether to stop, and we stop anyway.
            self.advance(Some(end), false, subject, out);
        }
        out.extend_from_slice(&subject[self.src.min(subject.len())..]);
        self.src = subject.len();
        self.done = true;
    }
}

/// Appends `value` in decimal (a position capture added to a `gsub` result).
fn push_decimal(mut value: usize, out: &mut Vec<u8>) {
    let mut buf = [0u8; 20];
    let mut pos = buf.len();
    loop {
        pos -= 1;
        buf[pos] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[pos..]);
}

/// The bytes a C function sees: everything before the first NUL.
fn c_str(s: &[u8]) -> &[u8] {
    match memchr(0, s) {
        Some(nul) => &s[..nul],
        None => s,
    }
}

/// Removes a leading `^` and reports whether there was one.
fn split_anchor(pattern: &[u8]) -> (&[u8], bool) {
    match pattern.split_first() {
        Some((b'^', rest)) => (rest, true),
        _ => (pattern, false),
    }
}

/// Charges about one fuel unit per 16 bytes scanned (at least one).
fn charge_scan(bytes: usize, fuel: &mut u64) -> Result<(), PatternError> {
    let cost = (bytes / 16) as u64 + 1;
    if *fuel < cost {
        *fuel = 0;
        return Err(PatternError::FuelExhausted);
    }
    *fuel -= cost;
    Ok(())
}

/// `string.find` of `pattern` as plain bytes in `subject` from 0-based `init` (clamped to the
/// subject): the 0-based start and the end of the first occurrence. Needs no matcher state.
pub(crate) fn find_plain(
    subject: &[u8],
    pattern: &[u8],
    init: usize,
    fuel: &mut u64,
) -> Result<Option<(usize, usize)>, PatternError> {
    let init = init.min(subject.len());
    let found = plain_find(&subject[init..], pattern, fuel)?;
    Ok(found.map(|at| (init + at, init + at + pattern.len())))
}

/// `memchr`: the index of the first `needle` byte in `hay`, eight bytes at a time.
fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let repeated = LO * u64::from(needle);
    let mut chunks = hay.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word) ^ repeated;
        if x.wrapping_sub(LO) & !x & HI != 0 {
            return chunk.iter().position(|&b| b == needle).map(|k| offset + k);
        }
        offset += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| b == needle)
        .map(|k| offset + k)
}

/// 5.1's `lmemfind`: the first occurrence of `needle` in `hay` (an empty needle is at 0).
fn plain_find(hay: &[u8], needle: &[u8], fuel: &mut u64) -> Result<Option<usize>, PatternError> {
    let Some((&first, rest)) = needle.split_first() else {
        return Ok(Some(0));
    };
    if needle.len() > hay.len() {
        return Ok(None);
    }
    let last_start = hay.len() - needle.len();
    let mut from = 0;
    while from <= last_start {
        let Some(k) = memchr(first, &hay[from..=last_start]) else {
            charge_scan(last_start + 1 - from, fuel)?;
            return Ok(None);
        };
        let candidate = from + k;
        charge_scan(k + rest.len(), fuel)?;
        if &hay[candidate + 1..candidate + needle.len()] == rest {
            return Ok(Some(candidate));
        }
        from = candidate + 1;
    }
    Ok(None)
}

#[cfg(test)]
mod tests;
