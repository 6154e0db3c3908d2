//! Weekly-product tables: the adult weekly start and titration table, the
//! weight-band tables, and IGF-1 strength steps.

use super::file::{AdultWeeklyRow, BandTableRow, ProductRow};
use super::model::{AdultWeekly, Band, BandTable, OlderAge, StrengthStep};
use crate::diagnostic::{Cx, R};
use crate::rules::RuleSet;
use crate::rules::cite::Cite;
use crate::rules::convert::{bounds, is_kebab, mass};
use crate::rules::model::SdsStep;
use crate::rules::spanned::Spanned;
use crate::units::{Grams, Micrograms};

/// Compiles one adult weekly table: its group, age split and review, the
/// doses and steps, then checks the starts against the maxima.
pub(super) fn adult_weekly(
    cx: &Cx,
    row: &AdultWeeklyRow,
    rules: &RuleSet,
    cite: &Cite,
) -> R<AdultWeekly> {
    let m = |v: &Spanned<f64>, what: &str| mass(cx, *v.get_ref(), &v.span(), what);
    let opt = |v: &Option<Spanned<f64>>, what: &str| -> R<Option<Micrograms>> {
        v.as_ref().map(|v| m(v, what)).transpose()
    };
    let older = older_age(cx, row)?;
    let review = known_review(cx, row, rules)?;
    let aw = AdultWeekly {
        id: row.id.get_ref().clone(),
        group: row.group.clone(),
        start: m(&row.start_mg_per_week, "start_mg_per_week")?,
        older,
        older_start: m(&row.older_start_mg_per_week, "older_start_mg_per_week")?,
        oral_estrogen_start: m(
            &row.oral_estrogen_start_mg_per_week,
            "oral_estrogen_start_mg_per_week",
        )?,
        switch_start: opt(&row.switch_start_mg_per_week, "switch_start_mg_per_week")?,
        switch_older_start: opt(
            &row.switch_older_start_mg_per_week,
            "switch_older_start_mg_per_week",
        )?,
        switch_oral_estrogen_start: opt(
            &row.switch_oral_estrogen_start_mg_per_week,
            "switch_oral_estrogen_start_mg_per_week",
        )?,
        hepatic_moderate_start: m(
            &row.hepatic_moderate_start_mg_per_week,
            "hepatic_moderate_start_mg_per_week",
        )?,
        hepatic_moderate_max: m(
            &row.hepatic_moderate_max_mg_per_week,
            "hepatic_moderate_max_mg_per_week",
        )?,
        max: m(&row.max_mg_per_week, "max_mg_per_week")?,
        target: bounds(cx, &row.target_sds, "target_sds")?,
        step_up: steps(cx, &row.step_up, |r| (r.sds_below, r.mg_per_week), true)?,
        step_up_max_older: m(
            &row.step_up_max_older_mg_per_week,
            "step_up_max_older_mg_per_week",
        )?,
        step_down: steps(cx, &row.step_down, |r| (r.sds_above, r.mg_per_week), false)?,
        min_weeks_between_increases: row.min_weeks_between_increases,
        review_after_change: review.clone(),
        cited: cite(&row.sources, &row.grade)?,
    };
    starts_within_max(cx, row, &aw)?;
    Ok(aw)
}

/// The age from which the older start applies: exactly one of the two
/// bounds (the group id checked first).
fn older_age(cx: &Cx, row: &AdultWeeklyRow) -> R<OlderAge> {
    if !is_kebab(&row.group) {
        return Err(cx.err(&row.id.span(), "group must be a lower-case kebab-case id"));
    }
    match (row.older_than_years, row.older_from_years) {
        (Some(y), None) => Ok(OlderAge {
            years: y,
            inclusive: false,
        }),
        (None, Some(y)) => Ok(OlderAge {
            years: y,
            inclusive: true,
        }),
        _ => Err(cx.err(
            &row.id.span(),
            "give exactly one of older_than_years or older_from_years",
        )),
    }
}

/// The review after a change, which must name a review of the rule file.
fn known_review<'a>(cx: &Cx, row: &'a AdultWeeklyRow, rules: &RuleSet) -> R<&'a String> {
    let review = row.review_after_change.get_ref();
    if rules.review(review).is_none() {
        return Err(cx.err(
            &row.review_after_change.span(),
            format!("unknown review '{review}' (reviews live in the rule file)"),
        ));
    }
    Ok(review)
}

