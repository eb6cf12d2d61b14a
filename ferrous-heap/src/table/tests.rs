//! Table behaviour: key normalization, borders as lua5.1 reports them, `next` during deletion,
//! sizing, read-only tables and the metamethod cache. Each test drives the public transaction
//! API through the small helpers below.

use crate::{HeapError, MetaEvent, TableHandle, Value, heap::Heap, names};

/// One assignment `t[key] = value` (`None` is nil).
type Op = (f64, Option<f64>);

pub(super) fn num(n: f64) -> Value {
    Value::Number(n)
}

/// A table built by the assignments `ops`, in order, starting from `new_table(narr, 0)`.
fn build(heap: &mut Heap, narr: usize, ops: &[Op]) -> TableHandle {
    let mut tx = heap.tx();
    let table = tx.new_table(narr, 0).expect("no limit");
    for &(key, value) in ops {
        tx.raw_set(table, num(key), value.map_or(Value::Nil, num))
            .expect("valid key");
    }
    table
}

/// `#t` after the assignments `ops`.
fn border(narr: usize, ops: &[Op]) -> usize {
    let mut heap = Heap::new();
    let table = build(&mut heap, narr, ops);
    heap.tx().len(table).expect("live table")
}

fn seq(range: std::ops::RangeInclusive<i32>) -> Vec<Op> {
    range.map(|i| (f64::from(i), Some(f64::from(i)))).collect()
}

#[test]
fn float_keys_with_integer_values_are_integer_keys() {
    let mut heap = Heap::new();
    let mut tx = heap.tx();
    let t = tx.new_table(0, 0).expect("no limit");
    tx.raw_set(t, num(1.0), num(10.0)).expect("valid key");
    assert_eq!(tx.raw_get_int(t, 1), Ok(num(10.0)));
    tx.raw_set_int(t, 2, num(20.0)).expect("valid key");
    assert_eq!(tx.raw_get(t, num(2.0)), Ok(num(20.0)));
    // -0 is 0, in both directions.
    tx.raw_set(t, num(-0.0), num(1.5)).expect("valid key");
    assert_eq!(tx.raw_get(t, num(0.0)), Ok(num(1.5)));
    assert_eq!(tx.raw_get_int(t, 0), Ok(num(1.5)));
    let (key, _) = tx
        .next(t, num(2.0))
        .expect("present")
        .expect("one more pair");
    assert_eq!(key, num(0.0));
    assert!(matches!(key, Value::Number(n) if n.is_sign_positive()));
    // Fractions, negatives and huge numbers are ordinary hash keys.
    for key in [
        0.5,
        -1.0,
        2f64.powi(53),
        1e300,
        f64::INFINITY,
        -f64::INFINITY,
    ] {
        tx.raw_set(t, num(key), num(key)).expect("valid key");
        assert_eq!(tx.raw_get(t, num(key)), Ok(num(key)));
    }
}

#[test]
fn nil_and_nan_keys() {
    let mut heap = Heap::new();
    let mut tx = heap.tx();
    let t = tx.new_table(0, 0).expect("no limit");
    assert_eq!(tx.raw_set(t, Value::Nil, num(1.0)), Err(HeapError::NilKey));
    assert_eq!(
        tx.raw_set(t, num(f64::NAN), num(1.0)),
        Err(HeapError::NaNKey)
    );
    assert_eq!(tx.raw_get(t, Value::Nil), Ok(Value::Nil));
    assert_eq!(tx.raw_get(t, num(f64::NAN)), Ok(Value::Nil));
    assert_eq!(tx.next(t, num(f64::NAN)), Err(HeapError::InvalidNextKey));
}

#[test]
fn keys_of_every_type() {
    let mut heap = Heap::new();
    let mut tx = heap.tx();
    let t = tx.new_table(0, 0).expect("no limit");
    let other = tx.new_table(0, 0).expect("no limit");
    let s = tx.intern(b"key").expect("no limit");
    let keys = [
        Value::Boolean(true),
        Value::Boolean(false),
        Value::String(s),
        Value::Table(other),
        Value::NativeFunction(crate::NativeFn(7)),
        num(3.25),
    ];
    for (i, key) in keys.iter().enumerate() {
        tx.raw_set(t, *key, num(i as f64)).expect("valid key");
    }
    for (i, key) in keys.iter().enumerate() {
        assert_eq!(tx.raw_get(t, *key), Ok(num(i as f64)));
    }
    assert_eq!(tx.raw_get_str(t, s), Ok(num(2.0)));
    let again = tx.intern(b"key").expect("no limit");
    assert_eq!(tx.raw_get(t, Value::String(again)), Ok(num(2.0)));
}

