//! RDF: the quads of one article (DATA-MODEL.md §4–6). The catalogue goes to the default graph, the
//! article's text and every node it uses to the article's named graph. Reported content is only
//! ever the text of a `ct:Claim`; it is never asserted.

pub mod iri;
pub mod vocab;

use crate::extract::{Attribution, Extraction, SourceMention, SourceType, Tagger, confidence};
use crate::model::DocId;
use crate::read::Publication;
use crate::text::{BlockKind, MultiSpan, Span, parse_date_line};
use iri::ArticleIris;
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term};
use rustc_hash::FxHashSet;
use vocab::{ct, oa, prov, schema};

/// The quads of one article.
#[derive(Debug, Clone)]
pub struct ArticleQuads {
    /// The article's id.
    pub doc: DocId,
    /// The article's IRI.
    pub article: NamedNode,
    /// The article's named graph.
    pub graph: NamedNode,
    /// The activity that generated the graph (tool and ruleset version).
    pub activity: NamedNode,
    /// Every quad, once, in no particular order (`sorted` orders them for output); catalogue quads
    /// are in the default graph.
    pub quads: Vec<Quad>,
}

/// How article graphs are laid out. Raised whenever the same text would be written as other quads
/// by a change the rule tables and the model do not show (v2: attribution and claim counts in the
/// catalogue; v3: a named source that the article also names as an intermediary typed as that
/// outlet; v4: the text's own headline as `schema:headline`), so that articles written before are
/// outdated and re-extracted by the next `ingest`.
const LAYOUT: u32 = 4;

/// The activity that generates article graphs: this claimtrace, its rule tables and weights, the
/// tagger model, and the graph layout. An article whose graph another activity generated is
/// outdated (`Store::known`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    /// `…/activity/extract-{version}-{rules}-{model}-{layout}`.
    pub iri: NamedNode,
    /// What the activity is, in words (`ct:rulesetVersion`, shown by `claimtrace stats`).
    pub version: String,
}

impl Activity {
    /// Extracting with the rules completed by `model` (`None`: the rules alone).
    pub fn new(model: Option<&Tagger>) -> Activity {
        Activity::of_model(&model.map_or_else(|| "none".to_owned(), Tagger::fingerprint))
    }

    /// Extracting with the model called `model` (an id without spaces or slashes).
    pub fn of_model(model: &str) -> Activity {
        let rules = crate::extract::lexicon::ruleset_fingerprint();
        let crate_version = env!("CARGO_PKG_VERSION");
        Activity {
            iri: NamedNode::new_unchecked(format!(
                "{}extract-{crate_version}-{rules}-{model}-{LAYOUT}",
                iri::ACTIVITY_BASE
            )),
            version: format!(
                "claimtrace {crate_version} / confidence {} / rules {rules} / model {model} / layout {LAYOUT}",
                confidence::Model::get().version,
            ),
        }
    }
}

/// Collects quads for one graph.
struct Builder {
    graph: GraphName,
    quads: FxHashSet<Quad>,
}

impl Builder {
    fn add(&mut self, s: impl Into<NamedOrBlankNode>, p: NamedNodeRef<'_>, o: impl Into<Term>) {
        self.quads.insert(Quad::new(s, p, o, self.graph.clone()));
    }

    fn add_to(&mut self, graph: &GraphName, s: impl Into<NamedOrBlankNode>, p: NamedNodeRef<'_>, o: impl Into<Term>) {
        self.quads.insert(Quad::new(s, p, o, graph.clone()));
    }
}

fn integer(n: usize) -> Literal {
    Literal::from(i64::try_from(n).unwrap_or(i64::MAX))
}

/// An `xsd:decimal` with three decimals, in the canonical form Oxigraph stores (so that a graph
/// read back from the store equals the one written).
fn decimal(value: f64) -> Literal {
    let text = format!("{value:.3}");
    match text.parse::<oxsdatatypes::Decimal>() {
        Ok(d) => Literal::from(d),
        Err(_) => Literal::new_typed_literal(text, xsd::DECIMAL),
    }
}

/// A factor's IRI (`ctm:{id}`).
pub fn factor_iri(id: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{}{id}", vocab::ctm::NS))
}

