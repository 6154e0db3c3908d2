//! The command-line surface: options only where they mean something, errors
//! that name the field as the route spells it, ids in any case, completions,
//! the man page, and the checks a rule file needs for the code to run.

use super::{fails, gh, json, titrate};
use std::io::Write;

fn stdin(args: &[&str], input: &str) -> (i32, String) {
    let out = gh(args).write_stdin(input.to_string()).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn an_error_names_the_field_as_its_route_spells_it() {
    let (code, out) = stdin(
        &["batch"],
        "{\"command\":\"start\",\"indication\":\"ghd\",\"weight_kg\":-3}\n",
    );
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["line"], 1);
    assert_eq!(v["error"]["field"], "weight_kg");
    assert_eq!(
        v["error"]["message"],
        "weight_kg must be between 0.5 and 250 kg (got -3)"
    );
    let (code, err) = fails(&["start", "--indication", "ghd", "--weight-kg", "-3"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: --weight-kg must be between 0.5 and 250 kg (got -3)\n"
    );
    let (code, out) = stdin(
        &["batch", "--input-format", "csv"],
        "command,indication,weight_kg\nstart,ghd,-3\n",
    );
    assert_eq!(code, 2);
    assert!(out.contains("\"field\":\"weight_kg\""), "{out}");
}

#[test]
fn titrate_counts_the_supply_of_the_new_dose() {
    let (code, v) = titrate(&[
        "--indication",
        "ghd",
        "--weight-kg",
        "28",
        "--previous-weight-kg",
        "25",
        "--current-mg-per-week",
        "6",
        "--product",
        "norditropin",
        "--supply-days",
        "28",
    ]);
    assert_eq!(code, 0);
    let s = &v["recommendation"]["supply"];
    // 0.95 mg a day: FlexPro 5 and 10 discard the same per dose; the 10 mg
    // pen gives 10 doses, so 3 pens for 28 days.
    assert_eq!(s["device"], "flexpro-10");
    assert_eq!(s["days"], 28);
    assert_eq!(s["devices"], 3);
    let (code, err) = fails(&[
        "titrate",
        "--indication",
        "ghd",
        "--weight-kg",
        "28",
        "--current-mg-per-week",
        "6",
        "--supply-days",
        "28",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--supply-days needs --product"), "{err}");
}

#[test]
fn options_that_mean_nothing_to_a_command_are_refused() {
    for args in [
        &["titrate", "--indication", "ghd", "--switching-from-daily"][..],
        &["titrate", "--indication", "ghd", "--mg-per-kg-week", "0.2"],
        &["schema", "--rules", "x.toml"],
        &["completions", "bash", "--format", "json"],
        &["indications", "--as-of", "2026-11-22"],
    ] {
        let (code, err) = fails(args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains("unexpected argument"), "{args:?}: {err}");
    }
}

#[test]
fn options_before_the_command_still_work() {
    let out = gh(&[
        "--format",
        "json",
        "--as-of",
        "2026-11-22",
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "24",
    ])
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["as_of"], "2026-11-22");
}

#[test]
fn ids_units_and_regions_are_read_in_any_case() {
    let (code, v) = json(&[
        "start",
        "--indication",
        "Turner",
        "--weight-kg",
        "24",
        "--product",
        "NORDITROPIN",
        "--region",
        "EU",
        "--sex",
        "Female",
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["indication"]["id"], "turner");
    assert_eq!(v["product"]["id"], "norditropin");
    assert_eq!(v["product"]["region"], "EU");
    let (code, v) = titrate(&[
        "--indication",
        "adult-ghd",
        "--age-years",
        "45",
        "--current-mg-per-day",
        "0.3",
        "--igf1",
        "19.6",
        "--igf1-unit",
        "nmol/L",
        "--igf1-ref-low",
        "12.68",
        "--igf1-ref-high",
        "53.21",
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["patient"]["igf1_input"], "19.6 nmol/L");
}

#[test]
fn help_shows_the_allowed_ranges_of_the_rules_in_use() {
    let out = gh(&["start", "--help"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Body weight in kg [0.5-250 kg]"), "{text}");
    assert!(text.contains("[1.2-551.1 lb]"), "{text}");
    for heading in [
        "Patient:",
        "Treatment:",
        "Product:",
        "Output:",
        "Rule tables:",
    ] {
        assert!(text.contains(heading), "{heading}");
    }
    let out = gh(&["titrate", "--help"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("IGF-1:") && text.contains("Current dose:"));
    assert!(text.contains("Current dose per daily injection, mg [above 0 up to 100 mg]"));
}

#[test]
fn bash_completes_subcommand_options_and_ids() {
    let script = gh(&["completions", "bash"]).output().unwrap().stdout;
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(&script).unwrap();
    let path = file.path().to_str().unwrap();
    let complete = |words: &str, cword: usize, cur: &str, prev: &str| {
        let script = format!(
            "source {path}; COMP_WORDS=({words}); COMP_CWORD={cword}; _gh__dose gh-dose '{cur}' '{prev}'; echo \"${{COMPREPLY[*]}}\""
        );
        let out = std::process::Command::new("bash")
            .args(["-c", &script])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let flags = complete("gh-dose start --wei", 2, "--wei", "start");
    assert!(
        flags.contains("--weight-kg") && flags.contains("--weight-lb"),
        "{flags}"
    );
    let ids = complete("gh-dose start --indication tu", 3, "tu", "--indication");
    assert_eq!(ids.trim(), "turner");
    let products = complete("gh-dose titrate --product ng", 3, "ng", "--product");
    assert_eq!(products.trim(), "ngenla");
    let flags = complete("gh-dose titrate --igf1-r", 2, "--igf1-r", "titrate");
    assert!(flags.contains("--igf1-ref-low"), "{flags}");
}

#[test]
fn the_man_page_lists_every_commands_options() {
    let out = gh(&["man"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "weight\\-kg",
        "current\\-mg\\-per\\-week",
        "input\\-format",
        "supply\\-days",
    ] {
        assert!(text.contains(flag), "{flag}");
    }
    for section in ["GH\\-DOSE START", "GH\\-DOSE TITRATE", "GH\\-DOSE BATCH"] {
        assert!(text.contains(section), "{section}");
    }
}

#[test]
fn a_rule_file_without_a_review_the_code_needs_fails_its_check() {
    let text = gh_dose::rules::BUILT_IN.replace(
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

#[test]
fn an_empty_environment_variable_means_the_built_in_tables() {
    let out = gh(&[
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "24",
        "--format",
        "json",
    ])
    .env("GH_DOSE_RULES", "")
    .env("GH_DOSE_PRODUCTS", "")
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let out = gh(&["indications", "--format", "json"])
        .env("GH_DOSE_RULES", "/no/such/file.toml")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn a_dumb_terminal_gets_no_colour() {
    let out = gh(&[
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "24",
        "--format",
        "human",
    ])
    .env("TERM", "dumb")
    .env("CLICOLOR_FORCE", "1")
    .output()
    .unwrap();
    // CLICOLOR_FORCE wins over TERM=dumb; without it there is no colour.
    assert!(String::from_utf8_lossy(&out.stdout).contains('\u{1b}'));
    let out = gh(&[
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "24",
        "--format",
        "human",
    ])
    .env("TERM", "dumb")
    .output()
    .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\u{1b}'));
}
