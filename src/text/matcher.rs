//! The phrase matcher: every phrase of a pack in one Aho-Corasick automaton over the
//! normalised text, each pattern mapped back to its uses (which rule, in which role).
//!
//! Phrase syntax: a phrase is normalised like a message. Latin words match whole words; a
//! `*` at the start or end lets the word continue on that side (`fuck*` matches `fucking`).
//! Variants are added for emphasis (`kill` also matches `killll`, which normalises to `kil`)
//! and, where a rule asks for them, for masked spellings (`f*ck`, `f***`, `sh*t`).

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};

use super::normalize::{is_word_char, normalize_phrase, Prepared};

/// One use of a pattern: the caller's payload, and whether the match may continue into a
/// word on either side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Use {
    payload: u32,
    left_open: bool,
    right_open: bool,
    /// Never matches across a clause comma after a Chinese character
    /// ([`Prepared::crosses_clause`]).
    plain: bool,
}

/// A match of a pattern use in the normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    /// The payload given with the phrase.
    pub payload: u32,
    /// Byte range in the normalised text.
    pub start: usize,
    pub end: usize,
}

/// Collects phrases, then builds a [`Matcher`].
#[derive(Debug, Default)]
pub(crate) struct MatcherBuilder {
    index: HashMap<String, usize>,
    patterns: Vec<String>,
    uses: Vec<Vec<Use>>,
    buf: Prepared,
}

/// Longest word that gets masked variants (a run of `n` letters has `n²/2` of them).
const MAX_MASKED_WORD: usize = 12;

impl MatcherBuilder {
    /// Adds a phrase with a payload. `masked` adds masked spellings of a one-word phrase.
    /// A `plain` phrase (a lawful word: an allow-phrase or a context word) never matches
    /// across a clause comma after a Chinese character (`联系，我们将` holds no `联系我们`),
    /// unless it is written with one itself. Returns the normalised phrase.
    pub fn add(
        &mut self,
        phrase: &str,
        payload: u32,
        masked: bool,
        plain: bool,
    ) -> Result<String, String> {
        let trimmed = phrase.trim();
        let left_open = trimmed.starts_with('*');
        let right_open = trimmed.len() > 1 && trimmed.ends_with('*');
        let body = trimmed.trim_start_matches('*').trim_end_matches('*');
        let norm = normalize_phrase(body, &mut self.buf);
        if norm.is_empty() {
            return Err(format!("phrase `{phrase}` has no letters or digits"));
        }
        if norm.contains('\n') {
            return Err(format!(
                "phrase `{phrase}` spans a sentence end (`。？！；.?!;` or a line break), so it can never match"
            ));
        }
        let u = Use {
            payload,
            left_open,
            right_open,
            plain: plain && !body.contains(['，', '、', '：', ',', ':']),
        };
        for v in emphasis_variants(&norm) {
            self.insert(v, u);
        }
        for v in lookalike_variants(&norm, &mut self.buf) {
            self.insert(v, u);
        }
        for v in split_variants(&norm) {
            self.insert(v, u);
        }
        if let Some(v) = contraction_variant(&norm) {
            self.insert(v, u);
        }
        if masked {
            for v in masked_variants(&norm) {
                self.insert(v, u);
            }
        }
        self.insert(norm.clone(), u);
        Ok(norm)
    }

    fn insert(&mut self, pattern: String, u: Use) {
        let i = match self.index.get(&pattern) {
            Some(&i) => i,
            None => {
                let i = self.patterns.len();
                self.index.insert(pattern.clone(), i);
                self.patterns.push(pattern);
                self.uses.push(Vec::new());
                i
            }
        };
        if let Some(list) = self.uses.get_mut(i) {
            if !list.contains(&u) {
                list.push(u);
            }
        }
    }

    /// Builds the automaton.
    pub fn build(self) -> Result<Matcher, String> {
        let ac = if self.patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .build(&self.patterns)
                    .map_err(|e| format!("building the phrase automaton: {e}"))?,
            )
        };
        let bounds = self
            .patterns
            .iter()
            .map(|p| {
                (
                    p.chars().next().is_some_and(is_word_char),
                    p.chars().next_back().is_some_and(is_word_char),
                )
            })
            .collect();
        Ok(Matcher {
            ac,
            uses: self.uses,
            bounds,
        })
    }
}

