//! Broken `growth-lms` files from `tests/growth_bad_files.toml`: each is
//! refused with its message at its line.

use gh_dose::api::growth::parse_growth_lms;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    base: String,
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    replace: String,
    with: String,
    message: String,
    line: usize,
}

#[test]
fn broken_growth_files_are_refused_at_their_line() {
    let table: Table = toml::from_str(include_str!("../growth_bad_files.toml")).unwrap();
    let base = parse_growth_lms(&table.base, "base.toml").unwrap();
    assert_eq!(base.info.id, "test-height");
    for case in &table.case {
        assert!(table.base.contains(&case.replace), "{}", case.replace);
        let text = table.base.replacen(&case.replace, &case.with, 1);
        let e = parse_growth_lms(&text, "t.toml").unwrap_err();
        assert!(e.message.contains(&case.message), "{}: {e}", case.with);
        assert_eq!(
            (e.path.as_str(), e.line),
            ("t.toml", case.line),
            "{}: {e}",
            case.with
        );
        assert!(e.col >= 1);
    }
}
