//! The VM: the heap, the running thread, the globals, the native registry, limits, and the
//! roots the garbage collector starts from.
//!
//! Invariants:
//! - The running thread's state is `Vm::th`; all other threads' states are heap payloads.
//! - Garbage is collected only at safe points of the interpreter loop ([`Vm::gc_check`]), when no
//!   heap transaction is open and every live value is reachable from [`Roots`].

use ferrous_heap::{
    FunctionHandle, Heap, NativeFn, StringHandle, TableHandle, ThreadHandle, Trace, Tracer, Value,
};

use crate::error::{Raise, RaiseResult};
use crate::native::{NativeFunction, Natives};
use crate::number;
use crate::thread::ThreadState;

/// 5.1's `LUAI_MAXCALLS`: the deepest Lua call stack before `stack overflow`.
pub(crate) const MAX_FRAMES: usize = 20_000;
/// 5.1's `LUAI_MAXCCALLS`: nested C calls (metamethods, protected calls) before `C stack overflow`.
pub(crate) const MAX_CCALLS: u32 = 200;
/// Nested interpreter loops (a native calling Lua that calls the native again: `print` through
/// `__tostring`, `table.sort` comparators, `gsub` callbacks) before `C stack overflow`. Each one
/// costs Rust stack (16-25 KiB in debug builds), so this is lower than `MAX_CCALLS`: 64 of
/// them fit in a 2 MiB thread stack.
pub(crate) const MAX_REENTRY: u32 = 64;
/// The largest stack a thread may grow to (slots).
pub(crate) const MAX_STACK: usize = 1_000_000;

/// Which standard libraries a VM gets; chosen when it is built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    /// No library at all: open them one by one (`Vm::open_base`, `Vm::open_string`, ...).
    Bare,
    /// Only the base library and `coroutine`.
    Base,
    /// What Redis scripts see: base, `string`, `table`, `math` (no `io`, `os`, `require`).
    Sandbox,
    /// The command-line interpreter: everything, including `io`, `os` and `require`.
    Cli,
}

/// Builds a [`Vm`].
#[derive(Clone, Debug)]
pub struct VmBuilder {
    profile: Profile,
    memory_limit: Option<usize>,
    binary_chunks: Option<bool>,
}

impl VmBuilder {
    /// The library profile.
    pub fn profile(mut self, profile: Profile) -> Self {
        self.profile = profile;
        self
    }

    /// The memory cap in bytes; allocations beyond it raise `not enough memory`.
    pub fn memory_limit(mut self, limit: Option<usize>) -> Self {
        self.memory_limit = limit;
        self
    }

    /// Whether `load`, `loadstring`, `loadfile`, `dofile` and the host's `load`/`load_file` accept
    /// binary chunks (`string.dump`, `luac5.1`). Default: allowed for [`Profile::Cli`], refused
    /// for the others (refused, a chunk starting with ESC is a syntax error, as in Redis).
    pub fn binary_chunks(mut self, allowed: bool) -> Self {
        self.binary_chunks = Some(allowed);
        self
    }

    /// Creates the VM with its libraries.
    pub fn build(self) -> Vm {
        let mut vm = Vm::bare();
        let binary = self.binary_chunks.unwrap_or(self.profile == Profile::Cli);
        vm.set_app_data(crate::binary::BinaryChunks(binary));
        // No collection while the libraries are opened (they make little garbage, and a cycle
        // there was 2.5% of a bare start-up's instructions); the first threshold is then paced
        // from what they left, as a cycle's end sets it (5.1 paces its first from the new
        // state's bytes, before `luaL_openlibs`).
        vm.heap.stop();
        crate::stdlib::open(&mut vm, self.profile);
        vm.heap.restart_paced();
        vm.heap.set_memory_limit(self.memory_limit);
        vm
    }
}

