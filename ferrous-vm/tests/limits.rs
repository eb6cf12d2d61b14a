//! Limits through the public API: no Lua program overflows the Rust stack, runaway recursion is
//! the Lua error `stack overflow` / `C stack overflow` and leaves the VM usable, fuel pauses and
//! resumes a script without changing its result, the host can interrupt nested runs, and the
//! memory cap raises `not enough memory` and leaves the VM usable.
//!
//! Every test runs on a thread with the default 2 MiB test stack (debug builds included).

use ferrous_vm::{Error, Outcome, Profile, Value, Vm};

/// The default stack of a Rust test thread.
const TEST_STACK: usize = 2 << 20;

/// Runs `f` on a thread with a 2 MiB stack.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(TEST_STACK)
        .spawn(f)
        .expect("spawn test thread")
        .join()
        .expect("test thread panicked");
}

/// Compiles and runs `src` to completion.
fn run(vm: &mut Vm, src: &str) -> Result<Vec<Value>, Error> {
    let f = vm.load(src.as_bytes(), "=input")?;
    vm.call(f, &[])
}

/// The message of a runtime error.
fn message(res: Result<Vec<Value>, Error>) -> String {
    match res {
        Err(Error::Runtime(e)) => String::from_utf8_lossy(&e.message).into_owned(),
        other => panic!("expected a runtime error, got {other:?}"),
    }
}

/// Runs `src`, which returns one string, and gives that string.
fn run_string(vm: &mut Vm, src: &str) -> String {
    let res = run(vm, src).expect("script runs");
    match res.first() {
        Some(Value::String(s)) => {
            String::from_utf8_lossy(vm.str_bytes(*s).expect("live string")).into_owned()
        }
        other => panic!("expected a string result, got {other:?}"),
    }
}

/// The VM still runs ordinary code.
fn assert_usable(vm: &mut Vm) {
    let res = run(vm, "local t = {} for i = 1, 100 do t[i] = i end return #t").expect("runs");
    assert_eq!(res, vec![Value::Number(100.0)]);
}

#[test]
fn infinite_tail_recursion_runs_in_constant_space_and_pauses() {
    on_small_stack(|| {
        let mut vm = Vm::builder().build();
        let f = vm
            .load(b"local function f() return f() end return f()", "=input")
            .expect("compiles");
        vm.start(f, &[]).expect("starts");
        for _ in 0..5 {
            assert_eq!(vm.run_for(200_000).expect("no error"), Outcome::Paused);
        }
        vm.abort();
        assert_usable(&mut vm);
    });
}

#[test]
fn infinite_recursion_is_a_stack_overflow_error() {
    on_small_stack(|| {
        let mut vm = Vm::builder().build();
        let msg = message(run(&mut vm, "function f() f() end f()"));
        assert_eq!(msg, "input:1: stack overflow");
        assert_usable(&mut vm);
        let msg = run_string(
            &mut vm,
            "local function g() return 1 + g() end return select(2, pcall(g))",
        );
        assert_eq!(msg, "input:1: stack overflow");
        assert_usable(&mut vm);
    });
}

#[test]
fn long_index_chain_is_a_loop_in_gettable() {
    on_small_stack(|| {
        let mut vm = Vm::builder().build();
        let src = "local t = {} local c = t \
                   for i = 1, 100000 do local n = {} setmetatable(c, {__index = n}) c = n end \
                   return t.missing";
        assert_eq!(message(run(&mut vm, src)), "input:1: loop in gettable");
        let src = "local t = {} local c = t \
                   for i = 1, 100000 do local n = {} setmetatable(c, {__newindex = n}) c = n end \
                   t.x = 1";
        assert_eq!(message(run(&mut vm, src)), "input:1: loop in settable");
        assert_usable(&mut vm);
    });
}

#[test]
fn deep_index_functions_are_a_c_stack_overflow() {
    on_small_stack(|| {
        let mut vm = Vm::builder().build();
        let src = "local mt = {} \
                   mt.__index = function(t, k) return setmetatable({}, mt)[k] end \
                   return select(2, pcall(function() return setmetatable({}, mt).x end))";
        assert_eq!(run_string(&mut vm, src), "input:1: C stack overflow");
        assert_usable(&mut vm);
    });
}

