//! Shared by the integration tests that start `ferrous serve`: the built binary on a free
//! loopback port, killed when the guard is dropped.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `ferrous serve`; killed on drop.
pub struct Server {
    child: Child,
    pub port: u16,
}

impl Server {
    /// Starts the server with `extra` arguments and waits until it listens.
    ///
    /// A port found free can be taken again before the server binds it (tests run in
    /// parallel, each picking ports): the wait only ends on a server that reports this
    /// child's process id, and a child that exits (its port was taken) is restarted on
    /// another port.
    pub fn start(extra: &[&str]) -> Server {
        Server::start_with_open_files(None, extra)
    }

    /// [`Server::start`] with the soft and hard limits on open files set to `open_files`
    /// (by the shell's `ulimit -n`, which then `exec`s the server in the same process).
    pub fn start_with_open_files(open_files: Option<u32>, extra: &[&str]) -> Server {
        for _ in 0..5 {
            let port = TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .map(|a| a.port())
                .expect("a free port");
            let mut command = match open_files {
                None => Command::new(env!("CARGO_BIN_EXE_ferrous")),
                Some(limit) => {
                    let mut sh = Command::new("sh");
                    sh.args([
                        "-c",
                        &format!("ulimit -n {limit} && exec \"$@\""),
                        "sh",
                        env!("CARGO_BIN_EXE_ferrous"),
                    ]);
                    sh
                }
            };
            let child = command
                .args([
                    "serve",
                    "--port",
                    &port.to_string(),
                    "--loglevel",
                    "warning",
                ])
                .args(extra)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("ferrous serve starts");
            let password = extra
                .iter()
                .position(|a| *a == "--requirepass")
                .and_then(|i| extra.get(i + 1).copied());
            let mut server = Server { child, port };
            if server.wait_listening(password) {
                return server;
            }
        }
        panic!("ferrous serve never listened on a port of its own");
    }

    /// Whether the child came to listen on `self.port`; false once it has exited.
    fn wait_listening(&mut self, password: Option<&str>) -> bool {
        let start = Instant::now();
        let pid = format!("process_id:{}", self.child.id());
        loop {
            if self.child.try_wait().expect("child status").is_some() {
                return false;
            }
            if server_pid_line(self.port, password).is_some_and(|line| line == pid) {
                return true;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "server never listened"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// The `process_id:` line of `INFO server` from whatever listens on `port`, after
/// `AUTH password` when the server was started with one.
fn server_pid_line(port: u16, password: Option<&str>) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    if let Some(password) = password {
        stream
            .write_all(format!("AUTH {password}\r\n").as_bytes())
            .ok()?;
    }
    stream.write_all(b"INFO server\r\n").ok()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    if password.is_some() {
        reader.read_line(&mut line).ok()?;
        if !line.starts_with("+OK") {
            return None;
        }
    }
    loop {
        line.clear();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if line.starts_with('-') {
            return None;
        }
        if let Some(pid) = line.trim_end().strip_prefix("process_id:") {
            return Some(format!("process_id:{pid}"));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
