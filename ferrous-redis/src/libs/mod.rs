//! The Lua libraries Redis 7.0 bundles into every script's environment, one file each:
//! `cjson`, `cmsgpack`, `bit` and `struct`. Each is opened into a VM through ferrous-vm's public
//! API and is usable outside the Redis sandbox too ([`crate::open_cjson`] and friends).

pub(crate) mod bit;
pub(crate) mod cjson;
pub(crate) mod cmsgpack;
pub(crate) mod layouts;
pub(crate) mod strcache;
pub(crate) mod structlib;

/// Marks the functions `funcs` of library table `lib` as leaves (`Vm::mark_leaf`): none of the
/// bundled libraries' functions runs Lua code or looks at the call stack.
pub(crate) fn mark_leaves(
    vm: &mut ferrous_vm::Vm,
    lib: ferrous_vm::TableHandle,
    funcs: &[(&str, ferrous_vm::NativeFunction)],
) -> ferrous_vm::Result<()> {
    for (name, _) in funcs {
        let key = vm.intern(name.as_bytes())?;
        let f = vm.heap().raw_get_str(lib, key)?;
        vm.mark_leaf(f);
    }
    Ok(())
}

/// Empties a buffer a library keeps between calls, and drops its allocation when an input grew
/// it past `keep` elements, so that one large document does not stay allocated for good.
pub(crate) fn recycle<T>(buf: &mut Vec<T>, keep: usize) {
    buf.clear();
    if buf.capacity() > keep {
        *buf = Vec::new();
    }
}
