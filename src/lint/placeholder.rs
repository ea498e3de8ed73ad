//! Typed placeholders: `{{name}}` in a template, the registry that gives each name a type,
//! and the filling of a template with typed sample values so the real text rules can read
//! it. A finding inside a filled sample maps back to the placeholder.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Serialize;

/// What a placeholder's value means for privacy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceholderClass {
    /// Personal data that must never appear in full in a message (identity or card
    /// numbers): a privacy finding in any template.
    Sensitive,
    /// Facts about the debt or the account (amount, due date, loan number): fine for the
    /// borrower, a privacy finding in a template addressed to a third party.
    Debt,
    /// The borrower's own contact details (phone, e-mail): realistic samples, and the
    /// packs' rules decide what they may not be shown to.
    Personal,
    /// Anything else (names, dates, the collector's own contact details, links). Their
    /// samples are stand-ins: a finding inside one is about the sample, not the template,
    /// and is dropped.
    Plain,
}

/// One type of the placeholder registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PlaceholderType {
    /// Its name, as written in `{{name}}`.
    pub name: &'static str,
    /// What it means for privacy.
    pub class: PlaceholderClass,
    /// What the value is.
    pub about: &'static str,
    /// The sample filled into Chinese templates.
    pub sample_zh: &'static str,
    /// The sample filled into other templates.
    pub sample_en: &'static str,
}

const fn ty(
    name: &'static str,
    class: PlaceholderClass,
    about: &'static str,
    sample_zh: &'static str,
    sample_en: &'static str,
) -> PlaceholderType {
    PlaceholderType {
        name,
        class,
        about,
        sample_zh,
        sample_en,
    }
}

use PlaceholderClass::{Debt, Personal, Plain, Sensitive};

/// The built-in placeholder types. Samples are valid of their kind (the card numbers pass
/// Luhn, the PRC identity number has a correct MOD 11-2 check digit and a plausible birth
/// date) so that the packs' PII detectors recognise them.
static TYPES: &[PlaceholderType] = &[
    ty(
        "name",
        Plain,
        "the addressee's or the borrower's name",
        "张三",
        "Alex Smith",
    ),
    ty(
        "agent",
        Plain,
        "the collector's agent",
        "李经理",
        "Jordan Lee",
    ),
    ty(
        "company",
        Plain,
        "the lender or collection agency",
        "某某有限公司",
        "Acme Lending LLC",
    ),
    ty(
        "hotline",
        Plain,
        "the collector's service number",
        "400-820-8820",
        "1-800-555-0199",
    ),
    ty(
        "phone",
        Personal,
        "the borrower's phone number",
        "13800138000",
        "(212) 555-0100",
    ),
    ty(
        "email",
        Personal,
        "the borrower's e-mail address",
        "borrower@example.com",
        "borrower@example.com",
    ),
    ty(
        "link",
        Plain,
        "a link (payment page, opt-out page)",
        "https://example.com/pay",
        "https://example.com/pay",
    ),
    ty(
        "date",
        Plain,
        "a date that says nothing about the debt",
        "2026年3月1日",
        "March 1, 2026",
    ),
    ty("time", Plain, "a time of day", "14:00", "2:00 p.m."),
    ty(
        "code",
        Plain,
        "a one-time verification code",
        "482913",
        "482913",
    ),
    ty(
        "amount",
        Debt,
        "an amount owed, due or paid",
        "1234.56",
        "1234.56",
    ),
    ty(
        "due_date",
        Debt,
        "the date a payment is due",
        "2026年3月15日",
        "March 15, 2026",
    ),
    ty(
        "overdue_days",
        Debt,
        "how many days the debt is overdue",
        "15",
        "15",
    ),
    ty(
        "loan_id",
        Debt,
        "the loan or contract number",
        "HT20260315001",
        "LN-20260315-001",
    ),
    ty(
        "account_number",
        Debt,
        "the account number at the lender",
        "88421307",
        "88421307",
    ),
    ty(
        "card_last4",
        Debt,
        "the last four digits of the card",
        "0128",
        "1486",
    ),
    ty(
        "card_number",
        Sensitive,
        "a full bank-card number",
        "6222021234567890128",
        "4539578763621486",
    ),
    ty(
        "id_number",
        Sensitive,
        "a full identity number (PRC resident ID, SSN)",
        "44030419900307123X",
        "536-22-1047",
    ),
];

