//! Debug information as 5.1's ldebug.c computes it: positions (`chunk:line:`), variable names
//! for error messages (`local 't'`, `global 'f'`, `field 'x'`, `upvalue 'u'`, `method 'm'`) found by
//! symbolic execution of the bytecode, names of called functions, and tracebacks.

use ferrous_compiler::{Instruction, OpCode, chunk_id};
use ferrous_heap::{ProtoHandle, Value};

use crate::error::Raise;
use crate::thread::Frame;
use crate::vm::Vm;

/// 5.1's `LEVELS1`/`LEVELS2`: a long traceback shows the first 12 and the last 10 levels.
const LEVELS1: usize = 12;
const LEVELS2: usize = 10;

/// Decoded fields of one instruction, as ldebug.c reads them.
#[derive(Clone, Copy)]
struct Ins {
    op: u32,
    a: u32,
    b: u32,
    c: u32,
    bx: u32,
    sbx: i32,
}

impl Ins {
    fn decode(word: u32) -> Ins {
        let ins = Instruction(word);
        Ins {
            op: ins.op_field(),
            a: ins.a(),
            b: ins.b(),
            c: ins.c(),
            bx: ins.bx(),
            sbx: ins.sbx(),
        }
    }
}

/// Whether the opcode writes register A (`testAMode` in lopcodes.c).
fn sets_a(op: u32) -> bool {
    OpCode::from_u8(op as u8).is_some_and(OpCode::sets_a)
}

impl Vm {
    /// The `chunk:line:` prefix for the frame `level` levels below the top (0 = the running one),
    /// or nothing when that frame is not a Lua function or has no line (`luaL_where`).
    pub(crate) fn where_(&self, level: usize) -> Vec<u8> {
        self.position(level, false)
    }

    /// The prefix of a runtime error raised by the running instruction (`luaG_runerror`'s
    /// `addinfo`): like [`Vm::where_`], but a Lua function without line info (a stripped binary
    /// chunk) still gets one, with line 0.
    pub(crate) fn runtime_where(&self) -> Vec<u8> {
        self.position(0, true)
    }

    fn position(&self, level: usize, line_zero: bool) -> Vec<u8> {
        let Some(Some(idx)) = self.level_frame(level) else {
            return Vec::new();
        };
        match self.frame_line(&self.th.frames[idx]) {
            // A stripped binary chunk has no lines: `luaL_where` tests `currentline > 0`.
            Some((source, line)) if line > 0 || line_zero => {
                let mut out = source;
                out.extend_from_slice(format!(":{line}: ").as_bytes());
                out
            }
            _ => Vec::new(),
        }
    }

    /// `lua_getstack`: the frame at stack level `level` (0 = the running function). Each tail call
    /// a frame replaced is a level of its own: `Some(None)` is such a lost level, `None` a level
    /// deeper than the stack.
    pub(crate) fn level_frame(&self, level: usize) -> Option<Option<usize>> {
        level_frame_in(&self.th.frames, level)
    }

    /// The source (`@user_script`, as `debug.getinfo(...).source`) and current line of the
    /// innermost Lua frame of the running thread: where an error escaping to the host happened.
    pub(crate) fn innermost_lua_location(&self) -> Option<crate::api::ErrorLocation> {
        self.lua_location(1)
    }

    /// [`Vm::innermost_lua_location`] of a paused script: its innermost frame stopped before
    /// the instruction at its saved pc (a charge point), not after one (`back` = 0).
    pub(crate) fn lua_location(&self, back: usize) -> Option<crate::api::ErrorLocation> {
        self.th.frames.iter().rev().find_map(|frame| {
            let lua = frame.lua.as_ref()?;
            let proto = self.heap.proto(lua.proto).ok()?;
            let pc = (frame.pc as usize).saturating_sub(back);
            let line = proto.line_info.get(pc).copied().unwrap_or(0);
            let source = self.heap.str_bytes(proto.source).ok()?.to_vec();
            Some(crate::api::ErrorLocation { source, line })
        })
    }

    /// The short source name and current line of a Lua frame.
    pub(crate) fn frame_line(&self, frame: &Frame) -> Option<(Vec<u8>, u32)> {
        let lua = frame.lua.as_ref()?;
        let proto = self.heap.proto(lua.proto).ok()?;
        let pc = (frame.pc as usize).saturating_sub(1);
        let line = proto.line_info.get(pc).copied().unwrap_or(0);
        Some((self.short_src(lua.proto), line))
    }

