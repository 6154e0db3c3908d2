//! Every weight and height against the patient's own course: the previous
//! measurement (flags, or the visit record) over its interval, and, without
//! one, against any child of the age. A value beyond the `[course]` rules is
//! refused with the likely slip named (tenfold, digits swapped, lb for kg,
//! inches for cm), whichever way it went; a real, extreme patient passes
//! with `--confirm weight` / `--confirm height`, named in the rationale.

use super::slip::{Finding, likely, swapped};
use super::trajectory::{self, Measured, Param};
use super::{Patient, fmt_num};
use crate::dosing::error::{Error, Field, Result, msg};
use crate::dosing::request::{Earlier, PatientInput, Restart, TitrateRequest};
use crate::dosing::trail::Notes;
use crate::growth::Builtin;
use crate::rules::{CourseRules, Indication, RuleSet};
use crate::units::round_to;
use crate::vocab::{Confirm, FlagCode, Population, Sex};
use chrono::NaiveDate;

/// One pound in kilograms; one inch in centimetres (definitions, not
/// clinical numbers).
const KG_PER_LB: f64 = 0.453_592_37;
const CM_PER_IN: f64 = 2.54;

/// The previous weight a weight is judged against.
struct Before {
    kg: f64,
    /// When it was measured, when known.
    date: Option<NaiveDate>,
    /// The field a slip in it is named by.
    field: Field,
}

/// The checks of a start: a weight no child of the age has; on a restart
/// (a start on the record after a stop), the weight against the record's
/// last one and the weight and height against the earlier visits'
/// trajectory, and a value carried forward.
pub(crate) fn start(
    p: &Patient,
    input: &PatientInput,
    ind: &Indication,
    rules: &RuleSet,
    notes: &mut Notes,
    as_of: NaiveDate,
    restart: Option<&Restart>,
) -> Result<()> {
    let earlier = restart.map_or(&[][..], |r| &r.earlier[..]);
    let last_weight = earlier
        .iter()
        .rev()
        .find_map(|e| Some((e.weight_kg?, e)))
        .filter(|(_, e)| e.date < as_of);
    let mut found = Vec::new();
    if let Some((kg, e)) = last_weight {
        let before = Before {
            kg,
            date: Some(e.date),
            field: Field::Record,
        };
        found.extend(previous_weight(p, input, as_of, &before, ind, rules));
    }
    let beyond = weight_for_age(p, input, ind, rules);
    let extreme = beyond.is_some();
    found.extend(beyond);
    trajectories(p, input, as_of, earlier, &mut found, ind, rules);
    settle(p, found, rules, notes)?;
    if extreme {
        notes.raise(FlagCode::WeightBeyondDosingEvidence);
        notes.why(
            "no dose is computed on a confirmed weight beyond any child's of the age (WEIGHT_BEYOND_DOSING_EVIDENCE)",
        );
    }
    carried(p, as_of, earlier, (None, None), ind, rules, notes);
    Ok(())
}

/// The checks of a titration: the weight and the height against the
/// previous ones over their interval and against the record's earlier
/// visits' trajectory, a weight no child of the age has, and a value
/// carried forward.
pub(crate) fn titrate(
    req: &TitrateRequest,
    p: &Patient,
    ind: &Indication,
    rules: &RuleSet,
    notes: &mut Notes,
) -> Result<()> {
    let input = &req.subject.patient;
    let as_of = req.subject.as_of;
    let earlier = req.history.as_ref().map_or(&[][..], |h| &h.earlier[..]);
    let mut found = Vec::new();
    if let Some(kg) = req.previous_weight_kg {
        let date = previous_weight_date(req);
        let before = Before {
            kg,
            date,
            field: Field::PreviousWeightKg,
        };
        found.extend(previous_weight(p, input, as_of, &before, ind, rules));
    }
    let beyond = weight_for_age(p, input, ind, rules);
    let extreme = beyond.is_some();
    found.extend(beyond);
    found.extend(previous_height(req, p, ind, rules));
    trajectories(p, input, as_of, earlier, &mut found, ind, rules);
    settle(p, found, rules, notes)?;
    if extreme {
        // The guard keeps the current dose: no increase on this weight.
        notes.raise(FlagCode::DoseKeptAtExtremeWeight);
    }
    let weight = req
        .previous_weight_kg
        .zip(req.previous_weight_date.or(req.last_dose_change));
    let height = req
        .previous_height_cm
        .as_ref()
        .map(|m| m.value)
        .zip(req.previous_height_date);
    carried(p, as_of, earlier, (weight, height), ind, rules, notes);
    Ok(())
}

