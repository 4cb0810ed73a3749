//! Spans with exact offsets, and the one place that converts between character and byte offsets.
//!
//! Offsets that leave this crate (JSON, RDF, the gold corpus) count **Unicode scalar values**
//! (Rust `char`s, Python `str` indices, SPARQL `SUBSTR` positions): 0-based, end-exclusive.
//! Rust slices strings by UTF-8 byte offsets, so every [`Span`] carries both, and [`OffsetMap`] is
//! the only code that converts one into the other.

use serde::Serialize;
use std::ops::Range;

/// Converts between byte offsets and character (Unicode scalar value) offsets of one text.
///
/// ```
/// use claimtrace::text::OffsetMap;
/// let map = OffsetMap::new("€5 off");
/// assert_eq!(map.byte_of_char(1), 3); // '€' is three bytes long
/// assert_eq!(map.char_of_byte(3), Some(1));
/// assert_eq!(map.char_of_byte(1), None); // inside '€'
/// assert_eq!(map.len_chars(), 6);
/// ```
#[derive(Debug, Clone)]
pub struct OffsetMap {
    /// `char_starts[i]` is the byte offset of char `i`; the last entry is the text's byte length.
    /// Empty when the text is pure ASCII, where both offsets are equal.
    char_starts: Vec<usize>,
    len_bytes: usize,
}

impl OffsetMap {
    /// Builds the map of `text`.
    pub fn new(text: &str) -> Self {
        let char_starts = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices()
                .map(|(byte, _)| byte)
                .chain(std::iter::once(text.len()))
                .collect()
        };
        OffsetMap {
            char_starts,
            len_bytes: text.len(),
        }
    }

    /// The text's length in characters.
    pub fn len_chars(&self) -> usize {
        if self.char_starts.is_empty() {
            self.len_bytes
        } else {
            self.char_starts.len() - 1
        }
    }

    /// The byte offset of character `char_idx`; offsets past the end clamp to the text's length.
    pub fn byte_of_char(&self, char_idx: usize) -> usize {
        if self.char_starts.is_empty() {
            char_idx.min(self.len_bytes)
        } else {
            self.char_starts.get(char_idx).copied().unwrap_or(self.len_bytes)
        }
    }

    /// The character offset of byte `byte_idx`, or `None` when it is not on a character boundary
    /// or lies past the end.
    pub fn char_of_byte(&self, byte_idx: usize) -> Option<usize> {
        if self.char_starts.is_empty() {
            (byte_idx <= self.len_bytes).then_some(byte_idx)
        } else {
            self.char_starts.binary_search(&byte_idx).ok()
        }
    }

    /// The span covering `bytes`, which must lie on character boundaries of the text.
    /// Returns `None` otherwise (callers pass boundaries they found while scanning the text).
    pub fn span_of_bytes(&self, bytes: Range<usize>) -> Option<Span> {
        let start = self.char_of_byte(bytes.start)?;
        let end = self.char_of_byte(bytes.end)?;
        (start <= end).then_some(Span {
            start,
            end,
            byte_start: bytes.start,
            byte_end: bytes.end,
        })
    }

    /// The span covering characters `chars`, or `None` when it is reversed or out of bounds.
    pub fn span_of_chars(&self, chars: Range<usize>) -> Option<Span> {
        if chars.start > chars.end || chars.end > self.len_chars() {
            return None;
        }
        Some(Span {
            start: chars.start,
            end: chars.end,
            byte_start: self.byte_of_char(chars.start),
            byte_end: self.byte_of_char(chars.end),
        })
    }
}

/// A contiguous, possibly empty, range of a document's text, in characters and in bytes.
///
/// Built only through [`OffsetMap`], so both ranges always denote the same characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    /// First character (0-based, Unicode scalar values).
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// `start` as a UTF-8 byte offset.
    #[serde(skip)]
    pub byte_start: usize,
    /// `end` as a UTF-8 byte offset.
    #[serde(skip)]
    pub byte_end: usize,
}

