//! The standard library, one file per Lua library, opened according to the VM's [`Profile`].
//!
//! Pure byte-level algorithms the libraries share live beside them: `number.rs` (`%.14g` and
//! string-to-number conversion), `format.rs` (`string.format`), `lua_pattern.rs` (patterns).

pub(crate) mod base;
pub(crate) mod coroutine;
pub(crate) mod number;

use ferrous_heap::{TableHandle, Value};

use crate::error::RtResult;
use crate::native::NativeFunction;
use crate::vm::{Profile, Vm};

/// Opens the libraries of `profile` into `vm`'s globals.
pub(crate) fn open(vm: &mut Vm, profile: Profile) {
    // Opening libraries on a fresh heap without a memory limit cannot fail; should it ever,
    // the VM is still usable, only without the library.
    let _ = base::open(vm);
    let _ = coroutine::open(vm);
    match profile {
        Profile::Base | Profile::Sandbox | Profile::Cli => {}
    }
}

/// Creates a library table `name` in the globals with the given functions.
pub(crate) fn new_lib(
    vm: &mut Vm,
    name: &str,
    funcs: &[(&'static str, NativeFunction)],
) -> RtResult<TableHandle> {
    let t = vm.new_table(0, funcs.len())?;
    set_funcs(vm, t, funcs)?;
    let globals = vm.globals;
    let key = vm.intern(name.as_bytes())?;
    vm.heap.tx().raw_set_str(globals, key, Value::Table(t))?;
    Ok(t)
}

/// Sets native functions as fields of table `t`.
pub(crate) fn set_funcs(
    vm: &mut Vm,
    t: TableHandle,
    funcs: &[(&'static str, NativeFunction)],
) -> RtResult<()> {
    for &(name, func) in funcs {
        let f = vm.native(name, func);
        let key = vm.intern(name.as_bytes())?;
        vm.heap.tx().raw_set_str(t, key, f)?;
    }
    Ok(())
}
