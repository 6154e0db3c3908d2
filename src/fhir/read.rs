//! FHIR in: a `Bundle` or a CDS Hooks prefetch object read into a
//! [`Chart`]: the patient's sex and birth date, dated weights, heights and
//! IGF-1 results, the current growth hormone order and the indications its
//! Conditions name, each with the FHIR path it came from. Nothing is
//! guessed: an observation without a date, a unit gh-dose does not read,
//! two patients, two current orders or two values on one date refuse the
//! input with the path, the value and what is allowed. Resources gh-dose
//! does not read are named in the notes.

use super::codes::{Codes, ObsKind, UnitMeaning, codes};
use crate::dosing::CurrentDose;
use crate::strict_json::shorten;
use crate::units::{CM_PER_IN, KG_PER_LB};
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

    fn observation(&mut self, r: &Value, path: &str) -> Result<(), FhirError> {
        let codes = self.codes;
        let found = codings(r.get("code"))
            .into_iter()
            .find(|(system, code)| system == &codes.systems.loinc && codes.loinc(code).is_some());
        let Some((_, loinc)) = found else {
            self.chart.notes.push(format!(
                "{path}: Observation {} not read (not a code gh-dose reads)",
                codings(r.get("code"))
                    .first()
                    .map_or("without a code".to_string(), |(_, c)| shorten(c)
                        .to_string())
            ));
            return Ok(());
        };
        let Some(row) = codes.loinc(&loinc) else {
            return Ok(());
        };
        let status = r.get("status").and_then(Value::as_str).unwrap_or("");
        if !matches!(status, "final" | "amended" | "corrected") {
            self.chart.notes.push(format!(
                "{path}: Observation {loinc} not read: status '{}' (read: final, amended, corrected)",
                shorten(status)
            ));
            return Ok(());
        }
        if row.kind == ObsKind::Bmi {
            self.chart.notes.push(format!(
                "{path}: Observation {loinc} not read: gh-dose computes BMI from weight and height"
            ));
            return Ok(());
        }
        self.subject(r, path, "subject");
        let date = match (r.get("effectiveDateTime"), r.get("effectiveInstant")) {
            (Some(d), _) => full_date(d, &format!("{path}.effectiveDateTime"))?,
            (None, Some(d)) => full_date(d, &format!("{path}.effectiveInstant"))?,
            (None, None) => {
                return refuse(
                    &format!("{path}.effectiveDateTime"),
                    format!(
                        "missing: Observation {loinc} has no date, and gh-dose does not guess one (allowed: effectiveDateTime or effectiveInstant)"
                    ),
                );
            }
        };
        if date > self.as_of {
            return refuse(
                &format!("{path}.effectiveDateTime"),
                format!(
                    "{date} is after the decision date {} (allowed: on or before it)",
                    self.as_of
                ),
            );
        }
        let Some(q) = r.get("valueQuantity") else {
            if r.get("dataAbsentReason").is_some() {
                self.chart.notes.push(format!(
                    "{path}: Observation {loinc} not read: no value (dataAbsentReason)"
                ));
                return Ok(());
            }
            return refuse(
                &format!("{path}.valueQuantity"),
                format!("missing: Observation {loinc} needs a valueQuantity"),
            );
        };
        let qpath = format!("{path}.valueQuantity");
        let value = number(q.get("value"), &format!("{qpath}.value"))?;
        let (unit, upath) = unit_of(q, &qpath, &codes.systems.ucum)?;
        if !row.units.iter().any(|u| u == &unit) {
            return refuse(
                &upath,
                format!(
                    "'{}' is not a unit gh-dose reads for LOINC {loinc} (allowed: {})",
                    shorten(&unit),
                    row.units.join(", ")
                ),
            );
        }
        let meaning = codes.unit(&unit).ok_or_else(|| {
            FhirError(format!(
                "{upath}: '{}' is not in the unit table",
                shorten(&unit)
            ))
        })?;
        let original = || Some(format!("{} {unit}", crate::dosing::fmt_num(value)));
        let reading = |v: f64, original: Option<String>, imperial: bool| Reading {
            value: v,
            date,
            original,
            path: path.to_string(),
            imperial,
        };
        match (row.kind, meaning) {
            (ObsKind::Weight, UnitMeaning::Kg) => push(
                &mut self.chart.weights,
                reading(value, None, false),
                "weight",
            )?,
            (ObsKind::Weight, UnitMeaning::G) => {
                push(
                    &mut self.chart.weights,
                    reading(value / 1000.0, original(), false),
                    "weight",
                )?;
            }
            (ObsKind::Weight, UnitMeaning::Lb) => {
                push(
                    &mut self.chart.weights,
                    reading(value * KG_PER_LB, original(), true),
                    "weight",
                )?;
            }
            (ObsKind::Height, UnitMeaning::Cm) => push(
                &mut self.chart.heights,
                reading(value, None, false),
                "height",
            )?,
            (ObsKind::Height, UnitMeaning::In) => {
                push(
                    &mut self.chart.heights,
                    reading(value * CM_PER_IN, original(), true),
                    "height",
                )?;
            }
            (ObsKind::Igf1Sds, UnitMeaning::Sds) => self.chart.igf1.push(Igf1Result {
                value: Igf1Value::Sds(value),
                date,
                path: path.to_string(),
            }),
            (ObsKind::Igf1, UnitMeaning::NgPerMl | UnitMeaning::NmolPerL) => {
                let igf1_unit = if meaning == UnitMeaning::NgPerMl {
                    Igf1Unit::NgPerMl
                } else {
                    Igf1Unit::NmolPerL
                };
                let rpath = format!("{path}.referenceRange[0]");
                let Some(range) = r.get("referenceRange").and_then(|a| a.get(0)) else {
                    return refuse(
                        &format!("{path}.referenceRange"),
                        "missing: an IGF-1 concentration is scored against the laboratory's limits (referenceRange low and high), or give the laboratory's Z-score (LOINC 73561-3) or --igf1-sds",
                    );
                };
                let limit = |which: &str| -> Result<f64, FhirError> {
                    let lp = format!("{rpath}.{which}");
                    let Some(l) = range.get(which) else {
                        return refuse(
                            &lp,
                            "missing: the laboratory's lower and upper limits are both needed",
                        );
                    };
                    let v = number(l.get("value"), &format!("{lp}.value"))?;
                    if l.get("code").is_some() || l.get("unit").is_some() {
                        let (u, up) = unit_of(l, &lp, &codes.systems.ucum)?;
                        if u != unit {
                            return refuse(
                                &up,
                                format!(
                                    "'{}' differs from the value's unit '{unit}' (allowed: the same unit)",
                                    shorten(&u)
                                ),
                            );
                        }
                    }
                    Ok(v)
                };
                let (low, high) = (limit("low")?, limit("high")?);
                self.chart.igf1.push(Igf1Result {
                    value: Igf1Value::Concentration {
                        value,
                        unit: igf1_unit,
                        low,
                        high,
                    },
                    date,
                    path: path.to_string(),
                });
            }
            _ => {
                return refuse(
                    &upath,
                    format!("'{}' does not measure LOINC {loinc}", shorten(&unit)),
                );
            }
        }
        Ok(())
    }

    fn medication(&mut self, r: &Value, path: &str, kind: &str) -> Result<(), FhirError> {
        let codes = self.codes;
        let coded = codings(r.get("medicationCodeableConcept"));
        let molecule = coded
            .iter()
            .filter(|(s, _)| s == &codes.systems.atc)
            .find_map(|(_, c)| codes.molecule_of_atc(c))
            .map(|m| m.molecule.clone());
        let product = coded
            .iter()
            .find(|(s, _)| s == &codes.systems.product)
            .map(|(_, c)| c.clone());
        let Some(molecule) = molecule else {
            let why = if r.get("medicationReference").is_some() {
                "medicationReference is not followed: code the medication inline (ATC)"
            } else {
                "not a growth hormone product by ATC code"
            };
            self.chart
                .notes
                .push(format!("{path}: {kind} not read: {why}"));
            return Ok(());
        };
        let status = r.get("status").and_then(Value::as_str).unwrap_or("");
        if status != "active" {
            self.chart.notes.push(format!(
                "{path}: {kind} not read: status '{}' (the current dose is an active one)",
                shorten(status)
            ));
            return Ok(());
        }
        self.subject(r, path, "subject");
        if let Some(m) = &self.chart.medication {
            return refuse(
                path,
                format!(
                    "a second active growth hormone {kind} (the first is {}): keep one current order",
                    m.path
                ),
            );
        }
        let field = if kind == "MedicationRequest" {
            "dosageInstruction"
        } else {
            "dosage"
        };
        let dpath = format!("{path}.{field}[0]");
        let Some(dosage) = r.get(field).and_then(|d| d.get(0)) else {
            return refuse(
                &format!("{path}.{field}"),
                "missing: the current dose is needed (doseAndRate.doseQuantity in mg, timing.repeat)",
            );
        };
        let rates: Vec<&Value> = match dosage.get("doseAndRate") {
            Some(Value::Array(a)) => a.iter().collect(),
            _ => Vec::new(),
        };
        let ordered = rates.iter().position(|d| {
            codings(d.get("type"))
                .iter()
                .any(|(s, c)| s == &codes.systems.dose_rate_type && c == "ordered")
        });
        let index = match (ordered, rates.len()) {
            (Some(i), _) => i,
            (None, 1) => 0,
            (None, 0) => {
                return refuse(
                    &format!("{dpath}.doseAndRate"),
                    "missing: the dose (doseQuantity in mg)",
                );
            }
            (None, _) => {
                return refuse(
                    &format!("{dpath}.doseAndRate"),
                    "several doses and none of type 'ordered': say which one is given",
                );
            }
        };
        let qpath = format!("{dpath}.doseAndRate[{index}].doseQuantity");
        let Some(q) = rates.get(index).and_then(|d| d.get("doseQuantity")) else {
            return refuse(&qpath, "missing: the dose in mg");
        };
        let mg = number(q.get("value"), &format!("{qpath}.value"))?;
        let (unit, upath) = unit_of(q, &qpath, &codes.systems.ucum)?;
        if unit != "mg" {
            return refuse(
                &upath,
                format!("'{}' is not read as a dose (allowed: mg)", shorten(&unit)),
            );
        }
        let tpath = format!("{dpath}.timing.repeat");
        let Some(rep) = dosage.get("timing").and_then(|t| t.get("repeat")) else {
            return refuse(
                &tpath,
                "missing: how often the dose is given (frequency, period, periodUnit)",
            );
        };
        let frequency = rep.get("frequency").and_then(Value::as_u64).unwrap_or(1);
        let period = rep.get("period").and_then(Value::as_f64);
        let unit = rep.get("periodUnit").and_then(Value::as_str).unwrap_or("");
        let (dose, per_week) = match (frequency, period == Some(1.0), unit) {
            (1, true, "d") => (CurrentDose::PerDay(mg), 7),
            (6, true, "wk") => (CurrentDose::PerDay(mg), 6),
            (7, true, "wk") => (CurrentDose::PerDay(mg), 7),
            (1, true, "wk") => (CurrentDose::PerWeek(mg), 1),
            _ => {
                return refuse(
                    &tpath,
                    format!(
                        "{frequency} per {} {} is not a growth hormone schedule gh-dose reads (allowed: 1 per 1 d, 6 or 7 per 1 wk, 1 per 1 wk)",
                        period.map_or("?".to_string(), crate::dosing::fmt_num),
                        shorten(unit)
                    ),
                );
            }
        };
        let device = r
            .get("extension")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|e| {
                e.get("url").and_then(Value::as_str)
                    == Some(codes.systems.device_extension.as_str())
            })
            .find_map(|e| {
                e.get("valueCoding")
                    .and_then(|c| c.get("code"))
                    .and_then(Value::as_str)
            })
            .map(str::to_string);
        let reasons = super::order::reason_indications(codes, r, path);
        self.chart.indications.extend(reasons);
        self.chart.medication = Some(Medication {
            molecule,
            product,
            device,
            dose,
            injections_per_week: per_week,
            path: path.to_string(),
        });
        Ok(())
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
