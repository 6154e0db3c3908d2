//! FHIR in: a `Bundle` or a CDS Hooks prefetch object read into a
//! [`Chart`]: the patient's sex and birth date, dated weights, heights and
//! IGF-1 results, the current growth hormone order and the indications its
//! Conditions name, each with the FHIR path it came from. Nothing is
//! guessed: an observation without a date, a unit gh-dose does not read,
//! two patients, two current orders or two values on one date refuse the
//! input with the path, the value and what is allowed. Resources gh-dose
//! does not read are named in the notes.

mod medication;
mod observation;

use super::codes::{Codes, codes};
use crate::dosing::CurrentDose;
use crate::strict_json::shorten;
use crate::vocab::{Condition, Igf1Unit, Sex};
use chrono::NaiveDate;
use serde_json::Value;

/// An input that cannot be used: one line with the FHIR path, the value and
/// what is allowed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FhirError(pub(crate) String);

impl std::fmt::Display for FhirError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn refuse<T>(path: &str, what: impl std::fmt::Display) -> Result<T, FhirError> {
    Err(FhirError(format!("{path}: {what}")))
}

/// A value found, with the path of the resource it is in.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found<T> {
    pub(crate) value: T,
    pub(crate) path: String,
}

/// A dated measurement in its canonical unit (kg, cm).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reading {
    pub(crate) value: f64,
    pub(crate) date: NaiveDate,
    /// The value as given when converted (`52.91 [lb_av]`).
    pub(crate) original: Option<String>,
    pub(crate) path: String,
    /// Converted from pounds or inches.
    pub(crate) imperial: bool,
}

/// An IGF-1 result.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Igf1Value {
    /// The laboratory's Z-score (LOINC 73561-3).
    Sds(f64),
    /// A concentration with the laboratory's reference limits.
    Concentration {
        value: f64,
        unit: Igf1Unit,
        low: f64,
        high: f64,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Igf1Result {
    pub(crate) value: Igf1Value,
    pub(crate) date: NaiveDate,
    pub(crate) path: String,
}

/// The current growth hormone order or statement.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Medication {
    pub(crate) molecule: String,
    /// A gh-dose product id (from gh-dose's product code system).
    pub(crate) product: Option<String>,
    pub(crate) device: Option<String>,
    pub(crate) dose: CurrentDose,
    pub(crate) injections_per_week: u8,
    pub(crate) path: String,
}

/// What the record system holds that gh-dose reads.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Chart {
    pub(crate) sex: Option<Found<Sex>>,
    pub(crate) birth_date: Option<Found<NaiveDate>>,
    /// Oldest first.
    pub(crate) weights: Vec<Reading>,
    /// Oldest first.
    pub(crate) heights: Vec<Reading>,
    /// Oldest first.
    pub(crate) igf1: Vec<Igf1Result>,
    pub(crate) medication: Option<Medication>,
    /// Indication ids, each with the Condition (or the current order's
    /// `reasonCode`) that names it.
    pub(crate) indications: Vec<Found<String>>,
    /// Conditions by their gh-dose names (`--condition`), each with the
    /// Condition resource that codes it.
    pub(crate) conditions: Vec<Found<Condition>>,
    /// Resources not read, and why.
    pub(crate) notes: Vec<String>,
}

/// The walk's state: the chart and what is needed to check references.
struct Walk<'c> {
    codes: &'c Codes,
    as_of: NaiveDate,
    chart: Chart,
    /// The first Patient: its JSON, path, and the references that name it.
    patient: Option<(Value, String, Vec<String>)>,
    /// Subject references to check once the patient is known.
    subjects: Vec<(String, String)>,
}

