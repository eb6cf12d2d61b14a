//! `cargo xtask bench`: the performance figures we publish.
//!
//! Runs every Lua program in `xtask/bench/` with the release `ferrous`, `lua5.1`, `lua5.4` and
//! `luajit -joff` in the same run, and prints per program:
//! - time: the best of 6 wall-clock runs of each, ferrous/lua5.1 and lua5.4/lua5.1 (lua5.4 shows
//!   what a faster interpreter of the same kind achieves); the engines take turns, one run each
//!   per round, so that a slower spell of a shared machine does not fall on one of them only
//!   (each run also lands at a random stack offset and random code addresses: Linux's address
//!   space randomization, which moves one binary's time by several percent from run to run, and
//!   which the best of the runs smooths out). Each engine runs from three fresh copies of its
//!   executable in turn (`target/bench-copies/`, `bench_copies.rs`): where one file's pages lie
//!   in physical memory moved a program's time by up to 6%, so the best is taken over three
//!   placements, for every engine alike (the references' shared C library stays the system's);
//! - memory: the peak resident set size of ferrous, lua5.1 and lua5.4 (the largest over the same
//!   6 runs, measured by `bench_rss.rs`) and ferrous/lua5.1.
//!
//! Then the geometric means of the ratios, the slowest program, and issue #14's target
//! (time ferrous/lua5.1: geometric mean <= 0.70x, no program above 1.0x). A first row, `startup`,
//! runs `-e ''` (best of 12; not in the means). ferrous's output must equal lua5.1's (else the
//! bench fails); lua5.4 may print differently (its time is marked `*`) and lua5.4 and luajit are
//! optional (`-` when not installed). Then the heap micro-benchmarks (`cargo bench -p
//! ferrous-heap`) unless `--quick` is given. Program names after the flags select programs
//! (`cargo xtask bench --quick fib startup`). `cargo xtask bench redis` measures the script
//! engine instead (`bench_redis.rs`); `cargo xtask bench against BINARY` this tree's `ferrous`
//! against an earlier build (`bench_ab.rs`).
//!
//! Timing never goes in a test: this is the only place where Ferrous is timed.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::bench_copies::{COPIES, fresh_copies};
use crate::bench_rss::measure;
use crate::oracles::on_path;

#[path = "bench_compile.rs"]
mod bench_compile;

/// Runs per engine and program: two from each of the three copies.
const RUNS: usize = 6;
const STARTUP_RUNS: usize = 12;
/// Issue #14's target for time ferrous/lua5.1.
const TARGET_GEOMEAN: f64 = 0.70;

/// The interpreters, in column order: ferrous, lua5.1, lua5.4, luajit -joff.
const ENGINES: usize = 4;

/// One interpreter's result on one program.
enum Cell {
    NotInstalled,
    Failed,
    Ran {
        time: Duration,
        rss_kb: Option<u64>,
        /// The output differs from lua5.1's (allowed for lua5.4 and luajit only).
        differs: bool,
    },
}

impl Cell {
    fn time(&self) -> Option<f64> {
        match self {
            Cell::Ran { time, .. } => Some(time.as_secs_f64()),
            _ => None,
        }
    }

    fn rss(&self) -> Option<f64> {
        match self {
            Cell::Ran { rss_kb, .. } => rss_kb.map(|kb| kb as f64),
            _ => None,
        }
    }

    fn show_time(&self) -> String {
        match self {
            Cell::NotInstalled => "-".to_owned(),
            Cell::Failed => "fail".to_owned(),
            Cell::Ran { time, differs, .. } => {
                let mark = if *differs { "*" } else { "" };
                let secs = time.as_secs_f64();
                if secs < 0.1 {
                    format!("{:.1}ms{mark}", secs * 1000.0)
                } else {
                    format!("{secs:.3}s{mark}")
                }
            }
        }
    }

    fn show_rss(&self) -> String {
        self.rss()
            .map_or_else(|| "-".to_owned(), |kb| format!("{:.1}M", kb / 1024.0))
    }
}

/// A geometric mean of ratios, and the largest one.
#[derive(Default)]
struct Mean {
    log_sum: f64,
    count: usize,
    max: Option<(f64, String)>,
}

impl Mean {
    fn add(&mut self, ratio: Option<f64>, name: &str) {
        let Some(r) = ratio else { return };
        self.log_sum += r.ln();
        self.count += 1;
        if self.max.as_ref().is_none_or(|(m, _)| r > *m) {
            self.max = Some((r, name.to_owned()));
        }
    }

