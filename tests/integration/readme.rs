//! Every example of README.md runs as written and prints what it says: the
//! fenced `sh` and `console` blocks are read, each command line that starts
//! with `gh-dose` or `cargo run` (or pipes into `gh-dose`) is run with the
//! built binary in one scratch folder (in README order, so a record or a
//! rule file written by one example is read by the next), and checked:
//! exit 0 unless its comment says "exit code N"; the numbers of its comments
//! (the comment just above it, on the line, and the `#   ` output lines under
//! it) appear in its output (JSON, as piped, or the table a terminal shows);
//! a `console` block's output lines appear as shown (a line with `...` up to
//! the `...`). The install lines run with HOME set to a fresh folder.

use std::path::Path;
use std::process::Command;

const README: &str = include_str!("../../README.md");

/// `GH_DOSE_TODAY`: a year after the README's dates, so an example whose
/// output depends on today's date without its `--as-of` fails here.
const TODAY: &str = "2027-12-31";

/// One command of the README and what it says it prints.
#[derive(Debug, Default)]
struct Example {
    /// README line of the command.
    line: usize,
    command: String,
    /// Numbers its comments state.
    numbers: Vec<String>,
    /// Output lines a `console` block shows.
    shown: Vec<String>,
    code: i32,
}

/// The fenced blocks of a language: (README line of the first line, lines).
fn blocks<'a>(text: &'a str, langs: &[&str]) -> Vec<(usize, Vec<&'a str>)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, Vec<&str>)> = None;
    for (i, line) in text.lines().enumerate() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(lang)) if langs.contains(&lang.trim()) => {
                current = Some((i + 2, Vec::new()))
            }
            (Some(_), Some(_)) => out.extend(current.take()),
            (Some((_, lines)), None) => lines.push(line),
            _ => {}
        }
    }
    out
}

/// The numbers a comment states; an exit code is checked as one ("exit 3
/// on a bad line" says what a failure would give, not this run).
fn stated(comment: &str) -> Vec<String> {
    let mut out = numbers(comment);
    for part in comment.split("exit ").skip(1) {
        if let Some(n) = numbers(part).first()
            && part.starts_with(n.as_str())
            && let Some(at) = out.iter().position(|x| x == n)
        {
            out.remove(at);
        }
    }
    out
}

/// Numbers as written: dates whole, signs dropped.
fn numbers(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_alphanumeric()) {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            // A date, YYYY-MM-DD.
            if i - start == 4 && chars.get(i) == Some(&'-') && chars.get(i + 3) == Some(&'-') {
                i += 6;
            }
            let token: String = chars[start..i.min(chars.len())].iter().collect();
            out.push(token.trim_end_matches('.').to_string());
        } else {
            i += 1;
        }
    }
    out
}

/// Whether `n` is in `output` as a number (7 and 7.0 alike; dates as text).
fn has_number(output: &str, n: &str) -> bool {
    if n.contains('-') {
        return output.contains(n);
    }
    let Ok(want) = n.parse::<f64>() else {
        return output.contains(n);
    };
    numbers(output)
        .iter()
        .filter_map(|t| t.parse::<f64>().ok())
        .any(|x| (x - want).abs() < 1e-9)
}

/// Whether a command line is one the README test runs.
fn runs(command: &str) -> bool {
    command.starts_with("mkdir -p ")
        || command.starts_with("gh-dose ")
        || command.starts_with("cargo run ")
        || command.contains("| gh-dose ")
}

