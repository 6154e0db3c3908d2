//! Shell completions and the man page, generated from the clap definition.
//!
//! Completions offer every command's options and the indication, product and
//! device ids of the tables in use. clap_complete's bash script spells its state
//! labels two ways when the program name has a hyphen (`gh__dose__subcmd__start`
//! in the loop, `gh__subcmd__dose__subcmd__start` in the arms), so that no
//! subcommand option ever completes; the arms are respelled here.

use clap::builder::PossibleValuesParser;
use clap_complete::Shell;

/// Ids to offer as values.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ids {
    pub(crate) indications: Vec<String>,
    pub(crate) products: Vec<String>,
    /// Every product's presentations (`--device`), each id once.
    pub(crate) devices: Vec<String>,
}

/// The command with the ids as possible values (for completion only: the
/// command that parses accepts any id, so that a clinic's rule file can add
/// its own).
fn with_ids(ids: &Ids) -> clap::Command {
    let values = |v: &[String]| {
        PossibleValuesParser::new(
            v.iter()
                .map(|s| clap::builder::PossibleValue::new(s.clone())),
        )
    };
    let mut cmd = super::command();
    for sub in ["start", "titrate"] {
        cmd = cmd.mut_subcommand(sub, |c| {
            c.mut_arg("indication", |a| a.value_parser(values(&ids.indications)))
                .mut_arg("product", |a| a.value_parser(values(&ids.products)))
                .mut_arg("device", |a| a.value_parser(values(&ids.devices)))
        });
    }
    cmd
}

/// Completion script for a shell.
pub(crate) fn completions(shell: Shell, ids: &Ids) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut with_ids(ids), "gh-dose", &mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    match shell {
        Shell::Bash => text.replace("gh__subcmd__dose", "gh__dose"),
        _ => text,
    }
}

/// The environment variables gh-dose reads, for the man page's ENVIRONMENT
/// section (`app::terminal` and `app::today` read them).
pub(crate) const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "NO_COLOR",
        "When set and not empty, human output is not coloured (--color always overrides).",
    ),
    (
        "CLICOLOR",
        "CLICOLOR=0: no colour unless CLICOLOR_FORCE is set.",
    ),
    (
        "CLICOLOR_FORCE",
        "When set and not 0, human output is coloured even when piped (NO_COLOR wins).",
    ),
    ("TERM", "TERM=dumb: no colour."),
    (
        "COLUMNS",
        "The width human output wraps at (a positive whole number); else the terminal's, else 80. The --brief answer is always at most 80 columns.",
    ),
    (
        "GH_DOSE_RULES",
        "A rule file used instead of the built-in rules (as --rules; set but empty means the built-in rules).",
    ),
    (
        "GH_DOSE_PRODUCTS",
        "A product table used instead of the built-in one (as --products; set but empty means the built-in table).",
    ),
    (
        "GH_DOSE_TODAY",
        "Today's date, YYYY-MM-DD, instead of the clock's: the default --as-of and the latest date a visit record takes (to replay a course in training or tests).",
    ),
];

/// Text for roff: backslashes and hyphens escaped, no line starting with a
/// control character.
fn roff(text: &str) -> String {
    let t = text.replace('\\', "\\\\").replace('-', "\\-");
    match t.strip_prefix(['.', '\'']) {
        Some(_) => format!("\\&{t}"),
        None => t,
    }
}

/// The commands, each pointing to its section of this page (there is one
/// page, gh-dose(1); no page per command is installed).
fn commands_section(cmd: &clap::Command) -> String {
    let mut out =
        String::from(".SH COMMANDS\nEach command is described in its own section below.\n");
    for sub in commands(cmd) {
        let name = sub.get_bin_name().unwrap_or(sub.get_name());
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        out.push_str(&format!(".TP\n\\fB{}\\fR\n{}\n", roff(name), roff(&about)));
    }
    out
}

fn environment_section() -> String {
    let mut out = String::from(".SH ENVIRONMENT\n");
    for (name, what) in ENVIRONMENT {
        out.push_str(&format!(".TP\n\\fB{}\\fR\n{}\n", roff(name), roff(what)));
    }
    out
}

/// The man page (roff): the program, its commands, then every command with
/// its options, the environment, the exit codes.
pub(crate) fn man() -> std::io::Result<String> {
    let mut cmd = super::command();
    cmd.build();
    let top = clap_mangen::Man::new(cmd.clone());
    let mut out = Vec::new();
    top.render_title(&mut out)?;
    top.render_name_section(&mut out)?;
    top.render_synopsis_section(&mut out)?;
    top.render_description_section(&mut out)?;
    out.extend_from_slice(commands_section(&cmd).as_bytes());
    for sub in commands(&cmd) {
        let name = sub.get_bin_name().unwrap_or(sub.get_name()).to_uppercase();
        out.extend_from_slice(format!(".SH \"{}\"\n", name.replace('-', "\\-")).as_bytes());
        let man = clap_mangen::Man::new(sub.clone());
        let mut part = Vec::new();
        man.render_description_section(&mut part)?;
        man.render_synopsis_section(&mut part)?;
        man.render_options_section(&mut part)?;
        if sub.get_after_help().is_some() || sub.get_after_long_help().is_some() {
            man.render_extra_section(&mut part)?;
        }
        let text = String::from_utf8_lossy(&part).replace("\n.SH ", "\n.SS ");
        let text = text
            .strip_prefix(".SH ")
            .map_or(text.clone(), |t| format!(".SS {t}"));
        out.extend_from_slice(text.as_bytes());
    }
    out.extend_from_slice(environment_section().as_bytes());
    let mut extra = Vec::new();
    top.render_extra_section(&mut extra)?;
    let extra = String::from_utf8_lossy(&extra).replace(".SH EXTRA", ".SH \"EXIT STATUS\"");
    out.extend_from_slice(extra.as_bytes());
    top.render_version_section(&mut out)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Every command with options, depth first, without `help`.
fn commands(cmd: &clap::Command) -> Vec<&clap::Command> {
    let mut out = Vec::new();
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        if sub.has_subcommands() {
            out.extend(commands(sub));
        } else {
            out.push(sub);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bash_arms_match_the_state_the_loop_builds() {
        let text = completions(Shell::Bash, &Ids::default());
        assert!(text.contains("cmd=\"gh__dose__subcmd__start\""));
        assert!(text.contains("\n        gh__dose__subcmd__start)"));
        assert!(!text.contains("gh__subcmd__dose"));
    }

    #[test]
    fn the_man_page_lists_every_commands_options() {
        let text = man().unwrap();
        for flag in [
            "weight\\-kg",
            "current\\-mg\\-per\\-day",
            "input\\-format",
            "igf1\\-ref\\-low",
        ] {
            assert!(text.contains(flag), "{flag}");
        }
        assert!(
            text.contains(".SH \"GH\\-DOSE RULES CHECK\""),
            "{}",
            &text[..400]
        );
    }
}
