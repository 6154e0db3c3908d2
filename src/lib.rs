//! gh-dose: growth hormone starting doses and titration steps from sourced
//! rule tables.
//!
//! Layout: [`cli`] holds the clap types and converts them once into domain
//! requests; [`dosing`] is the pure core; [`rules`] loads and validates the
//! rule tables; [`report`] renders the typed outcome; [`error`] maps every
//! error to a documented exit code.

pub mod cli;
pub mod dosing;
pub mod error;
pub mod report;
pub mod rules;

use clap::Parser;
use cli::{Cli, ColorWhen, Command, Format, RulesCommand};
use error::{Error, ExitCode};
use rules::RuleSet;
use std::ffi::OsString;
use std::io::{IsTerminal, Write};

/// Parses the arguments, runs the command, writes its output and returns the
/// exit code. Errors go to stderr as one line; nothing reaches stdout then.
pub fn main_with_args<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => return clap_error(&e),
    };
    let color = cli.global.color;
    match run(&cli) {
        Ok(out) => {
            let code = out.code;
            match write_stdout(&out.text, out.human, color) {
                Ok(()) => code,
                Err(e) => report_error(&e),
            }
        }
        Err(e) => report_error(&e),
    }
}

/// What a command produced.
struct Output {
    text: String,
    human: bool,
    code: ExitCode,
}

fn report_error(e: &Error) -> ExitCode {
    let text = e.to_string();
    let line = if text.starts_with("error:") {
        text
    } else {
        format!("error: {text}")
    };
    let _ = writeln!(std::io::stderr(), "{line}");
    e.exit_code()
}

/// clap's own errors: help and version go to stdout with 0; usage errors to
/// stderr with 2. A bad value is shortened to its one line.
fn clap_error(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            if e.exit_code() == 0 =>
        {
            let _ = e.print();
            ExitCode::Success
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            ExitCode::Usage
        }
        _ => {
            // The error and its tips, without the usage block that follows.
            let rendered = e.render().to_string();
            let head: Vec<&str> = rendered
                .lines()
                .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
                .filter(|l| !l.trim().is_empty())
                .collect();
            let _ = writeln!(std::io::stderr(), "{}", head.join("\n"));
            ExitCode::Usage
        }
    }
}

/// Writes the output; a closed pipe ends quietly.
fn write_stdout(text: &str, human: bool, color: ColorWhen) -> Result<(), Error> {
    let stdout = std::io::stdout();
    let result = if human {
        let choice = match color {
            ColorWhen::Auto => anstream::ColorChoice::Auto,
            ColorWhen::Always => anstream::ColorChoice::Always,
            ColorWhen::Never => anstream::ColorChoice::Never,
        };
        let mut stream = anstream::AutoStream::new(stdout.lock(), choice);
        stream
            .write_all(text.as_bytes())
            .and_then(|()| stream.flush())
    } else {
        let mut lock = stdout.lock();
        lock.write_all(text.as_bytes()).and_then(|()| lock.flush())
    };
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::Output(e)),
    }
}

fn load_rules(cli: &Cli) -> Result<(RuleSet, String), Error> {
    match &cli.global.rules {
        Some(path) => {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|source| Error::RulesIo {
                path: name.clone(),
                source,
            })?;
            let rules = RuleSet::parse(&text, &name)?;
            Ok((rules, text))
        }
        None => {
            let rules = RuleSet::built_in()
                .map_err(|e| Error::Internal(format!("the built-in rules are invalid: {e}")))?;
            Ok((rules, rules::BUILT_IN.to_string()))
        }
    }
}

fn human(format: Format) -> bool {
    match format {
        Format::Human => true,
        Format::Json => false,
        Format::Auto => std::io::stdout().is_terminal(),
    }
}

fn json<T: serde::Serialize>(doc: &T) -> Result<String, Error> {
    report::to_json(doc).map_err(|e| Error::Internal(format!("cannot serialize output: {e}")))
}

fn run(cli: &Cli) -> Result<Output, Error> {
    let human = human(cli.global.format);
    match &cli.command {
        Command::Start(args) => {
            let (rules, _) = load_rules(cli)?;
            let as_of = cli
                .global
                .as_of
                .unwrap_or_else(|| chrono::Local::now().date_naive());
            let outcome = dosing::start(&args.to_request(as_of), &rules)?;
            let code = if outcome.withheld() {
                ExitCode::Withheld
            } else {
                ExitCode::Success
            };
            let doc = report::Document::new("start", as_of, &rules, outcome);
            let text = if human {
                report::human_start(&doc)
            } else {
                json(&doc)?
            };
            Ok(Output { text, human, code })
        }
        Command::Indications => {
            let (rules, _) = load_rules(cli)?;
            let doc = report::IndicationsDocument::new(&rules);
            let text = if human {
                report::human_indications(&doc)
            } else {
                json(&doc)?
            };
            Ok(Output {
                text,
                human,
                code: ExitCode::Success,
            })
        }
        Command::Rules(RulesCommand::Show) => {
            let (_, text) = load_rules(cli)?;
            Ok(Output {
                text,
                human: false,
                code: ExitCode::Success,
            })
        }
        Command::Rules(RulesCommand::Check { file }) => {
            let name = file.display().to_string();
            let text = std::fs::read_to_string(file).map_err(|source| Error::RulesIo {
                path: name.clone(),
                source,
            })?;
            let rules = RuleSet::parse(&text, &name)?;
            let doc = report::RulesCheckDocument {
                schema_version: report::SCHEMA_VERSION,
                gh_dose_version: report::VERSION,
                command: "rules check",
                file: name.clone(),
                valid: true,
                name: rules.origin.name.clone(),
                version: rules.origin.version.clone(),
                sha256: rules.origin.sha256.clone(),
                indications: rules.indications.iter().map(|i| i.id.clone()).collect(),
            };
            let text = if human {
                format!(
                    "{name}: ok - {} {} ({} indications, sha256 {})\n",
                    doc.name,
                    doc.version,
                    doc.indications.len(),
                    doc.sha256
                )
            } else {
                json(&doc)?
            };
            Ok(Output {
                text,
                human,
                code: ExitCode::Success,
            })
        }
    }
}
