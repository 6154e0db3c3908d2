//! One `start` or `titrate` request, from flags or JSON, to a document and
//! its exit code; shared by the single commands and batch.

use super::load;
use super::record::{self, Records};
use super::visit;
use crate::cli::growth::{GrowthArgs, ReferenceArg};
use crate::cli::json_input::Request;
use crate::cli::{StartArgs, TitrateArgs};
use crate::dosing::History;
use crate::dosing::measure::{ReferenceChoice, measure};
use crate::dosing::{self, Route};
use crate::error::{Error, ExitCode, InputError};
use crate::record::{Prior, Provenance};
use crate::report::Document;
use crate::report::growth::GrowthDocument;
use crate::rules::RuleSet;
use chrono::NaiveDate;
use std::borrow::Cow;
use std::path::Path;

/// Runs a start request; with a record, appends the visit to it.
pub fn start(
    args: &StartArgs,
    as_of: NaiveDate,
    rules: &RuleSet,
    route: Route,
    records: Records,
) -> Result<(Document, ExitCode), Error> {
    let (mut rec, args) = match &args.record {
        None => (None, Cow::Borrowed(args)),
        Some(named) => {
            let rec = record::open(&records.resolve(named)?)?;
            rec.writable()?;
            let p = &args.patient;
            let first = rec.course.lines.first();
            let who = visit::identity(
                p.sex,
                p.birth_date,
                p.age_years.is_some(),
                first.map(|l| (l.visit.patient, l.number)),
                route,
            )?;
            visit::in_order(as_of, last_visit(&rec), route)?;
            // The record's identity, when the request left it out.
            let mut args = args.clone();
            args.patient.sex = Some(who.sex);
            args.patient.birth_date = Some(who.birth_date);
            (Some(rec), Cow::Owned(args))
        }
    };
    let outcome = dosing::start(&args.to_request(as_of), rules)
        .map_err(|e| InputError::request(&e, route))?;
    let code = exit_code(outcome.stopped());
    let doc = Document::new("start", as_of, rules, outcome);
    if let Some(rec) = rec.as_mut() {
        append(rec, &doc, &Provenance::default())?;
    }
    Ok((doc, code))
}

fn last_visit(rec: &record::Opened) -> Option<(NaiveDate, usize)> {
    rec.course.last().map(|l| (l.visit.date, l.number))
}

fn append(rec: &mut record::Opened, doc: &Document, how: &Provenance) -> Result<(), Error> {
    let visit = crate::report::record::visit(doc, how).ok_or_else(|| {
        Error::Internal("a visit with a record lost the patient's identity".to_string())
    })?;
    rec.append(&visit)
}

/// Runs a titrate request. With a record: reads it first (the values the
/// request leaves out), then appends the visit.
pub fn titrate(
    args: &TitrateArgs,
    as_of: NaiveDate,
    rules: &RuleSet,
    route: Route,
    base: Option<&Path>,
    records: Records,
) -> Result<(Document, ExitCode), Error> {
    let Some(named) = &args.record else {
        return decide(args, as_of, rules, route, base, None);
    };
    let mut rec = record::open(&records.resolve(named)?)?;
    rec.writable()?;
    let shortest = rules.plausibility.min_velocity_interval_years;
    let filled = match Prior::of(&rec.course, as_of, shortest) {
        Some(prior) => visit::fill(args, &prior, route)?,
        None => visit::Filled {
            args: args.clone(),
            history: History {
                notes: vec![format!(
                    "the visit record {} has no visit yet: this is its first",
                    rec.name
                )],
                reduction: None,
            },
            how: Provenance::default(),
        },
    };
    if filled.args.indication.is_none() {
        let e = dosing::Error::says(
            dosing::Field::Indication,
            "is required: the visit record has no visit yet",
        );
        return Err(InputError::request(&e, route).into());
    }
    let p = &filled.args.patient;
    let first = rec.course.lines.first();
    visit::identity(
        p.sex,
        p.birth_date,
        p.age_years.is_some(),
        first.map(|l| (l.visit.patient, l.number)),
        route,
    )?;
    visit::in_order(as_of, last_visit(&rec), route)?;
    let visit::Filled {
        mut args,
        mut history,
        mut how,
    } = filled;
    let (doc, code) = match decide(&args, as_of, rules, route, base, Some(history.clone())) {
        // The record's pen cannot give the new dose on the side the decision
        // needs: the pen is chosen again, and the rationale says so.
        Err(e)
            if e.field() == Some(&dosing::Field::Device.spelled(route))
                && how.from_record.iter().any(|f| f == "device") =>
        {
            let pen = args.product.device.take().unwrap_or_default();
            how.from_record.retain(|f| f != "device");
            history.notes.push(format!(
                "the record's device {pen} cannot give the new dose on the side the decision needs: the device is chosen again"
            ));
            decide(&args, as_of, rules, route, base, Some(history))?
        }
        other => other?,
    };
    append(&mut rec, &doc, &how)?;
    Ok((doc, code))
}