    fn value(&self) -> Option<f64> {
        (self.count > 0).then(|| (self.log_sum / self.count as f64).exp())
    }
}

fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(a? / b?)
}

fn show_ratio(r: Option<f64>) -> String {
    r.map_or_else(|| "-".to_owned(), |r| format!("{r:.2}x"))
}

pub(crate) fn run(args: &[String]) -> Result<()> {
    if args.first().is_some_and(|a| a == "redis") {
        return crate::bench_redis::run();
    }
    if args.first().is_some_and(|a| a == "against") {
        return crate::bench_ab::run(&args[1..]);
    }
    crate::oracles::ensure()?;
    crate::oracles::ensure_optional();
    let ferrous = crate::release::build_ferrous()?;
    let root = crate::workspace_root();
    let dir = root.join("xtask/bench");
    let programs = lua_programs(&dir, |name| selected(args, name))?;
    let installed = [
        true,
        true,
        crate::oracles::is_installed("lua5.4"),
        crate::oracles::is_installed("luajit"),
    ];
    let exes = engine_copies(&ferrous, &installed)?;
    let time_title = format!("time: best of {RUNS} wall-clock runs over {COPIES} copies");
    println!("{}", crate::machine::describe());
    println!("{time_title:<80}| peak RSS: largest of the same runs");
    print_line([
        "program",
        "ferrous",
        "lua5.1",
        "lua5.4",
        "luajit-joff",
        "ferrous/lua5.1",
        "lua5.4/lua5.1",
        "ferrous",
        "lua5.1",
        "lua5.4",
        "ferrous/lua5.1",
    ]);
    if selected(args, "startup") {
        let cells = measure_all(&exes, None, STARTUP_RUNS)?;
        print_row("startup", &cells);
    }
    let (mut time, mut time54, mut rss) = (Mean::default(), Mean::default(), Mean::default());
    for name in &programs {
        let cells = measure_all(&exes, Some(&dir.join(format!("{name}.lua"))), RUNS)
            .with_context(|| format!("benchmark {name}"))?;
        print_row(name, &cells);
        time.add(ratio(cells[0].time(), cells[1].time()), name);
        time54.add(ratio(cells[2].time(), cells[1].time()), name);
        rss.add(ratio(cells[0].rss(), cells[1].rss()), name);
    }
    if let Some(geomean) = time.value() {
        let (max, slowest) = time.max.clone().unwrap_or_default();
        println!(
            "geometric mean over {} programs: time ferrous/lua5.1 {geomean:.2}x (highest {max:.2}x, \
             {slowest}), lua5.4/lua5.1 {}; RSS ferrous/lua5.1 {}",
            time.count,
            show_ratio(time54.value()),
            show_ratio(rss.value()),
        );
        let met = geomean <= TARGET_GEOMEAN && max <= 1.0;
        println!(
            "issue #14 target, time ferrous/lua5.1: geometric mean <= {TARGET_GEOMEAN:.2}x and no \
             program above 1.00x: {}",
            if met { "met" } else { "not met" }
        );
    }
    if args.iter().any(|a| a == "--quick") {
        return Ok(());
    }
    crate::cargo(&[
        "bench",
        "-p",
        "ferrous-heap",
        "--bench",
        "heap",
        "--",
        "--quick",
    ])?;
    bench_compile_hook(&root)
}

/// The fresh copies each engine runs from (none for an engine that is not installed).
fn engine_copies(ferrous: &Path, installed: &[bool; ENGINES]) -> Result<[Vec<PathBuf>; ENGINES]> {
    let dir = ferrous
        .parent()
        .and_then(Path::parent)
        .context("the target folder")?
        .join("bench-copies");
    let mut exes: [Vec<PathBuf>; ENGINES] = Default::default();
    for (engine, program) in ["ferrous", "lua5.1", "lua5.4", "luajit"]
        .into_iter()
        .enumerate()
    {
        if !installed[engine] {
            continue;
        }
        let from = if engine == 0 {
            ferrous.to_path_buf()
        } else {
            on_path(program).with_context(|| format!("{program} is not on PATH"))?
        };
        exes[engine] = fresh_copies(&from, &dir, program, program)?;
    }
    Ok(exes)
}

