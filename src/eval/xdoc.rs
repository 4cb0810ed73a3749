//! Evaluation of cross-article corroboration (claim clusters, independent roots, circular
//! reporting, denials, confidence order) against a `gold.json`, with exactly the definitions of the
//! reference scorer `../shared/tools/score_xdoc.py`, number for number:
//!
//! - offsets are characters (Unicode scalar values, Python `str` indices); a gold mention starts at
//!   the first occurrence of its `content_text` in its article; a predicted span whose `text` is
//!   given and differs from the article's slice (sliced as Python does: negative indices count from
//!   the end, out-of-range ones are clamped) is relocated to the first occurrence of that text;
//! - each gold mention is matched to the best-overlapping predicted mention in the same article
//!   (character IoU ≥ 0.3; of equal overlaps, the last one);
//! - a gold claim's cluster is the one holding most of its matched mentions; of tied clusters, the
//!   first in the iteration order of the Python `set` of their indices (see [`python_set_order`]);
//! - every value the reference scorer prints (`repr`, `str`, floats with `.3f`) is shown as Python
//!   shows it, so the detail lines are the same text.

use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// The least character IoU at which a predicted mention matches a gold one.
pub const MIN_IOU: f64 = 0.3;

/// Words that never make two denials agree (the reference scorer's `STOP`).
const STOP: [&str; 27] = [
    "the",
    "a",
    "an",
    "of",
    "and",
    "for",
    "in",
    "on",
    "at",
    "to",
    "by",
    "its",
    "his",
    "her",
    "their",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "official",
    "officials",
    "said",
    "says",
    "government",
    "new",
    "national",
    "city",
    "state",
];

/// The gold or the predictions are malformed where the reference scorer stops.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum XdocError {
    /// The gold is not in the expected shape.
    #[error("gold: {0}")]
    Gold(String),
    /// A gold mention's article cannot be read.
    #[error("gold: article {file:?} cannot be read")]
    MissingArticle {
        /// The article's file name.
        file: String,
    },
    /// A gold mention's content is not in its article.
    #[error("gold: {file}: content not found in the article: {content:?}")]
    ContentNotFound {
        /// The article's file name.
        file: String,
        /// The first 40 characters of the content.
        content: String,
    },
    /// The gold has no mention, so no figure is defined.
    #[error("gold: no claim has a mention, nothing to score")]
    NoGoldMentions,
    /// The predictions are not a cluster list, or hold a value the reference scorer cannot use.
    #[error("pred: {0}")]
    Pred(String),
}

/// How many claims, gold mentions and predicted clusters were scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct XdocCounts {
    /// Gold claims.
    pub claims: usize,
    /// Gold mentions.
    pub gold_mentions: usize,
    /// Predicted clusters (the JSON objects among the predictions).
    pub predicted_clusters: usize,
}

/// Every figure of the reference scorer, and its detail lines.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct XdocScore {
    /// min(pairwise F1, B-cubed F1) over gold mentions.
    pub cluster_f1: f64,
    /// Share of gold mentions matched.
    pub mention_recall: f64,
    /// Share of gold claims whose cluster holds no other gold claim.
    pub separation: f64,
    /// Share of gold claims whose cluster has the right `independent_root_count`.
    pub independent: f64,
    /// F1 of the circular flag (JSON `true` only).
    pub circular: f64,
    /// F1 of denials (a predicted `denied_by` must share a content word with the gold one).
    pub denial: f64,
    /// Share of gold `confidence_order` pairs that hold.
    pub order: f64,
    /// Pairwise F1 over gold mention pairs.
    pub pairwise_f1: f64,
    /// B-cubed F1 over gold mentions.
    pub bcubed_f1: f64,
    /// What was scored.
    pub counts: XdocCounts,
    /// What went wrong, one line each, in the reference scorer's order and wording.
    pub details: Vec<String>,
}

impl XdocScore {
    /// The figures that must reach the floor, named, in the reference scorer's order.
    pub fn figures(&self) -> [(&'static str, f64); 7] {
        [
            ("cluster_f1", self.cluster_f1),
            ("mention_recall", self.mention_recall),
            ("separation", self.separation),
            ("independent", self.independent),
            ("circular", self.circular),
            ("denial", self.denial),
            ("order", self.order),
        ]
    }

    /// Whether every figure reaches `floor`.
    pub fn passes(&self, floor: f64) -> bool {
        self.figures().iter().all(|(_, v)| *v >= floor)
    }
}

/// Reads a text file as Python's `open(path, encoding="utf-8").read()` does: UTF-8, with `\r\n`
/// and `\r` read as `\n`.
pub fn read_text(path: &Path) -> std::io::Result<String> {
    let bytes = std::fs::read(path)?;
    let text = String::from_utf8(bytes).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    })
}