/// The date a previous weight is judged from: given, or the last dose
/// change; none without a previous weight.
pub(crate) fn previous_weight_date(req: &TitrateRequest) -> Option<NaiveDate> {
    req.previous_weight_kg
        .and(req.previous_weight_date.or(req.last_dose_change))
}

/// The weight and height against the earlier visits' trajectory, each only
/// when the previous-value checks found nothing for it.
fn trajectories(
    p: &Patient,
    input: &PatientInput,
    as_of: NaiveDate,
    earlier: &[Earlier],
    found: &mut Vec<Finding>,
    ind: &Indication,
    rules: &RuleSet,
) {
    if adult(p, ind, rules) {
        return;
    }
    let params = [
        (
            Param::Weight,
            p.weight_kg,
            input.weight_kg.as_ref(),
            Field::WeightKg,
        ),
        (
            Param::Height,
            p.height_cm,
            input.height_cm.as_ref(),
            Field::HeightCm,
        ),
    ];
    for (param, now, given, default) in params {
        let Some(now) = now else { continue };
        let field = given.map_or(default, |m| m.field);
        let what = match param {
            Param::Weight => Confirm::Weight,
            Param::Height => Confirm::Height,
        };
        if found.iter().any(|f| f.what == what) {
            continue;
        }
        found.extend(trajectory::judge(
            p, field, now, as_of, earlier, param, rules,
        ));
    }
}

/// A previous value given on the request, with its date.
type Given = Option<(f64, NaiveDate)>;

/// MEASUREMENT_CARRIED_FORWARD for a weight or height identical to the
/// record's latest earlier one (else the one given as previous).
fn carried(
    p: &Patient,
    as_of: NaiveDate,
    earlier: &[Earlier],
    (weight, height): (Given, Given),
    ind: &Indication,
    rules: &RuleSet,
    notes: &mut Notes,
) {
    let grown = adult(p, ind, rules);
    let latest = |pick: fn(&Earlier) -> Option<f64>, given: Option<(f64, NaiveDate)>| {
        earlier
            .iter()
            .rev()
            .filter(|e| e.date < as_of)
            .find_map(|e| Some((pick(e)?, e.date, format!(", line {}", e.line))))
            .or(given.map(|(v, d)| (v, d, String::new())))
    };
    let w = latest(|e| e.weight_kg, weight);
    let h = latest(|e| e.height_cm, height);
    for m in [
        Measured {
            param: Param::Weight,
            now: p.weight_kg,
            previous: w,
        },
        Measured {
            param: Param::Height,
            now: p.height_cm,
            previous: h,
        },
    ] {
        trajectory::carried_forward(p, grown, m, as_of, rules, notes);
    }
}

/// Refuses the first finding not confirmed; names the confirmed ones and a
/// confirmation nothing needed.
fn settle(p: &Patient, found: Vec<Finding>, rules: &RuleSet, notes: &mut Notes) -> Result<()> {
    if let Some(f) = found.iter().find(|f| !p.confirms(f.what)) {
        return Err(Error::new(
            f.field,
            msg![
                f.field,
                format!(" {}; if it is real, add ", f.words),
                Field::Confirm,
                format!(" {}", f.what)
            ],
        ));
    }
    for f in &found {
        notes.why(format!(
            "{} confirmed as real (--confirm {}): {}",
            f.what, f.what, f.words
        ));
    }
    // A confirmed dose is the plausibility check's (guard/plausible.rs).
    for c in p.confirmed.iter().filter(|c| **c != Confirm::Dose) {
        if !found.iter().any(|f| f.what == *c) {
            notes.why(format!(
                "--confirm {c} given: the {c} needed no confirmation (within the course rules)"
            ));
        }
    }
    if !found.is_empty() {
        notes.cite(&rules.course.cited.sources);
    }
    Ok(())
}

