//! Source mentions: finding the noun phrase that names a source, and reading its features (named or
//! anonymous, count, affiliation, title, type) from the lexicons.

use super::lexicon::{Count, Lexicon, NounType, Outlet};
use crate::text::{Analysis, BlockKind, Span, TokenKind};
use serde::Serialize;
use std::ops::Range;

/// What kind of source a mention names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum SourceType {
    /// A holder of a public office or role, named or not.
    Official,
    /// A person without a known role.
    Person,
    /// A vague collective: "the US press", "reports in the media".
    Collective,
    /// A news outlet.
    Outlet,
    /// Any other organisation.
    Organization,
    /// A pronoun that could not be resolved.
    Unknown,
}

impl SourceType {
    /// The local name of the type's individual in the `ct:` vocabulary.
    pub const fn rdf_local_name(self) -> &'static str {
        match self {
            SourceType::Official => "GovernmentOfficial",
            SourceType::Person | SourceType::Unknown => "Person",
            SourceType::Collective => "CollectiveMedia",
            SourceType::Outlet => "NewsOutlet",
            SourceType::Organization => "Organization",
        }
    }
}

/// How many sources a mention stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceCount {
    /// Exactly this many ("two U.S. officials" → 2, "a U.S. official" → 1).
    Exactly(u32),
    /// More than one, number unknown ("officials").
    Many,
}

impl SourceCount {
    /// The exact count, if known.
    pub fn exact(self) -> Option<u32> {
        match self {
            SourceCount::Exactly(n) => Some(n),
            SourceCount::Many => None,
        }
    }

    /// Whether the mention stands for two or more sources.
    pub fn is_several(self) -> bool {
        !matches!(self, SourceCount::Exactly(0 | 1))
    }
}

/// What the text says about a source.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct SourceFeatures {
    /// The kind of source.
    pub source_type: Option<SourceType>,
    /// The proper name, when the mention has one ("Marco Rubio", "Kremlin").
    pub name: Option<String>,
    /// Unnamed, and of a kind whose unnamed instances are anonymous sources ("a U.S. official").
    pub anonymous: bool,
    /// How many sources; `None` for a collective or unresolved pronoun.
    pub count: Option<SourceCount>,
    /// The canonical affiliation label ("U.S.", "Iran").
    pub affiliation: Option<String>,
    /// The organisation the affiliation stands for ("U.S. government").
    pub affiliation_org: Option<String>,
    /// The title as written ("Secretary of State", "Foreign Minister").
    pub title: Option<String>,
    /// Holds an official role.
    pub role: bool,
    /// The mention is a pronoun ("he", "they").
    pub pronoun: bool,
    /// The head noun's singular form, for matching "the official" with "two officials".
    pub head: Option<String>,
    /// Whether the mention is definite ("the official") and so may refer back.
    pub definite: bool,
}

impl SourceFeatures {
    /// Whether the source is named (a person or an organisation with a proper name).
    pub fn is_named(&self) -> bool {
        self.name.is_some()
    }
}

const PRONOUNS: [&str; 6] = ["he", "she", "they", "we", "i", "it"];
const DETERMINERS: [&str; 10] = [
    "the", "a", "an", "this", "that", "these", "those", "its", "their", "his",
];
/// Words after which a noun phrase's head is over ("people familiar with …", "a spokesman for …").
const POSTMODIFIERS: [&str; 14] = [
    "of",
    "for",
    "in",
    "with",
    "from",
    "at",
    "on",
    "to",
    "familiar",
    "close",
    "briefed",
    "who",
    "knowledgeable",
    "involved",
];

/// Whether `word` is a pronoun that can be a source.
pub(crate) fn is_pronoun(word: &str) -> bool {
    PRONOUNS.contains(&word)
}

/// Whether `word` is a determiner.
pub(crate) fn is_determiner(word: &str) -> bool {
    DETERMINERS.contains(&word) || matches!(word, "her" | "our" | "my" | "your")
}

