//! An `Observation` read: its LOINC code, its date, its value in a unit
//! gh-dose reads, converted, with its FHIR path.

use super::{
    FhirError, Igf1Result, Igf1Value, Reading, Walk, codings, full_date, number, push, refuse,
    unit_of,
};
use crate::fhir::codes::{ObsKind, UnitMeaning};
use crate::strict_json::shorten;
use crate::units::{CM_PER_IN, KG_PER_LB};
use crate::vocab::Igf1Unit;
use serde_json::Value;

impl Walk<'_> {
    pub(super) fn observation(&mut self, r: &Value, path: &str) -> Result<(), FhirError> {
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
}
