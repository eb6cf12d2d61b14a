//! Borders and traversal: `#t` (5.1's `luaH_getn` and its `unbound_search`), `next` (array
//! part, then the nodes by position), and walks by traversal position for a caller that does
//! not change the table meanwhile ([`Table::pair_at`], [`Table::pairs_into`]).

use super::{NO_BORDER_HINT, Table, as_integer, key_hash_of};
use crate::error::{HeapError, Result};
use crate::string::LuaHashes;
use crate::value::Value;

impl Table {
    /// The border `#t`, as 5.1's `luaH_getn`.
    pub(crate) fn len(&self) -> usize {
        let mut j = self.array.len();
        if j > 0 && self.array.get(j - 1).is_none_or(|v| *v == Value::Nil) {
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
        let hint = self.border_hint.get();
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

    /// Keeps `border` as the hint of the next `#t` ([`NO_BORDER_HINT`] past what it holds).
    #[inline]
    pub(super) fn remember_border(&self, border: usize) {
        self.border_hint
            .set(u16::try_from(border).unwrap_or(NO_BORDER_HINT));
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

    /// The pair after `key` in 5.1's traversal order (array part, then the nodes by position);
    /// `None` at the end. `key` may be a dead key (set to nil during the traversal).
    pub(crate) fn next(&self, key: Value, hashes: &LuaHashes) -> Result<Option<(Value, Value)>> {
        let start = self.next_start(key, hashes)?;
        Ok(self.pair_at(start).map(|(_, key, value)| (key, value)))
    }

    /// [`Table::next`] written into `out`: the key into `out[0]` and the value into `out[1]`
    /// (as many of the two as `out` has room for); false, with `out` untouched, after the last
    /// pair. For the interpreter's inline `pairs`: returned as a pair, the two values went
    /// through a temporary written and read back in pieces of different sizes, which stalled.
    pub(crate) fn next_into(
        &self,
        key: Value,
        hashes: &LuaHashes,
        out: &mut [Value],
    ) -> Result<bool> {
        let start = self.next_start(key, hashes)?;
        if let Some(rest) = self.array.get(start..) {
            if let Some(offset) = rest.iter().position(|v| !matches!(v, Value::Nil)) {
                let idx = start + offset;
                if let Some(slot) = out.get_mut(0) {
                    *slot = Value::Number((idx + 1) as f64);
                }
                if let (Some(slot), Some(value)) = (out.get_mut(1), rest.get(offset)) {
                    *slot = *value;
                }
                return Ok(true);
            }
        }
        let from = start.saturating_sub(self.array.len());
        let Some(node) = self
            .nodes
            .get(from..)
            .and_then(|rest| rest.iter().find(|node| !matches!(node.value, Value::Nil)))
        else {
            return Ok(false);
        };
        if let Some(slot) = out.get_mut(0) {
            *slot = node.key;
        }
        if let Some(slot) = out.get_mut(1) {
            *slot = node.value;
        }
        Ok(true)
    }

    /// The traversal position after `key` (0 for nil): where [`Table::next`] starts looking.
    fn next_start(&self, key: Value, hashes: &LuaHashes) -> Result<usize> {
        Ok(match key {
            Value::Nil => 0,
            Value::Number(n) => match as_integer(n) {
                Some(i) if i >= 1 && (i as u64) <= self.array.len() as u64 => i as usize,
                Some(i) => self.after_hash_key(Value::Number(i as f64), 0)?,
                None => self.after_hash_key(key, 0)?,
            },
            _ => self.after_hash_key(key, key_hash_of(key, hashes))?,
        })
    }

    /// The first pair at traversal position `pos` or after it (array slots `0..array.len()`,
    /// then the nodes), with its position: `next` without looking the previous key up again,
    /// for a caller that walks a table it does not change.
    #[inline]
    pub(crate) fn pair_at(&self, pos: usize) -> Option<(usize, Value, Value)> {
        let array_len = self.array.len();
        if let Some(rest) = self.array.get(pos..) {
            for (offset, value) in rest.iter().enumerate() {
                if *value != Value::Nil {
                    let idx = pos + offset;
                    return Some((idx, Value::Number((idx + 1) as f64), *value));
                }
            }
        }
        let from = pos.saturating_sub(array_len);
        let rest = self.nodes.get(from..)?;
        rest.iter()
            .enumerate()
            .find(|(_, node)| node.value != Value::Nil)
            .map(|(offset, node)| (array_len + from + offset, node.key, node.value))
    }

    /// Appends every pair to `out`, in `next` order (what walking with [`Table::pair_at`] from
    /// 0 gives), in one pass.
    pub(crate) fn pairs_into(&self, out: &mut Vec<(Value, Value)>) {
        out.reserve(self.array.len() + self.nodes.len());
        // The array part has at most `MAX_SIZE` (2^30) slots.
        for (idx, value) in (1u32..).zip(&self.array) {
            if !matches!(value, Value::Nil) {
                out.push((Value::Number(f64::from(idx)), *value));
            }
        }
        for node in &self.nodes {
            if !matches!(node.value, Value::Nil) {
                out.push((node.key, node.value));
            }
        }
    }

    fn after_hash_key(&self, key: Value, key_hash: u32) -> Result<usize> {
        let found = match key {
            Value::Number(n) if n.is_nan() => None,
            _ => self.find(key, key_hash),
        };
        found
            .map(|pos| self.array.len() + pos + 1)
            .ok_or(HeapError::InvalidNextKey)
    }
}
