//! The intensity (mg/kg/week) a child is on at a visit: prescribed, from
//! the previous weight, or from the current weight; refused when it cannot
//! be what the child is given.

use crate::dosing::error::{Error, Field, Result};
use crate::dosing::patient::{PreviousWeight, check};
use crate::dosing::range::span_text;
use crate::dosing::regimen::Visit;
use crate::dosing::request::TitrateRequest;
use crate::dosing::trail::Notes;
use crate::rules::RuleSet;
use crate::units::{Grams, Micrograms, NgPerKg, round_to};
use crate::vocab::FlagCode;

/// The bounds an intensity derived from the current dose is judged against.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Known {
    pub(crate) min: Option<NgPerKg>,
    pub(crate) max: NgPerKg,
    /// Above this the intensity is not plausible (a slip in the inputs).
    pub(crate) ceiling: NgPerKg,
}

/// The intensity the child is on: prescribed, from the previous weight, or
/// from the current weight. A derived intensity is brought down to the
/// range's maximum but never up to its minimum: a reduction made for a high
/// IGF-1 is not undone (DOSE_BELOW_RANGE says so). With it, the previous
/// weight it was derived from, if it was.
pub(crate) fn intensity_now(
    v: &Visit,
    weekly_now: Micrograms,
    weight: Grams,
    k: Known,
    rules: &RuleSet,
    notes: &mut Notes,
) -> Result<(NgPerKg, Option<PreviousWeight>)> {
    let d = Derive {
        req: v.req,
        weekly_now,
        weight,
        k,
        rules,
    };
    if let Some(x) = d.req.prescribed_mg_per_kg_week {
        return Ok((d.prescribed(x, notes)?, None));
    }
    let (raw, previous) = match d.req.previous_weight_kg {
        Some(prev) => d.by_previous_weight(prev, notes)?,
        None => {
            let i = NgPerKg::of(weekly_now, weight);
            notes.why(format!(
                "intensity {weekly_now} mg/week / {weight} kg = {i} mg/kg/week"
            ));
            (i, None)
        }
    };
    Ok((d.against_range(raw, notes), previous))
}

/// What the intensity is read from: the request, the current weekly dose,
/// today's weight, the bounds and the rule set.
struct Derive<'a> {
    req: &'a TitrateRequest,
    weekly_now: Micrograms,
    weight: Grams,
    k: Known,
    rules: &'a RuleSet,
}

impl Derive<'_> {
    /// The prescribed intensity, refused when implausible or far from the
    /// current dose; DOSE_ABOVE_RANGE above the recommended maximum.
    fn prescribed(&self, x: f64, notes: &mut Notes) -> Result<NgPerKg> {
        let Derive {
            req,
            weekly_now,
            weight,
            k,
            rules,
        } = *self;
        let Some(i) = NgPerKg::round_mg_per_kg(x).filter(|i| i.0 > 0 && *i <= k.ceiling) else {
            return Err(Error::says(
                Field::PrescribedMgPerKgWeek,
                format!(
                    "must be a positive number up to {} for {} (got {x})",
                    k.ceiling, req.subject.indication
                ),
            ));
        };
        let on = NgPerKg::of(weekly_now, weight);
        let factor = rules.plausibility.dose_mismatch_factor;
        let (a, b) = (on.0 as f64, i.0 as f64);
        if a > b * factor || a * factor < b {
            return Err(Error::says(
                Field::PrescribedMgPerKgWeek,
                format!(
                    "{i} mg/kg/week does not match the current {weekly_now} mg/week at {weight} kg ({on} mg/kg/week; more than {factor} times apart): check the prescribed intensity, the current dose and its unit"
                ),
            ));
        }
        notes.why(format!(
            "prescribed intensity {i} mg/kg/week (--prescribed-mg-per-kg-week)"
        ));
        if i > k.max {
            notes.raise(FlagCode::DoseAboveRange);
            notes.why(format!(
                "{i} mg/kg/week is above the recommended {}",
                span_text(k.min, k.max, "mg/kg/week")
            ));
        }
        Ok(i)
    }

    /// The intensity from the previous weight, refused above the highest
    /// labelled dose; an unusual weight change is noted.
    fn by_previous_weight(
        &self,
        prev: f64,
        notes: &mut Notes,
    ) -> Result<(NgPerKg, Option<PreviousWeight>)> {
        let Derive {
            req,
            weekly_now,
            weight,
            k,
            rules,
        } = *self;
        check(Field::PreviousWeightKg, prev, rules.limits.weight_kg, "kg")?;
        let g = Grams::from_kg(prev);
        let i = NgPerKg::of(weekly_now, g);
        if i > k.ceiling {
            return Err(Error::says(
                Field::PreviousWeightKg,
                format!(
                    "{prev} makes the current {weekly_now} mg/week {i} mg/kg/week, above the highest labelled dose {} mg/kg/week for {}: check the previous weight (a digit or the decimal point?)",
                    k.ceiling, req.subject.indication
                ),
            ));
        }
        let change = weight.0.saturating_sub(g.0) as f64 * 100.0 / g.0.max(1) as f64;
        let unusual = (change.abs() > rules.plausibility.weight_change_percent).then(|| {
            format!(
                "weight changed {}% since the previous weight ({g} -> {weight} kg; more than {}%)",
                round_to(change, 1),
                rules.plausibility.weight_change_percent
            )
        });
        notes.why(format!(
            "intensity {weekly_now} mg/week / {g} kg (previous weight) = {i} mg/kg/week"
        ));
        Ok((i, Some(PreviousWeight { weight: g, unusual })))
    }

    /// A derived intensity against the range: brought down to its maximum,
    /// kept below its minimum (DOSE_BELOW_RANGE).
    fn against_range(&self, raw: NgPerKg, notes: &mut Notes) -> NgPerKg {
        let k = self.k;
        if raw > k.max {
            notes.raise(FlagCode::DoseAboveRange);
            notes.why(format!(
                "the current {raw} mg/kg/week is above the recommended maximum (DOSE_ABOVE_RANGE): brought down to {} mg/kg/week",
                k.max
            ));
            return k.max;
        }
        // A fixed label dose (one mg/kg/week) below which the record shows
        // no reduction: the lower intensity came from a pen step, never a
        // decision; the label dose on today's weight is the dose (no ratchet
        // down).
        let no_cut = self
            .req
            .history
            .as_ref()
            .is_some_and(|h| h.reduction.is_none());
        if k.min == Some(k.max) && raw < k.max && no_cut {
            notes.why(format!(
                "{raw} mg/kg/week is below the label's one dose {} mg/kg/week and the visit record holds no reduction (it came from a pen step): the label dose on today's weight",
                k.max
            ));
            return k.max;
        }
        if let Some(m) = k.min.filter(|m| raw < *m) {
            notes.raise(FlagCode::DoseBelowRange);
            notes.why(format!(
                "{raw} mg/kg/week is below the recommended minimum {m} mg/kg/week: kept (the intensity is not brought up to the range without a reason)"
            ));
        }
        raw
    }
}
