//! Typed per-VM application data: one value of each Rust type, owned by the VM, reachable from
//! natives through [`crate::Ctx::app_data`] and from the host through [`Vm::app_data`].
//!
//! Libraries keep their state here (a JSON library's settings, a host's keyspace) instead of in
//! new fields of `Vm`.
//!
//! Invariant: app data holds no Lua values; a library that must keep a Lua value alive keeps a
//! registry key (`Vm::registry_insert`) for it instead, so the collector sees every root.

use std::any::{Any, TypeId};

use crate::vm::Vm;

/// The values, one per type. A short vector searched by `TypeId`: a VM holds a handful of
/// them, and natives such as `redis.call` look them up on every call (a `HashMap` spent more
/// on SipHash than the search costs).
#[derive(Default)]
pub(crate) struct AppData {
    values: Vec<(TypeId, Box<dyn Any>)>,
}

impl AppData {
    pub(crate) fn get<T: 'static>(&self) -> Option<&T> {
        let id = TypeId::of::<T>();
        self.values
            .iter()
            .find(|(t, _)| *t == id)
            .and_then(|(_, v)| v.downcast_ref())
    }

    pub(crate) fn get_mut<T: 'static>(&mut self) -> Option<&mut T> {
        let id = TypeId::of::<T>();
        self.values
            .iter_mut()
            .find(|(t, _)| *t == id)
            .and_then(|(_, v)| v.downcast_mut())
    }

    fn insert(&mut self, value: Box<dyn Any>) -> Option<Box<dyn Any>> {
        let id = (*value).type_id();
        match self.values.iter_mut().find(|(t, _)| *t == id) {
            Some((_, slot)) => Some(std::mem::replace(slot, value)),
            None => {
                self.values.push((id, value));
                None
            }
        }
    }

    fn remove(&mut self, id: TypeId) -> Option<Box<dyn Any>> {
        let index = self.values.iter().position(|(t, _)| *t == id)?;
        Some(self.values.swap_remove(index).1)
    }
}

impl Vm {
    /// Stores `value` as this VM's data of type `T`, returning the value it replaces.
    pub fn set_app_data<T: 'static>(&mut self, value: T) -> Option<T> {
        let old = self.app_data.insert(Box::new(value))?;
        old.downcast().ok().map(|boxed| *boxed)
    }

    /// This VM's data of type `T`.
    pub fn app_data<T: 'static>(&self) -> Option<&T> {
        self.app_data.get()
    }

    /// This VM's data of type `T`, mutably.
    pub fn app_data_mut<T: 'static>(&mut self) -> Option<&mut T> {
        self.app_data.get_mut()
    }

    /// Takes this VM's data of type `T` out of it.
    pub fn remove_app_data<T: 'static>(&mut self) -> Option<T> {
        let old = self.app_data.remove(TypeId::of::<T>())?;
        old.downcast().ok().map(|boxed| *boxed)
    }
}
