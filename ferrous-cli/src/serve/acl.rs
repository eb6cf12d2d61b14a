//! ACL users as Redis 7.0 has them (`acl.c`): [`Users`] holds every [`User`] by name, each with
//! its flags, its password hashes and its permissions: a root [`Selector`] plus the selectors
//! added with `(...)`. A selector allows commands (a bitmap over [`command_ids`], with
//! first-arguments for `+select|0`), keys (`~pattern`, `%R~`, `%W~`) and channels
//! (`&pattern`). `ACL SETUSER`'s rules are applied by [`User::apply`]; [`User::check`] is
//! `ACLCheckAllUserCommandPerm`.
//!
//! Passwords are kept only as SHA-256 hex digests, as Redis keeps them (`#hash` in `ACL LIST`),
//! and compared in constant time ([`subtle`]).
//!
//! Invariants: a selector's bitmap has exactly one bit per entry of [`command_ids`] (commands
//! and subcommands of Redis 7.0.15's table); the `default` user always exists. The access a
//! key needs (`%R~`, `%W~`) comes from the command's key specifications
//! (`ferrous_redis::keys_with_flags`), as in Redis.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use ferrous_redis::{AclCategories, CommandFlags, CommandSpec, all_commands, keys_with_flags};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::glob::glob_match;

/// The category called `name` (without `@`), any case.
pub(crate) fn category(name: &[u8]) -> Option<AclCategories> {
    AclCategories::all()
        .find(|(_, n)| n.as_bytes().eq_ignore_ascii_case(name))
        .map(|(c, _)| c)
}

/// Every command and subcommand, each parent followed by its subcommands: a command's ACL id
/// is its index here.
pub(crate) fn command_ids() -> &'static [&'static CommandSpec] {
    static IDS: OnceLock<Vec<&'static CommandSpec>> = OnceLock::new();
    IDS.get_or_init(|| {
        let mut ids = Vec::new();
        for spec in all_commands() {
            ids.push(spec);
            ids.extend(spec.subcommands.iter());
        }
        ids
    })
}

/// The ACL id of a command of the table.
pub(crate) fn id_of(spec: &CommandSpec) -> Option<usize> {
    static BY_NAME: OnceLock<HashMap<&'static str, usize>> = OnceLock::new();
    BY_NAME
        .get_or_init(|| {
            command_ids()
                .iter()
                .enumerate()
                .map(|(id, spec)| (spec.name, id))
                .collect()
        })
        .get(spec.name)
        .copied()
}

/// A command of the table by its ACL name (`get`, `config|get`), any case.
fn lookup_acl_name(name: &[u8]) -> Option<&'static CommandSpec> {
    match name.iter().position(|&b| b == b'|') {
        None => ferrous_redis::lookup_command(name),
        Some(bar) => ferrous_redis::lookup_subcommand(&name[..bar], &name[bar + 1..]),
    }
}

/// The parent of a subcommand (`config` for `config|get`).
fn is_subcommand(spec: &CommandSpec) -> bool {
    spec.name.contains('|')
}

/// The SHA-256 of a password, as 64 lowercase hex digits (`ACLHashPassword`).
pub(crate) fn hash_password(pass: &[u8]) -> String {
    let digest = Sha256::digest(pass);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Why a rule of `ACL SETUSER` was refused (`ACLSetUserStringError`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RuleError {
    UnknownCommand,
    Syntax,
    KeyAfterAll,
    ChannelAfterAll,
    NoSuchPassword,
    BadHash,
    SubcommandFirstArg,
}

impl RuleError {
    /// The explanation Redis gives.
    pub(crate) fn message(self) -> &'static str {
        match self {
            RuleError::UnknownCommand => "Unknown command or category name in ACL",
            RuleError::Syntax => "Syntax error",
            RuleError::KeyAfterAll => {
                "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns"
            }
            RuleError::ChannelAfterAll => {
                "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels"
            }
            RuleError::NoSuchPassword => {
                "The password you are trying to remove from the user does not exist"
            }
            RuleError::BadHash => {
                "The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters"
            }
            RuleError::SubcommandFirstArg => "Allowing first-arg of a subcommand is not supported",
        }
    }
}

/// Why a command was refused (`ACL_DENIED_*`), ordered as Redis ranks them when several
/// selectors fail; the position is the argument that failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Denied {
    Command,
    Key(usize),
    Channel(usize),
}

