//! The dependency layer: a greedy arc-eager parser (Nivre 2003) over the part-of-speech layer's
//! tags, and a classifier for the relation of each arc (16 classes of spaCy's labels,
//! `dep_classes.tsv`); both averaged perceptrons. Its trees feed the cue and role taggers: which
//! tokens a cue governs, and through which relation (the subject, the clausal complement).
//!
//! It is trained on silver parses, spaCy's trees of the training texts projected onto
//! claimtrace's tokens, with the dynamic oracle of Goldberg and Nivre (2012): after two passes
//! the parser follows its own transitions, mistakes included, and learns the best continuation
//! from where they lead. A tree never crosses a sentence of `text::analyze`.

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
    start: usize,
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
            start: sentence.start,
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

/// What `action` costs in `config` against the tree `gold` (Goldberg and Nivre 2012): how many of
/// the gold arcs still reachable it makes unreachable. A token left without a head is a root, so a
/// gold root is lost only by taking a head.
fn cost(config: &Config<'_>, action: usize, gold: &Trees, children: &[Vec<u32>]) -> u32 {
    let b = config.next;
    // A token of the sentence before `b` with no head is on the stack: only LEFT, which attaches,
    // and REDUCE, which needs a head, pop.
    let waiting = |k: &&u32| (config.start..b).contains(&(**k as usize)) && config.head[**k as usize] == NO_HEAD;
    let on_stack = |k: u32| config.stack.iter().any(|&s| s != ROOT && s as u32 == k);
    let later = |k: u32| (b + 1..config.end).contains(&(k as usize));
    let from_b = |s: usize| children[s].iter().filter(|&&k| k as usize >= b).count() as u32;
    match action {
        LEFT => {
            let Some(s) = config.top() else { return 0 };
            let h = gold.head[s];
            let head_lost = u32::from(h != b as u32 && (h == NO_HEAD || later(h)));
            head_lost + from_b(s)
        }
        RIGHT => {
            let h = gold.head[b];
            let given = config.top().map_or(NO_HEAD, |s| s as u32);
            let head_lost = u32::from(h != given && (h == NO_HEAD || later(h) || on_stack(h)));
            head_lost + children[b].iter().filter(waiting).count() as u32
        }
        REDUCE => config.top().map_or(0, from_b),
        _ => {
            let head_lost = u32::from(gold.head[b] != NO_HEAD && on_stack(gold.head[b]));
            head_lost + children[b].iter().filter(waiting).count() as u32
        }
    }
}

/// Each token's children in `gold`.
fn children_lists(gold: &Trees) -> Vec<Vec<u32>> {
    let mut children = vec![Vec::new(); gold.head.len()];
    for (k, &h) in gold.head.iter().enumerate() {
        if let Some(c) = children.get_mut(h as usize) {
            c.push(k as u32);
        }
    }
    children
}

/// Passes trained with the oracle's transitions before the parser follows its own.
const EXPLORE_AFTER: usize = 2;

