//! FHIR in, for the service: a CDS Hooks prefetch object (and the draft
//! order) to a typed `StartRequest` or `TitrateRequest`.
//!
//! INTERIM. This is the service's own minimal reading, kept behind
//! [`request_from_prefetch`] and [`ordered_product`] so that both can be
//! re-pointed at the FHIR adapter (`crate::fhir`) when it lands; the rest of
//! the service only sees typed requests. It reads:
//! - `Patient.gender` (male/female) and `Patient.birthDate` (a full date);
//! - the latest `Observation` by `effectiveDateTime` with LOINC 29463-7 or
//!   3141-9 (body weight, `kg` or `g`), 8302-2 or 8306-3 (height or length,
//!   `cm` or `m`) and 73561-3 (IGF-1 Z-score); the one before the latest
//!   weight and height for a titration;
//! - the indication from the draft's `reasonCode` or an active `Condition`
//!   coded in [`INDICATION_SYSTEM`] (an indication id of the rule set), and
//!   conditions coded in [`CONDITION_SYSTEM`] (`--condition` names);
//! - the product of a `MedicationRequest` by a [`PRODUCT_SYSTEM`] code, a
//!   product's id or name in its text or display, or an ATC code of a
//!   growth hormone molecule with one product in the table;
//! - for a titration, the current dose from the active order's
//!   `dosageInstruction[0]` (`doseQuantity` in `mg`, daily or weekly timing)
//!   and its `authoredOn` as the last dose change.
//!
//! A value that is there but cannot be used is refused with its path and
//! the reason; nothing is guessed.

use crate::dosing::{
    AgeInput, CurrentDose, Field, Igf1Input, Measured, PatientInput, StartRequest, Subject,
    TitrateRequest,
};
use crate::rules::RuleSet;
use crate::vocab::{Condition, Sex};
use chrono::NaiveDate;
use serde_json::{Map, Value};

/// gh-dose product ids (`data/products.toml`).
pub(crate) const PRODUCT_SYSTEM: &str = "urn:gh-dose:product";
/// gh-dose indication ids (`data/indications.toml`).
pub(crate) const INDICATION_SYSTEM: &str = "urn:gh-dose:indication";
/// gh-dose condition names (`gh-dose start --help`, `--condition`).
pub(crate) const CONDITION_SYSTEM: &str = "urn:gh-dose:condition";
const LOINC: &str = "http://loinc.org";
const ATC: &str = "http://www.whocc.no/atc";

/// The growth hormone molecules by ATC code (read at source:
/// `/work/shared/reference/interop.md` §1.2; somatrogon's is unverified and
/// left out).
const ATC_MOLECULES: [(&str, &str); 3] = [
    ("H01AC01", "somatropin"),
    ("H01AC07", "somapacitan"),
    ("H01AC09", "lonapegsomatropin"),
];

/// A typed request from the chart.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Typed {
    Start(Box<StartRequest>),
    Titrate(Box<TitrateRequest>),
}

/// What a `MedicationRequest` orders when it is a growth hormone: the
/// product id of the table when known.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ordered {
    pub(crate) product: Option<String>,
}

/// The product a `MedicationRequest` orders, or `None` when it is not a
/// growth hormone the product table knows (no card is due for it).
pub(crate) fn ordered_product(order: &Value, rules: &RuleSet) -> Option<Ordered> {
    let concept = order.get("medicationCodeableConcept")?;
    let codings = concept
        .get("coding")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for c in codings {
        let (system, code) = (text(c, "system"), text(c, "code"));
        if system == Some(PRODUCT_SYSTEM)
            && let Some(p) = code.and_then(|id| rules.product(id))
        {
            return Some(Ordered {
                product: Some(p.id.clone()),
            });
        }
    }
    let words: Vec<String> = std::iter::once(text(concept, "text"))
        .chain(codings.iter().map(|c| text(c, "display")))
        .flatten()
        .map(str::to_lowercase)
        .collect();
    for p in rules.all_products() {
        let (id, name) = (p.id.to_lowercase(), p.name.to_lowercase());
        if words
            .iter()
            .any(|w| w == &id || w == &name || w.split_whitespace().next() == Some(&name))
        {
            return Some(Ordered {
                product: Some(p.id.clone()),
            });
        }
    }
    for c in codings {
        if text(c, "system") != Some(ATC) {
            continue;
        }
        let Some((_, molecule)) = ATC_MOLECULES
            .iter()
            .find(|(code, _)| Some(*code) == text(c, "code"))
        else {
            continue;
        };
        let of: Vec<_> = rules
            .all_products()
            .iter()
            .filter(|p| p.molecule.to_string() == *molecule)
            .collect();
        return Some(Ordered {
            product: match of.as_slice() {
                [one] => Some(one.id.clone()),
                _ => None,
            },
        });
    }
    None
}

/// Which decision a hook asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// A new order (order-select, order-sign).
    Start,
    /// The dose of the active order at a visit (patient-view).
    Titrate,
}

