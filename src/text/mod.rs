//! Text preparation: normalisation with a map back to the original bytes, the phrase
//! matcher, and PII detection. Everything here is `pub(crate)`: rules read it, users see
//! spans into their own text.

pub(crate) mod fold;
pub(crate) mod matcher;
pub(crate) mod normalize;
pub(crate) mod pii;
pub(crate) mod quotes;

pub(crate) use normalize::Prepared;

/// Buffers the matchers and detectors reuse from one message to the next.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    /// Phrase matches.
    pub hits: Vec<matcher::Hit>,
    /// Personal data found, and for which kinds it was searched.
    pub pii: Vec<pii::PiiMatch>,
    pub pii_kinds: Vec<pii::PiiKind>,
    pub pii_done: bool,
    /// A message's hashed n-grams, for the text models.
    pub grams: Vec<(u64, usize)>,
    pub gram_set: rustc_hash::FxHashSet<u64>,
}

impl Scratch {
    /// Forgets the previous message.
    pub fn clear(&mut self) {
        self.hits.clear();
        self.pii.clear();
        self.pii_kinds.clear();
        self.pii_done = false;
        self.grams.clear();
    }
}
