//! Tokenizer: words (with initialisms such as "U.S." and abbreviations such as "Mr."), numbers,
//! possessive "'s", and single punctuation marks, each with its exact span.

use super::span::{OffsetMap, Span};
use rustc_hash::FxHashSet as HashSet;
use std::ops::Range;
use std::sync::LazyLock;

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters, with inner apostrophes, hyphens and digits ("don't", "ballistic-missile", "G7").
    Word,
    /// Digits with inner separators ("2,000", "3.5", "21:51").
    Number,
    /// One punctuation or symbol character, including quotation marks.
    Punct,
}

/// One token of a document.
#[derive(Debug, Clone)]
pub struct Token {
    /// Where it stands in the document.
    pub span: Span,
    /// Word, number or punctuation.
    pub kind: TokenKind,
    /// The token's normalised form (lowercase, curly apostrophes straightened) as a range of
    /// [`super::Analysis::norm_buffer`].
    pub norm: Range<usize>,
    /// Whether the first character is uppercase.
    pub capitalized: bool,
}

/// The words of a word list (one per line; blank lines and `#` comments skipped).
pub(crate) fn word_list(list: &'static str) -> HashSet<&'static str> {
    list.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
}

static ABBREVIATIONS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| word_list(include_str!("abbreviations.txt")));

/// Whether `word` (lowercase, without its period) is an abbreviation that takes a period.
pub fn is_abbreviation(word: &str) -> bool {
    ABBREVIATIONS.contains(word)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

/// Splits `text[range]` into tokens appended to `tokens`, normalised forms appended to `norm`.
pub(crate) fn tokenize(text: &str, range: Range<usize>, map: &OffsetMap, tokens: &mut Vec<Token>, norm: &mut String) {
    let Some(slice) = text.get(range.clone()) else { return };
    let chars: Vec<(usize, char)> = slice.char_indices().map(|(b, c)| (b + range.start, c)).collect();
    let end_byte = range.end;
    let byte_at = |i: usize| chars.get(i).map_or(end_byte, |&(b, _)| b);
    let char_at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let kind;
        if c.is_alphabetic() {
            kind = TokenKind::Word;
            i = scan_word(&chars, i);
        } else if c.is_ascii_digit() {
            kind = TokenKind::Number;
            i += 1;
            while let Some(c) = char_at(i) {
                let inner_sep = matches!(c, ',' | '.' | ':') && char_at(i + 1).is_some_and(|n| n.is_ascii_digit());
                if c.is_ascii_digit() || inner_sep {
                    i += 1;
                } else {
                    break;
                }
            }
            // "1990s", "5th": a number glued to letters is one word.
            while char_at(i).is_some_and(char::is_alphanumeric) {
                i += 1;
            }
        } else if is_apostrophe(c)
            && char_at(i + 1).is_some_and(|n| n == 's' || n == 'S')
            && !char_at(i + 2).is_some_and(char::is_alphanumeric)
            && start > 0
            && chars
                .get(start - 1)
                .is_some_and(|&(_, p)| p.is_alphanumeric() || p == '.')
        {
            // The possessive "'s" is a token of its own, so that "Iran's" yields "Iran".
            kind = TokenKind::Word;
            i += 2;
        } else if matches!(c, '\'' | '`' | '\u{2019}' | '\u{2018}') && char_at(i + 1) == Some(c) {
            // Doubled single marks ('' and ``, as in typewriter-era and some newspaper text) are one
            // double quotation mark.
            kind = TokenKind::Punct;
            i += 2;
        } else {
            kind = TokenKind::Punct;
            i += 1;
        }
        let bytes = byte_at(start)..byte_at(i);
        let Some(span) = map.span_of_bytes(bytes.clone()) else {
            continue;
        };
        let surface = &text[bytes];
        let norm_start = norm.len();
        for ch in surface.chars() {
            if ch == '\u{2019}' {
                norm.push('\'');
            } else {
                norm.extend(ch.to_lowercase());
            }
        }
        tokens.push(Token {
            span,
            kind,
            norm: norm_start..norm.len(),
            capitalized: c.is_uppercase(),
        });
    }
}

/// Scans a word starting at `i`; returns the index one past it.
fn scan_word(chars: &[(usize, char)], mut i: usize) -> usize {
    let at = |k: usize| chars.get(k).map(|&(_, c)| c);
    let start = i;
    // Initialisms: "U.S.", "U.N.", "D.C." — single letters each followed by a period.
    if at(i + 1) == Some('.') && at(i + 2).is_some_and(char::is_alphabetic) && at(i + 3) == Some('.') {
        let mut k = i;
        while at(k).is_some_and(char::is_alphabetic) && at(k + 1) == Some('.') {
            k += 2;
            if !(at(k).is_some_and(char::is_alphabetic) && at(k + 1) == Some('.')) {
                break;
            }
        }
        if !at(k).is_some_and(char::is_alphanumeric) {
            return k;
        }
    }
    while let Some(c) = at(i) {
        // Inner apostrophes and hyphens join ("don't", "re-run"), but a final possessive "'s" is
        // a token of its own.
        let joiner = (is_apostrophe(c) || c == '-' || c == '\u{2010}')
            && at(i + 1).is_some_and(char::is_alphanumeric)
            && !(is_apostrophe(c)
                && matches!(at(i + 1), Some('s' | 'S'))
                && !at(i + 2).is_some_and(char::is_alphanumeric));
        if !(c.is_alphanumeric() || joiner) {
            break;
        }
        i += 1;
    }
    // Abbreviations that take a period: "Mr.", "Sen.", "Gov.", "Jan.".
    if at(i) == Some('.') {
        let word: String = chars[start..i].iter().flat_map(|&(_, c)| c.to_lowercase()).collect();
        if is_abbreviation(&word) {
            i += 1;
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use crate::text::analyze;

    fn toks(text: &str) -> Vec<String> {
        let a = analyze(text);
        a.tokens.iter().map(|t| t.span.text(text).to_owned()).collect()
    }

    #[test]
    fn initialisms_possessives_and_abbreviations() {
        assert_eq!(
            toks("Mr. Smith of the U.S. said Iran's plan—\"no.\""),
            [
                "Mr.", "Smith", "of", "the", "U.S.", "said", "Iran", "'s", "plan", "—", "\"", "no", ".", "\""
            ]
        );
        assert_eq!(
            toks("don’t 2,000.5 1990s re-run"),
            ["don’t", "2,000.5", "1990s", "re-run"]
        );
        assert_eq!(toks("'either"), ["'", "either"]);
    }
}
