//! The part-of-speech layer: a greedy averaged perceptron over 16 coarse classes of the Penn
//! Treebank tags (`pos_classes.tsv`), whose tags are features of the cue and role taggers. It
//! tells "plans" the noun from "plans" the verb, which the word and its cluster alone cannot.
//!
//! It is trained on silver tags: a statistical tagger's reading of the training texts
//! (`tools/silver.py`, spaCy's `en_core_web_sm`), given as character offsets, so that only its
//! weights ship in the model.

use super::ClassTable;
use super::features::{DocFeatures, POS_BEFORE_TAGS};
use super::perceptron::{Perceptron, Trainer, argmax};
use super::train::{SilverToken, silver_at};
use crate::text::Analysis;
use std::sync::LazyLock;

/// The number of classes (one 64-byte row of `f32` weights per feature).
pub(crate) const CLASSES: usize = 16;

/// Penn tag → class id, and the class names in id order.
static TABLE: LazyLock<ClassTable> = LazyLock::new(|| ClassTable::parse(include_str!("pos_classes.tsv")));

/// The class of a Penn Treebank tag (`None` for a tag the table does not list).
pub(crate) fn class_of(tag: &str) -> Option<usize> {
    TABLE.ids.get(tag).copied()
}

/// The class names, in id order.
#[cfg(test)]
pub(crate) fn class_names() -> &'static [&'static str] {
    &TABLE.names
}

/// The value of "no tag": before a block's first token.
const START: u64 = CLASSES as u64;

/// Tags every token of `features` greedily, left to right; context never crosses a block.
///
/// The features that do not read the tags before (most of them) are hashed to rows for a chunk of
/// tokens first, as in `Perceptron::emit_all`; each token's sum keeps the order of
/// `DocFeatures::pos_features`, so that the tags are those of `best` over it.
pub(crate) fn tag_all(model: &Perceptron, features: &DocFeatures) -> Vec<u64> {
    const CHUNK: usize = 16;
    let mut tags = Vec::with_capacity(features.n);
    let (mut buffer, mut rows, mut ends, mut tag_rows) = (Vec::with_capacity(24), Vec::new(), Vec::new(), Vec::new());
    for chunk in (0..features.n).step_by(CHUNK) {
        let tokens = chunk..features.n.min(chunk + CHUNK);
        rows.clear();
        ends.clear();
        for i in tokens.clone() {
            buffer.clear();
            features.pos_word_features(i, &mut buffer);
            rows.extend(buffer.iter().map(|&f| model.row(f)));
            ends.push(rows.len());
        }
        let mut start = 0;
        for (i, &end) in tokens.zip(&ends) {
            let (p1, p2) = previous(features, &tags, i);
            buffer.clear();
            features.pos_tag_features(i, p1, p2, &mut buffer);
            tag_rows.clear();
            tag_rows.extend(buffer.iter().map(|&f| model.row(f)));
            let (before, after) = rows[start..end].split_at(POS_BEFORE_TAGS);
            let mut scores = [0.0f32; CLASSES];
            model.add_rows(before, &mut scores);
            model.add_rows(&tag_rows, &mut scores);
            model.add_rows(after, &mut scores);
            tags.push(argmax(&scores) as u64);
            start = end;
        }
    }
    tags
}

/// The tags of the two tokens before `i` in its block (`START` past the block's start).
fn previous(features: &DocFeatures, tags: &[u64], i: usize) -> (u64, u64) {
    let tag = |offset: isize| features.neighbour(i, offset).map_or(START, |k| tags[k]);
    (tag(-1), tag(-2))
}

/// The highest-scoring class (the lowest id on ties).
fn best(model: &Perceptron, features: &[u64]) -> usize {
    argmax(&model.emit::<CLASSES>(features))
}

/// The class of each token of `analysis` by the silver token that holds its first character
/// (`None` where no silver token does or its tag is not in the table).
pub(crate) fn align(analysis: &Analysis, silver: &[SilverToken]) -> Vec<Option<usize>> {
    analysis
        .tokens
        .iter()
        .map(|token| silver_at(silver, token.span.start).and_then(|k| class_of(&silver[k].tag)))
        .collect()
}

