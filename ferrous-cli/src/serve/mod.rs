//! `ferrous serve`: a Redis-compatible server over the script engine and the in-memory host.
//!
//! Threads and tasks: a tokio multi-thread runtime accepts connections and runs one task per
//! connection (`connection.rs`), which parses requests and writes replies, on one worker fewer
//! than the machine has processors. One dedicated thread, the core (`core.rs`), owns the script
//! engine, the keyspace and every client's state; the connections send it batches of requests
//! over a channel (one per read, with the connection's reusable buffers) and await the replies. Scripts run
//! in slices on the core, so between slices it can answer `BUSY`, `SCRIPT KILL` and
//! `SHUTDOWN NOSAVE` while no other command runs.
//!
//! - `args.rs`: the command line; `config.rs`: `CONFIG`; `info.rs`: `INFO`.
//! - `dispatch.rs`: one command (checks, then the server's own commands or the engine).
//! - `acl.rs`: ACL users and their rules; `acl_describe.rs`: how `ACL LIST`/`GETUSER` show
//!   them; `acl_cmd.rs`: the `ACL` command and the permission checks; `acl_log.rs`: `ACL LOG`.
//! - `clients.rs`: `CLIENT`; `session.rs`: `AUTH`, `HELLO`; `multi.rs`: transactions;
//!   `pubsub.rs`: publish/subscribe; `spubsub.rs`: its shard channels.
//! - `blocking.rs`: blocking pops; `xread.rs`: `XREAD`/`XREADGROUP BLOCK`; `command.rs`:
//!   `COMMAND`; `host.rs`: the keyspace wrapper
//!   that sees every write; `sort.rs`, `object.rs`, `mpop.rs`: `SORT`, `OBJECT`,
//!   `MEMORY USAGE`, `LMPOP`/`ZMPOP` on top of it; `stats.rs`: counters; `glob.rs`:
//!   glob patterns; `repl.rs`: `SYNC`/`PSYNC` and the replication stream.
//!
//! Invariant: the engine never leaves the core thread (it is not `Send`), and nothing a
//! client sends can panic the server: input is parsed by `ferrous_redis::parse_request`, and
//! every command path answers an error reply instead of failing.

mod acl;
mod acl_cmd;
mod acl_describe;
mod acl_log;
mod args;
mod blocking;
mod clients;
mod command;
mod config;
mod connection;
mod core;
mod dispatch;
mod glob;
mod host;
mod info;
mod mpop;
mod multi;
mod object;
mod pubsub;
mod repl;
mod session;
mod sort;
mod spubsub;
mod stats;
mod xread;

use std::net::IpAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use anyhow::{Context, bail};

pub(crate) use self::args::ServeArgs;
use self::config::Config;
use self::core::Core;

/// Runs the server until `SHUTDOWN`, SIGINT or SIGTERM.
pub(crate) fn run(mut args: ServeArgs) -> anyhow::Result<ExitCode> {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(args.log_filter()))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
    let ip: IpAddr = args
        .bind
        .parse()
        .with_context(|| format!("--bind {}: not an IP address", args.bind))?;
    if !ip.is_loopback() && args.requirepass.is_none() {
        bail!(
            "refusing to listen on {ip} without --requirepass (protected mode); bind 127.0.0.1 or set a password"
        );
    }
    args.maxclients = raise_open_file_limit(args.maxclients);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(io_threads())
        .enable_all()
        .build()
        .context("starting the tokio runtime")?;
    runtime.block_on(serve(args, ip))?;
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    Ok(ExitCode::SUCCESS)
}

