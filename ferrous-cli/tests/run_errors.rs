//! `ferrous -e CODE` reports an uncaught error through lua.c's message handler: the global
//! `debug.traceback`, looked up when the error happens (replaced, removed, or the library's
//! own), and no traceback for an error object that is not a string. Compared with what
//! lua5.1 prints, `lua5.1:` written `ferrous:`.

use std::process::Command;

/// Stderr and exit status of `ferrous -e CODE`.
fn ferrous_e(code: &str) -> (String, Option<i32>) {
    let out = Command::new(env!("CARGO_BIN_EXE_ferrous"))
        .args(["-e", code])
        .output()
        .expect("ferrous runs");
    (
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

#[test]
fn uncaught_errors_go_through_the_global_debug_traceback() {
    let cases: &[(&str, &str)] = &[
        (
            "debug.traceback = function(m, level) return 'custom ' .. m .. ' ' .. level end error('boom')",
            "ferrous: custom (command line):1: boom 2\n",
        ),
        (
            "debug = nil error('boom')",
            "ferrous: (command line):1: boom\n",
        ),
        (
            "debug.traceback = 42 error('boom')",
            "ferrous: (command line):1: boom\n",
        ),
        ("error({})", "ferrous: (error object is not a string)\n"),
        (
            "debug.traceback = function() return {} end error('x')",
            "ferrous: (error object is not a string)\n",
        ),
        (
            "error('boom')",
            "ferrous: (command line):1: boom\nstack traceback:\n\t[C]: in function 'error'\n\t(command line):1: in main chunk\n\t[C]: ?\n",
        ),
    ];
    for &(code, expected) in cases {
        assert_eq!(ferrous_e(code), (expected.to_owned(), Some(1)), "{code}");
        if let Ok(out) = Command::new("lua5.1").args(["-e", code]).output() {
            let lua = String::from_utf8_lossy(&out.stderr).replacen("lua5.1:", "ferrous:", 1);
            assert_eq!(lua, expected, "lua5.1 on {code}");
        }
    }
}

/// `-l NAME` calls the global `require` as lua.c's `dolibrary` does: a missing module is
/// reported as `require` words it, without a chunk position, then the traceback.
#[test]
fn a_missing_library_is_reported_as_lua51_reports_it() {
    let run = |program: &str| {
        let out = Command::new(program)
            .args(["-l", "no_such_module_here"])
            .env("LUA_PATH", "./?.lua")
            .env("LUA_CPATH", "./?.so")
            .output();
        out.map(|out| {
            let text = String::from_utf8_lossy(&out.stderr).into_owned();
            (text.replacen("lua5.1:", "ferrous:", 1), out.status.code())
        })
    };
    let (ours, status) = run(env!("CARGO_BIN_EXE_ferrous")).expect("ferrous runs");
    assert!(
        ours.starts_with(
            "ferrous: module 'no_such_module_here' not found:\n\tno field package.preload['no_such_module_here']\n\tno file './no_such_module_here.lua'\n"
        ),
        "{ours}"
    );
    assert_eq!(status, Some(1));
    if let Ok(lua) = run("lua5.1") {
        assert_eq!(lua, (ours, status));
    }
}
