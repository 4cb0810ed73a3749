//! Resolution of short anaphoric sources ("The official", "he", "the minister", "Rubio") to the
//! earlier source they refer to. Resolved mentions take the antecedent's features.

use super::source::{SourceCount, SourceType};
use super::{Attribution, SourceFeatures};
use crate::text::{Analysis, Span};

/// How far back (in attributions) a mention may refer.
const WINDOW: usize = 12;

/// Words that open a part of a group named before: "One of them", "two of the people".
const PARTS: [&str; 12] = [
    "one", "two", "three", "some", "both", "each", "either", "neither", "several", "many", "most", "all",
];

/// Whether the mention `span` names part of a group named before: "One of them", "two of the
/// officials", "some of those".
fn partitive(analysis: &Analysis, span: &Span) -> bool {
    let tokens = analysis.tokens_of(span);
    let word = |k: usize| tokens.contains(&k).then(|| analysis.norm_at(k));
    let group = matches!(word(tokens.start + 2), Some("them" | "those" | "these" | "the"));
    word(tokens.start).is_some_and(|w| PARTS.contains(&w)) && word(tokens.start + 1) == Some("of") && group
}

/// Resolves every anaphoric source of `attributions` (in text order) in place.
pub(super) fn resolve(attributions: &mut [Attribution], analysis: &Analysis) {
    for idx in 0..attributions.len() {
        let Some(mention) = attributions[idx].source.as_ref() else {
            continue;
        };
        if let Some(head) = mention.antecedent {
            // A continuation: same source as its governing attribution, resolved already.
            let governing = attributions.get(head).and_then(|a| a.source.as_ref());
            let features = governing.map(|s| s.features.clone());
            let chain_head = governing.and_then(|s| s.antecedent).unwrap_or(head);
            // "One of them" keeps its own count.
            let part = partitive(analysis, &mention.span).then_some(mention.features.count);
            if let (Some(features), Some(m)) = (features, attributions[idx].source.as_mut()) {
                m.antecedent = Some(chain_head);
                m.features = features;
                if let Some(count) = part {
                    m.features.count = count;
                }
            }
            continue;
        }
        let features = &mention.features;
        if partitive(analysis, &mention.span) {
            // Part of the group of the last plural source: its features, the part's count.
            let own_count = features.count;
            let found = (idx.saturating_sub(WINDOW)..idx)
                .rev()
                .find(|&j| attributions[j].source.as_ref().is_some_and(|s| plural(&s.features)));
            if let Some(j) = found
                && let Some(group) = attributions[j].source.clone()
                && let Some(m) = attributions[idx].source.as_mut()
            {
                m.antecedent = Some(group.antecedent.unwrap_or(j));
                m.features = SourceFeatures {
                    count: own_count,
                    ..group.features
                };
            }
            continue;
        }
        if !is_anaphoric(features) {
            continue;
        }
        let found = (idx.saturating_sub(WINDOW)..idx).rev().find(|&j| {
            attributions[j]
                .source
                .as_ref()
                .is_some_and(|s| s.span != mention.span && compatible(features, &s.features))
        });
        let Some(j) = found else { continue };
        let Some(antecedent) = attributions[j].source.clone() else {
            continue;
        };
        let head = antecedent.antecedent.unwrap_or(j);
        // "he" or "she" after a one-word name read as a body ("Silva said …; he added …"): a person.
        let personal = features.pronoun
            && features.count.and_then(SourceCount::exact) == Some(1)
            && features.source_type != Some(SourceType::Organization);
        let mut antecedent = antecedent;
        if personal && antecedent.features.source_type == Some(SourceType::Organization) {
            antecedent.features.source_type = Some(SourceType::Person);
            for k in [j, head] {
                if let Some(s) = attributions[k].source.as_mut() {
                    s.features.source_type = Some(SourceType::Person);
                }
            }
        }
        if let Some(m) = attributions[idx].source.as_mut() {
            m.antecedent = Some(head);
            let own_count = m.features.count;
            m.features = antecedent.features;
            // "The officials" after "two officials" keeps the antecedent's count; a pronoun may not.
            if m.features.count.is_none() {
                m.features.count = own_count;
            }
        }
    }
}

/// A named source that the same document names as an intermediary ("Meridian Wire, citing three
/// people, reported …" and "… told Meridian Wire") is that outlet: one name, one agent, one type.
/// Officials and titled people keep theirs (a "Bloomberg" who speaks may be a person).
pub(super) fn type_outlets(attributions: &mut [Attribution]) {
    let key = |name: &str| crate::model::outlet_name(name).to_lowercase();
    let outlets: Vec<String> = attributions
        .iter()
        .filter_map(|a| a.intermediary.as_ref())
        .map(|via| key(&via.name))
        .collect();
    for source in attributions.iter_mut().filter_map(|a| a.source.as_mut()) {
        let f = &mut source.features;
        if f.title.is_none()
            && matches!(
                f.source_type,
                None | Some(SourceType::Person | SourceType::Organization)
            )
            && f.name.as_deref().is_some_and(|name| outlets.contains(&key(name)))
        {
            f.source_type = Some(SourceType::Outlet);
        }
    }
}

/// A pronoun, a bare surname, or a short definite description without a name.
fn is_anaphoric(f: &SourceFeatures) -> bool {
    // "Rubio" (a one-word name reads as a body until something says it is a person), or a surname
    // with its particle: "ten Hag".
    let one_word = |n: &String| !n.contains(' ') && f.source_type == Some(SourceType::Organization);
    let surname = f
        .name
        .as_ref()
        .is_some_and(|n| one_word(n) || n.starts_with(char::is_lowercase))
        && f.title.is_none();
    f.pronoun || surname || (f.definite && f.name.is_none() && f.affiliation.is_none() && f.head.is_some())
}

/// Whether a source is more than one.
fn plural(f: &SourceFeatures) -> bool {
    matches!(f.count, Some(SourceCount::Many)) || f.count.and_then(SourceCount::exact).is_some_and(|n| n > 1)
}

fn compatible(anaphor: &SourceFeatures, candidate: &SourceFeatures) -> bool {
    if anaphor.pronoun {
        return match anaphor.count {
            Some(SourceCount::Many) => plural(candidate) || candidate.source_type == Some(SourceType::Organization),
            _ if anaphor.source_type == Some(SourceType::Organization) => {
                matches!(
                    candidate.source_type,
                    Some(SourceType::Organization | SourceType::Outlet)
                )
            }
            _ => {
                // A one-word name ("Marchand said") may be a surname as well as a place or body.
                let surname = candidate.name.as_ref().is_some_and(|n| !n.contains(' ')) && candidate.title.is_none();
                !plural(candidate)
                    && (matches!(candidate.source_type, Some(SourceType::Person | SourceType::Official)) || surname)
            }
        };
    }
    if let Some(name) = &anaphor.name {
        // "Rubio" after "Marco Rubio".
        return candidate
            .name
            .as_ref()
            .is_some_and(|n| n != name && n.ends_with(&format!(" {name}")));
    }
    let Some(head) = &anaphor.head else { return false };
    let same_head = candidate.head.as_ref() == Some(head);
    let in_title = candidate
        .title
        .as_ref()
        .is_some_and(|t| t.to_lowercase().split_whitespace().any(|w| w == head));
    same_head || in_title
}
