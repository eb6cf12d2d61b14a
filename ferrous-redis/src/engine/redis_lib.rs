//! The `redis` table scripts see: `redis.call`, `redis.pcall` and the helpers around them, with
//! Redis 7.0's argument rules and error texts (script_lua.c).
//!
//! Natives reach the engine's per-run state ([`RunState`]) and the host ([`HostSlot`]) through
//! the VM's typed app data: nothing global, nothing shared.

use ferrous_vm::{Ctx, Error, Result, Ret, TableHandle, Value, Vm};

use super::cmdinfo;
use super::convert::{self, Names};
use crate::host::{CallContext, CommandHost};
use crate::reply::Reply;

/// The host, as the VM's app data (a private type, so no one else can take it out).
pub(crate) struct HostSlot<H>(pub(crate) H);

/// What the natives know about the script that runs.
pub(crate) struct RunState {
    /// A script runs (outside one, `redis.call` and friends refuse).
    pub active: bool,
    /// `redis.setresp`: the protocol of replies to `redis.call`.
    pub resp: u8,
    /// The caller's database.
    pub db: usize,
    /// Write commands are refused (`EVAL_RO`, `no-writes`).
    pub read_only: bool,
    /// `allow-oom`.
    pub allow_oom: bool,
    /// A write command ran: the script can no longer be killed.
    pub write_dirty: bool,
    /// Interned field names.
    pub names: Names,
    /// In cluster mode: the script's slot rules (`None` outside cluster mode).
    pub cluster: Option<ClusterRun>,
    /// The argument vectors of the last `redis.call`, kept so the next call reuses their
    /// allocations (a script calls commands in a loop).
    argv: Vec<Vec<u8>>,
}

impl RunState {
    /// The state of a VM with no script running.
    pub(crate) fn new(names: Names) -> RunState {
        RunState {
            active: false,
            resp: 2,
            db: 0,
            read_only: false,
            allow_oom: false,
            write_dirty: false,
            names,
            cluster: None,
            argv: Vec::new(),
        }
    }
}

/// The fields of [`RunState`] one `redis.call` reads, copied in one app-data lookup.
#[derive(Clone, Copy)]
struct CallState {
    resp: u8,
    db: usize,
    read_only: bool,
    allow_oom: bool,
    write_dirty: bool,
    names: Names,
    cluster: Option<ClusterRun>,
}

impl CallState {
    fn of(s: &RunState) -> CallState {
        CallState {
            resp: s.resp,
            db: s.db,
            read_only: s.read_only,
            allow_oom: s.allow_oom,
            write_dirty: s.write_dirty,
            names: s.names,
            cluster: s.cluster,
        }
    }
}

/// What one `redis.call` changes in [`RunState`], written back with the argument pool (one
/// app-data lookup at each end of the call: `redis.call` is the hot path of every script).
#[derive(Default)]
struct CallEffects {
    /// A write command passed the write checks: the script is now dirty.
    dirtied: bool,
    /// The slot of the command's keys, in cluster mode.
    slot: Option<u16>,
}

/// Arguments longer than this are not kept for reuse (a 100 MB `SET` must not pin 100 MB).
const ARGV_KEEP: usize = 64 * 1024;

/// At most this many argument vectors are kept for reuse.
const ARGV_KEEP_COUNT: usize = 64;

/// A script's cluster state (`scriptVerifyClusterState`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct ClusterRun {
    /// `allow-cross-slot-keys`, or a script without a shebang.
    pub allow_cross_slot: bool,
    /// The slot of the keys used so far (the declared keys' slot to begin with).
    pub slot: Option<u16>,
}

/// Redis's log levels (`LL_DEBUG` .. `LL_WARNING`).
const LOG_LEVELS: std::ops::RangeInclusive<f64> = 0.0..=3.0;

/// The `redis.*` functions that run no Lua code and do not look at the call stack
/// (`Vm::mark_leaf`): all but the debugger's. `call`/`pcall` run a command on the host, which
/// does not see the VM.
const LEAVES: &[&str] = &[
    "call",
    "pcall",
    "sha1hex",
    "error_reply",
    "status_reply",
    "log",
    "setresp",
    "set_repl",
    "replicate_commands",
    "acl_check_cmd",
];

