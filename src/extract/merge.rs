//! The rules and the tagger, merged: they split the work, never the tokens.
//!
//! Where both read the same cue, the rules' attribution stays when it knows more than spans (an
//! intermediary, an anonymous source, a reference back, a sourceless report, a fuller mention of
//! the tagger's source), with the tagger's bounds of cue, content and (a fuller run) source where
//! it names a source; otherwise the tagger's reading replaces it, and references to it follow the
//! replacement. Rule attributions the tagger did not read are kept where its readings leave room,
//! or where they are an "according to X" / "per X" frame whose content holds the tagger's cues; a
//! tagger cue inside a kept rule content is that content, not a claim of its own, unless it names
//! its source outside a quotation (and never inside a frame). No content opens with a dateline.

use super::lexicon::CueClass;
use super::rules::{Ctx, SPEAKER_LABEL};
use super::tagger::Tagged;
use super::{Attribution, build_tagged};
use crate::model::Kind;
use crate::text::{MultiSpan, Span};
use std::ops::Range;

/// The attributions of a document from the rules' `rules` and the tagger's `tagged` readings
/// (antecedents are indices into the returned list).
pub(super) fn merge(ctx: &Ctx<'_>, rules: &[Attribution], tagged: &[Tagged]) -> Vec<Attribution> {
    let tagged = &readings(ctx, rules, tagged);
    let n = ctx.a.tokens.len();
    let tokens = |span: &Span| ctx.a.tokens_of(span);
    // The tagger attribution each token belongs to.
    let mut tagged_at = vec![usize::MAX; n];
    for (i, t) in tagged.iter().enumerate() {
        let roles = t.source.iter().chain(&t.content).flat_map(Clone::clone);
        for k in t.cue.clone().chain(roles) {
            tagged_at[k] = i;
        }
    }
    // Each rule attribution is kept, replaced by the tagger's reading of the same cue, or dropped
    // where the tagger read the tokens otherwise.
    enum Fate {
        /// Kept; the tagger's reading of the same cue, if any, is set aside.
        Kept(Option<usize>),
        Replaced(usize),
        Dropped,
    }
    let fates: Vec<Fate> = rules
        .iter()
        .map(|a| {
            let cue = tokens(&a.cue);
            let same_cue = cue
                .clone()
                .map(|k| tagged_at[k])
                .find(|&i| i != usize::MAX && meet(&tagged[i].cue, &cue));
            match same_cue {
                Some(i)
                    if knows_more(a)
                        || a.rule == SPEAKER_LABEL
                        || truncated_source(&tokens, a, &tagged[i], tagged)
                        || inserted_source(ctx, &tokens, a, &tagged[i])
                        || across_the_frame(ctx, a, &tagged[i]) =>
                {
                    Fate::Kept(Some(i))
                }
                Some(i) => Fate::Replaced(i),
                None => {
                    let content: Vec<usize> = a.content.fragments().iter().flat_map(&tokens).collect();
                    let mut used = cue.clone().chain(content.iter().copied());
                    if used.all(|k| tagged_at[k] == usize::MAX)
                        || lexical_frame_wins(a, &content, tagged, &tagged_at, &cue)
                    {
                        Fate::Kept(None)
                    } else {
                        Fate::Dropped
                    }
                }
            }
        })
        .collect();
    let mut attributions: Vec<Attribution> = Vec::new();
    let mut index_of_rule = vec![None; fates.len()];
    let mut index_of_tagged = vec![None; tagged.len()];
    let mut taken = vec![false; tagged.len()];
    for (r, fate) in fates.iter().enumerate() {
        if let &Fate::Kept(same_cue) = fate {
            index_of_rule[r] = Some(attributions.len());
            let mut kept = rules[r].clone();
            if let Some(i) = same_cue {
                taken[i] = true;
                // A sourceless report keeps the rules' reading whole ("It was claimed that …"), and
                // a transcript's turn its paragraph.
                if kept.source.is_some() && kept.rule != SPEAKER_LABEL {
                    if let Some(cue) = tagger_cue(ctx, &kept, &tagged[i]) {
                        kept.cue = cue;
                    }
                    tagger_content(ctx, &mut kept, &tagged[i]);
                    tagger_source(ctx, &mut kept, &tagged[i]);
                }
            }
            attributions.push(kept);
        }
    }
    // Tokens inside the content of a kept rule attribution: a claim reported there is the
    // reporter's content, not a claim of its own, unless it names its source outside a quotation
    // (a content that runs on into the next report); inside an "according to X" frame, always.
    const FRAME: u8 = 2;
    let mut in_rule_content = vec![0u8; n];
    for a in &attributions {
        let mark = if a.kind == Kind::AccordingTo { FRAME } else { 1 };
        for f in a.content.fragments() {
            for m in &mut in_rule_content[tokens(f)] {
                *m = (*m).max(mark);
            }
        }
    }
    for (i, t) in tagged.iter().enumerate() {
        // The tagger's sourceless readings are mostly missed sources or narration; a sourceless
        // report needs a cue that reads as a verb phrase ("is expected", "It was claimed").
        let host = t.cue.clone().map(|k| in_rule_content[k]).max().unwrap_or(0);
        let nested = host == FRAME || (host > 0 && !own_report(ctx, t));
        if taken[i] || nested || (t.source.is_empty() && !verbal_cue(ctx, &t.cue)) {
            continue;
        }
        if let Some(a) = build_tagged(ctx, t) {
            index_of_tagged[i] = Some(attributions.len());
            attributions.push(a);
        }
    }
    // Antecedents follow their attribution into the new list (or to the reading that replaced it).
    for (r, fate) in fates.iter().enumerate() {
        if let &Fate::Replaced(i) = fate {
            index_of_rule[r] = index_of_tagged[i];
        }
    }
    if let Some(body) = after_dateline(ctx) {
        for a in &mut attributions {
            let Some((first, rest)) = a.content.fragments().split_first() else {
                continue;
            };
            let first = ctx.a.tokens_of(first);
            if first.start < body && body < first.end {
                let trimmed = super::span_of(ctx, &(body..first.end));
                let rest = rest.iter().copied();
                if let Some(content) = MultiSpan::new(trimmed.into_iter().chain(rest)) {
                    a.content = content;
                }
            }
        }
    }
    let spans: Vec<Option<Span>> = attributions.iter().map(|a| a.source.as_ref().map(|s| s.span)).collect();
    for a in &mut attributions {
        if let Some(source) = a.source.as_mut()
            && let Some(j) = source.antecedent
        {
            // A continuation ("…, saying …") shows its antecedent's mention: the replacement's.
            let continuation = rules
                .get(j)
                .and_then(|r| r.source.as_ref())
                .is_some_and(|s| s.span == source.span);
            if !continuation {
                // The rules resolved "she" among their own attributions only; the tagger may have
                // found the nearer antecedent ("Maren Tollefsen … declined to discuss …. '…,' she
                // said"). The mention is read afresh, and `finish` resolves it among all of them.
                let tokens = ctx.a.tokens_of(&source.span);
                let sentence_start = super::sentence_start_of(ctx.a, tokens.start);
                source.features = super::source::features(ctx.a, ctx.text, ctx.lex, tokens, sentence_start);
                source.antecedent = None;
                continue;
            }
            source.antecedent = index_of_rule.get(j).copied().flatten();
            if let Some(Some(span)) = source.antecedent.map(|k| spans[k]) {
                source.span = span;
            }
        }
    }
    attributions
}

