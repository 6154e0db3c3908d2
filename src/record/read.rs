//! A record's text to its visits, or the first problem with `file:line:col`.
//! Read line by line (memory grows with the visits kept, never with a
//! line: a line is at most [`MAX_LINE_BYTES`]). Every line is one whole
//! visit of a version this build reads, for the same patient as the first
//! visit, dated no earlier than the visit before it; or a correction
//! (`gh-dose-void`, status `entered-in-error`) naming an earlier visit,
//! which readers then skip. A last line without its end of line is read
//! when it is whole JSON (an editor's file); when it is not, it is an
//! interrupted append: reported as such, never read.

use super::visit::{ENTERED_IN_ERROR, MAX_REASON_CHARS, RECORD_KIND, RECORD_VERSION, VOID_KIND};
use super::visit::{GivenDose, VisitLine, Void};
use crate::bands::{self, Band};
use crate::diagnostic::FileError;
use crate::strict_json;
use std::io::{BufRead, Read};

/// The longest line read (a visit is about 1.5 kB).
pub(crate) const MAX_LINE_BYTES: usize = 64 * 1024;

/// One visit and the line it is on.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    /// 1-based line number.
    pub(crate) number: usize,
    pub(crate) visit: VisitLine,
}

/// A visit a later line says was entered in error.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Voided {
    pub(crate) line: Line,
    /// The line of the correction.
    pub(crate) by: usize,
    /// The correction.
    pub(crate) void: Void,
}

/// What is on a line of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A visit readers take.
    Visit,
    /// A visit entered in error, voided by the line given.
    Voided(usize),
    /// A correction line.
    Void,
    /// No such line (or a cut last line).
    Missing,
}

/// The visits of a record, oldest first.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Course {
    /// The visits readers take: those not voided.
    pub(crate) lines: Vec<Line>,
    /// The visits entered in error, in line order.
    pub(crate) voided: Vec<Voided>,
    /// The line numbers of the corrections.
    pub(crate) voids: Vec<usize>,
    /// How many whole lines were read.
    pub(crate) whole: usize,
    /// The line number of a last line cut short (no end of line), if any.
    pub(crate) incomplete: Option<usize>,
    /// The last line is whole but has no end of line: an append first
    /// ends it.
    pub(crate) unterminated: bool,
}

impl Course {
    /// The latest visit.
    pub(crate) fn last(&self) -> Option<&Line> {
        self.lines.last()
    }

    /// What line `n` holds.
    pub(crate) fn kind(&self, n: usize) -> Kind {
        if self.lines.iter().any(|l| l.number == n) {
            Kind::Visit
        } else if let Some(v) = self.voided.iter().find(|v| v.line.number == n) {
            Kind::Voided(v.by)
        } else if self.voids.contains(&n) {
            Kind::Void
        } else {
            Kind::Missing
        }
    }

    /// The visits before line `n` as they were read then (the corrections
    /// made before line `n` applied): what a decision at line `n` saw.
    pub(crate) fn before(&self, n: usize) -> Course {
        let mut lines: Vec<Line> = self
            .lines
            .iter()
            .filter(|l| l.number < n)
            .cloned()
            .collect();
        lines.extend(
            self.voided
                .iter()
                .filter(|v| v.line.number < n && v.by > n)
                .map(|v| v.line.clone()),
        );
        lines.sort_by_key(|l| l.number);
        Course {
            lines,
            whole: n.saturating_sub(1),
            ..Course::default()
        }
    }
}

/// Reads a record's text. `path` names the file in messages.
#[cfg(test)]
pub(crate) fn read(text: &str, path: &str) -> Result<Course, FileError> {
    read_from(text.as_bytes(), path)
}

