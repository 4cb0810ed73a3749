//! The lexicons and rule tables: TSV files under `lexicon/` and `confidence.toml`, compiled into the
//! binary with `include_str!` and parsed once.
//!
//! Every row carries an id and an example sentence tagged like the extraction fixtures; a test runs
//! every example through the extractor.

use crate::text::{Analysis, Token};
// The tables are looked up for every token: a fast, fixed hasher (the keys are our own words).
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::LazyLock;

/// A table's source text, with its name for error messages.
struct Table {
    name: &'static str,
    text: &'static str,
    columns: usize,
}

const CUES: Table = Table {
    name: "cues.tsv",
    text: include_str!("lexicon/cues.tsv"),
    columns: 5,
};
const NOUNS: Table = Table {
    name: "anonymity.tsv",
    text: include_str!("lexicon/anonymity.tsv"),
    columns: 6,
};
const TITLES: Table = Table {
    name: "titles.tsv",
    text: include_str!("lexicon/titles.tsv"),
    columns: 4,
};
const NUMBERS: Table = Table {
    name: "numbers.tsv",
    text: include_str!("lexicon/numbers.tsv"),
    columns: 4,
};
const AFFILIATIONS: Table = Table {
    name: "affiliations.tsv",
    text: include_str!("lexicon/affiliations.tsv"),
    columns: 5,
};
const OUTLETS: Table = Table {
    name: "outlets.tsv",
    text: include_str!("lexicon/outlets.tsv"),
    columns: 5,
};
const OUTLET_CUES: Table = Table {
    name: "outlet_cues.tsv",
    text: include_str!("lexicon/outlet_cues.tsv"),
    columns: 4,
};
const STOPS: Table = Table {
    name: "stop.tsv",
    text: include_str!("lexicon/stop.tsv"),
    columns: 3,
};
const GLOSSES: Table = Table {
    name: "anonymity_glosses.tsv",
    text: include_str!("lexicon/anonymity_glosses.tsv"),
    columns: 3,
};
const LABELS: Table = Table {
    name: "labels.tsv",
    text: include_str!("lexicon/labels.tsv"),
    columns: 3,
};
const TIME: Table = Table {
    name: "time.tsv",
    text: include_str!("lexicon/time.tsv"),
    columns: 4,
};
const PREDICATES: Table = Table {
    name: "predicates.tsv",
    text: include_str!("lexicon/predicates.tsv"),
    columns: 2,
};
/// The classes of `predicates.tsv`, in bit order.
pub(crate) const PREDICATE_CLASSES: [&str; 11] = [
    "speech",
    "write",
    "cognition",
    "volition",
    "stance",
    "evidence",
    "ask",
    "promise",
    "deny",
    "noun",
    "media",
];
const GAPS: Table = Table {
    name: "gaps.tsv",
    text: include_str!("lexicon/gaps.tsv"),
    columns: 4,
};

/// The confidence factor table.
pub(crate) const CONFIDENCE_TOML: &str = include_str!("confidence.toml");

/// A malformed row in a built-in table (a bug caught by the tests, never by users).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{table}:{line}: {message}")]
pub struct LexiconError {
    table: &'static str,
    line: usize,
    message: String,
}

/// One row's example, for the test that runs them all.
#[derive(Debug, Clone)]
pub struct Example {
    /// The table's file name.
    pub table: &'static str,
    /// 1-based line in the table.
    pub line: usize,
    /// The row's id.
    pub id: &'static str,
    /// The tagged sentence.
    pub text: &'static str,
}

/// Phrases of one or more lowercase tokens, matched longest first at a token position.
#[derive(Debug, Clone)]
pub(crate) struct PhraseTable<T> {
    by_first: HashMap<String, Vec<(Vec<String>, bool, T)>>,
    /// The length in tokens of the longest phrase.
    max_len: usize,
}

impl<T> Default for PhraseTable<T> {
    fn default() -> Self {
        PhraseTable {
            by_first: HashMap::default(),
            max_len: 0,
        }
    }
}

