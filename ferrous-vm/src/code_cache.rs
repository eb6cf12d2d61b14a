//! The code and constants of the prototypes an interpreter loop runs: the loop holds them as
//! `Rc`s (so they outlive any borrow of the heap) and borrows its `code` and `k` slices from
//! them; frames hold only prototype handles.

use std::rc::Rc;

use ferrous_heap::{ProtoHandle, Value};

use crate::error::{Raise, RaiseResult};
use crate::vm::Vm;

/// A prototype's handle, instructions and constants, as the loop holds them (reference-counted,
/// so they outlive any borrow of the heap).
pub(crate) type LoadedCode = (ProtoHandle, Rc<[u32]>, Rc<[Value]>);

/// How many prototypes' code a loop keeps besides the one it started with.
const CODE_SLOTS: usize = 32;

/// The loop's code of other prototypes than the first (direct-mapped by the low bits of the
/// prototype's arena slot): made at the first switch to one, so a loop that runs one
/// prototype (a sort comparator called from a native) never pays for it; boxed, because each
/// nested loop holds one and `MAX_REENTRY` loops must fit in a thread's Rust stack.
pub(crate) type CodeSlots = Box<[Option<LoadedCode>; CODE_SLOTS]>;

/// The slot of prototype `p` in [`CodeSlots`].
#[inline(always)]
fn code_slot(p: ProtoHandle) -> usize {
    // Truncation intended: the low bits of the arena slot number.
    p.id() as usize % CODE_SLOTS
}

impl Vm {
    /// The code (the loop's form, `Prototype::exec`) and constants of prototype `p`, from the
    /// heap.
    #[inline(never)]
    pub(crate) fn load_code(&self, p: ProtoHandle) -> RaiseResult<LoadedCode> {
        let proto = self.heap.proto(p)?;
        Ok((p, proto.exec.clone(), proto.constants.clone()))
    }

    /// The code and constants of prototype `p`, from the loop's `slots` (filled from the heap
    /// when `p` is not there). An entry is found only under its full handle (slot and
    /// generation), so the entry of a prototype that was collected (and whose constants may
    /// name dead objects) is never used.
    ///
    /// Inlined in optimized builds only: in a debug build its locals would add to the loop's
    /// stack frame.
    #[cfg_attr(debug_assertions, inline(never))]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn code_entry<'a>(
        &self,
        slots: &'a mut Option<CodeSlots>,
        p: ProtoHandle,
    ) -> RaiseResult<&'a LoadedCode> {
        let slots = match slots {
            Some(slots) => slots,
            None => slots.insert(Box::new(std::array::from_fn(|_| None))),
        };
        let slot = &mut slots[code_slot(p)];
        if !matches!(slot, Some(entry) if entry.0 == p) {
            *slot = Some(self.load_code(p)?);
        }
        match slot {
            Some(entry) => Ok(entry),
            None => Err(Raise::runtime("internal error: code cache")),
        }
    }
}
