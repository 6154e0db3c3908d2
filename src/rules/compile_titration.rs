//! Titration tables (adult and pediatric daily somatropin), plausibility
//! bands and IGF-1 conventions.

use super::cite::Cite;
use super::compile::CheckReview;
use super::convert::{bounds, intensity, mass, percent};
use super::file;
use super::model::{
    AdultTitration, AgeBand, Bounds, BySex, Igf1Conventions, Limits, PediatricTitration,
    Plausibility, SdsStep, Titration,
};
use super::spanned::Spanned;
use crate::diagnostic::{Cx, R};
use crate::units::NgPerKg;
use crate::vocab::Symptom;
use std::ops::Range;

/// The adult and pediatric titration tables.
pub(super) fn compile_titration(
    cx: &Cx,
    t: &file::Titration,
    cite: &Cite,
    check_review: &CheckReview,
) -> R<Titration> {
    Ok(Titration {
        adult_daily: adult(cx, &t.adult_daily, cite, check_review)?,
        pediatric_daily: pediatric(cx, &t.pediatric_daily, cite, check_review)?,
    })
}

/// Compiles the adult daily titration table: target and its bounds, the
/// ordered steps up and down, the doses, caps, symptoms and reviews.
fn adult(
    cx: &Cx,
    a: &file::AdultTitrationRow,
    cite: &Cite,
    check_review: &CheckReview,
) -> R<AdultTitration> {
    let target = adult_target(cx, a)?;
    let step_up = adult_step_up(cx, a)?;
    let step_down = adult_step_down(cx, a)?;
    let m = |v: &Spanned<f64>, what: &str| mass(cx, *v.get_ref(), &v.span(), what);
    let age = *a.older_age_years.get_ref();
    let caps = caps(cx, &a.cap_mg_per_kg_day)?;
    Ok(AdultTitration {
        target,
        ceiling_sds: *a.ceiling_sds.get_ref(),
        low_sds: *a.low_sds.get_ref(),
        step_up,
        step_up_max_older_or_diabetes: m(
            &a.step_up_max_older_or_diabetes_mg_per_day,
            "step_up_max_older_or_diabetes_mg_per_day",
        )?,
        older_age_years: age,
        step_down,
        step_down_symptoms: m(
            &a.step_down_symptoms_mg_per_day,
            "step_down_symptoms_mg_per_day",
        )?,
        min_per_day: m(&a.min_mg_per_day, "min_mg_per_day")?,
        min_weeks_between_increases: a.min_weeks_between_increases,
        min_days_after_change_for_igf1: a.min_days_after_change_for_igf1,
        typical_maintenance_max: m(
            &a.typical_maintenance_max_mg_per_day,
            "typical_maintenance_max_mg_per_day",
        )?,
        caps,
        cap_without_weight: m(
            &a.cap_without_weight_mg_per_day,
            "cap_without_weight_mg_per_day",
        )?,
        dose_related_symptoms: symptoms(cx, &a.dose_related_symptoms)?,
        review_after_change: check_review(&a.review_after_change)?,
        review_stable: check_review(&a.review_stable)?,
        review_recheck: check_review(&a.review_recheck)?,
        cited: cite(&a.sources, &a.grade)?,
    })
}

/// The adult target SDS, with the low and ceiling SDS on either side of it.
fn adult_target(cx: &Cx, a: &file::AdultTitrationRow) -> R<Bounds> {
    let target = bounds(cx, &a.target_sds, "titration.adult_daily.target_sds")?;
    if *a.low_sds.get_ref() >= target.min {
        return Err(cx.err(&a.low_sds.span(), "low_sds must be below target_sds.min"));
    }
    if *a.ceiling_sds.get_ref() < target.max {
        return Err(cx.err(
            &a.ceiling_sds.span(),
            "ceiling_sds must not be below target_sds.max",
        ));
    }
    Ok(target)
}

