//! The rule-file loader: arbitrary TOML as a custom pack `f` (`f/pack.toml`, `f/rules.toml`
//! and a lexicon), compiled with the embedded packs off. No panic; an error names a file, a
//! line and a column; a pack that compiles is then used: its examples are run, texts are
//! checked and a short event stream is screened, under the same invariants as the other
//! targets.

use collectguard::{Engine, LineOutcome, LoadError, Screener};

/// Used when the input gives no `pack.toml` of its own.
const HEADER: &str = "[pack]\nid = \"f\"\nname = \"F\"\njurisdiction = \"X\"\n";

/// Texts and events the compiled pack is tried on.
const TEXTS: [&str; 4] = [
    "Please pay your balance of $120 today. This is a debt collector.",
    "你再不还钱，我们就去你单位找你，让你同事都知道你是老赖",
    "ＣＡＬＬ　ＵＳ 1-800-555-0100 or you will be ARRESTED",
    "",
];

const EVENTS: &str = r#"{"type":"borrower","id":"b1","time_zones":["America/New_York","Asia/Shanghai"],"packs":["f"]}
{"type":"consent","borrower":"b1","at":"2026-03-02T15:00:00Z","scope":"call_frequency"}
{"type":"contact","id":"c1","borrower":"b1","at":"2026-03-02T16:00:00Z","channel":"call","debts":["d1","d2"],"outcome":"conversation"}
{"type":"contact","id":"c2","borrower":"b1","at":"2026-03-03T16:00:00Z","channel":"call","debts":["d1"],"outcome":"no_answer"}
{"type":"inconvenient","borrower":"b1","at":"2026-03-03T17:00:00Z","from":"22:00","to":"09:00"}
{"type":"opt_out","borrower":"b1","at":"2026-03-04T15:00:00Z","channel":"email"}
{"type":"contact","id":"c3","borrower":"b1","at":"2026-03-08T06:59:00Z","channel":"call","debts":["d1"],"to":{"party":"third_party","relation":"family","designated":true},"outcome":"voicemail"}
{"type":"contact","id":"c4","borrower":"b1","at":"2026-03-09T13:00:00Z","channel":"sms","text":"pay now or we tell your boss"}
{"type":"contact","id":"c5","borrower":"b1","at":"2026-03-09T13:00:00Z","channel":"call"}"#;

/// One input.
pub fn run(data: &[u8]) {
    // 0xFF never occurs in UTF-8, so it separates the files.
    let mut parts = data.split(|&b| b == 0xFF);
    let first = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let second = parts
        .next()
        .map(|p| String::from_utf8_lossy(p).into_owned());
    let third = parts
        .next()
        .map(|p| String::from_utf8_lossy(p).into_owned());
    let (pack, rules) = match second {
        Some(rules) => (first, rules),
        None => (HEADER.to_string(), first),
    };
    let mut b = Engine::builder();
    b.embedded(false)
        .pack("f")
        .rule_source("f/pack.toml", pack)
        .rule_source("f/rules.toml", rules);
    if let Some(lexicon) = third {
        b.rule_source("lexicons/f/words.toml", lexicon);
    }
    let engine = match b.build() {
        Ok(e) => e,
        Err(e) => {
            if let LoadError::Rule {
                line,
                column,
                path,
                message,
            } = &e
            {
                assert!(*line >= 1 && *column >= 1, "no position: {e}");
                assert!(
                    !path.is_empty() && !message.is_empty(),
                    "empty error: {e:?}"
                );
            }
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    let ids: Vec<String> = engine.rules().map(|r| r.id.clone()).collect();
    for id in &ids {
        // Failures are the pack author's business; running them must not panic.
        let _ = engine.run_examples(id);
        let info = engine.rule(id).expect("a listed rule is found");
        assert!(!info.explain().is_empty());
    }
    for text in TEXTS {
        for channel in collectguard::Channel::ALL {
            let v = engine
                .check_text(text, channel, collectguard::Party::Borrower)
                .expect("the engine has a default pack");
            super::invariants::check_verdict(&v, Some(text), None);
        }
    }
    let mut screener = Screener::new(engine);
    for (i, line) in EVENTS.lines().enumerate() {
        match screener.push_line(i + 1, line) {
            LineOutcome::Verdict(v) => {
                let c: collectguard::ContactAttempt =
                    match serde_json::from_str::<collectguard::Event>(line) {
                        Ok(collectguard::Event::Contact(c)) => c,
                        other => panic!("a verdict for a line that is not a contact: {other:?}"),
                    };
                super::invariants::check_verdict(&v.verdict, c.text.as_deref(), Some(c.at));
            }
            LineOutcome::Recorded => assert!(!line.contains(r#""type":"contact""#)),
            LineOutcome::Error { line: n, .. } => assert_eq!(n, i + 1),
        }
    }
}
