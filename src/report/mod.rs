//! Reports: the only module that knows output formats (text, Markdown, JSON, Graphviz, RDF, SPARQL
//! results). Callers pick a format and pass a writer.

mod corroboration;
mod dot;
mod eval;
mod format;
pub mod json;
mod rdf;
mod stats;
mod table;
mod text;
mod xdoc;

pub use corroboration::{cluster_iri, corroboration_quads, write_clusters_dot, write_corroboration};
pub use dot::write_dot;
pub use eval::{write_errors, write_eval_table, write_kind_table};
pub use format::{CorroborationFormat, ExtractFormat, ListFormat, QueryFormat, ReportFormat, TraceFormat};
pub use json::{JsonDocument, JsonSpan};
pub use rdf::{rdf_format, write_quads};
pub use stats::write_stats;
pub use table::write_table;
pub use text::{write_article_markdown, write_article_text, write_trace_text};
pub use xdoc::{write_xdoc_json, write_xdoc_table};

use crate::error::ReportError;
use crate::store::{ArticleRow, ClaimRow, SourceRow};
use crate::trace::Trace;
use oxigraph::sparql::QueryResults;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use serde::Serialize;
use std::io::Write;

/// A whole article's report.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleReport {
    /// The article's name.
    pub name: String,
    /// Its IRI.
    pub iri: String,
    /// Its publication date.
    pub published: Option<String>,
    /// Every claim, traced.
    pub claims: Vec<Trace>,
}

impl ArticleReport {
    /// The report of `article` with its traced claims.
    pub fn new(article: &ArticleRow, claims: Vec<Trace>) -> ArticleReport {
        ArticleReport {
            name: article.name.clone(),
            iri: article.article.clone(),
            published: article.published.clone(),
            claims,
        }
    }
}

/// Writes one JSON value and a newline.
pub fn write_json<T: Serialize>(out: &mut dyn Write, value: &T, pretty: bool) -> Result<(), ReportError> {
    if pretty {
        serde_json::to_writer_pretty(&mut *out, value)?;
    } else {
        serde_json::to_writer(&mut *out, value)?;
    }
    writeln!(out)?;
    Ok(())
}

/// Writes an article report.
pub fn write_article(out: &mut dyn Write, report: &ArticleReport, format: ReportFormat) -> Result<(), ReportError> {
    match format {
        ReportFormat::Text => write_article_text(out, report)?,
        ReportFormat::Markdown => write_article_markdown(out, report)?,
        ReportFormat::Json => write_json(out, report, true)?,
        ReportFormat::Dot | ReportFormat::Svg => write_dot(out, report)?,
    }
    Ok(())
}

/// A claim as listed by `claims --format json`.
#[derive(Debug, Clone, Serialize)]
struct ClaimJson<'a> {
    article: &'a str,
    id: &'a str,
    attribution: &'a str,
    kind: &'static str,
    source: Option<&'a str>,
    source_name: Option<&'a str>,
    anonymous: Option<bool>,
    source_count: Option<u32>,
    intermediary: Option<&'a str>,
    cue: &'a str,
    claim: &'a str,
    start: usize,
    end: usize,
    confidence: f64,
    confidence_label: &'a str,
    reasons: &'a [String],
    rule: &'a str,
}

/// Writes claim rows.
pub fn write_claims(out: &mut dyn Write, rows: &[ClaimRow], format: ListFormat) -> Result<(), ReportError> {
    let mut writer = ClaimsWriter::new(format);
    writer.write(out, rows)?;
    writer.finish(out)
}

/// Claim rows written as they come, batch by batch, in the bytes [`write_claims`] writes for all of
/// them at once: a JSON array item by item; a table whose columns are as wide as the widest cell of
/// its first [`ClaimsWriter::TABLE_PAGE`] rows (a longer cell further down pushes its row's later
/// columns right).
#[derive(Debug)]
pub struct ClaimsWriter {
    format: ListFormat,
    /// Rows written so far.
    written: usize,
    /// Table rows held until the column widths are known.
    held: Vec<Vec<String>>,
    widths: Option<Vec<usize>>,
}

