//! The titration chart, in two panels on one time axis: above, IGF-1 SDS
//! against the band each decision used (per product and population); below,
//! the dose as a step line (mg/day for an adult on daily somatropin, else
//! mg/week) with a mark and the new value at each change; each visit's
//! decision across the top.

use super::axes::{Plot, Scale};
use super::band::{self, Band};
use super::marks::{Change, Shape, legend, marker};
use super::svg::{Svg, amount, signed};
use super::{At, ChartError, ends, indication_name, rules_note, visits, voided_note, wrap};
use crate::record::{Course, GivenDose, VisitLine};
use crate::rules::RuleSet;
use crate::vocab::{Action, FlagCode, Population};

const WIDTH: f64 = 900.0;
const HEIGHT: f64 = 590.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 850.0;
/// The IGF-1 panel.
const IGF1_TOP: f64 = 86.0;
const IGF1_BOTTOM: f64 = 300.0;
/// The dose panel.
const DOSE_TOP: f64 = 322.0;
const DOSE_BOTTOM: f64 = 462.0;
/// Baselines of the rows of decision labels above the plot.
const DECISION_ROWS: [f64; 3] = [50.0, 63.0, 76.0];

/// The unit the dose panel is drawn in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    /// mg per injection day: an adult whose every dose is daily.
    PerDay,
    PerWeek,
}

impl Unit {
    fn of(rules: &RuleSet, course: &Course, latest: &VisitLine) -> Unit {
        let adult = rules
            .indication(&latest.indication)
            .is_some_and(|i| i.population == Population::Adult);
        let doses = course
            .lines
            .iter()
            .flat_map(|l| [l.visit.dose.as_ref(), l.visit.dose_before.as_ref()])
            .flatten();
        if adult
            && doses.clone().next().is_some()
            && doses.clone().all(|d| d.injections_per_week > 1)
        {
            Unit::PerDay
        } else {
            Unit::PerWeek
        }
    }

    fn value(self, d: &GivenDose) -> f64 {
        match self {
            Unit::PerDay => d.mg_per_week / f64::from(d.injections_per_week.max(1)),
            Unit::PerWeek => d.mg_per_week,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Unit::PerDay => "mg/day",
            Unit::PerWeek => "mg/week",
        }
    }

    /// A dose for reading: `0.6 mg/day`, `8.05 mg/week`, `no dose`.
    fn text(self, d: Option<&GivenDose>) -> String {
        d.map_or_else(
            || "no dose".to_string(),
            |d| format!("{} {}", amount(self.value(d), 3), self.name()),
        )
    }
}

/// The titration chart of a course: the IGF-1 panel against each visit's
/// band, the dose panel below, the legend and the notes.
pub(super) fn draw(
    course: &Course,
    rules: &RuleSet,
    label: Option<&str>,
) -> Result<String, ChartError> {
    let at = visits(course)?;
    let (start, end) = ends(&at)?;
    let (first, latest) = (start.visit, end.visit);
    let bands: Vec<Band> = at.iter().map(|a| band::of_visit(rules, a.visit)).collect();
    for b in &bands {
        check_band(b)?;
    }
    let unit = Unit::of(rules, course, latest);
    let (igf1, dose) = panels(&at, &bands, unit);

    let mut svg = Svg::new(WIDTH, HEIGHT);
    let title = title(rules, &at, (first, latest), label);
    svg.text(WIDTH / 2.0, 26.0, 16.0, "middle", &title);
    // The bands under the grid, the ceilings over it.
    let spans = spans(&at, &bands, &igf1);
    for (from, to, b) in &spans {
        band_box(&mut svg, &igf1, (*from, *to), b);
    }
    igf1.frame(&mut svg);
    for (from, to, b) in &spans {
        ceiling(&mut svg, &igf1, (*from, *to), b);
    }
    igf1_series(&mut svg, &igf1, &at);
    decisions(&mut svg, &igf1, &at, unit);
    igf1.y_axis_left(&mut svg, "IGF-1 (SDS)");
    dose.frame(&mut svg);
    dose_steps(&mut svg, &dose, &at, unit);
    dose.y_axis_left(&mut svg, &format!("Dose ({})", unit.name()));
    dose.x_axis_dated(&mut svg, first.patient.birth_date);
    let unread = at
        .iter()
        .any(|a| igf1_sds(a.visit).is_some() && uninterpretable(a.visit));
    chart_legend(&mut svg, &bands, unread);
    notes(&mut svg, &spans, course, latest);
    Ok(svg.finish())
}

