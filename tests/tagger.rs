//! The trained tagger: deterministic training, a model file that round-trips, and a model that
//! learns what it is shown. Trained here on the extraction fixtures (our own sentences).

use claimtrace::eval::Split;
use claimtrace::extract::tagger::train::{GoldAttribution, TrainOptions, TrainingDoc, reading_fingerprint, train};
use claimtrace::extract::{Tagger, extract_tagger_only};

/// The extraction fixtures as training documents: one document per file, one paragraph per case.
fn fixture_docs() -> Vec<TrainingDoc> {
    let mut docs = Vec::new();
    for file in crate::fixtures::fixture_files() {
        let mut text = String::new();
        let mut attributions = Vec::new();
        for line in std::fs::read_to_string(&file).unwrap().lines() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let case = crate::fixtures::parse_case(line).unwrap();
            let offset = text.chars().count();
            let shift =
                |spans: &[(usize, usize)]| spans.iter().map(|(s, e)| (s + offset, e + offset)).collect::<Vec<_>>();
            for e in case.expected.iter().flat_map(|m| m.values()) {
                attributions.push(GoldAttribution {
                    source: shift(&e.source.into_iter().collect::<Vec<_>>()),
                    cue: shift(&e.cue.into_iter().collect::<Vec<_>>()),
                    content: shift(&e.content),
                });
            }
            text.push_str(&case.text);
            text.push_str("\n\n");
        }
        docs.push(TrainingDoc {
            id: file.file_name().unwrap().to_string_lossy().into_owned(),
            text,
            attributions,
            silver: None,
        });
    }
    docs
}

fn options(seed: u64) -> TrainOptions {
    TrainOptions {
        epochs: 6,
        seed,
        cue_bits: 16,
        role_bits: 16,
        data: "fixtures".to_owned(),
        ..TrainOptions::default()
    }
}

#[test]
fn training_is_deterministic_and_the_file_round_trips() {
    let docs = fixture_docs();
    let a = train(&docs, &options(7)).to_bytes();
    let b = train(&docs, &options(7)).to_bytes();
    assert_eq!(a, b, "same data, options and seed must give the same bytes");
    let c = train(&docs, &options(8)).to_bytes();
    assert_ne!(a, c, "the seed shuffles the data");
    let loaded = Tagger::from_bytes(&a).unwrap();
    assert_eq!(loaded.to_bytes(), a);
    assert_eq!(loaded.info.documents, docs.len());
    // The model records what training read of its documents.
    assert_eq!(loaded.info.reading, reading_fingerprint(&docs));
    assert_ne!(loaded.info.reading, reading_fingerprint(&docs[1..]));
    assert!(Tagger::from_bytes(&a[..a.len() / 2]).is_err());
    assert!(Tagger::from_bytes(b"not a model").is_err());
}

#[test]
fn the_tagger_learns_its_training_data() {
    let docs = fixture_docs();
    let tagger = train(&docs, &options(1));
    let (mut gold, mut found) = (0, 0);
    for doc in &docs {
        let predicted = extract_tagger_only(&doc.text, &tagger).attributions;
        for g in &doc.attributions {
            gold += 1;
            let hit = predicted.iter().any(|p| {
                let cue_ok = g.cue.iter().any(|&(s, e)| p.cue.start < e && s < p.cue.end);
                let content = p.content.extent();
                let content_ok = g.content.iter().any(|&(s, e)| content.start < e && s < content.end);
                cue_ok && content_ok
            });
            found += usize::from(hit);
        }
    }
    // Headline-like fixture lines are not body text, so a few cues are out of reach.
    assert!(found * 10 >= gold * 8, "found {found} of {gold} training attributions");
}

#[test]
fn the_shipped_model_loads() {
    let tagger = Tagger::shipped().expect("models/fast.ctm loads");
    assert!(tagger.info.documents > 500, "{:?}", tagger.info);
    assert!(tagger.info.data.contains("split train"), "{:?}", tagger.info);
}

