//! Claim matching: mentions that state the same proposition form one cluster.
//!
//! Terms are interned and weighted by IDF; a content is a sorted list of term ids. Candidate pairs
//! come from an inverted index: each content looks up the postings of its [`KEY_TERMS`] rarest
//! terms (two statements of one claim share some of the rare words, numbers and names that pin it
//! down). A posting longer than [`MAX_POSTING`] is read only in a window of that many contents
//! around the one looking (contents are in store order, articles by name, so mostly by time: echoes
//! of a report sit near it), so the work grows with the number of mentions, not its square. Each pair is scored by the IDF-weighted cosine of its term sets; pairs
//! above [`THRESHOLD`] that share a term besides a weekday (or come from one speaker) are merged
//! best first (average linkage: the two clusters' mean similarity
//! must stay above [`LINK`]), and a merge is refused when two mentions of the two clusters
//! conflict (a number, date, place, outcome or polarity that disagrees). Both checks look at no
//! more than [`LINK_SAMPLE`] members a side. The result is a partition: every mention is in
//! exactly one cluster.

use super::claim::{Features, conflict};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeMap;

/// The least similarity for two contents to state one claim.
pub const THRESHOLD: f64 = 0.24;
/// The least mean similarity between two clusters that merge.
pub const LINK: f64 = 0.18;
/// How many of its rarest terms index a content.
pub const KEY_TERMS: usize = 6;
/// The most contents a posting proposes to one content (a window around it in store order).
pub const MAX_POSTING: usize = 64;
/// How many members of each side the merge checks look at.
pub const LINK_SAMPLE: usize = 12;

/// Interned, IDF-weighted contents with an index of their rarest terms.
pub struct Index {
    ids: HashMap<String, u32>,
    weights: Vec<f64>,
    docs: Vec<Vec<u32>>,
    norms: Vec<f64>,
    postings: HashMap<u32, Vec<usize>>,
    unseen: f64,
    /// The ids of the weekday terms ("@monday"): terms are numbered in sorted order, so theirs
    /// are one range.
    days: std::ops::Range<u32>,
}

fn term_weight(term: &str, df: usize, n: f64) -> f64 {
    // Sums, changes and weekdays pin a claim down: they weigh double. Years and counts are
    // background as often as not ("since 2024", "all three terminals").
    let pins = term.starts_with('@') || term.starts_with("#usd") || term.starts_with("#pp");
    let boost = if pins { 2.0 } else { 1.0 };
    boost * (1.0 + n / df as f64).ln()
}

impl Index {
    /// Indexes the contents' features.
    pub fn new(features: &[Features]) -> Index {
        let mut df: BTreeMap<&str, usize> = BTreeMap::new();
        for f in features {
            for t in &f.terms {
                *df.entry(t.as_str()).or_default() += 1;
            }
        }
        let n = features.len().max(1) as f64;
        let mut ids = HashMap::default();
        let mut weights = Vec::with_capacity(df.len());
        let mut days: Option<std::ops::Range<u32>> = None;
        for (k, (term, count)) in df.iter().enumerate() {
            let k = k as u32;
            ids.insert((*term).to_owned(), k);
            weights.push(term_weight(term, *count, n));
            if term.starts_with('@') {
                days = Some(days.map_or(k, |d| d.start)..k + 1);
            }
        }
        let days = days.unwrap_or(0..0);
        let docs: Vec<Vec<u32>> = features
            .iter()
            .map(|f| {
                let mut d: Vec<u32> = f.terms.iter().filter_map(|t| ids.get(t.as_str()).copied()).collect();
                d.sort_unstable();
                d
            })
            .collect();
        let norms = docs
            .iter()
            .map(|d| d.iter().map(|&t| weights[t as usize]).sum())
            .collect();
        let mut index = Index {
            ids,
            weights,
            docs,
            norms,
            postings: HashMap::default(),
            unseen: (1.0 + n).ln(),
            days,
        };
        for (i, doc) in index.docs.iter().enumerate() {
            for &t in doc {
                index.postings.entry(t).or_default().push(i);
            }
        }
        index
    }

    /// The rarest terms of a content (highest weight; ties by id, so the choice is stable).
    fn key_terms(&self, doc: &[u32]) -> Vec<u32> {
        let mut terms = doc.to_vec();
        terms.sort_by(|&a, &b| {
            self.weights[b as usize]
                .total_cmp(&self.weights[a as usize])
                .then(a.cmp(&b))
        });
        terms.truncate(KEY_TERMS);
        terms
    }

