//! Shell completions and the man page, generated from the clap definition.
//!
//! Completions offer every command's options and the indication and product
//! ids of the tables in use. clap_complete's bash script spells its state
//! labels two ways when the program name has a hyphen (`gh__dose__subcmd__start`
//! in the loop, `gh__subcmd__dose__subcmd__start` in the arms), so that no
//! subcommand option ever completes; the arms are respelled here.

use clap::builder::PossibleValuesParser;
use clap_complete::Shell;

/// Ids to offer as values.
#[derive(Debug, Clone, Default)]
pub struct Ids {
    pub indications: Vec<String>,
    pub products: Vec<String>,
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
        });
    }
    cmd
}

/// Completion script for a shell.
pub fn completions(shell: Shell, ids: &Ids) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut with_ids(ids), "gh-dose", &mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    match shell {
        Shell::Bash => text.replace("gh__subcmd__dose", "gh__dose"),
        _ => text,
    }
}

/// The man page (roff): the program, then every command with its options.
pub fn man() -> std::io::Result<String> {
    let mut cmd = super::command();
    cmd.build();
    let top = clap_mangen::Man::new(cmd.clone());
    let mut out = Vec::new();
    top.render_title(&mut out)?;
    top.render_name_section(&mut out)?;
    top.render_synopsis_section(&mut out)?;
    top.render_description_section(&mut out)?;
    top.render_subcommands_section(&mut out)?;
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
    top.render_extra_section(&mut out)?;
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
