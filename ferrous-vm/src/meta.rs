//! The slow paths of the interpreter: everything that may involve metamethods (lvm.c's
//! `luaV_gettable`, `luaV_settable`, `Arith`, `luaV_concat`, `luaV_equalval`, `luaV_lessthan`,
//! `luaV_lessequal`, `OP_LEN`), and the string coercions of arithmetic and concatenation.
//!
//! A metamethod written in Lua is not called here: a frame is pushed with a continuation saying
//! where its result goes, and the operation reports "pending" (`false` / `None`) so the loop runs
//! the new frame. Operations that finished report `true` / `Some`.

use ferrous_compiler::Instruction;
use ferrous_heap::{MetaEvent, StringHandle, TableHandle, Value, names};

use crate::error::{Raise, RaiseResult};
use crate::number;
use crate::thread::Cont;
use crate::vm::Vm;

/// The arithmetic events, in the order of their opcodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Arith {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Unm,
}

impl Arith {
    #[inline]
    pub(crate) fn apply(self, x: f64, y: f64) -> f64 {
        match self {
            Arith::Add => x + y,
            Arith::Sub => x - y,
            Arith::Mul => x * y,
            Arith::Div => x / y,
            Arith::Mod => crate::number::lua_mod(x, y),
            Arith::Pow => crate::number::lua_pow(x, y),
            Arith::Unm => -x,
        }
    }
}

/// 5.1's `MAXTAGLOOP`: the longest `__index`/`__newindex` chain followed.
const MAX_TAG_LOOP: usize = 100;

impl Vm {
    /// The metamethod `event` of any value (`luaT_gettmbyobj`), or nil.
    #[inline]
    pub(crate) fn metamethod(&self, value: Value, event: StringHandle) -> Value {
        match self.metatable_of(value) {
            Some(mt) => self.heap.raw_get_str(mt, event).unwrap_or(Value::Nil),
            None => Value::Nil,
        }
    }

    /// Whether table `t` has a metatable with `__index` (the fast-path check of `GETTABLE`).
    #[inline]
    pub(crate) fn has_index_meta(&self, t: TableHandle) -> bool {
        match self.heap.metatable(t) {
            Ok(Some(mt)) => !matches!(self.heap.fast_metamethod(mt, MetaEvent::Index), Value::Nil),
            _ => false,
        }
    }

    /// `luaV_gettable`: `dest := t[key]`. `reg` names `t` in errors.
    pub(crate) fn index(
        &mut self,
        t: Value,
        key: Value,
        reg: Option<u32>,
        dest: usize,
    ) -> RaiseResult<()> {
        let mut t = t;
        for depth in 0..MAX_TAG_LOOP {
            let tm = if let Value::Table(h) = t {
                let v = self.heap.tx().raw_get(h, key)?;
                if !matches!(v, Value::Nil) {
                    self.th.stack[dest] = v;
                    return Ok(());
                }
                let tm = match self.heap.metatable(h)? {
                    Some(mt) => self.heap.tx().metamethod(mt, MetaEvent::Index)?,
                    None => Value::Nil,
                };
                if matches!(tm, Value::Nil) {
                    None
                } else {
                    Some(tm)
                }
            } else {
                let tm = self.metamethod(t, names::INDEX);
                if matches!(tm, Value::Nil) {
                    let reg = if depth == 0 { reg } else { None };
                    return Err(self.type_error(reg, t, "index"));
                }
                Some(tm)
            };
            let Some(tm) = tm else {
                self.th.stack[dest] = Value::Nil;
                return Ok(());
            };
            if matches!(tm, Value::Function(_) | Value::NativeFunction(_)) {
                self.call_meta(tm, &[t, key], Cont::Store(dest as u32))?;
                return Ok(());
            }
            t = tm;
        }
        Err(Raise::runtime("loop in gettable"))
    }