/// A key pattern and the access it grants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct KeyPattern {
    pub(crate) pattern: Vec<u8>,
    pub(crate) read: bool,
    pub(crate) write: bool,
}

impl KeyPattern {
    /// `~p`, `%R~p` or `%W~p`.
    pub(crate) fn describe(&self) -> Vec<u8> {
        let mut out = match (self.read, self.write) {
            (true, false) => b"%R~".to_vec(),
            (false, true) => b"%W~".to_vec(),
            _ => b"~".to_vec(),
        };
        out.extend_from_slice(&self.pattern);
        out
    }
}

/// One set of permissions (Redis's `aclSelector`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Selector {
    /// One bit per entry of [`command_ids`].
    pub(crate) allowed: Vec<bool>,
    /// `SELECTOR_FLAG_ALLCOMMANDS`: every command, no bitmap test.
    pub(crate) all_commands: bool,
    /// The reserved bit `+@all` sets: the rules start from `+@all`.
    pub(crate) future: bool,
    /// First arguments allowed for commands whose bit is off (`+select|0`).
    pub(crate) first_args: BTreeMap<usize, Vec<Vec<u8>>>,
    pub(crate) all_keys: bool,
    pub(crate) keys: Vec<KeyPattern>,
    pub(crate) all_channels: bool,
    pub(crate) channels: Vec<Vec<u8>>,
}

impl Default for Selector {
    fn default() -> Self {
        Selector {
            allowed: vec![false; command_ids().len()],
            all_commands: false,
            future: false,
            first_args: BTreeMap::new(),
            all_keys: false,
            keys: Vec::new(),
            all_channels: false,
            channels: Vec::new(),
        }
    }
}

impl Selector {
    /// Sets one command's bit (`ACLSetSelectorCommandBit`).
    fn set_bit(&mut self, id: usize, value: bool) {
        if let Some(bit) = self.allowed.get_mut(id) {
            *bit = value;
        }
        if !value {
            self.all_commands = false;
        }
    }

    /// Allows or blocks a command, and a container's subcommands with it
    /// (`ACLChangeSelectorPerm`).
    pub(crate) fn change_perm(&mut self, spec: &CommandSpec, allow: bool) {
        let Some(id) = id_of(spec) else {
            return;
        };
        self.set_bit(id, allow);
        self.first_args.remove(&id);
        for sub in spec.subcommands {
            if let Some(sub_id) = id_of(sub) {
                self.set_bit(sub_id, allow);
            }
        }
    }

    /// `+@category` / `-@category` (`ACLSetSelectorCommandBitsForCategory`).
    pub(crate) fn set_category(&mut self, cat: AclCategories, allow: bool) {
        for spec in all_commands() {
            if spec.acl_categories.intersects(cat) {
                self.change_perm(spec, allow);
            }
            for sub in spec.subcommands {
                if sub.acl_categories.intersects(cat) {
                    self.change_perm(sub, allow);
                }
            }
        }
    }

    /// `+@all` / `-@all`.
    pub(crate) fn set_all(&mut self, allow: bool) {
        self.allowed.iter_mut().for_each(|b| *b = allow);
        self.all_commands = allow;
        self.future = allow;
        self.first_args.clear();
    }

    /// Whether the command's bit is set.
    pub(crate) fn bit(&self, id: usize) -> bool {
        self.allowed.get(id).copied().unwrap_or(false)
    }

    /// One rule about commands, keys or channels (`ACLSetSelector`).
    pub(crate) fn apply(&mut self, op: &[u8]) -> Result<(), RuleError> {
        let lower = op.to_ascii_lowercase();
        match lower.as_slice() {
            b"allkeys" | b"~*" => {
                self.all_keys = true;
                self.keys.clear();
            }
            b"resetkeys" => {
                self.all_keys = false;
                self.keys.clear();
            }
            b"allchannels" | b"&*" => {
                self.all_channels = true;
                self.channels.clear();
            }
            b"resetchannels" => {
                self.all_channels = false;
                self.channels.clear();
            }
            b"allcommands" | b"+@all" => self.set_all(true),
            b"nocommands" | b"-@all" => self.set_all(false),
            _ => return self.apply_pattern_or_command(op),
        }
        Ok(())
    }

