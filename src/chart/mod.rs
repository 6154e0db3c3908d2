//! SVG charts of a visit record, for the clinic letter or the notes: the
//! growth chart (height and weight on centile curves, the target height,
//! the dose changes on the age axis) and the titration chart (IGF-1 SDS in
//! its band, the weekly dose, each visit's decision).
//!
//! Pure: a [`Course`] and the [`RuleSet`] in, the SVG text out; nothing
//! here reads files or the clock. The output is a standalone SVG 1.1
//! document, readable in black and white (series differ by marker shape
//! and dash pattern), and the same input gives the same bytes. Every visit
//! drawn is one element with a class (`visit`, `visit-weight`,
//! `dose-change`, `decision`) and a `title` that says what it is.

mod axes;
mod band;
mod dose_text;
mod growth;
mod marks;
mod reference;
mod summary;
mod svg;

pub(crate) use summary::{MARK as SUMMARY_MARK, summary_html};
pub(crate) use svg::MARK as SVG_MARK;
mod titration;

#[cfg(test)]
mod tests;

use crate::growth::decimal_age;
use crate::record::{Course, VisitLine};
use crate::rules::RuleSet;

/// The parents' heights, for the mid-parental target height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Parents {
    pub(crate) father_cm: f64,
    pub(crate) mother_cm: f64,
}

/// Why a chart cannot be drawn, in one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub(crate) struct ChartError {
    pub(crate) message: String,
}

impl ChartError {
    fn new(message: impl Into<String>) -> ChartError {
        ChartError {
            message: message.into(),
        }
    }
}

/// The growth chart: height on the reference centiles (Turner for a girl
/// with Turner syndrome, CDC 2000 otherwise), weight on CDC 2000 below it,
/// the target height with the parents' heights, and the dose changes.
/// Refused for an empty record, an adult's record, a record without a
/// height, or a number that is not finite. `label` (a clinic's patient
/// reference) opens the title.
pub(crate) fn growth_svg(
    course: &Course,
    rules: &RuleSet,
    parents: Option<&Parents>,
    label: Option<&str>,
) -> Result<String, ChartError> {
    growth::draw(course, rules, parents, label)
}

/// The titration chart: IGF-1 SDS against the band each decision used (the
/// rule set's and product table's, per product and population), the dose
/// in a panel below with its changes marked and valued, and each visit's
/// decision. Refused for an empty record or a number that is not finite.
pub(crate) fn titration_svg(
    course: &Course,
    rules: &RuleSet,
    label: Option<&str>,
) -> Result<String, ChartError> {
    titration::draw(course, rules, label)
}

/// The longest `--label` a chart takes, in characters.
pub(crate) const MAX_LABEL_CHARS: usize = 80;

/// A clinic's patient reference as it opens a title: `P-0042: ` (empty
/// without one).
fn title_label(label: Option<&str>) -> String {
    match label.map(str::trim) {
        Some(l) if !l.is_empty() => format!("{l}: "),
        _ => String::new(),
    }
}

/// A visit and the patient's age at it.
#[derive(Debug, Clone, Copy)]
struct At<'a> {
    visit: &'a VisitLine,
    /// Decimal years (days / 365.25).
    age: f64,
}

/// The visits with their ages, after checking that there is one and that
/// every number a chart reads is finite.
fn visits(course: &Course) -> Result<Vec<At<'_>>, ChartError> {
    if course.lines.is_empty() {
        return Err(ChartError::new("the record has no visit"));
    }
    course
        .lines
        .iter()
        .map(|l| {
            let v = &l.visit;
            check_finite(l.number, v)?;
            let age = decimal_age(v.patient.birth_date, v.date)
                .map_err(|e| ChartError::new(format!("line {} ({}): {e}", l.number, v.date)))?;
            Ok(At { visit: v, age })
        })
        .collect()
}

/// The first and the latest visit.
fn ends<'a>(at: &[At<'a>]) -> Result<(At<'a>, At<'a>), ChartError> {
    match (at.first(), at.last()) {
        (Some(first), Some(latest)) => Ok((*first, *latest)),
        _ => Err(ChartError::new("the record has no visit")),
    }
}

/// Every number a chart reads is inside its plausibility band (the record
/// reader holds lines to the same bands; a course built otherwise is
/// refused here, never drawn off the page or panicking).
fn check_finite(line: usize, v: &VisitLine) -> Result<(), ChartError> {
    use crate::bands::{self, Band};
    let m = &v.measurements;
    let dose = |d: &Option<crate::record::GivenDose>| d.as_ref().map(|d| d.mg_per_week);
    let any = Band {
        lo: f64::MIN,
        hi: f64::MAX,
        unit: "",
    };
    let numbers = [
        ("weight_kg", m.weight_kg, bands::WEIGHT_KG),
        ("height_cm", m.height_cm, bands::HEIGHT_CM),
        ("height_sds", m.height_sds, bands::SDS),
        ("igf1.sds", v.igf1.as_ref().and_then(|i| i.sds), bands::SDS),
        ("dose.mg_per_week", dose(&v.dose), bands::MG_PER_WEEK),
        (
            "dose_before.mg_per_week",
            dose(&v.dose_before),
            bands::MG_PER_WEEK,
        ),
        ("decision.change_percent", v.decision.change_percent, any),
    ];
    match numbers
        .iter()
        .find(|(_, x, band)| x.is_some_and(|x| !band.holds(x)))
    {
        Some((what, x, band)) => Err(ChartError::new(format!(
            "line {line} ({}): {what} {} is not a number between {} and {}",
            v.date,
            x.unwrap_or_default(),
            band.lo,
            band.hi
        ))),
        None => Ok(()),
    }
}

/// The visits entered in error, which the charts do not draw: said under
/// the chart (empty when there is none).
fn voided_note(course: &Course) -> String {
    if course.voided.is_empty() {
        return String::new();
    }
    let lines: Vec<String> = course
        .voided
        .iter()
        .map(|v| v.line.number.to_string())
        .collect();
    format!(
        " Not drawn: {} visit{} entered in error (line{} {}).",
        lines.len(),
        if lines.len() == 1 { "" } else { "s" },
        if lines.len() == 1 { "" } else { "s" },
        lines.join(", ")
    )
}

/// The rule set of the latest visit: source, version and the first 12 hex
/// digits of its sha256.
fn rules_note(latest: &VisitLine) -> String {
    let r = &latest.rules;
    let short: String = r.sha256.chars().take(12).collect();
    format!("Rule set: {} {} (sha256 {short})", r.source, r.version)
}

/// The indication's name in the rule set, or its id when the rule set does
/// not know it.
fn indication_name(rules: &RuleSet, id: &str) -> String {
    rules
        .indication(id)
        .map_or_else(|| id.to_string(), |i| i.name.clone())
}

/// A weekly dose for reading: `8.05 mg/week`, `7 mg/week`, or `no dose`.
fn mg(dose: Option<&crate::record::GivenDose>) -> String {
    dose.map_or_else(
        || "no dose".to_string(),
        |d| format!("{} mg/week", svg::amount(d.mg_per_week, 3)),
    )
}

/// Text broken into lines of at most `width` characters at spaces (a word
/// longer than that stays whole).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}