/// Reads a Bundle or a CDS Hooks prefetch object (or a CDS Hooks request
/// holding one under `prefetch`). `as_of` is the decision date: nothing
/// may be dated after it.
pub(crate) fn read(root: &Value, as_of: NaiveDate) -> Result<Chart, FhirError> {
    let codes = codes().map_err(FhirError)?;
    let mut w = Walk {
        codes,
        as_of,
        chart: Chart::default(),
        patient: None,
        subjects: Vec::new(),
    };
    match root {
        Value::Object(m) if m.get("resourceType").and_then(Value::as_str) == Some("Bundle") => {
            w.bundle(root, "Bundle", None)?;
        }
        Value::Object(m) if m.contains_key("resourceType") => {
            return refuse(
                "resourceType",
                format!(
                    "'{}' is not read at the top: give a Bundle or a CDS Hooks prefetch object",
                    text(m.get("resourceType"))
                ),
            );
        }
        Value::Object(m) => {
            let (prefetch, base) = match m.get("prefetch") {
                Some(p @ Value::Object(_)) => (p, "prefetch"),
                Some(_) => return refuse("prefetch", "must be an object of resources or Bundles"),
                None => (root, "prefetch"),
            };
            if let Value::Object(items) = prefetch {
                for (key, v) in items {
                    let path = format!("{base}.{key}");
                    match v {
                        Value::Null => {}
                        Value::Object(_) => w.resource(v, &path, None)?,
                        _ => return refuse(&path, "must be a resource, a Bundle or null"),
                    }
                }
            }
        }
        _ => {
            return refuse(
                "(top)",
                "expected a JSON object: a Bundle or a CDS Hooks prefetch object",
            );
        }
    }
    w.finish()
}

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => shorten(s).to_string(),
        Some(v) => shorten(&v.to_string()).to_string(),
        None => "(missing)".to_string(),
    }
}

