//! The provenance graph of claims, built with petgraph: the reader reaches a claim through the
//! article that published it; the claim was said by a source, possibly relayed by intermediary
//! outlets. Root sources are the nodes with nothing further upstream.

use crate::store::ClaimRow;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Dfs, EdgeRef};
use std::collections::BTreeMap;

/// A node of the provenance graph.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// The reader: where every path starts.
    Reader,
    /// An article.
    Article {
        /// Its name.
        name: String,
    },
    /// A claim (one attribution's content).
    Claim {
        /// The attribution's IRI.
        attr: String,
        /// Its document-local id.
        id: String,
        /// The claim's text.
        text: String,
        /// Its confidence.
        confidence: f64,
        /// Its kind.
        kind: String,
    },
    /// An intermediary outlet.
    Outlet {
        /// Its name.
        name: String,
    },
    /// A source.
    Source {
        /// How the text names it.
        label: String,
        /// Whether anonymous.
        anonymous: bool,
    },
    /// No source given (passive, "reportedly").
    Unattributed,
}

/// What an edge means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// Reader → article: the reader reads it.
    Reads,
    /// Article → claim: the article publishes it.
    Publishes,
    /// Claim or outlet → outlet: reported via.
    ReportedVia,
    /// Claim or outlet → source: said by.
    SaidBy,
}

impl Edge {
    /// A short label for drawings.
    pub const fn label(self) -> &'static str {
        match self {
            Edge::Reads => "reads",
            Edge::Publishes => "publishes",
            Edge::ReportedVia => "reported via",
            Edge::SaidBy => "said by",
        }
    }
}

/// The provenance graph of a set of claims.
#[derive(Debug, Clone)]
pub struct ProvenanceGraph {
    /// The graph.
    pub graph: DiGraph<Node, Edge>,
    /// The reader node.
    pub reader: NodeIndex,
    claims: BTreeMap<String, NodeIndex>,
}

impl ProvenanceGraph {
    /// Builds the graph of `rows`, all from the article `article`.
    pub fn of_claims(article: &str, rows: &[ClaimRow]) -> ProvenanceGraph {
        let mut graph = DiGraph::new();
        let reader = graph.add_node(Node::Reader);
        let article_node = graph.add_node(Node::Article {
            name: article.to_owned(),
        });
        graph.add_edge(reader, article_node, Edge::Reads);
        let mut sources: BTreeMap<String, NodeIndex> = BTreeMap::new();
        let mut outlets: BTreeMap<String, NodeIndex> = BTreeMap::new();
        let mut claims = BTreeMap::new();
        for row in rows {
            let claim = graph.add_node(Node::Claim {
                attr: row.attr.clone(),
                id: row.id.clone(),
                text: row.claim.clone(),
                confidence: row.confidence,
                kind: row.kind.as_str().to_owned(),
            });
            claims.insert(row.attr.clone(), claim);
            graph.add_edge(article_node, claim, Edge::Publishes);
            let mut upstream = claim;
            if let Some(via) = &row.via {
                let outlet = *outlets
                    .entry(via.clone())
                    .or_insert_with(|| graph.add_node(Node::Outlet { name: via.clone() }));
                graph.add_edge(upstream, outlet, Edge::ReportedVia);
                upstream = outlet;
            }
            let source = match (&row.agent, &row.source) {
                (Some(agent), Some(mention)) => *sources.entry(agent.clone()).or_insert_with(|| {
                    graph.add_node(Node::Source {
                        label: row.agent_name.clone().unwrap_or_else(|| mention.clone()),
                        anonymous: row.anonymous.unwrap_or(false),
                    })
                }),
                _ => graph.add_node(Node::Unattributed),
            };
            if graph.find_edge(upstream, source).is_none() {
                graph.add_edge(upstream, source, Edge::SaidBy);
            }
        }
        ProvenanceGraph { graph, reader, claims }
    }

    /// The node of a claim, by its attribution IRI.
    pub fn claim(&self, attr: &str) -> Option<NodeIndex> {
        self.claims.get(attr).copied()
    }

    /// The root sources of a claim: the nodes reachable from it with nothing further upstream.
    pub fn roots(&self, claim: NodeIndex) -> Vec<NodeIndex> {
        let mut dfs = Dfs::new(&self.graph, claim);
        let mut roots = Vec::new();
        while let Some(node) = dfs.next(&self.graph) {
            if node != claim && self.graph.edges(node).next().is_none() {
                roots.push(node);
            }
        }
        roots
    }

    /// Labels along the path reader → article → claim → intermediaries → root source.
    pub fn path_labels(&self, attr: &str) -> Vec<String> {
        let Some(claim) = self.claim(attr) else {
            return Vec::new();
        };
        let mut labels = vec!["reader".to_owned()];
        // Walk back to the article, then forward from the claim to its root.
        if let Some(article) = self
            .graph
            .edges_directed(claim, petgraph::Direction::Incoming)
            .next()
            .map(|e| e.source())
        {
            labels.push(self.label(article));
        }
        let mut node = claim;
        labels.push(self.label(node));
        while let Some(next) = self.graph.edges(node).next().map(|e| e.target()) {
            labels.push(self.label(next));
            node = next;
        }
        labels
    }

    /// A short label for a node.
    pub fn label(&self, node: NodeIndex) -> String {
        match &self.graph[node] {
            Node::Reader => "reader".to_owned(),
            Node::Article { name } => format!("article {name}"),
            Node::Claim { id, .. } => format!("claim {id}"),
            Node::Outlet { name } => format!("via {name}"),
            Node::Source { label, anonymous: true } => format!("{label} (anonymous)"),
            Node::Source { label, .. } => label.clone(),
            Node::Unattributed => "no source given".to_owned(),
        }
    }
}
