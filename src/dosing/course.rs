//! Every weight and height against the patient's own course: the previous
//! measurement (flags, or the visit record) over its interval, and, without
//! one, against any child of the age. A value beyond the `[course]` rules is
//! refused with the likely slip named (tenfold, digits swapped, lb for kg,
//! inches for cm), whichever way it went; a real, extreme patient passes
//! with `--confirm weight` / `--confirm height`, named in the rationale.

use super::error::{Error, Field, Result, msg};
use super::patient::{Patient, fmt_num};
use super::request::{Earlier, PatientInput, Restart, TitrateRequest};
use super::trail::Notes;
use super::trajectory::{self, Param};
use crate::growth::Builtin;
use crate::rules::{Indication, RuleSet};
use crate::units::round_to;
use crate::vocab::{Confirm, Population, Sex};
use chrono::NaiveDate;

/// One pound in kilograms; one inch in centimetres (definitions, not
/// clinical numbers).
const KG_PER_LB: f64 = 0.453_592_37;
const CM_PER_IN: f64 = 2.54;

/// A value outside what the rules allow, and what it would be confirmed as.
pub(crate) struct Finding {
    pub(crate) what: Confirm,
    pub(crate) field: Field,
    /// The sentence after the field: value, comparison, what is allowed, slip.
    pub(crate) words: String,
}

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
    found.extend(weight_for_age(p, input, ind, rules));
    trajectories(p, input, as_of, earlier, &mut found, ind, rules);
    settle(p, found, rules, notes)?;
    carried(p, as_of, earlier, None, None, ind, rules, notes);
    Ok(())
}