/// The typed request from a prefetch object, the order being decided on
/// (the draft, or the active order at a visit) and the decision date.
/// `Err` names the path of a value that cannot be used and why.
pub(crate) fn request_from_prefetch(
    prefetch: &Map<String, Value>,
    order: &Value,
    ordered: &Ordered,
    decision: Decision,
    as_of: NaiveDate,
    rules: &RuleSet,
) -> Result<Typed, String> {
    let mut patient = PatientInput::default();
    if let Some(p) = prefetch.get("patient").filter(|p| !p.is_null()) {
        patient.sex = match text(p, "gender") {
            Some("male") => Some(Sex::Male),
            Some("female") => Some(Sex::Female),
            _ => None,
        };
        if let Some(b) = text(p, "birthDate") {
            let d = date(b).ok_or_else(|| {
                format!("prefetch.patient.birthDate: {b:?} is not a full date (YYYY-MM-DD)")
            })?;
            patient.age = Some(AgeInput::BirthDate(d));
        }
    }
    let weights = series(prefetch, "weight", &["29463-7", "3141-9"], weight_kg)?;
    let heights = series(prefetch, "height", &["8302-2", "8306-3"], height_cm)?;
    let igf1 = series(prefetch, "igf1", &["73561-3"], z_score)?;
    patient.weight_kg = weights
        .first()
        .map(|w| Measured::plain(w.value, Field::WeightKg));
    patient.height_cm = heights
        .first()
        .map(|h| Measured::plain(h.value, Field::HeightCm));
    let conditions = entries(prefetch.get("conditions"), "conditions");
    for (path, c) in &conditions {
        if !active(c) {
            continue;
        }
        for code in codes(c.get("code"), CONDITION_SYSTEM) {
            let named = code
                .parse::<Condition>()
                .map_err(|e| format!("{path}.code: {e}"))?;
            if !patient.conditions.contains(&named) {
                patient.conditions.push(named);
            }
        }
    }
    let indication = codes(order.get("reasonCode"), INDICATION_SYSTEM)
        .into_iter()
        .chain(
            conditions
                .iter()
                .filter(|(_, c)| active(c))
                .flat_map(|(_, c)| codes(c.get("code"), INDICATION_SYSTEM)),
        )
        .next()
        .ok_or_else(|| {
            format!("no indication: the order's reasonCode or an active Condition coded in {INDICATION_SYSTEM} names it")
        })?;
    if rules.indication(&indication).is_none() {
        return Err(format!(
            "indication {indication:?} ({INDICATION_SYSTEM}) is not in the rule set"
        ));
    }
    let mut subject = Subject::new(&indication, as_of, patient);
    subject.product.product = ordered.product.clone();
    match decision {
        Decision::Start => Ok(Typed::Start(Box::new(StartRequest::new(subject)))),
        Decision::Titrate => {
            let mut t = TitrateRequest::new(subject);
            t.current = Some(current_dose(order)?);
            t.last_dose_change = text(order, "authoredOn").and_then(date);
            if let Some(w) = weights.get(1) {
                t.previous_weight_kg = Some(w.value);
                t.previous_weight_date = Some(w.date);
            }
            if let Some(h) = heights.get(1) {
                t.previous_height_cm = Some(Measured::plain(h.value, Field::PreviousHeightCm));
                t.previous_height_date = Some(h.date);
            }
            if let Some(i) = igf1.first() {
                t.igf1 = Some(Igf1Input::Sds(i.value));
                t.igf1_date = Some(i.date);
            }
            Ok(Typed::Titrate(Box::new(t)))
        }
    }
}

/// The active growth hormone order of a prefetch's `medications`, if any.
pub(crate) fn active_order<'a>(
    prefetch: &'a Map<String, Value>,
    rules: &RuleSet,
) -> Option<(&'a Value, Ordered)> {
    entries(prefetch.get("medications"), "medications")
        .into_iter()
        .filter(|(_, r)| text(r, "resourceType") == Some("MedicationRequest"))
        .filter(|(_, r)| text(r, "status") == Some("active"))
        .find_map(|(_, r)| ordered_product(r, rules).map(|o| (r, o)))
}

/// The resources of a Bundle (its entries' `resource`), or the one resource,
/// each with its path.
pub(crate) fn entries<'a>(v: Option<&'a Value>, key: &str) -> Vec<(String, &'a Value)> {
    match v {
        Some(b) if text(b, "resourceType") == Some("Bundle") => b
            .get("entry")
            .and_then(Value::as_array)
            .map(|es| {
                es.iter()
                    .enumerate()
                    .filter_map(|(i, e)| {
                        e.get("resource")
                            .map(|r| (format!("prefetch.{key}.entry[{i}].resource"), r))
                    })
                    .collect()
            })
            .unwrap_or_default(),
        Some(r) if r.is_object() => vec![(format!("prefetch.{key}"), r)],
        _ => Vec::new(),
    }
}

/// One dated observation value.
#[derive(Debug, Clone, Copy)]
struct Dated {
    date: NaiveDate,
    value: f64,
}

