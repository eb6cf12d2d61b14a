//! The layering check: each crate depends only on the layers beneath it.
//!
//! heap <- vm <- redis <- cli, and compiler <- vm. The allowed edges are written down here once;
//! any other dependency between workspace crates (normal, dev or build) fails `cargo xtask ci`.
//! Inside ferrous-vm, the core modules (`src/*.rs`) do not reach into the standard library
//! (`src/stdlib/`): only `VmBuilder::build` opens it.

use std::process::Command;

use anyhow::{Context, Result, bail};

/// For each workspace crate, the workspace crates it may depend on.
const ALLOWED: &[(&str, &[&str])] = &[
    ("ferrous-heap", &[]),
    ("ferrous-compiler", &[]),
    ("ferrous-vm", &["ferrous-heap", "ferrous-compiler"]),
    (
        "ferrous-redis",
        &["ferrous-heap", "ferrous-compiler", "ferrous-vm"],
    ),
    (
        "ferrous-cli",
        &[
            "ferrous-heap",
            "ferrous-compiler",
            "ferrous-vm",
            "ferrous-redis",
        ],
    ),
    (
        "xtask",
        &[], // xtask drives the others through cargo, never links them.
    ),
];

pub(crate) fn check() -> Result<()> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(crate::workspace_root())
        .output()
        .context("running cargo metadata")?;
    if !output.status.success() {
        bail!("cargo metadata failed");
    }
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    let packages = metadata["packages"]
        .as_array()
        .context("cargo metadata: no packages")?;
    let workspace: Vec<&str> = packages.iter().filter_map(|p| p["name"].as_str()).collect();
    let mut violations = Vec::new();
    for package in packages {
        let name = package["name"].as_str().unwrap_or_default();
        let Some((_, allowed)) = ALLOWED.iter().find(|(n, _)| *n == name) else {
            violations.push(format!(
                "{name}: not in xtask's layering table (add it to ALLOWED)"
            ));
            continue;
        };
        for dep in package["dependencies"].as_array().into_iter().flatten() {
            let dep_name = dep["name"].as_str().unwrap_or_default();
            if workspace.contains(&dep_name) && !allowed.contains(&dep_name) {
                violations.push(format!(
                    "{name} depends on {dep_name}: points upward or sideways"
                ));
            }
        }
    }
    violations.extend(vm_core_violations()?);
    if !violations.is_empty() {
        bail!("layering violations:\n  {}", violations.join("\n  "));
    }
    Ok(())
}

/// The one place a ferrous-vm core module may name the standard library.
const VM_CORE_ALLOWED: &[(&str, &str)] = &[("vm.rs", "crate::stdlib::open(")];

/// Lines of ferrous-vm's core modules that name `stdlib`.
fn vm_core_violations() -> Result<Vec<String>> {
    let dir = crate::workspace_root().join("ferrous-vm/src");
    let mut violations = Vec::new();
    for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        let Some(file) = path.file_name().and_then(|f| f.to_str()) else {
            continue;
        };
        if !file.ends_with(".rs") || file == "lib.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&path)?;
        violations.extend(core_lines_naming_stdlib(file, &text));
    }
    Ok(violations)
}

fn core_lines_naming_stdlib(file: &str, text: &str) -> Vec<String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| line.contains("stdlib::") && !line.trim_start().starts_with("//"))
        .filter(|(_, line)| {
            !VM_CORE_ALLOWED
                .iter()
                .any(|(f, allowed)| *f == file && line.contains(allowed))
        })
        .map(|(n, _)| format!("ferrous-vm/src/{file}:{}: a core module uses stdlib", n + 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_modules_may_not_name_stdlib() {
        let text =
            "use crate::stdlib::number;\n// stdlib::x in a comment\ncrate::stdlib::open(vm);\n";
        assert_eq!(
            core_lines_naming_stdlib("meta.rs", text),
            vec![
                "ferrous-vm/src/meta.rs:1: a core module uses stdlib".to_owned(),
                "ferrous-vm/src/meta.rs:3: a core module uses stdlib".to_owned(),
            ]
        );
        assert_eq!(core_lines_naming_stdlib("vm.rs", text).len(), 1);
    }
}
