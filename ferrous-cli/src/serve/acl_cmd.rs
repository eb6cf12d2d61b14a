//! The `ACL` command (`SETUSER`, `DELUSER`, `GETUSER`, `LIST`, `USERS`, `WHOAMI`, `CAT`,
//! `DRYRUN`, `LOG`, `GENPASS`, `HELP`; `LOAD`/`SAVE` answer that there is no ACL file), and
//! the enforcement of users' permissions: [`Core::check_acl`] before every client command
//! (`-NOPERM ...` as `processCommand` words it) and, for scripts, the [`ServerHost`] hooks
//! that answer `redis.call` and `redis.acl_check_cmd` for the user of the calling client.
//!
//! Invariant: a client's user is looked up by name for every command, so a rule change
//! applies at once; deleting a user disconnects its clients.

use std::sync::atomic::Ordering;
use std::time::Instant;

use ferrous_redis::{
    AclDenied, CallContext, CommandSpec, Poll, Reply, all_commands, resolve_command,
};

use super::acl::{Denied, User, has_spaces, hash_password};
use super::acl_describe::{describe_user, getuser};
use super::acl_log::{Context, Entry, Reason};
use super::core::{Core, Step};
use super::host::ServerHost;

/// `ACL HELP`'s lines.
const HELP: &[&str] = &[
    "ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CAT [<category>]",
    "    List all commands that belong to <category>, or all command categories",
    "    when no category is specified.",
    "DELUSER <username> [<username> ...]",
    "    Delete a list of users.",
    "DRYRUN <username> <command> [<arg> ...]",
    "    Returns whether the user can execute the given command without executing the command.",
    "GETUSER <username>",
    "    Get the user's details.",
    "GENPASS [<bits>]",
    "    Generate a secure 256-bit user password. The optional `bits` argument can",
    "    be used to specify a different size.",
    "LIST",
    "    Show users details in config file format.",
    "LOAD",
    "    Reload users from the ACL file.",
    "LOG [<count> | RESET]",
    "    Show the ACL log entries.",
    "SAVE",
    "    Save the current config to the ACL file.",
    "SETUSER <username> <attribute> [<attribute> ...]",
    "    Create or modify a user with the specified attributes.",
    "USERS",
    "    List all the registered usernames.",
    "WHOAMI",
    "    Return the current connection username.",
    "HELP",
    "    Print this help.",
];

impl ServerHost {
    /// Whether the user running the current command (a script's caller) may run `args`.
    fn caller_verdict(&self, args: &[Vec<u8>]) -> Result<(), (Denied, &'static CommandSpec)> {
        // The usual caller may run anything: answered before looking the command up, since
        // this runs for every `redis.call`.
        let user = self.acl.get(&self.caller);
        if user.is_some_and(|user| user.unrestricted()) {
            return Ok(());
        }
        let Some(spec) = lookup_any_arity(args) else {
            return Ok(());
        };
        let Some(user) = user else {
            return Err((Denied::Command, spec));
        };
        user.check(spec, args).map_err(|denied| (denied, spec))
    }

    /// Whether the caller may run `args` with read access to every key
    /// (`ACLUserCheckCmdWithUnrestrictedKeyAccess`): `SORT ... BY pattern` and `GET` need it.
    pub(crate) fn caller_reads_every_key(&self, args: &[Vec<u8>]) -> bool {
        let Ok(spec) = resolve_command(args) else {
            return false;
        };
        self.acl
            .get(&self.caller)
            .is_some_and(|user| user.reads_every_key(spec, args))
    }

    /// `redis.acl_check_cmd`.
    pub(crate) fn acl_allows(&self, args: &[Vec<u8>]) -> bool {
        self.caller_verdict(args).is_ok()
    }

