//! The text layer: blocks (lines and paragraphs), sentences, tokens and quotations of a document,
//! each with exact offsets, plus its dateline or `Published:` header.
//!
//! Analysis never fails: odd input (unclosed quotation marks, no punctuation at all) gives a
//! usable result and a [`Diagnostic`].

mod date;
mod quote;
mod span;
mod token;

pub use date::{Published, month_of, parse_date_line};
pub use quote::{Quote, QuoteMark, is_quote_token};
pub use span::{MultiSpan, OffsetMap, Span};
pub use token::{Token, TokenKind, is_abbreviation};

use crate::error::{Diagnostic, Severity};

use std::ops::Range;

/// What a block of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A `Key: value` header line at the top (`Outlet:`, `Published:`, `By:` …).
    Meta,
    /// A line that is only a date and time.
    Dateline,
    /// The first heading, before any body text.
    Headline,
    /// A later heading: a short line without final punctuation, an all-caps line, or a short line
    /// starting with "- ".
    Subheading,
    /// Running text.
    Body,
}

/// A line, or several hard-wrapped lines, of the document.
#[derive(Debug, Clone)]
pub struct Block {
    /// The block without its surrounding whitespace.
    pub span: Span,
    /// Heading, body text, …
    pub kind: BlockKind,
    /// Its sentences, as indices into [`Analysis::sentences`].
    pub sentences: Range<usize>,
    /// Its tokens, as indices into [`Analysis::tokens`].
    pub tokens: Range<usize>,
}

/// A sentence. Sentences never cross blocks and never end inside a double quotation.
#[derive(Debug, Clone)]
pub struct Sentence {
    /// From the first to the last token.
    pub span: Span,
    /// Its tokens, as indices into [`Analysis::tokens`].
    pub tokens: Range<usize>,
    /// The block it belongs to.
    pub block: usize,
}

/// A `Key: value` line of the header.
#[derive(Debug, Clone)]
pub struct MetaField {
    /// The key, lowercase (`outlet`, `published`).
    pub key: String,
    /// The value's span.
    pub value: Span,
}

/// The analysed text of one document.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Char ↔ byte conversion for the text.
    pub offsets: OffsetMap,
    /// Lines and paragraphs, in order.
    pub blocks: Vec<Block>,
    /// Sentences, in order.
    pub sentences: Vec<Sentence>,
    /// Tokens, in order.
    pub tokens: Vec<Token>,
    /// Quotations, ordered by start (an enclosing quotation before the ones inside it).
    pub quotes: Vec<Quote>,
    /// Header fields.
    pub meta: Vec<MetaField>,
    /// The publication date, from a dateline or a `Published:`/`Date:` header field.
    pub published: Option<(Span, Published)>,
    /// The publishing outlet's name, from an `Outlet:`/`Publisher:` header field or a wire
    /// dateline ("VELM, March 2 (Meridian Wire) - ").
    pub outlet: Option<Span>,
    /// What looked wrong.
    pub diagnostics: Vec<Diagnostic>,
    norm_buffer: String,
}

impl Analysis {
    /// The normalised form of a token: lowercase, with curly apostrophes straightened.
    pub fn norm(&self, token: &Token) -> &str {
        self.norm_buffer.get(token.norm.clone()).unwrap_or("")
    }

    /// The normalised form of the token at `idx`, or "" past the end.
    pub fn norm_at(&self, idx: usize) -> &str {
        self.tokens.get(idx).map_or("", |t| self.norm(t))
    }

    /// The sentence containing character offset `char_idx`, if any.
    pub fn sentence_at(&self, char_idx: usize) -> Option<&Sentence> {
        let i = self.sentences.partition_point(|s| s.span.end <= char_idx);
        self.sentences.get(i).filter(|s| s.span.start <= char_idx)
    }

    /// The index of the first token starting at or after char offset `char_idx`.
    pub fn token_at_or_after(&self, char_idx: usize) -> usize {
        self.tokens.partition_point(|t| t.span.start < char_idx)
    }

