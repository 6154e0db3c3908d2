//! `gh-dose batch`: JSON Lines or CSV in, one JSON line out per input line,
//! in order. A failing line yields its error object and processing goes on;
//! memory does not grow with the input, nor with the length of one line.
//!
//! What ends a batch early, with one `error:` on stderr and exit 2 (the lines
//! already written stay): an input that cannot be opened or is a directory,
//! a read error (not a line's problem), and a CSV header that cannot be used
//! (not UTF-8, empty, too long, a column given twice, a column that is a
//! field of no request).

use super::dose::Answer;
use super::lines::{Line, Lines, MAX_LINE_BYTES, not_utf8_at};
use super::load::{Sources, load};
use super::record::Records;
use super::{dose, written};
use crate::cli::InputFormat;
use crate::cli::{Fields, csv_cells, csv_header, csv_row};
use crate::error::{Error, ExitCode, InputError, one_line};
use crate::report::{JsonCache, write_growth_line, write_line};
use crate::rules::RuleSet;
use crate::strict_json;
use crate::strict_json::shorten;
use chrono::NaiveDate;
use serde::Serialize;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

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
pub(super) struct Batch<'a> {
    pub(crate) file: &'a Path,
    pub(crate) format: InputFormat,
    pub(crate) as_of: NaiveDate,
    pub(crate) tables: Sources,
    /// `--records-dir`: where lines' records are.
    pub(crate) records_dir: Option<&'a Path>,
}

/// Runs a batch; the exit code is 2 when any line failed (also when the
/// reader closed the pipe after it), 1 when the output cannot be written.
pub(super) fn run(b: &Batch, out: &mut dyn Write) -> Result<ExitCode, Error> {
    let rules = load(&b.tables)?.rules;
    let input = Input::open(b.file)?;
    let mut lines = Lines::new(input.reader, MAX_LINE_BYTES);
    let mut sink = Sink {
        out: std::io::BufWriter::with_capacity(1 << 16, out),
        line: Vec::with_capacity(8192),
        failed: false,
        fields: Fields::new(),
        cache: JsonCache::of(&rules),
        rules: &rules,
        default_as_of: b.as_of,
        base: input.base.as_deref(),
        records: b.records_dir.map_or(Records::Refused, Records::Within),
    };
    let read = match b.format {
        InputFormat::Jsonl => jsonl(&mut lines, &mut sink, &input.name),
        InputFormat::Csv => csv(&mut lines, &mut sink, &input.name),
    };
    // The lines already written go out even when reading failed.
    let flushed = sink.out.flush().map_err(Error::Output);
    // A closed pipe ends quietly, but a line that failed before it still
    // gives 2: the reader must not take a partial run for a clean one.
    let code = if sink.failed {
        ExitCode::Usage
    } else {
        ExitCode::Success
    };
    match read.and(flushed) {
        Ok(()) => Ok(code),
        Err(Error::Output(e)) => written(Err(e), code),
        Err(e) => Err(e),
    }
}

/// The opened input, its name for messages, and the directory that relative
/// reference paths in its requests are taken from (`None`: stdin, the
/// current directory).
struct Input {
    reader: Box<dyn BufRead>,
    name: String,
    base: Option<PathBuf>,
}

impl Input {
    /// Opens the batch input; a directory is refused here, before reading.
    fn open(file: &Path) -> Result<Input, Error> {
        if file.as_os_str() == "-" {
            return Ok(Input {
                reader: Box::new(std::io::BufReader::with_capacity(1 << 16, std::io::stdin())),
                name: "stdin".to_string(),
                base: None,
            });
        }
        let name = file.display().to_string();
        let cannot = |e: &dyn std::fmt::Display| {
            Error::Input(InputError::new(format!("batch {name}: cannot read: {e}")))
        };
        let f = std::fs::File::open(file).map_err(|e| cannot(&e))?;
        let meta = f.metadata().map_err(|e| cannot(&e))?;
        if meta.is_dir() {
            return Err(cannot(&"it is a directory, not a file of requests"));
        }
        Ok(Input {
            reader: Box::new(std::io::BufReader::with_capacity(1 << 16, f)),
            base: file.parent().map(Path::to_path_buf),
            name,
        })
    }
}

/// A read error ends the batch: it is the input's problem, not a line's.
fn read_error(name: &str, after: u64, e: &std::io::Error) -> Error {
    Error::Input(InputError::new(format!(
        "batch {name}: cannot read after line {after}: {e}"
    )))
}

