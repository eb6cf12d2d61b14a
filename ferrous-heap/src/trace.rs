//! How the collector finds references: the [`Trace`] trait and the [`Tracer`].
//!
//! The VM's roots (stacks, registry, globals, open upvalues) and every [`Payload`] implement
//! [`Trace`]; their `trace` calls the [`Tracer`] once per reference they hold. The tracer marks
//! the object and, if it was not marked yet and has references of its own, pushes it onto the
//! heap's gray stack. It never recurses, so the depth of a structure costs gray-stack entries,
//! not Rust stack frames. A stale handle is ignored (it names nothing to keep alive).
//!
//! [`Payload`]: crate::Payload
//!
//! **Invariant:** an object is on the gray stack at most once per cycle (it is pushed only when
//! its mark bit goes from 0 to 1); strings are never gray (they hold no references).

use crate::gc::{Gray, Marks};
use crate::handle::{
    FunctionHandle, ProtoHandle, StringHandle, TableHandle, ThreadHandle, UpValueHandle,
    UserDataHandle,
};
use crate::heap::Objects;
use crate::value::Value;

/// Something that holds references to heap objects.
pub trait Trace {
    /// Reports every heap reference held by `self` to `tracer`.
    fn trace(&self, tracer: &mut Tracer<'_>);
}

/// The collector's view while marking: reports go through here.
pub struct Tracer<'a> {
    pub(crate) objects: &'a Objects,
    pub(crate) marks: &'a mut Marks,
    pub(crate) gray: &'a mut Vec<Gray>,
}

impl Tracer<'_> {
    /// Keeps whatever `value` refers to alive.
    #[inline]
    pub fn value(&mut self, value: Value) {
        match value {
            Value::Nil | Value::Boolean(_) | Value::Number(_) | Value::NativeFunction(_) => {}
            Value::String(handle) => self.string(handle),
            Value::Table(handle) => self.table(handle),
            Value::Function(handle) => self.function(handle),
            Value::UserData(handle) => self.userdata(handle),
            Value::Thread(handle) => self.thread(handle),
        }
    }

    /// [`Tracer::value`] with the common cases (no object, a string) inline and the others
    /// through the call: for the collector's loops over table contents.
    #[inline(always)]
    pub(crate) fn value_inline(&mut self, value: Value) {
        match value {
            Value::Nil | Value::Boolean(_) | Value::Number(_) | Value::NativeFunction(_) => {}
            Value::String(handle) => self.string(handle),
            other => self.value(other),
        }
    }

    /// Keeps every value of `values` alive.
    #[inline]
    pub fn values(&mut self, values: &[Value]) {
        values.iter().for_each(|value| self.value_inline(*value));
    }

    /// Keeps a string alive.
    #[inline]
    pub fn string(&mut self, handle: StringHandle) {
        // A string met again (a key in every record) costs a bit test, not an arena lookup.
        let index = handle.raw().index();
        if !self.marks.strings.get(index) && self.objects.strings.contains(handle.raw()) {
            self.marks.strings.set(index);
        }
    }

    /// Keeps a table alive.
    #[inline]
    pub fn table(&mut self, handle: TableHandle) {
        if self.objects.tables.contains(handle.raw()) && self.marks.tables.set(handle.raw().index())
        {
            self.gray.push(Gray::Table(handle));
        }
    }

    /// Keeps a function alive.
    #[inline]
    pub fn function(&mut self, handle: FunctionHandle) {
        if self.objects.functions.contains(handle.raw())
            && self.marks.functions.set(handle.raw().index())
        {
            self.gray.push(Gray::Function(handle));
        }
    }

    /// Keeps an upvalue alive.
    #[inline]
    pub fn upvalue(&mut self, handle: UpValueHandle) {
        if self.objects.upvalues.contains(handle.raw())
            && self.marks.upvalues.set(handle.raw().index())
        {
            self.gray.push(Gray::UpValue(handle));
        }
    }

    /// Keeps a prototype alive.
    #[inline]
    pub fn proto(&mut self, handle: ProtoHandle) {
        if self.objects.protos.contains(handle.raw()) && self.marks.protos.set(handle.raw().index())
        {
            self.gray.push(Gray::Proto(handle));
        }
    }

    /// Keeps a userdata alive.
    #[inline]
    pub fn userdata(&mut self, handle: UserDataHandle) {
        if self.objects.userdata.contains(handle.raw())
            && self.marks.userdata.set(handle.raw().index())
        {
            self.gray.push(Gray::UserData(handle));
        }
    }

    /// Keeps a thread alive.
    #[inline]
    pub fn thread(&mut self, handle: ThreadHandle) {
        if self.objects.threads.contains(handle.raw())
            && self.marks.threads.set(handle.raw().index())
        {
            self.gray.push(Gray::Thread(handle));
        }
    }
}

impl Trace for Value {
    fn trace(&self, tracer: &mut Tracer<'_>) {
        tracer.value(*self);
    }
}

impl Trace for StringHandle {
    fn trace(&self, tracer: &mut Tracer<'_>) {
        tracer.string(*self);
    }
}

impl Trace for TableHandle {
    fn trace(&self, tracer: &mut Tracer<'_>) {
        tracer.table(*self);
    }
}

impl Trace for FunctionHandle {
    fn trace(&self, tracer: &mut Tracer<'_>) {
        tracer.function(*self);
    }
}

impl Trace for UpValueHandle {
    fn trace(&self, tracer: &mut Tracer<'_>) {
        tracer.upvalue(*self);
    }
}

impl Trace for ProtoHandle {
    fn trace(&self, tracer: &mut Tracer<'_>) {
        tracer.proto(*self);
    }
}

impl Trace for UserDataHandle {
    fn trace(&self, tracer: &mut Tracer<'_>) {
        tracer.userdata(*self);
    }
}

impl Trace for ThreadHandle {
    fn trace(&self, tracer: &mut Tracer<'_>) {
        tracer.thread(*self);
    }
}

impl<T: Trace> Trace for [T] {
    fn trace(&self, tracer: &mut Tracer<'_>) {
        self.iter().for_each(|item| item.trace(tracer));
    }
}

impl<T: Trace> Trace for Vec<T> {
    fn trace(&self, tracer: &mut Tracer<'_>) {
        self.as_slice().trace(tracer);
    }
}

impl<T: Trace> Trace for Option<T> {
    fn trace(&self, tracer: &mut Tracer<'_>) {
        if let Some(item) = self {
            item.trace(tracer);
        }
    }
}

impl<T: Trace + ?Sized> Trace for Box<T> {
    fn trace(&self, tracer: &mut Tracer<'_>) {
        (**self).trace(tracer);
    }
}

impl Trace for () {
    fn trace(&self, _tracer: &mut Tracer<'_>) {}
}

impl<A: Trace, B: Trace> Trace for (A, B) {
    fn trace(&self, tracer: &mut Tracer<'_>) {
        self.0.trace(tracer);
        self.1.trace(tracer);
    }
}
