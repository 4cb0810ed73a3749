//! The extraction rules. Each finds candidate attributions in one sentence, by token patterns
//! around a cue from the lexicon; [`super::select`] then keeps a consistent set.
//!
//! Rule ids (the `rule` of every attribution):
//! `verb-that`, `verb-zero-that`, `quote-after-verb`, `quote-before-verb`, `trailing-verb`,
//! `according-to`, `per`, `continuation`, `passive-it`, `passive-raising`, `hedge-adverb`,
//! `quote-continuation` (a quotation sentence that continues the previous direct quote).

use super::lexicon::{Cue, CueClass, CueForm, Gap, Lexicon, OutletRole};
use super::source::{is_determiner, is_pronoun};
use crate::model::{Kind, RuleId};
use crate::text::{Analysis, Quote, Sentence, TokenKind};
use std::ops::Range;

pub(crate) const VERB_THAT: RuleId = RuleId("verb-that");
pub(crate) const VERB_ZERO_THAT: RuleId = RuleId("verb-zero-that");
pub(crate) const QUOTE_AFTER_VERB: RuleId = RuleId("quote-after-verb");
pub(crate) const QUOTE_BEFORE_VERB: RuleId = RuleId("quote-before-verb");
pub(crate) const TRAILING_VERB: RuleId = RuleId("trailing-verb");
pub(crate) const ACCORDING_TO: RuleId = RuleId("according-to");
pub(crate) const PER: RuleId = RuleId("per");
pub(crate) const CONTINUATION: RuleId = RuleId("continuation");
pub(crate) const PASSIVE_IT: RuleId = RuleId("passive-it");
pub(crate) const PASSIVE_RAISING: RuleId = RuleId("passive-raising");
pub(crate) const HEDGE_ADVERB: RuleId = RuleId("hedge-adverb");
pub(crate) const QUOTE_CONTINUATION: RuleId = RuleId("quote-continuation");
pub(crate) const SPEAKER_LABEL: RuleId = RuleId("speaker-label");

/// Every rule id, for documentation and tests.
pub const RULES: [RuleId; 13] = [
    VERB_THAT,
    VERB_ZERO_THAT,
    QUOTE_AFTER_VERB,
    QUOTE_BEFORE_VERB,
    TRAILING_VERB,
    ACCORDING_TO,
    PER,
    CONTINUATION,
    PASSIVE_IT,
    PASSIVE_RAISING,
    HEDGE_ADVERB,
    QUOTE_CONTINUATION,
    SPEAKER_LABEL,
];

/// A candidate attribution, in token ranges.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub source: Option<Range<usize>>,
    /// The source is the governing attribution's ("…, saying …"); `source` is then the sentence's
    /// subject, the fallback when there is no attribution to continue.
    pub inherit: bool,
    pub cue: Range<usize>,
    pub content: Vec<Range<usize>>,
    pub kind: Kind,
    pub rule: RuleId,
    pub via: Option<Range<usize>>,
    pub hedged: bool,
    /// Higher wins conflicts.
    pub priority: u8,
}

impl Candidate {
    /// Every token the candidate claims (cue and content; the source only when its own).
    pub fn tokens(&self) -> impl Iterator<Item = usize> + '_ {
        let source = if self.inherit { None } else { self.source.clone() };
        self.content
            .iter()
            .cloned()
            .flatten()
            .chain(self.cue.clone())
            .chain(source.into_iter().flatten())
    }

    fn content_extent(&self) -> usize {
        self.content.iter().map(|r| r.len()).sum()
    }

    /// Sort key for conflict resolution: priority, then larger content.
    pub fn rank(&self) -> (u8, usize) {
        (self.priority, self.content_extent())
    }
}

/// Words that end a source noun phrase when scanning back from its cue.
const NP_BOUNDARY: [&str; 52] = [
    "that",
    "which",
    "who",
    "whom",
    "whose",
    "where",
    "when",
    "while",
    "because",
    "after",
    "before",
    "as",
    "since",
    "if",
    "although",
    "though",
    "but",
    "or",
    "so",
    "than",
    "until",
    "unless",
    "whether",
    "once",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "has",
    "have",
    "had",
    "will",
    "would",
    "can",
    "could",
    "should",
    "may",
    "might",
    "must",
    "do",
    "does",
    "did",
    "not",
    "however",
    "meanwhile",
    "moreover",
    "also",
    "now",
    "instead",
];
pub(crate) const PREPOSITIONS: [&str; 18] = [
    "on",
    "in",
    "at",
    "during",
    "after",
    "before",
    "by",
    "from",
    "with",
    "for",
    "to",
    "under",
    "over",
    "about",
    "amid",
    "despite",
    "following",
    "since",
];
/// Adverbs set off by commas between a source and its cue ("Officials, however, said").
const DISCOURSE_ADVERBS: [&str; 10] = [
    "however",
    "meanwhile",
    "too",
    "though",
    "instead",
    "moreover",
    "furthermore",
    "nonetheless",
    "nevertheless",
    "separately",
];
/// Object pronouns: a one-word addressee ("told him the plan had failed").
const OBJECT_PRONOUNS: [&str; 6] = ["him", "her", "them", "us", "me", "you"];
/// Prepositions that open a time or setting adjunct after a cue.
const ADJUNCT_PREPOSITIONS: [&str; 12] = [
    "on", "in", "at", "during", "after", "before", "late", "last", "this", "earlier", "early", "while",
];
const BE_FORMS: [&str; 8] = ["is", "are", "was", "were", "be", "been", "being", "am"];
/// Words after "per" that make it a rate ("per cent", "per year"), not a source.
const PER_RATES: [&str; 20] = [
    "cent", "capita", "annum", "se", "year", "day", "week", "month", "hour", "minute", "person", "head", "share",
    "barrel", "ton", "tonne", "unit", "kilogram", "kilo", "gallon",
];

/// The context rules work in.
pub(crate) struct Ctx<'a> {
    pub a: &'a Analysis,
    pub text: &'a str,
    pub lex: &'a Lexicon,
}

/// One sentence's token range, with the tokens a stop phrase blocks.
pub(crate) struct Sent {
    pub start: usize,
    pub end: usize,
    blocked: Vec<bool>,
}