const CLAIM_COLUMNS: [&str; 7] = ["article", "id", "kind", "confidence", "source", "via", "claim"];

impl ClaimsWriter {
    /// Table rows read before the column widths are fixed.
    pub const TABLE_PAGE: usize = 1000;

    /// A writer of `format` that has written nothing yet.
    pub fn new(format: ListFormat) -> ClaimsWriter {
        ClaimsWriter {
            format,
            written: 0,
            held: Vec::new(),
            widths: None,
        }
    }

    /// Writes (or, for a table's first page, holds) `rows`.
    pub fn write(&mut self, out: &mut dyn Write, rows: &[ClaimRow]) -> Result<(), ReportError> {
        for r in rows {
            match self.format {
                ListFormat::Json => {
                    let item = serde_json::to_string_pretty(&claim_json(r))?;
                    out.write_all(if self.written == 0 { b"[\n" } else { b",\n" })?;
                    // Indented one level, as inside a pretty array (strings hold no raw newline).
                    for (k, line) in item.lines().enumerate() {
                        if k > 0 {
                            out.write_all(b"\n")?;
                        }
                        write!(out, "  {line}")?;
                    }
                }
                ListFormat::Table => {
                    let cells: Vec<String> = claim_cells(r).iter().map(|c| table::shorten(c)).collect();
                    match &self.widths {
                        Some(widths) => table::write_row(out, &cells, widths)?,
                        None => {
                            self.held.push(cells);
                            if self.held.len() >= Self::TABLE_PAGE {
                                self.write_held(out)?;
                            }
                        }
                    }
                }
            }
            self.written += 1;
        }
        Ok(())
    }

    /// Writes what is held and closes the output.
    pub fn finish(mut self, out: &mut dyn Write) -> Result<(), ReportError> {
        match self.format {
            ListFormat::Json if self.written == 0 => writeln!(out, "[]")?,
            ListFormat::Json => out.write_all(b"\n]\n")?,
            ListFormat::Table if self.widths.is_none() => self.write_held(out)?,
            ListFormat::Table => {}
        }
        Ok(())
    }

    /// How many rows have been given so far.
    pub fn rows(&self) -> usize {
        self.written
    }

    fn write_held(&mut self, out: &mut dyn Write) -> Result<(), ReportError> {
        self.widths = Some(table::write_cells(out, &CLAIM_COLUMNS, &self.held)?);
        self.held = Vec::new();
        Ok(())
    }
}

fn claim_json(r: &ClaimRow) -> ClaimJson<'_> {
    ClaimJson {
        article: &r.article_name,
        id: &r.id,
        attribution: &r.attr,
        kind: r.kind.as_str(),
        source: r.source.as_deref(),
        source_name: r.agent_name.as_deref(),
        anonymous: r.anonymous,
        source_count: r.count,
        intermediary: r.via.as_deref(),
        cue: &r.cue,
        claim: &r.claim,
        start: r.start,
        end: r.end,
        confidence: r.confidence,
        confidence_label: &r.label,
        reasons: &r.reasons,
        rule: &r.rule,
    }
}

fn claim_cells(r: &ClaimRow) -> [String; 7] {
    [
        r.article_name.clone(),
        r.id.clone(),
        r.kind.as_str().to_owned(),
        format!("{:.2} {}", r.confidence, r.label),
        r.source.clone().unwrap_or_else(|| "—".to_owned()),
        r.via.clone().unwrap_or_default(),
        r.claim.clone(),
    ]
}

/// A source as listed by `sources --format json`.
#[derive(Debug, Clone, Serialize)]
struct SourceJson<'a> {
    agent: &'a str,
    label: &'a str,
    name: Option<&'a str>,
    source_type: Option<&'a str>,
    title: Option<&'a str>,
    affiliation: Option<&'a str>,
    anonymous: bool,
    claims: usize,
    articles: usize,
}

