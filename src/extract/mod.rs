//! Attribution extraction: who said what, through whom.
//!
//! [`extract`] never fails on text: it returns an [`Extraction`] with the attributions found and
//! diagnostics about anything odd. Rules ([`rules`]) propose candidates per sentence; a selection
//! keeps a consistent set (every token in at most one attribution, as in PolNeAR); sources are
//! read for features ([`source`]), anaphoric sources resolved ([`coref`]) and the sourcing scored
//! ([`confidence`]).

pub mod confidence;
mod coref;
pub mod lexicon;
mod merge;
pub mod rules;
pub mod source;
pub mod tagger;

pub use confidence::{Confidence, Label};
pub use lexicon::Lexicon;
pub use source::{SourceCount, SourceFeatures, SourceType};
pub use tagger::Tagger;

use crate::error::Diagnostic;
use crate::model::{Kind, RuleId};
use crate::text::{Analysis, BlockKind, MultiSpan, Span, analyze};
use rules::{Candidate, Ctx, Sent};
use std::ops::Range;

/// A source mention and what it says about the source.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceMention {
    /// The mention in the text. For a continuation ("…, saying …") it is the governing
    /// attribution's mention.
    pub span: Span,
    /// The attribution (index into [`Extraction::attributions`]) whose source first introduced
    /// this source, when this mention refers back to it ("The official", "he", continuations).
    pub antecedent: Option<usize>,
    /// Named, anonymous, count, affiliation …; for a resolved mention, the antecedent's.
    pub features: SourceFeatures,
}

/// The intermediary a claim came through ("speaking to the Axios news platform").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intermediary {
    /// The mention.
    pub span: Span,
    /// The outlet's canonical name ("Axios").
    pub name: String,
}

/// One attribution: a source (or none) said, through a cue, a content.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    /// Document-local id, "E1", "E2" … in text order.
    pub id: String,
    /// Who; `None` for passive and hedged reports without a source.
    pub source: Option<SourceMention>,
    /// The words that introduce the report.
    pub cue: Span,
    /// What was said, possibly in fragments.
    pub content: MultiSpan,
    /// Direct, indirect, mixed, according-to, passive, unattributed.
    pub kind: Kind,
    /// The rule that produced it.
    pub rule: RuleId,
    /// Through whom it reached the page.
    pub intermediary: Option<Intermediary>,
    /// Whether the cue keeps its distance ("claimed", "reportedly").
    pub hedged: bool,
    /// How much the sourcing deserves, and why.
    pub confidence: Confidence,
}

/// The result of extraction on one text.
#[derive(Debug, Clone)]
pub struct Extraction {
    /// Attributions in text order.
    pub attributions: Vec<Attribution>,
    /// Anything odd that did not stop extraction.
    pub diagnostics: Vec<Diagnostic>,
    /// The text analysis the attributions were found in.
    pub analysis: Analysis,
}

/// Extracts every attribution of `text`.
///
/// ```
/// let text = "According to two U.S. officials speaking to Axios, the talks were cancelled.";
/// let found = claimtrace::extract::extract(text);
/// let e = &found.attributions[0];
/// assert_eq!(e.cue.text(text), "According to");
/// assert_eq!(e.source.as_ref().unwrap().span.text(text), "two U.S. officials");
/// assert_eq!(e.intermediary.as_ref().unwrap().name, "Axios");
/// assert_eq!(e.content.extent().text(text), "the talks were cancelled");
/// ```
pub fn extract(text: &str) -> Extraction {
    extract_with(text, Tagger::shipped())
}

/// Extracts with the rules, completed by `tagger` when given: the tagger's attributions are added
/// where no rule fired (the rules know intermediaries, anonymity and the foundation's conventions;
/// the tagger, trained on PolNeAR, finds the many cues no rule lists).
pub fn extract_with(text: &str, tagger: Option<&Tagger>) -> Extraction {
    let Some(tagger) = tagger else {
        return extract_rules(text, analyze(text));
    };
    let (rules, tagged) = rules_and_tagger(text, tagger);
    let ctx = Ctx {
        a: &rules.analysis,
        text,
        lex: Lexicon::get(),
    };
    let attributions = merge::merge(&ctx, &rules.attributions, &tagged);
    finish(text, attributions, rules.diagnostics, rules.analysis)
}

