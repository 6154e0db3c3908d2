//! A child's weight and height against the patient's own trajectory over
//! the record's earlier visits, as growthcleanr does (Daymont 2017): the SDS
//! of each earlier value on CDC 2000, their exponentially weighted moving
//! average (a nearer visit weighs more), and today's SDS against it
//! (`[course.trajectory]`); and a value carried forward from the previous
//! visit (`[course.carried_forward]`, a warning).

use super::slip::{Finding, likely, swapped};
use super::{Patient, fmt_num};
use crate::dosing::request::Earlier;
use crate::dosing::trail::Notes;
use crate::growth::Builtin;
use crate::rules::{RuleSet, Trajectory};
use crate::units::round_to;
use crate::vocab::{Confirm, FlagCode, Sex};
use chrono::NaiveDate;

/// One pound in kilograms; one inch in centimetres (definitions).
const KG_PER_LB: f64 = 0.453_592_37;
const CM_PER_IN: f64 = 2.54;

/// Which measurement, and how it is scored.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Param {
    Weight,
    Height,
}

impl Param {
    fn of(self, e: &Earlier) -> Option<f64> {
        match self {
            Param::Weight => e.weight_kg,
            Param::Height => e.height_cm,
        }
        .filter(|v| v.is_finite() && *v > 0.0)
    }

    fn unit(self) -> &'static str {
        match self {
            Param::Weight => "kg",
            Param::Height => "cm",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Param::Weight => "weight",
            Param::Height => "height",
        }
    }

    fn confirm(self) -> Confirm {
        match self {
            Param::Weight => Confirm::Weight,
            Param::Height => Confirm::Height,
        }
    }

    fn reference(self, age: f64) -> Builtin {
        match self {
            Param::Weight => Builtin::cdc_weight(age),
            Param::Height => Builtin::cdc_stature(age),
        }
    }
}

/// Scores values of one patient at dates before `as_of`.
struct Scorer {
    sex: Sex,
    /// Age at `as_of`, in years.
    age: f64,
    as_of: NaiveDate,
    days_per_year: f64,
    param: Param,
}

impl Scorer {
    fn age_on(&self, date: NaiveDate) -> f64 {
        self.age - (self.as_of - date).num_days() as f64 / self.days_per_year
    }

    /// The CDC 2000 SDS of a value measured on `date`; `None` outside the
    /// reference (before birth, after 20 years).
    fn sds(&self, value: f64, date: NaiveDate) -> Option<f64> {
        let age = self.age_on(date);
        if age.is_nan() || age < 0.0 {
            return None;
        }
        let r = self.param.reference(age).reference().ok()?;
        r.sds(self.sex, age, value).ok()
    }

    /// The value today at an SDS.
    fn value_at(&self, sds: f64) -> Option<f64> {
        let r = self.param.reference(self.age).reference().ok()?;
        r.value_at_sds(self.sex, self.age, sds)
            .ok()
            .filter(|v| v.is_finite())
    }
}

/// An earlier value and its SDS.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Scored {
    date: NaiveDate,
    line: usize,
    value: f64,
    sds: f64,
}

/// The exponentially weighted moving average of `series` at `as_of`:
/// weights `(days between + offset) ^ exponent` (growthcleanr `ewma()`).
pub(crate) fn ewma(
    series: &[(NaiveDate, f64)],
    as_of: NaiveDate,
    exponent: f64,
    offset: f64,
) -> Option<f64> {
    let (mut num, mut den) = (0.0, 0.0);
    for (date, z) in series {
        let days = (as_of - *date).num_days().max(0) as f64;
        let w = (days + offset).powf(exponent);
        if w.is_finite() && w > 0.0 {
            num += w * z;
            den += w;
        }
    }
    let avg = num / den;
    (den > 0.0 && avg.is_finite()).then_some(avg)
}

