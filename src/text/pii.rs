//! Personal-data detectors that validate what they find: PRC resident ID numbers (18
//! characters, MOD 11-2 check digit, a known province code, a real birth date), bank card
//! numbers (13–19 digits, Luhn, a card-network prefix), US Social Security numbers (area not
//! 000, 666 or 9xx, group not 00, serial not 0000), CN mobile numbers and e-mail addresses.
//!
//! One linear pass over the original text, read in its NFKC form. Digits may be ASCII,
//! full-width (or any other compatibility form) or Chinese numerals (`一一〇一…`), in groups
//! split by spaces, hyphens, dots or slashes (`3201 0219 8301 1708 47`, `6011/2044/…`, one
//! digit at a time `6 - 2 - 2 - 2 …`); English number words
//! are read too (`four four nine, zero three, …`), as call transcripts spell numbers out.
//! Masked forms (`6222****0128`, `110105********3416`, `尾号1234`, `XXX-XX-7391`) are not
//! findings: the mask breaks the run. Evidence is always masked.

use serde::Deserialize;

use crate::verdict::Span;

/// What kind of personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum PiiKind {
    /// PRC resident identity card number.
    CnId,
    /// Bank card number.
    Card,
    /// US Social Security number.
    Ssn,
    /// Mainland China mobile number.
    CnMobile,
    /// E-mail address.
    Email,
}

impl PiiKind {
    /// Every kind.
    pub const ALL: [PiiKind; 5] = [
        PiiKind::CnId,
        PiiKind::Card,
        PiiKind::Ssn,
        PiiKind::CnMobile,
        PiiKind::Email,
    ];

    /// A name for messages.
    pub fn label(self) -> &'static str {
        match self {
            PiiKind::CnId => "resident ID number",
            PiiKind::Card => "bank card number",
            PiiKind::Ssn => "Social Security number",
            PiiKind::CnMobile => "mobile number",
            PiiKind::Email => "e-mail address",
        }
    }
}

/// A validated finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PiiMatch {
    pub kind: PiiKind,
    /// Where in the original text.
    pub span: Span,
    /// The finding, masked (`110105********3416`).
    pub masked: String,
}

/// Longest digit run considered (longer runs are not one number).
const MAX_DIGITS: usize = 24;

/// A run of digits being read.
#[derive(Debug, Clone)]
struct Run {
    digits: [u8; MAX_DIGITS],
    len: usize,
    overlong: bool,
    start: usize,
    end: usize,
    /// Lengths of the groups between separators (a group may be one digit).
    groups: [u8; MAX_DIGITS],
    ngroups: usize,
    /// The separator used between groups, if any (all the same for a grouped number).
    sep: Option<char>,
    mixed_seps: bool,
    /// An `X` check character after 17 digits.
    x: bool,
    /// Preceded by a letter or a mask: part of a code, not a number on its own.
    glued_before: bool,
    /// Spelled with Chinese numerals (in part, in a [`Pass::Mixed`] run).
    numerals: bool,
    /// Spelled with digits (in part, in a [`Pass::Mixed`] run).
    digits_seen: bool,
    /// Runs on across a line break (read only by the second pass of [`scan_digits`]).
    broken: bool,
}

impl Run {
    fn new(start: usize, glued_before: bool) -> Run {
        Run {
            digits: [0; MAX_DIGITS],
            len: 0,
            overlong: false,
            start,
            end: start,
            groups: [0; MAX_DIGITS],
            ngroups: 1,
            sep: None,
            mixed_seps: false,
            x: false,
            glued_before,
            numerals: false,
            digits_seen: false,
            broken: false,
        }
    }

    fn push(&mut self, d: u8, end: usize) {
        match self.digits.get_mut(self.len) {
            Some(slot) => {
                *slot = d;
                self.len += 1;
            }
            None => self.overlong = true,
        }
        if let Some(g) = self.groups.get_mut(self.ngroups - 1) {
            *g = g.saturating_add(1);
        }
        self.end = end;
    }

    fn separator(&mut self, c: char) {
        match self.sep {
            None => self.sep = Some(c),
            Some(s) if s != c => self.mixed_seps = true,
            Some(_) => {}
        }
        if self.ngroups < self.groups.len() {
            self.ngroups += 1;
        } else {
            self.overlong = true;
        }
    }

    fn digits(&self) -> &[u8] {
        self.digits.get(..self.len).unwrap_or(&[])
    }

    fn groups(&self) -> &[u8] {
        self.groups.get(..self.ngroups).unwrap_or(&[])
    }
}

/// The value of a digit character of the NFKC text (full-width and other compatibility
/// digits are ASCII by then), or of a Chinese numeral.
fn digit(c: char) -> Option<(u8, bool)> {
    match c {
        '0'..='9' => Some((c as u8 - b'0', false)),
        '〇' | '零' => Some((0, true)),
        '一' | '幺' => Some((1, true)),
        '二' => Some((2, true)),
        '三' => Some((3, true)),
        '四' => Some((4, true)),
        '五' => Some((5, true)),
        '六' => Some((6, true)),
        '七' => Some((7, true)),
        '八' => Some((8, true)),
        '九' => Some((9, true)),
        _ => None,
    }
}