    /// `short_src` of a prototype (`luaO_chunkid` of its source).
    pub(crate) fn short_src(&self, proto: ProtoHandle) -> Vec<u8> {
        match self.heap.proto(proto) {
            Ok(p) => chunk_id(self.heap.str_bytes(p.source).unwrap_or(b"?")),
            Err(_) => b"?".to_vec(),
        }
    }

    /// `luaL_argerror`'s text: `bad argument #n to 'name' (msg)`, counting `self` out for methods.
    pub(crate) fn arg_error_text(&self, narg: u32, msg: &[u8]) -> Vec<u8> {
        let top = self.th.frames.len().saturating_sub(1);
        let (kind, name) = self.called_name(top);
        // Signed as in C: a method's argument 0 (`luaL_argerror(L, 0, ...)`) is `#-1`.
        let mut narg = i64::from(narg);
        let mut out = Vec::new();
        if kind == Some("method") {
            narg -= 1;
            if narg == 0 {
                out.extend_from_slice(b"calling '");
                out.extend_from_slice(&name);
                out.extend_from_slice(b"' on bad self (");
                out.extend_from_slice(msg);
                out.push(b')');
                return out;
            }
        }
        let name = if kind.is_some() { name } else { b"?".to_vec() };
        out.extend_from_slice(format!("bad argument #{narg} to '").as_bytes());
        out.extend_from_slice(&name);
        out.extend_from_slice(b"' (");
        out.extend_from_slice(msg);
        out.push(b')');
        out
    }

    /// `getfuncname`: how the function of frame `idx` was named at its call site
    /// (`global`, `local`, `method`, `field`, `upvalue`), when the caller is a Lua function.
    pub(crate) fn called_name(&self, idx: usize) -> (Option<&'static str>, Vec<u8>) {
        self.called_name_in(&self.th.frames, idx)
    }

    /// [`Vm::called_name`] on any thread's frames.
    pub(crate) fn called_name_in(
        &self,
        frames: &[Frame],
        idx: usize,
    ) -> (Option<&'static str>, Vec<u8>) {
        let Some(frame) = frames.get(idx) else {
            return (None, Vec::new());
        };
        if frame.tailcalls > 0 || idx == 0 {
            return (None, Vec::new());
        }
        let caller = &frames[idx - 1];
        if frame.cont != crate::thread::Cont::Call && frame.cont != crate::thread::Cont::ForIter {
            return (None, Vec::new());
        }
        let Some(lua) = &caller.lua else {
            return (None, Vec::new());
        };
        let pc = caller.pc.saturating_sub(1) as usize;
        let Some(&word) = self.code_of(lua).get(pc) else {
            return (None, Vec::new());
        };
        let ins = Ins::decode(word);
        if ins.op == OpCode::Call as u32
            || ins.op == OpCode::TailCall as u32
            || ins.op == OpCode::TForLoop as u32
        {
            self.obj_name(caller, ins.a)
        } else {
            (None, Vec::new())
        }
    }

    /// `getobjname`: what register `reg` of a Lua frame holds, as a kind and a name.
    pub(crate) fn obj_name(&self, frame: &Frame, reg: u32) -> (Option<&'static str>, Vec<u8>) {
        let mut reg = reg;
        // Following MOVEs is a loop here (the C code recurses).
        loop {
            let Some(lua) = &frame.lua else {
                return (None, Vec::new());
            };
            let Ok(proto) = self.heap.proto(lua.proto) else {
                return (None, Vec::new());
            };
            let pc = frame.pc.saturating_sub(1);
            if let Some(name) = self.local_name(lua.proto, reg + 1, pc) {
                return (Some("local"), name);
            }
            let nups = |bx: u32| {
                proto
                    .protos
                    .get(bx as usize)
                    .and_then(|child| self.heap.proto(*child).ok())
                    .map_or(0, |child| usize::from(child.num_upvalues))
            };
            let ins = Ins::decode(symbexec(&proto.code, pc as usize, reg, nups));
            let constant_name = |idx: u32| -> Vec<u8> {
                match proto.constants.get(idx as usize) {
                    Some(Value::String(s)) => self.heap.str_bytes(*s).unwrap_or(b"?").to_vec(),
                    _ => b"?".to_vec(),
                }
            };
            let rk_name = |c: u32| -> Vec<u8> {
                if c & 256 != 0 {
                    constant_name(c & 255)
                } else {
                    b"?".to_vec()
                }
            };
            let op = ins.op;
            if op == OpCode::GetGlobal as u32 {
                return (Some("global"), constant_name(ins.bx));
            } else if op == OpCode::Move as u32 {
                if ins.b < ins.a {
                    reg = ins.b;
                    continue;
                }
            } else if op == OpCode::GetTable as u32 {
                return (Some("field"), rk_name(ins.c));
            } else if op == OpCode::GetUpval as u32 {
                let name = proto
                    .upvalue_names
                    .get(ins.b as usize)
                    .and_then(|s| self.heap.str_bytes(*s).ok())
                    .unwrap_or(b"?")
                    .to_vec();
                return (Some("upvalue"), name);
            } else if op == OpCode::OpSelf as u32 {
                return (Some("method"), rk_name(ins.c));
            }
            return (None, Vec::new());
        }
    }

