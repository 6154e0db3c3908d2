//! The input routes under hostile input: repeated fields, reference paths
//! that are not files, unreadable or endless batch input, very long lines,
//! CSV line numbers and integers, BOM/CRLF/non-UTF-8 text, and messages that
//! stay on one line. Each test names the problem it reproduces.

use super::{fails, gh, json};
use proptest::prelude::*;
use serde_json::Value;
use std::io::Write;
use std::sync::OnceLock;
use std::time::Duration;

const AS_OF: &str = "2026-11-22";
const TURNER: &str =
    r#"{"command":"start","indication":"turner","weight_kg":24,"as_of":"2026-11-22"}"#;
/// A titration with an LMS reference; `REF` is replaced by the path.
const WITH_REF: &str = r#"{"command":"titrate","indication":"adult-ghd","age_years":20,"sex":"male","current_mg_per_day":0.3,"igf1":366.6,"igf1_reference":"REF","as_of":"2026-11-22"}"#;
const EXAMPLE_REF: &str = "data/examples/igf1-lms-synthetic.toml";

/// Runs `gh-dose ARGS` with `stdin`; returns (code, stdout, stderr), and
/// gives up after 60 s (a hang is a failure, not a stuck test run).
fn run(args: &[&str], stdin: impl Into<Vec<u8>>) -> (i32, Vec<u8>, String) {
    let out = gh(args)
        .write_stdin(stdin.into())
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let code = out.status.code().expect("gh-dose ended without a code");
    (code, out.stdout, String::from_utf8(out.stderr).unwrap())
}

/// Each stdout line as JSON.
fn lines(stdout: &[u8]) -> Vec<Value> {
    std::str::from_utf8(stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn temp(bytes: &[u8], suffix: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(suffix).tempfile().unwrap();
    f.write_all(bytes).unwrap();
    f
}

fn message(v: &Value) -> &str {
    v["error"]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("not an error: {v}"))
}

// 1. Repeated keys and columns.

#[test]
fn a_field_given_twice_is_refused_on_every_route() {
    let malignancy = r#"{"indication":"turner","weight_kg":24,"condition":["active-malignancy"],"condition":[]}"#;
    let weight = r#"{"indication":"turner","weight_kg":24,"weight_kg":240}"#;
    for (text, field) in [(malignancy, "condition"), (weight, "weight_kg")] {
        let f = temp(text.as_bytes(), ".json");
        let path = f.path().to_str().unwrap();
        let (code, err) = fails(&["start", "--input", path, "--as-of", AS_OF]);
        assert_eq!(code, 2, "{text}: {err}");
        assert!(
            err.starts_with(&format!("error: --input {path}:1:")),
            "{err}"
        );
        assert!(err.ends_with(&format!("{field} is given twice\n")), "{err}");
        assert_eq!(err.lines().count(), 1);
    }
    // Given once, the malignancy withholds the dose: the refusal keeps it.
    let once = temp(
        br#"{"indication":"turner","weight_kg":24,"condition":["active-malignancy"]}"#,
        ".json",
    );
    let (code, v) = json(&["start", "--input", once.path().to_str().unwrap()]);
    assert_eq!(
        (code, &v["recommendation"]["action"]),
        (4, &Value::from("withhold"))
    );

    let batch = [
        r#"{"command":"start","indication":"turner","weight_kg":24,"condition":["active-malignancy"],"condition":[]}"#,
        r#"{"command":"start","indication":"turner","weight_kg":24,"weight_kg":240}"#,
        r#"{"command":"start","command":"start","indication":"turner","weight_kg":24}"#,
        r#"{"command":"start","indication":"turner","weight_kg":24,"condition":[{"a":1,"a":2}]}"#,
        TURNER,
    ]
    .join("\n");
    let (code, out, err) = run(&["batch", "--as-of", AS_OF], batch);
    assert_eq!(code, 2, "{err}");
    let out = lines(&out);
    assert_eq!(out.len(), 5);
    let want = [
        ("condition", "condition is given twice"),
        ("weight_kg", "weight_kg is given twice"),
        ("command", "command is given twice"),
        ("condition", "condition[0].a is given twice"),
    ];
    for (i, (field, text)) in want.iter().enumerate() {
        assert_eq!(out[i]["line"], i + 1);
        assert_eq!(out[i]["error"]["code"], 2);
        assert_eq!(out[i]["error"]["field"], *field);
        assert_eq!(message(&out[i]), *text);
    }
    assert_eq!(out[4]["recommendation"]["dose"]["mg_per_week"], 7.92);

    // CSV: a repeated column ends the batch before any row, with one error.
    let csv =
        "command,indication,weight_kg,condition, condition\nstart,turner,24,active-malignancy,\n";
    let (code, out, err) = run(&["batch", "--input-format", "csv"], csv);
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{}", String::from_utf8_lossy(&out));
    assert_eq!(
        err,
        "error: batch stdin:1: CSV header: column condition is given twice (columns 4 and 5)\n"
    );

    // The command line already refused a repeated flag.
    let (code, err) = fails(&[
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "24",
        "--weight-kg",
        "240",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("'--weight-kg <KG>' cannot be used multiple times"),
        "{err}"
    );
}

// 6. A request's reference path.

#[test]
fn a_reference_must_be_a_regular_file_of_bounded_size() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.toml");
    std::fs::File::create(&big)
        .unwrap()
        .set_len((10 << 20) + 1)
        .unwrap();
    let mut refs = vec![
        (dir.path().to_path_buf(), "a directory, not a regular file"),
        (big, "larger than 10 MiB"),
    ];
    if cfg!(unix) {
        refs.push(("/dev/zero".into(), "a character device, not a regular file"));
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            refs.push((fifo, "a pipe (FIFO), not a regular file"));
        }
    }
    for (path, why) in &refs {
        let path = path.to_str().unwrap();
        let args = [
            "titrate",
            "--indication",
            "adult-ghd",
            "--age-years",
            "20",
            "--sex",
            "male",
            "--current-mg-per-day",
            "0.3",
            "--igf1",
            "366.6",
            "--igf1-reference",
            path,
        ];
        let (code, _, err) = run(&args, "");
        assert_eq!(code, 3, "{path}: {err}");
        assert_eq!(
            err,
            format!("error: {path}: cannot use this IGF-1 reference file: {why}\n")
        );
    }
    // In a piped batch, /dev/stdin would swallow the lines after it.
    let batch = [
        WITH_REF.replace("REF", "/dev/stdin"),
        TURNER.to_string(),
        TURNER.to_string(),
    ]
    .join("\n");
    let (code, out, _) = run(&["batch"], batch);
    assert_eq!(code, 2);
    let out = lines(&out);
    assert_eq!(out.len(), 3);
    assert_eq!(out[0]["error"]["code"], 3);
    assert_eq!(out[0]["error"]["field"], "igf1_reference");
    assert!(
        message(&out[0]).starts_with("/dev/stdin: cannot use"),
        "{}",
        out[0]
    );
    assert_eq!(out[2]["recommendation"]["dose"]["mg_per_week"], 7.92);
}

