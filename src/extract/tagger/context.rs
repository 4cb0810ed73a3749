//! The contextual layer of `--model accurate`: six logistic probes over a BERT encoder's hidden
//! states (`encoder.rs`) of a token and its two neighbours, asking whether the token is part of a
//! cue, of a source, of a content, and whether it opens a source, opens a content fragment or
//! closes one. Their probabilities, in tenths, are features of the cue and role taggers
//! (`DocFeatures::cue_features`, `role_features`): the encoder reads every word in its sentence,
//! which the hashed templates cannot.
//!
//! Training is deterministic (a fixed shuffle of the documents, plain SGD with averaged weights);
//! the taggers learn from the probes' reading of their own training texts (`train.rs`).

use ndarray::{Array2, ArrayView1};

/// Cue, source, content, then the first token of a source, of a content fragment, and the last
/// token of a content fragment.
pub(crate) const PROBES: usize = 6;

/// Probe `p`'s tenths (0–9) in a token's code.
pub(crate) fn tenths(code: u64, p: usize) -> u64 {
    (code >> (8 * p)) & 0xf
}
/// Passes of SGD over the training tokens.
const EPOCHS: usize = 6;
/// Learning rate of the first pass; each pass multiplies it by `DECAY`.
const RATE: f32 = 0.01;
const DECAY: f32 = 0.7;

/// The probes: standardisation of the encoder's dimensions, then one logistic regression per
/// probe over the token's and its neighbours' standardised vectors.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Probes {
    /// Mean of each dimension over the training tokens.
    pub mean: Vec<f32>,
    /// 1 / standard deviation of each dimension.
    pub scale: Vec<f32>,
    /// Per probe: weights of the previous, own and next token's vector, then a bias.
    pub weights: Vec<f32>,
}

impl Probes {
    /// Width of the encoder's vectors.
    pub fn dim(&self) -> usize {
        self.mean.len()
    }

    fn row(&self, probe: usize) -> &[f32] {
        let width = 3 * self.dim() + 1;
        &self.weights[probe * width..(probe + 1) * width]
    }

    /// Standardises `vectors` in place (each dimension to mean 0 and variance 1 over training).
    fn standardize(&self, vectors: &mut Array2<f32>) {
        for mut row in vectors.rows_mut() {
            for ((v, m), s) in row.iter_mut().zip(&self.mean).zip(&self.scale) {
                *v = (*v - m) * s;
            }
        }
    }

    /// Each token's code: the cue, source and content probabilities in tenths (0–9), in bits
    /// 0–3, 16–19 and 32–35.
    pub fn codes(&self, vectors: &Array2<f32>) -> Vec<u64> {
        let mut x = vectors.clone();
        self.standardize(&mut x);
        (0..x.nrows())
            .map(|i| {
                let mut code = 0;
                for p in 0..PROBES {
                    let prob = sigmoid(logit(self.row(p), &x, i));
                    code |= ((prob * 10.0) as u64).min(9) << (8 * p);
                }
                code
            })
            .collect()
    }

