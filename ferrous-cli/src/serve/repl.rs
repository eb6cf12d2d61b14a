//! The replication stream, as far as a replica that attaches with `SYNC` or `PSYNC` observes
//! it: an RDB payload (empty: the dataset is not sent, so this serves watchers of the stream,
//! not real replicas), then every write as Redis 7.0 propagates it. [`Replication`] collects
//! the writes of one command (a script's or a transaction's included) as the keyspace sees
//! them; [`Core::flush_replication`] sends them when the command ends, wrapped in
//! `MULTI`/`EXEC` when there is more than one, with `SELECT` when the database changes
//! (`propagatePendingCommands`, `replicationFeedSlaves`).
//!
//! Writes go out in their deterministic form (`propagated_form`): `SPOP` as `SREM` (or `DEL`
//! when it emptied the set), relative expirations as `PEXPIREAT`, `SET ... EX` as
//! `SET ... PXAT`, `INCRBYFLOAT` as `SET ... KEEPTTL`, `GETDEL` as `DEL`, and so on.
//!
//! Invariant: nothing is collected while no replica is attached, and nothing is sent while a
//! script runs (its writes go out together when it ends).

use std::mem;

use ferrous_redis::{CallContext, CommandFlags, CommandHost, CommandSpec, MemoryHost, Reply};

use super::core::{Core, Step};

/// An RDB file with no keys: the header, the end opcode and a zero checksum (which Redis reads
/// as "no checksum").
const EMPTY_RDB: &[u8] = b"REDIS0010\xff\0\0\0\0\0\0\0\0";

/// The replicas and what waits for them.
#[derive(Debug, Default)]
pub(crate) struct Replication {
    /// The clients attached as replicas.
    pub(crate) replicas: Vec<u64>,
    /// The database the stream last selected (`slaveseldb`); `None` forces a `SELECT`.
    seldb: Option<usize>,
    /// Writes of the running command: database, command.
    pub(crate) pending: Vec<(usize, Vec<Vec<u8>>)>,
}

impl Replication {
    /// Records a write the keyspace made, if anyone listens.
    pub(crate) fn note(
        &mut self,
        mem: &mut MemoryHost,
        db: usize,
        argv: &[Vec<u8>],
        name: &str,
        reply: &Reply,
    ) {
        if self.replicas.is_empty() {
            return;
        }
        if let Some(cmd) = propagated_form(mem, db, argv, name, reply) {
            self.pending.push((db, cmd));
        }
    }
}

/// `*N\r\n$len\r\narg\r\n...`.
fn encode_command(args: &[Vec<u8>], out: &mut Vec<u8>) {
    out.extend_from_slice(format!("*{}\r\n", args.len()).as_bytes());
    for arg in args {
        out.extend_from_slice(format!("${}\r\n", arg.len()).as_bytes());
        out.extend_from_slice(arg);
        out.extend_from_slice(b"\r\n");
    }
}

/// The absolute expiry of `key` in milliseconds, `None` when it has none or is gone.
fn pexpiretime(mem: &mut MemoryHost, db: usize, key: &[u8]) -> Option<i64> {
    let ctx = CallContext {
        resp: 2,
        db,
        from_script: false,
    };
    match mem.call(&ctx, &[b"pexpiretime".to_vec(), key.to_vec()]) {
        Reply::Integer(ms) if ms >= 0 => Some(ms),
        _ => None,
    }
}

/// Whether `key` exists.
fn exists(mem: &mut MemoryHost, db: usize, key: &[u8]) -> bool {
    let ctx = CallContext {
        resp: 2,
        db,
        from_script: false,
    };
    mem.call(&ctx, &[b"exists".to_vec(), key.to_vec()]) == Reply::Integer(1)
}

/// `SET key value PXAT ms`, or `DEL key` when the key is already gone.
fn set_pxat(mem: &mut MemoryHost, db: usize, key: &[u8], value: &[u8]) -> Vec<Vec<u8>> {
    match pexpiretime(mem, db, key) {
        Some(ms) => vec![
            b"SET".to_vec(),
            key.to_vec(),
            value.to_vec(),
            b"PXAT".to_vec(),
            ms.to_string().into_bytes(),
        ],
        None => vec![b"DEL".to_vec(), key.to_vec()],
    }
}

