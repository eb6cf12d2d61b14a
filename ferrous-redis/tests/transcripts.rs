//! The transcript suite: every case in `tests/cases/*.toml` (format: `tests/cases/README.md`)
//! runs on the engine over the in-memory host, and the reply, as `redis-cli --no-raw` prints
//! it, must be the recorded one. With `FERROUS_REDIS_REFERENCE=127.0.0.1:PORT` (set by
//! `cargo xtask ci`, which starts a real redis-server 7.0) every case also runs there through
//! `redis-cli`, and must give the same text: the recorded replies are Redis's, not ours.
//!
//! `FERROUS_CASES=substring` runs only the cases whose file or name contains it.

use std::path::{Path, PathBuf};
use std::process::Command;

use ferrous_redis::{
    CallContext, CliError, MemoryHost, Reply, ScriptEngine, encode_reply, parse_reply,
    render_no_raw,
};
use serde::Deserialize;

#[derive(Deserialize)]
struct CaseFile {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[serde(default)]
    setup: Vec<Vec<String>>,
    script: Option<String>,
    #[serde(default)]
    keys: Vec<String>,
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    ro: bool,
    resp: Option<u8>,
    reply: Option<String>,
    #[serde(default)]
    steps: Vec<Step>,
    /// Why this case is not replayed on redis-server (7.0 crashes, or is insecure): listed in
    /// docs/REDIS_COMPATIBILITY.md.
    skip_reference: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Step {
    cmd: Vec<String>,
    reply: String,
}

impl Case {
    /// The commands to check, each with its expected text.
    fn steps(&self) -> Vec<(Vec<String>, String)> {
        let mut steps: Vec<(Vec<String>, String)> = self
            .steps
            .iter()
            .map(|s| (s.cmd.clone(), s.reply.clone()))
            .collect();
        if let (Some(script), Some(reply)) = (&self.script, &self.reply) {
            let mut cmd = vec![
                if self.ro { "EVAL_RO" } else { "EVAL" }.to_owned(),
                script.clone(),
                self.keys.len().to_string(),
            ];
            cmd.extend(self.keys.iter().cloned());
            cmd.extend(self.args.iter().cloned());
            steps.push((cmd, reply.clone()));
        }
        steps
    }
}

fn case_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/cases exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

fn load(path: &Path) -> CaseFile {
    let text = std::fs::read_to_string(path).expect("readable case file");
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn selected(file: &Path, case: &Case) -> bool {
    match std::env::var("FERROUS_CASES") {
        Ok(filter) if !filter.is_empty() => {
            file.to_string_lossy().contains(&filter) || case.name.contains(&filter)
        }
        _ => true,
    }
}

fn bytes_argv(cmd: &[String]) -> Vec<Vec<u8>> {
    cmd.iter().map(|s| s.as_bytes().to_vec()).collect()
}

/// Runs a case on a fresh engine; returns one message per mismatch.
fn run_on_engine(case: &Case) -> Vec<String> {
    let mut engine = ScriptEngine::new(MemoryHost::new()).expect("engine");
    let ctx = CallContext {
        resp: case.resp.unwrap_or(2),
        ..CallContext::default()
    };
    for cmd in &case.setup {
        engine.command(&ctx, &bytes_argv(cmd));
    }
    let mut failures = Vec::new();
    for (cmd, expected) in case.steps() {
        let got = render(&engine.command(&ctx, &bytes_argv(&cmd)), ctx.resp);
        if got != expected {
            failures.push(format!(
                "{}: {:?}\n  expected: {expected:?}\n  got:      {got:?}",
                case.name,
                short(&cmd)
            ));
        }
    }
    failures
}

/// Runs a case on the reference server through `redis-cli --no-raw`.
fn run_on_reference(address: &str, case: &Case) -> Vec<String> {
    let (host, port) = address.split_once(':').expect("host:port");
    let cli = |cmd: &[String], resp3: bool| -> String {
        let mut command = Command::new("redis-cli");
        command.args(["-h", host, "-p", port, "--no-raw"]);
        if resp3 {
            command.arg("-3");
        }
        let out = command.args(cmd).output().expect("redis-cli runs");
        let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
        if text.ends_with('\n') {
            text.pop();
        }
        text
    };
    cli(&["FLUSHALL".to_owned()], false);
    cli(&["SCRIPT".to_owned(), "FLUSH".to_owned()], false);
    let resp3 = case.resp == Some(3);
    for cmd in &case.setup {
        cli(cmd, resp3);
    }
    let mut failures = Vec::new();
    for (cmd, expected) in case.steps() {
        let got = cli(&cmd, resp3);
        if got != expected {
            failures.push(format!(
                "{} (redis-server): {:?}\n  expected: {expected:?}\n  got:      {got:?}",
                case.name,
                short(&cmd)
            ));
        }
    }
    failures
}

/// The reply as `redis-cli --no-raw` prints it on standard output after it crossed the wire in
/// protocol `resp` (nothing for a type it cannot print: it complains on standard error).
fn render(reply: &Reply, resp: u8) -> String {
    let mut wire = Vec::new();
    encode_reply(reply, resp, &mut wire);
    let received = match parse_reply(&wire) {
        Ok(Some((received, _))) => received,
        other => return format!("<unparsable reply: {other:?}>"),
    };
    match render_no_raw(&received) {
        Ok(mut text) => {
            if text.ends_with('\n') {
                text.pop();
            }
            text
        }
        Err(CliError::UnknownType(_)) => String::new(),
        Err(err) => format!("<{err}>"),
    }
}

fn short(cmd: &[String]) -> String {
    let text = cmd.join(" ");
    if text.len() > 160 {
        let mut end = 160;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}...", &text[..end])
    } else {
        text
    }
}

#[test]
fn transcripts() {
    let reference = std::env::var("FERROUS_REDIS_REFERENCE")
        .ok()
        .filter(|a| !a.is_empty());
    let mut failures = Vec::new();
    let mut count = 0;
    for file in case_files() {
        let cases = load(&file);
        let mut names = std::collections::HashSet::new();
        for case in &cases.case {
            assert!(
                names.insert(case.name.clone()),
                "{}: duplicate case name {:?}",
                file.display(),
                case.name
            );
            assert!(
                case.script.is_some() == case.reply.is_some(),
                "{}: case {:?} needs both `script` and `reply`",
                file.display(),
                case.name
            );
            if !selected(&file, case) {
                continue;
            }
            count += 1;
            let tag = file
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            failures.extend(
                run_on_engine(case)
                    .into_iter()
                    .map(|f| format!("[{tag}] {f}")),
            );
            if let (Some(address), None) = (&reference, &case.skip_reference) {
                failures.extend(
                    run_on_reference(address, case)
                        .into_iter()
                        .map(|f| format!("[{tag}] {f}")),
                );
            }
        }
    }
    assert!(count > 0, "no transcript case ran");
    assert!(
        failures.is_empty(),
        "{} of {count} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
