//! The clients the server knows ([`Client`]) and the `CLIENT` command: `ID`, `SETNAME`,
//! `GETNAME`, `LIST`, `INFO`, `KILL`, `NO-EVICT`, `REPLY`, `TRACKING`-free bookkeeping.
//!
//! A client's state lives here, in the engine's thread, not in its connection task: the
//! connection only moves bytes, so `CLIENT LIST` and `CLIENT KILL` see and reach everyone.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use ferrous_redis::{CommandSpec, Reply};
use tokio::sync::Notify;
use tokio::sync::mpsc::Sender;

use super::core::{Core, Step};
use super::multi::MultiState;

/// The clients by id. Ids are the server's own counter, never chosen by a peer, so a plain
/// multiplicative hash serves (the map is looked up several times per request).
pub(crate) type ClientMap = HashMap<u64, Client, BuildHasherDefault<IdHasher>>;

/// The hasher of [`ClientMap`]: Fibonacci hashing of the id.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(self.0.rotate_left(8) ^ u64::from(byte));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// `CLIENT REPLY`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ReplyMode {
    On,
    Off,
    /// Skip the reply of the next command only.
    Skip,
}

/// One connected client.
pub(crate) struct Client {
    pub(crate) id: u64,
    pub(crate) addr: SocketAddr,
    pub(crate) laddr: SocketAddr,
    pub(crate) name: Vec<u8>,
    pub(crate) db: usize,
    pub(crate) resp: u8,
    pub(crate) authenticated: bool,
    pub(crate) user: Vec<u8>,
    pub(crate) created: Instant,
    pub(crate) last_command: &'static str,
    pub(crate) reply_mode: ReplyMode,
    pub(crate) multi: Option<MultiState>,
    /// Keys this client watches.
    pub(crate) watched: HashSet<(usize, Vec<u8>)>,
    /// A watched key was touched: the next `EXEC` fails.
    pub(crate) dirty_cas: bool,
    /// Wakes the connection task to close it (`CLIENT KILL`).
    pub(crate) kill: Arc<Notify>,
    /// Bytes the connection writes as they come (pub/sub messages).
    pub(crate) push: Sender<Vec<u8>>,
    /// Subscribed channels and patterns.
    pub(crate) channels: BTreeSet<Vec<u8>>,
    pub(crate) patterns: BTreeSet<Vec<u8>>,
    /// Subscribed shard channels (`SSUBSCRIBE`).
    pub(crate) shard_channels: BTreeSet<Vec<u8>>,
}

impl Client {
    /// A client that just connected.
    pub(crate) fn new(
        id: u64,
        addr: SocketAddr,
        laddr: SocketAddr,
        kill: Arc<Notify>,
        push: Sender<Vec<u8>>,
        authenticated: bool,
    ) -> Client {
        Client {
            id,
            addr,
            laddr,
            name: Vec::new(),
            db: 0,
            resp: 2,
            authenticated,
            user: b"default".to_vec(),
            created: Instant::now(),
            last_command: "NULL",
            reply_mode: ReplyMode::On,
            multi: None,
            watched: HashSet::new(),
            dirty_cas: false,
            kill,
            push,
            channels: BTreeSet::new(),
            patterns: BTreeSet::new(),
            shard_channels: BTreeSet::new(),
        }
    }

    /// One line of `CLIENT LIST` (and `CLIENT INFO`), as Redis 7.0 formats it.
    pub(crate) fn info_line(&self) -> String {
        let age = self.created.elapsed().as_secs();
        let flags = if self.multi.is_some() { "x" } else { "N" };
        let multi = self
            .multi
            .as_ref()
            .map_or(-1, |m| i64::try_from(m.queued.len()).unwrap_or(i64::MAX));
        format!(
            "id={} addr={} laddr={} fd=8 name={} age={age} idle=0 flags={flags} db={} sub={} psub={} ssub={} multi={multi} qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=16384 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd={} user={} redir=-1 resp={}",
            self.id,
            self.addr,
            self.laddr,
            String::from_utf8_lossy(&self.name),
            self.db,
            self.channels.len(),
            self.patterns.len(),
            self.shard_channels.len(),
            self.last_command,
            String::from_utf8_lossy(&self.user),
            self.resp,
        )
    }
}

/// `CLIENT SETNAME`'s check: no spaces, newlines or other special characters.
pub(crate) fn valid_name(name: &[u8]) -> bool {
    name.iter().all(|&b| (b'!'..=b'~').contains(&b))
}

/// Text of `CLIENT SETNAME` with a bad name.
pub(crate) const BAD_NAME: &str =
    "ERR Client names cannot contain spaces, newlines or special characters.";

