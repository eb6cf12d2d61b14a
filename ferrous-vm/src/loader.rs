//! The loader: turns a `CompiledModule` into prototypes on the heap and a closure over them.
//! Source and binary chunks reach it through `binary.rs` (`Vm::load_chunk`).
//!
//! The module's string table is interned once; constants, names and the chunk name then refer
//! to the interned handles. Every instruction is decoded once here, so the interpreter never
//! meets an unknown opcode from a module (it still reports one as an error, never a default).
//!
//! Invariant: every module is verified (`ferrous_compiler::verify`) before anything of it
//! reaches the heap, so the interpreter's unchecked indexing (constants, register window, code
//! after a test) stays in bounds for hand-built and binary modules too.
//! Invariant: a loaded prototype's constants are `nil`, booleans, numbers and interned strings,
//! and its nested prototypes are loaded before it (the module's tree is walked iteratively, so a
//! deeply nested module cannot overflow the Rust stack).

use std::rc::Rc;

use ferrous_compiler::{CompiledModule, Constant, OpCode, Proto};
use ferrous_heap::{
    Function, LocalVar, LuaClosure, ProtoHandle, Prototype, StringHandle, UpValue, UpValueList,
    Value,
};

use crate::error::{Raise, RaiseResult};
use crate::vm::Vm;

impl Vm {
    /// Loads a compiled module and returns its main function.
    ///
    /// The module is verified first (`ferrous_compiler::verify`): a module that could make the
    /// interpreter index outside its registers, constants, upvalues, prototypes or code is
    /// refused with `bad code in loaded module: ...`, whoever built it.
    ///
    /// When the heap is at its memory cap, the garbage is collected and the load tried once
    /// more before `not enough memory` is reported: a failed load leaves only unreachable
    /// objects, and its caller (the host, or `load`/`loadstring`/`require`, whose arguments are
    /// on the stack) holds no handle the collector cannot see.
    pub fn load_module(&mut self, module: &CompiledModule) -> crate::Result<Value> {
        self.load_verified(module).map_err(|e| self.host_error(e))
    }

    /// [`Vm::load_module`] for the VM's own loaders.
    pub(crate) fn load_verified(&mut self, module: &CompiledModule) -> RaiseResult<Value> {
        if let Err(e) = ferrous_compiler::verify(module) {
            return Err(Raise::runtime(format!("bad code in loaded module: {e}")));
        }
        match self.load_module_once(module) {
            Err(Raise::OutOfMemory) => {
                self.collect_garbage();
                self.load_module_once(module)
            }
            res => res,
        }
    }

    fn load_module_once(&mut self, module: &CompiledModule) -> RaiseResult<Value> {
        let mut strings = Vec::with_capacity(module.strings.len());
        for s in &module.strings {
            strings.push(self.intern(s)?);
        }
        let main = self.load_proto_tree(&module.main, &strings)?;
        // As `lua_load`: the chunk's environment is the running thread's global table.
        let env = self.thread_globals();
        let shape = self.heap.proto(main)?.call_shape();
        // As `f_parser`: a main function with upvalues (a dumped inner function) gets fresh
        // closed ones, holding nil.
        let mut tx = self.heap.tx();
        let mut upvalues = Vec::with_capacity(usize::from(shape.num_upvalues));
        for _ in 0..shape.num_upvalues {
            upvalues.push(tx.new_upvalue(UpValue::Closed(Value::Nil))?);
        }
        let f = tx.new_function(Function::Lua(LuaClosure {
            proto: main,
            shape,
            upvalues: UpValueList::from(&upvalues[..]),
            env,
        }))?;
        Ok(Value::Function(f))
    }

    /// Loads `root` and its nested prototypes, children first, without recursion.
    fn load_proto_tree(
        &mut self,
        root: &Proto,
        strings: &[StringHandle],
    ) -> RaiseResult<ProtoHandle> {
        // Post-order walk: (proto, loaded children so far).
        let mut stack: Vec<(&Proto, Vec<ProtoHandle>)> = vec![(root, Vec::new())];
        loop {
            let Some((proto, children)) = stack.last_mut() else {
                return Err(Raise::runtime("internal error: empty loader stack"));
            };
            if children.len() < proto.protos.len() {
                let child = &proto.protos[children.len()];
                stack.push((child, Vec::new()));
                continue;
            }
            let Some((proto, children)) = stack.pop() else {
                return Err(Raise::runtime("internal error: empty loader stack"));
            };
            let handle = self.load_proto(proto, children, strings)?;
            match stack.last_mut() {
                Some((_, siblings)) => siblings.push(handle),
                None => return Ok(handle),
            }
        }
    }

    fn load_proto(
        &mut self,
        proto: &Proto,
        children: Vec<ProtoHandle>,
        strings: &[StringHandle],
    ) -> RaiseResult<ProtoHandle> {
        let string = |idx: ferrous_compiler::StrIdx| -> RaiseResult<StringHandle> {
            strings
                .get(idx.0 as usize)
                .copied()
                .ok_or_else(|| Raise::runtime("internal error: bad string index"))
        };
        let mut code = Vec::with_capacity(proto.code.len());
        let mut words = proto.code.iter();
        while let Some(ins) = words.next() {
            let op = ins
                .opcode()
                .map_err(|e| Raise::runtime(format!("invalid bytecode: {e}")))?;
            code.push(ins.0);
            if op == OpCode::SetList && ins.c() == 0 {
                // `SETLIST` with C = 0 takes its block number from the next word, which is not
                // an instruction (`luaK_setlist` with more than `MAXARG_C` blocks).
                match words.next() {
                    Some(block) if block.0 != 0 => code.push(block.0),
                    _ => return Err(Raise::runtime("invalid bytecode: SETLIST without block")),
                }
            }
        }
        let mut constants = Vec::with_capacity(proto.constants.len());
        for k in &proto.constants {
            constants.push(match *k {
                Constant::Nil => Value::Nil,
                Constant::Boolean(b) => Value::Boolean(b),
                Constant::Number(n) => Value::Number(n),
                Constant::String(idx) => Value::String(string(idx)?),
            });
        }
        let mut local_vars = Vec::with_capacity(proto.local_vars.len());
        for var in &proto.local_vars {
            local_vars.push(LocalVar {
                name: string(var.name)?,
                start_pc: var.start_pc,
                end_pc: var.end_pc,
            });
        }
        let mut upvalue_names = Vec::with_capacity(proto.upvalue_names.len());
        for name in &proto.upvalue_names {
            upvalue_names.push(string(*name)?);
        }
        let child_upvalues: Vec<u8> = proto.protos.iter().map(|p| p.num_upvalues).collect();
        let exec = crate::specialize::exec_code(&code, &constants, &child_upvalues);
        let prototype = Prototype {
            code: Rc::from(code),
            exec: Rc::from(exec),
            constants: Rc::from(constants),
            protos: children.into_boxed_slice(),
            num_upvalues: proto.num_upvalues,
            num_params: proto.num_params,
            is_vararg: proto.is_vararg,
            max_stack_size: proto.max_stack_size,
            source: string(proto.source)?,
            line_defined: proto.line_defined,
            last_line_defined: proto.last_line_defined,
            line_info: Rc::from(proto.line_info.clone()),
            local_vars: local_vars.into_boxed_slice(),
            upvalue_names: upvalue_names.into_boxed_slice(),
        };
        Ok(self.heap.tx().new_proto(prototype)?)
    }
}
