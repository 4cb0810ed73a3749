//! `--model`: which extractor a command runs (shared by `extract`, `ingest` and `eval`).

use anyhow::{Context, Result};
use claimtrace::extract::{Extraction, Tagger, extract_tagger_only, extract_with};

/// The `--model` option.
#[derive(Debug, clap::Args)]
pub struct ModelArgs {
    /// Which extractor to run: `fast` (the rules completed by the shipped tagger, the default),
    /// `rules` (the rules alone, with their conventions; several times faster), or a model file made
    /// by `claimtrace train`
    #[arg(long, value_name = "MODEL", default_value = "fast")]
    pub model: String,
}

/// A loaded extractor.
pub enum Extractor {
    Rules,
    Combined(Tagger),
    TaggerOnly(Tagger),
}

impl Extractor {
    /// Loads `model`; with `tagger_only`, the tagger runs without the rules' attributions.
    pub fn new(model: &str, tagger_only: bool) -> Result<Extractor> {
        let tagger = match model {
            "rules" => return Ok(Extractor::Rules),
            "fast" => Tagger::shipped().cloned().context("the shipped model does not load")?,
            path => {
                let bytes = std::fs::read(path).with_context(|| format!("reading model {path}"))?;
                Tagger::from_bytes(&bytes).with_context(|| format!("loading model {path}"))?
            }
        };
        Ok(if tagger_only {
            Extractor::TaggerOnly(tagger)
        } else {
            Extractor::Combined(tagger)
        })
    }

    /// Extracts from one text.
    pub fn extract(&self, text: &str) -> Extraction {
        match self {
            Extractor::Rules => extract_with(text, None),
            Extractor::Combined(t) => extract_with(text, Some(t)),
            Extractor::TaggerOnly(t) => extract_tagger_only(text, t),
        }
    }
}
