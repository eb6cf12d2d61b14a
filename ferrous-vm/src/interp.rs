//! The interpreter loop: executes the Lua frame on top of the running thread's frame stack,
//! instruction by instruction, until a host-level frame returns or the fuel runs out.
//!
//! Calls, returns, metamethods, protected calls and coroutine switches never recurse in Rust:
//! they push or pop frames (see `call.rs`) and the loop picks up whatever frame is on top
//! (`continue 'frame`). The hot paths (register moves, arithmetic on numbers, table access on the
//! array part or with string keys, Lua-to-Lua calls) allocate nothing.
//!
//! Invariant: before any operation that can raise an error, call a function or collect garbage,
//! the current `pc` is saved in the frame (`save_pc!`), so positions and variable names in
//! error messages are those of the instruction being executed.

use ferrous_compiler::{Instruction, index_k, is_k};
use ferrous_heap::{ProtoHandle, Value};

use crate::call::{Callee, Exit, Flow};
use crate::code_cache::CodeSlots;
use crate::decode::*;
use crate::error::{Raise, RaiseResult};
use crate::meta::Arith;
use crate::ops::unknown_opcode;
use crate::thread::{Cont, Frame, REGS};
use crate::value::{cold, copy_split, count, is_truthy, opaque};
use crate::vm::Vm;

impl Vm {
    /// Runs the Lua frame on top of the frame stack (and everything it calls) until a
    /// host-level frame returns or the fuel runs out.
    ///
    /// Performance: only the fast paths live in this function; every slow path is a call to an
    /// out-of-line method (`ops.rs`, `meta.rs`, `call.rs`), so the loop's state stays in machine
    /// registers. The fuel is charged per backward jump and per call (`charge!`; frames entered
    /// without a call instruction are charged by `enter_lua` and checked at the top), counted in a
    /// local and written back to `Vm::fuel` with the pc (`save_pc!`) before anything that can
    /// read it (calls, natives, errors, pauses).
    ///
    /// Always inlined (into `run_loop`): a frame of its own made every nested loop (a native
    /// calling Lua) use more Rust stack in debug builds.
    #[inline(always)]
    pub(crate) fn execute(&mut self) -> RaiseResult<Exit> {
        // Each copy of the loop has this one call site, so the optimizer treats the unhooked
        // one as the single-caller function `execute` was before hooks (a second call site
        // cost a Lua callback from a native 15-20% more).
        loop {
            let outer = self.loop_hooked;
            let res = if self.th.hook.active() {
                self.loop_hooked = true;
                self.execute_with::<true>()
            } else {
                self.loop_hooked = false;
                self.execute_with::<false>()
            };
            self.loop_hooked = outer;
            if self.loop_switch {
                // The loop paused to restart in its other copy (`hook.rs`).
                self.loop_switch = false;
                continue;
            }
            if self.reentry > 0 && self.th.hook.active() != outer {
                // This nested loop changed the hooks: the loop it returns to switches too.
                self.request_loop_switch();
            }
            return res;
        }
    }

