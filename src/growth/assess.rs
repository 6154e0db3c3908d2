//! One growth assessment from what was measured: height, weight and BMI
//! scored on the references that fit the patient, height velocity and the
//! change in height SDS since an earlier height, and the mid-parental target
//! height. Pure: the caller reads reference files and passes the numbers of
//! its rule set ([`AssessmentSettings`]).

use super::bmi::{BmiSds, bmi_sds};
use super::builtin::Builtin;
use super::lms::GrowthReference;
use super::measures::{DeltaSds, MidParentalTarget, Observation, Tanner, delta_sds, target_height};
use super::{GrowthError, Measurement};
use crate::lms::centile;
use crate::vocab::Sex;

/// The numbers of the rule set a growth assessment uses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct AssessmentSettings {
    /// Heights closer together are not annualised (years).
    pub(crate) min_velocity_interval_years: f64,
    /// Mid-parental target height.
    pub(crate) tanner: Tanner,
    /// A measurement SDS beyond +/- this is unusual (reported).
    pub(crate) warn_sds: f64,
    /// A measurement SDS beyond +/- this is refused (a slip, not a child).
    pub(crate) refuse_sds: f64,
}

/// Which height reference scores the patient.
#[derive(Debug, Clone, Copy)]
pub(crate) enum HeightReference<'a> {
    /// CDC 2000: recumbent length under 2 years, standing height from 2.
    Cdc,
    /// Turner syndrome (Lyon 1985), girls; CDC is given alongside.
    Turner,
    /// A reference file of the user's (height or length).
    File(&'a GrowthReference),
}

/// What was measured, at the decision date.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GrowthInput<'a> {
    pub(crate) sex: Sex,
    /// Decimal age at the decision date.
    pub(crate) age_years: f64,
    pub(crate) height_cm: Option<f64>,
    pub(crate) weight_kg: Option<f64>,
    /// A BMI given as such (else computed from weight and height).
    pub(crate) bmi: Option<f64>,
    pub(crate) height_reference: HeightReference<'a>,
    /// A weight or BMI reference of the user's, replacing CDC for its measure.
    pub(crate) other_reference: Option<&'a GrowthReference>,
    /// An earlier height (cm) at an earlier age.
    pub(crate) previous_height: Option<Observation>,
    /// (father, mother) heights in cm.
    pub(crate) parents_cm: Option<(f64, f64)>,
}

/// A measurement scored on one reference.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Scored {
    pub(crate) value: f64,
    pub(crate) sds: f64,
    /// 0-100.
    pub(crate) centile: f64,
    /// The reference's id.
    pub(crate) reference: String,
}

/// A BMI scored, with whether it was computed and whether it is extended.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BmiScored {
    pub(crate) scored: Scored,
    pub(crate) computed: bool,
    pub(crate) score: BmiSds,
}

/// The change in height SDS since the earlier height.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Velocity {
    pub(crate) cm_per_year: f64,
    pub(crate) interval_years: f64,
    pub(crate) delta_sds: DeltaSds,
}

/// Everything one assessment finds.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Assessment {
    pub(crate) height: Option<Scored>,
    /// CDC alongside a Turner height.
    pub(crate) height_cdc: Option<Scored>,
    pub(crate) weight: Option<Scored>,
    pub(crate) bmi: Option<BmiScored>,
    pub(crate) velocity: Option<Velocity>,
    pub(crate) target: Option<MidParentalTarget>,
    /// Unusual values (beyond the warning SDS), one line each.
    pub(crate) unusual: Vec<String>,
    /// How each number was reached, one line each.
    pub(crate) why: Vec<String>,
    /// The ids of every reference used, in first-use order.
    pub(crate) references: Vec<String>,
}

impl Assessment {
    fn used(&mut self, r: &GrowthReference) {
        if !self.references.contains(&r.info.id) {
            self.references.push(r.info.id.clone());
        }
    }
}

/// A refused measurement: the field it came from and why.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Refused {
    /// `height`, `weight`, `bmi`, `previous_height` or `parents`.
    pub(crate) what: &'static str,
    pub(crate) error: GrowthError,
}

