//! Tidy checks of the architecture's invariants (ARCHITECTURE.md).

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn sources() -> Vec<(String, String)> {
    let root = crate::util::root();
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("tests"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            (
                p.strip_prefix(&root).unwrap().display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_module_has_a_doc_comment() {
    for (path, text) in sources() {
        assert!(text.starts_with("//!"), "{path} does not open with a //! comment");
    }
}

#[test]
fn text_and_extract_know_nothing_of_rdf() {
    for (path, text) in sources() {
        // corroborate reasons over the store's typed rows, never over quads.
        let plain = ["src/text/", "src/extract/", "src/read/", "src/corroborate/"];
        if plain.iter().any(|p| path.starts_with(p)) {
            assert!(!text.contains("oxigraph"), "{path} uses oxigraph");
        }
    }
}

#[test]
fn only_the_store_runs_sparql() {
    for (path, text) in sources() {
        if path.starts_with("src/") && path != "src/store.rs" {
            let touches_store = text
                .match_indices("oxigraph::store::Store")
                .any(|(i, m)| !text[i + m.len()..].starts_with(|c: char| c.is_alphanumeric()));
            assert!(!touches_store, "{path} touches the store");
            assert!(!text.contains("SparqlEvaluator"), "{path} runs SPARQL");
            assert!(
                !text.contains("SELECT ?"),
                "{path} holds a SPARQL query outside src/sparql"
            );
        }
    }
}

/// The queries that list a whole store order by numbers only: ordering by a string or IRI reads
/// it for every comparison (minutes at 1 M claims); `store.rs` sorts their rows instead.
#[test]
fn whole_store_listings_do_not_sort_by_strings() {
    for name in [
        "articles.rq",
        "article_names.rq",
        "sources.rq",
        "stats.rq",
        "claims.rq",
        "chain.rq",
    ] {
        let path = crate::util::root().join("src/sparql").join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        for line in text.lines().filter(|l| l.trim_start().starts_with("ORDER BY")) {
            assert_eq!(
                line.trim(),
                "ORDER BY DESC(?claims)",
                "{name} sorts by a string: {line}"
            );
        }
    }
}

#[test]
fn the_library_neither_prints_nor_exits_nor_knows_clap() {
    for (path, text) in sources() {
        if path.starts_with("src/") && !path.starts_with("src/cli/") && path != "src/main.rs" {
            for banned in [
                "println!",
                "eprintln!",
                "print!(",
                "std::process::exit",
                "clap::",
                "anyhow",
            ] {
                assert!(!text.contains(banned), "{path} uses {banned}");
            }
        }
    }
}

#[test]
fn no_ignored_or_should_panic_tests() {
    let (ignore, should_panic) = (concat!("#[", "ignore"), concat!("#[", "should_panic"));
    for (path, text) in sources() {
        assert!(!text.contains(ignore) && !text.contains(should_panic), "{path}");
    }
}

#[test]
fn main_stays_small() {
    let main = std::fs::read_to_string(crate::util::root().join("src/main.rs")).unwrap();
    assert!(main.lines().count() <= 40);
}
