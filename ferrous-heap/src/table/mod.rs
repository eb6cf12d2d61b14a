//! Lua tables: an array part and a node table, ported from PUC Lua 5.1.5's `ltable.c`.
//!
//! A [`Table`] keeps keys `1..=array.len()` in the array part and every other key in the hash
//! part, a vector of [`Node`]s whose length is 0 (5.1's shared `dummynode`) or a power of two.
//! Each key has a *main position* (`main_position`, 5.1's hash functions: strings by their 5.1
//! hash, stored with the string at interning, numbers by the sum of their two 32-bit halves
//! modulo `(size - 1) | 1`, booleans by their value, other objects by their handle bits);
//! colliding keys are chained through `Node::next`, and a new key that finds its main position
//! taken by a key from another chain moves that key to a free node (`newkey`). Free nodes are
//! found by `last_free`, which only moves down; when it finds none, `rehash` picks new sizes
//! for both parts (`computesizes`, see `resize.rs`) and re-inserts every live key.
//!
//! Because the layout is 5.1's, `next` visits keys in exactly 5.1's order (array part, then the
//! nodes by position) and `#t` finds the same border, for keys that are strings, numbers and
//! booleans. (Tables, functions, userdata and threads hash by handle here and by address in
//! 5.1, so their order cannot match.)
//!
//! Setting a value to nil leaves a *dead key*: the key stays in its node, with a nil value, so
//! `next` can continue from it, lookups still find it, and a new key whose main position holds
//! it takes the node over. Rehash drops dead keys.
//!
//! String keys compare by handle (interning makes handle identity content equality), so a
//! lookup reads the string's 5.1 hash once (from `LuaHashes`, which table reads and writes take
//! as an argument) and never its bytes.
//!
//! **Invariant:** keys are never nil or NaN, and a number key is never `-0`, never an integer in
//! `1..=array.len()` (those live in the array part).
//! **Invariant:** `nodes.len()` is 0 or a power of two; a node with a nil key is free (nil value,
//! no `next`); every chain starting at a main position ends (`NO_NEXT`) and reaches every key
//! whose main position it starts at; nodes at `last_free..` are not free.
//! **Invariant:** every write path checks `readonly` first and clears the metamethod cache.

mod border;
mod build;
mod layout;
mod number_key;
pub(crate) mod pool;
mod resize;
#[cfg(test)]
mod tests;
mod update;
mod walk;

use std::cell::Cell;

use crate::error::{HeapError, Result};
use crate::handle::{StringHandle, TableHandle};
use crate::memory::Memory;
use crate::string::LuaHashes;
use crate::value::Value;

pub use layout::TableLayout;

/// What absent keys read as, by reference.
pub(crate) static NIL: Value = Value::Nil;

/// `Node::next` of the last node of a chain. Larger than any node index (at most `2^30`), so
/// following it simply finds no node.
const NO_NEXT: u32 = u32::MAX;

/// One node of the hash part: a key, its value and the next node of its chain. A nil key is a
/// free node; a nil value with a key is a dead key.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Node {
    pub(crate) key: Value,
    pub(crate) value: Value,
    /// The next node of the chain, or [`NO_NEXT`].
    next: u32,
    /// The 5.1 hash of a string key (0 for other keys), so moving a node reads no string.
    key_hash: u32,
}

impl Node {
    const FREE: Node = Node {
        key: Value::Nil,
        value: Value::Nil,
        next: NO_NEXT,
        key_hash: 0,
    };
}

/// A Lua table.
#[derive(Debug, Default)]
pub(crate) struct Table {
    array: Vec<Value>,
    nodes: Vec<Node>,
    /// Nodes at and above this position are not free (5.1's `lastfree`). A `u32` (node
    /// vectors have at most `2^30` nodes): with the metatable's 8 bytes, a table is 64 bytes.
    last_free: u32,
    /// The metatable.
    pub(crate) metatable: Option<TableHandle>,
    /// Bit `e` set: this table, used as a metatable, has no field for fast event `e`
    /// (5.1's `flags`); [`INDEX_SELF`](crate::meta::INDEX_SELF) set: its `__index` is itself.
    /// Cleared by every write. A `Cell`: lookups through a shared heap learn bits too.
    pub(crate) absent: Cell<u8>,
    /// Writes fail with `HeapError::ReadOnly`.
    pub(crate) readonly: bool,
    /// The border of the array part, as `#t` finds it (`border.rs`), in the low 15 bits. With
    /// [`DENSE_BORDER`] set it is exact: the array part holds values in exactly its slots below
    /// that border (kept so by every write to the array part, [`Table::note_array_write`], and
    /// recomputed when the array part is made anew), so `#t` returns it at once: 5.1's binary
    /// search over such an array ends there. Without the flag it is only a hint: the border
    /// the last `#t` found, where the next one starts looking (its search checks it), or
    /// [`NO_BORDER_HINT`]. A `u16` keeps a table at 64 bytes.
    border_hint: Cell<u16>,
}

