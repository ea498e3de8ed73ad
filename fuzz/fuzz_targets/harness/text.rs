//! The text path: arbitrary text through `Engine::check_text` and, as a contact's text,
//! through `Engine::check_contact`, with every embedded pack stacked. No panic; spans on
//! character boundaries inside the text; the same text twice gives the same verdict.

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use collectguard::{Borrower, Channel, ContactAttempt, Engine, History, Party, Purpose, Relation};

const PACKS: [&str; 6] = ["cn", "us", "us-ma", "us-wa", "au", "uk"];

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut b = Engine::builder();
        for p in PACKS {
            b.pack(p);
        }
        b.build().expect("the embedded packs build")
    })
}

/// One input.
pub fn run(data: &[u8]) {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let channel = Channel::ALL[usize::from(sel & 7) % Channel::ALL.len()];
    let to = match (sel >> 3) & 3 {
        0 | 1 => Party::Borrower,
        2 => Party::ThirdParty {
            relation: Relation::Family,
            designated: sel & 0x20 != 0,
        },
        _ => Party::ThirdParty {
            relation: Relation::Employer,
            designated: false,
        },
    };
    let engine = engine();
    let v = engine
        .check_text(&text, channel, to)
        .expect("the engine has default packs");
    super::invariants::check_verdict(&v, Some(&text), None);
    let again = engine
        .check_text(&text, channel, to)
        .expect("same as before");
    assert_eq!(v, again, "check_text is not deterministic");

    let zone = if sel & 0x40 != 0 {
        chrono_tz::Asia::Shanghai
    } else {
        chrono_tz::America::New_York
    };
    let mut borrower = Borrower::new("b", zone);
    borrower.packs = Some(PACKS.iter().map(|p| p.to_string()).collect());
    let history = History::new(&borrower);
    let at: DateTime<Utc> = "2026-03-04T03:30:00Z".parse().expect("a time");
    let mut attempt = ContactAttempt::new("c", "b", at, channel)
        .to(to)
        .with_text(text.as_ref());
    if sel & 0x80 != 0 {
        attempt = attempt.with_purpose(Purpose::LocationInquiry);
    }
    let v = engine
        .check_contact(&borrower, &history, &attempt)
        .expect("a well-formed contact is judged");
    super::invariants::check_verdict(&v, Some(&text), Some(at));
}
