//! The one integration test binary (it links once): extraction fixtures, the seed article, RDF,
//! the store, the CLI, properties and tidy checks.

#![expect(clippy::unwrap_used, reason = "helpers fail the test loudly on unexpected errors")]

mod cli;
mod corroboration;
mod encoder;
mod eval;
mod fixtures;
mod ingest;
mod props;
mod rdf;
mod seed;
mod store;
mod tagger;
mod tidy;
mod util;
mod xdoc;