    /// `luaV_settable`: `t[key] := value`. `reg` names `t` in errors.
    pub(crate) fn set_index(
        &mut self,
        t: Value,
        key: Value,
        value: Value,
        reg: Option<u32>,
    ) -> RaiseResult<()> {
        let mut t = t;
        for depth in 0..MAX_TAG_LOOP {
            let tm = if let Value::Table(h) = t {
                let tm = match self.heap.metatable(h)? {
                    Some(mt) => self.heap.tx().metamethod(mt, MetaEvent::NewIndex)?,
                    None => Value::Nil,
                };
                // 5.1's `luaH_set` refuses a nil or NaN key before `__newindex` is consulted.
                let bad_key = match key {
                    Value::Nil => true,
                    Value::Number(n) => n.is_nan(),
                    _ => false,
                };
                if matches!(tm, Value::Nil)
                    || bad_key
                    || !matches!(self.heap.tx().raw_get(h, key)?, Value::Nil)
                {
                    self.heap.tx().raw_set(h, key, value)?;
                    return Ok(());
                }
                tm
            } else {
                let tm = self.metamethod(t, names::NEWINDEX);
                if matches!(tm, Value::Nil) {
                    let reg = if depth == 0 { reg } else { None };
                    return Err(self.type_error(reg, t, "index"));
                }
                tm
            };
            if matches!(tm, Value::Function(_) | Value::NativeFunction(_)) {
                self.call_meta(tm, &[t, key, value], Cont::Discard)?;
                return Ok(());
            }
            t = tm;
        }
        Err(Raise::runtime("loop in settable"))
    }

    /// `Arith` of lvm.c: numbers (and strings converting to numbers), else the metamethod of
    /// the first operand that has one, else an error naming the offending operand.
    pub(crate) fn arith(
        &mut self,
        op: Arith,
        x: Value,
        y: Value,
        reg_x: Option<u32>,
        reg_y: Option<u32>,
        dest: usize,
    ) -> RaiseResult<()> {
        if let (Some(nx), Some(ny)) = (self.to_number(x), self.to_number(y)) {
            self.th.stack[dest] = Value::Number(op.apply(nx, ny));
            return Ok(());
        }
        let event = match op {
            Arith::Add => names::ADD,
            Arith::Sub => names::SUB,
            Arith::Mul => names::MUL,
            Arith::Div => names::DIV,
            Arith::Mod => names::MOD,
            Arith::Pow => names::POW,
            Arith::Unm => names::UNM,
        };
        let mut tm = self.metamethod(x, event);
        if matches!(tm, Value::Nil) {
            tm = self.metamethod(y, event);
        }
        if matches!(tm, Value::Nil) {
            // luaG_aritherror: blame the second operand if the first one is a number.
            let (bad, reg) = if self.to_number(x).is_some() {
                (y, reg_y)
            } else {
                (x, reg_x)
            };
            return Err(self.type_error(reg, bad, "perform arithmetic on"));
        }
        self.call_meta(tm, &[x, y], Cont::Store(dest as u32))?;
        Ok(())
    }

    /// `OP_LEN` for values other than tables and strings: the `__len` metamethod.
    pub(crate) fn len_meta(&mut self, x: Value, reg: u32, dest: usize) -> RaiseResult<()> {
        let tm = self.metamethod(x, names::LEN);
        if matches!(tm, Value::Nil) {
            return Err(self.type_error(Some(reg), x, "get length of"));
        }
        self.call_meta(tm, &[x, Value::Nil], Cont::Store(dest as u32))?;
        Ok(())
    }

