//! `claimtrace train`: trains the tagger from annotated documents and writes the model file.

use super::{Outcome, note};
use anyhow::{Context, Result, bail};
use claimtrace::extract::tagger::train::SilverToken;
use claimtrace::extract::tagger::train::{TrainOptions, TrainingDoc, train};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct TrainArgs {
    /// Annotated documents: JSON Lines `{"id", "text", "attributions": [...]}` (PolNeAR schema)
    #[arg(long, value_name = "TRAIN.jsonl")]
    gold: PathBuf,
    /// Where to write the model
    #[arg(long, value_name = "MODEL")]
    out: PathBuf,
    /// Train on part of the file only: the fixed 80/20 split by a hash of the document id
    /// (`train` keeps the `dev` part unseen for `claimtrace eval --split dev`)
    #[arg(long, default_value = "all", value_parser = ["all", "train", "dev"])]
    split: String,
    /// Shuffling seed: the same data, options and seed give the same model, byte for byte
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Passes over the data
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u16).range(1..))]
    epochs: u16,
    /// Size of each weight table: 2^BITS rows (fewer bits, a smaller and faster model, more
    /// feature collisions)
    #[arg(long, default_value_t = claimtrace::extract::tagger::train::TrainOptions::default().cue_bits,
          value_parser = clap::value_parser!(u32).range(10..=24))]
    bits: u32,
    /// Use only the first N documents (after the split), for quick checks
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// A statistical parser's reading of the training texts, for the model's part-of-speech and
    /// dependency layers: JSON Lines `{"id", "tokens": [[first char, penn tag, head, relation],
    /// ...]}` (head: the index of the head token, its own for a root; head and relation may be
    /// left out, then there is no dependency layer), as `models/silver.py` writes them (`make
    /// model` does). Without it the model has neither layer and is less accurate
    #[arg(long, value_name = "SILVER.jsonl")]
    silver: Option<PathBuf>,
    /// Also train the dependency layer from the silver trees: more accurate sources, about 1.7
    /// times the extraction time (docs/accuracy.md); the shipped model (`make model`) has none
    #[arg(long, requires = "silver")]
    parser: bool,
    /// Jackknifing: the cue and role taggers learn from the part-of-speech and dependency layers'
    /// reading of each of N folds of the documents by layers trained on the other folds, as wrong
    /// as the layers will be on new text (1: no folds). Default: 5 with --parser, 1 without
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=50))]
    folds: Option<u16>,
    /// Give the model a contextual layer read from this BERT encoder (a directory with
    /// `model.safetensors`, `tokenizer.json`, `config.json`; `make encoder` unpacks
    /// all-MiniLM-L6-v2 into target/encoder/all-MiniLM-L6-v2): probes over its hidden states
    /// become features of the taggers. More accurate, a few hundred times slower to run
    /// (`make accurate-model`, docs/accuracy.md); the model then needs the same encoder to run
    #[arg(long, value_name = "DIR")]
    encoder: Option<PathBuf>,
    /// The encoder layer the contextual probes read (the middle layers describe a word in its
    /// sentence best)
    #[arg(long, value_name = "N", default_value_t = 4, requires = "encoder",
          value_parser = clap::value_parser!(u16).range(1..=48))]
    context_layer: u16,
}

/// Silver readings by document id.
fn read_silver(path: &PathBuf) -> Result<HashMap<String, Vec<SilverToken>>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = || format!("{}:{}", path.display(), n + 1);
        let value: serde_json::Value = serde_json::from_str(line).with_context(|| format!("{}: bad JSON", at()))?;
        let id = value["id"].as_str().with_context(|| format!("{}: no \"id\"", at()))?;
        let tokens = value["tokens"]
            .as_array()
            .and_then(|tokens| tokens.iter().map(silver_token).collect::<Option<Vec<SilverToken>>>())
            .with_context(|| format!("{}: \"tokens\" must be [[first char, tag, head, relation], ...]", at()))?;
        if !tokens.is_sorted_by_key(|t| t.start) {
            bail!("{}: tokens are not in text order", at());
        }
        if let Some(k) = tokens.iter().position(|t| t.head.is_some_and(|h| h >= tokens.len())) {
            bail!("{}: token {k} has a head past the last token", at());
        }
        out.insert(id.to_owned(), tokens);
    }
    Ok(out)
}

