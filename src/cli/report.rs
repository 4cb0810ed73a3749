//! `claimtrace report`: the provenance report of one article.

use super::{Outcome, StoreArgs, format_parser, note};
use anyhow::{Context, Result, bail};
use claimtrace::report::{ArticleReport, ReportFormat, write_article};
use claimtrace::store::{ArticleRow, Store};
use std::io::Write;
use std::process::{Command, Stdio};

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The article: its name (file name or JSON Lines id), its IRI, or a prefix of its id
    #[arg(value_name = "ARTICLE")]
    article: String,
    /// Output format (`svg` runs Graphviz's `dot` on the `dot` output)
    #[arg(long, short, default_value = "text", value_parser = format_parser!(ReportFormat))]
    format: ReportFormat,
    #[command(flatten)]
    store: StoreArgs,
}

/// The article called `query`: by IRI, name (index lookups), or id prefix (six hex digits or more;
/// a scan of the article IRIs, tens of milliseconds for 50,000 articles); an error lists some
/// articles otherwise. A report on a store of millions of claims never reads its list of articles.
pub(crate) fn resolve_article(store: &Store, query: &str) -> Result<ArticleRow> {
    if let Some(row) = store.article(query)? {
        return Ok(row);
    }
    let mut iris = store.articles_named(query)?;
    if iris.is_empty() && query.len() >= 6 && query.bytes().all(|b| b.is_ascii_hexdigit()) {
        iris = store.articles_with_id_prefix(&query.to_ascii_lowercase())?;
    }
    match iris.as_slice() {
        [one] => store
            .article(one)?
            .with_context(|| format!("article {one} is named {query:?} but has no article graph")),
        [] => {
            let names = store.some_article_names()?;
            if names.is_empty() {
                bail!("no article {query:?}: the store holds no article");
            }
            let some = if store.article_count_up_to(names.len())? > names.len() {
                "among others"
            } else {
                "only"
            };
            bail!("no article {query:?}; the store holds, {some}: {}", names.join(", "))
        }
        many => bail!("{query:?} matches {} articles; give the full name or IRI", many.len()),
    }
}

pub fn run(args: ReportArgs, out: &mut dyn Write) -> Result<Outcome> {
    let store = Store::open_read_only(&args.store.dir())?;
    let article = resolve_article(&store, &args.article)?;
    let rows = store.claims(Some(&article.article))?;
    let mut traces = rows
        .iter()
        .map(|row| claimtrace::trace::trace(&store, row))
        .collect::<Result<Vec<_>, _>>()?;
    if !claimtrace::trace::attach_across(&store, &mut traces)? {
        note(format_args!(
            "claimtrace: the store holds more than {} articles: reports in other articles are not shown \
             (run `claimtrace corroboration` for them)",
            claimtrace::trace::ACROSS_LIMIT
        ));
    }
    let report = ArticleReport::new(&article, traces);
    if args.format == ReportFormat::Svg {
        let mut dot_source = Vec::new();
        write_article(&mut dot_source, &report, ReportFormat::Dot)?;
        out.write_all(&render_svg(&dot_source)?)?;
    } else {
        write_article(out, &report, args.format)?;
    }
    Ok(Outcome::Done)
}

/// Runs Graphviz's `dot -Tsvg` on `dot_source`.
pub(crate) fn render_svg(dot_source: &[u8]) -> Result<Vec<u8>> {
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("running Graphviz `dot` (install graphviz, or use --format dot)")?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(dot_source).context("writing to `dot`")?;
    }
    let output = child.wait_with_output().context("waiting for `dot`")?;
    if !output.status.success() {
        bail!("`dot` failed: {}", String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(output.stdout)
}