#[test]
fn nested_pcall_is_bounded() {
    on_small_stack(|| {
        let mut vm = Vm::builder().build();
        let src = "local function nest(n) if n == 0 then return 'bottom' end \
                   return select(2, pcall(nest, n - 1)) end \
                   return nest(150), nest(100000)";
        let res = run(&mut vm, src).expect("runs");
        assert_eq!(res.len(), 2);
        let text = |v: &Value, vm: &Vm| match v {
            Value::String(s) => String::from_utf8_lossy(vm.str_bytes(*s).unwrap()).into_owned(),
            other => panic!("not a string: {other:?}"),
        };
        assert_eq!(text(&res[0], &vm), "bottom");
        assert_eq!(text(&res[1], &vm), "C stack overflow");
        assert_usable(&mut vm);
    });
}

#[test]
fn recursive_tostring_is_a_c_stack_overflow() {
    on_small_stack(|| {
        let mut vm = Vm::builder().build();
        let src = "local t = setmetatable({}, {}) \
                   getmetatable(t).__tostring = function(self) return tostring(self) end \
                   return select(2, pcall(tostring, t))";
        assert_eq!(run_string(&mut vm, src), "C stack overflow");
        // Through `print`, which calls `tostring` from Rust.
        let src = "local t = setmetatable({}, {}) \
                   getmetatable(t).__tostring = function(self) print(self) return 'x' end \
                   return select(2, pcall(print, t))";
        assert_eq!(run_string(&mut vm, src), "C stack overflow");
        assert_usable(&mut vm);
    });
}

#[test]
fn natives_calling_lua_recursively_are_bounded() {
    on_small_stack(|| {
        let mut vm = Vm::builder().profile(Profile::Sandbox).build();
        let src = "local function g(s) return (string.gsub('a', 'a', g)) end \
                   return select(2, pcall(g, 'a'))";
        assert_eq!(run_string(&mut vm, src), "C stack overflow");
        let src = "local cmp cmp = function(a, b) table.sort({3, 2, 1}, cmp) return a < b end \
                   return select(2, pcall(table.sort, {3, 2, 1}, cmp))";
        assert_eq!(run_string(&mut vm, src), "C stack overflow");
        let src = "local mt = {} \
                   mt.__lt = function(a, b) return setmetatable({}, mt) < setmetatable({}, mt) end \
                   return select(2, pcall(function() return setmetatable({}, mt) < setmetatable({}, mt) end))";
        assert_eq!(run_string(&mut vm, src), "input:1: C stack overflow");
        assert_usable(&mut vm);
    });
}

#[test]
fn deep_coroutine_nesting_is_bounded() {
    on_small_stack(|| {
        let mut vm = Vm::builder().build();
        let src = "local function nest(n) if n == 0 then return 'bottom' end \
                   local co = coroutine.create(nest) \
                   local ok, v = coroutine.resume(co, n - 1) return v end \
                   return nest(100) .. ' ' .. nest(100000)";
        assert_eq!(run_string(&mut vm, src), "bottom C stack overflow");
        let src = "local function nest(n) if n == 0 then return 'bottom' end \
                   return coroutine.wrap(nest)(n - 1) end \
                   return select(2, pcall(nest, 100000))";
        assert!(run_string(&mut vm, src).ends_with("C stack overflow"));
        assert_usable(&mut vm);
    });
}

const WORK: &str = "local t, s = {}, 0 \
    for i = 1, 3000 do t[i] = i * 2 end \
    for k, v in ipairs(t) do s = s + v % 7 end \
    local co = coroutine.wrap(function() for i = 1, 100 do coroutine.yield(i) end end) \
    for i = 1, 100 do s = s + co() end \
    local ok, e = pcall(function() for i = 1, 50 do s = s + i end error('x') end) \
    return s, #t, ok";

#[test]
fn fuel_pauses_and_resumes_with_the_same_result() {
    on_small_stack(|| {
        let mut vm = Vm::builder().build();
        let expected = run(&mut vm, WORK).expect("runs");
        for fuel in [1, 7, 100, 1000, 100_000] {
            let f = vm.load(WORK.as_bytes(), "=input").expect("compiles");
            vm.start(f, &[]).expect("starts");
            let mut pauses = 0;
            let res = loop {
                match vm.run_for(fuel).expect("no error") {
                    Outcome::Finished(res) => break res,
                    Outcome::Paused => pauses += 1,
                }
            };
            assert_eq!(res, expected, "fuel {fuel}");
            assert!(fuel >= 100_000 || pauses > 0, "fuel {fuel} never paused");
        }
        assert_usable(&mut vm);
    });
}

