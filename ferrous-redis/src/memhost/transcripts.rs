//! Replays the host transcript files (`tests/cases/host_*.toml`, recorded from redis-server by
//! `tools/record_host_cases.py`) directly on [`MemoryHost`], without the script engine, and
//! compares each reply as `redis-cli --no-raw` would print it.
//!
//! The files are read with a small parser for the one layout the recorder writes (basic
//! strings, one step per line), so this test needs no TOML dependency.

use std::path::Path;

use super::MemoryHost;
use super::numfmt::fmt_g17;
use crate::host::{CallContext, CommandHost};
use crate::reply::Reply;

/// `sdscatrepr`: a quoted string with C escapes.
fn repr(bytes: &[u8]) -> String {
    let mut out = String::from("\"");
    for &byte in bytes {
        match byte {
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x07 => out.push_str("\\a"),
            0x08 => out.push_str("\\b"),
            0x20..=0x7e => out.push(byte as char),
            _ => out.push_str(&format!("\\x{byte:02x}")),
        }
    }
    out.push('"');
    out
}

/// `cliIsMultilineValueTTY`: whether a map value goes on its own lines.
fn is_multiline(reply: &Reply) -> bool {
    match reply {
        Reply::Array(items) | Reply::Set(items) => match items.as_slice() {
            [] => false,
            [only] => is_multiline(only),
            _ => true,
        },
        Reply::Map(pairs) => match pairs.as_slice() {
            [] => false,
            [(_, value)] => is_multiline(value),
            _ => true,
        },
        _ => false,
    }
}

/// `cliFormatReplyTTY`.
fn render_into(reply: &Reply, prefix: &str, out: &mut String) {
    let aggregate =
        |items: Vec<(&Reply, Option<&Reply>)>, sep: char, empty: &str, out: &mut String| {
            if items.is_empty() {
                out.push_str(empty);
                out.push('\n');
                return;
            }
            let width = items.len().to_string().len();
            let child_prefix = format!("{prefix}{}", " ".repeat(width + 2));
            for (idx, (item, value)) in items.into_iter().enumerate() {
                let lead = if idx == 0 { "" } else { prefix };
                out.push_str(&format!("{lead}{:>width$}{sep} ", idx + 1));
                render_into(item, &child_prefix, out);
                if let Some(value) = value {
                    out.pop();
                    out.push_str(" => ");
                    if is_multiline(value) {
                        out.push('\n');
                        out.push_str(&child_prefix);
                    }
                    render_into(value, &child_prefix, out);
                }
            }
        };
    match reply {
        Reply::Error(text) => out.push_str(&format!("(error) {}\n", String::from_utf8_lossy(text))),
        Reply::Status(text) => out.push_str(&format!("{}\n", String::from_utf8_lossy(text))),
        Reply::Integer(n) => out.push_str(&format!("(integer) {n}\n")),
        Reply::Bulk(bytes) => out.push_str(&format!("{}\n", repr(bytes))),
        Reply::Nil | Reply::NilArray => out.push_str("(nil)\n"),
        Reply::Double(d) => out.push_str(&format!(
            "(double) {}\n",
            String::from_utf8_lossy(&fmt_g17(*d))
        )),
        Reply::Boolean(b) => out.push_str(if *b { "(true)\n" } else { "(false)\n" }),
        Reply::BigNumber(text) => {
            out.push_str(&format!("(big number) {}\n", String::from_utf8_lossy(text)))
        }
        Reply::Verbatim { text, .. } => {
            out.push_str(&format!("{}\n", String::from_utf8_lossy(text)))
        }
        Reply::Array(items) => aggregate(
            items.iter().map(|i| (i, None)).collect(),
            ')',
            "(empty array)",
            out,
        ),
        Reply::Set(items) => aggregate(
            items.iter().map(|i| (i, None)).collect(),
            '~',
            "(empty set)",
            out,
        ),
        Reply::Map(pairs) => aggregate(
            pairs.iter().map(|(k, v)| (k, Some(v))).collect(),
            '#',
            "(empty hash)",
            out,
        ),
    }
}

/// A reply as `redis-cli --no-raw` prints it, without the final newline.
fn render(reply: &Reply) -> String {
    let mut out = String::new();
    render_into(reply, "", &mut out);
    out.pop();
    out
}

/// Parses one TOML basic string starting at `text[0] == '"'`; returns it and the rest.
fn basic_string(text: &str) -> Option<(String, &str)> {
    let mut chars = text.strip_prefix('"')?.char_indices();
    let mut out = String::new();
    while let Some((idx, ch)) = chars.next() {
        match ch {
            '"' => return Some((out, &text[idx + 2..])),
            '\\' => {
                let (_, esc) = chars.next()?;
                match esc {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'u' => {
                        let hex: String = (0..4)
                            .filter_map(|_| chars.next().map(|(_, c)| c))
                            .collect();
                        out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                    }
                    other => out.push(other),
                }
            }
            other => out.push(other),
        }
    }
    None
}

struct Case {
    name: String,
    resp: u8,
    steps: Vec<(Vec<String>, String)>,
}

/// Parses the recorder's layout.
fn parse_cases(text: &str) -> Vec<Case> {
    let mut cases: Vec<Case> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line == "[[case]]" {
            cases.push(Case {
                name: String::new(),
                resp: 2,
                steps: Vec::new(),
            });
        } else if let (Some(rest), Some(case)) = (line.strip_prefix("name = "), cases.last_mut()) {
            case.name = basic_string(rest).map(|(s, _)| s).unwrap_or_default();
        } else if let (Some(rest), Some(case)) = (line.strip_prefix("resp = "), cases.last_mut()) {
            case.resp = rest.parse().unwrap_or(2);
        } else if let (Some(mut rest), Some(case)) =
            (line.strip_prefix("{ cmd = ["), cases.last_mut())
        {
            let mut cmd = Vec::new();
            while let Some((arg, after)) = basic_string(rest) {
                cmd.push(arg);
                rest = after.trim_start_matches(", ");
            }
            let reply = rest
                .strip_prefix("], reply = ")
                .and_then(basic_string)
                .map(|(s, _)| s)
                .unwrap_or_else(|| panic!("unparsed step: {line}"));
            case.steps.push((cmd, reply));
        }
    }
    cases
}

#[test]
fn host_transcripts_match_redis() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.retain(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("host_") && n.ends_with(".toml"))
    });
    // A recorded file elsewhere (say, random cases from a fuzzing session) replaces the set.
    if let Some(path) = std::env::var_os("FERROUS_HOST_CASES") {
        paths = vec![path.into()];
    }
    paths.sort();
    let mut failures = Vec::new();
    let mut n_steps = 0;
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        for case in parse_cases(&text) {
            let mut host = MemoryHost::new();
            let ctx = CallContext {
                resp: case.resp,
                ..CallContext::default()
            };
            for (cmd, expected) in &case.steps {
                n_steps += 1;
                let args: Vec<Vec<u8>> = cmd.iter().map(|a| a.as_bytes().to_vec()).collect();
                let got = render(&host.call(&ctx, &args));
                if got != *expected {
                    failures.push(format!(
                        "{}: {cmd:?}\n  expected: {expected:?}\n  got:      {got:?}",
                        case.name
                    ));
                }
            }
        }
    }
    assert!(n_steps > 0, "no host transcript steps found");
    assert!(
        failures.is_empty(),
        "{} of {n_steps} steps differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
