//! `record show`, `record check` and `chart`: a record read (not locked,
//! never written), shown as a table or JSON lines, checked, or drawn as SVG.

use super::load::{self, Sources};
use super::record::{cut_short, read_only};
use super::terminal::Terminal;
use super::{Printer, written};
use crate::chart::{Band, Parents};
use crate::cli::{ChartCommand, TopArgs};
use crate::error::{Error, ExitCode, InputError};
use crate::record::RECORD_VERSION;
use crate::report::record::RecordCheckDocument;
use crate::report::{self, human};
use crate::rules::RuleSet;
use crate::vocab::Population;
use std::io::Write;
use std::path::Path;

/// `record show`: a table, or the visit lines as JSON Lines.
/// A record whose last line is cut short also gives that problem (exit 3,
/// after the whole lines are printed).
pub fn record_show(file: &Path, p: Printer) -> Result<(String, Option<Error>), Error> {
    let (name, course) = read_only(file)?;
    let cut = course
        .incomplete
        .map(|line| cut_short(&name, line, "remove it; the lines before it are whole"));
    if p.human {
        return Ok((human::render_course(&name, &course), cut));
    }
    let mut out = String::new();
    for l in &course.lines {
        let line = serde_json::to_string(&l.visit)
            .map_err(|e| Error::Internal(format!("cannot serialize a visit: {e}")))?;
        out.push_str(&line);
        out.push('\n');
    }
    Ok((out, cut))
}

/// A record to draw: every line whole.
fn whole(file: &Path) -> Result<crate::record::Course, Error> {
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
pub fn record_check(file: &Path, p: Printer) -> Result<String, Error> {
    let (name, course) = read_only(file)?;
    if let Some(line) = course.incomplete {
        return Err(cut_short(
            &name,
            line,
            "remove it; the lines before it are whole",
        ));
    }
    let doc = RecordCheckDocument {
        schema_version: report::SCHEMA_VERSION,
        gh_dose_version: report::VERSION,
        command: "record check",
        file: name,
        valid: true,
        record_version: RECORD_VERSION,
        visits: course.lines.len(),
        patient: course.lines.first().map(|l| l.visit.patient),
        first: course.lines.first().map(|l| l.visit.date),
        last: course.last().map(|l| l.visit.date),
    };
    if p.human {
        Ok(human::render_record_check(&doc))
    } else {
        report::json::to_json(&doc)
            .map_err(|e| Error::Internal(format!("cannot serialize output: {e}")))
    }
}

/// `chart growth|titration`: the SVG text.
pub fn draw(c: &ChartCommand, top: &TopArgs, term: &Terminal) -> Result<String, Error> {
    let refuse = |e: crate::chart::ChartError| {
        Error::Input(InputError::field("record", format!("nothing to draw: {e}")))
    };
    match c {
        ChartCommand::Growth {
            file,
            father_height_cm,
            mother_height_cm,
            tables,
            ..
        } => {
            let rules = load::load(&Sources::of(tables, top, term))?.rules;
            let course = whole(file)?;
            let parents = match (father_height_cm, mother_height_cm) {
                (Some(f), Some(m)) => Some(parents(*f, *m)?),
                _ => None,
            };
            crate::chart::growth_svg(&course, &rules, parents.as_ref()).map_err(refuse)
        }
        ChartCommand::Titration { file, tables, .. } => {
            let rules = load::load(&Sources::of(tables, top, term))?.rules;
            let course = whole(file)?;
            let ind = course.last().and_then(|l| {
                rules
                    .indications
                    .iter()
                    .find(|i| i.id == l.visit.indication)
            });
            crate::chart::titration_svg(&course, &rules, &band(ind.map(|i| i.population), &rules))
                .map_err(refuse)
        }
    }
}

/// Parents' heights, refused as the `growth` command refuses them.
fn parents(father: f64, mother: f64) -> Result<Parents, Error> {
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

/// The chart's band: the daily titration band of the population.
fn band(population: Option<Population>, rules: &RuleSet) -> Band {
    let population = population.unwrap_or(Population::Pediatric);
    let b = crate::dosing::daily_igf1_band(population, rules);
    Band {
        low_sds: b.low_sds,
        high_sds: b.high_sds,
        ceiling_sds: b.ceiling_sds,
        label: match population {
            Population::Adult => "adult daily titration target",
            Population::Pediatric => "pediatric titration: raise below, reduce above",
        }
        .to_string(),
    }
}

/// Writes the SVG to its file (replaced whole: written beside it, then
/// renamed) or to stdout for `-`.
pub fn write_svg(c: &ChartCommand, svg: &str, out: &mut dyn Write) -> Result<ExitCode, Error> {
    let (ChartCommand::Growth { out: path, .. } | ChartCommand::Titration { out: path, .. }) = c;
    if path.as_os_str() == "-" {
        return written(
            out.write_all(svg.as_bytes()).and_then(|()| out.flush()),
            ExitCode::Success,
        );
    }
    let name = path.display().to_string();
    let tmp = path.with_extension("svg.partial");
    let fail = |e: std::io::Error| Error::FileWrite {
        path: name.clone(),
        message: format!("cannot write the chart: {e}"),
    };
    std::fs::write(&tmp, svg).map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })?;
    Ok(ExitCode::Success)
}