/// Reads the features of the mention `tokens` (token indices) in a sentence starting at token
/// `sentence_start`.
pub(crate) fn features(
    a: &Analysis,
    text: &str,
    lex: &Lexicon,
    tokens: Range<usize>,
    sentence_start: usize,
) -> SourceFeatures {
    let mut f = SourceFeatures::default();
    let words: Vec<usize> = tokens.clone().collect();
    if words.len() == 1 && is_pronoun(a.norm_at(tokens.start)) {
        let word = a.norm_at(tokens.start);
        f.pronoun = true;
        f.definite = true;
        f.count = match word {
            "they" | "we" => Some(SourceCount::Many),
            _ => Some(SourceCount::Exactly(1)),
        };
        f.source_type = Some(if word == "it" {
            SourceType::Organization
        } else {
            SourceType::Unknown
        });
        return f;
    }
    // Mark each token: affiliation, title, number, noun; what is left and capitalised is a name.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        None,
        Affiliation,
        Title,
        Number,
        Noun,
        Outlet,
        Post,
    }
    let mut marks = vec![Mark::None; words.len()];
    let mut head_end = tokens.end;
    let mut title_spans: Vec<Range<usize>> = Vec::new();
    let mut i = tokens.start;
    while i < tokens.end {
        let k = i - tokens.start;
        if let Some((len, _)) = lex.titles.longest(a, text, i, tokens.end) {
            marks[k..k + len].fill(Mark::Title);
            title_spans.push(i..i + len);
            i += len;
            continue;
        }
        if i >= head_end {
            marks[k] = Mark::Post;
            i += 1;
            continue;
        }
        if let Some((len, aff)) = lex.affiliations.longest(a, text, i, tokens.end) {
            marks[k..k + len].fill(Mark::Affiliation);
            if f.affiliation.is_none() {
                f.affiliation = Some(aff.label.to_owned());
                f.affiliation_org = Some(aff.organization.to_owned());
            }
            i += len;
            continue;
        }
        if let Some((len, outlet)) = lex.outlets.longest(a, text, i, tokens.end) {
            marks[k..k + len].fill(Mark::Outlet);
            f.source_type = Some(SourceType::Outlet);
            if let Outlet::Name(name) = outlet {
                f.name = Some((*name).to_owned());
            }
            i += len;
            continue;
        }
        if i <= tokens.start + 1
            && !particle_at(a, i, &tokens)
            && let Some((len, count)) = lex.numbers.longest(a, text, i, tokens.end)
        {
            marks[k..k + len].fill(Mark::Number);
            f.count = Some(match count {
                Count::Exactly(n) => SourceCount::Exactly(*n),
                Count::Many => SourceCount::Many,
            });
            i += len;
            continue;
        }
        let word = a.norm_at(i);
        if a.tokens[i].kind == TokenKind::Number && i <= tokens.start + 1 {
            // A year is no count: "A 2023 study by researchers …" is one study.
            let year = word.len() == 4 && YEARS.contains(&word.parse().unwrap_or(0));
            if let Ok(n) = word.replace(',', "").parse::<u32>()
                && !year
            {
                f.count = Some(SourceCount::Exactly(n));
            }
            marks[k] = Mark::Number;
        } else if (POSTMODIFIERS.contains(&word)
            || apposition_at(a, i, tokens.end)
            || (k > 0 && marks[k - 1] == Mark::Noun && is_participle(a, i)))
            && i > tokens.start
            && !inside_name(a, lex, text, i, &tokens)
        {
            // "Elizabeth Warren, a Massachusetts Democrat": the apposition describes the head, as
            // a participle does ("Economists polled by Reuters").
            head_end = i;
            marks[k] = Mark::Post;
        } else if lex.nouns.longest(a, text, i, i + 1).is_some() {
            marks[k] = Mark::Noun;
        }
        i += 1;
    }
    // The head: the last noun or title word before any postmodifier.
    let head_region = tokens.start..head_end;
    // Read right to left up to any comma (what follows it is an apposition), the head noun is the
    // last source noun, unless a title, a name, a possessive or another word follows it: "its
    // chief executive", "Police Chief Cerelyn Davis", "the group's leader", "official data" have
    // none. Participles may follow the head ("officials speaking on condition …").
    let search_end = head_region
        .clone()
        .find(|&idx| a.norm_at(idx) == ",")
        .unwrap_or(head_end);
    let head_noun = (tokens.start..search_end)
        .rev()
        .map(|idx| (idx, lex.nouns.longest(a, text, idx, idx + 1).map(|(_, noun)| *noun)))
        .take_while(|&(idx, noun)| {
            (noun.is_some() && marks[idx - tokens.start] == Mark::Noun) || !ends_head_search(a, idx)
        })
        .find_map(|(idx, noun)| Some((idx, noun?)));
    if let Some((_, noun)) = head_noun {
        f.head = Some(noun.singular.to_owned());
        f.role |= noun.role;
    }
    if let Some(title) = title_spans.iter().rfind(|r| r.start < head_end) {
        let (first, last) = (&a.tokens[title.start], &a.tokens[title.end - 1]);
        f.title = Some(first.span.cover(&last.span).text(text).to_owned());
        f.role |= lex
            .titles
            .longest(a, text, title.start, title.end)
            .is_some_and(|(_, t)| t.role);
        if f.head.is_none() {
            f.head = Some(a.norm_at(title.end - 1).to_owned());
        }
    }
    // The name: the last run of capitalised words that are nothing else, inside the head region; a
    // capitalised source noun continues a run ("the International Monetary Fund", "the Justice
    // Department").
    let mut runs: Vec<Range<usize>> = Vec::new();
    for idx in head_region.clone() {
        let k = idx - tokens.start;
        let token = &a.tokens[idx];
        let word = a.norm(token);
        let sentence_initial_common = idx == sentence_start && (is_determiner(word) || looks_plural_common(word));
        let is_name = token.capitalized
            && marks[k] == Mark::None
            && token.kind == TokenKind::Word
            && !is_determiner(word)
            && !lex.title_words.contains(word)
            && !sentence_initial_common;
        let proper_noun = token.capitalized && marks[k] == Mark::Noun;
        let of_name = inside_name(a, lex, text, idx, &head_region)
            || particle_at(a, idx, &head_region)
            || plural_possessive_in_name(a, idx, &head_region);
        match runs.last_mut() {
            Some(run) if run.end == idx && (is_name || proper_noun || of_name) => run.end = idx + 1,
            _ if is_name
                || particle_at(a, idx, &head_region)
                || (proper_noun && inside_name(a, lex, text, idx + 1, &head_region)) =>
            {
                runs.push(idx..idx + 1)
            }
            _ => {}
        }
    }
    // A name followed by "'s" owns the head ("Turkey's foreign ministry"), and one right before a
    // source noun or title in lower case modifies it ("Hamas officials", "the Clinton campaign",
    // "an Apple spokesman"): neither is the source's name. After a postmodified head, a name set
    // off by a comma is the head's: "A spokesman for the group, Basem Naim" is Basem Naim.
    let modifies = |run: &Range<usize>| {
        run.end < head_end
            && matches!(marks[run.end - tokens.start], Mark::Noun | Mark::Title)
            && !a.tokens[run.end].capitalized
    };
    // Before a comma, the name is the head's; after it, a description ("Sen. Maria Cantwell,
    // D-Wash.") unless nothing before names the source ("A meteorologist, Tom Reed").
    let named = |run: &&Range<usize>| a.norm_at(run.end) != "'s" && !modifies(run);
    let name_run = runs
        .iter()
        .filter(|run| run.end <= search_end)
        .rfind(named)
        .or_else(|| runs.iter().rfind(named))
        .cloned()
        .or_else(|| apposed_name(a, lex, &tokens))
        .or_else(|| name_after_title_of(a, lex, &title_spans, &tokens));
    // The modifier is the source's affiliation when it cannot be a capitalised common word opening
    // the sentence ("Aid workers", "Industry executives"): one word opening the sentence must be
    // capitalised elsewhere in the body too ("Labour leader Keir Starmer" after "a Labour MP").
    if f.affiliation.is_none()
        && let Some(run) = runs.iter().rfind(|run| modifies(run))
        && (run.start != sentence_start || run.len() > 1 || capitalized_inside_sentence(a, run.start))
    {
        let span = a.tokens[run.start].span.cover(&a.tokens[run.end - 1].span);
        let label = span.text(text).to_owned();
        // "A Western diplomat", "Chinese officials": a people or a region, no organisation.
        let demonym = ["ern", "an", "ese", "ish", "i"]
            .iter()
            .any(|suffix| label.ends_with(suffix));
        f.affiliation_org = (!demonym).then(|| label.clone());
        f.affiliation = Some(label);
    }
    if f.name.is_none()
        && let Some(run) = name_run
    {
        let span = a.tokens[run.start].span.cover(&a.tokens[run.end - 1].span);
        f.name = Some(span.text(text).to_owned());
    }
    let first = a.norm_at(tokens.start);
    f.definite = matches!(first, "the" | "this" | "that" | "these" | "those");
    // "The Kremlin", "the White House": an affiliation alone names an institution.
    let institution = head_region
        .clone()
        .all(|idx| marks[idx - tokens.start] == Mark::Affiliation || is_determiner(a.norm_at(idx)))
        && head_region
            .clone()
            .any(|idx| marks[idx - tokens.start] == Mark::Affiliation);
    if institution && f.name.is_none() {
        let start = head_region
            .clone()
            .find(|&idx| !is_determiner(a.norm_at(idx)))
            .unwrap_or(head_region.start);
        if let Some(span) = token_span(a, &(start..head_region.end)) {
            f.name = Some(span.text(text).to_owned());
            f.source_type = Some(SourceType::Organization);
        }
    }
    // The words of the head region up to any comma: the mention's name and its description.
    let head_words: Vec<usize> = (tokens.start..search_end).collect();
    let plural = head_noun.is_some_and(|(_, n)| n.plural);
    f.source_type = f.source_type.or_else(|| {
        Some(match head_noun.map(|(_, n)| n.kind) {
            Some(NounType::Collective) => SourceType::Collective,
            Some(NounType::Organization) => SourceType::Organization,
            _ if f.role => SourceType::Official,
            Some(NounType::Official) => SourceType::Official,
            Some(NounType::Person) => SourceType::Person,
            // "The United Nations": a person's name takes no article.
            None if f.name.is_some()
                && f.title.is_none()
                && (f.definite || head_words.len() <= 2)
                && !looks_like_person(a, text, &head_words)
                && !aged(a, search_end, &tokens) =>
            {
                SourceType::Organization
            }
            None => SourceType::Person,
        })
    });
    f.anonymous = f.name.is_none() && (head_noun.is_some_and(|(_, n)| n.anon) || glossed(a, text, lex, &tokens));
    if f.count.is_none() && f.source_type != Some(SourceType::Collective) {
        f.count = Some(if plural {
            SourceCount::Many
        } else {
            SourceCount::Exactly(1)
        });
    }
    if f.source_type == Some(SourceType::Collective) && !matches!(f.count, Some(SourceCount::Exactly(_))) {
        f.count = None;
    }
    f
}

