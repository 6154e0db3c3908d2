//! The application: the only place with files, standard streams, the clock
//! and the terminal. Parses the command line, runs one arm per command, and
//! writes the result; errors are printed here, once, with their `error:`
//! prefix.

mod batch;
mod chart;
mod commands;
mod dose;
mod fhir;
mod lines;
mod load;
mod record;
mod recorded;
#[cfg(feature = "serve")]
mod serve;
mod summary;
mod terminal;
mod void;

pub use terminal::Terminal;

use crate::cli::{self, Cli, Command, OutputArgs, RulesCommand, TopArgs};
use crate::error::{Error, ExitCode, InputError, one_line};
use clap::FromArgMatches;
use std::ffi::OsString;
use std::io::Write;

/// The process entry point: real arguments, stdout, stderr and terminal.
pub fn main_with_args<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let stderr = std::io::stderr();
    let term = Terminal::detect();
    match raw_stdout() {
        Some(mut file) => run_with(args, &mut file, &mut stderr.lock(), &term),
        None => {
            let stdout = std::io::stdout();
            run_with(args, &mut stdout.lock(), &mut stderr.lock(), &term)
        }
    }
}

/// stdout as a plain file. The standard handle reports success for a
/// descriptor that cannot be written (stdout opened read-only: EBADF), so
/// the output would be lost without a word; a file reports the error.
/// (A stdout closed before the process starts cannot be told apart: the
/// runtime has already put /dev/null in its place, as `> /dev/null` would.)
#[cfg(unix)]
fn raw_stdout() -> Option<std::fs::File> {
    use std::os::fd::AsFd;
    let stdout = std::io::stdout();
    let fd = stdout.as_fd().try_clone_to_owned().ok()?;
    Some(std::fs::File::from(fd))
}

#[cfg(not(unix))]
fn raw_stdout() -> Option<std::fs::File> {
    None
}

/// Parses the arguments, runs the command, writes its output and returns the
/// exit code. Errors go to `err` as one line; nothing reaches `out` then. A
/// closed `out` (a reader that stopped: `| head -1`) ends quietly with the
/// command's code; any other write failure is exit 1 with one line.
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
            return commands::clap_error(&e, &args, out, err);
        }
        Err(e) => return commands::clap_error(&e, &args, out, err),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => return commands::clap_error(&e, &args, out, err),
    };
    match commands::input_alone(&matches).and_then(|()| execute(&cli, term, out)) {
        Ok(code) => code,
        Err(e) => report_error(&e, err),
    }
}

/// Prints an error as one line with its `error:` prefix.
fn report_error(e: &Error, err: &mut dyn Write) -> ExitCode {
    let _ = writeln!(err, "error: {}", one_line(&e.to_string()));
    e.exit_code()
}

/// The outcome of writing a command's output: a closed pipe is not an error
/// (the reader has what it wanted) and keeps the command's code; any other
/// failure is [`Error::Output`] (exit 1).
pub(crate) fn written(result: std::io::Result<()>, code: ExitCode) -> Result<ExitCode, Error> {
    match result {
        Ok(()) => Ok(code),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(code),
        Err(e) => Err(Error::Output(e)),
    }
}

/// How a command's text is written: human or JSON, coloured or not, the
/// brief answer or the full one, and the width human text wraps at.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Printer {
    pub(crate) human: bool,
    pub(crate) colour: bool,
    pub(crate) brief: bool,
    pub(crate) width: usize,
    /// `--format fhir`: one FHIR R4 Bundle (start, titrate, growth).
    pub(crate) fhir: bool,
}

impl Printer {
    /// The one place that decides: the command's options, those given before
    /// the command, then the terminal.
    fn of(o: &OutputArgs, top: &TopArgs, term: &Terminal) -> Printer {
        let format = o.format.or(top.format).unwrap_or_default();
        let human = term.human(format);
        Printer {
            human,
            colour: human && term.colour(o.color.or(top.color).unwrap_or_default()),
            brief: false,
            width: term.width(),
            fhir: format == cli::Format::Fhir,
        }
    }

