//! Evaluation of attribution extraction against annotated documents, with exactly the definitions
//! of the reference scorer `../shared/tools/score_attrib.py`:
//!
//! - spans are sorted, merged fragments (character offsets); a span outside the text or empty is
//!   invalid and matches nothing;
//! - per document and component (source, cue, content), identical spans count once; *exact* means the
//!   same start and end after trimming whitespace, quotation marks and punctuation (Unicode P*, plus
//!   `` ` `` and `´`) from both ends; *partial* means character IoU ≥ 0.5 over the fragments' union;
//!   both are one-to-one greedy matchings, best IoU first;
//! - an attribution matches when content, source and cue each match partially (or are both null),
//!   greedy by the sum of the three IoUs; identical attributions count once;
//! - counts are summed over documents (micro average); an empty denominator gives 1.0 when the other
//!   side is empty too, else 0.0.

pub mod breakdown;
mod span;
pub mod xdoc;

pub use span::EvalSpan;

use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// The three components, in the reference scorer's order.
pub const COMPONENTS: [&str; 3] = ["source", "cue", "content"];

/// Precision, recall and F1 of one count.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prf {
    /// True positives.
    pub tp: usize,
    /// Gold items.
    pub gold: usize,
    /// Predicted items.
    pub pred: usize,
    /// tp / pred.
    pub precision: f64,
    /// tp / gold.
    pub recall: f64,
    /// Harmonic mean.
    pub f1: f64,
}

impl Prf {
    /// The reference scorer's `prf`.
    pub fn new(tp: usize, gold: usize, pred: usize) -> Prf {
        let ratio = |num: usize, den: usize, other: usize| {
            if den > 0 {
                num as f64 / den as f64
            } else if other == 0 {
                1.0
            } else {
                0.0
            }
        };
        let precision = ratio(tp, pred, gold);
        let recall = ratio(tp, gold, pred);
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Prf {
            tp,
            gold,
            pred,
            precision,
            recall,
            f1,
        }
    }
}

/// Exact and partial scores of one component.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ComponentScore {
    /// Same trimmed boundaries.
    pub exact: Prf,
    /// Character IoU ≥ threshold.
    pub partial: Prf,
}

/// Document counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocCounts {
    /// Gold documents.
    pub gold: usize,
    /// Prediction documents.
    pub pred: usize,
    /// Documents scored (the gold ones).
    pub scored: usize,
    /// Gold documents without a prediction.
    pub missing_in_pred: usize,
    /// Their ids.
    pub missing_ids: Vec<String>,
    /// Prediction documents not in the gold.
    pub extra_in_pred: usize,
    /// Their ids.
    pub extra_ids: Vec<String>,
}

/// Settings of a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    /// The IoU threshold of partial matches.
    pub partial_iou: f64,
    /// "micro over documents".
    pub average: &'static str,
}

/// A warning kind with its count and first example.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    /// How many times.
    pub count: usize,
    /// Where first.
    pub first: String,
}

/// The scores, in the shape of the reference scorer's `--json` output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Settings.
    pub settings: Settings,
    /// Document counts.
    pub docs: DocCounts,
    /// Source spans.
    pub source: ComponentScore,
    /// Cue spans.
    pub cue: ComponentScore,
    /// Content spans.
    pub content: ComponentScore,
    /// Whole attributions (partial on all three components).
    pub attribution: Prf,
    /// Input problems, by kind.
    pub warnings: BTreeMap<String, Warning>,
}

impl Report {
    /// The score of a component by name.
    pub fn component(&self, name: &str) -> Option<&ComponentScore> {
        match name {
            "source" => Some(&self.source),
            "cue" => Some(&self.cue),
            "content" => Some(&self.content),
            _ => None,
        }
    }
}

/// A document: its id, text (gold only) and attributions, as JSON.
#[derive(Debug, Clone)]
pub struct EvalDoc {
    /// The id.
    pub id: String,
    /// The text (required in gold documents).
    pub text: Option<String>,
    /// The attributions, as read.
    pub attributions: Vec<Value>,
}

