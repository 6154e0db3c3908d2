//! The titration chart: IGF-1 SDS against the band and its ceiling, the
//! weekly dose as a step line on a second axis, each visit's decision.

use super::axes::{Plot, Scale};
use super::marks::{Shape, legend, marker};
use super::svg::{Svg, amount, signed};
use super::{
    At, Band, ChartError, ends, indication_name, mg, rules_note, visits, voided_note, wrap,
};
use crate::record::{Course, Visit};
use crate::rules::RuleSet;
use crate::vocab::Action;

const WIDTH: f64 = 900.0;
const HEIGHT: f64 = 500.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 820.0;
const TOP: f64 = 86.0;
const BOTTOM: f64 = 400.0;
/// Baselines of the rows of decision labels above the plot.
const DECISION_ROWS: [f64; 3] = [50.0, 63.0, 76.0];

pub fn draw(course: &Course, rules: &RuleSet, band: &Band) -> Result<String, ChartError> {
    let at = visits(course)?;
    check_band(band)?;
    let (start, end) = ends(&at)?;
    let (first, latest) = (start.visit, end.visit);
    let min_age = at.iter().map(|a| a.age).fold(f64::INFINITY, f64::min);
    let max_age = at.iter().map(|a| a.age).fold(f64::NEG_INFINITY, f64::max);
    let margin = ((max_age - min_age) * 0.06).max(0.25);
    let x = Scale::exact(min_age - margin, max_age + margin, 8, LEFT, RIGHT);

    let sds: Vec<f64> = at.iter().filter_map(|a| igf1_sds(a.visit)).collect();
    let lo = sds.iter().fold(band.low_sds.min(-3.0), |m, &v| m.min(v));
    let hi = sds
        .iter()
        .fold(band.high_sds.max(band.ceiling_sds).max(3.0), |m, &v| {
            m.max(v)
        });
    let plot = Plot {
        x,
        y: Scale::nice(lo, hi, 6, BOTTOM, TOP),
    };
    let max_dose = at
        .iter()
        .filter_map(|a| a.visit.dose.as_ref().map(|d| d.mg_per_week))
        .fold(0.0, f64::max);
    let dose_scale = Scale::nice(0.0, (max_dose * 1.15).max(1.0), 5, BOTTOM, TOP);

    let mut svg = Svg::new(WIDTH, HEIGHT);
    // Every product of the course, in order: doses of different products
    // share the dose axis, and each change is labelled at its visit.
    let mut products: Vec<&str> = Vec::new();
    for a in &at {
        if let Some(p) = a.visit.dose.as_ref().and_then(|d| d.product.as_deref())
            && products.last() != Some(&p)
        {
            products.push(p);
        }
    }
    let product = if products.is_empty() {
        String::new()
    } else {
        format!(", {}", products.join(" then "))
    };
    let title = format!(
        "IGF-1 and dose - {}{product}, {}, born {}",
        indication_name(rules, &latest.indication),
        first.patient.sex,
        first.patient.birth_date
    );
    svg.text(WIDTH / 2.0, 26.0, 16.0, "middle", &title);
    // The band under the grid, the ceiling over it.
    band_box(&mut svg, &plot, band);
    plot.frame(&mut svg);
    ceiling(&mut svg, &plot, band);
    dose_steps(&mut svg, &plot, &dose_scale, &at);
    igf1_series(&mut svg, &plot, &at);
    decisions(&mut svg, &plot, &at);
    plot.x_axis(&mut svg, "Age (years)");
    plot.y_axis_left(&mut svg, "IGF-1 (SDS)");
    plot.y_axis_right(&mut svg, &dose_scale, "Dose (mg/week)");
    legend(
        &mut svg,
        LEFT,
        452.0,
        &[
            (Shape::Circle, "IGF-1 SDS (left axis)"),
            (
                Shape::Line("6 3"),
                "dose given from the visit on (right axis)",
            ),
            (Shape::Box, "target band"),
            (Shape::Line("9 3 2 3"), "ceiling"),
        ],
    );
    let text = format!(
        "Band: {} (IGF-1 SDS {} to {}, ceiling {}). IGF-1 SDS as recorded at each visit. {}.{}",
        band.label,
        signed(band.low_sds, 2),
        signed(band.high_sds, 2),
        signed(band.ceiling_sds, 2),
        rules_note(latest),
        voided_note(course)
    );
    let mut y = 474.0;
    for line in wrap(&text, 150) {
        svg.text(LEFT - 40.0, y, 10.0, "start", &line);
        y += 13.0;
    }
    Ok(svg.finish())
}