/// Every phrase of a pack, compiled.
#[derive(Debug, Default)]
pub(crate) struct Matcher {
    ac: Option<AhoCorasick>,
    uses: Vec<Vec<Use>>,
    /// Per pattern: whether it starts and ends with a word character (so word boundaries
    /// apply on that side).
    bounds: Vec<(bool, bool)>,
}

impl Matcher {
    /// Every match of every use in `norm`, overlapping ones included, in order of end.
    pub fn scan(&self, prepared: &Prepared, out: &mut Vec<Hit>) {
        let Some(ac) = &self.ac else {
            return;
        };
        let norm = prepared.norm();
        for m in ac.find_overlapping_iter(norm) {
            let (start, end) = (m.start(), m.end());
            let p = m.pattern().as_usize();
            let (word_start, word_end) = self.bounds.get(p).copied().unwrap_or((false, false));
            let left_joined = word_start
                && !prepared.soft_boundary(start)
                && norm
                    .get(..start)
                    .and_then(|s| s.chars().next_back())
                    .is_some_and(is_word_char);
            let right_joined = word_end
                && !prepared.soft_boundary(end)
                && norm
                    .get(end..)
                    .and_then(|s| s.chars().next())
                    .is_some_and(is_word_char);
            for u in self.uses.get(p).map_or(&[][..], Vec::as_slice) {
                if (left_joined && !u.left_open) || (right_joined && !u.right_open) {
                    continue;
                }
                if u.plain && prepared.crosses_clause(start, end) {
                    continue;
                }
                out.push(Hit {
                    payload: u.payload,
                    start,
                    end,
                });
            }
        }
    }
}

/// Variants for emphasis: the text collapses runs of three or more letters to one, so
/// `killll` reads `kil`; the phrase `kill` gets the variant `kil`. Only words that stay at
/// least three letters long (`ass` gets no variant `as`).
fn emphasis_variants(norm: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = norm.as_bytes();
    for i in 1..bytes.len() {
        let (Some(&a), Some(&b)) = (bytes.get(i - 1), bytes.get(i)) else {
            continue;
        };
        if a != b || !a.is_ascii_alphabetic() {
            continue;
        }
        // The word around the double letter.
        let ws = norm
            .get(..i)
            .and_then(|s| s.rfind(|c: char| !is_word_char(c)).map(|k| k + 1))
            .unwrap_or(0);
        let we = norm
            .get(i..)
            .and_then(|s| s.find(|c: char| !is_word_char(c)).map(|k| k + i))
            .unwrap_or(norm.len());
        if we - ws < 4 {
            continue;
        }
        if let (Some(head), Some(tail)) = (norm.get(..i), norm.get(i + 1..)) {
            out.push(format!("{head}{tail}"));
        }
        if out.len() >= 4 {
            break;
        }
    }
    out
}

