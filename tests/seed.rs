//! The seed article must come out as exactly the ten attributions E1–E10 of the foundation issue,
//! with their sources, cues, kinds, anonymity, counts, intermediary, coreference and confidence
//! order. Run with the default extractor: the rules completed by the shipped tagger; the spans
//! and source features also with the accurate model, where its encoder is at hand.

use claimtrace::extract::{Attribution, SourceCount, extract};
use claimtrace::model::Kind;

struct Want {
    source: Option<&'static str>,
    cue: &'static str,
    content_starts: &'static str,
    content_ends: &'static str,
    kinds: &'static [Kind],
}

const WANT: [Want; 10] = [
    Want {
        source: Some("The US press"),
        cue: "claimed",
        content_starts: "Iran's insistence on Oman",
        content_ends: "were rejected by the US",
        kinds: &[Kind::Indirect],
    },
    Want {
        source: None,
        cue: "It was claimed that",
        content_starts: "the U.S. administration has communicated",
        content_ends: "scheduled for February 6",
        kinds: &[Kind::Passive],
    },
    Want {
        source: Some("two U.S. officials"),
        cue: "According to",
        content_starts: "the Washington administration rejected",
        content_ends: "only in a bilateral format",
        kinds: &[Kind::AccordingTo],
    },
    Want {
        source: Some("A U.S. official"),
        cue: "stated",
        content_starts: "\"We told them (Iran) 'either",
        content_ends: "'then not at all.'\"",
        kinds: &[Kind::Direct],
    },
    Want {
        source: Some("The official"),
        cue: "indicated",
        content_starts: "the U.S. is ready to negotiate",
        content_ends: "the previously agreed format",
        kinds: &[Kind::Indirect],
    },
    Want {
        source: Some("The official"),
        cue: "saying",
        content_starts: "\"We want to reach a real agreement",
        content_ends: "turn to other options.\"",
        kinds: &[Kind::Direct],
    },
    Want {
        source: Some("Reports in the U.S. media"),
        cue: "claimed",
        content_starts: "nuclear talks between the U.S. and Iran",
        content_ends: "in Oman on February 6",
        kinds: &[Kind::Indirect],
    },
    Want {
        source: Some("U.S. Secretary of State Marco Rubio"),
        cue: "stated",
        content_starts: "\"work is still ongoing\"",
        content_ends: "nuclear and ballistic missile programs",
        kinds: &[Kind::Mixed],
    },
    Want {
        source: Some("Iranian Foreign Minister Abbas Araghchi"),
        cue: "stated",
        content_starts: "Iran is ready for diplomacy",
        content_ends: "Iran is ready for diplomacy",
        kinds: &[Kind::Indirect],
    },
    Want {
        source: Some("Iranian Foreign Minister Abbas Araghchi"),
        cue: "saying",
        content_starts: "\"However, diplomacy is incompatible",
        content_ends: "We hope to see the results soon.\"",
        kinds: &[Kind::Direct],
    },
];

fn attributions() -> (String, Vec<Attribution>) {
    let (_, text) = crate::util::seed();
    let found = extract(&text).attributions;
    (text, found)
}

#[test]
fn seed_has_exactly_e1_to_e10() {
    let (text, found) = attributions();
    check_e1_to_e10(&text, &found, true);
}

#[test]
fn the_accurate_model_reads_the_seed_as_the_fast_one() {
    let Some(encoder) = crate::encoder::real_encoder() else {
        return;
    };
    let mut accurate = claimtrace::extract::Tagger::accurate().unwrap().clone();
    accurate.attach(std::sync::Arc::new(encoder)).unwrap();
    let (_, text) = crate::util::seed();
    let found = claimtrace::extract::extract_with(&text, Some(&accurate)).attributions;
    // It reads one report more, wholly inside E1's content ("… were rejected by the US"): a
    // nested reading, which the seed's annotation does not count. Nothing else differs.
    let inside = |a: &Attribution, b: &Attribution| {
        let (outer, cue) = (b.content.extent(), &a.cue);
        outer.start <= cue.start
            && cue.end <= outer.end
            && a.source
                .as_ref()
                .is_none_or(|s| outer.start <= s.span.start && s.span.end <= outer.end)
    };
    let (nested, top): (Vec<Attribution>, Vec<Attribution>) = found
        .iter()
        .cloned()
        .partition(|a| found.iter().any(|b| !std::ptr::eq(a, b) && inside(a, b)));
    assert!(nested.len() <= 1, "{nested:#?}");
    check_e1_to_e10(&text, &top, false);
    check_source_features(&text, &top);
}

