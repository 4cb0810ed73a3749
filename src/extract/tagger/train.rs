//! Training the taggers from annotated documents (the PolNeAR schema: character-offset spans with
//! fragments). Deterministic: the same documents, options and seed give the same model, byte for
//! byte (a fixed shuffle, fixed hashes; the folds of jackknifing train in parallel, each alone).

use super::context::{PROBES, Probes};
use super::features::{DocFeatures, Layers};
use super::perceptron::{Perceptron, Trainer};
use super::{
    CUE_B, CUE_I, CUE_O, ModelInfo, ONLY_O, ROLE_BC, ROLE_BS, ROLE_IC, ROLE_IS, ROLE_O, Tagger, cue_allowed,
    role_allowed, role_window, runs, tagged_blocks,
};
use super::{parse, pos};
use crate::extract::{Extraction, Lexicon};
use crate::text::{Analysis, analyze};
use rayon::prelude::*;
use serde_json::Value;
use std::ops::Range;

/// The model format and feature set version (bumped when features change).
pub const FEATURE_VERSION: u32 = 5;

/// One annotated attribution: character-offset fragments of its source, cue and content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoldAttribution {
    /// Source fragments (empty when there is no source).
    pub source: Vec<(usize, usize)>,
    /// Cue fragments.
    pub cue: Vec<(usize, usize)>,
    /// Content fragments.
    pub content: Vec<(usize, usize)>,
}

/// One annotated document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingDoc {
    /// Its id.
    pub id: String,
    /// Its text.
    pub text: String,
    /// Its attributions.
    pub attributions: Vec<GoldAttribution>,
    /// Silver syntax of its text, if any (`pos.rs`, `parse.rs`).
    pub silver: Option<Vec<SilverToken>>,
}

/// One token of a silver reading of a text (a statistical parser's, `models/silver.py`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SilverToken {
    /// Its first character.
    pub start: usize,
    /// Its Penn Treebank tag.
    pub tag: String,
    /// The index (among the silver tokens) of its syntactic head; itself or `None` for a root.
    pub head: Option<usize>,
    /// Its relation to its head (spaCy's label).
    pub relation: Option<String>,
}

fn fragments(span: Option<&Value>) -> Vec<(usize, usize)> {
    let Some(Value::Object(span)) = span else {
        return Vec::new();
    };
    let as_pair = |v: &Value| -> Option<(usize, usize)> {
        let pair = v.as_array()?;
        Some((
            usize::try_from(pair.first()?.as_u64()?).ok()?,
            usize::try_from(pair.get(1)?.as_u64()?).ok()?,
        ))
    };
    let listed: Vec<(usize, usize)> = span
        .get("fragments")
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(as_pair).collect())
        .unwrap_or_default();
    if !listed.is_empty() {
        return listed;
    }
    match (
        span.get("start").and_then(Value::as_u64),
        span.get("end").and_then(Value::as_u64),
    ) {
        (Some(s), Some(e)) if s < e => vec![(s as usize, e as usize)],
        _ => Vec::new(),
    }
}

impl TrainingDoc {
    /// A document from one JSON object `{"id", "text", "attributions": [...]}`; `None` without an
    /// id or text.
    pub fn from_json(value: &Value) -> Option<TrainingDoc> {
        let id = value.get("id")?.as_str()?.to_owned();
        let text = value.get("text")?.as_str()?.to_owned();
        let attributions = value
            .get("attributions")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .map(|a| GoldAttribution {
                        source: fragments(a.get("source")),
                        cue: fragments(a.get("cue")),
                        content: fragments(a.get("content")),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(TrainingDoc {
            id,
            text,
            attributions,
            silver: None,
        })
    }
}

/// The silver token holding character `start` (the last one starting at or before it).
pub(crate) fn silver_at(silver: &[SilverToken], start: usize) -> Option<usize> {
    silver.partition_point(|t| t.start <= start).checked_sub(1)
}

/// Training options.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Passes over the data.
    pub epochs: usize,
    /// Shuffling seed.
    pub seed: u64,
    /// Cue tagger table size (log2).
    pub cue_bits: u32,
    /// Role tagger table size (log2).
    pub role_bits: u32,
    /// Part-of-speech tagger table size (log2).
    pub pos_bits: u32,
    /// Passes of the part-of-speech tagger over its data.
    pub pos_epochs: usize,
    /// Dependency parser table size (log2); its relation classifier has `pos_bits`.
    pub parse_bits: u32,
    /// Passes of the parser over its data.
    pub parse_epochs: usize,
    /// Whether to train the dependency layer (from silver trees): more accurate, about 1.7 times
    /// the extraction time (`docs/accuracy.md`).
    pub parser: bool,
    /// Folds for jackknifing: the cue and role taggers train on the syntactic layers' reading
    /// of each fold by layers trained on the other folds (1: on the layers trained on every
    /// document). With a parser, 5 folds gave content and whole F1 +0.4 over two held-out sets
    /// (`docs/accuracy.md`).
    pub folds: usize,
    /// A description of the data, recorded in the model.
    pub data: String,
    /// The contextual layer (`--model accurate`): a BERT encoder and the layer whose hidden
    /// states its probes read (`context.rs`); none in the fast model.
    pub context: Option<ContextOptions>,
}

/// The encoder of a contextual layer and the layer read.
#[derive(Debug, Clone)]
pub struct ContextOptions {
    /// The encoder.
    pub encoder: std::sync::Arc<super::encoder::Encoder>,
    /// Its layer whose hidden states the probes read (1 to its depth).
    pub layer: usize,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 20,
            seed: 1,
            cue_bits: 18,
            role_bits: 18,
            pos_bits: 16,
            pos_epochs: 10,
            parse_bits: 18,
            parse_epochs: 15,
            parser: false,
            folds: 1,
            data: String::new(),
            context: None,
        }
    }
}