/// The checks of a titration: the weight and the height against the
/// previous ones over their interval and against the record's earlier
/// visits' trajectory, a weight no child of the age has, and a value
/// carried forward.
pub(crate) fn titrate(
    req: &TitrateRequest,
    p: &mut Patient,
    ind: &Indication,
    rules: &RuleSet,
    notes: &mut Notes,
) -> Result<()> {
    let input = &req.subject.patient;
    let as_of = req.subject.as_of;
    let earlier = req.history.as_ref().map_or(&[][..], |h| &h.earlier[..]);
    let mut found = Vec::new();
    if let Some(kg) = req.previous_weight_kg {
        let date = req.previous_weight_date.or(req.last_dose_change);
        p.previous_weight_date = date;
        let before = Before {
            kg,
            date,
            field: Field::PreviousWeightKg,
        };
        found.extend(previous_weight(p, input, as_of, &before, ind, rules));
    }
    found.extend(weight_for_age(p, input, ind, rules));
    found.extend(previous_height(req, p, ind, rules));
    trajectories(p, input, as_of, earlier, &mut found, ind, rules);
    settle(p, found, rules, notes)?;
    let weight = req
        .previous_weight_kg
        .zip(req.previous_weight_date.or(req.last_dose_change));
    let height = req
        .previous_height_cm
        .as_ref()
        .map(|m| m.value)
        .zip(req.previous_height_date);
    carried(p, as_of, earlier, weight, height, ind, rules, notes);
    Ok(())
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

/// MEASUREMENT_CARRIED_FORWARD for a weight or height identical to the
/// record's latest earlier one (else the one given as previous).
#[allow(clippy::too_many_arguments)]
fn carried(
    p: &Patient,
    as_of: NaiveDate,
    earlier: &[Earlier],
    weight: Option<(f64, NaiveDate)>,
    height: Option<(f64, NaiveDate)>,
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
    trajectory::carried_forward(p, grown, p.weight_kg, w, as_of, Param::Weight, rules, notes);
    trajectory::carried_forward(p, grown, p.height_cm, h, as_of, Param::Height, rules, notes);
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
    for c in &p.confirmed {
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
    let band = |prev: f64| {
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
    };
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

/// The number with two neighbouring digits of its whole part swapped (the
/// last two, and the first two of a three-digit number): 62 -> 26,
/// 103 -> 130 and 13.
pub(crate) fn swapped(x: f64) -> Vec<f64> {
    if !(10.0..1000.0).contains(&x) {
        return Vec::new();
    }
    let whole = x.trunc();
    let frac = x - whole;
    let digits: Vec<u8> = format!("{whole:.0}").bytes().collect();
    let n = digits.len();
    let mut pairs = vec![(n - 2, n - 1)];
    if n == 3 {
        pairs.push((0, 1));
    }
    pairs
        .into_iter()
        .filter_map(|(i, j)| {
            let mut d = digits.clone();
            d.swap(i, j);
            let s = String::from_utf8(d).ok()?;
            let v: f64 = s.parse().ok()?;
            (v != whole && !s.starts_with('0')).then_some(v + frac)
        })
        .collect()
}

/// `likely SLIP` or a plain request to check the value.
pub(crate) fn likely(slips: &[String], what: &str) -> String {
    if slips.is_empty() {
        format!("check the {what} and the previous one")
    } else {
        format!("likely slip: {}", slips.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dosing::request::{AgeInput, History, Measured};
    use crate::dosing::test_support::{date, has, titrate_err, titrate_ok, visit};
    use crate::vocab::FlagCode;

    /// A boy born on `born`, seen on 2026-11-22 with `kg` and `cm`, and the
    /// record's earlier (days before, kg, cm), oldest first; the latest is
    /// also the previous weight and height.
    fn course(born: &str, kg: f64, cm: f64, earlier: &[(i64, f64, f64)]) -> TitrateRequest {
        let mut q = visit("ghd", kg, 7.0);
        let as_of = q.subject.as_of;
        q.subject.patient.age = Some(AgeInput::BirthDate(date(born)));
        q.subject.patient.sex = Some(Sex::Male);
        q.subject.patient.height_cm = Some(Measured::plain(cm, Field::HeightCm));
        let earlier: Vec<Earlier> = earlier
            .iter()
            .enumerate()
            .map(|(i, (days, w, h))| Earlier {
                date: as_of - chrono::Duration::days(*days),
                line: i + 1,
                weight_kg: Some(*w),
                height_cm: Some(*h),
            })
            .collect();
        if let Some(last) = earlier.last() {
            q.previous_weight_kg = last.weight_kg;
            q.previous_weight_date = Some(last.date);
            q.previous_height_cm = last.height_cm.map(|h| Measured::plain(h, Field::HeightCm));
            q.previous_height_date = Some(last.date);
        }
        q.history = Some(History {
            earlier,
            ..History::default()
        });
        q
    }

    /// A boy of 6 seen yearly from 3, on his weight-for-age median.
    const SIX: &str = "2020-11-22";
    const SIX_YEARLY: [(i64, f64, f64); 3] =
        [(1096, 14.3, 95.0), (731, 16.5, 103.0), (365, 18.7, 110.0)];
    /// A boy of 10 seen yearly from 6.
    const TEN: &str = "2016-11-22";
    const TEN_YEARLY: [(i64, f64, f64); 4] = [
        (1461, 18.0, 115.0),
        (1096, 19.5, 120.5),
        (730, 21.0, 126.0),
        (365, 22.5, 131.0),
    ];

    #[test]
    fn a_weight_off_the_trajectory_is_refused_where_the_previous_check_passes() {
        let err = titrate_err(course(SIX, 32.0, 116.0, &SIX_YEARLY));
        assert_eq!(
            err,
            "--weight-kg 32 kg (weight-for-age SDS +2.51) is off the patient's own course: +2.4 SDS from +0.11, the weighted average of the 3 earlier weights' SDS (the nearer the visit, the more it weighs: growthcleanr's EWMA), and +2.38 SDS from the previous 18.7 kg (SDS +0.13, on 2025-11-22, line 3); a child's weight stays within 2 SDS of that average (from 16.4 to 29.4 kg today); likely slip: digits swapped (32 for 23 kg)?; if it is real, add --confirm weight"
        );
        // The previous weight alone lets it through (18.7 -> 32 kg in a
        // year is within +75 %): the trajectory is what catches it.
        let mut alone = course(SIX, 32.0, 116.0, &SIX_YEARLY);
        alone.history = None;
        titrate_ok(alone);
        // So do fewer than two earlier weights (no average without the
        // previous one).
        titrate_ok(course(SIX, 32.0, 116.0, &SIX_YEARLY[2..]));
        // The weight typed right passes; a real one passes when confirmed.
        titrate_ok(course(SIX, 23.0, 116.0, &SIX_YEARLY));
        let mut q = course(SIX, 32.0, 116.0, &SIX_YEARLY);
        q.subject.patient.confirm = vec![Confirm::Weight];
        let o = titrate_ok(q);
        assert!(
            o.rationale.iter().any(|l| l.starts_with(
                "weight confirmed as real (--confirm weight): 32 kg (weight-for-age SDS +2.51) is off the patient's own course"
            )),
            "{:?}",
            o.rationale
        );
        assert!(o.sources.iter().any(|s| s.id == "growthcleanr-cleangrowth"));
    }

    #[test]
    fn a_height_off_the_trajectory_is_refused_and_the_extreme_rule_holds_at_any_interval() {
        // 131 -> 150 cm in a year is within 2.5 + 20 cm of the previous.
        let err = titrate_err(course(TEN, 22.5, 150.0, &TEN_YEARLY));
        assert!(
            err.starts_with("--height-cm 150 cm (height-for-age SDS +1.69) is off the patient's own course: +2.04 SDS from -0.35")
                && err.contains("a child's height stays within 2 SDS of that average (from 123.6 to 149.7 cm today); check the height and the previous one; if it is real, add --confirm height"),
            "{err}"
        );
        titrate_ok(course(TEN, 22.5, 145.0, &TEN_YEARLY));
        // The previous height three years back (beyond the moderate rule's
        // 730.5 days): only the extreme rule, at 3.5 SDS.
        let far = [
            (1826, 18.0, 110.0),
            (1461, 19.0, 113.0),
            (1096, 20.0, 116.0),
        ];
        let err = titrate_err(course(TEN, 35.0, 165.0, &far));
        assert!(
            err.contains("(height-for-age SDS +3.83) is off the patient's own course")
                && err.contains("stays within 3.5 SDS of that average"),
            "{err}"
        );
        titrate_ok(course(TEN, 35.0, 150.0, &far));
    }

    #[test]
    fn a_value_carried_forward_months_later_is_flagged_not_refused() {
        let o = titrate_ok(course(TEN, 25.0, 131.0, &TEN_YEARLY));
        assert!(has(&o, FlagCode::MeasurementCarriedForward));
        assert!(
            o.rationale.iter().any(|l| l.starts_with(
                "height 131 cm is the same as the previous one (2025-11-22, line 4), 365 days earlier, in a growing child: likely carried forward"
            )),
            "{:?}",
            o.rationale
        );
        assert!(
            !o.rationale
                .iter()
                .any(|l| l.starts_with("weight 25 kg is the same"))
        );
        // Three months later it is not flagged; nor a confirmed height.
        let mut recent = TEN_YEARLY;
        recent[3].0 = 90;
        let o = titrate_ok(course(TEN, 25.0, 131.0, &recent));
        assert!(!has(&o, FlagCode::MeasurementCarriedForward));
        let mut q = course(TEN, 25.0, 131.0, &TEN_YEARLY);
        q.subject.patient.confirm = vec![Confirm::Height];
        assert!(!has(&titrate_ok(q), FlagCode::MeasurementCarriedForward));
        // Without a record, the previous weight given is compared.
        let mut q = visit("ghd", 24.0, 7.0);
        q.subject.patient.age = Some(AgeInput::Years(9.0));
        q.previous_weight_kg = Some(24.0);
        q.previous_weight_date = Some(date("2026-05-01"));
        let o = titrate_ok(q);
        assert!(has(&o, FlagCode::MeasurementCarriedForward));
        assert!(o.rationale.iter().any(|l| l.starts_with(
            "weight 24 kg is the same as the previous one (2026-05-01), 205 days earlier"
        )));
    }

    #[test]
    fn digits_swap_both_ways_and_keep_their_decimals() {
        assert_eq!(swapped(62.0), vec![26.0]);
        assert_eq!(swapped(26.4), vec![62.4]);
        assert_eq!(swapped(103.0), vec![130.0]);
        assert_eq!(swapped(130.0), vec![103.0, 310.0]);
        assert!(swapped(9.5).is_empty());
        assert!(swapped(55.0).is_empty());
        // 10 -> 01 is not a number anyone typed.
        assert!(swapped(10.0).is_empty());
    }

    #[test]
    fn the_change_is_said_as_a_factor_or_a_percentage() {
        assert_eq!(change(240.0, 24.0), "10 times");
        assert_eq!(change(2.4, 24.0), "1/10 of");
        assert_eq!(change(62.0, 26.0), "+138.5% from");
        assert_eq!(change(20.0, 24.0), "-16.7% from");
    }

    #[test]
    fn the_modified_z_bound_does_not_compress_the_upper_tail() {
        // Girls of 8: the LMS weight at +8 SDS is not reached by any
        // weight (the tail saturates); the modified z bound is a weight.
        let b = modified_z_bound(Sex::Female, Some(8.0), 8.0).unwrap();
        assert!((60.0..120.0).contains(&b), "{b}");
        // Older is heavier; the unknown age takes the oldest.
        let any = modified_z_bound(Sex::Male, None, 8.0).unwrap();
        assert!(any > b && (150.0..250.0).contains(&any), "{any}");
    }
}
