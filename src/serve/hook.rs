//! One hook call, without the network: the request body to the response
//! body, or the HTTP problem (400, 412). Pure apart from the rule set and
//! the date it is given.
//!
//! FHIR is read and written by the adapter (`crate::fhir`): the prefetch
//! through `fhir::read` and `fhir::apply_start`/`apply_titrate`, the
//! proposed order from `fhir::decision_bundle`. What is the service's own:
//! which order a hook is about (the draft of `context.draftOrders`, or the
//! chart's active order at a visit), the draft's indication over the
//! Conditions', and the proposed order's references made ones the EHR
//! can resolve.

use super::cards::{CardContext, card, refusal};
use super::discovery::Service;
use super::wire::cards_body;
use crate::dosing::TitrateRequest;
use crate::dosing::{self, Field, Outcome, PatientInput, Route, StartRequest, Subject};
use crate::fhir::{self, Applied, Chart, Ordered};
use crate::rules::RuleSet;
use chrono::NaiveDate;
use serde_json::{Map, Value};

/// Why a call gets no cards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    /// 400: not a hook request.
    Malformed(String),
    /// 412: required prefetch missing (gh-dose never queries the FHIR server).
    Precondition(String),
}

/// What a call is decided with.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Env<'a> {
    pub(crate) rules: &'a RuleSet,
    pub(crate) rules_sha256: &'a str,
    pub(crate) as_of: NaiveDate,
}

/// The response body of a hook call.
pub(crate) fn call(service: &Service, body: &[u8], env: Env<'_>) -> Result<Value, Problem> {
    let text = std::str::from_utf8(body)
        .map_err(|_| Problem::Malformed("the body is not UTF-8".into()))?;
    let value = crate::strict_json::parse(text).map_err(|e| {
        Problem::Malformed(format!(
            "{} (line {}, column {})",
            e.what(),
            e.line,
            e.column
        ))
    })?;
    let req = value
        .as_object()
        .ok_or_else(|| Problem::Malformed("the body is not a JSON object".into()))?;
    let hook = req.get("hook").and_then(Value::as_str);
    if hook != Some(service.hook) {
        return Err(Problem::Malformed(format!(
            "hook: {} expects {:?}",
            service.id, service.hook
        )));
    }
    if req
        .get("hookInstance")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Err(Problem::Malformed(
            "hookInstance: a string is needed".into(),
        ));
    }
    let context = req
        .get("context")
        .and_then(Value::as_object)
        .ok_or_else(|| Problem::Malformed("context: an object is needed".into()))?;
    let empty = Map::new();
    let prefetch = match req.get("prefetch") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(p)) => p,
        Some(_) => return Err(Problem::Malformed("prefetch: an object is needed".into())),
    };
    let missing: Vec<&str> = service
        .required
        .iter()
        .copied()
        .filter(|k| !prefetch.contains_key(*k))
        .collect();
    if !missing.is_empty() {
        return Err(Problem::Precondition(format!(
            "prefetch {} missing: send it (gh-dose does not query the FHIR server)",
            missing.join(", ")
        )));
    }
    let hash = crate::diagnostic::sha256_hex(body);
    let uuid = uuid_from(&hash, "card");
    let suggestion_uuid = uuid_from(&hash, "suggestion");
    let patient = context
        .get("patientId")
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty())
        .map(|id| format!("Patient/{id}"));
    let draft = if service.hook == "patient-view" {
        None
    } else {
        match draft_order(context, env.rules) {
            Some(d) => Some(d),
            None => return Ok(cards_body(Vec::new())),
        }
    };
    let no_prefetch = Value::Object(Map::new());
    let root = if req.get("prefetch").is_some_and(Value::is_object) {
        &value
    } else {
        &no_prefetch
    };
    let chart = match fhir::read(root, env.as_of) {
        Ok(c) => c,
        Err(e) => return Ok(cards_body(vec![refusal(&e.to_string(), &uuid)])),
    };
    if draft.is_none() && chart.medication.is_none() {
        // A visit without an active growth hormone order: nothing to say.
        return Ok(cards_body(Vec::new()));
    }
    let decided = match &draft {
        Some(d) => start(chart, d, env),
        None => titrate(&chart, env),
    };
    let (command, outcome) = match decided {
        Ok(o) => o,
        Err(why) => return Ok(cards_body(vec![refusal(&why, &uuid)])),
    };
    let proposed = match proposed_order(&outcome, command, draft.as_ref(), patient.as_deref(), env)
    {
        Ok(p) => p,
        Err(why) => return Ok(cards_body(vec![refusal(&why, &uuid)])),
    };
    let cx = CardContext {
        uuid: &uuid,
        suggestion_uuid: &suggestion_uuid,
        update: draft.is_some(),
        proposed: proposed.as_ref(),
        rules_sha256: env.rules_sha256,
    };
    Ok(cards_body(vec![card(&outcome, &cx)]))
}

