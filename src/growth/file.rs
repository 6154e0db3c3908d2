//! The `growth-lms` file format: the IGF-1 LMS layout with a measurement,
//! a licence note and the source file's checksum.
//!
//! ```toml
//! schema_version = 1
//! kind = "growth-lms"
//! id = "cdc2000-height"
//! measurement = "height"          # height, length, weight, bmi, head-circumference
//! unit = "cm"                     # cm, kg or kg/m2, as the measurement requires
//! name = "..."
//! citation = "..."
//! licence = "..."
//! source_file = "..."             # optional
//! source_sha256 = "..."           # optional, 64 hex digits
//!
//! [[rows]]
//! sex = "male"                    # female or male
//! age_months = 24.0               # or age_years; exactly one per row
//! l = 0.941523967
//! m = 86.45220101
//! s = 0.040321528
//! ```
//!
//! Limits: age 0-25 years, |L| <= 10, 0 < S < 1, M in the band of the
//! measurement ([`Measurement::median_band`]); rows of one sex in strictly
//! increasing age. Every error names `file:line:col`.

use super::Measurement;
use super::lms::{GrowthReference, ReferenceInfo};
use crate::diagnostic::{Cx, FileError};
use crate::lms::LmsRow;
use crate::vocab::Sex;
use serde::Deserialize;
use toml::Spanned;

/// The `kind` of a growth reference file.
pub(crate) const KIND: &str = "growth-lms";

/// The oldest age a growth reference may cover, in years.
pub(crate) const MAX_AGE_YEARS: f64 = 25.0;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GrowthFile {
    schema_version: Spanned<i64>,
    kind: Spanned<String>,
    id: Spanned<String>,
    measurement: Spanned<String>,
    unit: Spanned<String>,
    name: Spanned<String>,
    citation: Spanned<String>,
    licence: Spanned<String>,
    source_file: Option<Spanned<String>>,
    source_sha256: Option<Spanned<String>>,
    rows: Vec<Spanned<RowFile>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RowFile {
    sex: Spanned<String>,
    age_years: Option<Spanned<f64>>,
    age_months: Option<Spanned<f64>>,
    l: Spanned<f64>,
    m: Spanned<f64>,
    s: Spanned<f64>,
}

/// Parses and validates a `growth-lms` reference; `path` names the file in
/// errors (`built-in ...` for the embedded ones).
pub fn parse_growth_lms(text: &str, path: &str) -> Result<GrowthReference, FileError> {
    let cx = Cx { text, path };
    let file: GrowthFile = cx.parse()?;
    compile(&cx, file)
}

fn compile(cx: &Cx, file: GrowthFile) -> Result<GrowthReference, FileError> {
    if *file.schema_version.get_ref() != 1 {
        return Err(cx.err(&file.schema_version.span(), "schema_version must be 1"));
    }
    if file.kind.get_ref() != KIND {
        return Err(cx.err(&file.kind.span(), format!("kind must be \"{KIND}\"")));
    }
    let id = file.id.get_ref();
    let id_ok = id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if id.is_empty() || !id_ok {
        return Err(cx.err(
            &file.id.span(),
            "id must be lowercase letters, digits and '-'",
        ));
    }
    let measurement: Measurement = file.measurement.get_ref().parse().map_err(|e: String| {
        let given = file.measurement.get_ref();
        cx.err(
            &file.measurement.span(),
            format!("measurement '{given}': {e}"),
        )
    })?;
    if file.unit.get_ref() != measurement.unit() {
        return Err(cx.err(
            &file.unit.span(),
            format!("unit must be \"{}\" for {measurement}", measurement.unit()),
        ));
    }
    for (field, value) in [
        ("name", &file.name),
        ("citation", &file.citation),
        ("licence", &file.licence),
    ] {
        if value.get_ref().trim().is_empty() {
            return Err(cx.err(&value.span(), format!("{field} must not be empty")));
        }
    }
    if let Some(sha) = &file.source_sha256 {
        let hex = sha.get_ref();
        if hex.len() != 64 || !hex.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')) {
            return Err(cx.err(&sha.span(), "source_sha256 must be 64 lowercase hex digits"));
        }
    }
    let mut female: Vec<LmsRow> = Vec::new();
    let mut male: Vec<LmsRow> = Vec::new();
    for row in &file.rows {
        let (sex, parsed) = compile_row(cx, row, measurement)?;
        let list = match sex {
            Sex::Female => &mut female,
            Sex::Male => &mut male,
        };
        if list.last().is_some_and(|l| l.age_years >= parsed.age_years) {
            return Err(cx.err(
                &row.span(),
                format!("rows for {sex} must be in strictly increasing age"),
            ));
        }
        list.push(parsed);
    }
    let info = ReferenceInfo {
        id: file.id.into_inner(),
        name: file.name.into_inner(),
        measurement,
        citation: file.citation.into_inner(),
        licence: file.licence.into_inner(),
        source_file: file.source_file.map(Spanned::into_inner),
        source_sha256: file.source_sha256.map(Spanned::into_inner),
    };
    GrowthReference::new(info, female, male).map_err(|e| cx.err(&(0..0), e.to_string()))
}

fn compile_row(
    cx: &Cx,
    row: &Spanned<RowFile>,
    measurement: Measurement,
) -> Result<(Sex, LmsRow), FileError> {
    let r = row.get_ref();
    let sex: Sex =
        r.sex.get_ref().parse().map_err(|e: String| {
            cx.err(&r.sex.span(), format!("sex '{}': {e}", r.sex.get_ref()))
        })?;
    let age_years = match (&r.age_years, &r.age_months) {
        (Some(y), None) => check(cx, y, "age_years", 0.0, MAX_AGE_YEARS, true)?,
        (None, Some(m)) => check(cx, m, "age_months", 0.0, MAX_AGE_YEARS * 12.0, true)? / 12.0,
        _ => {
            return Err(cx.err(
                &row.span(),
                "each row needs exactly one of age_years and age_months",
            ));
        }
    };
    let (m_low, m_high) = measurement.median_band();
    Ok((
        sex,
        LmsRow {
            age_years,
            l: check(cx, &r.l, "l", -10.0, 10.0, true)?,
            m: check(cx, &r.m, "m", m_low, m_high, true)?,
            s: check(cx, &r.s, "s", 0.0, 1.0, false)?,
        },
    ))
}

/// A finite number in `low..=high` (or the open interval when not
/// `inclusive`), else an error at its position naming the band.
fn check(
    cx: &Cx,
    value: &Spanned<f64>,
    field: &str,
    low: f64,
    high: f64,
    inclusive: bool,
) -> Result<f64, FileError> {
    let x = *value.get_ref();
    let inside = if inclusive {
        low <= x && x <= high
    } else {
        low < x && x < high
    };
    if x.is_finite() && inside {
        Ok(x)
    } else {
        let bounds = if inclusive { "" } else { ", both excluded" };
        Err(cx.err(
            &value.span(),
            format!("{field} = {x}: must be a finite number from {low} to {high}{bounds}"),
        ))
    }
}

#[cfg(test)]
mod tests;
