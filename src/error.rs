//! Errors and the documented exit codes they map to.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | a recommendation was produced (it may carry warnings) |
//! | 1 | internal error (a bug), or the output could not be written |
//! | 2 | invalid command line or input value |
//! | 3 | invalid rule, product or reference file |
//! | 4 | a `block` flag withheld the dose or stopped treatment (the output is still printed in full) |
//!
//! Messages carry no `error:` prefix; the application adds it once, where
//! errors are printed (batch error objects have none).

use crate::diagnostic::FileError;
use thiserror::Error;

/// The process exit codes of the command-line contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// A recommendation was produced.
    Success,
    /// An internal error (a bug), or output that could not be written.
    Internal,
    /// An invalid command line or input value.
    Usage,
    /// An invalid rule, product or reference file.
    Rules,
    /// A `block` flag withheld the dose or stopped treatment.
    Withheld,
}

impl ExitCode {
    /// The numeric process status.
    pub fn code(self) -> u8 {
        match self {
            ExitCode::Success => 0,
            ExitCode::Internal => 1,
            ExitCode::Usage => 2,
            ExitCode::Rules => 3,
            ExitCode::Withheld => 4,
        }
    }
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        std::process::ExitCode::from(code.code())
    }
}

pub(crate) use crate::cli::InputError;

/// Every error `gh-dose` reports.
#[derive(Debug, Error)]
pub(crate) enum Error {
    /// Bad command-line or input value: exit 2.
    #[error(transparent)]
    Input(#[from] InputError),
    /// Bad rule, product or reference file: exit 3.
    #[error(transparent)]
    Rules(#[from] FileError),
    /// A visit record with a problem at a position (`file:line:col`): exit 3.
    #[error(transparent)]
    RecordAt(FileError),
    /// A rule file that cannot be read: exit 3.
    #[error("{path}: cannot read table file: {source}")]
    RulesIo {
        /// The path given.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file named in a request (an IGF-1 or growth reference, a visit
    /// record) that cannot be read as one (not a regular file, too large,
    /// not UTF-8, unreadable): exit 3.
    #[error("{path}: {message}")]
    Reference {
        /// The path given.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// A visit record that cannot be opened or read as one (not a regular
    /// file, missing for a titration, too large, unreadable): exit 3. Its
    /// problems inside are [`Error::Rules`] with `file:line:col`.
    #[error("{path}: {message}")]
    Record {
        /// The record as named.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// A file gh-dose writes (a visit appended to a record, a chart) could
    /// not be written: exit 1. For a record nothing is printed, and
    /// `message` says whether the record is as it was.
    #[error("{path}: {message}")]
    FileWrite {
        /// The record as named.
        path: String,
        /// The failure and the state it left.
        message: String,
    },
    /// Writing the output failed for a reason other than a closed pipe: exit 1.
    #[error("cannot write output: {0}")]
    Output(std::io::Error),
    /// A broken invariant inside gh-dose: exit 1.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// The documented exit code for this error.
    pub(crate) fn exit_code(&self) -> ExitCode {
        match self {
            Error::Input(_) => ExitCode::Usage,
            Error::Rules(_)
            | Error::RulesIo { .. }
            | Error::Reference { .. }
            | Error::Record { .. }
            | Error::RecordAt(_) => ExitCode::Rules,
            Error::Output(_) | Error::Internal(_) | Error::FileWrite { .. } => ExitCode::Internal,
        }
    }

    /// The field at fault, when one is, as JSON spells it (batch error objects).
    pub(crate) fn field(&self) -> Option<&str> {
        match self {
            Error::Input(e) => e.field.as_deref(),
            Error::Reference { .. } => Some("igf1_reference"),
            Error::Record { .. } | Error::RecordAt(_) => Some("record"),
            _ => None,
        }
    }
}

/// The longest word of an error message, in characters: a longer one (a
/// hostile value echoed by a parser) is cut to 60 with its length in bytes.
pub(crate) const MAX_WORD_CHARS: usize = 100;

/// The longest error message, in characters, after long words are cut.
pub(crate) const MAX_MESSAGE_CHARS: usize = 1000;

/// An error message as one line: line breaks and other control characters
/// (from serde, csv or an echoed value; terminal escapes too) become single
/// spaces between trimmed pieces; very long words and messages are cut.
pub(crate) fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_MESSAGE_CHARS + 32));
    let pieces = text
        .split(char::is_control)
        .map(str::trim)
        .filter(|p| !p.is_empty());
    for piece in pieces {
        if !out.is_empty() {
            out.push(' ');
        }
        for (i, word) in piece.split(' ').enumerate() {
            if i > 0 {
                out.push(' ');
            }
            if word.chars().nth(MAX_WORD_CHARS).is_some() {
                out.push_str(&crate::strict_json::shorten(word));
            } else {
                out.push_str(word);
            }
        }
    }
    match out.char_indices().nth(MAX_MESSAGE_CHARS) {
        None => out,
        Some((i, _)) => format!(
            "{}... ({} bytes)",
            out.get(..i).unwrap_or_default(),
            out.len()
        ),
    }
}

#[cfg(test)]
mod tests;
