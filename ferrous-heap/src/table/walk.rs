//! Traversal: `next` (array part, then the nodes by position), and walks by traversal position
//! for a caller that does not change the table meanwhile ([`Table::pair_at`],
//! [`Table::pairs_into`]).

use super::{Table, as_integer, key_hash_of};
use crate::error::{HeapError, Result};
use crate::string::LuaHashes;
use crate::value::Value;

impl Table {
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
