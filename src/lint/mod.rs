//! `collectguard lint`: message templates checked before any real data is filled in.
//!
//! A template is a `.txt` or `.md` file (with optional front matter) or one entry of a
//! `.toml` or `.json` catalogue. It declares its channel and audience and uses typed
//! placeholders (`{{amount}}`, `{{id_number}}`, ...). The linter fills each placeholder
//! with a valid sample of its type, runs the packs' real text rules over the result
//! ([`Engine::check_message`]), maps every finding back to the template (a finding inside a
//! filled sample points at the placeholder), adds its own `lint.*` findings for what the
//! types alone reveal, and applies the template's suppressions.
//!
//! ```
//! use collectguard::{lint::Linter, Engine, Severity};
//!
//! let linter = Linter::new(Engine::from_pack("cn")?);
//! let template = "---\naudience: third_party\nrelation: family\n---\n请转告{{name}}尽快归还{{amount}}元。\n";
//! let report = linter.lint_source("remind-family.txt", template)?;
//! let finding = report.findings.iter().find(|f| f.placeholder.as_deref() == Some("{{amount}}")).unwrap();
//! assert_eq!(finding.severity, Severity::Deny);
//! assert_eq!((finding.start.line, finding.start.column), (5, 16));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod output;
mod placeholder;
mod rules;
mod source;
mod strings;
mod suppress;
mod template;

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use placeholder::{placeholder_types, PlaceholderClass, PlaceholderType};
pub use rules::{lint_rule, lint_rules, LintExample, LintRule};
pub use source::Position;

use crate::engine::{CheckError, Engine};
use crate::model::Party;
use crate::pack::{closest, did_you_mean};
use crate::verdict::{Category, Decision, Reason, Severity, Span};
use placeholder::Registry;
use source::LineIndex;
use suppress::Cover;
use template::{SourceKind, Template};

/// Linting could not be done for a file (the other files are still linted).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LintError {
    /// A template or catalogue is malformed, or names something unknown.
    #[error("{path}:{line}:{column}: {message}")]
    Template {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column (characters).
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A file or folder could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// A file named on the command line is not a template.
    #[error("{path}: not a template: expected a `.txt` or `.md` template or a `.toml` or `.json` catalogue")]
    NotATemplate {
        /// The file.
        path: String,
    },
    /// A folder holds no template.
    #[error("{path}: no templates found (looked for `.txt`, `.md`, `.toml` and `.json` files)")]
    NoTemplates {
        /// The folder.
        path: String,
    },
    /// A placeholder alias names an unknown type.
    #[error("unknown placeholder type `{ty}`{}; the types are: {}", did_you_mean(.suggestion), .known.join(", "))]
    UnknownType {
        /// The type given.
        ty: String,
        /// The closest known type.
        suggestion: Option<String>,
        /// Every type.
        known: Vec<String>,
    },
}

impl LintError {
    /// The file the error is about, if any.
    pub fn path(&self) -> Option<&str> {
        match self {
            LintError::Template { path, .. }
            | LintError::Io { path, .. }
            | LintError::NotATemplate { path }
            | LintError::NoTemplates { path } => Some(path),
            LintError::UnknownType { .. } => None,
        }
    }

    /// The 1-based line and column the error points at, if any.
    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            LintError::Template { line, column, .. } => Some((*line, *column)),
            _ => None,
        }
    }

    /// The message without the location prefix.
    pub fn message(&self) -> String {
        match self {
            LintError::Template { message, .. } => message.clone(),
            LintError::Io { source, .. } => source.to_string(),
            other => {
                let s = other.to_string();
                match other.path() {
                    Some(p) => s.strip_prefix(&format!("{p}: ")).unwrap_or(&s).to_string(),
                    None => s,
                }
            }
        }
    }
}

/// One finding in a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The file.
    pub path: String,
    /// The template's id (a catalogue entry's `id`, or the file name without extension).
    pub template: String,
    /// The rule's id: a pack rule (`cn.privacy.debt-to-third-party`) or a linter rule (`lint.*`).
    pub rule: String,
    /// What the rule is about; `None` for the linter's suppression rules.
    pub category: Option<Category>,
    /// How serious it is.
    pub severity: Severity,
    /// The regulation behind the rule.
    pub citation: String,
    /// What is wrong (English).
    pub message: String,
    /// The same in Chinese, where the pack gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_zh: Option<String>,
    /// Byte range in the file; `None` for a finding about the template as a whole (a
    /// required disclosure missing), which points at the template's first line of text.
    pub span: Option<Span>,
    /// Where the finding starts.
    pub start: Position,
    /// Where it ends (exclusive).
    pub end: Position,
    /// The words that triggered it (personal data masked); the placeholder as written for
    /// a finding in a placeholder.
    pub evidence: Option<String>,
    /// The placeholder the finding is about, as written (`{{amount}}`).
    pub placeholder: Option<String>,
}