/// Trains the parser and the labeler on documents with their silver trees, with the dynamic
/// oracle: at each state the parser is updated towards its best transition of least cost, and
/// after the first passes it mostly follows its own choice, so that it learns to recover from its
/// mistakes. `order` yields the document order of each pass (a fixed shuffle), `coin` a random
/// number for each exploration choice. Returns them with the number of sentences used.
pub(crate) fn train(
    docs: &[(DocFeatures, Trees)],
    parser_bits: u32,
    labeler_bits: u32,
    epochs: usize,
    mut order: impl FnMut(&mut [usize]),
    mut coin: impl FnMut() -> u64,
) -> (Perceptron, Perceptron, usize) {
    let mut parser = Trainer::new(parser_bits, ACTIONS);
    let mut labeler = Trainer::new(labeler_bits, RELATIONS);
    let children: Vec<Vec<Vec<u32>>> = docs.iter().map(|(_, gold)| children_lists(gold)).collect();
    let mut by_doc: Vec<usize> = (0..docs.len()).collect();
    let mut buffer = Vec::with_capacity(32);
    let mut sentences = 0;
    for epoch in 0..epochs {
        order(&mut by_doc);
        for &d in &by_doc {
            let (features, gold) = &docs[d];
            let mut arrays = Arrays::new(features.n);
            for sentence in features.sentences().iter().filter(|s| s.end <= features.n) {
                if epoch == 0 {
                    sentences += 1;
                }
                let mut config = arrays.config(sentence);
                while config.next < config.end {
                    buffer.clear();
                    features.parse_features(&config.view(), &mut buffer);
                    let scores: [f32; ACTIONS] = parser.model.emit(&buffer);
                    let Some(guess) = best_valid(&config, &scores) else {
                        break;
                    };
                    let costs: [u32; ACTIONS] = std::array::from_fn(|a| {
                        if config.valid(a) {
                            cost(&config, a, gold, &children[d])
                        } else {
                            u32::MAX
                        }
                    });
                    let least = costs.iter().copied().min().unwrap_or(0);
                    let Some(right) = (0..ACTIONS)
                        .filter(|&a| costs[a] == least)
                        .max_by(|&a, &b| scores[a].total_cmp(&scores[b]).then(b.cmp(&a)))
                    else {
                        break;
                    };
                    if costs[guess] != least {
                        parser.update_one(&buffer, right, guess);
                    }
                    parser.tick();
                    let explore = epoch >= EXPLORE_AFTER && coin() % 10 != 0;
                    config.apply(if explore { guess } else { right });
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

    /// The transitions from the start of `sentence` that each take the least cost against
    /// `gold` (ties to the lowest action), with their costs; the arrays then hold the tree built.
    fn least_cost_path(arrays: &mut Arrays, gold: &Trees, sentence: Range<usize>) -> Vec<(usize, u32)> {
        let children = children_lists(gold);
        let mut config = arrays.config(&sentence);
        let mut path = Vec::new();
        while config.next < config.end {
            let (cost, action) = (0..ACTIONS)
                .filter(|&a| config.valid(a))
                .map(|a| (cost(&config, a, gold, &children), a))
                .min()
                .unwrap();
            path.push((action, cost));
            config.apply(action);
        }
        path
    }

    #[test]
    fn the_dynamic_oracle_counts_the_arcs_a_transition_loses() {
        // "Officials said the talks resumed ."
        let said = trees(&[
            (Some(1), "nsubj"),
            (None, "ROOT"),
            (Some(3), "det"),
            (Some(4), "nsubj"),
            (Some(1), "ccomp"),
            (Some(1), "punct"),
        ]);
        let children = children_lists(&said);
        let mut arrays = Arrays::new(6);
        let mut config = arrays.config(&(0..6));
        // "Officials" made a root loses its head; shifting it loses nothing.
        assert_eq!(cost(&config, RIGHT, &said, &children), 1);
        assert_eq!(cost(&config, SHIFT, &said, &children), 0);
        config.apply(SHIFT);
        // Now "Officials" waits for "said": attaching it costs nothing; "said" under
        // "Officials" loses the root and the subject; shifting "said" loses the subject.
        assert_eq!(cost(&config, LEFT, &said, &children), 0);
        assert_eq!(cost(&config, RIGHT, &said, &children), 2);
        assert_eq!(cost(&config, SHIFT, &said, &children), 1);
        // With "said" the root on the stack and "talks" next, reducing "said" loses its complement
        // and the stop; shifting "talks" (whose head comes later) loses nothing.
        let mut arrays = Arrays::new(6);
        let mut config = arrays.config(&(0..6));
        for action in [SHIFT, LEFT, RIGHT, SHIFT, LEFT] {
            config.apply(action);
        }
        assert_eq!((config.top(), config.next), (Some(1), 3));
        assert_eq!(cost(&config, REDUCE, &said, &children), 2);
        assert_eq!(cost(&config, SHIFT, &said, &children), 0);
        assert_eq!(
            cost(&config, RIGHT, &said, &children),
            1,
            "\"talks\" under \"said\" loses its head"
        );
        config.apply(SHIFT);
        config.apply(LEFT);
        assert_eq!(cost(&config, RIGHT, &said, &children), 0);
        assert_eq!(cost(&config, REDUCE, &said, &children), 2);

        // From the start, the zero-cost transitions build a projective tree exactly.
        let mut arrays = Arrays::new(6);
        let path = least_cost_path(&mut arrays, &said, 0..6);
        assert!(path.iter().all(|&(_, cost)| cost == 0), "{path:?}");
        assert_eq!(arrays.head, said.head);
        // Crossing arcs cannot all be built (the costs are exact for projective trees only), but
        // every arc lost is counted when it is lost.
        let crossing = trees(&[(Some(2), "dep"), (Some(3), "dep"), (None, "ROOT"), (Some(2), "dep")]);
        let mut arrays = Arrays::new(4);
        let path = least_cost_path(&mut arrays, &crossing, 0..4);
        let built = (0..4)
            .filter(|&k| match arrays.head[k] {
                ROOT_ARC | NO_HEAD => crossing.head[k] == NO_HEAD,
                h => h == crossing.head[k],
            })
            .count();
        assert!(built < 4);
        assert_eq!(
            path.iter().map(|&(_, cost)| cost as usize).sum::<usize>(),
            4 - built,
            "{path:?}"
        );
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
        let train_once = || {
            let mut coin = 0;
            train(
                &docs,
                12,
                12,
                8,
                |_| {},
                || {
                    coin += 7;
                    coin
                },
            )
        };
        let (parser, labeler, sentences) = train_once();
        assert_eq!(sentences, 4);
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
