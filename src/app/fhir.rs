//! `--fhir FILE|-` and `--format fhir`: the FHIR input read as a file
//! (size limit, UTF-8, no key given twice), mapped onto the typed request
//! by `crate::fhir`, and the documents written as one FHIR R4 Bundle.

use super::dose::typed;
use super::input;
use crate::cli::{StartArgs, TitrateArgs};
use crate::dosing::{self, Route};
use crate::error::{Error, ExitCode, InputError};
use crate::fhir::{self, Applied, Chart, Tables};
use crate::record::without_record;
use crate::report::{Document, GrowthDocument, RulesInfo};
use crate::rules::RuleSet;
use crate::strict_json;
use chrono::NaiveDate;
use std::path::Path;

/// The largest FHIR input read: a chart's Bundle is larger than a request.
const MAX_FHIR_BYTES: usize = 16 << 20;

/// Reads and parses the FHIR input, then reads the chart out of it.
fn chart(path: &Path, as_of: NaiveDate) -> Result<Chart, Error> {
    let (name, text) = super::commands::json_text(path, "--fhir", MAX_FHIR_BYTES, "")?;
    let value = strict_json::parse(&text).map_err(|e| {
        input(format!(
            "--fhir {name}:{}:{}: {}",
            e.line,
            e.column,
            e.what()
        ))
    })?;
    fhir::read(&value, as_of).map_err(|e| input(format!("--fhir {name}: {e}")))
}

/// A core error spelled for the FHIR route: the fields the chart filled as
/// their FHIR paths, the others as their flags.
fn refused(e: &dosing::Error, applied: &Applied) -> Error {
    Error::Input(InputError::new(applied.render(e)))
}

fn exit_code(stopped: bool) -> ExitCode {
    if stopped {
        ExitCode::Withheld
    } else {
        ExitCode::Success
    }
}

/// `start --fhir`: the flags' request filled from the chart.
pub(super) fn start(
    args: &StartArgs,
    path: &Path,
    as_of: NaiveDate,
    rules: &RuleSet,
) -> Result<(Document, ExitCode), Error> {
    let chart = chart(path, as_of)?;
    let mut req = args.to_request(as_of);
    let applied = fhir::apply_start(&chart, &mut req).map_err(|e| input(e.to_string()))?;
    without_record(&req.subject.patient, Route::Flags)
        .map_err(|e| InputError::request(&e, Route::Flags))?;
    let mut outcome = dosing::start(&req, rules).map_err(|e| refused(&e, &applied))?;
    outcome.rationale.extend(applied.notes);
    let code = exit_code(outcome.stopped());
    Ok((Document::new("start", as_of, rules, outcome), code))
}

/// `titrate --fhir`: the flags' request filled from the chart.
pub(super) fn titrate(
    args: &TitrateArgs,
    path: &Path,
    as_of: NaiveDate,
    rules: &RuleSet,
) -> Result<(Document, ExitCode), Error> {
    let chart = chart(path, as_of)?;
    let mut req = typed(args, as_of, rules, Route::Flags, None)?;
    let applied = fhir::apply_titrate(&chart, &mut req, rules).map_err(|e| input(e.to_string()))?;
    without_record(&req.subject.patient, Route::Flags)
        .map_err(|e| InputError::request(&e, Route::Flags))?;
    let mut outcome = dosing::titrate(&req, rules).map_err(|e| refused(&e, &applied))?;
    outcome.rationale.extend(applied.notes);
    let code = exit_code(outcome.stopped());
    Ok((Document::new("titrate", as_of, rules, outcome), code))
}

fn tables(r: &RulesInfo) -> Tables {
    Tables {
        rules_source: r.source.clone(),
        rules_version: r.version.clone(),
        rules_sha256: r.sha256.clone(),
        products: r
            .products
            .as_ref()
            .map(|p| (p.source.clone(), p.version.clone(), p.sha256.clone())),
    }
}

fn text(bundle: &serde_json::Value) -> Result<String, Error> {
    serde_json::to_string_pretty(bundle)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| Error::Internal(format!("cannot serialize the FHIR Bundle: {e}")))
}

/// A start or titrate document as one FHIR R4 Bundle.
pub(super) fn render_dose(d: &Document) -> Result<String, Error> {
    let tables = tables(&d.head.rules);
    let decision = fhir::Decision {
        command: d.head.header.command,
        as_of: d.head.as_of,
        tables: &tables,
        patient: &d.patient,
        indication: &d.indication,
        product: d.product.as_ref(),
        recommendation: &d.recommendation,
        flags: &d.flags,
        rationale: &d.rationale,
        sources: &d.sources,
        patient_reference: None,
    };
    text(&fhir::decision_bundle(&decision).map_err(Error::Internal)?)
}

/// A growth document as one FHIR R4 Bundle.
pub(super) fn render_growth(g: &GrowthDocument) -> Result<String, Error> {
    let tables = tables(&g.head.rules);
    let assessment = fhir::Assessment {
        as_of: g.head.as_of,
        tables: &tables,
        sex: g.patient.sex,
        birth_date: g.patient.birth_date,
        previous_height_cm: g.patient.previous_height_cm,
        previous_height_date: g.patient.previous_height_date,
        growth: &g.growth,
        flags: &g.flags,
        sources: &g.sources,
        patient_reference: None,
    };
    text(&fhir::growth_bundle(&assessment).map_err(Error::Internal)?)
}
