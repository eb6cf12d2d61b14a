//! [`Stream`]: the stream value, with Redis 7.0's bookkeeping (`last_id`, `first_id`,
//! `max_deleted_entry_id`, `entries_added`) and its consumer groups ([`Group`]).
//!
//! Entries live in a `BTreeMap` by ID. Redis stores them in listpack nodes of at most
//! `stream-node-max-entries` (100) entries and about `stream-node-max-bytes` (4096) bytes, and
//! approximate trimming (`MAXLEN ~`, `MINID ~`) removes whole nodes only; [`Node`] keeps just
//! enough of that layout (each node's first and last ID, its live and total counts, its size
//! as `stream_listpack` computes it) for trimming to remove what Redis removes.
//!
//! **Invariant:** `nodes` covers every entry in `entries`, in ID order, each entry in the node
//! whose `[master, last]` range holds it; the sum of the nodes' `live` counts is
//! `entries.len()`; `last_id` is at least every entry's ID.

use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};
use std::ops::Bound;

use super::stream_id::StreamId;
use super::stream_listpack::{LISTPACK_OVERHEAD, entry_size, field_names, master_size};

/// How large a node may grow: Redis's `stream-node-max-entries` and `stream-node-max-bytes`
/// (0: no limit of that kind).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NodeLimits {
    pub(crate) max_entries: u64,
    pub(crate) max_bytes: u64,
}

impl Default for NodeLimits {
    fn default() -> Self {
        NodeLimits {
            max_entries: 100,
            max_bytes: 4096,
        }
    }
}

impl NodeLimits {
    /// The `LIMIT` of approximate trimming when none is given: 100 nodes' worth, within
    /// `1..=1_000_000` (10,000 when there is no entry limit).
    pub(crate) fn default_trim_limit(self) -> u64 {
        match self.max_entries.saturating_mul(100) {
            0 => 10_000,
            limit => limit.min(1_000_000),
        }
    }
}

/// Redis's `STREAM_LISTPACK_MAX_SIZE`: the node size used when `max_bytes` is 0 or larger.
const LISTPACK_MAX_SIZE: u64 = 1 << 30;
/// A group's `entries_read` when it is unknown (`SCG_INVALID_ENTRIES_READ`).
pub(crate) const INVALID_ENTRIES_READ: i64 = -1;

/// One listpack node as far as trimming needs it.
#[derive(Clone, Debug, PartialEq)]
struct Node {
    /// The ID of the node's first entry (its master entry).
    master: StreamId,
    /// The ID of the last entry appended to it (deleted or not).
    last: StreamId,
    /// Entries not deleted.
    live: u64,
    /// Entries appended, deleted ones included.
    total: u64,
    /// The fields of the master entry.
    master_fields: Vec<Vec<u8>>,
    /// The listpack bytes of the entries (deleted ones stay, flagged).
    entries_bytes: usize,
}

impl Node {
    /// The listpack's size (`lpBytes`).
    fn bytes(&self) -> usize {
        LISTPACK_OVERHEAD
            + master_size(self.live, self.total - self.live, &self.master_fields)
            + self.entries_bytes
    }
}

/// A pending entry: delivered to `consumer` and not acknowledged yet (`streamNACK`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Nack {
    pub(crate) consumer: Vec<u8>,
    pub(crate) delivery_time: i64,
    pub(crate) delivery_count: u64,
}

/// A consumer of a group: when it was last seen, and the IDs it has pending.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Consumer {
    pub(crate) seen_time: i64,
    pub(crate) pel: BTreeSet<StreamId>,
}

/// A consumer group (`streamCG`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Group {
    pub(crate) last_id: StreamId,
    /// How many entries the group read, or [`INVALID_ENTRIES_READ`].
    pub(crate) entries_read: i64,
    pub(crate) pel: BTreeMap<StreamId, Nack>,
    /// Consumers by name (Redis keeps them in a radix tree: name order).
    pub(crate) consumers: BTreeMap<Vec<u8>, Consumer>,
}

impl Group {
    /// A group that delivered up to `last_id`.
    pub(crate) fn new(last_id: StreamId, entries_read: i64) -> Group {
        Group {
            last_id,
            entries_read,
            pel: BTreeMap::new(),
            consumers: BTreeMap::new(),
        }
    }

    /// The consumer `name`, created (seen now) when missing; tells whether it was created.
    pub(crate) fn consumer_or_create(&mut self, name: &[u8], now: i64) -> (&mut Consumer, bool) {
        let created = !self.consumers.contains_key(name);
        let consumer = self
            .consumers
            .entry(name.to_vec())
            .or_insert_with(|| Consumer {
                seen_time: now,
                pel: BTreeSet::new(),
            });
        (consumer, created)
    }
}

/// A stream value.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Stream {
    /// Entries by ID: field, value, field, value...
    entries: BTreeMap<StreamId, Vec<Vec<u8>>>,
    nodes: VecDeque<Node>,
    pub(crate) last_id: StreamId,
    pub(crate) first_id: StreamId,
    pub(crate) max_deleted_id: StreamId,
    pub(crate) entries_added: u64,
    /// Groups by name (name order, as Redis's radix tree).
    pub(crate) groups: BTreeMap<Vec<u8>, Group>,
}

