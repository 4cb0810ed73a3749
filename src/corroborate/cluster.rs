//! Claim matching: mentions that state the same proposition form one cluster.
//!
//! Candidate pairs come from an inverted index over content terms (blocking: a term shared by more
//! than [`MAX_POSTING`] mentions proposes no pairs, so the work grows with the number of mentions,
//! not its square). Each pair is scored by the IDF-weighted cosine of its term sets; pairs above
//! [`THRESHOLD`] are merged best first (average linkage: the two clusters' mean similarity must
//! stay above [`LINK`]), and a merge is refused when any two mentions of the two clusters conflict
//! (a number, date, name or polarity that disagrees). The result is a partition: every mention is
//! in exactly one cluster.

use super::claim::{Features, conflict};
use std::collections::{BTreeMap, HashMap};

/// The least similarity for two contents to state one claim.
pub const THRESHOLD: f64 = 0.24;
/// The least mean similarity between two clusters that merge.
pub const LINK: f64 = 0.18;
/// A term in more postings than this proposes no candidate pairs.
pub const MAX_POSTING: usize = 2000;

/// IDF weights of terms over a set of contents.
pub struct Weights {
    idf: HashMap<String, f64>,
    default: f64,
}

impl Weights {
    /// Weights from the contents' features.
    pub fn new(features: &[Features]) -> Weights {
        let mut df: HashMap<String, usize> = HashMap::new();
        for f in features {
            for t in &f.terms {
                *df.entry(t.clone()).or_default() += 1;
            }
        }
        let n = features.len().max(1) as f64;
        let idf = df
            .into_iter()
            .map(|(t, d)| {
                // Sums, changes and weekdays pin a claim down: they weigh double. Years and
                // counts are background as often as not ("since 2024", "all three terminals").
                let pins = t.starts_with('@') || t.starts_with("#usd") || t.starts_with("#pp");
                let boost = if pins { 2.0 } else { 1.0 };
                (t, boost * (1.0 + n / d as f64).ln())
            })
            .collect();
        Weights {
            idf,
            default: (1.0 + n).ln(),
        }
    }

    fn weight(&self, term: &str) -> f64 {
        self.idf.get(term).copied().unwrap_or(self.default)
    }

    /// Weighted cosine of two term sets: shared weight over the geometric mean of their weights.
    pub fn similarity(&self, a: &Features, b: &Features) -> f64 {
        let shared: f64 = a.terms.intersection(&b.terms).map(|t| self.weight(t)).sum();
        let wa: f64 = a.terms.iter().map(|t| self.weight(t)).sum();
        let wb: f64 = b.terms.iter().map(|t| self.weight(t)).sum();
        let norm = (wa * wb).sqrt();
        if norm <= 0.0 { 0.0 } else { shared / norm }
    }
}

/// Clusters of mention indices, each sorted, in order of their first mention.
pub fn cluster(features: &[Features], weights: &Weights) -> Vec<Vec<usize>> {
    let mut postings: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, f) in features.iter().enumerate() {
        for t in &f.terms {
            postings.entry(t.as_str()).or_default().push(i);
        }
    }
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    let mut seen: std::collections::HashSet<(usize, usize)> = std::collections::HashSet::new();
    for list in postings.values().filter(|l| l.len() <= MAX_POSTING) {
        for (k, &i) in list.iter().enumerate() {
            for &j in &list[k + 1..] {
                if seen.insert((i, j)) {
                    let s = weights.similarity(&features[i], &features[j]);
                    if s >= THRESHOLD && conflict(&features[i], &features[j]).is_none() {
                        pairs.push((s, i, j));
                    }
                }
            }
        }
    }
    // Best first; ties by index so the result never depends on hashing.
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut of: Vec<usize> = (0..features.len()).collect();
    let mut members: Vec<Vec<usize>> = (0..features.len()).map(|i| vec![i]).collect();
    for (_, i, j) in pairs {
        let (ci, cj) = (of[i], of[j]);
        if ci == cj {
            continue;
        }
        let mut total = 0.0;
        let mut compatible = true;
        for &x in &members[ci] {
            for &y in &members[cj] {
                if conflict(&features[x], &features[y]).is_some() {
                    compatible = false;
                }
                total += weights.similarity(&features[x], &features[y]);
            }
        }
        let mean = total / (members[ci].len() * members[cj].len()) as f64;
        if !compatible || mean < LINK {
            continue;
        }
        let moved = std::mem::take(&mut members[cj]);
        for &x in &moved {
            of[x] = ci;
        }
        members[ci].extend(moved);
    }
    let mut clusters: Vec<Vec<usize>> = members.into_iter().filter(|m| !m.is_empty()).collect();
    for c in &mut clusters {
        c.sort_unstable();
    }
    clusters.sort_by_key(|c| c[0]);
    clusters
}

#[cfg(test)]
mod tests {
    use super::super::claim::features;
    use super::*;

    #[test]
    fn paraphrases_join_and_look_alikes_stay_apart() {
        let contents = [
            "The attackers have demanded $12 million in cryptocurrency to unlock the systems",
            "the hackers were seeking a ransom of $12 million in cryptocurrency",
            "The hackers want 12 million dollars to release the port's systems",
            "the bank will raise its key rate by 25 basis points on Thursday",
            "the bank will raise its key rate by 50 basis points on Thursday",
            "the bank is preparing to lift its benchmark rate by a quarter of a percentage point this Thursday",
        ];
        let f: Vec<Features> = contents.iter().map(|c| features(c)).collect();
        let w = Weights::new(&f);
        let clusters = cluster(&f, &w);
        assert!(clusters.contains(&vec![0, 1, 2]), "{clusters:?}");
        assert!(clusters.contains(&vec![3, 5]), "{clusters:?}");
        assert!(clusters.contains(&vec![4]), "{clusters:?}");
    }
}
