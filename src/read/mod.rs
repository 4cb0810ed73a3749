//! Reading documents: plain text (files, directory trees, standard input), JSON Lines (`{"id",
//! "text"}` per line, with optional `url`, `outlet`, `published`, `title`), HTML pages and WARC
//! crawls; any of them gzip-compressed (`.gz`, or recognised by its magic bytes).
//!
//! Reading is streaming and forgiving: each document, or the error that stopped it, is handed to a
//! callback as soon as it is read, so memory holds one document (one JSON line, one WARC record), not
//! the input, and one broken file or line never stops the batch.

pub mod html;
mod warc;

use crate::error::ReadError;
use encoding_rs::{Encoding, UTF_8};
use serde::Deserialize;
use std::borrow::Cow;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// A document to extract from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// What users call it: the file name (its path under a directory given), the JSON Lines `id`,
    /// a WARC record's target URI, or `-` for standard input.
    pub name: String,
    /// Where it came from, for messages: a path, with a line or record number where it has one.
    pub origin: String,
    /// The text, exactly as read (offsets count in it); for HTML, the extracted article text.
    pub text: String,
    /// What the input says of the publication besides the text (JSON Lines fields, HTML metadata).
    pub publication: Publication,
}

/// Publication facts given beside the text: the JSON Lines fields `outlet`, `published`, `url`,
/// `title`, or an HTML page's metadata. The text's own header or dateline is used where these are
/// absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Publication {
    /// The publishing outlet's name.
    pub outlet: Option<String>,
    /// When it was published, as written (ISO 8601 or a dateline's date).
    pub published: Option<String>,
    /// Where it was published.
    pub url: Option<String>,
    /// The headline.
    pub title: Option<String>,
}

/// How input files are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputFormat {
    /// One document per file.
    Text,
    /// One `{"id", "text"}` object per line.
    Jsonl,
    /// One HTML page per file: its article text and metadata.
    Html,
    /// A WARC file: every HTML page among its response records.
    Warc,
}

impl InputFormat {
    /// The names `--input-format` accepts, in the order of [`InputFormat::from_name`].
    pub const NAMES: [&'static str; 4] = ["text", "jsonl", "html", "warc"];

    /// The format called `name` (one of [`InputFormat::NAMES`]).
    pub fn from_name(name: &str) -> Option<InputFormat> {
        match name {
            "text" => Some(InputFormat::Text),
            "jsonl" => Some(InputFormat::Jsonl),
            "html" => Some(InputFormat::Html),
            "warc" => Some(InputFormat::Warc),
            _ => None,
        }
    }

    /// The format for a file name, after a `.gz` suffix: `.jsonl`/`.ndjson` are JSON Lines,
    /// `.html`/`.htm`/`.xhtml` HTML, `.warc` WARC, anything else text.
    ///
    /// ```
    /// use claimtrace::read::InputFormat;
    /// assert_eq!(InputFormat::from_path("a/b.jsonl".as_ref()), InputFormat::Jsonl);
    /// assert_eq!(InputFormat::from_path("crawl.warc.gz".as_ref()), InputFormat::Warc);
    /// assert_eq!(InputFormat::from_path("page.HTML".as_ref()), InputFormat::Html);
    /// assert_eq!(InputFormat::from_path("a/b.txt".as_ref()), InputFormat::Text);
    /// ```
    pub fn from_path(path: &Path) -> InputFormat {
        match document_extension(path).as_deref() {
            Some("jsonl" | "ndjson") => InputFormat::Jsonl,
            Some("html" | "htm" | "xhtml") => InputFormat::Html,
            Some("warc") => InputFormat::Warc,
            _ => InputFormat::Text,
        }
    }
}

/// The extension that says what a file holds, lower-cased, under a `.gz` suffix.
fn document_extension(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?.to_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let (_, ext) = name.rsplit_once('.')?;
    Some(ext.to_owned())
}

/// File extensions picked up when a directory is given (each also with `.gz`).
const DOCUMENT_EXTENSIONS: [&str; 10] = [
    "txt", "text", "md", "jsonl", "ndjson", "html", "htm", "xhtml", "warc", "gz",
];

/// How to read: the format (else by extension), whether invalid UTF-8 is replaced rather than
/// rejected, and a counter of the bytes read from disk (for progress bars).
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The format of every input; by default chosen per file by extension.
    pub format: Option<InputFormat>,
    /// Replace invalid UTF-8 by U+FFFD instead of rejecting the document.
    pub lossy: bool,
    /// Incremented by the bytes read from input files (compressed bytes for `.gz`).
    pub progress: Option<Arc<AtomicU64>>,
    /// Documents (a text file, an HTML page, a JSON line, a WARC record) larger than this are
    /// reported and skipped without being held in memory; `None` is
    /// [`DEFAULT_MAX_DOCUMENT_BYTES`].
    pub max_document_bytes: Option<usize>,
}

