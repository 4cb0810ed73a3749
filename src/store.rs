//! The store: Oxigraph on RocksDB on disk (or in memory when asked). The only module that touches
//! `oxigraph::store::Store` or runs SPARQL; every query it runs is a `.rq` file under `src/sparql/`,
//! and callers get typed rows.

use crate::error::StoreError;
use crate::model::DocId;
use crate::model::Kind;
use crate::rdf::ArticleQuads;
use crate::rdf::iri::ArticleIris;
use crate::rdf::vocab::{prov, schema};
use oxigraph::model::{
    GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad, QuadRef, Term, TermRef,
};
use oxigraph::sparql::{QueryResults, QuerySolution, QuerySolutionIter, SparqlEvaluator, Variable};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// A query of claimtrace's own: its file name, its text, and what its default graph is.
#[derive(Debug, Clone, Copy)]
pub struct NamedQuery {
    /// The `.rq` file's name.
    pub name: &'static str,
    /// The SPARQL text.
    pub sparql: &'static str,
    /// What the query's default graph is.
    pub dataset: Dataset,
    /// The variable the query is written to start from, if it is written in evaluation order: when
    /// that variable is bound, the query runs as written, without Oxigraph's planner (whose cost,
    /// milliseconds for a few dozen patterns, is most of a one-attribution lookup). Unbound, the
    /// planner orders it like any other query.
    pub starts_from: Option<&'static str>,
}

/// The default graph a query runs over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    /// The union of all graphs (what `claimtrace query` gives users).
    Union,
    /// The catalogue (the store's own default graph); article graphs through `GRAPH`. Matching a
    /// pattern against one graph is several times cheaper than against the union, which whole-store
    /// queries feel.
    Catalogue,
}

macro_rules! queries {
    (@start) => { None };
    (@start $start:literal) => { Some($start) };
    ($($id:ident = $file:literal over $dataset:ident $(from $start:literal)?;)*) => {
        $(const $id: NamedQuery = NamedQuery {
            name: $file,
            sparql: include_str!(concat!("sparql/", $file)),
            dataset: Dataset::$dataset,
            starts_from: queries!(@start $($start)?),
        };)*
        /// Every query the code runs, for the test that parses and runs each.
        pub const QUERIES: &[NamedQuery] = &[$($id),*];
    };
}

queries! {
    ARTICLES = "articles.rq" over Catalogue;
    ARTICLE_NAMES = "article_names.rq" over Catalogue;
    ARTICLE_PREFIX = "article_prefix.rq" over Catalogue;
    ATTRIBUTION_COUNT = "attribution_count.rq" over Catalogue;
    CLAIMS = "claims.rq" over Catalogue;
    CLAIM = "claim.rq" over Catalogue from "attr";
    SOURCES = "sources.rq" over Catalogue;
    SOURCE_DESCRIPTION = "source_description.rq" over Catalogue;
    ARTICLE_TEXT = "article_text.rq" over Catalogue;
    REASONS = "reasons.rq" over Union from "attr";
    FRAGMENTS = "fragments.rq" over Union from "attr";
    SOURCE_DETAIL = "source_detail.rq" over Catalogue from "attr";
    CHAIN = "chain.rq" over Union;
    STATS = "stats.rq" over Catalogue;
    UNCOUNTED = "uncounted.rq" over Catalogue;
    RULESETS = "rulesets.rq" over Catalogue;
}

/// Articles whose claims one query of [`Store::claims_by_article`] reads.
const ARTICLES_PER_QUERY: usize = 256;

/// What ingesting one article did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IngestOutcome {
    /// The article was new.
    Added,
    /// The article was there with other quads (another name, older rules) and was replaced.
    Replaced,
    /// The article was there with exactly these quads; nothing was written.
    Unchanged,
}

/// What the store holds of a document, known before it is extracted (from the hash of its text and
/// its name): this is what makes an interrupted ingest resumable without extracting twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Known {
    /// Neither this text nor this name is in the store.
    New,
    /// This text is stored under this name by the current ruleset: nothing to do.
    Current,
    /// This text is stored under another name (a copy of an article); it stays as it is.
    Duplicate(String),
    /// This text is stored, extracted by another ruleset: extract again and replace it.
    Outdated,
    /// This name is stored with another text (the document changed): the stored articles.
    Changed(Vec<NamedNode>),
}

/// What the store holds, for `claimtrace stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct StoreStats {
    /// Articles (documents ingested).
    pub articles: usize,
    /// Attributions.
    pub attributions: usize,
    /// Claims (attributed contents).
    pub claims: usize,
    /// Distinct source agents.
    pub sources: usize,
    /// Distinct publishers.
    pub outlets: usize,
    /// Earliest and latest publication dates, as written.
    pub first_published: Option<String>,
    /// Latest publication date.
    pub last_published: Option<String>,
    /// Claim clusters in the saved corroboration graph (0 when none was saved).
    pub clusters: usize,
    /// Quads, all graphs, when counted.
    pub quads: Option<usize>,
    /// Bytes on disk (0 in memory).
    pub disk_bytes: u64,
    /// The ruleset versions that extracted the articles, with how many articles each.
    pub rulesets: Vec<(String, usize)>,
}

/// An article in the store.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleRow {
    /// Its IRI.
    pub article: String,
    /// Its name (file name or id).
    pub name: String,
    /// Its publication date, as written in the data.
    pub published: Option<String>,
    /// The name of the outlet that published it.
    pub publisher: Option<String>,
    /// Its headline.
    pub headline: Option<String>,
    /// Number of attributions.
    pub claims: usize,
}

