//! The example templates under `examples/templates/`, linted with the embedded packs they
//! name: the good ones have no finding that denies; each bad one is denied for what its
//! description says (checked by where the findings point, not by the real packs' phrase
//! lists, which other work fills in).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use collectguard::lint::{Finding, Linter, Report};
use collectguard::{Category, Decision, Engine, RuleKind, Severity};

fn lint(dir: &str) -> (Linter, Report) {
    let linter = Linter::new(Engine::builder().build().unwrap());
    let report = linter.lint_paths(&[format!(
        "{}/examples/templates/{dir}",
        env!("CARGO_MANIFEST_DIR")
    )]);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    (linter, report)
}

fn in_file<'a>(report: &'a Report, name: &str) -> Vec<&'a Finding> {
    let src = report
        .sources
        .iter()
        .find(|s| s.path.ends_with(name))
        .unwrap_or_else(|| panic!("{name} not linted"));
    src.findings.iter().collect()
}

/// A privacy finding that denies, at this placeholder (a pack rule or the linter's own).
fn privacy_at(findings: &[&Finding], placeholder: &str) -> bool {
    findings.iter().any(|f| {
        f.severity == Severity::Deny
            && f.category == Some(Category::Privacy)
            && f.placeholder.as_deref() == Some(placeholder)
    })
}

#[test]
fn good_templates_are_not_denied() {
    let (_, report) = lint("good");
    assert_eq!(report.sources.len(), 5);
    assert_eq!(report.templates(), 7);
    for f in report.findings() {
        assert_ne!(
            f.severity,
            Severity::Deny,
            "{}:{}:{}: {} {}",
            f.path,
            f.start.line,
            f.start.column,
            f.rule,
            f.message
        );
    }
}

#[test]
fn bad_templates_are_denied_for_what_they_do() {
    let (linter, report) = lint("bad");
    for src in &report.sources {
        if !src.path.ends_with("us-arrest.txt") {
            assert_eq!(src.decision(), Decision::Deny, "{}", src.path);
        }
    }
    let f = in_file(&report, "cn-family-debt.txt");
    assert!(
        privacy_at(&f, "{{amount}}") && privacy_at(&f, "{{overdue_days}}"),
        "{f:?}"
    );
    let f = in_file(&report, "cn-id-card.txt");
    assert!(
        privacy_at(&f, "{{id_number}}") && privacy_at(&f, "{{card_number}}"),
        "{f:?}"
    );
    let f = in_file(&report, "en-placeholders.md");
    assert!(privacy_at(&f, "{{ssn}}"), "{f:?}");
    assert!(
        f.iter()
            .any(|x| x.rule == "lint.invalid-suppression" && x.start.line == 6),
        "{f:?}"
    );
    assert!(f.iter().any(|x| x.rule == "lint.unknown-placeholder"
        && x.placeholder.as_deref() == Some("{{customer}}")));
    let f = in_file(&report, "catalogue.json");
    assert!(
        f.iter().all(|x| x.template == "employer-debt"),
        "the location inquiry is fine: {f:?}"
    );
    for p in ["{{amount}}", "{{overdue_days}}", "{{loan_id}}"] {
        assert!(privacy_at(&f, p), "{p}: {f:?}");
    }
    // a false threat of arrest is for the pack's wording rules; once the `us` pack has
    // coercion rules about text, this template must be denied by one of them
    let us_text_coercion = linter.engine().pack_rules("us").unwrap().any(|r| {
        r.kind == RuleKind::Text && r.category == Category::Coercion && r.severity == Severity::Deny
    });
    if us_text_coercion {
        let f = in_file(&report, "us-arrest.txt");
        assert!(
            f.iter()
                .any(|x| x.severity == Severity::Deny && x.category == Some(Category::Coercion)),
            "{f:?}"
        );
    }
}
