//! Unit tests of `file.rs`.

use super::*;

const HEADER: &str = r#"schema_version = 1
kind = "growth-lms"
id = "test-height"
measurement = "height"
unit = "cm"
name = "Test"
citation = "Invented for a test"
licence = "none"
"#;

const ROW: &str = "\n[[rows]]\nsex = \"female\"\nage_years = 2.0\nl = 1.0\nm = 85.0\ns = 0.04\n";

fn file(header: &str, rows: &[&str]) -> String {
    format!("{header}{}", rows.concat())
}

fn error(text: &str) -> FileError {
    parse_growth_lms(text, "t.toml").unwrap_err()
}

#[test]
fn a_minimal_file_loads_and_months_become_years() {
    let month_row = ROW.replace("age_years = 2.0", "age_months = 30");
    let r = parse_growth_lms(&file(HEADER, &[ROW, &month_row]), "t.toml").unwrap();
    assert_eq!(r.info.id, "test-height");
    assert_eq!(r.info.citation, "Invented for a test");
    assert_eq!(r.info.source_file, None);
    assert_eq!(r.age_range(Sex::Female), Some((2.0, 2.5)));
    assert_eq!(r.age_range(Sex::Male), None);
}

#[test]
fn order_and_units_by_measurement() {
    let older = ROW.replace("age_years = 2.0", "age_years = 3.0");
    let e = error(&file(HEADER, &[&older, ROW]));
    assert!(e.message.contains("strictly increasing"), "{e}");
    assert_eq!(e.line, 17);
    let e = error(&file(HEADER, &[ROW, ROW]));
    assert!(e.message.contains("strictly increasing"), "{e}");
    // A BMI file needs kg/m2 and a BMI-sized M.
    let bmi = HEADER
        .replace("\"height\"", "\"bmi\"")
        .replace("\"cm\"", "\"kg/m2\"");
    let e = error(&file(&bmi, &[ROW]));
    assert!(
        e.message
            .contains("m = 85: must be a finite number from 5 to 80"),
        "{e}"
    );
    assert!(parse_growth_lms(&file(&bmi, &[&ROW.replace("85.0", "16.5")]), "b").is_ok());
    let e = error(HEADER);
    assert!(e.message.contains("missing field `rows`"), "{e}");
    let e = error(&format!("{HEADER}rows = []\n"));
    assert!(e.message.contains("no rows"), "{e}");
    let e = error("\u{feff}= 1");
    assert_eq!(e.line, 1);
}
