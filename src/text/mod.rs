//! Text preparation: normalisation with a map back to the original bytes, the phrase
//! matcher, and PII detection. Everything here is `pub(crate)`: rules read it, users see
//! spans into their own text.

pub(crate) mod fold;
pub(crate) mod matcher;
pub(crate) mod normalize;
pub(crate) mod pii;
pub(crate) mod quotes;
pub(crate) mod turns;

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
    /// The text models' buffers.
    pub grams: Ngrams,
}

/// A message's distinct n-grams, as the text models read them (`rules::text_model`).
#[derive(Debug, Default)]
pub(crate) struct Ngrams {
    /// `(hash, start of the first occurrence)`.
    pub list: Vec<(u64, usize)>,
    /// The hashes seen: a keyed set, so that a message cannot be made to collide in it.
    pub seen: std::collections::HashSet<u64>,
    /// The character boundaries of a clause.
    pub bounds: Vec<usize>,
    /// Per clause of the normalised text, whether it is left out: the other party's turn in
    /// a transcript (`text::turns`). Empty when none is.
    pub skip: Vec<bool>,
}

impl Scratch {
    /// Forgets the previous message.
    pub fn clear(&mut self) {
        self.hits.clear();
        self.pii.clear();
        self.pii_kinds.clear();
        self.pii_done = false;
        self.grams.list.clear();
    }
}
