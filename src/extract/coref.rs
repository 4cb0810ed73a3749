//! Resolution of short anaphoric sources ("The official", "he", "the minister", "Rubio") to the
//! earlier source they refer to. Resolved mentions take the antecedent's features.

use super::source::{SourceCount, SourceType};
use super::{Attribution, SourceFeatures};
use crate::text::{Analysis, Span, TokenKind};
use rustc_hash::FxHashSet as HashSet;

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

/// A one-word name that the text gives in full before ("Manchester United forward Marcus Silva …
/// Silva said"): the source is named in full, and a first name before a surname makes it a person.
/// Only where the mention refers to no earlier source; the mentions that refer to it follow.
pub(super) fn full_names(
    attributions: &mut [Attribution],
    analysis: &Analysis,
    text: &str,
    title_words: &HashSet<&str>,
) {
    for idx in 0..attributions.len() {
        let Some(source) = attributions[idx].source.as_ref() else {
            continue;
        };
        let f = &source.features;
        let one_word = f.name.as_ref().is_some_and(|n| !n.contains(' '));
        let body = matches!(f.source_type, Some(SourceType::Organization | SourceType::Person));
        if source.antecedent.is_some() || !one_word || !body || f.title.is_some() {
            continue;
        }
        let Some(name) = f.name.clone() else { continue };
        let first = analysis.tokens_of(&source.span).start;
        let Some(full) = (1..first).find_map(|k| first_name_before(analysis, text, k, &name, title_words)) else {
            continue;
        };
        for (j, a) in attributions.iter_mut().enumerate() {
            if let Some(s) = a.source.as_mut()
                && (j == idx || s.antecedent == Some(idx))
            {
                s.features.name = Some(full.clone());
                s.features.source_type = Some(SourceType::Person);
            }
        }
    }
}

/// "Marcus Silva" where token `k` is `surname` and the token before it a capitalised word that is
/// no title, does not open its sentence, and follows no other capitalised word but a title
/// ("forward Marcus Silva", "President Donald Trump"; not "Manchester United", not "When Silva").
fn first_name_before(
    analysis: &Analysis,
    text: &str,
    k: usize,
    surname: &str,
    title_words: &HashSet<&str>,
) -> Option<String> {
    let tokens = &analysis.tokens;
    let (first, last) = (tokens.get(k - 1)?, tokens.get(k)?);
    // Called for every token before the mention: the cheap test first.
    if last.span.text(text) != surname {
        return None;
    }
    let word = |t: &crate::text::Token| analysis.norm(t);
    let proper = |t: &crate::text::Token| {
        t.capitalized
            && t.kind == TokenKind::Word
            && !title_words.contains(word(t))
            && !super::source::is_determiner(word(t))
    };
    let opens_sentence = analysis
        .sentence_at(first.span.start)
        .is_none_or(|s| s.tokens.start == k - 1);
    let before_ok = k < 2 || !proper(&tokens[k - 2]);
    (proper(first) && !opens_sentence && before_ok).then(|| format!("{} {surname}", first.span.text(text)))
}

#[cfg(test)]
mod tests {
    use crate::extract::source::SourceType;

    /// The name and type of the source of the last attribution of `text`.
    fn source_of(text: &str) -> (Option<String>, Option<SourceType>) {
        let extraction = crate::extract::extract(text);
        let last = extraction
            .attributions
            .last()
            .and_then(|a| a.source.as_ref())
            .expect("a source");
        (last.features.name.clone(), last.features.source_type)
    }

    #[test]
    fn a_surname_takes_the_full_name_given_before() {
        let text = "The club confirmed that forward Marcus Silva is leaving. Silva said he wanted a fresh start.";
        assert_eq!(source_of(text), (Some("Marcus Silva".into()), Some(SourceType::Person)));
        // A name opening its sentence may follow a common word: no full name.
        let text = "Manchester United lost again. United said the coach would stay.";
        assert_ne!(source_of(text).0.as_deref(), Some("Manchester United"));
    }
}
