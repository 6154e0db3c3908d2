//! The range a child's dose is judged against: the indication's recommended
//! range intersected with the product label's, the suggested start, and a
//! clinician-chosen intensity.

use crate::dosing::device::outside_ages;
use crate::dosing::error::{Error, Field, Result};
use crate::dosing::outcome::{LabelRange, Span};
use crate::dosing::patient::{Patient, Stature, fmt_num};
use crate::dosing::proposal::Ctx;
use crate::dosing::range::{recommended, span_text};
use crate::dosing::request::Chosen;
use crate::dosing::trail::Notes;
use crate::rules::WeightBased;
use crate::rules::products::LabelDosing;
use crate::units::{Grams, NgPerKg};
use crate::vocab::FlagCode;

/// The recommended range after the product label, and whether it is labelled.
pub(crate) struct OnLabel {
    pub(crate) min: Option<NgPerKg>,
    pub(crate) max: NgPerKg,
    pub(crate) labelled: bool,
    pub(crate) label_range: Option<LabelRange>,
}

/// The generic range intersected with the product label's, with OFF_LABEL
/// when the product is not labelled for the indication, region or age;
/// `basis` says what the dose is then based on.
pub(crate) fn on_label(
    cx: &mut Ctx,
    wb: &WeightBased,
    p: &Patient,
    weight: Grams,
    basis: &str,
) -> OnLabel {
    let mut out = OnLabel {
        min: wb.min,
        max: wb.max,
        labelled: true,
        label_range: None,
    };
    let Some(o) = cx.on else {
        if let Some(why) = indication_ages(cx, p) {
            out.labelled = false;
            cx.notes.off_label(why);
        }
        return out;
    };
    let by_indication = o
        .label
        .filter(|l| l.min_age_years.is_none() && l.max_age_years.is_none())
        .and_then(|_| indication_ages(cx, p));
    let notes = &mut *cx.notes;
    match o.label.map(|l| (l, &l.dosing)) {
        Some((
            label,
            LabelDosing::WeightBased {
                min: lmin,
                max: lmax,
                ..
            },
        )) => {
            notes.cite(&label.cited.sources);
            out.label_range = Some(LabelRange {
                region: label.region,
                mg_per_kg_per_week: Some(Span {
                    min: *lmin,
                    max: *lmax,
                }),
                mg_per_day: None,
                mg_per_week: Some(Span {
                    min: lmin.map(|m| m.times(weight)),
                    max: lmax.times(weight),
                }),
            });
            let (min, max, overlap) = recommended(wb, Some((*lmin, *lmax)));
            (out.min, out.max) = (min, max);
            let label_text = span_text(*lmin, *lmax, "mg/kg/week");
            let (name, region, grade) = (&o.product.name, label.region, label.cited.grade);
            notes.why(if overlap {
                format!(
                    "{name} label ({region}, grade {grade}): {label_text}; recommended range with the label {}",
                    span_text(min, max, "mg/kg/week")
                )
            } else {
                format!(
                    "{name} label ({region}, grade {grade}) {label_text} does not overlap the generic range: the label's range is used"
                )
            });
            if let Some(why) = outside_ages(label, p) {
                out.labelled = false;
                notes.off_label(format!("{name} is {why}: off-label by age"));
            } else if let Some(why) = by_indication {
                out.labelled = false;
                notes.off_label(why);
            }
        }
        _ => {
            out.labelled = false;
            notes.off_label(format!(
                "{} is not labelled for {} in the {} label: {basis}",
                o.product.name, cx.ind.id, cx.subject.product.region
            ));
        }
    }
    o.note(notes);
    out
}

