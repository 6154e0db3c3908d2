//! The commands: dosing (from flags or `--input`), listings, rule files,
//! and clap's own errors.

use super::dose::Answer;
use super::lines::{MAX_LINE_BYTES, not_utf8_at, read_limited, without_bom};
use super::load::{self, Sources};
use super::record::{Pending, Records};
use super::terminal::Terminal;
use super::{Printer, dose, input, one_line, report_error, today, written};
use crate::cli::{Fields, GrowthArgs, JsonRequest};
use crate::cli::{ListArgs, StartArgs, Table, TableArgs, TitrateArgs, TopArgs};
use crate::dosing::Route;
use crate::error::{Error, ExitCode, InputError};
use crate::report::{self, IndicationsDocument, ProductsDocument, RulesCheckDocument, human};
use crate::strict_json;
use crate::units::{CM_PER_IN, KG_PER_LB};
use std::io::Write;
use std::path::Path;

fn json<T: serde::Serialize>(doc: &T) -> Result<String, Error> {
    report::to_json(doc).map_err(|e| Error::Internal(format!("cannot serialize output: {e}")))
}

fn render(answer: &Answer, p: Printer) -> Result<String, Error> {
    if p.fhir {
        return match answer {
            Answer::Dose(d) => super::fhir::render_dose(d),
            Answer::Growth(g) => super::fhir::render_growth(g),
        };
    }
    match (answer, p.human) {
        (Answer::Dose(d), true) if p.brief => Ok(human::render_brief(d)),
        (Answer::Dose(d), true) => Ok(human::wrap(&human::render_document(d), p.width)),
        (Answer::Dose(d), false) => json(d),
        (Answer::Growth(g), true) => Ok(human::wrap(&human::render_growth(g), p.width)),
        (Answer::Growth(g), false) => json(g),
    }
}

/// A dosing command's text, its code, and the record line to append once
/// the text is written.
pub(super) type Dosing = (String, ExitCode, Option<Pending>);

/// `start`: from the flags, or the whole request from `--input`.
pub(super) fn start(
    a: &StartArgs,
    top: &TopArgs,
    term: &Terminal,
    p: Printer,
) -> Result<Dosing, Error> {
    let rules = load::load(&Sources::of(&a.tables, top, term))?.rules;
    let as_of = a.as_of.or(top.as_of).unwrap_or_else(today);
    let (answer, code, pending) = match &a.input {
        Some(path) => {
            let r = json_request(path, "start")?;
            dose::request(
                &r.request,
                r.as_of.unwrap_or(as_of),
                &rules,
                None,
                Records::FromInput,
            )?
        }
        None => match &a.fhir {
            Some(path) => super::fhir::start(a, path, as_of, &rules)
                .map(|(d, code)| (Answer::Dose(Box::new(d)), code, None))?,
            None => dose::start(a, as_of, &rules, Route::Flags, Records::AsGiven)
                .map(|(d, code, pending)| (Answer::Dose(Box::new(d)), code, pending))?,
        },
    };
    Ok((render(&answer, p)?, code, pending))
}

/// `titrate`: from the flags, or the whole request from `--input`.
pub(super) fn titrate(
    a: &TitrateArgs,
    top: &TopArgs,
    term: &Terminal,
    p: Printer,
) -> Result<Dosing, Error> {
    let rules = load::load(&Sources::of(&a.tables, top, term))?.rules;
    let as_of = a.as_of.or(top.as_of).unwrap_or_else(today);
    let (answer, code, pending) = match &a.input {
        Some(path) => {
            let r = json_request(path, "titrate")?;
            dose::request(
                &r.request,
                r.as_of.unwrap_or(as_of),
                &rules,
                None,
                Records::FromInput,
            )?
        }
        None => match &a.fhir {
            Some(path) => super::fhir::titrate(a, path, as_of, &rules)
                .map(|(d, code)| (Answer::Dose(Box::new(d)), code, None))?,
            None => dose::titrate(a, as_of, &rules, Route::Flags, None, Records::AsGiven)
                .map(|(d, code, pending)| (Answer::Dose(Box::new(d)), code, pending))?,
        },
    };
    Ok((render(&answer, p)?, code, pending))
}