    fn apply_pattern_or_command(&mut self, op: &[u8]) -> Result<(), RuleError> {
        match op {
            [b'~' | b'%', ..] => self.add_key_pattern(op),
            [b'&', rest @ ..] => {
                if self.all_channels {
                    return Err(RuleError::ChannelAfterAll);
                }
                if has_spaces(rest) {
                    return Err(RuleError::Syntax);
                }
                if !self.channels.iter().any(|c| c == rest) {
                    self.channels.push(rest.to_vec());
                }
                Ok(())
            }
            [sign @ (b'+' | b'-'), b'@', cat @ ..] => {
                let cat = category(cat).ok_or(RuleError::UnknownCommand)?;
                self.set_category(cat, *sign == b'+');
                Ok(())
            }
            [b'+', name @ ..] => self.allow_command(name),
            [b'-', name @ ..] => {
                let spec = lookup_acl_name(name).ok_or(RuleError::UnknownCommand)?;
                self.change_perm(spec, false);
                Ok(())
            }
            _ => Err(RuleError::Syntax),
        }
    }

    /// `~pattern`, `%R~pattern`, `%W~pattern`, `%RW~pattern`.
    fn add_key_pattern(&mut self, op: &[u8]) -> Result<(), RuleError> {
        if self.all_keys {
            return Err(RuleError::KeyAfterAll);
        }
        let (mut read, mut write) = (false, false);
        let mut offset = 1;
        if op.first() == Some(&b'%') {
            loop {
                match op.get(offset).map(u8::to_ascii_uppercase) {
                    Some(b'R') if !read => read = true,
                    Some(b'W') if !write => write = true,
                    Some(b'~') => {
                        offset += 1;
                        break;
                    }
                    // Redis accepts `%R` with no `~` as an empty pattern; so do we.
                    None => break,
                    Some(_) => return Err(RuleError::Syntax),
                }
                offset += 1;
            }
        } else {
            (read, write) = (true, true);
        }
        let pattern = op.get(offset..).unwrap_or_default();
        if has_spaces(pattern) {
            return Err(RuleError::Syntax);
        }
        match self.keys.iter_mut().find(|k| k.pattern == pattern) {
            Some(existing) => {
                existing.read |= read;
                existing.write |= write;
            }
            None => self.keys.push(KeyPattern {
                pattern: pattern.to_vec(),
                read,
                write,
            }),
        }
        Ok(())
    }

    /// `+command`, `+container|sub`, `+command|first-arg`.
    fn allow_command(&mut self, name: &[u8]) -> Result<(), RuleError> {
        let Some(bar) = name.iter().rposition(|&b| b == b'|') else {
            let spec = lookup_acl_name(name).ok_or(RuleError::UnknownCommand)?;
            self.change_perm(spec, true);
            return Ok(());
        };
        let (head, sub) = (&name[..bar], &name[bar + 1..]);
        let spec = lookup_acl_name(head).ok_or(RuleError::UnknownCommand)?;
        if is_subcommand(spec) {
            return Err(RuleError::SubcommandFirstArg);
        }
        if sub.is_empty() {
            return Err(RuleError::Syntax);
        }
        if spec.is_container() {
            let sub_spec = spec.subcommand(sub).ok_or(RuleError::UnknownCommand)?;
            self.change_perm(sub_spec, true);
        } else if let Some(id) = id_of(spec) {
            let args = self.first_args.entry(id).or_default();
            if !args.iter().any(|a| a.eq_ignore_ascii_case(sub)) {
                args.push(sub.to_vec());
            }
        }
        Ok(())
    }