    /// `luaF_getlocalname`: the name of the `local_number`-th active local at `pc`.
    pub(crate) fn local_name(
        &self,
        proto: ProtoHandle,
        local_number: u32,
        pc: u32,
    ) -> Option<Vec<u8>> {
        let proto = self.heap.proto(proto).ok()?;
        let mut n = local_number;
        for var in proto.local_vars.iter() {
            if var.start_pc > pc {
                break;
            }
            if pc < var.end_pc {
                n -= 1;
                if n == 0 {
                    return self.heap.str_bytes(var.name).ok().map(<[u8]>::to_vec);
                }
            }
        }
        None
    }

    /// `luaG_typeerror`: `attempt to OP KIND 'NAME' (a TYPE value)`, naming the register when the
    /// operand is one.
    pub(crate) fn type_error(&self, reg: Option<u32>, value: Value, op: &str) -> Raise {
        let t = crate::value::type_name(value);
        if let (Some(reg), Some(frame)) = (reg, self.th.frames.last()) {
            if let (Some(kind), name) = self.obj_name(frame, reg) {
                let mut msg = format!("attempt to {op} {kind} '").into_bytes();
                msg.extend_from_slice(&name);
                msg.extend_from_slice(format!("' (a {t} value)").as_bytes());
                return Raise::Runtime(msg);
            }
        }
        Raise::Runtime(format!("attempt to {op} a {t} value").into_bytes())
    }

    /// `luaG_ordererror`.
    pub(crate) fn order_error(&self, a: Value, b: Value) -> Raise {
        let (t1, t2) = (crate::value::type_name(a), crate::value::type_name(b));
        if t1 == t2 {
            Raise::runtime(format!("attempt to compare two {t1} values"))
        } else {
            Raise::runtime(format!("attempt to compare {t1} with {t2}"))
        }
    }

    /// `stack traceback:` as lua5.1's `debug.traceback` prints it for a thread's `frames`,
    /// from stack level `level` down (level 0 is the innermost frame).
    pub(crate) fn traceback_of(&self, frames: &[Frame], level: usize) -> String {
        self.traceback_levels(frames, level, 0)
    }

    /// The traceback lua5.1's standalone interpreter prints for an uncaught error raised by the
    /// running function: its handler calls `debug.traceback(msg, 2)` from two levels above the
    /// error, which decides where the `...` cut falls.
    pub(crate) fn error_traceback(&self) -> String {
        self.traceback_levels(&self.th.frames, 0, 2)
    }

    /// `db_errorfb`: the levels from `skip` down, where level `j` of this stack is level
    /// `j + offset` of the stack `db_errorfb` walks; levels past the first `LEVELS1` are cut to the
    /// last `LEVELS2` when there are more than `LEVELS2` of them left. The bottom `[C]: ?` line
    /// is left to the caller.
    fn traceback_levels(&self, frames: &[Frame], skip: usize, offset: usize) -> String {
        let mut out = String::from("stack traceback:");
        // Every stack level, innermost first: a frame, then the tail calls it replaced.
        let mut levels: Vec<Option<usize>> = Vec::new();
        for (idx, frame) in frames.iter().enumerate().rev() {
            levels.push(Some(idx));
            if frame.lua.is_some() {
                levels.extend(std::iter::repeat_n(None, frame.tailcalls as usize));
            }
        }
        // One level more than the frames: the host's C function below the first frame, whose
        // `[C]: ?` line the callers print.
        let last = levels.len() + offset;
        let mut abs = skip + offset;
        let mut first_part = true;
        while abs < last {
            if abs >= LEVELS1 && first_part {
                first_part = false;
                if abs + LEVELS2 < last {
                    out.push_str("\n\t...");
                    abs = last + 1 - LEVELS2;
                }
                continue;
            }
            out.push_str("\n\t");
            match levels[abs - offset] {
                Some(idx) => out.push_str(&self.frame_description(frames, idx)),
                None => out.push_str("(tail call): ?"),
            }
            abs += 1;
        }
        out
    }