#[test]
fn batch_reference_paths_are_relative_to_the_batch_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("refs")).unwrap();
    std::fs::copy(EXAMPLE_REF, dir.path().join("refs/lab.toml")).unwrap();
    let batch = dir.path().join("visits.jsonl");
    std::fs::write(&batch, WITH_REF.replace("REF", "refs/lab.toml")).unwrap();
    let sds = |out: &[u8]| lines(out)[0]["patient"]["igf1_sds"].clone();
    // From the file, run elsewhere: the file's directory.
    let out = gh(&["batch", batch.to_str().unwrap()])
        .current_dir("/")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(sds(&out.stdout), 0.0);
    // From stdin: the current directory.
    let input = std::fs::read(&batch).unwrap();
    let out = gh(&["batch"])
        .current_dir(dir.path())
        .write_stdin(input.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(sds(&out.stdout), 0.0);
    let elsewhere = tempfile::tempdir().unwrap();
    let out = gh(&["batch"])
        .current_dir(elsewhere.path())
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(lines(&out.stdout)[0]["error"]["code"], 3);
}

// 7. Input that is not a file of lines.

#[test]
fn a_directory_or_a_read_error_ends_the_batch_with_one_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    for format in ["jsonl", "csv"] {
        let (code, out, err) = run(&["batch", "--input-format", format, path], "");
        assert_eq!(code, 2);
        assert!(out.is_empty());
        assert_eq!(
            err,
            format!(
                "error: batch {path}: cannot read: it is a directory, not a file of requests\n"
            )
        );
    }
    // A file whose reading fails (EIO): one error, not one per attempt.
    if cfg!(target_os = "linux") {
        let (code, out, err) = run(&["batch", "/proc/self/mem"], "");
        assert_eq!(code, 2);
        assert!(out.is_empty());
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with("error: batch /proc/self/mem: cannot read after line 0:"),
            "{err}"
        );
    }
}

// 8. One very long line.