/// SplitMix64: a small fixed generator for the shuffles.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// The cue tagger's scores of token `i` of `block` while training (run time reads many tokens at
/// a time, `Perceptron::emit_all`); its features are left in `out` for the update.
fn cue_scores(
    model: &Perceptron,
    features: &DocFeatures,
    i: usize,
    block: &Range<usize>,
    out: &mut Vec<u64>,
) -> [f32; 3] {
    out.clear();
    features.cue_features(i, block, out);
    model.emit(out)
}

/// The role tagger's scores of token `i` for `cue`; its features are left in `out` (none for the
/// cue's own tokens, which can only be O).
fn role_scores(
    model: &Perceptron,
    features: &DocFeatures,
    i: usize,
    cue: &Range<usize>,
    cue_word: u64,
    out: &mut Vec<u64>,
) -> [f32; 5] {
    out.clear();
    if cue.contains(&i) {
        return ONLY_O;
    }
    features.role_features(i, cue, cue_word, out);
    model.emit(out)
}

/// A document prepared for training: features and gold labels per token.
struct Prepared {
    features: DocFeatures,
    blocks: Vec<Range<usize>>,
    cue_labels: Vec<usize>,
    /// Per gold attribution: its cue (token range) and role labels for every token.
    roles: Vec<(Range<usize>, Vec<usize>)>,
}

/// The tokens overlapping the character range `start..end` (empty when none does).
fn token_range(analysis: &Analysis, (start, end): (usize, usize)) -> Range<usize> {
    let first = analysis.tokens.partition_point(|t| t.span.end <= start);
    let past = analysis.tokens[first..].partition_point(|t| t.span.start < end);
    first..first + past
}

/// Tokens overlapping any of `fragments` (character offsets).
fn token_mask(analysis: &Analysis, fragments: &[(usize, usize)]) -> Vec<bool> {
    let mut mask = vec![false; analysis.tokens.len()];
    for &fragment in fragments {
        mask[token_range(analysis, fragment)].fill(true);
    }
    mask
}

/// B/I labels from a mask: a run starts where the mask starts.
fn bio(mask: &[bool], begin: usize, inside: usize, into: &mut [usize]) {
    for k in 0..mask.len() {
        if mask[k] {
            into[k] = if k > 0 && mask[k - 1] && into[k - 1] != 0 {
                inside
            } else {
                begin
            };
        }
    }
}

/// A document with the rules' reading of it.
type Read<'a> = (&'a TrainingDoc, &'a Extraction);

/// The syntactic layers trained on some documents: the part-of-speech tagger, and the dependency
/// parser with its relation classifier when `options.parser`.
struct Syntax {
    pos: Perceptron,
    /// Documents with silver tags (0: an empty tagger, which gives every token class 0).
    pos_documents: usize,
    parser: Perceptron,
    labeler: Perceptron,
    /// Sentences the parser was trained on (0: no parser).
    parse_sentences: usize,
}

impl Syntax {
    fn train(docs: &[Read<'_>], options: &TrainOptions, lexicon: &Lexicon) -> Syntax {
        let (pos, pos_documents) = train_pos(docs, options, lexicon);
        let (parser, labeler, parse_sentences) =
            train_parser(docs, options, lexicon, (pos_documents > 0).then_some(&pos));
        Syntax {
            pos,
            pos_documents,
            parser,
            labeler,
            parse_sentences,
        }
    }

    fn layers(&self) -> Layers<'_> {
        Layers {
            pos: (self.pos_documents > 0).then_some(&self.pos),
            parser: (self.parse_sentences > 0).then_some((&self.parser, &self.labeler)),
            context: None,
        }
    }
}

