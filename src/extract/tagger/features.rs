//! Features of the taggers, hashed on the fly (no strings are built on the hot path).
//!
//! Per document, every token gets a few precomputed values (word hash, affixes, shape, quotation
//! state, lexicon class, what the rules said); the templates combine them.

use super::parse;
use super::perceptron::Perceptron;
use crate::extract::Extraction;
use crate::extract::lexicon::{CueClass, Lexicon};
use crate::text::{Analysis, TokenKind};
use rustc_hash::FxHashMap;
use std::ops::Range;
use std::sync::LazyLock;

/// Brown clusters of English words (`clusters.tsv`): the word's hash (`hash_str`) → cluster path,
/// root first from the lowest bit, so that the low `k` bits are the path's first `k` steps. Keyed
/// by the hash every token's features compute anyway: a lookup compares no string (no two words of
/// the table share a hash, `the_cluster_table_loads_whole_and_groups_words_by_use`).
static CLUSTERS: LazyLock<FxHashMap<u64, u32>> = LazyLock::new(|| {
    include_str!("clusters.tsv")
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let (word, path) = line.split_once('\t')?;
            Some((hash_str(word), path.parse().ok()?))
        })
        .collect()
});

/// The cluster path of a lowercase word (0: not in the table).
#[cfg(test)]
pub(crate) fn cluster(norm: &str) -> u32 {
    cluster_of_hash(hash_str(norm))
}

/// The cluster path of the word whose `hash_str` is `hash` (0: not in the table).
fn cluster_of_hash(hash: u64) -> u32 {
    CLUSTERS.get(&hash).copied().unwrap_or(0)
}

/// The first `bits` steps of a cluster path.
#[inline]
fn path_prefix(path: u64, bits: u32) -> u64 {
    path & ((1u64 << bits) - 1)
}

/// FNV-1a over bytes: the fixed hash of a string part.
#[inline]
pub(crate) fn hash_str(s: &str) -> u64 {
    fnv(FNV_OFFSET, s.as_bytes())
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a: `h` continued over `bytes`.
#[inline]
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Combines a template id with values into a feature hash.
#[inline]
pub(crate) fn feature(template: u64, values: &[u64]) -> u64 {
    let mut h = template.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x5851_f42d_4c95_7f2d;
    for &v in values {
        h = (h ^ v).wrapping_mul(0x0100_0000_01b3).rotate_left(29);
    }
    h
}

/// What the rule-based extractor said of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum RuleRole {
    None = 0,
    Cue = 1,
    Source = 2,
    Content = 3,
}

/// Quotation state of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum QuoteState {
    Outside = 0,
    Inside = 1,
    Open = 2,
    Close = 3,
}

/// Per-token values of one document.
pub(crate) struct DocFeatures {
    pub n: usize,
    word: Vec<u64>,
    suffix3: Vec<u64>,
    suffix2: Vec<u64>,
    prefix3: Vec<u64>,
    stem: Vec<u64>,
    /// Brown cluster path (`cluster`).
    cluster: Vec<u64>,
    /// Predicate classes (`predicates.tsv`) as a bit set.
    predicate: Vec<u64>,
    shape: Vec<u64>,
    cue_class: Vec<u64>,
    quote: Vec<u64>,
    sentence: Vec<u32>,
    /// Block (paragraph, heading) of each token: context features never cross a block.
    block: Vec<u32>,
    /// Token range of each sentence.
    sentence_tokens: Vec<Range<usize>>,
    sentence_edge: Vec<u64>,
    capital: Vec<bool>,
    punct: Vec<bool>,
    pub rule_role: Vec<RuleRole>,
    /// The rule attribution a token belongs to (`u32::MAX` for none).
    pub rule_attribution: Vec<u32>,
    /// Prefix counts (index k counts tokens before k) of commas, quotation marks and cue starts.
    commas: Vec<u32>,
    quotes: Vec<u32>,
    cues: Vec<u32>,
    /// Part-of-speech class (`pos.rs`) of each token.
    tag: Vec<u64>,
    /// Head of each token in the dependency layer's trees (`parse.rs`; `NO_HEAD` for a root).
    head: Vec<u32>,
    /// Relation of each token to its head (`ROOTED` for a root).
    relation: Vec<u64>,
    /// The relations of each token's children, as a bit set over the classes `GOVERNED`.
    governs: Vec<u64>,
    /// Whether the trees come from a parser: without one, the dependency features are left out
    /// (the model has no weights for them).
    trees: bool,
    /// The contextual probes' code of each token (`context.rs`; empty without that layer).
    context: Vec<u64>,
}

/// The syntactic layers a document's features are computed with (each absent in a model without
/// it: then every token gets class 0, or no head).
#[derive(Clone, Copy, Default)]
pub(crate) struct Layers<'a> {
    /// The part-of-speech tagger.
    pub pos: Option<&'a Perceptron>,
    /// The dependency parser and its relation classifier.
    pub parser: Option<(&'a Perceptron, &'a Perceptron)>,
    /// The contextual probes' code of each token (`context.rs`).
    pub context: Option<&'a [u64]>,
}

