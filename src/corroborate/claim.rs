//! What a reported content says, for matching: content-word stems, quantities (money, counts,
//! percentage levels, changes in percentage points), weekdays, names, negation and hedging.
//!
//! Two contents match when their weighted term overlap is high and nothing that pins a claim down
//! disagrees: a number of the same unit, a weekday, the names, or the polarity. "25 basis points",
//! "a quarter point" and "to 3.75% from 3.50%" are one change of 0.25 points; "$12 million" and
//! "12 million dollars" one sum.

use super::lexicon::Lexicon;
use std::collections::{BTreeMap, BTreeSet};

/// A quantity: a value in a unit (`usd`, `pp` for a change in percentage points, `pct` for a
/// level, `count`, `year`).
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// The value.
    pub value: f64,
    /// The unit.
    pub unit: &'static str,
    /// Whether it is a round figure for another ("seven in ten" for 71 %): it then matches values
    /// within [`APPROXIMATE`] of it.
    pub approx: bool,
}

/// How far (in the unit) a round figure may lie from the value it stands for.
pub const APPROXIMATE: f64 = 1.5;

impl Quantity {
    fn new(value: f64, unit: &'static str) -> Quantity {
        Quantity {
            value,
            unit,
            approx: false,
        }
    }

    /// Whether two quantities of one unit can state the same value.
    fn agrees(&self, other: &Quantity) -> bool {
        let tolerance = if self.approx || other.approx { APPROXIMATE } else { 1e-9 };
        self.unit == other.unit && (self.value - other.value).abs() <= tolerance
    }
}

/// The matching features of one content.
#[derive(Debug, Clone, Default)]
pub struct Features {
    /// Content-word stems, with quantity, day and name terms (`#usd:12000000`, `@friday`).
    pub terms: BTreeSet<String>,
    /// Quantities stated.
    pub quantities: Vec<Quantity>,
    /// Weekdays named.
    pub days: BTreeSet<String>,
    /// Capitalised words shortly after a locative preposition, with it ("to:brenmouth" in "to the
    /// Port of Brenmouth").
    pub places: BTreeSet<String>,
    /// Direction classes of the change stated ("up", "flat").
    pub directions: BTreeSet<String>,
    /// Whether the content is negated.
    pub negated: bool,
    /// Whether it is hedged ("could", "likely").
    pub hedged: bool,
}

/// A light suffix stemmer for English: plural, past and gerund endings and a final `e`.
pub fn stem(word: &str) -> String {
    let w = word.to_lowercase().replace('’', "'");
    let w = w
        .strip_suffix("'s")
        .or_else(|| w.strip_suffix('\''))
        .unwrap_or(&w)
        .to_owned();
    let chars: Vec<char> = w.chars().collect();
    let n = chars.len();
    let cut = |k: usize| chars[..n - k].iter().collect::<String>();
    let mut s = if n > 4 && (w.ends_with("ies") || w.ends_with("ied")) {
        format!("{}y", cut(3))
    } else if n > 4 && (w.ends_with("sses") || w.ends_with("ches") || w.ends_with("shes") || w.ends_with("xes")) {
        cut(2)
    } else if n > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        cut(1)
    } else if n > 5 && w.ends_with("ing") {
        cut(3)
    } else if n > 4 && w.ends_with("ed") {
        cut(2)
    } else {
        w.clone()
    };
    // Undouble a final consonant left by -ing/-ed ("stopped" → "stop"), drop a final e.
    let sc: Vec<char> = s.chars().collect();
    let m = sc.len();
    if s != w && m > 3 && sc[m - 1] == sc[m - 2] && !"aeiouls".contains(sc[m - 1]) {
        s.pop();
    }
    if s.chars().count() > 4 && s.ends_with('e') {
        s.pop();
    }
    s
}

/// A word of a content with its position.
struct Word<'a> {
    text: &'a str,
    lower: String,
    first: bool,
}

