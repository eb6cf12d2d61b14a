//! Lua tables: an array part and an insertion-ordered hash part.
//!
//! A [`Table`] follows PUC Lua 5.1's `ltable.c` in what is observable: keys `1..=array.len()`
//! live in the array part, everything else in the hash part; both parts only change size in a
//! rehash, which happens when a *new* key meets a full hash part and picks the sizes with
//! `computesizes` (see `resize.rs`), so `t[#t+1] = v` loops are amortized O(1) and `#t` finds
//! the same border as 5.1 for the same operations whenever the two layouts agree.
//!
//! The hash part is a vector of entries in insertion order plus, once it has more than
//! [`LINEAR_MAX`] slots, a `hashbrown::HashTable<u32>` of positions in that vector (smaller hash
//! parts are scanned linearly: cheaper than hashing, and no index allocation). Setting a value to
//! nil leaves the entry in place as a tombstone until the next rehash, so `next` can continue
//! from any key, including one deleted during the traversal.
//!
//! Keys hash by identity: numbers by their bits, strings by their handle (interning makes handle
//! identity content equality), so a lookup never reads a string's bytes or its stored hash.
//!
//! **Invariant:** keys are never nil or NaN, and a number key is never `-0`, never an integer in
//! `1..=array.len()` (those live in the array part).
//! **Invariant:** `entries.len() <= node_cap`, `node_cap` is 0 or a power of two, and when
//! `node_cap > LINEAR_MAX` the index maps every entry's key to its position.
//! **Invariant:** every write path checks `readonly` first and clears the metamethod cache.

mod index;
mod resize;
#[cfg(test)]
mod tests;

use self::index::HashIndex;

use crate::error::{HeapError, Result};
use crate::handle::{StringHandle, TableHandle};
use crate::memory::Memory;
use crate::value::Value;

/// What absent keys read as, by reference.
pub(crate) static NIL: Value = Value::Nil;

/// Hash parts with at most this many slots are searched linearly, without an index.
pub(crate) const LINEAR_MAX: usize = 8;

/// One key/value pair of the hash part; a nil `value` is a tombstone.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    pub(crate) key: Value,
    pub(crate) value: Value,
}

/// A Lua table.
#[derive(Debug, Default)]
pub(crate) struct Table {
    array: Vec<Value>,
    entries: Vec<Entry>,
    index: HashIndex,
    node_cap: usize,
    /// The metatable.
    pub(crate) metatable: Option<TableHandle>,
    /// Bit `e` set: this table, used as a metatable, has no field for fast event `e`
    /// (5.1's `flags`). Cleared by every write.
    pub(crate) absent: u8,
    /// Writes fail with `HeapError::ReadOnly`.
    pub(crate) readonly: bool,
}

/// The hash of a (normalized) key: by identity, never by content.
#[inline]
pub(crate) fn key_hash(key: Value) -> u64 {
    let (tag, bits): (u64, u64) = match key {
        Value::Nil => (0, 0),
        Value::Boolean(b) => (1, u64::from(b)),
        Value::Number(n) => (2, n.to_bits()),
        Value::String(h) => (3, h.raw().bits()),
        Value::Table(h) => (4, h.raw().bits()),
        Value::Function(h) => (5, h.raw().bits()),
        Value::NativeFunction(id) => (6, u64::from(id.0)),
        Value::UserData(h) => (7, h.raw().bits()),
        Value::Thread(h) => (8, h.raw().bits()),
    };
    // A folded multiply: good mixing into both the low bits (bucket) and the high bits (tag).
    let product = u128::from(bits ^ tag.wrapping_mul(0x9e37_79b9_7f4a_7c15))
        * u128::from(0x5851_f42d_4c95_7f2d_u64);
    (product as u64) ^ ((product >> 64) as u64)
}

