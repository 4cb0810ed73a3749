//! claimtrace: a claim-provenance knowledge graph.
//!
//! The pipeline reads documents ([`read`]), analyses their text with exact offsets ([`text`]),
//! extracts attributions ([`extract`]), turns them into RDF aligned with PROV-O ([`rdf`]), stores
//! them in Oxigraph on RocksDB ([`store`]), groups the reports of one claim across articles and
//! weighs their sourcing ([`corroborate`]), traces claims back to their sources ([`trace`]) and
//! renders reports ([`report`]). The binary's `cli` module sits at the edge.
//!
//! The library never prints and never exits; it returns data and typed errors.

pub mod corroborate;
pub mod error;
pub mod eval;
pub mod extract;
pub mod model;
pub mod rdf;
pub mod read;
pub mod report;
pub mod store;
pub mod text;
pub mod trace;

pub use error::{Error, Result};
