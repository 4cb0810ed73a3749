//! Source resolution across articles: every source mention gets the key of a canonical entity.
//!
//! - Named people are one entity by surname ("Ilse Okafor", "Okafor", "Transport Minister Ilse
//!   Okafor"); named organisations by name, a shorter form matching a longer one's first words
//!   ("Auremont" → "Auremont Cyber Labs").
//! - A person who speaks for an organisation (a title of `speaks_for`, with the organisation named
//!   in the same mention anywhere in the store) is that organisation: "Piet Varenholt,
//!   director-general of the Castellan Port Authority" → the port authority, and so is "Varenholt".
//! - A definite description ("the authority", "The port authority") is the named organisation
//!   whose name holds its words, in the same article first, then in the store, when only one does.
//!   A description by kind (`organization_kinds` in `lexicon.toml`) is the one organisation of
//!   that kind: "the company" among those its article names, "Kelvaria's medicines regulator"
//!   among those whose name holds "medicines" and the place's stem.
//! - One capitalised word is a person's surname, unless it is or begins an organisation named in
//!   full or spoken for ("Torvane" after "Torvane chief executive Conrad Elsworth").
//! - Anonymous sources stay distinct per article and mention, unless the text says they are the
//!   same: "the same person", "two of the people" resolve to the last anonymous source of the
//!   article with the same head noun.
//! - Collectives ("economists polled by …") are their own kind of root.

use super::lexicon::Lexicon;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// What kind of entity a root is; confidence trusts each differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntityKind {
    /// A named person.
    Person,
    /// A named organisation.
    Organization,
    /// An unnamed source, as introduced by one report.
    Anonymous,
    /// A group that speaks as one (a poll, "analysts").
    Collective,
}

/// A canonical entity.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Entity {
    /// Stable key ("person:okafor", "org:castellan-port-authority", "anon:<article>:<agent>").
    pub key: String,
    /// A name for people to read.
    pub name: String,
    /// Its kind.
    pub kind: EntityKind,
}

/// One source mention to resolve.
#[derive(Debug, Clone)]
pub struct SourceMention<'a> {
    /// Index of the article.
    pub article: usize,
    /// The article's publisher, for naming anonymous sources.
    pub outlet: Option<&'a str>,
    /// The source as written.
    pub text: &'a str,
    /// The name the extractor gave it, when named.
    pub name: Option<&'a str>,
    /// The agent IRI (shared by coreferent mentions of one article).
    pub agent: Option<&'a str>,
    /// Whether the extractor found it anonymous.
    pub anonymous: bool,
    /// How many.
    pub count: u32,
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for w in s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&w.to_lowercase());
    }
    out
}

/// Capitalised word runs of a text, each a candidate name ("Castellan Port Authority").
fn capitalised_runs(text: &str) -> Vec<String> {
    let mut runs = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    for raw in text.split_whitespace() {
        let w = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != '’' && c != '\'');
        let w = w.trim_end_matches("’s").trim_end_matches("'s");
        let ends = raw.ends_with([',', ';', ':']) || raw.ends_with("’s") || raw.ends_with("'s");
        let connector = !run.is_empty() && matches!(w, "of" | "for" | "and");
        if w.starts_with(char::is_uppercase) || connector {
            run.push(w);
        } else {
            flush(&mut run, &mut runs);
        }
        if ends {
            flush(&mut run, &mut runs);
        }
    }
    flush(&mut run, &mut runs);
    runs
}

fn flush(run: &mut Vec<&str>, runs: &mut Vec<String>) {
    while run.first().is_some_and(|w| matches!(*w, "The" | "A" | "An" | "Its")) {
        run.remove(0);
    }
    while run.last().is_some_and(|w| matches!(*w, "of" | "for" | "and")) {
        run.pop();
    }
    if !run.is_empty() {
        runs.push(run.join(" "));
    }
    run.clear();
}

const DETERMINERS: [&str; 4] = ["the", "a", "an", "its"];

/// A capitalised run found in `text` with the lowercase organisation words right after it: "Lysmark
/// police" in "Lysmark police, Vera Kosut", not "Lysmark" (which would begin another name).
fn with_kind_words(text: &str, run: String) -> String {
    let words = &Lexicon::get().sources.organization_words;
    let Some(at) = text.find(run.as_str()) else { return run };
    let after: Vec<&str> = text[at + run.len()..]
        .split_whitespace()
        .map(|w| w.trim_end_matches([',', ';', '.']))
        .take_while(|w| words.contains(*w))
        .collect();
    if after.is_empty() {
        run
    } else {
        format!("{run} {}", after.join(" "))
    }
}

/// An organisation named by a description that opens `text`, up to a comma: words ending in an
/// organisation word, with a place before or after it ("the district prosecutor's office in
/// Durnholm", "the city's finance department", "the interior ministry", "Lowmarch police", "Police
/// in Lowmarch"). The place comes first in the name, so that each way of writing it is one name
/// ("Durnholm district prosecutor's office", "Lowmarch police"). The organisation word alone ("the
/// office", "Police") describes none.
fn described_org(text: &str) -> Option<String> {
    const LONGEST: usize = 4;
    let words = &Lexicon::get().sources.organization_words;
    let phrase = text.split([',', ';', '.']).next()?.trim();
    let tokens: Vec<&str> = phrase.split_whitespace().collect();
    let start = usize::from(
        tokens
            .first()
            .is_some_and(|w| DETERMINERS.contains(&w.to_lowercase().as_str())),
    );
    let possessive = |w: &str| w.ends_with("'s") || w.ends_with("’s");
    let bare = |w: &str| w.trim_end_matches("'s").trim_end_matches("’s").to_lowercase();
    let head = (start..tokens.len().min(start + LONGEST + 1)).find(|&k| words.contains(bare(tokens[k]).as_str()))?;
    // A capitalised head past the first word is a name's ("the Calvessan Institution of
    // Structural Engineers"), not a description's.
    if possessive(tokens[head]) || (head > start && tokens[head].starts_with(char::is_uppercase)) {
        return None;
    }
    let mut name: Vec<&str> = tokens[start..=head].to_vec();
    // "in Durnholm": a place after it, one capitalised run.
    let after = head + 1;
    if tokens.get(after).is_some_and(|w| matches!(*w, "in" | "of" | "at"))
        && tokens.get(after + 1).is_some_and(|w| w.starts_with(char::is_uppercase))
    {
        let place = tokens[after + 1..]
            .iter()
            .take_while(|w| w.starts_with(char::is_uppercase))
            .copied();
        name = place.chain(name).collect();
    }
    (name.len() >= 2).then(|| name.join(" "))
}