    /// The tokens a span covers: from the first starting at or after its start to the first
    /// starting at or after its end.
    pub fn tokens_of(&self, span: &Span) -> Range<usize> {
        self.token_at_or_after(span.start)..self.token_at_or_after(span.end)
    }

    /// The innermost-first list of quotations that contain `span`.
    pub fn quotes_containing(&self, span: &Span) -> impl Iterator<Item = &Quote> {
        self.quotes.iter().filter(move |q| q.inner.contains(span))
    }
}

const MAX_HEADING_WORDS: usize = 14;
const MAX_HEADLINE_WORDS: usize = 24;

/// Analyses `text`.
///
/// ```
/// use claimtrace::text::{analyze, BlockKind};
/// let text = "04.02.2026 21:51\nTALKS STALL\nThe minister said \"no.\" Talks ended.";
/// let a = analyze(text);
/// let kinds: Vec<BlockKind> = a.blocks.iter().map(|b| b.kind).collect();
/// assert_eq!(kinds, [BlockKind::Dateline, BlockKind::Headline, BlockKind::Body]);
/// assert_eq!(a.published.unwrap().1.to_xsd(), "2026-02-04T21:51:00");
/// assert_eq!(a.sentences.len(), 2 + 2);
/// ```
pub fn analyze(text: &str) -> Analysis {
    let offsets = OffsetMap::new(text);
    let mut a = Analysis {
        offsets,
        blocks: Vec::new(),
        sentences: Vec::new(),
        tokens: Vec::new(),
        quotes: Vec::new(),
        meta: Vec::new(),
        published: None,
        outlet: None,
        diagnostics: Vec::new(),
        norm_buffer: String::new(),
    };
    let mut seen_body = false;
    let mut in_header = true;
    for bytes in block_ranges(text) {
        let Some(span) = a.offsets.span_of_bytes(bytes.clone()) else {
            continue;
        };
        let line = &text[bytes.clone()];
        let mut kind = BlockKind::Body;
        if in_header {
            if let Some(field) = meta_field(text, &bytes, &a.offsets) {
                if matches!(field.key.as_str(), "published" | "date" | "updated")
                    && a.published.is_none()
                    && let Some(p) = parse_date_line(field.value.text(text))
                {
                    a.published = Some((field.value, p));
                }
                if matches!(field.key.as_str(), "outlet" | "publisher") && a.outlet.is_none() {
                    a.outlet = Some(field.value);
                }
                a.meta.push(field);
                kind = BlockKind::Meta;
            } else {
                in_header = false;
            }
        }
        if kind == BlockKind::Body && !seen_body && a.published.is_none() {
            if let Some(p) = parse_date_line(line) {
                a.published = Some((span, p));
                kind = BlockKind::Dateline;
            }
        }
        let mut bytes = bytes;
        let mut span = span;
        if kind == BlockKind::Body && !seen_body {
            if let Some(wire) = wire_dateline(line) {
                let start = bytes.start;
                if a.outlet.is_none() {
                    a.outlet = a
                        .offsets
                        .span_of_bytes(start + wire.outlet.start..start + wire.outlet.end);
                }
                let rest = start + wire.body..bytes.end;
                if let (Some(head), Some(body)) = (
                    a.offsets.span_of_bytes(start..start + wire.head),
                    a.offsets.span_of_bytes(rest.clone()),
                ) {
                    push_block(&mut a, text, start..start + wire.head, head, BlockKind::Dateline);
                    bytes = rest;
                    span = body;
                }
            }
        }
        let line = &text[bytes.clone()];
        let token_start = a.tokens.len();
        token::tokenize(text, bytes.clone(), &a.offsets, &mut a.tokens, &mut a.norm_buffer);
        let tokens = token_start..a.tokens.len();
        let first = !seen_body && !a.blocks.iter().any(|b| b.kind == BlockKind::Headline);
        if kind == BlockKind::Body && is_heading(line, &a.tokens[tokens.clone()], first) {
            kind = if seen_body || a.blocks.iter().any(|b| b.kind == BlockKind::Headline) {
                BlockKind::Subheading
            } else {
                BlockKind::Headline
            };
        }
        if kind == BlockKind::Body {
            seen_body = true;
            in_header = false;
        }
        finish_block(&mut a, text, span, kind, tokens);
    }
    a
}

