//! Unit tests of `mod.rs`.

use super::*;
use crate::bands;
use crate::diagnostic::FileError;
use crate::vocab::{FlagCode, Symptom};

fn built_in() -> RuleSet {
    RuleSet::built_in().unwrap()
}

fn with(from: &str, to: &str) -> Result<RuleSet, FileError> {
    assert!(BUILT_IN.contains(from), "fixture text not found: {from}");
    RuleSet::parse(&BUILT_IN.replacen(from, to, 1), "t.toml")
}

#[test]
fn built_in_rules_load() {
    let r = built_in();
    assert_eq!(r.origin.source, "built-in");
    assert_eq!(r.origin.version, "2026.11");
    assert_eq!(r.origin.sha256.len(), 64);
    let ids: Vec<&str> = r.indications.iter().map(|i| i.id.as_str()).collect();
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
    assert_eq!(r.conventions.milli_iu_per_mg, 3000);
    assert_eq!(r.flags.len(), FlagCode::ALL.len());
}

#[test]
fn min_above_max_is_reported_at_the_range() {
    let e = with(
        "mg_per_kg_week = { min = 0.33, max = 0.45 }",
        "mg_per_kg_week = { min = 0.5, max = 0.45 }",
    )
    .unwrap_err();
    assert_eq!(e.path, "t.toml");
    let line = BUILT_IN
        .lines()
        .position(|l| l.contains("min = 0.33, max = 0.45"))
        .unwrap()
        + 1;
    assert_eq!(e.line, line);
    assert_eq!(e.col, "mg_per_kg_week = ".len() + 1);
    assert!(
        e.message.contains("min (0.5) exceeds max (0.45)"),
        "{}",
        e.message
    );
}

#[test]
fn unknown_keys_are_errors_with_positions() {
    let e = with("start_mg_per_kg_week = 0.33", "start_mg_per_kg_wek = 0.33").unwrap_err();
    assert!(
        e.message.contains("unknown field `start_mg_per_kg_wek`"),
        "{}",
        e.message
    );
    assert!(e.line > 1);
}

/// Each edit of the built-in text is refused, naming what is wrong at a
/// real position.
fn assert_refused(cases: &[(&str, &str, &str)]) {
    for (from, to, want) in cases {
        let e = with(from, to).unwrap_err();
        assert!(e.message.contains(want), "{from} -> {to}: got {e}");
        assert!(e.line >= 1 && e.col >= 1);
    }
}

/// The schema version the file declares must be the one this build reads.
#[test]
fn a_rule_file_of_another_schema_version_is_refused() {
    assert_refused(&[(
        "schema_version = 1",
        "schema_version = 2",
        "schema_version 2 is not supported",
    )]);
}

/// A pediatric start outside the range, a ceiling below its max, an override with too many decimals.
#[test]
fn pediatric_starts_ceilings_and_overrides_outside_their_range_are_refused() {
    assert_refused(&[
        (
            "start_mg_per_kg_week = 0.33",
            "start_mg_per_kg_week = 0.5",
            "lies outside mg_per_kg_week",
        ),
        (
            "ceiling_mg_per_kg_week = 0.47\nceiling_note = \"Norditropin",
            "ceiling_mg_per_kg_week = 0.4\nceiling_note = \"Norditropin",
            "is below mg_per_kg_week.max",
        ),
        (
            "mg_per_kg_week = 0.47\nheight_sds_below",
            "mg_per_kg_week = 0.4712345\nheight_sds_below",
            "at most 6 decimals",
        ),
    ]);
}

/// Every citation names a known source, grade and review.
#[test]
fn citations_must_name_known_sources_grades_and_reviews() {
    assert_refused(&[
        (
            "sources = [\"humatrope-us-pi-2\", \"zomacton-us-pi-2\"]",
            "sources = [\"humatrope-us-pi-2\", \"nope\"]",
            "unknown source 'nope'",
        ),
        (
            "grade = \"G\"\n\n[[reviews]]\nid = \"after-safety-restart\"",
            "grade = \"X\"\n\n[[reviews]]\nid = \"after-safety-restart\"",
            "grade 'X'",
        ),
        (
            "review = \"after-safety-restart\"",
            "review = \"after-restart\"",
            "unknown review 'after-restart'",
        ),
        (
            "review = \"pediatric\"\nsources = [\"humatrope-us-pi-2\", \"zomacton-us-pi-2\"]",
            "review = \"pedi\"\nsources = [\"humatrope-us-pi-2\", \"zomacton-us-pi-2\"]",
            "unknown review 'pedi'",
        ),
    ]);
}