/// The relation value of a root.
const ROOTED: u64 = parse::RELATIONS as u64;

/// The relations whose presence among a token's children is a feature: a subject, a passive
/// subject, a clausal or open complement, an object, a complementizer, an agent, a preposition.
static GOVERNED: LazyLock<[usize; 8]> = LazyLock::new(|| {
    ["nsubj", "nsubjpass", "ccomp", "xcomp", "dobj", "mark", "agent", "prep"].map(parse::relation_named)
});

/// What the parser sees: the stack's top two tokens, the buffer's first three, and the
/// attachments made so far around them.
pub(crate) struct ParserView {
    pub s0: Option<usize>,
    pub s1: Option<usize>,
    pub b0: Option<usize>,
    pub b1: Option<usize>,
    pub b2: Option<usize>,
    pub s0_head: Option<usize>,
    pub s0_left: Option<usize>,
    pub s0_right: Option<usize>,
    pub b0_left: Option<usize>,
    pub s0_children: u32,
    pub s0_attached: bool,
}

/// The word's shape: each character's class (`X` upper, `x` lower, `d` digit, itself otherwise)
/// with repeats collapsed, four classes at most ("McCain" → "XxXx"), hashed with the token kind.
fn shape_of(surface: &str, kind: TokenKind) -> u64 {
    // The shape's UTF-8 bytes are hashed as they are made (no string is built).
    let mut h = FNV_OFFSET;
    let (mut last, mut count) = (' ', 0);
    for c in surface.chars() {
        let class = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if class != last {
            let mut utf8 = [0u8; 4];
            h = fnv(h, class.encode_utf8(&mut utf8).as_bytes());
            count += class.len_utf8();
            last = class;
        }
        if count >= 4 {
            break;
        }
    }
    h ^ (kind as u64)
}

/// The hash of the last (`suffix`) or first `n` characters of `norm` (all of it when shorter).
fn affix(norm: &str, n: usize, suffix: bool) -> u64 {
    let cut = if suffix {
        norm.char_indices().rev().nth(n - 1).map_or(0, |(at, _)| at)
    } else {
        norm.char_indices().nth(n).map_or(norm.len(), |(at, _)| at)
    };
    hash_str(if suffix { &norm[cut..] } else { &norm[..cut] })
}

/// A crude stem: the word without a common inflectional ending ("supporting", "supported",
/// "supports" → "support"), so that rare forms share what frequent ones learned.
fn stem(norm: &str) -> &str {
    for ending in ["ing", "ed", "es", "s"] {
        if let Some(stem) = norm.strip_suffix(ending)
            && stem.len() >= 3
        {
            return stem;
        }
    }
    norm
}

