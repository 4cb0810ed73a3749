//! The JSON contract of `extract --format jsonl` (also read by `eval`): one object per document,
//! spans as in `../shared/data/polnear/README.md`.

use crate::extract::{Attribution, Extraction};
use crate::text::{MultiSpan, Span};
use serde::Serialize;

/// A span in the contract: `{"start", "end", "text", "fragments"}`, character offsets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonSpan {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// `text[start..end]`.
    pub text: String,
    /// Sorted, disjoint `[start, end)` pairs; only their characters belong to the span.
    pub fragments: Vec<[usize; 2]>,
}

impl JsonSpan {
    /// A contiguous span.
    pub fn of(span: &Span, text: &str) -> JsonSpan {
        JsonSpan {
            start: span.start,
            end: span.end,
            text: span.text(text).to_owned(),
            fragments: vec![[span.start, span.end]],
        }
    }

    /// A possibly discontiguous span.
    pub fn of_multi(span: &MultiSpan, text: &str) -> JsonSpan {
        let extent = span.extent();
        JsonSpan {
            start: extent.start,
            end: extent.end,
            text: extent.text(text).to_owned(),
            fragments: span.fragments().iter().map(|f| [f.start, f.end]).collect(),
        }
    }
}

/// One attribution in the contract.
#[derive(Debug, Clone, Serialize)]
pub struct JsonAttribution {
    /// "E1", "E2" …
    pub id: String,
    /// Who.
    pub source: Option<JsonSpan>,
    /// The cue.
    pub cue: JsonSpan,
    /// What.
    pub content: JsonSpan,
    /// direct, indirect, mixed, according-to, unattributed.
    pub kind: &'static str,
    /// Through whom.
    pub intermediary: Option<JsonSpan>,
    /// Whether the source is anonymous (`null` without a source).
    pub anonymous: Option<bool>,
    /// How many sources, when known.
    pub source_count: Option<u32>,
    /// Confidence in [0, 1].
    pub confidence: f64,
    /// The rule that produced it.
    pub rule: &'static str,
    /// Extra: the confidence label.
    pub confidence_label: &'static str,
    /// Extra: the factors that fired.
    pub reasons: Vec<String>,
    /// Extra: the source's proper name.
    pub source_name: Option<String>,
    /// Extra: the source's affiliation.
    pub affiliation: Option<String>,
    /// Extra: the intermediary's canonical name.
    pub intermediary_name: Option<String>,
    /// Extra: the id of the attribution whose source this one's refers back to.
    pub refers_to: Option<String>,
}

/// One document in the contract.
#[derive(Debug, Clone, Serialize)]
pub struct JsonDocument {
    /// The document's name.
    pub id: String,
    /// Its attributions, in text order.
    pub attributions: Vec<JsonAttribution>,
}

impl JsonDocument {
    /// The contract object of one extraction.
    pub fn new(name: &str, text: &str, extraction: &Extraction) -> JsonDocument {
        let all = &extraction.attributions;
        JsonDocument {
            id: name.to_owned(),
            attributions: all.iter().map(|a| attribution(a, text, all)).collect(),
        }
    }
}

fn attribution(a: &Attribution, text: &str, all: &[Attribution]) -> JsonAttribution {
    let features = a.source.as_ref().map(|s| &s.features);
    JsonAttribution {
        id: a.id.clone(),
        source: a.source.as_ref().map(|s| JsonSpan::of(&s.span, text)),
        cue: JsonSpan::of(&a.cue, text),
        content: JsonSpan::of_multi(&a.content, text),
        kind: a.kind.as_str(),
        intermediary: a.intermediary.as_ref().map(|i| JsonSpan::of(&i.span, text)),
        anonymous: features.map(|f| f.anonymous),
        source_count: features.and_then(|f| f.count).and_then(|c| c.exact()),
        confidence: a.confidence.value,
        rule: a.rule.0,
        confidence_label: a.confidence.label.as_str(),
        reasons: a.confidence.reasons.iter().map(|r| r.id.clone()).collect(),
        source_name: features.and_then(|f| f.name.clone()),
        affiliation: features.and_then(|f| f.affiliation.clone()),
        intermediary_name: a.intermediary.as_ref().map(|i| i.name.clone()),
        refers_to: a
            .source
            .as_ref()
            .and_then(|s| s.antecedent)
            .and_then(|i| all.get(i))
            .map(|x| x.id.clone()),
    }
}
