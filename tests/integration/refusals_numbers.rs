//! Numbers a request gives outside their range or beyond what is plausible:
//! refused on every route (flags, `--input`, batch) with one line naming the
//! field, the value and what is allowed (exit 2); every documented limit
//! tested at, just inside and just outside; unusual but possible values
//! dosed with a warning.

use super::support::{ADULT, refused};
use super::{codes, gh, json, titrate};

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
            "prescribed_mg_per_kg_week must be between 0.05 and 1 mg/kg/week (got 1e308)",
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
fn unusual_values_warn_and_impossible_ones_fail() {
    let (code, v) = json(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "42",
        "--age-years",
        "5",
    ]);
    assert_eq!(code, 0);
    assert!(codes(&v).contains(&"UNUSUAL_INPUT".to_string()));
    assert!(
        v["rationale"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l == "unusual input: weight 42 kg is unusual at 5 years (usual 9-40 kg)")
    );
    let (_, v) = json(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "20",
        "--age-years",
        "5",
    ]);
    assert!(!codes(&v).contains(&"UNUSUAL_INPUT".to_string()));
    let (_, v) = json(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "20",
        "--age-years",
        "5",
        "--height-cm",
        "160",
    ]);
    assert!(codes(&v).contains(&"UNUSUAL_INPUT".to_string()));
    // IGF-1 SDS beyond +/-4: unusual.
    let (_, v) = titrate(&[ADULT, &["--igf1-sds", "4.5"]].concat());
    assert!(codes(&v).contains(&"UNUSUAL_INPUT".to_string()));
    let (_, v) = titrate(&[ADULT, &["--igf1-sds", "4"]].concat());
    assert!(!codes(&v).contains(&"UNUSUAL_INPUT".to_string()));
    // Weight change above 20 % since the previous visit.
    let (_, v) = titrate(&[
        "--indication",
        "ghd",
        "--weight-kg",
        "30.1",
        "--previous-weight-kg",
        "25",
        "--current-mg-per-week",
        "6",
    ]);
    assert!(codes(&v).contains(&"UNUSUAL_INPUT".to_string()), "+20.4 %");
    let (_, v) = titrate(&[
        "--indication",
        "ghd",
        "--weight-kg",
        "30",
        "--previous-weight-kg",
        "25",
        "--current-mg-per-week",
        "6",
    ]);
    assert!(
        !codes(&v).contains(&"UNUSUAL_INPUT".to_string()),
        "+20 % exactly"
    );
}

/// (flag, min, max, the rest of a valid command, unit scale for "just" steps).
struct Limit {
    flag: &'static str,
    min: f64,
    max: f64,
    rest: &'static [&'static str],
}

const LIMITS: &[Limit] = &[
    Limit {
        flag: "--weight-kg",
        min: 0.5,
        max: 250.0,
        rest: &["start", "--indication", "ghd"],
    },
    Limit {
        flag: "--height-cm",
        min: 20.0,
        max: 250.0,
        rest: &["start", "--indication", "ghd", "--weight-kg", "20"],
    },
    Limit {
        flag: "--age-years",
        min: 0.0,
        max: 120.0,
        rest: &["start", "--indication", "adult-ghd"],
    },
    Limit {
        flag: "--bmi",
        min: 8.0,
        max: 100.0,
        rest: &["start", "--indication", "ghd", "--weight-kg", "20"],
    },
    Limit {
        flag: "--height-sds",
        min: -10.0,
        max: 10.0,
        rest: &["start", "--indication", "ghd", "--weight-kg", "20"],
    },
    Limit {
        flag: "--igf1-sds",
        min: -10.0,
        max: 10.0,
        rest: &[
            "titrate",
            "--indication",
            "adult-ghd",
            "--age-years",
            "45",
            "--current-mg-per-day",
            "0.3",
        ],
    },
    Limit {
        flag: "--previous-weight-kg",
        min: 0.5,
        max: 250.0,
        // 0.35 mg/week on 0.5 kg is 0.7 mg/kg/week: the highest labelled dose.
        rest: &[
            "titrate",
            "--indication",
            "ghd",
            "--weight-kg",
            "6",
            "--current-mg-per-week",
            "0.35",
        ],
    },
    Limit {
        flag: "--igf1-ref-lambda",
        min: -2.0,
        max: 2.0,
        rest: &[
            "titrate",
            "--indication",
            "adult-ghd",
            "--age-years",
            "45",
            "--current-mg-per-day",
            "0.3",
            "--igf1",
            "150",
            "--igf1-ref-low",
            "97",
            "--igf1-ref-high",
            "407",
        ],
    },
    Limit {
        flag: "--igf1",
        min: 1.0,
        max: 3000.0,
        rest: &[
            "titrate",
            "--indication",
            "adult-ghd",
            "--age-years",
            "45",
            "--current-mg-per-day",
            "0.3",
            "--igf1-ref-low",
            "1",
            "--igf1-ref-high",
            "3000",
        ],
    },
    Limit {
        flag: "--supply-days",
        min: 1.0,
        max: 366.0,
        rest: &[
            "start",
            "--indication",
            "ghd",
            "--weight-kg",
            "20",
            "--product",
            "norditropin",
        ],
    },
];

