//! Instruction counts under callgrind (`valgrind --tool=callgrind`), for the benches that judge
//! a change by the instructions it executes (`bench ops --instructions`, `bench against
//! --instructions`): unlike times, they do not move with the code's layout or the machine's
//! load, and on a machine where the call-heavy programs are bound by their instructions (the
//! Intel Xeon of ARCHITECTURE's speed notes) they are what the times follow.

use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

/// The instructions callgrind counts while `command` (a program and its arguments) runs under
/// it, its output discarded. `what` names it in errors.
pub(crate) fn instructions(command: &Command, what: &str) -> Result<u64> {
    let out_file =
        std::env::temp_dir().join(format!("ferrous-xtask-{}.callgrind", std::process::id()));
    let output = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out_file.display()))
        .arg(command.get_program())
        .args(command.get_args())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .context("running valgrind")?;
    let _ = std::fs::remove_file(&out_file);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        bail!("{what} under callgrind failed: {stderr}");
    }
    refs(&stderr).with_context(|| format!("callgrind printed no instruction count for {what}"))
}

/// The count in callgrind's summary line, `==PID== I   refs:      69,277,776`.
fn refs(stderr: &str) -> Option<u64> {
    stderr.lines().find_map(|line| {
        let (_, n) = line.split_once("I   refs:")?;
        n.trim().replace(',', "").parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::refs;

    #[test]
    fn reads_the_summary_line() {
        let stderr = "==12== Callgrind, a call-graph generating cache profiler\n==12== \n\
                      ==12== Events    : Ir\n==12== Collected : 69277776\n==12== \n\
                      ==12== I   refs:      69,277,776\n";
        assert_eq!(refs(stderr), Some(69_277_776));
        assert_eq!(refs("==12== Events    : Ir\n"), None);
    }
}
