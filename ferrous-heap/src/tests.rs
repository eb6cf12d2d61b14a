//! Heap-level tests: interning identity across collections, stale handles, the collector
//! (roots, weak tables, deep structures, accounting) and the memory limit. Everything goes
//! through the public API; `Roots` is the stand-in for the VM's root set.

use std::rc::Rc;

use crate::{
    Function, HeapError, LuaClosure, NativeClosure, NativeFn, Prototype, StringHandle, TableHandle,
    Thread, Trace, Tracer, UpValue, UpValueList, UpValuePlace, UserData, Value, heap::Heap, names,
};

/// The values a test keeps alive across collections.
#[derive(Default)]
struct Roots(Vec<Value>);

impl Trace for Roots {
    fn trace(&self, tracer: &mut Tracer<'_>) {
        tracer.values(&self.0);
    }
}

fn intern(heap: &mut Heap, bytes: &[u8]) -> StringHandle {
    heap.tx().intern(bytes).expect("no limit")
}

fn table(heap: &mut Heap) -> TableHandle {
    heap.tx().new_table(0, 0).expect("no limit")
}

fn num(n: f64) -> Value {
    Value::Number(n)
}

#[test]
fn interning_gives_one_handle_per_content() {
    let mut heap = Heap::new();
    let a = intern(&mut heap, b"hello");
    assert_eq!(intern(&mut heap, b"hello"), a);
    assert_ne!(intern(&mut heap, b"hellO"), a);
    assert_eq!(intern(&mut heap, b"__index"), names::INDEX);
    assert_eq!(intern(&mut heap, b""), intern(&mut heap, b""));
}

#[test]
fn raw_bytes_are_kept_exactly() {
    let mut heap = Heap::new();
    let samples: [&[u8]; 5] = [b"a\0b", b"a\0c", b"a", b"\xff\xfe\x00", b"\xc3\x28"];
    let handles: Vec<_> = samples.iter().map(|s| intern(&mut heap, s)).collect();
    for (i, (sample, handle)) in samples.iter().zip(&handles).enumerate() {
        assert_eq!(heap.tx().str_bytes(*handle), Ok(*sample));
        for other in &handles[i + 1..] {
            assert_ne!(handle, other);
        }
        assert_eq!(intern(&mut heap, sample), *handle);
    }
}

#[test]
fn long_strings_sharing_a_prefix_are_distinct() {
    let mut heap = Heap::new();
    let mut a = vec![b'x'; 10_000];
    let mut b = a.clone();
    a.push(b'1');
    b.push(b'2');
    let (ha, hb) = (intern(&mut heap, &a), intern(&mut heap, &b));
    assert_ne!(ha, hb);
    let hash = |h: StringHandle| heap.objects.strings.get(h.raw()).map(|s| s.hash);
    assert_ne!(hash(ha), hash(hb));
}

#[test]
fn strings_built_from_strings_are_interned() {
    let mut heap = Heap::new();
    let hello = intern(&mut heap, b"hello world");
    let sub = heap
        .tx()
        .intern_from(hello, |b, out| out.extend_from_slice(&b[6..]));
    assert_eq!(sub, Ok(intern(&mut heap, b"world")));
    let upper = heap
        .tx()
        .intern_from(hello, |b, out| out.extend(b.to_ascii_uppercase()));
    assert_eq!(
        heap.tx().str_bytes(upper.expect("no limit")),
        Ok(&b"HELLO WORLD"[..])
    );
    // Nothing built: the empty string. The source itself, and a large string (past what the
    // reused buffer keeps), then a small one again.
    let empty = heap.tx().intern_from(hello, |_, _| {});
    assert_eq!(empty, Ok(intern(&mut heap, b"")));
    assert_eq!(
        heap.tx()
            .intern_from(hello, |b, out| out.extend_from_slice(b)),
        Ok(hello)
    );
    let big = heap.tx().intern_from(hello, |b, out| {
        for _ in 0..20_000 {
            out.extend_from_slice(b);
        }
    });
    assert_eq!(
        heap.tx().str_bytes(big.expect("no limit")).map(<[u8]>::len),
        Ok(220_000)
    );
    let again = heap
        .tx()
        .intern_from(hello, |b, out| out.extend_from_slice(&b[..5]));
    assert_eq!(again, Ok(intern(&mut heap, b"hello")));
    // A stale source is an error.
    heap.collect(&Roots::default());
    let stale = heap
        .tx()
        .intern_from(hello, |b, out| out.extend_from_slice(b));
    assert_eq!(stale, Err(HeapError::StaleHandle));
}

