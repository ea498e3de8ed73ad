//! Reading templates: single files (`.txt`, `.md`) with optional front matter, and
//! catalogues (`.toml`, `.json`) holding many. Each template comes out with its channel,
//! audience and packs, its message text, a map from that text back to the file, and its
//! suppressions.

use std::ops::Range;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::source::SourceMap;
use super::strings::{json_spans, json_string, toml_string, Step};
use super::suppress::{self, Cover, Suppression};
use crate::model::{Channel, Party, Purpose, Relation};
use crate::pack::{closest, did_you_mean};

/// What kind of file a path is, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SourceKind {
    Text,
    Markdown,
    Toml,
    Json,
}

impl SourceKind {
    pub fn of(path: &str) -> Option<SourceKind> {
        let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
        match ext.as_str() {
            "txt" => Some(SourceKind::Text),
            "md" | "markdown" => Some(SourceKind::Markdown),
            "toml" => Some(SourceKind::Toml),
            "json" => Some(SourceKind::Json),
            _ => None,
        }
    }
}

/// A template problem at a byte offset of its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseError {
    pub offset: usize,
    pub message: String,
}

fn err<T>(offset: usize, message: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError {
        offset,
        message: message.into(),
    })
}

/// Whom a template addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Audience {
    Borrower,
    ThirdParty,
}

const AUDIENCES: &[&str] = &["borrower", "third_party"];
const RELATIONS: &[&str] = &[
    "family",
    "employer",
    "colleague",
    "friend",
    "emergency_contact",
    "neighbor",
    "attorney",
    "other",
];
const PURPOSES: &[&str] = &[
    "collection",
    "opt_out_confirmation",
    "cease_acknowledgement",
    "remedy_notice",
    "location_inquiry",
];
const FRONT_MATTER_KEYS: &[&str] = &[
    "id",
    "description",
    "channel",
    "audience",
    "relation",
    "designated",
    "purpose",
    "packs",
];

/// A template, ready to lint.
#[derive(Debug, Clone)]
pub(crate) struct Template {
    /// Its id: the catalogue's `id`, or the front matter's, or the file name.
    pub id: String,
    pub channel: Channel,
    pub to: Party,
    pub purpose: Purpose,
    /// Packs named by the template (empty: the linter's default packs).
    pub packs: Vec<String>,
    /// The message text (front matter and directive lines removed, escapes decoded).
    pub text: String,
    /// From `text` back to the file.
    pub map: SourceMap,
    /// Where findings without a position point (the first line of text).
    pub anchor: usize,
    /// Where the template's settings are written (for errors about them).
    pub settings_at: usize,
    /// Where its `packs` are named, if they are (for errors about them).
    pub packs_at: Option<usize>,
    pub suppressions: Vec<Suppression>,
}

/// Settings a template may declare; unset ones fall back to the catalogue's, then to the
/// defaults (SMS to the borrower, for collection).
#[derive(Debug, Clone, Default)]
pub(crate) struct Settings {
    id: Option<String>,
    description: Option<String>,
    channel: Option<Channel>,
    audience: Option<Audience>,
    relation: Option<Relation>,
    designated: Option<bool>,
    purpose: Option<Purpose>,
    packs: Option<Vec<String>>,
}

impl Settings {
    fn or(self, base: &Settings) -> Settings {
        Settings {
            id: self.id,
            description: self.description,
            channel: self.channel.or(base.channel),
            audience: self.audience.or(base.audience),
            relation: self.relation.or(base.relation),
            designated: self.designated.or(base.designated),
            purpose: self.purpose.or(base.purpose),
            packs: self.packs.or_else(|| base.packs.clone()),
        }
    }

    /// The addressee; `at` locates errors.
    fn party(&self, at: usize) -> Result<Party, ParseError> {
        match self.audience.unwrap_or(Audience::Borrower) {
            Audience::Borrower => {
                if self.relation.is_some() || self.designated.is_some() {
                    return err(at, "`relation` and `designated` describe a third party: add `audience: third_party`");
                }
                Ok(Party::Borrower)
            }
            Audience::ThirdParty => Ok(Party::ThirdParty {
                relation: self.relation.unwrap_or(Relation::Other),
                designated: self.designated.unwrap_or(false),
            }),
        }
    }