    /// The printer of a command that has no FHIR form: `--format fhir` is
    /// refused (exit 2).
    fn plain(o: &OutputArgs, top: &TopArgs, term: &Terminal) -> Result<Printer, Error> {
        let p = Printer::of(o, top, term);
        if p.fhir {
            return Err(input(
                "--format fhir applies to start, titrate and growth (allowed here: auto, human, json)".to_string(),
            ));
        }
        Ok(p)
    }

    /// A dosing command's printer: with `--brief`, the brief answer, which
    /// is human text (piped too); `--brief` with `--format json` is refused.
    fn dosing(
        o: &OutputArgs,
        brief: bool,
        top: &TopArgs,
        term: &Terminal,
    ) -> Result<Printer, Error> {
        if !brief {
            return Ok(Printer::of(o, top, term));
        }
        let format = o.format.or(top.format).unwrap_or_default();
        if format == cli::Format::Fhir {
            return Err(input("--brief cannot be used with --format fhir (the brief answer is human text): remove one".to_string()));
        }
        let human = term
            .brief_human(format)
            .ok_or_else(|| input("--brief cannot be used with --format json (the brief answer is human text): remove one".to_string()))?;
        Ok(Printer {
            human,
            colour: human && term.colour(o.color.or(top.color).unwrap_or_default()),
            brief: true,
            width: term.width(),
            fhir: false,
        })
    }

    /// Raw text (TOML, JSON Schema, completions, roff): never coloured.
    fn raw() -> Printer {
        Printer {
            human: false,
            colour: false,
            brief: false,
            width: terminal::DEFAULT_WIDTH,
            fhir: false,
        }
    }
}

/// Writes a command's text and returns its code (see [`written`]).
fn emit(out: &mut dyn Write, text: &str, p: Printer, code: ExitCode) -> Result<ExitCode, Error> {
    let text = if p.colour {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(anstream::adapter::strip_str(text).to_string())
    };
    written(
        out.write_all(text.as_bytes()).and_then(|()| out.flush()),
        code,
    )
}

/// Writes a dosing answer, then appends its visit to the record (the lock
/// held throughout): if the answer cannot be written, a closed pipe too,
/// nothing is appended and the error says so (exit 1).
fn emit_then_record(
    out: &mut dyn Write,
    text: &str,
    p: Printer,
    code: ExitCode,
    pending: Option<record::Pending>,
) -> Result<ExitCode, Error> {
    let Some(pending) = pending else {
        return emit(out, text, p, code);
    };
    let text = if p.colour {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(anstream::adapter::strip_str(text).to_string())
    };
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| {
            Error::Output(std::io::Error::new(
                e.kind(),
                format!(
                    "{e}; the visit is not recorded ({} is as it was): run it again",
                    pending.name()
                ),
            ))
        })?;
    pending.commit()?;
    Ok(code)
}

