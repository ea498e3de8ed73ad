//! Quotation marks: whether a span of a message lies inside a quotation (`“坐牢”`,
//! `「老赖」`, `"jail"`, `'pre-legal'`). A report, warning or apology that quotes the words it
//! is about puts them in quotation marks; rules can exempt such quoted words in such frames.

use crate::verdict::Span;

/// Most quotations open at once that are tracked (deeper ones are not counted).
const MAX_DEPTH: usize = 8;

/// What a character does to the quotations open so far, given its neighbours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    /// Opens a quotation closed by the given character.
    Open(char),
    /// Closes the quotation it names.
    Close(char),
    /// `"` (or `'` beside a Chinese character): closes an open quotation of that mark, else
    /// opens one.
    Straight(char),
}

/// The mark `c` is, between `before` and `after` (an apostrophe inside a word, as in
/// `don't`, is none).
fn mark(c: char, before: Option<char>, after: Option<char>) -> Option<Mark> {
    let word = |x: Option<char>| x.is_some_and(char::is_alphanumeric);
    Some(match c {
        '“' => Mark::Open('”'),
        '‘' => Mark::Open('’'),
        '「' => Mark::Open('」'),
        '『' => Mark::Open('』'),
        '«' => Mark::Open('»'),
        '‹' => Mark::Open('›'),
        '〝' => Mark::Open('〞'),
        '”' | '’' | '」' | '』' | '»' | '›' | '〞' => Mark::Close(c),
        '〟' => Mark::Close('〞'),
        '"' | '＂' => Mark::Straight('"'),
        // Beside a Chinese character an apostrophe is no contraction: it quotes, opening or
        // closing by what is open (`您问'我是不是已经成老赖了'——不是的`).
        '\'' if before.is_some_and(crate::text::fold::is_cjk)
            || after.is_some_and(crate::text::fold::is_cjk) =>
        {
            Mark::Straight('\'')
        }
        '\'' if !word(before) && word(after) => Mark::Open('\''),
        // A quoted sentence closes after its stop, a masked word after its mask: `told you to
        // 'get off your lazy ass and pay.'`, `'bill collectors can kiss my a$$'`
        '\'' if (word(before)
            || before.is_some_and(|b| matches!(b, '.' | '!' | '?' | ',' | '$' | '*')))
            && !word(after) =>
        {
            Mark::Close('\'')
        }
        _ => return None,
    })
}

/// Whether `span` of `text` lies inside one quotation: opened before the span starts and
/// closed at or after it ends. An unclosed quotation does not count.
pub(crate) fn inside(text: &str, span: Span) -> bool {
    let mut open: [char; MAX_DEPTH] = ['\0'; MAX_DEPTH];
    let mut depth = 0usize;
    // The depth when the span starts: the span is quoted when a quotation open then is
    // still open when it ends.
    let mut at_start: Option<usize> = None;
    let mut before: Option<char> = None;
    let mut last = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        last = i;
        if at_start.is_none() && i >= span.start {
            if depth == 0 {
                return false;
            }
            at_start = Some(depth);
        }
        if let Some(d) = at_start {
            if depth < d {
                // The quotation around the span start closed: inside if it closed at or
                // after the span's end.
                return i >= span.end;
            }
        }
        let after = chars.peek().map(|&(_, n)| n);
        match mark(c, before, after) {
            Some(Mark::Open(close)) => {
                if let Some(slot) = open.get_mut(depth) {
                    *slot = close;
                }
                depth += 1;
            }
            Some(Mark::Close(close)) => {
                // Close the innermost quotation this mark closes, and any left open inside it.
                if let Some(k) = open
                    .get(..depth.min(MAX_DEPTH))
                    .and_then(|o| o.iter().rposition(|&x| x == close))
                {
                    depth = k;
                }
            }
            Some(Mark::Straight(q)) => {
                let top = depth.checked_sub(1).and_then(|k| open.get(k)).copied();
                if top == Some(q) {
                    depth -= 1;
                } else {
                    if let Some(slot) = open.get_mut(depth) {
                        *slot = q;
                    }
                    depth += 1;
                }
            }
            None => {}
        }
        before = Some(c);
    }
    // The text ended: inside only if its last character closed the quotation, after the span.
    at_start.is_some_and(|d| depth < d && last >= span.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(text: &str, what: &str) -> bool {
        let start = text.find(what).unwrap();
        inside(text, Span::new(start, start + what.len()))
    }

    #[test]
    fn apostrophes_beside_chinese_quote() {
        assert!(quoted("您问'我是不是已经成老赖了'——不是的", "老赖"));
        assert!(quoted("他说'老赖'这种词不该用", "老赖"));
        assert!(!quoted("他说'老赖'这种词，你就是老赖", "你就是老赖"));
        // In English an apostrophe still makes contractions.
        assert!(!quoted("don't call, we'll sue", "sue"));
    }

    #[test]
    fn curly_and_corner_quotes() {
        assert!(quoted("收到“再不还钱警察就上门抓人”的短信", "上门抓人"));
        assert!(quoted("说了「老赖」这样的词", "老赖"));
        assert!(!quoted("再不还钱警察就上门抓人", "上门抓人"));
        // Closed before the span, or never closed.
        assert!(!quoted("“通知”之后就上门抓人", "上门抓人"));
        assert!(!quoted("他说：“再不还就上门抓人", "上门抓人"));
        // Nested quotations count.
        assert!(quoted("他说：“我们会‘上门拜访’你家人”", "你家人"));
        assert!(quoted("他说：“我们会‘上门拜访’你家人”", "上门拜访"));
    }

    #[test]
    fn straight_quotes_and_apostrophes() {
        assert!(quoted(
            "fake 'pre-legal' texts are circulating",
            "pre-legal"
        ));
        assert!(quoted("never say \"deadbeat\" to a consumer", "deadbeat"));
        assert!(!quoted("don't make us send the sheriff", "sheriff"));
        assert!(!quoted(
            "the collectors' office will send the sheriff",
            "sheriff"
        ));
        assert!(quoted("he said \"you're going to jail\" twice", "jail"));
        assert!(quoted(
            "He told you to 'get off your lazy ass and pay.' I'm sorry.",
            "lazy"
        ));
    }

    #[test]
    fn a_span_across_the_closing_mark_is_not_inside() {
        assert!(!quoted("“上门”抓人", "上门”抓人"));
        assert!(quoted("“上门”", "上门"));
        assert!(!quoted("“上门”", "上门”"));
    }
}
