//! Inline suppressions: `collectguard: allow RULE_ID reason="..."` on a comment line of a
//! template file (`# ...`, `// ...`, `<!-- ... -->`), or a `suppress` entry of a catalogue
//! template. A suppression without a reason does not suppress: it is a finding itself.

use std::ops::Range;

/// What a suppression covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cover {
    /// Every finding of the template, with or without a position.
    Template,
    /// Findings that start in this byte range of the source (one line of text).
    Line(Range<usize>),
}

/// One suppression, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Suppression {
    /// The rule ids it names.
    pub rules: Vec<String>,
    /// Why the finding is acceptable; `None` or blank makes the suppression invalid.
    pub reason: Option<String>,
    /// Where it is written in the source (bytes).
    pub at: Range<usize>,
    /// What it covers.
    pub cover: Cover,
    /// A syntax problem, if any (then it suppresses nothing).
    pub problem: Option<String>,
}

/// A comment line's content, if the line is a comment: `# x`, `// x`, `<!-- x -->`.
fn comment_body(line: &str) -> Option<&str> {
    let t = line.trim();
    if let Some(rest) = t.strip_prefix("<!--") {
        return Some(rest.strip_suffix("-->").unwrap_or(rest).trim());
    }
    if let Some(rest) = t.strip_prefix("//") {
        return Some(rest.trim());
    }
    if let Some(rest) = t.strip_prefix('#') {
        return Some(rest.trim());
    }
    None
}

/// Whether a line is a `collectguard:` directive line (a comment, or the bare directive).
pub(crate) fn is_directive(line: &str) -> bool {
    directive(line).is_some()
}

fn directive(line: &str) -> Option<&str> {
    let body = comment_body(line).unwrap_or_else(|| line.trim());
    let head = body.get(..13)?;
    if head.eq_ignore_ascii_case("collectguard:") {
        body.get(13..)
    } else {
        None
    }
}

/// Parses a directive line (see [`is_directive`]); `at` is where the line is in the source.
pub(crate) fn parse_line(line: &str, at: Range<usize>, cover: Cover) -> Option<Suppression> {
    let rest = directive(line)?.trim();
    let mut s = Suppression {
        rules: Vec::new(),
        reason: None,
        at,
        cover,
        problem: None,
    };
    let (word, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    if word != "allow" {
        s.problem = Some(format!(
            "unknown directive `{word}`: write `collectguard: allow RULE_ID reason=\"...\"`"
        ));
        return Some(s);
    }
    let (ids, reason) = match args.find("reason=") {
        Some(i) => (
            args.get(..i).unwrap_or(""),
            Some(args.get(i + 7..).unwrap_or("")),
        ),
        None => (args, None),
    };
    s.rules = ids
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect();
    if s.rules.is_empty() {
        s.problem = Some(
            "a suppression names the rule it allows: `collectguard: allow RULE_ID reason=\"...\"`"
                .into(),
        );
        return Some(s);
    }
    match reason {
        None => {
            s.problem = Some("a suppression needs a reason: add `reason=\"...\"`".into());
        }
        Some(r) => match quoted(r.trim()) {
            Some(text) if !text.trim().is_empty() => s.reason = Some(text.trim().to_string()),
            Some(_) => s.problem = Some("the reason of a suppression is empty".into()),
            None => {
                s.problem = Some("the reason of a suppression is quoted: `reason=\"...\"`".into())
            }
        },
    }
    Some(s)
}

/// The text between matching quotes (`"..."`, `'...'`, `“...”`) at the start of `s`.
fn quoted(s: &str) -> Option<&str> {
    let mut chars = s.chars();
    let open = chars.next()?;
    let close = match open {
        '"' => '"',
        '\'' => '\'',
        '“' => '”',
        _ => return None,
    };
    let inner = s.get(open.len_utf8()..)?;
    let end = inner.find(close)?;
    inner.get(..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(line: &str) -> Option<Suppression> {
        parse_line(line, 0..line.len(), Cover::Template)
    }

    #[test]
    fn comment_forms() {
        for line in [
            "# collectguard: allow a.b reason=\"ok\"",
            "// collectguard: allow a.b reason=\"ok\"",
            "<!-- collectguard: allow a.b reason=\"ok\" -->",
            "  collectguard: allow a.b reason='ok'",
            "# CollectGuard: allow a.b reason=“ok”",
        ] {
            let s = p(line).unwrap();
            assert_eq!(s.rules, ["a.b"], "{line}");
            assert_eq!(s.reason.as_deref(), Some("ok"), "{line}");
            assert_eq!(s.problem, None, "{line}");
        }
        assert!(p("# just a heading").is_none());
        assert!(p("您好 collectguard: allow x").is_none());
    }

    #[test]
    fn several_rules_and_problems() {
        let s = p("# collectguard: allow a.b, c.d reason=\"两者都已审核\"").unwrap();
        assert_eq!(s.rules, ["a.b", "c.d"]);
        assert_eq!(s.reason.as_deref(), Some("两者都已审核"));
        assert!(p("# collectguard: allow a.b")
            .unwrap()
            .problem
            .unwrap()
            .contains("needs a reason"));
        assert!(p("# collectguard: allow a.b reason=\"  \"")
            .unwrap()
            .problem
            .unwrap()
            .contains("empty"));
        assert!(p("# collectguard: allow a.b reason=ok")
            .unwrap()
            .problem
            .unwrap()
            .contains("quoted"));
        assert!(p("# collectguard: allow reason=\"x\"")
            .unwrap()
            .problem
            .unwrap()
            .contains("names the rule"));
        assert!(p("# collectguard: alow a.b reason=\"x\"")
            .unwrap()
            .problem
            .unwrap()
            .contains("unknown directive `alow`"));
    }
}