/// A Lua 5.1 virtual machine.
pub struct Vm {
    pub(crate) heap: Heap,
    /// The running thread.
    pub(crate) th: ThreadState,
    pub(crate) current: ThreadHandle,
    /// The state of the thread that stopped running last (a coroutine that yielded, a resumer
    /// waiting for its coroutine), kept here rather than in its heap object until another
    /// thread stops, so a coroutine and its resumer switch without heap lookups
    /// (`coswitch.rs`). Read through [`Vm::thread_state`]; put back before every collection.
    pub(crate) parked: Option<(ThreadHandle, Box<ThreadState>)>,
    /// The upvalue handles of the closure that last read or wrote one in the loop.
    pub(crate) upvals: crate::upvalue::UpvalCache,
    /// The natives `call_native` hands to `Vm::switch_native` once their frame is pushed:
    /// `coroutine.wrap`'s functions and `coroutine.yield` (`NativeFn(u32::MAX)`, no native,
    /// without the coroutine library).
    pub(crate) switch_natives: [ferrous_heap::NativeFn; 2],
    pub(crate) main_thread: ThreadHandle,
    pub(crate) globals: TableHandle,
    pub(crate) registry: TableHandle,
    pub(crate) string_meta: Option<TableHandle>,
    /// The metatables of nil, booleans, numbers, functions and threads, which only
    /// `debug.setmetatable` sets (5.1's `G(L)->mt`), indexed by [`basic_meta_slot`].
    pub(crate) basic_meta: [Option<TableHandle>; 5],
    pub(crate) natives: Natives,
    /// Fuel left before the loop returns to the host (`i64::MAX` = unlimited): one unit per
    /// backward jump and per Lua call (see `Vm::run_for`).
    pub(crate) fuel: i64,
    /// Nested interpreter loops (natives re-entering Lua).
    pub(crate) reentry: u32,
    /// Values the host pinned (kept alive across collections).
    pub(crate) pinned: Vec<Value>,
    /// The error value being raised, kept as a root while the stack unwinds.
    pub(crate) error_value: Value,
    /// Whether `collectgarbage("stop")` is in effect.
    pub(crate) gc_stopped: bool,
    /// Where `print` writes.
    pub(crate) stdout: Box<dyn std::io::Write>,
    /// Something was written to `stdout` since the last flush (every write ends with a
    /// `write_stdout`): a run that printed nothing does not pay for a flush.
    pub(crate) stdout_pending: bool,
    /// Whether errors reaching the host record a traceback.
    pub(crate) capture_traceback: bool,
    /// The traceback recorded for the error on its way to the host.
    pub(crate) pending_traceback: Option<String>,
    /// Asked when a nested run's fuel runs out: `Some(msg)` kills the script.
    pub(crate) interrupt: Option<Box<dyn FnMut() -> Option<Vec<u8>>>>,
    /// Fuel given to nested runs each time theirs runs out.
    pub(crate) slice: i64,
    /// A function was `start`ed and waits for `run_for`.
    pub(crate) started: bool,
    /// `setfenv` changed the environment of a running frame: the loop reloads its cached copy.
    pub(crate) env_changed: bool,
    /// A hook was set or cleared: the loop restarts in its other copy at its next charge point
    /// (`Vm::request_loop_switch`).
    pub(crate) hook_switch: bool,
    /// Finalizers are running (`finalize.rs`): they do not nest.
    pub(crate) in_finalizer: bool,
    /// The fuel parked while `hook_switch` is set.
    pub(crate) hook_saved_fuel: i64,
    /// Whether the innermost running loop is the hooked copy.
    pub(crate) loop_hooked: bool,
    /// The innermost loop paused to restart in its other copy.
    pub(crate) loop_switch: bool,
    /// `not enough memory`, interned up front so raising it never allocates.
    pub(crate) oom_message: StringHandle,
    /// Where the last error that reached the host was raised.
    pub(crate) error_location: Option<crate::api::ErrorLocation>,
    /// Values kept alive by registry keys (`Vm::registry_insert`); `Nil` slots are free.
    pub(crate) refs: Vec<Value>,
    /// Free slots of `refs`.
    pub(crate) free_refs: Vec<u32>,
    /// Typed per-VM data of libraries and the host.
    pub(crate) app_data: crate::app_data::AppData,
}

impl Default for Vm {
    fn default() -> Self {
        Vm::builder().build()
    }
}