impl<T> PhraseTable<T> {
    /// Adds `phrase` (space-separated tokens). A phrase with an uppercase letter matches only
    /// that exact spelling.
    fn insert(&mut self, phrase: &str, value: T) {
        let case_sensitive = phrase.chars().any(char::is_uppercase);
        let tokens: Vec<String> = phrase.split_whitespace().map(str::to_owned).collect();
        let Some(first) = tokens.first() else { return };
        let key = first.to_lowercase();
        self.max_len = self.max_len.max(tokens.len());
        let entries = self.by_first.entry(key).or_default();
        entries.push((tokens, case_sensitive, value));
        entries.sort_by_key(|(t, _, _)| std::cmp::Reverse(t.len()));
    }

    /// The length in tokens of the longest phrase.
    pub(crate) fn max_len(&self) -> usize {
        self.max_len
    }

    /// The longest phrase starting at token `start` and ending at or before `end`:
    /// its length in tokens and its value.
    pub(crate) fn longest(&self, a: &Analysis, text: &str, start: usize, end: usize) -> Option<(usize, &T)> {
        let entries = self.by_first.get(a.norm_at(start))?;
        entries.iter().find_map(|(tokens, case_sensitive, value)| {
            let fits = start + tokens.len() <= end
                && tokens.iter().enumerate().all(|(k, word)| {
                    let token: &Token = &a.tokens[start + k];
                    if *case_sensitive {
                        token.span.text(text) == word
                    } else {
                        a.norm(token) == word
                    }
                });
            fits.then_some((tokens.len(), value))
        })
    }
}

/// What kind of cue a cue entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueClass {
    /// A reporting verb.
    Verb,
    /// A hedging adverb ("reportedly").
    Adverb,
    /// "according to", "per".
    Prep,
}

/// A cue lemma and what it allows.
#[derive(Debug, Clone)]
pub struct Cue {
    /// The row id (the lemma).
    pub id: &'static str,
    /// Verb, adverb or preposition.
    pub class: CueClass,
    /// Takes "that" or a quotation.
    pub that: bool,
    /// May drop "that" before any clause-like complement.
    pub zero: bool,
    /// May drop "that" when the complement shows a finite verb.
    pub zero_verb: bool,
    /// Takes an addressee first.
    pub object: bool,
    /// Keeps its distance from the claim.
    pub hedge: bool,
    /// Used in passive frames.
    pub passive: bool,
    /// May precede its source ("…," said Smith).
    pub invert: bool,
}

/// A matched cue form.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CueForm {
    /// Index into [`Lexicon::cues`].
    pub cue: usize,
    /// Whether the form is a present participle ("saying").
    pub ing: bool,
}

/// What a source noun says about its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NounType {
    /// A holder of a public office or role.
    Official,
    /// A person.
    Person,
    /// The press, reports, the media.
    Collective,
    /// An organisation.
    Organization,
}

/// A source noun.
#[derive(Debug, Clone, Copy)]
pub struct Noun {
    /// The type.
    pub kind: NounType,
    /// An unnamed instance is anonymous.
    pub anon: bool,
    /// Counts as an official role.
    pub role: bool,
    /// Whether this form is the plural.
    pub plural: bool,
    /// The singular form, to match "the official" with "two officials".
    pub singular: &'static str,
}

/// A title.
#[derive(Debug, Clone, Copy)]
pub struct Title {
    /// Whether it is an official role (any class but "other").
    pub role: bool,
}

/// A count word's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// Exactly this many.
    Exactly(u32),
    /// An unknown number above one.
    Many,
}

/// An affiliation.
#[derive(Debug, Clone, Copy)]
pub struct Affiliation {
    /// The canonical label ("U.S.").
    pub label: &'static str,
    /// The organisation it stands for ("U.S. government").
    pub organization: &'static str,
}

/// An outlet word.
#[derive(Debug, Clone, Copy)]
pub enum Outlet {
    /// A known outlet, with its canonical name.
    Name(&'static str),
    /// A noun that makes a phrase an outlet ("news agency").
    Noun,
}

/// What an outlet cue introduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutletRole {
    /// The next noun phrase is the intermediary.
    Intermediary,
    /// The phrase's subject is the intermediary, its object the source.
    Citing,
    /// A place or occasion.
    Setting,
}

