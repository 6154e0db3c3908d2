//! Exit codes, formats, colour and pipes.

use super::{codes, fails, gh, json};

#[test]
fn start_exits_0_and_withhold_exits_4() {
    let (code, v) = json(&["start", "--indication", "turner", "--weight-kg", "24"]);
    assert_eq!(code, 0);
    assert_eq!(v["recommendation"]["action"], "start");

    let (code, v) = json(&[
        "start",
        "--indication",
        "pws",
        "--weight-kg",
        "30",
        "--condition",
        "pws-sleep-apnea",
    ]);
    assert_eq!(code, 4);
    assert_eq!(v["recommendation"]["action"], "withhold");
    assert!(v["recommendation"]["dose"].is_null());
    assert_eq!(v["flags"][0]["code"], "PWS_CONTRAINDICATION");
    assert_eq!(v["flags"][0]["severity"], "block");
}

#[test]
fn every_block_condition_withholds() {
    let cases = [
        ("turner", "active-malignancy", "ACTIVE_MALIGNANCY"),
        ("ghd", "critical-illness", "CRITICAL_ILLNESS"),
        ("pws", "pws-severe-obesity", "PWS_CONTRAINDICATION"),
        ("pws", "pws-respiratory-impairment", "PWS_CONTRAINDICATION"),
        (
            "pws",
            "pws-upper-airway-obstruction",
            "PWS_CONTRAINDICATION",
        ),
        ("ghd", "closed-epiphyses", "CLOSED_EPIPHYSES"),
        ("iss", "diabetic-retinopathy", "DIABETIC_RETINOPATHY"),
        ("sga", "hypersensitivity", "HYPERSENSITIVITY"),
        ("ckd", "renal-transplant", "RENAL_TRANSPLANT"),
    ];
    for (ind, cond, code) in cases {
        let (exit, v) = json(&[
            "start",
            "--indication",
            ind,
            "--weight-kg",
            "20",
            "--condition",
            cond,
        ]);
        assert_eq!(exit, 4, "{ind} {cond}");
        assert_eq!(v["recommendation"]["action"], "withhold");
        let codes = codes(&v);
        assert_eq!(codes[0], code, "{ind} {cond}: {codes:?}");
    }
    // Papilledema at start: intracranial hypertension.
    let (exit, v) = json(&[
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "20",
        "--symptom",
        "papilledema",
    ]);
    assert_eq!(exit, 4);
    assert_eq!(v["flags"][0]["code"], "INTRACRANIAL_HYPERTENSION");
}

#[test]
fn conditions_that_only_matter_for_some_indications_do_not_block_others() {
    // A renal transplant blocks only the CKD indication; closed epiphyses only pediatric ones.
    let (exit, _) = json(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "20",
        "--condition",
        "renal-transplant",
    ]);
    assert_eq!(exit, 0);
    let (exit, _) = json(&[
        "start",
        "--indication",
        "adult-ghd",
        "--age-years",
        "30",
        "--condition",
        "closed-epiphyses",
    ]);
    assert_eq!(exit, 0);
    let (exit, _) = json(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "20",
        "--condition",
        "pws-sleep-apnea",
    ]);
    assert_eq!(exit, 0);
}

#[test]
fn warnings_and_info_flags_at_start() {
    let (_, v) = json(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "20",
        "--age-years",
        "9",
        "--condition",
        "malignancy-history",
        "--condition",
        "hypopituitarism",
        "--condition",
        "scoliosis",
        "--symptom",
        "limp",
        "--diabetes",
    ]);
    assert_eq!(
        codes(&v),
        [
            "MALIGNANCY_HISTORY",
            "GLUCOSE_MONITORING",
            "SCFE_EVALUATION",
            "SCOLIOSIS",
            "ADRENAL_THYROID",
            "FUNDOSCOPY",
            "NO_DEVICE_ROUNDING"
        ]
    );
    let (_, v) = json(&["start", "--indication", "pws", "--weight-kg", "20"]);
    assert_eq!(
        codes(&v),
        [
            "PWS_SCREENING",
            "GLUCOSE_MONITORING",
            "FUNDOSCOPY",
            "NO_DEVICE_ROUNDING"
        ]
    );
}