/// The quads of the article `name` with text `text`, from its extraction by `activity`. The
/// publication facts given beside the text (JSON Lines fields) win over the text's own header and
/// dateline.
pub fn article_quads(
    name: &str,
    text: &str,
    extraction: &Extraction,
    publication: &Publication,
    activity: &Activity,
) -> ArticleQuads {
    let doc = DocId::of_text(text);
    let iris = ArticleIris::new(&doc);
    let article = iris.article();
    let graph = iris.graph();
    let (version, activity) = (&activity.version, activity.iri.clone());
    let mut b = Builder {
        graph: GraphName::NamedNode(graph.clone()),
        quads: FxHashSet::default(),
    };
    let default = GraphName::DefaultGraph;

    // Catalogue.
    b.add_to(&default, article.clone(), rdf::TYPE, schema::NEWS_ARTICLE);
    b.add_to(
        &default,
        article.clone(),
        schema::IDENTIFIER,
        Literal::new_simple_literal(name),
    );
    let given = publication.published.as_deref().and_then(parse_date_line);
    if let Some(published) = given
        .as_ref()
        .or(extraction.analysis.published.as_ref().map(|(_, p)| p))
    {
        let datatype = if published.has_time() {
            xsd::DATE_TIME
        } else {
            xsd::DATE
        };
        b.add_to(
            &default,
            article.clone(),
            schema::DATE_PUBLISHED,
            Literal::new_typed_literal(published.to_xsd(), datatype),
        );
    }
    let outlet = publication
        .outlet
        .as_deref()
        .or_else(|| extraction.analysis.outlet.map(|s| s.text(text)))
        .map(crate::model::outlet_name)
        .filter(|name| !name.is_empty());
    if let Some(name) = outlet {
        let publisher = iri::agent(&name);
        b.add_to(&default, article.clone(), schema::PUBLISHER, publisher.clone());
        b.add_to(&default, article.clone(), prov::WAS_ATTRIBUTED_TO, publisher.clone());
        // The outlet's description lives in the article graph, replaced with it.
        b.add(publisher.clone(), rdf::TYPE, prov::ORGANIZATION);
        b.add(publisher.clone(), rdf::TYPE, schema::NEWS_MEDIA_ORGANIZATION);
        b.add(publisher, schema::NAME, Literal::new_simple_literal(name));
    }
    if let Some(url) = &publication.url {
        b.add_to(&default, article.clone(), schema::URL, Literal::new_simple_literal(url));
    }
    // The headline given with the text, else the text's own first heading.
    let headline = publication.title.as_deref().or_else(|| {
        let analysis = &extraction.analysis;
        let heading = analysis.blocks.iter().find(|b| b.kind == BlockKind::Headline);
        heading.map(|b| b.span.text(text))
    });
    if let Some(title) = headline {
        b.add_to(
            &default,
            article.clone(),
            schema::HEADLINE,
            Literal::new_simple_literal(title),
        );
    }
    b.add_to(&default, graph.clone(), rdf::TYPE, ct::ARTICLE_GRAPH);
    b.add_to(&default, graph.clone(), prov::WAS_DERIVED_FROM, article.clone());
    b.add_to(&default, graph.clone(), prov::WAS_GENERATED_BY, activity.clone());
    let tool = iri::agent("claimtrace");
    b.add_to(&default, activity.clone(), rdf::TYPE, prov::ACTIVITY);
    b.add_to(&default, activity.clone(), prov::WAS_ASSOCIATED_WITH, tool.clone());
    b.add_to(
        &default,
        activity.clone(),
        ct::RULESET_VERSION,
        Literal::new_simple_literal(version),
    );
    b.add_to(&default, tool.clone(), rdf::TYPE, prov::SOFTWARE_AGENT);
    b.add_to(&default, tool, rdfs::LABEL, Literal::new_simple_literal("claimtrace"));
    for factor in &confidence::Model::get().factors {
        let f = factor_iri(&factor.id);
        b.add_to(&default, f.clone(), rdf::TYPE, ct::FACTOR);
        b.add_to(&default, f.clone(), ct::WEIGHT, decimal(factor.weight));
        b.add_to(
            &default,
            f.clone(),
            rdfs::LABEL,
            Literal::new_simple_literal(&factor.label),
        );
        b.add_to(
            &default,
            f,
            rdfs::COMMENT,
            Literal::new_simple_literal(&factor.description),
        );
    }

    // The article graph.
    b.add(article.clone(), schema::TEXT, Literal::new_simple_literal(text));
    let attributions = &extraction.attributions;
    for a in attributions {
        add_attribution(&mut b, &iris, &doc, &article, text, a, attributions);
    }
    // Counts kept in the catalogue, so that whole-store figures need not read every graph.
    let typed = |class: NamedNodeRef<'_>| {
        let in_graph = |q: &&Quad| q.graph_name == b.graph && q.predicate == rdf::TYPE;
        b.quads
            .iter()
            .filter(in_graph)
            .filter(|q| q.object == class.into())
            .count()
    };
    let (n_attributions, n_claims) = (typed(ct::ATTRIBUTION), typed(ct::CLAIM));
    b.add_to(&default, graph.clone(), ct::ATTRIBUTION_COUNT, integer(n_attributions));
    b.add_to(&default, graph.clone(), ct::CLAIM_COUNT, integer(n_claims));
    let quads = b.quads.into_iter().collect();
    ArticleQuads {
        doc,
        article,
        graph,
        activity,
        quads,
    }
}