/// Parses predictions in the three shapes the reference scorer accepts: a JSON array of clusters,
/// an object with a `"clusters"` array (any other object is one cluster), or one cluster per line.
/// Blank input is no cluster. Items that are not objects are kept here; [`score`] ignores them.
///
/// ```
/// use claimtrace::eval::xdoc::load_pred;
/// assert_eq!(load_pred(r#"{"clusters": [{"cluster": 1}]}"#).unwrap().len(), 1);
/// assert_eq!(load_pred("{\"cluster\": 1}\n\n{\"cluster\": 2}\n").unwrap().len(), 2);
/// assert!(load_pred("3").is_err());
/// ```
pub fn load_pred(raw: &str) -> Result<Vec<Value>, XdocError> {
    let raw = py_strip(raw);
    if raw.is_empty() {
        return Ok(Vec::new());
    }
    match serde_json::from_str::<Value>(raw) {
        Ok(Value::Array(items)) => Ok(items),
        Ok(Value::Object(mut map)) => match map.remove("clusters") {
            Some(Value::Array(items)) => Ok(items),
            Some(other) => {
                map.insert("clusters".to_owned(), other);
                Ok(vec![Value::Object(map)])
            }
            None => Ok(vec![Value::Object(map)]),
        },
        Ok(_) => Err(XdocError::Pred("not a cluster list".to_owned())),
        Err(_) => py_splitlines(raw)
            .into_iter()
            .enumerate()
            .filter(|(_, line)| !py_strip(line).is_empty())
            .map(|(n, line)| {
                serde_json::from_str(line).map_err(|e| {
                    XdocError::Pred(format!("neither JSON nor one JSON value per line: line {}: {e}", n + 1))
                })
            })
            .collect(),
    }
}

/// An article's text, as a string and as characters.
struct Article {
    text: String,
    chars: Vec<char>,
}

impl Article {
    fn new(text: String) -> Article {
        let chars = text.chars().collect();
        Article { text, chars }
    }

    /// Python's `str.find`: the character index of the first occurrence of `needle`.
    fn find(&self, needle: &str) -> Option<usize> {
        self.text.find(needle).map(|byte| self.text[..byte].chars().count())
    }

    /// Python's `t[start:end]` (an absent end is the end of the text).
    fn slice(&self, start: i128, end: Option<i128>) -> String {
        let len = self.chars.len() as i128;
        let clamp = |i: i128| {
            let i = if i < 0 { i + len } else { i };
            i.clamp(0, len) as usize
        };
        let (s, e) = (clamp(start), end.map_or(self.chars.len(), clamp));
        if s >= e {
            String::new()
        } else {
            self.chars[s..e].iter().collect()
        }
    }
}

/// Articles by file name, each read once.
struct Articles<'a> {
    load: &'a dyn Fn(&str) -> Option<String>,
    cache: HashMap<String, Option<Article>>,
}

impl Articles<'_> {
    fn get(&mut self, name: &str) -> Option<&Article> {
        if !self.cache.contains_key(name) {
            let article = (self.load)(name).map(Article::new);
            self.cache.insert(name.to_owned(), article);
        }
        self.cache.get(name).and_then(Option::as_ref)
    }
}

/// A gold mention: its claim id, article and character span.
struct GoldMention {
    claim: String,
    file: String,
    start: i128,
    end: i128,
}

/// A predicted mention: its cluster index, article and character span (as given or relocated,
/// never clamped).
struct PredMention {
    cluster: usize,
    file: String,
    start: i128,
    end: i128,
}

