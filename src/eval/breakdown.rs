//! Breakdowns of a scoring run: per attribution kind, and the missed and spurious attributions with
//! their offsets and context, for error analysis.

use super::{DocMatch, EvalSpan, Prf, Triple};
use serde::Serialize;

/// The kinds, in display order.
pub const KINDS: [&str; 5] = ["direct", "indirect", "mixed", "according-to", "unattributed"];

fn text_of(span: Option<&EvalSpan>, chars: &[char]) -> String {
    let Some(span) = span else { return String::new() };
    let parts: Vec<String> = span
        .fragments()
        .iter()
        .map(|&(s, e)| chars.get(s..e).map(|c| c.iter().collect()).unwrap_or_default())
        .collect();
    parts.join(" … ")
}

fn is_quote_mark(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '«' | '»' | '„')
}

/// The kind of an attribution, read from its text the same way for gold and predictions: no
/// source → unattributed; an "according to"/"per" cue → according-to; a content that is one
/// quotation → direct; one that holds a quotation → mixed; else indirect.
pub fn kind_of(triple: &Triple, chars: &[char]) -> &'static str {
    if triple[0].is_none() {
        return "unattributed";
    }
    let cue = text_of(triple[1].as_ref(), chars).to_lowercase();
    if matches!(cue.trim(), "according to" | "per") {
        return "according-to";
    }
    let content = text_of(triple[2].as_ref(), chars)
        .replace("''", "\"")
        .replace("``", "\"");
    let trimmed = content.trim().trim_end_matches(['.', ',', ';', ':']);
    let marks = trimmed.chars().filter(|&c| is_quote_mark(c)).count();
    let starts = trimmed.chars().next().is_some_and(is_quote_mark);
    let ends = trimmed.chars().next_back().is_some_and(is_quote_mark);
    match marks {
        0 => "indirect",
        _ if starts && ends && marks == 2 => "direct",
        _ if starts && ends && trimmed.contains(" … ") => "direct",
        _ => "mixed",
    }
}

/// Scores of one kind: recall over gold attributions of the kind, precision over predictions of it.
#[derive(Debug, Clone, Serialize)]
pub struct KindRow {
    /// The kind.
    pub kind: &'static str,
    /// Recall side: gold of this kind and how many were matched; precision side: predictions of
    /// this kind and how many were matched.
    pub recall: Prf,
    /// Predictions of this kind.
    pub precision: Prf,
    /// F1 of the two.
    pub f1: f64,
}

/// Whole-attribution scores per kind.
pub fn by_kind(details: &[DocMatch]) -> Vec<KindRow> {
    KINDS
        .iter()
        .map(|&kind| {
            let (mut gold, mut gold_hit, mut pred, mut pred_hit) = (0, 0, 0, 0);
            for d in details {
                for (gi, g) in d.gold.iter().enumerate() {
                    if kind_of(g, &d.chars) == kind {
                        gold += 1;
                        gold_hit += usize::from(d.matched.iter().any(|&(mg, _)| mg == gi));
                    }
                }
                for (pi, p) in d.pred.iter().enumerate() {
                    if kind_of(p, &d.chars) == kind {
                        pred += 1;
                        pred_hit += usize::from(d.matched.iter().any(|&(_, mp)| mp == pi));
                    }
                }
            }
            let recall = Prf::new(gold_hit, gold, gold_hit);
            let precision = Prf::new(pred_hit, pred_hit, pred);
            let (r, p) = (recall.recall, precision.precision);
            let f1 = if r + p > 0.0 { 2.0 * r * p / (r + p) } else { 0.0 };
            KindRow {
                kind,
                recall,
                precision,
                f1,
            }
        })
        .collect()
}

/// One missed or spurious attribution.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorItem {
    /// The document.
    pub doc: String,
    /// Its kind (read from the text).
    pub kind: &'static str,
    /// Source, cue, content as `[start, end) "text"`, or "—".
    pub source: String,
    /// The cue.
    pub cue: String,
    /// The content.
    pub content: String,
    /// The text around it.
    pub context: String,
}

fn describe(span: Option<&EvalSpan>, chars: &[char]) -> String {
    match span.and_then(|s| Some((s.fragments().first()?.0, s.fragments().last()?.1))) {
        Some((start, end)) => format!("[{start}, {end}) {:?}", text_of(span, chars)),
        None => "—".to_owned(),
    }
}

fn item(doc: &DocMatch, triple: &Triple) -> ErrorItem {
    let starts = triple
        .iter()
        .flatten()
        .filter_map(|s| s.fragments().first().map(|f| f.0));
    let ends = triple
        .iter()
        .flatten()
        .filter_map(|s| s.fragments().last().map(|f| f.1));
    let (lo, hi) = (starts.min().unwrap_or(0), ends.max().unwrap_or(0));
    let from = lo.saturating_sub(60);
    let to = (hi + 60).min(doc.chars.len());
    let context: String = doc
        .chars
        .get(from..to)
        .map(|c| c.iter().collect::<String>())
        .unwrap_or_default();
    ErrorItem {
        doc: doc.id.clone(),
        kind: kind_of(triple, &doc.chars),
        source: describe(triple[0].as_ref(), &doc.chars),
        cue: describe(triple[1].as_ref(), &doc.chars),
        content: describe(triple[2].as_ref(), &doc.chars),
        context: context.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

/// Up to `n` missed gold attributions and `n` spurious predictions, in document order.
pub fn errors(details: &[DocMatch], n: usize) -> (Vec<ErrorItem>, Vec<ErrorItem>) {
    let mut missed = Vec::new();
    let mut spurious = Vec::new();
    for d in details {
        for (gi, g) in d.gold.iter().enumerate() {
            if missed.len() < n && !d.matched.iter().any(|&(mg, _)| mg == gi) {
                missed.push(item(d, g));
            }
        }
        for (pi, p) in d.pred.iter().enumerate() {
            if spurious.len() < n && !d.matched.iter().any(|&(_, mp)| mp == pi) {
                spurious.push(item(d, p));
            }
        }
    }
    (missed, spurious)
}
