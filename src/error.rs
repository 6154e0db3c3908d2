//! Errors and the documented exit codes they map to.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | a recommendation was produced (it may carry warnings) |
//! | 1 | internal error (a bug) |
//! | 2 | invalid command line or input value |
//! | 3 | invalid rule file |
//! | 4 | a `block` flag withheld the dose (the output is still printed in full) |

use thiserror::Error;

/// The process exit codes of the command-line contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// A recommendation was produced.
    Success,
    /// An internal error (a bug).
    Internal,
    /// An invalid command line or input value.
    Usage,
    /// An invalid rule file.
    Rules,
    /// A `block` flag withheld the dose.
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

/// A rule file that cannot be used, with the position of the problem.
#[derive(Debug, Clone, Error, PartialEq)]
#[error("{path}:{line}:{col}: {message}")]
pub struct RulesError {
    /// The file as the user named it (or `built-in`).
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// What is wrong and what is allowed.
    pub message: String,
}

/// An input value that is missing, malformed or outside its allowed range.
#[derive(Debug, Clone, Error, PartialEq)]
#[error("{message}")]
pub struct InputError {
    /// One line naming the flag, the value and what is allowed.
    pub message: String,
}

impl InputError {
    /// An input error with the given one-line message.
    pub fn new(message: impl Into<String>) -> Self {
        InputError {
            message: message.into(),
        }
    }
}

/// Every error `gh-dose` reports.
#[derive(Debug, Error)]
pub enum Error {
    /// Bad command-line or input value: exit 2.
    #[error(transparent)]
    Input(#[from] InputError),
    /// Bad rule file: exit 3.
    #[error(transparent)]
    Rules(#[from] RulesError),
    /// A rule file that cannot be read: exit 3.
    #[error("{path}: cannot read rule file: {source}")]
    RulesIo {
        /// The path given with `--rules`.
        path: String,
        /// The I/O error.
        source: std::io::Error,
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
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Input(_) => ExitCode::Usage,
            Error::Rules(_) | Error::RulesIo { .. } => ExitCode::Rules,
            Error::Output(_) | Error::Internal(_) => ExitCode::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_match_the_contract() {
        assert_eq!(ExitCode::Success.code(), 0);
        assert_eq!(ExitCode::Internal.code(), 1);
        assert_eq!(ExitCode::Usage.code(), 2);
        assert_eq!(ExitCode::Rules.code(), 3);
        assert_eq!(ExitCode::Withheld.code(), 4);
    }

    #[test]
    fn errors_map_to_their_codes() {
        let input = Error::from(InputError::new("error: --weight-kg"));
        assert_eq!(input.exit_code(), ExitCode::Usage);
        let rules = Error::from(RulesError {
            path: "x.toml".into(),
            line: 3,
            col: 7,
            message: "bad".into(),
        });
        assert_eq!(rules.exit_code(), ExitCode::Rules);
        assert_eq!(rules.to_string(), "x.toml:3:7: bad");
        let io = Error::RulesIo {
            path: "missing.toml".into(),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        };
        assert_eq!(io.exit_code(), ExitCode::Rules);
        assert_eq!(Error::Internal("x".into()).exit_code(), ExitCode::Internal);
    }
}
