//! Growth references in start and titrate: the height SDS computed from the
//! height drives the SGA start, a typed one that disagrees is flagged, BMI
//! SDS gives the Prader-Willi obesity warning, measurements are judged by
//! their SDS, and the first-year response is a change in height SDS.

use super::{codes, fails, json, titrate};

#[test]
fn the_computed_height_sds_drives_the_sga_start() {
    // 100 cm at 6 years (boy) is about -3.8 SDS on CDC: the upper start, 0.47.
    let (code, v) = json(&[
        "start",
        "--indication",
        "sga",
        "--weight-kg",
        "15",
        "--sex",
        "male",
        "--age-years",
        "6",
        "--height-cm",
        "100",
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["recommendation"]["dose"]["mg_per_kg_per_week"], 0.47);
    assert_eq!(v["patient"]["height_sds_source"], "cdc2000-height");
    // Scoring the height cites no growth table row (the reference is named
    // in the rationale); target-height sources have no place here.
    assert!(
        !v["sources"].to_string().contains("tanner-1970"),
        "{}",
        v["sources"]
    );
    assert!(v["patient"]["height_sds"].as_f64().unwrap() < -3.0);
    // 108 cm is -1.46 SDS: a typed -3.2 is flagged and not used.
    let (_, v) = json(&[
        "start",
        "--indication",
        "sga",
        "--weight-kg",
        "15",
        "--sex",
        "male",
        "--age-years",
        "6",
        "--height-cm",
        "108",
        "--height-sds",
        "-3.2",
    ]);
    assert_eq!(v["recommendation"]["dose"]["mg_per_kg_per_week"], 0.23);
    assert_eq!(v["patient"]["height_sds"], -1.4609);
    assert!(codes(&v).contains(&"HEIGHT_SDS_MISMATCH".to_string()));
    assert!(v["sources"].to_string().contains("rcpch-growth-limits"));
    // Without a height the typed SDS is used, and said to be given.
    let (_, v) = json(&[
        "start",
        "--indication",
        "sga",
        "--weight-kg",
        "15",
        "--height-sds",
        "-3.2",
    ]);
    assert_eq!(v["recommendation"]["dose"]["mg_per_kg_per_week"], 0.47);
    assert_eq!(v["patient"]["height_sds_source"], "given");
    assert!(!codes(&v).contains(&"HEIGHT_SDS_MISMATCH".to_string()));
}

#[test]
fn bmi_sds_gives_the_prader_willi_obesity_warning_and_severe_obesity_withholds() {
    // 40 kg, 125 cm: BMI 25.6 at 8 years (girl) is SDS 2.34, 124 % of the
    // 95th centile: severe obesity, a contraindication in Prader-Willi syndrome.
    let (code, v) = json(&[
        "start",
        "--indication",
        "pws",
        "--weight-kg",
        "40",
        "--sex",
        "female",
        "--age-years",
        "8",
        "--height-cm",
        "125",
    ]);
    assert_eq!(code, 4);
    assert_eq!(v["recommendation"]["action"], "withhold");
    assert!(codes(&v).contains(&"PWS_CONTRAINDICATION".to_string()));
    assert_eq!(v["patient"]["bmi_sds"], 2.3418);
    let c = codes(&v);
    assert!(
        c.contains(&"PWS_OBESITY".to_string()) && c.contains(&"GLUCOSE_MONITORING".to_string()),
        "{c:?}"
    );
    let why = v["rationale"].to_string();
    assert!(
        why.contains("124 % of the 95th centile") && why.contains("severe obesity"),
        "{why}"
    );
    // 32 kg (BMI 20.5, below the 95th centile): no obesity warning.
    let (_, v) = json(&[
        "start",
        "--indication",
        "pws",
        "--weight-kg",
        "32",
        "--sex",
        "female",
        "--age-years",
        "8",
        "--height-cm",
        "125",
    ]);
    assert!(!codes(&v).contains(&"PWS_OBESITY".to_string()));
}

#[test]
fn measurements_are_judged_by_their_sds() {
    let (code, err) = fails(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "20",
        "--sex",
        "male",
        "--age-years",
        "5",
        "--height-cm",
        "180",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: --height-cm 180 cm is a height of 16.5 SDS"),
        "{err}"
    );
    // 60 kg at 5 years: +5.4 SDS, flagged, not refused.
    let (code, v) = json(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "42",
        "--sex",
        "male",
        "--age-years",
        "5",
        // Beyond +4 SDS, below the CDC modified z +8 (44.1 kg at 5 years).
    ]);
    assert_eq!(code, 0);
    assert!(codes(&v).contains(&"UNUSUAL_INPUT".to_string()));
    assert!(
        v["rationale"]
            .to_string()
            .contains("weight 42 kg is 4.34 SDS at 5 years on cdc2000-weight (beyond +/-4)"),
        "{}",
        v["rationale"]
    );
}