#[test]
fn interning_identity_across_collections_and_concatenation() {
    let mut heap = Heap::new();
    let kept = intern(&mut heap, b"foobar");
    let roots = Roots(vec![Value::String(kept)]);
    heap.collect(&roots);
    // After a collection: same handle, by interning and by concatenation.
    assert_eq!(intern(&mut heap, b"foobar"), kept);
    let (foo, bar) = (intern(&mut heap, b"foo"), intern(&mut heap, b"bar"));
    assert_eq!(heap.tx().concat(&[foo, bar]), Ok(kept));
    // A string built by concatenation before a collection is found by interning after it.
    let built = heap.tx().concat(&[bar, foo]).expect("no limit");
    let roots = Roots(vec![Value::String(kept), Value::String(built)]);
    heap.collect(&roots);
    assert_eq!(intern(&mut heap, b"barfoo"), built);
    assert_eq!(heap.tx().str_bytes(built), Ok(&b"barfoo"[..]));
    // Unrooted strings are gone; re-interning their bytes makes a fresh, live handle.
    assert_eq!(heap.tx().str_bytes(foo), Err(HeapError::StaleHandle));
    let foo_again = intern(&mut heap, b"foo");
    assert_ne!(foo_again, foo);
    assert_eq!(heap.tx().str_bytes(foo_again), Ok(&b"foo"[..]));
    assert_eq!(heap.tx().concat(&[foo, bar]), Err(HeapError::StaleHandle));
}

#[test]
fn pinned_names_survive_collections() {
    let mut heap = Heap::new();
    heap.collect(&());
    heap.collect(&());
    assert_eq!(heap.tx().str_bytes(names::KEYS), Ok(&b"KEYS"[..]));
    assert_eq!(intern(&mut heap, b"ARGV"), names::ARGV);
    assert_eq!(heap.interner.len(), names::ALL.len());
    assert_eq!(heap.objects.strings.len(), names::ALL.len());
}

fn proto(heap: &mut Heap, constant: Value) -> crate::ProtoHandle {
    let source = intern(heap, b"=test");
    heap.tx()
        .new_proto(Prototype {
            code: Rc::from(vec![0u32; 4]),
            exec: Rc::from(vec![0u32; 4]),
            constants: Rc::from(vec![constant]),
            protos: Box::new([]),
            num_upvalues: 1,
            num_params: 0,
            is_vararg: 2,
            max_stack_size: 2,
            source,
            line_defined: 0,
            last_line_defined: 0,
            line_info: Rc::from(vec![1u32; 4]),
            local_vars: Box::new([]),
            upvalue_names: Box::new([]),
        })
        .expect("no limit")
}

#[test]
fn stale_handles_are_errors_after_collection() {
    let mut heap = Heap::new();
    let t = table(&mut heap);
    let s = intern(&mut heap, b"gone");
    let p = proto(&mut heap, Value::Nil);
    let mut tx = heap.tx();
    let u = tx.new_upvalue(UpValue::Closed(num(1.0))).expect("no limit");
    let f = tx
        .new_function(Function::Lua(LuaClosure {
            proto: p,
            shape: crate::CallShape {
                num_params: 0,
                is_vararg: 2,
                max_stack_size: 2,
                num_upvalues: 1,
            },
            upvalues: UpValueList::from(&[u][..]),
            env: t,
        }))
        .expect("no limit");
    let ud = tx
        .new_userdata(UserData {
            metatable: None,
            env: None,
            data: Box::new(()),
        })
        .expect("no limit");
    let th = tx.new_thread(Thread::default()).expect("no limit");
    heap.collect(&());
    let stale = Err(HeapError::StaleHandle);
    let mut tx = heap.tx();
    assert_eq!(tx.raw_get(t, num(1.0)), stale);
    assert_eq!(tx.raw_get_int(t, 1), stale);
    assert_eq!(tx.raw_get_str(t, names::N), stale);
    assert_eq!(
        tx.raw_set(t, num(1.0), num(1.0)),
        Err(HeapError::StaleHandle)
    );
    assert_eq!(tx.raw_set_int(t, 1, num(1.0)), Err(HeapError::StaleHandle));
    assert_eq!(tx.len(t), Err(HeapError::StaleHandle));
    assert_eq!(tx.next(t, Value::Nil), Err(HeapError::StaleHandle));
    assert_eq!(tx.metatable(t), Err(HeapError::StaleHandle));
    assert_eq!(tx.set_metatable(t, None), Err(HeapError::StaleHandle));
    assert_eq!(tx.str_bytes(s), Err(HeapError::StaleHandle));
    assert!(tx.proto(p).is_err());
    assert_eq!(tx.upvalue(u), Err(HeapError::StaleHandle));
    assert!(tx.function(f).is_err());
    assert!(tx.userdata(ud).is_err());
    assert!(tx.thread(th).is_err());
    // A new object in the same slot does not revive the old handle.
    let t2 = tx.new_table(0, 0).expect("no limit");
    assert_eq!(t2.raw().index(), t.raw().index());
    assert_eq!(tx.len(t), Err(HeapError::StaleHandle));
    assert_eq!(tx.len(t2), Ok(0));
    assert_eq!(heap.bytes_allocated(), {
        let mut fresh = Heap::new();
        fresh.tx().new_table(0, 0).expect("no limit");
        fresh.bytes_allocated()
    });
}

