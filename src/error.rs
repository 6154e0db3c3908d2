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

use crate::dosing;
use crate::rules::RulesError;
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

/// An input value that is missing, malformed or outside its allowed range,
/// already worded for the route it came from.
#[derive(Debug, Clone, Error, PartialEq)]
#[error("{message}")]
pub struct InputError {
    /// One line naming the field, the value and what is allowed.
    pub message: String,
    /// The field, as the route spells it, when one field is at fault.
    pub field: Option<String>,
}

impl InputError {
    /// An input error with the given one-line message.
    pub fn new(message: impl Into<String>) -> Self {
        InputError {
            message: message.into(),
            field: None,
        }
    }

    /// An input error about one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        InputError {
            message: message.into(),
            field: Some(field.to_string()),
        }
    }

    /// A refused request, worded for its route.
    pub fn request(e: &dosing::Error, route: dosing::Route) -> Self {
        InputError {
            message: e.render(route),
            field: Some(e.field.spelled(route).into_owned()),
        }
    }
}

/// Every error `gh-dose` reports.
#[derive(Debug, Error)]
pub enum Error {
    /// Bad command-line or input value: exit 2.
    #[error(transparent)]
    Input(#[from] InputError),
    /// Bad rule, product or reference file: exit 3.
    #[error(transparent)]
    Rules(#[from] RulesError),
    /// A rule file that cannot be read: exit 3.
    #[error("{path}: cannot read table file: {source}")]
    RulesIo {
        /// The path given.
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

    /// The field at fault, when one is.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Input(e) => e.field.as_deref(),
            _ => None,
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
        let input = Error::from(InputError::new("--weight-kg"));
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

    #[test]
    fn a_refused_request_is_worded_for_its_route() {
        let e = dosing::Error::out_of_range(dosing::Field::WeightKg, "-3", 0.5, 250.0, "kg");
        let json = InputError::request(&e, dosing::Route::Json);
        assert_eq!(
            json.message,
            "weight_kg must be between 0.5 and 250 kg (got -3)"
        );
        assert_eq!(json.field.as_deref(), Some("weight_kg"));
        let flags = InputError::request(&e, dosing::Route::Flags);
        assert_eq!(flags.field.as_deref(), Some("--weight-kg"));
    }
}
