//! `cargo xtask bench ops`: what one operation costs, against lua5.1 (and lua5.4).
//!
//! Each program of `xtask/bench/ops/` runs one operation (a register move, a call, an upvalue
//! read, ...) in a numeric `for` loop whose count is its first argument; `forloop.lua` is the
//! empty loop. An operation's cost is its program's cost less the empty loop's, per iteration:
//! - by default, time: the best of 3 runs of 20 million iterations, the engines taking turns,
//!   in nanoseconds (an operation that overlaps with the loop's own chain of dependent
//!   instructions can look cheaper than it is: compare engines, not absolute figures);
//! - with `--instructions`, the instructions callgrind counts: the difference between runs of
//!   400,000 and 200,000 iterations, so start-up cancels out exactly. Deterministic: the figure
//!   to judge a change of an operation's code by (time depends on the code's layout too).
//!
//! Operation names after the flags select programs (`cargo xtask bench ops --instructions call0`).
//! Like the main bench, never a test.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

/// The empty loop, subtracted from every other program.
const BASELINE: &str = "forloop";
const TIME_ITERATIONS: u64 = 20_000_000;
const TIME_RUNS: usize = 3;
/// The two loop counts whose instruction counts are subtracted.
const COUNT_ITERATIONS: [u64; 2] = [200_000, 400_000];

pub(crate) fn run(args: &[String]) -> Result<()> {
    crate::oracles::ensure()?;
    crate::oracles::ensure_optional();
    let instructions = args.iter().any(|a| a == "--instructions");
    if instructions && !crate::oracles::is_installed("valgrind") {
        bail!("--instructions needs valgrind (apt-get install valgrind)");
    }
    let ferrous = crate::release::build_ferrous()?;
    let dir = crate::workspace_root().join("xtask/bench/ops");
    let ops = crate::bench::lua_programs(&dir, |name| {
        name != BASELINE && crate::bench::selected(args, name)
    })?;
    let mut engines = vec![Engine::Ferrous(&ferrous), Engine::Lua("lua5.1")];
    if crate::oracles::is_installed("lua5.4") {
        engines.push(Engine::Lua("lua5.4"));
    }
    let measure = |engine: &Engine, op: &str| -> Result<f64> {
        let script = dir.join(format!("{op}.lua"));
        if instructions {
            let [few, many] = COUNT_ITERATIONS;
            let extra = count_instructions(engine, &script, many)?
                - count_instructions(engine, &script, few)?;
            Ok(extra as f64 / (many - few) as f64)
        } else {
            Ok(best_time(engine, &script)? * 1e9 / TIME_ITERATIONS as f64)
        }
    };
    let unit = if instructions { "instructions" } else { "ns" };
    let names: Vec<&str> = engines.iter().map(Engine::name).collect();
    if !instructions {
        // Times depend on the processor; instruction counts do not.
        println!("{}", crate::machine::describe());
    }
    println!(
        "{:<16} {}  ferrous/lua5.1{}",
        format!("op ({unit})"),
        names.iter().map(|n| format!("{n:>10}")).collect::<String>(),
        if engines.len() > 2 {
            "  lua5.4/lua5.1"
        } else {
            ""
        }
    );
    let baseline: Vec<f64> = engines
        .iter()
        .map(|e| measure(e, BASELINE))
        .collect::<Result<_>>()?;
    println!(
        "{:<16} {}   (the empty loop, per iteration; subtracted below)",
        BASELINE,
        baseline
            .iter()
            .map(|c| format!("{c:>10.2}"))
            .collect::<String>()
    );
    for op in &ops {
        let costs: Vec<f64> = engines
            .iter()
            .zip(&baseline)
            .map(|(e, base)| Ok(measure(e, op)? - base))
            .collect::<Result<_>>()
            .with_context(|| format!("operation {op}"))?;
        let ratio = |i: usize| {
            costs
                .get(i)
                .map(|c| format!("{:>14.2}x", c / costs[1]))
                .unwrap_or_default()
        };
        println!(
            "{op:<16} {}{}{}",
            costs
                .iter()
                .map(|c| format!("{c:>10.2}"))
                .collect::<String>(),
            ratio(0),
            ratio(2),
        );
    }
    Ok(())
}

/// An interpreter to run the operations under.
enum Engine<'a> {
    /// The release `ferrous` (`ferrous run SCRIPT N`).
    Ferrous(&'a Path),
    /// A reference interpreter (`lua5.1 SCRIPT N`).
    Lua(&'static str),
}

impl Engine<'_> {
    fn name(&self) -> &str {
        match self {
            Engine::Ferrous(_) => "ferrous",
            Engine::Lua(name) => name,
        }
    }

    /// The command line that runs `script` for `iterations`.
    fn command(&self, script: &Path, iterations: u64) -> Command {
        let mut argv: Vec<String> = Vec::new();
        match self {
            Engine::Ferrous(path) => {
                argv.push(path.display().to_string());
                argv.push("run".to_owned());
            }
            Engine::Lua(name) => argv.push((*name).to_owned()),
        }
        argv.push(script.display().to_string());
        argv.push(iterations.to_string());
        let mut command = Command::new(&argv[0]);
        command.args(&argv[1..]).stdout(Stdio::null());
        command
    }
}

/// The best wall-clock time of [`TIME_RUNS`] runs of `script` for [`TIME_ITERATIONS`].
fn best_time(engine: &Engine, script: &Path) -> Result<f64> {
    let mut best = f64::INFINITY;
    for _ in 0..TIME_RUNS {
        let start = Instant::now();
        let status = engine
            .command(script, TIME_ITERATIONS)
            .status()
            .with_context(|| format!("running {}", engine.name()))?;
        let elapsed = start.elapsed().as_secs_f64();
        if !status.success() {
            bail!("{} {} failed ({status})", engine.name(), script.display());
        }
        best = best.min(elapsed);
    }
    Ok(best)
}

/// The instructions callgrind counts in a run of `script` for `iterations`.
fn count_instructions(engine: &Engine, script: &Path, iterations: u64) -> Result<u64> {
    let what = format!("{} {}", engine.name(), script.display());
    crate::callgrind::instructions(&engine.command(script, iterations), &what)
}
