//! Ranges: the recommended range in every unit that applies, its text for
//! the rationale, and the adult hard cap.

use super::outcome::{DoseRange, RangeBasis, Span};
use crate::rules::products::{Label, LabelDosing};
use crate::rules::{AdultTitration, WeightBased};
use crate::units::{Exact, Grams, Micrograms, NgPerKg, fmt_decimal, saturate};

/// A weight-based range in mg/kg/week, mg/week and mg per injection.
pub(super) fn weight_range(min: Option<NgPerKg>, max: NgPerKg, weight: Grams, n: u8) -> DoseRange {
    DoseRange {
        mg_per_kg_per_week: Some(Span { min, max }),
        mg_per_week: Some(Span {
            min: min.map(|m| m.times(weight)),
            max: max.times(weight),
        }),
        mg_per_injection: Some(Span {
            min: min.map(|m| Exact::per_injection(m, weight, n).round()),
            max: Exact::per_injection(max, weight, n).round(),
        }),
        mg_per_day: None,
        basis: RangeBasis::Recommended,
    }
}

/// The recommended mg/kg/week range: the indication's, intersected with the
/// product label's; when they do not overlap, the label wins (it is
/// labelled for the indication: EU Prader-Willi 0.245 against the generic
/// 0.24). Returns `(min, max, overlapping)`.
pub(super) fn recommended(
    wb: &WeightBased,
    label: Option<(Option<NgPerKg>, NgPerKg)>,
) -> (Option<NgPerKg>, NgPerKg, bool) {
    let Some((lmin, lmax)) = label else {
        return (wb.min, wb.max, true);
    };
    let imin = match (wb.min, lmin) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    let imax = wb.max.min(lmax);
    if imin.is_some_and(|m| m > imax) {
        (lmin, lmax, false)
    } else {
        (imin, imax, true)
    }
}

/// A daily range in mg/day, mg/week and mg per injection (one a day).
pub(super) fn daily_range(min: Micrograms, max: Micrograms, n: u8) -> DoseRange {
    let week = |m: Micrograms| m.times(i64::from(n));
    DoseRange {
        mg_per_kg_per_week: None,
        mg_per_week: Some(Span {
            min: Some(week(min)),
            max: week(max),
        }),
        mg_per_injection: Some(Span {
            min: Some(min),
            max,
        }),
        mg_per_day: Some(Span {
            min: Some(min),
            max,
        }),
        basis: RangeBasis::Recommended,
    }
}

/// A weekly range "up to max" in mg/week (one injection a week).
pub(super) fn weekly_range(max: Micrograms) -> DoseRange {
    DoseRange {
        mg_per_kg_per_week: None,
        mg_per_week: Some(Span { min: None, max }),
        mg_per_injection: Some(Span { min: None, max }),
        mg_per_day: None,
        basis: RangeBasis::Recommended,
    }
}

/// `0.33-0.45 mg/kg/week`, `0.24 mg/kg/week` or `up to 0.46 mg/kg/week`.
pub(super) fn span_text<T: std::fmt::Display + PartialEq>(
    min: Option<T>,
    max: T,
    unit: &str,
) -> String {
    match min {
        Some(m) if m == max => format!("{max} {unit}"),
        Some(m) => format!("{m}-{max} {unit}"),
        None => format!("up to {max} {unit}"),
    }
}

/// The adult hard cap per day and how it was found: weight-based by age when
/// the weight is known (rounded down, never above), otherwise the fixed cap.
#[cfg(test)]
pub(super) fn adult_cap(
    weight: Option<Grams>,
    age: f64,
    t: &AdultTitration,
) -> (Micrograms, String) {
    adult_cap_on(weight, age, t, None).0
}

/// The adult hard cap, no higher than the product label's weight-based
/// maximum when the label states one and the weight is known; the label's
/// sources when it is the label that sets it.
pub(super) fn adult_cap_on(
    weight: Option<Grams>,
    age: f64,
    t: &AdultTitration,
    label: Option<&Label>,
) -> ((Micrograms, String), Option<Vec<String>>) {
    let rules_cap = rules_adult_cap(weight, age, t);
    let product = match (label.map(|l| (l, &l.dosing)), weight) {
        (
            Some((
                l,
                LabelDosing::Daily {
                    max_per_kg: Some(k),
                    ..
                },
            )),
            Some(w),
        ) => Some((l, *k, w)),
        _ => None,
    };
    match product {
        Some((l, k, w)) if Micrograms(k.times(w).0 / 7) < rules_cap.0 => {
            let cap = Micrograms(k.times(w).0 / 7);
            (
                (
                    cap,
                    format!(
                        "hard cap {k} mg/kg/week x {w} kg / 7 = {cap} mg/day (the product label's maximum, below the rule set's {})",
                        rules_cap.0
                    ),
                ),
                Some(l.cited.sources.clone()),
            )
        }
        _ => (rules_cap, None),
    }
}