#[test]
fn everything_reachable_from_roots_survives() {
    let mut heap = Heap::new();
    let env = table(&mut heap);
    let konst = intern(&mut heap, b"a constant");
    let p = proto(&mut heap, Value::String(konst));
    let mut tx = heap.tx();
    let closed = tx.new_table(0, 0).expect("no limit");
    let u = tx
        .new_upvalue(UpValue::Closed(Value::Table(closed)))
        .expect("no limit");
    let f = tx
        .new_function(Function::Lua(LuaClosure {
            proto: p,
            shape: crate::CallShape {
                num_params: 0,
                is_vararg: 2,
                max_stack_size: 2,
                num_upvalues: 1,
            },
            upvalues: UpValueList::from(&[u][..]),
            env,
        }))
        .expect("no limit");
    let native_up = tx.intern(b"native upvalue").expect("no limit");
    let native = tx
        .new_function(Function::Native(NativeClosure {
            id: NativeFn(3),
            upvalues: Box::new([Value::String(native_up)]),
            env,
        }))
        .expect("no limit");
    let mt = tx.new_table(0, 0).expect("no limit");
    let ud = tx
        .new_userdata(UserData {
            metatable: Some(mt),
            env: None,
            data: Box::new(Value::Function(native)),
        })
        .expect("no limit");
    let th = tx
        .new_thread(Thread {
            payload: Some(Box::new(Value::UserData(ud))),
        })
        .expect("no limit");
    let roots = Roots(vec![Value::Function(f), Value::Thread(th)]);
    heap.collect(&roots);
    let tx = heap.tx();
    assert_eq!(tx.str_bytes(konst), Ok(&b"a constant"[..]));
    assert_eq!(tx.str_bytes(native_up), Ok(&b"native upvalue"[..]));
    assert_eq!(tx.upvalue(u), Ok(UpValue::Closed(Value::Table(closed))));
    assert_eq!(tx.len(closed), Ok(0));
    assert_eq!(tx.len(env), Ok(0));
    assert_eq!(tx.len(mt), Ok(0));
    let userdata = tx
        .userdata(ud)
        .expect("reachable through the thread payload");
    assert_eq!(
        userdata.downcast_ref::<Value>(),
        Some(&Value::Function(native))
    );
    let thread = tx.thread(th).expect("rooted");
    assert_eq!(thread.downcast_ref::<Value>(), Some(&Value::UserData(ud)));
    assert!(tx.function(native).is_ok());
}