impl Walk<'_> {
    fn bundle(&mut self, b: &Value, path: &str, _full_url: Option<&str>) -> Result<(), FhirError> {
        let entries = match b.get("entry") {
            None => return Ok(()),
            Some(Value::Array(a)) => a,
            Some(_) => return refuse(&format!("{path}.entry"), "must be an array"),
        };
        for (i, e) in entries.iter().enumerate() {
            let at = format!("{path}.entry[{i}]");
            let full_url = e.get("fullUrl").and_then(Value::as_str);
            match e.get("resource") {
                Some(r @ Value::Object(_)) => {
                    self.resource(r, &format!("{at}.resource"), full_url)?
                }
                Some(_) => return refuse(&format!("{at}.resource"), "must be a resource object"),
                None => self
                    .chart
                    .notes
                    .push(format!("{at}: no resource; not read")),
            }
        }
        Ok(())
    }

    fn resource(&mut self, r: &Value, path: &str, full_url: Option<&str>) -> Result<(), FhirError> {
        let Some(kind) = r.get("resourceType").and_then(Value::as_str) else {
            return refuse(
                &format!("{path}.resourceType"),
                "missing: every resource names its type",
            );
        };
        match kind {
            "Bundle" => self.bundle(r, path, full_url),
            "Patient" => self.patient(r, path, full_url),
            "Observation" => self.observation(r, path),
            "MedicationRequest" | "MedicationStatement" => self.medication(r, path, kind),
            "Condition" => self.condition(r, path),
            other => {
                self.chart
                    .notes
                    .push(format!("{path}: {} not read by gh-dose", shorten(other)));
                Ok(())
            }
        }
    }

    fn patient(&mut self, r: &Value, path: &str, full_url: Option<&str>) -> Result<(), FhirError> {
        if let Some((first, first_path, _)) = &self.patient {
            if first == r {
                return Ok(());
            }
            return refuse(
                path,
                format!("a second Patient (the first is {first_path}): one patient per request"),
            );
        }
        let mut refs = Vec::new();
        if let Some(id) = r.get("id").and_then(Value::as_str) {
            refs.push(format!("Patient/{id}"));
        }
        if let Some(u) = full_url {
            refs.push(u.to_string());
        }
        self.patient = Some((r.clone(), path.to_string(), refs));
        match r.get("gender") {
            None => {}
            Some(Value::String(g)) if g == "male" || g == "female" => {
                let sex = if g == "male" { Sex::Male } else { Sex::Female };
                self.chart.sex = Some(Found {
                    value: sex,
                    path: path.to_string(),
                });
            }
            Some(g) => {
                return refuse(
                    &format!("{path}.gender"),
                    format!(
                        "'{}' cannot be scored on the growth references (allowed: male, female; or leave gender out and give --sex)",
                        text(Some(g))
                    ),
                );
            }
        }
        if let Some(b) = r.get("birthDate") {
            let d = full_date(b, &format!("{path}.birthDate"))?;
            self.chart.birth_date = Some(Found {
                value: d,
                path: path.to_string(),
            });
        }
        Ok(())
    }

    fn subject(&mut self, r: &Value, path: &str, field: &str) {
        if let Some(s) = r
            .get(field)
            .and_then(|s| s.get("reference"))
            .and_then(Value::as_str)
        {
            self.subjects
                .push((format!("{path}.{field}.reference"), s.to_string()));
        }
    }

    fn condition(&mut self, r: &Value, path: &str) -> Result<(), FhirError> {
        let status = |field: &str| {
            codings(r.get(field))
                .into_iter()
                .map(|(_, c)| c)
                .next()
                .unwrap_or_default()
        };
        let clinical = status("clinicalStatus");
        if !matches!(clinical.as_str(), "" | "active" | "recurrence" | "relapse") {
            self.chart.notes.push(format!(
                "{path}: Condition not read: clinicalStatus '{}'",
                shorten(&clinical)
            ));
            return Ok(());
        }
        let verification = status("verificationStatus");
        if matches!(verification.as_str(), "refuted" | "entered-in-error") {
            self.chart.notes.push(format!(
                "{path}: Condition not read: verificationStatus '{}'",
                shorten(&verification)
            ));
            return Ok(());
        }
        let systems = &self.codes.systems;
        let mut named: Vec<String> = Vec::new();
        let mut conditions: Vec<Condition> = Vec::new();
        for (i, (system, code)) in codings(r.get("code")).into_iter().enumerate() {
            if system == systems.condition {
                let c = code.parse::<Condition>().map_err(|e| {
                    FhirError(format!(
                        "{path}.code.coding[{i}].code: '{}' is not a gh-dose condition ({e})",
                        shorten(&code)
                    ))
                })?;
                if !conditions.contains(&c) {
                    conditions.push(c);
                }
                continue;
            }
            if system == systems.indication {
                if !named.contains(&code) {
                    named.push(code);
                }
                continue;
            }
            for row in self.codes.conditions_of(&system, &code) {
                if !named.contains(&row.indication) {
                    named.push(row.indication.clone());
                }
            }
        }
        if named.is_empty() && conditions.is_empty() {
            self.chart.notes.push(format!(
                "{path}: Condition not read: no code gh-dose maps to an indication or a condition"
            ));
            return Ok(());
        }
        self.subject(r, path, "subject");
        for value in conditions {
            self.chart.conditions.push(Found {
                value,
                path: path.to_string(),
            });
        }
        for indication in named {
            self.chart.indications.push(Found {
                value: indication,
                path: path.to_string(),
            });
        }
        Ok(())
    }

    /// Checks every subject against the patient and orders the readings.
    fn finish(mut self) -> Result<Chart, FhirError> {
        if let Some((_, ppath, refs)) = &self.patient {
            for (path, reference) in &self.subjects {
                if !refs.iter().any(|r| r == reference) {
                    return refuse(
                        path,
                        format!(
                            "'{}' is not the patient of this request ({ppath}, {})",
                            shorten(reference),
                            if refs.is_empty() {
                                "without an id".to_string()
                            } else {
                                refs.join(" or ")
                            }
                        ),
                    );
                }
            }
        }
        if self.patient.is_none()
            && let Some((_, first)) = self.subjects.first()
            && let Some((path, other)) = self.subjects.iter().find(|(_, r)| r != first)
        {
            return refuse(
                path,
                format!(
                    "'{}' is another patient than '{}' (no Patient resource): one patient per request",
                    shorten(other),
                    shorten(first)
                ),
            );
        }
        self.chart.igf1.sort_by_key(|r| r.date);
        for pair in self.chart.igf1.windows(2) {
            if let [a, b] = pair
                && a.date == b.date
                && std::mem::discriminant(&a.value) == std::mem::discriminant(&b.value)
                && a.value != b.value
            {
                return refuse(
                    &b.path,
                    format!(
                        "a second IGF-1 result on {} differing from {}: keep one",
                        b.date, a.path
                    ),
                );
            }
        }
        Ok(self.chart)
    }
}