/// Whether token `idx`, read right to left before any source noun, shows that a noun before it is
/// no head: a possessive, a capitalised word, or a lower-case word that is no participle (titles
/// are capitalised or not nouns: they end the search too).
fn ends_head_search(a: &Analysis, idx: usize) -> bool {
    let token = &a.tokens[idx];
    a.norm(token) == "'s" || (token.kind == TokenKind::Word && !is_participle(a, idx))
}

/// Whether token `idx` is a lower-case word that reads as a participle ("polled", "speaking").
fn is_participle(a: &Analysis, idx: usize) -> bool {
    let token = &a.tokens[idx];
    let word = a.norm(token);
    token.kind == TokenKind::Word
        && !token.capitalized
        && ["ing", "ed", "en"].iter().any(|suffix| word.ends_with(suffix))
}

/// Whether token `i` is an "of" or "for" inside a name: after a capitalised source noun, before a
/// capitalised word ("Bank of England", "Centers for Disease Control"; not "Mark Ellis of
/// Bernstein"); or an "and" or "&" between capitalised words whose run ends in an organisation
/// noun ("Kestrava Fire and Rescue Service", "Food and Drug Administration"; not "Smith and
/// Jones").
fn inside_name(a: &Analysis, lex: &Lexicon, text: &str, i: usize, tokens: &Range<usize>) -> bool {
    let capitalized = |k: usize| tokens.contains(&k) && a.tokens[k].capitalized;
    if i == 0 || !capitalized(i - 1) || !capitalized(i + 1) {
        return false;
    }
    match a.norm_at(i) {
        "of" | "for" => lex.nouns.longest(a, text, i - 1, i).is_some(),
        "and" | "&" => {
            let last = (i + 1..tokens.end).take_while(|&k| capitalized(k)).last();
            last.and_then(|k| lex.nouns.longest(a, text, k, k + 1))
                .is_some_and(|(_, noun)| noun.kind == NounType::Organization)
        }
        _ => false,
    }
}