/// Runs `script` (or `-e ''` for `None`) under each engine that has copies, `runs` times each,
/// from its copies in turn, the engines taking turns within each round (so that a slower spell
/// of a shared machine falls on all of them rather than on one engine's runs). Fails if
/// ferrous fails or prints something else than lua5.1.
fn measure_all(
    exes: &[Vec<PathBuf>; ENGINES],
    script: Option<&Path>,
    runs: usize,
) -> Result<[Cell; ENGINES]> {
    let args: [Vec<&OsStr>; ENGINES] = std::array::from_fn(|engine| {
        let mut args: Vec<&OsStr> = match engine {
            3 => vec![OsStr::new("-joff")],
            _ => Vec::new(),
        };
        match script {
            Some(script) if engine == 0 => args.extend([OsStr::new("run"), script.as_os_str()]),
            Some(script) => args.push(script.as_os_str()),
            None => args.extend([OsStr::new("-e"), OsStr::new("")]),
        }
        args
    });
    let mut results: [Option<Best>; ENGINES] = Default::default();
    let mut failed = [false; ENGINES];
    for round in 0..runs {
        for engine in [1, 0, 2, 3] {
            let copies = &exes[engine];
            let Some(exe) = copies.get(round % copies.len().max(1)) else {
                continue;
            };
            if failed[engine] {
                continue;
            }
            let mut argv = vec![exe.as_os_str()];
            argv.extend(&args[engine]);
            match measure(&argv) {
                Ok(m) => results[engine].get_or_insert_with(Best::default).add(m),
                Err(err) if engine >= 2 => {
                    println!("({err:#})");
                    failed[engine] = true;
                }
                Err(err) => return Err(err),
            }
        }
    }
    // The others' outputs are compared with lua5.1's.
    let reference = results[1].as_ref().map(|r| r.out.clone());
    let mut cells = [const { Cell::NotInstalled }; ENGINES];
    for (engine, result) in results.into_iter().enumerate() {
        let Some(result) = result.filter(|_| !failed[engine]) else {
            if failed[engine] {
                cells[engine] = Cell::Failed;
            }
            continue;
        };
        let differs = engine != 1 && reference.as_ref().is_some_and(|r| *r != result.out);
        if engine == 0 && differs {
            bail!(
                "output differs from lua5.1\n--- lua5.1\n{}\n--- ferrous\n{}",
                String::from_utf8_lossy(reference.as_deref().unwrap_or_default()),
                String::from_utf8_lossy(&result.out)
            );
        }
        cells[engine] = Cell::Ran {
            time: result.time,
            rss_kb: result.rss_kb,
            differs,
        };
    }
    Ok(cells)
}

/// One engine's runs of one program so far: the best wall-clock time, the largest peak RSS and
/// the output of the last run.
struct Best {
    time: Duration,
    rss_kb: Option<u64>,
    out: Vec<u8>,
}

impl Default for Best {
    fn default() -> Self {
        Best {
            time: Duration::MAX,
            rss_kb: None,
            out: Vec::new(),
        }
    }
}

impl Best {
    fn add(&mut self, m: crate::bench_rss::Measurement) {
        self.time = self.time.min(m.time);
        self.rss_kb = self.rss_kb.max(m.rss_kb);
        self.out = m.stdout;
    }
}

fn print_row(name: &str, cells: &[Cell; ENGINES]) {
    let columns = [
        name.to_owned(),
        cells[0].show_time(),
        cells[1].show_time(),
        cells[2].show_time(),
        cells[3].show_time(),
        show_ratio(ratio(cells[0].time(), cells[1].time())),
        show_ratio(ratio(cells[2].time(), cells[1].time())),
        cells[0].show_rss(),
        cells[1].show_rss(),
        cells[2].show_rss(),
        show_ratio(ratio(cells[0].rss(), cells[1].rss())),
    ];
    print_line(columns.each_ref().map(String::as_str));
}

fn print_line(c: [&str; 11]) {
    println!(
        "{:<11} {:>8} {:>8} {:>8} {:>11} {:>14} {:>13} | {:>7} {:>7} {:>7} {:>14}",
        c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10]
    );
}

/// The names (without `.lua`) of the Lua programs in `dir` that `keep` accepts, sorted.
pub(crate) fn lua_programs(dir: &Path, keep: impl Fn(&str) -> bool) -> Result<Vec<String>> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".lua").map(str::to_owned)
        })
        .filter(|name| keep(name))
        .collect();
    names.sort();
    Ok(names)
}

/// Whether program `name` runs: every program unless names are given (`cargo xtask bench --quick
/// fib closures`).
pub(crate) fn selected(args: &[String], name: &str) -> bool {
    let mut names = args.iter().filter(|a| !a.starts_with("--")).peekable();
    names.peek().is_none() || names.any(|a| a == name)
}

/// The compiler's benchmark (`ferrous check` against `luac5.1 -p`), when it exists.
fn bench_compile_hook(_root: &Path) -> Result<()> {
    bench_compile::run()
}
