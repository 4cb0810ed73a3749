//! The trained tagger: a cue tagger finds cues, then a role tagger marks, for each cue, the source
//! and the content around it (a cue-first design, as CofeNet; both are averaged structured
//! perceptrons over hashed features, see `perceptron.rs` and `features.rs`).
//!
//! The models are data: `models/fast.ctm` and `models/accurate.ctm` (which adds the contextual
//! layer of `context.rs` over a BERT encoder, `encoder.rs`), made by `claimtrace train` and
//! compiled into the binary.
//! They hold weights only (hashed features, no strings, no corpus text).

mod context;
pub mod encoder;
mod features;
mod io;
mod parse;
mod perceptron;
mod pos;
pub mod train;

pub(crate) use features::DocFeatures;
pub use io::ModelError;

use crate::text::Analysis;
use perceptron::{Perceptron, Scratch};
use std::ops::Range;
use std::sync::LazyLock;

/// Cue labels.
const CUE_O: usize = 0;
const CUE_B: usize = 1;
const CUE_I: usize = 2;
/// Role labels.
const ROLE_O: usize = 0;
const ROLE_BS: usize = 1;
const ROLE_IS: usize = 2;
const ROLE_BC: usize = 3;
const ROLE_IC: usize = 4;

/// The role scores of a cue's own token: O only.
const ONLY_O: [f32; 5] = {
    let mut scores = [f32::NEG_INFINITY; 5];
    scores[ROLE_O] = 0.0;
    scores
};

/// How far from its cue a source or content may be looked for, in tokens.
const WINDOW: usize = 80;
/// How many sentences before and after the cue's own the role tagger looks at.
const SENTENCES: u32 = 1;

fn cue_allowed(prev: Option<usize>, label: usize) -> bool {
    label != CUE_I || matches!(prev, Some(CUE_B | CUE_I))
}

fn role_allowed(prev: Option<usize>, label: usize) -> bool {
    match label {
        ROLE_IS => matches!(prev, Some(ROLE_BS | ROLE_IS)),
        ROLE_IC => matches!(prev, Some(ROLE_BC | ROLE_IC)),
        _ => true,
    }
}

/// Decoder states of the role tagger at run time: O, BS, IS, BC, IC before or within the one
/// source run, then O, BC, IC after it (a source is one mention).
const ONE_SOURCE_LABELS: [usize; 8] = [ROLE_O, ROLE_BS, ROLE_IS, ROLE_BC, ROLE_IC, ROLE_O, ROLE_BC, ROLE_IC];

fn one_source_allowed(prev: Option<usize>, state: usize) -> bool {
    match prev {
        None => matches!(state, 0 | 1 | 3),
        Some(0 | 3 | 4) => matches!(state, 0 | 1 | 3) || (state == 4 && prev != Some(0)),
        Some(1 | 2) => matches!(state, 2 | 5 | 6),
        Some(5..=7) => matches!(state, 5 | 6) || (state == 7 && prev != Some(5)),
        Some(_) => false,
    }
}

/// A table of classes (`pos_classes.tsv`, `dep_classes.tsv`): rows `label<TAB>class`, class ids in
/// order of first appearance.
pub(crate) struct ClassTable {
    /// Label → class id.
    pub ids: rustc_hash::FxHashMap<&'static str, usize>,
    /// Class names in id order.
    pub names: Vec<&'static str>,
}

impl ClassTable {
    fn parse(tsv: &'static str) -> ClassTable {
        let mut table = ClassTable {
            ids: Default::default(),
            names: Vec::new(),
        };
        for line in tsv.lines().filter(|l| !l.starts_with('#')) {
            let Some((label, class)) = line.split_once('\t') else {
                continue;
            };
            let id = table.names.iter().position(|n| *n == class).unwrap_or_else(|| {
                table.names.push(class);
                table.names.len() - 1
            });
            table.ids.insert(label, id);
        }
        table
    }
}

