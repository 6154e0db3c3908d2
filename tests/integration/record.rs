//! The visit record end to end: the three-visit walk-through, what titrate
//! reads and what a flag overrides, identity and order, interrupted and
//! concurrent appends, `record show`/`check`, batch with --records-dir.

use super::{fails, gh};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Runs a dosing command with `--format json` and its own `--as-of`.
fn run(args: &[&str]) -> (i32, Value) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = gh(&all).output().unwrap();
    let code = out.status.code().unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    (code, v)
}

fn lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect()
}

fn rationale(v: &Value) -> String {
    strs(&v["rationale"]).join("\n")
}

/// Visit 1 (start) and visit 2 (IGF-1 +2.6: a reduction) of a Turner girl.
fn first_two(dir: &Path) -> PathBuf {
    let rec = dir.join("p-0042.jsonl");
    let r = rec.to_str().unwrap();
    let (code, v) = run(&[
        "start",
        "--indication",
        "turner",
        "--sex",
        "female",
        "--birth-date",
        "2018-03-01",
        "--weight-kg",
        "24",
        "--height-cm",
        "118",
        "--product",
        "norditropin",
        "--as-of",
        "2026-01-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "26",
        "--height-cm",
        "122",
        "--igf1-sds",
        "2.6",
        "--as-of",
        "2026-07-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["recommendation"]["action"], "decrease");
    assert_eq!(v["recommendation"]["current_dose"]["mg_per_week"], 8.05);
    assert_eq!(
        v["recommendation"]["dose"]["deliverable"]["mg_per_week"],
        7.0
    );
    rec
}

#[test]
fn three_visits_start_reduce_for_a_high_igf1_then_keep_the_reduced_dose() {
    let dir = tempfile::tempdir().unwrap();
    let rec = first_two(dir.path());
    let r = rec.to_str().unwrap();
    // Visit 3: IGF-1 +1.0, same weight; no flag for the previous dose.
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "26",
        "--height-cm",
        "125",
        "--igf1-sds",
        "1.0",
        "--as-of",
        "2027-01-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    let rec_ = &v["recommendation"];
    assert_eq!(rec_["action"], "maintain", "{}", rationale(&v));
    assert_eq!(rec_["current_dose"]["mg_per_week"], 7.0);
    assert_eq!(rec_["dose"]["deliverable"]["mg_per_week"], 7.0);
    assert_eq!(v["product"]["id"], "norditropin");
    let why = rationale(&v);
    for said in [
        "from the visit record, line 2: indication turner; product norditropin; device flexpro-10; region US; current dose 7 mg/week (1 mg x 7 a week) since 2026-07-10; last dose change 2026-07-10 (decrease); weight 26 kg when the dose was set; previous height 122 cm on 2026-07-10\n",
        "from the visit record, line 1: treatment started 2026-01-10\n",
        "the dose was reduced on 2026-07-10 for IGF-1 SDS +2.6 (line 2): growth alone does not take it back up\n",
    ] {
        assert!(why.contains(said), "{said}\n{why}");
    }
    assert_eq!(v["patient"]["previous_weight_kg"], 26.0);
    assert_eq!(v["patient"]["treatment_start"], "2026-01-10");
    // The record holds three whole lines, each valid against the schema.
    let visits = lines(&rec);
    assert_eq!(visits.len(), 3);
    let schema: Value =
        serde_json::from_str(include_str!("../../docs/schema/record.v1.json")).unwrap();
    for (i, line) in visits.iter().enumerate() {
        let problems = schema_check::validate(&schema, line);
        assert!(problems.is_empty(), "line {}: {problems:?}", i + 1);
    }
    assert_eq!(visits[0]["decision"]["action"], "start");
    assert_eq!(visits[1]["decision"]["reduced_for_igf1"], true);
    assert_eq!(visits[1]["igf1"]["sds"], 2.6);
    assert_eq!(visits[1]["igf1"]["method"], "reported");
    assert_eq!(visits[1]["dose_before"]["mg_per_week"], 8.05);
    assert_eq!(visits[1]["dose"]["device"], "flexpro-10");
    assert_eq!(visits[2]["decision"]["action"], "maintain");
    assert_eq!(visits[2]["dose"]["mg_per_week"], 7.0);
    assert_eq!(visits[2]["rules"]["version"], v["rules"]["version"]);
    assert_eq!(visits[2]["rules"]["sha256"], v["rules"]["sha256"]);
    assert_eq!(
        strs(&visits[2]["decision"]["from_record"]),
        [
            "sex",
            "birth_date",
            "indication",
            "product",
            "device",
            "region",
            "current_mg_per_week",
            "last_dose_change",
            "previous_weight_kg",
            "previous_height_cm",
            "treatment_start"
        ]
    );
    assert!(strs(&visits[2]["decision"]["overridden"]).is_empty());
    let out = gh(&["record", "check", r, "--format", "human"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(
        said.ends_with(
            ": ok - 3 visits (2026-01-10 to 2027-01-10), female born 2018-03-01, record_version 1\n"
        ),
        "{said}"
    );
}

#[test]
fn growth_after_a_reduction_keeps_the_reduced_intensity_even_when_a_flag_asks_more() {
    let dir = tempfile::tempdir().unwrap();
    let rec = first_two(dir.path());
    let r = rec.to_str().unwrap();
    // 28 kg, and the intensity before the reduction typed again: the dose
    // goes no higher than 7 mg/week x 28/26 = 7.538 (on the pen: 7.35).
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "28",
        "--height-cm",
        "125",
        "--igf1-sds",
        "1.0",
        "--as-of",
        "2027-01-10",
        "--prescribed-mg-per-kg-week",
        "0.335",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    let d = &v["recommendation"]["dose"];
    assert_eq!(v["recommendation"]["action"], "increase");
    assert_eq!(d["mg_per_week"], 7.538, "{}", rationale(&v));
    assert_eq!(d["deliverable"]["mg_per_week"], 7.35);
    assert!(rationale(&v).contains(
        "growth takes it no higher than that intensity on today's weight, 7.538 mg/week"
    ));
    // An IGF-1 below the target is a reason to go past the reduction (adults).
    let rec = dir.path().join("adult.jsonl");
    let r = rec.to_str().unwrap();
    let adult = |extra: &[&str]| run(&[&["titrate", "--record", r], extra].concat());
    let (code, _) = run(&[
        "start",
        "--indication",
        "adult-ghd",
        "--sex",
        "male",
        "--birth-date",
        "1980-01-01",
        "--as-of",
        "2026-01-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0);
    let (_, v) = adult(&["--igf1-sds", "2.6", "--as-of", "2026-03-10"]);
    assert_eq!(
        v["recommendation"]["action"],
        "decrease",
        "{}",
        rationale(&v)
    );
    let reduced = v["recommendation"]["dose"]["mg_per_week"].as_f64().unwrap();
    let (_, v) = adult(&["--igf1-sds", "-1.5", "--as-of", "2026-05-10"]);
    assert!(
        rationale(&v).contains("the dose was reduced on 2026-03-10 for IGF-1 SDS +2.6 (line 2)")
    );
    assert_eq!(
        v["recommendation"]["action"],
        "increase",
        "{}",
        rationale(&v)
    );
    assert!(v["recommendation"]["dose"]["mg_per_week"].as_f64().unwrap() > reduced);
}

#[test]
fn a_flag_overrides_the_record_and_the_rationale_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let rec = first_two(dir.path());
    let r = rec.to_str().unwrap();
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "26",
        "--igf1-sds",
        "1.0",
        "--as-of",
        "2027-01-10",
        "--current-mg-per-day",
        "1.15",
        "--treatment-start",
        "2025-12-01",
        "--record",
        r,
        "--indication",
        "sga",
    ]);
    assert_eq!(code, 0, "{v}");
    let why = rationale(&v);
    assert!(
        why.contains("--indication sga given: the record's last visit was for turner (line 2)"),
        "{why}"
    );
    assert_eq!(v["indication"]["id"], "sga");
    assert!(
        why.contains(
            "--current-mg-per-day 1.15 given: overrides the record's 1 mg per injection (line 2)"
        ),
        "{why}"
    );
    assert!(
        why.contains("--treatment-start given: overrides the record's 2026-01-10 (line 1)"),
        "{why}"
    );
    assert_eq!(v["recommendation"]["current_dose"]["mg_per_week"], 8.05);
    let last = lines(&rec).pop().unwrap();
    assert_eq!(
        strs(&last["decision"]["overridden"]),
        ["indication", "current_mg_per_day", "treatment_start"]
    );
    assert_eq!(last["dose_before"]["mg_per_week"], 8.05);
}

#[test]
fn the_wrong_patient_an_earlier_date_or_a_cut_line_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let rec = first_two(dir.path());
    let r = rec.to_str().unwrap();
    let before = std::fs::read(&rec).unwrap();
    let titrate = [
        "titrate",
        "--weight-kg",
        "26",
        "--igf1-sds",
        "1",
        "--record",
        r,
    ];
    for (extra, code, said) in [
        (
            &["--sex", "male", "--as-of", "2027-01-10"][..],
            2,
            "error: --sex male differs from the record's female (line 1): is this the patient's record?",
        ),
        (
            &["--birth-date", "2018-03-02", "--as-of", "2027-01-10"],
            2,
            "error: --birth-date 2018-03-02 differs from the record's 2018-03-01 (line 1)",
        ),
        (
            &["--age-years", "8", "--as-of", "2027-01-10"],
            2,
            "error: --age-years cannot be used with a visit record",
        ),
        (
            &["--as-of", "2026-07-09"],
            2,
            "error: --as-of 2026-07-09 is before the record's last visit, 2026-07-10 (line 2)",
        ),
    ] {
        let (c, err) = fails(&[&titrate[..], extra].concat());
        assert_eq!(c, code, "{err}");
        assert!(err.starts_with(said), "{err}");
        assert_eq!(std::fs::read(&rec).unwrap(), before);
    }
    // start needs the identity (from the record when it has one).
    let empty = dir.path().join("new.jsonl");
    let (c, err) = fails(&[
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "24",
        "--sex",
        "female",
        "--record",
        empty.to_str().unwrap(),
    ]);
    assert_eq!(c, 2);
    assert!(
        err.starts_with("error: --birth-date is required with a visit record"),
        "{err}"
    );
    // A cut last line: no visit is added; check names it; show still reads the rest.
    let mut cut = before.clone();
    cut.extend_from_slice(b"{\"record\":\"gh-dose-vi");
    std::fs::write(&rec, &cut).unwrap();
    let (c, err) = fails(&[&titrate[..], &["--as-of", "2027-01-10"]].concat());
    assert_eq!(c, 3);
    assert_eq!(
        err,
        format!(
            "error: {r}:3:1: line 3 is cut short (an append that was interrupted): no visit is added until it is removed\n"
        )
    );
    assert_eq!(std::fs::read(&rec).unwrap(), cut);
    let (c, err) = fails(&["record", "check", r]);
    assert_eq!(c, 3);
    assert!(
        err.starts_with(&format!("error: {r}:3:1: line 3 is cut short")),
        "{err}"
    );
    let out = gh(&["record", "show", r, "--format", "json"])
        .output()
        .unwrap();
    // The whole lines are printed; the cut one is an error (exit 3).
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 2);
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .starts_with(&format!("error: {r}:3:1: line 3 is cut short"))
    );
    let (c, _) = fails(&["chart", "titration", r, "-o", "-"]);
    assert_eq!(c, 3);
}

