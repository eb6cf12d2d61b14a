//! [`TableLayout`]: the node layout of a table of string keys, taken once and stamped on new
//! tables with the same key sequence. A decoder meeting an array of records
//! (`[{"id":1,"name":..},{"id":2,"name":..}]`) builds one table per record from the same keys
//! in the same order; their layouts are all the same (it depends on nothing else), so it copies
//! the nodes of the first and writes each record's values at the positions of their keys,
//! without hashing or searching anything.
//!
//! Safe against any misuse: [`Table::with_layout`] checks, key by key, that the pairs have
//! exactly the layout's key sequence (one comparison per key), and refuses otherwise. A layout
//! keeps nothing alive; its keys are only compared with the caller's (live) ones, so a layout
//! that outlived its strings simply never matches again.

use std::cell::Cell;

use super::{Node, Table};
use crate::error::{HeapError, Result};
use crate::memory::Memory;
use crate::string::LuaHashes;
use crate::value::Value;

/// The layout of a table whose keys are all strings, and where each key of the sequence it was
/// taken for sits (see the module documentation).
#[derive(Debug, Clone, Default)]
pub struct TableLayout {
    /// The table's nodes, values cleared.
    nodes: Vec<Node>,
    last_free: u32,
    /// For each key of the sequence, in order: its node.
    slots: Vec<u32>,
}

impl TableLayout {
    /// How many pairs the layout is for (with repeats).
    #[inline]
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether the layout is for no pair at all.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }
}

impl Table {
    /// The layout of this table for the key sequence of `pairs` (their values are not read):
    /// `None` unless the table has no array part, no dead key, and exactly the keys of `pairs`,
    /// all strings.
    pub(crate) fn layout(
        &self,
        pairs: &[(Value, Value)],
        hashes: &LuaHashes,
    ) -> Option<TableLayout> {
        if !self.array.is_empty()
            || self
                .nodes
                .iter()
                .any(|node| node.key != Value::Nil && node.value == Value::Nil)
        {
            return None;
        }
        let mut slots = Vec::with_capacity(pairs.len());
        let mut covered = vec![false; self.nodes.len()];
        let mut distinct = 0;
        for (key, _) in pairs {
            let Value::String(s) = *key else { return None };
            let pos = self.find_str(s, hashes.get(s))?;
            let seen = covered.get_mut(pos)?;
            distinct += usize::from(!*seen);
            *seen = true;
            slots.push(u32::try_from(pos).ok()?);
        }
        let keys = self
            .nodes
            .iter()
            .filter(|node| node.key != Value::Nil)
            .count();
        if keys != distinct {
            return None;
        }
        Some(TableLayout {
            nodes: self
                .nodes
                .iter()
                .map(|node| Node {
                    value: Value::Nil,
                    ..*node
                })
                .collect(),
            last_free: self.last_free,
            slots,
        })
    }