/// The default limit on one document: 16 MiB, far above any news article (a long one is 50 kB),
/// and far below what would make one document's extraction and graph exhaust memory.
pub const DEFAULT_MAX_DOCUMENT_BYTES: usize = 16 << 20;

/// How bytes become documents.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Decode {
    /// Replace invalid UTF-8 instead of rejecting it.
    pub(crate) lossy: bool,
    /// The largest document read.
    pub(crate) max_bytes: usize,
}

impl ReadOptions {
    fn decode(&self) -> Decode {
        Decode {
            lossy: self.lossy,
            max_bytes: self.max_document_bytes.unwrap_or(DEFAULT_MAX_DOCUMENT_BYTES),
        }
    }
}

/// One input to read.
#[derive(Debug)]
enum Input {
    Stdin,
    File { path: PathBuf, name: String, size: u64 },
    Failed(ReadError),
}

/// The inputs of a run, resolved (directories walked) before reading, so that their total size is
/// known up front.
#[derive(Debug)]
pub struct Inputs {
    items: Vec<Input>,
}

impl Inputs {
    /// Resolves files, directories (walked recursively in name order, hidden entries skipped) and
    /// `-` (standard input).
    pub fn collect(paths: &[PathBuf]) -> Inputs {
        let mut items = Vec::new();
        for input in paths {
            if input.as_os_str() == "-" {
                items.push(Input::Stdin);
            } else if input.is_dir() {
                let mut files = Vec::new();
                if let Err(err) = walk(input, &mut files) {
                    items.push(Input::Failed(err));
                    continue;
                }
                if files.is_empty() {
                    items.push(Input::Failed(ReadError::NoDocuments { path: input.clone() }));
                }
                for path in files {
                    let name = path.strip_prefix(input).map_or_else(
                        |_| path.display().to_string(),
                        |p| p.to_string_lossy().replace('\\', "/"),
                    );
                    items.push(file_input(path, name));
                }
            } else {
                let name = input
                    .file_name()
                    .map_or_else(|| input.display().to_string(), |n| n.to_string_lossy().into_owned());
                items.push(file_input(input.clone(), name));
            }
        }
        Inputs { items }
    }

    /// The total size on disk of the input files; `None` when standard input is one of them.
    pub fn total_bytes(&self) -> Option<u64> {
        self.items.iter().try_fold(0u64, |sum, item| match item {
            Input::Stdin => None,
            Input::File { size, .. } => Some(sum + size),
            Input::Failed(_) => Some(sum),
        })
    }

    /// Reads every document and hands each, or its error, to `sink`.
    pub fn read(self, options: &ReadOptions, sink: &mut dyn FnMut(Result<Document, ReadError>)) {
        for item in self.items {
            match item {
                Input::Stdin => {
                    let stdin = std::io::stdin().lock();
                    read_stream(
                        Path::new("-"),
                        "-",
                        stdin,
                        options.format.unwrap_or(InputFormat::Text),
                        options.decode(),
                        sink,
                    );
                }
                Input::File { path, name, .. } => match std::fs::File::open(&path) {
                    Ok(file) => {
                        let counted = Counted {
                            inner: file,
                            counter: options.progress.clone(),
                        };
                        let format = options.format.unwrap_or_else(|| InputFormat::from_path(&path));
                        let reader = BufReader::with_capacity(1 << 16, counted);
                        read_stream(&path, &name, reader, format, options.decode(), sink);
                    }
                    Err(source) => sink(Err(ReadError::Io { path, source })),
                },
                Input::Failed(err) => sink(Err(err)),
            }
        }
    }
}

