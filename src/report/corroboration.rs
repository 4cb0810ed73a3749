//! `corroboration` output: every claim cluster with its mentions, roots, circular flag, denial and
//! confidence, as text, Markdown or JSON (an array of clusters, the contract).

use super::dot::quoted;
use super::{CorroborationFormat, write_json, write_quads};
use crate::corroborate::entity::{Entity, EntityKind};
use crate::corroborate::{ChokePoint, Cluster, ClusterMention, Corroboration};
use crate::error::ReportError;
use crate::model::hex_prefix;
use crate::rdf::iri::{self, CLUSTER_BASE, CORROBORATION_GRAPH, ROOT_BASE};
use crate::rdf::vocab::{ct, prov, schema};
use oxigraph::io::RdfFormat;
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, Quad, Term};
use std::io::Write;

/// Writes the clusters in `format`.
pub fn write_corroboration(
    out: &mut dyn Write,
    result: &Corroboration,
    format: CorroborationFormat,
) -> Result<(), ReportError> {
    match format {
        CorroborationFormat::Json => write_json(out, &result.clusters, true),
        CorroborationFormat::Text => write_text(out, result),
        CorroborationFormat::Markdown => write_markdown(out, result),
        CorroborationFormat::Dot | CorroborationFormat::Svg => {
            writeln!(out, "digraph corroboration {{")?;
            writeln!(out, "  rankdir=LR;")?;
            writeln!(out, "  node [fontname=\"Helvetica\", fontsize=10];")?;
            writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=9];")?;
            let clusters: Vec<&Cluster> = result.clusters.iter().collect();
            write_clusters_dot(out, &clusters, "c")?;
            writeln!(out, "}}")?;
            Ok(())
        }
        CorroborationFormat::TriG => write_quads(out, &corroboration_quads(result), RdfFormat::TriG),
        CorroborationFormat::NQuads => write_quads(out, &corroboration_quads(result), RdfFormat::NQuads),
    }
}

/// Colours of the cross-article drawing: independent roots, circular paths, denials.
const ROOT_FILL: &str = "#a1d99b";
const CIRCULAR: &str = "#cb181d";
const DENIAL: &str = "#6a51a3";

