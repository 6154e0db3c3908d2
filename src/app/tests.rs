//! Unit tests of `mod.rs`.

use super::*;

/// A stdout whose every write fails with `kind`.
struct Failing(std::io::ErrorKind);

impl Write for Failing {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::Error::from(self.0))
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Err(std::io::Error::from(self.0))
    }
}

fn run_failing(args: &[&str], kind: std::io::ErrorKind) -> (ExitCode, String) {
    let mut err = Vec::new();
    let code = run_with(
        std::iter::once("gh-dose").chain(args.iter().copied()),
        &mut Failing(kind),
        &mut err,
        &Terminal::default(),
    );
    (code, String::from_utf8(err).unwrap())
}

#[test]
fn messages_are_flattened_to_one_line() {
    assert_eq!(
        one_line("TOML parse error at line 1\n  |\n1 | a =\n  |    ^\nexpected a value\n"),
        "TOML parse error at line 1 | 1 | a = |    ^ expected a value"
    );
    assert_eq!(
        one_line("/no\nsuch\r\u{1b}[31mfile: x"),
        "/no such [31mfile: x"
    );
    assert_eq!(one_line("plain"), "plain");
}

#[test]
fn a_closed_pipe_keeps_the_code_and_any_other_failure_is_1() {
    use std::io::{Error as Io, ErrorKind};
    assert_eq!(
        written(Ok(()), ExitCode::Withheld).unwrap(),
        ExitCode::Withheld
    );
    let pipe = written(Err(Io::from(ErrorKind::BrokenPipe)), ExitCode::Withheld);
    assert_eq!(pipe.unwrap(), ExitCode::Withheld);
    let full = written(Err(Io::from(ErrorKind::StorageFull)), ExitCode::Success);
    assert_eq!(full.unwrap_err().exit_code(), ExitCode::Internal);
}

#[test]
fn every_writer_reports_a_failed_write_once() {
    let start = [
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "24",
        "--as-of",
        "2026-11-22",
    ];
    for args in [
        &start[..],
        &["indications"],
        &["rules", "show"],
        &["schema"],
        &["man"],
        &["completions", "bash"],
        &["--help"],
        &["--version"],
        &["start", "--help"],
    ] {
        let (code, err) = run_failing(args, std::io::ErrorKind::StorageFull);
        assert_eq!(code, ExitCode::Internal, "{args:?}");
        assert!(
            err.starts_with("error: cannot write output: "),
            "{args:?}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        let (code, err) = run_failing(args, std::io::ErrorKind::BrokenPipe);
        assert_eq!((code, err.as_str()), (ExitCode::Success, ""), "{args:?}");
    }
}
