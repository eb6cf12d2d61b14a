//! The embedding API: load source, call functions, register Rust functions, run with a fuel
//! budget.
//!
//! ```
//! use ferrous_vm::{Ctx, Ret, Result, Value, Vm};
//!
//! // A Rust function with 5.1-style argument checks: `bad argument #1 to 'double' (number
//! // expected, got string)` when called with a non-number.
//! fn double(ctx: &mut Ctx<'_>) -> Result<Ret> {
//!     let x = ctx.check_number(1)?;
//!     ctx.ret(&[Value::Number(2.0 * x)])
//! }
//!
//! let mut vm = Vm::builder().build();
//! vm.register("double", double).unwrap();
//! let f = vm.load(b"local a, b = ... return double(a) + b", "=example").unwrap();
//! let res = vm.call(f, &[Value::Number(1.0), Value::Number(2.0)]).unwrap();
//! assert_eq!(res, vec![Value::Number(4.0)]);
//!
//! let bad = vm.load(b"return double('x')", "=example").unwrap();
//! let err = vm.call(bad, &[]).unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "example:1: bad argument #1 to 'double' (number expected, got string)"
//! );
//! ```

use std::io::Write;

use ferrous_heap::Value;

use crate::error::{Error, ErrorValue, Raise, Raised, Result, RuntimeError};
use crate::thread::Cont;
use crate::vm::Vm;

/// Where an error that reached the host was raised: the innermost Lua function running then
/// (what `debug.getinfo(level, 'Sl')` reports to an error handler of `xpcall`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorLocation {
    /// The chunk's source name as given to `load` (`@user_script`, `=stdin`).
    pub source: Vec<u8>,
    /// The line being executed.
    pub line: u32,
}

/// A value the host keeps alive across garbage collections until it releases it
/// ([`Vm::registry_insert`], [`Vm::registry_value`], [`Vm::registry_remove`]): a cached script's
/// function, a library's private table. Not `Clone`: one key, one release.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct RegistryKey(u32);

impl RegistryKey {
    /// The key's slot in `Vm::refs`.
    pub(crate) fn slot(&self) -> usize {
        self.0 as usize
    }
}

/// What a sliced run ([`Vm::run_for`]) reports.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// The function returned these values.
    Finished(Vec<Value>),
    /// The fuel ran out; call [`Vm::run_for`] again to continue.
    Paused,
}

impl Vm {
    /// Compiles a chunk (or loads a binary one, when allowed). `chunk_name` follows Lua's convention (`@file.lua`, `=stdin`, or the
    /// source text for `[string "..."]`).
    pub fn load(&mut self, source: &[u8], chunk_name: &str) -> Result<Value> {
        match self.load_chunk(source, chunk_name.as_bytes()) {
            Ok(f) => Ok(f),
            Err(crate::binary::LoadError::Raise(e)) => Err(self.host_error(e)),
            Err(other) => Err(other.into()),
        }
    }

    /// Compiles the contents of a file (a first line starting with `#` is skipped), or loads it
    /// as a binary chunk when binary chunks are allowed, as `luaL_loadfile` does.
    pub fn load_file(&mut self, source: &[u8], chunk_name: &str) -> Result<Value> {
        match self.load_file_chunk(source, chunk_name.as_bytes()) {
            Ok(f) => Ok(f),
            Err(crate::binary::LoadError::Raise(e)) => Err(self.host_error(e)),
            Err(other) => Err(other.into()),
        }
    }

    /// A string value.
    pub fn string_value(&mut self, bytes: &[u8]) -> Result<Value> {
        Ok(Value::String(self.intern(bytes)?))
    }

    /// `rawset(t, key, value)`.
    pub fn raw_set(
        &mut self,
        t: ferrous_heap::TableHandle,
        key: Value,
        value: Value,
    ) -> Result<()> {
        Ok(self.heap.tx().raw_set(t, key, value)?)
    }

    /// Calls `f(args)` and runs it to completion.
    pub fn call(&mut self, f: Value, args: &[Value]) -> Result<Vec<Value>> {
        let fuel = std::mem::replace(&mut self.fuel, i64::MAX);
        let res = self.call_value(f, args);
        self.fuel = fuel;
        self.flush_stdout();
        res.map_err(|e| self.host_error(e))
    }

    /// Starts `f(args)` for a sliced run: nothing executes until [`Vm::run_for`].
    pub fn start(&mut self, f: Value, args: &[Value]) -> Result<()> {
        if !self.th.frames.is_empty() || self.current != self.main_thread {
            return Err(Error::Usage("a script is already running"));
        }
        self.th.top = 0;
        self.th.ensure_stack(args.len() + 1);
        self.th.push(f);
        for a in args {
            self.th.push(*a);
        }
        self.started = true;
        Ok(())
    }

