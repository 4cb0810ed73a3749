//! `claimtrace ingest`: extraction into the store, streaming, on every core, resumable.
//!
//! A reader thread streams documents into a bounded channel; the main thread takes them in batches,
//! asks the store what it already holds of each (by the hash of the text and the name, before any
//! extraction), extracts the rest in parallel (rayon), and writes them: new articles of a large batch
//! with Oxigraph's bulk loader (all or none), the others one transaction each. Every document is
//! therefore in the store whole or not at all, so running the same command again after a crash
//! (even `kill -9`) finishes the job: documents already in the store are skipped without being
//! extracted, and none is written twice. Memory holds a few batches, whatever the input size.

use super::{InputArgs, Outcome, StoreArgs, note};
use anyhow::{Context, Result};
use claimtrace::error::ReadError;
use claimtrace::extract::Extraction;
use claimtrace::model::DocId;
use claimtrace::rdf::{Activity, ArticleQuads};
use claimtrace::read::{Document, Inputs, ReadOptions};
use claimtrace::store::{IngestOutcome, Known, Store};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use oxigraph::model::NamedNode;
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError, sync_channel};
use std::time::{Duration, Instant};

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Resuming: each document is written whole or not at all, under the hash of its text. Run the same
command again after an interruption (Ctrl-C, a crash, kill -9): documents already in the store are
skipped without being extracted, and the rest are added.

Changed documents: a document whose name is in the store with another text is kept as stored and
reported; --force replaces the stored version. Text already stored under another name (a copy) is
skipped. Text stored by an older version of claimtrace is extracted again and replaced.

Exit codes: 0 every document ingested (or already there), 1 some documents failed (each is listed
on stderr with its path and position; the others were ingested), 2 usage or store error.")]
pub struct IngestArgs {
    /// Files or directories (walked recursively for .txt, .text, .md, .jsonl, .ndjson, .html,
    /// .htm, .warc, each also .gz) or `-` for stdin
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    model: super::model::ModelArgs,
    /// Replace stored documents whose text has changed (by default they are kept and reported)
    #[arg(long)]
    force: bool,
    /// Extraction threads (default: every core)
    #[arg(long, short, value_name = "N")]
    jobs: Option<usize>,
    /// No progress bar and no summary line (the bar is also off when stderr is not a terminal)
    #[arg(long, short)]
    quiet: bool,
}

/// What an ingest did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tally {
    /// Documents new to the store.
    pub added: usize,
    /// Documents extracted again and replaced (older ruleset, or changed with `--force`).
    pub replaced: usize,
    /// Documents already in the store as they are.
    pub unchanged: usize,
    /// Documents whose text is already stored under another name.
    pub duplicates: usize,
    /// Documents whose stored version has another text, kept (without `--force`).
    pub changed: usize,
    /// Documents or inputs that could not be read.
    pub failed: usize,
    /// Attributions written.
    pub attributions: usize,
    /// Distinct claims (attributed contents) written.
    pub claims: usize,
    /// Bytes of text read.
    pub bytes: u64,
}

impl Tally {
    fn documents(&self) -> usize {
        self.added + self.replaced + self.unchanged + self.duplicates + self.changed
    }

    fn count(&mut self, outcome: IngestOutcome, found: Found) {
        match outcome {
            IngestOutcome::Added => self.added += 1,
            IngestOutcome::Replaced => self.replaced += 1,
            IngestOutcome::Unchanged => self.unchanged += 1,
        }
        self.attributions += found.attributions;
        self.claims += found.claims;
    }
}

/// Documents taken from the channel at a time (and extracted in parallel).
const BATCH_DOCUMENTS: usize = 256;
/// Text taken from the channel at a time, at most (a batch ends at the document that crosses it).
const BATCH_BYTES: u64 = 32 << 20;
/// New articles in a batch from which the bulk loader is used instead of one transaction each.
const BULK_FROM: usize = 32;

pub fn run(args: IngestArgs) -> Result<Outcome> {
    let extractor = super::model::Extractor::new(&args.model, false)?;
    let dir = args.store.dir();
    let store = Store::open(&dir).with_context(|| format!("opening the store at {}", dir.display()))?;
    let started = Instant::now();
    let inputs = Inputs::collect(&args.paths);
    let counter = Arc::new(AtomicU64::new(0));
    let progress = progress_bar(inputs.total_bytes(), args.quiet);
    let mut options = args.input.options();
    options.progress = Some(Arc::clone(&counter));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .context("starting the extraction threads")?;
    let activity = extractor.activity();
    let settings = Settings {
        force: args.force,
        activity: &activity,
        progress: &progress,
        counter: &counter,
    };
    let tally = pool.install(|| ingest_inputs(&store, &extractor, inputs, options, &settings))?;
    progress.finish_and_clear();
    if !args.quiet {
        let seconds = started.elapsed().as_secs_f64();
        note(format_args!(
            "ingested {} documents ({} added, {} replaced, {} unchanged, {} duplicates, {} changed and kept), \
             {} attributions, {} claims, {} failed, in {seconds:.2} s ({:.2} MB/s); store {}",
            tally.documents(),
            tally.added,
            tally.replaced,
            tally.unchanged,
            tally.duplicates,
            tally.changed,
            tally.attributions,
            tally.claims,
            tally.failed,
            tally.bytes as f64 / 1e6 / seconds.max(1e-9),
            dir.display()
        ));
        if tally.changed > 0 {
            note(format_args!(
                "note: {} documents changed since they were ingested and were kept as stored; --force replaces them",
                tally.changed
            ));
        }
    }
    Ok(if tally.failed > 0 {
        Outcome::Partial
    } else {
        Outcome::Done
    })
}

