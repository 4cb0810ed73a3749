//! `claimtrace extract`: extraction to RDF or JSON Lines, without a store.

use super::{Outcome, format_parser, note};
use anyhow::Result;
use claimtrace::error::line_col;
use claimtrace::read::read_inputs;
use claimtrace::report::{ExtractFormat, JsonDocument, rdf_format, write_json, write_quads};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// Files or directories to read (`-` for standard input)
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output format: RDF (turtle, trig, nquads, jsonld) or the JSON Lines evaluation contract
    #[arg(long, short, default_value = "trig", value_parser = format_parser!(ExtractFormat))]
    format: ExtractFormat,
    #[command(flatten)]
    input: super::InputArgs,
    #[command(flatten)]
    model: super::model::ModelArgs,
    /// Also print diagnostics about odd input (unclosed quotation marks …) on stderr
    #[arg(long)]
    diagnostics: bool,
}

pub fn run(args: ExtractArgs, out: &mut dyn Write) -> Result<Outcome> {
    let extractor = super::model::Extractor::new(&args.model, false)?;
    let mut failed = 0usize;
    let mut result: Result<()> = Ok(());
    let format = args.format;
    // Only RDF names the activity (hashing the model is a good part of a short run's time).
    let activity = rdf_format(format).map(|_| extractor.activity());
    // RDF of all documents is written as one dataset (one prefix block, shared catalogue quads,
    // valid JSON-LD); JSON Lines streams one line per document.
    let mut quads = std::collections::HashSet::new();
    read_inputs(&args.paths, &args.input.options(), &mut |doc| {
        if result.is_err() {
            return;
        }
        let doc = match doc {
            Ok(doc) => doc,
            Err(err) => {
                failed += 1;
                note(format_args!("claimtrace: {err}"));
                return;
            }
        };
        let extraction = extractor.extract(&doc.text);
        if args.diagnostics {
            for d in &extraction.diagnostics {
                let (line, col) = line_col(&doc.text, d.start);
                note(format_args!(
                    "{}:{line}:{col}: warning[{}]: {}",
                    doc.origin, d.code, d.message
                ));
            }
        }
        if let Some(activity) = &activity {
            let article = claimtrace::rdf::article_quads(&doc.name, &doc.text, &extraction, &doc.publication, activity);
            quads.extend(article.quads);
        } else {
            result = write_json(out, &JsonDocument::new(&doc.name, &doc.text, &extraction), false).map_err(Into::into);
        }
    });
    result?;
    if let Some(rdf) = rdf_format(format) {
        let quads = claimtrace::rdf::sorted(quads);
        write_quads(out, &quads, rdf)?;
    }
    Ok(if failed > 0 { Outcome::Partial } else { Outcome::Done })
}
