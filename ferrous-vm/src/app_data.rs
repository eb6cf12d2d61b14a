//! Typed per-VM application data: one value of each Rust type, owned by the VM, reachable from
//! natives through [`crate::Ctx::app_data`] and from the host through [`Vm::app_data`].
//!
//! Libraries keep their state here (a JSON library's settings, a host's keyspace) instead of in
//! new fields of `Vm`.
//!
//! Invariant: app data holds no Lua values; a library that must keep a Lua value alive keeps a
//! registry key (`Vm::registry_ref`) for it instead, so the collector sees every root.

use std::any::{Any, TypeId};
use std::collections::HashMap;

use crate::vm::Vm;

/// The values, one per type.
#[derive(Default)]
pub(crate) struct AppData {
    values: HashMap<TypeId, Box<dyn Any>>,
}

impl AppData {
    pub(crate) fn get<T: 'static>(&self) -> Option<&T> {
        self.values.get(&TypeId::of::<T>())?.downcast_ref()
    }

    pub(crate) fn get_mut<T: 'static>(&mut self) -> Option<&mut T> {
        self.values.get_mut(&TypeId::of::<T>())?.downcast_mut()
    }
}

impl Vm {
    /// Stores `value` as this VM's data of type `T`, returning the value it replaces.
    pub fn set_app_data<T: 'static>(&mut self, value: T) -> Option<T> {
        let old = self
            .app_data
            .values
            .insert(TypeId::of::<T>(), Box::new(value))?;
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
        let old = self.app_data.values.remove(&TypeId::of::<T>())?;
        old.downcast().ok().map(|boxed| *boxed)
    }
}
