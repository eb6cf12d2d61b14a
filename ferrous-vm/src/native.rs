//! Native (Rust) functions: the registry that gives each one an id, the calling context with
//! 5.1's typed argument checks (`luaL_check*`), and what a native returns.
//!
//! A native function receives a [`Ctx`]: its arguments are the stack slots `base .. base + nargs`
//! of the running thread. It pushes its results and returns [`Ret::values`]; natives that must run
//! Lua code without Rust recursion (`pcall`, `coroutine.resume`, ...) return a request that the
//! interpreter loop carries out.
//!
//! Invariant: natives are identified by [`NativeFn`] ids (index into [`Natives`]), never by
//! function-pointer comparison.

use ferrous_heap::{FunctionHandle, NativeFn, StringHandle, TableHandle, ThreadHandle, Value};

use crate::error::{Error, Result};
use crate::thread::Cont;
use crate::vm::Vm;

/// The signature of every native function.
pub type NativeFunction = fn(&mut Ctx<'_>) -> Result<Ret>;

/// One registered native function.
pub(crate) struct NativeEntry {
    pub name: &'static str,
    pub func: NativeFunction,
    /// A leaf: while it runs it neither runs Lua code (no re-entry) nor looks at the call
    /// stack (levels, the running function, tracebacks). A plain call of a leaf pushes no
    /// frame (`Vm::call_leaf`); its frame is pushed only if it fails or returns a request,
    /// before either is carried out, so what follows is as if it had had one all along.
    pub leaf: bool,
    /// Set for the iterators `TFORLOOP` runs itself, without a call (see [`InlineIter`]).
    pub inline: Option<InlineIter>,
}

/// The iterators that `TFORLOOP` runs inline when no hook is set: a loop over `pairs(t)` or
/// `ipairs(t)` then makes no native call per iteration. The loop does exactly what the native
/// would (`ops.rs`, `Vm::inline_iteration`) and calls the native itself for anything unusual
/// (a state that is not a table, an invalid key), so errors are the native's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum InlineIter {
    /// `next(t, k)`, as `pairs` returns it.
    Next,
    /// `ipairs`'s iterator: `t[i + 1]`, stopping at nil.
    Ipairs,
}

/// The registry of native functions of one VM.
#[derive(Default)]
pub(crate) struct Natives {
    pub entries: Vec<NativeEntry>,
}

impl Natives {
    pub fn register(&mut self, name: &'static str, func: NativeFunction) -> NativeFn {
        self.register_entry(NativeEntry {
            name,
            func,
            leaf: false,
            inline: None,
        })
    }

    /// [`Natives::register`] for an iterator the loop may run inline; `func` must do what
    /// `kind` describes.
    pub(crate) fn register_iterator(
        &mut self,
        name: &'static str,
        func: NativeFunction,
        kind: InlineIter,
    ) -> NativeFn {
        self.register_entry(NativeEntry {
            name,
            func,
            leaf: false,
            inline: Some(kind),
        })
    }

    fn register_entry(&mut self, entry: NativeEntry) -> NativeFn {
        let id = NativeFn(u32::try_from(self.entries.len()).unwrap_or(u32::MAX));
        self.entries.push(entry);
        id
    }

    /// Marks native `id` as a leaf (see [`NativeEntry::leaf`]).
    pub(crate) fn set_leaf(&mut self, id: NativeFn) {
        if let Some(entry) = self.entries.get_mut(id.0 as usize) {
            entry.leaf = true;
        }
    }

    #[inline]
    pub fn get(&self, id: NativeFn) -> Option<&NativeEntry> {
        self.entries.get(id.0 as usize)
    }
}

/// What a native function asks the interpreter to do when it returns.
#[derive(Debug)]
pub struct Ret(pub(crate) RetKind);

#[derive(Debug)]
pub(crate) enum RetKind {
    /// The last `n` values below the stack top are the results.
    Values(usize),
    /// Call the function in stack slot `func` with the values above it (up to the top) as
    /// arguments; what happens to its results is decided by `cont`.
    Call { func: usize, cont: Cont },
    /// Yield the last `n` values below the stack top to the resumer.
    Yield(usize),
    /// Resume `thread` with the native's arguments (after the first, the coroutine, for
    /// `coroutine.resume`); `wrap` says whether errors propagate (`coroutine.wrap`) or become
    /// `false, msg` (`coroutine.resume`).
    ///
    Resume(ResumeRequest),
}