/// The rules' extraction and the tagger's readings of the body, the rules serving as features.
fn rules_and_tagger(text: &str, tagger: &Tagger) -> (Extraction, Vec<tagger::Tagged>) {
    let rules = extract_rules(text, analyze(text));
    let features = tagger.features(&rules.analysis, text, &rules);
    let tagged = tagger.tag(&features, &tagger::body_blocks(&rules.analysis));
    (rules, tagged)
}

/// Extracts with `tagger` alone (the rules serve only as its features): for measuring the model.
pub fn extract_tagger_only(text: &str, tagger: &Tagger) -> Extraction {
    let (rules, tagged) = rules_and_tagger(text, tagger);
    let ctx = Ctx {
        a: &rules.analysis,
        text,
        lex: Lexicon::get(),
    };
    let attributions = tagged.iter().filter_map(|t| build_tagged(&ctx, t)).collect();
    finish(text, attributions, rules.diagnostics, rules.analysis)
}

/// An attribution from one tagger reading.
fn build_tagged(ctx: &Ctx<'_>, t: &tagger::Tagged) -> Option<Attribution> {
    let candidate = tagged_candidate(ctx, t);
    let sentence_start = sentence_start_of(ctx.a, t.cue.start);
    build(ctx, &candidate, candidate.source.clone(), None, sentence_start)
}

/// The first token of the sentence holding token `token`.
fn sentence_start_of(analysis: &Analysis, token: usize) -> usize {
    analysis
        .tokens
        .get(token)
        .and_then(|t| analysis.sentence_at(t.span.start))
        .map_or(0, |s| s.tokens.start)
}

/// A tagger attribution as a candidate: kind read from the text, rule id `tagger`.
fn tagged_candidate(ctx: &Ctx<'_>, t: &tagger::Tagged) -> Candidate {
    // The role decoder allows one source run (a source is one mention).
    let source = t.source.first().cloned();
    let cue_words: Vec<&str> = t.cue.clone().map(|k| ctx.a.norm_at(k)).collect();
    let kind = if matches!(cue_words.as_slice(), ["according", "to"] | ["per"]) {
        Kind::AccordingTo
    } else if source.is_none() {
        Kind::Unattributed
    } else {
        // Fragments all quoted are a quotation split by the attribution; some quoted, a mix.
        let kinds: Vec<Kind> = t.content.iter().map(|c| ctx.classify(c.clone()).1).collect();
        if kinds.iter().all(|&k| k == Kind::Direct) {
            Kind::Direct
        } else if kinds.iter().any(|&k| matches!(k, Kind::Direct | Kind::Mixed)) {
            Kind::Mixed
        } else {
            Kind::Indirect
        }
    };
    // What the content and source leave between them around the cue may hold an intermediary.
    let taken = t.content.iter().chain(&source).map(|r| (r.start, r.end));
    let before = taken
        .clone()
        .filter(|&(_, end)| end <= t.cue.start)
        .map(|(_, end)| end)
        .max();
    let after = taken
        .filter(|&(start, _)| start >= t.cue.end)
        .map(|(start, _)| start)
        .min();
    let free = before.unwrap_or(0)..after.unwrap_or(ctx.a.tokens.len());
    let via = rules::intermediary_of(ctx, &t.cue, &free);
    let hedged = ctx
        .lex
        .cue_forms
        .longest(ctx.a, ctx.text, t.cue.start, t.cue.end)
        .and_then(|(_, f)| ctx.lex.cue(*f))
        .is_some_and(|c| c.hedge);
    Candidate {
        source,
        inherit: false,
        cue: t.cue.clone(),
        content: t.content.clone(),
        kind,
        rule: RuleId("tagger"),
        via,
        hedged,
        priority: 0,
    }
}

