//! Saved fuzz inputs, replayed on stable Rust through the fuzz targets' own checks: every file
//! under `tests/data/fuzz/<target>/` (crash inputs kept as regressions) and the seeds under
//! `fuzz/seeds/<target>/`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "../fuzz/fuzz_targets/harness/mod.rs"]
mod harness;

use std::path::{Path, PathBuf};

/// The files of `dir`, sorted; none when it does not exist.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_none_or(|x| x != "md"))
        .collect();
    files.sort();
    files
}

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for dir in [
        root.join("tests/data/fuzz").join(target),
        root.join("fuzz/seeds").join(target),
    ] {
        for file in inputs(&dir) {
            let data = std::fs::read(&file).unwrap();
            let outcome = std::panic::catch_unwind(|| run(&data));
            assert!(outcome.is_ok(), "{} fails its checks", file.display());
            n += 1;
        }
    }
    n
}

#[test]
fn json_line_inputs() {
    assert!(replay("json_line", harness::json_line::run) >= 3);
}

#[test]
fn rule_file_inputs() {
    assert!(replay("rule_file", harness::rule_file::run) >= 1);
}

#[test]
fn text_inputs() {
    assert!(replay("text", harness::text::run) >= 3);
}
