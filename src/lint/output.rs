//! Rendering a lint report: for people (as rustc and ruff print), JSON, SARIF 2.1.0 and
//! GitHub Actions annotations.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde_json::{json, Value};

use super::{lint_rule, Finding, LintError, Linter, Report};
use crate::verdict::Severity;

/// Columns a character takes in a terminal: 2 for East Asian wide and emoji, 0 for
/// combining marks, 4 for a tab (rendered as four spaces).
fn width(c: char) -> usize {
    match c as u32 {
        0x09 => 4,
        0x00..=0x1F | 0x7F => 0,
        0x0300..=0x036F | 0x200B..=0x200F | 0xFE00..=0xFE0F => 0,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

fn str_width(s: &str) -> usize {
    s.chars().map(width).sum()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn summary(report: &Report) -> String {
    let findings: Vec<&Finding> = report.findings().collect();
    let deny = findings
        .iter()
        .filter(|f| f.severity == Severity::Deny)
        .count();
    let review = findings.len() - deny;
    let suppressed: usize = report.sources.iter().map(|s| s.suppressed.len()).sum();
    let scope = format!(
        "{} ({})",
        plural(report.templates(), "template", "templates"),
        plural(report.sources.len(), "file", "files")
    );
    let mut s = if findings.is_empty() {
        format!("no findings in {scope}")
    } else {
        format!(
            "{} ({deny} deny, {review} review) in {scope}",
            plural(findings.len(), "finding", "findings")
        )
    };
    if suppressed > 0 {
        let _ = write!(s, "; {suppressed} suppressed");
    }
    if !report.errors.is_empty() {
        let _ = write!(
            s,
            "; {} could not be linted",
            plural(report.errors.len(), "file", "files")
        );
    }
    s
}

/// `file:line:col`, the line with a caret under the span, the rule, message and citation.
pub(crate) fn human(report: &Report) -> String {
    let mut out = String::new();
    for src in &report.sources {
        for f in &src.findings {
            let _ = writeln!(out, "{}[{}]: {}", f.severity.as_str(), f.rule, f.message);
            let gutter = f.start.line.to_string().len();
            let pad = " ".repeat(gutter);
            let _ = writeln!(
                out,
                "{pad}--> {}:{}:{}",
                f.path, f.start.line, f.start.column
            );
            if let Some(span) = f.span {
                let line = src.lines.line_text(&src.source, f.start.line);
                let line_start = src.lines.line_start(f.start.line).unwrap_or(0);
                let before = src
                    .source
                    .get(line_start..span.start.max(line_start))
                    .unwrap_or("");
                let line_end = line_start + line.len();
                let under = src
                    .source
                    .get(span.start..span.end.min(line_end).max(span.start))
                    .unwrap_or("");
                let shown = line.replace('\t', "    ");
                let _ = writeln!(out, "{pad} |");
                let _ = writeln!(out, "{} | {}", f.start.line, shown.trim_end());
                let carets = "^".repeat(str_width(under).max(1));
                let _ = writeln!(out, "{pad} | {}{carets}", " ".repeat(str_width(before)));
            }
            let _ = writeln!(out, "{pad} = citation: {}", f.citation);
            if let Some(zh) = &f.message_zh {
                let _ = writeln!(out, "{pad} = 说明: {zh}");
            }
            out.push('\n');
        }
    }
    for e in &report.errors {
        let _ = writeln!(out, "error: {e}");
    }
    let _ = writeln!(out, "{}", summary(report));
    out
}

fn error_json(e: &LintError) -> Value {
    let (line, column) = e
        .position()
        .map_or((None, None), |(l, c)| (Some(l), Some(c)));
    json!({"path": e.path(), "line": line, "column": column, "message": e.message()})
}

/// One JSON document: findings, suppressed findings, errors and a summary.
pub(crate) fn json(report: &Report) -> String {
    let findings: Vec<&Finding> = report.findings().collect();
    let suppressed: Vec<_> = report
        .sources
        .iter()
        .flat_map(|s| s.suppressed.iter())
        .collect();
    let deny = findings
        .iter()
        .filter(|f| f.severity == Severity::Deny)
        .count();
    let doc = json!({
        "version": env!("CARGO_PKG_VERSION"),
        "decision": report.decision(),
        "findings": findings,
        "suppressed": suppressed,
        "errors": report.errors.iter().map(error_json).collect::<Vec<_>>(),
        "summary": {
            "files": report.sources.len(),
            "templates": report.templates(),
            "findings": findings.len(),
            "deny": deny,
            "review": findings.len() - deny,
            "suppressed": suppressed.len(),
            "errors": report.errors.len(),
        },
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// A path as a URI reference: relative paths stay relative (code scanning resolves them
/// against the repository root), absolute ones become `file://` URIs; anything outside
/// the unreserved set is percent-encoded.
pub(crate) fn uri(path: &str) -> String {
    let mut out = String::new();
    let absolute = path.starts_with('/') || path.get(1..3) == Some(":/");
    if absolute {
        out.push_str("file://");
        if !path.starts_with('/') {
            out.push('/');
        }
    }
    let path = path.strip_prefix("./").unwrap_or(path);
    for b in path.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/')
            || (absolute && b == b':')
        {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Deny => "error",
        Severity::Review => "warning",
    }
}

/// SARIF 2.1.0 with the rules the results use; columns in UTF-16 code units.
pub(crate) fn sarif(linter: &Linter, report: &Report) -> String {
    let suppressed: Vec<_> = report
        .sources
        .iter()
        .flat_map(|s| s.suppressed.iter())
        .collect();
    let ids: BTreeSet<&str> = report
        .findings()
        .map(|f| f.rule.as_str())
        .chain(suppressed.iter().map(|s| s.finding.rule.as_str()))
        .collect();
    let ids: Vec<&str> = ids.into_iter().collect();
    let rules: Vec<Value> = ids.iter().map(|id| rule_descriptor(linter, id)).collect();
    let result = |f: &Finding, suppression: Option<&str>| {
        let snippet = report
            .sources
            .iter()
            .find(|s| s.path == f.path)
            .and_then(|s| f.span.and_then(|sp| s.source.get(sp.start..sp.end)))
            .map(str::to_string);
        let mut region = json!({
            "startLine": f.start.line,
            "startColumn": f.start.column_utf16,
            "endLine": f.end.line,
            "endColumn": f.end.column_utf16,
        });
        if let (Some(text), Some(obj)) = (snippet, region.as_object_mut()) {
            obj.insert("snippet".into(), json!({ "text": text }));
        }
        let mut properties = json!({
            "template": f.template,
            "category": f.category,
            "citation": f.citation,
        });
        if let (Some(p), Some(obj)) = (&f.placeholder, properties.as_object_mut()) {
            obj.insert("placeholder".into(), json!(p));
        }
        let mut r = json!({
            "ruleId": f.rule,
            "ruleIndex": ids.iter().position(|id| *id == f.rule),
            "level": level(f.severity),
            "message": { "text": format!("{} [{}]", f.message, f.citation) },
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": { "uri": uri(&f.path) },
                    "region": region,
                }
            }],
            "properties": properties,
        });
        if let (Some(reason), Some(obj)) = (suppression, r.as_object_mut()) {
            obj.insert(
                "suppressions".into(),
                json!([{ "kind": "inSource", "justification": reason }]),
            );
        }
        r
    };
    let mut results: Vec<Value> = report.findings().map(|f| result(f, None)).collect();
    results.extend(
        suppressed
            .iter()
            .map(|s| result(&s.finding, Some(&s.reason))),
    );
    let notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|e| {
            let mut n = json!({ "level": "error", "message": { "text": e.message() } });
            if let (Some(path), Some(obj)) = (e.path(), n.as_object_mut()) {
                let mut loc = json!({ "artifactLocation": { "uri": uri(path) } });
                if let (Some((line, column)), Some(l)) = (e.position(), loc.as_object_mut()) {
                    l.insert(
                        "region".into(),
                        json!({ "startLine": line, "startColumn": column }),
                    );
                }
                obj.insert("locations".into(), json!([{ "physicalLocation": loc }]));
            }
            n
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "collectguard",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://crates.io/crates/collectguard",
                    "rules": rules,
                }
            },
            "columnKind": "utf16CodeUnits",
            "invocations": [{
                "executionSuccessful": report.errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }]
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

fn first_sentence(s: &str) -> String {
    let s = s.trim().replace('\n', " ");
    match s.find(". ") {
        Some(i) => s.get(..i).unwrap_or(&s).to_string(),
        None => s.trim_end_matches('.').to_string(),
    }
}

fn rule_descriptor(linter: &Linter, id: &str) -> Value {
    if let Some(r) = lint_rule(id) {
        let help = r.explain();
        return json!({
            "id": r.id,
            "shortDescription": { "text": r.summary },
            "fullDescription": { "text": r.what.replace('\n', " ") },
            "help": { "text": help, "markdown": help },
            "defaultConfiguration": { "level": level(r.severity) },
            "properties": {
                "category": r.category,
                "citation": r.citation,
                "confidence": r.confidence.as_str(),
                "tags": ["collectguard", "lint"],
            },
        });
    }
    match linter.engine().rule(id) {
        Some(r) => {
            let help = r.explain();
            json!({
                "id": r.id,
                "shortDescription": { "text": first_sentence(&r.what) },
                "fullDescription": { "text": r.what.trim().replace('\n', " ") },
                "help": { "text": help, "markdown": help },
                "defaultConfiguration": { "level": level(r.severity) },
                "properties": {
                    "category": r.category,
                    "citation": r.citation,
                    "confidence": r.confidence.as_str(),
                    "pack": r.pack,
                    "tags": ["collectguard", r.category.as_str()],
                },
            })
        }
        None => json!({ "id": id, "shortDescription": { "text": id } }),
    }
}

/// `%`, CR and LF escaped for an annotation's message; `:` and `,` too for a property.
fn gh_escape(s: &str, property: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

/// GitHub Actions workflow commands: `::error file=...,line=...::message`.
pub(crate) fn github(report: &Report) -> String {
    let mut out = String::new();
    for f in report.findings() {
        let kind = match f.severity {
            Severity::Deny => "error",
            Severity::Review => "warning",
        };
        let _ = writeln!(
            out,
            "::{kind} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            gh_escape(&f.path, true),
            f.start.line,
            f.start.column,
            f.end.line,
            f.end.column,
            gh_escape(&f.rule, true),
            gh_escape(&format!("{} [{}]", f.message, f.citation), false)
        );
    }
    for e in &report.errors {
        let mut props = Vec::new();
        if let Some(p) = e.path() {
            props.push(format!("file={}", gh_escape(p, true)));
        }
        if let Some((line, col)) = e.position() {
            props.push(format!("line={line},col={col}"));
        }
        let props = if props.is_empty() {
            String::new()
        } else {
            format!(" {}", props.join(","))
        };
        let _ = writeln!(out, "::error{props}::{}", gh_escape(&e.message(), false));
    }
    let _ = writeln!(out, "{}", summary(report));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_encoded() {
        assert_eq!(
            uri("templates/催收 1.txt"),
            "templates/%E5%82%AC%E6%94%B6%201.txt"
        );
        assert_eq!(uri("./a/b.md"), "a/b.md");
        assert_eq!(uri("/abs/x y.txt"), "file:///abs/x%20y.txt");
        assert_eq!(uri("C:/t/x.txt"), "file:///C:/t/x.txt");
    }

    #[test]
    fn widths() {
        assert_eq!(str_width("ab"), 2);
        assert_eq!(str_width("催收"), 4);
        assert_eq!(str_width("，"), 2);
        assert_eq!(str_width("😀"), 2);
        assert_eq!(str_width("\t"), 4);
    }

    #[test]
    fn github_escapes() {
        assert_eq!(gh_escape("a,b:c%\n", true), "a%2Cb%3Ac%25%0A");
        assert_eq!(gh_escape("a,b:c", false), "a,b:c");
    }
}
