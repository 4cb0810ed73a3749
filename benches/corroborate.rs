//! Cross-article corroboration throughput: claim matching (blocking + clustering), provenance
//! graphs and confidence over a synthetic store of N mentions, single-threaded.
//!
//! The store is generated: contents of 8–14 words drawn from a Zipf-like vocabulary that grows with
//! the store as real text does (Heaps' law: 40,000 words at 10,000 mentions, times the square root
//! of the growth), so most claims are unrelated, as in a real corpus; a fifth of them paraphrases of
//! a claim among the last 5,000 (a subset of its words, as echoes follow a report closely), one
//! mention in 25 relayed ("X reported"), named sources from 5,000 people, eight mentions an
//! article. No corpus text.
//!
//! Run with `cargo bench --bench corroborate` (or `make bench`); criterion prints mentions/s.

use claimtrace::corroborate::{Input, corroborate};
use claimtrace::model::Kind;
use claimtrace::store::{ArticleRow, ClaimRow, HopRow};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

/// A small deterministic generator (xorshift), so every run sees the same store.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Zipf-like: small indices are much more frequent.
    fn zipf(&mut self, n: u64) -> u64 {
        let u = (self.below(1_000_000) as f64 + 1.0) / 1_000_001.0;
        ((n as f64).powf(u) - 1.0) as u64
    }
}

fn word(i: u64) -> String {
    const SYLLABLES: [&str; 16] = [
        "ka", "lo", "mi", "ter", "van", "su", "pe", "dor", "ri", "an", "bel", "no", "ge", "tu", "ix", "ra",
    ];
    let mut w = String::new();
    let mut k = i + 16;
    while k > 0 {
        w.push_str(SYLLABLES[(k % 16) as usize]);
        k /= 16;
    }
    w
}

fn synthetic(n: usize) -> Input {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let per_article = 8;
    let n_articles = n.div_ceil(per_article);
    let articles: Vec<ArticleRow> = (0..n_articles)
        .map(|a| ArticleRow {
            article: format!("urn:article:{a}/"),
            name: format!("a{a}.txt"),
            published: Some(format!("2026-01-01T00:00:00Z+{a:08}")),
            publisher: Some(format!("Outlet {}", a % 200)),
            headline: None,
            claims: per_article,
        })
        .collect();
    let vocabulary = (40_000.0 * (n as f64 / 10_000.0).sqrt()).max(40_000.0) as u64;
    let mut contents: Vec<Vec<String>> = Vec::with_capacity(n);
    let mut claims = Vec::with_capacity(n);
    let mut hops = Vec::new();
    for i in 0..n {
        let a = i / per_article;
        let words: Vec<String> = if i > 0 && rng.below(5) == 0 {
            // Echoes follow their report closely: within the last 5,000 mentions.
            let back = 1 + rng.below((i as u64).min(5_000));
            let earlier = &contents[i - back as usize];
            earlier.iter().filter(|_| rng.below(4) != 0).cloned().collect()
        } else {
            let len = 8 + rng.below(7);
            (0..len).map(|_| word(rng.zipf(vocabulary))).collect()
        };
        let text = words.join(" ");
        contents.push(words);
        let attr = format!("urn:article:{a}/attr-{i}");
        let person = rng.below(5_000);
        let relayed = rng.below(25) == 0;
        if relayed {
            hops.push(HopRow {
                attr: attr.clone(),
                start: 0,
                relay: format!("urn:article:{a}/relay-{i}"),
                outlet: format!("urn:outlet:{}", rng.below(200)),
                name: Some(format!("Outlet {}", rng.below(200))),
                mention: "Outlet".to_owned(),
            });
        }
        claims.push(ClaimRow {
            attr,
            article: format!("urn:article:{a}/"),
            article_name: format!("a{a}.txt"),
            id: format!("E{i}"),
            kind: Kind::Indirect,
            rule: "bench".to_owned(),
            confidence: 0.5,
            label: "medium".to_owned(),
            start: 100,
            end: 100 + text.chars().count(),
            claim: text,
            claim_iri: format!("urn:article:{a}/claim-{i}"),
            cue: "said".to_owned(),
            cue_start: None,
            source: Some(format!("Person{person} Name{person}")),
            source_start: Some(0),
            agent: Some(format!("urn:agent:{person}")),
            agent_name: Some(format!("Person{person} Name{person}")),
            source_type: None,
            anonymous: Some(false),
            count: Some(1),
            via: None,
            reasons: Vec::new(),
        });
    }
    Input {
        articles,
        claims,
        hops,
        texts: Default::default(),
    }
}

#[expect(clippy::print_stderr, reason = "a benchmark tells what it measured")]
fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("corroborate");
    group.sample_size(10);
    let sizes: Vec<usize> = std::env::var("CLAIMTRACE_BENCH_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000]);
    for n in sizes {
        let input = synthetic(n);
        let started = std::time::Instant::now();
        let result = corroborate(&input);
        eprintln!("one run over {n} mentions: {:.2} s", started.elapsed().as_secs_f64());
        let multi = result.clusters.iter().filter(|c| c.mentions.len() > 1).count();
        let largest = result.clusters.iter().map(|c| c.mentions.len()).max().unwrap_or(0);
        eprintln!(
            "corroborate benchmark: {n} mentions → {} clusters ({multi} with several mentions, the largest {largest})",
            result.clusters.len()
        );
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("mentions", n), &input, |b, input| {
            b.iter(|| corroborate(black_box(input)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