    /// Trains the probes on `docs` (each a matrix of raw vectors, one row per token, and the
    /// token's labels), visiting the documents in the order `shuffle` gives each pass.
    pub fn train(docs: &[(&Array2<f32>, &[[bool; PROBES]])], mut shuffle: impl FnMut(&mut [usize])) -> Probes {
        let dim = docs.first().map_or(0, |(v, _)| v.ncols());
        let tokens: usize = docs.iter().map(|(v, _)| v.nrows()).sum();
        let (mut mean, mut square) = (vec![0f64; dim], vec![0f64; dim]);
        for (v, _) in docs {
            for row in v.rows() {
                for ((m, s), &x) in mean.iter_mut().zip(&mut square).zip(row) {
                    *m += f64::from(x);
                    *s += f64::from(x) * f64::from(x);
                }
            }
        }
        let n = tokens.max(1) as f64;
        let mut probes = Probes {
            mean: mean.iter().map(|m| (m / n) as f32).collect(),
            scale: mean
                .iter()
                .zip(&square)
                .map(|(m, s)| (1.0 / (s / n - (m / n) * (m / n)).max(1e-6).sqrt()) as f32)
                .collect(),
            weights: vec![0.0; PROBES * (3 * dim + 1)],
        };
        let standardized: Vec<Array2<f32>> = docs
            .iter()
            .map(|(v, _)| {
                let mut x = (*v).clone();
                probes.standardize(&mut x);
                x
            })
            .collect();
        let width = 3 * dim + 1;
        let mut sum = vec![0f64; probes.weights.len()];
        let mut steps = 0f64;
        let mut rate = RATE;
        let mut order: Vec<usize> = (0..docs.len()).collect();
        for _ in 0..EPOCHS {
            shuffle(&mut order);
            for &d in &order {
                let x = &standardized[d];
                for (i, labels) in docs[d].1.iter().enumerate().take(x.nrows()) {
                    for (p, &label) in labels.iter().enumerate() {
                        let row = &mut probes.weights[p * width..(p + 1) * width];
                        let gradient = (sigmoid(logit(row, x, i)) - f32::from(u8::from(label))) * rate;
                        for (k, part) in window(x, i).into_iter().enumerate() {
                            if let Some(part) = part {
                                for (w, v) in row[k * dim..(k + 1) * dim].iter_mut().zip(part) {
                                    *w -= gradient * v;
                                }
                            }
                        }
                        row[3 * dim] -= gradient;
                    }
                    for (s, w) in sum.iter_mut().zip(&probes.weights) {
                        *s += f64::from(*w);
                    }
                    steps += 1.0;
                }
            }
            rate *= DECAY;
        }
        if steps > 0.0 {
            for (w, s) in probes.weights.iter_mut().zip(&sum) {
                *w = (s / steps) as f32;
            }
        }
        probes
    }
}

/// The vectors of token `i`'s previous, own and next token (none past the document's ends).
fn window(x: &Array2<f32>, i: usize) -> [Option<ArrayView1<'_, f32>>; 3] {
    [
        i.checked_sub(1).map(|k| x.row(k)),
        Some(x.row(i)),
        (i + 1 < x.nrows()).then(|| x.row(i + 1)),
    ]
}

/// One probe's logit for token `i` of standardised `x`; `row` holds its weights and bias.
fn logit(row: &[f32], x: &Array2<f32>, i: usize) -> f32 {
    let dim = x.ncols();
    let mut z = row[3 * dim];
    for (k, part) in window(x, i).into_iter().enumerate() {
        if let Some(part) = part {
            z += row[k * dim..(k + 1) * dim]
                .iter()
                .zip(part)
                .map(|(w, v)| w * v)
                .sum::<f32>();
        }
    }
    z
}

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two-dimensional vectors: dimension 0 says "cue", dimension 1 "content"; sources are the
    /// tokens right before a cue, one token long; contents the two tokens after it.
    fn toy() -> (Array2<f32>, Vec<[bool; PROBES]>) {
        let mut x = Array2::zeros((60, 2));
        let mut labels = Vec::new();
        for i in 0..60 {
            let cue = i % 6 == 3;
            let content = i % 6 >= 4;
            x[[i, 0]] = if cue { 2.0 } else { -1.0 };
            x[[i, 1]] = if content { 1.5 } else { -0.5 } + (i % 5) as f32 * 0.01;
            let source = i % 6 == 2;
            labels.push([cue, source, content, source, i % 6 == 4, i % 6 == 5]);
        }
        (x, labels)
    }

    #[test]
    fn probes_learn_what_the_vectors_say_and_their_neighbours_tell() {
        let (x, labels) = toy();
        let docs = [(&x, labels.as_slice())];
        let probes = Probes::train(&docs, |_| {});
        let codes = probes.codes(&x);
        for (i, (code, l)) in codes.iter().zip(&labels).enumerate().skip(1).take(57) {
            for (p, &label) in l.iter().enumerate() {
                let tenths = tenths(*code, p);
                // Sources are told by the next token's vector only.
                assert_eq!(tenths >= 5, label, "token {i} probe {p}: {tenths} tenths");
            }
        }
        // The same data and order give the same weights.
        assert_eq!(Probes::train(&docs, |_| {}), probes);
    }
}
