//! The JSON contract (cli-contract.md, schema_version 1): outputs deserialize
//! into strict structs that reject unknown and missing fields, so any change
//! to the field set is deliberate.

#![allow(dead_code)]

use super::json;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    schema_version: u32,
    gh_dose_version: String,
    command: String,
    as_of: String,
    rules: Rules,
    patient: Patient,
    indication: Indication,
    product: Option<Product>,
    recommendation: Recommendation,
    flags: Vec<Flag>,
    rationale: Vec<String>,
    sources: Vec<Source>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Rules {
    source: String,
    version: String,
    sha256: String,
    products: Option<Table>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    source: String,
    version: String,
    sha256: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Product {
    id: String,
    name: String,
    molecule: String,
    schedule: String,
    region: String,
    labelled: bool,
}

/// Every key present (null when not given): `Option` fields still must appear.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Patient {
    weight_kg: Option<f64>,
    weight_input: Option<String>,
    height_cm: Option<f64>,
    height_input: Option<String>,
    age_years: Option<f64>,
    birth_date: Option<String>,
    sex: Option<String>,
    height_sds: Option<f64>,
    height_sds_source: Option<String>,
    pubertal: bool,
    bmi: Option<f64>,
    bmi_source: Option<String>,
    bmi_sds: Option<f64>,
    bsa_m2: Option<f64>,
    oral_estrogen: bool,
    diabetes: bool,
    obesity: bool,
    switching_from_daily: bool,
    conditions: Vec<String>,
    symptoms: Vec<String>,
    /// Measurements confirmed as real with --confirm (issue 18).
    confirmed: Vec<String>,
    igf1_sds: Option<f64>,
    igf1_ng_ml: Option<f64>,
    igf1_input: Option<String>,
    igf1_reference: Option<String>,
    igf1_sds_method: Option<String>,
    height_velocity_cm_per_year: Option<f64>,
    previous_weight_kg: Option<f64>,
    previous_weight_date: Option<String>,
    previous_height_cm: Option<f64>,
    previous_height_date: Option<String>,
    igf1_date: Option<String>,
    last_dose_change: Option<String>,
    last_injection: Option<String>,
    treatment_start: Option<String>,
    pretreatment_hv_cm_per_year: Option<f64>,
    bone_age_years: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Indication {
    id: String,
    name: String,
    population: String,
    group: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Recommendation {
    action: String,
    dose: Option<Dose>,
    range: Range,
    change: Option<Change>,
    next_review: Option<Review>,
    label_range: Option<LabelRange>,
    supply: Option<Supply>,
    current_dose: Option<CurrentDose>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CurrentDose {
    mg_per_week: f64,
    mg_per_injection: f64,
    injections_per_week: u8,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Change {
    from_mg_per_week: f64,
    to_mg_per_week: f64,
    percent: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LabelRange {
    region: String,
    mg_per_kg_per_week: Option<MinMax>,
    mg_per_day: Option<MinMax>,
    mg_per_week: Option<MinMax>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Supply {
    days: u32,
    injections: u32,
    device: String,
    doses_per_device: u32,
    devices: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Deliverable {
    mg_per_injection: f64,
    mg_per_week: f64,
    mg_per_kg_per_week: Option<f64>,
    device: String,
    device_name: String,
    increment_mg: Option<f64>,
    injections_per_dose: u8,
    volume_ml: Option<f64>,
    difference_mg_per_week: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Dose {
    mg_per_week: f64,
    mg_per_kg_per_week: Option<f64>,
    injections_per_week: u8,
    mg_per_injection: f64,
    iu_per_injection: Option<f64>,
    deliverable: Option<Deliverable>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MinMax {
    min: Option<f64>,
    max: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Range {
    mg_per_kg_per_week: Option<MinMax>,
    mg_per_week: Option<MinMax>,
    mg_per_injection: Option<MinMax>,
    mg_per_day: Option<MinMax>,
    basis: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Review {
    earliest: String,
    latest: String,
    what: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Flag {
    code: String,
    severity: String,
    message: String,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Source {
    id: String,
    citation: String,
    url: Option<String>,
    grade: String,
}

fn document(args: &[&str]) -> (i32, Document, serde_json::Value) {
    let (code, v) = json(args);
    let doc: Document =
        serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("contract broken: {e}\n{v:#}"));
    (code, doc, v)
}

/// Keys that must be present even when null.
fn assert_keys(v: &serde_json::Value, keys: &[&str]) {
    let obj = v.as_object().unwrap();
    for k in keys {
        assert!(obj.contains_key(*k), "missing key {k} in {v}");
    }
}

#[test]
fn turner_24_kg_is_the_contract_example() {
    let (code, d, v) = document(&["start", "--indication", "turner", "--weight-kg", "24"]);
    assert_eq!(code, 0);
    assert_eq!(d.schema_version, 1);
    assert_eq!(d.gh_dose_version, env!("CARGO_PKG_VERSION"));
    assert_eq!(d.command, "start");
    assert_eq!(d.as_of, "2026-11-22");
    assert_eq!(d.rules.source, "built-in");
    assert_eq!(d.rules.version, "2026.11");
    assert_eq!(d.indication.id, "turner");
    assert_eq!(d.indication.name, "Turner syndrome");
    assert_eq!(d.indication.population, "pediatric");
    assert!(d.product.is_none());
    let r = &d.recommendation;
    assert_eq!(r.action, "start");
    let dose = r.dose.as_ref().unwrap();
    assert_eq!(dose.mg_per_week, 7.92);
    assert_eq!(dose.mg_per_kg_per_week, Some(0.33));
    assert_eq!(dose.injections_per_week, 7);
    assert_eq!(dose.mg_per_injection, 1.131);
    assert_eq!(dose.iu_per_injection, Some(3.394));
    assert!(dose.deliverable.is_none());
    let k = r.range.mg_per_kg_per_week.as_ref().unwrap();
    assert_eq!((k.min, k.max), (Some(0.33), 0.45));
    let w = r.range.mg_per_week.as_ref().unwrap();
    assert_eq!((w.min, w.max), (Some(7.92), 10.8));
    let i = r.range.mg_per_injection.as_ref().unwrap();
    assert_eq!((i.min, i.max), (Some(1.131), 1.543));
    assert!(r.range.mg_per_day.is_none());
    assert!(r.change.is_none());
    let review = r.next_review.as_ref().unwrap();
    assert_eq!(
        (review.earliest.as_str(), review.latest.as_str()),
        ("2027-02-22", "2027-05-22")
    );
    assert_eq!(review.what, ["height", "weight", "IGF-1"]);
    assert!(
        d.flags
            .iter()
            .any(|f| f.code == "GLUCOSE_MONITORING" && f.severity == "warning")
    );
    assert_eq!(d.rationale[1], "0.33 mg/kg/week x 24 kg = 7.92 mg/week");
    assert_eq!(d.rationale[2], "7.92 mg / 7 injections = 1.131 mg");
    assert_eq!(d.patient.weight_kg, Some(24.0));
    // Null, never absent.
    assert_keys(&v, &["product"]);
    assert_keys(
        &v["recommendation"],
        &["dose", "range", "change", "next_review"],
    );
    assert_keys(
        &v["recommendation"]["dose"],
        &["deliverable", "iu_per_injection"],
    );
    assert_keys(&v["recommendation"]["range"], &["mg_per_day"]);
    assert_keys(&v["patient"], &["weight_input", "age_years", "sex", "bmi"]);
}

#[test]
fn every_flag_and_source_is_resolvable() {
    let (_, d, _) = document(&[
        "start",
        "--indication",
        "pws",
        "--weight-kg",
        "120",
        "--age-years",
        "19",
        "--condition",
        "malignancy-history",
        "--diabetes",
        "--region",
        "eu",
        "--product",
        "genotropin",
    ]);
    let ids: Vec<&str> = d.sources.iter().map(|s| s.id.as_str()).collect();
    for f in &d.flags {
        assert!(
            ids.contains(&f.source.as_str()),
            "flag {} cites {} which is not listed",
            f.code,
            f.source
        );
        assert!(!f.message.is_empty());
        assert!(["info", "warning", "block"].contains(&f.severity.as_str()));
    }
    let codes: Vec<&str> = d.flags.iter().map(|f| f.code.as_str()).collect();
    assert!(codes.contains(&"PWS_EU_DAILY_CAP"), "{codes:?}");
    assert!(codes.contains(&"DOSE_CAPPED"), "{codes:?}");
    assert!(codes.contains(&"AGE_INDICATION_MISMATCH"), "{codes:?}");
    let sources: BTreeMap<&str, &str> = d
        .sources
        .iter()
        .map(|s| (s.id.as_str(), s.citation.as_str()))
        .collect();
    assert!(sources["omnitrope-eu-smpc-4.2"].contains("2.7 mg"));
}

#[test]
fn adult_output_is_per_day_with_null_intensity() {
    let (code, d, v) = document(&[
        "start",
        "--indication",
        "adult-ghd",
        "--age-years",
        "45",
        "--sex",
        "male",
    ]);
    assert_eq!(code, 0);
    let dose = d.recommendation.dose.as_ref().unwrap();
    assert_eq!(dose.mg_per_injection, 0.2);
    assert_eq!(dose.mg_per_week, 1.4);
    assert!(dose.mg_per_kg_per_week.is_none());
    assert!(v["recommendation"]["dose"]["mg_per_kg_per_week"].is_null());
    let day = d.recommendation.range.mg_per_day.as_ref().unwrap();
    assert_eq!((day.min, day.max), (Some(0.1), 0.3));
    assert!(d.recommendation.range.mg_per_kg_per_week.is_none());
    assert_eq!(d.indication.group.as_deref(), Some("standard"));
    assert_eq!(d.patient.sex.as_deref(), Some("male"));
    let review = d.recommendation.next_review.as_ref().unwrap();
    assert_eq!(
        (review.earliest.as_str(), review.latest.as_str()),
        ("2026-12-20", "2027-01-17")
    );
}

#[test]
fn converted_inputs_are_echoed_with_their_original() {
    let (_, d, _) = document(&[
        "start",
        "--indication",
        "ghd",
        "--weight-lb",
        "52.91",
        "--height-in",
        "50",
        "--birth-date",
        "2018-05-22",
    ]);
    assert_eq!(d.patient.weight_kg, Some(24.0));
    assert_eq!(d.patient.weight_input.as_deref(), Some("52.91 lb"));
    assert_eq!(d.patient.height_cm, Some(127.0));
    assert_eq!(d.patient.height_input.as_deref(), Some("50 in"));
    assert_eq!(d.patient.birth_date.as_deref(), Some("2018-05-22"));
    // 3106 days / 365.25
    assert_eq!(d.patient.age_years, Some(8.5));
    assert_eq!(d.patient.bmi_source.as_deref(), Some("computed"));
}

#[test]
fn withheld_output_is_complete() {
    let (code, d, v) = document(&[
        "start",
        "--indication",
        "pws",
        "--weight-kg",
        "30",
        "--condition",
        "pws-sleep-apnea",
    ]);
    assert_eq!(code, 4);
    assert_eq!(d.recommendation.action, "withhold");
    assert!(v["recommendation"]["dose"].is_null());
    assert!(d.recommendation.next_review.is_none());
    assert!(
        d.rationale
            .iter()
            .any(|r| r == "dose withheld: PWS_CONTRAINDICATION")
    );
    assert_eq!(d.patient.conditions, ["pws-sleep-apnea"]);
}

#[test]
fn rules_hash_is_the_sha256_of_the_file() {
    use sha2::Digest;
    let (_, d, _) = document(&["start", "--indication", "ghd", "--weight-kg", "20"]);
    let bytes = include_bytes!("../../data/indications.toml");
    let hex: String = sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(d.rules.sha256, hex);
}

#[test]
fn norditropin_turner_is_deliverable_inside_the_range() {
    let (code, d, _) = document(&[
        "start",
        "--indication",
        "turner",
        "--product",
        "norditropin",
        "--weight-kg",
        "24",
        "--supply-days",
        "28",
    ]);
    assert_eq!(code, 0);
    let p = d.product.as_ref().unwrap();
    assert_eq!(
        (
            p.id.as_str(),
            p.molecule.as_str(),
            p.schedule.as_str(),
            p.region.as_str(),
            p.labelled
        ),
        ("norditropin", "somatropin", "daily", "US", true)
    );
    let dose = d.recommendation.dose.as_ref().unwrap();
    assert_eq!(dose.mg_per_injection, 1.131);
    let dl = dose.deliverable.as_ref().unwrap();
    // FlexPro 5 and 10 both give 1.15 mg and discard 0.1 mg a dose: the
    // larger pen is changed half as often.
    assert_eq!(dl.device, "flexpro-10");
    assert_eq!(dl.increment_mg, Some(0.05));
    assert_eq!(dl.mg_per_injection, 1.15);
    assert_eq!(dl.mg_per_week, 8.05);
    // 8.05 / 24 = 0.3354: rounded up into the range, not down below 0.33.
    assert_eq!(dl.mg_per_kg_per_week, Some(0.335));
    assert_eq!(dl.injections_per_dose, 1);
    assert_eq!(dl.volume_ml, Some(0.173));
    assert_eq!(dl.difference_mg_per_week, 0.13);
    let label = d.recommendation.label_range.as_ref().unwrap();
    assert_eq!(label.region, "US");
    let k = label.mg_per_kg_per_week.as_ref().unwrap();
    assert_eq!((k.min, k.max), (None, 0.47));
    let s = d.recommendation.supply.as_ref().unwrap();
    assert_eq!(
        (
            s.days,
            s.injections,
            s.device.as_str(),
            s.doses_per_device,
            s.devices
        ),
        (28, 28, "flexpro-10", 8, 4)
    );
}

#[test]
fn titrate_output_follows_the_contract() {
    let (code, d, v) = document(&[
        "titrate",
        "--indication",
        "adult-ghd",
        "--age-years",
        "45",
        "--current-mg-per-day",
        "0.3",
        "--igf1-sds",
        "-1.5",
        "--igf1-date",
        "2026-11-22",
        "--last-dose-change",
        "2026-10-11",
    ]);
    assert_eq!(code, 0);
    assert_eq!(d.command, "titrate");
    assert_eq!(d.recommendation.action, "increase");
    let c = d.recommendation.change.as_ref().unwrap();
    assert_eq!(
        (c.from_mg_per_week, c.to_mg_per_week, c.percent),
        (2.1, 3.5, 66.7)
    );
    assert_eq!(d.patient.igf1_sds, Some(-1.5));
    assert_eq!(d.patient.igf1_sds_method.as_deref(), Some("reported"));
    assert_eq!(d.patient.igf1_date.as_deref(), Some("2026-11-22"));
    assert_eq!(d.patient.last_dose_change.as_deref(), Some("2026-10-11"));
    assert!(d.patient.height_velocity_cm_per_year.is_none());
    assert_keys(
        &v["patient"],
        &["igf1_sds", "igf1_sds_method", "height_velocity_cm_per_year"],
    );
    // A recheck has no dose.
    let (_, d, v) = document(&[
        "titrate",
        "--indication",
        "adult-ghd",
        "--age-years",
        "45",
        "--current-mg-per-day",
        "0.3",
        "--igf1-sds",
        "-0.5",
        "--igf1-date",
        "2026-11-22",
        "--last-dose-change",
        "2026-11-18",
    ]);
    assert_eq!(d.recommendation.action, "recheck");
    assert!(v["recommendation"]["dose"].is_null());
    assert!(d.recommendation.change.is_none());
}