impl DocFeatures {
    /// Precomputes the token values of `analysis`, with the rule-based `extraction` as evidence and
    /// the tags and trees of the syntactic `layers`.
    pub fn new(
        analysis: &Analysis,
        text: &str,
        lexicon: &Lexicon,
        extraction: Option<&Extraction>,
        layers: Layers<'_>,
    ) -> DocFeatures {
        let n = analysis.tokens.len();
        let mut f = DocFeatures {
            n,
            word: Vec::with_capacity(n),
            suffix3: Vec::with_capacity(n),
            suffix2: Vec::with_capacity(n),
            prefix3: Vec::with_capacity(n),
            stem: Vec::with_capacity(n),
            cluster: Vec::with_capacity(n),
            predicate: Vec::with_capacity(n),
            shape: Vec::with_capacity(n),
            cue_class: vec![0; n],
            quote: vec![QuoteState::Outside as u64; n],
            sentence: vec![0; n],
            block: vec![u32::MAX; n],
            sentence_tokens: analysis.sentences.iter().map(|s| s.tokens.clone()).collect(),
            sentence_edge: vec![0; n],
            capital: Vec::with_capacity(n),
            punct: Vec::with_capacity(n),
            rule_role: vec![RuleRole::None; n],
            rule_attribution: vec![u32::MAX; n],
            commas: Vec::with_capacity(n + 1),
            quotes: Vec::with_capacity(n + 1),
            cues: Vec::with_capacity(n + 1),
            tag: Vec::new(),
            head: vec![parse::NO_HEAD; n],
            relation: vec![ROOTED; n],
            governs: vec![0; n],
            trees: false,
            context: layers
                .context
                .filter(|c| c.len() == n)
                .map(<[u64]>::to_vec)
                .unwrap_or_default(),
        };
        for token in &analysis.tokens {
            let norm = analysis.norm(token);
            let word = hash_str(norm);
            f.word.push(word);
            f.suffix3.push(affix(norm, 3, true));
            f.suffix2.push(affix(norm, 2, true));
            f.prefix3.push(affix(norm, 3, false));
            f.stem.push(hash_str(stem(norm)));
            f.cluster.push(u64::from(cluster_of_hash(word)));
            f.predicate.push(u64::from(lexicon.predicate_classes(norm)));
            f.shape.push(shape_of(token.span.text(text), token.kind));
            f.capital.push(token.capitalized);
            f.punct.push(token.kind == TokenKind::Punct);
        }
        let block_ends = analysis.blocks.iter().map(|b| b.tokens.end.min(n));
        let by_block = analysis.blocks.iter().map(|b| b.tokens.start.min(n)).zip(block_ends);
        for i in by_block.flat_map(|(start, end)| (start..end).map(move |i| (i, end))) {
            let (i, end) = i;
            if let Some((len, form)) = lexicon.cue_forms.longest(analysis, text, i, end) {
                let class = match lexicon.cue(*form).map(|c| c.class) {
                    Some(CueClass::Verb) if form.ing => 2,
                    Some(CueClass::Verb) => 1,
                    Some(CueClass::Adverb) => 3,
                    Some(CueClass::Prep) => 4,
                    None => 0,
                };
                for k in i..i + len {
                    f.cue_class[k] = class * 2 + u64::from(k > i);
                }
            }
        }
        for q in analysis.quotes.iter().filter(|q| q.depth == 0) {
            let end = q.close_token.min(n);
            for k in q.open_token + 1..end {
                f.quote[k] = QuoteState::Inside as u64;
            }
            if q.open_token < n {
                f.quote[q.open_token] = QuoteState::Open as u64;
            }
            if q.closed && q.close_token < n {
                f.quote[q.close_token] = QuoteState::Close as u64;
            }
        }
        for (b_idx, b) in analysis.blocks.iter().enumerate() {
            for k in b.tokens.clone().filter(|&k| k < n) {
                f.block[k] = b_idx as u32;
            }
        }
        for (s_idx, s) in analysis.sentences.iter().enumerate() {
            for k in s.tokens.clone() {
                f.sentence[k] = s_idx as u32;
            }
            if s.tokens.start < n {
                f.sentence_edge[s.tokens.start] = 1;
            }
            if let Some(last) = s.tokens.end.checked_sub(1).filter(|&l| l < n) {
                f.sentence_edge[last] |= 2;
            }
        }
        let comma = hash_str(",");
        let (mut c, mut q, mut k) = (0u32, 0u32, 0u32);
        for i in 0..n {
            f.commas.push(c);
            f.quotes.push(q);
            f.cues.push(k);
            c += u32::from(f.punct[i] && f.word[i] == comma);
            q += u32::from(f.quote[i] == QuoteState::Open as u64 || f.quote[i] == QuoteState::Close as u64);
            k += u32::from(f.cue_class[i] != 0 && f.cue_class[i] % 2 == 0);
        }
        f.commas.push(c);
        f.quotes.push(q);
        f.cues.push(k);
        if let Some(extraction) = extraction {
            for (a_idx, a) in extraction.attributions.iter().enumerate() {
                let mut mark = |span: &crate::text::Span, role: RuleRole| {
                    let tokens = analysis.tokens_of(span);
                    for k in tokens.start..tokens.end.min(n) {
                        f.rule_role[k] = role;
                        f.rule_attribution[k] = a_idx as u32;
                    }
                };
                for frag in a.content.fragments() {
                    mark(frag, RuleRole::Content);
                }
                if let Some(s) = &a.source
                    && s.antecedent.is_none()
                {
                    mark(&s.span, RuleRole::Source);
                }
                mark(&a.cue, RuleRole::Cue);
            }
        }
        f.tag = match layers.pos {
            Some(model) => super::pos::tag_all(model, &f),
            None => vec![0; n],
        };
        if let Some((parser, labeler)) = layers.parser {
            let trees = parse::parse(parser, labeler, &f);
            f.set_trees(&trees);
        }
        f
    }

    /// Folds into `hash` the token values that no trained layer gives (words, affixes, shapes,
    /// clusters, the lexicon's classes, quotation state, sentences and blocks, what the rules
    /// found): what a model trained on the document read of it besides its annotations and its
    /// silver reading.
    pub fn fold_reading(&self, hash: &mut u64) {
        let columns = [
            &self.word,
            &self.suffix3,
            &self.suffix2,
            &self.prefix3,
            &self.stem,
            &self.cluster,
            &self.predicate,
            &self.shape,
            &self.cue_class,
            &self.quote,
            &self.sentence_edge,
        ];
        for i in 0..self.n {
            let mut values = columns.map(|column| column[i]);
            values[0] ^= u64::from(self.sentence[i]) << 32 | u64::from(self.block[i]);
            values[1] ^= (self.rule_role[i] as u64) << 32 | u64::from(self.rule_attribution[i]);
            values[2] ^= u64::from(self.capital[i]) | u64::from(self.punct[i]) << 1;
            *hash = feature(*hash, &values);
        }
    }

    /// Takes the dependency trees of the document.
    fn set_trees(&mut self, trees: &parse::Trees) {
        self.trees = true;
        self.head.clone_from(&trees.head);
        for (k, &h) in trees.head.iter().enumerate() {
            if h == parse::NO_HEAD {
                self.relation[k] = ROOTED;
                continue;
            }
            let relation = usize::from(trees.relation[k]);
            self.relation[k] = relation as u64;
            if let Some(bit) = GOVERNED.iter().position(|&g| g == relation)
                && let Some(governs) = self.governs.get_mut(h as usize)
            {
                *governs |= 1 << bit;
            }
        }
    }

