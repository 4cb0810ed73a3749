//! `claimtrace eval` agrees with the reference scorer `../shared/tools/score_attrib.py`, number for
//! number, on fixture predictions that exercise every one of its rules.

use serde_json::Value;
use std::process::Command;

fn fixture(name: &str) -> std::path::PathBuf {
    crate::util::root().join("tests/data/eval").join(name)
}

fn reference_scorer() -> std::path::PathBuf {
    crate::util::root().join("../shared/tools/score_attrib.py")
}

fn python_scores() -> Value {
    let out = Command::new("python3")
        .arg(reference_scorer())
        .arg(fixture("gold.jsonl"))
        .arg(fixture("pred.jsonl"))
        .arg("--json")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn claimtrace_scores(extra: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_claimtrace"))
        .args(["eval", "--format", "json", "--gold"])
        .arg(fixture("gold.jsonl"))
        .arg("--pred")
        .arg(fixture("pred.jsonl"))
        .args(extra)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn same_numbers_as_the_reference_scorer() {
    let python = python_scores();
    let ours = claimtrace_scores(&[]);
    for component in ["source", "cue", "content"] {
        for matching in ["exact", "partial"] {
            for key in ["tp", "gold", "pred", "precision", "recall", "f1"] {
                assert_eq!(
                    ours[component][matching][key], python[component][matching][key],
                    "{component} {matching} {key}"
                );
            }
        }
    }
    assert_eq!(ours["attribution"], python["attribution"]);
    assert_eq!(ours["docs"], python["docs"]);
    assert_eq!(ours["warnings"], python["warnings"]);
    assert_eq!(ours["settings"], python["settings"]);
    // The fixture is not trivial: partial and exact differ, and some things fail.
    assert_ne!(ours["source"]["exact"]["tp"], ours["source"]["partial"]["tp"]);
    assert!(ours["attribution"]["f1"].as_f64().unwrap() < 1.0);
}

#[test]
fn same_table_as_the_reference_scorer() {
    let python = Command::new("python3")
        .arg(reference_scorer())
        .arg(fixture("gold.jsonl"))
        .arg(fixture("pred.jsonl"))
        .output()
        .unwrap();
    let ours = Command::new(env!("CARGO_BIN_EXE_claimtrace"))
        .args(["eval", "--gold"])
        .arg(fixture("gold.jsonl"))
        .arg("--pred")
        .arg(fixture("pred.jsonl"))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(ours.stdout).unwrap(),
        String::from_utf8(python.stdout).unwrap()
    );
}

#[test]
fn errors_and_kinds_account_for_every_attribution() {
    let ours = claimtrace_scores(&["--by-kind", "--errors", "100"]);
    let gold = ours["attribution"]["gold"].as_u64().unwrap();
    let pred = ours["attribution"]["pred"].as_u64().unwrap();
    let tp = ours["attribution"]["tp"].as_u64().unwrap();
    assert_eq!(ours["missed"].as_array().unwrap().len() as u64, gold - tp);
    assert_eq!(ours["spurious"].as_array().unwrap().len() as u64, pred - tp);
    let kinds = ours["by_kind"].as_array().unwrap();
    let kind_gold: u64 = kinds.iter().map(|k| k["recall"]["gold"].as_u64().unwrap()).sum();
    let kind_found: u64 = kinds.iter().map(|k| k["recall"]["tp"].as_u64().unwrap()).sum();
    assert_eq!((kind_gold, kind_found), (gold, tp));
    let direct = kinds.iter().find(|k| k["kind"] == "direct").unwrap();
    assert_eq!(direct["recall"]["gold"], 1, "the split quotation of d2");
}

#[test]
fn running_the_extractor_scores_the_gold_text() {
    // Without --pred, claimtrace extracts from the gold texts: the plain "said" of d4 is found.
    let out = Command::new(env!("CARGO_BIN_EXE_claimtrace"))
        .args(["eval", "--format", "json", "--gold"])
        .arg(fixture("gold.jsonl"))
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["docs"]["missing_in_pred"], 0);
    assert!(v["attribution"]["tp"].as_u64().unwrap() >= 4, "{}", v["attribution"]);
}

