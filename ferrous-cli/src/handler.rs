//! lua.c's message handler (`traceback`), applied to an uncaught error before it is reported:
//! lua5.1 looks up the global `debug.traceback` when the error happens, so a script can
//! replace it or remove it.
//!
//! - An error object that is neither a string nor a number gets no traceback.
//! - Without a `debug` table or a `debug.traceback` function: the message alone.
//! - The library's own `debug.traceback`: the traceback the VM captured where the error was
//!   raised (`Vm::set_capture_traceback`).
//! - Any other function: called as `f(message, 2)`; what it returns is what is reported. It
//!   runs after the stack has unwound, so a handler that inspects the stack sees less than
//!   under lua5.1 (a handler that formats the message is identical).

use ferrous_vm::{Error, ErrorValue, RuntimeError, Value, Vm};

/// The built-in `debug.traceback` (a light native, so it needs no rooting).
struct BuiltinTraceback(Value);

/// Remembers the built-in `debug.traceback` of a freshly built VM.
pub(crate) fn remember_builtin(vm: &mut Vm) {
    if let Some(f) = global_traceback(vm) {
        vm.set_app_data(BuiltinTraceback(f));
    }
}

/// The global `debug.traceback`, if `debug` is a table and that field a function.
fn global_traceback(vm: &mut Vm) -> Option<Value> {
    let Ok(Value::Table(debug)) = vm.get_global("debug") else {
        return None;
    };
    let key = Value::String(vm.intern(b"traceback").ok()?);
    match vm.heap().raw_get(debug, key).ok()? {
        f @ (Value::Function(_) | Value::NativeFunction(_)) => Some(f),
        _ => None,
    }
}

/// What lua.c reports for `err`.
pub(crate) fn apply(vm: &mut Vm, err: Error) -> Error {
    let Error::Runtime(mut error) = err else {
        return err;
    };
    let msg = match error.value {
        ErrorValue::String => match vm.string_value(&error.message) {
            Ok(v) => v,
            Err(e) => return e,
        },
        ErrorValue::Number(n) => Value::Number(n),
        // lua.c's `traceback` keeps any other error object intact.
        _ => {
            error.traceback = None;
            return Error::Runtime(error);
        }
    };
    let Some(handler) = global_traceback(vm) else {
        error.traceback = None;
        return Error::Runtime(error);
    };
    if vm
        .app_data::<BuiltinTraceback>()
        .is_some_and(|b| b.0 == handler)
    {
        return Error::Runtime(error);
    }
    vm.set_capture_traceback(false);
    let res = vm.call(handler, &[msg, Value::Number(2.0)]);
    vm.set_capture_traceback(true);
    let (message, value) = match res {
        Ok(results) => match results.first().copied().unwrap_or(Value::Nil) {
            Value::String(s) => (
                vm.str_bytes(s).map(<[u8]>::to_vec).unwrap_or_default(),
                ErrorValue::String,
            ),
            Value::Number(n) => {
                let text = match vm.number_to_string(n) {
                    Ok(s) => vm.str_bytes(s).map(<[u8]>::to_vec).unwrap_or_default(),
                    Err(_) => Vec::new(),
                };
                (text, ErrorValue::Number(n))
            }
            Value::Nil => (Vec::new(), ErrorValue::Nil),
            Value::Boolean(b) => (
                b"(error object is not a string)".to_vec(),
                ErrorValue::Boolean(b),
            ),
            other => (
                b"(error object is not a string)".to_vec(),
                ErrorValue::Object(vm.registry_insert(other)),
            ),
        },
        Err(e) => {
            crate::run::release(vm, e);
            (b"error in error handling".to_vec(), ErrorValue::String)
        }
    };
    let mut reported = RuntimeError::message(message);
    reported.value = value;
    Error::Runtime(Box::new(reported))
}
