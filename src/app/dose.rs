//! One `start` or `titrate` request, from flags or JSON, to a document and
//! its exit code; shared by the single commands and batch.

use super::load;
use super::record::{Pending, Records};
use super::recorded;
use crate::cli::{GrowthArgs, ReferenceArg, Request, StartArgs, TitrateArgs};
use crate::dosing::{self, Route};
use crate::dosing::{ReferenceChoice, measure};
use crate::dosing::{StartRequest, TitrateRequest};
use crate::error::{Error, ExitCode, InputError};
use crate::record::{Given, without_record};
use crate::report::Document;
use crate::report::GrowthDocument;
use crate::rules::RuleSet;
use chrono::NaiveDate;
use std::borrow::Cow;
use std::path::Path;

/// A dosing answer, and with a record the line to append once the answer
/// is written (`None` without a record, or for a visit already in it).
pub(super) type Dosed = (Document, ExitCode, Option<Pending>);

/// Runs a start request; with a record, the visit's line to append.
pub(super) fn start(
    args: &StartArgs,
    as_of: NaiveDate,
    rules: &RuleSet,
    route: Route,
    records: Records,
) -> Result<Dosed, Error> {
    let req = args.to_request(as_of);
    let plain = |req: &StartRequest| {
        let outcome = dosing::start(req, rules).map_err(|e| InputError::request(&e, route))?;
        let code = exit_code(outcome.stopped());
        Ok((outcome, code))
    };
    let (outcome, code, pending) = match &args.record {
        None => {
            without_record(&req.subject.patient, route)
                .map_err(|e| InputError::request(&e, route))?;
            plain(&req).map(|(o, code)| (o, code, None))?
        }
        Some(named) => {
            let target = records.resolve(named)?;
            recorded::start(&req, &target, super::today(), rules, route, &plain)?
        }
    };
    Ok((Document::new("start", as_of, rules, outcome), code, pending))
}

/// Runs a titrate request. With a record: reads it first (the values the
/// request leaves out); the visit's line to append comes back with it.
pub(super) fn titrate(
    args: &TitrateArgs,
    as_of: NaiveDate,
    rules: &RuleSet,
    route: Route,
    base: Option<&Path>,
    records: Records,
) -> Result<Dosed, Error> {
    let request = || typed(args, as_of, rules, route, base);
    let decide = |req: &TitrateRequest| {
        let outcome = dosing::titrate(req, rules).map_err(|e| InputError::request(&e, route))?;
        let code = exit_code(outcome.stopped());
        Ok((outcome, code))
    };
    let (outcome, code, pending) = match &args.record {
        None => {
            let req = request()?;
            without_record(&req.subject.patient, route)
                .map_err(|e| InputError::request(&e, route))?;
            decide(&req).map(|(o, code)| (o, code, None))?
        }
        Some(named) => {
            let target = records.resolve(named)?;
            let asked = recorded::Asked {
                typed: &request,
                given: Given {
                    indication: args.indication.is_some(),
                    region: args.product.region.is_some(),
                },
                file: named.display().to_string(),
            };
            let env = recorded::Env {
                rules,
                route,
                today: super::today(),
            };
            recorded::titrate(&asked, &target, as_of, env, &decide)?
        }
    };
    Ok((
        Document::new("titrate", as_of, rules, outcome),
        code,
        pending,
    ))
}

/// A titration's typed request (reading its LMS reference, if any). A
/// relative reference path is taken from `base` when given (a batch file's
/// directory), else from the current directory.
pub(super) fn typed(
    args: &TitrateArgs,
    as_of: NaiveDate,
    rules: &RuleSet,
    route: Route,
    base: Option<&Path>,
) -> Result<TitrateRequest, Error> {
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
    args.to_request(as_of, lms)
        .map_err(|e| Error::Input(InputError::request(&e, route)))
}

/// What a request gives: a dosing document or a growth one.
pub(super) enum Answer {
    Dose(Box<Document>),
    Growth(Box<GrowthDocument>),
}

/// Runs a request read from JSON; `base` as for [`typed`].
pub(super) fn request(
    r: &Request,
    as_of: NaiveDate,
    rules: &RuleSet,
    base: Option<&Path>,
    records: Records,
) -> Result<(Answer, ExitCode, Option<Pending>), Error> {
    let dose = |(d, code, pending)| (Answer::Dose(Box::new(d)), code, pending);
    match r {
        Request::Start(a) => start(a, as_of, rules, Route::Json, records).map(dose),
        Request::Titrate(a) => titrate(a, as_of, rules, Route::Json, base, records).map(dose),
        Request::Growth(a) => growth(a, as_of, rules, Route::Json, base)
            .map(|d| (Answer::Growth(Box::new(d)), ExitCode::Success, None)),
    }
}

/// Runs a growth request (reading its reference file, if any; a relative
/// path from `base`).
pub(super) fn growth(
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