/// The gold, read: claims in order (the last of duplicate ids wins, in the first one's place),
/// mentions, and confidence order pairs.
struct Gold<'g> {
    claims: Vec<(String, &'g Map<String, Value>)>,
    mentions: Vec<GoldMention>,
    orders: Vec<[&'g Value; 3]>,
}

fn gold_error(what: impl Into<String>) -> XdocError {
    XdocError::Gold(what.into())
}

fn read_gold<'g>(gold: &'g Value, articles: &mut Articles<'_>) -> Result<Gold<'g>, XdocError> {
    let events = gold
        .get("events")
        .and_then(Value::as_array)
        .ok_or_else(|| gold_error("no \"events\" list"))?;
    let mut out = Gold {
        claims: Vec::new(),
        mentions: Vec::new(),
        orders: Vec::new(),
    };
    let mut position: HashMap<String, usize> = HashMap::new();
    for event in events {
        let claims = event
            .get("claims")
            .and_then(Value::as_array)
            .ok_or_else(|| gold_error("an event has no \"claims\" list"))?;
        for claim in claims {
            let claim = claim
                .as_object()
                .ok_or_else(|| gold_error("a claim is not an object"))?;
            let id = claim
                .get("id")
                .and_then(Value::as_str)
                .ok_or_else(|| gold_error("a claim has no string \"id\""))?
                .to_owned();
            match position.get(&id) {
                Some(&i) => out.claims[i].1 = claim,
                None => {
                    position.insert(id.clone(), out.claims.len());
                    out.claims.push((id.clone(), claim));
                }
            }
            let mentions = claim
                .get("mentions")
                .and_then(Value::as_array)
                .ok_or_else(|| gold_error(format!("claim {id} has no \"mentions\" list")))?;
            for m in mentions {
                let file = m
                    .get("file")
                    .and_then(Value::as_str)
                    .ok_or_else(|| gold_error(format!("a mention of claim {id} has no string \"file\"")))?;
                let file = basename(file);
                let article = articles
                    .get(file)
                    .ok_or_else(|| XdocError::MissingArticle { file: file.to_owned() })?;
                let content = m
                    .get("content_text")
                    .and_then(Value::as_str)
                    .ok_or_else(|| gold_error(format!("a mention of claim {id} has no string \"content_text\"")))?;
                let start = article.find(content).ok_or_else(|| XdocError::ContentNotFound {
                    file: file.to_owned(),
                    content: content.chars().take(40).collect(),
                })?;
                out.mentions.push(GoldMention {
                    claim: id.clone(),
                    file: file.to_owned(),
                    start: start as i128,
                    end: (start + content.chars().count()) as i128,
                });
            }
        }
        match event.get("confidence_order") {
            None => {}
            Some(Value::Array(pairs)) => {
                for pair in pairs {
                    match pair.as_array().map(Vec::as_slice) {
                        Some([a, op, b]) => out.orders.push([a, op, b]),
                        _ => return Err(gold_error("a confidence_order item is not [claim, op, claim]")),
                    }
                }
            }
            Some(_) => return Err(gold_error("\"confidence_order\" is not a list")),
        }
    }
    Ok(out)
}

/// The predicted mentions, as the reference scorer reads them (skipping what it skips).
fn read_pred(clusters: &[&Map<String, Value>], articles: &mut Articles<'_>) -> Result<Vec<PredMention>, XdocError> {
    let mut out = Vec::new();
    for (ci, cluster) in clusters.iter().enumerate() {
        let mentions: &[Value] = match cluster.get("mentions") {
            Some(Value::Array(items)) => items,
            // Falsy values are no mention; iterating a string or an object yields no object.
            Some(v @ (Value::Number(_) | Value::Bool(true))) if truthy(v) => {
                return Err(XdocError::Pred(format!(
                    "cluster {ci}: \"mentions\" is {}, not a list",
                    py_repr(v)
                )));
            }
            _ => &[],
        };
        for m in mentions {
            let Some(m) = m.as_object() else { continue };
            let file = match m.get("article") {
                None => String::new(),
                Some(v) => py_str(v),
            };
            let file = basename(&file);
            let empty = Map::new();
            let content = match m.get("content") {
                Some(Value::Object(c)) => c,
                Some(v) if truthy(v) => {
                    return Err(XdocError::Pred(format!(
                        "cluster {ci}: a mention's \"content\" is {}, not an object",
                        py_repr(v)
                    )));
                }
                _ => &empty,
            };
            let mut start = content.get("start").filter(|v| !v.is_null()).map(Offset::of);
            let mut end = content.get("end").filter(|v| !v.is_null()).map(Offset::of);
            let Some(article) = articles.get(file) else { continue };
            match content.get("text") {
                Some(Value::String(text)) if !text.is_empty() => {
                    let differs = match start {
                        None => true,
                        Some(s) => {
                            let s = s.index(ci)?;
                            let e = end.map(|e| e.index(ci)).transpose()?;
                            article.slice(s, e) != *text
                        }
                    };
                    if differs && let Some(k) = article.find(text) {
                        // Offsets relative to another base: locate by text.
                        start = Some(Offset::Int(k as i128));
                        end = Some(Offset::Int((k + text.chars().count()) as i128));
                    }
                }
                Some(v) if truthy(v) => {
                    return Err(XdocError::Pred(format!(
                        "cluster {ci}: a mention's \"text\" is {}, not a string",
                        py_repr(v)
                    )));
                }
                _ => {}
            }
            if let (Some(Offset::Int(start)), Some(Offset::Int(end))) = (start, end) {
                out.push(PredMention {
                    cluster: ci,
                    file: file.to_owned(),
                    start,
                    end,
                });
            }
        }
    }
    Ok(out)
}

/// A predicted offset: a Python `int` (JSON integers and booleans) or anything else.
#[derive(Debug, Clone, Copy)]
enum Offset {
    Int(i128),
    Other,
}

impl Offset {
    fn of(v: &Value) -> Offset {
        match v {
            Value::Bool(b) => Offset::Int(i128::from(*b)),
            Value::Number(n) => n
                .as_i64()
                .map(i128::from)
                .or_else(|| n.as_u64().map(i128::from))
                .map_or(Offset::Other, Offset::Int),
            _ => Offset::Other,
        }
    }

    /// The offset as a slice index; Python raises a `TypeError` for anything but an int.
    fn index(self, cluster: usize) -> Result<i128, XdocError> {
        match self {
            Offset::Int(i) => Ok(i),
            Offset::Other => Err(XdocError::Pred(format!(
                "cluster {cluster}: a mention's \"start\" or \"end\" is not an integer"
            ))),
        }
    }
}

/// `os.path.basename`.
fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn iou(a: (i128, i128), b: (i128, i128)) -> f64 {
    let inter = (a.1.min(b.1) - a.0.max(b.0)).max(0);
    let union = a.1.max(b.1) - a.0.min(b.0);
    if union != 0 { inter as f64 / union as f64 } else { 0.0 }
}

/// The reference scorer's `f1`: 1.0 when there is nothing to find and nothing found.
fn f1(tp: usize, fp: usize, fn_: usize) -> f64 {
    if tp + fp + fn_ == 0 {
        return 1.0;
    }
    let p = if tp + fp > 0 { tp as f64 / (tp + fp) as f64 } else { 0.0 };
    let r = if tp + fn_ > 0 {
        tp as f64 / (tp + fn_) as f64
    } else {
        0.0
    };
    if p + r != 0.0 { 2.0 * p * r / (p + r) } else { 0.0 }
}

fn ratio(num: usize, den: usize) -> f64 {
    num as f64 / den as f64
}

/// The content words of a denier, as the reference scorer's `words()`.
fn words(v: Option<&Value>) -> HashSet<String> {
    let text = match v {
        Some(v) if truthy(v) => py_str(v).to_lowercase(),
        _ => String::new(),
    };
    text.split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
        .filter(|w| w.len() > 2 && !STOP.contains(w))
        .map(str::to_owned)
        .collect()
}

/// The order in which CPython 3 iterates `set(values)` for small non-negative ints (hash = value):
/// an open-addressing table of 8 slots, probed `i = 5i + 1 + perturb`, linear probes of 9 when
/// they fit, grown ×4 (of the used count) once 3/5 full. For values below the table size this is
/// ascending order; otherwise not (`set([9, 1])` iterates 9 first).
///
/// ```
/// use claimtrace::eval::xdoc::python_set_order;
/// assert_eq!(python_set_order(&[3, 1, 2, 3]), vec![1, 2, 3]);
/// assert_eq!(python_set_order(&[9, 1]), vec![9, 1]);
/// assert_eq!(python_set_order(&[1, 9]), vec![1, 9]);
/// ```
pub fn python_set_order(values: &[usize]) -> Vec<usize> {
    const LINEAR_PROBES: usize = 9;
    const PERTURB_SHIFT: u32 = 5;
    fn insert_clean(table: &mut [Option<usize>], key: usize) {
        let mask = table.len() - 1;
        let mut perturb = key;
        let mut i = key & mask;
        loop {
            if table[i].is_none() {
                table[i] = Some(key);
                return;
            }
            if i + LINEAR_PROBES <= mask
                && let Some(free) = table[i + 1..=i + LINEAR_PROBES].iter_mut().find(|k| k.is_none())
            {
                *free = Some(key);
                return;
            }
            perturb >>= PERTURB_SHIFT;
            i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb)) & mask;
        }
    }
    let mut table: Vec<Option<usize>> = vec![None; 8];
    let mut used = 0usize;
    for &key in values {
        let mask = table.len() - 1;
        let mut perturb = key;
        let mut i = key & mask;
        let slot = 'probe: loop {
            let probes = if i + LINEAR_PROBES <= mask { LINEAR_PROBES } else { 0 };
            for (j, entry) in table.iter().enumerate().skip(i).take(probes + 1) {
                match entry {
                    None => break 'probe Some(j),
                    Some(k) if *k == key => break 'probe None,
                    Some(_) => {}
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb)) & mask;
        };
        let Some(slot) = slot else { continue };
        table[slot] = Some(key);
        used += 1;
        if used * 5 >= mask * 3 {
            let min_used = if used > 50_000 { used * 2 } else { used * 4 };
            let mut size = 8;
            while size <= min_used {
                size <<= 1;
            }
            let mut grown = vec![None; size];
            for key in table.iter().flatten() {
                insert_clean(&mut grown, *key);
            }
            table = grown;
        }
    }
    table.into_iter().flatten().collect()
}