/// The token ranges of a kept rule attribution's source and intermediary, which the tagger's
/// bounds of its cue and content leave alone.
fn held(ctx: &Ctx<'_>, rule: &Attribution) -> Vec<Range<usize>> {
    let source = rule.source.iter().map(|s| s.span);
    let intermediary = rule.intermediary.iter().map(|v| v.span);
    source.chain(intermediary).map(|s| ctx.a.tokens_of(&s)).collect()
}

/// Whether two token ranges share a token.
fn meet(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start.max(b.start) < a.end.min(b.end)
}

/// The tagger's bounds of the cue a kept rule attribution shares with it, where they differ and
/// leave the rule's source, intermediary and content alone: the tagger learnt where a cue starts
/// and ends ("also said", "hasn't said", "was said") from annotated news, the rules read the verb.
fn tagger_cue(ctx: &Ctx<'_>, rule: &Attribution, tagged: &Tagged) -> Option<Span> {
    if ctx.a.tokens_of(&rule.cue) == tagged.cue {
        return None;
    }
    let content = rule.content.fragments().iter().map(|s| ctx.a.tokens_of(s));
    if held(ctx, rule)
        .into_iter()
        .chain(content)
        .any(|r| meet(&r, &tagged.cue))
    {
        return None;
    }
    super::span_of(ctx, &tagged.cue)
}

/// The tagger's content of the cue a kept rule attribution shares with it, where it leaves the
/// rule's source, intermediary and cue alone: the rule keeps what it knows of the source (an
/// intermediary, an anonymous or earlier source), the content takes the bounds learnt from
/// annotated news (a "that" kept, a quotation's continuation). A quotation-or-not kind is read
/// again from it.
fn tagger_content(ctx: &Ctx<'_>, rule: &mut Attribution, tagged: &Tagged) {
    if rule.content.fragments().len() > 1 {
        return;
    }
    let cue = ctx.a.tokens_of(&rule.cue);
    let mut taken = held(ctx, rule).into_iter().chain([cue.clone()]);
    if taken.any(|r| tagged.content.iter().any(|c| meet(&r, c))) {
        return;
    }
    // What stands between a source and its cue is said of the source, not by it ("Two
    // diplomats, who asked not to be named, said …").
    let between = rule.source.as_ref().map(|s| ctx.a.tokens_of(&s.span).end..cue.start);
    if let Some(between) = between
        && tagged.content.iter().any(|c| meet(c, &between))
    {
        return;
    }
    if across_the_frame(ctx, rule, tagged) {
        return;
    }
    // ", speaking on condition of anonymity (because …)" says how the source spoke: no content.
    let gloss = |c: &Range<usize>| ctx.lex.glosses.longest(ctx.a, ctx.text, c.start, c.end).is_some();
    let content = tagged.content.iter().filter(|c| !gloss(c));
    let Some(spans) = MultiSpan::new(content.filter_map(|c| super::span_of(ctx, c))) else {
        return;
    };
    rule.content = spans;
    if let ([one], Kind::Direct | Kind::Indirect | Kind::Mixed) = (tagged.content.as_slice(), rule.kind) {
        rule.kind = ctx.classify(one.clone()).1;
    }
}

/// Whether the tagger reads an "according to" frame's content on the other side of the cue from
/// the rules: "…, according to X" and "According to X, …" put it on one side, and the rules read
/// which from the commas; a content on the other side is the source's apposition ("…, according to
/// Corran Medical, the country's biggest wholesaler, which …").
fn across_the_frame(ctx: &Ctx<'_>, rule: &Attribution, tagged: &Tagged) -> bool {
    let cue = ctx.a.tokens_of(&rule.cue);
    let before_cue = |c: &Range<usize>| c.end <= cue.start;
    let rule_before = rule.content.fragments().iter().all(|f| before_cue(&ctx.a.tokens_of(f)));
    rule.kind == Kind::AccordingTo && tagged.content.iter().any(|c| before_cue(c) != rule_before)
}

/// Longest dateline place, in tokens ("ST. LOUIS, Mo.").
const DATELINE_TOKENS: usize = 8;

/// The first token after a dateline without an outlet that opens the first paragraph of the body
/// ("WASHINGTON — A deal collapsed…", "DECATUR, Ill. — …"): a place in capitals, a region after a
/// comma, a dash. It says where the story was filed, not what anyone said, and no content starts
/// with it. (A dateline with its outlet, "LONDON (Reuters) —", is a block of its own already.)
fn after_dateline(ctx: &Ctx<'_>) -> Option<usize> {
    let block = ctx.a.blocks.iter().find(|b| b.kind == crate::text::BlockKind::Body)?;
    let tokens = block.tokens.start..block.tokens.end.min(block.tokens.start + DATELINE_TOKENS);
    let dash = tokens
        .clone()
        .find(|&k| matches!(ctx.a.norm_at(k), "—" | "–" | "--" | "-"))?;
    let place = block.tokens.start
        ..(block.tokens.start..dash)
            .find(|&k| ctx.a.norm_at(k) == ",")
            .unwrap_or(dash);
    let capitals = |k: usize| {
        let word = ctx.a.tokens[k].span.text(ctx.text);
        word.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !word.chars().any(char::is_lowercase)
    };
    let body = (dash..block.tokens.end).find(|&k| !matches!(ctx.a.norm_at(k), "—" | "–" | "--" | "-"))?;
    (!place.is_empty() && place.clone().all(capitals)).then_some(body)
}

/// The tagger's bounds of a kept rule attribution's source where they hold the rule's mention and
/// leave its cue, intermediary and content alone: "Two officials, speaking on condition of
/// anonymity," — PolNeAR marks a source with its apposition; what the rule knew of the source stays.
/// Not a run of two noun phrases ("a move supporters", `rules::plural_after_a`).
fn tagger_source(ctx: &Ctx<'_>, rule: &mut Attribution, tagged: &Tagged) {
    let ([run], Some(source)) = (tagged.source.as_slice(), rule.source.as_mut()) else {
        return;
    };
    if source.antecedent.is_some() {
        return;
    }
    let mention = ctx.a.tokens_of(&source.span);
    let holds = run.start <= mention.start
        && mention.end <= run.end
        && run.len() > mention.len()
        && super::rules::plural_after_a(ctx, run).is_none();
    // A run that stops mid-clause ("a real estate agent, who did | not want to be named") is cut
    // short: it must end at the cue, a punctuation mark or the text's end.
    let cue = ctx.a.tokens_of(&rule.cue);
    let next = ctx.a.tokens.get(run.end);
    let whole = run.end == cue.start || next.is_none_or(|t| t.kind == crate::text::TokenKind::Punct);
    let content = rule.content.fragments().iter().map(|s| ctx.a.tokens_of(s));
    let intermediary = rule.intermediary.iter().map(|v| ctx.a.tokens_of(&v.span));
    let mut taken = content.chain(intermediary).chain([cue]);
    if !holds || !whole || taken.any(|r| meet(&r, run)) {
        return;
    }
    if let Some(span) = super::span_of(ctx, run) {
        source.span = span;
    }
}

