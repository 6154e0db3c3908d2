//! Every value against the patient's own course (issue 18, item 3): a
//! weight or height beyond the course rules is refused with the likely slip
//! named, up or down; `--confirm` passes a real one and is echoed, named in
//! the rationale and stored in the record line.

use crate::{codes, gh, json, titrate};
use serde_json::Value;

const TEN_KG_CHILD: [&str; 12] = [
    "titrate",
    "--indication",
    "ghd",
    "--age-years",
    "10",
    "--sex",
    "male",
    "--current-mg-per-week",
    "7",
    "--as-of",
    "2026-11-22",
    "--format",
];

fn child(extra: &[&str]) -> Vec<String> {
    TEN_KG_CHILD
        .iter()
        .chain(["json", "--last-dose-change", "2026-05-22"].iter())
        .chain(extra.iter())
        .map(|s| s.to_string())
        .collect()
}

/// The exit code and the error output (stdout is not checked).
fn exit(args: &[&str]) -> (i32, String) {
    let out = gh(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

fn run(args: &[String]) -> (i32, String, String) {
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = gh(&a).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn a_tenfold_weight_is_refused_upward_and_passes_when_confirmed() {
    let (code, _, err) = run(&child(&[
        "--weight-kg",
        "240",
        "--previous-weight-kg",
        "24",
    ]));
    assert_eq!(code, 2);
    assert_eq!(
        err.trim_end(),
        "error: --weight-kg 240 kg is 10 times the previous 24 kg (on 2026-05-22, 0.5 years earlier): a child's weight may go from 16.8 to 36 kg over that interval; likely slip: tenfold (x10: a decimal point, 24 kg)? or the previous weight tenfold (240 kg)?; if it is real, add --confirm weight"
    );
    let (code, out, err) = run(&child(&[
        "--weight-kg",
        "240",
        "--previous-weight-kg",
        "24",
        "--confirm",
        "weight",
    ]));
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["patient"]["confirmed"], serde_json::json!(["weight"]));
    assert_eq!(v["patient"]["previous_weight_date"], "2026-05-22");
    // Confirmed, the weight is beyond any child's of 10 years: the dose is
    // not raised on it (57.6 mg/week before), only kept.
    assert_eq!(v["recommendation"]["action"], "maintain");
    assert_eq!(v["recommendation"]["dose"]["mg_per_week"], 7.0);
    assert!(codes(&v).contains(&"DOSE_KEPT_AT_EXTREME_WEIGHT".to_string()));
    let why = v["rationale"].to_string();
    assert!(
        why.contains("the weight is confirmed beyond any child's of the age: no increase on it; the current 7 mg/week is kept"),
        "{why}"
    );
    assert!(
        why.contains(
            "weight confirmed as real (--confirm weight): 240 kg is 10 times the previous 24 kg"
        ),
        "{why}"
    );
    assert!(
        why.contains("240 kg is more than any child of 10 years weighs"),
        "{why}"
    );
    let sources = v["sources"].to_string();
    assert!(
        sources.contains("cdc-biv-2000") && sources.contains("growthcleanr-adult"),
        "{sources}"
    );
}

#[test]
fn the_downward_slip_is_refused_and_a_plausible_change_passes() {
    let (code, _, err) = run(&child(&[
        "--weight-kg",
        "2.4",
        "--previous-weight-kg",
        "24",
    ]));
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: --weight-kg 2.4 kg is 1/10 of the previous 24 kg (on 2026-05-22, 0.5 years earlier)")
            && err.contains("likely slip: a tenth (/10: a decimal point, 24 kg)?"),
        "{err}"
    );
    // 24 -> 26 kg over six months: within 16.8-36 kg.
    let (code, out, err) = run(&child(&["--weight-kg", "26", "--previous-weight-kg", "24"]));
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["patient"]["confirmed"], serde_json::json!([]));
    assert!(!v["rationale"].to_string().contains("confirm"));
    // A confirmation nothing needed is harmless and echoed.
    let (code, out, _) = run(&child(&[
        "--weight-kg",
        "26",
        "--previous-weight-kg",
        "24",
        "--confirm",
        "height",
    ]));
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["patient"]["confirmed"], serde_json::json!(["height"]));
    assert!(v["rationale"].to_string().contains(
        "--confirm height given: the height needed no confirmation (within the course rules)"
    ));
}

