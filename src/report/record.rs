//! The visit record's documents: `record check` and `record void`. The line
//! a decision appends is built in `record::line`.

use super::Header;
use crate::record::Identity;
use serde::Serialize;

/// `gh-dose record check`: a valid record.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct RecordCheckDocument {
    #[serde(flatten)]
    pub(crate) header: Header,
    pub(crate) file: String,
    pub(crate) valid: bool,
    pub(crate) record_version: u32,
    pub(crate) visits: usize,
    /// Visits marked entered in error (not counted in `visits`).
    pub(crate) entered_in_error: usize,
    pub(crate) patient: Option<Identity>,
    pub(crate) first: Option<chrono::NaiveDate>,
    pub(crate) last: Option<chrono::NaiveDate>,
}

/// `gh-dose record void`: the correction appended.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct RecordVoidDocument {
    #[serde(flatten)]
    pub(crate) header: Header,
    pub(crate) file: String,
    /// The line the correction was written on.
    pub(crate) line: usize,
    /// The visit it marks entered in error.
    pub(crate) voids: usize,
    pub(crate) visit_date: chrono::NaiveDate,
    pub(crate) status: &'static str,
    pub(crate) reason: String,
    pub(crate) date: chrono::NaiveDate,
}