/// Writes source rows.
pub fn write_sources(out: &mut dyn Write, rows: &[SourceRow], format: ListFormat) -> Result<(), ReportError> {
    match format {
        ListFormat::Json => {
            let items: Vec<SourceJson<'_>> = rows
                .iter()
                .map(|r| SourceJson {
                    agent: &r.agent,
                    label: &r.label,
                    name: r.name.as_deref(),
                    source_type: r.source_type.as_deref(),
                    title: r.title.as_deref(),
                    affiliation: r.affiliation.as_deref(),
                    anonymous: r.anonymous,
                    claims: r.claims,
                    articles: r.articles,
                })
                .collect();
            write_json(out, &items, true)
        }
        ListFormat::Table => {
            let table: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        r.name.clone().unwrap_or_else(|| r.label.clone()),
                        r.source_type.clone().unwrap_or_default(),
                        if r.anonymous { "yes" } else { "no" }.to_owned(),
                        r.affiliation.clone().unwrap_or_default(),
                        r.claims.to_string(),
                        r.articles.to_string(),
                    ]
                })
                .collect();
            Ok(write_table(
                out,
                &["source", "type", "anonymous", "affiliation", "claims", "articles"],
                &table,
            )?)
        }
    }
}

/// Writes a trace.
pub fn write_trace(out: &mut dyn Write, trace: &Trace, format: TraceFormat) -> Result<(), ReportError> {
    match format {
        TraceFormat::Text => Ok(write_trace_text(out, trace)?),
        TraceFormat::Json => write_json(out, trace, true),
    }
}

/// Writes SPARQL results; returns the number of solutions (or 1 for a true ASK, 0 for false) so
/// the caller can tell an empty result.
pub fn write_query_results(
    out: &mut dyn Write,
    results: QueryResults<'_>,
    format: QueryFormat,
) -> Result<usize, ReportError> {
    let sparql_error = |e: oxigraph::sparql::QueryEvaluationError| ReportError::Rdf(e.to_string());
    match results {
        QueryResults::Boolean(value) => {
            match results_format(format) {
                Some(f) => {
                    QueryResultsSerializer::from_format(f).serialize_boolean_to_writer(&mut *out, value)?;
                }
                None => writeln!(out, "{value}")?,
            }
            Ok(usize::from(value))
        }
        QueryResults::Solutions(solutions) => {
            let variables = solutions.variables().to_vec();
            let mut count = 0;
            match results_format(format) {
                Some(f) => {
                    let mut serializer =
                        QueryResultsSerializer::from_format(f).serialize_solutions_to_writer(&mut *out, variables)?;
                    for solution in solutions {
                        serializer.serialize(&solution.map_err(sparql_error)?)?;
                        count += 1;
                    }
                    serializer.finish()?;
                }
                None => {
                    let headers: Vec<String> = variables.iter().map(|v| v.as_str().to_owned()).collect();
                    let mut rows = Vec::new();
                    for solution in solutions {
                        let solution = solution.map_err(sparql_error)?;
                        rows.push(
                            variables
                                .iter()
                                .map(|v| solution.get(v).map(term_text).unwrap_or_default())
                                .collect(),
                        );
                    }
                    count = rows.len();
                    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
                    write_table(out, &header_refs, &rows)?;
                }
            }
            Ok(count)
        }
        QueryResults::Graph(triples) => {
            let mut quads = Vec::new();
            for triple in triples {
                quads.push(
                    triple
                        .map_err(sparql_error)?
                        .in_graph(oxigraph::model::GraphName::DefaultGraph),
                );
            }
            write_quads(out, &quads, oxigraph::io::RdfFormat::Turtle)?;
            Ok(quads.len())
        }
    }
}

fn results_format(format: QueryFormat) -> Option<QueryResultsFormat> {
    match format {
        QueryFormat::Table => None,
        QueryFormat::Csv => Some(QueryResultsFormat::Csv),
        QueryFormat::Tsv => Some(QueryResultsFormat::Tsv),
        QueryFormat::Json => Some(QueryResultsFormat::Json),
        QueryFormat::Xml => Some(QueryResultsFormat::Xml),
    }
}

/// A term as a table shows it: IRIs in angle brackets, literals as their value.
fn term_text(term: &oxigraph::model::Term) -> String {
    match term {
        oxigraph::model::Term::Literal(l) => l.value().to_owned(),
        other => other.to_string(),
    }
}
