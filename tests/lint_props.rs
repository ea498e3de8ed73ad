//! Properties of the linter over generated templates: it never panics, every finding's span
//! lies on character boundaries of the file, its positions agree with a plain count of
//! lines and columns, a finding about a placeholder points exactly at it, and the result
//! does not depend on the run.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use collectguard::lint::{Linter, SourceReport};
use collectguard::Engine;
use proptest::prelude::*;

/// One linter for every case (building an engine compiles every pack).
fn linter() -> &'static Linter {
    static LINTER: std::sync::OnceLock<Linter> = std::sync::OnceLock::new();
    LINTER.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/lint-pack");
        Linter::new(
            Engine::builder()
                .rules_dir(dir)
                .pack("lint-pack")
                .build()
                .unwrap(),
        )
    })
}

/// Pieces templates are made of: placeholders (known, unknown, broken), phrases the test
/// pack knows, directives, wide and astral characters, quotes and backslashes.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("{{amount}}".to_string()),
        Just("{{ id_number }}".to_string()),
        Just("{{card_number}}".to_string()),
        Just("{{name}}".to_string()),
        Just("{{nmae}}".to_string()),
        Just("{{{link}}}".to_string()),
        Just("{{".to_string()),
        Just("}}".to_string()),
        Just("废物".to_string()),
        Just("deadbeat".to_string()),
        Just("欠款".to_string()),
        Just("法律程序".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\n# collectguard: allow lint-pack.abuse reason=\"ok\"\n".to_string()),
        Just("\n<!-- collectguard: allow lint.placeholder-pii -->\n".to_string()),
        Just("😀".to_string()),
        Just("，".to_string()),
        Just("\t".to_string()),
        Just("\"".to_string()),
        Just("\\".to_string()),
        Just("'''".to_string()),
        "[a-z 。]{0,6}",
        "\\PC{0,3}",
    ]
}

fn body() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..14).prop_map(|v| v.concat())
}

fn front_matter() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("---\naudience: third_party\nrelation: family\n---\n".to_string()),
        Just("---\nchannel: email\n---\n".to_string()),
    ]
}

/// 1-based line and character column of a byte offset, counted plainly.
fn line_col(src: &str, at: usize) -> (usize, usize) {
    let before = &src[..at];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

fn check_report(src: &str, r: &SourceReport, exact_placeholders: bool) {
    for f in &r.findings {
        if let Some(span) = f.span {
            assert!(span.start <= span.end && span.end <= src.len(), "{f:?}");
            assert!(
                src.is_char_boundary(span.start) && src.is_char_boundary(span.end),
                "{f:?}"
            );
            assert_eq!(
                (f.start.line, f.start.column),
                line_col(src, span.start),
                "{f:?}"
            );
            assert_eq!((f.end.line, f.end.column), line_col(src, span.end), "{f:?}");
            assert!(f.start.column_utf16 >= f.start.column);
            if exact_placeholders {
                if let Some(p) = &f.placeholder {
                    assert_eq!(&src[span.start..span.end], p, "{f:?}");
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn template_files(fm in front_matter(), body in body()) {
        let l = linter();
        let src = format!("{fm}{body}");
        for name in ["t.txt", "t.md"] {
            let r = l.lint_source(name, &src).unwrap();
            check_report(&src, &r, true);
            let again = l.lint_source(name, &src).unwrap();
            prop_assert_eq!(&r.findings, &again.findings);
        }
    }

    #[test]
    fn toml_catalogues(texts in prop::collection::vec(body(), 1..4), third in any::<bool>()) {
        #[derive(serde::Serialize)]
        struct T { id: String, text: String }
        #[derive(serde::Serialize)]
        struct C { audience: &'static str, template: Vec<T> }
        let c = C {
            audience: if third { "third_party" } else { "borrower" },
            template: texts.into_iter().enumerate().map(|(i, text)| T { id: format!("t{i}"), text }).collect(),
        };
        let src = toml::to_string(&c).unwrap();
        let r = linter().lint_source("c.toml", &src).unwrap();
        check_report(&src, &r, false);
        for f in &r.findings {
            if let (Some(p), Some(span)) = (&f.placeholder, f.span) {
                // the literal spells the placeholder, escapes and all
                let raw = &src[span.start..span.end];
                if raw != p {
                    // `raw` comes from a basic or a multi-line basic string (where `"` needs
                    // no escape); both decode the same inside `"""…"""` (it ends in `}}`).
                    let t: toml::Table = toml::from_str(&format!("x = \"\"\"{raw}\"\"\"")).unwrap();
                    prop_assert_eq!(t["x"].as_str(), Some(p.as_str()));
                }
            }
        }
    }

    #[test]
    fn json_catalogues(texts in prop::collection::vec(body(), 1..4), ascii in any::<bool>()) {
        let templates: Vec<serde_json::Value> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| serde_json::json!({"id": format!("t{i}"), "text": t}))
            .collect();
        let mut src = serde_json::to_string_pretty(&serde_json::json!({"template": templates})).unwrap();
        if ascii {
            // every non-ASCII character as a `\u` escape, astral ones as surrogate pairs
            let mut out = String::new();
            for c in src.chars() {
                if c.is_ascii() {
                    out.push(c);
                } else {
                    let mut buf = [0u16; 2];
                    for u in c.encode_utf16(&mut buf) {
                        out.push_str(&format!("\\u{u:04x}"));
                    }
                }
            }
            src = out;
        }
        let r = linter().lint_source("c.json", &src).unwrap();
        check_report(&src, &r, false);
        for f in &r.findings {
            if let (Some(p), Some(span)) = (&f.placeholder, f.span) {
                let raw = &src[span.start..span.end];
                let decoded: String = serde_json::from_str(&format!("\"{raw}\"")).unwrap();
                prop_assert_eq!(&decoded, p);
            }
        }
    }
}