/// Adds a reading in date order; two different values on one date refuse.
fn push(list: &mut Vec<Reading>, r: Reading, what: &str) -> Result<(), FhirError> {
    if let Some(same) = list.iter().find(|o| o.date == r.date) {
        if (same.value - r.value).abs() < 1e-9 {
            return Ok(());
        }
        return refuse(
            &r.path,
            format!(
                "a second {what} on {} ({} against {} at {}): keep one",
                r.date,
                crate::dosing::fmt_num(r.value),
                crate::dosing::fmt_num(same.value),
                same.path
            ),
        );
    }
    let at = list.partition_point(|o| o.date < r.date);
    list.insert(at, r);
    Ok(())
}

/// The (system, code) pairs of a CodeableConcept.
pub(super) fn codings(cc: Option<&Value>) -> Vec<(String, String)> {
    cc.and_then(|c| c.get("coding"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| {
            let code = c.get("code").and_then(Value::as_str)?;
            let system = c.get("system").and_then(Value::as_str).unwrap_or("");
            Some((system.to_string(), code.to_string()))
        })
        .collect()
}

/// A number, or the path refused.
fn number(v: Option<&Value>, path: &str) -> Result<f64, FhirError> {
    match v {
        Some(Value::Number(n)) => n
            .as_f64()
            .filter(|x| x.is_finite())
            .ok_or_else(|| FhirError(format!("{path}: {n} is not a finite number"))),
        Some(other) => refuse(path, format!("'{}' is not a number", text(Some(other)))),
        None => refuse(path, "missing: a number is needed"),
    }
}

/// The UCUM code of a Quantity (its `code`, else its `unit`), with the
/// path it was read at. A code of another system is refused.
fn unit_of(q: &Value, path: &str, ucum: &str) -> Result<(String, String), FhirError> {
    if let Some(code) = q.get("code").and_then(Value::as_str) {
        let system = q.get("system").and_then(Value::as_str);
        if system.is_some_and(|s| s != ucum) {
            return refuse(
                &format!("{path}.system"),
                format!("'{}' is not UCUM (allowed: {ucum})", text(q.get("system"))),
            );
        }
        return Ok((code.to_string(), format!("{path}.code")));
    }
    match q.get("unit") {
        Some(Value::String(u)) => Ok((u.clone(), format!("{path}.unit"))),
        _ => refuse(
            &format!("{path}.unit"),
            "missing: a UCUM unit is needed (code or unit)",
        ),
    }
}

/// A full calendar date (the date part of a dateTime); a partial date or
/// another type is refused.
fn full_date(v: &Value, path: &str) -> Result<NaiveDate, FhirError> {
    let Some(s) = v.as_str() else {
        return refuse(path, format!("'{}' is not a date", text(Some(v))));
    };
    let day = s.get(..10).unwrap_or(s);
    match NaiveDate::parse_from_str(day, "%Y-%m-%d") {
        Ok(d)
            if crate::dosing::in_years(d)
                && (s.len() == 10 || s.as_bytes().get(10) == Some(&b'T')) =>
        {
            Ok(d)
        }
        _ => refuse(
            path,
            format!(
                "'{}' is not a full date (allowed: YYYY-MM-DD or a dateTime on a day, years {}-{})",
                shorten(s),
                crate::dosing::DATE_YEARS.0,
                crate::dosing::DATE_YEARS.1
            ),
        ),
    }
}
