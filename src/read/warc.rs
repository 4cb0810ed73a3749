//! WARC files (as web crawls store them, `.warc` or `.warc.gz`): each `response` record holding an
//! HTML page, and each `resource` record of type `text/html`, is one document, read as HTML.
//!
//! Records are read one at a time with the `warc` crate, so memory holds one record, not the file.
//! The HTTP envelope of a response is parsed here: only 2xx pages of an HTML type are read, chunked
//! transfer coding is undone and gzip/deflate content coding decompressed. A record that cannot be
//! parsed stops the file (what follows it cannot be trusted) and is reported with its number; the
//! records before it are kept.

use super::{Decode, Document, ReadError};
use std::borrow::Cow;
use std::io::{BufRead, Read};
use std::path::Path;
use warc::{WarcHeader, WarcReader};

/// Reads the HTML pages of a WARC stream (already decompressed when the file was `.gz`).
pub(super) fn read_warc(
    path: &Path,
    reader: impl BufRead,
    decode: Decode,
    sink: &mut dyn FnMut(Result<Document, ReadError>),
) {
    let corrupt = |record: usize, message: String| ReadError::Corrupt {
        path: path.to_path_buf(),
        position: format!("record {record}"),
        message,
    };
    let mut pages = 0usize;
    for (idx, record) in WarcReader::new(reader).iter_raw_records().enumerate() {
        let number = idx + 1;
        let (header, block) = match record {
            Ok(record) => record,
            Err(err) => {
                let message = match err {
                    warc::Error::ReadData(io) => format!("cannot read the record: {io}"),
                    warc::Error::UnexpectedEOB => "the file ends inside the record (truncated)".to_owned(),
                    other => format!("not a WARC record: {other}"),
                };
                return sink(Err(corrupt(number, message)));
            }
        };
        let field = |name: WarcHeader| {
            header
                .headers
                .get(&name)
                .map(|v| String::from_utf8_lossy(v).trim().to_owned())
        };
        let kind = field(WarcHeader::WarcType).unwrap_or_default();
        let content_type = field(WarcHeader::ContentType).unwrap_or_default().to_ascii_lowercase();
        let (page, page_type): (Cow<'_, [u8]>, Option<String>) = match kind.as_str() {
            "response" if content_type.starts_with("application/http") => match http_html_body(&block) {
                Ok(Some(page)) => page,
                Ok(None) => continue,
                Err(message) => {
                    sink(Err(corrupt(number, message)));
                    continue;
                }
            },
            "resource" if is_html_type(&content_type) => (Cow::Borrowed(&block[..]), Some(content_type.clone())),
            _ => continue,
        };
        pages += 1;
        if page.len() > decode.max_bytes {
            sink(Err(ReadError::TooLarge {
                path: path.to_path_buf(),
                at: format!(":record {number}"),
                limit: decode.max_bytes,
            }));
            continue;
        }
        let target = field(WarcHeader::TargetURI).filter(|t| !t.is_empty());
        let origin = format!("{}:record {number}", path.display());
        let text = match super::html::decode_page(path, &page, page_type.as_deref(), decode.lossy) {
            Ok(text) => text,
            Err(ReadError::InvalidUtf8 { byte_offset, .. }) => {
                sink(Err(corrupt(
                    number,
                    format!("the page is not UTF-8 (byte offset {byte_offset} of its body; --lossy reads it anyway)"),
                )));
                continue;
            }
            Err(ReadError::InvalidEncoding { encoding, .. }) => {
                sink(Err(corrupt(
                    number,
                    format!("the page is not valid {encoding}, the encoding it declares (--lossy reads it anyway)"),
                )));
                continue;
            }
            Err(err) => {
                sink(Err(err));
                continue;
            }
        };
        match super::html::html_article(&text) {
            Some(article) => {
                let mut publication = article.publication;
                if publication.url.is_none() {
                    publication.url.clone_from(&target);
                }
                sink(Ok(Document {
                    name: target.unwrap_or_else(|| origin.clone()),
                    origin,
                    text: article.text,
                    publication,
                }));
            }
            None => sink(Err(corrupt(number, "the page holds no text".to_owned()))),
        }
    }
    if pages == 0 {
        sink(Err(ReadError::Empty {
            path: path.to_path_buf(),
        }));
    }
}

fn is_html_type(content_type: &str) -> bool {
    content_type.starts_with("text/html") || content_type.starts_with("application/xhtml+xml")
}

/// A page's bytes and the `Content-Type` it was served with.
type Page<'a> = (Cow<'a, [u8]>, Option<String>);

