//! Tracing a claim back to its sources: finding claims by IRI, short id or text, and assembling what
//! the store knows of one — its sentence in context, its source and that source's other mentions,
//! the intermediary chain, the kind, and the confidence with its reasons.

pub mod graph;

use crate::corroborate::{Cluster, Corroboration};
use crate::error::StoreError;
use crate::store::{ClaimRow, HopRow, ReasonRow, SourceDetail, SpanRow, Store};
use crate::text::analyze;
use serde::Serialize;

/// A claim traced back to its sources.
#[derive(Debug, Clone, Serialize)]
pub struct Trace {
    /// The attribution, flat.
    #[serde(skip)]
    pub row: ClaimRow,
    /// The attribution's IRI.
    pub attribution: String,
    /// The article's name and IRI.
    pub article: ArticleRef,
    /// Document-local id ("E3").
    pub id: String,
    /// The claim and where it stands.
    pub claim: ClaimText,
    /// The sentence (or sentences) around the claim.
    pub context: Context,
    /// Who said it, if the text says.
    pub source: Option<TracedSource>,
    /// Through whom it reached the article, nearest first.
    pub chain: Vec<Hop>,
    /// The path from the reader down to the root source, as labels.
    pub path: Vec<String>,
    /// Direct, indirect, …
    pub kind: String,
    /// The cue.
    pub cue: String,
    /// The rule that found it.
    pub rule: String,
    /// The confidence, its label and its reasons.
    pub confidence: TracedConfidence,
    /// The claim across articles: the cluster of its reports, when other articles carry it or
    /// someone denied it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub across: Option<Cluster>,
}

/// An article reference.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleRef {
    /// Its name (file name or id).
    pub name: String,
    /// Its IRI.
    pub iri: String,
}

/// A claim's text and offsets.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimText {
    /// First character of the claim's extent.
    pub start: usize,
    /// One past its last character.
    pub end: usize,
    /// The text of its extent.
    pub text: String,
    /// Its fragments, when discontiguous.
    pub fragments: Vec<(usize, usize, String)>,
}

/// The claim in its sentence.
#[derive(Debug, Clone, Serialize)]
pub struct Context {
    /// Where the sentence starts in the article.
    pub start: usize,
    /// The sentence text.
    pub text: String,
    /// The claim's fragments, as character ranges relative to `start`.
    pub highlights: Vec<(usize, usize)>,
}

/// A traced source.
#[derive(Debug, Clone, Serialize)]
pub struct TracedSource {
    /// The mention in this attribution.
    pub mention: String,
    /// The agent's IRI.
    pub agent: String,
    /// Its name, when named.
    pub name: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// Its affiliation.
    pub affiliation: Option<String>,
    /// Its type.
    pub source_type: Option<String>,
    /// Whether anonymous.
    pub anonymous: bool,
    /// How many sources, when known.
    pub count: Option<u32>,
    /// Every mention of the same source in the article, with offsets.
    pub mentions: Vec<(usize, String)>,
}

/// One intermediary hop.
#[derive(Debug, Clone, Serialize)]
pub struct Hop {
    /// The outlet's name.
    pub outlet: String,
    /// The words that name it.
    pub mention: String,
    /// The outlet's IRI.
    pub iri: String,
}

/// The confidence and why.
#[derive(Debug, Clone, Serialize)]
pub struct TracedConfidence {
    /// In [0, 1].
    pub value: f64,
    /// "high", "medium", "low", "very low".
    pub label: String,
    /// The sum of the weights (log-odds).
    pub log_odds: f64,
    /// The factors that fired.
    pub reasons: Vec<Reason>,
}

/// One factor that fired.
#[derive(Debug, Clone, Serialize)]
pub struct Reason {
    /// Its id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// Its weight.
    pub weight: f64,
    /// What it means.
    pub description: String,
}

/// The claims matching `query`: an attribution or claim IRI, an id ("E3", "article.txt#E3",
/// "attr-…"), or else a case-insensitive text search in claims, sources, cues and intermediaries.
pub fn find(store: &Store, query: &str) -> Result<Vec<ClaimRow>, StoreError> {
    let query = query.trim();
    // IRIs and "article#E3" are index lookups; only ids without an article and text read every claim.
    if query.starts_with("http://") || query.starts_with("https://") {
        let found = store.attribution(query)?;
        if !found.is_empty() {
            return Ok(found);
        }
        if let Some((article, _)) = query.rsplit_once("claim-") {
            let found: Vec<ClaimRow> = store
                .claims(Some(article))?
                .into_iter()
                .filter(|r| claim_iri(r) == query)
                .collect();
            if !found.is_empty() {
                return Ok(found);
            }
        }
    }
    let (article, id) = match query.rsplit_once('#') {
        Some((article, id)) => (Some(article), id),
        None => (None, query),
    };
    let is_id = id.len() >= 2 && id.starts_with(['E', 'e']) && id[1..].bytes().all(|b| b.is_ascii_digit());
    if is_id {
        if let Some(name) = article {
            let mut found = Vec::new();
            for iri in store.articles_named(name)? {
                found.extend(
                    store
                        .claims(Some(&iri))?
                        .into_iter()
                        .filter(|r| r.id.eq_ignore_ascii_case(id)),
                );
            }
            if !found.is_empty() {
                return Ok(found);
            }
        }
    }
    // One pass over the store, article by article, holding only the matches: by IRI (or IRI
    // suffix), else by id, else by text.
    let suffix = format!("/{query}");
    let needle = query.to_lowercase();
    let contains = |text: &str| text.to_lowercase().contains(&needle);
    let (mut by_iri, mut by_id, mut by_text) = (Vec::new(), Vec::new(), Vec::new());
    for batch in store.claims_by_article()? {
        for r in batch? {
            if r.attr == query || claim_iri(&r) == query || r.attr.ends_with(&suffix) {
                by_iri.push(r);
            } else if is_id {
                if r.id.eq_ignore_ascii_case(id) && article.is_none_or(|a| r.article_name == a || r.article.contains(a))
                {
                    by_id.push(r);
                }
            } else if contains(&r.claim)
                || r.source.as_deref().is_some_and(contains)
                || contains(&r.cue)
                || r.via.as_deref().is_some_and(contains)
                || r.agent_name.as_deref().is_some_and(contains)
            {
                by_text.push(r);
            }
        }
    }
    Ok(if !by_iri.is_empty() {
        by_iri
    } else if is_id {
        by_id
    } else {
        by_text
    })
}

