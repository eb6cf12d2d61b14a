//! The strings a decoder interned lately, by their bytes: a document repeats its object keys
//! (`"id"`, `"name"`, ... once per record) and many short values, and finding such a string
//! here (two word loads, one multiplication, one comparison) costs a fraction of interning it
//! again (hashing every byte, probing the intern table, comparing the bytes).
//!
//! [`StrCache`] is two-way set-associative (a string found in neither way replaces the first,
//! whose entry moves to the second) and holds strings of up to [`MAX_LEN`] bytes, each entry
//! keyed by the string's length and its bytes as two zero-padded words, so a key match is a
//! byte match. It holds nothing alive: a handle is known valid while no collection runs, so
//! each entry remembers the `Heap::cycles` count it was last seen valid at, and an entry from
//! before the latest cycle is checked once (`Vm::str_bytes` refuses the handle of a collected
//! string; the bytes are compared) before it is trusted again.

use ferrous_heap::StringHandle;
use ferrous_vm::{Result, Vm};

/// Slots in the cache (a power of two).
const SLOTS: usize = 512;

/// Longer strings are interned directly.
const MAX_LEN: usize = 16;

/// One remembered string.
#[derive(Clone, Copy)]
struct Entry {
    /// Its bytes, zero-padded (see [`words`]).
    words: [u64; 2],
    len: usize,
    handle: StringHandle,
    /// `Heap::cycles` when the handle was last known valid.
    cycles: u64,
}

/// Recently interned short strings, by [`set_of`] their bytes: set `i` is slots `2i` and
/// `2i + 1`.
pub(crate) struct StrCache {
    slots: Box<[Option<Entry>; SLOTS]>,
}

impl Default for StrCache {
    fn default() -> Self {
        StrCache {
            slots: Box::new([None; SLOTS]),
        }
    }
}

/// The little-endian word of the 8 bytes of `data` at `at`, if there are 8.
#[inline(always)]
fn word_at(data: &[u8], at: usize) -> Option<u64> {
    let bytes: [u8; 8] = data.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(bytes))
}

/// For a string of `len` bytes (the index), the masks of its bytes in its two words.
const MASKS: [[u64; 2]; MAX_LEN + 1] = {
    let mut masks = [[0u64; 2]; MAX_LEN + 1];
    let mut len = 1;
    while len <= MAX_LEN {
        masks[len] = if len <= 8 {
            [u64::MAX >> (64 - 8 * len), 0]
        } else {
            [u64::MAX, u64::MAX >> (64 - 8 * (len - 8))]
        };
        len += 1;
    }
    masks
};

/// Bytes `start..end` of `data` (at most [`MAX_LEN`] of them) as two zero-padded little-endian
/// words: read in place when `data` has 16 bytes from `start`, else through a padded copy.
#[inline(always)]
fn words(data: &[u8], start: usize, end: usize) -> Option<[u64; 2]> {
    let [m0, m1] = *MASKS.get(end.checked_sub(start)?)?;
    if let Some(chunk) = data.get(start..start.wrapping_add(16)) {
        let (w0, w1) = chunk.split_at(8);
        let w0 = u64::from_le_bytes(w0.try_into().ok()?);
        let w1 = u64::from_le_bytes(w1.try_into().ok()?);
        return Some([w0 & m0, w1 & m1]);
    }
    let mut padded = [0u8; 16];
    let bytes = data.get(start..end)?;
    padded.get_mut(..bytes.len())?.copy_from_slice(bytes);
    Some([word_at(&padded, 0)?, word_at(&padded, 8)?])
}