fn rules_adult_cap(weight: Option<Grams>, age: f64, t: &AdultTitration) -> (Micrograms, String) {
    let row = t
        .caps
        .iter()
        .find(|(at_most, _)| at_most.is_none_or(|a| age <= a));
    match (weight, row) {
        (Some(w), Some((_, per_kg))) => {
            let cap = Micrograms(saturate(i128::from(per_kg.0) * i128::from(w.0) / 1_000_000));
            (
                cap,
                format!(
                    "hard cap {} mg/kg/day x {w} kg = {cap} mg/day",
                    fmt_decimal(per_kg.0, 6)
                ),
            )
        }
        _ => (
            t.cap_without_weight,
            format!("hard cap without weight: {} mg/day", t.cap_without_weight),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    #[test]
    fn weight_ranges_hold_every_unit() {
        let r = weight_range(Some(NgPerKg(330_000)), NgPerKg(450_000), Grams(24_000), 7);
        assert_eq!(
            r.mg_per_week,
            Some(Span {
                min: Some(Micrograms(7920)),
                max: Micrograms(10_800)
            })
        );
        assert_eq!(
            r.mg_per_injection,
            Some(Span {
                min: Some(Micrograms(1131)),
                max: Micrograms(1543)
            })
        );
        assert_eq!(r.mg_per_day, None);
    }

    #[test]
    fn span_text_reads_as_written() {
        assert_eq!(span_text(Some(1), 2, "mg"), "1-2 mg");
        assert_eq!(span_text(Some(2), 2, "mg"), "2 mg");
        assert_eq!(span_text(None, 2, "mg"), "up to 2 mg");
    }

    #[test]
    fn the_adult_cap_is_by_weight_and_age_rounded_down() {
        let rules = RuleSet::built_in().unwrap();
        let t = &rules.titration.adult_daily;
        // 0.025 mg/kg/day x 30.01 kg = 0.75025 -> 0.750 mg/day (35 or younger)
        assert_eq!(adult_cap(Some(Grams(30_010)), 35.0, t).0, Micrograms(750));
        // 0.0125 x 30.01 = 0.375125 -> 0.375 (older)
        assert_eq!(adult_cap(Some(Grams(30_010)), 35.01, t).0, Micrograms(375));
        assert_eq!(adult_cap(None, 50.0, t).0, Micrograms(1330));
    }

    #[test]
    fn an_adults_cap_is_the_product_labels_when_lower() {
        let rules = RuleSet::built_in().unwrap();
        let t = &rules.titration.adult_daily;
        let label = |id: &str| {
            rules
                .product(id)
                .and_then(|p| p.label("adult-ghd", crate::vocab::Region::Us))
        };
        let nordi = label("norditropin");
        // 20 years, 65 kg: the rule set's 0.025 mg/kg/day is 1.625 mg/day; the
        // label's 0.112 mg/kg/week is 7.28 mg/week, 1.04 mg/day.
        let ((cap, why), by) = adult_cap_on(Some(Grams(65_000)), 20.0, t, nordi);
        assert_eq!(cap, Micrograms(1040));
        assert_eq!(
            why,
            "hard cap 0.112 mg/kg/week x 65 kg / 7 = 1.04 mg/day (the product label's maximum, below the rule set's 1.625)"
        );
        assert_eq!(by, nordi.map(|l| l.cited.sources.clone()));
        // 45 years: the rule set's 0.0125 mg/kg/day (0.812 mg/day) is lower.
        let ((cap, _), by) = adult_cap_on(Some(Grams(65_000)), 45.0, t, nordi);
        assert_eq!((cap, by), (Micrograms(812), None));
        // Without a weight, or without a label: the rule set's.
        assert_eq!(adult_cap_on(None, 20.0, t, nordi).0.0, Micrograms(1330));
        assert_eq!(
            adult_cap_on(Some(Grams(65_000)), 20.0, t, None).0.0,
            Micrograms(1625)
        );
        // A label whose maximum equals the rule set's cap: the rule set's
        // (the label sets the cap only when lower).
        let mut equal = nordi.unwrap().clone();
        equal.dosing = LabelDosing::Daily {
            min: Micrograms(150),
            max: Micrograms(300),
            max_per_kg: Some(NgPerKg(175_000)),
        };
        let ((cap, _), by) = adult_cap_on(Some(Grams(70_000)), 20.0, t, Some(&equal));
        assert_eq!((cap, by), (Micrograms(1750), None));
        // Genotropin, 70 kg: 0.08 x 70 / 7 = 0.8 mg/day.
        let ((cap, _), _) = adult_cap_on(Some(Grams(70_000)), 45.0, t, label("genotropin"));
        assert_eq!(cap, Micrograms(800));
    }
}
