//! `claimtrace corroboration`: every claim cluster of the store, across articles.

use super::{Outcome, StoreArgs, format_parser, note};
use anyhow::{Context, Result};
use claimtrace::corroborate::{Input, corroborate};
use claimtrace::rdf::iri::CORROBORATION_GRAPH;
use claimtrace::report::corroboration_quads;
use claimtrace::report::{CorroborationFormat, write_corroboration};
use claimtrace::store::Store;
use std::io::Write;

const AFTER_HELP: &str = "\
Mentions of one proposition across the store's articles form a claim cluster, whatever the
wording; a number, date, place or polarity that differs keeps look-alikes apart. For each cluster:
its root sources (where each reporting chain starts), how many are independent, whether several
reports lean on one upstream report (circular reporting), who denied it, and a Subjective Logic
confidence with every step that made it.

Examples:
  claimtrace ingest samples/xdoc/*.txt --store /tmp/xdoc
  claimtrace corroboration --store /tmp/xdoc
  claimtrace corroboration --store /tmp/xdoc --format json > clusters.json
  claimtrace corroboration --store /tmp/xdoc --min-mentions 2 --format md
  claimtrace corroboration --store /tmp/xdoc --save > /dev/null   # then SPARQL: ontology/queries/";

#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct CorroborationArgs {
    /// Output format: text, md, json (an array of clusters), dot or svg (Graphviz drawings), trig
    /// or nquads (the graph --save stores)
    #[arg(long, short, default_value = "text", value_parser = format_parser!(CorroborationFormat))]
    format: CorroborationFormat,
    /// Only clusters with at least this many mentions
    #[arg(long, default_value_t = 1, value_name = "N")]
    min_mentions: usize,
    /// Also store every cluster in the graph <https://w3id.org/claimtrace/id/corroboration>
    /// (replaced each time), for SPARQL: see ontology/queries/
    #[arg(long)]
    save: bool,
    #[command(flatten)]
    store: StoreArgs,
}

pub fn run(args: CorroborationArgs, out: &mut dyn Write) -> Result<Outcome> {
    let dir = args.store.dir();
    let store = if args.save {
        Store::open(&dir)
    } else {
        Store::open_read_only(&dir)
    }
    .with_context(|| format!("opening the store at {}", dir.display()))?;
    let mut result = corroborate(&Input::from_store(&store)?);
    if args.save {
        let n = store.replace_graph(CORROBORATION_GRAPH, &corroboration_quads(&result))?;
        store.flush()?;
        note(format_args!(
            "saved {} clusters ({n} quads) in graph <{CORROBORATION_GRAPH}>",
            result.clusters.len()
        ));
    }
    result.clusters.retain(|c| c.mentions.len() >= args.min_mentions);
    if args.format == CorroborationFormat::Svg {
        let mut dot_source = Vec::new();
        write_corroboration(&mut dot_source, &result, CorroborationFormat::Dot)?;
        out.write_all(&super::report::render_svg(&dot_source)?)?;
    } else {
        write_corroboration(out, &result, args.format)?;
    }
    Ok(if result.clusters.is_empty() {
        Outcome::Partial
    } else {
        Outcome::Done
    })
}
