//! Properties of the public API, checked with proptest over generated borrowers, ledgers,
//! attempts, texts and event streams (and arbitrary bytes).
//!
//! The normal suite runs a modest number of cases per property (seconds). For a long run:
//!
//! ```text
//! PROPTEST_CASES=100000 cargo test --release --test properties
//! ```

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::sync::LazyLock;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use collectguard::{
    read_lines, AddressKind, Borrower, Category, Cease, Channel, Consent, ConsentScope,
    ContactAttempt, Decision, Direction, Engine, Event, Expect, History, Inconvenient, Limits,
    LineOutcome, OptOut, Outcome, Party, Purpose, Relation, Represented, Screener, Severity,
    Verdict,
};
use proptest::prelude::*;
use proptest::sample::select;
use unicode_normalization::UnicodeNormalization;

// ---------------------------------------------------------------------------------------
// Set-up

/// `PROPTEST_CASES` when set (the long-run switch), else `default`.
fn config(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

const ALL_PACKS: [&str; 6] = ["cn", "us", "us-ma", "us-wa", "au", "uk"];

/// Every embedded pack, all of them defaults (for `check_text`).
static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let mut b = Engine::builder();
    for p in ALL_PACKS {
        b.pack(p);
    }
    b.build().expect("the embedded packs build")
});

/// The same, built separately (determinism across engines).
static ENGINE2: LazyLock<Engine> = LazyLock::new(|| {
    let mut b = Engine::builder();
    for p in ALL_PACKS.iter().rev() {
        b.pack(*p);
    }
    b.build().expect("the embedded packs build")
});

/// A text example of some rule: its text, channel, addressee, and whether it fires.
#[derive(Debug, Clone)]
struct TextExample {
    text: String,
    channel: Channel,
    to: Party,
    fires: bool,
    category: Category,
}

/// The text examples of every rule of the embedded packs.
static TEXT_EXAMPLES: LazyLock<Vec<TextExample>> = LazyLock::new(|| {
    ENGINE
        .rules()
        .flat_map(|r| r.examples.iter().map(move |ex| (r.category, ex)))
        .filter_map(|(category, ex)| {
            Some(TextExample {
                text: ex.text.clone()?,
                channel: ex.channel.unwrap_or(Channel::Sms),
                to: ex.to.unwrap_or(Party::Borrower),
                fires: ex.expect != Expect::Allow,
                category,
            })
        })
        .collect()
});

/// Pieces texts are made of: rule examples, and text that is hard on normalisers and
/// offset maps (combining marks, ligatures that expand under NFKC, case folding that
/// changes length, full-width forms, zero-width and bidi controls, emoji sequences, NUL).
const PIECES: &[&str] = &[
    "请尽快还款",
    "你是老赖",
    "我们会起诉你",
    "再不还钱就去你单位",
    "身份证110105199001011234",
    "卡号6222021234567890123",
    "This is a debt collector.",
    "You will go to jail tomorrow",
    "we will tell your employer",
    "SSN 123-45-6789",
    "card 4111 1111 1111 1111",
    "****1234",
    "威 胁",
    "威*胁",
    "大麻烦",
    "ＡＲＲＥＳＴ",
    "a\u{301}rrest",
    "é",
    "\u{200b}",
    "\u{202e}",
    "\u{feff}",
    "🙂",
    "👩\u{200d}👩\u{200d}👧",
    "ﬁ",
    "ﷺ",
    "Ⅻ",
    "㎏",
    "İ",
    "ß",
    "ǅ",
    "K",
    "\u{0}",
    "\r\n",
    "\t",
    "𝐁𝐨𝐥𝐝",
    "ｆｕｌｌ　ｗｉｄｔｈ",
    "①⑴",
    "\u{1100}\u{1161}\u{11a8}",
    "श्",
    " ",
    "...",
    "！！！",
];

fn piece() -> impl Strategy<Value = String> {
    let examples: Vec<String> = TEXT_EXAMPLES.iter().map(|e| e.text.clone()).collect();
    let fixed = select(PIECES).prop_map(str::to_string);
    if examples.is_empty() {
        prop_oneof![4 => fixed, 1 => "\\PC{0,12}", 1 => ".{0,6}"].boxed()
    } else {
        prop_oneof![4 => fixed, 3 => select(examples), 1 => "\\PC{0,12}", 1 => ".{0,6}"].boxed()
    }
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..6).prop_map(|v| v.concat())
}