fn check_band(band: &Band) -> Result<(), ChartError> {
    let numbers = [band.low_sds, band.high_sds, band.ceiling_sds];
    if !numbers.iter().all(|x| x.is_finite()) {
        return Err(ChartError::new(
            "the IGF-1 band has a number that is not finite",
        ));
    }
    if band.low_sds > band.high_sds {
        return Err(ChartError::new(format!(
            "the IGF-1 band's low end {} is above its high end {}",
            band.low_sds, band.high_sds
        )));
    }
    Ok(())
}

fn igf1_sds(v: &Visit) -> Option<f64> {
    v.igf1.as_ref().and_then(|i| i.sds)
}

/// The band as a grey box across the plot.
fn band_box(svg: &mut Svg, plot: &Plot, band: &Band) {
    let (top, bottom) = (plot.y.at(band.high_sds), plot.y.at(band.low_sds));
    svg.open("g", &[("class", "band")]);
    svg.title(&band.label);
    svg.rect(
        (plot.left(), top),
        (plot.right(), bottom),
        &[
            ("fill", "#e4e4e4"),
            ("stroke", "#999"),
            ("stroke-width", "0.8"),
        ],
    );
    svg.close("g");
    // At the band's low end, where the dose line (high on its axis) and
    // titrated IGF-1 values seldom are.
    let label_y = (bottom - 5.0).max(top + 11.0);
    svg.text(plot.left() + 6.0, label_y, 10.0, "start", &band.label);
}

/// The ceiling as a dash-dot line across the plot.
fn ceiling(svg: &mut Svg, plot: &Plot, band: &Band) {
    let y = plot.y.at(band.ceiling_sds);
    svg.line(
        (plot.left(), y),
        (plot.right(), y),
        &[
            ("class", "ceiling"),
            ("stroke", "black"),
            ("stroke-width", "1.2"),
            ("stroke-dasharray", "9 3 2 3"),
        ],
    );
    let label = format!("ceiling {}", signed(band.ceiling_sds, 2));
    svg.text(plot.right() - 6.0, y - 4.0, 10.0, "end", &label);
}