impl Span {
    /// The text this span covers in `doc` (the text the span was built from).
    pub fn text<'t>(&self, doc: &'t str) -> &'t str {
        doc.get(self.byte_start..self.byte_end).unwrap_or("")
    }

    /// Length in characters.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers no character.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The byte range, for slicing the document.
    pub fn bytes(&self) -> Range<usize> {
        self.byte_start..self.byte_end
    }

    /// Whether `other` lies entirely inside `self`.
    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Whether the two spans share at least one character.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The smallest span covering both.
    pub fn cover(&self, other: &Span) -> Span {
        let (first, last) = (self.min_by_start(other), self.max_by_end(other));
        Span {
            start: first.start,
            byte_start: first.byte_start,
            end: last.end,
            byte_end: last.byte_end,
        }
    }

    fn min_by_start<'a>(&'a self, other: &'a Span) -> &'a Span {
        if other.start < self.start { other } else { self }
    }

    fn max_by_end<'a>(&'a self, other: &'a Span) -> &'a Span {
        if other.end > self.end { other } else { self }
    }
}

/// A span made of one or more fragments: a quotation interrupted by "he said", a content split
/// around an inserted "according to X".
///
/// Invariant: at least one fragment; fragments are non-empty, sorted, disjoint and not touching.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MultiSpan {
    fragments: Vec<Span>,
}

impl MultiSpan {
    /// Normalises `parts` (drops empty ones, sorts, merges touching or overlapping ones).
    /// Returns `None` if nothing non-empty is left.
    pub fn new(parts: impl IntoIterator<Item = Span>) -> Option<Self> {
        let mut parts: Vec<Span> = parts.into_iter().filter(|s| !s.is_empty()).collect();
        parts.sort();
        let mut fragments: Vec<Span> = Vec::with_capacity(parts.len());
        for part in parts {
            match fragments.last_mut() {
                Some(last) if part.start <= last.end => *last = last.cover(&part),
                _ => fragments.push(part),
            }
        }
        (!fragments.is_empty()).then_some(MultiSpan { fragments })
    }

    /// The fragments, sorted.
    pub fn fragments(&self) -> &[Span] {
        &self.fragments
    }

    /// From the first fragment's start to the last fragment's end.
    pub fn extent(&self) -> Span {
        match (self.fragments.first(), self.fragments.last()) {
            (Some(first), Some(last)) => first.cover(last),
            // Unreachable by the invariant; an empty span keeps this total.
            _ => Span {
                start: 0,
                end: 0,
                byte_start: 0,
                byte_end: 0,
            },
        }
    }

    /// Whether the span is a single fragment.
    pub fn is_contiguous(&self) -> bool {
        self.fragments.len() == 1
    }

    /// Whether any fragment contains `span` entirely.
    pub fn contains(&self, span: &Span) -> bool {
        self.fragments.iter().any(|f| f.contains(span))
    }

    /// Whether any fragment overlaps `span`.
    pub fn overlaps(&self, span: &Span) -> bool {
        self.fragments.iter().any(|f| f.overlaps(span))
    }

    /// The fragments' texts joined by " … ".
    pub fn text(&self, doc: &str) -> String {
        let parts: Vec<&str> = self.fragments.iter().map(|f| f.text(doc)).collect();
        parts.join(" … ")
    }
}

impl From<Span> for MultiSpan {
    fn from(span: Span) -> Self {
        MultiSpan { fragments: vec![span] }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_and_char_offsets_differ_after_multibyte_chars() {
        let text = "Prices rose 5 € — “a lot”, he said.";
        let map = OffsetMap::new(text);
        let byte = text.find("he said").unwrap();
        let span = map.span_of_bytes(byte..byte + 7).unwrap();
        assert_eq!(span.text(text), "he said");
        assert_eq!(span.start, text[..byte].chars().count());
        assert!(span.byte_start > span.start);
        assert_eq!(map.span_of_chars(span.start..span.end), Some(span));
    }

    #[test]
    fn off_boundary_bytes_are_refused() {
        let map = OffsetMap::new("é");
        assert_eq!(map.span_of_bytes(0..1), None);
        assert_eq!(map.span_of_chars(0..2), None);
    }

    #[test]
    fn multispan_merges_touching_fragments() {
        let map = OffsetMap::new("abcdefgh");
        let s = |a, b| map.span_of_chars(a..b).unwrap();
        let m = MultiSpan::new([s(4, 6), s(0, 2), s(2, 3), s(5, 5)]).unwrap();
        assert_eq!(m.fragments(), &[s(0, 3), s(4, 6)]);
        assert_eq!(m.extent(), s(0, 6));
        assert!(MultiSpan::new([s(1, 1)]).is_none());
    }
}
