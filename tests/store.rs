//! The store: idempotent ingest, every shipped query parses and runs, typed rows.

use claimtrace::extract::extract;
use claimtrace::rdf::article_quads;
use claimtrace::store::{IngestOutcome, QUERIES, Store};

fn seed_store(store: &Store) -> claimtrace::rdf::ArticleQuads {
    let (_, text) = crate::util::seed();
    let quads = article_quads(
        "iran-us-talks-2026-02-04.txt",
        &text,
        &extract(&text),
        &Default::default(),
    );
    store.ingest(&quads).unwrap();
    quads
}

#[test]
fn reingest_changes_nothing_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let quads = seed_store(&store);
    let first = store.quads().unwrap();
    assert_eq!(store.ingest(&quads).unwrap(), IngestOutcome::Unchanged);
    assert_eq!(store.quads().unwrap(), first);
    // The same text under another name replaces the catalogue entry, and nothing else.
    let (_, text) = crate::util::seed();
    let renamed = article_quads("copy.txt", &text, &extract(&text), &Default::default());
    assert_eq!(store.ingest(&renamed).unwrap(), IngestOutcome::Replaced);
    assert_eq!(store.quads().unwrap().len(), first.len());
    assert_eq!(store.articles().unwrap()[0].name, "copy.txt");
}

#[test]
fn every_shipped_query_parses_and_runs() {
    let store = Store::in_memory().unwrap();
    seed_store(&store);
    for query in QUERIES {
        let rows = store.run_named(query).unwrap_or_else(|e| panic!("{}: {e}", query.name));
        // Queries with a substituted variable run unbound here: they must still run.
        let _ = rows;
    }
    assert_eq!(
        QUERIES.len(),
        std::fs::read_dir(crate::util::root().join("src/sparql"))
            .unwrap()
            .count()
    );
}

#[test]
fn typed_rows_of_the_seed() {
    let store = Store::in_memory().unwrap();
    let quads = seed_store(&store);
    let claims = store.claims(Some(quads.article.as_str())).unwrap();
    assert_eq!(claims.len(), 10);
    let e3 = &claims[2];
    assert_eq!(
        (e3.id.as_str(), e3.via.as_deref(), e3.count, e3.anonymous),
        ("E3", Some("Axios"), Some(2), Some(true))
    );
    assert_eq!(store.reasons(&e3.attr).unwrap().len(), 4);
    assert_eq!(store.chain(&e3.attr).unwrap()[0].mention, "the Axios news platform");
    let e5 = &claims[4];
    let detail = store.source_detail(&e5.attr).unwrap().unwrap();
    let mentions: Vec<&str> = detail.mentions.iter().map(|(_, m)| m.as_str()).collect();
    assert_eq!(mentions, ["A U.S. official", "The official"]);
    let sources = store.sources().unwrap();
    assert!(
        sources
            .iter()
            .any(|s| s.name.as_deref() == Some("Marco Rubio") && s.claims == 1)
    );
    assert_eq!(
        sources
            .iter()
            .find(|s| s.name.as_deref() == Some("Abbas Araghchi"))
            .unwrap()
            .claims,
        2
    );
}

#[test]
fn trace_finds_by_id_text_and_iri() {
    let store = Store::in_memory().unwrap();
    seed_store(&store);
    let by_text = claimtrace::trace::find(&store, "bilateral format").unwrap();
    assert_eq!(by_text.len(), 2, "E1 and E3 mention a bilateral format");
    let e3 = claimtrace::trace::find(&store, "iran-us-talks-2026-02-04.txt#E3").unwrap();
    assert_eq!(e3.len(), 1);
    let by_iri = claimtrace::trace::find(&store, &e3[0].attr).unwrap();
    assert_eq!(by_iri, e3);
    let trace = claimtrace::trace::trace(&store, &e3[0]).unwrap();
    assert!(trace.context.text.starts_with("According to two U.S. officials"));
    assert_eq!(trace.chain.len(), 1);
    assert_eq!(
        trace.path.last().map(String::as_str),
        Some("two U.S. officials (anonymous)")
    );
    assert!(
        claimtrace::trace::find(&store, "no such words anywhere")
            .unwrap()
            .is_empty()
    );
}
