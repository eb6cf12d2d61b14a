//! The reference programs that the differential tests compare against.
//!
//! `lua5.1`/`luac5.1` (Debian package `lua5.1`) decide Lua semantics; `redis-server` and
//! `redis-cli` (Debian `redis-server`, `redis-tools`: Redis 7.0.15) decide Redis semantics, and
//! `tclsh` (Debian `tcl`) runs Redis's own test suite. When one is missing, we
//! install it with apt-get (CI machines run as root). Under `CI=true`, a program still missing
//! afterwards is an error: CI never skips a differential test silently.
//!
//! `cargo xtask bench` also compares against `lua5.4` (Debian `lua5.4`) and `luajit` (Debian
//! `luajit`): [`ensure_optional`] installs them the same way when it can, but they are never
//! required, in CI or elsewhere (the bench prints `-` for a missing one).

use std::path::PathBuf;
use std::process::{Command, Stdio};

use anyhow::{Result, bail};

/// A reference program and the Debian package that provides it.
struct Oracle {
    program: &'static str,
    package: &'static str,
}

const ORACLES: &[Oracle] = &[
    Oracle {
        program: "lua5.1",
        package: "lua5.1",
    },
    Oracle {
        program: "luac5.1",
        package: "lua5.1",
    },
    Oracle {
        program: "redis-server",
        package: "redis-server",
    },
    Oracle {
        program: "redis-cli",
        package: "redis-tools",
    },
    Oracle {
        program: "tclsh",
        package: "tcl",
    },
];

/// The bench's optional references.
const OPTIONAL: &[Oracle] = &[
    Oracle {
        program: "lua5.4",
        package: "lua5.4",
    },
    Oracle {
        program: "luajit",
        package: "luajit",
    },
];

/// Whether `program` is on `PATH`.
pub(crate) fn is_installed(program: &str) -> bool {
    on_path(program).is_some()
}

/// The executable file `program` names on `PATH` (as the shell's `command -v` finds it),
/// symbolic links followed (`/usr/bin/lua5.1` is one).
pub(crate) fn on_path(program: &str) -> Option<PathBuf> {
    which::which(program)
        .ok()
        .and_then(|found| std::fs::canonicalize(found).ok())
}

/// Installs the bench's optional references when missing, if apt-get can; never fails.
pub(crate) fn ensure_optional() {
    let missing: Vec<&Oracle> = OPTIONAL
        .iter()
        .filter(|o| !is_installed(o.program))
        .collect();
    if !missing.is_empty() {
        install(&missing);
    }
}

/// Installs a tool that a task needs (`valgrind` for `cargo xtask hot-order`) when missing;
/// an error if it is still missing afterwards.
pub(crate) fn ensure_program(program: &'static str, package: &'static str) -> Result<()> {
    if is_installed(program) {
        return Ok(());
    }
    install(&[&Oracle { program, package }]);
    if !is_installed(program) {
        bail!("{program} is missing (Debian package {package})");
    }
    Ok(())
}

/// Installs missing oracles; fails under `CI=true` if any is still missing.
pub(crate) fn ensure() -> Result<()> {
    let missing: Vec<&Oracle> = ORACLES
        .iter()
        .filter(|o| !is_installed(o.program))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    install(&missing);
    let still_missing: Vec<&str> = ORACLES
        .iter()
        .filter(|o| !is_installed(o.program))
        .map(|o| o.program)
        .collect();
    if !still_missing.is_empty() {
        let msg = format!("reference programs missing: {}", still_missing.join(", "));
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            bail!("{msg} (CI=true: differential tests cannot be skipped)");
        }
        println!("warning: {msg}; differential tests will be skipped outside CI");
    }
    Ok(())
}

/// `apt-get install`s the programs' packages; failures are printed, not returned.
fn install(missing: &[&Oracle]) {
    let mut packages: Vec<&str> = missing.iter().map(|o| o.package).collect();
    packages.dedup();
    println!("== installing reference programs: {}", packages.join(" "));
    let quiet_apt = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if !quiet_apt(&["update", "-qq"]) {
        println!("apt-get update failed");
    }
    let mut install = vec!["install", "-y", "-qq"];
    install.extend(&packages);
    if !quiet_apt(&install) {
        println!("apt-get install {} failed", packages.join(" "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_path_finds_sh_and_not_a_made_up_name() {
        assert!(on_path("sh").is_some_and(|p| p.is_absolute() && p.is_file()));
        assert!(on_path("no-such-program-ferrous").is_none());
        assert!(!is_installed("no-such-program-ferrous"));
    }
}
