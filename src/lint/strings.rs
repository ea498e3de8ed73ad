//! String literals of catalogues, decoded with a map back to the source bytes (so a finding
//! in `"\u50ac\u6536"` points at the escape that spells it), and a small walker that finds
//! where each value of a JSON document is (serde_json does not keep spans).

use std::ops::Range;

use super::source::SourceMap;

/// Decodes a TOML string literal (`"..."`, `'...'`, `"""..."""`, `'''...'''`) that starts
/// at `at` in `src`. `None` when it is not one.
pub(crate) fn toml_string(src: &str, at: Range<usize>) -> Option<(String, SourceMap)> {
    let raw = src.get(at.clone())?;
    let (delim, basic) = if raw.starts_with("\"\"\"") {
        (3, true)
    } else if raw.starts_with("'''") {
        (3, false)
    } else if raw.starts_with('"') {
        (1, true)
    } else if raw.starts_with('\'') {
        (1, false)
    } else {
        return None;
    };
    if raw.len() < 2 * delim {
        return None;
    }
    let mut start = at.start + delim;
    let end = at.end - delim;
    if delim == 3 {
        let body = src.get(start..end)?;
        if body.starts_with("\r\n") {
            start += 2;
        } else if body.starts_with('\n') {
            start += 1;
        }
    }
    let mut out = String::new();
    let mut map = SourceMap::new(start);
    let mut i = start;
    while i < end {
        let rest = src.get(i..end)?;
        let c = rest.chars().next()?;
        if !basic || c != '\\' {
            let len = c.len_utf8();
            map.verbatim(out.len(), i, len);
            out.push(c);
            i += len;
            continue;
        }
        let mut chars = rest.chars();
        chars.next();
        let e = chars.next()?;
        let simple = match e {
            'b' => Some('\u{8}'),
            't' => Some('\t'),
            'n' => Some('\n'),
            'f' => Some('\u{c}'),
            'r' => Some('\r'),
            'e' => Some('\u{1b}'),
            '"' => Some('"'),
            '\\' => Some('\\'),
            _ => None,
        };
        if let Some(ch) = simple {
            map.escape(out.len(), ch.len_utf8(), i, 2);
            out.push(ch);
            i += 2;
            continue;
        }
        let hex_len = match e {
            'x' => 2,
            'u' => 4,
            'U' => 8,
            _ => 0,
        };
        if hex_len > 0 {
            let hex = rest.get(2..2 + hex_len)?;
            let ch = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
            map.escape(out.len(), ch.len_utf8(), i, 2 + hex_len);
            out.push(ch);
            i += 2 + hex_len;
            continue;
        }
        // a line-ending backslash: skip the whitespace and newlines that follow
        if delim == 3 && (e == ' ' || e == '\t' || e == '\n' || e == '\r') {
            let skipped = rest
                .get(1..)?
                .char_indices()
                .find(|(_, ch)| !ch.is_whitespace())
                .map_or(rest.len(), |(n, _)| n + 1);
            i += skipped;
            continue;
        }
        return None;
    }
    Some((out, map))
}

/// Decodes a JSON string literal that starts at `at` in `src` (`at` covers the quotes).
pub(crate) fn json_string(src: &str, at: Range<usize>) -> Option<(String, SourceMap)> {
    let raw = src.get(at.clone())?;
    if raw.len() < 2 || !raw.starts_with('"') || !raw.ends_with('"') {
        return None;
    }
    let start = at.start + 1;
    let end = at.end - 1;
    let mut out = String::new();
    let mut map = SourceMap::new(start);
    let mut i = start;
    while i < end {
        let rest = src.get(i..end)?;
        let c = rest.chars().next()?;
        if c != '\\' {
            let len = c.len_utf8();
            map.verbatim(out.len(), i, len);
            out.push(c);
            i += len;
            continue;
        }
        let e = rest.get(1..2)?;
        let simple = match e {
            "\"" => Some('"'),
            "\\" => Some('\\'),
            "/" => Some('/'),
            "b" => Some('\u{8}'),
            "f" => Some('\u{c}'),
            "n" => Some('\n'),
            "r" => Some('\r'),
            "t" => Some('\t'),
            _ => None,
        };
        if let Some(ch) = simple {
            map.escape(out.len(), 1, i, 2);
            out.push(ch);
            i += 2;
            continue;
        }
        if e != "u" {
            return None;
        }
        let hi = u32::from_str_radix(rest.get(2..6)?, 16).ok()?;
        let (code, len) = if (0xD800..0xDC00).contains(&hi) {
            if rest.get(6..8)? != "\\u" {
                return None;
            }
            let lo = u32::from_str_radix(rest.get(8..12)?, 16).ok()?;
            (
                0x10000 + ((hi - 0xD800) << 10) + (lo.checked_sub(0xDC00)?),
                12,
            )
        } else {
            (hi, 6)
        };
        let ch = char::from_u32(code)?;
        map.escape(out.len(), ch.len_utf8(), i, len);
        out.push(ch);
        i += len;
    }
    Some((out, map))
}

/// One step of a path into a JSON document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    /// An object member.
    Key(String),
    /// An array element.
    Index(usize),
}

/// The byte range of every value of a JSON document (well-formed: check it with
/// serde_json first), by path. `None` if the walker gets lost.
pub(crate) fn json_spans(src: &str) -> Option<Vec<(Vec<Step>, Range<usize>)>> {
    let mut w = Walker {
        s: src.as_bytes(),
        src,
        pos: 0,
        out: Vec::new(),
    };
    let mut path = Vec::new();
    w.ws();
    w.value(&mut path, 0)?;
    Some(w.out)
}