impl EvalDoc {
    /// A document from one parsed JSON line; `None` when it is not an object with a string `id`
    /// and a list (or no) `attributions`.
    pub fn from_json(value: Value) -> Option<EvalDoc> {
        let Value::Object(mut map) = value else { return None };
        let id = map.get("id")?.as_str()?.to_owned();
        let text = map.get("text").and_then(Value::as_str).map(str::to_owned);
        let attributions = match map.remove("attributions") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items,
            Some(_) => return None,
        };
        Some(EvalDoc { id, text, attributions })
    }
}

/// Collects warnings as the reference scorer does: a count per kind and the first place.
#[derive(Default)]
struct Warnings(BTreeMap<String, Warning>);

impl Warnings {
    fn warn(&mut self, kind: &str, place: impl FnOnce() -> String) {
        match self.0.get_mut(kind) {
            Some(w) => w.count += 1,
            None => {
                self.0.insert(
                    kind.to_owned(),
                    Warning {
                        count: 1,
                        first: place(),
                    },
                );
            }
        }
    }
}

/// An attribution as three optional spans (source, cue, content).
pub type Triple = [Option<EvalSpan>; 3];

/// The attributions of one document, parsed, with identical ones dropped.
fn doc_attributions(doc: &EvalDoc, chars: &[char], warnings: &mut Warnings, side: &str) -> Vec<Triple> {
    let mut out: Vec<Triple> = Vec::new();
    let mut seen: Vec<[Option<span::SpanKey>; 3]> = Vec::new();
    for (i, a) in doc.attributions.iter().enumerate() {
        let label = match a.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(other) if !other.is_null() => python_repr(other),
            _ => i.to_string(),
        };
        let place = format!("{side} {} attribution {label}", doc.id);
        let Value::Object(map) = a else {
            warnings.warn("attribution is not an object (skipped)", || {
                format!("{side} {} attribution {i}", doc.id)
            });
            continue;
        };
        let triple: Triple = COMPONENTS.map(|c| {
            span::parse(map.get(c), chars, &mut |kind| {
                warnings.warn(kind, || format!("{place} {c}"))
            })
        });
        if triple.iter().all(Option::is_none) {
            warnings.warn("attribution with no source, cue or content (skipped)", || place.clone());
            continue;
        }
        let key = [0, 1, 2].map(|c| triple[c].as_ref().map(EvalSpan::key));
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        out.push(triple);
    }
    out
}

/// How Python's `str(value)` shows a JSON id that is not a string (for warning places).
fn python_repr(value: &Value) -> String {
    match value {
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        other => other.to_string(),
    }
}

/// One-to-one greedy matching, best score first (ties by gold, then prediction index): the
/// matched (gold, prediction) pairs.
fn greedy_pairs(mut pairs: Vec<(f64, usize, usize)>) -> Vec<(usize, usize)> {
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut used_gold = std::collections::HashSet::new();
    let mut used_pred = std::collections::HashSet::new();
    let mut matched = Vec::new();
    for (_, g, p) in pairs {
        if !used_gold.contains(&g) && !used_pred.contains(&p) {
            used_gold.insert(g);
            used_pred.insert(p);
            matched.push((g, p));
        }
    }
    matched
}

fn greedy(pairs: Vec<(f64, usize, usize)>) -> usize {
    greedy_pairs(pairs).len()
}

/// Identical spans once, in first-seen order.
fn dedup<'a>(spans: impl Iterator<Item = Option<&'a EvalSpan>>) -> Vec<&'a EvalSpan> {
    let mut out: Vec<&EvalSpan> = Vec::new();
    for s in spans.flatten() {
        if !out.iter().any(|o| o.key() == s.key()) {
            out.push(s);
        }
    }
    out
}