use border::DENSE_BORDER;
use number_key::exact_i32;

/// The 5.1 hash of `key` as `Node::key_hash` stores it: a string's hash, 0 for other keys.
#[inline]
fn key_hash_of(key: Value, hashes: &LuaHashes) -> u32 {
    match key {
        Value::String(s) => hashes.get(s),
        _ => 0,
    }
}

/// 5.1's `hashnum` before the modulo: 0 for 0, else the two 32-bit halves added.
#[inline(always)]
fn num_hash(n: f64) -> u32 {
    if n == 0.0 {
        return 0;
    }
    let bits = n.to_bits();
    (bits as u32).wrapping_add((bits >> 32) as u32)
}

/// If `n` is an integer, that integer (`-0` gives 0); NaN, fractions and huge values give None.
#[inline]
fn as_integer(n: f64) -> Option<i64> {
    let i = n as i64;
    (i as f64 == n && i != i64::MAX).then_some(i)
}

impl Table {
    /// A table with `narr` array slots and `nhash` nodes (rounded up to a power of two), charged
    /// to `memory` (5.1's `luaH_new`).
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
        match Self::with_parts(narr, node_cap, &mut memory.pool) {
            Some(table) => Ok(table),
            None => {
                memory.release(bytes);
                Err(HeapError::OutOfMemory)
            }
        }
    }

    /// The allocations of [`Table::new`], already charged; `None` if one is refused.
    #[inline]
    fn with_parts(narr: usize, node_cap: usize, pool: &mut pool::Pool) -> Option<Table> {
        let mut array = Vec::new();
        if narr > 0 {
            array = pool.array(narr)?;
            array.resize(narr, Value::Nil);
        }
        let mut nodes = Vec::new();
        if node_cap > 0 {
            nodes = pool.nodes(node_cap)?;
            nodes.resize(node_cap, Node::FREE);
        }
        Some(Table {
            array,
            nodes,
            // `node_cap <= MAX_SIZE` (checked above).
            last_free: node_cap as u32,
            metatable: None,
            absent: Cell::new(0),
            readonly: false,
            // Every array slot is nil.
            border_hint: Cell::new(DENSE_BORDER),
        })
    }

    /// Hands the table's buffers to `pool` (the table is being freed).
    pub(crate) fn recycle(self, pool: &mut pool::Pool) {
        pool.give_nodes(self.nodes);
        pool.give_array(self.array);
    }

    /// Bytes charged for this table.
    pub(crate) fn heap_size(&self) -> usize {
        Self::heap_size_for(self.array.len(), self.nodes.len())
    }

    fn heap_size_for(array_len: usize, node_cap: usize) -> usize {
        size_of::<Table>()
            .saturating_add(array_len.saturating_mul(size_of::<Value>()))
            .saturating_add(node_cap.saturating_mul(size_of::<Node>()))
    }

    /// The array part.
    #[inline]
    pub(crate) fn array(&self) -> &[Value] {
        &self.array
    }

    /// The hash part: free nodes and dead keys included.
    #[inline]
    pub(crate) fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// 5.1's `mainposition` of `key` (not nil; `key_hash` is its hash if it is a string). The
    /// node vector must not be empty.
    #[inline]
    fn main_position(&self, key: Value, key_hash: u32) -> usize {
        let size = self.nodes.len();
        let mask = size.wrapping_sub(1);
        // 5.1's `hashmod`: the remainder by an odd number, for hashes with poor low bits.
        let hash_mod = |h: u64| (h % (mask | 1) as u64) as usize;
        match key {
            Value::String(_) => key_hash as usize & mask,
            Value::Number(n) => hash_mod(u64::from(num_hash(n))),
            Value::Boolean(b) => usize::from(b) & mask,
            Value::Nil => 0,
            Value::Table(h) => hash_mod(h.raw().bits()),
            Value::Function(h) => hash_mod(h.raw().bits()),
            Value::NativeFunction(id) => hash_mod(u64::from(id.0)),
            Value::UserData(h) => hash_mod(h.raw().bits()),
            Value::Thread(h) => hash_mod(h.raw().bits()),
        }
    }

    /// Position of `key` (normalized, not nil) in the hash part, dead or alive.
    #[inline]
    fn find(&self, key: Value, key_hash: u32) -> Option<usize> {
        match key {
            Value::String(s) => self.find_str(s, key_hash),
            Value::Number(n) => self.find_num(n),
            _ => self.find_any(key),
        }
    }

    /// [`Table::find`] for a string key: one tag test and one handle comparison per node.
    #[inline(always)]
    fn find_str(&self, key: StringHandle, key_hash: u32) -> Option<usize> {
        let mut idx = key_hash as usize & self.nodes.len().wrapping_sub(1);
        let bits = key.raw().bits();
        loop {
            let node = self.nodes.get(idx)?;
            if matches!(node.key, Value::String(s) if s.raw().bits() == bits) {
                return Some(idx);
            }
            idx = node.next as usize;
        }
    }

    /// The node of string key `key`, if any: [`Table::find_str`] without a second bounds
    /// check on the way to the value. An empty node vector needs no test of its own: the mask
    /// is then all ones and the main position is past its end.
    #[inline(always)]
    fn str_node(&self, key: StringHandle, key_hash: u32) -> Option<&Node> {
        let mut node = self
            .nodes
            .get(key_hash as usize & self.nodes.len().wrapping_sub(1))?;
        let bits = key.raw().bits();
        loop {
            // One 64-bit comparison of slot and generation.
            if let Value::String(s) = node.key {
                if s.raw().bits() == bits {
                    return Some(node);
                }
            }
            node = self.nodes.get(node.next as usize)?;
        }
    }

    /// [`Table::find`] for a number key (normalized, not NaN).
    #[inline]
    fn find_num(&self, n: f64) -> Option<usize> {
        if self.nodes.is_empty() {
            return None;
        }
        let mut idx = self.main_position(Value::Number(n), 0);
        loop {
            let node = self.nodes.get(idx)?;
            if matches!(node.key, Value::Number(m) if m == n) {
                return Some(idx);
            }
            idx = node.next as usize;
        }
    }

    /// [`Table::find`] for any other key.
    #[inline(never)]
    fn find_any(&self, key: Value) -> Option<usize> {
        if self.nodes.is_empty() {
            return None;
        }
        let mut idx = self.main_position(key, 0);
        loop {
            let node = self.nodes.get(idx)?;
            if node.key == key {
                return Some(idx);
            }
            idx = node.next as usize;
        }
    }

    #[inline]
    fn get_hash(&self, key: Value, hashes: &LuaHashes) -> &Value {
        let key_hash = key_hash_of(key, hashes);
        match self.find(key, key_hash).and_then(|pos| self.nodes.get(pos)) {
            Some(node) => &node.value,
            None => &NIL,
        }
    }

    /// `t[key]` without metamethods. A nil or NaN key reads nil.
    #[inline]
    pub(crate) fn get(&self, key: Value, hashes: &LuaHashes) -> Value {
        *self.get_ref(key, hashes)
    }

    /// [`Table::get`] by reference: returning a pointer lets callers read the value straight from
    /// the table (a `Value` returned through memory costs a store-forwarding stall).
    #[inline]
    pub(crate) fn get_ref(&self, key: Value, hashes: &LuaHashes) -> &Value {
        match key {
            Value::Number(n) => match as_integer(n) {
                Some(i) => self.get_int_ref(i),
                None if n.is_nan() => &NIL,
                None => self.num_value(n),
            },
            Value::Nil => &NIL,
            _ => self.get_hash(key, hashes),
        }
    }

    /// `t[key]` without metamethods, for a key read in place from a register or constant:
    /// matching by reference reads the tag and the payload separately (a whole-`Value` copy of
    /// a register written just before stalls). Number keys in the array part take two
    /// branches: an exact `f64 -> i64 -> f64` round trip (5.1's `lua_number2int` and compare)
    /// and one unsigned bounds check (0 and negative integers wrap past any array length).
    #[inline(always)]
    pub(crate) fn get_key_ref(&self, key: &Value, hashes: &LuaHashes) -> &Value {
        match key {
            Value::String(s) => self.get_str_ref(*s, hashes),
            &Value::Number(n) => {
                if let Some(i) = exact_i32(n) {
                    let idx = (i64::from(i) as u64).wrapping_sub(1) as usize;
                    if let Some(value) = self.array.get(idx) {
                        return value;
                    }
                }
                self.get_num_hash(n)
            }
            Value::Nil => &NIL,
            _ => self.get_hash(*key, hashes),
        }
    }

    /// A number key that is not an array index: NaN reads nil, integers are normalized
    /// (`-0` is 0).
    #[inline(never)]
    fn get_num_hash(&self, n: f64) -> &Value {
        match as_integer(n) {
            Some(i) => self.get_int_ref(i),
            None if n.is_nan() => &NIL,
            None => self.num_value(n),
        }
    }

    /// The value of number key `n` (normalized, not NaN) in the hash part.
    #[inline]
    fn num_value(&self, n: f64) -> &Value {
        match self.find_num(n).and_then(|pos| self.nodes.get(pos)) {
            Some(node) => &node.value,
            None => &NIL,
        }
    }

    /// `t[key] = value` without metamethods, the key read in place (see
    /// [`Table::get_key_ref`]). An array slot is written after one flags test (`absent`); the
    /// rest goes to [`Table::set`], which checks `readonly` itself.
    #[inline(always)]
    pub(crate) fn set_key(
        &mut self,
        key: &Value,
        value: Value,
        hashes: &LuaHashes,
        memory: &mut Memory,
    ) -> Result<()> {
        match key {
            &Value::Number(n) => {
                if let (Some(i), false) = (exact_i32(n), self.readonly) {
                    let idx = (i64::from(i) as u64).wrapping_sub(1) as usize;
                    if let Some(slot) = self.array.get_mut(idx) {
                        if self.absent.get() != 0 {
                            self.absent.set(0);
                        }
                        *slot = value;
                        self.note_array_write(idx, matches!(value, Value::Nil));
                        return Ok(());
                    }
                }
                self.set(Value::Number(n), value, hashes, memory)
            }
            Value::String(s) => self.set_str(*s, value, hashes, memory),
            _ => self.set(*key, value, hashes, memory),
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
            _ => self.int_hash_value(i),
        }
    }

    /// [`Table::get_int_ref`] past the array part, out of line so the array path stays small
    /// enough to inline everywhere (`table.sort` measured 12% slower when it was not).
    #[inline(never)]
    fn int_hash_value(&self, i: i64) -> &Value {
        self.num_value(i as f64)
    }

    /// `t[key]` for a string key, without metamethods.
    #[inline]
    pub(crate) fn get_str(&self, key: StringHandle, hashes: &LuaHashes) -> Value {
        *self.get_str_ref(key, hashes)
    }

    /// [`Table::get_str`] by reference.
    #[inline(always)]
    pub(crate) fn get_str_ref(&self, key: StringHandle, hashes: &LuaHashes) -> &Value {
        self.get_str_hashed(key, hashes.get(key))
    }

    /// [`Table::get_str_ref`] given the key's hash (looked up once for a walk over several
    /// tables).
    #[inline(always)]
    pub(crate) fn get_str_hashed(&self, key: StringHandle, key_hash: u32) -> &Value {
        match self.str_node(key, key_hash) {
            Some(node) => &node.value,
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
        if self.absent.get() != 0 {
            self.absent.set(0);
        }
        Ok(())
    }

    /// `t[key] = value` without metamethods.
    pub(crate) fn set(
        &mut self,
        key: Value,
        value: Value,
        hashes: &LuaHashes,
        memory: &mut Memory,
    ) -> Result<()> {
        match key {
            Value::Number(n) => match as_integer(n) {
                Some(i) => self.set_int(i, value, memory),
                None if n.is_nan() => {
                    self.begin_write()?;
                    Err(HeapError::NaNKey)
                }
                None => {
                    self.begin_write()?;
                    self.set_hash(key, 0, value, memory)
                }
            },
            Value::Nil => {
                self.begin_write()?;
                Err(HeapError::NilKey)
            }
            _ => {
                self.begin_write()?;
                self.set_hash(key, key_hash_of(key, hashes), value, memory)
            }
        }
    }

    /// `t[i] = value` without metamethods.
    #[inline]
    pub(crate) fn set_int(&mut self, i: i64, value: Value, memory: &mut Memory) -> Result<()> {
        self.begin_write()?;
        let idx = (i as u64).wrapping_sub(1) as usize;
        match self.array.get_mut(idx) {
            Some(slot) if i >= 1 => {
                *slot = value;
                self.note_array_write(idx, matches!(value, Value::Nil));
                Ok(())
            }
            _ => self.set_hash(Value::Number(i as f64), 0, value, memory),
        }
    }

    /// `t[first + j] = values[j]` for each `j` in order, without metamethods (`SETLIST`). Keys
    /// in the array part are written at once, the exact border moved once when the values
    /// are appended at it; otherwise one [`Table::set_int`] each.
    pub(crate) fn set_ints(
        &mut self,
        first: i64,
        values: &[Value],
        memory: &mut Memory,
    ) -> Result<()> {
        self.begin_write()?;
        let start = (first as u64).wrapping_sub(1) as usize;
        let slots = start
            .checked_add(values.len())
            .filter(|_| first >= 1)
            .and_then(|end| self.array.get_mut(start..end));
        let Some(slots) = slots else {
            for (key, value) in (first..).zip(values) {
                self.set_int(key, *value, memory)?;
            }
            return Ok(());
        };
        slots.copy_from_slice(values);
        if !self.append_at_border(start, values) {
            for (idx, value) in (start..).zip(values) {
                self.note_array_write(idx, matches!(value, Value::Nil));
            }
        }
        Ok(())
    }

    /// `t[key] = value` for a string key, without metamethods.
    #[inline(always)]
    pub(crate) fn set_str(
        &mut self,
        key: StringHandle,
        value: Value,
        hashes: &LuaHashes,
        memory: &mut Memory,
    ) -> Result<()> {
        self.begin_write()?;
        let key_hash = hashes.get(key);
        if let Some(node) = self
            .find_str(key, key_hash)
            .and_then(|pos| self.nodes.get_mut(pos))
        {
            node.value = value;
            return Ok(());
        }
        self.new_key(Value::String(key), key_hash, value, memory)
    }

    /// `t.key = value` when `key` already has a non-nil value, which 5.1's `luaV_settable`
    /// assigns without looking for `__newindex`; `Ok(false)`, with nothing changed, when it has
    /// none.
    #[inline]
    pub(crate) fn set_existing_str(
        &mut self,
        key: StringHandle,
        value: Value,
        hashes: &LuaHashes,
    ) -> Result<bool> {
        let Some(pos) = self.find_str(key, hashes.get(key)) else {
            return Ok(false);
        };
        if matches!(
            self.nodes.get(pos),
            None | Some(Node {
                value: Value::Nil,
                ..
            })
        ) {
            return Ok(false);
        }
        self.begin_write()?;
        if let Some(node) = self.nodes.get_mut(pos) {
            node.value = value;
        }
        Ok(true)
    }

    #[inline]
    fn set_hash(
        &mut self,
        key: Value,
        key_hash: u32,
        value: Value,
        memory: &mut Memory,
    ) -> Result<()> {
        if let Some(node) = self
            .find(key, key_hash)
            .and_then(|pos| self.nodes.get_mut(pos))
        {
            node.value = value;
            return Ok(());
        }
        self.new_key(key, key_hash, value, memory)
    }

    /// Adds a key that is in neither part (5.1's `luaH_set` after a miss). As in 5.1 this
    /// happens even when `value` is nil (the key is then born dead); when no node is free, a
    /// rehash comes first and the key may then belong to the array part.
    #[inline(never)]
    fn new_key(
        &mut self,
        key: Value,
        key_hash: u32,
        value: Value,
        memory: &mut Memory,
    ) -> Result<()> {
        let pos = match self.insert_key(key, key_hash) {
            Some(pos) => pos,
            None => {
                self.rehash(key, memory)?;
                if let Some(idx) = self.array_index(key) {
                    if let Some(slot) = self.array.get_mut(idx) {
                        *slot = value;
                        self.note_array_write(idx, matches!(value, Value::Nil));
                        return Ok(());
                    }
                }
                // The rehash made room for this key, so this cannot fail.
                self.insert_key(key, key_hash)
                    .ok_or(HeapError::OutOfMemory)?
            }
        };
        if let Some(node) = self.nodes.get_mut(pos) {
            node.value = value;
        }
        Ok(())
    }

    /// 5.1's `newkey` without the rehash: puts `key` (absent) in a node with a nil value and
    /// returns its position, or `None` if no node is free.
    fn insert_key(&mut self, key: Value, key_hash: u32) -> Option<usize> {
        if self.nodes.is_empty() {
            return None;
        }
        let mp = self.main_position(key, key_hash);
        let colliding = *self.nodes.get(mp)?;
        let target = if colliding.value == Value::Nil {
            // A free node or a dead key: take it over, chain included.
            mp
        } else {
            let free = self.free_pos()?;
            let other = self.main_position(colliding.key, colliding.key_hash);
            if other != mp {
                // The colliding key is out of its main position: move it to the free node.
                let mut prev = other;
                loop {
                    let next = self.nodes.get(prev)?.next as usize;
                    if next == mp {
                        break;
                    }
                    prev = next;
                }
                self.nodes.get_mut(prev)?.next = free as u32;
                *self.nodes.get_mut(free)? = colliding;
                let node = self.nodes.get_mut(mp)?;
                node.next = NO_NEXT;
                node.value = Value::Nil;
                mp
            } else {
                // The colliding key is in its main position: the new key goes to the free node.
                self.nodes.get_mut(free)?.next = colliding.next;
                self.nodes.get_mut(mp)?.next = free as u32;
                free
            }
        };
        let node = self.nodes.get_mut(target)?;
        node.key = key;
        node.key_hash = key_hash;
        Some(target)
    }

    /// 5.1's `getfreepos`: the highest free node below `last_free`, which moves down to it.
    fn free_pos(&mut self) -> Option<usize> {
        while self.last_free > 0 {
            self.last_free -= 1;
            let pos = self.last_free as usize;
            if self
                .nodes
                .get(pos)
                .is_some_and(|node| node.key == Value::Nil)
            {
                return Some(pos);
            }
        }
        None
    }

    /// The array slot (0-based) that `key` would have, if it is an integer of at least 1.
    #[inline]
    fn array_index(&self, key: Value) -> Option<usize> {
        match key {
            Value::Number(n) => match as_integer(n) {
                Some(i) if i >= 1 => Some((i as u64).wrapping_sub(1) as usize),
                _ => None,
            },
            _ => None,
        }
    }

    /// The array slot `key` belongs to, if it is an integer in `1..=array.len()`.
    #[inline]
    fn array_slot_mut(&mut self, key: Value) -> Option<&mut Value> {
        self.array_index(key)
            .and_then(|idx| self.array.get_mut(idx))
    }

    /// Makes this table what [`Table::new`]`(narr, 0)` makes (no keys, no metatable, `narr`
    /// nil array slots, no hash part, writable), keeping its allocations when they are no
    /// larger than [`Table::REUSE_SLOTS`] (so a reset table holds no more memory than it is
    /// charged for, give or take that much). Fails with `OutOfMemory` and changes nothing
    /// when `memory` refuses the new size.
    pub(crate) fn reset(&mut self, narr: usize, memory: &mut Memory) -> Result<()> {
        if narr > resize::MAX_SIZE {
            return Err(HeapError::OutOfMemory);
        }
        let (old_bytes, new_bytes) = (self.heap_size(), Self::heap_size_for(narr, 0));
        memory.resize(old_bytes, new_bytes)?;
        self.array.clear();
        // Every array slot is nil (or there is none).
        self.border_hint.set(DENSE_BORDER);
        if self.array.capacity() > narr.max(Self::REUSE_SLOTS) {
            self.array = Vec::new();
        }
        self.nodes.clear();
        if self.nodes.capacity() > Self::REUSE_SLOTS {
            self.nodes = Vec::new();
        }
        self.last_free = 0;
        self.metatable = None;
        self.absent.set(0);
        self.readonly = false;
        if self.array.try_reserve_exact(narr).is_err() {
            memory.adjust(new_bytes, Self::heap_size_for(0, 0));
            return Err(HeapError::OutOfMemory);
        }
        self.array.resize(narr, Value::Nil);
        Ok(())
    }

    /// The most array slots or nodes whose allocation [`Table::reset`] keeps.
    const REUSE_SLOTS: usize = 64;

    /// Sets the metatable (checked against `readonly`).
    pub(crate) fn set_metatable(&mut self, metatable: Option<TableHandle>) -> Result<()> {
        if self.readonly {
            return Err(HeapError::ReadOnly);
        }
        self.metatable = metatable;
        Ok(())
    }

    /// Clears array slots and node values the collector found dead in a weak table. Keys stay
    /// (dead keys), so a traversal can continue past them.
    pub(crate) fn clear_weak(&mut self, array_slots: &[usize], node_slots: &[usize]) {
        // A cleared `__index` must not stay known as the table itself.
        self.absent.set(0);
        for &idx in array_slots {
            if let Some(value) = self.array.get_mut(idx) {
                *value = Value::Nil;
                self.note_array_write(idx, true);
            }
        }
        for &pos in node_slots {
            if let Some(node) = self.nodes.get_mut(pos) {
                node.value = Value::Nil;
            }
        }
    }
}