/// `growth`: measurements scored on growth references.
pub(super) fn growth(
    a: &GrowthArgs,
    top: &TopArgs,
    term: &Terminal,
    p: Printer,
) -> Result<String, Error> {
    let rules = load::load(&Sources::of(&a.tables, top, term))?.rules;
    let as_of = a.as_of.or(top.as_of).unwrap_or_else(today);
    let doc = dose::growth(a, as_of, &rules, Route::Flags, None)?;
    render(&Answer::Growth(Box::new(doc)), p)
}

/// `indications`.
pub(super) fn indications(
    a: &ListArgs,
    top: &TopArgs,
    term: &Terminal,
    p: Printer,
) -> Result<String, Error> {
    let rules = load::load(&Sources::of(&a.tables, top, term))?.rules;
    let doc = IndicationsDocument::new(&rules);
    if p.human {
        Ok(human::render_indications(&doc))
    } else {
        json(&doc)
    }
}

/// `products`.
pub(super) fn products(
    a: &ListArgs,
    top: &TopArgs,
    term: &Terminal,
    p: Printer,
) -> Result<String, Error> {
    let rules = load::load(&Sources::of(&a.tables, top, term))?.rules;
    let doc = ProductsDocument::new(&rules);
    if p.human {
        Ok(human::render_products(&doc))
    } else {
        json(&doc)
    }
}

/// `rules show`: the text of a table in use.
pub(super) fn rules_show(
    table: Table,
    t: &TableArgs,
    top: &TopArgs,
    term: &Terminal,
) -> Result<String, Error> {
    let loaded = load::load(&Sources::of(t, top, term))?;
    Ok(match table {
        Table::Indications => loaded.rules_text.into_owned(),
        Table::Products => loaded.products_text.into_owned(),
    })
}

/// `rules check FILE`: a product table is checked against the rules in use.
pub(super) fn rules_check(
    file: &Path,
    t: &TableArgs,
    top: &TopArgs,
    term: &Terminal,
    p: Printer,
) -> Result<String, Error> {
    let (text, name) = load::read(file)?;
    let checked = load::check(&text, &name, &Sources::of(t, top, term))?;
    let doc = RulesCheckDocument {
        header: report::Header::of("rules check"),
        file: name,
        kind: checked.kind,
        valid: true,
        name: checked.origin.name,
        version: checked.origin.version,
        sha256: checked.origin.sha256,
        ids: checked.ids,
        outside_label: checked.outside_label,
    };
    if p.human {
        Ok(human::render_rules_check(&doc))
    } else {
        json(&doc)
    }
}

/// The text of a JSON file given to `flag` (stdin for `-`): at most `max`
/// bytes, UTF-8 with a leading byte order mark dropped. Returns the name
/// the messages use and the text; problems are `FLAG NAME:LINE:COL: ...`.
pub(super) fn json_text(
    path: &Path,
    flag: &str,
    max: usize,
    too_large: &str,
) -> Result<(String, String), Error> {
    let stdin = path.as_os_str() == "-";
    let name = if stdin {
        "stdin".to_string()
    } else {
        path.display().to_string()
    };
    let read = if stdin {
        read_limited(std::io::stdin().lock(), max)
    } else {
        std::fs::File::open(path).and_then(|f| read_limited(f, max))
    };
    let bytes = read
        .map_err(|e| input(format!("{flag} {name}: cannot read: {e}")))?
        .ok_or_else(|| {
            input(format!(
                "{flag} {name}: larger than {} MiB{too_large}",
                max >> 20
            ))
        })?;
    let bytes = without_bom(&bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, col) = not_utf8_at(bytes, &e);
        input(format!("{flag} {name}:{line}:{col}: not UTF-8 text"))
    })?;
    Ok((name, text.to_string()))
}

