//! FHIR out: a decision (start, titrate) or a growth assessment as one FHIR
//! R4 `Bundle` of type `collection`. Pure: the typed outcome in, a
//! `serde_json::Value` out; the ids are UUIDs derived from the decision,
//! so the same decision gives the same bytes.
//!
//! The Bundle holds the Patient (unless the caller names one), the
//! measurements the decision read as Observations, the scores gh-dose
//! computed as derived Observations citing them (`derivedFrom`), a draft
//! `MedicationRequest` (intent `proposal`) unless the dose is withheld or
//! stopped, one `DetectedIssue` per flag, and a `Provenance` naming
//! gh-dose (a `Device`) and the sha256 of the tables that decided.

use super::codes::{Codes, ObsKind, codes};
use crate::dosing::{Flag, IndicationRef, PatientEcho, ProductRef, Recommendation};
use crate::dosing::{Growth, SourceRef};
use crate::vocab::Sex;
use chrono::NaiveDate;
use serde_json::{Map, Value, json};

/// The gh-dose that writes the Bundle.
mod medication;
mod values;

use medication::medication_request;
use values::seed;
pub(super) use values::{pruned, uuid};

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The tables that decided, as the Provenance names them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tables {
    pub(crate) rules_source: String,
    pub(crate) rules_version: String,
    pub(crate) rules_sha256: String,
    /// The product table: source, version, sha256.
    pub(crate) products: Option<(String, String, String)>,
}

impl Tables {
    /// The tables of a rule set (with its product table).
    pub(crate) fn of(rules: &crate::rules::RuleSet) -> Tables {
        Tables {
            rules_source: rules.origin.source.clone(),
            rules_version: rules.origin.version.clone(),
            rules_sha256: rules.origin.sha256.clone(),
            products: rules.products.as_ref().map(|p| {
                (
                    p.origin.source.clone(),
                    p.origin.version.clone(),
                    p.origin.sha256.clone(),
                )
            }),
        }
    }
}

/// A start or titrate decision, borrowed from the typed outcome (or the
/// document built from it).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Decision<'a> {
    /// `start` or `titrate`.
    pub(crate) command: &'a str,
    pub(crate) as_of: NaiveDate,
    pub(crate) tables: &'a Tables,
    pub(crate) patient: &'a PatientEcho,
    pub(crate) indication: &'a IndicationRef,
    pub(crate) product: Option<&'a ProductRef>,
    pub(crate) recommendation: &'a Recommendation,
    pub(crate) flags: &'a [Flag],
    pub(crate) rationale: &'a [String],
    pub(crate) sources: &'a [SourceRef],
    /// A reference to the patient in the caller's record system
    /// (`Patient/123`); without it the Bundle holds a Patient of its own.
    pub(crate) patient_reference: Option<&'a str>,
}

/// A growth assessment, borrowed from the typed outcome.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Assessment<'a> {
    pub(crate) as_of: NaiveDate,
    pub(crate) tables: &'a Tables,
    pub(crate) sex: Option<Sex>,
    pub(crate) birth_date: Option<NaiveDate>,
    pub(crate) previous_height_date: Option<NaiveDate>,
    pub(crate) previous_height_cm: Option<f64>,
    pub(crate) growth: &'a Growth,
    pub(crate) flags: &'a [Flag],
    pub(crate) sources: &'a [SourceRef],
    pub(crate) patient_reference: Option<&'a str>,
}

/// The Bundle being built: entries in order, each with its derived id.
struct Builder<'c> {
    codes: &'c Codes,
    seed: String,
    entries: Vec<(String, Value)>,
    patient: Value,
}

