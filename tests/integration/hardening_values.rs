//! Values and streams a script or a clinician can get wrong: every date
//! within the years the output can write and in the order a visit needs
//! (`dates`), output that cannot be written and pipes that close
//! (`streams`), errors on one line (`errors`).

mod dates;
mod errors;
mod streams;

use std::io::Write;
use std::process::Stdio;

const AS_OF: &str = "2026-11-22";

/// Asserts that stderr is exactly one line starting with `error: ` and free
/// of control characters, and returns it without its newline.
fn one_error_line(stderr: &[u8], what: &str) -> String {
    let err = String::from_utf8_lossy(stderr).to_string();
    assert!(err.starts_with("error: "), "{what}: {err:?}");
    assert!(err.ends_with('\n'), "{what}: {err:?}");
    assert_eq!(err.matches('\n').count(), 1, "{what}: {err:?}");
    let line = err.trim_end_matches('\n');
    assert!(!line.chars().any(char::is_control), "{what}: {err:?}");
    line.to_string()
}

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

/// A file holding `text`, kept while the returned handle lives.
fn file_with(text: &[u8], suffix: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(suffix).tempfile().unwrap();
    f.write_all(text).unwrap();
    f
}