/// The portfolio of a minister named in `text`: "interior" in "Interior Minister Oriel Damsgaard",
/// "The interior minister, Oriel Damsgaard" and "the minister for the interior".
fn portfolio(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .collect();
    let at = words.iter().position(|w| *w == "minister")?;
    let before = at.checked_sub(1).map(|k| words[k]);
    let after = words[at + 1..]
        .iter()
        .find(|w| !matches!(**w, "of" | "for" | "the"))
        .filter(|_| words.get(at + 1).is_some_and(|w| matches!(*w, "of" | "for")));
    const NO_PORTFOLIO: [&str; 7] = ["prime", "deputy", "former", "junior", "the", "a", "cabinet"];
    before
        .filter(|w| !NO_PORTFOLIO.contains(w) && w.chars().all(char::is_alphabetic))
        .or(after.copied())
        .map(str::to_owned)
}

/// Whether two lowercase words share a stem: "interior" and "interior", "health" and "health's",
/// "environment" and "environmental" (five letters in common at least, or the whole shorter word
/// of three letters at least).
fn same_stem(a: &str, b: &str) -> bool {
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    common >= 3 && common >= 5.min(a.chars().count()).min(b.chars().count())
}

/// The slugs of `set` that begin with the slug `s` and a dash: the longer names `s` begins.
fn begins<'a>(set: &'a BTreeSet<String>, s: &str) -> impl Iterator<Item = &'a String> {
    let from = format!("{s}-");
    set.range(from.clone()..).take_while(move |k| k.starts_with(&from))
}

/// A speaks-for title in a source mention.
struct Title {
    /// The organisation it names: "Quorin Avionics" in "a spokesman for Quorin Avionics", "Klemens
    /// campaign" in "Klemens's campaign manager".
    org: Option<String>,
    /// When it names none, how the mention points to it.
    description: Option<Described>,
}

/// How a title that names no organisation points to one.
enum Described {
    /// Lowercase words before the title ("bank" in "The bank's spokesman", "commission" in
    /// "commission spokesman Emil Farrow"), or the kind a company's title implies ("company" for
    /// "Chief executive Erland Thursby").
    Words(Vec<String>),
    /// A possessive pronoun ("its chair, Odile Marchetti"): the organisation named last before it.
    LastNamed,
}

/// The capitalised run `run` of `text` with the lowercase organisation words between it and the
/// title `title` (which stands at `at`), and those the title opens with: "Revel campaign" in
/// "Revel campaign spokesman", "Klemens campaign" in "Klemens's campaign manager".
fn body_words(text: &str, run: &str, at: usize, title: &str) -> String {
    let words = &Lexicon::get().sources.organization_words;
    let Some(k) = text[..at].rfind(run) else {
        return run.to_owned();
    };
    let between = &text[k + run.len()..at];
    let between = between
        .strip_prefix("’s")
        .or_else(|| between.strip_prefix("'s"))
        .unwrap_or(between);
    let before: Vec<&str> = between.split_whitespace().collect();
    if !before.iter().all(|w| words.contains(*w)) {
        return run.to_owned();
    }
    let opening = title.split(' ').take_while(|w| words.contains(*w));
    let body: Vec<&str> = before.into_iter().chain(opening).collect();
    if body.is_empty() {
        run.to_owned()
    } else {
        format!("{run} {}", body.join(" "))
    }
}

