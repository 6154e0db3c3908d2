//! Inputs as clinicians have them: units, raw IGF-1 with the lab's range or
//! an LMS reference, plausibility tiers, and every documented limit tested at,
//! just inside and just outside.

use super::{codes, fails, json, titrate};

const ADULT: &[&str] = &[
    "--indication",
    "adult-ghd",
    "--age-years",
    "45",
    "--current-mg-per-day",
    "0.3",
];

/// The log-normal formula of the reference notes, written out independently.
fn lognormal(x: f64, lo: f64, hi: f64, q: f64) -> f64 {
    let mu = (lo.ln() + hi.ln()) / 2.0;
    let sigma = (hi.ln() - lo.ln()) / (2.0 * q);
    (x.ln() - mu) / sigma
}

#[test]
fn lab_range_sds_matches_the_formula_and_drives_the_same_titration() {
    let (code, v) = titrate(
        &[
            ADULT,
            &[
                "--igf1",
                "150",
                "--igf1-unit",
                "ng/ml",
                "--igf1-ref-low",
                "97",
                "--igf1-ref-high",
                "407",
            ],
        ]
        .concat(),
    );
    assert_eq!(code, 0);
    let want = lognormal(150.0, 97.0, 407.0, 1.959964);
    let got = v["patient"]["igf1_sds"].as_f64().unwrap();
    assert!((got - want).abs() < 0.01, "{got} vs {want}");
    assert_eq!(v["patient"]["igf1_sds_method"], "lab-range-lognormal");
    assert_eq!(v["patient"]["igf1_ng_ml"], 150.0);
    assert!(codes(&v).contains(&"APPROXIMATE_IGF1_SDS".to_string()));
    let reported = format!("{want}");
    let (_, same) = titrate(&[ADULT, &["--igf1-sds", &reported]].concat());
    assert_eq!(
        v["recommendation"]["action"],
        same["recommendation"]["action"]
    );
    assert_eq!(v["recommendation"]["dose"], same["recommendation"]["dose"]);
    assert_eq!(v["recommendation"]["action"], "increase");
}

#[test]
fn nmol_per_litre_is_converted_and_echoed() {
    let (code, v) = titrate(
        &[
            ADULT,
            &[
                "--igf1",
                "19.6",
                "--igf1-unit",
                "nmol/l",
                "--igf1-ref-low",
                "12.68",
                "--igf1-ref-high",
                "53.21",
            ],
        ]
        .concat(),
    );
    assert_eq!(code, 0);
    // 19.6 x 7.649 = 149.92 ng/mL
    assert_eq!(v["patient"]["igf1_ng_ml"], 149.9);
    assert_eq!(v["patient"]["igf1_input"], "19.6 nmol/L");
    assert!(
        v["rationale"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l == "IGF-1 19.6 nmol/L x 7.649 = 149.9 ng/mL")
    );
    // The SDS is unit-free: the same limits in nmol/L give the same SDS as in ng/mL.
    let want = lognormal(19.6, 12.68, 53.21, 1.959964);
    assert!((v["patient"]["igf1_sds"].as_f64().unwrap() - want).abs() < 0.01);
}

#[test]
fn two_sd_ranges_and_box_cox() {
    let (_, v) = titrate(
        &[
            ADULT,
            &[
                "--igf1",
                "150",
                "--igf1-ref-low",
                "97",
                "--igf1-ref-high",
                "407",
                "--igf1-ref-kind",
                "2sd",
            ],
        ]
        .concat(),
    );
    let want = lognormal(150.0, 97.0, 407.0, 2.0);
    assert!((v["patient"]["igf1_sds"].as_f64().unwrap() - want).abs() < 0.01);
    let (_, v) = titrate(
        &[
            ADULT,
            &[
                "--igf1",
                "407",
                "--igf1-ref-low",
                "97",
                "--igf1-ref-high",
                "407",
                "--igf1-ref-lambda",
                "0.46",
            ],
        ]
        .concat(),
    );
    assert_eq!(v["patient"]["igf1_sds_method"], "lab-range-boxcox");
    // The upper limit sits at +1.96 whatever the power.
    assert_eq!(v["patient"]["igf1_sds"], 1.96);
    assert!(
        v["patient"]["igf1_reference"]
            .as_str()
            .unwrap()
            .contains("Box-Cox power 0.46")
    );
}

#[test]
fn lms_reference_files() {
    // Synthetic reference: male, 20 y: L 0.5, M 366.6, S 0.3 (a row, no interpolation).
    let args = [
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
        "data/examples/igf1-lms-synthetic.toml",
    ];
    let (code, v) = titrate(&args);
    assert_eq!(code, 0);
    assert_eq!(v["patient"]["igf1_sds_method"], "lms-reference");
    assert_eq!(v["patient"]["igf1_sds"], 0.0);
    assert!(
        v["patient"]["igf1_reference"]
            .as_str()
            .unwrap()
            .contains("assay: synthetic")
    );
    // Halfway between the 18 y and 20 y rows, L, M and S are interpolated linearly.
    let (_, mid) = titrate(&[
        "--indication",
        "adult-ghd",
        "--age-years",
        "19",
        "--sex",
        "male",
        "--current-mg-per-day",
        "0.3",
        "--igf1",
        "150",
        "--igf1-reference",
        "data/examples/igf1-lms-synthetic.toml",
    ]);
    let l: f64 = 0.49;
    let m: f64 = (400.3 + 366.6) / 2.0;
    let s: f64 = 0.3075;
    let want = ((150.0 / m).powf(l) - 1.0) / (l * s);
    assert!(
        (mid["patient"]["igf1_sds"].as_f64().unwrap() - want).abs() < 0.01,
        "{} vs {want}",
        mid["patient"]["igf1_sds"]
    );
    assert!(!codes(&v).contains(&"APPROXIMATE_IGF1_SDS".to_string()));
    // A bad reference file is a rule-file error with its position.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        include_str!("../../data/examples/igf1-lms-synthetic.toml").replacen(
            "m = 60.0",
            "m = -60.0",
            1,
        ),
    )
    .unwrap();
    let bad = bad.to_str().unwrap();
    let (code, err) = fails(&[
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
        "150",
        "--igf1-reference",
        bad,
    ]);
    assert_eq!(code, 3);
    assert!(err.starts_with(&format!("error: {bad}:")), "{err}");
    assert!(err.contains("positive M and S"), "{err}");
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
            "15",
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
    // An adult's daily dose: 0.05-3 mg/day, or refused as a likely slip.
    for v in ["0.05", "0.3", "3"] {
        assert_eq!(run(v).0, 0, "{v}");
    }
    for v in ["0.04", "3.01", "100"] {
        let (code, err) = run(v);
        assert_eq!(code, 2, "{v}");
        assert!(
            err.contains("outside the plausible 0.05-3 mg/day"),
            "{v}: {err}"
        );
    }
}