/// Quads in N-Quads order (their serialisation), so that output never depends on hashing.
pub fn sorted(quads: impl IntoIterator<Item = Quad>) -> Vec<Quad> {
    let mut quads: Vec<Quad> = quads.into_iter().collect();
    quads.sort_by_cached_key(ToString::to_string);
    quads.dedup();
    quads
}

fn add_span(b: &mut Builder, iris: &ArticleIris, article: &NamedNode, text: &str, span: &Span) -> NamedNode {
    let node = iris.span(span);
    b.add(node.clone(), rdf::TYPE, ct::SPAN);
    b.add(node.clone(), oa::HAS_SOURCE, article.clone());
    b.add(node.clone(), oa::START, integer(span.start));
    b.add(node.clone(), oa::END, integer(span.end));
    b.add(node.clone(), oa::EXACT, Literal::new_simple_literal(span.text(text)));
    node
}

fn add_multispan(b: &mut Builder, iris: &ArticleIris, article: &NamedNode, text: &str, span: &MultiSpan) -> NamedNode {
    let node = add_span(b, iris, article, text, &span.extent());
    if !span.is_contiguous() {
        for fragment in span.fragments() {
            let part = add_span(b, iris, article, text, fragment);
            b.add(node.clone(), ct::FRAGMENT, part);
        }
    }
    node
}

/// The agent a source mention stands for: a named agent, or the article-local node of the
/// source's first mention.
fn source_agent(iris: &ArticleIris, mention: &SourceMention, attributions: &[Attribution]) -> NamedNode {
    if let Some(name) = &mention.features.name {
        return iri::agent(name);
    }
    iris.source(&first_mention(mention, attributions))
}

