//! Values and streams a script or a clinician can get wrong: every date
//! within the years the output can write and in the order a visit needs
//! (`dates`), output that cannot be written and pipes that close
//! (`streams`), errors on one line (`errors`), and the environment (here).

mod dates;
mod errors;
mod streams;

use super::gh;
use serde_json::Value;
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

#[test]
fn empty_table_variables_mean_the_built_in_tables() {
    let start = [
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "24",
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ];
    let out = gh(&start)
        .env("GH_DOSE_RULES", "")
        .env("GH_DOSE_PRODUCTS", "")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(out.stderr.is_empty());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["rules"]["source"], "built-in");
    assert_eq!(v["rules"]["products"]["source"], "built-in products");
    for (args, built_in) in [
        (
            &["rules", "show"][..],
            &include_bytes!("../../data/indications.toml")[..],
        ),
        (
            &["rules", "show", "products"],
            include_bytes!("../../data/products.toml"),
        ),
    ] {
        let out = gh(args)
            .env("GH_DOSE_RULES", "")
            .env("GH_DOSE_PRODUCTS", "")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(out.stdout, built_in, "{args:?}");
    }
    // The help shows the ranges of the built-in rules too.
    let out = gh(&["start", "--help"])
        .env("GH_DOSE_RULES", "")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("0.5-250 kg"));
}

/// Runs `gh-dose ARGS` on a real terminal (a pseudo-terminal from
/// util-linux `script`) with `TERM=term`; `None` where none can be had.
fn on_a_terminal(args: &str, term: &str) -> Option<String> {
    let probe = std::process::Command::new("script")
        .args(["-qec", "true", "/dev/null"])
        .stdin(Stdio::null())
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("no util-linux script(1) or no pseudo-terminal: the check is skipped");
        return None;
    }
    let line = format!("{} {args}", env!("CARGO_BIN_EXE_gh-dose"));
    let out = std::process::Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env("TERM", term)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    Some(String::from_utf8_lossy(&out.stdout).to_string())
}

#[test]
fn a_dumb_terminal_gets_no_colour_where_another_terminal_would() {
    let args = "start --indication turner --weight-kg 24 --as-of 2026-11-22";
    let Some(xterm) = on_a_terminal(args, "xterm-256color") else {
        return;
    };
    // The pseudo-terminal is a terminal: human output, coloured.
    assert!(xterm.contains("Turner syndrome"), "{xterm}");
    assert!(xterm.contains('\u{1b}'), "{xterm}");
    let dumb = on_a_terminal(args, "dumb").unwrap();
    assert!(dumb.contains("Turner syndrome"), "{dumb}");
    assert!(!dumb.contains('\u{1b}'), "{dumb}");
}
