//! The replies of `FUNCTION LIST`, `FUNCTION STATS` and `FUNCTION HELP`, shaped as Redis 7.0
//! sends them (maps, which RESP2 flattens; flags as a set of status strings).
//!
//! Libraries are listed by name; Redis lists them in its hash table's order, which varies
//! between server runs.

use super::library::{Libraries, Library};
use crate::engine::Running;
use crate::engine::shebang::ScriptFlags;
use crate::reply::Reply;

fn bulk(text: &str) -> Reply {
    Reply::Bulk(text.as_bytes().to_vec())
}

/// The flags in Redis's `scripts_flags_def` order.
const FLAG_NAMES: [(&str, ScriptFlags); 5] = [
    ("no-writes", ScriptFlags::NO_WRITES),
    ("allow-oom", ScriptFlags::ALLOW_OOM),
    ("allow-stale", ScriptFlags::ALLOW_STALE),
    ("no-cluster", ScriptFlags::NO_CLUSTER),
    ("allow-cross-slot-keys", ScriptFlags::ALLOW_CROSS_SLOT),
];

/// `FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE]`.
pub(crate) fn list(libraries: &Libraries, argv: &[Vec<u8>]) -> Reply {
    let mut with_code = false;
    let mut pattern: Option<&[u8]> = None;
    let mut i = 2;
    while i < argv.len() {
        let arg = &argv[i];
        if !with_code && arg.eq_ignore_ascii_case(b"withcode") {
            with_code = true;
        } else if pattern.is_none() && arg.eq_ignore_ascii_case(b"libraryname") {
            if i >= argv.len() - 1 {
                return Reply::error("ERR library name argument was not given");
            }
            i += 1;
            pattern = Some(&argv[i]);
        } else {
            let mut msg = b"ERR Unknown argument ".to_vec();
            msg.extend_from_slice(super::metadata::c_str(arg));
            return Reply::Error(msg);
        }
        i += 1;
    }
    let pattern = pattern.map(<[u8]>::to_ascii_lowercase);
    Reply::Array(
        libraries
            .iter()
            .filter(|lib| {
                pattern
                    .as_deref()
                    .is_none_or(|p| crate::glob::glob_match(p, &lib.name.to_ascii_lowercase()))
            })
            .map(|lib| library_entry(lib, with_code))
            .collect(),
    )
}

fn library_entry(lib: &Library, with_code: bool) -> Reply {
    let functions = lib
        .functions
        .iter()
        .map(|f| {
            Reply::Map(vec![
                (bulk("name"), Reply::Bulk(f.name.clone())),
                (
                    bulk("description"),
                    f.description.clone().map_or(Reply::Nil, Reply::Bulk),
                ),
                (
                    bulk("flags"),
                    Reply::Set(
                        FLAG_NAMES
                            .iter()
                            .filter(|(_, flag)| f.flags.contains(*flag))
                            .map(|(name, _)| Reply::Status(name.as_bytes().to_vec()))
                            .collect(),
                    ),
                ),
            ])
        })
        .collect();
    let mut entry = vec![
        (bulk("library_name"), Reply::Bulk(lib.name.clone())),
        (bulk("engine"), bulk("LUA")),
        (bulk("functions"), Reply::Array(functions)),
    ];
    if with_code {
        entry.push((bulk("library_code"), Reply::Bulk(lib.code.clone())));
    }
    Reply::Map(entry)
}

/// `FUNCTION STATS` (the caller answers `BUSY` while an `EVAL` script runs).
pub(crate) fn stats(libraries: &Libraries, running: Option<&Running>) -> Reply {
    let running_script = match running {
        None => Reply::Nil,
        Some(running) => Reply::Map(vec![
            (bulk("name"), Reply::Bulk(running.name.as_bytes().to_vec())),
            (
                bulk("command"),
                Reply::Array(running.command.iter().cloned().map(Reply::Bulk).collect()),
            ),
            (
                bulk("duration_ms"),
                Reply::Integer(
                    i64::try_from(running.started.elapsed().as_millis()).unwrap_or(i64::MAX),
                ),
            ),
        ]),
    };
    let count = |n: usize| Reply::Integer(i64::try_from(n).unwrap_or(i64::MAX));
    Reply::Map(vec![
        (bulk("running_script"), running_script),
        (
            bulk("engines"),
            Reply::Map(vec![(
                bulk("LUA"),
                Reply::Map(vec![
                    (bulk("libraries_count"), count(libraries.library_count())),
                    (bulk("functions_count"), count(libraries.function_count())),
                ]),
            )]),
        ),
    ])
}

/// `FUNCTION HELP`.
pub(crate) fn help() -> Reply {
    Reply::Array(
        HELP.iter()
            .map(|line| Reply::Status(line.as_bytes().to_vec()))
            .collect(),
    )
}

const HELP: &[&str] = &[
    "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "LOAD [REPLACE] <FUNCTION CODE>",
    "    Create a new library with the given library name and code.",
    "DELETE <LIBRARY NAME>",
    "    Delete the given library.",
    "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
    "    Return general information on all the libraries:",
    "    * Library name",
    "    * The engine used to run the Library",
    "    * Library description",
    "    * Functions list",
    "    * Library code (if WITHCODE is given)",
    "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
    "STATS",
    "    Return information about the current function running:",
    "    * Function name",
    "    * Command used to run the function",
    "    * Duration in MS that the function is running",
    "    If no function is running, return nil",
    "    In addition, returns a list of available engines.",
    "KILL",
    "    Kill the current running function.",
    "FLUSH [ASYNC|SYNC]",
    "    Delete all the libraries.",
    "    When called without the optional mode argument, the behavior is determined by the",
    "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
    "    * ASYNC: Asynchronously flush the libraries.",
    "    * SYNC: Synchronously flush the libraries.",
    "DUMP",
    "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
    "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
    "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
    "    control how to handle existing libraries (default APPEND):",
    "    * FLUSH: delete all existing libraries.",
    "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
    "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
    "      libraries with the new libraries (notice that even on this option there is a chance of failure",
    "      in case of functions name collision with another library).",
    "HELP",
    "    Prints this help.",
];
