//! Properties over arbitrary text: extraction never panics, every span is in bounds with agreeing
//! byte and character offsets, and prepending a paragraph shifts every span by its length.

use claimtrace::extract::extract;
use claimtrace::text::Span;
use proptest::prelude::*;

fn check_span(text: &str, span: &Span) {
    let n_chars = text.chars().count();
    assert!(span.start <= span.end && span.end <= n_chars);
    assert!(text.is_char_boundary(span.byte_start) && text.is_char_boundary(span.byte_end));
    assert_eq!(text[..span.byte_start].chars().count(), span.start);
    assert_eq!(
        span.text(text),
        text.chars().skip(span.start).take(span.len()).collect::<String>()
    );
}

/// Text that looks like news: words, cues, quotes of every kind, multibyte characters, CRLF.
fn newsy() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "said",
        "told",
        "stated",
        "that",
        "according to",
        "per",
        "The official",
        "two U.S. officials",
        "Reuters",
        "\"",
        "“",
        "”",
        "'",
        "‘",
        "’",
        ",",
        ".",
        ":",
        " ",
        " ",
        "\n",
        "\r\n",
        "é",
        "€",
        "👍",
        "e\u{301}",
        "It was claimed that",
        "reportedly",
        "saying",
        "were said to",
        "Mr.",
        "U.S.",
        "—",
        "(",
        ")",
        "Araghchi",
        "the talks",
        "failed",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn never_panics_and_spans_hold(text in "\\PC{0,300}") {
        let found = extract(&text);
        for a in &found.attributions {
            check_span(&text, &a.cue);
            for f in a.content.fragments() { check_span(&text, f); }
            if let Some(s) = &a.source { check_span(&text, &s.span); }
            prop_assert!((0.0..=1.0).contains(&a.confidence.value));
        }
    }

    #[test]
    fn newsy_text_spans_hold_and_shift(text in newsy()) {
        let found = extract(&text);
        for a in &found.attributions {
            check_span(&text, &a.cue);
            for f in a.content.fragments() { check_span(&text, f); }
            if let Some(s) = &a.source { check_span(&text, &s.span); }
            if let Some(v) = &a.intermediary { check_span(&text, &v.span); }
        }
        let prefix = "Prélude façade.\n\n";
        let shift = prefix.chars().count();
        let shifted = extract(&format!("{prefix}{text}"));
        let before: Vec<(usize, usize)> = found.attributions.iter().map(|a| (a.cue.start + shift, a.content.extent().end + shift)).collect();
        let after: Vec<(usize, usize)> = shifted.attributions.iter().map(|a| (a.cue.start, a.content.extent().end)).collect();
        prop_assert_eq!(before, after);
    }
}