/// `PEXPIREAT key ms`, or `DEL key` when the expiry removed it.
fn pexpireat(mem: &mut MemoryHost, db: usize, key: &[u8]) -> Vec<Vec<u8>> {
    match pexpiretime(mem, db, key) {
        Some(ms) => vec![
            b"PEXPIREAT".to_vec(),
            key.to_vec(),
            ms.to_string().into_bytes(),
        ],
        None => vec![b"DEL".to_vec(), key.to_vec()],
    }
}

/// The command a replica receives for a write that changed the keyspace.
fn propagated_form(
    mem: &mut MemoryHost,
    db: usize,
    argv: &[Vec<u8>],
    name: &str,
    reply: &Reply,
) -> Option<Vec<Vec<u8>>> {
    let key = argv.get(1)?;
    let has = |opt: &[u8]| argv.iter().skip(3).any(|a| a.eq_ignore_ascii_case(opt));
    let cmd = match name {
        "spop" => match reply {
            Reply::Bulk(member) => vec![b"SREM".to_vec(), key.clone(), member.clone()],
            Reply::Array(members) if !exists(mem, db, key) && argv.len() > 2 => {
                let _ = members;
                vec![b"DEL".to_vec(), key.clone()]
            }
            Reply::Array(members) => {
                let mut cmd = vec![b"SREM".to_vec(), key.clone()];
                cmd.extend(members.iter().filter_map(|m| match m {
                    Reply::Bulk(b) => Some(b.clone()),
                    _ => None,
                }));
                cmd
            }
            _ => return None,
        },
        "expire" | "pexpire" | "expireat" | "pexpireat" => pexpireat(mem, db, key),
        "getex" => {
            let opt = |o: &[u8]| argv.iter().skip(2).any(|a| a.eq_ignore_ascii_case(o));
            if opt(b"persist") {
                vec![b"PERSIST".to_vec(), key.clone()]
            } else if [&b"ex"[..], b"px", b"exat", b"pxat"].iter().any(|o| opt(o)) {
                pexpireat(mem, db, key)
            } else {
                // A plain read: nothing changed.
                return None;
            }
        }
        "setex" | "psetex" => set_pxat(mem, db, key, argv.get(3)?),
        "set"
            if ["ex", "px", "exat", "pxat"]
                .iter()
                .any(|o| has(o.as_bytes())) =>
        {
            set_pxat(mem, db, key, argv.get(2)?)
        }
        "set" if has(b"get") => argv
            .iter()
            .enumerate()
            .filter(|(i, a)| *i < 3 || !a.eq_ignore_ascii_case(b"get"))
            .map(|(_, a)| a.clone())
            .collect(),
        "incrbyfloat" => {
            let Reply::Bulk(value) = reply else {
                return None;
            };
            vec![
                b"SET".to_vec(),
                key.clone(),
                value.clone(),
                b"KEEPTTL".to_vec(),
            ]
        }
        "hincrbyfloat" => {
            let Reply::Bulk(value) = reply else {
                return None;
            };
            vec![
                b"HSET".to_vec(),
                key.clone(),
                argv.get(2)?.clone(),
                value.clone(),
            ]
        }
        "getdel" => vec![b"DEL".to_vec(), key.clone()],
        "lmpop" | "zmpop" => mpop_form(argv, name == "zmpop", reply)?,
        _ => argv.to_vec(),
    };
    Some(cmd)
}

/// `-NOREPLICAS` for writes refused by `min-replicas-to-write`.
const NOREPLICAS: &str = "NOREPLICAS Not enough good replicas to write.";

/// `LMPOP`/`ZMPOP` (and the served blocking forms, noted under these names) as the pop they
/// did: `LPOP key count`, `ZPOPMAX key count`, ...
fn mpop_form(argv: &[Vec<u8>], zset: bool, reply: &Reply) -> Option<Vec<Vec<u8>>> {
    let Reply::Array(parts) = reply else {
        return None;
    };
    let (Some(Reply::Bulk(key)), Some(Reply::Array(items))) = (parts.first(), parts.get(1)) else {
        return None;
    };
    let numkeys: usize = std::str::from_utf8(argv.get(1)?).ok()?.parse().ok()?;
    let dir = argv.get(numkeys.checked_add(2)?)?.to_ascii_lowercase();
    let pop: &[u8] = match (zset, dir.as_slice()) {
        (false, b"left") => b"LPOP",
        (false, b"right") => b"RPOP",
        (true, b"min") => b"ZPOPMIN",
        (true, b"max") => b"ZPOPMAX",
        _ => return None,
    };
    Some(vec![
        pop.to_vec(),
        key.clone(),
        items.len().to_string().into_bytes(),
    ])
}

