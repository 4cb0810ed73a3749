//! `claimtrace ingest`: extraction into the store, one transaction per document.

use super::extract::input_format;
use super::{Outcome, StoreArgs, note};
use anyhow::{Context, Result};
use claimtrace::read::read_inputs;
use claimtrace::store::{IngestOutcome, Store};
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct IngestArgs {
    /// Files or directories (walked recursively for .txt, .text, .md, .jsonl) or `-` for stdin
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    store: StoreArgs,
    /// How to read inputs: `text` or `jsonl`; by default chosen by extension
    #[arg(long, value_name = "FORMAT", value_parser = ["text", "jsonl"])]
    input_format: Option<String>,
    #[command(flatten)]
    model: super::model::ModelArgs,
    /// Print no summary line
    #[arg(long, short)]
    quiet: bool,
}

/// What an ingest did.
#[derive(Debug, Default)]
pub struct Tally {
    pub added: usize,
    pub replaced: usize,
    pub unchanged: usize,
    pub failed: usize,
    pub attributions: usize,
}

pub fn run(args: IngestArgs) -> Result<Outcome> {
    let extractor = super::model::Extractor::new(&args.model.model, false)?;
    let dir = args.store.dir();
    let store = Store::open(&dir).with_context(|| format!("opening the store at {}", dir.display()))?;
    let started = Instant::now();
    let tally = ingest_into(
        &store,
        &extractor,
        &args.paths,
        input_format(args.input_format.as_deref()),
    )?;
    if !args.quiet {
        note(format_args!(
            "ingested {} documents ({} added, {} replaced, {} unchanged), {} attributions, {} failed, in {:.2} s; store {}",
            tally.added + tally.replaced + tally.unchanged,
            tally.added,
            tally.replaced,
            tally.unchanged,
            tally.attributions,
            tally.failed,
            started.elapsed().as_secs_f64(),
            dir.display()
        ));
    }
    Ok(if tally.failed > 0 {
        Outcome::Partial
    } else {
        Outcome::Done
    })
}

/// Extracts every document of `paths` into `store`, one transaction each. A document that cannot
/// be read is reported on stderr and counted; a store error stops the batch.
pub fn ingest_into(
    store: &Store,
    extractor: &super::model::Extractor,
    paths: &[PathBuf],
    format: Option<claimtrace::read::InputFormat>,
) -> Result<Tally> {
    let mut tally = Tally::default();
    let mut fatal: Option<anyhow::Error> = None;
    read_inputs(paths, format, &mut |doc| {
        if fatal.is_some() {
            return;
        }
        let doc = match doc {
            Ok(doc) => doc,
            Err(err) => {
                tally.failed += 1;
                note(format_args!("claimtrace: {err}"));
                return;
            }
        };
        let extraction = extractor.extract(&doc.text);
        let quads = claimtrace::rdf::article_quads(&doc.name, &doc.text, &extraction, &doc.publication);
        match store.ingest(&quads) {
            Ok(outcome) => {
                tally.attributions += extraction.attributions.len();
                match outcome {
                    IngestOutcome::Added => tally.added += 1,
                    IngestOutcome::Replaced => tally.replaced += 1,
                    IngestOutcome::Unchanged => tally.unchanged += 1,
                }
            }
            // A store error is not the document's fault: stop, the store stays as it was.
            Err(err) => fatal = Some(anyhow::Error::new(err).context(format!("ingesting {}", doc.origin))),
        }
    });
    if let Some(err) = fatal {
        return Err(err);
    }
    store.flush().context("flushing the store")?;
    Ok(tally)
}
