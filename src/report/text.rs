//! Plain-text and Markdown renderings of traces and article reports.

use super::ArticleReport;
use crate::trace::Trace;
use std::io::{self, Write};

/// The context sentence with the claim's fragments in «guillemets».
fn highlighted(trace: &Trace) -> String {
    let chars: Vec<char> = trace.context.text.chars().collect();
    let mut out = String::new();
    let mut pos = 0;
    for &(start, end) in &trace.context.highlights {
        let (start, end) = (start.min(chars.len()), end.min(chars.len()));
        if start < pos {
            continue;
        }
        out.extend(&chars[pos..start]);
        out.push('«');
        out.extend(&chars[start..end]);
        out.push('»');
        pos = end;
    }
    out.extend(&chars[pos.min(chars.len())..]);
    out
}

fn source_line(trace: &Trace) -> String {
    let Some(s) = &trace.source else {
        return "none given".to_owned();
    };
    let mut parts = vec![format!("\"{}\"", s.mention)];
    if let Some(name) = &s.name
        && name != &s.mention
    {
        parts.push(format!("= {name}"));
    }
    let mut facts = Vec::new();
    if let Some(t) = &s.source_type {
        facts.push(t.clone());
    }
    if s.anonymous {
        facts.push("anonymous".to_owned());
    }
    match s.count {
        Some(n) => facts.push(format!("count {n}")),
        None if s.anonymous => facts.push("count unknown".to_owned()),
        None => {}
    }
    if let Some(a) = &s.affiliation {
        facts.push(format!("affiliation {a}"));
    }
    if let Some(t) = &s.title {
        facts.push(format!("title {t}"));
    }
    if !facts.is_empty() {
        parts.push(format!("({})", facts.join(", ")));
    }
    parts.join(" ")
}

fn mentions_line(trace: &Trace) -> Option<String> {
    let s = trace.source.as_ref()?;
    (s.mentions.len() > 1).then(|| {
        let list: Vec<String> = s
            .mentions
            .iter()
            .map(|(start, m)| format!("\"{m}\" @{start}"))
            .collect();
        list.join(", ")
    })
}

/// Writes a trace as text.
pub fn write_trace_text(out: &mut dyn Write, trace: &Trace) -> io::Result<()> {
    writeln!(out, "{}#{}  {}", trace.article.name, trace.id, trace.attribution)?;
    writeln!(
        out,
        "  claim      [{}..{}] {}",
        trace.claim.start, trace.claim.end, trace.claim.text
    )?;
    if trace.claim.fragments.len() > 1 {
        for (start, end, text) in &trace.claim.fragments {
            writeln!(out, "    fragment [{start}..{end}] {text}")?;
        }
    }
    writeln!(out, "  context    {}", highlighted(trace))?;
    writeln!(
        out,
        "  kind       {} (cue \"{}\", rule {})",
        trace.kind, trace.cue, trace.rule
    )?;
    writeln!(out, "  source     {}", source_line(trace))?;
    if let Some(m) = mentions_line(trace) {
        writeln!(out, "  mentions   {m}")?;
    }
    if trace.chain.is_empty() {
        writeln!(out, "  via        no intermediary")?;
    } else {
        for hop in &trace.chain {
            writeln!(out, "  via        {} (\"{}\")", hop.outlet, hop.mention)?;
        }
    }
    writeln!(out, "  path       {}", trace.path.join(" → "))?;
    let c = &trace.confidence;
    writeln!(
        out,
        "  confidence {:.3} ({}), log-odds {:+.2}",
        c.value, c.label, c.log_odds
    )?;
    if c.reasons.is_empty() {
        writeln!(out, "    (no factor fired)")?;
    }
    for r in &c.reasons {
        writeln!(out, "    {:+.2}  {:<20} {}", r.weight, r.label, r.description)?;
    }
    if let Some(cluster) = &trace.across {
        write_across(out, trace, cluster)?;
    }
    Ok(())
}

