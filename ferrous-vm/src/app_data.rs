//! Typed per-VM application data: one value of each Rust type, owned by the VM, reachable from
//! natives through [`crate::Ctx::app_data`] and from the host through [`Vm::app_data`].
//!
//! Libraries keep their state here (a JSON library's settings, a host's keyspace) instead of in
//! new fields of `Vm`.
//!
//! Invariant: app data holds no Lua values; a library that must keep a Lua value alive keeps a
//! registry key (`Vm::registry_insert`) for it instead, so the collector sees every root.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::vm::Vm;

/// The values, one per type, in a map keyed by `TypeId` whose hash is the id's own bits (a
/// `TypeId` is already a hash): natives such as `redis.call` look data up several times per
/// call, and a VM holds a dozen values once its libraries are open, which made a linear search
/// cost more than the lookup of a short hash.
#[derive(Default)]
pub(crate) struct AppData {
    values: HashMap<TypeId, Box<dyn Any>, BuildHasherDefault<TypeIdHasher>>,
}

/// The hasher of [`AppData`]: `TypeId` hashes by writing its bits as integers, which are kept
/// as they are (any other input is folded in, so the map stays correct whatever is written).
#[derive(Default)]
pub(crate) struct TypeIdHasher(u64);

impl Hasher for TypeIdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 ^= n;
    }
}

impl AppData {
    pub(crate) fn get<T: 'static>(&self) -> Option<&T> {
        self.values.get(&TypeId::of::<T>())?.downcast_ref()
    }

    pub(crate) fn get_mut<T: 'static>(&mut self) -> Option<&mut T> {
        self.values.get_mut(&TypeId::of::<T>())?.downcast_mut()
    }

    fn insert(&mut self, value: Box<dyn Any>) -> Option<Box<dyn Any>> {
        let id = (*value).type_id();
        self.values.insert(id, value)
    }

    fn remove(&mut self, id: TypeId) -> Option<Box<dyn Any>> {
        self.values.remove(&id)
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
