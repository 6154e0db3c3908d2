//! `--brief`: the answer a clinician copies into a note (at most 12 lines of
//! 80 columns), and the full human output wrapped to the terminal's width.

use super::gh;
use super::support::{PRODUCTS, temp};

/// Runs gh-dose (stdout piped, no COLUMNS) and returns (code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = gh(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn brief(args: &[&str]) -> (i32, String) {
    let all = [args, &["--brief", "--as-of", "2026-11-22"]].concat();
    let (code, out, err) = run(&all);
    assert!(err.is_empty(), "{err}");
    (code, out)
}

/// Asserts the brief answer's shape: at most 12 lines, each at most `width` columns.
fn assert_fits(text: &str, width: usize) {
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() <= 12, "{} lines:\n{text}", lines.len());
    for l in &lines {
        assert!(
            l.chars().count() <= width,
            "{} columns: {l:?}",
            l.chars().count()
        );
    }
}

#[test]
fn brief_start() {
    let (code, text) = brief(&[
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "24",
        "--product",
        "norditropin",
    ]);
    assert_eq!(code, 0);
    assert_fits(&text, 80);
    assert!(text.contains("1.15 mg (0.173 mL) on Norditropin FlexPro 10 mg/1.5 mL (blue)"));
    assert!(text.contains("7 injections a week; 8.05 mg/week"));
    insta::assert_snapshot!("brief_start", text);
}

#[test]
fn brief_titrate_decrease() {
    let (code, text) = brief(&[
        "titrate",
        "--indication",
        "ghd",
        "--weight-kg",
        "30",
        "--current-mg-per-week",
        "7.2",
        "--igf1-sds",
        "2.6",
        "--product",
        "norditropin",
    ]);
    assert_eq!(code, 0);
    assert_fits(&text, 80);
    assert!(
        text.contains("DECREASE: 7.2 -> 6.125 mg/week (-14.9 %)"),
        "{text}"
    );
    assert!(text.contains("WARNING:IGF1_ABOVE_RANGE"), "{text}");
    insta::assert_snapshot!("brief_titrate_decrease", text);
}

#[test]
fn brief_withhold() {
    let (code, text) = brief(&[
        "start",
        "--indication",
        "pws",
        "--weight-kg",
        "30",
        "--condition",
        "pws-sleep-apnea",
    ]);
    assert_eq!(code, 4);
    assert_fits(&text, 80);
    assert!(text.contains("WITHHOLD"));
    assert!(text.contains("no dose (PWS_CONTRAINDICATION)"));
    assert!(
        !text.contains("mg"),
        "a withheld answer shows no dose: {text}"
    );
    insta::assert_snapshot!("brief_withhold", text);
}

/// Every flag code is shown, or counted in "+N more"; the count of those
/// counted.
fn codes_accounted(text: &str, flags: &[serde_json::Value]) -> usize {
    let shown = flags
        .iter()
        .filter(|f| text.contains(&format!(":{}", f["code"].as_str().unwrap())))
        .count();
    let more = text
        .split('+')
        .filter_map(|t| t.strip_suffix(" more (see the full output)\n").or(Some(t)))
        .filter_map(|t| t.split(' ').next()?.parse::<usize>().ok())
        .next_back()
        .unwrap_or(0);
    assert_eq!(shown + more, flags.len(), "{text}");
    more
}

#[test]
fn a_long_brief_stays_within_12_lines_of_80_columns() {
    // A device name of 78 characters and nine flags.
    let long = "Norditropin FlexPro 10 mg/1.5 mL (blue) prefilled multi-dose pen, clinic stock";
    let products = PRODUCTS.replace("Norditropin FlexPro 10 mg/1.5 mL (blue)", long);
    assert_ne!(products, PRODUCTS);
    let file = temp(products.as_bytes(), ".toml");
    let path = file.path().to_str().unwrap();
    let mut args = vec![
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "24",
        "--height-cm",
        "150",
        "--product",
        "norditropin",
        "--device",
        "flexpro-10",
        "--region",
        "eu",
        "--products",
        path,
        "--age-years",
        "9",
        "--sex",
        "female",
        "--diabetes",
        "--mg-per-kg-week",
        "0.46",
    ];
    for c in [
        "malignancy-history",
        "cranial-irradiation",
        "scoliosis",
        "hypopituitarism",
        "glucocorticoid-replacement",
        "thyroid-replacement",
        "glucose-intolerance",
    ] {
        args.extend(["--condition", c]);
    }
    for s in ["headache", "limp", "edema", "arthralgia"] {
        args.extend(["--symptom", s]);
    }
    let (code, text) = brief(&args);
    assert_eq!(code, 0, "{text}");
    assert_fits(&text, 80);
    assert!(
        text.contains("prefilled multi-dose pen, clinic stock"),
        "{text}"
    );
    let (_, json) = super::json(&args);
    let flags = json["flags"].as_array().unwrap();
    assert!(flags.len() >= 9, "{flags:?}");
    assert_eq!(codes_accounted(&text, flags), 0, "all fit at 80 columns");
    // The brief answer is 80 columns whatever the terminal: it pastes the same.
    let out = gh(&[&args[..], &["--brief", "--as-of", "2026-11-22"]].concat())
        .env("COLUMNS", "40")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), text);
}

#[test]
fn brief_with_json_is_refused_and_auto_gives_the_brief_answer() {
    let args = ["start", "--indication", "turner", "--weight-kg", "24"];
    let (code, out, err) = run(&[&args[..], &["--brief", "--format", "json"]].concat());
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        "error: --brief cannot be used with --format json (the brief answer is human text): remove one\n"
    );
    // Before the command name too.
    let (code, _, err) = run(&[&["--format", "json"], &args[..], &["--brief"]].concat());
    assert_eq!(code, 2, "{err}");
    // Piped with --format auto: the brief answer, not JSON.
    let (code, out, _) = run(&[&args[..], &["--brief", "--as-of", "2026-11-22"]].concat());
    assert_eq!(code, 0);
    assert!(out.starts_with("Turner syndrome (turner) - start"), "{out}");
    assert!(
        out.contains("1.131 mg (3.394 IU), no device rounding"),
        "{out}"
    );
}

#[test]
fn the_full_human_output_wraps_at_columns_and_80_when_unknown() {
    let args = [
        "titrate",
        "--indication",
        "ghd",
        "--weight-kg",
        "30",
        "--current-mg-per-week",
        "7.2",
        "--igf1-sds",
        "2.6",
        "--product",
        "norditropin",
        "--format",
        "human",
        "--as-of",
        "2026-11-22",
    ];
    let widest = |text: &str| text.lines().map(|l| l.chars().count()).max().unwrap();
    let (_, out, _) = run(&args);
    assert!(widest(&out) <= 80 && widest(&out) > 70, "{out}");
    for cols in ["60", "120"] {
        let o = gh(&args).env("COLUMNS", cols).output().unwrap();
        let text = String::from_utf8(o.stdout).unwrap();
        let w: usize = cols.parse().unwrap();
        assert!(
            widest(&text) <= w && widest(&text) > w - 15,
            "{cols}: {text}"
        );
        // Nothing is lost: the words are the same at every width.
        let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(words(&text), words(&out));
    }
}
