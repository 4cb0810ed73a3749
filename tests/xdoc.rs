//! `claimtrace eval-xdoc` agrees with the reference scorer `../shared/tools/score_xdoc.py`, line for
//! line and figure for figure, on a fixture prediction that exercises every one of its rules
//! (`tests/data/xdoc/README.md`), in each of the three input shapes, and on a perfect prediction
//! built from the gold itself.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn gold() -> PathBuf {
    crate::util::root().join("samples/xdoc/gold.json")
}

fn articles() -> PathBuf {
    crate::util::root().join("samples/xdoc")
}

fn fixture() -> PathBuf {
    crate::util::root().join("tests/data/xdoc/pred.json")
}

fn python(pred: &Path, extra: &[&str]) -> Output {
    Command::new("python3")
        .arg(crate::util::root().join("../shared/tools/score_xdoc.py"))
        .arg(gold())
        .arg(articles())
        .arg(pred)
        .args(extra)
        .output()
        .unwrap()
}

fn ours(pred: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimtrace"))
        .args(["eval-xdoc", "--gold"])
        .arg(gold())
        .arg("--pred")
        .arg(pred)
        .args(extra)
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    assert!(
        out.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// The detail lines, and the two summary lines (pairwise and B-cubed F1, then `xdoc: …`).
fn split(text: &str) -> (Vec<&str>, Vec<&str>) {
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() >= 2, "{text}");
    let (details, summary) = lines.split_at(lines.len() - 2);
    assert!(
        summary[0].starts_with("(pairwise F1 ") && summary[1].starts_with("xdoc: "),
        "{text}"
    );
    (details.to_vec(), summary.to_vec())
}

/// The figures of the summary lines, as printed: `[("pairwise_f1", "0.70"), ("cluster_f1", …), …]`,
/// and the three counts.
fn printed_figures(summary: &[&str]) -> (Vec<(String, String)>, Vec<u64>) {
    let pair = summary[0].trim_start_matches("(pairwise F1 ").trim_end_matches(')');
    let (pairwise, bcubed) = pair.split_once(", B-cubed F1 ").unwrap();
    let mut figures = vec![
        ("pairwise_f1".to_owned(), pairwise.to_owned()),
        ("bcubed_f1".to_owned(), bcubed.to_owned()),
    ];
    let (list, counts) = summary[1].trim_start_matches("xdoc: ").split_once(" (").unwrap();
    for item in list.split(", ") {
        let (name, value) = item.split_once(' ').unwrap();
        figures.push((name.to_owned(), value.to_owned()));
    }
    let counts = counts
        .split(", ")
        .map(|c| c.split(' ').next().unwrap().parse().unwrap())
        .collect();
    (figures, counts)
}

#[test]
fn same_output_as_the_reference_scorer() {
    let python_out = python(&fixture(), &[]);
    let ours_out = ours(&fixture(), &["--format", "table"]);
    let (theirs, mine) = (stdout(&python_out), stdout(&ours_out));
    let (their_details, their_summary) = split(&theirs);
    let (my_details, my_summary) = split(&mine);
    assert_eq!(my_summary, their_summary);
    assert_eq!(my_details, their_details);
    assert_eq!(mine, theirs);
    // Below the default floor of 0.8: exit code 1 from both; with --min 0, 0 from both.
    assert_eq!((python_out.status.code(), ours_out.status.code()), (Some(1), Some(1)));
    assert_eq!(python(&fixture(), &["--min", "0"]).status.code(), Some(0));
    assert_eq!(ours(&fixture(), &["--min", "0"]).status.code(), Some(0));
    // The fixture is not trivial: every kind of detail line shows up.
    for needle in [
        ": shares a cluster with ",
        ": no cluster (",
        ": independent roots ",
        ": circular 'yes' want true",
        ": circular True want false",
        ": denied_by 'Meridian Wire 2' want None",
        ": denied_by 'the government' want 'Transport Ministry'",
        " not comparable",
        "order: R6 (0.500) should be > R2 (0.500)",
    ] {
        assert!(my_details.iter().any(|l| l.contains(needle)), "{needle}");
    }
}

#[test]
fn json_figures_round_to_the_reference_figures() {
    let theirs = stdout(&python(&fixture(), &[]));
    let (their_details, their_summary) = split(&theirs);
    let (figures, counts) = printed_figures(&their_summary);
    assert_eq!(figures.len(), 9);
    let out = ours(&fixture(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    for (name, printed) in &figures {
        let value = v[name].as_f64().unwrap_or_else(|| panic!("{name} missing: {v}"));
        assert_eq!(&format!("{value:.2}"), printed, "{name}");
    }
    let c = &v["counts"];
    assert_eq!(
        vec![
            c["claims"].clone(),
            c["gold_mentions"].clone(),
            c["predicted_clusters"].clone()
        ],
        counts.into_iter().map(Value::from).collect::<Vec<_>>()
    );
    let details: Vec<&str> = v["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert_eq!(details, their_details);
    assert_eq!((v["min"].as_f64(), v["passed"].as_bool()), (Some(0.8), Some(false)));
    let out = ours(&fixture(), &["--format", "json", "--min", "0"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(serde_json::from_slice::<Value>(&out.stdout).unwrap()["passed"], true);
}

#[test]
fn every_input_shape_scores_the_same() {
    let clusters: Value = serde_json::from_str(&std::fs::read_to_string(fixture()).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let lines: Vec<String> = clusters.as_array().unwrap().iter().map(Value::to_string).collect();
    let shapes = [
        ("object.json", json!({ "clusters": clusters }).to_string()),
        ("lines.jsonl", lines.join("\n") + "\n\n"),
    ];
    let expected = stdout(&python(&fixture(), &[]));
    for (name, text) in shapes {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        assert_eq!(stdout(&python(&path, &[])), expected, "{name}");
        assert_eq!(stdout(&ours(&path, &[])), expected, "{name}");
    }
}

/// A perfect prediction built from the gold: one cluster per claim, each gold mention located by
/// its text, the gold's counts, flags and deniers, and confidences that respect every order pair.
fn perfect_prediction(gold: &Value) -> Value {
    let mut claims: Vec<&Value> = Vec::new();
    let mut orders: Vec<(&str, &str)> = Vec::new();
    for event in gold["events"].as_array().unwrap() {
        claims.extend(event["claims"].as_array().unwrap());
        for pair in event["confidence_order"].as_array().unwrap() {
            let (a, op, b) = (
                pair[0].as_str().unwrap(),
                pair[1].as_str().unwrap(),
                pair[2].as_str().unwrap(),
            );
            orders.push(if op == ">" { (a, b) } else { (b, a) });
        }
    }
    // depth(lo) > depth(hi) for every pair (hi above lo); confidence falls with depth.
    let mut depth: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
    for _ in 0..=orders.len() {
        for (hi, lo) in &orders {
            let d = depth.get(hi).copied().unwrap_or(0) + 1;
            if depth.get(lo).copied().unwrap_or(0) < d {
                depth.insert(lo, d);
            }
        }
    }
    let clusters: Vec<Value> = claims
        .iter()
        .map(|c| {
            let id = c["id"].as_str().unwrap();
            let mentions: Vec<Value> = c["mentions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| {
                    let file = m["file"].as_str().unwrap();
                    let content = m["content_text"].as_str().unwrap();
                    let text = std::fs::read_to_string(articles().join(file)).unwrap();
                    let start = text[..text.find(content).unwrap()].chars().count();
                    let end = start + content.chars().count();
                    json!({"article": file, "content": {"start": start, "end": end, "text": content}})
                })
                .collect();
            json!({
                "cluster": id,
                "mentions": mentions,
                "root_sources": c["root_sources"],
                "independent_root_count": c["independent_root_count"],
                "circular": c["circular"],
                "denied_by": c["denied_by"],
                "confidence": 0.9 - 0.1 * f64::from(depth.get(id).copied().unwrap_or(0)),
            })
        })
        .collect();
    Value::Array(clusters)
}

#[test]
fn a_perfect_prediction_scores_one_in_both_scorers() {
    let gold: Value = serde_json::from_str(&std::fs::read_to_string(gold()).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("perfect.json");
    std::fs::write(&path, serde_json::to_string_pretty(&perfect_prediction(&gold)).unwrap()).unwrap();

    let python_out = python(&path, &[]);
    let theirs = stdout(&python_out);
    let (details, summary) = split(&theirs);
    assert!(details.is_empty(), "{theirs}");
    let (figures, _) = printed_figures(&summary);
    assert!(figures.iter().all(|(_, v)| v == "1.00"), "{theirs}");
    assert_eq!(python_out.status.code(), Some(0));

    let ours_out = ours(&path, &["--format", "table"]);
    assert_eq!(stdout(&ours_out), theirs);
    assert_eq!(ours_out.status.code(), Some(0));
    let out = ours(&path, &["--format", "json", "--min", "1"]);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    for (name, _) in &figures {
        assert_eq!(v[name].as_f64(), Some(1.0), "{name}");
    }
}

#[test]
fn input_errors_exit_with_2() {
    let run = |args: &[&std::ffi::OsStr]| {
        Command::new(env!("CARGO_BIN_EXE_claimtrace"))
            .arg("eval-xdoc")
            .args(args)
            .output()
            .unwrap()
    };
    // The gold's articles are not where --articles says: with --pred, and without (when the
    // articles are ingested into a temporary store).
    let dir = tempfile::tempdir().unwrap();
    let out = run(&[
        "--gold".as_ref(),
        gold().as_ref(),
        "--articles".as_ref(),
        dir.path().as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("port-01-castellan-courier.txt"));
    let out = run(&[
        "--gold".as_ref(),
        gold().as_ref(),
        "--pred".as_ref(),
        fixture().as_ref(),
        "--articles".as_ref(),
        dir.path().as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("port-01-castellan-courier.txt"));
    // Predictions that are not a cluster list.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "42\n").unwrap();
    let out = run(&["--gold".as_ref(), gold().as_ref(), "--pred".as_ref(), bad.as_ref()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a cluster list"));
}

#[test]
fn the_extractor_that_ingests_the_articles_is_chosen_with_model() {
    let run = |model: &str| {
        Command::new(env!("CARGO_BIN_EXE_claimtrace"))
            .args([
                "eval-xdoc",
                "--format",
                "json",
                "--min",
                "0",
                "--model",
                model,
                "--gold",
            ])
            .arg(gold())
            .output()
            .unwrap()
    };
    let figures = |out: &std::process::Output| -> Value {
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let fast = figures(&run("fast"));
    let rules = figures(&run("rules"));
    // The rules alone miss mentions the tagger finds ("Tallis's comments put …").
    let recall = |v: &Value| v["mention_recall"].as_f64().unwrap();
    assert!(recall(&rules) < recall(&fast), "{rules} vs {fast}");
    let out = run("no-such-model.ctm");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-model.ctm"));
}