/// A separator inside a digit run, in the NFKC text (where the ideographic, no-break and
/// thin spaces are spaces, and the full-width hyphen, dot, slash and comma are ASCII): also
/// the hyphen, figure and en dashes, the middle dots (`6217·0032·…`, `・`) and the ideograph
/// 丨 (U+4E28) that looks like a bar (`6217丨0000丨…`; `|` is not one: it divides the cells of
/// a table, where each number stands alone). Digits read
/// aloud in Chinese are listed with commas (`四、五、零，一九九二`): between Chinese numerals,
/// `、` and `,` separate too (between ASCII digits a comma groups an amount).
fn is_separator(c: char, numerals: bool) -> bool {
    matches!(
        c,
        ' ' | '-'
            | '.'
            | '/'
            | '\u{2010}'
            | '\u{2012}'
            | '\u{2013}'
            | '\u{00B7}'
            | '\u{30FB}'
            | '\u{4E28}'
    ) || (numerals && matches!(c, '、' | ','))
}

/// Characters that show nothing (zero-width spaces and joiners, the word joiner, the byte
/// order mark, the soft hyphen): inside a number they hide it from a plain digit match, so
/// they are read through, neither digit nor separator.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// Most characters between two digits of one run: a separator with a space on either side
/// (`6222 - 0202`).
const MAX_SEPARATOR: u8 = 3;

/// The separator between two digits once `c` is read after `pending` (the separator so far
/// and how many characters it spans): spaces around at most one other separator, which is
/// the one that counts. `None` when `c` cannot continue it, so the run ends.
fn extend_separator(pending: Option<(char, u8)>, c: char, numerals: bool) -> Option<(char, u8)> {
    if !is_separator(c, numerals) {
        return None;
    }
    match pending {
        None => Some((c, 1)),
        Some((p, n)) if n < MAX_SEPARATOR && (p == ' ' || c == ' ') => {
            Some((if c == ' ' { p } else { c }, n + 1))
        }
        Some(_) => None,
    }
}

/// Characters that glue a digit run to a code (`T2024…`, `XF2023…`) or mark it masked.
/// A letter is judged by its base letter (the first character of its NFKD form), so
/// `６７８９ＡＲＲＥＳＴ` reads as `6789ARREST` does, and a composed `á` as `a` with its accent.
fn is_glue(c: char) -> bool {
    use unicode_normalization::UnicodeNormalization;
    if c.is_ascii() {
        return c.is_ascii_alphabetic() || matches!(c, '*' | '#' | '_' | '/');
    }
    matches!(c, '＊' | '•' | '×')
        || std::iter::once(c)
            .nfkd()
            .next()
            .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '*' | '#' | '_' | '/'))
}

/// Finds every validated piece of personal data of the given kinds, in text order.
pub(crate) fn scan(text: &str, kinds: &[PiiKind], out: &mut Vec<PiiMatch>) {
    let want = |k: PiiKind| kinds.contains(&k);
    let digits_wanted =
        want(PiiKind::CnId) || want(PiiKind::Card) || want(PiiKind::Ssn) || want(PiiKind::CnMobile);
    if digits_wanted {
        scan_digits(text, &want, out);
        if want(PiiKind::Ssn) || want(PiiKind::Card) {
            scan_number_words(text, &want, out);
        }
    }
    if want(PiiKind::Email) {
        scan_emails(text, out);
    }
    out.sort_by_key(|m| (m.span.start, m.span.end));
}

/// The NFKC form of one character: itself for ASCII and Chinese characters (the common case,
/// without a lookup), else its compatibility expansion (`①` is `1`, `⑩` is `10`).
enum Nfkc {
    Itself(std::iter::Once<char>),
    Expanded(unicode_normalization::Recompositions<std::iter::Once<char>>),
}

impl Nfkc {
    fn of(c: char) -> Nfkc {
        use unicode_normalization::UnicodeNormalization;
        if c.is_ascii() || super::fold::is_cjk(c) {
            Nfkc::Itself(std::iter::once(c))
        } else {
            Nfkc::Expanded(std::iter::once(c).nfkc())
        }
    }
}

impl Iterator for Nfkc {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        match self {
            Nfkc::Itself(it) => it.next(),
            Nfkc::Expanded(it) => it.next(),
        }
    }
}

/// Digit runs are read from the text's NFKC form, each character keeping the span of the
/// original character it came from, so a text and its NFKC form yield the same findings.
///
/// A line break ends a number (a phone number at the end of a line is not joined to a date
/// that starts the next). When digits end one line and start the next, a second pass reads
/// through the break (a card number wrapped by a chat window, `4564 3291⏎9179 1642`) and
/// keeps only the numbers that span it, in place of what the first pass found inside them.
/// When digits and Chinese numerals meet, a last pass reads runs that mix them (`6228 六九14
/// 9250 〇〇78`), which the other passes end where the spelling changes; it keeps only the
/// numbers that overlap nothing found before (`卡号6217…3488 一直…` is the card, not a
/// 17-digit number that happens to pass Luhn).
fn scan_digits(text: &str, want: &dyn Fn(PiiKind) -> bool, out: &mut Vec<PiiMatch>) {
    let first = out.len();
    let spellings_met = scan_digit_runs(text, want, out, Pass::Plain);
    if digits_across_a_break(text) {
        supersede(text, want, out, first, Pass::AcrossBreaks);
    }
    if spellings_met {
        let mut mixed = Vec::new();
        scan_digit_runs(text, want, &mut mixed, Pass::Mixed);
        let earlier = out.get(first..).unwrap_or(&[]);
        mixed.retain(|m| {
            !earlier
                .iter()
                .any(|e| e.span.start < m.span.end && m.span.start < e.span.end)
        });
        out.append(&mut mixed);
    }
}