/// The adult steps up, ordered by increasing `sds_below`.
fn adult_step_up(cx: &Cx, a: &file::AdultTitrationRow) -> R<Vec<SdsStep>> {
    let ups = a.step_up.get_ref();
    if ups.is_empty() || ups.windows(2).any(|w| w[0].sds_below >= w[1].sds_below) {
        return Err(cx.err(
            &a.step_up.span(),
            "step_up must be non-empty and ordered by increasing sds_below",
        ));
    }
    ups.iter()
        .map(|s| {
            Ok(SdsStep {
                sds: s.sds_below,
                step: mass(cx, s.mg_per_day, &a.step_up.span(), "step_up.mg_per_day")?,
            })
        })
        .collect::<R<Vec<_>>>()
}

/// The adult steps down, ordered by decreasing `sds_above`.
fn adult_step_down(cx: &Cx, a: &file::AdultTitrationRow) -> R<Vec<SdsStep>> {
    let downs = a.step_down.get_ref();
    if downs.is_empty() || downs.windows(2).any(|w| w[0].sds_above <= w[1].sds_above) {
        return Err(cx.err(
            &a.step_down.span(),
            "step_down must be non-empty and ordered by decreasing sds_above",
        ));
    }
    downs
        .iter()
        .map(|s| {
            Ok(SdsStep {
                sds: s.sds_above,
                step: mass(
                    cx,
                    s.mg_per_day,
                    &a.step_down.span(),
                    "step_down.mg_per_day",
                )?,
            })
        })
        .collect::<R<Vec<_>>>()
}

/// The hard cap by age: every row but the last has an age; the last has none.
fn caps(cx: &Cx, rows: &Spanned<Vec<file::CapRow>>) -> R<Vec<(Option<f64>, NgPerKg)>> {
    let raw_caps = rows.get_ref();
    match raw_caps.split_last() {
        Some((last, rest))
            if last.age_years_at_most.is_none()
                && rest.iter().all(|c| c.age_years_at_most.is_some()) => {}
        _ => {
            return Err(cx.err(
                &rows.span(),
                "cap_mg_per_kg_day: every row but the last needs age_years_at_most; the last has none",
            ));
        }
    }
    raw_caps
        .iter()
        .map(|c| {
            Ok((
                c.age_years_at_most,
                intensity(
                    cx,
                    c.mg_per_kg_day,
                    &rows.span(),
                    "cap_mg_per_kg_day.mg_per_kg_day",
                )?,
            ))
        })
        .collect::<R<Vec<_>>>()
}

fn symptoms(cx: &Cx, v: &Spanned<Vec<String>>) -> R<Vec<Symptom>> {
    v.get_ref()
        .iter()
        .map(|s| {
            s.parse::<Symptom>()
                .map_err(|e| cx.err(&v.span(), format!("dose_related_symptoms '{s}': {e}")))
        })
        .collect()
}

fn pediatric(
    cx: &Cx,
    p: &file::PediatricTitrationRow,
    cite: &Cite,
    check_review: &CheckReview,
) -> R<PediatricTitration> {
    if p.low_sds.get_ref() >= p.ceiling_sds.get_ref() {
        return Err(cx.err(&p.low_sds.span(), "low_sds must be below ceiling_sds"));
    }
    for v in [
        &p.near_final_height_cm_per_year,
        &p.poor_first_year_gain_cm_per_year,
        &p.height_measurement_error_cm,
    ] {
        if *v.get_ref() <= 0.0 {
            return Err(cx.err(&v.span(), "growth thresholds must be above 0 cm"));
        }
    }
    let window = bounds(cx, &p.first_year_window_years, "first_year_window_years")?;
    if window.min <= 0.0 {
        return Err(cx.err(
            &p.first_year_window_years.span(),
            "first_year_window_years must start after the treatment start (min above 0)",
        ));
    }
    Ok(PediatricTitration {
        ceiling_sds: *p.ceiling_sds.get_ref(),
        reduce_above_ceiling: percent(
            cx,
            &p.reduce_percent_above_ceiling,
            "reduce_percent_above_ceiling",
        )?,
        low_sds: *p.low_sds.get_ref(),
        near_final_height_cm_per_year: *p.near_final_height_cm_per_year.get_ref(),
        near_final_age_years: BySex {
            female: *p.near_final_age_female_years.get_ref(),
            male: *p.near_final_age_male_years.get_ref(),
        },
        near_final_sources: cite(&p.near_final_sources, &p.grade)?.sources,
        prepubertal_sources: cite(&p.prepubertal_sources, &p.grade)?.sources,
        prepubertal_start_before_years: BySex {
            female: *p.prepubertal_start_before_female_years.get_ref(),
            male: *p.prepubertal_start_before_male_years.get_ref(),
        },
        poor_first_year_gain_cm_per_year: *p.poor_first_year_gain_cm_per_year.get_ref(),
        first_year_window_years: window,
        height_measurement_error_cm: *p.height_measurement_error_cm.get_ref(),
        min_days_after_change_for_igf1: p.min_days_after_change_for_igf1,
        review: check_review(&p.review)?,
        cited: cite(&p.sources, &p.grade)?,
    })
}

