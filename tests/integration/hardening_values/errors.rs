//! Every error on stderr is exactly one line starting with `error: `, on
//! the flag route and the `--input` route, whatever the value holds.

use super::{file_with, one_error_line};
use crate::{fails, gh};

/// Bad invocations and their codes; arguments split on spaces, `{toml}` a
/// rule file with a syntax error and `{dir}` a directory.
const FLAG_CASES: [(&str, i32); 24] = [
    ("", 2),
    ("rules", 2),
    ("--format json", 2),
    ("strt", 2),
    ("start --wieght-kg 3", 2),
    ("start --indication ghd --weight-kg", 2),
    ("start --indication ghd --weight-kg 24 --weight-lb 50", 2),
    ("start --format xml --indication ghd", 2),
    ("start", 2),
    ("titrate --indication ghd --igf1-unit g/l", 2),
    ("start --weight 24", 2),
    ("start --indication ghd --weight-kg 1\n2", 2),
    ("start --indication tur\nner --weight-kg 24", 2),
    ("start --indication \u{1b}[2J\r --weight-kg 24", 2),
    ("start --indication ghd --weight-kg -5", 2),
    (
        "start --indication ghd --weight-kg 24 --as-of 9999-12-31",
        2,
    ),
    (
        "start --indication ghd --weight-kg 24 --rules /no/such\ndir/r.toml",
        3,
    ),
    ("start --indication ghd --weight-kg 24 --rules {dir}", 3),
    ("rules check {toml}", 3),
    ("start --indication ghd --weight-kg 24 --products {toml}", 3),
    ("start --input /no/such\nfile.json", 2),
    ("batch /no/such\nfile.jsonl", 2),
    ("completions zsh2", 2),
    (
        "titrate --indication adult-ghd --age-years 45 --current-mg-per-day 0.3 --igf1 150 --igf1-reference /no/such\nref.toml",
        3,
    ),
];

#[test]
fn every_error_on_the_flag_route_is_one_line() {
    let toml = file_with(b"schema_version = 1\n[[indications]]\nid = \n", ".toml");
    let toml = toml.path().to_str().unwrap();
    let dir = env!("CARGO_MANIFEST_DIR");
    for (line, want) in FLAG_CASES {
        let args: Vec<&str> = line
            .split(' ')
            .filter(|a| !a.is_empty())
            .map(|a| match a {
                "{toml}" => toml,
                "{dir}" => dir,
                other => other,
            })
            .collect();
        let (code, err) = fails(&args);
        assert_eq!(code, want, "{args:?}: {err}");
        one_error_line(err.as_bytes(), &format!("{args:?}"));
    }
}

#[test]
fn every_error_on_the_input_route_is_one_line() {
    let requests: Vec<(&str, &[u8])> = vec![
        ("start", b"not json"),
        ("start", b""),
        ("start", b"[1, 2]"),
        ("start", b"{\n  \"indication\": \"ghd\",\n  \"weight_kg\": \"a\\nb\"\n}"),
        ("start", b"{\"indication\": \"ghd\", \"weight_kg\": 24, \"wei\\nght\": 1}"),
        ("start", b"{\"indication\": \"ghd\\u001b[2J\", \"weight_kg\": 24}"),
        ("start", b"{\"indication\": \"ghd\", \"weight_kg\": 24, \"sex\": \"f\\r\\n\"}"),
        ("start", b"{\"indication\": \"ghd\", \"weight_kg\": 24, \"as_of\": \"9999-12-31\"}"),
        ("start", b"{\"indication\": \"ghd\", \"weight_kg\": 24, \"birth_date\": \"2026-02-30\"}"),
        ("start", b"{\"indication\": \"ghd\", \"weight_kg\": 24}\n{\"second\": 1}"),
        ("start", b"\xff\xfe not utf-8"),
        ("titrate", b"{\"indication\": \"ghd\", \"weight_kg\": 30, \"current_mg_per_week\": 7, \"igf1_date\": \"2026-12-01\", \"as_of\": \"2026-11-22\"}"),
        ("titrate", b"{\"indication\": \"adult-ghd\", \"age_years\": 45, \"current_mg_per_day\": 0.3, \"igf1\": 150, \"igf1_reference\": \"/no/such\\nref.toml\"}"),
    ];
    for (command, stdin) in requests {
        let out = gh(&[command, "--input", "-"])
            .write_stdin(stdin.to_vec())
            .output()
            .unwrap();
        let what = String::from_utf8_lossy(stdin).to_string();
        assert!(matches!(out.status.code(), Some(2 | 3)), "{what}: {out:?}");
        assert!(out.stdout.is_empty(), "{what}");
        one_error_line(&out.stderr, &what);
    }
    // The same from a file.
    let f = file_with(b"{\n\"indication\": 7\n}", ".json");
    let (code, err) = fails(&["start", "--input", f.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    one_error_line(err.as_bytes(), "file");
}