fn channel() -> impl Strategy<Value = Channel> {
    select(Channel::ALL.to_vec())
}

fn relation() -> impl Strategy<Value = Relation> {
    select(vec![
        Relation::Family,
        Relation::Employer,
        Relation::Colleague,
        Relation::Friend,
        Relation::EmergencyContact,
        Relation::Neighbor,
        Relation::Attorney,
        Relation::Other,
    ])
}

fn party() -> impl Strategy<Value = Party> {
    prop_oneof![
        3 => Just(Party::Borrower),
        1 => (relation(), any::<bool>())
            .prop_map(|(relation, designated)| Party::ThirdParty { relation, designated }),
    ]
}

fn outcome() -> impl Strategy<Value = Outcome> {
    select(vec![
        Outcome::Conversation,
        Outcome::NoAnswer,
        Outcome::Voicemail,
        Outcome::NotConnected,
        Outcome::Delivered,
        Outcome::Failed,
    ])
}

fn purpose() -> impl Strategy<Value = Purpose> {
    prop_oneof![
        6 => Just(Purpose::Collection),
        1 => select(vec![
            Purpose::OptOutConfirmation,
            Purpose::CeaseAcknowledgement,
            Purpose::RemedyNotice,
            Purpose::LocationInquiry,
        ]),
    ]
}

fn debts() -> impl Strategy<Value = Vec<String>> {
    select(vec![vec![], vec!["d1"], vec!["d2"], vec!["d1", "d2"]])
        .prop_map(|v| v.into_iter().map(str::to_string).collect())
}

fn address() -> impl Strategy<Value = Option<(String, AddressKind)>> {
    prop_oneof![
        2 => Just(None),
        1 => select(vec![
            ("+12125550100", AddressKind::Personal),
            ("+12125550199", AddressKind::Work),
            ("b@example.com", AddressKind::Personal),
            ("+8613800138000", AddressKind::Other),
        ])
        .prop_map(|(a, k)| Some((a.to_string(), k))),
    ]
}

/// A borrower: the zones and packs of one jurisdiction (sometimes two zones).
fn borrower() -> impl Strategy<Value = Borrower> {
    let places: Vec<(Vec<Tz>, Vec<&'static str>)> = vec![
        (vec![chrono_tz::America::New_York], vec!["us"]),
        (vec![chrono_tz::America::New_York], vec!["us-ma"]),
        (vec![chrono_tz::America::Los_Angeles], vec!["us-wa"]),
        (
            vec![
                chrono_tz::America::New_York,
                chrono_tz::America::Los_Angeles,
            ],
            vec!["us"],
        ),
        (vec![chrono_tz::Asia::Shanghai], vec!["cn"]),
        (vec![chrono_tz::Australia::Sydney], vec!["au"]),
        (vec![chrono_tz::Europe::London], vec!["uk"]),
    ];
    select(places).prop_map(|(zones, packs)| Borrower {
        id: "b".to_string(),
        time_zones: zones,
        packs: Some(packs.into_iter().map(str::to_string).collect()),
    })
}

/// Instants near DST changes and ordinary days of 2026, on the minute.
fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    let anchors = vec![
        "2026-03-08T12:00:00Z", // US spring forward
        "2026-11-01T12:00:00Z", // US fall back
        "2026-03-29T12:00:00Z", // EU spring forward
        "2026-10-25T12:00:00Z", // EU fall back
        "2026-04-05T12:00:00Z", // AU fall back
        "2026-10-04T12:00:00Z", // AU spring forward
        "2026-01-01T00:00:00Z",
        "2026-06-15T12:00:00Z",
        "2026-10-01T12:00:00Z", // CN national day week
    ];
    (select(anchors), -5 * 1440i64..5 * 1440)
        .prop_map(|(a, m)| a.parse::<DateTime<Utc>>().unwrap() + Duration::minutes(m))
}

/// Something recorded in a ledger, some minutes before the attempt.
#[derive(Debug, Clone)]
enum PastKind {
    Contact {
        channel: Channel,
        to: Party,
        outcome: Option<Outcome>,
        debts: Vec<String>,
        direction: Direction,
        address: Option<(String, AddressKind)>,
        purpose: Purpose,
    },
    Consent(ConsentScope, Channel),
    OptOut(Channel),
    Cease,
    Represented,
    Inconvenient(u32, u32),
}