impl Ctx<'_> {
    fn norm(&self, i: usize) -> &str {
        self.a.norm_at(i)
    }

    fn is_punct(&self, i: usize) -> bool {
        self.a.tokens.get(i).is_some_and(|t| t.kind == TokenKind::Punct)
    }

    pub(crate) fn is_word(&self, i: usize) -> bool {
        self.a.tokens.get(i).is_some_and(|t| t.kind != TokenKind::Punct)
    }

    /// Whether the tokens `range` are, whole, a paragraph label that introduces no speaker
    /// ("UPDATE", "EDITOR'S NOTE"; `labels.tsv`).
    pub(crate) fn is_label(&self, range: &Range<usize>) -> bool {
        self.lex
            .labels
            .longest(self.a, self.text, range.start, range.end)
            .is_some_and(|(len, _)| len == range.len())
    }

    /// The top-level quotation (not nested in another) opening at token `i`.
    fn quote_opening(&self, i: usize) -> Option<&Quote> {
        self.a.quotes.iter().find(|q| q.open_token == i && q.depth == 0)
    }

    /// The top-level quotation closing at token `i`.
    fn quote_closing(&self, i: usize) -> Option<&Quote> {
        self.a
            .quotes
            .iter()
            .find(|q| q.close_token == i && q.depth == 0 && q.closed)
    }

    /// Whether token `i` lies inside a closed top-level double quotation.
    fn in_quote(&self, i: usize) -> bool {
        self.a.quotes.iter().any(|q| {
            q.depth == 0
                && q.closed
                && q.mark == crate::text::QuoteMark::Double
                && q.open_token < i
                && i < q.close_token
        })
    }

    fn cue_at(&self, i: usize, end: usize) -> Option<(usize, CueForm, &Cue)> {
        let (len, form) = self.lex.cue_forms.longest(self.a, self.text, i, end)?;
        Some((len, *form, self.lex.cue(*form)?))
    }

    fn is(&self, i: usize, kind: Gap) -> bool {
        self.lex.is_gap(self.norm(i), kind)
    }

    fn is_sentence_end(&self, s: &Sent, i: usize) -> bool {
        (i..s.end).all(|k| self.is_punct(k) && !matches!(self.norm(k), "," | ":" | ";" | "(" | "-" | "—" | "–"))
    }

    /// Whether `range` holds an outlet name or an outlet noun.
    fn outlet_like(&self, range: &Range<usize>) -> bool {
        range
            .clone()
            .any(|i| self.lex.outlets.longest(self.a, self.text, i, range.end).is_some())
    }

    fn has_capital(&self, range: &Range<usize>) -> bool {
        range
            .clone()
            .any(|i| self.a.tokens.get(i).is_some_and(|t| t.capitalized))
    }

    /// Whether a complement shows a finite verb.
    fn has_finite_verb(&self, range: &Range<usize>) -> bool {
        range.clone().any(|i| {
            let word = self.norm(i);
            self.is(i, Gap::Finite) || (word.ends_with("ed") && word.len() >= 5 && !self.a.tokens[i].capitalized)
        })
    }

    /// End (exclusive) of a reported clause starting at `start`: the sentence's end, or before a
    /// trailing ", saying …", ", adding …", ", according to …", ", while …". Quotations are skipped
    /// whole.
    fn clause_end(&self, s: &Sent, start: usize) -> usize {
        let mut i = start;
        while i < s.end {
            if let Some(q) = self.quote_opening(i).filter(|q| q.closed && q.close_token < s.end) {
                i = q.close_token + 1;
                continue;
            }
            if self.norm(i) == "," {
                let next = i + 1;
                let continuation = self
                    .cue_at(next, s.end)
                    .is_some_and(|(_, form, cue)| form.ing && cue.class == CueClass::Verb);
                let according = self.norm(next) == "according" && self.norm(next + 1) == "to";
                // ", while X did Y" brings in another actor: the report stops there.
                let contrast = matches!(self.norm(next), "while" | "whereas");
                // ", after the Post reported that …": a report of its own, which frames this one.
                let framing = matches!(self.norm(next), "after" | "before" | "as" | "when" | "since")
                    && (next + 1..s.end.min(next + 12))
                        .take_while(|&k| self.norm(k) != "," && self.quote_opening(k).is_none())
                        .any(|k| {
                            self.report_verb_at(k, s.end)
                                .is_some_and(|(len, _)| self.norm(k + len) == "that")
                        });
                if continuation || according || contrast || framing || self.closing_report(s, next) {
                    return i;
                }
            }
            i += 1;
        }
        s.end
    }

    /// A finite reporting verb that takes a clause at token `i` ("said", "reported"; not
    /// "saying"): its length and cue.
    fn report_verb_at(&self, i: usize, end: usize) -> Option<(usize, &Cue)> {
        self.cue_at(i, end)
            .filter(|(_, form, cue)| cue.class == CueClass::Verb && cue.that && !form.ing)
            .map(|(len, _, cue)| (len, cue))
    }

    /// Whether the sentence ends, from `start`, with a report of what precedes it: "…, his office
    /// said (in a statement)." or "…, said Smith." Such a report holds the whole clause before its
    /// comma, reports included ("Netanyahu insisted the war would go on, his office said").
    fn closing_report(&self, s: &Sent, start: usize) -> bool {
        const LONGEST_SOURCE: usize = 8;
        let reporting = |k: usize| self.report_verb_at(k, s.end);
        let ends_after = |k: usize, cue: &Cue| {
            let next = scan_adjuncts(self, s, k, cue).next;
            self.is_sentence_end(s, next) || circumstance(self, s, next).is_some()
        };
        if let Some((len, cue)) = reporting(start).filter(|(_, cue)| cue.invert) {
            return self
                .np_forward(s, start + len, LONGEST_SOURCE)
                .is_some_and(|np| source_like(self, &np) && ends_after(skip_apposition(self, s, np.end), cue));
        }
        let last = (start + LONGEST_SOURCE).min(s.end);
        let verb = (start + 1..last)
            .take_while(|&k| !self.is_punct(k))
            .find_map(|k| reporting(k).map(|found| (k, found)));
        let Some((verb, (len, cue))) = verb else {
            return false;
        };
        let mut np_end = verb;
        while np_end > start && self.is(np_end - 1, Gap::Gap) {
            np_end -= 1;
        }
        np_end > start && source_like(self, &(start..np_end)) && ends_after(verb + len, cue)
    }

    /// `range` without trailing sentence punctuation (a closing quotation mark, brackets, "%" and
    /// the punctuation inside a quotation stay).
    fn trim_end(&self, range: Range<usize>) -> Range<usize> {
        let mut end = range.end;
        while end > range.start {
            let last = end - 1;
            let sentence_punct = matches!(
                self.norm(last),
                "." | "," | ";" | ":" | "!" | "?" | "-" | "—" | "–" | "…"
            );
            if sentence_punct && self.quote_closing(last).is_none() && !self.in_quote(last) {
                end -= 1;
            } else {
                break;
            }
        }
        range.start..end
    }

    /// The kind of a reported clause: direct when it is one quotation, mixed when it holds one.
    /// Returns the content, narrowed to the quotation when direct.
    pub(crate) fn classify(&self, range: Range<usize>) -> (Range<usize>, Kind) {
        let range = self.trim_end(range);
        // A quotation left open at the paragraph's end runs on into the next one: still a quotation.
        if let Some(q) = self.quote_opening(range.start) {
            let end = if q.closed { q.close_token + 1 } else { q.close_token };
            if end >= range.end {
                return (q.open_token..end, Kind::Direct);
            }
        }
        let has_quote = self
            .a
            .quotes
            .iter()
            .any(|q| q.depth == 0 && q.closed && range.contains(&q.open_token) && q.close_token < range.end);
        (range, if has_quote { Kind::Mixed } else { Kind::Indirect })
    }

    /// A noun phrase scanned forward from `start`, up to punctuation, "that", a quotation, or an
    /// adjunct preposition; at most `max` tokens.
    fn np_forward(&self, s: &Sent, start: usize, max: usize) -> Option<Range<usize>> {
        let mut end = start;
        while end < s.end && end - start < max {
            let word = self.norm(end);
            let stop = (self.is_punct(end) && word != "'s" && word != "&")
                || word == "that"
                || (end > start && (ADJUNCT_PREPOSITIONS.contains(&word) || word == "to" || word == "who"))
                || (end > start && self.lex.outlet_cues.longest(self.a, self.text, end, s.end).is_some());
            if stop {
                break;
            }
            end += 1;
        }
        (end > start).then_some(start..end)
    }

    /// The last token of a noun phrase that is not inside a closing bracket group ("Hale" in
    /// "Mike Hale (R)").
    fn head_end(&self, np: Range<usize>) -> Option<usize> {
        let mut last = np.end.checked_sub(1)?;
        if self.norm(last) == ")" {
            let open = (np.start..last).rev().find(|&k| self.norm(k) == "(")?;
            last = open.checked_sub(1).filter(|&k| k >= np.start)?;
        }
        Some(last)
    }

    /// The subject noun phrase starting at `start`: names, titles, source nouns, determiners and
    /// the adjectives before a noun, up to the verb ("The spokesman declined …" → "The spokesman").
    fn subject_forward(&self, s: &Sent, start: usize) -> Option<Range<usize>> {
        let mut end = start;
        let mut seen_noun = false;
        while end < s.end && end - start < 12 {
            let token = &self.a.tokens[end];
            let word = self.norm(end);
            if let Some((len, _)) = self.lex.titles.longest(self.a, self.text, end, s.end) {
                end += len;
                seen_noun = true;
                continue;
            }
            let noun = self.lex.nouns.longest(self.a, self.text, end, end + 1).is_some();
            // A determiner opening the sentence is capitalised and still no noun: "A federal judge".
            let determiner = is_determiner(word) || self.lex.numbers.longest(self.a, self.text, end, s.end).is_some();
            let ok = if token.kind == TokenKind::Punct {
                matches!(word, "'s" | "(" | ")" | "&")
            } else if determiner && !noun {
                !seen_noun
            } else if token.capitalized || word == "'s" || noun {
                true
            } else {
                // An adjective before a noun: "a senior official".
                !seen_noun
                    && (end + 1..s.end.min(end + 3))
                        .any(|k| self.lex.nouns.longest(self.a, self.text, k, k + 1).is_some())
            };
            if !ok {
                break;
            }
            seen_noun |= (token.capitalized && !determiner) || noun;
            end += 1;
        }
        (end > start).then_some(start..end)
    }

    /// Where a noun phrase starts once a time adjunct opening it is left out: "Earlier in the day
    /// the company", "Yesterday the minister", "Last week officials". The adjunct opens with a
    /// time word (`time.tsv`: a unit, "earlier", "later", "last") and runs over time words,
    /// prepositions, numbers and the determiners before them; `start` when no such adjunct opens
    /// the phrase or nothing would be left after it ("Monday's statement" stays whole).
    fn after_leading_time(&self, start: usize, end: usize) -> usize {
        let lex = self.lex;
        let time = |k: usize| {
            let word = self.norm(k);
            lex.time_units.contains(word) || lex.time_modifiers.contains(word)
        };
        let opens =
            lex.time_units.contains(self.norm(start)) || matches!(self.norm(start), "earlier" | "later" | "last");
        if !opens {
            return start;
        }
        let mut k = start;
        while k < end {
            let word = self.norm(k);
            let number = self.a.tokens[k].kind == TokenKind::Number;
            let before_time = k + 1 < end && (time(k + 1) || self.a.tokens[k + 1].kind == TokenKind::Number);
            if time(k) || number || PREPOSITIONS.contains(&word) || (is_determiner(word) && before_time) {
                k += 1;
            } else {
                break;
            }
        }
        if k < end && self.is_word(k) { k } else { start }
    }

    /// Like [`Self::np_forward`], inside `start..end`; empty when nothing qualifies.
    fn np_forward_within(&self, start: usize, end: usize) -> Range<usize> {
        self.np_forward(&Sent::bare(start..end), start, 8)
            .unwrap_or(start..start)
    }

    /// The source noun phrase ending right before `end` (exclusive), scanned back to `floor`.
    fn np_backward(&self, floor: usize, end: usize) -> Option<Range<usize>> {
        let mut start = end;
        while start > floor && end - start < 14 {
            let i = start - 1;
            let word = self.norm(i);
            // A short bracket belongs to the name: "Martin O'Malley (D)".
            if word == ")"
                && let Some(open) = (i.saturating_sub(5).max(floor)..i).rev().find(|&k| self.norm(k) == "(")
                && open > floor
            {
                start = open;
                continue;
            }
            let np_token = match self.a.tokens[i].kind {
                TokenKind::Punct => matches!(word, "&" | "'s"),
                _ => word == "'s" || !NP_BOUNDARY.contains(&word),
            };
            // A finite reporting verb ends the phrase ("He said officials claimed …"); capitalised
            // and plural forms are nouns ("Secretary of State", "Reports in the media").
            let another_cue = !self.a.tokens[i].capitalized
                && (word.ends_with("ed") || matches!(word, "said" | "told" | "says" | "wrote" | "thought"))
                && self.cue_at(i, i + 1).is_some_and(|(_, _, c)| c.class == CueClass::Verb);
            let conjunction_ok = word == "and"
                && self.a.tokens.get(i + 1).is_some_and(|t| t.capitalized)
                && i > 0
                && self.a.tokens.get(i - 1).is_some_and(|t| t.capitalized);
            if !(np_token && !another_cue && (word != "and" || conjunction_ok)) {
                break;
            }
            start = i;
        }
        if end - start >= 14 {
            return None;
        }
        // A leading prepositional phrase is an adjunct ("On Tuesday officials said").
        if PREPOSITIONS.contains(&self.norm(start)) {
            let mut k = start + 1;
            while k < end
                && (self.a.tokens[k].capitalized
                    || self.a.tokens[k].kind == TokenKind::Number
                    || is_determiner(self.norm(k)))
            {
                k += 1;
            }
            start = k;
        }
        start = self.after_leading_time(start, end);
        let last = self.head_end(start..end)?;
        let valid = start < end
            && self.is_word(last)
            && !is_determiner(self.norm(last))
            && !PREPOSITIONS.contains(&self.norm(last));
        valid.then_some(start..end)
    }
}

