//! One database: keys to values, plus each key's expiry time.
//!
//! Expiry is lazy: every lookup first drops its key if the key's time has come
//! ([`Db::expire_if_needed`]); [`Db::active_expire`] sweeps a bounded number of keys.
//!
//! **Invariant:** a key in `expires` is also in `keys`; no collection value but a stream is ever
//! empty (a command that empties one deletes its key through [`Db::remove_if_empty`]).

use std::collections::{HashMap, VecDeque};

use super::ordmap::OrdMap;
use super::stream::Stream;
use super::zset::ZSet;

/// A stored value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    /// A string (integers are strings too).
    Str(Vec<u8>),
    /// A list.
    List(VecDeque<Vec<u8>>),
    /// A hash: field to value, in insertion order.
    Hash(OrdMap<Vec<u8>>),
    /// A set.
    Set(OrdMap<()>),
    /// A sorted set.
    ZSet(ZSet),
    /// A stream (boxed: it is much larger than the other variants).
    Stream(Box<Stream>),
}

impl Value {
    /// The name `TYPE` reports.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "string",
            Value::List(_) => "list",
            Value::Hash(_) => "hash",
            Value::Set(_) => "set",
            Value::ZSet(_) => "zset",
            Value::Stream(_) => "stream",
        }
    }

    /// Whether a collection value has no elements left (strings and streams never count as
    /// empty).
    fn is_empty_collection(&self) -> bool {
        match self {
            Value::Str(_) => false,
            Value::List(list) => list.is_empty(),
            Value::Hash(hash) => hash.is_empty(),
            Value::Set(set) => set.is_empty(),
            Value::ZSet(zset) => zset.is_empty(),
            // An empty stream is a value of its own (it keeps its last ID and groups).
            Value::Stream(_) => false,
        }
    }
}

/// One numbered database.
#[derive(Clone, Debug, Default)]
pub(crate) struct Db {
    keys: OrdMap<Value>,
    expires: HashMap<Vec<u8>, i64, ahash::RandomState>,
    /// Where the next `active_expire` sweep starts in the key order.
    sweep_from: usize,
    /// When the host asked for them (`MemoryHost::track_expired`): keys removed because their
    /// time came, until `take_expired` (a server touches the `WATCH`es on them).
    expired_log: Option<Vec<Vec<u8>>>,
}

impl Db {
    /// The number of keys, expired ones not yet removed included (as `DBSIZE`).
    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }

    /// Removes every key.
    pub(crate) fn clear(&mut self) {
        let log = self.expired_log.take();
        *self = Db::default();
        self.expired_log = log;
    }

    /// Starts (with an empty log) or stops logging expired keys.
    pub(crate) fn track_expired(&mut self, on: bool) {
        self.expired_log = on.then(Vec::new);
    }

    /// Whether [`Db::take_expired`] has keys to give.
    pub(crate) fn has_expired(&self) -> bool {
        self.expired_log.as_ref().is_some_and(|log| !log.is_empty())
    }

    /// The keys removed by expiry since the last call (none when not tracking).
    pub(crate) fn take_expired(&mut self) -> Vec<Vec<u8>> {
        self.expired_log
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// Removes `key`, whose time has come.
    fn remove_expired(&mut self, key: &[u8]) {
        self.remove(key);
        if let Some(log) = &mut self.expired_log {
            log.push(key.to_vec());
        }
    }

    /// Drops `key` if its expiry time is before `now` (Redis's `keyIsExpired`: a key lives
    /// through its expiry millisecond); tells whether it did.
    pub(crate) fn expire_if_needed(&mut self, key: &[u8], now: i64) -> bool {
        match self.expires.get(key) {
            Some(&when) if when < now => {
                self.remove_expired(key);
                true
            }
            _ => false,
        }
    }

    /// The live value under `key`.
    pub(crate) fn get(&mut self, key: &[u8], now: i64) -> Option<&Value> {
        self.expire_if_needed(key, now);
        self.keys.get(key)
    }

    /// The live value under `key`, mutably.
    pub(crate) fn get_mut(&mut self, key: &[u8], now: i64) -> Option<&mut Value> {
        self.expire_if_needed(key, now);
        self.keys.get_mut(key)
    }

    /// Whether `key` is live.
    pub(crate) fn contains(&mut self, key: &[u8], now: i64) -> bool {
        self.get(key, now).is_some()
    }

    /// Stores `value` under `key`, dropping any expiry time (as `SET` does).
    pub(crate) fn set(&mut self, key: &[u8], value: Value) {
        if !self.expires.is_empty() {
            self.expires.remove(key);
        }
        self.set_keep_ttl(key, value);
    }

    /// Stores `value` under `key`, keeping its expiry time.
    pub(crate) fn set_keep_ttl(&mut self, key: &[u8], value: Value) {
        // An existing key keeps its place (and its key allocation).
        match self.keys.get_mut(key) {
            Some(slot) => *slot = value,
            None => {
                self.keys.insert(key.to_vec(), value);
            }
        }
    }

    /// Removes `key` and its expiry time.
    pub(crate) fn remove(&mut self, key: &[u8]) -> Option<Value> {
        self.expires.remove(key);
        self.keys.remove(key)
    }

    /// Removes `key` if it holds an empty collection; tells whether it did.
    pub(crate) fn remove_if_empty(&mut self, key: &[u8]) -> bool {
        if self.keys.get(key).is_some_and(Value::is_empty_collection) {
            self.remove(key);
            true
        } else {
            false
        }
    }

    /// The expiry time of `key` (which must be live), if it has one.
    pub(crate) fn expire_at(&self, key: &[u8]) -> Option<i64> {
        self.expires.get(key).copied()
    }

    /// Sets the expiry time of an existing key.
    pub(crate) fn set_expire(&mut self, key: &[u8], when: i64) {
        if self.keys.contains(key) {
            self.expires.insert(key.to_vec(), when);
        }
    }

    /// Drops the expiry time of `key`; tells whether it had one.
    pub(crate) fn persist(&mut self, key: &[u8]) -> bool {
        self.expires.remove(key).is_some()
    }

    /// All keys, expired ones included, in insertion order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &Vec<u8>> {
        self.keys.keys()
    }

    /// Whether `key` is present and expired at `now` (without removing it).
    pub(crate) fn is_expired(&self, key: &[u8], now: i64) -> bool {
        self.expires.get(key).is_some_and(|&when| when < now)
    }

    /// A random live key, or `None` when the database has none.
    pub(crate) fn random_key(
        &mut self,
        now: i64,
        mut rand: impl FnMut() -> u64,
    ) -> Option<Vec<u8>> {
        // Like Redis, try a bounded number of times to find a key that is not expired,
        // deleting expired ones found on the way.
        while let Some((key, _)) = self.keys.random(&mut rand) {
            let key = key.clone();
            if !self.expire_if_needed(&key, now) {
                return Some(key);
            }
        }
        None
    }

    /// Checks up to `budget` keys that have an expiry time, removing the expired ones; returns
    /// how many it removed.
    pub(crate) fn active_expire(&mut self, now: i64, budget: usize) -> usize {
        if self.expires.is_empty() || budget == 0 {
            return 0;
        }
        let volatile: Vec<(Vec<u8>, i64)> = self
            .expires
            .iter()
            .skip(self.sweep_from % self.expires.len())
            .take(budget)
            .map(|(key, &when)| (key.clone(), when))
            .collect();
        self.sweep_from = self.sweep_from.wrapping_add(volatile.len());
        let mut removed = 0;
        for (key, when) in volatile {
            if when < now {
                self.remove_expired(&key);
                removed += 1;
            }
        }
        removed
    }
}