#[test]
fn a_line_over_one_mib_is_reported_by_number_and_skipped() {
    let mut input = format!("{TURNER}\n").into_bytes();
    input.extend(std::iter::repeat_n(b'x', 3_000_000));
    input.extend(format!("\n{TURNER}\n").as_bytes());
    // Exactly 1 MiB is still a line (it fails as JSON, not for its length).
    input.extend(std::iter::repeat_n(b' ', (1 << 20) - 2));
    input.extend(b"{}\n");
    let (code, out, err) = run(&["batch"], input);
    assert_eq!(code, 2, "{err}");
    let out = lines(&out);
    assert_eq!(out.len(), 4);
    assert_eq!(out[1]["line"], 2);
    assert_eq!(
        message(&out[1]),
        "line longer than 1 MiB (3000000 bytes): skipped"
    );
    assert_eq!(out[2]["recommendation"]["dose"]["mg_per_week"], 7.92);
    assert_eq!(
        message(&out[3]),
        "command is required (\"start\" or \"titrate\")"
    );
    // --input is one request: over 1 MiB is refused before parsing.
    let mut big = b"{\"indication\": \"turner\", \"weight_kg\": 24}".to_vec();
    big.extend(std::iter::repeat_n(b' ', 1 << 20));
    let (code, _, err) = run(&["start", "--input", "-"], big);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: --input stdin: larger than 1 MiB (a request is one JSON object)\n"
    );
    // An unknown id is echoed cut short.
    let long = format!(
        r#"{{"command":"start","indication":"{}","weight_kg":24}}"#,
        "q".repeat(500_000)
    );
    let (_, out, _) = run(&["batch"], long);
    let m = message(&lines(&out)[0]).to_string();
    assert!(m.len() < 300 && m.contains("... (500000 bytes)"), "{m}");
}

// 10. CSV lines, integers, BOM, CRLF, non-UTF-8.

#[test]
fn csv_rows_keep_their_physical_line_numbers_and_whole_numbers() {
    let csv = "\u{feff}command,indication,weight_kg,product,supply_days,injections_per_week,as_of\r\n\
               start,ghd,24,norditropin,28,6,2026-11-22\r\n\
               \r\n\
               \"start\",\"turner\",\"24\",,,,2026-11-22\n\
               start,turner,abc,,,,2026-11-22\n\
               start,turner,24,5,,,,2026-11-22\n\
               start,\"tur\rner\",24\n\
               start,turner,24\n";
    let (code, out, err) = run(&["batch", "--input-format", "csv", "--as-of", AS_OF], csv);
    assert_eq!(code, 2, "{err}");
    let out = lines(&out);
    assert_eq!(out.len(), 7, "one output line per line after the header");
    let supply = &out[0]["recommendation"]["supply"];
    assert_eq!(supply["days"], 28, "{}", out[0]);
    assert_eq!(out[0]["recommendation"]["dose"]["injections_per_week"], 6);
    assert_eq!(
        (out[1]["line"].clone(), message(&out[1])),
        (Value::from(3), "empty line")
    );
    assert_eq!(out[2]["recommendation"]["dose"]["mg_per_week"], 7.92);
    assert_eq!(out[3]["line"], 5);
    assert_eq!(out[3]["error"]["field"], "weight_kg");
    assert_eq!(out[4]["line"], 6);
    assert!(
        message(&out[4]).contains("8 cells but the header has 7 columns"),
        "{}",
        out[4]
    );
    // A CR inside a quoted cell reaches the message flattened.
    assert_eq!(out[5]["line"], 7);
    assert!(
        message(&out[5]).starts_with("indication 'tur ner' is not"),
        "{}",
        out[5]
    );
    assert_eq!(out[6]["recommendation"]["dose"]["mg_per_week"], 7.92);
}

#[test]
fn json_accepts_a_bom_and_crlf_and_refuses_text_that_is_not_utf8() {
    let mut input = b"\xEF\xBB\xBF".to_vec();
    input.extend(format!("{TURNER}\r\n").as_bytes());
    input.extend(b"{\"command\":\"start\",\"indication\":\"tur\xFFner\"}\r\n");
    input.extend(format!("{TURNER}\r\n").as_bytes());
    let (code, out, _) = run(&["batch"], input);
    assert_eq!(code, 2);
    let out = lines(&out);
    assert_eq!(out.len(), 3);
    assert_eq!(out[0]["recommendation"]["dose"]["mg_per_week"], 7.92);
    assert_eq!(
        (out[1]["line"].clone(), message(&out[1])),
        (Value::from(2), "not UTF-8 text (column 37)")
    );
    assert_eq!(out[2], out[0]);

    let request = b"\xEF\xBB\xBF{\r\n  \"indication\": \"turner\",\r\n  \"weight_kg\": 24\r\n}\r\n";
    let f = temp(request, ".json");
    let (code, v) = json(&["start", "--input", f.path().to_str().unwrap()]);
    assert_eq!(
        (code, &v["recommendation"]["dose"]["mg_per_week"]),
        (0, &Value::from(7.92))
    );
    let f = temp(b"{\n  \"indication\": \"t\xC3\xBCr\xFFner\"}", ".json");
    let path = f.path().to_str().unwrap();
    let (code, err) = fails(&["start", "--input", path]);
    assert_eq!(code, 2);
    assert_eq!(err, format!("error: --input {path}:2:21: not UTF-8 text\n"));
    let f = temp(b"{\"indication\": \"turner\",\n \"weight_kg\": }", ".json");
    let path = f.path().to_str().unwrap();
    let (_, err) = fails(&["start", "--input", path]);
    assert_eq!(
        err,
        format!("error: --input {path}:2:15: not JSON: expected value\n")
    );
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