    /// The sentences' token ranges.
    pub(crate) fn sentences(&self) -> &[Range<usize>] {
        &self.sentence_tokens
    }

    /// `column`'s value at token `center + offset`, or a boundary marker when that token lies
    /// outside `center`'s block.
    #[inline]
    fn at(&self, column: &[u64], center: usize, offset: isize) -> u64 {
        Self::value_at(column, self.neighbour(center, offset))
    }

    /// Token `center + offset` if it lies in the same block as `center`.
    #[inline]
    pub(crate) fn neighbour(&self, center: usize, offset: isize) -> Option<usize> {
        let k = center.checked_add_signed(offset).filter(|&k| k < self.n)?;
        (self.block[k] == self.block[center]).then_some(k)
    }

    /// The cue tagger's features of token `i` (within `block`), appended to `out`.
    pub fn cue_features(&self, i: usize, block: &Range<usize>, out: &mut Vec<u64>) {
        let w0 = self.word[i];
        let (wm1, wp1) = (self.at(&self.word, i, -1), self.at(&self.word, i, 1));
        let (wm2, wp2) = (self.at(&self.word, i, -2), self.at(&self.word, i, 2));
        let edge = u64::from(i == block.start) | (u64::from(i + 1 == block.end) << 1);
        out.push(feature(1, &[]));
        out.push(feature(2, &[w0]));
        out.push(feature(3, &[wm1]));
        out.push(feature(4, &[wp1]));
        out.push(feature(5, &[wm2]));
        out.push(feature(6, &[wp2]));
        out.push(feature(7, &[wm1, w0]));
        out.push(feature(8, &[w0, wp1]));
        out.push(feature(9, &[self.suffix3[i]]));
        out.push(feature(10, &[self.suffix2[i]]));
        out.push(feature(11, &[self.prefix3[i]]));
        out.push(feature(12, &[self.shape[i]]));
        out.push(feature(
            13,
            &[self.at(&self.shape, i, -1), self.shape[i], self.at(&self.shape, i, 1)],
        ));
        out.push(feature(14, &[self.cue_class[i], u64::from(self.capital[i])]));
        out.push(feature(15, &[self.rule_role[i] as u64]));
        out.push(feature(16, &[self.quote[i]]));
        out.push(feature(17, &[w0, self.quote[i]]));
        out.push(feature(18, &[self.sentence_edge[i], edge]));
        out.push(feature(19, &[self.cue_class[i], wp1]));
        out.push(feature(20, &[self.cue_class[i], self.quote_near(i)]));
        out.push(feature(21, &[wm1, self.cue_class[i]]));
        out.push(feature(22, &[self.rule_role[i] as u64, w0]));
        out.push(feature(23, &[self.stem[i]]));
        out.push(feature(24, &[self.stem[i], wp1]));
        out.push(feature(25, &[wm1, w0, wp1]));
        out.push(feature(26, &[wp1, wp2]));
        out.push(feature(
            27,
            &[
                self.stem[i],
                self.at(&self.cue_class, i, -1),
                self.at(&self.cue_class, i, 1),
            ],
        ));
        out.push(feature(28, &[self.at(&self.shape, i, -1), self.stem[i]]));
        let (pm1, p0, pp1) = (
            self.at(&self.predicate, i, -1),
            self.predicate[i],
            self.at(&self.predicate, i, 1),
        );
        out.push(feature(29, &[p0]));
        out.push(feature(30, &[p0, wp1]));
        out.push(feature(31, &[wm1, p0]));
        out.push(feature(32, &[pm1, p0, pp1]));
        out.push(feature(33, &[p0, self.at(&self.shape, i, -1), self.quote_near(i)]));
        let sentence = self
            .sentence_tokens
            .get(self.sentence[i] as usize)
            .cloned()
            .unwrap_or(i..i + 1);
        let (from_start, to_end) = (
            bucket(i.saturating_sub(sentence.start)),
            bucket(sentence.end.saturating_sub(i + 1)),
        );
        let quoted = u64::from(self.quotes[sentence.end.min(self.n)] > self.quotes[sentence.start.min(self.n)]);
        out.push(feature(34, &[from_start, to_end, p0.min(1)]));
        out.push(feature(35, &[self.stem[i], from_start.min(3), quoted]));
        out.push(feature(
            36,
            &[self.at(&self.shape, i, -2), self.at(&self.shape, i, -1), p0],
        ));
        let c0 = self.cluster[i];
        out.push(feature(37, &[c0]));
        out.push(feature(39, &[path_prefix(c0, 8)]));
        out.push(feature(44, &[path_prefix(c0, 12), wp1]));
        out.push(feature(46, &[path_prefix(c0, 8), p0]));
        let (tm1, t0, tp1) = (self.at(&self.tag, i, -1), self.tag[i], self.at(&self.tag, i, 1));
        out.push(feature(60, &[t0]));
        out.push(feature(61, &[tm1, t0]));
        out.push(feature(62, &[t0, tp1]));
        out.push(feature(63, &[tm1, t0, tp1]));
        out.push(feature(64, &[t0, self.stem[i]]));
        out.push(feature(65, &[t0, p0]));
        if !self.context.is_empty() {
            let cue = |k: Option<usize>| k.map_or(0xf, |k| super::context::tenths(self.context[k], 0));
            let c0 = super::context::tenths(self.context[i], 0);
            out.push(feature(80, &[c0]));
            out.push(feature(81, &[c0, p0]));
            out.push(feature(82, &[cue(self.neighbour(i, -1)), c0]));
            out.push(feature(83, &[c0, cue(self.neighbour(i, 1))]));
            out.push(feature(84, &[c0, t0]));
            out.push(feature(85, &[self.context[i]]));
        }
        if !self.trees {
            return;
        }
        let (rel, governs) = (self.relation[i], self.governs[i]);
        let head_tag = self
            .head
            .get(i)
            .and_then(|&h| self.tag.get(h as usize))
            .copied()
            .unwrap_or(ROOTED);
        out.push(feature(70, &[rel]));
        out.push(feature(71, &[rel, t0]));
        out.push(feature(72, &[governs]));
        out.push(feature(73, &[governs, t0]));
        out.push(feature(74, &[governs, self.stem[i]]));
        out.push(feature(75, &[rel, head_tag]));
        out.push(feature(76, &[governs & 0x0f, rel, p0]));
    }