/// The two panels on one age axis: IGF-1 SDS wide enough for every band and
/// reading, the dose from 0 to a fifth above the largest dose.
fn panels(at: &[At<'_>], bands: &[Band], unit: Unit) -> (Plot, Plot) {
    let min_age = at.iter().map(|a| a.age).fold(f64::INFINITY, f64::min);
    let max_age = at.iter().map(|a| a.age).fold(f64::NEG_INFINITY, f64::max);
    let margin = ((max_age - min_age) * 0.06).max(0.25);
    let x = Scale::exact(min_age - margin, max_age + margin, 8, LEFT, RIGHT);

    let sds: Vec<f64> = at.iter().filter_map(|a| igf1_sds(a.visit)).collect();
    let band_lo = bands
        .iter()
        .filter_map(|b| b.target.map(|t| t.0))
        .fold(-3.0, f64::min);
    let band_hi = bands.iter().map(|b| b.ceiling_sds).fold(3.0, f64::max);
    let lo = sds.iter().fold(band_lo, |m, &v| m.min(v));
    let hi = sds.iter().fold(band_hi, |m, &v| m.max(v));
    let igf1 = Plot {
        x,
        y: Scale::nice(lo, hi, 6, IGF1_BOTTOM, IGF1_TOP),
    };
    let max_dose = at
        .iter()
        .filter_map(|a| a.visit.dose.as_ref().map(|d| unit.value(d)))
        .fold(0.0, f64::max);
    let dose = Plot {
        x,
        y: Scale::nice(0.0, (max_dose * 1.2).max(0.1), 4, DOSE_BOTTOM, DOSE_TOP),
    };
    (igf1, dose)
}

/// The chart's title: the indication, every product of the course in
/// order, the patient's sex and birth date.
fn title(
    rules: &RuleSet,
    at: &[At<'_>],
    (first, latest): (&VisitLine, &VisitLine),
    label: Option<&str>,
) -> String {
    // Every product of the course, in order: doses of different products
    // share the dose axis, and each change is labelled at its visit.
    let mut products: Vec<&str> = Vec::new();
    for a in at {
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
    format!(
        "{}IGF-1 and dose - {}{product}, {}, born {}",
        super::title_label(label),
        indication_name(rules, &latest.indication),
        first.patient.sex,
        first.patient.birth_date
    )
}

/// The legend: the IGF-1 mark (and the uninterpretable one when a sample
/// is), the target band when one is drawn, the
/// ceiling, the dose line and the marks of each change.
fn chart_legend(svg: &mut Svg, bands: &[Band], unread: bool) {
    let mut entries = vec![(Shape::Circle, "IGF-1 SDS")];
    if unread {
        entries.push((Shape::Square, "not interpretable"));
    }
    if bands.iter().any(|b| b.target.is_some()) {
        entries.push((Shape::Box, "target band"));
    }
    entries.extend([
        (Shape::Line("9 3 2 3"), "reduce above"),
        (Shape::Line("none"), "dose from the visit on"),
    ]);
    entries.extend(Change::LEGEND);
    legend(svg, LEFT - 40.0, 534.0, &entries);
}

/// The notes under the chart: each band's rule once, the rule set and the
/// voided lines.
fn notes(svg: &mut Svg, spans: &[(f64, f64, &Band)], course: &Course, latest: &VisitLine) {
    let mut seen: Vec<&str> = Vec::new();
    for (_, _, b) in spans {
        if !seen.contains(&b.label.as_str()) {
            seen.push(&b.label);
        }
    }
    let text = format!(
        "IGF-1 SDS as recorded at each visit, against the rule of the regimen it was decided on: {}.",
        seen.join("; ")
    );
    let mut lines = wrap(&text, 150);
    lines.push(format!("{}.{}", rules_note(latest), voided_note(course)));
    let mut y = 556.0;
    for line in lines {
        svg.text(LEFT - 40.0, y, 10.0, "start", &line);
        y += 13.0;
    }
}

pub(super) fn check_band(band: &Band) -> Result<(), ChartError> {
    let (lo, hi) = band.target.unwrap_or((band.ceiling_sds, band.ceiling_sds));
    if ![lo, hi, band.ceiling_sds].iter().all(|x| x.is_finite()) {
        return Err(ChartError::new(
            "the IGF-1 band has a number that is not finite",
        ));
    }
    if lo > hi {
        return Err(ChartError::new(format!(
            "the IGF-1 band's low end {lo} is above its high end {hi}"
        )));
    }
    Ok(())
}

/// The pixels each band covers: a visit's band from the visit before it
/// (the axis start for the first) to the visit (the axis end for the
/// last), the same band of neighbouring visits joined.
fn spans<'b>(at: &[At<'_>], bands: &'b [Band], plot: &Plot) -> Vec<(f64, f64, &'b Band)> {
    let mut out: Vec<(f64, f64, &Band)> = Vec::new();
    for (i, (a, b)) in at.iter().zip(bands).enumerate() {
        let from = if i == 0 {
            plot.left()
        } else {
            plot.x.at(at[i - 1].age)
        };
        let to = if i + 1 == at.len() {
            plot.right()
        } else {
            plot.x.at(a.age)
        };
        match out.last_mut() {
            Some(last) if last.2 == b => last.1 = to,
            _ => out.push((from, to, b)),
        }
    }
    out
}

fn igf1_sds(v: &VisitLine) -> Option<f64> {
    v.igf1.as_ref().and_then(|i| i.sds)
}

/// The band kept (if the regimen has one) as a grey box over its span.
fn band_box(svg: &mut Svg, plot: &Plot, (from, to): (f64, f64), band: &Band) {
    let Some((lo, hi)) = band.target else { return };
    let (top, bottom) = (plot.y.at(hi), plot.y.at(lo));
    svg.open("g", &[("class", "band")]);
    svg.title(&format!(
        "IGF-1 SDS {} to {}: {}",
        signed(lo, 2),
        signed(hi, 2),
        band.label
    ));
    svg.rect(
        (from, top),
        (to, bottom),
        &[
            ("fill", "#e4e4e4"),
            ("stroke", "#999"),
            ("stroke-width", "0.8"),
        ],
    );
    svg.close("g");
}

/// The ceiling as a dash-dot line over its span, "reduce above" over it.
fn ceiling(svg: &mut Svg, plot: &Plot, (from, to): (f64, f64), band: &Band) {
    let y = plot.y.at(band.ceiling_sds);
    svg.open("g", &[("class", "ceiling")]);
    svg.title(&band.label);
    svg.line(
        (from, y),
        (to, y),
        &[
            ("stroke", "black"),
            ("stroke-width", "1.2"),
            ("stroke-dasharray", "9 3 2 3"),
        ],
    );
    svg.close("g");
    let label = format!("reduce above {}", signed(band.ceiling_sds, 2));
    svg.text(from + 6.0, y - 4.0, 10.0, "start", &label);
}

/// The dose from each visit to the next (to the axis end after the last);
/// a visit without a dose (withheld, stopped) drops it to 0. At each change
/// a mark of its kind and the new value.
fn dose_steps(svg: &mut Svg, plot: &Plot, at: &[At<'_>], unit: Unit) {
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
        let value = given.map_or(0.0, |d| unit.value(d));
        let until = at.get(i + 1).map_or(plot.x.hi, |n| n.age);
        let y = plot.y.at(value);
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
            ],
        );
    }
    // The new value on the side the step line does not come from: over a
    // start or an increase, under a decrease or a stop.
    for a in at {
        let v = a.visit;
        let Some(change) = Change::of(v) else {
            continue;
        };
        let value = v.dose.as_ref().map_or(0.0, |d| unit.value(d));
        let (x, y) = plot.at(a.age, value);
        let title = match change {
            Change::Start => format!("{} start {}", v.date, unit.text(v.dose.as_ref())),
            _ => format!(
                "{} {} {} -> {}",
                v.date,
                v.decision.action,
                unit.text(v.dose_before.as_ref()),
                unit.text(v.dose.as_ref())
            ),
        };
        marker(svg, change.shape(), (x, y), 4.5, change.class(), &title);
        let below = matches!(change, Change::Decrease | Change::Stop);
        let text = match change {
            Change::Stop => format!("0 ({})", v.decision.action),
            _ => amount(value, 3),
        };
        let ty = if below { y + 17.0 } else { y - 8.0 };
        svg.text_el(
            "text",
            &[
                ("class", "dose-value"),
                ("x", &super::svg::num(x)),
                ("y", &super::svg::num(ty)),
                ("font-size", "10.00"),
                ("text-anchor", "middle"),
            ],
            &text,
        );
    }
}

