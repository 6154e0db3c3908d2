//! The course's transitions (issue 18, item 4): a restart after a stop for a
//! safety reason, a switch of molecule in either direction, a retest off
//! treatment at transition, Prader-Willi syndrome with severe obesity, and
//! obesity without the sex.

use crate::{codes, fails};
use serde_json::Value;
use std::path::Path;

fn run(args: &[&str]) -> (i32, Value) {
    crate::run_json(args)
}

fn why(v: &Value) -> String {
    v["rationale"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

fn lines(p: &Path) -> usize {
    std::fs::read_to_string(p).unwrap().lines().count()
}

/// An adult on 0.75 mg/day of Norditropin (line 2), stopped for
/// papilledema (line 3).
fn adult_stopped(dir: &Path) -> String {
    let rec = dir.join("adult.jsonl");
    let r = rec.to_str().unwrap().to_string();
    let (c, _) = run(&[
        "start",
        "--indication",
        "adult-ghd",
        "--sex",
        "female",
        "--birth-date",
        "1980-01-01",
        "--product",
        "norditropin",
        "--as-of",
        "2026-01-10",
        "--record",
        &r,
    ]);
    assert_eq!(c, 0);
    let (c, v) = run(&[
        "titrate",
        "--current-mg-per-day",
        "0.75",
        "--igf1-sds",
        "0.5",
        "--as-of",
        "2026-02-10",
        "--record",
        &r,
    ]);
    assert_eq!(
        (c, v["recommendation"]["action"].as_str()),
        (0, Some("maintain"))
    );
    let (c, v) = run(&[
        "titrate",
        "--symptom",
        "papilledema",
        "--as-of",
        "2026-03-10",
        "--record",
        &r,
    ]);
    assert_eq!(
        (c, v["recommendation"]["action"].as_str()),
        (4, Some("stop"))
    );
    r
}

#[test]
fn after_a_stop_for_papilledema_titrate_points_to_the_restart() {
    let dir = tempfile::tempdir().unwrap();
    let r = adult_stopped(dir.path());
    // Today's defect: 0.75 -> 0.8 mg/day with no flag. Now refused, naming
    // the command that works and the signs.
    let (c, err) = fails(&[
        "titrate",
        "--current-mg-per-day",
        "0.75",
        "--igf1-sds",
        "-0.5",
        "--as-of",
        "2026-05-10",
        "--record",
        &r,
    ]);
    assert_eq!(c, 2);
    assert!(
        err.contains("gave no dose (stop: INTRACRANIAL_HYPERTENSION)"),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "gh-dose start --indication adult-ghd --weight-kg KG --product norditropin --record {r} --signs-resolved"
        )),
        "{err}"
    );
    assert_eq!(lines(Path::new(&r)), 3);
}