/// The error for a line over [`MAX_LINE_BYTES`].
fn too_long(bytes: u64) -> InputError {
    InputError::new(format!(
        "line longer than {} MiB ({bytes} bytes): skipped",
        MAX_LINE_BYTES >> 20
    ))
}

/// A line's text: UTF-8, not blank.
fn text(bytes: &[u8]) -> Result<&str, InputError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (_, col) = not_utf8_at(bytes, &e);
        InputError::new(format!("not UTF-8 text (column {col})"))
    })?;
    if text.trim().is_empty() {
        return Err(InputError::new("empty line"));
    }
    Ok(text)
}

/// JSON Lines: each line one request object.
fn jsonl<R: BufRead, W: Write>(
    lines: &mut Lines<R>,
    sink: &mut Sink<W>,
    name: &str,
) -> Result<(), Error> {
    loop {
        let after = lines.number();
        let Some((n, line)) = lines.next_line().map_err(|e| read_error(name, after, &e))? else {
            return Ok(());
        };
        let value = match line {
            Line::TooLong(bytes) => Err(too_long(bytes)),
            Line::Bytes(bytes) => text(bytes).and_then(json_line),
        };
        sink.line(n, value)?;
    }
}

/// One JSON Lines request; a key given twice is refused.
fn json_line(text: &str) -> Result<serde_json::Value, InputError> {
    strict_json::parse(text).map_err(|e| {
        let message = if e.repeated {
            e.what()
        } else {
            format!("{} at column {}", e.what(), e.column)
        };
        match e.field {
            Some(field) => InputError::field(&field, message),
            None => InputError::new(message),
        }
    })
}

/// CSV: line 1 is the header of field names; each later line one request.
fn csv<R: BufRead, W: Write>(
    lines: &mut Lines<R>,
    sink: &mut Sink<W>,
    name: &str,
) -> Result<(), Error> {
    let header = match lines.next_line().map_err(|e| read_error(name, 0, &e))? {
        None => return Ok(()),
        Some((_, Line::TooLong(bytes))) => Err(too_long(bytes)),
        Some((_, Line::Bytes(bytes))) => std::str::from_utf8(bytes)
            .map_err(|_| InputError::new("not UTF-8 text"))
            .and_then(csv_header),
    };
    let header = header
        .and_then(|h| match sink.fields.unknown_column(&h) {
            None => Ok(h),
            Some(column) => Err(InputError::field(
                &shorten(column),
                format!(
                    "unknown column '{}' (columns are the request fields: the flags' names in snake_case, e.g. weight_kg)",
                    shorten(column)
                ),
            )),
        })
        .map_err(|e| InputError {
            message: format!("batch {name}:1: CSV header: {}", e.message),
            field: e.field,
        })?;
    loop {
        let after = lines.number();
        let Some((n, line)) = lines.next_line().map_err(|e| read_error(name, after, &e))? else {
            return Ok(());
        };
        let value = match line {
            Line::TooLong(bytes) => Err(too_long(bytes)),
            Line::Bytes(bytes) => text(bytes)
                .and_then(|t| csv_cells(t, header.len()))
                .map(|record| csv_row(&header, &record)),
        };
        sink.line(n, value)?;
    }
}

/// A batch error message: one line, never with the `error:` prefix that
/// stderr messages carry.
fn batch_message(text: &str) -> String {
    let mut message = one_line(text);
    while message
        .get(..6)
        .is_some_and(|p| p.eq_ignore_ascii_case("error:"))
    {
        message = message
            .get(6..)
            .unwrap_or_default()
            .trim_start()
            .to_string();
    }
    message
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
    base: Option<&'a Path>,
    records: Records<'a>,
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
                    self.base,
                    self.records,
                )
            });
        self.line.clear();
        let mut pending = None;
        let written = match result {
            Ok((Answer::Dose(doc), _, p)) => {
                pending = p;
                write_line(&mut self.line, &doc, &self.cache)
            }
            Ok((Answer::Growth(doc), _, _)) => write_growth_line(&mut self.line, &doc, &self.cache),
            Err(e) => {
                self.failed = true;
                let message = batch_message(&e.to_string());
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
        self.out.write_all(&self.line).map_err(Error::Output)?;
        // A line's visit is appended only once its answer is out (written
        // and flushed): an answer lost (a reader gone, a full disk) leaves
        // the record as it was, and the batch ends there.
        if let Some(pending) = pending {
            self.out.flush().map_err(Error::Output)?;
            pending.commit()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