/// Creates the `redis` table in `vm`'s globals.
pub(crate) fn open<H: CommandHost + 'static>(vm: &mut Vm) -> Result<TableHandle> {
    let redis = vm.new_table(0, 32)?;
    let functions: [(&'static str, ferrous_vm::NativeFunction); 12] = [
        ("call", redis_call::<H>),
        ("pcall", redis_pcall::<H>),
        ("sha1hex", sha1hex),
        ("error_reply", error_reply),
        ("status_reply", status_reply),
        ("log", log::<H>),
        ("setresp", setresp),
        ("set_repl", set_repl),
        ("replicate_commands", replicate_commands),
        ("breakpoint", breakpoint),
        ("debug", debug),
        ("acl_check_cmd", acl_check_cmd::<H>),
    ];
    for (name, f) in functions {
        let value = vm.native(name, f);
        if LEAVES.contains(&name) {
            vm.mark_leaf(value);
        }
        set_field(vm, redis, name.as_bytes(), value)?;
    }
    let numbers: [(&str, f64); 11] = [
        ("LOG_DEBUG", 0.0),
        ("LOG_VERBOSE", 1.0),
        ("LOG_NOTICE", 2.0),
        ("LOG_WARNING", 3.0),
        ("REPL_NONE", 0.0),
        ("REPL_AOF", 1.0),
        ("REPL_SLAVE", 2.0),
        ("REPL_REPLICA", 2.0),
        ("REPL_ALL", 3.0),
        ("REDIS_VERSION_NUM", f64::from(crate::REDIS_VERSION_NUM)),
        ("", 0.0),
    ];
    for (name, n) in numbers.iter().filter(|(name, _)| !name.is_empty()) {
        set_field(vm, redis, name.as_bytes(), Value::Number(*n))?;
    }
    let version = Value::String(vm.intern(crate::REDIS_VERSION.as_bytes())?);
    set_field(vm, redis, b"REDIS_VERSION", version)?;
    vm.set_global("redis", Value::Table(redis))?;
    Ok(redis)
}

fn set_field(vm: &mut Vm, t: TableHandle, name: &[u8], value: Value) -> Result<()> {
    let key = vm.intern(name)?;
    vm.heap().tx().raw_set_str(t, key, value)?;
    Ok(())
}

fn names(ctx: &Ctx<'_>) -> Result<Names> {
    ctx.app_data::<RunState>()
        .map(|state| state.names)
        .ok_or_else(|| Error::runtime("redis library used outside the script engine"))
}

/// Raises (`raise`) or returns the error table for `text` (`luaPushError` + `luaError`).
pub(crate) fn fail(ctx: &mut Ctx<'_>, text: &[u8], raise: bool, ignore_stats: bool) -> Result<Ret> {
    let names = names(ctx)?;
    let table = convert::error_table(ctx.vm(), &names, text, ignore_stats)?;
    if raise {
        Err(Error::value(table))
    } else {
        ctx.ret(&[table])
    }
}

/// `luaArgsToRedisArgv`: strings as they are, numbers as `%.17g`; into the first entries of
/// `pool`, whose vectors are reused (and which keeps the entries past them for later calls).
/// Returns how many arguments there are.
fn command_args(ctx: &mut Ctx<'_>, pool: &mut Vec<Vec<u8>>) -> Result<usize, &'static [u8]> {
    let n_args = ctx.nargs();
    if n_args == 0 {
        return Err(b"Please specify at least one argument for this redis lib call");
    }
    if pool.len() < n_args {
        pool.resize_with(n_args, Vec::new);
    }
    for (n, arg) in (1..=n_args).zip(pool.iter_mut()) {
        arg.clear();
        match ctx.arg(n) {
            Value::Number(x) => format_argument(x, arg),
            Value::String(s) => arg.extend_from_slice(ctx.vm().str_bytes(s).unwrap_or_default()),
            _ => return Err(b"Lua redis lib command arguments must be strings or integers"),
        }
    }
    Ok(n_args)
}

/// A number as `redis.call` passes it: `%.17g`, which prints integers below 2^53 as plain
/// digits (formatted here without the general float path).
fn format_argument(x: f64, out: &mut Vec<u8>) {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if x.fract() == 0.0 && x.abs() < EXACT && !(x == 0.0 && x.is_sign_negative()) {
        out.extend_from_slice(itoa::Buffer::new().format(x as i64).as_bytes());
    } else {
        ferrous_vm::format_g(x, 17, out);
    }
}

fn redis_call<H: CommandHost + 'static>(ctx: &mut Ctx<'_>) -> Result<Ret> {
    generic_call::<H>(ctx, true)
}