    /// The table with `layout` and the values of `pairs`, charged to `memory`, when the keys
    /// of `pairs` are, in order, the sequence `layout` was taken for and no value is nil;
    /// `Ok(None)` otherwise (nothing charged). The charge is made once the first key matched,
    /// so past the memory limit a sequence differing only later fails with `OutOfMemory`.
    pub(crate) fn with_layout(
        layout: &TableLayout,
        pairs: &[(Value, Value)],
        memory: &mut Memory,
    ) -> Result<Option<Table>> {
        // The first key tells most other sequences apart before anything is made.
        let first_fits = match (pairs.first(), layout.slots.first()) {
            (Some((key, _)), Some(&slot)) => layout
                .nodes
                .get(slot as usize)
                .is_some_and(|node| node.key == *key),
            (None, None) => true,
            _ => false,
        };
        if !first_fits || pairs.len() != layout.slots.len() {
            return Ok(None);
        }
        let bytes = Table::heap_size_for(0, layout.nodes.len());
        memory.charge(bytes)?;
        let Some(mut nodes) = memory.pool.nodes(layout.nodes.len()) else {
            memory.release(bytes);
            return Err(HeapError::OutOfMemory);
        };
        nodes.extend_from_slice(&layout.nodes);
        // Each key checked against the layout's as its value is written.
        for ((key, value), &slot) in pairs.iter().zip(&layout.slots) {
            match nodes.get_mut(slot as usize) {
                Some(node) if node.key == *key && !matches!(value, Value::Nil) => {
                    node.value = *value;
                }
                _ => {
                    memory.release(bytes);
                    memory.pool.give_nodes(nodes);
                    return Ok(None);
                }
            }
        }
        Ok(Some(Table {
            array: Vec::new(),
            nodes,
            last_free: layout.last_free,
            metatable: None,
            absent: Cell::new(0),
            readonly: false,
            // No array part.
            border_hint: Cell::new(super::DENSE_BORDER),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_same_layout, num, rng, string_keys};
    use crate::{Value, heap::Heap};

    #[test]
    fn tables_from_a_layout_equal_tables_assigned_one_by_one() {
        let mut heap = Heap::new();
        let mut state = 0x1234_5678_9abc_def1;
        let words = string_keys(&mut heap, "f", 64);
        for case in 0..300 {
            // Repeated keys included.
            let n = 1 + (rng(&mut state) % 24) as usize;
            let keys: Vec<Value> = (0..n)
                .map(|_| words[(rng(&mut state) % 64) as usize])
                .collect();
            let first: Vec<(Value, Value)> = keys.iter().map(|&k| (k, num(1.0))).collect();
            let second: Vec<(Value, Value)> = keys
                .iter()
                .enumerate()
                .map(|(i, &k)| (k, num(i as f64 + 2.0)))
                .collect();
            let mut tx = heap.tx();
            let template = tx.new_table_from(&first).expect("no limit");
            let layout = tx
                .table_layout(template, &first)
                .expect("live")
                .expect("string keys");
            assert_eq!(layout.len(), n);
            let built = tx
                .new_table_with_layout(&layout, &second)
                .expect("no limit")
                .expect("same keys");
            let assigned = tx.new_table(0, 0).expect("no limit");
            for &(key, value) in &second {
                tx.raw_set(assigned, key, value).expect("valid key");
            }
            assert_same_layout(&heap, built, assigned, &format!("layout, case {case}"));
        }
    }

    #[test]
    fn other_key_sequences_do_not_fit() {
        let mut heap = Heap::new();
        let mut tx = heap.tx();
        let [a, b, c] = [b"a", b"b", b"c"].map(|k| Value::String(tx.intern(k).expect("no limit")));
        let pairs = [(a, num(1.0)), (b, num(1.0))];
        let template = tx.new_table_from(&pairs).expect("no limit");
        let layout = tx
            .table_layout(template, &pairs)
            .expect("live")
            .expect("string keys");
        for other in [
            vec![(a, num(2.0))],
            vec![(b, num(2.0)), (a, num(2.0))],
            vec![(a, num(2.0)), (c, num(2.0))],
            vec![(a, num(2.0)), (b, Value::Nil)],
            vec![(a, num(2.0)), (b, num(2.0)), (c, num(2.0))],
        ] {
            assert_eq!(tx.new_table_with_layout(&layout, &other), Ok(None));
        }
        // No layout for keys the table does not have exactly, or keys of other types.
        for other in [
            vec![(a, num(2.0))],
            vec![(a, num(2.0)), (c, num(2.0))],
            vec![(a, num(2.0)), (b, num(2.0)), (num(1.5), num(2.0))],
        ] {
            assert!(tx.table_layout(template, &other).expect("live").is_none());
        }
        let array = tx.new_array_from(&[num(1.0)]).expect("no limit");
        assert!(tx.table_layout(array, &pairs).expect("live").is_none());
    }
}