/// Gap word kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gap {
    /// May stand between source and cue.
    Gap,
    /// A time word in an adjunct after the cue.
    Time,
    /// A finite verb form: its presence shows a complement is a clause.
    Finite,
}

/// All tables, parsed.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// Cue lemmas.
    pub cues: Vec<Cue>,
    pub(crate) cue_forms: PhraseTable<CueForm>,
    pub(crate) nouns: PhraseTable<Noun>,
    pub(crate) titles: PhraseTable<Title>,
    pub(crate) numbers: PhraseTable<Count>,
    pub(crate) affiliations: PhraseTable<Affiliation>,
    pub(crate) outlets: PhraseTable<Outlet>,
    pub(crate) outlet_cues: PhraseTable<OutletRole>,
    pub(crate) stops: PhraseTable<()>,
    /// Phrases that say a source is not named (`anonymity_glosses.tsv`): stops too.
    pub(crate) glosses: PhraseTable<()>,
    /// Paragraph labels in capitals that introduce no speaker ("UPDATE:").
    pub(crate) labels: PhraseTable<()>,
    pub(crate) gaps: HashMap<&'static str, Vec<Gap>>,
    pub(crate) title_words: HashSet<&'static str>,
    /// Words of a time expression (`time.tsv`): units ("hour", "Monday") and the words that may
    /// stand around them ("about", "same", "ago").
    pub(crate) time_units: HashSet<&'static str>,
    pub(crate) time_modifiers: HashSet<&'static str>,
    pub(crate) time_relations: HashSet<&'static str>,
    /// Attribution predicates (`predicates.tsv`): word form → bit set of classes.
    pub(crate) predicates: HashMap<String, u16>,
    /// Words that make a cue a verb phrase (`predicates.tsv`, row `verbal`).
    pub(crate) verbal: HashSet<&'static str>,
    /// Participles whose passive has the reported matter as subject (`predicates.tsv`, row
    /// `raising`).
    pub(crate) raising: HashSet<&'static str>,
    /// Every row's example.
    pub examples: Vec<Example>,
}

impl Lexicon {
    /// The predicate classes (bit set over [`PREDICATE_CLASSES`]) of a lowercase word, in any of
    /// its regular inflections ("supporting", "criticized", "denies") or a listed irregular form;
    /// 0 if none.
    pub(crate) fn predicate_classes(&self, word: &str) -> u16 {
        self.predicates.get(word).copied().unwrap_or(0)
    }

    /// The length of the longest phrase of `stop.tsv` or `anonymity_glosses.tsv` starting at token
    /// `start` and ending at or before `end`, where a cue word reports nothing.
    pub(crate) fn stop_at(&self, a: &Analysis, text: &str, start: usize, end: usize) -> Option<usize> {
        let len = |table: &PhraseTable<()>| table.longest(a, text, start, end).map(|(len, ())| len);
        len(&self.stops).max(len(&self.glosses))
    }

    /// The length in tokens of the longest phrase `stop_at` finds.
    pub(crate) fn longest_stop(&self) -> usize {
        self.stops.max_len().max(self.glosses.max_len())
    }

