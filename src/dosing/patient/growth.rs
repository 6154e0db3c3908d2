//! Growth at a visit: height velocity from two dated heights, near-final
//! height, the first-year response, and a height that fell.

use super::{Patient, check_measured, decimal_age};
use crate::dosing::error::{Error, Field, Result, msg};
use crate::dosing::request::TitrateRequest;
use crate::dosing::trail::Notes;
use crate::growth::Builtin;
use crate::rules::{Indication, RuleSet};
use crate::units::{fmt_decimal, round_to};
use crate::vocab::FlagCode;
use chrono::NaiveDate;

/// What a visit finds of a child's growth: the previous height read and the
/// velocity since.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Velocity {
    /// The previous height read (rounded to 0.1 cm).
    pub(crate) previous_height_cm: Option<f64>,
    /// Height velocity (rounded to 0.01 cm/year), when the heights are far
    /// enough apart and the height did not fall.
    pub(crate) cm_per_year: Option<f64>,
}

/// Height velocity and the growth flags (children).
pub(crate) fn assess(
    req: &TitrateRequest,
    p: &Patient,
    ind: &Indication,
    rules: &RuleSet,
    notes: &mut Notes,
) -> Result<Velocity> {
    let t = &rules.titration.pediatric_daily;
    let mut out = Velocity::default();
    let (Some(prev), Some(date)) = (&req.previous_height_cm, req.previous_height_date) else {
        return Ok(out);
    };
    let Some(now_cm) = p.height_cm else {
        return Err(Error::new(
            Field::HeightCm,
            msg![
                Field::HeightCm,
                " (or ",
                Field::HeightIn,
                ") is required with ",
                Field::PreviousHeightCm,
                " (height velocity needs the current height)"
            ],
        ));
    };
    let before = check_measured(prev, rules.limits.height_cm, "cm")?;
    out.previous_height_cm = Some(round_to(before, 1));
    let as_of = req.subject.as_of;
    let years = decimal_age(date, as_of, rules.conventions.days_per_year);
    let gain = now_cm - before;
    if gain < -t.height_measurement_error_cm {
        notes.raise(FlagCode::HeightDecrease);
        notes.why(format!(
            "height fell {} cm since {date}: more than measurement error",
            fmt_decimal((-gain * 10.0).round() as i64, 1)
        ));
        return Ok(out);
    }
    let shortest = rules.plausibility.min_velocity_interval_years;
    if years < shortest {
        notes.why(format!(
            "heights {} years apart (since {date}): too close to annualise (at least {shortest} years); no height velocity and no growth flags from it",
            round_to(years, 2)
        ));
        return Ok(out);
    }
    let hv = gain / years;
    out.cm_per_year = Some(round_to(hv, 2));
    notes.why(format!(
        "height velocity ({now_cm} - {before}) cm / {} years = {} cm/year",
        round_to(years, 2),
        round_to(hv, 2)
    ));
    if hv < t.near_final_height_cm_per_year {
        slow(p, req.bone_age_years, hv, rules, notes);
    }
    if !prepubertal_start(req, p, rules, notes) {
        return Ok(out);
    }
    // The first year is judged over the first year itself: from the height
    // the record holds at the start of treatment, when it holds one, else
    // from the previous height.
    let base = start_height(req, rules).unwrap_or((before, date));
    first_year_velocity(req, now_cm, base, rules, notes);
    first_year_sds(req, p, ind, base, rules, notes);
    Ok(out)
}

/// The first-year velocity over the pre-treatment one, from `base` (a
/// height on or after the start) to today's, when the visit is about a year
/// into treatment (POOR_GROWTH_RESPONSE below the rules' gain).
fn first_year_velocity(
    req: &TitrateRequest,
    now_cm: f64,
    (base_cm, base_date): (f64, NaiveDate),
    rules: &RuleSet,
    notes: &mut Notes,
) {
    let t = &rules.titration.pediatric_daily;
    let per_year = rules.conventions.days_per_year;
    let (Some(start), Some(pre)) = (req.treatment_start, req.pretreatment_hv_cm_per_year) else {
        return;
    };
    let on_years = decimal_age(start, req.subject.as_of, per_year);
    if !t.first_year_window_years.contains(on_years) || base_date < start {
        return;
    }
    let first = (now_cm - base_cm) / decimal_age(base_date, req.subject.as_of, per_year);
    let delta = first - pre;
    notes.why(format!(
        "first-year response: {} - {pre} = {} cm/year over pre-treatment (heights since {base_date})",
        round_to(first, 2),
        round_to(delta, 2)
    ));
    if delta < t.poor_first_year_gain_cm_per_year {
        notes.raise(FlagCode::PoorGrowthResponse);
    }
}

/// The height the record holds at the start of treatment: the earlier
/// visit's height nearest the start date, on or after it and within the
/// baseline window of the growth rules (none without a record or a start).
fn start_height(req: &TitrateRequest, rules: &RuleSet) -> Option<(f64, NaiveDate)> {
    let start = req.treatment_start?;
    let within = i64::from(rules.growth.response_baseline_within_days);
    req.history
        .as_ref()?
        .earlier
        .iter()
        .filter(|e| e.date >= start && (e.date - start).num_days() <= within)
        .filter(|e| e.date < req.subject.as_of)
        .find_map(|e| Some((e.height_cm?, e.date)))
}