    /// `column`'s value at token `k`, or the boundary marker of `at` for no token.
    fn value_at(column: &[u64], k: Option<usize>) -> u64 {
        k.map_or(0x0b0e, |k| column[k])
    }

    /// The parser's features of a state.
    pub fn parse_features(&self, v: &ParserView, out: &mut Vec<u64>) {
        let word = |k| Self::value_at(&self.word, k);
        let tag = |k| Self::value_at(&self.tag, k);
        let (s0w, s0t) = (word(v.s0), tag(v.s0));
        let (b0w, b0t) = (word(v.b0), tag(v.b0));
        let (b1t, b2t, s1t) = (tag(v.b1), tag(v.b2), tag(v.s1));
        let distance = match (v.s0, v.b0) {
            (Some(s), Some(b)) => bucket(b.saturating_sub(s)),
            _ => 10,
        };
        let cluster = |k: Option<usize>| k.map_or(0x0b0e, |k| path_prefix(self.cluster[k], 8));
        out.push(feature(300, &[]));
        out.push(feature(301, &[s0w]));
        out.push(feature(302, &[s0t]));
        out.push(feature(303, &[s0w, s0t]));
        out.push(feature(304, &[b0w]));
        out.push(feature(305, &[b0t]));
        out.push(feature(306, &[b0w, b0t]));
        out.push(feature(307, &[b1t]));
        out.push(feature(308, &[word(v.b1)]));
        out.push(feature(309, &[s0t, b0t]));
        out.push(feature(310, &[s0w, b0t]));
        out.push(feature(311, &[s0t, b0w]));
        out.push(feature(312, &[s0w, b0w]));
        out.push(feature(313, &[s0t, b0t, b1t]));
        out.push(feature(314, &[s1t, s0t, b0t]));
        out.push(feature(315, &[b0t, b1t, b2t]));
        out.push(feature(316, &[tag(v.s0_head), s0t, b0t]));
        out.push(feature(317, &[tag(v.s0_left), s0t, b0t]));
        out.push(feature(318, &[tag(v.s0_right), s0t, b0t]));
        out.push(feature(319, &[tag(v.b0_left), s0t, b0t]));
        out.push(feature(320, &[distance, s0t, b0t]));
        out.push(feature(321, &[distance, s0w]));
        out.push(feature(322, &[distance, b0w]));
        out.push(feature(323, &[u64::from(v.s0_children.min(4)), s0t]));
        out.push(feature(324, &[u64::from(v.s0_attached), s0t, b0t]));
        out.push(feature(325, &[cluster(v.s0), cluster(v.b0)]));
        out.push(feature(326, &[s0t, b0t, Self::value_at(&self.cue_class, v.s0)]));
        out.push(feature(327, &[s0w, s0t, b0w, b0t]));
        out.push(feature(328, &[s0w, s0t, b0t]));
        out.push(feature(329, &[s0t, b0w, b0t]));
        out.push(feature(330, &[b0w, word(v.b1)]));
        out.push(feature(331, &[word(v.s1), s0t]));
        out.push(feature(332, &[word(v.s0_head), s0t, b0t]));
        out.push(feature(333, &[cluster(v.b0), s0t]));
        out.push(feature(334, &[cluster(v.s0), b0t]));
        let commas = match (v.s0, v.b0) {
            (Some(s), Some(b)) if s < b => u64::from(self.commas[b] - self.commas[s + 1]).min(2),
            _ => 3,
        };
        out.push(feature(335, &[commas, s0t, b0t]));
    }

