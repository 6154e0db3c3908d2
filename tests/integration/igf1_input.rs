//! IGF-1 as laboratories report it: a concentration with the laboratory's
//! range (central 95 % or +/-2 SD, Box-Cox) giving the same SDS as the
//! formula and the same titration, nmol/l converted and echoed, and LMS
//! reference files.

use super::support::ADULT;
use super::{codes, fails, titrate};

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
fn lms_reference_files_score_a_concentration() {
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
}

#[test]
fn a_bad_lms_reference_file_is_refused_at_its_position() {
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