/// The observations of a prefetch key with one of the LOINC codes, latest
/// first, each value read by `read` (which names what is wrong).
fn series(
    prefetch: &Map<String, Value>,
    key: &str,
    loinc: &[&str],
    read: fn(&Value) -> Result<f64, String>,
) -> Result<Vec<Dated>, String> {
    let mut out = Vec::new();
    for (path, o) in entries(prefetch.get(key), key) {
        if text(o, "resourceType") != Some("Observation")
            || matches!(
                text(o, "status"),
                Some("entered-in-error" | "cancelled" | "registered")
            )
            || !codes(o.get("code"), LOINC)
                .iter()
                .any(|c| loinc.contains(&c.as_str()))
        {
            continue;
        }
        let when = text(o, "effectiveDateTime").ok_or_else(|| {
            format!("{path}.effectiveDateTime: missing (an undated value cannot be used)")
        })?;
        let date = date(when)
            .ok_or_else(|| format!("{path}.effectiveDateTime: {when:?} is not a date"))?;
        let q = o
            .get("valueQuantity")
            .ok_or_else(|| format!("{path}.valueQuantity: missing"))?;
        let value = read(q).map_err(|why| format!("{path}.valueQuantity: {why}"))?;
        out.push(Dated { date, value });
    }
    out.sort_by_key(|d| std::cmp::Reverse(d.date));
    Ok(out)
}

fn number(q: &Value) -> Result<f64, String> {
    q.get("value")
        .and_then(Value::as_f64)
        .ok_or_else(|| "no numeric value".to_string())
}

fn unit(q: &Value) -> Option<&str> {
    text(q, "code").or_else(|| text(q, "unit"))
}

fn weight_kg(q: &Value) -> Result<f64, String> {
    let v = number(q)?;
    match unit(q) {
        Some("kg") => Ok(v),
        Some("g") => Ok(v / 1000.0),
        other => Err(format!("unit {other:?} is not read (kg or g)")),
    }
}

fn height_cm(q: &Value) -> Result<f64, String> {
    let v = number(q)?;
    match unit(q) {
        Some("cm") => Ok(v),
        Some("m") => Ok(v * 100.0),
        other => Err(format!("unit {other:?} is not read (cm or m)")),
    }
}

fn z_score(q: &Value) -> Result<f64, String> {
    number(q)
}

/// The current dose of an order: `dosageInstruction[0]`, the `ordered`
/// `doseAndRate` entry (else the first) in mg, given daily or weekly.
fn current_dose(order: &Value) -> Result<CurrentDose, String> {
    let path = "the active order's dosageInstruction[0]";
    let d = order
        .get("dosageInstruction")
        .and_then(|d| d.get(0))
        .ok_or_else(|| format!("{path}: missing"))?;
    let rates = d
        .get("doseAndRate")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{path}.doseAndRate: missing"))?;
    let rate = rates
        .iter()
        .find(|r| codes(r.get("type"), "").iter().any(|c| c == "ordered"))
        .or_else(|| rates.first())
        .ok_or_else(|| format!("{path}.doseAndRate: empty"))?;
    let q = rate
        .get("doseQuantity")
        .ok_or_else(|| format!("{path}.doseAndRate.doseQuantity: missing"))?;
    let mg = number(q).map_err(|w| format!("{path}.doseAndRate.doseQuantity: {w}"))?;
    if unit(q) != Some("mg") {
        return Err(format!(
            "{path}.doseAndRate.doseQuantity: unit {:?} is not read (mg)",
            unit(q)
        ));
    }
    let r = d.get("timing").and_then(|t| t.get("repeat"));
    let field = |k: &str| r.and_then(|r| r.get(k));
    let frequency = field("frequency").and_then(Value::as_u64).unwrap_or(1);
    let period = field("period").and_then(Value::as_f64).unwrap_or(1.0);
    match (
        field("periodUnit").and_then(Value::as_str),
        frequency,
        period,
    ) {
        (Some("d"), 1, 1.0) => Ok(CurrentDose::PerDay(mg)),
        (Some("wk"), f, p) if p == 1.0 && f <= 7 => Ok(CurrentDose::PerWeek(mg * f as f64)),
        _ => Err(format!(
            "{path}.timing.repeat: only once a day or n times a week is read"
        )),
    }
}

/// Whether a Condition is active (no clinicalStatus counts as active).
fn active(c: &Value) -> bool {
    let status = codes(c.get("clinicalStatus"), "");
    status.is_empty()
        || status
            .iter()
            .any(|s| s == "active" || s == "recurrence" || s == "relapse")
}

/// The codes of a CodeableConcept (or an array of them) in `system` (any
/// system when empty).
fn codes(concept: Option<&Value>, system: &str) -> Vec<String> {
    let concepts: Vec<&Value> = match concept {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(c) => vec![c],
        None => Vec::new(),
    };
    concepts
        .into_iter()
        .filter_map(|c| c.get("coding").and_then(Value::as_array))
        .flatten()
        .filter(|c| system.is_empty() || text(c, "system") == Some(system))
        .filter_map(|c| text(c, "code").map(str::to_string))
        .collect()
}

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// The date of a FHIR date or dateTime (its first ten characters).
fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}
