//! Unit tests of `numbers.rs`.

use super::*;
use crate::bands::{PRODUCT_FIELDS, RULE_FIELDS, SDS};
use crate::diagnostic::FileError;
use crate::rules::BUILT_IN;
use crate::rules::products::BUILT_IN_PRODUCTS;

fn run(text: &str, fields: &[FieldBand]) -> Result<(), FileError> {
    check(
        &Cx {
            text,
            path: "t.toml",
        },
        fields,
    )
}

#[test]
fn the_built_in_tables_are_inside_their_bands() {
    run(BUILT_IN, RULE_FIELDS).unwrap();
    run(BUILT_IN_PRODUCTS, PRODUCT_FIELDS).unwrap();
}

#[test]
fn every_band_names_a_key_once() {
    for fields in [RULE_FIELDS, PRODUCT_FIELDS] {
        let mut keys: Vec<&str> = fields.iter().map(|(k, _)| *k).collect();
        keys.sort_unstable();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n, "a key is listed twice");
        for (k, b) in fields {
            assert!(b.lo < b.hi && b.lo.is_finite() && b.hi.is_finite(), "{k}");
        }
    }
}

#[test]
fn a_control_character_in_a_text_is_refused_where_it_stands() {
    let fields: &[FieldBand] = &[("a.b", SDS)];
    for (text, col, code) in [
        ("[a]\nname = \"x\\ny\"\n", 8, "U+000A at character 2"),
        ("[a]\nname = \"\\u001b[2J\"\n", 8, "U+001B at character 1"),
        ("[a]\nname = \"a\\tb\"\n", 8, "U+0009 at character 2"),
        ("[a]\nname = \"\u{85}\"\n", 8, "U+0085 at character 1"),
        (
            "[a]\nname = \"\"\"\nx\ny\"\"\"\n",
            8,
            "U+000A at character 2",
        ),
    ] {
        let e = run(text, fields).expect_err(text);
        assert_eq!((e.line, e.col), (2, col), "{text:?}");
        assert_eq!(
            e.message,
            format!("a.name: a text may not hold a control character ({code})"),
            "{text:?}"
        );
    }
    let e = run("[a]\n\"x\\ny\" = 1\n", fields).unwrap_err();
    assert_eq!((e.line, e.col), (2, 1));
    assert!(
        e.message.starts_with("a: a text may not hold"),
        "{}",
        e.message
    );
    run("[a]\nname = \"Turner syndrome \u{e9}\"\n", fields).unwrap();
}

#[test]
fn non_finite_and_out_of_band_numbers_are_refused_where_they_stand() {
    let fields: &[FieldBand] = &[("a.b", SDS), ("rows.x", SDS)];
    let e = run("[a]\nb = nan\n", fields).unwrap_err();
    assert_eq!((e.line, e.col), (2, 5));
    assert_eq!(
        e.message,
        "a.b must be a finite number between -10 and 10 SDS (got nan)"
    );
    let e = run("[a]\nb = -inf\n", fields).unwrap_err();
    assert!(e.message.ends_with("(got -inf)"), "{e}");
    let e = run("rows = [{ x = 1.0 }, { x = 1e300 }]\n", fields).unwrap_err();
    assert_eq!((e.line, e.col), (1, 28));
    assert!(e.message.ends_with("(got 1e300)"), "{e}");
    let e = run("[[rows]]\nx = 11\n", fields).unwrap_err();
    assert_eq!((e.line, e.col), (2, 5));
    assert!(run("a = { b = 10 }\n", fields).is_ok());
    assert!(run("a = { b = -10.0 }\nname = \"x\"\nflag = true\n", fields).is_ok());
}

#[test]
fn a_number_without_a_band_is_refused() {
    let e = run("z = 1\n", &[]).unwrap_err();
    assert_eq!(
        e.message,
        "z: no plausibility band is defined for this number"
    );
}

#[test]
fn no_table_holds_more_than_the_row_limit() {
    let rows = "[[rows]]\nx = 1\n".repeat(MAX_ROWS + 1);
    let e = run(&rows, &[("rows.x", SDS)]).unwrap_err();
    assert_eq!(e.line, 2 * MAX_ROWS + 1);
    assert!(e.message.contains("more than 10000 rows"), "{e}");
    let rows = "[[rows]]\nx = 1\n".repeat(MAX_ROWS);
    assert!(run(&rows, &[("rows.x", SDS)]).is_ok());
}
