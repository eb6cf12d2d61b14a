//! Creating a library (functions.c's `functionsCreateWithLibraryCtx` and function_lua.c's
//! `luaEngineCreate`): the metadata line, the name rules, compiling the code as
//! `@user_function`, running it in the library API environment under a time limit, and linking
//! what it registered. Errors are Redis's texts without the `ERR ` code.
//!
//! Invariant: a failed load changes nothing: the library it would replace is linked again and
//! every callback it registered is released.

use std::time::{Duration, Instant};

use ferrous_vm::{Error, ErrorValue, Outcome, Value, Vm};

use super::env::{FunctionEnv, Mode};
use super::library::{Function, Libraries, Library};
use super::metadata::{self, BAD_NAME};
use super::register::{LoadState, Registered};
use crate::engine::convert::Names;

/// `LOAD_TIMEOUT_MS`: how long a library's code may run while it loads.
pub(crate) const LOAD_TIMEOUT: Duration = Duration::from_millis(500);
/// The most fuel between two looks at the clock while loading (Redis's hook runs every 100,000
/// instructions), whatever the engine's slice: the time limit holds with any configuration.
const MAX_LOAD_SLICE: u64 = 100_000;

/// The VM side of a load: the VM, its environment and interned names.
pub(crate) struct Loader<'a> {
    pub vm: &'a mut Vm,
    pub env: &'a FunctionEnv,
    pub names: Names,
    /// Fuel between two looks at the clock.
    pub slice_fuel: u64,
}

impl Loader<'_> {
    /// Creates the library `code` in `libraries`, replacing one of the same name when
    /// `replace`, with at most `timeout` of running time (`None`: no limit). Returns its name.
    pub(crate) fn create(
        &mut self,
        libraries: &mut Libraries,
        code: &[u8],
        replace: bool,
        timeout: Option<Duration>,
    ) -> Result<Vec<u8>, Vec<u8>> {
        let md = metadata::parse(code)?;
        if !metadata::valid_name(&md.name) {
            return Err(BAD_NAME.as_bytes().to_vec());
        }
        if !md.engine.eq_ignore_ascii_case(b"lua") {
            let mut err = b"Engine '".to_vec();
            err.extend_from_slice(&md.engine);
            err.extend_from_slice(b"' not found");
            return Err(err);
        }
        let old = match libraries.get(&md.name) {
            Some(_) if !replace => {
                let mut err = b"Library '".to_vec();
                err.extend_from_slice(&md.name);
                err.extend_from_slice(b"' already exists");
                return Err(err);
            }
            Some(_) => libraries.unlink(&md.name),
            None => None,
        };
        let res = self.build(libraries, &md.name, code, &code[md.code_start..], timeout);
        match res {
            Ok(library) => {
                libraries.link(library);
                if let Some(old) = old {
                    self.release(old.into_keys());
                }
                Ok(md.name)
            }
            Err(err) => {
                if let Some(old) = old {
                    libraries.link(old);
                }
                Err(err)
            }
        }
    }

    /// Runs the code and checks what it registered against `libraries`.
    fn build(
        &mut self,
        libraries: &Libraries,
        name: &[u8],
        code: &[u8],
        body: &[u8],
        timeout: Option<Duration>,
    ) -> Result<Library, Vec<u8>> {
        let registered = self.run(body, timeout)?;
        if registered.is_empty() {
            return Err(b"No functions registered".to_vec());
        }
        let library = Library {
            name: name.to_vec(),
            code: code.to_vec(),
            functions: registered
                .into_iter()
                .map(|r| Function {
                    name: r.name,
                    description: r.description,
                    flags: r.flags,
                    callback: r.callback,
                })
                .collect(),
        };
        if let Some(clash) = libraries.collision(&library) {
            let mut err = b"Function ".to_vec();
            err.extend_from_slice(clash);
            err.extend_from_slice(b" already exists");
            self.release(library.into_keys());
            return Err(err);
        }
        Ok(library)
    }

    /// Compiles and runs the body in the library API environment.
    fn run(&mut self, body: &[u8], timeout: Option<Duration>) -> Result<Vec<Registered>, Vec<u8>> {
        let function = match self.vm.load(body, "@user_function") {
            Ok(f) => f,
            Err(err) => {
                let mut msg = b"Error compiling function: ".to_vec();
                msg.extend_from_slice(err.to_string().as_bytes());
                return Err(msg);
            }
        };
        if self.env.switch(self.vm, Mode::Load).is_err() {
            return Err(b"not enough memory".to_vec());
        }
        self.vm.set_app_data(LoadState::default());
        let res = self.run_to_end(function, timeout);
        let state = self.vm.remove_app_data::<LoadState>().unwrap_or_default();
        let restored = self.env.switch(self.vm, Mode::Run);
        match (res, restored) {
            (Ok(()), Ok(())) => Ok(state.functions),
            (res, _) => {
                self.release(state.functions.into_iter().map(|f| f.callback));
                let mut msg = b"Error registering functions: ".to_vec();
                match res {
                    Err(err) => msg.extend_from_slice(&self.error_text(err)),
                    Ok(()) => msg.extend_from_slice(b"ERR not enough memory"),
                }
                Err(msg)
            }
        }
    }

    fn run_to_end(&mut self, function: Value, timeout: Option<Duration>) -> Result<(), Error> {
        let started = Instant::now();
        self.vm.start(function, &[])?;
        loop {
            match self.vm.run_for(self.slice_fuel.clamp(1, MAX_LOAD_SLICE))? {
                Outcome::Finished(_) => return Ok(()),
                Outcome::Paused => {
                    if timeout.is_some_and(|limit| started.elapsed() > limit) {
                        return Err(self.vm.kill(b"ERR FUNCTION LOAD timeout"));
                    }
                }
            }
        }
    }

    /// `luaExtractErrorInformation`'s message for an error raised while loading (no error
    /// handler runs, so a string error keeps Lua's position prefix).
    fn error_text(&mut self, err: Error) -> Vec<u8> {
        match err {
            Error::Runtime(e) => match e.value {
                ErrorValue::Object(key) => {
                    let value = self.vm.registry_value(&key);
                    self.vm.registry_remove(key);
                    let Value::Table(t) = value else {
                        return b"(null)".to_vec();
                    };
                    match self.vm.heap().raw_get_str(t, self.names.err) {
                        Ok(Value::String(s)) => self.vm.str_bytes(s).unwrap_or_default().to_vec(),
                        Ok(Value::Number(n)) => {
                            let mut out = Vec::new();
                            ferrous_vm::format_g(n, 14, &mut out);
                            out
                        }
                        _ => b"(null)".to_vec(),
                    }
                }
                ErrorValue::String | ErrorValue::Number(_) => {
                    let mut out = b"ERR ".to_vec();
                    out.extend_from_slice(&e.message);
                    out
                }
                _ => b"(null)".to_vec(),
            },
            Error::Killed(message) => message,
            Error::OutOfMemory => b"ERR not enough memory".to_vec(),
            other => format!("ERR {other}").into_bytes(),
        }
    }

    /// Releases callbacks.
    pub(crate) fn release(&mut self, keys: impl Iterator<Item = ferrous_vm::RegistryKey>) {
        for key in keys {
            self.vm.registry_remove(key);
        }
    }
}
