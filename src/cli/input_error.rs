//! The error of a bad command-line or input value (exit 2): one line naming
//! the field, the value and what is allowed; the route spells the field.

use crate::dosing;
use thiserror::Error;

/// An input value that is missing, malformed or outside its allowed range,
/// already worded for the route it came from.
#[derive(Debug, Clone, Error, PartialEq)]
#[error("{message}")]
pub(crate) struct InputError {
    /// One line naming the field, the value and what is allowed.
    pub(crate) message: String,
    /// The field, as the route spells it, when one field is at fault.
    pub(crate) field: Option<String>,
}

impl InputError {
    /// An input error with the given one-line message.
    pub(crate) fn new(message: impl Into<String>) -> Self {
        InputError {
            message: message.into(),
            field: None,
        }
    }

    /// An input error about one field.
    pub(crate) fn field(field: &str, message: impl Into<String>) -> Self {
        InputError {
            message: message.into(),
            field: Some(field.to_string()),
        }
    }

    /// A refused request, worded for its route.
    pub(crate) fn request(e: &dosing::Error, route: dosing::Route) -> Self {
        InputError {
            message: e.render(route),
            field: Some(e.field.spelled(route).into_owned()),
        }
    }
}