/// The body of an HTTP response when it is a successful HTML page, with its `Content-Type` (`None`
/// for other pages).
fn http_html_body(message: &[u8]) -> Result<Option<Page<'_>>, String> {
    let (head, body) = match memchr::memmem::find(message, b"\r\n\r\n") {
        Some(at) => (&message[..at], &message[at + 4..]),
        None => match memchr::memmem::find(message, b"\n\n") {
            Some(at) => (&message[..at], &message[at + 2..]),
            None => return Err("the HTTP response has no end of headers".to_owned()),
        },
    };
    let head = String::from_utf8_lossy(head);
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| "the HTTP response has no status line".to_owned())?;
    if !(200..300).contains(&status) {
        return Ok(None);
    }
    let mut content_type = None;
    let mut chunked = false;
    let mut encoding = None;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim().to_ascii_lowercase();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-type" => content_type = Some(value),
            "transfer-encoding" => chunked = value.contains("chunked"),
            "content-encoding" => encoding = Some(value),
            _ => {}
        }
    }
    // Pages without a type are sniffed, as browsers do.
    let html = match &content_type {
        Some(t) => is_html_type(t),
        None => {
            let start = body.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(0);
            body[start..].first() == Some(&b'<')
        }
    };
    if !html {
        return Ok(None);
    }
    let mut body = Cow::Borrowed(body);
    if chunked {
        body = Cow::Owned(dechunk(&body).ok_or_else(|| "broken chunked transfer coding".to_owned())?);
    }
    match encoding.as_deref() {
        Some("gzip" | "x-gzip") => {
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(&body[..])
                .read_to_end(&mut out)
                .map_err(|e| format!("the gzip page cannot be decompressed: {e}"))?;
            body = Cow::Owned(out);
        }
        Some("deflate") => {
            let mut out = Vec::new();
            flate2::read::ZlibDecoder::new(&body[..])
                .read_to_end(&mut out)
                .map_err(|e| format!("the deflate page cannot be decompressed: {e}"))?;
            body = Cow::Owned(out);
        }
        _ => {}
    }
    Ok(Some((body, content_type)))
}

/// Undoes HTTP/1.1 chunked transfer coding; `None` when the chunks are malformed.
fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len());
    loop {
        let line_end = memchr::memmem::find(data, b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?;
        let size_text = size_text.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size..)?;
        data = data.strip_prefix(b"\r\n").unwrap_or(data);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A WARC record with a correct Content-Length.
    pub(crate) fn record(kind: &str, content_type: &str, target: &str, block: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {target}\r\nWARC-Date: 2026-02-04T10:00:00Z\r\n\
             WARC-Record-ID: <urn:uuid:{}>\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            target.len(),
            block.len()
        )
        .into_bytes();
        out.extend_from_slice(block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    fn read(bytes: &[u8]) -> Vec<Result<Document, String>> {
        let mut out = Vec::new();
        let decode = Decode {
            lossy: false,
            max_bytes: 1 << 20,
        };
        read_warc(Path::new("crawl.warc"), bytes, decode, &mut |r| {
            out.push(r.map_err(|e| e.to_string()))
        });
        out
    }

    #[test]
    fn pages_are_read_in_the_encoding_their_response_declares() {
        let latin = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=windows-1252\r\n\r\n\
                      <p>The caf\xe9 owner said \x93prices rose\x94.</p>";
        let undeclared = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>The caf\xe9 owner said so.</p>";
        let mut warc = record(
            "response",
            "application/http; msgtype=response",
            "https://a.example/1",
            latin,
        );
        warc.extend(record(
            "response",
            "application/http; msgtype=response",
            "https://a.example/2",
            undeclared,
        ));
        let docs = read(&warc);
        assert_eq!(
            docs[0].as_ref().map(|d| d.text.as_str()),
            Ok("The caf\u{e9} owner said \u{201c}prices rose\u{201d}.\n")
        );
        // Without a declared encoding the page must be UTF-8: the invalid byte is reported.
        let err = docs[1].as_ref().unwrap_err();
        assert!(err.contains("record 2") && err.contains("not UTF-8"), "{err}");
    }

    #[test]
    fn responses_of_html_pages_are_documents() {
        let page = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n\
                     10\r\n<p>The minister \r\n9\r\nsaid so.\n\r\n0\r\n\r\n";
        let mut warc = record("warcinfo", "application/warc-fields", "", b"software: test\r\n");
        warc.extend(record(
            "request",
            "application/http; msgtype=request",
            "https://a.example/x",
            b"GET /x HTTP/1.1\r\n\r\n",
        ));
        warc.extend(record(
            "response",
            "application/http; msgtype=response",
            "https://a.example/x",
            page,
        ));
        warc.extend(record(
            "response",
            "application/http; msgtype=response",
            "https://a.example/missing",
            b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<p>Not here, they said.</p>",
        ));
        warc.extend(record(
            "response",
            "application/http; msgtype=response",
            "https://a.example/logo.png",
            b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG\0\0",
        ));
        let docs = read(&warc);
        assert_eq!(docs.len(), 1, "{docs:?}");
        let doc = docs[0].as_ref().unwrap();
        assert_eq!(doc.name, "https://a.example/x");
        assert_eq!(doc.origin, "crawl.warc:record 3");
        assert_eq!(doc.text, "The minister said so.\n");
        assert_eq!(doc.publication.url.as_deref(), Some("https://a.example/x"));
    }

    #[test]
    fn a_truncated_file_keeps_the_records_before_the_cut() {
        let page = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>Officials said it.</p>";
        let mut warc = record("response", "application/http", "https://a.example/1", page);
        let second = record("response", "application/http", "https://a.example/2", page);
        warc.extend(&second[..second.len() - 20]);
        let docs = read(&warc);
        assert_eq!(docs.len(), 2, "{docs:?}");
        assert_eq!(docs[0].as_ref().unwrap().text, "Officials said it.\n");
        assert_eq!(
            docs[1].as_ref().unwrap_err(),
            "crawl.warc:record 2: the file ends inside the record (truncated)"
        );
    }
}