/// `max(set(votes), key=votes.count)`: the most voted cluster; of ties, the first in the set's
/// iteration order.
fn most_voted(votes: &[usize]) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for candidate in python_set_order(votes) {
        let count = votes.iter().filter(|&&v| v == candidate).count();
        if best.is_none_or(|(_, c)| count > c) {
            best = Some((candidate, count));
        }
    }
    best.map(|(cluster, _)| cluster)
}

/// Scores predicted clusters against the gold. `article_text` gives an article's text by file
/// name (the base name the gold or a prediction gives), or `None` when there is no such article:
/// an error for a gold mention, a skipped mention for a prediction. `pred` is what [`load_pred`]
/// returns; items that are not objects are ignored.
pub fn score(
    gold: &Value,
    article_text: &dyn Fn(&str) -> Option<String>,
    pred: &[Value],
) -> Result<XdocScore, XdocError> {
    let mut articles = Articles {
        load: article_text,
        cache: HashMap::new(),
    };
    let gold = read_gold(gold, &mut articles)?;
    let clusters: Vec<&Map<String, Value>> = pred.iter().filter_map(Value::as_object).collect();
    let pm = read_pred(&clusters, &mut articles)?;
    let gm = &gold.mentions;
    if gm.is_empty() {
        return Err(XdocError::NoGoldMentions);
    }
    let n_gm = gm.len();

    // Each gold mention to the cluster of its best-overlapping predicted mention.
    let matched: Vec<Option<usize>> = gm
        .iter()
        .map(|g| {
            let mut best = None;
            let mut best_iou = MIN_IOU;
            for p in pm.iter().filter(|p| p.file == g.file) {
                let v = iou((g.start, g.end), (p.start, p.end));
                if v >= best_iou {
                    best = Some(p.cluster);
                    best_iou = v;
                }
            }
            best
        })
        .collect();
    let mention_recall = ratio(matched.iter().flatten().count(), n_gm);

    // Pairwise F1.
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for a in 0..n_gm {
        for b in a + 1..n_gm {
            let same_gold = gm[a].claim == gm[b].claim;
            let same_pred = matched[a].is_some() && matched[a] == matched[b];
            tp += usize::from(same_gold && same_pred);
            fp += usize::from(!same_gold && same_pred);
            fn_ += usize::from(same_gold && !same_pred);
        }
    }
    let pairwise_f1 = f1(tp, fp, fn_);

    // B-cubed over gold mentions (an unmatched mention is its own singleton cluster).
    let key = |g: usize| matched[g].map_or((false, g), |c| (true, c));
    let (mut bp, mut br) = (0.0, 0.0);
    for g in 0..n_gm {
        let same_p: Vec<usize> = (0..n_gm).filter(|&h| key(h) == key(g)).collect();
        let same_g = (0..n_gm).filter(|&h| gm[h].claim == gm[g].claim).count();
        let both = same_p.iter().filter(|&&h| gm[h].claim == gm[g].claim).count();
        bp += ratio(both, same_p.len());
        br += ratio(both, same_g);
    }
    let (bp, br) = (bp / n_gm as f64, br / n_gm as f64);
    let bcubed_f1 = if bp + br != 0.0 { 2.0 * bp * br / (bp + br) } else { 0.0 };

    // Each gold claim's cluster: the one holding most of its mentions.
    let mut cluster_of: HashMap<&str, usize> = HashMap::new();
    let mut owners: HashMap<usize, Vec<&str>> = HashMap::new();
    for (id, _) in &gold.claims {
        let votes: Vec<usize> = gm
            .iter()
            .zip(&matched)
            .filter(|(g, _)| g.claim == *id)
            .filter_map(|(_, m)| *m)
            .collect();
        if let Some(c) = most_voted(&votes) {
            cluster_of.insert(id, c);
            owners.entry(c).or_default().push(id);
        }
    }

    let mut details = Vec::new();
    let mut sep_ok = 0;
    for (id, _) in &gold.claims {
        if let Some(c) = cluster_of.get(id.as_str()) {
            let others: Vec<&str> = owners[c].iter().copied().filter(|o| o != id).collect();
            if owners[c].len() == 1 {
                sep_ok += 1;
            } else {
                details.push(format!("{id}: shares a cluster with {}", others.join(", ")));
            }
        }
    }

    let n = gold.claims.len();
    let mut ind_ok = 0;
    let (mut ctp, mut cfp, mut cfn, mut dtp, mut dfp, mut dfn) = (0, 0, 0, 0, 0, 0);
    for (id, claim) in &gold.claims {
        let field = |name: &str| {
            claim
                .get(name)
                .ok_or_else(|| gold_error(format!("claim {id} has no {name:?}")))
        };
        let Some(pc) = cluster_of.get(id.as_str()).map(|&c| clusters[c]) else {
            let gist = match field("gist")? {
                Value::String(s) => s.chars().take(60).collect::<String>(),
                _ => return Err(gold_error(format!("claim {id}: \"gist\" is not a string"))),
            };
            details.push(format!("{id}: no cluster ({gist})"));
            cfn += usize::from(truthy(field("circular")?));
            dfn += usize::from(claim.get("denied_by").is_some_and(truthy));
            continue;
        };
        let want_count = field("independent_root_count")?;
        let got_count = pc.get("independent_root_count");
        if got_count.is_some_and(|g| py_eq(g, want_count)) || (got_count.is_none() && want_count.is_null()) {
            ind_ok += 1;
        } else {
            details.push(format!(
                "{id}: independent roots {} want {}",
                got_count.map_or_else(|| "None".to_owned(), py_str),
                py_str(want_count)
            ));
        }
        let want_circular = truthy(field("circular")?);
        let got_circular = pc.get("circular");
        let got_c = got_circular == Some(&Value::Bool(true));
        let shown = || got_circular.map_or_else(|| "None".to_owned(), py_repr);
        if got_c && want_circular {
            ctp += 1;
        } else if got_c {
            cfp += 1;
            details.push(format!("{id}: circular {} want false", shown()));
        } else if want_circular {
            cfn += 1;
            details.push(format!("{id}: circular {} want true", shown()));
        }
        let want = claim.get("denied_by");
        let joined;
        let got = match pc.get("denied_by") {
            Some(Value::Array(items)) => {
                joined = Value::String(items.iter().map(py_str).collect::<Vec<_>>().join(" "));
                Some(&joined)
            }
            other => other,
        };
        let (want_t, got_t) = (want.is_some_and(truthy), got.is_some_and(truthy));
        if want_t && got_t && !words(want).is_disjoint(&words(got)) {
            dtp += 1;
        } else {
            dfp += usize::from(got_t);
            dfn += usize::from(want_t);
            if got_t || want_t {
                let repr = |v: Option<&Value>| v.map_or_else(|| "None".to_owned(), py_repr);
                details.push(format!("{id}: denied_by {} want {}", repr(got), repr(want)));
            }
        }
    }

    let mut ord_ok = 0;
    for [a, op, b] in &gold.orders {
        let (hi, lo) = if op.as_str() == Some(">") { (a, b) } else { (b, a) };
        let confidence = |claim: &Value| {
            let c = cluster_of.get(claim.as_str()?)?;
            py_float(clusters[*c].get("confidence")?)
        };
        match confidence(hi).and_then(|ch| Some((ch, confidence(lo)?))) {
            Some((ch, clo)) if ch > clo => ord_ok += 1,
            Some((ch, clo)) => details.push(format!(
                "order: {} ({}) should be > {} ({})",
                py_str(hi),
                py_fixed(ch, 3),
                py_str(lo),
                py_fixed(clo, 3)
            )),
            None => details.push(format!("order: {} > {} not comparable", py_str(hi), py_str(lo))),
        }
    }

    Ok(XdocScore {
        cluster_f1: pairwise_f1.min(bcubed_f1),
        mention_recall,
        separation: ratio(sep_ok, n),
        independent: ratio(ind_ok, n),
        circular: f1(ctp, cfp, cfn),
        denial: f1(dtp, dfp, dfn),
        order: if gold.orders.is_empty() {
            1.0
        } else {
            ratio(ord_ok, gold.orders.len())
        },
        pairwise_f1,
        bcubed_f1,
        counts: XdocCounts {
            claims: n,
            gold_mentions: n_gm,
            predicted_clusters: clusters.len(),
        },
        details,
    })
}

