//! The rule-file loader: arbitrary TOML as a custom pack `f` (`f/pack.toml`, `f/rules.toml`
//! and a lexicon), compiled with the embedded packs off. No panic; an error names a file, a
//! line and a column; a pack that compiles is then used: its examples are run, texts are
//! checked and a short event stream is screened, under the same invariants as the other
//! targets.

#![no_main]

mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::rule_file::run(data));