/// Indication ids are unique and populations are known.
#[test]
fn indications_need_a_unique_id_and_a_known_population() {
    assert_refused(&[
        (
            "id = \"turner\"",
            "id = \"ghd\"",
            "duplicate indication id 'ghd'",
        ),
        (
            "population = \"pediatric\"",
            "population = \"child\"",
            "population",
        ),
    ]);
}

/// Adult group ranges, their starts and the oral-estrogen start rule.
#[test]
fn adult_groups_and_the_oral_estrogen_start_must_be_consistent() {
    assert_refused(&[
        (
            "mg_per_day = { min = 0.1, max = 0.2 }",
            "mg_per_day = { min = 0.3, max = 0.2 }",
            "min (0.3) exceeds max (0.2)",
        ),
        (
            "start_mg_per_day = 0.1",
            "start_mg_per_day = 0.25",
            "lies outside mg_per_day",
        ),
        (
            "start = \"group-max\"",
            "start = \"double\"",
            "expected group-max or group-start",
        ),
    ]);
}

/// Flag tables name a known flag code and severity.
#[test]
fn flags_need_a_known_code_and_severity() {
    assert_refused(&[
        (
            "[flags.APPROXIMATE_IGF1_SDS]",
            "[flags.APPROXIMATE_IGF1]",
            "unknown flag code",
        ),
        (
            "severity = \"block\"",
            "severity = \"fatal\"",
            "severity 'fatal'",
        ),
    ]);
}

/// Review windows: one unit per bound, earliest not after latest.
#[test]
fn review_windows_need_one_unit_and_an_earliest_before_the_latest() {
    assert_refused(&[
        (
            "earliest = { months = 3 }",
            "earliest = { months = 3, weeks = 2 }",
            "exactly one of days, weeks or months",
        ),
        (
            "earliest = { weeks = 4 }",
            "earliest = { weeks = 40 }",
            "'earliest' is after 'latest'",
        ),
    ]);
}

/// Conventions, plausibility bands and titration SDS bounds.
#[test]
fn conventions_bands_and_titration_bounds_are_checked() {
    assert_refused(&[
        (
            "iu_per_mg = 3.0",
            "iu_per_mg = -3.0",
            "conventions.iu_per_mg must be a finite number between 0 and 100 IU/mg (got -3.0)",
        ),
        (
            "default_injections_per_week = 7",
            "default_injections_per_week = 5",
            "must be one of allowed",
        ),
        (
            "weight_kg = { min = 0.5, max = 250.0 }",
            "weight_kg = { min = 250.0, max = 0.5 }",
            "min (250) exceeds max (0.5)",
        ),
        (
            "ceiling_sds = 2.0\n# Below this",
            "ceiling_sds = 0.5\n# Below this",
            "ceiling_sds must not be below",
        ),
    ]);
}

#[test]
fn a_missing_flag_definition_is_an_error() {
    // The last table of the file: cut it off.
    let cut = BUILT_IN.find("[flags.APPROXIMATE_IGF1_SDS]").unwrap();
    let text = &BUILT_IN[..cut];
    let e = RuleSet::parse(text, "t.toml").unwrap_err();
    assert!(
        e.message
            .contains("missing flag definitions: APPROXIMATE_IGF1_SDS"),
        "{e}"
    );
}

#[test]
fn syntax_errors_carry_positions() {
    let e = RuleSet::parse("schema_version = 1\nname = \n", "x.toml").unwrap_err();
    assert_eq!((e.path.as_str(), e.line), ("x.toml", 2));
    let e = RuleSet::parse("", "empty.toml").unwrap_err();
    assert!(e.message.contains("missing field"), "{e}");
}

