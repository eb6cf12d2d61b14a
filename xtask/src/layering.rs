//! The layering check: each crate depends only on the layers beneath it.
//!
//! heap <- vm <- redis <- cli, and compiler <- vm. The allowed edges are written down here once;
//! any other dependency between workspace crates (normal, dev or build) fails `cargo xtask ci`.

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
    if !violations.is_empty() {
        bail!("layering violations:\n  {}", violations.join("\n  "));
    }
    Ok(())
}