/// How [`scan_digit_runs`] reads runs, and which it judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// A line break or a change between digits and Chinese numerals ends a run.
    Plain,
    /// A line break (and spaces around it) separates groups like a space; only runs that
    /// cross one are judged.
    AcrossBreaks,
    /// Digits and Chinese numerals make one run; only runs with both are judged.
    Mixed,
}

/// Runs `pass` and keeps what it finds in place of the findings since `first` that lie
/// inside one of them; what was in `out` before `first` stays.
fn supersede(
    text: &str,
    want: &dyn Fn(PiiKind) -> bool,
    out: &mut Vec<PiiMatch>,
    first: usize,
    pass: Pass,
) {
    let second = out.len();
    scan_digit_runs(text, want, out, pass);
    if out.len() == second {
        return;
    }
    let found: Vec<Span> = out
        .get(second..)
        .unwrap_or(&[])
        .iter()
        .map(|m| m.span)
        .collect();
    let mut k = 0;
    out.retain(|m| {
        let earlier = (first..second).contains(&k);
        k += 1;
        !earlier
            || !found
                .iter()
                .any(|a| a.start <= m.span.start && m.span.end <= a.end)
    });
}

/// Whether a digit ends a line and another starts the next (spaces allowed around the
/// break, and a hyphen before it: `201-93-` over `7900`).
fn digits_across_a_break(text: &str) -> bool {
    text.match_indices('\n').any(|(i, _)| {
        let before = text
            .get(..i)
            .unwrap_or("")
            .trim_end_matches([' ', '\r', '\t'])
            .trim_end_matches(['-', '\u{2010}', '\u{2013}'])
            .trim_end_matches(' ');
        let after = text
            .get(i + 1..)
            .unwrap_or("")
            .trim_start_matches([' ', '\t']);
        before.ends_with(|c: char| c.is_ascii_digit())
            && after.starts_with(|c: char| c.is_ascii_digit())
    })
}

/// One pass of [`scan_digits`]. Returns whether a run of digits met one of Chinese numerals
/// (only a [`Pass::Plain`] pass ends a run there).
fn scan_digit_runs(
    text: &str,
    want: &dyn Fn(PiiKind) -> bool,
    out: &mut Vec<PiiMatch>,
    pass: Pass,
) -> bool {
    let across_breaks = pass == Pass::AcrossBreaks;
    let mut spellings_met = false;
    let mut run: Option<Run> = None;
    let mut prev: Option<char> = None;
    let mut pending_sep: Option<(char, u8)> = None;
    // Whether the pending separator holds a line break.
    let mut pending_break = false;
    let finish = |text: &str, r: &Run, after: Option<char>, out: &mut Vec<PiiMatch>| {
        let judged = match pass {
            Pass::Plain => !r.broken,
            // A line that starts with a date (`2025年3月20日`) does not continue the number
            // that ended the line before (a hotline, `400-886-2210`).
            Pass::AcrossBreaks => {
                r.broken && !after.is_some_and(|c| matches!(c, '年' | '月' | '日' | '号'))
            }
            Pass::Mixed => !r.broken && r.numerals && r.digits_seen,
        };
        if judged {
            finish(text, r, after, want, out);
        }
    };
    let mut chars = text
        .char_indices()
        .flat_map(|(i, c)| Nfkc::of(c).map(move |f| (i, i + c.len_utf8(), f)))
        .peekable();
    while let Some((i, end, c)) = chars.next() {
        if is_invisible(c) {
            continue;
        }
        if let Some((d, numeral)) = digit(c) {
            match run.as_mut() {
                Some(r) if pass == Pass::Mixed || r.numerals == numeral => {
                    if let Some((s, _)) = pending_sep.take() {
                        r.separator(s);
                        r.broken |= pending_break;
                    }
                    pending_break = false;
                    r.numerals |= numeral;
                    r.digits_seen |= !numeral;
                    r.push(d, end);
                }
                _ => {
                    if let Some(r) = run.take() {
                        spellings_met = true;
                        finish(text, &r, None, out);
                    }
                    pending_break = false;
                    let glued = pending_sep.is_none() && prev.is_some_and(is_glue);
                    let mut r = Run::new(i, glued);
                    r.numerals = numeral;
                    r.digits_seen = !numeral;
                    r.push(d, end);
                    run = Some(r);
                    pending_sep = None;
                }
            }
        } else if let Some(sep) = run
            .as_ref()
            .and_then(|r| extend_separator(pending_sep, c, r.numerals))
        {
            pending_sep = Some(sep);
        } else if let Some(sep) = run.as_ref().and_then(|r| {
            let line_break = across_breaks && !pending_break && matches!(c, '\n' | '\r');
            line_break
                .then(|| extend_separator(pending_sep, ' ', r.numerals))
                .flatten()
        }) {
            pending_sep = Some(sep);
            pending_break = c == '\n';
        } else if let Some(mut r) = run.take() {
            // The run ends here. An `X` after 17 digits is an ID check character.
            let x_check = pending_sep.is_none() && matches!(c, 'X' | 'x' | 'Ｘ') && r.len == 17;
            let after = if x_check {
                r.x = true;
                r.end = end;
                chars.peek().map(|&(_, _, n)| n)
            } else if pending_sep.is_some() {
                None
            } else {
                Some(c)
            };
            finish(text, &r, after, out);
            pending_sep = None;
            pending_break = false;
        } else {
            pending_sep = None;
            pending_break = false;
        }
        prev = Some(c);
    }
    if let Some(r) = run.take() {
        finish(text, &r, None, out);
    }
    spellings_met
}

