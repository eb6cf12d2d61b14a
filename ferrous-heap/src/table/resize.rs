//! Table resizing, as 5.1's `ltable.c` does it.
//!
//! When a new key meets a full hash part, `rehash` counts the integer keys by power-of-two
//! slices (`numusearray`, the hash part, and the new key), `compute_sizes` picks the largest
//! array size `n` (a power of two) such that more than `n/2` of the slots `1..=n` would be in
//! use, and `resize` rebuilds both parts: the node vector gets room for every other live key,
//! rounded up to a power of two. Dead keys are dropped here, and only here.
//!
//! **Invariant:** `resize` charges the new size to `Memory` and makes every allocation it needs
//! before it changes anything, so a refused allocation leaves the table as it was.

use super::{Node, Table, as_integer};
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

    /// Grows the table to make room for the new key `extra` (5.1's `rehash`): only keys with
    /// a non-nil value count, so dead keys are dropped here.
    pub(super) fn rehash(&mut self, extra: Value, memory: &mut Memory) -> Result<()> {
        let mut nums = [0usize; MAX_BITS + 1];
        let mut int_keys = self.num_use_array(&mut nums);
        let mut total = int_keys;
        for node in &self.nodes {
            if node.value != Value::Nil {
                int_keys += usize::from(count_int(node.key, &mut nums));
                total += 1;
            }
        }
        int_keys += usize::from(count_int(extra, &mut nums));
        total += 1;
        let (array_size, to_array) = compute_sizes(&nums, int_keys);
        self.resize(array_size, total - to_array, memory)
    }

    /// 5.1's `luaH_resizearray`: an array part of exactly `array_size` slots, the node vector
    /// keeping its size (its keys are re-inserted all the same).
    pub(crate) fn resize_array(&mut self, array_size: usize, memory: &mut Memory) -> Result<()> {
        self.resize(array_size, self.nodes.len(), memory)
    }

    /// 5.1's `resize`: gives the table an array part of exactly `array_size` slots and a node
    /// vector of `hash_size` nodes rounded up to a power of two, then re-inserts the keys of the
    /// vanishing array slice and those of the old nodes, last node first, as 5.1 does.
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
        let Some(mut nodes) = memory.pool.nodes(node_cap) else {
            return Err(refused(memory));
        };
        nodes.resize(node_cap, Node::FREE);
        if array_size > self.array.len() && !memory.pool.grow_array(&mut self.array, array_size) {
            return Err(refused(memory));
        }

        // Nothing can fail from here on: the new node vector has room for every live key.
        let old_hint = self.border_hint.get();
        let old_nodes = std::mem::replace(&mut self.nodes, nodes);
        // `node_cap <= MAX_SIZE` (checked above).
        self.last_free = node_cap as u32;
        if array_size < self.array.len() {
            let vanishing = self.array.split_off(array_size);
            self.array.shrink_to_fit();
            for (offset, value) in vanishing.into_iter().enumerate() {
                if value != Value::Nil {
                    let key = Value::Number((array_size + offset + 1) as f64);
                    self.reinsert(key, 0, value);
                }
            }
        } else {
            self.array.resize(array_size, Value::Nil);
        }
        let mut moved = 0;
        for node in old_nodes.iter().rev() {
            if node.value == Value::Nil {
                continue;
            }
            match self.array_slot_mut(node.key) {
                Some(slot) => {
                    *slot = node.value;
                    moved += 1;
                }
                None => self.reinsert(node.key, node.key_hash, node.value),
            }
        }
        memory.pool.give_nodes(old_nodes);
        self.border_after_resize(old_hint, moved);
        Ok(())
    }

    /// Puts a live key into the hash part during a resize (it is absent, and a node is free).
    fn reinsert(&mut self, key: Value, key_hash: u32, value: Value) {
        if let Some(node) = self
            .insert_key(key, key_hash)
            .and_then(|pos| self.nodes.get_mut(pos))
        {
            node.value = value;
        }
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