/// Tokenizes `bytes` as a block of its own.
fn push_block(a: &mut Analysis, text: &str, bytes: Range<usize>, span: Span, kind: BlockKind) {
    let token_start = a.tokens.len();
    token::tokenize(text, bytes, &a.offsets, &mut a.tokens, &mut a.norm_buffer);
    let tokens = token_start..a.tokens.len();
    finish_block(a, text, span, kind, tokens);
}

/// Finds the quotations and sentences of a tokenized block and adds it.
fn finish_block(a: &mut Analysis, text: &str, span: Span, kind: BlockKind, tokens: Range<usize>) {
    let mut unclosed = Vec::new();
    quote::find_quotes(
        text,
        &a.offsets,
        &a.tokens,
        tokens.clone(),
        span,
        &mut a.quotes,
        &mut unclosed,
    );
    for open in unclosed {
        a.diagnostics.push(Diagnostic {
            start: open.start,
            end: open.end,
            severity: Severity::Warning,
            code: "unclosed-quote",
            message: "quotation mark is never closed in its paragraph; the quotation runs to the paragraph's end"
                .to_owned(),
        });
    }
    let sentence_start = a.sentences.len();
    split_sentences(a, tokens.clone());
    let block_idx = a.blocks.len();
    for s in &mut a.sentences[sentence_start..] {
        s.block = block_idx;
    }
    a.blocks.push(Block {
        span,
        kind,
        sentences: sentence_start..a.sentences.len(),
        tokens,
    });
}

/// A wire-service dateline at the start of the first paragraph: "VELM/CASTELLAN, March 2
/// (Meridian Wire) - ", "LONDON (Reuters) — ". Byte offsets into the line.
struct WireDateline {
    /// The dateline without the dash.
    head: usize,
    /// The outlet's name inside the parentheses.
    outlet: Range<usize>,
    /// Where the paragraph proper starts.
    body: usize,
}

/// Recognises a wire dateline: a place in capitals (several joined by `/`, optionally a region
/// after a comma), an optional date, the outlet in parentheses, then a dash.
fn wire_dateline(line: &str) -> Option<WireDateline> {
    let open = line.find(" (")?;
    if open > 60 {
        return None;
    }
    let close = open + line[open..].find(')')?;
    let after = &line[close + 1..];
    let dash = after.len() - after.trim_start().len();
    let rest = &after[dash..];
    let dash_len = ["-", "–", "—"].iter().find(|d| rest.starts_with(*d))?.len();
    let body = close + 1 + dash + dash_len;
    let body = body + (line[body..].len() - line[body..].trim_start().len());
    let place = line[..open].split(',').next()?;
    let letters: Vec<char> = place.chars().filter(|c| c.is_alphabetic()).collect();
    let is_place = letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase());
    let outlet = line[open + 2..close].trim();
    let named = outlet.chars().next().is_some_and(char::is_uppercase) && outlet.split_whitespace().count() <= 5;
    (is_place && named && body < line.len()).then(|| WireDateline {
        head: close + 1,
        outlet: open + 2..close,
        body,
    })
}