/// A progress bar on stderr when it is a terminal: bytes read of the total, speed, ETA, and counts.
fn progress_bar(total: Option<u64>, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match total {
        Some(total) => ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()).with_style(
            ProgressStyle::with_template(
                "{bar:30} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} ETA {eta}  {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        ),
        None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(
            ProgressStyle::with_template("{spinner} {binary_bytes} {binary_bytes_per_sec}  {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        ),
    };
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// What the batches share.
struct Settings<'a> {
    force: bool,
    /// What generates the graphs written (extractor, rules, layout): an article stored by
    /// another activity is outdated.
    activity: &'a Activity,
    progress: &'a ProgressBar,
    counter: &'a AtomicU64,
}

impl Settings<'_> {
    /// A line on stderr that does not tear the progress bar.
    fn note(&self, message: std::fmt::Arguments<'_>) {
        self.progress.suspend(|| note(message));
    }

    fn tick(&self, tally: &Tally) {
        self.progress.set_position(self.counter.load(Ordering::Relaxed));
        self.progress.set_message(format!(
            "{} documents, {} attributions, {} failed",
            tally.documents(),
            tally.attributions,
            tally.failed
        ));
    }
}

/// Extracts every document of `paths` into `store` (for commands that ingest as a step, such as
/// `eval-xdoc`): no progress bar, every core.
pub fn ingest_into(
    store: &Store,
    extractor: &super::model::Extractor,
    paths: &[PathBuf],
    options: ReadOptions,
) -> Result<Tally> {
    let progress = ProgressBar::hidden();
    let counter = AtomicU64::new(0);
    let activity = extractor.activity();
    let settings = Settings {
        force: false,
        activity: &activity,
        progress: &progress,
        counter: &counter,
    };
    ingest_inputs(store, extractor, Inputs::collect(paths), options, &settings)
}

fn ingest_inputs(
    store: &Store,
    extractor: &super::model::Extractor,
    inputs: Inputs,
    options: ReadOptions,
    settings: &Settings<'_>,
) -> Result<Tally> {
    let (sender, receiver) = sync_channel::<Result<Document, ReadError>>(BATCH_DOCUMENTS);
    // The reader runs ahead by at most one batch. If ingesting fails, the receiver is dropped,
    // sends fail and the reader's remaining documents go nowhere; the process then exits.
    let reader = std::thread::Builder::new()
        .name("claimtrace-read".to_owned())
        .spawn(move || {
            inputs.read(&options, &mut |doc| {
                let _ = sender.send(doc);
            });
        })
        .context("starting the reader thread")?;
    let mut tally = Tally::default();
    while let Some(batch) = next_batch(&receiver) {
        ingest_batch(store, extractor, batch, settings, &mut tally)?;
        settings.tick(&tally);
    }
    drop(receiver);
    let _ = reader.join();
    store.flush().context("flushing the store")?;
    Ok(tally)
}

/// The next batch: blocks for the first document, then takes what is ready, waiting a little
/// while the batch is too small to keep the threads busy. `None` when the input is done.
fn next_batch(receiver: &Receiver<Result<Document, ReadError>>) -> Option<Vec<Result<Document, ReadError>>> {
    let first = receiver.recv().ok()?;
    let mut bytes = text_len(&first);
    let mut batch = vec![first];
    let enough = rayon::current_num_threads() * 4;
    while batch.len() < BATCH_DOCUMENTS && bytes < BATCH_BYTES {
        let next = match receiver.try_recv() {
            Ok(doc) => doc,
            Err(TryRecvError::Disconnected) => break,
            Err(TryRecvError::Empty) if batch.len() >= enough => break,
            Err(TryRecvError::Empty) => match receiver.recv_timeout(Duration::from_millis(100)) {
                Ok(doc) => doc,
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
            },
        };
        bytes += text_len(&next);
        batch.push(next);
    }
    Some(batch)
}

fn text_len(doc: &Result<Document, ReadError>) -> u64 {
    doc.as_ref().map_or(0, |d| d.text.len() as u64)
}

/// A document to extract and write; a new article may go through the bulk loader.
struct Write {
    doc: Document,
    /// Stored versions it replaces (`--force`).
    stale: Vec<NamedNode>,
    new: bool,
}

impl Write {
    /// Extraction and the article's quads (the part that runs in parallel), with what it found.
    fn extract(&self, extractor: &super::model::Extractor, activity: &Activity) -> (ArticleQuads, Found) {
        let doc = &self.doc;
        let extraction = extractor.extract(&doc.text);
        let quads = claimtrace::rdf::article_quads(&doc.name, &doc.text, &extraction, &doc.publication, activity);
        (quads, Found::of(&extraction))
    }

    /// Writes the article in one transaction.
    fn write(&self, store: &Store, quads: &ArticleQuads) -> Result<IngestOutcome> {
        store
            .ingest_replacing(quads, &self.stale)
            .with_context(|| format!("ingesting {}", self.doc.origin))
    }
}

fn ingest_batch(
    store: &Store,
    extractor: &super::model::Extractor,
    batch: Vec<Result<Document, ReadError>>,
    settings: &Settings<'_>,
    tally: &mut Tally,
) -> Result<()> {
    let mut writes = Vec::with_capacity(batch.len());
    // Documents whose name or text repeats within the batch: decided after the rest is written.
    let mut later = Vec::new();
    let mut names = FxHashSet::default();
    let mut texts = FxHashSet::default();
    for doc in batch {
        let doc = match doc {
            Ok(doc) => doc,
            Err(err) => {
                tally.failed += 1;
                settings.note(format_args!("claimtrace: {err}"));
                continue;
            }
        };
        tally.bytes += doc.text.len() as u64;
        let id = DocId::of_text(&doc.text);
        if !names.insert(doc.name.clone()) || !texts.insert(id.clone()) {
            later.push(doc);
        } else if let Some(write) = plan(store, doc, &id, settings, tally)? {
            writes.push(write);
        }
    }
    // Extraction, in parallel, in input order.
    let extracted: Vec<(Write, ArticleQuads, Found)> = writes
        .into_par_iter()
        .map(|write| {
            let (quads, found) = write.extract(extractor, settings.activity);
            (write, quads, found)
        })
        .collect();
    let new = extracted.iter().filter(|(w, ..)| w.new).count();
    let bulk = new >= BULK_FROM;
    let (loaded, one_by_one): (Vec<_>, Vec<_>) = extracted.into_iter().partition(|(w, ..)| bulk && w.new);
    if bulk {
        let (articles, found): (Vec<_>, Vec<_>) = loaded.into_iter().map(|(_, q, f)| (q, f)).unzip();
        store
            .bulk_ingest(articles)
            .with_context(|| format!("bulk-loading {new} new documents"))?;
        for found in found {
            tally.count(IngestOutcome::Added, found);
        }
    }
    for (write, quads, found) in one_by_one {
        let outcome = write.write(store, &quads)?;
        tally.count(outcome, found);
    }
    // Repeats within the batch, one by one against what is now stored.
    for doc in later {
        let id = DocId::of_text(&doc.text);
        if let Some(write) = plan(store, doc, &id, settings, tally)? {
            let (quads, found) = write.extract(extractor, settings.activity);
            let outcome = write.write(store, &quads)?;
            tally.count(outcome, found);
        }
    }
    Ok(())
}

/// Decides from what the store holds; counts and reports the documents that need no writing.
fn plan(store: &Store, doc: Document, id: &DocId, settings: &Settings<'_>, tally: &mut Tally) -> Result<Option<Write>> {
    let known = store
        .known(&doc.name, id, &settings.activity.iri)
        .with_context(|| format!("looking up {} in the store", doc.origin))?;
    Ok(match known {
        Known::New => Some(Write {
            doc,
            stale: Vec::new(),
            new: true,
        }),
        Known::Outdated => Some(Write {
            doc,
            stale: Vec::new(),
            new: false,
        }),
        Known::Changed(stale) if settings.force => Some(Write { doc, stale, new: false }),
        Known::Changed(_) => {
            tally.changed += 1;
            settings.note(format_args!(
                "claimtrace: {}: {:?} is stored with another text; kept (--force replaces it)",
                doc.origin, doc.name
            ));
            None
        }
        Known::Current => {
            tally.unchanged += 1;
            None
        }
        Known::Duplicate(_) => {
            tally.duplicates += 1;
            None
        }
    })
}

/// What the extraction of one document found.
#[derive(Debug, Clone, Copy)]
struct Found {
    attributions: usize,
    /// Distinct claims (attributed contents).
    claims: usize,
}

impl Found {
    fn of(extraction: &Extraction) -> Found {
        let mut claims: Vec<(usize, usize)> = extraction
            .attributions
            .iter()
            .map(|a| {
                let extent = a.content.extent();
                (extent.start, extent.end)
            })
            .collect();
        claims.sort_unstable();
        claims.dedup();
        Found {
            attributions: extraction.attributions.len(),
            claims: claims.len(),
        }
    }
}
