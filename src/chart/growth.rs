//! The growth chart: height on the reference centiles with the visits and
//! the target height, the dose changes on the age axis, weight below.

use super::axes::{Plot, Scale};
use super::marks::{Change, Shape, legend, marker};
use super::reference::{self, Curve, HEIGHT_CENTILES, WEIGHT_CENTILES};
use super::svg::{Svg, amount, signed};
use super::{
    At, ChartError, Parents, ends, indication_name, mg, rules_note, visits, voided_note, wrap,
};
use crate::dosing::height_reference;
use crate::growth::{Builtin, GrowthReference, MidParentalTarget, Tanner, target_height};
use crate::record::Course;
use crate::rules::RuleSet;
use crate::vocab::{Population, Sex};

const WIDTH: f64 = 900.0;
const HEIGHT: f64 = 732.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 850.0;
/// The age of the adult end of the target-height bar, years.
const ADULT: f64 = 20.0;

/// The patient and what the chart draws for them.
struct Patient {
    sex: Sex,
    /// The height reference for an age (Turner or CDC).
    turner: bool,
}

impl Patient {
    fn height_ref(&self, age: f64) -> Builtin {
        if self.turner {
            Builtin::TurnerHeight
        } else {
            Builtin::cdc_stature(age)
        }
    }
}

/// The growth chart of a child's course: height and weight against their
/// references, the dose changes, the legend and the footer.
pub(super) fn draw(
    course: &Course,
    rules: &RuleSet,
    parents: Option<&Parents>,
    label: Option<&str>,
) -> Result<String, ChartError> {
    let at = visits(course)?;
    let (start, end) = ends(&at)?;
    let (first, latest) = (start.visit, end.visit);
    drawable(rules, &at, &end)?;
    let sex = first.patient.sex;
    let turner = rules
        .indication(&latest.indication)
        .is_some_and(|ind| height_reference(ind, sex, start.age) == Builtin::TurnerHeight);
    let patient = Patient { sex, turner };
    let target = parents.map(|p| target(rules, sex, p)).transpose()?;

    let x = age_axis(&at, target.is_some());

    let mut svg = Svg::new(WIDTH, HEIGHT);
    let title = format!(
        "{}Height and weight - {}, {}, born {}",
        super::title_label(label),
        indication_name(rules, &latest.indication),
        sex,
        first.patient.birth_date
    );
    svg.text(WIDTH / 2.0, 26.0, 16.0, "middle", &title);
    let (h_refs, plot) = height_panel(&mut svg, &patient, &at, x, target.as_ref())?;
    dose_changes(&mut svg, &plot, &at);
    let w_refs = weight_panel(&mut svg, sex, &at, x, first.patient.birth_date)?;
    growth_legend(&mut svg);
    let voided = voided_note(course);
    footer(
        &mut svg,
        &h_refs,
        &w_refs,
        target.as_ref(),
        parents,
        latest,
        &voided,
    );
    Ok(svg.finish())
}

