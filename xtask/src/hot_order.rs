//! `cargo xtask hot-order`: regenerates `ferrous-cli/link/hot.ld`, the list of functions that
//! the linker puts first in `.text`, and of their read-only data, put first in `.rodata`.
//!
//! Why the list exists is in `ferrous-cli/build.rs`: the kernel maps 64 KiB of cached file pages
//! around each page fault, so the functions a run executes should share as few of those windows
//! as possible. This task measures which functions those are: it builds the release `ferrous`,
//! runs it under `valgrind --tool=callgrind --demangle=no` ([`runs`]: `-e ''`, a small
//! `run FILE`, and every `xtask/bench/*.lua` program, in parallel), reads each profile's
//! executed functions of the `ferrous` binary with their own instruction counts
//! ([`parse_profile`]), turns each symbol into a section pattern with its hashes as wildcards
//! ([`section_pattern`]) unless that pattern would also match functions that no run executes
//! (then the symbol keeps its hash: [`patterns`], which reads the binary's symbols with `nm`),
//! orders the patterns ([`order`]: what start-up executes first, then by how many runs execute
//! each byte of them) and writes the script (`script.rs`).
//!
//! **Invariant:** the same binary and profiles give the same file, byte for byte: nothing in it
//! depends on the date, the machine or the order in which the runs finished. (Callgrind's counts are those
//! of the program, so the profiles themselves only change when the code does.)
//!
//! The profiles are kept in `target/hot-order/` for inspection (`callgrind_annotate`).

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::Instant;

use anyhow::{Context, Result, bail};

mod script;

use script::render;

/// Where the linker script goes, relative to the workspace root.
const SCRIPT: &str = "ferrous-cli/link/hot.ld";

/// The small script of the `run FILE` profile: what a short script typically does (a loop, a
/// table, a library call, output), beyond the bare start-up of `-e ''`.
const SMALL_SCRIPT: &str = "local t = {}\n\
    for i = 1, 10 do t[#t + 1] = tostring(i) end\n\
    print(table.concat(t, \" \"), #t, string.format(\"%d\", 42))\n";

/// One profiled run of `ferrous`.
struct Run {
    /// A short name: `startup`, `run` or the bench program's name.
    name: String,
    args: Vec<String>,
}

/// What one profile says: the executed functions of the `ferrous` binary (symbol as linked,
/// without callgrind's `'N` recursion suffix) and their own instruction counts.
type Profile = BTreeMap<String, u64>;

/// What the ordering knows of one section pattern, summed over the symbols it matches.
#[derive(Default)]
struct Usage {
    /// Executed by `ferrous -e ''`.
    startup: bool,
    /// How many runs execute it.
    runs: usize,
    /// Instructions executed in it, over all runs.
    cost: u64,
    /// Bytes of code of the functions it places.
    size: u64,
}

