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
pub mod input;
pub mod report;
pub mod rules;

use clap::{CommandFactory, FromArgMatches};
use cli::{
    BatchArgs, Cli, ColorWhen, Command, Format, InputFormat, RulesCommand, StartArgs, Table,
    TitrateArgs,
};
use error::{Error, ExitCode};
use input::{Fields, Request};
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
    let matches = match Cli::command().try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => return clap_error(&e, out, err),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => return clap_error(&e, out, err),
    };
    if let Command::Batch(args) = &cli.command {
        return match batch(&cli, args, out) {
            Ok(code) => code,
            Err(e) => report_error(&e, err),
        };
    }
    if let Err(e) = input_alone(&matches) {
        return report_error(&e, err);
    }
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

/// With `--input`, the request comes from the file alone: no request flags
/// beside it on the command line (global flags are fine).
fn input_alone(matches: &clap::ArgMatches) -> Result<(), Error> {
    let Some((name, sub)) = matches.subcommand() else {
        return Ok(());
    };
    if !matches!(name, "start" | "titrate") || sub.value_source("input").is_none() {
        return Ok(());
    }
    let global = ["format", "color", "as_of", "rules", "products", "input"];
    let extra: Vec<String> = sub
        .ids()
        .map(|id| id.as_str())
        // Argument groups (the flattened structs) carry capitalised ids: skip them.
        .filter(|id| id.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter(|id| {
            !global.contains(id)
                && sub.value_source(id) == Some(clap::parser::ValueSource::CommandLine)
        })
        .map(|id| format!("--{}", id.replace('_', "-")))
        .collect();
    if extra.is_empty() {
        Ok(())
    } else {
        Err(error::InputError::new(format!(
            "error: --input holds the whole request; remove {} or put it in the file",
            extra.join(", ")
        ))
        .into())
    }
}

/// Reads a whole file, or stdin for `-`.
fn read_input(path: &std::path::Path) -> Result<String, Error> {
    use std::io::Read;
    let mut text = String::new();
    let result = if path.as_os_str() == "-" {
        std::io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        std::fs::read_to_string(path).map(|t| text = t)
    };
    result.map_err(|e| {
        error::InputError::new(format!(
            "error: --input {}: cannot read: {e}",
            path.display()
        ))
    })?;
    Ok(text)
}

/// Parses a one-request JSON file for `command`.
fn json_request(path: &std::path::Path, command: &str) -> Result<input::JsonRequest, Error> {
    let text = read_input(path)?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        error::InputError::new(format!("error: --input {}: not JSON: {e}", path.display()))
    })?;
    Ok(Fields::new().request(value, Some(command))?)
}

/// Runs one start request.
fn run_start(
    args: &StartArgs,
    as_of: chrono::NaiveDate,
    rules: &RuleSet,
) -> Result<(report::Document, ExitCode), Error> {
    let outcome = dosing::start(&args.to_request(as_of), rules)?;
    let code = if outcome.withheld() {
        ExitCode::Withheld
    } else {
        ExitCode::Success
    };
    Ok((report::Document::new("start", as_of, rules, outcome), code))
}

/// Runs one titrate request (reading its LMS reference, if any).
fn run_titrate(
    args: &TitrateArgs,
    as_of: chrono::NaiveDate,
    rules: &RuleSet,
) -> Result<(report::Document, ExitCode), Error> {
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
    let outcome = dosing::titrate(&args.to_request(as_of, lms)?, rules)?;
    let code = if outcome.stopped() {
        ExitCode::Withheld
    } else {
        ExitCode::Success
    };
    Ok((
        report::Document::new("titrate", as_of, rules, outcome),
        code,
    ))
}

/// Runs a parsed request.
fn run_request(
    r: &Request,
    as_of: chrono::NaiveDate,
    rules: &RuleSet,
) -> Result<(report::Document, ExitCode), Error> {
    match r {
        Request::Start(a) => run_start(a, as_of, rules),
        Request::Titrate(a) => run_titrate(a, as_of, rules),
    }
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// One batch error line.
#[derive(serde::Serialize)]
struct LineError<'a> {
    line: u64,
    error: LineErrorBody<'a>,
}

#[derive(serde::Serialize)]
struct LineErrorBody<'a> {
    code: u8,
    message: &'a str,
}

