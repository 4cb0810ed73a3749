//! `claimtrace claims`: attributed claims, with filters.

use super::{Outcome, StoreArgs, format_parser};
use anyhow::Result;
use claimtrace::report::{ListFormat, write_claims};
use claimtrace::store::Store;
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
    let rows: Vec<_> = store
        .claims(article.as_deref())?
        .into_iter()
        .filter(|r| !args.anonymous || r.anonymous == Some(true))
        .filter(|r| args.kind.as_deref().is_none_or(|k| r.kind.as_str() == k))
        .filter(|r| {
            needle.as_ref().is_none_or(|n| {
                r.source.as_ref().is_some_and(|s| s.to_lowercase().contains(n))
                    || r.agent_name.as_ref().is_some_and(|s| s.to_lowercase().contains(n))
            })
        })
        .collect();
    write_claims(out, &rows, args.format)?;
    Ok(if rows.is_empty() {
        Outcome::Partial
    } else {
        Outcome::Done
    })
}
