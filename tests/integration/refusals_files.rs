//! Rule, product and reference files refused at load, before any dose: every
//! family of numbers outside its physical band, a non-finite number, a pen
//! whose increment exceeds its strength, a control character in a text, a
//! review the code needs that the file lacks, a reference that is not a
//! regular file of bounded size; each at its `file:line:col` (exit 3).

use super::support::{
    PRODUCTS, RULES, TURNER, WITH_REF, edit, lines, message, refused, run, write,
};
use super::{fails, gh};
use std::io::Write;

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
current_child_mg_per_kg_week = { min = 0.05, max = 1.0 } | current_child_mg_per_kg_week = { min = 0.05, max = inf } | limits.current_child_mg_per_kg_week.max | inf
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
fn a_pen_whose_increment_exceeds_its_strength_is_refused_at_load() {
    let from = "strength_mg = 5.0, volume_ml = 1.5, increment_mg = 0.025";
    let (text, (line, _)) = edit(
        PRODUCTS,
        from,
        "strength_mg = 5.0, volume_ml = 1.5, increment_mg = 6.0",
        "increment_mg",
    );
    let f = write(&text);
    let path = f.path().to_str().unwrap();
    let prefix = format!("error: {path}:{line}:");
    for args in [
        vec!["rules", "check", path],
        vec![
            "start",
            "--indication",
            "ghd",
            "--weight-kg",
            "20",
            "--products",
            path,
        ],
    ] {
        let (code, err) = fails(&args);
        assert_eq!(code, 3, "{args:?}: {err}");
        assert!(err.starts_with(&prefix), "{err}");
        assert!(
            err.trim_end().ends_with(
                "device flexpro-5: increment_mg exceeds strength_mg (no dose of the pen could be dialled)"
            ),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1);
    }
}

#[test]
fn a_rule_text_with_a_control_character_is_refused_at_load() {
    // An indication's name with a line break, a flag's message with a
    // terminal escape, a product name with a C1 control.
    for (base, from, to, at, key, code) in [
        (
            RULES,
            "name = \"Turner syndrome\"",
            "name = \"Turner\\nsyndrome\"",
            "\"Turner",
            "indications.name",
            "U+000A at character 7",
        ),
        (
            RULES,
            "message = \"",
            "message = \"\\u001b[2J",
            "\"",
            "flags.",
            "U+001B at character 1",
        ),
        (
            PRODUCTS,
            "name = \"Norditropin FlexPro 5 mg",
            "name = \"Norditropin\u{85} FlexPro 5 mg",
            "\"",
            "products.devices.name",
            "U+0085 at character 12",
        ),
    ] {
        assert!(base.contains(from), "fixture: {from}");
        let (text, (line, col)) = edit(base, from, to, at);
        let f = write(&text);
        let path = f.path().to_str().unwrap();
        let table = if base == RULES {
            "--rules"
        } else {
            "--products"
        };
        for args in [
            vec!["rules", "check", path],
            vec![
                "start",
                "--indication",
                "turner",
                "--weight-kg",
                "24",
                table,
                path,
            ],
        ] {
            let (c, err) = fails(&args);
            assert_eq!(c, 3, "{args:?}: {err}");
            assert!(
                err.starts_with(&format!("error: {path}:{line}:{col}: {key}")),
                "{key}: {err}"
            );
            assert!(
                err.trim_end()
                    .ends_with(&format!("a text may not hold a control character ({code})")),
                "{err}"
            );
            assert_eq!(err.lines().count(), 1, "{err:?}");
        }
    }
    // The built-in tables hold none.
    for (table, text) in [("--rules", RULES), ("--products", PRODUCTS)] {
        let f = write(text);
        let out = gh(&["rules", "check", f.path().to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{table}");
    }
}

#[test]
fn a_rule_file_without_a_review_the_code_needs_fails_its_check() {
    let text = gh_dose::api::rules::BUILT_IN.replace(
        "review_recheck = \"igf1-recheck\"",
        "review_recheck = \"recheck\"",
    );
    let mut file = tempfile::NamedTempFile::with_suffix(".toml").unwrap();
    file.write_all(text.as_bytes()).unwrap();
    let path = file.path().to_str().unwrap().to_string();
    let (code, err) = fails(&["rules", "check", &path]);
    assert_eq!(code, 3);
    let line = text
        .lines()
        .position(|l| l.starts_with("review_recheck"))
        .unwrap()
        + 1;
    assert!(
        err.starts_with(&format!(
            "error: {path}:{line}:18: unknown review 'recheck'"
        )),
        "{err}"
    );
}

// 6. A request's reference path.

#[test]
fn a_reference_must_be_a_regular_file_of_bounded_size() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.toml");
    std::fs::File::create(&big)
        .unwrap()
        .set_len((10 << 20) + 1)
        .unwrap();
    let mut refs = vec![
        (dir.path().to_path_buf(), "a directory, not a regular file"),
        (big, "larger than 10 MiB"),
    ];
    if cfg!(unix) {
        refs.push(("/dev/zero".into(), "a character device, not a regular file"));
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            refs.push((fifo, "a pipe (FIFO), not a regular file"));
        }
    }
    for (path, why) in &refs {
        let path = path.to_str().unwrap();
        let args = [
            "titrate",
            "--indication",
            "adult-ghd",
            "--age-years",
            "20",
            "--sex",
            "male",
            "--current-mg-per-day",
            "0.3",
            "--igf1",
            "366.6",
            "--igf1-reference",
            path,
        ];
        let (code, _, err) = run(&args, "");
        assert_eq!(code, 3, "{path}: {err}");
        assert_eq!(
            err,
            format!("error: {path}: cannot use this IGF-1 reference file: {why}\n")
        );
    }
    // In a piped batch, /dev/stdin would swallow the lines after it.
    let batch = [
        WITH_REF.replace("REF", "/dev/stdin"),
        TURNER.to_string(),
        TURNER.to_string(),
    ]
    .join("\n");
    let (code, out, _) = run(&["batch"], batch);
    assert_eq!(code, 2);
    let out = lines(&out);
    assert_eq!(out.len(), 3);
    assert_eq!(out[0]["error"]["code"], 3);
    assert_eq!(out[0]["error"]["field"], "igf1_reference");
    assert!(
        message(&out[0]).starts_with("/dev/stdin: cannot use"),
        "{}",
        out[0]
    );
    assert_eq!(out[2]["recommendation"]["dose"]["mg_per_week"], 7.92);
}