/// The speaks-for title of a source mention, if it has one, and the organisation it ties the
/// mention to.
fn speaks_for(text: &str) -> Option<Title> {
    let lex = Lexicon::get();
    // ASCII lowercase keeps byte offsets, so that positions found in it hold in `text`.
    let lower = text.to_ascii_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric() && c != '-').collect();
    // "chief underwriting officer", "chief risk officer": any chief … officer, as the list's.
    let chief_officer = (0..words.len()).filter(|&k| words[k] == "chief").find_map(|k| {
        (k + 2..words.len().min(k + 4))
            .find(|&e| words[e] == "officer")
            .map(|e| words[k..=e].join(" "))
    });
    let title = lex
        .sources
        .speaks_for
        .iter()
        .filter(|t| words.windows(t.split(' ').count()).any(|w| w.join(" ") == **t))
        .chain(&chief_officer)
        .max_by_key(|t| t.len())?;
    // The title as whole words, as it was matched ("spokesman" not inside "ex-spokesman").
    let in_word = |c: char| c.is_alphanumeric() || c == '-';
    let at = lower
        .match_indices(title.as_str())
        .map(|(k, _)| k)
        .find(|&k| {
            !lower[..k].chars().next_back().is_some_and(in_word)
                && !lower[k + title.len()..].chars().next().is_some_and(in_word)
        })
        .unwrap_or(0);
    // "… head of threat research" names a department after the title; the organisation is the
    // possessor before it ("Auremont's head") or after "of/for/at the" when capitalised.
    let runs = capitalised_runs(text);
    let after = &text[(at + title.len()).min(text.len())..];
    // After the title, only "of/for/at (the) Org" names the organisation ("spokesman Tomas
    // Reinholt" names a person).
    // "Commander Idris Valcourt of the Kestrava Fire and Rescue Service": the person's name may
    // stand between the title and "of".
    let named_after = after.trim_start();
    let past_name = capitalised_runs(named_after)
        .first()
        .filter(|run| named_after.starts_with(run.as_str()))
        .map_or(named_after, |run| named_after[run.len()..].trim_start());
    let after_org = ["of ", "for ", "at "]
        .iter()
        .find_map(|p| named_after.strip_prefix(p).or_else(|| past_name.strip_prefix(p)))
        .and_then(|rest| {
            // "for the district prosecutor's office in Durnholm" names it by description.
            described_org(rest).or_else(|| {
                capitalised_runs(rest)
                    .into_iter()
                    .next()
                    .map(|run| with_kind_words(rest, run))
            })
        })
        .or_else(|| {
            // "Paul Orde, chair, Northern Grid Authority": an organisation's name set off by a
            // comma that ends the mention, as a label or a caption writes it (not the person's
            // own name: "The company's chief executive, Annelise Brukner").
            let rest = after.trim_start().strip_prefix(',')?.trim().trim_end_matches(',');
            let run = capitalised_runs(rest).pop()?;
            let whole = rest.trim_start_matches("the ").trim_start_matches("The ") == run;
            (whole && !looks_like_person(&run, "")).then_some(run)
        });
    let before = &text[..at];
    // The possessor must stand right before "'s", or before "'s" and organisation words: in "Dr
    // Corinne Abara, the agency's chief executive" the name before is the person's own.
    let possessor = capitalised_runs(before).pop().filter(|run| {
        let Some(k) = before.rfind(run.as_str()) else {
            return false;
        };
        let rest = &before[k + run.len()..];
        let rest = rest.strip_prefix("’s").or_else(|| rest.strip_prefix("'s"));
        rest.is_some_and(|r| {
            let words = &lex.sources.organization_words;
            r.split_whitespace().all(|w| words.contains(w))
        })
    });
    let org = possessor
        .map(|run| body_words(text, &run, at, title))
        .or(after_org)
        .or_else(|| {
            // "Port authority director-general Piet Varenholt": the organisation before the title,
            // not a name set off by a comma ("Dr Corinne Abara, the agency's chief executive").
            runs.first()
                .filter(|r| {
                    before
                        .find(r.as_str())
                        .is_some_and(|k| !before[k + r.len()..].contains(','))
                })
                .map(|run| body_words(text, run, at, title))
        });
    // "The bank's spokesman", "commission spokesman Emil Farrow", "Sefton Aduya, the council's
    // commissioner", "the council's humanitarian commissioner": lowercase words before the title
    // (after a name set off by a comma), up to a possessive when there is one.
    // What stands after the last comma before the title ("the council's" in "Sefton Aduya, the
    // council's commissioner").
    let after_comma = before.rsplit(',').next().unwrap_or(before);
    let description = org.is_none().then(|| {
        let b = after_comma;
        let b = match b.rfind("'s ").or_else(|| b.rfind("’s ")) {
            Some(k) => &b[..k],
            None => b.trim_end().trim_end_matches("'s").trim_end_matches("’s"),
        };
        let words: Vec<String> = b
            .split_whitespace()
            .map(|w| w.to_lowercase())
            .filter(|w| !DETERMINERS.contains(&w.as_str()))
            .collect();
        let capitalised = b
            .split_whitespace()
            .any(|w| !DETERMINERS.contains(&w.to_lowercase().as_str()) && w.starts_with(char::is_uppercase));
        (!words.is_empty() && words.len() <= 3 && !capitalised).then_some(words)
    });
    // "Chief executive Erland Thursby": a company's title with nothing before it describes the
    // company the article names.
    let description = description.flatten().or_else(|| {
        let bare = before.trim().is_empty() || before.trim_end().ends_with(',');
        (org.is_none() && bare && lex.sources.company_titles.contains(title)).then(|| vec!["company".to_owned()])
    });
    // "its chair, Odile Marchetti": the organisation named last before it.
    let possessive_pronoun = matches!(after_comma.trim(), "its" | "Its" | "their" | "Their");
    let description = description
        .map(Described::Words)
        .or_else(|| (org.is_none() && possessive_pronoun).then_some(Described::LastNamed));
    Some(Title { org, description })
}

