//! `start` and `titrate` with a visit record: the record is opened and
//! locked, the request checked against it (identity, date order, what it
//! may carry over), the decision made by the caller's function, and the
//! visit's line handed back with the answer ([`Pending`]): the caller
//! appends it only once the answer is written. Nothing is appended when the
//! decision is refused, and no record file is ever removed. The same request
//! run again for a visit already in the record gives the recorded decision
//! again and appends nothing.

use super::record::{self, Missing, Opened, Pending, Target};
use super::visit::{self, Filled, refuse};
use crate::cli::{PatientArgs, StartArgs, TitrateArgs};
use crate::dosing::{Field, History, Restart, Route};
use crate::error::{Error, ExitCode};
use crate::record::{Course, Identity, Prior, Provenance, Visit};
use crate::report::Document;
use crate::rules::RuleSet;
use crate::rules::diagnostic::RulesError;
use chrono::NaiveDate;

/// What a decision returns.
type Decided = Result<(Document, ExitCode), Error>;

/// A decision with a record: the answer, and the line to append once the
/// answer is written (`None`: the visit is already in the record).
pub type Recorded = Result<(Document, ExitCode, Option<Pending>), Error>;

/// A record is written only for a visit dated no later than today: a
/// future date would be recorded and then refuse every real visit before it.
fn not_in_the_future(as_of: NaiveDate, today: NaiveDate, route: Route) -> Result<(), Error> {
    if as_of > today {
        return Err(refuse(
            Field::AsOf,
            format!(
                "{as_of} is after today ({today}): a visit record takes visits on or before today"
            ),
            route,
        ));
    }
    Ok(())
}

/// The visit belongs in the record: the patient's identity (the record's
/// when the request leaves it out) and a date no earlier than the last visit.
fn belongs(
    p: &PatientArgs,
    course: &Course,
    as_of: NaiveDate,
    route: Route,
) -> Result<Identity, Error> {
    let first = course.lines.first();
    let who = visit::identity(
        p.sex,
        p.birth_date,
        p.age_years.is_some(),
        first.map(|l| (l.visit.patient, l.number)),
        route,
    )?;
    let last = course.last().map(|l| (l.visit.date, l.number));
    visit::in_order(as_of, last, route)?;
    Ok(who)
}

fn line_of(doc: &Document, how: &Provenance) -> Result<Visit, Error> {
    crate::report::record::visit(doc, how).ok_or_else(|| {
        Error::Internal("a visit with a record lost the patient's identity".to_string())
    })
}