    fn template(
        &self,
        fallback_id: String,
        at: usize,
        text: String,
        map: SourceMap,
        anchor: usize,
        suppressions: Vec<Suppression>,
    ) -> Result<Template, ParseError> {
        let _ = &self.description;
        Ok(Template {
            id: self.id.clone().unwrap_or(fallback_id),
            channel: self.channel.unwrap_or(Channel::Sms),
            to: self.party(at)?,
            purpose: self.purpose.unwrap_or(Purpose::Collection),
            packs: self.packs.clone().unwrap_or_default(),
            text,
            map,
            anchor,
            settings_at: at,
            packs_at: None,
            suppressions,
        })
    }
}

/// Parses a source into its templates. `name` is the file name (the id of a file template
/// without one).
pub(crate) fn parse(name: &str, src: &str, kind: SourceKind) -> Result<Vec<Template>, ParseError> {
    match kind {
        SourceKind::Text | SourceKind::Markdown => parse_file(name, src).map(|t| vec![t]),
        SourceKind::Toml => parse_toml(src),
        SourceKind::Json => parse_json(src),
    }
}

/// Lines with their byte offsets, line breaks included.
fn lines_from(src: &str, from: usize) -> impl Iterator<Item = (usize, &str)> {
    src.get(from..)
        .unwrap_or("")
        .split_inclusive('\n')
        .scan(from, |at, line| {
            let here = *at;
            *at += line.len();
            Some((here, line))
        })
}

/// The range of a line's content: leading blanks and the line break left out.
fn content_range(at: usize, line: &str) -> Range<usize> {
    let lead = line.len() - line.trim_start().len();
    let body = line.trim_end();
    at + lead.min(body.len())..at + body.len()
}

fn parse_file(name: &str, src: &str) -> Result<Template, ParseError> {
    let mut pos = if src.starts_with('\u{feff}') { 3 } else { 0 };
    let mut settings = Settings::default();
    let mut suppressions = Vec::new();
    let mut settings_at = pos;
    let mut packs_at = None;
    let first = lines_from(src, pos).next();
    if first.is_some_and(|(_, l)| l.trim_end() == "---") {
        let (open_at, open) = first.unwrap_or((pos, ""));
        settings_at = open_at;
        pos += open.len();
        let mut closed = false;
        let mut list: Option<(String, Vec<String>)> = None;
        for (at, line) in lines_from(src, pos) {
            pos = at + line.len();
            let t = line.trim();
            if t == "---" || t == "..." {
                closed = true;
                break;
            }
            if suppress::is_directive(line) {
                if let Some(s) =
                    suppress::parse_line(line, content_range(at, line), Cover::Template)
                {
                    suppressions.push(s);
                }
                continue;
            }
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let key_at = content_range(at, line).start;
            if let Some(item) = t.strip_prefix('-') {
                match &mut list {
                    Some((_, items)) => items.push(unquote(strip_comment(item.trim())).to_string()),
                    None => {
                        return err(
                            key_at,
                            "a list item (`- ...`) outside a list: only `packs` takes a list",
                        )
                    }
                }
                continue;
            }
            if let Some((k, items)) = list.take() {
                set(&mut settings, &k, Value::List(items), key_at)?;
            }
            let Some((key, value)) = t.split_once(':') else {
                return err(
                    key_at,
                    format!("expected `key: value` in the front matter, found `{t}`"),
                );
            };
            let key = key.trim();
            if key == "packs" {
                packs_at = Some(key_at);
            }
            let value = strip_comment(value.trim());
            if value.is_empty() {
                if key != "packs" {
                    return err(key_at, format!("`{key}` has no value"));
                }
                list = Some((key.to_string(), Vec::new()));
                continue;
            }
            set(&mut settings, key, Value::Scalar(value), key_at)?;
        }
        if let Some((k, items)) = list.take() {
            set(&mut settings, &k, Value::List(items), settings_at)?;
        }
        if !closed {
            return err(
                open_at,
                "the front matter opened by `---` is not closed by a `---` line",
            );
        }
    }
    let body_start = pos;
    let mut text = String::new();
    let mut map = SourceMap::new(body_start);
    let mut pending: Vec<Suppression> = Vec::new();
    let mut anchor = None;
    for (at, line) in lines_from(src, body_start) {
        if suppress::is_directive(line) {
            if let Some(s) = suppress::parse_line(line, content_range(at, line), Cover::Template) {
                if anchor.is_some() {
                    pending.push(s);
                } else {
                    suppressions.push(s);
                }
            }
            continue;
        }
        map.verbatim(text.len(), at, line.len());
        text.push_str(line);
        if !line.trim().is_empty() {
            if anchor.is_none() {
                anchor = Some(content_range(at, line).start);
            }
            for mut s in pending.drain(..) {
                s.cover = Cover::Line(at..at + line.len());
                suppressions.push(s);
            }
        }
    }
    // directives after the last line of text cover the whole template
    suppressions.append(&mut pending);
    let file_id = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let file_id = file_id.rsplit_once('.').map_or(file_id, |(stem, _)| stem);
    let mut t = settings.template(
        file_id.to_string(),
        settings_at,
        text,
        map,
        anchor.unwrap_or(body_start),
        suppressions,
    )?;
    t.packs_at = packs_at;
    Ok(t)
}

