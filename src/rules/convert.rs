//! Checked conversions of rule-file values every table uses: closed
//! ranges, doses (mg and mg/kg to exact integers), percentages, review
//! offsets, and the shape of ids. Each refuses with the value's
//! `file:line:col`.

use super::file::{ClosedRangeRow, OffsetRow};
use super::model::{Bounds, Offset};
use super::spanned::Spanned;
use crate::diagnostic::{Cx, R};
use crate::units::{Micrograms, NgPerKg, Percent};
use std::ops::Range;

/// A closed range of finite numbers, min not above max.
pub(crate) fn bounds(cx: &Cx, r: &Spanned<ClosedRangeRow>, what: &str) -> R<Bounds> {
    let v = r.get_ref();
    if !v.min.is_finite() || !v.max.is_finite() {
        return Err(cx.err(
            &r.span(),
            format!("{what}: min and max must be finite numbers"),
        ));
    }
    if v.min > v.max {
        return Err(cx.err(
            &r.span(),
            format!("{what}: min ({}) exceeds max ({})", v.min, v.max),
        ));
    }
    Ok(Bounds {
        min: v.min,
        max: v.max,
    })
}

pub(crate) fn offset(cx: &Cx, o: &Spanned<OffsetRow>) -> R<Offset> {
    let v = o.get_ref();
    let set: Vec<Offset> = [
        v.days.map(Offset::Days),
        v.weeks.map(Offset::Weeks),
        v.months.map(Offset::Months),
    ]
    .into_iter()
    .flatten()
    .collect();
    match set.as_slice() {
        [one] => Ok(*one),
        _ => Err(cx.err(
            &o.span(),
            "review offset needs exactly one of days, weeks or months",
        )),
    }
}

/// A positive mg/kg value with at most 6 decimals (its band already checked).
pub(crate) fn intensity(cx: &Cx, v: f64, span: &Range<usize>, what: &str) -> R<NgPerKg> {
    match NgPerKg::from_mg_per_kg(v) {
        Some(n) if n.0 > 0 => Ok(n),
        _ => Err(cx.err(
            span,
            format!("{what} must be a positive mg/kg value with at most 6 decimals (got {v})"),
        )),
    }
}

/// A positive mg value with at most 3 decimals (its band already checked).
pub(crate) fn mass(cx: &Cx, v: f64, span: &Range<usize>, what: &str) -> R<Micrograms> {
    match Micrograms::from_mg(v) {
        Some(m) if m.0 > 0 => Ok(m),
        _ => Err(cx.err(
            span,
            format!("{what} must be a positive mg value with at most 3 decimals (got {v})"),
        )),
    }
}

/// A percentage strictly between 0 and 100 with at most 2 decimals.
pub(crate) fn percent(cx: &Cx, v: &Spanned<f64>, what: &str) -> R<Percent> {
    let x = *v.get_ref();
    match Micrograms::from_mg(x / 10.0) {
        Some(m) if x > 0.0 && x < 100.0 => Ok(Percent(m.0)),
        _ => Err(cx.err(
            &v.span(),
            format!("{what} must be between 0 and 100 with at most 2 decimals (got {x})"),
        )),
    }
}

/// Lower-case kebab-case ids (`adult-ghd`).
pub(crate) fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    const CX: Cx<'static> = Cx {
        path: "t.toml",
        text: "",
    };

    #[test]
    fn doses_and_percentages_convert_exactly_or_refuse() {
        assert_eq!(mass(&CX, 1.25, &(0..0), "x").unwrap(), Micrograms(1250));
        assert_eq!(
            intensity(&CX, 0.025, &(0..0), "x").unwrap(),
            NgPerKg(25_000)
        );
        let e = mass(&CX, 1.2345, &(0..0), "dose").unwrap_err();
        assert!(
            e.to_string()
                .contains("dose must be a positive mg value with at most 3 decimals"),
            "{e}"
        );
        assert!(mass(&CX, 0.0, &(0..0), "x").is_err());
        assert_eq!(
            percent(&CX, &Spanned::new(0..0, 12.5), "p").unwrap(),
            Percent(1250)
        );
        assert!(percent(&CX, &Spanned::new(0..0, 100.0), "p").is_err());
        let r = Spanned::new(0..0, ClosedRangeRow { min: 2.0, max: 1.0 });
        let e = bounds(&CX, &r, "limits.bmi").unwrap_err();
        assert!(
            e.to_string()
                .contains("limits.bmi: min (2) exceeds max (1)"),
            "{e}"
        );
        assert!(is_kebab("adult-ghd") && !is_kebab("-ghd") && !is_kebab("Adult"));
    }
}
