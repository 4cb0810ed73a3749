//! `claimtrace stats`: what the store holds.

use super::{Outcome, StoreArgs, format_parser};
use anyhow::Result;
use claimtrace::report::{ListFormat, write_stats};
use claimtrace::store::Store;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Output format
    #[arg(long, short, default_value = "table", value_parser = format_parser!(ListFormat))]
    format: ListFormat,
    /// Also count the quads: a scan of the whole store (about a second per 4 M quads)
    #[arg(long)]
    quads: bool,
    #[command(flatten)]
    store: StoreArgs,
}

pub fn run(args: StatsArgs, out: &mut dyn Write) -> Result<Outcome> {
    let dir = args.store.dir();
    let store = Store::open_read_only(&dir)?;
    let stats = store.stats(args.quads)?;
    write_stats(out, &stats, &dir.display().to_string(), args.format)?;
    Ok(if stats.articles == 0 {
        Outcome::Partial
    } else {
        Outcome::Done
    })
}
