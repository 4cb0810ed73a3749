//! Helpers shared by the tests.

use std::path::PathBuf;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The seed article's path and text.
pub fn seed() -> (PathBuf, String) {
    let path = root().join("samples/iran-us-talks-2026-02-04.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    (path, text)
}

/// The quads of `text` as the article `name`, extracted by the default extractor (`extract`: the
/// rules and the shipped tagger).
pub fn quads_of(name: &str, text: &str) -> claimtrace::rdf::ArticleQuads {
    let activity = claimtrace::rdf::Activity::new(claimtrace::extract::Tagger::shipped());
    let extraction = claimtrace::extract::extract(text);
    claimtrace::rdf::article_quads(name, text, &extraction, &Default::default(), &activity)
}

/// The `.txt` files of the repository folder `dir`, in name order.
pub fn txt_files(dir: &str) -> Vec<PathBuf> {
    let mut paths: Vec<_> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
}

/// The cross-article sample articles (`samples/xdoc/*.txt`), in name order.
pub fn xdoc_articles() -> Vec<PathBuf> {
    txt_files("samples/xdoc")
}

/// The quads of the cross-article sample articles, named by file name.
pub fn xdoc_quads() -> Vec<claimtrace::rdf::ArticleQuads> {
    xdoc_articles()
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).unwrap();
            quads_of(&path.file_name().unwrap().to_string_lossy(), &text)
        })
        .collect()
}

/// Ingests the cross-article sample articles into `store`, by file name.
pub fn ingest_xdoc_articles(store: &claimtrace::store::Store) {
    for article in xdoc_quads() {
        store.ingest(&article).unwrap();
    }
}