/// One attribution, flat.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimRow {
    /// The attribution's IRI.
    pub attr: String,
    /// The article's IRI.
    pub article: String,
    /// The article's name.
    pub article_name: String,
    /// Document-local id ("E3").
    pub id: String,
    /// The kind.
    pub kind: Kind,
    /// The rule that produced it.
    pub rule: String,
    /// Confidence in [0, 1].
    pub confidence: f64,
    /// Its label.
    pub label: String,
    /// The claim's extent, in characters.
    pub start: usize,
    /// End of the extent.
    pub end: usize,
    /// The claim's text (its whole extent).
    pub claim: String,
    /// The claim node's IRI (`ct:content` of the attribution).
    pub claim_iri: String,
    /// The cue's text.
    pub cue: String,
    /// Where the cue starts.
    pub cue_start: Option<usize>,
    /// The source mention's text.
    pub source: Option<String>,
    /// Where the source mention starts.
    pub source_start: Option<usize>,
    /// The source agent's IRI.
    pub agent: Option<String>,
    /// The source agent's name, when named.
    pub agent_name: Option<String>,
    /// The source type's local name.
    pub source_type: Option<String>,
    /// Whether the source is anonymous.
    pub anonymous: Option<bool>,
    /// How many sources, when known.
    pub count: Option<u32>,
    /// The intermediary outlet's name.
    pub via: Option<String>,
    /// Ids of the confidence factors that fired.
    pub reasons: Vec<String>,
}

/// A source agent, with how many claims it stands behind.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRow {
    /// Its IRI.
    pub agent: String,
    /// How the text names it.
    pub label: String,
    /// Its proper name, when named.
    pub name: Option<String>,
    /// Its type's local name.
    pub source_type: Option<String>,
    /// The organisation it is affiliated with.
    pub affiliation: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// Whether it is anonymous.
    pub anonymous: bool,
    /// Number of attributions.
    pub claims: usize,
    /// Number of articles.
    pub articles: usize,
}

/// A confidence factor that fired.
#[derive(Debug, Clone, PartialEq)]
pub struct ReasonRow {
    /// The factor's id ("anonymous").
    pub id: String,
    /// Its label.
    pub label: String,
    /// Its weight in log-odds points.
    pub weight: f64,
    /// What it means.
    pub comment: String,
}

/// A span: start, end, text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpanRow {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// The text.
    pub exact: String,
}

/// What the store knows of one attribution's source.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourceDetail {
    /// The agent's IRI.
    pub agent: String,
    /// Its label.
    pub label: Option<String>,
    /// Its name.
    pub name: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// Its affiliation's name.
    pub affiliation: Option<String>,
    /// Its type.
    pub source_type: Option<String>,
    /// Every mention of it in the article, in text order.
    pub mentions: Vec<(usize, String)>,
}

/// One hop of an intermediary chain.
#[derive(Debug, Clone, PartialEq)]
pub struct HopRow {
    /// The attribution's IRI.
    pub attr: String,
    /// Where the words that name the outlet start.
    pub start: usize,
    /// The relay's IRI.
    pub relay: String,
    /// The outlet's IRI.
    pub outlet: String,
    /// The outlet's name.
    pub name: Option<String>,
    /// The words that name it in the article.
    pub mention: String,
}