#[test]
fn many_keys_share_chains() {
    let mut heap = Heap::new();
    let mut tx = heap.tx();
    let t = tx.new_table(0, 0).expect("no limit");
    let mut strings = Vec::new();
    for i in 0..1000 {
        let s = tx.intern(format!("k{i}").as_bytes()).expect("no limit");
        strings.push(s);
        tx.raw_set_str(t, s, num(f64::from(i))).expect("valid key");
        tx.raw_set(t, num(f64::from(i) + 0.5), num(f64::from(-i)))
            .expect("valid key");
    }
    for (i, s) in strings.iter().enumerate() {
        assert_eq!(tx.raw_get_str(t, *s), Ok(num(i as f64)));
        assert_eq!(tx.raw_get(t, num(i as f64 + 0.5)), Ok(num(-(i as f64))));
    }
}

#[test]
fn borders_match_lua51() {
    // Expected values are what lua5.1 prints for the same assignments.
    assert_eq!(border(0, &seq(1..=10)), 10);
    assert_eq!(
        border(0, &[(1.0, Some(1.0)), (2.0, Some(2.0)), (4.0, Some(4.0))]),
        4
    );
    let mut ops = seq(1..=3);
    ops.push((5.0, Some(5.0)));
    assert_eq!(border(0, &ops), 3);
    let mut ops = seq(1..=8);
    ops.push((8.0, None));
    assert_eq!(border(0, &ops), 7);
    let mut ops = seq(1..=8);
    ops.push((4.0, None));
    assert_eq!(border(0, &ops), 8);
    let mut ops = seq(1..=16);
    ops.extend([(9.0, None), (16.0, None)]);
    assert_eq!(border(0, &ops), 15);
    assert_eq!(border(0, &[(2.0, Some(2.0))]), 0);
    assert_eq!(border(0, &[(1.0, Some(1.0)), (3.0, Some(3.0))]), 1);
    // {nil, nil, 3} and {1, 2, nil, 4}: constructors preallocate the array part.
    assert_eq!(border(3, &[(1.0, None), (2.0, None), (3.0, Some(3.0))]), 3);
    assert_eq!(
        border(
            4,
            &[
                (1.0, Some(1.0)),
                (2.0, Some(2.0)),
                (3.0, None),
                (4.0, Some(4.0))
            ]
        ),
        4
    );
    let mut ops = seq(1..=10);
    ops.extend((1..=10).map(|i| (f64::from(i), None)));
    ops.push((20.0, Some(1.0)));
    assert_eq!(border(0, &ops), 0);
    let ops: Vec<Op> = (1..=4).rev().map(|i| (f64::from(i), Some(1.0))).collect();
    assert_eq!(border(0, &ops), 4);
    let mut ops = seq(1..=5);
    ops.push((7.0, Some(7.0)));
    assert_eq!(border(0, &ops), 5);
    let mut ops = seq(1..=100);
    ops.extend((1..=99).map(|i| (f64::from(i), None)));
    assert_eq!(border(0, &ops), 0);
    assert_eq!(
        border(0, &[(1.0, Some(1.0)), (2.0, None), (3.0, Some(3.0))]),
        1
    );
    assert_eq!(border(0, &[(5.0, None)]), 0);
    // A list that fills its array part exactly, with room in the hash part
    // (`{1, 2, 3, a = 1, b = 2, c = 3, d = 4}` with its string keys removed): the next keys go
    // to the hash part, where 5.1's search goes on (t[4] = 4 makes #t 4, t[4] and t[5] 5),
    // unless the next one is missing (t[5] or t[0.5] alone leave it 3).
    let list_and = |extra: &[Op]| {
        let mut heap = Heap::new();
        let mut tx = heap.tx();
        let t = tx.new_table(3, 4).expect("no limit");
        for &(key, value) in seq(1..=3).iter().chain(extra) {
            tx.raw_set(t, num(key), value.map_or(Value::Nil, num))
                .expect("valid key");
        }
        tx.len(t).expect("live table")
    };
    assert_eq!(list_and(&[]), 3);
    assert_eq!(list_and(&[(4.0, Some(4.0))]), 4);
    assert_eq!(list_and(&[(4.0, Some(4.0)), (5.0, Some(5.0))]), 5);
    assert_eq!(list_and(&[(5.0, Some(5.0))]), 3);
    assert_eq!(list_and(&[(0.5, Some(1.0))]), 3);
}

#[test]
fn appends_grow_the_array_part_in_powers_of_two() {
    let mut heap = Heap::new();
    let t = build(&mut heap, 0, &seq(1..=1000));
    let table = heap.objects.tables.get(t.raw()).expect("live table");
    assert_eq!(table.array().len(), 1024);
    assert!(table.nodes().is_empty());
    assert_eq!(table.len(), 1000);
}

/// 5.1's `luaH_getn` search inside the array part, as `ltable.c` writes it (with branches).
fn array_border_51(array: &[Value]) -> usize {
    let (mut i, mut j) = (0, array.len());
    while j - i > 1 {
        let m = (i + j) / 2;
        if array[m - 1] == Value::Nil {
            j = m;
        } else {
            i = m;
        }
    }
    i
}

