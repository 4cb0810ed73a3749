//! `claimtrace stats`: what the store holds, as an aligned list or JSON.

use super::ListFormat;
use crate::error::ReportError;
use crate::store::StoreStats;
use std::io::Write;

/// Writes the store's figures.
pub fn write_stats(
    out: &mut dyn Write,
    stats: &StoreStats,
    location: &str,
    format: ListFormat,
) -> Result<(), ReportError> {
    if format == ListFormat::Json {
        let mut value = serde_json::to_value(stats)?;
        if let Some(object) = value.as_object_mut() {
            object.insert("store".to_owned(), location.into());
            object.insert(
                "rulesets".to_owned(),
                stats
                    .rulesets
                    .iter()
                    .map(|(version, articles)| serde_json::json!({ "version": version, "articles": articles }))
                    .collect(),
            );
        }
        serde_json::to_writer_pretty(&mut *out, &value)?;
        writeln!(out)?;
        return Ok(());
    }
    let dates = match (&stats.first_published, &stats.last_published) {
        (Some(first), Some(last)) if first != last => format!("{first} … {last}"),
        (Some(date), _) | (None, Some(date)) => date.clone(),
        (None, None) => "none given".to_owned(),
    };
    let rows = [
        ("store", location.to_owned()),
        ("articles", stats.articles.to_string()),
        ("attributions", stats.attributions.to_string()),
        ("claims", stats.claims.to_string()),
        ("sources", stats.sources.to_string()),
        ("outlets", stats.outlets.to_string()),
        ("published", dates),
        (
            "clusters",
            format!("{} (saved by `corroboration --save`)", stats.clusters),
        ),
        (
            "quads",
            stats
                .quads
                .map_or_else(|| "not counted (--quads counts them)".to_owned(), |n| n.to_string()),
        ),
        ("on disk", human_bytes(stats.disk_bytes)),
    ];
    for (label, value) in rows {
        writeln!(out, "{label:<13}{value}")?;
    }
    for (version, articles) in &stats.rulesets {
        writeln!(out, "{:<13}{articles} articles by {version}", "extracted")?;
    }
    Ok(())
}

fn human_bytes(bytes: u64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < units.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", units[unit])
    }
}
