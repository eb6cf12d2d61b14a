//! The script engine: one long-lived VM in Redis's sandbox, the script cache, and Redis 7.0's
//! `EVAL`/`EVALSHA`/`EVAL_RO`/`EVALSHA_RO`/`SCRIPT` semantics, run in slices so a server stays
//! responsive (`BUSY`, `SCRIPT KILL`).
//!
//! - `sandbox.rs`: the environment (globals, libraries, protections).
//! - `redis_lib.rs`: the `redis` table (`redis.call` reaches the host).
//! - `convert.rs`: Lua values <-> [`Reply`].
//! - `shebang.rs`: `#!lua flags=...`; `cache.rs`: scripts by SHA1; `eval.rs`: the commands.
//! - `cmdinfo.rs`: what the checks of `redis.call` need to know about a command.
//!
//! Functions (`FCALL`, `FUNCTION ...`, in `crate::functions`) run in a second VM of their own.
//!
//! Invariant: the host lives in the app data of exactly one of the two VMs as a
//! [`redis_lib::HostSlot`] from construction on (it moves to the VM about to run code); the
//! type is private to the crate, so nothing outside can take it out.

mod cache;
mod cmdinfo;
pub(crate) mod convert;
pub(crate) mod eval;
mod kill;
pub(crate) mod redis_lib;
pub(crate) mod sandbox;
pub(crate) mod shebang;

use std::marker::PhantomData;
use std::time::{Duration, Instant};

use ferrous_vm::Vm;

use self::cache::ScriptCache;
use self::convert::Names;
use self::redis_lib::{HostSlot, RunState};
use crate::functions::FunctionStore;
use crate::host::{CallContext, CommandHost};
use crate::reply::Reply;

pub use self::kill::KillSwitch;
pub use self::shebang::ScriptFlags;

/// The engine's settings.
#[derive(Clone, Debug)]
pub struct EngineConfig {
    /// `busy-reply-threshold` (alias `lua-time-limit`): after this long a running script makes
    /// other clients get `BUSY` and may be killed with `SCRIPT KILL`.
    pub busy_reply_threshold: Duration,
    /// The memory cap of each Lua heap (`EVAL`'s and the functions'), in bytes (`None`:
    /// unbounded).
    pub memory_limit: Option<usize>,
    /// Fuel of one slice of execution (about one unit per loop iteration or call): how often
    /// the engine regains control to check the clock and kill requests.
    pub slice_fuel: u64,
    /// At most this many scripts seen only through `EVAL` stay cached.
    pub eval_cache_scripts: usize,
    /// At most this many bytes of such scripts stay cached.
    pub eval_cache_bytes: usize,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            busy_reply_threshold: Duration::from_millis(5000),
            memory_limit: Some(1 << 30),
            slice_fuel: 100_000,
            eval_cache_scripts: 500,
            eval_cache_bytes: 64 << 20,
        }
    }
}

/// Why an engine could not be created.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The sandbox could not be built (out of memory while opening the libraries).
    #[error("the script sandbox could not be built: {0}")]
    Setup(String),
}

/// Where a sliced command stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Poll {
    /// The command finished with this reply.
    Done(Reply),
    /// A script is still running: call [`ScriptEngine::resume`] again.
    Running,
}

/// What runs: an `EVAL` script or a function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RunKind {
    /// `EVAL`/`EVALSHA` (and their `_RO` forms), in the engine's VM.
    Eval,
    /// `FCALL`/`FCALL_RO`, in the functions VM.
    Function,
}

/// What errors call a running script (`script: <name>`).
pub(crate) enum ScriptName {
    /// An `EVAL` script's SHA1.
    Sha([u8; 40]),
    /// A function's name.
    Function(Vec<u8>),
}

impl ScriptName {
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            ScriptName::Sha(sha) => sha,
            ScriptName::Function(name) => name,
        }
    }
}

