//! Building a table from all its pairs at once, with the layout that assigning them one by one
//! to an empty table gives (5.1's `lua_newtable` followed by a `lua_rawset` per pair, what a
//! JSON or MessagePack decoder does), but without the intermediate tables: growing a table one
//! key at a time rehashes it at 1, 2, 4, 8, ... keys, and every rehash allocates a node vector
//! and frees the old one.
//!
//! - [`Table::from_array`]: values for the keys `1..=n`. Assigned in order to an empty table
//!   they double the array part at each power of two (`rehash` puts every key in the array
//!   part), so the table has an array part of `n.next_power_of_two()` slots and no nodes.
//! - [`Table::from_str_pairs`]: string keys. Their rehashes never make an array part, so only
//!   the node vector's history matters; it is replayed on node *positions* (a small
//!   [`SimNode`] per node, on the stack for small tables) with `insert_key`'s and `resize`'s
//!   exact rules, and the real nodes are written once, at the end.
//!
//! Both refuse (`None`) what they do not model (a nil value, which 5.1 stores as a dead key; a
//! key of another type), and the caller then assigns the pairs one by one.
//!
//! **Invariant:** a built table equals, field for field (array, nodes with their chains and
//! hashes, `last_free`), the table the assignments make (tested against them in `tests.rs`).

use std::cell::Cell;

use super::{NO_NEXT, Node, Table};
use crate::error::{HeapError, Result};
use crate::memory::Memory;
use crate::string::LuaHashes;
use crate::value::Value;

/// One node of the replay: which pair's key it holds (with that key's hash) and which pair's
/// value (a repeated key keeps its first position and takes the later value), and its chain
/// link.
#[derive(Clone, Copy)]
struct SimNode {
    /// Index of the pair whose key this node holds, or [`EMPTY`].
    key: u32,
    /// Index of the pair whose value this node holds.
    value: u32,
    next: u32,
    hash: u32,
}

const EMPTY: u32 = u32::MAX;

const FREE: SimNode = SimNode {
    key: EMPTY,
    value: EMPTY,
    next: NO_NEXT,
    hash: 0,
};

/// Tables of up to this many nodes are replayed in a buffer on the stack.
const STACK_NODES: usize = 8;

/// The replay of a node vector: the current one at `buf[cur..cur + size]`, room for the next
/// one (after a rehash) in the other half of `buf`.
struct Replay<'a> {
    buf: &'a mut [SimNode],
    /// Half of `buf`: the largest node vector the pairs can need.
    half: usize,
    cur: usize,
    size: usize,
    last_free: usize,
    /// Keys in the table (all live: no value is nil).
    count: usize,
}

impl Replay<'_> {
    #[inline]
    fn node(&self, pos: usize) -> SimNode {
        self.buf.get(self.cur + pos).copied().unwrap_or(FREE)
    }

    #[inline]
    fn node_mut(&mut self, pos: usize) -> Option<&mut SimNode> {
        self.buf.get_mut(self.cur + pos)
    }

    /// Assigns every pair in order (every key a string, no value nil).
    fn run(&mut self, pairs: &[(Value, Value)], hashes: &LuaHashes) -> Option<()> {
        for (idx, (key, _)) in pairs.iter().enumerate() {
            let Value::String(s) = *key else { return None };
            let hash = hashes.get(s);
            let idx = idx as u32;
            if let Some(pos) = self.find(hash, |other| {
                pairs.get(other as usize).is_some_and(|p| p.0 == *key)
            }) {
                self.node_mut(pos)?.value = idx;
                continue;
            }
            // With no dead keys, a new key finds a free node exactly when one is left.
            if self.count == self.size {
                self.rehash()?;
            }
            let at = self.insert_key(idx, hash)?;
            self.node_mut(at)?.value = idx;
            self.count += 1;
        }
        Some(())
    }

    /// The position of the key with this hash for which `same_key` holds, if any.
    #[inline]
    fn find(&self, hash: u32, same_key: impl Fn(u32) -> bool) -> Option<usize> {
        let mut pos = hash as usize & self.size.wrapping_sub(1);
        while pos < self.size {
            let node = self.node(pos);
            if node.key != EMPTY && node.hash == hash && same_key(node.key) {
                return Some(pos);
            }
            pos = node.next as usize;
        }
        None
    }

    /// `Table::insert_key` on positions: puts pair `pair`'s key in a node (one is free) and
    /// returns its position.
    #[inline(always)]
    fn insert_key(&mut self, pair: u32, hash: u32) -> Option<usize> {
        let mask = self.size.checked_sub(1)?;
        let mp = hash as usize & mask;
        let colliding = self.node(mp);
        let target = if colliding.key == EMPTY {
            mp
        } else {
            let free = self.free_pos()?;
            let other = colliding.hash as usize & mask;
            if other != mp {
                // The colliding key is out of its main position: move it to the free node.
                let mut prev = other;
                loop {
                    let next = self.node(prev).next as usize;
                    if next == mp || next >= self.size {
                        break;
                    }
                    prev = next;
                }
                self.node_mut(prev)?.next = free as u32;
                *self.node_mut(free)? = colliding;
                self.node_mut(mp)?.next = NO_NEXT;
                mp
            } else {
                // The colliding key is in its main position: the new key goes to the free node.
                self.node_mut(free)?.next = colliding.next;
                self.node_mut(mp)?.next = free as u32;
                free
            }
        };
        let node = self.node_mut(target)?;
        node.key = pair;
        node.hash = hash;
        Some(target)
    }

    /// `Table::free_pos`.
    #[inline]
    fn free_pos(&mut self) -> Option<usize> {
        while self.last_free > 0 {
            self.last_free -= 1;
            if self.node(self.last_free).key == EMPTY {
                return Some(self.last_free);
            }
        }
        None
    }

    /// `rehash` + `resize` for a table of live string keys and one more: no array part, a
    /// node vector of `(count + 1).next_power_of_two()` nodes, the old nodes re-inserted
    /// last first.
    fn rehash(&mut self) -> Option<()> {
        let new_size = (self.count + 1).next_power_of_two();
        if new_size > self.half {
            return None;
        }
        let (old, old_size) = (self.cur, self.size);
        self.cur = self.half - old;
        self.size = new_size;
        self.last_free = new_size;
        self.buf.get_mut(self.cur..self.cur + new_size)?.fill(FREE);
        for pos in (old..old + old_size).rev() {
            let node = *self.buf.get(pos)?;
            if node.key != EMPTY {
                let at = self.insert_key(node.key, node.hash)?;
                self.node_mut(at)?.value = node.value;
            }
        }
        Some(())
    }
}