/// Other spellings of the built-in types, English and Chinese.
static ALIASES: &[(&str, &str)] = &[
    ("borrower_name", "name"),
    ("customer_name", "name"),
    ("collector", "agent"),
    ("lender", "company"),
    ("creditor", "company"),
    ("service_phone", "hotline"),
    ("url", "link"),
    ("balance", "amount"),
    ("debt_amount", "amount"),
    ("overdue_amount", "amount"),
    ("min_payment", "amount"),
    ("contract_no", "loan_id"),
    ("ssn", "id_number"),
    ("姓名", "name"),
    ("客户姓名", "name"),
    ("公司", "company"),
    ("机构", "company"),
    ("客服电话", "hotline"),
    ("热线", "hotline"),
    ("手机号", "phone"),
    ("电话", "phone"),
    ("链接", "link"),
    ("日期", "date"),
    ("金额", "amount"),
    ("欠款金额", "amount"),
    ("应还金额", "amount"),
    ("还款日", "due_date"),
    ("到期日", "due_date"),
    ("逾期天数", "overdue_days"),
    ("合同号", "loan_id"),
    ("卡尾号", "card_last4"),
    ("尾号", "card_last4"),
    ("卡号", "card_number"),
    ("银行卡号", "card_number"),
    ("身份证号", "id_number"),
];

/// Every built-in placeholder type.
pub fn placeholder_types() -> &'static [PlaceholderType] {
    TYPES
}

/// The built-in type named `name` (not an alias).
pub(crate) fn builtin(name: &str) -> Option<&'static PlaceholderType> {
    TYPES.iter().find(|t| t.name == name)
}

/// Placeholder names resolved to types: the built-ins, their aliases, and any the user adds.
#[derive(Debug, Clone)]
pub(crate) struct Registry {
    names: BTreeMap<String, &'static PlaceholderType>,
}

impl Default for Registry {
    fn default() -> Registry {
        let mut names = BTreeMap::new();
        for t in TYPES {
            names.insert(t.name.to_string(), t);
        }
        for (alias, target) in ALIASES {
            if let Some(t) = builtin(target) {
                names.insert((*alias).to_string(), t);
            }
        }
        Registry { names }
    }
}

impl Registry {
    /// Adds `name` as another spelling of the type `ty`.
    pub fn add(&mut self, name: &str, ty: &'static PlaceholderType) {
        self.names.insert(normalise(name), ty);
    }

    /// The type of a (normalised) placeholder name.
    pub fn get(&self, name: &str) -> Option<&'static PlaceholderType> {
        self.names.get(name).copied()
    }

    /// Every known name.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.keys().map(String::as_str)
    }
}

/// A placeholder name as looked up: trimmed, a `| filter` dropped, ASCII lower-cased.
pub(crate) fn normalise(inner: &str) -> String {
    let name = inner.split('|').next().unwrap_or("");
    name.trim().to_ascii_lowercase()
}

/// One `{{name}}` in a template's text.
#[derive(Debug, Clone)]
pub(crate) struct Occurrence {
    /// Byte range in the template text, braces included.
    pub span: Range<usize>,
    /// The placeholder as written, e.g. `{{ amount }}`.
    pub raw: String,
    /// The normalised name.
    pub name: String,
    /// Its type, if the registry knows it.
    pub ty: Option<&'static PlaceholderType>,
}

