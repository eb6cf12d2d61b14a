//! Upvalues and closures: reading and writing a closure's upvalues (with the fast paths the
//! interpreter loop inlines, and the fused updates it calls), finding and closing the open
//! upvalues of the running thread, and `OP_CLOSURE`'s closure construction.
//!
//! Invariants:
//! - An open upvalue names its thread and an absolute stack slot; it is read from the running
//!   thread's stack when that thread runs, and from its heap payload otherwise.
//! - The running thread's `open_upvalues` stays sorted by slot, one upvalue per slot
//!   (`find_upvalue` inserts in place); `close_upvalues(level)` closes exactly those at or above
//!   `level`, copying each slot's value into the upvalue.
//! - A closure's upvalue list never changes after `make_closure` built it.

use ferrous_heap::{
    Function, FunctionHandle, Heap, LuaClosure, ThreadHandle, UpValue, UpValueCell, UpValueHandle,
    UpValueList, UpValuePlace, Value,
};

use ferrous_compiler::Instruction;

use crate::decode::rk_operand;
use crate::error::{Raise, RaiseResult};
use crate::specialize::UPDATE_SUB;
use crate::value::{copy_into, copy_split};
use crate::vm::Vm;

/// The copies (`Vm::upvals`) of the first upvalue handles of the two closures that last read or
/// wrote one in the interpreter loop: a hit (the same closure again, the common case of a
/// function body, or the other of two closures called in turn) skips looking the closure up.
/// Valid because a closure's upvalue list never changes and a handle names one object for good
/// (a reused slot gets a new generation, so a new handle).
///
/// A way also remembers where each upvalue's value was found ([`Way::places`]), so the next
/// access goes there without looking the upvalue up: the running thread's stack slot of an open
/// upvalue (a recursive function reading itself, a loop's counters), or the heap cell of a
/// closed one (a counter kept by a closure). A cell stays its upvalue's while the upvalue lives,
/// and the upvalue lives while the way's owner does, which is the running closure whenever the
/// way is used. An upvalue stays open on one slot until `close_upvalues` closes it, and the
/// slot is the running thread's until a coroutine switch: both forget the places
/// ([`UpvalCache::forget_places`]).
#[derive(Clone, Copy, Default)]
pub(crate) struct UpvalCache {
    /// The way filled last, then the one filled before it.
    ways: [Way; 2],
}

/// One closure's entry in [`UpvalCache`].
#[derive(Clone, Copy)]
struct Way {
    /// The closure whose handles `items` holds.
    owner: Option<FunctionHandle>,
    /// Its first `CAP` upvalues (`None` past its last one).
    items: [Option<UpValueHandle>; Way::CAP],
    /// For each of them, where its value is: `CLOSED | cell` for a closed one, its stack slot
    /// plus one for one open on the running thread's stack, [`UNKNOWN`] if not known.
    places: [u32; Way::CAP],
}

impl Default for Way {
    fn default() -> Self {
        Way {
            owner: None,
            items: [None; Way::CAP],
            places: [UNKNOWN; Way::CAP],
        }
    }
}

impl UpvalCache {
    /// The way of `closure`, filled if neither way holds it (the way filled before the last one
    /// is replaced: two closures called in turn keep theirs). Both tests are inline, so two
    /// closures called in turn (an accumulator and a counter) both hit without a call (with the
    /// second test out of line, upvalues.lua ran 2.3% more instructions, 4.6% more time).
    #[inline(always)]
    fn own(&mut self, heap: &Heap, closure: FunctionHandle) -> &mut Way {
        if self.ways[0].owner == Some(closure) {
            return &mut self.ways[0];
        }
        if self.ways[1].owner == Some(closure) {
            return &mut self.ways[1];
        }
        self.own_other(heap, closure)
    }

    /// [`UpvalCache::own`] when neither way holds `closure`: copies its first handles into the
    /// first way (none for a stale handle or a native function), after moving that way's entry
    /// to the second.
    #[inline(never)]
    fn own_other(&mut self, heap: &Heap, closure: FunctionHandle) -> &mut Way {
        let upvalues: &[UpValueHandle] = match heap.function(closure) {
            Ok(Function::Lua(cl)) => &cl.upvalues,
            _ => &[],
        };
        self.ways[1] = self.ways[0];
        let way = &mut self.ways[0];
        way.owner = Some(closure);
        // Built from the slice in one go: clearing the array and then filling it called memcpy.
        way.items = std::array::from_fn(|i| upvalues.get(i).copied());
        way.places = [UNKNOWN; Way::CAP];
        way
    }

