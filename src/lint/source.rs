//! Positions in a template's source file: a map from the message text (what the engine
//! reads) back to the bytes of the file, and line/column arithmetic in the units each
//! output needs (characters for people, UTF-16 code units for SARIF).

use serde::Serialize;

/// A run of message text and the source bytes it came from. Runs copied verbatim have the
/// same length on both sides; an escape (`\u4e2d`, `\n`) maps a short text run onto a
/// longer source run as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    text: usize,
    text_len: usize,
    src: usize,
    src_len: usize,
}

impl Piece {
    fn verbatim(&self) -> bool {
        self.text_len == self.src_len
    }
}

/// Maps byte offsets of a decoded message text to byte offsets of its source file.
#[derive(Debug, Clone, Default)]
pub(crate) struct SourceMap {
    /// Where an empty text (or an offset before every piece) points.
    origin: usize,
    pieces: Vec<Piece>,
}

impl SourceMap {
    /// An empty map whose offsets all point at `origin`.
    pub fn new(origin: usize) -> SourceMap {
        SourceMap {
            origin,
            pieces: Vec::new(),
        }
    }

    /// Appends `len` bytes copied verbatim from `src` to the text at `text`.
    pub fn verbatim(&mut self, text: usize, src: usize, len: usize) {
        if len == 0 {
            return;
        }
        if let Some(last) = self.pieces.last_mut() {
            if last.verbatim()
                && last.text + last.text_len == text
                && last.src + last.src_len == src
            {
                last.text_len += len;
                last.src_len += len;
                return;
            }
        }
        self.pieces.push(Piece {
            text,
            text_len: len,
            src,
            src_len: len,
        });
    }

    /// Appends a text run of `text_len` bytes that came from `src_len` source bytes as a whole.
    pub fn escape(&mut self, text: usize, text_len: usize, src: usize, src_len: usize) {
        if text_len == 0 {
            return;
        }
        self.pieces.push(Piece {
            text,
            text_len,
            src,
            src_len,
        });
    }

    /// The piece holding text offset `off` (the last piece starting at or before it).
    fn piece_at(&self, off: usize) -> Option<&Piece> {
        let i = self.pieces.partition_point(|p| p.text <= off);
        i.checked_sub(1).and_then(|i| self.pieces.get(i))
    }

    /// The source offset where the character at text offset `off` starts.
    pub fn start(&self, off: usize) -> usize {
        match self.piece_at(off) {
            None => self.pieces.first().map_or(self.origin, |p| p.src),
            Some(p) if off < p.text + p.text_len => {
                if p.verbatim() {
                    p.src + (off - p.text)
                } else {
                    p.src
                }
            }
            Some(p) => p.src + p.src_len,
        }
    }

    /// The source offset just after the character that ends at text offset `off`.
    pub fn end(&self, off: usize) -> usize {
        if off == 0 {
            return self.start(0);
        }
        match self.piece_at(off - 1) {
            None => self.start(off),
            Some(p) if off <= p.text + p.text_len => {
                if p.verbatim() {
                    p.src + (off - p.text)
                } else {
                    p.src + p.src_len
                }
            }
            Some(p) => p.src + p.src_len,
        }
    }
}

/// A 1-based position, with the column counted both ways.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters (Unicode scalar values), as editors and rustc count.
    pub column: usize,
    /// 1-based column in UTF-16 code units, as SARIF counts by default.
    pub column_utf16: usize,
}

/// Line starts of a source, for turning byte offsets into positions.
#[derive(Debug, Clone)]
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(src: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The byte offset where 1-based `line` starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        line.checked_sub(1)
            .and_then(|i| self.starts.get(i))
            .copied()
    }

    /// The 1-based line holding byte offset `off`.
    pub fn line_of(&self, off: usize) -> usize {
        self.starts.partition_point(|&s| s <= off).max(1)
    }

    /// The position of byte offset `off` (clamped into the source and onto a char boundary).
    pub fn position(&self, src: &str, off: usize) -> Position {
        let mut off = off.min(src.len());
        while off > 0 && !src.is_char_boundary(off) {
            off -= 1;
        }
        let line = self.line_of(off);
        let start = self.line_start(line).unwrap_or(0).min(off);
        let before = src.get(start..off).unwrap_or("");
        Position {
            line,
            column: before.chars().count() + 1,
            column_utf16: before.encode_utf16().count() + 1,
        }
    }

    /// The text of 1-based `line`, without its line break.
    pub fn line_text<'s>(&self, src: &'s str, line: usize) -> &'s str {
        let Some(start) = self.line_start(line) else {
            return "";
        };
        let end = self.line_start(line + 1).unwrap_or(src.len());
        let text = src.get(start..end).unwrap_or("");
        text.trim_end_matches('\n').trim_end_matches('\r')
    }

    /// The 1-based line and the byte offset of a 1-based (line, byte column) pair, as
    /// `serde_json` reports errors.
    pub fn offset_of(&self, src: &str, line: usize, byte_column: usize) -> usize {
        let start = self.line_start(line).unwrap_or(src.len());
        let mut off = (start + byte_column.saturating_sub(1)).min(src.len());
        while off > 0 && !src.is_char_boundary(off) {
            off -= 1;
        }
        off
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbatim_runs_merge_and_map_linearly() {
        let mut m = SourceMap::new(7);
        m.verbatim(0, 10, 3);
        m.verbatim(3, 13, 2);
        assert_eq!(m.pieces.len(), 1);
        assert_eq!(m.start(0), 10);
        assert_eq!(m.start(4), 14);
        assert_eq!(m.end(5), 15);
        assert_eq!(m.start(5), 15);
    }

    #[test]
    fn gaps_and_escapes_map_as_a_whole() {
        // text "ab" + "中" (from `\u4e2d`, 6 source bytes) + "c" after a skipped line
        let mut m = SourceMap::new(0);
        m.verbatim(0, 1, 2);
        m.escape(2, 3, 3, 6);
        m.verbatim(5, 20, 1);
        assert_eq!(m.start(2), 3);
        assert_eq!(m.end(5), 9);
        assert_eq!(m.start(5), 20);
        assert_eq!(m.end(6), 21);
        assert_eq!(m.end(2), 3);
        assert_eq!(SourceMap::new(4).start(0), 4);
        assert_eq!(SourceMap::new(4).end(3), 4);
    }

    #[test]
    fn positions_count_chars_and_utf16_units() {
        let src = "ab\n😀催收x\r\nz";
        let idx = LineIndex::new(src);
        assert_eq!(
            idx.position(src, 0),
            Position {
                line: 1,
                column: 1,
                column_utf16: 1
            }
        );
        let x = src.find('x').unwrap();
        assert_eq!(
            idx.position(src, x),
            Position {
                line: 2,
                column: 4,
                column_utf16: 5
            }
        );
        assert_eq!(idx.line_text(src, 2), "😀催收x");
        assert_eq!(idx.line_text(src, 3), "z");
        assert_eq!(idx.line_of(src.len()), 3);
        // inside a multi-byte char: clamped back to its start
        assert_eq!(idx.position(src, 4).column, 1);
    }
}