/// Whether the word of token `idx` is capitalised somewhere else in the body where no sentence,
/// heading or quotation opens: a name, not a common word capitalised by its place.
fn capitalized_inside_sentence(a: &Analysis, idx: usize) -> bool {
    let word = a.norm_at(idx);
    a.blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Body)
        .flat_map(|b| &a.sentences[b.sentences.clone()])
        .flat_map(|s| s.tokens.start + 1..s.tokens.end)
        .any(|k| k != idx && a.tokens[k].capitalized && a.tokens[k - 1].kind == TokenKind::Word && a.norm_at(k) == word)
}

/// Whether token `i` is the apostrophe of a plural possessive inside a name: "Pharmacists'" in
/// "the Kelvarian Pharmacists' Association", written against the plural and followed by a
/// capitalised word.
fn plural_possessive_in_name(a: &Analysis, i: usize, tokens: &Range<usize>) -> bool {
    let (Some(before), Some(after)) = (i.checked_sub(1), Some(i + 1).filter(|&k| tokens.contains(&k))) else {
        return false;
    };
    matches!(a.norm_at(i), "'" | "’")
        && tokens.contains(&before)
        && a.tokens[before].span.end == a.tokens[i].span.start
        && a.norm_at(before).ends_with('s')
        && a.tokens[before].capitalized
        && a.tokens[after].capitalized
}