    /// One traceback line for frame `idx`.
    fn frame_description(&self, frames: &[Frame], idx: usize) -> String {
        let frame = &frames[idx];
        let mut out = String::new();
        match self.frame_line(frame) {
            Some((src, line)) => {
                out.push_str(&String::from_utf8_lossy(&src));
                out.push(':');
                if line > 0 {
                    out.push_str(&format!("{line}:"));
                }
            }
            None => out.push_str("[C]:"),
        }
        let (kind, name) = self.called_name_in(frames, idx);
        if kind.is_some() {
            out.push_str(&format!(
                " in function '{}'",
                String::from_utf8_lossy(&name)
            ));
        } else if let Some(lua) = &frame.lua {
            let line_defined = self.heap.proto(lua.proto).map_or(0, |p| p.line_defined);
            if line_defined == 0 {
                out.push_str(" in main chunk");
            } else {
                out.push_str(&format!(
                    " in function <{}:{}>",
                    String::from_utf8_lossy(&self.short_src(lua.proto)),
                    line_defined
                ));
            }
        } else {
            out.push_str(" ?");
        }
        out
    }
}

/// [`Vm::level_frame`] on any thread's frames.
pub(crate) fn level_frame_in(frames: &[Frame], level: usize) -> Option<Option<usize>> {
    let mut level = level as i64;
    let mut idx = frames.len();
    while level > 0 && idx > 0 {
        idx -= 1;
        level -= 1;
        let frame = &frames[idx];
        if frame.lua.is_some() {
            level -= i64::from(frame.tailcalls);
        }
    }
    if level == 0 && idx > 0 {
        Some(Some(idx - 1))
    } else if level < 0 {
        Some(None)
    } else {
        None
    }
}

/// `symbexec` reduced to what naming needs: the last instruction before `lastpc` that changed
/// register `reg`, following forward jumps that do not skip `lastpc`. The code comes from our own
/// compiler, so the verification half of the C function is not needed.
fn symbexec(code: &[u32], lastpc: usize, reg: u32, nups: impl Fn(u32) -> usize) -> u32 {
    let mut last = code.len().saturating_sub(1);
    let mut pc = 0usize;
    while pc < lastpc && pc < code.len() {
        let ins = Ins::decode(code[pc]);
        let op = ins.op;
        if sets_a(op) && ins.a == reg {
            last = pc;
        }
        if op == OpCode::LoadNil as u32 {
            if ins.a <= reg && reg <= ins.b {
                last = pc;
            }
        } else if op == OpCode::OpSelf as u32 {
            if reg == ins.a + 1 {
                last = pc;
            }
        } else if op == OpCode::TForLoop as u32 {
            if reg >= ins.a + 2 {
                last = pc;
            }
        } else if op == OpCode::ForLoop as u32
            || op == OpCode::ForPrep as u32
            || op == OpCode::Jmp as u32
        {
            let dest = pc as i64 + 1 + i64::from(ins.sbx);
            if (pc as i64) < dest && dest <= lastpc as i64 {
                pc = (pc as i64 + i64::from(ins.sbx)) as usize;
            }
        } else if op == OpCode::Call as u32 || op == OpCode::TailCall as u32 {
            if reg >= ins.a {
                last = pc;
            }
        } else if op == OpCode::SetList as u32 {
            if ins.c == 0 {
                pc += 1;
            }
        } else if op == OpCode::Closure as u32 {
            // Do not "execute" the upvalue pseudo-instructions that follow.
            pc += nups(ins.bx);
        }
        pc += 1;
    }
    code.get(last).copied().unwrap_or(0)
}
