//! Hardening of rule files and numbers: every number of a rule or product
//! file inside its physical band (`nan`, `inf` and `1e300` refused at their
//! position, exit 3); a protocol beyond the built-in labels dosed with
//! RULES_OUTSIDE_LABEL and the rows named; a `block` never downgraded; every
//! numeric input refused outside its range on every route (exit 2, one line).

use super::{codes, fails, gh, json, titrate};
use std::io::Write;

const RULES: &str = include_str!("../../data/indications.toml");
const PRODUCTS: &str = include_str!("../../data/products.toml");

fn write(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    (line, col)
}

/// `base` with `from` replaced by `to`, and the position of `token` (the
/// bad number) inside the replacement.
fn edit(base: &str, from: &str, to: &str, token: &str) -> (String, (usize, usize)) {
    let at = base
        .find(from)
        .unwrap_or_else(|| panic!("fixture not found: {from}"));
    let text = base.replacen(from, to, 1);
    let within = to.find(token).unwrap();
    (text.clone(), line_col(&text, at + within))
}

/// `text as written | text with a bad number | the key's path | the bad
/// number`, for every family of numbers in the rule file (`\n` is a newline).
const RULE_CASES: &str = r#"
iu_per_mg = 3.0 | iu_per_mg = nan | conventions.iu_per_mg | nan
days_per_year = 365.25 | days_per_year = inf | conventions.days_per_year | inf
default_injections_per_week = 7 | default_injections_per_week = 9 | conventions.default_injections_per_week | 9
adult_age_years = 18.0 | adult_age_years = -inf | conventions.adult_age_years | -inf
adult_obesity_bmi_at_least = 30.0 | adult_obesity_bmi_at_least = nan | conventions.adult_obesity_bmi_at_least | nan
weight_kg = { min = 0.5, max = 250.0 } | weight_kg = { min = 0.5, max = 1e300 } | limits.weight_kg.max | 1e300
height_cm = { min = 20.0, max = 250.0 } | height_cm = { min = nan, max = 250.0 } | limits.height_cm.min | nan
age_years = { min = 0.0, max = 120.0 } | age_years = { min = 0.0, max = 1000.0 } | limits.age_years.max | 1000.0
bmi = { min = 8.0, max = 100.0 } | bmi = { min = 8.0, max = inf } | limits.bmi.max | inf
height_sds = { min = -10.0, max = 10.0 } | height_sds = { min = -11.0, max = 10.0 } | limits.height_sds.min | -11.0
igf1_sds = { min = -10.0, max = 10.0 } | igf1_sds = { min = -10.0, max = nan } | limits.igf1_sds.max | nan
igf1_ng_ml = { min = 1.0, max = 3000.0 } | igf1_ng_ml = { min = 1.0, max = 1e9 } | limits.igf1_ng_ml.max | 1e9
igf1_lambda = { min = -2.0, max = 2.0 } | igf1_lambda = { min = -2.0, max = nan } | limits.igf1_lambda.max | nan
dose_mg = { min = 0.0, max = 100.0 } | dose_mg = { min = 0.0, max = 1e300 } | limits.dose_mg.max | 1e300
current_adult_mg_per_day = { min = 0.05, max = 3.0 } | current_adult_mg_per_day = { min = 0.05, max = 21.0 } | limits.current_adult_mg_per_day.max | 21.0
current_child_mg_per_kg_week = { min = 0.02, max = 1.0 } | current_child_mg_per_kg_week = { min = 0.02, max = inf } | limits.current_child_mg_per_kg_week.max | inf
current_weekly_adult_mg_per_week = { min = 0.1, max = 16.0 } | current_weekly_adult_mg_per_week = { min = 0.1, max = 1e300 } | limits.current_weekly_adult_mg_per_week.max | 1e300
height_velocity_cm_per_year = { min = 0.0, max = 30.0 } | height_velocity_cm_per_year = { min = -1.0, max = 30.0 } | limits.height_velocity_cm_per_year.min | -1.0
supply_days = { min = 1.0, max = 366.0 } | supply_days = { min = 1.0, max = 1e6 } | limits.supply_days.max | 1e6
igf1_sds_beyond = 4.0 | igf1_sds_beyond = nan | plausibility.igf1_sds_beyond | nan
igf1_stale_days = 120 | igf1_stale_days = 100000 | plausibility.igf1_stale_days | 100000
weight_change_percent = 20.0 | weight_change_percent = 150.0 | plausibility.weight_change_percent | 150.0
dose_mismatch_factor = 2.0 | dose_mismatch_factor = inf | plausibility.dose_mismatch_factor | inf
{ age_below = 121.0, min_kg = 30.0, max_kg = 250.0 } | { age_below = 121.0, min_kg = 30.0, max_kg = inf } | plausibility.weight_for_age.max_kg | inf
{ age_below = 1.0, min_cm = 35.0, max_cm = 90.0 } | { age_below = nan, min_cm = 35.0, max_cm = 90.0 } | plausibility.height_for_age.age_below | nan
ng_per_ml_per_nmol_per_l = 7.649 | ng_per_ml_per_nmol_per_l = nan | igf1.ng_per_ml_per_nmol_per_l | nan
two_sd_quantile = 2.0 | two_sd_quantile = 1e300 | igf1.two_sd_quantile | 1e300
earliest = { months = 3 } | earliest = { months = 1000 } | reviews.earliest.months | 1000
latest = { weeks = 8 } | latest = { weeks = 100000 } | reviews.latest.weeks | 100000
earliest = { days = 7 } | earliest = { days = 0 } | reviews.earliest.days | 0
mg_per_kg_week = { min = 0.16, max = 0.24 } | mg_per_kg_week = { min = 0.16, max = 1e300 } | indications.mg_per_kg_week.max | 1e300
start_mg_per_kg_week = 0.33 | start_mg_per_kg_week = nan | indications.start_mg_per_kg_week | nan
ceiling_mg_per_kg_week = 0.7 | ceiling_mg_per_kg_week = 1000.0 | indications.ceiling_mg_per_kg_week | 1000.0
height_sds_below = -3.0 | height_sds_below = -inf | indications.start_overrides.height_sds_below | -inf
daily_cap = { mg_per_day = 2.7, | daily_cap = { mg_per_day = 1e300, | indications.daily_cap.mg_per_day | 1e300
when_any = { age_years_at_least = 60.0, | when_any = { age_years_at_least = inf, | indications.groups.when_any.age_years_at_least | inf
mg_per_day = { min = 0.1, max = 0.3 } | mg_per_day = { min = 0.1, max = 25.0 } | indications.groups.mg_per_day.max | 25.0
ceiling_sds = 2.0\n# Below this | ceiling_sds = nan\n# Below this | titration.adult_daily.ceiling_sds | nan
{ sds_below = -1.0, mg_per_day = 0.2 } | { sds_below = -1.0, mg_per_day = inf } | titration.adult_daily.step_up.mg_per_day | inf
older_age_years = 60.0 | older_age_years = 200.0 | titration.adult_daily.older_age_years | 200.0
{ mg_per_kg_day = 0.0125 } | { mg_per_kg_day = 1e300 } | titration.adult_daily.cap_mg_per_kg_day.mg_per_kg_day | 1e300
cap_without_weight_mg_per_day = 1.33 | cap_without_weight_mg_per_day = 1e300 | titration.adult_daily.cap_without_weight_mg_per_day | 1e300
min_weeks_between_increases = 4 | min_weeks_between_increases = 0 | titration.adult_daily.min_weeks_between_increases | 0
reduce_percent_above_ceiling = 15.0 | reduce_percent_above_ceiling = nan | titration.pediatric_daily.reduce_percent_above_ceiling | nan
near_final_height_cm_per_year = 2.0 | near_final_height_cm_per_year = inf | titration.pediatric_daily.near_final_height_cm_per_year | inf
first_year_window_years = { min = 0.75, max = 1.5 } | first_year_window_years = { min = 0.75, max = 1e300 } | titration.pediatric_daily.first_year_window_years.max | 1e300
"#;

/// The same for the product table.
const PRODUCT_CASES: &str = r#"
injections_per_week = [6, 7] | injections_per_week = [6, 8] | products.injections_per_week | 8
max_injections_per_dose = 2 | max_injections_per_dose = 9 | products.max_injections_per_dose | 9
igf1_sample_days = { min = 3, max = 4 } | igf1_sample_days = { min = 3, max = 40 } | products.igf1_sample_days.max | 40
{ sds_above = 4.0, steps = -3 } | { sds_above = nan, steps = -3 } | products.igf1_strength_steps.sds_above | nan
{ sds_above = 4.0, steps = -3 } | { sds_above = 4.0, steps = -300 } | products.igf1_strength_steps.steps | -300
mg_per_kg_day = { min = 0.025, max = 0.035 } | mg_per_kg_day = { min = 0.025, max = 1.0 } | products.labels.mg_per_kg_day.max | 1.0
mg_per_kg_week = { min = 0.16, max = 0.24 } | mg_per_kg_week = { min = 0.16, max = 1e300 } | products.labels.mg_per_kg_week.max | 1e300
min_age_years = 2.5 | min_age_years = inf | products.labels.min_age_years | inf
kind = "pen", strength_mg = 5.0 | kind = "pen", strength_mg = nan | products.devices.strength_mg | nan
volume_ml = 1.0, min_dose_mg = 0.1 | volume_ml = inf, min_dose_mg = 0.1 | products.devices.volume_ml | inf
max_dose_mg = 2.0, in_use_days = 28 | max_dose_mg = 1e300, in_use_days = 28 | products.devices.max_dose_mg | 1e300
in_use_days = 28 | in_use_days = 4000 | products.devices.in_use_days | 4000
max_mg_per_week = 8.0 | max_mg_per_week = 1e300 | adult_weekly.max_mg_per_week | 1e300
older_than_years = 65.0 | older_than_years = nan | adult_weekly.older_than_years | nan
{ from_kg = 14.0, to_kg = 16.4 | { from_kg = nan, to_kg = 16.4 | weight_bands.bands.from_kg | nan
mg_per_week = 22.0, cartridges = 2 | mg_per_week = 22.0, cartridges = 20 | weight_bands.bands.cartridges | 20
"#;

/// Each case: the file with its bad number is refused (exit 3) in one line
/// naming the position of the number, its key, its band and the value.
fn refused_where_they_stand(base: &str, cases: &str) {
    for case in cases.lines().filter(|l| !l.is_empty()) {
        let parts: Vec<String> = case.split(" | ").map(|p| p.replace("\\n", "\n")).collect();
        let [from, to, key, token] = parts.as_slice() else {
            panic!("bad case: {case}");
        };
        let (text, (line, col)) = edit(base, from, to, token);
        let f = write(&text);
        let path = f.path().to_str().unwrap();
        let (code, err) = fails(&["rules", "check", path]);
        assert_eq!(code, 3, "{to}: {err}");
        let want = format!("error: {path}:{line}:{col}: {key} must be a finite number between ");
        assert!(err.starts_with(&want), "{to}:\n want {want}\n got {err}");
        assert!(err.trim_end().ends_with(&format!("(got {token})")), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn every_family_of_numbers_in_a_rule_file_is_refused_at_its_position() {
    refused_where_they_stand(RULES, RULE_CASES);
}

#[test]
fn every_family_of_numbers_in_a_product_table_is_refused_at_its_position() {
    refused_where_they_stand(PRODUCTS, PRODUCT_CASES);
}

/// `gh-dose ARGS` (split on spaces) must fail with `code`; returns stderr.
fn refused(args: &str, code: i32) -> String {
    let args: Vec<&str> = args.split_whitespace().collect();
    let (got, err) = fails(&args);
    assert_eq!(got, code, "{args:?}: {err}");
    err
}

#[test]
fn a_dose_is_never_computed_on_a_table_with_a_non_finite_number() {
    // The review's cases: IGF-1 +5 gave `maintain` with a ceiling of nan, an
    // 80-year-old the standard Sogroya start with an older age of nan.
    let from = "ceiling_sds = 2.0\n# Below this";
    let (text, (line, col)) = edit(RULES, from, &from.replace("2.0", "nan"), "nan");
    let f = write(&text);
    let path = f.path().to_str().unwrap();
    let err = refused(
        &format!(
            "titrate --indication adult-ghd --age-years 45 --current-mg-per-day 0.3 --igf1-sds 5 --rules {path}"
        ),
        3,
    );
    assert!(
        err.starts_with(&format!(
            "error: {path}:{line}:{col}: titration.adult_daily.ceiling_sds"
        )),
        "{err}"
    );
    let from = "older_than_years = 65.0";
    let (text, (line, col)) = edit(PRODUCTS, from, "older_than_years = nan", "nan");
    let f = write(&text);
    let path = f.path().to_str().unwrap();
    let err = refused(
        &format!("start --indication adult-ghd --age-years 80 --product sogroya --products {path}"),
        3,
    );
    assert!(
        err.starts_with(&format!(
            "error: {path}:{line}:{col}: adult_weekly.older_than_years"
        )),
        "{err}"
    );
}

#[test]
fn doses_on_the_widest_tables_never_panic() {
    // Every input limit at the edge of its physical band.
    let mut text = RULES.to_string();
    for (key, widest) in [
        (
            "weight_kg = { min = 0.5, max = 250.0 }",
            "{ min = 0.0, max = 700.0 }",
        ),
        (
            "height_cm = { min = 20.0, max = 250.0 }",
            "{ min = 0.0, max = 300.0 }",
        ),
        (
            "dose_mg = { min = 0.0, max = 100.0 }",
            "{ min = 0.0, max = 200.0 }",
        ),
        (
            "current_adult_mg_per_day = { min = 0.05, max = 3.0 }",
            "{ min = 0.0, max = 20.0 }",
        ),
        (
            "current_child_mg_per_kg_week = { min = 0.02, max = 1.0 }",
            "{ min = 0.0, max = 2.0 }",
        ),
        (
            "current_weekly_adult_mg_per_week = { min = 0.1, max = 16.0 }",
            "{ min = 0.0, max = 200.0 }",
        ),
    ] {
        let name = key.split(" = ").next().unwrap();
        text = text.replacen(key, &format!("{name} = {widest}"), 1);
    }
    let f = write(&text);
    let path = f.path().to_str().unwrap();
    let visit = "--igf1-sds -3 --last-injection 2026-11-18 --igf1-date 2026-11-21";
    for product in [
        "",
        "--product norditropin",
        "--product skytrofa",
        "--product ngenla",
        "--product sogroya",
        "--product genotropin",
    ] {
        for (ind, kg, mg) in [
            ("ghd", "700", "200"),
            ("ghd", "0.001", "0.001"),
            ("adult-ghd", "700", "20"),
            ("pws", "700", "200"),
        ] {
            let supply = if product.is_empty() {
                ""
            } else {
                "--supply-days 366 --region eu"
            };
            let common = format!(
                "--indication {ind} --weight-kg {kg} --age-years 10 --rules {path} --as-of 2026-11-22 --format json {product} {supply}"
            );
            for args in [
                format!("start {common}"),
                format!("titrate {common} --current-mg-per-week {mg} {visit}"),
            ] {
                let argv: Vec<&str> = args.split_whitespace().collect();
                let code = gh(&argv).output().unwrap().status.code();
                assert!(matches!(code, Some(0 | 2 | 4)), "{args}: {code:?}");
            }
        }
    }
}

/// A clinic's protocol: Turner syndrome up to 1.5 mg/kg/week (inside the
/// physical band, three times the labelled ceiling) and an adult cap of
/// 10 mg/day.
fn beyond_the_label() -> String {
    RULES
        .replacen(
            "mg_per_kg_week = { min = 0.33, max = 0.45 }\nstart_mg_per_kg_week = 0.33\nceiling_mg_per_kg_week = 0.47",
            "mg_per_kg_week = { min = 0.33, max = 1.5 }\nstart_mg_per_kg_week = 1.5\nceiling_mg_per_kg_week = 1.5",
            1,
        )
        .replacen("cap_without_weight_mg_per_day = 1.33", "cap_without_weight_mg_per_day = 10.0", 1)
}

fn has_flag(v: &serde_json::Value) -> bool {
    codes(v).iter().any(|c| c == "RULES_OUTSIDE_LABEL")
}

fn says(v: &serde_json::Value, line: &str) -> bool {
    v["rationale"].as_array().unwrap().iter().any(|l| l == line)
}

#[test]
fn a_protocol_beyond_the_label_is_dosed_with_a_warning_naming_its_rows() {
    let f = write(&beyond_the_label());
    let path = f.path().to_str().unwrap();
    let (code, v) = json(&[
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "24",
        "--rules",
        path,
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["recommendation"]["dose"]["mg_per_week"], 36.0);
    let flags = v["flags"].as_array().unwrap();
    let flag = flags
        .iter()
        .find(|f| f["code"] == "RULES_OUTSIDE_LABEL")
        .unwrap();
    assert_eq!(
        (&flag["severity"], &flag["source"]),
        (&"warning".into(), &"gh-dose-protocol".into())
    );
    for row in [
        "turner: mg_per_kg_week.max 1.5 mg/kg/week is above the built-in ceiling 0.47 mg/kg/week",
        "turner: ceiling_mg_per_kg_week 1.5 mg/kg/week is above the built-in ceiling 0.47 mg/kg/week",
        "titration.adult_daily.cap_without_weight_mg_per_day 10 mg/day is above the built-in 1.33 mg/day",
    ] {
        let line = format!("outside the built-in label limits: {row}");
        assert!(says(&v, &line), "{line} not in {:#?}", v["rationale"]);
    }
    // Every dosing output on the table carries it, whatever the indication,
    // a withheld start too (the flag is about the table, not the dose).
    let (code, v) = titrate(&[
        "--indication",
        "adult-ghd",
        "--age-years",
        "45",
        "--current-mg-per-day",
        "0.3",
        "--igf1-sds",
        "-1.5",
        "--last-dose-change",
        "2026-10-01",
        "--rules",
        path,
    ]);
    assert!(code == 0 && has_flag(&v));
    let withheld = [
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "30",
        "--condition",
        "active-malignancy",
    ];
    let (code, v) = json(&[&withheld[..], &["--rules", path]].concat());
    assert!(code == 4 && has_flag(&v));
    // rules check accepts the file: it is valid, only beyond the label.
    let (code, v) = json(&["rules", "check", path]);
    assert_eq!((code, &v["valid"]), (0, &serde_json::json!(true)));
}

#[test]
fn the_built_in_tables_carry_no_outside_label_warning() {
    // A byte-for-byte copy, and a copy with a comment (compared row by row).
    for extra in ["", "\n# the clinic's copy\n"] {
        let rules = write(&format!("{RULES}{extra}"));
        let products = write(&format!("{PRODUCTS}{extra}"));
        let tables = format!(
            "--rules {} --products {}",
            rules.path().display(),
            products.path().display()
        );
        for args in [
            "start --indication turner --weight-kg 24",
            "start --indication adult-ghd --age-years 70 --product sogroya",
            "start --indication ghd --weight-kg 30 --age-years 8 --product skytrofa",
        ] {
            for with in [format!("{args} {tables}"), args.to_string()] {
                let argv: Vec<&str> = with.split_whitespace().collect();
                let (code, v) = json(&argv);
                assert!(code == 0 && !has_flag(&v), "{with}");
            }
        }
    }
}

#[test]
fn a_product_table_beyond_its_label_is_flagged_too() {
    let f = write(&PRODUCTS.replacen("max_mg_per_week = 8.0", "max_mg_per_week = 12.0", 1));
    let path = f.path().to_str().unwrap();
    let (code, v) = json(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "30",
        "--age-years",
        "10",
        "--products",
        path,
    ]);
    assert!(code == 0 && has_flag(&v));
    let row = "product sogroya label adult-ghd US: max_mg_per_week 12 mg/week is above the built-in 8 mg/week";
    assert!(
        says(&v, &format!("outside the built-in label limits: {row}")),
        "{:#?}",
        v["rationale"]
    );
}

#[test]
fn a_contraindication_cannot_be_downgraded_by_a_rule_file() {
    for flag in [
        "ACTIVE_MALIGNANCY",
        "PWS_CONTRAINDICATION",
        "INTRACRANIAL_HYPERTENSION",
    ] {
        let from = format!("[flags.{flag}]\nseverity = \"block\"");
        let (text, (line, col)) = edit(RULES, &from, &from.replace("block", "info"), "\"info\"");
        let f = write(&text);
        let path = f.path().to_str().unwrap();
        let want = format!(
            "error: {path}:{line}:{col}: flag {flag} is a block (a contraindication: the dose is withheld) and cannot be downgraded to info by a rule file"
        );
        for args in [
            format!("rules check {path}"),
            format!("start --indication ghd --weight-kg 30 --rules {path}"),
        ] {
            assert_eq!(refused(&args, 3).trim_end(), want);
        }
    }
    // A warning lowered to info is the protocol's choice, and said.
    let from = "[flags.GLUCOSE_MONITORING]\nseverity = \"warning\"";
    let f = write(&RULES.replacen(from, &from.replace("warning", "info"), 1));
    let (code, v) = json(&[
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "24",
        "--rules",
        f.path().to_str().unwrap(),
    ]);
    assert!(code == 0 && has_flag(&v));
    let row = "flag GLUCOSE_MONITORING: severity info where the built-in tables say warning";
    assert!(says(
        &v,
        &format!("outside the built-in label limits: {row}")
    ));
}

/// `the command and its other arguments | the flag under test`.
const NUMERIC_FLAGS: &str = "
start --indication ghd --age-years 10 | --weight-kg
start --indication ghd --age-years 10 | --weight-lb
start --indication ghd --weight-kg 30 | --height-cm
start --indication ghd --weight-kg 30 | --height-in
start --indication ghd --weight-kg 30 | --age-years
start --indication ghd --weight-kg 30 | --height-sds
start --indication ghd --weight-kg 30 | --bmi
start --indication ghd --weight-kg 30 | --mg-per-kg-week
start --indication ghd --weight-kg 30 | --mg-per-kg-day
titrate --indication ghd --weight-kg 30 --igf1-sds 0 | --current-mg-per-week
titrate --indication adult-ghd --age-years 40 --igf1-sds 0 | --current-mg-per-day
titrate --indication ghd --weight-kg 30 --current-mg-per-week 7 --igf1-sds 0 | --prescribed-mg-per-kg-week
titrate --indication ghd --weight-kg 30 --current-mg-per-week 7 --igf1-sds 0 | --previous-weight-kg
titrate --indication adult-ghd --age-years 40 --current-mg-per-day 0.3 --igf1-sds 0 | --previous-weight-kg
titrate --indication ghd --weight-kg 30 --current-mg-per-week 7 | --igf1-sds
titrate --indication ghd --weight-kg 30 --current-mg-per-week 7 --igf1-ref-low 100 --igf1-ref-high 400 | --igf1
titrate --indication ghd --weight-kg 30 --current-mg-per-week 7 --igf1 200 --igf1-ref-high 400 | --igf1-ref-low
titrate --indication ghd --weight-kg 30 --current-mg-per-week 7 --igf1 200 --igf1-ref-low 100 | --igf1-ref-high
titrate --indication ghd --weight-kg 30 --current-mg-per-week 7 --igf1 200 --igf1-ref-low 100 --igf1-ref-high 400 | --igf1-ref-lambda
titrate --indication ghd --weight-kg 30 --height-cm 130 --current-mg-per-week 7 --igf1-sds 0 --previous-height-date 2025-11-01 | --previous-height-cm
titrate --indication adult-ghd --age-years 40 --current-mg-per-day 0.3 --igf1-sds 0 --previous-height-date 2025-11-01 | --previous-height-cm
titrate --indication ghd --weight-kg 30 --height-cm 130 --current-mg-per-week 7 --igf1-sds 0 --previous-height-date 2025-11-01 --previous-height-cm 124 --treatment-start 2025-11-01 | --pretreatment-hv-cm-per-year
titrate --indication adult-ghd --age-years 40 --current-mg-per-day 0.3 --igf1-sds 0 | --pretreatment-hv-cm-per-year
";

#[test]
fn every_numeric_flag_is_refused_outside_its_range_with_one_line() {
    // Inputs that are used only by other indications are checked all the
    // same. `-inf` alone reads as a flag; `--flag=-inf` reaches the core.
    for case in NUMERIC_FLAGS.lines().filter(|l| !l.is_empty()) {
        let (base, flag) = case.split_once(" | ").unwrap();
        for value in ["NaN", "inf", "-inf", "-1000", "1e308"] {
            let args = format!("{base} {flag}={value} --as-of 2026-11-22");
            let err = refused(&args, 2);
            assert_eq!(err.lines().count(), 1, "{args}: {err}");
            assert!(err.starts_with(&format!("error: {flag} ")), "{args}: {err}");
            assert!(err.contains(value), "{args}: the value is not named: {err}");
            assert!(
                err.contains(" between ") || err.contains(" up to "),
                "{args}: no range: {err}"
            );
        }
    }
}

#[test]
fn the_pretreatment_velocity_is_refused_instead_of_hiding_a_poor_response() {
    let visit = "titrate --indication ghd --weight-kg 30 --height-cm 130 --current-mg-per-week 7 --igf1-sds 0 --previous-height-date 2025-11-22 --previous-height-cm 127 --treatment-start 2025-11-22 --as-of 2026-11-22";
    // 3 cm in a year on treatment against 6 before: a poor response.
    let poor = format!("{visit} --pretreatment-hv-cm-per-year 6 --format json");
    let argv: Vec<&str> = poor.split_whitespace().collect();
    let out = gh(&argv).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(codes(&v).iter().any(|c| c == "POOR_GROWTH_RESPONSE"));
    let err = refused(&format!("{visit} --pretreatment-hv-cm-per-year NaN"), 2);
    assert_eq!(
        err.trim_end(),
        "error: --pretreatment-hv-cm-per-year must be a finite number between 0 and 30 cm/year (got NaN)"
    );
}

#[test]
fn the_json_route_shares_the_ranges() {
    use serde_json::json;
    let child = json!({"indication": "ghd", "weight_kg": 30, "height_cm": 130, "current_mg_per_week": 7, "igf1_sds": 0});
    let with = |extra: serde_json::Value| {
        let mut v = child.clone();
        v.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        v
    };
    let pen = json!({"indication": "ghd", "weight_kg": 30, "product": "norditropin"});
    let cases = [
        (
            "start",
            json!({"indication": "ghd", "weight_kg": 1e308}),
            "weight_kg must be between 0.5 and 250 kg (got 1e308)",
        ),
        (
            "start",
            json!({"indication": "ghd", "weight_kg": 30, "bmi": -1000}),
            "bmi must be between 8 and 100 kg/m2 (got -1000)",
        ),
        (
            "start",
            {
                let mut v = pen.clone();
                v["supply_days"] = json!(0);
                v
            },
            "supply_days must be between 1 and 366 days (got 0)",
        ),
        (
            "start",
            {
                let mut v = pen.clone();
                v["supply_days"] = json!(4000);
                v
            },
            "supply_days must be between 1 and 366 days (got 4000)",
        ),
        (
            "titrate",
            with(json!({"pretreatment_hv_cm_per_year": -1000})),
            "pretreatment_hv_cm_per_year must be between 0 and 30 cm/year (got -1000)",
        ),
        (
            "titrate",
            with(json!({"previous_height_cm": 1e308, "previous_height_date": "2025-11-01"})),
            "previous_height_cm must be between 20 and 250 cm (got 1e308)",
        ),
        (
            "titrate",
            with(json!({"prescribed_mg_per_kg_week": 1e308})),
            "prescribed_mg_per_kg_week must be between 0.02 and 1 mg/kg/week (got 1e308)",
        ),
    ];
    for (command, body, want) in cases {
        let f = tempfile::Builder::new().suffix(".json").tempfile().unwrap();
        std::fs::write(f.path(), body.to_string()).unwrap();
        let args = format!(
            "{command} --input {} --as-of 2026-11-22",
            f.path().display()
        );
        assert_eq!(
            refused(&args, 2).trim_end(),
            format!("error: {want}"),
            "{body}"
        );
    }
}

#[test]
fn rules_check_lists_the_rows_beyond_the_label_as_warnings() {
    let text = gh_dose::rules::BUILT_IN.replacen(
        "ceiling_mg_per_kg_week = 0.47",
        "ceiling_mg_per_kg_week = 1.5",
        1,
    );
    assert!(text != gh_dose::rules::BUILT_IN);
    let path = std::env::temp_dir().join(format!("gh-dose-check-{}.toml", std::process::id()));
    std::fs::write(&path, text).unwrap();
    let p = path.to_str().unwrap();
    let human = super::gh(&["rules", "check", p, "--format", "human"])
        .output()
        .unwrap();
    let json = super::gh(&["rules", "check", p, "--format", "json"])
        .output()
        .unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(human.status.code(), Some(0));
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(
        text.contains("warning: ") && text.contains("outside the built-in label limits: turner: ceiling_mg_per_kg_week 1.5 mg/kg/week is above the built-in ceiling 0.47"),
        "{text}"
    );
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(
        v["outside_label"][0]
            .as_str()
            .unwrap()
            .starts_with("turner: ceiling_mg_per_kg_week 1.5"),
        "{v}"
    );
    // The built-in table itself has none.
    let v: serde_json::Value = serde_json::from_slice(
        &super::gh(&[
            "rules",
            "check",
            "data/indications.toml",
            "--format",
            "json",
        ])
        .output()
        .unwrap()
        .stdout,
    )
    .unwrap();
    assert_eq!(v["outside_label"], serde_json::json!([]));
}