/// Advisory plausibility bands; the last age band must reach past the
/// oldest age the input limits allow.
pub(super) fn compile_plausibility(
    cx: &Cx,
    p: &file::PlausibilityRow,
    limits: &Limits,
    cite: &Cite,
    check_review: &CheckReview,
) -> R<Plausibility> {
    let oldest = limits.age_years.max;
    let bands = |rows: Vec<(f64, f64, f64)>, span: &Range<usize>, what: &str| -> R<Vec<AgeBand>> {
        let list: Vec<AgeBand> = rows
            .into_iter()
            .map(|(age_below, min, max)| AgeBand {
                age_below,
                range: Bounds { min, max },
            })
            .collect();
        let ok = !list.is_empty()
            && list.windows(2).all(|w| w[0].age_below < w[1].age_below)
            && list.iter().all(|b| b.range.min < b.range.max)
            && list.last().is_some_and(|b| b.age_below > oldest);
        if ok {
            Ok(list)
        } else {
            Err(cx.err(
                span,
                format!(
                    "{what}: bands need increasing age_below (the last above limits.age_years.max, {oldest}) and min below max"
                ),
            ))
        }
    };
    let weight = bands(
        p.weight_for_age
            .get_ref()
            .iter()
            .map(|b| (b.age_below, b.min_kg, b.max_kg))
            .collect(),
        &p.weight_for_age.span(),
        "weight_for_age",
    )?;
    let height = bands(
        p.height_for_age
            .get_ref()
            .iter()
            .map(|b| (b.age_below, b.min_cm, b.max_cm))
            .collect(),
        &p.height_for_age.span(),
        "height_for_age",
    )?;
    for (v, what) in [
        (&p.igf1_sds_beyond, "igf1_sds_beyond"),
        (&p.weight_change_percent, "weight_change_percent"),
    ] {
        if *v.get_ref() <= 0.0 {
            return Err(cx.err(&v.span(), format!("{what} must be above 0")));
        }
    }
    Ok(Plausibility {
        igf1_sds_beyond: *p.igf1_sds_beyond.get_ref(),
        igf1_repeat_review: check_review(&p.igf1_repeat_review)?,
        igf1_stale_days: *p.igf1_stale_days.get_ref(),
        min_velocity_interval_years: *p.min_velocity_interval_years.get_ref(),
        weight_change_percent: *p.weight_change_percent.get_ref(),
        dose_mismatch_factor: *p.dose_mismatch_factor.get_ref(),
        weight_for_age: weight,
        height_for_age: height,
        cited: cite(&p.sources, &p.grade)?,
    })
}

/// IGF-1 units and range quantiles (each within its band).
pub(super) fn compile_igf1(i: &file::Igf1Row, cite: &Cite) -> R<Igf1Conventions> {
    Ok(Igf1Conventions {
        ng_per_ml_per_nmol_per_l: *i.ng_per_ml_per_nmol_per_l.get_ref(),
        central_95_quantile: *i.central_95_quantile.get_ref(),
        two_sd_quantile: *i.two_sd_quantile.get_ref(),
        cited: cite(&i.sources, &i.grade)?,
    })
}