#[test]
fn array_border_matches_51_with_holes() {
    // Array parts of several sizes (a constructor's exact size, a power of two), the last slot
    // nil so that the search runs, with holes drawn from a fixed pseudo-random sequence: the
    // border found must be 5.1's, not just any border.
    let mut state = 0x2545_f491_4f6c_dd1d;
    for case in 0..600 {
        let size = [64, 37, 5, 100, 2, 3][case % 6];
        let mut heap = Heap::new();
        let t = heap.tx().new_table(size, 0).expect("no limit");
        for k in 1..size {
            if rng(&mut state) % 100 < 20 + (case as u64 % 70) {
                let key = num(k as f64);
                heap.tx().raw_set(t, key, key).expect("key");
            }
        }
        let table = heap.objects.tables.get(t.raw()).expect("live table");
        assert_eq!(table.array().len(), size, "case {case}");
        assert_eq!(table.len(), array_border_51(table.array()), "case {case}");
    }
}

/// Checks [`Table::border_hint`]'s invariant: flagged exact, the array part holds values in
/// exactly the slots below the border.
fn assert_exact_border_holds(table: &super::Table, context: &str) {
    let hint = table.border_hint.get();
    if hint & super::DENSE_BORDER != 0 {
        let border = usize::from(hint & !super::DENSE_BORDER);
        let array = table.array();
        assert!(
            border <= array.len(),
            "{context}: border {border} past the array"
        );
        assert!(
            array[..border].iter().all(|v| *v != Value::Nil)
                && array[border..].iter().all(|v| *v == Value::Nil),
            "{context}: not dense at {border}"
        );
    }
}

#[test]
fn exact_borders_stay_exact_and_match_51() {
    // Random writes through every path that writes the array part (the interpreter's
    // `set_fast`, `raw_set`, `raw_set_int`, `raw_set_ints`, resizes when a key overflows the hash part,
    // `reset_table`, tables built from values): lists grown by appends and shrunk from the
    // end (the border moves), holes, writes past the border (it stops being exact), nils
    // written where there were none. After each write the exact border must hold, and `#t`
    // must be 5.1's wherever its array search runs.
    let mut state = 0x9e37_79b9_7f4a_7c15;
    for case in 0..300 {
        let mut heap = Heap::new();
        let t = if case % 5 == 0 {
            let values: Vec<Value> = (1..=(case % 40)).map(|k| num(k as f64)).collect();
            heap.tx().new_array_from(&values).expect("no limit")
        } else {
            heap.tx().new_table(case % 9, 0).expect("no limit")
        };
        for step in 0..200 {
            let (len, array_len) = {
                let table = heap.objects.tables.get(t.raw()).expect("live");
                (table.len(), table.array().len())
            };
            let r = rng(&mut state);
            let key = match r % 8 {
                // Append at the border, or remove the last value.
                0..=2 => len + 1,
                3 => len.max(1),
                // Anywhere in the array part or a little past it.
                _ => (r >> 8) as usize % (array_len + 3) + 1,
            };
            let value = if r % 8 == 3 || (r >> 20) % 6 == 0 {
                Value::Nil
            } else {
                num(step as f64)
            };
            let mut tx = heap.tx();
            match (r >> 32) % 5 {
                0 => tx.raw_set(t, num(key as f64), value).expect("key"),
                1 => tx.raw_set_int(t, key as i64, value).expect("key"),
                // A constructor's run of values (a nil among them now and then).
                2 => {
                    let run: Vec<Value> = (0..(r >> 36) % 5)
                        .map(|j| if j == 2 { value } else { num(j as f64) })
                        .collect();
                    tx.raw_set_ints(t, key as i64, &run).expect("keys");
                }
                _ => {
                    tx.set_fast(t, &num(key as f64), value).expect("key");
                }
            }
            if (r >> 40) % 97 == 0 {
                tx.reset_table(t, (r >> 48) as usize % 6).expect("no limit");
            }
            let table = heap.objects.tables.get(t.raw()).expect("live");
            let context = format!("case {case} step {step}");
            assert_exact_border_holds(table, &context);
            let array = table.array();
            if array.last().is_some_and(|v| *v == Value::Nil) {
                assert_eq!(table.len(), array_border_51(array), "{context}");
            }
        }
    }
}

#[test]
fn border_hint_is_taken_when_5_1_would_find_it() {
    // The hint's check must accept every border 5.1's search finds on a list (values exactly
    // below the border): a check that refuses too often is only slower (the full search
    // follows), so this is what catches it. Array parts of powers of two and of other sizes.
    for size in [1, 2, 4, 64, 1024, 3, 37, 100] {
        let mut heap = Heap::new();
        let t = heap.tx().new_table(size, 0).expect("no limit");
        for border in 0..size {
            let table = heap.objects.tables.get(t.raw()).expect("live");
            assert_eq!(table.array().len(), size);
            table.remember_border(border);
            assert_eq!(
                table.hinted_border(size),
                Some(border),
                "size {size} border {border}"
            );
            heap.tx()
                .raw_set(t, num((border + 1) as f64), num(1.0))
                .expect("key");
        }
        // A hole below the border where the search looks: not this border.
        let mut heap = Heap::new();
        let t = heap.tx().new_table(size, 0).expect("no limit");
        for k in 1..size {
            heap.tx().raw_set(t, num(k as f64), num(1.0)).expect("key");
        }
        if size > 2 {
            heap.tx()
                .raw_set(t, num((size / 2) as f64), Value::Nil)
                .expect("key");
            let table = heap.objects.tables.get(t.raw()).expect("live");
            table.remember_border(size - 1);
            assert_eq!(table.hinted_border(size), None, "size {size}");
            assert_eq!(table.len(), array_border_51(table.array()), "size {size}");
        }
    }
}

