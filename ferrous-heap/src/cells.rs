//! Where closed upvalues keep their values: one slab of [`Value`]s (`Cells`), indexed by
//! [`UpValueCell`], with a free list.
//!
//! An upvalue object (in its arena, named by an `UpValueHandle`) says where its variable is: open
//! on a thread's stack, or closed in a cell ([`UpValuePlace`]). The value is kept out of the
//! arena so that a reader who already knows the cell (the VM's upvalue cache) reaches it with one
//! bounds check, without the arena's occupancy and generation tests or the place's tag.
//!
//! **Invariant:** a cell belongs to exactly one closed upvalue from the moment that upvalue is
//! closed (or created closed) until the collector frees the upvalue (or `set_upvalue` points it
//! at a stack slot again, which the VM never does); only then does the cell go back on the free
//! list (cleared to nil). A `UpValueCell` carries no generation: whoever keeps one
//! beyond a collection must know its upvalue is still alive (the VM keeps one only together
//! with a live closure that holds the upvalue). A reused cell read through a forgotten `UpValueCell`
//! is a wrong value, never undefined behaviour; an index past the slab is `None`.

use crate::error::{HeapError, Result};
use crate::handle::ThreadHandle;
use crate::value::Value;

/// A closed upvalue's value slot in the heap's cell slab (`Heap::cell`,
/// `HeapTransaction::cell_mut`). It carries no generation: the cell is its upvalue's from the
/// closing until the collector frees the upvalue, and is then reused. Keep one only as long as
/// something keeps its upvalue alive (the VM: together with a live closure that holds it); a
/// forgotten one reads another upvalue's value, never anything unsafe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UpValueCell(u32);

impl UpValueCell {
    /// The cell's number (for callers that pack it into their own caches).
    #[inline]
    pub const fn index(self) -> u32 {
        self.0
    }

    /// The cell numbered `index`.
    #[inline]
    pub const fn from_index(index: u32) -> UpValueCell {
        UpValueCell(index)
    }
}

/// Where an upvalue's variable lives: what an upvalue object stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpValuePlace {
    /// Still on a thread's stack, at `slot`.
    Open {
        /// The thread whose stack holds the variable.
        thread: ThreadHandle,
        /// The absolute stack slot.
        slot: u32,
    },
    /// Closed over: the value is in this cell.
    Closed(UpValueCell),
}

/// The bytes an upvalue object is charged: its place and the cell it has or may take.
pub(crate) const UPVALUE_SIZE: usize = size_of::<UpValuePlace>() + size_of::<Value>();

/// The slab of closed upvalues' values.
#[derive(Debug, Default)]
pub(crate) struct Cells {
    values: Vec<Value>,
    /// Cells of freed upvalues, reused most recent first.
    free: Vec<u32>,
}

impl Cells {
    /// A cell holding `value`; `OutOfMemory` past 2^32 - 1 cells. The bytes are charged with
    /// the upvalue object (`upvalue_size`), so a cell needs no charge of its own.
    pub(crate) fn take(&mut self, value: Value) -> Result<UpValueCell> {
        if let Some(index) = self.free.pop() {
            if let Some(slot) = self.values.get_mut(index as usize) {
                *slot = value;
                return Ok(UpValueCell(index));
            }
        }
        let index = u32::try_from(self.values.len()).map_err(|_| HeapError::OutOfMemory)?;
        self.values.push(value);
        Ok(UpValueCell(index))
    }

    /// Gives a freed upvalue's cell back (cleared, so it keeps nothing alive).
    pub(crate) fn release(&mut self, cell: UpValueCell) {
        if let Some(slot) = self.values.get_mut(cell.0 as usize) {
            *slot = Value::Nil;
            self.free.push(cell.0);
        }
    }

    /// A cell's value.
    #[inline]
    pub(crate) fn get(&self, cell: UpValueCell) -> Option<&Value> {
        self.values.get(cell.0 as usize)
    }

    /// A cell's value, mutably.
    #[inline]
    pub(crate) fn get_mut(&mut self, cell: UpValueCell) -> Option<&mut Value> {
        self.values.get_mut(cell.0 as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn released_cells_are_cleared_and_reused_most_recent_first() {
        let mut cells = Cells::default();
        let a = cells.take(Value::Number(1.0)).expect("room");
        let b = cells.take(Value::Number(2.0)).expect("room");
        assert_ne!(a, b);
        cells.release(a);
        assert_eq!(cells.get(a), Some(&Value::Nil));
        cells.release(b);
        assert_eq!(cells.take(Value::Boolean(true)), Ok(b));
        assert_eq!(cells.take(Value::Boolean(false)), Ok(a));
        assert_eq!(cells.get(b), Some(&Value::Boolean(true)));
        assert_eq!(cells.get(UpValueCell::from_index(7)), None);
    }
}
