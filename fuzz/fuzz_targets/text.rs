//! The text path: arbitrary text through `Engine::check_text` and, as a contact's text,
//! through `Engine::check_contact`, with every embedded pack stacked. No panic; spans on
//! character boundaries inside the text; the same text twice gives the same verdict.

#![no_main]

mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::text::run(data));
