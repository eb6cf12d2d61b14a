//! `cargo xtask bench against BINARY [PROGRAM...]`: the release `ferrous` built from this tree
//! against another `ferrous` binary (a copy of an earlier build), on the bench programs, taking
//! turns run by run.
//!
//! How a change to the interpreter is judged: on the machines we have, one program's time moves
//! by 10% and more with the code's layout alone, and the best of ten runs of one binary by
//! several percent from one series to the next (address space randomization and a shared
//! machine, see `bench.rs`), so a change is judged on all twenty programs at once, by the
//! geometric mean of the ratios of the best times, and by instruction counts (`bench ops
//! --instructions`, callgrind). Both binaries run as fresh copies at paths of the same length
//! (`target/bench-against/{a,b}-{1,2,3}/ferrous`), so that nothing but the binaries differs:
//! three copies of each, used in turn (`bench_copies.rs`: with one copy per binary, the
//! comparison was of two placements in physical memory as much as of two builds).
//! Copy `target/release/ferrous` aside before the change, then run this after it.
//!
//! With `--instructions`, each binary runs each program once under callgrind instead, and the
//! report is of instruction counts: what a change does to the code, apart from the layout
//! lottery above (a change that does not touch a program's code moved its time by 5-8%).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::bench::{lua_programs, selected};
use crate::bench_copies::{COPIES, fresh_copies};
use crate::bench_rss::measure;

/// Runs per binary and program.
const ROUNDS: usize = 12;

pub(crate) fn run(args: &[String]) -> Result<()> {
    let instructions = args.iter().any(|a| a == "--instructions");
    let args: Vec<String> = args
        .iter()
        .filter(|a| *a != "--instructions")
        .cloned()
        .collect();
    let Some((baseline, names)) = args.split_first() else {
        bail!("usage: cargo xtask bench against BINARY [--instructions] [PROGRAM...]");
    };
    let baseline = Path::new(baseline);
    if !baseline.is_file() {
        bail!("{} is not a file", baseline.display());
    }
    let built = crate::release::build_ferrous()?;
    let copies = built
        .parent()
        .and_then(Path::parent)
        .context("the target folder")?
        .join("bench-against");
    let old = fresh_copies(baseline, &copies, "a", "ferrous")?;
    let ferrous = fresh_copies(&built, &copies, "b", "ferrous")?;
    let dir = crate::workspace_root().join("xtask/bench");
    let programs = lua_programs(&dir, |name| selected(names, name))?;
    if instructions {
        return compare_instructions(baseline, &built, &dir, &programs);
    }
    println!("{}", crate::machine::describe());
    println!("best of {ROUNDS} runs each over {COPIES} copies, taking turns");
    print_header();
    let mut mean = GeoMean::default();
    for name in &programs {
        let script = dir.join(format!("{name}.lua"));
        let (old_best, new_best) =
            compare(&old, &ferrous, &script).with_context(|| format!("benchmark {name}"))?;
        let ratio = new_best.as_secs_f64() / old_best.as_secs_f64();
        mean.add(ratio);
        println!(
            "{name:<12} {:>9.3}s {:>9.3}s {ratio:>7.3}x",
            old_best.as_secs_f64(),
            new_best.as_secs_f64()
        );
    }
    mean.report(3);
    Ok(())
}

/// The best times of the copies `old` and `new` running `script`, taking turns (and copies);
/// fails if their outputs differ.
fn compare(old: &[PathBuf], new: &[PathBuf], script: &Path) -> Result<(Duration, Duration)> {
    let (mut old_best, mut new_best) = (Duration::MAX, Duration::MAX);
    for round in 0..ROUNDS {
        let (Some(old), Some(new)) = (
            old.get(round % old.len().max(1)),
            new.get(round % new.len().max(1)),
        ) else {
            bail!("no copies to run");
        };
        let old_run = measure(&[old.as_os_str(), OsStr::new("run"), script.as_os_str()])?;
        let new_run = measure(&[new.as_os_str(), OsStr::new("run"), script.as_os_str()])?;
        if old_run.stdout != new_run.stdout {
            bail!("the two binaries print different output");
        }
        old_best = old_best.min(old_run.time);
        new_best = new_best.min(new_run.time);
    }
    Ok((old_best, new_best))
}

/// `--instructions`: each program's instruction count under both binaries, in millions, and
/// their ratio; fails if their outputs differ.
fn compare_instructions(old: &Path, new: &Path, dir: &Path, programs: &[String]) -> Result<()> {
    println!("instructions (callgrind), millions");
    print_header();
    let mut mean = GeoMean::default();
    for name in programs {
        let script = dir.join(format!("{name}.lua"));
        let count = |binary: &Path| -> Result<u64> {
            let mut command = std::process::Command::new(binary);
            command.arg("run").arg(&script);
            crate::callgrind::instructions(&command, &format!("{} {name}", binary.display()))
        };
        let (old_count, new_count) = (count(old)?, count(new)?);
        let old_output = measure(&[old.as_os_str(), OsStr::new("run"), script.as_os_str()])?;
        let new_output = measure(&[new.as_os_str(), OsStr::new("run"), script.as_os_str()])?;
        if old_output.stdout != new_output.stdout {
            bail!("the two binaries print different output for {name}");
        }
        let ratio = new_count as f64 / old_count.max(1) as f64;
        mean.add(ratio);
        println!(
            "{name:<12} {:>10} {:>10} {ratio:>7.4}x",
            old_count / 1_000_000,
            new_count / 1_000_000
        );
    }
    mean.report(4);
    Ok(())
}

/// The columns of both reports.
fn print_header() {
    println!(
        "{:<12} {:>10} {:>10} {:>8}",
        "program", "baseline", "this tree", "ratio"
    );
}

/// The geometric mean of the programs' ratios, this tree / baseline.
#[derive(Default)]
struct GeoMean {
    log_sum: f64,
    count: usize,
}

impl GeoMean {
    fn add(&mut self, ratio: f64) {
        self.log_sum += ratio.ln();
        self.count += 1;
    }

    /// Prints the mean with `digits` decimals (nothing when no program ran).
    fn report(&self, digits: usize) {
        if self.count > 0 {
            let geomean = (self.log_sum / self.count as f64).exp();
            println!(
                "geometric mean over {} programs, this tree / baseline: {geomean:.digits$}x",
                self.count
            );
        }
    }
}
