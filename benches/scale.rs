//! Corpus-scale figures in one run, printed as one table (`make bench`, or
//! `cargo bench --bench scale`): extraction MB/s at one thread and at every core, end-to-end ingest
//! MB/s into RocksDB with the release binary and its peak RSS on streams of two sizes, trace latency
//! p50/p99 and the shipped `.rq` queries on a store of at least 1 M claims, and textacy on the same
//! text for the speed ratio.
//!
//! Input: the samples and the PolNeAR texts, read by path (`CLAIMTRACE_BENCH_GOLD`, default
//! `../shared/data/polnear/train.jsonl`); nothing of the corpus is stored in the repository. The
//! 1 M-claim store is made by replaying those texts under new ids (each with a line that makes its
//! text, hence its hash, new), written with the bulk loader, and kept under `target/bench/` for the
//! next run (`CLAIMTRACE_BENCH_CLAIMS` changes the size). The peer runs when a Python with textacy
//! is found (`CLAIMTRACE_PEERS_PYTHON`, else `target/venv-peers/bin/python`; `make bench` makes it).

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    reason = "a benchmark binary"
)]

use claimtrace::extract::{Tagger, extract_with};
use claimtrace::model::DocId;
use claimtrace::rdf::iri::ArticleIris;
use claimtrace::read::Publication;
use claimtrace::store::Store;
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// (id, text) of the samples and of every PolNeAR document.
fn corpus() -> Vec<(String, String)> {
    let mut docs = Vec::new();
    for dir in ["samples", "samples/xdoc"] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        paths.sort();
        for path in paths.iter().filter(|p| p.extension().is_some_and(|e| e == "txt")) {
            if let Ok(text) = std::fs::read_to_string(path) {
                docs.push((path.file_name().unwrap().to_string_lossy().into_owned(), text));
            }
        }
    }
    let gold = std::env::var_os("CLAIMTRACE_BENCH_GOLD")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/data/polnear/train.jsonl"));
    if let Ok(jsonl) = std::fs::read_to_string(&gold) {
        for line in jsonl.lines() {
            if let Ok(doc) = serde_json::from_str::<serde_json::Value>(line) {
                if let (Some(id), Some(text)) = (doc["id"].as_str(), doc["text"].as_str()) {
                    docs.push((id.to_owned(), text.to_owned()));
                }
            }
        }
    }
    docs
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

