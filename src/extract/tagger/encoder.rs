//! A BERT encoder in plain Rust, for the contextual layer of `--model accurate`: WordPiece as
//! BERT's uncased tokenizer does it, then the transformer's forward pass over `ndarray`, giving
//! one vector per claimtrace token (the mean of its word pieces).
//!
//! It reads a Hugging Face BERT checkpoint as it is distributed: a directory holding
//! `model.safetensors` (float32, names as `BertModel` writes them, with or without a `bert.`
//! prefix) and `tokenizer.json` (a WordPiece vocabulary). The shipped recipe uses
//! sentence-transformers' all-MiniLM-L6-v2 (`make encoder`); nothing of it is committed.

use crate::text::Analysis;
use ndarray::{Array1, Array2, ArrayView2, Axis, Slice};
use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// Where `make encoder` unpacks the accurate model's encoder (relative to the repository).
pub const DEFAULT_DIR: &str = "target/encoder/all-MiniLM-L6-v2";

/// The longest sequence given to the encoder, special tokens included (the length
/// all-MiniLM-L6-v2 was trained with).
const MAX_PIECES: usize = 128;

/// Why an encoder could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum EncoderError {
    /// A file of the checkpoint could not be read.
    #[error("cannot read {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file of the checkpoint is not what a BERT checkpoint holds.
    #[error("{path}: {message}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

struct Linear {
    /// Weights as `[in, out]`, so that `x.dot(&w) + b` is the layer.
    w: Array2<f32>,
    b: Array1<f32>,
}

impl Linear {
    fn apply(&self, x: &ArrayView2<f32>) -> Array2<f32> {
        x.dot(&self.w) + &self.b
    }
}

struct LayerNorm {
    gain: Array1<f32>,
    bias: Array1<f32>,
    eps: f32,
}

impl LayerNorm {
    fn apply(&self, x: &mut Array2<f32>) {
        let dim = x.ncols() as f32;
        for mut row in x.rows_mut() {
            let mean = row.sum() / dim;
            let var = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / dim;
            let inv = 1.0 / (var + self.eps).sqrt();
            for ((v, g), b) in row.iter_mut().zip(&self.gain).zip(&self.bias) {
                *v = (*v - mean) * inv * g + b;
            }
        }
    }
}

struct Layer {
    query: Linear,
    key: Linear,
    value: Linear,
    output: Linear,
    attention_norm: LayerNorm,
    up: Linear,
    down: Linear,
    output_norm: LayerNorm,
}

/// A loaded BERT encoder.
pub struct Encoder {
    vocab: FxHashMap<String, u32>,
    unk: u32,
    cls: u32,
    sep: u32,
    word: Array2<f32>,
    position: Array2<f32>,
    token_type: Array1<f32>,
    embedding_norm: LayerNorm,
    layers: Vec<Layer>,
    heads: usize,
    /// 16 hex digits of SHA-256 of `model.safetensors`.
    fingerprint: String,
}

impl std::fmt::Debug for Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoder")
            .field("dim", &self.dim())
            .field("layers", &self.depth())
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

/// Reads the float32 tensors of a safetensors file by name.
struct Tensors<'a> {
    file: safetensors::SafeTensors<'a>,
    prefix: &'static str,
    path: &'a Path,
}

impl Tensors<'_> {
    fn format(&self, message: String) -> EncoderError {
        EncoderError::Format {
            path: self.path.to_path_buf(),
            message,
        }
    }

    fn get(&self, name: &str) -> Result<(Vec<usize>, Vec<f32>), EncoderError> {
        let full = format!("{}{name}", self.prefix);
        let view = self
            .file
            .tensor(&full)
            .map_err(|e| self.format(format!("tensor {full}: {e}")))?;
        if view.dtype() != safetensors::Dtype::F32 {
            return Err(self.format(format!("tensor {full} is {:?}, not F32", view.dtype())));
        }
        let values = view
            .data()
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        Ok((view.shape().to_vec(), values))
    }

    fn vector(&self, name: &str, len: usize) -> Result<Array1<f32>, EncoderError> {
        let (shape, values) = self.get(name)?;
        if shape != [len] {
            return Err(self.format(format!("tensor {name} has shape {shape:?}, not [{len}]")));
        }
        Ok(Array1::from(values))
    }

    fn matrix(&self, name: &str, cols: usize) -> Result<Array2<f32>, EncoderError> {
        let (shape, values) = self.get(name)?;
        match shape[..] {
            [rows, c] if c == cols => {
                Array2::from_shape_vec((rows, cols), values).map_err(|e| self.format(format!("tensor {name}: {e}")))
            }
            _ => Err(self.format(format!("tensor {name} has shape {shape:?}, not [_, {cols}]"))),
        }
    }

    /// A `torch.nn.Linear` stored as `[out, in]`, returned as `[in, out]`.
    fn linear(&self, name: &str, inputs: usize) -> Result<Linear, EncoderError> {
        let w = self.matrix(&format!("{name}.weight"), inputs)?.reversed_axes();
        let b = self.vector(&format!("{name}.bias"), w.ncols())?;
        Ok(Linear {
            w: w.as_standard_layout().into_owned(),
            b,
        })
    }

    fn norm(&self, name: &str, dim: usize, eps: f32) -> Result<LayerNorm, EncoderError> {
        Ok(LayerNorm {
            gain: self.vector(&format!("{name}.weight"), dim)?,
            bias: self.vector(&format!("{name}.bias"), dim)?,
            eps,
        })
    }
}

