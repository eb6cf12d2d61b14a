//! The `FUNCTION` subcommands and `FCALL`/`FCALL_RO` on the [`ScriptEngine`], with Redis
//! 7.0's argument checks and error texts (functions.c). Arity was checked by the engine's
//! dispatch against Redis's command table.

use std::time::Instant;

use ferrous_vm::{Result, TableHandle, Value, Vm};

use super::load::LOAD_TIMEOUT;
use super::{RestorePolicy, replies};
use crate::engine::eval::parse_i64;
use crate::engine::shebang::ScriptFlags;
use crate::engine::{RunKind, Running, ScriptEngine, ScriptName};
use crate::host::{CallContext, CommandHost};
use crate::reply::Reply;

/// `addReplyErrorSds`: a text without a code gets `ERR `.
fn error(text: Vec<u8>) -> Reply {
    let mut msg = b"ERR ".to_vec();
    msg.extend_from_slice(&text);
    Reply::Error(msg)
}

/// `addReplySubcommandSyntaxError`.
fn subcommand_syntax_error(argv: &[Vec<u8>]) -> Reply {
    let mut msg = b"ERR unknown subcommand or wrong number of arguments for '".to_vec();
    let sub = argv.get(1).map_or(&[][..], |s| s.as_slice());
    msg.extend_from_slice(&sub[..sub.len().min(128)]);
    msg.extend_from_slice(b"'. Try ");
    msg.extend(
        argv.first()
            .map_or(&[][..], |s| s.as_slice())
            .to_ascii_uppercase(),
    );
    msg.extend_from_slice(b" HELP.");
    Reply::Error(msg)
}