/// Whether the course can be drawn: a child's, with at least one height.
fn drawable(rules: &RuleSet, at: &[At<'_>], end: &At<'_>) -> Result<(), ChartError> {
    let latest = end.visit;
    let adult = at.iter().all(|a| {
        rules
            .indication(&a.visit.indication)
            .is_some_and(|i| i.population == Population::Adult)
    });
    if adult {
        return Err(ChartError::new(format!(
            "the record is of an adult ({}, {} years on {}): a growth chart is drawn for children; chart titration draws the course",
            latest.indication,
            amount(end.age, 1),
            latest.date
        )));
    }
    if !at.iter().any(|a| a.visit.measurements.height_cm.is_some()) {
        return Err(ChartError::new("no visit has a height"));
    }
    Ok(())
}

/// The age axis: whole years a year either side of the visits (at least
/// two), to adult age when a target height is drawn.
fn age_axis(at: &[At<'_>], to_adult: bool) -> Scale {
    let min_age = at.iter().map(|a| a.age).fold(f64::INFINITY, f64::min);
    let max_age = at.iter().map(|a| a.age).fold(f64::NEG_INFINITY, f64::max);
    let lo = (min_age - 1.0).floor().max(0.0);
    let mut hi = (max_age + 1.0).ceil().max(lo + 2.0);
    if to_adult {
        hi = hi.max(ADULT);
    }
    Scale::exact(lo, hi, 10, LEFT, RIGHT)
}

/// The legend: height and weight marks, the dose changes, the centile lines.
fn growth_legend(svg: &mut Svg) {
    legend(
        svg,
        LEFT,
        662.0,
        &[
            (Shape::Circle, "height"),
            (Shape::Square, "weight"),
            Change::LEGEND[0],
            Change::LEGEND[1],
            Change::LEGEND[2],
            Change::LEGEND[3],
            (Shape::Line("7 4"), "P3, P97"),
            (Shape::Line("2 3"), "P10, P90"),
            (Shape::Line("none"), "P25-P75 (P50 bold)"),
        ],
    );
}

/// The mid-parental target height (Tanner) with the rule set's numbers;
/// its SDS is taken on CDC 2000 stature.
fn target(rules: &RuleSet, sex: Sex, p: &Parents) -> Result<MidParentalTarget, ChartError> {
    let g = &rules.growth;
    let tanner = Tanner {
        sex_difference_cm: g.target_sex_difference_cm,
        range_cm: g.target_range_cm,
        adult_age_years: g.target_adult_age_years,
    };
    let adult = Builtin::CdcHeight
        .reference()
        .map_err(|e| ChartError::new(e.message))?;
    target_height(sex, p.father_cm, p.mother_cm, adult, &tanner)
        .map_err(|e| ChartError::new(format!("target height: {e}")))
}

/// The height panel: centiles, target bar, the visits joined by a line.
fn height_panel(
    svg: &mut Svg,
    patient: &Patient,
    at: &[At<'_>],
    x: Scale,
    target: Option<&MidParentalTarget>,
) -> Result<(Vec<&'static GrowthReference>, Plot), ChartError> {
    let (curves, refs) = reference::curves(
        |a| patient.height_ref(a),
        patient.sex,
        x.lo,
        x.hi,
        &HEIGHT_CENTILES,
    )?;
    let heights: Vec<(f64, f64)> = at
        .iter()
        .filter_map(|a| a.visit.measurements.height_cm.map(|h| (a.age, h)))
        .collect();
    let mut values: Vec<f64> = heights.iter().map(|p| p.1).collect();
    values.extend(target.iter().flat_map(|t| [t.low_cm, t.high_cm]));
    let y = value_scale(&curves, &values, 44.0, 380.0);
    let plot = Plot { x, y };
    plot.frame(svg);
    reference::draw(svg, &plot, &curves);
    if let Some(t) = target {
        target_bar(svg, &plot, t);
    }
    let pts: Vec<(f64, f64)> = heights.iter().map(|&(a, h)| plot.at(a, h)).collect();
    svg.polyline(&pts, &[("stroke", "black"), ("stroke-width", "1.5")]);
    for a in at {
        let m = &a.visit.measurements;
        let Some(h) = m.height_cm else { continue };
        let sds = m.height_sds.map_or_else(
            || "not recorded".to_string(),
            |s| {
                let src = m
                    .height_sds_source
                    .as_deref()
                    .unwrap_or("source not recorded");
                format!("{} ({src})", signed(s, 2))
            },
        );
        let title = format!(
            "{}: age {} y, height {} cm, height SDS {sds}",
            a.visit.date,
            amount(a.age, 2),
            amount(h, 1)
        );
        marker(svg, Shape::Circle, plot.at(a.age, h), 4.0, "visit", &title);
    }
    plot.x_axis(svg, "");
    plot.y_axis_left(svg, "Height (cm)");
    Ok((refs, plot))
}

/// A value scale covering the curves and the values, with nice ticks.
fn value_scale(curves: &[Curve], values: &[f64], top: f64, bottom: f64) -> Scale {
    let extent = values
        .iter()
        .fold(reference::extent(curves), |acc, &v| match acc {
            None => Some((v, v)),
            Some((a, b)) => Some((a.min(v), b.max(v))),
        });
    let (lo, hi) = extent.unwrap_or((0.0, 1.0));
    let pad = ((hi - lo) * 0.03).max(0.5);
    // Heights and weights are positive: no axis below 0.
    Scale::nice((lo - pad).max(0.0), hi + pad, 8, bottom, top)
}

/// The target range as a bar at adult age with its middle marked.
fn target_bar(svg: &mut Svg, plot: &Plot, t: &MidParentalTarget) {
    // The adult target at 18-20 years, over the curves' ends (see-through).
    let x0 = plot.x.at(ADULT - 2.0);
    let x1 = plot.x.at(ADULT);
    let (top, bottom, mid) = (plot.y.at(t.high_cm), plot.y.at(t.low_cm), plot.y.at(t.cm));
    svg.open("g", &[("class", "target")]);
    svg.title(&format!(
        "target height {} cm, range {}-{} cm (SDS {})",
        amount(t.cm, 1),
        amount(t.low_cm, 1),
        amount(t.high_cm, 1),
        signed(t.sds, 2)
    ));
    svg.rect(
        (x0, top),
        (x1, bottom),
        &[
            ("fill", "#d8d8d8"),
            ("fill-opacity", "0.6"),
            ("stroke", "black"),
            ("stroke-width", "1"),
        ],
    );
    svg.line(
        (x0, mid),
        (x1, mid),
        &[("stroke", "black"), ("stroke-width", "2.5")],
    );
    svg.close("g");
    svg.text((x0 + x1) / 2.0, top - 5.0, 10.0, "middle", "Target");
}

/// One marker on the age axis per dose change: a start, an increase, a
/// decrease, a stop or a withheld dose.
fn dose_changes(svg: &mut Svg, plot: &Plot, at: &[At<'_>]) {
    let y = plot.bottom() + 30.0;
    svg.text(plot.left() - 6.0, y + 3.5, 9.0, "end", "dose changes");
    for a in at {
        let v = a.visit;
        let action = v.decision.action;
        let Some(change) = Change::of(v) else {
            continue;
        };
        let title = if change == Change::Start {
            format!("{} {action} {}", v.date, mg(v.dose.as_ref()))
        } else {
            format!(
                "{} {action} {} -> {}",
                v.date,
                mg(v.dose_before.as_ref()),
                mg(v.dose.as_ref())
            )
        };
        marker(
            svg,
            change.shape(),
            (plot.x.at(a.age), y),
            4.5,
            change.class(),
            &title,
        );
    }
}

/// The weight panel (CDC 2000 for everyone).
fn weight_panel(
    svg: &mut Svg,
    sex: Sex,
    at: &[At<'_>],
    x: Scale,
    birth: chrono::NaiveDate,
) -> Result<Vec<&'static GrowthReference>, ChartError> {
    let (curves, refs) = reference::curves(Builtin::cdc_weight, sex, x.lo, x.hi, &WEIGHT_CENTILES)?;
    let weights: Vec<(f64, f64)> = at
        .iter()
        .filter_map(|a| a.visit.measurements.weight_kg.map(|w| (a.age, w)))
        .collect();
    let values: Vec<f64> = weights.iter().map(|p| p.1).collect();
    let plot = Plot {
        x,
        y: value_scale(&curves, &values, 450.0, 588.0),
    };
    plot.frame(svg);
    reference::draw(svg, &plot, &curves);
    let pts: Vec<(f64, f64)> = weights.iter().map(|&(a, w)| plot.at(a, w)).collect();
    svg.polyline(&pts, &[("stroke", "black"), ("stroke-width", "1.5")]);
    for (a, w) in at
        .iter()
        .filter_map(|a| a.visit.measurements.weight_kg.map(|w| (a, w)))
    {
        let title = format!(
            "{}: age {} y, weight {} kg",
            a.visit.date,
            amount(a.age, 2),
            amount(w, 1)
        );
        marker(
            svg,
            Shape::Square,
            plot.at(a.age, w),
            3.5,
            "visit-weight",
            &title,
        );
    }
    if weights.is_empty() {
        let mid = (
            (plot.left() + plot.right()) / 2.0,
            (plot.top() + plot.bottom()) / 2.0,
        );
        svg.text(mid.0, mid.1, 11.0, "middle", "no weight in the record");
    }
    plot.x_axis_dated(svg, birth);
    plot.y_axis_left(svg, "Weight (kg)");
    Ok(refs)
}

/// The references, the target height and the rule set, in small print.
fn footer(
    svg: &mut Svg,
    heights: &[&GrowthReference],
    weights: &[&GrowthReference],
    target: Option<&MidParentalTarget>,
    parents: Option<&Parents>,
    latest: &crate::record::VisitLine,
    voided: &str,
) {
    let names = |refs: &[&GrowthReference]| match refs {
        [] => "none drawn (ages outside the references)".to_string(),
        _ => refs
            .iter()
            .map(|r| r.info.name.as_str())
            .collect::<Vec<_>>()
            .join("; "),
    };
    let turner = heights
        .iter()
        .any(|r| r.info.id == Builtin::TurnerHeight.as_str());
    let target_note = match (target, parents) {
        (Some(t), Some(p)) => format!(
            "Target height (Tanner, mid-parental, father {} cm, mother {} cm): {} cm, range {}-{} cm{}.",
            amount(p.father_cm, 1),
            amount(p.mother_cm, 1),
            amount(t.cm, 1),
            amount(t.low_cm, 1),
            amount(t.high_cm, 1),
            if turner {
                " (general formula; lower in Turner syndrome)"
            } else {
                ""
            }
        ),
        _ => "target height: not drawn (no parents' heights).".to_string(),
    };
    let refs = format!(
        "Height centiles: {}. Weight centiles: {}.",
        names(heights),
        names(weights)
    );
    let mut lines = wrap(&refs, 150);
    lines.extend(wrap(&target_note, 150));
    lines.push(format!("{}.{voided}", rules_note(latest)));
    let mut y = 684.0;
    for line in lines {
        svg.text(LEFT - 40.0, y, 10.0, "start", &line);
        y += 13.0;
    }
}
