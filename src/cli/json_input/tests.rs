//! Unit tests of `json_input.rs`.

use super::*;
use serde_json::json;

#[test]
fn a_start_request_reads_like_the_flags() {
    let f = Fields::new();
    let r = f
            .request(json!({"indication": "turner", "weight_kg": 24, "condition": ["scoliosis"], "pubertal": true}), Some("start"))
            .unwrap();
    let Request::Start(a) = r.request else {
        panic!("start expected")
    };
    assert_eq!(a.indication.as_deref(), Some("turner"));
    assert_eq!(a.patient.body.weight_kg, Some(24.0));
    assert!(a.patient.pubertal);
    assert_eq!(a.patient.condition.len(), 1);
}

#[test]
fn bad_requests_name_the_field() {
    let f = Fields::new();
    let err = |v: Value, c: Option<&str>| f.request(v, c).unwrap_err().message;
    assert_eq!(
        f.request(
            json!({"indication": "ghd", "weight_kg": "24"}),
            Some("start")
        )
        .unwrap_err()
        .field
        .as_deref(),
        Some("weight_kg")
    );
    assert!(
        err(json!({"indication": "ghd", "wieght_kg": 24}), Some("start"))
            .contains("unknown field 'wieght_kg'")
    );
    assert!(
        err(
            json!({"indication": "ghd", "weight_kg": "24"}),
            Some("start")
        )
        .contains("weight_kg: invalid type: string")
    );
    assert!(
        err(
            json!({"indication": "ghd", "weight_kg": 24, "weight_lb": 50}),
            Some("start")
        )
        .contains("cannot be used with")
    );
    assert!(err(json!({"weight_kg": 24}), Some("start")).contains("indication is required"));
    assert!(err(json!({"indication": "ghd"}), None).contains("command is required"));
    assert!(err(json!({"command": "stop", "indication": "ghd"}), None).contains("is not one of"));
    assert!(err(json!([1, 2]), Some("start")).contains("JSON object"));
    assert!(
        err(json!({"indication": "ghd", "sex": "f"}), Some("start"))
            .contains("sex: 'f': expected one of: female, male")
    );
    assert!(
        err(
            json!({"indication": "ghd", "as_of": "2026-13-01"}),
            Some("start")
        )
        .starts_with("as_of:")
    );
}

#[test]
fn output_and_table_options_are_not_request_fields() {
    let f = Fields::new();
    for key in ["format", "rules", "input", "color", "products"] {
        let e = f
            .request(json!({"indication": "ghd", key: "x"}), Some("start"))
            .unwrap_err();
        assert!(e.message.contains("unknown field"), "{key}: {}", e.message);
    }
    assert!(
        f.request(
            json!({"indication": "ghd", "supply_days": 28}),
            Some("titrate")
        )
        .is_ok()
    );
    let e = f
        .request(
            json!({"indication": "ghd", "switching_from_daily": true}),
            Some("titrate"),
        )
        .unwrap_err();
    assert!(e.message.contains("unknown field 'switching_from_daily'"));
    // A null value does not hide an unknown field; a known one may be null.
    let e = f
        .request(json!({"indication": "ghd", "foo": null}), Some("start"))
        .unwrap_err();
    assert!(
        e.message.contains("unknown field 'foo' for start"),
        "{}",
        e.message
    );
    assert!(
        f.request(json!({"indication": "ghd", "bmi": null}), Some("start"))
            .is_ok()
    );
}

#[test]
fn growth_reads_exactly_its_flags_and_the_body_is_shared() {
    let f = Fields::new();
    let mut growth: Vec<&str> = f.growth.names.iter().map(String::as_str).collect();
    growth.sort_unstable();
    assert_eq!(
        growth,
        [
            "age_years",
            "birth_date",
            "bmi",
            "father_height_cm",
            "height_cm",
            "height_in",
            "indication",
            "mother_height_cm",
            "previous_height_cm",
            "previous_height_date",
            "reference",
            "sex",
            "weight_kg",
            "weight_lb",
        ]
    );
    let body = [
        "weight_kg",
        "weight_lb",
        "height_cm",
        "height_in",
        "age_years",
        "birth_date",
        "sex",
        "bmi",
    ];
    for name in body {
        assert!(f.start.names.contains(name), "start: {name}");
        assert!(f.titrate.names.contains(name), "titrate: {name}");
    }
    let r = f
        .request(
            json!({"sex": "female", "age_years": 8, "height_in": 50, "bmi": 16}),
            Some("growth"),
        )
        .unwrap();
    let Request::Growth(a) = r.request else {
        panic!("growth expected")
    };
    assert_eq!(a.body.height_in, Some(50.0));
    assert_eq!(a.body.bmi, Some(16.0));
    assert_eq!(a.body.sex, Some(crate::vocab::Sex::Female));
}

#[test]
fn csv_cells_become_typed_values() {
    let h = csv::StringRecord::from(vec![
        "command",
        "indication",
        "weight_kg",
        "pubertal",
        "condition",
        "sex",
    ]);
    let r = csv::StringRecord::from(vec![
        "start",
        "sga",
        "18.5",
        "true",
        "scoliosis; malignancy-history",
        "",
    ]);
    assert_eq!(
        csv_row(&h, &r),
        json!({"command": "start", "indication": "sga", "weight_kg": 18.5, "pubertal": true, "condition": ["scoliosis", "malignancy-history"]})
    );
}

#[test]
fn whole_numbers_in_csv_are_integers() {
    let h = csv::StringRecord::from(vec![
        "supply_days",
        "injections_per_week",
        "weight_kg",
        "age_years",
    ]);
    let r = csv::StringRecord::from(vec!["28", " 7 ", "24.0", "1e1"]);
    let v = csv_row(&h, &r);
    assert_eq!(
        v,
        json!({"supply_days": 28, "injections_per_week": 7, "weight_kg": 24.0, "age_years": 10.0})
    );
    assert!(v["supply_days"].is_u64());
    assert!(v["weight_kg"].is_f64());
    // And they reach the request as the command line would read them.
    let r = csv::StringRecord::from(vec!["28", "6", "24", "9"]);
    let mut obj = csv_row(&h, &r);
    obj["indication"] = json!("ghd");
    obj["product"] = json!("norditropin");
    let req = Fields::new().request(obj, Some("start")).unwrap();
    let Request::Start(a) = req.request else {
        panic!("start expected")
    };
    assert_eq!(a.patient.body.weight_kg, Some(24.0));
    assert_eq!(a.supply_days, Some(28));
    assert_eq!(a.injections_per_week, Some(6));
}
