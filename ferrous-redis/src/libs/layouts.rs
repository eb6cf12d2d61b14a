//! The tables a decoder built last for string-keyed objects, by key sequence: an array of
//! records (`[{"id":1,"name":..},{"id":2,"name":..}]`, a map per row) repeats the same keys
//! in the same order, and a table with those keys has the same layout every time, so the
//! decoder copies the layout of the last one (`HeapTransaction::new_table_like`) instead of
//! replaying the insertions (`new_table_from`).
//!
//! Invariant: the tables are remembered for one decoding call only ([`Layouts::forget`] runs
//! before the buffers go back to app data), so no Lua value outlives the call here; within it
//! no collection can run.

use ferrous_heap::{HeapError, HeapTransaction, TableHandle, Value};

/// How many key sequences are remembered (objects nested in records: the record, its inner
/// objects).
const SLOTS: usize = 4;

/// One remembered table and the keys, in order, it was built from.
#[derive(Default)]
struct Slot {
    table: Option<TableHandle>,
    keys: Vec<Value>,
}

/// The last tables built for a few key sequences.
#[derive(Default)]
pub(crate) struct Layouts {
    slots: [Slot; SLOTS],
    /// The slot the next new key sequence replaces.
    next: usize,
    /// Slots holding a table.
    filled: usize,
}

impl Layouts {
    /// The table `rawset` of each pair in order makes of an empty one (see
    /// `HeapTransaction::new_table_from`), from the layout of an earlier table with the same
    /// keys in the same order when there is one.
    pub(crate) fn build(
        &mut self,
        tx: &mut HeapTransaction<'_>,
        pairs: &[(Value, Value)],
    ) -> Result<TableHandle, HeapError> {
        let same_keys = |slot: &Slot| {
            slot.keys.len() == pairs.len()
                && slot
                    .keys
                    .iter()
                    .zip(pairs)
                    .all(|(key, pair)| *key == pair.0)
        };
        if self.filled > 0 {
            if let Some(template) = self
                .slots
                .iter()
                .find(|slot| slot.table.is_some() && same_keys(slot))
                .and_then(|slot| slot.table)
            {
                return tx.new_table_like(template, pairs);
            }
        }
        let table = tx.new_table_from(pairs)?;
        if pairs.len() >= 2 {
            if let Some(slot) = self.slots.get_mut(self.next) {
                self.filled += usize::from(slot.table.is_none());
                slot.table = Some(table);
                slot.keys.clear();
                slot.keys.extend(pairs.iter().map(|pair| pair.0));
            }
            self.next = (self.next + 1) % SLOTS;
        }
        Ok(table)
    }

    /// Forgets every table (at the end of a decoding call).
    pub(crate) fn forget(&mut self) {
        if self.filled == 0 {
            return;
        }
        self.filled = 0;
        for slot in &mut self.slots {
            slot.table = None;
            slot.keys.clear();
            if slot.keys.capacity() > 1 << 10 {
                slot.keys = Vec::new();
            }
        }
        self.next = 0;
    }
}
