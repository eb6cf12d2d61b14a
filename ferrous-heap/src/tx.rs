//! [`HeapTransaction`]: the scope through which every object is created, read and written.
//!
//! A transaction is a plain `&mut Heap` borrow: reads see earlier writes at once, nothing is
//! queued, and dropping it commits nothing because there is nothing to commit. While it exists
//! the collector cannot run, so every handle that was valid when it opened stays valid.
//! Every accessor validates its handle and returns `HeapError::StaleHandle` instead of panicking.
//! The read accessors delegate to the shared reads on `&Heap` (`read.rs`).
//! The table accessors here are the VM's hot path: they are `#[inline]`, allocate nothing on
//! reads, and compare string keys by handle.

use crate::arena::{Arena, RawHandle};
use crate::cells::{UPVALUE_SIZE, UpValueCell, UpValuePlace};
use crate::error::{HeapError, Result};
use crate::handle::{
    FunctionHandle, ProtoHandle, StringHandle, TableHandle, ThreadHandle, UpValueHandle,
    UserDataHandle,
};
use crate::heap::Heap;
use crate::memory::Memory;
use crate::meta::MetaEvent;
use crate::object::{Function, Prototype, Thread, UpValue, UserData};
use crate::string::LuaHashes;
use crate::table::{Table, TableLayout};
use crate::value::Value;

/// Exclusive, scoped access to the heap's objects.
#[derive(Debug)]
pub struct HeapTransaction<'h> {
    pub(crate) heap: &'h mut Heap,
}

/// Charges `size` bytes and stores `value`; on failure nothing is charged.
fn alloc<T>(arena: &mut Arena<T>, memory: &mut Memory, value: T, size: usize) -> Result<RawHandle> {
    memory.charge(size)?;
    arena.insert(value).inspect_err(|_| memory.release(size))
}

