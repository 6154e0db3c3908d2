//! Unit tests of `departures.rs`.

use super::*;
use crate::rules::BUILT_IN;
use crate::rules::products::BUILT_IN_PRODUCTS;

fn reference() -> RuleSet {
    RuleSet::built_in().unwrap()
}

/// The departures of the built-in rule file with each `(from, to)` edit.
fn rules_with(edits: &[(&str, &str)]) -> Vec<String> {
    let mut text = format!("{BUILT_IN}\n# a clinic's copy\n");
    for (from, to) in edits {
        assert!(text.contains(from), "fixture not found: {from}");
        text = text.replacen(from, to, 1);
    }
    RuleSet::parse(&text, "clinic.toml").unwrap().outside_label
}

fn products_with(edits: &[(&str, &str)]) -> Vec<String> {
    let mut text = format!("{BUILT_IN_PRODUCTS}\n# a clinic's formulary\n");
    for (from, to) in edits {
        assert!(text.contains(from), "fixture not found: {from}");
        text = text.replacen(from, to, 1);
    }
    let r = reference();
    ProductSet::parse(&text, "formulary.toml", &r)
        .unwrap()
        .outside_label
}

#[test]
fn the_built_in_tables_are_the_reference_and_depart_from_nothing() {
    let r = reference();
    assert!(rules(&r, &r).is_empty());
    let p = r.products.as_ref().unwrap();
    assert!(products(p, p).is_empty());
    assert!(r.outside_label().next().is_none());
    // A copy that differs only in a comment is compared, and is clean.
    assert!(rules_with(&[]).is_empty());
    assert!(products_with(&[]).is_empty());
}

#[test]
fn a_ceiling_above_the_label_is_named_by_row() {
    let rows = rules_with(&[
        (
            "mg_per_kg_week = { min = 0.33, max = 0.45 }",
            "mg_per_kg_week = { min = 0.33, max = 1.5 }",
        ),
        (
            "ceiling_mg_per_kg_week = 0.47\nceiling_note = \"Norditropin",
            "ceiling_mg_per_kg_week = 1.5\nceiling_note = \"Norditropin",
        ),
    ]);
    assert_eq!(
        rows,
        [
            "turner: mg_per_kg_week.max 1.5 mg/kg/week is above the built-in ceiling 0.47 mg/kg/week",
            "turner: ceiling_mg_per_kg_week 1.5 mg/kg/week is above the built-in ceiling 0.47 mg/kg/week",
        ]
    );
    // GHD: a routine range up to the pubertal ceiling is beyond the
    // prepubertal one, even without a prepubertal key.
    let rows = rules_with(&[
        (
            "mg_per_kg_week = { min = 0.16, max = 0.24 }",
            "mg_per_kg_week = { min = 0.16, max = 0.7 }",
        ),
        ("ceiling_prepubertal_mg_per_kg_week = 0.3\n", ""),
    ]);
    assert!(
        rows.iter()
            .any(|r| r.starts_with("ghd: mg_per_kg_week.max 0.7")),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.starts_with("ghd: the prepubertal ceiling 0.7")),
        "{rows:?}"
    );
}

#[test]
fn caps_switches_symptom_rules_and_severities_are_compared() {
    let rows = rules_with(&[
        (
            "cap_without_weight_mg_per_day = 1.33",
            "cap_without_weight_mg_per_day = 10.0",
        ),
        (
            "{ age_years_at_most = 35.0, mg_per_kg_day = 0.025 }",
            "{ age_years_at_most = 35.0, mg_per_kg_day = 0.05 }",
        ),
        ("pws_checks = true\n", ""),
        (
            "daily_cap = { mg_per_day = 2.7,",
            "daily_cap = { mg_per_day = 5.0,",
        ),
        (
            "symptom_rules = [\n  { symptom = \"snoring\"",
            "symptom_rules = [\n  { symptom = \"edema\"",
        ),
        (
            "mg_per_day = { min = 0.2, max = 0.5 }",
            "mg_per_day = { min = 0.2, max = 1.0 }",
        ),
        (
            "ceiling_sds = 2.0\n# Below this",
            "ceiling_sds = 3.0\n# Below this",
        ),
        (
            "[flags.DOSE_CAPPED]\nseverity = \"warning\"",
            "[flags.DOSE_CAPPED]\nseverity = \"info\"",
        ),
    ]);
    let want = [
        "pws: daily_cap 5 mg/day (EU) where the built-in tables cap EU at 2.7 mg/day",
        "pws: pws_checks is off (on in the built-in tables)",
        "pws: the symptom rule snoring -> PWS_AIRWAY_SYMPTOMS of the built-in tables is missing",
        "transition group transition: mg_per_day.max 1 mg/day is above the built-in 0.5 mg/day",
        "titration.adult_daily.cap_mg_per_kg_day at 35 years: 0.05 mg/kg/day is above the built-in 0.025 mg/kg/day",
        "titration.adult_daily.cap_without_weight_mg_per_day 10 mg/day is above the built-in 1.33 mg/day",
        "titration.adult_daily.ceiling_sds 3 is above the built-in IGF-1 ceiling 2 SDS",
        "flag DOSE_CAPPED: severity info where the built-in tables say warning",
    ];
    assert_eq!(rows, want);
}

