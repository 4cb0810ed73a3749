//! `claimtrace train`: trains the tagger from annotated documents and writes the model file.

use super::{Outcome, note};
use anyhow::{Context, Result, bail};
use claimtrace::extract::tagger::train::{TrainOptions, TrainingDoc, train};
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
    };
    let started = Instant::now();
    let tagger = train(&docs, &options);
    let bytes = tagger.to_bytes();
    std::fs::write(&args.out, &bytes).with_context(|| format!("writing {}", args.out.display()))?;
    note(format_args!(
        "trained on {} documents ({} attributions), {} epochs, in {:.1} s; wrote {} ({} bytes)",
        tagger.info.documents,
        tagger.info.attributions,
        options.epochs,
        started.elapsed().as_secs_f64(),
        args.out.display(),
        bytes.len()
    ));
    Ok(Outcome::Done)
}