/// Resolves every mention; the result is parallel to `mentions`.
pub fn resolve(mentions: &[SourceMention<'_>]) -> Vec<Entity> {
    let lex = Lexicon::get();
    // Pass 1: named people (by surname) and organisations, and who speaks for which organisation.
    let mut people: BTreeMap<String, String> = BTreeMap::new(); // surname → fullest name
    let mut orgs: BTreeMap<String, String> = BTreeMap::new(); // slug → name
    let mut speaker_of: BTreeMap<String, String> = BTreeMap::new(); // surname → org name
    let mut described_speakers: Vec<(usize, String, &Described, usize)> = Vec::new(); // article, surname, description, organisations named before
    // The organisations named, in mention order, with their article.
    let mut named_in_order: Vec<(usize, String)> = Vec::new();
    let mut ministers: Vec<(String, String)> = Vec::new(); // surname, portfolio
    let mut orgs_in: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new(); // article → organisations named
    // Organisations only described ("the district prosecutor's office in Durnholm"), by article:
    // slug → words. Descriptions resolve to named organisations, never the other way round.
    let mut described_in: BTreeMap<usize, BTreeMap<String, String>> = BTreeMap::new();
    // Each mention's speaks-for title and, unnamed, the organisation it describes: read once.
    let titles: Vec<Option<Title>> = mentions.iter().map(|m| speaks_for(m.text)).collect();
    let descriptions: Vec<Option<String>> = mentions
        .iter()
        .map(|m| m.name.is_none().then(|| unnamed_org(m)).flatten())
        .collect();
    let title_orgs = || titles.iter().filter_map(|t| t.as_ref()?.org.clone());
    // Organisations named in full, or as the organisation a speaker speaks for: one word that is
    // or begins one of them is that organisation ("Ostrand" after "Ostrand Pharmaceuticals",
    // "Torvane" after "Torvane chief executive Conrad Elsworth"), not a person's surname.
    let named_orgs: BTreeSet<String> = mentions
        .iter()
        .filter_map(|m| m.name.map(|n| fuller(n, m.text)))
        .filter(|name| name.contains(' ') && !looks_like_person(name, ""))
        .chain(title_orgs())
        .map(|name| slug(&name))
        .collect();
    // The organisations a speaker speaks for, by the first word of their slug: "Quorin Avionics"
    // after "Quorin's chief technology officer" is Quorin, no person.
    let spoken_for: BTreeSet<String> = title_orgs()
        .map(|name| slug(&name))
        .filter(|s| !s.contains('-'))
        .collect();
    let is_person = |name: &str, text: &str| {
        let word = slug(name);
        let is_org = if name.contains(' ') {
            word.split('-').next().is_some_and(|first| spoken_for.contains(first))
        } else {
            named_orgs.contains(&word) || begins(&named_orgs, &word).next().is_some()
        };
        looks_like_person(name, text) && !is_org
    };
    for ((m, title), org) in mentions.iter().zip(&titles).zip(&descriptions) {
        let Some(name) = m.name else {
            if let Some(org) = org {
                described_in
                    .entry(m.article)
                    .or_default()
                    .insert(slug(org), org.clone());
            }
            continue;
        };
        let name = fuller(name, m.text);
        let name = name.as_str();
        if is_person(name, m.text) {
            let surname = surname(name);
            let entry = people.entry(surname.clone()).or_insert_with(|| name.to_owned());
            if name.len() > entry.len() {
                name.clone_into(entry);
            }
            if let Some(portfolio) = portfolio(m.text) {
                ministers.push((surname.clone(), portfolio));
            }
            match title {
                Some(Title { org: Some(org), .. }) => {
                    orgs_in.entry(m.article).or_default().insert(org.clone());
                    speaker_of.entry(surname).or_insert_with(|| org.clone());
                }
                Some(Title {
                    description: Some(described),
                    ..
                }) => described_speakers.push((m.article, surname, described, named_in_order.len())),
                _ => {}
            }
        } else {
            named_in_order.push((m.article, name.to_owned()));
            orgs_in.entry(m.article).or_default().insert(name.to_owned());
            orgs.entry(slug(name)).or_insert_with(|| name.to_owned());
        }
    }
    // "The bank's spokesman, Tomas Reinholt", "company spokeswoman Ana Ruiz": the one named
    // organisation the description fits, by its words or by its kind.
    // When the article names several, the last one named before the mention: "Vossberg Bank said
    // … Chief executive Erland Thursby said …".
    for (article, surname, described, before) in described_speakers {
        // The organisations the article named before the mention, the nearest first.
        let mut named_before = named_in_order[..before]
            .iter()
            .rev()
            .filter(|(a, _)| *a == article)
            .map(|(_, name)| name);
        let found = match described {
            Described::LastNamed => named_before.next().cloned(),
            Described::Words(words) => {
                let here: Vec<&str> = orgs_in
                    .get(&article)
                    .into_iter()
                    .flatten()
                    .map(String::as_str)
                    .collect();
                let description = words.join(" ");
                describe(&words.iter().map(String::as_str).collect::<Vec<_>>(), &orgs)
                    .or_else(|| describe_kind(&description, here, &orgs))
                    .or_else(|| named_before.find_map(|name| describe_kind(&description, vec![name.as_str()], &orgs)))
            }
        };
        if let Some(org) = found {
            speaker_of.entry(surname).or_insert(org);
        }
    }
    for org in speaker_of.values() {
        orgs.entry(slug(org)).or_insert_with(|| org.clone());
    }
    // A shorter form is the longer name it begins ("Auremont" → "Auremont Cyber Labs"), or the one
    // name it ends ("Civil Aviation Authority" → "Pelladoran Civil Aviation Authority").
    // Descriptions find named organisations among these; shorter forms find descriptions too.
    let named = orgs.clone();
    for org in descriptions.iter().flatten() {
        orgs.entry(slug(org)).or_insert_with(|| org.clone());
    }
    // A minister whose ministry is a source too speaks for it: "Interior Minister Oriel Damsgaard"
    // and "the interior ministry" are one root. A minister whose ministry never speaks stays a
    // person.
    for (surname, portfolio) in ministers {
        let ministries: BTreeSet<&String> = orgs
            .iter()
            .filter(|(k, _)| {
                let parts: Vec<&str> = k.split('-').collect();
                parts.contains(&"ministry") && parts.iter().any(|p| same_stem(p, &portfolio))
            })
            .map(|(_, name)| name)
            .collect();
        if let [only] = ministries.into_iter().collect::<Vec<_>>()[..] {
            speaker_of.entry(surname).or_insert_with(|| only.clone());
        }
    }
    let slugs: BTreeSet<String> = orgs.keys().cloned().collect();
    // The slugs written backwards, so that the names a slug ends are a range too.
    let reversed: BTreeSet<String> = orgs.keys().map(|k| k.chars().rev().collect()).collect();
    let canonical = |name: &str| -> String {
        let s = slug(name);
        let begun = begins(&slugs, &s).max_by_key(|k| k.len()).cloned();
        let backwards: String = s.chars().rev().collect();
        let mut ended = begins(&reversed, &backwards).map(|k| k.chars().rev().collect::<String>());
        let only_ended = match (ended.next(), ended.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        };
        begun
            .or(only_ended)
            .or_else(|| orgs.contains_key(&s).then_some(s))
            .and_then(|k| orgs.get(&k).cloned())
            .unwrap_or_else(|| name.to_owned())
    };
    let org_entity = |name: &str| -> Entity {
        let canonical = canonical(name);
        Entity {
            key: format!("org:{}", slug(&canonical)),
            name: canonical,
            kind: EntityKind::Organization,
        }
    };
    // Pass 2: each mention.
    let mut out: Vec<Entity> = Vec::with_capacity(mentions.len());
    let mut last_anonymous: BTreeMap<(usize, String), Entity> = BTreeMap::new();
    for ((m, title), description) in mentions.iter().zip(&titles).zip(&descriptions) {
        let lower = m.text.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .filter(|w| !w.is_empty())
            .collect();
        let head = head_noun(&words);
        let full = m.name.map(|n| fuller(n, m.text));
        let entity = if let Some(name) = full.as_deref() {
            if is_person(name, m.text) {
                let surname = surname(name);
                match speaker_of.get(&surname) {
                    Some(org) => org_entity(org),
                    None => Entity {
                        key: format!("person:{surname}"),
                        name: people.get(&surname).cloned().unwrap_or_else(|| name.to_owned()),
                        kind: EntityKind::Person,
                    },
                }
            } else {
                org_entity(name)
            }
        } else if let Some(org) = title.as_ref().and_then(|t| t.org.as_deref()) {
            org_entity(org)
        } else if words.iter().any(|w| lex.sources.collective.contains(*w)) && !m.anonymous {
            Entity {
                key: format!("collective:{}:{}", m.article, slug(m.text)),
                name: with_outlet(m.text, m.outlet),
                kind: EntityKind::Collective,
            }
        } else if let Some(org) = capitalised_runs(m.text)
            .into_iter()
            .next()
            .filter(|r| r.contains(' ') && !m.anonymous)
        {
            // "researchers at Auremont Cyber Labs": the named organisation they speak for.
            org_entity(&org)
        } else {
            let same = lower.contains("the same ") || lower.contains(" of the ") || lower.contains(" of those ");
            let remembered = same
                .then(|| last_anonymous.get(&(m.article, singular(&head))).cloned())
                .flatten();
            let definite = words.first() == Some(&"the") || place_possessor(m.text).is_some();
            let described = (!m.anonymous && m.count <= 1 && definite)
                .then(|| {
                    describe(&words, &named)
                        .or_else(|| {
                            let here: BTreeSet<String> = orgs_in
                                .get(&m.article)
                                .into_iter()
                                .flatten()
                                .map(|o| canonical(o))
                                .collect();
                            describe_kind(m.text, here.iter().map(String::as_str).collect(), &named)
                        })
                        // "The office" after "the public prosecutor's office in Telmarsh".
                        .or_else(|| describe(&words, described_in.get(&m.article)?))
                })
                .flatten();
            match (remembered, described.or_else(|| description.clone())) {
                (Some(entity), _) => entity,
                (None, Some(name)) => org_entity(&name),
                (None, None) => {
                    let entity = Entity {
                        key: format!("anon:{}:{}", m.article, m.agent.unwrap_or(m.text)),
                        name: with_outlet(m.text, m.outlet),
                        kind: EntityKind::Anonymous,
                    };
                    last_anonymous.insert((m.article, singular(&head)), entity.clone());
                    entity
                }
            }
        };
        out.push(entity);
    }
    out
}

/// The organisation an unnamed, singular source describes ("the district prosecutor's office in
/// Durnholm", "Police in Lowmarch"): one organisation wherever it is written so, not an anonymous
/// source of each article.
fn unnamed_org(m: &SourceMention<'_>) -> Option<String> {
    (!m.anonymous && m.count <= 1).then(|| described_org(m.text)).flatten()
}

/// The fullest form of a name the mention writes: a one-word name inside a longer capitalised run
/// is that run ("National" in "The National Bank of Estvar on Tuesday" → "National Bank of Estvar").
fn fuller(name: &str, text: &str) -> String {
    if name.contains(' ') {
        return name.to_owned();
    }
    capitalised_runs(text)
        .into_iter()
        .find(|run| run.split(' ').any(|w| w == name) && run.contains(' '))
        .unwrap_or_else(|| name.to_owned())
}

/// The head noun of an unnamed source: the word after a partitive "of the" ("two of the
/// people"), else the last word before its first modifier ("three people familiar with …").
fn head_noun(words: &[&str]) -> String {
    const MODIFIERS: [&str; 16] = [
        "familiar",
        "close",
        "with",
        "of",
        "in",
        "at",
        "who",
        "which",
        "that",
        "from",
        "on",
        "to",
        "briefed",
        "knowledgeable",
        "speaking",
        "involved",
    ];
    if let Some(k) = words
        .windows(2)
        .position(|w| w[0] == "of" && matches!(w[1], "the" | "those"))
    {
        return words.get(k + 2).copied().unwrap_or("").to_owned();
    }
    let end = words.iter().position(|w| MODIFIERS.contains(w)).unwrap_or(words.len());
    words[..end].last().copied().unwrap_or("").to_owned()
}

fn with_outlet(text: &str, outlet: Option<&str>) -> String {
    match outlet {
        Some(o) => format!("{} ({o})", text.trim_end_matches([',', ' '])),
        None => text.trim_end_matches([',', ' ']).to_owned(),
    }
}

fn singular(word: &str) -> String {
    match word {
        "people" => "person".to_owned(),
        w => w.strip_suffix('s').unwrap_or(w).to_owned(),
    }
}

/// The organisation a definite description names, when exactly one known name holds its words.
fn describe(words: &[&str], orgs: &BTreeMap<String, String>) -> Option<String> {
    let content: Vec<&str> = words.iter().filter(|w| !DETERMINERS.contains(*w)).copied().collect();
    if content.is_empty() || content.len() > 3 {
        return None;
    }
    let matching: BTreeSet<&String> = orgs
        .iter()
        .filter(|(slug, _)| {
            let parts: Vec<&str> = slug.split('-').collect();
            content.iter().all(|w| parts.contains(w))
        })
        .map(|(_, name)| name)
        .collect();
    // Shorter forms of one name ("Commission", "Lysmark Provincial Electoral Commission") are one.
    let longest = matching.iter().max_by_key(|name| name.len())?;
    let full = slug(longest);
    matching
        .iter()
        .all(|name| {
            let s = slug(name);
            full.starts_with(&format!("{s}-")) || full.ends_with(&format!("-{s}")) || full == s
        })
        .then(|| (*longest).clone())
}

/// The place a description opens with, as a possessor: "Kelvaria's" in "Kelvaria's medicines
/// regulator" (lowercase, without "'s").
fn place_possessor(text: &str) -> Option<String> {
    let first = text.split_whitespace().next()?;
    let place = first.strip_suffix("'s").or_else(|| first.strip_suffix("’s"))?;
    place.starts_with(char::is_uppercase).then(|| place.to_lowercase())
}

/// The organisation a description names by its kind ("the company", "the regulator",
/// "Kelvaria's medicines regulator"): its other words (a place possessor by the stem of a word of
/// the name: "Kelvaria" in "Kelvarian") must all be in the name, and exactly one organisation may
/// fit: among those the same article names (`here`) when nothing else is said, else in the store.
fn describe_kind(text: &str, here: Vec<&str>, orgs: &BTreeMap<String, String>) -> Option<String> {
    let kinds = &Lexicon::get().sources.organization_kinds;
    let lower = text.to_lowercase().replace('’', "'");
    let place = place_possessor(text);
    let words: Vec<&str> = lower
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty() && !DETERMINERS.contains(w))
        .skip(usize::from(place.is_some()))
        .collect();
    let (kind, rest): (Vec<&str>, Vec<&str>) = words.iter().partition(|w| kinds.contains_key(**w));
    let ([kind], true) = (kind.as_slice(), rest.len() <= 2) else {
        return None;
    };
    let wanted = &kinds[*kind];
    let of_kind = |parts: &[String]| {
        if wanted.iter().any(|w| w == "-") {
            // A company: its name holds none of the words that make another kind or a public body.
            let public = &Lexicon::get().sources.public_bodies;
            !kinds.values().flatten().any(|w| parts.contains(w)) && !parts.iter().any(|p| public.contains(p))
        } else {
            wanted.iter().any(|w| parts.contains(w))
        }
    };
    let fits = |name: &str| {
        let parts: Vec<String> = slug(name).split('-').map(str::to_owned).collect();
        let stem = |p: &String| place.as_deref().is_some_and(|pl| pl.len() >= 4 && p.starts_with(pl));
        of_kind(&parts)
            && rest.iter().all(|w| parts.iter().any(|p| p == w))
            && (place.is_none() || parts.iter().any(stem))
    };
    let matching: BTreeSet<&str> = if rest.is_empty() && place.is_none() {
        here.into_iter().filter(|name| fits(name)).collect()
    } else {
        orgs.values().map(String::as_str).filter(|name| fits(name)).collect()
    };
    match matching.into_iter().collect::<Vec<_>>()[..] {
        [only] => Some(only.to_owned()),
        _ => None,
    }
}

