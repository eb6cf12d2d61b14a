//! Shared reads of the heap: the read half of [`HeapTransaction`](crate::HeapTransaction)'s
//! accessors, available on `&Heap`.
//!
//! A shared borrow excludes the collector exactly as a transaction does (collection needs
//! `&mut Heap`), so handles stay valid while it lasts. The VM uses these where it only reads
//! (error messages, debug information, type checks) and holds `&self`.

use crate::cells::{UpValueCell, UpValuePlace};
use crate::error::{HeapError, Result};
use crate::handle::{
    FunctionHandle, ProtoHandle, StringHandle, TableHandle, ThreadHandle, UpValueHandle,
    UserDataHandle,
};
use crate::heap::Heap;
use crate::meta::{INDEX_SELF, MetaEvent};
use crate::object::{Function, Prototype, Thread, UpValue, UserData};
use crate::string::LuaString;
use crate::table::{NIL, Table};
use crate::value::Value;

/// The most `__index` tables [`Heap::get_fast`] follows; a longer chain takes the slow path,
/// which counts to 5.1's `MAXTAGLOOP` (100) and raises `loop in gettable` past it.
const INDEX_CHAIN: usize = 16;

impl Heap {
    #[inline]
    pub(crate) fn table_ref(&self, table: TableHandle) -> Result<&Table> {
        self.objects
            .tables
            .get(table.raw())
            .ok_or(HeapError::StaleHandle)
    }

    /// A string's bytes.
    #[inline]
    pub fn str_bytes(&self, string: StringHandle) -> Result<&[u8]> {
        self.objects
            .strings
            .get(string.raw())
            .map(LuaString::bytes)
            .ok_or(HeapError::StaleHandle)
    }

    /// `rawget(t, key)`.
    #[inline]
    pub fn raw_get(&self, table: TableHandle, key: Value) -> Result<Value> {
        Ok(self.table_ref(table)?.get(key, &self.objects.lua_hashes))
    }

    /// `rawget(t, key)` by reference (nil is a reference to a static nil): cheaper to return
    /// than a `Value` on hot paths.
    #[inline]
    pub fn raw_get_ref(&self, table: TableHandle, key: Value) -> Result<&Value> {
        Ok(self
            .table_ref(table)?
            .get_ref(key, &self.objects.lua_hashes))
    }

    /// `t[key]` when it is settled without calling anything (the fast case of 5.1's
    /// `luaV_gettable`): a raw hit, a miss in a table without `__index`, or a lookup through a
    /// chain of `__index` tables (the method-call case, classes inheriting from classes).
    /// `None` sends the caller to the slow path (a stale handle, an `__index` function or other
    /// value, a chain of more than 16 `__index` tables).
    ///
    /// The key is taken by reference and matched in place (see `Table::get_key_ref`); the
    /// table is looked up once.
    #[inline(always)]
    pub fn get_fast(&self, t: TableHandle, key: &Value) -> Option<&Value> {
        let table = self.objects.tables.get(t.raw())?;
        let value = table.get_key_ref(key, &self.objects.lua_hashes);
        if !matches!(value, Value::Nil) {
            return Some(value);
        }
        match table.metatable {
            None => Some(value),
            Some(mt) => self.get_fast_index(mt, key),
        }
    }

    /// [`Heap::get_fast`] for a string key (a field name: `t.x`, `o:m()`), which goes straight to
    /// the hash part's string lookup.
    #[inline(always)]
    pub fn get_fast_str(&self, t: TableHandle, key: StringHandle) -> Option<&Value> {
        let table = self.objects.tables.get(t.raw())?;
        let value = table.get_str_ref(key, &self.objects.lua_hashes);
        if !matches!(value, Value::Nil) {
            return Some(value);
        }
        match table.metatable {
            None => Some(value),
            Some(mt) => self.get_fast_index(mt, &Value::String(key)),
        }
    }