#[test]
fn an_adult_change_within_the_adult_band_passes_and_beyond_it_is_refused() {
    let adult = |now: &str| {
        exit(&[
            "titrate",
            "--indication",
            "adult-ghd",
            "--age-years",
            "45",
            "--weight-kg",
            now,
            "--previous-weight-kg",
            "80",
            "--last-dose-change",
            "2026-05-22",
            "--current-mg-per-day",
            "0.3",
            "--igf1-sds",
            "0",
            "--as-of",
            "2026-11-22",
        ])
    };
    // 4 + 18 ln(1 + 6 months) = 39.0 kg either way: 80 -> 95 passes.
    assert_eq!(adult("95").0, 0);
    let (code, err) = adult("180");
    assert_eq!(code, 2);
    assert!(
        err.contains("an adult's weight may go from 40.9 to 119.1 kg over that interval")
            && err.contains("lb entered as kg (180 lb = 81.6 kg)?"),
        "{err}"
    );
}

#[test]
fn a_weight_no_child_has_is_refused_with_and_without_an_age() {
    let (code, err) = exit(&[
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "250",
        "--age-years",
        "8",
    ]);
    assert_eq!(code, 2);
    assert_eq!(
        err.trim_end(),
        "error: --weight-kg 250 kg is more than any child of 8 years weighs: above 81.4 kg, the CDC 2000 modified z-score +8 (a biologically implausible value); likely slip: tenfold (a decimal point: 25 kg)?; if it is real, add --confirm weight"
    );
    let (code, err) = exit(&["start", "--indication", "turner", "--weight-kg", "250"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with(
            "error: --weight-kg 250 kg is more than any child (no age given) weighs: above 202.4 kg"
        ),
        "{err}"
    );
    // A real, heavy child passes the check when confirmed, is echoed, and
    // is not dosed per kg of a weight beyond any child's (exit 4).
    let (code, v) = json(&[
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "90",
        "--age-years",
        "8",
        "--confirm",
        "weight",
    ]);
    assert_eq!(code, 4);
    assert_eq!(v["patient"]["confirmed"], serde_json::json!(["weight"]));
    assert_eq!(codes(&v)[0], "WEIGHT_BEYOND_DOSING_EVIDENCE");
}

#[test]
fn a_height_slip_is_refused_and_passes_when_confirmed() {
    let h = |extra: &[&str]| {
        run(&child(
            &[
                &[
                    "--weight-kg",
                    "30",
                    "--previous-weight-kg",
                    "29",
                    "--height-cm",
                    "103",
                    "--previous-height-cm",
                    "130",
                    "--previous-height-date",
                    "2026-08-22",
                ][..],
                extra,
            ]
            .concat(),
        ))
    };
    let (code, _, err) = h(&[]);
    assert_eq!(code, 2);
    assert_eq!(
        err.trim_end(),
        "error: --height-cm 103 cm is -20.8% from the previous 130 cm (on 2026-08-22, 0.25 years earlier): a child's height may go from 127.5 to 137.5 cm over that interval (no shrinking beyond 2.5 cm of measurement error); likely slip: digits swapped (103 for 130 cm)?; if it is real, add --confirm height"
    );
    let (code, out, err) = h(&["--confirm", "height"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["patient"]["confirmed"], serde_json::json!(["height"]));
    assert!(
        v["rationale"]
            .to_string()
            .contains("height confirmed as real (--confirm height)")
    );
}

#[test]
fn a_digit_swap_in_a_record_course_is_refused_and_the_record_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("p.jsonl");
    let r = rec.to_str().unwrap();
    let (code, err) = exit(&[
        "start",
        "--indication",
        "ghd",
        "--sex",
        "male",
        "--birth-date",
        "2016-03-01",
        "--weight-kg",
        "26",
        "--as-of",
        "2026-03-01",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{err}");
    let before = std::fs::read(&rec).unwrap();
    let (code, err) = exit(&[
        "titrate",
        "--weight-kg",
        "62",
        "--as-of",
        "2026-09-01",
        "--record",
        r,
    ]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: --weight-kg 62 kg is +138.5% from the previous 26 kg (on 2026-03-01, 0.5 years earlier)")
            && err.contains("likely slip: digits swapped (62 for 26 kg)?"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&rec).unwrap(),
        before,
        "a refusal leaves the record byte-identical"
    );
    // The corrected weight is dosed and appended.
    let (code, err) = exit(&[
        "titrate",
        "--weight-kg",
        "26.5",
        "--as-of",
        "2026-09-01",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&rec).unwrap();
    assert_eq!(text.lines().count(), 2);
    // A confirmed weight is stored in the record line.
    let (code, err) = exit(&[
        "titrate",
        "--weight-kg",
        "62",
        "--confirm",
        "weight",
        "--as-of",
        "2027-03-01",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{err}");
    let last: Value = serde_json::from_str(
        std::fs::read_to_string(&rec)
            .unwrap()
            .lines()
            .last()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        last["measurements"]["confirmed"],
        serde_json::json!(["weight"])
    );
    let first: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["measurements"]["confirmed"], serde_json::json!([]));
}

/// Runs `args` with `--record r` and `--format json`: the exit code and the
/// answer (or the error output).
fn on_record(r: &str, args: &[&str]) -> (i32, String) {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--record", r, "--format", "json"]);
    let out = gh(&all).output().unwrap();
    let text = if out.status.success() {
        out.stdout
    } else {
        out.stderr
    };
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&text).to_string(),
    )
}

/// A boy born 2020-03-01 seen every year from 2.5 on his weight-for-age
/// median: four visits, the last on 2025-03-01 at 18.7 kg.
fn yearly(r: &str) {
    let (code, err) = on_record(
        r,
        &[
            "start",
            "--indication",
            "ghd",
            "--sex",
            "male",
            "--birth-date",
            "2020-03-01",
            "--weight-kg",
            "13",
            "--height-cm",
            "91",
            "--as-of",
            "2022-09-01",
        ],
    );
    assert_eq!(code, 0, "{err}");
    for (date, kg, cm) in [
        ("2023-03-01", "14.3", "95"),
        ("2024-03-01", "16.5", "103"),
        ("2025-03-01", "18.7", "110"),
    ] {
        let (code, err) = on_record(
            r,
            &[
                "titrate",
                "--weight-kg",
                kg,
                "--height-cm",
                cm,
                "--as-of",
                date,
            ],
        );
        assert_eq!(code, 0, "{date}: {err}");
    }
}

#[test]
fn a_weight_off_the_records_trajectory_is_refused_where_the_previous_weight_passes() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("p.jsonl");
    let r = rec.to_str().unwrap();
    yearly(r);
    let before = std::fs::read(&rec).unwrap();
    // 18.7 -> 32 kg in a year is within the previous weight's band (up to
    // +75 %); against the four earlier visits it is +2.4 SDS off.
    let (code, err) = on_record(
        r,
        &[
            "titrate",
            "--weight-kg",
            "32",
            "--height-cm",
            "116",
            "--as-of",
            "2026-03-01",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        err.starts_with(
            "error: --weight-kg 32 kg (weight-for-age SDS +2.51) is off the patient's own course: "
        ) && err.contains("the weighted average of the 4 earlier weights' SDS")
            && err.contains("the previous 18.7 kg (SDS +0.13, on 2025-03-01, line 4)")
            && err.contains(
                "likely slip: digits swapped (32 for 23 kg)?; if it is real, add --confirm weight"
            ),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&rec).unwrap(),
        before,
        "a refusal appends nothing"
    );
    // The weight typed right is dosed; a real one passes confirmed.
    let (code, out) = on_record(
        r,
        &[
            "titrate",
            "--weight-kg",
            "23",
            "--height-cm",
            "116",
            "--as-of",
            "2026-03-01",
        ],
    );
    assert_eq!(code, 0, "{out}");
    let (code, out) = on_record(
        r,
        &[
            "titrate",
            "--weight-kg",
            "32",
            "--height-cm",
            "117",
            "--confirm",
            "weight",
            "--as-of",
            "2026-03-02",
        ],
    );
    // 23 -> 32 kg in a day is beyond the previous weight's band too.
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["patient"]["confirmed"], serde_json::json!(["weight"]));
}

#[test]
fn a_height_carried_forward_in_a_record_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("p.jsonl");
    let r = rec.to_str().unwrap();
    yearly(r);
    let (code, out) = on_record(
        r,
        &[
            "titrate",
            "--weight-kg",
            "21",
            "--height-cm",
            "110",
            "--as-of",
            "2026-03-01",
        ],
    );
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let codes = v["flags"].to_string();
    assert!(codes.contains("MEASUREMENT_CARRIED_FORWARD"), "{codes}");
    assert!(
        v["rationale"].to_string().contains(
            "height 110 cm is the same as the previous one (2025-03-01, line 4), 365 days earlier, in a growing child"
        ),
        "{}",
        v["rationale"]
    );
    // The warning is in the record line's flags.
    let last: Value = serde_json::from_str(
        std::fs::read_to_string(&rec)
            .unwrap()
            .lines()
            .last()
            .unwrap(),
    )
    .unwrap();
    assert!(
        last["decision"]["flags"]
            .to_string()
            .contains("MEASUREMENT_CARRIED_FORWARD")
    );
}