/// A finding a suppression accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppressed {
    /// The finding.
    pub finding: Finding,
    /// The suppression's reason.
    pub reason: String,
    /// Where the suppression is written.
    pub at: Position,
}

/// The findings of one file.
#[derive(Debug, Clone)]
pub struct SourceReport {
    /// The file.
    pub path: String,
    /// How many templates it holds.
    pub templates: usize,
    /// Findings, in file order.
    pub findings: Vec<Finding>,
    /// Findings accepted by a suppression.
    pub suppressed: Vec<Suppressed>,
    source: String,
    lines: LineIndex,
}

impl SourceReport {
    /// The most restrictive severity among the findings.
    pub fn decision(&self) -> Decision {
        self.findings
            .iter()
            .map(|f| f.severity.decision())
            .max()
            .unwrap_or(Decision::Allow)
    }
}

/// The findings of a lint run, and the files that could not be linted.
#[derive(Debug, Default)]
pub struct Report {
    /// One report per file, in path order.
    pub sources: Vec<SourceReport>,
    /// Files that could not be linted.
    pub errors: Vec<LintError>,
}

impl Report {
    /// Every finding.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.sources.iter().flat_map(|s| s.findings.iter())
    }

    /// The most restrictive severity among all findings.
    pub fn decision(&self) -> Decision {
        self.sources
            .iter()
            .map(SourceReport::decision)
            .max()
            .unwrap_or(Decision::Allow)
    }

    /// How many templates were linted.
    pub fn templates(&self) -> usize {
        self.sources.iter().map(|s| s.templates).sum()
    }
}

/// An output format of [`Linter::render`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `file:line:col`, the line with a caret under the span, rule, message, citation.
    Human,
    /// One JSON document.
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Format, String> {
        match s {
            "human" => Ok(Format::Human),
            "json" => Ok(Format::Json),
            "sarif" => Ok(Format::Sarif),
            "github" => Ok(Format::Github),
            other => Err(format!(
                "unknown format `{other}`; expected human, json, sarif or github"
            )),
        }
    }
}

/// Lints templates against an engine's packs.
#[derive(Debug, Clone)]
pub struct Linter {
    engine: Engine,
    registry: Registry,
}

/// A finding before it is placed in the file: spans are in the template's text.
struct Raw {
    rule: String,
    category: Option<Category>,
    severity: Severity,
    citation: String,
    message: String,
    message_zh: Option<String>,
    span: Option<Range<usize>>,
    evidence: Option<String>,
    placeholder: Option<String>,
}

