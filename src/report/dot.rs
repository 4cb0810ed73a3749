//! Graphviz DOT drawing of an article's provenance graph: the reader, the article, each claim,
//! the intermediaries and the root sources; claims coloured by confidence, anonymous sources dashed.

use super::ArticleReport;
use crate::store::ClaimRow;
use crate::trace::graph::{Node, ProvenanceGraph};
use petgraph::visit::{EdgeRef, IntoNodeReferences};
use std::io::{self, Write};

/// A DOT string literal.
pub(super) fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

fn wrap(text: &str, width: usize) -> String {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let last = lines.last_mut();
        if let Some(line) = last
            && (line.is_empty() || line.chars().count() + word.chars().count() < width)
        {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        lines.push(word.to_owned());
    }
    let shown: Vec<String> = lines.into_iter().take(4).collect();
    shown.join("\n")
}

fn confidence_colour(value: f64) -> &'static str {
    match value {
        v if v >= 0.75 => "#c7e9c0",
        v if v >= 0.45 => "#fdf0a6",
        v if v >= 0.15 => "#fdd0a2",
        _ => "#fcbba1",
    }
}

/// Writes the provenance graph of an article report as DOT.
pub fn write_dot(out: &mut dyn Write, report: &ArticleReport) -> io::Result<()> {
    let rows: Vec<ClaimRow> = report.claims.iter().map(|t| t.row.clone()).collect();
    let graph = ProvenanceGraph::of_claims(&report.name, &rows);
    writeln!(out, "digraph provenance {{")?;
    writeln!(out, "  rankdir=LR;")?;
    writeln!(out, "  node [fontname=\"Helvetica\", fontsize=10];")?;
    writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=9];")?;
    for (idx, node) in graph.graph.node_references() {
        let (label, attrs) = match node {
            Node::Reader => ("reader".to_owned(), "shape=circle".to_owned()),
            Node::Article { name } => (
                name.clone(),
                "shape=note, style=filled, fillcolor=\"#deebf7\"".to_owned(),
            ),
            Node::Claim {
                id,
                text,
                confidence,
                kind,
                ..
            } => (
                format!("{id} [{kind}, {confidence:.2}]\n{}", wrap(text, 40)),
                format!(
                    "shape=box, style=\"rounded,filled\", fillcolor=\"{}\"",
                    confidence_colour(*confidence)
                ),
            ),
            Node::Outlet { name } => (
                name.clone(),
                "shape=cds, style=filled, fillcolor=\"#e5e5e5\"".to_owned(),
            ),
            Node::Source { label, anonymous } => {
                let style = if *anonymous { "dashed" } else { "solid" };
                (label.clone(), format!("shape=ellipse, style={style}"))
            }
            Node::Unattributed => ("no source given".to_owned(), "shape=ellipse, style=dotted".to_owned()),
        };
        writeln!(out, "  n{} [label={}, {}];", idx.index(), quoted(&label), attrs)?;
    }
    for edge in graph.graph.edge_references() {
        writeln!(
            out,
            "  n{} -> n{} [label={}];",
            edge.source().index(),
            edge.target().index(),
            quoted(edge.weight().label())
        )?;
    }
    // The article's claims across articles: one subgraph per cluster, each linked from the claim.
    let mut clusters: Vec<&crate::corroborate::Cluster> = Vec::new();
    for t in &report.claims {
        if let Some(c) = &t.across
            && !clusters.iter().any(|k| k.cluster == c.cluster)
        {
            clusters.push(c);
        }
    }
    super::write_clusters_dot(out, &clusters, "x")?;
    for (ci, c) in clusters.iter().enumerate() {
        for (idx, node) in graph.graph.node_references() {
            if let Node::Claim { attr, .. } = node
                && let Some(k) = c.mentions.iter().position(|m| &m.attribution == attr)
            {
                writeln!(out, "  n{} -> x{ci}m{k} [style=dotted, arrowhead=none];", idx.index())?;
            }
        }
    }
    writeln!(out, "}}")
}