/// What the model was trained with, recorded in the model file.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ModelInfo {
    /// Model format and feature set version.
    pub version: u32,
    /// Training passes.
    pub epochs: usize,
    /// Shuffling seed.
    pub seed: u64,
    /// Hash table size (log2) of the cue tagger.
    pub cue_bits: u32,
    /// Hash table size (log2) of the role tagger.
    pub role_bits: u32,
    /// Number of training documents.
    pub documents: usize,
    /// Number of training attributions.
    pub attributions: usize,
    /// Where the training data came from (file name and split).
    pub data: String,
    /// Hash table size (log2) of the part-of-speech tagger.
    #[serde(default)]
    pub pos_bits: u32,
    /// Number of documents with silver part-of-speech tags it was trained on (0: no such tagger,
    /// every token gets class 0).
    #[serde(default)]
    pub pos_documents: usize,
    /// Hash table size (log2) of the dependency parser.
    #[serde(default)]
    pub parse_bits: u32,
    /// Number of sentences with silver trees the parser was trained on (0: no parser, no trees).
    #[serde(default)]
    pub parse_sentences: usize,
    /// A fingerprint of what training read of its documents besides their annotations and silver
    /// reading (`train::reading_fingerprint`): the tokens, the lexicon's classes, what the rules
    /// found. Empty in models made before it was recorded.
    #[serde(default)]
    pub reading: String,
    /// The encoder layer whose hidden states the contextual probes read (0: no contextual layer;
    /// `context.rs`).
    #[serde(default)]
    pub context_layer: usize,
    /// The fingerprint of the encoder the probes were trained on (`Encoder::fingerprint`): an
    /// encoder with another is refused.
    #[serde(default)]
    pub encoder: String,
}

/// The taggers: part of speech and dependency trees, then cues, then the roles around each cue.
#[derive(Debug, Clone, PartialEq)]
pub struct Tagger {
    /// Training provenance.
    pub info: ModelInfo,
    pos: Perceptron,
    parser: Perceptron,
    labeler: Perceptron,
    cue: Perceptron,
    role: Perceptron,
    /// The contextual probes (`--model accurate`), with the encoder they read.
    context: Option<context::Probes>,
    encoder: Attached,
}

/// The encoder a model with contextual probes runs with: a resource given at run time
/// (`Tagger::attach`), not part of the model, so two models are equal whatever is attached.
#[derive(Clone, Default)]
struct Attached(Option<std::sync::Arc<encoder::Encoder>>);

impl PartialEq for Attached {
    fn eq(&self, _: &Attached) -> bool {
        true
    }
}

impl std::fmt::Debug for Attached {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "encoder attached"
        } else {
            "no encoder"
        })
    }
}

/// One attribution found by the tagger, as token ranges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tagged {
    pub cue: Range<usize>,
    pub source: Vec<Range<usize>>,
    pub content: Vec<Range<usize>>,
}

/// Runs of `labels` (offset by `base`) that start with `begin` and continue with `inside`.
fn runs(labels: &[usize], base: usize, begin: usize, inside: usize) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for (k, &l) in labels.iter().enumerate() {
        if l == begin {
            out.push(base + k..base + k + 1);
        } else if l == inside
            && let Some(last) = out.last_mut()
            && last.end == base + k
        {
            last.end += 1;
        }
    }
    out
}

static DEFAULT: LazyLock<Option<Tagger>> =
    LazyLock::new(|| Tagger::from_bytes(include_bytes!("../../../models/fast.ctm")).ok());

static ACCURATE: LazyLock<Option<Tagger>> =
    LazyLock::new(|| Tagger::from_bytes(include_bytes!("../../../models/accurate.ctm")).ok());

