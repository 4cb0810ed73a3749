//! Small shared types: identifiers, the attribution kind, and an outlet's canonical name.

use serde::Serialize;
use sha2::{Digest, Sha256};
use std::fmt;

/// The identifier of a rule that produced an attribution ("quote-after-verb").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct RuleId(pub &'static str);

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// The identifier of an article: 32 hex digits of SHA-256 of its UTF-8 text (DATA-MODEL.md §4).
/// Offsets hold only for one exact text, so any edit gives a new id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct DocId(String);

impl DocId {
    /// The id of `text`.
    ///
    /// ```
    /// let id = claimtrace::model::DocId::of_text("abc");
    /// assert_eq!(id.as_str(), "ba7816bf8f01cfea414140de5dae2223");
    /// ```
    pub fn of_text(text: &str) -> Self {
        DocId(hex_prefix(text.as_bytes(), 32))
    }

    /// The 32 hex digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The first `n_hex` hex digits of SHA-256 of `bytes`. A fixed hash, unlike `std::hash`, so that
/// identifiers stay the same across Rust releases and machines.
pub fn hex_prefix(bytes: &[u8], n_hex: usize) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for byte in digest {
        out.push_str(&format!("{byte:02x}"));
    }
    out.truncate(n_hex);
    out
}

/// How a claim is attributed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Kind {
    /// The source's words, quoted.
    Direct,
    /// A paraphrase ("X said that …").
    Indirect,
    /// Part quoted, part paraphrased.
    Mixed,
    /// "According to X, …", "per X".
    AccordingTo,
    /// An impersonal or personal passive without a source ("It was claimed that …", "were said to").
    Passive,
    /// A hedge without a source ("reportedly").
    Unattributed,
}

impl Kind {
    /// The name in the JSON contract. Passive and unattributed reports share `unattributed`
    /// (neither names a source); RDF keeps them apart ([`Kind::rdf_local_name`]).
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Direct => "direct",
            Kind::Indirect => "indirect",
            Kind::Mixed => "mixed",
            Kind::AccordingTo => "according-to",
            Kind::Passive | Kind::Unattributed => "unattributed",
        }
    }

    /// The local name of the kind's individual in the `ct:` vocabulary.
    pub const fn rdf_local_name(self) -> &'static str {
        match self {
            Kind::Direct => "DirectQuote",
            Kind::Indirect => "IndirectSpeech",
            Kind::Mixed => "MixedQuote",
            Kind::AccordingTo => "AccordingTo",
            Kind::Passive => "Passive",
            Kind::Unattributed => "Unattributed",
        }
    }

    /// Every kind, for `--kind` help and RDF round trips.
    pub const ALL: [Kind; 6] = [
        Kind::Direct,
        Kind::Indirect,
        Kind::Mixed,
        Kind::AccordingTo,
        Kind::Passive,
        Kind::Unattributed,
    ];

    /// The kind whose `ct:` local name is `name`.
    pub fn from_rdf_local_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.rdf_local_name() == name)
    }

    /// Whether the kind has no source by construction.
    pub const fn is_sourceless(self) -> bool {
        matches!(self, Kind::Passive | Kind::Unattributed)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// An outlet's name as the store keeps it: trimmed, without a leading article ("The Castellan
/// Courier" and "the Castellan Courier" are one outlet), so that a publisher and an intermediary
/// get the same IRI.
pub fn outlet_name(raw: &str) -> String {
    let name = raw.trim();
    let bare = ["The ", "the "]
        .iter()
        .find_map(|the| name.strip_prefix(the))
        .unwrap_or(name);
    bare.trim().to_owned()
}