#[derive(Debug, Clone)]
struct Past {
    minutes_before: i64,
    kind: PastKind,
}

fn past_contact() -> impl Strategy<Value = PastKind> {
    (
        prop_oneof![4 => Just(Channel::Call), 1 => channel()],
        party(),
        prop_oneof![8 => outcome().prop_map(Some), 1 => Just(None)],
        debts(),
        prop_oneof![5 => Just(Direction::Outbound), 1 => Just(Direction::Inbound)],
        address(),
        purpose(),
    )
        .prop_map(
            |(channel, to, outcome, debts, direction, address, purpose)| PastKind::Contact {
                channel,
                to,
                outcome,
                debts,
                direction,
                address,
                purpose,
            },
        )
}

fn past_state() -> impl Strategy<Value = PastKind> {
    prop_oneof![
        (
            select(vec![
                ConsentScope::CallOutsideHours,
                ConsentScope::CallFrequency,
                ConsentScope::Workplace,
                ConsentScope::ThirdParty,
                ConsentScope::Channel,
            ]),
            channel()
        )
            .prop_map(|(s, c)| PastKind::Consent(s, c)),
        channel().prop_map(PastKind::OptOut),
        Just(PastKind::Cease),
        Just(PastKind::Represented),
        (0u32..24, 0u32..24).prop_map(|(a, b)| PastKind::Inconvenient(a, b)),
    ]
}

/// Past events within two weeks before the attempt, mostly contacts.
fn pasts(max: usize) -> impl Strategy<Value = Vec<Past>> {
    prop::collection::vec(
        (
            1i64..14 * 1440,
            prop_oneof![12 => past_contact(), 1 => past_state()],
        )
            .prop_map(|(minutes_before, kind)| Past {
                minutes_before,
                kind,
            }),
        0..max,
    )
}

fn event_of(p: &Past, n: usize, borrower: &str, attempt_at: DateTime<Utc>) -> Event {
    let at = attempt_at - Duration::minutes(p.minutes_before);
    let borrower = borrower.to_string();
    match &p.kind {
        PastKind::Contact {
            channel,
            to,
            outcome,
            debts,
            direction,
            address,
            purpose,
        } => {
            let mut c = ContactAttempt::new(format!("p{n}"), borrower, at, *channel)
                .to(*to)
                .with_debts(debts.clone())
                .with_direction(*direction)
                .with_purpose(*purpose);
            c.outcome = *outcome;
            if let Some((a, k)) = address {
                c = c.with_address(a.clone(), *k);
            }
            Event::Contact(c)
        }
        PastKind::Consent(scope, channel) => Event::Consent(Consent {
            borrower,
            at,
            scope: *scope,
            channel: (*scope == ConsentScope::Channel).then_some(*channel),
            until: None,
        }),
        PastKind::OptOut(channel) => Event::OptOut(OptOut {
            borrower,
            at,
            channel: *channel,
            address: None,
        }),
        PastKind::Cease => Event::Cease(Cease { borrower, at }),
        PastKind::Represented => Event::Represented(Represented { borrower, at }),
        PastKind::Inconvenient(from, to) => Event::Inconvenient(Inconvenient {
            borrower,
            at,
            from: chrono::NaiveTime::from_hms_opt(*from, 0, 0).unwrap(),
            to: chrono::NaiveTime::from_hms_opt(*to, 0, 0).unwrap(),
        }),
    }
}

/// A ledger holding `past` (oldest first).
fn history_of(borrower: &Borrower, past: &[Past], attempt_at: DateTime<Utc>) -> History {
    let mut events: Vec<Event> = past
        .iter()
        .enumerate()
        .map(|(n, p)| event_of(p, n, &borrower.id, attempt_at))
        .collect();
    events.sort_by_key(|e| e.at());
    let mut h = History::new(borrower);
    for e in &events {
        h.record(e).unwrap();
    }
    h
}

