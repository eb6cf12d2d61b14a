//! Links the `ferrous` binary with its hot code first (`link/hot.ld`).
//!
//! The kernel maps a file-backed page fault together with the cached pages around it (64 KiB
//! of "fault-around"), and all of them count in the resident set. Left in the compiler's order,
//! the few hundred KiB of functions that every run executes (start-up, the compiler, the
//! interpreter loop, the heap, the standard library's common paths) are spread over the whole
//! 3 MiB of `.text`, among the server, the REPL and clap, and a bare `ferrous -e ''` had 1.4 MiB
//! of text resident for 82 pages executed. `link/hot.ld` lists those functions (by symbol, the
//! hash left as a wildcard, so it survives code changes) and puts them at the start of `.text`;
//! every other function follows in the usual order. The same goes for the read-only data those
//! functions read (their jump tables, the workspace crates' string constants, the constant
//! pools): spread over the 300 KiB of `.rodata`, it kept 96 pages of it resident at start-up;
//! placed first, in the window of the ELF headers, 32. A function missing from the list only
//! costs memory, never correctness; `link/hot.ld` says how it was made, and
//! `cargo xtask hot-order` makes it again.
//!
//! Also packed relative relocations (`-z pack-relative-relocs`, glibc's `DT_RELR`) when the
//! C library supports them (glibc 2.36 and later, which the binary then requires): the 8,000
//! relocations of a position-independent `ferrous` (vtables, static tables of names and
//! functions) took 143 KiB of `.rela.dyn` that the dynamic loader reads at every start; packed,
//! they take a few KiB (in the statically linked release binary that `xtask/src/release.rs`
//! builds, the start-up code applies them itself, from the same packed table).
//!
//! Only for x86-64 Linux, where rustc links with its own `lld` by default (the script is an
//! lld-style `INSERT` script that adds to the default layout).

/// Where x86-64 Linux distributions keep glibc.
const LIBC_PATHS: [&str; 4] = [
    "/lib/x86_64-linux-gnu/libc.so.6",
    "/usr/lib/x86_64-linux-gnu/libc.so.6",
    "/lib64/libc.so.6",
    "/usr/lib64/libc.so.6",
];

/// Whether the system's glibc supports `DT_RELR` (defines the `GLIBC_ABI_DT_RELR` version).
fn glibc_has_relr() -> bool {
    let needle = b"GLIBC_ABI_DT_RELR";
    LIBC_PATHS.iter().any(|path| {
        std::fs::read(path).is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
    })
}

fn main() {
    println!("cargo:rerun-if-changed=link/hot.ld");
    println!("cargo:rerun-if-env-changed=FERROUS_NO_HOT_ORDER");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os != "linux" || arch != "x86_64" || env != "gnu" {
        return;
    }
    if std::env::var_os("FERROUS_NO_HOT_ORDER").is_some() {
        return;
    }
    let Ok(dir) = std::env::var("CARGO_MANIFEST_DIR") else {
        return;
    };
    println!("cargo:rustc-link-arg-bin=ferrous=-Wl,-T,{dir}/link/hot.ld");
    if glibc_has_relr() {
        println!("cargo:rustc-link-arg-bin=ferrous=-Wl,-z,pack-relative-relocs");
    }
}