    /// The relation classifier's features of the arc from head `h` to dependent `d`.
    pub fn label_features(&self, d: usize, h: usize, out: &mut Vec<u64>) {
        let (dw, dt, hw, ht) = (self.word[d], self.tag[d], self.word[h], self.tag[h]);
        let dir = u64::from(d < h);
        let distance = bucket(d.abs_diff(h));
        out.push(feature(400, &[]));
        out.push(feature(401, &[dw]));
        out.push(feature(402, &[dt]));
        out.push(feature(403, &[ht]));
        out.push(feature(404, &[hw]));
        out.push(feature(405, &[dt, ht, dir]));
        out.push(feature(406, &[dw, ht, dir]));
        out.push(feature(407, &[dt, hw, dir]));
        out.push(feature(408, &[dt, ht, dir, distance]));
        out.push(feature(409, &[self.at(&self.tag, d, 1), dt, ht]));
        out.push(feature(410, &[self.at(&self.tag, d, -1), dt, ht]));
        out.push(feature(411, &[path_prefix(self.cluster[d], 8), ht, dir]));
        out.push(feature(412, &[dw, hw]));
        out.push(feature(413, &[self.predicate[h], dt, dir]));
    }

    /// The part-of-speech tagger's features of token `i`, the tags of the two tokens before it
    /// being `p1` and `p2`: the first `POS_BEFORE_TAGS` of `pos_word_features`, then
    /// `pos_tag_features`, then the rest.
    pub fn pos_features(&self, i: usize, p1: u64, p2: u64, out: &mut Vec<u64>) {
        let start = out.len();
        self.pos_word_features(i, out);
        let words = out.len();
        self.pos_tag_features(i, p1, p2, out);
        let tags = out.len() - words;
        out[start + POS_BEFORE_TAGS..].rotate_right(tags);
    }

    /// The part-of-speech tagger's features of token `i` that do not depend on the tags before it.
    pub fn pos_word_features(&self, i: usize, out: &mut Vec<u64>) {
        out.push(feature(200, &[]));
        out.push(feature(201, &[self.word[i]]));
        out.push(feature(202, &[self.suffix3[i]]));
        out.push(feature(203, &[self.suffix2[i]]));
        out.push(feature(204, &[self.prefix3[i]]));
        out.push(feature(205, &[self.shape[i]]));
        out.push(feature(206, &[self.cluster[i]]));
        out.push(feature(207, &[path_prefix(self.cluster[i], 6)]));
        out.push(feature(211, &[self.at(&self.word, i, -1)]));
        out.push(feature(212, &[self.at(&self.word, i, 1)]));
        out.push(feature(213, &[self.at(&self.word, i, -2)]));
        out.push(feature(214, &[self.at(&self.word, i, 2)]));
        out.push(feature(215, &[self.at(&self.suffix3, i, 1)]));
        out.push(feature(216, &[path_prefix(self.at(&self.cluster, i, 1), 8)]));
        out.push(feature(217, &[path_prefix(self.at(&self.cluster, i, -1), 8)]));
        out.push(feature(218, &[u64::from(self.capital[i]), self.sentence_edge[i]]));
    }

    /// The part-of-speech tagger's features of token `i` that read the tags `p1` and `p2` of the
    /// two tokens before it.
    pub fn pos_tag_features(&self, i: usize, p1: u64, p2: u64, out: &mut Vec<u64>) {
        out.push(feature(208, &[p1]));
        out.push(feature(209, &[p2, p1]));
        out.push(feature(210, &[p1, self.word[i]]));
    }

    /// A summary of quotation marks around token `i`: one closing just before, one opening just
    /// after, or inside.
    fn quote_near(&self, i: usize) -> u64 {
        let before = (1..=3)
            .filter_map(|d| self.neighbour(i, -d))
            .any(|k| self.quote[k] == QuoteState::Close as u64);
        let after = (1..=3)
            .filter_map(|d| self.neighbour(i, d))
            .any(|k| self.quote[k] == QuoteState::Open as u64);
        u64::from(before) | (u64::from(after) << 1) | ((self.quote[i] == QuoteState::Inside as u64) as u64) << 2
    }

