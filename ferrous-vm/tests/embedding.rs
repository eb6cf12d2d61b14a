//! The embedding API as an embedder meets it: natives with state (app data, closures over
//! userdata), libraries opened one by one, read-only tables, registry keys, sliced runs that
//! stop where asked, fuel charged by natives, error locations.

use ferrous_vm::{Ctx, Error, ErrorValue, Outcome, Profile, Result, Ret, Trace, Tracer, Value, Vm};

fn run(vm: &mut Vm, src: &str) -> Result<Vec<Value>> {
    let f = vm.load(src.as_bytes(), "=test")?;
    vm.call(f, &[])
}

fn text(vm: &mut Vm, value: Value) -> String {
    match value {
        Value::String(s) => String::from_utf8_lossy(vm.str_bytes(s).unwrap()).into_owned(),
        other => format!("{other:?}"),
    }
}

struct Counter(u64);

fn bump(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let n = match ctx.app_data_mut::<Counter>() {
        Some(counter) => {
            counter.0 += 1;
            counter.0
        }
        None => 0,
    };
    ctx.ret(&[Value::Number(n as f64)])
}

#[test]
fn natives_reach_typed_app_data() {
    let mut vm = Vm::builder().profile(Profile::Base).build();
    vm.register("bump", bump).unwrap();
    assert_eq!(
        run(&mut vm, "return bump()").unwrap(),
        vec![Value::Number(0.0)]
    );
    assert!(vm.set_app_data(Counter(10)).is_none());
    assert_eq!(
        run(&mut vm, "bump() return bump()").unwrap(),
        vec![Value::Number(12.0)]
    );
    assert_eq!(vm.app_data::<Counter>().map(|c| c.0), Some(12));
    assert_eq!(vm.remove_app_data::<Counter>().map(|c| c.0), Some(12));
    assert!(vm.app_data::<Counter>().is_none());
}

/// A userdata payload without Lua values inside.
struct Settings {
    scale: f64,
}

impl Trace for Settings {
    fn trace(&self, _tracer: &mut Tracer) {}
}

fn scaled(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let x = ctx.check_number(1)?;
    let settings = ctx.upvalue(0)?;
    let scale = ctx
        .vm()
        .userdata_ref::<Settings>(settings)
        .map_or(1.0, |s| s.scale);
    ctx.ret(&[Value::Number(x * scale)])
}

fn describe(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let scale = ctx.check_userdata::<Settings>(1, "settings")?.scale;
    ctx.ret(&[Value::Number(scale)])
}

#[test]
fn userdata_carries_typed_payloads_and_natives_check_them() {
    let mut vm = Vm::builder().profile(Profile::Base).build();
    let settings = vm.new_userdata(Settings { scale: 2.5 }, None).unwrap();
    vm.set_global("settings", settings).unwrap();
    vm.register("describe", describe).unwrap();
    let f = vm.native_closure("scaled", scaled, &[settings]).unwrap();
    vm.set_global("scaled", f).unwrap();
    assert_eq!(
        run(&mut vm, "return describe(settings)").unwrap(),
        vec![Value::Number(2.5)]
    );
    assert_eq!(
        run(&mut vm, "return scaled(4)").unwrap(),
        vec![Value::Number(10.0)]
    );
    let err = run(&mut vm, "return describe({})").unwrap_err();
    assert_eq!(
        err.to_string(),
        "test:1: bad argument #1 to 'describe' (settings expected, got table)"
    );
}

#[test]
fn libraries_open_one_by_one() {
    let mut vm = Vm::builder().profile(Profile::Bare).build();
    vm.open_base().unwrap();
    vm.open_string().unwrap();
    let types = run(
        &mut vm,
        "return type(string), type(table), type(math), type(io)",
    )
    .unwrap();
    let types: Vec<String> = types.into_iter().map(|v| text(&mut vm, v)).collect();
    assert_eq!(types, ["table", "nil", "nil", "nil"]);
    vm.open_math(true).unwrap();
    let r = run(
        &mut vm,
        "math.randomseed(10) return tostring(math.random())",
    )
    .unwrap();
    // Redis's generator: the first value after randomseed(10) as redis-server 7.0 gives it.
    assert_eq!(text(&mut vm, r[0]), "0.87885112309775");
}