/// Assesses growth; a measurement the references cannot score (an age
/// outside them, a sex they lack) or one beyond the refusal SDS is refused.
pub(crate) fn assess(
    input: &GrowthInput,
    conv: &AssessmentSettings,
) -> Result<Assessment, Refused> {
    let mut a = Assessment::default();
    let refused = |what: &'static str| move |error: GrowthError| Refused { what, error };
    if let Some(cm) = input.height_cm {
        let r = height_reference(input, input.age_years).map_err(refused("height"))?;
        a.height = Some(score(&mut a, r, input, cm, conv, "height").map_err(refused("height"))?);
        if matches!(input.height_reference, HeightReference::Turner) {
            let cdc = Builtin::cdc_stature(input.age_years).reference();
            let cdc = cdc.map_err(|e| refused("height")(GrowthError::InvalidTable(e.message)))?;
            a.height_cdc = Some(
                score(&mut a, cdc, input, cm, conv, "height (CDC)").map_err(refused("height"))?,
            );
        }
    }
    if let Some(kg) = input.weight_kg {
        let r = other(
            input,
            Measurement::Weight,
            Builtin::cdc_weight(input.age_years),
        )
        .map_err(refused("weight"))?;
        a.weight = Some(score(&mut a, r, input, kg, conv, "weight").map_err(refused("weight"))?);
    }
    a.bmi = bmi(&mut a, input, conv).map_err(refused("bmi"))?;
    if let (Some(before), Some(now)) = (input.previous_height, input.height_cm) {
        a.velocity =
            velocity(&mut a, input, before, now, conv).map_err(refused("previous_height"))?;
    }
    if let Some((father, mother)) = input.parents_cm {
        let adult = Builtin::CdcHeight
            .reference()
            .map_err(|e| refused("parents")(GrowthError::InvalidTable(e.message)))?;
        let t = target_height(input.sex, father, mother, adult, &conv.tanner)
            .map_err(refused("parents"))?;
        a.used(adult);
        a.why.push(format!(
            "target height (Tanner): ({father} + {mother} {} {}) / 2 = {} cm, range {}-{} cm; SDS {} at {} years on {}",
            if input.sex == Sex::Male { "+" } else { "-" },
            conv.tanner.sex_difference_cm,
            round(t.cm, 1),
            round(t.low_cm, 1),
            round(t.high_cm, 1),
            round(t.sds, 2),
            conv.tanner.adult_age_years,
            adult.info.id
        ));
        a.target = Some(t);
    }
    Ok(a)
}

/// The height reference for an age.
fn height_reference<'a>(
    input: &GrowthInput<'a>,
    age: f64,
) -> Result<&'a GrowthReference, GrowthError> {
    match input.height_reference {
        HeightReference::Cdc => Builtin::cdc_stature(age).reference().map_err(built_in),
        HeightReference::Turner => Builtin::TurnerHeight.reference().map_err(built_in),
        HeightReference::File(r) => {
            if matches!(
                r.info.measurement,
                Measurement::Height | Measurement::Length
            ) {
                Ok(r)
            } else {
                Err(GrowthError::WrongMeasurement {
                    reference: r.info.name.clone(),
                    expected: Measurement::Height,
                    found: r.info.measurement,
                })
            }
        }
    }
}

/// The user's reference when it measures `m`, else the built-in one.
fn other<'a>(
    input: &GrowthInput<'a>,
    m: Measurement,
    fallback: Builtin,
) -> Result<&'a GrowthReference, GrowthError> {
    match input.other_reference {
        Some(r) if r.info.measurement == m => Ok(r),
        _ => fallback.reference().map_err(built_in),
    }
}

fn built_in(e: crate::diagnostic::FileError) -> GrowthError {
    GrowthError::InvalidTable(e.to_string())
}

/// A measurement's SDS and centile, refused beyond the refusal SDS and
/// noted beyond the warning SDS.
fn score(
    a: &mut Assessment,
    r: &GrowthReference,
    input: &GrowthInput,
    value: f64,
    conv: &AssessmentSettings,
    what: &str,
) -> Result<Scored, GrowthError> {
    let sds = r.sds(input.sex, input.age_years, value)?;
    plausible(a, sds, value, r, conv, what)?;
    a.used(r);
    a.why.push(format!(
        "{what} {} {}: SDS {} (centile {}) at {} years on {}",
        round(value, 2),
        r.info.measurement.unit(),
        round(sds, 2),
        round(centile(sds), 1),
        round(input.age_years, 2),
        r.info.id
    ));
    Ok(Scored {
        value,
        sds,
        centile: centile(sds),
        reference: r.info.id.clone(),
    })
}

