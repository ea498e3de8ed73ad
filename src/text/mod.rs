//! Text preparation: normalisation with a map back to the original bytes, and PII detection.
//! Everything here is `pub(crate)`: rules read it, users see spans into their own text.

/// A message prepared for matching: normalised once, read by every pack.
#[derive(Debug, Default)]
pub(crate) struct Prepared {
    original: String,
}

impl Prepared {
    /// Prepares `text`, reusing this value's buffers.
    pub fn prepare(&mut self, text: &str) {
        self.original.clear();
        self.original.push_str(text);
    }

    /// The original text.
    pub fn original(&self) -> &str {
        &self.original
    }
}