/// Whether a tagger reading inside a rule's content is a report of its own: it names its source
/// and its cue is not quoted ("…, and Mr. Sykes said the party would lose" is two reports;
/// "\"We told them …\", the official stated" is one).
fn own_report(ctx: &Ctx<'_>, t: &Tagged) -> bool {
    let Some(cue) = super::span_of(ctx, &t.cue) else {
        return false;
    };
    !t.source.is_empty() && ctx.a.quotes_containing(&cue).next().is_none()
}

/// Whether a rule's "according to X" / "per X" frame, or a transcript's turn, outweighs the tagger
/// readings over its tokens: the frame is lexical and names its source, and every tagger reading in
/// the way has its cue inside the frame's content ("Per the Ledger, the decision was taken at a
/// meeting the spokesman says never happened": "says" is part of what the Ledger reported).
fn lexical_frame_wins(
    rule: &Attribution,
    content: &[usize],
    tagged: &[Tagged],
    tagged_at: &[usize],
    cue: &Range<usize>,
) -> bool {
    let frame = (rule.kind == Kind::AccordingTo && rule.source.is_some()) || rule.rule == SPEAKER_LABEL;
    if !frame {
        return false;
    }
    let in_content = |k: usize| content.contains(&k);
    cue.clone().all(|k| tagged_at[k] == usize::MAX)
        && content
            .iter()
            .map(|&k| tagged_at[k])
            .filter(|&i| i != usize::MAX)
            .all(|i| tagged[i].cue.clone().all(in_content))
}

/// Whether a cue reads as a verb phrase: a listed cue, or one holding a participle or a form of
/// "be"/"seem"/"appear" ("is expected", "have been reported", "seemed"). A sourceless reading needs
/// one: "As hopes for diplomacy dwindled" is narration, not an unattributed claim.
fn verbal_cue(ctx: &Ctx<'_>, cue: &Range<usize>) -> bool {
    ctx.lex.cue_forms.longest(ctx.a, ctx.text, cue.start, cue.end).is_some()
        || cue
            .clone()
            .map(|k| ctx.a.norm_at(k))
            .any(|w| ctx.lex.verbal.contains(w) || (w.len() > 4 && (w.ends_with("ed") || w.ends_with("en"))))
}

/// The tagger's readings as the merge takes them: subjects of raising passives dropped,
/// continuations and participles given their source, sources named after the cue cut before a
/// setting, cues ending on a preposition completed, readings in stop phrases or with a setting for
/// cue dropped, contents ended before a coordinated report of their source, sources that hold a
/// report replaced by its source, nested sourceless reports folded into their host.
fn readings(ctx: &Ctx<'_>, rules: &[Attribution], tagged: &[Tagged]) -> Vec<Tagged> {
    let mut readings: Vec<Tagged> = tagged.iter().map(|t| without_raised_subject(ctx, t)).collect();
    continue_sources(ctx, rules, &mut readings);
    participle_sources(ctx, &mut readings);
    for t in &mut readings {
        without_setting(ctx, t);
        complete_cue(ctx, t);
        run_on_after_quote(ctx, t);
        without_dangling_that(ctx, t);
    }
    readings.retain(|t| {
        !only_when(ctx, &t.content) && !no_speaker(ctx, t) && !stopped(ctx, &t.cue) && !setting_cue(ctx, &t.cue)
    });
    end_before_coordinated_cues(ctx, &mut readings);
    sources_without_reports(ctx, &mut readings);
    sources_before_rule_cues(ctx, rules, &mut readings);
    fold_nested(&mut readings);
    readings
}

/// A subject before a raising passive is no source: "the talks, which were said to …" reports the
/// talks, not what they said.
fn without_raised_subject(ctx: &Ctx<'_>, t: &Tagged) -> Tagged {
    let raised = !t.source.is_empty() && t.source.iter().all(|s| s.end <= t.cue.start) && raising_passive(ctx, &t.cue);
    let source = if raised { Vec::new() } else { t.source.clone() };
    Tagged { source, ..t.clone() }
}

/// A source named after its cue ends before a time or setting adjunct: "…," said Maria Lopez, a
/// spokeswoman, in an interview" has "Maria Lopez, a spokeswoman" for source.
fn without_setting(ctx: &Ctx<'_>, t: &mut Tagged) {
    let [source] = t.source.as_mut_slice() else {
        return;
    };
    if source.start < t.cue.end {
        return;
    }
    if let Some(mut end) = (source.start + 1..source.end).find(|&k| super::rules::setting_at(ctx, k)) {
        while end > source.start + 1 && ctx.a.norm_at(end - 1) == "," {
            end -= 1;
        }
        source.end = end;
    }
}

/// A content that stops at a quotation it quotes, while its clause goes on, runs on to the clause's
/// end: `said inspectors had found "serious failings" in quality control at the plant`.
fn run_on_after_quote(ctx: &Ctx<'_>, t: &mut Tagged) {
    let [content] = t.content.as_mut_slice() else {
        return;
    };
    if content.start >= t.cue.end
        && let Some(end) = super::rules::clause_after_quote(ctx, content.start, content.end)
    {
        content.end = end;
    }
}

/// A content never ends on a comma or on the "that" of a clause it does not hold: in "Solpress
/// reported, citing the Olvenza Voice, that …" what "citing" takes is "the Olvenza Voice".
fn without_dangling_that(ctx: &Ctx<'_>, t: &mut Tagged) {
    let dangling = |k: usize| matches!(ctx.a.norm_at(k), "," | "that");
    for run in &mut t.content {
        while run.len() > 1 && dangling(run.end - 1) {
            run.end -= 1;
        }
    }
    // A fragment that is nothing else goes, when another is left.
    if t.content.iter().any(|run| !run.clone().all(dangling)) {
        t.content.retain(|run| !run.clone().all(dangling));
    }
}

/// Longest object a cue may take up to its content ("said in a post on X that …").
const CUE_OBJECT_WORDS: usize = 3;

