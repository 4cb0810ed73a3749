//! `claimtrace train`: trains the tagger from annotated documents and writes the model file.

use super::{Outcome, note};
use anyhow::{Context, Result, bail};
use claimtrace::extract::tagger::SilverTags;
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
    /// Silver part-of-speech tags of the training texts, for the model's part-of-speech layer:
    /// JSON Lines `{"id", "tokens": [[first char, penn tag], ...]}`, as `tools/silver.py` writes
    /// them (`make model` does). Without it the model has no such layer and is less accurate
    #[arg(long, value_name = "SILVER.jsonl")]
    silver: Option<PathBuf>,
}

/// Silver tags by document id.
fn read_silver(path: &PathBuf) -> Result<HashMap<String, SilverTags>> {
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
            .and_then(|tokens| {
                tokens
                    .iter()
                    .map(|t| Some((usize::try_from(t[0].as_u64()?).ok()?, t[1].as_str()?.to_owned())))
                    .collect::<Option<SilverTags>>()
            })
            .with_context(|| format!("{}: \"tokens\" must be [[first char, tag], ...]", at()))?;
        if !tokens.is_sorted_by_key(|t| t.0) {
            bail!("{}: tokens are not in text order", at());
        }
        out.insert(id.to_owned(), tokens);
    }
    Ok(out)
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
                && last.0 >= doc.text.chars().count()
            {
                bail!(
                    "{}: the tags of {} run past its text (character {}): made from another text?",
                    path.display(),
                    doc.id,
                    last.0
                );
            }
            doc.pos = tokens;
        }
        let missing = docs.iter().filter(|d| d.pos.is_none()).count();
        if missing > 0 {
            note(format_args!(
                "{missing} of {} training documents have no silver tags in {}",
                docs.len(),
                path.display()
            ));
        }
    } else {
        note(format_args!(
            "no --silver tags: the model gets no part-of-speech layer (see `make model`)"
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
        data: format!(
            "{name} (split {}{})",
            args.split,
            args.limit.map(|l| format!(", first {l}")).unwrap_or_default()
        ),
        ..TrainOptions::default()
    };
    let started = Instant::now();
    let tagger = train(&docs, &options);
    let bytes = tagger.to_bytes();
    std::fs::write(&args.out, &bytes).with_context(|| format!("writing {}", args.out.display()))?;
    note(format_args!(
        "trained on {} documents ({} attributions; {} with part-of-speech tags), {} epochs, in {:.1} s; wrote {} ({} bytes)",
        tagger.info.documents,
        tagger.info.attributions,
        tagger.info.pos_documents,
        options.epochs,
        started.elapsed().as_secs_f64(),
        args.out.display(),
        bytes.len()
    ));
    Ok(Outcome::Done)
}