/// The ten attributions, in order; with `ids`, numbered E1–E10.
fn check_e1_to_e10(text: &str, found: &[Attribution], ids: bool) {
    let summary: Vec<String> = found
        .iter()
        .map(|a| format!("{} {:?} {:?}", a.id, a.cue.text(text), a.content.text(text)))
        .collect();
    assert_eq!(found.len(), 10, "{summary:#?}");
    for (i, (a, want)) in found.iter().zip(&WANT).enumerate() {
        let e = format!("E{}", i + 1);
        assert!(!ids || a.id == e, "{e}: {}", a.id);
        // Spans may differ in convention ("also stated", a source with its participial modifier,
        // a content with its "that"), never in what they point at.
        let cue = a.cue.text(text);
        assert!(
            cue.contains(want.cue) && cue.split(' ').count() <= want.cue.split(' ').count() + 1,
            "{e} cue {cue:?}"
        );
        let source = a.source.as_ref().map(|s| s.span.text(text));
        match (source, want.source) {
            (Some(found), Some(want)) => assert!(found.starts_with(want), "{e} source {found:?}"),
            (found, want) => assert_eq!(found, want, "{e} source"),
        }
        let content = a.content.extent().text(text);
        let content = content.strip_prefix("that ").unwrap_or(content);
        assert!(content.starts_with(want.content_starts), "{e} content {content:?}");
        assert!(content.ends_with(want.content_ends), "{e} content {content:?}");
        assert!(want.kinds.contains(&a.kind), "{e} kind {:?}", a.kind);
    }
}

#[test]
fn seed_source_features() {
    let (text, found) = attributions();
    check_source_features(&text, &found);
}

fn check_source_features(text: &str, found: &[Attribution]) {
    let f = |i: usize| &found[i].source.as_ref().unwrap().features;
    // E1, E7: collective media, neither named nor anonymous.
    for i in [0, 6] {
        assert_eq!(f(i).source_type, Some(claimtrace::extract::SourceType::Collective));
        assert!(!f(i).anonymous && !f(i).is_named());
    }
    // E3: two anonymous U.S. officials via the Axios news platform.
    assert!(f(2).anonymous);
    assert_eq!(f(2).count, Some(SourceCount::Exactly(2)));
    assert_eq!(f(2).affiliation.as_deref(), Some("U.S."));
    let via = found[2].intermediary.as_ref().unwrap();
    assert_eq!(via.span.text(text), "the Axios news platform");
    assert_eq!(via.name, "Axios");
    // E4: one anonymous U.S. official.
    assert!(f(3).anonymous);
    assert_eq!(f(3).count, Some(SourceCount::Exactly(1)));
    assert_eq!(f(3).affiliation.as_deref(), Some("U.S."));
    // E8, E9: named officials with their affiliations; "speaking at the tomb" is no intermediary.
    assert_eq!(f(7).name.as_deref(), Some("Marco Rubio"));
    assert_eq!(f(7).affiliation.as_deref(), Some("U.S."));
    assert_eq!(f(8).name.as_deref(), Some("Abbas Araghchi"));
    assert_eq!(f(8).affiliation.as_deref(), Some("Iran"));
    assert!(found[8].intermediary.is_none() && found[9].intermediary.is_none());
    assert!(
        found
            .iter()
            .enumerate()
            .all(|(i, a)| i == 2 || a.intermediary.is_none())
    );
}

#[test]
fn seed_coreference() {
    let (_, found) = attributions();
    let antecedent = |i: usize| found[i].source.as_ref().and_then(|s| s.antecedent);
    // E5 "The official" is E4's "A U.S. official"; E6 continues E5, so it is E4's source too.
    assert_eq!(antecedent(4), Some(3));
    assert_eq!(antecedent(5), Some(3));
    assert!(found[4].source.as_ref().unwrap().features.anonymous);
    // E10 continues E9.
    assert_eq!(antecedent(9), Some(8));
    for i in [0, 1, 2, 3, 6, 7, 8] {
        assert_eq!(antecedent(i), None, "E{}", i + 1);
    }
}

#[test]
fn seed_confidence_order() {
    let (_, found) = attributions();
    let c = |i: usize| found[i - 1].confidence.value;
    let top = [8, 9, 10].map(c);
    let middle = [3, 4, 5, 6].map(c);
    let media = [1, 7].map(c);
    let min = |xs: &[f64]| xs.iter().copied().fold(f64::INFINITY, f64::min);
    let max = |xs: &[f64]| xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    assert!(min(&top) > max(&middle), "{top:?} vs {middle:?}");
    assert!(min(&middle) > max(&media), "{middle:?} vs {media:?}");
    assert!(min(&media) > c(2), "{media:?} vs {}", c(2));
    // The values of DATA-MODEL.md §5.
    assert_eq!([c(1), c(2), c(3), c(4)], [0.182, 0.076, 0.5, 0.622]);
    let reasons: Vec<&str> = found[2].confidence.reasons.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(reasons, ["role", "anonymous", "several", "via"]);
}

#[test]
fn headings_dateline_and_narration_are_not_claims() {
    let (text, found) = attributions();
    let analysis = claimtrace::text::analyze(&text);
    assert_eq!(analysis.published.as_ref().unwrap().1.to_xsd(), "2026-02-04T21:51:00");
    let headings: Vec<&str> = analysis
        .blocks
        .iter()
        .filter(|b| b.kind == claimtrace::text::BlockKind::Subheading)
        .map(|b| b.span.text(&text))
        .collect();
    assert_eq!(
        headings,
        [
            "THE U.S. DID NOT ACCEPT IRAN'S TWO CONDITIONS",
            "- First meeting after June 2025"
        ]
    );
    for a in &found {
        let extent = a.content.extent().text(&text);
        assert!(
            !extent.contains("Khomeini") && !extent.contains("This will be the first meeting"),
            "{extent}"
        );
    }
}
