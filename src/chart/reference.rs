//! Centile curves of a growth reference over an age range: the SDS of each
//! centile, the curves sampled every quarter year, and how they are drawn.

use super::ChartError;
use super::axes::Plot;
use super::svg::{Svg, num};
use crate::growth::{Builtin, GrowthReference};
use crate::vocab::Sex;

/// The height centiles drawn, with their SDS: z = Phi^-1(p), the inverse
/// standard normal distribution at p = 0.03, 0.10, 0.25, 0.50 and their
/// complements (to 16 digits; `centile(z)` gives p back, see the tests).
pub(super) const HEIGHT_CENTILES: [(&str, f64); 7] = [
    ("P3", -1.880_793_608_151_251),
    ("P10", -1.281_551_565_544_601),
    ("P25", -0.674_489_750_196_082),
    ("P50", 0.0),
    ("P75", 0.674_489_750_196_082),
    ("P90", 1.281_551_565_544_601),
    ("P97", 1.880_793_608_151_251),
];

/// The weight centiles drawn.
pub(super) const WEIGHT_CENTILES: [(&str, f64); 3] = [
    ("P3", -1.880_793_608_151_251),
    ("P50", 0.0),
    ("P97", 1.880_793_608_151_251),
];

/// Ages between samples of a curve, years.
const SAMPLE_YEARS: f64 = 0.25;

/// One centile curve in data units (age, value): a break wherever the
/// reference changes or does not cover the age.
#[derive(Debug, Clone)]
pub(super) struct Curve {
    pub(crate) label: &'static str,
    pub(crate) sds: f64,
    pub(crate) segments: Vec<Vec<(f64, f64)>>,
}

/// The curves over `lo..=hi` years and the references they were read from,
/// in the order first used. `pick` names the reference for an age.
pub(super) fn curves(
    pick: impl Fn(f64) -> Builtin,
    sex: Sex,
    lo: f64,
    hi: f64,
    centiles: &[(&'static str, f64)],
) -> Result<(Vec<Curve>, Vec<&'static GrowthReference>), ChartError> {
    let first = (lo / SAMPLE_YEARS).ceil() as i64;
    let last = (hi / SAMPLE_YEARS).floor() as i64;
    let mut used: Vec<&'static GrowthReference> = Vec::new();
    let mut out: Vec<Curve> = centiles
        .iter()
        .map(|&(label, sds)| Curve {
            label,
            sds,
            segments: Vec::new(),
        })
        .collect();
    let mut previous: Option<Builtin> = None;
    for k in first..=last {
        let age = k as f64 * SAMPLE_YEARS;
        let b = pick(age);
        let reference = b
            .reference()
            .map_err(|e| ChartError::new(format!("built-in reference {b}: {}", e.message)))?;
        let covered = reference
            .age_range(sex)
            .is_some_and(|(a, z)| (a..=z).contains(&age));
        let mut any = false;
        for curve in &mut out {
            let value = match covered {
                true => reference.value_at_sds(sex, age, curve.sds).ok(),
                false => None,
            };
            let Some(value) = value.filter(|v| v.is_finite()) else {
                curve.segments.push(Vec::new());
                continue;
            };
            any = true;
            if previous != Some(b) || curve.segments.is_empty() {
                curve.segments.push(Vec::new());
            }
            if let Some(segment) = curve.segments.last_mut() {
                segment.push((age, value));
            }
        }
        if any && !used.iter().any(|r| r.info.id == reference.info.id) {
            used.push(reference);
        }
        previous = if any { Some(b) } else { None };
    }
    for curve in &mut out {
        curve.segments.retain(|s| !s.is_empty());
    }
    Ok((out, used))
}

/// The lowest and highest value of the curves.
pub(super) fn extent(curves: &[Curve]) -> Option<(f64, f64)> {
    let values = curves
        .iter()
        .flat_map(|c| c.segments.iter().flatten().map(|p| p.1));
    values.fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((a, b)) => Some((a.min(v), b.max(v))),
    })
}

/// The stroke of a centile: P50 solid and darker, P25/P75 thin, P10/P90
/// dotted, P3/P97 dashed, so that they read apart in black and white.
fn style(sds: f64) -> [(&'static str, &'static str); 3] {
    let z = sds.abs();
    if z < 0.1 {
        [
            ("stroke", "#444"),
            ("stroke-width", "1.6"),
            ("stroke-dasharray", "none"),
        ]
    } else if z < 1.0 {
        [
            ("stroke", "#888"),
            ("stroke-width", "0.9"),
            ("stroke-dasharray", "none"),
        ]
    } else if z < 1.5 {
        [
            ("stroke", "#777"),
            ("stroke-width", "1"),
            ("stroke-dasharray", "2 3"),
        ]
    } else {
        [
            ("stroke", "#555"),
            ("stroke-width", "1"),
            ("stroke-dasharray", "7 4"),
        ]
    }
}

/// Draws the curves clipped to the plot's value range and labels each at
/// its right end, the labels pushed apart so that none overlap.
pub(super) fn draw(svg: &mut Svg, plot: &Plot, curves: &[Curve]) {
    let mut labels: Vec<(f64, f64, &str)> = Vec::new();
    for curve in curves {
        let style = style(curve.sds);
        let mut end: Option<(f64, f64)> = None;
        for segment in &curve.segments {
            let pts: Vec<(f64, f64)> = segment
                .iter()
                .filter(|(a, v)| plot.x.contains(*a) && plot.y.contains(*v))
                .map(|&(a, v)| plot.at(a, v))
                .collect();
            let mut attrs = vec![("class", "centile")];
            attrs.extend_from_slice(&style);
            svg.polyline(&pts, &attrs);
            if let Some(p) = pts.last() {
                end = Some(*p);
            }
        }
        if let Some((x, y)) = end {
            labels.push((x + 4.0, y + 3.0, curve.label));
        }
    }
    for (x, y, label) in spread(labels, 10.0) {
        let attrs = [
            ("x", num(x)),
            ("y", num(y)),
            ("font-size", num(9.0)),
            ("fill", "#333".to_string()),
            ("class", "centile-label".to_string()),
        ];
        let attrs: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        svg.text_el("text", &attrs, label);
    }
}

/// Labels moved apart vertically to at least `gap` pixels, in order of
/// their height (the highest first, as the curves are).
fn spread(mut labels: Vec<(f64, f64, &str)>, gap: f64) -> Vec<(f64, f64, &str)> {
    labels.sort_by(|a, b| a.1.total_cmp(&b.1));
    for i in 1..labels.len() {
        let above = labels[i - 1].1;
        if let Some(l) = labels.get_mut(i)
            && l.1 < above + gap
        {
            l.1 = above + gap;
        }
    }
    labels
}

#[cfg(test)]
mod tests;