#[test]
fn a_withheld_last_visit_needs_the_current_dose_given() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("p.jsonl");
    let r = rec.to_str().unwrap();
    let (code, v) = run(&[
        "start",
        "--indication",
        "ghd",
        "--sex",
        "male",
        "--birth-date",
        "2016-05-01",
        "--weight-kg",
        "30",
        "--condition",
        "active-malignancy",
        "--as-of",
        "2026-01-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 4, "{v}");
    assert_eq!(lines(&rec)[0]["dose"], Value::Null);
    let (c, err) = fails(&[
        "titrate",
        "--weight-kg",
        "30",
        "--igf1-sds",
        "0",
        "--as-of",
        "2026-07-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 2);
    assert!(err.contains("--current-mg-per-week (or --current-mg-per-day) is required: the record's last visit (2026-01-10, line 1) gave no dose (withhold)"), "{err}");
    assert_eq!(lines(&rec).len(), 1);
}

#[test]
fn appends_killed_midway_or_made_at_once_leave_whole_lines() {
    let dir = tempfile::tempdir().unwrap();
    let rec = first_two(dir.path());
    let r = rec.to_str().unwrap();
    let bin = assert_cmd::cargo::cargo_bin!("gh-dose");
    let visit = |date: &str, igf1: bool| {
        let mut c = std::process::Command::new(bin);
        c.args([
            "titrate",
            "--weight-kg",
            "26",
            "--format",
            "json",
            "--as-of",
            date,
            "--record",
            r,
        ]);
        if igf1 {
            c.args(["--igf1-sds", "1"]);
        }
        c.stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        c
    };
    // Killed at different moments: every line in the file stays whole.
    for (i, delay_ms) in [0u64, 1, 2, 4, 8, 16, 32].into_iter().enumerate() {
        let mut child = visit(&format!("2027-01-1{i}"), true).spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let out = gh(&["record", "check", r, "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let n = lines(&rec).len();
    // Two processes at once (one with a new IGF-1 sample, one without):
    // two more whole lines, in either order.
    let a = visit("2027-02-01", true).spawn().unwrap();
    let b = visit("2027-02-01", false).spawn().unwrap();
    for mut c in [a, b] {
        assert!(c.wait().unwrap().success());
    }
    let all = lines(&rec);
    assert_eq!(all.len(), n + 2);
    assert!(all[n..].iter().all(|v| v["date"] == "2027-02-01"));
    assert_eq!(all[n..].iter().filter(|v| v["igf1"].is_null()).count(), 1);
    let out = gh(&["record", "check", r]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn record_show_prints_the_course() {
    let dir = tempfile::tempdir().unwrap();
    let rec = first_two(dir.path());
    let r = rec.to_str().unwrap();
    let out = gh(&["record", "show", r, "--format", "human", "--color", "never"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows[0], format!("{r} - female, born 2018-03-01 - 2 visits"));
    assert!(rows[2].starts_with("1    2026-01-10   7.86 turner          24     118   +1.5      -      8.05  start - flexpro-10"), "{text}");
    assert!(
        rows[3].starts_with(
            "2    2026-07-10   8.36 turner          26     122   +1.9   +2.6         7  decrease"
        ),
        "{text}"
    );
    assert!(rows[3].contains("(IGF-1 above the range)"), "{text}");
    let out = gh(&["record", "show", r, "--format", "json"])
        .output()
        .unwrap();
    let shown: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(shown, lines(&rec));
    let (c, err) = fails(&[
        "record",
        "show",
        dir.path().join("none.jsonl").to_str().unwrap(),
    ]);
    assert_eq!(c, 3);
    assert!(err.contains("cannot open the record"), "{err}");
}

#[test]
fn batch_lines_name_records_only_inside_records_dir() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        concat!(
            r#"{"command":"start","indication":"ghd","sex":"male","birth_date":"2016-05-01","weight_kg":30,"as_of":"2026-01-10","record":"p-1.jsonl"}"#,
            "\n",
            r#"{"command":"titrate","weight_kg":31,"igf1_sds":0.5,"as_of":"2026-07-10","record":"p-1.jsonl"}"#,
            "\n",
            r#"{"command":"start","indication":"ghd","sex":"male","birth_date":"2016-05-01","weight_kg":30,"record":"../escape.jsonl"}"#,
            "\n"
        ),
    )
    .unwrap();
    let records = dir.path().join("records");
    std::fs::create_dir(&records).unwrap();
    let out = gh(&[
        "batch",
        input.to_str().unwrap(),
        "--records-dir",
        records.to_str().unwrap(),
    ])
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let results: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(results[0]["recommendation"]["action"], "start");
    assert_eq!(
        results[1]["recommendation"]["current_dose"]["mg_per_week"],
        results[0]["recommendation"]["dose"]["mg_per_week"]
    );
    assert_eq!(results[2]["error"]["field"], "record");
    assert!(
        results[2]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("inside --records-dir")
    );
    assert_eq!(lines(&records.join("p-1.jsonl")).len(), 2);
    assert!(!dir.path().join("escape.jsonl").exists());
    // Without --records-dir no line may name a record.
    let out = gh(&["batch", input.to_str().unwrap()]).output().unwrap();
    let first: Value = serde_json::from_str(
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(first["error"]["field"], "record");
    assert!(
        first["error"]["message"]
            .as_str()
            .unwrap()
            .contains("only when the batch is given --records-dir DIR")
    );
}

/// The subset of JSON Schema (2020-12) the committed schemas use: type
/// (with null), properties, required, additionalProperties false, enum,
/// $ref to $defs, anyOf/oneOf, format date, minimum.
mod schema_check {
    use serde_json::Value;

    pub fn validate(schema: &Value, v: &Value) -> Vec<String> {
        let mut out = Vec::new();
        check(schema, schema, v, "$", &mut out);
        out
    }

    fn check(root: &Value, s: &Value, v: &Value, at: &str, out: &mut Vec<String>) {
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            let name = r.trim_start_matches("#/$defs/");
            return check(root, &root["$defs"][name], v, at, out);
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(alts) = s.get(key).and_then(Value::as_array) {
                let ok = alts.iter().filter(|a| validate_in(root, a, v)).count();
                if ok == 0 || (key == "oneOf" && ok > 1) {
                    out.push(format!("{at}: {ok} of the {key} alternatives match"));
                }
            }
        }
        if let Some(t) = s.get("type") {
            let types: Vec<&str> = match t {
                Value::String(one) => vec![one.as_str()],
                Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            let is = |name: &str| match name {
                "null" => v.is_null(),
                "boolean" => v.is_boolean(),
                "string" => v.is_string(),
                "integer" => v.as_f64().is_some_and(|x| x.fract() == 0.0),
                "number" => v.is_number(),
                "array" => v.is_array(),
                "object" => v.is_object(),
                _ => false,
            };
            if !types.iter().any(|t| is(t)) {
                out.push(format!("{at}: {v} is not {types:?}"));
                return;
            }
        }
        if let Some(e) = s.get("enum").and_then(Value::as_array)
            && !e.contains(v)
        {
            out.push(format!("{at}: {v} is not one of {e:?}"));
        }
        if s.get("format").and_then(Value::as_str) == Some("date")
            && let Some(text) = v.as_str()
            && chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_err()
        {
            out.push(format!("{at}: {text} is not a date"));
        }
        if let (Some(min), Some(x)) = (s.get("minimum").and_then(Value::as_f64), v.as_f64())
            && x < min
        {
            out.push(format!("{at}: {x} is below {min}"));
        }
        if let Some(obj) = v.as_object() {
            let props = s.get("properties").and_then(Value::as_object);
            for req in s
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let name = req.as_str().unwrap();
                if !obj.contains_key(name) {
                    out.push(format!("{at}: {name} is missing"));
                }
            }
            for (k, x) in obj {
                match props.and_then(|p| p.get(k)) {
                    Some(ps) => check(root, ps, x, &format!("{at}.{k}"), out),
                    None if s.get("additionalProperties") == Some(&Value::Bool(false)) => {
                        out.push(format!("{at}: {k} is not allowed"));
                    }
                    None => {}
                }
            }
        }
        if let (Some(items), Some(arr)) = (s.get("items"), v.as_array()) {
            for (i, x) in arr.iter().enumerate() {
                check(root, items, x, &format!("{at}[{i}]"), out);
            }
        }
    }

    fn validate_in(root: &Value, s: &Value, v: &Value) -> bool {
        let mut out = Vec::new();
        check(root, s, v, "", &mut out);
        out.is_empty()
    }

    #[test]
    fn the_checker_itself_refuses_what_the_schema_refuses() {
        let schema: Value =
            serde_json::from_str(include_str!("../../docs/schema/record.v1.json")).unwrap();
        let bad = serde_json::json!({"record": 1});
        let problems = validate(&schema, &bad);
        assert!(
            problems.iter().any(|p| p.contains("$.record: 1 is not")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("date is missing")),
            "{problems:?}"
        );
        let extra = serde_json::json!({"zzz": true});
        assert!(
            validate(&schema, &extra)
                .iter()
                .any(|p| p.contains("zzz is not allowed"))
        );
    }
}

#[test]
fn charts_are_svg_with_one_point_per_visit_and_the_same_bytes_twice() {
    let dir = tempfile::tempdir().unwrap();
    let rec = first_two(dir.path());
    let r = rec.to_str().unwrap();
    let (code, _) = run(&[
        "titrate",
        "--weight-kg",
        "26",
        "--height-cm",
        "125",
        "--igf1-sds",
        "1.0",
        "--as-of",
        "2027-01-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0);
    let growth = dir.path().join("growth.svg");
    let titration = dir.path().join("titration.svg");
    let draw = |args: &[&str]| {
        let out = gh(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.is_empty());
    };
    let g = growth.to_str().unwrap();
    let t = titration.to_str().unwrap();
    draw(&[
        "chart",
        "growth",
        r,
        "-o",
        g,
        "--father-height-cm",
        "178",
        "--mother-height-cm",
        "163",
    ]);
    draw(&["chart", "titration", r, "-o", t]);
    let count = |svg: &str, class: &str| {
        let doc = roxmltree::Document::parse(svg).unwrap();
        doc.descendants()
            .filter(|n| n.attribute("class") == Some(class))
            .count()
    };
    let gs = std::fs::read_to_string(&growth).unwrap();
    assert_eq!(count(&gs, "visit"), 3);
    assert_eq!(count(&gs, "visit-weight"), 3);
    assert_eq!(count(&gs, "dose-change"), 2, "a start and a decrease");
    assert!(gs.contains("Turner") && gs.contains("built-in 2026.11"));
    let ts = std::fs::read_to_string(&titration).unwrap();
    assert_eq!(count(&ts, "visit"), 2, "the visits with an IGF-1");
    assert_eq!(count(&ts, "decision"), 3);
    // The same record, the same bytes; to stdout with -o -.
    let out = gh(&["chart", "titration", r, "-o", "-"]).output().unwrap();
    assert_eq!(out.stdout, ts.as_bytes());
    draw(&[
        "chart",
        "growth",
        r,
        "-o",
        g,
        "--father-height-cm",
        "178",
        "--mother-height-cm",
        "163",
    ]);
    assert_eq!(std::fs::read_to_string(&growth).unwrap(), gs);
    // Refusals: a parent's height in metres, an empty record, a bad record.
    let (c, err) = fails(&[
        "chart",
        "growth",
        r,
        "-o",
        g,
        "--father-height-cm",
        "1.78",
        "--mother-height-cm",
        "163",
    ]);
    assert_eq!(c, 2);
    assert!(
        err.starts_with("error: --father-height-cm 1.78 is not an adult height (allowed "),
        "{err}"
    );
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    let (c, err) = fails(&["chart", "titration", empty.to_str().unwrap(), "-o", t]);
    assert_eq!(c, 2);
    assert!(err.contains("nothing to draw"), "{err}");
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{}\n").unwrap();
    let (c, err) = fails(&["chart", "growth", bad.to_str().unwrap(), "-o", g]);
    assert_eq!(c, 3);
    assert!(
        err.starts_with(&format!("error: {}:1:", bad.display())),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&growth).unwrap(),
        gs,
        "a refused chart leaves the file"
    );
}

#[test]
fn a_pen_from_the_record_that_cannot_give_the_new_dose_is_chosen_again() {
    let dir = tempfile::tempdir().unwrap();
    let rec = first_two(dir.path());
    let r = rec.to_str().unwrap();
    // 27 kg: the reduced intensity is 1.038 mg a day; FlexPro 10 (0.05 mg
    // steps) has nothing above 1 mg and not past it.
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "27",
        "--height-cm",
        "125",
        "--igf1-sds",
        "1.0",
        "--as-of",
        "2027-01-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    let why = rationale(&v);
    assert!(why.contains("the record's device flexpro-10 cannot give the new dose on the side the decision needs: the device is chosen again"), "{why}");
    let d = &v["recommendation"]["dose"]["deliverable"];
    assert_eq!(d["device"], "flexpro-5");
    assert_eq!(d["mg_per_injection"], 1.025);
    let last = lines(&rec).pop().unwrap();
    assert!(!strs(&last["decision"]["from_record"]).contains(&"device"));
    assert_eq!(last["dose"]["device"], "flexpro-5");
    assert_eq!(last["dose_before"]["device"], "flexpro-10");
    // A pen typed on the command line is not changed: refused, as before.
    let dir = tempfile::tempdir().unwrap();
    let rec = first_two(dir.path());
    let r = rec.to_str().unwrap();
    let (c, err) = fails(&[
        "titrate",
        "--weight-kg",
        "27",
        "--igf1-sds",
        "1.0",
        "--as-of",
        "2027-01-10",
        "--device",
        "flexpro-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 2);
    assert!(
        err.starts_with("error: --device flexpro-10 cannot deliver"),
        "{err}"
    );
}

#[test]
fn the_committed_record_schema_is_the_one_printed() {
    let printed = gh(&["schema", "record"]).output().unwrap().stdout;
    assert_eq!(
        String::from_utf8(printed).unwrap(),
        include_str!("../../docs/schema/record.v1.json"),
        "regenerate with: gh-dose schema record > docs/schema/record.v1.json"
    );
}
