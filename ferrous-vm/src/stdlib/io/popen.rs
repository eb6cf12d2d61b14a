//! `io.popen`'s stream: a command run by `/bin/sh -c` with a pipe to its standard output
//! (mode `r`) or from its standard input (mode `w`), as C's `popen`.
//!
//! Invariants:
//! - The mode is C's: `r` or `w`, optionally followed by `e` (close-on-exec, which Rust's
//!   pipes always are); anything else is `EINVAL`, as glibc answers.
//! - Reading a `w` pipe or writing an `r` pipe fails with `EBADF`, as on a C stream.
//! - `close` waits for the command, as `pclose` (the handle's `__gc` closes it, so a collected
//!   pipe and one still open at `Vm::close` are waited for, as in 5.1); dropping an unclosed
//!   pipe (a VM dropped without `Vm::close`) closes its end and reaps the command only if it
//!   has already ended.

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};

/// A running command and our end of its pipe.
#[derive(Debug)]
pub(crate) struct Pipe {
    child: Child,
}

/// `EBADF`: the pipe does not go that way.
fn bad_fd() -> std::io::Error {
    std::io::Error::from_raw_os_error(9)
}

impl Pipe {
    /// Starts `command` (`popen(command, mode)`).
    pub(super) fn spawn(command: &[u8], mode: &[u8]) -> std::io::Result<Pipe> {
        use std::os::unix::ffi::OsStrExt;
        let reading = match mode.split_first() {
            Some((b'r', rest)) if rest.iter().all(|&c| c == b'e') => true,
            Some((b'w', rest)) if rest.iter().all(|&c| c == b'e') => false,
            _ => return Err(std::io::Error::from_raw_os_error(22)),
        };
        let mut cmd = Command::new("/bin/sh");
        cmd.arg("-c").arg(std::ffi::OsStr::from_bytes(command));
        if reading {
            cmd.stdout(Stdio::piped());
        } else {
            cmd.stdin(Stdio::piped());
        }
        Ok(Pipe {
            child: cmd.spawn()?,
        })
    }

    /// Whether we write to the command (mode `w`).
    pub(super) fn writable(&self) -> bool {
        self.child.stdin.is_some()
    }

    /// `pclose`: closes our end and waits for the command.
    pub(super) fn close(&mut self) -> std::io::Result<()> {
        self.child.stdin = None;
        self.child.stdout = None;
        self.child.wait().map(|_| ())
    }
}

impl Read for Pipe {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match &mut self.child.stdout {
            Some(out) => out.read(buf),
            None => Err(bad_fd()),
        }
    }
}

impl Write for Pipe {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.child.stdin {
            Some(input) => input.write(buf),
            None => Err(bad_fd()),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.child.stdin {
            Some(input) => input.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for Pipe {
    fn drop(&mut self) {
        self.child.stdin = None;
        self.child.stdout = None;
        let _ = self.child.try_wait();
    }
}