/// One marker per visit with an IGF-1 SDS, joined by a line; a sample its
/// visit found not interpretable (outside the product's sampling window,
/// before steady state, too old) is a square left out of the line, so that
/// no trend is drawn through it.
fn igf1_series(svg: &mut Svg, plot: &Plot, at: &[At<'_>]) {
    let with: Vec<(&At<'_>, f64)> = at
        .iter()
        .filter_map(|a| igf1_sds(a.visit).map(|s| (a, s)))
        .collect();
    let pts: Vec<(f64, f64)> = with
        .iter()
        .filter(|(a, _)| !uninterpretable(a.visit))
        .map(|(a, s)| plot.at(a.age, *s))
        .collect();
    svg.polyline(&pts, &[("stroke", "black"), ("stroke-width", "1.5")]);
    for (a, s) in with {
        let given = a.visit.igf1.as_ref().map_or("", |i| i.given.as_str());
        let (shape, note) = if uninterpretable(a.visit) {
            (Shape::Square, "; not interpretable, not joined")
        } else {
            (Shape::Circle, "")
        };
        let title = format!(
            "{}: age {} y, IGF-1 {} SDS (as given: {given}){note}",
            a.visit.date,
            amount(a.age, 2),
            signed(s, 2)
        );
        marker(svg, shape, plot.at(a.age, s), 4.0, "visit", &title);
    }
}

/// Whether the visit found its IGF-1 sample not interpretable.
fn uninterpretable(v: &VisitLine) -> bool {
    v.decision.flags.iter().any(|f| {
        matches!(
            f,
            FlagCode::Igf1SampleTiming | FlagCode::Igf1NotSteadyState | FlagCode::Igf1Stale
        )
    })
}

/// The decision of a visit in a few words: `start`, `decrease -13 %`, and
/// the product when it is not the one of the visit before.
fn decision_text(v: &VisitLine, before: Option<&str>) -> String {
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
fn decisions(svg: &mut Svg, plot: &Plot, at: &[At<'_>], unit: Unit) {
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
        let title = match action_title(v, unit) {
            Some(t) => t,
            None => format!("{} {}", v.date, v.decision.action),
        };
        svg.open("g", &[("class", "decision")]);
        svg.title(&title);
        svg.text(x, y, 10.0, "middle", &text);
        svg.close("g");
        svg.line(
            (x, y + 3.0),
            (x, DOSE_BOTTOM),
            &[
                ("stroke", "#aaa"),
                ("stroke-width", "0.8"),
                ("stroke-dasharray", "1 3"),
            ],
        );
    }
}

/// What the decision did to the dose, for its title.
fn action_title(v: &VisitLine, unit: Unit) -> Option<String> {
    let action = v.decision.action;
    if v.command == "start" {
        return Some(format!("{} start {}", v.date, unit.text(v.dose.as_ref())));
    }
    matches!(
        action,
        Action::Increase | Action::Decrease | Action::Stop | Action::Withhold | Action::Maintain
    )
    .then(|| {
        format!(
            "{} {action} {} -> {}",
            v.date,
            unit.text(v.dose_before.as_ref()),
            unit.text(v.dose.as_ref())
        )
    })
}
