//! The visit record's documents: `record check` and `record void`. The line
//! a decision appends is built in `record::line`.

use super::Header;
use crate::record::Identity;
use serde::Serialize;

/// `gh-dose record check`: a valid record.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RecordCheckDocument {
    #[serde(flatten)]
    pub header: Header,
    pub file: String,
    pub valid: bool,
    pub record_version: u32,
    pub visits: usize,
    /// Visits marked entered in error (not counted in `visits`).
    pub entered_in_error: usize,
    pub patient: Option<Identity>,
    pub first: Option<chrono::NaiveDate>,
    pub last: Option<chrono::NaiveDate>,
}

/// `gh-dose record void`: the correction appended.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RecordVoidDocument {
    #[serde(flatten)]
    pub header: Header,
    pub file: String,
    /// The line the correction was written on.
    pub line: usize,
    /// The visit it marks entered in error.
    pub voids: usize,
    pub visit_date: chrono::NaiveDate,
    pub status: &'static str,
    pub reason: String,
    pub date: chrono::NaiveDate,
}
