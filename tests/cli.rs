//! The command line, end to end, on temporary RocksDB stores: exit codes, errors naming paths,
//! idempotent ingest, output that parses.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::Path;

fn claimtrace(store: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_claimtrace"));
    cmd.env("CLAIMTRACE_STORE", store).env_remove("XDG_DATA_HOME");
    cmd
}

/// The seed article (samples/ also holds the cross-article set under samples/xdoc/).
fn seed() -> std::path::PathBuf {
    crate::util::root().join("samples/iran-us-talks-2026-02-04.txt")
}

fn quad_count(store: &Path) -> usize {
    claimtrace::store::Store::open_read_only(store).unwrap().len().unwrap()
}

#[test]
fn ingest_twice_gives_the_same_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    claimtrace(&store)
        .args(["ingest"])
        .arg(seed())
        .assert()
        .success()
        .stderr(predicate::str::contains("1 added"));
    let first = claimtrace::store::Store::open_read_only(&store)
        .unwrap()
        .quads()
        .unwrap();
    claimtrace(&store)
        .args(["ingest"])
        .arg(seed())
        .assert()
        .success()
        .stderr(predicate::str::contains("1 unchanged"));
    let second = claimtrace::store::Store::open_read_only(&store)
        .unwrap()
        .quads()
        .unwrap();
    assert_eq!(first, second);
    assert!(first.len() > 300);
}

#[test]
fn a_broken_batch_reports_each_path_and_keeps_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    std::fs::write(inputs.join("bad-utf8.txt"), b"Officials said\nthe \xff deal failed.").unwrap();
    std::fs::write(inputs.join("empty.txt"), b"").unwrap();
    std::fs::write(inputs.join("binary.txt"), b"\x7fELF\0\0\x01").unwrap();
    std::fs::copy(crate::util::seed().0, inputs.join("seed.txt")).unwrap();
    let empty_dir = dir.path().join("nothing-here");
    std::fs::create_dir(&empty_dir).unwrap();
    std::fs::write(empty_dir.join("image.png"), b"\x89PNG").unwrap();
    let missing = dir.path().join("missing.txt");
    let output = claimtrace(&store)
        .arg("ingest")
        .arg(&inputs)
        .arg(&empty_dir)
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    let expect = [
        format!("{}:2:5: invalid UTF-8", inputs.join("bad-utf8.txt").display()),
        format!("{}: binary file", inputs.join("binary.txt").display()),
        format!("{}: empty document", inputs.join("empty.txt").display()),
        format!("{}: directory holds no", empty_dir.display()),
        format!("{}: No such file", missing.display()),
    ];
    for want in &expect {
        assert_eq!(
            lines.iter().filter(|l| l.contains(want.as_str())).count(),
            1,
            "{want}\n{stderr}"
        );
    }
    assert!(lines.last().unwrap().contains("ingested 1 documents") && lines.last().unwrap().contains("5 failed"));
    // The good document is in the store, complete.
    let claims = claimtrace(&store)
        .args(["claims", "--format", "json"])
        .output()
        .unwrap();
    let rows: Vec<Value> = serde_json::from_slice(&claims.stdout).unwrap();
    assert_eq!(rows.len(), 10);
}