impl<'c> Builder<'c> {
    fn new(codes: &'c Codes, seed: String, patient_reference: Option<&str>) -> Builder<'c> {
        let mut b = Builder {
            codes,
            seed,
            entries: Vec::new(),
            patient: Value::Null,
        };
        b.patient = match patient_reference {
            Some(r) => json!({ "reference": r }),
            None => json!({ "reference": b.url("Patient") }),
        };
        b
    }

    /// The `urn:uuid:` of a resource, from the decision and its key.
    fn url(&self, key: &str) -> String {
        format!("urn:uuid:{}", uuid(&self.seed, key))
    }

    /// Adds a resource under its key and returns its reference.
    fn add(&mut self, key: &str, resource: Value) -> Value {
        let url = self.url(key);
        self.entries.push((url.clone(), resource));
        json!({ "reference": url })
    }

    fn bundle(self) -> Value {
        let id = uuid(&self.seed, "Bundle");
        let entry: Vec<Value> = self
            .entries
            .into_iter()
            .map(|(url, resource)| json!({ "fullUrl": url, "resource": resource }))
            .collect();
        pruned(json!({
            "resourceType": "Bundle",
            "id": id,
            "type": "collection",
            "entry": entry,
        }))
    }

    fn patient_entry(&mut self, sex: Option<Sex>, birth: Option<NaiveDate>, own: bool) {
        if !own {
            return;
        }
        let mut p = Map::new();
        p.insert("resourceType".into(), "Patient".into());
        if let Some(s) = sex {
            p.insert("gender".into(), s.as_str().into());
        }
        if let Some(d) = birth {
            p.insert("birthDate".into(), d.to_string().into());
        }
        self.add("Patient", Value::Object(p));
    }

    /// A LOINC-coded or gh-dose-coded Observation.
    fn observation(&mut self, o: &Obs) -> Option<Value> {
        let (coding, unit) = match self.codes.loinc_of(o.kind) {
            Some(row) if o.kind != ObsKind::Igf1Sds || o.loinc_ok => (
                json!({ "system": self.codes.systems.loinc, "code": row.loinc, "display": row.display }),
                row.units.first().cloned().unwrap_or_default(),
            ),
            _ => {
                let local = self.codes.local(o.kind)?;
                (
                    json!({ "system": self.codes.systems.observation, "code": kind_code(o.kind), "display": local.display }),
                    local.unit.clone(),
                )
            }
        };
        let mut r = json!({
            "resourceType": "Observation",
            "status": "final",
            "code": { "coding": [coding] },
            "subject": self.patient,
            "effectiveDateTime": o.date.to_string(),
            "valueQuantity": {
                "value": o.value,
                "unit": unit,
                "system": self.codes.systems.ucum,
                "code": unit,
            },
        });
        if let Value::Object(m) = &mut r {
            if let Some(method) = &o.method {
                m.insert("method".into(), json!({ "text": method }));
            }
            if !o.derived_from.is_empty() {
                m.insert("derivedFrom".into(), Value::Array(o.derived_from.clone()));
            }
            if let Some(note) = &o.note {
                m.insert("note".into(), json!([{ "text": note }]));
            }
        }
        Some(self.add(o.key, r))
    }

    fn issues(
        &mut self,
        flags: &[Flag],
        sources: &[SourceRef],
        implicated: Option<&Value>,
        date: NaiveDate,
    ) -> Vec<Value> {
        let mut refs = Vec::new();
        for (i, f) in flags.iter().enumerate() {
            let severity = self.codes.severity(f.severity.as_str()).unwrap_or("high");
            let mut r = json!({
                "resourceType": "DetectedIssue",
                "status": "final",
                "code": { "coding": [{ "system": self.codes.systems.flag, "code": f.code.as_str() }] },
                "severity": severity,
                "patient": self.patient,
                "identifiedDateTime": date.to_string(),
                "detail": f.message,
            });
            if let Value::Object(m) = &mut r {
                if let Some(url) = sources
                    .iter()
                    .find(|s| s.id == f.source)
                    .and_then(|s| s.url.clone())
                {
                    m.insert("reference".into(), url.into());
                }
                if let Some(i) = implicated {
                    m.insert("implicated".into(), json!([i]));
                }
            }
            refs.push(self.add(&format!("DetectedIssue/{i}/{}", f.code.as_str()), r));
        }
        refs
    }

    /// The gh-dose Device and the Provenance over `targets`.
    fn provenance(
        &mut self,
        tables: &Tables,
        date: NaiveDate,
        activity: &str,
        mut targets: Vec<Value>,
    ) {
        if targets.is_empty() {
            targets.push(self.patient.clone());
        }
        let device = self.add(
            "Device",
            json!({
                "resourceType": "Device",
                "deviceName": [{ "name": "gh-dose", "type": "user-friendly-name" }],
                "version": [{ "value": VERSION }],
            }),
        );
        let mut entity = vec![
            json!({
                "role": "source",
                "what": {
                    "display": format!("codes {} {}", self.codes.table.name, self.codes.table.version),
                },
            }),
            json!({
                "role": "source",
                "what": {
                    "identifier": { "system": self.codes.systems.rules, "value": tables.rules_sha256 },
                    "display": format!("rules {} {} sha256 {}", tables.rules_source, tables.rules_version, tables.rules_sha256),
                },
            }),
        ];
        if let Some((source, version, sha)) = &tables.products {
            entity.push(json!({
                "role": "source",
                "what": {
                    "identifier": { "system": self.codes.systems.rules, "value": sha },
                    "display": format!("products {source} {version} sha256 {sha}"),
                },
            }));
        }
        self.add(
            "Provenance",
            json!({
                "resourceType": "Provenance",
                "target": targets,
                "recorded": format!("{date}T00:00:00Z"),
                "activity": { "coding": [{ "system": self.codes.systems.action, "code": activity }] },
                "agent": [{
                    "type": { "coding": [{
                        "system": "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                        "code": "assembler",
                    }] },
                    "who": device,
                }],
                "entity": entity,
            }),
        );
    }
}

/// An observation to write.
struct Obs {
    key: &'static str,
    kind: ObsKind,
    /// For IGF-1 SDS: the LOINC Z-score code applies.
    loinc_ok: bool,
    value: f64,
    date: NaiveDate,
    method: Option<String>,
    derived_from: Vec<Value>,
    note: Option<String>,
}

impl Obs {
    fn new(key: &'static str, kind: ObsKind, value: f64, date: NaiveDate) -> Obs {
        Obs {
            key,
            kind,
            loinc_ok: true,
            value,
            date,
            method: None,
            derived_from: Vec::new(),
            note: None,
        }
    }
}

/// gh-dose's code of an observation kind without LOINC.
fn kind_code(kind: ObsKind) -> &'static str {
    match kind {
        ObsKind::Weight => "weight",
        ObsKind::Height => "height",
        ObsKind::Igf1 => "igf1",
        ObsKind::Igf1Sds => "igf1-sds",
        ObsKind::Bmi => "bmi",
        ObsKind::HeightSds => "height-sds",
        ObsKind::WeightSds => "weight-sds",
        ObsKind::BmiSds => "bmi-sds",
        ObsKind::HeightVelocity => "height-velocity",
    }
}