    /// [`Heap::get_fast`] after a miss in a table with a metatable, or the index of a value
    /// that has no fields of its own (a string) by its metatable `mt`: follows `__index` while
    /// it is a table, as `luaV_gettable`'s loop does. `None` as for `get_fast`.
    ///
    /// Method names are strings: a string key has a walk of its own, which looks its hash up
    /// once for the whole chain and keeps nothing of the other keys' lookups (the number
    /// key's array index was computed before every walk).
    #[inline(never)]
    pub fn get_fast_index(&self, mt: TableHandle, key: &Value) -> Option<&Value> {
        match *key {
            Value::String(s) => self.index_chain_str(mt, s),
            _ => self.index_chain_any(mt, key),
        }
    }

    /// [`Heap::get_fast_index`] for a string key.
    #[inline(never)]
    fn index_chain_str(&self, mt: TableHandle, key: StringHandle) -> Option<&Value> {
        let key_hash = self.objects.lua_hashes.get(key);
        self.index_chain(mt, |class| class.get_str_hashed(key, key_hash))
    }

    /// [`Heap::get_fast_index`] for any other key.
    #[inline(never)]
    fn index_chain_any(&self, mt: TableHandle, key: &Value) -> Option<&Value> {
        let hashes = &self.objects.lua_hashes;
        self.index_chain(mt, |class| class.get_key_ref(key, hashes))
    }