/// The hash of a key for the hash part's index, whose first slot is taken from the top bits:
/// a string key is its handle times 2^64/phi (Fibonacci hashing: consecutive handles, such as
/// keys interned in a loop, land evenly apart), any other key [`key_hash`].
#[inline(always)]
fn index_hash(key: Value) -> u64 {
    match key {
        Value::String(s) => str_index_hash(s),
        _ => key_hash(key),
    }
}

/// [`index_hash`] of a string key.
#[inline(always)]
fn str_index_hash(key: StringHandle) -> u64 {
    key.raw().bits().wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// If `n` is an integer, that integer (`-0` gives 0); NaN, fractions and huge values give None.
#[inline]
fn as_integer(n: f64) -> Option<i64> {
    let i = n as i64;
    (i as f64 == n && i != i64::MAX).then_some(i)
}

impl Table {
    /// A table with `narr` array slots and room for `nhash` hash entries (rounded up to a power
    /// of two), charged to `memory`. Built directly in its final shape (a fresh table has
    /// nothing to move, so it needs none of `resize`'s work): one allocation per non-empty part,
    /// plus the index of a hash part above [`LINEAR_MAX`].
    #[inline]
    pub(crate) fn new(narr: usize, nhash: usize, memory: &mut Memory) -> Result<Table> {
        let node_cap = match nhash {
            0 => 0,
            n => n
                .checked_next_power_of_two()
                .ok_or(HeapError::OutOfMemory)?,
        };
        if narr > resize::MAX_SIZE || node_cap > resize::MAX_SIZE {
            return Err(HeapError::OutOfMemory);
        }
        let bytes = Self::heap_size_for(narr, node_cap);
        memory.charge(bytes)?;
        match Self::with_parts(narr, node_cap) {
            Some(table) => Ok(table),
            None => {
                memory.release(bytes);
                Err(HeapError::OutOfMemory)
            }
        }
    }

    /// The allocations of [`Table::new`], already charged; `None` if one is refused.
    #[inline]
    fn with_parts(narr: usize, node_cap: usize) -> Option<Table> {
        let mut array = Vec::new();
        if narr > 0 {
            array.try_reserve_exact(narr).ok()?;
            array.resize(narr, Value::Nil);
        }
        let mut entries = Vec::new();
        if node_cap > 0 {
            entries.try_reserve_exact(node_cap).ok()?;
        }
        let index = if node_cap > LINEAR_MAX {
            HashIndex::with_capacity(node_cap).ok()?
        } else {
            HashIndex::default()
        };
        Some(Table {
            array,
            entries,
            index,
            node_cap,
            metatable: None,
            absent: 0,
            readonly: false,
        })
    }

    /// Bytes charged for this table.
    pub(crate) fn heap_size(&self) -> usize {
        Self::heap_size_for(self.array.len(), self.node_cap)
    }

    fn heap_size_for(array_len: usize, node_cap: usize) -> usize {
        let per_node = if node_cap > LINEAR_MAX {
            // Entry and two index slots.
            size_of::<Entry>() + HashIndex::BYTES_PER_NODE
        } else {
            size_of::<Entry>()
        };
        size_of::<Table>()
            .saturating_add(array_len.saturating_mul(size_of::<Value>()))
            .saturating_add(node_cap.saturating_mul(per_node))
    }

    /// The array part.
    #[inline]
    pub(crate) fn array(&self) -> &[Value] {
        &self.array
    }

    /// The hash part, tombstones included.
    #[inline]
    pub(crate) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Position of `key` (normalized, not nil) in the hash part.
    #[inline]
    fn find(&self, key: Value) -> Option<usize> {
        match key {
            Value::String(s) => self.find_str(s),
            _ => self.find_any(key),
        }
    }

    /// [`Table::find`] for a string key: one tag test and one handle comparison per candidate.
    #[inline]
    fn find_str(&self, key: StringHandle) -> Option<usize> {
        let is_key = |entry: &Entry| matches!(entry.key, Value::String(s) if s == key);
        if self.node_cap <= LINEAR_MAX {
            self.entries.iter().position(is_key)
        } else {
            let entries = &self.entries;
            self.index.find(str_index_hash(key), |pos| {
                entries.get(pos).is_some_and(is_key)
            })
        }
    }

    /// The entry of string key `key`, if any: [`Table::find_str`] without a second bounds
    /// check on the way to the value.
    #[inline(always)]
    fn str_entry(&self, key: StringHandle) -> Option<&Entry> {
        let is_key = |entry: &&Entry| matches!(entry.key, Value::String(s) if s == key);
        if self.node_cap <= LINEAR_MAX {
            self.entries.iter().find(is_key)
        } else {
            let entries = &self.entries;
            let pos = self.index.find(str_index_hash(key), |pos| {
                entries.get(pos).is_some_and(|e| is_key(&e))
            })?;
            entries.get(pos)
        }
    }

    /// [`Table::find`] for any key.
    #[inline(never)]
    fn find_any(&self, key: Value) -> Option<usize> {
        if self.node_cap <= LINEAR_MAX {
            self.entries.iter().position(|entry| entry.key == key)
        } else {
            let entries = &self.entries;
            self.index.find(index_hash(key), |pos| {
                entries.get(pos).is_some_and(|e| e.key == key)
            })
        }
    }

    #[inline]
    fn get_hash(&self, key: Value) -> &Value {
        match self.find(key).and_then(|pos| self.entries.get(pos)) {
            Some(entry) => &entry.value,
            None => &NIL,
        }
    }

    /// `t[key]` without metamethods. A nil or NaN key reads nil.
    #[inline]
    pub(crate) fn get(&self, key: Value) -> Value {
        *self.get_ref(key)
    }

    /// [`Table::get`] by reference: returning a pointer lets callers read the value straight from
    /// the table (a `Value` returned through memory costs a store-forwarding stall).
    #[inline]
    pub(crate) fn get_ref(&self, key: Value) -> &Value {
        match key {
            Value::Number(n) => match as_integer(n) {
                Some(i) => self.get_int_ref(i),
                None if n.is_nan() => &NIL,
                None => self.get_hash(key),
            },
            Value::Nil => &NIL,
            _ => self.get_hash(key),
        }
    }

    /// `t[key]` without metamethods, for a key read in place from a register or constant:
    /// matching by reference reads the tag and the payload separately (a whole-`Value` copy of
    /// a register written just before stalls). Number keys in the array part take two
    /// branches: an exact `f64 -> i64 -> f64` round trip (5.1's `lua_number2int` and compare)
    /// and one unsigned bounds check (0 and negative integers wrap past any array length).
    #[inline(always)]
    pub(crate) fn get_key_ref(&self, key: &Value) -> &Value {
        match key {
            Value::String(s) => self.get_str_ref(*s),
            &Value::Number(n) => {
                let i = n as i64;
                if i as f64 == n {
                    let idx = (i as u64).wrapping_sub(1);
                    if idx < self.array.len() as u64 {
                        if let Some(value) = self.array.get(idx as usize) {
                            return value;
                        }
                    }
                }
                self.get_num_hash(n)
            }
            Value::Nil => &NIL,
            _ => self.get_hash(*key),
        }
    }

    /// A number key that is not an array index: NaN reads nil, integers are normalized
    /// (`-0` is 0).
    #[inline(never)]
    fn get_num_hash(&self, n: f64) -> &Value {
        match as_integer(n) {
            Some(i) => self.get_int_ref(i),
            None if n.is_nan() => &NIL,
            None => self.get_hash(Value::Number(n)),
        }
    }

    /// `t[key] = value` without metamethods, the key read in place (see
    /// [`Table::get_key_ref`]). An array slot is written after one flags test (`absent`); the
    /// rest goes to [`Table::set`], which checks `readonly` itself.
    #[inline(always)]
    pub(crate) fn set_key(&mut self, key: &Value, value: Value, memory: &mut Memory) -> Result<()> {
        match key {
            &Value::Number(n) => {
                let i = n as i64;
                if i as f64 == n && !self.readonly {
                    let idx = (i as u64).wrapping_sub(1);
                    if idx < self.array.len() as u64 {
                        if let Some(slot) = self.array.get_mut(idx as usize) {
                            if self.absent != 0 {
                                self.absent = 0;
                            }
                            *slot = value;
                            return Ok(());
                        }
                    }
                }
                self.set(Value::Number(n), value, memory)
            }
            Value::String(s) => self.set_str(*s, value, memory),
            _ => self.set(*key, value, memory),
        }
    }

    /// `t[i]` without metamethods.
    #[inline]
    pub(crate) fn get_int(&self, i: i64) -> Value {
        *self.get_int_ref(i)
    }

    #[inline]
    fn get_int_ref(&self, i: i64) -> &Value {
        match self.array.get((i as u64).wrapping_sub(1) as usize) {
            Some(value) if i >= 1 => value,
            _ => self.get_hash(Value::Number(i as f64)),
        }
    }

    /// `t[key]` for a string key, without metamethods.
    #[inline]
    pub(crate) fn get_str(&self, key: crate::handle::StringHandle) -> Value {
        *self.get_str_ref(key)
    }

    /// [`Table::get_str`] by reference.
    #[inline]
    pub(crate) fn get_str_ref(&self, key: StringHandle) -> &Value {
        match self.str_entry(key) {
            Some(entry) => &entry.value,
            None => &NIL,
        }
    }

    /// Fails if the table is read-only; otherwise clears the metamethod cache.
    #[inline]
    fn begin_write(&mut self) -> Result<()> {
        if self.readonly {
            return Err(HeapError::ReadOnly);
        }
        // Skipping the store when there is nothing to clear keeps the header clean on hot writes.
        if self.absent != 0 {
            self.absent = 0;
        }
        Ok(())
    }

    /// `t[key] = value` without metamethods.
    pub(crate) fn set(&mut self, key: Value, value: Value, memory: &mut Memory) -> Result<()> {
        match key {
            Value::Number(n) => match as_integer(n) {
                Some(i) => self.set_int(i, value, memory),
                None if n.is_nan() => {
                    self.begin_write()?;
                    Err(HeapError::NaNKey)
                }
                None => {
                    self.begin_write()?;
                    self.set_hash(key, value, memory)
                }
            },
            Value::Nil => {
                self.begin_write()?;
                Err(HeapError::NilKey)
            }
            _ => {
                self.begin_write()?;
                self.set_hash(key, value, memory)
            }
        }
    }

    /// `t[i] = value` without metamethods.
    #[inline]
    pub(crate) fn set_int(&mut self, i: i64, value: Value, memory: &mut Memory) -> Result<()> {
        self.begin_write()?;
        match self.array.get_mut((i as u64).wrapping_sub(1) as usize) {
            Some(slot) if i >= 1 => {
                *slot = value;
                Ok(())
            }
            _ => self.set_hash(Value::Number(i as f64), value, memory),
        }
    }

    /// `t[key] = value` for a string key, without metamethods.
    #[inline(always)]
    pub(crate) fn set_str(
        &mut self,
        key: crate::handle::StringHandle,
        value: Value,
        memory: &mut Memory,
    ) -> Result<()> {
        self.begin_write()?;
        if let Some(entry) = self.find_str(key).and_then(|pos| self.entries.get_mut(pos)) {
            entry.value = value;
            return Ok(());
        }
        self.new_key(Value::String(key), value, memory)
    }

    #[inline]
    fn set_hash(&mut self, key: Value, value: Value, memory: &mut Memory) -> Result<()> {
        if let Some(entry) = self.find(key).and_then(|pos| self.entries.get_mut(pos)) {
            entry.value = value;
            return Ok(());
        }
        self.new_key(key, value, memory)
    }

    /// Adds a key that is in neither part. As in 5.1 this happens even when `value` is nil (the
    /// entry is then born a tombstone), and a full hash part triggers a rehash first.
    #[inline(never)]
    fn new_key(&mut self, key: Value, value: Value, memory: &mut Memory) -> Result<()> {
        if self.entries.len() >= self.node_cap {
            self.rehash(key, memory)?;
            if let Some(slot) = self.array_slot_mut(key) {
                *slot = value;
                return Ok(());
            }
        }
        self.push_entry(key, value);
        Ok(())
    }

    /// The array slot `key` belongs to, if it is an integer in `1..=array.len()`.
    #[inline]
    fn array_slot_mut(&mut self, key: Value) -> Option<&mut Value> {
        match key {
            Value::Number(n) => match as_integer(n) {
                Some(i) if i >= 1 => self.array.get_mut((i as u64).wrapping_sub(1) as usize),
                _ => None,
            },
            _ => None,
        }
    }

    /// Appends an entry to the hash part (room was made by the caller).
    fn push_entry(&mut self, key: Value, value: Value) {
        let Table {
            entries,
            index,
            node_cap,
            ..
        } = self;
        let pos = entries.len() as u32;
        entries.push(Entry { key, value });
        if *node_cap > LINEAR_MAX {
            index.insert(index_hash(key), pos);
        }
    }

    /// The border `#t`, as 5.1's `luaH_getn`.
    pub(crate) fn len(&self) -> usize {
        let mut j = self.array.len();
        if j > 0 && self.array.get(j - 1).is_none_or(|v| *v == Value::Nil) {
            // Binary search for a border inside the array part.
            let mut i = 0;
            while j - i > 1 {
                let m = (i + j) / 2;
                if self.array.get(m - 1).is_none_or(|v| *v == Value::Nil) {
                    j = m;
                } else {
                    i = m;
                }
            }
            return i;
        }
        if self.entries.is_empty() {
            j
        } else {
            self.unbound_search(j)
        }
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

    /// The pair after `key` in traversal order (array part, then hash part in insertion order);
    /// `None` at the end. `key` may be one whose value was set to nil during the traversal.
    pub(crate) fn next(&self, key: Value) -> Result<Option<(Value, Value)>> {
        let start = match key {
            Value::Nil => 0,
            Value::Number(n) => match as_integer(n) {
                Some(i) if i >= 1 && (i as u64) <= self.array.len() as u64 => i as usize,
                Some(i) => self.after_hash_key(Value::Number(i as f64))?,
                None => self.after_hash_key(key)?,
            },
            _ => self.after_hash_key(key)?,
        };
        let array_len = self.array.len();
        for (idx, value) in self.array.iter().enumerate().skip(start) {
            if *value != Value::Nil {
                return Ok(Some((Value::Number((idx + 1) as f64), *value)));
            }
        }
        let rest = self.entries.iter().skip(start.saturating_sub(array_len));
        Ok(rest
            .filter(|entry| entry.value != Value::Nil)
            .map(|e| (e.key, e.value))
            .next())
    }

    fn after_hash_key(&self, key: Value) -> Result<usize> {
        self.find(key)
            .map(|pos| self.array.len() + pos + 1)
            .ok_or(HeapError::InvalidNextKey)
    }

    /// Sets the metatable (checked against `readonly`).
    pub(crate) fn set_metatable(&mut self, metatable: Option<TableHandle>) -> Result<()> {
        if self.readonly {
            return Err(HeapError::ReadOnly);
        }
        self.metatable = metatable;
        Ok(())
    }

    /// Clears array slots and entry values the collector found dead in a weak table. Keys stay,
    /// so a traversal can continue past them.
    pub(crate) fn clear_weak(&mut self, array_slots: &[usize], entry_slots: &[usize]) {
        for &idx in array_slots {
            if let Some(value) = self.array.get_mut(idx) {
                *value = Value::Nil;
            }
        }
        for &pos in entry_slots {
            if let Some(entry) = self.entries.get_mut(pos) {
                entry.value = Value::Nil;
            }
        }
    }
}