    /// Runs the started function for at most `fuel` units of work: one per backward jump (loop
    /// iteration) and per call made by Lua code, so every unbounded execution is charged. Code
    /// between two charges is straight-line and bounded by the size of its function; pattern
    /// matching charges its own steps.
    pub fn run_for(&mut self, fuel: u64) -> Result<Outcome> {
        self.fuel = i64::try_from(fuel).unwrap_or(i64::MAX);
        let res = if self.started {
            self.started = false;
            let nargs = self.th.top - 1;
            match self.precall(0, nargs, -1, Cont::Host) {
                Ok(crate::call::Flow::Stop) => Ok(()),
                Ok(crate::call::Flow::Continue) => self.run_loop(),
                Err(e) if self.th.frames.is_empty() => {
                    let v = self.error_to_value(e);
                    Err(Raise::Value(v))
                }
                Err(e) => self.raise(e).and_then(|flow| match flow {
                    crate::call::Flow::Stop => Ok(()),
                    crate::call::Flow::Continue => self.run_loop(),
                }),
            }
        } else if self.th.frames.is_empty() && self.current == self.main_thread {
            return Err(Error::Usage("no script is running"));
        } else {
            self.run_loop()
        };
        self.fuel = i64::MAX;
        self.flush_stdout();
        match res {
            Ok(()) => {
                let results = self.th.stack[..self.th.top].to_vec();
                self.th.top = 0;
                Ok(Outcome::Finished(results))
            }
            Err(Raise::Paused) => Ok(Outcome::Paused),
            Err(e) => Err(self.host_error(e)),
        }
    }

    /// Where the last error that reached the host (from [`Vm::call`], [`Vm::run_for`] or
    /// [`Vm::kill`]) was raised, if a Lua function was running.
    pub fn error_location(&self) -> Option<&ErrorLocation> {
        self.error_location.as_ref()
    }

    /// Stops a paused script with `message` as an error raised where it stopped: no `pcall`
    /// inside the script can catch it. Returns that error ([`Error::Killed`]; its location is
    /// [`Vm::error_location`]); the VM is then ready for the next script.
    pub fn kill(&mut self, message: &[u8]) -> Error {
        let location = self.lua_location(0);
        self.started = false;
        let mut err = Error::Killed(message.to_vec());
        // Each round unwinds one thread (a coroutine passes the kill to its resumer).
        for _ in 0..=crate::vm::MAX_FRAMES {
            if self.th.frames.is_empty() && self.current == self.main_thread {
                break;
            }
            match self.raise(Raise::Killed(message.to_vec())) {
                Ok(_) => {}
                Err(e) => {
                    err = self.host_error(e);
                    break;
                }
            }
        }
        self.abort();
        self.error_location = location;
        err
    }

    /// A native function with upvalues (read with [`crate::Ctx::upvalue`]): state a native
    /// carries per closure, such as a library's settings held in a userdata.
    pub fn native_closure(
        &mut self,
        name: &'static str,
        func: crate::NativeFunction,
        upvalues: &[Value],
    ) -> Result<Value> {
        let id = self.natives.register(name, func);
        let env = self.globals;
        let closure = ferrous_heap::NativeClosure {
            id,
            upvalues: upvalues.into(),
            env,
        };
        let f = self
            .heap
            .tx()
            .new_function(ferrous_heap::Function::Native(closure))?;
        Ok(Value::Function(f))
    }

    /// A full userdata holding `data` (any `'static` type that implements
    /// [`ferrous_heap::Trace`], which reports the Lua values it holds, usually none), with an
    /// optional metatable. Natives get it back with [`crate::Ctx::check_userdata`].
    pub fn new_userdata<T: ferrous_heap::Payload>(
        &mut self,
        data: T,
        metatable: Option<ferrous_heap::TableHandle>,
    ) -> Result<Value> {
        let userdata = ferrous_heap::UserData {
            metatable,
            env: None,
            data: Box::new(data),
        };
        Ok(Value::UserData(self.heap.tx().new_userdata(userdata)?))
    }

    /// The payload of a userdata value, if it is one holding a `T`.
    pub fn userdata_ref<T: ferrous_heap::Payload>(&self, value: Value) -> Option<&T> {
        match value {
            Value::UserData(u) => self.heap.userdata(u).ok()?.downcast_ref::<T>(),
            _ => None,
        }
    }

