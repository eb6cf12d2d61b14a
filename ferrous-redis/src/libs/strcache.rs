//! The strings a decoder interned lately, by a cheap hash of their bytes: a document repeats
//! its object keys (`"id"`, `"name"`, ... once per record) and many short values, and finding
//! such a string here (a few byte reads, one handle lookup, one short comparison) costs a
//! fraction of interning it again (hashing every byte, probing the intern table).
//!
//! [`StrCache`] is direct-mapped: each slot holds the handle last interned there. It holds no
//! Lua value alive and needs no clearing: a hit is checked through `Vm::str_bytes`, which
//! refuses a handle whose string was collected (its slot reused under another generation),
//! and compares the bytes, so a slot answers only with the live string of exactly those bytes
//! (interning makes it the only one). The cache can therefore stay in a library's app data
//! from call to call.

use ferrous_heap::StringHandle;
use ferrous_vm::{Result, Vm};

/// Slots in the cache (a power of two).
const SLOTS: usize = 256;

/// Longer strings are interned directly (they are rarely repeated keys, and comparing them
/// costs more).
const MAX_LEN: usize = 24;

/// Recently interned short strings, by [`slot_of`] their bytes.
pub(crate) struct StrCache {
    slots: Box<[Option<StringHandle>; SLOTS]>,
}

impl Default for StrCache {
    fn default() -> Self {
        StrCache {
            slots: Box::new([None; SLOTS]),
        }
    }
}

/// The slot of `bytes` (at most [`MAX_LEN`] of them): their length and the bytes at both ends
/// and in the middle, mixed.
#[inline(always)]
fn slot_of(bytes: &[u8]) -> usize {
    let len = bytes.len();
    let at = |i: usize| u64::from(bytes.get(i).copied().unwrap_or(0));
    let h = len as u64
        | at(0) << 8
        | at(1) << 16
        | at(len / 2) << 24
        | at(len.wrapping_sub(2)) << 32
        | at(len.wrapping_sub(1)) << 40;
    (h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as usize % SLOTS
}

/// `a == b` for short strings, byte by byte (no `memcmp` call).
#[inline(always)]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

impl StrCache {
    /// The string with these bytes, interned (`Vm::intern`), from the cache when it was
    /// interned lately.
    #[inline]
    pub(crate) fn intern(&mut self, vm: &mut Vm, bytes: &[u8]) -> Result<StringHandle> {
        if bytes.len() > MAX_LEN {
            return vm.intern(bytes);
        }
        let idx = slot_of(bytes);
        if let Some(Some(handle)) = self.slots.get(idx) {
            if vm
                .str_bytes(*handle)
                .is_ok_and(|cached| same_bytes(cached, bytes))
            {
                return Ok(*handle);
            }
        }
        self.miss(vm, bytes, idx)
    }

    /// Interns `bytes` and remembers the string in slot `idx`.
    #[inline(never)]
    fn miss(&mut self, vm: &mut Vm, bytes: &[u8], idx: usize) -> Result<StringHandle> {
        let handle = vm.intern(bytes)?;
        if let Some(slot) = self.slots.get_mut(idx) {
            *slot = Some(handle);
        }
        Ok(handle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_give_the_interned_string() {
        let mut vm = Vm::builder().build();
        let mut cache = StrCache::default();
        let a = cache.intern(&mut vm, b"name").unwrap();
        let b = cache.intern(&mut vm, b"name").unwrap();
        let direct = vm.intern(b"name").unwrap();
        assert_eq!(a, b);
        assert_eq!(a, direct);
        let long = [b'x'; 40];
        let l = cache.intern(&mut vm, &long).unwrap();
        assert_eq!(vm.str_bytes(l).ok(), Some(&long[..]));
    }

    #[test]
    fn colliding_and_collected_strings_are_not_confused() {
        let mut vm = Vm::builder().build();
        let mut cache = StrCache::default();
        // Many strings, so that some share a slot: each still gets its own bytes back.
        for round in 0..2 {
            for i in 0..2000 {
                let text = format!("k{i}");
                let s = cache
                    .intern(&mut vm, text.as_bytes())
                    .unwrap();
                assert_eq!(vm.str_bytes(s).ok(), Some(text.as_bytes()));
            }
            if round == 0 {
                // Nothing holds the strings: a collection frees them, and the cached handles
                // go stale.
                vm.collect_garbage();
            }
        }
    }
}
