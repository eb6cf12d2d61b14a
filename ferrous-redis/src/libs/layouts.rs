//! The layouts of the tables a decoder built last for string-keyed objects: an array of
//! records (`[{"id":1,"name":..},{"id":2,"name":..}]`, a map per row) repeats the same keys
//! in the same order, and a table with those keys has the same layout every time, so the
//! decoder takes the layout of the first (`HeapTransaction::table_layout`) and stamps it on
//! the others (`HeapTransaction::new_table_with_layout`, which checks the key sequence)
//! instead of replaying the insertions (`new_table_from`).
//!
//! A layout keeps no Lua value alive and only ever matches the keys it was taken for, so the
//! layouts may stay from call to call; [`Layouts::forget`] drops them after a call that took
//! large ones.

use ferrous_heap::{HeapError, HeapTransaction, TableHandle, TableLayout, Value};

/// How many key sequences are remembered (objects nested in records: the record, its inner
/// objects).
const SLOTS: usize = 4;

/// Layouts for more keys than this are not kept between calls.
const KEEP_KEYS: usize = 1 << 10;

/// The layouts of the last few key sequences.
#[derive(Default)]
pub(crate) struct Layouts {
    slots: [Option<TableLayout>; SLOTS],
    /// The slot that matched last (tried first).
    last: usize,
    /// The slot the next new key sequence replaces.
    next: usize,
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
        if pairs.len() < 2 {
            return tx.new_table_from(pairs);
        }
        for i in 0..SLOTS {
            let idx = (self.last + i) % SLOTS;
            if let Some(Some(layout)) = self.slots.get(idx) {
                if layout.len() == pairs.len() {
                    if let Some(table) = tx.new_table_with_layout(layout, pairs)? {
                        self.last = idx;
                        return Ok(table);
                    }
                }
            }
        }
        let table = tx.new_table_from(pairs)?;
        if let Some(layout) = tx.table_layout(table, pairs)? {
            if let Some(slot) = self.slots.get_mut(self.next) {
                *slot = Some(layout);
            }
            self.last = self.next;
            self.next = (self.next + 1) % SLOTS;
        }
        Ok(table)
    }

    /// Drops the layouts of long key sequences (at the end of a decoding call).
    pub(crate) fn forget(&mut self) {
        for slot in &mut self.slots {
            if slot.as_ref().is_some_and(|layout| layout.len() > KEEP_KEYS) {
                *slot = None;
            }
        }
    }
}