fn words(content: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut start = None;
    let mut first = true;
    let bytes: Vec<(usize, char)> = content.char_indices().collect();
    for (k, &(i, c)) in bytes.iter().enumerate() {
        let next = bytes.get(k + 1).map(|&(_, n)| n);
        let prev_digit = k > 0 && bytes[k - 1].1.is_ascii_digit();
        let inner = (c == '.' || c == ',') && prev_digit && next.is_some_and(|n| n.is_ascii_digit());
        let joiner = (c == '-' || c == '\'' || c == '’') && start.is_some() && next.is_some_and(char::is_alphanumeric);
        if c.is_alphanumeric() || inner || joiner || c == '%' || c == '$' {
            if c == '$' {
                if let Some(s) = start.take() {
                    push_word(&mut out, content, s, i, &mut first);
                }
                push_word(&mut out, content, i, i + 1, &mut first);
                continue;
            }
            if c == '%' {
                if let Some(s) = start.take() {
                    push_word(&mut out, content, s, i, &mut first);
                }
                push_word(&mut out, content, i, i + 1, &mut first);
                continue;
            }
            start.get_or_insert(i);
        } else {
            if let Some(s) = start.take() {
                push_word(&mut out, content, s, i, &mut first);
            }
            if matches!(c, '.' | '!' | '?' | '"' | '“' | '”' | ':') {
                first = true;
            }
        }
    }
    if let Some(s) = start {
        push_word(&mut out, content, s, content.len(), &mut first);
    }
    out
}

fn push_word<'a>(out: &mut Vec<Word<'a>>, content: &'a str, s: usize, e: usize, first: &mut bool) {
    let text = &content[s..e];
    out.push(Word {
        text,
        lower: text.to_lowercase(),
        first: *first,
    });
    *first = false;
}

const SMALL_NUMBERS: [&str; 21] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];

/// A whole number in digits ("7"), or in words up to twenty ("seven").
fn small_number(word: &str) -> Option<usize> {
    SMALL_NUMBERS
        .iter()
        .position(|n| *n == word)
        .or_else(|| word.parse().ok())
}

/// Currency words after which a spoken amount may go on in cents: "fourteen euros fifty".
const CURRENCY_WORDS: [&str; 10] = [
    "euros", "euro", "dollars", "dollar", "pounds", "pound", "francs", "crowns", "marks", "florins",
];

fn number(word: &str) -> Option<f64> {
    // "40-fold" is 40 times.
    let word = word.strip_suffix("-fold").unwrap_or(word);
    let digits: String = word.chars().filter(|c| *c != ',').collect();
    digits.parse::<f64>().ok().or_else(|| number_words(word))
}

/// A number from twenty-one to ninety-nine in words ("twenty-three", "forty"); smaller ones are
/// `SMALL_NUMBERS`.
fn number_words(word: &str) -> Option<f64> {
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    let (tens, units) = word.split_once('-').unwrap_or((word, ""));
    let tens = TENS.iter().position(|t| *t == tens)? + 2;
    let units = match units {
        "" => 0,
        u => SMALL_NUMBERS[1..10].iter().position(|n| *n == u)? + 1,
    };
    Some((tens * 10 + units) as f64)
}

