//! Character folding: what one character of the original becomes in the normalised text.
//!
//! Per character, in order: Unicode compatibility decomposition (NFKD: full-width and
//! half-width forms, circled and mathematical letters, ligatures, compatibility ideographs)
//! with combining marks dropped (so `é` reads as `e`; this is NFKC plus accent folding),
//! lower-casing, Latin look-alikes from other scripts (Cyrillic `а`, Greek `ο`) folded to
//! Latin, and traditional Chinese characters folded to simplified ones (the `fast2s` table).
//! Then each resulting character is classed for the tokeniser ([`Class`]).

use std::sync::OnceLock;

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// First and last code point of the traditional → simplified table (every entry of the
/// `fast2s` table lies in the CJK Unified Ideographs block).
const T2S_FIRST: u32 = 0x4E00;
const T2S_LAST: u32 = 0x9FFF;

/// The traditional → simplified table, one entry per code point of
/// `T2S_FIRST..=T2S_LAST`. Built once from `fast2s` (which only converts whole strings),
/// then closed under itself so that folding is idempotent.
fn t2s_table() -> &'static [char] {
    static TABLE: OnceLock<Box<[char]>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let chars: Vec<char> = (T2S_FIRST..=T2S_LAST).filter_map(char::from_u32).collect();
        // One string with every character separated by spaces: `fast2s` looks at
        // neighbours for a handful of context-dependent characters; spaces keep each
        // character on its own.
        let mut joined = String::with_capacity(chars.len() * 4);
        for c in &chars {
            joined.push(*c);
            joined.push(' ');
        }
        let converted = fast2s::convert(&joined);
        let mut table: Vec<char> = converted.chars().filter(|c| *c != ' ').collect();
        if table.len() != chars.len() {
            // Not expected (the table maps one character to one); fall back to identity.
            table = chars;
        }
        // Close the mapping (a → b, b → c gives a → c) so folding twice is folding once.
        for i in 0..table.len() {
            let mut c = table.get(i).copied().unwrap_or(' ');
            for _ in 0..4 {
                let next = lookup(&table, c);
                if next == c {
                    break;
                }
                c = next;
            }
            if let Some(slot) = table.get_mut(i) {
                *slot = c;
            }
        }
        table.into_boxed_slice()
    })
}

fn lookup(table: &[char], c: char) -> char {
    let cp = c as u32;
    if (T2S_FIRST..=T2S_LAST).contains(&cp) {
        table.get((cp - T2S_FIRST) as usize).copied().unwrap_or(c)
    } else {
        c
    }
}

/// The simplified form of a Chinese character (itself when it has none).
pub(crate) fn simplify(c: char) -> char {
    // Variant forms (异体字) that the table leaves alone but that spell common words, and
    // the look-alikes of "Martian script" (火星文: `伱媽の哋址莪們巳經知噵ㄋ`, "你妈的地址我们已经
    // 知道了"). Cantonese `我哋` ("we") then reads `我地`.
    let c = match c {
        '噵' => '道',
        '伱' | '妳' | '沵' => '你',
        '徃' => '往',
        '莪' => '我',
        '哋' => '地',
        '巳' => '已',
        '芣' | '吥' | '卟' => '不',
        '僦' => '就',
        '倁' => '知',
        '洅' => '再',
        '嗰' => '个',
        _ => c,
    };
    lookup(t2s_table(), c)
}