/// The tagger reads the rules' reading of a text (and the lexicon's classes, and the tokens): a
/// change to any of them changes what `make model` and `make accurate-model` train on, and the
/// shipped models must be retrained with it, or the targets no longer reproduce them (README, the
/// models' provenance).
/// Needs the corpus beside the repository.
#[test]
fn the_shipped_model_was_trained_on_what_the_code_reads_today() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/polnear/train.jsonl");
    let Ok(jsonl) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} not found", path.display());
        return;
    };
    let docs: Vec<TrainingDoc> = jsonl
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .filter_map(|value| TrainingDoc::from_json(&value))
        .filter(|doc| Split::Train.contains(&doc.id))
        .collect();
    let today = reading_fingerprint(&docs);
    for (shipped, file, make) in [
        (Tagger::shipped(), "models/fast.ctm", "make model"),
        (Tagger::accurate(), "models/accurate.ctm", "make accurate-model"),
    ] {
        let shipped = shipped.unwrap_or_else(|| panic!("{file} loads"));
        assert_eq!(shipped.info.documents, docs.len(), "{file}");
        assert_eq!(
            shipped.info.reading, today,
            "what training reads of the train split changed since {file} was trained: run `{make}`"
        );
    }
}

/// What the merge takes from the shipped tagger where the rules and the tagger read the same
/// text (our own sentences): the tagger's cue and content bounds for a rule attribution kept for
/// its anonymous source, a participle after a comma given the subject of the clause before it,
/// and an "according to" frame that keeps what it holds.
#[test]
fn the_merge_takes_the_taggers_bounds_and_gives_participles_their_subject() {
    let text = "A senior official also said on Monday that the talks had failed.\n\n\
                The senator attacked the bill on Monday, accusing its authors of hiding the true costs.\n\n\
                Activists blocked the road, demanding that the mayor resign.\n\n\
                According to two officials, the administration rejected the request.\n";
    let found = claimtrace::extract::extract(text).attributions;
    let read = |a: &claimtrace::extract::Attribution| {
        (
            a.source.as_ref().map(|s| s.span.text(text).to_string()),
            a.cue.text(text).to_string(),
            a.content.text(text),
        )
    };
    let by_cue = |cue: &str| {
        found
            .iter()
            .find(|a| a.cue.text(text) == cue)
            .unwrap_or_else(|| panic!("no cue {cue:?} in {:#?}", found.iter().map(read).collect::<Vec<_>>()))
    };
    // The rules' reading stays (anonymous source, rule id); cue and content take the tagger's
    // bounds, as PolNeAR marks them.
    let official = by_cue("also said");
    assert!(
        official.source.as_ref().is_some_and(|s| s.features.anonymous),
        "{:?}",
        read(official)
    );
    assert_ne!(official.rule.to_string(), "tagger");
    assert_eq!(official.content.text(text), "that the talks had failed");
    for (cue, source) in [("accusing", "The senator"), ("demanding", "Activists")] {
        let a = by_cue(cue);
        assert_eq!(
            a.source.as_ref().map(|s| s.span.text(text)),
            Some(source),
            "{:?}",
            read(a)
        );
    }
    // A paragraph label that introduces no speaker is no source, whoever reads it; a content that
    // only says when is no report (the tagger reads "made about" with "an hour before the vote").
    for text in [
        "VIDEO: The launch from the pad.\n",
        "The remark, made about an hour before the vote, was brief.\n",
    ] {
        let found = claimtrace::extract::extract(text).attributions;
        assert!(found.is_empty(), "{text:?}: {found:?}");
    }
    // "rejected" is what the two officials said, not a report of the administration's.
    let frame = by_cue("According to");
    assert!(frame.content.text(text).contains("rejected the request"));
    assert!(found.iter().all(|a| a.cue.text(text) != "rejected"));
}