    /// `redis.call`'s ACL check; a refusal goes to `ACL LOG` (context `lua`).
    pub(crate) fn acl_refusal(&mut self, args: &[Vec<u8>]) -> Option<AclDenied> {
        let (denied, spec) = self.caller_verdict(args).err()?;
        let entry = log_entry(
            denied,
            spec,
            args,
            &self.caller,
            Context::Lua,
            self.caller_id,
        );
        self.acl_log.add(entry);
        Some(match denied {
            Denied::Command => AclDenied::Command,
            Denied::Key(_) => AclDenied::Key,
            Denied::Channel(_) => AclDenied::Channel,
        })
    }
}

/// The command (or subcommand) `args` names, whatever its argument count
/// (`redis.acl_check_cmd` does not check arity; Redis's `lookupCommand`).
fn lookup_any_arity(args: &[Vec<u8>]) -> Option<&'static CommandSpec> {
    let spec = ferrous_redis::lookup_command(args.first()?)?;
    match args.get(1) {
        Some(sub) if spec.is_container() => spec.subcommand(sub),
        _ => Some(spec),
    }
}

/// An `ACL LOG` entry for a refused command.
fn log_entry(
    denied: Denied,
    spec: &CommandSpec,
    argv: &[Vec<u8>],
    username: &[u8],
    context: Context,
    client_id: u64,
) -> Entry {
    let (reason, object) = match denied {
        Denied::Command => (Reason::Command, spec.name.as_bytes().to_vec()),
        Denied::Key(pos) => (Reason::Key, argv.get(pos).cloned().unwrap_or_default()),
        Denied::Channel(pos) => (Reason::Channel, argv.get(pos).cloned().unwrap_or_default()),
    };
    Entry {
        count: 1,
        reason,
        context,
        object,
        username: username.to_vec(),
        at: Instant::now(),
        client_id,
        client_info: None,
    }
}

impl Core {
    /// The ACL check of `processCommand`: `None` when client `id` may run `argv`, otherwise
    /// the `-NOPERM` refusal (logged, counted as rejected, failing an open transaction).
    pub(crate) fn check_acl(
        &mut self,
        id: u64,
        spec: &'static CommandSpec,
        argv: &[Vec<u8>],
    ) -> Option<Step> {
        let client = self.clients.get(&id)?;
        let host = self.engine.host_mut();
        let verdict = match host.acl.get(&client.user) {
            Some(user) if user.unrestricted() => return None,
            Some(user) => user.check(spec, argv),
            None => Err(Denied::Command),
        };
        let denied = verdict.err()?;
        let context = if client.multi.is_some() {
            Context::Multi
        } else {
            Context::Toplevel
        };
        let mut entry = log_entry(denied, spec, argv, &client.user, context, id);
        entry.client_info = Some(client.info_line());
        host.acl_log.add(entry);
        let text = match denied {
            Denied::Command => format!(
                "NOPERM this user has no permissions to run the '{}' command",
                spec.name
            ),
            Denied::Key(_) => {
                "NOPERM this user has no permissions to access one of the keys used as arguments"
                    .to_owned()
            }
            Denied::Channel(_) => {
                "NOPERM this user has no permissions to access one of the channels used as arguments"
                    .to_owned()
            }
        };
        host.stats.record_rejected(Some(spec.name), text.as_bytes());
        if let Some(multi) = self.client(id).and_then(|c| c.multi.as_mut()) {
            multi.failed = true;
        }
        Some(Step::Reply(Reply::error(text)))
    }

    /// `EXEC`'s second look at a queued command: permissions may have changed since it was
    /// queued. The refusal is logged and counted as an error.
    pub(crate) fn exec_acl_refusal(
        &mut self,
        id: u64,
        spec: &'static CommandSpec,
        argv: &[Vec<u8>],
    ) -> Option<Reply> {
        let client = self.clients.get(&id)?;
        let host = self.engine.host_mut();
        let denied = match host.acl.get(&client.user) {
            Some(user) => user.check(spec, argv).err()?,
            None => Denied::Command,
        };
        let mut entry = log_entry(denied, spec, argv, &client.user, Context::Multi, id);
        entry.client_info = Some(client.info_line());
        host.acl_log.add(entry);
        let reason = match denied {
            Denied::Command => "no permission to execute the command or subcommand",
            Denied::Key(_) => "no permission to touch the specified keys",
            Denied::Channel(_) => "no permission to access one of the channels used as arguments",
        };
        let text = format!(
            "NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: {reason}"
        );
        host.stats.record_error(text.as_bytes());
        Some(Reply::error(text))
    }