/// A scanned source before a cue.
struct SourceScan {
    np: Range<usize>,
    via: Option<Range<usize>>,
    /// The relative pronoun right before the source when the cue is the verb of a relative clause
    /// ("The plan, which critics say will cost billions, …"): the pronoun stands for the content's
    /// subject.
    relative: Option<usize>,
}

/// Adjuncts after a cue: where the complement may start, and any intermediary found.
struct Adjuncts {
    next: usize,
    via: Option<Range<usize>>,
}

impl Sent {
    pub(crate) fn new(ctx: &Ctx<'_>, sentence: &Sentence) -> Sent {
        let (start, end) = (sentence.tokens.start, sentence.tokens.end);
        let mut blocked = vec![false; end - start];
        for i in start..end {
            if let Some(len) = ctx.lex.stop_at(ctx.a, ctx.text, i, end) {
                blocked[i - start..i - start + len].fill(true);
            }
        }
        Sent { start, end, blocked }
    }

    /// The tokens `range` as a sentence with no stop phrase read: for scans that never look for a
    /// cue (noun phrases, adjuncts).
    fn bare(range: Range<usize>) -> Sent {
        Sent {
            start: range.start,
            end: range.end,
            blocked: Vec::new(),
        }
    }

    /// The sentence cut before token `end`.
    fn truncated(&self, end: usize) -> Sent {
        let end = end.clamp(self.start, self.end);
        Sent {
            start: self.start,
            end,
            blocked: self.blocked.iter().copied().take(end - self.start).collect(),
        }
    }

    fn is_blocked(&self, i: usize) -> bool {
        i.checked_sub(self.start)
            .and_then(|k| self.blocked.get(k))
            .copied()
            .unwrap_or(false)
    }
}

/// Every candidate attribution of one sentence.
pub(crate) fn candidates(ctx: &Ctx<'_>, s: &Sent) -> Vec<Candidate> {
    let mut out = Vec::new();
    let mut i = s.start;
    while i < s.end {
        if s.is_blocked(i) || ctx.in_quote(i) {
            i += 1;
            continue;
        }
        let Some((len, form, cue)) = ctx.cue_at(i, s.end) else {
            i += 1;
            continue;
        };
        let found = match cue.class {
            CueClass::Prep => according_to(ctx, s, i, len, cue),
            CueClass::Adverb => hedge_adverb(ctx, s, i, len),
            CueClass::Verb if form.ing => continuation(ctx, s, i, len, cue),
            CueClass::Verb => verb(ctx, s, i, len, cue),
        };
        out.extend(found);
        i += len;
    }
    out
}

fn candidate(
    source: Option<Range<usize>>,
    cue: Range<usize>,
    content: Vec<Range<usize>>,
    kind: Kind,
    rule: RuleId,
) -> Candidate {
    let priority = match rule {
        r if r == HEDGE_ADVERB => 0,
        r if r == PASSIVE_RAISING || r == PASSIVE_IT => 1,
        r if r == CONTINUATION => 2,
        _ => 3,
    };
    Candidate {
        source,
        inherit: false,
        cue,
        content,
        kind,
        rule,
        via: None,
        hedged: false,
        priority,
    }
}