/// Whether the adult rules apply: an age at or above the adult age, or an
/// adult indication when the age is unknown.
fn adult(p: &Patient, ind: &Indication, rules: &RuleSet) -> bool {
    match p.age_exact {
        Some(a) => a >= rules.conventions.adult_age_years,
        None => ind.population == Population::Adult,
    }
}

/// Years between two dates, or the rules' interval for an undated value.
fn interval(from: Option<NaiveDate>, to: NaiveDate, rules: &RuleSet) -> (f64, String) {
    match from {
        Some(d) => {
            let years = (to - d).num_days().max(0) as f64 / rules.conventions.days_per_year;
            (
                years,
                format!("on {d}, {} years earlier", fmt_num(round_to(years, 2))),
            )
        }
        None => (
            rules.course.undated_interval_years,
            format!(
                "undated, taken as {} years earlier",
                fmt_num(rules.course.undated_interval_years)
            ),
        ),
    }
}

/// The weight against the previous one, when there is one and the weight
/// is outside what the rules allow over the interval.
fn previous_weight(
    p: &Patient,
    input: &PatientInput,
    as_of: NaiveDate,
    before: &Before,
    ind: &Indication,
    rules: &RuleSet,
) -> Option<Finding> {
    let (now, prev) = (p.weight_kg?, before.kg);
    if !(prev.is_finite() && prev > 0.0) {
        return None;
    }
    let (years, when) = interval(before.date, as_of, rules);
    let c = &rules.course;
    let grown = adult(p, ind, rules);
    let band = |prev: f64| weight_band(p, c, grown, years, prev);
    let (lo, hi) = band(prev);
    if (lo..=hi).contains(&now) {
        return None;
    }
    let field = input
        .weight_kg
        .as_ref()
        .map_or(Field::WeightKg, |m| m.field);
    let mut slips = common_slips(now, lo, hi, "kg");
    // The previous weight may be the slip: one that, corrected, makes
    // today's weight fit.
    let prev_fix = [(prev * 10.0, "tenfold"), (prev / 10.0, "a tenth")]
        .into_iter()
        .chain(swapped(prev).into_iter().map(|v| (v, "digits swapped")))
        .find(|(fixed, _)| {
            let (l, h) = band(*fixed);
            (l..=h).contains(&now)
        });
    match prev_fix {
        Some((fixed, how)) if slips.is_empty() => {
            return Some(Finding {
                what: Confirm::Weight,
                field: before.field,
                words: format!(
                    "{} kg is the previous weight ({when}) of today's {} kg ({}): likely slip in the previous weight: {how} ({} kg?)",
                    fmt_num(round_to(prev, 2)),
                    fmt_num(round_to(now, 2)),
                    change(now, prev),
                    fmt_num(round_to(fixed, 2))
                ),
            });
        }
        Some((fixed, how)) => slips.push(format!(
            "or the previous weight {how} ({} kg)?",
            fmt_num(round_to(fixed, 2))
        )),
        None => {}
    }
    unit_slips(now, (lo, hi), field, &mut slips);
    let who = if grown { "an adult's" } else { "a child's" };
    Some(Finding {
        what: Confirm::Weight,
        field,
        words: format!(
            "{} kg is {} the previous {} kg ({when}): {who} weight may go from {} to {} kg over that interval; {}",
            fmt_num(round_to(now, 2)),
            change(now, prev),
            fmt_num(round_to(prev, 2)),
            fmt_num(round_to(lo.max(0.0), 1)),
            fmt_num(round_to(hi, 1)),
            likely(&slips, "weight")
        ),
    })
}