fn match_components(gold: &[&EvalSpan], pred: &[&EvalSpan], threshold: f64) -> (usize, usize) {
    let mut exact = Vec::new();
    let mut partial = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        for (pi, p) in pred.iter().enumerate() {
            let v = g.iou(p);
            if v >= threshold {
                partial.push((v, gi, pi));
            }
            if p.trimmed().is_some() && p.trimmed() == g.trimmed() {
                exact.push((v, gi, pi));
            }
        }
    }
    (greedy(exact), greedy(partial))
}

fn component_ok(g: Option<&EvalSpan>, p: Option<&EvalSpan>, threshold: f64) -> (bool, f64) {
    match (g, p) {
        (None, None) => (true, 1.0),
        (Some(g), Some(p)) => {
            let v = g.iou(p);
            (v >= threshold, v)
        }
        _ => (false, 0.0),
    }
}

/// The attributions matched one to one, as (gold, prediction) index pairs.
pub fn match_attributions(gold: &[Triple], pred: &[Triple], threshold: f64) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        'pred: for (pi, p) in pred.iter().enumerate() {
            let mut total = 0.0;
            // Content first: it rules most pairs out.
            for c in [2, 0, 1] {
                let (ok, v) = component_ok(g[c].as_ref(), p[c].as_ref(), threshold);
                if !ok {
                    continue 'pred;
                }
                total += v;
            }
            pairs.push((total, gi, pi));
        }
    }
    greedy_pairs(pairs)
}

/// Which part of a corpus a document falls in: a fixed 80/20 split by a hash of its id, so that
/// the dev part never leaks into training, whatever the file order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// Every document.
    All,
    /// The 80 %.
    Train,
    /// The 20 %.
    Dev,
}

impl Split {
    /// Whether the document `id` is in this part.
    ///
    /// ```
    /// use claimtrace::eval::Split;
    /// let ids = (0..1000).map(|i| format!("doc-{i}"));
    /// let dev = ids.filter(|id| Split::Dev.contains(id)).count();
    /// assert!((150..250).contains(&dev));
    /// ```
    pub fn contains(self, id: &str) -> bool {
        let hex = crate::model::hex_prefix(id.as_bytes(), 8);
        let dev = u32::from_str_radix(&hex, 16).is_ok_and(|n| n % 5 == 0);
        match self {
            Split::All => true,
            Split::Train => !dev,
            Split::Dev => dev,
        }
    }
}

/// Gold or prediction documents are malformed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct EvalError(pub String);

/// One document's parsed attributions and their matching, for breakdowns and error listings.
#[derive(Debug, Clone)]
pub struct DocMatch {
    /// The document id.
    pub id: String,
    /// Its text, as characters.
    pub chars: Vec<char>,
    /// Gold attributions (deduplicated).
    pub gold: Vec<Triple>,
    /// Predicted attributions (deduplicated).
    pub pred: Vec<Triple>,
    /// Matched (gold, prediction) pairs.
    pub matched: Vec<(usize, usize)>,
}

/// Scores `pred` against `gold` (both in file order; ids must be unique).
pub fn score(gold: &[EvalDoc], pred: &[EvalDoc], threshold: f64) -> Result<Report, EvalError> {
    score_with_details(gold, pred, threshold, None)
}

