//! The provenance graph of one claim cluster, built with petgraph: the reader reads articles;
//! an article publishes reports (mentions); a report was said by a root source, or relays an
//! upstream report (another article's mention, or the report of an outlet the store does not
//! hold). Root sources are what the reports reach at the end of their chains.
//!
//! Circular reporting: a report or relay node that dominates a root from the reader or from one
//! article (every path from there to that root runs through it,
//! `petgraph::algo::dominators::simple_fast`) and that at least two articles reach: some outlet has
//! the claim only through another's report, even if a third outlet has it first hand. Confidence v2 follows the same graph: each report's opinion is discounted
//! along its relay chain once, reports of one root are averaged (they carry the same evidence),
//! independent roots are fused cumulatively, and denials add disbelief.

use super::entity::{Entity, EntityKind};
use super::lexicon::{Lexicon, Trust};
use super::opinion::Opinion;
use super::{Article, Mention, Relay, same_outlet};
use crate::model::Kind;
use petgraph::algo::dominators::simple_fast;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Dfs, Reversed};
use std::collections::{BTreeMap, BTreeSet};

/// A node of the cluster's provenance graph.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// Where every path starts.
    Reader,
    /// An article (index into the articles).
    Article(usize),
    /// A mention (index into the mentions).
    Report(usize),
    /// The report of an outlet that is not in the store.
    External(String),
    /// A root source.
    Root(Entity),
}

/// What the graph says of a cluster.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// The graph.
    pub graph: DiGraph<Node, &'static str>,
    /// The reader node.
    pub reader: NodeIndex,
    /// The root sources, sorted by key.
    pub roots: Vec<Entity>,
    /// The report or relay nodes through which several articles reach a root.
    pub choke_points: Vec<NodeIndex>,
    /// For each mention of the cluster, the mention it relays (if one in the store).
    pub upstream: BTreeMap<usize, usize>,
    /// For each mention, the keys of the roots it reaches.
    pub roots_of: BTreeMap<usize, BTreeSet<String>>,
}

impl Provenance {
    /// Whether the cluster is reported circularly.
    pub fn circular(&self) -> bool {
        !self.choke_points.is_empty()
    }
}

/// Builds the provenance graph of the cluster `members` (mention indices).
pub fn build(members: &[usize], mentions: &[Mention], articles: &[Article]) -> Provenance {
    let mut order: Vec<usize> = members.to_vec();
    order.sort_by(|&a, &b| {
        let (pa, pb) = (
            &articles[mentions[a].article].published,
            &articles[mentions[b].article].published,
        );
        pa.cmp(pb).then(a.cmp(&b))
    });
    let mut graph: DiGraph<Node, &'static str> = DiGraph::new();
    let reader = graph.add_node(Node::Reader);
    let mut article_nodes: BTreeMap<usize, NodeIndex> = BTreeMap::new();
    let mut report_nodes: BTreeMap<usize, NodeIndex> = BTreeMap::new();
    let mut root_nodes: BTreeMap<String, NodeIndex> = BTreeMap::new();
    let mut external_nodes: BTreeMap<String, NodeIndex> = BTreeMap::new();
    let mut upstream: BTreeMap<usize, usize> = BTreeMap::new();
    let mut roots_of: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    for &m in &order {
        let mention = &mentions[m];
        let article = *article_nodes.entry(mention.article).or_insert_with(|| {
            let node = graph.add_node(Node::Article(mention.article));
            graph.add_edge(reader, node, "reads");
            node
        });
        let report = graph.add_node(Node::Report(m));
        report_nodes.insert(m, report);
        graph.add_edge(article, report, "publishes");
    }
    let mut add_root = |graph: &mut DiGraph<Node, &'static str>, entity: &Entity| -> NodeIndex {
        *root_nodes
            .entry(entity.key.clone())
            .or_insert_with(|| graph.add_node(Node::Root(entity.clone())))
    };
    for (pos, &m) in order.iter().enumerate() {
        let mention = &mentions[m];
        let report = report_nodes[&m];
        let here = &articles[mention.article];
        let earlier: Vec<usize> = order[..pos]
            .iter()
            .copied()
            .filter(|&u| {
                let a = &articles[mentions[u].article];
                mentions[u].article != mention.article && a.published <= here.published
            })
            .collect();
        match &mention.relay {
            Relay::Outlet(outlet) => {
                // The outlet's own report of the claim, when the store holds it.
                let by_outlet: Vec<usize> = earlier
                    .iter()
                    .copied()
                    .filter(|&u| {
                        articles[mentions[u].article]
                            .publisher
                            .as_deref()
                            .is_some_and(|p| same_outlet(p, outlet))
                    })
                    .collect();
                let origin = by_outlet
                    .iter()
                    .copied()
                    .find(|&u| mentions[u].relay == Relay::None)
                    .or_else(|| by_outlet.first().copied());
                if let Some(u) = origin {
                    graph.add_edge(report, report_nodes[&u], "reported via");
                    upstream.insert(m, u);
                    let inherited = roots_of.get(&u).cloned().unwrap_or_default();
                    roots_of.insert(m, inherited);
                } else {
                    let external = *external_nodes
                        .entry(outlet.to_lowercase())
                        .or_insert_with(|| graph.add_node(Node::External(outlet.clone())));
                    graph.add_edge(report, external, "reported via");
                    let entity = mention.entity.clone().unwrap_or_else(|| Entity {
                        key: format!("anon:via:{}", outlet.to_lowercase()),
                        name: format!("the source of {outlet}'s report"),
                        kind: EntityKind::Anonymous,
                    });
                    let root = add_root(&mut graph, &entity);
                    graph.update_edge(external, root, "said by");
                    roots_of.insert(m, BTreeSet::from([entity.key]));
                }
            }
            Relay::Vague => {
                // Resolved to the upstream report when the earlier reports leave one candidate.
                let lines: BTreeSet<BTreeSet<String>> = earlier
                    .iter()
                    .filter_map(|u| roots_of.get(u))
                    .filter(|r| !r.is_empty())
                    .cloned()
                    .collect();
                if lines.len() == 1 {
                    let line = lines.into_iter().next().unwrap_or_default();
                    let origin = earlier
                        .iter()
                        .copied()
                        .find(|u| mentions[*u].relay == Relay::None && roots_of.get(u) == Some(&line))
                        .or_else(|| earlier.iter().copied().find(|u| roots_of.get(u) == Some(&line)));
                    if let Some(u) = origin {
                        graph.add_edge(report, report_nodes[&u], "reported via");
                        upstream.insert(m, u);
                        roots_of.insert(m, line);
                    }
                }
            }
            Relay::None => {
                if let Some(entity) = &mention.entity {
                    let root = add_root(&mut graph, entity);
                    graph.add_edge(report, root, "said by");
                    roots_of.insert(m, BTreeSet::from([entity.key.clone()]));
                }
            }
        }
    }
    let roots: Vec<Entity> = root_nodes
        .values()
        .filter_map(|&n| match &graph[n] {
            Node::Root(e) => Some(e.clone()),
            _ => None,
        })
        .collect();
    let choke_points = choke_points(&graph, reader, root_nodes.values().copied());
    Provenance {
        graph,
        reader,
        roots,
        choke_points,
        upstream,
        roots_of,
    }
}