    /// The role tagger's features of token `i` with respect to the cue `cue` (token range).
    pub fn role_features(&self, i: usize, cue: &Range<usize>, cue_word: u64, out: &mut Vec<u64>) {
        let between = self.between(i, cue);
        let (dir, dist) = if i < cue.start {
            (0u64, cue.start - i)
        } else if i >= cue.end {
            (2u64, i + 1 - cue.end)
        } else {
            (1u64, 0)
        };
        let bucket = bucket(dist);
        let w0 = self.word[i];
        let same_sentence = u64::from(self.sentence[i] == self.sentence[cue.start.min(self.n - 1)]);
        let rule_same = u64::from(
            self.rule_attribution[i] != u32::MAX
                && (cue.clone()).any(|k| self.rule_attribution[k] == self.rule_attribution[i]),
        );
        let rule = self.rule_role[i] as u64 * 2 + rule_same;
        out.push(feature(101, &[dir]));
        out.push(feature(102, &[dir, bucket]));
        out.push(feature(103, &[w0, dir]));
        out.push(feature(104, &[self.at(&self.word, i, -1), dir]));
        out.push(feature(105, &[self.at(&self.word, i, 1), dir]));
        out.push(feature(106, &[self.shape[i], dir, bucket]));
        out.push(feature(107, &[cue_word, dir]));
        out.push(feature(108, &[cue_word, dir, bucket]));
        out.push(feature(109, &[cue_word, w0, dir]));
        out.push(feature(110, &[same_sentence, dir, bucket.min(6)]));
        out.push(feature(111, &[self.quote[i], dir, same_sentence]));
        out.push(feature(112, &[between.commas.min(3), dir, same_sentence]));
        out.push(feature(113, &[between.cues.min(2), dir]));
        out.push(feature(114, &[rule, dir]));
        out.push(feature(115, &[rule, dir, bucket.min(4)]));
        out.push(feature(
            116,
            &[u64::from(self.capital[i]), u64::from(self.punct[i]), dir, bucket],
        ));
        out.push(feature(117, &[self.suffix3[i], dir]));
        out.push(feature(118, &[between.quotes.min(3), self.quote[i], dir]));
        out.push(feature(119, &[between.sentences.min(2), dir]));
        out.push(feature(120, &[self.cue_class[i], dir]));
        out.push(feature(121, &[self.sentence_edge[i], dir, same_sentence]));
        out.push(feature(122, &[w0, dir, bucket.min(3)]));
        let cue_predicate = self.predicate[cue.start.min(self.n - 1)];
        out.push(feature(123, &[cue_predicate, dir, bucket]));
        out.push(feature(
            124,
            &[cue_predicate, dir, same_sentence, between.commas.min(2)],
        ));
        out.push(feature(125, &[cue_predicate, self.quote[i], dir]));
        out.push(feature(126, &[self.at(&self.shape, i, -1), self.shape[i], dir]));
        out.push(feature(127, &[self.shape[i], self.at(&self.shape, i, 1), dir]));
        out.push(feature(128, &[w0, self.at(&self.word, i, 1), dir]));
        out.push(feature(129, &[self.at(&self.word, i, -1), w0, dir]));
        out.push(feature(130, &[self.predicate[i], dir, same_sentence]));
        out.push(feature(131, &[self.quote_near(i), dir, bucket.min(5)]));
        out.push(feature(132, &[path_prefix(self.cluster[i], 8), dir]));
        let cue_cluster = self.cluster[cue.start.min(self.n - 1)];
        out.push(feature(134, &[cue_cluster, dir]));
        out.push(feature(135, &[cue_cluster, dir, bucket]));
        out.push(feature(
            136,
            &[path_prefix(cue_cluster, 8), path_prefix(self.cluster[i], 8), dir],
        ));
        out.push(feature(140, &[self.tag[i], dir]));
        out.push(feature(141, &[self.at(&self.tag, i, -1), self.tag[i], dir]));
        out.push(feature(142, &[self.tag[i], self.at(&self.tag, i, 1), dir]));
        out.push(feature(143, &[self.tag[i], dir, bucket.min(5)]));
        if !self.context.is_empty() {
            let probe = |p| super::context::tenths(self.context[i], p);
            let (source, content) = (probe(1), probe(2));
            let (source_start, content_start, content_end) = (probe(3), probe(4), probe(5));
            out.push(feature(165, &[source_start, dir]));
            out.push(feature(166, &[content_start, dir, same_sentence]));
            out.push(feature(167, &[content_end, dir, same_sentence]));
            out.push(feature(168, &[content_start, content_end, dir, bucket.min(4)]));
            out.push(feature(160, &[source, dir]));
            out.push(feature(161, &[content, dir]));
            out.push(feature(162, &[source, content, dir, bucket.min(4)]));
            out.push(feature(163, &[source, self.tag[i], dir]));
            out.push(feature(164, &[content, same_sentence, dir]));
        }
        if !self.trees {
            return;
        }
        let (path, depth) = self.path_to(i, cue);
        out.push(feature(150, &[path, dir]));
        out.push(feature(151, &[path, depth.min(4), dir]));
        out.push(feature(152, &[path, self.relation[i], dir]));
        out.push(feature(153, &[self.relation[i], dir, same_sentence]));
        out.push(feature(154, &[path, cue_predicate, dir]));
    }

    /// How token `i` hangs from the cue in the dependency trees: the relation of the cue's child
    /// whose subtree holds `i` and how deep (the subject, the clausal complement…), `ANCESTOR` when
    /// `i` governs the cue, `UNRELATED` otherwise. Twelve steps at most either way.
    fn path_to(&self, i: usize, cue: &Range<usize>) -> (u64, u64) {
        const ANCESTOR: u64 = 100;
        const UNRELATED: u64 = 101;
        let (mut k, mut relation) = (i, self.relation[i]);
        for depth in 0..12 {
            let h = self.head[k];
            if h == parse::NO_HEAD {
                break;
            }
            if cue.contains(&(h as usize)) {
                return (relation, depth);
            }
            k = h as usize;
            relation = self.relation[k];
        }
        let mut k = cue.start;
        for depth in 0..12 {
            let h = self.head[k];
            if h == parse::NO_HEAD {
                break;
            }
            if h as usize == i {
                return (ANCESTOR, depth);
            }
            k = h as usize;
        }
        (UNRELATED, 0)
    }