/// Byte ranges of the blocks: each non-blank line, trimmed, with hard-wrapped continuation lines
/// (a line without final punctuation followed by one starting in lowercase) joined to it.
fn block_ranges(text: &str) -> Vec<Range<usize>> {
    let mut lines: Vec<Range<usize>> = Vec::new();
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let start = pos + (line.len() - line.trim_start().len());
        let end = pos + line.trim_end().len();
        pos += line.len();
        if start < end {
            lines.push(start..end);
        }
    }
    let mut blocks: Vec<Range<usize>> = Vec::new();
    for line in lines {
        if let Some(last) = blocks.last_mut() {
            let prev = &text[last.clone()];
            let gap = &text[last.end..line.start];
            let continues = gap.matches('\n').count() == 1
                && !prev.ends_with(['.', '!', '?', ':', '"', '”', '’', '\''])
                && prev.split_whitespace().count() > MAX_HEADING_WORDS
                && text[line.clone()].starts_with(|c: char| c.is_lowercase());
            if continues {
                last.end = line.end;
                continue;
            }
        }
        blocks.push(line);
    }
    blocks
}

fn meta_field(text: &str, bytes: &Range<usize>, map: &OffsetMap) -> Option<MetaField> {
    const KEYS: [&str; 10] = [
        "outlet",
        "published",
        "updated",
        "date",
        "by",
        "author",
        "source",
        "title",
        "url",
        "publisher",
    ];
    let line = &text[bytes.clone()];
    let colon = line.find(':')?;
    let key = line[..colon].trim().to_lowercase();
    if !KEYS.contains(&key.as_str()) {
        return None;
    }
    let value = &line[colon + 1..];
    let lead = value.len() - value.trim_start().len();
    let start = bytes.start + colon + 1 + lead;
    let value = map.span_of_bytes(start..bytes.end)?;
    (!value.is_empty()).then_some(MetaField { key, value })
}

/// Whether a line reads as a heading; `first`: it would be the headline (no body text before it).
fn is_heading(line: &str, tokens: &[Token], first: bool) -> bool {
    let words: Vec<&Token> = tokens.iter().filter(|t| t.kind != TokenKind::Punct).collect();
    if words.is_empty() {
        return false;
    }
    let dashed = line.starts_with("- ") || line.starts_with("• ") || line.starts_with("– ");
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    let all_caps = letters.len() >= 4 && letters.iter().all(|c| !c.is_lowercase());
    let final_punct = line
        .trim_end()
        .ends_with(['.', '!', '?', ':', ';', '"', '”', '’', ')', ',']);
    // A headline, the first heading, may run longer than a subheading.
    let short = words.len() <= if first { MAX_HEADLINE_WORDS } else { MAX_HEADING_WORDS };
    (short && (dashed || !final_punct)) || (all_caps && words.len() <= 2 * MAX_HEADING_WORDS)
}

/// Words that start a sentence after an initialism such as "U.S.": "… by the U.S. As hopes …".
fn starts_sentence_after_initialism(word: &str) -> bool {
    const STARTERS: [&str; 30] = [
        "the",
        "a",
        "an",
        "as",
        "but",
        "and",
        "in",
        "it",
        "he",
        "she",
        "they",
        "we",
        "i",
        "this",
        "that",
        "there",
        "on",
        "at",
        "if",
        "when",
        "while",
        "after",
        "before",
        "however",
        "meanwhile",
        "still",
        "yet",
        "so",
        "his",
        "her",
    ];
    STARTERS.contains(&word)
}

/// Capitalised words that go on a clock time (`clock_followers.txt`: "1 a.m. Sunday", "8 p.m.
/// EST"); any other capitalised word after "a.m." or "p.m." starts a sentence.
fn after_clock_time(word: &str) -> bool {
    static FOLLOWERS: std::sync::LazyLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::LazyLock::new(|| token::word_list(include_str!("clock_followers.txt")));
    FOLLOWERS.contains(word)
}