/// "exit code N" in a comment.
fn exit_code(comment: &str) -> Option<i32> {
    let rest = comment.split("exit code ").nth(1)?;
    rest.split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

fn examples() -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    for (first, lines) in blocks(README, &["sh", "console"]) {
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i];
            let console = line.strip_prefix("$ ");
            let text = console.unwrap_or(line);
            // Output comments under the previous command: `#   ...`.
            if let Some(said) = line.strip_prefix("#   ") {
                if let Some(last) = out.last_mut() {
                    last.numbers.extend(stated(said));
                }
                i += 1;
                continue;
            }
            if !runs(text) {
                i += 1;
                continue;
            }
            let mut example = Example {
                line: first + i,
                ..Default::default()
            };
            // The command with its continuation lines.
            let mut command = String::new();
            let mut part = text;
            loop {
                match part.strip_suffix('\\') {
                    Some(head) => {
                        command.push_str(head);
                        i += 1;
                        part = lines[i].trim_start();
                    }
                    None => {
                        command.push_str(part);
                        break;
                    }
                }
            }
            // A comment on the line (not a `#` inside quotes).
            let (command, comment) = match command.find("  #") {
                Some(at) if command[..at].matches('\'').count().is_multiple_of(2) => {
                    (command[..at].trim().to_string(), command[at..].to_string())
                }
                _ => (command.trim().to_string(), String::new()),
            };
            example.numbers.extend(stated(&comment));
            // The comment lines just above, for the exit code.
            let above: Vec<&str> = lines[..example.line - first]
                .iter()
                .rev()
                .take_while(|l| l.starts_with("# "))
                .copied()
                .collect();
            example.code = exit_code(&comment)
                .or_else(|| above.iter().find_map(|l| exit_code(l)))
                .unwrap_or(0);
            // The comment just above speaks of the command under it.
            if !above.is_empty() && !above.iter().any(|l| l.starts_with("#   ")) {
                for l in above.iter().rev() {
                    example.numbers.extend(stated(l));
                }
            }
            example.command = command.replace("cargo run --release -- ", "gh-dose ");
            i += 1;
            if console.is_some() {
                while i < lines.len() && !lines[i].starts_with("$ ") {
                    example.shown.push(lines[i].to_string());
                    i += 1;
                }
            }
            out.push(example);
        }
    }
    out
}

/// A shell running `command` in `dir` with the built gh-dose first on PATH.
fn shell(command: &str, dir: &Path, home: &Path) -> std::process::Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_gh-dose")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("bash")
        .args(["-c", &format!("set -o pipefail; {command}")])
        .current_dir(dir)
        .env("PATH", path)
        .env("HOME", home)
        .env("GH_DOSE_TODAY", TODAY)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .env_remove("COLUMNS")
        .env_remove("GH_DOSE_RULES")
        .env_remove("GH_DOSE_PRODUCTS")
        .output()
        .unwrap()
}

/// The files the examples read but do not write.
fn seed(dir: &Path) {
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();
    write(
        "visit.json",
        r#"{"indication": "ghd", "weight_kg": 28, "previous_weight_kg": 25, "current_mg_per_week": 6}"#,
    );
    write(
        "requests.jsonl",
        "{\"command\": \"start\", \"indication\": \"turner\", \"weight_kg\": 24}\n\
         {\"command\": \"titrate\", \"indication\": \"ghd\", \"weight_kg\": 28, \"previous_weight_kg\": 25, \"current_mg_per_week\": 6}\n",
    );
    write(
        "visits.csv",
        "command,indication,weight_kg,condition\nstart,turner,24,scoliosis;diabetic-retinopathy\nstart,ghd,30,\n",
    );
    write(
        "my-assay-lms.toml",
        include_str!("../../data/examples/igf1-lms-synthetic.toml"),
    );
}

