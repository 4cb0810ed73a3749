//! The dependency layer: a greedy arc-eager parser (Nivre 2003) over the part-of-speech layer's
//! tags, and a classifier for the relation of each arc (16 classes of spaCy's labels,
//! `dep_classes.tsv`); both averaged perceptrons. Its trees feed the cue and role taggers: which
//! tokens a cue governs, and through which relation (the subject, the clausal complement).
//!
//! It is trained on silver parses, spaCy's trees of the training texts projected onto
//! claimtrace's tokens, with the static oracle; only sentences whose projected tree the
//! transitions can build are used. A tree never crosses a sentence of `text::analyze`.

use super::ClassTable;
use super::features::{DocFeatures, ParserView};
use super::perceptron::{Perceptron, Trainer, argmax};
use super::train::{SilverToken, silver_at};
use crate::text::Analysis;
use std::ops::Range;
use std::sync::LazyLock;

/// The number of relation classes.
pub(crate) const RELATIONS: usize = 16;
/// The number of transitions.
pub(crate) const ACTIONS: usize = 4;
const SHIFT: usize = 0;
const REDUCE: usize = 1;
const LEFT: usize = 2;
const RIGHT: usize = 3;

/// No head: a root of its sentence (or a token outside every sentence).
pub(crate) const NO_HEAD: u32 = u32::MAX;
/// The head of a token attached to the artificial root while parsing.
const ROOT_ARC: u32 = u32::MAX - 1;
/// The artificial root at the bottom of the stack.
const ROOT: usize = usize::MAX;

/// spaCy label → relation class (class 0 is "other"), and the class names in id order.
static TABLE: LazyLock<ClassTable> = LazyLock::new(|| ClassTable::parse(include_str!("dep_classes.tsv")));

/// The class of a spaCy dependency label ("other" for a label the table does not list).
pub(crate) fn relation_of(label: &str) -> usize {
    TABLE.ids.get(label).copied().unwrap_or(0)
}

/// The id of a relation class by name.
pub(crate) fn relation_named(name: &str) -> usize {
    TABLE.names.iter().position(|n| *n == name).unwrap_or(0)
}

/// The class names, in id order.
#[cfg(test)]
pub(crate) fn relation_names() -> &'static [&'static str] {
    &TABLE.names
}

/// A document's dependency trees: each token's head (`NO_HEAD` for a root) and relation class.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Trees {
    pub head: Vec<u32>,
    pub relation: Vec<u8>,
}

/// The transition system's state over one sentence; the arrays are the document's.
struct Config<'a> {
    stack: Vec<usize>,
    next: usize,
    end: usize,
    head: &'a mut [u32],
    left: &'a mut [u32],
    right: &'a mut [u32],
    children: &'a mut [u32],
}

impl Config<'_> {
    fn top(&self) -> Option<usize> {
        self.stack.last().copied().filter(|&s| s != ROOT)
    }

    fn valid(&self, action: usize) -> bool {
        let top = self.top();
        match action {
            SHIFT | RIGHT => self.next < self.end,
            LEFT => self.next < self.end && top.is_some_and(|s| self.head[s] == NO_HEAD),
            _ => top.is_some_and(|s| self.head[s] != NO_HEAD),
        }
    }

    fn apply(&mut self, action: usize) {
        match action {
            SHIFT => {
                self.stack.push(self.next);
                self.next += 1;
            }
            RIGHT => {
                let b = self.next;
                match self.top() {
                    Some(s) => {
                        self.head[b] = s as u32;
                        self.right[s] = b as u32;
                        self.children[s] += 1;
                    }
                    None => self.head[b] = ROOT_ARC,
                }
                self.stack.push(b);
                self.next += 1;
            }
            LEFT => {
                if let Some(s) = self.stack.pop() {
                    let b = self.next;
                    self.head[s] = b as u32;
                    self.left[b] = s as u32;
                    self.children[b] += 1;
                }
            }
            _ => {
                self.stack.pop();
            }
        }
    }

    fn view(&self) -> ParserView {
        let token = |k: u32| (k != NO_HEAD && k != ROOT_ARC).then_some(k as usize);
        let s0 = self.top();
        let s1 = self
            .stack
            .len()
            .checked_sub(2)
            .map(|k| self.stack[k])
            .filter(|&s| s != ROOT);
        let b = |k: usize| (self.next + k < self.end).then_some(self.next + k);
        ParserView {
            s0,
            s1,
            b0: b(0),
            b1: b(1),
            b2: b(2),
            s0_head: s0.and_then(|s| token(self.head[s])),
            s0_left: s0.and_then(|s| token(self.left[s])),
            s0_right: s0.and_then(|s| token(self.right[s])),
            b0_left: b(0).and_then(|b| token(self.left[b])),
            s0_children: s0.map_or(0, |s| self.children[s]),
            s0_attached: s0.is_some_and(|s| self.head[s] != NO_HEAD),
        }
    }
}

