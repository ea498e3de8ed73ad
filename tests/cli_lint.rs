//! `collectguard lint` end to end: human output (snapshots), the other formats, exit codes
//! for clean, dirty and broken input. Run against the test pack under `tests/data/lint-pack`
//! so the findings do not depend on the real packs' phrase lists.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::process::{Command, Output};

const TEMPLATES: &str = "tests/data/lint-templates";

fn lint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_collectguard"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("lint")
        .args(["--rules", "tests/data/lint-pack", "--pack", "lint-pack"])
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn clean_templates_exit_0() {
    let o = lint(&[&format!("{TEMPLATES}/clean")]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // the notice's unknown `{{portal_url}}` is suppressed with a reason
    assert_eq!(
        stdout(&o),
        "no findings in 4 templates (3 files); 1 suppressed\n"
    );
}

#[test]
fn dirty_templates_human_output() {
    let o = lint(&[&format!("{TEMPLATES}/dirty")]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("dirty_human", stdout(&o));
}

#[test]
fn broken_templates_exit_2_with_locations() {
    let o = lint(&[&format!("{TEMPLATES}/broken")]);
    assert_eq!(o.status.code(), Some(2));
    insta::assert_snapshot!("broken_human", stdout(&o));
}

#[test]
fn a_broken_file_does_not_hide_the_findings_of_others() {
    let o = lint(&[
        &format!("{TEMPLATES}/broken/front-matter.txt"),
        &format!("{TEMPLATES}/dirty/third-party.txt"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    assert!(out.contains("deny[lint.placeholder-pii]"), "{out}");
    assert!(out.contains("error: tests/data/lint-templates/broken/front-matter.txt:3:1: unknown front-matter key `audiense`"), "{out}");
}

#[test]
fn review_findings_fail_only_when_asked() {
    let dir = tempdir();
    let file = format!("{dir}/review.txt");
    std::fs::write(&file, "Hi {{nickname}}, please call {{hotline}}.\n").unwrap();
    let o = lint(&[&file]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("review[lint.unknown-placeholder]"));
    let o = lint(&["--fail-on", "review", &file]);
    assert_eq!(o.status.code(), Some(1));
    // a placeholder alias makes it clean
    let o = lint(&[
        "--fail-on",
        "review",
        "--placeholder",
        "nickname=name",
        &file,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = lint(&["--placeholder", "nickname=nmae", &file]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean `name`"));
}

#[test]
fn bad_usage_exits_2() {
    for args in [
        vec!["tests/data/no-such-dir"],
        vec!["Cargo.toml", "--pack", "nope"],
        vec!["--format", "xml", "tests/data/lint-templates/clean"],
        vec![],
    ] {
        let o = lint(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stdout(&o));
    }
    // a folder without templates is an error, not a silent pass
    let dir = tempdir();
    let o = lint(&[&dir]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("no templates found"), "{}", stdout(&o));
    // a file that is not a template
    let o = lint(&["Cargo.lock"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("Cargo.lock: not a template"),
        "{}",
        stdout(&o)
    );
    // no pack anywhere
    let o = Command::new(env!("CARGO_BIN_EXE_collectguard"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["lint", "tests/data/lint-templates/clean/reminder.txt"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("names no pack"), "{}", stdout(&o));
}

#[test]
fn github_annotations() {
    let o = lint(&[
        "--format",
        "github",
        &format!("{TEMPLATES}/dirty/third-party.txt"),
        &format!("{TEMPLATES}/broken/catalogue.toml"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    insta::assert_snapshot!("github", stdout(&o));
}

#[test]
fn json_document() {
    let o = lint(&[
        "--format",
        "json",
        &format!("{TEMPLATES}/dirty/suppressed.txt"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc["decision"], "deny");
    let findings = doc["findings"].as_array().unwrap();
    let rules: Vec<&str> = findings
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "lint.invalid-suppression",
            "lint.invalid-suppression",
            "lint.unused-suppression"
        ]
    );
    let f = &findings[1];
    assert_eq!(f["path"], "tests/data/lint-templates/dirty/suppressed.txt");
    assert_eq!(f["template"], "suppressed");
    assert_eq!(f["severity"], "deny");
    assert_eq!(f["category"], serde_json::Value::Null);
    assert_eq!(f["start"]["line"], 6);
    assert_eq!(f["start"]["column"], 1);
    let suppressed = doc["suppressed"].as_array().unwrap();
    assert_eq!(suppressed.len(), 2);
    assert_eq!(suppressed[0]["finding"]["rule"], "lint.placeholder-pii");
    assert_eq!(suppressed[0]["finding"]["placeholder"], "{{id_number}}");
    assert_eq!(
        suppressed[0]["reason"],
        "internal test: the number is masked by the sender"
    );
    assert_eq!(suppressed[1]["finding"]["rule"], "lint-pack.abuse");
    assert_eq!(suppressed[1]["finding"]["start"]["line"], 5);
    assert_eq!(doc["summary"]["deny"], 2);
    assert_eq!(doc["summary"]["review"], 1);
    assert_eq!(doc["summary"]["suppressed"], 2);
    assert_eq!(doc["errors"].as_array().unwrap().len(), 0);
}

/// A fresh empty folder under the target directory.
fn tempdir() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "collectguard-cli-lint-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.display().to_string()
}
