//! Scripting at scale: JSON input, batch mode, the JSON Schema, completions
//! and the man page.

use super::{fails, gh, json};
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

fn write(text: &str, suffix: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(suffix).tempfile().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f
}

/// Runs `gh-dose ARGS` with `stdin`; returns (code, stdout, stderr).
fn with_stdin(args: &[&str], stdin: &str) -> (i32, String, String) {
    let out = gh(args).write_stdin(stdin.to_string()).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn input_files_give_the_same_document_as_flags() {
    let f = write(
        r#"{"indication": "turner", "weight_kg": 24, "condition": ["scoliosis"], "product": "norditropin"}"#,
        ".json",
    );
    let (code, from_file) = json(&["start", "--input", f.path().to_str().unwrap()]);
    assert_eq!(code, 0);
    let (_, from_flags) = json(&[
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "24",
        "--condition",
        "scoliosis",
        "--product",
        "norditropin",
    ]);
    assert_eq!(from_file, from_flags);
    // stdin, titrate, and the request's own as_of.
    let (code, out, _) = with_stdin(
        &["titrate", "--input", "-", "--format", "json"],
        r#"{"indication": "adult-ghd", "age_years": 45, "current_mg_per_day": 0.3, "igf1_sds": -1.5, "as_of": "2026-11-22"}"#,
    );
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["as_of"], "2026-11-22");
    assert_eq!(v["recommendation"]["dose"]["mg_per_injection"], 0.5);
}

#[test]
fn input_errors_name_the_field() {
    let cases = [
        (
            r#"{"indication": "turner", "weight": 24}"#,
            "unknown field 'weight' for start",
        ),
        (
            r#"{"indication": "turner", "weight_kg": "24"}"#,
            "weight_kg: invalid type: string",
        ),
        (
            r#"{"indication": "turner", "weight_kg": 24, "weight_lb": 50}"#,
            "cannot be used with",
        ),
        (
            r#"{"indication": "turner", "weight_kg": -5}"#,
            "error: weight_kg must be between 0.5 and 250 kg (got -5)",
        ),
        (r#"{"weight_kg": 24}"#, "indication is required for start"),
        ("[1]", "a request must be a JSON object"),
        ("{", "not JSON"),
    ];
    for (text, want) in cases {
        let f = write(text, ".json");
        let (code, err) = fails(&["start", "--input", f.path().to_str().unwrap()]);
        assert_eq!(code, 2, "{text}");
        assert!(err.contains(want), "{text}: {err}");
    }
    let f = write(r#"{"indication": "turner", "weight_kg": 24}"#, ".json");
    let (code, err) = fails(&[
        "start",
        "--input",
        f.path().to_str().unwrap(),
        "--weight-kg",
        "30",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--input holds the whole request; remove --weight-kg"),
        "{err}"
    );
}

#[test]
fn batch_gives_one_line_per_line_in_order() {
    let input = [
        r#"{"command": "start", "indication": "turner", "weight_kg": 24, "as_of": "2026-11-22"}"#,
        r#"{"command": "start", "indication": "tuner", "weight_kg": 24}"#,
        "",
        "not json",
        r#"{"command": "start", "indication": "pws", "weight_kg": 30, "condition": ["pws-sleep-apnea"]}"#,
        r#"{"command": "titrate", "indication": "adult-ghd", "age_years": 45, "current_mg_per_day": 0.3, "igf1_sds": 2.4}"#,
        r#"{"command": "stop", "indication": "ghd"}"#,
        r#"{"command": "start", "indication": "ghd", "weight_kg": 30, "age_years": 9, "product": "ngenla", "as_of": "2026-11-22"}"#,
    ]
    .join("\n");
    let (code, out, err) = with_stdin(&["batch", "--as-of", "2026-11-22"], &input);
    assert_eq!(code, 2, "a line failed: {err}");
    assert!(err.is_empty(), "{err}");
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 8);
    assert_eq!(lines[0]["recommendation"]["dose"]["mg_per_week"], 7.92);
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[1]["error"]["code"], 2);
    assert!(
        lines[1]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean 'turner'?")
    );
    assert_eq!(lines[2]["error"]["message"], "empty line");
    assert_eq!(lines[3]["line"], 4);
    assert_eq!(lines[4]["recommendation"]["action"], "withhold");
    assert_eq!(lines[5]["recommendation"]["action"], "decrease");
    assert_eq!(lines[5]["as_of"], "2026-11-22");
    assert_eq!(lines[6]["line"], 7);
    assert_eq!(
        lines[7]["recommendation"]["dose"]["deliverable"]["device"],
        "ngenla-60"
    );
    // All good lines: exit 0, withheld included.
    let good = [input.lines().next().unwrap(), input.lines().nth(4).unwrap()].join("\n");
    let (code, out, _) = with_stdin(&["batch"], &good);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 2);
}

