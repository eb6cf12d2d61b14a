//! The scripting commands: `EVAL`, `EVALSHA`, `EVAL_RO`, `EVALSHA_RO` and `SCRIPT`, with
//! Redis 7.0's checks and error texts (eval.c, script.c), and the error reply of a failed
//! script (`luaCallFunction`).

use std::time::Instant;

use ferrous_vm::{Error, ErrorValue, Value};

use super::sandbox;
use super::shebang::{self, ScriptFlags};
use super::{RunKind, Running, ScriptEngine, ScriptName};
use crate::host::{CallContext, CommandHost};
use crate::reply::Reply;

/// The chunk name of every script: errors say `user_script:LINE:`.
const CHUNK_NAME: &str = "@user_script";

impl<H: CommandHost + 'static> ScriptEngine<H> {
    /// Runs a non-script command, or prepares a script: `Ok(())` means a script was started.
    pub(super) fn dispatch(&mut self, ctx: &CallContext, argv: &[Vec<u8>]) -> Result<(), Reply> {
        let spec = crate::commands::resolve(argv).map_err(|e| e.to_reply())?;
        match spec.name {
            "eval" => self.start_eval(ctx, argv, false, false),
            "evalsha" => self.start_eval(ctx, argv, true, false),
            "eval_ro" => self.start_eval(ctx, argv, false, true),
            "evalsha_ro" => self.start_eval(ctx, argv, true, true),
            "fcall" => self.start_fcall(ctx, argv, false),
            "fcall_ro" => self.start_fcall(ctx, argv, true),
            name if name.starts_with("script|") => Err(self.script_command(argv)),
            name if name.starts_with("function|") => Err(self.function_command(name, argv)),
            _ => Err(self.host_mut().call(ctx, argv)),
        }
    }

    /// `SCRIPT LOAD|EXISTS|FLUSH|KILL|HELP`.
    fn script_command(&mut self, argv: &[Vec<u8>]) -> Reply {
        let sub = argv
            .get(1)
            .map(|s| s.to_ascii_lowercase())
            .unwrap_or_default();
        match (sub.as_slice(), argv.len()) {
            (b"load", 3) => match self.load_script(&argv[2], true) {
                Ok(sha) => Reply::Bulk(sha.to_vec()),
                Err(reply) => reply,
            },
            (b"exists", n) if n >= 3 => Reply::Array(
                argv[2..]
                    .iter()
                    .map(|sha| {
                        let found = sha_key(sha).is_some_and(|key| self.cache.contains(&key));
                        Reply::Integer(i64::from(found))
                    })
                    .collect(),
            ),
            (b"flush", 2) => {
                self.script_flush();
                Reply::ok()
            }
            (b"flush", 3) => {
                let mode = argv[2].to_ascii_lowercase();
                if mode == b"sync" || mode == b"async" {
                    self.script_flush();
                    Reply::ok()
                } else {
                    Reply::error("ERR SCRIPT FLUSH only support SYNC|ASYNC option")
                }
            }
            (b"kill", 2) => self.script_kill(),
            (b"help", 2) => Reply::Array(
                SCRIPT_HELP
                    .iter()
                    .map(|line| Reply::Status(line.as_bytes().to_vec()))
                    .collect(),
            ),
            _ => Reply::Error(
                format!(
                    "ERR unknown subcommand or wrong number of arguments for '{}'. Try SCRIPT HELP.",
                    String::from_utf8_lossy(argv.get(1).map_or(&[][..], |s| s.as_slice()))
                )
                .into_bytes(),
            ),
        }
    }

    /// `SCRIPT FLUSH`: forgets every cached script and, as Redis does, starts a fresh Lua
    /// state (library settings such as `cjson.encode_max_depth` go back to their defaults).
    /// Should the new state fail to build, the old one stays, its cache emptied.
    pub fn script_flush(&mut self) {
        for key in self.cache.clear() {
            self.vm.registry_remove(key);
        }
        if self.running.is_some() {
            return;
        }
        let Ok(mut fresh) = sandbox::build::<H>(self.config.memory_limit) else {
            return;
        };
        let Ok(names) = super::convert::Names::new(&mut fresh) else {
            return;
        };
        if let Some(host) = self.vm.remove_app_data::<super::redis_lib::HostSlot<H>>() {
            fresh.set_app_data(host);
        }
        if let Some(mut state) = self.vm.remove_app_data::<super::redis_lib::RunState>() {
            state.names = names;
            fresh.set_app_data(state);
        }
        self.kill.install(&mut fresh);
        self.vm = fresh;
        self.names = names;
    }

    /// `SCRIPT LOAD`: compiles and caches a script, returning its SHA1.
    pub fn script_load(&mut self, body: &[u8]) -> Reply {
        match self.load_script(body, true) {
            Ok(sha) => Reply::Bulk(sha.to_vec()),
            Err(reply) => reply,
        }
    }

    /// `luaCreateFunction`: the SHA1 of a compiled (or already cached) script.
    fn load_script(&mut self, body: &[u8], pin: bool) -> Result<[u8; 40], Reply> {
        let sha = sha_of(body);
        if self.cache.contains(&sha) {
            if pin {
                self.cache.pin(&sha);
            }
            return Ok(sha);
        }
        let (flags, shebang_len) =
            shebang::parse(body).map_err(|e| Reply::Error(format!("ERR {e}").into_bytes()))?;
        let function = match self.vm.load(&body[shebang_len..], CHUNK_NAME) {
            Ok(f) => f,
            Err(err) => {
                let mut msg = b"ERR Error compiling script (new function): ".to_vec();
                msg.extend_from_slice(err.to_string().as_bytes());
                return Err(Reply::Error(msg));
            }
        };
        let key = self.vm.registry_insert(function);
        self.cache.insert(sha, key, flags, body.len(), pin);
        let (count, bytes) = (self.config.eval_cache_scripts, self.config.eval_cache_bytes);
        for key in self.cache.evict(count, bytes) {
            self.vm.registry_remove(key);
        }
        Ok(sha)
    }

    /// `evalGenericCommand` up to the call: numkeys, the script, the flag checks, KEYS/ARGV.
    fn start_eval(
        &mut self,
        ctx: &CallContext,
        argv: &[Vec<u8>],
        evalsha: bool,
        ro: bool,
    ) -> Result<(), Reply> {
        let numkeys = parse_i64(&argv[2])
            .ok_or_else(|| Reply::error("ERR value is not an integer or out of range"))?;
        let available = argv.len() as i64 - 3;
        if numkeys > available {
            return Err(Reply::error(
                "ERR Number of keys can't be greater than number of args",
            ));
        }
        if numkeys < 0 {
            return Err(Reply::error("ERR Number of keys can't be negative"));
        }
        let sha = if evalsha {
            sha_key(&argv[1]).ok_or_else(noscript)?
        } else {
            self.load_script(&argv[1], false)?
        };
        let (flags, function) = match self.cache.lookup(&sha, evalsha) {
            Some((flags, key)) => (flags, self.vm.registry_value(key)),
            None => return Err(noscript()),
        };
        self.check_flags(flags, ro)?;
        let split = 3 + numkeys as usize;
        let cluster = self.cluster_run(flags, &argv[3..split])?;
        let compat = flags.contains(ScriptFlags::EVAL_COMPAT);
        let setup = sandbox::set_array_global(&mut self.vm, self.names.keys, &argv[3..split])
            .and_then(|()| {
                sandbox::set_array_global(&mut self.vm, self.names.argv, &argv[split..])
            });
        if setup.is_err() {
            return Err(Reply::error("ERR not enough memory"));
        }
        if let Some(state) = self.run_state_mut() {
            state.active = true;
            state.resp = 2;
            state.db = ctx.db;
            state.read_only = ro || (!compat && flags.contains(ScriptFlags::NO_WRITES));
            state.allow_oom = !compat && flags.contains(ScriptFlags::ALLOW_OOM);
            state.write_dirty = false;
            state.cluster = cluster;
        }
        self.place_host(RunKind::Eval);
        if let Err(err) = self.vm.start(function, &[]) {
            self.end_run();
            return Err(Reply::Error(format!("ERR {err}").into_bytes()));
        }
        self.begin_run(Running {
            name: ScriptName::Sha(sha),
            kind: RunKind::Eval,
            command: Vec::new(),
            started: Instant::now(),
        });
        Ok(())
    }

    /// `scriptPrepareForRun`'s checks of a script with a shebang.
    pub(crate) fn check_flags(&self, flags: ScriptFlags, ro: bool) -> Result<(), Reply> {
        if flags.contains(ScriptFlags::EVAL_COMPAT) {
            return Ok(());
        }
        let no_writes = flags.contains(ScriptFlags::NO_WRITES);
        if !no_writes && ro {
            return Err(Reply::error(
                "ERR Can not execute a script with write flag using *_ro command.",
            ));
        }
        if !no_writes && !self.host().enough_replicas() {
            return Err(Reply::error(
                "NOREPLICAS Not enough good replicas to write.",
            ));
        }
        if !no_writes && !flags.contains(ScriptFlags::ALLOW_OOM) && self.host().is_oom() {
            return Err(Reply::error(
                "OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'",
            ));
        }
        Ok(())
    }

    /// Redis Cluster's rules for a script about to run (`scriptPrepareForRun` and
    /// `getNodeByQuery` on the declared keys): `None` outside cluster mode.
    pub(crate) fn cluster_run(
        &self,
        flags: ScriptFlags,
        keys: &[Vec<u8>],
    ) -> Result<Option<super::redis_lib::ClusterRun>, Reply> {
        let host = self.host();
        if !host.cluster_enabled() {
            return Ok(None);
        }
        let compat = flags.contains(ScriptFlags::EVAL_COMPAT);
        if !compat && flags.contains(ScriptFlags::NO_CLUSTER) {
            return Err(Reply::error(
                "ERR Can not run script on cluster, 'no-cluster' flag is set.",
            ));
        }
        let mut slot = None;
        for key in keys {
            let key_slot = crate::commands::key_hash_slot(key);
            if slot.is_some_and(|s| s != key_slot) {
                return Err(Reply::error(
                    "CROSSSLOT Keys in request don't hash to the same slot",
                ));
            }
            slot = Some(key_slot);
        }
        if let Some(redirect) = slot.and_then(|s| host.slot_redirect(s)) {
            return Err(redirect);
        }
        Ok(Some(super::redis_lib::ClusterRun {
            allow_cross_slot: compat || flags.contains(ScriptFlags::ALLOW_CROSS_SLOT),
            slot,
        }))
    }

    /// The error reply of a script that failed: the error handler's table
    /// (`{err=..., source=..., line=...}`) turned into `-<err> script: <name>, on <source>:<line>.`
    /// (`name`: the running script's SHA1 or function name).
    pub(crate) fn finish_error(&mut self, err: Error) -> Reply {
        let (vm, names) = self.vm_of(self.running.as_ref().map_or(RunKind::Eval, |r| r.kind));
        let location = vm.error_location().cloned();
        let mut msg = match err {
            Error::Runtime(e) => match e.value {
                ErrorValue::Object(key) => {
                    let value = vm.registry_value(&key);
                    vm.registry_remove(key);
                    match value {
                        Value::Table(t) => match vm.heap().raw_get_str(t, names.err) {
                            Ok(Value::String(s)) => vm.str_bytes(s).unwrap_or_default().to_vec(),
                            Ok(Value::Number(n)) => {
                                let mut out = Vec::new();
                                ferrous_vm::format_g(n, 14, &mut out);
                                out
                            }
                            // Redis 7.0 crashes on an error table without `err` (fixed later
                            // upstream).
                            _ => b"ERR unknown error".to_vec(),
                        },
                        _ => err_prefixed(&e.message),
                    }
                }
                ErrorValue::Boolean(b) => err_prefixed(b.to_string().as_bytes()),
                ErrorValue::Nil => err_prefixed(b"nil"),
                _ => err_prefixed(&e.message),
            },
            Error::Killed(message) => message,
            Error::OutOfMemory => b"ERR not enough memory".to_vec(),
            other => format!("ERR {other}").into_bytes(),
        };
        if let Some(location) = location {
            msg.extend_from_slice(b" script: ");
            if let Some(running) = &self.running {
                msg.extend_from_slice(running.name.as_bytes());
            }
            msg.extend_from_slice(b", on ");
            msg.extend_from_slice(&location.source);
            msg.extend_from_slice(format!(":{}.", location.line).as_bytes());
        }
        self.end_run();
        Reply::Error(msg)
    }
}

