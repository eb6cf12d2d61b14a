//! A field's number updated in place (`t.n = t.n + 1`): the one lookup the interpreter's fused
//! field update (`OP_GETFIELD_ARITH` in ferrous-vm) makes for its read and its write.

use super::Table;
use crate::handle::StringHandle;
use crate::string::LuaHashes;
use crate::value::Value;

impl Table {
    /// Replaces the number value `x` of string key `key` with `update(x)` and returns it, as
    /// a read of `t[key]` and a write of the result would: the key has a value, so neither
    /// consults the metatable (5.1's `luaV_gettable` and `luaV_settable`). `None`, with nothing
    /// changed, when the table is read-only or the key's value is not a number (absent, nil,
    /// anything else).
    #[inline]
    pub(crate) fn update_number_str(
        &mut self,
        key: StringHandle,
        hashes: &LuaHashes,
        update: impl FnOnce(f64) -> f64,
    ) -> Option<f64> {
        if self.readonly {
            return None;
        }
        let pos = self.find_str(key, hashes.get(key))?;
        let node = self.nodes.get_mut(pos)?;
        let Value::Number(x) = node.value else {
            return None;
        };
        let new = update(x);
        node.value = Value::Number(new);
        // As any write (`begin_write`): the cache of absent metamethods is cleared. (A number
        // replacing a number adds or removes none, but the rule stays the same everywhere.)
        if self.absent.get() != 0 {
            self.absent.set(0);
        }
        Some(new)
    }
}

#[cfg(test)]
mod tests {
    use crate::heap::Heap;
    use crate::value::Value;

    #[test]
    fn a_number_field_is_updated_in_place_and_nothing_else_is() {
        let mut heap = Heap::new();
        let mut tx = heap.tx();
        let t = tx.new_table(0, 4).unwrap();
        let n = tx.intern(b"n").unwrap();
        let s = tx.intern(b"s").unwrap();
        let absent = tx.intern(b"absent").unwrap();
        tx.raw_set(t, Value::String(n), Value::Number(1.0)).unwrap();
        tx.raw_set(t, Value::String(s), Value::String(s)).unwrap();
        assert_eq!(tx.update_number_field(t, n, |x| x + 2.0), Some(3.0));
        assert_eq!(tx.raw_get(t, Value::String(n)).unwrap(), Value::Number(3.0));
        assert_eq!(tx.update_number_field(t, s, |x| x + 2.0), None);
        assert_eq!(tx.update_number_field(t, absent, |x| x + 2.0), None);
        assert_eq!(tx.raw_get(t, Value::String(absent)).unwrap(), Value::Nil);
        tx.set_readonly(t, true).unwrap();
        assert_eq!(tx.update_number_field(t, n, |x| x + 2.0), None);
        tx.set_readonly(t, false).unwrap();
        tx.raw_set(t, Value::String(n), Value::Nil).unwrap();
        assert_eq!(tx.update_number_field(t, n, |x| x + 2.0), None);
        assert_eq!(tx.raw_get(t, Value::String(n)).unwrap(), Value::Nil);
    }
}
