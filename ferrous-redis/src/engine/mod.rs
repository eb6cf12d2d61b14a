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
//! Invariant: the host lives in the VM's app data as a [`redis_lib::HostSlot`] from
//! construction on; the type is private, so nothing can take it out.

mod cache;
mod cmdinfo;
mod convert;
mod eval;
mod redis_lib;
mod sandbox;
mod shebang;

use std::marker::PhantomData;
use std::time::{Duration, Instant};

use ferrous_vm::Vm;

use self::cache::ScriptCache;
use self::convert::Names;
use self::redis_lib::{HostSlot, RunState};
use crate::host::{CallContext, CommandHost};
use crate::reply::Reply;

pub use self::shebang::ScriptFlags;

/// The engine's settings.
#[derive(Clone, Debug)]
pub struct EngineConfig {
    /// `busy-reply-threshold` (alias `lua-time-limit`): after this long a running script makes
    /// other clients get `BUSY` and may be killed with `SCRIPT KILL`.
    pub busy_reply_threshold: Duration,
    /// The memory cap of the Lua heap, in bytes (`None`: unbounded).
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

/// A script that has started and not finished.
struct Running {
    sha: [u8; 40],
    started: Instant,
    kill_requested: bool,
}

/// Redis 7.0's scripting over a host `H` (the keyspace `redis.call` reaches).
pub struct ScriptEngine<H: CommandHost + 'static> {
    vm: Vm,
    cache: ScriptCache,
    config: EngineConfig,
    running: Option<Running>,
    names: Names,
    host: PhantomData<H>,
}

impl<H: CommandHost + 'static> ScriptEngine<H> {
    /// An engine with the default configuration.
    pub fn new(host: H) -> Result<Self, EngineError> {
        Self::with_config(host, EngineConfig::default())
    }

    /// An engine with `config`.
    pub fn with_config(host: H, config: EngineConfig) -> Result<Self, EngineError> {
        let setup = |e: ferrous_vm::RtError| EngineError::Setup(e.to_string());
        let mut vm = sandbox::build::<H>(config.memory_limit).map_err(setup)?;
        let names = Names::new(&mut vm).map_err(setup)?;
        vm.set_app_data(HostSlot(host));
        vm.set_app_data(RunState {
            active: false,
            resp: 2,
            db: 0,
            read_only: false,
            allow_oom: false,
            write_dirty: false,
            names,
        });
        Ok(ScriptEngine {
            vm,
            cache: ScriptCache::default(),
            config,
            running: None,
            names,
            host: PhantomData,
        })
    }

    /// The host.
    pub fn host(&self) -> &H {
        match self.vm.app_data::<HostSlot<H>>() {
            Some(HostSlot(host)) => host,
            None => unreachable!("the host is set at construction and never removed"),
        }
    }

    /// The host, mutably (to run commands outside scripts, or to change its settings).
    pub fn host_mut(&mut self) -> &mut H {
        match self.vm.app_data_mut::<HostSlot<H>>() {
            Some(HostSlot(host)) => host,
            None => unreachable!("the host is set at construction and never removed"),
        }
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
    pub fn start(&mut self, ctx: &CallContext, argv: &[Vec<u8>]) -> Poll {
        if self.running.is_some() {
            return Poll::Done(Reply::Error(BUSY.to_vec()));
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
        if running.kill_requested {
            let err = self
                .vm
                .kill(b"ERR Script killed by user with SCRIPT KILL...");
            let sha = running.sha;
            return Poll::Done(self.finish_error(err, &sha));
        }
        match self.vm.run_for(self.config.slice_fuel) {
            Ok(ferrous_vm::Outcome::Paused) => Poll::Running,
            Ok(ferrous_vm::Outcome::Finished(values)) => {
                let value = values.first().copied().unwrap_or(ferrous_vm::Value::Nil);
                let resp = self.run_state().map_or(2, |s| s.resp);
                let reply = convert::lua_to_reply(self.vm.heap(), &self.names, value, resp);
                self.end_run();
                Poll::Done(reply)
            }
            Err(err) => {
                let sha = running.sha;
                Poll::Done(self.finish_error(err, &sha))
            }
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

    /// The reply other clients get while a script is busy.
    pub fn busy_reply(&self) -> Reply {
        Reply::Error(BUSY.to_vec())
    }

    /// `SCRIPT KILL`: asks the running script to stop (its caller gets `ERR Script killed by
    /// user with SCRIPT KILL...` at the next slice). Refused once the script has written.
    pub fn script_kill(&mut self) -> Reply {
        let dirty = self.run_state().is_some_and(|s| s.write_dirty);
        match self.running.as_mut() {
            None => Reply::Error(b"NOTBUSY No scripts in execution right now.".to_vec()),
            Some(_) if dirty => Reply::Error(UNKILLABLE.to_vec()),
            Some(running) => {
                running.kill_requested = true;
                Reply::ok()
            }
        }
    }

    /// Stops the running script now, whatever it did (`SHUTDOWN NOSAVE`, a vanished client
    /// the host chooses not to wait for). Its reply is returned.
    pub fn abort_running(&mut self) -> Option<Reply> {
        let running = self.running.as_ref()?;
        let sha = running.sha;
        let err = self
            .vm
            .kill(b"ERR Script killed by user with SCRIPT KILL...");
        Some(self.finish_error(err, &sha))
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

    fn run_state(&self) -> Option<&RunState> {
        self.vm.app_data::<RunState>()
    }

    fn run_state_mut(&mut self) -> Option<&mut RunState> {
        self.vm.app_data_mut::<RunState>()
    }

    fn end_run(&mut self) {
        self.running = None;
        if let Some(state) = self.run_state_mut() {
            state.active = false;
            state.write_dirty = false;
            state.resp = 2;
        }
    }
}

/// `-BUSY`.
const BUSY: &[u8] =
    b"BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
/// `SCRIPT KILL` after a write.
const UNKILLABLE: &[u8] = b"UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.";
