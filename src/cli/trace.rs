//! `claimtrace trace`: a claim back to its sources.

use super::{Outcome, StoreArgs, format_parser, note};
use anyhow::Result;
use claimtrace::report::{TraceFormat, write_json, write_trace};
use claimtrace::store::Store;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct TraceArgs {
    /// The claim: an attribution or claim IRI, an id (`E3`, `article.txt#E3`, `attr-…`), or text
    /// to search for in claims, sources, cues and intermediaries
    #[arg(value_name = "CLAIM")]
    claim: String,
    /// Output format
    #[arg(long, short, default_value = "text", value_parser = format_parser!(TraceFormat))]
    format: TraceFormat,
    /// Show at most this many matches of a text search
    #[arg(long, default_value_t = 10)]
    limit: usize,
    #[command(flatten)]
    store: StoreArgs,
}

pub fn run(args: TraceArgs, out: &mut dyn Write) -> Result<Outcome> {
    let store = Store::open_read_only(&args.store.dir())?;
    let rows = claimtrace::trace::find(&store, &args.claim)?;
    if rows.is_empty() {
        note(format_args!("claimtrace: no claim matches {:?}", args.claim));
        return Ok(Outcome::Partial);
    }
    if rows.len() > args.limit {
        note(format_args!(
            "claimtrace: {} claims match; showing the first {} (see --limit)",
            rows.len(),
            args.limit
        ));
    }
    let mut traces = rows
        .iter()
        .take(args.limit)
        .map(|row| claimtrace::trace::trace(&store, row))
        .collect::<Result<Vec<_>, _>>()?;
    if !claimtrace::trace::attach_across(&store, &mut traces)? {
        note(format_args!(
            "claimtrace: the store holds more than {} articles: reports in other articles are not shown \
             (run `claimtrace corroboration` for them)",
            claimtrace::trace::ACROSS_LIMIT
        ));
    }
    match args.format {
        TraceFormat::Json => write_json(out, &traces, true)?,
        _ => {
            for (i, t) in traces.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                write_trace(out, t, args.format)?;
            }
        }
    }
    Ok(Outcome::Done)
}
