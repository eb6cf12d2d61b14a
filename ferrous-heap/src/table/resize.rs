//! Table resizing, as 5.1's `ltable.c` does it.
//!
//! When a new key meets a full hash part, `rehash` counts the integer keys by power-of-two
//! slices (`numusearray`, the hash part, and the new key), `compute_sizes` picks the largest
//! array size `n` (a power of two) such that more than `n/2` of the slots `1..=n` would be in
//! use, and `resize` rebuilds both parts: the hash part gets room for every other live key,
//! rounded up to a power of two. Tombstones are dropped here, and only here.
//!
//! **Invariant:** `resize` charges the new size to `Memory` and makes every allocation it needs
//! before it changes anything, so a refused allocation leaves the table as it was.

use super::index::HashIndex;
use super::{Entry, LINEAR_MAX, Table, as_integer};
use crate::error::{HeapError, Result};
use crate::memory::Memory;
use crate::value::Value;

/// Log2 of the largest array part (5.1's `MAXBITS` on a 32-bit `int`).
const MAX_BITS: usize = 30;
/// The largest array part, and the largest hash part.
pub(super) const MAX_SIZE: usize = 1 << MAX_BITS;

/// `ceil(log2(k))` for `k >= 1`.
#[inline]
fn ceil_log2(k: usize) -> usize {
    (usize::BITS - (k - 1).leading_zeros()) as usize
}

/// Counts `key` in `nums` if it is a candidate array index; returns whether it was.
fn count_int(key: Value, nums: &mut [usize; MAX_BITS + 1]) -> bool {
    let Value::Number(n) = key else { return false };
    match as_integer(n) {
        Some(k) if k >= 1 && k as u64 <= MAX_SIZE as u64 => {
            if let Some(count) = nums.get_mut(ceil_log2(k as usize)) {
                *count += 1;
            }
            true
        }
        _ => false,
    }
}

/// 5.1's `computesizes`: given `nums[i]` = number of integer keys in `(2^(i-1), 2^i]` and
/// `total` such keys, returns (array size, number of keys that will go to the array part).
fn compute_sizes(nums: &[usize; MAX_BITS + 1], total: usize) -> (usize, usize) {
    let mut in_range = 0; // keys <= 2^i
    let mut to_array = 0;
    let mut size = 0;
    let mut twotoi: usize = 1;
    for &count in nums {
        if twotoi / 2 >= total {
            break;
        }
        if count > 0 {
            in_range += count;
            if in_range > twotoi / 2 {
                size = twotoi;
                to_array = in_range;
            }
        }
        if in_range == total {
            break;
        }
        twotoi *= 2;
    }
    (size, to_array)
}

impl Table {
    /// 5.1's `numusearray`: counts the non-nil array slots into `nums`; returns the total.
    fn num_use_array(&self, nums: &mut [usize; MAX_BITS + 1]) -> usize {
        let mut total = 0;
        let mut start = 0; // slots start.. are keys start+1..
        for (lg, count) in nums.iter_mut().enumerate() {
            let limit = (1usize << lg).min(self.array.len());
            if start >= limit {
                if limit == self.array.len() {
                    break;
                }
                continue;
            }
            let used = self.array.get(start..limit).map_or(0, |slice| {
                slice.iter().filter(|v| **v != Value::Nil).count()
            });
            *count += used;
            total += used;
            start = limit;
        }
        total
    }

    /// Grows the table to make room for the new key `extra` (5.1's `rehash`).
    pub(super) fn rehash(&mut self, extra: Value, memory: &mut Memory) -> Result<()> {
        let mut nums = [0usize; MAX_BITS + 1];
        let mut int_keys = self.num_use_array(&mut nums);
        let mut total = int_keys;
        for entry in &self.entries {
            if entry.value != Value::Nil {
                int_keys += usize::from(count_int(entry.key, &mut nums));
                total += 1;
            }
        }
        int_keys += usize::from(count_int(extra, &mut nums));
        total += 1;
        let (array_size, to_array) = compute_sizes(&nums, int_keys);
        self.resize(array_size, total - to_array, memory)
    }

    /// Gives the table an array part of exactly `array_size` slots and a hash part with room
    /// for `hash_size` keys (rounded up to a power of two), moving entries between the parts.
    pub(super) fn resize(
        &mut self,
        array_size: usize,
        hash_size: usize,
        memory: &mut Memory,
    ) -> Result<()> {
        let node_cap = match hash_size {
            0 => 0,
            n => n
                .checked_next_power_of_two()
                .ok_or(HeapError::OutOfMemory)?,
        };
        if array_size > MAX_SIZE || node_cap > MAX_SIZE {
            return Err(HeapError::OutOfMemory);
        }
        let old_bytes = self.heap_size();
        let new_bytes = Self::heap_size_for(array_size, node_cap);
        memory.resize(old_bytes, new_bytes)?;
        let refused = |memory: &mut Memory| {
            memory.adjust(new_bytes, old_bytes);
            HeapError::OutOfMemory
        };
        let mut entries = Vec::new();
        if entries.try_reserve_exact(node_cap).is_err() {
            return Err(refused(memory));
        }
        let index = if node_cap > LINEAR_MAX {
            match HashIndex::with_capacity(node_cap) {
                Ok(index) => index,
                Err(_) => return Err(refused(memory)),
            }
        } else {
            HashIndex::default()
        };
        if array_size > self.array.len()
            && self
                .array
                .try_reserve_exact(array_size - self.array.len())
                .is_err()
        {
            return Err(refused(memory));
        }

        // Nothing can fail from here on.
        let old_entries = std::mem::replace(&mut self.entries, entries);
        self.index = index;
        self.node_cap = node_cap;
        if array_size < self.array.len() {
            for idx in array_size..self.array.len() {
                let value = self.array.get(idx).copied().unwrap_or_default();
                if value != Value::Nil {
                    self.push_entry(Value::Number((idx + 1) as f64), value);
                }
            }
            self.array.truncate(array_size);
            self.array.shrink_to_fit();
        } else {
            self.array.resize(array_size, Value::Nil);
        }
        for Entry { key, value } in old_entries {
            if value == Value::Nil {
                continue;
            }
            match self.array_slot_mut(key) {
                Some(slot) => *slot = value,
                None => self.push_entry(key, value),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceil_log2_matches_lua() {
        let expected = [(1, 0), (2, 1), (3, 2), (4, 2), (5, 3), (8, 3), (9, 4)];
        for (k, lg) in expected {
            assert_eq!(ceil_log2(k), lg, "ceil_log2({k})");
        }
    }

    #[test]
    fn compute_sizes_takes_more_than_half_full() {
        // Keys 1, 2, 3: nums[0] = 1 (key 1), nums[1] = 1 (key 2), nums[2] = 1 (key 3).
        let mut nums = [0; MAX_BITS + 1];
        for k in [1, 2, 3] {
            assert!(count_int(Value::Number(k as f64), &mut nums));
        }
        assert_eq!(compute_sizes(&nums, 3), (4, 3));
        // A lone key 2 does not make an array part.
        let mut nums = [0; MAX_BITS + 1];
        count_int(Value::Number(2.0), &mut nums);
        assert_eq!(compute_sizes(&nums, 1), (0, 0));
        // Fractions, zero and negatives are not array candidates.
        for n in [0.5, 0.0, -1.0] {
            assert!(!count_int(Value::Number(n), &mut nums));
        }
    }
}
