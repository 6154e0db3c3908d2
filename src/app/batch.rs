//! `gh-dose batch`: JSON Lines or CSV in, one JSON line out per input line,
//! in order. A failing line yields its error object and processing goes on;
//! memory does not grow with the input.

use super::load::{Sources, load};
use super::{dose, written};
use crate::cli::InputFormat;
use crate::cli::json_input::{Fields, csv_row};
use crate::error::{Error, ExitCode, InputError};
use crate::report::json::{JsonCache, write_line};
use crate::rules::RuleSet;
use chrono::NaiveDate;
use serde::Serialize;
use std::io::{BufRead, Write};
use std::path::Path;

/// One batch error line.
#[derive(Serialize)]
struct LineError<'a> {
    line: u64,
    error: LineErrorBody<'a>,
}

#[derive(Serialize)]
struct LineErrorBody<'a> {
    code: u8,
    field: Option<&'a str>,
    message: &'a str,
}

/// What a batch run needs besides its input.
pub struct Batch<'a> {
    pub file: &'a Path,
    pub format: InputFormat,
    pub as_of: NaiveDate,
    pub tables: Sources,
}

/// Runs a batch; the exit code is 2 when any line failed (also when the
/// reader closed the pipe after it), 1 when the output cannot be written.
pub fn run(b: &Batch, out: &mut dyn Write) -> Result<ExitCode, Error> {
    let rules = load(&b.tables)?.rules;
    let reader: Box<dyn BufRead> = if b.file.as_os_str() == "-" {
        Box::new(std::io::BufReader::with_capacity(1 << 16, std::io::stdin()))
    } else {
        let f = std::fs::File::open(b.file).map_err(|e| {
            InputError::new(format!("batch {}: cannot read: {e}", b.file.display()))
        })?;
        Box::new(std::io::BufReader::with_capacity(1 << 16, f))
    };
    let mut sink = Sink {
        out: std::io::BufWriter::with_capacity(1 << 16, out),
        line: Vec::with_capacity(8192),
        failed: false,
        fields: Fields::new(),
        cache: JsonCache::of(&rules),
        rules: &rules,
        default_as_of: b.as_of,
    };
    let result = match b.format {
        InputFormat::Jsonl => reader.lines().enumerate().try_for_each(|(i, line)| {
            let n = i as u64 + 1;
            let value = match line {
                Err(e) => Err(InputError::new(format!("cannot read line {n}: {e}"))),
                Ok(l) if l.trim().is_empty() => Err(InputError::new("empty line")),
                Ok(l) => {
                    serde_json::from_str(&l).map_err(|e| InputError::new(format!("not JSON: {e}")))
                }
            };
            sink.line(n, value)
        }),
        InputFormat::Csv => {
            let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
            let headers = csv
                .headers()
                .map_err(|e| InputError::new(format!("batch: CSV header: {e}")))?
                .clone();
            let mut record = csv::StringRecord::new();
            // Line 1 is the header.
            (2u64..)
                .map_while(|n| match csv.read_record(&mut record) {
                    Ok(false) => None,
                    Ok(true) => Some((n, Ok(csv_row(&headers, &record)))),
                    Err(e) => Some((n, Err(InputError::new(format!("CSV: {e}"))))),
                })
                .try_for_each(|(n, value)| sink.line(n, value))
        }
    }
    .and_then(|()| sink.out.flush().map_err(Error::Output));
    // A closed pipe ends quietly, but a line that failed before it still
    // gives 2: the reader must not take a partial run for a clean one.
    let code = if sink.failed {
        ExitCode::Usage
    } else {
        ExitCode::Success
    };
    match result {
        Ok(()) => Ok(code),
        Err(Error::Output(e)) => written(Err(e), code),
        Err(e) => Err(e),
    }
}

/// Where batch lines go: one JSON line per input line, buffered.
struct Sink<'a, W: Write> {
    out: std::io::BufWriter<W>,
    line: Vec<u8>,
    failed: bool,
    fields: Fields,
    cache: JsonCache,
    rules: &'a RuleSet,
    default_as_of: NaiveDate,
}

impl<W: Write> Sink<'_, W> {
    /// Runs one input line and writes its document or its error object.
    fn line(&mut self, n: u64, value: Result<serde_json::Value, InputError>) -> Result<(), Error> {
        let result = value
            .and_then(|v| self.fields.request(v, None))
            .map_err(Error::from)
            .and_then(|r| {
                dose::request(
                    &r.request,
                    r.as_of.unwrap_or(self.default_as_of),
                    self.rules,
                )
            });
        self.line.clear();
        let written = match result {
            Ok((doc, _)) => write_line(&mut self.line, &doc, &self.cache),
            Err(e) => {
                self.failed = true;
                let message = e.to_string();
                let body = LineError {
                    line: n,
                    error: LineErrorBody {
                        code: e.exit_code().code(),
                        field: e.field(),
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