fn attempt() -> impl Strategy<Value = ContactAttempt> {
    (
        instant(),
        prop_oneof![3 => Just(Channel::Call), 2 => channel()],
        party(),
        prop_oneof![3 => Just(None), 2 => outcome().prop_map(Some)],
        debts(),
        address(),
        purpose(),
        prop_oneof![1 => Just(None), 1 => text().prop_map(Some)],
        prop_oneof![8 => Just(Direction::Outbound), 1 => Just(Direction::Inbound)],
    )
        .prop_map(
            |(at, channel, to, outcome, debts, address, purpose, text, direction)| {
                let mut c = ContactAttempt::new("a", "b", at, channel)
                    .to(to)
                    .with_debts(debts)
                    .with_purpose(purpose)
                    .with_direction(direction);
                c.outcome = outcome;
                c.text = text;
                if let Some((a, k)) = address {
                    c = c.with_address(a, k);
                }
                c
            },
        )
}

/// Whether contacts added to the past may lawfully lift a denial of `category` for attempt
/// `a`. Two exceptions, each needing its own kind of contact:
/// - third parties: China's guidelines allow a designated contact person once the borrower
///   cannot be reached (`rules/cn/third_party.toml`), so failed outbound attempts to the
///   borrower may lift it;
/// - consent: after an opt-out of a medium, one reply through it is allowed when the person
///   wrote through it first (Reg F 1006.14(h)), so an inbound contact through the attempt's
///   medium may lift it.
///
/// Nothing lifts a timing, frequency or text denial.
fn may_lift(category: Category, a: &ContactAttempt, extra: &[Past]) -> bool {
    extra.iter().any(|p| match (&p.kind, category) {
        (
            PastKind::Contact {
                to: Party::Borrower,
                direction: Direction::Outbound,
                outcome: Some(o),
                ..
            },
            Category::ThirdParty,
        ) => !matches!(o, Outcome::Conversation | Outcome::Delivered),
        (
            PastKind::Contact {
                direction: Direction::Inbound,
                channel,
                ..
            },
            Category::Consent,
        ) => *channel == a.channel,
        _ => false,
    })
}

// ---------------------------------------------------------------------------------------
// Invariants every verdict keeps

fn timing_denied(v: &Verdict) -> bool {
    v.reasons
        .iter()
        .any(|r| r.severity == Severity::Deny && r.category.is_timing())
}

