//! `claimtrace claims`: attributed claims, with filters.

use super::{Outcome, StoreArgs, format_parser};
use anyhow::Result;
use claimtrace::report::{ClaimsWriter, ListFormat};
use claimtrace::store::{ClaimRow, Store};
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct ClaimsArgs {
    /// Only claims of this article (its name, IRI, or id prefix)
    #[arg(long, value_name = "ARTICLE")]
    article: Option<String>,
    /// Only claims whose source mention or name contains this text (case-insensitive)
    #[arg(long, value_name = "TEXT")]
    source: Option<String>,
    /// Only claims from anonymous sources
    #[arg(long)]
    anonymous: bool,
    /// Only claims of this kind
    #[arg(long, value_parser = ["direct", "indirect", "mixed", "according-to", "unattributed"])]
    kind: Option<String>,
    /// Output format
    #[arg(long, short, default_value = "table", value_parser = format_parser!(ListFormat))]
    format: ListFormat,
    #[command(flatten)]
    store: StoreArgs,
}

pub fn run(args: ClaimsArgs, out: &mut dyn Write) -> Result<Outcome> {
    let store = Store::open_read_only(&args.store.dir())?;
    let article = match &args.article {
        Some(a) => Some(super::report::resolve_article(&store, a)?.article),
        None => None,
    };
    let needle = args.source.as_ref().map(|s| s.to_lowercase());
    let keep = |r: &ClaimRow| {
        (!args.anonymous || r.anonymous == Some(true))
            && args.kind.as_deref().is_none_or(|k| r.kind.as_str() == k)
            && needle.as_ref().is_none_or(|n| {
                r.source.as_ref().is_some_and(|s| s.to_lowercase().contains(n))
                    || r.agent_name.as_ref().is_some_and(|s| s.to_lowercase().contains(n))
            })
    };
    // The whole store is listed article by article: rows are written as they come, and only the
    // articles of one store query (a few hundred) are held.
    let batches: Box<dyn Iterator<Item = Result<Vec<ClaimRow>, _>>> = match &article {
        Some(article) => Box::new(std::iter::once(store.claims(Some(article)))),
        None => Box::new(store.claims_by_article()?),
    };
    let mut writer = ClaimsWriter::new(args.format);
    for batch in batches {
        let rows: Vec<ClaimRow> = batch?.into_iter().filter(|r| keep(r)).collect();
        writer.write(out, &rows)?;
    }
    let written = writer.rows();
    writer.finish(out)?;
    Ok(if written == 0 { Outcome::Partial } else { Outcome::Done })
}