/// Runs `src` in slices of `fuel` and counts the pauses.
fn pauses_with(vm: &mut Vm, src: &str, fuel: u64) -> u64 {
    let f = vm.load(src.as_bytes(), "=input").expect("compiles");
    vm.start(f, &[]).expect("starts");
    let mut pauses = 0;
    while vm.run_for(fuel).expect("no error") == Outcome::Paused {
        pauses += 1;
    }
    pauses
}

#[test]
fn fuel_is_charged_without_call_instructions() {
    // Unbounded work that runs no `CALL` and no backward `JMP` of its own: a generic `for` over
    // a native iterator that never returns nil (the loop's jump is part of `TFORLOOP`), and an
    // exponential tree of `__index` functions calling each other through `GETTABLE`, and loops
    // whose backward jump is the one a test instruction takes (`LT`, `TEST`, `TESTSET`).
    const ENDLESS: [&str; 6] = [
        "local s = 'xxxxx' repeat until #s < 3",
        "local x repeat until x",
        "local x, y repeat until x and y",
        "for _ in type do end",
        "local n = 0 for _ in function() n = n + 1 return n end do end",
        "local t = setmetatable({}, {__index = function(t, k) \
             if k == 0 then return 1 end return t[k - 1] + t[k - 1] end}) \
         return t[150]",
    ];
    // Without the charge a run never returns: the test fails on a timeout instead of hanging.
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .stack_size(TEST_STACK)
        .spawn(move || {
            let mut vm = Vm::builder().build();
            for src in ENDLESS {
                let f = vm.load(src.as_bytes(), "=input").expect("compiles");
                vm.start(f, &[]).expect("starts");
                for _ in 0..3 {
                    assert_eq!(
                        vm.run_for(10_000).expect("no error"),
                        Outcome::Paused,
                        "{src}"
                    );
                }
                vm.abort();
                assert_usable(&mut vm);
            }
            done.send(()).expect("test is waiting");
        })
        .expect("spawn test thread");
    finished
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("every endless program pauses when its fuel runs out");
}

#[test]
fn fuel_counts_every_unit_once_however_it_is_sliced() {
    // A run paused on a `CALL` or `TFORLOOP` charges it again when it resumes, so slices of
    // one unit cost at most twice the units of one slice.
    on_small_stack(|| {
        let mut vm = Vm::builder().build();
        let units = pauses_with(&mut vm, WORK, 1);
        assert!(units > 3000, "only {units} pauses");
        let tenths = pauses_with(&mut vm, WORK, 10);
        assert!(
            tenths * 10 >= units && tenths * 10 <= units * 3,
            "{tenths} pauses by 10 against {units} by 1"
        );
    });
}

#[test]
fn errors_in_a_sliced_run_reach_the_host() {
    on_small_stack(|| {
        let mut vm = Vm::builder().build();
        let f = vm
            .load(b"for i = 1, 1000 do end local t = nil return t.x", "=input")
            .expect("compiles");
        vm.start(f, &[]).expect("starts");
        let err = loop {
            match vm.run_for(100) {
                Ok(Outcome::Paused) => continue,
                Ok(Outcome::Finished(res)) => panic!("finished: {res:?}"),
                Err(err) => break err,
            }
        };
        assert_eq!(
            err.to_string(),
            "input:1: attempt to index local 't' (a nil value)"
        );
        assert_usable(&mut vm);
    });
}