/// The labels' ages of the indication for the request's region, when the
/// patient's age falls outside them: why, with the sources cited.
fn indication_ages(cx: &mut Ctx, p: &Patient) -> Option<String> {
    let age = p.age_exact?;
    let region = cx.subject.product.region;
    let a = cx
        .ind
        .labelled_ages
        .iter()
        .find(|a| a.region.is_none_or(|r| r == region) && a.excludes(age))?;
    cx.notes.cite(&a.cited.sources);
    Some(format!(
        "{} at {} years: {} ({region} labels): off-label by age",
        cx.ind.name,
        fmt_num(crate::units::round_to(age, 1)),
        a.says
    ))
}

/// The suggested start (or its override, by the height SDS scored),
/// clamped into the range.
pub(super) fn suggested(
    wb: &WeightBased,
    p: &Patient,
    s: &Stature,
    (min, max): (Option<NgPerKg>, NgPerKg),
    notes: &mut Notes,
) -> NgPerKg {
    let hit = wb.overrides.iter().find(|o| {
        o.height_sds_below
            .is_some_and(|t| s.height_sds().is_some_and(|h| h < t))
            || o.pubertal.is_some_and(|want| want && p.pubertal)
    });
    let base = match hit {
        Some(o) => {
            notes.why(format!("start {} mg/kg/week: {}", o.intensity, o.reason));
            notes.cite(&o.cited.sources);
            o.intensity
        }
        None => wb.start,
    };
    let clamped = base.clamp(min.unwrap_or(base).min(max), max);
    if clamped != base {
        notes.why(format!(
            "start {base} mg/kg/week moved into the product range: {clamped} mg/kg/week"
        ));
    }
    clamped
}

/// The range a chosen intensity is judged against.
pub(crate) struct Bounds<'a> {
    pub(crate) min: Option<NgPerKg>,
    pub(crate) max: NgPerKg,
    /// Above this it is refused.
    pub(crate) ceiling: NgPerKg,
    /// What the ceiling is.
    pub(crate) why: String,
    pub(crate) note: Option<&'a str>,
}

/// A clinician-chosen intensity: refused above the labelled ceiling, flagged
/// outside the range (above: DOSE_ABOVE_RANGE; below: DOSE_BELOW_RANGE).
pub(crate) fn chosen_intensity(
    chosen: Chosen,
    id: &str,
    b: &Bounds,
    notes: &mut Notes,
) -> Result<NgPerKg> {
    let per_day = chosen.field == Field::MgPerKgDay;
    let days = if per_day { 7 } else { 1 };
    let in_unit = |x: NgPerKg| NgPerKg(x.0 / days);
    let x = chosen.mg_per_kg_week();
    let given = fmt_num(chosen.value);
    let Some(intensity) = NgPerKg::round_mg_per_kg(x).filter(|i| i.0 > 0) else {
        return Err(Error::says(
            chosen.field,
            format!(
                "must be a positive number up to {} for {id} (got {given})",
                in_unit(b.ceiling)
            ),
        ));
    };
    if intensity > b.ceiling {
        let note = b.note.map(|n| format!("; {n}")).unwrap_or_default();
        return Err(Error::says(
            chosen.field,
            format!(
                "must be at most {} for {id}, {} (got {given}){note}",
                in_unit(b.ceiling),
                b.why
            ),
        ));
    }
    let how = if per_day {
        format!("{given} mg/kg/day (--mg-per-kg-day) x 7 = {intensity} mg/kg/week")
    } else {
        format!("{intensity} mg/kg/week (--mg-per-kg-week)")
    };
    notes.why(format!("chosen intensity {how}"));
    if intensity > b.max {
        notes.raise(FlagCode::DoseAboveRange);
        let note = b.note.map(|n| format!(" ({n})")).unwrap_or_default();
        notes.why(format!(
            "{intensity} mg/kg/week is above the recommended maximum {} mg/kg/week{note}",
            b.max
        ));
    } else if let Some(m) = b.min.filter(|m| intensity < *m) {
        notes.raise(FlagCode::DoseBelowRange);
        notes.why(format!(
            "{intensity} mg/kg/week is below the recommended minimum {m} mg/kg/week"
        ));
    }
    Ok(intensity)
}
