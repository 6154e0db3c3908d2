//! Growth at a visit: height velocity from two dated heights, near-final
//! height, the first-year response, and a height that fell.

use super::error::{Error, Field, Result, msg};
use super::patient::{Patient, check_measured, decimal_age};
use super::request::TitrateRequest;
use super::trail::Notes;
use crate::rules::RuleSet;
use crate::units::{fmt_decimal, round_to};
use crate::vocab::FlagCode;

/// Height velocity and the growth flags (children).
pub fn assess(
    req: &TitrateRequest,
    p: &mut Patient,
    rules: &RuleSet,
    notes: &mut Notes,
) -> Result<()> {
    let t = &rules.titration.pediatric_daily;
    let (Some(prev), Some(date)) = (&req.previous_height_cm, req.previous_height_date) else {
        return Ok(());
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
    p.previous_height_cm = Some(round_to(before, 1));
    let as_of = req.subject.as_of;
    let years = decimal_age(date, as_of, rules.conventions.days_per_year);
    let gain = now_cm - before;
    if gain < -t.height_measurement_error_cm {
        notes.raise(FlagCode::HeightDecrease);
        notes.why(format!(
            "height fell {} cm since {date}: more than measurement error",
            fmt_decimal((-gain * 10.0).round() as i64, 1)
        ));
        return Ok(());
    }
    let shortest = rules.plausibility.min_velocity_interval_years;
    if years < shortest {
        notes.why(format!(
            "heights {} years apart (since {date}): too close to annualise (at least {shortest} years); no height velocity and no growth flags from it",
            round_to(years, 2)
        ));
        return Ok(());
    }
    let hv = gain / years;
    p.height_velocity_cm_per_year = Some(round_to(hv, 2));
    notes.why(format!(
        "height velocity ({now_cm} - {before}) cm / {} years = {} cm/year",
        round_to(years, 2),
        round_to(hv, 2)
    ));
    if hv < t.near_final_height_cm_per_year {
        notes.raise(FlagCode::NearFinalHeight);
    }
    if let (Some(start), Some(pre)) = (req.treatment_start, req.pretreatment_hv_cm_per_year) {
        let on_years = decimal_age(start, as_of, rules.conventions.days_per_year);
        if t.first_year_window_years.contains(on_years) && date >= start {
            let delta = hv - pre;
            notes.why(format!(
                "first-year response: {} - {pre} = {} cm/year over pre-treatment",
                round_to(hv, 2),
                round_to(delta, 2)
            ));
            if delta < t.poor_first_year_gain_cm_per_year {
                notes.raise(FlagCode::PoorGrowthResponse);
            }
        }
    }
    Ok(())
}