/// Sorts attributions into text order (keeping antecedents pointing at the same attributions),
/// numbers them, resolves coreference and scores the confidence.
fn finish(text: &str, attributions: Vec<Attribution>, diagnostics: Vec<Diagnostic>, analysis: Analysis) -> Extraction {
    let start = |a: &Attribution| {
        let mut s = a.cue.start.min(a.content.extent().start);
        if let Some(src) = &a.source
            && src.antecedent.is_none()
        {
            s = s.min(src.span.start);
        }
        s
    };
    let mut order: Vec<usize> = (0..attributions.len()).collect();
    order.sort_by_key(|&i| (start(&attributions[i]), i));
    let mut new_index = vec![0; attributions.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let mut sorted: Vec<Attribution> = order.iter().map(|&i| attributions[i].clone()).collect();
    for (i, a) in sorted.iter_mut().enumerate() {
        a.id = format!("E{}", i + 1);
        if let Some(source) = a.source.as_mut() {
            source.antecedent = source.antecedent.map(|j| new_index[j]).filter(|&j| j < i);
        }
    }
    continue_quotations(&mut sorted, &analysis);
    coref::resolve(&mut sorted, &analysis);
    coref::full_names(&mut sorted, &analysis, text, &Lexicon::get().title_words);
    coref::type_outlets(&mut sorted);
    let model = confidence::Model::get();
    for a in &mut sorted {
        a.confidence = confidence::score(&evidence(a), model);
    }
    Extraction {
        attributions: sorted,
        diagnostics,
        analysis,
    }
}

/// A quotation that runs on into the next paragraphs: news leaves a paragraph's quotation open when
/// the next paragraph, opening with a quotation mark, goes on with it ("… including mine.¶\"But I
/// will not cut …\""). An attribution whose content ends with the open quotation takes each such
/// paragraph's quotation as a fragment, unless a report of that paragraph has it already.
fn continue_quotations(attributions: &mut [Attribution], analysis: &Analysis) {
    let body: Vec<&crate::text::Block> = analysis.blocks.iter().filter(|b| b.kind == BlockKind::Body).collect();
    let top_quote = |open: usize| {
        analysis
            .quotes
            .iter()
            .find(|q| q.open_token == open && q.depth == 0 && q.mark == crate::text::QuoteMark::Double)
    };
    let reported = |block: &crate::text::Block| {
        attributions.iter().any(|a| {
            let cue = analysis.tokens_of(&a.cue);
            block.tokens.contains(&cue.start)
        })
    };
    let mut runs: Vec<(usize, Vec<Span>)> = Vec::new();
    for (i, a) in attributions.iter().enumerate() {
        let Some(last) = a.content.fragments().last() else {
            continue;
        };
        let last = analysis.tokens_of(last);
        let Some(mut at) = body.iter().position(|b| b.tokens.contains(&last.start)) else {
            continue;
        };
        let open = analysis
            .quotes
            .iter()
            .any(|q| !q.closed && q.depth == 0 && q.open_token < last.end && last.start < q.close_token);
        if !open {
            continue;
        }
        let mut fragments = Vec::new();
        while let Some(next) = body.get(at + 1) {
            let Some(quote) = top_quote(next.tokens.start) else {
                break;
            };
            if reported(next) {
                break;
            }
            fragments.push(if quote.closed { quote.outer } else { next.span });
            if quote.closed {
                break;
            }
            at += 1;
        }
        if !fragments.is_empty() {
            runs.push((i, fragments));
        }
    }
    for (i, fragments) in runs {
        let a = &mut attributions[i];
        let parts = a.content.fragments().iter().copied().chain(fragments);
        if let Some(content) = MultiSpan::new(parts) {
            a.content = content;
        }
    }
}

/// Extracts with the rules alone from an analysis made by [`analyze`] on `text`.
pub fn extract_rules(text: &str, analysis: Analysis) -> Extraction {
    let lex = Lexicon::get();
    let ctx = Ctx {
        a: &analysis,
        text,
        lex,
    };
    let mut selected: Vec<(Candidate, usize)> = Vec::new();
    let body = || analysis.blocks.iter().filter(|b| b.kind == BlockKind::Body);
    // A transcript's turn is one report: what is reported inside it is the speaker's words. A
    // transcript has two turns at least: a paragraph alone opening with a label in capitals is a
    // kicker or a topic ("BREXIT: …").
    let mut turns: Vec<Option<Candidate>> = body()
        .map(|block| rules::speaker_label(&ctx, block.tokens.clone()))
        .collect();
    if turns.iter().flatten().count() < 2 {
        turns.iter_mut().for_each(|turn| *turn = None);
    }
    for (block, turn) in body().zip(turns) {
        if let Some(turn) = turn {
            selected.push((turn, block.tokens.start));
            continue;
        }
        let mut previous_direct: Option<usize> = None;
        for sentence_idx in block.sentences.clone() {
            let sentence = &analysis.sentences[sentence_idx];
            let sent = Sent::new(&ctx, sentence);
            let chosen = select(rules::candidates(&ctx, &sent));
            if chosen.is_empty() {
                // A quotation on its own continues the previous direct quote of the paragraph.
                if let (Some(idx), Some(quote)) = (previous_direct, rules::whole_quote(&ctx, &sent))
                    && let Some((candidate, _)) = selected.get_mut(idx)
                {
                    candidate.content.push(quote);
                    continue;
                }
                previous_direct = None;
                continue;
            }
            previous_direct = None;
            for candidate in chosen {
                if candidate.kind == Kind::Direct {
                    previous_direct = Some(selected.len());
                }
                selected.push((candidate, sentence.tokens.start));
            }
        }
    }
    selected.sort_by_key(|(c, _)| first_token(c));
    let mut attributions = Vec::with_capacity(selected.len());
    let mut governing_source: Vec<Option<(Range<usize>, usize)>> = Vec::new();
    // position[k]: where selected candidate k lands among the attributions built.
    let mut position: Vec<Option<usize>> = Vec::with_capacity(selected.len());
    for (idx, (candidate, sentence_start)) in selected.iter().enumerate() {
        let (source_tokens, inherited_from) = if candidate.inherit {
            // The governing attribution: the closest earlier one in the same sentence whose source
            // the selection gave this continuation.
            let governing = (0..idx).rev().find(|&j| {
                selected[j].1 == *sentence_start && !selected[j].0.inherit && selected[j].0.source == candidate.source
            });
            match governing.and_then(|j| governing_source[j].clone()) {
                Some((tokens, head)) => (Some(tokens), Some(head)),
                None => (None, None),
            }
        } else {
            (candidate.source.clone(), None)
        };
        governing_source.push(source_tokens.clone().map(|t| (t, inherited_from.unwrap_or(idx))));
        let built = build(&ctx, candidate, source_tokens, inherited_from, *sentence_start);
        position.push(built.as_ref().map(|_| attributions.len()));
        attributions.extend(built);
    }
    // Antecedents by position among the attributions built (`finish` numbers them).
    for (i, a) in attributions.iter_mut().enumerate() {
        if let Some(source) = a.source.as_mut() {
            source.antecedent = source
                .antecedent
                .and_then(|j| position.get(j).copied().flatten())
                .filter(|&j| j < i);
        }
    }
    let diagnostics = analysis.diagnostics.clone();
    finish(text, attributions, diagnostics, analysis)
}

/// The first token an attribution touches, for text order.
fn first_token(c: &Candidate) -> usize {
    c.tokens().min().unwrap_or(usize::MAX)
}

/// Keeps a consistent subset: higher-ranked candidates first, and no token in two attributions
/// (a continuation shares its source with the attribution it continues).
fn select(mut candidates: Vec<Candidate>) -> Vec<Candidate> {
    candidates.sort_by_key(|c| (std::cmp::Reverse(c.rank()), first_token(c)));
    let mut taken: Vec<usize> = Vec::new();
    let mut kept: Vec<Candidate> = Vec::new();
    for mut c in candidates {
        if c.tokens().any(|t| taken.contains(&t)) {
            continue;
        }
        if c.inherit {
            // ", saying …" continues the attribution that ends right before its comma (allowing a
            // short adjunct: "Petrova said on Monday, adding …"); else the clause's subject, if
            // any, is the source.
            let comma = c.cue.start.saturating_sub(1);
            let governing = kept.iter().find(|k| {
                !k.inherit
                    && k.source.is_some()
                    && k.tokens().max().is_some_and(|last| last < comma && last + 4 >= comma)
            });
            match governing {
                Some(k) => c.source = k.source.clone(),
                None if c.source.is_some() => {
                    c.inherit = false;
                    if c.tokens().any(|t| taken.contains(&t)) {
                        continue;
                    }
                }
                None => continue,
            }
        }
        taken.extend(c.tokens());
        kept.push(c);
    }
    kept.sort_by_key(first_token);
    kept
}

fn span_of(ctx: &Ctx<'_>, range: &Range<usize>) -> Option<Span> {
    source::token_span(ctx.a, range)
}

fn build(
    ctx: &Ctx<'_>,
    c: &Candidate,
    source_tokens: Option<Range<usize>>,
    inherited_from: Option<usize>,
    sentence_start: usize,
) -> Option<Attribution> {
    let cue = span_of(ctx, &c.cue)?;
    let content = MultiSpan::new(c.content.iter().filter_map(|r| span_of(ctx, r)))?;
    let source = match source_tokens {
        Some(tokens) => Some(SourceMention {
            span: span_of(ctx, &tokens)?,
            antecedent: inherited_from,
            features: source::features(ctx.a, ctx.text, ctx.lex, tokens, sentence_start),
        }),
        None if c.inherit => return None,
        None => None,
    };
    let intermediary = c.via.as_ref().and_then(|range| {
        let span = span_of(ctx, range)?;
        Some(Intermediary {
            span,
            name: outlet_name(ctx, range),
        })
    });
    Some(Attribution {
        id: String::new(),
        source,
        cue,
        content,
        kind: c.kind,
        rule: c.rule,
        intermediary,
        hedged: c.hedged,
        confidence: Confidence {
            value: 0.5,
            label: Label::Medium,
            reasons: Vec::new(),
        },
    })
}

/// The canonical name of an intermediary: a known outlet's name, else its proper-name words.
fn outlet_name(ctx: &Ctx<'_>, range: &Range<usize>) -> String {
    for i in range.clone() {
        if let Some((_, lexicon::Outlet::Name(name))) = ctx.lex.outlets.longest(ctx.a, ctx.text, i, range.end) {
            return (*name).to_owned();
        }
    }
    let capitalized: Vec<&str> = range
        .clone()
        .filter(|&i| ctx.a.tokens[i].capitalized && !source::is_determiner(ctx.a.norm_at(i)))
        .map(|i| ctx.a.tokens[i].span.text(ctx.text))
        .collect();
    if capitalized.is_empty() {
        span_of(ctx, range)
            .map(|s| s.text(ctx.text).to_owned())
            .unwrap_or_default()
    } else {
        capitalized.join(" ")
    }
}

fn evidence(a: &Attribution) -> confidence::Evidence {
    let f = a.source.as_ref().map(|s| &s.features);
    confidence::Evidence {
        has_source: a.source.is_some(),
        named: f.is_some_and(SourceFeatures::is_named),
        role: f.is_some_and(|f| f.role),
        anonymous: f.is_some_and(|f| f.anonymous),
        source_type: f.and_then(|f| f.source_type),
        several: f.and_then(|f| f.count).is_some_and(SourceCount::is_several),
        kind: Some(a.kind),
        hedged: a.hedged,
        hops: usize::from(a.intermediary.is_some()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tagger's reading of "told" in `text`, with `content` (runs of the text), as a candidate.
    fn told(text: &str, content: &[&str]) -> Candidate {
        let a = analyze(text);
        let ctx = Ctx {
            a: &a,
            text,
            lex: Lexicon::get(),
        };
        let at = |word: &str| {
            (0..a.tokens.len())
                .find(|&k| a.tokens[k].span.text(text) == word)
                .unwrap_or_else(|| panic!("no {word:?}"))
        };
        let cue = at("told");
        // Each run of the content by its text (bytes are chars here: ASCII).
        let content = content
            .iter()
            .map(|run| {
                let start = text.find(run).unwrap_or_else(|| panic!("no {run:?}"));
                let span = a.offsets.span_of_bytes(start..start + run.len()).expect("a span");
                a.tokens_of(&span)
            })
            .collect();
        let subject = 0..cue;
        let t = tagger::Tagged {
            cue: cue..cue + 1,
            source: vec![subject],
            content,
        };
        tagged_candidate(&ctx, &t)
    }

    #[test]
    fn a_tagger_reading_gets_the_intermediary_and_kind_the_text_shows() {
        let c = told(
            "Reed told The Associated Press that storms grow.",
            &["that storms grow"],
        );
        assert!(c.via.is_some(), "an outlet after \"told\"");
        let c = told("Reed told colleagues that storms grow.", &["that storms grow"]);
        assert!(c.via.is_none(), "an addressee is no intermediary");
        // Two fragments are a split quotation only when both are quoted.
        let quoted = "\"Storms grow,\" Reed told AP, \"and fast.\"";
        assert_eq!(told(quoted, &["\"Storms grow,\"", "\"and fast.\""]).kind, Kind::Direct);
        assert_eq!(told(quoted, &["\"Storms grow,\"", "and fast"]).kind, Kind::Mixed);
        let c = told("Storms, Reed told AP, grow fast.", &["Storms", "grow fast"]);
        assert_eq!(c.kind, Kind::Indirect);
    }
}