/// Draws each cluster as a DOT subgraph (node ids prefixed with `prefix`, so that the drawing can
/// sit inside another graph): its reports by article, the upstream report each relays, its root
/// sources filled (every root drawn is independent), the circular paths and choke points in red,
/// and its deniers.
pub fn write_clusters_dot(out: &mut dyn Write, clusters: &[&Cluster], prefix: &str) -> std::io::Result<()> {
    for (ci, c) in clusters.iter().enumerate() {
        let id = |kind: &str, k: usize| format!("{prefix}{ci}{kind}{k}");
        writeln!(out, "  subgraph cluster_{prefix}{ci} {{")?;
        writeln!(
            out,
            "    label={}; style=rounded; color=\"#9e9e9e\";",
            quoted(&format!(
                "{} — {} root{}, {}confidence {:.2}",
                one_line(&c.gist, 60),
                c.independent_root_count,
                if c.independent_root_count == 1 { "" } else { "s" },
                if c.circular { "circular, " } else { "" },
                c.confidence
            ))
        )?;
        let at: Vec<String> = c
            .mentions
            .iter()
            .map(|m| format!("{}#{}", m.article, m.content.start))
            .collect();
        let choke: Vec<&str> = c
            .choke_points
            .iter()
            .filter_map(|p| match p {
                ChokePoint::Report { at, .. } => Some(at.as_str()),
                ChokePoint::Outlet { .. } => None,
            })
            .collect();
        for (k, m) in c.mentions.iter().enumerate() {
            let is_choke = choke.contains(&at[k].as_str());
            let style = if is_choke {
                format!("color=\"{CIRCULAR}\", penwidth=2")
            } else {
                "color=\"#636363\"".to_owned()
            };
            let label = format!(
                "{} [{}..{}]\n{}",
                m.article,
                m.content.start,
                m.content.end,
                m.source
                    .as_ref()
                    .map_or_else(|| "(no source)".to_owned(), |s| one_line(&s.text, 40))
            );
            writeln!(
                out,
                "    {} [label={}, shape=box, style=rounded, {style}];",
                id("m", k),
                quoted(&label)
            )?;
        }
        for (r, root) in c.roots.iter().enumerate() {
            let dashed = if matches!(root.kind, EntityKind::Anonymous) {
                ",dashed"
            } else {
                ""
            };
            writeln!(
                out,
                "    {} [label={}, shape=ellipse, style=\"filled{dashed}\", fillcolor=\"{ROOT_FILL}\"];",
                id("r", r),
                quoted(&root.name)
            )?;
        }
        for (o, point) in c.choke_points.iter().enumerate() {
            if let ChokePoint::Outlet { name } = point {
                writeln!(
                    out,
                    "    {} [label={}, shape=cds, color=\"{CIRCULAR}\", penwidth=2];",
                    id("o", o),
                    quoted(&format!("{name}'s report"))
                )?;
            }
        }
        for (k, m) in c.mentions.iter().enumerate() {
            if let Some(up) = m.relays.as_ref().and_then(|r| at.iter().position(|a| a == r)) {
                let red = choke.contains(&at[up].as_str());
                let colour = if red {
                    format!(", color=\"{CIRCULAR}\"")
                } else {
                    String::new()
                };
                writeln!(
                    out,
                    "    {} -> {} [label=\"reported via\"{colour}];",
                    id("m", k),
                    id("m", up)
                )?;
                continue;
            }
            for name in &m.roots {
                if let Some(r) = c.roots.iter().position(|root| &root.name == name) {
                    let via = m
                        .intermediary
                        .as_ref()
                        .map(|i| format!("via {}", one_line(&i.text, 30)));
                    writeln!(
                        out,
                        "    {} -> {} [label={}];",
                        id("m", k),
                        id("r", r),
                        quoted(via.as_deref().unwrap_or("said by"))
                    )?;
                }
            }
        }
        for (d, denier) in c.deniers.iter().enumerate() {
            writeln!(
                out,
                "    {} [label={}, shape=octagon, color=\"{DENIAL}\"];",
                id("d", d),
                quoted(&format!("denied by {}", denier.name))
            )?;
            writeln!(
                out,
                "    {} -> {} [style=dashed, color=\"{DENIAL}\", label=\"denies\"];",
                id("d", d),
                id("m", 0)
            )?;
        }
        writeln!(out, "  }}")?;
    }
    Ok(())
}

/// The IRI of a cluster.
pub fn cluster_iri(cluster: &Cluster) -> NamedNode {
    NamedNode::new_unchecked(format!("{CLUSTER_BASE}{}", cluster.cluster))
}

/// The IRI of a root source or denier: a named agent's global IRI, else one named by a hash of the
/// entity's key (anonymous sources are never merged with anything the text does not merge).
fn entity_iri(entity: &Entity) -> NamedNode {
    match entity.kind {
        EntityKind::Person | EntityKind::Organization => iri::agent(&entity.name),
        EntityKind::Anonymous | EntityKind::Collective => {
            NamedNode::new_unchecked(format!("{ROOT_BASE}{}", hex_prefix(entity.key.as_bytes(), 16)))
        }
    }
}

fn decimal(value: f64) -> Literal {
    Literal::new_typed_literal(format!("{value:.3}"), xsd::DECIMAL)
}

