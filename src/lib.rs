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
    let fields = Fields::new();
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
    let mut w = std::io::BufWriter::with_capacity(1 << 16, out);
    let mut failed = false;
    let mut line_out = Vec::with_capacity(8192);
    let mut emit = |n: u64,
                    value: Result<serde_json::Value, error::InputError>,
                    w: &mut std::io::BufWriter<&mut dyn Write>|
     -> Result<bool, Error> {
        line_out.clear();
        let result = value
            .map_err(Error::from)
            .and_then(|v| fields.request(v, None).map_err(Error::from))
            .and_then(|r| {
                let as_of = r.as_of.unwrap_or(default_as_of);
                run_request(&r.request, as_of, &rules)
            });
        let ok = match result {
            Ok((doc, _)) => {
                serde_json::to_writer(&mut line_out, &doc)
                    .map_err(|e| Error::Internal(e.to_string()))?;
                true
            }
            Err(e) => {
                let message = e.to_string();
                let body = LineError {
                    line: n,
                    error: LineErrorBody {
                        code: e.exit_code().code(),
                        message: &message,
                    },
                };
                serde_json::to_writer(&mut line_out, &body)
                    .map_err(|e| Error::Internal(e.to_string()))?;
                false
            }
        };
        line_out.push(b'\n');
        match w.write_all(&line_out) {
            Ok(()) => Ok(ok),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(Error::Output(e)),
            Err(e) => Err(Error::Output(e)),
        }
    };
    let mut write = |n: u64,
                     v: Result<serde_json::Value, error::InputError>,
                     w: &mut std::io::BufWriter<&mut dyn Write>|
     -> Result<(), Error> {
        if !emit(n, v, w)? {
            failed = true;
        }
        Ok(())
    };
    let result: Result<(), Error> = (|| {
        match args.input_format {
            InputFormat::Jsonl => {
                for (i, line) in reader.lines().enumerate() {
                    let n = i as u64 + 1;
                    let line = line.map_err(|e| {
                        error::InputError::new(format!("error: batch: cannot read line {n}: {e}"))
                    })?;
                    let value = if line.trim().is_empty() {
                        Err(error::InputError::new("error: empty line"))
                    } else {
                        serde_json::from_str(&line)
                            .map_err(|e| error::InputError::new(format!("error: not JSON: {e}")))
                    };
                    write(n, value, &mut w)?;
                }
            }
            InputFormat::Csv => {
                let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
                let headers = csv
                    .headers()
                    .map_err(|e| error::InputError::new(format!("error: batch: CSV header: {e}")))?
                    .clone();
                let mut record = csv::StringRecord::new();
                let mut n = 1u64;
                loop {
                    n += 1;
                    match csv.read_record(&mut record) {
                        Ok(false) => break,
                        Ok(true) => write(n, Ok(input::csv_row(&headers, &record)), &mut w)?,
                        Err(e) => write(
                            n,
                            Err(error::InputError::new(format!("error: CSV: {e}"))),
                            &mut w,
                        )?,
                    }
                }
            }
        }
        w.flush().map_err(Error::Output)
    })();
    match result {
        Ok(()) => Ok(if failed {
            ExitCode::Usage
        } else {
            ExitCode::Success
        }),
        Err(Error::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            Ok(ExitCode::Success)
        }
        Err(e) => Err(e),
    }
}

fn run(cli: &Cli, term: Terminal) -> Result<Output, Error> {
    let human = human(cli.global.format, term);
    match &cli.command {
        Command::Start(args) => {
            let rules = load(cli)?.rules;
            let from_file;
            let (args, file_as_of): (&StartArgs, _) = match &args.input {
                Some(path) => match json_request(path, "start")? {
                    input::JsonRequest {
                        request: Request::Start(a),
                        as_of,
                    } => {
                        from_file = a;
                        (&from_file, as_of)
                    }
                    _ => return Err(Error::Internal("start input".into())),
                },
                None => (args, None),
            };
            let as_of = file_as_of.or(cli.global.as_of).unwrap_or_else(today);
            let (doc, code) = run_start(args, as_of, &rules)?;
            let text = if human {
                report::human_start(&doc)
            } else {
                json(&doc)?
            };
            output(text, human, code)
        }
        Command::Titrate(args) => {
            let rules = load(cli)?.rules;
            let from_file;
            let (args, file_as_of): (&TitrateArgs, _) = match &args.input {
                Some(path) => match json_request(path, "titrate")? {
                    input::JsonRequest {
                        request: Request::Titrate(a),
                        as_of,
                    } => {
                        from_file = a;
                        (&from_file, as_of)
                    }
                    _ => return Err(Error::Internal("titrate input".into())),
                },
                None => (args, None),
            };
            let as_of = file_as_of.or(cli.global.as_of).unwrap_or_else(today);
            let (doc, code) = run_titrate(args, as_of, &rules)?;
            let text = if human {
                report::human_start(&doc)
            } else {
                json(&doc)?
            };
            output(text, human, code)
        }
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
