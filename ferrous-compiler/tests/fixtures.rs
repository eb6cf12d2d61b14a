//! Snapshot tests over `tests/fixtures/{ok,err}/*.lua`: one `insta` snapshot per file, the
//! `luac5.1 -l -l`-style listing for `ok/`, the exact error message for `err/`.
//!
//! Each file is compiled like `luac5.1` compiles it: `compile_file` with chunk name
//! `@FILENAME`. `differential.rs` checks the same files against the real `luac5.1`.

use std::path::Path;

use ferrous_compiler::{compile_file, listing};

/// Compiles one fixture: the listing, or the error message.
fn check(path: &Path) -> Result<String, String> {
    let source = std::fs::read(path).map_err(|e| e.to_string())?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let chunk_name = format!("@{name}");
    match compile_file(&source, chunk_name.as_bytes()) {
        Ok(module) => Ok(String::from_utf8_lossy(&listing(&module)).into_owned()),
        Err(err) => Err(String::from_utf8_lossy(err.message_bytes()).into_owned()),
    }
}

#[test]
fn ok_fixtures() {
    insta::glob!("fixtures/ok/*.lua", |path| {
        match check(path) {
            Ok(listing) => insta::assert_snapshot!(listing),
            Err(msg) => panic!("{}: {msg}", path.display()),
        }
    });
}

#[test]
fn err_fixtures() {
    insta::glob!("fixtures/err/*.lua", |path| {
        match check(path) {
            Ok(_) => panic!("{}: compiled, but should fail", path.display()),
            Err(msg) => insta::assert_snapshot!(msg),
        }
    });
}

/// Every committed snapshot belongs to a fixture that still exists (what
/// `cargo insta test --unreferenced reject` checks), so a renamed or deleted fixture cannot
/// leave a stale snapshot behind.
#[test]
fn no_unreferenced_snapshots() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut stale = Vec::new();
    for entry in std::fs::read_dir(tests.join("snapshots")).expect("snapshots folder") {
        let name = entry.expect("snapshot entry").file_name();
        let name = name.to_string_lossy();
        let fixture = name
            .strip_suffix(".snap")
            .and_then(|n| n.strip_prefix("fixtures__"))
            .and_then(|n| n.split_once("_fixtures@"))
            .map(|(kind, file)| tests.join("fixtures").join(kind).join(file));
        if !fixture.is_some_and(|f| f.is_file()) {
            stale.push(name.into_owned());
        }
    }
    assert!(stale.is_empty(), "snapshots without a fixture: {stale:?}");
}