/// Judges a finished run; `after` is the character right after it (none after a separator).
fn finish(
    text: &str,
    r: &Run,
    after: Option<char>,
    want: &dyn Fn(PiiKind) -> bool,
    out: &mut Vec<PiiMatch>,
) {
    if r.overlong || r.glued_before || after.is_some_and(is_glue) {
        return;
    }
    let d = r.digits();
    let span = Span::new(r.start, r.end);
    let n = d.len() + usize::from(r.x);
    if n == 18 && want(PiiKind::CnId) && valid_cn_id(d, r.x) {
        out.push(PiiMatch {
            kind: PiiKind::CnId,
            span,
            masked: mask_keep(d, r.x, 6, 4),
        });
        return;
    }
    if r.x || (r.numerals && d.len() < 13) {
        return;
    }
    if (13..=19).contains(&d.len()) && want(PiiKind::Card) && valid_card(d) {
        out.push(PiiMatch {
            kind: PiiKind::Card,
            span,
            masked: mask_keep(d, false, 4, 4),
        });
        return;
    }
    if d.len() == 9 && want(PiiKind::Ssn) && valid_ssn(d) {
        let grouped =
            r.groups() == [3, 2, 4] && !r.mixed_seps && matches!(r.sep, Some('-' | ' ' | '.'));
        // Named as an SSN: written as one number, or one digit at a time (`5 2 4 3 8 …`);
        // or regrouped to hide it (`7-66-23-38-01, that's your social`), named before or after.
        let ungrouped = r.ngroups == 1 || r.groups().iter().all(|&g| g == 1);
        let regrouped = !r.mixed_seps && r.ngroups > 1;
        if grouped
            || (ungrouped && ssn_context(text, r.start))
            || (regrouped && (ssn_context(text, r.start) || ssn_named_after(text, r.end)))
        {
            out.push(PiiMatch {
                kind: PiiKind::Ssn,
                span,
                masked: mask_ssn(d),
            });
            return;
        }
    }
    if want(PiiKind::CnMobile) && !r.mixed_seps {
        let g = r.groups();
        let mobile = match d {
            [8, 6, rest @ ..] if rest.len() == 11 => Some(rest),
            _ if d.len() == 11 => Some(d),
            _ => None,
        };
        let grouping_ok = matches!(g, [11] | [3, 4, 4] | [3, 8] | [2, 11] | [2, 3, 4, 4]);
        if let Some(m) = mobile {
            if grouping_ok && valid_cn_mobile(m) {
                out.push(PiiMatch {
                    kind: PiiKind::CnMobile,
                    span,
                    masked: mask_keep(m, false, 3, 4),
                });
            }
        }
    }
}

/// Whether the text just after `end` names a Social Security number (`7-66-23-38-01,
/// that's your social`).
fn ssn_named_after(text: &str, end: usize) -> bool {
    let after = window(text, end, end + 30);
    ["ssn", "social"].iter().any(|w| contains_ci(after, w))
}

/// Whether the text before `at` names a Social Security number.
fn ssn_context(text: &str, at: usize) -> bool {
    let before = window(text, at.saturating_sub(40), at);
    ["ssn", "social", "s.s.n", "s. s. n", "s s n"]
        .iter()
        .any(|w| contains_ci(before, w))
}

/// The text of bytes `[from, to)`, each end moved back to a character boundary and `to`
/// kept within the text.
fn window(text: &str, from: usize, to: usize) -> &str {
    let back = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    text.get(back(from.min(text.len()))..back(to.min(text.len())))
        .unwrap_or("")
}

/// PRC resident ID: province code, birth date, MOD 11-2 check character.
pub(crate) fn valid_cn_id(d: &[u8], x: bool) -> bool {
    let body: &[u8] = if x { d } else { d.get(..17).unwrap_or(&[]) };
    if body.len() != 17 {
        return false;
    }
    let province = body.first().map_or(0, |&a| a * 10) + body.get(1).copied().unwrap_or(0);
    if !matches!(province, 11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81 | 82)
    {
        return false;
    }
    let num = |a: usize, b: usize| -> u32 {
        body.get(a..b)
            .unwrap_or(&[])
            .iter()
            .fold(0u32, |acc, &x| acc * 10 + u32::from(x))
    };
    let (year, month, day) = (num(6, 10), num(10, 12), num(12, 14));
    if !(1900..=2099).contains(&year)
        || chrono::NaiveDate::from_ymd_opt(year as i32, month, day).is_none()
    {
        return false;
    }
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .iter()
        .zip(WEIGHTS.iter())
        .map(|(&a, &w)| u32::from(a) * w)
        .sum();
    // Check characters for remainders 0..=10; 10 stands for `X`.
    const CHECK: [u8; 11] = [1, 0, 10, 9, 8, 7, 6, 5, 4, 3, 2];
    let want = CHECK.get((sum % 11) as usize).copied().unwrap_or(255);
    if x {
        want == 10
    } else {
        d.get(17).copied() == Some(want)
    }
}