// Python's view of JSON values: truth, equality, `str`, `repr`, `float()` and `format(x, ".Nf")`.

/// Python's `bool(value)`.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|x| x != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// A JSON number or boolean as Python's int (exact) or float.
enum PyNum {
    Int(i128),
    Float(f64),
}

fn py_num(v: &Value) -> Option<PyNum> {
    match v {
        Value::Bool(b) => Some(PyNum::Int(i128::from(*b))),
        Value::Number(n) => Some(match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => PyNum::Int(i128::from(i)),
            (None, Some(u)) => PyNum::Int(i128::from(u)),
            _ => PyNum::Float(n.as_f64().unwrap_or(f64::NAN)),
        }),
        _ => None,
    }
}

/// Python's `a == b` for JSON values (`1 == 1.0 == True`).
fn py_eq(a: &Value, b: &Value) -> bool {
    if let (Some(x), Some(y)) = (py_num(a), py_num(b)) {
        let int_float = |i: i128, f: f64| f.is_finite() && f.fract() == 0.0 && f.abs() < 1e38 && f as i128 == i;
        return match (x, y) {
            (PyNum::Int(i), PyNum::Int(j)) => i == j,
            (PyNum::Float(f), PyNum::Float(g)) => f == g,
            (PyNum::Int(i), PyNum::Float(f)) | (PyNum::Float(f), PyNum::Int(i)) => int_float(i, f),
        };
    }
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| py_eq(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, p)| y.get(k).is_some_and(|q| py_eq(p, q)))
        }
        _ => false,
    }
}

