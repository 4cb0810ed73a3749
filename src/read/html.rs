//! HTML pages → article text and publication facts.
//!
//! The page is parsed with `scraper` (html5ever, the browser algorithm, so broken and deeply nested
//! markup parses as a browser would). The article body is the `itemprop="articleBody"` element, else
//! the `<article>` with the most text, else `<main>`, else `<body>`; navigation, scripts, forms,
//! headers, footers and asides are left out. Block elements become paragraphs separated by a blank
//! line and white space is collapsed, so the text the extractor sees (and every offset) is this
//! extracted text, which is what the store keeps and the report shows. The headline comes first, as
//! its own paragraph.
//!
//! Metadata, first found wins: JSON-LD `NewsArticle` (or any `…Article`/`BlogPosting`), then Open
//! Graph / `article:` meta tags, then `<title>`, `<link rel="canonical">` and `<time datetime>`.

use super::Publication;
use crate::error::ReadError;
use ego_tree::iter::Edge;
use encoding_rs::{Encoding, UTF_8};
use scraper::{ElementRef, Html, Node, Selector};
use std::borrow::Cow;
use std::path::Path;

/// What an HTML page yields: the text to extract from and the facts about its publication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlArticle {
    /// Headline and body paragraphs, separated by blank lines.
    pub text: String,
    /// Title, outlet, date and URL found in the page.
    pub publication: Publication,
}

/// Elements whose content is never article text.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "button", "select",
    "textarea", "svg", "math", "iframe", "object", "embed", "canvas", "head", "title", "figure", "audio", "video",
    "dialog", "menu",
];

/// Elements that start and end a paragraph.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "br",
    "caption",
    "dd",
    "div",
    "dl",
    "dt",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "tr",
    "ul",
    "body",
];

/// Elements nested deeper than this are unwrapped (their tags dropped, their text kept) before
/// parsing: the HTML parsing algorithm scans the stack of open elements for many tags, so a page of
/// tens of thousands of nested elements would take quadratic time. News pages nest a few dozen deep.
const MAX_DEPTH: usize = 256;

/// Elements without content, or whose end tag may be left out (they close themselves, so they do
/// not nest without bound): not counted as nesting.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "p", "li",
    "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "colgroup", "rb", "rt", "rp",
    "html", "head", "body", "!doctype",
];

/// Extracts the article of an HTML page; `None` when the page holds no text.
pub fn html_article(html: &str) -> Option<HtmlArticle> {
    let html = flatten_deep(html);
    let page = Html::parse_document(&html);
    let mut meta = json_ld(&page);
    fill_from_meta(&page, &mut meta);
    let mut paragraphs = body_paragraphs(body_root(&page));
    if paragraphs.is_empty() {
        if let Some(body) = meta.body.take() {
            paragraphs = body.split('\n').map(collapse).filter(|p| !p.is_empty()).collect();
        }
    }
    let mut title = meta.title.as_deref().map(collapse).filter(|t| !t.is_empty());
    let mut text = String::new();
    match (&title, paragraphs.first()) {
        // The body often repeats the headline as its first heading, and `<title>` adds the site's
        // name to it: the heading is the headline then.
        (Some(t), Some(first)) if t.starts_with(first.as_str()) => title = Some(first.clone()),
        (Some(t), _) => text.push_str(t),
        (None, _) => {}
    }
    for p in &paragraphs {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(p);
    }
    if text.trim().is_empty() {
        return None;
    }
    text.push('\n');
    Some(HtmlArticle {
        text,
        publication: Publication {
            outlet: meta.outlet.map(|s| collapse(&s)).filter(|s| !s.is_empty()),
            published: meta.published.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()),
            url: meta.url.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()),
            title,
        },
    })
}

#[derive(Debug, Default)]
struct Meta {
    title: Option<String>,
    outlet: Option<String>,
    published: Option<String>,
    url: Option<String>,
    body: Option<String>,
}

fn selector(css: &str) -> Option<Selector> {
    Selector::parse(css).ok()
}