impl<H: CommandHost + 'static> ScriptEngine<H> {
    /// `FUNCTION <subcommand>` (`name` is the command table's `function|...`).
    pub(crate) fn function_command(&mut self, name: &str, argv: &[Vec<u8>]) -> Reply {
        match name {
            "function|load" => self.function_load(argv),
            "function|delete" => {
                if self.functions.delete(&argv[2]) {
                    Reply::ok()
                } else {
                    Reply::error("ERR Library not found")
                }
            }
            "function|flush" => match argv.len() {
                2 => self.function_flush(),
                3 if argv[2].eq_ignore_ascii_case(b"sync")
                    || argv[2].eq_ignore_ascii_case(b"async") =>
                {
                    self.function_flush()
                }
                3 => Reply::error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option"),
                _ => subcommand_syntax_error(argv),
            },
            "function|list" => replies::list(&self.functions.libraries, argv),
            "function|dump" => Reply::Bulk(self.functions.dump()),
            "function|restore" => self.function_restore(argv),
            "function|stats" => self.function_stats(),
            "function|kill" => self.function_kill(),
            "function|help" => replies::help(),
            _ => subcommand_syntax_error(argv),
        }
    }

    /// `FUNCTION FLUSH`: drops every library.
    fn function_flush(&mut self) -> Reply {
        self.functions.flush();
        Reply::ok()
    }

    /// `FUNCTION LOAD [REPLACE] code`.
    fn function_load(&mut self, argv: &[Vec<u8>]) -> Reply {
        let mut replace = false;
        let mut pos = 2;
        while pos < argv.len() - 1 {
            let arg = &argv[pos];
            pos += 1;
            if arg.eq_ignore_ascii_case(b"replace") {
                replace = true;
                continue;
            }
            let mut msg = b"Unknown option given: ".to_vec();
            msg.extend_from_slice(super::metadata::c_str(arg));
            return error(msg);
        }
        let Some(code) = argv.get(pos) else {
            return Reply::error("ERR Function code is missing");
        };
        self.place_host(RunKind::Function);
        let fuel = self.config.slice_fuel;
        match self.functions.load(code, replace, Some(LOAD_TIMEOUT), fuel) {
            Ok(name) => Reply::Bulk(name),
            Err(err) => error(err),
        }
    }

    /// `FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE]`.
    fn function_restore(&mut self, argv: &[Vec<u8>]) -> Reply {
        if argv.len() > 4 {
            return subcommand_syntax_error(argv);
        }
        let policy = match argv.get(3) {
            None => RestorePolicy::Append,
            Some(p) if p.eq_ignore_ascii_case(b"append") => RestorePolicy::Append,
            Some(p) if p.eq_ignore_ascii_case(b"replace") => RestorePolicy::Replace,
            Some(p) if p.eq_ignore_ascii_case(b"flush") => RestorePolicy::Flush,
            Some(_) => {
                return Reply::error(
                    "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.",
                );
            }
        };
        self.place_host(RunKind::Function);
        let fuel = self.config.slice_fuel;
        match self.functions.restore(&argv[2], policy, fuel) {
            Ok(()) => Reply::ok(),
            Err(err) => error(err),
        }
    }

    /// `FUNCTION STATS`: the running function, if any, and the counts of the Lua engine.
    /// While an `EVAL` script runs, `BUSY` (as Redis).
    pub fn function_stats(&self) -> Reply {
        let running = match &self.running {
            Some(running) if running.kind == RunKind::Eval => return self.busy_reply(),
            Some(running) => Some(running),
            None => None,
        };
        replies::stats(&self.functions.libraries, running)
    }

    /// `INFO`'s `number_of_functions`.
    pub fn number_of_functions(&self) -> usize {
        self.functions.libraries.function_count()
    }

    /// `INFO`'s `number_of_libraries`.
    pub fn number_of_libraries(&self) -> usize {
        self.functions.libraries.library_count()
    }

    /// Bytes of the functions VM's heap (`used_memory_vm_functions`).
    pub fn used_memory_vm_functions(&mut self) -> usize {
        self.functions.vm.heap().bytes_allocated()
    }

    /// `fcallCommandGeneric` up to the call: the function, numkeys, the flag checks, then the
    /// function starts with its `keys` and `args` tables.
    pub(crate) fn start_fcall(
        &mut self,
        ctx: &CallContext,
        argv: &[Vec<u8>],
        ro: bool,
    ) -> Result<(), Reply> {
        let Some(function) = self.functions.libraries.function(&argv[1]) else {
            return Err(Reply::error("ERR Function not found"));
        };
        let (name, flags) = (function.name.clone(), function.flags);
        let callback = self.functions.vm.registry_value(&function.callback);
        let numkeys =
            parse_i64(&argv[2]).ok_or_else(|| Reply::error("ERR Bad number of keys provided"))?;
        if numkeys > argv.len() as i64 - 3 {
            return Err(Reply::error(
                "ERR Number of keys can't be greater than number of args",
            ));
        }
        if numkeys < 0 {
            return Err(Reply::error("ERR Number of keys can't be negative"));
        }
        self.check_flags(flags, ro)?;
        let split = 3 + numkeys as usize;
        let cluster = self.cluster_run(flags, &argv[3..split])?;
        let vm = &mut self.functions.vm;
        let tables = array(vm, &argv[3..split]).and_then(|k| Ok((k, array(vm, &argv[split..])?)));
        let Ok((keys, args)) = tables else {
            return Err(Reply::error("ERR not enough memory"));
        };
        self.place_host(RunKind::Function);
        let vm = &mut self.functions.vm;
        if let Some(state) = vm.app_data_mut::<crate::engine::redis_lib::RunState>() {
            state.active = true;
            state.resp = 2;
            state.db = ctx.db;
            state.read_only = ro || flags.contains(ScriptFlags::NO_WRITES);
            state.allow_oom = flags.contains(ScriptFlags::ALLOW_OOM);
            state.write_dirty = false;
            state.cluster = cluster;
        }
        self.begin_run(Running {
            name: ScriptName::Function(name),
            kind: RunKind::Function,
            command: argv.to_vec(),
            started: Instant::now(),
        });
        let started = self
            .functions
            .vm
            .start(callback, &[Value::Table(keys), Value::Table(args)]);
        if let Err(err) = started {
            self.end_run();
            return Err(Reply::Error(format!("ERR {err}").into_bytes()));
        }
        Ok(())
    }
}

/// A Lua array of the strings `items`.
fn array(vm: &mut Vm, items: &[Vec<u8>]) -> Result<TableHandle> {
    let t = vm.new_table(items.len(), 0)?;
    for (i, item) in items.iter().enumerate() {
        let s = vm.intern(item)?;
        vm.heap()
            .tx()
            .raw_set_int(t, i as i64 + 1, Value::String(s))?;
    }
    Ok(t)
}