/// Organisation names carry words no person's name does.
fn looks_like_person(name: &str, text: &str) -> bool {
    /// The organisation words long enough to end another word ("chemicals" in "Agrochemicals").
    static LONG: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
        let words = &Lexicon::get().sources.organization_words;
        words.iter().map(String::as_str).filter(|o| o.len() >= 6).collect()
    });
    let organization_words = &Lexicon::get().sources.organization_words;
    let lower = name.to_lowercase();
    // A word that is an organisation word, or ends in a long one ("Agrochemicals", "Biopharmaceuticals").
    let org_word = |w: &str| organization_words.contains(w) || LONG.iter().any(|o| w.len() > o.len() && w.ends_with(o));
    let org = lower
        .split(' ')
        .map(|w| w.trim_end_matches(['\'', '’']).trim_end_matches("'s"))
        .any(org_word)
        || text.to_lowercase().contains("firm ")
        || described_as_organisation(text);
    !org && name.split_whitespace().count() <= 4
}

/// Whether a mention's apposition calls it an organisation: "Travellers First, a passenger group",
/// "Lowmoor Advisory, a consultancy firm" (the apposition's head, before any preposition, is an
/// organisation word; "Dr Corinne Abara, the agency's chief executive", "Wenna Pryce, a banking
/// analyst at Tollgate Capital" and "Dariusz Vell, a miner on the afternoon shift" are people).
fn described_as_organisation(text: &str) -> bool {
    let sources = &Lexicon::get().sources;
    let Some((_, rest)) = text.split_once(", ") else {
        return false;
    };
    let lower = rest.to_lowercase();
    let words: Vec<&str> = lower
        .split(',')
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .take_while(|w| {
            !matches!(
                *w,
                "at" | "of" | "for" | "in" | "with" | "from" | "who" | "which" | "that"
            )
        })
        .collect();
    let [first, .., head] = words.as_slice() else {
        return false;
    };
    // Organisation words only: kinds such as "miner" or "operator" name people too.
    matches!(*first, "a" | "an" | "the") && sources.organization_words.contains(*head)
}

