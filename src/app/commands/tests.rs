use super::*;
use std::ffi::OsString;

#[test]
fn usage_errors_fold_onto_one_line() {
    let clap = "error: unrecognized subcommand 'strt'\n\n  tip: a similar subcommand exists: 'start'\n\nUsage: gh-dose <COMMAND>\n\nFor more information, try '--help'.\n";
    assert_eq!(
        usage_line(clap),
        "error: unrecognized subcommand 'strt'; tip: a similar subcommand exists: 'start'"
    );
    let values = "error: invalid value 'xml' for '--format <FORMAT>'\n  [possible values: auto, human, json]\n\nFor more information, try '--help'.\n";
    assert_eq!(
        usage_line(values),
        "error: invalid value 'xml' for '--format <FORMAT>' [possible values: auto, human, json]"
    );
    let typed =
        "error: invalid value '1\n2\r\u{1b}[2J' for '--weight-kg <KG>': expected a number\n";
    assert_eq!(
        usage_line(typed),
        "error: invalid value '1 2 [2J' for '--weight-kg <KG>': expected a number"
    );
    let required = "error: the following required arguments were not provided:\n  --indication <ID>\n\nUsage: gh-dose start --indication <ID>\n";
    assert_eq!(
        usage_line(required),
        "error: the following required arguments were not provided: --indication <ID>"
    );
}

#[test]
fn a_missing_command_names_the_commands_it_takes() {
    let args = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
    assert_eq!(
        missing_command(&args(&["gh-dose"])),
        format!(
            "error: gh-dose needs a command: start, titrate, growth, indications, products, rules, record, chart, batch, schema, completions, man{} (see 'gh-dose --help')",
            if cfg!(feature = "serve") {
                ", serve"
            } else {
                ""
            }
        )
    );
    assert_eq!(
        missing_command(&args(&["gh-dose", "--format", "json", "rules"])),
        "error: gh-dose rules needs a command: show, check (see 'gh-dose rules --help')"
    );
}