/// Today's value against the trajectory of the earlier ones: a finding
/// when growthcleanr's moderate rule (the previous value within its
/// interval) or extreme rule holds, up or down. `None` for an adult (no
/// CDC reference), without a sex or an age, or with fewer than two earlier
/// values (the average without the previous one is needed).
pub(crate) fn judge(
    p: &Patient,
    field: crate::dosing::error::Field,
    now: f64,
    as_of: NaiveDate,
    earlier: &[Earlier],
    param: Param,
    rules: &RuleSet,
) -> Option<Finding> {
    let t = &rules.course.trajectory;
    let s = Scorer {
        sex: p.sex?,
        age: p.age_exact?,
        as_of,
        days_per_year: rules.conventions.days_per_year,
        param,
    };
    let series = series(&s, earlier);
    let (prev, before) = series.split_last()?;
    if before.is_empty() {
        return None;
    }
    let z = s.sds(now, as_of)?;
    let zs = |list: &[Scored]| list.iter().map(|e| (e.date, e.sds)).collect::<Vec<_>>();
    let all = ewma(&zs(&series), as_of, t.ewma_exponent, t.ewma_day_offset_days)?;
    let bef = ewma(&zs(before), as_of, t.ewma_exponent, t.ewma_day_offset_days)?;
    let (d_all, d_bef, d_prev) = (z - all, z - bef, z - prev.sds);
    let sign = if d_all < 0.0 { -1.0 } else { 1.0 };
    let error = measurement_error(param, now, t);
    let days_prev = (as_of - prev.date).num_days() as f64;
    let cut = t.moderate_ewma_sds.max(prev.sds.abs());
    let beyond_error = [now - error, now + error].iter().all(|v| {
        s.sds(*v, as_of)
            .is_some_and(|zv| sign * (zv - prev.sds) > t.moderate_previous_sds)
    });
    let moderate = days_prev < t.moderate_within_days
        && sign * d_all > cut
        && sign * d_bef > t.moderate_before_sds
        && sign * d_prev > t.moderate_previous_sds
        && beyond_error;
    let extreme = sign * d_all > t.extreme_ewma_sds
        && sign * d_bef > t.extreme_before_sds
        && sign * z > t.extreme_value_sds;
    if !(moderate || extreme) {
        return None;
    }
    let cut = if moderate { cut } else { t.extreme_ewma_sds };
    let fits = |x: f64| s.sds(x, as_of).is_some_and(|zx| (zx - all).abs() <= cut);
    let slips = slips(now, field, param, &fits);
    let unit = param.unit();
    let range = today_range(&s, all, cut);
    let sds = |x: f64| format!("{:+}", round_to(x, 2));
    let what = param.name();
    Some(Finding {
        what: param.confirm(),
        field,
        words: format!(
            "{} {unit} ({what}-for-age SDS {}) is off the patient's own course: {} SDS from {}, the weighted average of the {} earlier {what}s' SDS (the nearer the visit, the more it weighs: growthcleanr's EWMA), and {} SDS from the previous {} {unit} (SDS {}, on {}, line {}); a child's {what} stays within {} SDS of that average{range}; {}",
            fmt_num(round_to(now, 2)),
            sds(z),
            sds(d_all),
            sds(all),
            series.len(),
            sds(d_prev),
            fmt_num(round_to(prev.value, 2)),
            sds(prev.sds),
            prev.date,
            prev.line,
            fmt_num(round_to(cut, 2)),
            likely(&slips, what)
        ),
    })
}

/// The measurement error allowed around today's value: a percentage of a
/// weight, centimetres of a height.
fn measurement_error(param: Param, now: f64, t: &Trajectory) -> f64 {
    match param {
        Param::Weight => now * t.weight_error_percent / 100.0,
        Param::Height => t.height_error_cm,
    }
}

/// The values today within `cut` SDS of the weighted average `all`, as the
/// finding words them (empty where the reference cannot invert the SDS).
fn today_range(s: &Scorer, all: f64, cut: f64) -> String {
    let unit = s.param.unit();
    match (s.value_at(all - cut), s.value_at(all + cut)) {
        (Some(lo), Some(hi)) => format!(
            " (from {} to {} {unit} today)",
            fmt_num(round_to(lo, 1)),
            fmt_num(round_to(hi, 1))
        ),
        _ => String::new(),
    }
}

