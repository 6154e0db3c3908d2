//! The `[course]` table: a measurement against the patient's own course and
//! against any child of the age, each number within its band (checked
//! before compiling), the child bands in increasing age.

use super::cite::Cite;
use super::file;
use super::model::{CarriedForward, ChildGrowth, CourseRules, Limits, Trajectory};
use crate::diagnostic::{Cx, R};

/// The course rules; the child bands need increasing `age_below` and a last
/// band past the oldest age the input limits allow.
pub(crate) fn compile_course(
    cx: &Cx,
    c: &file::CourseRow,
    limits: &Limits,
    cite: &Cite,
) -> R<CourseRules> {
    let oldest = limits.age_years.max;
    let bands: Vec<ChildGrowth> = c
        .child_growth
        .get_ref()
        .iter()
        .map(|b| ChildGrowth {
            age_below: b.age_below,
            weight_gain_percent_per_year: b.weight_gain_percent_per_year,
            height_cm_per_year: b.height_cm_per_year,
        })
        .collect();
    let ordered = !bands.is_empty()
        && bands.windows(2).all(|w| w[0].age_below < w[1].age_below)
        && bands.last().is_some_and(|b| b.age_below > oldest);
    if !ordered {
        return Err(cx.err(
            &c.child_growth.span(),
            format!(
                "child_growth: bands need increasing age_below (the last above limits.age_years.max, {oldest})"
            ),
        ));
    }
    for (v, what) in [
        (&c.weight_modified_z_above, "weight_modified_z_above"),
        (&c.child_weight_loss_percent, "child_weight_loss_percent"),
        (&c.adult_height_change_cm, "adult_height_change_cm"),
        (&c.adult_weight_allow_kg, "adult_weight_allow_kg"),
    ] {
        if *v.get_ref() <= 0.0 {
            return Err(cx.err(&v.span(), format!("{what} must be above 0")));
        }
    }
    Ok(CourseRules {
        weight_modified_z_above: *c.weight_modified_z_above.get_ref(),
        undated_interval_years: *c.undated_interval_years.get_ref(),
        child_weight_gain_percent: *c.child_weight_gain_percent.get_ref(),
        child_weight_loss_percent: *c.child_weight_loss_percent.get_ref(),
        child_height_loss_cm: *c.child_height_loss_cm.get_ref(),
        child_growth: bands,
        adult_weight_allow_kg: *c.adult_weight_allow_kg.get_ref(),
        adult_weight_allow_kg_per_ln_month: *c.adult_weight_allow_kg_per_ln_month.get_ref(),
        adult_height_change_cm: *c.adult_height_change_cm.get_ref(),
        cited: cite(&c.sources, &c.grade)?,
        trajectory: trajectory(cx, &c.trajectory, cite)?,
        carried_forward: CarriedForward {
            after_days: *c.carried_forward.after_days.get_ref(),
            cited: cite(&c.carried_forward.sources, &c.carried_forward.grade)?,
        },
    })
}

/// The trajectory rules: a negative exponent (a nearer visit weighs more)
/// and cut-offs above 0, the extreme ones beyond the moderate ones.
fn trajectory(cx: &Cx, t: &file::TrajectoryRow, cite: &Cite) -> R<Trajectory> {
    if *t.ewma_exponent.get_ref() >= 0.0 {
        return Err(cx.err(
            &t.ewma_exponent.span(),
            "ewma_exponent must be below 0 (a nearer visit weighs more)".to_string(),
        ));
    }
    for (v, what) in [
        (&t.moderate_ewma_sds, "moderate_ewma_sds"),
        (&t.moderate_before_sds, "moderate_before_sds"),
        (&t.moderate_previous_sds, "moderate_previous_sds"),
        (&t.extreme_before_sds, "extreme_before_sds"),
        (&t.extreme_value_sds, "extreme_value_sds"),
    ] {
        if *v.get_ref() <= 0.0 {
            return Err(cx.err(&v.span(), format!("{what} must be above 0")));
        }
    }
    if t.extreme_ewma_sds.get_ref() < t.moderate_ewma_sds.get_ref() {
        return Err(cx.err(
            &t.extreme_ewma_sds.span(),
            "extreme_ewma_sds must be at least moderate_ewma_sds".to_string(),
        ));
    }
    Ok(Trajectory {
        ewma_exponent: *t.ewma_exponent.get_ref(),
        ewma_day_offset_days: *t.ewma_day_offset_days.get_ref(),
        moderate_within_days: *t.moderate_within_days.get_ref(),
        moderate_ewma_sds: *t.moderate_ewma_sds.get_ref(),
        moderate_before_sds: *t.moderate_before_sds.get_ref(),
        moderate_previous_sds: *t.moderate_previous_sds.get_ref(),
        weight_error_percent: *t.weight_error_percent.get_ref(),
        height_error_cm: *t.height_error_cm.get_ref(),
        extreme_ewma_sds: *t.extreme_ewma_sds.get_ref(),
        extreme_before_sds: *t.extreme_before_sds.get_ref(),
        extreme_value_sds: *t.extreme_value_sds.get_ref(),
        cited: cite(&t.sources, &t.grade)?,
    })
}
