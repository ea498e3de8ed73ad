//! The fuzz targets' logic, shared with `tests/fuzz_regressions.rs` (which replays saved
//! inputs through it on stable Rust): each `run` panics when the library breaks a promise.

#![allow(dead_code)]

pub mod invariants;
pub mod json_line;
pub mod rule_file;
pub mod text;
