//! An averaged structured perceptron over hashed features with first-order label transitions and
//! Viterbi decoding: the learning machinery shared by the cue and role taggers.

/// Mixes a feature hash into a table row (a fixed function, so that models are portable).
#[inline]
fn mix(h: u64) -> u64 {
    let mut x = h ^ (h >> 33);
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

/// The label with the highest score (the lowest on ties): the decision of a classifier that
/// decides each position alone.
pub(crate) fn argmax(scores: &[f32]) -> usize {
    let mut arg = 0;
    for (k, &s) in scores.iter().enumerate() {
        if s > scores[arg] {
            arg = k;
        }
    }
    arg
}

/// Positions hashed before their rows are read, by `Perceptron::emit_all`.
const CHUNK: usize = 16;

/// Buffers of `Perceptron::emit_all`, kept between calls.
#[derive(Default)]
pub(crate) struct Scratch {
    features: Vec<u64>,
    rows: Vec<usize>,
    ends: Vec<usize>,
}

/// Which label may follow which; `None` as the previous label is the sequence start.
pub(crate) type Allowed = fn(Option<usize>, usize) -> bool;

/// A linear sequence model: emission weights by hashed feature and label, transition weights.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Perceptron {
    pub bits: u32,
    pub n_labels: usize,
    /// `2^bits` rows of `n_labels` weights.
    pub weights: Vec<f32>,
    /// `(n_labels + 1) × n_labels`: row 0 is the start, row `p + 1` the previous label `p`.
    pub transitions: Vec<f32>,
}

impl Perceptron {
    pub fn new(bits: u32, n_labels: usize) -> Perceptron {
        Perceptron {
            bits,
            n_labels,
            weights: vec![0.0; (1usize << bits) * n_labels],
            transitions: vec![0.0; (n_labels + 1) * n_labels],
        }
    }

    #[inline]
    pub fn row(&self, feature: u64) -> usize {
        (mix(feature) & ((1u64 << self.bits) - 1)) as usize * self.n_labels
    }

    /// The emission scores of `features` (one per label; `N` is the model's label count), summed
    /// in registers: the label count known at compile time, each row is added without a loop.
    ///
    /// The rows are found first, then read: the reads (random accesses into a table larger than
    /// the L2 cache, the tagger's main cost) then follow one another closely enough for the CPU
    /// to have many in flight at once. The sum's order is the features' order either way.
    #[inline]
    pub fn emit<const N: usize>(&self, features: &[u64]) -> [f32; N] {
        debug_assert_eq!(N, self.n_labels);
        let mut scores = [0.0f32; N];
        let mut rows = [0usize; 64];
        for chunk in features.chunks(rows.len()) {
            for (r, &f) in rows.iter_mut().zip(chunk) {
                *r = self.row(f);
            }
            self.add_rows(&rows[..chunk.len()], &mut scores);
        }
        scores
    }

    /// The emission scores of `count` positions, appended to `out` (`N` per position): `fill`
    /// writes the features of position `k`.
    ///
    /// Positions go in chunks: the features of a whole chunk are hashed to rows first, then the
    /// rows are read. The reads of many positions then follow one another with nothing between
    /// them, so that the CPU has many in flight (with `emit` alone, each position's hashing stood
    /// between its reads and the next position's). Each position's sum has `emit`'s order, so
    /// the scores are the same to the bit.
    pub fn emit_all<const N: usize>(
        &self,
        count: usize,
        mut fill: impl FnMut(usize, &mut Vec<u64>),
        scratch: &mut Scratch,
        out: &mut Vec<f32>,
    ) {
        debug_assert_eq!(N, self.n_labels);
        for chunk in (0..count).step_by(CHUNK) {
            scratch.rows.clear();
            scratch.ends.clear();
            for k in chunk..count.min(chunk + CHUNK) {
                scratch.features.clear();
                fill(k, &mut scratch.features);
                scratch.rows.extend(scratch.features.iter().map(|&f| self.row(f)));
                scratch.ends.push(scratch.rows.len());
            }
            let mut start = 0;
            for &end in &scratch.ends {
                let mut scores = [0.0f32; N];
                self.add_rows(&scratch.rows[start..end], &mut scores);
                out.extend_from_slice(&scores);
                start = end;
            }
        }
    }

    /// Adds the weight rows `rows` (as `row` gives them) to `scores`, in their order.
    #[inline]
    pub fn add_rows<const N: usize>(&self, rows: &[usize], scores: &mut [f32; N]) {
        // Summed in a local array of known length, which stays in registers.
        let mut sum = *scores;
        for &r in rows {
            if let Some(row) = self.weights.get(r..r + N).and_then(|w| <&[f32; N]>::try_from(w).ok()) {
                for (s, w) in sum.iter_mut().zip(row) {
                    *s += *w;
                }
            }
        }
        *scores = sum;
    }

    #[inline]
    fn transition(&self, prev: Option<usize>, label: usize) -> f32 {
        self.transitions[prev.map_or(0, |p| p + 1) * self.n_labels + label]
    }

    /// The best label sequence for `emissions` (`len × n_labels`), honouring `allowed`.
    pub fn viterbi(&self, emissions: &[f32], allowed: Allowed, out: &mut Vec<usize>) {
        const IDENTITY: [usize; 16] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
        self.decode(emissions, &IDENTITY[..self.n_labels], allowed, out);
    }

