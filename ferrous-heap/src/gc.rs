//! The collector: non-recursive mark and sweep.
//!
//! A cycle marks the pinned names and the caller's roots, then drains the gray stack
//! ([`Collector::propagate`]): each popped object reports its references to a [`Tracer`],
//! which marks them and pushes the newly marked ones. Nothing recurses, so a chain of a million
//! nested tables costs a million gray-stack pushes, not a million Rust frames. Tables whose
//! metatable has `__mode` containing `k` and/or `v` are weak: their weak side is not traced, and
//! after propagation the entries whose weak key or value is unmarked get a nil value (strings
//! count as values, never cleared, as in 5.1's `iscleared`). Finally every arena is swept,
//! releasing each freed object's bytes (and dropping each freed string from the intern table).
//! A sweep visits only the dead objects (see `arena.rs`), so a cycle costs the live objects'
//! marking plus the dead objects' freeing, nothing per live object in the sweep.
//!
//! The gray stack and the marks live in the heap and `propagate` takes a work budget, so
//! marking can become incremental; that would also need write barriers in the transaction's
//! write paths. Today every cycle runs to completion (`Heap::step` runs a whole cycle), which is
//! why no barrier is needed: the GC needs `&mut Heap`, so it never overlaps a transaction.
//!
//! **Invariant:** between cycles all mark bits are clear and the gray stack is empty.
//! **Invariant:** the pinned names (slots `0..names::ALL.len()` of the strings arena) are marked
//! by every cycle, so they are never freed.

use crate::arena::MarkBits;
use crate::cells::{UPVALUE_SIZE, UpValuePlace};
use crate::finalize::Finalizers;
use crate::handle::{
    FunctionHandle, ProtoHandle, StringHandle, TableHandle, ThreadHandle, UpValueHandle,
    UserDataHandle,
};
use crate::heap::Objects;
use crate::memory::Memory;
use crate::names;
use crate::string::Interner;
use crate::table::Table;
use crate::trace::{Trace, Tracer};
use crate::value::Value;

/// An object whose references have not been traced yet.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Gray {
    Table(TableHandle),
    Function(FunctionHandle),
    UpValue(UpValueHandle),
    Proto(ProtoHandle),
    UserData(UserDataHandle),
    Thread(ThreadHandle),
}

/// One mark bitmap per arena.
#[derive(Debug, Default)]
pub(crate) struct Marks {
    pub(crate) strings: MarkBits,
    pub(crate) tables: MarkBits,
    pub(crate) functions: MarkBits,
    pub(crate) upvalues: MarkBits,
    pub(crate) protos: MarkBits,
    pub(crate) userdata: MarkBits,
    pub(crate) threads: MarkBits,
}

/// Which sides of a table are weak.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct WeakMode {
    pub(crate) keys: bool,
    pub(crate) values: bool,
}

/// 5.1's default `setpause` and `setstepmul`.
pub(crate) const DEFAULT_PAUSE: u32 = 200;
pub(crate) const DEFAULT_STEPMUL: u32 = 200;

/// The collector's state.
#[derive(Debug)]
pub(crate) struct Collector {
    pub(crate) marks: Marks,
    pub(crate) gray: Vec<Gray>,
    weak: Vec<(TableHandle, WeakMode)>,
    /// Collect when the allocated bytes reach this.
    pub(crate) threshold: usize,
    pub(crate) pause: u32,
    pub(crate) stepmul: u32,
    pub(crate) stopped: bool,
    /// Reused buffers for clearing weak tables.
    dead_slots: Vec<usize>,
    dead_entries: Vec<usize>,
    /// Userdata finalizers (`finalize.rs`).
    pub(crate) finalizers: Finalizers,
    /// Cycles run so far.
    pub(crate) cycles: u64,
}

impl Collector {
    pub(crate) fn new() -> Collector {
        Collector {
            marks: Marks::default(),
            gray: Vec::new(),
            weak: Vec::new(),
            threshold: 0,
            pause: DEFAULT_PAUSE,
            stepmul: DEFAULT_STEPMUL,
            stopped: false,
            dead_slots: Vec::new(),
            dead_entries: Vec::new(),
            finalizers: Finalizers::default(),
            cycles: 0,
        }
    }