/// A reporting verb that is not a participle: "X said (that) …", "…," X said", "…," said X".
fn verb(ctx: &Ctx<'_>, s: &Sent, i: usize, len: usize, cue: &Cue) -> Option<Candidate> {
    if ctx.a.tokens[i].capitalized {
        return None;
    }
    let prev = i.checked_sub(1).filter(|&p| p >= s.start);
    if let Some(p) = prev {
        let word = ctx.norm(p);
        if is_determiner(word) || word == "'s" {
            return None;
        }
        if BE_FORMS.contains(&word) || (word == "not" && p > s.start && BE_FORMS.contains(&ctx.norm(p - 1))) {
            return if cue.passive {
                passive(ctx, s, i, len, cue)
            } else {
                None
            };
        }
    }
    let after = i + len;
    let adjuncts = scan_adjuncts(ctx, s, after, cue);
    let before = source_before(ctx, s, i);
    // "“…,” she said, “…”": a sentence that opens with a quotation closing right before the source
    // is reported by what follows (a split quotation), not by a complement.
    let quote_first = before
        .as_ref()
        .is_some_and(|src| src.np.start > s.start && quote_ends_at(ctx, s, src.np.start - 1));
    if let Some(src) = &before
        && !quote_first
        && let Some(pronoun) = src.relative
    {
        return relative_clause(ctx, s, pronoun, src.np.clone(), i..after, adjuncts, cue);
    }
    if let Some(src) = &before
        && !quote_first
        && let Some((content, kind, rule)) = complement(ctx, s, adjuncts.next, cue)
    {
        let mut c = candidate(Some(src.np.clone()), i..after, content, kind, rule);
        c.via = adjuncts
            .via
            .or(src.via.clone())
            .or_else(|| leading_via(ctx, s, src.np.start));
        c.hedged = cue.hedge;
        return Some(c);
    }
    trailing(ctx, s, i, len, cue, before, adjuncts)
}

/// A report made inside a relative clause: "The plan, which critics say will cost billions, was
/// approved" reads (critics, say, "which … will cost billions"). The pronoun is the content's first
/// fragment (it stands for the content's subject), and the content ends with the clause: at its
/// closing comma when the clause interrupts the sentence's subject, else where a complement would.
fn relative_clause(
    ctx: &Ctx<'_>,
    s: &Sent,
    pronoun: usize,
    source: Range<usize>,
    cue_tokens: Range<usize>,
    adjuncts: Adjuncts,
    cue: &Cue,
) -> Option<Candidate> {
    let interrupts_subject =
        pronoun > s.start && ctx.norm(pronoun - 1) == "," && !ctx.has_finite_verb(&(s.start..pronoun - 1));
    let end = if interrupts_subject {
        (adjuncts.next..s.end)
            .find(|&k| ctx.norm(k) == "," && !ctx.in_quote(k))
            .unwrap_or(s.end)
    } else {
        s.end
    };
    let (content, kind, rule) = complement(ctx, &s.truncated(end), adjuncts.next, cue)?;
    let mut c = candidate(Some(source), cue_tokens, content, kind, rule);
    c.content.insert(0, pronoun..pronoun + 1);
    if c.kind == Kind::Direct {
        c.kind = Kind::Mixed;
    }
    c.via = adjuncts.via;
    c.hedged = cue.hedge;
    Some(c)
}

/// "CONTENT, SOURCE said [adjuncts]." and "CONTENT," said SOURCE [adjuncts]." — the content comes
/// first; a split quotation may follow (", "…"").
fn trailing(
    ctx: &Ctx<'_>,
    s: &Sent,
    i: usize,
    len: usize,
    cue: &Cue,
    before: Option<SourceScan>,
    adjuncts: Adjuncts,
) -> Option<Candidate> {
    let after = i + len;
    // Where the content ends: before the source (normal order) or before the cue (inverted).
    let (source, boundary, mut rest, mut via) = match before {
        Some(src) if src.np.start > s.start && is_content_boundary(ctx, src.np.start - 1) => (
            src.np.clone(),
            src.np.start - 1,
            adjuncts.next,
            adjuncts.via.or(src.via),
        ),
        _ if cue.invert && i > s.start && is_content_boundary(ctx, i - 1) => {
            let np = ctx.np_forward(s, after, 12)?;
            if !source_like(ctx, &np) {
                return None;
            }
            let more = scan_adjuncts(ctx, s, np.end, cue);
            (np, i - 1, more.next, more.via)
        }
        _ => return None,
    };
    let mut source = source;
    rest = skip_apposition(ctx, s, rest);
    // ", citing Y": Y is the source, the subject the intermediary.
    if ctx.norm(rest) == "," && ctx.norm(rest + 1) == "citing" {
        let cited = ctx.np_forward(s, rest + 2, 14)?;
        via = Some(source.clone());
        source = cited.clone();
        rest = cited.end;
    }
    if let Some((end, cited)) = circumstance(ctx, s, rest) {
        if let Some(cited) = cited {
            via = Some(source.clone());
            source = cited;
        }
        rest = end;
    }
    let content_end = if ctx.quote_closing(boundary).is_some() {
        boundary + 1
    } else {
        boundary
    };
    let first = content_start(ctx, s);
    if first >= content_end {
        return None;
    }
    let (first_part, kind) = ctx.classify(first..content_end);
    // Verbs that report only quotations ("asked", "continued") need one: "After a pause, the talks
    // continued" reports nothing.
    if kind != Kind::Direct && !cue.that {
        return None;
    }
    let mut content = vec![first_part];
    let mut kind = kind;
    // A quotation split by the attribution: "…," she said, "…".
    if ctx.norm(rest) == ","
        && let Some(q) = ctx.quote_opening(rest + 1).filter(|q| q.closed)
        && ctx.is_sentence_end(s, q.close_token + 1)
    {
        content.push(q.open_token..q.close_token + 1);
        rest = q.close_token + 1;
    } else if kind != Kind::Direct && ctx.norm(rest) == "," && rest + 1 < s.end && !ends_here(ctx, s, rest) {
        // "The talks, he said, will resume": the content continues after the attribution.
        let tail = ctx.trim_end(rest + 1..ctx.clause_end(s, rest + 1));
        if tail.is_empty() {
            return None;
        }
        content.push(tail);
        kind = Kind::Indirect;
        rest = s.end;
    }
    // After a quotation, whatever follows the attribution is circumstance ("…," Cruz said as the
    // heckler yelled); after a paraphrase it might be more content, so it must end there.
    if kind != Kind::Direct && !ends_here(ctx, s, rest) {
        return None;
    }
    let rule = if kind == Kind::Direct {
        QUOTE_BEFORE_VERB
    } else {
        TRAILING_VERB
    };
    let mut c = candidate(Some(source), i..after, content, kind, rule);
    c.via = via;
    c.hedged = cue.hedge;
    Some(c)
}

/// Words after which a trailing report's circumstance names whom the report cites: "…, the Ledger
/// said in a report on Tuesday that cited two officials".
const CITING: [&str; 4] = ["cited", "quoted", "citing", "quoting"];

/// The circumstance closing a trailing report, from `rest` to the sentence's end: "…, the agency
/// said in a notice posted on its website late on Monday." It opens with a preposition or a time
/// word and holds no quotation, comma or clause of its own ("that" only before a verb of citing,
/// whose object is returned: the report's source). Returns where the sentence ends, and that
/// object.
fn circumstance(ctx: &Ctx<'_>, s: &Sent, rest: usize) -> Option<(usize, Option<Range<usize>>)> {
    const LONGEST: usize = 16;
    let end = ctx.trim_end(rest..s.end).end;
    let first = ctx.norm(rest);
    let opens = ADJUNCT_PREPOSITIONS.contains(&first)
        || ctx.is(rest, Gap::Time)
        || (first == "that" && CITING.contains(&ctx.norm(rest + 1)));
    if !opens || end <= rest || end - rest > LONGEST || (rest..s.end).any(|k| ctx.quote_opening(k).is_some()) {
        return None;
    }
    let mut cited = None;
    for k in rest..end {
        let word = ctx.norm(k);
        if word == "," || word == ";" {
            return None;
        }
        let citing = CITING.contains(&word) && (word.ends_with("ing") || k > rest && ctx.norm(k - 1) == "that");
        if citing {
            cited = Some(ctx.np_forward(s, k + 1, 14)?);
            break;
        }
        if word == "that" && !CITING.contains(&ctx.norm(k + 1)) {
            return None;
        }
    }
    Some((s.end, cited))
}

/// Whether token `i` closes (or, as a comma, directly follows) a quotation that opens the sentence.
fn quote_ends_at(ctx: &Ctx<'_>, s: &Sent, i: usize) -> bool {
    let close = if ctx.norm(i) == "," && i > s.start { i - 1 } else { i };
    ctx.quote_closing(close)
        .is_some_and(|q| q.open_token == content_start(ctx, s))
}