/// Python's `str(value)`.
fn py_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => py_repr(other),
    }
}

/// Python's `repr(value)` (object keys in sorted order, as serde_json keeps them).
fn py_repr(v: &Value) -> String {
    match v {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Number(_) => match py_num(v) {
            Some(PyNum::Int(i)) => i.to_string(),
            Some(PyNum::Float(f)) => py_float_repr(f),
            None => String::new(),
        },
        Value::String(s) => py_repr_str(s),
        Value::Array(items) => format!("[{}]", items.iter().map(py_repr).collect::<Vec<_>>().join(", ")),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", py_repr_str(k), py_repr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Python's `repr(str)`: single quotes unless the text holds a single quote and no double one;
/// non-printable characters escaped.
fn py_repr_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            ' ' => out.push(' '),
            c if py_printable(c) => out.push(c),
            c if (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push(quote);
    out
}

/// Python's `str.isprintable` for one character other than the space.
fn py_printable(c: char) -> bool {
    !matches!(
        c.general_category(),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::Surrogate
            | GeneralCategory::PrivateUse
            | GeneralCategory::Unassigned
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
            | GeneralCategory::SpaceSeparator
    )
}

/// Python's `repr(float)`: the shortest digits that read back, in positional notation for
/// exponents from -4 to 15 and scientific notation (`1e+16`, `1e-05`) otherwise.
fn py_float_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".to_owned();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    let sci = format!("{:e}", x.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if x.is_sign_negative() { "-" } else { "" };
    let decpt = exp + 1; // digits × 10^(decpt - len)
    let body = if (-4 < decpt) && (decpt <= 16) {
        if decpt <= 0 {
            format!("0.{}{digits}", "0".repeat(decpt.unsigned_abs() as usize))
        } else if decpt as usize >= digits.len() {
            format!("{digits}{}.0", "0".repeat(decpt as usize - digits.len()))
        } else {
            format!("{}.{}", &digits[..decpt as usize], &digits[decpt as usize..])
        }
    } else {
        let mantissa = if digits.len() > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits.clone()
        };
        let exp_sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{exp_sign}{:02}", exp.unsigned_abs())
    };
    format!("{sign}{body}")
}