#[test]
fn a_closed_upvalue_keeps_its_cell_until_collected() {
    let mut heap = Heap::new();
    let mut tx = heap.tx();
    let thread = tx.new_thread(Thread { payload: None }).expect("no limit");
    let t = tx.new_table(0, 0).expect("no limit");
    let u = tx
        .new_upvalue(UpValue::Open { thread, slot: 3 })
        .expect("no limit");
    assert_eq!(tx.upvalue(u), Ok(UpValue::Open { thread, slot: 3 }));
    tx.set_upvalue(u, UpValue::Closed(Value::Table(t)))
        .expect("live upvalue");
    let Ok(UpValuePlace::Closed(cell)) = heap.upvalue_place(u) else {
        panic!("closed upvalue without a cell");
    };
    assert_eq!(heap.cell(cell), Some(&Value::Table(t)));
    // Written through the cell, read through the upvalue, and the other way round.
    *heap.tx().cell_mut(cell).expect("cell") = Value::Boolean(true);
    assert_eq!(heap.upvalue(u), Ok(UpValue::Closed(Value::Boolean(true))));
    let mut tx = heap.tx();
    tx.set_upvalue(u, UpValue::Closed(Value::Table(t)))
        .expect("live upvalue");
    assert_eq!(heap.cell(cell), Some(&Value::Table(t)));
    let bytes = heap.bytes_allocated();
    heap.collect(&Roots(vec![]));
    assert!(heap.bytes_allocated() < bytes);
    // The cell was cleared when the upvalue died: the table it held died with it.
    assert_eq!(heap.upvalue(u), Err(HeapError::StaleHandle));
    assert_eq!(heap.tx().len(t), Err(HeapError::StaleHandle));
    assert_eq!(heap.cell(cell), Some(&Value::Nil));
    let v = heap
        .tx()
        .new_upvalue(UpValue::Closed(Value::Number(2.0)))
        .expect("no limit");
    assert_eq!(heap.upvalue_place(v), Ok(UpValuePlace::Closed(cell)));
    assert_eq!(heap.cell(cell), Some(&Value::Number(2.0)));
}

/// A table with metatable `{__mode = mode}`, holding `key -> value`, plus 1 -> `value`.
fn weak_table(heap: &mut Heap, mode: &[u8], key: Value, value: Value) -> TableHandle {
    let t = table(heap);
    let mt = table(heap);
    let mode = intern(heap, mode);
    let mut tx = heap.tx();
    tx.raw_set_str(mt, names::MODE, Value::String(mode))
        .expect("writable");
    tx.set_metatable(t, Some(mt)).expect("writable");
    tx.raw_set(t, key, value).expect("valid key");
    tx.raw_set_int(t, 1, value).expect("valid key");
    t
}

#[test]
fn weak_values_are_cleared_but_strings_stay() {
    let mut heap = Heap::new();
    let (dead, kept, s) = (
        table(&mut heap),
        table(&mut heap),
        intern(&mut heap, b"str"),
    );
    let key = intern(&mut heap, b"key");
    let t = weak_table(&mut heap, b"v", Value::String(key), Value::Table(dead));
    let t2 = weak_table(&mut heap, b"v", Value::String(key), Value::Table(kept));
    let t3 = weak_table(&mut heap, b"v", Value::String(key), Value::String(s));
    let roots = Roots(vec![
        Value::Table(t),
        Value::Table(t2),
        Value::Table(t3),
        Value::Table(kept),
    ]);
    heap.collect(&roots);
    let tx = heap.tx();
    assert_eq!(tx.raw_get_str(t, key), Ok(Value::Nil));
    assert_eq!(tx.raw_get_int(t, 1), Ok(Value::Nil));
    assert_eq!(tx.len(dead), Err(HeapError::StaleHandle));
    assert_eq!(tx.raw_get_str(t2, key), Ok(Value::Table(kept)));
    assert_eq!(tx.raw_get_int(t2, 1), Ok(Value::Table(kept)));
    assert_eq!(tx.raw_get_str(t3, key), Ok(Value::String(s)));
    assert_eq!(tx.str_bytes(s), Ok(&b"str"[..]));
}

#[test]
fn weak_keys_are_cleared_and_values_held_strongly() {
    let mut heap = Heap::new();
    let (dead_key, live_key, value) = (table(&mut heap), table(&mut heap), table(&mut heap));
    let t = weak_table(&mut heap, b"k", Value::Table(dead_key), Value::Table(value));
    heap.tx()
        .raw_set(t, Value::Table(live_key), num(2.0))
        .expect("valid key");
    let roots = Roots(vec![Value::Table(t), Value::Table(live_key)]);
    heap.collect(&roots);
    let tx = heap.tx();
    assert_eq!(tx.raw_get(t, Value::Table(dead_key)), Ok(Value::Nil));
    assert_eq!(tx.raw_get(t, Value::Table(live_key)), Ok(num(2.0)));
    // Values of a weak-key table are strong: `value` lives on through t[1].
    assert_eq!(tx.raw_get_int(t, 1), Ok(Value::Table(value)));
    assert_eq!(tx.len(value), Ok(0));
    // The cleared pair is gone from the traversal.
    let mut pairs = 0;
    let mut key = Value::Nil;
    while let Some((k, _)) = tx.next(t, key).expect("valid key") {
        pairs += 1;
        key = k;
    }
    assert_eq!(pairs, 2);
}