/// Trains the part-of-speech tagger on the documents that have silver tags (an empty one, which
/// gives every token class 0, when none has).
fn train_pos(docs: &[Read<'_>], options: &TrainOptions, lexicon: &Lexicon) -> (Perceptron, usize) {
    let tagged: Vec<(DocFeatures, Vec<Option<usize>>)> = docs
        .iter()
        .filter_map(|&(doc, rules)| {
            let silver = doc.silver.as_ref()?;
            let gold = pos::align(&rules.analysis, silver);
            let features = DocFeatures::new(&rules.analysis, &doc.text, lexicon, Some(rules), Layers::default());
            Some((features, gold))
        })
        .collect();
    if tagged.is_empty() {
        return (Perceptron::new(options.pos_bits, pos::CLASSES), 0);
    }
    let mut rng = SplitMix(options.seed);
    let model = pos::train(&tagged, options.pos_bits, options.pos_epochs, |order| {
        rng.shuffle(order)
    });
    (model, tagged.len())
}

/// The dependency parser and its relation classifier, trained (when `options.parser`) on the
/// documents whose silver reading has trees, over the part-of-speech layer's predicted tags, with
/// the number of sentences used; empty ones, and 0, otherwise.
fn train_parser(
    docs: &[Read<'_>],
    options: &TrainOptions,
    lexicon: &Lexicon,
    pos: Option<&Perceptron>,
) -> (Perceptron, Perceptron, usize) {
    let no_parser = (
        Perceptron::new(10, parse::ACTIONS),
        Perceptron::new(10, parse::RELATIONS),
        0,
    );
    if !options.parser {
        return no_parser;
    }
    let parsed: Vec<(DocFeatures, parse::Trees)> = docs
        .iter()
        .filter_map(|&(doc, rules)| {
            let silver = doc.silver.as_ref().filter(|s| s.iter().any(|t| t.head.is_some()))?;
            let gold = parse::project(&rules.analysis, silver);
            let layers = Layers {
                pos,
                parser: None,
                context: None,
            };
            let features = DocFeatures::new(&rules.analysis, &doc.text, lexicon, Some(rules), layers);
            Some((features, gold))
        })
        .collect();
    if parsed.is_empty() {
        return no_parser;
    }
    let rng = std::cell::RefCell::new(SplitMix(options.seed ^ 0x7061_7273));
    parse::train(
        &parsed,
        options.parse_bits,
        options.pos_bits,
        options.parse_epochs,
        |order| rng.borrow_mut().shuffle(order),
        || rng.borrow_mut().next(),
    )
}

/// Each document prepared for the cue and role taggers with syntactic layers that were not
/// trained on it (jackknifing, `options.folds` folds by document index), so that the taggers learn
/// how far to trust the layers' tags and trees from layers as wrong as they are on new text; with
/// fewer than two folds, with `syntax`, the layers trained on every document.
fn prepare_all(
    docs: &[Read<'_>],
    syntax: &Syntax,
    contexts: Option<&[Vec<u64>]>,
    options: &TrainOptions,
    lexicon: &Lexicon,
) -> Vec<Prepared> {
    let with_context = |layers: Layers<'_>, k: usize| -> Prepared {
        let layers = Layers {
            context: contexts.map(|c| c[k].as_slice()),
            ..layers
        };
        prepare(docs[k].0, docs[k].1, lexicon, layers)
    };
    // More folds than documents would train layers for empty folds.
    let folds = options.folds.min(docs.len());
    if folds < 2 || syntax.pos_documents == 0 {
        return (0..docs.len()).map(|k| with_context(syntax.layers(), k)).collect();
    }
    let mut prepared: Vec<(usize, Prepared)> = (0..folds)
        .into_par_iter()
        .flat_map_iter(|fold| {
            let others: Vec<Read<'_>> = (0..docs.len()).filter(|k| k % folds != fold).map(|k| docs[k]).collect();
            let syntax = Syntax::train(&others, options, lexicon);
            (fold..docs.len())
                .step_by(folds)
                .map(|k| (k, with_context(syntax.layers(), k)))
                .collect::<Vec<_>>()
        })
        .collect();
    prepared.sort_by_key(|(k, _)| *k);
    prepared.into_iter().map(|(_, p)| p).collect()
}

fn prepare(doc: &TrainingDoc, rules: &Extraction, lexicon: &Lexicon, layers: Layers<'_>) -> Prepared {
    let analysis = &rules.analysis;
    let features = DocFeatures::new(analysis, &doc.text, lexicon, Some(rules), layers);
    let n = analysis.tokens.len();
    let blocks = tagged_blocks(analysis, false);
    let mut cue_labels = vec![CUE_O; n];
    let mut roles = Vec::new();
    for a in &doc.attributions {
        let cue_mask = token_mask(analysis, &a.cue);
        let mut labels = vec![CUE_O; n];
        bio(&cue_mask, CUE_B, CUE_I, &mut labels);
        for k in 0..n {
            if labels[k] != CUE_O {
                cue_labels[k] = labels[k];
            }
        }
        let Some(cue) = runs(&labels, 0, CUE_B, CUE_I).into_iter().next() else {
            continue;
        };
        let mut role = vec![ROLE_O; n];
        bio(&token_mask(analysis, &a.source), ROLE_BS, ROLE_IS, &mut role);
        let content_mask = token_mask(analysis, &a.content);
        let mut content = vec![ROLE_O; n];
        bio(&content_mask, ROLE_BC, ROLE_IC, &mut content);
        for k in 0..n {
            if content[k] != ROLE_O && role[k] == ROLE_O {
                role[k] = content[k];
            }
            if cue.contains(&k) {
                role[k] = ROLE_O;
            }
        }
        roles.push((cue, role));
    }
    Prepared {
        features,
        blocks,
        cue_labels,
        roles,
    }
}

/// The fingerprint of what training reads of `docs` besides their annotations and silver reading
/// (`DocFeatures::fold_reading` over each document in order), as a trained model records it in
/// `ModelInfo::reading`. A change to the tokenizer, the lexicon or the rules that changes it
/// changes what `make model` trains on: the shipped model is then to be retrained.
pub fn reading_fingerprint(docs: &[TrainingDoc]) -> String {
    let lexicon = Lexicon::get();
    fingerprint(docs.iter().map(|doc| {
        let rules = crate::extract::extract_rules(&doc.text, analyze(&doc.text));
        DocFeatures::new(&rules.analysis, &doc.text, lexicon, Some(&rules), Layers::default())
    }))
}

/// The fingerprint of the documents' token values (`reading_fingerprint`).
fn fingerprint(documents: impl IntoIterator<Item = impl std::borrow::Borrow<DocFeatures>>) -> String {
    let mut hash = 0;
    for features in documents {
        features.borrow().fold_reading(&mut hash);
    }
    format!("{hash:016x}")
}

/// Trains both taggers on `docs`.
pub fn train(docs: &[TrainingDoc], options: &TrainOptions) -> Tagger {
    let lexicon = Lexicon::get();
    // Each document is read once: its analysis and the rules' reading serve every layer.
    let read: Vec<Extraction> = docs
        .iter()
        .map(|d| crate::extract::extract_rules(&d.text, analyze(&d.text)))
        .collect();
    let pairs: Vec<Read<'_>> = docs.iter().zip(&read).collect();
    let syntax = Syntax::train(&pairs, options, lexicon);
    let context = options.context.as_ref().map(|c| train_context(&pairs, c, options.seed));
    let codes = context.as_ref().map(|(_, codes)| codes.as_slice());
    let prepared = prepare_all(&pairs, &syntax, codes, options, lexicon);
    let mut cue = Trainer::new(options.cue_bits, 3);
    let mut role = Trainer::new(options.role_bits, 5);
    let mut rng = SplitMix(options.seed);
    let mut block_order: Vec<(usize, usize)> = prepared
        .iter()
        .enumerate()
        .flat_map(|(d, p)| (0..p.blocks.len()).map(move |b| (d, b)))
        .collect();
    let mut role_order: Vec<(usize, usize)> = prepared
        .iter()
        .enumerate()
        .flat_map(|(d, p)| (0..p.roles.len()).map(move |a| (d, a)))
        .collect();
    let mut feats: Vec<Vec<u64>> = Vec::new();
    let mut emissions = Vec::new();
    let mut predicted = Vec::new();
    for _ in 0..options.epochs {
        rng.shuffle(&mut block_order);
        for &(d, b) in &block_order {
            let p = &prepared[d];
            let block = &p.blocks[b];
            feats.resize(block.len(), Vec::new());
            emissions.clear();
            for (k, i) in block.clone().enumerate() {
                emissions.extend_from_slice(&cue_scores(&cue.model, &p.features, i, block, &mut feats[k]));
            }
            cue.predict(&emissions, cue_allowed, &mut predicted);
            let gold = &p.cue_labels[block.clone()];
            if predicted != gold {
                cue.update(&feats[..block.len()], gold, &predicted);
            }
            cue.tick();
        }
        rng.shuffle(&mut role_order);
        for &(d, a) in &role_order {
            let p = &prepared[d];
            let (cue_range, labels) = &p.roles[a];
            let Some(block) = p.blocks.iter().find(|b| b.contains(&cue_range.start)) else {
                continue;
            };
            let window = role_window(&p.features, block, cue_range);
            let cue_word = p.features.word(cue_range.start);
            feats.resize(window.len(), Vec::new());
            emissions.clear();
            for (k, i) in window.clone().enumerate() {
                let scores = role_scores(&role.model, &p.features, i, cue_range, cue_word, &mut feats[k]);
                emissions.extend_from_slice(&scores);
            }
            role.predict(&emissions, role_allowed, &mut predicted);
            let gold = &labels[window.clone()];
            if predicted != gold {
                role.update(&feats[..window.len()], gold, &predicted);
            }
            role.tick();
        }
    }
    Tagger {
        info: ModelInfo {
            version: FEATURE_VERSION,
            epochs: options.epochs,
            seed: options.seed,
            cue_bits: options.cue_bits,
            role_bits: options.role_bits,
            documents: docs.len(),
            attributions: docs.iter().map(|d| d.attributions.len()).sum(),
            data: options.data.clone(),
            pos_bits: options.pos_bits,
            pos_documents: syntax.pos_documents,
            parse_bits: options.parse_bits,
            parse_sentences: syntax.parse_sentences,
            reading: fingerprint(prepared.iter().map(|p| &p.features)),
            context_layer: options.context.as_ref().map_or(0, |c| c.layer),
            encoder: options
                .context
                .as_ref()
                .map_or_else(String::new, |c| c.encoder.fingerprint().to_owned()),
        },
        pos: syntax.pos,
        parser: syntax.parser,
        labeler: syntax.labeler,
        cue: cue.finish(),
        role: role.finish(),
        context: context.map(|(probes, _)| probes),
        encoder: Default::default(),
    }
}

/// The contextual probes trained on every document, and each document's codes by them. The
/// taggers learn from codes of probes that saw the document: a linear probe over a few hundred
/// dimensions barely fits its training tokens better than new ones, and probes trained on five
/// folds (each on four fifths of the documents) measured no better (`docs/accuracy.md`).
fn train_context(docs: &[Read<'_>], options: &ContextOptions, seed: u64) -> (Probes, Vec<Vec<u64>>) {
    let vectors: Vec<ndarray::Array2<f32>> = docs
        .par_iter()
        .map(|(doc, rules)| options.encoder.token_vectors(&rules.analysis, &doc.text, options.layer))
        .collect();
    let labels: Vec<Vec<[bool; PROBES]>> = docs
        .iter()
        .map(|(doc, rules)| {
            let masks = |part: fn(&GoldAttribution) -> &Vec<(usize, usize)>| {
                let all: Vec<(usize, usize)> = doc.attributions.iter().flat_map(|a| part(a).iter().copied()).collect();
                token_mask(&rules.analysis, &all)
            };
            let (cue, source, content) = (masks(|a| &a.cue), masks(|a| &a.source), masks(|a| &a.content));
            let n = cue.len();
            // Where a source opens, and a content fragment opens and closes.
            let mut edges = vec![[false; 3]; n];
            let runs = |fragments: &[(usize, usize)]| -> Vec<Range<usize>> {
                fragments
                    .iter()
                    .map(|&f| token_range(&rules.analysis, f))
                    .filter(|r| !r.is_empty())
                    .collect()
            };
            for a in &doc.attributions {
                for run in runs(&a.source) {
                    edges[run.start][0] = true;
                }
                for run in runs(&a.content) {
                    edges[run.start][1] = true;
                    edges[run.end - 1][2] = true;
                }
            }
            (0..n)
                .map(|k| [cue[k], source[k], content[k], edges[k][0], edges[k][1], edges[k][2]])
                .collect()
        })
        .collect();
    let data: Vec<(&ndarray::Array2<f32>, &[[bool; PROBES]])> =
        vectors.iter().zip(&labels).map(|(v, l)| (v, l.as_slice())).collect();
    let mut rng = SplitMix(seed ^ 0x636f_6e74);
    let probes = Probes::train(&data, |order| rng.shuffle(order));
    let codes = vectors.par_iter().map(|v| probes.codes(v)).collect();
    (probes, codes)
}
