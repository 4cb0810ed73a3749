//! The command line: clap arguments, one file per command, exit codes decided in one place.
//!
//! Exit codes: 0 done; 1 nothing found (`claims`, `sources`, `query`, `trace`, `corroboration`, `stats`) or,
//! for `ingest` and `extract`, some inputs rejected while the others were processed, or, for
//! `eval-xdoc`, some figure below `--min`; 2 usage, input, store or output error. A closed stdout
//! (`| head`) exits 0.

mod claims;
mod corroboration;
mod eval;
mod eval_xdoc;
mod extract;
mod ingest;
mod model;
mod optimize;
mod query;
mod report;
mod sources;
mod stats;
mod trace;
mod train;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

const AFTER_HELP: &str = "\
Exit codes:
  0  done
  1  nothing found (claims, sources, query, trace, corroboration, stats), some inputs were rejected (ingest, extract),
     or some figure is below --min (eval-xdoc)
  2  usage error, input error, store error, or output error

The store is Oxigraph on RocksDB, in the directory given by --store, else $CLAIMTRACE_STORE, else
$XDG_DATA_HOME/claimtrace/store (~/.local/share/claimtrace/store).

Examples:
  claimtrace ingest samples/
  claimtrace ingest crawl.warc.gz news.jsonl.gz pages/      # resumable: run it again after a crash
  claimtrace stats
  claimtrace optimize                                       # after a large ingest
  claimtrace report iran-us-talks-2026-02-04.txt --format md
  claimtrace trace \"Axios\"
  claimtrace claims --anonymous
  claimtrace extract article.txt --format trig > article.trig";

/// claimtrace: who said it, through whom it reached the page, and how much the sourcing deserves.
#[derive(Debug, Parser)]
#[command(name = "claimtrace", version, about, long_about = None, after_help = AFTER_HELP)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

/// The store directory option shared by the commands that use a store.
#[derive(Debug, clap::Args)]
pub struct StoreArgs {
    /// Store directory (Oxigraph on RocksDB); created by `ingest` when missing
    #[arg(long, env = "CLAIMTRACE_STORE", value_name = "DIR")]
    store: Option<PathBuf>,
}

impl StoreArgs {
    /// The store directory: the option, else the environment, else the user data directory.
    fn dir(&self) -> PathBuf {
        if let Some(dir) = &self.store {
            return dir.clone();
        }
        let data = std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")));
        match data {
            Some(dir) => dir.join("claimtrace").join("store"),
            None => PathBuf::from(".claimtrace-store"),
        }
    }
}

/// How input files are read, shared by `extract` and `ingest`.
#[derive(Debug, clap::Args)]
pub struct InputArgs {
    /// How to read inputs: `text` (one document per file), `jsonl` (`{"id","text"}` per line,
    /// optional `url`, `outlet`, `published`, `title`), `html` (a page's article and metadata) or
    /// `warc` (every HTML page of a crawl); by default by extension (.jsonl/.ndjson, .html/.htm,
    /// .warc; anything else is text). Gzip is decompressed whatever the name.
    #[arg(long, value_name = "FORMAT", value_parser = claimtrace::read::InputFormat::NAMES)]
    input_format: Option<String>,
    /// Read invalid UTF-8 as U+FFFD instead of rejecting the document
    #[arg(long)]
    lossy: bool,
    /// Skip (and report) documents larger than this many MiB: a text file, an HTML page, a JSON
    /// line, a WARC record
    #[arg(long, value_name = "MIB", default_value_t = 16)]
    max_document_size: usize,
}

impl InputArgs {
    /// The reading options these flags ask for.
    fn options(&self) -> claimtrace::read::ReadOptions {
        claimtrace::read::ReadOptions {
            format: self
                .input_format
                .as_deref()
                .and_then(claimtrace::read::InputFormat::from_name),
            lossy: self.lossy,
            progress: None,
            max_document_bytes: Some(self.max_document_size.saturating_mul(1 << 20)),
        }
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Extract attributions from files and write RDF or JSON Lines, without a store
    Extract(extract::ExtractArgs),
    /// Extract attributions from files, directories or stdin into the store
    Ingest(ingest::IngestArgs),
    /// Run a SPARQL query over the store (all graphs merged)
    Query(query::QueryArgs),
    /// List attributed claims, with filters
    Claims(claims::ClaimsArgs),
    /// List the sources behind the claims
    Sources(sources::SourcesArgs),
    /// What the store holds: articles, attributions, claims, sources, dates, rulesets, size
    Stats(stats::StatsArgs),
    /// Compact the store (RocksDB's full compaction) after large ingests: lookups then read far
    /// fewer files. Takes time in proportion to the store (minutes for millions of claims)
    Optimize(optimize::OptimizeArgs),
    /// Trace a claim back to its sources, with a confidence and the reasons for it
    Trace(trace::TraceArgs),
    /// Provenance report of one article: every claim, its sources, chain and confidence
    Report(report::ReportArgs),
    /// Claims across articles: clusters, root sources, circular reporting, denials, confidence
    Corroboration(corroboration::CorroborationArgs),
    /// Score extraction against annotated documents (P/R/F1 for source, cue, content, attribution)
    Eval(eval::EvalArgs),
    /// Score cross-article corroboration against a gold.json (clusters, roots, circular, denials, order)
    EvalXdoc(eval_xdoc::EvalXdocArgs),
    /// Train the attribution tagger from annotated documents
    Train(train::TrainArgs),
}

/// What a command found, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done.
    Done,
    /// Nothing found, or some inputs rejected.
    Partial,
}

/// Parses the arguments, runs the command and maps the result to an exit code.
pub fn main() -> ExitCode {
    let args = Args::parse();
    match run(args) {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Partial) => ExitCode::from(1),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let _ = writeln!(std::io::stderr(), "claimtrace: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Args) -> Result<Outcome> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let outcome = match args.command {
        Command::Extract(a) => extract::run(a, &mut out),
        Command::Ingest(a) => ingest::run(a),
        Command::Query(a) => query::run(a, &mut out),
        Command::Claims(a) => claims::run(a, &mut out),
        Command::Sources(a) => sources::run(a, &mut out),
        Command::Stats(a) => stats::run(a, &mut out),
        Command::Optimize(a) => optimize::run(a),
        Command::Trace(a) => trace::run(a, &mut out),
        Command::Report(a) => report::run(a, &mut out),
        Command::Corroboration(a) => corroboration::run(a, &mut out),
        Command::Eval(a) => eval::run(a, &mut out),
        Command::EvalXdoc(a) => eval_xdoc::run(a, &mut out),
        Command::Train(a) => train::run(a),
    }?;
    out.flush()?;
    Ok(outcome)
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || cause.to_string().contains("Broken pipe")
    })
}

/// A clap value parser for one of the report module's formats.
macro_rules! format_parser {
    ($format:ty) => {
        clap::builder::TypedValueParser::try_map(
            clap::builder::PossibleValuesParser::new(<$format>::NAMES),
            |name: String| <$format>::from_name(&name).ok_or("unknown format"),
        )
    };
}
pub(crate) use format_parser;

/// Writes a line on stderr (diagnostics, summaries). Errors writing to stderr are ignored: there
/// is nowhere left to report them.
pub(crate) fn note(message: std::fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stderr(), "{message}");
}
