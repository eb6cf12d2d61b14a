//! Metamethod events and the "absent" cache of 5.1.
//!
//! [`MetaEvent`] lists 5.1's tag methods (`TMS`), each with its pre-interned name. For the
//! events looked up on nearly every table access (index, newindex, gc, mode, len, eq) a table
//! used as a metatable remembers, one bit per event, that it has no such field, so the next
//! lookup costs a bit test. Any write to that table clears all its bits (`Table::begin_write`).

use crate::handle::StringHandle;
use crate::names;

/// A metamethod event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MetaEvent {
    /// `__index`.
    Index,
    /// `__newindex`.
    NewIndex,
    /// `__gc`.
    Gc,
    /// `__mode`.
    Mode,
    /// `__len`.
    Len,
    /// `__eq`.
    Eq,
    /// `__add`.
    Add,
    /// `__sub`.
    Sub,
    /// `__mul`.
    Mul,
    /// `__div`.
    Div,
    /// `__mod`.
    Mod,
    /// `__pow`.
    Pow,
    /// `__unm`.
    Unm,
    /// `__lt`.
    Lt,
    /// `__le`.
    Le,
    /// `__concat`.
    Concat,
    /// `__call`.
    Call,
}

/// The bit of `Table::absent` that says the table's `__index` is the table itself (the class
/// idiom `C.__index = C`): a method lookup up a class chain then reads no `__index` field.
/// Set by the lookup that found it, cleared with the absent bits by every write (and by the
/// collector's clearing of a weak table). Bits 0-5 are the events' absent bits.
pub(crate) const INDEX_SELF: u8 = 1 << 6;

impl MetaEvent {
    /// The field name, e.g. `"__index"`.
    #[inline]
    pub const fn name(self) -> StringHandle {
        match self {
            MetaEvent::Index => names::INDEX,
            MetaEvent::NewIndex => names::NEWINDEX,
            MetaEvent::Gc => names::GC,
            MetaEvent::Mode => names::MODE,
            MetaEvent::Len => names::LEN,
            MetaEvent::Eq => names::EQ,
            MetaEvent::Add => names::ADD,
            MetaEvent::Sub => names::SUB,
            MetaEvent::Mul => names::MUL,
            MetaEvent::Div => names::DIV,
            MetaEvent::Mod => names::MOD,
            MetaEvent::Pow => names::POW,
            MetaEvent::Unm => names::UNM,
            MetaEvent::Lt => names::LT,
            MetaEvent::Le => names::LE,
            MetaEvent::Concat => names::CONCAT,
            MetaEvent::Call => names::CALL,
        }
    }

    /// The event's bit in `Table::absent`, for the cached events.
    #[inline]
    pub(crate) const fn absent_bit(self) -> Option<u8> {
        match self {
            MetaEvent::Index => Some(1),
            MetaEvent::NewIndex => Some(1 << 1),
            MetaEvent::Gc => Some(1 << 2),
            MetaEvent::Mode => Some(1 << 3),
            MetaEvent::Len => Some(1 << 4),
            MetaEvent::Eq => Some(1 << 5),
            _ => None,
        }
    }
}