impl Vm {
    /// A builder; the default profile is [`Profile::Cli`].
    pub fn builder() -> VmBuilder {
        VmBuilder {
            profile: Profile::Cli,
            memory_limit: None,
            binary_chunks: None,
        }
    }

    /// A VM without any library.
    pub(crate) fn bare() -> Vm {
        let mut heap = Heap::new();
        let (globals, registry, main_thread, oom_message) = {
            let mut tx = heap.tx();
            let globals = tx
                .new_table(0, 64)
                .expect("a fresh heap has no memory limit");
            let registry = tx
                .new_table(0, 8)
                .expect("a fresh heap has no memory limit");
            let main_thread = tx
                .new_thread(ferrous_heap::Thread { payload: None })
                .expect("a fresh heap has no memory limit");
            let oom = tx
                .intern(b"not enough memory")
                .expect("a fresh heap has no memory limit");
            (globals, registry, main_thread, oom)
        };
        Vm {
            heap,
            th: ThreadState::new(),
            current: main_thread,
            parked: None,
            upvals: crate::upvalue::UpvalCache::default(),
            switch_natives: [ferrous_heap::NativeFn(u32::MAX); 2],
            main_thread,
            globals,
            registry,
            string_meta: None,
            basic_meta: [None; 5],
            natives: Natives::default(),
            fuel: i64::MAX,
            reentry: 0,
            pinned: Vec::new(),
            error_value: Value::Nil,
            gc_stopped: false,
            stdout: Box::new(std::io::BufWriter::new(std::io::stdout())),
            stdout_pending: false,
            capture_traceback: false,
            pending_traceback: None,
            interrupt: None,
            slice: 100_000,
            started: false,
            env_changed: false,
            hook_switch: false,
            in_finalizer: false,
            hook_saved_fuel: 0,
            loop_hooked: false,
            loop_switch: false,
            oom_message,
            error_location: None,
            refs: Vec::new(),
            free_refs: Vec::new(),
            app_data: crate::app_data::AppData::default(),
        }
    }

    /// The globals table (`_G`).
    pub fn globals(&self) -> TableHandle {
        self.globals
    }

    /// Registers a native function and returns its value.
    pub fn native(&mut self, name: &'static str, func: NativeFunction) -> Value {
        Value::NativeFunction(self.natives.register(name, func))
    }

    /// Marks native function `f` (a value [`Vm::native`] or a library returned) as a *leaf*: a
    /// function that, while it runs, neither runs Lua code (no [`Vm::call`] or other re-entry)
    /// nor looks at the call stack (levels, the running function, tracebacks). Errors and the
    /// requests of [`Ret`](crate::Ret) are fine. A plain call of a leaf from Lua pushes no call
    /// frame, which saves about a third of a native call's overhead; if it fails or returns a
    /// request, its frame is pushed first, so error messages and levels are unchanged. A native
    /// that breaks the contract still runs safely, but what it sees of the call stack lacks its
    /// own frame. Other values are ignored.
    pub fn mark_leaf(&mut self, f: Value) {
        if let Value::NativeFunction(id) = f {
            self.natives.set_leaf(id);
        }
    }