#[test]
fn weak_keys_and_values() {
    let mut heap = Heap::new();
    let (k, v) = (table(&mut heap), table(&mut heap));
    let t = weak_table(&mut heap, b"kv", Value::Table(k), Value::Table(v));
    let roots = Roots(vec![Value::Table(t), Value::Table(k)]);
    heap.collect(&roots);
    let tx = heap.tx();
    assert_eq!(tx.raw_get(t, Value::Table(k)), Ok(Value::Nil), "value died");
    assert_eq!(tx.raw_get_int(t, 1), Ok(Value::Nil));
    assert!(tx.len(v).is_err());
    // A mode without k or v is strong.
    let mut heap = Heap::new();
    let v = table(&mut heap);
    let t = weak_table(&mut heap, b"x", num(5.5), Value::Table(v));
    heap.collect(&Roots(vec![Value::Table(t)]));
    assert_eq!(heap.tx().raw_get(t, num(5.5)), Ok(Value::Table(v)));
}

/// A chain `t[1] = {[1] = {...}}` of `depth` tables; returns the outermost.
fn chain(heap: &mut Heap, depth: usize) -> TableHandle {
    let mut tx = heap.tx();
    let mut inner = tx.new_table(1, 0).expect("no limit");
    for _ in 1..depth {
        let outer = tx.new_table(1, 0).expect("no limit");
        tx.raw_set_int(outer, 1, Value::Table(inner))
            .expect("valid key");
        inner = outer;
    }
    inner
}

#[test]
fn deep_structures_are_marked_and_collected_without_recursion() {
    const DEPTH: usize = 1_000_000;
    let mut heap = Heap::new();
    let empty = heap.bytes_allocated();
    let outer = chain(&mut heap, DEPTH);
    heap.collect(&Roots(vec![Value::Table(outer)]));
    assert_eq!(heap.objects.tables.len(), DEPTH);
    let mut depth = 1;
    let mut t = outer;
    while let Ok(Value::Table(inner)) = heap.tx().raw_get_int(t, 1) {
        t = inner;
        depth += 1;
    }
    assert_eq!(depth, DEPTH);
    heap.collect(&());
    assert_eq!(heap.objects.tables.len(), 0);
    assert_eq!(heap.bytes_allocated(), empty);
}

#[test]
fn accounting_tracks_growth_and_frees() {
    let mut heap = Heap::new();
    let empty = heap.bytes_allocated();
    let t = table(&mut heap);
    let small = heap.bytes_allocated();
    for i in 1..=1000 {
        heap.tx().raw_set_int(t, i, num(1.0)).expect("no limit");
    }
    assert!(heap.bytes_allocated() >= small + 1000 * size_of::<Value>());
    heap.collect(&Roots(vec![Value::Table(t)]));
    assert!(heap.bytes_allocated() > small);
    heap.collect(&());
    assert_eq!(heap.bytes_allocated(), empty);
    assert!((heap.count_kb() - empty as f64 / 1024.0).abs() < 1e-9);
}

#[test]
fn memory_limit_refuses_allocations_and_keeps_the_heap_consistent() {
    let mut heap = Heap::new();
    let t = table(&mut heap);
    let key = intern(&mut heap, b"k");
    heap.tx().raw_set_str(t, key, num(1.0)).expect("no limit");
    let before = heap.bytes_allocated();
    heap.set_memory_limit(Some(before + 64));
    let big = vec![b'z'; 1000];
    assert_eq!(heap.tx().intern(&big), Err(HeapError::OutOfMemory));
    assert_eq!(HeapError::OutOfMemory.to_string(), "not enough memory");
    assert_eq!(heap.bytes_allocated(), before);
    // Growing the table past the limit fails and leaves it as it was.
    let mut tx = heap.tx();
    let mut failed_at = None;
    for i in 1..=100 {
        if let Err(err) = tx.raw_set_int(t, i, num(f64::from(i as i32))) {
            assert_eq!(err, HeapError::OutOfMemory);
            failed_at = Some(i);
            break;
        }
    }
    let failed_at = failed_at.expect("the limit is reached");
    assert_eq!(tx.raw_get_int(t, failed_at), Ok(Value::Nil));
    for i in 1..failed_at {
        assert_eq!(tx.raw_get_int(t, i), Ok(num(i as f64)));
    }
    assert_eq!(tx.raw_get_str(t, key), Ok(num(1.0)));
    assert_eq!(tx.new_table(1 << 20, 0), Err(HeapError::OutOfMemory));
    assert_eq!(
        tx.new_table(usize::MAX, usize::MAX),
        Err(HeapError::OutOfMemory)
    );
    assert!(heap.bytes_allocated() <= before + 64);
    // Existing strings are still found; lifting the limit makes room again.
    assert_eq!(intern(&mut heap, b"k"), key);
    heap.set_memory_limit(None);
    assert!(heap.tx().intern(&big).is_ok());
}