fn redis_pcall<H: CommandHost + 'static>(ctx: &mut Ctx<'_>) -> Result<Ret> {
    generic_call::<H>(ctx, false)
}

/// `luaRedisGenericCommand`: runs one command through the engine's checks and the host.
fn generic_call<H: CommandHost + 'static>(ctx: &mut Ctx<'_>, raise: bool) -> Result<Ret> {
    let taken = ctx
        .app_data_mut::<RunState>()
        .filter(|s| s.active)
        .map(|s| (CallState::of(s), std::mem::take(&mut s.argv)));
    let Some((state, mut pool)) = taken else {
        return fail(
            ctx,
            b"redis.call/pcall can only be called inside a script invocation",
            true,
            false,
        );
    };
    let mut effects = CallEffects::default();
    let result = call_with_args::<H>(ctx, &state, &mut pool, &mut effects, raise);
    pool.truncate(ARGV_KEEP_COUNT);
    pool.retain(|arg| arg.capacity() <= ARGV_KEEP);
    if let Some(s) = ctx.app_data_mut::<RunState>() {
        s.argv = pool;
        s.write_dirty |= effects.dirtied;
        if let (Some(run), Some(slot)) = (s.cluster.as_mut(), effects.slot) {
            run.slot.get_or_insert(slot);
        }
    }
    result
}

/// [`generic_call`] with an argument buffer.
fn call_with_args<H: CommandHost + 'static>(
    ctx: &mut Ctx<'_>,
    state: &CallState,
    pool: &mut Vec<Vec<u8>>,
    effects: &mut CallEffects,
    raise: bool,
) -> Result<Ret> {
    let argv = match command_args(ctx, pool) {
        Ok(n_args) => &pool[..n_args],
        Err(msg) => return fail(ctx, msg, raise, false),
    };
    ctx.charge(argv.iter().map(|a| a.len() as u64 / 16 + 1).sum())?;
    let reply = match check_and_run::<H>(ctx, state, argv, effects) {
        Ok(reply) => reply,
        Err(msg) => {
            if let Some(HostSlot(host)) = ctx.app_data_mut::<HostSlot<H>>() {
                host.command_rejected(argv, &rejection_text(&msg));
            }
            return fail(ctx, msg.as_bytes(), raise, true);
        }
    };
    if let Reply::Error(text) = &reply {
        let mut full = Vec::with_capacity(text.len() + 1);
        full.push(b'-');
        full.extend_from_slice(text);
        return fail(ctx, &full, raise, true);
    }
    // `redis.setresp` may not run between the check and here: the state read at the start holds.
    let value = convert::reply_to_lua(ctx.vm(), &state.names, &reply, state.resp)?;
    ctx.ret(&[value])
}

/// A rejection as the error reply Redis counts (`afterErrorReply`): `-CODE text` loses its
/// dash, any other text gets the `ERR` code.
fn rejection_text(msg: &str) -> Vec<u8> {
    match msg.strip_prefix('-') {
        Some(text) => text.as_bytes().to_vec(),
        None => format!("ERR {msg}").into_bytes(),
    }
}