/// Bank card: Luhn checksum and a card-network prefix (Visa 4, Mastercard 51–55 and
/// 2221–2720, Amex 34/37, Discover/UnionPay/Maestro 6, JCB/Diners 30/35/36/38/39).
pub(crate) fn valid_card(d: &[u8]) -> bool {
    if !(13..=19).contains(&d.len()) {
        return false;
    }
    let prefix = |n: usize| -> u32 {
        d.get(..n)
            .unwrap_or(&[])
            .iter()
            .fold(0u32, |acc, &x| acc * 10 + u32::from(x))
    };
    let network = match d.first() {
        Some(4) | Some(6) => true,
        Some(5) => (51..=55).contains(&prefix(2)),
        Some(2) => (2221..=2720).contains(&prefix(4)),
        Some(3) => matches!(prefix(2), 30 | 34..=39),
        _ => false,
    };
    network && luhn(d)
}

/// The Luhn checksum.
pub(crate) fn luhn(d: &[u8]) -> bool {
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            let x = u32::from(x);
            if i % 2 == 1 {
                let y = x * 2;
                if y > 9 {
                    y - 9
                } else {
                    y
                }
            } else {
                x
            }
        })
        .sum();
    !d.is_empty() && sum % 10 == 0
}

/// US SSN: area not 000, 666 or 900–999; group not 00; serial not 0000.
pub(crate) fn valid_ssn(d: &[u8]) -> bool {
    if d.len() != 9 {
        return false;
    }
    let n = |a: usize, b: usize| -> u32 {
        d.get(a..b)
            .unwrap_or(&[])
            .iter()
            .fold(0u32, |acc, &x| acc * 10 + u32::from(x))
    };
    let (area, group, serial) = (n(0, 3), n(3, 5), n(5, 9));
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
}

/// CN mobile: 11 digits, `1` then `3`–`9`.
pub(crate) fn valid_cn_mobile(d: &[u8]) -> bool {
    d.len() == 11 && d.first() == Some(&1) && d.get(1).is_some_and(|&x| (3..=9).contains(&x))
}

fn mask_keep(d: &[u8], x: bool, head: usize, tail: usize) -> String {
    let mut chars: Vec<char> = d.iter().map(|&x| char::from(b'0' + x)).collect();
    if x {
        chars.push('X');
    }
    let n = chars.len();
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| if i < head || i + tail >= n { c } else { '*' })
        .collect()
}

fn mask_ssn(d: &[u8]) -> String {
    let tail: String = d
        .get(5..)
        .unwrap_or(&[])
        .iter()
        .map(|&x| char::from(b'0' + x))
        .collect();
    format!("***-**-{tail}")
}

/// English number words, as spoken in a call transcript: `four four nine, zero three, two
/// one eight seven`, and words mixed with digits (`four-6-two, 1-eight, …`). A run of 9 (an
/// SSN, grouped 3-2-4 or named as one) or 13–19 (a card). A run of digits alone is
/// [`scan_digits`]'s.
fn scan_number_words(text: &str, want: &dyn Fn(PiiKind) -> bool, out: &mut Vec<PiiMatch>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut run = Run::new(0, false);
    let mut in_run = false;
    let mut words = 0;
    let mut sep_since_token = false;
    let mut finish = |run: &Run, words: usize| {
        if words > 0 {
            finish_words(text, run, want, out);
        }
    };
    while i < bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(0);
        if b.is_ascii_alphanumeric() {
            let start = i;
            let digits = b.is_ascii_digit();
            while bytes
                .get(i)
                .is_some_and(|c| c.is_ascii_digit() == digits && c.is_ascii_alphanumeric())
            {
                i += 1;
            }
            let token = text.get(start..i).unwrap_or("");
            let word;
            let value: Option<&[u8]> = match (digits, number_word(token)) {
                (true, _) => Some(token.as_bytes()),
                (false, Some(d)) => {
                    word = [d];
                    Some(&word)
                }
                (false, None) => None,
            };
            match value {
                Some(ds) => {
                    if !in_run {
                        run = Run::new(start, false);
                        in_run = true;
                        words = 0;
                    } else if sep_since_token {
                        run.separator(',');
                    }
                    for &d in ds {
                        run.push(if digits { d - b'0' } else { d }, i);
                    }
                    words += usize::from(!digits);
                    sep_since_token = false;
                }
                None => {
                    if in_run {
                        finish(&run, words);
                        in_run = false;
                    }
                }
            }
        } else if let Some(n) = text
            .get(i..)
            .and_then(|t| t.chars().next())
            .filter(|&c| is_invisible(c))
            .map(char::len_utf8)
        {
            i += n;
        } else {
            // A hyphen joins the words of one group (`five-two-three, four-one, …`); a pause
            // (`six zero four... seven three...`) separates groups like a comma.
            if matches!(b, b',' | b';' | b'/' | b'.') {
                sep_since_token = true;
            } else if !matches!(b, b' ' | b'\t' | b'-') && in_run {
                finish(&run, words);
                in_run = false;
                sep_since_token = false;
            }
            i += 1;
        }
    }
    if in_run {
        finish(&run, words);
    }
}

