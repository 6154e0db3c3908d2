//! Output that cannot be written (a full device, a read-only stdout, a
//! broken writer) is exit 1 with one line; a closed pipe is quiet with the
//! command's code.

use super::support::one_error_line;
use gh_dose::api::{Terminal, run_with};
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;

/// `gh-dose ARGS` as a plain process, for stdout redirections, with the
/// same clean environment as `gh`.
fn bin(args: &[String]) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_gh-dose"));
    for var in [
        "NO_COLOR",
        "CLICOLOR_FORCE",
        "CLICOLOR",
        "GH_DOSE_RULES",
        "GH_DOSE_PRODUCTS",
        "COLUMNS",
        "LINES",
    ] {
        cmd.env_remove(var);
    }
    cmd.args(args).stderr(Stdio::piped());
    cmd
}

/// Runs `args` with `stdin` and the given stdout; returns the exit code and stderr.
fn run(args: &[String], stdin: Option<&str>, stdout: Stdio) -> (i32, Vec<u8>) {
    let mut child = bin(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(stdout)
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        let mut w = child.stdin.take().unwrap();
        let _ = w.write_all(text.as_bytes());
    }
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap(), out.stderr)
}

/// One invocation of each command family: its arguments, its stdin and the
/// code it ends with when its output is read (or the reader goes away).
struct Family {
    args: Vec<String>,
    stdin: Option<&'static str>,
    code: i32,
}

fn families() -> Vec<Family> {
    let rules = concat!(env!("CARGO_MANIFEST_DIR"), "/data/indications.toml");
    let start = "start --indication turner --weight-kg 24 --as-of 2026-11-22";
    let titrate = "titrate --indication ghd --weight-kg 30 --current-mg-per-week 7 --igf1-sds 0 --as-of 2026-11-22";
    let batch_in = concat!(
        r#"{"command": "start", "indication": "turner", "weight_kg": 24, "as_of": "2026-11-22"}"#,
        "\n"
    );
    let csv_in = "command,indication,weight_kg,as_of\nstart,turner,24,2026-11-22\n";
    let request = r#"{"indication": "turner", "weight_kg": 24}"#;
    let runs: Vec<(String, Option<&'static str>, i32)> = vec![
        (format!("{start} --format json"), None, 0),
        (format!("{start} --format human"), None, 0),
        (
            format!("{start} --format json --condition active-malignancy"),
            None,
            4,
        ),
        (format!("{titrate} --format json"), None, 0),
        (format!("{titrate} --format human"), None, 0),
        (
            "start --input - --as-of 2026-11-22 --format json".into(),
            Some(request),
            0,
        ),
        ("indications --format human".into(), None, 0),
        ("indications --format json".into(), None, 0),
        ("products --format human".into(), None, 0),
        ("products --format json".into(), None, 0),
        ("rules show".into(), None, 0),
        ("rules show products".into(), None, 0),
        (format!("rules check {rules} --format json"), None, 0),
        ("schema".into(), None, 0),
        ("completions bash".into(), None, 0),
        ("man".into(), None, 0),
        ("--help".into(), None, 0),
        ("--version".into(), None, 0),
        ("start --help".into(), None, 0),
        ("help titrate".into(), None, 0),
        ("batch -".into(), Some(batch_in), 0),
        ("batch --input-format csv -".into(), Some(csv_in), 0),
    ];
    runs.into_iter()
        .map(|(args, stdin, code)| Family {
            args: args.split(' ').map(String::from).collect(),
            stdin,
            code,
        })
        .collect()
}

#[test]
fn every_family_runs_with_its_code_when_read() {
    for f in families() {
        let (code, err) = run(&f.args, f.stdin, Stdio::piped());
        assert_eq!(
            code,
            f.code,
            "{:?}: {}",
            f.args,
            String::from_utf8_lossy(&err)
        );
        assert!(
            err.is_empty(),
            "{:?}: {}",
            f.args,
            String::from_utf8_lossy(&err)
        );
    }
}

#[test]
fn output_to_a_full_device_is_exit_1_with_one_line() {
    for f in families() {
        let full = File::create("/dev/full").unwrap();
        let (code, err) = run(&f.args, f.stdin, Stdio::from(full));
        let line = one_error_line(&err, &format!("{:?}", f.args));
        assert_eq!(code, 1, "{:?}: {line}", f.args);
        assert!(
            line.starts_with("error: cannot write output: "),
            "{:?}: {line}",
            f.args
        );
    }
}