fn surname(name: &str) -> String {
    slug(name.split_whitespace().last().unwrap_or(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m<'a>(article: usize, text: &'a str, name: Option<&'a str>, anonymous: bool) -> SourceMention<'a> {
        SourceMention {
            article,
            outlet: Some("Wire"),
            text,
            name,
            agent: None,
            anonymous,
            count: 1,
        }
    }

    #[test]
    fn people_organisations_and_spokespeople() {
        let mentions = [
            m(
                0,
                "Piet Varenholt, director-general of the Castellan Port Authority",
                Some("Piet Varenholt"),
                false,
            ),
            m(0, "Varenholt", Some("Varenholt"), false),
            m(
                1,
                "The Castellan Port Authority",
                Some("Castellan Port Authority"),
                false,
            ),
            m(1, "the authority", None, false),
            m(2, "Transport Minister Ilse Okafor", Some("Ilse Okafor"), false),
            m(2, "Okafor", Some("Okafor"), false),
            m(
                3,
                "Noor Halloran, Auremont’s head of threat research",
                Some("Noor Halloran"),
                false,
            ),
            m(
                3,
                "security firm Auremont Cyber Labs",
                Some("Auremont Cyber Labs"),
                false,
            ),
            m(4, "The National Bank of Estvar on Tuesday", Some("National"), false),
            m(4, "a person close to the Monetary Policy Board", None, true),
        ];
        let e = resolve(&mentions);
        let keys: Vec<&str> = e.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys[0], "org:castellan-port-authority");
        assert_eq!(keys[1], keys[0]);
        assert_eq!(keys[2], keys[0]);
        assert_eq!(keys[3], keys[0]);
        assert_eq!(keys[4], "person:okafor");
        assert_eq!(keys[5], keys[4]);
        assert_eq!(keys[6], "org:auremont-cyber-labs");
        assert_eq!(keys[7], keys[6]);
        assert_eq!(e[8].name, "National Bank of Estvar");
        assert_eq!(
            e[9].kind,
            EntityKind::Anonymous,
            "an anonymous source near a name stays anonymous"
        );
    }

    #[test]
    fn company_names_and_possessed_titles() {
        let mentions = [
            m(0, "Ostrand Pharmaceuticals", Some("Ostrand Pharmaceuticals"), false),
            m(1, "Ostrand", Some("Ostrand"), false),
            m(
                2,
                "Dr Corinne Abara, chief executive of the Kelvarian Medicines Agency",
                Some("Dr Corinne Abara"),
                false,
            ),
            // The possessor is the agency, not the name before it.
            m(
                3,
                "Dr Corinne Abara, the agency's chief executive",
                Some("Dr Corinne Abara"),
                false,
            ),
            m(
                4,
                "Gwen Ashdown, general secretary of the Tarn Hills Mineworkers' Union",
                Some("Gwen Ashdown"),
                false,
            ),
            // The title is the whole word "head", not the one inside "Overhead".
            m(5, "Pia Sand, the Overhead Lines Union's head", Some("Pia Sand"), false),
        ];
        let e = resolve(&mentions);
        assert_eq!(e[5].key, "org:overhead-lines-union");
        assert_eq!(e[0].key, "org:ostrand-pharmaceuticals");
        assert_eq!(e[1].key, e[0].key);
        assert_eq!(e[2].key, "org:kelvarian-medicines-agency");
        assert_eq!(e[3].key, e[2].key);
        assert_eq!(e[4].key, "org:tarn-hills-mineworkers-union");
        assert_eq!(e[4].name, "Tarn Hills Mineworkers' Union");
    }

    #[test]
    fn descriptions_by_kind() {
        let mentions = [
            m(
                0,
                "Torvane chief executive Conrad Elsworth",
                Some("Conrad Elsworth"),
                false,
            ),
            m(1, "Torvane", Some("Torvane"), false),
            m(
                1,
                "Gwen Ashdown, general secretary of the Tarn Hills Mineworkers' Union",
                Some("Gwen Ashdown"),
                false,
            ),
            // The one company its article names, not the union.
            m(1, "the company", None, false),
            m(
                2,
                "the Kelvarian Medicines Agency",
                Some("Kelvarian Medicines Agency"),
                false,
            ),
            m(3, "Kelvaria's medicines regulator", None, false),
            // Two companies in the article: no telling which.
            m(4, "Ostrand Pharmaceuticals", Some("Ostrand Pharmaceuticals"), false),
            m(4, "Varnell Chemicals", Some("Varnell Chemicals"), false),
            m(4, "the company", None, false),
        ];
        let e = resolve(&mentions);
        assert_eq!(e[0].key, "org:torvane");
        // A shorter name that ends one known name is it; a place before a lowercase kind word is
        // that organisation, not the longer name the place begins.
        let more = [
            m(
                0,
                "the Lysmark Provincial Electoral Commission",
                Some("Lysmark Provincial Electoral Commission"),
                false,
            ),
            m(1, "Commission chair Dorota Wilczek", Some("Dorota Wilczek"), false),
            m(
                2,
                "A spokeswoman for Lysmark police, Vera Kosut",
                Some("Vera Kosut"),
                false,
            ),
        ];
        let e2 = resolve(&more);
        assert_eq!(e2[1].key, "org:lysmark-provincial-electoral-commission");
        assert_eq!(e2[2].key, "org:lysmark-police");
        assert_eq!(e[1].key, "org:torvane");
        assert_eq!(e[3].key, "org:torvane");
        assert_eq!(e[5].key, "org:kelvarian-medicines-agency");
        assert_eq!(e[8].kind, EntityKind::Anonymous);
    }

    #[test]
    fn titles_that_name_their_body_elsewhere() {
        let mentions = [
            // A company's title with no organisation: the company named last before it.
            m(0, "Vossberg Bank", Some("Vossberg Bank"), false),
            m(
                0,
                "The Tavronan Competition Authority",
                Some("Tavronan Competition Authority"),
                false,
            ),
            m(0, "Pennick Provident Bank", Some("Pennick Provident Bank"), false),
            m(0, "Vossberg", Some("Vossberg"), false),
            m(0, "Chief executive Erland Thursby", Some("Erland Thursby"), false),
            // A description after the person's name, up to its possessive.
            m(
                1,
                "the Ambrian Cooperation Council",
                Some("Ambrian Cooperation Council"),
                false,
            ),
            m(
                1,
                "Sefton Aduya, the council's commissioner for humanitarian affairs",
                Some("Sefton Aduya"),
                false,
            ),
            m(
                2,
                "the council's humanitarian commissioner, Wim Oduya,",
                Some("Wim Oduya"),
                false,
            ),
            // A name between the title and "of"; an organisation after a comma, as a label has it.
            m(
                3,
                "Commander Idris Valcourt of the Kestrava Fire and Rescue Service",
                Some("Idris Valcourt"),
                false,
            ),
            m(4, "PAUL ORDE, chair, Northern Grid Authority", Some("PAUL ORDE"), false),
            // Not the person's own name after the comma.
            m(
                5,
                "The company's chief executive, Annelise Brukner",
                Some("Annelise Brukner"),
                false,
            ),
            // A minister whose ministry speaks too is the ministry; one whose ministry never does
            // stays a person.
            m(6, "Interior Minister Oriel Damsgaard", Some("Oriel Damsgaard"), false),
            m(7, "The interior ministry", None, false),
            m(8, "Finance Minister Lorenza Quaid", Some("Lorenza Quaid"), false),
            // A capitalised name with "of" is a name, not a description with a place.
            m(
                9,
                "Ysolde Markham, president of the Calvessan Institution of Structural Engineers",
                Some("Ysolde Markham"),
                false,
            ),
        ];
        let e = resolve(&mentions);
        // Any chief … officer; "its chair" after an organisation an apposition calls one; a
        // person an apposition calls a miner stays a person.
        let more = [
            m(0, "Aldercrest Insurance", Some("Aldercrest Insurance"), false),
            m(
                1,
                "Rafe Onslow, Aldercrest’s chief underwriting officer,",
                Some("Rafe Onslow"),
                false,
            ),
            m(
                2,
                "Travellers First, a passenger group,",
                Some("Travellers First"),
                false,
            ),
            m(2, "its chair, Odile Marchetti,", Some("Odile Marchetti"), false),
            m(
                3,
                "Dariusz Vell, a miner on the afternoon shift,",
                Some("Dariusz Vell"),
                false,
            ),
        ];
        let e2 = resolve(&more);
        assert_eq!(e2[1].key, "org:aldercrest-insurance");
        assert_eq!(e2[2].key, "org:travellers-first");
        assert_eq!(e2[3].key, e2[2].key);
        assert_eq!(e2[4].kind, EntityKind::Person);
        assert_eq!(e[4].key, "org:vossberg-bank", "the company named last before the title");
        assert_eq!(e[6].key, "org:ambrian-cooperation-council");
        assert_eq!(e[7].key, "org:ambrian-cooperation-council");
        assert_eq!(e[8].key, "org:kestrava-fire-and-rescue-service");
        assert_eq!(e[9].key, "org:northern-grid-authority");
        assert_eq!(e[10].kind, EntityKind::Person, "{:?}", e[10]);
        assert_eq!(e[11].key, "org:interior-ministry");
        assert_eq!(e[12].key, e[11].key);
        assert_eq!(e[13].key, "person:quaid");
        assert_eq!(e[14].name, "Calvessan Institution of Structural Engineers");
        // With two companies and none named before it, no telling which.
        let two = [
            m(0, "Chief executive Erland Thursby", Some("Erland Thursby"), false),
            m(0, "Vossberg Bank", Some("Vossberg Bank"), false),
            m(0, "Pennick Provident Bank", Some("Pennick Provident Bank"), false),
        ];
        assert_eq!(resolve(&two)[0].kind, EntityKind::Person);
    }

    #[test]
    fn spokespeople_by_possessor_kind_word_or_description() {
        let mentions = [
            m(
                0,
                "the Lysmark Provincial Electoral Commission",
                Some("Lysmark Provincial Electoral Commission"),
                false,
            ),
            // A lowercase kind word before the title.
            m(1, "commission spokesman Emil Farrow", Some("Emil Farrow"), false),
            m(2, "Quorin Avionics", Some("Quorin Avionics"), false),
            // A title this long, after a curly possessive.
            m(
                3,
                "Quorin’s chief technology officer, Mira Hastings,",
                Some("Mira Hastings"),
                false,
            ),
            // The campaign is not the candidate.
            m(4, "Renata Klemens", Some("Renata Klemens"), false),
            m(
                4,
                "Kasimir Dall, Klemens's campaign manager,",
                Some("Kasimir Dall"),
                false,
            ),
            m(
                5,
                "Lukas Ferenc, a spokesman for the Klemens campaign,",
                Some("Lukas Ferenc"),
                false,
            ),
            // An organisation only described: one wherever it is written so, and "The office"
            // after it in the same article.
            m(
                6,
                "A spokesman for the district prosecutor's office in Durnholm, Anders Vikholm,",
                Some("Anders Vikholm"),
                false,
            ),
            m(7, "the district prosecutor's office in Durnholm", None, false),
            m(7, "The office", None, false),
            m(8, "Vikholm", Some("Vikholm"), false),
            // A place before or after the organisation word: one name.
            m(9, "Lowmarch police", None, false),
            m(10, "Police in Lowmarch", None, false),
            m(10, "Police", None, false),
        ];
        let e = resolve(&mentions);
        assert_eq!(e[1].key, "org:lysmark-provincial-electoral-commission");
        assert_eq!(e[3].key, "org:quorin-avionics");
        assert_eq!(e[4].key, "person:klemens");
        assert_eq!(e[5].key, "org:klemens-campaign");
        assert_eq!(e[6].key, e[5].key);
        assert_eq!(e[7].key, "org:durnholm-district-prosecutor-s-office");
        assert_eq!(e[8].key, e[7].key);
        assert_eq!(e[9].key, e[7].key);
        assert_eq!(e[10].key, e[7].key);
        assert_eq!(e[7].kind, EntityKind::Organization);
        assert_eq!(e[11].key, "org:lowmarch-police");
        assert_eq!(e[12].key, e[11].key);
        assert_ne!(e[13].key, e[11].key, "the organisation word alone describes none");
    }

    #[test]
    fn a_public_body_is_no_company() {
        let mentions = [
            m(
                0,
                "the Norravan Environmental Protection Directorate",
                Some("Norravan Environmental Protection Directorate"),
                false,
            ),
            m(0, "the company", None, false),
            m(1, "Sedrin Agrochemicals", Some("Sedrin Agrochemicals"), false),
            m(
                1,
                "the Norravan Environmental Protection Directorate",
                Some("Norravan Environmental Protection Directorate"),
                false,
            ),
            m(1, "the company", None, false),
        ];
        let e = resolve(&mentions);
        assert_eq!(e[1].kind, EntityKind::Anonymous, "{:?}", e[1]);
        assert_eq!(e[4].key, "org:sedrin-agrochemicals");
    }

    #[test]
    fn anonymous_sources_stay_apart_unless_the_text_joins_them() {
        let mentions = [
            m(0, "three people familiar with the matter", None, true),
            m(0, "two of the people", None, false),
            m(1, "a person familiar with the investigation", None, true),
            m(1, "The same person", None, true),
            m(2, "a government official", None, true),
        ];
        let e = resolve(&mentions);
        assert_eq!(e[1].key, e[0].key);
        assert_eq!(e[3].key, e[2].key);
        assert_ne!(e[2].key, e[0].key);
        assert_ne!(e[4].key, e[2].key);
        assert_eq!(e[0].kind, EntityKind::Anonymous);
    }
}