/// A height velocity below the near-final threshold: NEAR_FINAL_HEIGHT when
/// growth is nearly complete (the age for the sex; the later of the two
/// without one), else a poor response (POOR_GROWTH_RESPONSE, whose message
/// names the usual causes), never both. A bone age, where given, decides
/// instead of the age (the labels' criterion is the bone age).
fn slow(p: &Patient, bone_age: Option<f64>, hv: f64, rules: &RuleSet, notes: &mut Notes) {
    let t = &rules.titration.pediatric_daily;
    let from = t.near_final_age_years.later(p.sex);
    notes.cite(&t.near_final_sources);
    let (age, what) = match bone_age {
        Some(b) => (Some(b), "at a bone age of"),
        None => (p.age_exact, "at"),
    };
    match age {
        Some(age) if age >= from => {
            notes.raise(FlagCode::NearFinalHeight);
            notes.why(format!(
                "height velocity {} cm/year is below {} {what} {} years (growth nearly complete from {from} years): near final height",
                round_to(hv, 2),
                t.near_final_height_cm_per_year,
                round_to(age, 1)
            ));
        }
        age => {
            notes.raise(FlagCode::PoorGrowthResponse);
            let when = age.map_or_else(
                || "with no age given".to_string(),
                |a| {
                    format!(
                        "{what} {} years, before growth is nearly complete (from {from} years)",
                        round_to(a, 1)
                    )
                },
            );
            notes.why(format!(
                "height velocity {} cm/year is below {} {when}: a poor response to work up, not near final height",
                round_to(hv, 2),
                t.near_final_height_cm_per_year
            ));
        }
    }
}

/// Whether the first-year response criteria apply: a prepubertal child
/// (not `--pubertal`, and the treatment started before the age by which
/// puberty has normally begun; the earlier of the two without a sex).
/// Says so when a first-year review is skipped for it.
fn prepubertal_start(
    req: &TitrateRequest,
    p: &Patient,
    rules: &RuleSet,
    notes: &mut Notes,
) -> bool {
    let t = &rules.titration.pediatric_daily;
    let Some(start) = req.treatment_start else {
        return true;
    };
    let on_years = decimal_age(start, req.subject.as_of, rules.conventions.days_per_year);
    if !t.first_year_window_years.contains(on_years) {
        return true;
    }
    let before = t.prepubertal_start_before_years.earlier(p.sex);
    let at_start = p.age_exact.map(|a| a - on_years);
    let why = if p.pubertal {
        "pubertal".to_string()
    } else if let Some(a) = at_start.filter(|a| *a >= before) {
        format!(
            "treatment started at {} years (from {before}, puberty has normally begun)",
            round_to(a, 1)
        )
    } else {
        return true;
    };
    notes.cite(&t.prepubertal_sources);
    notes.why(format!(
        "first-year response criteria are for prepubertal children; not applied: {why}"
    ));
    false
}

/// The first-year response as a change in height SDS: from a height taken
/// near the treatment start to today's, about a year on, against the
/// indication's threshold (POOR_GROWTH_RESPONSE with the figures).
fn first_year_sds(
    req: &TitrateRequest,
    p: &Patient,
    ind: &Indication,
    (before_cm, before_date): (f64, NaiveDate),
    rules: &RuleSet,
    notes: &mut Notes,
) {
    let t = &rules.titration.pediatric_daily;
    let g = &rules.growth;
    let (Some(start), Some(sex), Some(age), Some(now_cm)) =
        (req.treatment_start, p.sex, p.age_exact, p.height_cm)
    else {
        return;
    };
    let as_of = req.subject.as_of;
    let per_year = rules.conventions.days_per_year;
    let on_years = decimal_age(start, as_of, per_year);
    let from_start = (before_date - start).num_days().abs();
    if !t.first_year_window_years.contains(on_years)
        || from_start > i64::from(g.response_baseline_within_days)
    {
        return;
    }
    let age_before = age - decimal_age(before_date, as_of, per_year);
    let reference = |a: f64| super::stature::height_reference(ind, sex, a);
    let score = |b: Builtin, a: f64, cm: f64| b.reference().ok()?.sds(sex, a, cm).ok();
    let (Some(from), Some(to)) = (
        score(reference(age_before), age_before, before_cm),
        score(reference(age), age, now_cm),
    ) else {
        return;
    };
    let delta = to - from;
    let below = g.poor_response_below(&ind.id);
    notes.cite(&g.cited.sources);
    notes.why(format!(
        "first-year change in height SDS: {} -> {} = {} over {} years on treatment (poor below {below})",
        round_to(from, 2),
        round_to(to, 2),
        round_to(delta, 2),
        round_to(on_years, 2)
    ));
    if delta < below {
        notes.raise(FlagCode::PoorGrowthResponse);
    }
}