/// The claim across articles, as a tree from the reader down to the root sources: each report,
/// what it relays, and where its chain ends.
fn write_across(out: &mut dyn Write, trace: &Trace, c: &crate::corroborate::Cluster) -> io::Result<()> {
    let articles: std::collections::BTreeSet<&str> = c.mentions.iter().map(|m| m.article.as_str()).collect();
    writeln!(
        out,
        "  across     claim {}: {} report{} in {} article{}, {} independent root{}{}, confidence v2 {:.3}",
        c.cluster,
        c.mentions.len(),
        if c.mentions.len() == 1 { "" } else { "s" },
        articles.len(),
        if articles.len() == 1 { "" } else { "s" },
        c.independent_root_count,
        if c.independent_root_count == 1 { "" } else { "s" },
        if c.circular { ", circular" } else { "" },
        c.confidence
    )?;
    writeln!(out, "    reader")?;
    for (k, m) in c.mentions.iter().enumerate() {
        let branch = if k + 1 == c.mentions.len() { "└─" } else { "├─" };
        let this = if m.attribution == trace.attribution {
            "  ← this claim"
        } else {
            ""
        };
        let mut chain = Vec::new();
        if let Some(i) = &m.intermediary {
            chain.push(format!("via {}", i.text));
        }
        if let Some(r) = &m.relays {
            chain.push(format!("relays {r}"));
        }
        chain.extend(m.roots.iter().map(|r| format!("root: {r}")));
        if chain.is_empty() {
            chain.push("no source".to_owned());
        }
        writeln!(
            out,
            "    {branch} {} [{}..{}] → {}{this}",
            m.article,
            m.content.start,
            m.content.end,
            chain.join(" → ")
        )?;
    }
    if let Some(d) = &c.denied_by {
        writeln!(out, "    denied by {d}")?;
    }
    for r in &c.reasons {
        writeln!(out, "    · {r}")?;
    }
    Ok(())
}

/// Writes an article report as text.
pub fn write_article_text(out: &mut dyn Write, report: &ArticleReport) -> io::Result<()> {
    writeln!(out, "{}", report.name)?;
    writeln!(out, "  {}", report.iri)?;
    if let Some(p) = &report.published {
        writeln!(out, "  published {p}")?;
    }
    writeln!(out, "  {} attributed claims", report.claims.len())?;
    for trace in &report.claims {
        writeln!(out)?;
        write_trace_text(out, trace)?;
    }
    Ok(())
}

fn md_escape(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Writes an article report as Markdown.
pub fn write_article_markdown(out: &mut dyn Write, report: &ArticleReport) -> io::Result<()> {
    writeln!(out, "# Provenance report: {}", md_escape(&report.name))?;
    writeln!(out)?;
    writeln!(out, "- Article: <{}>", report.iri)?;
    if let Some(p) = &report.published {
        writeln!(out, "- Published: {p}")?;
    }
    writeln!(out, "- Attributed claims: {}", report.claims.len())?;
    writeln!(out)?;
    writeln!(out, "| id | kind | source | via | confidence | claim |")?;
    writeln!(out, "|---|---|---|---|---|---|")?;
    for t in &report.claims {
        let source = t.source.as_ref().map_or("—".to_owned(), |s| md_escape(&s.mention));
        let via = t
            .chain
            .iter()
            .map(|h| md_escape(&h.outlet))
            .collect::<Vec<_>>()
            .join(" → ");
        writeln!(
            out,
            "| {} | {} | {} | {} | {:.2} ({}) | {} |",
            t.id,
            t.kind,
            source,
            via,
            t.confidence.value,
            t.confidence.label,
            md_escape(&t.claim.text)
        )?;
    }
    for t in &report.claims {
        writeln!(out)?;
        writeln!(out, "## {} — {} ({})", t.id, t.kind, t.confidence.label)?;
        writeln!(out)?;
        writeln!(out, "> {}", md_escape(&highlighted(t)).replace(['«', '»'], "**"))?;
        writeln!(out)?;
        writeln!(out, "- Source: {}", md_escape(&source_line(t)))?;
        if let Some(m) = mentions_line(t) {
            writeln!(out, "- Mentions: {}", md_escape(&m))?;
        }
        writeln!(out, "- Cue: \"{}\" (rule `{}`)", md_escape(&t.cue), t.rule)?;
        writeln!(out, "- Path: {}", md_escape(&t.path.join(" → ")))?;
        writeln!(
            out,
            "- Confidence: **{:.3}** ({}), log-odds {:+.2}",
            t.confidence.value, t.confidence.label, t.confidence.log_odds
        )?;
        for r in &t.confidence.reasons {
            writeln!(out, "  - {:+.2} {}: {}", r.weight, r.label, md_escape(&r.description))?;
        }
    }
    Ok(())
}