/// Reads a record line by line. `path` names the file in messages.
pub(crate) fn read_from<R: BufRead>(mut reader: R, path: &str) -> Result<Course, FileError> {
    let err = |line: usize, col: usize, message: String| FileError {
        path: path.to_string(),
        line,
        col,
        message,
    };
    let mut course = Course::default();
    let mut buf = Vec::with_capacity(4096);
    let mut number = 0;
    loop {
        buf.clear();
        let limit = u64::try_from(MAX_LINE_BYTES).unwrap_or(u64::MAX) + 1;
        let n = reader
            .by_ref()
            .take(limit)
            .read_until(b'\n', &mut buf)
            .map_err(|e| err(number + 1, 1, format!("cannot read the record: {e}")))?;
        if n == 0 {
            return Ok(course);
        }
        number += 1;
        let complete = buf.last() == Some(&b'\n');
        if !complete && buf.len() > MAX_LINE_BYTES {
            return Err(err(
                number,
                1,
                format!("longer than {MAX_LINE_BYTES} bytes: not a visit line"),
            ));
        }
        let mut bytes = buf.strip_suffix(b"\n").unwrap_or(&buf);
        if number == 1 {
            // An editor's byte order mark is not part of the first line.
            bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        }
        bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        let line = std::str::from_utf8(bytes).map_err(|e| {
            let valid = String::from_utf8_lossy(&bytes[..e.valid_up_to()]);
            err(
                number,
                valid.chars().count() + 1,
                "not UTF-8 text".to_string(),
            )
        })?;
        if !complete {
            // A last line without its end of line: whole JSON is read (an
            // editor that leaves no final newline); anything else is an
            // append that was interrupted.
            if strict_json::parse(line).is_err() {
                course.incomplete = Some(number);
                return Ok(course);
            }
            course.unterminated = true;
        }
        let entry = parse_line(line).map_err(|(col, m)| err(number, col, m))?;
        match entry {
            Entry::Visit(visit) => add_visit(&mut course, number, *visit, line)
                .map_err(|(col, m)| err(number, col, m))?,
            Entry::Void(void) => {
                add_void(&mut course, number, void, line).map_err(|(col, m)| err(number, col, m))?
            }
        }
        course.whole = number;
    }
}

enum Entry {
    Visit(Box<VisitLine>),
    Void(Void),
}

/// A visit, checked against the visits before it.
fn add_visit(
    course: &mut Course,
    number: usize,
    visit: VisitLine,
    line: &str,
) -> Result<(), (usize, String)> {
    if let Some(first) = course.lines.first()
        && visit.patient != first.visit.patient
    {
        return Err((
            col_of(line, "patient"),
            format!(
                "patient {} born {} differs from line {}'s {} born {}: a record is one patient's",
                visit.patient.sex,
                visit.patient.birth_date,
                first.number,
                first.visit.patient.sex,
                first.visit.patient.birth_date
            ),
        ));
    }
    if let Some(prev) = course.lines.last()
        && visit.date < prev.visit.date
    {
        return Err((
            col_of(line, "date"),
            format!(
                "date {} is before line {}'s {}: visits are in date order",
                visit.date, prev.number, prev.visit.date
            ),
        ));
    }
    course.lines.push(Line { number, visit });
    Ok(())
}

/// A correction: it names an earlier visit not voided yet.
fn add_void(
    course: &mut Course,
    number: usize,
    void: Void,
    line: &str,
) -> Result<(), (usize, String)> {
    let at = col_of(line, "voids");
    let target = void.voids;
    match course.kind(target) {
        Kind::Visit => {}
        Kind::Voided(by) => {
            return Err((
                at,
                format!("voids {target}: line {target} was already voided by line {by}"),
            ));
        }
        Kind::Void => {
            return Err((
                at,
                format!("voids {target}: line {target} is a correction, not a visit"),
            ));
        }
        Kind::Missing => {
            return Err((
                at,
                format!("voids {target}: no visit on line {target} before this line"),
            ));
        }
    }
    let Some(i) = course.lines.iter().position(|l| l.number == target) else {
        return Err((at, format!("voids {target}: no visit on line {target}")));
    };
    let visit = course.lines.remove(i);
    course.voided.push(Voided {
        line: visit,
        by: number,
        void,
    });
    course.voids.push(number);
    Ok(())
}