/// Report or relay nodes through which some article alone reaches a root (they dominate the root
/// from that article: its own reports, or the one report of another outlet it relays) and that two
/// or more articles reach. From the reader, a node that dominates a root dominates it from every
/// article; from an article, an outlet that has the claim only through another's report shows too,
/// even when a third outlet reaches the same root first hand.
fn choke_points(
    graph: &DiGraph<Node, &'static str>,
    reader: NodeIndex,
    roots: impl Iterator<Item = NodeIndex>,
) -> Vec<NodeIndex> {
    let roots: Vec<NodeIndex> = roots.collect();
    let starts = std::iter::once(reader).chain(graph.node_indices().filter(|&n| matches!(graph[n], Node::Article(_))));
    let mut out: BTreeSet<NodeIndex> = BTreeSet::new();
    let mut reached_by: BTreeMap<NodeIndex, usize> = BTreeMap::new();
    for start in starts {
        let dominators = simple_fast(graph, start);
        for &root in &roots {
            let Some(chain) = dominators.strict_dominators(root) else {
                continue;
            };
            for node in chain {
                if !matches!(graph[node], Node::Report(_) | Node::External(_)) || out.contains(&node) {
                    continue;
                }
                let articles = *reached_by.entry(node).or_insert_with(|| articles_reaching(graph, node));
                if articles >= 2 {
                    out.insert(node);
                }
            }
        }
    }
    out.into_iter().collect()
}

/// How many article nodes reach `node`.
fn articles_reaching(graph: &DiGraph<Node, &'static str>, node: NodeIndex) -> usize {
    let reversed = Reversed(graph);
    let mut dfs = Dfs::new(reversed, node);
    let mut articles = 0;
    while let Some(n) = dfs.next(reversed) {
        if matches!(graph[n], Node::Article(_)) {
            articles += 1;
        }
    }
    articles
}

/// A (belief, disbelief) pair as an opinion with the claim's base rate.
fn opinion(pair: [f64; 2], trust: &Trust) -> Opinion {
    Opinion::new(pair[0], pair[1], trust.claim_base_rate)
}

/// What one report's statement is worth before any trust in its source.
fn statement(mention: &Mention, trust: &Trust) -> Opinion {
    if mention.features.hedged {
        opinion(trust.hedged, trust)
    } else if mention.kind == Kind::Direct {
        opinion(trust.direct, trust)
    } else {
        opinion(trust.indirect, trust)
    }
}