fn finish_words(text: &str, r: &Run, want: &dyn Fn(PiiKind) -> bool, out: &mut Vec<PiiMatch>) {
    if r.overlong {
        return;
    }
    let d = r.digits();
    let span = Span::new(r.start, r.end);
    if d.len() == 9 && want(PiiKind::Ssn) && valid_ssn(d) {
        let grouped = r.groups() == [3, 2, 4];
        if grouped || ssn_context(text, r.start) {
            out.push(PiiMatch {
                kind: PiiKind::Ssn,
                span,
                masked: mask_ssn(d),
            });
        }
    } else if (13..=19).contains(&d.len()) && want(PiiKind::Card) && valid_card(d) {
        out.push(PiiMatch {
            kind: PiiKind::Card,
            span,
            masked: mask_keep(d, false, 4, 4),
        });
    }
}

fn number_word(w: &str) -> Option<u8> {
    const WORDS: [(&str, u8); 12] = [
        ("zero", 0),
        ("oh", 0),
        ("one", 1),
        ("two", 2),
        ("three", 3),
        ("four", 4),
        ("five", 5),
        ("six", 6),
        ("seven", 7),
        ("eight", 8),
        ("nine", 9),
        ("niner", 9),
    ];
    if w.len() > 5 {
        return None;
    }
    WORDS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(w))
        .map(|&(_, d)| d)
}