struct Walker<'a> {
    s: &'a [u8],
    src: &'a str,
    pos: usize,
    out: Vec<(Vec<Step>, Range<usize>)>,
}

impl Walker<'_> {
    fn ws(&mut self) {
        while matches!(self.s.get(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn string_end(&mut self) -> Option<usize> {
        // at the opening quote
        self.pos += 1;
        loop {
            match self.peek()? {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    return Some(self.pos);
                }
                _ => self.pos += 1,
            }
        }
    }

    /// The members of an object or the elements of an array, at its opening bracket: `item`
    /// reads each (given its index) after the blanks before it; then comes a `,` or `close`.
    fn items(
        &mut self,
        close: u8,
        mut item: impl FnMut(&mut Self, usize) -> Option<()>,
    ) -> Option<()> {
        self.pos += 1;
        self.ws();
        if self.peek()? == close {
            self.pos += 1;
            return Some(());
        }
        let mut i = 0;
        loop {
            self.ws();
            item(self, i)?;
            i += 1;
            self.ws();
            match self.peek()? {
                b',' => self.pos += 1,
                c if c == close => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn value(&mut self, path: &mut Vec<Step>, depth: usize) -> Option<()> {
        if depth > 64 {
            return None;
        }
        let start = self.pos;
        match self.peek()? {
            b'{' => self.items(b'}', |w, _| {
                let ks = w.pos;
                let ke = w.string_end()?;
                let key: String = serde_json::from_str(w.src.get(ks..ke)?).ok()?;
                w.ws();
                if w.peek()? != b':' {
                    return None;
                }
                w.pos += 1;
                w.ws();
                path.push(Step::Key(key));
                w.value(path, depth + 1)?;
                path.pop();
                Some(())
            })?,
            b'[' => self.items(b']', |w, i| {
                path.push(Step::Index(i));
                w.value(path, depth + 1)?;
                path.pop();
                Some(())
            })?,
            b'"' => {
                self.string_end()?;
            }
            _ => {
                while matches!(self.peek(), Some(c) if !matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                {
                    self.pos += 1;
                }
                if self.pos == start {
                    return None;
                }
            }
        }
        self.out.push((path.clone(), start..self.pos));
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_toml(doc: &str) {
        #[derive(serde::Deserialize)]
        struct D {
            t: toml::Spanned<String>,
        }
        let d: D = toml::from_str(doc).unwrap();
        let (text, map) = toml_string(doc, d.t.span()).unwrap();
        assert_eq!(&text, d.t.get_ref(), "{doc}");
        // every char of the text maps into the literal
        for (i, c) in text.char_indices() {
            let s = map.start(i);
            let e = map.end(i + c.len_utf8());
            assert!(
                d.t.span().start < s && e <= d.t.span().end,
                "{doc}: {c:?} -> {s}..{e}"
            );
            let piece = doc.get(s..e).unwrap();
            if !piece.starts_with('\\') {
                assert_eq!(piece, c.to_string(), "{doc}");
            }
        }
    }

    #[test]
    fn toml_strings_decode_with_offsets() {
        check_toml("t = \"ab\\t催收\\u50ac\"");
        check_toml("t = 'a\\b 催收'");
        check_toml("t = \"\"\"\n第一行\n第二 \\\n    行\"\"\"");
        check_toml("t = '''\n催收\n'''");
        check_toml("t = \"\"\"\"quoted\" \\x41\"\"\"");
        let doc = "t = \"x\\u50acy\"";
        let (_, map) = toml_string(doc, 4..doc.len()).unwrap();
        assert_eq!(&doc[map.start(1)..map.end(4)], "\\u50ac");
    }

    #[test]
    fn json_strings_decode_with_offsets() {
        let doc = r#""a\u50ac\n😀\ud83d\ude00b""#;
        let (text, map) = json_string(doc, 0..doc.len()).unwrap();
        assert_eq!(text, serde_json::from_str::<String>(doc).unwrap());
        let b = text.find('b').unwrap();
        assert_eq!(&doc[map.start(b)..map.end(b + 1)], "b");
        let esc = text.rfind('😀').unwrap();
        assert_eq!(&doc[map.start(esc)..map.end(esc + 4)], r"\ud83d\ude00");
        assert_eq!(&doc[map.start(1)..map.end(4)], r"\u50ac");
    }

    #[test]
    fn json_walker_finds_values() {
        let doc = r#"{"template": [ {"id": "a", "text": "x\"y"}, {"text":"z", "n": [1, true]} ], "k": null}"#;
        let spans = json_spans(doc).unwrap();
        let find = |p: &[Step]| {
            spans
                .iter()
                .find(|(q, _)| q == p)
                .map(|(_, r)| &doc[r.clone()])
        };
        let t = |s: &str| Step::Key(s.into());
        assert_eq!(
            find(&[t("template"), Step::Index(0), t("text")]),
            Some(r#""x\"y""#)
        );
        assert_eq!(
            find(&[t("template"), Step::Index(1), t("n"), Step::Index(1)]),
            Some("true")
        );
        assert_eq!(find(&[t("k")]), Some("null"));
        assert!(find(&[t("template"), Step::Index(1)])
            .unwrap()
            .starts_with("{\"text\""));
    }
}