/// Whether a sentence-initial capitalised word is more likely a plural common noun ("Protesters")
/// than a name.
fn looks_plural_common(word: &str) -> bool {
    ["ers", "ists", "ants", "ents", "ors"]
        .iter()
        .any(|suffix| word.ends_with(suffix))
        && word.len() > 5
}

/// Four-digit numbers read as years, not counts.
const YEARS: std::ops::RangeInclusive<u32> = 1800..=2199;

/// Words that may stand between a source and a phrase saying it is not named ("…, who was not
/// authorized to speak").
const GLOSS_LINKS: [&str; 8] = [",", "who", "which", "was", "were", "is", "are", "both"];

/// How far into an apposition a phrase of `anonymity_glosses.tsv` is looked for.
const GLOSS_REACH: usize = 12;

/// Whether a phrase of `anonymity_glosses.tsv` describes the mention `tokens`, after it ("a real
/// estate agent, who did not want to be named,") or right before it ("Speaking on condition of
/// anonymity, a senior official …").
fn glossed(a: &Analysis, text: &str, lex: &Lexicon, tokens: &Range<usize>) -> bool {
    let n = a.tokens.len();
    let mut k = tokens.end;
    while k < n && k < tokens.end + 3 && GLOSS_LINKS.contains(&a.norm_at(k)) {
        k += 1;
    }
    let after = k > tokens.end && lex.glosses.longest(a, text, k, n).is_some();
    // Inside an apposition set off by commas: "A senior civil servant, speaking to the BBC on
    // condition of anonymity, said …".
    let apposed = tokens.end < n
        && a.norm_at(tokens.end) == ","
        && (tokens.end + 1..n.min(tokens.end + 1 + GLOSS_REACH))
            .take_while(|&i| a.norm_at(i) != ",")
            .any(|i| lex.glosses.longest(a, text, i, n).is_some());
    let mut end = tokens.start;
    while end > 0 && a.norm_at(end - 1) == "," {
        end -= 1;
    }
    let before = end < tokens.start
        && (end.saturating_sub(lex.glosses.max_len())..end).any(|i| {
            lex.glosses
                .longest(a, text, i, end)
                .is_some_and(|(len, ())| i + len == end)
        });
    after || apposed || before
}

/// Whether an apposition opens at token `i`: a comma and a determiner ("…, a Massachusetts
/// Democrat").
fn apposition_at(a: &Analysis, i: usize, end: usize) -> bool {
    a.norm_at(i) == "," && i + 1 < end && matches!(a.norm_at(i + 1), "a" | "an" | "the")
}