    fn cosine(&self, a: &[u32], na: f64, b: &[u32], nb: f64) -> f64 {
        let (mut i, mut j, mut shared) = (0, 0, 0.0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += self.weights[a[i] as usize];
                    i += 1;
                    j += 1;
                }
            }
        }
        let norm = (na * nb).sqrt();
        if norm <= 0.0 { 0.0 } else { shared / norm }
    }

    /// Whether two indexed contents share a term besides a weekday: "talks would not restart before
    /// Monday" and "the sirens had not sounded on Monday night" share only the day, which pins a
    /// claim down but makes one only in one speaker's words ("… by Thursday", then "… Thursday is
    /// still realistic," he added).
    fn share_more_than_a_day(&self, i: usize, j: usize) -> bool {
        let b = &self.docs[j];
        self.docs[i]
            .iter()
            .any(|t| !self.days.contains(t) && b.binary_search(t).is_ok())
    }

    /// The similarity of two indexed contents.
    pub fn similarity(&self, i: usize, j: usize) -> f64 {
        self.cosine(&self.docs[i], self.norms[i], &self.docs[j], self.norms[j])
    }

    /// The indexed contents that share a key term with `features` (a content not indexed, such
    /// as a denial, that would stand at position `near` in store order), with their similarity.
    pub fn similar(&self, features: &Features, near: usize) -> Vec<(usize, f64)> {
        let mut doc: Vec<u32> = features
            .terms
            .iter()
            .filter_map(|t| self.ids.get(t.as_str()).copied())
            .collect();
        doc.sort_unstable();
        let unseen = features
            .terms
            .iter()
            .filter(|t| !self.ids.contains_key(t.as_str()))
            .count();
        let norm: f64 = doc.iter().map(|&t| self.weights[t as usize]).sum::<f64>() + unseen as f64 * self.unseen;
        let mut seen = HashSet::default();
        let mut out = Vec::new();
        for t in self.key_terms(&doc) {
            let Some(list) = self.postings.get(&t) else { continue };
            for &i in window(list, near) {
                if seen.insert(i) {
                    out.push((i, self.cosine(&doc, norm, &self.docs[i], self.norms[i])));
                }
            }
        }
        out.sort_by_key(|&(i, _)| i);
        out
    }

    /// Candidate pairs (i < j) above [`THRESHOLD`] whose contents do not conflict and share a term
    /// besides a weekday (or have one speaker, `speakers` giving each content's), best first.
    /// Each content gathers its candidates once (deduplicated locally), so memory holds only the
    /// pairs that pass, never every candidate.
    fn pairs(&self, features: &[Features], speakers: &[Option<&str>]) -> Vec<(f64, usize, usize)> {
        let one_speaker = |i: usize, j: usize| {
            speakers
                .get(i)
                .copied()
                .flatten()
                .is_some_and(|s| speakers.get(j).copied().flatten() == Some(s))
        };
        let mut pairs = Vec::new();
        let mut candidates: Vec<usize> = Vec::new();
        for i in 0..self.docs.len() {
            candidates.clear();
            for t in self.key_terms(&self.docs[i]) {
                if let Some(list) = self.postings.get(&t) {
                    candidates.extend(window(list, i).iter().copied().filter(|&j| j != i));
                }
            }
            candidates.sort_unstable();
            candidates.dedup();
            for &j in &candidates {
                let s = self.similarity(i, j);
                if s >= THRESHOLD
                    && conflict(&features[i], &features[j]).is_none()
                    && (self.share_more_than_a_day(i, j) || one_speaker(i, j))
                {
                    pairs.push((s, i.min(j), i.max(j)));
                }
            }
        }
        // Best first; ties by index so the result never depends on hashing. A pair found from both
        // sides appears twice: once is enough.
        pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        pairs.dedup_by(|a, b| a.1 == b.1 && a.2 == b.2);
        pairs
    }

    /// Clusters of content indices, each sorted, in order of their first member; `speakers` gives
    /// each content's resolved source, when it has one (`[]`: none known).
    pub fn cluster(&self, features: &[Features], speakers: &[Option<&str>]) -> Vec<Vec<usize>> {
        let mut of: Vec<usize> = (0..features.len()).collect();
        let mut members: Vec<Vec<usize>> = (0..features.len()).map(|i| vec![i]).collect();
        // Merges refused between two clusters as they were then (ids and sizes): not retried.
        let mut refused: HashSet<(usize, usize, usize, usize)> = HashSet::default();
        for (_, i, j) in self.pairs(features, speakers) {
            let (ci, cj) = (of[i], of[j]);
            if ci == cj {
                continue;
            }
            let key = (
                ci.min(cj),
                ci.max(cj),
                members[ci.min(cj)].len(),
                members[ci.max(cj)].len(),
            );
            if refused.contains(&key) {
                continue;
            }
            let mut total = 0.0;
            let mut count = 0usize;
            let mut compatible = true;
            'check: for &x in members[ci].iter().take(LINK_SAMPLE) {
                for &y in members[cj].iter().take(LINK_SAMPLE) {
                    if conflict(&features[x], &features[y]).is_some() {
                        compatible = false;
                        break 'check;
                    }
                    total += self.similarity(x, y);
                    count += 1;
                }
            }
            if !compatible || total / (count.max(1) as f64) < LINK {
                refused.insert(key);
                continue;
            }
            let (keep, gone) = if members[ci].len() >= members[cj].len() {
                (ci, cj)
            } else {
                (cj, ci)
            };
            let moved = std::mem::take(&mut members[gone]);
            for &x in &moved {
                of[x] = keep;
            }
            members[keep].extend(moved);
        }
        let mut clusters: Vec<Vec<usize>> = members.into_iter().filter(|m| !m.is_empty()).collect();
        for c in &mut clusters {
            c.sort_unstable();
        }
        clusters.sort_by_key(|c| c[0]);
        clusters
    }
}

