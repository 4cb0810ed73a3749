//! The store: idempotent ingest, every shipped query parses and runs, typed rows.

use claimtrace::store::{IngestOutcome, QUERIES, Store};

fn seed_quads() -> claimtrace::rdf::ArticleQuads {
    let (_, text) = crate::util::seed();
    crate::util::quads_of("iran-us-talks-2026-02-04.txt", &text)
}

fn seed_store(store: &Store) -> claimtrace::rdf::ArticleQuads {
    let quads = seed_quads();
    store.ingest(&quads).unwrap();
    quads
}

/// An in-memory store of the seed and the cross-article samples.
fn samples_store() -> Store {
    let store = Store::in_memory().unwrap();
    seed_store(&store);
    crate::util::ingest_xdoc_articles(&store);
    store
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
    let renamed = crate::util::quads_of("copy.txt", &text);
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

/// The queries written in evaluation order (run without Oxigraph's planner when their first variable
/// is bound) give what the planner gives for every attribution of the samples, and `claim.rq` gives
/// the row `claims.rq` gives.
#[test]
fn queries_run_as_written_agree_with_the_planner() {
    let store = samples_store();
    let written: Vec<_> = QUERIES.iter().filter(|q| q.starts_from == Some("attr")).collect();
    let names: Vec<&str> = written.iter().map(|q| q.name).collect();
    for name in ["claim.rq", "fragments.rq", "source_detail.rq", "reasons.rq"] {
        assert!(names.contains(&name), "{name} is not run as written");
    }
    let claims = store.claims(None).unwrap();
    assert!(claims.len() > 40, "{} claims", claims.len());
    let mut with_rows = vec![0; written.len()];
    for row in &claims {
        for (query, seen) in written.iter().zip(&mut with_rows) {
            let as_written = store.named_rows_bound(query, "attr", &row.attr, false).unwrap();
            let planned = store.named_rows_bound(query, "attr", &row.attr, true).unwrap();
            assert_eq!(as_written, planned, "{} for {}", query.name, row.attr);
            *seen += usize::from(!as_written.is_empty());
        }
        assert_eq!(store.attribution(&row.attr).unwrap(), vec![row.clone()]);
    }
    for (name, seen) in names.iter().zip(&with_rows) {
        assert!(*seen > 0, "{name} gave no row for any attribution");
    }
}

/// The counts kept in the catalogue agree with the graphs, and a graph written without them (by an
/// older claimtrace) is counted instead.
#[test]
fn kept_counts_agree_with_the_graphs_and_missing_ones_are_counted() {
    use claimtrace::rdf::vocab::ct;
    let store = Store::in_memory().unwrap();
    let quads = seed_store(&store);
    let attributions = store.claims(Some(quads.article.as_str())).unwrap().len();
    let kept = |p| {
        quads
            .quads
            .iter()
            .filter(|q| q.graph_name.is_default_graph() && q.predicate.as_ref() == p)
            .map(|q| q.object.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        kept(ct::ATTRIBUTION_COUNT),
        [format!(
            "\"{attributions}\"^^<http://www.w3.org/2001/XMLSchema#integer>"
        )]
    );
    let stats = store.stats(true).unwrap();
    assert_eq!((stats.articles, stats.attributions), (1, attributions));
    assert!(stats.claims >= 1 && stats.claims <= attributions, "{stats:?}");
    assert_eq!(stats.quads, Some(quads.quads.len()));
    assert_eq!(store.articles().unwrap()[0].claims, attributions);

    // The same article without the kept counts: the figures stay the same, counted from the graph.
    let mut older = quads.clone();
    older
        .quads
        .retain(|q| q.predicate.as_ref() != ct::ATTRIBUTION_COUNT && q.predicate.as_ref() != ct::CLAIM_COUNT);
    assert_eq!(older.quads.len(), quads.quads.len() - 2);
    assert_eq!(store.ingest(&older).unwrap(), IngestOutcome::Replaced);
    assert_eq!(store.len().unwrap(), older.quads.len());
    let old = store.stats(false).unwrap();
    assert_eq!(
        (old.attributions, old.claims, old.quads),
        (stats.attributions, stats.claims, None)
    );
    assert_eq!(store.articles().unwrap()[0].claims, attributions);
}

#[test]
fn articles_are_found_by_iri_name_and_id_prefix_without_listing_them() {
    let store = Store::in_memory().unwrap();
    let quads = seed_store(&store);
    let row = store.article(quads.article.as_str()).unwrap().unwrap();
    assert_eq!(row.name, "iran-us-talks-2026-02-04.txt");
    assert_eq!(store.article("https://example.org/not-stored").unwrap(), None);
    assert_eq!(store.article("not an IRI").unwrap(), None);
    assert_eq!(
        store.articles_named("iran-us-talks-2026-02-04.txt").unwrap(),
        [quads.article.as_str()]
    );
    let id = quads.doc.as_str();
    assert_eq!(
        store.articles_with_id_prefix(&id[..8]).unwrap(),
        [quads.article.as_str()]
    );
    assert!(store.articles_with_id_prefix("zzzzzz").unwrap().is_empty());
    assert_eq!(store.some_article_names().unwrap(), ["iran-us-talks-2026-02-04.txt"]);
    assert_eq!(store.article_count().unwrap(), 1);
    assert_eq!(store.article_count_up_to(0).unwrap(), 1, "more than none");
    assert_eq!(store.article_count_up_to(5).unwrap(), 1);
}

/// A query over the catalogue reads what it would over the union of all graphs (its article data is
/// read inside `GRAPH`), also with a saved corroboration graph, whose nodes share IRIs with the
/// articles' agents; `sources` still describes agents from the articles that cite them.
#[test]
fn catalogue_queries_read_as_over_the_union() {
    use claimtrace::store::Dataset;
    let store = samples_store();
    let before = store.sources(None).unwrap();
    let input = claimtrace::corroborate::Input::from_store(&store).unwrap();
    let result = claimtrace::corroborate::corroborate(&input);
    let graph = claimtrace::rdf::iri::CORROBORATION_GRAPH;
    assert!(
        store
            .replace_graph(graph, &claimtrace::report::corroboration_quads(&result))
            .unwrap()
            > 0
    );
    let mut checked = 0;
    for query in QUERIES.iter().filter(|q| q.dataset == Dataset::Catalogue) {
        let catalogue = store.named_rows_over(query, Dataset::Catalogue).unwrap();
        assert_eq!(
            catalogue,
            store.named_rows_over(query, Dataset::Union).unwrap(),
            "{}",
            query.name
        );
        checked += usize::from(!catalogue.is_empty());
    }
    assert!(checked >= 8, "{checked} catalogue queries gave rows unbound");
    assert_eq!(store.sources(None).unwrap(), before);
    assert!(
        before
            .iter()
            .any(|s| s.name.as_deref() == Some("Marco Rubio") && s.title.is_some())
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
    let sources = store.sources(None).unwrap();
    assert!(
        sources.windows(2).all(|w| w[0].claims >= w[1].claims),
        "most claims first"
    );
    assert_eq!(store.sources(Some(2)).unwrap(), sources[..2]);
    let anonymous: Vec<&str> = sources
        .iter()
        .filter(|s| s.anonymous)
        .map(|s| s.label.as_str())
        .collect();
    assert!(anonymous.contains(&"A U.S. official"), "{anonymous:?}");
    assert!(sources.iter().filter(|s| s.name.is_some()).all(|s| !s.anonymous));
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

#[test]
fn claims_and_chains_come_sorted_without_a_sparql_order() {
    let store = samples_store();
    let claims = store.claims(None).unwrap();
    let articles: std::collections::BTreeSet<&str> = claims.iter().map(|c| c.article.as_str()).collect();
    assert!(articles.len() >= 4, "{} articles", articles.len());
    let key = |c: &claimtrace::store::ClaimRow| (c.article_name.clone(), c.article.clone(), c.start, c.attr.clone());
    assert!(
        claims.windows(2).all(|w| key(&w[0]) < key(&w[1])),
        "claims out of order"
    );
    let one = claims[claims.len() / 2].article.clone();
    let of_one = store.claims(Some(&one)).unwrap();
    assert_eq!(
        of_one,
        claims.iter().filter(|c| c.article == one).cloned().collect::<Vec<_>>()
    );
    let hops = store.chains().unwrap();
    assert!(hops.len() >= 2, "{} hops", hops.len());
    assert!(
        hops.windows(2)
            .all(|w| (&w[0].attr, w[0].start) <= (&w[1].attr, w[1].start))
    );
    let attr = hops[0].attr.clone();
    assert_eq!(
        store.chain(&attr).unwrap(),
        hops.iter().filter(|h| h.attr == attr).cloned().collect::<Vec<_>>()
    );
}

#[test]
fn bulk_loading_split_over_threads_stores_what_transactions_store() {
    let mut articles = crate::util::xdoc_quads();
    articles.push(seed_quads());
    // Enough quads for the loader to cut them into a batch per core (thousands of quads each).
    assert!(articles.iter().map(|a| a.quads.len()).sum::<usize>() > 2_000);
    // On disk: RocksDB's bulk loader (the in-memory store has its own).
    let dir = tempfile::tempdir().unwrap();
    let one_by_one = Store::open(&dir.path().join("one-by-one")).unwrap();
    let bulk = Store::open(&dir.path().join("bulk")).unwrap();
    for article in &articles {
        assert_eq!(one_by_one.ingest(article).unwrap(), IngestOutcome::Added);
    }
    bulk.bulk_ingest(articles).unwrap();
    let sorted = |store: &Store| {
        let mut quads: Vec<String> = store.quads().unwrap().iter().map(ToString::to_string).collect();
        quads.sort();
        quads
    };
    assert_eq!(sorted(&bulk), sorted(&one_by_one));
}

/// The whole store listed article by article is the whole-store listing, row for row and in order.
#[test]
fn claims_by_article_are_the_claims_of_the_store_in_order() {
    let store = samples_store();
    let all = store.claims(None).unwrap();
    let mut batches = 0;
    let mut streamed = Vec::new();
    for batch in store.claims_by_article().unwrap() {
        let batch = batch.unwrap();
        assert!(batch.windows(2).all(|w| w[0].article == w[1].article));
        batches += 1;
        streamed.extend(batch);
    }
    assert!(batches > 5, "{batches} articles");
    assert_eq!(streamed, all);
}

/// Claims written batch by batch are the bytes written all at once, in both list formats; a table
/// longer than a page keeps the first page's columns and one header.
#[test]
fn claims_written_in_batches_are_the_claims_written_at_once() {
    use claimtrace::report::{ClaimsWriter, ListFormat, write_claims};
    let rows = samples_store().claims(None).unwrap();
    assert!(rows.len() > 40);
    let written = |batches: &[&[claimtrace::store::ClaimRow]], format: ListFormat| {
        let mut out = Vec::new();
        let mut writer = ClaimsWriter::new(format);
        for batch in batches {
            writer.write(&mut out, batch).unwrap();
        }
        writer.finish(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    for format in [ListFormat::Json, ListFormat::Table] {
        let mut at_once = Vec::new();
        write_claims(&mut at_once, &rows, format).unwrap();
        let one_by_one: Vec<&[_]> = rows.chunks(1).collect();
        let (head, tail) = rows.split_at(7);
        for batches in [one_by_one, vec![head, &[], tail]] {
            assert_eq!(written(&batches, format), String::from_utf8(at_once.clone()).unwrap());
        }
    }
    let json: serde_json::Value = serde_json::from_str(&written(&[&rows], ListFormat::Json)).unwrap();
    let attrs: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["attribution"].as_str().unwrap())
        .collect();
    assert_eq!(attrs, rows.iter().map(|r| r.attr.as_str()).collect::<Vec<_>>());
    assert_eq!(written(&[], ListFormat::Json), "[]\n");
    // Past a page, rows are written as they come, under the first page's header.
    let many: Vec<_> = rows
        .iter()
        .cycle()
        .take(ClaimsWriter::TABLE_PAGE + 150)
        .cloned()
        .collect();
    let table = written(&[&many], ListFormat::Table);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), many.len() + 2);
    assert_eq!(lines.iter().filter(|l| l.starts_with("article ")).count(), 1);
    assert!(lines[1].starts_with("-------"));
}
