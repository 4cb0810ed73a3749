//! Ingest at corpus scale, end to end on RocksDB stores: every input format (gzip anywhere),
//! hostile input reported with path and position while the rest goes in, a real `kill -9` in the
//! middle of an ingest resumed to exactly the store of a clean run, changed documents, `stats`.

use assert_cmd::Command;
use claimtrace::store::Store;
use serde_json::Value;
use std::io::Write;
use std::path::Path;

fn claimtrace(store: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_claimtrace"));
    cmd.env("CLAIMTRACE_STORE", store).env_remove("XDG_DATA_HOME");
    cmd
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// A WARC response record holding `html`.
fn warc_response(target: &str, html: &str) -> Vec<u8> {
    let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}");
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {target}\r\nWARC-Date: 2026-02-04T10:00:00Z\r\n\
         WARC-Record-ID: <urn:uuid:{target}>\r\nContent-Type: application/http; msgtype=response\r\n\
         Content-Length: {}\r\n\r\n",
        http.len()
    )
    .into_bytes();
    out.extend_from_slice(http.as_bytes());
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn page(title: &str, outlet: &str, body: &str) -> String {
    format!(
        "<html><head><title>{title} | {outlet}</title><meta property=\"og:site_name\" content=\"{outlet}\">\
         <meta property=\"article:published_time\" content=\"2026-02-04\"></head><body>\
         <nav>Home | World | said</nav><article><h1>{title}</h1>{body}</article><footer>(c)</footer></body></html>"
    )
}

fn stats(store: &Path) -> Value {
    let out = claimtrace(store).args(["stats", "--format", "json"]).output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Every claim's offsets point at its text in the stored article text.
fn assert_offsets_hold(store: &Path) -> usize {
    let s = Store::open_read_only(store).unwrap();
    let mut checked = 0;
    for article in s.articles().unwrap() {
        let text = s.article_text(&article.article).unwrap().unwrap();
        let chars: Vec<char> = text.chars().collect();
        for row in s.claims(Some(&article.article)).unwrap() {
            let slice: String = chars[row.start..row.end].iter().collect();
            assert_eq!(slice, row.claim, "{} {}..{}", article.name, row.start, row.end);
            checked += 1;
        }
    }
    checked
}

#[test]
fn every_format_is_read_and_gzip_is_recognised_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let inputs = dir.path().join("in");
    std::fs::create_dir_all(inputs.join("pages")).unwrap();
    std::fs::write(
        inputs.join("pages/talks.html"),
        page(
            "Talks stall",
            "The Courier",
            "<p>The minister said the talks had stalled.</p><p>Two officials told the Courier that no date was set.</p>",
        ),
    )
    .unwrap();
    let jsonl = "{\"id\":\"j1\",\"text\":\"The spokesman said the port would reopen on Monday.\",\"outlet\":\"Meridian Wire\",\"title\":\"Port to reopen\"}\n\
                 {\"id\":\"j2\",\"text\":\"According to the ministry, exports rose by 4 percent.\"}\n";
    std::fs::write(inputs.join("news.jsonl.gz"), gzip(jsonl.as_bytes())).unwrap();
    // Each WARC record its own gzip member, as crawlers write them.
    let mut warc = gzip(&warc_response(
        "https://a.example/1",
        &page(
            "Vote delayed",
            "Alpha News",
            "<p>The senator said the vote would be delayed.</p>",
        ),
    ));
    warc.extend(gzip(&warc_response(
        "https://a.example/2",
        &page(
            "Deal near",
            "Alpha News",
            "<p>Negotiators said a deal was near, according to Reuters.</p>",
        ),
    )));
    std::fs::write(inputs.join("crawl.warc.gz"), warc).unwrap();
    // Gzip without the suffix, as text.
    std::fs::write(
        inputs.join("plain.txt"),
        gzip(b"The mayor said the bridge would close for repairs.\n"),
    )
    .unwrap();

    let out = claimtrace(&store).arg("ingest").arg(&inputs).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("ingested 6 documents (6 added"), "{stderr}");

    let s = Store::open_read_only(&store).unwrap();
    let articles = s.articles().unwrap();
    let names: Vec<&str> = articles.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "https://a.example/1",
            "https://a.example/2",
            "j1",
            "j2",
            "pages/talks.html",
            "plain.txt"
        ]
    );
    let html = articles.iter().find(|a| a.name == "pages/talks.html").unwrap();
    assert_eq!(html.publisher.as_deref(), Some("Courier"));
    assert_eq!(html.published.as_deref(), Some("2026-02-04"));
    // The stored text is the article, without navigation or footer; the headline first.
    let text = s.article_text(&html.article).unwrap().unwrap();
    assert_eq!(
        text,
        "Talks stall\n\nThe minister said the talks had stalled.\n\nTwo officials told the Courier that no date was set.\n"
    );
    let warc = articles.iter().find(|a| a.name == "https://a.example/2").unwrap();
    assert_eq!(warc.publisher.as_deref(), Some("Alpha News"));
    drop(s);
    assert!(assert_offsets_hold(&store) >= 5);

    let stats = stats(&store);
    assert_eq!(stats["articles"], 6);
    assert!(stats["claims"].as_u64().unwrap() >= 5, "{stats}");
    assert!(stats["outlets"].as_u64().unwrap() >= 3, "{stats}");
    assert_eq!(stats["rulesets"].as_array().unwrap().len(), 1);
    assert!(stats["disk_bytes"].as_u64().unwrap() > 0);
}