/// `gh-dose batch`: streams lines in, one JSON line out per input line, in
/// order; a failing line yields its error object and processing goes on.
fn batch(cli: &Cli, args: &BatchArgs, out: &mut dyn Write) -> Result<ExitCode, Error> {
    use std::io::BufRead;
    let rules = load(cli)?.rules;
    let default_as_of = cli.global.as_of.unwrap_or_else(today);
    let reader: Box<dyn BufRead> = if args.file.as_os_str() == "-" {
        Box::new(std::io::BufReader::with_capacity(1 << 16, std::io::stdin()))
    } else {
        let f = std::fs::File::open(&args.file).map_err(|e| {
            error::InputError::new(format!(
                "error: batch {}: cannot read: {e}",
                args.file.display()
            ))
        })?;
        Box::new(std::io::BufReader::with_capacity(1 << 16, f))
    };
    let mut sink = BatchSink {
        out: std::io::BufWriter::with_capacity(1 << 16, out),
        line: Vec::with_capacity(8192),
        failed: false,
        fields: Fields::new(),
        rules: &rules,
        default_as_of,
    };
    let result = match args.input_format {
        InputFormat::Jsonl => reader.lines().enumerate().try_for_each(|(i, line)| {
            let n = i as u64 + 1;
            let value = match line {
                Err(e) => Err(error::InputError::new(format!(
                    "error: cannot read line {n}: {e}"
                ))),
                Ok(l) if l.trim().is_empty() => Err(error::InputError::new("error: empty line")),
                Ok(l) => serde_json::from_str(&l)
                    .map_err(|e| error::InputError::new(format!("error: not JSON: {e}"))),
            };
            sink.line(n, value)
        }),
        InputFormat::Csv => {
            let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
            let headers = csv
                .headers()
                .map_err(|e| error::InputError::new(format!("error: batch: CSV header: {e}")))?
                .clone();
            let mut record = csv::StringRecord::new();
            // Line 1 is the header.
            (2u64..)
                .map_while(|n| match csv.read_record(&mut record) {
                    Ok(false) => None,
                    Ok(true) => Some((n, Ok(input::csv_row(&headers, &record)))),
                    Err(e) => Some((n, Err(error::InputError::new(format!("error: CSV: {e}"))))),
                })
                .try_for_each(|(n, value)| sink.line(n, value))
        }
    }
    .and_then(|()| sink.out.flush().map_err(Error::Output));
    match result {
        Ok(()) if sink.failed => Ok(ExitCode::Usage),
        Ok(()) => Ok(ExitCode::Success),
        Err(Error::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            Ok(ExitCode::Success)
        }
        Err(e) => Err(e),
    }
}

/// Where batch lines go: one JSON line per input line, buffered.
struct BatchSink<'a, W: Write> {
    out: std::io::BufWriter<W>,
    line: Vec<u8>,
    failed: bool,
    fields: Fields,
    rules: &'a RuleSet,
    default_as_of: chrono::NaiveDate,
}

impl<W: Write> BatchSink<'_, W> {
    /// Runs one input line and writes its document or its error object.
    fn line(
        &mut self,
        n: u64,
        value: Result<serde_json::Value, error::InputError>,
    ) -> Result<(), Error> {
        let result = value
            .and_then(|v| self.fields.request(v, None))
            .map_err(Error::from)
            .and_then(|r| {
                run_request(
                    &r.request,
                    r.as_of.unwrap_or(self.default_as_of),
                    self.rules,
                )
            });
        self.line.clear();
        let written = match result {
            Ok((doc, _)) => serde_json::to_writer(&mut self.line, &doc),
            Err(e) => {
                self.failed = true;
                let message = e.to_string();
                let body = LineError {
                    line: n,
                    error: LineErrorBody {
                        code: e.exit_code().code(),
                        message: &message,
                    },
                };
                serde_json::to_writer(&mut self.line, &body)
            }
        };
        written.map_err(|e| Error::Internal(e.to_string()))?;
        self.line.push(b'\n');
        self.out.write_all(&self.line).map_err(Error::Output)
    }
}

/// `start` or `titrate`: the request from the flags, or from `--input` with
/// its own `as_of` when it gives one.
fn dosing_command(
    cli: &Cli,
    human: bool,
    input_file: Option<&std::path::Path>,
    command: &str,
    from_flags: impl FnOnce(chrono::NaiveDate, &RuleSet) -> Result<(report::Document, ExitCode), Error>,
) -> Result<Output, Error> {
    let rules = load(cli)?.rules;
    let default_as_of = cli.global.as_of.unwrap_or_else(today);
    let (doc, code) = match input_file {
        Some(path) => {
            let r = json_request(path, command)?;
            run_request(&r.request, r.as_of.unwrap_or(default_as_of), &rules)?
        }
        None => from_flags(default_as_of, &rules)?,
    };
    let text = if human {
        report::human_document(&doc)
    } else {
        json(&doc)?
    };
    output(text, human, code)
}

fn run(cli: &Cli, term: Terminal) -> Result<Output, Error> {
    let human = human(cli.global.format, term);
    match &cli.command {
        Command::Start(args) => dosing_command(
            cli,
            human,
            args.input.as_deref(),
            "start",
            |as_of, rules| run_start(args, as_of, rules),
        ),
        Command::Titrate(args) => dosing_command(
            cli,
            human,
            args.input.as_deref(),
            "titrate",
            |as_of, rules| run_titrate(args, as_of, rules),
        ),
        Command::Batch(_) => Err(Error::Internal("batch runs streaming".into())),
        Command::Schema => output(report::schema()?, false, ExitCode::Success),
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "gh-dose", &mut buf);
            output(
                String::from_utf8_lossy(&buf).into_owned(),
                false,
                ExitCode::Success,
            )
        }
        Command::Man => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut buf)
                .map_err(Error::Output)?;
            output(
                String::from_utf8_lossy(&buf).into_owned(),
                false,
                ExitCode::Success,
            )
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
