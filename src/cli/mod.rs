//! The command line: clap types and their text. Nothing clinical: flags are
//! parsed into low-level arguments here ([`args`]) and turned into typed
//! requests once ([`request`]); JSON and CSV requests are read into the same
//! arguments ([`json_input`]).

mod args;
mod completions;
mod csv_input;
mod growth;
mod help;
mod input_error;
mod json_input;
mod request;
#[cfg(feature = "serve")]
mod serve;

pub(crate) use args::{StartArgs, TitrateArgs};
pub(crate) use completions::{Ids, completions, man};
pub(crate) use csv_input::{header as csv_header, row as csv_cells};
pub(crate) use growth::{GrowthArgs, ReferenceArg};
pub(crate) use help::with_ranges;
pub(crate) use input_error::InputError;
pub(crate) use json_input::{Fields, JsonRequest, Request, csv_row};
#[cfg(feature = "serve")]
pub(crate) use serve::ServeArgs;

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Growth hormone starting doses and titration steps from sourced rule tables.
///
/// gh-dose computes weekly and per-injection somatropin doses (and the weekly
/// analogues'), the recommended range, safety flags, the next review window
/// and the sources behind every number. It supports the clinician's decision;
/// it does not replace it, the product label or the local protocol.
#[derive(Debug, Parser)]
#[command(
    name = "gh-dose",
    version,
    help_template = help::TOP_TEMPLATE,
    after_help = help::EXIT_CODES,
    after_long_help = help::EXIT_CODES
)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) top: TopArgs,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The options of the dosing commands, also accepted before the command name
/// (`gh-dose --format json start ...`) for scripts written that way.
#[derive(Debug, Args, Default)]
pub(crate) struct TopArgs {
    #[arg(long, value_enum, hide = true)]
    pub(crate) format: Option<Format>,
    #[arg(long, value_enum, hide = true)]
    pub(crate) color: Option<ColorWhen>,
    #[arg(long, value_name = "DATE", value_parser = args::parse_date, hide = true)]
    pub(crate) as_of: Option<chrono::NaiveDate>,
    #[arg(long, value_name = "FILE", hide = true)]
    pub(crate) rules: Option<PathBuf>,
    #[arg(long, value_name = "FILE", hide = true)]
    pub(crate) products: Option<PathBuf>,
}

/// How to write the result.
#[derive(Debug, Args, Default, Clone, Copy)]
#[command(next_help_heading = "Output")]
pub(crate) struct OutputArgs {
    /// Output format: auto is human on a terminal and JSON when piped [default: auto].
    #[arg(long, value_enum)]
    pub(crate) format: Option<Format>,
    /// Colour for human output; auto honours NO_COLOR, CLICOLOR and TERM=dumb [default: auto].
    #[arg(long, value_enum)]
    pub(crate) color: Option<ColorWhen>,
}

