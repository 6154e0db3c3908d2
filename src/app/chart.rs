//! `record show`, `record check` and `chart`: a record read (not locked,
//! never written), shown as a table or JSON lines, checked, or drawn as SVG.

use super::load::{self, Sources};
use super::record::{cut_short, read_only};
use super::terminal::Terminal;
use super::{Printer, written};
use crate::chart::Parents;
use crate::cli::{ChartCommand, TopArgs};
use crate::error::{Error, ExitCode, InputError};
use crate::record::RECORD_VERSION;
use crate::report::RecordCheckDocument;
use crate::report::{self, human};
use std::io::{Read, Write};
use std::path::Path;

/// `record show`: a table, or the visit lines as JSON Lines.
/// A record whose last line is cut short also gives that problem (exit 3,
/// after the whole lines are printed).
pub(super) fn record_show(file: &Path, p: Printer) -> Result<(String, Option<Error>), Error> {
    let (name, course) = read_only(file)?;
    let cut = course
        .incomplete
        .map(|line| cut_short(&name, line, "remove it; the lines before it are whole"));
    if p.human {
        return Ok((human::render_course(&name, &course), cut));
    }
    // Every line in order: visits, those entered in error, corrections;
    // ordered by reference, each written once straight into the output.
    enum Shown<'a> {
        Visit(&'a crate::record::VisitLine),
        Void(&'a crate::record::Void),
    }
    let mut all: Vec<(usize, Shown)> = Vec::with_capacity(course.whole);
    for l in &course.lines {
        all.push((l.number, Shown::Visit(&l.visit)));
    }
    for v in &course.voided {
        all.push((v.line.number, Shown::Visit(&v.line.visit)));
        all.push((v.by, Shown::Void(&v.void)));
    }
    all.sort_by_key(|(n, _)| *n);
    let mut out = Vec::new();
    for (_, line) in all {
        match line {
            Shown::Visit(v) => serde_json::to_writer(&mut out, v),
            Shown::Void(v) => serde_json::to_writer(&mut out, v),
        }
        .map_err(|e| Error::Internal(format!("cannot serialize a visit: {e}")))?;
        out.push(b'\n');
    }
    let out = String::from_utf8(out)
        .map_err(|e| Error::Internal(format!("cannot serialize a visit: {e}")))?;
    Ok((out, cut))
}

/// A record to draw: every line whole.
pub(crate) fn whole(file: &Path) -> Result<crate::record::Course, Error> {
    let (name, course) = read_only(file)?;
    match course.incomplete {
        Some(line) => Err(cut_short(
            &name,
            line,
            "remove it; the lines before it are whole",
        )),
        None => Ok(course),
    }
}

/// `record check`: valid, or the first problem as `file:line:col` (exit 3).
pub(super) fn record_check(file: &Path, p: Printer) -> Result<String, Error> {
    let (name, course) = read_only(file)?;
    if let Some(line) = course.incomplete {
        return Err(cut_short(
            &name,
            line,
            "remove it; the lines before it are whole",
        ));
    }
    let doc = RecordCheckDocument {
        header: report::Header::of("record check"),
        file: name,
        valid: true,
        record_version: RECORD_VERSION,
        visits: course.lines.len(),
        entered_in_error: course.voided.len(),
        patient: course.lines.first().map(|l| l.visit.patient),
        first: course.lines.first().map(|l| l.visit.date),
        last: course.last().map(|l| l.visit.date),
    };
    if p.human {
        Ok(human::render_record_check(&doc))
    } else {
        report::to_json(&doc).map_err(|e| Error::Internal(format!("cannot serialize output: {e}")))
    }
}

/// `chart growth|titration`: the SVG text.
pub(super) fn draw(c: &ChartCommand, top: &TopArgs, term: &Terminal) -> Result<String, Error> {
    let refuse = |e: crate::chart::ChartError| {
        Error::Input(InputError::field("record", format!("nothing to draw: {e}")))
    };
    match c {
        ChartCommand::Growth {
            file,
            father_height_cm,
            mother_height_cm,
            tables,
            label,
            ..
        } => {
            let label = checked_label(label.as_deref())?;
            let rules = load::load(&Sources::of(tables, top, term))?.rules;
            let course = whole(file)?;
            let parents = match (father_height_cm, mother_height_cm) {
                (Some(f), Some(m)) => Some(parents(*f, *m)?),
                _ => None,
            };
            crate::chart::growth_svg(&course, &rules, parents.as_ref(), label).map_err(refuse)
        }
        ChartCommand::Titration {
            file,
            tables,
            label,
            ..
        } => {
            let label = checked_label(label.as_deref())?;
            let rules = load::load(&Sources::of(tables, top, term))?.rules;
            let course = whole(file)?;
            crate::chart::titration_svg(&course, &rules, label).map_err(refuse)
        }
    }
}

/// A `--label` for a title: one line of at most
/// [`crate::chart::MAX_LABEL_CHARS`] characters (any text is escaped when drawn).
pub(crate) fn checked_label(label: Option<&str>) -> Result<Option<&str>, Error> {
    let Some(l) = label else { return Ok(None) };
    let n = l.chars().count();
    let why = if l.chars().any(char::is_control) {
        Some("holds a control character (a line break, a tab)".to_string())
    } else if n > crate::chart::MAX_LABEL_CHARS {
        Some(format!(
            "is {n} characters long; at most {} are allowed",
            crate::chart::MAX_LABEL_CHARS
        ))
    } else {
        None
    };
    match why {
        Some(why) => Err(Error::Input(InputError::field(
            "--label",
            format!("--label {why}"),
        ))),
        None => Ok(Some(l)),
    }
}

/// Parents' heights, refused as the `growth` command refuses them.
pub(crate) fn parents(father: f64, mother: f64) -> Result<Parents, Error> {
    for (flag, cm) in [
        ("--father-height-cm", father),
        ("--mother-height-cm", mother),
    ] {
        crate::growth::parent_height(cm)
            .map_err(|e| Error::Input(InputError::field(flag, format!("{flag} refused: {e}"))))?;
    }
    Ok(Parents {
        father_cm: father,
        mother_cm: mother,
    })
}

/// Writes the SVG to stdout for `-`, or to its file: a new file, or one
/// that is already a chart gh-dose wrote (any other file only with
/// `--force`, never the record drawn), written beside it and renamed.
pub(super) fn write_svg(
    c: &ChartCommand,
    svg: &str,
    out: &mut dyn Write,
) -> Result<ExitCode, Error> {
    let (ChartCommand::Growth {
        out: path,
        force,
        file,
        ..
    }
    | ChartCommand::Titration {
        out: path,
        force,
        file,
        ..
    }) = c;
    write_output(&Output::CHART, path, file, *force, svg, out)
}

/// What a command writes with `-o`: the mark its files begin with and its
/// name in messages.
pub(crate) struct Output {
    pub(crate) mark: &'static str,
    pub(crate) noun: &'static str,
}

impl Output {
    pub(super) const CHART: Output = Output {
        mark: crate::chart::SVG_MARK,
        noun: "chart",
    };
    pub(super) const SUMMARY: Output = Output {
        mark: crate::chart::SUMMARY_MARK,
        noun: "visit summary",
    };
}

/// Writes `text` to stdout for `-`, or to `path`: a new file, or one that
/// begins with the output's mark (any other regular file only with
/// `force`, never the record), written beside it and renamed.
pub(crate) fn write_output(
    what: &Output,
    path: &Path,
    record: &Path,
    force: bool,
    text: &str,
    out: &mut dyn Write,
) -> Result<ExitCode, Error> {
    if path.as_os_str() == "-" {
        return written(
            out.write_all(text.as_bytes()).and_then(|()| out.flush()),
            ExitCode::Success,
        );
    }
    may_replace(what, path, record, force)?;
    let name = path.display().to_string();
    let fail = |e: std::io::Error| Error::FileWrite {
        path: name.clone(),
        message: format!("cannot write the {}: {e}", what.noun),
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let base = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{base}.{}.partial", std::process::id()));
    let result = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(ExitCode::Success)
}

/// `-o FILE` may be written: it does not exist, or it is a regular file
/// holding what gh-dose wrote there before; with `--force` any regular file
/// but the record.
fn may_replace(what: &Output, path: &Path, record: &Path, force: bool) -> Result<(), Error> {
    let refuse = |why: &str| {
        Err(Error::Input(InputError::field(
            "--output",
            format!("--output {}: {why}", path.display()),
        )))
    };
    let noun = what.noun;
    let meta = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return refuse(&format!("cannot look at it: {e}")),
        Ok(m) => m,
    };
    if !meta.file_type().is_file() {
        return refuse(&format!(
            "is not a regular file: a {noun} is written to a new file or over a {noun}"
        ));
    }
    if same_file(path, record) {
        let verb = if noun == "chart" {
            "drawn"
        } else {
            "summarised"
        };
        return refuse(&format!(
            "is the record being {verb}: a {noun} never replaces a record"
        ));
    }
    let mut head = vec![0u8; what.mark.len()];
    let ours = std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && head == what.mark.as_bytes();
    if ours || force {
        return Ok(());
    }
    refuse(&format!(
        "exists and is not a {noun} gh-dose wrote: give a new file name, or --force to replace it"
    ))
}

/// Whether two paths name one file.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        std::fs::canonicalize(a).ok() == std::fs::canonicalize(b).ok()
    }
}