#[test]
fn read_only_tables_refuse_every_write() {
    let mut vm = Vm::builder().profile(Profile::Base).build();
    let t = vm.new_table(0, 0).unwrap();
    vm.set_global("t", Value::Table(t)).unwrap();
    vm.heap().tx().set_readonly(t, true).unwrap();
    let err = run(&mut vm, "t.x = 1").unwrap_err();
    assert_eq!(
        err.to_string(),
        "test:1: Attempt to modify a readonly table"
    );
    let err = run(&mut vm, "rawset(t, 'x', 1)").unwrap_err();
    assert_eq!(err.to_string(), "Attempt to modify a readonly table");
}

#[test]
fn registry_keys_keep_values_until_released() {
    let mut vm = Vm::builder().profile(Profile::Base).build();
    let f = vm.load(b"return 42", "=kept").unwrap();
    let key = vm.registry_insert(f);
    run(
        &mut vm,
        "local t = {} for i = 1, 1e5 do t[i] = {} end collectgarbage()",
    )
    .unwrap();
    vm.collect_garbage();
    let f = vm.registry_value(&key);
    assert_eq!(vm.call(f, &[]).unwrap(), vec![Value::Number(42.0)]);
    vm.registry_remove(key);
}

#[test]
fn a_paused_script_is_killed_where_it_stopped_and_pcall_cannot_catch_it() {
    let mut vm = Vm::builder().profile(Profile::Base).build();
    let f = vm
        .load(
            b"local n = 0\nwhile true do pcall(function() n = n + 1 end) end",
            "@script",
        )
        .unwrap();
    vm.start(f, &[]).unwrap();
    assert_eq!(vm.run_for(1_000).unwrap(), Outcome::Paused);
    let err = vm.kill(b"stopped");
    assert!(matches!(err, Error::Killed(ref m) if m == b"stopped"));
    let location = vm.error_location().cloned().unwrap();
    assert_eq!(location.source, b"@script");
    assert_eq!(location.line, 2);
    assert_eq!(run(&mut vm, "return 1").unwrap(), vec![Value::Number(1.0)]);
}

#[test]
fn error_locations_name_the_innermost_lua_function() {
    let mut vm = Vm::builder().profile(Profile::Base).build();
    let f = vm
        .load(b"local function f()\n  error('x')\nend\nf()", "@chunk")
        .unwrap();
    assert!(vm.call(f, &[]).is_err());
    let location = vm.error_location().cloned().unwrap();
    assert_eq!(
        (location.source.as_slice(), location.line),
        (&b"@chunk"[..], 2)
    );
}

fn expensive(ctx: &mut Ctx<'_>) -> Result<Ret> {
    ctx.charge(1_000_000)?;
    ctx.ret(&[Value::Boolean(true)])
}

#[test]
fn natives_charge_fuel_and_the_interrupt_can_kill_them() {
    let mut vm = Vm::builder().profile(Profile::Base).build();
    vm.register("expensive", expensive).unwrap();
    vm.set_interrupt(Some(Box::new(|| Some(b"time limit".to_vec()))));
    let f = vm.load(b"return expensive()", "=t").unwrap();
    vm.start(f, &[]).unwrap();
    match vm.run_for(10) {
        Err(Error::Killed(msg)) => assert_eq!(msg, b"time limit"),
        other => panic!("expected a kill, got {other:?}"),
    }
    vm.set_interrupt(None);
    let f = vm.load(b"return expensive()", "=t").unwrap();
    vm.start(f, &[]).unwrap();
    // Without an interrupt the native finishes; the run pauses at its next charge point, as
    // the budget is spent, and finishes when resumed.
    let mut outcome = vm.run_for(10).unwrap();
    while outcome == Outcome::Paused {
        outcome = vm.run_for(10).unwrap();
    }
    assert_eq!(outcome, Outcome::Finished(vec![Value::Boolean(true)]));
}