#[test]
fn an_indication_the_built_in_tables_lack_is_listed() {
    let rows = rules_with(&[("id = \"shox\"", "id = \"achondroplasia\"")]);
    assert_eq!(
        rows,
        ["indication achondroplasia: not in the built-in tables (no labelled limits to compare)"]
    );
}

#[test]
fn product_labels_are_compared_with_the_built_in_product_table() {
    let rows = products_with(&[
        ("max_mg_per_week = 8.0", "max_mg_per_week = 12.0"),
        (
            "blocked_conditions = [ { condition = \"hepatic-impairment-severe\", flag = \"SEVERE_HEPATIC_IMPAIRMENT\" } ]\n",
            "",
        ),
        (
            "mg_per_kg_week = { min = 0.16, max = 0.16 }, min_age_years = 2.5,",
            "mg_per_kg_week = { min = 0.16, max = 0.2 },",
        ),
        (
            "{ indication = \"turner\", region = \"US\", mg_per_kg_week = { min = 0.33, max = 0.33 }, sources = [\"genotropin-us-pi\"], grade = \"L\" },",
            "{ indication = \"turner\", region = \"US\", mg_per_kg_week = { min = 0.33, max = 0.33 }, sources = [\"genotropin-us-pi\"], grade = \"L\" },\n  { indication = \"noonan\", region = \"US\", mg_per_kg_week = { max = 0.46 }, sources = [\"genotropin-us-pi\"], grade = \"L\" },",
        ),
    ]);
    let want = [
        "product genotropin label noonan US: not in the built-in product table",
        "product sogroya label ghd US: labelled from any age where the built-in table says 2.5 years",
        "product sogroya label ghd US: max 0.2 mg/kg/week is above the built-in 0.16 mg/kg/week",
        "product sogroya label ghd US: pubertal max 0.2 mg/kg/week is above the built-in 0.16 mg/kg/week",
        "product sogroya label adult-ghd US: max_mg_per_week 12 mg/week is above the built-in 8 mg/week",
        "product sogroya label transition US: max_mg_per_week 12 mg/week is above the built-in 8 mg/week",
        "product sogroya: the blocked condition hepatic-impairment-severe -> SEVERE_HEPATIC_IMPAIRMENT of the built-in table is missing",
    ];
    assert_eq!(rows, want);
}

#[test]
fn an_adult_weight_based_maximum_raised_or_removed_is_a_departure() {
    let rows = products_with(&[
        (
            "max_mg_per_kg_week = 0.112, sources = [\"norditropin-us-pi\"",
            "max_mg_per_kg_week = 0.2, sources = [\"norditropin-us-pi\"",
        ),
        (
            "{ indication = \"transition\", region = \"US\", mg_per_day = { min = 0.15, max = 0.3 }, max_mg_per_kg_week = 0.08, sources = [\"genotropin-us-pi\"",
            "{ indication = \"transition\", region = \"US\", mg_per_day = { min = 0.15, max = 0.3 }, sources = [\"genotropin-us-pi\"",
        ),
    ]);
    assert_eq!(
        rows,
        [
            "product genotropin label transition US: the weight-based maximum is above the built-in 0.08 mg/kg/week (or missing)",
            "product norditropin label adult-ghd US: the weight-based maximum is above the built-in 0.112 mg/kg/week (or missing)",
        ]
    );
}