/// One line to a visit or a correction; on failure the 1-based column and
/// the message.
fn parse_line(line: &str) -> Result<Entry, (usize, String)> {
    if line.trim().is_empty() {
        return Err((1, "an empty line: every line is one visit".to_string()));
    }
    let value = strict_json::parse(line).map_err(|e| (e.column, e.what()))?;
    let kind = value.get("record").and_then(serde_json::Value::as_str);
    if kind == Some(VOID_KIND) {
        let void: Void = typed(value, line)?;
        check_void(&void).map_err(|(key, m)| (col_of(line, key), m))?;
        return Ok(Entry::Void(void));
    }
    let visit: VisitLine = typed(value, line)?;
    if visit.record != RECORD_KIND {
        return Err((
            col_of(line, "record"),
            format!(
                "record is \"{}\", expected \"{RECORD_KIND}\" (or \"{VOID_KIND}\")",
                visit.record
            ),
        ));
    }
    version(visit.record_version, line)?;
    check_values(&visit).map_err(|(key, m)| (col_of(line, key), m))?;
    Ok(Entry::Visit(Box::new(visit)))
}

fn typed<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    line: &str,
) -> Result<T, (usize, String)> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let key = e.path().iter().next_back().map(ToString::to_string);
        let col = key.map_or(1, |k| col_of(line, &k));
        (col, format!("{path}: {}", e.inner()))
    })
}

fn version(v: u32, line: &str) -> Result<(), (usize, String)> {
    if v != RECORD_VERSION {
        return Err((
            col_of(line, "record_version"),
            format!("record_version {v} is not one this gh-dose reads ({RECORD_VERSION})"),
        ));
    }
    Ok(())
}

/// A correction's own values.
fn check_void(v: &Void) -> Result<(), (&'static str, String)> {
    if v.record_version != RECORD_VERSION {
        return Err((
            "record_version",
            format!(
                "record_version {} is not one this gh-dose reads ({RECORD_VERSION})",
                v.record_version
            ),
        ));
    }
    if v.status != ENTERED_IN_ERROR {
        return Err((
            "status",
            format!("status \"{}\" is not \"{ENTERED_IN_ERROR}\"", v.status),
        ));
    }
    if v.reason.trim().is_empty() || v.reason.chars().count() > MAX_REASON_CHARS {
        return Err((
            "reason",
            format!("reason must be given, at most {MAX_REASON_CHARS} characters"),
        ));
    }
    if !crate::units::in_years(v.date) {
        let (lo, hi) = crate::units::DATE_YEARS;
        return Err((
            "date",
            format!("date {} is not in the years {lo}-{hi}", v.date),
        ));
    }
    Ok(())
}

/// A number of a line inside its plausibility band (the bands every rule
/// table's limits lie in), so whatever reads the record meets only numbers
/// it can compute with.
fn within(key: &'static str, what: &str, x: f64, b: Band) -> Result<(), (&'static str, String)> {
    if b.holds(x) {
        Ok(())
    } else {
        let unit = if b.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", b.unit)
        };
        Err((
            key,
            format!("{what} {x} is outside {} to {}{unit}", b.lo, b.hi),
        ))
    }
}
/// Values a line cannot hold whatever wrote it: dates in order, doses that
/// are amounts, a command this build knows, every number inside its band.
fn check_values(v: &VisitLine) -> Result<(), (&'static str, String)> {
    if !matches!(v.command.as_str(), "start" | "titrate") {
        return Err((
            "command",
            format!("command \"{}\" is not start or titrate", v.command),
        ));
    }
    check_dates(v)?;
    for (key, dose) in [("dose_before", &v.dose_before), ("dose", &v.dose)] {
        if let Some(d) = dose {
            check_dose(key, d)?;
        }
    }
    check_measurements(v)?;
    if let Some(pc) = v.decision.change_percent
        && !pc.is_finite()
    {
        return Err((
            "change_percent",
            format!("decision.change_percent {pc} is not a number"),
        ));
    }
    if v.decision.action.stops() && v.dose.is_some() {
        return Err((
            "dose",
            format!("a {} visit gives no dose", v.decision.action),
        ));
    }
    Ok(())
}