/// The best valid transition by `scores`.
fn best_valid(config: &Config<'_>, scores: &[f32; ACTIONS]) -> Option<usize> {
    (0..ACTIONS)
        .filter(|&a| config.valid(a))
        .max_by(|&a, &b| scores[a].total_cmp(&scores[b]).then(b.cmp(&a)))
}

/// The relation class with the highest score.
fn best_relation(labeler: &Perceptron, features: &[u64]) -> usize {
    argmax(&labeler.emit::<RELATIONS>(features))
}

/// Work arrays of one document.
struct Arrays {
    head: Vec<u32>,
    left: Vec<u32>,
    right: Vec<u32>,
    children: Vec<u32>,
}

impl Arrays {
    fn new(n: usize) -> Arrays {
        Arrays {
            head: vec![NO_HEAD; n],
            left: vec![NO_HEAD; n],
            right: vec![NO_HEAD; n],
            children: vec![0; n],
        }
    }

    fn config(&mut self, sentence: &Range<usize>) -> Config<'_> {
        let mut stack = Vec::with_capacity(32);
        stack.push(ROOT);
        Config {
            stack,
            next: sentence.start,
            end: sentence.end,
            head: &mut self.head,
            left: &mut self.left,
            right: &mut self.right,
            children: &mut self.children,
        }
    }
}

/// Parses every sentence of `features`.
pub(crate) fn parse(parser: &Perceptron, labeler: &Perceptron, features: &DocFeatures) -> Trees {
    let n = features.n;
    let mut arrays = Arrays::new(n);
    let mut buffer = Vec::with_capacity(32);
    for sentence in features.sentences().iter().filter(|s| s.end <= n) {
        let mut config = arrays.config(sentence);
        while config.next < config.end {
            buffer.clear();
            features.parse_features(&config.view(), &mut buffer);
            let scores: [f32; ACTIONS] = parser.emit(&buffer);
            match best_valid(&config, &scores) {
                Some(action) => config.apply(action),
                None => break,
            }
        }
    }
    let mut relation = vec![0u8; n];
    for (d, (head, relation)) in arrays.head.iter_mut().zip(&mut relation).enumerate() {
        if *head == ROOT_ARC {
            *head = NO_HEAD;
        } else if *head != NO_HEAD {
            buffer.clear();
            features.label_features(d, *head as usize, &mut buffer);
            *relation = best_relation(labeler, &buffer) as u8;
        }
    }
    Trees {
        head: arrays.head,
        relation,
    }
}

