//! Redis 7.0 Functions: libraries of named functions loaded with `FUNCTION LOAD`, called with
//! `FCALL`/`FCALL_RO`, and the rest of the `FUNCTION` command (functions.c, function_lua.c).
//!
//! - `env.rs`: the functions' own Lua state and its two environments (run time, load time).
//! - `metadata.rs`: `#!lua name=...` and the name rules.
//! - `register.rs`: `redis.register_function`.
//! - `load.rs`: creating a library (compile, run under a time limit, link).
//! - `library.rs`: the loaded libraries and the function index.
//! - `dump.rs`: the `FUNCTION DUMP` payload (our own format, checksummed).
//! - `commands.rs`: the `FUNCTION` subcommands and `FCALL` on the [`ScriptEngine`];
//!   `replies.rs`: `FUNCTION LIST`, `STATS` and `HELP` replies.
//! - `tests.rs`, `fuzz.rs`: unit tests and random libraries and calls.
//!
//! Invariant: the functions VM holds a `RunState` from construction on (natives need its
//! names); the host's `HostSlot` moves into it before library code or a function runs.
//!
//! [`ScriptEngine`]: crate::ScriptEngine

mod commands;
mod dump;
mod env;
#[cfg(test)]
mod fuzz;
mod library;
mod load;
mod metadata;
mod register;
mod replies;
#[cfg(test)]
mod tests;

use std::time::Duration;

use ferrous_vm::{Result, Vm};

use self::env::FunctionEnv;
use self::library::Libraries;
use self::load::{LOAD_TIMEOUT, Loader};
use crate::engine::convert::Names;
use crate::engine::redis_lib::RunState;
use crate::host::CommandHost;

/// What `FUNCTION RESTORE` does with the libraries already loaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RestorePolicy {
    /// Drop them all first.
    Flush,
    /// Keep them; a library name already taken fails the restore.
    Append,
    /// Keep them; a library of the same name is replaced.
    Replace,
}

/// The functions VM and the loaded libraries.
pub(crate) struct FunctionStore {
    /// The functions' own Lua state.
    pub(crate) vm: Vm,
    /// Its interned names.
    pub(crate) names: Names,
    env: FunctionEnv,
    pub(crate) libraries: Libraries,
}

impl FunctionStore {
    /// Builds the functions VM (with the memory cap of the engine's VM).
    pub(crate) fn new<H: CommandHost + 'static>(memory_limit: Option<usize>) -> Result<Self> {
        let (mut vm, env) = env::build::<H>(memory_limit)?;
        let names = Names::new(&mut vm)?;
        vm.set_app_data(RunState::new(names));
        Ok(FunctionStore {
            vm,
            names,
            env,
            libraries: Libraries::default(),
        })
    }

    fn loader(&mut self, slice_fuel: u64) -> (Loader<'_>, &mut Libraries) {
        (
            Loader {
                vm: &mut self.vm,
                env: &self.env,
                names: self.names,
                slice_fuel,
            },
            &mut self.libraries,
        )
    }

    /// `FUNCTION LOAD [REPLACE] code`: the library's name, or Redis's error text.
    pub(crate) fn load(
        &mut self,
        code: &[u8],
        replace: bool,
        timeout: Option<Duration>,
        slice_fuel: u64,
    ) -> Result<Vec<u8>, Vec<u8>> {
        let (mut loader, libraries) = self.loader(slice_fuel);
        loader.create(libraries, code, replace, timeout)
    }

    /// `FUNCTION DELETE name`: whether it existed.
    pub(crate) fn delete(&mut self, name: &[u8]) -> bool {
        match self.libraries.unlink(name) {
            Some(library) => {
                for key in library.into_keys() {
                    self.vm.registry_remove(key);
                }
                true
            }
            None => false,
        }
    }

    /// `FUNCTION FLUSH`.
    pub(crate) fn flush(&mut self) {
        for key in self.libraries.clear() {
            self.vm.registry_remove(key);
        }
    }

    /// `FUNCTION DUMP`.
    pub(crate) fn dump(&self) -> Vec<u8> {
        dump::encode(self.libraries.iter().map(|l| l.code.as_slice()))
    }

    /// `FUNCTION RESTORE payload policy`: Redis's error text on failure, which changes
    /// nothing. Each library's code runs under the load time limit (Redis runs restored code
    /// without one; a payload is client input here, so it gets the same bound as `LOAD`).
    pub(crate) fn restore(
        &mut self,
        payload: &[u8],
        policy: RestorePolicy,
        slice_fuel: u64,
    ) -> Result<(), Vec<u8>> {
        let codes = dump::decode(payload).map_err(|e| e.to_string().into_bytes())?;
        let mut restored = Libraries::default();
        let (mut loader, _) = self.loader(slice_fuel);
        for code in codes {
            if let Err(err) = loader.create(&mut restored, code, false, Some(LOAD_TIMEOUT)) {
                loader.release(restored.clear().into_iter());
                return Err(err);
            }
        }
        if policy == RestorePolicy::Flush {
            self.flush();
            self.libraries = restored;
            return Ok(());
        }
        match self
            .libraries
            .join(&mut restored, policy == RestorePolicy::Replace)
        {
            Ok(released) => {
                for key in released {
                    self.vm.registry_remove(key);
                }
                Ok(())
            }
            Err(err) => {
                for key in restored.clear() {
                    self.vm.registry_remove(key);
                }
                Err(err)
            }
        }
    }
}
