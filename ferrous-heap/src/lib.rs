//! The garbage-collected heap of the Ferrous Lua 5.1 VM.
//!
//! A [`Heap`] owns every Lua object in per-type generational arenas; Rust code refers to them
//! through 8-byte typed handles ([`StringHandle`], [`TableHandle`], ...), and a [`Value`] is 16
//! bytes. All reads and writes go through a [`HeapTransaction`] (`heap.tx()`), a plain `&mut`
//! borrow; the collector ([`Heap::collect`], [`Heap::step`]) also needs `&mut Heap`, so it never
//! runs inside a transaction. The caller supplies the roots as a [`Trace`] implementation.
//!
//! Strings are interned byte strings: equal bytes <=> equal handle. Common names are
//! pre-interned constants in [`names`]. Tables follow PUC Lua 5.1's `ltable.c` (array part,
//! hash part, `computesizes`, `luaH_getn`), plus a read-only flag for the Redis sandbox.
//!
//! ```
//! use ferrous_heap::{Heap, Value};
//!
//! let mut heap = Heap::new();
//! let mut tx = heap.tx();
//! let table = tx.new_table(0, 0)?;
//! let key = tx.intern(b"answer")?;
//! tx.raw_set_str(table, key, Value::Number(42.0))?;
//! let same_key = tx.intern(b"answer")?; // interned: the same handle
//! assert_eq!(tx.raw_get(table, Value::String(same_key))?, Value::Number(42.0));
//! // Nothing roots the table: a collection frees it and the handle goes stale.
//! heap.collect(&());
//! assert!(heap.tx().raw_get_int(table, 1).is_err());
//! # Ok::<(), ferrous_heap::HeapError>(())
//! ```

mod arena;
mod cells;
mod error;
mod finalize;
mod gc;
mod handle;
mod heap;
mod memory;
mod meta;
pub mod names;
mod object;
mod read;
mod string;
mod table;
mod trace;
mod tx;
mod value;

#[cfg(test)]
mod tests;

pub use crate::{
    cells::{UpValueCell, UpValuePlace},
    error::HeapError,
    handle::{
        FunctionHandle, ProtoHandle, StringHandle, TableHandle, ThreadHandle, UpValueHandle,
        UserDataHandle,
    },
    heap::Heap,
    meta::MetaEvent,
    object::{
        CallShape, Function, LocalVar, LuaClosure, NativeClosure, Payload, Prototype, Thread,
        UpValue, UpValueList, UserData,
    },
    table::TableLayout,
    trace::{Trace, Tracer},
    tx::HeapTransaction,
    value::{NativeFn, Value},
};
