use super::*;
use serde_json::json;

#[test]
fn values_read_as_serde_json_reads_them() {
    let text = r#"{"a": [1, -2, 2.5, 18446744073709551615, true, null, "x\ny"], "b": {"c": {}}}"#;
    assert_eq!(
        parse(text).unwrap(),
        serde_json::from_str::<Value>(text).unwrap()
    );
    assert_eq!(parse(" 7 ").unwrap(), json!(7));
}

#[test]
fn a_repeated_key_is_refused_at_any_depth() {
    let e = parse(r#"{"condition":["active-malignancy"],"condition":[]}"#).unwrap_err();
    assert_eq!(e.message, "condition is given twice");
    assert_eq!(e.field.as_deref(), Some("condition"));
    assert_eq!(e.what(), "condition is given twice");
    assert_eq!((e.line, e.column), (1, 46), "the end of the second key");
    let e = parse(r#"{"weight_kg":24,"weight_kg":240}"#).unwrap_err();
    assert_eq!(e.message, "weight_kg is given twice");
    // Null counts: the second key is still a second value.
    let e = parse(r#"{"weight_kg":24,"weight_kg":null}"#).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("weight_kg"));
    let e = parse(r#"{"a":1,"b":[0,{"c":{"d":1,"d":2}}]}"#).unwrap_err();
    assert_eq!(e.message, "b[1].c.d is given twice");
    assert_eq!(e.field.as_deref(), Some("b"));
    let e = parse(r#"[{"x":1,"x":1}]"#).unwrap_err();
    assert_eq!(e.message, "[0].x is given twice");
    assert_eq!(e.field, None);
    assert!(e.repeated);
    // Different keys that only look alike are different keys.
    assert!(parse(r#"{"weight_kg":24,"Weight_kg":240}"#).is_ok());
}

#[test]
fn a_strange_repeated_key_is_quoted() {
    let e = parse(r#"{"error: x\n":1,"error: x\n":2}"#).unwrap_err();
    assert_eq!(e.message, r#""error: x\n" is given twice"#);
    let long = "k".repeat(5000);
    let e = parse(&format!(r#"{{"{long}":1,"{long}":2}}"#)).unwrap_err();
    assert!(e.message.len() < 120, "{}", e.message);
    assert!(e.field.unwrap().len() < 100);
}

#[test]
fn syntax_errors_keep_their_position_apart() {
    let e = parse("{\n  \"a\": }").unwrap_err();
    assert_eq!(e.message, "expected value");
    assert_eq!(e.what(), "not JSON: expected value");
    assert!(!e.repeated);
    assert_eq!((e.line, e.column), (2, 8));
    let e = parse("{} x").unwrap_err();
    assert_eq!(e.message, "trailing characters");
    let e = parse(&"[".repeat(1000)).unwrap_err();
    assert_eq!(e.message, "recursion limit exceeded");
}
