//! One growth assessment from what was measured: height, weight and BMI
//! scored on the references that fit the patient, height velocity and the
//! change in height SDS since an earlier height, and the mid-parental target
//! height. Pure: the caller reads reference files and passes the numbers of
//! its rule set ([`Conventions`]).

use super::bmi::{BmiScore, bmi_sds};
use super::builtin::Builtin;
use super::lms::GrowthReference;
use super::measures::{DeltaSds, Observation, Tanner, TargetHeight, delta_sds, target_height};
use super::{GrowthError, Measurement};
use crate::lms::centile;
use crate::vocab::Sex;

/// The numbers of the rule set a growth assessment uses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Conventions {
    /// Heights closer together are not annualised (years).
    pub min_velocity_interval_years: f64,
    /// Mid-parental target height.
    pub tanner: Tanner,
    /// A measurement SDS beyond +/- this is unusual (reported).
    pub warn_sds: f64,
    /// A measurement SDS beyond +/- this is refused (a slip, not a child).
    pub refuse_sds: f64,
}

/// Which height reference scores the patient.
#[derive(Debug, Clone, Copy)]
pub enum HeightReference<'a> {
    /// CDC 2000: recumbent length under 2 years, standing height from 2.
    Cdc,
    /// Turner syndrome (Lyon 1985), girls; CDC is given alongside.
    Turner,
    /// A reference file of the user's (height or length).
    File(&'a GrowthReference),
}

/// What was measured, at the decision date.
#[derive(Debug, Clone, Copy)]
pub struct GrowthInput<'a> {
    pub sex: Sex,
    /// Decimal age at the decision date.
    pub age_years: f64,
    pub height_cm: Option<f64>,
    pub weight_kg: Option<f64>,
    /// A BMI given as such (else computed from weight and height).
    pub bmi: Option<f64>,
    pub height_reference: HeightReference<'a>,
    /// A weight or BMI reference of the user's, replacing CDC for its measure.
    pub other_reference: Option<&'a GrowthReference>,
    /// An earlier height (cm) at an earlier age.
    pub previous_height: Option<Observation>,
    /// (father, mother) heights in cm.
    pub parents_cm: Option<(f64, f64)>,
}

/// A measurement scored on one reference.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub value: f64,
    pub sds: f64,
    /// 0-100.
    pub centile: f64,
    /// The reference's id.
    pub reference: String,
}

/// A BMI scored, with whether it was computed and whether it is extended.
#[derive(Debug, Clone, PartialEq)]
pub struct BmiScored {
    pub scored: Scored,
    pub computed: bool,
    pub score: BmiScore,
}

/// The change in height SDS since the earlier height.
#[derive(Debug, Clone, PartialEq)]
pub struct Velocity {
    pub cm_per_year: f64,
    pub interval_years: f64,
    pub delta_sds: DeltaSds,
}

/// Everything one assessment finds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Assessment {
    pub height: Option<Scored>,
    /// CDC alongside a Turner height.
    pub height_cdc: Option<Scored>,
    pub weight: Option<Scored>,
    pub bmi: Option<BmiScored>,
    pub velocity: Option<Velocity>,
    pub target: Option<TargetHeight>,
    /// Unusual values (beyond the warning SDS), one line each.
    pub unusual: Vec<String>,
    /// How each number was reached, one line each.
    pub why: Vec<String>,
    /// The ids of every reference used, in first-use order.
    pub references: Vec<String>,
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
pub struct Refused {
    /// `height`, `weight`, `bmi`, `previous_height` or `parents`.
    pub what: &'static str,
    pub error: GrowthError,
}

