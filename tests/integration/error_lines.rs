//! Every error is one line on stderr starting with `error: `, whatever the
//! value holds, on every route; it names the field as its route spells it
//! (`--weight-kg` on the command line, `weight_kg` in JSON); the malformed
//! invocations of `tests/bad_inputs.toml` exit with their code and message.

use super::support::{lines, message, one_error_line, run, temp};
use super::{fails, gh};
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
    let toml = temp(b"schema_version = 1\n[[indications]]\nid = \n", ".toml");
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
    let f = temp(b"{\n\"indication\": 7\n}", ".json");
    let (code, err) = fails(&["start", "--input", f.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    one_error_line(err.as_bytes(), "file");
}

// 12. One line on every route.

#[test]
fn messages_are_one_line_on_every_route() {
    let batch = [
        r#"{"command":"start","indication":"tur\nner","weight_kg":24}"#,
        r#"{"command":"start","indication":"turner","wei\r\nght":24}"#,
        r#"{"command":"start","indication":"turner","error: x":1,"error: x":2}"#,
        r#"{"command":"start","indication":"turner","sex":"f\u001b[2J"}"#,
    ]
    .join("\n");
    let (_, out, _) = run(&["batch"], batch);
    let out = lines(&out);
    assert_eq!(out.len(), 4);
    for v in &out {
        let m = message(v);
        assert!(!m.contains(char::is_control), "{m:?}");
        assert!(!m.to_lowercase().starts_with("error:"), "{m:?}");
    }
    assert_eq!(message(&out[2]), r#""error: x" is given twice"#);
    let f = temp(br#"{"indication":"tur\nner","weight_kg":24}"#, ".json");
    let (code, err) = fails(&["start", "--input", f.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: indication 'tur ner' is not a known indication"),
        "{err}"
    );
    let (_, err) = fails(&["start", "--indication", "tur\nner", "--weight-kg", "24"]);
    assert_eq!(err.lines().count(), 1, "{err}");
    // clap's own errors too, with their tips and an echoed newline.
    let (code, err) = fails(&["start", "--indication", "ghd", "--sex", "f\nx"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: invalid value 'f x' for '--sex <SEX>' [possible values: female, male]\n"
    );
    let (_, err) = fails(&["start", "--indication", "ghd", "--weight-kgg", "3"]);
    assert_eq!(
        err,
        "error: unexpected argument '--weight-kgg' found; tip: a similar argument exists: '--weight-kg'\n"
    );
}

fn stdin(args: &[&str], input: &str) -> (i32, String) {
    let out = gh(args).write_stdin(input.to_string()).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn an_error_names_the_field_as_its_route_spells_it() {
    let (code, out) = stdin(
        &["batch"],
        "{\"command\":\"start\",\"indication\":\"ghd\",\"weight_kg\":-3}\n",
    );
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["line"], 1);
    assert_eq!(v["error"]["field"], "weight_kg");
    assert_eq!(
        v["error"]["message"],
        "weight_kg must be between 0.5 and 250 kg (got -3)"
    );
    let (code, err) = fails(&["start", "--indication", "ghd", "--weight-kg", "-3"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: --weight-kg must be between 0.5 and 250 kg (got -3)\n"
    );
    let (code, out) = stdin(
        &["batch", "--input-format", "csv"],
        "command,indication,weight_kg\nstart,ghd,-3\n",
    );
    assert_eq!(code, 2);
    assert!(out.contains("\"field\":\"weight_kg\""), "{out}");
}
