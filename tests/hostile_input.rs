//! `collectguard check` on hostile input: every malformed line of `tests/data/hostile.jsonl`
//! (written by `tests/data/make_hostile.py`) gets an error line naming it, every good line
//! gets its verdict, nothing is skipped, and the exit code is 2.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// What one input line must produce.
enum Want {
    /// No output: a declaration or other event that was recorded, or a blank line.
    Recorded,
    /// A verdict for this contact id.
    Verdict(&'static str),
    /// An error line for this line, containing every one of these strings.
    Error(&'static [&'static str]),
}

use Want::{Error, Recorded, Verdict};

/// Line by line, what `hostile.jsonl` must produce (keep in step with `make_hostile.py`).
const HOSTILE: &[Want] = &[
    /* 1 */ Recorded,
    /* 2 */ Recorded,
    /* 3 */ Verdict("good-1"),
    /* 4 bad JSON */ Error(&["invalid event", "EOF while parsing"]),
    /* 5 unknown field */ Error(&["unknown field `sope`"]),
    /* 6 unknown type */ Error(&["unknown variant `teleport`"]),
    /* 7 unknown time zone */ Error(&["unknown time zone `Mars/Olympus`"]),
    /* 8 unknown borrower */ Error(&["unknown borrower `nobody`"]),
    /* 9 unknown pack */ Error(&["unknown pack `us-mass`", "did you mean `us-ma`?"]),
    /* 10 */ Recorded,
    /* 11 */ Verdict("good-2"),
    /* 12 out of order */
    Error(&[
        "borrower `o1`",
        "2026-03-02 10:00:00 UTC",
        "2026-03-03 10:00:00 UTC",
        "time order",
    ]),
    /* 13 after it */ Error(&["borrower `o1` cannot be judged", "(line 12)"]),
    /* 14 deep nesting (before `type`, so the line is buffered) */
    Error(&["recursion limit exceeded"]),
    /* 15 over-long line */ Error(&["line of 5105 bytes", "limit of 4096 bytes"]),
    /* 16 over-long text */
    Error(&["contact `long-text`", "2100 bytes", "limit of 1024 bytes"]),
    /* 17 invalid UTF-8 */ Error(&["not valid UTF-8"]),
    /* 18 raw NUL */ Error(&["control character"]),
    /* 19 */ Verdict("good-3"),
    /* 20 huge number */ Error(&["number out of range"]),
    /* 21 huge integer */ Error(&["invalid type: floating point"]),
    /* 22 wrong type */ Error(&["invalid type: string \"UTC\", expected a sequence"]),
    /* 23 far future */ Error(&["contact `far`", "outside the supported years"]),
    /* 24 */ Verdict("good-4"),
    /* 25 blank */ Recorded,
    /* 26 */ Error(&["invalid type: null"]),
    /* 27 */ Error(&["expected an event object with a `type`"]),
    /* 28 */ Error(&["invalid type: integer `42`"]),
    /* 29 */ Error(&["invalid type: string \"contact\""]),
    /* 30 BOM */ Error(&["expected value"]),
    /* 31 duplicate key */ Error(&["duplicate field `id`"]),
    /* 32 CRLF */ Verdict("good-5"),
    /* 33 missing field */ Error(&["missing field `channel`"]),
    /* 34 nested enum */ Error(&["unknown variant `cousin`"]),
    /* 35 redeclared */ Error(&["borrower `g2` declared again"]),
    /* 36 after it */ Error(&["borrower `g2` cannot be judged", "(line 35)"]),
    /* 37 too many time zones */ Error(&["borrower `x8` lists 20 time zones"]),
    /* 38 */ Verdict("good-last"),
];

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn check(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_collectguard"));
    cmd.arg("check").args(args);
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("the CLI starts");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        pipe.write_all(input).unwrap();
    }
    child.wait_with_output().unwrap()
}

fn output_lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .expect("output is UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l:?}: {e}")))
        .collect()
}

/// Checks `out` against `want`, line by line.
fn assert_outcomes(out: &Output, want: &[Want]) {
    let got = output_lines(out);
    let mut got = got.iter();
    for (i, w) in want.iter().enumerate() {
        let n = i + 1;
        match w {
            Recorded => {}
            Verdict(id) => {
                let v = got
                    .next()
                    .unwrap_or_else(|| panic!("no output for line {n}"));
                assert_eq!(v["id"], *id, "line {n}: {v}");
                assert!(v.get("error").is_none(), "line {n}: {v}");
                let decision = v["decision"].as_str().unwrap();
                assert!(
                    ["allow", "review", "deny"].contains(&decision),
                    "line {n}: {v}"
                );
                assert!(v["reasons"].is_array(), "line {n}: {v}");
            }
            Error(parts) => {
                let v = got
                    .next()
                    .unwrap_or_else(|| panic!("no output for line {n}"));
                assert_eq!(v["line"], n, "an error line for line {n} expected, got {v}");
                let msg = v["error"].as_str().unwrap();
                for p in *parts {
                    let shown: String = msg.chars().take(300).collect();
                    assert!(msg.contains(p), "line {n}: `{p}` not in {shown:?}");
                }
            }
        }
    }
    let extra: Vec<_> = got.collect();
    assert!(extra.is_empty(), "output beyond the input: {extra:?}");
}

