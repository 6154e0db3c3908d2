//! `gh-dose record void FILE --line N --reason TEXT`: a visit entered in
//! error is marked so by a correction line appended to the record (the FHIR
//! status `entered-in-error`). Nothing is rewritten or deleted: the visit
//! stays in the file, readers skip it, and its IGF-1 sample can be decided
//! on again.

use super::record::{self, Missing, Pending, Target};
use crate::error::{Error, InputError};
use crate::record::{
    Course, ENTERED_IN_ERROR, Kind, MAX_REASON_CHARS, RECORD_VERSION, VOID_KIND, Void,
};
use crate::report::RecordVoidDocument;
use chrono::NaiveDate;
use std::path::Path;

/// A refusal of a command-line value, naming its flag.
fn refuse(flag: &str, message: String) -> Error {
    Error::Input(InputError::field(flag, message))
}

/// The correction for visit `n`, ready to append once its answer is out.
pub(super) fn void(
    file: &Path,
    n: usize,
    reason: &str,
    date: NaiveDate,
    today: NaiveDate,
) -> Result<(RecordVoidDocument, Pending), Error> {
    let reason = checked_reason(reason)?;
    if date > today {
        return Err(refuse(
            "--as-of",
            format!(
                "--as-of {date} is after today ({today}): a correction is dated when it is made"
            ),
        ));
    }
    let target = Target {
        path: file.to_path_buf(),
        contained: false,
    };
    let rec = record::open(&target, Missing::Refuse)?;
    rec.writable()?;
    let c = &rec.course;
    let name = rec.name.clone();
    let visit_date = visit_to_void(c, n, &name)?;
    if date < visit_date {
        return Err(refuse(
            "--as-of",
            format!("--as-of {date} is before the visit it corrects ({visit_date}, line {n})"),
        ));
    }
    let entry = Void {
        record: VOID_KIND.to_string(),
        record_version: RECORD_VERSION,
        status: ENTERED_IN_ERROR.to_string(),
        voids: n,
        reason: reason.to_string(),
        date,
        gh_dose_version: crate::report::VERSION.to_string(),
    };
    let doc = RecordVoidDocument {
        header: crate::report::Header::of("record void"),
        file: name,
        line: c.whole.saturating_add(1),
        voids: n,
        visit_date,
        status: ENTERED_IN_ERROR,
        reason: entry.reason.clone(),
        date,
    };
    let pending = rec.pending(&entry)?;
    Ok((doc, pending))
}

/// The reason, trimmed: one line of 1 to [`MAX_REASON_CHARS`] characters.
fn checked_reason(reason: &str) -> Result<&str, Error> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
        return Err(refuse(
            "--reason",
            format!(
                "--reason must say why the visit was entered in error (1 to {MAX_REASON_CHARS} characters)"
            ),
        ));
    }
    if reason.chars().any(char::is_control) {
        return Err(refuse(
            "--reason",
            "--reason holds a control character: give it as one line of text".to_string(),
        ));
    }
    Ok(reason)
}

/// The date of the visit on line `n`, which must be a visit not already
/// voided (not a correction, not past the end of the record `name`).
fn visit_to_void(c: &Course, n: usize, name: &str) -> Result<NaiveDate, Error> {
    let line = |why: String| refuse("--line", format!("--line {n}: {why}"));
    match c.kind(n) {
        Kind::Visit => {}
        Kind::Voided(by) => {
            return Err(line(format!(
                "the visit on line {n} was already marked entered in error (line {by})"
            )));
        }
        Kind::Void => {
            return Err(line(format!("line {n} is a correction, not a visit")));
        }
        Kind::Missing => {
            return Err(line(format!(
                "no such line: {name} has {} line{}",
                c.whole,
                if c.whole == 1 { "" } else { "s" }
            )));
        }
    }
    c.lines
        .iter()
        .find(|l| l.number == n)
        .map(|l| l.visit.date)
        .ok_or_else(|| line("no such visit".to_string()))
}