impl Tagger {
    /// The model shipped in the binary (`models/fast.ctm`), if it loads.
    pub fn shipped() -> Option<&'static Tagger> {
        DEFAULT.as_ref()
    }

    /// The accurate model shipped in the binary (`models/accurate.ctm`, `make accurate-model`), if
    /// it loads: the fast model's recipe with a contextual layer, which needs its encoder
    /// attached (`attach`) before it extracts as measured.
    pub fn accurate() -> Option<&'static Tagger> {
        ACCURATE.as_ref()
    }

    /// A short hash of the model's bytes: which model extracted a stored article.
    pub fn fingerprint(&self) -> String {
        crate::model::hex_prefix(&self.to_bytes(), 12)
    }

    /// Whether the model reads a BERT encoder's hidden states (`--model accurate`): it then needs
    /// one attached (`attach`) to extract as it was trained to.
    pub fn needs_encoder(&self) -> bool {
        self.context.is_some()
    }

    /// Gives the model the encoder its contextual probes were trained on; an encoder with another
    /// fingerprint or width is refused.
    pub fn attach(&mut self, encoder: std::sync::Arc<encoder::Encoder>) -> Result<(), ModelError> {
        if self
            .context
            .as_ref()
            .is_some_and(|probes| probes.dim() != encoder.dim())
        {
            return Err(ModelError::new(format!(
                "the model's probes read vectors of another width than this encoder's {}",
                encoder.dim()
            )));
        }
        if encoder.fingerprint() != self.info.encoder {
            return Err(ModelError::new(format!(
                "the model was trained on encoder {}, this encoder is {}",
                self.info.encoder,
                encoder.fingerprint()
            )));
        }
        self.encoder = Attached(Some(encoder));
        Ok(())
    }

    /// The token values of a document for this model's taggers. A model with contextual probes
    /// and no encoder attached reads the document without them.
    pub(crate) fn features(&self, analysis: &Analysis, text: &str, rules: &crate::extract::Extraction) -> DocFeatures {
        let codes = match (&self.context, &self.encoder.0) {
            (Some(probes), Some(encoder)) => {
                Some(probes.codes(&encoder.token_vectors(analysis, text, self.info.context_layer)))
            }
            _ => None,
        };
        let layers = features::Layers {
            pos: (self.info.pos_documents > 0).then_some(&self.pos),
            parser: (self.info.parse_sentences > 0).then_some((&self.parser, &self.labeler)),
            context: codes.as_deref(),
        };
        DocFeatures::new(analysis, text, crate::extract::Lexicon::get(), Some(rules), layers)
    }

    /// Finds attributions in the token ranges `blocks` of a document.
    pub(crate) fn tag(&self, features: &DocFeatures, blocks: &[Range<usize>]) -> Vec<Tagged> {
        let mut scratch = Scratch::default();
        let mut emissions = Vec::new();
        let mut labels = Vec::new();
        let mut found = Vec::new();
        for block in blocks {
            emissions.clear();
            let fill = |k: usize, out: &mut Vec<u64>| features.cue_features(block.start + k, block, out);
            self.cue.emit_all::<3>(block.len(), fill, &mut scratch, &mut emissions);
            self.cue.viterbi(&emissions, cue_allowed, &mut labels);
            for cue in runs(&labels, block.start, CUE_B, CUE_I) {
                let (source, content) = self.roles(features, block, &cue, &mut scratch, &mut emissions, &mut labels);
                if !content.is_empty() {
                    found.push(Tagged { cue, source, content });
                }
            }
        }
        found
    }

    /// The source and content runs of one cue.
    fn roles(
        &self,
        features: &DocFeatures,
        block: &Range<usize>,
        cue: &Range<usize>,
        scratch: &mut Scratch,
        emissions: &mut Vec<f32>,
        labels: &mut Vec<usize>,
    ) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
        let window = role_window(features, block, cue);
        let cue_word = features.word(cue.start);
        emissions.clear();
        let fill = |k: usize, out: &mut Vec<u64>| {
            let i = window.start + k;
            if !cue.contains(&i) {
                features.role_features(i, cue, cue_word, out);
            }
        };
        self.role.emit_all::<5>(window.len(), fill, scratch, emissions);
        // The cue's own tokens can only be O.
        for i in cue.start.max(window.start)..cue.end.min(window.end) {
            let k = (i - window.start) * 5;
            emissions[k..k + 5].copy_from_slice(&ONLY_O);
        }
        self.role
            .decode(emissions, &ONE_SOURCE_LABELS, one_source_allowed, labels);
        (
            runs(labels, window.start, ROLE_BS, ROLE_IS),
            runs(labels, window.start, ROLE_BC, ROLE_IC),
        )
    }
}

/// The tokens around a cue where its source and content are looked for: the cue's sentence and
/// its neighbours (within the block and at most `WINDOW` tokens away).
fn role_window(features: &DocFeatures, block: &Range<usize>, cue: &Range<usize>) -> Range<usize> {
    let sentences = features.sentence_window(cue.start, SENTENCES);
    let start = block.start.max(cue.start.saturating_sub(WINDOW)).max(sentences.start);
    let end = block.end.min(cue.end + WINDOW).min(sentences.end);
    start..end.max(cue.end)
}

