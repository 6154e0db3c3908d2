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
use cli::{Cli, ColorWhen, Command, Format, RulesCommand, Table};
use error::{Error, ExitCode};
use rules::RuleSet;
use std::ffi::OsString;
use std::io::{IsTerminal, Write};

/// What the process knows about its terminal and colour environment; read
/// once in [`main_with_args`], passed in for tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Terminal {
    /// stdout is a terminal (`--format auto` then means human).
    pub stdout_is_terminal: bool,
    /// `NO_COLOR` is set and non-empty.
    pub no_color: bool,
    /// `CLICOLOR_FORCE` is set and not `0`.
    pub clicolor_force: bool,
    /// `CLICOLOR=0`.
    pub clicolor_off: bool,
}

impl Terminal {
    /// Reads the real terminal and environment.
    pub fn detect() -> Terminal {
        let set = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        Terminal {
            stdout_is_terminal: std::io::stdout().is_terminal(),
            no_color: set("NO_COLOR").is_some(),
            clicolor_force: set("CLICOLOR_FORCE").is_some_and(|v| v != "0"),
            clicolor_off: set("CLICOLOR").is_some_and(|v| v == "0"),
        }
    }

    /// Whether human output is coloured: NO_COLOR, then CLICOLOR_FORCE, then
    /// CLICOLOR, then the terminal; `--color` overrides all of them.
    fn colour(self, when: ColorWhen) -> bool {
        match when {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                !self.no_color
                    && (self.clicolor_force || (!self.clicolor_off && self.stdout_is_terminal))
            }
        }
    }
}

/// The process entry point: real arguments, stdout, stderr and terminal.
pub fn main_with_args<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    run_with(
        args,
        &mut stdout.lock(),
        &mut stderr.lock(),
        Terminal::detect(),
    )
}

/// Parses the arguments, runs the command, writes its output and returns the
/// exit code. Errors go to `err` as one line; nothing reaches `out` then. A
/// closed `out` ends quietly with the command's code.
pub fn run_with<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write, term: Terminal) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => return clap_error(&e, out, err),
    };
    match run(&cli, term) {
        Ok(o) => {
            let text = if o.human && term.colour(cli.global.color) {
                o.text
            } else {
                anstream::adapter::strip_str(&o.text).to_string()
            };
            match write_all(out, &text) {
                Ok(()) => o.code,
                Err(e) => report_error(&e, err),
            }
        }
        Err(e) => report_error(&e, err),
    }
}

/// What a command produced.
struct Output {
    text: String,
    human: bool,
    code: ExitCode,
}

fn report_error(e: &Error, err: &mut dyn Write) -> ExitCode {
    let text = e.to_string();
    let line = if text.starts_with("error:") {
        text
    } else {
        format!("error: {text}")
    };
    let _ = writeln!(err, "{line}");
    e.exit_code()
}

/// clap's own errors: help and version go to `out` with 0; usage errors to
/// `err` with 2, as the error and its tips without the usage block.
fn clap_error(e: &clap::Error, out: &mut dyn Write, err: &mut dyn Write) -> ExitCode {
    use clap::error::ErrorKind;
    let rendered = e.render().to_string();
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = write_all(out, &rendered);
            ExitCode::Success
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = err.write_all(rendered.as_bytes());
            ExitCode::Usage
        }
        _ => {
            let head: Vec<&str> = rendered
                .lines()
                .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
                .filter(|l| !l.trim().is_empty())
                .collect();
            let _ = writeln!(err, "{}", head.join("\n"));
            ExitCode::Usage
        }
    }
}

/// Writes everything and flushes once; a closed pipe is not an error.
fn write_all(out: &mut dyn Write, text: &str) -> Result<(), Error> {
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::Output(e)),
    }
}

/// The rule set in use and the text of each table, for `rules show`.
struct Loaded {
    rules: RuleSet,
    rules_text: String,
    products_text: String,
}

fn read(path: &std::path::Path) -> Result<(String, String), Error> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| Error::RulesIo {
        path: name.clone(),
        source,
    })?;
    Ok((text, name))
}