/// The facts of the first JSON-LD article object on the page.
fn json_ld(page: &Html) -> Meta {
    let mut meta = Meta::default();
    let Some(scripts) = selector(r#"script[type="application/ld+json"]"#) else {
        return meta;
    };
    for script in page.select(&scripts) {
        let source: String = script.text().collect();
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&source) else {
            continue;
        };
        if let Some(article) = find_article(&value) {
            let text = |key: &str| article.get(key).and_then(serde_json::Value::as_str).map(str::to_owned);
            meta.title = text("headline").or_else(|| text("name"));
            meta.published = text("datePublished");
            meta.url = text("url");
            meta.body = text("articleBody");
            meta.outlet = article.get("publisher").and_then(|p| match p {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Object(o) => o.get("name").and_then(|n| n.as_str()).map(str::to_owned),
                _ => None,
            });
            return meta;
        }
    }
    meta
}

/// The first object typed as an article, searched iteratively (a page's JSON can be deep).
fn find_article(root: &serde_json::Value) -> Option<&serde_json::Map<String, serde_json::Value>> {
    let mut stack = vec![root];
    while let Some(value) = stack.pop() {
        match value {
            serde_json::Value::Array(items) => stack.extend(items.iter().rev()),
            serde_json::Value::Object(object) => {
                let is_article = match object.get("@type") {
                    Some(serde_json::Value::String(t)) => is_article_type(t),
                    Some(serde_json::Value::Array(ts)) => ts.iter().filter_map(|t| t.as_str()).any(is_article_type),
                    _ => false,
                };
                if is_article {
                    return Some(object);
                }
                if let Some(graph) = object.get("@graph") {
                    stack.push(graph);
                }
            }
            _ => {}
        }
    }
    None
}

fn is_article_type(t: &str) -> bool {
    let t = t.rsplit(['/', ':']).next().unwrap_or(t);
    t.ends_with("Article") || t == "BlogPosting" || t == "Report"
}

