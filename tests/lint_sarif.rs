//! SARIF output checked structurally: version, rules with descriptions and citations,
//! results that cite known rules, regions on the right line and column in UTF-16 code
//! units (SARIF's default `columnKind`), suppressions, and notifications for broken input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::Value;

const TEMPLATES: &str = "tests/data/lint-templates";

fn sarif(paths: &[&str]) -> (Option<i32>, Value) {
    let o = Command::new(env!("CARGO_BIN_EXE_collectguard"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "lint",
            "--rules",
            "tests/data/lint-pack",
            "--pack",
            "lint-pack",
            "--format",
            "sarif",
        ])
        .args(paths)
        .output()
        .unwrap();
    let doc = serde_json::from_slice(&o.stdout).unwrap();
    (o.status.code(), doc)
}

fn source(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// SARIF's 1-based line and UTF-16 column of the first occurrence of `needle` in `text`,
/// computed here independently of the linter.
fn utf16_position(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).unwrap();
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].encode_utf16().count() + 1)
}

fn results_of<'a>(doc: &'a Value, rule: &str) -> Vec<&'a Value> {
    doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ruleId"] == rule)
        .collect()
}

fn region(result: &Value) -> (u64, u64, u64, u64) {
    let r = &result["locations"][0]["physicalLocation"]["region"];
    (
        r["startLine"].as_u64().unwrap(),
        r["startColumn"].as_u64().unwrap(),
        r["endLine"].as_u64().unwrap(),
        r["endColumn"].as_u64().unwrap(),
    )
}

#[test]
fn shape_rules_and_results() {
    let (code, doc) = sarif(&[&format!("{TEMPLATES}/dirty")]);
    assert_eq!(code, Some(1));
    assert_eq!(doc["version"], "2.1.0");
    assert!(doc["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let runs = doc["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["tool"]["driver"]["name"], "collectguard");
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);

    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "rules are listed once: {ids:?}");
    for r in rules {
        let id = r["id"].as_str().unwrap();
        assert!(
            !r["shortDescription"]["text"].as_str().unwrap().is_empty(),
            "{id}"
        );
        let citation = r["properties"]["citation"].as_str().unwrap();
        assert!(!citation.is_empty(), "{id}");
        let help = r["help"]["text"].as_str().unwrap();
        assert!(
            help.contains("## Citation") && help.contains(citation),
            "{id}: {help}"
        );
        assert!(
            ["error", "warning"].contains(&r["defaultConfiguration"]["level"].as_str().unwrap()),
            "{id}"
        );
    }
    for id in [
        "lint.placeholder-pii",
        "lint.placeholder-debt-to-third-party",
        "lint.unknown-placeholder",
        "lint.invalid-suppression",
        "lint.unused-suppression",
        "lint-pack.abuse",
        "lint-pack.debt-to-third-party",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    let pii = rules
        .iter()
        .find(|r| r["id"] == "lint.placeholder-pii")
        .unwrap();
    assert!(pii["properties"]["citation"]
        .as_str()
        .unwrap()
        .contains("个人信息保护法"));
    let abuse = rules.iter().find(|r| r["id"] == "lint-pack.abuse").unwrap();
    assert_eq!(abuse["properties"]["citation"], "Test Act s. 1");

    let results = run["results"].as_array().unwrap();
    assert!(results.len() >= 15, "{}", results.len());
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], id, "ruleIndex points at the rule");
        let want = if rules[index]["defaultConfiguration"]["level"] == "error" {
            "error"
        } else {
            "warning"
        };
        assert_eq!(r["level"], want, "{id}");
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(uri.starts_with("tests/data/lint-templates/dirty/"), "{uri}");
        let (sl, sc, el, ec) = region(r);
        assert!(
            sl >= 1 && sc >= 1 && (el, ec) >= (sl, sc),
            "{id}: {sl}:{sc}-{el}:{ec}"
        );
    }
}

