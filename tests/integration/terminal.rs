//! The environment and the terminal: empty table variables mean the
//! built-in tables and a missing file named by one is exit 3; colour only
//! where a terminal shows it (TERM=dumb, CLICOLOR_FORCE), checked on a
//! pseudo-terminal where one can be had.

use super::gh;
use super::support::AS_OF;
use serde_json::Value;
use std::process::Stdio;

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

#[test]
fn an_empty_environment_variable_means_the_built_in_tables() {
    let out = gh(&[
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "24",
        "--format",
        "json",
    ])
    .env("GH_DOSE_RULES", "")
    .env("GH_DOSE_PRODUCTS", "")
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let out = gh(&["indications", "--format", "json"])
        .env("GH_DOSE_RULES", "/no/such/file.toml")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
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

#[test]
fn a_dumb_terminal_gets_no_colour() {
    let out = gh(&[
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "24",
        "--format",
        "human",
    ])
    .env("TERM", "dumb")
    .env("CLICOLOR_FORCE", "1")
    .output()
    .unwrap();
    // CLICOLOR_FORCE wins over TERM=dumb; without it there is no colour.
    assert!(String::from_utf8_lossy(&out.stdout).contains('\u{1b}'));
    let out = gh(&[
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "24",
        "--format",
        "human",
    ])
    .env("TERM", "dumb")
    .output()
    .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\u{1b}'));
}