fn split_sentences(a: &mut Analysis, tokens: Range<usize>) {
    let mut start = tokens.start;
    let mut idx = tokens.start;
    // Byte ends of the double quotations of this block, to avoid splitting inside them.
    let mut double_quotes: Vec<(usize, usize)> = a
        .quotes
        .iter()
        .filter(|q| q.mark == QuoteMark::Double && q.depth == 0)
        .filter(|q| tokens.contains(&q.open_token))
        .map(|q| (q.outer.start, q.outer.end))
        .collect::<Vec<_>>();
    double_quotes.sort_unstable();
    // Top-level double quotations do not overlap, so the one that may contain a position is the last
    // opening before it (a binary search: blocks can hold thousands of quotations).
    let inside_quote = |char_idx: usize| {
        let i = double_quotes.partition_point(|&(s, _)| s < char_idx);
        i > 0 && char_idx < double_quotes[i - 1].1 - 1
    };
    let closing_tokens: rustc_hash::FxHashSet<usize> = a
        .quotes
        .iter()
        .filter(|q| tokens.contains(&q.close_token))
        .map(|q| q.close_token)
        .collect();
    while idx < tokens.end {
        let token = &a.tokens[idx];
        let norm = a.norm(token);
        let terminal = matches!(norm, "." | "!" | "?" | "…")
            || (token.kind == TokenKind::Word && norm.ends_with('.') && norm.matches('.').count() > 1);
        if terminal {
            // Closing quotation marks and brackets belong to the sentence they close.
            let mut end = idx + 1;
            while end < tokens.end {
                let t = &a.tokens[end];
                let bracket = matches!(a.norm(t), ")" | "]");
                let ends_quote = t.kind == TokenKind::Punct && closing_tokens.contains(&end);
                if bracket || ends_quote {
                    end += 1;
                } else {
                    break;
                }
            }
            // A period inside a quotation ends nothing, unless the quotation closes right after it.
            let last = &a.tokens[end - 1];
            if inside_quote(last.span.start) {
                idx += 1;
                continue;
            }
            let boundary = match a.tokens.get(end).filter(|_| end < tokens.end) {
                None => true,
                Some(next) => {
                    let next_norm = a.norm(next);
                    let opens = next.capitalized
                        || next.kind == TokenKind::Number
                        || (next.kind == TokenKind::Punct && quote::is_quote_surface(next_norm))
                        || matches!(next_norm, "(" | "[" | "-" | "—");
                    let initialism = token.kind == TokenKind::Word;
                    let clock = matches!(norm, "a.m." | "p.m.") && !after_clock_time(next_norm);
                    opens && (!initialism || clock || starts_sentence_after_initialism(next_norm))
                }
            };
            if boundary {
                push_sentence(a, start..end);
                start = end;
                idx = end;
                continue;
            }
        }
        idx += 1;
    }
    if start < tokens.end {
        push_sentence(a, start..tokens.end);
    }
}

/// Sentences longer than this many tokens are cut (after a comma or semicolon in their second
/// half, else at the limit): news sentences are far shorter, and the rules' work per sentence
/// grows faster than its length, so text without sentence ends (a 100 MB line) stays linear.
const MAX_SENTENCE_TOKENS: usize = 500;

fn push_sentence(a: &mut Analysis, mut tokens: Range<usize>) {
    while tokens.len() > MAX_SENTENCE_TOKENS {
        let limit = tokens.start + MAX_SENTENCE_TOKENS;
        let cut = (tokens.start + MAX_SENTENCE_TOKENS / 2..limit)
            .rev()
            .find(|&i| matches!(a.norm_at(i), "," | ";"))
            .map_or(limit, |i| i + 1);
        push_one_sentence(a, tokens.start..cut);
        tokens.start = cut;
    }
    push_one_sentence(a, tokens);
}