#[test]
fn the_hash_is_of_the_exact_bytes() {
    let spaced = format!("{BUILT_IN}\n");
    let r = RuleSet::parse(&spaced, "t.toml").unwrap();
    assert_ne!(r.origin.sha256, built_in().origin.sha256);
}

#[test]
fn a_review_the_code_needs_is_checked_at_load() {
    let e = with(
        "review_recheck = \"igf1-recheck\"",
        "review_recheck = \"igf1-again\"",
    )
    .unwrap_err();
    assert!(e.message.contains("unknown review 'igf1-again'"), "{e}");
    let line = BUILT_IN
        .lines()
        .position(|l| l.starts_with("review_recheck"))
        .unwrap()
        + 1;
    assert_eq!((e.line, e.col), (line, "review_recheck = ".len() + 1));
}

#[test]
fn a_block_cannot_be_downgraded_by_a_rule_file() {
    let from = "[flags.CLOSED_EPIPHYSES]\nseverity = \"block\"";
    for to in ["warning", "info"] {
        let e = with(
            from,
            &format!("[flags.CLOSED_EPIPHYSES]\nseverity = \"{to}\""),
        )
        .unwrap_err();
        let line = BUILT_IN
            .lines()
            .position(|l| l == "[flags.CLOSED_EPIPHYSES]")
            .unwrap()
            + 2;
        assert_eq!((e.line, e.col), (line, "severity = ".len() + 1), "{e}");
        assert_eq!(
            e.message,
            format!(
                "flag CLOSED_EPIPHYSES is a block (a contraindication: the dose is withheld) and cannot be downgraded to {to} by a rule file"
            )
        );
    }
    // Raising a warning to a block is the protocol's choice.
    let r = with(
        "[flags.HEADACHE]\nseverity = \"warning\"",
        "[flags.HEADACHE]\nseverity = \"block\"",
    )
    .unwrap();
    assert_eq!(
        r.flag(FlagCode::Headache).unwrap().severity,
        crate::vocab::Severity::Block
    );
    assert!(r.outside_label.is_empty());
}

#[test]
fn a_rule_file_at_the_row_limit_loads() {
    // Ids are looked up in maps while compiling: a file with the most
    // reviews a table may hold loads (speed: `bash bench/run.sh`).
    let mut text = BUILT_IN.to_string();
    for i in r_extra_reviews() {
        text.push_str(&format!(
                "\n[[reviews]]\nid = \"clinic-{i}\"\nearliest = {{ days = 1 }}\nlatest = {{ days = 2 }}\nwhat = [\"IGF-1\"]\nsources = [\"gh-dose-protocol\"]\ngrade = \"P\"\n"
            ));
    }
    let r = RuleSet::parse(&text, "big.toml").unwrap();
    assert_eq!(r.reviews.len(), bands::MAX_ROWS);
    assert!(r.review("clinic-0").is_some());
    // The same id twice is still found, at its second use.
    let dup = text.replacen("id = \"clinic-1\"", "id = \"clinic-0\"", 1);
    let e = RuleSet::parse(&dup, "big.toml").unwrap_err();
    assert_eq!(e.message, "duplicate review id 'clinic-0'");
}

fn r_extra_reviews() -> std::ops::Range<usize> {
    0..bands::MAX_ROWS - built_in().reviews.len()
}

#[test]
fn moved_facts_are_read_from_the_file() {
    let r = built_in();
    assert_eq!(r.conventions.adult_injections_per_week, 7);
    assert_eq!(r.titration.adult_daily.dose_related_symptoms.len(), 5);
    assert_eq!(r.titration.adult_daily.review_recheck, "igf1-recheck");
    let pws = r.indication("pws").unwrap();
    assert_eq!(pws.symptom_rules[0].symptom, Symptom::Snoring);
    assert_eq!(pws.symptom_rules[0].flag, FlagCode::PwsAirwaySymptoms);
    assert_eq!(r.indication("PWS").map(|i| i.id.as_str()), Some("pws"));
}