/// A name in apposition at the end of a mention: two or more capitalised words after its last
/// comma, up to the mention's end or a closing comma ("A meteorologist, Tom Reed,").
fn apposed_name(a: &Analysis, lex: &Lexicon, tokens: &Range<usize>) -> Option<Range<usize>> {
    let mut end = tokens.end;
    while end > tokens.start && a.norm_at(end - 1) == "," {
        end -= 1;
    }
    let comma = (tokens.start + 1..end).rev().find(|&k| a.norm_at(k) == ",")?;
    let run = comma + 1..end;
    let named = run.clone().all(|k| {
        let token = &a.tokens[k];
        token.capitalized && token.kind == TokenKind::Word && !lex.title_words.contains(a.norm(token))
    });
    (run.len() >= 2 && named).then_some(run)
}

/// "Mayor of London Sadiq Khan", "Governor of New York Andrew Cuomo": a title, "of", and at least
/// three capitalised words to the mention's end. The place takes all but the last two, which are
/// the name.
fn name_after_title_of(
    a: &Analysis,
    lex: &Lexicon,
    titles: &[Range<usize>],
    tokens: &Range<usize>,
) -> Option<Range<usize>> {
    let title = titles.last()?;
    let rest = title.end + 1..tokens.end;
    let named = rest.clone().all(|k| {
        let token = &a.tokens[k];
        token.capitalized && token.kind == TokenKind::Word && !lex.title_words.contains(a.norm(token))
    });
    (a.norm_at(title.end) == "of" && rest.len() >= 3 && named).then(|| rest.end - 2..rest.end)
}

/// Two or more capitalised words (a name's particle counts: "Erik ten Hag", "ten Hag") with no
/// organisation noun read as a person's name.
fn looks_like_person(a: &Analysis, _text: &str, words: &[usize]) -> bool {
    let all = words
        .first()
        .zip(words.last())
        .map_or(0..0, |(&first, &last)| first..last + 1);
    let capitalized = words
        .iter()
        .filter(|&&i| a.tokens[i].capitalized || particle_at(a, i, &all))
        .count();
    capitalized >= 2 && !is_determiner(a.norm_at(words[0]))
}

/// Lower-case particles of names ("Erik ten Hag", "Ursula von der Leyen", "Mohammed bin Salman").
const NAME_PARTICLES: [&str; 17] = [
    "van", "von", "der", "den", "ten", "ter", "de", "da", "di", "du", "del", "della", "le", "bin", "ibn", "al", "dos",
];

/// Whether token `i` is a name's particle: one of `NAME_PARTICLES`, in lower case, before a
/// capitalised word of `tokens` ("ten" in "ten Hag", not in "ten officials").
fn particle_at(a: &Analysis, i: usize, tokens: &Range<usize>) -> bool {
    let next = i + 1;
    let token = &a.tokens[i];
    !token.capitalized
        && NAME_PARTICLES.contains(&a.norm(token))
        && tokens.contains(&next)
        && (a.tokens[next].capitalized || particle_at(a, next, tokens))
}

/// Whether a person's age follows the mention's name: "Silva, 27, …".
fn aged(a: &Analysis, comma: usize, tokens: &Range<usize>) -> bool {
    let age = comma + 1;
    tokens.contains(&age)
        && a.norm_at(comma) == ","
        && a.tokens[age].kind == TokenKind::Number
        && a.norm_at(age).parse::<u32>().is_ok_and(|n| (1..=120).contains(&n))
}

