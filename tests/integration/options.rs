//! The command-line options: refused where they mean nothing, accepted
//! before the command, ids, units and regions read in any case, the help
//! showing the ranges of the rules in use, completions and the man page.

use super::{fails, gh, json, titrate};
use std::io::Write;

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
