//! Userdata finalizers (`__gc`), as 5.1 runs them: a full userdata whose metatable has a
//! `__gc` field when a cycle finds it unreachable is *separated* (5.1's `luaC_separateudata`):
//! marked finalized, queued, and kept alive for one more cycle together with everything it
//! references (it is marked again, without recursion, through the gray stack). The VM takes the
//! queue's userdata one by one after the collection ([`crate::Heap::next_finalizer`]) and calls
//! their `__gc`; a finalized userdata is never separated again, so it is freed by the first cycle
//! that finds it unreachable once more (or lives on, if its finalizer stored it somewhere).
//!
//! Order: among the userdata separated by one cycle, the most recently created is finalized
//! first (5.1: "in reverse order of their creation"), which is why every userdata is recorded in
//! `Finalizers::created` when it is made. 5.1 has no table finalizers, and neither do we.
//!
//! **Invariant:** a queued userdata is a root until the VM takes it, so it cannot be freed before
//! its finalizer runs; a finalized userdata is cleared from weak tables' values (5.1's
//! `iscleared`), never from their keys.

use std::collections::{HashSet, VecDeque};

use crate::handle::UserDataHandle;
use crate::heap::Objects;
use crate::names;
use crate::trace::Tracer;
use crate::value::Value;

/// The collector's finalization state.
#[derive(Debug, Default)]
pub(crate) struct Finalizers {
    /// Every userdata, in creation order (stale entries are dropped after each sweep).
    created: Vec<UserDataHandle>,
    /// Userdata already separated for finalization.
    finalized: HashSet<UserDataHandle>,
    /// Userdata waiting for their finalizer, the next one first.
    queue: VecDeque<UserDataHandle>,
}

impl Finalizers {
    /// Records a new userdata.
    pub(crate) fn created(&mut self, handle: UserDataHandle) {
        self.created.push(handle);
    }

    /// Marks the queued userdata (they are roots until their finalizer runs).
    pub(crate) fn mark_queue(&self, tracer: &mut Tracer<'_>) {
        for handle in &self.queue {
            tracer.userdata(*handle);
        }
    }

    /// After marking: separates the unreachable, not yet finalized userdata that have a `__gc`,
    /// newest first, and marks them (the caller propagates the marks). Returns how many.
    pub(crate) fn separate(&mut self, tracer: &mut Tracer<'_>) -> usize {
        let mut found = 0;
        for &handle in self.created.iter().rev() {
            let raw = handle.raw();
            if tracer.marks.userdata.get(raw.index()) || self.finalized.contains(&handle) {
                continue;
            }
            if !has_gc(tracer.objects, handle) {
                continue;
            }
            self.finalized.insert(handle);
            self.queue.push_back(handle);
            found += 1;
        }
        for handle in self.queue.iter().rev().take(found) {
            tracer.userdata(*handle);
        }
        found
    }

    /// Whether a weak table's value `value` goes because it is a finalized userdata.
    pub(crate) fn is_finalized(&self, value: Value) -> bool {
        match value {
            Value::UserData(handle) => self.finalized.contains(&handle),
            _ => false,
        }
    }

    /// After the sweep: forgets the userdata that were freed.
    pub(crate) fn forget_dead(&mut self, objects: &Objects) {
        self.created.retain(|h| objects.userdata.contains(h.raw()));
        if !self.finalized.is_empty() {
            self.finalized
                .retain(|h| objects.userdata.contains(h.raw()));
        }
    }

    /// The next userdata whose finalizer is due.
    pub(crate) fn next(&mut self) -> Option<UserDataHandle> {
        self.queue.pop_front()
    }

    /// Whether finalizers are waiting.
    pub(crate) fn pending(&self) -> bool {
        !self.queue.is_empty()
    }

    /// Queues every userdata with a `__gc` not finalized yet, newest first, whether reachable
    /// or not (5.1's `luaC_callGCTM` when the state is closed).
    pub(crate) fn separate_all(&mut self, objects: &Objects) {
        for &handle in self.created.iter().rev() {
            if objects.userdata.contains(handle.raw())
                && !self.finalized.contains(&handle)
                && has_gc(objects, handle)
            {
                self.finalized.insert(handle);
                self.queue.push_back(handle);
            }
        }
    }
}

/// Whether the userdata's metatable has a `__gc` field.
fn has_gc(objects: &Objects, handle: UserDataHandle) -> bool {
    let Some(userdata) = objects.userdata.get(handle.raw()) else {
        return false;
    };
    let Some(metatable) = userdata.metatable else {
        return false;
    };
    let Some(metatable) = objects.tables.get(metatable.raw()) else {
        return false;
    };
    !matches!(
        metatable.get_str(names::GC, &objects.lua_hashes),
        Value::Nil
    )
}
