//! `undump` and `verify` on real and malformed binary chunks.
//!
//! - Every `fixtures/ok/*.lua` compiled by `luac5.1` (plain and stripped with `-s`) reads back
//!   with `undump`, and the plain one lists exactly like our own compilation of the same file;
//!   `verify` accepts every module our compiler produces for those fixtures.
//! - Malformed chunks give lua5.1's messages.
//!
//! Without `luac5.1` the luac half is skipped, except under `CI=true`.

use std::path::{Path, PathBuf};
use std::process::Command;

use ferrous_compiler::{UndumpErrorKind, compile_file, listing, undump, verify};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ok");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures exist")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "lua"))
        .collect();
    files.sort();
    files
}

/// `luac5.1 [-s] -o OUT NAME` run in the fixture's folder, so the chunk name is `@NAME`.
fn luac(path: &Path, strip: bool) -> Option<Vec<u8>> {
    let out = std::env::temp_dir().join(format!(
        "ferrous-undump-{}-{}.luac",
        std::process::id(),
        path.file_name()?.to_string_lossy()
    ));
    let mut cmd = Command::new("luac5.1");
    if strip {
        cmd.arg("-s");
    }
    let status = cmd
        .arg("-o")
        .arg(&out)
        .arg(path.file_name()?)
        .current_dir(path.parent()?)
        .status();
    let Ok(status) = status else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "luac5.1 is missing under CI"
        );
        return None;
    };
    assert!(status.success(), "luac5.1 compiles {}", path.display());
    let bytes = std::fs::read(&out).ok();
    let _ = std::fs::remove_file(&out);
    bytes
}

#[test]
fn luac_output_reads_back_and_lists_like_our_compiler() {
    let files = fixtures();
    assert!(files.len() > 50);
    let mut compared = 0;
    for path in &files {
        let name = path.file_name().expect("a name").to_string_lossy();
        let chunk_name = format!("@{name}");
        let source = std::fs::read(path).expect("readable");
        let Ok(ours) = compile_file(&source, chunk_name.as_bytes()) else {
            continue;
        };
        assert_eq!(
            verify(&ours),
            Ok(()),
            "{name}: our compiler's module verifies"
        );
        let Some(bytes) = luac(path, false) else {
            return;
        };
        let theirs = undump(&bytes, chunk_name.as_bytes()).expect("luac output reads back");
        assert_eq!(
            String::from_utf8_lossy(&listing(&theirs)),
            String::from_utf8_lossy(&listing(&ours)),
            "{name}"
        );
        let stripped = luac(path, true).expect("luac -s");
        let module = undump(&stripped, chunk_name.as_bytes()).expect("stripped chunk reads back");
        assert!(module.main.line_info.is_empty());
        compared += 1;
    }
    assert!(compared > 50, "{compared} fixtures compared");
}

fn header_and(rest: &[u8]) -> Vec<u8> {
    let mut chunk = ferrous_compiler::BINARY_HEADER.to_vec();
    chunk.extend_from_slice(rest);
    chunk
}

fn message(bytes: &[u8], name: &str) -> String {
    match undump(bytes, name.as_bytes()) {
        Ok(_) => "ok".to_owned(),
        Err(e) => e.to_string(),
    }
}

#[test]
fn malformed_chunks_give_lua51_messages() {
    assert_eq!(
        message(b"\x1bLua", "=stdin"),
        "stdin: unexpected end in precompiled chunk"
    );
    assert_eq!(
        message(b"\x1bLuaQ\x00\x01\x04\x04\x04\x08\x00", "\x1bLuaQ"),
        "binary string: bad header in precompiled chunk"
    );
    // A source size far beyond the input.
    let huge = header_and(&[0xff; 8]);
    assert_eq!(
        message(&huge, "@f.luac"),
        "f.luac: unexpected end in precompiled chunk"
    );
    // A negative line number.
    let negative = header_and(&[0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
    assert_eq!(
        message(&negative, "name"),
        "name: bad integer in precompiled chunk"
    );
    // A function with one RETURN, then an unknown constant tag.
    let mut f = vec![0; 8];
    f.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2]);
    f.extend_from_slice(&[1, 0, 0, 0, 0x1e, 0, 0x80, 0]);
    let mut bad_tag = f.clone();
    bad_tag.extend_from_slice(&[1, 0, 0, 0, 9]);
    let err = undump(&header_and(&bad_tag), b"=x").expect_err("bad tag");
    assert_eq!(err.kind, UndumpErrorKind::BadConstant);
    // No constants, no functions, no debug info: a valid chunk.
    let mut ok = f.clone();
    ok.extend_from_slice(&[0; 20]);
    assert_eq!(message(&header_and(&ok), "=x"), "ok");
    // The same with a jump past the end instead of the RETURN: bad code.
    let mut jump = f;
    jump[24..28].copy_from_slice(&0x7fff_c016u32.to_le_bytes());
    jump.extend_from_slice(&[0; 20]);
    assert_eq!(
        message(&header_and(&jump), "=x"),
        "x: bad code in precompiled chunk"
    );
}