#[test]
fn hostile_input_is_reported_with_its_position_and_the_rest_goes_in() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    // A JSON Lines stream cut in the middle of its third record.
    let mut jsonl = String::new();
    for i in 1..=3 {
        jsonl.push_str(&format!(
            "{{\"id\":\"cut{i}\",\"text\":\"Officials said round {i} of the talks ended without a deal.\"}}\n"
        ));
    }
    let gz = gzip(jsonl.as_bytes());
    std::fs::write(inputs.join("cut.jsonl.gz"), &gz[..gz.len() - 12]).unwrap();
    // One broken line between good ones, and a 100 MB line (skipped without being held in memory).
    let mut lines = std::fs::File::create(inputs.join("lines.jsonl")).unwrap();
    writeln!(
        lines,
        "{{\"id\":\"ok1\",\"text\":\"The envoy said the ceasefire held.\"}}"
    )
    .unwrap();
    writeln!(lines, "{{\"id\":\"broken\",\"text\":").unwrap();
    write!(lines, "{{\"id\":\"huge\",\"text\":\"").unwrap();
    let chunk = "word ".repeat(1 << 16);
    for _ in 0..(100 << 20) / chunk.len() {
        lines.write_all(chunk.as_bytes()).unwrap();
    }
    writeln!(lines).unwrap();
    writeln!(
        lines,
        "{{\"id\":\"ok2\",\"text\":\"The envoy later told reporters that talks would resume.\"}}"
    )
    .unwrap();
    drop(lines);
    // A 100 MB text file on one line.
    let mut huge = std::fs::File::create(inputs.join("huge.txt")).unwrap();
    for _ in 0..(100 << 20) / chunk.len() {
        huge.write_all(chunk.as_bytes()).unwrap();
    }
    drop(huge);
    // A WARC file cut inside its second record.
    let mut warc = warc_response(
        "https://b.example/1",
        &page("One", "Beta", "<p>The chief said one thing.</p>"),
    );
    let second = warc_response(
        "https://b.example/2",
        &page("Two", "Beta", "<p>The chief said another.</p>"),
    );
    warc.extend_from_slice(&second[..second.len() / 2]);
    std::fs::write(inputs.join("cut.warc"), warc).unwrap();
    // Deeply nested, truncated HTML still gives its text.
    std::fs::write(
        inputs.join("deep.html"),
        format!(
            "<p>The council said the plan was final.{}<b>and then",
            "<div><span>".repeat(20_000)
        ),
    )
    .unwrap();
    std::fs::write(
        inputs.join("latin1.txt"),
        b"The caf\xe9 owner said prices would rise.\n",
    )
    .unwrap();
    std::fs::write(inputs.join("binary.html"), b"\x89PNG\r\n\x1a\n\0\0\0IHDR").unwrap();
    std::fs::write(inputs.join("empty.txt"), b"").unwrap();

    let out = claimtrace(&store).arg("ingest").arg(&inputs).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let path = |name: &str| inputs.join(name).display().to_string();
    for want in [
        format!("{}:3: cannot read further", path("cut.jsonl.gz")),
        format!("{}:2:", path("lines.jsonl")),
        format!(
            "{}:3: document larger than 16777216 bytes, skipped",
            path("lines.jsonl")
        ),
        format!("{}: document larger than 16777216 bytes, skipped", path("huge.txt")),
        format!(
            "{}:record 2: the file ends inside the record (truncated)",
            path("cut.warc")
        ),
        format!("{}:1:8: invalid UTF-8", path("latin1.txt")),
        format!("{}: binary file", path("binary.html")),
        format!("{}: empty document", path("empty.txt")),
    ] {
        assert_eq!(stderr.matches(want.as_str()).count(), 1, "{want}\n{stderr}");
    }
    assert!(
        stderr.contains("ingested 6 documents") && stderr.contains("8 failed"),
        "{stderr}"
    );
    let names: Vec<String> = Store::open_read_only(&store)
        .unwrap()
        .articles()
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(
        names,
        ["cut1", "cut2", "deep.html", "https://b.example/1", "ok1", "ok2"]
    );

    // --lossy reads what strict reading refused; the document that failed is now added.
    let out = claimtrace(&store)
        .args(["ingest", "--lossy"])
        .arg(inputs.join("latin1.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stats(&store)["articles"], 7);
    assert!(assert_offsets_hold(&store) > 0);
}

#[test]
fn changed_documents_are_kept_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let doc = dir.path().join("story.txt");
    std::fs::write(&doc, "The minister said the talks had stalled.\n").unwrap();
    claimtrace(&store).arg("ingest").arg(&doc).assert().success();
    // A copy of the same text under another name is not a second article.
    let copy = dir.path().join("copy.txt");
    std::fs::copy(&doc, &copy).unwrap();
    let out = claimtrace(&store).arg("ingest").arg(&copy).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 duplicates"));

    std::fs::write(&doc, "The minister said the talks had resumed.\n").unwrap();
    let out = claimtrace(&store).arg("ingest").arg(&doc).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("\"story.txt\" is stored with another text; kept (--force replaces it)"),
        "{stderr}"
    );
    let text = |store: &Path| {
        let s = Store::open_read_only(store).unwrap();
        let articles = s.articles().unwrap();
        assert_eq!(articles.len(), 1);
        s.article_text(&articles[0].article).unwrap().unwrap()
    };
    assert!(text(&store).contains("stalled"));

    let out = claimtrace(&store)
        .args(["ingest", "--force"])
        .arg(&doc)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 replaced"));
    assert!(text(&store).contains("resumed"));
    // The old version left nothing behind: the store equals a clean ingest of the new text.
    let clean = dir.path().join("clean");
    claimtrace(&clean).arg("ingest").arg(&doc).assert().success();
    assert_eq!(
        Store::open_read_only(&store).unwrap().quads().unwrap(),
        Store::open_read_only(&clean).unwrap().quads().unwrap()
    );
    // Compaction keeps every quad; a store that is not there is an error, not a new empty store.
    claimtrace(&store).arg("optimize").assert().success();
    assert_eq!(
        Store::open_read_only(&store).unwrap().quads().unwrap(),
        Store::open_read_only(&clean).unwrap().quads().unwrap()
    );
    let missing = dir.path().join("missing");
    claimtrace(&missing).arg("optimize").assert().code(2);
    assert!(!missing.exists());
}

