//! A record's text to its visits, or the first problem with `file:line:col`.
//! Every line must be one whole visit of a version this build reads, for the
//! same patient as line 1, dated no earlier than the line before it. A last
//! line without its end of line is an interrupted append: reported as such,
//! never read as a visit.

use super::visit::{RECORD_KIND, RECORD_VERSION, Visit};
use crate::rules::diagnostic::RulesError;
use crate::strict_json;

/// One visit and the line it is on.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// 1-based line number.
    pub number: usize,
    pub visit: Visit,
}

/// The visits of a record, oldest first.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Course {
    pub lines: Vec<Line>,
    /// The line number of a last line cut short (no end of line), if any.
    pub incomplete: Option<usize>,
}

impl Course {
    /// The latest visit.
    pub fn last(&self) -> Option<&Line> {
        self.lines.last()
    }
}

/// Reads a record's text. `path` names the file in messages.
pub fn read(text: &str, path: &str) -> Result<Course, RulesError> {
    let err = |line: usize, col: usize, message: String| RulesError {
        path: path.to_string(),
        line,
        col,
        message,
    };
    let mut course = Course::default();
    // An editor's byte order mark is not part of the first line.
    let mut rest = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut number = 0;
    while !rest.is_empty() {
        number += 1;
        let (line, complete) = match rest.find('\n') {
            Some(i) => (&rest[..i], true),
            None => (rest, false),
        };
        rest = if complete {
            &rest[line.len() + 1..]
        } else {
            ""
        };
        if !complete {
            course.incomplete = Some(number);
            break;
        }
        let line = line.strip_suffix('\r').unwrap_or(line);
        let visit = parse_line(line).map_err(|(col, m)| err(number, col, m))?;
        if let Some(first) = course.lines.first()
            && visit.patient != first.visit.patient
        {
            return Err(err(
                number,
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
            return Err(err(
                number,
                col_of(line, "date"),
                format!(
                    "date {} is before line {}'s {}: visits are in date order",
                    visit.date, prev.number, prev.visit.date
                ),
            ));
        }
        course.lines.push(Line { number, visit });
    }
    Ok(course)
}

/// One line to a visit; on failure the 1-based column and the message.
fn parse_line(line: &str) -> Result<Visit, (usize, String)> {
    if line.trim().is_empty() {
        return Err((1, "an empty line: every line is one visit".to_string()));
    }
    let value = strict_json::parse(line).map_err(|e| (e.column, e.what()))?;
    let visit: Visit = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let key = e.path().iter().next_back().map(ToString::to_string);
        let col = key.map_or(1, |k| col_of(line, &k));
        (col, format!("{path}: {}", e.inner()))
    })?;
    if visit.record != RECORD_KIND {
        return Err((
            col_of(line, "record"),
            format!("record is \"{}\", expected \"{RECORD_KIND}\"", visit.record),
        ));
    }
    if visit.record_version != RECORD_VERSION {
        return Err((
            col_of(line, "record_version"),
            format!(
                "record_version {} is not one this gh-dose reads ({RECORD_VERSION})",
                visit.record_version
            ),
        ));
    }
    check_values(&visit).map_err(|(key, m)| (col_of(line, key), m))?;
    Ok(visit)
}

/// Values a line cannot hold whatever wrote it: dates in order, doses that
/// are amounts, a command this build knows.
fn check_values(v: &Visit) -> Result<(), (&'static str, String)> {
    if !matches!(v.command.as_str(), "start" | "titrate") {
        return Err((
            "command",
            format!("command \"{}\" is not start or titrate", v.command),
        ));
    }
    for (key, d) in [("date", v.date), ("birth_date", v.patient.birth_date)] {
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
    for (key, dose) in [("dose_before", &v.dose_before), ("dose", &v.dose)] {
        let Some(d) = dose else { continue };
        for (what, mg) in [
            ("mg_per_week", d.mg_per_week),
            ("mg_per_injection", d.mg_per_injection),
        ] {
            if !(mg >= 0.0 && crate::units::Micrograms::round_mg(mg).is_some()) {
                return Err((key, format!("{key}.{what} {mg} is not a dose in mg")));
            }
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
    }
    let m = &v.measurements;
    for (key, x) in [("weight_kg", m.weight_kg), ("height_cm", m.height_cm)] {
        if let Some(x) = x
            && !(x.is_finite() && x > 0.0)
        {
            return Err((key, format!("measurements.{key} {x} is not a measurement")));
        }
    }
    if v.decision.action.stops() && v.dose.is_some() {
        return Err((
            "dose",
            format!("a {} visit gives no dose", v.decision.action),
        ));
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
