//! The JSON pieces every Bundle shares: deterministic ids, the seed of a
//! decision, UCUM mg quantities, dosing timing and words, and the pruning
//! of nulls and empties (FHIR allows none).

use super::super::codes::Codes;
use crate::diagnostic::sha256_hex;
use crate::units::Micrograms;
use serde_json::{Value, json};

/// A deterministic UUID (version 8, RFC 9562 layout) from a seed and a key.
pub(crate) fn uuid(seed: &str, key: &str) -> String {
    let h = sha256_hex(format!("{seed}\n{key}").as_bytes());
    let b = h.as_bytes();
    let hex = |r: std::ops::Range<usize>| String::from_utf8_lossy(&b[r]).into_owned();
    // Version nibble 8; variant bits 10xx.
    let variant = match b.get(16).copied().unwrap_or(b'0') {
        b'0' | b'4' | b'8' | b'c' => '8',
        b'1' | b'5' | b'9' | b'd' => '9',
        b'2' | b'6' | b'a' | b'e' => 'a',
        _ => 'b',
    };
    format!(
        "{}-{}-8{}-{}{}-{}",
        hex(0..8),
        hex(8..12),
        hex(13..16),
        variant,
        hex(17..20),
        hex(20..32)
    )
}

pub(crate) fn mg(x: Micrograms) -> f64 {
    x.mg()
}

/// A UCUM mg quantity.
pub(crate) fn mg_quantity(codes: &Codes, x: Micrograms) -> Value {
    json!({ "value": mg(x), "unit": "mg", "system": codes.systems.ucum, "code": "mg" })
}

/// `timing.repeat` of a number of injections a week.
pub(crate) fn timing(per_week: u8) -> Value {
    if per_week == 7 {
        json!({ "repeat": { "frequency": 1, "period": 1, "periodUnit": "d" } })
    } else {
        json!({ "repeat": { "frequency": per_week, "period": 1, "periodUnit": "wk" } })
    }
}

pub(crate) fn schedule_words(per_week: u8) -> String {
    match per_week {
        7 => "once a day".to_string(),
        1 => "once a week".to_string(),
        n => format!("{n} times a week"),
    }
}

/// Removes nulls, empty arrays and empty objects at every depth (FHIR
/// allows none of them).
pub(crate) fn pruned(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (k, pruned(v)))
                .filter(|(_, v)| !empty(v))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(pruned).filter(|v| !empty(v)).collect()),
        v => v,
    }
}

pub(crate) fn empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

/// The seed of a decision's ids: the whole decision, serialized.
pub(crate) fn seed(parts: &Value) -> String {
    sha256_hex(parts.to_string().as_bytes())
}