/// Whether `hay` contains `needle` (ASCII lower case), ignoring ASCII case.
fn contains_ci(hay: &str, needle: &str) -> bool {
    let n = needle.len();
    hay.as_bytes()
        .windows(n)
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// E-mail addresses: `local@domain.tld`, the local part unmasked.
fn scan_emails(text: &str, out: &mut Vec<PiiMatch>) {
    let bytes = text.as_bytes();
    let local_char =
        |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-');
    let domain_char = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-');
    let mut from = 0;
    while let Some(at) = text.get(from..).and_then(|s| s.find('@')).map(|k| k + from) {
        from = at + 1;
        let mut s = at;
        while s > 0 && bytes.get(s - 1).copied().is_some_and(local_char) {
            s -= 1;
        }
        let mut e = at + 1;
        while bytes.get(e).copied().is_some_and(domain_char) {
            e += 1;
        }
        // Trailing dots belong to the sentence.
        while e > at + 1 && bytes.get(e - 1) == Some(&b'.') {
            e -= 1;
        }
        let (Some(local), Some(domain)) = (text.get(s..at), text.get(at + 1..e)) else {
            continue;
        };
        let tld_ok = domain.rsplit_once('.').is_some_and(|(host, tld)| {
            !host.is_empty() && tld.len() >= 2 && tld.bytes().all(|c| c.is_ascii_alphabetic())
        });
        let masked_before = s > 0 && bytes.get(s - 1) == Some(&b'*');
        if local.is_empty() || !tld_ok || masked_before {
            continue;
        }
        let first: String = local.chars().take(1).collect();
        out.push(PiiMatch {
            kind: PiiKind::Email,
            span: Span::new(s, e),
            masked: format!("{first}***@{domain}"),
        });
        from = e.max(from);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [PiiKind; 5] = [
        PiiKind::CnId,
        PiiKind::Card,
        PiiKind::Ssn,
        PiiKind::CnMobile,
        PiiKind::Email,
    ];

    fn found(text: &str) -> Vec<(PiiKind, String, String)> {
        let mut out = Vec::new();
        scan(text, &ALL, &mut out);
        out.into_iter()
            .map(|m| (m.kind, m.span.text(text).unwrap().to_string(), m.masked))
            .collect()
    }

    fn ds(s: &str) -> Vec<u8> {
        s.bytes().map(|b| b - b'0').collect()
    }

    #[test]
    fn cn_id_check_digit_and_birth_date() {
        assert!(valid_cn_id(&ds("110105198503123416"), false));
        assert!(
            !valid_cn_id(&ds("110105198503123411"), false),
            "wrong check digit"
        );
        assert!(
            valid_cn_id(&ds("44030519781125164"), true),
            "X check character"
        );
        assert!(
            !valid_cn_id(&ds("110105198502303416"), false),
            "30 February"
        );
        assert!(
            !valid_cn_id(&ds("202405180933171592"), false),
            "no province 20"
        );
        let f = found("身份证号110105198503123416，请核对");
        assert_eq!(
            f,
            [(
                PiiKind::CnId,
                "110105198503123416".into(),
                "110105********3416".into()
            )]
        );
        let f = found("证件44030519781125164X。");
        assert_eq!(f[0].0, PiiKind::CnId);
        assert_eq!(f[0].2, "440305********164X");
    }

    #[test]
    fn grouped_and_spelled_ids() {
        let f = found("请核对：3201 0219 8301 1708 47，逾期");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].1, "3201 0219 8301 1708 47");
        let f = found("身份证一一〇一〇五一九八五〇三一二三四一六");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, PiiKind::CnId);
    }

    #[test]
    fn cards_need_luhn_and_a_network() {
        assert!(valid_card(&ds("6222021234567890128")));
        assert!(valid_card(&ds("4147202212345670")));
        assert!(!valid_card(&ds("4000123412341235")), "Luhn fails");
        assert!(!valid_card(&ds("2024051800012345")), "no network");
        let f = found("card 5588.1234.7744.1207 was declined");
        assert_eq!(
            f,
            [(
                PiiKind::Card,
                "5588.1234.7744.1207".into(),
                "5588********1207".into()
            )]
        );
    }

    #[test]
    fn full_width_letters_glue_like_ascii_ones() {
        // The same text before and after NFKC: a digit run glued to letters is a code.
        assert_eq!(
            found("SSN 123-45-6789ＡＲＲＥＳＴ"),
            found("SSN 123-45-6789ARREST")
        );
        assert_eq!(
            found("ＸＦ110105199003071234"),
            found("XF110105199003071234")
        );
        // A composed letter glues as its decomposed spelling does.
        assert_eq!(
            found("SSN 123-45-6789\u{e1}rrest"),
            found("SSN 123-45-6789a\u{301}rrest")
        );
        assert!(found("SSN 123-45-6789\u{e1}rrest").is_empty());
    }

    #[test]
    fn compatibility_digits_read_as_their_nfkc_form() {
        // `①` is `1` after NFKC: it lengthens the run, as in the NFKC text (the properties'
        // counter-example).
        assert_eq!(found("SSN 123-45-6789①⑴"), found("SSN 123-45-67891(1)"));
        assert!(found("SSN 123-45-6789①").is_empty());
        // Full-width digits and an ideographic space between groups are still read.
        let f = found("卡号６２２２\u{3000}０２１２\u{3000}３４５６\u{3000}７８９０\u{3000}１２８");
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn masked_and_coded_numbers_are_fine() {
        assert!(found("尾号1234的卡，6222****0128，110105********3416").is_empty());
        assert!(found("SSN XXX-XX-7391, card ****-****-****-9903").is_empty());
        assert!(found("流水号T20240618153208771").is_empty());
        assert!(found("订单号202405180933171592已受理").is_empty());
    }

    #[test]
    fn ssn_grouped_or_named() {
        let f = found("confirm SSN 512-48-7391 on file");
        assert_eq!(
            f,
            [(PiiKind::Ssn, "512-48-7391".into(), "***-**-7391".into())]
        );
        assert!(
            found("Claim reference: 900-48-7391.").is_empty(),
            "area 9xx"
        );
        assert!(found("call 800-555-0199").is_empty(), "a phone number");
        assert_eq!(
            found("your social security number is 512487391")[0].0,
            PiiKind::Ssn
        );
        assert!(found("order 512487391 shipped").is_empty());
    }

    #[test]
    fn cards_split_by_slashes_or_one_digit_at_a_time() {
        let f = found("Payment card: 6011/2044/8397/1539");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, PiiKind::Card);
        assert_eq!(f[0].1, "6011/2044/8397/1539");
        let f = found("卡号 6 - 0 - 1 - 1 - 2 - 0 - 4 - 4 - 8 - 3 - 9 - 7 - 1 - 5 - 3 - 9 请核对");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, PiiKind::Card);
        assert_eq!(f[0].2, "6011********1539");
        let f = found("card 6011 - 2044 - 8397 - 1539.");
        assert_eq!(f.len(), 1);
        // Dates and fractions stay short; two separators other than spaces end a run.
        assert!(found("due 10/01 and 11/01, 2026/11/22").is_empty());
        assert!(found("6011-/2044-/8397-/1539").is_empty());
    }

    #[test]
    fn ssn_grouped_with_dots() {
        let f = found("confirm the SSN we have: 538.21.6094. Reply Y");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, PiiKind::Ssn);
        assert_eq!(f[0].1, "538.21.6094");
        // Other groupings with dots are versions, dates or amounts.
        assert!(found("version 538.216.094, total 5382.16094").is_empty());
    }

    #[test]
    fn a_number_wrapped_onto_the_next_line() {
        let f = found("is this still the one you want to use?\n4564 3291\n9179 1642\nexp 09/27");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, PiiKind::Card);
        assert_eq!(f[0].1, "4564 3291\n9179 1642");
        assert_eq!(f[0].2, "4564********1642");
        // A number ending a line is not joined to a date starting the next: the card is
        // found alone, and so is the mobile number.
        let f = found("卡号 6011 2044 8397 1539\n2026年11月22日");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].1, "6011 2044 8397 1539");
        // A number broken after a hyphen (a printed form).
        let f = found("Social Security No.: 201-93-\n7900\nCreditor: Sterling Dental");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, PiiKind::Ssn);
        assert_eq!(f[0].1, "201-93-\n7900");
        // A hotline is not joined to a date in characters on the next line (400-886-2210
        // and 2025 together pass Luhn).
        assert!(found("联系电话：400-886-2210\n2025年3月20日").is_empty());
        let f = found("电话 138 0013 8000\r\n2026-11-22");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, PiiKind::CnMobile);
        // A blank line ends a number.
        assert!(found("4564 3291\n\n9179 1642").is_empty());
        // Findings already in the buffer are kept: only the first pass's own are replaced.
        let mut out = vec![PiiMatch {
            kind: PiiKind::Email,
            span: Span::new(0, 1),
            masked: "x".into(),
        }];
        // Line 1 is a 13-digit card of its own; with line 2 it is a 16-digit one.
        scan_digits("card\n4111111111119\n007", &|_| true, &mut out);
        let found: Vec<(PiiKind, usize)> = out
            .iter()
            .map(|m| (m.kind, m.span.end - m.span.start))
            .collect();
        assert_eq!(found, [(PiiKind::Email, 1), (PiiKind::Card, 17)]);
    }

    #[test]
    fn ssn_regrouped_and_named() {
        let f = found("Records check: 7-66-23-38-01, that's your social, right?");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, PiiKind::Ssn);
        assert_eq!(found("your SSN on file: 76-623-3801").len(), 1);
        // Regrouped and not named, it is any reference number.
        assert!(found("Order ref 7-66-23-38-01 ships Monday").is_empty());
    }

    #[test]
    fn ssn_spoken_with_pauses() {
        let f = found(
            "Social Security: six zero four... seven three... two two five one. Is that correct?",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, PiiKind::Ssn);
        assert_eq!(f[0].2, "***-**-2251");
    }

    #[test]
    fn ssn_spoken_as_hyphenated_words() {
        let f =
            found("I show your Social as five-one-two, four-eight, seven-three-nine-one. Correct?");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, PiiKind::Ssn);
        assert_eq!(f[0].2, "***-**-7391");
    }

    #[test]
    fn ssn_spoken_as_words() {
        let f = found("your social is five one two, four eight, seven three nine one, right?");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, PiiKind::Ssn);
        assert_eq!(f[0].2, "***-**-7391");
        assert!(found("one or two of them, maybe three").is_empty());
    }

    #[test]
    fn invisible_characters_inside_a_number_are_read_through() {
        let f = found("还款卡号6011\u{200B}2044\u{200B}8397\u{200B}1539，扣款失败");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, PiiKind::Card);
        assert_eq!(f[0].1, "6011\u{200B}2044\u{200B}8397\u{200B}1539");
        let f = found("SSN 5\u{200B}1\u{200B}2\u{200B}-\u{200B}4\u{200B}8-7391 on file");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, PiiKind::Ssn);
        // Still masked numbers: an invisible character does not join the mask to digits.
        assert!(found("6222****\u{200B}0128").is_empty());
    }

    #[test]
    fn ssn_named_and_read_one_digit_at_a_time() {
        let f = found("Verify identity: SSN 5 1 2 4 8 7 3 9 1 on file.");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, PiiKind::Ssn);
        // Not named, nine single digits are not an SSN.
        assert!(found("Your PIN hint: 5 1 2 4 8 7 3 9 1").is_empty());
        // Named with dots, read with dashes between the groups.
        let f = found("your S.S.N. on file is 5 1 2 – 4 4 – 8 3 9 1. Confirm?");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].2, "***-**-8391");
    }

    #[test]
    fn card_grouped_with_middle_dots() {
        let f = found("您绑定的还款卡6217·0032·1009·8323今日起将冻结");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, PiiKind::Card);
        assert_eq!(f[0].1, "6217·0032·1009·8323");
        assert_eq!(found("还款卡6217・0032・1009・8323").len(), 1);
        // A masked card stays masked.
        assert!(found("尾号6217·****·****·8323").is_empty());
    }

    #[test]
    fn card_grouped_with_vertical_bars() {
        // 丨 (U+4E28) is an ideograph that looks like a bar.
        let f = found("还款卡号你自己核对一下：6217丨0032丨1009丨8323，名字没错吧？");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].1, "6217丨0032丨1009丨8323");
        // A table's cells stay apart.
        assert_eq!(found("| 6217003210098323 | 6217003210098323 |").len(), 2);
        assert!(found("尾号6217丨****丨****丨8323").is_empty());
    }

    #[test]
    fn digits_mixed_with_number_words() {
        let f = found("Confirm ur identity: SSN five-1-two, 4-eight, 7 3 9 one. Reply Y");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, PiiKind::Ssn);
        assert_eq!(f[0].2, "***-**-7391");
        // Digits alone are the digit scanner's: one finding, not two.
        assert_eq!(found("SSN 512-48-7391 and one more thing").len(), 1);
    }

    #[test]
    fn chinese_numerals_listed_with_commas() {
        let f = found("一、一、零、一、零、五，一九八五，零三，一二，三四一六，这是不是你？");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, PiiKind::CnId);
        assert_eq!(f[0].2, "110105********3416");
        // Between ASCII digits a comma still groups an amount.
        assert!(found("应还110,105,198,503,123,416元").is_empty());
    }

    #[test]
    fn digits_and_chinese_numerals_mixed_in_one_number() {
        // A card written half in numerals, to slip past a digit match.
        let f = found("您的还款卡卡号为6217 〇五六九 36六9 3488，本月代扣失败。");
        assert_eq!(f.len(), 1);
        assert_eq!(
            (f[0].0, f[0].2.as_str()),
            (PiiKind::Card, "6217********3488")
        );
        // An ID number switching spelling mid-group.
        let f = found("身份证号4209882〇〇〇〇4212120");
        assert_eq!(
            (f[0].0, f[0].2.as_str()),
            (PiiKind::CnId, "420988********2120")
        );
        // A valid number in digits is still found when a numeral follows it.
        let f = found("卡号6217056936693488 一直扣款失败");
        assert_eq!((f.len(), f[0].2.as_str()), (1, "6217********3488"));
        // Digits beside a numeral in ordinary words make no number.
        assert!(found("第一期1200元，分三期还，每期400元，一共12个月").is_empty());
    }

    #[test]
    fn mobile_and_email() {
        let f = found("请联系13812345678或 zhang.wei@example.com。");
        assert_eq!(
            f[0],
            (
                PiiKind::CnMobile,
                "13812345678".into(),
                "138****5678".into()
            )
        );
        assert_eq!(
            f[1],
            (
                PiiKind::Email,
                "zhang.wei@example.com".into(),
                "z***@example.com".into()
            )
        );
        assert!(found("138****5678, j***@example.com").is_empty());
    }
}