    /// The `__index` walk from metatable `mt`, reading each table in the chain with
    /// `lookup`.
    #[inline(always)]
    fn index_chain<'a>(
        &'a self,
        mt: TableHandle,
        lookup: impl Fn(&'a Table) -> &'a Value,
    ) -> Option<&'a Value> {
        let hashes = &self.objects.lua_hashes;
        let mut mt = mt;
        for _ in 0..INDEX_CHAIN {
            let meta = self.table_ref(mt).ok()?;
            let flags = meta.absent.get();
            let class = if flags & INDEX_SELF != 0 {
                // The usual class idiom, `C.__index = C`, known from an earlier lookup.
                meta
            } else {
                if flags & MetaEvent::Index.absent_bit().unwrap_or(0) != 0 {
                    return Some(&NIL);
                }
                match meta.get_str_ref(MetaEvent::Index.name(), hashes) {
                    Value::Nil => return Some(&NIL),
                    // No second lookup of the same table, and none of `__index` next time.
                    &Value::Table(class) if class == mt => {
                        meta.absent.set(flags | INDEX_SELF);
                        meta
                    }
                    &Value::Table(class) => self.table_ref(class).ok()?,
                    _ => return None,
                }
            };
            let value = lookup(class);
            if !matches!(value, Value::Nil) {
                return Some(value);
            }
            match class.metatable {
                None => return Some(&NIL),
                Some(next) => mt = next,
            }
        }
        None
    }

    /// `rawget(t, s)` for a string key, by reference.
    #[inline]
    pub fn raw_get_str_ref(&self, table: TableHandle, key: StringHandle) -> Result<&Value> {
        Ok(self
            .table_ref(table)?
            .get_str_ref(key, &self.objects.lua_hashes))
    }

    /// `rawget(t, i)`.
    #[inline]
    pub fn raw_get_int(&self, table: TableHandle, key: i64) -> Result<Value> {
        Ok(self.table_ref(table)?.get_int(key))
    }

    /// `rawget(t, first + k)` into `out[k]` for every `k` (`unpack`): the
    /// table is looked up once. A key past `i64::MAX` reads as nil.
    pub fn raw_get_ints(&self, table: TableHandle, first: i64, out: &mut [Value]) -> Result<()> {
        let table = self.table_ref(table)?;
        for (k, slot) in out.iter_mut().enumerate() {
            *slot = i64::try_from(k)
                .ok()
                .and_then(|k| first.checked_add(k))
                .map_or(Value::Nil, |key| table.get_int(key));
        }
        Ok(())
    }

    /// `rawget(t, s)` for a string key.
    #[inline]
    pub fn raw_get_str(&self, table: TableHandle, key: StringHandle) -> Result<Value> {
        Ok(self
            .table_ref(table)?
            .get_str(key, &self.objects.lua_hashes))
    }

    /// The border `#t` without `__len`, as 5.1's `luaH_getn`.
    #[inline]
    pub fn len(&self, table: TableHandle) -> Result<usize> {
        Ok(self.table_ref(table)?.len())
    }

    /// `next(t, key)`: the following pair, or `None` after the last one. `InvalidNextKey` if
    /// `key` is not in the table (a key whose value was set to nil during the traversal is).
    #[inline]
    pub fn next(&self, table: TableHandle, key: Value) -> Result<Option<(Value, Value)>> {
        self.table_ref(table)?.next(key, &self.objects.lua_hashes)
    }

    /// [`Heap::next`] written into `out` (the key, then the value, as many as fit); false after
    /// the last pair, with `out` untouched.
    #[inline]
    pub fn next_into(&self, table: TableHandle, key: Value, out: &mut [Value]) -> Result<bool> {
        self.table_ref(table)?
            .next_into(key, &self.objects.lua_hashes, out)
    }

    /// Whether the table is read-only.
    #[inline]
    pub fn is_readonly(&self, table: TableHandle) -> Result<bool> {
        Ok(self.table_ref(table)?.readonly)
    }

    /// The table's metatable.
    #[inline]
    pub fn metatable(&self, table: TableHandle) -> Result<Option<TableHandle>> {
        Ok(self.table_ref(table)?.metatable)
    }

    /// The metamethod for `event` in `metatable`, using (but not updating) the absent-flags
    /// cache: nil when the metatable is known to lack it.
    #[inline]
    pub fn fast_metamethod(&self, metatable: TableHandle, event: MetaEvent) -> Value {
        let Ok(table) = self.table_ref(metatable) else {
            return Value::Nil;
        };
        if table.absent.get() & event.absent_bit().unwrap_or(0) != 0 {
            return Value::Nil;
        }
        table.get_str(event.name(), &self.objects.lua_hashes)
    }

    /// A closure.
    #[inline]
    pub fn function(&self, function: FunctionHandle) -> Result<&Function> {
        self.objects
            .functions
            .get(function.raw())
            .ok_or(HeapError::StaleHandle)
    }

    /// An upvalue's state, with its value if closed.
    #[inline]
    pub fn upvalue(&self, upvalue: UpValueHandle) -> Result<UpValue> {
        match self.upvalue_place(upvalue)? {
            UpValuePlace::Open { thread, slot } => Ok(UpValue::Open { thread, slot }),
            UpValuePlace::Closed(cell) => Ok(UpValue::Closed(
                self.cell(cell).copied().ok_or(HeapError::StaleHandle)?,
            )),
        }
    }

    /// Where an upvalue's variable is: a thread's stack slot, or a cell.
    #[inline]
    pub fn upvalue_place(&self, upvalue: UpValueHandle) -> Result<UpValuePlace> {
        self.objects
            .upvalues
            .get(upvalue.raw())
            .copied()
            .ok_or(HeapError::StaleHandle)
    }

    /// A closed upvalue's value, by its cell (see [`UpValueCell`] for how long one may be kept);
    /// `None` for a cell the heap never handed out.
    #[inline]
    pub fn cell(&self, cell: UpValueCell) -> Option<&Value> {
        self.objects.cells.get(cell)
    }

    /// A prototype.
    #[inline]
    pub fn proto(&self, proto: ProtoHandle) -> Result<&Prototype> {
        self.objects
            .protos
            .get(proto.raw())
            .ok_or(HeapError::StaleHandle)
    }

    /// A userdata.
    #[inline]
    pub fn userdata(&self, userdata: UserDataHandle) -> Result<&UserData> {
        self.objects
            .userdata
            .get(userdata.raw())
            .ok_or(HeapError::StaleHandle)
    }

    /// A thread.
    #[inline]
    pub fn thread(&self, thread: ThreadHandle) -> Result<&Thread> {
        self.objects
            .threads
            .get(thread.raw())
            .ok_or(HeapError::StaleHandle)
    }
}
impl Heap {
    /// Whether `bytes` more could be allocated without passing the memory limit. Lets callers
    /// refuse a huge allocation (`string.rep`) before building it.
    #[inline]
    pub fn can_allocate(&self, bytes: usize) -> bool {
        self.memory.can_charge(bytes)
    }
}
