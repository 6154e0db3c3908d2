//! The patient's conditions and treatment facts from visit to visit: each
//! line keeps them as they stand after its visit ([`PatientFacts`]); the
//! next visit on the record (a titration, a restart or a switch) carries
//! them forward when the request does not give them, each named with its
//! line, until a visit says one no longer holds (`--resolved`). Symptoms are
//! of the visit and are not carried. Pure: the caller has read the record.

use super::belongs::refusal;
use super::read::Line;
use super::visit::{PatientFacts, Provenance};
use crate::dosing::{self, Field, PatientInput, Route};
use crate::vocab::Fact;

/// What was carried from the record: each value taken (its field and how
/// the rationale names it) from `line`, and the notes of what was resolved.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Carried {
    pub(crate) line: usize,
    pub(crate) taken: Vec<(Field, String)>,
    pub(crate) notes: Vec<String>,
}

impl Carried {
    /// How a start names what it carried: one rationale line (with the
    /// record line), the notes of what was resolved, and the provenance.
    pub(crate) fn named(self) -> (Vec<String>, Provenance) {
        let mut how = Provenance::default();
        let mut notes = Vec::new();
        if !self.taken.is_empty() {
            let all: Vec<&str> = self.taken.iter().map(|(_, w)| w.as_str()).collect();
            notes.push(format!(
                "from the visit record, line {}: {}",
                self.line,
                all.join("; ")
            ));
        }
        for (f, _) in &self.taken {
            let field = (f.as_str().to_string(), self.line);
            if !how.from_record.contains(&field) {
                how.from_record.push(field);
            }
        }
        notes.extend(self.notes);
        (notes, how)
    }
}

/// The facts a request gives (after carrying): what its visit's line keeps.
pub(crate) fn of(p: &PatientInput) -> PatientFacts {
    let mut conditions = p.conditions.clone();
    conditions.sort();
    conditions.dedup();
    let mut resolved = p.resolved.clone();
    resolved.sort();
    resolved.dedup();
    PatientFacts {
        conditions,
        oral_estrogen: p.oral_estrogen,
        diabetes: p.diabetes,
        obesity: p.obesity,
        resolved,
    }
}

/// Whether the facts hold `f`.
fn holds(facts: &PatientFacts, f: Fact) -> bool {
    match f {
        Fact::Condition(c) => facts.conditions.contains(&c),
        Fact::OralEstrogen => facts.oral_estrogen,
        Fact::Diabetes => facts.diabetes,
        Fact::Obesity => facts.obesity,
    }
}

/// Whether the request gives `f` itself.
fn given(p: &PatientInput, f: Fact) -> bool {
    match f {
        Fact::Condition(c) => p.conditions.contains(&c),
        Fact::OralEstrogen => p.oral_estrogen,
        Fact::Diabetes => p.diabetes,
        Fact::Obesity => p.obesity,
    }
}

/// What the facts hold, by name.
fn listed(facts: &PatientFacts) -> String {
    let mut all: Vec<&str> = facts.conditions.iter().map(|c| c.as_str()).collect();
    for (on, f) in [
        (facts.oral_estrogen, Fact::OralEstrogen),
        (facts.diabetes, Fact::Diabetes),
        (facts.obesity, Fact::Obesity),
    ] {
        if on {
            all.push(f.as_str());
        }
    }
    if all.is_empty() {
        "nothing".to_string()
    } else {
        all.join(", ")
    }
}

/// A request without a record cannot resolve anything: there is nothing
/// that holds.
pub(crate) fn without_record(p: &PatientInput, route: Route) -> Result<(), dosing::Error> {
    match p.resolved.first() {
        None => Ok(()),
        Some(f) => Err(refusal(
            Field::Resolved,
            format!(
                "{f} given without {}: a condition or treatment fact is resolved against the visit record that holds it",
                Field::Record.spelled(route)
            ),
        )),
    }
}

/// Carries the latest visit's facts into the request: each one the request
/// does not give and does not resolve. A fact resolved that the latest
/// visit does not hold, or resolved and given at once, is refused.
pub(crate) fn carry(
    p: &mut PatientInput,
    last: Option<&Line>,
    route: Route,
) -> Result<Carried, dosing::Error> {
    let empty = PatientFacts::default();
    let (facts, line) = match last {
        Some(l) => (l.visit.patient_facts.as_ref().unwrap_or(&empty), l.number),
        None => (&empty, 0),
    };
    let mut carried = Carried {
        line,
        ..Carried::default()
    };
    for &f in &p.resolved {
        if given(p, f) {
            return Err(refusal(
                Field::Resolved,
                format!("{f} is also given as holding at this visit: give one or the other"),
            ));
        }
        if !holds(facts, f) {
            let held = match last {
                Some(l) => format!(
                    "its latest visit ({}, line {}) holds {}",
                    l.visit.date,
                    l.number,
                    listed(facts)
                ),
                None => "it has no visit yet".to_string(),
            };
            return Err(refusal(
                Field::Resolved,
                format!("{f}: the visit record does not hold it ({held})"),
            ));
        }
        carried.notes.push(format!(
            "{f} resolved ({} {f}): held by the visit record (line {line}), no longer carried",
            Field::Resolved.spelled(route)
        ));
    }
    let resolved = p.resolved.clone();
    let carries =
        |f: Fact, p: &PatientInput| holds(facts, f) && !given(p, f) && !resolved.contains(&f);
    for &c in &facts.conditions {
        if carries(Fact::Condition(c), p) {
            p.conditions.push(c);
            carried
                .taken
                .push((Field::Condition, format!("condition {c}")));
        }
    }
    if carries(Fact::OralEstrogen, p) {
        p.oral_estrogen = true;
        carried
            .taken
            .push((Field::OralEstrogen, "oral estrogen".to_string()));
    }
    if carries(Fact::Diabetes, p) {
        p.diabetes = true;
        carried
            .taken
            .push((Field::Diabetes, "diabetes".to_string()));
    }
    if carries(Fact::Obesity, p) {
        p.obesity = true;
        carried.taken.push((Field::Obesity, "obesity".to_string()));
    }
    if !carried.taken.is_empty() {
        carried.notes.push(format!(
            "a condition or treatment fact carried from the visit record holds until a visit gives {} NAME",
            Field::Resolved.spelled(route)
        ));
    }
    Ok(carried)
}

#[cfg(test)]
mod tests;