/// Which tables to use.
#[derive(Debug, Args, Default, Clone)]
#[command(next_help_heading = "Rule tables")]
pub(crate) struct TableArgs {
    /// Use this rule file instead of the built-in rules [env: GH_DOSE_RULES].
    #[arg(long, value_name = "FILE")]
    pub(crate) rules: Option<PathBuf>,
    /// Use this product table instead of the built-in one [env: GH_DOSE_PRODUCTS].
    #[arg(long, value_name = "FILE")]
    pub(crate) products: Option<PathBuf>,
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub(crate) enum Format {
    /// Human on a terminal, JSON otherwise.
    #[default]
    Auto,
    /// A readable table.
    Human,
    /// One JSON object (schema_version 1).
    Json,
    /// One FHIR R4 Bundle (start, titrate and growth; docs/fhir.md).
    Fhir,
}

/// When to colour human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub(crate) enum ColorWhen {
    /// On a terminal, unless NO_COLOR is set, CLICOLOR=0 or TERM=dumb.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Starting dose, range, flags and next review for an indication.
    #[command(after_long_help = help::START, after_help = help::START)]
    Start(Box<StartArgs>),
    /// Decision at a follow-up visit: increase, decrease, maintain, recheck or stop.
    #[command(after_long_help = help::TITRATE, after_help = help::TITRATE)]
    Titrate(Box<TitrateArgs>),
    /// Height, weight and BMI SDS and centiles, height velocity and target height from measurements.
    #[command(after_long_help = help::GROWTH, after_help = help::GROWTH)]
    Growth(Box<growth::GrowthArgs>),
    /// List every indication with its ranges and sources.
    #[command(after_help = help::INDICATIONS)]
    Indications(ListArgs),
    /// List products: molecules, schedules, labelled indications, devices.
    #[command(after_help = help::PRODUCTS)]
    Products(ListArgs),
    /// Print or validate rule files.
    #[command(subcommand, after_help = help::RULES)]
    Rules(RulesCommand),
    /// A patient's visit record: show the course or check the file.
    #[command(subcommand, after_help = help::RECORD)]
    Record(RecordCommand),
    /// Draw a visit record as an SVG chart: growth on centile curves, or the titration.
    #[command(subcommand, after_help = help::CHART)]
    Chart(ChartCommand),
    /// Many requests: JSON Lines (or CSV) in, one JSON line out per input line.
    #[command(after_long_help = help::BATCH, after_help = help::BATCH)]
    Batch(BatchArgs),
    /// Print the JSON Schema (draft 2020-12) of an output document.
    #[command(after_help = help::SCHEMA)]
    Schema {
        /// Which document: the dosing output (start, titrate), growth, or a visit record line.
        #[arg(value_enum, default_value_t = SchemaOf::Dose)]
        of: SchemaOf,
    },
    /// Print shell completions.
    #[command(after_help = help::COMPLETIONS)]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), with every command's options.
    #[command(after_help = help::MAN)]
    Man,
    /// Run the CDS Hooks 2.0 service an EHR calls when a growth hormone order is drafted.
    #[cfg(feature = "serve")]
    #[command(after_help = help::SERVE)]
    Serve(Box<ServeArgs>),
}

/// `indications` and `products`.
#[derive(Debug, Args, Default)]
pub(crate) struct ListArgs {
    #[command(flatten)]
    pub(crate) tables: TableArgs,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

/// `gh-dose batch`.
#[derive(Debug, Args)]
pub(crate) struct BatchArgs {
    /// Input file, or - for stdin.
    #[arg(value_name = "FILE", default_value = "-")]
    pub(crate) file: PathBuf,
    /// Input format.
    #[arg(long, value_enum, default_value_t = InputFormat::Jsonl)]
    pub(crate) input_format: InputFormat,
    /// Decision date of lines without their own as_of, YYYY-MM-DD [default: today].
    #[arg(long, value_name = "DATE", value_parser = args::parse_date)]
    pub(crate) as_of: Option<chrono::NaiveDate>,
    /// Lines may name a visit record ("record": "p-0042.jsonl"): a plain file name inside DIR.
    #[arg(long, value_name = "DIR")]
    pub(crate) records_dir: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) tables: TableArgs,
}

/// The documents with a JSON Schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SchemaOf {
    /// The start and titrate document (docs/schema/output.v1.json).
    Dose,
    /// The growth document (docs/schema/growth.v1.json).
    Growth,
    /// One line of a visit record (docs/schema/record.v1.json).
    Record,
}

