//! The rest of the attack on the inputs (issue 18, item 6), each a clear
//! error: a pen whose increment exceeds its strength and a rule text with a
//! control character refused at load (exit 3, file:line:col); an unknown CSV
//! column refused like an unknown JSON field; a previous weight's date
//! without the weight refused on the JSON route as on the command line.

use super::{fails, gh};
use serde_json::Value;
use std::io::Write;

const RULES: &str = include_str!("../../data/indications.toml");
const PRODUCTS: &str = include_str!("../../data/products.toml");

fn write(text: &str, suffix: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(suffix).tempfile().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f
}

/// `base` with `from` replaced by `to`, and the 1-based line and column
/// of `at` inside the replacement.
fn edit(base: &str, from: &str, to: &str, at: &str) -> (String, usize, usize) {
    let start = base.find(from).unwrap() + to.find(at).unwrap();
    let text = base.replacen(from, to, 1);
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    (text, line, col)
}

#[test]
fn a_pen_whose_increment_exceeds_its_strength_is_refused_at_load() {
    let from = "strength_mg = 5.0, volume_ml = 1.5, increment_mg = 0.025";
    let (text, line, _) = edit(
        PRODUCTS,
        from,
        "strength_mg = 5.0, volume_ml = 1.5, increment_mg = 6.0",
        "increment_mg",
    );
    let f = write(&text, ".toml");
    let path = f.path().to_str().unwrap();
    let prefix = format!("error: {path}:{line}:");
    for args in [
        vec!["rules", "check", path],
        vec![
            "start",
            "--indication",
            "ghd",
            "--weight-kg",
            "20",
            "--products",
            path,
        ],
    ] {
        let (code, err) = fails(&args);
        assert_eq!(code, 3, "{args:?}: {err}");
        assert!(err.starts_with(&prefix), "{err}");
        assert!(
            err.trim_end().ends_with(
                "device flexpro-5: increment_mg exceeds strength_mg (no dose of the pen could be dialled)"
            ),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1);
    }
}