    /// Keeps `value` alive until the key is given back to [`Vm::registry_remove`].
    pub fn registry_insert(&mut self, value: Value) -> RegistryKey {
        match self.free_refs.pop() {
            Some(slot) => {
                self.refs[slot as usize] = value;
                RegistryKey(slot)
            }
            None => {
                self.refs.push(value);
                RegistryKey(u32::try_from(self.refs.len() - 1).unwrap_or(u32::MAX))
            }
        }
    }

    /// The value a registry key keeps (nil for a key of another VM).
    pub fn registry_value(&self, key: &RegistryKey) -> Value {
        self.refs.get(key.0 as usize).copied().unwrap_or(Value::Nil)
    }

    /// Releases a registry key: its value may now be collected.
    pub fn registry_remove(&mut self, key: RegistryKey) {
        if let Some(slot) = self.refs.get_mut(key.0 as usize) {
            *slot = Value::Nil;
            self.free_refs.push(key.0);
        }
    }

    /// Abandons a paused script: its frames are dropped and the VM is ready for the next one.
    pub fn abort(&mut self) {
        while self.current != self.main_thread {
            // Unwind coroutines back to the main thread.
            if self.raise(Raise::Killed(b"aborted".to_vec())).is_err() {
                break;
            }
        }
        let _ = self.close_upvalues(0);
        self.th.frames.clear();
        self.th.top = 0;
        self.th.n_ccalls = 0;
        self.started = false;
    }

    /// Sends `print` output somewhere else than the process's standard output.
    pub fn set_stdout(&mut self, out: Box<dyn Write>) {
        self.flush_stdout();
        self.stdout = out;
    }

    /// Flushes `print` output (when there is any).
    pub fn flush_stdout(&mut self) {
        if std::mem::take(&mut self.stdout_pending) {
            let _ = self.stdout.flush();
        }
    }

    /// Whether errors reaching the host record a `stack traceback:` (as lua5.1's standalone
    /// interpreter prints).
    pub fn set_capture_traceback(&mut self, on: bool) {
        self.capture_traceback = on;
    }

    /// Called when the fuel of a nested run (a native calling Lua) runs out; returning a message
    /// kills the script with it (an error `pcall` cannot catch).
    pub fn set_interrupt(&mut self, interrupt: Option<Box<dyn FnMut() -> Option<Vec<u8>>>>) {
        self.interrupt = interrupt;
    }

    /// Converts an error escaping to the host: every internal state becomes a host-facing
    /// variant, and an error value that is an object is kept by a registry key.
    pub(crate) fn host_error(&mut self, err: Raise) -> Error {
        let traceback = self.pending_traceback.take();
        let v = match err {
            Raise::OutOfMemory => return Error::OutOfMemory,
            Raise::Killed(msg) => return Error::Killed(msg),
            Raise::Paused => return Error::Usage("paused inside a nested call"),
            Raise::Value(v) => v,
            other => self.error_to_value(other),
        };
        let mut message = Vec::new();
        let value = match v {
            Value::String(_) | Value::Number(_) => {
                let _ = self.plain_tostring(v, &mut message);
                match v {
                    Value::Number(n) => ErrorValue::Number(n),
                    _ => ErrorValue::String,
                }
            }
            Value::Nil => {
                message.extend_from_slice(b"nil");
                ErrorValue::Nil
            }
            Value::Boolean(b) => {
                message.extend_from_slice(b"(error object is not a string)");
                ErrorValue::Boolean(b)
            }
            _ => {
                message.extend_from_slice(b"(error object is not a string)");
                ErrorValue::Object(self.registry_insert(v))
            }
        };
        Error::Runtime(Box::new(RuntimeError {
            message,
            traceback,
            value,
        }))
    }

    /// An [`Error`] a native returned, as it is raised inside the VM: a host-facing error's value
    /// is raised again (a kept object is taken back from the registry).
    pub(crate) fn raise_of(&mut self, err: Error) -> Raise {
        match err {
            Error::Raised(Raised(raise)) => *raise,
            Error::Runtime(e) => match e.value {
                ErrorValue::Nil => Raise::Value(Value::Nil),
                ErrorValue::Boolean(b) => Raise::Value(Value::Boolean(b)),
                ErrorValue::Number(n) => Raise::Value(Value::Number(n)),
                ErrorValue::String => Raise::Message(e.message),
                ErrorValue::Object(key) => {
                    let v = self.registry_value(&key);
                    self.registry_remove(key);
                    Raise::Value(v)
                }
            },
            other => other.into(),
        }
    }
}