/// Parses a one-request JSON file (or stdin for `-`) for `command`: at most
/// [`MAX_LINE_BYTES`], UTF-8 (a leading byte order mark is dropped), no key
/// given twice. Problems are reported as `--input FILE:LINE:COL: ...`.
fn json_request(path: &Path, command: &str) -> Result<JsonRequest, Error> {
    let (name, text) = json_text(
        path,
        "--input",
        MAX_LINE_BYTES,
        " (a request is one JSON object)",
    )?;
    let text = text.as_str();
    let value = strict_json::parse(text).map_err(|e| {
        let message = format!("--input {name}:{}:{}: {}", e.line, e.column, e.what());
        Error::Input(match e.field {
            Some(field) => InputError::field(&field, message),
            None => InputError::new(message),
        })
    })?;
    Ok(Fields::new().request(value, Some(command))?)
}

/// With `--input`, the request comes from the file alone: no request flags
/// beside it on the command line (output and table options are fine).
pub(super) fn input_alone(matches: &clap::ArgMatches) -> Result<(), Error> {
    let Some((name, sub)) = matches.subcommand() else {
        return Ok(());
    };
    if !matches!(name, "start" | "titrate") || sub.value_source("input").is_none() {
        return Ok(());
    }
    let allowed = [
        "format", "color", "brief", "as_of", "rules", "products", "input",
    ];
    let extra: Vec<String> = sub
        .ids()
        .map(|id| id.as_str())
        // Argument groups (the flattened structs) carry capitalised ids: skip them.
        .filter(|id| id.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter(|id| {
            !allowed.contains(id)
                && sub.value_source(id) == Some(clap::parser::ValueSource::CommandLine)
        })
        .map(|id| format!("--{}", id.replace('_', "-")))
        .collect();
    if extra.is_empty() {
        Ok(())
    } else {
        Err(input(format!(
            "--input holds the whole request; remove {} or put it in the file",
            extra.join(", ")
        )))
    }
}

/// The help of a command with the allowed range of each value, from the
/// rules in use (built-in or `GH_DOSE_RULES`); `None` if they cannot load.
pub(super) fn help_with_ranges(
    args: &[std::ffi::OsString],
    term: &Terminal,
) -> Option<clap::Error> {
    let none = TableArgs::default();
    let rules = load::load(&Sources::of(&none, &TopArgs::default(), term))
        .ok()?
        .rules;
    let l = &rules.limits;
    // Shown to 0.1, inward, so that every value shown is accepted.
    let up = |x: f64| (x * 10.0).ceil() / 10.0;
    let down = |x: f64| (x * 10.0).floor() / 10.0;
    let lb = |b: crate::rules::Bounds| {
        format!("{}-{} lb", up(b.min / KG_PER_LB), down(b.max / KG_PER_LB))
    };
    let inch = |b: crate::rules::Bounds| {
        format!("{}-{} in", up(b.min / CM_PER_IN), down(b.max / CM_PER_IN))
    };
    let span = |b: crate::rules::Bounds, unit: &str| format!("{}-{} {unit}", b.min, b.max);
    let sds = |b: crate::rules::Bounds| format!("{} to {}", b.min, b.max);
    let ng = span(l.igf1_ng_ml, "ng/mL");
    let dose = format!("above {} up to {} mg", l.dose_mg.min, l.dose_mg.max);
    let ranges: Vec<(&str, String)> = vec![
        ("weight_kg", span(l.weight_kg, "kg")),
        ("previous_weight_kg", span(l.weight_kg, "kg")),
        ("weight_lb", lb(l.weight_kg)),
        ("height_cm", span(l.height_cm, "cm")),
        ("previous_height_cm", span(l.height_cm, "cm")),
        ("height_in", inch(l.height_cm)),
        ("age_years", span(l.age_years, "years")),
        ("bmi", span(l.bmi, "kg/m2")),
        ("height_sds", sds(l.height_sds)),
        ("igf1_sds", sds(l.igf1_sds)),
        ("igf1", ng.clone()),
        ("igf1_ref_low", ng.clone()),
        ("igf1_ref_high", ng),
        ("igf1_ref_lambda", sds(l.igf1_lambda)),
        ("current_mg_per_day", dose.clone()),
        ("current_mg_per_week", dose),
    ];
    let cmd = crate::cli::with_ranges(crate::cli::command(), &ranges);
    cmd.try_get_matches_from(args).err()
}

/// A flag that lacks its unit names both choices, instead of clap's
/// suggestion of one of them (`--weight` is not steered to `--weight-lb`).
fn unit_choice(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue};
    let Some(ContextValue::String(arg)) = e.get(ContextKind::InvalidArg) else {
        return None;
    };
    let name = arg.split('=').next().unwrap_or(arg);
    let choices = match name {
        "--weight" => "--weight-kg or --weight-lb",
        "--height" => "--height-cm or --height-in",
        "--mg-per-kg" => "--mg-per-kg-week or --mg-per-kg-day",
        "--current-mg" | "--current-dose" | "--dose" => {
            "--current-mg-per-day or --current-mg-per-week"
        }
        "--age" => "--age-years or --birth-date",
        "--previous-weight" => "--previous-weight-kg",
        "--previous-height" => "--previous-height-cm",
        _ => return None,
    };
    Some(format!("error: {name} needs its unit: use {choices}"))
}