/// Fills what JSON-LD did not give from meta tags, `<title>`, canonical links and `<time>`.
fn fill_from_meta(page: &Html, meta: &mut Meta) {
    let first_attr = |css: &str, attr: &str| -> Option<String> {
        let sel = selector(css)?;
        page.select(&sel)
            .filter_map(|e| e.attr(attr))
            .map(str::trim)
            .find(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let first_text = |css: &str| -> Option<String> {
        let sel = selector(css)?;
        page.select(&sel)
            .map(|e| collapse(&e.text().collect::<String>()))
            .find(|t| !t.is_empty())
    };
    if meta.title.is_none() {
        meta.title = first_attr(r#"meta[property="og:title"]"#, "content")
            .or_else(|| first_attr(r#"meta[name="twitter:title"]"#, "content"))
            .or_else(|| first_text("title"))
            .or_else(|| first_text("h1"));
    }
    if meta.outlet.is_none() {
        meta.outlet = first_attr(r#"meta[property="og:site_name"]"#, "content")
            .or_else(|| first_attr(r#"meta[name="application-name"]"#, "content"));
    }
    if meta.published.is_none() {
        meta.published = first_attr(r#"meta[property="article:published_time"]"#, "content")
            .or_else(|| first_attr(r#"meta[itemprop="datePublished"]"#, "content"))
            .or_else(|| first_attr(r#"meta[name="date"]"#, "content"))
            .or_else(|| first_attr("time[datetime]", "datetime"));
    }
    if meta.url.is_none() {
        meta.url = first_attr(r#"link[rel="canonical"]"#, "href")
            .or_else(|| first_attr(r#"meta[property="og:url"]"#, "content"));
    }
}

/// The element holding the article body.
fn body_root(page: &Html) -> ElementRef<'_> {
    let text_len = |e: &ElementRef<'_>| e.text().map(str::len).sum::<usize>();
    if let Some(sel) = selector(r#"[itemprop="articleBody"]"#) {
        if let Some(body) = page.select(&sel).max_by_key(text_len) {
            return body;
        }
    }
    for css in ["article", "main", "body"] {
        if let Some(sel) = selector(css) {
            if let Some(found) = page.select(&sel).max_by_key(text_len) {
                return found;
            }
        }
    }
    page.root_element()
}

/// The paragraphs under `root`, walked without recursion (pages can nest thousands deep).
fn body_paragraphs(root: ElementRef<'_>) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    let mut skipping: Option<ego_tree::NodeId> = None;
    let mut pre_depth = 0usize;
    let flush = |current: &mut String, paragraphs: &mut Vec<String>| {
        let p = collapse(current);
        if !p.is_empty() {
            paragraphs.push(p);
        }
        current.clear();
    };
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(text) => {
                        if pre_depth > 0 {
                            // Preformatted lines are paragraphs of their own.
                            let mut lines = text.split('\n');
                            if let Some(first) = lines.next() {
                                current.push_str(first);
                            }
                            for line in lines {
                                flush(&mut current, &mut paragraphs);
                                current.push_str(line);
                            }
                        } else {
                            current.push_str(text);
                        }
                    }
                    Node::Element(element) => {
                        let name = element.name();
                        let hidden = element.attr("hidden").is_some() || element.attr("aria-hidden") == Some("true");
                        if SKIPPED.contains(&name) || hidden {
                            skipping = Some(node.id());
                        } else if BLOCKS.contains(&name) {
                            flush(&mut current, &mut paragraphs);
                            if name == "pre" {
                                pre_depth += 1;
                            }
                        } else {
                            // Inline elements join words only where the markup had space.
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if skipping == Some(node.id()) {
                    skipping = None;
                    continue;
                }
                if skipping.is_some() {
                    continue;
                }
                if let Node::Element(element) = node.value() {
                    let name = element.name();
                    if BLOCKS.contains(&name) {
                        flush(&mut current, &mut paragraphs);
                        if name == "pre" {
                            pre_depth = pre_depth.saturating_sub(1);
                        }
                    }
                }
            }
        }
    }
    flush(&mut current, &mut paragraphs);
    paragraphs
}

/// The page with the tags of elements nested deeper than [`MAX_DEPTH`] removed (a scan of the tags,
/// not a parse: script and style contents and comments are skipped; end tags of removed elements
/// go with them). Pages that cannot nest that deep are returned as they are.
fn flatten_deep(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    if memchr::memchr_iter(b'<', bytes).nth(MAX_DEPTH).is_none() {
        return Cow::Borrowed(html);
    }
    let mut out: Option<String> = None;
    let mut copied = 0usize;
    let mut depth = 0usize;
    let mut removed = 0usize;
    let mut at = 0usize;
    while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + offset;
        let rest = &html[start + 1..];
        if rest.starts_with("!--") {
            at = rest.find("-->").map_or(bytes.len(), |e| start + 1 + e + 3);
            continue;
        }
        let Some(close) = memchr::memchr(b'>', rest.as_bytes()) else {
            break;
        };
        let end = start + 1 + close + 1;
        let inner = &rest[..close];
        let (is_end, name_part) = match inner.strip_prefix('/') {
            Some(name) => (true, name),
            None => (false, inner),
        };
        let name: String = name_part
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
            .collect::<String>()
            .to_ascii_lowercase();
        at = end;
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        if !is_end && (name == "script" || name == "style") {
            let closing = format!("</{name}");
            at = memchr::memchr_iter(b'<', &bytes[end..])
                .map(|e| end + e)
                .find(|&e| {
                    bytes
                        .get(e..e + closing.len())
                        .is_some_and(|b| b.eq_ignore_ascii_case(closing.as_bytes()))
                })
                .unwrap_or(bytes.len());
            continue;
        }
        if NOT_NESTING.contains(&name.as_str()) || (!is_end && inner.ends_with('/')) {
            continue;
        }
        let drop_tag = if is_end {
            if removed > 0 {
                removed -= 1;
                true
            } else {
                depth = depth.saturating_sub(1);
                false
            }
        } else if depth >= MAX_DEPTH {
            removed += 1;
            true
        } else {
            depth += 1;
            false
        };
        if drop_tag {
            let out = out.get_or_insert_with(|| String::with_capacity(html.len()));
            out.push_str(&html[copied..start]);
            copied = end;
        }
    }
    match out {
        Some(mut out) => {
            out.push_str(&html[copied..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(html),
    }
}

/// White space collapsed to single spaces and trimmed, as a browser renders it (no-break spaces too).
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How far into a page a `<meta charset>` is looked for (as the HTML standard's prescan).
const PRESCAN_BYTES: usize = 1024;

/// The encoding a page declares: its byte-order mark, else the `charset` of its HTTP
/// `Content-Type`, else a `<meta charset>` or `<meta http-equiv="Content-Type">` near its start.
/// `None` when nothing (known) is declared.
pub(crate) fn declared_encoding(bytes: &[u8], content_type: Option<&str>) -> Option<&'static Encoding> {
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        return Some(encoding);
    }
    let from_label = |label: &[u8]| Encoding::for_label(label);
    if let Some(encoding) = content_type.and_then(|t| charset_in(t.as_bytes())).and_then(from_label) {
        return Some(encoding);
    }
    let head = bytes[..bytes.len().min(PRESCAN_BYTES)].to_ascii_lowercase();
    let mut rest = &head[..];
    while let Some(at) = memchr::memmem::find(rest, b"<meta") {
        let tag = &rest[at..];
        let tag = &tag[..memchr::memchr(b'>', tag).unwrap_or(tag.len())];
        if let Some(encoding) = charset_in(tag).and_then(from_label) {
            return Some(encoding);
        }
        rest = &rest[at + 5..];
    }
    None
}

/// The value after `charset=` in `text` (a Content-Type value or a meta tag), unquoted.
fn charset_in(text: &[u8]) -> Option<&[u8]> {
    let lower = text.to_ascii_lowercase();
    let at = memchr::memmem::find(&lower, b"charset")? + "charset".len();
    let value = text[at..].trim_ascii_start().strip_prefix(b"=")?.trim_ascii_start();
    let value = value
        .strip_prefix(b"\"")
        .or_else(|| value.strip_prefix(b"'"))
        .unwrap_or(value);
    let end = value
        .iter()
        .position(|b| matches!(b, b'"' | b'\'' | b';' | b'>' | b'/') || b.is_ascii_whitespace())
        .unwrap_or(value.len());
    Some(&value[..end]).filter(|v| !v.is_empty())
}

/// The text of an HTML page's bytes, in the encoding it declares (windows-1252, ISO-8859-x,
/// Shift_JIS… as browsers do), else UTF-8 ([`super::decode_text`]).
pub(crate) fn decode_page<'b>(
    path: &Path,
    bytes: &'b [u8],
    content_type: Option<&str>,
    lossy: bool,
) -> Result<Cow<'b, str>, ReadError> {
    let encoding = declared_encoding(bytes, content_type).unwrap_or(UTF_8);
    super::decode_text(path, bytes, encoding, lossy)
}

#[cfg(test)]
mod tests {
    use encoding_rs::{SHIFT_JIS, UTF_16LE};

    #[test]
    fn a_page_declares_its_encoding_by_bom_header_or_meta() {
        let declared = |bytes: &[u8], header| declared_encoding(bytes, header).map(Encoding::name);
        assert_eq!(declared(b"<p>plain</p>", None), None);
        assert_eq!(declared(b"\xff\xfe<\0p\0>\0", None), Some("UTF-16LE"));
        assert_eq!(
            declared(b"<p>x</p>", Some("text/html; Charset=\"ISO-8859-1\"")),
            Some("windows-1252")
        );
        assert_eq!(
            declared(b"<html><head><META CHARSET='shift_jis'></head>", None),
            Some("Shift_JIS")
        );
        assert_eq!(
            declared(
                b"<meta name=x><meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\">",
                None
            ),
            Some("KOI8-R")
        );
        // The header wins over the meta tag; an unknown label declares nothing.
        assert_eq!(
            declared(b"<meta charset=utf-8>", Some("text/html; charset=windows-1251")),
            Some("windows-1251")
        );
        assert_eq!(declared(b"<meta charset=no-such-thing>", None), None);
        let far = [&b" ".repeat(PRESCAN_BYTES)[..], b"<meta charset=koi8-r>"].concat();
        assert_eq!(declared(&far, None), None, "only the start of the page is looked at");
    }

    #[test]
    fn pages_are_decoded_from_their_declared_encoding() {
        let path = Path::new("page.html");
        let latin = b"<meta charset=windows-1252><p>caf\xe9 \x93quoted\x94</p>";
        let text = decode_page(path, latin, None, false).unwrap();
        assert!(text.ends_with("<p>caf\u{e9} \u{201c}quoted\u{201d}</p>"), "{text}");
        let mut bom = vec![0xff, 0xfe];
        for c in "<p>said</p>".encode_utf16() {
            bom.extend_from_slice(&c.to_le_bytes());
        }
        assert_eq!(declared_encoding(&bom, None), Some(UTF_16LE));
        assert_eq!(decode_page(path, &bom, None, false).unwrap(), "<p>said</p>");
        // A byte sequence invalid in the declared encoding is an error, unless lossy.
        let broken = [&b"<meta charset=shift_jis><p>"[..], &[0x81, 0x20], b"</p>"].concat();
        assert!(SHIFT_JIS.decode(&broken).2, "0x81 0x20 is no Shift_JIS character");
        let err = decode_page(path, &broken, None, false).unwrap_err();
        assert_eq!(
            err.to_string(),
            "page.html: invalid Shift_JIS, the encoding the page declares (--lossy reads it anyway)"
        );
        assert!(decode_page(path, &broken, None, true).unwrap().contains('\u{fffd}'));
        // Undeclared or UTF-8 pages are read as UTF-8 text, as before.
        assert!(matches!(
            decode_page(path, b"<p>caf\xe9</p>", None, false),
            Err(ReadError::InvalidUtf8 { byte_offset: 6, .. })
        ));
        assert!(matches!(
            decode_page(path, b"<meta charset=latin1>\0", None, false),
            Err(ReadError::Binary { .. })
        ));
    }

    use super::*;

    #[test]
    fn the_article_body_and_its_metadata_are_read() {
        let page = r#"<!doctype html><html><head><title>Talks stall - The Courier</title>
            <meta property="og:site_name" content="The Courier">
            <meta property="article:published_time" content="2026-02-04T10:00:00Z">
            <link rel="canonical" href="https://courier.example/talks">
            <script>var said = "not text";</script></head>
            <body><nav><a href="/">Home</a> said nothing</nav>
            <article><h1>Talks stall</h1><p>The minister   said the talks had <b>stalled</b>.</p>
            <aside>Related: other news</aside><p>Two officials told the <i>Courier</i> that
            nothing was agreed.</p></article><footer>© 2026</footer></body></html>"#;
        let article = html_article(page).unwrap();
        assert_eq!(
            article.text,
            "Talks stall\n\nThe minister said the talks had stalled.\n\n\
             Two officials told the Courier that nothing was agreed.\n"
        );
        assert_eq!(article.publication.title.as_deref(), Some("Talks stall"));
        assert_eq!(article.publication.outlet.as_deref(), Some("The Courier"));
        assert_eq!(article.publication.published.as_deref(), Some("2026-02-04T10:00:00Z"));
        assert_eq!(
            article.publication.url.as_deref(),
            Some("https://courier.example/talks")
        );
    }

    #[test]
    fn json_ld_wins_and_its_body_serves_when_the_markup_has_none() {
        let page = r#"<html><head><meta property="og:title" content="OG title">
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
              {"@type":"WebSite","name":"Site"},
              {"@type":["NewsArticle"],"headline":"Ministers meet","datePublished":"2026-03-02",
               "publisher":{"@type":"Organization","name":"Meridian Wire"},
               "articleBody":"The ministers met.\nOfficials said a deal was near."}]}</script>
            </head><body><div id="app"></div></body></html>"#;
        let article = html_article(page).unwrap();
        assert_eq!(
            article.text,
            "Ministers meet\n\nThe ministers met.\n\nOfficials said a deal was near.\n"
        );
        assert_eq!(article.publication.title.as_deref(), Some("Ministers meet"));
        assert_eq!(article.publication.outlet.as_deref(), Some("Meridian Wire"));
        assert_eq!(article.publication.published.as_deref(), Some("2026-03-02"));
    }

    #[test]
    fn broken_and_deep_markup_still_parses() {
        let deep = format!("<p>{}He said so.{}", "<div>".repeat(50_000), "</span>".repeat(10));
        assert!(flatten_deep(&deep).len() < 300 * 5 + 100);
        let article = html_article(&deep).unwrap();
        assert_eq!(article.text, "He said so.\n");
        assert_eq!(html_article("<html><body><script>x</script></body>"), None);
        assert_eq!(html_article("<p>unclosed <b>bold").unwrap().text, "unclosed bold\n");
        // Past the cap, tags go and text stays, end tags with their start tags.
        let nested = format!(
            "{}<p>A <em>said</em> B</p>{}<p>after</p><script>let s = '{}';</script>",
            "<section>".repeat(300),
            "</section>".repeat(300),
            "<div>".repeat(400)
        );
        let flat = flatten_deep(&nested);
        assert_eq!(flat.matches("<section>").count(), MAX_DEPTH);
        assert_eq!(flat.matches("</section>").count(), MAX_DEPTH);
        assert_eq!(flat.matches("<div>").count(), 400, "script contents are left alone");
        assert_eq!(html_article(&nested).unwrap().text, "A said B\n\nafter\n");
    }
}
