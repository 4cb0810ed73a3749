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
    #![proptest_config(cases(300))]

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
    fn newsy_text_spans_hold_and_shift(body in newsy()) {
        // A headline first, so that the text is read as body both times (a first line may be a
        // longer headline than a later one may be a subheading).
        let text = format!("Headline\n\n{body}");
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

/// HTML-ish input: tags of every kind (closed, unclosed, misnested), comments, scripts, entities and
/// news words with multibyte characters.
fn htmly() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "<html>",
        "<head>",
        "<title>",
        "</title>",
        "<body>",
        "<article>",
        "</article>",
        "<div>",
        "</div>",
        "<p>",
        "</p>",
        "<b>",
        "</i>",
        "<br>",
        "<br/>",
        "<script>",
        "</script>",
        "<style>",
        "<!--",
        "-->",
        "<nav>",
        "</nav>",
        "<pre>",
        "</pre>",
        "<li>",
        "<table><tr><td>",
        "&amp;",
        "&lt;",
        "&nbsp;",
        "<meta property=\"og:site_name\" content=\"Wire\">",
        "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"H\"}</script>",
        "<",
        ">",
        "\"",
        "“",
        "”",
        "said",
        "The official",
        "told Reuters",
        "that",
        "é",
        "👍",
        "e\u{301}",
        " ",
        "\r\n",
        "\n",
        ".",
    ]);
    prop::collection::vec(pieces, 0..80).prop_map(|v| v.concat())
}

fn read_all(
    bytes: &[u8],
    format: claimtrace::read::InputFormat,
    lossy: bool,
) -> Vec<Result<claimtrace::read::Document, String>> {
    let mut out = Vec::new();
    claimtrace::read::read_bytes(std::path::Path::new("in.x"), "in.x", bytes, format, lossy, &mut |r| {
        out.push(r.map_err(|e| e.to_string()))
    });
    out
}

const FORMATS: [claimtrace::read::InputFormat; 4] = [
    claimtrace::read::InputFormat::Text,
    claimtrace::read::InputFormat::Jsonl,
    claimtrace::read::InputFormat::Html,
    claimtrace::read::InputFormat::Warc,
];

/// `default` cases, or `PROPTEST_CASES` when set (for the longer runs recorded in docs/robustness.md).
fn cases(default: u32) -> ProptestConfig {
    let config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_some() {
        config
    } else {
        ProptestConfig::with_cases(default)
    }
}

proptest! {
    #![proptest_config(cases(200))]

    /// Any bytes, raw or gzip-compressed (whole or cut short), in any format: no panic; every
    /// document has text, every error names the input.
    #[test]
    fn readers_take_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600), format in 0..4usize, gzip in any::<bool>(), cut in any::<bool>(), lossy in any::<bool>()) {
        let mut input = bytes;
        if gzip {
            use std::io::Write;
            let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            encoder.write_all(&input).unwrap();
            input = encoder.finish().unwrap();
            if cut { input.truncate(input.len() / 2); }
        }
        for result in read_all(&input, FORMATS[format], lossy) {
            match result {
                Ok(doc) => prop_assert!(!doc.text.trim().is_empty()),
                Err(message) => prop_assert!(message.starts_with("in.x"), "{}", message),
            }
        }
    }

    /// Any HTML-ish page: no panic, and the extractor's spans hold in the extracted text (the text
    /// the store keeps), so a claim found in a page can be shown in context.
    #[test]
    fn html_pages_give_text_whose_spans_hold(page in htmly()) {
        for doc in read_all(page.as_bytes(), claimtrace::read::InputFormat::Html, false).into_iter().flatten() {
            prop_assert!(doc.text.ends_with('\n'));
            prop_assert!(!doc.text.contains("\n\n\n"));
            let found = extract(&doc.text);
            for a in &found.attributions {
                check_span(&doc.text, &a.cue);
                for f in a.content.fragments() { check_span(&doc.text, f); }
                if let Some(s) = &a.source { check_span(&doc.text, &s.span); }
            }
        }
    }
}