/// The same request run again: the visit of line `n` is what it decides.
/// Said first in the rationale; nothing is appended.
fn again(
    mut doc: Document,
    code: ExitCode,
    name: &str,
    n: usize,
) -> (Document, ExitCode, Option<Pending>) {
    doc.rationale.insert(
        0,
        format!(
            "this visit is already in the record {name} (line {n}): the same request gives the recorded decision again; nothing was appended"
        ),
    );
    (doc, code, None)
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
#[allow(clippy::too_many_arguments)]
pub fn start(
    args: &StartArgs,
    target: &Target,
    as_of: NaiveDate,
    today: NaiveDate,
    rules: &RuleSet,
    route: Route,
    decide: &dyn Fn(&StartArgs, Option<Restart>) -> Decided,
) -> Recorded {
    not_in_the_future(as_of, today, route)?;
    let rec = record::open(target, Missing::Create)?;
    rec.writable()?;
    let once = |course: &Course| -> Decided {
        let (args, note, restart) = start_in(args, course, &rec.name, as_of, rules, route)?;
        let (mut doc, code) = decide(&args, restart)?;
        if let Some(note) = note {
            doc.rationale.insert(0, note);
        }
        Ok((doc, code))
    };
    for n in same_day(&rec.course, as_of, "start") {
        if let Ok((doc, code)) = once(&rec.course.before(n))
            && rec.course.lines.iter().any(|l| {
                l.number == n
                    && line_of(&doc, &Provenance::default()).ok().as_ref() == Some(&l.visit)
            })
        {
            return Ok(again(doc, code, &rec.name, n));
        }
    }
    let (doc, code) = once(&rec.course)?;
    let pending = rec.pending(&line_of(&doc, &Provenance::default())?)?;
    Ok((doc, code, Some(pending)))
}

/// The start's arguments with the record's identity, and the note that
/// places it in the course.
fn start_in(
    args: &StartArgs,
    course: &Course,
    name: &str,
    as_of: NaiveDate,
    rules: &RuleSet,
    route: Route,
) -> Result<(StartArgs, Option<String>, Option<Restart>), Error> {
    let who = belongs(&args.patient, course, as_of, route)?;
    let mut args = args.clone();
    args.patient.sex = Some(who.sex);
    args.patient.birth_date = Some(who.birth_date);
    let now = visit::molecule(args.product.product.as_deref(), rules);
    let Some(last) = course.last() else {
        return Ok((args, None, None));
    };
    let Some(d) = &last.visit.dose else {
        let shortest = rules.plausibility.min_velocity_interval_years;
        let restart = Prior::of(course, as_of, shortest).and_then(|prior| {
            let earlier = visit::earlier(&prior);
            let off = prior.off?;
            let dose_before = prior
                .given
                .filter(|g| visit::molecule(g.value.product.as_deref(), rules) == now)
                .and_then(|g| crate::units::Micrograms::round_mg(g.value.mg_per_week));
            Some(Restart {
                stopped_on: off.at.date,
                known_from: format!("{}, line {}", name, off.at.line),
                stopped_for: off.flags,
                dose_before,
                earlier,
            })
        });
        let note = format!(
            "the record's last visit ({}, line {}) gave no dose ({}); this start is the restart",
            last.visit.date, last.number, last.visit.decision.action
        );
        return Ok((args, Some(note), restart));
    };
    if visit::molecule(d.product.as_deref(), rules) == now {
        return Err(refuse(
            Field::Record,
            format!(
                "{}: the visit of {} (line {}) gave {} mg/week of {}, the same molecule: a visit on treatment is a titration: gh-dose titrate --record {}; start is for a first dose, a restart after a stop, or a switch to another molecule (a visit entered in error: gh-dose record void {} --line {} --reason TEXT)",
                name,
                last.visit.date,
                last.number,
                d.mg_per_week,
                d.product.as_deref().unwrap_or("daily somatropin"),
                name,
                name,
                last.number
            ),
            route,
        ));
    }
    // The reduction does not carry across molecules: said, so the first
    // IGF-1 on the new product is looked at with it in mind.
    let reduced = course
        .lines
        .iter()
        .rev()
        .find(|l| l.visit.decision.action.changes() || l.visit.command == "start")
        .filter(|l| l.visit.decision.reduced_for_igf1)
        .and_then(|l| Some((l, l.visit.igf1.as_ref()?.sds?)))
        .map(|(l, sds)| {
            format!(
                " (its last change, {} line {}, was a reduction for IGF-1 SDS {sds:+}: it does not carry over; check IGF-1 on the new product)",
                l.visit.date, l.number
            )
        })
        .unwrap_or_default();
    let note = format!(
        "switch: the record's last visit ({}, line {}) gave {} mg/week of {}{reduced}; this starts another molecule",
        last.visit.date,
        last.number,
        d.mg_per_week,
        d.product.as_deref().unwrap_or("daily somatropin")
    );
    Ok((args, Some(note), None))
}

/// A titration with a record: filled from it, checked, decided; the line
/// handed back to append once the answer is written.
#[allow(clippy::too_many_arguments)]
pub fn titrate(
    args: &TitrateArgs,
    target: &Target,
    as_of: NaiveDate,
    today: NaiveDate,
    rules: &RuleSet,
    route: Route,
    decide: &dyn Fn(&TitrateArgs, History) -> Decided,
) -> Recorded {
    not_in_the_future(as_of, today, route)?;
    let rec = record::open(target, Missing::Refuse)?;
    rec.writable()?;
    for n in same_day(&rec.course, as_of, "titrate") {
        let before = rec.course.before(n);
        let unchecked = |_: &TitrateArgs| Ok(());
        if let Ok((doc, code, how)) = titrate_on(
            args, &before, &rec.name, as_of, rules, route, &unchecked, decide,
        ) && rec
            .course
            .lines
            .iter()
            .any(|l| l.number == n && line_of(&doc, &how).ok().as_ref() == Some(&l.visit))
        {
            return Ok(again(doc, code, &rec.name, n));
        }
    }
    let once = |a: &TitrateArgs| one_decision_per_sample(a, &rec, as_of, rules, route);
    let (doc, code, how) = titrate_on(
        args,
        &rec.course,
        &rec.name,
        as_of,
        rules,
        route,
        &once,
        decide,
    )?;
    let pending = rec.pending(&line_of(&doc, &how)?)?;
    Ok((doc, code, Some(pending)))
}

/// A titration decided on the visits of `course`; `check` sees the filled
/// request before the decision.
#[allow(clippy::too_many_arguments)]
fn titrate_on(
    args: &TitrateArgs,
    course: &Course,
    name: &str,
    as_of: NaiveDate,
    rules: &RuleSet,
    route: Route,
    check: &dyn Fn(&TitrateArgs) -> Result<(), Error>,
    decide: &dyn Fn(&TitrateArgs, History) -> Decided,
) -> Result<(Document, ExitCode, Provenance), Error> {
    let shortest = rules.plausibility.min_velocity_interval_years;
    let filled = match Prior::of(course, as_of, shortest) {
        Some(prior) => visit::fill(args, &prior, route, rules)?,
        None => Filled {
            args: args.clone(),
            history: History {
                notes: vec![format!(
                    "the visit record {name} has no visit yet: this is its first"
                )],
                reduction: None,
                earlier: Vec::new(),
            },
            how: Provenance::default(),
        },
    };
    if filled.args.indication.is_none() {
        return Err(refuse(
            Field::Indication,
            "is required: the visit record has no visit yet".to_string(),
            route,
        ));
    }
    belongs(&filled.args.patient, course, as_of, route)?;
    check(&filled.args)?;
    let Filled {
        mut args,
        mut history,
        mut how,
    } = filled;
    let device = Field::Device.spelled(route);
    let result = match decide(&args, history.clone()) {
        // The record's pen cannot give the new dose on the side the decision
        // needs: the pen is chosen again, and the rationale says so.
        Err(e)
            if e.field() == Some(&device) && how.from_record.iter().any(|(f, _)| f == "device") =>
        {
            let pen = args.product.device.take().unwrap_or_default();
            how.from_record.retain(|(f, _)| f != "device");
            history.notes.push(format!(
                "the record's device {pen} cannot give the new dose on the side the decision needs: the device is chosen again"
            ));
            decide(&args, history)
        }
        other => other,
    };
    let (doc, code) = result.map_err(|e| from_the_record(e, &how.from_record, name, route))?;
    Ok((doc, code, how))
}

/// An IGF-1 sample is decided on once: a second decision on it (the same
/// command run twice, a batch run again) would apply its change twice.
fn one_decision_per_sample(
    args: &TitrateArgs,
    rec: &Opened,
    as_of: NaiveDate,
    rules: &RuleSet,
    route: Route,
) -> Result<(), Error> {
    if args.igf1.igf1_sds.is_none() && args.igf1.igf1.is_none() {
        return Ok(());
    }
    let sample = args.igf1.igf1_date.unwrap_or(as_of);
    let used = rec
        .course
        .lines
        .iter()
        .rev()
        .find(|l| l.visit.igf1.as_ref().and_then(|i| i.date) == Some(sample));
    if let Some(l) = used {
        return Err(refuse(
            Field::Igf1Date,
            format!(
                "{sample} (the IGF-1 sample's date; the as-of date when not given): the sample of that date was decided on at the visit of {} (line {}); a second decision on it would apply its change twice (the same request run again prints that decision again; if that visit was entered in error: gh-dose record void {} --line {} --reason TEXT, then decide again)",
                l.visit.date, l.number, rec.name, l.number
            ),
            route,
        ));
    }
    // A sample drawn before the reduced dose can show in IGF-1 is most
    // likely the same result entered again: it would reduce twice.
    let last_change = rec.course.lines.iter().rev().find(|l| {
        l.visit.dose.is_some() && (l.visit.command == "start" || l.visit.decision.action.changes())
    });
    let Some(l) = last_change.filter(|l| l.visit.decision.reduced_for_igf1) else {
        return Ok(());
    };
    let population = args
        .indication
        .as_deref()
        .and_then(|id| rules.indications.iter().find(|i| i.id == id.trim()))
        .map_or(crate::vocab::Population::Pediatric, |i| i.population);
    let min_days = crate::dosing::igf1::min_days_after_change(population, rules);
    let days = (sample - l.visit.date).num_days();
    if days < i64::from(min_days) {
        return Err(refuse(
            Field::Igf1Date,
            format!(
                "{sample} (the IGF-1 sample's date; the as-of date when not given) is {days} days after the reduction for IGF-1 of {} (line {}); a sample before {min_days} days cannot show the reduced dose and is likely the same result again: give the date the sample was drawn",
                l.visit.date, l.number
            ),
            route,
        ));
    }
    Ok(())
}

/// A value the core refuses that came from the record is the record's
/// problem: reported at its line (exit 3), not as a flag nobody typed.
fn from_the_record(e: Error, sources: &[(String, usize)], name: &str, route: Route) -> Error {
    let hit = sources.iter().find_map(|(name, line)| {
        let f = name.parse::<Field>().ok()?;
        (e.field() == Some(&f.spelled(route))).then_some((f, *line))
    });
    match hit {
        Some((f, line)) => Error::RecordAt(RulesError {
            path: name.to_string(),
            line,
            col: 1,
            message: format!("the {} read from this line is refused: {e}", f.as_str()),
        }),
        None => e,
    }
}