fn file_input(path: PathBuf, name: String) -> Input {
    match std::fs::metadata(&path) {
        Ok(meta) => Input::File {
            path,
            name,
            size: meta.len(),
        },
        Err(source) => Input::Failed(ReadError::Io { path, source }),
    }
}

/// Reads every document of `inputs` (files, directories walked recursively in name order, or `-`
/// for standard input) and hands each, or its error, to `sink`.
pub fn read_inputs(inputs: &[PathBuf], options: &ReadOptions, sink: &mut dyn FnMut(Result<Document, ReadError>)) {
    Inputs::collect(inputs).read(options, sink);
}

/// A reader that adds the bytes it reads to a shared counter.
struct Counted<R> {
    inner: R,
    counter: Option<Arc<AtomicU64>>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(counter) = &self.counter {
            counter.fetch_add(n as u64, Ordering::Relaxed);
        }
        Ok(n)
    }
}

/// Collects the document files under `dir`, sorted, skipping hidden entries.
fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), ReadError> {
    let io = |source| ReadError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, files)?;
        } else if document_extension(&path).is_some_and(|e| DOCUMENT_EXTENSIONS.contains(&e.as_str())) {
            files.push(path);
        }
    }
    Ok(())
}

/// Reads one input's bytes in `format` (decompressing gzip), for tests and fuzzing.
pub fn read_bytes(
    path: &Path,
    name: &str,
    bytes: &[u8],
    format: InputFormat,
    lossy: bool,
    sink: &mut dyn FnMut(Result<Document, ReadError>),
) {
    let decode = Decode {
        lossy,
        max_bytes: DEFAULT_MAX_DOCUMENT_BYTES,
    };
    read_stream(path, name, bytes, format, decode, sink);
}

/// Reads one input stream: gzip is recognised by its magic bytes and decompressed on the fly.
fn read_stream(
    path: &Path,
    name: &str,
    mut reader: impl BufRead,
    format: InputFormat,
    decode: Decode,
    sink: &mut dyn FnMut(Result<Document, ReadError>),
) {
    let gzip = match reader.fill_buf() {
        Ok(head) => head.starts_with(&[0x1f, 0x8b]),
        Err(source) => {
            return sink(Err(ReadError::Io {
                path: path.to_path_buf(),
                source,
            }));
        }
    };
    if gzip {
        let decoded = BufReader::with_capacity(1 << 16, flate2::bufread::MultiGzDecoder::new(reader));
        read_decoded(path, name, decoded, format, decode, sink);
    } else {
        read_decoded(path, name, reader, format, decode, sink);
    }
}

fn read_decoded(
    path: &Path,
    name: &str,
    reader: impl BufRead,
    format: InputFormat,
    decode: Decode,
    sink: &mut dyn FnMut(Result<Document, ReadError>),
) {
    match format {
        InputFormat::Jsonl => return read_jsonl(path, reader, decode, sink),
        InputFormat::Warc => return warc::read_warc(path, reader, decode, sink),
        InputFormat::Text | InputFormat::Html => {}
    }
    let mut bytes = Vec::new();
    if let Err(err) = reader.take(decode.max_bytes as u64 + 1).read_to_end(&mut bytes) {
        return sink(Err(broken_stream(path, format!("byte {}", bytes.len()), &err)));
    }
    if bytes.len() > decode.max_bytes {
        return sink(Err(ReadError::TooLarge {
            path: path.to_path_buf(),
            at: String::new(),
            limit: decode.max_bytes,
        }));
    }
    let decoded = if format == InputFormat::Html {
        html::decode_page(path, &bytes, None, decode.lossy)
    } else {
        decode_text(path, &bytes, UTF_8, decode.lossy)
    };
    let text = match decoded {
        Ok(text) => text,
        Err(err) => return sink(Err(err)),
    };
    let (text, publication) = if format == InputFormat::Html {
        match html::html_article(&text) {
            Some(article) => (article.text, article.publication),
            None => {
                return sink(Err(ReadError::Empty {
                    path: path.to_path_buf(),
                }));
            }
        }
    } else {
        (text.into_owned(), Publication::default())
    };
    if text.trim().is_empty() {
        return sink(Err(ReadError::Empty {
            path: path.to_path_buf(),
        }));
    }
    sink(Ok(Document {
        name: name.to_owned(),
        origin: path.display().to_string(),
        text,
        publication,
    }));
}