/// A script that has started and not finished.
pub(crate) struct Running {
    /// Its SHA1 or function name.
    pub(crate) name: ScriptName,
    pub(crate) kind: RunKind,
    /// The command that started a function (`FUNCTION STATS`); empty for `EVAL`.
    pub(crate) command: Vec<Vec<u8>>,
    pub(crate) started: Instant,
}

/// Redis 7.0's scripting over a host `H` (the keyspace `redis.call` reaches).
pub struct ScriptEngine<H: CommandHost + 'static> {
    vm: Vm,
    cache: ScriptCache,
    pub(crate) config: EngineConfig,
    pub(crate) running: Option<Running>,
    names: Names,
    pub(crate) functions: FunctionStore,
    kill: KillSwitch,
    /// Which VM holds the host's `HostSlot` (the kind of script placed last).
    host_kind: RunKind,
    host: PhantomData<H>,
}

impl<H: CommandHost + 'static> ScriptEngine<H> {
    /// An engine with the default configuration.
    pub fn new(host: H) -> Result<Self, EngineError> {
        Self::with_config(host, EngineConfig::default())
    }

    /// An engine with `config`.
    pub fn with_config(host: H, config: EngineConfig) -> Result<Self, EngineError> {
        let setup = |e: ferrous_vm::Error| EngineError::Setup(e.to_string());
        let mut vm = sandbox::build::<H>(config.memory_limit).map_err(setup)?;
        let names = Names::new(&mut vm).map_err(setup)?;
        let functions = FunctionStore::new::<H>(config.memory_limit).map_err(setup)?;
        vm.set_app_data(HostSlot(host));
        vm.set_app_data(RunState::new(names));
        let mut functions = functions;
        let kill = KillSwitch::default();
        kill.install(&mut vm);
        kill.install(&mut functions.vm);
        Ok(ScriptEngine {
            vm,
            cache: ScriptCache::default(),
            config,
            running: None,
            names,
            functions,
            kill,
            host_kind: RunKind::Eval,
            host: PhantomData,
        })
    }

    /// The host.
    pub fn host(&self) -> &H {
        let vm = match self.host_kind {
            RunKind::Eval => &self.vm,
            RunKind::Function => &self.functions.vm,
        };
        match vm.app_data::<HostSlot<H>>() {
            Some(HostSlot(host)) => host,
            None => unreachable!("the host is set at construction and only moves between VMs"),
        }
    }

    /// The host, mutably (to run commands outside scripts, or to change its settings).
    pub fn host_mut(&mut self) -> &mut H {
        // One lookup where the host is (it runs with the last kind of script placed).
        let vm = match self.host_kind {
            RunKind::Eval => &mut self.vm,
            RunKind::Function => &mut self.functions.vm,
        };
        match vm.app_data_mut::<HostSlot<H>>() {
            Some(HostSlot(host)) => host,
            None => unreachable!("the host is set at construction and only moves between VMs"),
        }
    }

    /// Moves the host into the VM that runs `kind`.
    pub(crate) fn place_host(&mut self, kind: RunKind) {
        if self.host_kind == kind {
            return;
        }
        self.host_kind = kind;
        let (from, to) = match kind {
            RunKind::Eval => (&mut self.functions.vm, &mut self.vm),
            RunKind::Function => (&mut self.vm, &mut self.functions.vm),
        };
        if let Some(slot) = from.remove_app_data::<HostSlot<H>>() {
            to.set_app_data(slot);
        }
    }

    /// The VM that runs `kind`, with its interned names.
    pub(crate) fn vm_of(&mut self, kind: RunKind) -> (&mut Vm, Names) {
        match kind {
            RunKind::Eval => (&mut self.vm, self.names),
            RunKind::Function => (&mut self.functions.vm, self.functions.names),
        }
    }

    /// The kind of the running script (`Eval` when none runs).
    fn running_kind(&self) -> RunKind {
        self.running.as_ref().map_or(RunKind::Eval, |r| r.kind)
    }

    /// The configuration.
    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// Changes the busy threshold (`CONFIG SET busy-reply-threshold`).
    pub fn set_busy_reply_threshold(&mut self, threshold: Duration) {
        self.config.busy_reply_threshold = threshold;
    }

    /// Runs one command to completion: `EVAL`, `EVALSHA`, `EVAL_RO`, `EVALSHA_RO` and `SCRIPT`
    /// here, anything else through Redis's arity checks to the host.
    pub fn command(&mut self, ctx: &CallContext, argv: &[Vec<u8>]) -> Reply {
        let mut poll = self.start(ctx, argv);
        loop {
            match poll {
                Poll::Done(reply) => return reply,
                Poll::Running => poll = self.resume(),
            }
        }
    }

    /// `EVAL script numkeys keys... args...` run to completion, as a shortcut.
    pub fn eval(&mut self, script: &[u8], keys: &[&[u8]], args: &[&[u8]]) -> Reply {
        let mut argv = vec![
            b"EVAL".to_vec(),
            script.to_vec(),
            keys.len().to_string().into_bytes(),
        ];
        argv.extend(keys.iter().map(|k| k.to_vec()));
        argv.extend(args.iter().map(|a| a.to_vec()));
        self.command(&CallContext::default(), &argv)
    }

    /// Starts a command; a script runs its first slice. While a script runs
    /// ([`Poll::Running`]), call [`ScriptEngine::resume`]; other commands should get
    /// [`ScriptEngine::busy_reply`] once [`ScriptEngine::is_busy`].
    ///
    /// While a script runs, only `SCRIPT KILL`, `FUNCTION KILL` and `FUNCTION STATS` are
    /// answered (Redis's `allow-busy` scripting commands); anything else gets `BUSY`, after
    /// the unknown-command and arity errors (`processCommand`'s order).
    pub fn start(&mut self, ctx: &CallContext, argv: &[Vec<u8>]) -> Poll {
        if self.running.is_some() {
            let reply = match crate::commands::resolve(argv).map(|spec| spec.name) {
                Ok("script|kill") => self.script_kill(),
                Ok("function|kill") => self.function_kill(),
                Ok("function|stats") => self.function_stats(),
                Ok(_) => self.busy_reply(),
                Err(err) => err.to_reply(),
            };
            return Poll::Done(reply);
        }
        match self.dispatch(ctx, argv) {
            Ok(()) => self.resume(),
            Err(reply) => Poll::Done(reply),
        }
    }

    /// Runs the running script for one slice.
    pub fn resume(&mut self) -> Poll {
        let Some(running) = self.running.as_ref() else {
            return Poll::Done(Reply::Error(b"ERR no script is running".to_vec()));
        };
        let (kind, kill) = (running.kind, self.kill.requested());
        let fuel = self.config.slice_fuel;
        let (vm, names) = self.vm_of(kind);
        if kill {
            let err = vm.kill(kill::KILLED);
            return Poll::Done(self.finish_error(err));
        }
        match vm.run_for(fuel) {
            Ok(ferrous_vm::Outcome::Paused) => Poll::Running,
            Ok(ferrous_vm::Outcome::Finished(values)) => {
                let value = values.first().copied().unwrap_or(ferrous_vm::Value::Nil);
                let resp = vm.app_data::<RunState>().map_or(2, |s| s.resp);
                let reply = convert::lua_to_reply(vm.heap(), &names, value, resp);
                self.end_run();
                Poll::Done(reply)
            }
            Err(err) => Poll::Done(self.finish_error(err)),
        }
    }

    /// Whether a script is running (started and not finished).
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// How long the running script has run.
    pub fn running_for(&self) -> Option<Duration> {
        self.running.as_ref().map(|r| r.started.elapsed())
    }

    /// Whether the running script has passed the busy threshold: other clients now get
    /// [`ScriptEngine::busy_reply`], and `SCRIPT KILL` may stop it.
    pub fn is_busy(&self) -> bool {
        self.running_for()
            .is_some_and(|t| t >= self.config.busy_reply_threshold)
    }

    /// The reply other clients get while a script is busy (it names `SCRIPT KILL` for an
    /// `EVAL` script, `FUNCTION KILL` for a function).
    pub fn busy_reply(&self) -> Reply {
        match self.running_kind() {
            RunKind::Eval => Reply::Error(BUSY.to_vec()),
            RunKind::Function => Reply::Error(BUSY_FUNCTION.to_vec()),
        }
    }

    /// `SCRIPT KILL`: asks the running script to stop (its caller gets `ERR Script killed by
    /// user with SCRIPT KILL...` at the next slice). Refused once the script has written, and
    /// for a function (`FUNCTION KILL` stops those).
    pub fn script_kill(&mut self) -> Reply {
        self.kill_running(RunKind::Eval)
    }

    /// `FUNCTION KILL`: as [`ScriptEngine::script_kill`], for a running function; refused for
    /// an `EVAL` script.
    pub fn function_kill(&mut self) -> Reply {
        self.kill_running(RunKind::Function)
    }

    /// `scriptKill`: the checks in Redis's order, then the request (through the kill switch,
    /// which other threads reach with [`ScriptEngine::kill_switch`]).
    fn kill_running(&mut self, kind: RunKind) -> Reply {
        match kind {
            RunKind::Eval => self.kill.script_kill(),
            RunKind::Function => self.kill.function_kill(),
        }
    }

    /// A handle that kills the running script from any thread (`SCRIPT KILL` and
    /// `FUNCTION KILL` while the engine's thread is busy running it) and tells whether one runs.
    pub fn kill_switch(&self) -> KillSwitch {
        self.kill.clone()
    }

    /// Records a started script.
    pub(crate) fn begin_run(&mut self, running: Running) {
        self.kill.begin(running.kind, running.started);
        self.running = Some(running);
        self.host_mut().script_started();
    }

    /// Stops the running script now, whatever it did (`SHUTDOWN NOSAVE`, a vanished client
    /// the host chooses not to wait for). Its reply is returned.
    pub fn abort_running(&mut self) -> Option<Reply> {
        let kind = self.running.as_ref()?.kind;
        let (vm, _) = self.vm_of(kind);
        let err = vm.kill(kill::KILLED);
        Some(self.finish_error(err))
    }

    /// Number of cached scripts (`INFO memory`'s `number_of_cached_scripts`).
    pub fn cached_scripts(&self) -> usize {
        self.cache.len()
    }

    /// Bytes of the Lua heap (`used_memory_lua`).
    pub fn used_memory_lua(&mut self) -> usize {
        self.vm.heap().bytes_allocated()
    }

    /// A full garbage collection of the Lua heap (Redis runs `lua_gc` every 50 scripts, so its
    /// `used_memory_lua` stays near the live size; servers call this as often).
    pub fn collect_garbage(&mut self) {
        self.vm.collect_garbage();
    }

    /// Bytes of cached script bodies (`used_memory_scripts`).
    pub fn used_memory_scripts(&self) -> usize {
        self.cache.body_bytes()
    }

    fn run_state_mut(&mut self) -> Option<&mut RunState> {
        let (vm, _) = self.vm_of(self.running_kind());
        vm.app_data_mut::<RunState>()
    }

    pub(crate) fn end_run(&mut self) {
        if let Some(state) = self.run_state_mut() {
            state.active = false;
            state.write_dirty = false;
            state.resp = 2;
        }
        self.kill.end();
        self.running = None;
        self.host_mut().script_ended();
    }
}

/// `-BUSY`.
const BUSY: &[u8] =
    b"BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
/// `-BUSY` while a function runs.
const BUSY_FUNCTION: &[u8] =
    b"BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
/// `SCRIPT KILL` after a write.
const UNKILLABLE: &[u8] = b"UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.";
