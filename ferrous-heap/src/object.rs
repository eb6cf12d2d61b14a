//! The heap's object kinds other than strings and tables: closures, upvalues, prototypes,
//! userdata and threads, plus the [`Payload`] trait for host data stored in userdata and threads.
//!
//! These are plain data: the VM builds them and reads them through a `HeapTransaction`. Each
//! knows how to report its outgoing references to the collector (`trace_children`) and how many
//! bytes it is charged for (`heap_size`).
//!
//! **Invariant:** a `Prototype` never changes after creation (the `Rc` fields let a running frame
//! hold its code and constants without borrowing the heap; the heap is therefore `!Send`).

use std::any::Any;
use std::rc::Rc;

use crate::handle::{ProtoHandle, StringHandle, TableHandle, ThreadHandle, UpValueHandle};
use crate::trace::{Trace, Tracer};
use crate::value::{NativeFn, Value};

/// Host data stored in a userdata or a thread. The collector reaches the values it holds
/// through [`Trace`]; the VM gets its concrete type back by upcasting to `dyn Any`
/// (see [`UserData::downcast_ref`]).
pub trait Payload: Trace + Any {}

impl<T: Trace + Any> Payload for T {}

/// A Lua function value: a closure over a prototype, or a native function with upvalues.
#[derive(Debug)]
pub enum Function {
    /// A Lua closure.
    Lua(LuaClosure),
    /// A native function with its own upvalues and environment.
    Native(NativeClosure),
}

/// A closure over a Lua prototype.
#[derive(Debug)]
pub struct LuaClosure {
    /// The code.
    pub proto: ProtoHandle,
    /// The prototype's call shape, copied so that entering the function reads one heap object.
    /// **Invariant:** equal to `proto`'s [`Prototype::call_shape`].
    pub shape: CallShape,
    /// The captured variables, one per upvalue of the prototype.
    pub upvalues: UpValueList,
    /// The function's environment (`getfenv`).
    pub env: TableHandle,
}

/// What a call needs to know about a prototype: a small `Copy` value each [`LuaClosure`] carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallShape {
    /// Number of fixed parameters.
    pub num_params: u8,
    /// The `VARARG_*` flags of 5.1.
    pub is_vararg: u8,
    /// Number of registers the function needs.
    pub max_stack_size: u8,
    /// Number of upvalues.
    pub num_upvalues: u8,
}

/// A closure's upvalue handles: up to [`UpValueList::INLINE`] of them stored in place (no
/// allocation), more in a boxed slice. Dereferences to `[UpValueHandle]`.
#[derive(Debug, Clone)]
pub enum UpValueList {
    /// `len <= INLINE` handles; the slots past `len` repeat the first one and are never read.
    Inline {
        /// How many of `items` are upvalues.
        len: u8,
        /// The handles.
        items: [UpValueHandle; UpValueList::INLINE],
    },
    /// Any number of handles.
    Boxed(Box<[UpValueHandle]>),
}

impl UpValueList {
    /// How many handles are stored without an allocation.
    pub const INLINE: usize = 2;

    /// An empty list.
    #[inline]
    pub fn new() -> Self {
        UpValueList::Boxed(Box::new([]))
    }
}

impl Default for UpValueList {
    fn default() -> Self {
        UpValueList::new()
    }
}

impl From<&[UpValueHandle]> for UpValueList {
    #[inline]
    fn from(handles: &[UpValueHandle]) -> Self {
        match handles {
            [] => UpValueList::new(),
            [first, ..] if handles.len() <= UpValueList::INLINE => {
                let mut items = [*first; UpValueList::INLINE];
                items[..handles.len()].copy_from_slice(handles);
                UpValueList::Inline {
                    len: handles.len() as u8,
                    items,
                }
            }
            _ => UpValueList::Boxed(handles.into()),
        }
    }
}

impl std::ops::Deref for UpValueList {
    type Target = [UpValueHandle];

    #[inline]
    fn deref(&self) -> &[UpValueHandle] {
        match self {
            UpValueList::Inline { len, items } => items.get(..usize::from(*len)).unwrap_or(&[]),
            UpValueList::Boxed(handles) => handles,
        }
    }
}

/// A native function instance with upvalues (5.1's C closure).
#[derive(Debug)]
pub struct NativeClosure {
    /// The function, by registry id.
    pub id: NativeFn,
    /// Its upvalues.
    pub upvalues: Box<[Value]>,
    /// The function's environment.
    pub env: TableHandle,
}

/// A captured variable's state, with its value when closed (what `Heap::upvalue` reads and
/// `HeapTransaction::set_upvalue` writes; the heap stores an [`UpValuePlace`](crate::UpValuePlace)).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum UpValue {
    /// Still on a thread's stack, at `slot`.
    Open {
        /// The thread whose stack holds the variable.
        thread: ThreadHandle,
        /// The absolute stack slot.
        slot: u32,
    },
    /// Closed over: the variable's value now lives here.
    Closed(Value),
}

/// Debug information about a local variable of a prototype.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalVar {
    /// The variable's name.
    pub name: StringHandle,
    /// First instruction where the variable is active.
    pub start_pc: u32,
    /// First instruction where the variable is dead.
    pub end_pc: u32,
}