    /// [`Vm::mark_leaf`] for the functions in fields `names` of library table `lib` (raw reads).
    pub fn mark_leaves<'n>(
        &mut self,
        lib: TableHandle,
        names: impl IntoIterator<Item = &'n str>,
    ) -> crate::Result<()> {
        for name in names {
            let key = self.intern(name.as_bytes())?;
            let f = self.heap.raw_get_str(lib, key)?;
            self.mark_leaf(f);
        }
        Ok(())
    }

    /// Sets the global `name` to a native function.
    pub fn register(&mut self, name: &'static str, func: NativeFunction) -> crate::Result<()> {
        let value = self.native(name, func);
        self.set_global(name, value)
    }

    /// Sets a global variable (raw).
    pub fn set_global(&mut self, name: &str, value: Value) -> crate::Result<()> {
        let key = self.intern(name.as_bytes())?;
        let globals = self.globals;
        self.heap.tx().raw_set_str(globals, key, value)?;
        Ok(())
    }

    /// Reads a global variable (raw).
    pub fn get_global(&mut self, name: &str) -> crate::Result<Value> {
        let key = self.intern(name.as_bytes())?;
        Ok(self.heap.tx().raw_get_str(self.globals, key)?)
    }

    /// Interns a byte string.
    #[inline]
    pub fn intern(&mut self, bytes: &[u8]) -> crate::Result<StringHandle> {
        Ok(self.heap.tx().intern(bytes)?)
    }

    /// The bytes of a string.
    #[inline]
    pub fn str_bytes(&self, s: StringHandle) -> crate::Result<&[u8]> {
        Ok(self.heap.str_bytes(s)?)
    }

    /// Creates a table.
    pub fn new_table(&mut self, narr: usize, nhash: usize) -> crate::Result<TableHandle> {
        Ok(self.heap.tx().new_table(narr, nhash)?)
    }

    /// The heap, for direct (raw) access by embedders and libraries.
    pub fn heap(&mut self) -> &mut Heap {
        &mut self.heap
    }

    /// Keeps `value` alive across garbage collections until [`Vm::unpin_all`].
    pub fn pin(&mut self, value: Value) {
        self.pinned.push(value);
    }

    /// Releases every pinned value.
    pub fn unpin_all(&mut self) {
        self.pinned.clear();
    }

    /// `type(v)`.
    pub fn type_name(&self, value: Value) -> &'static str {
        crate::value::type_name(value)
    }

    /// `tonumber` without a base: numbers, and strings that convert (`lua_tonumber`).
    #[inline]
    pub fn to_number(&self, value: Value) -> Option<f64> {
        match value {
            Value::Number(n) => Some(n),
            Value::String(s) => number::str_to_number(self.heap.str_bytes(s).ok()?),
            _ => None,
        }
    }

    /// A number as Lua prints it (`%.14g`), interned.
    pub fn number_to_string(&mut self, n: f64) -> crate::Result<StringHandle> {
        Ok(self.number_string(n)?)
    }

    /// [`Vm::number_to_string`] for the interpreter's coercions, with the VM-internal error
    /// (the public `Result` there kept `slot_to_string` out of `concat`: `concat` +3%).
    pub(crate) fn number_string(&mut self, n: f64) -> RaiseResult<StringHandle> {
        Ok(self.heap.tx().intern(number::number_text(n).as_bytes())?)
    }

    /// The name a native function was registered under.
    pub(crate) fn native_name(&self, id: NativeFn) -> &'static str {
        self.natives.get(id).map_or("?", |entry| entry.name)
    }

    /// Upvalue `n` of a native closure (nil if it has none), by reference: a `Result<Value, _>`
    /// returned from here went through memory and stalled the caller's read.
    pub(crate) fn native_upvalue(&self, closure: FunctionHandle, n: usize) -> &Value {
        const NIL: Value = Value::Nil;
        match self.heap.function(closure) {
            Ok(ferrous_heap::Function::Native(native)) => native.upvalues.get(n).unwrap_or(&NIL),
            _ => &NIL,
        }
    }

    /// The instructions a Lua frame runs (empty if its prototype is gone, which cannot happen
    /// while the frame is on a stack).
    #[inline]
    pub(crate) fn code_of(&self, lua: &crate::thread::LuaCode) -> &[u32] {
        self.heap.proto(lua.proto).map_or(&[], |p| &p.code)
    }

    /// The metatable of any value (`lua_getmetatable`).
    pub(crate) fn metatable_of(&self, value: Value) -> Option<TableHandle> {
        match value {
            Value::Table(t) => self.heap.metatable(t).ok().flatten(),
            Value::UserData(u) => self.heap.userdata(u).ok().and_then(|u| u.metatable),
            Value::String(_) => self.string_meta,
            other => basic_meta_slot(other).and_then(|slot| self.basic_meta[slot]),
        }
    }

    /// A safe point: collects garbage when the allocation debt asks for it.
    #[inline]
    pub(crate) fn gc_check(&mut self) -> RaiseResult<()> {
        if !self.gc_stopped && self.heap.should_collect() {
            self.gc_step();
            if self.heap.has_finalizers() {
                self.run_finalizers()?;
            }
        }
        Ok(())
    }

    /// One collector step with the VM's roots.
    pub(crate) fn gc_step(&mut self) -> bool {
        self.unpark_thread();
        self.th.clear_dead_slots();
        let values = self.root_values();
        let roots = Roots::of(&self.th, values, &self.pinned, &self.refs);
        self.heap.step(&roots)
    }

    /// A full collection with the VM's roots.
    pub fn collect_garbage(&mut self) {
        self.unpark_thread();
        self.th.clear_dead_slots();
        let values = self.root_values();
        let roots = Roots::of(&self.th, values, &self.pinned, &self.refs);
        self.heap.collect(&roots);
    }

    /// Turns an [`Raise`] raised by the running code into the Lua error value, as 5.1 builds
    /// it: the position prefix, then the message.
    pub(crate) fn error_to_value(&mut self, err: Raise) -> Value {
        let msg = match err {
            Raise::Value(v) => return v,
            Raise::Runtime(msg) => {
                let mut out = self.runtime_where();
                out.extend_from_slice(&msg);
                out
            }
            Raise::Native(msg) => {
                let mut out = self.where_(1);
                out.extend_from_slice(&msg);
                out
            }
            Raise::Arg { narg, msg } => {
                let mut out = self.where_(1);
                out.extend_from_slice(&self.arg_error_text(narg, &msg));
                out
            }
            Raise::Message(msg) => msg,
            Raise::OutOfMemory => b"not enough memory".to_vec(),
            Raise::ErrorHandling => b"error in error handling".to_vec(),
            Raise::Killed(msg) => msg,
            Raise::Paused => b"paused".to_vec(),
        };
        self.message_value(&msg)
    }

    /// A string value for an error message; if even that cannot be allocated, the pre-interned
    /// `not enough memory`.
    pub(crate) fn message_value(&mut self, msg: &[u8]) -> Value {
        match self.heap.tx().intern(msg) {
            Ok(s) => Value::String(s),
            Err(_) => Value::String(self.oom_message),
        }
    }
}