/// Latin look-alikes from other scripts, and Latin letters without a decomposition, after
/// lower-casing. Multi-letter foldings (`ß`, `æ`) are handled by [`fold`].
fn homoglyph(c: char) -> char {
    let cp = c as u32;
    // Regional indicators (🇯🇦🇮🇱), negative circled (🅐) and negative squared (🅰) letters.
    for base in [0x1F1E6, 0x1F150, 0x1F170] {
        if (base..base + 26).contains(&cp) {
            return char::from_u32(u32::from(b'a') + cp - base).unwrap_or(c);
        }
    }
    match c {
        // Small capitals
        'ᴀ' => 'a',
        'ʙ' => 'b',
        'ᴄ' => 'c',
        'ᴅ' => 'd',
        'ᴇ' => 'e',
        'ꜰ' => 'f',
        'ɢ' => 'g',
        'ʜ' => 'h',
        'ɪ' => 'i',
        'ᴊ' => 'j',
        'ᴋ' => 'k',
        'ʟ' => 'l',
        'ᴍ' => 'm',
        'ɴ' => 'n',
        'ᴏ' => 'o',
        'ᴘ' => 'p',
        'ʀ' => 'r',
        'ꜱ' => 's',
        'ᴛ' => 't',
        'ᴜ' => 'u',
        'ᴠ' => 'v',
        'ᴡ' => 'w',
        'ʏ' => 'y',
        'ᴢ' => 'z',
        // Cyrillic
        'а' => 'a',
        'в' => 'b',
        'е' | 'ё' | 'є' => 'e',
        'к' => 'k',
        'м' => 'm',
        'н' => 'h',
        'о' => 'o',
        'р' => 'p',
        'с' => 'c',
        'т' => 't',
        'у' => 'y',
        'х' => 'x',
        'ѕ' => 's',
        'і' | 'ї' => 'i',
        'ј' => 'j',
        'ԁ' => 'd',
        'ԛ' => 'q',
        'ԝ' => 'w',
        'һ' => 'h',
        'ѵ' => 'v',
        // Greek
        'α' => 'a',
        'β' => 'b',
        'ε' => 'e',
        'η' => 'n',
        'ι' => 'i',
        'κ' => 'k',
        'ν' => 'v',
        'ο' => 'o',
        'ρ' => 'p',
        'τ' => 't',
        'υ' => 'u',
        'χ' => 'x',
        // Latin letters NFKD leaves alone
        'ı' => 'i',
        'ł' => 'l',
        'ø' => 'o',
        'đ' => 'd',
        'ħ' => 'h',
        'ŧ' => 't',
        'ƅ' => 'b',
        // The multiplication sign stands in for a masked letter (`傻×`).
        '×' => 'x',
        // Circles stand in for `o` (`Y○ur ѕ○n`).
        '○' | '◯' => 'o',
        // Martian script (火星文) writes 了 with the bopomofo `ㄋ` and 的 with the kana `の`.
        'ㄋ' => '了',
        'の' => '的',
        // The horse stands in for its homophone 妈 in curses (`他🐴的`): read as 马, a word.
        '🐴' | '🐎' => '马',
        // The people of a family emoji sequence (`👨‍👩‍👧`, joined by zero-width joiners) read
        // as the family emoji; its repeats collapse to one.
        '👨' | '👩' | '👧' | '👦' => '👪',
        _ => c,
    }
}

/// Characters deleted without separating what is on either side: zero-width and format
/// characters, variation selectors, soft hyphens and apostrophes (`don't` reads `dont`).
pub(crate) fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{180B}'..='\u{180E}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FFA0}'
            | '\u{E0000}'..='\u{E007F}'
            | '\u{E0100}'..='\u{E01EF}'
            | '\''
            | '`'
            | '\u{00B4}'
            | '\u{2018}'
            | '\u{2019}'
            | '\u{201B}'
            | '\u{2032}'
            | '\u{02BC}'
            | '\u{02B9}'
    )
}

/// Scripts written without spaces between words: a phrase in them matches anywhere, and
/// filler between their characters is dropped.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF
        | 0x2E80..=0x2FDF
        | 0x3005..=0x3007
        | 0x3021..=0x3029
        | 0x3031..=0x3035
        | 0x3038..=0x303C
        | 0x3040..=0x30FF
        | 0x3100..=0x318F
        | 0x31A0..=0x31FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA960..=0xA97F
        | 0xAC00..=0xD7FF
        | 0xF900..=0xFAFF
        | 0x20000..=0x3134F)
}

