//! Inputs that do not apply to the patient's population are refused or
//! named, never silently ignored: oral estrogen (an adult start modifier)
//! and a pretreatment height velocity for an adult are refused; a child's
//! switch from daily growth hormone is named (the child starts the weekly
//! product at its weight-based dose; the switch tables are the adult label's).

use crate::dosing::error::{Error, Field, Result, msg};
use crate::dosing::request::PatientInput;
use crate::rules::Indication;
use crate::vocab::Population;

/// Refuses a patient input that the indication's population does not use.
/// `child_only` are a visit's growth inputs: the pretreatment height velocity
/// and the bone age.
pub(crate) fn check(
    p: &PatientInput,
    ind: &Indication,
    child_only: (Option<f64>, Option<f64>),
) -> Result<()> {
    let (hv, bone_age) = child_only;
    let pediatric = ind.population == Population::Pediatric;
    let refuse = |field: Field, value: String, what: &str| {
        Err(Error::new(
            field,
            msg![
                field,
                format!(
                    "{value} does not apply to {} ({}): {what}; leave it out",
                    ind.id, ind.population
                )
            ],
        ))
    };
    if pediatric && p.oral_estrogen {
        return refuse(
            Field::OralEstrogen,
            String::new(),
            "it changes the adult starting dose only",
        );
    }
    if !pediatric && let Some(v) = hv {
        return refuse(
            Field::PretreatmentHvCmPerYear,
            format!(" {}", super::fmt_num(v)),
            "the first-year growth response is judged in children only",
        );
    }
    if !pediatric && let Some(v) = bone_age {
        return refuse(
            Field::BoneAgeYears,
            format!(" {}", super::fmt_num(v)),
            "whether growth is nearly complete is judged in children only",
        );
    }
    Ok(())
}

/// The rationale line of a child's switch from daily growth hormone.
pub(crate) fn named(p: &PatientInput, ind: &Indication, notes: &mut crate::dosing::trail::Notes) {
    if ind.population == Population::Pediatric && p.switching_from_daily {
        notes.why(
            "switching from daily growth hormone: a child starts the new product at its label's weight-based dose (the switch starts are the adult weekly label's)",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::dosing::test_support::*;

    #[test]
    fn inputs_for_another_population_are_refused_or_named() {
        let mut q = child("ghd", 20.0);
        q.subject.patient.oral_estrogen = true;
        assert!(start_err(q).starts_with("--oral-estrogen does not apply to ghd (pediatric)"));
        let mut q = child("ghd", 20.0);
        q.subject.patient.switching_from_daily = true;
        assert!(start_ok(q).rationale.iter().any(|l| l.starts_with(
            "switching from daily growth hormone: a child starts the new product at its label's weight-based dose"
        )));
        let mut v = adult_visit(45.0, 0.3, -0.5);
        v.pretreatment_hv_cm_per_year = Some(4.0);
        assert!(
            titrate_err(v)
                .starts_with("--pretreatment-hv-cm-per-year 4 does not apply to adult-ghd (adult)")
        );
        let mut v = adult_visit(45.0, 0.3, -0.5);
        v.bone_age_years = Some(17.0);
        assert!(
            titrate_err(v).starts_with("--bone-age-years 17 does not apply to adult-ghd (adult)")
        );
    }
}