/// The silver tree projected onto the tokens of `analysis`: each token takes the head and relation
/// of the silver token holding its first character (further tokens inside the same silver token
/// hang from the one before); heads outside the token's sentence make it a root.
pub(crate) fn project(analysis: &Analysis, silver: &[SilverToken]) -> Trees {
    let n = analysis.tokens.len();
    // Our token holding each silver token's first character.
    let ours: Vec<Option<usize>> = silver
        .iter()
        .map(|t| {
            analysis
                .tokens
                .partition_point(|k| k.span.start <= t.start)
                .checked_sub(1)
        })
        .collect();
    let mut sentence_of = vec![u32::MAX; n];
    for (s, sentence) in analysis.sentences.iter().enumerate() {
        for k in sentence.tokens.clone().filter(|&k| k < n) {
            sentence_of[k] = s as u32;
        }
    }
    let mut trees = Trees {
        head: vec![NO_HEAD; n],
        relation: vec![0; n],
    };
    // The last of our tokens read inside a silver token, and that silver token.
    let mut previous: Option<(usize, usize)> = None;
    for (i, token) in analysis.tokens.iter().enumerate() {
        let Some(j) = silver_at(silver, token.span.start) else {
            continue;
        };
        let inside = previous.filter(|&(p, _)| p == j).map(|(_, k)| k);
        previous = Some((j, i));
        let head = if inside.is_some() {
            // A further token of one silver token: attached to the one before.
            trees.relation[i] = 0;
            inside
        } else {
            trees.relation[i] = silver[j].relation.as_deref().map_or(0, relation_of) as u8;
            silver[j]
                .head
                .filter(|&h| h != j)
                .and_then(|h| ours.get(h).copied().flatten())
        };
        if let Some(h) = head.filter(|&h| h != i && sentence_of[h] == sentence_of[i]) {
            trees.head[i] = h as u32;
        }
    }
    trees
}

/// The transition the static oracle takes towards the tree `gold` (`None` when none leads there).
fn oracle(config: &Config<'_>, gold: &[u32], missing: &[u32]) -> Option<usize> {
    let b = config.next;
    let gold_head = |k: usize| match gold[k] {
        NO_HEAD => ROOT,
        h => h as usize,
    };
    let top = config.stack.last().copied()?;
    if top != ROOT && gold_head(top) == b && config.head[top] == NO_HEAD {
        return Some(LEFT);
    }
    if gold_head(b) == top {
        return Some(RIGHT);
    }
    if top != ROOT && config.head[top] != NO_HEAD && missing[top] == 0 {
        return Some(REDUCE);
    }
    Some(SHIFT)
}

/// The sentences whose tree in `gold` the transitions build exactly.
fn reachable(gold: &Trees, sentences: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut arrays = Arrays::new(gold.head.len());
    let mut missing = children_counts(gold);
    let mut out = Vec::new();
    for sentence in sentences.iter().filter(|s| s.end <= gold.head.len()) {
        let mut config = arrays.config(sentence);
        let mut stuck = false;
        while config.next < config.end {
            let Some(action) = oracle(&config, &gold.head, &missing).filter(|&a| config.valid(a)) else {
                stuck = true;
                break;
            };
            attach(&config, action, &mut missing);
            config.apply(action);
        }
        let built = sentence.clone().all(|k| match config.head[k] {
            ROOT_ARC | NO_HEAD => gold.head[k] == NO_HEAD,
            h => h == gold.head[k],
        });
        if !stuck && built {
            out.push(sentence.clone());
        }
    }
    out
}

/// Each token's number of children in `gold`.
fn children_counts(gold: &Trees) -> Vec<u32> {
    let mut counts = vec![0u32; gold.head.len()];
    for &h in &gold.head {
        if let Some(c) = counts.get_mut(h as usize) {
            *c += 1;
        }
    }
    counts
}

/// Counts down the children still to attach when `action` attaches one.
fn attach(config: &Config<'_>, action: usize, missing: &mut [u32]) {
    match action {
        LEFT => missing[config.next] = missing[config.next].saturating_sub(1),
        RIGHT => {
            if let Some(s) = config.top() {
                missing[s] = missing[s].saturating_sub(1);
            }
        }
        _ => {}
    }
}