/// What trimming should do (`streamAddTrimArgs`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum TrimStrategy {
    /// Keep at most this many entries.
    MaxLen(u64),
    /// Keep entries with an ID at least this one.
    MinId(StreamId),
}

impl Stream {
    /// The number of entries (`XLEN`).
    pub(crate) fn len(&self) -> u64 {
        self.entries.len() as u64
    }

    /// Whether the stream has no entries (it may still have groups and a last ID).
    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The fields and values of entry `id`.
    pub(crate) fn get(&self, id: StreamId) -> Option<&[Vec<u8>]> {
        self.entries.get(&id).map(Vec::as_slice)
    }

    /// The first entry, if any.
    pub(crate) fn first_entry(&self) -> Option<(StreamId, &[Vec<u8>])> {
        self.entries
            .first_key_value()
            .map(|(id, fields)| (*id, fields.as_slice()))
    }

    /// The last entry, if any.
    pub(crate) fn last_entry(&self) -> Option<(StreamId, &[Vec<u8>])> {
        self.entries
            .last_key_value()
            .map(|(id, fields)| (*id, fields.as_slice()))
    }

    /// Entries with `start <= id <= end`, forwards or backwards.
    pub(crate) fn range(
        &self,
        start: StreamId,
        end: StreamId,
        rev: bool,
    ) -> Box<dyn Iterator<Item = (StreamId, &[Vec<u8>])> + '_> {
        if start > end {
            return Box::new(std::iter::empty());
        }
        let range = self
            .entries
            .range((Bound::Included(start), Bound::Included(end)))
            .map(|(id, fields)| (*id, fields.as_slice()));
        if rev {
            Box::new(range.rev())
        } else {
            Box::new(range)
        }
    }

    /// The number of listpack nodes (`XINFO STREAM`'s `radix-tree-keys`).
    pub(crate) fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// The nodes of the radix tree that would index the listpack nodes by their master IDs
    /// (128-bit big-endian keys), as `XINFO STREAM`'s `radix-tree-nodes` counts them: the
    /// root, each key, each prefix where keys branch, and each branch's first node. This is
    /// the shape `rax.c` builds by insertion; after deletions Redis's tree may hold a node more.
    pub(crate) fn radix_tree_nodes(&self) -> usize {
        let keys: Vec<[u8; 16]> = self
            .nodes
            .iter()
            .map(|node| {
                let mut key = [0u8; 16];
                key[..8].copy_from_slice(&node.master.ms.to_be_bytes());
                key[8..].copy_from_slice(&node.master.seq.to_be_bytes());
                key
            })
            .collect();
        let mut positions: HashSet<&[u8]> = HashSet::new();
        positions.insert(&[]);
        for key in &keys {
            positions.insert(&key[..]);
        }
        // Keys are sorted: two neighbours branch where their common prefix ends.
        for pair in keys.windows(2) {
            let common = pair[0]
                .iter()
                .zip(&pair[1])
                .take_while(|(a, b)| a == b)
                .count();
            if common < 16 {
                positions.insert(&pair[0][..common]);
                positions.insert(&pair[0][..=common]);
                positions.insert(&pair[1][..=common]);
            }
        }
        positions.len()
    }

    /// Appends an entry with a checked, larger-than-last `id` (`streamAppendItem`).
    pub(crate) fn append(&mut self, id: StreamId, fields: Vec<Vec<u8>>, limits: NodeLimits) {
        let raw: usize = fields.iter().map(Vec::len).sum();
        let max_bytes = match limits.max_bytes {
            0 => LISTPACK_MAX_SIZE,
            max => max.min(LISTPACK_MAX_SIZE),
        };
        let fits = self.nodes.back().is_some_and(|node| {
            (node.bytes().saturating_add(raw) as u64) < max_bytes
                && (limits.max_entries == 0 || node.total < limits.max_entries)
        });
        match self.nodes.back_mut() {
            Some(node) if fits => {
                let size = entry_size(id, node.master, &fields, &node.master_fields);
                node.last = id;
                node.live += 1;
                node.total += 1;
                node.entries_bytes = node.entries_bytes.saturating_add(size);
            }
            _ => {
                let master_fields = field_names(&fields);
                let size = entry_size(id, id, &fields, &master_fields);
                self.nodes.push_back(Node {
                    master: id,
                    last: id,
                    live: 1,
                    total: 1,
                    master_fields,
                    entries_bytes: size,
                });
            }
        }
        if self.entries.is_empty() {
            self.first_id = id;
        }
        self.entries.insert(id, fields);
        self.last_id = id;
        self.entries_added = self.entries_added.saturating_add(1);
    }

    /// The index of the node holding `id`.
    fn node_of(&self, id: StreamId) -> Option<usize> {
        let at = self.nodes.partition_point(|node| node.master <= id);
        at.checked_sub(1)
            .filter(|&idx| self.nodes.get(idx).is_some_and(|node| id <= node.last))
    }

    /// Deletes entry `id` (`XDEL`); tells whether it was there.
    pub(crate) fn delete(&mut self, id: StreamId) -> bool {
        if self.entries.remove(&id).is_none() {
            return false;
        }
        if let Some(idx) = self.node_of(id) {
            let emptied = self.nodes.get_mut(idx).is_some_and(|node| {
                node.live = node.live.saturating_sub(1);
                node.live == 0
            });
            if emptied {
                self.nodes.remove(idx);
            }
        }
        if id > self.max_deleted_id {
            self.max_deleted_id = id;
        }
        self.update_first_id();
        true
    }

    /// `first_id` after entries went away.
    fn update_first_id(&mut self) {
        self.first_id = self
            .entries
            .first_key_value()
            .map_or(StreamId::MIN, |(id, _)| *id);
    }

    /// Removes the first live entry of the first node that has one.
    fn pop_first_entry(&mut self) {
        if let Some((id, _)) = self.entries.pop_first() {
            if let Some(idx) = self.node_of(id) {
                if let Some(node) = self.nodes.get_mut(idx) {
                    node.live = node.live.saturating_sub(1);
                }
            }
        }
    }

    /// `streamTrim`: removes entries from the head; `approx` removes whole nodes only; `limit`
    /// (0: none) caps the entries removed. Returns how many were removed.
    pub(crate) fn trim(&mut self, strategy: TrimStrategy, approx: bool, limit: u64) -> u64 {
        let mut deleted: u64 = 0;
        while let Some(node) = self.nodes.front().cloned() {
            if let TrimStrategy::MaxLen(max) = strategy {
                if self.len() <= max {
                    break;
                }
            }
            if limit > 0 && deleted.saturating_add(node.live) > limit {
                break;
            }
            let remove_node = match strategy {
                TrimStrategy::MaxLen(max) => self.len().saturating_sub(node.live) >= max,
                TrimStrategy::MinId(min) => node.last < min,
            };
            if remove_node {
                self.nodes.pop_front();
                while self
                    .entries
                    .first_key_value()
                    .is_some_and(|(id, _)| *id <= node.last)
                {
                    self.entries.pop_first();
                    deleted += 1;
                }
                continue;
            }
            if approx {
                break;
            }
            // Trim inside the first node, entry by entry.
            loop {
                let stop = match strategy {
                    TrimStrategy::MaxLen(max) => self.len() <= max,
                    TrimStrategy::MinId(min) => self
                        .entries
                        .first_key_value()
                        .is_none_or(|(id, _)| *id >= min || *id > node.last),
                };
                if stop {
                    break;
                }
                self.pop_first_entry();
                deleted += 1;
            }
            break;
        }
        if deleted > 0 {
            self.update_first_id();
        }
        deleted
    }

    /// `streamRangeHasTombstones` from `start` to the end.
    pub(crate) fn has_tombstones_from(&self, start: StreamId) -> bool {
        if self.is_empty() || self.max_deleted_id.is_zero() || self.first_id > self.max_deleted_id {
            return false;
        }
        start <= self.max_deleted_id
    }

    /// `streamEstimateDistanceFromFirstEverEntry`: the logical read counter of `id`, or
    /// [`INVALID_ENTRIES_READ`].
    pub(crate) fn estimate_distance(&self, id: StreamId) -> i64 {
        let added = i64::try_from(self.entries_added).unwrap_or(i64::MAX);
        if self.entries_added == 0 {
            return 0;
        }
        if self.is_empty() && id <= self.last_id {
            return added;
        }
        if id == self.last_id {
            return added;
        }
        if id > self.last_id {
            return INVALID_ENTRIES_READ;
        }
        let length = self.len() as i64;
        if self.max_deleted_id.is_zero() || self.max_deleted_id < self.first_id {
            if id < self.first_id {
                return added - length;
            }
            if id == self.first_id {
                return added - length + 1;
            }
        }
        INVALID_ENTRIES_READ
    }

    /// `streamReplyWithCGLag`: the group's lag, `None` when it cannot be known.
    pub(crate) fn lag(&self, group: &Group) -> Option<i64> {
        let added = i64::try_from(self.entries_added).unwrap_or(i64::MAX);
        if self.entries_added == 0 {
            return Some(0);
        }
        if group.entries_read != INVALID_ENTRIES_READ && !self.has_tombstones_from(group.last_id) {
            return Some(added - group.entries_read);
        }
        match self.estimate_distance(group.last_id) {
            INVALID_ENTRIES_READ => None,
            read => Some(added - read),
        }
    }

    /// Moves `group`'s last delivered ID forward to `id`, counting the read
    /// (`streamReplyWithRange`'s bookkeeping).
    pub(crate) fn advance_group(&self, group: &mut Group, id: StreamId) {
        if id <= group.last_id {
            return;
        }
        if group.entries_read != INVALID_ENTRIES_READ && !self.has_tombstones_from(id) {
            group.entries_read += 1;
        } else if self.entries_added > 0 {
            group.entries_read = self.estimate_distance(id);
        }
        group.last_id = id;
    }
}