/// The cross-article results as quads of one named graph (`ct:CorroborationGraph`): each cluster a
/// `schema:Claim` that its mentions' claim nodes are `prov:specializationOf`, with its root
/// sources, independent root count, circular flag and choke points, deniers and denials, and the
/// Subjective Logic opinion with its reasons.
pub fn corroboration_quads(result: &Corroboration) -> Vec<Quad> {
    let graph = NamedNode::new_unchecked(CORROBORATION_GRAPH);
    let g = GraphName::NamedNode(graph.clone());
    let mut quads: Vec<Quad> = Vec::new();
    let mut add = |s: &NamedNode, p: oxigraph::model::NamedNodeRef<'_>, o: Term| {
        quads.push(Quad::new(s.clone(), p, o, g.clone()));
    };
    add(&graph, rdf::TYPE, ct::CORROBORATION_GRAPH.into_owned().into());
    for c in &result.clusters {
        let node = cluster_iri(c);
        add(&node, rdf::TYPE, schema::CLAIM.into_owned().into());
        add(&node, schema::TEXT, Literal::new_simple_literal(&c.gist).into());
        add(
            &node,
            ct::INDEPENDENT_ROOT_COUNT,
            Literal::new_typed_literal(c.independent_root_count.to_string(), xsd::INTEGER).into(),
        );
        add(&node, ct::CIRCULAR, Literal::from(c.circular).into());
        add(&node, ct::CONFIDENCE, decimal(c.confidence).into());
        add(&node, ct::BELIEF, decimal(c.opinion.belief).into());
        add(&node, ct::DISBELIEF, decimal(c.opinion.disbelief).into());
        add(&node, ct::UNCERTAINTY, decimal(c.opinion.uncertainty).into());
        add(&node, ct::BASE_RATE, decimal(c.opinion.base_rate).into());
        for reason in &c.reasons {
            add(&node, ct::REASON_TEXT, Literal::new_simple_literal(reason).into());
        }
        for m in c.mentions.iter().chain(&c.denials) {
            if !m.claim.is_empty() && c.mentions.iter().any(|x| x.claim == m.claim) {
                let claim = NamedNode::new_unchecked(&m.claim);
                add(&claim, prov::SPECIALIZATION_OF, node.clone().into());
            }
            if let Some((agent, name)) = &m.outlet {
                let canonical = iri::agent(name);
                if agent != canonical.as_str() {
                    add(
                        &NamedNode::new_unchecked(agent),
                        ct::RESOLVES_TO,
                        canonical.clone().into(),
                    );
                    add(&canonical, rdfs::LABEL, Literal::new_simple_literal(name).into());
                }
            }
            // Each source mention's agent links to its canonical entity.
            if let (Some(agent), Some(entity)) = (&m.agent, &m.entity) {
                let canonical = entity_iri(entity);
                if agent != canonical.as_str() {
                    add(
                        &NamedNode::new_unchecked(agent),
                        ct::RESOLVES_TO,
                        canonical.clone().into(),
                    );
                    add(
                        &canonical,
                        rdfs::LABEL,
                        Literal::new_simple_literal(&entity.name).into(),
                    );
                }
            }
        }
        for root in &c.roots {
            let agent = entity_iri(root);
            add(&node, ct::ROOT_SOURCE, agent.clone().into());
            add(&agent, rdfs::LABEL, Literal::new_simple_literal(&root.name).into());
            if matches!(root.kind, EntityKind::Anonymous) {
                add(&agent, ct::ANONYMOUS, Literal::from(true).into());
            }
        }
        for denier in &c.deniers {
            let agent = entity_iri(denier);
            add(&node, ct::DENIED_BY, agent.clone().into());
            add(&agent, rdfs::LABEL, Literal::new_simple_literal(&denier.name).into());
        }
        for d in &c.denials {
            if !d.attribution.is_empty() {
                add(&node, ct::DENIAL, NamedNode::new_unchecked(&d.attribution).into());
            }
        }
        for point in &c.choke_points {
            let target = match point {
                ChokePoint::Report { claim, .. } => NamedNode::new_unchecked(claim),
                ChokePoint::Outlet { name } => iri::agent(name),
            };
            add(&node, ct::CHOKE_POINT, target.into());
        }
    }
    crate::rdf::sorted(quads)
}