/// Finds the placeholders of a template text: `{{name}}` (and `{{{name}}}`) on one line.
pub(crate) fn scan(text: &str, registry: &Registry) -> Vec<Occurrence> {
    const MAX_INNER: usize = 80;
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(rel) = text.get(from..).and_then(|t| t.find("{{")) {
        let open = from + rel;
        let rest = text.get(open..).unwrap_or("");
        let (open_len, close) = if rest.starts_with("{{{") {
            (3, "}}}")
        } else {
            (2, "}}")
        };
        let inner_start = open + open_len;
        let found = text
            .get(inner_start..)
            .and_then(|t| t.find(close))
            .filter(|&n| {
                n <= MAX_INNER
                    && text
                        .get(inner_start..inner_start + n)
                        .is_some_and(|inner| !inner.contains(['\n', '{', '}']))
            });
        match found {
            Some(n) => {
                let end = inner_start + n + close.len();
                let inner = text.get(inner_start..inner_start + n).unwrap_or("");
                let name = normalise(inner);
                out.push(Occurrence {
                    span: open..end,
                    raw: text.get(open..end).unwrap_or("").to_string(),
                    ty: registry.get(&name),
                    name,
                });
                from = end;
            }
            None => from = open + 2,
        }
    }
    out
}

/// A template text with every placeholder replaced by a sample value.
#[derive(Debug, Clone, Default)]
pub(crate) struct Filled {
    pub text: String,
    /// `(range in the filled text, range in the template text, occurrence)`, in order;
    /// literal runs have no occurrence.
    segs: Vec<(Range<usize>, Range<usize>, Option<usize>)>,
}

/// Whether a text reads as Chinese (any CJK ideograph outside placeholders).
pub(crate) fn is_chinese(text: &str, occurrences: &[Occurrence]) -> bool {
    let mut from = 0;
    let check = |s: &str| {
        s.chars().any(|c| {
            ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
        })
    };
    for o in occurrences {
        if check(text.get(from..o.span.start).unwrap_or("")) {
            return true;
        }
        from = o.span.end;
    }
    check(text.get(from..).unwrap_or(""))
}

/// Fills each placeholder with its type's sample (unknown ones with their own name).
pub(crate) fn fill(text: &str, occurrences: &[Occurrence], chinese: bool) -> Filled {
    let mut f = Filled::default();
    let mut from = 0;
    for (i, o) in occurrences.iter().enumerate() {
        let lit = text.get(from..o.span.start).unwrap_or("");
        let at = f.text.len();
        f.text.push_str(lit);
        f.segs.push((at..f.text.len(), from..o.span.start, None));
        let sample = match o.ty {
            Some(t) if chinese => t.sample_zh,
            Some(t) => t.sample_en,
            None => o.name.as_str(),
        };
        let at = f.text.len();
        f.text.push_str(sample);
        f.segs.push((at..f.text.len(), o.span.clone(), Some(i)));
        from = o.span.end;
    }
    let at = f.text.len();
    f.text.push_str(text.get(from..).unwrap_or(""));
    f.segs.push((at..f.text.len(), from..text.len(), None));
    f
}

/// Where a span of the filled text lies in the template text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mapped {
    /// The span in the template text, widened to whole placeholders it touches.
    pub span: Range<usize>,
    /// The occurrence holding the whole span, if it lies inside one sample.
    pub inside: Option<usize>,
}

impl Filled {
    fn seg_at(&self, off: usize) -> Option<&(Range<usize>, Range<usize>, Option<usize>)> {
        // the segment containing `off`; an offset at a boundary belongs to the later segment
        // unless that one is empty
        self.segs
            .iter()
            .find(|(f, _, _)| f.start <= off && off < f.end)
            .or_else(|| self.segs.iter().rev().find(|(f, _, _)| f.start <= off))
    }