#[test]
fn interrupt_kills_a_nested_run() {
    on_small_stack(|| {
        let mut vm = Vm::builder().profile(Profile::Sandbox).build();
        let asked = std::rc::Rc::new(std::cell::Cell::new(0));
        let counter = asked.clone();
        vm.set_interrupt(Some(Box::new(move || {
            counter.set(counter.get() + 1);
            (counter.get() >= 3).then(|| b"script killed".to_vec())
        })));
        // The comparator loops forever inside `table.sort`, a native that cannot pause:
        // the interrupt is asked, and `pcall` cannot catch the kill.
        let f = vm
            .load(
                b"return pcall(table.sort, {3, 2, 1}, function(a, b) while true do end end)",
                "=input",
            )
            .expect("compiles");
        vm.start(f, &[]).expect("starts");
        let res = loop {
            match vm.run_for(1000) {
                Ok(Outcome::Paused) => continue,
                other => break other,
            }
        };
        match res {
            Err(Error::Killed(msg)) => assert_eq!(msg, b"script killed"),
            other => panic!("expected a kill, got {other:?}"),
        }
        assert!(asked.get() >= 3);
        vm.set_interrupt(None);
        assert_usable(&mut vm);
    });
}

#[test]
fn garbage_left_by_a_script_never_fills_the_memory_cap() {
    // The first script collects while it holds about 5 MiB: 5.1's pacing alone would then wait
    // for 10 MiB, above the 8 MiB cap, and the next scripts would find the heap full of its
    // garbage. Loading and running them must work with no explicit collection.
    on_small_stack(|| {
        let mut vm = Vm::builder().memory_limit(Some(8 << 20)).build();
        // Each run builds different strings (equal ones would be found interned).
        let big = |run: u32| {
            format!(
                "local t = {{}} for i = 1, 4000 do t[i] = string.rep('x', 1200) .. i .. '/{run}' end \
                 collectgarbage() return #t"
            )
        };
        assert_eq!(
            run(&mut vm, &big(0)).expect("fits"),
            vec![Value::Number(4000.0)]
        );
        for n in 1..4 {
            let again = run(&mut vm, &big(n));
            assert_eq!(again.expect("fits again"), vec![Value::Number(4000.0)]);
            let source = format!("return {}", "1 + ".repeat(20_000) + "1");
            let f = vm
                .load(source.as_bytes(), "=big")
                .expect("a large chunk loads");
            assert_eq!(
                vm.call(f, &[]).expect("runs"),
                vec![Value::Number(20_001.0)]
            );
        }
    });
}

#[test]
fn memory_cap_raises_not_enough_memory() {
    on_small_stack(|| {
        let mut vm = Vm::builder().memory_limit(Some(4 << 20)).build();
        let res = run(
            &mut vm,
            "local t = {} for i = 1, 1e7 do t[i] = {i} end return #t",
        );
        assert!(
            matches!(res, Err(Error::OutOfMemory)) || message(res) == "not enough memory",
            "expected not enough memory"
        );
        // pcall catches it, as 5.1 does.
        let msg = run_string(
            &mut vm,
            "local ok, e = pcall(function() local t = {} for i = 1, 1e7 do t[i] = 'x' .. i end end) \
             return e",
        );
        assert_eq!(msg, "not enough memory");
        // The VM runs the next script.
        vm.collect_garbage();
        assert_usable(&mut vm);
    });
}

/// Runs `f` on a thread with a 2 MiB stack and fails if it has not finished within a minute:
/// a regression that hangs fails instead of hanging the suite.
fn on_small_stack_bounded(f: impl FnOnce() + Send + 'static) {
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .stack_size(TEST_STACK)
        .spawn(move || {
            f();
            done.send(()).expect("test is waiting");
        })
        .expect("spawn test thread");
    finished
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("finished within a minute (a panic ends it early too)");
}

/// Formats every result as `tostring` does, separated by spaces.
const SHOW: &str = "local function show(...) local t = {} \
    for i = 1, select('#', ...) do t[i] = tostring((select(i, ...))) end \
    return table.concat(t, ' ') end ";