/// The span covering tokens `range` (which must be non-empty).
pub(crate) fn token_span(a: &Analysis, range: &Range<usize>) -> Option<Span> {
    let first = a.tokens.get(range.start)?;
    let last = a.tokens.get(range.end.checked_sub(1)?)?;
    (range.start < range.end).then(|| first.span.cover(&last.span))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The features of the mention that spans the whole of `text`.
    fn read(text: &str) -> SourceFeatures {
        let a = crate::text::analyze(text);
        let all = 0..a.tokens.len();
        features(&a, text, Lexicon::get(), all, 0)
    }

    /// The features of `mention`, a part of `text`.
    fn read_in(text: &str, mention: &str) -> SourceFeatures {
        let a = crate::text::analyze(text);
        let start = text.find(mention).expect("the mention");
        let span = a.offsets.span_of_bytes(start..start + mention.len()).expect("a span");
        features(&a, text, Lexicon::get(), a.tokens_of(&span), 0)
    }

    #[test]
    fn a_name_before_a_source_noun_is_its_affiliation() {
        for (text, mention, affiliation) in [
            (
                "The talks failed, said two Hamas officials.",
                "two Hamas officials",
                Some("Hamas"),
            ),
            (
                "The talks failed, two Clinton campaign aides said.",
                "two Clinton campaign aides",
                Some("Clinton"),
            ),
            // A capitalised word opening the sentence may be a common one.
            ("Aid workers said the camp was full.", "Aid workers", None),
            (
                "Republican strategists said the race was close.",
                "Republican strategists",
                None,
            ),
        ] {
            let f = read_in(text, mention);
            assert_eq!(f.name, None, "{mention:?}");
            assert!(f.anonymous, "{mention:?}");
            assert_eq!(f.affiliation.as_deref(), affiliation, "{mention:?}");
        }
        let f = read_in("The ad was fair, the Clinton campaign said.", "the Clinton campaign");
        assert_eq!((f.name, f.affiliation.as_deref()), (None, Some("Clinton")));
        assert_eq!(f.source_type, Some(SourceType::Organization));
        let f = read_in("It was safe, an Apple spokesman said.", "an Apple spokesman");
        assert_eq!((f.name, f.affiliation.as_deref()), (None, Some("Apple")));
    }

    #[test]
    fn a_capitalised_source_noun_ends_a_name() {
        for (mention, name) in [
            ("The International Monetary Fund", "International Monetary Fund"),
            ("The Justice Department", "Justice Department"),
            ("The Georgia Election Board", "Georgia Election Board"),
        ] {
            let f = read(mention);
            assert_eq!(f.name.as_deref(), Some(name), "{mention:?}");
            assert_eq!(f.source_type, Some(SourceType::Organization), "{mention:?}");
        }
    }

    #[test]
    fn a_name_may_hold_of_and_a_participle_ends_the_head() {
        let f = read("Bank of England Governor Andrew Bailey");
        assert_eq!(f.name.as_deref(), Some("Andrew Bailey"));
        assert_eq!(f.source_type, Some(SourceType::Official));
        assert_eq!(
            read("the University of Reading").name.as_deref(),
            Some("University of Reading")
        );
        assert_eq!(read("The Bank of England").name.as_deref(), Some("Bank of England"));
        let f = read_in(
            "A cut was due, economists polled by Reuters said.",
            "economists polled by Reuters",
        );
        assert!(f.anonymous && f.name.is_none(), "{f:?}");
        assert_ne!(f.source_type, Some(SourceType::Outlet));
    }

    #[test]
    fn a_name_after_a_noun_or_a_title_after_it_makes_the_head() {
        let f = read_in("It was over, a company spokesman said.", "a company spokesman");
        assert_eq!(f.source_type, Some(SourceType::Official), "{f:?}");
        let f = read("Police Chief Cerelyn Davis");
        assert_eq!(
            (f.name.as_deref(), f.source_type),
            (Some("Cerelyn Davis"), Some(SourceType::Official))
        );
        assert_eq!(read("Mark Ellis of Bernstein").name.as_deref(), Some("Mark Ellis"));
        let f = read("The United Nations");
        assert_eq!(f.source_type, Some(SourceType::Organization));
        let f = read("a Hamas official, Basem Naim");
        assert_eq!(
            (f.name.as_deref(), f.source_type),
            (Some("Basem Naim"), Some(SourceType::Official))
        );
        assert!(!f.anonymous);
        // A people's adjective is an affiliation, not an organisation.
        let f = read_in("Talks stalled, a Western diplomat said.", "a Western diplomat");
        assert_eq!((f.affiliation.as_deref(), f.affiliation_org), (Some("Western"), None));
        assert!(f.anonymous);
    }

    #[test]
    fn a_description_after_a_comma_names_no_one() {
        let f = read("Sen. Maria Cantwell, D-Wash.,");
        assert_eq!(f.name.as_deref(), Some("Maria Cantwell"));
        assert_eq!(read("A meteorologist, Tom Reed").name.as_deref(), Some("Tom Reed"));
        let f = read("NetChoice, a trade group whose members include Google and Meta,");
        assert_eq!(
            (f.name.as_deref(), f.source_type),
            (Some("NetChoice"), Some(SourceType::Organization))
        );
        let f = read("The Kremlin");
        assert_eq!(
            (f.name.as_deref(), f.source_type),
            (Some("Kremlin"), Some(SourceType::Organization))
        );
        assert!(f.affiliation.is_some());
    }

    #[test]
    fn a_names_particle_is_no_count_and_an_age_makes_a_person() {
        for (mention, name) in [
            ("Manager Erik ten Hag", "Erik ten Hag"),
            ("ten Hag", "ten Hag"),
            ("Ursula von der Leyen", "Ursula von der Leyen"),
        ] {
            let f = read(mention);
            assert_eq!(f.name.as_deref(), Some(name), "{mention:?}");
            assert_eq!(f.count, Some(SourceCount::Exactly(1)), "{mention:?}");
            assert_ne!(f.source_type, Some(SourceType::Organization), "{mention:?}");
        }
        assert_eq!(read("ten officials").count, Some(SourceCount::Exactly(10)));
        assert_eq!(read("Silva, 27,").source_type, Some(SourceType::Person));
        assert_eq!(read("Silva").source_type, Some(SourceType::Organization));
    }

    #[test]
    fn a_noun_before_another_word_is_no_head() {
        let f = read_in("Prices rose, official data showed.", "official data");
        assert!(!f.anonymous && f.head.is_none(), "{f:?}");
        let f = read_in("It was over, the group's leader said.", "the group's leader");
        assert_eq!(f.head.as_deref(), Some("leader"));
        let f = read_in(
            "Two officials speaking on condition of anonymity said so.",
            "Two officials speaking",
        );
        assert!(f.anonymous, "a participle follows the head");
    }

    #[test]
    fn a_noun_inside_a_title_is_no_unnamed_source() {
        let f = read_in("Jobs will go, its chief executive said.", "its chief executive");
        assert!(!f.anonymous);
        assert_eq!(f.title.as_deref(), Some("chief executive"));
        assert!(read_in("Jobs will go, a senior executive said.", "a senior executive").anonymous);
    }

    #[test]
    fn a_name_in_apposition_names_the_source() {
        for (mention, name) in [
            ("A spokesman for the group, Basem Naim,", Some("Basem Naim")),
            ("A meteorologist, Tom Reed", Some("Tom Reed")),
            ("Maria Lopez, a spokeswoman for Florida Power", Some("Maria Lopez")),
            (
                "Senator Elizabeth Warren, a Massachusetts Democrat",
                Some("Elizabeth Warren"),
            ),
            ("A spokesman for the group", None),
        ] {
            let f = read(mention);
            assert_eq!(f.name.as_deref(), name, "{mention:?}");
            assert!(!f.anonymous, "{mention:?}");
        }
        assert!(read("A senior official, John Smith").name.is_some());
        assert!(!read("A senior official, John Smith").anonymous);
        assert!(read("A senior official").anonymous);
    }

    #[test]
    fn a_source_said_not_to_be_named_is_anonymous() {
        for (text, mention) in [
            (
                "A real estate agent, who did not want to be named, said prices fell.",
                "A real estate agent",
            ),
            (
                "Speaking on condition of anonymity, a senior diplomat said the talks failed.",
                "a senior diplomat",
            ),
            (
                "A banker who was not authorized to speak publicly said the deal was off.",
                "A banker",
            ),
            (
                "One mother, who spoke on condition that her name not be used, said she worried.",
                "One mother",
            ),
            (
                "A senior civil servant, speaking to the BBC on condition of anonymity, said so.",
                "A senior civil servant",
            ),
        ] {
            assert!(read_in(text, mention).anonymous, "{text}");
        }
        assert!(!read("A real estate agent").anonymous);
    }

    #[test]
    fn a_year_is_no_count() {
        assert_eq!(read("A 2023 study by researchers").count, Some(SourceCount::Exactly(1)));
        assert_eq!(read("2,500 protesters").count, Some(SourceCount::Exactly(2500)));
        assert_eq!(read("Three officials").count, Some(SourceCount::Exactly(3)));
    }
}