/// The weights (lowest, highest) the rules allow from `prev` over the
/// interval: an adult's by kg, a child's by percent.
fn weight_band(p: &Patient, c: &CourseRules, grown: bool, years: f64, prev: f64) -> (f64, f64) {
    if grown {
        let allow = c.adult_weight_allow_kg
            + c.adult_weight_allow_kg_per_ln_month * (1.0 + years * 12.0).ln();
        (prev - allow, prev + allow)
    } else {
        let b = c.child_at(p.age_exact);
        let gain = c.child_weight_gain_percent + b.weight_gain_percent_per_year * years;
        (
            prev * (1.0 - c.child_weight_loss_percent / 100.0),
            prev * (1.0 + gain / 100.0),
        )
    }
}

/// A weight that fits the band once read in the other unit (lb as kg, kg
/// as lb): a likely slip.
fn unit_slips(now: f64, (lo, hi): (f64, f64), field: Field, slips: &mut Vec<String>) {
    let kg = now * KG_PER_LB;
    if field != Field::WeightLb && (lo..=hi).contains(&kg) {
        slips.push(format!(
            "lb entered as kg ({} lb = {} kg)?",
            fmt_num(round_to(now, 2)),
            fmt_num(round_to(kg, 1))
        ));
    }
    let per_lb = now / KG_PER_LB;
    if field == Field::WeightLb && (lo..=hi).contains(&per_lb) {
        slips.push(format!(
            "kg entered as lb ({} kg)?",
            fmt_num(round_to(per_lb, 1))
        ));
    }
}

/// The height against the previous one over its interval.
fn previous_height(
    req: &TitrateRequest,
    p: &Patient,
    ind: &Indication,
    rules: &RuleSet,
) -> Option<Finding> {
    let now = p.height_cm?;
    let prev = req.previous_height_cm.as_ref()?.value;
    if !(prev.is_finite() && prev > 0.0) {
        return None;
    }
    let (years, when) = interval(req.previous_height_date, req.subject.as_of, rules);
    let c = &rules.course;
    let (lo, hi) = if adult(p, ind, rules) {
        (
            prev - c.adult_height_change_cm,
            prev + c.adult_height_change_cm,
        )
    } else {
        let band = c.child_at(p.age_exact);
        (
            prev - c.child_height_loss_cm,
            prev + c.child_height_loss_cm + band.height_cm_per_year * years,
        )
    };
    if (lo..=hi).contains(&now) {
        return None;
    }
    let field = req
        .subject
        .patient
        .height_cm
        .as_ref()
        .map_or(Field::HeightCm, |m| m.field);
    let mut slips = common_slips(now, lo, hi, "cm");
    if field != Field::HeightIn && (lo..=hi).contains(&(now * CM_PER_IN)) {
        slips.push(format!(
            "inches entered as cm ({} in = {} cm)?",
            fmt_num(round_to(now, 1)),
            fmt_num(round_to(now * CM_PER_IN, 1))
        ));
    }
    let rule = if adult(p, ind, rules) {
        format!(
            "an adult's height stays within {} cm",
            fmt_num(c.adult_height_change_cm)
        )
    } else {
        format!(
            "a child's height may go from {} to {} cm over that interval (no shrinking beyond {} cm of measurement error)",
            fmt_num(round_to(lo, 1)),
            fmt_num(round_to(hi, 1)),
            fmt_num(c.child_height_loss_cm)
        )
    };
    Some(Finding {
        what: Confirm::Height,
        field,
        words: format!(
            "{} cm is {} the previous {} cm ({when}): {rule}; {}",
            fmt_num(round_to(now, 1)),
            change(now, prev),
            fmt_num(round_to(prev, 1)),
            likely(&slips, "height")
        ),
    })
}