fn plausible(
    a: &mut Assessment,
    sds: f64,
    value: f64,
    r: &GrowthReference,
    conv: &AssessmentSettings,
    what: &str,
) -> Result<(), GrowthError> {
    if sds.abs() > conv.refuse_sds {
        return Err(GrowthError::Implausible {
            what: what.to_string(),
            value,
            sds,
            limit: conv.refuse_sds,
            reference: r.info.id.clone(),
        });
    }
    if sds.abs() > conv.warn_sds {
        a.unusual.push(format!(
            "{what} {} {} is {} SDS on {} (beyond +/-{}): check the measurement",
            round(value, 2),
            r.info.measurement.unit(),
            round(sds, 2),
            r.info.id,
            conv.warn_sds
        ));
    }
    Ok(())
}

fn bmi(
    a: &mut Assessment,
    input: &GrowthInput,
    conv: &AssessmentSettings,
) -> Result<Option<BmiScored>, GrowthError> {
    let (value, computed) = match (input.bmi, input.weight_kg, input.height_cm) {
        (Some(b), _, _) => (b, false),
        (None, Some(w), Some(h)) => (super::bmi::bmi(w, h)?, true),
        _ => return Ok(None),
    };
    let r = other(input, Measurement::Bmi, Builtin::CdcBmi)?;
    let score = bmi_sds(r, input.sex, input.age_years, value)?;
    plausible(a, score.sds, value, r, conv, "BMI")?;
    a.used(r);
    a.why.push(format!(
        "BMI {} kg/m2{}: SDS {} (centile {}) on {}",
        round(value, 2),
        if computed {
            " (from weight and height)"
        } else {
            ""
        },
        round(score.sds, 2),
        round(score.centile, 1),
        r.info.id
    ));
    if let Some(note) = score.note {
        a.why.push(note.to_string());
    }
    Ok(Some(BmiScored {
        scored: Scored {
            value,
            sds: score.sds,
            centile: score.centile,
            reference: r.info.id.clone(),
        },
        computed,
        score,
    }))
}

/// Height velocity and the change in height SDS since the earlier height;
/// `None` (with the reason) when the heights are too close to annualise.
fn velocity(
    a: &mut Assessment,
    input: &GrowthInput,
    before: Observation,
    now_cm: f64,
    conv: &AssessmentSettings,
) -> Result<Option<Velocity>, GrowthError> {
    let now = Observation {
        age_years: input.age_years,
        value: now_cm,
    };
    let interval = now.age_years - before.age_years;
    if interval < conv.min_velocity_interval_years {
        a.why.push(format!(
            "heights {} years apart: too close to annualise (at least {} years); no velocity",
            round(interval, 2),
            conv.min_velocity_interval_years
        ));
        return Ok(None);
    }
    // Each height on the reference for its own age (length before 2 years).
    let r_now = height_reference(input, now.age_years)?;
    let r_before = height_reference(input, before.age_years)?;
    let from_sds = r_before.sds(input.sex, before.age_years, before.value)?;
    plausible(a, from_sds, before.value, r_before, conv, "previous height")?;
    let delta = if std::ptr::eq(r_now, r_before) {
        delta_sds(
            r_now,
            input.sex,
            before,
            now,
            conv.min_velocity_interval_years,
        )?
    } else {
        let to_sds = r_now.sds(input.sex, now.age_years, now.value)?;
        DeltaSds {
            from_sds,
            to_sds,
            total: to_sds - from_sds,
            per_year: (to_sds - from_sds) / interval,
            interval_years: interval,
        }
    };
    let cm_per_year = (now.value - before.value) / interval;
    a.why.push(format!(
        "height velocity ({} - {}) cm / {} years = {} cm/year; height SDS {} -> {} ({} in total, {} a year)",
        round(now.value, 1),
        round(before.value, 1),
        round(interval, 2),
        round(cm_per_year, 2),
        round(delta.from_sds, 2),
        round(delta.to_sds, 2),
        round(delta.total, 2),
        round(delta.per_year, 2)
    ));
    Ok(Some(Velocity {
        cm_per_year,
        interval_years: interval,
        delta_sds: delta,
    }))
}

/// `x` rounded to `d` decimals, for messages.
fn round(x: f64, d: i32) -> f64 {
    let f = 10f64.powi(d);
    (x * f).round() / f
}

#[cfg(test)]
mod tests;