enum Value<'a> {
    Scalar(&'a str),
    List(Vec<String>),
}

/// A value without a trailing ` # comment` (unless quoted).
fn strip_comment(v: &str) -> &str {
    if v.starts_with(['"', '\'']) {
        return v;
    }
    match v.find(" #") {
        Some(i) => v.get(..i).unwrap_or(v).trim_end(),
        None => v,
    }
}

fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    v
}

fn parse_enum<T: DeserializeOwned>(
    key: &str,
    v: &str,
    known: &[&str],
    at: usize,
) -> Result<T, ParseError> {
    serde_json::from_value(serde_json::Value::String(v.to_string())).or_else(|_| {
        err(
            at,
            format!(
                "unknown {key} `{v}`{}; expected one of: {}",
                did_you_mean(&closest(v, known.iter().copied())),
                known.join(", ")
            ),
        )
    })
}

fn set(s: &mut Settings, key: &str, value: Value<'_>, at: usize) -> Result<(), ParseError> {
    let scalar = match &value {
        Value::Scalar(v) => Some(unquote(v)),
        Value::List(_) => None,
    };
    fn need<'v>(v: Option<&'v str>, key: &str, at: usize) -> Result<&'v str, ParseError> {
        v.map_or_else(
            || err(at, format!("`{key}` takes one value, not a list")),
            Ok,
        )
    }
    match key {
        "id" => s.id = Some(need(scalar, key, at)?.to_string()),
        "description" => s.description = Some(need(scalar, key, at)?.to_string()),
        "channel" => {
            let names: Vec<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
            s.channel = Some(parse_enum("channel", need(scalar, key, at)?, &names, at)?);
        }
        "audience" => {
            s.audience = Some(parse_enum(
                "audience",
                need(scalar, key, at)?,
                AUDIENCES,
                at,
            )?)
        }
        "relation" => {
            s.relation = Some(parse_enum(
                "relation",
                need(scalar, key, at)?,
                RELATIONS,
                at,
            )?)
        }
        "purpose" => s.purpose = Some(parse_enum("purpose", need(scalar, key, at)?, PURPOSES, at)?),
        "designated" => {
            s.designated = Some(match need(scalar, key, at)? {
                "true" | "yes" => true,
                "false" | "no" => false,
                other => {
                    return err(
                        at,
                        format!("`designated` is `true` or `false`, not `{other}`"),
                    )
                }
            });
        }
        "packs" => {
            let items = match value {
                Value::List(items) => items,
                Value::Scalar(v) => {
                    let v = v.trim();
                    let v = v
                        .strip_prefix('[')
                        .and_then(|r| r.strip_suffix(']'))
                        .unwrap_or(v);
                    v.split(',')
                        .map(|p| unquote(p.trim()).to_string())
                        .filter(|p| !p.is_empty())
                        .collect()
                }
            };
            s.packs = Some(items);
        }
        other => {
            return err(
                at,
                format!(
                    "unknown front-matter key `{other}`{}; known keys: {}",
                    did_you_mean(&closest(other, FRONT_MATTER_KEYS.iter().copied())),
                    FRONT_MATTER_KEYS.join(", ")
                ),
            )
        }
    }
    Ok(())
}

/// `{ rule = "...", reason = "..." }` in a catalogue.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SuppressDef {
    rule: String,
    #[serde(default)]
    reason: Option<String>,
}

impl SuppressDef {
    fn into_suppression(self, at: Range<usize>) -> Suppression {
        let problem = match &self.reason {
            None => Some("a suppression needs a reason: add `reason = \"...\"`".to_string()),
            Some(r) if r.trim().is_empty() => {
                Some("the reason of a suppression is empty".to_string())
            }
            Some(_) => None,
        };
        Suppression {
            rules: vec![self.rule],
            reason: self.reason.map(|r| r.trim().to_string()),
            at,
            cover: Cover::Template,
            problem,
        }
    }
}