#[test]
fn a_restart_after_papilledema_needs_the_signs_resolved_and_is_lower() {
    let dir = tempfile::tempdir().unwrap();
    let r = adult_stopped(dir.path());
    let start = |extra: &[&str]| {
        let mut a = vec![
            "start",
            "--indication",
            "adult-ghd",
            "--product",
            "norditropin",
            "--as-of",
            "2026-05-10",
            "--record",
            &r,
        ];
        a.extend_from_slice(extra);
        a.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let a = start(&[]);
    let (c, err) = fails(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(c, 2);
    assert!(err.starts_with("error: --signs-resolved is required: treatment was stopped on 2026-03-10 for INTRACRANIAL_HYPERTENSION"), "{err}");
    assert!(err.contains("(fundoscopy)"), "{err}");
    assert_eq!(lines(Path::new(&r)), 3, "a refusal appends nothing");
    let a = start(&["--signs-resolved"]);
    let (c, v) = run(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(c, 0, "{v}");
    assert_eq!(v["recommendation"]["action"], "start");
    // 0.2 mg/day, below the 0.75 mg/day before the stop.
    assert_eq!(
        v["recommendation"]["dose"]["deliverable"]["mg_per_injection"],
        0.2
    );
    assert!(codes(&v).contains(&"RESTART_AFTER_SAFETY_STOP".to_string()));
    let flag = v["flags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "RESTART_AFTER_SAFETY_STOP")
        .unwrap();
    assert!(flag["message"].as_str().unwrap().contains("fundoscopy"));
    assert!(why(&v).contains("the restart ceiling after a stop for INTRACRANIAL_HYPERTENSION (the 5.25 mg/week given before the stop less 50 %, 2.625 mg/week)"), "{}", why(&v));
    // Seen again within the first 8 weeks, with a fundoscopy.
    let review = &v["recommendation"]["next_review"];
    assert_eq!(
        (review["earliest"].as_str(), review["latest"].as_str()),
        (Some("2026-06-07"), Some("2026-07-05")),
        "{v}"
    );
    assert_eq!(review["what"][0], "fundoscopy", "{v}");
    assert!(why(&v).contains("restart after INTRACRANIAL_HYPERTENSION: reviewed in the rule set's after-safety-restart window"), "{}", why(&v));
    assert_eq!(lines(Path::new(&r)), 4);
}

#[test]
fn a_child_restarting_after_papilledema_is_capped_below_the_dose_before() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("child.jsonl");
    let r = rec.to_str().unwrap();
    let (c, v) = run(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "26",
        "--sex",
        "male",
        "--birth-date",
        "2016-01-01",
        "--product",
        "norditropin",
        "--as-of",
        "2026-01-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 0);
    assert_eq!(
        v["recommendation"]["dose"]["deliverable"]["mg_per_week"],
        4.55
    );
    let (c, _) = run(&[
        "titrate",
        "--weight-kg",
        "27",
        "--symptom",
        "papilledema",
        "--as-of",
        "2026-03-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 4);
    let (c, v) = run(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "30",
        "--product",
        "norditropin",
        "--signs-resolved",
        "--as-of",
        "2026-05-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 0, "{v}");
    // The start dose on 30 kg would be 5.1 mg/week; at most half of 4.55.
    let d = &v["recommendation"]["dose"]["deliverable"];
    assert_eq!(d["mg_per_week"], 2.275);
    assert!(codes(&v).contains(&"RESTART_AFTER_SAFETY_STOP".to_string()));
}

#[test]
fn a_restart_after_a_stop_for_another_reason_is_a_plain_start() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("ill.jsonl");
    let r = rec.to_str().unwrap();
    run(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "26",
        "--sex",
        "male",
        "--birth-date",
        "2016-01-01",
        "--as-of",
        "2026-01-10",
        "--record",
        r,
    ]);
    let (c, _) = run(&[
        "titrate",
        "--weight-kg",
        "26",
        "--condition",
        "critical-illness",
        "--as-of",
        "2026-02-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 4);
    // The condition is carried: the restart is withheld until it is
    // resolved (the withhold is a visit: the record is put back after).
    let before = std::fs::read(&rec).unwrap();
    let (c, v) = run(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "26",
        "--as-of",
        "2026-04-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 4, "{v}");
    assert!(
        why(&v).contains("from the visit record, line 2: condition critical-illness"),
        "{}",
        why(&v)
    );
    assert!(codes(&v).contains(&"CRITICAL_ILLNESS".to_string()));
    std::fs::write(&rec, &before).unwrap();
    let (c, v) = run(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "26",
        "--resolved",
        "critical-illness",
        "--as-of",
        "2026-04-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 0, "{v}");
    assert!(
        why(&v).contains("critical-illness resolved (--resolved critical-illness): held by the visit record (line 2), no longer carried"),
        "{}",
        why(&v)
    );
    assert!(!codes(&v).contains(&"RESTART_AFTER_SAFETY_STOP".to_string()));
    assert!(
        why(&v).contains("restart: treatment was stopped on 2026-02-10"),
        "{}",
        why(&v)
    );
    assert!(why(&v).starts_with("the record's last visit (2026-02-10, line 2) gave no dose (stop); this start is the restart"));
}

#[test]
fn a_restart_keeps_a_reduction_for_a_high_igf1_made_before_the_stop() {
    // 5.25 mg/week, IGF-1 +3.5: 4.55; a stop for critical illness; the
    // restart is no higher than 4.55 on today's weight, not the plain start.
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("red.jsonl");
    let r = rec.to_str().unwrap();
    let who = ["--sex", "male", "--birth-date", "2016-01-01"];
    let (c, v) = run(&[
        &[
            "start",
            "--indication",
            "ghd",
            "--product",
            "norditropin",
            "--weight-kg",
            "30",
            "--height-cm",
            "130",
            "--as-of",
            "2026-01-10",
            "--record",
            r,
        ][..],
        &who[..],
    ]
    .concat());
    assert_eq!(c, 0, "{v}");
    let (c, v) = run(&[
        "titrate",
        "--weight-kg",
        "31",
        "--height-cm",
        "132",
        "--igf1-sds",
        "3.5",
        "--as-of",
        "2026-04-10",
        "--record",
        r,
    ]);
    assert_eq!(
        (c, v["recommendation"]["change"]["to_mg_per_week"].as_f64()),
        (0, Some(4.55))
    );
    let (c, _) = run(&[
        "titrate",
        "--weight-kg",
        "31",
        "--height-cm",
        "132",
        "--condition",
        "critical-illness",
        "--as-of",
        "2026-06-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 4);
    let (c, v) = run(&[
        "start",
        "--indication",
        "ghd",
        "--product",
        "norditropin",
        "--weight-kg",
        "33",
        "--height-cm",
        "133",
        "--resolved",
        "critical-illness",
        "--as-of",
        "2026-07-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 0, "{v}");
    // 4.55 x 33 / 31 = 4.844 mg/week: 0.675 mg a day on the pen.
    assert_eq!(
        v["recommendation"]["dose"]["deliverable"]["mg_per_week"],
        4.725
    );
    assert!(why(&v).contains("restart: the last change before the stop was a reduction for a high IGF-1: no higher than the reduction of 2026-04-10 for IGF-1 SDS +3.5 (4.55 mg/week) on today's weight, 4.844 mg/week"), "{}", why(&v));
}

#[test]
fn a_restart_after_papilledema_on_another_molecule_is_below_its_own_start() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("other.jsonl");
    let r = rec.to_str().unwrap();
    let who = ["--sex", "male", "--birth-date", "2016-01-01"];
    let (c, v) = run(&[
        &[
            "start",
            "--indication",
            "ghd",
            "--product",
            "norditropin",
            "--weight-kg",
            "30",
            "--height-cm",
            "130",
            "--as-of",
            "2026-01-10",
            "--record",
            r,
        ][..],
        &who[..],
    ]
    .concat());
    assert_eq!(c, 0, "{v}");
    let (c, _) = run(&[
        "titrate",
        "--weight-kg",
        "31",
        "--height-cm",
        "132",
        "--symptom",
        "papilledema",
        "--as-of",
        "2026-04-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 4);
    // Ngenla's start at 31 kg is 0.66 x 31 = 20.46 mg/week: at most half of it.
    let (c, v) = run(&[
        "start",
        "--indication",
        "ghd",
        "--product",
        "ngenla",
        "--signs-resolved",
        "--weight-kg",
        "31",
        "--height-cm",
        "133",
        "--as-of",
        "2026-07-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 0, "{v}");
    assert!(
        v["recommendation"]["dose"]["deliverable"]["mg_per_week"]
            .as_f64()
            .unwrap()
            <= 10.23
    );
    assert!(codes(&v).contains(&"RESTART_AFTER_SAFETY_STOP".to_string()));
    assert!(
        why(&v).contains("this molecule's start 20.46 mg/week less 50 %, 10.23 mg/week"),
        "{}",
        why(&v)
    );
}

#[test]
fn switching_molecule_works_in_both_directions() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("switch.jsonl");
    let r = rec.to_str().unwrap();
    let base = ["--indication", "ghd", "--as-of"];
    let (c, _) = run(&[
        "start",
        base[0],
        base[1],
        "--weight-kg",
        "26",
        "--sex",
        "male",
        "--birth-date",
        "2016-01-01",
        base[2],
        "2026-01-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 0);
    let (c, _) = run(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "26",
        "--product",
        "sogroya",
        "--switching-from-daily",
        "--as-of",
        "2026-03-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 0);
    // Titrating on another molecule points to the start that works (no
    // --switching-from-daily back to daily somatropin).
    let (c, err) = fails(&[
        "titrate",
        "--weight-kg",
        "27",
        "--product",
        "genotropin",
        "--as-of",
        "2026-05-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 2);
    assert!(
        err.contains(&format!(
            "switch with gh-dose start --product genotropin --record {r},"
        )),
        "{err}"
    );
    // Back to daily somatropin: a start on the new molecule.
    let (c, v) = run(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "27",
        "--product",
        "genotropin",
        "--as-of",
        "2026-05-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 0, "{v}");
    assert!(
        why(&v).starts_with(
            "switch: the record's last visit (2026-03-10, line 2) gave 4.16 mg/week of sogroya"
        ),
        "{}",
        why(&v)
    );
    assert_eq!(lines(&rec), 3);
    // On a dose of the same molecule, start names the titration.
    let (c, err) = fails(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "27",
        "--as-of",
        "2026-05-11",
        "--record",
        r,
    ]);
    assert_eq!(c, 2);
    assert!(
        err.contains(&format!(
            "a visit on treatment is a titration: gh-dose titrate --record {r}"
        )),
        "{err}"
    );
}

#[test]
fn the_retest_off_treatment_at_transition_is_not_titrated() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("transition.jsonl");
    let r = rec.to_str().unwrap();
    run(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "55",
        "--sex",
        "male",
        "--birth-date",
        "2009-01-01",
        "--as-of",
        "2025-01-10",
        "--record",
        r,
    ]);
    // Epiphyses closed: growth treatment stops.
    let (c, _) = run(&[
        "titrate",
        "--weight-kg",
        "60",
        "--condition",
        "closed-epiphyses",
        "--as-of",
        "2026-01-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 4);
    // The retest IGF-1 (off treatment) with a dose typed: once +67 %, now refused.
    let (c, err) = fails(&[
        "titrate",
        "--indication",
        "transition",
        "--current-mg-per-day",
        "0.3",
        "--igf1-sds",
        "-2.5",
        "--as-of",
        "2026-03-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 2);
    assert!(
        err.contains(
            "an IGF-1 drawn now (at transition, the retest) is a baseline, not a response"
        ),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "the restart is a start: gh-dose start --indication transition --weight-kg KG --record {r}"
        )),
        "{err}"
    );
    assert!(!err.contains("--signs-resolved"), "{err}");
    // The adult start is the transition.
    let (c, v) = run(&[
        "start",
        "--indication",
        "transition",
        "--as-of",
        "2026-03-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 0, "{v}");
    assert_eq!(v["recommendation"]["dose"]["mg_per_injection"], 0.2);
}

#[test]
fn pws_with_severe_obesity_is_withheld_and_stopped() {
    let (c, v) = run(&[
        "start",
        "--indication",
        "pws",
        "--age-years",
        "8",
        "--sex",
        "female",
        "--weight-kg",
        "60",
        "--height-cm",
        "125",
        "--as-of",
        "2026-05-10",
    ]);
    assert_eq!(c, 4);
    assert_eq!(v["recommendation"]["action"], "withhold");
    assert_eq!(v["recommendation"]["dose"], Value::Null);
    assert!(codes(&v).contains(&"PWS_CONTRAINDICATION".to_string()));
    assert!(why(&v).contains("186 % of the 95th centile"), "{}", why(&v));
    let (c, v) = run(&[
        "titrate",
        "--indication",
        "pws",
        "--age-years",
        "8",
        "--sex",
        "male",
        "--weight-kg",
        "60",
        "--height-cm",
        "125",
        "--current-mg-per-week",
        "10",
        "--as-of",
        "2026-05-10",
    ]);
    assert_eq!(c, 4);
    assert_eq!(v["recommendation"]["action"], "stop");
    // Obesity short of severe: a dose with the warning.
    let (c, v) = run(&[
        "start",
        "--indication",
        "pws",
        "--age-years",
        "8",
        "--sex",
        "female",
        "--weight-kg",
        "35",
        "--height-cm",
        "125",
        "--as-of",
        "2026-05-10",
    ]);
    assert_eq!(c, 0);
    assert!(codes(&v).contains(&"PWS_OBESITY".to_string()));
    assert!(!codes(&v).contains(&"PWS_CONTRAINDICATION".to_string()));
}

#[test]
fn obesity_without_the_sex_is_judged_for_both_sexes() {
    // 38.4 kg/m2 at 8: above the 95th centile for both sexes (severe too).
    let (c, v) = run(&[
        "start",
        "--indication",
        "pws",
        "--age-years",
        "8",
        "--weight-kg",
        "60",
        "--height-cm",
        "125",
        "--as-of",
        "2026-05-10",
    ]);
    assert_eq!(c, 4);
    assert!(codes(&v).contains(&"PWS_OBESITY".to_string()));
    assert!(codes(&v).contains(&"PWS_CONTRAINDICATION".to_string()));
    assert!(
        why(&v).contains("sex not given: SDS 2.9 for a boy and 2.94 for a girl"),
        "{}",
        why(&v)
    );
    // 22.4 kg/m2 at 8: obese for both, not severely.
    let (c, v) = run(&[
        "start",
        "--indication",
        "pws",
        "--age-years",
        "8",
        "--weight-kg",
        "35",
        "--height-cm",
        "125",
        "--as-of",
        "2026-05-10",
    ]);
    assert_eq!(c, 0);
    assert!(codes(&v).contains(&"PWS_OBESITY".to_string()));
    assert!(codes(&v).contains(&"GLUCOSE_MONITORING".to_string()));
    assert!(!codes(&v).contains(&"PWS_CONTRAINDICATION".to_string()));
}

#[test]
fn inputs_that_do_not_apply_and_bad_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    // A rule file that is not UTF-8: file:line:col, exit 3.
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, b"schema_version = 1\nname = \"x\xff\"\n").unwrap();
    let b = bad.to_str().unwrap();
    let (c, err) = fails(&["rules", "check", b]);
    assert_eq!(c, 3);
    assert_eq!(err, format!("error: {b}:2:10: not UTF-8 text\n"));
    // An unknown JSON field with a null value.
    let j = dir.path().join("r.json");
    std::fs::write(
        &j,
        r#"{"command":"start","indication":"ghd","weight_kg":20,"foo":null}"#,
    )
    .unwrap();
    let (c, err) = fails(&["start", "--input", j.to_str().unwrap()]);
    assert_eq!(c, 2);
    assert!(
        err.starts_with("error: unknown field 'foo' for start"),
        "{err}"
    );
    // Oral estrogen for a child; a pretreatment velocity for an adult.
    let (c, err) = fails(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "20",
        "--age-years",
        "8",
        "--oral-estrogen",
    ]);
    assert_eq!(c, 2);
    assert!(
        err.starts_with("error: --oral-estrogen does not apply to ghd (pediatric)"),
        "{err}"
    );
    let (c, err) = fails(&[
        "titrate",
        "--indication",
        "adult-ghd",
        "--age-years",
        "40",
        "--current-mg-per-day",
        "0.3",
        "--pretreatment-hv-cm-per-year",
        "4",
    ]);
    assert_eq!(c, 2);
    assert!(
        err.starts_with("error: --pretreatment-hv-cm-per-year 4 does not apply to adult-ghd"),
        "{err}"
    );
}

#[test]
fn a_switch_between_weekly_products_states_the_labels_interval() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("w.jsonl");
    let r = rec.to_str().unwrap();
    let (code, _) = run(&[
        "start",
        "--record",
        r,
        "--indication",
        "ghd",
        "--product",
        "sogroya",
        "--birth-date",
        "2018-01-01",
        "--sex",
        "male",
        "--weight-kg",
        "25",
        "--as-of",
        "2026-03-01",
    ]);
    assert_eq!(code, 0);
    let (code, v) = run(&[
        "start",
        "--record",
        r,
        "--indication",
        "ghd",
        "--product",
        "skytrofa",
        "--weight-kg",
        "26",
        "--as-of",
        "2026-06-01",
    ]);
    assert_eq!(code, 0);
    let w = why(&v);
    assert!(w.contains(
        "switch: the record's last visit (2026-03-01, line 1) gave 4 mg/week of sogroya; this starts another molecule; Skytrofa starts at least 7 days after the last weekly dose of the product before (Skytrofa label)"
    ), "{w}");
    assert!(!w.contains("mg/week of daily somatropin"), "{w}");
}