    /// Starts a command on the engine with client `id` as the user scripts run as.
    pub(crate) fn start_as_caller(&mut self, id: u64, ctx: &CallContext, argv: &[Vec<u8>]) -> Poll {
        self.set_caller(id);
        self.engine.start(ctx, argv)
    }

    /// Makes client `id` the caller the keyspace checks scripts' commands against (not while
    /// a script runs: a command allowed then must not change whom the script runs as).
    pub(crate) fn set_caller(&mut self, id: u64) {
        if self.engine.is_running() {
            return;
        }
        let Some(client) = self.clients.get(&id) else {
            return;
        };
        let host = self.engine.host_mut();
        host.caller_id = id;
        if host.caller != client.user {
            host.caller.clone_from(&client.user);
        }
    }

    /// Whether `user`/`pass` open an enabled user; a failure goes to `ACL LOG` under the
    /// command's name as the client wrote it (`ACLAuthenticateUser`).
    pub(crate) fn credentials_ok(
        &mut self,
        id: u64,
        command: &[u8],
        user: &[u8],
        pass: &[u8],
    ) -> bool {
        let host = self.engine.host_mut();
        if host.acl.get(user).is_some_and(|u| u.password_ok(pass)) {
            return true;
        }
        let Some(client) = self.clients.get(&id) else {
            return false;
        };
        let context = if client.multi.is_some() {
            Context::Multi
        } else {
            Context::Toplevel
        };
        host.acl_log.add(Entry {
            count: 1,
            reason: Reason::Auth,
            context,
            object: command.to_vec(),
            username: user.to_vec(),
            at: Instant::now(),
            client_id: id,
            client_info: Some(client.info_line()),
        });
        false
    }

    /// Tells the connections whether new clients must authenticate and whether protected
    /// mode turns away non-loopback clients (after a change of the default user or of
    /// `protected-mode`).
    pub(crate) fn sync_auth_required(&self) {
        let acl = &self.engine.host().acl;
        let shared = &self.config.shared;
        shared
            .needs_auth
            .store(acl.auth_required(), Ordering::Relaxed);
        let protected = self
            .config
            .other
            .get("protected-mode")
            .is_none_or(|v| v.eq_ignore_ascii_case("yes"));
        shared
            .deny_remote
            .store(protected && acl.default_nopass(), Ordering::Relaxed);
    }

    /// `ACL subcommand ...`.
    pub(crate) fn acl_command(&mut self, id: u64, spec: &CommandSpec, argv: &[Vec<u8>]) -> Step {
        let reply = match spec.name {
            "acl|setuser" => self.acl_setuser(argv),
            "acl|deluser" => return self.acl_deluser(id, argv),
            "acl|getuser" => self
                .engine
                .host()
                .acl
                .get(&argv[2])
                .map_or(Reply::Nil, getuser),
            "acl|list" => Reply::Array(
                self.engine
                    .host()
                    .acl
                    .users
                    .values()
                    .map(|u| {
                        let mut line = b"user ".to_vec();
                        line.extend_from_slice(&u.name);
                        line.push(b' ');
                        line.extend_from_slice(&describe_user(u));
                        Reply::Bulk(line)
                    })
                    .collect(),
            ),
            "acl|users" => Reply::Array(
                self.engine
                    .host()
                    .acl
                    .users
                    .keys()
                    .map(|name| Reply::Bulk(name.clone()))
                    .collect(),
            ),
            "acl|whoami" => self
                .clients
                .get(&id)
                .map_or(Reply::Nil, |c| Reply::Bulk(c.user.clone())),
            "acl|load" | "acl|save" => Reply::error(
                "ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.",
            ),
            "acl|cat" if argv.len() <= 3 => acl_cat(argv),
            "acl|genpass" => genpass(argv),
            "acl|log" => self.acl_log(argv),
            "acl|dryrun" => self.acl_dryrun(argv),
            "acl|help" if argv.len() == 2 => Reply::Array(
                HELP.iter()
                    .map(|l| Reply::Status(l.as_bytes().to_vec()))
                    .collect(),
            ),
            _ => Reply::error(format!(
                "ERR unknown subcommand or wrong number of arguments for '{}'. Try ACL HELP.",
                String::from_utf8_lossy(argv.get(1).map_or(&[][..], Vec::as_slice))
            )),
        };
        Step::Reply(reply)
    }

