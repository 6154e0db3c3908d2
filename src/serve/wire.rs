//! CDS Hooks and FHIR JSON rules for every body the service writes: no
//! `null`, no empty string, array or object anywhere (both specifications
//! forbid them; an absent value is left out). The one allowed empty is the
//! card list of `{"cards": []}`, which [`cards_body`] writes itself.

use serde_json::{Map, Value};

/// The value with every null and every empty string, array and object
/// removed, recursively (an object or array emptied by the removal goes too).
/// `None` when nothing is left.
pub(crate) fn clean(value: Value) -> Option<Value> {
    match value {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::Array(items) => {
            let kept: Vec<Value> = items.into_iter().filter_map(clean).collect();
            (!kept.is_empty()).then_some(Value::Array(kept))
        }
        Value::Object(map) => {
            let kept: Map<String, Value> = map
                .into_iter()
                .filter_map(|(k, v)| clean(v).map(|v| (k, v)))
                .collect();
            (!kept.is_empty()).then_some(Value::Object(kept))
        }
        other => Some(other),
    }
}

/// Whether a value holds no null and no empty string, array or object.
#[cfg(test)]
pub(crate) fn is_clean(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty() && a.iter().all(is_clean),
        Value::Object(m) => !m.is_empty() && m.values().all(is_clean),
        _ => true,
    }
}

/// `{"cards": [...]}`: each card cleaned; no card gives `{"cards": []}`.
pub(crate) fn cards_body(cards: Vec<Value>) -> Value {
    let cards: Vec<Value> = cards.into_iter().filter_map(clean).collect();
    serde_json::json!({ "cards": cards })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nulls_and_empties_are_removed_at_every_depth() {
        let v = json!({"a": null, "b": "", "c": [], "d": {}, "e": [null, {"f": ""}],
                       "g": {"h": [1, null], "i": false, "j": 0}});
        let out = clean(v).unwrap();
        assert_eq!(out, json!({"g": {"h": [1], "i": false, "j": 0}}));
        assert!(is_clean(&out));
        assert_eq!(clean(json!({"a": null})), None);
    }

    #[test]
    fn no_card_is_the_one_allowed_empty() {
        assert_eq!(cards_body(vec![json!({})]), json!({"cards": []}));
        assert_eq!(
            cards_body(vec![json!({"summary": "x", "detail": ""})]),
            json!({"cards": [{"summary": "x"}]})
        );
    }
}