    /// `ACLSelectorCheckCmd`.
    fn check(&self, spec: &CommandSpec, argv: &[Vec<u8>]) -> Result<(), Denied> {
        if !self.all_commands && !spec.flags.contains(CommandFlags::NO_AUTH) {
            let id = id_of(spec).ok_or(Denied::Command)?;
            if !self.bit(id) {
                let idx = if is_subcommand(spec) { 2 } else { 1 };
                let allowed = match (self.first_args.get(&id), argv.get(idx)) {
                    (Some(args), Some(arg)) => args.iter().any(|a| a.eq_ignore_ascii_case(arg)),
                    _ => false,
                };
                if !allowed {
                    return Err(Denied::Command);
                }
            }
        }
        if !self.all_keys {
            for (pos, flags) in keys_with_flags(spec, argv) {
                let Some(key) = argv.get(pos) else {
                    continue;
                };
                let (read, write) = (flags.needs_read(), flags.needs_write());
                let ok = self.keys.iter().any(|p| {
                    (p.read || !read) && (p.write || !write) && glob_match(&p.pattern, key)
                });
                if !ok {
                    return Err(Denied::Key(pos));
                }
            }
        }
        if !self.all_channels {
            for (pos, is_pattern) in channels_of(spec, argv) {
                let Some(channel) = argv.get(pos) else {
                    continue;
                };
                let ok = self.channels.iter().any(|p| {
                    if is_pattern {
                        p == channel
                    } else {
                        glob_match(p, channel)
                    }
                });
                if !ok {
                    return Err(Denied::Channel(pos));
                }
            }
        }
        Ok(())
    }
}

/// The channels a command publishes or subscribes to: positions, and whether each is a pattern.
fn channels_of(spec: &CommandSpec, argv: &[Vec<u8>]) -> Vec<(usize, bool)> {
    match spec.name {
        "publish" | "spublish" => vec![(1, false)],
        "subscribe" | "ssubscribe" => (1..argv.len()).map(|p| (p, false)).collect(),
        "psubscribe" => (1..argv.len()).map(|p| (p, true)).collect(),
        _ => Vec::new(),
    }
}

/// Whether a name or pattern has spaces or NULs (`ACLStringHasSpaces`).
pub(crate) fn has_spaces(s: &[u8]) -> bool {
    s.iter()
        .any(|&b| b == 0 || b.is_ascii_whitespace() || b == 0x0b)
}

/// One user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct User {
    pub(crate) name: Vec<u8>,
    pub(crate) enabled: bool,
    pub(crate) nopass: bool,
    /// `sanitize-payload` (`Some(true)`), `skip-sanitize-payload` (`Some(false)`) or neither.
    pub(crate) sanitize: Option<bool>,
    /// SHA-256 hex digests.
    pub(crate) passwords: Vec<String>,
    pub(crate) root: Selector,
    pub(crate) selectors: Vec<Selector>,
}

impl User {
    /// A new user: off, no password, no permissions (`ACLCreateUser`).
    pub(crate) fn new(name: &[u8]) -> User {
        User {
            name: name.to_vec(),
            enabled: false,
            nopass: false,
            sanitize: None,
            passwords: Vec::new(),
            root: Selector::default(),
            selectors: Vec::new(),
        }
    }

    /// The `default` user: on, nopass, every command, key and channel.
    pub(crate) fn default_user() -> User {
        let mut user = User::new(b"default");
        user.root.set_all(true);
        user.root.all_keys = true;
        user.root.all_channels = true;
        user.enabled = true;
        user.nopass = true;
        user
    }