#[test]
fn a_restart_judges_todays_weight_against_the_records_last() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("p.jsonl");
    let r = rec.to_str().unwrap();
    let (code, err) = on_record(
        r,
        &[
            "start",
            "--indication",
            "ghd",
            "--sex",
            "male",
            "--birth-date",
            "2016-01-01",
            "--weight-kg",
            "26",
            "--as-of",
            "2026-01-10",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (code, _) = on_record(
        r,
        &[
            "titrate",
            "--weight-kg",
            "26",
            "--condition",
            "critical-illness",
            "--as-of",
            "2026-02-10",
        ],
    );
    assert_eq!(code, 4);
    let before = std::fs::read(&rec).unwrap();
    let restart = |kg: &str, extra: &[&str]| {
        let mut a = vec![
            "start",
            "--indication",
            "ghd",
            "--weight-kg",
            kg,
            "--resolved",
            "critical-illness",
            "--as-of",
            "2026-04-10",
        ];
        a.extend(extra);
        on_record(r, &a)
    };
    let (code, err) = restart("62", &[]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: --weight-kg 62 kg is +138.5% from the previous 26 kg (on 2026-02-10, 0.16 years earlier)")
            && err.contains("likely slip: digits swapped (62 for 26 kg)?"),
        "{err}"
    );
    assert_eq!(std::fs::read(&rec).unwrap(), before);
    let (code, out) = restart("26.5", &[]);
    assert_eq!(code, 0, "{out}");
    // A real gain passes confirmed (on the record as it was).
    std::fs::write(&rec, &before).unwrap();
    let (code, out) = restart("62", &["--confirm", "weight"]);
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(
        v["rationale"].to_string().contains(
            "weight confirmed as real (--confirm weight): 62 kg is +138.5% from the previous 26 kg"
        ),
        "{}",
        v["rationale"]
    );
}

#[test]
fn a_confirmed_weight_beyond_any_childs_is_never_dosed_per_kg() {
    // Start: no dose is computed on it; the block names the flag and the
    // exit is 4 (the output printed in full).
    let (code, v) = json(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "240",
        "--height-cm",
        "175",
        "--age-years",
        "15",
        "--sex",
        "male",
        "--product",
        "genotropin",
        "--confirm",
        "weight",
    ]);
    assert_eq!(code, 4);
    assert_eq!(v["recommendation"]["action"], "withhold");
    assert!(v["recommendation"]["dose"].is_null());
    assert_eq!(codes(&v)[0], "WEIGHT_BEYOND_DOSING_EVIDENCE");
    assert!(v["sources"].to_string().contains("hawcutt-2017"));
    // 170 kg is within the limit (172.6 kg at 15 years): dosed as before.
    let (code, v) = json(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "170",
        "--height-cm",
        "175",
        "--age-years",
        "15",
        "--sex",
        "male",
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["recommendation"]["dose"]["mg_per_week"], 27.2);
    assert!(!codes(&v).contains(&"WEIGHT_BEYOND_DOSING_EVIDENCE".to_string()));
    // Titrate: a reduction for a high IGF-1 is still made on it.
    let (code, v) = titrate(&[
        "--indication",
        "ghd",
        "--weight-kg",
        "240",
        "--height-cm",
        "175",
        "--age-years",
        "15",
        "--sex",
        "male",
        "--current-mg-per-week",
        "12",
        "--igf1-sds",
        "2.8",
        "--confirm",
        "weight",
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["recommendation"]["action"], "decrease");
    assert_eq!(v["recommendation"]["dose"]["mg_per_week"], 10.2);
    assert!(codes(&v).contains(&"DOSE_KEPT_AT_EXTREME_WEIGHT".to_string()));
    // The same weight with no change proposed: a plain maintain, no line
    // about an increase withheld; with a lighter previous weight (growth
    // would raise the dose), the increase is withheld and said.
    let visit = |extra: &[&str]| {
        titrate(
            &[
                &[
                    "--indication",
                    "ghd",
                    "--weight-kg",
                    "240",
                    "--height-cm",
                    "175",
                    "--age-years",
                    "15",
                    "--sex",
                    "male",
                    "--current-mg-per-week",
                    "12",
                    "--confirm",
                    "weight",
                ][..],
                extra,
            ]
            .concat(),
        )
        .1
    };
    let v = visit(&[]);
    assert_eq!(v["recommendation"]["action"], "maintain");
    assert!(
        !v["rationale"].to_string().contains("no increase on it"),
        "{}",
        v["rationale"]
    );
    let v = visit(&[
        "--previous-weight-kg",
        "230",
        "--last-dose-change",
        "2026-06-01",
    ]);
    assert_eq!(v["recommendation"]["action"], "maintain");
    assert_eq!(v["recommendation"]["dose"]["mg_per_week"], 12.0);
    assert!(v["rationale"].to_string().contains(
        "the weight is confirmed beyond any child's of the age: no increase on it; the current 12 mg/week is kept"
    ), "{}", v["rationale"]);
}