#[test]
fn regions_count_utf16_code_units() {
    let path = "tests/data/lint-templates/dirty/emoji.md";
    let text = source(path);
    let (_, doc) = sarif(&[path]);
    // `😀` is two UTF-16 code units: columns after it differ from character columns
    for (rule, needle) in [
        ("lint.unknown-placeholder", "{{nmae}}"),
        ("lint-pack.abuse", "deadbeat"),
        ("lint.placeholder-pii", "{{card_number}}"),
    ] {
        let r = results_of(&doc, rule);
        assert_eq!(r.len(), 1, "{rule}");
        let (line, col) = utf16_position(&text, needle);
        let end = col + needle.encode_utf16().count();
        assert_eq!(
            region(r[0]),
            (line as u64, col as u64, line as u64, end as u64),
            "{rule}"
        );
        assert_eq!(
            r[0]["locations"][0]["physicalLocation"]["region"]["snippet"]["text"],
            needle
        );
    }
    // and the emoji really shifts them: `deadbeat` is the 20th character but the 21st unit
    let r = results_of(&doc, "lint-pack.abuse");
    assert_eq!(region(r[0]).1, 21);
}

#[test]
fn regions_in_chinese_text_and_escaped_catalogues() {
    let path = "tests/data/lint-templates/dirty/third-party.txt";
    let text = source(path);
    let (_, doc) = sarif(&[path]);
    let r = results_of(&doc, "lint.placeholder-debt-to-third-party");
    let (line, col) = utf16_position(&text, "{{amount}}");
    assert_eq!((line, col), (5, 16));
    assert_eq!(region(r[0]), (5, 16, 5, 26));
    assert_eq!(r[0]["properties"]["placeholder"], "{{amount}}");
    let r = results_of(&doc, "lint-pack.abuse");
    let (line, col) = utf16_position(&text, "废物");
    assert_eq!(
        region(r[0]),
        (line as u64, col as u64, line as u64, col as u64 + 2)
    );

    // in a JSON catalogue, `\u6b20\u6b3e` (欠款) is where the finding points
    let path = "tests/data/lint-templates/dirty/catalogue.json";
    let text = source(path);
    let (_, doc) = sarif(&[path]);
    let r = results_of(&doc, "lint-pack.debt-to-third-party");
    assert_eq!(r.len(), 2, "`owes` and `欠款`");
    let (line, col) = utf16_position(&text, r"\u6b20\u6b3e");
    assert_eq!(
        region(r[1]),
        (line as u64, col as u64, line as u64, col as u64 + 12)
    );
    assert_eq!(r[1]["properties"]["template"], "employer-leak");
}

#[test]
fn suppressed_results_carry_their_justification() {
    let (_, doc) = sarif(&["tests/data/lint-templates/dirty/suppressed.txt"]);
    let suppressed: Vec<&Value> = doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 2);
    assert_eq!(suppressed[0]["ruleId"], "lint.placeholder-pii");
    assert_eq!(suppressed[0]["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        suppressed[0]["suppressions"][0]["justification"],
        "internal test: the number is masked by the sender"
    );
    assert_eq!(suppressed[1]["ruleId"], "lint-pack.abuse");
}

#[test]
fn broken_input_is_a_failed_invocation() {
    let (code, doc) = sarif(&["tests/data/lint-templates/broken/front-matter.txt"]);
    assert_eq!(code, Some(2));
    let inv = &doc["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let n = &inv["toolExecutionNotifications"][0];
    assert_eq!(n["level"], "error");
    assert!(n["message"]["text"].as_str().unwrap().contains("audiense"));
    let loc = &n["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "tests/data/lint-templates/broken/front-matter.txt"
    );
    assert_eq!(loc["region"]["startLine"], 3);
    assert_eq!(doc["runs"][0]["results"].as_array().unwrap().len(), 0);
}

#[test]
fn clean_input_has_no_results() {
    let (code, doc) = sarif(&["tests/data/lint-templates/clean"]);
    assert_eq!(code, Some(0));
    let results = doc["runs"][0]["results"].as_array().unwrap();
    // only the suppressed finding of the notice, marked as suppressed
    assert!(
        results.iter().all(|r| r.get("suppressions").is_some()),
        "{results:?}"
    );
    assert_eq!(doc["version"], "2.1.0");
}

#[test]
fn a_finding_about_the_whole_template_points_at_its_first_line() {
    let (code, doc) = sarif(&["tests/data/lint-templates/dirty/im-no-opt-out.txt"]);
    assert_eq!(code, Some(1));
    let r = results_of(&doc, "lint-pack.opt-out");
    assert_eq!(r.len(), 1);
    // an empty region at the start of the first line of text (line 5: line 4 is blank)
    assert_eq!(region(r[0]), (5, 1, 5, 1));
    assert!(r[0]["locations"][0]["physicalLocation"]["region"]
        .get("snippet")
        .is_none());
}