/// Reads the features of a content.
pub fn features(content: &str) -> Features {
    let lex = Lexicon::get();
    let synonyms = lex.synonym_map();
    let ws = words(content);
    let mut f = Features::default();
    let lower: Vec<&str> = ws.iter().map(|w| w.lower.as_str()).collect();
    let mut used = vec![false; ws.len()];
    // Number phrases from the table ("a quarter point").
    for phrase in &lex.claims.numbers {
        let p: Vec<&str> = phrase.phrase.split([' ', '-']).collect();
        for i in 0..lower.len() {
            let joined: Vec<&str> = lower[i..].iter().flat_map(|w| w.split('-')).take(p.len()).collect();
            if joined == p && !used[i] {
                let span = lower[i..].iter().scan(0, |n, w| {
                    *n += w.split('-').count();
                    Some(*n)
                });
                let taken = span.take_while(|&n| n <= p.len()).count();
                used[i..i + taken.max(1)].fill(true);
                if let Some(unit) = unit_name(&phrase.unit) {
                    f.quantities.push(Quantity::new(phrase.value, unit));
                }
            }
        }
    }
    // Digits with their units.
    let mut levels: Vec<(usize, f64)> = Vec::new();
    for i in 0..ws.len() {
        if used[i] {
            continue;
        }
        let w = lower[i];
        let next = |k: usize| lower.get(i + k).copied().unwrap_or("");
        let value = number(w).or_else(|| SMALL_NUMBERS.iter().position(|n| *n == w).map(|n| n as f64));
        let Some(mut value) = value else { continue };
        let is_digits = w.starts_with(|c: char| c.is_ascii_digit());
        // Spoken decimals: "two point one million" is 2.1 million, "fourteen euros fifty" 14.50.
        let mut skip = 0;
        // "one in five", "seven in ten": a share, in round figures.
        if next(1) == "in"
            && let Some(whole) = small_number(next(2)).map(|n| n as f64).or_else(|| number(next(2)))
            && (2.0..=100.0).contains(&whole)
            && value < whole
        {
            used[i + 1..=i + 2].fill(true);
            f.quantities.push(Quantity {
                value: (value / whole * 1000.0).round() / 10.0,
                unit: "pct",
                approx: true,
            });
            continue;
        }
        if next(1) == "point"
            && let Some(digit) = small_number(next(2)).filter(|d| *d < 10)
        {
            value += digit as f64 / 10.0;
            skip = 2;
        } else if CURRENCY_WORDS.contains(&next(1))
            && let Some(cents) = small_number(next(2))
                .map(|c| c as f64)
                .or_else(|| number_words(next(2)))
                .filter(|c| *c < 100.0)
            && !matches!(
                next(3),
                "million" | "billion" | "thousand" | "m" | "bn" | "per" | "percent" | "%"
            )
        {
            value += cents / 100.0;
            used[i + 1..=i + 2].fill(true);
            f.quantities.push(Quantity::new(value, "count"));
            continue;
        }
        used[i + 1..(i + 1 + skip).min(ws.len())].fill(true);
        let next = |k: usize| lower.get(i + k + skip).copied().unwrap_or("");
        let mut k = 1;
        match next(1) {
            "million" | "m" => {
                value *= 1e6;
                k = 2;
            }
            "billion" | "bn" => {
                value *= 1e9;
                k = 2;
            }
            "thousand" => {
                value *= 1e3;
                k = 2;
            }
            _ => {}
        }
        let money = (i > 0 && lower[i - 1] == "$") || matches!(next(k), "dollars" | "dollar" | "usd");
        let (unit, value) = if money {
            ("usd", value)
        } else if next(k) == "%" || next(k) == "percent" {
            levels.push((i, value));
            ("pct", value)
        } else if next(k) == "basis" || next(k) == "bps" || next(k) == "bp" {
            ("pp", value / 100.0)
        } else if next(k) == "percentage" {
            ("pp", value)
        } else if is_digits && (1900.0..=2100.0).contains(&value) && !w.contains(['.', ',']) {
            ("year", value)
        } else if SMALL_NUMBERS.contains(&w) && w == "one" {
            continue; // "one" is mostly a pronoun ("one of the people")
        } else {
            ("count", value)
        };
        f.quantities.push(Quantity::new(value, unit));
    }
    // "to 3.75% from 3.50%": a change of 0.25 points.
    if let [(a, x), (b, y)] = levels[..] {
        let between = &lower[a..b];
        if b - a <= 4 && (between.contains(&"from") || between.contains(&"to")) {
            f.quantities
                .push(Quantity::new(((x - y).abs() * 100.0).round() / 100.0, "pp"));
        }
    }
    // A quantity is a matching term when it tells claims apart: "$12 million", "25 basis points",
    // "23 miners"; a small count ("two incidents", "three officials") is in too many stories, so
    // it only keeps look-alikes apart (`conflict`).
    for q in f.quantities.iter().filter(|q| q.unit != "count" || q.value > 10.0) {
        f.terms.insert(format!("#{}:{}", q.unit, q.value));
    }
    let negations = &lex.roles.negations;
    for (i, w) in ws.iter().enumerate() {
        let l = lower[i];
        // "for no reason", "with no warning": a noun phrase's "no" after a preposition negates
        // nothing the content states.
        let in_phrase = l == "no" && i > 0 && matches!(lower[i - 1], "for" | "with" | "of" | "from" | "to");
        if (negations.contains(l) && !in_phrase) || l.ends_with("n't") {
            f.negated = true;
        }
        if lex.claims.hedges.contains(l) {
            f.hedged = true;
        }
        if lex.claims.weekdays.contains(l) {
            f.days.insert(l.to_owned());
            f.terms.insert(format!("@{l}"));
            continue;
        }
        if w.text.starts_with(char::is_uppercase) && l.len() > 3 && crate::text::month_of(l).is_some() {
            f.days.insert(l.to_owned());
            continue;
        }
        let capital = w.text.starts_with(char::is_uppercase);
        let locative = (i.saturating_sub(5)..i)
            .rev()
            .find(|&k| lex.claims.locatives.contains(lower[k]));
        if let Some(k) = locative
            && capital
            && !w.first
            && !lex.claims.stopwords.contains(l)
        {
            f.places.insert(format!("{}:{}", lower[k], stem(l)));
        }
        let s = stem(l);
        let s = synonyms.get(&s).cloned().unwrap_or(s);
        for class in &lex.claims.directions {
            if class.iter().skip(1).any(|d| *d == s || *d == l) {
                if let Some(name) = class.first() {
                    f.directions.insert(name.clone());
                }
            }
        }
        if used[i] || lex.claims.stopwords.contains(l) || negations.contains(l) || l.len() < 2 {
            continue;
        }
        if l.starts_with(|c: char| c.is_ascii_digit()) || l == "$" || l == "%" {
            continue;
        }
        for part in l.split('-') {
            if part.len() < 2 || lex.claims.stopwords.contains(part) {
                continue;
            }
            f.terms.insert(term(part));
        }
    }
    f
}

