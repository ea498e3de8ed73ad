//! The JSON event reader: arbitrary bytes, cut into lines by `read_lines`, each line through
//! `Screener::push_line`. No panic; every line is accounted for: a contact line gets its
//! verdict or an error naming its line, any line that is not a valid event gets an error,
//! only blank lines and valid non-contact events are silently recorded.

use std::sync::OnceLock;

use collectguard::{read_lines, Engine, Event, Limits, LineOutcome, Screener};

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::builder()
            .pack("us")
            .build()
            .expect("the embedded packs build")
    })
}

const LIMITS: Limits = Limits {
    max_line_bytes: 2048,
    max_text_bytes: 512,
};

/// One input.
pub fn run(data: &[u8]) {
    let Some((&sel, data)) = data.split_first() else {
        return;
    };
    let mut screener = Screener::new(engine().clone()).with_limits(LIMITS);
    if sel & 1 != 0 {
        screener = screener.with_default_time_zone(chrono_tz::Asia::Shanghai);
    }
    let mut seen = 0usize;
    let mut verdicts = 0usize;
    let mut recorded_contacts = 0usize;
    read_lines(data, LIMITS.max_line_bytes, |n, line| {
        seen += 1;
        assert_eq!(n, seen, "line numbers are consecutive from 1");
        let text = match line {
            Ok(t) => t,
            Err(e) => {
                // The CLI prints this as the line's error; it must name something.
                let msg = collectguard::ErrorLine::new(n, &e);
                assert!(!msg.error.is_empty());
                serde_json::to_string(&msg).expect("an error line serialises");
                return;
            }
        };
        assert!(text.len() <= LIMITS.max_line_bytes);
        let parsed: Option<Event> = serde_json::from_str(text).ok();
        match screener.push_line(n, text) {
            LineOutcome::Verdict(v) => {
                verdicts += 1;
                let Some(Event::Contact(c)) = &parsed else {
                    panic!("a verdict for line {n}, which is not a contact: {text:?}");
                };
                assert_eq!(v.id, c.id, "the verdict names another contact");
                if c.outcome.is_some() {
                    recorded_contacts += 1;
                }
                super::invariants::check_verdict(&v.verdict, c.text.as_deref(), Some(c.at));
                serde_json::to_string(&v).expect("a verdict line serialises");
            }
            LineOutcome::Recorded => {
                let blank = text.trim().is_empty();
                let non_contact = matches!(&parsed, Some(e) if !matches!(e, Event::Contact(_)));
                assert!(blank || non_contact, "line {n} silently dropped: {text:?}");
            }
            LineOutcome::Error { line, error } => {
                assert_eq!(line, n, "the error names another line");
                let msg = error.to_string();
                assert!(!msg.is_empty());
                assert!(!text.trim().is_empty(), "a blank line is not an error");
            }
        }
    })
    .expect("reading from memory does not fail");
    assert_eq!(
        seen,
        super::invariants::expected_lines(data),
        "a line was lost"
    );
    assert!(verdicts <= seen);
    assert!(
        screener.ledger_contacts() <= recorded_contacts,
        "the ledgers hold contacts that were never recorded"
    );
}
