//! Recycled table buffers: the node vectors and array parts of swept tables, kept for the next
//! tables of the same size instead of going back to the allocator.
//!
//! A script that decodes a document on every call (`cjson.decode`, `cmsgpack.unpack`) makes
//! hundreds of small tables that the next collection frees; allocating and freeing their
//! buffers cost more than building them. Node vectors and array parts whose capacity is a
//! power of two up to [`MAX_LEN`] (what the builders and `resize` allocate) are kept here by
//! size, at most [`POOL_BYTES`] worth in all (each buffer counted with what holding it costs
//! besides its elements, [`BUFFER_OVERHEAD`]), and handed out again empty.
//!
//! **Invariant:** a buffer handed out is empty and has exactly the capacity asked for, so
//! every table still holds what it is charged for (`Memory` counts lengths; the pooled buffers
//! themselves are charged to nobody, like any freed memory).

use super::Node;
use crate::value::Value;

/// Buffers of up to this many elements are kept (log2: [`CLASSES`] - 1).
const MAX_LEN: usize = 1 << (CLASSES - 1);

/// Size classes: capacities 1, 2, 4, ..., [`MAX_LEN`].
const CLASSES: usize = 9;

/// The most bytes the kept buffers take, all classes and kinds together. (It was 128 KiB per
/// class and kind, elements only: small buffers, each its own allocation, could then number in
/// the thousands, and json.lua kept 350 KB of them through full collections, its peak RSS
/// 3.9 MB against 3.4-3.5 MB now. `msgpack10k` and `cjson10k` decode as fast with this bound.)
const POOL_BYTES: usize = 128 << 10;

/// What a kept buffer costs besides its elements: its `Vec` in the class list (24 bytes, and
/// as much again for the list's spare capacity) and the allocator's header and rounding (about
/// 16).
const BUFFER_OVERHEAD: usize = 64;

/// The recycled buffers, by kind and size class.
#[derive(Debug, Default)]
pub(crate) struct Pool {
    nodes: [Vec<Vec<Node>>; CLASSES],
    arrays: [Vec<Vec<Value>>; CLASSES],
    /// The bytes of the kept buffers, counted as [`POOL_BYTES`] counts them.
    bytes: usize,
}

/// What keeping a buffer of capacity `cap` costs against [`POOL_BYTES`].
#[inline]
fn cost<T>(cap: usize) -> usize {
    cap * size_of::<T>() + BUFFER_OVERHEAD
}

/// The size class of a buffer of capacity `cap`, if it has one.
#[inline]
fn class_of(cap: usize) -> Option<usize> {
    // `cap & (cap - 1)` rather than `is_power_of_two`, a software popcount on this target.
    (cap != 0 && cap & (cap - 1) == 0 && cap <= MAX_LEN).then(|| cap.trailing_zeros() as usize)
}

/// An empty buffer of capacity `len` from `classes`, if one is kept; `bytes` is the pool's count.
#[inline]
fn take<T>(classes: &mut [Vec<Vec<T>>; CLASSES], bytes: &mut usize, len: usize) -> Option<Vec<T>> {
    let mut buf = classes.get_mut(class_of(len)?)?.pop()?;
    *bytes = bytes.saturating_sub(cost::<T>(buf.capacity()));
    buf.clear();
    Some(buf)
}

/// Keeps `buf` in `classes` if it has a size class and the pool has room left.
#[inline]
fn give<T>(classes: &mut [Vec<Vec<T>>; CLASSES], bytes: &mut usize, buf: Vec<T>) {
    let cap = buf.capacity();
    let Some(class) = class_of(cap).and_then(|class| classes.get_mut(class)) else {
        return;
    };
    let kept = *bytes + cost::<T>(cap);
    if kept <= POOL_BYTES {
        *bytes = kept;
        class.push(buf);
    }
}

/// An empty buffer of capacity exactly `len`, from `pool` when it has one; `None` if the
/// allocation is refused.
#[inline]
fn alloc<T>(classes: &mut [Vec<Vec<T>>; CLASSES], bytes: &mut usize, len: usize) -> Option<Vec<T>> {
    if let Some(buf) = take(classes, bytes, len) {
        return Some(buf);
    }
    let mut buf = Vec::new();
    buf.try_reserve_exact(len).ok()?;
    Some(buf)
}

impl Pool {
    /// An empty node vector with room for exactly `len` nodes; `None` if refused.
    #[inline]
    pub(crate) fn nodes(&mut self, len: usize) -> Option<Vec<Node>> {
        alloc(&mut self.nodes, &mut self.bytes, len)
    }