#[test]
fn xpcall_handler_failures_end_in_error_in_error_handling() {
    // A handler that is not a function (a callable table neither), that cannot be entered, or
    // that fails is `error in error handling`; after a stack or C stack overflow the handler
    // still runs, with a little room (5.1's LUA_ERRERR past it). Each of these used to loop
    // forever in the unwinder. Expectations are lua5.1's.
    const CASES: [(&str, &str); 25] = [
        (
            "return show(pcall(xpcall, function() error('x') end, nil))",
            "true false error in error handling",
        ),
        (
            "return show(xpcall(function() error('x') end, false))",
            "false error in error handling",
        ),
        (
            "return show(xpcall(function() error('x') end, 42))",
            "false error in error handling",
        ),
        (
            "return show(xpcall(function() error('x') end, 'handler'))",
            "false error in error handling",
        ),
        (
            "return show(xpcall(function() error('x') end, {}))",
            "false error in error handling",
        ),
        (
            "return show(xpcall(function() error('x') end, \
             setmetatable({}, {__call = function(_, m) return m end})))",
            "false error in error handling",
        ),
        (
            "return show(xpcall(function() error('x') end, error))",
            "false error in error handling",
        ),
        (
            "return show(xpcall(function() return 1, 2 end, nil))",
            "true 1 2",
        ),
        (
            "local function r() r() end return show(xpcall(r, function(m) return m end))",
            "false input:1: stack overflow",
        ),
        (
            "local function r() r() end return show(xpcall(r, nil))",
            "false error in error handling",
        ),
        (
            "local function r() r() end \
             return show(xpcall(r, function(m) local ok, e = pcall(r) return e end))",
            "false error in error handling",
        ),
        (
            "local function r() r() end \
             return show(xpcall(r, function(m) return xpcall(r, function(m2) return m2 end) end))",
            "false false",
        ),
        (
            "local function r() r() end xpcall(r, function(m) return m end) return show(pcall(r))",
            "false input:1: stack overflow",
        ),
        (
            "local mt = {} mt.__index = function(t, k) return setmetatable({}, mt)[k] end \
             return show(xpcall(function() return setmetatable({}, mt).x end, \
             function(m) return 'H:' .. m end))",
            "false H:input:1: C stack overflow",
        ),
        (
            "local mt = {} mt.__index = function(t, k) return setmetatable({}, mt)[k] end \
             return show(xpcall(function() return setmetatable({}, mt).x end, nil))",
            "false error in error handling",
        ),
        (
            "local mt = {} mt.__index = function(t, k) return setmetatable({}, mt)[k] end \
             return show(xpcall(function() return setmetatable({}, mt).x end, \
             function(m) return pcall(error, m) end))",
            "false false",
        ),
        (
            "local mt = {} mt.__index = function(t, k) return setmetatable({}, mt)[k] end \
             return show(xpcall(function() return setmetatable({}, mt).x end, \
             function(m) return setmetatable({}, mt).x end))",
            "false error in error handling",
        ),
        (
            "return show(coroutine.wrap(function() \
             return xpcall(function() error('x') end, nil) end)())",
            "false error in error handling",
        ),
        // An error inside the handler calls it again (5.1 keeps `L->errfunc` while it runs).
        (
            "return show(xpcall(function() error({}) end, function(m) \
             if type(m) ~= 'string' then error('not a string') end return 'got ' .. m end))",
            "false got input:1: not a string",
        ),
        (
            "local n = 0 return show(xpcall(function() error('x') end, function(m) \
             n = n + 1 if n < 5 then error(n, 0) end return 'n=' .. n .. ' m=' .. m end))",
            "false n=5 m=4",
        ),
        (
            "local t = setmetatable({}, {__tostring = function(t) error(t) end}) \
             return show(xpcall(function() error(t) end, tostring))",
            "false C stack overflow",
        ),
        (
            "local n = 0 return show(xpcall(function() error('x') end, function(m) \
             n = n + 1 if m ~= 'C stack overflow' then error(n, 0) end return m end))",
            "false C stack overflow",
        ),
        (
            "return show(xpcall(function() error('x') end, \
             function(m) local ok, e = pcall(error, 'inner') return e end))",
            "false inner",
        ),
        (
            "return show(xpcall(function() error('x') end, function(m) error(m, 0) end))",
            "false error in error handling",
        ),
        (
            "return show(pcall(xpcall, function() error('x') end, \
             function(m) return nil + 1 end))",
            "true false error in error handling",
        ),
    ];
    on_small_stack_bounded(|| {
        let mut vm = Vm::builder().build();
        for (src, expected) in CASES {
            assert_eq!(
                run_string(&mut vm, &format!("{SHOW}{src}")),
                expected,
                "{src}"
            );
            assert_usable(&mut vm);
        }
    });
}

