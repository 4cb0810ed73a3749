//! Evaluation reports: the reference scorer's table, per-kind scores, and error listings.

use crate::eval::breakdown::{ErrorItem, KindRow};
use crate::eval::{COMPONENTS, Report};
use std::io::{self, Write};

fn row(out: &mut dyn Write, name: &str, matching: &str, s: &crate::eval::Prf) -> io::Result<()> {
    writeln!(
        out,
        "{name:12} {matching:8} {:7} {:7} {:7} {:6.1} {:6.1} {:6.1}",
        s.gold,
        s.pred,
        s.tp,
        s.precision * 100.0,
        s.recall * 100.0,
        s.f1 * 100.0
    )
}

/// The table of the reference scorer (`score_attrib.py` without `--json`), line for line.
pub fn write_eval_table(out: &mut dyn Write, r: &Report) -> io::Result<()> {
    let d = &r.docs;
    writeln!(
        out,
        "documents: gold {}, pred {}, missing in pred {} (scored as empty), extra in pred {} (ignored)",
        d.gold, d.pred, d.missing_in_pred, d.extra_in_pred
    )?;
    let more = |n: usize| if n > 5 { " ..." } else { "" };
    if !d.missing_ids.is_empty() {
        let shown: Vec<&str> = d.missing_ids.iter().take(5).map(String::as_str).collect();
        writeln!(out, "  missing: {}{}", shown.join(", "), more(d.missing_in_pred))?;
    }
    if !d.extra_ids.is_empty() {
        let shown: Vec<&str> = d.extra_ids.iter().take(5).map(String::as_str).collect();
        writeln!(out, "  extra: {}{}", shown.join(", "), more(d.extra_in_pred))?;
    }
    writeln!(
        out,
        "{:12} {:8} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6}",
        "", "match", "gold", "pred", "tp", "P", "R", "F1"
    )?;
    for c in COMPONENTS {
        if let Some(score) = r.component(c) {
            row(out, c, "exact", &score.exact)?;
            row(out, c, "partial", &score.partial)?;
        }
    }
    row(out, "attribution", "partial", &r.attribution)?;
    writeln!(
        out,
        "partial = char IoU >= {}; exact = same trimmed start/end; attribution = content, source and cue all partial (or both null); micro-averaged",
        python_float(r.settings.partial_iou)
    )?;
    for (kind, w) in &r.warnings {
        writeln!(out, "warning: {} x {kind} (first: {})", w.count, w.first)?;
    }
    Ok(())
}

/// A float as Python's `str` shows it ("0.5", "1.0").
fn python_float(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.1}")
    } else {
        format!("{x}")
    }
}

/// Whole-attribution scores per kind.
pub fn write_kind_table(out: &mut dyn Write, rows: &[KindRow]) -> io::Result<()> {
    writeln!(
        out,
        "{:12} {:>7} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6}",
        "kind", "gold", "found", "pred", "right", "P", "R", "F1"
    )?;
    for k in rows {
        writeln!(
            out,
            "{:12} {:7} {:7} {:7} {:7} {:6.1} {:6.1} {:6.1}",
            k.kind,
            k.recall.gold,
            k.recall.tp,
            k.precision.pred,
            k.precision.tp,
            k.precision.precision * 100.0,
            k.recall.recall * 100.0,
            k.f1 * 100.0
        )?;
    }
    writeln!(
        out,
        "kind read from the text for gold and predictions alike; whole attributions, partial matching"
    )
}

/// Missed and spurious attributions.
pub fn write_errors(out: &mut dyn Write, missed: &[ErrorItem], spurious: &[ErrorItem]) -> io::Result<()> {
    for (title, items) in [
        ("missed (in gold, not predicted)", missed),
        ("spurious (predicted, not in gold)", spurious),
    ] {
        writeln!(out, "\n{title}: {}", items.len())?;
        for e in items {
            writeln!(out, "- {} [{}]", e.doc, e.kind)?;
            writeln!(out, "    source  {}", e.source)?;
            writeln!(out, "    cue     {}", e.cue)?;
            writeln!(out, "    content {}", e.content)?;
            writeln!(out, "    context {}", e.context)?;
        }
    }
    Ok(())
}
