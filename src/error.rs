//! Errors of the library, one enum per area, and diagnostics about input that did not stop the work.

use std::path::PathBuf;

/// A result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Any error of the library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading input documents failed.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Rendering output failed.
    #[error(transparent)]
    Report(#[from] ReportError),
}

/// A document could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The file or directory could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The bytes are not UTF-8.
    #[error("{path}:{line}:{column}: invalid UTF-8 (byte offset {byte_offset})")]
    InvalidUtf8 {
        /// The path.
        path: PathBuf,
        /// 1-based line of the first invalid byte.
        line: usize,
        /// 1-based column, in characters, of the first invalid byte.
        column: usize,
        /// Byte offset of the first invalid byte.
        byte_offset: usize,
    },
    /// A page is not valid in the (non-UTF-8) encoding it declares.
    #[error("{path}: invalid {encoding}, the encoding the page declares (--lossy reads it anyway)")]
    InvalidEncoding {
        /// The path.
        path: PathBuf,
        /// The encoding's name ("windows-1252").
        encoding: &'static str,
    },
    /// The file holds binary data (a NUL byte).
    #[error("{path}: binary file (NUL byte at byte offset {byte_offset}), not text")]
    Binary {
        /// The path.
        path: PathBuf,
        /// Where the NUL byte is.
        byte_offset: usize,
    },
    /// The file is empty or holds only whitespace.
    #[error("{path}: empty document")]
    Empty {
        /// The path.
        path: PathBuf,
    },
    /// A directory holds no text file.
    #[error(
        "{path}: directory holds no document file (.txt, .text, .md, .jsonl, .ndjson, .html, .htm, .warc, or these with .gz)"
    )]
    NoDocuments {
        /// The directory.
        path: PathBuf,
    },
    /// A compressed stream, WARC record or page is broken; what came before it was read.
    #[error("{path}:{position}: {message}")]
    Corrupt {
        /// The path.
        path: PathBuf,
        /// Where: `line N`, `record N`, or a byte offset.
        position: String,
        /// What is wrong.
        message: String,
    },
    /// A document is larger than the limit (`--max-document-size`); it is skipped unread.
    #[error("{path}{at}: document larger than {limit} bytes, skipped (see --max-document-size)")]
    TooLarge {
        /// The path.
        path: PathBuf,
        /// Where in the file: empty, or `:LINE` for JSON Lines, `:record N` for WARC.
        at: String,
        /// The limit in bytes.
        limit: usize,
    },
    /// A JSON Lines record is malformed.
    #[error("{path}:{line}:{column}: {message}")]
    Json {
        /// The path.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
}

impl ReadError {
    /// The path the error is about.
    pub fn path(&self) -> &std::path::Path {
        match self {
            ReadError::Io { path, .. }
            | ReadError::InvalidUtf8 { path, .. }
            | ReadError::InvalidEncoding { path, .. }
            | ReadError::Binary { path, .. }
            | ReadError::Empty { path }
            | ReadError::NoDocuments { path }
            | ReadError::Corrupt { path, .. }
            | ReadError::TooLarge { path, .. }
            | ReadError::Json { path, .. } => path,
        }
    }
}

/// The store could not be opened, written or queried.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Oxigraph's storage layer failed (opening, locking, writing).
    #[error("store at {path}: {source}")]
    Storage {
        /// The store directory (or "memory").
        path: PathBuf,
        /// The cause.
        source: oxigraph::store::StorageError,
    },
    /// A SPARQL query is invalid.
    #[error("invalid SPARQL query: {0}")]
    QuerySyntax(#[from] oxigraph::sparql::SparqlSyntaxError),
    /// A SPARQL query failed while running.
    #[error("SPARQL evaluation failed: {0}")]
    Evaluation(#[from] oxigraph::sparql::QueryEvaluationError),
    /// Data could not be parsed or serialised.
    #[error("RDF: {0}")]
    Rdf(String),
    /// A query of claimtrace's own returned something it did not expect.
    #[error("unexpected result from query {query}: {message}")]
    Unexpected {
        /// The `.rq` file's name.
        query: &'static str,
        /// What was wrong.
        message: String,
    },
    /// No article or claim matched what was asked for.
    #[error("{0}")]
    NotFound(String),
}

/// Output could not be rendered or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// Writing failed.
    #[error("writing output: {0}")]
    Io(#[from] std::io::Error),
    /// Serialising JSON failed.
    #[error("serialising JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// Serialising RDF failed.
    #[error("serialising RDF: {0}")]
    Rdf(String),
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing.
    Note,
    /// Probably a problem in the input.
    Warning,
}

/// Something odd in a document that did not stop the work, at a character range of its text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// First character concerned (0-based, Unicode scalar values).
    pub start: usize,
    /// One past the last character concerned.
    pub end: usize,
    /// Note or warning.
    pub severity: Severity,
    /// A short, stable code (`unclosed-quote`).
    pub code: &'static str,
    /// What is odd, lowercase, no final period.
    pub message: String,
}

/// 1-based line and column (in characters) of character offset `char_idx` in `text`.
///
/// ```
/// assert_eq!(claimtrace::error::line_col("ab\ncé\nd", 5), (2, 3));
/// ```
pub fn line_col(text: &str, char_idx: usize) -> (usize, usize) {
    let mut line = 1;
    let mut col = 1;
    for c in text.chars().take(char_idx) {
        if c == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
    }
    (line, col)
}