impl Table {
    /// The table that assigning `values[i - 1]` to `t[i]` for `i = 1..=n`, in order, gives an
    /// empty table, charged to `memory`; `Ok(None)` if a value is nil.
    pub(crate) fn from_array(values: &[Value], memory: &mut Memory) -> Result<Option<Table>> {
        if values.contains(&Value::Nil) {
            return Ok(None);
        }
        let size = match values.len() {
            0 => 0,
            n => n
                .checked_next_power_of_two()
                .ok_or(HeapError::OutOfMemory)?,
        };
        if size > super::resize::MAX_SIZE {
            return Err(HeapError::OutOfMemory);
        }
        let bytes = Table::heap_size_for(size, 0);
        memory.charge(bytes)?;
        let Some(mut array) = memory.pool.array(size) else {
            memory.release(bytes);
            return Err(HeapError::OutOfMemory);
        };
        array.extend_from_slice(values);
        array.resize(size, Value::Nil);
        let table = Table {
            array,
            ..Table::default()
        };
        table.recompute_border();
        Ok(Some(table))
    }

    /// The table that assigning the pairs in order gives an empty table, charged to `memory`,
    /// when every key is a string and no value is nil; `Ok(None)` otherwise.
    pub(crate) fn from_str_pairs(
        pairs: &[(Value, Value)],
        hashes: &LuaHashes,
        memory: &mut Memory,
    ) -> Result<Option<Table>> {
        let n = pairs.len();
        if n > super::resize::MAX_SIZE {
            return Err(HeapError::OutOfMemory);
        }
        if pairs
            .iter()
            .any(|(key, value)| !matches!(key, Value::String(_)) || *value == Value::Nil)
        {
            return Ok(None);
        }
        let half = n.next_power_of_two().max(STACK_NODES);
        let mut stack_buf = [FREE; 2 * STACK_NODES];
        let mut heap_buf = Vec::new();
        let buf: &mut [SimNode] = if half == STACK_NODES {
            &mut stack_buf
        } else {
            heap_buf
                .try_reserve_exact(2 * half)
                .map_err(|_| HeapError::OutOfMemory)?;
            heap_buf.resize(2 * half, FREE);
            &mut heap_buf
        };
        let mut replay = Replay {
            buf,
            half,
            cur: 0,
            size: 0,
            last_free: 0,
            count: 0,
        };
        if replay.run(pairs, hashes).is_none() {
            // Not reached: the replay has room for every key. The caller assigns one by one.
            return Ok(None);
        }
        let size = replay.size;
        let bytes = Table::heap_size_for(0, size);
        memory.charge(bytes)?;
        let Some(mut nodes) = memory.pool.nodes(size) else {
            memory.release(bytes);
            return Err(HeapError::OutOfMemory);
        };
        nodes.extend((0..size).map(|pos| {
            let sim = replay.node(pos);
            match (pairs.get(sim.key as usize), pairs.get(sim.value as usize)) {
                (Some(&(key, _)), Some(&(_, value))) => Node {
                    key,
                    value,
                    next: sim.next,
                    key_hash: sim.hash,
                },
                _ => Node::FREE,
            }
        }));
        Ok(Some(Table {
            array: Vec::new(),
            nodes,
            // `size <= MAX_SIZE`.
            last_free: replay.last_free as u32,
            metatable: None,
            absent: Cell::new(0),
            readonly: false,
            // No array part.
            border_hint: Cell::new(super::DENSE_BORDER),
        }))
    }
}