fn one_line(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn how(m: &ClusterMention) -> String {
    let mut parts = Vec::new();
    if let Some(s) = &m.source {
        parts.push(format!("source \"{}\"", one_line(&s.text, 60)));
    }
    if let Some(i) = &m.intermediary {
        parts.push(format!("via \"{}\"", one_line(&i.text, 40)));
    }
    if let Some(r) = &m.relays {
        parts.push(format!("relays {r}"));
    }
    if parts.is_empty() {
        parts.push("unattributed".to_owned());
    }
    parts.join(", ")
}

fn summary(c: &Cluster) -> String {
    format!(
        "{} independent root{}, circular: {}, denied by: {}",
        c.independent_root_count,
        if c.independent_root_count == 1 { "" } else { "s" },
        yes_no(c.circular),
        c.denied_by.as_deref().unwrap_or("nobody"),
    )
}

fn write_text(out: &mut dyn Write, result: &Corroboration) -> Result<(), ReportError> {
    let multi = result.clusters.iter().filter(|c| c.mentions.len() > 1).count();
    writeln!(
        out,
        "{} claim clusters ({} reported more than once)\n",
        result.clusters.len(),
        multi
    )?;
    for c in &result.clusters {
        writeln!(out, "claim {}  confidence {:.3}", c.cluster, c.confidence)?;
        writeln!(out, "  \"{}\"", one_line(&c.gist, 100))?;
        writeln!(out, "  {}", summary(c))?;
        if !c.root_sources.is_empty() {
            writeln!(out, "  roots: {}", c.root_sources.join("; "))?;
        }
        for m in &c.mentions {
            writeln!(
                out,
                "  - {} [{}..{}] {}",
                m.article,
                m.content.start,
                m.content.end,
                how(m)
            )?;
        }
        for d in &c.denials {
            writeln!(
                out,
                "  x denied in {} [{}..{}] \"{}\"",
                d.article,
                d.content.start,
                d.content.end,
                one_line(&d.content.text, 60)
            )?;
        }
        for r in &c.reasons {
            writeln!(out, "  · {r}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn md_cell(text: &str) -> String {
    one_line(text, 90).replace('|', "\\|")
}

fn write_markdown(out: &mut dyn Write, result: &Corroboration) -> Result<(), ReportError> {
    writeln!(out, "# Corroboration\n")?;
    writeln!(out, "| claim | mentions | roots | circular | denied by | confidence |")?;
    writeln!(out, "|---|---:|---:|---|---|---:|")?;
    for c in &result.clusters {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {:.3} |",
            md_cell(&c.gist),
            c.mentions.len(),
            c.independent_root_count,
            yes_no(c.circular),
            c.denied_by.as_deref().map_or_else(|| "—".to_owned(), md_cell),
            c.confidence
        )?;
    }
    for c in &result.clusters {
        writeln!(out, "\n## Claim `{}`\n", c.cluster)?;
        writeln!(out, "> {}\n", md_cell(&c.gist))?;
        writeln!(out, "{}; confidence **{:.3}**.\n", summary(c), c.confidence)?;
        if !c.root_sources.is_empty() {
            writeln!(out, "Roots: {}.\n", c.root_sources.join("; "))?;
        }
        writeln!(out, "| article | span | how |")?;
        writeln!(out, "|---|---|---|")?;
        for m in &c.mentions {
            writeln!(
                out,
                "| {} | {}–{} | {} |",
                md_cell(&m.article),
                m.content.start,
                m.content.end,
                md_cell(&how(m))
            )?;
        }
        if !c.reasons.is_empty() {
            writeln!(out)?;
            for r in &c.reasons {
                writeln!(out, "- {r}")?;
            }
        }
    }
    Ok(())
}