/// Assesses growth; a measurement the references cannot score (an age
/// outside them, a sex they lack) or one beyond the refusal SDS is refused.
pub fn assess(input: &GrowthInput, conv: &Conventions) -> Result<Assessment, Refused> {
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
    conv: &Conventions,
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
    conv: &Conventions,
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
    conv: &Conventions,
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
    conv: &Conventions,
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
mod tests {
    use super::*;

    const CONV: Conventions = Conventions {
        min_velocity_interval_years: 0.5,
        tanner: Tanner {
            sex_difference_cm: 13.0,
            range_cm: 8.5,
            adult_age_years: 20.0,
        },
        warn_sds: 4.0,
        refuse_sds: 8.0,
    };

    fn input(sex: Sex, age_years: f64) -> GrowthInput<'static> {
        GrowthInput {
            sex,
            age_years,
            height_cm: None,
            weight_kg: None,
            bmi: None,
            height_reference: HeightReference::Cdc,
            other_reference: None,
            previous_height: None,
            parents_cm: None,
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn heights_are_scored_on_the_cdc_row_at_a_table_age() {
        // CDC stature, boys 120.5 months: L 0.505564115, M 138.8234114,
        // S 0.047610108; 145 cm: ((145/M)^L - 1)/(L S) = 0.924459.
        let mut i = input(Sex::Male, 120.5 / 12.0);
        i.height_cm = Some(145.0);
        let a = assess(&i, &CONV).unwrap();
        let h = a.height.unwrap();
        assert!(close(h.sds, 0.924459), "{h:?}");
        // Centile = 100 Phi(0.924459) = 82.2374.
        assert!((h.centile - 82.2374).abs() < 1e-3, "{h:?}");
        assert_eq!(h.reference, "cdc2000-height");
        assert!(a.height_cdc.is_none());
        // Girls 120.5 months: L 0.284748919, M 138.2111552, S 0.048704503;
        // 125 cm: -2.033598.
        let mut i = input(Sex::Female, 120.5 / 12.0);
        i.height_cm = Some(125.0);
        assert!(close(
            assess(&i, &CONV).unwrap().height.unwrap().sds,
            -2.033598
        ));
    }

    #[test]
    fn a_turner_girl_is_scored_on_turner_with_cdc_alongside() {
        // Turner, 10 years: L 1, M 119.45, S 0.047; 125 cm: (125/119.45 - 1)/0.047 = 0.988574.
        let mut i = input(Sex::Female, 10.0);
        i.height_cm = Some(125.0);
        i.height_reference = HeightReference::Turner;
        let a = assess(&i, &CONV).unwrap();
        let h = a.height.unwrap();
        assert!(close(h.sds, 0.988574), "{h:?}");
        assert_eq!(h.reference, "turner-lyon1985-height");
        let cdc = a.height_cdc.unwrap();
        assert_eq!(cdc.reference, "cdc2000-height");
        assert!(cdc.sds < -1.9 && cdc.sds > -2.2, "{cdc:?}");
        assert_eq!(a.references, ["turner-lyon1985-height", "cdc2000-height"]);
        // Boys have no Turner rows: refused, naming the measurement.
        let mut boy = i;
        boy.sex = Sex::Male;
        let e = assess(&boy, &CONV).unwrap_err();
        assert_eq!(e.what, "height");
        assert!(matches!(e.error, GrowthError::NoRowsForSex { .. }), "{e:?}");
    }

    #[test]
    fn velocity_and_change_in_sds_need_half_a_year() {
        let mut i = input(Sex::Female, 10.0);
        i.height_reference = HeightReference::Turner;
        i.height_cm = Some(125.0);
        i.previous_height = Some(Observation {
            age_years: 9.5,
            value: 121.0,
        });
        let v = assess(&i, &CONV).unwrap().velocity.unwrap();
        // (125 - 121) / 0.5 = 8 cm/year.
        assert!(
            close(v.cm_per_year, 8.0) && close(v.interval_years, 0.5),
            "{v:?}"
        );
        assert!(close(v.delta_sds.to_sds, 0.988574));
        assert!(close(
            v.delta_sds.total,
            v.delta_sds.to_sds - v.delta_sds.from_sds
        ));
        assert!(close(v.delta_sds.per_year, v.delta_sds.total / 0.5));
        // Two weeks apart: no velocity, said why.
        i.previous_height = Some(Observation {
            age_years: 10.0 - 14.0 / 365.25,
            value: 125.0,
        });
        let a = assess(&i, &CONV).unwrap();
        assert!(a.velocity.is_none());
        assert!(
            a.why.iter().any(|w| w.contains("too close to annualise")),
            "{:?}",
            a.why
        );
    }

    #[test]
    fn slips_are_refused_and_outliers_reported() {
        let mut i = input(Sex::Male, 120.5 / 12.0);
        i.height_cm = Some(300.0);
        let e = assess(&i, &CONV).unwrap_err();
        assert!(matches!(e.error, GrowthError::Implausible { .. }), "{e:?}");
        assert!(e.error.to_string().contains("beyond +/-8"), "{}", e.error);
        // About +4.5 SDS: scored, reported as unusual.
        let lms = Builtin::CdcHeight
            .reference()
            .unwrap()
            .lms_at(Sex::Male, 120.5 / 12.0)
            .unwrap();
        i.height_cm = lms.value_at(4.5);
        let a = assess(&i, &CONV).unwrap();
        assert!(close(a.height.unwrap().sds, 4.5));
        assert_eq!(a.unusual.len(), 1, "{:?}", a.unusual);
        // Outside the reference's ages: refused with its range.
        let mut old = input(Sex::Male, 21.0);
        old.height_cm = Some(175.0);
        let e = assess(&old, &CONV).unwrap_err();
        assert!(
            e.error.to_string().contains("aged 2 to 20 years"),
            "{}",
            e.error
        );
    }

    #[test]
    fn bmi_is_computed_from_weight_and_height_and_target_height_from_the_parents() {
        let mut i = input(Sex::Male, 120.5 / 12.0);
        i.height_cm = Some(140.0);
        i.weight_kg = Some(35.0);
        i.parents_cm = Some((180.0, 165.0));
        let a = assess(&i, &CONV).unwrap();
        let b = a.bmi.unwrap();
        // 35 / 1.4^2 = 17.857143.
        assert!(close(b.scored.value, 35.0 / 1.96) && b.computed, "{b:?}");
        assert_eq!(b.scored.reference, "cdc2000-bmi");
        assert!(a.weight.is_some());
        // (180 + 165 + 13) / 2 = 179 cm, SDS 0.301562 at 20 years (measures tests).
        let t = a.target.unwrap();
        assert!(close(t.cm, 179.0) && close(t.sds, 0.301562), "{t:?}");
        assert_eq!(
            a.references,
            ["cdc2000-height", "cdc2000-weight", "cdc2000-bmi"]
        );
    }
}
