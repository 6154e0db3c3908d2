//! The subset of JSON Schema (2020-12) the committed schemas use: type
//! (with null), properties, required, additionalProperties false, enum,
//! $ref to $defs, anyOf/oneOf, format date, minimum.
use serde_json::Value;

pub(super) fn validate(schema: &Value, v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    check(schema, schema, v, "$", &mut out);
    out
}

fn check(root: &Value, s: &Value, v: &Value, at: &str, out: &mut Vec<String>) {
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/$defs/");
        return check(root, &root["$defs"][name], v, at, out);
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(alts) = s.get(key).and_then(Value::as_array) {
            let ok = alts.iter().filter(|a| validate_in(root, a, v)).count();
            if ok == 0 || (key == "oneOf" && ok > 1) {
                out.push(format!("{at}: {ok} of the {key} alternatives match"));
            }
        }
    }
    if let Some(t) = s.get("type") {
        let types: Vec<&str> = match t {
            Value::String(one) => vec![one.as_str()],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let is = |name: &str| match name {
            "null" => v.is_null(),
            "boolean" => v.is_boolean(),
            "string" => v.is_string(),
            "integer" => v.as_f64().is_some_and(|x| x.fract() == 0.0),
            "number" => v.is_number(),
            "array" => v.is_array(),
            "object" => v.is_object(),
            _ => false,
        };
        if !types.iter().any(|t| is(t)) {
            out.push(format!("{at}: {v} is not {types:?}"));
            return;
        }
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        out.push(format!("{at}: {v} is not one of {e:?}"));
    }
    if s.get("format").and_then(Value::as_str) == Some("date")
        && let Some(text) = v.as_str()
        && chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_err()
    {
        out.push(format!("{at}: {text} is not a date"));
    }
    if let (Some(min), Some(x)) = (s.get("minimum").and_then(Value::as_f64), v.as_f64())
        && x < min
    {
        out.push(format!("{at}: {x} is below {min}"));
    }
    if let Some(obj) = v.as_object() {
        let props = s.get("properties").and_then(Value::as_object);
        for req in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = req.as_str().unwrap();
            if !obj.contains_key(name) {
                out.push(format!("{at}: {name} is missing"));
            }
        }
        for (k, x) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(ps) => check(root, ps, x, &format!("{at}.{k}"), out),
                None if s.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    out.push(format!("{at}: {k} is not allowed"));
                }
                None => {}
            }
        }
    }
    if let (Some(items), Some(arr)) = (s.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            check(root, items, x, &format!("{at}[{i}]"), out);
        }
    }
}

fn validate_in(root: &Value, s: &Value, v: &Value) -> bool {
    let mut out = Vec::new();
    check(root, s, v, "", &mut out);
    out.is_empty()
}

#[test]
fn the_checker_itself_refuses_what_the_schema_refuses() {
    let schema: Value =
        serde_json::from_str(include_str!("../../../docs/schema/record.v1.json")).unwrap();
    let bad = serde_json::json!({"record": 1});
    // A line is a visit or a correction; neither matches.
    assert!(
        validate(&schema, &bad)
            .iter()
            .any(|p| p.contains("0 of the anyOf alternatives match")),
    );
    // Held to the visit alone, each problem is named.
    let mut visit = schema["$defs"]["Visit"].clone();
    visit["$defs"] = schema["$defs"].clone();
    let schema = visit;
    let problems = validate(&schema, &bad);
    assert!(
        problems.iter().any(|p| p.contains("$.record: 1 is not")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("date is missing")),
        "{problems:?}"
    );
    let extra = serde_json::json!({"zzz": true});
    assert!(
        validate(&schema, &extra)
            .iter()
            .any(|p| p.contains("zzz is not allowed"))
    );
}