/// Spans lie on character boundaries inside `text`; the decision is the most restrictive
/// reason; `next_allowed_at` only comes with a timing denial.
fn assert_well_formed(v: &Verdict, text: Option<&str>) -> Result<(), TestCaseError> {
    let expected = v
        .reasons
        .iter()
        .map(|r| r.severity.decision())
        .max()
        .unwrap_or(Decision::Allow);
    prop_assert_eq!(v.decision, expected);
    for r in &v.reasons {
        if let Some(span) = r.span {
            let text =
                text.ok_or_else(|| TestCaseError::fail(format!("span without text: {r:?}")))?;
            prop_assert!(
                span.start <= span.end && span.end <= text.len(),
                "{:?} in {} bytes",
                span,
                text.len()
            );
            prop_assert!(
                text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                "span {:?} not on character boundaries of {:?}",
                span,
                text
            );
            prop_assert!(span.text(text).is_some());
        }
    }
    if v.next_allowed_at.is_some() {
        prop_assert!(
            timing_denied(v),
            "next_allowed_at without a timing denial: {:?}",
            v
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Properties

proptest! {
    #![proptest_config(config(128))]

    /// The same input gives the same verdict: twice on one engine, and on an engine built
    /// separately with the packs named in another order.
    #[test]
    fn determinism(b in borrower(), past in pasts(12), a in attempt()) {
        let h = history_of(&b, &past, a.at);
        let v1 = ENGINE.check_contact(&b, &h, &a).unwrap();
        let v2 = ENGINE.check_contact(&b, &h, &a).unwrap();
        let v3 = ENGINE2.check_contact(&b, &h.clone(), &a.clone()).unwrap();
        prop_assert_eq!(&v1, &v2);
        prop_assert_eq!(&v1, &v3);
        assert_well_formed(&v1, a.text.as_deref())?;
        if let Some(t) = &a.text {
            let t1 = ENGINE.check_text(t, a.channel, a.to).unwrap();
            let t2 = ENGINE2.check_text(t, a.channel, a.to).unwrap();
            prop_assert_eq!(t1, t2);
        }
    }

    /// Adding contacts to the past never turns a deny into an allow: no denying rule stops
    /// firing, except where the law itself makes a past contact a licence, and then only when
    /// such a contact was added (see [`may_lift`]).
    #[test]
    fn more_past_contacts_never_turn_deny_into_allow(
        b in borrower(),
        past in pasts(10),
        extra in prop::collection::vec(
            (1i64..14 * 1440, past_contact()).prop_map(|(minutes_before, kind)| Past { minutes_before, kind }),
            1..6,
        ),
        a in attempt(),
    ) {
        let before = ENGINE.check_contact(&b, &history_of(&b, &past, a.at), &a).unwrap();
        let all: Vec<Past> = past.iter().chain(extra.iter()).cloned().collect();
        let after = ENGINE.check_contact(&b, &history_of(&b, &all, a.at), &a).unwrap();
        let mut lifted = false;
        for r in before.reasons.iter().filter(|r| r.severity == Severity::Deny) {
            if after.reasons.iter().any(|x| x.rule == r.rule && x.severity == Severity::Deny) {
                continue;
            }
            lifted = true;
            prop_assert!(
                may_lift(r.category, &a, &extra),
                "`{}` denied, and stopped denying after adding {:?}: {:?}",
                r.rule,
                extra,
                after
            );
        }
        if before.decision == Decision::Deny {
            prop_assert!(after.decision == Decision::Deny || lifted);
        }
    }

    /// Spans lie on character boundaries inside the original text, whatever the text, the
    /// channel and the addressee, for `check_text` and for a contact's text.
    #[test]
    fn spans_lie_on_character_boundaries(t in text(), c in channel(), to in party(), b in borrower(), at in instant()) {
        let v = ENGINE.check_text(&t, c, to).unwrap();
        assert_well_formed(&v, Some(&t))?;
        let a = ContactAttempt::new("a", "b", at, c).to(to).with_text(t.clone());
        let v = ENGINE.check_contact(&b, &History::new(&b), &a).unwrap();
        assert_well_formed(&v, Some(&t))?;
    }

    /// Normalisation seen through the API: a text and its NFKC form (and its NFKC form
    /// twice over) fire the same rules. The normaliser itself is internal; its idempotence
    /// is what makes this hold.
    #[test]
    fn nfkc_forms_fire_the_same_rules(t in text(), c in channel(), to in party()) {
        let rules = |s: &str| {
            let v = ENGINE.check_text(s, c, to).unwrap();
            let mut ids: Vec<String> = v.reasons.into_iter().map(|r| r.rule).collect();
            ids.sort();
            ids.dedup();
            (v.decision, ids)
        };
        let once: String = t.nfkc().collect();
        let twice: String = once.nfkc().collect();
        prop_assert_eq!(rules(&t), rules(&once), "text {:?}, NFKC {:?}", t, once);
        prop_assert_eq!(rules(&once), rules(&twice));
    }
}

proptest! {
    #![proptest_config(config(128))]

    /// Adding a banned phrase to a message never makes it allowed: a message denied for
    /// what it says (any category but `disclosure`, whose rules deny for what is missing, so
    /// more text may rightly satisfy them) stays denied for what it says once a phrase that
    /// is banned on its own is added, before or after it.
    ///
    /// (The converse does not hold, by design: a message may give a banned phrase the
    /// context that makes it true, as "a judgment was entered" does for "your wages will be
    /// garnished". Neutral filler gives no context: see the next property.)
    #[test]
    fn a_banned_phrase_never_makes_a_message_allowed(
        m in text(),
        pick in any::<prop::sample::Index>(),
        sep in select(vec!["\n", " ", "。", ". ", "\n\n"]),
        front in any::<bool>(),
    ) {
        let p = banned(pick);
        let before = ENGINE.check_text(&m, p.channel, p.to).unwrap();
        let joined = if front { format!("{}{sep}{m}", p.text) } else { format!("{m}{sep}{}", p.text) };
        let after = ENGINE.check_text(&joined, p.channel, p.to).unwrap();
        assert_well_formed(&after, Some(&joined))?;
        if says_too_much(&before) {
            prop_assert!(
                says_too_much(&after),
                "{:?} is denied, but not once {:?} is added: {:?}",
                m, p.text, after
            );
        }
    }

    /// A banned phrase stays banned amid neutral filler (emoji, punctuation, white space,
    /// symbols): the filler neither hides it nor gives it context.
    #[test]
    fn a_banned_phrase_stays_banned_amid_filler(
        before in prop::collection::vec(select(FILLER), 0..4),
        after in prop::collection::vec(select(FILLER), 0..4),
        pick in any::<prop::sample::Index>(),
    ) {
        let p = banned(pick);
        let alone = ENGINE.check_text(&p.text, p.channel, p.to).unwrap();
        let padded = format!("{}\n{}\n{}", before.concat(), p.text, after.concat());
        let v = ENGINE.check_text(&padded, p.channel, p.to).unwrap();
        assert_well_formed(&v, Some(&padded))?;
        if says_too_much(&alone) {
            prop_assert!(says_too_much(&v), "{:?} is denied, {:?} is not: {:?}", p.text, padded, v);
        }
    }
}

/// Text that says nothing.
const FILLER: &[&str] = &[
    "🙂",
    " ",
    "\t",
    "...",
    "！！！",
    "①⑴",
    "Ⅻ",
    "㎏",
    "---",
    "\u{200b}",
    "👍👍",
    "~",
];

/// A text example that fires for a rule about what a message says (not about what it
/// lacks); the embedded packs must have some.
fn banned(pick: prop::sample::Index) -> &'static TextExample {
    let banned: Vec<&TextExample> = TEXT_EXAMPLES
        .iter()
        .filter(|e| e.fires && e.category != Category::Disclosure)
        .collect();
    assert!(
        !banned.is_empty(),
        "the embedded packs have no text examples that fire"
    );
    banned[pick.index(banned.len())]
}

/// Denied for what it says: a `deny` reason outside the `disclosure` category.
fn says_too_much(v: &Verdict) -> bool {
    v.reasons
        .iter()
        .any(|r| r.severity == Severity::Deny && r.category != Category::Disclosure)
}

proptest! {
    #![proptest_config(config(48))]

    /// `next_allowed_at` is itself allowed (the same attempt placed then has no timing or
    /// frequency denial), and nothing between the attempt and it is (brute force, minute by
    /// minute).
    #[test]
    fn next_allowed_at_is_the_first_allowed_instant(
        b in borrower(),
        past in pasts(16),
        a in attempt(),
    ) {
        let h = history_of(&b, &past, a.at);
        let v = ENGINE.check_contact(&b, &h, &a).unwrap();
        let Some(next) = v.next_allowed_at else {
            return Ok(());
        };
        prop_assert!(timing_denied(&v));
        prop_assert!(next > a.at, "next_allowed_at {} not after the denied attempt at {}", next, a.at);
        let at = |t: DateTime<Utc>| {
            let mut moved = a.clone();
            moved.at = t;
            ENGINE.check_contact(&b, &h, &moved).unwrap()
        };
        let then = at(next);
        prop_assert!(!timing_denied(&then), "denied again at next_allowed_at {}: {:?}", next, then);
        let minutes = (next - a.at).num_minutes();
        // Minute by minute over the first and last three days, every 7 minutes between.
        let mut m = 1;
        while m < minutes {
            let t = a.at + Duration::minutes(m);
            if t >= next {
                break;
            }
            let v = at(t);
            prop_assert!(timing_denied(&v), "allowed at {}, before next_allowed_at {}", t, next);
            m += if m < 3 * 1440 || minutes - m < 3 * 1440 { 1 } else { 7 };
        }
        // Just before it, to the second.
        let just_before = next - Duration::seconds(1);
        if just_before > a.at {
            prop_assert!(timing_denied(&at(just_before)), "allowed at {}", just_before);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Event streams: every line accounted for

/// What the screener must answer for each line: the accounting the CLI relies on.
struct Tally {
    lines: usize,
    verdicts: usize,
    errors: usize,
    recorded: usize,
    contact_lines: usize,
}

fn screen(input: &[u8], limits: Limits, default_zone: bool) -> Result<Tally, TestCaseError> {
    let mut screener = Screener::new(ENGINE.clone()).with_limits(limits);
    if default_zone {
        screener = screener.with_default_time_zone(chrono_tz::Asia::Shanghai);
    }
    let mut t = Tally {
        lines: 0,
        verdicts: 0,
        errors: 0,
        recorded: 0,
        contact_lines: 0,
    };
    let mut failure = None;
    read_lines(input, limits.max_line_bytes, |n, line| {
        if failure.is_some() {
            return;
        }
        t.lines += 1;
        if n != t.lines {
            failure = Some(format!("line {n} reported as line {}", t.lines));
        }
        let text = match line {
            Ok(text) => text,
            Err(_) => {
                t.errors += 1;
                return;
            }
        };
        let parsed: Option<Event> = serde_json::from_str(text).ok();
        let is_contact = matches!(parsed, Some(Event::Contact(_)));
        t.contact_lines += usize::from(is_contact);
        match screener.push_line(n, text) {
            LineOutcome::Verdict(v) => {
                t.verdicts += 1;
                match &parsed {
                    Some(Event::Contact(c)) if c.id == v.id => {
                        if let Err(e) = assert_well_formed(&v.verdict, c.text.as_deref()) {
                            failure = Some(format!("line {n}: {e}"));
                        }
                    }
                    _ => failure = Some(format!("verdict {v:?} for line {n}: {text:?}")),
                }
            }
            LineOutcome::Recorded => {
                t.recorded += 1;
                // Only blank lines and events that are not contacts are recorded silently.
                if !(text.trim().is_empty() || (parsed.is_some() && !is_contact)) {
                    failure = Some(format!("line {n} dropped silently: {text:?}"));
                }
            }
            LineOutcome::Error { line, .. } => {
                t.errors += 1;
                if line != n {
                    failure = Some(format!("error for line {line} given for line {n}"));
                }
            }
        }
    })
    .unwrap();
    if let Some(f) = failure {
        return Err(TestCaseError::fail(f));
    }
    let breaks = input.iter().filter(|&&b| b == b'\n').count();
    let expected = breaks + usize::from(!input.is_empty() && input.last() != Some(&b'\n'));
    prop_assert_eq!(t.lines, expected, "lines lost");
    prop_assert_eq!(t.lines, t.verdicts + t.errors + t.recorded);
    Ok(t)
}

/// A generated stream: borrowers declared, then events in time order (now and then one out
/// of order, for an undeclared borrower, or damaged), serialised by the library itself.
fn stream() -> impl Strategy<Value = Vec<Vec<u8>>> {
    // Mostly the stream's own declaration again (accepted), now and then another one
    // (rejected as a redeclaration).
    let declare = (
        0usize..4,
        prop_oneof![6 => Just(None), 1 => borrower().prop_map(Some)],
    )
        .prop_map(|(i, b)| Item::Declare(i, b));
    let event =
        (0usize..4, pasts(2), attempt(), 0i64..600, 0u8..20).prop_map(|(i, past, a, step, odd)| {
            Item::Event {
                borrower: i,
                past: past.into_iter().next(),
                attempt: a,
                step,
                out_of_order: odd == 0,
            }
        });
    let damage = prop_oneof![
        8 => Just(None),
        1 => (any::<prop::sample::Index>(), any::<u8>()).prop_map(Some),
    ];
    (
        instant(),
        prop::array::uniform3(borrower()),
        prop::collection::vec(
            (
                prop_oneof![1 => declare, 8 => event, 1 => Just(Item::Blank)],
                damage,
            ),
            0..40,
        ),
    )
        .prop_map(|(start, declared, items)| {
            let ids = ["b1", "b2", "b3", "b4"];
            let mut t = start;
            let declarations = declared.iter().zip(ids).map(|(b, id)| {
                let mut b = b.clone();
                b.id = id.to_string();
                serde_json::to_vec(&Event::Borrower(b)).unwrap()
            });
            declarations
                .collect::<Vec<_>>()
                .into_iter()
                .chain(items.into_iter().map(|(item, damage)| {
                    let mut line = match item {
                        Item::Blank => Vec::new(),
                        Item::Declare(i, other) => {
                            let mut b = other.unwrap_or_else(|| declared[i.min(2)].clone());
                            b.id = ids[i.min(2)].to_string();
                            serde_json::to_vec(&Event::Borrower(b)).unwrap()
                        }
                        Item::Event {
                            borrower,
                            past,
                            mut attempt,
                            step,
                            out_of_order,
                        } => {
                            t += Duration::minutes(step);
                            let at = if out_of_order {
                                t - Duration::days(1)
                            } else {
                                t
                            };
                            let id = ids[borrower];
                            attempt.borrower = id.to_string();
                            attempt.at = at;
                            let e = match past {
                                Some(p) => event_of(
                                    &Past {
                                        minutes_before: 0,
                                        ..p
                                    },
                                    0,
                                    id,
                                    at,
                                ),
                                None => Event::Contact(attempt),
                            };
                            serde_json::to_vec(&e).unwrap()
                        }
                    };
                    if let Some((i, byte)) = damage {
                        if line.is_empty() {
                            line.push(byte);
                        } else {
                            let i = i.index(line.len());
                            if byte % 3 == 0 {
                                line.truncate(i);
                            } else {
                                line[i] = byte;
                            }
                        }
                    }
                    line
                }))
                .collect()
        })
}

#[derive(Debug, Clone)]
enum Item {
    Blank,
    Declare(usize, Option<Borrower>),
    Event {
        borrower: usize,
        past: Option<Past>,
        attempt: ContactAttempt,
        step: i64,
        out_of_order: bool,
    },
}

proptest! {
    #![proptest_config(config(128))]

    /// Contacts in = verdicts out + errors out: every contact line of a stream (valid,
    /// damaged, out of order, for unknown borrowers) gets its verdict or an error, every
    /// other line is recorded or an error, and no line is lost.
    #[test]
    fn contacts_in_equal_verdicts_plus_errors_out(
        lines in stream(),
        default_zone in any::<bool>(),
    ) {
        let input = lines.join(&b'\n');
        let t = screen(&input, Limits { max_line_bytes: 4096, max_text_bytes: 256 }, default_zone)?;
        prop_assert!(t.verdicts <= t.contact_lines);
        prop_assert_eq!(t.lines, t.verdicts + t.errors + t.recorded);
    }

    /// Arbitrary bytes never panic, and every line gets a verdict, an error or (blank lines
    /// and valid non-contact events only) is recorded.
    #[test]
    fn arbitrary_bytes_are_answered_line_by_line(
        input in prop::collection::vec(any::<u8>(), 0..2048),
        max in 1usize..512,
        default_zone in any::<bool>(),
    ) {
        screen(&input, Limits { max_line_bytes: max, max_text_bytes: max / 2 }, default_zone)?;
    }

    /// Arbitrary text inside otherwise valid contact lines.
    #[test]
    fn arbitrary_text_in_contacts_is_judged(t in text(), b in borrower(), at in instant()) {
        let decl = serde_json::to_string(&Event::Borrower(b.clone())).unwrap();
        let c = ContactAttempt::new("c", "b", at, Channel::Sms).with_text(t.clone());
        let line = serde_json::to_string(&Event::Contact(c)).unwrap();
        let input = format!("{decl}\n{line}\n");
        let tally = screen(input.as_bytes(), Limits::default(), false)?;
        prop_assert_eq!(tally.verdicts, 1);
    }
}

#[test]
fn the_long_run_switch_is_read() {
    // With no PROPTEST_CASES the default applies; with it, it wins.
    let want = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(7);
    assert_eq!(config(7).cases, want);
}

/// The generators are not vacuous: over a fixed sample they produce allows and denials,
/// timing denials with a `next_allowed_at`, and streams with verdicts and errors.
#[test]
fn the_generators_reach_the_rules() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let cases = (borrower(), pasts(16), attempt());
    let (mut allow, mut deny, mut next) = (0, 0, 0);
    for _ in 0..400 {
        let (b, past, a) = cases.new_tree(&mut runner).unwrap().current();
        let v = ENGINE
            .check_contact(&b, &history_of(&b, &past, a.at), &a)
            .unwrap();
        allow += usize::from(v.decision == Decision::Allow);
        deny += usize::from(v.decision == Decision::Deny);
        next += usize::from(v.next_allowed_at.is_some());
    }
    assert!(
        allow >= 40 && deny >= 40 && next >= 20,
        "allow {allow}, deny {deny}, next_allowed_at {next}"
    );
    let streams = stream();
    let (mut verdicts, mut errors) = (0, 0);
    for _ in 0..100 {
        let lines = streams.new_tree(&mut runner).unwrap().current();
        let t = screen(
            &lines.join(&b'\n'),
            Limits {
                max_line_bytes: 4096,
                max_text_bytes: 256,
            },
            false,
        )
        .unwrap();
        verdicts += t.verdicts;
        errors += t.errors;
    }
    assert!(
        verdicts >= 100 && errors >= 100,
        "verdicts {verdicts}, errors {errors}"
    );
}