/// The set of a string of `len` bytes whose words are `words`.
#[inline(always)]
fn set_of(words: [u64; 2], len: usize) -> usize {
    let x = words[0].wrapping_add(words[1].rotate_left(23)) ^ len as u64;
    let h = (x ^ (x >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> 40) as usize % (SLOTS / 2)
}

impl StrCache {
    /// The string of bytes `start..end` of `data`, interned (`Vm::intern`), from the cache
    /// when it was interned lately (since the last collection). Always inlined: the hit
    /// path is a few instructions, and a call frame cost as much again.
    #[inline(always)]
    pub(crate) fn intern(
        &mut self,
        vm: &mut Vm,
        data: &[u8],
        start: usize,
        end: usize,
    ) -> Result<StringHandle> {
        let Some(words) = words(data, start, end) else {
            return vm.intern(data.get(start..end).unwrap_or_default());
        };
        let cycles = vm.heap().cycles();
        let len = end - start;
        let set = set_of(words, len) * 2;
        for way in [set, set + 1] {
            if let Some(Some(entry)) = self.slots.get(way) {
                if entry.words == words && entry.len == len && entry.cycles == cycles {
                    return Ok(entry.handle);
                }
            }
        }
        let bytes = data.get(start..end).unwrap_or_default();
        self.miss(vm, bytes, words, set, cycles)
    }

    /// Finds the string in set `set` (still valid after a collection), or interns it and puts
    /// it first there, as valid at `cycles`.
    #[inline(never)]
    fn miss(
        &mut self,
        vm: &mut Vm,
        bytes: &[u8],
        words: [u64; 2],
        set: usize,
        cycles: u64,
    ) -> Result<StringHandle> {
        let Some([first, second]) = self.slots.get_mut(set..set + 2) else {
            return vm.intern(bytes);
        };
        for entry in [&mut *first, &mut *second].into_iter().flatten() {
            if entry.words == words
                && entry.len == bytes.len()
                && vm.str_bytes(entry.handle).is_ok_and(|live| live == bytes)
            {
                entry.cycles = cycles;
                return Ok(entry.handle);
            }
        }
        let handle = vm.intern(bytes)?;
        *second = first.take();
        *first = Some(Entry {
            words,
            len: bytes.len(),
            handle,
            cycles,
        });
        Ok(handle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn intern(
        cache: &mut StrCache,
        vm: &mut Vm,
        data: &[u8],
        start: usize,
        end: usize,
    ) -> StringHandle {
        cache.intern(vm, data, start, end).unwrap()
    }

    #[test]
    fn hits_give_the_interned_string() {
        let mut vm = Vm::builder().build();
        let mut cache = StrCache::default();
        let data = b"xx\"name\":1, \"a longer key, past sixteen\"";
        let a = intern(&mut cache, &mut vm, data, 3, 7);
        let b = intern(&mut cache, &mut vm, b"name", 0, 4);
        assert_eq!(a, b);
        assert_eq!(a, vm.intern(b"name").unwrap());
        let end = data.len() - 1;
        let l = intern(&mut cache, &mut vm, data, 13, end);
        assert_eq!(vm.str_bytes(l).ok(), Some(&data[13..end]));
        // Near the end of the data (no 16 bytes to read in place), and empty.
        let s = intern(&mut cache, &mut vm, data, end - 7, end);
        assert_eq!(vm.str_bytes(s).ok(), Some(&b"sixteen"[..]));
        let e = intern(&mut cache, &mut vm, data, end, end);
        assert_eq!(vm.str_bytes(e).ok(), Some(&b""[..]));
    }

    #[test]
    fn colliding_and_collected_strings_are_not_confused() {
        let mut vm = Vm::builder().build();
        let mut cache = StrCache::default();
        // Many strings, so that some share a slot, of every length up to 17, some differing
        // only past the eighth byte: each gets its own bytes back.
        for round in 0..2 {
            for i in 0..2000 {
                let text = format!("{:0>width$}", i, width = i % 18);
                let padded = format!("{text}{}", "!".repeat(i % 20));
                for data in [text.as_bytes(), padded.as_bytes()] {
                    let s = intern(&mut cache, &mut vm, data, 0, text.len());
                    assert_eq!(vm.str_bytes(s).ok(), Some(text.as_bytes()));
                }
            }
            if round == 0 {
                // Nothing holds the strings: a collection frees them, and the cache forgets
                // them.
                vm.collect_garbage();
            }
        }
    }
}