/// Variants for the commonest Latin look-alike: `l` written as `I` or `1` (`jaiI`, `ki11`,
/// `poIice`), which the text reads as `i`. Every `l` replaced, and for words with one or two
/// `l`s each one alone; each variant normalised like a message (`kiii` collapses to `ki`)
/// and kept only if enough letters remain (three, or two of a word of four: `kiII` reads `ki`).
fn lookalike_variants(norm: &str, buf: &mut Prepared) -> Vec<String> {
    let mut out = Vec::new();
    let count = norm.bytes().filter(|&b| b == b'l').count();
    if count == 0 || !norm.bytes().any(|b| b.is_ascii_lowercase()) {
        return out;
    }
    let mut candidates = vec![norm.replace('l', "i")];
    if count <= 2 {
        for (i, _) in norm.match_indices('l') {
            if let (Some(head), Some(tail)) = (norm.get(..i), norm.get(i + 1..)) {
                candidates.push(format!("{head}i{tail}"));
            }
        }
    }
    for c in candidates {
        let v = normalize_phrase(&c, buf);
        let letters = v.bytes().filter(u8::is_ascii_alphabetic).count();
        let enough = letters >= 3 || (letters == 2 && norm.len() >= 4);
        if enough && v != norm && !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// Short words that two halves of a split word must not both be (`whore` must not match
/// `who re`).
const COMMON: [&str; 64] = [
    "a", "i", "an", "the", "to", "of", "in", "on", "at", "by", "is", "it", "be", "we", "he", "me",
    "my", "or", "as", "so", "no", "do", "go", "up", "us", "re", "and", "for", "are", "was", "but",
    "not", "you", "all", "can", "had", "her", "one", "our", "out", "day", "get", "has", "him",
    "his", "how", "man", "new", "now", "old", "see", "two", "way", "who", "did", "its", "let",
    "put", "say", "she", "too", "use", "am", "if",
];

/// Variants for a word split by a space (`ar rest`, `pri son`, `war rant`): a one-word Latin
/// phrase of five letters or more, split once at each inner position, unless both halves
/// are common short words.
fn split_variants(norm: &str) -> Vec<String> {
    let mut out = Vec::new();
    let n = norm.len();
    if n < 5 || !norm.bytes().all(|b| b.is_ascii_lowercase()) {
        return out;
    }
    for i in 1..n {
        let (Some(head), Some(tail)) = (norm.get(..i), norm.get(i..)) else {
            continue;
        };
        if COMMON.contains(&head) && COMMON.contains(&tail) {
            continue;
        }
        out.push(format!("{head} {tail}"));
    }
    out
}

/// Subjects whose `'ll` is also written without the apostrophe (`youll`, `ill`).
const WILL_SUBJECTS: [&str; 12] = [
    "i", "you", "he", "she", "we", "they", "it", "that", "who", "what", "there", "u",
];

/// Apostrophe-less `'ll` contractions that are no word of their own, so a phrase written with
/// one (`youll wish you`) means `you will` (`ill`, `well`, `hell` and `shell` are words).
const BARE_WILL: [&str; 8] = [
    "youll", "theyll", "itll", "thatll", "wholl", "whatll", "therell", "ull",
];

/// The other spelling of a phrase's `'ll`. Messages read `he'll` as `he will` (see
/// [`super::normalize`]), and so do phrases; a message that drops the apostrophe still reads
/// `youll`, `ill` or `hell`. So `you'll regret` (`you will regret`) also gets `youll regret`,
/// and `youll wish you` gets `you will wish you`: a phrase matches both spellings, as it did
/// when the apostrophe was simply dropped.
fn contraction_variant(norm: &str) -> Option<String> {
    let mut words = norm.split(' ').peekable();
    let mut out: Vec<String> = Vec::new();
    let mut changed = false;
    while let Some(w) = words.next() {
        if WILL_SUBJECTS.contains(&w) && words.peek() == Some(&"will") {
            words.next();
            out.push(format!("{w}ll"));
            changed = true;
        } else if let Some(subject) = w.strip_suffix("ll").filter(|_| BARE_WILL.contains(&w)) {
            out.push(format!("{subject} will"));
            changed = true;
        } else {
            out.push(w.to_string());
        }
    }
    changed.then(|| out.join(" "))
}

/// Masked spellings of a one-word Latin phrase of four letters or more: one run of letters
/// after the first replaced by `*` (masks collapse to one `*` in the text), keeping at least
/// two letters visible, or only the first (`f***`).
fn masked_variants(norm: &str) -> Vec<String> {
    let mut out = Vec::new();
    let n = norm.len();
    if !(4..=MAX_MASKED_WORD).contains(&n) || !norm.bytes().all(|b| b.is_ascii_lowercase()) {
        return out;
    }
    for i in 1..n {
        for j in i + 1..=n {
            let visible = n - (j - i);
            if visible < 2 && !(i == 1 && j == n) {
                continue;
            }
            if let (Some(head), Some(tail)) = (norm.get(..i), norm.get(j..)) {
                out.push(format!("{head}*{tail}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(phrases: &[(&str, bool)]) -> Matcher {
        let mut b = MatcherBuilder::default();
        for (i, (p, masked)) in phrases.iter().enumerate() {
            b.add(p, i as u32, *masked, false).unwrap();
        }
        b.build().unwrap()
    }

    fn hits(m: &Matcher, text: &str) -> Vec<(u32, String)> {
        let mut p = Prepared::default();
        p.prepare(text);
        let mut out = Vec::new();
        m.scan(&p, &mut out);
        out.iter()
            .map(|h| {
                (
                    h.payload,
                    p.original_text(h.start, h.end).unwrap().to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn latin_words_match_whole() {
        let m = matcher(&[("ass", false), ("go to jail", false), ("warrant", false)]);
        assert!(hits(&m, "first class, Bass Pro, assist").is_empty());
        assert_eq!(hits(&m, "kiss my ass!"), [(0, "ass".to_string())]);
        assert_eq!(
            hits(&m, "you will GO  TO   jail"),
            [(1, "GO  TO   jail".to_string())]
        );
        assert!(hits(&m, "an unwarranted fee; warranty coverage").is_empty());
        assert_eq!(
            hits(&m, "before a w a r r a n t"),
            [(2, "w a r r a n t".to_string())]
        );
        assert!(
            hits(&m, "c l a s s").len() == 1,
            "spelled-out words give up on boundaries"
        );
    }

    #[test]
    fn will_contractions_match_every_spelling() {
        let m = matcher(&[
            ("you'll regret", false),
            ("youll wish you", false),
            ("hell", false),
        ]);
        for text in [
            "you'll regret",
            "You will regret",
            "youll regret",
            "you’ll regret",
        ] {
            assert_eq!(hits(&m, text), [(0, text.to_string())], "{text}");
        }
        assert_eq!(
            hits(&m, "you'll wish you"),
            [(1, "you'll wish you".to_string())]
        );
        assert_eq!(hits(&m, "you will wish you").len(), 1);
        // `he'll` is not `hell`; a message that drops the apostrophe still reads it so.
        assert!(hits(&m, "He'll call you back").is_empty());
        assert_eq!(hits(&m, "go to hell"), [(2, "hell".to_string())]);
        assert_eq!(
            contraction_variant("i will wait"),
            Some("ill wait".to_string())
        );
        assert_eq!(contraction_variant("will you"), None);
        assert_eq!(contraction_variant("get well soon"), None);
    }

    #[test]
    fn open_ends_match_inside_words() {
        let m = matcher(&[("fuck*", false), ("*hole", false)]);
        assert_eq!(hits(&m, "FUCKING hell"), [(0, "FUCK".to_string())]);
        assert_eq!(hits(&m, "you asshole"), [(1, "hole".to_string())]);
    }

    #[test]
    fn cjk_matches_anywhere_and_across_filler() {
        let m = matcher(&[("爆通讯录", false), ("大麻", false), ("大麻烦", false)]);
        assert_eq!(
            hits(&m, "我要爆-通-讯-录"),
            [(0, "爆-通-讯-录".to_string())]
        );
        // Overlapping matches are all reported; the allow-phrase logic lives in the rules.
        let h = hits(&m, "这不是什么大麻烦");
        assert_eq!(h.len(), 2);
    }

    #[test]
    fn masked_and_emphasised_spellings() {
        let m = matcher(&[
            ("fucking", true),
            ("shit", true),
            ("kill", false),
            ("ass", true),
        ]);
        assert_eq!(hits(&m, "your f***ing bill"), [(0, "f***ing".to_string())]);
        assert_eq!(hits(&m, "sh*t"), [(1, "sh*t".to_string())]);
        assert_eq!(hits(&m, "s***"), [(1, "s***".to_string())]);
        assert_eq!(hits(&m, "I will killlll you"), [(2, "killlll".to_string())]);
        assert_eq!(hits(&m, "I will kiII you"), [(2, "kiII".to_string())]);
        assert_eq!(hits(&m, "I will ki11 you"), [(2, "ki11".to_string())]);
        let m = matcher(&[("arrest", false), ("whore", false)]);
        assert_eq!(hits(&m, "you face ar rest"), [(0, "ar rest".to_string())]);
        assert!(hits(&m, "the one who re-entered").is_empty());
        // `ass` is too short for masks or emphasis variants.
        assert!(hits(&m, "as a*").is_empty());
    }

    #[test]
    fn empty_phrase_is_an_error() {
        let mut b = MatcherBuilder::default();
        assert!(b.add(" ** ", 0, false, false).is_err());
        assert!(b.add("坐牢。拘留", 0, false, false).is_err());
    }
}