/// Dates a year this build reads, the visit not before the birth.
fn check_dates(v: &VisitLine) -> Result<(), (&'static str, String)> {
    let mut dates = vec![("date", v.date), ("birth_date", v.patient.birth_date)];
    if let Some(d) = v.igf1.as_ref().and_then(|i| i.date) {
        dates.push(("igf1", d));
    }
    if let Some(w) = v.decision.next_review {
        dates.extend([("next_review", w.earliest), ("next_review", w.latest)]);
    }
    for (key, d) in dates {
        if !crate::units::in_years(d) {
            let (lo, hi) = crate::units::DATE_YEARS;
            return Err((key, format!("{key} {d} is not in the years {lo}-{hi}")));
        }
    }
    if v.date < v.patient.birth_date {
        return Err((
            "date",
            format!(
                "date {} is before the birth date {}",
                v.date, v.patient.birth_date
            ),
        ));
    }
    Ok(())
}

/// A dose that is an amount in mg, 1-7 injections a week of 1 or 2
/// injections each, its weekly dose the injections' sum.
fn check_dose(key: &'static str, d: &GivenDose) -> Result<(), (&'static str, String)> {
    for (what, mg, band) in [
        ("mg_per_week", d.mg_per_week, bands::MG_PER_WEEK),
        (
            "mg_per_injection",
            d.mg_per_injection,
            bands::MG_PER_INJECTION,
        ),
    ] {
        if !(band.holds(mg) && crate::units::Micrograms::round_mg(mg).is_some()) {
            return Err((key, format!("{key}.{what} {mg} is not a dose in mg")));
        }
    }
    if let Some(x) = d.mg_per_kg_per_week {
        within(
            key,
            &format!("{key}.mg_per_kg_per_week"),
            x,
            bands::MG_PER_KG_WEEK,
        )?;
    }
    if d.injections_per_week == 0 || d.injections_per_week > 7 {
        return Err((
            key,
            format!(
                "{key}.injections_per_week {} is not 1-7",
                d.injections_per_week
            ),
        ));
    }
    if !matches!(d.injections_per_dose, 1 | 2) {
        return Err((
            key,
            format!(
                "{key}.injections_per_dose {} is not 1 or 2",
                d.injections_per_dose
            ),
        ));
    }
    // The weekly dose is the injections' sum (to a microgram an
    // injection: a dose not on a device is rounded per injection).
    let per_week = u32::from(d.injections_per_week) * u32::from(d.injections_per_dose);
    let sum = (d.mg_per_injection * f64::from(per_week) * 1000.0).round();
    let weekly = (d.mg_per_week * 1000.0).round();
    if (sum - weekly).abs() > f64::from(per_week) {
        return Err((
            key,
            format!(
                "{key}.mg_per_week {} is not {} mg x {per_week} injections a week",
                d.mg_per_week, d.mg_per_injection
            ),
        ));
    }
    Ok(())
}

/// Measurements, height SDS and IGF-1 inside their bands.
fn check_measurements(v: &VisitLine) -> Result<(), (&'static str, String)> {
    let m = &v.measurements;
    for (key, x, band) in [
        ("weight_kg", m.weight_kg, bands::WEIGHT_KG),
        ("height_cm", m.height_cm, bands::HEIGHT_CM),
        ("bmi", m.bmi, bands::BMI),
    ] {
        if let Some(x) = x
            && !(band.holds(x) && x > 0.0)
        {
            return Err((
                key,
                format!(
                    "measurements.{key} {x} is not a measurement (above 0, at most {} {})",
                    band.hi, band.unit
                ),
            ));
        }
    }
    if let Some(x) = m.height_sds {
        within("height_sds", "measurements.height_sds", x, bands::SDS)?;
    }
    if let Some(i) = &v.igf1 {
        if let Some(x) = i.sds {
            within("igf1", "igf1.sds", x, bands::SDS)?;
        }
        if let Some(x) = i.ng_ml {
            within("igf1", "igf1.ng_ml", x, bands::IGF1_NG_ML)?;
        }
    }
    Ok(())
}

/// The column of `"key"` in a line (1 when it is not found).
fn col_of(line: &str, key: &str) -> usize {
    let quoted = format!("\"{key}\"");
    line.find(&quoted)
        .map_or(1, |i| line[..i].chars().count() + 1)
}

#[cfg(test)]
mod tests;
