//! `start` and `titrate` with a visit record: the record is opened and
//! locked, the typed request checked against it and filled from it (the
//! pure pieces of `crate::record`: identity and date order, what a start or
//! a titration takes, one decision per IGF-1 sample), the decision made by
//! the caller's function, and the visit's line (`record::line`, from the
//! outcome) handed back with the answer ([`Pending`]): the caller appends it
//! only once the answer is written. Nothing is appended when the decision
//! is refused, and no record file is ever removed. The same request run
//! again for a visit already in the record gives the recorded decision
//! again and appends nothing.

use super::record::{self, Missing, Pending, Target};
use crate::diagnostic::FileError;
use crate::dosing::{self, Field, History, Outcome, Route, StartRequest, TitrateRequest};
use crate::error::{Error, ExitCode, InputError};
use crate::record::{
    Course, Facts, Filled, Given, Identity, PatientFacts, Prior, Provenance, VisitLine, belongs,
    carry_facts, facts_of, fill, not_in_the_future, one_decision_per_sample, place_start, refusal,
    visit_line,
};
use crate::rules::RuleSet;
use chrono::NaiveDate;

/// What a decision returns.
type Decided = Result<(Outcome, ExitCode), Error>;

/// A decision with a record: the answer, and the line to append once the
/// answer is written (`None`: the visit is already in the record).
pub(super) type Recorded = Result<(Outcome, ExitCode, Option<Pending>), Error>;

/// A refused request, worded for its route.
fn input(route: Route) -> impl Fn(dosing::Error) -> Error {
    move |e| Error::Input(InputError::request(&e, route))
}

/// A decision made on a record: the outcome, its exit code, the patient's
/// identity and what came from the record.
struct Made {
    outcome: Outcome,
    code: ExitCode,
    identity: Identity,
    how: Provenance,
    /// The conditions and treatment facts after the visit.
    patient: PatientFacts,
}

impl Made {
    /// The line this decision appends.
    fn line(&self, command: &'static str, as_of: NaiveDate, rules: &RuleSet) -> VisitLine {
        let facts = Facts {
            date: as_of,
            command,
            identity: self.identity,
            how: &self.how,
            patient: &self.patient,
        };
        visit_line(&self.outcome, &facts, rules)
    }
}

/// The same request run again: the visit of line `n` is what it decides.
/// Said first in the rationale; nothing is appended.
fn again(
    mut outcome: Outcome,
    code: ExitCode,
    name: &str,
    n: usize,
) -> (Outcome, ExitCode, Option<Pending>) {
    outcome.rationale.insert(
        0,
        format!(
            "this visit is already in the record {name} (line {n}): the same request gives the recorded decision again; nothing was appended"
        ),
    );
    (outcome, code, None)
}

/// How many visits of the same day a request is compared with (each is a
/// decision made again): a day's visits of one patient are few.
const RERUN_CANDIDATES: usize = 8;

/// The visits of the record dated `as_of` by `command`, latest first: the
/// ones the same request run again would match (a batch run again may hold
/// a patient's earlier visits too); at most [`RERUN_CANDIDATES`].
fn same_day<'a>(
    course: &'a Course,
    as_of: NaiveDate,
    command: &'a str,
) -> impl Iterator<Item = usize> + 'a {
    course
        .lines
        .iter()
        .rev()
        .filter(move |l| l.visit.date == as_of && l.visit.command == command)
        .map(|l| l.number)
        .take(RERUN_CANDIDATES)
}

/// A start with a record: a first dose, a restart after a stop or withhold,
/// or a switch to another molecule; a patient on a dose is titrated instead.
pub(super) fn start(
    req: &StartRequest,
    target: &Target,
    today: NaiveDate,
    rules: &RuleSet,
    route: Route,
    decide: &dyn Fn(&StartRequest) -> Decided,
) -> Recorded {
    let as_of = req.subject.as_of;
    not_in_the_future(as_of, today).map_err(input(route))?;
    let rec = record::open(target, Missing::Create)?;
    rec.writable()?;
    let once = |course: &Course| -> Result<Made, Error> {
        let mut req = req.clone();
        let (identity, note, carried) =
            place_start(&mut req, course, &rec.name, rules, route).map_err(input(route))?;
        let (notes, how) = carried.named();
        let (mut outcome, code) = decide(&req)?;
        for (i, n) in note.into_iter().chain(notes).enumerate() {
            outcome.rationale.insert(i, n);
        }
        Ok(Made {
            outcome,
            code,
            identity,
            how,
            patient: facts_of(&req.subject.patient),
        })
    };
    for n in same_day(&rec.course, as_of, "start") {
        if let Ok(made) = once(&rec.course.before(n))
            && rec
                .course
                .lines
                .iter()
                .any(|l| l.number == n && made.line("start", as_of, rules) == l.visit)
        {
            return Ok(again(made.outcome, made.code, &rec.name, n));
        }
    }
    let made = once(&rec.course)?;
    let pending = rec.pending(&made.line("start", as_of, rules))?;
    Ok((made.outcome, made.code, Some(pending)))
}