/// `ERR <text>`.
fn err_prefixed(text: &[u8]) -> Vec<u8> {
    let mut out = b"ERR ".to_vec();
    out.extend_from_slice(text);
    out
}

fn noscript() -> Reply {
    Reply::error("NOSCRIPT No matching script. Please use EVAL.")
}

/// The lowercase hex SHA1 of a script body.
fn sha_of(body: &[u8]) -> [u8; 40] {
    let hex = crate::sha1_hex(body);
    let mut out = [0u8; 40];
    out.copy_from_slice(&hex.as_bytes()[..40]);
    out
}

/// A SHA1 given by a client, lowercased; anything but 40 characters names no script.
fn sha_key(sha: &[u8]) -> Option<[u8; 40]> {
    if sha.len() != 40 {
        return None;
    }
    let prefix = sha.get(..40)?;
    let mut out = [0u8; 40];
    for (dst, src) in out.iter_mut().zip(prefix) {
        *dst = src.to_ascii_lowercase();
    }
    Some(out)
}

/// Redis's `string2ll`: an optional `-`, digits without leading zeros, within `i64`.
pub(crate) fn parse_i64(bytes: &[u8]) -> Option<i64> {
    crate::reply::resp::string2ll(bytes)
}

const SCRIPT_HELP: &[&str] = &[
    "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "DEBUG (YES|SYNC|NO)",
    "    Set the debug mode for subsequent scripts executed.",
    "EXISTS <sha1> [<sha1> ...]",
    "    Return information about the existence of the scripts in the script cache.",
    "FLUSH [ASYNC|SYNC]",
    "    Flush the Lua scripts cache. Very dangerous on replicas.",
    "    When called without the optional mode argument, the behavior is determined by the",
    "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
    "    * ASYNC: Asynchronously flush the scripts cache.",
    "    * SYNC: Synchronously flush the scripts cache.",
    "KILL",
    "    Kill the currently executing Lua script.",
    "LOAD <script>",
    "    Load a script into the scripts cache without executing it.",
    "HELP",
    "    Prints this help.",
];