impl Encoder {
    /// Loads the checkpoint in `dir` (`model.safetensors`, `tokenizer.json`, `config.json`).
    pub fn load(dir: &Path) -> Result<Encoder, EncoderError> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read(&path).map_err(|source| EncoderError::Io { path, source })
        };
        let format = |name: &str, message: String| EncoderError::Format {
            path: dir.join(name),
            message,
        };
        let config: serde_json::Value =
            serde_json::from_slice(&read("config.json")?).map_err(|e| format("config.json", e.to_string()))?;
        let number = |key: &str| {
            config[key]
                .as_u64()
                .map(|v| v as usize)
                .ok_or_else(|| format("config.json", format!("no number {key}")))
        };
        let (dim, heads, layers) = (
            number("hidden_size")?,
            number("num_attention_heads")?,
            number("num_hidden_layers")?,
        );
        let eps = config["layer_norm_eps"].as_f64().unwrap_or(1e-12) as f32;
        if heads == 0 || dim % heads != 0 || config["hidden_act"].as_str() != Some("gelu") {
            return Err(format("config.json", "not a BERT with GELU and whole heads".into()));
        }

        let tokenizer: serde_json::Value =
            serde_json::from_slice(&read("tokenizer.json")?).map_err(|e| format("tokenizer.json", e.to_string()))?;
        let vocab: FxHashMap<String, u32> = tokenizer["model"]["vocab"]
            .as_object()
            .ok_or_else(|| format("tokenizer.json", "no WordPiece vocabulary".into()))?
            .iter()
            .filter_map(|(piece, id)| Some((piece.clone(), u32::try_from(id.as_u64()?).ok()?)))
            .collect();
        let special = |piece: &str| {
            vocab
                .get(piece)
                .copied()
                .ok_or_else(|| format("tokenizer.json", format!("no {piece} in the vocabulary")))
        };
        let (unk, cls, sep) = (special("[UNK]")?, special("[CLS]")?, special("[SEP]")?);

        let path = dir.join("model.safetensors");
        let bytes = read("model.safetensors")?;
        let file =
            safetensors::SafeTensors::deserialize(&bytes).map_err(|e| format("model.safetensors", e.to_string()))?;
        let prefix = if file.names().iter().any(|n| n.starts_with("bert.")) {
            "bert."
        } else {
            ""
        };
        let t = Tensors {
            file,
            prefix,
            path: &path,
        };
        let word = t.matrix("embeddings.word_embeddings.weight", dim)?;
        if word.nrows() < vocab.len() {
            return Err(t.format("fewer word embeddings than vocabulary entries".into()));
        }
        let position = t.matrix("embeddings.position_embeddings.weight", dim)?;
        if position.nrows() < MAX_PIECES {
            return Err(t.format(format!("fewer than {MAX_PIECES} positions")));
        }
        let token_type = t
            .matrix("embeddings.token_type_embeddings.weight", dim)?
            .row(0)
            .to_owned();
        let embedding_norm = t.norm("embeddings.LayerNorm", dim, eps)?;
        let layers = (0..layers)
            .map(|l| {
                let p = format!("encoder.layer.{l}");
                let up = t.linear(&format!("{p}.intermediate.dense"), dim)?;
                let inner = up.w.ncols();
                Ok(Layer {
                    query: t.linear(&format!("{p}.attention.self.query"), dim)?,
                    key: t.linear(&format!("{p}.attention.self.key"), dim)?,
                    value: t.linear(&format!("{p}.attention.self.value"), dim)?,
                    output: t.linear(&format!("{p}.attention.output.dense"), dim)?,
                    attention_norm: t.norm(&format!("{p}.attention.output.LayerNorm"), dim, eps)?,
                    up,
                    down: t.linear(&format!("{p}.output.dense"), inner)?,
                    output_norm: t.norm(&format!("{p}.output.LayerNorm"), dim, eps)?,
                })
            })
            .collect::<Result<Vec<_>, EncoderError>>()?;
        Ok(Encoder {
            vocab,
            unk,
            cls,
            sep,
            word,
            position,
            token_type,
            embedding_norm,
            layers,
            heads,
            fingerprint: crate::model::hex_prefix(&bytes, 16),
        })
    }

    /// 16 hex digits of SHA-256 of the checkpoint's weights: which encoder a model was trained on.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Width of the vectors.
    pub fn dim(&self) -> usize {
        self.word.ncols()
    }

    /// Number of transformer layers.
    pub fn depth(&self) -> usize {
        self.layers.len()
    }

    /// The word pieces of one token's text: BERT's uncased normalisation (control characters
    /// dropped, lower case, accents stripped), split at punctuation, then greedy longest-match
    /// WordPiece; a word with no match, or over 100 characters, is `[UNK]`.
    pub fn pieces(&self, text: &str, out: &mut Vec<u32>) {
        let mut word = String::new();
        let normalized = text
            .chars()
            .filter(|&c| !is_control(c))
            .flat_map(char::to_lowercase)
            .nfd()
            .filter(|c| c.general_category() != unicode_properties::GeneralCategory::NonspacingMark);
        for c in normalized {
            if c.is_whitespace() {
                self.word_pieces(&word, out);
                word.clear();
            } else if is_punctuation(c) || is_cjk(c) {
                self.word_pieces(&word, out);
                word.clear();
                let mut buf = [0; 4];
                self.word_pieces(c.encode_utf8(&mut buf), out);
            } else {
                word.push(c);
            }
        }
        self.word_pieces(&word, out);
    }

    fn word_pieces(&self, word: &str, out: &mut Vec<u32>) {
        if word.is_empty() {
            return;
        }
        if word.chars().count() > 100 {
            out.push(self.unk);
            return;
        }
        let mark = out.len();
        let mut start = 0;
        let mut key = String::new();
        while start < word.len() {
            let mut end = word.len();
            let found = loop {
                key.clear();
                if start > 0 {
                    key.push_str("##");
                }
                key.push_str(&word[start..end]);
                if let Some(&id) = self.vocab.get(&key) {
                    break Some(id);
                }
                match word[start..end].char_indices().next_back() {
                    Some((last, _)) if last > 0 => end = start + last,
                    _ => break None,
                }
            };
            match found {
                Some(id) => out.push(id),
                None => {
                    out.truncate(mark);
                    out.push(self.unk);
                    return;
                }
            }
            start = end;
        }
    }

    /// The hidden states of one sequence of word pieces after layer `layer` (0: the embeddings),
    /// one row per piece, with `[CLS]` before and `[SEP]` after them (rows 0 and last); pieces
    /// past `MAX_PIECES - 2` are left out.
    pub fn hidden(&self, pieces: &[u32], layer: usize) -> Array2<f32> {
        let n = pieces.len().min(MAX_PIECES - 2) + 2;
        let ids = std::iter::once(self.cls)
            .chain(pieces.iter().take(n - 2).copied())
            .chain(std::iter::once(self.sep));
        let mut h = Array2::zeros((n, self.dim()));
        for (i, id) in ids.enumerate() {
            let word = self.word.row((id as usize).min(self.word.nrows() - 1));
            let mut row = h.row_mut(i);
            row += &word;
            row += &self.position.row(i);
            row += &self.token_type;
        }
        self.embedding_norm.apply(&mut h);
        for l in self.layers.iter().take(layer) {
            h = self.layer(l, h);
        }
        h
    }

    fn layer(&self, l: &Layer, mut h: Array2<f32>) -> Array2<f32> {
        let x = h.view();
        let (q, k, v) = (l.query.apply(&x), l.key.apply(&x), l.value.apply(&x));
        let size = self.dim() / self.heads;
        let scale = 1.0 / (size as f32).sqrt();
        let mut context = Array2::zeros(h.raw_dim());
        for head in 0..self.heads {
            let cols = Slice::from(head * size..(head + 1) * size);
            let mut scores = q.slice_axis(Axis(1), cols).dot(&k.slice_axis(Axis(1), cols).t()) * scale;
            for mut row in scores.rows_mut() {
                let max = row.fold(f32::NEG_INFINITY, |m, &v| m.max(v));
                row.mapv_inplace(|v| (v - max).exp());
                let sum = row.sum();
                row /= sum;
            }
            context
                .slice_axis_mut(Axis(1), cols)
                .assign(&scores.dot(&v.slice_axis(Axis(1), cols)));
        }
        h += &l.output.apply(&context.view());
        l.attention_norm.apply(&mut h);
        let mut inner = l.up.apply(&h.view());
        inner.mapv_inplace(gelu);
        h += &l.down.apply(&inner.view());
        l.output_norm.apply(&mut h);
        h
    }

    /// One vector per token of `analysis`: the mean of its word pieces' hidden states after layer
    /// `layer`, read in sequences of whole sentences of one block, at most `MAX_PIECES` pieces
    /// each (a longer sentence is cut into such sequences). A token with no piece gets zeros.
    pub fn token_vectors(&self, analysis: &Analysis, text: &str, layer: usize) -> Array2<f32> {
        let n = analysis.tokens.len();
        let mut out = Array2::zeros((n, self.dim()));
        // The pieces of every token, and where each token's pieces start.
        let mut pieces = Vec::new();
        let mut starts = Vec::with_capacity(n + 1);
        for token in &analysis.tokens {
            starts.push(pieces.len());
            self.pieces(token.span.text(text), &mut pieces);
        }
        starts.push(pieces.len());
        let room = MAX_PIECES - 2;
        // Sequences of whole sentences within a block, by token range.
        let mut sequences: Vec<std::ops::Range<usize>> = Vec::new();
        for block in &analysis.blocks {
            // The sequences from `own` on are this block's.
            let own = sequences.len();
            for sentence in analysis.sentences.get(block.sentences.clone()).unwrap_or_default() {
                let (first, end) = (sentence.tokens.start.min(n), sentence.tokens.end.min(n));
                if first >= end {
                    continue;
                }
                let len = starts[end] - starts[first];
                match sequences[own..].last_mut() {
                    Some(last) if last.end == first && starts[end] - starts[last.start] <= room => {
                        last.end = end;
                    }
                    _ if len <= room => sequences.push(first..end),
                    _ => {
                        // A long sentence: cut at tokens, `room` pieces at most each.
                        let mut start = first;
                        for i in first..end {
                            if starts[i + 1] - starts[start] > room && i > start {
                                sequences.push(start..i);
                                start = i;
                            }
                        }
                        sequences.push(start..end);
                    }
                }
            }
        }
        for range in sequences {
            let base = starts[range.start];
            let ids = &pieces[base..starts[range.end]];
            let hidden = self.hidden(ids, layer);
            for i in range {
                // Row 0 is [CLS].
                let (a, b) = (starts[i] - base + 1, (starts[i + 1] - base + 1).min(hidden.nrows() - 1));
                if a < b {
                    let mean = hidden.slice_axis(Axis(0), Slice::from(a..b)).mean_axis(Axis(0));
                    if let Some(mean) = mean {
                        out.row_mut(i).assign(&mean);
                    }
                }
            }
        }
        out
    }
}

/// BERT's control characters: category C*, except tab, newline and carriage return.
fn is_control(c: char) -> bool {
    !matches!(c, '\t' | '\n' | '\r') && c.general_category_group() == GeneralCategoryGroup::Other
}

/// BERT's punctuation: every non-alphanumeric ASCII symbol, and Unicode category P*.
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() || c.general_category_group() == GeneralCategoryGroup::Punctuation
}

/// The CJK ideographs BERT isolates as words.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0x2A700..=0x2B73F
        | 0x2B740..=0x2B81F | 0x2B820..=0x2CEAF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F)
}

/// GELU with the error function (as BERT's "gelu").
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x / std::f32::consts::SQRT_2))
}

/// The error function, Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7).
fn erf(x: f32) -> f32 {
    let t = 1.0 / (1.0 + 0.327_591_1 * x.abs());
    let poly = t * (0.254_829_6 + t * (-0.284_496_72 + t * (1.421_413_8 + t * (-1.453_152_1 + t * 1.061_405_4))));
    let y = 1.0 - poly * (-x * x).exp();
    if x < 0.0 { -y } else { y }
}