/// A cue that ends on a preposition takes the words between it and its content: "Rubio said in a
/// post on X that …" has "said in a post on X" for cue, not "said in a post on".
fn complete_cue(ctx: &Ctx<'_>, t: &mut Tagged) {
    let Some(content) = t.content.first() else {
        return;
    };
    let last = t.cue.end - 1;
    let gap = t.cue.end..content.start;
    let dangling = t.cue.len() > 1 && super::rules::PREPOSITIONS.contains(&ctx.a.norm_at(last));
    if dangling
        && (1..=CUE_OBJECT_WORDS).contains(&gap.len())
        && !t.source.iter().any(|s| meet(s, &gap))
        && gap.clone().all(|k| ctx.is_word(k) && ctx.a.norm_at(k) != "that")
    {
        t.cue.end = content.start;
    }
}

/// A content ends before the next report of its source, coordinated with it: "Labour said the deal
/// \"stinks\" and called for an inquiry", "…, noting that …, and suggesting that …". The second
/// cue is a report of its own, not part of what was said first.
fn end_before_coordinated_cues(ctx: &Ctx<'_>, readings: &mut [Tagged]) {
    // A sourceless verb right after "and" inside a content, or right after it, shares its subject
    // ("Rayner accused the government of a \"cover-up\" and said …").
    let hosts: Vec<(Vec<Range<usize>>, Range<usize>)> = readings
        .iter()
        .filter(|t| !t.source.is_empty())
        .filter_map(|t| Some((t.source.clone(), content_extent(t)?)))
        .collect();
    for t in readings.iter_mut().filter(|t| t.source.is_empty() && t.cue.start > 0) {
        if matches!(ctx.a.norm_at(t.cue.start - 1), "and" | "but")
            && let Some((source, _)) = hosts
                .iter()
                .find(|(_, h)| h.start < t.cue.start && (t.cue.end <= h.end || h.end + 1 == t.cue.start))
        {
            t.source = source.clone();
        }
    }
    let coordinated: Vec<(Vec<Range<usize>>, usize)> = readings
        .iter()
        .filter(|t| !t.source.is_empty() && t.cue.start > 0)
        .filter_map(|t| {
            // "… and called", "…, and suggesting", "…, saying": not "…, had expressed", the verb
            // of the content's own clause.
            let before = ctx.a.norm_at(t.cue.start - 1);
            let participle = ctx.a.norm_at(t.cue.start).ends_with("ing");
            let mut k = t.cue.start;
            if matches!(before, "and" | "but") || (before == "," && participle) {
                k -= 1;
                while k > 0 && matches!(ctx.a.norm_at(k - 1), "and" | "but" | ",") {
                    k -= 1;
                }
            }
            (k < t.cue.start).then(|| (t.source.clone(), k))
        })
        .collect();
    for t in readings.iter_mut() {
        // The coordinated report's own content follows its cue: "… said the report would mark \"a
        // shift,\" but cautioned that …" takes nothing of the first report.
        let own_cut = coordinated
            .iter()
            .any(|(source, cut)| *source == t.source && *cut < t.cue.start);
        if own_cut && t.content.iter().any(|c| c.start >= t.cue.end) {
            t.content.retain(|c| c.start >= t.cue.end);
        }
        let Some(&(_, cut)) = coordinated
            .iter()
            .find(|(source, cut)| *source == t.source && t.content.iter().any(|c| c.start < *cut && *cut < c.end))
        else {
            continue;
        };
        t.content.retain(|c| c.start < cut);
        if let Some(last) = t.content.last_mut() {
            last.end = last.end.min(cut);
        }
    }
}

/// Longest name taken as the subject of a report inside another ("Sen. Ron Johnson").
const MAX_NAME_WORDS: usize = 4;

/// A source is a noun phrase, not a report: a source run that holds another reading's source and
/// cue ("Donald Trump joked about the remark, declined …", "Chuck Schumer blamed Trump, who he
/// said …") is that reading's source.
fn sources_without_reports(ctx: &Ctx<'_>, readings: &mut [Tagged]) {
    let within = |inner: &Range<usize>, outer: &Range<usize>| outer.start <= inner.start && inner.end <= outer.end;
    for i in 0..readings.len() {
        let [run] = readings[i].source.as_slice() else {
            continue;
        };
        let run = run.clone();
        let subject = readings
            .iter()
            .enumerate()
            .find_map(|(j, u)| match u.source.as_slice() {
                [s] if j != i
                    && within(&u.cue, &run)
                    && within(s, &run)
                    && !(s.len() == 1 && super::source::is_pronoun(ctx.a.norm_at(s.start))) =>
                {
                    // "The post claims Johnson said …": a name right before the cue, after the
                    // other cue, is the subject; not a clause ("Schumer blamed Trump, who he
                    // said …").
                    let tail = u.cue.end..run.end;
                    let name = |k: usize| ctx.a.tokens[k].capitalized || ctx.a.norm_at(k) == "'s";
                    let plain = (1..=MAX_NAME_WORDS).contains(&tail.len())
                        && run.end == readings[i].cue.start
                        && tail.clone().all(name);
                    Some(if plain { tail } else { s.clone() })
                }
                _ => None,
            });
        if let Some(subject) = subject {
            readings[i].source = vec![subject];
        }
    }
}

/// A tagger's source that runs on over a verb the rules read as a report of that same source ends
/// before it: in "The Calvessan Record reports this morning, citing two engineers, that …" the
/// tagger may read "The Calvessan Record reports" as the source of "citing", while the rules read
/// "The Calvessan Record" reporting that …; the source is "The Calvessan Record", and the rules'
/// report keeps its cue.
fn sources_before_rule_cues(ctx: &Ctx<'_>, rules: &[Attribution], readings: &mut [Tagged]) {
    for t in readings.iter_mut() {
        let [run] = t.source.as_mut_slice() else {
            continue;
        };
        let cut = rules.iter().find_map(|a| {
            let cue = ctx.a.tokens_of(&a.cue);
            let source = ctx.a.tokens_of(&a.source.as_ref()?.span);
            (source.start == run.start && source.end == cue.start && cue.start > run.start && cue.end <= run.end)
                .then_some(source.end)
        });
        if let Some(end) = cut {
            run.end = end;
        }
    }
}

/// A sourceless verb cue in "-ing" right after another attribution's cue and a comma continues
/// it (", adding that …", ", saying …"): it takes that attribution's source, a tagger reading's
/// or else a rule's.
fn continue_sources(ctx: &Ctx<'_>, rules: &[Attribution], readings: &mut [Tagged]) {
    for i in 0..readings.len() {
        let cue = readings[i].cue.clone();
        let participle = ctx
            .lex
            .cue_forms
            .longest(ctx.a, ctx.text, cue.start, cue.end)
            .is_some_and(|(_, form)| form.ing && ctx.lex.cue(*form).is_some_and(|c| c.class == CueClass::Verb));
        if !readings[i].source.is_empty() || !participle || cue.start == 0 || ctx.a.norm_at(cue.start - 1) != "," {
            continue;
        }
        let comma = cue.start - 1;
        let from_tagger = readings
            .iter()
            .find(|u| u.cue.end == comma && !u.source.is_empty())
            .map(|u| u.source.clone());
        let from_rules = || {
            rules
                .iter()
                .filter(|a| ctx.a.tokens_of(&a.cue).end == comma)
                .find_map(|a| a.source.as_ref().filter(|s| s.antecedent.is_none()))
                .map(|s| vec![ctx.a.tokens_of(&s.span)])
        };
        if let Some(source) = from_tagger.or_else(from_rules) {
            readings[i].source = source;
        }
    }
}