#[test]
fn a_trained_model_is_what_eval_runs() {
    // Train on the fixture documents, then score the tagger alone with that model: it learns its
    // training data. A model file that is not one is refused with exit code 2.
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m.ctm");
    let run = |args: &[&std::ffi::OsStr]| {
        Command::new(env!("CARGO_BIN_EXE_claimtrace"))
            .args(args)
            .output()
            .unwrap()
    };
    let gold = fixture("gold.jsonl");
    let out = run(&[
        "train".as_ref(),
        "--gold".as_ref(),
        gold.as_ref(),
        "--out".as_ref(),
        model.as_ref(),
        "--epochs".as_ref(),
        "8".as_ref(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let scores = |model: &std::path::Path| {
        let out = run(&[
            "eval".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
            "--tagger-only".as_ref(),
            "--model".as_ref(),
            model.as_ref(),
            "--gold".as_ref(),
            gold.as_ref(),
        ]);
        (
            out.status.code(),
            serde_json::from_slice::<Value>(&out.stdout).ok(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, v, _) = scores(&model);
    assert_eq!(code, Some(0));
    let v = v.unwrap();
    assert!(v["cue"]["partial"]["recall"].as_f64().unwrap() >= 0.5, "{}", v["cue"]);
    std::fs::write(&model, b"CTTAGGER but not really").unwrap();
    let (code, _, stderr) = scores(&model);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("loading model") && stderr.contains("m.ctm"), "{stderr}");
}

#[test]
fn a_silver_reading_gives_the_model_its_syntactic_layers_and_bad_ones_are_refused() {
    // A silver reading of the fixture documents: every whitespace-separated word a noun, by the
    // character offset of its first letter, hanging from the word before (as `models/silver.py`
    // writes them: first char, tag, head index, relation).
    let dir = tempfile::tempdir().unwrap();
    let gold = fixture("gold.jsonl");
    let mut silver = String::new();
    for line in std::fs::read_to_string(&gold).unwrap().lines() {
        let doc: Value = serde_json::from_str(line).unwrap();
        let text = doc["text"].as_str().unwrap();
        let chars: Vec<char> = text.chars().collect();
        let starts =
            (0..chars.len()).filter(|&k| !chars[k].is_whitespace() && (k == 0 || chars[k - 1].is_whitespace()));
        let tokens: Vec<Value> = starts
            .enumerate()
            .map(|(i, k)| serde_json::json!([k, "NN", i.saturating_sub(1), "compound"]))
            .collect();
        silver.push_str(&serde_json::json!({"id": doc["id"], "tokens": tokens}).to_string());
        silver.push('\n');
    }
    let train_with = |silver_text: &str, extra: &[&str]| {
        let path = dir.path().join("silver.jsonl");
        std::fs::write(&path, silver_text).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_claimtrace"))
            .args(["train", "--epochs", "2", "--parser", "--gold"])
            .arg(&gold)
            .args(extra)
            .arg("--out")
            .arg(dir.path().join("m.ctm"))
            .arg("--silver")
            .arg(&path)
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let train = |silver_text: &str| train_with(silver_text, &[]);
    let (code, stderr) = train(&silver);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("4 with part-of-speech tags"), "{stderr}");
    let bytes = std::fs::read(dir.path().join("m.ctm")).unwrap();
    let model = claimtrace::extract::Tagger::from_bytes(&bytes).unwrap();
    assert_eq!(model.info.pos_documents, 4);
    assert!(model.info.parse_sentences > 0, "{:?}", model.info);

    // With --parser the taggers learn from jackknifed layers (five folds, trained in parallel):
    // the same bytes again, and other weights than with the layers trained on every document.
    assert_eq!(train(&silver).0, Some(0));
    assert_eq!(std::fs::read(dir.path().join("m.ctm")).unwrap(), bytes);
    assert_eq!(train_with(&silver, &["--folds", "1"]).0, Some(0));
    let unfolded = std::fs::read(dir.path().join("m.ctm")).unwrap();
    assert_ne!(unfolded, bytes);
    let unfolded = claimtrace::extract::Tagger::from_bytes(&unfolded).unwrap();
    assert_eq!(unfolded.info, model.info, "the same data and options otherwise");

    // Tokens out of text order, a head past the last token, and offsets past the document's
    // text: refused, with the line.
    let (code, stderr) = train("{\"id\": \"d1\", \"tokens\": [[4, \"NN\"], [0, \"DT\"]]}\n");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("silver.jsonl:1") && stderr.contains("text order"),
        "{stderr}"
    );
    let (code, stderr) = train("{\"id\": \"d1\", \"tokens\": [[0, \"DT\", 1, \"det\"], [4, \"NN\", 2, \"ROOT\"]]}\n");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("silver.jsonl:1") && stderr.contains("head past the last token"),
        "{stderr}"
    );
    let (code, stderr) = train("{\"id\": \"d1\", \"tokens\": [[0, \"DT\"], [100000, \"NN\"]]}\n");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("d1") && stderr.contains("run past its text"),
        "{stderr}"
    );
}