    /// Sets the next threshold from the live bytes, as 5.1's `setthreshold`; under a memory
    /// cap, no higher than halfway from the live bytes to the cap. Without that bound a cycle
    /// run while a script held much live data set a threshold above the cap: once that data
    /// was garbage nothing collected it, and every allocation failed with `not enough memory`.
    pub(crate) fn set_threshold(&mut self, live: usize, limit: Option<usize>) {
        let paced = (live / 100).saturating_mul(self.pause as usize);
        self.threshold = match limit {
            Some(limit) => paced.min(live + limit.saturating_sub(live) / 2),
            None => paced,
        };
    }

    /// Runs one whole cycle.
    pub(crate) fn full_cycle(
        &mut self,
        objects: &mut Objects,
        interner: &mut Interner,
        memory: &mut Memory,
        roots: &dyn Trace,
    ) {
        self.cycles = self.cycles.wrapping_add(1);
        self.mark_roots(objects, roots);
        while !self.propagate(objects, usize::MAX) {}
        // Unreachable userdata with `__gc` live one more cycle, with all they reference.
        let mut tracer = Tracer {
            objects,
            marks: &mut self.marks,
            gray: &mut self.gray,
        };
        if self.finalizers.separate(&mut tracer) > 0 {
            while !self.propagate(objects, usize::MAX) {}
        }
        self.clear_weak(objects);
        self.sweep(objects, interner, memory);
        self.finalizers.forget_dead(objects);
        self.set_threshold(memory.allocated(), memory.limit());
    }

    fn mark_roots(&mut self, objects: &Objects, roots: &dyn Trace) {
        for slot in 0..names::ALL.len() {
            self.marks.strings.set(slot);
        }
        let mut tracer = Tracer {
            objects,
            marks: &mut self.marks,
            gray: &mut self.gray,
        };
        roots.trace(&mut tracer);
        self.finalizers.mark_queue(&mut tracer);
    }

    /// Traces up to `budget` gray objects; returns true when the gray stack is empty.
    pub(crate) fn propagate(&mut self, objects: &Objects, budget: usize) -> bool {
        for _ in 0..budget {
            let Some(gray) = self.gray.pop() else {
                return true;
            };
            let mut tracer = Tracer {
                objects,
                marks: &mut self.marks,
                gray: &mut self.gray,
            };
            match gray {
                Gray::Table(handle) => {
                    if let Some(table) = objects.tables.get(handle.raw()) {
                        let mode = trace_table(table, &mut tracer);
                        if mode != WeakMode::default() {
                            self.weak.push((handle, mode));
                        }
                    }
                }
                Gray::Function(handle) => {
                    if let Some(function) = objects.functions.get(handle.raw()) {
                        function.trace_children(&mut tracer);
                    }
                }
                Gray::UpValue(handle) => match objects.upvalues.get(handle.raw()) {
                    Some(&UpValuePlace::Open { thread, .. }) => tracer.thread(thread),
                    Some(&UpValuePlace::Closed(cell)) => {
                        if let Some(&value) = objects.cells.get(cell) {
                            tracer.value(value);
                        }
                    }
                    None => {}
                },
                Gray::Proto(handle) => {
                    if let Some(proto) = objects.protos.get(handle.raw()) {
                        proto.trace_children(&mut tracer);
                    }
                }
                Gray::UserData(handle) => {
                    if let Some(userdata) = objects.userdata.get(handle.raw()) {
                        userdata.trace_children(&mut tracer);
                    }
                }
                Gray::Thread(handle) => {
                    if let Some(thread) = objects.threads.get(handle.raw()) {
                        thread.trace_children(&mut tracer);
                    }
                }
            }
        }
        self.gray.is_empty()
    }

    /// Gives a nil value to every entry of a weak table whose weak side did not survive.
    fn clear_weak(&mut self, objects: &mut Objects) {
        for (handle, mode) in std::mem::take(&mut self.weak) {
            let Some(table) = objects.tables.get(handle.raw()) else {
                continue;
            };
            self.dead_slots.clear();
            self.dead_entries.clear();
            if mode.values {
                for (idx, value) in table.array().iter().enumerate() {
                    if is_cleared(objects, &mut self.marks, *value)
                        || self.finalizers.is_finalized(*value)
                    {
                        self.dead_slots.push(idx);
                    }
                }
            }
            for (pos, entry) in table.nodes().iter().enumerate() {
                if entry.value != Value::Nil
                    && ((mode.keys && is_cleared(objects, &mut self.marks, entry.key))
                        || (mode.values
                            && (is_cleared(objects, &mut self.marks, entry.value)
                                || self.finalizers.is_finalized(entry.value))))
                {
                    self.dead_entries.push(pos);
                }
            }
            if let Some(table) = objects.tables.get_mut(handle.raw()) {
                table.clear_weak(&self.dead_slots, &self.dead_entries);
            }
        }
    }