/// Python's `format(x, ".{precision}f")` (Rust's rounding is the same, half to even on the exact
/// binary value; only NaN is spelled differently).
fn py_fixed(x: f64, precision: usize) -> String {
    if x.is_nan() {
        "nan".to_owned()
    } else {
        format!("{x:.precision$}")
    }
}

/// Python's `float(value)` for a JSON value: numbers, booleans, and strings holding a decimal
/// number (surrounding whitespace, `_` between digits, `inf`, `nan`); `None` where Python raises.
fn py_float(v: &Value) -> Option<f64> {
    match py_num(v) {
        Some(PyNum::Int(i)) => return Some(i as f64),
        Some(PyNum::Float(f)) => return Some(f),
        None => {}
    }
    let s = py_strip(v.as_str()?);
    let chars: Vec<char> = s.chars().collect();
    let mut cleaned = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' {
            let digit_at = |j: Option<usize>| j.and_then(|j| chars.get(j)).is_some_and(char::is_ascii_digit);
            if !(digit_at(i.checked_sub(1)) && digit_at(Some(i + 1))) {
                return None;
            }
        } else if c.is_ascii() {
            cleaned.push(c);
        } else {
            return None;
        }
    }
    let unsigned = cleaned.strip_prefix(['+', '-']).unwrap_or(&cleaned);
    let lower = unsigned.to_ascii_lowercase();
    let word = matches!(lower.as_str(), "inf" | "infinity" | "nan");
    if !word && !is_decimal(unsigned) {
        return None;
    }
    cleaned.parse().ok()
}

/// `digits[.digits][(e|E)[+|-]digits]` or `.digits[...]`, at least one digit before the exponent.
fn is_decimal(s: &str) -> bool {
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = all_digits(int) && all_digits(frac) && !(int.is_empty() && frac.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && all_digits(e)
    });
    mantissa_ok && exponent_ok
}

/// Python's `str.isspace` for one character.
fn py_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// Python's `str.strip()`.
fn py_strip(s: &str) -> &str {
    s.trim_matches(py_space)
}

