//! Requests as JSON (`--input`, batch lines): a field given twice refused
//! on every route, a BOM and CRLF accepted and text that is not UTF-8
//! refused, reference paths relative to the batch file, an unreadable input
//! or a line over 1 MiB reported by number, and a field required with
//! another refused without it as on the command line.

use super::support::{AS_OF, EXAMPLE_REF, TURNER, WITH_REF, batch, lines, message, run, temp};
use super::{fails, gh, json};
use serde_json::Value;

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
    let req = temp(
        "{\"indication\":\"ghd\",\"weight_kg\":26,\"current_mg_per_week\":7,\"previous_weight_date\":\"2026-05-01\"}".as_bytes(),
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
