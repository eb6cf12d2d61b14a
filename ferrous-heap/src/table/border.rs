//! `#t`: 5.1's `luaH_getn` (the binary search in the array part, `unbound_search` past it) and
//! what spares it: the table's border, exact while the array part is a dense list (values in
//! exactly the slots below it), which every write to the array part keeps true or gives up,
//! or else a hint the search starts from and checks.

use super::Table;
use crate::value::Value;

/// `Table::border_hint` when the last border found was too large to hold: the next `#t` goes
/// straight to the search.
pub(super) const NO_BORDER_HINT: u16 = 0x7fff;

/// `Table::border_hint`'s flag for an exact border (a dense array part).
pub(super) const DENSE_BORDER: u16 = 0x8000;

impl Table {
    /// The border `#t`, as 5.1's `luaH_getn`. Inline for the common cases: an exact border
    /// below the end of the array part (a list being built, `t[#t + 1] = v`), a list that fills
    /// its array part and has no hash part (`#KEYS`, `for i = 1, #t`), an empty table; the
    /// searches are out of line.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        let hint = self.border_hint.get();
        let exact = usize::from(hint ^ DENSE_BORDER);
        if hint & DENSE_BORDER != 0 && (exact < self.array.len() || self.nodes.is_empty()) {
            // Values in exactly the slots below it (never past the array part): below its end,
            // the last slot is nil and 5.1's search over the array part ends there; at its end,
            // with no hash part, 5.1 returns the array's size without a search.
            return exact;
        }
        if self.nodes.is_empty() && self.array.last().is_none_or(|v| !matches!(v, Value::Nil)) {
            return self.array.len();
        }
        self.border()
    }

    /// [`Table::len`] past its inline cases.
    #[inline(never)]
    fn border(&self) -> usize {
        let mut j = self.array.len();
        if j > 0 && self.array.get(j - 1).is_none_or(|v| *v == Value::Nil) {
            // Not an exact border (`len` returned it): a hint, if any.
            if let Some(border) = self.hinted_border(j) {
                return border;
            }
            // Binary search for a border inside the array part. Each step's outcome is data
            // dependent: as a branch it mispredicts half the time. So both bounds are updated
            // through a mask; `black_box` keeps the optimizer from turning it back into a
            // select, which the x86 backend makes a branch again inside a loop.
            let mut i = 0;
            while j - i > 1 {
                let m = (i + j) / 2;
                let nil = self
                    .array
                    .get(m - 1)
                    .is_none_or(|v| matches!(v, Value::Nil));
                let mask = std::hint::black_box(0usize.wrapping_sub(usize::from(nil)));
                j = (m & mask) | (j & !mask);
                i = (i & mask) | (m & !mask);
            }
            self.remember_border(i);
            return i;
        }
        if self.nodes.is_empty() {
            j
        } else {
            self.unbound_search(j)
        }
    }

    /// `#t` for an array part of `len` slots whose last one is nil, when the border the last
    /// `#t` found (moved by one if a value was appended there or removed below it since: the
    /// `t[#t + 1] = v` and `t[#t] = nil` of a growing or shrinking list) is the one 5.1's
    /// binary search finds; `None` sends the caller to that search.
    ///
    /// The check runs the search as it would go over an array holding values exactly below the
    /// candidate `c`: each slot it reads must be nil exactly when it lies at or past `c`. If all
    /// agree, the real search reads the same slots, takes the same path and returns `c`, holes
    /// elsewhere or not. The path depends on `c` only, so the reads do not wait for each other
    /// (the search itself waits for each read before the next: `t[#t + 1] = v` on a 2,000-value
    /// list spent 17% of json.lua's time there).
    #[inline]
    pub(super) fn hinted_border(&self, len: usize) -> Option<usize> {
        let is_nil = |k: usize| self.array.get(k).is_none_or(|v| matches!(v, Value::Nil));
        let hint = self.border_hint.get() & !DENSE_BORDER;
        if hint == NO_BORDER_HINT {
            return None;
        }
        let mut c = usize::from(hint);
        if c < len && !is_nil(c) {
            c += 1;
        } else if c > 0 && is_nil(c - 1) {
            c -= 1;
        }
        if c >= len {
            return None;
        }
        let agree = if len.is_power_of_two() {
            // Each step halves a power of two: the step of `half` reads slot `m - 1`, `m` being
            // `c`'s bits above `half` plus `half`, and goes on to the upper half exactly when
            // `c` has that bit. No search bounds to carry: a third of the loop's instructions.
            let mut agree = true;
            let mut half = len / 2;
            while half > 0 {
                let probe = (c | (half - 1)) & !half;
                agree &= is_nil(probe) == (c & half == 0);
                half /= 2;
            }
            agree
        } else {
            let (mut i, mut j) = (0, len);
            let mut agree = true;
            while j - i > 1 {
                let m = (i + j) / 2;
                let past = m > c;
                agree &= is_nil(m - 1) == past;
                if past {
                    j = m;
                } else {
                    i = m;
                }
            }
            agree
        };
        if !agree {
            return None;
        }
        self.remember_border(c);
        Some(c)
    }

    /// Keeps `border` as the hint of the next `#t` ([`NO_BORDER_HINT`] past what it holds), not
    /// known to be exact.
    #[inline]
    pub(super) fn remember_border(&self, border: usize) {
        self.border_hint.set(
            u16::try_from(border)
                .ok()
                .filter(|&b| b < NO_BORDER_HINT)
                .unwrap_or(NO_BORDER_HINT),
        );
    }

    /// 5.1's `unbound_search`: the array part is full up to `j`; look for a border past it.
    fn unbound_search(&self, j: usize) -> usize {
        let present = |k: u64| self.get_int(k as i64) != Value::Nil;
        let mut i = j as u64;
        let mut j = i + 1;
        while present(j) {
            i = j;
            j *= 2;
            if j > i32::MAX as u64 {
                // Built with bad intent: linear search, as 5.1 does.
                let mut k = 1;
                while present(k) {
                    k += 1;
                }
                return (k - 1) as usize;
            }
        }
        while j - i > 1 {
            let m = (i + j) / 2;
            if present(m) {
                i = m;
            } else {
                j = m;
            }
        }
        i as usize
    }

    /// Keeps [`Table::border_hint`]'s exact border true after array slot `idx` was set (to nil
    /// or not): a value appended at the border or nil written just below it moves it, a hole
    /// made below it or a value written past it makes it a mere hint.
    ///
    /// Inline for the common writes: a value below an exact border or anywhere in a table
    /// without one (one comparison), and a value appended at the border.
    #[inline(always)]
    pub(super) fn note_array_write(&self, idx: usize, nil: bool) {
        let hint = self.border_hint.get();
        // The exact border, or `DENSE_BORDER` and more when there is none.
        let border = usize::from(hint ^ DENSE_BORDER);
        if nil {
            if idx < border {
                self.note_array_nil(idx);
            }
        } else if idx >= border {
            if idx == border && border + 1 < usize::from(NO_BORDER_HINT) {
                self.border_hint.set(hint + 1);
            } else if hint & DENSE_BORDER != 0 {
                // Past the border (or past what the hint holds).
                self.border_hint.set(hint & !DENSE_BORDER);
            }
        }
    }

    /// Moves the exact border past `values`, just written from array slot `start` on, when
    /// they were appended at it and none is nil; false (nothing changed) otherwise.
    pub(super) fn append_at_border(&self, start: usize, values: &[Value]) -> bool {
        let hint = self.border_hint.get();
        let end = start + values.len();
        let appended = hint & DENSE_BORDER != 0
            && usize::from(hint ^ DENSE_BORDER) == start
            && end < usize::from(NO_BORDER_HINT)
            && values.iter().all(|v| !matches!(v, Value::Nil));
        if appended {
            self.border_hint.set(DENSE_BORDER | end as u16);
        }
        appended
    }

    /// [`Table::note_array_write`] of a nil below the border, or in a table without an exact
    /// border.
    #[inline(never)]
    fn note_array_nil(&self, idx: usize) {
        let hint = self.border_hint.get();
        if hint & DENSE_BORDER == 0 {
            return;
        }
        if idx + 1 == usize::from(hint & !DENSE_BORDER) {
            self.border_hint.set(hint - 1);
        } else {
            // A hole below the border.
            self.border_hint.set(hint & !DENSE_BORDER);
        }
    }

    /// After a resize: the border is exact again if it was before and the values the resize
    /// moved into the array part (`moved`, from the hash part) all landed just above it; it
    /// falls to the new size when the array part shrank below it. Costs what the moved values
    /// do, never a scan of the array part.
    pub(super) fn border_after_resize(&self, old_hint: u16, moved: usize) {
        if old_hint & DENSE_BORDER == 0 {
            // A mere hint stays one (its search checks it).
            return;
        }
        let border = usize::from(old_hint & !DENSE_BORDER);
        if self.array.len() <= border {
            // Values in every slot, none moved in.
            self.exact_or_hint(self.array.len(), true);
            return;
        }
        let run = self.array.get(border..).map_or(0, |rest| {
            rest.iter().take_while(|v| !matches!(v, Value::Nil)).count()
        });
        // The slots below the border were full and those above it empty: the moved values all
        // sit above it, and form one run from it exactly when the array part is dense.
        self.exact_or_hint(border + run, run == moved);
    }

    /// Sets the border to `border`, exact when `dense` and small enough.
    pub(super) fn exact_or_hint(&self, border: usize, dense: bool) {
        match u16::try_from(border) {
            Ok(b) if dense && b < NO_BORDER_HINT => self.border_hint.set(b | DENSE_BORDER),
            _ => self.remember_border(border),
        }
    }

    /// Makes [`Table::border_hint`] exact again by looking at the whole array part (a table
    /// built from values).
    pub(super) fn recompute_border(&self) {
        let border = self
            .array
            .iter()
            .position(|v| matches!(v, Value::Nil))
            .unwrap_or(self.array.len());
        let dense = self
            .array
            .get(border..)
            .is_some_and(|rest| rest.iter().all(|v| matches!(v, Value::Nil)));
        self.exact_or_hint(border, dense);
    }
}