    /// Frees everything unmarked and resets the marks (each arena's sweep clears its own).
    /// The intern table drops the freed strings one by one when they are few (most cycles
    /// free no string at all), or in one pass over the table when they are many.
    fn sweep(&mut self, objects: &mut Objects, interner: &mut Interner, memory: &mut Memory) {
        let marks = &mut self.marks;
        let dead_strings = objects.strings.count_unmarked(&marks.strings);
        let one_by_one = dead_strings.saturating_mul(4) < interner.len();
        if !one_by_one {
            interner.prune(&marks.strings);
        }
        objects.strings.sweep(&mut marks.strings, |raw, s| {
            if one_by_one {
                interner.forget(StringHandle(raw), s.hash);
            }
            memory.release(s.heap_size());
        });
        objects.tables.sweep(&mut marks.tables, |_, t| {
            memory.release(t.heap_size());
            t.recycle(&mut memory.pool);
        });
        objects
            .functions
            .sweep(&mut marks.functions, |_, f| memory.release(f.heap_size()));
        let cells = &mut objects.cells;
        objects.upvalues.sweep(&mut marks.upvalues, |_, place| {
            if let UpValuePlace::Closed(cell) = place {
                cells.release(cell);
            }
            memory.release(UPVALUE_SIZE);
        });
        objects
            .protos
            .sweep(&mut marks.protos, |_, p| memory.release(p.heap_size()));
        objects
            .userdata
            .sweep(&mut marks.userdata, |_, u| memory.release(u.heap_size()));
        objects
            .threads
            .sweep(&mut marks.threads, |_, t| memory.release(t.heap_size()));
    }
}

/// Traces a table's metatable and strong sides; returns its weak mode.
fn trace_table(table: &Table, tracer: &mut Tracer<'_>) -> WeakMode {
    let mode = match table.metatable {
        Some(metatable) => {
            tracer.table(metatable);
            weak_mode(tracer.objects, metatable)
        }
        None => WeakMode::default(),
    };
    if !mode.values {
        tracer.values(table.array());
    }
    for entry in table.nodes() {
        if entry.value == Value::Nil {
            continue; // A dead key (or a free node) keeps nothing alive, as in 5.1.
        }
        if !mode.keys {
            tracer.value_inline(entry.key);
        }
        if !mode.values {
            tracer.value_inline(entry.value);
        }
    }
    mode
}

/// The weak mode a metatable's `__mode` field asks for (read as a C string, like 5.1's `strchr`).
fn weak_mode(objects: &Objects, metatable: TableHandle) -> WeakMode {
    let Some(metatable) = objects.tables.get(metatable.raw()) else {
        return WeakMode::default();
    };
    let Value::String(mode) = metatable.get_str(names::MODE, &objects.lua_hashes) else {
        return WeakMode::default();
    };
    let Some(mode) = objects.strings.get(mode.raw()) else {
        return WeakMode::default();
    };
    let c_str = mode.bytes().split(|b| *b == 0).next().unwrap_or_default();
    WeakMode {
        keys: c_str.contains(&b'k'),
        values: c_str.contains(&b'v'),
    }
}

/// 5.1's `iscleared`: whether a weak reference to `value` must go. Strings are values here:
/// they are marked (kept) instead.
fn is_cleared(objects: &Objects, marks: &mut Marks, value: Value) -> bool {
    match value {
        Value::Nil | Value::Boolean(_) | Value::Number(_) | Value::NativeFunction(_) => false,
        Value::String(handle) => {
            if objects.strings.contains(handle.raw()) {
                marks.strings.set(handle.raw().index());
            }
            false
        }
        Value::Table(h) => !(marks.tables.get(h.raw().index()) && objects.tables.contains(h.raw())),
        Value::Function(h) => {
            !(marks.functions.get(h.raw().index()) && objects.functions.contains(h.raw()))
        }
        Value::UserData(h) => {
            !(marks.userdata.get(h.raw().index()) && objects.userdata.contains(h.raw()))
        }
        Value::Thread(h) => {
            !(marks.threads.get(h.raw().index()) && objects.threads.contains(h.raw()))
        }
    }
}
