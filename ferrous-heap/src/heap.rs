//! The [`Heap`]: all objects, the intern table, the byte counter and the collector.
//!
//! Objects are read and written through a [`HeapTransaction`] (`heap.tx()`), a plain `&mut`
//! borrow. The collector's entry points (`collect`, `step`) also take `&mut self`, so the borrow
//! checker guarantees that no collection happens while a transaction is open: handles held in
//! Rust locals stay valid for the whole transaction, and collections happen between
//! transactions, at the VM's safe points, with the roots the VM supplies.
//!
//! **Invariant:** the GC never runs while a transaction is open (enforced by `&mut`).

use crate::arena::Arena;
use crate::cells::{Cells, UpValuePlace};
use crate::gc::Collector;
use crate::memory::Memory;
use crate::names;
use crate::object::{Function, Prototype, Thread, UserData};
use crate::string::{Interner, LuaHashes, LuaString};
use crate::table::Table;
use crate::trace::Trace;
use crate::tx::HeapTransaction;

/// One arena per object kind.
#[derive(Debug)]
pub(crate) struct Objects {
    pub(crate) strings: Arena<LuaString>,
    /// 5.1's hash of each string, by slot (see `LuaHashes`).
    pub(crate) lua_hashes: LuaHashes,
    pub(crate) tables: Arena<Table>,
    pub(crate) functions: Arena<Function>,
    pub(crate) upvalues: Arena<UpValuePlace>,
    /// Closed upvalues' values.
    pub(crate) cells: Cells,
    pub(crate) protos: Arena<Prototype>,
    pub(crate) userdata: Arena<UserData>,
    pub(crate) threads: Arena<Thread>,
}

/// The garbage-collected heap of one Lua state.
#[derive(Debug)]
pub struct Heap {
    pub(crate) objects: Objects,
    pub(crate) interner: Interner,
    pub(crate) memory: Memory,
    pub(crate) gc: Collector,
    /// A reused buffer for building strings (`HeapTransaction::concat`).
    pub(crate) scratch: Vec<u8>,
}

impl Default for Heap {
    fn default() -> Self {
        Heap::new()
    }
}

impl Heap {
    /// An empty heap holding only the pre-interned [`names`](crate::names).
    pub fn new() -> Heap {
        Heap::with_hash_seed(0)
    }

    /// Like [`Heap::new`], with `seed` mixed into the intern table's string hash (to make hash
    /// flooding of the intern table harder for untrusted input; the default seed is fixed, for
    /// reproducible runs). Tables place string keys by 5.1's unseeded hash, as lua5.1 does, so
    /// their chains are as long as 5.1's for the same keys.
    pub fn with_hash_seed(seed: u64) -> Heap {
        let mut heap = Heap {
            objects: Objects {
                strings: Arena::new(),
                lua_hashes: LuaHashes::default(),
                tables: Arena::new(),
                functions: Arena::new(),
                upvalues: Arena::new(),
                cells: Cells::default(),
                protos: Arena::new(),
                userdata: Arena::new(),
                threads: Arena::new(),
            },
            interner: Interner::new(seed),
            memory: Memory::default(),
            gc: Collector::new(),
            scratch: Vec::new(),
        };
        for name in names::ALL {
            // No limit is set and the arena is small, so interning cannot fail; the names
            // tests check that each lands at its constant's slot.
            let _ = heap.interner.intern(
                &mut heap.objects.strings,
                &mut heap.objects.lua_hashes,
                &mut heap.memory,
                name,
            );
        }
        heap.gc
            .set_threshold(heap.memory.allocated(), heap.memory.limit());
        heap
    }