/// Today's date: the local clock's, or `GH_DOSE_TODAY` (YYYY-MM-DD) when
/// set to a date (to replay a course in tests or training). It is the
/// default `--as-of` and the latest date a visit record takes.
fn today() -> chrono::NaiveDate {
    std::env::var("GH_DOSE_TODAY")
        .ok()
        .and_then(|d| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// One arm per command.
fn execute(cli: &Cli, term: &Terminal, out: &mut dyn Write) -> Result<ExitCode, Error> {
    let top = &cli.top;
    match &cli.command {
        Command::Start(a) => {
            let p = Printer::dosing(&a.output, a.brief, top, term)?;
            let (text, code, pending) = commands::start(a, top, term, p)?;
            emit_then_record(out, &text, p, code, pending)
        }
        Command::Titrate(a) => {
            let p = Printer::dosing(&a.output, a.brief, top, term)?;
            let (text, code, pending) = commands::titrate(a, top, term, p)?;
            emit_then_record(out, &text, p, code, pending)
        }
        Command::Growth(a) => {
            let p = Printer::of(&a.output, top, term);
            let text = commands::growth(a, top, term, p)?;
            emit(out, &text, p, ExitCode::Success)
        }
        Command::Indications(a) => {
            let p = Printer::plain(&a.output, top, term)?;
            let text = commands::indications(a, top, term, p)?;
            emit(out, &text, p, ExitCode::Success)
        }
        Command::Products(a) => {
            let p = Printer::plain(&a.output, top, term)?;
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
            let p = Printer::plain(output, top, term)?;
            let text = commands::rules_check(file, tables, top, term, p)?;
            emit(out, &text, p, ExitCode::Success)
        }
        Command::Record(c) => record(c, top, term, out),
        Command::Chart(c) => {
            let svg = chart::draw(c, top, term)?;
            chart::write_svg(c, &svg, out)
        }
        Command::Batch(a) => {
            let b = batch::Batch {
                file: &a.file,
                format: a.input_format,
                as_of: a.as_of.or(top.as_of).unwrap_or_else(today),
                tables: load::Sources::of(&a.tables, top, term),
                records_dir: a.records_dir.as_deref(),
            };
            batch::run(&b, out)
        }
        Command::Schema { of } => schema(*of, out),
        Command::Completions { shell } => completions(*shell, top, term, out),
        Command::Man => {
            let text = cli::man().map_err(Error::Output)?;
            emit(out, &text, Printer::raw(), ExitCode::Success)
        }
        #[cfg(feature = "serve")]
        Command::Serve(a) => serve::serve(a, top, term, out),
    }
}

/// A `record` subcommand: show, check, void a line, or the summary page.
fn record(
    c: &cli::RecordCommand,
    top: &TopArgs,
    term: &Terminal,
    out: &mut dyn Write,
) -> Result<ExitCode, Error> {
    match c {
        cli::RecordCommand::Show { file, output } => {
            let p = Printer::plain(output, top, term)?;
            let (text, cut) = chart::record_show(file, p)?;
            let code = emit(out, &text, p, ExitCode::Success)?;
            cut.map_or(Ok(code), Err)
        }
        cli::RecordCommand::Check { file, output } => {
            let p = Printer::plain(output, top, term)?;
            let text = chart::record_check(file, p)?;
            emit(out, &text, p, ExitCode::Success)
        }
        cli::RecordCommand::Void {
            file,
            line,
            reason,
            as_of,
            output,
        } => {
            let p = Printer::plain(output, top, term)?;
            let today = today();
            let date = as_of.or(top.as_of).unwrap_or(today);
            let (doc, pending) = void::void(file, *line, reason, date, today)?;
            let text = if p.human {
                crate::report::human::render_record_void(&doc)
            } else {
                crate::report::to_json(&doc)
                    .map_err(|e| Error::Internal(format!("cannot serialize output: {e}")))?
            };
            emit_then_record(out, &text, p, ExitCode::Success, Some(pending))
        }
        c @ cli::RecordCommand::Summary { .. } => summary::summary(c, top, term, out),
    }
}

/// The JSON Schema of one output document.
fn schema(of: cli::SchemaOf, out: &mut dyn Write) -> Result<ExitCode, Error> {
    let text = match of {
        cli::SchemaOf::Dose => crate::report::schema(),
        cli::SchemaOf::Growth => crate::report::growth_schema(),
        cli::SchemaOf::Record => crate::report::record_schema(),
    }
    .map_err(|e| Error::Internal(format!("cannot build the schema: {e}")))?;
    emit(out, &text, Printer::raw(), ExitCode::Success)
}

/// Shell completions, with the ids of the tables in use.
fn completions(
    shell: clap_complete::Shell,
    top: &TopArgs,
    term: &Terminal,
    out: &mut dyn Write,
) -> Result<ExitCode, Error> {
    let empty = cli::TableArgs::default();
    let rules = load::load(&load::Sources::of(&empty, top, term))?.rules;
    let ids = cli::Ids {
        indications: rules.indications.iter().map(|i| i.id.clone()).collect(),
        products: rules.all_products().iter().map(|p| p.id.clone()).collect(),
        devices: rules
            .all_products()
            .iter()
            .flat_map(|p| p.devices.iter().map(|d| d.id.clone()))
            .fold(Vec::new(), |mut all, id| {
                if !all.contains(&id) {
                    all.push(id);
                }
                all
            }),
    };
    let text = cli::completions(shell, &ids);
    emit(out, &text, Printer::raw(), ExitCode::Success)
}

/// An input problem worded for the command line.
fn input(message: String) -> Error {
    Error::Input(InputError::new(message))
}

#[cfg(test)]
mod tests;