#[test]
fn array_border_matches_51_after_every_change() {
    // One table changed a slot at a time (appends and removals at the border, which the border
    // hint follows, and writes anywhere, which leave it stale), `#t` after each change: always
    // 5.1's border, whatever the hint held.
    let mut state = 0x9e37_79b9_7f4a_7c15;
    for size in [2, 3, 17, 64, 100] {
        let mut heap = Heap::new();
        let t = heap.tx().new_table(size, 0).expect("no limit");
        for step in 0..2_000 {
            let border = heap.objects.tables.get(t.raw()).expect("live").len();
            let r = rng(&mut state);
            let k = match r % 4 {
                // Append at the border, or remove the last value below it.
                0 => border + 1,
                1 => border.max(1),
                // Anywhere but the last slot, which stays nil so that the array search runs.
                _ => (r / 4) as usize % (size - 1) + 1,
            }
            .min(size - 1);
            let value = if r % 4 == 1 || r % 3 == 0 {
                Value::Nil
            } else {
                num(k as f64)
            };
            heap.tx().raw_set(t, num(k as f64), value).expect("key");
            let table = heap.objects.tables.get(t.raw()).expect("live");
            assert_eq!(table.array().len(), size, "size {size} step {step}");
            assert_eq!(
                table.len(),
                array_border_51(table.array()),
                "size {size} step {step}"
            );
        }
    }
}

#[test]
fn array_border_past_the_hint_range_matches_51() {
    // Appends across border 65,535, the largest a hint holds: every `#t` is still 5.1's.
    let size = 70_000;
    let mut heap = Heap::new();
    let t = heap.tx().new_table(size, 0).expect("no limit");
    for k in 1..65_500 {
        heap.tx().raw_set(t, num(k as f64), num(1.0)).expect("key");
    }
    for k in 65_500..65_600 {
        let table = heap.objects.tables.get(t.raw()).expect("live");
        assert_eq!(table.len(), array_border_51(table.array()), "before {k}");
        heap.tx().raw_set(t, num(k as f64), num(1.0)).expect("key");
    }
}

#[test]
fn next_visits_everything_once_while_deleting() {
    let mut heap = Heap::new();
    let mut tx = heap.tx();
    let t = tx.new_table(0, 0).expect("no limit");
    let mut expected = 0.0;
    for i in 1..=20 {
        tx.raw_set_int(t, i, num(1.0)).expect("valid key");
        expected += i as f64;
    }
    for i in 0..40 {
        let key = tx.intern(format!("field{i}").as_bytes()).expect("no limit");
        tx.raw_set_str(t, key, num(1.0)).expect("valid key");
        tx.raw_set(t, num(f64::from(i) + 0.25), num(1.0))
            .expect("valid key");
    }
    let mut visited = 0;
    let mut sum = 0.0;
    let mut key = Value::Nil;
    while let Some((k, _)) = tx.next(t, key).expect("the current key is always valid") {
        // Delete the pair just visited, then continue from its key.
        tx.raw_set(t, k, Value::Nil).expect("valid key");
        visited += 1;
        match k {
            Value::Number(n) if n.fract() == 0.0 => sum += n,
            _ => {}
        }
        key = k;
    }
    assert_eq!(visited, 20 + 80);
    assert_eq!(sum, expected);
    assert_eq!(tx.next(t, Value::Nil), Ok(None));
    assert_eq!(tx.len(t), Ok(0));
}

#[test]
fn next_rejects_keys_not_in_the_table() {
    let mut heap = Heap::new();
    let mut tx = heap.tx();
    let t = tx.new_table(0, 0).expect("no limit");
    tx.raw_set_int(t, 1, num(1.0)).expect("valid key");
    let absent = tx.intern(b"absent").expect("no limit");
    assert_eq!(
        tx.next(t, Value::String(absent)),
        Err(HeapError::InvalidNextKey)
    );
    assert_eq!(tx.next(t, num(5.0)), Err(HeapError::InvalidNextKey));
    assert_eq!(tx.next(t, num(1.0)), Ok(None));
}