/// What a titration on a record asks: the typed request (made once the
/// record is open: `typed`), what it cannot tell from its defaults, and the
/// record as the request named it.
pub(super) struct Asked<'a> {
    pub(crate) typed: &'a dyn Fn() -> Result<TitrateRequest, Error>,
    pub(crate) given: Given,
    pub(crate) file: String,
}

/// What every decision on a record is made with: the rule set, the route
/// its errors are spelled for, and today's date.
#[derive(Clone, Copy)]
pub(super) struct Env<'a> {
    pub(crate) rules: &'a RuleSet,
    pub(crate) route: Route,
    pub(crate) today: NaiveDate,
}

/// A titration with a record: filled from it, checked, decided; the line
/// handed back to append once the answer is written.
pub(super) fn titrate(
    asked: &Asked,
    target: &Target,
    as_of: NaiveDate,
    env: Env,
    decide: &dyn Fn(&TitrateRequest) -> Decided,
) -> Recorded {
    let Env {
        rules,
        route,
        today,
    } = env;
    not_in_the_future(as_of, today).map_err(input(route))?;
    let rec = record::open(target, Missing::Refuse)?;
    rec.writable()?;
    let req = (asked.typed)()?;
    let on = |course: &Course, check: bool| {
        let check = |r: &TitrateRequest| {
            if check {
                one_decision_per_sample(r, &rec.course, &rec.name, rules).map_err(input(route))
            } else {
                Ok(())
            }
        };
        titrate_on(&req, asked, course, &rec.name, env, &check, decide)
    };
    for n in same_day(&rec.course, as_of, "titrate") {
        if let Ok(made) = on(&rec.course.before(n), false)
            && rec
                .course
                .lines
                .iter()
                .any(|l| l.number == n && made.line("titrate", as_of, rules) == l.visit)
        {
            return Ok(again(made.outcome, made.code, &rec.name, n));
        }
    }
    let made = on(&rec.course, true)?;
    let pending = rec.pending(&made.line("titrate", as_of, rules))?;
    Ok((made.outcome, made.code, Some(pending)))
}

/// A titration decided on the visits of `course`; `check` sees the filled
/// request before the decision.
fn titrate_on(
    asked_req: &TitrateRequest,
    asked: &Asked,
    course: &Course,
    name: &str,
    env: Env,
    check: &dyn Fn(&TitrateRequest) -> Result<(), Error>,
    decide: &dyn Fn(&TitrateRequest) -> Decided,
) -> Result<Made, Error> {
    let Env { rules, route, .. } = env;
    let mut req = asked_req.clone();
    let as_of = req.subject.as_of;
    let shortest = rules.plausibility.min_velocity_interval_years;
    let Filled { history, mut how } = match Prior::of(course, as_of, shortest) {
        Some(prior) => {
            fill(&mut req, asked.given, &prior, &asked.file, route, rules).map_err(input(route))?
        }
        None if !asked.given.indication => {
            return Err(input(route)(refusal(
                Field::Indication,
                "is required: the visit record has no visit yet".to_string(),
            )));
        }
        None => {
            // Nothing to resolve on a record without a visit.
            carry_facts(&mut req.subject.patient, None, route).map_err(input(route))?;
            Filled {
                history: History {
                    notes: vec![format!(
                        "the visit record {name} has no visit yet: this is its first"
                    )],
                    reduction: None,
                    earlier: Vec::new(),
                    igf1_unanswered: None,
                },
                how: Provenance::default(),
            }
        }
    };
    let identity = belongs(&req.subject.patient, course, as_of).map_err(input(route))?;
    check(&req)?;
    req.history = Some(history);
    let device = Field::Device.spelled(route);
    let result = match decide(&req) {
        // The record's pen cannot give the new dose on the side the decision
        // needs: the pen is chosen again, and the rationale says so.
        Err(e)
            if e.field() == Some(&device) && how.from_record.iter().any(|(f, _)| f == "device") =>
        {
            let pen = req.subject.product.device.take().unwrap_or_default();
            how.from_record.retain(|(f, _)| f != "device");
            if let Some(h) = req.history.as_mut() {
                h.notes.push(format!(
                    "the record's device {pen} cannot give the new dose on the side the decision needs: the device is chosen again"
                ));
            }
            decide(&req)
        }
        other => other,
    };
    let (outcome, code) = result.map_err(|e| from_the_record(e, &how.from_record, name, route))?;
    Ok(Made {
        outcome,
        code,
        identity,
        how,
        patient: facts_of(&req.subject.patient),
    })
}

/// A value the core refuses that came from the record is the record's
/// problem: reported at its line (exit 3), not as a flag nobody typed.
fn from_the_record(e: Error, sources: &[(String, usize)], name: &str, route: Route) -> Error {
    let hit = sources.iter().find_map(|(name, line)| {
        let f = name.parse::<Field>().ok()?;
        (e.field() == Some(&f.spelled(route))).then_some((f, *line))
    });
    match hit {
        Some((f, line)) => Error::RecordAt(FileError {
            path: name.to_string(),
            line,
            col: 1,
            message: format!(
                "the {} read from this line is refused: {e}; if that visit was entered in error: gh-dose record void {name} --line {line} --reason TEXT",
                f.as_str()
            ),
        }),
        None => e,
    }
}