#[test]
fn collection_policy() {
    let mut heap = Heap::new();
    assert!(!heap.should_collect());
    assert_eq!(heap.set_pause(100), 200);
    assert_eq!(heap.set_stepmul(400), 200);
    heap.collect(&());
    for i in 0..1000 {
        intern(&mut heap, format!("garbage {i}").as_bytes());
    }
    assert!(heap.should_collect());
    heap.stop();
    assert!(!heap.should_collect());
    assert!(!heap.is_running());
    heap.restart();
    assert!(heap.should_collect());
    // With pause 100 (as in 5.1) the threshold is the live size itself: collect continuously.
    assert!(heap.step(&()));
    assert!(heap.should_collect());
    heap.set_pause(200);
    assert!(heap.step(&()));
    assert!(!heap.should_collect());
}

#[test]
fn restart_paced_sets_the_threshold_from_the_live_bytes_without_a_cycle() {
    let mut heap = Heap::new();
    heap.stop();
    for i in 0..1000 {
        intern(&mut heap, format!("kept {i}").as_bytes());
    }
    let live = heap.bytes_allocated();
    heap.restart_paced();
    assert!(heap.is_running());
    assert!(!heap.should_collect());
    assert_eq!(heap.cycles(), 0);
    // Due at about twice the bytes (pause 200), not before.
    let mut i = 0;
    while heap.bytes_allocated() < live * 19 / 10 {
        assert!(!heap.should_collect());
        intern(&mut heap, format!("more {i}").as_bytes());
        i += 1;
    }
    while !heap.should_collect() {
        intern(&mut heap, format!("more {i}").as_bytes());
        i += 1;
        assert!(heap.bytes_allocated() <= live * 2 + 4096);
    }
}

#[test]
fn under_a_memory_cap_collection_is_due_before_the_cap() {
    // A cycle with much live data would pace the next one at twice that, above the cap; the
    // threshold stays halfway from the live bytes to the cap instead.
    let mut heap = Heap::new();
    let keep: Vec<Value> = (0..2000)
        .map(|i| Value::String(intern(&mut heap, format!("live {i:0>200}").as_bytes())))
        .collect();
    let live = heap.bytes_allocated();
    heap.set_memory_limit(Some(live + live / 2));
    heap.collect(&Roots(keep));
    assert!(!heap.should_collect());
    let mut i = 0;
    while !heap.should_collect() {
        intern(&mut heap, format!("garbage {i:0>200}").as_bytes());
        i += 1;
    }
    let cap = live + live / 2;
    assert!(
        heap.bytes_allocated() < cap,
        "{} of {cap}",
        heap.bytes_allocated()
    );
    // Once the garbage is collected the heap is back to its live bytes.
    heap.collect(&());
    assert!(heap.bytes_allocated() < live);
}