#[test]
fn output_to_a_read_only_stdout_is_exit_1_with_one_line() {
    for f in families() {
        // Open for reading only: every write fails (EBADF), which the
        // standard stdout handle would report as success.
        let read_only = File::open("/dev/null").unwrap();
        let (code, err) = run(&f.args, f.stdin, Stdio::from(read_only));
        let line = one_error_line(&err, &format!("{:?}", f.args));
        assert_eq!(code, 1, "{:?}: {line}", f.args);
        assert!(
            line.starts_with("error: cannot write output: "),
            "{:?}: {line}",
            f.args
        );
    }
}

#[test]
fn a_pipe_closed_before_any_output_is_quiet_with_the_commands_code() {
    for f in families() {
        // The reader is gone before gh-dose writes: every write is EPIPE.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let (code, err) = run(&f.args, f.stdin, Stdio::from(writer));
        assert_eq!(
            code,
            f.code,
            "{:?}: {}",
            f.args,
            String::from_utf8_lossy(&err)
        );
        assert!(
            err.is_empty(),
            "{:?}: {}",
            f.args,
            String::from_utf8_lossy(&err)
        );
    }
}

/// Reads one line of `args`' output, closes the pipe and waits, as
/// `gh-dose ... | head -1` does; returns the code and stderr.
fn head_1(args: &[String], stdin: Option<String>) -> (i32, String) {
    let mut child = bin(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let writer = stdin.map(|text| {
        let mut w = child.stdin.take().unwrap();
        std::thread::spawn(move || {
            let _ = w.write_all(text.as_bytes());
        })
    });
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(!first.is_empty(), "{args:?}: no output");
    let out = child.wait_with_output().unwrap();
    if let Some(w) = writer {
        let _ = w.join();
    }
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// `n` batch lines after `first`.
fn batch_input(first: &str, n: usize) -> String {
    let good =
        r#"{"command": "start", "indication": "turner", "weight_kg": 24, "as_of": "2026-11-22"}"#;
    let mut text = format!("{first}\n");
    for _ in 0..n {
        text.push_str(good);
        text.push('\n');
    }
    text
}

#[test]
fn reading_one_line_then_closing_the_pipe_is_quiet() {
    for f in families() {
        let (code, err) = head_1(&f.args, f.stdin.map(String::from));
        assert_eq!(code, f.code, "{:?}: {err}", f.args);
        assert!(err.is_empty(), "{:?}: {err}", f.args);
    }
    // Larger than any pipe buffer: the reader surely leaves first.
    let args: Vec<String> = ["batch", "-"].map(String::from).to_vec();
    let good =
        r#"{"command": "start", "indication": "turner", "weight_kg": 24, "as_of": "2026-11-22"}"#;
    let (code, err) = head_1(&args, Some(batch_input(good, 5_000)));
    assert_eq!((code, err.as_str()), (0, ""));
}

#[test]
fn a_batch_with_a_failing_line_exits_2_when_the_pipe_closes() {
    let bad = r#"{"command": "start", "indication": "turner", "weight_kg": -5}"#;
    let args: Vec<String> = ["batch", "-"].map(String::from).to_vec();
    let (code, err) = head_1(&args, Some(batch_input(bad, 5_000)));
    assert_eq!((code, err.as_str()), (2, ""));
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let (code, err) = run(&args, Some(&batch_input(bad, 5_000)), Stdio::from(writer));
    assert_eq!(code, 2, "{}", String::from_utf8_lossy(&err));
    assert!(err.is_empty());
    // And to a full device: the output error wins (1).
    let full = File::create("/dev/full").unwrap();
    let (code, err) = run(&args, Some(&batch_input(bad, 10)), Stdio::from(full));
    assert_eq!(code, 1);
    assert!(one_error_line(&err, "batch").starts_with("error: cannot write output: "));
}

#[test]
fn a_broken_writer_is_an_internal_error_but_a_closed_pipe_is_not() {
    struct Broken(std::io::ErrorKind);
    impl std::io::Write for Broken {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::from(self.0))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let args = ["gh-dose", "indications"];
    let mut err = Vec::new();
    let code = run_with(
        args,
        &mut Broken(std::io::ErrorKind::BrokenPipe),
        &mut err,
        &Terminal::default(),
    );
    assert_eq!(code.code(), 0);
    assert!(err.is_empty());
    let code = run_with(
        args,
        &mut Broken(std::io::ErrorKind::StorageFull),
        &mut err,
        &Terminal::default(),
    );
    assert_eq!(code.code(), 1);
    assert!(
        String::from_utf8(err)
            .unwrap()
            .starts_with("error: cannot write output")
    );
}