/// Trains the tagger on documents with their silver classes; `order` yields the document order of
/// each pass (a fixed shuffle, for determinism).
pub(crate) fn train(
    docs: &[(DocFeatures, Vec<Option<usize>>)],
    bits: u32,
    epochs: usize,
    mut order: impl FnMut(&mut [usize]),
) -> Perceptron {
    let mut trainer = Trainer::new(bits, CLASSES);
    let mut by_doc: Vec<usize> = (0..docs.len()).collect();
    let mut buffer = Vec::with_capacity(24);
    for _ in 0..epochs {
        order(&mut by_doc);
        for &d in &by_doc {
            let (features, gold) = &docs[d];
            let mut tags = Vec::with_capacity(features.n);
            for (i, gold) in gold.iter().enumerate() {
                let (p1, p2) = previous(features, &tags, i);
                buffer.clear();
                features.pos_features(i, p1, p2, &mut buffer);
                let guess = best(&trainer.model, &buffer);
                if let Some(gold) = *gold {
                    if guess != gold {
                        trainer.update_one(&buffer, gold, guess);
                    }
                    trainer.tick();
                }
                tags.push(guess as u64);
            }
        }
    }
    trainer.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Lexicon;
    use crate::text::analyze;

    /// A text made of `(word, Penn tag)` sentences, with its silver tags.
    fn tagged_text(sentences: &[Vec<(&str, &str)>]) -> (String, Vec<SilverToken>) {
        let (mut text, mut silver) = (String::new(), Vec::new());
        for sentence in sentences {
            for (k, (word, tag)) in sentence.iter().enumerate() {
                if k > 0 && *tag != "." {
                    text.push(' ');
                }
                silver.push(SilverToken {
                    start: text.chars().count(),
                    tag: (*tag).to_owned(),
                    head: None,
                    relation: None,
                });
                text.push_str(word);
            }
            text.push_str("\n\n");
        }
        (text, silver)
    }

    fn features(text: &str, pos: Option<&Perceptron>) -> DocFeatures {
        let layers = super::super::features::Layers {
            pos,
            parser: None,
            context: None,
        };
        DocFeatures::new(&analyze(text), text, Lexicon::get(), None, layers)
    }

    /// "plans" as a noun after a determiner, as a verb after a pronoun, in sentences built from
    /// small word lists.
    fn sentences(subjects: &[&'static str], verbs: &[&'static str]) -> Vec<Vec<(&'static str, &'static str)>> {
        let mut out = Vec::new();
        for (k, subject) in subjects.iter().enumerate() {
            let verb = verbs[k % verbs.len()];
            out.push(vec![
                ("The", "DT"),
                (subject, "NN"),
                (verb, "VBD"),
                ("that", "IN"),
                ("the", "DT"),
                ("plans", "NNS"),
                ("failed", "VBD"),
                (".", "."),
            ]);
            out.push(vec![
                ("She", "PRP"),
                ("plans", "VBZ"),
                ("to", "TO"),
                ("meet", "VB"),
                ("the", "DT"),
                (subject, "NN"),
                ("today", "RB"),
                (".", "."),
            ]);
        }
        out
    }

    #[test]
    fn the_tagger_learns_silver_tags_and_reads_a_word_by_its_context() {
        let train_sentences = sentences(
            &["minister", "official", "senator", "governor"],
            &["said", "claimed", "argued"],
        );
        let (text, silver) = tagged_text(&train_sentences);
        let analysis = analyze(&text);
        let gold = align(&analysis, &silver);
        assert!(gold.iter().all(Option::is_some), "every token has a silver tag");
        let docs = vec![(features(&text, None), gold)];
        let train_once = || train(&docs, 12, 8, |_| {});
        let model = train_once();
        assert_eq!(model, train_once(), "the same data and order give the same weights");
        // Other sentences of the same frames, with words not seen in training ("mayor", "warned"):
        // "plans" is told apart by its context.
        let (unseen, silver) = tagged_text(&sentences(&["mayor", "minister"], &["warned", "said"]));
        let unseen_features = features(&unseen, Some(&model));
        let tags = tag_all(&model, &unseen_features);
        // Run time hashes ahead what it can, and decides as training does, token by token.
        let mut one_by_one = Vec::new();
        for i in 0..unseen_features.n {
            let (p1, p2) = previous(&unseen_features, &one_by_one, i);
            let mut buffer = Vec::new();
            unseen_features.pos_features(i, p1, p2, &mut buffer);
            one_by_one.push(best(&model, &buffer) as u64);
        }
        assert_eq!(tags, one_by_one);
        let want = align(&analyze(&unseen), &silver);
        let right = tags
            .iter()
            .zip(&want)
            .filter(|(t, w)| Some(**t as usize) == **w)
            .count();
        assert!(right * 10 >= want.len() * 9, "{right} of {} tags right", want.len());
        let analysis = analyze(&unseen);
        let plans: Vec<usize> = (0..analysis.tokens.len())
            .filter(|&k| analysis.tokens[k].span.text(&unseen) == "plans")
            .collect();
        assert_eq!(plans.len(), 4);
        for k in plans {
            assert_eq!(Some(tags[k] as usize), want[k], "token {k}");
        }
    }

    #[test]
    fn the_shipped_model_tells_the_noun_from_the_verb() {
        let tagger = super::super::Tagger::shipped().expect("the shipped model loads");
        assert!(tagger.info.pos_documents > 500, "{:?}", tagger.info);
        let class = |text: &str, word: &str| {
            let analysis = analyze(text);
            let tags = tag_all(&tagger.pos, &features(text, Some(&tagger.pos)));
            let k = analysis
                .tokens
                .iter()
                .position(|t| t.span.text(text) == word)
                .expect("the word is a token");
            class_names()[tags[k] as usize]
        };
        assert_eq!(class("The plans were rejected by the committee.", "plans"), "NNS");
        assert_eq!(class("She plans to run for the Senate next year.", "plans"), "VBZ");
        assert_eq!(class("Officials said the talks would resume.", "said"), "VBD");
        assert_eq!(class("The senator has said little about it.", "said"), "VBN");
    }

    #[test]
    fn the_class_table_has_sixteen_classes_and_reads_every_penn_tag() {
        assert_eq!(class_names().len(), CLASSES, "{:?}", class_names());
        for tag in ["NN", "NNPS", "VBD", "VBG", "MD", "PRP$", "WRB", "-LRB-", "_SP", "``"] {
            assert!(class_of(tag).is_some(), "{tag}");
        }
        assert_ne!(class_of("VBD"), class_of("VBZ"));
        assert_eq!(class_of("NNP"), class_of("NNPS"));
        assert_eq!(class_of("no such tag"), None);
    }
}
