//! Malformed invocations from `tests/bad_inputs.toml`: each exits with its
//! code and one clear line naming the flag, the value and what is allowed, and
//! writes nothing to stdout.

use super::fails;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    args: Vec<String>,
    code: i32,
    message: String,
}

fn cases() -> Vec<Case> {
    let table: Table = toml::from_str(include_str!("../bad_inputs.toml")).unwrap();
    table.case
}

#[test]
fn the_table_has_at_least_fifty_cases() {
    assert!(cases().len() >= 50, "{}", cases().len());
}

#[test]
fn malformed_invocations_exit_with_one_clear_line() {
    for c in cases() {
        let args: Vec<&str> = c.args.iter().map(String::as_str).collect();
        let (code, err) = fails(&args);
        assert_eq!(code, c.code, "{args:?}: {err}");
        assert!(
            err.contains(&c.message),
            "{args:?}\n want: {}\n  got: {err}",
            c.message
        );
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn value_errors_are_one_line() {
    for args in [
        &["start", "--indication", "turner", "--weight-kg", "-5"][..],
        &["start", "--indication", "turner", "--weight-kg", "abc"],
        &[
            "start",
            "--indication",
            "turner",
            "--weight-kg",
            "24",
            "--weight-lb",
            "50",
        ],
        &["start", "--indication", "nope", "--weight-kg", "24"],
        &[
            "titrate",
            "--indication",
            "adult-ghd",
            "--age-years",
            "45",
            "--current-mg-per-day",
            "0.3",
            "--igf1-sds",
            "11",
        ],
    ] {
        let (_, err) = fails(args);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    }
}

#[test]
fn unknown_subcommand_suggests() {
    let (code, err) = fails(&["strt"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("a similar subcommand exists: 'start'"),
        "{err}"
    );
}
