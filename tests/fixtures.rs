//! Data-driven extraction tests: every case of `tests/data/extract/*.txt` and every lexicon row's
//! example goes through one `check()`, which strips the tags, extracts with the rules, and compares
//! exactly. See `tests/data/extract/README.md` for the format.
//!
//! The fixtures pin the rules' conventions (a source without its apposition, a content without
//! its "that"); the default extractor adds the trained tagger, which follows PolNeAR's and is
//! measured by `claimtrace eval` instead.

use claimtrace::extract::{Attribution, Lexicon, SourceCount, extract_with};
use std::collections::BTreeMap;

/// One expected attribution, in character offsets of the untagged text.
#[derive(Debug, Default, Clone)]
pub(crate) struct Expected {
    pub(crate) source: Option<(usize, usize)>,
    pub(crate) source_attrs: BTreeMap<String, String>,
    pub(crate) cue: Option<(usize, usize)>,
    pub(crate) cue_attrs: BTreeMap<String, String>,
    pub(crate) content: Vec<(usize, usize)>,
    pub(crate) via: Option<(usize, usize)>,
}

/// A parsed case: the plain text and its expected attributions by number, or `None` for `!none`.
pub(crate) struct Case {
    pub(crate) text: String,
    pub(crate) expected: Option<BTreeMap<usize, Expected>>,
}

/// Stands for a paragraph break (a blank line) in the text of a case.
const PARAGRAPH: char = '¶';

const TAGS: [&str; 4] = ["src", "cue", "content", "via"];

fn parse_attrs(raw: &str) -> BTreeMap<String, String> {
    raw.split_whitespace()
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) => (k.to_owned(), v.trim_matches('"').to_owned()),
            None => (kv.to_owned(), String::new()),
        })
        .collect()
}

pub(crate) fn parse_case(line: &str) -> Result<Case, String> {
    if let Some(rest) = line.strip_prefix("!none ") {
        if rest.contains("<cue") || rest.contains("<src") {
            return Err("a !none case has tags".to_owned());
        }
        return Ok(Case {
            text: rest.replace(PARAGRAPH, "\n\n"),
            expected: None,
        });
    }
    let mut text = String::new();
    let mut n_chars = 0usize;
    let mut open: Vec<(String, usize, usize, BTreeMap<String, String>)> = Vec::new();
    let mut expected: BTreeMap<usize, Expected> = BTreeMap::new();
    let mut rest = line;
    while !rest.is_empty() {
        if rest.starts_with('<') {
            let close = rest.find('>').ok_or("unclosed tag")?;
            let inner = &rest[1..close];
            let (closing, body) = match inner.strip_prefix('/') {
                Some(b) => (true, b),
                None => (false, inner),
            };
            let (head, attrs) = body.split_once(' ').unwrap_or((body, ""));
            let (name, number) = match head.split_once('@') {
                Some((n, k)) => (n, k.parse::<usize>().map_err(|_| format!("bad @ in {head}"))?),
                None => (head, 0),
            };
            if TAGS.contains(&name) {
                if closing {
                    let pos = open
                        .iter()
                        .rposition(|(n, ..)| n == name)
                        .ok_or(format!("stray </{name}>"))?;
                    let (name, num, start, attrs) = open.remove(pos);
                    let num = if number != 0 {
                        number
                    } else if num != 0 {
                        num
                    } else {
                        1
                    };
                    let e = expected.entry(num).or_default();
                    let span = (start, n_chars);
                    match name.as_str() {
                        "src" => {
                            e.source = Some(span);
                            e.source_attrs = attrs;
                        }
                        "cue" => {
                            e.cue = Some(span);
                            e.cue_attrs = attrs;
                        }
                        "content" => e.content.push(span),
                        _ => e.via = Some(span),
                    }
                } else {
                    open.push((name.to_owned(), number, n_chars, parse_attrs(attrs)));
                }
                rest = &rest[close + 1..];
                continue;
            }
        }
        let c = rest.chars().next().ok_or("empty")?;
        if c == PARAGRAPH {
            text.push_str("\n\n");
            n_chars += 2;
        } else {
            text.push(c);
            n_chars += 1;
        }
        rest = &rest[c.len_utf8()..];
    }
    if !open.is_empty() {
        return Err("unclosed tags".to_owned());
    }
    if expected.is_empty() {
        return Err("no tags and not marked !none".to_owned());
    }
    Ok(Case {
        text,
        expected: Some(expected),
    })
}