/// A sourceless cue that opens with a participle (", urging …", ", accusing …", "spent the day
/// denouncing …") says what the subject of the clause before it did: that subject is its source.
fn participle_sources(ctx: &Ctx<'_>, readings: &mut [Tagged]) {
    for t in readings.iter_mut().filter(|t| t.source.is_empty() && t.cue.start > 0) {
        let word = ctx.a.norm_at(t.cue.start);
        let participle = word.len() > 5 && word.ends_with("ing") && word != "according";
        let comma = ctx.a.norm_at(t.cue.start - 1) == ",";
        let clause_end = if comma { t.cue.start - 1 } else { t.cue.start };
        if participle
            && let Some(subject) = super::rules::participle_subject(ctx, clause_end)
            && !t.content.iter().any(|c| meet(c, &subject))
        {
            t.source = vec![subject];
        }
    }
}

/// Whether a cue's first word lies in a phrase of `stop.tsv` or `anonymity_glosses.tsv`, where a
/// cue word reports nothing ("That said, …", "who asked not to be named"): the rules never read a
/// cue there, nor does the merge take the tagger's.
fn stopped(ctx: &Ctx<'_>, cue: &Range<usize>) -> bool {
    let k = cue.start;
    (k.saturating_sub(ctx.lex.longest_stop())..=k).any(|i| {
        ctx.lex
            .stop_at(ctx.a, ctx.text, i, ctx.a.tokens.len())
            .is_some_and(|len| i + len > k)
    })
}

/// Whether a cue is a setting, no report: a preposition and a determiner ("Trump, in a post on
/// his platform, called …" reads "called"; "in a post on" reports nothing).
fn setting_cue(ctx: &Ctx<'_>, cue: &Range<usize>) -> bool {
    cue.len() >= 3
        && matches!(ctx.a.norm_at(cue.start), "in" | "on" | "at" | "during")
        && super::source::is_determiner(ctx.a.norm_at(cue.start + 1))
}

/// Whether a reading is a paragraph label that introduces no speaker ("VIDEO: …", "UPDATE: …",
/// `labels.tsv`) read as a source and its colon.
fn no_speaker(ctx: &Ctx<'_>, t: &Tagged) -> bool {
    let colon = t.cue.len() == 1 && ctx.a.norm_at(t.cue.start) == ":";
    colon && t.source.iter().any(|s| ctx.is_label(s))
}

/// Longest phrase a time relation may take and still be part of the time ("an hour before the
/// vote").
const TIME_RELATION_WORDS: usize = 4;

/// Whether a content only says when ("an hour", "that same day", "for years", "an hour before the
/// vote"): time words of `time.tsv`, determiners and numbers, with a unit among them, then at most
/// a short relation phrase without a comma. Such a reading reports nothing ("The remark, made
/// about an hour before the vote, …").
fn only_when(ctx: &Ctx<'_>, content: &[Range<usize>]) -> bool {
    let words: Vec<usize> = content
        .iter()
        .flat_map(Clone::clone)
        .filter(|&k| ctx.is_word(k) || ctx.a.norm_at(k) == ",")
        .collect();
    let lex = ctx.lex;
    let unit = |k: usize| lex.time_units.contains(ctx.a.norm_at(k));
    let around = |k: usize| {
        let w = ctx.a.norm_at(k);
        lex.time_modifiers.contains(w)
            || super::source::is_determiner(w)
            || w.chars().all(|c| c.is_ascii_digit())
            || lex.numbers.longest(ctx.a, ctx.text, k, k + 1).is_some()
    };
    let time = words.iter().take_while(|&&k| unit(k) || around(k)).count();
    let rest = &words[time..];
    words[..time].iter().any(|&k| unit(k))
        && match rest.split_first() {
            None => true,
            Some((&first, tail)) => {
                lex.time_relations.contains(ctx.a.norm_at(first))
                    && tail.len() <= TIME_RELATION_WORDS
                    && tail.iter().all(|&k| ctx.a.norm_at(k) != ",")
            }
        }
}

/// The tokens from a reading's first content token to its last, gaps between fragments included.
fn content_extent(t: &Tagged) -> Option<Range<usize>> {
    Some(t.content.first()?.start..t.content.last()?.end)
}

/// A sourceless reading whose cue lies inside the content of a reading with a source, gaps
/// between its fragments included, is part of what that source said: it is dropped, and the
/// fragments around its cue are joined again.
fn fold_nested(readings: &mut Vec<Tagged>) {
    let hosts: Vec<Range<usize>> = readings
        .iter()
        .filter(|t| !t.source.is_empty())
        .filter_map(content_extent)
        .collect();
    let nested = |t: &Tagged| t.source.is_empty() && hosts.iter().any(|h| h.start <= t.cue.start && t.cue.end <= h.end);
    let cues: Vec<Range<usize>> = readings.iter().filter(|t| nested(t)).map(|t| t.cue.clone()).collect();
    readings.retain(|t| !nested(t));
    for t in readings.iter_mut().filter(|t| !t.source.is_empty()) {
        let mut joined: Vec<Range<usize>> = Vec::with_capacity(t.content.len());
        for fragment in t.content.drain(..) {
            match joined.last_mut() {
                Some(last) if cues.iter().any(|c| last.end <= c.start && c.end <= fragment.start) => {
                    last.end = fragment.end;
                }
                _ => joined.push(fragment),
            }
        }
        t.content = joined;
    }
}

/// Whether a cue is a passive of reporting whose subject is what is reported ("were said to", "is
/// expected to"): a verbal word followed by a `raising` participle.
fn raising_passive(ctx: &Ctx<'_>, cue: &Range<usize>) -> bool {
    let words: Vec<&str> = cue.clone().map(|k| ctx.a.norm_at(k)).collect();
    words
        .windows(2)
        .any(|w| ctx.lex.verbal.contains(w[0]) && ctx.lex.raising.contains(w[1]))
}

