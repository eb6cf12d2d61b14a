//! The kill switch of a running script, shareable across threads.
//!
//! A server's connection tasks answer `SCRIPT KILL` and `FUNCTION KILL` even while the engine's
//! thread is deep inside a script, including inside a native that calls back into Lua (a
//! `table.sort` comparator, a `gsub` callback), where the engine cannot return between slices:
//! the VM's interrupt reads the switch whenever such a nested run spends its fuel, and the
//! engine reads it between slices. The switch also tells other threads whether a script runs,
//! for how long and whether it has written (`UNKILLABLE`).

use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::RunKind;
use crate::reply::Reply;

/// What the killed script's caller gets.
pub(crate) const KILLED: &[u8] = b"ERR Script killed by user with SCRIPT KILL...";

const IDLE: u8 = 0;
const EVAL: u8 = 1;
const FUNCTION: u8 = 2;

#[derive(Default)]
struct State {
    requested: AtomicBool,
    running: AtomicU8,
    dirty: AtomicBool,
    started: Mutex<Option<Instant>>,
}

/// A handle on the engine's kill switch (`ScriptEngine::kill_switch`); clones share it.
#[derive(Clone, Default)]
pub struct KillSwitch(Arc<State>);

impl KillSwitch {
    /// `SCRIPT KILL`, from any thread: asks the running `EVAL` script to stop. Redis's replies:
    /// `NOTBUSY` when nothing runs, `UNKILLABLE` once the script wrote, `BUSY ... FUNCTION KILL`
    /// for a function.
    pub fn script_kill(&self) -> Reply {
        self.request(RunKind::Eval)
    }

    /// `FUNCTION KILL`, from any thread: as [`KillSwitch::script_kill`], for a function.
    pub fn function_kill(&self) -> Reply {
        self.request(RunKind::Function)
    }

    /// Whether a script or function is running.
    pub fn is_running(&self) -> bool {
        self.0.running.load(Ordering::Acquire) != IDLE
    }

    /// How long the running script has run.
    pub fn running_for(&self) -> Option<Duration> {
        let started = self.0.started.lock().unwrap_or_else(|e| e.into_inner());
        started.map(|t| t.elapsed())
    }

    fn request(&self, kind: RunKind) -> Reply {
        let running = self.0.running.load(Ordering::Acquire);
        if running == IDLE {
            return Reply::Error(b"NOTBUSY No scripts in execution right now.".to_vec());
        }
        if self.0.dirty.load(Ordering::Acquire) {
            return Reply::Error(super::UNKILLABLE.to_vec());
        }
        match (running, kind) {
            (FUNCTION, RunKind::Eval) => Reply::Error(super::BUSY_FUNCTION.to_vec()),
            (EVAL, RunKind::Function) => Reply::Error(super::BUSY.to_vec()),
            _ => {
                self.0.requested.store(true, Ordering::Release);
                Reply::ok()
            }
        }
    }

    /// Whether a kill was asked for.
    pub(crate) fn requested(&self) -> bool {
        self.0.requested.load(Ordering::Acquire)
    }

    /// A script starts (at `started`, the time the engine recorded).
    pub(crate) fn begin(&self, kind: RunKind, started: Instant) {
        self.0.requested.store(false, Ordering::Release);
        self.0.dirty.store(false, Ordering::Release);
        *self.0.started.lock().unwrap_or_else(|e| e.into_inner()) = Some(started);
        let code = match kind {
            RunKind::Eval => EVAL,
            RunKind::Function => FUNCTION,
        };
        self.0.running.store(code, Ordering::Release);
    }

    /// The script wrote to the dataset: it can no longer be killed.
    pub(crate) fn set_dirty(&self) {
        self.0.dirty.store(true, Ordering::Release);
    }

    /// The script ended.
    pub(crate) fn end(&self) {
        self.0.running.store(IDLE, Ordering::Release);
        self.0.requested.store(false, Ordering::Release);
        self.0.dirty.store(false, Ordering::Release);
        *self.0.started.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// Makes `vm` consult the switch whenever a nested run (a native calling Lua) or a
    /// native's own work spends its fuel, and keeps a handle in its app data so `redis.call`
    /// can mark writes.
    pub(crate) fn install(&self, vm: &mut ferrous_vm::Vm) {
        let switch = self.clone();
        vm.set_interrupt(Some(Box::new(move || {
            switch.requested().then(|| KILLED.to_vec())
        })));
        vm.set_app_data(self.clone());
    }
}