impl Raw {
    fn lint(
        rule: &'static LintRule,
        message: String,
        span: Option<Range<usize>>,
        placeholder: Option<String>,
    ) -> Raw {
        Raw {
            rule: rule.id.to_string(),
            category: rule.category,
            severity: rule.severity,
            citation: rule.citation.to_string(),
            message,
            message_zh: None,
            evidence: placeholder.clone(),
            span,
            placeholder,
        }
    }
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

impl Linter {
    /// A linter over an engine. Templates that name no packs are checked against the
    /// engine's default packs.
    pub fn new(engine: Engine) -> Linter {
        Linter {
            engine,
            registry: Registry::default(),
        }
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Makes `name` another spelling of the placeholder type `ty` (e.g. `nickname` → `name`).
    pub fn placeholder(&mut self, name: &str, ty: &str) -> Result<&mut Linter, LintError> {
        let target = self
            .registry
            .get(&placeholder::normalise(ty))
            .ok_or_else(|| {
                let known: Vec<String> = placeholder_types()
                    .iter()
                    .map(|t| t.name.to_string())
                    .collect();
                LintError::UnknownType {
                    ty: ty.to_string(),
                    suggestion: closest(ty, known.iter().map(String::as_str)),
                    known,
                }
            })?;
        self.registry.add(name, target);
        Ok(self)
    }

    /// Whether a rule id is known (a pack rule or a linter rule).
    fn known_rule(&self, id: &str) -> bool {
        lint_rule(id).is_some() || self.engine.rule(id).is_some()
    }

    fn suggest_rule(&self, id: &str) -> Option<String> {
        let ids: Vec<&str> = self
            .engine
            .rules()
            .map(|r| r.id.as_str())
            .chain(lint_rules().iter().map(|r| r.id))
            .collect();
        closest(id, ids)
    }

    /// Lints a file's content; `path` names it in findings and decides its kind by its
    /// extension (`.txt`, `.md`, `.toml`, `.json`). No I/O.
    pub fn lint_source(&self, path: &str, source: &str) -> Result<SourceReport, LintError> {
        let kind = SourceKind::of(path).ok_or_else(|| LintError::NotATemplate {
            path: path.to_string(),
        })?;
        let lines = LineIndex::new(source);
        let at = |offset: usize, message: String| {
            let p = lines.position(source, offset);
            LintError::Template {
                path: path.to_string(),
                line: p.line,
                column: p.column,
                message,
            }
        };
        let templates = template::parse(path, source, kind).map_err(|e| at(e.offset, e.message))?;
        let mut report = SourceReport {
            path: path.to_string(),
            templates: templates.len(),
            findings: Vec::new(),
            suppressed: Vec::new(),
            source: String::new(),
            lines: lines.clone(),
        };
        for t in &templates {
            self.lint_template(path, source, &lines, t, &mut report)
                .map_err(|(offset, message)| at(offset, message))?;
        }
        report.findings.sort_by(|a, b| {
            (a.start, a.span.map(|s| s.end), &a.rule).cmp(&(
                b.start,
                b.span.map(|s| s.end),
                &b.rule,
            ))
        });
        report.suppressed.sort_by(|a, b| {
            (a.finding.start, &a.finding.rule).cmp(&(b.finding.start, &b.finding.rule))
        });
        report.source = source.to_string();
        Ok(report)
    }

    /// Reads and lints a file.
    pub fn lint_file(&self, path: &Path) -> Result<SourceReport, LintError> {
        let name = display(path);
        if SourceKind::of(&name).is_none() {
            return Err(LintError::NotATemplate { path: name });
        }
        let source = std::fs::read_to_string(path).map_err(|e| LintError::Io {
            path: name.clone(),
            source: e,
        })?;
        self.lint_source(&name, &source)
    }

    /// Lints files and folders (every `.txt`, `.md`, `.toml` and `.json` under a folder,
    /// hidden ones skipped). Problems with one file do not stop the others.
    pub fn lint_paths<P: AsRef<Path>>(&self, paths: &[P]) -> Report {
        let mut report = Report::default();
        let mut files: Vec<PathBuf> = Vec::new();
        for p in paths {
            let p = p.as_ref();
            if p.is_dir() {
                match collect(p) {
                    Ok(found) if found.is_empty() => report
                        .errors
                        .push(LintError::NoTemplates { path: display(p) }),
                    Ok(found) => files.extend(found),
                    Err(e) => report.errors.push(LintError::Io {
                        path: display(p),
                        source: e,
                    }),
                }
            } else {
                files.push(p.to_path_buf());
            }
        }
        files.sort();
        files.dedup();
        for f in files {
            match self.lint_file(&f) {
                Ok(r) => report.sources.push(r),
                Err(e) => report.errors.push(e),
            }
        }
        report
    }

    /// Renders a report.
    pub fn render(&self, report: &Report, format: Format) -> String {
        match format {
            Format::Human => output::human(report),
            Format::Json => output::json(report),
            Format::Sarif => output::sarif(self, report),
            Format::Github => output::github(report),
        }
    }

    /// Every finding of the packs in a filled text, each occurrence: a text rule reports
    /// its first match, so each pass blanks out the matches found (with line breaks, which
    /// no phrase crosses; offsets stay put) and asks again the rules that just fired.
    fn check_all(
        &self,
        packs: &[&str],
        filled: &str,
        t: &Template,
    ) -> Result<Vec<Reason>, CheckError> {
        const MAX_PASSES: usize = 32;
        let mut text = filled.to_string();
        let mut out: Vec<Reason> = Vec::new();
        let mut seen: BTreeSet<(String, Option<Span>)> = BTreeSet::new();
        let mut ask: Option<BTreeSet<String>> = None;
        for _ in 0..MAX_PASSES {
            let verdict = self
                .engine
                .check_message(packs, &text, t.channel, t.to, t.purpose)?;
            let mut fired = BTreeSet::new();
            for r in verdict.reasons {
                if ask.as_ref().is_some_and(|a| !a.contains(&r.rule)) {
                    continue;
                }
                if !seen.insert((r.rule.clone(), r.span)) {
                    continue;
                }
                if let Some(s) = r.span {
                    if s.end > s.start
                        && text.is_char_boundary(s.start)
                        && text.is_char_boundary(s.end)
                    {
                        text.replace_range(s.start..s.end, &"\n".repeat(s.end - s.start));
                        fired.insert(r.rule.clone());
                    }
                }
                out.push(r);
            }
            if fired.is_empty() {
                break;
            }
            ask = Some(fired);
        }
        Ok(out)
    }

    fn lint_template(
        &self,
        path: &str,
        source: &str,
        lines: &LineIndex,
        t: &Template,
        out: &mut SourceReport,
    ) -> Result<(), (usize, String)> {
        let packs: Vec<&str> = t.packs.iter().map(String::as_str).collect();
        if packs.is_empty() && self.engine.default_packs().is_empty() {
            return Err((
                t.settings_at,
                format!(
                    "template `{}` names no pack: give `--pack` or `packs:` in the template",
                    t.id
                ),
            ));
        }
        let occurrences = placeholder::scan(&t.text, &self.registry);
        let chinese = placeholder::is_chinese(&t.text, &occurrences);
        let filled = placeholder::fill(&t.text, &occurrences, chinese);
        let reasons = self
            .check_all(&packs, &filled.text, t)
            .map_err(|e| (t.packs_at.unwrap_or(t.settings_at), e.to_string()))?;
        let mut raw: Vec<Raw> = Vec::new();
        for r in reasons {
            let mut item = Raw {
                rule: r.rule,
                category: Some(r.category),
                severity: r.severity,
                citation: r.citation,
                message: r.message,
                message_zh: r.message_zh,
                span: None,
                evidence: r.evidence,
                placeholder: None,
            };
            if let Some(s) = r.span {
                let m = filled.map(s.start, s.end);
                if let Some(o) = m.inside.and_then(|i| occurrences.get(i)) {
                    // inside a sample, only a privacy finding says something about the
                    // placeholder's type; anything else, and anything inside the stand-in
                    // sample of a plain type, is about the sample: not the template's doing
                    let plain = o.ty.is_some_and(|t| t.class == PlaceholderClass::Plain);
                    if r.category != Category::Privacy || plain {
                        continue;
                    }
                    item.message = format!(
                        "{} (placeholder `{}`, checked with a sample value)",
                        item.message, o.raw
                    );
                    item.evidence = Some(o.raw.clone());
                    item.placeholder = Some(o.raw.clone());
                }
                item.span = Some(m.span);
            }
            raw.push(item);
        }
        // the borrower's attorney acts for the borrower: the debt may be discussed
        // (15 USC 1692c(b)); the packs' own rules decide anything finer
        let third_party = matches!(t.to, Party::ThirdParty { .. }) && !t.to.is_attorney();
        let mut lint_findings = Vec::new();
        for o in &occurrences {
            // A pack's privacy finding over the placeholder already says it, unless it is
            // milder than the linter's would be (a model's `review` quoting the clause).
            let covered = |rule: &LintRule| {
                raw.iter().any(|r| {
                    r.category == Some(Category::Privacy)
                        && r.severity >= rule.severity
                        && r.span.as_ref().is_some_and(|s| overlaps(s, &o.span))
                })
            };
            match o.ty {
                None => {
                    let hint = closest(&o.name, self.registry.names())
                        .map(|s| format!(" (did you mean `{{{{{s}}}}}`?)"))
                        .unwrap_or_default();
                    lint_findings.push(Raw::lint(
                        &rules::UNKNOWN,
                        format!(
                            "unknown placeholder `{}`: its content cannot be checked{hint}",
                            o.raw
                        ),
                        Some(o.span.clone()),
                        Some(o.raw.clone()),
                    ));
                }
                Some(ty) if ty.class == PlaceholderClass::Sensitive && !covered(&rules::PII) => {
                    lint_findings.push(Raw::lint(
                        &rules::PII,
                        format!("`{}` puts {} into the message", o.raw, ty.about),
                        Some(o.span.clone()),
                        Some(o.raw.clone()),
                    ));
                }
                Some(ty)
                    if ty.class == PlaceholderClass::Debt
                        && third_party
                        && !covered(&rules::DEBT) =>
                {
                    let who = t.to.relation().map_or("third_party", |r| r.as_str());
                    lint_findings.push(Raw::lint(
                        &rules::DEBT,
                        format!(
                            "`{}` ({}) discloses the debt to a third party (`{who}`)",
                            o.raw, ty.about
                        ),
                        Some(o.span.clone()),
                        Some(o.raw.clone()),
                    ));
                }
                Some(_) => {}
            }
        }
        raw.extend(lint_findings);

        let place = |r: &Raw| -> (Option<Span>, Position, Position) {
            match &r.span {
                Some(s) => {
                    let a = t.map.start(s.start);
                    let b = if s.end > s.start {
                        t.map.end(s.end).max(a)
                    } else {
                        a
                    };
                    (
                        Some(Span::new(a, b)),
                        lines.position(source, a),
                        lines.position(source, b),
                    )
                }
                None => {
                    let p = lines.position(source, t.anchor);
                    (None, p, p)
                }
            }
        };
        let finding = |r: Raw, span: Option<Span>, start: Position, end: Position| Finding {
            path: path.to_string(),
            template: t.id.clone(),
            rule: r.rule,
            category: r.category,
            severity: r.severity,
            citation: r.citation,
            message: r.message,
            message_zh: r.message_zh,
            span,
            start,
            end,
            evidence: r.evidence,
            placeholder: r.placeholder,
        };

        // suppressions: check them, then apply the valid ones
        let mut checked: Vec<(&suppress::Suppression, Option<String>)> = Vec::new();
        for s in &t.suppressions {
            let mut problem = s.problem.clone();
            if problem.is_none() {
                for id in &s.rules {
                    if id == rules::INVALID_SUPPRESSION || id == rules::UNUSED_SUPPRESSION {
                        problem = Some(format!("`{id}` cannot be suppressed"));
                    } else if !self.known_rule(id) {
                        problem = Some(format!(
                            "unknown rule `{id}`{}; `collectguard rules list` lists them",
                            did_you_mean(&self.suggest_rule(id))
                        ));
                    }
                    if problem.is_some() {
                        break;
                    }
                }
            }
            checked.push((s, problem));
        }
        let mut used: BTreeSet<(usize, String)> = BTreeSet::new();
        for r in raw {
            let (span, start, end) = place(&r);
            let by = checked.iter().enumerate().find(|(_, (s, problem))| {
                problem.is_none()
                    && s.rules.contains(&r.rule)
                    && match &s.cover {
                        Cover::Template => true,
                        Cover::Line(line) => span.is_some_and(|sp| line.contains(&sp.start)),
                    }
            });
            match by {
                Some((i, (s, _))) => {
                    used.insert((i, r.rule.clone()));
                    out.suppressed.push(Suppressed {
                        reason: s.reason.clone().unwrap_or_default(),
                        at: lines.position(source, s.at.start),
                        finding: finding(r, span, start, end),
                    });
                }
                None => out.findings.push(finding(r, span, start, end)),
            }
        }
        for (i, (s, problem)) in checked.iter().enumerate() {
            let span = Span::new(s.at.start, s.at.end);
            let (start, end) = (
                lines.position(source, s.at.start),
                lines.position(source, s.at.end),
            );
            let evidence = source.get(s.at.clone()).map(str::to_string);
            let mut push = |rule: &'static LintRule, message: String| {
                out.findings.push(Finding {
                    path: path.to_string(),
                    template: t.id.clone(),
                    rule: rule.id.to_string(),
                    category: rule.category,
                    severity: rule.severity,
                    citation: rule.citation.to_string(),
                    message,
                    message_zh: None,
                    span: Some(span),
                    start,
                    end,
                    evidence: evidence.clone(),
                    placeholder: None,
                });
            };
            match problem {
                Some(p) => push(&rules::INVALID, p.clone()),
                None => {
                    for id in &s.rules {
                        if !used.contains(&(i, id.clone())) {
                            let scope = match s.cover {
                                Cover::Template => "in this template",
                                Cover::Line(_) => "on the next line",
                            };
                            push(
                                &rules::UNUSED,
                                format!("the suppression of `{id}` suppresses nothing: `{id}` has no finding {scope}"),
                            );
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// A path as shown in findings: as given, with `/` separators.
fn display(p: &Path) -> String {
    p.display().to_string().replace('\\', "/")
}

/// The template files under a folder, sorted; hidden entries skipped.
fn collect(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let p = e?.path();
            let hidden = p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if hidden {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else if SourceKind::of(&p.to_string_lossy()).is_some() {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests;
