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

/// The activity of the default extractor (`extract`: rules and the shipped tagger).
pub fn activity() -> claimtrace::rdf::Activity {
    claimtrace::rdf::Activity::new(claimtrace::extract::Tagger::shipped())
}