/// The part of a sorted posting list that a content at position `at` reads: all of it when short,
/// else the [`MAX_POSTING`] entries around `at`.
fn window(list: &[usize], at: usize) -> &[usize] {
    if list.len() <= MAX_POSTING {
        return list;
    }
    let mid = list.partition_point(|&j| j < at);
    let start = mid.saturating_sub(MAX_POSTING / 2).min(list.len() - MAX_POSTING);
    &list[start..start + MAX_POSTING]
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
        let clusters = Index::new(&f).cluster(&f, &[]);
        assert!(clusters.contains(&vec![0, 1, 2]), "{clusters:?}");
        assert!(clusters.contains(&vec![3, 5]), "{clusters:?}");
        assert!(clusters.contains(&vec![4]), "{clusters:?}");
    }

    #[test]
    fn a_weekday_alone_joins_only_one_speakers_words() {
        let f: Vec<Features> = [
            "talks would not restart before Monday",
            "the sirens had not sounded on Monday night",
        ]
        .iter()
        .map(|c| features(c))
        .collect();
        let index = Index::new(&f);
        assert!(index.similarity(0, 1) >= THRESHOLD, "the day alone is similar enough");
        assert_eq!(index.cluster(&f, &[]), vec![vec![0], vec![1]]);
        assert_eq!(
            index.cluster(&f, &[Some("org:union"), Some("person:orlich")]),
            vec![vec![0], vec![1]]
        );
        assert_eq!(
            index.cluster(&f, &[Some("org:union"), Some("org:union")]),
            vec![vec![0, 1]]
        );
    }

    #[test]
    fn a_long_posting_is_read_around_the_reader() {
        let list: Vec<usize> = (0..1000).map(|i| i * 2).collect();
        let w = window(&list, 1000);
        assert_eq!(w.len(), MAX_POSTING);
        assert!(w.contains(&998) && w.contains(&1000));
        assert_eq!(window(&list, 0)[0], 0);
        assert_eq!(*window(&list, 5000).last().unwrap(), 1998);
        assert_eq!(window(&list[..10], 3).len(), 10);
    }

    #[test]
    fn a_query_finds_its_neighbours() {
        let contents = [
            "the board met on Friday to agree the increase",
            "exports fell by four percent",
        ];
        let f: Vec<Features> = contents.iter().map(|c| features(c)).collect();
        let index = Index::new(&f);
        let found = index.similar(&features("the board had met on Friday"), 2);
        assert_eq!(found.first().map(|&(i, _)| i), Some(0));
        assert!(found.iter().all(|&(i, s)| i != 1 || s == 0.0));
    }
}