#[test]
fn closures_created_across_collections_reuse_slots_and_keep_the_live_ones() {
    let mut heap = Heap::new();
    let env = table(&mut heap);
    let mut roots = Roots(vec![Value::Table(env)]);
    heap.collect(&roots);
    let empty = heap.bytes_allocated();
    let p = proto(&mut heap, Value::Nil);
    let shape = crate::CallShape {
        num_params: 0,
        is_vararg: 0,
        max_stack_size: 2,
        num_upvalues: 1,
    };
    let (mut kept, mut dropped, mut collections) = (Vec::new(), Vec::new(), 0);
    for i in 0..1000 {
        let mut tx = heap.tx();
        let u = tx
            .new_upvalue(UpValue::Closed(num(f64::from(i))))
            .expect("no limit");
        let closure = LuaClosure {
            proto: p,
            shape,
            upvalues: UpValueList::from(&[u][..]),
            env,
        };
        let f = tx.new_function(Function::Lua(closure)).expect("no limit");
        if i % 10 == 0 {
            roots.0.push(Value::Function(f));
            kept.push((f, u, i));
        } else {
            dropped.push((f, u));
        }
        // Collections in the middle of creating closures, at the VM's pace.
        if heap.should_collect() {
            heap.collect(&roots);
            collections += 1;
        }
    }
    assert!(collections > 1, "{collections} collections");
    heap.collect(&roots);
    let tx = heap.tx();
    for &(f, u, i) in &kept {
        let Ok(Function::Lua(closure)) = tx.function(f) else {
            panic!("closure {i} is rooted");
        };
        assert_eq!(closure.proto, p);
        assert_eq!(&*closure.upvalues, &[u]);
        assert_eq!(tx.upvalue(u), Ok(UpValue::Closed(num(f64::from(i)))));
    }
    for &(f, u) in &dropped {
        assert!(tx.function(f).is_err());
        assert_eq!(tx.upvalue(u), Err(HeapError::StaleHandle));
    }
    // Freed slots were reused: the arenas stayed far smaller than 1000 objects.
    let highest = kept.iter().map(|(f, ..)| f.raw().index());
    let highest = highest.chain(dropped.iter().map(|(f, _)| f.raw().index()));
    assert!(highest.max().is_some_and(|slot| slot < 500));
    roots.0.truncate(1);
    heap.collect(&roots);
    assert_eq!(heap.bytes_allocated(), empty);
}

#[test]
fn the_intern_table_forgets_exactly_the_freed_strings() {
    let mut heap = Heap::new();
    let kept: Vec<_> = (0..300)
        .map(|i| intern(&mut heap, format!("kept {i}").as_bytes()))
        .collect();
    let dropped: Vec<_> = (0..300)
        .map(|i| intern(&mut heap, format!("dropped {i}").as_bytes()))
        .collect();
    heap.collect(&Roots(kept.iter().map(|s| Value::String(*s)).collect()));
    assert_eq!(heap.interner.len(), names::ALL.len() + kept.len());
    for (i, s) in kept.iter().enumerate() {
        assert_eq!(intern(&mut heap, format!("kept {i}").as_bytes()), *s);
    }
    for (i, s) in dropped.iter().enumerate() {
        assert_eq!(heap.tx().str_bytes(*s), Err(HeapError::StaleHandle));
        let again = intern(&mut heap, format!("dropped {i}").as_bytes());
        assert_ne!(again, *s, "a new string, never the stale handle");
        assert_eq!(
            heap.tx().str_bytes(again),
            Ok(format!("dropped {i}").as_bytes())
        );
    }
}

#[test]
fn raw_get_ints_reads_what_raw_get_int_reads() {
    let mut heap = Heap::new();
    let t = table(&mut heap);
    let mut tx = heap.tx();
    for i in 1..=6 {
        tx.raw_set_int(t, i, num(i as f64)).expect("no limit");
    }
    // A hole in the array part, keys in the hash part, one at the top of the key range.
    tx.raw_set_int(t, 3, Value::Nil).expect("no limit");
    tx.raw_set_int(t, 100, num(100.0)).expect("no limit");
    tx.raw_set_int(t, -2, num(-2.0)).expect("no limit");
    tx.raw_set_int(t, i64::MAX, num(9.0)).expect("no limit");
    for (first, len) in [(1, 8), (-3, 6), (95, 10), (i64::MAX - 1, 4), (7, 0)] {
        let mut out = vec![num(0.5); len];
        heap.raw_get_ints(t, first, &mut out).expect("live table");
        for (k, v) in out.iter().enumerate() {
            let expected = first.checked_add(k as i64).map_or(Value::Nil, |key| {
                heap.raw_get_int(t, key).expect("live table")
            });
            assert_eq!(*v, expected, "t[{first} + {k}]");
        }
    }
    let stale = heap.raw_get_ints(
        TableHandle(crate::arena::RawHandle::from_parts(999, 7)),
        1,
        &mut [],
    );
    assert_eq!(stale, Err(HeapError::StaleHandle));
}