/// The trust in a source of this kind, as a probability.
fn source_trust(kind: EntityKind, trust: &Trust) -> f64 {
    let pair = match kind {
        EntityKind::Person | EntityKind::Organization => trust.named_source,
        EntityKind::Anonymous => trust.anonymous_source,
        EntityKind::Collective => trust.collective_source,
    };
    opinion(pair, trust).projected()
}

/// A statement as its source gives it: discounted by the source, fused over the source's count.
pub fn sourced(mention: &Mention, trust: &Trust) -> Option<Opinion> {
    let entity = mention.entity.as_ref()?;
    let one = statement(mention, trust).discount(source_trust(entity.kind, trust));
    let copies = mention.count.clamp(1, trust.max_count.max(1));
    let all = vec![one; copies as usize];
    Opinion::fuse_cumulative(&all)
}

/// The confidence of a cluster and the steps that made it.
#[derive(Debug, Clone)]
pub struct Assessment {
    /// The fused opinion.
    pub opinion: Opinion,
    /// Every step, in words.
    pub reasons: Vec<String>,
}

/// Confidence v2 of a cluster: `denials` are (denier, denial mention) pairs.
pub fn assess(
    provenance: &Provenance,
    members: &[usize],
    mentions: &[Mention],
    denials: &[(Entity, usize)],
) -> Assessment {
    let trust = &Lexicon::get().trust;
    let outlet = opinion(trust.named_outlet, trust).projected();
    let unknown = opinion(trust.unknown_outlet, trust).projected();
    let mut reasons = Vec::new();
    // Each report's opinion as it reaches the reader, grouped by the roots it reaches.
    let mut by_root: BTreeMap<String, Vec<Opinion>> = BTreeMap::new();
    for &m in members {
        let mut hops = 0;
        let mut origin = m;
        while let Some(&u) = provenance.upstream.get(&origin) {
            hops += 1;
            origin = u;
            if hops > members.len() {
                break;
            }
        }
        let base = match (&mentions[m].relay, provenance.upstream.get(&m)) {
            (Relay::None, _) => sourced(&mentions[m], trust),
            (_, Some(_)) => sourced(&mentions[origin], trust),
            (Relay::Outlet(_), None) => {
                hops = 1;
                let own = sourced(&mentions[m], trust);
                own.or_else(|| {
                    Some(statement(&mentions[m], trust).discount(source_trust(EntityKind::Anonymous, trust)))
                })
            }
            (Relay::Vague, None) => None,
        };
        let Some(base) = base else { continue };
        let relay_trust = if mentions[m].relay == Relay::Vague {
            unknown
        } else {
            outlet
        };
        let mut on_page = base;
        for _ in 0..hops {
            on_page = on_page.discount(relay_trust);
        }
        let on_page = on_page.discount(unknown);
        for r in provenance.roots_of.get(&m).into_iter().flatten() {
            by_root.entry(r.clone()).or_default().push(on_page);
        }
    }
    let mut lines: Vec<Opinion> = Vec::new();
    for root in &provenance.roots {
        let Some(reports) = by_root.get(&root.key) else {
            continue;
        };
        let Some(line) = Opinion::fuse_average(reports) else {
            continue;
        };
        reasons.push(format!(
            "{}: {} report{} averaged (same evidence) → P {:.3}",
            root.name,
            reports.len(),
            if reports.len() == 1 { "" } else { "s" },
            line.projected()
        ));
        lines.push(line);
    }
    let mut fused = match Opinion::fuse_cumulative(&lines) {
        Some(o) => {
            if lines.len() > 1 {
                reasons.push(format!(
                    "{} independent roots fused cumulatively → P {:.3}",
                    lines.len(),
                    o.projected()
                ));
            }
            o
        }
        None => {
            reasons.push("no root source: unattributed (vacuous opinion, base rate 0)".to_owned());
            Opinion::vacuous(0.0)
        }
    };
    let mut by_denier: BTreeMap<String, (String, Vec<Opinion>)> = BTreeMap::new();
    for (denier, d) in denials {
        let mention = &mentions[*d];
        let statement = statement(mention, trust).discount(source_trust(denier.kind, trust));
        let on_page = statement.discount(unknown).negate();
        by_denier
            .entry(denier.key.clone())
            .or_insert_with(|| (denier.name.clone(), Vec::new()))
            .1
            .push(on_page);
    }
    for (name, ops) in by_denier.values() {
        if let Some(denial) = Opinion::fuse_average(ops) {
            fused = fused.cumulative(&Opinion::new(denial.belief, denial.disbelief, fused.base_rate));
            reasons.push(format!("denied by {name} → P {:.3}", fused.projected()));
        }
    }
    Assessment {
        opinion: fused,
        reasons,
    }
}