/// Whether the tagger's source is a strict part of the rule's source mention ("media" of "Reports
/// in the U.S. media"): the rules read the whole noun phrase, and its type with it. Not when the
/// mention holds a cue the tagger read: then it runs over a report ("Schumer blamed Trump, who he
/// said …") and the tagger's part is the source.
fn truncated_source(
    tokens: &impl Fn(&Span) -> Range<usize>,
    rule: &Attribution,
    tagged: &Tagged,
    readings: &[Tagged],
) -> bool {
    let (Some(source), Some(run)) = (rule.source.as_ref(), tagged.source.first()) else {
        return false;
    };
    let mention = tokens(&source.span);
    let holds_report = readings.iter().any(|t| meet(&t.cue, &mention));
    mention.start <= run.start && run.end <= mention.end && run.len() < mention.len() && !holds_report
}

/// Whether the tagger's source ends a phrase set off by commas between the rule's source and the
/// cue ("Abbas Araghchi, speaking at the tomb … of the revolution, stated"): a subject is not
/// cut from its verb by a single comma, so the phrase is an insertion and the rule's source, right
/// before its opening comma, is the subject.
fn inserted_source(
    ctx: &Ctx<'_>,
    tokens: &impl Fn(&Span) -> Range<usize>,
    rule: &Attribution,
    tagged: &Tagged,
) -> bool {
    let (Some(source), Some(run)) = (rule.source.as_ref(), tagged.source.first()) else {
        return false;
    };
    let mention = tokens(&source.span);
    let comma = |k: usize| k < ctx.a.tokens.len() && ctx.a.norm_at(k) == ",";
    let closes = (run.end == tagged.cue.start && run.end > run.start && comma(run.end - 1))
        || (run.end + 1 == tagged.cue.start && comma(run.end));
    mention.end < run.start && comma(mention.end) && closes
}