    /// Forgets where the upvalues were found: an upvalue closed, or another thread runs.
    #[inline(always)]
    pub(crate) fn forget_places(&mut self) {
        self.ways[0].places = [UNKNOWN; Way::CAP];
        self.ways[1].places = [UNKNOWN; Way::CAP];
    }
}

/// The bit of [`Way::places`] that marks a cell (a stack slot is below `MAX_STACK`).
const CLOSED: u32 = 1 << 31;

/// A [`Way::places`] entry not known yet: a cell past any there can be (the heap would need
/// 2^31 cells, 32 GiB), so the cell lookup the fast paths do anyway fails on it, and they
/// test the entry's sign only (a separate test for "not known" was two more instructions per
/// access of a closed upvalue).
const UNKNOWN: u32 = u32::MAX;

impl Way {
    /// How many handles are kept; a closure's later upvalues take the slow path.
    const CAP: usize = 4;

    /// Where upvalue `idx` of the owner is (a [`Way::places`] entry other than [`UNKNOWN`]),
    /// looked up and remembered; `None` past `CAP` and where it cannot be kept (an open upvalue
    /// of another thread). The callers test the entry's sign, look a cell up for a negative
    /// one, and come here when that fails: the test fuses with the load (a helper returning the
    /// entry tested it twice, an enum of the cases was built in a stack slot).
    #[inline(never)]
    fn find(&mut self, heap: &Heap, current: ThreadHandle, idx: usize) -> Option<u32> {
        let uv = (*self.items.get(idx)?)?;
        let memo = match heap.upvalue_place(uv).ok()? {
            UpValuePlace::Closed(cell) if cell.index() < UNKNOWN & !CLOSED => cell.index() | CLOSED,
            UpValuePlace::Open { thread, slot } if thread == current && slot < CLOSED - 1 => {
                slot + 1
            }
            _ => return None,
        };
        *self.places.get_mut(idx)? = memo;
        Some(memo)
    }
}

impl Vm {
    /// [`Vm::get_upvalue`]'s fast path, by reference: a closed upvalue, or an open one on the
    /// running thread's stack. `None` sends the caller to the slow path.
    #[inline]
    pub(crate) fn upvalue_fast(
        &mut self,
        closure: ferrous_heap::FunctionHandle,
        idx: usize,
    ) -> Option<&Value> {
        let way = self.upvals.own(&self.heap, closure);
        let memo = *way.places.get(idx)?;
        if (memo as i32) > 0 {
            return self.th.stack.get(memo as usize - 1);
        }
        if let Some(value) = self.heap.cell(UpValueCell::from_index(memo & !CLOSED)) {
            return Some(value);
        }
        // Not known yet ([`UNKNOWN`]).
        let memo = way.find(&self.heap, self.current, idx)?;
        if (memo as i32) > 0 {
            return self.th.stack.get(memo as usize - 1);
        }
        self.heap.cell(UpValueCell::from_index(memo & !CLOSED))
    }

    /// Reads upvalue `idx` of a Lua closure.
    pub(crate) fn get_upvalue(
        &self,
        closure: ferrous_heap::FunctionHandle,
        idx: usize,
    ) -> RaiseResult<Value> {
        let Function::Lua(cl) = self.heap.function(closure)? else {
            return Ok(Value::Nil);
        };
        let Some(&uv) = cl.upvalues.get(idx) else {
            return Ok(Value::Nil);
        };
        match self.heap.upvalue(uv)? {
            UpValue::Closed(v) => Ok(v),
            UpValue::Open { thread, slot } => Ok(self.thread_slot(thread, slot as usize)),
        }
    }

