//! A real redis-server 7.0 for the differential tests: started on a free loopback port with
//! persistence off, stopped when the guard is dropped.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// A running redis-server; killed on drop.
pub(crate) struct RedisServer {
    child: Child,
    pub(crate) port: u16,
    dir: std::path::PathBuf,
}

/// A free TCP port on 127.0.0.1 (the OS picks one; it is free again once the probe closes).
pub(crate) fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("binding a probe socket")?;
    Ok(listener.local_addr()?.port())
}

/// Whether something on `port` answers `PING` with `+PONG`.
pub(crate) fn answers_ping(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    if stream.write_all(b"PING\r\n").is_err() {
        return false;
    }
    let mut buf = [0u8; 7];
    stream.read_exact(&mut buf).is_ok() && &buf == b"+PONG\r\n"
}

/// Waits up to `timeout` for `PING` on `port`.
pub(crate) fn wait_for_ping(port: u16, timeout: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if answers_ping(port) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

impl RedisServer {
    /// Starts `redis-server` on a free port of 127.0.0.1.
    pub(crate) fn start() -> Result<RedisServer> {
        let port = free_port()?;
        let dir = std::env::temp_dir().join(format!("ferrous-redis-ref-{port}"));
        std::fs::create_dir_all(&dir)?;
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
            .args(["--protected-mode", "yes", "--loglevel", "warning"])
            .arg("--dir")
            .arg(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting redis-server")?;
        let mut server = RedisServer { child, port, dir };
        if !wait_for_ping(port, Duration::from_secs(10)) {
            let _ = server.child.kill();
            bail!("redis-server did not answer on port {port}");
        }
        Ok(server)
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