    /// The flags in `ACL LIST`'s order.
    pub(crate) fn flags(&self) -> Vec<&'static str> {
        let mut flags = vec![if self.enabled { "on" } else { "off" }];
        if self.nopass {
            flags.push("nopass");
        }
        match self.sanitize {
            Some(false) => flags.push("skip-sanitize-payload"),
            Some(true) => flags.push("sanitize-payload"),
            None => {}
        }
        flags
    }

    /// One rule (`ACLSetUser`).
    pub(crate) fn apply(&mut self, op: &[u8]) -> Result<(), RuleError> {
        if op.is_empty() {
            return Ok(());
        }
        let lower = op.to_ascii_lowercase();
        match lower.as_slice() {
            b"on" => self.enabled = true,
            b"off" => self.enabled = false,
            b"skip-sanitize-payload" => self.sanitize = Some(false),
            b"sanitize-payload" => self.sanitize = Some(true),
            b"nopass" => {
                self.nopass = true;
                self.passwords.clear();
            }
            b"resetpass" => {
                self.nopass = false;
                self.passwords.clear();
            }
            b"clearselectors" => self.selectors.clear(),
            b"reset" => {
                self.nopass = false;
                self.passwords.clear();
                self.root.all_keys = false;
                self.root.keys.clear();
                self.root.all_channels = false;
                self.root.channels.clear();
                self.enabled = false;
                self.sanitize = Some(true);
                self.selectors.clear();
                self.root.set_all(false);
            }
            _ => return self.apply_other(op),
        }
        Ok(())
    }

    fn apply_other(&mut self, op: &[u8]) -> Result<(), RuleError> {
        match op {
            [b'>', pass @ ..] => {
                self.add_password(hash_password(pass));
                Ok(())
            }
            [b'#', hash @ ..] => {
                let hash = checked_hash(hash)?;
                self.add_password(hash);
                Ok(())
            }
            [kind @ (b'<' | b'!'), rest @ ..] => {
                let hash = if *kind == b'<' {
                    hash_password(rest)
                } else {
                    checked_hash(rest)?
                };
                let before = self.passwords.len();
                self.passwords.retain(|p| *p != hash);
                if self.passwords.len() == before {
                    return Err(RuleError::NoSuchPassword);
                }
                Ok(())
            }
            [b'(', inner @ .., b')'] => {
                let mut selector = Selector::default();
                for rule in inner
                    .split(|b| b.is_ascii_whitespace())
                    .filter(|r| !r.is_empty())
                {
                    selector.apply(rule)?;
                }
                self.selectors.push(selector);
                Ok(())
            }
            _ => self.root.apply(op),
        }
    }

    fn add_password(&mut self, hash: String) {
        if !self.passwords.contains(&hash) {
            self.passwords.push(hash);
        }
        self.nopass = false;
    }

    /// Whether `pass` opens this user (`ACLCheckUserCredentials`, without the user lookup):
    /// every stored hash is compared, in constant time.
    pub(crate) fn password_ok(&self, pass: &[u8]) -> bool {
        if !self.enabled {
            return false;
        }
        if self.nopass {
            return true;
        }
        let hashed = hash_password(pass);
        let mut ok = subtle::Choice::from(0);
        for stored in &self.passwords {
            ok |= stored.as_bytes().ct_eq(hashed.as_bytes());
        }
        ok.into()
    }

    /// Whether this user may run `argv` (`ACLCheckAllUserCommandPerm`).
    pub(crate) fn check(&self, spec: &CommandSpec, argv: &[Vec<u8>]) -> Result<(), Denied> {
        let mut worst = Denied::Command;
        for selector in std::iter::once(&self.root).chain(&self.selectors) {
            match selector.check(spec, argv) {
                Ok(()) => return Ok(()),
                Err(denied) => worst = worst.max(denied),
            }
        }
        Err(worst)
    }

    /// Whether the user may subscribe to `channel` (a pattern of `PSUBSCRIBE` when
    /// `is_pattern`: then only the same literal pattern allows it), `ACLUserCheckChannelPerm`.
    pub(crate) fn channel_ok(&self, channel: &[u8], is_pattern: bool) -> bool {
        std::iter::once(&self.root).chain(&self.selectors).any(|s| {
            s.all_channels
                || s.channels.iter().any(|p| {
                    if is_pattern {
                        p == channel
                    } else {
                        glob_match(p, channel)
                    }
                })
        })
    }

    /// Whether one selector both allows `argv` and reads every key (`~*`, `%R~*` or
    /// `allkeys`).
    pub(crate) fn reads_every_key(&self, spec: &CommandSpec, argv: &[Vec<u8>]) -> bool {
        std::iter::once(&self.root).chain(&self.selectors).any(|s| {
            s.check(spec, argv).is_ok()
                && (s.all_keys || s.keys.iter().any(|k| k.read && k.pattern == b"*"))
        })
    }

    /// Whether the user may run everything everywhere (the fast path of every command).
    pub(crate) fn unrestricted(&self) -> bool {
        self.root.all_commands && self.root.all_keys && self.root.all_channels
    }
}