/// A weight no child of the age has: above the CDC 2000 modified z-score
/// cut-off at the age (any child's when the age is unknown, the heavier
/// sex's when the sex is).
fn weight_for_age(
    p: &Patient,
    input: &PatientInput,
    ind: &Indication,
    rules: &RuleSet,
) -> Option<Finding> {
    let kg = p.weight_kg?;
    if adult(p, ind, rules) {
        return None;
    }
    let z = rules.course.weight_modified_z_above;
    let sexes: Vec<Sex> = p.sex.map_or_else(|| Sex::ALL.to_vec(), |s| vec![s]);
    let bound = sexes
        .iter()
        .filter_map(|&sex| modified_z_bound(sex, p.age_exact, z))
        .fold(None, |m: Option<f64>, b| Some(m.map_or(b, |m| m.max(b))))?;
    if kg <= bound {
        return None;
    }
    let field = input
        .weight_kg
        .as_ref()
        .map_or(Field::WeightKg, |m| m.field);
    let mut slips = Vec::new();
    if kg / 10.0 <= bound {
        slips.push(format!(
            "tenfold (a decimal point: {} kg)?",
            fmt_num(round_to(kg / 10.0, 2))
        ));
    }
    if field != Field::WeightLb && kg * KG_PER_LB <= bound {
        slips.push(format!(
            "lb entered as kg ({} lb = {} kg)?",
            fmt_num(round_to(kg, 2)),
            fmt_num(round_to(kg * KG_PER_LB, 1))
        ));
    }
    let whom = match p.age_exact {
        Some(a) => format!("any child of {} years", fmt_num(round_to(a, 1))),
        None => "any child (no age given)".to_string(),
    };
    Some(Finding {
        what: Confirm::Weight,
        field,
        words: format!(
            "{} kg is more than {whom} weighs: above {} kg, the CDC 2000 modified z-score +{} (a biologically implausible value); {}",
            fmt_num(round_to(kg, 2)),
            fmt_num(round_to(bound, 1)),
            fmt_num(z),
            likely(&slips, "weight")
        ),
    })
}

/// The weight at a CDC 2000 modified z-score: the median plus `z` halves of
/// the distance from the median to +2 SDS; at the reference's oldest age
/// when the age is unknown.
fn modified_z_bound(sex: Sex, age: Option<f64>, z: f64) -> Option<f64> {
    let oldest = Builtin::cdc_weight(f64::MAX)
        .reference()
        .ok()?
        .age_range(sex)?
        .1;
    let age = age.unwrap_or(oldest).min(oldest);
    let r = Builtin::cdc_weight(age).reference().ok()?;
    let m = r.value_at_sds(sex, age, 0.0).ok()?;
    let two = r.value_at_sds(sex, age, 2.0).ok()?;
    let b = m + z * (two - m) / 2.0;
    b.is_finite().then_some(b)
}

/// `10 times` / `a tenth of` / `+138 % from` the previous value.
fn change(now: f64, prev: f64) -> String {
    let r = now / prev;
    if r >= 3.0 {
        format!("{} times", fmt_num(round_to(r, 1)))
    } else if r <= 1.0 / 3.0 {
        format!("1/{} of", fmt_num(round_to(1.0 / r, 1)))
    } else {
        format!("{:+}% from", round_to((r - 1.0) * 100.0, 1))
    }
}

/// Tenfold either way and two digits swapped, when the corrected value
/// falls within what is allowed.
fn common_slips(now: f64, lo: f64, hi: f64, unit: &str) -> Vec<String> {
    let fits = |x: f64| (lo..=hi).contains(&x);
    let mut out = Vec::new();
    if fits(now / 10.0) {
        out.push(format!(
            "tenfold (x10: a decimal point, {} {unit})?",
            fmt_num(round_to(now / 10.0, 2))
        ));
    }
    if fits(now * 10.0) {
        out.push(format!(
            "a tenth (/10: a decimal point, {} {unit})?",
            fmt_num(round_to(now * 10.0, 2))
        ));
    }
    for s in swapped(now).into_iter().filter(|s| fits(*s)) {
        out.push(format!(
            "digits swapped ({} for {} {unit})?",
            fmt_num(round_to(now, 2)),
            fmt_num(round_to(s, 2))
        ));
    }
    out
}

#[cfg(test)]
mod tests;