#[test]
fn a_rule_text_with_a_control_character_is_refused_at_load() {
    // An indication's name with a line break, a flag's message with a
    // terminal escape, a product name with a C1 control.
    for (base, from, to, at, key, code) in [
        (
            RULES,
            "name = \"Turner syndrome\"",
            "name = \"Turner\\nsyndrome\"",
            "\"Turner",
            "indications.name",
            "U+000A at character 7",
        ),
        (
            RULES,
            "message = \"",
            "message = \"\\u001b[2J",
            "\"",
            "flags.",
            "U+001B at character 1",
        ),
        (
            PRODUCTS,
            "name = \"Norditropin FlexPro 5 mg",
            "name = \"Norditropin\u{85} FlexPro 5 mg",
            "\"",
            "products.devices.name",
            "U+0085 at character 12",
        ),
    ] {
        assert!(base.contains(from), "fixture: {from}");
        let (text, line, col) = edit(base, from, to, at);
        let f = write(&text, ".toml");
        let path = f.path().to_str().unwrap();
        let table = if base == RULES {
            "--rules"
        } else {
            "--products"
        };
        for args in [
            vec!["rules", "check", path],
            vec![
                "start",
                "--indication",
                "turner",
                "--weight-kg",
                "24",
                table,
                path,
            ],
        ] {
            let (c, err) = fails(&args);
            assert_eq!(c, 3, "{args:?}: {err}");
            assert!(
                err.starts_with(&format!("error: {path}:{line}:{col}: {key}")),
                "{key}: {err}"
            );
            assert!(
                err.trim_end()
                    .ends_with(&format!("a text may not hold a control character ({code})")),
                "{err}"
            );
            assert_eq!(err.lines().count(), 1, "{err:?}");
        }
    }
    // The built-in tables hold none.
    for (table, text) in [("--rules", RULES), ("--products", PRODUCTS)] {
        let f = write(text, ".toml");
        let out = gh(&["rules", "check", f.path().to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{table}");
    }
}

fn batch(stdin: &str, extra: &[&str]) -> (i32, Vec<Value>, String) {
    let mut args = vec!["batch", "--as-of", "2026-11-22"];
    args.extend(extra);
    let out = gh(&args).write_stdin(stdin).output().unwrap();
    let lines = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (
        out.status.code().unwrap(),
        lines,
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn an_unknown_csv_column_is_refused_like_an_unknown_json_field() {
    // A column no request has: the batch ends at its header, before any
    // row, even when every cell of it is empty (one line, exit 2).
    for header in [
        "command,indication,weight_kg,wieght_kg",
        "command,indication,weight_kg,foo",
    ] {
        let bad = header.rsplit(',').next().unwrap();
        let csv = format!("{header}\nstart,turner,24,\nstart,turner,24,25\n");
        let (code, out, err) = batch(&csv, &["--input-format", "csv"]);
        assert_eq!(code, 2, "{err}");
        assert!(out.is_empty(), "{out:?}");
        assert_eq!(
            err,
            format!(
                "error: batch stdin:1: CSV header: unknown column '{bad}' (columns are the request fields: the flags' names in snake_case, e.g. weight_kg)\n"
            )
        );
    }
    // The same field in JSON Lines: refused on its line, null or not.
    let (code, out, _) = batch(
        "{\"command\":\"start\",\"indication\":\"turner\",\"weight_kg\":24,\"foo\":null}\n",
        &[],
    );
    assert_eq!(code, 2);
    assert_eq!(out[0]["error"]["field"], "foo");
    // A column of another command than the row's: refused on the row that
    // fills it, empty on the others (a batch may mix start and titrate).
    let csv = "command,indication,weight_kg,current_mg_per_week\n\
               start,turner,24,\n\
               titrate,turner,24,7\n\
               start,turner,24,7\n";
    let (code, out, _) = batch(csv, &["--input-format", "csv"]);
    assert_eq!(code, 2);
    assert_eq!(out.len(), 3);
    assert_eq!(out[0]["recommendation"]["dose"]["mg_per_week"], 7.92);
    assert_eq!(out[1]["command"], "titrate");
    assert_eq!(out[2]["line"], 4);
    assert_eq!(out[2]["error"]["field"], "current_mg_per_week");
    assert!(
        out[2]["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("unknown field 'current_mg_per_week' for start"),
        "{}",
        out[2]
    );
}

#[test]
fn a_previous_weight_date_without_the_weight_is_refused_on_every_route() {
    let (code, err) = fails(&[
        "titrate",
        "--indication",
        "ghd",
        "--weight-kg",
        "26",
        "--current-mg-per-week",
        "7",
        "--previous-weight-date",
        "2026-05-01",
        "--as-of",
        "2026-11-22",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--previous-weight-kg"), "{err}");
    let want = "previous_weight_kg is required with previous_weight_date (the date is the previous weight's)";
    // One request from --input: one line, exit 2.
    let req = write(
        "{\"indication\":\"ghd\",\"weight_kg\":26,\"current_mg_per_week\":7,\"previous_weight_date\":\"2026-05-01\"}",
        ".json",
    );
    let (code, err) = fails(&[
        "titrate",
        "--input",
        req.path().to_str().unwrap(),
        "--as-of",
        "2026-11-22",
    ]);
    assert_eq!(code, 2);
    assert_eq!(err, format!("error: {want}\n"));
    // A batch line: its error object; CSV the same.
    let (code, out, _) = batch(
        "{\"command\":\"titrate\",\"indication\":\"ghd\",\"weight_kg\":26,\"current_mg_per_week\":7,\"previous_weight_date\":\"2026-05-01\"}\n",
        &[],
    );
    assert_eq!(code, 2);
    assert_eq!(out[0]["error"]["field"], "previous_weight_date");
    assert_eq!(out[0]["error"]["message"], want);
    let csv = "command,indication,weight_kg,current_mg_per_week,previous_weight_date,previous_weight_kg\n\
               titrate,ghd,26,7,2026-05-01,\n\
               titrate,ghd,26,7,2026-05-01,25\n";
    let (code, out, _) = batch(csv, &["--input-format", "csv"]);
    assert_eq!(code, 2);
    assert_eq!(out[0]["error"]["message"], want);
    assert_eq!(out[1]["command"], "titrate", "{}", out[1]);
}
