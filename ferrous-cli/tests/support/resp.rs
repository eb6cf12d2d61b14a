//! A RESP client in a few lines for the `ferrous serve` tests: requests written as RESP
//! arrays, replies decoded by `ferrous_redis::parse_reply`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use ferrous_redis::{Reply, parse_reply};

use crate::support::Server;

impl Server {
    pub(crate) fn client(&self) -> Client {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        Client {
            stream,
            buf: Vec::new(),
        }
    }
}

/// A RESP client.
pub(crate) struct Client {
    pub(crate) stream: TcpStream,
    buf: Vec<u8>,
}

impl Client {
    pub(crate) fn send_raw(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).expect("write");
    }

    pub(crate) fn send(&mut self, args: &[&str]) {
        let mut out = format!("*{}\r\n", args.len()).into_bytes();
        for arg in args {
            out.extend_from_slice(format!("${}\r\n{arg}\r\n", arg.len()).as_bytes());
        }
        self.send_raw(&out);
    }

    /// The next reply, or `None` when the server closed the connection.
    pub(crate) fn read(&mut self) -> Option<Reply> {
        loop {
            if let Ok(Some((reply, used))) = parse_reply(&self.buf) {
                self.buf.drain(..used);
                return Some(reply);
            }
            let mut chunk = [0u8; 65536];
            match self.stream.read(&mut chunk) {
                Ok(0) | Err(_) => return None,
                Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
            }
        }
    }

    pub(crate) fn call(&mut self, args: &[&str]) -> Reply {
        self.send(args);
        self.read().expect("a reply")
    }
}

pub(crate) fn bulk(s: &str) -> Reply {
    Reply::Bulk(s.as_bytes().to_vec())
}

pub(crate) fn error_text(reply: &Reply) -> String {
    match reply {
        Reply::Error(text) => String::from_utf8_lossy(text).into_owned(),
        other => panic!("expected an error, got {other:?}"),
    }
}