/// One token of a silver reading: `[first char, tag]` or `[first char, tag, head, relation]`.
fn silver_token(t: &serde_json::Value) -> Option<SilverToken> {
    Some(SilverToken {
        start: usize::try_from(t.get(0)?.as_u64()?).ok()?,
        tag: t.get(1)?.as_str()?.to_owned(),
        head: match t.get(2) {
            Some(h) => Some(usize::try_from(h.as_u64()?).ok()?),
            None => None,
        },
        relation: match t.get(3) {
            Some(r) => Some(r.as_str()?.to_owned()),
            None => None,
        },
    })
}

pub fn run(args: TrainArgs) -> Result<Outcome> {
    let part = super::eval::split(&args.split);
    let text = std::fs::read_to_string(&args.gold).with_context(|| format!("reading {}", args.gold.display()))?;
    let mut docs = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value =
            serde_json::from_str(line).with_context(|| format!("{}:{}: bad JSON", args.gold.display(), n + 1))?;
        let doc = TrainingDoc::from_json(&value).with_context(|| {
            format!(
                "{}:{}: a document needs an \"id\" and a \"text\"",
                args.gold.display(),
                n + 1
            )
        })?;
        if part.contains(&doc.id) {
            docs.push(doc);
        }
    }
    if let Some(limit) = args.limit {
        docs.truncate(limit);
    }
    if docs.is_empty() {
        bail!("no training document in {} (split {})", args.gold.display(), args.split);
    }
    if let Some(path) = &args.silver {
        let mut silver = read_silver(path)?;
        for doc in &mut docs {
            let tokens = silver.remove(&doc.id);
            if let Some(last) = tokens.as_ref().and_then(|t| t.last())
                && last.start >= doc.text.chars().count()
            {
                bail!(
                    "{}: the tags of {} run past its text (character {}): made from another text?",
                    path.display(),
                    doc.id,
                    last.start
                );
            }
            doc.silver = tokens;
        }
        let missing = docs.iter().filter(|d| d.silver.is_none()).count();
        if missing > 0 {
            note(format_args!(
                "{missing} of {} training documents have no silver tags in {}",
                docs.len(),
                path.display()
            ));
        }
    } else {
        note(format_args!(
            "no --silver reading: the model gets no part-of-speech or dependency layer (see `make model`)"
        ));
    }
    let name = args
        .gold
        .file_name()
        .map_or_else(|| args.gold.display().to_string(), |n| n.to_string_lossy().into_owned());
    let options = TrainOptions {
        epochs: usize::from(args.epochs),
        seed: args.seed,
        cue_bits: args.bits,
        role_bits: args.bits,
        parser: args.parser,
        folds: usize::from(args.folds.unwrap_or(if args.parser { 5 } else { 1 })),
        data: format!(
            "{name} (split {}{})",
            args.split,
            args.limit.map(|l| format!(", first {l}")).unwrap_or_default()
        ),
        ..TrainOptions::default()
    };
    let context = match &args.encoder {
        Some(dir) => {
            let encoder = super::model::load_encoder(dir)?;
            let layer = usize::from(args.context_layer);
            if layer > encoder.depth() {
                bail!(
                    "--context-layer {layer}: the encoder in {} has {} layers",
                    dir.display(),
                    encoder.depth()
                );
            }
            Some(claimtrace::extract::tagger::train::ContextOptions { encoder, layer })
        }
        None => None,
    };
    let options = TrainOptions { context, ..options };
    let started = Instant::now();
    let tagger = train(&docs, &options);
    let bytes = tagger.to_bytes();
    std::fs::write(&args.out, &bytes).with_context(|| format!("writing {}", args.out.display()))?;
    note(format_args!(
        "trained on {} documents ({} attributions; {} with part-of-speech tags, {} sentences with trees), {} epochs, in {:.1} s; wrote {} ({} bytes)",
        tagger.info.documents,
        tagger.info.attributions,
        tagger.info.pos_documents,
        tagger.info.parse_sentences,
        options.epochs,
        started.elapsed().as_secs_f64(),
        args.out.display(),
        bytes.len()
    ));
    Ok(Outcome::Done)
}