    /// `ACL SETUSER name rules...`.
    fn acl_setuser(&mut self, argv: &[Vec<u8>]) -> Reply {
        let name = &argv[2];
        if has_spaces(name) {
            return Reply::error("ERR Usernames can't contain spaces or null characters");
        }
        if let Err(text) = self.engine.host_mut().acl.set_user(name, &argv[3..]) {
            return Reply::error(text);
        }
        self.sync_auth_required();
        self.kill_revoked_subscribers(name);
        Reply::ok()
    }

    /// Disconnects the clients of user `name` subscribed to a channel or pattern it may no
    /// longer use (`ACLKillPubsubClientsIfNeeded`).
    fn kill_revoked_subscribers(&mut self, name: &[u8]) {
        let Some(user) = self.engine.host().acl.get(name) else {
            return;
        };
        let doomed: Vec<u64> = self
            .clients
            .values()
            .filter(|c| c.user == name && c.authenticated)
            .filter(|c| {
                c.channels.iter().any(|ch| !user.channel_ok(ch, false))
                    || c.shard_channels
                        .iter()
                        .any(|ch| !user.channel_ok(ch, false))
                    || c.patterns.iter().any(|p| !user.channel_ok(p, true))
            })
            .map(|c| c.id)
            .collect();
        for id in doomed {
            self.drop_client(id);
        }
    }

    /// Disconnects a client now: it leaves `CLIENT LIST` before the next command.
    fn drop_client(&mut self, id: u64) {
        if let Some(client) = self.clients.get(&id) {
            client.kill.notify_one();
        }
        self.forget_client(id);
    }

    /// `ACL DELUSER name...`: the clients of a deleted user are disconnected (the caller after
    /// its reply).
    fn acl_deluser(&mut self, id: u64, argv: &[Vec<u8>]) -> Step {
        if argv[2..].iter().any(|name| name == b"default") {
            return Step::Reply(Reply::error("ERR The 'default' user cannot be removed"));
        }
        let mut deleted = 0;
        let mut close_self = false;
        for name in &argv[2..] {
            if self.engine.host_mut().acl.users.remove(name).is_none() {
                continue;
            }
            deleted += 1;
            let doomed: Vec<u64> = self
                .clients
                .values()
                .filter(|c| c.user == *name && c.authenticated)
                .map(|c| c.id)
                .collect();
            for client in doomed {
                if client == id {
                    close_self = true;
                } else {
                    self.drop_client(client);
                }
            }
        }
        let reply = Reply::Integer(deleted);
        if close_self {
            Step::Close(reply)
        } else {
            Step::Reply(reply)
        }
    }

    /// `ACL LOG [count|RESET]`.
    fn acl_log(&mut self, argv: &[Vec<u8>]) -> Reply {
        let mut count = 10usize;
        if let Some(arg) = argv.get(2) {
            if arg.eq_ignore_ascii_case(b"reset") {
                self.engine.host_mut().acl_log.reset();
                return Reply::ok();
            }
            match std::str::from_utf8(arg)
                .ok()
                .and_then(|s| s.parse::<i64>().ok())
            {
                Some(n) => count = usize::try_from(n.max(0)).unwrap_or(usize::MAX),
                None => return Reply::error("ERR value is not an integer or out of range"),
            }
        }
        let clients = &self.clients;
        let log = &mut self.engine.host_mut().acl_log;
        log.fill_client_info(|cid| clients.get(&cid).map(|c| c.info_line()));
        log.reply(count)
    }