#[derive(Debug, Subcommand)]
pub(crate) enum RecordCommand {
    /// The course: one row per visit (human) or the visit lines (JSON Lines).
    Show {
        /// The record (JSON Lines, one visit per line).
        file: PathBuf,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Validate a record; problems are reported as file:line:col (exit 3).
    Check {
        /// The record (JSON Lines, one visit per line).
        file: PathBuf,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Mark a visit as entered in error: appends a correction line; the visit stays in the file,
    /// and readers skip it (its IGF-1 sample can be decided on again).
    Void {
        /// The record (JSON Lines, one visit per line).
        file: PathBuf,
        /// The line number of the visit entered in error (as `record show` numbers it).
        #[arg(long, value_name = "N")]
        line: usize,
        /// Why the visit was entered in error (kept in the record).
        #[arg(long, value_name = "TEXT")]
        reason: String,
        /// The date of the correction (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<chrono::NaiveDate>,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// A one-page visit summary for the notes (HTML, printable on A4 or Letter): the last
    /// decision, the course, both charts, the rule set and its sources.
    #[command(after_help = help::RECORD_SUMMARY)]
    Summary {
        /// The record (JSON Lines, one visit per line).
        file: PathBuf,
        /// Write the HTML page to this file (- for stdout).
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        out: PathBuf,
        /// Father's height in cm (with --mother-height-cm: the target height on the growth chart).
        #[arg(long, value_name = "CM", allow_negative_numbers = true, value_parser = args::parse_number, requires = "mother_height_cm")]
        father_height_cm: Option<f64>,
        /// Mother's height in cm.
        #[arg(long, value_name = "CM", allow_negative_numbers = true, value_parser = args::parse_number, requires = "father_height_cm")]
        mother_height_cm: Option<f64>,
        /// A clinic's patient reference for the title (at most 80 characters).
        #[arg(long, value_name = "TEXT")]
        label: Option<String>,
        /// Replace an --output file that is not a visit summary gh-dose wrote.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        tables: TableArgs,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum ChartCommand {
    /// Height and weight on the reference centile curves, target height, dose changes.
    Growth {
        /// The record (JSON Lines, one visit per line).
        file: PathBuf,
        /// Write the SVG to this file (- for stdout).
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        out: PathBuf,
        /// Father's height in cm (with --mother-height-cm: the target-height range).
        #[arg(long, value_name = "CM", allow_negative_numbers = true, value_parser = args::parse_number, requires = "mother_height_cm")]
        father_height_cm: Option<f64>,
        /// Mother's height in cm.
        #[arg(long, value_name = "CM", allow_negative_numbers = true, value_parser = args::parse_number, requires = "father_height_cm")]
        mother_height_cm: Option<f64>,
        /// Replace an --output file that is not a chart gh-dose wrote.
        #[arg(long)]
        force: bool,
        /// A clinic's patient reference for the title (at most 80 characters).
        #[arg(long, value_name = "TEXT")]
        label: Option<String>,
        #[command(flatten)]
        tables: TableArgs,
    },
    /// IGF-1 SDS against the target band and ceiling, the dose as a step line, each decision.
    Titration {
        /// The record (JSON Lines, one visit per line).
        file: PathBuf,
        /// Write the SVG to this file (- for stdout).
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        out: PathBuf,
        /// Replace an --output file that is not a chart gh-dose wrote.
        #[arg(long)]
        force: bool,
        /// A clinic's patient reference for the title (at most 80 characters).
        #[arg(long, value_name = "TEXT")]
        label: Option<String>,
        #[command(flatten)]
        tables: TableArgs,
    },
}

/// Batch input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum InputFormat {
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated values with a header row.
    Csv,
}

#[derive(Debug, Subcommand)]
pub(crate) enum RulesCommand {
    /// Print a rule table in use (the built-in one unless --rules or --products is given).
    Show {
        /// Which table: the indication rules or the product table.
        #[arg(value_enum, default_value_t = Table::Indications)]
        table: Table,
        #[command(flatten)]
        tables: TableArgs,
    },
    /// Validate a rule or product file; errors are reported as file:line:col (exit 3).
    Check {
        /// The file to check.
        file: PathBuf,
        #[command(flatten)]
        tables: TableArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
}

/// A rule table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Table {
    /// data/indications.toml (or --rules).
    Indications,
    /// data/products.toml (or --products).
    Products,
}

/// The clap definition, for parsing, completions and the man page.
pub(crate) fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        command().debug_assert();
    }
}
