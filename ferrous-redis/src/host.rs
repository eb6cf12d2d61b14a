//! The host: what `redis.call` reaches. An embedder implements [`CommandHost`] for its keyspace;
//! the engine checks each command against Redis's rules (arity, flags, read-only scripts, OOM,
//! cluster slots) before the host sees it.

use crate::reply::Reply;

/// What the engine tells the host about one command call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallContext {
    /// The protocol the caller speaks (2 or 3): a script's `redis.setresp`, or the client's
    /// `HELLO` for commands run outside scripts.
    pub resp: u8,
    /// The selected database.
    pub db: usize,
    /// Whether the call comes from a script (`redis.call`/`redis.pcall`).
    pub from_script: bool,
}

impl Default for CallContext {
    fn default() -> Self {
        CallContext {
            resp: 2,
            db: 0,
            from_script: false,
        }
    }
}

/// A keyspace that runs Redis commands.
///
/// `args[0]` is the command name as the caller wrote it (any case); the rest are its arguments,
/// binary-safe. The host answers with the reply Redis would give, error texts included
/// (`WRONGTYPE Operation against a key holding the wrong kind of value`).
pub trait CommandHost {
    /// Runs one command.
    fn call(&mut self, ctx: &CallContext, args: &[Vec<u8>]) -> Reply;

    /// Whether the host is over its memory limit (`maxmemory`): scripts then may not run
    /// `denyoom` commands unless flagged `allow-oom`.
    fn is_oom(&self) -> bool {
        false
    }

    /// Whether the host is a Redis Cluster node: scripts then obey the cluster rules (declared
    /// keys in one hash slot, no access to keys of other nodes, `no-cluster` refused).
    fn cluster_enabled(&self) -> bool {
        false
    }

    /// In cluster mode, the redirection for a hash slot this node does not serve (`-MOVED 3999
    /// 127.0.0.1:6381`), or `None` when it serves it.
    fn slot_redirect(&self, slot: u16) -> Option<Reply> {
        let _ = slot;
        None
    }

    /// `redis.log(level, message)`: level 0 (debug) to 3 (warning). Ignored by default.
    fn log(&mut self, level: u8, message: &[u8]) {
        let _ = (level, message);
    }

    /// `redis.acl_check_cmd`: whether the calling user may run `args`. Everyone may by default.
    fn acl_check(&self, args: &[Vec<u8>]) -> bool {
        let _ = args;
        true
    }

    /// `redis.call`'s ACL check: why the calling user may not run `args`, or `None` when it
    /// may (the default). Called once per command a script runs, after the arity and
    /// `noscript` checks; the host may log the refusal (`ACL LOG`).
    fn acl_denied(&mut self, args: &[Vec<u8>]) -> Option<AclDenied> {
        let _ = args;
        None
    }

    /// Whether write commands may run as far as replicas go: `false` when
    /// `min-replicas-to-write` asks for more good replicas than the host has. Scripts then get
    /// `NOREPLICAS` for their first write, and scripts with a shebang that may write do not
    /// start. True by default.
    fn enough_replicas(&self) -> bool {
        true
    }

    /// A command a script ran was refused by the engine before reaching the host (arity,
    /// `noscript`, ACL, read-only script, OOM, `NOREPLICAS`, cluster rules): Redis counts it in
    /// `rejected_calls` and `errorstats`. `error` is the error reply's text with its code
    /// (`OOM command not allowed ...`, `ERR Write commands are not allowed ...`). Ignored by
    /// default.
    fn command_rejected(&mut self, args: &[Vec<u8>], error: &[u8]) {
        let _ = (args, error);
    }

    /// A script (or function) starts running: Redis freezes the time keys expire by until it
    /// ends (`scriptTimeSnapshot()`), so a key cannot expire between two of its commands.
    /// Ignored by default.
    fn script_started(&mut self) {}

    /// The script that [`CommandHost::script_started`] announced ended (returned, failed or
    /// was killed). Ignored by default.
    fn script_ended(&mut self) {}
}

/// Why a user may not run a command (Redis's `ACL_DENIED_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AclDenied {
    /// The command or subcommand.
    Command,
    /// One of the keys it names.
    Key,
    /// One of the channels it names.
    Channel,
}

impl AclDenied {
    /// What Redis 7.0 says after "The user executing the script " (`getAclErrorMessage`).
    pub fn message(self) -> &'static str {
        match self {
            AclDenied::Command => "can't run this command or subcommand",
            AclDenied::Key => {
                "can't access at least one of the keys mentioned in the command arguments"
            }
            AclDenied::Channel => "can't publish to the channel mentioned in the command",
        }
    }
}
