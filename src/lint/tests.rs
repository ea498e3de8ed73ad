//! Unit tests of the linter against the test pack under `tests/data/lint-pack`.

use super::*;
use crate::pack::Expect;

fn linter() -> Linter {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/lint-pack");
    Linter::new(
        Engine::builder()
            .rules_dir(dir)
            .pack("lint-pack")
            .build()
            .unwrap(),
    )
}

fn rules_of(r: &SourceReport) -> Vec<&str> {
    r.findings.iter().map(|f| f.rule.as_str()).collect()
}

#[test]
fn every_lint_rule_example_holds() {
    let l = linter();
    for rule in lint_rules() {
        assert!(
            rule.examples.iter().any(|e| e.expect != Expect::Allow),
            "{}",
            rule.id
        );
        assert!(
            rule.examples.iter().any(|e| e.expect == Expect::Allow),
            "{}",
            rule.id
        );
        for ex in rule.examples {
            let r = l.lint_source("example.txt", ex.template).unwrap();
            let fired: Vec<&Finding> = r.findings.iter().filter(|f| f.rule == rule.id).collect();
            match ex.expect {
                Expect::Allow => assert!(
                    fired.is_empty(),
                    "{} {:?}: {:?}",
                    rule.id,
                    ex.name,
                    r.findings
                ),
                Expect::Deny | Expect::Review => {
                    let want = if ex.expect == Expect::Deny {
                        Severity::Deny
                    } else {
                        Severity::Review
                    };
                    assert!(
                        !fired.is_empty(),
                        "{} {:?}: {:?}",
                        rule.id,
                        ex.name,
                        r.findings
                    );
                    assert!(fired
                        .iter()
                        .all(|f| f.severity == want && f.severity == rule.severity));
                }
            }
        }
        let doc = rule.explain();
        for h in [
            "## What it checks",
            "## Why",
            "## Example",
            "## Allowed instead",
            "## Citation",
        ] {
            assert!(doc.contains(h), "{}: {h}", rule.id);
        }
        assert!(doc.contains(rule.citation));
    }
}

#[test]
fn sensitive_placeholders_are_findings_anywhere() {
    let l = linter();
    let r = l
        .lint_source(
            "a.txt",
            "您好{{name}}，身份证{{id_number}}，卡号{{ card_number }}。",
        )
        .unwrap();
    assert_eq!(
        rules_of(&r),
        ["lint.placeholder-pii", "lint.placeholder-pii"]
    );
    let f = &r.findings[0];
    assert_eq!(f.placeholder.as_deref(), Some("{{id_number}}"));
    assert_eq!(f.evidence.as_deref(), Some("{{id_number}}"));
    assert_eq!((f.start.line, f.start.column, f.end.column), (1, 15, 28));
    assert_eq!(f.category, Some(Category::Privacy));
    assert_eq!(
        r.findings[1].placeholder.as_deref(),
        Some("{{ card_number }}")
    );
    assert_eq!(r.decision(), Decision::Deny);
}

#[test]
fn a_pack_rule_on_the_sample_takes_the_placeholder() {
    let l = linter();
    let r = l
        .lint_source(
            "a.md",
            "---\nchannel: email\n---\nDear {{name}},\nyour ID {{id_number}} is on file.\n",
        )
        .unwrap();
    assert_eq!(rules_of(&r), ["lint-pack.pii"]);
    let f = &r.findings[0];
    assert_eq!(f.placeholder.as_deref(), Some("{{id_number}}"));
    assert_eq!(f.evidence.as_deref(), Some("{{id_number}}"));
    assert!(
        f.message.contains("placeholder `{{id_number}}`"),
        "{}",
        f.message
    );
    assert_eq!(
        (f.start.line, f.start.column, f.end.line, f.end.column),
        (5, 9, 5, 22)
    );
    assert_eq!(f.citation, "Test Act s. 4");
}

#[test]
fn the_samples_are_what_the_pii_detectors_find() {
    let l = linter();
    for (body, placeholders) in [
        (
            "您的身份证{{id_number}}，卡号{{card_number}}。",
            ["{{id_number}}", "{{card_number}}"],
        ),
        (
            "Your SSN {{id_number}}, card {{card_number}}.",
            ["{{id_number}}", "{{card_number}}"],
        ),
    ] {
        let r = l
            .lint_source("p.md", &format!("---\nchannel: email\n---\n{body}"))
            .unwrap();
        let got: Vec<(&str, Option<&str>)> = r
            .findings
            .iter()
            .map(|f| (f.rule.as_str(), f.placeholder.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("lint-pack.pii", Some(placeholders[0])),
                ("lint-pack.pii", Some(placeholders[1]))
            ],
            "{body}"
        );
    }
}

