//! Wall time and peak memory of one command, for `cargo xtask bench`.
//!
//! `getrusage(RUSAGE_CHILDREN).ru_maxrss` is the largest peak resident set size among the
//! waited-for children of the calling process: one process cannot tell its successive children
//! apart with it (and `wait4` would need `unsafe`). So each measured command runs under a fresh
//! copy of xtask, the hidden `cargo xtask rss CMD ARGS...` ([`child`]): it spawns exactly one
//! child, waits for it, and writes `NANOS KB` (the child's wall time and peak RSS) as its first
//! line, then the child's standard output. [`measure`] runs that and reads it back. The wall time
//! is taken inside the wrapper, so the wrapper's own start-up is not counted. The peak includes
//! the pages the child had between fork and exec (see [`fork_not_vfork`]): about 1 MB
//! (`xtask rss true`), below what any of the interpreters uses.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// One run of a command.
pub(crate) struct Measurement {
    pub(crate) time: Duration,
    /// Peak resident set size in KiB; `None` where getrusage is not available.
    pub(crate) rss_kb: Option<u64>,
    pub(crate) stdout: Vec<u8>,
}

/// Runs `argv` once under the `xtask rss` wrapper; an error if it fails.
pub(crate) fn measure(argv: &[&std::ffi::OsStr]) -> Result<Measurement> {
    let exe = std::env::current_exe().context("locating the xtask executable")?;
    let output = Command::new(exe)
        .arg("rss")
        .args(argv)
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("running {argv:?}"))?;
    if !output.status.success() {
        bail!("{argv:?} failed ({})", output.status);
    }
    let newline = output
        .stdout
        .iter()
        .position(|&b| b == b'\n')
        .context("no measurement line")?;
    let line = String::from_utf8_lossy(&output.stdout[..newline]).into_owned();
    let mut fields = line.split(' ');
    let nanos: u64 = fields.next().unwrap_or("").parse().context("wall time")?;
    let rss_kb = fields.next().and_then(|f| f.parse().ok());
    Ok(Measurement {
        time: Duration::from_nanos(nanos),
        rss_kb,
        stdout: output.stdout[newline + 1..].to_vec(),
    })
}

/// The hidden `cargo xtask rss CMD ARGS...`: runs the command as this process's only child and
/// reports it (the format [`measure`] reads).
pub(crate) fn child(args: &[String]) -> Result<()> {
    let args = args.strip_prefix(&["--".to_owned()]).unwrap_or(args);
    let (program, rest) = args
        .split_first()
        .context("usage: xtask rss CMD [ARGS...]")?;
    let mut command = Command::new(program);
    command.args(rest);
    fork_not_vfork(&mut command);
    let start = Instant::now();
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("running {program}"))?;
    let nanos = start.elapsed().as_nanos();
    if !output.status.success() {
        // The child has said why on stderr; the caller reports the status.
        std::process::exit(output.status.code().unwrap_or(1));
    }
    let rss = children_max_rss_kb().map_or_else(|| "-".to_owned(), |kb| kb.to_string());
    let mut out = std::io::stdout().lock();
    writeln!(out, "{nanos} {rss}")?;
    out.write_all(&output.stdout)?;
    out.flush()?;
    Ok(())
}

/// Makes `command` start with fork rather than vfork (posix_spawn), which it does when a uid is
/// set: here our own. exec records the replaced address space's peak RSS as the child's; under
/// vfork that is all of ours (about 3 MB for xtask, more than `lua5.1 -e ''` uses), under fork
/// only the anonymous pages copied into the child (the file-backed ones are not mapped in it).
#[cfg(unix)]
fn fork_not_vfork(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    command.uid(nix::unistd::getuid().as_raw());
}

#[cfg(not(unix))]
fn fork_not_vfork(_command: &mut Command) {}

#[cfg(unix)]
fn children_max_rss_kb() -> Option<u64> {
    use nix::sys::resource::{UsageWho, getrusage};
    let max_rss = getrusage(UsageWho::RUSAGE_CHILDREN).ok()?.max_rss();
    let max_rss = u64::try_from(max_rss).ok()?;
    // Linux and the BSDs report kilobytes, macOS bytes.
    Some(if cfg!(target_os = "macos") {
        max_rss / 1024
    } else {
        max_rss
    })
}

#[cfg(not(unix))]
fn children_max_rss_kb() -> Option<u64> {
    None
}