#[test]
fn read_only_tables_refuse_every_write() {
    let mut heap = Heap::new();
    let mut tx = heap.tx();
    let t = tx.new_table(0, 0).expect("no limit");
    let mt = tx.new_table(0, 0).expect("no limit");
    tx.raw_set_int(t, 1, num(1.0)).expect("writable");
    tx.set_readonly(t, true).expect("live table");
    let key = tx.intern(b"x").expect("no limit");
    assert_eq!(tx.raw_set(t, num(2.0), num(1.0)), Err(HeapError::ReadOnly));
    assert_eq!(
        tx.raw_set(t, Value::Nil, num(1.0)),
        Err(HeapError::ReadOnly)
    );
    assert_eq!(tx.raw_set_int(t, 1, Value::Nil), Err(HeapError::ReadOnly));
    assert_eq!(tx.raw_set_str(t, key, num(1.0)), Err(HeapError::ReadOnly));
    assert_eq!(tx.set_metatable(t, Some(mt)), Err(HeapError::ReadOnly));
    assert_eq!(tx.set_metatable(t, None), Err(HeapError::ReadOnly));
    assert_eq!(
        HeapError::ReadOnly.to_string(),
        "Attempt to modify a readonly table",
        "what Redis prints"
    );
    assert_eq!(tx.raw_get_int(t, 1), Ok(num(1.0)));
    assert_eq!(tx.is_readonly(t), Ok(true));
    tx.set_readonly(t, false).expect("live table");
    assert_eq!(tx.raw_set_str(t, key, num(1.0)), Ok(()));
}

#[test]
fn metamethod_cache_is_invalidated_by_writes() {
    let mut heap = Heap::new();
    let mut tx = heap.tx();
    let mt = tx.new_table(0, 0).expect("no limit");
    assert_eq!(tx.metamethod(mt, MetaEvent::Index), Ok(Value::Nil));
    assert_eq!(
        tx.metamethod(mt, MetaEvent::Index),
        Ok(Value::Nil),
        "cached miss"
    );
    tx.raw_set_str(mt, names::INDEX, num(1.0))
        .expect("writable");
    assert_eq!(tx.metamethod(mt, MetaEvent::Index), Ok(num(1.0)));
    assert_eq!(tx.metamethod(mt, MetaEvent::Add), Ok(Value::Nil));
    let add = tx.intern(b"__add").expect("no limit");
    tx.raw_set(mt, Value::String(add), num(2.0))
        .expect("writable");
    assert_eq!(tx.metamethod(mt, MetaEvent::Add), Ok(num(2.0)));
    assert_eq!(tx.metamethod(mt, MetaEvent::Len), Ok(Value::Nil));
    tx.raw_set_int(mt, 1, num(0.0)).expect("writable");
    tx.raw_set_str(mt, names::LEN, num(3.0)).expect("writable");
    assert_eq!(tx.metamethod(mt, MetaEvent::Len), Ok(num(3.0)));
}

#[test]
fn metatable_slot() {
    let mut heap = Heap::new();
    let mut tx = heap.tx();
    let t = tx.new_table(0, 0).expect("no limit");
    let mt = tx.new_table(0, 0).expect("no limit");
    assert_eq!(tx.metatable(t), Ok(None));
    tx.set_metatable(t, Some(mt)).expect("writable");
    assert_eq!(tx.metatable(t), Ok(Some(mt)));
    tx.set_metatable(t, None).expect("writable");
    assert_eq!(tx.metatable(t), Ok(None));
}

/// The keys the number fast paths must treat like `raw_get`/`raw_set`: around the array part,
/// fractions, huge and non-finite floats, `-0`.
const EDGE_KEYS: [f64; 16] = [
    0.0,
    -0.0,
    1.0,
    4.0,
    5.0,
    -1.0,
    1.5,
    4.5,
    4294967297.0,
    9007199254740993.0,
    9_223_372_036_854_775_808.0,
    -9_223_372_036_854_775_808.0,
    1e300,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::MIN_POSITIVE,
];

#[test]
fn get_fast_agrees_with_raw_get_on_edge_keys() {
    let mut heap = Heap::new();
    let t = build(&mut heap, 4, &seq(1..=4));
    let mut tx = heap.tx();
    for (n, &key) in EDGE_KEYS.iter().enumerate() {
        if !(1.0..=4.0).contains(&key) || key.fract() != 0.0 {
            tx.raw_set(t, num(key), num(100.0 + n as f64))
                .expect("valid key");
        }
    }
    let s = tx.intern(b"s").expect("no limit");
    tx.raw_set_str(t, s, num(7.0)).expect("writable");
    for key in EDGE_KEYS.iter().map(|&k| num(k)).chain([
        num(f64::NAN),
        Value::Nil,
        Value::String(s),
        Value::Boolean(true),
    ]) {
        let raw = tx.raw_get(t, key).expect("live table");
        assert_eq!(heap.get_fast(t, &key).copied(), Some(raw), "key {key:?}");
        tx = heap.tx();
    }
}