#[test]
fn format_auto_is_json_when_piped() {
    let out = gh(&["start", "--indication", "turner", "--weight-kg", "24"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema_version"], 1);
}

#[test]
fn as_of_defaults_to_today_and_is_echoed() {
    let out = gh(&[
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "24",
        "--format",
        "json",
    ])
    .env_remove("GH_DOSE_TODAY")
    .output()
    .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let today = chrono::Local::now().date_naive().to_string();
    assert_eq!(v["as_of"], today);
    // GH_DOSE_TODAY sets the clock's date.
    let out = gh(&[
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "24",
        "--format",
        "json",
    ])
    .env("GH_DOSE_TODAY", "2026-02-03")
    .output()
    .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["as_of"], "2026-02-03");
}

#[test]
fn human_output_has_no_colour_when_piped_or_no_color() {
    let args = [
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "24",
        "--format",
        "human",
    ];
    let plain = gh(&args).output().unwrap();
    assert!(!plain.stdout.contains(&0x1b));
    let forced = gh(&[&args[..], &["--color", "always"]].concat())
        .output()
        .unwrap();
    assert!(forced.stdout.contains(&0x1b), "--color always colours");
    let text = String::from_utf8(forced.stdout).unwrap();
    assert!(
        text.contains("\u{1b}[1m\u{1b}[33mWARNING"),
        "warnings are yellow: {text}"
    );
    // NO_COLOR removes colour only: the format stays human.
    let no_color = gh(&args)
        .env("NO_COLOR", "1")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    let text = String::from_utf8(no_color.stdout).unwrap();
    assert!(!text.contains('\u{1b}'));
    assert!(text.contains("WARNING GLUCOSE_MONITORING"));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_gh-dose"))
        .args(["rules", "show"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close our end of stdout at once, as `| head -c0` would.
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(0), "stderr: {err}");
    assert!(err.is_empty(), "stderr: {err}");
}

#[test]
fn version_and_help_exit_0() {
    gh(&["--version"])
        .assert()
        .success()
        .stdout(predicates::str::contains("gh-dose 0.1.0"));
    gh(&["start", "--help"])
        .assert()
        .success()
        .stdout(predicates::str::contains("Examples:"));
}

#[test]
fn missing_command_names_the_commands_on_one_line_with_2() {
    let (code, err) = fails(&[]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: gh-dose needs a command: start, titrate,"));
    assert!(err.contains("(see 'gh-dose --help')"), "{err}");
}

#[test]
fn rules_show_prints_the_built_in_file() {
    let out = gh(&["rules", "show"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(out.stdout, include_bytes!("../../data/indications.toml"));
}

#[test]
fn indications_lists_every_row() {
    let (code, v) = json(&["indications"]);
    assert_eq!(code, 0);
    let ids: Vec<&str> = v["indications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "ghd",
            "turner",
            "pws",
            "sga",
            "iss",
            "shox",
            "noonan",
            "ckd",
            "adult-ghd",
            "transition"
        ]
    );
    let noonan = &v["indications"][6];
    assert!(noonan["mg_per_kg_per_week"]["min"].is_null());
    assert_eq!(noonan["mg_per_kg_per_week"]["max"], 0.46);
    let adult = &v["indications"][8];
    assert_eq!(adult["groups"][0]["mg_per_day"]["max"], 0.2);
    assert_eq!(adult["groups"][1]["start_mg_per_day"], 0.2);
    // Every cited source is listed with its citation.
    let listed: Vec<&str> = v["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    for ind in v["indications"].as_array().unwrap() {
        for s in ind["sources"].as_array().unwrap() {
            assert!(listed.contains(&s.as_str().unwrap()), "{s}");
        }
    }
}