#[test]
fn every_documented_limit_at_inside_and_outside() {
    for l in LIMITS {
        let whole = l.flag == "--supply-days";
        let step = if whole { 1.0 } else { 0.01 };
        let run = |x: f64| {
            let value = if whole {
                format!("{x}")
            } else {
                format!("{}", (x * 100.0).round() / 100.0)
            };
            let args: Vec<&str> = l
                .rest
                .iter()
                .copied()
                // A child's weight at the limits is confirmed as real.
                .chain(if l.flag.contains("weight") {
                    vec!["--confirm", "weight"]
                } else {
                    vec![]
                })
                .chain([
                    l.flag,
                    value.as_str(),
                    "--as-of",
                    "2026-11-22",
                    "--format",
                    "json",
                ])
                .collect();
            let out = super::gh(&args).output().unwrap();
            (
                out.status.code().unwrap(),
                String::from_utf8_lossy(&out.stderr).to_string(),
            )
        };
        for x in [l.min, l.min + step, l.max - step, l.max] {
            let (code, err) = run(x);
            assert!(
                code == 0 || code == 4,
                "{} {x} should be accepted: {err}",
                l.flag
            );
        }
        for x in [l.min - step, l.max + step] {
            let (code, err) = run(x);
            assert_eq!(code, 2, "{} {x} should be refused", l.flag);
            assert!(
                err.contains(l.flag) || err.contains("--supply-days"),
                "{} {x}: {err}",
                l.flag
            );
        }
    }
}

#[test]
fn the_current_dose_limit() {
    let run = |v: &str| {
        let args = [
            "titrate",
            "--indication",
            "adult-ghd",
            "--age-years",
            "45",
            "--current-mg-per-day",
            v,
            "--as-of",
            "2026-11-22",
            "--format",
            "json",
        ];
        let out = super::gh(&args).output().unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    // Any dose: above 0, at most 100 mg.
    for v in ["0", "100.01", "-1"] {
        let (code, err) = run(v);
        assert_eq!(code, 2, "{v}");
        assert!(
            err.contains("must be a positive number of mg up to 100"),
            "{v}: {err}"
        );
    }
    // An adult's daily dose: 0.05-3 mg/day, or refused as a likely slip;
    // above the 1.33 mg/day cap without weight it is asked about (a weekly
    // dose typed per day?) and needs --confirm dose.
    for v in ["0.05", "0.3", "1.33"] {
        assert_eq!(run(v).0, 0, "{v}");
    }
    let (code, err) = run("3");
    assert_eq!(code, 2);
    assert!(err.contains("a weekly dose typed per day? did you mean --current-mg-per-week 3 (0.429 mg/day); if it is the real dose, add --confirm dose"), "{err}");
    for v in ["0.04", "3.01", "100"] {
        let (code, err) = run(v);
        assert_eq!(code, 2, "{v}");
        assert!(
            err.contains("outside the plausible 0.05-3 mg/day"),
            "{v}: {err}"
        );
    }
}