#[test]
fn set_fast_agrees_with_raw_set_on_edge_keys() {
    let mut heap = Heap::new();
    let fast = build(&mut heap, 4, &seq(1..=4));
    let raw = build(&mut heap, 4, &seq(1..=4));
    let mut tx = heap.tx();
    for (n, &key) in EDGE_KEYS.iter().enumerate() {
        let value = num(100.0 + n as f64);
        assert_eq!(tx.set_fast(fast, &num(key), value), Ok(true));
        tx.raw_set(raw, num(key), value).expect("valid key");
    }
    for key in [num(f64::NAN), Value::Nil] {
        assert_eq!(
            tx.set_fast(fast, &key, num(1.0)),
            tx.raw_set(raw, key, num(1.0)).map(|()| true)
        );
    }
    let mut key = Value::Nil;
    while let Some((k, v)) = tx.next(raw, key).expect("valid key") {
        assert_eq!(tx.raw_get(fast, k), Ok(v), "key {k:?}");
        key = k;
    }
    assert_eq!(tx.len(fast), tx.len(raw));
}

#[test]
fn set_fast_leaves_read_only_tables_and_newindex_to_the_slow_path() {
    let mut heap = Heap::new();
    let mut tx = heap.tx();
    let t = tx.new_table(2, 0).expect("no limit");
    let mt = tx.new_table(0, 0).expect("no limit");
    let x = Value::String(tx.intern(b"x").expect("no limit"));
    assert_eq!(tx.set_fast(t, &num(1.0), num(1.0)), Ok(true));
    tx.set_readonly(t, true).expect("live table");
    for key in [num(1.0), num(3.0), x, Value::Nil] {
        assert_eq!(tx.set_fast(t, &key, num(2.0)), Ok(false), "key {key:?}");
    }
    assert_eq!(tx.raw_get_int(t, 1), Ok(num(1.0)), "unchanged");
    assert_eq!(tx.raw_set_int(t, 1, num(2.0)), Err(HeapError::ReadOnly));
    tx.set_readonly(t, false).expect("live table");
    tx.set_metatable(t, Some(mt)).expect("writable");
    assert_eq!(tx.set_fast(t, &x, num(3.0)), Ok(true), "no __newindex");
    tx.raw_set_str(mt, names::NEWINDEX, num(0.0))
        .expect("writable");
    assert_eq!(tx.set_fast(t, &x, num(4.0)), Ok(false), "__newindex added");
    assert_eq!(tx.set_fast(t, &num(2.0), num(4.0)), Ok(false));
    assert_eq!(tx.raw_get(t, x), Ok(num(3.0)));
    tx.raw_set_str(mt, names::NEWINDEX, Value::Nil)
        .expect("writable");
    assert_eq!(tx.set_fast(t, &x, num(5.0)), Ok(true), "__newindex removed");
    assert_eq!(tx.raw_get(t, x), Ok(num(5.0)));
    let stale = tx.new_table(0, 0).expect("no limit");
    heap.collect(&t);
    assert_eq!(
        heap.tx().set_fast(stale, &num(1.0), num(1.0)),
        Err(HeapError::StaleHandle)
    );
    assert_eq!(heap.get_fast(stale, &num(1.0)), None);
}

#[test]
fn get_fast_follows_index_tables() {
    let mut heap = Heap::new();
    let mut tx = heap.tx();
    let obj = tx.new_table(0, 0).expect("no limit");
    let mt = tx.new_table(0, 0).expect("no limit");
    let class = tx.new_table(0, 0).expect("no limit");
    let m = Value::String(tx.intern(b"m").expect("no limit"));
    tx.set_metatable(obj, Some(mt)).expect("writable");
    assert_eq!(heap.get_fast(obj, &m), Some(&Value::Nil), "no __index");
    let mut tx = heap.tx();
    tx.raw_set_str(mt, names::INDEX, Value::Table(class))
        .expect("writable");
    tx.raw_set(class, m, num(1.0)).expect("writable");
    assert_eq!(heap.get_fast(obj, &m), Some(&num(1.0)));
    assert_eq!(
        heap.get_fast(obj, &num(1.0)),
        Some(&Value::Nil),
        "a miss in a class without a metatable"
    );
    // A class inheriting from a base: obj -> class -> base, through two more metatables.
    let mut tx = heap.tx();
    let class_mt = tx.new_table(0, 0).expect("no limit");
    let base = tx.new_table(0, 0).expect("no limit");
    let b = Value::String(tx.intern(b"b").expect("no limit"));
    tx.raw_set(base, b, num(2.0)).expect("writable");
    tx.raw_set_str(class_mt, names::INDEX, Value::Table(base))
        .expect("writable");
    tx.set_metatable(class, Some(class_mt)).expect("writable");
    assert_eq!(heap.get_fast(obj, &b), Some(&num(2.0)), "found in the base");
    assert_eq!(heap.get_fast(obj, &m), Some(&num(1.0)), "the class first");
    // A chain that loops is left to the slow path, which raises `loop in gettable`.
    heap.tx()
        .raw_set_str(class_mt, names::INDEX, Value::Table(class))
        .expect("writable");
    assert_eq!(heap.get_fast(obj, &num(1.0)), None, "a looping chain");
    heap.tx()
        .raw_set_str(mt, names::INDEX, num(0.0))
        .expect("writable");
    assert_eq!(heap.get_fast(obj, &m), None, "a non-table __index");
}

