//! Arbitrary input, generated: any command line and near-valid commands end
//! cleanly in process (no panic, only documented exit codes, nothing on
//! stdout with an error, JSON that parses whenever JSON is written), and a
//! batch of garbage keeps one output line per input line.

use super::support::{AS_OF, TURNER, lines, message, run};
use gh_dose::api::{Terminal, run_with};
use proptest::prelude::*;
use serde_json::Value;
use std::sync::OnceLock;

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

// The whole: mixed garbage keeps one output line per input line, in order.

/// Requests whose documents the garbage around them must not change.
const VALID: [&str; 4] = [
    TURNER,
    r#"{"command":"start","indication":"pws","weight_kg":30,"condition":["pws-sleep-apnea"],"as_of":"2026-11-22"}"#,
    r#"{"command":"titrate","indication":"adult-ghd","age_years":45,"current_mg_per_day":0.3,"igf1_sds":-1.5,"as_of":"2026-11-22"}"#,
    r#"{"command":"start","indication":"ghd","weight_kg":30,"age_years":9,"product":"ngenla","as_of":"2026-11-22"}"#,
];

/// Each valid request's document, run alone.
fn expected() -> &'static Vec<Value> {
    static DOCS: OnceLock<Vec<Value>> = OnceLock::new();
    DOCS.get_or_init(|| {
        let (_, out, _) = run(&["batch"], VALID.join("\n"));
        lines(&out)
    })
}

#[derive(Debug, Clone)]
enum Piece {
    Valid(usize),
    Crlf(usize),
    Bom(usize),
    Junk(Vec<u8>),
    Blank(&'static str),
    Nul,
}

fn piece() -> impl Strategy<Value = Piece> {
    let index = 0..VALID.len();
    prop_oneof![
        4 => index.clone().prop_map(Piece::Valid),
        2 => index.clone().prop_map(Piece::Crlf),
        1 => index.prop_map(Piece::Bom),
        3 => prop::collection::vec(any::<u8>().prop_filter("a line", |b| *b != b'\n'), 0..120).prop_map(Piece::Junk),
        1 => prop::sample::select(vec!["", " ", "\t \r"]).prop_map(Piece::Blank),
        1 => Just(Piece::Nul),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn garbage_keeps_one_line_out_per_line_in(
        pieces in prop::collection::vec(piece(), 1..30),
        huge in prop::option::of(any::<prop::sample::Index>()),
        final_newline in any::<bool>(),
    ) {
        let mut input = Vec::new();
        let huge = huge.map(|i| i.index(pieces.len()));
        // An empty last piece without a line end is no line at all.
        let mut last_empty = false;
        for (i, p) in pieces.iter().enumerate() {
            if i > 0 {
                input.push(b'\n');
            }
            let before = input.len();
            last_empty = false;
            if huge == Some(i) {
                input.extend(std::iter::repeat_n(b'{', 3_000_000));
                continue;
            }
            match p {
                Piece::Valid(j) => input.extend(VALID[*j].as_bytes()),
                Piece::Crlf(j) => input.extend(format!("{}\r", VALID[*j]).as_bytes()),
                Piece::Bom(j) => input.extend(format!("\u{feff}{}", VALID[*j]).as_bytes()),
                Piece::Junk(bytes) => input.extend(bytes),
                Piece::Blank(s) => input.extend(s.as_bytes()),
                Piece::Nul => input.extend(b"\0{\"command\":\"start\"}\0"),
            }
            last_empty = input.len() == before;
        }
        if final_newline {
            input.push(b'\n');
        }
        let (code, out, err) = run(&["batch", "--as-of", AS_OF], input);
        prop_assert!(code == 0 || code == 2, "exit {code}: {err}");
        prop_assert!(err.is_empty(), "{err}");
        let out = lines(&out);
        let count = if last_empty && !final_newline {
            pieces.len() - 1
        } else {
            pieces.len()
        };
        prop_assert_eq!(out.len(), count);
        for (i, (p, v)) in pieces.iter().zip(&out).enumerate() {
            let want = match p {
                _ if huge == Some(i) => None,
                Piece::Valid(j) | Piece::Crlf(j) => Some(*j),
                Piece::Bom(j) if i == 0 => Some(*j),
                _ => None,
            };
            match want {
                Some(j) => prop_assert_eq!(v, &expected()[j], "line {}", i + 1),
                None => {
                    prop_assert_eq!(&v["line"], &Value::from(i + 1), "{}", v);
                    let m = message(v);
                    prop_assert!(!m.contains(char::is_control) && !m.starts_with("error:"), "{m:?}");
                }
            }
        }
        prop_assert_eq!(code == 2, out.iter().any(|v| v.get("error").is_some()));
    }
}
