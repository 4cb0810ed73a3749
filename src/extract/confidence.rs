//! Confidence v1: interpretable factors (DATA-MODEL.md §5). The confidence grades the sourcing of a
//! claim, not its truth: c = 1 / (1 + e^(−Σ w)) over the factors that fire, and those factors are
//! the reasons shown to the user.

use super::lexicon::CONFIDENCE_TOML;
use super::source::SourceType;
use crate::model::Kind;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// One factor of the model.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Factor {
    /// Stable id; also the local name of its IRI in the `ctm:` namespace ("anonymous").
    pub id: String,
    /// Log-odds points.
    pub weight: f64,
    /// Short label ("anonymous source").
    pub label: String,
    /// One-line explanation.
    pub description: String,
}

/// The factor table with its version.
#[derive(Debug, Clone, Deserialize)]
pub struct Model {
    /// Recorded with every graph, so that scores can be traced to the weights that made them.
    pub version: String,
    /// The factors.
    #[serde(rename = "factor")]
    pub factors: Vec<Factor>,
}

impl Model {
    /// The built-in model (`src/extract/confidence.toml`). A malformed table (the tests make sure
    /// there is none) gives a model without factors, where every confidence is 0.5.
    pub fn get() -> &'static Model {
        static MODEL: LazyLock<Model> = LazyLock::new(|| {
            Model::parse(CONFIDENCE_TOML).unwrap_or(Model {
                version: "invalid".to_owned(),
                factors: Vec::new(),
            })
        });
        &MODEL
    }

    /// Parses a factor table.
    pub fn parse(toml_text: &str) -> Result<Model, toml::de::Error> {
        toml::from_str(toml_text)
    }
}

/// A coarse label for a confidence value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Label {
    /// Below 0.15.
    VeryLow,
    /// 0.15 to 0.45.
    Low,
    /// 0.45 to 0.75.
    Medium,
    /// 0.75 and above.
    High,
}

impl Label {
    /// The label of `value`.
    pub fn of(value: f64) -> Label {
        match value {
            v if v >= 0.75 => Label::High,
            v if v >= 0.45 => Label::Medium,
            v if v >= 0.15 => Label::Low,
            _ => Label::VeryLow,
        }
    }

    /// "high", "medium", "low", "very low".
    pub const fn as_str(self) -> &'static str {
        match self {
            Label::VeryLow => "very low",
            Label::Low => "low",
            Label::Medium => "medium",
            Label::High => "high",
        }
    }
}

/// A claim's confidence and its reasons.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Confidence {
    /// In [0, 1], rounded to three decimals.
    pub value: f64,
    /// Coarse label.
    pub label: Label,
    /// The factors that fired, in table order.
    pub reasons: Vec<Factor>,
}

/// What the confidence model looks at.
#[derive(Debug, Clone, Copy, Default)]
pub struct Evidence {
    /// A source is given.
    pub has_source: bool,
    /// The source is named.
    pub named: bool,
    /// The source holds an official role.
    pub role: bool,
    /// The source is anonymous.
    pub anonymous: bool,
    /// The source's type.
    pub source_type: Option<SourceType>,
    /// Two or more sources.
    pub several: bool,
    /// How the claim is reported.
    pub kind: Option<Kind>,
    /// The cue hedges.
    pub hedged: bool,
    /// Number of intermediary hops.
    pub hops: usize,
}

/// Scores `evidence` with `model`.
///
/// ```
/// use claimtrace::extract::confidence::{score, Evidence, Model};
/// use claimtrace::model::Kind;
/// // "A U.S. official stated, "…"": anonymous, official role, direct quote: 1/(1+e^-0.5).
/// let e = Evidence { has_source: true, anonymous: true, role: true, kind: Some(Kind::Direct), ..Evidence::default() };
/// assert_eq!(score(&e, Model::get()).value, 0.622);
/// ```
pub fn score(evidence: &Evidence, model: &Model) -> Confidence {
    let mut fired: Vec<&str> = Vec::new();
    if !evidence.has_source {
        fired.push("no-source");
    } else {
        if evidence.named && evidence.source_type != Some(SourceType::Collective) {
            fired.push("named");
        }
        if evidence.role {
            fired.push("role");
        }
        if evidence.anonymous {
            fired.push("anonymous");
        }
        if evidence.source_type == Some(SourceType::Collective) {
            fired.push("collective");
        }
        if evidence.several {
            fired.push("several");
        }
    }
    match evidence.kind {
        Some(Kind::Direct) => fired.push("direct"),
        Some(Kind::Mixed) => fired.push("mixed"),
        _ => {}
    }
    if evidence.hedged {
        fired.push("hedge");
    }
    let mut sum = 0.0;
    let mut reasons = Vec::new();
    for factor in &model.factors {
        let times = if factor.id == "via" {
            evidence.hops
        } else {
            usize::from(fired.contains(&factor.id.as_str()))
        };
        for _ in 0..times {
            sum += factor.weight;
        }
        if times > 0 {
            reasons.push(factor.clone());
        }
    }
    let value = (1000.0 / (1.0 + (-sum).exp())).round() / 1000.0;
    Confidence {
        value,
        label: Label::of(value),
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_parses_with_every_factor() {
        let model = Model::parse(CONFIDENCE_TOML).unwrap();
        let ids: Vec<&str> = model.factors.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "named",
                "role",
                "anonymous",
                "collective",
                "no-source",
                "several",
                "direct",
                "mixed",
                "hedge",
                "via"
            ]
        );
    }

    #[test]
    fn seed_values_match_the_data_model() {
        let m = Model::get();
        // E3: two anonymous U.S. officials via Axios: -0.5 + 0.5 + 0.3 - 0.3 = 0.
        let e3 = Evidence {
            has_source: true,
            anonymous: true,
            role: true,
            several: true,
            hops: 1,
            ..Evidence::default()
        };
        assert_eq!(score(&e3, m).value, 0.5);
        // E2: no source, hedged: -2.5.
        let e2 = Evidence {
            hedged: true,
            kind: Some(Kind::Passive),
            ..Evidence::default()
        };
        assert_eq!(score(&e2, m).value, 0.076);
        assert_eq!(score(&e2, m).label, Label::VeryLow);
        // E8: named official, mixed: 1.75.
        let e8 = Evidence {
            has_source: true,
            named: true,
            role: true,
            kind: Some(Kind::Mixed),
            ..Evidence::default()
        };
        assert_eq!(score(&e8, m).value, 0.852);
    }
}