/// The draft order a start is decided for.
#[derive(Debug, Clone)]
struct Draft<'a> {
    resource: &'a Value,
    /// Its path in the request (`context.draftOrders.entry[0].resource`).
    path: String,
    ordered: Ordered,
}

/// An empty request subject: every value comes from the chart.
fn subject(as_of: NaiveDate) -> Subject {
    Subject::new("", as_of, PatientInput::default())
}

/// The start of the draft's product. The indication is the one the
/// draft's `reasonCode` names, over one the Conditions name (noted); else
/// the Conditions'.
fn start(
    mut chart: Chart,
    draft: &Draft<'_>,
    env: Env<'_>,
) -> Result<(&'static str, Outcome), String> {
    let mut notes = Vec::new();
    let reasons = fhir::order_indications(draft.resource, &draft.path)?;
    if let [first, rest @ ..] = reasons.as_slice() {
        if let Some(other) = rest.first() {
            return Err(format!(
                "{}: names {}, and {} names {}: one indication per order",
                first.path, first.value, other.path, other.value
            ));
        }
        for other in chart.indications.iter().filter(|i| i.value != first.value) {
            notes.push(format!(
                "the order's reasonCode ({}) wins over {} at {}",
                first.value, other.value, other.path
            ));
        }
        chart.indications = std::iter::once(first.clone())
            .chain(
                chart
                    .indications
                    .into_iter()
                    .filter(|i| i.value == first.value),
            )
            .collect();
    }
    let mut req = StartRequest::new(subject(env.as_of));
    let mut taken = Vec::new();
    if let Some(p) = &draft.ordered.product {
        req.subject.product.product = Some(p.clone());
        let at = format!("{}.medicationCodeableConcept", draft.path);
        notes.push(format!("product {p} from {at}"));
        taken.push((Field::Product, at));
    }
    let mut applied = fhir::apply_start(&chart, &mut req).map_err(|e| e.to_string())?;
    applied.paths.extend(taken);
    decided("start", dosing::start(&req, env.rules), applied, notes)
}

/// The titration of the chart's active order.
fn titrate(chart: &Chart, env: Env<'_>) -> Result<(&'static str, Outcome), String> {
    let mut req = TitrateRequest::new(subject(env.as_of));
    let applied = fhir::apply_titrate(chart, &mut req, env.rules).map_err(|e| e.to_string())?;
    decided(
        "titrate",
        dosing::titrate(&req, env.rules),
        applied,
        Vec::new(),
    )
}

/// The outcome with what was read from the chart in its rationale, or the
/// core's refusal naming each chart value by its FHIR path.
fn decided(
    command: &'static str,
    result: Result<Outcome, dosing::Error>,
    applied: Applied,
    notes: Vec<String>,
) -> Result<(&'static str, Outcome), String> {
    let mut outcome = result.map_err(|e| applied.render_for(&e, Route::Json))?;
    outcome.rationale.extend(notes);
    outcome.rationale.extend(applied.notes);
    Ok((command, outcome))
}