/// clap's own errors. Help and version are rendered to text and written like
/// any output (exit 0; 1 if they cannot be written). Usage errors go to `err`
/// with 2 as exactly one line: clap's message with its tips and possible
/// values folded in, without the usage block; a missing command names the
/// commands instead of printing the whole help.
pub(super) fn clap_error(
    e: &clap::Error,
    args: &[std::ffi::OsString],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitCode {
    use clap::error::ErrorKind;
    let rendered = e.render().to_string();
    let line = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let result = out
                .write_all(rendered.as_bytes())
                .and_then(|()| out.flush());
            return match written(result, ExitCode::Success) {
                Ok(code) => code,
                Err(e) => report_error(&e, err),
            };
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => missing_command(args),
        ErrorKind::UnknownArgument => unit_choice(e).unwrap_or_else(|| usage_line(&rendered)),
        _ => usage_line(&rendered),
    };
    let _ = writeln!(err, "{line}");
    ExitCode::Usage
}

/// clap's usage error on one line: the message, then its tips after `; ` and
/// its possible values after a space; the usage block and the pointer to
/// `--help` are left out.
fn usage_line(rendered: &str) -> String {
    let mut line = String::new();
    for l in rendered
        .lines()
        .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        if !line.is_empty() {
            line.push_str(if l.starts_with("tip:") { "; " } else { " " });
        }
        line.push_str(l);
    }
    let line = one_line(&line);
    if line.starts_with("error: ") {
        line
    } else {
        format!("error: {line}")
    }
}

/// `gh-dose` or `gh-dose rules` without its command: one line naming the
/// commands it takes.
fn missing_command(args: &[std::ffi::OsString]) -> String {
    let mut cmd = crate::cli::command();
    let mut path = vec![cmd.get_name().to_string()];
    for a in args.iter().skip(1).filter_map(|a| a.to_str()) {
        if let Some(sub) = cmd.find_subcommand(a).cloned() {
            path.push(sub.get_name().to_string());
            cmd = sub;
        }
    }
    let names: Vec<&str> = cmd
        .get_subcommands()
        .map(clap::Command::get_name)
        .filter(|n| *n != "help")
        .collect();
    let path = path.join(" ");
    format!(
        "error: {path} needs a command: {} (see '{path} --help')",
        names.join(", ")
    )
}

#[cfg(test)]
mod tests;
