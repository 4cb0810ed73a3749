//! Cross-article corroboration scores: the reference scorer's output (`score_xdoc.py`), line for
//! line, and JSON.

use super::write_json;
use crate::error::ReportError;
use crate::eval::xdoc::XdocScore;
use serde::Serialize;
use std::io::{self, Write};

/// The reference scorer's output: the detail lines, the pairwise and B-cubed F1, then the summary
/// line `xdoc: cluster_f1 0.xx, … (N claims, N gold mentions, N predicted clusters)`.
pub fn write_xdoc_table(out: &mut dyn Write, score: &XdocScore) -> io::Result<()> {
    for line in &score.details {
        writeln!(out, "{line}")?;
    }
    writeln!(
        out,
        "(pairwise F1 {:.2}, B-cubed F1 {:.2})",
        score.pairwise_f1, score.bcubed_f1
    )?;
    let figures: Vec<String> = score
        .figures()
        .iter()
        .map(|(name, value)| format!("{name} {value:.2}"))
        .collect();
    let c = &score.counts;
    writeln!(
        out,
        "xdoc: {} ({} claims, {} gold mentions, {} predicted clusters)",
        figures.join(", "),
        c.claims,
        c.gold_mentions,
        c.predicted_clusters
    )
}

/// The scores as JSON, with the floor and whether every figure reaches it.
#[derive(Serialize)]
struct XdocJson<'a> {
    #[serde(flatten)]
    score: &'a XdocScore,
    min: f64,
    passed: bool,
}

/// Writes the scores as one pretty JSON object: every figure, the counts, the detail lines, `min`
/// (the floor) and `passed`.
pub fn write_xdoc_json(out: &mut dyn Write, score: &XdocScore, floor: f64) -> Result<(), ReportError> {
    let json = XdocJson {
        score,
        min: floor,
        passed: score.passes(floor),
    };
    write_json(out, &json, true)
}
