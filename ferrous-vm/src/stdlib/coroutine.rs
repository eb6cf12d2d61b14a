//! The `coroutine` library (lbaselib.c's co-routine half): `create`, `resume`, `yield`,
//! `status`, `wrap`, `running`. Switching threads is done by the interpreter loop
//! (`coswitch.rs`); these natives check arguments and ask for the switch.

use ferrous_heap::{Function, NativeClosure, NativeFn, Thread, ThreadHandle, Value};

use crate::error::{Error, Result};
use crate::native::{Ctx, ResumeRequest, Ret, RetKind};
use crate::thread::{CoStatus, ThreadState};
use crate::vm::Vm;

pub(crate) fn open(vm: &mut Vm) -> Result<()> {
    let lib = super::new_lib(
        vm,
        "coroutine",
        &[
            ("create", create),
            ("resume", resume),
            ("running", running),
            ("status", status),
            ("wrap", wrap),
            ("yield", yield_),
        ],
    )?;
    let wrap_aux = vm.natives.register("wrap", wrap_aux);
    vm.set_app_data(CoroutineState { wrap_aux });
    let key = vm.intern(b"yield")?;
    if let Value::NativeFunction(yield_id) = vm.heap.raw_get_str(lib, key)? {
        vm.switch_natives = [wrap_aux, yield_id];
    }
    Ok(())
}

/// The coroutine library's per-VM state (app data): the native behind `coroutine.wrap`'s
/// functions.
struct CoroutineState {
    wrap_aux: NativeFn,
}

impl Vm {
    /// The status of a coroutine as `coroutine.status` names it.
    pub(crate) fn co_status(&self, co: ThreadHandle) -> CoStatus {
        if co == self.current {
            return CoStatus::Running;
        }
        self.thread_state(co)
            .map_or(CoStatus::Normal, |state| state.status)
    }
}

fn new_coroutine(ctx: &mut Ctx<'_>) -> Result<ThreadHandle> {
    let f = ctx.arg(1);
    let is_lua = match f {
        Value::Function(h) => matches!(ctx.vm.heap.function(h)?, Function::Lua(_)),
        _ => false,
    };
    if !is_lua {
        return Err(Error::arg(1, "Lua function expected"));
    }
    let mut state = ThreadState::new();
    state.stack[0] = f;
    state.top = 1;
    // As `lua_newthread`: the new thread shares its creator's global table.
    state.globals = Some(ctx.vm.thread_globals());
    let co = ctx.vm.heap.tx().new_thread(Thread {
        payload: Some(Box::new(state)),
    })?;
    Ok(co)
}

fn create(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let co = new_coroutine(ctx)?;
    ctx.ret(&[Value::Thread(co)])
}

fn check_co(ctx: &Ctx<'_>) -> Result<ThreadHandle> {
    match ctx.arg(1) {
        Value::Thread(co) => Ok(co),
        _ => Err(Error::arg(1, "coroutine expected")),
    }
}

fn resume(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let co = check_co(ctx)?;
    let status = ctx.vm.co_status(co);
    if status != CoStatus::Suspended {
        let msg = format!("cannot resume {} coroutine", status.name());
        let msg = ctx.vm.message_value(msg.as_bytes());
        return ctx.ret(&[Value::Boolean(false), msg]);
    }
    Ok(Ret(RetKind::Resume(ResumeRequest {
        thread: co,
        wrap: false,
    })))
}

/// `coroutine.yield`. Never called: `call_native` hands it to `Vm::switch_native`, which does
/// the same without a `Ctx`; this is its entry in the registry of natives.
fn yield_(ctx: &mut Ctx<'_>) -> Result<Ret> {
    Ok(Ret(RetKind::Yield(ctx.nargs())))
}

fn status(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let co = check_co(ctx)?;
    let name = ctx.vm.co_status(co).name();
    ctx.push_bytes(name.as_bytes())?;
    Ok(Ret::values(1))
}

fn running(ctx: &mut Ctx<'_>) -> Result<Ret> {
    if ctx.vm.current == ctx.vm.main_thread {
        return ctx.ret(&[Value::Nil]);
    }
    let co = ctx.vm.current;
    ctx.ret(&[Value::Thread(co)])
}

fn wrap(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let co = new_coroutine(ctx)?;
    let env = ctx.vm.globals;
    let Some(id) = ctx.app_data::<CoroutineState>().map(|state| state.wrap_aux) else {
        return Err(Error::runtime("internal error: coroutine library state"));
    };
    let f = ctx
        .vm
        .heap
        .tx()
        .new_function(Function::Native(NativeClosure {
            id,
            upvalues: Box::new([Value::Thread(co)]),
            env,
        }))?;
    ctx.ret(&[Value::Function(f)])
}

/// The functions `coroutine.wrap` returns. Never called either (`Vm::switch_native`).
fn wrap_aux(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let Value::Thread(co) = ctx.upvalue(0)? else {
        return Err(Error::runtime("internal error: wrap without coroutine"));
    };
    // The status ("cannot resume dead coroutine") is checked by `Vm::resume_thread` on the
    // state it takes out of the heap anyway: one heap lookup and downcast instead of two.
    Ok(Ret(RetKind::Resume(ResumeRequest {
        thread: co,
        wrap: true,
    })))
}