/// `cargo xtask hot-order [--reuse]`: `--reuse` reads the profiles of the last run again
/// instead of making new ones (to work on the ordering).
pub(crate) fn run(args: &[String]) -> Result<()> {
    let started = Instant::now();
    let reuse = args.iter().any(|a| a == "--reuse");
    crate::oracles::ensure_program("nm", "binutils")?;
    let root = crate::workspace_root();
    // The binary the bench runs (`release.rs`: static where it can be), built unless the last
    // profiles are reused.
    let ferrous = if reuse {
        crate::release::ferrous_path()
    } else {
        crate::oracles::ensure_program("valgrind", "valgrind")?;
        crate::release::build_ferrous()?
    };
    let ferrous = ferrous
        .canonicalize()
        .context("locating the release ferrous")?;
    let out_dir = root.join("target/hot-order");
    std::fs::create_dir_all(&out_dir).context("creating target/hot-order")?;
    let small = out_dir.join("small.lua");
    std::fs::write(&small, SMALL_SCRIPT).context("writing target/hot-order/small.lua")?;
    let runs = runs(&root.join("xtask/bench"), &small)?;
    let profiles = if reuse {
        runs.iter()
            .map(|run| read_profile(&ferrous, run, &out_dir))
            .collect::<Result<Vec<_>>>()?
    } else {
        println!(
            "== {} runs of ferrous under callgrind (a few minutes)",
            runs.len()
        );
        profile_all(&ferrous, &runs, &out_dir)?
    };
    let sizes = binary_functions(&ferrous)?;
    let functions: Vec<String> = sizes.keys().cloned().collect();
    let patterns = patterns(&profiles, &functions);
    let fallbacks = fallbacks(&patterns);
    let usage = usage(&runs, &profiles, &patterns, &sizes);
    let ordered = order(usage);
    let text = render(&ordered, &fallbacks, runs.len());
    let path = root.join(SCRIPT);
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    std::fs::write(&path, &text).with_context(|| format!("writing {SCRIPT}"))?;
    let startup = ordered.iter().filter(|(_, u)| u.startup).count();
    println!(
        "{SCRIPT}: {} patterns, {startup} of them executed by start-up ({}), in {:.0} s",
        ordered.len(),
        if old == text {
            "unchanged"
        } else {
            "rewritten"
        },
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The runs to profile: start-up, the small script, then the bench programs by name.
fn runs(bench_dir: &Path, small: &Path) -> Result<Vec<Run>> {
    let mut programs: Vec<PathBuf> = std::fs::read_dir(bench_dir)
        .context("reading xtask/bench")?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "lua"))
        .collect();
    programs.sort();
    let mut runs = vec![
        Run {
            name: "startup".to_owned(),
            args: vec!["-e".to_owned(), String::new()],
        },
        Run {
            name: "run".to_owned(),
            args: vec!["run".to_owned(), small.display().to_string()],
        },
    ];
    for program in programs {
        let name = program
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        runs.push(Run {
            name,
            args: vec!["run".to_owned(), program.display().to_string()],
        });
    }
    Ok(runs)
}