#[test]
fn next_visits_string_keys_in_lua51_order() {
    // lua5.1: `local u = {} for i = 1, 10 do u['k'..i] = i end for k in pairs(u) ...`.
    let mut heap = Heap::new();
    let mut tx = heap.tx();
    let t = tx.new_table(0, 0).expect("no limit");
    for i in 1..=10 {
        let s = tx.intern(format!("k{i}").as_bytes()).expect("no limit");
        tx.raw_set_str(t, s, num(f64::from(i))).expect("valid key");
    }
    let mut order = Vec::new();
    let mut key = Value::Nil;
    while let Some((k, _)) = tx.next(t, key).expect("present") {
        let Value::String(s) = k else {
            panic!("string keys only")
        };
        order.push(String::from_utf8_lossy(tx.str_bytes(s).expect("live")).into_owned());
        key = k;
    }
    assert_eq!(order.join(" "), "k9 k8 k1 k3 k2 k10 k6 k7 k4 k5");
}

#[test]
fn a_reset_table_is_a_new_table() {
    let mut heap = Heap::new();
    // Every key kind, a metatable and read-only state, then a reset to 3 slots.
    let table = build(&mut heap, 2, &seq(1..=40));
    {
        let mut tx = heap.tx();
        let key = tx.intern(b"name").expect("no limit");
        tx.raw_set(table, Value::String(key), num(1.0))
            .expect("string key");
        tx.raw_set(table, num(0.5), num(2.0)).expect("float key");
        let meta = tx.new_table(0, 0).expect("no limit");
        tx.set_metatable(table, Some(meta)).expect("writable");
        tx.set_readonly(table, true).expect("live");
        tx.reset_table(table, 3).expect("no limit");
        assert_eq!(tx.next(table, Value::Nil).expect("live"), None);
        assert_eq!(tx.metatable(table).expect("live"), None);
        assert!(!tx.is_readonly(table).expect("live"));
        assert_eq!(tx.len(table).expect("live"), 0);
    }
    // Shaped and charged as `new_table(3, 0)`.
    let t = heap.objects.tables.get(table.raw()).expect("live");
    assert_eq!((t.array().len(), t.nodes().len()), (3, 0));
    assert_eq!(t.heap_size(), super::Table::heap_size_for(3, 0));
    // It then behaves like a new table: keys 1..3 in the array part, 4 in the hash part.
    let mut tx = heap.tx();
    for i in 1..=4 {
        tx.raw_set_int(table, i, num(i as f64)).expect("writable");
    }
    assert_eq!(tx.len(table).expect("live"), 4);
    let order: Vec<Value> = std::iter::successors(
        tx.next(table, Value::Nil).expect("live").map(|(k, _)| k),
        |&k| tx.next(table, k).expect("live").map(|(k, _)| k),
    )
    .collect();
    assert_eq!(order, vec![num(1.0), num(2.0), num(3.0), num(4.0)]);
}

#[test]
fn a_reset_past_the_memory_limit_changes_nothing() {
    let mut heap = Heap::new();
    let table = build(&mut heap, 0, &seq(1..=4));
    heap.set_memory_limit(Some(heap.bytes_allocated()));
    let mut tx = heap.tx();
    assert_eq!(tx.reset_table(table, 1000), Err(HeapError::OutOfMemory));
    assert_eq!(tx.len(table).expect("live"), 4);
}

#[test]
fn a_table_is_64_bytes() {
    // Its arena slot (with the generation) is then 72 bytes.
    assert_eq!(size_of::<super::Table>(), 64);
}

/// Asserts that two tables have the same layout, field for field.
pub(super) fn assert_same_layout(
    heap: &Heap,
    built: TableHandle,
    assigned: TableHandle,
    case: &str,
) {
    let (a, b) = (
        heap.objects.tables.get(built.raw()).expect("live"),
        heap.objects.tables.get(assigned.raw()).expect("live"),
    );
    assert_eq!(a.array(), b.array(), "{case}: array part");
    assert_eq!(a.nodes().len(), b.nodes().len(), "{case}: node count");
    for (pos, (x, y)) in a.nodes().iter().zip(b.nodes()).enumerate() {
        assert_eq!(
            (x.key, x.value, x.next, x.key_hash),
            (y.key, y.value, y.next, y.key_hash),
            "{case}: node {pos}"
        );
    }
    assert_eq!(a.last_free, b.last_free, "{case}: last_free");
    assert_eq!(a.heap_size(), b.heap_size(), "{case}: charge");
}

/// `n` interned strings `{prefix}0`, `{prefix}1`, ... as values.
pub(super) fn string_keys(heap: &mut Heap, prefix: &str, n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| {
            let s = heap
                .tx()
                .intern(format!("{prefix}{i}").as_bytes())
                .expect("no limit");
            Value::String(s)
        })
        .collect()
}

/// A small deterministic generator (xorshift64*).
pub(super) fn rng(state: &mut u64) -> u64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_f491_4f6c_dd1d)
}