    /// The best label sequence over decoder states: state `s` outputs label `labels[s]` (its
    /// emission and transition scores are the label's) and `allowed` says which state may follow
    /// which, so that a constraint with memory ("one source run") can be decoded exactly.
    pub fn decode(&self, emissions: &[f32], labels: &[usize], allowed: Allowed, out: &mut Vec<usize>) {
        let n = self.n_labels;
        let m = labels.len();
        let len = emissions.len() / n;
        out.clear();
        if len == 0 {
            return;
        }
        // Transition scores between decoder states, minus infinity where `allowed` forbids the
        // step: row 0 is the start, row `p + 1` follows state `p`.
        let mut steps = vec![f32::NEG_INFINITY; (m + 1) * m];
        for s in 0..m {
            for p in 0..=m {
                let prev = p.checked_sub(1);
                if allowed(prev, s) {
                    steps[p * m + s] = self.transition(prev.map(|p| labels[p]), labels[s]);
                }
            }
        }
        let mut score = vec![f32::NEG_INFINITY; len * m];
        let mut back = vec![0usize; len * m];
        for s in 0..m {
            score[s] = emissions[labels[s]] + steps[s];
        }
        for t in 1..len {
            let (before, now) = score.split_at_mut(t * m);
            let before = &before[(t - 1) * m..];
            for s in 0..m {
                let mut best = f32::NEG_INFINITY;
                let mut arg = 0;
                for (p, &prev) in before.iter().enumerate() {
                    let v = prev + steps[(p + 1) * m + s];
                    if v > best {
                        best = v;
                        arg = p;
                    }
                }
                if best > f32::NEG_INFINITY {
                    now[s] = best + emissions[t * n + labels[s]];
                    back[t * m + s] = arg;
                }
            }
        }
        let last = (len - 1) * m;
        let mut state = (0..m)
            .max_by(|&a, &b| score[last + a].total_cmp(&score[last + b]).then(b.cmp(&a)))
            .unwrap_or(0);
        out.resize(len, 0);
        for t in (0..len).rev() {
            out[t] = labels[state];
            if t > 0 {
                state = back[t * m + state];
            }
        }
    }
}

/// Training state of an averaged perceptron (Collins 2002, with the lazy averaging trick).
pub(crate) struct Trainer {
    pub model: Perceptron,
    weights: Vec<f64>,
    totals: Vec<f64>,
    transitions: Vec<f64>,
    transition_totals: Vec<f64>,
    step: f64,
}

impl Trainer {
    pub fn new(bits: u32, n_labels: usize) -> Trainer {
        let model = Perceptron::new(bits, n_labels);
        Trainer {
            weights: vec![0.0; model.weights.len()],
            totals: vec![0.0; model.weights.len()],
            transitions: vec![0.0; model.transitions.len()],
            transition_totals: vec![0.0; model.transitions.len()],
            model,
            step: 1.0,
        }
    }

    /// Decodes `emissions` with the current weights.
    pub fn predict(&self, emissions: &[f32], allowed: Allowed, out: &mut Vec<usize>) {
        self.model.viterbi(emissions, allowed, out);
    }

    /// Learns from one sequence: `features[t]` are the features of position `t`.
    pub fn update(&mut self, features: &[Vec<u64>], gold: &[usize], predicted: &[usize]) {
        let n = self.model.n_labels;
        for t in 0..gold.len() {
            let (g, p) = (gold[t], predicted[t]);
            let gold_prev = t.checked_sub(1).map(|k| gold[k]);
            let pred_prev = t.checked_sub(1).map(|k| predicted[k]);
            if g != p {
                self.update_one(&features[t], g, p);
            }
            if g != p || gold_prev != pred_prev {
                let gi = gold_prev.map_or(0, |x| x + 1) * n + g;
                let pi = pred_prev.map_or(0, |x| x + 1) * n + p;
                self.transitions[gi] += 1.0;
                self.transition_totals[gi] += self.step;
                self.transitions[pi] -= 1.0;
                self.transition_totals[pi] -= self.step;
                self.model.transitions[gi] = self.transitions[gi] as f32;
                self.model.transitions[pi] = self.transitions[pi] as f32;
            }
        }
    }

    /// Learns from one position decided alone (no transitions): `gold` up, `predicted` down.
    pub fn update_one(&mut self, features: &[u64], gold: usize, predicted: usize) {
        for &f in features {
            let r = self.model.row(f);
            self.bump(r + gold, 1.0);
            self.bump(r + predicted, -1.0);
        }
    }

    #[inline]
    fn bump(&mut self, index: usize, delta: f64) {
        self.weights[index] += delta;
        self.totals[index] += self.step * delta;
        self.model.weights[index] = self.weights[index] as f32;
    }

    /// Counts one training example (for averaging).
    pub fn tick(&mut self) {
        self.step += 1.0;
    }

    /// The averaged model.
    pub fn finish(self) -> Perceptron {
        let step = self.step;
        let average =
            |w: &[f64], t: &[f64]| -> Vec<f32> { w.iter().zip(t).map(|(w, t)| (w - t / step) as f32).collect() };
        Perceptron {
            bits: self.model.bits,
            n_labels: self.model.n_labels,
            weights: average(&self.weights, &self.totals),
            transitions: average(&self.transitions, &self.transition_totals),
        }
    }
}