/// Repeats of a name or a text anywhere in a stream (within a batch or across batches) are decided
/// against the stored first occurrence: the store equals an ingest of the first occurrences alone.
#[test]
fn repeats_across_batches_are_decided_after_their_first_occurrence_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let doc = |id: &str, text: &str| format!("{}\n", serde_json::json!({ "id": id, "text": text }));
    let text = |i: usize| format!("Report {i}. The minister said the talks on item {i} had stalled.");
    let (mut stream, mut firsts) = (String::new(), String::new());
    let (mut copies, mut renamed) = (0, 0);
    for i in 0..900 {
        let line = doc(&format!("doc-{i:04}"), &text(i));
        stream.push_str(&line);
        firsts.push_str(&line);
        if i % 37 == 36 {
            // Soon after, and far after: the same text under another name, another text under the name.
            for back in [1, 30] {
                stream.push_str(&doc(&format!("copy-{i}-{back}"), &text(i - back)));
                stream.push_str(&doc(&format!("doc-{:04}", i - back), &format!("Changed {i}.")));
                (copies, renamed) = (copies + 1, renamed + 1);
            }
        }
    }
    let (input, first_only) = (dir.path().join("stream.jsonl"), dir.path().join("firsts.jsonl"));
    std::fs::write(&input, stream).unwrap();
    std::fs::write(&first_only, firsts).unwrap();
    let store = dir.path().join("store");
    let out = claimtrace(&store).arg("ingest").arg(&input).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "(900 added, 0 replaced, 0 unchanged, {copies} duplicates, {renamed} changed and kept)"
        )),
        "{stderr}"
    );
    let clean = dir.path().join("clean");
    claimtrace(&clean).arg("ingest").arg(&first_only).assert().success();
    assert_eq!(
        Store::open_read_only(&store).unwrap().quads().unwrap(),
        Store::open_read_only(&clean).unwrap().quads().unwrap()
    );
}