/// Emoji that collectors use as words: animals and dung in insults (`你就是条🐶`), weapons,
/// coffins and skulls in threats (`小心点🔪`, `watch your back 🔫`), police cars and officers
/// in false arrest threats (`👮马上到`), and the places and people an exposure threat names
/// (`告诉你👪`, `your ⛪ will know`). They are kept in the normalised text as characters of an
/// unspaced script, so that phrase lists can name them; every other emoji is filler. Between
/// two Chinese characters any of them is filler inserted to break a word (`坐🔪牢`).
pub(crate) fn is_word_pictograph(c: char) -> bool {
    matches!(
        c,
        // weapons, death, violence
        '🔪' | '🗡'
            | '⚔'
            | '🔫'
            | '💣'
            | '🪓'
            | '🔨'
            | '⛏'
            | '🏏'
            | '⚰'
            | '🪦'
            | '☠'
            | '💀'
            | '🩸'
            | '⛓'
            // police and arrest
            | '👮'
            | '🚔'
            | '🚓'
            // audiences and places of exposure threats (the people of a family sequence
            // fold to `👪`)
            | '👪'
            | '👨'
            | '👩'
            | '👧'
            | '👦'
            | '🏠'
            | '🏡'
            | '🏢'
            | '🏫'
            | '💼'
            | '⛪'
            // insults: animals and dung
            | '🐶'
            | '🐕'
            | '🐩'
            | '🐷'
            | '🐖'
            | '🐽'
            | '💩'
            | '🐀'
            | '🐁'
            | '🐭'
            | '🐍'
            | '🐒'
            | '🐵'
            | '🐢'
            | '🐛'
            | '🪱'
            | '🦟'
            | '🪳'
            | '🤡'
    )
}

/// Emoji and pictographic symbols (the emoji blocks, miscellaneous symbols and dingbats)
/// that NFKC leaves alone: a character it rewrites reads as what it becomes.
pub(crate) fn is_emoji(c: char) -> bool {
    if !matches!(c as u32, 0x1F300..=0x1FAFF | 0x2600..=0x27BF) {
        return false;
    }
    let mut itself = true;
    decompose_compatible(c, |d| itself &= d == c);
    itself
}

/// What a folded character is to the tokeniser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// A letter of a spaced script (Latin after folding, or another alphabet).
    Letter,
    /// An ASCII digit.
    Digit,
    /// A character of an unspaced script (Chinese, Japanese, Korean).
    Cjk,
    /// `@ $ ! | * #`: leetspeak or a mask when inside a Latin word, filler otherwise.
    Symbol,
    /// `.`: a sentence end or filler, decided by what follows.
    Dot,
    /// `!`: leetspeak inside a word, a sentence end otherwise.
    Bang,
    /// The end of a sentence or clause: `。？?；;` and line breaks.
    Break,
    /// Deleted without separating (zero-width characters, apostrophes).
    Joiner,
    /// Spaces, punctuation, symbols, emoji: separates Latin words, dropped between CJK.
    Filler,
}

/// The class of a folded character.
pub(crate) fn class(c: char) -> Class {
    if c.is_ascii() {
        return match c {
            'a'..='z' | 'A'..='Z' => Class::Letter,
            '0'..='9' => Class::Digit,
            '@' | '$' | '|' | '*' | '#' => Class::Symbol,
            '.' => Class::Dot,
            '!' => Class::Bang,
            '?' | ';' | '\n' | '\r' => Class::Break,
            '\'' | '`' => Class::Joiner,
            _ => Class::Filler,
        };
    }
    if is_cjk(c) || is_word_pictograph(c) {
        return Class::Cjk;
    }
    if is_joiner(c) {
        return Class::Joiner;
    }
    match c {
        '€' | '¢' | '£' => Class::Symbol,
        '。' | '\u{2028}' | '\u{2029}' | '\u{0085}' | '\u{203C}' | '\u{2047}'..='\u{2049}' => {
            Class::Break
        }
        _ if c.is_alphabetic() => Class::Letter,
        _ => Class::Filler,
    }
}