    /// Parses every built-in table.
    pub fn load() -> Result<Lexicon, LexiconError> {
        let mut lex = Lexicon::default();
        for (line, cols) in rows(&PREDICATES)? {
            let [class, lemmas] = cols[..] else {
                return Err(columns_error(&PREDICATES, line));
            };
            if class == "verbal" {
                lex.verbal.extend(lemmas.split(','));
                continue;
            }
            if class == "raising" {
                lex.raising.extend(lemmas.split(','));
                continue;
            }
            let Some(bit) = PREDICATE_CLASSES.iter().position(|c| *c == class) else {
                return Err(error(&PREDICATES, line, format!("unknown class {class:?}")));
            };
            for lemma in lemmas.split(',') {
                if lemma.is_empty() || lemma != lemma.trim() || lemma.chars().any(char::is_uppercase) {
                    return Err(error(&PREDICATES, line, format!("bad lemma {lemma:?}")));
                }
                for form in inflections(lemma) {
                    *lex.predicates.entry(form).or_insert(0) |= 1 << bit;
                }
            }
        }
        for (line, cols) in rows(&CUES)? {
            let [id, class, forms, flags, example] = cols[..] else {
                return Err(columns_error(&CUES, line));
            };
            let class = match class {
                "verb" => CueClass::Verb,
                "adverb" => CueClass::Adverb,
                "prep" => CueClass::Prep,
                other => return Err(error(&CUES, line, format!("unknown class {other:?}"))),
            };
            let flags: HashSet<&str> = flags.split(',').filter(|f| *f != "-").collect();
            for flag in &flags {
                if !["that", "zero", "zeroverb", "object", "hedge", "passive", "invert"].contains(flag) {
                    return Err(error(&CUES, line, format!("unknown flag {flag:?}")));
                }
            }
            let idx = lex.cues.len();
            lex.cues.push(Cue {
                id,
                class,
                that: flags.contains("that"),
                zero: flags.contains("zero"),
                zero_verb: flags.contains("zeroverb"),
                object: flags.contains("object"),
                hedge: flags.contains("hedge"),
                passive: flags.contains("passive"),
                invert: flags.contains("invert"),
            });
            for form in forms.split(',') {
                let last = form.split_whitespace().next().unwrap_or("");
                let ing = class == CueClass::Verb && last.ends_with("ing") && last.len() > 4;
                lex.cue_forms.insert(form, CueForm { cue: idx, ing });
            }
            lex.examples.push(Example {
                table: CUES.name,
                line,
                id,
                text: example,
            });
        }
        for (line, cols) in rows(&NOUNS)? {
            let [id, singular, plural, kind, flags, example] = cols[..] else {
                return Err(columns_error(&NOUNS, line));
            };
            let kind = match kind {
                "official" => NounType::Official,
                "person" => NounType::Person,
                "collective" => NounType::Collective,
                "organization" => NounType::Organization,
                other => return Err(error(&NOUNS, line, format!("unknown type {other:?}"))),
            };
            let anon = flags.split(',').any(|f| f == "anon");
            let role = flags.split(',').any(|f| f == "role");
            lex.nouns.insert(
                singular,
                Noun {
                    kind,
                    anon,
                    role,
                    plural: false,
                    singular,
                },
            );
            if plural != singular {
                lex.nouns.insert(
                    plural,
                    Noun {
                        kind,
                        anon,
                        role,
                        plural: true,
                        singular,
                    },
                );
            }
            lex.examples.push(Example {
                table: NOUNS.name,
                line,
                id,
                text: example,
            });
        }
        for (line, cols) in rows(&TITLES)? {
            let [id, title, class, example] = cols[..] else {
                return Err(columns_error(&TITLES, line));
            };
            if !["government", "party", "business", "media", "religious", "other"].contains(&class) {
                return Err(error(&TITLES, line, format!("unknown class {class:?}")));
            }
            lex.titles.insert(title, Title { role: class != "other" });
            lex.title_words.extend(title.split_whitespace());
            lex.examples.push(Example {
                table: TITLES.name,
                line,
                id,
                text: example,
            });
        }
        for (line, cols) in rows(&NUMBERS)? {
            let [id, words, count, example] = cols[..] else {
                return Err(columns_error(&NUMBERS, line));
            };
            let count = match count {
                "many" => Count::Many,
                n => Count::Exactly(
                    n.parse()
                        .map_err(|_| error(&NUMBERS, line, format!("bad count {n:?}")))?,
                ),
            };
            lex.numbers.insert(words, count);
            lex.examples.push(Example {
                table: NUMBERS.name,
                line,
                id,
                text: example,
            });
        }
        for (line, cols) in rows(&AFFILIATIONS)? {
            let [id, surface, label, organization, example] = cols[..] else {
                return Err(columns_error(&AFFILIATIONS, line));
            };
            lex.affiliations.insert(surface, Affiliation { label, organization });
            lex.examples.push(Example {
                table: AFFILIATIONS.name,
                line,
                id,
                text: example,
            });
        }
        for (line, cols) in rows(&OUTLETS)? {
            let [id, kind, surface, name, example] = cols[..] else {
                return Err(columns_error(&OUTLETS, line));
            };
            let outlet = match kind {
                "name" => Outlet::Name(name),
                "noun" => Outlet::Noun,
                other => return Err(error(&OUTLETS, line, format!("unknown kind {other:?}"))),
            };
            lex.outlets.insert(surface, outlet);
            lex.examples.push(Example {
                table: OUTLETS.name,
                line,
                id,
                text: example,
            });
        }
        for (line, cols) in rows(&OUTLET_CUES)? {
            let [id, phrase, role, example] = cols[..] else {
                return Err(columns_error(&OUTLET_CUES, line));
            };
            let role = match role {
                "intermediary" => OutletRole::Intermediary,
                "citing" => OutletRole::Citing,
                "setting" => OutletRole::Setting,
                other => return Err(error(&OUTLET_CUES, line, format!("unknown role {other:?}"))),
            };
            lex.outlet_cues.insert(phrase, role);
            lex.examples.push(Example {
                table: OUTLET_CUES.name,
                line,
                id,
                text: example,
            });
        }
        lex.stops = phrase_list(&STOPS, &mut lex.examples)?;
        lex.glosses = phrase_list(&GLOSSES, &mut lex.examples)?;
        lex.labels = phrase_list(&LABELS, &mut lex.examples)?;
        for (line, cols) in rows(&GAPS)? {
            let [id, word, kind, example] = cols[..] else {
                return Err(columns_error(&GAPS, line));
            };
            let kind = match kind {
                "gap" => Gap::Gap,
                "finite" => Gap::Finite,
                "time" => Gap::Time,
                other => return Err(error(&GAPS, line, format!("unknown kind {other:?}"))),
            };
            lex.gaps.entry(word).or_default().push(kind);
            lex.examples.push(Example {
                table: GAPS.name,
                line,
                id,
                text: example,
            });
        }
        for (line, cols) in rows(&TIME)? {
            let [id, word, role, example] = cols[..] else {
                return Err(columns_error(&TIME, line));
            };
            match role {
                "unit" => lex.time_units.insert(word),
                "modifier" => lex.time_modifiers.insert(word),
                "relation" => lex.time_relations.insert(word),
                other => return Err(error(&TIME, line, format!("unknown role {other:?}"))),
            };
            lex.examples.push(Example {
                table: TIME.name,
                line,
                id,
                text: example,
            });
        }
        Ok(lex)
    }

