//! A `MedicationRequest` or `MedicationStatement` read: a growth hormone
//! order's product, dose and schedule, the current one by its status.

use super::{FhirError, Medication, Walk, codings, number, refuse, unit_of};
use crate::dosing::CurrentDose;
use crate::strict_json::shorten;
use serde_json::Value;

impl Walk<'_> {
    pub(super) fn medication(
        &mut self,
        r: &Value,
        path: &str,
        kind: &str,
    ) -> Result<(), FhirError> {
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
        let reasons = crate::fhir::order::reason_indications(codes, r, path);
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
}