/// The weekly dose from each visit to the next (to the axis end after the
/// last); a visit without a dose (withheld, stopped) drops it to 0.
fn dose_steps(svg: &mut Svg, plot: &Plot, scale: &Scale, at: &[At<'_>]) {
    // One step line per product: mg of different products are not one series.
    let mut segments: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    let mut product: Option<&str> = None;
    for (i, a) in at.iter().enumerate() {
        let given = a.visit.dose.as_ref();
        if let Some(p) = given.and_then(|d| d.product.as_deref()) {
            if product.is_some_and(|q| q != p) {
                segments.push(Vec::new());
            }
            product = Some(p);
        }
        let dose = given.map_or(0.0, |d| d.mg_per_week);
        let until = at.get(i + 1).map_or(plot.x.hi, |n| n.age);
        let y = scale.at(dose);
        if let Some(pts) = segments.last_mut() {
            pts.push((plot.x.at(a.age), y));
            pts.push((plot.x.at(until), y));
        }
    }
    for pts in &segments {
        svg.polyline(
            pts,
            &[
                ("class", "dose"),
                ("stroke", "black"),
                ("stroke-width", "2"),
                ("stroke-dasharray", "6 3"),
            ],
        );
    }
}

/// One marker per visit with an IGF-1 SDS, joined by a line.
fn igf1_series(svg: &mut Svg, plot: &Plot, at: &[At<'_>]) {
    let with: Vec<(&At<'_>, f64)> = at
        .iter()
        .filter_map(|a| igf1_sds(a.visit).map(|s| (a, s)))
        .collect();
    let pts: Vec<(f64, f64)> = with.iter().map(|(a, s)| plot.at(a.age, *s)).collect();
    svg.polyline(&pts, &[("stroke", "black"), ("stroke-width", "1.5")]);
    for (a, s) in with {
        let given = a.visit.igf1.as_ref().map_or("", |i| i.given.as_str());
        let title = format!(
            "{}: age {} y, IGF-1 {} SDS (as given: {given})",
            a.visit.date,
            amount(a.age, 2),
            signed(s, 2)
        );
        marker(svg, Shape::Circle, plot.at(a.age, s), 4.0, "visit", &title);
    }
}

/// The decision of a visit in a few words: `start`, `decrease -13 %`, and
/// the product when it is not the one of the visit before.
fn decision_text(v: &Visit, before: Option<&str>) -> String {
    let action = v.decision.action;
    let words = match v.decision.change_percent {
        Some(p) if action.changes() => format!("{action} {} %", signed(p, 1)),
        _ => action.to_string(),
    };
    match v.dose.as_ref().and_then(|d| d.product.as_deref()) {
        Some(p) if before.is_some_and(|b| b != p) => format!("{words} on {p}"),
        _ => words,
    }
}

/// Each visit's decision above the plot, on the first row where it does
/// not overlap the label before it, with a dotted line down to its date.
fn decisions(svg: &mut Svg, plot: &Plot, at: &[At<'_>]) {
    let mut ends = [f64::NEG_INFINITY; DECISION_ROWS.len()];
    let mut before: Option<&str> = None;
    for a in at {
        let v = a.visit;
        let x = plot.x.at(a.age);
        let text = decision_text(v, before);
        if let Some(p) = v.dose.as_ref().and_then(|d| d.product.as_deref()) {
            before = Some(p);
        }
        // About 5.6 px a character at 10 px.
        let half = text.chars().count() as f64 * 2.8;
        let row = (0..ends.len())
            .find(|&r| ends[r] + 6.0 < x - half)
            .unwrap_or_else(|| {
                (0..ends.len())
                    .min_by(|&p, &q| ends[p].total_cmp(&ends[q]))
                    .unwrap_or(0)
            });
        if let Some(end) = ends.get_mut(row) {
            *end = x + half;
        }
        let y = DECISION_ROWS.get(row).copied().unwrap_or(DECISION_ROWS[0]);
        let title = match action_title(v) {
            Some(t) => t,
            None => format!("{} {}", v.date, v.decision.action),
        };
        svg.open("g", &[("class", "decision")]);
        svg.title(&title);
        svg.text(x, y, 10.0, "middle", &text);
        svg.close("g");
        svg.line(
            (x, y + 3.0),
            (x, plot.bottom()),
            &[
                ("stroke", "#aaa"),
                ("stroke-width", "0.8"),
                ("stroke-dasharray", "1 3"),
            ],
        );
    }
}

/// What the decision did to the dose, for its title.
fn action_title(v: &Visit) -> Option<String> {
    let action = v.decision.action;
    if v.command == "start" {
        return Some(format!("{} start {}", v.date, mg(v.dose.as_ref())));
    }
    matches!(
        action,
        Action::Increase | Action::Decrease | Action::Stop | Action::Withhold | Action::Maintain
    )
    .then(|| {
        format!(
            "{} {action} {} -> {}",
            v.date,
            mg(v.dose_before.as_ref()),
            mg(v.dose.as_ref())
        )
    })
}