#[test]
fn debt_placeholders_only_matter_to_third_parties() {
    let l = linter();
    let body = "请转告{{name}}归还{{amount}}元，还款日{{due_date}}，合同{{loan_id}}。\n";
    let r = l.lint_source("b.txt", body).unwrap();
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    let r = l
        .lint_source(
            "t.txt",
            &format!("---\naudience: third_party\nrelation: family\n---\n{body}"),
        )
        .unwrap();
    assert_eq!(
        rules_of(&r),
        [
            "lint.placeholder-debt-to-third-party",
            "lint.placeholder-debt-to-third-party",
            "lint.placeholder-debt-to-third-party"
        ]
    );
    assert!(
        r.findings[0].message.contains("(`family`)"),
        "{}",
        r.findings[0].message
    );
    // the borrower's attorney may hear about the debt
    let r = l
        .lint_source(
            "t.txt",
            &format!("---\naudience: third_party\nrelation: attorney\n---\n{body}"),
        )
        .unwrap();
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    // a letter: the pack's amount rule covers `{{amount}}`, the linter covers the rest
    let r = l
        .lint_source(
            "t.txt",
            &format!("---\nchannel: letter\naudience: third_party\n---\n{body}"),
        )
        .unwrap();
    assert_eq!(
        rules_of(&r),
        [
            "lint-pack.amount-to-third-party",
            "lint.placeholder-debt-to-third-party",
            "lint.placeholder-debt-to-third-party"
        ]
    );
}

#[test]
fn wording_rules_tripped_by_samples_are_dropped_but_literal_words_count() {
    let l = linter();
    let r = l
        .lint_source("c.txt", "From {{company}}: please call {{hotline}}.")
        .unwrap();
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    let r = l
        .lint_source("c.txt", "From Acme: you deadbeat, {{name}}.")
        .unwrap();
    assert_eq!(rules_of(&r), ["lint-pack.acme", "lint-pack.abuse"]);
    let f = &r.findings[1];
    assert_eq!(
        f.span
            .map(|s| &"From Acme: you deadbeat, {{name}}."[s.start..s.end]),
        Some("deadbeat")
    );
    assert_eq!(f.evidence.as_deref(), Some("deadbeat"));
    assert_eq!(f.placeholder, None);
}

#[test]
fn spans_after_placeholders_and_front_matter_map_to_the_file() {
    let l = linter();
    let src = "---\nchannel: sms\n---\n{{name}}{{amount}}你这个废物，走法律程序\n";
    let r = l.lint_source("d.txt", src).unwrap();
    assert_eq!(rules_of(&r), ["lint-pack.abuse", "lint-pack.legal"]);
    let f = &r.findings[0];
    assert_eq!(&src[f.span.unwrap().start..f.span.unwrap().end], "废物");
    assert_eq!((f.start.line, f.start.column, f.end.column), (4, 22, 24));
    assert_eq!(f.start.column_utf16, 22);
    assert_eq!(f.message_zh.as_deref(), Some("侮辱性用语"));
    assert_eq!(r.findings[1].severity, Severity::Review);
}

#[test]
fn unknown_placeholders_are_review_with_a_hint() {
    let mut l = linter();
    let r = l
        .lint_source("e.txt", "Hi {{nmae}}, call {{hotlin}} or see {{portal}}.")
        .unwrap();
    assert_eq!(rules_of(&r), ["lint.unknown-placeholder"; 3]);
    assert!(
        r.findings[0].message.contains("did you mean `{{name}}`"),
        "{}",
        r.findings[0].message
    );
    assert!(
        r.findings[1].message.contains("did you mean `{{hotline}}`"),
        "{}",
        r.findings[1].message
    );
    assert_eq!(r.decision(), Decision::Review);
    l.placeholder("portal", "link").unwrap();
    l.placeholder("nmae", "name").unwrap();
    l.placeholder("hotlin", "hotline").unwrap();
    assert!(l
        .lint_source("e.txt", "Hi {{nmae}}, call {{hotlin}} or see {{portal}}.")
        .unwrap()
        .findings
        .is_empty());
    let e = l.placeholder("x", "amout").unwrap_err();
    assert!(e.to_string().contains("did you mean `amount`"), "{e}");
    // an alias of a sensitive type keeps its class
    l.placeholder("身份证", "id_number").unwrap();
    assert_eq!(
        rules_of(&l.lint_source("e.txt", "号码{{身份证}}").unwrap()),
        ["lint.placeholder-pii"]
    );
}