/// `Vm::close` is `lua_close`'s finalization: every userdata with a `__gc` not run yet is
/// finalized, reachable or not, newest first, once; errors in finalizers are ignored.
#[test]
fn close_runs_every_pending_finalizer_once_newest_first() {
    let mut vm = Vm::builder().build();
    run(
        &mut vm,
        "log = {}
         local function tracked(name, fail)
           local u = newproxy(true)
           getmetatable(u).__gc = function()
             log[#log + 1] = name
             if fail then error('finalizer failed') end
           end
           return u
         end
         kept = tracked('kept')
         tracked('garbage')
         failing = tracked('failing', true)
         newest = tracked('newest')",
    )
    .unwrap();
    vm.close();
    let log = run(&mut vm, "return table.concat(log, ' ')").unwrap();
    assert_eq!(text(&mut vm, log[0]), "newest failing garbage kept");
    // A second close finds nothing left to finalize.
    vm.close();
    let log = run(&mut vm, "return #log").unwrap();
    assert_eq!(log, vec![Value::Number(4.0)]);
}

/// Files left open are closed by their `__gc` at `Vm::close`, so their buffered writes reach
/// the file before the host goes on (as `lua_close` then `exit` flush them in C).
#[test]
fn close_flushes_files_left_open() {
    let dir = std::env::temp_dir().join(format!("ferrous-close-{}", std::process::id()));
    let path = dir.to_string_lossy().into_owned();
    let mut vm = Vm::builder().profile(Profile::Cli).build();
    let src = format!("f = io.open({path:?}, 'w') f:write('buffered') return f:seek('cur')");
    run(&mut vm, &src).unwrap();
    assert_eq!(std::fs::read(&dir).unwrap(), b"buffered");
    run(&mut vm, "f:write(' more')").unwrap();
    assert_eq!(std::fs::read(&dir).unwrap(), b"buffered");
    vm.close();
    assert_eq!(std::fs::read(&dir).unwrap(), b"buffered more");
    let _ = std::fs::remove_file(&dir);
}

/// Fails the way its first argument asks: `runtime`, `arg`, `value` (raises its second argument)
/// or `oom`.
fn fail(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let how = ctx.check_bytes(1)?;
    match how.as_slice() {
        b"runtime" => Err(Error::runtime("it broke")),
        b"arg" => Err(Error::arg(2, "number expected")),
        b"value" => Err(Error::value(ctx.arg(2))),
        _ => Err(Error::OutOfMemory),
    }
}

/// The message and value of an error that reached the host.
fn runtime_error(res: Result<Vec<Value>>) -> (String, ErrorValue) {
    match res {
        Err(Error::Runtime(e)) => (String::from_utf8_lossy(&e.message).into_owned(), e.value),
        other => panic!("expected a runtime error, got {other:?}"),
    }
}

#[test]
fn natives_raise_each_kind_of_error_and_the_host_sees_it() {
    let mut vm = Vm::builder().build();
    vm.register("fail", fail).unwrap();
    let res = run(&mut vm, "fail('runtime')");
    assert_eq!(
        runtime_error(res),
        ("test:1: it broke".to_owned(), ErrorValue::String)
    );
    let res = run(&mut vm, "local f = fail\nf('arg')");
    assert_eq!(
        runtime_error(res).0,
        "test:2: bad argument #2 to 'f' (number expected)"
    );
    let res = run(&mut vm, "fail('value', 42)");
    assert_eq!(
        runtime_error(res),
        ("42".to_owned(), ErrorValue::Number(42.0))
    );
    let res = run(&mut vm, "fail('value', true)");
    assert_eq!(runtime_error(res).1, ErrorValue::Boolean(true));
    let res = run(&mut vm, "fail('value')");
    assert_eq!(runtime_error(res), ("nil".to_owned(), ErrorValue::Nil));
    // Out of memory unwinds like 5.1's `LUA_ERRMEM`, whose value is the message.
    let res = run(&mut vm, "fail('oom')");
    assert_eq!(runtime_error(res).0, "not enough memory");
    // Inside the script, `pcall` sees the same messages.
    let res = run(
        &mut vm,
        "local _, a = pcall(fail, 'runtime') local _, b = pcall(fail, 'arg') return a .. '|' .. b",
    )
    .unwrap();
    assert_eq!(
        text(&mut vm, res[0]),
        "it broke|bad argument #2 to '?' (number expected)"
    );
}

#[test]
fn compile_errors_stay_typed() {
    let mut vm = Vm::builder().build();
    match vm.load(b"x = = 1", "=input") {
        Err(Error::Syntax(e)) => {
            assert_eq!(e.line, 1);
            assert_eq!(e.to_string(), "input:1: unexpected symbol near '='");
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
    // A host compiling with ferrous-compiler itself gets the same variant through `?`.
    fn load_compiled(vm: &mut Vm, src: &[u8]) -> Result<Value> {
        let module = ferrous_compiler::compile(src, b"=input")?;
        vm.load_module(&module)
    }
    let f = load_compiled(&mut vm, b"return 1").unwrap();
    assert_eq!(vm.call(f, &[]).unwrap(), vec![Value::Number(1.0)]);
    let direct = vm.load(b"return return", "=input").unwrap_err().to_string();
    match load_compiled(&mut vm, b"return return") {
        Err(Error::Syntax(e)) => assert_eq!(e.to_string(), direct),
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

#[test]
fn an_error_table_is_kept_by_a_registry_key_across_collections() {
    let mut vm = Vm::builder().build();
    vm.register("fail", fail).unwrap();
    for src in [
        "error({code = 42})",
        "fail('value', {code = 42})",
        "local t = setmetatable({code = 42}, {__gc = true}) error(t)",
    ] {
        let res = run(&mut vm, src);
        let (message, value) = runtime_error(res);
        assert_eq!(message, "(error object is not a string)");
        let ErrorValue::Object(key) = value else {
            panic!("expected a kept object, got {value:?}");
        };
        // Garbage made after the error, and full collections, leave the kept table alone.
        run(
            &mut vm,
            "for i = 1, 1000 do local _ = {i} end collectgarbage()",
        )
        .unwrap();
        vm.collect_garbage();
        let Value::Table(t) = vm.registry_value(&key) else {
            panic!("the error table is gone");
        };
        let code_key = vm.string_value(b"code").unwrap();
        assert_eq!(
            vm.heap().tx().raw_get(t, code_key).unwrap(),
            Value::Number(42.0)
        );
        vm.registry_remove(key);
    }
}

fn pass_on(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let f = ctx.arg(1);
    let res = ctx.vm().call(f, &[])?;
    ctx.ret(&res)
}

#[test]
fn a_native_passes_a_host_error_on_with_its_value() {
    let mut vm = Vm::builder().build();
    vm.register("pass_on", pass_on).unwrap();
    let res = run(
        &mut vm,
        "local t = {} \
         local ok, e = pcall(pass_on, function() error(t) end) \
         local ok2, e2 = pcall(pass_on, function() error('plain') end) \
         return e == t, e2",
    )
    .unwrap();
    assert_eq!(res[0], Value::Boolean(true));
    assert_eq!(text(&mut vm, res[1]), "test:1: plain");
}

#[test]
fn a_paused_run_is_never_an_error() {
    let mut vm = Vm::builder().profile(Profile::Sandbox).build();
    let f = vm
        .load(
            b"local n = 0 \
              for i = 1, 50 do \
                local ok, e = pcall(function() for j = 1, 20 do n = n + 1 end end) \
                assert(ok, e) \
              end \
              return n",
            "=test",
        )
        .unwrap();
    vm.start(f, &[]).unwrap();
    let mut pauses = 0;
    let values = loop {
        match vm.run_for(3) {
            Ok(Outcome::Finished(values)) => break values,
            Ok(Outcome::Paused) => pauses += 1,
            Err(e) => panic!("a pause surfaced as an error: {e:?}"),
        }
    };
    assert!(pauses > 10);
    assert_eq!(values, vec![Value::Number(1000.0)]);
    assert!(matches!(vm.run_for(10), Err(Error::Usage(_))));
}

#[test]
fn library_state_lives_in_app_data_and_survives_collections() {
    let mut vm = Vm::builder().build();
    let res = run(
        &mut vm,
        "local out, inp = io.output(), io.input() \
         for i = 1, 1000 do local _ = {i} end collectgarbage() collectgarbage() \
         local n = 0 for _ in string.gmatch('a b c', '%a') do n = n + 1 end \
         math.randomseed(7) local r1 = math.random() math.randomseed(7) \
         local k = 0 for _ in pairs({1, 2, x = 3}) do k = k + 1 end \
         for _ in ipairs({1, 2}) do k = k + 1 end \
         local co = coroutine.wrap(function() coroutine.yield(1) end) \
         return io.output() == out and io.input() == inp and io.type(out), n, \
                r1 == math.random(), k + co()",
    )
    .unwrap();
    assert_eq!(text(&mut vm, res[0]), "file");
    assert_eq!(
        &res[1..],
        &[Value::Number(3.0), Value::Boolean(true), Value::Number(6.0)]
    );
}
