//! Fresh copies of the executables the benches time.
//!
//! Where a file's pages land in physical memory moves its speed: a byte-identical copy of one
//! `ferrous` build ran closures.lua 6% slower than the original, and the same file, its pages
//! evicted from the page cache and read again, 0-4% slower each time (same image, same
//! addresses; presumably caches or TLBs indexed by physical address). One file per engine thus
//! measures one placement, lucky or not, and a comparison of two files compares two placements
//! as much as two programs. So each engine runs from [`COPIES`] fresh copies in turn, and the
//! best of the runs is the best over as many placements, for every engine alike.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Fresh copies of each executable, run in turn.
pub(crate) const COPIES: usize = 3;

/// [`COPIES`] fresh copies of the executable `from`, at `dir/{tag}-{k}/{name}` for `k` in
/// `1..=COPIES`.
pub(crate) fn fresh_copies(from: &Path, dir: &Path, tag: &str, name: &str) -> Result<Vec<PathBuf>> {
    (1..=COPIES)
        .map(|k| {
            let to = dir.join(format!("{tag}-{k}")).join(name);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("creating {}", parent.display()))?;
            }
            // Removed first: a new file gets new pages, where overwriting might reuse some.
            let _ = std::fs::remove_file(&to);
            std::fs::copy(from, &to).with_context(|| format!("copying {}", from.display()))?;
            Ok(to)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_are_fresh_files_with_the_same_bytes() {
        let dir = std::env::temp_dir().join(format!("ferrous-bench-copies-{}", std::process::id()));
        let from = dir.join("source/prog");
        std::fs::create_dir_all(from.parent().unwrap()).unwrap();
        std::fs::write(&from, b"bytes").unwrap();
        let copies = fresh_copies(&from, &dir, "x", "prog").unwrap();
        assert_eq!(copies.len(), COPIES);
        for (k, copy) in copies.iter().enumerate() {
            assert_eq!(*copy, dir.join(format!("x-{}", k + 1)).join("prog"));
            assert_eq!(std::fs::read(copy).unwrap(), b"bytes");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