/// Stems longer than [`PREFIX`] characters are cut to it: derivations of one word meet
/// ("maintain", "maintenance"; "inform", "information"), as in truncation stemming for retrieval.
pub const PREFIX: usize = 5;

/// The matching term of a lowercase word: its stem, through the synonym table, cut to [`PREFIX`].
pub fn term(word: &str) -> String {
    let s = stem(word);
    let s = Lexicon::get().synonym_map().get(&s).cloned().unwrap_or(s);
    s.chars().take(PREFIX).collect()
}

fn unit_name(unit: &str) -> Option<&'static str> {
    ["usd", "pp", "pct", "count", "year"].into_iter().find(|u| *u == unit)
}

/// The places of a content, by the preposition before them.
fn places_by_preposition(f: &Features) -> BTreeMap<&str, BTreeSet<&str>> {
    let mut map: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (preposition, place) in f.places.iter().filter_map(|p| p.split_once(':')) {
        map.entry(preposition).or_default().insert(place);
    }
    map
}

/// Why two contents cannot state the same claim, if they cannot.
pub fn conflict(a: &Features, b: &Features) -> Option<&'static str> {
    if a.negated != b.negated {
        return Some("polarity");
    }
    // Per unit (and for levels in percent): both state values and none is common.
    for unit in ["usd", "pp", "count", "year", "pct"] {
        let mut xs = a.quantities.iter().filter(|q| q.unit == unit).peekable();
        let mut ys = b.quantities.iter().filter(|q| q.unit == unit).peekable();
        if xs.peek().is_some() && ys.peek().is_some() {
            let common = a
                .quantities
                .iter()
                .filter(|q| q.unit == unit)
                .any(|x| b.quantities.iter().any(|y| x.agrees(y)));
            if !common {
                return Some("number");
            }
        }
    }
    if !a.days.is_empty() && !b.days.is_empty() && a.days != b.days {
        return Some("date");
    }
    // Places after the same preposition: "to Brenmouth" and "to Ardena" disagree; "into the
    // Elsra" and "at Sedrin's works" may be one story's two places.
    let (pa, pb) = (places_by_preposition(a), places_by_preposition(b));
    if pa
        .iter()
        .any(|(k, places)| pb.get(k).is_some_and(|other| places.is_disjoint(other)))
    {
        return Some("place");
    }
    if !a.directions.is_empty() && !b.directions.is_empty() && a.directions.is_disjoint(&b.directions) {
        return Some("outcome");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(content: &str) -> Vec<(f64, &'static str)> {
        features(content).quantities.iter().map(|q| (q.value, q.unit)).collect()
    }

    #[test]
    fn stems() {
        for (word, want) in [
            ("demanded", "demand"),
            ("demanding", "demand"),
            ("rerouted", "rerout"),
            ("reroute", "rerout"),
            ("stopped", "stop"),
            ("companies", "company"),
            ("officials", "official"),
            ("Brenmouth's", "brenmouth"),
        ] {
            assert_eq!(stem(word), want, "{word}");
        }
        // Terms: derivations meet, and a synonym keeps two words apart that the cut would join.
        assert_eq!(term("maintenance"), term("maintain"));
        assert_eq!(term("compliance"), term("complied"));
        assert_ne!(term("compliance"), term("completed"));
    }

    #[test]
    fn quantities_in_many_spellings() {
        assert_eq!(q("demanded $12 million in cryptocurrency"), [(12e6, "usd")]);
        assert_eq!(q("want 12 million dollars"), [(12e6, "usd")]);
        // Spoken amounts, as a bulletin reads them.
        assert_eq!(q("two point one million customers"), [(2.1e6, "count")]);
        assert_eq!(q("a bid of three point two billion euros"), [(3.2e9, "count")]);
        assert_eq!(q("offered fourteen euros fifty a share"), [(14.5, "count")]);
        assert_eq!(q("offered 14.50 euros a share"), [(14.5, "count")]);
        // A number with a thousands separator is a count, never a year.
        assert_eq!(q("employs about 1,900 people"), [(1900.0, "count")]);
        assert_eq!(q("since 1990"), [(1990.0, "year")]);
        assert!(q("raise by 25 basis points to 3.75%").contains(&(0.25, "pp")));
        assert!(q("by a quarter of a percentage point").contains(&(0.25, "pp")));
        assert!(q("likely to raise rates by a quarter point").contains(&(0.25, "pp")));
        assert!(q("raise the rate to 3.75% from 3.50%").contains(&(0.25, "pp")));
        assert!(q("a 50 basis point move to 4.00%").contains(&(0.5, "pp")));
        assert!(q("rerouted four vessels").contains(&(4.0, "count")));
        assert_eq!(q("Twenty-three miners are trapped"), [(23.0, "count")]);
        assert_eq!(q("There are 23 men trapped"), [(23.0, "count")]);
        assert_eq!(q("ninety people"), [(90.0, "count")]);
        assert_eq!(
            q("at 40-fold the permitted limit"),
            q("at 40 times the permitted limit")
        );
        // A small count keeps look-alikes apart but is no matching term; a larger one is.
        assert!(
            !features("into the two incidents")
                .terms
                .iter()
                .any(|t| t.starts_with('#'))
        );
        assert!(features("23 miners are trapped").terms.contains("#count:23"));
    }

    #[test]
    fn look_alikes_conflict_and_paraphrases_do_not() {
        let f = features;
        // A share in round figures is a percentage near the one it rounds.
        assert_eq!(q("one in five trains ran"), [(20.0, "pct")]);
        assert_eq!(
            conflict(&f("seven in ten members voted"), &f("71% of members voted")),
            None
        );
        assert_eq!(
            conflict(&f("fewer than one in five trains ran"), &f("42% of trains ran")),
            Some("number")
        );
        assert_eq!(
            conflict(&f("four in ten trains would run"), &f("42% of trains ran")),
            Some("number")
        );
        assert_eq!(
            conflict(&f("raise by 25 basis points"), &f("raise by 50 basis points")),
            Some("number")
        );
        assert_eq!(
            conflict(
                &f("operations could resume on Wednesday"),
                &f("cranes moving before Friday")
            ),
            Some("date")
        );
        assert_eq!(
            conflict(&f("the service was not affected"), &f("the service had been affected")),
            Some("polarity")
        );
        assert_eq!(
            conflict(&f("four ships went to Brenmouth"), &f("nine ships went to Ardena")),
            Some("number")
        );
        assert_eq!(
            conflict(&f("ships went to Brenmouth"), &f("ships went to Ardena")),
            Some("place")
        );
        // Two places of one story after different prepositions.
        assert_eq!(
            conflict(
                &f("Forty thousand litres of process water went into the Elsra"),
                &f("forty thousand litres reached the river from a split tank at Sedrin's Otterbeck works")
            ),
            None
        );
        // A noun phrase's "no" negates nothing the content states.
        assert_eq!(
            conflict(
                &f("the alarm had been switched off for weeks for no reason"),
                &f("a leak alarm had been disabled for weeks")
            ),
            None
        );
        assert_eq!(
            conflict(
                &f("no alarm had been switched off"),
                &f("the alarm had been switched off")
            ),
            Some("polarity")
        );
        assert_eq!(
            conflict(
                &f("the bank will raise its rate"),
                &f("the bank would keep its rate on hold")
            ),
            Some("outcome")
        );
        assert_eq!(
            conflict(
                &f("the National Bank will raise rates"),
                &f("before the Wire report, a rise was likely")
            ),
            None
        );
        assert_eq!(
            conflict(
                &f("will raise by 25 basis points"),
                &f("to lift it by a quarter of a percentage point")
            ),
            None
        );
        assert_eq!(
            conflict(&f("demanded $12 million"), &f("want 12 million dollars")),
            None
        );
    }
}