#[test]
fn exit_codes_and_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    // No store yet: a store error.
    claimtrace(&store)
        .arg("claims")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no store at"));
    claimtrace(&store)
        .arg("ingest")
        .arg(crate::util::seed().0)
        .assert()
        .success();
    // Unknown format: usage error, 2.
    claimtrace(&store)
        .args(["claims", "--format", "yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("yaml"));
    // Nothing found: 1.
    claimtrace(&store)
        .args(["claims", "--source", "Kremlin"])
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty().not());
    claimtrace(&store).args(["trace", "zebra crossing"]).assert().code(1);
    claimtrace(&store)
        .args(["query", "ASK { ?s <http://example.org/nope> ?o }"])
        .assert()
        .code(1);
    // Found: 0.
    claimtrace(&store)
        .args(["claims", "--anonymous", "--format", "json"])
        .assert()
        .success();
    // Bad SPARQL: 2, one line.
    let out = claimtrace(&store).args(["query", "SELEC nothing"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .starts_with("claimtrace: invalid SPARQL query")
    );
    // A report of an unknown article lists the known ones.
    claimtrace(&store)
        .args(["report", "nope.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("iran-us-talks-2026-02-04.txt"));
}

#[test]
fn claims_filters_and_sources() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    claimtrace(&store).arg("ingest").arg(seed()).assert().success();
    let json = |args: &[&str]| -> Vec<Value> {
        let out = claimtrace(&store).args(args).output().unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let anonymous = json(&["claims", "--anonymous", "--format", "json"]);
    let ids: Vec<&str> = anonymous.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["E3", "E4", "E5", "E6"]);
    let direct = json(&["claims", "--kind", "direct", "--format", "json"]);
    assert_eq!(direct.len(), 3);
    let rubio = json(&[
        "claims",
        "--source",
        "rubio",
        "--format",
        "json",
        "--article",
        "iran-us-talks-2026-02-04.txt",
    ]);
    assert_eq!(rubio.len(), 1);
    assert_eq!(rubio[0]["kind"], "mixed");
    let sources = json(&["sources", "--format", "json"]);
    let araghchi = sources.iter().find(|s| s["name"] == "Abbas Araghchi").unwrap();
    assert_eq!(araghchi["claims"], 2);
    assert_eq!(araghchi["affiliation"], "Iranian government");
}

#[test]
fn trace_and_report_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    claimtrace(&store).arg("ingest").arg(seed()).assert().success();
    let out = claimtrace(&store).args(["trace", "Axios"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("via        Axios (\"the Axios news platform\")"),
        "{text}"
    );
    assert!(text.contains("confidence 0.500 (medium)"), "{text}");
    let out = claimtrace(&store)
        .args(["trace", "E5", "--format", "json"])
        .output()
        .unwrap();
    let traces: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(traces[0]["source"]["mentions"].as_array().unwrap().len(), 2);
    let article = "iran-us-talks-2026-02-04.txt";
    let report = |format: &str| {
        let out = claimtrace(&store)
            .args(["report", article, "--format", format])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let json: Value = serde_json::from_str(&report("json")).unwrap();
    assert_eq!(json["claims"].as_array().unwrap().len(), 10);
    assert_eq!(json["published"], "2026-02-04T21:51:00");
    assert!(report("md").contains("| E3 | according-to | two U.S. officials | Axios | 0.50 (medium) |"));
    assert!(report("text").contains("E10"));
    let dot = report("dot");
    assert!(dot.starts_with("digraph provenance {") && dot.contains("said by") && dot.contains("reported via"));
    // The DOT source is valid for Graphviz (installed by `make test`).
    if which("dot") {
        let svg = report("svg");
        assert!(svg.contains("<svg") && svg.contains("Axios"));
    }
}

fn which(program: &str) -> bool {
    std::process::Command::new(program).arg("-V").output().is_ok()
}

#[test]
fn extract_writes_rdf_and_the_json_contract_without_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("never-created");
    let seed = crate::util::seed().0;
    let out = claimtrace(&store)
        .args(["extract", "--format", "jsonl"])
        .arg(&seed)
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["id"], "iran-us-talks-2026-02-04.txt");
    let e3 = &doc["attributions"][2];
    assert_eq!(e3["source"]["text"], "two U.S. officials");
    assert_eq!(e3["source"]["fragments"], serde_json::json!([[656, 674]]));
    assert_eq!(e3["intermediary"]["text"], "the Axios news platform");
    assert_eq!(
        (e3["anonymous"].as_bool(), e3["source_count"].as_u64()),
        (Some(true), Some(2))
    );
    assert_eq!(e3["rule"], "according-to");
    assert_eq!(doc["attributions"][1]["source"], Value::Null);
    for format in ["turtle", "trig", "nquads", "jsonld"] {
        let out = claimtrace(&store)
            .args(["extract", "--format", format])
            .arg(&seed)
            .output()
            .unwrap();
        assert!(out.status.success() && out.stdout.len() > 1000, "{format}");
    }
    assert!(!store.exists());
    // JSON Lines input, from stdin, with the default extractor or another --model.
    let line = serde_json::json!({"id": "w1", "text": "The minister said that prices would fall."}).to_string();
    let extract_line = |model: &str| {
        claimtrace(&store)
            .args([
                "extract",
                "-",
                "--input-format",
                "jsonl",
                "--format",
                "jsonl",
                "--model",
                model,
            ])
            .write_stdin(line.clone())
            .output()
            .unwrap()
    };
    let doc: Value = serde_json::from_slice(&extract_line("fast").stdout).unwrap();
    assert_eq!(doc["id"], "w1");
    // The rules leave the complementizer out, the tagger (PolNeAR's convention) keeps it.
    let content = doc["attributions"][0]["content"]["text"].as_str().unwrap();
    assert!(
        ["prices would fall", "that prices would fall"].contains(&content),
        "{content}"
    );
    // --model rules: the rules alone, with their conventions; a missing model file is a usage error.
    let doc: Value = serde_json::from_slice(&extract_line("rules").stdout).unwrap();
    assert_eq!(doc["attributions"][0]["content"]["text"], "prices would fall");
    assert_eq!(doc["attributions"][0]["rule"], "verb-that");
    let out = extract_line("no-such-model.ctm");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-model.ctm"));
}

#[test]
fn query_formats() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    claimtrace(&store).arg("ingest").arg(seed()).assert().success();
    let q = "PREFIX ct: <https://w3id.org/claimtrace#> SELECT (COUNT(?a) AS ?n) WHERE { ?a a ct:Attribution }";
    let csv = claimtrace(&store)
        .args(["query", q, "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(csv.stdout).unwrap().replace('\r', ""), "n\n10\n");
    let json = claimtrace(&store)
        .args(["query", q, "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["results"]["bindings"][0]["n"]["value"], "10");
    let file = dir.path().join("q.rq");
    std::fs::write(&file, q).unwrap();
    claimtrace(&store)
        .args(["query", "--file"])
        .arg(&file)
        .args(["--format", "tsv"])
        .assert()
        .success()
        .stdout(predicate::str::contains("10"));
    // Reading the same store from two processes at once works (read-only opens).
    let quads = quad_count(&store);
    assert!(quads > 0);
}

/// An article is a publication by its outlet: from the `Outlet:`/`Published:` header, from a wire
/// dateline, or from the JSON Lines fields (which win over the text).
#[test]
fn articles_are_publications_by_their_outlet() {
    let dir = tempfile::tempdir().unwrap();
    let header = dir.path().join("header.txt");
    std::fs::write(&header, "Outlet: The Harbour Gazette\nPublished: 2026-03-02T06:30:00Z\nPort shut\n\nThe port was shut, officials said.\n").unwrap();
    let wire = dir.path().join("wire.txt");
    std::fs::write(
        &wire,
        "Port shut\n\nVELM, March 2 (Meridian Wire) - The port stayed shut, the minister said.\n",
    )
    .unwrap();
    let jsonl = dir.path().join("docs.jsonl");
    std::fs::write(
        &jsonl,
        "{\"id\": \"j1\", \"text\": \"Outlet: Wrong Name\\n\\nThe port was shut, officials said.\", \"outlet\": \"The Daily Ledger\", \"published\": \"2026-03-04\", \"url\": \"https://example.org/j1\"}\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_claimtrace"))
        .args(["extract", "--format", "nquads"])
        .args([&header, &wire, &jsonl])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let nq = String::from_utf8(out.stdout).unwrap();
    let publisher = "<http://schema.org/publisher>";
    for (slug, name) in [
        ("harbour-gazette", "Harbour Gazette"),
        ("meridian-wire", "Meridian Wire"),
        ("daily-ledger", "Daily Ledger"),
    ] {
        let agent = format!("<https://w3id.org/claimtrace/id/agent/{slug}>");
        assert!(
            nq.lines().any(|l| l.contains(publisher) && l.contains(&agent)),
            "{slug}"
        );
        assert!(
            nq.lines()
                .any(|l| l.starts_with(&agent) && l.contains(&format!("\"{name}\""))),
            "{name}"
        );
    }
    assert!(!nq.contains("wrong-name"));
    assert!(nq.contains("\"2026-03-02T06:30:00Z\"^^<http://www.w3.org/2001/XMLSchema#dateTime>"));
    assert!(nq.contains("\"2026-03-04\"^^<http://www.w3.org/2001/XMLSchema#date>"));
    assert!(nq.contains("<http://schema.org/url> \"https://example.org/j1\""));
}

#[test]
fn the_accurate_model_needs_its_encoder_and_says_where_to_get_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-encoder");
    claimtrace(&dir.path().join("store"))
        .args(["extract", "--model", "accurate", "--encoder"])
        .arg(&missing)
        .arg(seed())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(missing.display().to_string()).and(predicate::str::contains("make encoder")));
    // The fast model never reads it.
    claimtrace(&dir.path().join("store"))
        .args(["extract", "--encoder"])
        .arg(&missing)
        .arg(seed())
        .assert()
        .success();
}