#[test]
fn vararg_function_with_missing_fixed_arguments_is_called() {
    // The `arg` table of a vararg function that does not use `...` was built from a reversed
    // range of the stack when the call had fewer arguments than fixed parameters: a panic.
    on_small_stack(|| {
        let mut vm = Vm::builder().build();
        let res = run(
            &mut vm,
            "local function f(a, b, ...) return arg.n, a end f() return f(), f(1), f(1, 2, 3)",
        )
        .expect("runs");
        let n = |x: f64| Value::Number(x);
        assert_eq!(res, vec![n(0.0), n(0.0), n(1.0), n(1.0)]);
        assert_usable(&mut vm);
    });
}

#[test]
fn growing_varargs_are_charged_by_size() {
    // Each call passes one more value on: the copies grow quadratically (lua5.1 runs this for
    // minutes too). With one unit per call only, one slice of fuel ran 10,000 calls and 50
    // million copies; `VARARG` charges a unit per 16 values, so the slice ends far sooner.
    on_small_stack_bounded(|| {
        let mut vm = Vm::builder().build();
        let f = vm
            .load(
                b"n = 0 local function r(...) n = n + 1 return r(1, ...) end return r()",
                "=input",
            )
            .expect("compiles");
        vm.start(f, &[]).expect("starts");
        assert_eq!(vm.run_for(10_000).expect("no error"), Outcome::Paused);
        let calls = match vm.get_global("n").expect("reads n") {
            Value::Number(n) => n,
            other => panic!("n is {other:?}"),
        };
        assert!(calls < 2_000.0, "{calls} calls on 10,000 units");
        vm.abort();
        assert_usable(&mut vm);
    });
}

#[test]
fn running_out_of_memory_in_xpcall_calls_no_handler() {
    // 5.1 throws LUA_ERRMEM straight to the protected call: the handler is not called, and
    // the message is `not enough memory`, whatever the handler would have done.
    on_small_stack_bounded(|| {
        let mut vm = Vm::builder().memory_limit(Some(4 << 20)).build();
        let msg = run_string(
            &mut vm,
            "called = false \
             local ok, e = xpcall(function() local t = {} for i = 1, 1e7 do t[i] = {i} end end, \
             function(m) called = true return 'handled: ' .. tostring(m) end) \
             return tostring(ok) .. ' ' .. e .. ' ' .. tostring(called)",
        );
        assert_eq!(msg, "false not enough memory false");
        // The table the protected function filled memory with is collected once the error is
        // caught, also when its register lies in the caller's register window: the script
        // that caught the error finds memory again at once.
        let msg = run_string(
            &mut vm,
            "local ok, e = pcall(function() local t = {} for i = 1, 1e7 do t[i] = {i} end end)              local again = {} for i = 1, 20000 do again[i] = {i} end              return e .. ' ' .. #again",
        );
        assert_eq!(msg, "not enough memory 20000");
        assert_usable(&mut vm);
    });
}

#[test]
fn an_endless_load_reader_is_stopped_by_the_interrupt() {
    on_small_stack_bounded(|| {
        let mut vm = Vm::builder().build();
        vm.set_interrupt(Some(Box::new(|| Some(b"script killed".to_vec()))));
        // `os.time` is a native returning a number on every call: one endless numeral, read
        // without any Lua instruction running; each piece is charged.
        let f = vm
            .load(b"return pcall(load, os.time)", "=input")
            .expect("compiles");
        vm.start(f, &[]).expect("starts");
        let res = loop {
            match vm.run_for(10_000) {
                Ok(Outcome::Paused) => continue,
                other => break other,
            }
        };
        assert!(
            matches!(&res, Err(Error::Killed(msg)) if msg == b"script killed"),
            "expected a kill, got {res:?}"
        );
        vm.set_interrupt(None);
        assert_usable(&mut vm);
    });
}

#[test]
fn a_load_reader_returning_huge_strings_hits_the_memory_cap() {
    on_small_stack_bounded(|| {
        let mut vm = Vm::builder().memory_limit(Some(8 << 20)).build();
        let msg = run_string(
            &mut vm,
            "local s = '--' .. string.rep('x', 1e6) \
             local ok, e = pcall(load, function() return s end) return e",
        );
        assert_eq!(msg, "not enough memory");
        let msg = run_string(&mut vm, "local ok, e = pcall(load, os.time) return e");
        assert_eq!(msg, "not enough memory");
        vm.collect_garbage();
        assert_usable(&mut vm);
    });
}