    /// The built-in lexicon. Should a table be malformed (the tests make sure none is), extraction
    /// runs with an empty lexicon rather than panic.
    pub fn get() -> &'static Lexicon {
        static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::load().unwrap_or_default());
        &LEXICON
    }

    /// Whether `word` (normalised) is listed with `kind` in `gaps.tsv`.
    pub(crate) fn is_gap(&self, word: &str, kind: Gap) -> bool {
        self.gaps.get(word).is_some_and(|kinds| kinds.contains(&kind))
    }

    /// The cue entry of a matched form.
    pub(crate) fn cue(&self, form: CueForm) -> Option<&Cue> {
        self.cues.get(form.cue)
    }
}

/// A fingerprint of every table and the confidence weights: 12 hex digits of SHA-256. Recorded with
/// every graph, so that stored results can be traced to the rules that made them.
pub fn ruleset_fingerprint() -> String {
    static FINGERPRINT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    FINGERPRINT.get_or_init(compute_fingerprint).clone()
}

fn compute_fingerprint() -> String {
    let mut all = String::new();
    for table in [
        &CUES,
        &NOUNS,
        &TITLES,
        &NUMBERS,
        &AFFILIATIONS,
        &OUTLETS,
        &OUTLET_CUES,
        &STOPS,
        &GLOSSES,
        &LABELS,
        &GAPS,
        &TIME,
        &PREDICATES,
    ] {
        all.push_str(table.name);
        all.push_str(table.text);
    }
    all.push_str(CONFIDENCE_TOML);
    crate::model::hex_prefix(all.as_bytes(), 12)
}