/// `CLIENT KILL` in its old form (`CLIENT KILL addr`) or its filters (`ID`, `ADDR`, `LADDR`,
/// `SKIPME`, `USER`, `TYPE`): the ids to kill, or the error reply.
pub(crate) fn kill_targets<'a>(
    clients: impl Iterator<Item = &'a Client>,
    me: u64,
    args: &[Vec<u8>],
) -> Result<(Vec<u64>, bool), Reply> {
    let clients: Vec<&Client> = clients.collect();
    if args.len() == 3 {
        let addr = String::from_utf8_lossy(&args[2]).into_owned();
        let found: Vec<u64> = clients
            .iter()
            .filter(|c| c.addr.to_string() == addr)
            .map(|c| c.id)
            .collect();
        if found.is_empty() {
            return Err(Reply::error("ERR No such client"));
        }
        return Ok((found, true));
    }
    let mut ids: Option<u64> = None;
    let mut addr: Option<String> = None;
    let mut laddr: Option<String> = None;
    let mut user: Option<Vec<u8>> = None;
    let mut skipme = true;
    let mut rest = args[2..].chunks(2);
    for pair in &mut rest {
        let [key, value] = pair else {
            return Err(Reply::error("ERR syntax error"));
        };
        match key.to_ascii_lowercase().as_slice() {
            b"id" => match std::str::from_utf8(value).ok().and_then(|v| v.parse().ok()) {
                Some(id) => ids = Some(id),
                None => {
                    return Err(Reply::error("ERR client-id should be greater than 0"));
                }
            },
            b"addr" => addr = Some(String::from_utf8_lossy(value).into_owned()),
            b"laddr" => laddr = Some(String::from_utf8_lossy(value).into_owned()),
            b"user" => user = Some(value.clone()),
            b"type" => {}
            b"maxage" => {}
            b"skipme" => match value.to_ascii_lowercase().as_slice() {
                b"yes" => skipme = true,
                b"no" => skipme = false,
                _ => return Err(Reply::error("ERR syntax error")),
            },
            _ => return Err(Reply::error("ERR syntax error")),
        }
    }
    let found = clients
        .iter()
        .filter(|c| ids.is_none_or(|id| c.id == id))
        .filter(|c| addr.as_ref().is_none_or(|a| c.addr.to_string() == *a))
        .filter(|c| laddr.as_ref().is_none_or(|a| c.laddr.to_string() == *a))
        .filter(|c| user.as_ref().is_none_or(|u| c.user == *u))
        .filter(|c| !(skipme && c.id == me))
        .map(|c| c.id)
        .collect();
    Ok((found, false))
}

impl Core {
    /// `CLIENT ...`.
    pub(crate) fn client_command(&mut self, id: u64, spec: &CommandSpec, argv: &[Vec<u8>]) -> Step {
        let reply = match spec.name {
            "client|id" => Reply::Integer(i64::try_from(id).unwrap_or(i64::MAX)),
            "client|setname" => {
                if !valid_name(&argv[2]) {
                    Reply::error(BAD_NAME)
                } else {
                    if let Some(client) = self.client(id) {
                        client.name = argv[2].clone();
                    }
                    Reply::ok()
                }
            }
            "client|getname" => match self.clients.get(&id) {
                Some(c) if !c.name.is_empty() => Reply::Bulk(c.name.clone()),
                _ => Reply::Nil,
            },
            "client|list" => {
                let mut ids: Vec<u64> = self.clients.keys().copied().collect();
                ids.sort_unstable();
                let mut text = String::new();
                for cid in ids {
                    if let Some(c) = self.clients.get(&cid) {
                        text.push_str(&c.info_line());
                        text.push('\n');
                    }
                }
                Reply::Verbatim {
                    format: *b"txt",
                    text: text.into_bytes(),
                }
            }
            "client|info" => match self.clients.get(&id) {
                Some(c) => Reply::Verbatim {
                    format: *b"txt",
                    text: format!("{}\n", c.info_line()).into_bytes(),
                },
                None => Reply::Nil,
            },
            "client|kill" => match kill_targets(self.clients.values(), id, argv) {
                Err(reply) => reply,
                Ok((targets, old_form)) => {
                    let mut close_me = false;
                    for target in &targets {
                        if *target == id {
                            close_me = true;
                        } else if let Some(c) = self.clients.get(target) {
                            c.kill.notify_one();
                        }
                    }
                    let reply = if old_form {
                        Reply::ok()
                    } else {
                        Reply::Integer(targets.len() as i64)
                    };
                    if close_me {
                        return Step::Close(reply);
                    }
                    reply
                }
            },
            "client|reply" => {
                let mode = argv[2].to_ascii_lowercase();
                let new_mode = match mode.as_slice() {
                    b"on" => ReplyMode::On,
                    b"off" => ReplyMode::Off,
                    b"skip" => ReplyMode::Skip,
                    _ => return Step::Reply(Reply::error("ERR syntax error")),
                };
                if let Some(client) = self.client(id) {
                    client.reply_mode = new_mode;
                }
                if new_mode == ReplyMode::On {
                    Reply::ok()
                } else {
                    return Step::Silent;
                }
            }
            "client|no-evict" | "client|no-touch" => {
                let mode = argv[2].to_ascii_lowercase();
                if mode == b"on" || mode == b"off" {
                    Reply::ok()
                } else {
                    Reply::error("ERR syntax error")
                }
            }
            "client|pause" | "client|unpause" | "client|tracking" | "client|caching" => Reply::ok(),
            "client|getredir" => Reply::Integer(-1),
            "client|unblock" => {
                let target = std::str::from_utf8(&argv[2])
                    .ok()
                    .and_then(|s| s.parse::<u64>().ok());
                let error = match argv.get(3).map(|m| m.to_ascii_lowercase()) {
                    None => false,
                    Some(mode) if mode == b"timeout" => false,
                    Some(mode) if mode == b"error" => true,
                    Some(_) => {
                        return Step::Reply(Reply::error(
                            "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR",
                        ));
                    }
                };
                match target {
                    Some(target) => Reply::Integer(i64::from(self.unblock(target, error))),
                    None => Reply::error("ERR value is not an integer or out of range"),
                }
            }
            _ => Reply::error(format!(
                "ERR unknown subcommand '{}'. Try CLIENT HELP.",
                String::from_utf8_lossy(&argv[1])
            )),
        };
        Step::Reply(reply)
    }
}