    /// Opens a transaction: the scope in which objects are read and written.
    #[inline]
    pub fn tx(&mut self) -> HeapTransaction<'_> {
        HeapTransaction { heap: self }
    }

    /// Runs a full collection cycle. Everything not reachable from `roots` (or pinned) is freed.
    pub fn collect(&mut self, roots: &dyn Trace) {
        let Heap {
            objects,
            interner,
            memory,
            gc,
            ..
        } = self;
        gc.full_cycle(objects, interner, memory, roots);
    }

    /// The next userdata whose `__gc` is due: unreachable at the last collection, kept alive
    /// until taken (see `finalize.rs`). The caller calls its metatable's `__gc` with it.
    pub fn next_finalizer(&mut self) -> Option<crate::UserDataHandle> {
        self.gc.finalizers.next()
    }

    /// Whether userdata wait for their `__gc`.
    #[inline]
    pub fn has_finalizers(&self) -> bool {
        self.gc.finalizers.pending()
    }

    /// Queues the `__gc` of every userdata not finalized yet, reachable or not, newest first
    /// (what 5.1 does when a state is closed).
    pub fn finalize_all(&mut self) {
        self.gc.finalizers.separate_all(&self.objects);
    }

    /// Does a step of collection work; returns true when a cycle finished. Steps are not
    /// incremental yet: each step runs a whole cycle (and so returns true).
    pub fn step(&mut self, roots: &dyn Trace) -> bool {
        self.collect(roots);
        true
    }

    /// Whether the allocation debt has reached the threshold (`pause`% of the bytes live after
    /// the last cycle) and the collector is not stopped. The VM checks this at its safe points.
    #[inline]
    pub fn should_collect(&self) -> bool {
        !self.gc.stopped && self.memory.allocated() >= self.gc.threshold
    }

    /// How many collection cycles have run. Objects are freed only by a cycle, so a handle
    /// valid when this read `n` stays valid while it still reads `n` (a library can cache
    /// handles, unrooted, for as long as no cycle runs).
    #[inline]
    pub fn cycles(&self) -> u64 {
        self.gc.cycles
    }

    /// Bytes currently charged for live (or not yet swept) objects.
    #[inline]
    pub fn bytes_allocated(&self) -> usize {
        self.memory.allocated()
    }

    /// `collectgarbage("count")`: the allocated bytes in kilobytes.
    pub fn count_kb(&self) -> f64 {
        self.memory.allocated() as f64 / 1024.0
    }

    /// The cap set by [`Heap::set_memory_limit`], if any.
    pub fn memory_limit(&self) -> Option<usize> {
        self.memory.limit()
    }

    /// Caps the allocated bytes: an allocation that would pass `limit` fails with
    /// `HeapError::OutOfMemory` and leaves the heap unchanged. `None` removes the cap.
    pub fn set_memory_limit(&mut self, limit: Option<usize>) {
        self.memory.set_limit(limit);
        let (live, threshold) = (self.memory.allocated(), self.gc.threshold);
        self.gc.set_threshold(live, limit);
        // Only ever lowered here: a cycle sets the paced threshold again.
        self.gc.threshold = self.gc.threshold.min(threshold);
    }

    /// `collectgarbage("setpause", pause)`; returns the previous value.
    pub fn set_pause(&mut self, pause: u32) -> u32 {
        std::mem::replace(&mut self.gc.pause, pause)
    }

    /// `collectgarbage("setstepmul", stepmul)`; returns the previous value. Kept for
    /// `collectgarbage`; it has no effect while steps run whole cycles.
    pub fn set_stepmul(&mut self, stepmul: u32) -> u32 {
        std::mem::replace(&mut self.gc.stepmul, stepmul)
    }

    /// `collectgarbage("stop")`: `should_collect` stays false until `restart`.
    pub fn stop(&mut self) {
        self.gc.stopped = true;
    }

    /// `collectgarbage("restart")`: as 5.1, the next safe point collects.
    pub fn restart(&mut self) {
        self.gc.stopped = false;
        self.gc.threshold = self.memory.allocated();
    }

    /// Starts the collector again, with the next cycle due when the allocated bytes reach
    /// `pause`% of the bytes allocated now (as after a cycle, without running one).
    pub fn restart_paced(&mut self) {
        self.gc.stopped = false;
        self.gc
            .set_threshold(self.memory.allocated(), self.memory.limit());
    }

    /// Whether the collector is running (not stopped).
    pub fn is_running(&self) -> bool {
        !self.gc.stopped
    }
}
