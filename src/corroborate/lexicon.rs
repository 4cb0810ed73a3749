//! The word lists and trust values of `lexicon.toml`, loaded once.

use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

const LEXICON_TOML: &str = include_str!("lexicon.toml");

/// The parsed table.
#[derive(Debug, Default, Deserialize)]
pub struct Lexicon {
    /// Recorded with the results.
    pub version: String,
    /// Mention roles.
    pub roles: Roles,
    /// Source resolution.
    pub sources: Sources,
    /// Claim matching.
    pub claims: Claims,
    /// Confidence v2.
    pub trust: Trust,
}

/// Words that decide whether an attribution is a statement, a denial or neither.
#[derive(Debug, Default, Deserialize)]
pub struct Roles {
    /// Cue words of non-statements.
    pub non_statement: HashSet<String>,
    /// Negations.
    pub negations: HashSet<String>,
    /// Cue words of denials.
    pub denial: HashSet<String>,
    /// Content openings of non-statements.
    pub non_statement_content: Vec<String>,
    /// Contents of a denial that point back to a claim reported before it ("the report as …").
    pub anaphoric_denial: Vec<String>,
    /// Cue words that relay a report when their subject is an outlet.
    pub relay_cues: HashSet<String>,
    /// Verbs of a report attached after a comma.
    pub trailing_reports: HashSet<String>,
}

/// Words for source resolution.
#[derive(Debug, Default, Deserialize)]
pub struct Sources {
    /// Head nouns of vague relays.
    pub vague_relay: HashSet<String>,
    /// Titles that speak for an organisation.
    pub speaks_for: Vec<String>,
    /// Sources that name the outlet named last before them ("the paper").
    pub outlet_anaphors: HashSet<String>,
    /// The titles of `speaks_for` that only a company has: with no organisation named, the
    /// company the article names.
    pub company_titles: HashSet<String>,
    /// Collective heads.
    pub collective: HashSet<String>,
    /// Words that make a name an organisation's ("Ostrand Pharmaceuticals", "Tarn Hills
    /// Mineworkers' Union").
    pub organization_words: HashSet<String>,
    /// Nouns that describe an organisation by its kind ("the company", "the regulator"), each with
    /// the words its name must hold one of (`"-"`: none of the other kinds' words).
    pub organization_kinds: HashMap<String, Vec<String>>,
    /// Organisation words of public bodies, parties and associations: no company's.
    pub public_bodies: HashSet<String>,
}

/// Words for claim matching.
#[derive(Debug, Default, Deserialize)]
pub struct Claims {
    /// Words without content.
    pub stopwords: HashSet<String>,
    /// Hedging words.
    pub hedges: HashSet<String>,
    /// Weekday names.
    pub weekdays: HashSet<String>,
    /// Word → stem pairs.
    pub synonyms: Vec<[String; 2]>,
    /// Number phrases.
    pub numbers: Vec<NumberPhrase>,
    /// Direction classes: the class name, then its words.
    pub directions: Vec<Vec<String>>,
    /// Locative prepositions.
    pub locatives: HashSet<String>,
}

/// A phrase that states a quantity.
#[derive(Debug, Default, Deserialize)]
pub struct NumberPhrase {
    /// Lowercase words.
    pub phrase: String,
    /// Its value.
    pub value: f64,
    /// Its unit.
    pub unit: String,
}

/// Trust values: (belief, disbelief) pairs; uncertainty is the rest.
#[derive(Debug, Default, Deserialize)]
pub struct Trust {
    /// A claim's base rate.
    pub claim_base_rate: f64,
    /// A direct quotation.
    pub direct: [f64; 2],
    /// Indirect or mixed speech.
    pub indirect: [f64; 2],
    /// A hedged statement.
    pub hedged: [f64; 2],
    /// A named person or organisation.
    pub named_source: [f64; 2],
    /// A named outlet.
    pub named_outlet: [f64; 2],
    /// An outlet not named.
    pub unknown_outlet: [f64; 2],
    /// An anonymous source.
    pub anonymous_source: [f64; 2],
    /// A collective.
    pub collective_source: [f64; 2],
    /// The most copies of one source fused for a count.
    pub max_count: u32,
}

impl Lexicon {
    /// The built-in table. A unit test makes sure it parses; the empty fallback keeps `get`
    /// infallible.
    pub fn get() -> &'static Lexicon {
        static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| toml::from_str(LEXICON_TOML).unwrap_or_default());
        &LEXICON
    }

    /// The synonym table with both sides stemmed.
    pub fn synonym_map(&self) -> &'static HashMap<String, String> {
        static MAP: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
            Lexicon::get()
                .claims
                .synonyms
                .iter()
                .map(|[from, to]| (super::claim::stem(from), super::claim::stem(to)))
                .collect()
        });
        &MAP
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_table_parses() {
        let lexicon: super::Lexicon = toml::from_str(super::LEXICON_TOML).expect("lexicon.toml");
        assert!(lexicon.roles.denial.contains("denied"));
        assert!(lexicon.trust.named_source[0] > lexicon.trust.anonymous_source[0]);
    }
}
