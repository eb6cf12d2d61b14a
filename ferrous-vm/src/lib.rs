//! The Ferrous Lua 5.1 virtual machine: a non-recursive interpreter loop over the heap.
//!
//! `Vm` owns the heap, the running thread and the globals. Source is compiled by
//! `ferrous-compiler`, loaded onto the heap (`loader.rs`) and run by one interpreter loop
//! (`interp.rs`) that never recurses in Rust for Lua calls, metamethods, `pcall` or coroutines
//! (`call.rs`, `upvalue.rs`, `unwind.rs`, `coswitch.rs`, `meta.rs`; `reentry.rs` is the bounded
//! exception). Natives (`native.rs`) implement the standard library (`stdlib/`).
//! Binary chunks (`binary.rs`): `string.dump` writes lua5.1's format, and loading one goes
//! through `ferrous_compiler::undump` and the same verified loader as source.
//!
//! Invariants:
//! - No Lua program can overflow the Rust stack: Lua-level nesting lives in the frame `Vec`;
//!   natives that re-enter the loop are bounded by `MAX_CCALLS` (`C stack overflow`).
//! - Garbage is collected only at safe points of the loop, with every root visible.
//! - Every module is verified before it is loaded (`Vm::load_module`), whoever built it.

mod api;
mod app_data;
mod binary;
mod call;
mod call_limits;
mod call_results;
mod code_cache;
mod coswitch;
mod debug;
mod decode;
mod error;
mod field_update;
mod finalize;
mod hook;
mod interp;
mod loader;
mod meta;
mod native;
mod number;
mod ops;
mod reentry;
mod specialize;
mod stdlib;
mod thread;
mod unwind;
mod upvalue;
mod value;
mod vm;

pub use crate::api::{ErrorLocation, Outcome, RegistryKey};
pub use crate::error::{Error, ErrorValue, Raised, Result, RuntimeError};
pub use crate::native::{Ctx, NativeFunction, Ret};
pub use crate::number::format_g;
pub use crate::vm::{Profile, Vm, VmBuilder};
pub use ferrous_heap::{
    FunctionHandle, Heap, Payload, StringHandle, TableHandle, ThreadHandle, Trace, Tracer,
    UserDataHandle, Value,
};
