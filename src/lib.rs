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

fn output(text: String, human: bool, code: ExitCode) -> Result<Output, Error> {
    Ok(Output { text, human, code })
}

fn run(cli: &Cli) -> Result<Output, Error> {
    let human = human(cli.global.format);
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
            let outcome = dosing::titrate(&args.to_request(as_of), &rules)?;
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
