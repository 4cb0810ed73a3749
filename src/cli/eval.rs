//! `claimtrace eval`: precision, recall and F1 of extraction against annotated documents, with the
//! reference scorer's definitions.

use super::model::{Extractor, ModelArgs};
use super::{Outcome, format_parser};
use anyhow::{Context, Result};
use claimtrace::eval::{DocMatch, EvalDoc, Split, breakdown, read_documents, score_with_details};
use claimtrace::report::{JsonDocument, ListFormat, write_errors, write_eval_table, write_json, write_kind_table};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Annotated documents: JSON Lines `{"id", "text", "attributions": [...]}` (PolNeAR schema)
    #[arg(long, value_name = "GOLD.jsonl")]
    gold: PathBuf,
    /// Predictions to score (same schema, text not needed); by default claimtrace extracts from
    /// each gold document's text
    #[arg(long, value_name = "PRED.jsonl")]
    pred: Option<PathBuf>,
    /// Score only part of the gold: a fixed 80/20 split by a hash of the document id
    #[arg(long, default_value = "all", value_parser = ["all", "train", "dev"])]
    split: String,
    /// Output format (`table` is the reference scorer's table)
    #[arg(long, short, default_value = "table", value_parser = format_parser!(ListFormat))]
    format: ListFormat,
    /// Also score whole attributions per kind (direct, indirect, mixed, according-to, unattributed)
    #[arg(long)]
    by_kind: bool,
    /// Also list this many missed and this many spurious attributions, with offsets and context
    #[arg(long, value_name = "N", default_value_t = 0)]
    errors: usize,
    /// IoU threshold of partial matches
    #[arg(long, default_value_t = 0.5)]
    iou: f64,
    #[command(flatten)]
    model: ModelArgs,
    /// With a model: score the tagger alone, the rules serving only as its features
    #[arg(long)]
    tagger_only: bool,
    /// Also write the predictions made (JSON Lines, the schema `--pred` reads) to this file
    #[arg(long, value_name = "PRED.jsonl", conflicts_with = "pred")]
    save_pred: Option<PathBuf>,
}

#[derive(Serialize)]
struct JsonOut<'a> {
    #[serde(flatten)]
    report: &'a claimtrace::eval::Report,
    #[serde(skip_serializing_if = "Option::is_none")]
    by_kind: Option<Vec<breakdown::KindRow>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    missed: Option<Vec<breakdown::ErrorItem>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    spurious: Option<Vec<breakdown::ErrorItem>>,
}

pub(super) fn split(name: &str) -> Split {
    match name {
        "train" => Split::Train,
        "dev" => Split::Dev,
        _ => Split::All,
    }
}

pub fn run(args: EvalArgs, out: &mut dyn Write) -> Result<Outcome> {
    let part = split(&args.split);
    let gold: Vec<EvalDoc> = read_documents(&args.gold, "gold")?
        .into_iter()
        .filter(|d| part.contains(&d.id))
        .collect();
    let pred: Vec<EvalDoc> = match &args.pred {
        Some(path) => read_documents(path, "pred")?,
        None => {
            let extractor = Extractor::new(&args.model, args.tagger_only)?;
            let predicted: Vec<serde_json::Value> =
                gold.iter().map(|d| predict(&extractor, d)).collect::<Result<_>>()?;
            if let Some(path) = &args.save_pred {
                save(path, &predicted)?;
            }
            predicted
                .into_iter()
                .map(|json| EvalDoc::from_json(json).context("building a prediction document"))
                .collect::<Result<_>>()?
        }
    };
    let mut details: Vec<DocMatch> = Vec::new();
    let report = score_with_details(&gold, &pred, args.iou, Some(&mut details))?;
    let by_kind = args.by_kind.then(|| breakdown::by_kind(&details));
    let (missed, spurious) = breakdown::errors(&details, args.errors);
    match args.format {
        ListFormat::Json => {
            let listed = args.errors > 0;
            let json = JsonOut {
                report: &report,
                by_kind,
                missed: listed.then_some(missed),
                spurious: listed.then_some(spurious),
            };
            write_json(out, &json, true)?;
        }
        _ => {
            write_eval_table(out, &report)?;
            if let Some(rows) = &by_kind {
                writeln!(out)?;
                write_kind_table(out, rows)?;
            }
            if args.errors > 0 {
                write_errors(out, &missed, &spurious)?;
            }
        }
    }
    Ok(Outcome::Done)
}

/// Writes predictions as JSON Lines.
fn save(path: &std::path::Path, predicted: &[serde_json::Value]) -> Result<()> {
    let mut file =
        std::io::BufWriter::new(std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?);
    for doc in predicted {
        serde_json::to_writer(&mut file, doc)?;
        file.write_all(b"\n")?;
    }
    file.flush().with_context(|| format!("writing {}", path.display()))
}

/// Extracts from one gold document's text, as a prediction document (JSON).
fn predict(extractor: &Extractor, doc: &EvalDoc) -> Result<serde_json::Value> {
    let text = doc
        .text
        .as_deref()
        .with_context(|| format!("gold document {:?} has no \"text\"", doc.id))?;
    let extraction = extractor.extract(text);
    Ok(serde_json::to_value(JsonDocument::new(&doc.id, text, &extraction))?)
}
