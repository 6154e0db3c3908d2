//! Hostile input over the whole command-line space, run in process: no
//! panic, only documented exit codes, nothing on stdout with an error, and
//! JSON that parses whenever JSON is written.

use gh_dose::{Terminal, run_with};
use proptest::prelude::*;

const WORDS: &[&str] = &[
    "start",
    "titrate",
    "indications",
    "products",
    "rules",
    "show",
    "check",
    "help",
    "--help",
    "--version",
    "--indication",
    "ghd",
    "turner",
    "pws",
    "sga",
    "adult-ghd",
    "transition",
    "nope",
    "--weight-kg",
    "--weight-lb",
    "--height-cm",
    "--height-in",
    "--age-years",
    "--birth-date",
    "--sex",
    "female",
    "male",
    "--height-sds",
    "--pubertal",
    "--bmi",
    "--oral-estrogen",
    "--diabetes",
    "--obesity",
    "--injections-per-week",
    "--switching-from-daily",
    "--condition",
    "pws-sleep-apnea",
    "active-malignancy",
    "hepatic-impairment-severe",
    "--symptom",
    "papilledema",
    "edema",
    "limp",
    "--product",
    "norditropin",
    "sogroya",
    "skytrofa",
    "ngenla",
    "genotropin",
    "--device",
    "flexpro-5",
    "--region",
    "us",
    "eu",
    "--supply-days",
    "--mg-per-kg-week",
    "--current-mg-per-day",
    "--current-mg-per-week",
    "--prescribed-mg-per-kg-week",
    "--previous-weight-kg",
    "--igf1-sds",
    "--igf1",
    "--igf1-unit",
    "nmol/l",
    "ng/ml",
    "--igf1-ref-low",
    "--igf1-ref-high",
    "--igf1-ref-kind",
    "2sd",
    "--igf1-ref-lambda",
    "--igf1-date",
    "--last-dose-change",
    "--last-injection",
    "--previous-height-cm",
    "--previous-height-date",
    "--pretreatment-hv-cm-per-year",
    "--treatment-start",
    "--format",
    "json",
    "human",
    "--as-of",
    "--color",
    "always",
    "--rules",
    "/no/such/file",
    "0",
    "1",
    "-1",
    "7",
    "24",
    "0.3",
    "2.5",
    "-3.5",
    "250",
    "1e308",
    "NaN",
    "inf",
    "-inf",
    "",
    " ",
    "2026-11-22",
    "2030-01-01",
    "1900-02-29",
    "2024-02-29",
    "x",
    "é",
    "--",
    "-",
    "=",
    "--weight-kg=24",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_command_line_ends_cleanly(
        words in prop::collection::vec(prop::sample::select(WORDS), 0..14),
        junk in prop::option::of("\\PC{0,12}"),
    ) {
        let mut args: Vec<String> = vec!["gh-dose".to_string()];
        args.extend(words.iter().map(|w| w.to_string()));
        if let Some(j) = junk {
            args.push(j);
        }
        let mut out = Vec::new();
        let mut err = Vec::new();
        let code = run_with(&args, &mut out, &mut err, &Terminal::default()).code();
        let out = String::from_utf8(out).unwrap();
        let err = String::from_utf8(err).unwrap();
        prop_assert!([0u8, 2, 3, 4].contains(&code), "{args:?}: exit {code}: {err}");
        match code {
            2 | 3 => {
                prop_assert!(out.is_empty(), "{args:?}: stdout on error: {out}");
                prop_assert!(err.starts_with("error:") || err.contains("Usage:"), "{args:?}: {err}");
            }
            _ => {
                prop_assert!(err.is_empty(), "{args:?}: stderr on success: {err}");
                if out.starts_with('{') {
                    prop_assert!(serde_json::from_str::<serde_json::Value>(&out).is_ok(), "{args:?}: bad JSON");
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Mostly valid commands with random values and extras: deeper paths.
    #[test]
    fn near_valid_commands_end_cleanly(
        titrate in any::<bool>(),
        ind in prop::sample::select(&["ghd", "turner", "pws", "sga", "iss", "shox", "noonan", "ckd", "adult-ghd", "transition"][..]),
        weight in prop::sample::select(&["0.5", "3", "24", "60", "120", "250", "-1", "NaN", "abc"][..]),
        age in prop::sample::select(&["0", "1", "8", "17.9", "18", "45", "60", "90", "120", "121"][..]),
        extras in prop::collection::vec(prop::sample::select(WORDS), 0..8),
    ) {
        let mut args: Vec<String> = ["gh-dose", if titrate { "titrate" } else { "start" }, "--as-of", "2026-11-22", "--indication", ind, "--weight-kg", weight, "--age-years", age]
            .iter()
            .map(|s| s.to_string())
            .collect();
        if titrate {
            args.extend(["--current-mg-per-week", "5", "--igf1-sds", "1.5", "--last-injection", "2026-11-18"].map(String::from));
        }
        args.extend(extras.iter().map(|w| w.to_string()));
        let mut out = Vec::new();
        let mut err = Vec::new();
        let code = run_with(&args, &mut out, &mut err, &Terminal::default()).code();
        let out = String::from_utf8(out).unwrap();
        let err = String::from_utf8(err).unwrap();
        prop_assert!([0u8, 2, 3, 4].contains(&code), "{args:?}: exit {code}: {err}");
        if code == 0 || code == 4 {
            if out.starts_with('{') {
                let v: serde_json::Value = serde_json::from_str(&out).unwrap();
                let action = v["recommendation"]["action"].as_str().unwrap_or_default();
                prop_assert_eq!(code == 4, action == "withhold" || action == "stop", "{:?}", args);
            }
        } else {
            prop_assert!(out.is_empty());
            prop_assert_eq!(err.lines().filter(|l| l.starts_with("error:")).count(), 1, "{:?}: {}", args, err);
        }
    }
}

#[test]
fn a_broken_writer_is_an_internal_error_but_a_closed_pipe_is_not() {
    struct Broken(std::io::ErrorKind);
    impl std::io::Write for Broken {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::from(self.0))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let args = ["gh-dose", "indications"];
    let mut err = Vec::new();
    let code = run_with(
        args,
        &mut Broken(std::io::ErrorKind::BrokenPipe),
        &mut err,
        &Terminal::default(),
    );
    assert_eq!(code.code(), 0);
    assert!(err.is_empty());
    let code = run_with(
        args,
        &mut Broken(std::io::ErrorKind::StorageFull),
        &mut err,
        &Terminal::default(),
    );
    assert_eq!(code.code(), 1);
    assert!(
        String::from_utf8(err)
            .unwrap()
            .starts_with("error: cannot write output")
    );
}
