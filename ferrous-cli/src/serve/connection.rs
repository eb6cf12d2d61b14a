//! One client connection: reads requests, hands each read's complete requests to the core as
//! one [`Batch`] (pipelining), writes the replies back in order, and closes on `QUIT`,
//! `CLIENT KILL`, end of input or a protocol error (after writing Redis's error reply, as Redis
//! does: requests parsed before the bad one are answered first). Its buffers ([`BatchBufs`])
//! travel with each batch and come back with the replies, so a batch allocates nothing once
//! they have grown, and the requests are freed here rather than on the core's thread.
//!
//! Invariant: the task never holds more than one read's requests and one batch's replies (and
//! keeps no reply buffer larger than `MAX_KEPT_OUTPUT` between batches), and whatever the peer
//! sends, it ends by telling the core the client is gone.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::mpsc::Sender;

use ferrous_redis::{ProtocolError, RequestLimits, encode_reply, parse_request_into};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc::{Receiver, channel};
use tokio::sync::{Notify, oneshot};

use super::core::{Batch, BatchBufs, ToCore};

/// Pub/sub messages queued for a client that does not read them, at most; past this the
/// client is disconnected (Redis's `client-output-buffer-limit pubsub`).
const MAX_QUEUED_PUSHES: usize = 16_384;

/// The reply buffer a connection keeps between batches, at most.
const MAX_KEPT_OUTPUT: usize = 64 * 1024;

/// Input read ahead while a batch waits for its replies, at most.
const MAX_INPUT_WHILE_WAITING: usize = 1 << 20;

/// What a connection needs to know from the server's settings; `CONFIG SET` changes them for
/// every connection at once.
#[derive(Debug)]
pub(crate) struct ConnSettings {
    pub(crate) max_bulk_len: AtomicI64,
    pub(crate) needs_auth: AtomicBool,
    /// Protected mode: `protected-mode yes` and a default user without password. Then only
    /// loopback clients are served.
    pub(crate) deny_remote: AtomicBool,
}

/// What a non-loopback client reads in protected mode before the server closes.
const DENIED: &[u8] = b"-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n";

/// Turns a connection away: `maxclients` reached.
pub(crate) async fn refuse(mut stream: TcpStream) {
    let _ = stream
        .write_all(b"-ERR max number of clients reached\r\n")
        .await;
    let _ = stream.shutdown().await;
}

/// Serves one connection until it closes.
pub(crate) async fn serve(
    stream: TcpStream,
    id: u64,
    core: Sender<ToCore>,
    settings: Arc<ConnSettings>,
) {
    let (Ok(addr), Ok(laddr)) = (stream.peer_addr(), stream.local_addr()) else {
        return;
    };
    let _ = stream.set_nodelay(true);
    if settings.deny_remote.load(Ordering::Relaxed) && !addr.ip().is_loopback() {
        let mut stream = stream;
        let _ = stream.write_all(DENIED).await;
        let _ = stream.shutdown().await;
        return;
    }
    let kill = Arc::new(Notify::new());
    let (push, pushes) = channel(MAX_QUEUED_PUSHES);
    if core
        .send(ToCore::Connect {
            id,
            addr,
            laddr,
            kill: Arc::clone(&kill),
            push,
        })
        .is_err()
    {
        return;
    }
    run(stream, id, &core, &settings, &kill, pushes, addr).await;
    let _ = core.send(ToCore::Disconnect(id));
}