/// The earlier values before `as_of` with their SDS, oldest first; a value
/// identical to the one before it (carried forward) is left out.
fn series(s: &Scorer, earlier: &[Earlier]) -> Vec<Scored> {
    let mut out: Vec<Scored> = Vec::new();
    let mut last: Option<f64> = None;
    for e in earlier.iter().filter(|e| e.date < s.as_of) {
        let Some(v) = s.param.of(e) else { continue };
        let carried = last.is_some_and(|l| same(l, v));
        last = Some(v);
        if carried {
            continue;
        }
        if let Some(sds) = s.sds(v, e.date) {
            out.push(Scored {
                date: e.date,
                line: e.line,
                value: v,
                sds,
            });
        }
    }
    out
}

/// Tenfold either way, digits swapped and the other unit, when the
/// corrected value fits the trajectory.
fn slips(
    now: f64,
    field: crate::dosing::error::Field,
    param: Param,
    fits: &dyn Fn(f64) -> bool,
) -> Vec<String> {
    use crate::dosing::error::Field;
    let unit = param.unit();
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
    for v in swapped(now).into_iter().filter(|v| fits(*v)) {
        out.push(format!(
            "digits swapped ({} for {} {unit})?",
            fmt_num(round_to(now, 2)),
            fmt_num(round_to(v, 2))
        ));
    }
    match param {
        Param::Weight if field != Field::WeightLb && fits(now * KG_PER_LB) => out.push(format!(
            "lb entered as kg ({} lb = {} kg)?",
            fmt_num(round_to(now, 2)),
            fmt_num(round_to(now * KG_PER_LB, 1))
        )),
        Param::Weight if field == Field::WeightLb && fits(now / KG_PER_LB) => out.push(format!(
            "kg entered as lb ({} kg)?",
            fmt_num(round_to(now / KG_PER_LB, 1))
        )),
        Param::Height if field != Field::HeightIn && fits(now * CM_PER_IN) => out.push(format!(
            "inches entered as cm ({} in = {} cm)?",
            fmt_num(round_to(now, 1)),
            fmt_num(round_to(now * CM_PER_IN, 1))
        )),
        _ => {}
    }
    out
}

/// Two measurements equal as recorded (to the gram or tenth of a millimetre).
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.0005
}

/// One measurement today and the previous one (value, date, where it is
/// from in the record).
pub(crate) struct Measured {
    pub(crate) param: Param,
    pub(crate) now: Option<f64>,
    pub(crate) previous: Option<(f64, NaiveDate, String)>,
}

/// A child's value identical to the previous one measured at least
/// `[course.carried_forward] after_days` earlier: MEASUREMENT_CARRIED_FORWARD
/// with the value and date named. Not for an adult (no growth expected).
pub(crate) fn carried_forward(
    p: &Patient,
    adult: bool,
    m: Measured,
    as_of: NaiveDate,
    rules: &RuleSet,
    notes: &mut Notes,
) {
    let Measured {
        param,
        now,
        previous,
    } = m;
    let (Some(now), Some((prev, date, whence))) = (now, previous) else {
        return;
    };
    let c = &rules.course.carried_forward;
    let days = (as_of - date).num_days();
    if adult || p.confirms(param.confirm()) || days < i64::from(c.after_days) || !same(now, prev) {
        return;
    }
    notes.raise(FlagCode::MeasurementCarriedForward);
    notes.why(format!(
        "{} {} {} is the same as the previous one ({date}{whence}), {days} days earlier, in a growing child: likely carried forward from that visit rather than measured today (growthcleanr leaves carried-forward values out); measure again (a real, unchanged {} passes with --confirm {})",
        param.name(),
        fmt_num(round_to(now, 2)),
        param.unit(),
        param.name(),
        param.name()
    ));
    notes.cite(&c.cited.sources);
}

#[cfg(test)]
mod tests;