/// A start or titrate decision as one FHIR R4 Bundle.
pub(crate) fn decision_bundle(d: &Decision<'_>) -> Result<Value, String> {
    let codes = codes()?;
    let seed = seed(&json!({
        "command": d.command,
        "as_of": d.as_of,
        "rules": d.tables.rules_sha256,
        "products": d.tables.products.as_ref().map(|p| &p.2),
        "patient": d.patient,
        "indication": d.indication,
        "product": d.product,
        "recommendation": d.recommendation,
        "flags": d.flags,
        "patient_reference": d.patient_reference,
    }));
    let mut b = Builder::new(codes, seed, d.patient_reference);
    let p = d.patient;
    b.patient_entry(p.sex, p.birth_date, d.patient_reference.is_none());
    let mut targets = Vec::new();

    // What was measured.
    let weight = p.weight_kg.and_then(|kg| {
        b.observation(&with_note(
            Obs::new("Observation/weight", ObsKind::Weight, kg, d.as_of),
            p.weight_input.as_deref(),
        ))
    });
    let height = p.height_cm.and_then(|cm| {
        b.observation(&with_note(
            Obs::new("Observation/height", ObsKind::Height, cm, d.as_of),
            p.height_input.as_deref(),
        ))
    });
    let previous_height = match (p.previous_height_cm, p.previous_height_date) {
        (Some(cm), Some(date)) => b.observation(&Obs::new(
            "Observation/previous-height",
            ObsKind::Height,
            cm,
            date,
        )),
        _ => None,
    };
    let igf1_date = p.igf1_date.unwrap_or(d.as_of);
    let igf1 = p.igf1_ng_ml.and_then(|v| {
        let mut o = Obs::new("Observation/igf1", ObsKind::Igf1, v, igf1_date);
        o.note = p.igf1_input.as_ref().map(|i| format!("as reported: {i}"));
        b.observation(&o)
    });
    targets.extend(
        weight
            .iter()
            .chain(&height)
            .chain(&previous_height)
            .chain(&igf1)
            .cloned(),
    );

    // What gh-dose computed, each citing its inputs.
    let given_sds = p.height_sds_source.as_deref() == Some("given");
    if let (Some(sds), Some(source)) = (p.height_sds, &p.height_sds_source) {
        let mut o = Obs::new("Observation/height-sds", ObsKind::HeightSds, sds, d.as_of);
        if given_sds {
            o.note = Some("as given".into());
        } else {
            o.method = Some(source.clone());
            o.derived_from = height.iter().cloned().collect();
        }
        targets.extend(b.observation(&o));
    }
    let body: Vec<Value> = weight.iter().chain(&height).cloned().collect();
    if let (Some(bmi), Some("computed")) = (p.bmi, p.bmi_source) {
        let mut o = Obs::new("Observation/bmi", ObsKind::Bmi, bmi, d.as_of);
        o.derived_from = body.clone();
        targets.extend(b.observation(&o));
    }
    if let Some(sds) = p.bmi_sds {
        let mut o = Obs::new("Observation/bmi-sds", ObsKind::BmiSds, sds, d.as_of);
        o.method = Some("cdc2000-bmi".into());
        o.derived_from = body;
        targets.extend(b.observation(&o));
    }
    if let Some(sds) = p.igf1_sds {
        let mut o = Obs::new("Observation/igf1-sds", ObsKind::Igf1Sds, sds, igf1_date);
        o.method = p.igf1_sds_method.map(|m| match &p.igf1_reference {
            Some(r) => format!("{m}: {r}"),
            None => m.to_string(),
        });
        o.derived_from = igf1.iter().cloned().collect();
        targets.extend(b.observation(&o));
    }
    if let Some(v) = p.height_velocity_cm_per_year {
        let mut o = Obs::new(
            "Observation/height-velocity",
            ObsKind::HeightVelocity,
            v,
            d.as_of,
        );
        o.derived_from = height.iter().chain(&previous_height).cloned().collect();
        targets.extend(b.observation(&o));
    }

    // The proposal.
    let r = d.recommendation;
    let order = match (&r.dose, r.action.stops()) {
        (Some(dose), false) => Some(medication_request(&mut b, d, dose)?),
        _ => None,
    };
    targets.extend(order.iter().cloned());

    // The flags; a withhold or stop always carries a high-severity issue.
    let issues = b.issues(d.flags, d.sources, order.as_ref(), d.as_of);
    targets.extend(issues);
    let high = d
        .flags
        .iter()
        .any(|f| codes.severity(f.severity.as_str()) == Some("high"));
    if r.action.stops() && !high {
        let issue = json!({
            "resourceType": "DetectedIssue",
            "status": "final",
            "code": { "coding": [{ "system": codes.systems.action, "code": r.action.as_str() }] },
            "severity": "high",
            "patient": b.patient,
            "identifiedDateTime": d.as_of.to_string(),
            "detail": format!("gh-dose says {}: no dose is proposed; the rationale says why.", r.action.as_str()),
        });
        targets.push(b.add("DetectedIssue/action", issue));
    }
    b.provenance(d.tables, d.as_of, r.action.as_str(), targets);
    Ok(b.bundle())
}