/// The proposed `MedicationRequest` of a decision: the one
/// `fhir::decision_bundle` writes (as `--format fhir` does), with the
/// subject `Patient/{context.patientId}` (else the draft's subject, else
/// none: a Bundle-local reference means nothing to the EHR) and, when it
/// updates a draft, the draft's id. `None` when no dose is proposed.
fn proposed_order(
    outcome: &Outcome,
    command: &'static str,
    draft: Option<&Draft<'_>>,
    patient: Option<&str>,
    env: Env<'_>,
) -> Result<Option<Value>, String> {
    let tables = fhir::Tables::of(env.rules);
    let decision = fhir::Decision {
        command,
        as_of: env.as_of,
        tables: &tables,
        patient: &outcome.patient,
        indication: &outcome.indication,
        product: outcome.product.as_ref(),
        recommendation: &outcome.recommendation,
        flags: &outcome.flags,
        rationale: &outcome.rationale,
        sources: &outcome.sources,
        patient_reference: patient,
    };
    let bundle = fhir::decision_bundle(&decision)?;
    let Some(mut order) = bundle
        .get("entry")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| e.get("resource"))
        .find(|r| r.get("resourceType").and_then(Value::as_str) == Some("MedicationRequest"))
        .cloned()
    else {
        return Ok(None);
    };
    let Some(mr) = order.as_object_mut() else {
        return Ok(None);
    };
    if patient.is_none() {
        match draft.and_then(|d| d.resource.get("subject")) {
            Some(s) => mr.insert("subject".into(), s.clone()),
            None => mr.remove("subject"),
        };
    }
    if let Some(id) = draft.and_then(|d| d.resource.get("id")) {
        mr.insert("id".into(), id.clone());
    }
    Ok(super::wire::clean(order))
}

/// The first draft growth hormone order of `context.draftOrders` (for
/// order-select, among the `selections` when given).
fn draft_order<'a>(context: &'a Map<String, Value>, rules: &RuleSet) -> Option<Draft<'a>> {
    let selections: Option<Vec<&str>> = context
        .get("selections")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect());
    resources(context.get("draftOrders"), "context.draftOrders")
        .into_iter()
        .filter(|(_, r)| r.get("resourceType").and_then(Value::as_str) == Some("MedicationRequest"))
        .filter(|(_, r)| {
            let id = r.get("id").and_then(Value::as_str).unwrap_or_default();
            selections
                .as_ref()
                .is_none_or(|s| s.contains(&format!("MedicationRequest/{id}").as_str()))
        })
        .find_map(|(path, resource)| {
            fhir::ordered_product(resource, rules).map(|ordered| Draft {
                resource,
                path,
                ordered,
            })
        })
}

/// The resources of a Bundle (its entries' `resource`), or the one
/// resource, each with its path.
fn resources<'a>(v: Option<&'a Value>, at: &str) -> Vec<(String, &'a Value)> {
    match v {
        Some(b) if b.get("resourceType").and_then(Value::as_str) == Some("Bundle") => b
            .get("entry")
            .and_then(Value::as_array)
            .map(|es| {
                es.iter()
                    .enumerate()
                    .filter_map(|(i, e)| {
                        e.get("resource")
                            .map(|r| (format!("{at}.entry[{i}].resource"), r))
                    })
                    .collect()
            })
            .unwrap_or_default(),
        Some(r) if r.is_object() => vec![(at.to_string(), r)],
        _ => Vec::new(),
    }
}

/// A UUID (RFC 9562 version 8: custom) from a hex sha256 and a purpose: the
/// same request gives the same ids.
pub(crate) fn uuid_from(hash_hex: &str, purpose: &str) -> String {
    let h = crate::diagnostic::sha256_hex(format!("{hash_hex}:{purpose}").as_bytes());
    let h = h.as_bytes();
    let s = |r: std::ops::Range<usize>| {
        String::from_utf8_lossy(h.get(r).unwrap_or_default()).into_owned()
    };
    // Version nibble 8, variant bits 10.
    format!(
        "{}-{}-8{}-{}{}-{}",
        s(0..8),
        s(8..12),
        s(13..16),
        match h.get(16) {
            Some(b'0'..=b'3') => "8",
            Some(b'4'..=b'7') => "9",
            Some(b'8'..=b'b') => "a",
            _ => "b",
        },
        s(17..20),
        s(20..32)
    )
}

#[cfg(test)]
mod tests;