impl Core {
    /// `processCommand`'s `min-replicas-to-write` check: a write is refused (and an open
    /// transaction fails) while there are not enough good replicas, which here is always when
    /// the setting is above 0.
    pub(crate) fn check_replicas(&mut self, id: u64, spec: &'static CommandSpec) -> Option<Step> {
        if self.engine.host().enough_replicas() {
            return None;
        }
        if spec.name == "exec" {
            // `EXEC` writes when a queued command does: the transaction is discarded.
            return self
                .queued_has(id, CommandFlags::WRITE)
                .then(|| self.reject_exec(id, spec, NOREPLICAS));
        }
        if !spec.flags.contains(CommandFlags::WRITE) {
            return None;
        }
        if let Some(multi) = self.client(id)?.multi.as_mut() {
            multi.failed = true;
        }
        Some(self.reject(spec, NOREPLICAS))
    }

    /// `PUBLISH` goes to replicas too (`forceCommandPropagation`), in the client's database.
    pub(crate) fn propagate_publish(&mut self, id: u64, argv: &[Vec<u8>]) {
        let db = self.clients.get(&id).map_or(0, |c| c.db);
        let repl = &mut self.engine.host_mut().repl;
        if !repl.replicas.is_empty() {
            repl.pending.push((db, argv.to_vec()));
        }
    }

    /// `SYNC` and `PSYNC`: the client becomes a replica; it gets an empty RDB payload, then
    /// the stream.
    pub(crate) fn sync(&mut self, id: u64, psync: bool) -> Step {
        let Some(client) = self.clients.get(&id) else {
            return Step::Silent;
        };
        let mut out = Vec::new();
        if psync {
            out.extend_from_slice(b"+FULLRESYNC ");
            out.extend_from_slice(&[b'0'; 40]);
            out.extend_from_slice(b" 0\r\n");
        }
        out.extend_from_slice(format!("${}\r\n", EMPTY_RDB.len()).as_bytes());
        out.extend_from_slice(EMPTY_RDB);
        if client.push.try_send(out).is_err() {
            return Step::Silent;
        }
        let repl = &mut self.engine.host_mut().repl;
        repl.replicas.push(id);
        repl.seldb = None;
        Step::Silent
    }

    /// Sends the writes of the command that just ended to the replicas (not while a script
    /// runs: its writes go out together when it ends).
    pub(crate) fn flush_replication(&mut self) {
        if self.engine.is_running() {
            return;
        }
        let repl = &mut self.engine.host_mut().repl;
        if repl.pending.is_empty() {
            return;
        }
        let pending = mem::take(&mut repl.pending);
        let mut out = Vec::new();
        let mut emit = |db: usize, cmd: &[Vec<u8>], seldb: &mut Option<usize>| {
            if *seldb != Some(db) {
                encode_command(&[b"SELECT".to_vec(), db.to_string().into_bytes()], &mut out);
                *seldb = Some(db);
            }
            encode_command(cmd, &mut out);
        };
        let wrap = pending.len() > 1;
        if let (true, Some((db, _))) = (wrap, pending.first()) {
            emit(*db, &[b"MULTI".to_vec()], &mut repl.seldb);
        }
        for (db, cmd) in &pending {
            emit(*db, cmd, &mut repl.seldb);
        }
        if let (true, Some(db)) = (wrap, repl.seldb) {
            emit(db, &[b"EXEC".to_vec()], &mut repl.seldb);
        }
        let clients = &self.clients;
        repl.replicas.retain(|id| {
            let Some(client) = clients.get(id) else {
                return false;
            };
            match client.push.try_send(out.clone()) {
                Ok(()) => true,
                Err(_) => {
                    // A replica that does not keep up is dropped, as past Redis's replica
                    // output buffer limit.
                    client.kill.notify_one();
                    false
                }
            }
        });
    }
}
