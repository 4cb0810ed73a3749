//! Reading documents: plain-text files, directory trees of them, standard input, and JSON Lines
//! (`{"id", "text"}` per line).
//!
//! Reading is streaming and forgiving: each document, or the error that stopped it, is handed to a
//! callback, so one broken file never stops the batch.

use crate::error::ReadError;
use serde::Deserialize;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A document to extract from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// What users call it: the file name, or the JSON Lines `id`, or `-` for standard input.
    pub name: String,
    /// Where it came from, for messages: a path, with a line for JSON Lines.
    pub origin: String,
    /// The text, exactly as read (offsets count in it).
    pub text: String,
    /// What the input says of the publication besides the text (JSON Lines fields).
    pub publication: Publication,
}

/// Publication facts given beside the text: the JSON Lines fields `outlet`, `published`, `url`.
/// The text's own header or dateline is used where these are absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Publication {
    /// The publishing outlet's name.
    pub outlet: Option<String>,
    /// When it was published, as written (ISO 8601 or a dateline's date).
    pub published: Option<String>,
    /// Where it was published.
    pub url: Option<String>,
}

/// How input files are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputFormat {
    /// One document per file.
    Text,
    /// One `{"id", "text"}` object per line.
    Jsonl,
}

impl InputFormat {
    /// The format for a file name: `.jsonl` and `.ndjson` are JSON Lines, anything else text.
    ///
    /// ```
    /// use claimtrace::read::InputFormat;
    /// assert_eq!(InputFormat::from_path("a/b.jsonl".as_ref()), InputFormat::Jsonl);
    /// assert_eq!(InputFormat::from_path("a/b.txt".as_ref()), InputFormat::Text);
    /// ```
    pub fn from_path(path: &Path) -> InputFormat {
        match path.extension().and_then(|e| e.to_str()) {
            Some("jsonl" | "ndjson") => InputFormat::Jsonl,
            _ => InputFormat::Text,
        }
    }
}

/// File extensions picked up when a directory is given.
const DOCUMENT_EXTENSIONS: [&str; 5] = ["txt", "text", "md", "jsonl", "ndjson"];

/// Reads every document of `inputs` (files, directories walked recursively in name order, or `-`
/// for standard input) and hands each, or its error, to `sink`. `format` overrides the choice by
/// extension.
pub fn read_inputs(inputs: &[PathBuf], format: Option<InputFormat>, sink: &mut dyn FnMut(Result<Document, ReadError>)) {
    for input in inputs {
        if input.as_os_str() == "-" {
            let mut bytes = Vec::new();
            match std::io::stdin().lock().read_to_end(&mut bytes) {
                Ok(_) => read_bytes(Path::new("-"), "-", &bytes, format.unwrap_or(InputFormat::Text), sink),
                Err(source) => sink(Err(ReadError::Io {
                    path: input.clone(),
                    source,
                })),
            }
        } else if input.is_dir() {
            let mut files = Vec::new();
            if let Err(err) = walk(input, &mut files) {
                sink(Err(err));
                continue;
            }
            if files.is_empty() {
                sink(Err(ReadError::NoDocuments { path: input.clone() }));
            }
            for file in files {
                read_file(&file, format, sink);
            }
        } else {
            read_file(input, format, sink);
        }
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
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| DOCUMENT_EXTENSIONS.contains(&e.to_lowercase().as_str()))
        {
            files.push(path);
        }
    }
    Ok(())
}

fn read_file(path: &Path, format: Option<InputFormat>, sink: &mut dyn FnMut(Result<Document, ReadError>)) {
    match std::fs::read(path) {
        Ok(bytes) => {
            let name = path
                .file_name()
                .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
            let format = format.unwrap_or_else(|| InputFormat::from_path(path));
            read_bytes(path, &name, &bytes, format, sink);
        }
        Err(source) => sink(Err(ReadError::Io {
            path: path.to_path_buf(),
            source,
        })),
    }
}

/// Reads one input's bytes as one text document or as JSON Lines.
pub fn read_bytes(
    path: &Path,
    name: &str,
    bytes: &[u8],
    format: InputFormat,
    sink: &mut dyn FnMut(Result<Document, ReadError>),
) {
    let text = match decode(path, bytes) {
        Ok(text) => text,
        Err(err) => return sink(Err(err)),
    };
    match format {
        InputFormat::Text => {
            if text.trim().is_empty() {
                sink(Err(ReadError::Empty {
                    path: path.to_path_buf(),
                }));
            } else {
                sink(Ok(Document {
                    name: name.to_owned(),
                    origin: path.display().to_string(),
                    text: text.to_owned(),
                    publication: Publication::default(),
                }));
            }
        }
        InputFormat::Jsonl => read_jsonl(path, text, sink),
    }
}

/// Checks that `bytes` are text: UTF-8 without NUL bytes.
fn decode<'b>(path: &Path, bytes: &'b [u8]) -> Result<&'b str, ReadError> {
    if let Some(byte_offset) = bytes.iter().position(|&b| b == 0) {
        return Err(ReadError::Binary {
            path: path.to_path_buf(),
            byte_offset,
        });
    }
    std::str::from_utf8(bytes).map_err(|err| {
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
}

fn read_jsonl(path: &Path, text: &str, sink: &mut dyn FnMut(Result<Document, ReadError>)) {
    let mut any = false;
    for (idx, line) in text.lines().enumerate() {
        let line_no = idx + 1;
        if line.trim().is_empty() {
            continue;
        }
        any = true;
        let json_error = |column: usize, message: String| ReadError::Json {
            path: path.to_path_buf(),
            line: line_no,
            column,
            message,
        };
        let doc: JsonDocument = match serde_json::from_str(line) {
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
        sink(Ok(Document {
            name,
            origin: format!("{}:{line_no}", path.display()),
            text: doc.text,
            publication: Publication {
                outlet: doc.outlet.filter(|s| !s.trim().is_empty()),
                published: doc.published.filter(|s| !s.trim().is_empty()),
                url: doc.url.filter(|s| !s.trim().is_empty()),
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
        read_bytes(Path::new("in.x"), "in.x", bytes, format, &mut |r| {
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
