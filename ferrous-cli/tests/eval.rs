//! `ferrous eval --no-raw SCRIPT NUMKEYS ...` prints what `redis-cli --no-raw EVAL ...` prints:
//! every script case of ferrous-redis's transcript suite that needs no setup and speaks RESP2
//! runs through the binary, and its output must be the reply recorded from redis-server.

use serde::Deserialize;

#[derive(Deserialize)]
struct CaseFile {
    case: Vec<Case>,
}

#[derive(Deserialize)]
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
}

#[test]
fn ferrous_eval_prints_as_redis_cli() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../ferrous-redis/tests/cases/eval.toml"
    );
    let text = std::fs::read_to_string(path).expect("eval.toml");
    let cases: CaseFile = toml::from_str(&text).expect("valid cases");
    let mut checked = 0;
    let mut failures = Vec::new();
    for case in &cases.case {
        let (Some(script), Some(reply)) = (&case.script, &case.reply) else {
            continue;
        };
        if !case.setup.is_empty() || case.ro || case.resp.is_some_and(|r| r != 2) {
            continue;
        }
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_ferrous"))
            .args(["eval", "--no-raw", script])
            .arg(case.keys.len().to_string())
            .args(&case.keys)
            .args(&case.args)
            .output()
            .expect("ferrous runs");
        let mut got = String::from_utf8_lossy(&out.stdout).into_owned();
        if got.ends_with('\n') {
            got.pop();
        }
        if &got != reply {
            failures.push(format!("{}: expected {reply:?}, got {got:?}", case.name));
        }
        checked += 1;
    }
    assert!(checked > 200, "only {checked} cases ran");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn ferrous_eval_raw_when_asked() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ferrous"))
        .args(["eval", "--raw", "return {1, 'two', {ok='x'}}", "0"])
        .output()
        .expect("ferrous runs");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "1\ntwo\nx\n");
}