/// An article extracted with another model is outdated: ingesting it again with the default model
/// re-extracts it, and the store then equals a clean ingest with that model.
#[test]
fn another_model_outdates_stored_articles() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let (seed, _) = crate::util::seed();
    let summary = |args: &[&str]| {
        let out = claimtrace(&store).arg("ingest").args(args).arg(&seed).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stderr).unwrap()
    };
    assert!(summary(&["--model", "rules"]).contains("(1 added, 0 replaced, 0 unchanged"));
    assert!(summary(&["--model", "rules"]).contains("(0 added, 0 replaced, 1 unchanged"));
    assert!(summary(&[]).contains("(0 added, 1 replaced, 0 unchanged"));
    let versions = stats(&store)["rulesets"].clone();
    assert_eq!(versions.as_array().unwrap().len(), 1, "{versions}");
    assert!(
        !versions[0]["version"].as_str().unwrap().contains("model none"),
        "{versions}"
    );
    // The store equals a clean ingest, but for the description of the activity that ran before (a
    // record of what ran, shared by the articles it generated, kept).
    let clean = dir.path().join("clean");
    claimtrace(&clean).arg("ingest").arg(&seed).assert().success();
    let mut quads = Store::open_read_only(&store).unwrap().quads().unwrap();
    let before = quads.len();
    quads.retain(|q| !q.subject.to_string().contains("-none-"));
    assert_eq!(
        before - quads.len(),
        3,
        "type, tool and version of the rules-only activity"
    );
    assert_eq!(quads, Store::open_read_only(&clean).unwrap().quads().unwrap());
}

#[test]
fn a_killed_ingest_resumes_to_the_store_of_a_clean_run() {
    let dir = tempfile::tempdir().unwrap();
    let (_, seed) = crate::util::seed();
    let input = dir.path().join("batch.jsonl");
    let documents = 800;
    let mut lines = String::new();
    for i in 0..documents {
        let text = format!("Report {i}.\n\n{seed}");
        lines.push_str(&serde_json::json!({ "id": format!("doc-{i:04}"), "text": text }).to_string());
        lines.push('\n');
    }
    std::fs::write(&input, lines).unwrap();

    let store = dir.path().join("killed");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_claimtrace"))
        .args(["ingest", "--quiet", "--store"])
        .arg(&store)
        .arg(&input)
        .spawn()
        .unwrap();
    // Wait until the first batch is in the store, then kill the process in the middle of the next.
    let stored = |store: &Path| {
        Store::open_read_only(store)
            .ok()
            .and_then(|s| s.articles().ok())
            .map_or(0, |a| a.len())
    };
    let started = std::time::Instant::now();
    while stored(&store) == 0 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the ingest ended before it could be killed"
        );
        assert!(started.elapsed().as_secs() < 600);
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_millis(100));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let partial = stored(&store);
    assert!(partial > 0 && partial < documents, "killed after {partial} documents");

    // The same command again finishes the job, extracting only what is missing.
    let out = claimtrace(&store).arg("ingest").arg(&input).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "({} added, 0 replaced, {partial} unchanged",
            documents - partial
        )),
        "{stderr}"
    );

    let clean = dir.path().join("clean");
    claimtrace(&clean).arg("ingest").arg(&input).assert().success();
    let resumed = Store::open_read_only(&store).unwrap().quads().unwrap();
    let fresh = Store::open_read_only(&clean).unwrap().quads().unwrap();
    assert_eq!(resumed.len(), fresh.len());
    assert!(resumed == fresh, "the resumed store differs from a clean ingest");
    assert_eq!(stats(&store)["articles"], documents);
}