/// Folds one character of the original text, calling `emit` for each resulting character
/// (none for a combining mark, several for `ß` or a ligature).
#[inline]
pub(crate) fn fold(c: char, mut emit: impl FnMut(char)) {
    if c.is_ascii() {
        emit(c.to_ascii_lowercase());
        return;
    }
    let cp = c as u32;
    if (T2S_FIRST..=T2S_LAST).contains(&cp) {
        emit(simplify(c));
        return;
    }
    if is_joiner(c) {
        // Before decomposition: `´` decomposes to a space and a combining accent.
        emit(c);
        return;
    }
    if (0xAC00..=0xD7A3).contains(&cp) {
        // Hangul syllables stay whole (their decomposition is into conjoining jamo).
        emit(c);
        return;
    }
    decompose_compatible(c, |d| {
        if is_combining_mark(d) {
            return;
        }
        if d.is_ascii() {
            emit(d.to_ascii_lowercase());
            return;
        }
        for l in d.to_lowercase() {
            if is_combining_mark(l) {
                continue;
            }
            match l {
                'ß' => {
                    emit('s');
                    emit('s');
                }
                'æ' => {
                    emit('a');
                    emit('e');
                }
                'œ' => {
                    emit('o');
                    emit('e');
                }
                _ => {
                    let h = homoglyph(l);
                    let h = if (T2S_FIRST..=T2S_LAST).contains(&(h as u32)) {
                        simplify(h)
                    } else {
                        h
                    };
                    emit(h);
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(s: &str) -> String {
        let mut out = String::new();
        for c in s.chars() {
            fold(c, |f| out.push(f));
        }
        out
    }

    #[test]
    fn folds_width_case_accents_and_lookalikes() {
        assert_eq!(folded("ＪＡＩＬ"), "jail");
        assert_eq!(folded("Café"), "cafe");
        assert_eq!(folded("ⓕ𝐮𝒄𝓀"), "fuck");
        // Cyrillic а and о in an otherwise Latin word.
        assert_eq!(folded("\u{0430}rrest l\u{043E}ser"), "arrest loser");
        assert_eq!(folded("Straße"), "strasse");
        assert_eq!(folded("ᴊᴀɪʟ"), "jail");
        assert_eq!(folded("🇯🇦🇮🇱 🅰🆁🆁🅴🆂🆃"), "jail arrest");
    }

    #[test]
    fn folds_martian_script() {
        assert_eq!(
            folded("伱媽の哋址莪們巳經知噵ㄋ"),
            "你妈的地址我们已经知道了"
        );
    }

    #[test]
    fn folds_traditional_to_simplified() {
        assert_eq!(folded("騙子廢物嚴重逾期通訊錄"), "骗子废物严重逾期通讯录");
        assert_eq!(folded("坐牢"), "坐牢");
    }

    #[test]
    fn t2s_table_is_closed() {
        for cp in T2S_FIRST..=T2S_LAST {
            if let Some(c) = char::from_u32(cp) {
                let s = simplify(c);
                assert_eq!(simplify(s), s, "{c} → {s}");
            }
        }
    }

    #[test]
    fn classes() {
        assert_eq!(class('a'), Class::Letter);
        assert_eq!(class('ж'), Class::Letter);
        assert_eq!(class('7'), Class::Digit);
        assert_eq!(class('你'), Class::Cjk);
        assert_eq!(class('🐶'), Class::Cjk);
        let mut horse = String::new();
        fold('🐴', |c| horse.push(c));
        assert_eq!(horse, "马");
        assert_eq!(class('。'), Class::Break);
        assert_eq!(class('\u{200B}'), Class::Joiner);
        assert_eq!(class('🔪'), Class::Cjk);
        assert_eq!(class('🔥'), Class::Filler);
        assert_eq!(class('，'), Class::Filler);
        assert_eq!(class('$'), Class::Symbol);
    }
}