/// After a source named last ("…," said Anna Kowalska, an economist at a brokerage."), an
/// apposition up to the sentence's end describes the source: skip it.
fn skip_apposition(ctx: &Ctx<'_>, s: &Sent, rest: usize) -> usize {
    if ctx.norm(rest) != "," || rest + 1 >= s.end {
        return rest;
    }
    let first = ctx.norm(rest + 1);
    let apposition = is_determiner(first)
        || first == "who"
        || ctx.lex.titles.longest(ctx.a, ctx.text, rest + 1, s.end).is_some()
        || ctx.lex.numbers.longest(ctx.a, ctx.text, rest + 1, s.end).is_some();
    let no_quote = (rest + 1..s.end).all(|k| ctx.quote_opening(k).is_none());
    let end = ctx.trim_end(rest + 1..s.end).end;
    // "…, two officials told the agency, speaking on condition of anonymity because they were not
    // authorised to …": the gloss and its reason describe the source.
    let gloss = ctx.lex.glosses.longest(ctx.a, ctx.text, rest + 1, s.end).is_some();
    if no_quote && ((apposition && ctx.clause_end(s, rest + 1) == s.end) || gloss) {
        end.max(rest + 1)
    } else {
        rest
    }
}

/// Whether the content may stop right before token `i`: a comma, or a closing quotation mark.
fn is_content_boundary(ctx: &Ctx<'_>, i: usize) -> bool {
    ctx.norm(i) == "," || ctx.quote_closing(i).is_some()
}

/// Whether nothing but final punctuation, or a continuation (", saying …"), follows `i`.
fn ends_here(ctx: &Ctx<'_>, s: &Sent, i: usize) -> bool {
    ctx.is_sentence_end(s, i) || (ctx.norm(i) == "," && ctx.clause_end(s, i) == i)
}

/// The first token of a content that starts the sentence: skips a leading dash.
fn content_start(ctx: &Ctx<'_>, s: &Sent) -> usize {
    let mut k = s.start;
    while k < s.end && matches!(ctx.norm(k), "-" | "—" | "–" | "•") {
        k += 1;
    }
    k
}

/// The complement of a cue at `k`: a "that" clause, a quotation, or a clause without "that".
fn complement(ctx: &Ctx<'_>, s: &Sent, k: usize, cue: &Cue) -> Option<(Vec<Range<usize>>, Kind, RuleId)> {
    if k >= s.end {
        return None;
    }
    let word = ctx.norm(k);
    // "said in a report that cited two officials": a relative clause of the adjunct, no complement.
    if word == "that" && CITING.contains(&ctx.norm(k + 1)) {
        return None;
    }
    if word == "that" && cue.that {
        let end = ctx.clause_end(s, k + 1);
        let (content, kind) = ctx.classify(k + 1..end);
        return (!content.is_empty()).then(|| (vec![content], kind, VERB_THAT));
    }
    if matches!(word, "," | ":")
        && let Some(q) = ctx.quote_opening(k + 1)
    {
        let end = if q.closed { q.close_token + 1 } else { q.close_token };
        let quote = q.open_token..end;
        return Some((vec![quote], Kind::Direct, QUOTE_AFTER_VERB));
    }
    if ctx.quote_opening(k).is_some() || (word == ":" && cue.that) {
        let start = if word == ":" { k + 1 } else { k };
        let end = ctx.clause_end(s, start);
        let (content, kind) = ctx.classify(start..end);
        let rule = if kind == Kind::Direct {
            QUOTE_AFTER_VERB
        } else {
            VERB_THAT
        };
        return (!content.is_empty()).then(|| (vec![content], kind, rule));
    }
    if cue.zero || cue.zero_verb {
        let end = ctx.clause_end(s, k);
        let (content, kind) = ctx.classify(k..end);
        let first = ctx.norm(k);
        let clause_like = content.len() >= 3
            && ctx.is_word(k)
            && !PREPOSITIONS.contains(&first)
            && first != "to"
            && ctx.cue_at(k, k + 1).is_none()
            // "the Meridian Wire report was published": a verb that takes a bare clause only
            // sometimes ("reported the bridge was closed") is a noun before a verb of its own.
            && (cue.zero || !BE_FORMS.contains(&first))
            && (cue.zero || ctx.has_finite_verb(&content));
        return clause_like.then(|| (vec![content], kind, VERB_ZERO_THAT));
    }
    None
}

/// Skips what may stand between a cue and its complement: an addressee ("told reporters"), time and
/// setting phrases ("on Tuesday", "in a statement"), adverbs, an interview ("in an interview with
/// CNN"). Intermediaries found on the way are returned.
fn scan_adjuncts(ctx: &Ctx<'_>, s: &Sent, start: usize, cue: &Cue) -> Adjuncts {
    let mut k = start;
    let mut via = None;
    for _ in 0..5 {
        if k >= s.end {
            break;
        }
        let word = ctx.norm(k);
        // An auxiliary after the cue opens its complement: "supporters say will help".
        let auxiliary = matches!(word, "has" | "have" | "had" | "will" | "would");
        if ctx.is(k, Gap::Gap) && !ADJUNCT_PREPOSITIONS.contains(&word) && !auxiliary {
            k += 1;
            continue;
        }
        if let Some((len, role)) = ctx.lex.outlet_cues.longest(ctx.a, ctx.text, k, s.end)
            && *role == OutletRole::Intermediary
            && ctx.cue_at(k, k + 1).is_none()
        {
            let np = ctx.np_forward(s, k + len, 8);
            if let Some(np) = np {
                if ctx.outlet_like(&np) || ctx.has_capital(&np) {
                    via = Some(np.clone());
                }
                k = np.end;
                continue;
            }
        }
        if k == start && (cue.object || word == "to") {
            let from = if word == "to" { k + 1 } else { k };
            if ctx.norm(from) == "that" || ctx.quote_opening(from).is_some() {
                break;
            }
            if let Some(np) = addressee(ctx, s, from) {
                if ctx.outlet_like(&np) {
                    via = Some(np.clone());
                }
                k = np.end;
                continue;
            }
        }
        if ADJUNCT_PREPOSITIONS.contains(&word) {
            // Up to a time word ("on Tuesday", "in a statement"), or up to "that".
            let window = (k + 1..s.end.min(k + 6)).find(|&j| ctx.is(j, Gap::Time));
            if let Some(j) = window {
                k = j + 1;
                continue;
            }
            let limit = s.end.min(k + 9);
            let stop = (k + 1..limit).find(|&j| ctx.is_punct(j) || ctx.norm(j) == "that");
            match stop {
                Some(j) if ctx.norm(j) == "that" || ctx.is_sentence_end(s, j) || ctx.norm(j) == "," => {
                    k = j;
                    continue;
                }
                None if limit == s.end => {
                    k = s.end;
                    continue;
                }
                _ => break,
            }
        }
        if ctx.is(k, Gap::Time) {
            k += 1;
            continue;
        }
        // "told the committee on Monday, before the report was published, that …": a parenthesis
        // set off by commas, with "that" right after it.
        if word == "," && k > start {
            let close = (k + 1..s.end.min(k + 14)).find(|&j| ctx.norm(j) == "," || ctx.quote_opening(j).is_some());
            if let Some(j) = close.filter(|&j| ctx.norm(j) == "," && ctx.norm(j + 1) == "that") {
                k = j + 1;
                continue;
            }
        }
        break;
    }
    Adjuncts { next: k, via }
}

/// The addressee after "told": a pronoun, an outlet, or a short noun phrase that ends before the
/// next determiner or pronoun ("told reporters the plan had failed", "told the AP his firm …").
fn addressee(ctx: &Ctx<'_>, s: &Sent, start: usize) -> Option<Range<usize>> {
    if OBJECT_PRONOUNS.contains(&ctx.norm(start)) {
        return Some(start..start + 1);
    }
    if let Some((len, _)) = ctx.lex.outlets.longest(ctx.a, ctx.text, start, s.end) {
        return Some(start..start + len);
    }
    let np = ctx.np_forward(s, start, 6)?;
    let cut = (np.start + 1..np.end)
        .find(|&k| {
            let word = ctx.norm(k);
            (is_determiner(word) && word != "'s") || is_pronoun(word)
        })
        .unwrap_or(np.end);
    Some(np.start..cut)
}