/// One titration (reading its LMS reference, if any). A relative reference
/// path is taken from `base` when given (a batch file's directory), else
/// from the current directory.
fn decide(
    args: &TitrateArgs,
    as_of: NaiveDate,
    rules: &RuleSet,
    route: Route,
    base: Option<&Path>,
    history: Option<History>,
) -> Result<(Document, ExitCode), Error> {
    let lms = match &args.igf1.igf1_reference {
        None => None,
        Some(path) => {
            let path = match base {
                Some(dir) if path.is_relative() => Cow::Owned(dir.join(path)),
                _ => Cow::Borrowed(path.as_path()),
            };
            Some(load::lms(&path, rules)?)
        }
    };
    let mut req = args
        .to_request(as_of, lms)
        .map_err(|e| InputError::request(&e, route))?;
    req.history = history;
    let outcome = dosing::titrate(&req, rules).map_err(|e| InputError::request(&e, route))?;
    let code = exit_code(outcome.stopped());
    Ok((Document::new("titrate", as_of, rules, outcome), code))
}

/// What a request gives: a dosing document or a growth one.
pub enum Answer {
    Dose(Box<Document>),
    Growth(Box<GrowthDocument>),
}

/// Runs a request read from JSON; `base` as for [`decide`].
pub fn request(
    r: &Request,
    as_of: NaiveDate,
    rules: &RuleSet,
    base: Option<&Path>,
    records: Records,
) -> Result<(Answer, ExitCode), Error> {
    let dose = |(d, code)| (Answer::Dose(Box::new(d)), code);
    match r {
        Request::Start(a) => start(a, as_of, rules, Route::Json, records).map(dose),
        Request::Titrate(a) => titrate(a, as_of, rules, Route::Json, base, records).map(dose),
        Request::Growth(a) => growth(a, as_of, rules, Route::Json, base)
            .map(|d| (Answer::Growth(Box::new(d)), ExitCode::Success)),
    }
}

/// Runs a growth request (reading its reference file, if any; a relative
/// path from `base`).
pub fn growth(
    args: &GrowthArgs,
    as_of: NaiveDate,
    rules: &RuleSet,
    route: Route,
    base: Option<&Path>,
) -> Result<GrowthDocument, Error> {
    let file = match args.reference_arg() {
        Some(ReferenceArg::File(path)) => {
            let path = match base {
                Some(dir) if path.is_relative() => dir.join(path),
                _ => path,
            };
            Some(ReferenceChoice::File(load::growth_reference(&path)?))
        }
        _ => None,
    };
    let outcome = measure(&args.to_request(as_of, file), rules)
        .map_err(|e| InputError::request(&e, route))?;
    Ok(GrowthDocument::new(as_of, rules, outcome))
}

fn exit_code(stopped: bool) -> ExitCode {
    if stopped {
        ExitCode::Withheld
    } else {
        ExitCode::Success
    }
}