fn span_of(a: &claimtrace::text::Span) -> (usize, usize) {
    (a.start, a.end)
}

fn show(text: &str, span: Option<(usize, usize)>) -> String {
    match span {
        Some((s, e)) => format!("{:?}@{s}", text.chars().skip(s).take(e - s).collect::<String>()),
        None => "none".to_owned(),
    }
}

/// Checks one case; returns the problems found.
fn check_case(case: &Case) -> Vec<String> {
    let found = extract_with(&case.text, None).attributions;
    let text = &case.text;
    let Some(expected) = &case.expected else {
        return found
            .iter()
            .map(|a| {
                format!(
                    "expected no attribution, found cue {} content {}",
                    show(text, Some(span_of(&a.cue))),
                    a.content.text(text)
                )
            })
            .collect();
    };
    let mut problems = Vec::new();
    let mut matched: BTreeMap<usize, usize> = BTreeMap::new();
    for (num, e) in expected {
        let Some(cue) = e.cue else {
            problems.push(format!("@{num}: no <cue>"));
            continue;
        };
        let Some(idx) = found.iter().position(|a| span_of(&a.cue) == cue) else {
            problems.push(format!("@{num}: missed (cue {})", show(text, Some(cue))));
            continue;
        };
        matched.insert(*num, idx);
    }
    for (idx, a) in found.iter().enumerate() {
        if !matched.values().any(|&i| i == idx) {
            problems.push(format!(
                "spurious: cue {} content {}",
                show(text, Some(span_of(&a.cue))),
                a.content.text(text)
            ));
        }
    }
    for (num, &idx) in &matched {
        let e = &expected[num];
        let a: &Attribution = &found[idx];
        let content: Vec<(usize, usize)> = a.content.fragments().iter().map(span_of).collect();
        if content != e.content {
            let want: Vec<String> = e.content.iter().map(|s| show(text, Some(*s))).collect();
            let got: Vec<String> = content.iter().map(|s| show(text, Some(*s))).collect();
            problems.push(format!("@{num}: content {got:?}, expected {want:?}"));
        }
        let source = a.source.as_ref().map(|s| span_of(&s.span));
        let inherited = a.source.as_ref().is_some_and(|s| s.antecedent.is_some()) && e.source.is_none();
        if source != e.source && !inherited {
            problems.push(format!(
                "@{num}: source {}, expected {}",
                show(text, source),
                show(text, e.source)
            ));
        }
        let via = a.intermediary.as_ref().map(|v| span_of(&v.span));
        if via != e.via {
            problems.push(format!(
                "@{num}: via {}, expected {}",
                show(text, via),
                show(text, e.via)
            ));
        }
        if let Some(kind) = e.cue_attrs.get("kind")
            && a.kind.as_str() != kind
        {
            problems.push(format!("@{num}: kind {}, expected {kind}", a.kind.as_str()));
        }
        let features = a.source.as_ref().map(|s| &s.features);
        for (key, value) in &e.source_attrs {
            let ok = match key.as_str() {
                "n" => {
                    let count = features.and_then(|f| f.count);
                    match value.as_str() {
                        "?" => count == Some(SourceCount::Many),
                        n => count == n.parse().ok().map(SourceCount::Exactly),
                    }
                }
                "anon" => features.is_some_and(|f| f.anonymous),
                "named" => features.is_some_and(|f| f.is_named()),
                "name" => dashed(features.and_then(|f| f.name.as_ref())).as_deref() == Some(value),
                "aff" => {
                    let affiliation = dashed(features.and_then(|f| f.affiliation.as_ref()));
                    affiliation.as_deref() == Some(value) || (value == "none" && affiliation.is_none())
                }
                "ref" => {
                    let target = value.parse::<usize>().ok().and_then(|n| matched.get(&n)).copied();
                    let antecedent = a.source.as_ref().and_then(|s| s.antecedent);
                    target.is_some() && antecedent == target
                }
                other => {
                    problems.push(format!("@{num}: unknown attribute {other}"));
                    true
                }
            };
            if !ok {
                problems.push(format!(
                    "@{num}: source feature {key}={value} does not hold: {features:?}"
                ));
            }
        }
    }
    problems
}