#[test]
fn batch_reads_csv_and_files() {
    let csv = "command,indication,weight_kg,age_years,condition,as_of\n\
               start,turner,24,8,,2026-11-22\n\
               start,pws,30,,pws-sleep-apnea;scoliosis,2026-11-22\n\
               start,turner,abc,,,2026-11-22\n\
               \"start\",\"ghd\",\"30\",\"9\",\"\",\"2026-11-22\"\n";
    let f = write(csv, ".csv");
    let out = gh(&["batch", "--input-format", "csv", f.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["recommendation"]["dose"]["mg_per_week"], 7.92);
    assert_eq!(
        lines[1]["patient"]["conditions"],
        serde_json::json!(["pws-sleep-apnea", "scoliosis"])
    );
    assert_eq!(lines[2]["line"], 4);
    assert!(
        lines[2]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("weight_kg"),
        "{}",
        lines[2]
    );
    assert_eq!(lines[3]["recommendation"]["dose"]["mg_per_week"], 4.8);
    let (code, err) = fails(&["batch", "/no/such/file.jsonl"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read"), "{err}");
}

#[test]
fn batch_ends_quietly_on_a_closed_pipe() {
    let line =
        r#"{"command": "start", "indication": "turner", "weight_kg": 24, "as_of": "2026-11-22"}"#;
    let input: String = std::iter::repeat_n(line, 20_000)
        .collect::<Vec<_>>()
        .join("\n");
    let mut child = Command::new(env!("CARGO_BIN_EXE_gh-dose"))
        .arg("batch")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 100];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let _ = writer.join();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_committed_schema_is_current() {
    let out = gh(&["schema"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let printed = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        printed,
        include_str!("../../docs/schema/output.v1.json"),
        "run: gh-dose schema > docs/schema/output.v1.json"
    );
    let schema: Value = serde_json::from_str(&printed).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
}

/// Every key of a real output is in the schema, and every required key is in the output.
pub(crate) fn conforms(v: &Value, s: &Value, defs: &Value, at: &str) -> Result<(), String> {
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/$defs/");
        return conforms(v, &defs[name], defs, at);
    }
    if let Some(any) = s.get("anyOf").and_then(Value::as_array) {
        return if any.iter().any(|alt| conforms(v, alt, defs, at).is_ok()) {
            Ok(())
        } else {
            Err(format!("{at}: {v} matches no alternative"))
        };
    }
    let types: Vec<&str> = match s.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let kind = match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_u64() || n.is_i64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let ok = types.is_empty()
        || types.contains(&kind)
        || (kind == "integer" && types.contains(&"number"));
    if !ok {
        return Err(format!("{at}: {kind} where the schema says {types:?}"));
    }
    if let Some(values) = s.get("enum").and_then(Value::as_array)
        && !values.contains(v)
    {
        return Err(format!("{at}: {v} not in {values:?}"));
    }
    match v {
        Value::Object(map) => {
            let props = s
                .get("properties")
                .and_then(Value::as_object)
                .ok_or(format!("{at}: no properties"))?;
            for (k, x) in map {
                let p = props.get(k).ok_or(format!("{at}.{k}: not in the schema"))?;
                conforms(x, p, defs, &format!("{at}.{k}"))?;
            }
            for r in s
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let r = r.as_str().unwrap_or_default();
                if !map.contains_key(r) {
                    return Err(format!("{at}.{r}: required but absent"));
                }
            }
            Ok(())
        }
        Value::Array(items) => {
            let item = s.get("items").cloned().unwrap_or(Value::Bool(true));
            items
                .iter()
                .enumerate()
                .try_for_each(|(i, x)| conforms(x, &item, defs, &format!("{at}[{i}]")))
        }
        _ => Ok(()),
    }
}

#[test]
fn real_outputs_conform_to_the_schema() {
    let schema: Value =
        serde_json::from_str(include_str!("../../docs/schema/output.v1.json")).unwrap();
    let defs = &schema["$defs"];
    let runs: &[&[&str]] = &[
        &["start", "--indication", "turner", "--weight-kg", "24"],
        &[
            "start",
            "--indication",
            "turner",
            "--weight-kg",
            "24",
            "--product",
            "norditropin",
            "--supply-days",
            "28",
        ],
        &[
            "start",
            "--indication",
            "pws",
            "--weight-kg",
            "30",
            "--condition",
            "pws-sleep-apnea",
        ],
        &[
            "start",
            "--indication",
            "adult-ghd",
            "--age-years",
            "45",
            "--product",
            "sogroya",
            "--oral-estrogen",
        ],
        &[
            "start",
            "--indication",
            "ghd",
            "--weight-kg",
            "65",
            "--age-years",
            "14",
            "--product",
            "skytrofa",
        ],
        &[
            "titrate",
            "--indication",
            "adult-ghd",
            "--age-years",
            "45",
            "--current-mg-per-day",
            "0.3",
            "--igf1",
            "150",
            "--igf1-ref-low",
            "97",
            "--igf1-ref-high",
            "407",
        ],
        &[
            "titrate",
            "--indication",
            "ghd",
            "--weight-kg",
            "30",
            "--current-mg-per-week",
            "7.2",
            "--igf1-sds",
            "2.6",
            "--height-cm",
            "132",
            "--previous-height-cm",
            "128",
            "--previous-height-date",
            "2026-05-22",
        ],
    ];
    for args in runs {
        let (_, v) = json(args);
        conforms(&v, &schema, defs, "$").unwrap_or_else(|e| panic!("{args:?}: {e}"));
    }
    // And the check itself can fail.
    let (_, mut v) = json(runs[0]);
    v["surprise"] = Value::Bool(true);
    assert!(conforms(&v, &schema, defs, "$").is_err());
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish"] {
        let out = gh(&["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("gh-dose"), "{shell}");
        assert!(text.contains("weight-kg"), "{shell}");
    }
    let (code, err) = fails(&["completions", "tcsh"]);
    assert_eq!(code, 2);
    assert!(err.contains("invalid value 'tcsh'"), "{err}");
    let out = gh(&["man"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(".ie") || text.contains(".TH"),
        "{}",
        &text[..200.min(text.len())]
    );
    assert!(text.contains("gh\\-dose"));
}
