//! `claimtrace optimize`: compacts the store.

use super::{Outcome, StoreArgs, note};
use anyhow::{Context, Result, bail};
use claimtrace::store::Store;
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct OptimizeArgs {
    #[command(flatten)]
    store: StoreArgs,
}

pub fn run(args: OptimizeArgs) -> Result<Outcome> {
    let dir = args.store.dir();
    // RocksDB's CURRENT file marks a store; anything else is not compacted into one.
    if !dir.join("CURRENT").is_file() {
        bail!("no store at {}", dir.display());
    }
    let store = Store::open(&dir).with_context(|| format!("opening the store at {}", dir.display()))?;
    let started = Instant::now();
    store
        .optimize()
        .with_context(|| format!("compacting the store at {}", dir.display()))?;
    note(format_args!(
        "compacted {} in {:.1} s",
        dir.display(),
        started.elapsed().as_secs_f64()
    ));
    Ok(Outcome::Done)
}
