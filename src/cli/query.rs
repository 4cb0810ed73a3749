//! `claimtrace query`: SPARQL over the store.

use super::{Outcome, StoreArgs, format_parser};
use anyhow::{Context, Result, bail};
use claimtrace::report::{QueryFormat, write_query_results};
use claimtrace::store::Store;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct QueryArgs {
    /// The SPARQL query (or use --file)
    #[arg(value_name = "SPARQL", required_unless_present = "file", conflicts_with = "file")]
    sparql: Option<String>,
    /// Read the query from a file (`.rq`)
    #[arg(long, value_name = "Q.rq")]
    file: Option<PathBuf>,
    /// Result format
    #[arg(long, short, default_value = "table", value_parser = format_parser!(QueryFormat))]
    format: QueryFormat,
    #[command(flatten)]
    store: StoreArgs,
}

pub fn run(args: QueryArgs, out: &mut dyn Write) -> Result<Outcome> {
    let sparql = match (&args.sparql, &args.file) {
        (Some(q), _) => q.clone(),
        (None, Some(path)) => std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?,
        (None, None) => bail!("give a query or --file"),
    };
    let dir = args.store.dir();
    let store = Store::open_read_only(&dir)?;
    let results = store.query(&sparql)?;
    let count = write_query_results(out, results, args.format)?;
    Ok(if count == 0 { Outcome::Partial } else { Outcome::Done })
}
