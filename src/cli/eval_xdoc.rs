//! `claimtrace eval-xdoc`: cross-article corroboration (claim clusters, independent roots,
//! circular reporting, denials, confidence order) scored against a gold.json, with the definitions
//! of the reference scorer `../shared/tools/score_xdoc.py`.

use super::{Outcome, format_parser};
use anyhow::{Context, Result, bail};
use claimtrace::corroborate::{Input, corroborate};
use claimtrace::eval::xdoc;
use claimtrace::read::{InputFormat, ReadOptions};
use claimtrace::report::{ListFormat, write_xdoc_json, write_xdoc_table};
use claimtrace::store::Store;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};

const AFTER_HELP: &str = "\
Figures (each must reach --min for exit code 0):
  cluster_f1      min(pairwise F1, B-cubed F1) over gold mentions; a gold mention is matched to the
                  best-overlapping predicted mention in the same article (character IoU >= 0.3)
  mention_recall  share of gold mentions matched
  separation      share of gold claims whose cluster holds no other gold claim
  independent     share of gold claims whose cluster has the right independent_root_count
  circular        F1 of the circular flag (JSON true only)
  denial          F1 of denials (a predicted denied_by must share a content word with the gold one)
  order           share of the gold confidence_order pairs that hold

Predictions: a JSON array of clusters, an object with \"clusters\", or one cluster per line:
  {\"cluster\", \"mentions\": [{\"article\", \"content\": {\"start\", \"end\", \"text\"}}],
   \"independent_root_count\", \"circular\", \"denied_by\", \"confidence\"}
Offsets are characters (Unicode scalar values); a span whose text is given and differs from the
article at those offsets is located by its text.

The table is the reference scorer's output, line for line: what went wrong, then the summary.

Exit codes: 0 every figure reaches --min; 1 some figure does not; 2 usage or input error.

Without --pred, the gold's articles are ingested into a temporary store with the extractor of
--model (the default, `fast`, gives the figure the project reports) and `corroboration` runs over
it.

Examples:
  claimtrace eval-xdoc --gold samples/xdoc/gold.json
  claimtrace eval-xdoc --gold samples/xdoc/gold.json --model rules
  claimtrace eval-xdoc --gold samples/xdoc/gold.json --pred pred.json
  claimtrace eval-xdoc --gold samples/xdoc/gold.json --pred pred.json --format json --min 0";

#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct EvalXdocArgs {
    /// The gold: `{"events": [{"claims": [...], "confidence_order": [...]}]}`, as in
    /// samples/xdoc/gold.json
    #[arg(long, value_name = "GOLD.json")]
    gold: PathBuf,
    /// Directory of the articles that the gold and the predictions name [default: the gold file's
    /// directory]
    #[arg(long, value_name = "DIR")]
    articles: Option<PathBuf>,
    /// Predicted clusters to score, as `claimtrace corroboration --format json` writes them (see
    /// below)
    #[arg(long, value_name = "PRED.json")]
    pred: Option<PathBuf>,
    #[command(flatten)]
    model: super::model::ModelArgs,
    /// Output format (`table` is the reference scorer's output)
    #[arg(long, short, default_value = "table", value_parser = format_parser!(ListFormat))]
    format: ListFormat,
    /// The floor every figure must reach for exit code 0
    #[arg(long, value_name = "FLOOR", default_value_t = 0.8)]
    min: f64,
}

pub fn run(args: EvalXdocArgs, out: &mut dyn Write) -> Result<Outcome> {
    let gold_text = xdoc::read_text(&args.gold).with_context(|| format!("reading {}", args.gold.display()))?;
    let gold: Value = serde_json::from_str(&gold_text).with_context(|| format!("{}: not JSON", args.gold.display()))?;
    let dir = match &args.articles {
        Some(dir) => dir.clone(),
        None => match args.gold.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        },
    };
    let pred = match &args.pred {
        Some(path) => {
            let raw = xdoc::read_text(path).with_context(|| format!("reading {}", path.display()))?;
            xdoc::load_pred(&raw).with_context(|| path.display().to_string())?
        }
        None => predict(&gold, &dir, &args.model)?,
    };
    let article_text = |name: &str| xdoc::read_text(&dir.join(name)).ok();
    let score = xdoc::score(&gold, &article_text, &pred).with_context(|| {
        format!(
            "scoring against {} (articles in {})",
            args.gold.display(),
            dir.display()
        )
    })?;
    match args.format {
        ListFormat::Json => write_xdoc_json(out, &score, args.min)?,
        _ => write_xdoc_table(out, &score)?,
    }
    Ok(if score.passes(args.min) {
        Outcome::Done
    } else {
        Outcome::Partial
    })
}

/// The predicted clusters when no `--pred` is given: the gold's articles are ingested with the
/// extractor `model` into a temporary store (RocksDB in a temporary directory, removed after),
/// and corroboration runs over it.
fn predict(gold: &Value, articles: &Path, model: &super::model::ModelArgs) -> Result<Vec<Value>> {
    let mut names: Vec<String> = gold
        .get("events")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|event| {
            let listed = event.get("articles").and_then(Value::as_array).into_iter().flatten();
            let mentioned = event
                .get("claims")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .flat_map(|c| c.get("mentions").and_then(Value::as_array).into_iter().flatten())
                .filter_map(|m| m.get("file"));
            listed
                .chain(mentioned)
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    names.sort();
    names.dedup();
    if names.is_empty() {
        bail!("the gold names no articles (events[].articles or mentions[].file)");
    }
    let paths: Vec<PathBuf> = names.iter().map(|n| articles.join(n)).collect();
    let dir = tempfile::Builder::new()
        .prefix("claimtrace-eval-xdoc-")
        .tempdir()
        .context("creating a temporary store directory")?;
    let store = Store::open(dir.path()).context("opening the temporary store")?;
    let extractor = super::model::Extractor::new(model, false)?;
    let tally = super::ingest::ingest_into(
        &store,
        &extractor,
        &paths,
        ReadOptions {
            format: Some(InputFormat::Text),
            ..ReadOptions::default()
        },
    )?;
    if tally.failed > 0 {
        bail!("{} of the gold's articles could not be read (see above)", tally.failed);
    }
    let result = corroborate(&Input::from_store(&store)?);
    let value = serde_json::to_value(&result.clusters).context("serialising the clusters")?;
    Ok(value.as_array().cloned().unwrap_or_default())
}