fn add_attribution(
    b: &mut Builder,
    iris: &ArticleIris,
    doc: &DocId,
    article: &NamedNode,
    text: &str,
    a: &Attribution,
    attributions: &[Attribution],
) {
    let node = iris.attribution(doc, a.source.as_ref().map(|s| &s.span), &a.cue, &a.content);
    let claim = iris.claim(&a.content);
    b.add(node.clone(), rdf::TYPE, ct::ATTRIBUTION);
    b.add(node.clone(), schema::IDENTIFIER, Literal::new_simple_literal(&a.id));
    b.add(node.clone(), ct::CONTENT, claim.clone());
    let cue = add_span(b, iris, article, text, &a.cue);
    b.add(node.clone(), ct::CUE, cue);
    b.add(
        node.clone(),
        ct::ATTRIBUTION_KIND,
        NamedNode::new_unchecked(format!("{}{}", ct::NS, a.kind.rdf_local_name())),
    );
    b.add(node.clone(), ct::RULE_ID, Literal::new_simple_literal(a.rule.0));
    b.add(node.clone(), ct::CONFIDENCE, decimal(a.confidence.value));
    b.add(
        node.clone(),
        ct::CONFIDENCE_LABEL,
        Literal::new_simple_literal(a.confidence.label.as_str()),
    );
    for reason in &a.confidence.reasons {
        b.add(node.clone(), ct::REASON, factor_iri(&reason.id));
    }

    b.add(claim.clone(), rdf::TYPE, ct::CLAIM);
    let content = add_multispan(b, iris, article, text, &a.content);
    b.add(claim.clone(), ct::SPAN_PROP, content);
    b.add(claim.clone(), prov::QUALIFIED_ATTRIBUTION, node.clone());

    if let Some(mention) = &a.source {
        let agent = source_agent(iris, mention, attributions);
        let f = &mention.features;
        b.add(node.clone(), prov::AGENT_PROP, agent.clone());
        b.add(node.clone(), prov::HAD_ROLE, ct::SOURCE);
        let span = add_span(b, iris, article, text, &mention.span);
        b.add(node.clone(), ct::SOURCE_SPAN, span);
        b.add(node.clone(), ct::ANONYMOUS, Literal::from(f.anonymous));
        if let Some(n) = f.count.and_then(|c| c.exact()) {
            b.add(node.clone(), ct::SOURCE_COUNT, integer(n as usize));
        }
        b.add(claim.clone(), prov::WAS_ATTRIBUTED_TO, agent.clone());
        b.add(agent.clone(), rdf::TYPE, prov::AGENT);
        let label_span = if f.name.is_some() {
            mention.span
        } else {
            first_mention(mention, attributions)
        };
        b.add(
            agent.clone(),
            rdfs::LABEL,
            Literal::new_simple_literal(label_span.text(text)),
        );
        if let Some(name) = &f.name {
            b.add(agent.clone(), schema::NAME, Literal::new_simple_literal(name));
            let class = match f.source_type {
                Some(SourceType::Organization | SourceType::Outlet) => prov::ORGANIZATION,
                _ => prov::PERSON,
            };
            b.add(agent.clone(), rdf::TYPE, class);
        }
        if let Some(kind) = f.source_type {
            b.add(
                agent.clone(),
                ct::SOURCE_TYPE,
                NamedNode::new_unchecked(format!("{}{}", ct::NS, kind.rdf_local_name())),
            );
        }
        if let Some(title) = &f.title {
            b.add(agent.clone(), schema::JOB_TITLE, Literal::new_simple_literal(title));
        }
        if let Some(org) = &f.affiliation_org {
            let org_node = iri::agent(org);
            b.add(agent.clone(), schema::AFFILIATION, org_node.clone());
            b.add(org_node.clone(), rdf::TYPE, prov::ORGANIZATION);
            b.add(org_node, schema::NAME, Literal::new_simple_literal(org));
        }
    }
    if let Some(via) = &a.intermediary {
        let name = crate::model::outlet_name(&via.name);
        let outlet = iri::agent(&name);
        let relay = iris.relay(&via.span);
        b.add(node.clone(), ct::VIA_INTERMEDIARY, outlet.clone());
        b.add(claim.clone(), prov::WAS_DERIVED_FROM, relay.clone());
        b.add(relay.clone(), rdf::TYPE, ct::RELAY);
        b.add(relay.clone(), prov::WAS_ATTRIBUTED_TO, outlet.clone());
        let span = add_span(b, iris, article, text, &via.span);
        b.add(relay, ct::SOURCE_SPAN, span);
        b.add(outlet.clone(), rdf::TYPE, prov::ORGANIZATION);
        b.add(outlet.clone(), rdf::TYPE, schema::NEWS_MEDIA_ORGANIZATION);
        b.add(outlet.clone(), schema::NAME, Literal::new_simple_literal(&name));
        b.add(
            outlet,
            ct::SOURCE_TYPE,
            NamedNode::new_unchecked(format!("{}NewsOutlet", ct::NS)),
        );
    }
}

fn first_mention(mention: &SourceMention, attributions: &[Attribution]) -> Span {
    mention
        .antecedent
        .and_then(|i| attributions.get(i))
        .and_then(|a| a.source.as_ref())
        .map_or(mention.span, |s| s.span)
}