async fn run(
    stream: TcpStream,
    id: u64,
    core: &Sender<ToCore>,
    settings: &ConnSettings,
    kill: &Notify,
    mut pushes: Receiver<Vec<u8>>,
    addr: SocketAddr,
) {
    let (mut reader, mut writer) = stream.into_split();
    let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
    let mut bufs = BatchBufs::default();
    // The argument vectors of requests already run, for the next requests to be parsed into.
    let mut pool: Vec<Vec<Vec<u8>>> = Vec::new();
    let mut authenticated = !settings.needs_auth.load(Ordering::Relaxed);
    loop {
        let limits = RequestLimits {
            max_bulk_len: settings.max_bulk_len.load(Ordering::Relaxed),
            authenticated,
            ..RequestLimits::default()
        };
        let error = parse_all(&mut buf, &limits, &mut bufs.argvs, &mut pool);
        if !bufs.argvs.is_empty() {
            let (tx, rx) = oneshot::channel();
            let argvs = std::mem::take(&mut bufs.argvs);
            let lent = BatchBufs {
                out: std::mem::take(&mut bufs.out),
                spent: std::mem::take(&mut bufs.spent),
                argvs: VecDeque::new(),
            };
            if core
                .send(ToCore::Batch(Batch::new(id, argvs, tx, lent)))
                .is_err()
            {
                return;
            }
            // While the batch waits (a blocked pop, a long script), keep reading so that a
            // client that goes away is noticed and leaves the queues it waits in.
            let mut rx = rx;
            let reply = loop {
                tokio::select! {
                    reply = &mut rx => break reply,
                    () = kill.notified() => return,
                    Some(bytes) = pushes.recv() => {
                        if writer.write_all(&bytes).await.is_err() {
                            return;
                        }
                    }
                    read = reader.read_buf(&mut buf), if buf.len() < MAX_INPUT_WHILE_WAITING => {
                        if matches!(read, Ok(0) | Err(_)) {
                            return;
                        }
                    }
                }
            };
            let Ok(reply) = reply else {
                return;
            };
            bufs = reply.bufs;
            // The requests come back to be parsed into again (a batch cut short by `QUIT`
            // gives back the ones it did not run too); those past the pool's bounds are freed
            // here, off the core's thread.
            recycle(&mut pool, bufs.spent.drain(..).chain(bufs.argvs.drain(..)));
            if writer.write_all(&bufs.out).await.is_err() {
                return;
            }
            bufs.out.clear();
            // A large reply's buffer is not kept.
            if bufs.out.capacity() > MAX_KEPT_OUTPUT {
                bufs.out = Vec::new();
            }
            authenticated = reply.authenticated;
            if reply.close {
                return;
            }
            if error.is_none() {
                // Requests that arrived while this batch waited are already in `buf`.
                continue;
            }
        }
        if let Some(error) = error {
            tracing::debug!("protocol error from client {addr}: {error}");
            let mut out = Vec::new();
            encode_reply(&error.to_reply(), 2, &mut out);
            let _ = writer.write_all(&out).await;
            let _ = writer.shutdown().await;
            return;
        }
        let read = tokio::select! {
            read = reader.read_buf(&mut buf) => read,
            () = kill.notified() => return,
            Some(bytes) = pushes.recv() => {
                if writer.write_all(&bytes).await.is_err() {
                    return;
                }
                continue;
            }
        };
        match read {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
    }
}

/// The most argument vectors a connection keeps for reuse, and the most bytes of one.
const POOL_ARGVS: usize = 1024;
const POOL_ARGV_BYTES: usize = 64 * 1024;

/// Keeps `spent` argument vectors in `pool` for later requests, within the bounds above (a
/// 100 MB `SET` must not pin 100 MB).
fn recycle(pool: &mut Vec<Vec<Vec<u8>>>, spent: impl Iterator<Item = Vec<Vec<u8>>>) {
    for argv in spent {
        let bytes =
            argv.capacity() * size_of::<Vec<u8>>() + argv.iter().map(Vec::capacity).sum::<usize>();
        if pool.len() < POOL_ARGVS && bytes <= POOL_ARGV_BYTES {
            pool.push(argv);
        }
    }
}

/// Moves every complete request off the front of `buf` into `argvs`, parsed into argument
/// vectors taken from `pool` (those of requests already run); stops at the first protocol
/// error, which it returns. Before authentication only one request is taken at a time, since
/// the size limits change once `AUTH` has run.
fn parse_all(
    buf: &mut Vec<u8>,
    limits: &RequestLimits,
    argvs: &mut VecDeque<Vec<Vec<u8>>>,
    pool: &mut Vec<Vec<Vec<u8>>>,
) -> Option<ProtocolError> {
    let mut used = 0;
    let mut error = None;
    while used < buf.len() {
        let mut argv = pool.pop().unwrap_or_default();
        match parse_request_into(&buf[used..], limits, &mut argv) {
            Ok(Some(n)) => {
                used += n;
                if argv.is_empty() {
                    pool.push(argv);
                } else {
                    argvs.push_back(argv);
                    if !limits.authenticated {
                        break;
                    }
                }
            }
            Ok(None) => {
                pool.push(argv);
                break;
            }
            Err(e) => {
                error = Some(e);
                break;
            }
        }
    }
    buf.drain(..used);
    error
}
