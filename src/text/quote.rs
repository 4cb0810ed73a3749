//! Quotation detection: straight and curly double quotes, guillemets, and single quotes nested
//! inside them (or used as primary quotes), told apart from apostrophes by their context.

use super::span::{OffsetMap, Span};
use super::token::{Token, TokenKind};

/// Double (`"…"`, `“…”`, `«…»`) or single (`'…'`, `‘…’`) quotation marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteMark {
    /// Double quotation marks or guillemets.
    Double,
    /// Single quotation marks.
    Single,
}

/// A quotation within one block of text.
#[derive(Debug, Clone)]
pub struct Quote {
    /// From the opening mark to the closing mark, both included.
    pub outer: Span,
    /// Between the marks.
    pub inner: Span,
    /// Which marks.
    pub mark: QuoteMark,
    /// 0 for a quotation not inside another one.
    pub depth: usize,
    /// False when the block ended before a closing mark (the quotation then ends with the block).
    pub closed: bool,
    /// Index of the opening mark's token.
    pub open_token: usize,
    /// Index of the closing mark's token (one past the last token when unclosed).
    pub close_token: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Open,
    Close,
    Either,
    Apostrophe,
}

fn mark_of(c: char) -> Option<QuoteMark> {
    match c {
        '"' | '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => Some(QuoteMark::Double),
        '\'' | '\u{2018}' | '\u{2019}' => Some(QuoteMark::Single),
        _ => None,
    }
}

/// Whether `token` is a quotation mark of any kind.
pub fn is_quote_token(token: &Token, text: &str) -> bool {
    token.kind == TokenKind::Punct && is_quote_surface(token.span.text(text))
}

/// Whether a punctuation token's text (or normalised form) is a quotation mark.
pub(crate) fn is_quote_surface(surface: &str) -> bool {
    surface == "``" || surface.chars().next().and_then(mark_of).is_some()
}

fn role(c: char, doubled: bool, before: Option<char>, after: Option<char>) -> Role {
    let space_before = before.is_none_or(|b| b.is_whitespace() || "([{—–-/".contains(b));
    let space_after = after.is_none_or(|a| a.is_whitespace());
    let word_before = before.is_some_and(char::is_alphanumeric);
    let word_after = after.is_some_and(char::is_alphanumeric);
    match c {
        '\u{201C}' | '\u{00AB}' | '\u{201E}' => Role::Open,
        '\u{201D}' | '\u{00BB}' => Role::Close,
        '\u{2018}' => Role::Open,
        '`' if doubled => Role::Open,
        '\u{2019}' | '\'' if word_before && word_after && !doubled => Role::Apostrophe,
        _ if space_before && !space_after => Role::Open,
        _ if !space_before && (space_after || after.is_some_and(|a| a.is_ascii_punctuation())) => Role::Close,
        _ => Role::Either,
    }
}

/// Finds the quotations of the tokens `tokens[range]` (one block). Unclosed quotations end with
/// the block and are reported through `unclosed`.
pub(crate) fn find_quotes(
    text: &str,
    map: &OffsetMap,
    tokens: &[Token],
    range: std::ops::Range<usize>,
    block_end: Span,
    quotes: &mut Vec<Quote>,
    unclosed: &mut Vec<Span>,
) {
    // Stack of (mark, token index, span of the opening mark).
    let mut stack: Vec<(QuoteMark, usize, Span)> = Vec::new();
    let mut found: Vec<Quote> = Vec::new();
    for idx in range.clone() {
        let token = &tokens[idx];
        if token.kind != TokenKind::Punct {
            continue;
        }
        let surface = token.span.text(text);
        let Some(c) = surface.chars().next() else {
            continue;
        };
        let doubled = surface.chars().count() == 2;
        let Some(mark) = (if doubled { Some(QuoteMark::Double) } else { mark_of(c) }) else {
            continue;
        };
        let before = text[..token.span.byte_start].chars().next_back();
        let after = text[token.span.byte_end..].chars().next();
        let role = role(c, doubled, before, after);
        if role == Role::Apostrophe {
            continue;
        }
        let open_pos = stack.iter().rposition(|(m, _, _)| *m == mark);
        let can_close = matches!(role, Role::Close | Role::Either);
        let can_open = matches!(role, Role::Open | Role::Either);
        match open_pos {
            Some(pos) if can_close => {
                // Anything opened inside and still open is dropped: a stray apostrophe, not a quote.
                stack.truncate(pos + 1);
                if let Some((_, open_idx, open_span)) = stack.pop() {
                    let inner = map.span_of_bytes(open_span.byte_end..token.span.byte_start);
                    if let Some(inner) = inner {
                        found.push(Quote {
                            outer: open_span.cover(&token.span),
                            inner,
                            mark,
                            depth: 0,
                            closed: true,
                            open_token: open_idx,
                            close_token: idx,
                        });
                    }
                }
            }
            _ if can_open => {
                // A single mark opens a quotation only at a word's start.
                if mark == QuoteMark::Single && !after.is_some_and(char::is_alphanumeric) {
                    continue;
                }
                stack.push((mark, idx, token.span));
            }
            _ => {}
        }
    }
    // Double quotes left open run to the end of the block (news style for multi-paragraph
    // quotations); single ones were apostrophes.
    for (mark, open_idx, open_span) in stack {
        if mark == QuoteMark::Double {
            unclosed.push(open_span);
            let outer = map.span_of_bytes(open_span.byte_start..block_end.byte_end);
            let inner = map.span_of_bytes(open_span.byte_end..block_end.byte_end);
            if let (Some(outer), Some(inner)) = (outer, inner) {
                found.push(Quote {
                    outer,
                    inner,
                    mark,
                    depth: 0,
                    closed: false,
                    open_token: open_idx,
                    close_token: range.end,
                });
            }
        }
    }
    found.sort_by_key(|q| (q.outer.start, std::cmp::Reverse(q.outer.end)));
    for i in 0..found.len() {
        let depth = found[..i].iter().filter(|q| q.outer.contains(&found[i].outer)).count();
        found[i].depth = depth;
    }
    quotes.extend(found);
}

#[cfg(test)]
mod tests {
    use crate::text::analyze;

    #[test]
    fn nested_single_quotes_and_apostrophes() {
        let text = r#"He said, "We told them 'either now or never,' and they're gone." Iran's 'plan'"#;
        let a = analyze(text);
        let q: Vec<(&str, usize)> = a.quotes.iter().map(|q| (q.inner.text(text), q.depth)).collect();
        assert_eq!(
            q,
            [
                ("We told them 'either now or never,' and they're gone.", 0),
                ("either now or never,", 1),
                ("plan", 0),
            ]
        );
    }

    #[test]
    fn curly_quotes_and_unclosed_quote() {
        let text = "She said: “It is over.” Then: \"more to come";
        let a = analyze(text);
        assert_eq!(a.quotes.len(), 2);
        assert_eq!(a.quotes[0].outer.text(text), "“It is over.”");
        assert!(!a.quotes[1].closed);
        assert_eq!(a.quotes[1].inner.text(text), "more to come");
        assert_eq!(a.diagnostics.len(), 1);
    }
}