/// Whether a rule attribution carries what the tagger cannot: an intermediary, a source that
/// refers back, an anonymous or counted source, or a sourceless (passive) report.
fn knows_more(a: &Attribution) -> bool {
    a.intermediary.is_some()
        || a.source
            .as_ref()
            .is_none_or(|s| s.antecedent.is_some() || s.features.anonymous)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Lexicon;

    /// The token range of the `n`-th token whose text is `word`.
    fn token(a: &crate::text::Analysis, text: &str, word: &str, n: usize) -> Range<usize> {
        let k = (0..a.tokens.len())
            .filter(|&k| a.tokens[k].span.text(text) == word)
            .nth(n)
            .unwrap_or_else(|| panic!("no {word:?} #{n}"));
        k..k + 1
    }

    fn context<'a>(a: &'a crate::text::Analysis, text: &'a str) -> Ctx<'a> {
        Ctx {
            a,
            text,
            lex: Lexicon::get(),
        }
    }

    /// A tagger reading with one content run.
    fn reading(source: Vec<Range<usize>>, cue: Range<usize>, content: Range<usize>) -> Tagged {
        Tagged {
            cue,
            source,
            content: vec![content],
        }
    }

    #[test]
    fn a_report_of_its_own_names_its_source_outside_quotation_marks() {
        let text = "\"We told them no,\" the official said, and Hale said he would resign.";
        let a = crate::text::analyze(text);
        let ctx = context(&a, text);
        let at = |word, n| token(&a, text, word, n);
        let (said, told) = (at("said", 1), at("told", 0));
        let hale = reading(vec![at("Hale", 0)], said.clone(), said.end..said.end + 3);
        assert!(own_report(&ctx, &hale));
        let quoted = reading(vec![at("We", 0)], told.clone(), told.end..told.end + 2);
        assert!(!own_report(&ctx, &quoted), "quoted");
        let sourceless = reading(Vec::new(), said.clone(), said.end..said.end + 3);
        assert!(!own_report(&ctx, &sourceless), "sourceless");
    }

    #[test]
    fn a_content_ends_before_a_dangling_that() {
        let text = "Solpress reported, citing the Olvenza Voice, that a man had been arrested.";
        let a = crate::text::analyze(text);
        let ctx = context(&a, text);
        let at = |word, n| token(&a, text, word, n);
        let (citing, the, voice, that) = (at("citing", 0), at("the", 0), at("Voice", 0), at("that", 0));
        let mut whole = reading(vec![at("Solpress", 0)], citing.clone(), the.start..that.end);
        without_dangling_that(&ctx, &mut whole);
        assert_eq!(whole.content, vec![the.start..voice.end]);
        // The same as two fragments: the one of a comma and "that" alone goes.
        let mut split = reading(vec![at("Solpress", 0)], citing, the.start..voice.end);
        split.content.push(voice.end..that.end);
        without_dangling_that(&ctx, &mut split);
        assert_eq!(split.content, vec![the.start..voice.end]);
    }

    #[test]
    fn the_taggers_bounds_leave_a_rules_source_and_intermediary_alone() {
        let text = "Two officials told Axios that the talks had failed.";
        let a = crate::text::analyze(text);
        let ctx = context(&a, text);
        let rule = crate::extract::extract_rules(text, a.clone()).attributions.remove(0);
        assert!(rule.intermediary.is_some(), "{rule:?}");
        let at = |word, n| token(&a, text, word, n);
        let (told, axios, that, failed) = (at("told", 0), at("Axios", 0), at("that", 0), at("failed", 0));
        let officials = at("Two", 0).start..told.start;
        let cue = |cue: Range<usize>| reading(vec![officials.clone()], cue, that.start..failed.end);
        assert_eq!(
            tagger_cue(&ctx, &rule, &cue(told.start..axios.end)),
            None,
            "the cue takes the intermediary"
        );
        assert_eq!(
            tagger_cue(&ctx, &rule, &cue(officials.end - 1..told.end)),
            None,
            "the cue takes the source"
        );
        assert_eq!(tagger_cue(&ctx, &rule, &cue(told.clone())), None, "the same bounds");
        let content = |content: Range<usize>| reading(vec![officials.clone()], told.clone(), content);
        let mut kept = rule.clone();
        tagger_content(&ctx, &mut kept, &content(axios.start..failed.end));
        assert_eq!(kept.content, rule.content, "the content takes the intermediary");
        tagger_content(&ctx, &mut kept, &content(that.start..failed.end));
        assert_eq!(
            kept.content.extent().start,
            a.tokens[that.start].span.start,
            "the tagger keeps \"that\""
        );
    }

    #[test]
    fn the_taggers_content_keeps_to_the_frames_side_and_leaves_a_gloss_out() {
        let text = "The recall covers 18 batches, according to Corran Medical, the country's biggest \
                    wholesaler, which emailed a notice.";
        let a = crate::text::analyze(text);
        let ctx = context(&a, text);
        let rule = crate::extract::extract_rules(text, a.clone()).attributions.remove(0);
        assert_eq!(rule.content.text(text), "The recall covers 18 batches");
        let at = |word, n| token(&a, text, word, n);
        let (according, corran) = (at("according", 0), at("Corran", 0));
        let apposition = at("the", 0).start..at("wholesaler", 0).end;
        let cue = according.start..according.end + 1;
        let source = corran.start..corran.end + 1;
        let other_side = reading(vec![source], cue, apposition);
        assert!(across_the_frame(&ctx, &rule, &other_side));
        let mut kept = rule.clone();
        tagger_content(&ctx, &mut kept, &other_side);
        assert_eq!(kept.content, rule.content, "the apposition is no content");

        let text = "The hackers got in using stolen login details, an official told the Wire, speaking on \
                    condition of anonymity.";
        let a = crate::text::analyze(text);
        let ctx = context(&a, text);
        let rule = crate::extract::extract_rules(text, a.clone()).attributions.remove(0);
        let at = |word, n| token(&a, text, word, n);
        let (told, details) = (at("told", 0), at("details", 0));
        let gloss = at("speaking", 0).start..at("anonymity", 0).end;
        let official = at("an", 0).start..told.start;
        let tagged = Tagged {
            cue: told.clone(),
            source: vec![official],
            content: vec![0..details.end, gloss],
        };
        let mut kept = rule.clone();
        tagger_content(&ctx, &mut kept, &tagged);
        assert_eq!(kept.content.text(text), "The hackers got in using stolen login details");
    }

    #[test]
    fn a_kept_rule_takes_the_taggers_fuller_source() {
        let text = "Two officials, speaking on condition of anonymity, told Axios that the talks had failed.";
        let a = crate::text::analyze(text);
        let ctx = context(&a, text);
        let rule = crate::extract::extract_rules(text, a.clone()).attributions.remove(0);
        assert_eq!(rule.source.as_ref().map(|s| s.span.text(text)), Some("Two officials"));
        let at = |word, n| token(&a, text, word, n);
        let (told, axios, that, failed) = (at("told", 0), at("Axios", 0), at("that", 0), at("failed", 0));
        let with = |source: Range<usize>| reading(vec![source], told.clone(), that.start..failed.end);
        let mut kept = rule.clone();
        tagger_source(&ctx, &mut kept, &with(0..told.start - 1));
        let source = kept.source.as_ref().expect("a source");
        assert_eq!(
            source.span.text(text),
            "Two officials, speaking on condition of anonymity"
        );
        assert!(source.features.anonymous, "what the rule knew stays");
        let mut kept = rule.clone();
        tagger_source(&ctx, &mut kept, &with(0..axios.end));
        assert_eq!(kept.source, rule.source, "the source takes the cue and intermediary");
        let mut kept = rule.clone();
        tagger_source(&ctx, &mut kept, &with(1..2));
        assert_eq!(kept.source, rule.source, "a shorter run");
        let mut kept = rule.clone();
        tagger_source(&ctx, &mut kept, &with(0..at("on", 0).start));
        assert_eq!(kept.source, rule.source, "a run that stops mid-phrase");
    }

    #[test]
    fn a_source_ending_an_inserted_phrase_gives_way_to_the_subject() {
        let text =
            "Foreign Minister Abbas Araghchi, speaking at the tomb of the leader, stated that talks would resume.";
        let a = crate::text::analyze(text);
        let ctx = context(&a, text);
        let rule = crate::extract::extract_rules(text, a.clone()).attributions.remove(0);
        assert_eq!(
            rule.source.as_ref().map(|s| s.span.text(text)),
            Some("Foreign Minister Abbas Araghchi")
        );
        let tokens = |span: &Span| a.tokens_of(span);
        let at = |word, n| token(&a, text, word, n);
        let (stated, that, resume) = (at("stated", 0), at("that", 0), at("resume", 0));
        let with = |source: Range<usize>| reading(vec![source], stated.clone(), that.start..resume.end);
        let the_leader = at("the", 1).start..stated.start;
        assert!(
            inserted_source(&ctx, &tokens, &rule, &with(the_leader.clone())),
            "with its comma"
        );
        assert!(
            inserted_source(&ctx, &tokens, &rule, &with(the_leader.start..stated.start - 1)),
            "without"
        );
        // The subject itself, or a run that does not end at the phrase's closing comma, stays.
        assert!(!inserted_source(&ctx, &tokens, &rule, &with(0..at("Araghchi", 0).end)));
        assert!(!inserted_source(&ctx, &tokens, &rule, &with(at("tomb", 0))));
    }

    #[test]
    fn a_content_that_only_says_when_is_no_report() {
        for (content, when) in [
            ("an hour", true),
            ("that same day", true),
            ("for years", true),
            ("about 20 minutes", true),
            ("an hour before the vote", true),
            ("the talks would resume in an hour", false),
            ("equivocal this week", false),
            ("two days after the vote, the party would collapse", false),
        ] {
            let a = crate::text::analyze(content);
            let all = 0..a.tokens.len();
            assert_eq!(only_when(&context(&a, content), &[all]), when, "{content:?}");
        }
    }

    #[test]
    fn a_source_that_holds_a_report_is_that_reports_source() {
        let text = "Donald Trump joked about the remark, declined to apologize, and he said so.";
        let a = crate::text::analyze(text);
        let ctx = context(&a, text);
        let at = |word, n| token(&a, text, word, n);
        let trump = at("Donald", 0).start..at("Trump", 0).end;
        let (joked, declined, comma) = (at("joked", 0), at("declined", 0), at(",", 0));
        let clause = trump.start..comma.end;
        let mut readings = vec![
            reading(
                vec![trump.clone()],
                joked.start..joked.end + 1,
                joked.end + 1..comma.start,
            ),
            reading(vec![clause], declined.clone(), declined.end..declined.end + 2),
        ];
        sources_without_reports(&ctx, &mut readings);
        assert_eq!(readings[1].source, vec![trump.clone()]);
        assert_eq!(
            readings[0].source,
            vec![trump],
            "a source without a report inside stays"
        );
        // A name after the other report's cue is the subject of its complement.
        let text = "The post claims Johnson said it should go.";
        let a = crate::text::analyze(text);
        let ctx = context(&a, text);
        let at = |word, n| token(&a, text, word, n);
        let (claims, johnson, said) = (at("claims", 0), at("Johnson", 0), at("said", 0));
        let post = 0..claims.start;
        let run = post.start..johnson.end;
        let mut readings = vec![
            reading(vec![post.clone()], claims.clone(), johnson.start..a.tokens.len() - 1),
            reading(vec![run], said.clone(), said.end..a.tokens.len() - 1),
        ];
        sources_without_reports(&ctx, &mut readings);
        assert_eq!(readings[1].source, vec![johnson]);
    }

    #[test]
    fn a_dateline_without_an_outlet_opens_no_content() {
        for (text, first) in [
            (
                "WASHINGTON — A deal collapsed on Tuesday, according to three aides.",
                Some("A"),
            ),
            ("Deal collapses\n\nDECATUR, Ill. — Sen. Cruz spoke.", Some("Sen.")),
            ("WASHINGTON -- The vote failed.", Some("The")),
            ("The minister — who spoke late — said no.", None),
            ("Officials in Velm - the capital - said no.", None),
        ] {
            let a = crate::text::analyze(text);
            let after = after_dateline(&context(&a, text)).map(|k| a.tokens[k].span.text(text));
            assert_eq!(after, first, "{text:?}");
        }
        let text = "WASHINGTON — A deal collapsed on Tuesday, according to three aides.";
        let found = crate::extract::extract(text).attributions;
        assert!(found[0].content.text(text).starts_with("A deal collapsed"), "{found:?}");
    }

    #[test]
    fn a_content_ends_before_a_coordinated_report_of_its_source() {
        let text = "Labour said the deal was a scandal and called for an inquiry, adding that the minister had \
                    expressed regret, and noting that the firm, Acme, had denied it.";
        let a = crate::text::analyze(text);
        let ctx = context(&a, text);
        let at = |word, n| token(&a, text, word, n);
        let labour = at("Labour", 0);
        let (said, called, adding, noting, expressed) = (
            at("said", 0),
            at("called", 0),
            at("adding", 0),
            at("noting", 0),
            at("expressed", 0),
        );
        let end = a.tokens.len() - 1;
        let mut readings = vec![
            reading(vec![labour.clone()], said.clone(), said.end..end),
            // Sourceless after "and": the subject is shared.
            reading(Vec::new(), called.start..called.end + 1, called.end + 1..end),
            reading(vec![labour.clone()], adding.clone(), adding.end..end),
            reading(vec![labour.clone()], noting.clone(), noting.end..end),
            // "…, had expressed": the content's own verb, read with the same source by mistake.
            reading(vec![labour.clone()], expressed.clone(), expressed.end..end),
        ];
        end_before_coordinated_cues(&ctx, &mut readings);
        let content = |t: &Tagged| {
            let (first, last) = (t.content[0].start, t.content.last().map_or(0, |c| c.end - 1));
            a.tokens[first].span.cover(&a.tokens[last].span).text(text).to_owned()
        };
        assert_eq!(content(&readings[0]), "the deal was a scandal");
        assert_eq!(readings[1].source, vec![labour.clone()]);
        assert_eq!(content(&readings[1]), "an inquiry");
        assert_eq!(content(&readings[2]), "that the minister had expressed regret");
        assert_eq!(
            readings[3].content,
            vec![noting.end..end],
            "the last report keeps its content"
        );
        // "but" coordinates too, and the second report takes nothing before its cue.
        let text = "A diplomat said the report would mark \"a shift,\" but cautioned that Moscow had lied before.";
        let a = crate::text::analyze(text);
        let ctx = context(&a, text);
        let at = |word, n| token(&a, text, word, n);
        let (diplomat, said, mark, cautioned, that) = (
            at("diplomat", 0),
            at("said", 0),
            at("mark", 0),
            at("cautioned", 0),
            at("that", 0),
        );
        let end = a.tokens.len() - 1;
        let mut readings = vec![
            reading(vec![diplomat.clone()], said.clone(), said.end..end),
            Tagged {
                cue: cautioned.clone(),
                source: vec![diplomat.clone()],
                content: vec![mark.start..cautioned.start - 1, that.start..end],
            },
        ];
        end_before_coordinated_cues(&ctx, &mut readings);
        assert_eq!(readings[0].content, vec![said.end..cautioned.start - 1]);
        assert_eq!(readings[1].content, vec![that.start..end]);
        // A sourceless verb right after "and", after the content, shares the subject too.
        let text = "Rayner accused the government of a cover-up and said her party would act.";
        let a = crate::text::analyze(text);
        let ctx = context(&a, text);
        let at = |word, n| token(&a, text, word, n);
        let (rayner, accused, and, said) = (at("Rayner", 0), at("accused", 0), at("and", 0), at("said", 0));
        let mut readings = vec![
            reading(vec![rayner.clone()], accused.clone(), accused.end..and.start),
            reading(Vec::new(), said.clone(), said.end..a.tokens.len() - 1),
        ];
        end_before_coordinated_cues(&ctx, &mut readings);
        assert_eq!(readings[1].source, vec![rayner]);
    }

    #[test]
    fn a_cue_that_ends_on_a_preposition_takes_its_object() {
        let text = "Rubio said in a post on X that the war must end.";
        let a = crate::text::analyze(text);
        let ctx = context(&a, text);
        let at = |word, n| token(&a, text, word, n);
        let (said, on, that) = (at("said", 0), at("on", 0), at("that", 0));
        let mut t = reading(vec![at("Rubio", 0)], said.start..on.end, that.start..a.tokens.len() - 1);
        complete_cue(&ctx, &mut t);
        assert_eq!(t.cue, said.start..that.start, "up to the content");
        // "did not respond to" takes its object as content; a "that" is the content's.
        let mut t = reading(vec![at("Rubio", 0)], said.start..on.end, on.end..a.tokens.len() - 1);
        complete_cue(&ctx, &mut t);
        assert_eq!(t.cue, said.start..on.end, "no gap");
        let mut t = reading(vec![at("Rubio", 0)], said.start..on.end, that.end..a.tokens.len() - 1);
        complete_cue(&ctx, &mut t);
        assert_eq!(t.cue, said.start..on.end, "\"that\" is no object");
    }

    #[test]
    fn a_setting_is_no_cue() {
        let text = "Trump, in a post on his platform, called the bill a gift.";
        let a = crate::text::analyze(text);
        let ctx = context(&a, text);
        let (in_, on) = (token(&a, text, "in", 0), token(&a, text, "on", 0));
        assert!(setting_cue(&ctx, &(in_.start..on.end)));
        let called = token(&a, text, "called", 0);
        assert!(!setting_cue(&ctx, &called));
    }

    #[test]
    fn a_participle_takes_the_subject_of_the_clause_before() {
        for text in [
            "Protesters marched through the city on Sunday, urging lawmakers to act.",
            "Protesters spent Sunday urging lawmakers to act.",
            "A federal judge on Tuesday blocked a law that would have required two forms of ID, urging voters to act.",
        ] {
            let a = crate::text::analyze(text);
            let ctx = context(&a, text);
            let urging = token(&a, text, "urging", 0);
            let mut readings = vec![reading(Vec::new(), urging.clone(), urging.end..a.tokens.len() - 1)];
            participle_sources(&ctx, &mut readings);
            let subject = match text.split(' ').next() {
                Some("A") => 0..3,
                _ => token(&a, text, "Protesters", 0),
            };
            assert_eq!(readings[0].source, vec![subject], "{text}");
        }
        // Inside a quotation the clause before is the speaker's, not a source's.
        let quoted = "\"They marched on Sunday, urging lawmakers to act,\" she said.";
        let a = crate::text::analyze(quoted);
        let ctx = context(&a, quoted);
        let urging = token(&a, quoted, "urging", 0);
        let mut readings = vec![reading(Vec::new(), urging.clone(), urging.end..urging.end + 3)];
        participle_sources(&ctx, &mut readings);
        assert!(readings[0].source.is_empty());
    }
}
