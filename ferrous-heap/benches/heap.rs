//! Heap micro-benchmarks: interning, table get/set in the array and hash parts, appends, and
//! full collections of a million objects. Run with `cargo bench -p ferrous-heap`; the figures
//! are recorded in docs/ARCHITECTURE.md.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ferrous_heap::{Heap, StringHandle, TableHandle, Trace, Tracer, Value};

const N: usize = 1024;
const MILLION: usize = 1_000_000;

struct Roots(Vec<Value>);

impl Trace for Roots {
    fn trace(&self, tracer: &mut Tracer<'_>) {
        tracer.values(&self.0);
    }
}

fn keys(count: usize) -> Vec<Vec<u8>> {
    (0..count)
        .map(|i| format!("key number {i}").into_bytes())
        .collect()
}

fn interning(c: &mut Criterion) {
    let words = keys(N);
    c.bench_function("intern/new (1024 strings)", |b| {
        b.iter_batched(
            Heap::new,
            |mut heap| {
                let mut tx = heap.tx();
                for word in &words {
                    black_box(tx.intern(word).expect("no limit"));
                }
                heap
            },
            BatchSize::SmallInput,
        );
    });
    let mut heap = Heap::new();
    for word in &words {
        heap.tx().intern(word).expect("no limit");
    }
    c.bench_function("intern/existing (1024 strings)", |b| {
        b.iter(|| {
            let mut tx = heap.tx();
            for word in &words {
                black_box(tx.intern(word).expect("no limit"));
            }
        });
    });
}

fn array_table(heap: &mut Heap) -> TableHandle {
    let mut tx = heap.tx();
    let table = tx.new_table(0, 0).expect("no limit");
    for i in 1..=N as i64 {
        tx.raw_set_int(table, i, Value::Number(i as f64))
            .expect("no limit");
    }
    table
}

fn hash_table(heap: &mut Heap) -> (TableHandle, Vec<StringHandle>) {
    let mut tx = heap.tx();
    let table = tx.new_table(0, 0).expect("no limit");
    let names: Vec<_> = keys(N)
        .iter()
        .map(|k| tx.intern(k).expect("no limit"))
        .collect();
    for (i, name) in names.iter().enumerate() {
        tx.raw_set_str(table, *name, Value::Number(i as f64))
            .expect("no limit");
    }
    (table, names)
}

fn tables(c: &mut Criterion) {
    let mut heap = Heap::new();
    let table = array_table(&mut heap);
    // Reads accumulate into one result (a `black_box` per read costs more than the read).
    c.bench_function("table/array get_int (1024)", |b| {
        b.iter(|| {
            let tx = heap.tx();
            let table = black_box(table);
            let mut sum = 0.0;
            for i in 1..=N as i64 {
                if let Ok(Value::Number(n)) = tx.raw_get_int(table, i) {
                    sum += n;
                }
            }
            black_box(sum)
        });
    });
    c.bench_function("table/array set_int (1024)", |b| {
        b.iter(|| {
            let mut tx = heap.tx();
            let table = black_box(table);
            for i in 1..=N as i64 {
                tx.raw_set_int(table, i, Value::Number(i as f64))
                    .expect("live");
            }
        });
    });
    let (table, names) = hash_table(&mut heap);
    c.bench_function("table/hash get_str (1024)", |b| {
        b.iter(|| {
            let tx = heap.tx();
            let table = black_box(table);
            let mut sum = 0.0;
            for name in &names {
                if let Ok(Value::Number(n)) = tx.raw_get_str(table, *name) {
                    sum += n;
                }
            }
            black_box(sum)
        });
    });
    c.bench_function("table/hash get via Value key (1024)", |b| {
        b.iter(|| {
            let tx = heap.tx();
            let table = black_box(table);
            let mut sum = 0.0;
            for name in &names {
                if let Ok(Value::Number(n)) = tx.raw_get(table, Value::String(*name)) {
                    sum += n;
                }
            }
            black_box(sum)
        });
    });
    c.bench_function("table/hash set_str (1024)", |b| {
        b.iter(|| {
            let mut tx = heap.tx();
            let table = black_box(table);
            for (i, name) in names.iter().enumerate() {
                tx.raw_set_str(table, *name, Value::Number(i as f64))
                    .expect("live");
            }
        });
    });
    c.bench_function("table/append t[#t+1]=v (10000)", |b| {
        b.iter(|| {
            let mut tx = heap.tx();
            let t = tx.new_table(0, 0).expect("no limit");
            for _ in 0..10_000 {
                let n = tx.len(t).expect("live") as i64;
                tx.raw_set_int(t, n + 1, Value::Boolean(true))
                    .expect("no limit");
            }
            black_box(t)
        });
    });
    heap.collect(&());
}

/// A heap holding a million small tables, all reachable from the returned root table.
fn million_tables() -> (Heap, Roots) {
    let mut heap = Heap::new();
    let mut tx = heap.tx();
    let root = tx.new_table(MILLION, 0).expect("no limit");
    for i in 1..=MILLION as i64 {
        let t = tx.new_table(0, 1).expect("no limit");
        tx.raw_set_int(root, i, Value::Table(t)).expect("no limit");
    }
    (heap, Roots(vec![Value::Table(root)]))
}

fn collection(c: &mut Criterion) {
    let mut group = c.benchmark_group("gc");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500));
    group.bench_function("full collection, 1M live tables", |b| {
        let (mut heap, roots) = million_tables();
        b.iter(|| heap.collect(&roots));
    });
    group.bench_function("full collection, 1M dead tables", |b| {
        b.iter_batched(
            million_tables,
            |(mut heap, _roots)| {
                heap.collect(&());
                heap
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    targets = interning, tables, collection
}
criterion_main!(benches);