/// A catalogue struct: `$head` fields, then the settings from `description` to `packs` (in
/// this order, which serde's "expected one of" errors list), then `$tail` fields; and
/// `settings(id)`, the [`Settings`] it writes.
macro_rules! with_settings {
    (struct $name:ident { $($head:tt)* } { $($tail:tt)* }) => {
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        struct $name {
            $($head)*
            #[serde(default)]
            description: Option<String>,
            #[serde(default)]
            channel: Option<Channel>,
            #[serde(default)]
            audience: Option<Audience>,
            #[serde(default)]
            relation: Option<Relation>,
            #[serde(default)]
            designated: Option<bool>,
            #[serde(default)]
            purpose: Option<Purpose>,
            #[serde(default)]
            packs: Option<Vec<String>>,
            $($tail)*
        }

        impl $name {
            fn settings(&self, id: Option<String>) -> Settings {
                Settings {
                    id,
                    description: self.description.clone(),
                    channel: self.channel,
                    audience: self.audience,
                    relation: self.relation,
                    designated: self.designated,
                    purpose: self.purpose,
                    packs: self.packs.clone(),
                }
            }
        }
    };
}

macro_rules! catalogue_defs {
    ($cat:ident, $tpl:ident, $wrap:ident) => {
        with_settings!(struct $cat {} {
            #[serde(alias = "templates")]
            template: Vec<$wrap<$tpl>>,
        });

        with_settings!(struct $tpl {
            #[serde(default)]
            id: Option<String>,
        } {
            text: $wrap<String>,
            #[serde(default)]
            suppress: Vec<$wrap<SuppressDef>>,
        });
    };
}

/// A JSON value as is (serde_json keeps no spans; [`json_spans`] finds them).
#[derive(Debug, Deserialize)]
#[serde(transparent)]
struct Plain<T>(T);

use toml::Spanned;

catalogue_defs!(TomlCatalogue, TomlTemplate, Spanned);
catalogue_defs!(JsonCatalogue, JsonTemplate, Plain);

/// A text decoded from a string literal at `at`; if decoding disagrees with the parser
/// (it should not), the whole text maps onto the whole literal.
fn decoded(
    value: &str,
    at: Range<usize>,
    decode: impl Fn(&str, Range<usize>) -> Option<(String, SourceMap)>,
    src: &str,
) -> (String, SourceMap) {
    match decode(src, at.clone()) {
        Some((text, map)) if text == value => (text, map),
        _ => {
            let mut map = SourceMap::new(at.start);
            map.escape(0, value.len(), at.start, at.len());
            (value.to_string(), map)
        }
    }
}

/// A catalogue's templates, once no id is used twice (the error points at the second).
fn check_ids(templates: Vec<Template>) -> Result<Vec<Template>, ParseError> {
    for (i, t) in templates.iter().enumerate() {
        if templates.iter().take(i).any(|other| other.id == t.id) {
            return err(
                t.settings_at,
                format!("template id `{}` is used twice in this catalogue", t.id),
            );
        }
    }
    Ok(templates)
}

fn parse_toml(src: &str) -> Result<Vec<Template>, ParseError> {
    let cat: TomlCatalogue = toml::from_str(src).map_err(|e| ParseError {
        offset: e.span().map_or(0, |s| s.start),
        message: e.message().trim().to_string(),
    })?;
    let base = cat.settings(None);
    let mut out = Vec::with_capacity(cat.template.len());
    for (n, t) in cat.template.iter().enumerate() {
        let at = t.span().start;
        let t = t.get_ref();
        let settings = t.settings(t.id.clone()).or(&base);
        let text_at = t.text.span();
        let (text, map) = decoded(t.text.get_ref(), text_at.clone(), toml_string, src);
        let sups = t
            .suppress
            .iter()
            .map(|s| s.get_ref().clone().into_suppression(s.span()))
            .collect();
        let tpl = settings.template(
            format!("template {}", n + 1),
            at,
            text,
            map,
            text_at.start,
            sups,
        )?;
        out.push(tpl);
    }
    check_ids(out)
}

