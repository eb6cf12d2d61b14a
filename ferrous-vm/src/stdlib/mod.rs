//! The standard library, one file per Lua library, opened according to the VM's [`Profile`].
//!
//! Pure byte-level algorithms the libraries share live beside them: `number.rs` (`%.14g` and
//! string-to-number conversion), `format.rs` (`string.format`), `lua_pattern.rs` (patterns).

pub(crate) mod base;
pub(crate) mod chunk_reader;
pub(crate) mod coroutine;
pub(crate) mod debug;
pub(crate) mod format;
pub(crate) mod io;
pub(crate) mod lua_pattern;
pub(crate) mod math;
pub(crate) mod module;
pub(crate) mod os;
pub(crate) mod package;
pub(crate) mod string;
pub(crate) mod table;

use ferrous_heap::{MetaEvent, TableHandle, Value, names};

use crate::error::{Raise, RaiseResult, Result};
use crate::native::NativeFunction;
use crate::vm::{Profile, Vm};

/// Opens the libraries of `profile` into `vm`'s globals.
pub(crate) fn open(vm: &mut Vm, profile: Profile) {
    if profile == Profile::Bare {
        return;
    }
    // Opening libraries on a fresh heap without a memory limit cannot fail; should it ever,
    // the VM is still usable, only without the library.
    let _ = base::open(vm);
    let _ = coroutine::open(vm);
    if profile == Profile::Base {
        return;
    }
    let _ = string::open(vm);
    let _ = table::open(vm);
    let _ = math::open(vm);
    if profile == Profile::Cli {
        let _ = io::open(vm);
        let _ = os::open(vm);
        let _ = package::open(vm);
    }
    vm.set_app_data(match profile {
        Profile::Sandbox => math::Random::lrand48(),
        _ => math::Random::glibc(),
    });
}

impl Vm {
    /// Opens the base library (`print`, `pairs`, `pcall`, `_G`, ...) into the globals.
    pub fn open_base(&mut self) -> Result<()> {
        base::open(self)
    }

    /// Opens `coroutine`.
    pub fn open_coroutine(&mut self) -> Result<()> {
        coroutine::open(self)
    }

    /// Opens `string` (and gives strings their metatable).
    pub fn open_string(&mut self) -> Result<()> {
        string::open(self)
    }

    /// Opens `table`.
    pub fn open_table(&mut self) -> Result<()> {
        table::open(self)
    }

    /// Opens `math`, with `math.random` as Redis has it (a portable 48-bit generator) when
    /// `redis_random`, else as glibc's `rand` (lua5.1 on Linux).
    pub fn open_math(&mut self, redis_random: bool) -> Result<()> {
        self.set_app_data(if redis_random {
            math::Random::lrand48()
        } else {
            math::Random::glibc()
        });
        math::open(self)
    }

    /// Opens `io` (files, standard streams).
    pub fn open_io(&mut self) -> Result<()> {
        io::open(self)
    }

    /// Opens `os`.
    pub fn open_os(&mut self) -> Result<()> {
        os::open(self)
    }

    /// `luaL_register`: a library table `name` in the globals holding the native `funcs`.
    pub fn register_library(
        &mut self,
        name: &str,
        funcs: &[(&'static str, NativeFunction)],
    ) -> Result<TableHandle> {
        new_lib(self, name, funcs)
    }

    /// Opens `package` and `require`.
    pub fn open_package(&mut self) -> Result<()> {
        package::open(self)
    }
}

/// 5.1's `MAXTAGLOOP`.
const MAX_TAG_LOOP: usize = 100;

impl Vm {
    /// `lua_gettable` for natives: `t[key]` with `__index`, calling a metamethod function
    /// through the bounded re-entry.
    pub(crate) fn index_sync(&mut self, t: Value, key: Value) -> RaiseResult<Value> {
        let mut t = t;
        for _ in 0..MAX_TAG_LOOP {
            let tm = match t {
                Value::Table(h) => {
                    let v = self.heap.raw_get(h, key)?;
                    if !matches!(v, Value::Nil) {
                        return Ok(v);
                    }
                    match self.heap.metatable(h)? {
                        Some(mt) => self.heap.fast_metamethod(mt, MetaEvent::Index),
                        None => Value::Nil,
                    }
                }
                other => {
                    let tm = self.metamethod(other, names::INDEX);
                    if matches!(tm, Value::Nil) {
                        return Err(self.type_error(None, other, "index"));
                    }
                    tm
                }
            };
            match tm {
                Value::Nil => return Ok(Value::Nil),
                Value::Function(_) | Value::NativeFunction(_) => {
                    let res = self.call_value(tm, &[t, key])?;
                    return Ok(res.first().copied().unwrap_or(Value::Nil));
                }
                next => t = next,
            }
        }
        Err(Raise::runtime("loop in gettable"))
    }

    /// `lua_lessthan` for natives (`table.sort`): numbers, strings, or a shared `__lt` called
    /// through the bounded re-entry.
    pub(crate) fn less_than_sync(&mut self, a: Value, b: Value) -> RaiseResult<bool> {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => Ok(x < y),
            (Value::String(x), Value::String(y)) => {
                Ok(self.heap.str_bytes(x)? < self.heap.str_bytes(y)?)
            }
            _ if crate::value::type_name(a) != crate::value::type_name(b) => {
                Err(self.order_error(a, b))
            }
            _ => {
                let tm = self.metamethod(a, names::LT);
                if matches!(tm, Value::Nil) || tm != self.metamethod(b, names::LT) {
                    return Err(self.order_error(a, b));
                }
                let res = self.call_value(tm, &[a, b])?;
                Ok(res.first().is_some_and(|v| crate::value::is_truthy(*v)))
            }
        }
    }
}

/// Creates a library table `name` in the globals with the given functions.
pub(crate) fn new_lib(
    vm: &mut Vm,
    name: &str,
    funcs: &[(&'static str, NativeFunction)],
) -> Result<TableHandle> {
    let t = vm.new_table(0, funcs.len())?;
    set_funcs(vm, t, funcs)?;
    let globals = vm.globals;
    let key = vm.intern(name.as_bytes())?;
    vm.heap.tx().raw_set_str(globals, key, Value::Table(t))?;
    Ok(t)
}

/// A native closure of `id` over `upvalues` (iterators such as `gmatch`'s and `io.lines`'),
/// with the globals as environment.
pub(crate) fn native_closure(
    vm: &mut Vm,
    id: ferrous_heap::NativeFn,
    upvalues: Box<[Value]>,
) -> Result<Value> {
    let env = vm.globals;
    let f = vm.heap.tx().new_function(ferrous_heap::Function::Native(
        ferrous_heap::NativeClosure { id, upvalues, env },
    ))?;
    Ok(Value::Function(f))
}

/// Sets native functions as fields of table `t`.
pub(crate) fn set_funcs(
    vm: &mut Vm,
    t: TableHandle,
    funcs: &[(&'static str, NativeFunction)],
) -> Result<()> {
    for &(name, func) in funcs {
        let f = vm.native(name, func);
        let key = vm.intern(name.as_bytes())?;
        vm.heap.tx().raw_set_str(t, key, f)?;
    }
    Ok(())
}