/// Trains the parser and the labeler on documents with their silver trees; `order` yields the
/// document order of each pass (a fixed shuffle). Returns them with the number of sentences used.
pub(crate) fn train(
    docs: &[(DocFeatures, Trees)],
    parser_bits: u32,
    labeler_bits: u32,
    epochs: usize,
    mut order: impl FnMut(&mut [usize]),
) -> (Perceptron, Perceptron, usize) {
    let mut parser = Trainer::new(parser_bits, ACTIONS);
    let mut labeler = Trainer::new(labeler_bits, RELATIONS);
    let usable: Vec<Vec<Range<usize>>> = docs
        .iter()
        .map(|(features, gold)| reachable(gold, features.sentences()))
        .collect();
    let mut by_doc: Vec<usize> = (0..docs.len()).collect();
    let mut buffer = Vec::with_capacity(32);
    for _ in 0..epochs {
        order(&mut by_doc);
        for &d in &by_doc {
            let (features, gold) = &docs[d];
            let mut arrays = Arrays::new(features.n);
            let mut missing = children_counts(gold);
            for sentence in &usable[d] {
                let mut config = arrays.config(sentence);
                while config.next < config.end {
                    let Some(right) = oracle(&config, &gold.head, &missing) else {
                        break;
                    };
                    buffer.clear();
                    features.parse_features(&config.view(), &mut buffer);
                    let scores: [f32; ACTIONS] = parser.model.emit(&buffer);
                    if let Some(guess) = best_valid(&config, &scores)
                        && guess != right
                    {
                        parser.update_one(&buffer, right, guess);
                    }
                    parser.tick();
                    attach(&config, right, &mut missing);
                    config.apply(right);
                }
            }
            for (k, &h) in gold.head.iter().enumerate() {
                if h == NO_HEAD {
                    continue;
                }
                buffer.clear();
                features.label_features(k, h as usize, &mut buffer);
                let guess = best_relation(&labeler.model, &buffer);
                let right = usize::from(gold.relation[k]);
                if guess != right {
                    labeler.update_one(&buffer, right, guess);
                }
                labeler.tick();
            }
        }
    }
    let sentences = usable.iter().map(Vec::len).sum();
    (parser.finish(), labeler.finish(), sentences)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Lexicon;
    use crate::extract::tagger::features::Layers;
    use crate::text::analyze;

    /// Trees from `(head, relation)` per token, `None` for a root.
    fn trees(arcs: &[(Option<usize>, &str)]) -> Trees {
        Trees {
            head: arcs.iter().map(|(h, _)| h.map_or(NO_HEAD, |h| h as u32)).collect(),
            relation: arcs.iter().map(|(_, r)| relation_of(r) as u8).collect(),
        }
    }

    #[test]
    fn the_relation_table_has_sixteen_classes() {
        assert_eq!(relation_names().len(), RELATIONS, "{:?}", relation_names());
        assert_eq!(relation_names()[0], "other");
        assert_eq!(relation_of("csubj"), relation_of("nsubj"));
        assert_ne!(relation_of("nsubj"), relation_of("nsubjpass"));
        assert_ne!(relation_of("ccomp"), relation_of("xcomp"));
        assert_eq!(relation_of("no such label"), 0);
        assert_eq!(relation_named("ccomp"), relation_of("ccomp"));
    }

    #[test]
    fn the_oracle_builds_projective_trees_only() {
        // "Officials said the talks resumed ." and a tree with crossing arcs.
        let said = trees(&[
            (Some(1), "nsubj"),
            (None, "ROOT"),
            (Some(3), "det"),
            (Some(4), "nsubj"),
            (Some(1), "ccomp"),
            (Some(1), "punct"),
        ]);
        let whole = std::slice::from_ref(&(0..6));
        assert_eq!(reachable(&said, whole), whole);
        let crossing = trees(&[(Some(2), "dep"), (Some(3), "dep"), (None, "ROOT"), (Some(2), "dep")]);
        let whole = std::slice::from_ref(&(0..4));
        assert!(reachable(&crossing, whole).is_empty());
        // Sentences are separate: the first is built, the second (crossing) is not.
        let mut both = said.clone();
        both.head
            .extend(crossing.head.iter().map(|&h| if h == NO_HEAD { h } else { h + 6 }));
        both.relation.extend(&crossing.relation);
        assert_eq!(reachable(&both, &[0..6, 6..10]), vec![0..6]);
    }

    fn silver(start: usize, tag: &str, head: usize, relation: &str) -> SilverToken {
        SilverToken {
            start,
            tag: tag.to_owned(),
            head: Some(head),
            relation: Some(relation.to_owned()),
        }
    }

    #[test]
    fn a_silver_tree_is_projected_onto_our_tokens() {
        // The silver reading takes "the talks" as one token; its second sentence's root hangs
        // from the first sentence.
        let text = "Officials said the talks resumed. Nobody knew.";
        let reading = [
            silver(0, "NNS", 1, "nsubj"),
            silver(10, "VBD", 1, "ROOT"),
            silver(15, "NNS", 3, "nsubj"),
            silver(25, "VBD", 1, "ccomp"),
            silver(32, ".", 1, "punct"),
            silver(34, "NN", 6, "nsubj"),
            silver(41, "VBD", 1, "conj"),
            silver(45, ".", 6, "punct"),
        ];
        let analysis = analyze(text);
        assert_eq!(analysis.tokens.len(), 9);
        let projected = project(&analysis, &reading);
        let words: Vec<&str> = analysis.tokens.iter().map(|t| t.span.text(text)).collect();
        let head = |w: &str| {
            let k = words.iter().position(|x| *x == w).unwrap();
            (projected.head[k], relation_names()[usize::from(projected.relation[k])])
        };
        assert_eq!(head("Officials"), (1, "nsubj"));
        assert_eq!(head("said"), (NO_HEAD, "other"));
        assert_eq!(
            head("the"),
            (4, "nsubj"),
            "the silver token's arc goes to its first token"
        );
        assert_eq!(head("talks"), (2, "other"), "a further token hangs from the first");
        assert_eq!(head("resumed"), (1, "ccomp"));
        assert_eq!(head("knew"), (NO_HEAD, "conj"), "no arc across sentences");
        assert_eq!(head("Nobody"), (7, "nsubj"));
    }

    /// Sentences "The N V that the N V ." with their trees.
    fn treebank(nouns: &[&str], verbs: &[&str]) -> (String, Vec<SilverToken>) {
        let (mut text, mut reading) = (String::new(), Vec::new());
        for (k, noun) in nouns.iter().enumerate() {
            let base = reading.len();
            let words = [
                ("The", "DT", 1, "det"),
                (noun, "NN", 2, "nsubj"),
                (verbs[k % verbs.len()], "VBD", 2, "ROOT"),
                ("that", "IN", 6, "mark"),
                ("the", "DT", 5, "det"),
                ("talks", "NNS", 6, "nsubj"),
                ("failed", "VBD", 2, "ccomp"),
                (".", ".", 2, "punct"),
            ];
            for (word, tag, head, relation) in words {
                if !text.is_empty() && word != "." {
                    text.push(' ');
                }
                reading.push(silver(text.chars().count(), tag, base + head, relation));
                text.push_str(word);
            }
            text.push_str("\n\n");
        }
        (text, reading)
    }

    #[test]
    fn the_parser_learns_a_treebank_and_parses_new_sentences() {
        let (text, reading) = treebank(&["minister", "official", "senator", "governor"], &["said", "argued"]);
        let features = |text: &str| DocFeatures::new(&analyze(text), text, Lexicon::get(), None, Layers::default());
        let docs = vec![(features(&text), project(&analyze(&text), &reading))];
        let train_once = || train(&docs, 12, 12, 8, |_| {});
        let (parser, labeler, sentences) = train_once();
        assert_eq!(sentences, 4, "every sentence is projective");
        let (again, _, _) = train_once();
        assert_eq!(parser, again, "the same data and order give the same weights");
        // Nouns not seen in training, in the same frame.
        let (unseen, reading) = treebank(&["mayor", "spokesman"], &["argued", "said"]);
        let f = features(&unseen);
        let parsed = parse(&parser, &labeler, &f);
        let gold = project(&analyze(&unseen), &reading);
        assert_eq!(parsed.head, gold.head);
        assert_eq!(parsed.relation, gold.relation);
    }
}