    /// [`Vm::set_upvalue`]'s fast path, from stack slot `src` of the running thread: true if the
    /// write was done (a closed upvalue, or an open one on the running thread's stack).
    ///
    /// The value is copied from its slot to the upvalue without a temporary (`copy_into`): it
    /// is usually an arithmetic result stored just before as tag and payload, and a whole-`Value`
    /// copy of it through a temporary stalled.
    ///
    /// Out of line in debug builds, as `Vm::enter_lua_call`: there its locals would add to the
    /// loop's stack frame, and `MAX_REENTRY` nested loops must fit in a thread's stack.
    #[cfg_attr(debug_assertions, inline(never))]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn set_upvalue_fast(
        &mut self,
        closure: ferrous_heap::FunctionHandle,
        idx: usize,
        src: usize,
    ) -> bool {
        let way = self.upvals.own(&self.heap, closure);
        let Some(&(mut memo)) = way.places.get(idx) else {
            return false;
        };
        // Twice at most: the second time with the entry just found, if it was not known yet.
        let mut found = false;
        loop {
            if (memo as i32) > 0 {
                let (slot, len) = (memo as usize - 1, self.th.stack.len());
                if slot < len && src < len {
                    // As the closed case: `copy_within` was one 16-byte load of a value
                    // usually stored just before in two parts (a loop index, a sum), which
                    // stalled (`bench ops setupval_open` 3.6 -> 1.2 ns on Intel).
                    let value = copy_split(&self.th.stack[src]);
                    self.th.stack[slot] = value;
                    return true;
                }
                return false;
            }
            let mut tx = self.heap.tx();
            if let (Some(value), Some(dst)) = (
                self.th.stack.get(src),
                tx.cell_mut(UpValueCell::from_index(memo & !CLOSED)),
            ) {
                copy_into(dst, value);
                return true;
            }
            if found {
                return false;
            }
            match way.find(&self.heap, self.current, idx) {
                Some(memo_found) => (memo, found) = (memo_found, true),
                None => return false,
            }
        }
    }

    /// `OP_GETUPVAL_ARITH` (`specialize.rs`) in closure `closure`, whose registers start at
    /// `base` and whose constants are `k`: the `GETUPVAL` A B `i`, then, unless `HOOKED` (each
    /// instruction runs on its own under hooks) and when both operands are numbers, the `ADD`
    /// or `SUB` A A C `arith` (the next word) and the `SETUPVAL` A B after it, as they would
    /// run. Returns how many of the words after `i` it ran: none (the rest runs next, on its
    /// own) or the count `i`'s C carries (two, or three when the write is an
    /// `OP_SETUPVAL_GET`, whose read back it did too). `None` when the upvalue is not on the
    /// fast path (nothing done: the caller reads it the slow way).
    ///
    /// Out of the loop, with the upvalue's place looked up once for the read and the write:
    /// in the loop the three took two more dispatches and two lookups, and an arm of its own
    /// doing this in the loop moved the loop's register allocation (fib, floats and array 3-5%
    /// slower).
    #[cfg_attr(debug_assertions, allow(dead_code))]
    #[inline(never)]
    pub(crate) fn getupval_arith<const HOOKED: bool>(
        &mut self,
        closure: FunctionHandle,
        i: u32,
        arith: u32,
        base: usize,
        k: &[Value],
    ) -> Option<usize> {
        // The second operand (C is not A: `specialize.rs`), read first: the upvalue's slot
        // may be on the stack, borrowed below.
        let y = rk_operand(&self.th.stack, k, base, Instruction(arith).c());
        let y = match y {
            Some(&Value::Number(y)) if !HOOKED => Some(y),
            _ => None,
        };
        self.update_upvalue(closure, Instruction(i), base, y)
    }

    /// `OP_GETUPVAL2_ARITH` (`specialize.rs`): as [`Vm::getupval_arith`] for a `GETUPVAL` A B
    /// `i` followed by a `GETUPVAL` A+1 D (`get2`), an `ADD` or `SUB` A A A+1 and a
    /// `SETUPVAL` A B (`n = n + step`, both upvalues).
    #[cfg_attr(debug_assertions, allow(dead_code))]
    #[inline(never)]
    pub(crate) fn getupval2_arith<const HOOKED: bool>(
        &mut self,
        closure: FunctionHandle,
        i: u32,
        get2: u32,
        base: usize,
    ) -> Option<usize> {
        let get2 = Instruction(get2);
        // The second operand, read first.
        let y = match self.upvalue_fast(closure, get2.b() as usize) {
            Some(&Value::Number(y)) if !HOOKED => Some(y),
            _ => None,
        };
        let ran = self.update_upvalue(closure, Instruction(i), base, y)?;
        if let (true, Some(y)) = (ran > 0, y) {
            // The second read's register (A+1: in the window, `update_upvalue` checked).
            if let Some(reg) = self.th.stack.get_mut(base + get2.a() as usize) {
                *reg = Value::Number(y);
            }
        }
        Some(ran)
    }

    /// The update both forms share: the upvalue B of the fused `GETUPVAL` A B `ins` read into
    /// A, and when it and the second operand `y` are numbers, their sum (their difference
    /// when `ins`'s C has [`UPDATE_SUB`]) written to the upvalue and to A. Returns how many
    /// words after `ins` that ran (its C's count), or none when only the read was done; `None`
    /// when the upvalue is not on the fast path (nothing done).
    ///
    /// One copy per operation ([`Vm::update_upvalue_as`]): with the choice made inside, the
    /// optimizer turned it into an addition of `y` or `-y`, which flips a NaN's sign (`5 -
    /// (0/0)` printed `nan`, lua5.1 `-nan`).
    #[cfg_attr(debug_assertions, allow(dead_code))]
    #[inline(always)]
    fn update_upvalue(
        &mut self,
        closure: FunctionHandle,
        ins: Instruction,
        base: usize,
        y: Option<f64>,
    ) -> Option<usize> {
        match ins.c() & UPDATE_SUB {
            0 => self.update_upvalue_as::<false>(closure, ins, base, y),
            _ => self.update_upvalue_as::<true>(closure, ins, base, y),
        }
    }

    /// [`Vm::update_upvalue`] for a subtraction (`SUB`) or an addition.
    #[cfg_attr(debug_assertions, allow(dead_code))]
    #[inline(always)]
    fn update_upvalue_as<const SUB: bool>(
        &mut self,
        closure: FunctionHandle,
        ins: Instruction,
        base: usize,
        y: Option<f64>,
    ) -> Option<usize> {
        let ra = base + ins.a() as usize;
        // (Always in the frame's register window; tested so that nothing is written when the
        // register is not there.)
        if ra + 1 >= self.th.stack.len() {
            return None;
        }
        let place = self.upvalue_place(closure, ins.b() as usize)?;
        let mut tx = self.heap.tx();
        let slot = if (place as i32) > 0 {
            self.th.stack.get_mut(place as usize - 1)
        } else {
            tx.cell_mut(UpValueCell::from_index(place & !CLOSED))
        }?;
        let (&mut Value::Number(x), Some(y)) = (&mut *slot, y) else {
            // Only the read.
            let value = copy_split(slot);
            *self.th.stack.get_mut(ra)? = value;
            return Some(0);
        };
        let sum = if SUB { x - y } else { x + y };
        *slot = Value::Number(sum);
        *self.th.stack.get_mut(ra)? = Value::Number(sum);
        Some((ins.c() & (UPDATE_SUB - 1)) as usize)
    }

    /// Where upvalue `idx` of `closure` is (a [`Way::places`] entry), looked up if not known
    /// yet; `None` where the fast paths do not go.
    #[cfg_attr(debug_assertions, allow(dead_code))]
    #[inline(always)]
    fn upvalue_place(&mut self, closure: FunctionHandle, idx: usize) -> Option<u32> {
        let way = self.upvals.own(&self.heap, closure);
        match *way.places.get(idx)? {
            UNKNOWN => way.find(&self.heap, self.current, idx),
            place => Some(place),
        }
    }

    /// Writes upvalue `idx` of a Lua closure.
    pub(crate) fn set_upvalue(
        &mut self,
        closure: ferrous_heap::FunctionHandle,
        idx: usize,
        value: Value,
    ) -> RaiseResult<()> {
        let Function::Lua(cl) = self.heap.function(closure)? else {
            return Ok(());
        };
        let Some(&uv) = cl.upvalues.get(idx) else {
            return Ok(());
        };
        match self.heap.upvalue(uv)? {
            UpValue::Closed(_) => Ok(self.heap.tx().set_upvalue(uv, UpValue::Closed(value))?),
            UpValue::Open { thread, slot } => self.set_thread_slot(thread, slot as usize, value),
        }
    }

    /// A stack slot of any thread (the running one, or a suspended one in the heap).
    fn thread_slot(&self, thread: ThreadHandle, slot: usize) -> Value {
        if thread == self.current {
            return self.th.stack.get(slot).copied().unwrap_or(Value::Nil);
        }
        self.thread_state(thread)
            .and_then(|state| state.stack.get(slot).copied())
            .unwrap_or(Value::Nil)
    }

    fn set_thread_slot(
        &mut self,
        thread: ThreadHandle,
        slot: usize,
        value: Value,
    ) -> RaiseResult<()> {
        if thread == self.current {
            if let Some(v) = self.th.stack.get_mut(slot) {
                *v = value;
            }
            return Ok(());
        }
        self.with_thread_state_mut(thread, |state| {
            if let Some(v) = state.stack.get_mut(slot) {
                *v = value;
            }
        });
        Ok(())
    }

    /// The open upvalue for stack slot `slot` of the running thread, created if needed.
    fn find_upvalue(&mut self, slot: usize) -> RaiseResult<ferrous_heap::UpValueHandle> {
        let slot32 = slot as u32;
        match self
            .th
            .open_upvalues
            .binary_search_by_key(&slot32, |(s, _)| *s)
        {
            Ok(pos) => Ok(self.th.open_upvalues[pos].1),
            Err(pos) => {
                let uv = self.heap.tx().new_upvalue(UpValue::Open {
                    thread: self.current,
                    slot: slot32,
                })?;
                self.th.open_upvalues.insert(pos, (slot32, uv));
                Ok(uv)
            }
        }
    }

    /// Closes the open upvalues of slots `level` and above (5.1's `luaF_close`).
    pub(crate) fn close_upvalues(&mut self, level: usize) -> RaiseResult<()> {
        let level = level as u32;
        while let Some(&(slot, uv)) = self.th.open_upvalues.last() {
            if slot < level {
                break;
            }
            self.th.open_upvalues.pop();
            self.upvals.forget_places();
            let value = self.th.stack[slot as usize];
            self.heap.tx().set_upvalue(uv, UpValue::Closed(value))?;
        }
        Ok(())
    }

    /// `OP_CLOSURE`: creates a closure of child prototype `bx`; `pseudo` are the instructions that
    /// follow (its upvalue descriptions). Returns how many of them it consumed.
    pub(crate) fn make_closure(
        &mut self,
        parent: ferrous_heap::FunctionHandle,
        bx: usize,
        base: usize,
        pseudo: &[u32],
        ra: usize,
    ) -> RaiseResult<usize> {
        let Function::Lua(cl) = self.heap.function(parent)? else {
            return Err(Raise::runtime(
                "internal error: CLOSURE outside a Lua function",
            ));
        };
        let env = cl.env;
        let Some(&child) = self.heap.proto(cl.proto)?.protos.get(bx) else {
            return Err(Raise::runtime("internal error: bad prototype index"));
        };
        let shape = self.heap.proto(child)?.call_shape();
        let nups = usize::from(shape.num_upvalues);
        let mut buf = [None; UpValueList::INLINE];
        let mut boxed = Vec::new();
        for (j, &ins) in pseudo.iter().take(nups).enumerate() {
            let word = ferrous_compiler::Instruction(ins);
            let b = word.b() as usize;
            let uv = if word.op_field() == ferrous_compiler::OpCode::Move as u32 {
                self.find_upvalue(base + b)?
            } else {
                // The parent's upvalue, looked up again rather than cloning the parent's list.
                let uv = match self.heap.function(parent)? {
                    Function::Lua(cl) => cl.upvalues.get(b).copied(),
                    Function::Native(_) => None,
                };
                let Some(uv) = uv else {
                    return Err(Raise::runtime("internal error: bad upvalue index"));
                };
                uv
            };
            if nups <= UpValueList::INLINE {
                buf[j] = Some(uv);
            } else {
                boxed.push(uv);
            }
        }
        let upvalues = if nups > UpValueList::INLINE {
            UpValueList::Boxed(boxed.into_boxed_slice())
        } else if let [Some(first), second] = buf {
            UpValueList::Inline {
                len: nups as u8,
                items: [first, second.unwrap_or(first)],
            }
        } else {
            UpValueList::new()
        };
        let f = self.heap.tx().new_function(Function::Lua(LuaClosure {
            proto: child,
            shape,
            upvalues,
            env,
        }))?;
        self.th.stack[ra] = Value::Function(f);
        Ok(nups)
    }
}