/// `#hash` and `!hash`: exactly 64 lowercase hex digits.
fn checked_hash(hash: &[u8]) -> Result<String, RuleError> {
    if hash.len() != 64 || !hash.iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(RuleError::BadHash);
    }
    Ok(String::from_utf8_lossy(hash).into_owned())
}

/// Every user, by name (sorted, as `ACL LIST` shows them).
#[derive(Debug)]
pub(crate) struct Users {
    pub(crate) users: BTreeMap<Vec<u8>, User>,
}

impl Users {
    /// Only `default`, open to all (`ACLInit`), or with `requirepass`.
    pub(crate) fn new(requirepass: Option<&str>) -> Users {
        let mut users = Users {
            users: BTreeMap::new(),
        };
        users
            .users
            .insert(b"default".to_vec(), User::default_user());
        users.set_default_password(requirepass);
        users
    }

    /// `requirepass`: the default user's only password, or `nopass` (`ACLUpdateDefaultUserPassword`).
    pub(crate) fn set_default_password(&mut self, pass: Option<&str>) {
        if let Some(user) = self.users.get_mut(&b"default"[..]) {
            user.nopass = false;
            user.passwords.clear();
            match pass {
                Some(pass) => user.add_password(hash_password(pass.as_bytes())),
                None => user.nopass = true,
            }
        }
    }

    /// Whether new connections must authenticate: the default user needs a password or is off.
    pub(crate) fn auth_required(&self) -> bool {
        self.users
            .get(&b"default"[..])
            .is_none_or(|u| !u.nopass || !u.enabled)
    }

    /// Whether the default user has no password (`AUTH <password>` is then an error).
    pub(crate) fn default_nopass(&self) -> bool {
        self.users.get(&b"default"[..]).is_some_and(|u| u.nopass)
    }

    /// `ACL SETUSER name rules...`: all rules or none (`ACLStringSetUser`). `Err` is the
    /// error text.
    pub(crate) fn set_user(&mut self, name: &[u8], rules: &[Vec<u8>]) -> Result<(), String> {
        let merged = merge_selector_args(rules)?;
        let mut user = self
            .users
            .get(name)
            .cloned()
            .unwrap_or_else(|| User::new(name));
        for rule in &merged {
            user.apply(rule).map_err(|err| {
                format!(
                    "ERR Error in ACL SETUSER modifier '{}': {}",
                    String::from_utf8_lossy(rule),
                    err.message()
                )
            })?;
        }
        self.users.insert(name.to_vec(), user);
        Ok(())
    }

    /// The user `name`.
    pub(crate) fn get(&self, name: &[u8]) -> Option<&User> {
        self.users.get(name)
    }
}

/// Joins the arguments of a selector split by spaces: `(~x` `+get)` is one rule
/// (`ACLMergeSelectorArguments`).
fn merge_selector_args(args: &[Vec<u8>]) -> Result<Vec<Vec<u8>>, String> {
    let mut merged = Vec::new();
    let mut open: Option<(usize, Vec<u8>)> = None;
    for (i, arg) in args.iter().enumerate() {
        if let Some((_, selector)) = open.as_mut() {
            selector.push(b' ');
            selector.extend_from_slice(arg);
            if arg.last() == Some(&b')') {
                if let Some((_, done)) = open.take() {
                    merged.push(done);
                }
            }
            continue;
        }
        if arg.first() == Some(&b'(') && arg.last() != Some(&b')') {
            open = Some((i, arg.clone()));
            continue;
        }
        merged.push(arg.clone());
    }
    if let Some((start, _)) = open {
        return Err(format!(
            "ERR Unmatched parenthesis in acl selector starting at '{}'.",
            String::from_utf8_lossy(&args[start])
        ));
    }
    Ok(merged)
}

#[cfg(test)]
#[path = "acl_tests.rs"]
mod tests;