#[test]
fn suppressions_template_and_line_scoped() {
    let l = linter();
    let src = "# collectguard: allow lint.placeholder-pii reason=\"internal test message\"\n身份证{{id_number}}\n你这个废物\n# collectguard: allow lint-pack.legal reason=\"quoted from the borrower\"\n他说：走法律程序\n";
    let r = l.lint_source("s.txt", src).unwrap();
    // the template-wide one takes the PII; the line one takes the legal mention
    assert_eq!(rules_of(&r), ["lint-pack.abuse"]);
    assert_eq!(r.findings[0].start.line, 3);
    assert_eq!(r.suppressed.len(), 2);
    assert_eq!(r.suppressed[0].finding.rule, "lint.placeholder-pii");
    assert_eq!(r.suppressed[0].reason, "internal test message");
    assert_eq!(r.suppressed[1].finding.start.line, 5);
    assert_eq!(r.suppressed[1].at.line, 4);
    // every occurrence is a finding, so a line suppression hides only its own line
    let src = "请还款\n# collectguard: allow lint-pack.abuse reason=\"quoted\"\n他说：废物\n你这个废物\n废物\n";
    let r = l.lint_source("s.txt", src).unwrap();
    let got: Vec<(&str, usize)> = r
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.start.line))
        .collect();
    assert_eq!(got, [("lint-pack.abuse", 4), ("lint-pack.abuse", 5)]);
    assert_eq!(r.suppressed.len(), 1);
    assert_eq!(r.suppressed[0].finding.start.line, 3);
    // a line suppression covers the next line of text only
    let src = "你这个废物\n# collectguard: allow lint-pack.abuse reason=\"x\"\n\n请还款\n";
    let r = l.lint_source("s.txt", src).unwrap();
    let got: Vec<(&str, usize)> = r
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.start.line))
        .collect();
    assert_eq!(
        got,
        [("lint-pack.abuse", 1), ("lint.unused-suppression", 2)]
    );
    assert!(
        r.findings[1].message.contains("on the next line"),
        "{}",
        r.findings[1].message
    );
    // ... and a suppression below the text covers the whole template
    let src = "你这个废物\n请还款\n# collectguard: allow lint-pack.abuse reason=\"x\"\n";
    let r = l.lint_source("s.txt", src).unwrap();
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    assert_eq!(r.suppressed.len(), 1);
}

#[test]
fn bad_and_unused_suppressions_are_findings() {
    let l = linter();
    let src = "<!-- collectguard: allow lint-pack.abuse -->\n<!-- collectguard: allow lint-pack.abuze reason=\"x\" -->\n<!-- collectguard: allow lint-pack.legal, lint-pack.abuse reason=\"y\" -->\n<!-- collectguard: allow lint.unused-suppression reason=\"z\" -->\n你这个废物\n";
    let r = l.lint_source("s.md", src).unwrap();
    let got: Vec<(&str, usize, Severity)> = r
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.start.line, f.severity))
        .collect();
    assert_eq!(
        got,
        [
            ("lint.invalid-suppression", 1, Severity::Deny),
            ("lint.invalid-suppression", 2, Severity::Deny),
            ("lint.unused-suppression", 3, Severity::Review),
            ("lint.invalid-suppression", 4, Severity::Deny),
        ]
    );
    assert!(r.findings[0].message.contains("needs a reason"));
    assert!(
        r.findings[1]
            .message
            .contains("did you mean `lint-pack.abuse`"),
        "{}",
        r.findings[1].message
    );
    assert!(
        r.findings[2].message.contains("`lint-pack.legal`"),
        "{}",
        r.findings[2].message
    );
    assert!(r.findings[3].message.contains("cannot be suppressed"));
    assert_eq!(
        r.findings[0].evidence.as_deref(),
        Some("<!-- collectguard: allow lint-pack.abuse -->")
    );
    // the insult is suppressed by the third line's valid suppression, not by the invalid first
    assert_eq!(r.suppressed.len(), 1);
    assert_eq!(r.suppressed[0].at.line, 3);
}