#[test]
fn the_first_year_response_is_a_change_in_height_sds() {
    let visit = |cm: &str| {
        titrate(&[
            "--indication",
            "ghd",
            "--weight-kg",
            "28",
            "--sex",
            "male",
            "--age-years",
            "9",
            "--current-mg-per-week",
            "4.8",
            "--igf1-sds",
            "0",
            "--treatment-start",
            "2025-11-22",
            "--previous-height-cm",
            "120",
            "--previous-height-date",
            "2025-11-22",
            "--height-cm",
            cm,
        ])
        .1
    };
    // 120 -> 124.5 cm: height SDS -1.39 -> -1.49, a change of -0.1 < 0.3.
    let v = visit("124.5");
    assert!(codes(&v).contains(&"POOR_GROWTH_RESPONSE".to_string()));
    assert!(
        v["rationale"].to_string().contains("-1.39 -> -1.49 = -0.1"),
        "{}",
        v["rationale"]
    );
    // 120 -> 128.5 cm: +0.57.
    let v = visit("128.5");
    assert!(!codes(&v).contains(&"POOR_GROWTH_RESPONSE".to_string()));
    assert!(
        v["rationale"].to_string().contains("= 0.57 over 1 years"),
        "{}",
        v["rationale"]
    );
}

#[test]
fn a_protocol_sets_its_own_response_threshold_per_indication() {
    let text = gh_dose::api::rules::BUILT_IN.replace(
        "poor_first_year_delta_hsds_by_indication = []",
        "poor_first_year_delta_hsds_by_indication = [{ indication = \"ghd\", below = 0.6 }]",
    );
    assert_ne!(text, gh_dose::api::rules::BUILT_IN);
    let path = std::env::temp_dir().join(format!("gh-dose-response-{}.toml", std::process::id()));
    std::fs::write(&path, text).unwrap();
    let (_, v) = titrate(&[
        "--indication",
        "ghd",
        "--weight-kg",
        "28",
        "--sex",
        "male",
        "--age-years",
        "9",
        "--current-mg-per-week",
        "4.8",
        "--igf1-sds",
        "0",
        "--treatment-start",
        "2025-11-22",
        "--previous-height-cm",
        "120",
        "--previous-height-date",
        "2025-11-22",
        "--height-cm",
        "128.5",
        "--rules",
        path.to_str().unwrap(),
    ]);
    std::fs::remove_file(&path).unwrap();
    // +0.57 is poor against this protocol's 0.6 for ghd (not the built-in 0.3).
    assert!(
        codes(&v).contains(&"POOR_GROWTH_RESPONSE".to_string()),
        "{}",
        v["rationale"]
    );
    assert!(
        v["rationale"].to_string().contains("(poor below 0.6)"),
        "{}",
        v["rationale"]
    );
}

/// A child's visit a year after the start, with the height at `baseline`.
fn first_year(ind: &str, sex: &str, baseline: &str, start: &str) -> serde_json::Value {
    titrate(&[
        "--indication",
        ind,
        "--weight-kg",
        "28",
        "--sex",
        sex,
        "--age-years",
        "9",
        "--current-mg-per-week",
        "6.7",
        "--igf1-sds",
        "0",
        "--treatment-start",
        start,
        "--previous-height-cm",
        "120",
        "--previous-height-date",
        baseline,
        "--height-cm",
        "124.5",
    ])
    .1
}

fn response_line(v: &serde_json::Value) -> Option<String> {
    v["rationale"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .find(|l| l.starts_with("first-year change in height SDS"))
}

#[test]
fn the_first_year_baseline_is_a_height_near_the_start_about_a_year_ago() {
    // 90 days from the start still counts as its height; 91 does not.
    assert!(response_line(&first_year("ghd", "male", "2025-11-22", "2026-02-20")).is_some());
    assert!(response_line(&first_year("ghd", "male", "2025-11-22", "2026-02-21")).is_none());
    // A start outside the first-year window (here 4 months ago): no first-year verdict.
    assert!(response_line(&first_year("ghd", "male", "2026-07-22", "2026-07-22")).is_none());
}

#[test]
fn a_turner_girl_is_judged_on_the_turner_reference() {
    // The same heights: on CDC (ghd girl) and on Turner (turner girl) the
    // SDS differ, and Turner's L = 1, S = 0.047 give the Turner figures.
    let cdc = response_line(&first_year("ghd", "female", "2025-11-22", "2025-11-22")).unwrap();
    let turner =
        response_line(&first_year("turner", "female", "2025-11-22", "2025-11-22")).unwrap();
    assert_ne!(cdc, turner);
    // Turner at 8 and 9 years: M 110.67 and 115.13 (L 1, S 0.047):
    // (120/110.67 - 1)/0.047 = 1.79; (124.5/115.13 - 1)/0.047 = 1.73.
    assert!(turner.contains("1.79 -> 1.73 = -0.06"), "{turner}");
    assert!(!cdc.contains("1.79"), "{cdc}");
}