/// A relative clause that says how a source spoke is neither a report (the shipped tagger reads
/// "asked" with "not to be named") nor part of what the source said: the rules' reading of
/// "said" keeps its content after the cue, whatever bounds the tagger gives it.
#[test]
fn how_a_source_spoke_is_neither_a_report_nor_its_content() {
    for (text, content) in [
        (
            "Two diplomats briefed on the talks, who asked not to be named, said the main sticking point was the sequence of releases.\n",
            "the main sticking point was the sequence of releases",
        ),
        (
            "A senior official, who spoke on the condition of anonymity, said that the plan had been shelved.\n",
            "that the plan had been shelved",
        ),
    ] {
        let found = claimtrace::extract::extract(text).attributions;
        let [said] = &found[..] else {
            panic!("{text:?}: one report expected, found {found:#?}");
        };
        assert_eq!(said.cue.text(text), "said");
        assert_eq!(said.content.text(text), content);
        assert!(said.source.as_ref().is_some_and(|s| s.features.anonymous), "{said:?}");
    }
}

/// A source is a noun phrase, not a report: in "X blamed Y, who he said …" the rules' scan back
/// from "said" runs over "blamed" to the start of the sentence, and the tagger's reading of the
/// same cue names Schumer. The tagger's part stays, and no source holds another report's cue.
#[test]
fn a_source_never_holds_another_report() {
    let text = "Senate Majority Leader Chuck Schumer blamed former President Donald Trump, who he said had \
                pressured Republicans to reject the agreement.\n";
    let found = claimtrace::extract::extract(text).attributions;
    let sources: Vec<&str> = found
        .iter()
        .filter_map(|a| a.source.as_ref().map(|s| s.span.text(text)))
        .collect();
    assert!(!sources.is_empty(), "{found:#?}");
    assert!(sources.iter().all(|s| !s.contains("blamed")), "{sources:?}");
    let said = found.iter().find(|a| a.cue.text(text) == "said");
    if let Some(source) = said.and_then(|a| a.source.as_ref()) {
        assert_eq!(source.features.name.as_deref(), Some("Chuck Schumer"));
    }
}

/// The rules resolve "she" among their own attributions; the tagger may find a nearer antecedent
/// ("… declined to discuss …"), which the merged extraction must take: "she" is Ingrid Sollander,
/// not the anonymous source before her.
#[test]
fn a_pronoun_refers_to_the_nearest_source_of_the_merged_reading() {
    let text = "Traces of a solvent were found in samples taken on Monday, a person with knowledge of the \
                results told the Courier.\n\nIngrid Sollander, managing director of Vessby Water, declined to \
                discuss individual test results. \"The water coming out of the taps is perfectly safe,\" she \
                said.\n";
    let found = claimtrace::extract::extract(text).attributions;
    let declined = found.iter().find(|a| a.cue.text(text).starts_with("declined"));
    assert!(
        declined.is_some(),
        "the tagger's reading of \"declined to discuss\": {found:#?}"
    );
    let she = found
        .iter()
        .find(|a| a.source.as_ref().is_some_and(|s| s.span.text(text) == "she"))
        .and_then(|a| a.source.as_ref());
    let she = she.unwrap_or_else(|| panic!("no \"she\" source in {found:#?}"));
    assert_eq!(she.features.name.as_deref(), Some("Ingrid Sollander"), "{she:?}");
    assert!(!she.features.anonymous);
}

/// "…, according to X, the country's biggest wholesaler, which …": the rules read the content
/// before the frame from the commas, and whatever the tagger reads, the source's apposition is no
/// content (the merge's unit test gives it a tagger reading that takes it).
#[test]
fn a_trailing_according_to_keeps_its_content_before_the_frame() {
    let text = "The recall covers 18 batches of the syrup, according to Corran Medical, the country's \
                biggest pharmaceutical wholesaler, which emailed a notice to its pharmacy customers on \
                Tuesday evening.\n";
    let found = claimtrace::extract::extract(text).attributions;
    let frame = found.iter().find(|a| a.cue.text(text) == "according to");
    let frame = frame.unwrap_or_else(|| panic!("no \"according to\" in {found:#?}"));
    assert_eq!(frame.content.text(text), "The recall covers 18 batches of the syrup");
    // The source keeps its apposition, as PolNeAR marks it.
    let source = frame.source.as_ref().map(|s| s.span.text(text)).unwrap_or_default();
    assert!(source.starts_with("Corran Medical"), "{source:?}");
}