/// Loads the rules (`--rules` or built-in) and attaches the product table
/// (`--products` or built-in), checked against them.
fn load(cli: &Cli) -> Result<Loaded, Error> {
    let (rules_text, rules) = match &cli.global.rules {
        Some(path) => {
            let (text, name) = read(path)?;
            let rules = RuleSet::parse(&text, &name)?;
            (text, rules)
        }
        None => {
            let rules = RuleSet::parse(rules::BUILT_IN, "built-in")
                .map_err(|e| Error::Internal(format!("the built-in rules are invalid: {e}")))?;
            (rules::BUILT_IN.to_string(), rules)
        }
    };
    let (products_text, rules) = match &cli.global.products {
        Some(path) => {
            let (text, name) = read(path)?;
            let rules = rules.with_products(&text, &name)?;
            (text, rules)
        }
        None => {
            let text = rules::products::BUILT_IN_PRODUCTS;
            // A custom rule file can invalidate the built-in products (an
            // indication they name is missing): that is a rule-file error.
            let rules = rules.with_products(text, "built-in products")?;
            (text.to_string(), rules)
        }
    };
    Ok(Loaded {
        rules,
        rules_text,
        products_text,
    })
}

fn human(format: Format, term: Terminal) -> bool {
    match format {
        Format::Human => true,
        Format::Json => false,
        Format::Auto => term.stdout_is_terminal,
    }
}

fn json<T: serde::Serialize>(doc: &T) -> Result<String, Error> {
    report::to_json(doc).map_err(|e| Error::Internal(format!("cannot serialize output: {e}")))
}

fn output(text: String, human: bool, code: ExitCode) -> Result<Output, Error> {
    Ok(Output { text, human, code })
}

fn run(cli: &Cli, term: Terminal) -> Result<Output, Error> {
    let human = human(cli.global.format, term);
    match &cli.command {
        Command::Start(args) => {
            let rules = load(cli)?.rules;
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
            output(text, human, code)
        }
        Command::Titrate(args) => {
            let rules = load(cli)?.rules;
            let as_of = cli
                .global
                .as_of
                .unwrap_or_else(|| chrono::Local::now().date_naive());
            let lms = match &args.igf1_reference {
                None => None,
                Some(path) => {
                    let (text, name) = read(path)?;
                    Some(rules::reference::parse_lms(
                        &text,
                        &name,
                        rules.igf1.ng_per_ml_per_nmol_per_l,
                    )?)
                }
            };
            let outcome = dosing::titrate(&args.to_request(as_of, lms)?, &rules)?;
            let code = if outcome.stopped() {
                ExitCode::Withheld
            } else {
                ExitCode::Success
            };
            let doc = report::Document::new("titrate", as_of, &rules, outcome);
            let text = if human {
                report::human_start(&doc)
            } else {
                json(&doc)?
            };
            output(text, human, code)
        }
        Command::Indications => {
            let rules = load(cli)?.rules;
            let doc = report::IndicationsDocument::new(&rules);
            let text = if human {
                report::human_indications(&doc)
            } else {
                json(&doc)?
            };
            output(text, human, ExitCode::Success)
        }
        Command::Products => {
            let rules = load(cli)?.rules;
            let doc = report::ProductsDocument::new(&rules);
            let text = if human {
                report::human_products(&doc)
            } else {
                json(&doc)?
            };
            output(text, human, ExitCode::Success)
        }
        Command::Rules(RulesCommand::Show { table }) => {
            let loaded = load(cli)?;
            let text = match table {
                Table::Indications => loaded.rules_text,
                Table::Products => loaded.products_text,
            };
            output(text, false, ExitCode::Success)
        }
        Command::Rules(RulesCommand::Check { file }) => {
            let (text, name) = read(file)?;
            // A product table is checked against the rules in use.
            let is_products = text
                .parse::<toml::Table>()
                .is_ok_and(|t| t.get("kind").and_then(|k| k.as_str()) == Some("products"));
            let (kind, origin, ids) = if is_products {
                let base = load(cli)?.rules;
                let set = rules::products::ProductSet::parse(&text, &name, &base)?;
                let ids = set.products.iter().map(|p| p.id.clone()).collect();
                ("products", set.origin, ids)
            } else {
                let rules = RuleSet::parse(&text, &name)?;
                let ids = rules.indications.iter().map(|i| i.id.clone()).collect();
                ("indications", rules.origin, ids)
            };
            let doc = report::RulesCheckDocument {
                schema_version: report::SCHEMA_VERSION,
                gh_dose_version: report::VERSION,
                command: "rules check",
                file: name.clone(),
                kind,
                valid: true,
                name: origin.name.clone(),
                version: origin.version.clone(),
                sha256: origin.sha256.clone(),
                ids,
            };
            let text = if human {
                format!(
                    "{name}: ok - {} {} ({} {kind}, sha256 {})\n",
                    doc.name,
                    doc.version,
                    doc.ids.len(),
                    doc.sha256
                )
            } else {
                json(&doc)?
            };
            output(text, human, ExitCode::Success)
        }
    }
}