    /// Maps a span of the filled text to the template text.
    pub fn map(&self, start: usize, end: usize) -> Mapped {
        let end = end.max(start);
        let first = self.seg_at(start);
        let last = if end > start {
            self.seg_at(end - 1)
        } else {
            first
        };
        let map_start = |seg: Option<&(Range<usize>, Range<usize>, Option<usize>)>| match seg {
            Some((f, t, None)) => t.start + (start - f.start).min(t.len()),
            Some((_, t, Some(_))) => t.start,
            None => 0,
        };
        let map_end = |seg: Option<&(Range<usize>, Range<usize>, Option<usize>)>| match seg {
            Some((f, t, None)) => t.start + (end - f.start).min(t.len()),
            Some((_, t, Some(_))) => t.end,
            None => 0,
        };
        let s = map_start(first);
        let e = map_end(last).max(s);
        let inside = match (first, last) {
            (Some((_, _, Some(a))), Some((_, _, Some(b)))) if a == b => Some(*a),
            _ => None,
        };
        Mapped { span: s..e, inside }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn luhn(s: &str) -> bool {
        let digits: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
        let sum: u32 = digits
            .iter()
            .rev()
            .enumerate()
            .map(|(i, &d)| {
                if i % 2 == 1 {
                    if d * 2 > 9 {
                        d * 2 - 9
                    } else {
                        d * 2
                    }
                } else {
                    d
                }
            })
            .sum();
        sum % 10 == 0
    }

    #[test]
    fn samples_are_valid_of_their_kind() {
        let card = builtin("card_number").unwrap();
        assert!(luhn(card.sample_zh) && luhn(card.sample_en), "{card:?}");
        assert!(
            (13..=19).contains(&card.sample_zh.len()) && (13..=19).contains(&card.sample_en.len())
        );
        let id = builtin("id_number").unwrap().sample_zh;
        let w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        let sum: u32 = id
            .chars()
            .zip(w)
            .map(|(c, w)| c.to_digit(10).unwrap() * w)
            .sum();
        let check = "10X98765432".chars().nth((sum % 11) as usize).unwrap();
        assert_eq!(id.chars().last(), Some(check));
        assert_eq!(id.len(), 18);
        // every alias points at a type
        for (a, t) in ALIASES {
            assert!(builtin(t).is_some(), "{a} -> {t}");
        }
    }

    #[test]
    fn scan_finds_typed_and_unknown_placeholders() {
        let r = Registry::default();
        let text = "您好{{ 姓名 }}，欠款{{amount | money}}元 {{{link}}} {{foo}} {{ not closed\n}}";
        let occ = scan(text, &r);
        let names: Vec<_> = occ
            .iter()
            .map(|o| (o.name.as_str(), o.ty.map(|t| t.name)))
            .collect();
        assert_eq!(
            names,
            [
                ("姓名", Some("name")),
                ("amount", Some("amount")),
                ("link", Some("link")),
                ("foo", None)
            ]
        );
        assert_eq!(&text[occ[0].span.clone()], "{{ 姓名 }}");
        assert_eq!(occ[2].raw, "{{{link}}}");
    }

    #[test]
    fn fill_and_map_back() {
        let r = Registry::default();
        let text = "请于{{due_date}}前归还{{amount}}元";
        let occ = scan(text, &r);
        assert!(is_chinese(text, &occ));
        let f = fill(text, &occ, true);
        assert_eq!(f.text, "请于2026年3月15日前归还1234.56元");
        // a span inside the amount sample maps to the whole placeholder
        let s = f.text.find("234").unwrap();
        let m = f.map(s, s + 3);
        assert_eq!(&text[m.span.clone()], "{{amount}}");
        assert_eq!(m.inside, Some(1));
        // a literal span maps exactly
        let s = f.text.find("归还").unwrap();
        let m = f.map(s, s + "归还".len());
        assert_eq!(&text[m.span.clone()], "归还");
        assert_eq!(m.inside, None);
        // a span straddling literal text and a sample widens to the placeholder
        let m = f.map(s, s + "归还1".len());
        assert_eq!(&text[m.span], "归还{{amount}}");
        assert_eq!(m.inside, None);
        assert!(!is_chinese(
            "Pay {{姓名}} now",
            &scan("Pay {{姓名}} now", &r)
        ));
    }
}
