//! [`NameIndex`]: command names to positions in a table, any case, for the lookups that run
//! for every command and every `redis.call` (the command table's and the in-memory host's).
//!
//! Names of up to 15 bytes, nearly all of them, are one number ([`short_key`]: the lowercased
//! bytes and the length) in a table hashed by a multiplication; longer ones are looked up by
//! their lowercased bytes with FNV-1a. The indexes hold fixed sets of names, so probing them
//! with names an attacker picks cannot degrade them, and a seeded hash buys nothing.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Command names to their positions in a table.
pub(crate) struct NameIndex {
    short: HashMap<u128, usize, BuildHasherDefault<ShortHasher>>,
    long: HashMap<&'static [u8], usize, BuildHasherDefault<NameHasher>>,
}

impl NameIndex {
    /// The index of `names` (lowercase), by position.
    pub(crate) fn new(names: impl Iterator<Item = &'static str>) -> NameIndex {
        let mut index = NameIndex {
            short: HashMap::default(),
            long: HashMap::default(),
        };
        for (i, name) in names.enumerate() {
            match short_key(name.as_bytes()) {
                Some(key) => index.short.insert(key, i),
                None => index.long.insert(name.as_bytes(), i),
            };
        }
        index
    }

    /// The position of the name `name`, any case.
    #[inline]
    pub(crate) fn get(&self, name: &[u8]) -> Option<usize> {
        if let Some(key) = short_key(name) {
            return self.short.get(&key).copied();
        }
        let mut buf = [0u8; 32];
        let lower = buf.get_mut(..name.len())?;
        for (dst, src) in lower.iter_mut().zip(name) {
            *dst = src.to_ascii_lowercase();
        }
        self.long.get(&*lower).copied()
    }
}

/// A name of at most 15 bytes as one number: its bytes lowercased in the low 15 bytes
/// (zero-padded), its length in the top one, so that no two names share a key.
#[inline]
fn short_key(name: &[u8]) -> Option<u128> {
    let len = u8::try_from(name.len()).ok().filter(|len| *len < 16)?;
    let mut buf = [0u8; 16];
    for (dst, src) in buf.iter_mut().zip(name) {
        *dst = src.to_ascii_lowercase();
    }
    if let Some(last) = buf.last_mut() {
        *last = len;
    }
    Some(u128::from_le_bytes(buf))
}

/// The hasher of the short names: the key's halves folded, multiplied and folded again.
#[derive(Default)]
struct ShortHasher(u64);

impl Hasher for ShortHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    /// Not used by the `u128` keys; FNV-1a for completeness.
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv1a(self.0, bytes);
    }

    fn write_u128(&mut self, n: u128) {
        let folded = (n as u64) ^ ((n >> 64) as u64).rotate_left(29);
        let h = folded.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        // The table picks buckets by the low bits: fold the well-mixed high ones down.
        self.0 = h ^ (h >> 32);
    }
}

/// The hasher of the long names: FNV-1a, a few instructions per byte.
struct NameHasher(u64);

impl Default for NameHasher {
    fn default() -> NameHasher {
        NameHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for NameHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv1a(self.0, bytes);
    }

    /// A slice's length prefix, in one step rather than eight.
    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0 ^ n as u64).wrapping_mul(FNV_PRIME);
    }
}

/// FNV-1a's 64-bit prime.
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// FNV-1a over `bytes`, continuing from `hash`.
fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(hash, |h, &b| (h ^ u64::from(b)).wrapping_mul(FNV_PRIME))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_found_in_any_case_and_only_whole() {
        let index = NameIndex::new(["get", "set", "georadiusbymember_ro"].into_iter());
        assert_eq!(index.get(b"GET"), Some(0));
        assert_eq!(index.get(b"sEt"), Some(1));
        assert_eq!(index.get(b"GEORADIUSBYMEMBER_RO"), Some(2));
        for absent in [&b"ge"[..], b"get\0", b"", b"gets", b"georadiusbymember_r"] {
            assert_eq!(index.get(absent), None);
        }
        assert_eq!(index.get(&[b'x'; 40]), None);
    }
}