fn error(table: &Table, line: usize, message: String) -> LexiconError {
    LexiconError {
        table: table.name,
        line,
        message,
    }
}

/// A table of `id, phrase, example` rows: its phrases, its examples added to `examples`.
fn phrase_list(table: &Table, examples: &mut Vec<Example>) -> Result<PhraseTable<()>, LexiconError> {
    let mut phrases = PhraseTable::default();
    for (line, cols) in rows(table)? {
        let [id, phrase, example] = cols[..] else {
            return Err(columns_error(table, line));
        };
        phrases.insert(phrase, ());
        examples.push(Example {
            table: table.name,
            line,
            id,
            text: example,
        });
    }
    Ok(phrases)
}

fn columns_error(table: &Table, line: usize) -> LexiconError {
    error(table, line, format!("expected {} columns", table.columns))
}

/// The data rows of a table: (1-based line, columns), skipping comments and blank lines.
/// The regular inflections of an English lemma, the lemma first: "-s"/"-es", "-ed"/"-d",
/// "-ing", "-ies"/"-ied" after a consonant, and a doubled final consonant ("planned").
/// Over-generation is harmless: the forms are only looked up.
fn inflections(lemma: &str) -> Vec<String> {
    let mut forms = vec![lemma.to_owned(), format!("{lemma}s"), format!("{lemma}es")];
    let vowel = |c: char| "aeiou".contains(c);
    let mut chars = lemma.chars().rev();
    let (last, before) = (chars.next(), chars.next());
    match (last, before) {
        (Some('y'), Some(b)) if !vowel(b) => {
            let stem = &lemma[..lemma.len() - 1];
            forms.extend([format!("{stem}ies"), format!("{stem}ied"), format!("{lemma}ing")]);
        }
        (Some('e'), _) => {
            let stem = &lemma[..lemma.len() - 1];
            forms.extend([format!("{lemma}d"), format!("{stem}ing")]);
        }
        (Some(l), Some(b)) if l.is_ascii_alphabetic() && !vowel(l) && vowel(b) => {
            forms.extend([
                format!("{lemma}ed"),
                format!("{lemma}ing"),
                format!("{lemma}{l}ed"),
                format!("{lemma}{l}ing"),
            ]);
        }
        _ => forms.extend([format!("{lemma}ed"), format!("{lemma}ing")]),
    }
    forms
}

fn rows(table: &Table) -> Result<Vec<(usize, Vec<&'static str>)>, LexiconError> {
    let mut out = Vec::new();
    let mut ids = HashSet::default();
    for (idx, line) in table.text.lines().enumerate() {
        let line_no = idx + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&'static str> = line.split('\t').collect();
        if cols.len() != table.columns || cols.iter().any(|c| c.trim().is_empty() || c.trim() != *c) {
            return Err(error(
                table,
                line_no,
                format!("expected {} non-empty, trimmed columns", table.columns),
            ));
        }
        if !ids.insert(cols[0]) {
            return Err(error(table, line_no, format!("duplicate id {:?}", cols[0])));
        }
        out.push((line_no, cols));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_parses() {
        let lex = Lexicon::load().unwrap();
        assert!(lex.cues.len() > 40);
        assert!(lex.examples.len() > 200);
    }

    #[test]
    fn predicates_are_found_in_their_inflections() {
        let lex = Lexicon::load().unwrap();
        let class = |name: &str| 1u16 << PREDICATE_CLASSES.iter().position(|c| *c == name).unwrap();
        for (word, want) in [
            ("supporting", "stance"),
            ("supported", "stance"),
            ("criticized", "speech"),
            ("denies", "deny"),
            ("denied", "deny"),
            ("planned", "volition"),
            ("hopes", "volition"),
            ("said", "speech"),
            ("thought", "cognition"),
            ("allegations", "noun"),
            ("tweeted", "write"),
        ] {
            assert_ne!(lex.predicate_classes(word) & class(want), 0, "{word} should be {want}");
        }
        for word in ["the", "river", "on", "müde", ""] {
            assert_eq!(lex.predicate_classes(word), 0, "{word}");
        }
    }
}