/// The source noun phrase before the cue at `i`, skipping adverbs ("also") and a parenthesis set off
/// by commas ("X, speaking at a rally, said"; "Bloomberg, citing two people, reported").
fn source_before(ctx: &Ctx<'_>, s: &Sent, i: usize) -> Option<SourceScan> {
    let mut j = i;
    for _ in 0..3 {
        if j > s.start && ctx.is(j - 1, Gap::Gap) {
            j -= 1;
        }
    }
    if j <= s.start {
        return None;
    }
    // "The city on Thursday denied …", "The ministry in a statement said …": the adjunct before
    // the cue says when or how, and is no part of the source.
    if ctx.is(j - 1, Gap::Time) {
        let opening = (j.saturating_sub(4).max(s.start + 1)..j - 1)
            .rev()
            .take_while(|&k| ADJUNCT_PREPOSITIONS.contains(&ctx.norm(k)) || is_determiner(ctx.norm(k)))
            .filter(|&k| ADJUNCT_PREPOSITIONS.contains(&ctx.norm(k)))
            .last();
        if let Some(k) = opening {
            j = k;
        } else if matches!(ctx.norm(j - 1), "yesterday" | "today" | "tonight") && j - 1 > s.start {
            j -= 1;
        }
    }
    // "The spokesman refused to answer but said …": the coordinated verb's source is the subject.
    if matches!(ctx.norm(j - 1), "and" | "but") {
        let subject = sentence_subject(ctx, s)?;
        return (subject.end < j - 1).then_some(SourceScan {
            np: subject,
            via: None,
            relative: None,
        });
    }
    let mut via = None;
    let mut cited = None;
    let next_to_cue = ctx.norm(j - 1) != ",";
    if !next_to_cue {
        let close = j - 1;
        let open = (s.start..close)
            .rev()
            .take(30)
            .find(|&p| ctx.norm(p) == "," && !ctx.in_quote(p))?;
        let paren = open + 1..close;
        match parenthesis(ctx, &paren) {
            Parenthesis::Intermediary(np) => via = Some(np),
            Parenthesis::Citing(np) => cited = Some(np),
            Parenthesis::Other => {}
            Parenthesis::NotOne => return None,
        }
        j = open;
    }
    let mut np = ctx.np_backward(s.start, j)?;
    // "The plan, which critics say will cost billions, …": the cue is the relative clause's verb and
    // its subject the source.
    if next_to_cue
        && np.start > s.start
        && matches!(ctx.norm(np.start - 1), "which" | "who" | "whom")
        && source_like(ctx, &np)
    {
        let relative = Some(np.start - 1);
        return Some(SourceScan {
            np,
            via: None,
            relative,
        });
    }
    // "Ms. Arnold, who helped found EDGE, an environmental group, said": the phrase found is the
    // end of a relative clause; the source stands before it.
    for _ in 0..2 {
        let relative = np.start >= s.start + 2
            && matches!(ctx.norm(np.start - 1), "who" | "which" | "whose")
            && ctx.norm(np.start - 2) == ",";
        if !relative {
            break;
        }
        np = ctx.np_backward(s.start, np.start - 2)?;
    }
    if let Some(start) = plural_after_a(ctx, &np) {
        np.start = start;
    }
    if !source_like(ctx, &np) {
        return None;
    }
    match cited {
        Some(cited) => Some(SourceScan {
            np: cited,
            via: Some(np),
            relative: None,
        }),
        None => Some(SourceScan {
            np,
            via,
            relative: None,
        }),
    }
}

enum Parenthesis {
    Intermediary(Range<usize>),
    Citing(Range<usize>),
    Other,
    NotOne,
}

/// What a comma-delimited insertion between a source and its cue is.
fn parenthesis(ctx: &Ctx<'_>, paren: &Range<usize>) -> Parenthesis {
    if paren.is_empty() {
        return Parenthesis::NotOne;
    }
    let start = paren.start;
    if let Some((len, role)) = ctx.lex.outlet_cues.longest(ctx.a, ctx.text, start, paren.end) {
        // "speaking to reporters in Ankara": the medium is the phrase right after the cue.
        let np = match role {
            OutletRole::Citing => start + len..paren.end,
            _ => ctx.np_forward_within(start + len, paren.end),
        };
        return match role {
            OutletRole::Intermediary if !np.is_empty() && (ctx.outlet_like(&np) || ctx.has_capital(&np)) => {
                Parenthesis::Intermediary(np)
            }
            OutletRole::Citing if !np.is_empty() => Parenthesis::Citing(np),
            _ => Parenthesis::Other,
        };
    }
    let first = ctx.norm(start);
    if paren.len() == 1 && DISCOURSE_ADVERBS.contains(&first) {
        return Parenthesis::Other;
    }
    let participle = first.ends_with("ing") && first.len() > 4;
    let apposition = is_determiner(first)
        || matches!(
            first,
            "who" | "which" | "whose" | "herself" | "himself" | "itself" | "themselves"
        )
        || ctx.lex.numbers.longest(ctx.a, ctx.text, start, paren.end).is_some()
        || ctx.lex.titles.longest(ctx.a, ctx.text, start, paren.end).is_some();
    if participle || apposition {
        Parenthesis::Other
    } else {
        Parenthesis::NotOne
    }
}

/// The sentence's subject: the noun phrase it opens with, when that is a name or a pronoun.
fn sentence_subject(ctx: &Ctx<'_>, s: &Sent) -> Option<Range<usize>> {
    let np = ctx.subject_forward(s, content_start(ctx, s))?;
    let named = ctx.a.tokens[np.start].capitalized || (np.len() == 1 && is_pronoun(ctx.norm(np.start)));
    (named && source_like(ctx, &np)).then_some(np)
}

/// The subject of the clause that ends at token `end` (a comma): the noun phrase after the last
/// clause boundary ("while", "whereas", "but", "and", a comma) before it, when that is a name or a
/// pronoun.
fn clause_subject(ctx: &Ctx<'_>, s: &Sent, end: usize) -> Option<Range<usize>> {
    let boundaries = (s.start..end.saturating_sub(1))
        .rev()
        .filter(|&k| matches!(ctx.norm(k), "while" | "whereas" | "but" | "," | ";") && !ctx.in_quote(k));
    for boundary in boundaries.take(3) {
        if let Some(np) = ctx.subject_forward(s, boundary + 1).filter(|np| np.end < end)
            && (ctx.a.tokens[np.start].capitalized || (np.len() == 1 && is_pronoun(ctx.norm(np.start))))
            && source_like(ctx, &np)
        {
            return Some(np);
        }
    }
    sentence_subject(ctx, s).filter(|np| np.end < end)
}

/// The intermediary of a report read elsewhere (by the tagger) whose cue is `cue`, where the rules
/// find one: after the cue ("told CNBC", "said in an interview with CNN") or opening the sentence
/// ("Speaking to the BBC, …"). Within `limit`, the token range the report's content and source
/// leave free.
pub(crate) fn intermediary_of(ctx: &Ctx<'_>, cue: &Range<usize>, limit: &Range<usize>) -> Option<Range<usize>> {
    let sentence = ctx.a.sentence_at(ctx.a.tokens.get(cue.start)?.span.start)?;
    let s = Sent::bare(sentence.tokens.clone());
    let (_, _, entry) = ctx.cue_at(cue.start, cue.end)?;
    let after = scan_adjuncts(ctx, &s, cue.end, entry).via;
    let before = || leading_via(ctx, &s, cue.start);
    after
        .or_else(before)
        .filter(|via| limit.start <= via.start && via.end <= limit.end)
}

