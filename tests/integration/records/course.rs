//! The record across a course: one decision per IGF-1 sample, start only
//! without a dose, products and molecules, a stop, refused values.

use super::{count, reduced, run, why};
use crate::{fails, gh};
use serde_json::Value;

#[test]
fn one_igf1_sample_is_decided_on_once() {
    let dir = tempfile::tempdir().unwrap();
    let rec = reduced(dir.path());
    let r = rec.to_str().unwrap();
    // Another request on the sample of 2026-07-10 (another weight): it was
    // decided on, and the message names how to correct that visit.
    let (c, err) = fails(&[
        "titrate",
        "--weight-kg",
        "27",
        "--height-cm",
        "123",
        "--igf1-sds",
        "2.8",
        "--as-of",
        "2026-07-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 2);
    assert!(err.starts_with("error: --igf1-date 2026-07-10 (the IGF-1 sample's date; the as-of date when not given): the sample of that date was decided on at the visit of 2026-07-10 (line 2)"), "{err}");
    assert!(
        err.contains(&format!("gh-dose record void {r} --line 2 --reason TEXT")),
        "{err}"
    );
    assert_eq!(count(&rec), 2);
    // The recorded sample date is the as-of date when none was given.
    let line2: Value = serde_json::from_str(
        std::fs::read_to_string(&rec)
            .unwrap()
            .lines()
            .nth(1)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(line2["igf1"]["date"], "2026-07-10");
    // A later visit with the same sample named by its date: refused too.
    let (c, _) = fails(&[
        "titrate",
        "--weight-kg",
        "26",
        "--igf1-sds",
        "2.8",
        "--igf1-date",
        "2026-07-10",
        "--as-of",
        "2026-08-01",
        "--record",
        r,
    ]);
    assert_eq!(c, 2);
    // A visit without IGF-1 on the same day is not a second decision on it.
    let (code, _) = run(&[
        "titrate",
        "--weight-kg",
        "26",
        "--as-of",
        "2026-07-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0);
}

#[test]
fn start_is_refused_once_a_dose_was_given_and_allowed_for_a_switch() {
    let dir = tempfile::tempdir().unwrap();
    let rec = reduced(dir.path());
    let r = rec.to_str().unwrap();
    let (c, err) = fails(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "26",
        "--product",
        "genotropin",
        "--as-of",
        "2026-08-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 2);
    assert!(
        err.contains(
            "the same molecule: a visit on treatment is a titration: gh-dose titrate --record"
        ),
        "{err}"
    );
    assert_eq!(count(&rec), 2);
    // Another molecule: a switch, said as such.
    let (c, _) = fails(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "26",
        "--product",
        "sogroya",
        "--switching-from-daily",
        "--age-years",
        "10",
        "--as-of",
        "2026-08-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 2, "--age-years is refused with a record");
    let (code, v) = run(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "26",
        "--product",
        "sogroya",
        "--switching-from-daily",
        "--as-of",
        "2026-08-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    assert!(why(&v).starts_with("switch: the record's last visit (2026-07-10, line 2) gave 3.675 mg/week of norditropin (its last change, 2026-07-10 line 2, was a reduction for IGF-1 SDS +2.8: it does not carry over; check IGF-1 on the new product); this starts another molecule"), "{}", why(&v));
    assert_eq!(count(&rec), 3);
    // The titration chart names both products and labels the change.
    let out = gh(&["chart", "titration", r, "-o", "-"]).output().unwrap();
    let svg = String::from_utf8(out.stdout).unwrap();
    assert!(svg.contains("norditropin then sogroya"), "title");
    assert!(svg.contains("start on sogroya"), "label");
    // The dose of each product is its own step line.
    assert_eq!(svg.matches("class=\"dose\"").count(), 2);
}

#[test]
fn a_brand_of_the_same_molecule_keeps_the_dose_and_the_reduction() {
    let dir = tempfile::tempdir().unwrap();
    let rec = reduced(dir.path());
    let r = rec.to_str().unwrap();
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "28",
        "--height-cm",
        "126",
        "--igf1-sds",
        "0.5",
        "--prescribed-mg-per-kg-week",
        "0.175",
        "--product",
        "genotropin",
        "--as-of",
        "2027-01-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    let w = why(&v);
    assert!(w.contains("--product genotropin given: the record's dose was on norditropin (line 2); the same molecule: the dose carries over"), "{w}");
    assert!(
        w.contains("the dose was reduced on 2026-07-10 for IGF-1 SDS +2.8 (line 2)"),
        "{w}"
    );
    // 3.675 mg/week at 26 kg, today 28 kg: no higher than 3.958 mg/week
    // (0.175 mg/kg/week, the intensity before the reduction, would be 4.9).
    let d = &v["recommendation"]["dose"];
    assert!(
        d["deliverable"]["mg_per_week"].as_f64().unwrap() <= 3.958,
        "{d}"
    );
    assert_eq!(v["recommendation"]["current_dose"]["mg_per_week"], 3.675);
    let last: Value = serde_json::from_str(
        std::fs::read_to_string(&rec)
            .unwrap()
            .lines()
            .last()
            .unwrap(),
    )
    .unwrap();
    assert!(
        last["decision"]["overridden"]
            .as_array()
            .unwrap()
            .contains(&Value::from("product"))
    );
    // Another molecule without its own current dose: refused.
    let (c, err) = fails(&[
        "titrate",
        "--weight-kg",
        "28",
        "--igf1-sds",
        "0.5",
        "--product",
        "sogroya",
        "--last-injection",
        "2027-01-07",
        "--as-of",
        "2027-01-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 2);
    assert!(err.contains("sogroya is another molecule than the record's genotropin (line 3): doses are not converted mg-for-mg"), "{err}");
    // From daily somatropin, the switch start names --switching-from-daily.
    assert!(
        err.contains("switch with gh-dose start --product sogroya --switching-from-daily --record"),
        "{err}"
    );
}

/// From one weekly analogue to another the switch is a plain start: it
/// never names --switching-from-daily.
#[test]
fn a_switch_between_weekly_products_is_not_named_a_switch_from_daily() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("weekly.jsonl");
    let r = rec.to_str().unwrap();
    let (code, v) = run(&[
        "start",
        "--indication",
        "ghd",
        "--sex",
        "male",
        "--birth-date",
        "2017-03-01",
        "--as-of",
        "2026-01-10",
        "--weight-kg",
        "30",
        "--height-cm",
        "130",
        "--product",
        "ngenla",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    let (c, err) = fails(&[
        "titrate",
        "--weight-kg",
        "31",
        "--igf1-sds",
        "0.5",
        "--product",
        "sogroya",
        "--last-injection",
        "2026-04-06",
        "--as-of",
        "2026-04-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 2);
    assert!(
        err.contains("sogroya is another molecule than the record's ngenla (line 1)"),
        "{err}"
    );
    assert!(
        err.contains("switch with gh-dose start --product sogroya --record"),
        "{err}"
    );
    assert!(!err.contains("--switching-from-daily"), "{err}");
}

#[test]
fn after_a_stop_the_record_still_knows_the_course() {
    let dir = tempfile::tempdir().unwrap();
    let rec = reduced(dir.path());
    let r = rec.to_str().unwrap();
    let (code, _) = run(&[
        "titrate",
        "--weight-kg",
        "27",
        "--height-cm",
        "124",
        "--symptom",
        "papilledema",
        "--as-of",
        "2026-09-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 4);
    // A titration after the stop is refused, naming the restart that works.
    let (c, err) = fails(&[
        "titrate",
        "--weight-kg",
        "28",
        "--current-mg-per-week",
        "3.675",
        "--as-of",
        "2026-10-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 2);
    assert!(
        err.contains(
            "the last visit (2026-09-10, line 3) gave no dose (stop: INTRACRANIAL_HYPERTENSION"
        ),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "gh-dose start --indication ghd --weight-kg KG --product norditropin --record {r} --signs-resolved"
        )),
        "{err}"
    );
    // The restart: a start on the record, lower than the dose before the
    // stop (3.675 mg/week less 50 %), the stop named.
    let (code, v) = run(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "28",
        "--height-cm",
        "126",
        "--product",
        "norditropin",
        "--signs-resolved",
        "--as-of",
        "2027-01-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    let w = why(&v);
    assert!(
        w.contains("restart: treatment was stopped on 2026-09-10"),
        "{w}"
    );
    // The stop's reason is its blocking flag only, not the warnings beside it.
    let line = w
        .lines()
        .find(|l| l.starts_with("restart: treatment was stopped on"))
        .unwrap();
    assert!(line.ends_with(": INTRACRANIAL_HYPERTENSION)"), "{line}");
    assert_eq!(v["product"]["id"], "norditropin");
    let given = v["recommendation"]["dose"]["deliverable"]["mg_per_week"]
        .as_f64()
        .unwrap();
    assert!(given <= 1.8375 && given > 1.5, "{given}");
}

#[test]
fn a_value_of_the_record_the_core_refuses_is_reported_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let rec = reduced(dir.path());
    let r = rec.to_str().unwrap();
    // Hand-edit line 2: 3.675 mg/week becomes 36.75 (a slip), consistently.
    let text = std::fs::read_to_string(&rec).unwrap();
    let edited = text.replacen(
        "\"mg_per_injection\":0.525,\"mg_per_week\":3.675",
        "\"mg_per_injection\":5.25,\"mg_per_week\":36.75",
        1,
    );
    assert_ne!(edited, text);
    std::fs::write(&rec, &edited).unwrap();
    let (c, err) = fails(&[
        "titrate",
        "--weight-kg",
        "26",
        "--as-of",
        "2027-01-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 3, "{err}");
    assert!(err.starts_with(&format!("error: {r}:2:1: the current_mg_per_week read from this line is refused: --current-mg-per-week")), "{err}");
    // A line whose weekly dose is not its injections' sum fails the check.
    std::fs::write(
        &rec,
        text.replacen(
            "\"mg_per_injection\":0.525,\"mg_per_week\":3.675",
            "\"mg_per_injection\":0.525,\"mg_per_week\":4.675",
            1,
        ),
    )
    .unwrap();
    let (c, err) = fails(&["record", "check", r]);
    assert_eq!(c, 3);
    assert!(
        err.contains("dose.mg_per_week 4.675 is not 0.525 mg x 7 injections a week"),
        "{err}"
    );
}

#[test]
fn a_second_look_at_the_record_guards() {
    let dir = tempfile::tempdir().unwrap();
    let rec = reduced(dir.path());
    let r = rec.to_str().unwrap();
    // The same result entered the next day (no --igf1-date): refused.
    let (c, err) = fails(&[
        "titrate",
        "--weight-kg",
        "26",
        "--height-cm",
        "123",
        "--igf1-sds",
        "2.8",
        "--as-of",
        "2026-07-11",
        "--record",
        r,
    ]);
    assert_eq!(c, 2);
    assert!(err.contains("2026-07-11 (the IGF-1 sample's date; the as-of date when not given) is 1 days after the reduction for IGF-1 of 2026-07-10 (line 2); a sample before 7 days cannot show the reduced dose"), "{err}");
    // Another molecule with its own dose: nothing of the old molecule's
    // history is read (its weight would misjudge the new dose).
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "30",
        "--height-cm",
        "126",
        "--igf1-sds",
        "0.5",
        "--igf1-date",
        "2026-12-10",
        "--last-injection",
        "2026-12-06",
        "--product",
        "sogroya",
        "--current-mg-per-week",
        "4.2",
        "--as-of",
        "2026-12-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    assert!(why(&v).contains("the current dose is of another molecule than the record's: its last change and the weight then are not read from the record"));
    assert_eq!(v["patient"]["previous_weight_kg"], Value::Null);
    assert_eq!(v["patient"]["last_dose_change"], Value::Null);
    // After a stop for papilledema, start is the restart, refused until the
    // signs have resolved.
    let dir = tempfile::tempdir().unwrap();
    let rec = reduced(dir.path());
    let r = rec.to_str().unwrap();
    let (code, _) = run(&[
        "titrate",
        "--weight-kg",
        "27",
        "--symptom",
        "papilledema",
        "--as-of",
        "2026-09-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 4);
    let (c, err) = fails(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "30",
        "--product",
        "norditropin",
        "--as-of",
        "2026-12-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 2);
    assert!(err.contains("--signs-resolved is required: treatment was stopped on 2026-09-10 for INTRACRANIAL_HYPERTENSION"), "{err}");
    // Batch: a record with a bad line is the record field's error.
    let records = dir.path().join("records");
    std::fs::create_dir(&records).unwrap();
    std::fs::write(records.join("cut.jsonl"), "{\"record\":").unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        "{\"command\":\"titrate\",\"weight_kg\":26,\"record\":\"cut.jsonl\"}\n",
    )
    .unwrap();
    let out = gh(&[
        "batch",
        input.to_str().unwrap(),
        "--records-dir",
        records.to_str().unwrap(),
    ])
    .output()
    .unwrap();
    let line: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["error"]["field"], "record", "{line}");
    assert_eq!(line["error"]["code"], 3);
}

/// A child on the record for a year, with a visit in between: the first
/// year is judged from the height at the start of treatment, not from the
/// visit six months ago.
#[test]
fn the_first_year_is_judged_from_the_start_height_the_record_holds() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("first-year.jsonl");
    let r = rec.to_str().unwrap();
    let visit = |args: &[&str]| {
        let (code, v) = run(&[args, &["--record", r]].concat());
        assert_eq!(code, 0, "{v}");
        v
    };
    visit(&[
        "start",
        "--indication",
        "ghd",
        "--sex",
        "female",
        "--birth-date",
        "2018-03-01",
        "--as-of",
        "2026-01-10",
        "--weight-kg",
        "24",
        "--height-cm",
        "118",
    ]);
    visit(&[
        "titrate",
        "--as-of",
        "2026-07-10",
        "--weight-kg",
        "25",
        "--height-cm",
        "121",
        "--igf1-sds",
        "0",
    ]);
    let v = visit(&[
        "titrate",
        "--as-of",
        "2027-01-12",
        "--weight-kg",
        "26",
        "--height-cm",
        "121.5",
        "--igf1-sds",
        "0",
        "--pretreatment-hv-cm-per-year",
        "4",
    ]);
    let why = why(&v);
    // The velocity since the last visit is still the last half year's.
    assert!(
        why.contains("height velocity (121.5 - 121) cm / 0.51 years = 0.98 cm/year\n"),
        "{why}"
    );
    // The first year: 3.5 cm over 1.01 years from the start's 118 cm.
    assert!(
        why.contains("first-year response: 3.48 - 4 = -0.52 cm/year over pre-treatment (heights since 2026-01-10)\n"),
        "{why}"
    );
    assert!(
        why.contains("first-year change in height SDS: -1.57 -> -1.81 = -0.24 over 1 years on treatment (poor below 0.3)"),
        "{why}"
    );
    let flags: Vec<&str> = v["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(flags.contains(&"POOR_GROWTH_RESPONSE"), "{flags:?}");
}

/// A dose given a seventh of the record's (a daily dose typed per week) is
/// the slip it looks like: refused with the slip named, nothing recorded;
/// `--confirm dose` lets a real one through, named.
#[test]
fn a_dose_a_seventh_of_the_records_is_refused_as_a_unit_slip() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("slip.jsonl");
    let r = rec.to_str().unwrap();
    let (code, v) = run(&[
        "start",
        "--indication",
        "turner",
        "--sex",
        "female",
        "--birth-date",
        "2016-03-01",
        "--as-of",
        "2026-01-10",
        "--weight-kg",
        "40",
        "--height-cm",
        "140",
        "--product",
        "norditropin",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    let visit = [
        "titrate",
        "--as-of",
        "2026-07-10",
        "--weight-kg",
        "41",
        "--height-cm",
        "143",
        "--igf1-sds",
        "1",
        "--current-mg-per-week",
        "1.9",
        "--record",
        r,
    ];
    let (code, err) = fails(&visit);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: --current-mg-per-week 1.9 is a seventh of the record's 13.3 mg/week (line 1): a daily dose typed per week? did you mean --current-mg-per-day 1.9; leave it out to take the record's dose, or if it is the real dose add --confirm dose\n"
    );
    assert_eq!(count(&rec), 1);
    // The same dose given per day is the record's own: taken, no question.
    let (code, v) = run(&[&visit[..9], &["--current-mg-per-day", "1.9", "--record", r]].concat());
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["recommendation"]["current_dose"]["mg_per_week"], 13.3);
}

/// A visit before treatment started (a withheld start) is not the start
/// height: the first year is judged from the start that gave a dose.
#[test]
fn the_first_year_starts_at_the_start_that_gave_a_dose() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("withheld.jsonl");
    let r = rec.to_str().unwrap();
    let first = [
        "start",
        "--indication",
        "pws",
        "--sex",
        "female",
        "--birth-date",
        "2018-03-01",
        "--as-of",
        "2026-01-10",
        "--weight-kg",
        "24",
        "--height-cm",
        "118",
        "--condition",
        "pws-sleep-apnea",
        "--record",
        r,
    ];
    assert_eq!(run(&first).0, 4);
    let (code, v) = run(&[
        "start",
        "--indication",
        "pws",
        "--sex",
        "female",
        "--birth-date",
        "2018-03-01",
        "--as-of",
        "2026-03-10",
        "--weight-kg",
        "24.5",
        "--height-cm",
        "119",
        "--resolved",
        "pws-sleep-apnea",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    let (code, v) = run(&[
        "titrate",
        "--as-of",
        "2027-03-12",
        "--weight-kg",
        "27",
        "--height-cm",
        "124",
        "--pretreatment-hv-cm-per-year",
        "4",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    assert!(
        why(&v).contains("first-year response: 4.98 - 4 = 0.98 cm/year over pre-treatment (heights since 2026-03-10)"),
        "{}",
        why(&v)
    );
}