/// Reads one line (with its newline) into `line`, keeping at most `max` bytes: the rest of a longer
/// line is read and dropped. `None` at the end of the input; `Some(true)` when the line was longer.
fn read_line_at_most(reader: &mut impl BufRead, line: &mut Vec<u8>, max: usize) -> std::io::Result<Option<bool>> {
    let mut seen = 0usize;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if available.is_empty() {
            return Ok((seen > 0).then_some(seen > max));
        }
        let (taken, done) = match memchr::memchr(b'\n', available) {
            Some(at) => (at + 1, true),
            None => (available.len(), false),
        };
        if seen <= max {
            let keep = taken.min(max + 1 - seen);
            line.extend_from_slice(&available[..keep]);
        }
        seen += taken;
        reader.consume(taken);
        if done {
            return Ok(Some(seen > max));
        }
    }
}

/// The error for a stream that broke while being read (a truncated or corrupt gzip member).
fn broken_stream(path: &Path, position: String, err: &std::io::Error) -> ReadError {
    ReadError::Corrupt {
        path: path.to_path_buf(),
        position,
        message: format!("cannot read further: {err} (truncated or corrupt compressed data?)"),
    }
}

/// Checks that `bytes` are text in `encoding` without NUL bytes (UTF-16 aside, which is made of
/// them): UTF-8 strictly, another encoding decoded with encoding_rs; with `lossy`, invalid bytes
/// become U+FFFD instead of an error.
pub(crate) fn decode_text<'b>(
    path: &Path,
    bytes: &'b [u8],
    encoding: &'static Encoding,
    lossy: bool,
) -> Result<Cow<'b, str>, ReadError> {
    let utf16 = encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE;
    if let Some(byte_offset) = memchr::memchr(0, bytes).filter(|_| !utf16) {
        return Err(ReadError::Binary {
            path: path.to_path_buf(),
            byte_offset,
        });
    }
    if encoding != UTF_8 {
        let (text, _, had_errors) = encoding.decode(bytes);
        if had_errors && !lossy {
            return Err(ReadError::InvalidEncoding {
                path: path.to_path_buf(),
                encoding: encoding.name(),
            });
        }
        return Ok(text);
    }
    if lossy {
        return Ok(String::from_utf8_lossy(bytes));
    }
    std::str::from_utf8(bytes).map(Cow::Borrowed).map_err(|err| {
        let byte_offset = err.valid_up_to();
        // The prefix is valid UTF-8 by definition of `valid_up_to`.
        let valid = std::str::from_utf8(&bytes[..byte_offset]).unwrap_or("");
        let line = valid.matches('\n').count() + 1;
        let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        ReadError::InvalidUtf8 {
            path: path.to_path_buf(),
            line,
            column,
            byte_offset,
        }
    })
}

#[derive(Deserialize)]
struct JsonDocument {
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    outlet: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    title: Option<String>,
}