    /// `ACL DRYRUN user command args...`.
    fn acl_dryrun(&mut self, argv: &[Vec<u8>]) -> Reply {
        let host = self.engine.host();
        let Some(user) = host.acl.get(&argv[2]) else {
            return Reply::error(format!(
                "ERR User '{}' not found",
                String::from_utf8_lossy(&argv[2])
            ));
        };
        let target = &argv[3..];
        let spec = match resolve_command(target) {
            Ok(spec) => spec,
            Err(ferrous_redis::CommandError::WrongArity(name)) => {
                return Reply::error(format!(
                    "ERR wrong number of arguments for '{name}' command"
                ));
            }
            Err(_) => {
                return Reply::error(format!(
                    "ERR Command '{}' not found",
                    String::from_utf8_lossy(&argv[3])
                ));
            }
        };
        match dryrun_text(user, spec, target) {
            Some(text) => Reply::Bulk(text.into_bytes()),
            None => Reply::ok(),
        }
    }
}

/// `ACL DRYRUN`'s refusal text, or `None` when the user may run the command.
fn dryrun_text(user: &User, spec: &CommandSpec, argv: &[Vec<u8>]) -> Option<String> {
    let denied = user.check(spec, argv).err()?;
    let arg = |pos: usize| {
        String::from_utf8_lossy(argv.get(pos).map_or(&[][..], Vec::as_slice)).into_owned()
    };
    Some(match denied {
        Denied::Command => format!(
            "This user has no permissions to run the '{}' command",
            spec.name
        ),
        Denied::Key(pos) => format!(
            "This user has no permissions to access the '{}' key",
            arg(pos)
        ),
        Denied::Channel(pos) => format!(
            "This user has no permissions to access the '{}' channel",
            arg(pos)
        ),
    })
}

/// `ACL CAT [category]`.
fn acl_cat(argv: &[Vec<u8>]) -> Reply {
    let Some(name) = argv.get(2) else {
        return Reply::Array(
            ferrous_redis::AclCategories::all()
                .map(|(_, n)| Reply::Bulk(n.as_bytes().to_vec()))
                .collect(),
        );
    };
    let Some(cat) = super::acl::category(name) else {
        return Reply::error(format!(
            "ERR Unknown category '{}'",
            String::from_utf8_lossy(&name[..name.len().min(128)])
        ));
    };
    let mut names = Vec::new();
    for spec in all_commands() {
        for spec in std::iter::once(spec).chain(spec.subcommands) {
            if spec.acl_categories.intersects(cat) {
                names.push(Reply::Bulk(spec.name.as_bytes().to_vec()));
            }
        }
    }
    Reply::Array(names)
}

/// `ACL GENPASS [bits]`: hex digits of random bytes from the operating system.
fn genpass(argv: &[Vec<u8>]) -> Reply {
    const MAX_BITS: i64 = 4096;
    let bits = match argv.get(2) {
        None => 256,
        Some(arg) => match std::str::from_utf8(arg)
            .ok()
            .and_then(|s| s.parse::<i64>().ok())
        {
            Some(bits) => bits,
            None => return Reply::error("ERR value is not an integer or out of range"),
        },
    };
    if bits <= 0 || bits > MAX_BITS {
        return Reply::error(format!(
            "ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to {MAX_BITS}"
        ));
    }
    let chars = usize::try_from((bits + 3) / 4).unwrap_or(64);
    let mut seed = [0u8; 32];
    if getrandom::fill(&mut seed).is_err() {
        return Reply::error("ERR could not read random bytes from the operating system");
    }
    // Chain SHA-256 over the seed and a counter, as Redis's `getRandomHexChars` does.
    let mut hex = String::with_capacity(chars + 64);
    let mut counter = 0u64;
    while hex.len() < chars {
        let mut block = seed.to_vec();
        block.extend_from_slice(&counter.to_le_bytes());
        hex.push_str(&hash_password(&block));
        counter += 1;
    }
    hex.truncate(chars);
    Reply::Bulk(hex.into_bytes())
}
