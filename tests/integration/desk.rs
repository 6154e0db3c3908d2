//! The small things a newcomer trips on (issue 20, at the desk): a range
//! with equal ends reads as one day, `--device` completes device ids, and
//! the man page names only pages that exist and the environment it reads.

use super::gh;

fn stdout(args: &[&str]) -> (i32, String) {
    let out = gh(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

/// An Ngenla sample on day 2 after the injection: the label's window is
/// day 4 alone, so the repeat falls on one day.
const NGENLA_MISTIMED: &[&str] = &[
    "titrate",
    "--indication",
    "ghd",
    "--weight-kg",
    "30",
    "--age-years",
    "8",
    "--product",
    "ngenla",
    "--current-mg-per-week",
    "20",
    "--igf1-sds",
    "1",
    "--igf1-date",
    "2026-11-20",
    "--last-injection",
    "2026-11-18",
    "--as-of",
    "2026-11-22",
];

#[test]
fn a_window_of_one_day_reads_as_one_day() {
    let (code, text) = stdout(&[NGENLA_MISTIMED, &["--format", "human"]].concat());
    assert_eq!(code, 0);
    assert!(
        text.contains("continue 20 mg/week; repeat IGF-1 on 2026-11-29"),
        "{text}"
    );
    assert!(
        text.contains("Next review   2026-11-29: IGF-1 on day 4 after the injection of 2026-11-25"),
        "{text}"
    );
    assert!(
        !text.contains("day 4-4") && !text.contains("2026-11-29 to 2026-11-29"),
        "{text}"
    );
    let (_, json) = stdout(&[NGENLA_MISTIMED, &["--format", "json"]].concat());
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["recommendation"]["next_review"]["what"][0],
        "IGF-1 on day 4 after the injection of 2026-11-25"
    );
    assert!(!json.contains("4-4"), "{json}");
    // A window of two days keeps its range (Skytrofa: day 4-5).
    let (_, text) = stdout(&[
        "titrate",
        "--indication",
        "ghd",
        "--weight-kg",
        "30",
        "--age-years",
        "8",
        "--product",
        "skytrofa",
        "--current-mg-per-week",
        "9.1",
        "--igf1-sds",
        "1",
        "--igf1-date",
        "2026-11-20",
        "--last-injection",
        "2026-11-18",
        "--as-of",
        "2026-11-22",
        "--format",
        "human",
    ]);
    assert!(
        text.contains("repeat IGF-1 2026-11-29 to 2026-11-30") && text.contains("on day 4-5 after"),
        "{text}"
    );
}

#[test]
fn a_record_of_one_visit_is_checked_as_one_day() {
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("p-0001.jsonl");
    let record = record.to_str().unwrap();
    let (code, _) = stdout(&[
        "start",
        "--indication",
        "turner",
        "--sex",
        "female",
        "--birth-date",
        "2018-03-01",
        "--weight-kg",
        "24",
        "--as-of",
        "2026-01-10",
        "--record",
        record,
    ]);
    assert_eq!(code, 0);
    let (code, text) = stdout(&["record", "check", record, "--format", "human"]);
    assert_eq!(code, 0);
    assert!(
        text.contains(": ok - 1 visit (2026-01-10), female born 2018-03-01"),
        "{text}"
    );
}

#[test]
fn device_ids_complete_in_every_shell() {
    let products: serde_json::Value = {
        let (_, text) = stdout(&["products", "--format", "json"]);
        serde_json::from_str(&text).unwrap()
    };
    let ids: Vec<String> = products["products"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["devices"].as_array().unwrap().iter())
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert!(
        ids.len() > 20 && ids.contains(&"flexpro-10".to_string()),
        "{ids:?}"
    );
    let (_, bash) = stdout(&["completions", "bash"]);
    let arm = bash
        .split("--device)")
        .nth(1)
        .and_then(|rest| rest.split(";;").next())
        .unwrap();
    for id in &ids {
        assert!(
            arm.split(['"', ' ']).any(|w| w == id),
            "bash --device lacks {id}: {arm}"
        );
    }
    let (_, zsh) = stdout(&["completions", "zsh"]);
    let line = zsh.lines().find(|l| l.starts_with("'--device=")).unwrap();
    assert!(
        ids.iter()
            .all(|id| line.contains(&format!(" {id}")) || line.contains(&format!("({id}"))),
        "{line}"
    );
    let (_, fish) = stdout(&["completions", "fish"]);
    let block = fish
        .split("-l device")
        .nth(1)
        .and_then(|rest| rest.split("\ncomplete ").next())
        .unwrap();
    assert!(
        ids.iter().all(|id| block.contains(&format!("{id}\\t"))),
        "{block}"
    );
}

/// The names the sources read from the environment: `env::var("X")`,
/// `env::var_os("X")`, and the terminal's `set("X")`.
fn variables_read_in_src() -> Vec<String> {
    let mut names = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for key in ["env::var(\"", "env::var_os(\"", "set(\""] {
                    for part in text.split(key).skip(1) {
                        let name = part.split('"').next().unwrap();
                        if name.chars().all(|c| c.is_ascii_uppercase() || c == '_')
                            && !name.is_empty()
                        {
                            names.push(name.to_string());
                        }
                    }
                }
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

#[test]
fn the_man_page_names_only_itself_and_every_variable_read() {
    let (code, man) = stdout(&["man"]);
    assert_eq!(code, 0);
    // No page per command is installed: the page names no other page.
    assert!(!man.contains("(1)"), "a page that does not exist is named");
    assert!(man.contains(".SH COMMANDS") && man.contains("\\fBgh\\-dose rules check\\fR"));
    let env = man
        .split(".SH ENVIRONMENT")
        .nth(1)
        .and_then(|rest| rest.split("\n.SH ").next())
        .expect("an ENVIRONMENT section");
    let read = variables_read_in_src();
    for name in [
        "NO_COLOR",
        "CLICOLOR",
        "CLICOLOR_FORCE",
        "TERM",
        "COLUMNS",
        "GH_DOSE_TODAY",
    ] {
        assert!(
            read.contains(&name.to_string()),
            "{name} not found in src: {read:?}"
        );
    }
    for name in &read {
        assert!(
            env.contains(&format!("\\fB{}\\fR", name)),
            "{name} is read in src/ but not in ENVIRONMENT:\n{env}"
        );
    }
    assert!(man.contains(".SH \"EXIT STATUS\""));
}

#[test]
fn the_json_carries_scores_to_4_decimals_and_the_table_keeps_2() {
    // IGF-1 150 ng/mL against 97-407 (central 95 %, log-normal):
    // (ln 150 - (ln 97 + ln 407) / 2) / ((ln 407 - ln 97) / (2 x 1.959964)).
    let args = [
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
    ];
    let mean = (97f64.ln() + 407f64.ln()) / 2.0;
    let sd = (407f64.ln() - 97f64.ln()) / (2.0 * 1.959_964);
    let want = (150f64.ln() - mean) / sd;
    let (_, v) = super::json(&args);
    let got = v["patient"]["igf1_sds"].as_f64().unwrap();
    assert_eq!(got, -0.7684);
    assert!((got - want).abs() < 0.00005, "{got} {want}");
    let (_, table) = stdout(&[&args[..], &["--format", "human", "--as-of", "2026-11-22"]].concat());
    assert!(table.contains("IGF-1 SDS -0.77"), "{table}");
    assert!(!table.contains("-0.768"), "{table}");
    // Height and BMI SDS of a start; the table shows them to 2.
    let args = [
        "start",
        "--indication",
        "pws",
        "--weight-kg",
        "40",
        "--sex",
        "female",
        "--age-years",
        "8",
        "--height-cm",
        "125",
    ];
    let (_, v) = super::json(&args);
    assert_eq!(v["patient"]["height_sds"], -0.4468);
    assert_eq!(v["patient"]["bmi_sds"], 2.3418);
    let (_, table) = stdout(&[&args[..], &["--format", "human", "--as-of", "2026-11-22"]].concat());
    assert!(table.contains("height SDS -0.45,"), "{table}");
    // The growth document: SDS and centiles to 4, the table to 2 and 1.
    let args = [
        "growth",
        "--sex",
        "male",
        "--age-years",
        "10.041666666666666",
        "--height-cm",
        "145",
        "--weight-kg",
        "35",
    ];
    let (_, v) = super::json(&args);
    for (pointer, want) in [
        ("/growth/height/sds", 0.9245),
        ("/growth/height/centile", 82.2376),
        ("/growth/weight/sds", 0.4609),
        ("/growth/weight/centile", 67.7565),
        ("/growth/bmi/centile", 50.0142),
    ] {
        assert_eq!(
            v.pointer(pointer).unwrap().as_f64().unwrap(),
            want,
            "{pointer}"
        );
    }
    let (_, table) = stdout(&[&args[..], &["--format", "human"]].concat());
    assert!(table.contains("SDS +0.92, centile 82.2"), "{table}");
    assert!(table.contains("SDS +0.46, centile 67.8"), "{table}");
}