fn with_note(mut o: Obs, original: Option<&str>) -> Obs {
    o.note = original.map(|i| format!("as given: {i}"));
    o
}

/// A growth assessment as one FHIR R4 Bundle.
pub(crate) fn growth_bundle(a: &Assessment<'_>) -> Result<Value, String> {
    let codes = codes()?;
    let seed = seed(&json!({
        "command": "growth",
        "as_of": a.as_of,
        "rules": a.tables.rules_sha256,
        "sex": a.sex,
        "birth_date": a.birth_date,
        "growth": a.growth,
        "flags": a.flags,
        "patient_reference": a.patient_reference,
    }));
    let mut b = Builder::new(codes, seed, a.patient_reference);
    b.patient_entry(a.sex, a.birth_date, a.patient_reference.is_none());
    let g = a.growth;
    let mut targets = Vec::new();
    let height = g.height.as_ref().and_then(|h| {
        b.observation(&Obs::new(
            "Observation/height",
            ObsKind::Height,
            h.value_cm,
            a.as_of,
        ))
    });
    let weight = g.weight.as_ref().and_then(|w| {
        b.observation(&Obs::new(
            "Observation/weight",
            ObsKind::Weight,
            w.value_kg,
            a.as_of,
        ))
    });
    let previous = match (a.previous_height_cm, a.previous_height_date) {
        (Some(cm), Some(date)) => b.observation(&Obs::new(
            "Observation/previous-height",
            ObsKind::Height,
            cm,
            date,
        )),
        _ => None,
    };
    targets.extend(height.iter().chain(&weight).chain(&previous).cloned());
    if let Some(h) = &g.height {
        let mut o = Obs::new("Observation/height-sds", ObsKind::HeightSds, h.sds, a.as_of);
        o.method = Some(h.reference.clone());
        o.derived_from = height.iter().cloned().collect();
        o.note = Some(format!("centile {}", crate::dosing::fmt_num(h.centile)));
        targets.extend(b.observation(&o));
    }
    if let Some(w) = &g.weight {
        let mut o = Obs::new("Observation/weight-sds", ObsKind::WeightSds, w.sds, a.as_of);
        o.method = Some(w.reference.clone());
        o.derived_from = weight.iter().cloned().collect();
        o.note = Some(format!("centile {}", crate::dosing::fmt_num(w.centile)));
        targets.extend(b.observation(&o));
    }
    if let Some(m) = &g.bmi {
        let body: Vec<Value> = weight.iter().chain(&height).cloned().collect();
        let bmi = if m.computed {
            let mut o = Obs::new("Observation/bmi", ObsKind::Bmi, m.value_kg_m2, a.as_of);
            o.derived_from = body.clone();
            b.observation(&o)
        } else {
            b.observation(&Obs::new(
                "Observation/bmi",
                ObsKind::Bmi,
                m.value_kg_m2,
                a.as_of,
            ))
        };
        targets.extend(bmi.iter().cloned());
        let mut o = Obs::new("Observation/bmi-sds", ObsKind::BmiSds, m.sds, a.as_of);
        o.method = Some(m.reference.clone());
        o.derived_from = bmi.into_iter().collect();
        o.note = Some(format!("centile {}", crate::dosing::fmt_num(m.centile)));
        targets.extend(b.observation(&o));
    }
    if let Some(v) = &g.height_velocity {
        let mut o = Obs::new(
            "Observation/height-velocity",
            ObsKind::HeightVelocity,
            v.cm_per_year,
            a.as_of,
        );
        o.derived_from = height.iter().chain(&previous).cloned().collect();
        o.note = Some(format!(
            "over {} years",
            crate::dosing::fmt_num(v.interval_years)
        ));
        targets.extend(b.observation(&o));
    }
    let issues = b.issues(a.flags, a.sources, None, a.as_of);
    targets.extend(issues);
    b.provenance(a.tables, a.as_of, "assess", targets);
    Ok(b.bundle())
}