/// A name or affiliation as the fixtures write it: spaces as dashes.
fn dashed(value: Option<&String>) -> Option<String> {
    value.map(|v| v.replace(' ', "-"))
}

/// Known failures: `file:line<TAB>reason`. A listed case that passes fails the run, so the list
/// only shrinks.
fn known_failures() -> BTreeMap<String, String> {
    let path = crate::util::root().join("tests/data/extract/known_failures.tsv");
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t').map(|(k, v)| (k.to_owned(), v.to_owned())))
        .collect()
}

fn run_cases(cases: Vec<(String, String)>) -> (usize, Vec<String>) {
    let known = known_failures();
    let mut failures = Vec::new();
    let mut n = 0;
    for (location, line) in cases {
        n += 1;
        let problems = match parse_case(&line) {
            Ok(case) => check_case(&case),
            Err(err) => vec![format!("bad case: {err}")],
        };
        match (problems.is_empty(), known.get(&location)) {
            (true, Some(_)) => failures.push(format!(
                "{location}: listed as a known failure but passes now; remove it"
            )),
            (false, None) => failures.push(format!("{location}: {}\n    {line}", problems.join("; "))),
            _ => {}
        }
    }
    (n, failures)
}

/// The fixture files, `tests/data/extract/*.txt`, sorted.
pub(crate) fn fixture_files() -> Vec<std::path::PathBuf> {
    crate::util::txt_files("tests/data/extract")
}

#[test]
fn extraction_fixtures() {
    let files = fixture_files();
    let mut cases = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        for (i, line) in std::fs::read_to_string(file).unwrap().lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            cases.push((format!("{name}:{}", i + 1), line.to_owned()));
        }
    }
    let (n, failures) = run_cases(cases);
    assert!(n >= 60, "only {n} fixture cases");
    assert!(
        failures.is_empty(),
        "{} of {n} fixture cases fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_lexicon_row_has_a_passing_example() {
    let lexicon = Lexicon::load().unwrap();
    let cases: Vec<(String, String)> = lexicon
        .examples
        .iter()
        .map(|e| {
            (
                format!("src/extract/lexicon/{}:{} ({})", e.table, e.line, e.id),
                e.text.to_owned(),
            )
        })
        .collect();
    let (n, failures) = run_cases(cases);
    assert!(n > 200);
    assert!(
        failures.is_empty(),
        "{} of {n} lexicon examples fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_harness_catches_a_wrong_expectation() {
    // The same sentence with the source boundary moved must fail, or the fixtures prove nothing.
    let good =
        parse_case("<src>The minister</src> <cue kind=indirect>said</cue> that <content>prices would fall</content>.")
            .unwrap();
    assert!(check_case(&good).is_empty(), "{:?}", check_case(&good));
    let bad =
        parse_case("The <src>minister</src> <cue kind=indirect>said</cue> that <content>prices would fall</content>.")
            .unwrap();
    assert!(!check_case(&bad).is_empty());
    let wrong_kind =
        parse_case("<src>The minister</src> <cue kind=direct>said</cue> that <content>prices would fall</content>.")
            .unwrap();
    assert!(!check_case(&wrong_kind).is_empty());
    assert!(!check_case(&parse_case("!none The minister said that prices would fall.").unwrap()).is_empty());
    assert!(parse_case("no tags here").is_err());
}