/// Profiles every run, as many at a time as there are cores; the profiles in `runs`' order.
fn profile_all(ferrous: &Path, runs: &[Run], out_dir: &Path) -> Result<Vec<Profile>> {
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let next = Mutex::new(0usize);
    let results: Mutex<Vec<Option<Result<Profile>>>> =
        Mutex::new(runs.iter().map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..workers.min(runs.len()) {
            scope.spawn(|| {
                loop {
                    let i = {
                        let mut next = next.lock().unwrap_or_else(|e| e.into_inner());
                        let i = *next;
                        *next += 1;
                        i
                    };
                    let Some(run) = runs.get(i) else { break };
                    let res = profile(ferrous, run, out_dir);
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(res);
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    runs.iter()
        .zip(results)
        .map(|(run, res)| {
            res.unwrap_or_else(|| bail!("not profiled"))
                .with_context(|| format!("profiling {}", run.name))
        })
        .collect()
}

/// Runs `ferrous` once under callgrind and reads the profile back.
fn profile(ferrous: &Path, run: &Run, out_dir: &Path) -> Result<Profile> {
    let started = Instant::now();
    let output = Command::new("valgrind")
        .args(["--tool=callgrind", "--demangle=no", "-q"])
        .arg(format!(
            "--callgrind-out-file={}",
            profile_path(out_dir, run).display()
        ))
        .arg(ferrous)
        .args(&run.args)
        .current_dir(crate::workspace_root())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .output()
        .context("running valgrind")?;
    if !output.status.success() {
        bail!(
            "ferrous {:?} under callgrind failed ({}):\n{}",
            run.args,
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let profile = read_profile(ferrous, run, out_dir)?;
    println!(
        "{:<12} {:>5} functions, {:>5.1} s",
        run.name,
        profile.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(profile)
}

fn profile_path(out_dir: &Path, run: &Run) -> PathBuf {
    out_dir.join(format!("{}.callgrind", run.name))
}

/// Reads back the profile of `run`: the executed functions of `ferrous`.
fn read_profile(ferrous: &Path, run: &Run, out_dir: &Path) -> Result<Profile> {
    let path = profile_path(out_dir, run);
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let profile = parse_profile(&text, &ferrous.display().to_string());
    if profile.is_empty() {
        bail!("no function of {} in {}", ferrous.display(), path.display());
    }
    Ok(profile)
}

/// Reads a callgrind profile (format version 1): the functions of object `object` with a
/// nonzero own cost, and that cost (the first event, `Ir`).
///
/// Names may be compressed (`fn=(12) name` once, then `fn=(12)`), and `cfn=`/`cob=` lines
/// define names too; the cost line after a `calls=` line is a call's inclusive cost, not the
/// caller's own.
fn parse_profile(text: &str, object: &str) -> Profile {
    let mut objects: HashMap<String, String> = HashMap::new();
    let mut functions: HashMap<String, String> = HashMap::new();
    let mut positions = 1;
    let mut in_object = false;
    let mut current: Option<String> = None;
    let mut after_calls = false;
    let mut profile = Profile::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("positions:") {
            positions = rest.split_whitespace().count();
        } else if let Some(spec) = line.strip_prefix("ob=") {
            in_object = resolve(&mut objects, spec) == object;
        } else if let Some(spec) = line.strip_prefix("cob=") {
            resolve(&mut objects, spec);
        } else if let Some(spec) = line.strip_prefix("fn=") {
            let name = resolve(&mut functions, spec);
            current = in_object.then(|| strip_recursion(&name).to_owned());
        } else if let Some(spec) = line.strip_prefix("cfn=") {
            resolve(&mut functions, spec);
        } else if line.starts_with("calls=") {
            after_calls = true;
        } else if line.starts_with(|c: char| c.is_ascii_digit() || "+-*".contains(c)) {
            if std::mem::take(&mut after_calls) {
                continue;
            }
            let Some(name) = &current else { continue };
            let cost = line
                .split_whitespace()
                .nth(positions)
                .and_then(|field| field.parse::<u64>().ok())
                .unwrap_or(0);
            if cost > 0 {
                *profile.entry(name.clone()).or_default() += cost;
            }
        }
    }
    profile
}

/// A name spec of a callgrind line: `(id) name` defines `id`, `(id)` refers to it, a bare
/// `name` is itself.
fn resolve(names: &mut HashMap<String, String>, spec: &str) -> String {
    let Some(rest) = spec.strip_prefix('(') else {
        return spec.to_owned();
    };
    let Some((id, name)) = rest.split_once(')') else {
        return spec.to_owned();
    };
    let name = name.trim_start();
    if name.is_empty() {
        names.get(id).cloned().unwrap_or_default()
    } else {
        names.insert(id.to_owned(), name.to_owned());
        name.to_owned()
    }
}

/// Callgrind names a recursive call's frames `name'2`, `name'3` (`--separate-recs`).
fn strip_recursion(name: &str) -> &str {
    match name.rsplit_once('\'') {
        Some((base, depth)) if depth.bytes().all(|b| b.is_ascii_digit()) => base,
        _ => name,
    }
}

/// The pattern that matches `symbol`'s section name after `.text.` (or `.text.unlikely.`) in
/// this build and the next ones, or `None` for what has no section of its own.
///
/// Legacy Rust symbols (`_ZN...17h<hash>E`) end in a hash of the crate and the signature, which
/// changes with any code change: it becomes `17h*`. v0 symbols (`_R...`) carry each crate's
/// disambiguator (`Cs<hash>_`): those become `Cs*_`, and the end a `*`. Both may have an LTO
/// suffix (`.llvm.<number>`), which the final `*` covers. Of the C symbols only `main` (which
/// rustc emits in `.text.main`) has a section of its own: the C library's functions, linked
/// into the static binary from `libc.a` (`release.rs`), keep their code in its objects' plain
/// `.text`, as the C start-up code does. A wildcard only ever makes the pattern match more
/// (every instantiation of a generic function in legacy mangling, whose type arguments are in
/// the hash), never less.
fn section_pattern(symbol: &str) -> Option<String> {
    // No symbol (`0x...`, callgrind's `(below main)`), or C code in a plain `.text` section.
    let is_symbol = symbol
        .bytes()
        .all(|b| b.is_ascii_graphic() && !b"()[]*?\"".contains(&b));
    let rust_or_main = symbol.starts_with("_ZN") || symbol.starts_with("_R") || symbol == "main";
    if !is_symbol || !rust_or_main {
        return None;
    }
    if symbol.starts_with("_ZN") {
        return Some(match legacy_hash_start(symbol) {
            Some(at) => format!("{}17h*", &symbol[..at]),
            None => format!("{}*", symbol.split(".llvm.").next().unwrap_or(symbol)),
        });
    }
    if let Some(mangled) = symbol.strip_prefix("_R") {
        let mangled = mangled.split('.').next().unwrap_or(mangled);
        return Some(format!("_R{}*", wildcard_disambiguators(mangled)));
    }
    Some(symbol.to_owned())
}

/// Where `17h` + 16 hex digits + `E` starts in a legacy symbol, if it has that hash.
fn legacy_hash_start(symbol: &str) -> Option<usize> {
    let at = symbol.rfind("17h")?;
    let hash = symbol.get(at + 3..at + 19)?;
    let tail = symbol.get(at + 19..)?;
    (hash.bytes().all(|b| b.is_ascii_hexdigit()) && tail.starts_with('E')).then_some(at)
}

/// Replaces each v0 crate disambiguator `Cs<base 62>_` with `Cs*_`.
fn wildcard_disambiguators(mangled: &str) -> String {
    let mut out = String::with_capacity(mangled.len());
    let mut rest = mangled;
    while let Some(at) = rest.find("Cs") {
        out.push_str(&rest[..at + 2]);
        rest = &rest[at + 2..];
        let digits = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
        if digits > 0 && rest.as_bytes().get(digits) == Some(&b'_') {
            out.push('*');
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    out
}

/// The function symbols of the binary (`nm`: types `t`, `T`, `w`, `W`), with their bytes of code.
fn binary_functions(ferrous: &Path) -> Result<BTreeMap<String, u64>> {
    let output = Command::new("nm")
        .args(["--defined-only", "-P"])
        .arg(ferrous)
        .output()
        .context("running nm")?;
    if !output.status.success() {
        bail!("nm {} failed ({})", ferrous.display(), output.status);
    }
    let mut functions: BTreeMap<String, u64> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let mut fields = line.split(' ');
        let (Some(name), Some(kind)) = (fields.next(), fields.next()) else {
            continue;
        };
        if !["t", "T", "w", "W"].contains(&kind) {
            continue;
        }
        // `name type value size`, in hexadecimal; a local symbol may be defined more than once.
        let size = fields
            .nth(1)
            .and_then(|size| u64::from_str_radix(size, 16).ok())
            .unwrap_or(0);
        *functions.entry(name.to_owned()).or_default() += size;
    }
    Ok(functions)
}

/// The section pattern of each executed symbol: its hash-wildcarded [`section_pattern`] where
/// that matches only executed functions of the binary, else the symbol itself (with only its
/// LTO suffix wildcarded).
///
/// In legacy mangling the type arguments of a generic function are in the hash, so the
/// wildcard matches every instantiation: `Vec::from_iter`'s pattern pulled 148 functions
/// (94 KB) into the start-up region where 2 run, `RawTable::reserve_rehash`'s 28 (39 KB), and
/// drop glue is instantiated once per crate. Such symbols keep their hash; it changes with the
/// compiler, the dependencies or the function's path (not with its code), and then the
/// function moves to the end of the list ([`fallbacks`]) until the next `cargo xtask hot-order`.
fn patterns(profiles: &[Profile], functions: &[String]) -> BTreeMap<String, String> {
    let executed: BTreeSet<&str> = profiles
        .iter()
        .flat_map(|profile| profile.keys().map(String::as_str))
        .collect();
    let mut by_pattern: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for &symbol in &executed {
        if let Some(pattern) = section_pattern(symbol) {
            by_pattern.entry(pattern).or_default().push(symbol);
        }
    }
    let mut patterns = BTreeMap::new();
    for (pattern, symbols) in by_pattern {
        let literal = pattern.split('*').next().unwrap_or_default();
        let start = functions.partition_point(|f| f.as_str() < literal);
        let only_executed = functions[start..]
            .iter()
            .take_while(|f| f.starts_with(literal))
            .filter(|f| glob_matches(&pattern, f))
            .all(|f| executed.contains(f.as_str()));
        for symbol in symbols {
            let chosen = if only_executed {
                pattern.clone()
            } else {
                exact_pattern(symbol)
            };
            patterns.insert(symbol.to_owned(), chosen);
        }
    }
    patterns
}

/// The wildcard patterns of the symbols [`patterns`] kept the hash of, for the end of the list:
/// a hash changes with the instance's path too (an `impl` block added or moved before the
/// function's in its module), and then the pinned pattern matches nothing (the loop,
/// `execute_with::<false>`, fell out of the hot region that way). Listed after every pinned
/// pattern, the wildcard places the renamed function at the end of the hot region rather than
/// among the cold code, and the other instantiations it matches go after everything listed.
fn fallbacks(patterns: &BTreeMap<String, String>) -> BTreeSet<String> {
    patterns
        .iter()
        .filter_map(|(symbol, chosen)| {
            section_pattern(symbol).filter(|wildcard| wildcard != chosen)
        })
        .collect()
}

/// The pattern of exactly `symbol` (a Rust symbol's LTO suffix `.llvm.<number>` wildcarded).
fn exact_pattern(symbol: &str) -> String {
    if symbol.starts_with("_ZN") || symbol.starts_with("_R") {
        format!("{}*", symbol.split(".llvm.").next().unwrap_or(symbol))
    } else {
        symbol.to_owned()
    }
}

/// Whether `name` matches `pattern`, whose only wildcard is `*` (as the linker reads it here).
fn glob_matches(pattern: &str, name: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// Sums the profiles per section pattern. `runs[0]` is start-up.
fn usage(
    runs: &[Run],
    profiles: &[Profile],
    patterns: &BTreeMap<String, String>,
    sizes: &BTreeMap<String, u64>,
) -> BTreeMap<String, Usage> {
    let mut usage: BTreeMap<String, Usage> = BTreeMap::new();
    for (i, (_, profile)) in runs.iter().zip(profiles).enumerate() {
        let mut seen: BTreeMap<&str, u64> = BTreeMap::new();
        for (symbol, cost) in profile {
            if let Some(pattern) = patterns.get(symbol) {
                *seen.entry(pattern).or_default() += cost;
            }
        }
        for (pattern, cost) in seen {
            let entry = usage.entry(pattern.to_owned()).or_default();
            entry.startup |= i == 0;
            entry.runs += 1;
            entry.cost += cost;
        }
    }
    for (symbol, pattern) in patterns {
        if let Some(entry) = usage.get_mut(pattern) {
            entry.size += sizes.get(symbol).copied().unwrap_or(0);
        }
    }
    usage
}

/// Start-up's functions first (all of them run anyway), by how many runs execute them; then
/// the others by how many runs execute each byte of them (runs over size): the small
/// functions many scripts need go first and the large ones few scripts need last, so that
/// what a script runs beyond start-up fits in as few windows as possible. Ties by
/// instructions executed, then by name (so equal counts keep one order).
///
/// By run count alone, a few small functions that few programs run (an arena's `reserve`, a
/// `Vec`'s `into_boxed_slice`) sat at the end of the 500 KiB region, and each cost every
/// program that ran one a window of its own.
fn order(usage: BTreeMap<String, Usage>) -> Vec<(String, Usage)> {
    let mut ordered: Vec<(String, Usage)> = usage.into_iter().collect();
    ordered.sort_by(|(a_name, a), (b_name, b)| {
        let density = || {
            // a.runs / a.size against b.runs / b.size, without division.
            let a_density = u128::from(a.runs as u64) * u128::from(b.size.max(1));
            let b_density = u128::from(b.runs as u64) * u128::from(a.size.max(1));
            b_density.cmp(&a_density)
        };
        Reverse(a.startup)
            .cmp(&Reverse(b.startup))
            .then_with(|| {
                if a.startup {
                    Reverse(a.runs).cmp(&Reverse(b.runs))
                } else {
                    density()
                }
            })
            .then_with(|| Reverse(a.cost).cmp(&Reverse(b.cost)))
            .then_with(|| a_name.cmp(b_name))
    });
    ordered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_patterns_wildcard_the_hashes() {
        let cases = [
            (
                "_ZN10ferrous_vm2vm2Vm10get_global17h0123456789abcdefE",
                Some("_ZN10ferrous_vm2vm2Vm10get_global17h*"),
            ),
            (
                "_ZN16ferrous_compiler5lexer5Lexer3lex17h111fdb50479f05f4E.llvm.8117329607882984905",
                Some("_ZN16ferrous_compiler5lexer5Lexer3lex17h*"),
            ),
            (
                "_RNvCsfLfy6EI15iL_7___rustc13___rdl_dealloc",
                Some("_RNvCs*_7___rustc13___rdl_dealloc*"),
            ),
            (
                "_RINvNtCs1a2B_3std2io19default_read_to_endNtNtB4_2fs4FileEB4_.llvm.42",
                Some("_RINvNtCs*_3std2io19default_read_to_endNtNtB4_2fs4FileEB4_*"),
            ),
            ("main", Some("main")),
            ("malloc", None),
            ("__memcpy_avx_unaligned_erms", None),
            ("0x00000000000e9fb0", None),
            ("_init", None),
            ("(below main)", None),
        ];
        for (symbol, pattern) in cases {
            assert_eq!(section_pattern(symbol).as_deref(), pattern, "{symbol}");
        }
    }

    #[test]
    fn wildcards_that_match_unexecuted_functions_give_way_to_symbols() {
        let profile: Profile = [
            ("_ZN5alloc3vec4from17h0000000000000001E".to_owned(), 1),
            ("_ZN3std4main17h0000000000000003E.llvm.77".to_owned(), 1),
        ]
        .into();
        let functions = [
            "_ZN3std4main17h0000000000000003E.llvm.77",
            "_ZN5alloc3vec4from17h0000000000000001E",
            "_ZN5alloc3vec4from17h0000000000000002E",
        ]
        .map(str::to_owned);
        let patterns = patterns(&[profile], &functions);
        assert_eq!(
            patterns.values().collect::<Vec<_>>(),
            [
                "_ZN3std4main17h*",
                "_ZN5alloc3vec4from17h0000000000000001E*"
            ]
        );
        assert_eq!(
            fallbacks(&patterns).into_iter().collect::<Vec<_>>(),
            ["_ZN5alloc3vec4from17h*"]
        );
        assert!(glob_matches("_RNvCs*_3std*", "_RNvCsab1_3std4main"));
        assert!(!glob_matches("a*b*b", "ab"));
        assert!(glob_matches("main", "main") && !glob_matches("main", "mainx"));
    }

    #[test]
    fn functions_go_by_runs_per_byte_after_start_up() {
        let usage = |startup, runs, size| Usage {
            startup,
            runs,
            cost: 1,
            size,
        };
        let usage = BTreeMap::from([
            ("big_common".to_owned(), usage(false, 10, 10_000)),
            ("small_rare".to_owned(), usage(false, 2, 100)),
            ("big_rare".to_owned(), usage(false, 2, 8_000)),
            ("start".to_owned(), usage(true, 22, 50_000)),
        ]);
        let names: Vec<String> = order(usage).into_iter().map(|(name, _)| name).collect();
        assert_eq!(names, ["start", "small_rare", "big_common", "big_rare"]);
    }

    #[test]
    fn profiles_count_own_cost_of_the_object_only() {
        let text = "positions: line\nevents: Ir\n\
            ob=(1) /bin/ferrous\nfl=(1) ???\nfn=(1) main\n0 5\n\
            cob=(2) /lib/libc.so.6\ncfn=(2) malloc\ncalls=1 0\n0 100\n\
            ob=(2)\nfn=(2)\n0 100\n\
            ob=(1)\nfn=(3) f'2\n0 7\nfn=(1)\n+1 2\nfn=(4) never\n";
        let profile = parse_profile(text, "/bin/ferrous");
        let expected: Profile = [("f".to_owned(), 7), ("main".to_owned(), 7)].into();
        assert_eq!(profile, expected);
    }
}
