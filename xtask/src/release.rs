//! The release `ferrous` that the benchmarks, Redis's suites and the client tests run.
//!
//! On x86-64 Linux with glibc it is linked statically (`-C target-feature=+crt-static`, a
//! static position-independent executable): the dynamic binary maps `ld.so`, `libc.so.6`,
//! `libm.so.6` and `libgcc_s.so.1` whole and the kernel's 64 KiB fault-around makes about
//! 0.9 MB of them resident in every run (a bare `ferrous -e ''`: 2.5 MB against 1.6 MB static),
//! while the static one carries only the C library code it calls. The flag goes to the
//! binary's own link only (`cargo rustc ... -- -C ...`): given to every crate (`RUSTFLAGS`, or
//! `.cargo/config.toml` without an explicit `--target`), it also reaches the proc-macro
//! dependencies, which cannot be built that way. Where the static C library is missing
//! (`libc.a`, Debian's `libc6-dev`, which the C compiler that links Rust programs depends on)
//! or on other platforms, the usual dynamic build is made, and said so.

use std::path::{Path, PathBuf};

use anyhow::Result;

/// The static C library a `+crt-static` link needs, where Debian and Ubuntu keep it.
const STATIC_LIBC: &str = "/usr/lib/x86_64-linux-gnu/libc.a";

/// Builds the release `ferrous` (static where it can be: module docs) and returns its path.
pub(crate) fn build_ferrous() -> Result<PathBuf> {
    let static_link = cfg!(all(
        target_os = "linux",
        target_arch = "x86_64",
        target_env = "gnu"
    )) && Path::new(STATIC_LIBC).exists();
    if static_link {
        crate::cargo(&[
            "rustc",
            "--release",
            "--quiet",
            "-p",
            "ferrous-cli",
            "--bin",
            "ferrous",
            "--",
            "-C",
            "target-feature=+crt-static",
        ])?;
    } else {
        println!("note: building a dynamically linked ferrous (no {STATIC_LIBC} on this platform)");
        crate::cargo(&["build", "--release", "--quiet", "-p", "ferrous-cli"])?;
    }
    Ok(ferrous_path())
}

/// Where the release `ferrous` is (`CARGO_TARGET_DIR` honoured), built or not.
pub(crate) fn ferrous_path() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| crate::workspace_root().join("target"), PathBuf::from);
    target.join("release").join("ferrous")
}