#[test]
fn every_readme_example_runs_and_prints_what_it_says() {
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    seed(dir.path());
    let all = examples();
    assert!(all.len() >= 40, "{} examples found", all.len());
    let mut failures = Vec::new();
    for ex in &all {
        assert!(
            !ex.command.contains("...") && !ex.command.contains(" /"),
            "README line {}: not runnable as written (or writes outside its folder): {}",
            ex.line,
            ex.command
        );
        let out = shell(&ex.command, dir.path(), home.path());
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let code = out.status.code().unwrap_or(-1);
        if code != ex.code {
            failures.push(format!(
                "README line {}: exit {code}, expected {}: {}\n  {stderr}",
                ex.line, ex.code, ex.command
            ));
            continue;
        }
        // What a redirection wrote counts as printed.
        let written = ex
            .command
            .split(" > ")
            .nth(1)
            .and_then(|f| f.split_whitespace().next())
            .and_then(|f| std::fs::read_to_string(dir.path().join(f)).ok())
            .unwrap_or_default();
        // A plain command prints the table on a terminal: its comments may
        // quote either form.
        let plain = ex.command.starts_with("gh-dose ")
            && !ex.command.contains("--format")
            && !ex.command.contains(['>', '|'])
            && ["start", "titrate", "growth"]
                .iter()
                .any(|c| ex.command.starts_with(&format!("gh-dose {c} ")));
        let table = if plain && !ex.command.contains("--record") {
            let out = shell(
                &format!("{} --format human", ex.command),
                dir.path(),
                home.path(),
            );
            String::from_utf8_lossy(&out.stdout).into_owned()
        } else {
            String::new()
        };
        let printed = format!("{stdout}{stderr}{written}{table}");
        for n in &ex.numbers {
            if !has_number(&printed, n) {
                failures.push(format!(
                    "README line {}: {n} is not in the output of {}",
                    ex.line, ex.command
                ));
            }
        }
        for shown in &ex.shown {
            let ok = match shown.split_once("...") {
                Some((head, _)) => printed.lines().any(|l| l.starts_with(head.trim_end())),
                None => printed.lines().any(|l| l.trim_end() == shown.trim_end()),
            };
            if !ok {
                failures.push(format!(
                    "README line {}: the output lacks the line {shown:?}\n{printed}",
                    ex.line
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_install_lines_work_in_a_fresh_home() {
    let (_, install) = blocks(README, &["sh"])
        .into_iter()
        .find(|(_, lines)| lines.iter().any(|l| l.starts_with("cargo install")))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let mut ran = 0;
    for line in install {
        if line.starts_with("cargo install") {
            continue;
        }
        let command = line.split("  #").next().unwrap().trim();
        let out = shell(command, dir.path(), home.path());
        assert!(
            out.status.success(),
            "{command}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        ran += 1;
    }
    assert!(ran >= 2);
    let bash = std::fs::read_to_string(
        home.path()
            .join(".local/share/bash-completion/completions/gh-dose"),
    )
    .unwrap();
    assert!(bash.contains("gh__dose__subcmd__start"), "{}", &bash[..200]);
    let man = std::fs::read_to_string(home.path().join(".local/share/man/man1/gh-dose.1")).unwrap();
    assert!(man.contains(".TH gh-dose 1") && man.contains(".SH ENVIRONMENT"));
}

#[test]
fn the_help_lines_for_completions_work_in_a_fresh_home() {
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let help = super::gh(&["completions", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let lines: Vec<&str> = help
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("mkdir ") || l.starts_with("gh-dose completions "))
        .collect();
    assert!(lines.len() >= 4, "{help}");
    for line in &lines {
        let out = shell(line, dir.path(), home.path());
        assert!(
            out.status.success(),
            "{line}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    for file in [
        ".local/share/bash-completion/completions/gh-dose",
        ".zfunc/_gh-dose",
        ".config/fish/completions/gh-dose.fish",
    ] {
        let len = std::fs::metadata(home.path().join(file)).unwrap().len();
        assert!(len > 1000, "{file}: {len} bytes");
    }
}

#[test]
fn the_reader_finds_commands_numbers_and_exit_codes() {
    assert_eq!(
        numbers("0.2 mg/day (0.1-0.3), IGF-1 on 2026-11-22: -13 %."),
        ["0.2", "0.1", "0.3", "1", "2026-11-22", "13"]
    );
    assert!(has_number("\"mg_per_week\": 7.0,", "7"));
    assert!(!has_number("\"mg_per_week\": 17.0,", "7"));
    assert_eq!(exit_code("dose null, exit code 4"), Some(4));
    assert_eq!(exit_code("exit 3 with file:line:col"), None);
    assert_eq!(
        stated("file:line:col and exit 3 on a bad line, 3 mg"),
        ["3"]
    );
    let all = examples();
    let sga = all
        .iter()
        .find(|e| {
            e.command
                .contains("--indication pws --weight-kg 30 --condition")
        })
        .unwrap();
    assert_eq!(sga.code, 4);
    let first = &all[0];
    assert!(
        first
            .command
            .starts_with("gh-dose start --indication turner"),
        "{first:?}"
    );
}