/// The IRI of a row's claim node.
pub fn claim_iri(row: &ClaimRow) -> String {
    format!("{}claim-{}-{}", row.article, row.start, row.end)
}

/// Assembles the trace of one claim.
pub fn trace(store: &Store, row: &ClaimRow) -> Result<Trace, StoreError> {
    let fragments: Vec<SpanRow> = store.fragments(&row.attr)?;
    let detail: Option<SourceDetail> = store.source_detail(&row.attr)?;
    let hops: Vec<HopRow> = store.chain(&row.attr)?;
    let reasons: Vec<ReasonRow> = store.reasons(&row.attr)?;
    let text = store.article_text(&row.article)?.unwrap_or_default();
    let pieces: Vec<(usize, usize)> = if fragments.is_empty() {
        vec![(row.start, row.end)]
    } else {
        fragments.iter().map(|f| (f.start, f.end)).collect()
    };
    let context = context(&text, row.start, row.end, &pieces);
    let source = row.source.as_ref().map(|mention| TracedSource {
        mention: mention.clone(),
        agent: row.agent.clone().unwrap_or_default(),
        name: row.agent_name.clone(),
        title: detail.as_ref().and_then(|d| d.title.clone()),
        affiliation: detail.as_ref().and_then(|d| d.affiliation.clone()),
        source_type: row.source_type.clone(),
        anonymous: row.anonymous.unwrap_or(false),
        count: row.count,
        mentions: detail.as_ref().map(|d| d.mentions.clone()).unwrap_or_default(),
    });
    let chain: Vec<Hop> = hops
        .iter()
        .map(|h| Hop {
            outlet: h.name.clone().unwrap_or_else(|| h.mention.clone()),
            mention: h.mention.clone(),
            iri: h.outlet.clone(),
        })
        .collect();
    let provenance = graph::ProvenanceGraph::of_claims(&row.article_name, std::slice::from_ref(row));
    let path = provenance.path_labels(&row.attr);
    let log_odds = reasons.iter().map(|r| r.weight).sum();
    Ok(Trace {
        attribution: row.attr.clone(),
        article: ArticleRef {
            name: row.article_name.clone(),
            iri: row.article.clone(),
        },
        id: row.id.clone(),
        claim: ClaimText {
            start: row.start,
            end: row.end,
            text: row.claim.clone(),
            fragments: fragments.iter().map(|f| (f.start, f.end, f.exact.clone())).collect(),
        },
        context,
        source,
        chain,
        path,
        kind: row.kind.as_str().to_owned(),
        cue: row.cue.clone(),
        rule: row.rule.clone(),
        confidence: TracedConfidence {
            value: row.confidence,
            label: row.label.clone(),
            log_odds,
            reasons: reasons
                .into_iter()
                .map(|r| Reason {
                    id: r.id,
                    label: r.label,
                    weight: r.weight,
                    description: r.comment,
                })
                .collect(),
        },
        row: row.clone(),
        across: None,
    })
}

/// Stores with more articles than this are not corroborated on the fly by `trace` and `report`
/// (it reads every claim; `claimtrace corroboration` does it once for all).
pub const ACROSS_LIMIT: usize = 2_000;

/// Gives each trace the cross-article cluster of its claim, when the cluster has reports in more
/// than one place or a denial. The clusters are computed from the whole store, so only when it
/// holds more than one article and at most [`ACROSS_LIMIT`]; returns whether it did.
pub fn attach_across(store: &Store, traces: &mut [Trace]) -> Result<bool, StoreError> {
    let articles = store.article_count_up_to(ACROSS_LIMIT)?;
    if articles > ACROSS_LIMIT {
        return Ok(false);
    }
    if articles > 1 {
        let result = crate::corroborate::corroborate(&crate::corroborate::Input::from_store(store)?);
        attach_clusters(traces, &result);
    }
    Ok(true)
}

/// Gives each trace the cross-article cluster of its claim, when the cluster has reports in more
/// than one place or a denial.
fn attach_clusters(traces: &mut [Trace], result: &Corroboration) {
    for trace in traces {
        trace.across = result
            .clusters
            .iter()
            .find(|c| c.mentions.iter().any(|m| m.attribution == trace.attribution))
            .filter(|c| c.mentions.len() > 1 || c.denied_by.is_some())
            .cloned();
    }
}

/// The sentences of `text` spanning characters `start..end`, with the pieces highlighted.
fn context(text: &str, start: usize, end: usize, pieces: &[(usize, usize)]) -> Context {
    let analysis = analyze(text);
    let first = analysis.sentence_at(start).map_or(start, |s| s.span.start);
    let last = analysis
        .sentence_at(end.saturating_sub(1))
        .map_or(end, |s| s.span.end.max(end));
    let span = analysis.offsets.span_of_chars(first..last);
    Context {
        start: first,
        text: span.map(|s| s.text(text).to_owned()).unwrap_or_default(),
        highlights: pieces
            .iter()
            .map(|&(s, e)| (s.saturating_sub(first), e.saturating_sub(first)))
            .collect(),
    }
}