/// Python's `str.splitlines()`.
fn py_splitlines(s: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let is_break = matches!(
            c,
            '\n' | '\r' | '\x0b' | '\x0c' | '\x1c' | '\x1d' | '\x1e' | '\u{85}' | '\u{2028}' | '\u{2029}'
        );
        if !is_break {
            continue;
        }
        lines.push(&s[start..i]);
        let mut next = i + c.len_utf8();
        if c == '\r' && chars.peek().is_some_and(|&(_, d)| d == '\n') {
            chars.next();
            next += 1;
        }
        start = next;
    }
    if start < s.len() {
        lines.push(&s[start..]);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Two articles, one with a curly quote before the spans (character offsets differ from bytes).
    fn articles(name: &str) -> Option<String> {
        match name {
            "a.txt" => {
                Some("“Intro.” The port shut on Sunday, the authority said. Ships were not affected.".to_owned())
            }
            "b.txt" => Some("Officials said the port shut on Sunday. Nothing else.".to_owned()),
            _ => None,
        }
    }

    fn gold() -> Value {
        json!({"events": [{"id": "e", "claims": [
            {"id": "C1", "gist": "The port shut.", "independent_root_count": 2, "circular": false,
             "denied_by": null, "mentions": [
                {"file": "a.txt", "content_text": "The port shut on Sunday"},
                {"file": "dir/b.txt", "content_text": "the port shut on Sunday"}]},
            {"id": "C2", "gist": "Ships were not affected.", "independent_root_count": 1, "circular": false,
             "denied_by": "the Port Authority", "mentions": [
                {"file": "a.txt", "content_text": "Ships were not affected"}]}],
            "confidence_order": [["C1", ">", "C2"]]}]})
    }

    #[test]
    fn a_perfect_prediction_scores_one_and_a_poor_one_explains_itself() {
        let gold = gold();
        let perfect = load_pred(
            r#"{"clusters": [
              {"mentions": [{"article": "a.txt", "content": {"start": 9, "end": 32}},
                            {"article": "b.txt", "content": {"start": 0, "end": 5, "text": "the port shut on Sunday"}}],
               "independent_root_count": 2.0, "circular": false, "confidence": "0.9"},
              {"mentions": [{"article": "a.txt", "content": {"text": "Ships were not affected"}}],
               "independent_root_count": 1, "circular": false, "denied_by": ["port", "authority"], "confidence": 0.5}]}"#,
        )
        .unwrap();
        let s = score(&gold, &articles, &perfect).unwrap();
        assert_eq!(s.figures().map(|(_, v)| v), [1.0; 7], "{s:?}");
        assert!(s.details.is_empty() && s.passes(1.0));
        assert_eq!(
            s.counts,
            XdocCounts {
                claims: 2,
                gold_mentions: 3,
                predicted_clusters: 2
            }
        );

        // Byte offsets instead of characters, one cluster for both claims, "yes" for circular,
        // no confidence, and a missing article (skipped).
        let poor = vec![
            json!(null),
            json!({"mentions": [{"article": "a.txt", "content": {"start": 13, "end": 36}},
                                {"article": "a.txt", "content": {"start": 56, "end": 79}},
                                {"article": "gone.txt", "content": {"start": 0, "end": 3}}],
                   "independent_root_count": 1, "circular": "yes", "denied_by": "a spokesman"}),
        ];
        let s = score(&gold, &articles, &poor).unwrap();
        assert_eq!(s.counts.predicted_clusters, 1);
        assert!((s.mention_recall - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(
            s.details,
            [
                "C1: shares a cluster with C2",
                "C2: shares a cluster with C1",
                "C1: independent roots 1 want 2",
                "C1: denied_by 'a spokesman' want None",
                "C2: denied_by 'a spokesman' want 'the Port Authority'",
                "order: C1 > C2 not comparable",
            ]
        );
        assert!(!s.passes(0.5) && s.passes(0.0));

        // A gold mention whose article is missing is an error.
        let missing = |_: &str| None;
        assert_eq!(
            score(&gold, &missing, &[]),
            Err(XdocError::MissingArticle {
                file: "a.txt".to_owned()
            })
        );
    }

    #[test]
    fn python_values_are_shown_as_python_shows_them() {
        assert_eq!(py_repr(&json!("it's")), "\"it's\"");
        assert_eq!(py_repr(&json!("a\nb\u{7}")), "'a\\nb\\x07'");
        assert_eq!(py_repr(&json!([1, 2.5, null, true, "x"])), "[1, 2.5, None, True, 'x']");
        for (x, want) in [
            (1.0, "1.0"),
            (1e16, "1e+16"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (123.25, "123.25"),
        ] {
            assert_eq!(py_float_repr(x), want);
        }
        assert_eq!(py_float_repr(-2.0), "-2.0");
        assert_eq!(py_float(&json!(" 1_000.5 ")), Some(1000.5));
        assert_eq!(py_float(&json!("1__0")), None);
        assert_eq!(py_float(&json!("likely")), None);
        assert_eq!(py_float(&json!(true)), Some(1.0));
        assert_eq!(py_fixed(0.125, 2), "0.12");
        assert!(py_eq(&json!(1), &json!(1.0)) && py_eq(&json!(true), &json!(1)) && !py_eq(&json!("1"), &json!(1)));
        assert_eq!(py_splitlines("a\r\nb\rc\u{2028}d\n"), ["a", "b", "c", "d"]);
        assert_eq!(basename("x/y/z.txt"), "z.txt");
        let t = Article::new("abcdef".to_owned());
        assert_eq!(
            (t.slice(-2, None), t.slice(4, Some(99)), t.slice(5, Some(2))),
            ("ef".into(), "ef".into(), "".into())
        );
        assert_eq!(words(Some(&json!("The National Bank spokesman, Tomas"))).len(), 2);
    }
}