/// `scriptCall`'s checks, then the host. `Err` is a rejection text (`luaPushError` format).
/// The host is looked up once for the checks and the call, except on a script's first write,
/// which also marks the kill switch (before the cluster check and the call, as Redis does).
fn check_and_run<H: CommandHost + 'static>(
    ctx: &mut Ctx<'_>,
    state: &CallState,
    argv: &[Vec<u8>],
    effects: &mut CallEffects,
) -> Result<Reply, String> {
    let Some(info) = cmdinfo::lookup(argv) else {
        return Err("Unknown Redis command called from script".to_owned());
    };
    if !info.arity_ok(argv.len()) {
        return Err("Wrong number of args calling Redis command from script".to_owned());
    }
    if cmdinfo::noscript(info) {
        return Err("This Redis command is not allowed from script".to_owned());
    }
    let first_write = cmdinfo::write(info) && !state.write_dirty;
    {
        let Some(HostSlot(host)) = ctx.app_data_mut::<HostSlot<H>>() else {
            return Err(
                "redis.call/pcall can only be called inside a script invocation".to_owned(),
            );
        };
        if let Some(denied) = host.acl_denied(argv) {
            return Err(format!(
                "The user executing the script {}",
                denied.message()
            ));
        }
        if state.read_only && cmdinfo::may_write(info) {
            return Err("Write commands are not allowed from read-only scripts.".to_owned());
        }
        if first_write && !host.enough_replicas() {
            return Err("-NOREPLICAS Not enough good replicas to write.".to_owned());
        }
        if !state.allow_oom && !state.write_dirty && cmdinfo::denyoom(info) && host.is_oom() {
            return Err("-OOM command not allowed when used memory > 'maxmemory'.".to_owned());
        }
        if !first_write && state.cluster.is_none() {
            return Ok(run_command(host, state, argv));
        }
    }
    if first_write {
        effects.dirtied = true;
        if let Some(switch) = ctx.app_data::<super::kill::KillSwitch>() {
            switch.set_dirty();
        }
    }
    if let Some(cluster) = state.cluster {
        effects.slot = script_key_slot::<H>(ctx, info, argv, cluster)?;
    }
    let Some(HostSlot(host)) = ctx.app_data_mut::<HostSlot<H>>() else {
        return Err("redis.call/pcall can only be called inside a script invocation".to_owned());
    };
    Ok(run_command(host, state, argv))
}

/// The host runs the command, in the script's database and protocol.
fn run_command<H: CommandHost>(host: &mut H, state: &CallState, argv: &[Vec<u8>]) -> Reply {
    let call = CallContext {
        resp: state.resp,
        db: state.db,
        from_script: true,
    };
    host.call(&call, argv)
}

/// `scriptVerifyClusterState`: the keys of a command run from a script must all be served by
/// this node and share one slot; unless the script allows cross-slot keys, that slot must be
/// the one its keys used so far. Returns the command's slot.
fn script_key_slot<H: CommandHost + 'static>(
    ctx: &Ctx<'_>,
    info: &crate::commands::CommandSpec,
    argv: &[Vec<u8>],
    cluster: ClusterRun,
) -> Result<Option<u16>, String> {
    let mut slot = None;
    for index in crate::commands::keys_of(info, argv) {
        let Some(key) = argv.get(index) else {
            continue;
        };
        let key_slot = crate::commands::key_hash_slot(key);
        if slot.is_some_and(|s| s != key_slot) {
            return Err("Script attempted to access a non local key in a cluster node".to_owned());
        }
        slot = Some(key_slot);
    }
    let Some(slot) = slot else {
        return Ok(None);
    };
    let redirected = ctx
        .app_data::<HostSlot<H>>()
        .is_some_and(|HostSlot(host)| host.slot_redirect(slot).is_some());
    if redirected {
        return Err("Script attempted to access a non local key in a cluster node".to_owned());
    }
    if !cluster.allow_cross_slot && cluster.slot.is_some_and(|s| s != slot) {
        return Err("Script attempted to access keys that do not hash to the same slot".to_owned());
    }
    Ok(Some(slot))
}

/// `redis.sha1hex(s)`.
fn sha1hex(ctx: &mut Ctx<'_>) -> Result<Ret> {
    if ctx.nargs() != 1 {
        return fail(ctx, b"wrong number of arguments", true, false);
    }
    let bytes = match ctx.arg(1) {
        Value::String(_) | Value::Number(_) => ctx.check_bytes(1)?,
        _ => Vec::new(),
    };
    let digest = crate::sha1_hex(&bytes);
    ctx.push_bytes(digest.as_bytes())?;
    Ok(Ret::values(1))
}

/// `redis.error_reply(s)`: `{err = s}`, with `-` and the `ERR` code rules of Redis.
fn error_reply(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let Some(text) = single_string_arg(ctx) else {
        return fail(ctx, b"wrong number or type of arguments", false, false);
    };
    let mut full = text;
    if full.first() != Some(&b'-') {
        full.insert(0, b'-');
    }
    fail(ctx, &full, false, false)
}

/// `redis.status_reply(s)`: `{ok = s}`.
fn status_reply(ctx: &mut Ctx<'_>) -> Result<Ret> {
    if single_string_arg(ctx).is_none() {
        return fail(ctx, b"wrong number or type of arguments", false, false);
    }
    let names = names(ctx)?;
    let t = ctx.vm().new_table(0, 1)?;
    let s = ctx.arg(1);
    ctx.vm().heap().tx().raw_set_str(t, names.ok, s)?;
    ctx.ret(&[Value::Table(t)])
}