    /// An empty array part with room for exactly `len` values; `None` if refused.
    #[inline]
    pub(crate) fn array(&mut self, len: usize) -> Option<Vec<Value>> {
        alloc(&mut self.arrays, &mut self.bytes, len)
    }

    /// Gives `array` room for exactly `len` values (more than it holds), keeping its values:
    /// a pooled buffer when `len` has a size class (a constructor's `SETLIST` after `{...}`,
    /// a small array grown by appends), the old one given back; otherwise the allocator's
    /// reallocation, which can grow a large block in place (a pooled copy made `array.lua`
    /// run 5.6% more instructions). False if the allocation is refused.
    pub(crate) fn grow_array(&mut self, array: &mut Vec<Value>, len: usize) -> bool {
        if class_of(len).is_none() {
            return array.try_reserve_exact(len - array.len()).is_ok();
        }
        let Some(mut grown) = self.array(len) else {
            return false;
        };
        grown.extend_from_slice(array);
        self.give_array(std::mem::replace(array, grown));
        true
    }

    /// Takes back a node vector no table uses any more.
    #[inline]
    pub(crate) fn give_nodes(&mut self, nodes: Vec<Node>) {
        give(&mut self.nodes, &mut self.bytes, nodes);
    }

    /// Takes back an array part no table uses any more.
    #[inline]
    pub(crate) fn give_array(&mut self, array: Vec<Value>) {
        give(&mut self.arrays, &mut self.bytes, array);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffers_come_back_empty_with_the_asked_capacity() {
        let mut pool = Pool::default();
        let mut nodes = pool.nodes(8).expect("small");
        assert_eq!(nodes.capacity(), 8);
        nodes.resize(8, Node::FREE);
        pool.give_nodes(nodes);
        let again = pool.nodes(8).expect("pooled");
        assert!(again.is_empty());
        assert_eq!(again.capacity(), 8);
        // Other sizes are not served from another class, and odd capacities are not kept.
        assert_eq!(pool.nodes(4).expect("new").capacity(), 4);
        pool.give_array(Vec::with_capacity(3));
        assert!(pool.arrays.iter().all(Vec::is_empty));
    }

    #[test]
    fn grown_arrays_keep_their_values_and_give_the_old_buffer_back() {
        let mut pool = Pool::default();
        let mut array = pool.array(2).expect("small");
        array.extend([Value::Number(1.0), Value::Boolean(true)]);
        // To a size class: a pooled buffer of exactly that capacity; the old one is kept.
        assert!(pool.grow_array(&mut array, 4));
        assert_eq!(array, [Value::Number(1.0), Value::Boolean(true)]);
        assert_eq!(array.capacity(), 4);
        assert_eq!(pool.array(2).expect("pooled").capacity(), 2);
        assert!(pool.arrays.iter().all(Vec::is_empty));
        // Past the classes (or to an odd size): the allocator's growth, nothing kept.
        array.resize(4, Value::Nil);
        assert!(pool.grow_array(&mut array, MAX_LEN + 3));
        assert_eq!(array.len(), 4);
        assert_eq!(array[0], Value::Number(1.0));
        assert!(array.capacity() >= MAX_LEN + 3);
        assert!(pool.arrays.iter().all(Vec::is_empty));
        let mut empty = Vec::new();
        assert!(pool.grow_array(&mut empty, 3));
        assert_eq!(empty.capacity(), 3);
    }

    #[test]
    fn the_pool_is_bounded_in_all() {
        let mut pool = Pool::default();
        for cap in [1, 2, MAX_LEN] {
            for _ in 0..100_000 {
                pool.give_array(Vec::with_capacity(cap));
                pool.give_nodes(Vec::with_capacity(cap));
            }
        }
        fn kept<T>(classes: &[Vec<Vec<T>>; CLASSES]) -> usize {
            classes
                .iter()
                .flatten()
                .map(|b| cost::<T>(b.capacity()))
                .sum()
        }
        assert_eq!(kept(&pool.arrays) + kept(&pool.nodes), pool.bytes);
        assert!(pool.bytes <= POOL_BYTES && pool.bytes > POOL_BYTES - cost::<Node>(MAX_LEN));
        // Taking a buffer gives its room back.
        let before = pool.bytes;
        assert!(pool.array(1).is_some_and(|b| b.capacity() == 1));
        assert_eq!(pool.bytes, before - cost::<Value>(1));
    }
}