    /// The tokens of the sentence holding token `i` and of `around` sentences either side.
    pub fn sentence_window(&self, i: usize, around: u32) -> Range<usize> {
        let Some(&own) = self.sentence.get(i) else {
            return 0..self.n;
        };
        let first = own.saturating_sub(around) as usize;
        let last = (own.saturating_add(around) as usize).min(self.sentence_tokens.len().saturating_sub(1));
        match (self.sentence_tokens.get(first), self.sentence_tokens.get(last)) {
            (Some(a), Some(b)) => a.start..b.end,
            _ => 0..self.n,
        }
    }

    /// The word hash of token `i`.
    pub fn word(&self, i: usize) -> u64 {
        self.word[i]
    }

    /// What lies strictly between token `i` and the cue.
    fn between(&self, i: usize, cue: &Range<usize>) -> Between {
        let (lo, hi) = if i < cue.start {
            (i + 1, cue.start)
        } else {
            (cue.end, i.max(cue.end))
        };
        let count = |v: &[u32]| u64::from(v[hi.max(lo)] - v[lo.min(hi)]);
        let anchor = cue.start.min(self.n.saturating_sub(1));
        Between {
            commas: count(&self.commas),
            quotes: count(&self.quotes),
            cues: count(&self.cues),
            sentences: u64::from(self.sentence[i].abs_diff(self.sentence[anchor])),
        }
    }
}

/// How many of `DocFeatures::pos_word_features` come before `pos_tag_features` in a token's
/// features (the order the model's scores are summed in).
pub(crate) const POS_BEFORE_TAGS: usize = 8;

/// A distance in tokens, bucketed.
fn bucket(distance: usize) -> u64 {
    match distance {
        0..=3 => distance as u64,
        4..=5 => 4,
        6..=8 => 5,
        9..=12 => 6,
        13..=20 => 7,
        21..=35 => 8,
        _ => 9,
    }
}

/// What lies between a token and the cue: commas, quotation marks, other cues, sentence breaks.
#[derive(Debug, Clone, Copy, Default)]
struct Between {
    commas: u64,
    quotes: u64,
    cues: u64,
    sentences: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cluster_table_loads_whole_and_groups_words_by_use() {
        let rows = include_str!("clusters.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .count();
        // Keyed by the words' hashes: a row that does not parse, or two words with one hash,
        // would leave fewer entries than rows.
        assert_eq!(
            CLUSTERS.len(),
            rows,
            "a row of clusters.tsv does not parse or shares a hash"
        );
        assert_eq!(rows, 50_000);
        // Verbs of saying share a cluster; other words do not.
        let said = cluster("claimed");
        assert_ne!(said, 0);
        for word in ["argued", "insisted", "acknowledged", "warned"] {
            assert_eq!(cluster(word), said, "{word}");
        }
        for word in ["the", "river", "officials"] {
            assert_ne!(cluster(word), said, "{word}");
        }
        assert_eq!(cluster("not-a-word-at-all"), 0);
        // Paths share their first steps: "said" and "claimed" differ but are closer to each other
        // than either is to a determiner.
        let common = |a: u32, b: u32| (a ^ b).trailing_zeros();
        assert!(common(cluster("said"), said) > common(cluster("the"), said));
    }

    /// Affixes and shapes are hashed from slices, without building strings: the same hashes as
    /// the strings' (models trained before depend on them), whatever the characters' widths.
    #[test]
    fn affixes_and_shapes_hash_the_strings_they_stand_for() {
        let chars = |s: &str| s.chars().collect::<Vec<char>>();
        for word in ["said", "a", "ab", "abc", "naïve", "café", "日本語です", "x😀y", "señor"] {
            let c = chars(word);
            for n in [2, 3] {
                let suffix: String = c[c.len().saturating_sub(n)..].iter().collect();
                let prefix: String = c[..n.min(c.len())].iter().collect();
                assert_eq!(affix(word, n, true), hash_str(&suffix), "{word} -{n}");
                assert_eq!(affix(word, n, false), hash_str(&prefix), "{word} {n}-");
            }
        }
        let kind = TokenKind::Word;
        for (surface, shape) in [
            ("McCain", "XxXx"),
            ("U.S.", "X.X."),
            ("2024", "d"),
            ("Ça", "Xx"),
            ("—", "—"),
            ("x—y", "x—"),
        ] {
            assert_eq!(shape_of(surface, kind), hash_str(shape) ^ kind as u64, "{surface}");
        }
    }

    /// The features depend on the tables: a model trained with another table reads wrong values. A
    /// change to a table must raise `FEATURE_VERSION` (old models then refuse to load) and retrain
    /// the shipped model (`make model`); then update the fingerprints here.
    #[test]
    fn the_tables_are_the_ones_the_feature_version_names() {
        assert_eq!(super::super::train::FEATURE_VERSION, 5);
        assert_eq!(hash_str(include_str!("clusters.tsv")), 15_066_022_823_213_778_585);
        assert_eq!(hash_str(include_str!("pos_classes.tsv")), 11_027_497_427_426_258_578);
        assert_eq!(hash_str(include_str!("dep_classes.tsv")), 12_091_978_005_886_763_830);
    }
}
