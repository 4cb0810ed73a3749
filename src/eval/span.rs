//! Spans as the reference scorer sees them: merged fragments, trimmed boundaries, IoU.

use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// What makes two spans "identical": their fragments, or, for an invalid span, a unique number
/// (invalid spans are never identical to anything).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SpanKey {
    /// The merged fragments.
    Fragments(Vec<(usize, usize)>),
    /// An invalid span.
    Invalid(usize),
}

static NEXT_INVALID: AtomicUsize = AtomicUsize::new(0);

/// A span for scoring: sorted, merged `[start, end)` fragments (empty when invalid).
#[derive(Debug, Clone, PartialEq)]
pub struct EvalSpan {
    fragments: Vec<(usize, usize)>,
    length: usize,
    trimmed: Option<(usize, usize)>,
    key: SpanKey,
}

/// Python's `str.isspace`: Unicode White_Space plus the information separators U+001C–U+001F.
fn python_isspace(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Whitespace, `` ` ``, `´` and every Unicode punctuation character (categories P*).
pub fn is_trim_char(c: char) -> bool {
    python_isspace(c) || c == '`' || c == '´' || c.general_category_group() == GeneralCategoryGroup::Punctuation
}

/// `(start, end)` trimmed of trim characters at both ends; unchanged if everything would go.
fn trim(chars: &[char], start: usize, end: usize) -> (usize, usize) {
    let (mut a, mut b) = (start, end);
    while a < b && chars.get(a).is_some_and(|&c| is_trim_char(c)) {
        a += 1;
    }
    while b > a && chars.get(b - 1).is_some_and(|&c| is_trim_char(c)) {
        b -= 1;
    }
    if a < b { (a, b) } else { (start, end) }
}

impl EvalSpan {
    fn new(fragments: Vec<(usize, usize)>, chars: &[char]) -> EvalSpan {
        let length = fragments.iter().map(|(s, e)| e - s).sum();
        let trimmed = match (fragments.first(), fragments.last()) {
            (Some(first), Some(last)) => Some(trim(chars, first.0, last.1)),
            _ => None,
        };
        let key = if fragments.is_empty() {
            SpanKey::Invalid(NEXT_INVALID.fetch_add(1, Ordering::Relaxed))
        } else {
            SpanKey::Fragments(fragments.clone())
        };
        EvalSpan {
            fragments,
            length,
            trimmed,
            key,
        }
    }

    /// The merged fragments (empty when invalid).
    pub fn fragments(&self) -> &[(usize, usize)] {
        &self.fragments
    }

    /// The identity of the span.
    pub fn key(&self) -> SpanKey {
        self.key.clone()
    }

    /// Trimmed boundaries (`None` when invalid).
    pub fn trimmed(&self) -> Option<(usize, usize)> {
        self.trimmed
    }

    /// Character intersection over union of the fragments.
    pub fn iou(&self, other: &EvalSpan) -> f64 {
        let (Some(a_first), Some(a_last), Some(b_first), Some(b_last)) = (
            self.fragments.first(),
            self.fragments.last(),
            other.fragments.first(),
            other.fragments.last(),
        ) else {
            return 0.0;
        };
        if a_last.1 <= b_first.0 || b_last.1 <= a_first.0 {
            return 0.0;
        }
        let inter = intersection(&self.fragments, &other.fragments);
        if inter == 0 {
            0.0
        } else {
            inter as f64 / (self.length + other.length - inter) as f64
        }
    }
}

fn intersection(a: &[(usize, usize)], b: &[(usize, usize)]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let lo = a[i].0.max(b[j].0);
        let hi = a[i].1.min(b[j].1);
        if hi > lo {
            n += hi - lo;
        }
        if a[i].1 < b[j].1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    n
}

/// Sorts and merges overlapping or touching fragments.
fn normalise(mut fragments: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    fragments.sort();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(fragments.len());
    for (s, e) in fragments {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// A JSON integer that is not a boolean, as a `usize` (negative numbers fail the bounds check).
fn int(value: &Value) -> Option<i128> {
    match value {
        Value::Number(n) if n.is_i64() || n.is_u64() => n.as_i64().map(i128::from).or(n.as_u64().map(i128::from)),
        _ => None,
    }
}

/// Whether a JSON value is "falsy" the way Python sees it.
fn falsy(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::Bool(b)) => !b,
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Number(n)) => n.as_f64() == Some(0.0),
    }
}

/// Parses a span as the reference scorer does: `None` for null or absent, an invalid span (with a
/// warning) for anything malformed or outside the text.
pub(super) fn parse(obj: Option<&Value>, chars: &[char], warn: &mut dyn FnMut(&str)) -> Option<EvalSpan> {
    let obj = match obj {
        None | Some(Value::Null) => return None,
        Some(Value::Object(map)) => map,
        Some(_) => {
            warn("invalid span (not an object)");
            return Some(EvalSpan::new(Vec::new(), chars));
        }
    };
    let raw_fragments = obj.get("fragments");
    let pairs: Option<Vec<(i128, i128)>> = if falsy(raw_fragments) {
        match (obj.get("start").and_then(int), obj.get("end").and_then(int)) {
            (Some(s), Some(e)) => Some(vec![(s, e)]),
            _ => None,
        }
    } else {
        match raw_fragments {
            Some(Value::Array(items)) => items
                .iter()
                .map(|fr| match fr {
                    Value::Array(pair) if pair.len() == 2 => Some((int(&pair[0])?, int(&pair[1])?)),
                    _ => None,
                })
                .collect(),
            _ => None,
        }
    };
    let n = chars.len() as i128;
    let valid = pairs.filter(|p| p.iter().all(|&(s, e)| 0 <= s && s < e && e <= n));
    let Some(pairs) = valid else {
        warn("invalid span (bad, empty or out-of-text offsets)");
        return Some(EvalSpan::new(Vec::new(), chars));
    };
    // Bounds were checked against the text's length, so the conversions hold.
    let fragments = normalise(pairs.iter().map(|&(s, e)| (s as usize, e as usize)).collect());
    let (start, end) = match (fragments.first(), fragments.last()) {
        (Some(first), Some(last)) => (first.0, last.1),
        _ => return Some(EvalSpan::new(Vec::new(), chars)),
    };
    if !falsy(raw_fragments) {
        let same =
            obj.get("start").and_then(int) == Some(start as i128) && obj.get("end").and_then(int) == Some(end as i128);
        if !same {
            warn("span start/end differ from its fragments' extent (fragments used)");
        }
    }
    if let Some(Value::String(text)) = obj.get("text")
        && !text.chars().eq(chars[start..end].iter().copied())
    {
        warn("span text differs from the gold text at its offsets (byte or UTF-16 offsets?)");
    }
    Some(EvalSpan::new(fragments, chars))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_chars_follow_unicode_categories() {
        for c in [
            '"', '“', '”', '.', ',', '—', '¿', '«', '`', '´', ' ', '\u{a0}', '\u{1c}',
        ] {
            assert!(is_trim_char(c), "{c:?}");
        }
        for c in ['a', '€', '$', '+', '%'] {
            assert_eq!(is_trim_char(c), c == '%', "{c:?}");
        }
    }
}