    /// Converts a number in a stack slot to a string in place (5.1's `tostring` macro);
    /// `true` if the slot holds a string afterwards.
    fn slot_to_string(&mut self, slot: usize) -> RaiseResult<bool> {
        match self.th.stack[slot] {
            Value::String(_) => Ok(true),
            Value::Number(n) => {
                let s = self.number_string(n)?;
                self.th.stack[slot] = Value::String(s);
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// `OP_CONCAT` over the `total` values ending at absolute slot `last`; `true` when finished
    /// (the result is in the first slot), `false` when a `__concat` metamethod was called (its
    /// continuation, [`Vm::concat_resume`], finishes the instruction).
    pub(crate) fn concat(&mut self, last: usize, total: usize) -> RaiseResult<bool> {
        if let Some(s) = self.concat_strings(last, total)? {
            self.th.stack[last + 1 - total] = Value::String(s);
            return Ok(true);
        }
        let mut last = last;
        let mut total = total;
        while total > 1 {
            let top = last + 1;
            let is_str_or_num = |v: Value| matches!(v, Value::String(_) | Value::Number(_));
            if !is_str_or_num(self.th.stack[top - 2]) || !self.slot_to_string(top - 1)? {
                let (x, y) = (self.th.stack[top - 2], self.th.stack[top - 1]);
                let mut tm = self.metamethod(x, names::CONCAT);
                if matches!(tm, Value::Nil) {
                    tm = self.metamethod(y, names::CONCAT);
                }
                if matches!(tm, Value::Nil) {
                    let (bad, slot) = if is_str_or_num(x) {
                        (y, top - 1)
                    } else {
                        (x, top - 2)
                    };
                    let reg = self
                        .th
                        .frames
                        .last()
                        .map(|f| (slot - f.base as usize) as u32);
                    return Err(self.type_error(reg, bad, "concatenate"));
                }
                let cont = Cont::Concat {
                    slot: (top - 2) as u32,
                    total: (total - 1) as u32,
                };
                // The continuation finishes the concatenation (and the instruction).
                self.call_meta(tm, &[x, y], cont)?;
                return Ok(false);
            }
            // Gather as many strings (or numbers) as possible, ending at `top - 1`.
            let mut n = 1;
            while n < total && self.slot_to_string(top - n - 1)? {
                n += 1;
            }
            let s = self.concat_slots(top - n, top)?;
            self.th.stack[top - n] = Value::String(s);
            total -= n - 1;
            last -= n - 1;
        }
        Ok(true)
    }

    /// [`Vm::concat`]'s common case, a few operands that are all strings (`a .. b`, `"(" .. s
    /// .. ")"`): their join, without the conversions and metamethod checks of the general
    /// loop. `None` when some operand is not a string, or there are many.
    #[inline]
    fn concat_strings(&mut self, last: usize, total: usize) -> RaiseResult<Option<StringHandle>> {
        const FEW: usize = 4;
        let Some(slots) = (last + 1)
            .checked_sub(total)
            .and_then(|from| self.th.stack.get(from..=last))
            .filter(|slots| slots.len() <= FEW)
        else {
            return Ok(None);
        };
        let Some(&Value::String(first)) = slots.first() else {
            return Ok(None);
        };
        let mut parts = [first; FEW];
        for (part, v) in parts.iter_mut().zip(slots) {
            match v {
                Value::String(s) => *part = *s,
                _ => return Ok(None),
            }
        }
        Ok(Some(self.heap.tx().concat(&parts[..slots.len()])?))
    }

    /// The strings in stack slots `from..to`, joined and interned (in the heap's reused buffer,
    /// so an existing result allocates nothing).
    fn concat_slots(&mut self, from: usize, to: usize) -> RaiseResult<StringHandle> {
        const SHORT: usize = 8;
        let mut strings = self.th.stack[from..to].iter().filter_map(|v| match v {
            Value::String(s) => Some(*s),
            _ => None,
        });
        if to - from <= SHORT {
            let Some(first) = strings.next() else {
                return Ok(self.heap.tx().concat(&[])?);
            };
            let mut parts = [first; SHORT];
            let mut len = 1;
            for (part, s) in parts[1..].iter_mut().zip(strings) {
                *part = s;
                len += 1;
            }
            Ok(self.heap.tx().concat(&parts[..len])?)
        } else {
            let parts: Vec<StringHandle> = strings.collect();
            Ok(self.heap.tx().concat(&parts)?)
        }
    }

    /// Continues an `OP_CONCAT` after a `__concat` metamethod stored its result in `slot`;
    /// `total` operands remain, ending at `slot`. When the concatenation finishes, the
    /// instruction's `R(A) := R(B)` is done here.
    pub(crate) fn concat_resume(&mut self, slot: usize, total: usize) -> RaiseResult<()> {
        let finished = self.concat(slot, total)?;
        if !finished {
            return Ok(());
        }
        let Some(frame) = self.th.frames.last() else {
            return Ok(());
        };
        let Some(lua) = &frame.lua else {
            return Ok(());
        };
        let pc = frame.pc as usize;
        let Some(&i) = pc.checked_sub(1).and_then(|p| self.code_of(lua).get(p)) else {
            return Ok(());
        };
        let base = frame.base as usize;
        let a = Instruction(i).a() as usize;
        let b = Instruction(i).b() as usize;
        self.th.stack[base + a] = self.th.stack[base + b];
        Ok(())
    }

    /// `luaV_equalval` for two different tables or userdata: the `__eq` metamethod shared by
    /// both. `None` when a Lua metamethod frame was pushed.
    pub(crate) fn eq_meta(&mut self, x: Value, y: Value) -> RaiseResult<Option<bool>> {
        let (Some(mt1), Some(mt2)) = (self.metatable_of(x), self.metatable_of(y)) else {
            return Ok(Some(false));
        };
        let tm1 = self.heap.fast_metamethod(mt1, MetaEvent::Eq);
        if matches!(tm1, Value::Nil) {
            return Ok(Some(false));
        }
        if mt1 != mt2 {
            let tm2 = self.heap.fast_metamethod(mt2, MetaEvent::Eq);
            if tm1 != tm2 {
                return Ok(Some(false));
            }
        }
        self.compare_meta(tm1, x, y, false)
    }

    /// Calls a comparison metamethod; its truth value (negated if asked) decides the jump.
    fn compare_meta(
        &mut self,
        tm: Value,
        x: Value,
        y: Value,
        negate: bool,
    ) -> RaiseResult<Option<bool>> {
        let slot = self.call_slot();
        self.th.stack[slot] = tm;
        self.th.stack[slot + 1] = x;
        self.th.stack[slot + 2] = y;
        self.th.top = slot + 3;
        // Natives are called through `call_value` so their result comes back here; Lua
        // metamethods get a frame with a `Cond` continuation.
        if matches!(tm, Value::Function(_)) && self.is_lua_function(tm) {
            self.precall(slot, 2, 1, Cont::Cond { negate })?;
            return Ok(None);
        }
        let res = self.call_value(tm, &[x, y])?;
        let truth = res.first().is_some_and(|v| crate::value::is_truthy(*v));
        Ok(Some(truth != negate))
    }

    fn is_lua_function(&self, f: Value) -> bool {
        match f {
            Value::Function(h) => {
                matches!(self.heap.function(h), Ok(ferrous_heap::Function::Lua(_)))
            }
            _ => false,
        }
    }

    /// `luaV_lessthan` (`le = false`) and `luaV_lessequal` (`le = true`) for operands that are
    /// not both numbers.
    pub(crate) fn less(&mut self, x: Value, y: Value, le: bool) -> RaiseResult<Option<bool>> {
        match (x, y) {
            (Value::Number(a), Value::Number(b)) => Ok(Some(if le { a <= b } else { a < b })),
            (Value::String(a), Value::String(b)) => {
                let ord = self.heap.str_bytes(a)?.cmp(self.heap.str_bytes(b)?);
                Ok(Some(if le { ord.is_le() } else { ord.is_lt() }))
            }
            _ if crate::value::type_name(x) != crate::value::type_name(y) => {
                Err(self.order_error(x, y))
            }
            _ => {
                let event = if le { names::LE } else { names::LT };
                if let Some(tm) = self.order_tm(x, y, event) {
                    return self.compare_meta(tm, x, y, false);
                }
                if le {
                    // 5.1 emulates `a <= b` with `not (b < a)`.
                    if let Some(tm) = self.order_tm(y, x, names::LT) {
                        return self.compare_meta(tm, y, x, true);
                    }
                }
                Err(self.order_error(x, y))
            }
        }
    }

    /// `call_orderTM`'s lookup: the metamethod both operands share.
    fn order_tm(&self, x: Value, y: Value, event: StringHandle) -> Option<Value> {
        let tm1 = self.metamethod(x, event);
        if matches!(tm1, Value::Nil) {
            return None;
        }
        let tm2 = self.metamethod(y, event);
        (tm1 == tm2).then_some(tm1)
    }

    /// `tostring` of a number or string value as bytes (for `print`, `..` and friends).
    pub(crate) fn plain_tostring(&self, v: Value, out: &mut Vec<u8>) -> RaiseResult<bool> {
        match v {
            Value::String(s) => {
                out.extend_from_slice(self.heap.str_bytes(s)?);
                Ok(true)
            }
            Value::Number(n) => {
                number::fmt_number(n, out);
                Ok(true)
            }
            _ => Ok(false),
        }
    }
}