async fn serve(args: ServeArgs, ip: IpAddr) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind((ip, args.port))
        .await
        .with_context(|| format!("listening on {ip}:{}", args.port))?;
    let port = listener.local_addr()?.port();
    let config = Config::new(&args);
    let settings = Arc::clone(&config.shared);
    let (to_core, from_conns) = std::sync::mpsc::channel();
    let (shutdown_tx, mut shutdown_rx) = tokio::sync::oneshot::channel();
    // The engine is not `Send`: it is built on the thread that runs it.
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("ferrous-core".to_owned())
        .spawn(move || match Core::new(config, port, shutdown_tx) {
            Ok(core) => {
                let _ = ready_tx.send(Ok(()));
                core.run(&from_conns);
            }
            Err(err) => {
                let _ = ready_tx.send(Err(err));
            }
        })
        .context("starting the core thread")?;
    ready_rx
        .recv()
        .context("the core thread stopped while starting")??;
    tracing::info!(
        "ferrous {} ready to accept connections on {ip}:{port}",
        env!("CARGO_PKG_VERSION")
    );
    let next_id = AtomicU64::new(1);
    // Open connections, against `maxclients` (fixed at start; `CONFIG SET maxclients` is
    // stored but does not move this limit).
    let live = Arc::new(AtomicUsize::new(0));
    let maxclients = args.maxclients;
    let mut sigterm = terminate_signal()?;
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(err) => {
                        // Out of file descriptors (or another passing failure): the
                        // connection waits in the backlog; pause instead of spinning.
                        tracing::warn!("Error accepting a client connection: {err}");
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let id = next_id.fetch_add(1, Ordering::Relaxed);
                let sender = to_core.clone();
                let settings = Arc::clone(&settings);
                let live = Arc::clone(&live);
                if live.fetch_add(1, Ordering::AcqRel) >= maxclients {
                    live.fetch_sub(1, Ordering::AcqRel);
                    tokio::spawn(connection::refuse(stream));
                    continue;
                }
                tokio::spawn(async move {
                    connection::serve(stream, id, sender, settings).await;
                    live.fetch_sub(1, Ordering::AcqRel);
                });
            }
            _ = &mut shutdown_rx => {
                tracing::warn!("Redis is now ready to exit, bye bye...");
                return Ok(());
            }
            _ = tokio::signal::ctrl_c() => {
                tracing::warn!("Received SIGINT scheduling shutdown...");
                return Ok(());
            }
            () = sigterm.recv_or_pending() => {
                tracing::warn!("Received SIGTERM scheduling shutdown...");
                return Ok(());
            }
        }
    }
}

/// Threads for the connections' I/O: one core fewer than the machine has (at least one), so
/// the core thread, which every request waits for, has a processor of its own instead of
/// being preempted by connection tasks (on two processors tokio's default of two workers
/// made three busy threads).
fn io_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .saturating_sub(1)
        .max(1)
}

/// Open files the server keeps for itself beyond one per client (Redis's
/// `CONFIG_MIN_RESERVED_FDS`).
const RESERVED_FDS: u64 = 32;

/// Raises the soft limit on open files to what `maxclients` connections need (plus
/// [`RESERVED_FDS`]), as far as the hard limit allows, and returns the clients that fit,
/// like Redis's `adjustOpenFilesLimit`: past that many, a client is told "max number of
/// clients reached" instead of waiting on a server out of descriptors.
fn raise_open_file_limit(maxclients: usize) -> usize {
    #[cfg(unix)]
    {
        use nix::sys::resource::{Resource, getrlimit, setrlimit};
        let wanted = u64::try_from(maxclients)
            .unwrap_or(u64::MAX)
            .saturating_add(RESERVED_FDS);
        let Ok((soft, hard)) = getrlimit(Resource::RLIMIT_NOFILE) else {
            return maxclients;
        };
        if soft >= wanted {
            return maxclients;
        }
        let limit = match setrlimit(Resource::RLIMIT_NOFILE, wanted.min(hard), hard) {
            Ok(()) => wanted.min(hard),
            Err(err) => {
                tracing::warn!("could not raise the open files limit from {soft}: {err}");
                soft
            }
        };
        if limit >= wanted {
            tracing::info!("open files limit raised from {soft} to {limit}");
            return maxclients;
        }
        let fit = usize::try_from(limit.saturating_sub(RESERVED_FDS))
            .unwrap_or(maxclients)
            .max(1);
        tracing::warn!(
            "You requested maxclients of {maxclients} requiring at least {wanted} max file descriptors. \
             Server can't set maximum open files to {wanted} because of OS error: the hard limit is {hard}. \
             Current maximum open files is {limit}. maxclients has been reduced to {fit} to compensate for low ulimit."
        );
        fit
    }
    #[cfg(not(unix))]
    maxclients
}

/// SIGTERM where there is such a thing.
struct Terminate(#[cfg(unix)] tokio::signal::unix::Signal);

impl Terminate {
    async fn recv_or_pending(&mut self) {
        #[cfg(unix)]
        {
            if self.0.recv().await.is_some() {
                return;
            }
        }
        std::future::pending::<()>().await;
    }
}

fn terminate_signal() -> anyhow::Result<Terminate> {
    #[cfg(unix)]
    {
        let signal = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .context("installing the SIGTERM handler")?;
        Ok(Terminate(signal))
    }
    #[cfg(not(unix))]
    {
        Ok(Terminate())
    }
}
