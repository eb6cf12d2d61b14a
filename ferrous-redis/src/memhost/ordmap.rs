//! `OrdMap`: a byte-string keyed map that remembers insertion order and picks a random entry in
//! O(1).
//!
//! Entries live in a slot vector (`None` marks a removed entry) and a `HashMap` points from each
//! key to its slot. Removal leaves a hole; the vector is compacted once holes outnumber live
//! entries, so random picks stay O(1) expected.
//!
//! **Invariant:** `index[k] == i` exactly when `slots[i]` holds key `k`; `live` counts the
//! `Some` slots.

use std::collections::HashMap;

use ahash::RandomState;

/// An insertion-ordered map from byte strings to `V`.
#[derive(Clone, Debug)]
pub(crate) struct OrdMap<V> {
    slots: Vec<Option<(Vec<u8>, V)>>,
    /// Key -> slot; ahash (seeded per process) rather than SipHash, which dominated `INCR`.
    index: HashMap<Vec<u8>, usize, RandomState>,
    live: usize,
}

impl<V> OrdMap<V> {
    /// An empty map.
    pub(crate) fn new() -> Self {
        OrdMap {
            slots: Vec::new(),
            index: HashMap::default(),
            live: 0,
        }
    }

    /// The number of entries.
    pub(crate) fn len(&self) -> usize {
        self.live
    }

    /// Whether the map is empty.
    pub(crate) fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Whether `key` is present.
    pub(crate) fn contains(&self, key: &[u8]) -> bool {
        self.index.contains_key(key)
    }

    /// The value under `key`.
    pub(crate) fn get(&self, key: &[u8]) -> Option<&V> {
        let slot_idx = *self.index.get(key)?;
        self.slots.get(slot_idx)?.as_ref().map(|(_, v)| v)
    }

    /// The value under `key`, mutably.
    pub(crate) fn get_mut(&mut self, key: &[u8]) -> Option<&mut V> {
        let slot_idx = *self.index.get(key)?;
        self.slots.get_mut(slot_idx)?.as_mut().map(|(_, v)| v)
    }

    /// Inserts or replaces; returns the old value. A replaced entry keeps its position.
    pub(crate) fn insert(&mut self, key: Vec<u8>, value: V) -> Option<V> {
        if let Some(old) = self.get_mut(&key) {
            return Some(std::mem::replace(old, value));
        }
        self.index.insert(key.clone(), self.slots.len());
        self.slots.push(Some((key, value)));
        self.live += 1;
        None
    }

    /// Removes `key`, returning its value.
    pub(crate) fn remove(&mut self, key: &[u8]) -> Option<V> {
        let slot_idx = self.index.remove(key)?;
        let (_, value) = self.slots.get_mut(slot_idx)?.take()?;
        self.live -= 1;
        if self.live == 0 {
            self.slots.clear();
        } else if self.slots.len() > 16 && self.live * 2 < self.slots.len() {
            self.compact();
        }
        Some(value)
    }

    fn compact(&mut self) {
        self.slots.retain(Option::is_some);
        for (slot_idx, slot) in self.slots.iter().enumerate() {
            if let Some((key, _)) = slot {
                if let Some(idx) = self.index.get_mut(key) {
                    *idx = slot_idx;
                }
            }
        }
    }

    /// Entries in insertion order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&Vec<u8>, &V)> {
        self.slots.iter().flatten().map(|(k, v)| (k, v))
    }

    /// Keys in insertion order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &Vec<u8>> {
        self.iter().map(|(k, _)| k)
    }

    /// A random entry, `rand` giving uniformly distributed numbers.
    pub(crate) fn random(&self, mut rand: impl FnMut() -> u64) -> Option<(&Vec<u8>, &V)> {
        if self.live == 0 {
            return None;
        }
        let n_slots = self.slots.len() as u64;
        loop {
            let slot_idx = (rand() % n_slots) as usize;
            if let Some(Some((k, v))) = self.slots.get(slot_idx) {
                return Some((k, v));
            }
        }
    }
}

impl<V> Default for OrdMap<V> {
    fn default() -> Self {
        OrdMap::new()
    }
}

impl<V: PartialEq> PartialEq for OrdMap<V> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

#[cfg(test)]
mod tests {
    use super::OrdMap;

    #[test]
    fn keeps_order_and_index_through_compaction() {
        let mut map = OrdMap::new();
        for i in 0..100u32 {
            map.insert(i.to_string().into_bytes(), i);
        }
        for i in 0..90u32 {
            assert_eq!(map.remove(i.to_string().as_bytes()), Some(i));
        }
        assert_eq!(map.len(), 10);
        assert_eq!(map.get(b"95"), Some(&95));
        let keys: Vec<_> = map.keys().cloned().collect();
        assert_eq!(keys.first().map(Vec::as_slice), Some(&b"90"[..]));
        let mut seed = 7u64;
        let picked = map.random(|| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            seed >> 33
        });
        assert!(picked.is_some());
    }
}