/// Runs `command`, returning its wall time and peak RSS (the kernel's VmHWM, read while it runs).
fn run_measured(command: &mut Command) -> (Duration, u64, String) {
    let started = Instant::now();
    let mut child = command.stderr(Stdio::piped()).spawn().expect("starting the command");
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0u64;
    loop {
        if let Ok(status) = std::fs::read_to_string(&status_path) {
            if let Some(kb) = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse().ok())
            {
                peak_kb = peak_kb.max(kb);
            }
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let elapsed = started.elapsed();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    (elapsed, peak_kb * 1024, stderr)
}

fn write_jsonl(path: &Path, docs: &[(String, String)], replays: usize) -> usize {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut bytes = 0;
    for k in 0..replays {
        for (id, text) in docs {
            let text = replayed(text, k);
            bytes += text.len();
            serde_json::to_writer(
                &mut out,
                &serde_json::json!({ "id": format!("{id}~{k}"), "text": text }),
            )
            .unwrap();
            out.write_all(b"\n").unwrap();
        }
    }
    out.flush().unwrap();
    bytes
}

/// The text of replay `k`: the same text, with a last line that makes it (and its hash) new.
fn replayed(text: &str, k: usize) -> String {
    if k == 0 {
        text.to_owned()
    } else {
        format!("{text}\n\n(Replay {k}.)\n")
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

struct Table(Vec<(String, String)>);

impl Table {
    fn row(&mut self, what: impl Into<String>, figure: impl Into<String>) {
        let (what, figure) = (what.into(), figure.into());
        println!("  {what:<58} {figure}");
        self.0.push((what, figure));
    }
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let tagger = Tagger::shipped().expect("the shipped model loads").clone();
    let activity = claimtrace::rdf::Activity::new(Some(&tagger));
    let docs = corpus();
    let bytes: usize = docs.iter().map(|(_, t)| t.len()).sum();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "claimtrace scale bench: {} documents, {:.2} MB (samples + PolNeAR texts), {cores} cores",
        docs.len(),
        mb(bytes)
    );
    let mut table = Table(Vec::new());

    // 1. Extraction, no store.
    let started = Instant::now();
    let claims_per_doc: Vec<usize> = docs
        .iter()
        .map(|(_, t)| extract_with(t, Some(&tagger)).attributions.len())
        .collect();
    let one = started.elapsed();
    let per_core = mb(bytes) / one.as_secs_f64();
    table.row("extraction, default model, 1 thread", format!("{per_core:.2} MB/s"));
    let started = Instant::now();
    let _: Vec<usize> = docs
        .par_iter()
        .map(|(_, t)| extract_with(t, Some(&tagger)).attributions.len())
        .collect();
    let all = started.elapsed();
    table.row(
        format!("extraction, default model, {cores} threads"),
        format!("{:.2} MB/s", mb(bytes) / all.as_secs_f64()),
    );

    // 2. End-to-end ingest with the release binary, on a stream and on one four times as long.
    let work = root().join("target/bench");
    std::fs::create_dir_all(&work).unwrap();
    let binary = root().join("target/release/claimtrace");
    if binary.exists() {
        for replays in [1, 4] {
            let input = work.join(format!("stream-{replays}.jsonl"));
            let stream_bytes = write_jsonl(&input, &docs, replays);
            let store = work.join(format!("ingest-store-{replays}"));
            let _ = std::fs::remove_dir_all(&store);
            let (elapsed, rss, _) = run_measured(
                Command::new(&binary)
                    .args(["ingest", "--quiet", "--store"])
                    .arg(&store)
                    .arg(&input),
            );
            table.row(
                format!(
                    "ingest into RocksDB, {:.1} MB JSONL stream, {cores} threads",
                    mb(stream_bytes)
                ),
                format!(
                    "{:.2} MB/s, peak RSS {:.0} MiB",
                    mb(stream_bytes) / elapsed.as_secs_f64(),
                    rss as f64 / (1 << 20) as f64
                ),
            );
            let _ = std::fs::remove_dir_all(&store);
            let _ = std::fs::remove_file(&input);
        }
    } else {
        println!("  (no target/release/claimtrace: `cargo build --release` for the ingest figures)");
    }

    // 3. A store of at least 1 M claims, kept between runs.
    let wanted: usize = std::env::var("CLAIMTRACE_BENCH_CLAIMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let per_replay: usize = claims_per_doc.iter().sum();
    let replays = wanted.div_ceil(per_replay.max(1));
    let store_dir = work.join(format!("store-{wanted}"));
    // The marker names the activity that wrote the store: a store of another extractor or graph
    // layout is built again.
    let marker = store_dir.join("complete");
    if std::fs::read_to_string(&marker).ok().as_deref() != Some(activity.iri.as_str()) {
        let _ = std::fs::remove_file(store_dir.join("compacted"));
        let _ = std::fs::remove_dir_all(&store_dir);
        let store = Store::open(&store_dir).unwrap();
        let started = Instant::now();
        let extractions: Vec<_> = docs.par_iter().map(|(_, t)| extract_with(t, Some(&tagger))).collect();
        for k in 0..replays {
            let articles: Vec<_> = docs
                .par_iter()
                .zip(&extractions)
                .map(|((id, text), extraction)| {
                    let text = replayed(text, k);
                    claimtrace::rdf::article_quads(
                        &format!("{id}~{k}"),
                        &text,
                        extraction,
                        &Publication::default(),
                        &activity,
                    )
                })
                .collect();
            store.bulk_ingest(articles).unwrap();
            print!("\r  building the {wanted}-claim store: replay {}/{replays}", k + 1);
            std::io::stdout().flush().unwrap();
        }
        store.flush().unwrap();
        println!(" ({:.0} s)", started.elapsed().as_secs_f64());
        std::fs::write(&marker, activity.iri.as_str()).unwrap();
    }
    let compacted = store_dir.join("compacted");
    if !compacted.exists() {
        let started = Instant::now();
        Store::open(&store_dir).unwrap().optimize().unwrap();
        table.row(
            "compacting the store (Store::optimize)",
            format!("{:.0} s", started.elapsed().as_secs_f64()),
        );
        std::fs::write(&compacted, b"").unwrap();
    }
    let store = Store::open_read_only(&store_dir).unwrap();
    let articles = store.article_count().unwrap();
    table.row(
        "store for the latency figures",
        format!(
            "{articles} articles, ~{} claims, {} quads",
            per_replay * replays,
            store.len().unwrap()
        ),
    );

    // 4. Trace latency: find by IRI + assemble, for claims spread over the store.
    let mut attrs = Vec::new();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    while attrs.len() < 200 {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let k = (state >> 33) as usize % replays;
        let (_, text) = &docs[(state >> 13) as usize % docs.len()];
        let article = ArticleIris::new(&DocId::of_text(&replayed(text, k))).article();
        if let Some(row) = store.claims(Some(article.as_str())).unwrap().first() {
            attrs.push(row.attr.clone());
        }
    }
    let mut times = Vec::new();
    for attr in &attrs {
        let started = Instant::now();
        let rows = claimtrace::trace::find(&store, attr).unwrap();
        let trace = claimtrace::trace::trace(&store, &rows[0]).unwrap();
        times.push(started.elapsed());
        assert_eq!(trace.attribution, *attr);
    }
    times.sort();
    table.row(
        "trace by IRI (find + trace), 200 claims",
        format!(
            "p50 {}, p99 {}",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99))
        ),
    );

    // 5. The shipped queries: per article or attribution (median of 50), whole store (one run).
    let article = ArticleIris::new(&DocId::of_text(&docs[0].1)).article().into_string();
    let attr = attrs[0].clone();
    type Call<'a> = Box<dyn Fn() -> usize + 'a>;
    let per_item: Vec<(&str, Call<'_>)> = vec![
        (
            "claims.rq, one article",
            Box::new(|| store.claims(Some(&article)).unwrap().len()),
        ),
        (
            "claim.rq, one attribution",
            Box::new(|| store.attribution(&attr).unwrap().len()),
        ),
        (
            "article_text.rq",
            Box::new(|| store.article_text(&article).unwrap().map_or(0, |t| t.len())),
        ),
        ("reasons.rq", Box::new(|| store.reasons(&attr).unwrap().len())),
        ("fragments.rq", Box::new(|| store.fragments(&attr).unwrap().len())),
        (
            "source_detail.rq",
            Box::new(|| usize::from(store.source_detail(&attr).unwrap().is_some())),
        ),
        (
            "chain.rq, one attribution",
            Box::new(|| store.chain(&attr).unwrap().len()),
        ),
    ];
    for (name, call) in &per_item {
        let mut times: Vec<Duration> = (0..50)
            .map(|_| {
                let started = Instant::now();
                std::hint::black_box(call());
                started.elapsed()
            })
            .collect();
        times.sort();
        table.row(format!("{name} (median of 50)"), ms(percentile(&times, 0.5)));
    }
    let whole: Vec<(&str, Call<'_>)> = vec![
        ("articles.rq, whole store", Box::new(|| store.articles().unwrap().len())),
        (
            "stats.rq + rulesets.rq, whole store",
            Box::new(|| store.stats(false).unwrap().articles),
        ),
        (
            "sources.rq + source_description.rq, top 100",
            Box::new(|| store.sources(Some(100)).unwrap().len()),
        ),
        (
            "sources.rq + source_description.rq, every source",
            Box::new(|| store.sources(None).unwrap().len()),
        ),
    ];
    for (name, call) in &whole {
        let started = Instant::now();
        let n = call();
        table.row(format!("{name} (one run, {n} rows)"), ms(started.elapsed()));
    }

    // 6. The peer, on the same text.
    let python = std::env::var_os("CLAIMTRACE_PEERS_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/venv-peers/bin/python"));
    let script = root().join("../shared/peers/textacy_baseline.py");
    if python.exists() && script.exists() {
        // A slice of the corpus: textacy is about a thousand times slower.
        let mut slice = Vec::new();
        let mut slice_bytes = 0;
        for doc in docs.iter().skip(20) {
            if slice_bytes > 300_000 {
                break;
            }
            slice_bytes += doc.1.len();
            slice.push(doc.clone());
        }
        let input = work.join("peer-slice.jsonl");
        write_jsonl(&input, &slice, 1);
        let (_, _, stderr) = run_measured(
            Command::new(&python)
                .arg(&script)
                .arg(&input)
                .arg("-o")
                .arg(work.join("peer-pred.jsonl"))
                .stdout(Stdio::null()),
        );
        let peer = stderr
            .split_whitespace()
            .collect::<Vec<_>>()
            .windows(2)
            .find(|w| w[1] == "MB/s")
            .and_then(|w| w[0].parse::<f64>().ok());
        let started = Instant::now();
        for (_, text) in &slice {
            std::hint::black_box(extract_with(text, Some(&tagger)));
        }
        let ours = mb(slice_bytes) / started.elapsed().as_secs_f64();
        match peer {
            Some(peer) => table.row(
                format!("textacy 0.13 on the same {:.2} MB, 1 process", mb(slice_bytes)),
                format!(
                    "{peer:.4} MB/s; claimtrace 1 thread {ours:.2} MB/s = {:.0}x",
                    ours / peer
                ),
            ),
            None => println!("  textacy printed no throughput:\n{stderr}"),
        }
    } else {
        println!("  (textacy not found: `make bench` installs it in target/venv-peers)");
    }
    let machine = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|m| m.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_default();
    println!("machine: {machine}, {cores} cores");
}