/// The payload of [`RetKind::Resume`].
///
/// Performance: 8-byte aligned, so the handle sits where the other variants keep their `usize`:
/// the caller reads that word before it looks at the variant, and with the handle at an offset
/// of 4 that load straddled two stores (perf showed a stall there on every resume; no argument
/// count either: `call_native` knows it).
#[derive(Debug, Clone, Copy)]
#[repr(C, align(8))]
pub(crate) struct ResumeRequest {
    pub thread: ThreadHandle,
    pub wrap: bool,
}

impl Ret {
    /// The last `n` values pushed are the results.
    pub fn values(n: usize) -> Ret {
        Ret(RetKind::Values(n))
    }
}

/// The context of one native call.
pub struct Ctx<'a> {
    pub(crate) vm: &'a mut Vm,
    /// First argument's stack slot.
    pub(crate) base: usize,
    /// Number of arguments.
    pub(crate) nargs: usize,
    /// The native's own function value (for its upvalues), when it is a closure.
    pub(crate) closure: Option<FunctionHandle>,
}

impl<'a> Ctx<'a> {
    /// The VM.
    pub fn vm(&mut self) -> &mut Vm {
        self.vm
    }

    /// The VM's data of type `T` (see [`Vm::set_app_data`]).
    pub fn app_data<T: 'static>(&self) -> Option<&T> {
        self.vm.app_data.get()
    }

    /// The VM's data of type `T`, mutably.
    pub fn app_data_mut<T: 'static>(&mut self) -> Option<&mut T> {
        self.vm.app_data.get_mut()
    }

    /// Number of arguments.
    pub fn nargs(&self) -> usize {
        self.nargs
    }

    /// Argument `n` (1-based); `nil` when absent.
    #[inline]
    pub fn arg(&self, n: usize) -> Value {
        if n >= 1 && n <= self.nargs {
            self.vm.th.stack[self.base + n - 1]
        } else {
            Value::Nil
        }
    }

    /// Whether argument `n` is absent or nil (`lua_isnoneornil`).
    pub fn is_none_or_nil(&self, n: usize) -> bool {
        matches!(self.arg(n), Value::Nil)
    }

    /// The arguments as a slice of the stack.
    pub fn args(&self) -> &[Value] {
        &self.vm.th.stack[self.base..self.base + self.nargs]
    }

    /// `luaL_checkany`.
    pub fn check_any(&self, n: usize) -> Result<Value> {
        if n > self.nargs {
            return Err(Error::arg(n as u32, "value expected"));
        }
        Ok(self.arg(n))
    }

    /// `luaL_typerror`: `bad argument #n to 'f' (T expected, got U)`.
    pub fn type_error(&self, n: usize, expected: &str) -> Error {
        let got = if n > self.nargs {
            "no value"
        } else {
            self.vm.type_name(self.arg(n))
        };
        Error::arg(n as u32, format!("{expected} expected, got {got}"))
    }

    /// `lua_tonumber`: argument `n` as a number when it is one or a string that converts.
    pub fn to_number(&self, n: usize) -> Option<f64> {
        self.vm.to_number(self.arg(n))
    }

    /// `luaL_checknumber`: numbers, and strings convertible to numbers.
    ///
    /// Inlined for a number (what nearly every call passes); strings and errors out of line.
    #[inline]
    pub fn check_number(&mut self, n: usize) -> Result<f64> {
        match self.arg(n) {
            Value::Number(x) => Ok(x),
            _ => self.check_number_slow(n),
        }
    }

    /// [`Ctx::check_number`] for anything but a number.
    #[inline(never)]
    fn check_number_slow(&mut self, n: usize) -> Result<f64> {
        match self.vm.to_number(self.arg(n)) {
            Some(x) => Ok(x),
            None => Err(self.type_error(n, "number")),
        }
    }

    /// `luaL_optnumber`.
    pub fn opt_number(&mut self, n: usize, default: f64) -> Result<f64> {
        if self.is_none_or_nil(n) {
            Ok(default)
        } else {
            self.check_number(n)
        }
    }

    /// `luaL_checkinteger`: the number truncated toward zero (`lua_Integer` cast).
    pub fn check_integer(&mut self, n: usize) -> Result<i64> {
        Ok(crate::value::number_to_integer(self.check_number(n)?))
    }

    /// `luaL_checkint`: [`Ctx::check_integer`] cut to a C `int` (its low 32 bits), so
    /// `string.rep('x', 2^32 + 3)` repeats 3 times, as in lua5.1.
    pub fn check_int(&mut self, n: usize) -> Result<i32> {
        Ok(self.check_integer(n)? as i32)
    }

    /// `luaL_optinteger`.
    pub fn opt_integer(&mut self, n: usize, default: i64) -> Result<i64> {
        if self.is_none_or_nil(n) {
            Ok(default)
        } else {
            self.check_integer(n)
        }
    }

    /// `luaL_checklstring`: strings, and numbers converted in place to strings.
    ///
    /// Inlined for a string; numbers and errors out of line.
    #[inline]
    pub fn check_string(&mut self, n: usize) -> Result<StringHandle> {
        match self.arg(n) {
            Value::String(s) => Ok(s),
            _ => self.check_string_slow(n),
        }
    }

    /// [`Ctx::check_string`] for anything but a string.
    #[inline(never)]
    fn check_string_slow(&mut self, n: usize) -> Result<StringHandle> {
        match self.arg(n) {
            Value::String(s) => Ok(s),
            Value::Number(x) => {
                let s = self.vm.number_to_string(x)?;
                self.vm.th.stack[self.base + n - 1] = Value::String(s);
                Ok(s)
            }
            _ => Err(self.type_error(n, "string")),
        }
    }

    /// Like [`Ctx::check_string`], returning a copy of the bytes.
    pub fn check_bytes(&mut self, n: usize) -> Result<Vec<u8>> {
        let s = self.check_string(n)?;
        Ok(self.vm.str_bytes(s)?.to_vec())
    }

    /// `luaL_optlstring`.
    pub fn opt_string(&mut self, n: usize) -> Result<Option<StringHandle>> {
        if self.is_none_or_nil(n) {
            Ok(None)
        } else {
            self.check_string(n).map(Some)
        }
    }

    /// `luaL_checktype(L, n, LUA_TTABLE)`.
    pub fn check_table(&self, n: usize) -> Result<TableHandle> {
        match self.arg(n) {
            Value::Table(t) => Ok(t),
            _ => Err(self.type_error(n, "table")),
        }
    }

    /// Pushes one result.
    #[inline]
    pub fn push(&mut self, value: Value) {
        self.vm.th.push(value);
    }

    /// Pushes a string result.
    pub fn push_bytes(&mut self, bytes: &[u8]) -> Result<()> {
        let s = self.vm.intern(bytes)?;
        self.push(Value::String(s));
        Ok(())
    }

    /// Returns the given values as the results.
    #[inline]
    pub fn ret(&mut self, values: &[Value]) -> Result<Ret> {
        for value in values {
            self.push(*value);
        }
        Ok(Ret::values(values.len()))
    }

    /// Charges `units` of fuel for work that grows with the input (decoding a large string,
    /// building a large table): about one unit per 16 bytes or per element, like the loop's
    /// charges. When the budget is spent the host's interrupt (`Vm::set_interrupt`) is asked
    /// whether to stop the script (`Err(Killed)`, which `pcall` cannot catch); otherwise the
    /// native goes on and the loop pauses at its next charge point.
    pub fn charge(&mut self, units: u64) -> Result<()> {
        let vm = &mut *self.vm;
        vm.fuel = vm
            .fuel
            .saturating_sub(i64::try_from(units).unwrap_or(i64::MAX));
        if vm.fuel <= 0 {
            if let Some(interrupt) = vm.interrupt.as_mut() {
                if let Some(msg) = interrupt() {
                    return Err(Error::Killed(msg));
                }
            }
        }
        Ok(())
    }

    /// `luaL_checkudata`: argument `n` as a userdata holding a `T`; otherwise
    /// `bad argument #n to 'f' (<name> expected, got <type>)`.
    pub fn check_userdata<T: ferrous_heap::Payload>(&self, n: usize, name: &str) -> Result<&T> {
        if let Value::UserData(u) = self.arg(n) {
            if let Some(data) = self
                .vm
                .heap
                .userdata(u)
                .ok()
                .and_then(|u| u.downcast_ref::<T>())
            {
                return Ok(data);
            }
        }
        Err(self.type_error(n, name))
    }

    /// The upvalue `n` (0-based) of the running native closure.
    #[inline]
    pub fn upvalue(&self, n: usize) -> Result<Value> {
        let Some(closure) = self.closure else {
            return Ok(Value::Nil);
        };
        Ok(*self.vm.native_upvalue(closure, n))
    }
}
