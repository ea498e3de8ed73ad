//! The JSON event reader: arbitrary bytes, cut into lines by `read_lines`, each line through
//! `Screener::push_line`. No panic; every line is accounted for: a contact line gets its
//! verdict or an error naming its line, any line that is not a valid event gets an error,
//! only blank lines and valid non-contact events are silently recorded.

#![no_main]

mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::json_line::run(data));
