//! What the stages found about the patient, beside what was given
//! ([`Patient`], never changed after validation): each stage returns its own
//! small typed value and the orchestration gathers them once, after the
//! regimen, into [`Findings`], which the safety flags, the unusual-input
//! notes and the output echo read.

use super::Patient;
use super::course::previous_weight_date;
use super::growth::Velocity;
use super::igf1::Igf1Reading;
use super::stature::Stature;
use crate::dosing::request::TitrateRequest;
use crate::units::Grams;
use chrono::NaiveDate;

/// Everything computed about the patient in one decision.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Findings {
    /// The height and BMI scores and obesity found ([`super::stature::score`]).
    pub(crate) stature: Stature,
    /// The IGF-1 reading the decision used ([`super::igf1::sds`]).
    pub(crate) igf1: Option<Igf1Reading>,
    /// The previous height read and the height velocity ([`super::growth::assess`]).
    pub(crate) velocity: Velocity,
    /// The previous weight an intensity was derived from (the regimen's
    /// [`PreviousWeight`]).
    pub(crate) previous_weight: Option<Grams>,
    /// The visit's dates and earlier values, echoed.
    pub(crate) visit: VisitEcho,
    /// Unusual but possible values, one sentence each (UNUSUAL_INPUT): the
    /// validation's first, then the stages' in the order they ran.
    pub(crate) unusual: Vec<String>,
}

impl Findings {
    /// What a start finds: the stature scores, after the validation's
    /// unusual values.
    pub(crate) fn of_start(p: &Patient, stature: Stature) -> Findings {
        Findings {
            unusual: unusual(p, &stature, None),
            stature,
            ..Findings::default()
        }
    }

    /// What a visit finds: the stature scores, the IGF-1 reading, the
    /// previous weight the regimen read and the growth since the previous
    /// height, with the visit's dates.
    pub(crate) fn of_visit(
        req: &TitrateRequest,
        p: &Patient,
        stature: Stature,
        igf1: Option<Igf1Reading>,
        previous: Option<PreviousWeight>,
        velocity: Velocity,
    ) -> Findings {
        let previous_weight = previous.as_ref().map(|w| w.weight);
        Findings {
            unusual: unusual(p, &stature, previous.and_then(|w| w.unusual)),
            stature,
            igf1,
            velocity,
            previous_weight,
            visit: VisitEcho::of(req),
        }
    }
}

/// The unusual values in order: the validation's, the stature scores', a
/// weight change since the previous weight.
fn unusual(p: &Patient, stature: &Stature, change: Option<String>) -> Vec<String> {
    p.unusual
        .iter()
        .chain(&stature.unusual)
        .cloned()
        .chain(change)
        .collect()
}

/// The previous weight a regimen derived the current intensity from, and a
/// change since it beyond the plausible one.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PreviousWeight {
    pub(crate) weight: Grams,
    pub(crate) unusual: Option<String>,
}

/// A visit's dates and earlier values as the decision read them (echoed;
/// all absent for a start).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct VisitEcho {
    /// The date the previous weight is judged from (given, or the last dose
    /// change).
    pub(crate) previous_weight_date: Option<NaiveDate>,
    pub(crate) previous_height_date: Option<NaiveDate>,
    pub(crate) igf1_date: Option<NaiveDate>,
    pub(crate) last_dose_change: Option<NaiveDate>,
    pub(crate) last_injection: Option<NaiveDate>,
    pub(crate) treatment_start: Option<NaiveDate>,
    pub(crate) pretreatment_hv_cm_per_year: Option<f64>,
    pub(crate) bone_age_years: Option<f64>,
}

impl VisitEcho {
    /// The visit's dates and earlier values from a titration request.
    pub(crate) fn of(req: &TitrateRequest) -> VisitEcho {
        VisitEcho {
            previous_weight_date: previous_weight_date(req),
            previous_height_date: req.previous_height_date,
            igf1_date: req.igf1_date,
            last_dose_change: req.last_dose_change,
            last_injection: req.last_injection,
            treatment_start: req.treatment_start,
            pretreatment_hv_cm_per_year: req.pretreatment_hv_cm_per_year,
            bone_age_years: req.bone_age_years,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dosing::patient::validate;
    use crate::dosing::test_support::*;

    #[test]
    fn the_unusual_values_come_in_the_order_the_stages_ran() {
        let q = visit("ghd", 30.0, 5.0);
        let p = validate(&q.subject.patient, q.subject.as_of, &RULES).unwrap();
        let p = Patient {
            unusual: vec!["at validation".into()],
            ..p
        };
        let stature = || Stature {
            unusual: vec!["on the references".into()],
            ..Stature::default()
        };
        let previous = PreviousWeight {
            weight: Grams::from_kg(24.0),
            unusual: Some("since the previous weight".into()),
        };
        let f = Findings::of_visit(&q, &p, stature(), None, Some(previous), Velocity::default());
        assert_eq!(
            f.unusual,
            [
                "at validation",
                "on the references",
                "since the previous weight"
            ]
        );
        assert_eq!(f.previous_weight, Some(Grams::from_kg(24.0)));
        let f = Findings::of_start(&p, stature());
        assert_eq!(f.unusual, ["at validation", "on the references"]);
        assert_eq!(f.previous_weight, None);
        assert_eq!(f.visit, VisitEcho::default());
    }

    #[test]
    fn the_previous_weight_is_dated_by_its_date_or_the_last_dose_change() {
        let mut q = visit("ghd", 30.0, 5.0);
        q.last_dose_change = Some(date("2026-05-01"));
        q.igf1_date = Some(date("2026-11-20"));
        // No previous weight: no date for it, the other dates as given.
        let v = VisitEcho::of(&q);
        assert_eq!(v.previous_weight_date, None);
        assert_eq!(v.last_dose_change, Some(date("2026-05-01")));
        assert_eq!(v.igf1_date, Some(date("2026-11-20")));
        q.previous_weight_kg = Some(28.0);
        assert_eq!(
            VisitEcho::of(&q).previous_weight_date,
            Some(date("2026-05-01"))
        );
        q.previous_weight_date = Some(date("2026-06-01"));
        assert_eq!(
            VisitEcho::of(&q).previous_weight_date,
            Some(date("2026-06-01"))
        );
    }
}
