//! The matcher proper: one [`State`] runs match attempts over a subject with a pattern program,
//! item by item, with the explicit backtracking stack instead of 5.1's recursion (see the parent
//! module for the rules and limits it keeps).

use super::program::{Item, Program, Rep, Set, Start};
use super::{
    Backtrack, CAP_POSITION, CAP_UNFINISHED, GsubState, MAX_BACKTRACK, MAX_CAPTURES, Match,
    PatternError, RawCapture, charge_scan, memchr,
};

/// The state of one match attempt series over one subject and pattern.
pub(super) struct State<'a, P> {
    pub(super) src: &'a [u8],
    pub(super) prog: &'a P,
    pub(super) level: usize,
    pub(super) stamp: u64,
    pub(super) captures: &'a mut [RawCapture; MAX_CAPTURES],
    pub(super) stack: &'a mut Vec<Backtrack>,
}

impl<P: Program> State<'_, P> {
    pub(super) fn to_match(&self, start: usize, end: usize) -> Match {
        Match {
            start,
            end,
            level: self.level,
            stamp: self.stamp,
        }
    }

    fn push(&mut self, entry: Backtrack) -> Result<(), PatternError> {
        if self.stack.len() >= MAX_BACKTRACK {
            return Err(PatternError::TooComplex);
        }
        self.stack.push(entry);
        Ok(())
    }

    /// The first position at or after `from` (and at most the subject length) where a match may
    /// start, given what every match starts with (`start`, if known).
    fn candidate(
        &self,
        start: Option<Start>,
        from: usize,
        fuel: &mut u64,
    ) -> Result<Option<usize>, PatternError> {
        let Some(start) = start else {
            return Ok((from <= self.src.len()).then_some(from));
        };
        let hay = self.src.get(from..).unwrap_or(&[]);
        let found = match start {
            Start::Class(Set::Byte(byte)) => memchr(byte, hay),
            Start::Class(set) => hay.iter().position(|&c| self.prog.contains(set, c)),
            Start::Frontier(set) => (from..=self.src.len()).position(|s| {
                let previous = self.src.get(s.wrapping_sub(1)).copied().unwrap_or(0);
                let current = self.src.get(s).copied().unwrap_or(0);
                !self.prog.contains(set, previous) && self.prog.contains(set, current)
            }),
        };
        charge_scan(found.unwrap_or(hay.len()), fuel)?;
        Ok(found.map(|k| from + k))
    }

    /// The first match at or after `from`, as (start, end); with `anchor`, only at `from`.
    pub(super) fn search(
        &mut self,
        from: usize,
        anchor: bool,
        fuel: &mut u64,
    ) -> Result<Option<(usize, usize)>, PatternError> {
        let start = if anchor { None } else { self.prog.start() };
        let mut s = from;
        loop {
            if !anchor {
                match self.candidate(start, s, fuel)? {
                    Some(next) => s = next,
                    None => return Ok(None),
                }
            }
            if let Some(e) = self.do_match(s, fuel)? {
                return Ok(Some((s, e)));
            }
            s += 1;
            if anchor || s > self.src.len() {
                return Ok(None);
            }
        }
    }

    /// The body of [`PatternMatcher::gsub_next`] after the pending skip.
    pub(super) fn gsub_step(
        &mut self,
        gsub: &mut GsubState,
        anchor: bool,
        out: &mut Vec<u8>,
        fuel: &mut u64,
    ) -> Result<Option<Match>, PatternError> {
        let start = if anchor { None } else { self.prog.start() };
        while !gsub.done {
            if start.is_some() {
                let next = self.candidate(start, gsub.src, fuel)?;
                let to = next.unwrap_or(self.src.len());
                out.extend_from_slice(self.src.get(gsub.src..to).unwrap_or(&[]));
                gsub.src = to;
                if next.is_none() {
                    // No match can start anywhere, not even at the end of the subject.
                    gsub.done = true;
                    return Ok(None);
                }
            }
            if let Some(e) = self.do_match(gsub.src, fuel)? {
                gsub.pending = Some(e);
                return Ok(Some(self.to_match(gsub.src, e)));
            }
            gsub.advance(None, anchor, self.src, out);
        }
        Ok(None)
    }

    /// How many bytes from `s` are in `set` (the greedy part of `max_expand`).
    fn max_count(&self, s: usize, set: Set, fuel: &mut u64) -> usize {
        let rest = self.src.get(s..).unwrap_or(&[]);
        let count = if set == Set::Any {
            rest.len()
        } else {
            rest.iter()
                .take_while(|&&c| self.prog.contains(set, c))
                .count()
        };
        *fuel = fuel.saturating_sub(count as u64);
        count
    }

    /// `matchbalance`: the end of a `%bxy` match starting at `s`.
    fn match_balance(&self, s: usize, open: u8, close: u8, fuel: &mut u64) -> Option<usize> {
        if self.src.get(s) != Some(&open) {
            return None;
        }
        let mut depth = 1usize;
        for (i, &c) in self.src.iter().enumerate().skip(s + 1) {
            if c == close {
                depth -= 1;
                if depth == 0 {
                    *fuel = fuel.saturating_sub((i - s) as u64);
                    return Some(i + 1);
                }
            } else if c == open {
                depth += 1;
            }
        }
        *fuel = fuel.saturating_sub((self.src.len() - s) as u64);
        None
    }

    /// `match_capture`: the end of a back-reference to capture `%digit` matched at `s`.
    fn match_back_reference(
        &self,
        s: usize,
        digit: u8,
        fuel: &mut u64,
    ) -> Result<Option<usize>, PatternError> {
        let l = usize::from(digit).wrapping_sub(usize::from(b'1'));
        if l >= self.level || self.captures[l].len == CAP_UNFINISHED {
            return Err(PatternError::InvalidCaptureIndex);
        }
        let cap = self.captures[l];
        // A position capture's negative length compares as a huge size_t in 5.1: never matches.
        let Ok(len) = usize::try_from(cap.len) else {
            return Ok(None);
        };
        *fuel = fuel.saturating_sub(len as u64);
        let matched = self.src.len() - s >= len
            && self.src.get(cap.init..cap.init + len) == self.src.get(s..s + len);
        Ok(matched.then_some(s + len))
    }

    /// `capture_to_close`: the innermost open capture.
    fn capture_to_close(&self) -> Result<usize, PatternError> {
        (0..self.level)
            .rev()
            .find(|&l| self.captures[l].len == CAP_UNFINISHED)
            .ok_or(PatternError::InvalidPatternCapture)
    }

    /// 5.1's `match(ms, s, p)` from the first item with `level = 0`: the end of the match
    /// starting at `s`, or `None`. Iterative: choice points live on `self.stack`.
    fn do_match(&mut self, s: usize, fuel: &mut u64) -> Result<Option<usize>, PatternError> {
        self.level = 0;
        self.stack.clear();
        let prog = self.prog;
        let end = prog.end();
        let len = self.src.len();
        let mut s = s;
        let mut p = 0;
        'resume: loop {
            // Run forward from (s, p) until the pattern ends (success) or an item fails.
            loop {
                if *fuel == 0 {
                    return Err(PatternError::FuelExhausted);
                }
                *fuel -= 1;
                if p >= end {
                    return Ok(Some(s));
                }
                let (item, next) = prog.item(p)?;
                match item {
                    Item::Single(set, rep) => {
                        let m = s < len && prog.contains(set, self.src[s]);
                        match rep {
                            Rep::One => {
                                if !m {
                                    break;
                                }
                                s += 1;
                            }
                            Rep::Optional => {
                                if m {
                                    if next == end {
                                        return Ok(Some(s + 1));
                                    }
                                    self.push(Backtrack::Optional { s, p: next })?;
                                    s += 1;
                                }
                            }
                            Rep::Star | Rep::Plus => {
                                let base = if rep == Rep::Plus {
                                    if !m {
                                        break;
                                    }
                                    s + 1
                                } else {
                                    s
                                };
                                let count = self.max_count(base, set, fuel);
                                if next == end {
                                    return Ok(Some(base + count));
                                }
                                self.push(Backtrack::MaxExpand {
                                    s: base,
                                    count,
                                    next,
                                })?;
                                s = base + count;
                            }
                            Rep::Lazy => {
                                if next == end {
                                    return Ok(Some(s));
                                }
                                self.push(Backtrack::MinExpand { s, p })?;
                            }
                        }
                    }
                    Item::Open | Item::Position => {
                        if self.level >= MAX_CAPTURES {
                            return Err(PatternError::TooManyCaptures);
                        }
                        let cap_len = if item == Item::Position {
                            CAP_POSITION
                        } else {
                            CAP_UNFINISHED
                        };
                        self.captures[self.level] = RawCapture {
                            init: s,
                            len: cap_len,
                        };
                        self.level += 1;
                        self.push(Backtrack::Opened)?;
                    }
                    Item::Close => {
                        let l = self.capture_to_close()?;
                        self.captures[l].len = (s - self.captures[l].init) as isize;
                        self.push(Backtrack::Closed { level: l })?;
                    }
                    Item::EndAnchor => {
                        if s == len {
                            return Ok(Some(s));
                        }
                        break;
                    }
                    Item::Balance(open, close) => match self.match_balance(s, open, close, fuel) {
                        Some(e) => s = e,
                        None => break,
                    },
                    Item::Frontier(set) => {
                        let previous = if s == 0 { 0 } else { self.src[s - 1] };
                        let current = self.src.get(s).copied().unwrap_or(0);
                        if prog.contains(set, previous) || !prog.contains(set, current) {
                            break;
                        }
                    }
                    Item::BackReference(digit) => {
                        match self.match_back_reference(s, digit, fuel)? {
                            Some(e) => s = e,
                            None => break,
                        }
                    }
                    Item::Error(err) => return Err(err),
                }
                p = next;
            }
            // Failure: undo and resume at the most recent alternative.
            while let Some(entry) = self.stack.pop() {
                match entry {
                    Backtrack::Opened => self.level -= 1,
                    Backtrack::Closed { level } => self.captures[level].len = CAP_UNFINISHED,
                    Backtrack::Optional { s: alt_s, p: alt_p } => {
                        s = alt_s;
                        p = alt_p;
                        continue 'resume;
                    }
                    Backtrack::MaxExpand {
                        s: base,
                        count,
                        next,
                    } => {
                        if count > 0 {
                            self.stack.push(Backtrack::MaxExpand {
                                s: base,
                                count: count - 1,
                                next,
                            });
                            s = base + count - 1;
                            p = next;
                            continue 'resume;
                        }
                    }
                    Backtrack::MinExpand { s: at, p: item } => {
                        let (Item::Single(set, _), next) = prog.item(item)? else {
                            continue;
                        };
                        if at < len && prog.contains(set, self.src[at]) {
                            self.stack.push(Backtrack::MinExpand { s: at + 1, p: item });
                            s = at + 1;
                            p = next;
                            continue 'resume;
                        }
                    }
                }
            }
            return Ok(None);
        }
    }
}