/// JSON Lines, one line in memory at a time.
fn read_jsonl(
    path: &Path,
    mut reader: impl BufRead,
    decode: Decode,
    sink: &mut dyn FnMut(Result<Document, ReadError>),
) {
    let mut any = false;
    let mut line = Vec::new();
    let mut line_no = 0usize;
    loop {
        line.clear();
        let too_long = match read_line_at_most(&mut reader, &mut line, decode.max_bytes) {
            Ok(None) => break,
            Ok(Some(too_long)) => too_long,
            Err(err) => {
                sink(Err(broken_stream(path, format!("{}", line_no + 1), &err)));
                break;
            }
        };
        line_no += 1;
        if too_long {
            any = true;
            sink(Err(ReadError::TooLarge {
                path: path.to_path_buf(),
                at: format!(":{line_no}"),
                limit: decode.max_bytes,
            }));
            continue;
        }
        let json_error = |column: usize, message: String| ReadError::Json {
            path: path.to_path_buf(),
            line: line_no,
            column,
            message,
        };
        let text = match decode_text(path, &line, UTF_8, decode.lossy) {
            Ok(text) => text,
            Err(ReadError::InvalidUtf8 {
                column, byte_offset, ..
            }) => {
                any = true;
                sink(Err(json_error(
                    column,
                    format!("invalid UTF-8 (byte offset {byte_offset} in the line)"),
                )));
                continue;
            }
            Err(ReadError::Binary { byte_offset, .. }) => {
                any = true;
                sink(Err(json_error(
                    byte_offset + 1,
                    "binary data (NUL byte), not JSON".to_owned(),
                )));
                continue;
            }
            Err(err) => {
                sink(Err(err));
                continue;
            }
        };
        if text.trim().is_empty() {
            continue;
        }
        any = true;
        let doc: JsonDocument = match serde_json::from_str(&text) {
            Ok(doc) => doc,
            Err(err) => {
                sink(Err(json_error(err.column().max(1), err.to_string())));
                continue;
            }
        };
        let name = match doc.id {
            serde_json::Value::String(s) if !s.is_empty() => s,
            serde_json::Value::Number(n) => n.to_string(),
            _ => {
                sink(Err(json_error(
                    1,
                    "\"id\" must be a non-empty string or a number".to_owned(),
                )));
                continue;
            }
        };
        if doc.text.trim().is_empty() {
            sink(Err(json_error(1, format!("document {name:?} has an empty \"text\""))));
            continue;
        }
        let given = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        sink(Ok(Document {
            name,
            origin: format!("{}:{line_no}", path.display()),
            text: doc.text,
            publication: Publication {
                outlet: given(doc.outlet),
                published: given(doc.published),
                url: given(doc.url),
                title: given(doc.title),
            },
        }));
    }
    if !any {
        sink(Err(ReadError::Empty {
            path: path.to_path_buf(),
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8], format: InputFormat) -> Vec<Result<Document, String>> {
        let mut out = Vec::new();
        read_bytes(Path::new("in.x"), "in.x", bytes, format, false, &mut |r| {
            out.push(r.map_err(|e| e.to_string()))
        });
        out
    }

    #[test]
    fn text_errors_name_the_position() {
        assert_eq!(
            read(b"ok\nab\xffc", InputFormat::Text),
            [Err("in.x:2:3: invalid UTF-8 (byte offset 5)".to_owned())]
        );
        assert_eq!(
            read(b"a\0b", InputFormat::Text),
            [Err("in.x: binary file (NUL byte at byte offset 1), not text".to_owned())]
        );
        assert_eq!(
            read(b"  \n", InputFormat::Text),
            [Err("in.x: empty document".to_owned())]
        );
    }

    #[test]
    fn jsonl_keeps_going_after_a_broken_line() {
        let out = read(
            b"{\"id\":\"a\",\"text\":\"x\"}\n{broken\n{\"id\":7,\"text\":\"y\"}\n",
            InputFormat::Jsonl,
        );
        assert_eq!(out.len(), 3);
        assert_eq!(out[0].as_ref().unwrap().name, "a");
        assert!(
            out[1]
                .as_ref()
                .unwrap_err()
                .starts_with("in.x:2:2: key must be a string")
        );
        assert_eq!(out[2].as_ref().unwrap().origin, "in.x:3");
    }
}