/// The one argument of `error_reply`/`status_reply` when it is a string (not a number).
fn single_string_arg(ctx: &mut Ctx<'_>) -> Option<Vec<u8>> {
    match (ctx.nargs(), ctx.arg(1)) {
        (1, Value::String(s)) => Some(ctx.vm().str_bytes(s).ok()?.to_vec()),
        _ => None,
    }
}

/// `redis.log(level, ...)`.
pub(crate) fn log<H: CommandHost + 'static>(ctx: &mut Ctx<'_>) -> Result<Ret> {
    if ctx.nargs() < 2 {
        return fail(
            ctx,
            b"redis.log() requires two arguments or more.",
            true,
            false,
        );
    }
    let Some(level) = ctx.to_number(1) else {
        return fail(
            ctx,
            b"First argument must be a number (log level).",
            true,
            false,
        );
    };
    let level = level.trunc();
    if !LOG_LEVELS.contains(&level) {
        return fail(ctx, b"Invalid debug level.", true, false);
    }
    let mut message = Vec::new();
    for n in 2..=ctx.nargs() {
        if !matches!(ctx.arg(n), Value::String(_) | Value::Number(_)) {
            continue;
        }
        if n != 2 {
            message.push(b' ');
        }
        message.extend_from_slice(&ctx.check_bytes(n)?);
    }
    if let Some(HostSlot(host)) = ctx.app_data_mut::<HostSlot<H>>() {
        host.log(level as u8, &message);
    }
    Ok(Ret::values(0))
}

/// `redis.setresp(2|3)`.
fn setresp(ctx: &mut Ctx<'_>) -> Result<Ret> {
    if ctx.nargs() != 1 {
        return fail(ctx, b"redis.setresp() requires one argument.", true, false);
    }
    let resp = ctx.to_number(1).unwrap_or(0.0).trunc();
    if resp != 2.0 && resp != 3.0 {
        return fail(ctx, b"RESP version must be 2 or 3.", true, false);
    }
    if let Some(state) = ctx.app_data_mut::<RunState>() {
        state.resp = resp as u8;
    }
    Ok(Ret::values(0))
}

/// `redis.set_repl(flags)`: checked, otherwise without effect (no replication here).
fn set_repl(ctx: &mut Ctx<'_>) -> Result<Ret> {
    if ctx.nargs() != 1 {
        return fail(
            ctx,
            b"redis.set_repl() requires two arguments.",
            true,
            false,
        );
    }
    let flags = convert::number_to_integer(ctx.to_number(1).unwrap_or(0.0));
    if flags & !3 != 0 {
        return fail(
            ctx,
            b"Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.",
            true,
            false,
        );
    }
    Ok(Ret::values(0))
}

/// `redis.replicate_commands()`: always true since Redis 7.0.
fn replicate_commands(ctx: &mut Ctx<'_>) -> Result<Ret> {
    ctx.ret(&[Value::Boolean(true)])
}

/// `redis.breakpoint()`: false outside `SCRIPT DEBUG` (which Ferrous does not offer).
fn breakpoint(ctx: &mut Ctx<'_>) -> Result<Ret> {
    ctx.ret(&[Value::Boolean(false)])
}

/// `redis.debug(...)`: nothing outside `SCRIPT DEBUG`.
fn debug(_ctx: &mut Ctx<'_>) -> Result<Ret> {
    Ok(Ret::values(0))
}

/// `redis.acl_check_cmd(cmd, ...)`: whether the calling user may run the command.
fn acl_check_cmd<H: CommandHost + 'static>(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let mut argv = Vec::new();
    if let Err(msg) = command_args(ctx, &mut argv) {
        return fail(ctx, msg, true, false);
    }
    let argv = argv;
    if cmdinfo::lookup(&argv).is_none() {
        return fail(
            ctx,
            b"Invalid command passed to redis.acl_check_cmd()",
            true,
            false,
        );
    }
    let allowed = match ctx.app_data::<HostSlot<H>>() {
        Some(HostSlot(host)) => host.acl_check(&argv),
        None => true,
    };
    ctx.ret(&[Value::Boolean(allowed)])
}