#[test]
fn tables_built_at_once_equal_tables_assigned_one_by_one() {
    let mut heap = Heap::new();
    let mut state = 0x9e37_79b9_7f4a_7c15;
    let words = string_keys(&mut heap, "key", 300);
    for case in 0..400 {
        let n = match case % 4 {
            0 => (rng(&mut state) % 8) as usize,
            1 => (rng(&mut state) % 40) as usize,
            _ => (rng(&mut state) % 200) as usize,
        };
        // Keys from a pool small enough for repeats; in one case of five, now and then a
        // number key or a nil value, which take the one-by-one path.
        let pool = 1 + (rng(&mut state) % 300) as usize;
        let specials = case % 5 == 0;
        let pairs: Vec<(Value, Value)> = (0..n)
            .map(|i| {
                let r = rng(&mut state);
                let key = match r % 97 {
                    0 if specials => num((r % 5) as f64 + 1.0),
                    _ => words[(r as usize >> 8) % pool],
                };
                let value = if specials && r % 89 == 0 {
                    Value::Nil
                } else {
                    num(i as f64)
                };
                (key, value)
            })
            .collect();
        let mut tx = heap.tx();
        let built = tx.new_table_from(&pairs).expect("no limit");
        let assigned = tx.new_table(0, 0).expect("no limit");
        for &(key, value) in &pairs {
            tx.raw_set(assigned, key, value).expect("valid key");
        }
        assert_same_layout(&heap, built, assigned, &format!("pairs, case {case}"));

        let values: Vec<Value> = (0..n)
            .map(|i| {
                if case % 7 == 0 && i == n / 2 {
                    Value::Nil
                } else {
                    num(i as f64)
                }
            })
            .collect();
        let mut tx = heap.tx();
        let built = tx.new_array_from(&values).expect("no limit");
        let assigned = tx.new_table(0, 0).expect("no limit");
        for (i, &value) in (1..).zip(&values) {
            tx.raw_set_int(assigned, i, value).expect("valid key");
        }
        assert_same_layout(&heap, built, assigned, &format!("array, case {case}"));
    }
}

/// A table with eight pairs: four in the array part (index 3 cleared), four in the nodes.
fn mixed_table(heap: &mut Heap) -> TableHandle {
    let table = build(heap, 0, &seq(1..=5));
    let mut tx = heap.tx();
    for key in [b"a".as_slice(), b"bb", b"ccc"] {
        let s = tx.intern(key).expect("no limit");
        tx.raw_set_str(table, s, num(1.0)).expect("writable");
    }
    tx.raw_set(table, num(0.5), num(2.0)).expect("writable");
    tx.raw_set_int(table, 3, Value::Nil).expect("writable");
    table
}

#[test]
fn pair_at_walks_in_next_order() {
    let mut heap = Heap::new();
    let table = mixed_table(&mut heap);
    let tx = heap.tx();
    let mut by_key = Vec::new();
    let mut key = Value::Nil;
    while let Some((k, v)) = tx.next(table, key).expect("present") {
        by_key.push((k, v));
        key = k;
    }
    let mut by_pos = Vec::new();
    let mut pos = 0;
    while let Some((at, k, v)) = tx.pair_at(table, pos).expect("live") {
        by_pos.push((k, v));
        pos = at + 1;
    }
    assert_eq!(by_pos, by_key);
    assert_eq!(by_pos.len(), 8);
    let mut all = vec![(Value::Nil, Value::Nil)];
    tx.pairs_into(table, &mut all).expect("live");
    assert_eq!(all.get(1..), Some(&by_key[..]));
}

#[test]
fn next_into_writes_what_next_returns() {
    let mut heap = Heap::new();
    let table = mixed_table(&mut heap);
    let mut key = Value::Nil;
    let mut steps = 0;
    loop {
        // Room for the key and value, for the key only, and for more (left as they were).
        let mut pair = [Value::Boolean(true); 3];
        let mut key_only = [Value::Boolean(true); 1];
        let more = heap.next_into(table, key, &mut pair).expect("present");
        assert_eq!(heap.next_into(table, key, &mut key_only), Ok(more));
        match heap.next(table, key).expect("present") {
            Some((k, v)) => {
                assert!(more);
                assert_eq!(pair, [k, v, Value::Boolean(true)]);
                assert_eq!(key_only, [k]);
                key = k;
                steps += 1;
            }
            None => {
                assert!(!more);
                assert_eq!(pair, [Value::Boolean(true); 3]);
                break;
            }
        }
    }
    assert_eq!(steps, 8);
}

#[test]
fn building_past_the_memory_limit_fails_cleanly() {
    let mut heap = Heap::new();
    let key = Value::String(heap.tx().intern(b"k").expect("no limit"));
    heap.set_memory_limit(Some(heap.bytes_allocated() + 8));
    let before = heap.bytes_allocated();
    let mut tx = heap.tx();
    assert_eq!(
        tx.new_table_from(&[(key, num(1.0))]),
        Err(HeapError::OutOfMemory)
    );
    assert_eq!(tx.new_array_from(&[num(1.0)]), Err(HeapError::OutOfMemory));
    assert_eq!(heap.bytes_allocated(), before);
}
