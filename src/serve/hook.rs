//! One hook call, without the network: the request body to the response
//! body, or the HTTP problem (400, 412). Pure apart from the rule set and
//! the date it is given.

use super::cards::{CardContext, card, refusal};
use super::discovery::Service;
use super::prefetch::{Decision, Typed, active_order, entries, ordered_product};
use super::wire::cards_body;
use crate::dosing::{self, Route};
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
        .map(|id| format!("Patient/{id}"));
    let (order, ordered, draft, decision) = if service.hook == "patient-view" {
        match active_order(prefetch, env.rules) {
            Some((o, p)) => (o, p, None, Decision::Titrate),
            None => return Ok(cards_body(Vec::new())),
        }
    } else {
        match draft_order(context, env.rules) {
            Some((o, p)) => (o, p, Some(o), Decision::Start),
            None => return Ok(cards_body(Vec::new())),
        }
    };
    let typed = match super::prefetch::request_from_prefetch(
        prefetch, order, &ordered, decision, env.as_of, env.rules,
    ) {
        Ok(t) => t,
        Err(why) => return Ok(cards_body(vec![refusal(&why, &uuid)])),
    };
    let outcome = match &typed {
        Typed::Start(r) => dosing::start(r, env.rules),
        Typed::Titrate(r) => dosing::titrate(r, env.rules),
    };
    let cx = CardContext {
        uuid: &uuid,
        suggestion_uuid: &suggestion_uuid,
        draft,
        patient: patient.as_deref(),
        rules_sha256: env.rules_sha256,
    };
    Ok(cards_body(vec![match outcome {
        Ok(o) => card(&o, &cx),
        Err(e) => refusal(&e.render(Route::Json), &uuid),
    }]))
}

/// The first draft growth hormone order of `context.draftOrders` (for
/// order-select, among the `selections` when given).
fn draft_order<'a>(
    context: &'a Map<String, Value>,
    rules: &RuleSet,
) -> Option<(&'a Value, super::prefetch::Ordered)> {
    let selections: Option<Vec<&str>> = context
        .get("selections")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect());
    entries(context.get("draftOrders"), "draftOrders")
        .into_iter()
        .map(|(_, r)| r)
        .filter(|r| r.get("resourceType").and_then(Value::as_str) == Some("MedicationRequest"))
        .filter(|r| {
            let id = r.get("id").and_then(Value::as_str).unwrap_or_default();
            selections
                .as_ref()
                .is_none_or(|s| s.contains(&format!("MedicationRequest/{id}").as_str()))
        })
        .find_map(|r| ordered_product(r, rules).map(|p| (r, p)))
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