fn push_one_sentence(a: &mut Analysis, tokens: Range<usize>) {
    let (Some(first), Some(last)) = (a.tokens.get(tokens.start), a.tokens.get(tokens.end.saturating_sub(1))) else {
        return;
    };
    let span = first.span.cover(&last.span);
    a.sentences.push(Sentence { span, tokens, block: 0 });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        let a = analyze(text);
        a.sentences.iter().map(|s| s.span.text(text)).collect()
    }

    #[test]
    fn overlong_sentences_are_cut_after_a_comma_and_cover_every_token() {
        let text = "word word, ".repeat(400);
        let a = analyze(&text);
        assert!(a.sentences.len() >= 3);
        let mut next = 0;
        for s in &a.sentences {
            assert!(s.tokens.len() <= MAX_SENTENCE_TOKENS);
            assert_eq!(s.tokens.start, next);
            next = s.tokens.end;
        }
        assert_eq!(next, a.tokens.len());
        assert!(
            a.sentences[..a.sentences.len() - 1]
                .iter()
                .all(|s| a.norm_at(s.tokens.end - 1) == ",")
        );
    }

    #[test]
    fn sentences_respect_quotes_abbreviations_and_initialisms() {
        assert_eq!(
            sentences(r#"Mr. Smith went to the U.S. Secretary of State. He said, "No. Never." Then he left."#),
            [
                "Mr. Smith went to the U.S. Secretary of State.",
                r#"He said, "No. Never.""#,
                "Then he left."
            ]
        );
        assert_eq!(
            sentences("It was rejected by the U.S. As hopes faded, talks ended."),
            ["It was rejected by the U.S.", "As hopes faded, talks ended."]
        );
        assert_eq!(
            sentences("It began after 1 a.m. One witness heard shots at 2 a.m. Sunday and at 3 p.m. EST."),
            [
                "It began after 1 a.m.",
                "One witness heard shots at 2 a.m. Sunday and at 3 p.m. EST."
            ]
        );
    }

    #[test]
    fn headings_meta_and_hard_wraps() {
        let text = "Outlet: The Daily Wire Service\nPublished: 2026-03-02T06:30:00Z\nPort halted, officials say\n\nThe port was shut after an attack that hit the computers of the operator and\nleft ships waiting.\n- First meeting since June\nMore text follows here.";
        let a = analyze(text);
        let kinds: Vec<BlockKind> = a.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [
                BlockKind::Meta,
                BlockKind::Meta,
                BlockKind::Headline,
                BlockKind::Body,
                BlockKind::Subheading,
                BlockKind::Body
            ]
        );
        assert_eq!(a.meta[0].value.text(text), "The Daily Wire Service");
        assert_eq!(a.published.as_ref().unwrap().1.to_xsd(), "2026-03-02T06:30:00Z");
        assert!(a.blocks[3].span.text(text).ends_with("waiting."));
        assert_eq!(a.outlet.unwrap().text(text), "The Daily Wire Service");
    }

    #[test]
    fn a_wire_dateline_is_split_off_and_names_the_outlet() {
        for (text, outlet, body) in [
            (
                "Headline here\n\nVELM/CASTELLAN, March 2 (Meridian Wire) - Orsenia's port stayed shut.",
                "Meridian Wire",
                "Orsenia's port stayed shut.",
            ),
            (
                "LONDON (Reuters) — Prices rose, officials said.",
                "Reuters",
                "Prices rose, officials said.",
            ),
            (
                "WASHINGTON, D.C., Jan. 5 (AP) – The vote failed.",
                "AP",
                "The vote failed.",
            ),
        ] {
            let a = analyze(text);
            assert_eq!(a.outlet.unwrap().text(text), outlet);
            let body_block = a.blocks.iter().find(|b| b.kind == BlockKind::Body).unwrap();
            assert_eq!(body_block.span.text(text), body);
            assert!(a.blocks.iter().any(|b| b.kind == BlockKind::Dateline));
        }
        // Not datelines: a parenthesis in a sentence, a lowercase lead, no dash.
        for text in [
            "The minister (pictured) - who spoke late - said no.",
            "Officials in Velm (the capital) said no.",
            "NATO (the alliance) said no more.",
        ] {
            let a = analyze(text);
            assert!(a.outlet.is_none(), "{text}");
        }
    }
}