/// Where the source starts in a phrase "a X Ys" (`np`, token range) that is two noun phrases: "…,
/// a move supporters say will help" — "a" cannot determine a plural, so the source is the plural
/// source noun and what follows it ("a few officials" is a count, one phrase).
pub(crate) fn plural_after_a(ctx: &Ctx<'_>, np: &Range<usize>) -> Option<usize> {
    if np.len() < 3 || !matches!(ctx.norm(np.start), "a" | "an") {
        return None;
    }
    let count = ctx.lex.numbers.longest(ctx.a, ctx.text, np.start, np.end);
    let plural = ctx
        .lex
        .nouns
        .longest(ctx.a, ctx.text, np.start + 2, np.start + 3)
        .is_some_and(|(_, noun)| noun.plural);
    (count.is_none_or(|(len, _)| len == 1) && plural).then_some(np.start + 2)
}

/// Where a content that reaches token `k` may run on to, when a quotation it quotes closes right
/// before `k` and the clause goes on in lower case (`said inspectors had found "serious failings"
/// in quality control …`): the clause's end, without final punctuation. `None` otherwise.
pub(crate) fn clause_after_quote(ctx: &Ctx<'_>, start: usize, k: usize) -> Option<usize> {
    let quote = ctx.quote_closing(k.checked_sub(1)?)?;
    let token = ctx.a.tokens.get(k)?;
    let sentence = ctx.a.sentence_at(token.span.start)?;
    let goes_on = quote.open_token > start && ctx.is_word(k) && !token.capitalized && ctx.cue_at(k, k + 1).is_none();
    if !goes_on || !sentence.tokens.contains(&start) {
        return None;
    }
    let s = Sent::new(ctx, sentence);
    let end = ctx.trim_end(k..ctx.clause_end(&s, k)).end;
    (end > k).then_some(end)
}

/// Whether a time or setting adjunct opens at token `k`: a preposition with a time word soon after
/// ("in a statement", "at a news conference", "on Tuesday").
pub(crate) fn setting_at(ctx: &Ctx<'_>, k: usize) -> bool {
    const REACH: usize = 4;
    matches!(ctx.norm(k), "in" | "at" | "on" | "during")
        && (k + 1..(k + 1 + REACH).min(ctx.a.tokens.len())).any(|j| ctx.is(j, Gap::Time))
}

/// The source of a participle whose clause ends at token `end`, the comma before the participle
/// ("…, urging voters to …", "…, accusing him of …") or the participle itself ("spent the day
/// denouncing …"): the subject of that clause, outside quotations.
pub(crate) fn participle_subject(ctx: &Ctx<'_>, end: usize) -> Option<Range<usize>> {
    if ctx.in_quote(end) {
        return None;
    }
    let sentence = ctx.a.sentence_at(ctx.a.tokens.get(end)?.span.start)?;
    clause_subject(ctx, &Sent::new(ctx, sentence), end).filter(|np| !PREPOSITIONS.contains(&ctx.norm(np.start)))
}

/// The longest speaker's name in a label: "KATE BOULDUAN", "MS. CLINTON", "SEN. JOHN SMITH (R-TEXAS)".
const MAX_LABEL: usize = 6;
/// The longest description after a label's name: ", interior minister (recorded)".
const MAX_LABEL_DESCRIPTION: usize = 10;

/// A transcript's turn: a paragraph (`block`, token range) opening with a speaker's label and a
/// colon ("WALLACE: Let's start …", "\"PENCE: Well, …", "ORIEL DAMSGAARD, interior minister
/// (recorded): …"). The label is the source: a name in capitals, with any description after a
/// comma; a note in brackets that is not in capitals ("(recorded)", "(Kestrava)") is left out.
/// The colon is the cue and the rest of the paragraph what the speaker said (verbatim, but its
/// kind is read from the text, as for any report: unquoted, it is indirect). Labels that introduce
/// no speaker ("UPDATE:", "WATCH:", "NEWSREADER:", whose turns are the outlet's own voice) are
/// listed in `labels.tsv`; a paragraph in title case is a headline under a kicker ("FIX IS IN:
/// Moderators Ignore The Question"), not a turn. A transcript has two turns at least:
/// `extract_rules` keeps the turns of a document only when there are.
pub(crate) fn speaker_label(ctx: &Ctx<'_>, block: Range<usize>) -> Option<Candidate> {
    let mut start = block.start;
    let quoted = ctx.quote_opening(start).is_some() || matches!(ctx.norm(start), "\"" | "“");
    if quoted {
        start += 1;
    }
    let longest = MAX_LABEL + MAX_LABEL_DESCRIPTION;
    let colon = (start + 1..block.end.min(start + longest + 1)).find(|&k| ctx.norm(k) == ":")?;
    // The name: capitals, with a title's period or a party in brackets ("SEN. HALE (D-OHIO)"),
    // opening with a word, no digits ("COVID-19:" is a topic); two letters at least: "Q:" and "A:"
    // mark an interview's questions and answers, which news corpora do not read as reports.
    let surface = |k: usize| ctx.a.tokens[k].span.text(ctx.text);
    let in_capitals = |k: usize| !surface(k).chars().any(|c| c.is_lowercase() || c.is_ascii_digit());
    let mut name_end = (start..colon)
        .find(|&k| !in_capitals(k) || ctx.norm(k) == ",")
        .unwrap_or(colon);
    if name_end < colon && name_end > start && ctx.norm(name_end - 1) == "(" {
        name_end -= 1;
    }
    let name = start..name_end;
    let letters: usize = name
        .clone()
        .map(|k| surface(k).chars().filter(|c| c.is_alphabetic()).count())
        .sum();
    if name.is_empty() || name.len() > MAX_LABEL || !ctx.is_word(start) || letters < 2 || ctx.is_label(&name) {
        return None;
    }
    // After the name, a description set off by a comma ("ORIEL DAMSGAARD, interior minister") and
    // a note in brackets ("(recorded)"), in that order, and nothing else.
    let mut label_end = colon;
    if ctx.norm(colon - 1) == ")"
        && let Some(open) = (name_end..colon).rfind(|&k| ctx.norm(k) == "(")
    {
        label_end = open;
    }
    let description = name_end..label_end;
    let described = description.is_empty()
        || (ctx.norm(name_end) == ","
            && description.len() > 1
            && description
                .clone()
                .all(|k| !matches!(ctx.norm(k), "." | "(" | ")" | "\"" | "“" | "”")));
    if !described {
        return None;
    }
    let label = start..label_end;
    let mut end = block.end;
    if quoted && end > colon + 1 && ctx.quote_closing(end - 1).is_some() {
        end -= 1;
    }
    let content = ctx.trim_end(colon + 1..end);
    let words: Vec<&str> = content
        .clone()
        .filter(|&k| ctx.is_word(k))
        .map(surface)
        .filter(|w| w.chars().count() > 3)
        .collect();
    let title_case = words.iter().filter(|w| w.starts_with(char::is_uppercase)).count() * 10 >= words.len() * 7;
    if content.is_empty() || (words.len() >= 3 && title_case) {
        return None;
    }
    let (content, kind) = ctx.classify(content);
    Some(candidate(
        Some(label),
        colon..colon + 1,
        vec![content],
        kind,
        SPEAKER_LABEL,
    ))
}

/// An intermediary named at the start of the sentence: "In an interview with the BBC, X said …".
fn leading_via(ctx: &Ctx<'_>, s: &Sent, before: usize) -> Option<Range<usize>> {
    let start = content_start(ctx, s);
    let (len, role) = ctx.lex.outlet_cues.longest(ctx.a, ctx.text, start, before)?;
    if *role != OutletRole::Intermediary {
        return None;
    }
    let np = ctx.np_forward(s, start + len, 8)?;
    (np.end < before && ctx.norm(np.end) == "," && (ctx.outlet_like(&np) || ctx.has_capital(&np))).then_some(np)
}

/// Whether a noun phrase can name a source: a pronoun, or a phrase ending in a noun-like word.
fn source_like(ctx: &Ctx<'_>, np: &Range<usize>) -> bool {
    if np.len() == 1 && is_pronoun(ctx.norm(np.start)) {
        return true;
    }
    let Some(last) = ctx.head_end(np.clone()) else {
        return false;
    };
    let word = ctx.norm(last);
    ctx.is_word(last) && !is_pronoun(word) && !is_determiner(word) && !NP_BOUNDARY.contains(&word)
}

