//! `claimtrace sources`: the sources behind the claims.

use super::{Outcome, StoreArgs, format_parser};
use anyhow::Result;
use claimtrace::report::{ListFormat, write_sources};
use claimtrace::store::Store;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct SourcesArgs {
    /// Output format
    #[arg(long, short, default_value = "table", value_parser = format_parser!(ListFormat))]
    format: ListFormat,
    /// Only the N sources behind most claims: fast on a large store, where listing every source
    /// looks each one up
    #[arg(long, value_name = "N", value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    limit: Option<usize>,
    #[command(flatten)]
    store: StoreArgs,
}

pub fn run(args: SourcesArgs, out: &mut dyn Write) -> Result<Outcome> {
    let store = Store::open_read_only(&args.store.dir())?;
    let rows = store.sources(args.limit)?;
    write_sources(out, &rows, args.format)?;
    Ok(if rows.is_empty() {
        Outcome::Partial
    } else {
        Outcome::Done
    })
}