/// Like [`score`], also collecting each document's matching into `details`.
pub fn score_with_details(
    gold: &[EvalDoc],
    pred: &[EvalDoc],
    threshold: f64,
    mut details: Option<&mut Vec<DocMatch>>,
) -> Result<Report, EvalError> {
    let pred_by_id: HashMap<&str, &EvalDoc> = pred.iter().map(|d| (d.id.as_str(), d)).collect();
    let mut gold_sorted: Vec<&EvalDoc> = gold.iter().collect();
    gold_sorted.sort_by(|a, b| a.id.cmp(&b.id));
    let mut warnings = Warnings::default();
    let mut counts = [[0usize; 4]; 3]; // gold, pred, exact, partial
    let (mut att_gold, mut att_pred, mut att_tp) = (0, 0, 0);
    let mut missing = Vec::new();
    let empty = EvalDoc {
        id: String::new(),
        text: None,
        attributions: Vec::new(),
    };
    for g in gold_sorted {
        let text = g
            .text
            .as_deref()
            .ok_or_else(|| EvalError(format!("gold document {:?} has no \"text\"", g.id)))?;
        let chars: Vec<char> = text.chars().collect();
        let placeholder;
        let p = match pred_by_id.get(g.id.as_str()) {
            Some(p) => *p,
            None => {
                missing.push(g.id.clone());
                placeholder = EvalDoc {
                    id: g.id.clone(),
                    ..empty.clone()
                };
                &placeholder
            }
        };
        let ga = doc_attributions(g, &chars, &mut warnings, "gold");
        let pa = doc_attributions(p, &chars, &mut warnings, "pred");
        for c in 0..3 {
            let gs = dedup(ga.iter().map(|a| a[c].as_ref()));
            let ps = dedup(pa.iter().map(|a| a[c].as_ref()));
            let (exact, partial) = match_components(&gs, &ps, threshold);
            counts[c][0] += gs.len();
            counts[c][1] += ps.len();
            counts[c][2] += exact;
            counts[c][3] += partial;
        }
        att_gold += ga.len();
        att_pred += pa.len();
        let matched = match_attributions(&ga, &pa, threshold);
        att_tp += matched.len();
        if let Some(details) = details.as_deref_mut() {
            details.push(DocMatch {
                id: g.id.clone(),
                chars,
                gold: ga,
                pred: pa,
                matched,
            });
        }
    }
    let gold_ids: std::collections::HashSet<&str> = gold.iter().map(|d| d.id.as_str()).collect();
    let mut extra: Vec<String> = pred
        .iter()
        .filter(|d| !gold_ids.contains(d.id.as_str()))
        .map(|d| d.id.clone())
        .collect();
    extra.sort();
    extra.dedup();
    let component = |c: usize| ComponentScore {
        exact: Prf::new(counts[c][2], counts[c][0], counts[c][1]),
        partial: Prf::new(counts[c][3], counts[c][0], counts[c][1]),
    };
    Ok(Report {
        settings: Settings {
            partial_iou: threshold,
            average: "micro over documents",
        },
        docs: DocCounts {
            gold: gold.len(),
            pred: pred_by_id.len(),
            scored: gold.len(),
            missing_in_pred: missing.len(),
            missing_ids: missing,
            extra_in_pred: extra.len(),
            extra_ids: extra,
        },
        source: component(0),
        cue: component(1),
        content: component(2),
        attribution: Prf::new(att_tp, att_gold, att_pred),
        warnings: warnings.0,
    })
}

/// Parses a JSON Lines file of documents as the reference scorer does (blank lines skipped;
/// ids unique). `label` names the side in messages ("gold", "pred").
pub fn read_documents(path: &std::path::Path, label: &str) -> Result<Vec<EvalDoc>, EvalError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| EvalError(format!("{label}: cannot open {}: {e}", path.display())))?;
    let mut docs = Vec::new();
    let mut ids = std::collections::HashSet::new();
    for (n, line) in text.lines().enumerate() {
        let n = n + 1;
        if line.trim().is_empty() {
            continue;
        }
        let value: Value =
            serde_json::from_str(line).map_err(|e| EvalError(format!("{}:{n}: bad JSON: {e}", path.display())))?;
        let doc = EvalDoc::from_json(value).ok_or_else(|| {
            EvalError(format!(
                "{}:{n}: a document must be an object with a string \"id\" and a list of attributions",
                path.display()
            ))
        })?;
        if !ids.insert(doc.id.clone()) {
            return Err(EvalError(format!(
                "{}:{n}: duplicate document id {:?}",
                path.display(),
                doc.id
            )));
        }
        docs.push(doc);
    }
    Ok(docs)
}