#[test]
fn catalogue_findings_point_into_the_catalogue() {
    let l = linter();
    let src = r#"audience = "third_party"
relation = "friend"

[[template]]
id = "ok"
text = "请{{name}}回电{{hotline}}"

[[template]]
id = "leak"
text = "请转告{{name}}：\u6b20款{{amount}}元"
suppress = [{ rule = "lint-pack.abuse", reason = "legacy" }, { rule = "lint-pack.legal" }]
"#;
    let r = l.lint_source("cat.toml", src).unwrap();
    assert_eq!(r.templates, 2);
    let got: Vec<(&str, &str, &str)> = r
        .findings
        .iter()
        .map(|f| {
            (
                f.template.as_str(),
                f.rule.as_str(),
                f.span.and_then(|s| src.get(s.start..s.end)).unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("leak", "lint-pack.debt-to-third-party", "\\u6b20款"),
            ("leak", "lint.placeholder-debt-to-third-party", "{{amount}}"),
            (
                "leak",
                "lint.unused-suppression",
                "{ rule = \"lint-pack.abuse\", reason = \"legacy\" }"
            ),
            (
                "leak",
                "lint.invalid-suppression",
                "{ rule = \"lint-pack.legal\" }"
            ),
        ]
    );
    assert_eq!(r.findings[0].start.line, 10);
}

#[test]
fn json_catalogue_and_errors() {
    let l = linter();
    let src = "{\"template\": [{\"id\": \"a\", \"audience\": \"third_party\", \"text\": \"He owes {{amount}}\"}]}";
    let r = l.lint_source("c.json", src).unwrap();
    assert_eq!(
        rules_of(&r),
        [
            "lint-pack.debt-to-third-party",
            "lint.placeholder-debt-to-third-party"
        ]
    );
    assert_eq!(
        r.findings[1].start.column,
        src.find("{{amount}}").unwrap() + 1
    );
    let e = l
        .lint_source("c.json", "{\"template\": [{\"text\": 1}]}")
        .unwrap_err();
    assert!(matches!(e, LintError::Template { line: 1, .. }), "{e}");
    let e = l
        .lint_source("x.txt", "---\nchannel: sms\npacks: [nope]\n---\nhello")
        .unwrap_err();
    assert!(
        e.to_string().starts_with("x.txt:3:1: unknown pack `nope`"),
        "{e}"
    );
    let e = l.lint_source("x.yaml", "hello").unwrap_err();
    assert!(matches!(e, LintError::NotATemplate { .. }));
    let bare = Linter::new(
        Engine::builder()
            .rules_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/lint-pack"))
            .build()
            .unwrap(),
    );
    let e = bare.lint_source("x.txt", "hello").unwrap_err();
    assert!(e.to_string().contains("names no pack"), "{e}");
    assert!(bare
        .lint_source("x.txt", "---\npacks: lint-pack\n---\nhello")
        .is_ok());
}

#[test]
fn sarif_columns_are_utf16() {
    let l = linter();
    let src = "😀😀你这个废物\n";
    let r = Report {
        sources: vec![l.lint_source("u.txt", src).unwrap()],
        errors: vec![],
    };
    let f = &r.sources[0].findings[0];
    assert_eq!(
        (f.start.column, f.start.column_utf16, f.end.column_utf16),
        (6, 8, 10)
    );
    let doc: serde_json::Value = serde_json::from_str(&l.render(&r, Format::Sarif)).unwrap();
    let region = &doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startColumn"], 8);
    assert_eq!(region["endColumn"], 10);
    assert_eq!(region["snippet"]["text"], "废物");
}

#[test]
fn findings_about_the_whole_template() {
    let l = linter();
    let src = "---\nchannel: im\n---\n\n  {{name}}您好，请还款。\n";
    let r = l.lint_source("m.txt", src).unwrap();
    assert_eq!(rules_of(&r), ["lint-pack.opt-out"]);
    let f = &r.findings[0];
    assert_eq!(f.span, None);
    // it points at the first line of text
    assert_eq!((f.start.line, f.start.column), (5, 3));
    assert_eq!(f.start, f.end);
    // a line suppression does not cover it; a template one does
    let r = l
        .lint_source("m.txt", "---\nchannel: im\n---\n你好\n# collectguard: allow lint-pack.opt-out reason=\"x\"\n请还款\n")
        .unwrap();
    assert_eq!(
        rules_of(&r),
        ["lint-pack.opt-out", "lint.unused-suppression"]
    );
    let r = l
        .lint_source("m.txt", "---\nchannel: im\n# collectguard: allow lint-pack.opt-out reason=\"sent with a footer\"\n---\n请还款\n")
        .unwrap();
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    assert_eq!(r.suppressed[0].finding.rule, "lint-pack.opt-out");
}

#[test]
fn privacy_findings_in_stand_in_samples_are_dropped_but_personal_ones_kept() {
    let l = linter();
    let third = "---\naudience: third_party\n---\n";
    // `Acme` (the company sample) is a privacy phrase of the test pack for third parties
    let r = l
        .lint_source(
            "a.txt",
            &format!("{third}This is {{{{company}}}}, please call {{{{hotline}}}}."),
        )
        .unwrap();
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    let r = l
        .lint_source(
            "a.txt",
            &format!("{third}This is Acme, please call {{{{hotline}}}}."),
        )
        .unwrap();
    assert_eq!(
        rules_of(&r),
        ["lint-pack.acme", "lint-pack.debt-to-third-party"]
    );
    // the borrower's phone and e-mail are realistic: the pack's detectors decide
    let r = l
        .lint_source(
            "p.md",
            "---\nchannel: email\n---\n您的手机{{phone}}，邮箱{{email}}。",
        )
        .unwrap();
    let got: Vec<(&str, Option<&str>)> = r
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.placeholder.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("lint-pack.pii", Some("{{phone}}")),
            ("lint-pack.pii", Some("{{email}}"))
        ]
    );
}