/// The claimtrace store.
pub struct Store {
    inner: oxigraph::store::Store,
    location: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating it if needed) the RocksDB store in directory `path` for reading and writing.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let inner = oxigraph::store::Store::open(path).map_err(|source| storage(path, source))?;
        Ok(Store {
            inner,
            location: path.to_path_buf(),
        })
    }

    /// Opens an existing store for reading only (several readers may share it with a writer).
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        if !path.join("CURRENT").exists() {
            return Err(StoreError::NotFound(format!(
                "no store at {} (run `claimtrace ingest` first, or pass --store)",
                path.display()
            )));
        }
        let inner = oxigraph::store::Store::open_read_only(path).map_err(|source| storage(path, source))?;
        Ok(Store {
            inner,
            location: path.to_path_buf(),
        })
    }

    /// A store in memory, gone when dropped.
    pub fn in_memory() -> Result<Store, StoreError> {
        let location = PathBuf::from("memory");
        let inner = oxigraph::store::Store::new().map_err(|source| storage(&location, source))?;
        Ok(Store { inner, location })
    }

    /// Where the store lives.
    pub fn location(&self) -> &Path {
        &self.location
    }

    fn storage_error(&self, source: oxigraph::store::StorageError) -> StoreError {
        storage(&self.location, source)
    }

    /// Number of quads.
    pub fn len(&self) -> Result<usize, StoreError> {
        self.inner.len().map_err(|e| self.storage_error(e))
    }

    /// Whether the store holds no quad.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        self.inner.is_empty().map_err(|e| self.storage_error(e))
    }

    /// Every quad, sorted (for dumps and comparisons).
    pub fn quads(&self) -> Result<Vec<Quad>, StoreError> {
        let quads = self
            .inner
            .iter()
            .collect::<Result<Vec<Quad>, _>>()
            .map_err(|e| self.storage_error(e))?;
        Ok(crate::rdf::sorted(quads))
    }

    /// What the store holds of the document `name` whose text has id `doc`, for a writer whose
    /// graphs `activity` generates ([`crate::rdf::Activity`]). The catalogue quad
    /// `graph prov:wasGeneratedBy activity` is written in the same transaction as the article, so
    /// its presence means the whole article is there.
    pub fn known(&self, name: &str, doc: &DocId, activity: &NamedNode) -> Result<Known, StoreError> {
        let iris = ArticleIris::new(doc);
        let (article, graph) = (iris.article(), iris.graph());
        let default = GraphNameRef::DefaultGraph;
        let names = self.objects(article.as_ref(), schema::IDENTIFIER)?;
        let has_name = names.iter().any(|n| n == name);
        let current = self
            .inner
            .contains(QuadRef::new(&graph, prov::WAS_GENERATED_BY, activity, default))
            .map_err(|e| self.storage_error(e))?;
        if current || !names.is_empty() {
            return Ok(match (has_name, names.first()) {
                (true, _) if current => Known::Current,
                (false, Some(other)) => Known::Duplicate(other.clone()),
                _ => Known::Outdated,
            });
        }
        let literal = Literal::new_simple_literal(name);
        let holders = self.subjects(schema::IDENTIFIER, literal.as_ref().into())?;
        Ok(if holders.is_empty() {
            Known::New
        } else {
            Known::Changed(holders)
        })
    }

    /// The quads of the default graph (the catalogue) matching a pattern.
    fn catalogue(
        &self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: NamedNodeRef<'_>,
        object: Option<TermRef<'_>>,
    ) -> Result<Vec<Quad>, StoreError> {
        self.inner
            .quads_for_pattern(subject, Some(predicate), object, Some(GraphNameRef::DefaultGraph))
            .collect::<Result<_, _>>()
            .map_err(|e| self.storage_error(e))
    }

    /// The literal values of `subject predicate ?o` in the catalogue.
    fn objects(&self, subject: NamedNodeRef<'_>, predicate: NamedNodeRef<'_>) -> Result<Vec<String>, StoreError> {
        Ok(self
            .catalogue(Some(subject.into()), predicate, None)?
            .into_iter()
            .filter_map(|q| match q.object {
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            })
            .collect())
    }

    /// The IRIs `?s` of `?s predicate object` in the catalogue.
    fn subjects(&self, predicate: NamedNodeRef<'_>, object: TermRef<'_>) -> Result<Vec<NamedNode>, StoreError> {
        Ok(self
            .catalogue(None, predicate, Some(object))?
            .into_iter()
            .filter_map(|q| match q.subject {
                NamedOrBlankNode::NamedNode(s) => Some(s),
                _ => None,
            })
            .collect())
    }

    /// Ingests new articles (ones [`Store::known`] called [`Known::New`]) with Oxigraph's bulk
    /// loader, all or none: faster than a transaction each for large batches.
    /// The articles are consumed: their quads go to the loader without a copy.
    pub fn bulk_ingest(&self, articles: impl IntoIterator<Item = ArticleQuads>) -> Result<(), StoreError> {
        let articles: Vec<ArticleQuads> = articles.into_iter().collect();
        // The loader sorts and writes each batch of quads on a thread of its own, a batch being
        // `megabytes × 1000 / threads` quads (a million by default, far more than a batch of
        // articles, which then loads on one core): a core's share each keeps every core busy,
        // and no batch grows past the default, so memory stays what Oxigraph plans for.
        let quads: usize = articles.iter().map(|a| a.quads.len()).sum();
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let megabytes = quads.div_ceil(1000).clamp(1, threads * 1000);
        let mut loader = self
            .inner
            .bulk_loader()
            .with_num_threads(threads)
            .with_max_memory_size_in_megabytes(megabytes);
        loader
            .load_quads(articles.into_iter().flat_map(|a| a.quads))
            .map_err(|e| self.storage_error(e))?;
        loader.commit().map_err(|e| self.storage_error(e))
    }

    /// Compacts the store (RocksDB's full compaction): after many bulk loads, lookups read far fewer
    /// files. Takes time proportional to the store.
    pub fn optimize(&self) -> Result<(), StoreError> {
        self.inner.optimize().map_err(|e| self.storage_error(e))
    }

    /// Ingests one article in one transaction: its graph and its catalogue quads are replaced, so
    /// re-ingesting the same article changes nothing.
    pub fn ingest(&self, article: &ArticleQuads) -> Result<IngestOutcome, StoreError> {
        self.ingest_replacing(article, &[])
    }

    /// Ingests one article in one transaction, removing in the same transaction the articles
    /// `stale` (earlier versions of the document: their graphs and catalogue quads).
    pub fn ingest_replacing(&self, article: &ArticleQuads, stale: &[NamedNode]) -> Result<IngestOutcome, StoreError> {
        let graph = GraphNameRef::NamedNode(article.graph.as_ref());
        let existing = self.article_quads(&article.article, &article.graph)?;
        let wanted: HashSet<&Quad> = article.quads.iter().collect();
        let article_owned: HashSet<&Quad> = wanted
            .iter()
            .copied()
            .filter(|q| is_article_owned(q, &article.article, &article.graph))
            .collect();
        if stale.is_empty()
            && existing.iter().collect::<HashSet<_>>() == article_owned
            && wanted.iter().all(|q| self.contains(q))
        {
            return Ok(IngestOutcome::Unchanged);
        }
        let mut t = self.inner.start_transaction().map_err(|e| self.storage_error(e))?;
        let had = !existing.is_empty() || !stale.is_empty();
        t.clear_graph(graph).map_err(|e| self.storage_error(e))?;
        for q in existing.iter().filter(|q| q.graph_name.is_default_graph()) {
            t.remove(q);
        }
        for old in stale {
            for old_graph in self.subjects(prov::WAS_DERIVED_FROM, old.as_ref().into())? {
                for q in self.article_quads(old, &old_graph)? {
                    t.remove(&q);
                }
            }
        }
        t.extend(article.quads.iter());
        t.commit().map_err(|e| self.storage_error(e))?;
        Ok(if had {
            IngestOutcome::Replaced
        } else {
            IngestOutcome::Added
        })
    }

    /// Replaces the named graph `graph` with `quads` (all in that graph) in one transaction; the
    /// other graphs are untouched. Returns how many quads the graph holds now.
    pub fn replace_graph(&self, graph: &str, quads: &[Quad]) -> Result<usize, StoreError> {
        let graph = NamedNode::new_unchecked(graph);
        let mut t = self.inner.start_transaction().map_err(|e| self.storage_error(e))?;
        t.clear_graph(GraphNameRef::NamedNode(graph.as_ref()))
            .map_err(|e| self.storage_error(e))?;
        t.extend(quads.iter());
        t.commit().map_err(|e| self.storage_error(e))?;
        Ok(quads.len())
    }

    fn contains(&self, quad: &Quad) -> bool {
        self.inner.contains(quad).unwrap_or(false)
    }

    /// The quads an article owns: its graph and the catalogue quads about it and its graph.
    fn article_quads(&self, article: &NamedNode, graph: &NamedNode) -> Result<Vec<Quad>, StoreError> {
        let mut out = Vec::new();
        let patterns = [
            (None, GraphNameRef::NamedNode(graph.as_ref())),
            (
                Some(NamedOrBlankNodeRef::NamedNode(article.as_ref())),
                GraphNameRef::DefaultGraph,
            ),
            (
                Some(NamedOrBlankNodeRef::NamedNode(graph.as_ref())),
                GraphNameRef::DefaultGraph,
            ),
        ];
        for (subject, graph_name) in patterns {
            for quad in self.inner.quads_for_pattern(subject, None, None, Some(graph_name)) {
                out.push(quad.map_err(|e| self.storage_error(e))?);
            }
        }
        Ok(out)
    }

    /// Runs a user's SPARQL query over the union of all graphs.
    pub fn query(&self, sparql: &str) -> Result<QueryResults<'static>, StoreError> {
        let mut prepared = SparqlEvaluator::new().parse_query(sparql)?;
        prepared.dataset_mut().set_default_graph_as_union();
        Ok(prepared.on_store(&self.inner).execute()?)
    }

    /// The solutions of `query` with `rows` of values for `variables` (none: the query as it is),
    /// run as written when it is written to start from one of them.
    fn bound_solutions(
        &self,
        query: NamedQuery,
        variables: &[&str],
        rows: &[Vec<Term>],
    ) -> Result<QuerySolutionIter<'static>, StoreError> {
        let as_written = query.starts_from.is_some_and(|start| variables.contains(&start));
        self.solutions(query, &bound_sparql(query, variables, rows)?, as_written)
    }

    /// The solutions of `sparql` (the text of `query`, perhaps with values) over its dataset,
    /// without Oxigraph's planner when `as_written`.
    fn solutions(
        &self,
        query: NamedQuery,
        sparql: &str,
        as_written: bool,
    ) -> Result<QuerySolutionIter<'static>, StoreError> {
        let mut evaluator = SparqlEvaluator::new();
        if as_written {
            evaluator = evaluator.without_optimizations();
        }
        let mut prepared = evaluator.parse_query(sparql)?;
        if query.dataset == Dataset::Union {
            prepared.dataset_mut().set_default_graph_as_union();
        }
        match prepared.on_store(&self.inner).execute()? {
            QueryResults::Solutions(solutions) => Ok(solutions),
            _ => Err(StoreError::Unexpected {
                query: query.name,
                message: "not a SELECT query".to_owned(),
            }),
        }
    }

    /// Runs one of the shipped queries (unbound), giving its rows to `row` one by one until it
    /// returns `false`: rows not read are never decoded.
    fn for_each_row(
        &self,
        query: NamedQuery,
        mut row: impl FnMut(QuerySolution) -> Result<bool, StoreError>,
    ) -> Result<(), StoreError> {
        let solutions = self.bound_solutions(query, &[], &[])?;
        for solution in solutions {
            if !row(solution?)? {
                break;
            }
        }
        Ok(())
    }

    /// Runs one of the shipped queries with `bindings`. The values are given as a `VALUES` block at
    /// the head of the query's `WHERE`, so that the query planner starts from them: a substituted
    /// variable is only joined in after planning, which reads the whole store (minutes at 1 M
    /// claims for one article's claims, against milliseconds).
    fn select(&self, query: NamedQuery, bindings: &[(&str, Term)]) -> Result<Vec<QuerySolution>, StoreError> {
        Ok(self.select_iter(query, bindings)?.collect::<Result<Vec<_>, _>>()?)
    }

    /// [`Store::select`], solution by solution.
    fn select_iter(
        &self,
        query: NamedQuery,
        bindings: &[(&str, Term)],
    ) -> Result<QuerySolutionIter<'static>, StoreError> {
        let (variables, values): (Vec<&str>, Vec<Term>) = bindings.iter().cloned().unzip();
        self.bound_solutions(query, &variables, &[values])
    }

    /// Runs `query` once for many rows of values of `variables` (one `VALUES` block): far cheaper
    /// than a query per row.
    fn select_rows(
        &self,
        query: NamedQuery,
        variables: &[&str],
        rows: &[Vec<Term>],
    ) -> Result<Vec<QuerySolution>, StoreError> {
        Ok(self
            .bound_solutions(query, variables, rows)?
            .collect::<Result<Vec<_>, _>>()?)
    }

    /// Every article, by name.
    pub fn articles(&self) -> Result<Vec<ArticleRow>, StoreError> {
        self.article_rows(&[])
    }

    /// The article `iri`, if the store holds it.
    pub fn article(&self, iri: &str) -> Result<Option<ArticleRow>, StoreError> {
        let Ok(node) = NamedNode::new(iri) else {
            return Ok(None);
        };
        Ok(self.article_rows(&[("article", node.into())])?.into_iter().next())
    }

    /// Rows of `articles.rq` by name; an article graph without a kept count has its attributions
    /// counted.
    fn article_rows(&self, bindings: &[(&str, Term)]) -> Result<Vec<ArticleRow>, StoreError> {
        let mut rows = self
            .select(ARTICLES, bindings)?
            .iter()
            .map(|s| {
                let claims = match (number(s, "claims"), s.get("graph")) {
                    (Some(n), _) => n,
                    (None, Some(graph)) => self
                        .select(ATTRIBUTION_COUNT, &[("graph", graph.clone())])?
                        .first()
                        .and_then(|c| number(c, "claims"))
                        .unwrap_or(0),
                    (None, None) => 0,
                };
                Ok(ArticleRow {
                    article: iri(s, "article").ok_or_else(|| missing(ARTICLES, "article"))?,
                    name: string(s, "name").unwrap_or_default(),
                    published: string(s, "published"),
                    publisher: string(s, "publisher"),
                    headline: string(s, "headline"),
                    claims,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        rows.sort_by(|a, b| (&a.name, &a.article).cmp(&(&b.name, &b.article)));
        Ok(rows)
    }

    /// The names of some stored articles (at most 20, all of a small store), sorted: for messages.
    pub fn some_article_names(&self) -> Result<Vec<String>, StoreError> {
        let mut names: Vec<String> = self
            .select(ARTICLE_NAMES, &[])?
            .iter()
            .filter_map(|s| string(s, "name"))
            .collect();
        names.sort();
        Ok(names)
    }

    /// The IRIs of the articles whose id starts with `prefix`.
    pub fn articles_with_id_prefix(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        let prefix = Literal::new_simple_literal(format!("{}{prefix}", crate::rdf::iri::ARTICLE_BASE));
        Ok(self
            .select(ARTICLE_PREFIX, &[("prefix", prefix.into())])?
            .iter()
            .filter_map(|s| iri(s, "article"))
            .collect())
    }

    /// What the store holds: counts, dates, rulesets, size.
    /// With `count_quads`, the quads are counted too: a scan of the whole store (seconds per ten
    /// million quads), so it is asked for.
    pub fn stats(&self, count_quads: bool) -> Result<StoreStats, StoreError> {
        let rows = self.select(STATS, &[])?;
        let row = rows.first().ok_or_else(|| StoreError::Unexpected {
            query: STATS.name,
            message: "no row".to_owned(),
        })?;
        let articles = number(row, "articles").unwrap_or(0);
        let mut attributions = number(row, "attributions").unwrap_or(0);
        let mut claims = number(row, "claims").unwrap_or(0);
        if number(row, "counted").unwrap_or(0) < articles {
            // Graphs written before the counts were kept: count theirs.
            if let Some(more) = self.select(UNCOUNTED, &[])?.first() {
                attributions += number(more, "attributions").unwrap_or(0);
                claims += number(more, "claims").unwrap_or(0);
            }
        }
        let rulesets = self
            .select(RULESETS, &[])?
            .iter()
            .map(|s| {
                Ok((
                    string(s, "version").ok_or_else(|| missing(RULESETS, "version"))?,
                    number(s, "articles").unwrap_or(0),
                ))
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(StoreStats {
            articles,
            attributions,
            claims,
            sources: number(row, "sources").unwrap_or(0),
            outlets: number(row, "outlets").unwrap_or(0),
            first_published: string(row, "firstPublished"),
            last_published: string(row, "lastPublished"),
            clusters: number(row, "clusters").unwrap_or(0),
            quads: if count_quads { Some(self.len()?) } else { None },
            disk_bytes: dir_size(&self.location),
            rulesets,
        })
    }

    /// Every attribution, or those of one article (its IRI), by article name, article, then claim
    /// start.
    pub fn claims(&self, article: Option<&str>) -> Result<Vec<ClaimRow>, StoreError> {
        let bindings: Vec<(&str, Term)> = article
            .map(|a| ("article", NamedNode::new_unchecked(a).into()))
            .into_iter()
            .collect();
        self.claim_rows(CLAIMS, &bindings)
    }

    /// Every attribution, one article at a time (articles by name, then IRI; an article's rows by
    /// claim start): the rows of [`Store::claims`] with `None`, in the same order, without holding
    /// them all (a million claims are gigabytes of rows) and with the first articles' at once.
    /// Articles are read [`ARTICLES_PER_QUERY`] at a time: one query per article costs a plan each and
    /// reads the store in name order, several times slower over a large store.
    pub fn claims_by_article(
        &self,
    ) -> Result<impl Iterator<Item = Result<Vec<ClaimRow>, StoreError>> + '_, StoreError> {
        let chunks: Vec<Vec<Vec<Term>>> = self
            .articles()?
            .chunks(ARTICLES_PER_QUERY)
            .map(|chunk| {
                chunk
                    .iter()
                    .map(|a| vec![NamedNode::new_unchecked(a.article.as_str()).into()])
                    .collect()
            })
            .collect();
        Ok(chunks.into_iter().flat_map(move |chunk| {
            let rows = self
                .bound_solutions(CLAIMS, &["article"], &chunk)
                .and_then(|solutions| sorted_claim_rows(CLAIMS, solutions));
            let rows = match rows {
                Ok(rows) => rows,
                Err(e) => return vec![Err(e)],
            };
            // Rows come sorted by article: each article's run becomes a batch (moved, not copied).
            let mut batches: Vec<Vec<ClaimRow>> = Vec::new();
            for row in rows {
                match batches.last_mut() {
                    Some(batch) if batch[0].article == row.article => batch.push(row),
                    _ => batches.push(vec![row]),
                }
            }
            batches.into_iter().map(Ok).collect()
        }))
    }

    /// The attribution with IRI `attr` (none or one row): an index lookup, whatever the store size.
    pub fn attribution(&self, attr: &str) -> Result<Vec<ClaimRow>, StoreError> {
        if NamedNode::new(attr).is_err() {
            return Ok(Vec::new());
        }
        self.claim_rows(CLAIM, &[("attr", NamedNode::new_unchecked(attr).into())])
    }

    /// The IRIs of the articles stored under `name`.
    pub fn articles_named(&self, name: &str) -> Result<Vec<String>, StoreError> {
        let literal = Literal::new_simple_literal(name);
        Ok(self
            .subjects(schema::IDENTIFIER, literal.as_ref().into())?
            .into_iter()
            .map(NamedNode::into_string)
            .collect())
    }

    /// How many articles the store holds (a count of catalogue quads).
    pub fn article_count(&self) -> Result<usize, StoreError> {
        self.article_count_up_to(usize::MAX)
    }

    /// How many articles the store holds, counting no further than `limit + 1`: "more than
    /// `limit`" costs the same on a store of millions.
    pub fn article_count_up_to(&self, limit: usize) -> Result<usize, StoreError> {
        let graph_type = crate::rdf::vocab::ct::ARTICLE_GRAPH.into();
        let graphs = self.inner.quads_for_pattern(
            None,
            Some(oxigraph::model::vocab::rdf::TYPE),
            Some(graph_type),
            Some(GraphNameRef::DefaultGraph),
        );
        let mut n = 0;
        for quad in graphs.take(limit.saturating_add(1)) {
            quad.map_err(|e| self.storage_error(e))?;
            n += 1;
        }
        Ok(n)
    }

    /// Rows of `claims.rq` or `claim.rq` (`query`, with the same columns) with `bindings` (returned
    /// with the rows: they are `VALUES`).
    fn claim_rows(&self, query: NamedQuery, bindings: &[(&str, Term)]) -> Result<Vec<ClaimRow>, StoreError> {
        sorted_claim_rows(query, self.select_iter(query, bindings)?)
    }

    /// The source agents behind most claims (all of them without `limit`), most claims first, then
    /// by label. The counts come from one scan; only the agents kept are then described, each by an
    /// article graph that cites it, so that a short list stays fast on a large store.
    pub fn sources(&self, limit: Option<usize>) -> Result<Vec<SourceRow>, StoreError> {
        struct Counted {
            agent: Term,
            graph: Term,
            claims: usize,
            articles: usize,
        }
        // Rows come most claims first; only those kept are read (reading a row decodes its terms,
        // the bulk of the cost for 200,000 agents): the first `limit`, and every agent tied with
        // the last of them, since ties are ordered by label, known once described.
        let mut counted: Vec<Counted> = Vec::new();
        self.for_each_row(SOURCES, |s| {
            let claims = number(&s, "claims").unwrap_or(0);
            if let Some(n) = limit
                && counted.len() >= n
                && counted.get(n - 1).is_some_and(|last| claims < last.claims)
            {
                return Ok(false);
            }
            let term = |name: &str| s.get(name).cloned().ok_or_else(|| missing(SOURCES, name));
            counted.push(Counted {
                agent: term("agent")?,
                graph: term("graph")?,
                claims,
                articles: number(&s, "articles").unwrap_or(0),
            });
            Ok(true)
        })?;
        // Descriptions, a few hundred agents a query; an agent's first row serves.
        let mut described: HashMap<Term, QuerySolution> = HashMap::new();
        for chunk in counted.chunks(500) {
            let pairs: Vec<Vec<Term>> = chunk.iter().map(|c| vec![c.agent.clone(), c.graph.clone()]).collect();
            for row in self.select_rows(SOURCE_DESCRIPTION, &["agent", "d"], &pairs)? {
                if let Some(agent) = row.get("agent") {
                    described.entry(agent.clone()).or_insert(row);
                }
            }
        }
        let mut rows: Vec<SourceRow> = counted
            .iter()
            .map(|c| {
                let d = described.get(&c.agent);
                let text = |name: &str| d.and_then(|d| string(d, name));
                SourceRow {
                    agent: match &c.agent {
                        Term::NamedNode(n) => n.as_str().to_owned(),
                        other => other.to_string(),
                    },
                    label: text("label").unwrap_or_default(),
                    name: text("name"),
                    source_type: text("sourceType"),
                    affiliation: text("affiliation"),
                    title: text("title"),
                    anonymous: text("anonymous").is_some_and(|v| v == "true"),
                    claims: c.claims,
                    articles: c.articles,
                }
            })
            .collect();
        rows.sort_by(|a, b| (b.claims, &a.label, &a.agent).cmp(&(a.claims, &b.label, &b.agent)));
        if let Some(n) = limit {
            rows.truncate(n);
        }
        Ok(rows)
    }

    /// The text of an article (its IRI).
    pub fn article_text(&self, article: &str) -> Result<Option<String>, StoreError> {
        let rows = self.select(ARTICLE_TEXT, &[("article", NamedNode::new_unchecked(article).into())])?;
        Ok(rows.first().and_then(|s| string(s, "text")))
    }

    /// The factors that fired for an attribution (its IRI).
    pub fn reasons(&self, attr: &str) -> Result<Vec<ReasonRow>, StoreError> {
        let rows = self.select(REASONS, &[("attr", NamedNode::new_unchecked(attr).into())])?;
        Ok(rows
            .iter()
            .map(|s| ReasonRow {
                id: iri(s, "factor")
                    .and_then(|f| f.rsplit('#').next().map(str::to_owned))
                    .unwrap_or_default(),
                label: string(s, "label").unwrap_or_default(),
                weight: float(s, "weight").unwrap_or(0.0),
                comment: string(s, "comment").unwrap_or_default(),
            })
            .collect())
    }

    /// The fragments of an attribution's claim (empty when contiguous).
    pub fn fragments(&self, attr: &str) -> Result<Vec<SpanRow>, StoreError> {
        let rows = self.select(FRAGMENTS, &[("attr", NamedNode::new_unchecked(attr).into())])?;
        Ok(rows
            .iter()
            .map(|s| SpanRow {
                start: number(s, "start").unwrap_or(0),
                end: number(s, "end").unwrap_or(0),
                exact: string(s, "exact").unwrap_or_default(),
            })
            .collect())
    }

    /// What is known of an attribution's source, if it has one.
    pub fn source_detail(&self, attr: &str) -> Result<Option<SourceDetail>, StoreError> {
        let rows = self.select(SOURCE_DETAIL, &[("attr", NamedNode::new_unchecked(attr).into())])?;
        let Some(first) = rows.first() else { return Ok(None) };
        let mut detail = SourceDetail {
            agent: iri(first, "agent").unwrap_or_default(),
            label: string(first, "label"),
            name: string(first, "name"),
            title: string(first, "title"),
            affiliation: string(first, "affiliation"),
            source_type: string(first, "sourceType"),
            mentions: Vec::new(),
        };
        for s in &rows {
            if let (Some(start), Some(mention)) = (number(s, "mentionStart"), string(s, "mention"))
                && !detail.mentions.iter().any(|(st, _)| *st == start)
            {
                detail.mentions.push((start, mention));
            }
        }
        Ok(Some(detail))
    }

    /// The intermediary chain of an attribution's claim.
    pub fn chain(&self, attr: &str) -> Result<Vec<HopRow>, StoreError> {
        self.chains_where(&[("attr", NamedNode::new_unchecked(attr).into())])
    }

    /// The intermediary chains of every attribution, by attribution then from the claim upward.
    pub fn chains(&self) -> Result<Vec<HopRow>, StoreError> {
        self.chains_where(&[])
    }

    fn chains_where(&self, bindings: &[(&str, Term)]) -> Result<Vec<HopRow>, StoreError> {
        let rows = self.select(CHAIN, bindings)?;
        let mut hops: Vec<HopRow> = rows
            .iter()
            .map(|s| HopRow {
                attr: iri(s, "attr").unwrap_or_default(),
                start: number(s, "mentionStart").unwrap_or(0),
                relay: iri(s, "relay").unwrap_or_default(),
                outlet: iri(s, "outlet").unwrap_or_default(),
                name: string(s, "name"),
                mention: string(s, "mention").unwrap_or_default(),
            })
            .collect();
        hops.sort_unstable_by(|a, b| {
            (&a.attr, a.start, &a.relay, &a.outlet, &a.name).cmp(&(&b.attr, b.start, &b.relay, &b.outlet, &b.name))
        });
        Ok(hops)
    }

    /// Runs one of claimtrace's own queries, with no binding, and returns its row count (for tests).
    pub fn run_named(&self, query: &NamedQuery) -> Result<usize, StoreError> {
        Ok(self.select(*query, &[])?.len())
    }

    /// The rows of one of the shipped queries (unbound) over `dataset`, written out and sorted: for
    /// the test that a catalogue query reads what it would over the union of graphs.
    pub fn named_rows_over(&self, query: &NamedQuery, dataset: Dataset) -> Result<Vec<String>, StoreError> {
        let query = NamedQuery { dataset, ..*query };
        written_rows(self.bound_solutions(query, &[], &[])?)
    }

    /// The rows of one of the shipped queries with `variable` bound to the IRI `value`, written out
    /// and sorted; `planned` runs it through Oxigraph's planner even if it is written to be run as
    /// written: for the test that both give the same rows.
    pub fn named_rows_bound(
        &self,
        query: &NamedQuery,
        variable: &str,
        value: &str,
        planned: bool,
    ) -> Result<Vec<String>, StoreError> {
        let value: Term = NamedNode::new(value)
            .map_err(|e| StoreError::Unexpected {
                query: query.name,
                message: e.to_string(),
            })?
            .into();
        let sparql = bound_sparql(*query, &[variable], &[vec![value]])?;
        let as_written = !planned && query.starts_from == Some(variable);
        written_rows(self.solutions(*query, &sparql, as_written)?)
    }

    /// Flushes writes to disk.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.inner.flush().map_err(|e| self.storage_error(e))
    }
}

/// Claim rows made from the solutions of `claims.rq` or `claim.rq` (`query`), each as it comes (so
/// a row is held once, never also as a solution), sorted by article name, article, claim start.
fn sorted_claim_rows(query: NamedQuery, solutions: QuerySolutionIter<'static>) -> Result<Vec<ClaimRow>, StoreError> {
    let mut rows = solutions
        .map(|s| {
            let s = &s?;
            let kind_name = string(s, "kind").unwrap_or_default();
            Ok(ClaimRow {
                attr: iri(s, "attr").ok_or_else(|| missing(query, "attr"))?,
                article: iri(s, "article").unwrap_or_default(),
                article_name: string(s, "name").unwrap_or_default(),
                id: string(s, "id").unwrap_or_default(),
                kind: Kind::from_rdf_local_name(&kind_name).ok_or_else(|| StoreError::Unexpected {
                    query: query.name,
                    message: format!("unknown kind {kind_name:?}"),
                })?,
                rule: string(s, "rule").unwrap_or_default(),
                confidence: float(s, "confidence").unwrap_or(0.0),
                label: string(s, "label").unwrap_or_default(),
                start: number(s, "start").unwrap_or(0),
                end: number(s, "end").unwrap_or(0),
                claim: string(s, "claim").unwrap_or_default(),
                claim_iri: iri(s, "claimNode").unwrap_or_default(),
                cue: string(s, "cue").unwrap_or_default(),
                cue_start: number(s, "cueStart"),
                source: string(s, "source"),
                source_start: number(s, "sourceStart"),
                agent: iri(s, "agent"),
                agent_name: string(s, "agentName"),
                source_type: string(s, "sourceType"),
                anonymous: string(s, "anonymous").map(|v| v == "true"),
                count: number(s, "count").and_then(|n| u32::try_from(n).ok()),
                via: string(s, "via"),
                // GROUP_CONCAT joins them in whatever order the plan met them.
                reasons: string(s, "reasons")
                    .map(|r| {
                        let mut reasons: Vec<String> = r.split_whitespace().map(str::to_owned).collect();
                        reasons.sort_unstable();
                        reasons
                    })
                    .unwrap_or_default(),
            })
        })
        .collect::<Result<Vec<ClaimRow>, StoreError>>()?;
    rows.sort_unstable_by(|a, b| {
        (&a.article_name, &a.article, a.start, &a.attr).cmp(&(&b.article_name, &b.article, b.start, &b.attr))
    });
    Ok(rows)
}

/// Solutions written out (`Debug`) and sorted, for tests that compare two runs.
fn written_rows(solutions: QuerySolutionIter<'static>) -> Result<Vec<String>, StoreError> {
    let mut rows = solutions
        .map(|s| s.map(|s| format!("{s:?}")))
        .collect::<Result<Vec<_>, _>>()?;
    rows.sort();
    Ok(rows)
}

/// The bytes of the files under `dir` (0 when it is not a directory, as for a store in memory).
fn dir_size(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            match entry.metadata() {
                Ok(meta) if meta.is_dir() => stack.push(entry.path()),
                Ok(meta) => total += meta.len(),
                Err(_) => {}
            }
        }
    }
    total
}

fn is_article_owned(q: &Quad, article: &NamedNode, graph: &NamedNode) -> bool {
    match &q.graph_name {
        oxigraph::model::GraphName::NamedNode(g) => g == graph,
        oxigraph::model::GraphName::DefaultGraph => {
            matches!(&q.subject, oxigraph::model::NamedOrBlankNode::NamedNode(s) if s == article || s == graph)
        }
        _ => false,
    }
}

fn storage(path: &Path, source: oxigraph::store::StorageError) -> StoreError {
    StoreError::Storage {
        path: path.to_path_buf(),
        source,
    }
}

fn missing(query: NamedQuery, variable: &str) -> StoreError {
    StoreError::Unexpected {
        query: query.name,
        message: format!("?{variable} is unbound"),
    }
}

/// The text of `query` with a `VALUES` block for `variables` at the head of its `WHERE` (the query
/// itself when no variable is bound).
fn bound_sparql(
    query: NamedQuery,
    variables: &[&str],
    rows: &[Vec<Term>],
) -> Result<std::borrow::Cow<'static, str>, StoreError> {
    let unexpected = |message: String| StoreError::Unexpected {
        query: query.name,
        message,
    };
    let sparql = if variables.is_empty() {
        std::borrow::Cow::Borrowed(query.sparql)
    } else {
        let at = query
            .sparql
            .find("WHERE {")
            .ok_or_else(|| unexpected("no WHERE to bind values in".to_owned()))?
            + "WHERE {".len();
        let mut values = String::from(" VALUES (");
        for name in variables {
            let variable = Variable::new(*name).map_err(|e| unexpected(e.to_string()))?;
            values.push_str(&format!("{variable} "));
        }
        values.push_str(") {");
        for row in rows {
            values.push_str(" (");
            for term in row {
                values.push_str(&format!("{term} "));
            }
            values.push(')');
        }
        values.push_str(" } ");
        std::borrow::Cow::Owned(format!("{}{values}{}", &query.sparql[..at], &query.sparql[at..]))
    };
    Ok(sparql)
}

fn string(s: &QuerySolution, name: &str) -> Option<String> {
    match s.get(name)? {
        Term::Literal(l) => Some(l.value().to_owned()),
        Term::NamedNode(n) => Some(n.as_str().to_owned()),
        _ => None,
    }
}

fn iri(s: &QuerySolution, name: &str) -> Option<String> {
    match s.get(name)? {
        Term::NamedNode(n) => Some(n.as_str().to_owned()),
        _ => None,
    }
}

fn number(s: &QuerySolution, name: &str) -> Option<usize> {
    string(s, name)?.parse().ok()
}

fn float(s: &QuerySolution, name: &str) -> Option<f64> {
    string(s, name)?.parse().ok()
}