    /// The loop itself; `HOOKED` compiles in the calls of `hook.rs` (line, count, call and
    /// return events), which the copy without hooks does not contain.
    fn execute_with<const HOOKED: bool>(&mut self) -> RaiseResult<Exit> {
        // The code and constants of the prototype the loop starts with, and of the others it
        // runs (`code_entry`). Frames hold only handles; `code` and `k` borrow the running
        // prototype's from one of these two, so switching prototypes (a call, a return) costs
        // no reference counting and, once a prototype has run, no heap lookup.
        let first = {
            let Some(lua) = self.th.frames.last().and_then(|f| f.lua) else {
                return Err(Raise::runtime(
                    "internal error: native frame on top of the loop",
                ));
            };
            self.load_code(lua.proto)?
        };
        let mut slots: Option<CodeSlots> = None;
        let (mut proto, mut code, mut k): (ProtoHandle, &[u32], &[Value]) =
            (first.0, &first.1, &first.2);
        // Makes the loop's code and constants those of prototype `$p`.
        macro_rules! switch_code {
            ($p:expr) => {
                let p = $p;
                if p != proto {
                    if p == first.0 {
                        (code, k) = (&first.1, &first.2);
                    } else {
                        let entry = self.code_entry(&mut slots, p)?;
                        (code, k) = (&entry.1, &entry.2);
                    }
                    proto = p;
                }
            };
        }
        'frame: loop {
            let mut fi = self.th.frames.len() - 1;
            let frame = &self.th.frames[fi];
            let Some(lua) = frame.lua else {
                return Err(Raise::runtime(
                    "internal error: native frame on top of the loop",
                ));
            };
            let mut base = frame.base as usize;
            let mut pc = frame.pc as usize;
            self.th.ensure_stack(base + REGS);
            switch_code!(lua.proto);
            let mut closure = lua.closure;
            let mut env = lua.env;
            let thread = self.current;
            let mut fuel = self.fuel;
            if fuel < 0 {
                // The frame was entered without an `OP_CALL` (a metamethod, an iterator, a
                // callback) and its unit of fuel was the last one.
                if self.out_of_fuel()? {
                    return Ok(Exit::Paused);
                }
                fuel = self.fuel;
            }

            // After a slow path that may have called a metamethod: if a new frame runs (or the
            // thread changed), go run it; otherwise this frame goes on where `post_call` left it.
            macro_rules! resync {
                () => {
                    if self.current != thread || self.th.frames.len() != fi + 1 || self.env_changed
                    {
                        self.env_changed = false;
                        continue 'frame;
                    }
                    pc = self.th.frames[fi].pc as usize;
                    fuel = self.fuel;
                };
            }
            macro_rules! save_pc {
                () => {
                    self.th.frames[fi].pc = pc as u32;
                    self.fuel = fuel;
                };
            }
            macro_rules! rk {
                ($x:expr) => {{
                    let x = $x;
                    if is_k(x as u32) {
                        k[index_k(x as u32) as usize]
                    } else {
                        self.th.stack[base + x]
                    }
                }};
            }
            // An operand by reference: matching on it reads the tag and payload in place.
            macro_rules! rk_ref {
                ($x:expr) => {{
                    let x = $x;
                    if is_k(x as u32) {
                        &k[index_k(x as u32) as usize]
                    } else {
                        &self.th.stack[base + x]
                    }
                }};
            }
            // Register operand name hint for error messages: `Some(reg)` for registers, `None`
            // for constants.
            macro_rules! rk_reg {
                ($x:expr) => {{
                    let x = $x;
                    if is_k(x as u32) { None } else { Some(x as u32) }
                }};
            }
            // The frame's register window (see `REGS`): one bounds check for the whole
            // instruction.
            macro_rules! regs {
                () => {{
                    let Some(regs) = window_mut(&mut self.th.stack, base) else {
                        return Err(Raise::runtime("internal error: registers out of range"));
                    };
                    regs
                }};
            }
            // The register window, shared.
            macro_rules! regs_ref {
                () => {{
                    let Some(regs) = window(&self.th.stack, base) else {
                        return Err(Raise::runtime("internal error: registers out of range"));
                    };
                    regs
                }};
            }
            // `rk_ref!` within a register window.
            macro_rules! rk_in {
                ($regs:ident, $x:expr) => {{
                    let x = $x;
                    if is_k(x as u32) {
                        &k[index_k(x as u32) as usize]
                    } else {
                        // A register operand is below 256: the mask tells the optimizer so (no
                        // bounds check in the window).
                        &$regs[x & 255]
                    }
                }};
            }
            macro_rules! arith {
                ($i:ident, $ra:expr, $op:expr, $x:ident, $y:ident, $res:expr) => {{
                    let (b, c) = (arg_b($i), arg_c($i));
                    let regs = regs!();
                    if let (&Value::Number($x), &Value::Number($y)) =
                        (rk_in!(regs, b), rk_in!(regs, c))
                    {
                        regs[arg_a($i)] = Value::Number($res);
                    } else {
                        save_pc!();
                        let (x, y) = (rk!(b), rk!(c));
                        self.arith($op, x, y, rk_reg!(b), rk_reg!(c), $ra)?;
                        resync!();
                    }
                }};
            }
            // `arith!` for a specialized instruction whose B is a register and C a number
            // constant (`specialize.rs`): `i + 1`, `n - 1`.
            #[cfg(not(debug_assertions))]
            macro_rules! arith_k {
                ($i:ident, $ra:expr, $op:expr, $x:ident, $y:ident, $res:expr) => {{
                    let regs = regs!();
                    if let (&Value::Number($x), &Value::Number($y)) =
                        (&regs[arg_b($i) & 0xff], &k[const_index(arg_c($i))])
                    {
                        regs[arg_a($i)] = Value::Number($res);
                    } else {
                        let (b, c) = (arg_b($i), arg_c($i));
                        save_pc!();
                        let (x, y) = (rk!(b), rk!(c));
                        self.arith($op, x, y, rk_reg!(b), rk_reg!(c), $ra)?;
                        resync!();
                    }
                }};
            }
            // `LT`/`LE` of operands `$x` and `$y` and its jump: numbers inline, anything else
            // through `less` (strings, `__lt`/`__le`).
            macro_rules! order {
                ($x:expr, $y:expr, $le:expr, $cmp:tt) => {{
                    let res = match ($x, $y) {
                        (&Value::Number(x), &Value::Number(y)) => x $cmp y,
                        (&x, &y) => {
                            save_pc!();
                            match self.less(x, y, $le)? {
                                Some(res) => res,
                                None => continue 'frame,
                            }
                        }
                    };
                    cond_jump!(res == (a!() != 0));
                }};
            }
            // The outcome of a fast table write: done (on to the next instruction), not done
            // (the slow path follows), or an error at this instruction.
            macro_rules! fast_set {
                ($res:expr) => {
                    match $res {
                        Ok(true) => continue,
                        Ok(false) => {}
                        Err(err) => {
                            save_pc!();
                            return Err(err.into());
                        }
                    }
                };
            }
            // The jump of a test. A backward one is a loop (`repeat until #s < 3`): the `JMP`
            // itself runs next, so it is charged like any backward `JMP` (one charge site keeps
            // the loop's stack frame small).
            macro_rules! cond_jump {
                ($res:expr) => {
                    if $res {
                        let sbx = arg_sbx(code[pc]);
                        if sbx < 0 {
                            continue;
                        }
                        pc = (pc as isize + 1 + sbx) as usize;
                    } else {
                        pc += 1;
                    }
                };
            }

            // `FORLOOP` instruction `$i` (the pc is past it) on register window `$regs`: the
            // `FORLOOP` arm's and the fused arm's that ends with it.
            macro_rules! forloop {
                ($regs:ident, $i:expr) => {{
                    let i = $i;
                    let Some(regs) = $regs.get_mut(arg_a(i)..arg_a(i) + 4) else {
                        return Err(Raise::runtime("internal error: bad for loop state"));
                    };
                    if let (&Value::Number(idx), &Value::Number(limit), &Value::Number(step)) =
                        (&regs[0], &regs[1], &regs[2])
                    {
                        let idx = idx + step;
                        let go_on = if step > 0.0 {
                            idx <= limit
                        } else {
                            cold();
                            limit <= idx
                        };
                        if go_on {
                            pc = (pc as isize + arg_sbx(i)) as usize;
                            regs[0] = Value::Number(idx);
                            regs[3] = Value::Number(idx);
                            charge!();
                        }
                    } else {
                        return Err(Raise::runtime("internal error: bad for loop state"));
                    }
                }};
            }

            // One unit of fuel for a backward jump or a call, checked with the pc of the
            // instruction to run next.
            macro_rules! charge {
                () => {
                    fuel -= 1;
                    if fuel < 0 {
                        save_pc!();
                        if self.out_of_fuel()? {
                            return Ok(Exit::Paused);
                        }
                        fuel = self.fuel;
                    }
                };
            }

            loop {
                let Some(&i) = code.get(pc) else {
                    return Err(Raise::runtime("internal error: pc out of range"));
                };
                if HOOKED {
                    self.fuel = fuel;
                    self.hook_step(fi, pc)?;
                    fuel = self.fuel;
                    if let Some(lua) = &self.th.frames[fi].lua {
                        env = lua.env;
                    }
                }
                pc += 1;
                // Operand A and its register's stack slot, computed where an arm uses them in
                // optimized builds: computed before the `match`, they were kept in registers
                // across the dispatch, and `self` and the loop's state went to stack slots (per
                // iteration: an empty `for` 57 -> 53 instructions, `f()` 366 -> 339). A debug
                // build computes them once: there every expansion gets stack slots of its own,
                // and `MAX_REENTRY` nested loops must fit in a 2 MiB thread stack.
                #[cfg(debug_assertions)]
                let (a_once, ra_once) = (arg_a(i), base + arg_a(i));
                #[cfg(debug_assertions)]
                macro_rules! a {
                    () => {
                        a_once
                    };
                }
                #[cfg(debug_assertions)]
                macro_rules! ra {
                    () => {
                        ra_once
                    };
                }
                #[cfg(not(debug_assertions))]
                macro_rules! a {
                    () => {
                        arg_a(i)
                    };
                }
                #[cfg(not(debug_assertions))]
                macro_rules! ra {
                    () => {
                        base + a!()
                    };
                }
                // The slow paths `GETTABLE`, `SETTABLE` and `SELF` share with their
                // specialized forms (`specialize.rs`), whose operands are the same.
                // The end of a fused upvalue update's arm: past the `ran` words it ran, or the
                // plain read when it did nothing (`Vm::getupval_arith`).
                #[cfg(not(debug_assertions))]
                macro_rules! getupval_update {
                    ($ran:expr) => {
                        match $ran {
                            Some(ran) => pc += ran,
                            None => {
                                save_pc!();
                                self.th.stack[ra!()] = self.get_upvalue(closure, arg_b(i))?;
                            }
                        }
                    };
                }
                macro_rules! gettable_slow {
                    () => {
                        let rb = self.th.stack[base + arg_b(i)];
                        let key = rk!(arg_c(i));
                        save_pc!();
                        self.index(rb, key, Some(arg_b(i) as u32), ra!())?;
                        resync!();
                    };
                }
                // `ADD` of two registers (`OP_ADDRR` and its fused form): then `$then`, with
                // the register window as `$regs`, when the fast path took it.
                #[cfg(not(debug_assertions))]
                macro_rules! add_rr {
                    ($regs:ident => $then:block) => {
                        let $regs = regs!();
                        if let (&Value::Number(x), &Value::Number(y)) =
                            (&$regs[arg_b(i) & 0xff], &$regs[arg_c(i) & 0xff])
                        {
                            $regs[arg_a(i)] = Value::Number(x + y);
                            $then
                        } else {
                            let (b, c) = (arg_b(i), arg_c(i));
                            save_pc!();
                            let (x, y) = (rk!(b), rk!(c));
                            self.arith(Arith::Add, x, y, rk_reg!(b), rk_reg!(c), ra!())?;
                            resync!();
                        }
                    };
                }
                macro_rules! settable_slow {
                    () => {
                        let t = self.th.stack[ra!()];
                        let key = rk!(arg_b(i));
                        let v = rk!(arg_c(i));
                        save_pc!();
                        self.set_index(t, key, v, Some(a!() as u32))?;
                        resync!();
                    };
                }
                macro_rules! self_slow {
                    () => {
                        let rb = self.th.stack[base + arg_b(i)];
                        let key = rk!(arg_c(i));
                        self.th.stack[ra!() + 1] = rb;
                        save_pc!();
                        self.index(rb, key, Some(arg_b(i) as u32), ra!())?;
                        resync!();
                    };
                }
                // `MOVE`: the original's arm and the fused form's (`OP_MOVE_CALL`).
                macro_rules! move_reg {
                    () => {
                        let regs = regs!();
                        let b = arg_b(i) & 0xff;
                        match regs[b] {
                            Value::Number(x) => regs[a!()] = Value::Number(opaque(x)),
                            Value::Function(h) => regs[a!()] = Value::Function(h),
                            v => regs[a!()] = v,
                        }
                    };
                }
                let op = Instruction(i).op_field();
                // A debug build runs the specialized forms (`specialize.rs`) in their original
                // instructions' arms: there every arm adds stack slots to the loop's frame.
                #[cfg(debug_assertions)]
                let op = crate::decode::original_op(op);
                // A `RETURN` of `$n` values from register A: the original's arm and its
                // one-value form's (`specialize.rs`).
                macro_rules! ret {
                    ($n:expr) => {
                        let n: usize = $n;
                        if HOOKED {
                            save_pc!();
                            self.th.top = ra!() + n;
                            self.hook_return()?;
                            fuel = self.fuel;
                        }
                        if let Some(&(slot, _)) = self.th.open_upvalues.last() {
                            if slot as usize >= base {
                                save_pc!();
                                self.close_upvalues(base)?;
                            }
                        }
                        let frame = &self.th.frames[fi];
                        // The fast path needs no `save_pc!`: the frame goes away, and the loop
                        // goes on with its local fuel.
                        if matches!(frame.cont, Cont::Call) {
                            // The common Lua-to-Lua return: what `post_call` does for `Call`.
                            let (func, nresults) = (frame.func as usize, frame.nresults);
                            self.th.n_ccalls = frame.ccalls_before;
                            self.th.frames.truncate(fi);
                            if nresults == 1 && n >= 1 {
                                // One result wanted and given (expressions, `x = f()`).
                                if let &Value::Number(x) = &self.th.stack[ra!()] {
                                    self.th.stack[func] = Value::Number(opaque(x));
                                } else {
                                    self.th.stack[func] = self.th.stack[ra!()];
                                }
                                self.th.top = func + 1;
                            } else if nresults == 0 {
                                // No result wanted (a call statement).
                                self.th.top = func;
                            } else {
                                self.move_results(func, ra!(), n, nresults);
                            }
                            // Back to the calling Lua frame without leaving the loop.
                            // The frame below, now the last one (`frames[fi - 1]`).
                            let Some(frame) = self.th.frames.last() else {
                                self.fuel = fuel;
                                continue 'frame;
                            };
                            let Some(lua) = &frame.lua else {
                                self.fuel = fuel;
                                continue 'frame;
                            };
                            (closure, env) = (lua.closure, lua.env);
                            (base, pc) = (frame.base as usize, frame.pc as usize);
                            let caller_proto = lua.proto;
                            fi -= 1;
                            switch_code!(caller_proto);
                            continue;
                        }
                        if matches!(frame.cont, Cont::Host) {
                            // The return of a host-level call (`Vm::call_value` from a native:
                            // sort comparators, gsub callbacks): what `post_call` does for it.
                            let func = frame.func as usize;
                            self.th.n_ccalls = frame.ccalls_before;
                            self.th.frames.truncate(fi);
                            self.move_results(func, ra!(), n, -1);
                            self.fuel = fuel;
                            return Ok(Exit::Returned);
                        }
                        save_pc!();
                        let Some(frame) = self.th.frames.pop() else {
                            return Err(Raise::runtime("internal error: no frame to return from"));
                        };
                        match self.post_call(frame, ra!(), n)? {
                            Flow::Continue => continue 'frame,
                            Flow::Stop => return Ok(Exit::Returned),
                        }
                    };
                }
                match op {
                    OP_MOVE => {
                        // Often a number just written in two parts (a loop index, an
                        // arithmetic result): it is read the same way. A function is written
                        // as tag and handle, the parts a `CALL` next reads (after a 16-byte
                        // store, the 8-byte read of the handle waited: a call loop -6.5%).
                        // Any other value is copied whole (`copy_split`'s merged copy went
                        // through a stack temporary in overlapping parts, which stalled; and
                        // `copy_within`, once the loop's only other use of it was gone, became
                        // a call to `memmove`: iterate.lua +2.5% instructions).
                        move_reg!();
                    }
                    OP_LOADK => {
                        regs!()[a!()] = k[arg_bx(i)];
                    }
                    OP_LOADBOOL => {
                        self.th.stack[ra!()] = Value::Boolean(arg_b(i) != 0);
                        if arg_c(i) != 0 {
                            pc += 1;
                        }
                    }
                    OP_LOADNIL => {
                        let rb = base + arg_b(i);
                        self.th.stack[ra!()..=rb].fill(Value::Nil);
                    }
                    OP_GETUPVAL => {
                        if let Some(v) = self.upvalue_fast(closure, arg_b(i)) {
                            // A number is copied as tag and payload (`SETUPVAL` stores it so);
                            // a whole-`Value` load of it would stall.
                            match *v {
                                Value::Number(x) => regs!()[a!()] = Value::Number(opaque(x)),
                                // As `MOVE` writes it: `fib(n - 1)` calls it next.
                                Value::Function(h) => self.th.stack[ra!()] = Value::Function(h),
                                v => self.th.stack[ra!()] = v,
                            }
                        } else {
                            save_pc!();
                            self.th.stack[ra!()] = self.get_upvalue(closure, arg_b(i))?;
                        }
                    }
                    // `OP_GETUPVAL_ARITH`, `OP_GETUPVAL2_ARITH` (`specialize.rs`): the
                    // `GETUPVAL`, then the rest of the upvalue's update (the words after it)
                    // when it can run at once. With hooks each runs on its own (count and line
                    // hooks).
                    #[cfg(not(debug_assertions))]
                    OP_GETUPVAL_ARITH => {
                        let ran = match code.get(pc) {
                            Some(&arith) => {
                                self.getupval_arith::<HOOKED>(closure, i, arith, base, k)
                            }
                            None => None,
                        };
                        getupval_update!(ran);
                    }
                    #[cfg(not(debug_assertions))]
                    OP_GETUPVAL2_ARITH => {
                        let ran = match code.get(pc) {
                            Some(&get2) => self.getupval2_arith::<HOOKED>(closure, i, get2, base),
                            None => None,
                        };
                        getupval_update!(ran);
                    }
                    OP_GETGLOBAL => {
                        // The key and the value by reference (whole-`Value` copies went through
                        // stack temporaries and stalled).
                        if let &Value::String(s) = &k[arg_bx(i)] {
                            let v = self.heap.raw_get_str_ref(env, s)?;
                            match v {
                                Value::Nil => {}
                                // As `MOVE` writes it: usually called next.
                                &Value::Function(h) => {
                                    self.th.stack[ra!()] = Value::Function(h);
                                    continue;
                                }
                                &v => {
                                    self.th.stack[ra!()] = v;
                                    continue;
                                }
                            }
                        }
                        save_pc!();
                        self.op_getglobal_nil(env, k[arg_bx(i)], ra!())?;
                        resync!();
                    }
                    OP_GETTABLE => {
                        // The table's tag and handle are read in place: a whole-`Value` copy of
                        // a register written just before stalls.
                        let regs = regs_ref!();
                        if let &Value::Table(t) = &regs[arg_b(i) & 0xff] {
                            if let Some(&v) = self.heap.get_fast(t, rk_in!(regs, arg_c(i))) {
                                regs!()[a!()] = v;
                                continue;
                            }
                        }
                        gettable_slow!();
                    }
                    #[cfg(not(debug_assertions))]
                    OP_GETFIELD => {
                        // `GETTABLE` with a constant string key (`specialize.rs`): straight
                        // to the string lookup.
                        let regs = regs_ref!();
                        if let (&Value::Table(t), &Value::String(s)) =
                            (&regs[arg_b(i) & 0xff], &k[const_index(arg_c(i))])
                        {
                            if let Some(&v) = self.heap.get_fast_str(t, s) {
                                regs!()[a!()] = v;
                                continue;
                            }
                        }
                        gettable_slow!();
                    }
                    // `OP_GETFIELD_ARITH` (`specialize.rs`): the `GETTABLE`, then the rest of
                    // the field's update (the words after it) when it can run at once. With
                    // hooks each runs on its own (count and line hooks).
                    #[cfg(not(debug_assertions))]
                    OP_GETFIELD_ARITH => {
                        match self.getfield_arith::<HOOKED>(i, code, pc, base, k) {
                            Some(ran) => pc += ran,
                            None => {
                                gettable_slow!();
                            }
                        }
                    }
                    OP_SETGLOBAL => {
                        // As `SETTABLE`'s fast path: a plain (or metatable-less) environment.
                        let v = copy_split(&self.th.stack[ra!()]);
                        fast_set!(self.heap.tx().set_fast(env, &k[arg_bx(i)], v));
                        let key = k[arg_bx(i)];
                        let v = self.th.stack[ra!()];
                        save_pc!();
                        self.set_index(Value::Table(env), key, v, None)?;
                        resync!();
                    }
                    // `OP_SETUPVAL_GET` (`specialize.rs`): a `SETUPVAL` A B whose next word,
                    // a `GETUPVAL` A B, would read back what A holds, and is skipped. With
                    // hooks it runs, a step of its own (count and line hooks). One arm for
                    // both: a second copy of the write moved the loop's register allocation
                    // (upvalues.lua 8% slower on 2% fewer instructions).
                    OP_SETUPVAL | OP_SETUPVAL_GET => {
                        // Usually the result of an arithmetic instruction just before.
                        if !self.set_upvalue_fast(closure, arg_b(i), ra!()) {
                            let v = self.th.stack[ra!()];
                            save_pc!();
                            self.set_upvalue(closure, arg_b(i), v)?;
                        }
                        if !HOOKED {
                            pc += usize::from(op == OP_SETUPVAL_GET);
                        }
                    }
                    OP_SETTABLE => {
                        let regs = regs_ref!();
                        // The table's tag and handle and the key are read in place, the value
                        // as tag and payload (each is often written just before: `NEWTABLE`,
                        // a loop index, an arithmetic result; whole-`Value` reloads stall).
                        if let &Value::Table(h) = &regs[a!()] {
                            let v = copy_split(rk_in!(regs, arg_c(i)));
                            fast_set!(self.heap.tx().set_fast(h, rk_in!(regs, arg_b(i)), v));
                        }
                        settable_slow!();
                    }
                    #[cfg(not(debug_assertions))]
                    OP_SETFIELD => {
                        // `SETTABLE` with a constant string key (`specialize.rs`).
                        let regs = regs_ref!();
                        if let (&Value::Table(h), &Value::String(s)) =
                            (&regs[a!()], &k[const_index(arg_b(i))])
                        {
                            let v = copy_split(rk_in!(regs, arg_c(i)));
                            fast_set!(self.heap.tx().set_fast_str(h, s, v));
                        }
                        settable_slow!();
                    }
                    OP_NEWTABLE => {
                        save_pc!();
                        self.op_newtable(i, ra!())?;
                    }
                    OP_SELF => {
                        // The method as `MOVE` writes a function (`CALL` is next), copied from
                        // the table in place, then the receiver. A macro, not a helper: a
                        // helper's stores through one `&mut Value` are merged back into a
                        // 16-byte copy. (Copied out of the table first, the method was held
                        // across the receiver's store, and its bytes 1..8 went through a stack
                        // slot as two overlapping 4-byte stores whose reload stalled: 6% of
                        // inherit.lua's time on an Intel Xeon.)
                        macro_rules! found {
                            ($receiver:expr, $v:expr) => {{
                                match $v {
                                    &Value::Function(h) => {
                                        self.th.stack[ra!()] = Value::Function(h);
                                    }
                                    v => self.th.stack[ra!()] = *v,
                                }
                                self.th.stack[ra!() + 1] = $receiver;
                                continue;
                            }};
                        }
                        match self.th.stack[base + arg_b(i)] {
                            Value::Table(t) => {
                                if let Some(v) = self.heap.get_fast(t, rk_ref!(arg_c(i))) {
                                    found!(Value::Table(t), v);
                                }
                            }
                            // `s:sub(...)`: the string library through the strings' metatable.
                            // A nil result takes the slow path: it may mean no `__index`,
                            // which is an error for a string.
                            Value::String(s) => {
                                if let Some(mt) = self.string_meta {
                                    let key = rk_ref!(arg_c(i));
                                    if let Some(v) = self
                                        .heap
                                        .get_fast_index(mt, key)
                                        .filter(|v| !matches!(v, Value::Nil))
                                    {
                                        found!(Value::String(s), v);
                                    }
                                }
                            }
                            _ => {}
                        }
                        self_slow!();
                    }
                    OP_ADD => arith!(i, ra!(), Arith::Add, x, y, x + y),
                    OP_SUB => arith!(i, ra!(), Arith::Sub, x, y, x - y),
                    OP_MUL => arith!(i, ra!(), Arith::Mul, x, y, x * y),
                    OP_DIV => arith!(i, ra!(), Arith::Div, x, y, x / y),
                    #[cfg(not(debug_assertions))]
                    OP_ADDK => arith_k!(i, ra!(), Arith::Add, x, y, x + y),
                    #[cfg(not(debug_assertions))]
                    OP_SUBK => arith_k!(i, ra!(), Arith::Sub, x, y, x - y),
                    #[cfg(not(debug_assertions))]
                    OP_MULK => arith_k!(i, ra!(), Arith::Mul, x, y, x * y),
                    #[cfg(not(debug_assertions))]
                    OP_DIVK => arith_k!(i, ra!(), Arith::Div, x, y, x / y),
                    #[cfg(not(debug_assertions))]
                    OP_MODK => arith_k!(i, ra!(), Arith::Mod, x, y, Arith::Mod.apply(x, y)),
                    #[cfg(not(debug_assertions))]
                    OP_MODK_INT => {
                        arith_k!(
                            i,
                            ra!(),
                            Arith::Mod,
                            x,
                            y,
                            crate::number::lua_mod_by_int(x, y)
                        )
                    }
                    #[cfg(not(debug_assertions))]
                    OP_ADDRR => {
                        // `ADD` of two registers (`specialize.rs`).
                        add_rr!(_regs => {});
                    }
                    #[cfg(not(debug_assertions))]
                    OP_ADDRR_FORLOOP => {
                        // `ADDRR` and the `FORLOOP` in the next word (`specialize.rs`); any
                        // other case runs the `ADD` alone, and the `FORLOOP` runs next. With
                        // hooks every instruction is a step of its own (count and line hooks):
                        // the `FORLOOP` is left to run next.
                        add_rr!(regs => {
                            if let (false, Some(&j)) = (HOOKED, code.get(pc)) {
                                pc += 1;
                                forloop!(regs, j);
                            }
                        });
                    }
                    OP_MOD => arith!(i, ra!(), Arith::Mod, x, y, Arith::Mod.apply(x, y)),
                    OP_POW => arith!(i, ra!(), Arith::Pow, x, y, Arith::Pow.apply(x, y)),
                    OP_UNM => {
                        let b = arg_b(i);
                        if let &Value::Number(x) = &self.th.stack[base + b] {
                            self.th.stack[ra!()] = Value::Number(-x);
                        } else {
                            save_pc!();
                            let x = self.th.stack[base + b];
                            let reg = Some(b as u32);
                            self.arith(Arith::Unm, x, x, reg, reg, ra!())?;
                            resync!();
                        }
                    }
                    OP_NOT => {
                        let x = self.th.stack[base + arg_b(i)];
                        self.th.stack[ra!()] = Value::Boolean(!is_truthy(x));
                    }
                    OP_LEN => {
                        let b = arg_b(i);
                        if let Value::Table(t) = self.th.stack[base + b] {
                            let n = self.heap.tx().len(t)?;
                            self.th.stack[ra!()] = count(n);
                        } else if self.string_len(base + b, ra!()) {
                        } else {
                            save_pc!();
                            self.op_len(base + b, b as u32, ra!())?;
                            resync!();
                        }
                    }
                    OP_CONCAT => {
                        let (b, c) = (arg_b(i), arg_c(i));
                        save_pc!();
                        if self.concat(base + c, c - b + 1)? {
                            self.th.stack[ra!()] = self.th.stack[base + b];
                            self.gc_check()?;
                        } else {
                            resync!();
                        }
                    }
                    OP_JMP => {
                        let sbx = arg_sbx(i);
                        pc = (pc as isize + sbx) as usize;
                        if sbx < 0 {
                            charge!();
                        }
                    }
                    OP_EQ => {
                        let regs = regs!();
                        let res = match (rk_in!(regs, arg_b(i)), rk_in!(regs, arg_c(i))) {
                            (&Value::Number(x), &Value::Number(y)) => x == y,
                            (&x, &y) => {
                                if matches!(
                                    (x, y),
                                    (Value::Table(_), Value::Table(_))
                                        | (Value::UserData(_), Value::UserData(_))
                                ) && x != y
                                {
                                    save_pc!();
                                    match self.eq_meta(x, y)? {
                                        Some(res) => res,
                                        None => continue 'frame,
                                    }
                                } else {
                                    x == y
                                }
                            }
                        };
                        cond_jump!(res == (a!() != 0));
                    }
                    OP_LT => {
                        let regs = regs!();
                        order!(rk_in!(regs, arg_b(i)), rk_in!(regs, arg_c(i)), false, <);
                    }
                    OP_LE => {
                        let regs = regs!();
                        order!(rk_in!(regs, arg_b(i)), rk_in!(regs, arg_c(i)), true, <=);
                    }
                    #[cfg(not(debug_assertions))]
                    OP_EQK => {
                        // `EQ` of a register and a constant (`specialize.rs`): a constant is
                        // never a table or a userdata, so raw equality decides (no `__eq`).
                        let regs = regs!();
                        let res = match (&regs[arg_b(i) & 0xff], &k[const_index(arg_c(i))]) {
                            (&Value::Number(x), &Value::Number(y)) => x == y,
                            (x, y) => x == y,
                        };
                        cond_jump!(res == (a!() != 0));
                    }
                    #[cfg(not(debug_assertions))]
                    OP_LTK => {
                        // `LT` of a register and a number constant (`specialize.rs`).
                        let regs = regs!();
                        order!(&regs[arg_b(i) & 0xff], &k[const_index(arg_c(i))], false, <);
                    }
                    #[cfg(not(debug_assertions))]
                    OP_LEK => {
                        // `LE` of a register and a number constant (`specialize.rs`).
                        let regs = regs!();
                        order!(&regs[arg_b(i) & 0xff], &k[const_index(arg_c(i))], true, <=);
                    }
                    OP_TEST => {
                        cond_jump!(is_truthy(regs!()[a!()]) == (arg_c(i) != 0));
                    }
                    OP_TESTSET => {
                        let rb = self.th.stack[base + arg_b(i)];
                        if is_truthy(rb) == (arg_c(i) != 0) {
                            self.th.stack[ra!()] = rb;
                            let sbx = arg_sbx(code[pc]);
                            if sbx < 0 {
                                // The `JMP` runs next and charges its backward jump.
                                continue;
                            }
                            pc = (pc as isize + 1 + sbx) as usize;
                        } else {
                            pc += 1;
                        }
                    }
                    // `OP_MOVE_CALL` (`specialize.rs`): the `MOVE`, then the `CALL` in the next
                    // word, in one dispatch. With hooks the `CALL` is left to run next, a step
                    // of its own (count and line hooks).
                    OP_CALL | OP_MOVE_CALL => {
                        // Optimized builds only: a debug build runs `OP_MOVE_CALL` in `MOVE`'s
                        // arm (`original_op`), and there these locals would add to the loop's
                        // stack frame (`MAX_REENTRY` nested loops must fit in 2 MiB).
                        #[cfg(not(debug_assertions))]
                        let i = if op == OP_MOVE_CALL {
                            move_reg!();
                            if HOOKED {
                                continue;
                            }
                            let Some(&next) = code.get(pc) else {
                                return Err(Raise::runtime("internal error: pc out of range"));
                            };
                            pc += 1;
                            next
                        } else {
                            i
                        };
                        #[cfg(not(debug_assertions))]
                        let ra = base + arg_a(i);
                        #[cfg(not(debug_assertions))]
                        macro_rules! ra_call {
                            () => {
                                ra
                            };
                        }
                        #[cfg(debug_assertions)]
                        macro_rules! ra_call {
                            () => {
                                ra!()
                            };
                        }
                        pc -= 1;
                        charge!();
                        pc += 1;
                        let b = arg_b(i);
                        let nargs = if b != 0 {
                            b - 1
                        } else {
                            self.th.top - ra_call!() - 1
                        };
                        let nresults = arg_c(i) as i32 - 1;
                        save_pc!();
                        let flow = match self.th.stack[ra_call!()] {
                            Value::Function(h) => {
                                match self.enter_lua_call(h, ra_call!(), nargs, nresults, false)? {
                                    Callee::Lua {
                                        base: callee_base,
                                        proto: callee_proto,
                                        env: callee_env,
                                    } => {
                                        // Switch to the new frame without leaving the loop.
                                        fi += 1;
                                        (closure, env, base, pc) = (h, callee_env, callee_base, 0);
                                        switch_code!(callee_proto);
                                        continue;
                                    }
                                    Callee::Native(id) => self.call_native(
                                        id,
                                        ra_call!(),
                                        nargs,
                                        nresults,
                                        Cont::Call,
                                    )?,
                                    Callee::Other => {
                                        self.precall(ra_call!(), nargs, nresults, Cont::Call)?
                                    }
                                }
                            }
                            Value::NativeFunction(id) => {
                                self.call_native(id, ra_call!(), nargs, nresults, Cont::Call)?
                            }
                            _ => self.precall(ra_call!(), nargs, nresults, Cont::Call)?,
                        };
                        if flow == Flow::Stop {
                            return Ok(Exit::Returned);
                        }
                        // A native callee has already returned: this frame goes on.
                        resync!();
                    }
                    OP_TAILCALL => {
                        pc -= 1;
                        charge!();
                        pc += 1;
                        let b = arg_b(i);
                        let nargs = if b != 0 {
                            b - 1
                        } else {
                            self.th.top - ra!() - 1
                        };
                        save_pc!();
                        if self.tail_call(fi, ra!(), nargs)? == Flow::Stop {
                            return Ok(Exit::Returned);
                        }
                        // A Lua callee replaced this frame (a new frame, at pc 0; a native
                        // callee has returned into this one, or pushed frames, or switched
                        // threads): run it without restarting the loop, unless hooks or the
                        // fuel need the restart.
                        let same = self.current == thread && self.th.frames.len() == fi + 1;
                        let frame = self.th.frames.get(fi).filter(|_| same && !HOOKED);
                        if let Some(&Frame {
                            pc: 0,
                            base: new_base,
                            lua: Some(lua),
                            ..
                        }) = frame
                        {
                            (closure, env) = (lua.closure, lua.env);
                            (base, pc) = (new_base as usize, 0);
                            switch_code!(lua.proto);
                            fuel = self.fuel;
                            if fuel >= 0 {
                                continue;
                            }
                        }
                        continue 'frame;
                    }
                    OP_RETURN => {
                        let b = arg_b(i);
                        ret!(if b != 0 { b - 1 } else { self.th.top - ra!() });
                    }
                    #[cfg(not(debug_assertions))]
                    OP_RETURN1 => {
                        // `RETURN` of one value (`specialize.rs`): `return x`.
                        ret!(1);
                    }
                    OP_FORLOOP => {
                        let regs = regs!();
                        forloop!(regs, i);
                    }
                    OP_FORPREP => {
                        if !self.forprep_numbers(ra!()) {
                            // Strings convert, anything else is an error.
                            save_pc!();
                            self.op_forprep(ra!())?;
                        }
                        pc = (pc as isize + arg_sbx(i)) as usize;
                    }
                    OP_TFORLOOP => {
                        // The iterator call, charged like `OP_CALL`: a loop over a native
                        // iterator (`for _ in type do end`) has no other charge.
                        pc -= 1;
                        charge!();
                        pc += 1;
                        if !HOOKED {
                            if let Some(more) = self.inline_iteration(ra!(), arg_c(i)) {
                                // As the call's continuation does: on to the `JMP`'s target
                                // (without running the `JMP`), or past it.
                                if more {
                                    pc = (pc as isize + 1 + arg_sbx(code[pc])) as usize;
                                } else {
                                    pc += 1;
                                }
                                continue;
                            }
                        }
                        save_pc!();
                        if self.op_tforloop(ra!(), arg_c(i))? == Flow::Stop {
                            return Ok(Exit::Returned);
                        }
                        // A native iterator has returned and `post_call` moved the pc.
                        resync!();
                    }
                    OP_SETLIST => {
                        let mut c = arg_c(i);
                        if c == 0 {
                            c = code.get(pc).copied().unwrap_or(0) as usize;
                            pc += 1;
                        }
                        save_pc!();
                        self.op_setlist(ra!(), arg_b(i), c)?;
                    }
                    OP_CLOSE => {
                        save_pc!();
                        self.close_upvalues(ra!())?;
                    }
                    OP_CLOSURE => {
                        save_pc!();
                        pc += self.op_closure(closure, arg_bx(i), base, &code[pc..], ra!())?;
                    }
                    OP_VARARG => {
                        // Charged here; the next charge point pauses when it ran out.
                        fuel -= self.op_vararg(fi, base, ra!(), arg_b(i));
                    }
                    // Every other 6-bit value, listed so that the match covers all 64 and the
                    // dispatch needs no range check (a range pattern is lowered as comparisons).
                    #[allow(clippy::manual_range_patterns)]
                    57 | 58 | 59 | 60 | 61 | 62 | 63 => {
                        return Err(unknown_opcode(Instruction(i).op_field()));
                    }
                    other => return Err(unknown_opcode(other)),
                }
            }
        }
    }
}
