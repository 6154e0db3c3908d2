//! Positions in the files gh-dose reads (rule, product, IGF-1 and growth
//! reference files, visit records): every problem is reported as
//! `file:line:col: message` (exit 3), and every loaded table is identified
//! by the SHA-256 of its exact bytes. Ground floor: imports nothing of the
//! project.

use sha2::{Digest, Sha256};
use std::ops::Range;
use thiserror::Error;

/// A rule, product, reference or record file that cannot be used, with the
/// position of the problem.
#[derive(Debug, Clone, Error, PartialEq)]
#[error("{path}:{line}:{col}: {message}")]
pub struct FileError {
    /// The file as the user named it (or `built-in`).
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// What is wrong and what is allowed.
    pub message: String,
}

/// A result whose error is a [`FileError`].
pub(crate) type R<T> = Result<T, FileError>;

/// Error context while reading one file: its text (for positions) and name.
pub(crate) struct Cx<'a> {
    pub(crate) text: &'a str,
    pub(crate) path: &'a str,
}

impl Cx<'_> {
    /// An error at a byte span of the file.
    pub(crate) fn err(&self, span: &Range<usize>, message: impl Into<String>) -> FileError {
        let (line, col) = line_col(self.text, span.start);
        FileError {
            path: self.path.to_string(),
            line,
            col,
            message: message.into(),
        }
    }

    /// Parses TOML into `T`, with the parser's own position on failure.
    pub(crate) fn parse<T: serde::de::DeserializeOwned>(&self) -> R<T> {
        toml::from_str(self.text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            self.err(&span, e.message().trim_end().replace('\n', " "))
        })
    }
}

/// 1-based line and character column of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// Hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest.iter() {
        let _ = write!(out, "{b:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("é\nx", 3), (2, 1));
        assert_eq!(line_col("é", 1), (1, 1));
        assert_eq!(line_col("abc", 99), (1, 4));
    }

    #[test]
    fn the_hash_is_of_the_exact_bytes() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn errors_print_as_file_line_col() {
        let cx = Cx {
            text: "a = 1\nb = x\n",
            path: "t.toml",
        };
        assert_eq!(cx.err(&(10..11), "bad").to_string(), "t.toml:2:5: bad");
        let e = cx.parse::<toml::Table>().unwrap_err();
        assert_eq!((e.line, e.col), (2, 5));
    }
}