impl HeapTransaction<'_> {
    /// The table and the byte counter, borrowed together for writes that may grow the table.
    #[inline]
    fn table_mut(&mut self, table: TableHandle) -> Result<(&mut Table, &mut Memory)> {
        let (table, _, memory) = self.table_mut_with_strings(table)?;
        Ok((table, memory))
    }

    /// [`Self::table_mut`] plus the strings' 5.1 hashes, which string keys need.
    #[inline]
    fn table_mut_with_strings(
        &mut self,
        table: TableHandle,
    ) -> Result<(&mut Table, &LuaHashes, &mut Memory)> {
        let heap = &mut *self.heap;
        let table = heap
            .objects
            .tables
            .get_mut(table.raw())
            .ok_or(HeapError::StaleHandle)?;
        Ok((table, &heap.objects.lua_hashes, &mut heap.memory))
    }

    /// Whether the heap would like a collection at the next safe point.
    #[inline]
    pub fn should_collect(&self) -> bool {
        self.heap.should_collect()
    }

    // ----- strings -----

    /// The string with these bytes (any bytes), interning it if it is new.
    #[inline]
    pub fn intern(&mut self, bytes: &[u8]) -> Result<StringHandle> {
        let heap = &mut *self.heap;
        heap.interner.intern(
            &mut heap.objects.strings,
            &mut heap.objects.lua_hashes,
            &mut heap.memory,
            bytes,
        )
    }

    /// The string `build` writes from the bytes of `source` (`string.sub`, `string.upper`),
    /// interned. It is built in a buffer the heap reuses (see [`HeapTransaction::concat`]), so
    /// a result that exists already costs no allocation.
    pub fn intern_from(
        &mut self,
        source: StringHandle,
        build: impl FnOnce(&[u8], &mut Vec<u8>),
    ) -> Result<StringHandle> {
        let Heap {
            objects, scratch, ..
        } = &mut *self.heap;
        let source = objects
            .strings
            .get(source.raw())
            .ok_or(HeapError::StaleHandle)?;
        scratch.clear();
        build(source.bytes(), scratch);
        self.intern_scratch()
    }

    /// The concatenation of `parts`, interned. Builds the bytes in a reused buffer, so an
    /// already existing result costs no allocation.
    pub fn concat(&mut self, parts: &[StringHandle]) -> Result<StringHandle> {
        // The buffer is used in place: taken out of the heap and put back, its length (just
        // written on its own) was read back as part of a wider copy, which stalled.
        let Heap {
            objects, scratch, ..
        } = &mut *self.heap;
        scratch.clear();
        for part in parts {
            let string = objects
                .strings
                .get(part.raw())
                .ok_or(HeapError::StaleHandle)?;
            scratch.extend_from_slice(string.bytes());
        }
        self.intern_scratch()
    }

    /// Interns the bytes of the heap's reused buffer, which then lets go of a large allocation.
    #[inline(always)]
    fn intern_scratch(&mut self) -> Result<StringHandle> {
        let Heap {
            objects,
            interner,
            memory,
            scratch,
            ..
        } = &mut *self.heap;
        let interned = interner.intern(
            &mut objects.strings,
            &mut objects.lua_hashes,
            memory,
            scratch,
        );
        trim_scratch(scratch);
        interned
    }

    /// A string's bytes.
    #[inline]
    pub fn str_bytes(&self, string: StringHandle) -> Result<&[u8]> {
        self.heap.str_bytes(string)
    }

    // ----- tables -----

    /// A new table with `narr` array slots and room for `nhash` other keys (5.1's
    /// `lua_createtable`).
    pub fn new_table(&mut self, narr: usize, nhash: usize) -> Result<TableHandle> {
        let table = Table::new(narr, nhash, &mut self.heap.memory)?;
        self.insert_table(table)
    }

    /// A new table holding `values` at `1..=values.len()`: the table `rawset(t, i, values[i])`
    /// in order makes of an empty one (5.1's layout: an array part of the next power of two),
    /// built at once. Nil values are assigned one by one (5.1 keeps them as dead keys).
    pub fn new_array_from(&mut self, values: &[Value]) -> Result<TableHandle> {
        let heap = &mut *self.heap;
        match Table::from_array(values, &mut heap.memory)? {
            Some(table) => self.insert_table(table),
            None => {
                let table = self.new_table(0, 0)?;
                for (i, value) in (1..).zip(values) {
                    self.raw_set_int(table, i, *value)?;
                }
                Ok(table)
            }
        }
    }

    /// A new table holding `pairs`: the table `rawset(t, key, value)` of each pair in order
    /// makes of an empty one, with the same layout and `next` order (a repeated key keeps its
    /// place and takes the later value) and the same errors (`NilKey`, `NaNKey`). Built at
    /// once, without the rehashes of growing one key at a time, when every key is a string
    /// and no value is nil; otherwise assigned one by one.
    pub fn new_table_from(&mut self, pairs: &[(Value, Value)]) -> Result<TableHandle> {
        let heap = &mut *self.heap;
        match Table::from_str_pairs(pairs, &heap.objects.lua_hashes, &mut heap.memory)? {
            Some(table) => self.insert_table(table),
            None => {
                let table = self.new_table(0, 0)?;
                for (key, value) in pairs {
                    self.raw_set(table, *key, *value)?;
                }
                Ok(table)
            }
        }
    }

    /// The layout of `table` for the key sequence of `pairs` (their values are not read), to
    /// build more tables with those keys in that order ([`Self::new_table_with_layout`]):
    /// `None` unless `table` has no array part, no key with a nil value, and exactly the keys
    /// of `pairs`, all strings. A table [`Self::new_table_from`] made from string keys and
    /// non-nil values has a layout for its pairs.
    pub fn table_layout(
        &self,
        table: TableHandle,
        pairs: &[(Value, Value)],
    ) -> Result<Option<TableLayout>> {
        let heap = &*self.heap;
        Ok(heap
            .table_ref(table)?
            .layout(pairs, &heap.objects.lua_hashes))
    }

    /// The table [`Self::new_table_from`]`(pairs)` makes, from `layout` when the keys of
    /// `pairs` are, in order, those it was taken for (checked, one comparison per key) and no
    /// value is nil: the layout's nodes are copied and the values written at their keys'
    /// positions, with no hashing or searching. `Ok(None)`, with nothing made, when `pairs` do
    /// not fit the layout.
    pub fn new_table_with_layout(
        &mut self,
        layout: &TableLayout,
        pairs: &[(Value, Value)],
    ) -> Result<Option<TableHandle>> {
        match Table::with_layout(layout, pairs, &mut self.heap.memory)? {
            Some(table) => self.insert_table(table).map(Some),
            None => Ok(None),
        }
    }

    /// Stores a table already charged to the heap's memory.
    fn insert_table(&mut self, table: Table) -> Result<TableHandle> {
        let heap = &mut *self.heap;
        let size = table.heap_size();
        match heap.objects.tables.insert(table) {
            Ok(raw) => Ok(TableHandle(raw)),
            Err(err) => {
                heap.memory.release(size);
                Err(err)
            }
        }
    }

    /// Empties `table` into what [`Self::new_table`]`(narr, 0)` would make (no keys, no
    /// metatable, `narr` nil array slots, no hash part, writable), reusing its storage: for a
    /// host that hands a script a fresh table on every run (Redis's `KEYS` and `ARGV`) where
    /// nothing can have kept the previous one. Fails with `OutOfMemory` (the table unchanged)
    /// past the memory limit.
    pub fn reset_table(&mut self, table: TableHandle, narr: usize) -> Result<()> {
        let (table, memory) = self.table_mut(table)?;
        table.reset(narr, memory)
    }

    /// `rawget(t, key)`. A nil or NaN key reads nil.
    #[inline]
    pub fn raw_get(&self, table: TableHandle, key: Value) -> Result<Value> {
        self.heap.raw_get(table, key)
    }

    /// `rawget(t, i)`.
    #[inline]
    pub fn raw_get_int(&self, table: TableHandle, key: i64) -> Result<Value> {
        self.heap.raw_get_int(table, key)
    }

    /// `rawget(t, s)` for a string key.
    #[inline]
    pub fn raw_get_str(&self, table: TableHandle, key: StringHandle) -> Result<Value> {
        self.heap.raw_get_str(table, key)
    }

    /// `rawset(t, key, value)`: `NilKey`/`NaNKey` for bad keys, `ReadOnly` for read-only
    /// tables, `OutOfMemory` if the table must grow past the memory limit.
    #[inline]
    pub fn raw_set(&mut self, table: TableHandle, key: Value, value: Value) -> Result<()> {
        let (table, strings, memory) = self.table_mut_with_strings(table)?;
        table.set(key, value, strings, memory)
    }

    /// `t[key] = value` when that is a raw set (the fast case of 5.1's `luaV_settable`): the
    /// table is writable and has no metatable, or a metatable without `__newindex` (a miss is
    /// remembered in the metatable's absent bits). Returns `Ok(false)`, having changed
    /// nothing, when the caller must take the slow path (`__newindex`, read-only); errors are
    /// those of [`HeapTransaction::raw_set`]. The key is read in place
    /// (see [`Heap::get_fast`]); a table without a metatable is looked up once.
    #[inline(always)]
    pub fn set_fast(&mut self, table: TableHandle, key: &Value, value: Value) -> Result<bool> {
        let heap = &mut *self.heap;
        let Some(tbl) = heap.objects.tables.get_mut(table.raw()) else {
            return Err(HeapError::StaleHandle);
        };
        if tbl.metatable.is_some() || tbl.readonly {
            return self.set_fast_meta(table, key, value);
        }
        tbl.set_key(key, value, &heap.objects.lua_hashes, &mut heap.memory)?;
        Ok(true)
    }

    /// [`HeapTransaction::set_fast`] for a string key (a field name: `t.x = v`). In a table with
    /// a metatable, a key that has a value is assigned without a look at the metatable
    /// (`__newindex` is for absent keys only).
    #[inline(always)]
    pub fn set_fast_str(
        &mut self,
        table: TableHandle,
        key: StringHandle,
        value: Value,
    ) -> Result<bool> {
        let heap = &mut *self.heap;
        let Some(tbl) = heap.objects.tables.get_mut(table.raw()) else {
            return Err(HeapError::StaleHandle);
        };
        if tbl.metatable.is_some() || tbl.readonly {
            // An object's field that is already set (`self.n = self.n + 1`) is assigned
            // without a look at the metatable, as in 5.1.
            if !tbl.readonly && tbl.set_existing_str(key, value, &heap.objects.lua_hashes)? {
                return Ok(true);
            }
            return self.set_fast_meta(table, &Value::String(key), value);
        }
        tbl.set_str(key, value, &heap.objects.lua_hashes, &mut heap.memory)?;
        Ok(true)
    }

    /// `t.key = t.key <op> y` for a field whose value is a number (`self.n = self.n + 1`):
    /// the value `x` becomes `update(x)`, which is returned, with the key looked up once. As
    /// the read and the write would do it: a key that has a value is read and assigned without
    /// a look at the metatable. `None`, with nothing changed, for a stale handle, a read-only
    /// table, or a value that is not a number.
    #[inline]
    pub fn update_number_field(
        &mut self,
        table: TableHandle,
        key: StringHandle,
        update: impl FnOnce(f64) -> f64,
    ) -> Option<f64> {
        let heap = &mut *self.heap;
        heap.objects.tables.get_mut(table.raw())?.update_number_str(
            key,
            &heap.objects.lua_hashes,
            update,
        )
    }

    /// [`HeapTransaction::set_fast`] for a table with a metatable or a read-only one.
    #[inline(never)]
    fn set_fast_meta(&mut self, table: TableHandle, key: &Value, value: Value) -> Result<bool> {
        let (readonly, metatable) = {
            let tbl = self.table_mut(table)?.0;
            (tbl.readonly, tbl.metatable)
        };
        if readonly {
            return Ok(false);
        }
        if let Some(mt) = metatable {
            if self.metamethod(mt, MetaEvent::NewIndex)? != Value::Nil {
                return Ok(false);
            }
        }
        let (tbl, strings, memory) = self.table_mut_with_strings(table)?;
        tbl.set_key(key, value, strings, memory)?;
        Ok(true)
    }

    /// Gives the table an array part of exactly `size` slots if it has fewer (5.1's
    /// `luaH_resizearray` in `OP_SETLIST`, so constructors size tables as 5.1 does);
    /// `ReadOnly` if the table is read-only.
    pub fn grow_array(&mut self, table: TableHandle, size: usize) -> Result<()> {
        let (table, memory) = self.table_mut(table)?;
        if table.readonly {
            return Err(HeapError::ReadOnly);
        }
        if size > table.array().len() {
            table.resize_array(size, memory)?;
        }
        Ok(())
    }

    /// `rawset(t, i, value)`.
    #[inline]
    pub fn raw_set_int(&mut self, table: TableHandle, key: i64, value: Value) -> Result<()> {
        let (table, memory) = self.table_mut(table)?;
        table.set_int(key, value, memory)
    }

    /// `table[first + j] = values[j]` for each `j`, in order, without metamethods (a table
    /// constructor's `SETLIST`): as many [`HeapTransaction::raw_set_int`]s, with one lookup of
    /// the table.
    pub fn raw_set_ints(&mut self, table: TableHandle, first: i64, values: &[Value]) -> Result<()> {
        let (table, memory) = self.table_mut(table)?;
        table.set_ints(first, values, memory)
    }

    /// `rawset(t, s, value)` for a string key.
    #[inline]
    pub fn raw_set_str(
        &mut self,
        table: TableHandle,
        key: StringHandle,
        value: Value,
    ) -> Result<()> {
        let (table, strings, memory) = self.table_mut_with_strings(table)?;
        table.set_str(key, value, strings, memory)
    }

    /// The border `#t` without `__len`, as 5.1's `luaH_getn`.
    #[inline]
    pub fn len(&self, table: TableHandle) -> Result<usize> {
        self.heap.len(table)
    }

    /// `next(t, key)`: the following pair, or `None` after the last one. `InvalidNextKey` if
    /// `key` is not in the table (a key whose value was set to nil during the traversal is).
    #[inline]
    pub fn next(&self, table: TableHandle, key: Value) -> Result<Option<(Value, Value)>> {
        self.heap.next(table, key)
    }

    /// The first pair at traversal position `pos` or after it, with its position: `next`'s
    /// order (array part, then the nodes), walked by position instead of by key. Start at 0
    /// and continue at the returned position plus one; `None` after the last pair. Positions
    /// stay valid while the table gets no new keys (assigning existing keys is fine).
    #[inline]
    pub fn pair_at(&self, table: TableHandle, pos: usize) -> Result<Option<(usize, Value, Value)>> {
        Ok(self.heap.table_ref(table)?.pair_at(pos))
    }

    /// Appends every pair of `table` to `out`, in `next` order (the pairs [`Self::pair_at`]
    /// walks to), in one pass: for a caller that reads a whole table it does not change, such
    /// as an encoder. Grows `out` only (what it holds is the caller's to manage; it is not
    /// charged to the heap).
    #[inline]
    pub fn pairs_into(&self, table: TableHandle, out: &mut Vec<(Value, Value)>) -> Result<()> {
        self.heap.table_ref(table)?.pairs_into(out);
        Ok(())
    }

    /// The table's metatable.
    #[inline]
    pub fn metatable(&self, table: TableHandle) -> Result<Option<TableHandle>> {
        self.heap.metatable(table)
    }

    /// Sets or removes the table's metatable; `ReadOnly` if the table is read-only.
    pub fn set_metatable(
        &mut self,
        table: TableHandle,
        metatable: Option<TableHandle>,
    ) -> Result<()> {
        if let Some(metatable) = metatable {
            self.heap.metatable(metatable)?;
        }
        self.table_mut(table)?.0.set_metatable(metatable)
    }

    /// Marks the table read-only (every write then fails with `ReadOnly`), or writable again.
    pub fn set_readonly(&mut self, table: TableHandle, readonly: bool) -> Result<()> {
        self.table_mut(table)?.0.readonly = readonly;
        Ok(())
    }

    /// Whether the table is read-only.
    #[inline]
    pub fn is_readonly(&self, table: TableHandle) -> Result<bool> {
        self.heap.is_readonly(table)
    }

    /// The metamethod for `event` in the metatable `metatable` (nil if absent). For the fast
    /// events a miss is remembered in the metatable until it is next written (5.1's `fasttm`).
    #[inline]
    pub fn metamethod(&mut self, metatable: TableHandle, event: MetaEvent) -> Result<Value> {
        let (table, strings, _) = self.table_mut_with_strings(metatable)?;
        let bit = event.absent_bit().unwrap_or(0);
        if table.absent.get() & bit != 0 {
            return Ok(Value::Nil);
        }
        let value = table.get_str(event.name(), strings);
        if value == Value::Nil {
            table.absent.set(table.absent.get() | bit);
        }
        Ok(value)
    }

    // ----- functions, upvalues, prototypes -----

    /// Stores a closure.
    pub fn new_function(&mut self, function: Function) -> Result<FunctionHandle> {
        let heap = &mut *self.heap;
        let size = function.heap_size();
        alloc(
            &mut heap.objects.functions,
            &mut heap.memory,
            function,
            size,
        )
        .map(FunctionHandle)
    }

    /// A closure.
    #[inline]
    pub fn function(&self, function: FunctionHandle) -> Result<&Function> {
        self.heap.function(function)
    }

    /// A closure, mutably (to change its environment or a native closure's upvalues; replacing
    /// an upvalue box with one of another length is not accounted).
    #[inline]
    pub fn function_mut(&mut self, function: FunctionHandle) -> Result<&mut Function> {
        self.heap
            .objects
            .functions
            .get_mut(function.raw())
            .ok_or(HeapError::StaleHandle)
    }

    /// Stores an upvalue.
    pub fn new_upvalue(&mut self, upvalue: UpValue) -> Result<UpValueHandle> {
        let heap = &mut *self.heap;
        let place = match upvalue {
            UpValue::Open { thread, slot } => UpValuePlace::Open { thread, slot },
            UpValue::Closed(value) => UpValuePlace::Closed(heap.objects.cells.take(value)?),
        };
        let handle = alloc(
            &mut heap.objects.upvalues,
            &mut heap.memory,
            place,
            UPVALUE_SIZE,
        );
        if let (Err(_), UpValuePlace::Closed(cell)) = (handle, place) {
            heap.objects.cells.release(cell);
        }
        handle.map(UpValueHandle)
    }

    /// An upvalue's state.
    #[inline]
    pub fn upvalue(&self, upvalue: UpValueHandle) -> Result<UpValue> {
        self.heap.upvalue(upvalue)
    }

    /// A closed upvalue's value, mutably, by its cell (see [`Heap::cell`]).
    #[inline]
    pub fn cell_mut(&mut self, cell: UpValueCell) -> Option<&mut Value> {
        self.heap.objects.cells.get_mut(cell)
    }

    /// Replaces an upvalue's state: closing it (its value goes to a new cell), writing a closed
    /// upvalue's value (into its cell), or pointing it at a stack slot.
    pub fn set_upvalue(&mut self, upvalue: UpValueHandle, state: UpValue) -> Result<()> {
        let objects = &mut self.heap.objects;
        let place = objects
            .upvalues
            .get_mut(upvalue.raw())
            .ok_or(HeapError::StaleHandle)?;
        match (*place, state) {
            (UpValuePlace::Closed(cell), UpValue::Closed(value)) => {
                if let Some(slot) = objects.cells.get_mut(cell) {
                    *slot = value;
                }
            }
            (UpValuePlace::Open { .. }, UpValue::Closed(value)) => {
                *place = UpValuePlace::Closed(objects.cells.take(value)?);
            }
            (old, UpValue::Open { thread, slot }) => {
                *place = UpValuePlace::Open { thread, slot };
                if let UpValuePlace::Closed(cell) = old {
                    objects.cells.release(cell);
                }
            }
        }
        Ok(())
    }

    /// Stores a prototype.
    pub fn new_proto(&mut self, proto: Prototype) -> Result<ProtoHandle> {
        let heap = &mut *self.heap;
        let size = proto.heap_size();
        alloc(&mut heap.objects.protos, &mut heap.memory, proto, size).map(ProtoHandle)
    }

    /// A prototype.
    #[inline]
    pub fn proto(&self, proto: ProtoHandle) -> Result<&Prototype> {
        self.heap.proto(proto)
    }

    // ----- userdata and threads -----

    /// Stores a userdata.
    pub fn new_userdata(&mut self, userdata: UserData) -> Result<UserDataHandle> {
        let heap = &mut *self.heap;
        let size = userdata.heap_size();
        let handle = alloc(&mut heap.objects.userdata, &mut heap.memory, userdata, size)
            .map(UserDataHandle)?;
        heap.gc.finalizers.created(handle);
        Ok(handle)
    }

    /// A userdata.
    #[inline]
    pub fn userdata(&self, userdata: UserDataHandle) -> Result<&UserData> {
        self.heap.userdata(userdata)
    }

    /// A userdata, mutably.
    #[inline]
    pub fn userdata_mut(&mut self, userdata: UserDataHandle) -> Result<&mut UserData> {
        self.heap
            .objects
            .userdata
            .get_mut(userdata.raw())
            .ok_or(HeapError::StaleHandle)
    }

    /// Stores a thread.
    pub fn new_thread(&mut self, thread: Thread) -> Result<ThreadHandle> {
        let heap = &mut *self.heap;
        let size = thread.heap_size();
        alloc(&mut heap.objects.threads, &mut heap.memory, thread, size).map(ThreadHandle)
    }

    /// A thread.
    #[inline]
    pub fn thread(&self, thread: ThreadHandle) -> Result<&Thread> {
        self.heap.thread(thread)
    }

    /// A thread, mutably (to take its payload out while it runs, and put it back).
    #[inline]
    pub fn thread_mut(&mut self, thread: ThreadHandle) -> Result<&mut Thread> {
        self.heap
            .objects
            .threads
            .get_mut(thread.raw())
            .ok_or(HeapError::StaleHandle)
    }
}

/// Lets go of the reused string buffer once a large string was built in it: the heap keeps
/// at most `SCRATCH_KEEP` bytes of it between uses (it is not charged to the memory limit).
#[inline]
fn trim_scratch(scratch: &mut Vec<u8>) {
    /// What the reused buffer may keep: room for the strings scripts usually build.
    const SCRATCH_KEEP: usize = 64 * 1024;
    if scratch.capacity() > SCRATCH_KEEP {
        *scratch = Vec::new();
    }
}