/// "According to X, …", "…, according to X", "Per X, …", "…, per X".
fn according_to(ctx: &Ctx<'_>, s: &Sent, i: usize, len: usize, cue: &Cue) -> Option<Candidate> {
    let is_per = cue.id == "per";
    let src_start = i + len;
    if is_per {
        let next = ctx.norm(src_start);
        if PER_RATES.contains(&next) || ctx.a.tokens.get(src_start).is_none_or(|t| t.kind == TokenKind::Number) {
            return None;
        }
    }
    let lead = content_start(ctx, s);
    let leading = i == lead || (i == lead + 1 && matches!(ctx.norm(lead), "but" | "and" | "yet" | "so" | "however"));
    let next_comma = (src_start..s.end).find(|&k| ctx.norm(k) == "," && !ctx.in_quote(k));
    // After the source, a phrase describing it: a relative clause ("Per the Standard, which first
    // reported the results, …") or, after a trailing frame, an apposition without a verb
    // ("…, according to Corran Medical, the country's biggest wholesaler, which …"). Before the
    // content, a determiner opens the content itself ("Per the Ledger, the decision was …").
    let relative = |comma: usize| matches!(ctx.norm(comma + 1), "which" | "who" | "whose");
    let describes = |comma: usize| {
        let phrase_end = (comma + 1..s.end)
            .find(|&k| ctx.norm(k) == "," && !ctx.in_quote(k))
            .unwrap_or(s.end);
        relative(comma) || (is_determiner(ctx.norm(comma + 1)) && !ctx.has_finite_verb(&(comma + 1..phrase_end)))
    };
    let (source_region, content) = if leading {
        let comma = next_comma?;
        let mut from = comma + 1;
        if relative(comma)
            && let Some(second) = (comma + 1..s.end).find(|&k| ctx.norm(k) == "," && !ctx.in_quote(k))
        {
            from = second + 1;
        }
        let end = ctx.clause_end(s, from);
        let (content, _) = ctx.classify(from..end);
        (src_start..comma, vec![content])
    } else {
        let before_end = if i > s.start && ctx.norm(i - 1) == "," {
            i - 1
        } else {
            i
        };
        if is_per && before_end == i {
            return None;
        }
        let (first, _) = ctx.classify(lead..before_end);
        let mut content = vec![first];
        let region_end = match next_comma {
            Some(comma) if describes(comma) => comma,
            Some(comma) if !ctx.is_sentence_end(s, comma + 1) => {
                let end = ctx.clause_end(s, comma + 1);
                content.push(ctx.trim_end(comma + 1..end));
                comma
            }
            Some(comma) => comma,
            None => ctx.trim_end(src_start..s.end).end,
        };
        (src_start..region_end, content)
    };
    // The source region may name an intermediary: "two officials speaking to Axios".
    let mut source = source_region.clone();
    let mut via = None;
    for k in source_region.clone() {
        if let Some((plen, role)) = ctx.lex.outlet_cues.longest(ctx.a, ctx.text, k, source_region.end)
            && k > source_region.start
        {
            let np = ctx.np_forward_within(k + plen, source_region.end);
            if *role == OutletRole::Intermediary && !np.is_empty() && (ctx.outlet_like(&np) || ctx.has_capital(&np)) {
                via = Some(np);
            }
            source = source_region.start..k;
            break;
        }
    }
    let source = ctx.trim_end(source);
    let content: Vec<Range<usize>> = content.into_iter().filter(|r| !r.is_empty()).collect();
    if source.is_empty() || content.is_empty() || !source_like(ctx, &source) {
        return None;
    }
    let has_source_noun = source
        .clone()
        .any(|k| ctx.lex.nouns.longest(ctx.a, ctx.text, k, k + 1).is_some());
    if is_per && !(ctx.has_capital(&source) || has_source_noun) {
        return None;
    }
    let rule = if is_per { PER } else { ACCORDING_TO };
    let mut c = candidate(Some(source), i..i + len, content, Kind::AccordingTo, rule);
    c.via = via;
    Some(c)
}

/// ", saying, "…"", ", adding that …": a further report by the governing attribution's source.
fn continuation(ctx: &Ctx<'_>, s: &Sent, i: usize, len: usize, cue: &Cue) -> Option<Candidate> {
    if i == s.start || ctx.norm(i - 1) != "," {
        return None;
    }
    let after = i + len;
    let adjuncts = scan_adjuncts(ctx, s, after, cue);
    let lenient = Cue {
        zero: true,
        ..cue.clone()
    };
    let (content, kind, _) = complement(ctx, s, adjuncts.next, &lenient)?;
    // Without an attribution right before it to continue, the subject of the clause it hangs on
    // is the source: "Clinton posted a comment, saying, "…""; "…, while Hamas denied the reports,
    // saying …".
    let subject = clause_subject(ctx, s, i - 1);
    let mut c = candidate(subject, i..after, content, kind, CONTINUATION);
    c.inherit = true;
    c.via = adjuncts.via;
    c.hedged = cue.hedge;
    Some(c)
}

/// "It was claimed that …" and "The talks were said to be …".
fn passive(ctx: &Ctx<'_>, s: &Sent, i: usize, len: usize, cue: &Cue) -> Option<Candidate> {
    let after = i + len;
    // Walk back over the auxiliaries: "was", "has been", "is being", "not".
    let mut be = i;
    while be > s.start
        && (BE_FORMS.contains(&ctx.norm(be - 1))
            || matches!(ctx.norm(be - 1), "has" | "have" | "had" | "will" | "would" | "not"))
    {
        be -= 1;
    }
    if be == i {
        return None;
    }
    if be > s.start && ctx.norm(be - 1) == "it" && ctx.norm(after) == "that" {
        let it = be - 1;
        let end = ctx.clause_end(s, after + 1);
        let (content, _) = ctx.classify(after + 1..end);
        if content.is_empty() {
            return None;
        }
        let mut c = candidate(None, it..after + 1, vec![content], Kind::Passive, PASSIVE_IT);
        c.hedged = cue.hedge;
        return Some(c);
    }
    if ctx.norm(after) == "to" {
        let verb = after + 1;
        let verb_like = ctx
            .a
            .tokens
            .get(verb)
            .is_some_and(|t| !t.capitalized && t.kind == TokenKind::Word)
            && !is_determiner(ctx.norm(verb))
            && ctx.lex.nouns.longest(ctx.a, ctx.text, verb, verb + 1).is_none();
        if !verb_like {
            return None;
        }
        let end = ctx.clause_end(s, verb);
        let tail = ctx.trim_end(verb..end);
        let subject = ctx.np_backward(s.start, be);
        let mut content = Vec::new();
        content.extend(subject);
        content.push(tail);
        let mut c = candidate(None, be..after + 1, content, Kind::Passive, PASSIVE_RAISING);
        c.hedged = cue.hedge;
        return Some(c);
    }
    None
}

/// "The minister reportedly resigned": the clause around a hedging adverb, without a source.
fn hedge_adverb(ctx: &Ctx<'_>, s: &Sent, i: usize, len: usize) -> Option<Candidate> {
    let start = content_start(ctx, s);
    let mut before = start..i;
    if before.end > before.start && ctx.norm(before.end - 1) == "," {
        before.end -= 1;
    }
    let mut after = i + len;
    if ctx.norm(after) == "," {
        after += 1;
    }
    let end = ctx.clause_end(s, after);
    let tail = ctx.trim_end(after..end);
    let content: Vec<Range<usize>> = [before, tail].into_iter().filter(|r| !r.is_empty()).collect();
    if content.is_empty() {
        return None;
    }
    let mut c = candidate(None, i..i + len, content, Kind::Unattributed, HEDGE_ADVERB);
    c.hedged = true;
    Some(c)
}

/// Whether the sentence is one quotation and nothing else (bar final punctuation).
pub(crate) fn whole_quote(ctx: &Ctx<'_>, s: &Sent) -> Option<Range<usize>> {
    let start = content_start(ctx, s);
    let q = ctx.quote_opening(start).filter(|q| q.closed)?;
    ctx.is_sentence_end(s, q.close_token + 1)
        .then_some(q.open_token..q.close_token + 1)
}