/// Where [`Vm::basic_meta`] keeps the metatable of `value`'s type (none for tables, userdata
/// and strings, whose metatables live elsewhere).
pub(crate) fn basic_meta_slot(value: Value) -> Option<usize> {
    match value {
        Value::Nil => Some(0),
        Value::Boolean(_) => Some(1),
        Value::Number(_) => Some(2),
        Value::Function(_) | Value::NativeFunction(_) => Some(3),
        Value::Thread(_) => Some(4),
        _ => None,
    }
}

/// Everything the collector starts from.
pub(crate) struct Roots<'a> {
    th: &'a ThreadState,
    values: [Value; 12],
    pinned: &'a [Value],
    refs: &'a [Value],
}

impl Vm {
    fn root_values(&self) -> [Value; 12] {
        let vm = self;
        [
            Value::Table(vm.globals),
            Value::Table(vm.registry),
            vm.string_meta.map_or(Value::Nil, Value::Table),
            Value::Thread(vm.main_thread),
            Value::Thread(vm.current),
            vm.error_value,
            Value::String(vm.oom_message),
            vm.basic_meta[0].map_or(Value::Nil, Value::Table),
            vm.basic_meta[1].map_or(Value::Nil, Value::Table),
            vm.basic_meta[2].map_or(Value::Nil, Value::Table),
            vm.basic_meta[3].map_or(Value::Nil, Value::Table),
            vm.basic_meta[4].map_or(Value::Nil, Value::Table),
        ]
    }
}

impl<'a> Roots<'a> {
    fn of(
        th: &'a ThreadState,
        values: [Value; 12],
        pinned: &'a [Value],
        refs: &'a [Value],
    ) -> Roots<'a> {
        Roots {
            th,
            values,
            pinned,
            refs,
        }
    }
}

impl Trace for Roots<'_> {
    fn trace(&self, tracer: &mut Tracer) {
        self.th.trace(tracer);
        for value in self.values.iter().chain(self.pinned).chain(self.refs) {
            tracer.value(*value);
        }
    }
}