/// A compiled function, loaded into the heap.
#[derive(Debug)]
pub struct Prototype {
    /// The instructions (Lua 5.1 encoding), as compiled or loaded: what dumps, debug
    /// information and error messages read.
    pub code: Rc<[u32]>,
    /// The instructions the interpreter runs: `code` with some instructions rewritten by the
    /// loader into specialized forms of the VM's own (same length, same positions, same
    /// operands; see ferrous-vm's `specialize.rs`).
    pub exec: Rc<[u32]>,
    /// The constants.
    pub constants: Rc<[Value]>,
    /// Nested prototypes, indexed by `CLOSURE`'s `Bx`.
    pub protos: Box<[ProtoHandle]>,
    /// Number of upvalues.
    pub num_upvalues: u8,
    /// Number of fixed parameters.
    pub num_params: u8,
    /// The `VARARG_*` flags of 5.1.
    pub is_vararg: u8,
    /// Number of registers the function needs.
    pub max_stack_size: u8,
    /// The chunk name.
    pub source: StringHandle,
    /// Line where the function starts (0 for a main chunk).
    pub line_defined: u32,
    /// Line where the function ends (0 for a main chunk).
    pub last_line_defined: u32,
    /// Source line of each instruction.
    pub line_info: Rc<[u32]>,
    /// Local variable debug information.
    pub local_vars: Box<[LocalVar]>,
    /// Upvalue names.
    pub upvalue_names: Box<[StringHandle]>,
}

/// A full userdata.
pub struct UserData {
    /// Its metatable.
    pub metatable: Option<TableHandle>,
    /// Its environment table.
    pub env: Option<TableHandle>,
    /// The host data.
    pub data: Box<dyn Payload>,
}

impl UserData {
    /// The host data as a `T`, if it is one.
    #[inline]
    pub fn downcast_ref<T: Payload>(&self) -> Option<&T> {
        let data: &dyn Any = &*self.data;
        data.downcast_ref()
    }

    /// The host data as a mutable `T`, if it is one.
    #[inline]
    pub fn downcast_mut<T: Payload>(&mut self) -> Option<&mut T> {
        let data: &mut dyn Any = &mut *self.data;
        data.downcast_mut()
    }
}

impl std::fmt::Debug for UserData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserData")
            .field("metatable", &self.metatable)
            .field("env", &self.env)
            .finish_non_exhaustive()
    }
}

/// A coroutine. The VM keeps its state (stack, frames, open upvalues) in `payload`, and takes it
/// out while the coroutine runs; while it is out, the VM must trace it as part of its roots.
#[derive(Default)]
pub struct Thread {
    /// The VM's state for this coroutine.
    pub payload: Option<Box<dyn Payload>>,
}

impl Thread {
    /// The payload as a `T`, if there is one of that type.
    #[inline]
    pub fn downcast_ref<T: Payload>(&self) -> Option<&T> {
        let data: &dyn Any = &**self.payload.as_ref()?;
        data.downcast_ref()
    }

    /// The payload as a mutable `T`, if there is one of that type.
    #[inline]
    pub fn downcast_mut<T: Payload>(&mut self) -> Option<&mut T> {
        let data: &mut dyn Any = &mut **self.payload.as_mut()?;
        data.downcast_mut()
    }
}

impl std::fmt::Debug for Thread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Thread")
            .field("has_payload", &self.payload.is_some())
            .finish()
    }
}

impl Function {
    pub(crate) fn trace_children(&self, tracer: &mut Tracer<'_>) {
        match self {
            Function::Lua(closure) => {
                tracer.proto(closure.proto);
                closure
                    .upvalues
                    .iter()
                    .for_each(|upvalue| tracer.upvalue(*upvalue));
                tracer.table(closure.env);
            }
            Function::Native(closure) => {
                tracer.values(&closure.upvalues);
                tracer.table(closure.env);
            }
        }
    }

    pub(crate) fn heap_size(&self) -> usize {
        size_of::<Function>()
            + match self {
                Function::Lua(closure) => closure.upvalues.len() * size_of::<UpValueHandle>(),
                Function::Native(closure) => closure.upvalues.len() * size_of::<Value>(),
            }
    }
}

impl Prototype {
    /// The call shape that closures over this prototype carry.
    #[inline]
    pub fn call_shape(&self) -> CallShape {
        CallShape {
            num_params: self.num_params,
            is_vararg: self.is_vararg,
            max_stack_size: self.max_stack_size,
            num_upvalues: self.num_upvalues,
        }
    }

    pub(crate) fn trace_children(&self, tracer: &mut Tracer<'_>) {
        tracer.values(&self.constants);
        self.protos.iter().for_each(|proto| tracer.proto(*proto));
        tracer.string(self.source);
        self.local_vars
            .iter()
            .for_each(|var| tracer.string(var.name));
        self.upvalue_names
            .iter()
            .for_each(|name| tracer.string(*name));
    }

    pub(crate) fn heap_size(&self) -> usize {
        size_of::<Prototype>()
            + self.code.len() * size_of::<u32>()
            + self.exec.len() * size_of::<u32>()
            + self.constants.len() * size_of::<Value>()
            + self.protos.len() * size_of::<ProtoHandle>()
            + self.line_info.len() * size_of::<u32>()
            + self.local_vars.len() * size_of::<LocalVar>()
            + self.upvalue_names.len() * size_of::<StringHandle>()
    }
}

impl UserData {
    pub(crate) fn trace_children(&self, tracer: &mut Tracer<'_>) {
        if let Some(metatable) = self.metatable {
            tracer.table(metatable);
        }
        if let Some(env) = self.env {
            tracer.table(env);
        }
        self.data.trace(tracer);
    }

    pub(crate) fn heap_size(&self) -> usize {
        // The payload is the host's; it may change size behind the heap's back, so only the
        // fixed part is charged.
        size_of::<UserData>()
    }
}

impl Thread {
    pub(crate) fn trace_children(&self, tracer: &mut Tracer<'_>) {
        if let Some(payload) = &self.payload {
            payload.trace(tracer);
        }
    }

    pub(crate) fn heap_size(&self) -> usize {
        // The payload is taken out and put back while the coroutine runs; only the fixed part
        // is charged.
        size_of::<Thread>()
    }
}