/// Every start at or below the weekly maximum, and the hepatic maximum
/// between its start and the maximum.
fn starts_within_max(cx: &Cx, row: &AdultWeeklyRow, aw: &AdultWeekly) -> R<()> {
    let starts = [
        aw.start,
        aw.older_start,
        aw.oral_estrogen_start,
        aw.hepatic_moderate_start,
    ]
    .into_iter()
    .chain(aw.switch_start)
    .chain(aw.switch_older_start)
    .chain(aw.switch_oral_estrogen_start);
    for s in starts {
        if s > aw.max {
            return Err(cx.err(
                &row.max_mg_per_week.span(),
                format!("a start ({s} mg) exceeds max_mg_per_week"),
            ));
        }
    }
    if aw.hepatic_moderate_start > aw.hepatic_moderate_max || aw.hepatic_moderate_max > aw.max {
        return Err(cx.err(
            &row.hepatic_moderate_max_mg_per_week.span(),
            "hepatic_moderate_max_mg_per_week must lie between its start and max_mg_per_week",
        ));
    }
    Ok(())
}

pub(super) fn band_table(cx: &Cx, row: &BandTableRow, cite: &Cite) -> R<BandTable> {
    let bands_s = &row.bands;
    let mut bands = Vec::new();
    for b in bands_s.get_ref() {
        let per_week = mass(cx, b.mg_per_week, &bands_s.span(), "bands.mg_per_week")?;
        if !(b.from_kg > 0.0 && b.from_kg <= b.to_kg) {
            return Err(cx.err(
                &bands_s.span(),
                format!(
                    "band {}-{} kg: from_kg must be positive and not above to_kg",
                    b.from_kg, b.to_kg
                ),
            ));
        }
        if per_week.0 % i64::from(b.cartridges.max(1)) != 0 {
            return Err(cx.err(
                &bands_s.span(),
                format!(
                    "{} mg cannot be split into {} equal cartridges",
                    per_week, b.cartridges
                ),
            ));
        }
        bands.push(Band {
            from: Grams::from_kg(b.from_kg),
            to: Grams::from_kg(b.to_kg),
            per_week,
            cartridges: b.cartridges,
        });
    }
    if bands.is_empty()
        || bands
            .windows(2)
            .any(|w| w[0].to >= w[1].from || w[0].per_week > w[1].per_week)
    {
        return Err(cx.err(
            &bands_s.span(),
            "bands must be non-empty, ordered, non-overlapping and non-decreasing in dose",
        ));
    }
    Ok(BandTable {
        id: row.id.get_ref().clone(),
        bands,
        cited: cite(&row.sources, &row.grade)?,
    })
}

pub(super) fn strength_steps(cx: &Cx, row: &ProductRow) -> R<Vec<StrengthStep>> {
    let Some(v) = &row.igf1_strength_steps else {
        return Ok(Vec::new());
    };
    let list: Vec<StrengthStep> = v
        .get_ref()
        .iter()
        .map(|r| StrengthStep {
            sds_above: r.sds_above,
            steps: r.steps,
        })
        .collect();
    if list.is_empty()
        || list
            .windows(2)
            .any(|w| w[0].sds_above <= w[1].sds_above || w[0].steps > w[1].steps)
    {
        return Err(cx.err(
            &v.span(),
            "igf1_strength_steps must be ordered by decreasing sds_above with non-decreasing steps",
        ));
    }
    Ok(list)
}

/// SDS-keyed weekly steps, ordered (increasing for steps up, decreasing for steps down).
pub(super) fn steps<T: Copy>(
    cx: &Cx,
    rows: &Spanned<Vec<T>>,
    get: impl Fn(&T) -> (f64, f64),
    increasing: bool,
) -> R<Vec<SdsStep>> {
    let list = rows
        .get_ref()
        .iter()
        .map(|r| {
            let (sds, mg) = get(r);
            Ok(SdsStep {
                sds,
                step: mass(cx, mg, &rows.span(), "mg_per_week")?,
            })
        })
        .collect::<R<Vec<_>>>()?;
    let ordered = list.windows(2).all(|w| {
        if increasing {
            w[0].sds < w[1].sds
        } else {
            w[0].sds > w[1].sds
        }
    });
    if list.is_empty() || !ordered {
        return Err(cx.err(&rows.span(), "steps must be non-empty and ordered by SDS"));
    }
    Ok(list)
}
