//! Extraction throughput, single-threaded (so the figures are per core).
//!
//! Input: the dev part of PolNeAR read by path (`CLAIMTRACE_BENCH_GOLD`, default
//! `../shared/data/polnear/train.jsonl`), or the articles under `samples/` when it is absent.
//! No corpus text is stored in the repository.
//!
//! Run with `cargo bench --bench extract` (or `make bench`); criterion prints the throughput.
//! The accurate model runs on the first ten documents only (it is a few hundred times slower),
//! when its encoder is at hand (`make encoder`, or `CLAIMTRACE_ENCODER`).

use claimtrace::eval::Split;
use claimtrace::extract::{Tagger, extract_rules, extract_with};
use claimtrace::text::analyze;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::PathBuf;

/// The benchmark texts and where they came from.
fn corpus() -> (Vec<String>, String) {
    let gold = std::env::var_os("CLAIMTRACE_BENCH_GOLD")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/polnear/train.jsonl"));
    if let Ok(jsonl) = std::fs::read_to_string(&gold) {
        let texts: Vec<String> = jsonl
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter(|doc| doc["id"].as_str().is_some_and(|id| Split::Dev.contains(id)))
            .filter_map(|doc| doc["text"].as_str().map(str::to_owned))
            .collect();
        if !texts.is_empty() {
            return (texts, format!("{} (dev split)", gold.display()));
        }
    }
    let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&samples)
        .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.sort();
    let texts = paths.iter().filter_map(|p| std::fs::read_to_string(p).ok()).collect();
    (texts, samples.display().to_string())
}

#[expect(clippy::print_stderr, reason = "a benchmark tells where its input came from")]
fn bench(c: &mut Criterion) {
    let (texts, origin) = corpus();
    let bytes: usize = texts.iter().map(String::len).sum();
    eprintln!(
        "extraction benchmark: {} documents, {bytes} bytes from {origin}",
        texts.len()
    );
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function("analyze", |b| {
        b.iter(|| {
            for text in &texts {
                black_box(analyze(black_box(text)));
            }
        })
    });
    group.bench_function("rules", |b| {
        b.iter(|| {
            for text in &texts {
                black_box(extract_rules(black_box(text), analyze(text)));
            }
        })
    });
    if let Some(tagger) = Tagger::shipped() {
        group.bench_function("fast (default)", |b| {
            b.iter(|| {
                for text in &texts {
                    black_box(extract_with(black_box(text), Some(tagger)));
                }
            })
        });
    }
    group.finish();
    let dir = std::env::var_os("CLAIMTRACE_ENCODER")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(claimtrace::extract::tagger::encoder::DEFAULT_DIR)
        });
    let accurate = claimtrace::extract::tagger::encoder::Encoder::load(&dir)
        .map_err(|e| e.to_string())
        .and_then(|encoder| {
            let mut tagger = Tagger::accurate().cloned().ok_or("models/accurate.ctm does not load")?;
            tagger.attach(std::sync::Arc::new(encoder)).map_err(|e| e.to_string())?;
            Ok(tagger)
        });
    let tagger = match accurate {
        Ok(tagger) => tagger,
        Err(e) => return eprintln!("accurate model not benchmarked: {e}"),
    };
    let few = &texts[..texts.len().min(10)];
    let bytes: usize = few.iter().map(String::len).sum();
    let mut group = c.benchmark_group("extract-accurate");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function("accurate (first 10 documents)", |b| {
        b.iter(|| {
            for text in few {
                black_box(extract_with(black_box(text), Some(&tagger)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