#[test]
fn every_hostile_line_is_answered_and_good_lines_are_judged() {
    let path = data("hostile.jsonl");
    let input = std::fs::read(&path).unwrap();
    let lines = input.split(|&b| b == b'\n').count();
    assert_eq!(lines, HOSTILE.len(), "the table and hostile.jsonl disagree");
    let out = check(
        &[
            "--max-line-bytes",
            "4096",
            "--max-text-bytes",
            "1024",
            path.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_outcomes(&out, HOSTILE);
    // Contacts in = verdicts out + errors out.
    let got = output_lines(&out);
    let verdicts = got.iter().filter(|v| v.get("id").is_some()).count();
    let errors = got.iter().filter(|v| v.get("error").is_some()).count();
    let want_verdicts = HOSTILE.iter().filter(|w| matches!(w, Verdict(_))).count();
    let want_errors = HOSTILE.iter().filter(|w| matches!(w, Error(_))).count();
    assert_eq!((verdicts, errors), (want_verdicts, want_errors));
}

#[test]
fn the_same_input_on_stdin_gives_the_same_output() {
    let input = std::fs::read(data("hostile.jsonl")).unwrap();
    let args = ["--max-line-bytes", "4096", "--max-text-bytes", "1024"];
    let from_file = check(
        &[&args[..], &[data("hostile.jsonl").to_str().unwrap()]].concat(),
        None,
    );
    let from_stdin = check(&args, Some(&input));
    assert_eq!(from_stdin.status.code(), Some(2));
    assert_eq!(from_file.stdout, from_stdin.stdout);
}

#[test]
fn default_limits_turn_a_huge_line_into_an_error_line() {
    // Over the default 1 MiB line limit, then a good line: the reader skips the rest of the
    // long line without buffering it and goes on.
    let mut input = Vec::new();
    input.extend_from_slice(
        br#"{"type":"borrower","id":"b","time_zones":["Australia/Sydney"],"packs":["au"]}"#,
    );
    input.push(b'\n');
    input.extend_from_slice(br#"{"type":"contact","id":"huge","borrower":"b","at":"2026-03-02T01:00:00Z","channel":"sms","text":""#);
    input.extend(std::iter::repeat_n(b'x', 3 << 20));
    input.extend_from_slice(b"\"}\n");
    input.extend_from_slice(br#"{"type":"contact","id":"small","borrower":"b","at":"2026-03-02T01:00:00Z","channel":"sms","text":"hello"}"#);
    input.push(b'\n');
    // Under the line limit but over the default 64 KiB text limit.
    input.extend_from_slice(br#"{"type":"contact","id":"wordy","borrower":"b","at":"2026-03-02T01:00:00Z","channel":"sms","text":""#);
    input.extend(std::iter::repeat_n(b'y', 100 << 10));
    input.extend_from_slice(b"\"}\n");
    // A time-zone name just under the line limit: no "did you mean" search over every zone
    // for it (the edit distance would cost its length times every zone name's).
    input.extend_from_slice(br#"{"type":"borrower","id":"z","time_zones":[""#);
    input.extend(std::iter::repeat_n(b'Z', 1000 << 10));
    input.extend_from_slice(b"\"]}\n");
    let started = std::time::Instant::now();
    let out = check(&[], Some(&input));
    assert!(
        started.elapsed().as_secs() < 20,
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(2));
    assert_outcomes(
        &out,
        &[
            Recorded,
            Error(&["longer than the limit of 1048576 bytes"]),
            Verdict("small"),
            Error(&[
                "text of contact `wordy` has 102400 bytes",
                "limit of 65536 bytes",
            ]),
            Error(&["unknown time zone `ZZZZ"]),
        ],
    );
}

#[test]
fn a_broken_rule_folder_is_exit_code_2_with_file_and_line() {
    let dir = std::env::temp_dir().join(format!("collectguard-hostile-{}", std::process::id()));
    let pack = dir.join("bad");
    std::fs::create_dir_all(&pack).unwrap();
    std::fs::write(
        pack.join("pack.toml"),
        "[pack]\nid = \"bad\"\nname = \"B\"\njurisdiction = \"X\"\n",
    )
    .unwrap();
    std::fs::write(
        pack.join("rules.toml"),
        "[[rule]]\nid = \"bad.x\"\nkind = \"teleport\"\n",
    )
    .unwrap();
    let out = check(&["--rules", dir.to_str().unwrap()], Some(b""));
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("rules.toml:3:"), "{err}");
    assert!(err.contains("teleport"), "{err}");
    assert!(out.stdout.is_empty());
}
