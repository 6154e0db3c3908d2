//! `record summary`: the record read (not locked, never written) and one
//! printable HTML page written beside `-o FILE` and renamed, with the same
//! care as `chart -o`.

use super::chart::{Output, checked_label, parents, whole, write_output};
use super::load::{self, Sources};
use super::terminal::Terminal;
use crate::cli::{RecordCommand, TopArgs};
use crate::error::{Error, ExitCode, InputError};
use std::io::Write;

/// Builds the page and writes it.
pub(super) fn summary(
    c: &RecordCommand,
    top: &TopArgs,
    term: &Terminal,
    out: &mut dyn Write,
) -> Result<ExitCode, Error> {
    let RecordCommand::Summary {
        file,
        out: path,
        father_height_cm,
        mother_height_cm,
        label,
        force,
        tables,
    } = c
    else {
        return Err(Error::Internal("record summary: another command".into()));
    };
    let label = checked_label(label.as_deref())?;
    let parents = match (father_height_cm, mother_height_cm) {
        (Some(f), Some(m)) => Some(parents(*f, *m)?),
        _ => None,
    };
    let rules = load::load(&Sources::of(tables, top, term))?.rules;
    let course = whole(file)?;
    let name = file.display().to_string();
    let html = crate::chart::summary_html(&course, &rules, &name, label, parents.as_ref())
        .map_err(|e| {
            Error::Input(InputError::field(
                "record",
                format!("nothing to summarise: {e}"),
            ))
        })?;
    write_output(&Output::SUMMARY, path, file, *force, &html, out)
}
