//! The application: the only place with files, standard streams, the clock
//! and the terminal. Parses the command line, runs one arm per command, and
//! writes the result; errors are printed here, once, with their `error:`
//! prefix.

mod batch;
mod commands;
mod dose;
mod lines;
mod load;
mod terminal;

pub use terminal::Terminal;

use crate::cli::{self, Cli, Command, OutputArgs, RulesCommand, TopArgs};
use crate::error::{Error, ExitCode, InputError};
use clap::FromArgMatches;
use std::ffi::OsString;
use std::io::Write;

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
        &Terminal::detect(),
    )
}

/// Parses the arguments, runs the command, writes its output and returns the
/// exit code. Errors go to `err` as one line; nothing reaches `out` then. A
/// closed `out` ends quietly with the command's code.
pub fn run_with<I, T>(
    args: I,
    out: &mut dyn Write,
    err: &mut dyn Write,
    term: &Terminal,
) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let matches = match cli::command().try_get_matches_from(&args) {
        Ok(m) => m,
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelp => {
            let e = commands::help_with_ranges(&args, term).unwrap_or(e);
            return commands::clap_error(&e, out, err);
        }
        Err(e) => return commands::clap_error(&e, out, err),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => return commands::clap_error(&e, out, err),
    };
    match commands::input_alone(&matches).and_then(|()| execute(&cli, term, out)) {
        Ok(code) => code,
        Err(e) => report_error(&e, err),
    }
}

/// Prints an error as one line with its `error:` prefix.
fn report_error(e: &Error, err: &mut dyn Write) -> ExitCode {
    let _ = writeln!(err, "error: {}", crate::error::one_line(&e.to_string()));
    e.exit_code()
}

/// How a command's text is written: human or JSON, coloured or not.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    pub human: bool,
    pub colour: bool,
}

impl Printer {
    /// The one place that decides: the command's options, those given before
    /// the command, then the terminal.
    fn of(o: &OutputArgs, top: &TopArgs, term: &Terminal) -> Printer {
        let human = term.human(o.format.or(top.format).unwrap_or_default());
        Printer {
            human,
            colour: human && term.colour(o.color.or(top.color).unwrap_or_default()),
        }
    }

    /// Raw text (TOML, JSON Schema, completions, roff): never coloured.
    fn raw() -> Printer {
        Printer {
            human: false,
            colour: false,
        }
    }
}

/// Writes a command's text and returns its code; a closed pipe is not an
/// error, any other write failure is.
fn emit(out: &mut dyn Write, text: &str, p: Printer, code: ExitCode) -> Result<ExitCode, Error> {
    let text = if p.colour {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(anstream::adapter::strip_str(text).to_string())
    };
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(code),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(code),
        Err(e) => Err(Error::Output(e)),
    }
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// One arm per command.
fn execute(cli: &Cli, term: &Terminal, out: &mut dyn Write) -> Result<ExitCode, Error> {
    let top = &cli.top;
    match &cli.command {
        Command::Start(a) => {
            let p = Printer::of(&a.output, top, term);
            let (text, code) = commands::start(a, top, term, p)?;
            emit(out, &text, p, code)
        }
        Command::Titrate(a) => {
            let p = Printer::of(&a.output, top, term);
            let (text, code) = commands::titrate(a, top, term, p)?;
            emit(out, &text, p, code)
        }
        Command::Indications(a) => {
            let p = Printer::of(&a.output, top, term);
            let text = commands::indications(a, top, term, p)?;
            emit(out, &text, p, ExitCode::Success)
        }
        Command::Products(a) => {
            let p = Printer::of(&a.output, top, term);
            let text = commands::products(a, top, term, p)?;
            emit(out, &text, p, ExitCode::Success)
        }
        Command::Rules(RulesCommand::Show { table, tables }) => {
            let text = commands::rules_show(*table, tables, top, term)?;
            emit(out, &text, Printer::raw(), ExitCode::Success)
        }
        Command::Rules(RulesCommand::Check {
            file,
            tables,
            output,
        }) => {
            let p = Printer::of(output, top, term);
            let text = commands::rules_check(file, tables, top, term, p)?;
            emit(out, &text, p, ExitCode::Success)
        }
        Command::Batch(a) => {
            let b = batch::Batch {
                file: &a.file,
                format: a.input_format,
                as_of: a.as_of.or(top.as_of).unwrap_or_else(today),
                tables: load::Sources::of(&a.tables, top, term),
            };
            batch::run(&b, out)
        }
        Command::Schema => {
            let text = crate::report::json::schema()
                .map_err(|e| Error::Internal(format!("cannot build the schema: {e}")))?;
            emit(out, &text, Printer::raw(), ExitCode::Success)
        }
        Command::Completions { shell } => {
            let empty = cli::TableArgs::default();
            let rules = load::load(&load::Sources::of(&empty, top, term))?.rules;
            let ids = cli::completions::Ids {
                indications: rules.indications.iter().map(|i| i.id.clone()).collect(),
                products: rules.all_products().iter().map(|p| p.id.clone()).collect(),
            };
            let text = cli::completions::completions(*shell, &ids);
            emit(out, &text, Printer::raw(), ExitCode::Success)
        }
        Command::Man => {
            let text = cli::completions::man().map_err(Error::Output)?;
            emit(out, &text, Printer::raw(), ExitCode::Success)
        }
    }
}

/// An input problem worded for the command line.
fn input(message: String) -> Error {
    Error::Input(InputError::new(message))
}