fn parse_json(src: &str) -> Result<Vec<Template>, ParseError> {
    let cat: JsonCatalogue = serde_json::from_str(src).map_err(|e| {
        let idx = super::source::LineIndex::new(src);
        let message = e.to_string();
        let message = match message.rfind(" at line ") {
            Some(i) => message.get(..i).unwrap_or(&message).to_string(),
            None => message,
        };
        ParseError {
            offset: idx.offset_of(src, e.line().max(1), e.column().max(1)),
            message,
        }
    })?;
    let spans = json_spans(src).unwrap_or_default();
    let key = if spans
        .iter()
        .any(|(p, _)| p.first() == Some(&Step::Key("templates".into())))
    {
        "templates"
    } else {
        "template"
    };
    let find = |path: &[Step]| {
        spans
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, r)| r.clone())
    };
    let base = cat.settings(None);
    let mut out = Vec::with_capacity(cat.template.len());
    for (n, t) in cat.template.into_iter().enumerate() {
        let t = t.0;
        let mut path = vec![Step::Key(key.into()), Step::Index(n)];
        let at = find(&path).map_or(0, |r| r.start);
        path.push(Step::Key("text".into()));
        let text_at = find(&path).unwrap_or(at..at);
        path.pop();
        let settings = t.settings(t.id.clone()).or(&base);
        let (text, map) = decoded(&t.text.0, text_at.clone(), json_string, src);
        let sups = t
            .suppress
            .into_iter()
            .enumerate()
            .map(|(j, s)| {
                let mut p = path.clone();
                p.push(Step::Key("suppress".into()));
                p.push(Step::Index(j));
                s.0.into_suppression(find(&p).unwrap_or(at..at))
            })
            .collect();
        let tpl = settings.template(
            format!("template {}", n + 1),
            at,
            text,
            map,
            text_at.start,
            sups,
        )?;
        out.push(tpl);
    }
    check_ids(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_with_front_matter_and_directives() {
        let src = "---\nchannel: email\naudience: third_party\nrelation: family # a note\npacks:\n  - cn\n  - us\n# collectguard: allow a.b reason=\"top\"\n---\n<!-- collectguard: allow c.d reason=\"also top\" -->\n\nHello {{name}},\n# collectguard: allow e.f reason=\"next line\"\n\nline two\nlast\n// collectguard: allow g.h reason=\"bottom\"\n";
        let t = parse_file("dir/x.md", src).unwrap();
        assert_eq!(t.id, "x");
        assert_eq!(t.channel, Channel::Email);
        assert_eq!(
            t.to,
            Party::ThirdParty {
                relation: Relation::Family,
                designated: false
            }
        );
        assert_eq!(t.packs, ["cn", "us"]);
        assert_eq!(t.text, "\nHello {{name}},\n\nline two\nlast\n");
        // text maps back to the file
        let i = t.text.find("line two").unwrap();
        assert_eq!(&src[t.map.start(i)..t.map.end(i + 8)], "line two");
        assert_eq!(&src[t.anchor..t.anchor + 5], "Hello");
        let covers: Vec<_> = t
            .suppressions
            .iter()
            .map(|s| {
                (
                    s.rules[0].as_str(),
                    match &s.cover {
                        Cover::Template => "template".to_string(),
                        Cover::Line(r) => src[r.clone()].to_string(),
                    },
                )
            })
            .collect();
        assert_eq!(
            covers,
            [
                ("a.b", "template".to_string()),
                ("c.d", "template".to_string()),
                ("e.f", "line two\n".to_string()),
                ("g.h", "template".to_string())
            ]
        );
        assert_eq!(
            &src[t.suppressions[0].at.clone()],
            "# collectguard: allow a.b reason=\"top\""
        );
    }

    #[test]
    fn defaults_and_errors() {
        let t = parse_file("a.txt", "请还款").unwrap();
        assert_eq!(
            (t.channel, t.to, t.purpose),
            (Channel::Sms, Party::Borrower, Purpose::Collection)
        );
        let e = parse_file("a.txt", "---\nchanel: sms\n---\nx").unwrap_err();
        assert_eq!(e.offset, 4);
        assert!(
            e.message.contains("did you mean `channel`"),
            "{}",
            e.message
        );
        let e = parse_file("a.txt", "---\nchannel: smss\n---\nx").unwrap_err();
        assert!(
            e.message
                .contains("unknown channel `smss` (did you mean `sms`?)"),
            "{}",
            e.message
        );
        let e = parse_file("a.txt", "---\nchannel: sms\n").unwrap_err();
        assert!(e.message.contains("not closed"), "{}", e.message);
        let e = parse_file("a.txt", "---\nrelation: family\n---\nx").unwrap_err();
        assert!(e.message.contains("audience: third_party"), "{}", e.message);
        let t = parse_file(
            "a.txt",
            "---\npacks: [cn, \"us\"]\naudience: third_party\ndesignated: true\n---\nx",
        )
        .unwrap();
        assert_eq!(t.packs, ["cn", "us"]);
        assert_eq!(
            t.to,
            Party::ThirdParty {
                relation: Relation::Other,
                designated: true
            }
        );
    }

    #[test]
    fn toml_catalogue() {
        let src = "packs = [\"cn\"]\nchannel = \"im\"\n\n[[template]]\nid = \"a\"\ntext = \"您好\\u50ac收{{name}}\"\nsuppress = [{ rule = \"x.y\", reason = \"ok\" }, { rule = \"z\" }]\n\n[[template]]\nid = \"b\"\nchannel = \"sms\"\naudience = \"third_party\"\ntext = '''\n第二条'''\n";
        let ts = parse_toml(src).unwrap();
        assert_eq!(ts.len(), 2);
        assert_eq!((ts[0].id.as_str(), ts[0].channel), ("a", Channel::Im));
        assert_eq!(ts[0].packs, ["cn"]);
        assert_eq!(ts[0].text, "您好催收{{name}}");
        let i = ts[0].text.find('催').unwrap();
        assert_eq!(&src[ts[0].map.start(i)..ts[0].map.end(i + 3)], "\\u50ac");
        let i = ts[0].text.find("{{").unwrap();
        assert_eq!(
            &src[ts[0].map.start(i)..ts[0].map.end(ts[0].text.len())],
            "{{name}}"
        );
        assert_eq!(ts[0].suppressions.len(), 2);
        assert_eq!(
            &src[ts[0].suppressions[0].at.clone()],
            "{ rule = \"x.y\", reason = \"ok\" }"
        );
        assert!(ts[0].suppressions[1].problem.is_some());
        assert_eq!(ts[1].channel, Channel::Sms);
        assert_eq!(ts[1].text, "第二条");
        assert_eq!(
            &src[ts[1].map.start(0)..ts[1].map.end(ts[1].text.len())],
            "第二条"
        );
        let e = parse_toml("[[template]]\ntext = \"x\"\nchanel = \"sms\"\n").unwrap_err();
        assert!(e.message.contains("chanel"), "{}", e.message);
        assert_eq!(e.offset, src_offset("[[template]]\ntext = \"x\"\n"));
        let e = parse_toml(
            "[[template]]\nid = \"a\"\ntext = \"x\"\n[[template]]\nid = \"a\"\ntext = \"y\"\n",
        )
        .unwrap_err();
        assert!(e.message.contains("used twice"), "{}", e.message);
    }

    fn src_offset(prefix: &str) -> usize {
        prefix.len()
    }

    #[test]
    fn json_catalogue() {
        let src = "{\"audience\": \"third_party\", \"relation\": \"friend\",\n \"templates\": [\n  {\"id\": \"a\", \"text\": \"\\u8bf7\\u8f6c\\u544a{{name}}\", \"suppress\": [{\"rule\": \"x\", \"reason\": \"r\"}]}\n ]}";
        let ts = parse_json(src).unwrap();
        assert_eq!(ts.len(), 1);
        assert_eq!(ts[0].text, "请转告{{name}}");
        assert_eq!(
            ts[0].to,
            Party::ThirdParty {
                relation: Relation::Friend,
                designated: false
            }
        );
        let i = ts[0].text.find("{{").unwrap();
        assert_eq!(
            &src[ts[0].map.start(i)..ts[0].map.end(ts[0].text.len())],
            "{{name}}"
        );
        assert_eq!(&src[ts[0].map.start(0)..ts[0].map.end(3)], "\\u8bf7");
        assert_eq!(
            &src[ts[0].suppressions[0].at.clone()],
            "{\"rule\": \"x\", \"reason\": \"r\"}"
        );
        let e = parse_json("{\"template\": [{\"text\": \"x\", \"chanel\": 1}]}").unwrap_err();
        assert!(
            e.message.starts_with("unknown field `chanel`"),
            "{}",
            e.message
        );
        assert!(e.offset > 20, "{}", e.offset);
    }
}