/// The token ranges of a document's body blocks (where claims are looked for).
pub(crate) fn body_blocks(analysis: &Analysis) -> Vec<Range<usize>> {
    tagged_blocks(analysis, true)
}

/// The longest token run tagged as one sequence: a longer block (a 100 MB line is one paragraph)
/// is cut at sentence ends, so that decoding memory stays bounded.
const MAX_BLOCK: usize = 2_000;

/// The token ranges the taggers run over: blocks (body blocks only with `body_only`), with any
/// block longer than `MAX_BLOCK` tokens cut at sentence ends (or, for a sentence longer than that,
/// anywhere).
pub(crate) fn tagged_blocks(analysis: &Analysis, body_only: bool) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for block in &analysis.blocks {
        if block.tokens.is_empty() || (body_only && block.kind != crate::text::BlockKind::Body) {
            continue;
        }
        let mut start = block.tokens.start;
        for sentence in analysis.sentences.get(block.sentences.clone()).unwrap_or_default() {
            if sentence.tokens.end - start > MAX_BLOCK && sentence.tokens.start > start {
                out.push(start..sentence.tokens.start);
                start = sentence.tokens.start;
            }
            while sentence.tokens.end - start > MAX_BLOCK {
                out.push(start..start + MAX_BLOCK);
                start += MAX_BLOCK;
            }
        }
        if start < block.tokens.end {
            out.push(start..block.tokens.end);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::analyze;

    fn check_cover(analysis: &Analysis, blocks: &[Range<usize>]) {
        assert!(
            blocks.iter().all(|b| !b.is_empty() && b.len() <= MAX_BLOCK),
            "{blocks:?}"
        );
        assert!(blocks.windows(2).all(|w| w[0].end <= w[1].start));
        let covered: usize = blocks.iter().map(ExactSizeIterator::len).sum();
        assert_eq!(covered, analysis.tokens.len());
    }

    #[test]
    fn long_paragraphs_are_cut_at_sentence_ends() {
        let text = "The minister said the talks would resume on Monday. ".repeat(500);
        let analysis = analyze(&text);
        assert!(analysis.tokens.len() > 2 * MAX_BLOCK);
        let blocks = tagged_blocks(&analysis, true);
        check_cover(&analysis, &blocks);
        let starts: Vec<usize> = analysis.sentences.iter().map(|s| s.tokens.start).collect();
        assert!(
            blocks.iter().all(|b| starts.contains(&b.start)),
            "cut inside a sentence"
        );
    }

    #[test]
    fn the_role_decoder_keeps_one_source_run() {
        // Emissions that favour two separate source runs (tokens 0 and 3) and a content (5–6).
        let model = Perceptron::new(4, 5);
        let mut emissions = Vec::new();
        for best in [ROLE_BS, ROLE_O, ROLE_O, ROLE_BS, ROLE_O, ROLE_BC, ROLE_IC] {
            let mut scores = [0.0f32; 5];
            scores[best] = if best == ROLE_BS && emissions.is_empty() {
                2.0
            } else {
                1.0
            };
            emissions.extend_from_slice(&scores);
        }
        let mut free = Vec::new();
        model.viterbi(&emissions, role_allowed, &mut free);
        assert_eq!(runs(&free, 0, ROLE_BS, ROLE_IS).len(), 2);
        let mut labels = Vec::new();
        model.decode(&emissions, &ONE_SOURCE_LABELS, one_source_allowed, &mut labels);
        assert_eq!(runs(&labels, 0, ROLE_BS, ROLE_IS), vec![0..1], "{labels:?}");
        assert_eq!(runs(&labels, 0, ROLE_BC, ROLE_IC), vec![5..7], "{labels:?}");
    }

    #[test]
    fn a_sentence_longer_than_a_block_is_cut_anywhere() {
        let text = "word ".repeat(3 * MAX_BLOCK);
        let analysis = analyze(&text);
        let blocks = tagged_blocks(&analysis, true);
        check_cover(&analysis, &blocks);
        assert_eq!(blocks.len(), 3);
    }
}
