//! IRIs, built from a fixed hash of the content (DATA-MODEL.md §4): the article id is 32 hex digits
//! of SHA-256 of its text; nodes under the article are named by their offsets; attributions by
//! 16 hex digits of SHA-256 of their spans; named agents by a slug of their name.

use crate::model::{DocId, hex_prefix};
use crate::text::{MultiSpan, Span};
use oxigraph::model::NamedNode;

/// Base of article IRIs.
pub const ARTICLE_BASE: &str = "https://w3id.org/claimtrace/id/article/";
/// Base of named agents' IRIs.
pub const AGENT_BASE: &str = "https://w3id.org/claimtrace/id/agent/";
/// Base of activity IRIs.
pub const ACTIVITY_BASE: &str = "https://w3id.org/claimtrace/id/activity/";
/// Base of cross-article claim clusters.
pub const CLUSTER_BASE: &str = "https://w3id.org/claimtrace/id/claim/";
/// Base of root sources that have no name (named by a hash of their key).
pub const ROOT_BASE: &str = "https://w3id.org/claimtrace/id/root/";
/// The named graph that holds the cross-article results (`corroboration --save`).
pub const CORROBORATION_GRAPH: &str = "https://w3id.org/claimtrace/id/corroboration";

/// The IRIs of one article's nodes.
#[derive(Debug, Clone)]
pub struct ArticleIris {
    base: String,
}

impl ArticleIris {
    /// The IRIs for the article with id `doc`.
    pub fn new(doc: &DocId) -> Self {
        ArticleIris {
            base: format!("{ARTICLE_BASE}{doc}/"),
        }
    }

    /// The article itself (`…/article/{aid}/`).
    pub fn article(&self) -> NamedNode {
        NamedNode::new_unchecked(self.base.clone())
    }

    /// Its named graph.
    pub fn graph(&self) -> NamedNode {
        self.node("graph")
    }

    /// A claim, named by its content's extent.
    pub fn claim(&self, content: &MultiSpan) -> NamedNode {
        let extent = content.extent();
        self.node(&format!("claim-{}-{}", extent.start, extent.end))
    }

    /// A span.
    pub fn span(&self, span: &Span) -> NamedNode {
        self.node(&format!("span-{}-{}", span.start, span.end))
    }

    /// The relay behind an intermediary mention.
    pub fn relay(&self, mention: &Span) -> NamedNode {
        self.node(&format!("relay-{}-{}", mention.start, mention.end))
    }

    /// An unnamed source, by its first mention.
    pub fn source(&self, first_mention: &Span) -> NamedNode {
        self.node(&format!("source-{}-{}", first_mention.start, first_mention.end))
    }

    /// An attribution: `attr-` and 16 hex digits of SHA-256 of
    /// `"{aid}|{srcS}-{srcE}|{cueS}-{cueE}|{conS}-{conE}"`; the source field is empty without a source.
    pub fn attribution(&self, doc: &DocId, source: Option<&Span>, cue: &Span, content: &MultiSpan) -> NamedNode {
        let source = source.map(|s| format!("{}-{}", s.start, s.end)).unwrap_or_default();
        let content = content.extent();
        let key = format!(
            "{doc}|{source}|{}-{}|{}-{}",
            cue.start, cue.end, content.start, content.end
        );
        self.node(&format!("attr-{}", hex_prefix(key.as_bytes(), 16)))
    }

    fn node(&self, local: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}{local}", self.base))
    }
}

/// A named agent (person, organisation, outlet): `…/agent/{slug}`.
pub fn agent(name: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{AGENT_BASE}{}", slug(name)))
}

/// A lowercase ASCII slug: letters and digits, words joined by `-`; dots inside initialisms vanish
/// ("U.S. government" → "us-government"); non-ASCII letters are kept as percent-free IRI characters.
///
/// ```
/// use claimtrace::rdf::iri::slug;
/// assert_eq!(slug("U.S. government"), "us-government");
/// assert_eq!(slug("Recep Tayyip Erdoğan"), "recep-tayyip-erdoğan");
/// assert_eq!(slug("  "), "unnamed");
/// ```
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    let mut pending_dash = false;
    for c in name.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.extend(c.to_lowercase());
        } else if c != '.' && c != '\'' && c != '’' {
            pending_dash = true;
        }
    }
    if out.is_empty() { "unnamed".to_owned() } else { out }
}
