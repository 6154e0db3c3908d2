//! Markers (circle, square, triangles, cross) each in a group with its class
//! and title, and the legend row that shows them.

use super::svg::{Svg, num};

/// The shape of a marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    Circle,
    Square,
    /// A filled diamond: a start.
    Diamond,
    /// Pointing up: an increase.
    Up,
    /// Pointing down: a decrease.
    Down,
    /// A stop or a withheld dose.
    Cross,
    /// A short line of the given dash pattern (legend only).
    Line(&'static str),
    /// A grey box (legend only).
    Box,
}

/// A marker at (x, y), `r` its half-size, in a `g` with `class` and a
/// `title`.
pub(super) fn marker(
    svg: &mut Svg,
    shape: Shape,
    (x, y): (f64, f64),
    r: f64,
    class: &str,
    title: &str,
) {
    svg.open("g", &[("class", class)]);
    svg.title(title);
    shape_at(svg, shape, (x, y), r);
    svg.close("g");
}

fn shape_at(svg: &mut Svg, shape: Shape, (x, y): (f64, f64), r: f64) {
    let ink = [
        ("fill", "white"),
        ("stroke", "black"),
        ("stroke-width", "1.3"),
    ];
    let path = |svg: &mut Svg, d: String, fill: &str| {
        svg.el(
            "path",
            &[
                ("d", &d),
                ("fill", fill),
                ("stroke", "black"),
                ("stroke-width", "1.3"),
            ],
        );
    };
    match shape {
        Shape::Circle => {
            let mut attrs = vec![("cx", num(x)), ("cy", num(y)), ("r", num(r))];
            attrs.extend(ink.iter().map(|(k, v)| (*k, v.to_string())));
            let attrs: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            svg.el("circle", &attrs);
        }
        Shape::Square => svg.rect((x - r, y - r), (x + r, y + r), &ink),
        Shape::Diamond => {
            let d = format!(
                "M{} {} L{} {} L{} {} L{} {} Z",
                num(x),
                num(y - r),
                num(x + r),
                num(y),
                num(x),
                num(y + r),
                num(x - r),
                num(y)
            );
            path(svg, d, "black");
        }
        Shape::Up => path(svg, triangle(x, y, r, -1.0), "black"),
        Shape::Down => path(svg, triangle(x, y, r, 1.0), "white"),
        Shape::Cross => {
            let d = format!(
                "M{} {} L{} {} M{} {} L{} {}",
                num(x - r),
                num(y - r),
                num(x + r),
                num(y + r),
                num(x - r),
                num(y + r),
                num(x + r),
                num(y - r)
            );
            svg.el(
                "path",
                &[("d", &d), ("stroke", "black"), ("stroke-width", "2")],
            );
        }
        Shape::Line(dash) => svg.line(
            (x - 2.0 * r, y),
            (x + 2.0 * r, y),
            &[
                ("stroke", "black"),
                ("stroke-width", "1.5"),
                ("stroke-dasharray", dash),
            ],
        ),
        Shape::Box => svg.rect(
            (x - 2.0 * r, y - r),
            (x + 2.0 * r, y + r),
            &[("fill", "#e4e4e4"), ("stroke", "#999")],
        ),
    }
}

/// A triangle centred on (x, y) with its point up (`dir` -1) or down (1).
fn triangle(x: f64, y: f64, r: f64, dir: f64) -> String {
    format!(
        "M{} {} L{} {} L{} {} Z",
        num(x),
        num(y + dir * r),
        num(x - r),
        num(y - dir * r),
        num(x + r),
        num(y - dir * r)
    )
}

/// A row of legend entries from `x` at baseline `y`.
pub(super) fn legend(svg: &mut Svg, mut x: f64, y: f64, entries: &[(Shape, &str)]) {
    for (shape, label) in entries {
        let wide = matches!(shape, Shape::Line(_) | Shape::Box);
        let half = if wide { 10.0 } else { 4.0 };
        shape_at(
            svg,
            *shape,
            (x + half, y - 3.5),
            if wide { 5.0 } else { 4.0 },
        );
        let tx = x + 2.0 * half + 4.0;
        svg.text(tx, y, 10.0, "start", label);
        // About 5.6 px a character at 10 px.
        x = tx + label.chars().count() as f64 * 5.6 + 16.0;
    }
}

/// What a visit did to the dose, as a chart marks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Change {
    Start,
    Increase,
    Decrease,
    /// A stop or a withheld dose.
    Stop,
}

impl Change {
    /// The change of a visit (none for a maintain, a recheck or a refusal).
    pub(super) fn of(v: &crate::record::VisitLine) -> Option<Change> {
        use crate::vocab::Action;
        match v.decision.action {
            _ if v.command == "start" => Some(Change::Start),
            Action::Start => Some(Change::Start),
            Action::Increase => Some(Change::Increase),
            Action::Decrease => Some(Change::Decrease),
            Action::Stop | Action::Withhold => Some(Change::Stop),
            _ => None,
        }
    }

    pub(super) fn shape(self) -> Shape {
        match self {
            Change::Start => Shape::Diamond,
            Change::Increase => Shape::Up,
            Change::Decrease => Shape::Down,
            Change::Stop => Shape::Cross,
        }
    }

    /// The mark's classes: `dose-change` and the kind of change.
    pub(super) fn class(self) -> &'static str {
        match self {
            Change::Start => "dose-change start",
            Change::Increase => "dose-change increase",
            Change::Decrease => "dose-change decrease",
            Change::Stop => "dose-change stop",
        }
    }

    /// The legend entries of the four marks.
    pub(super) const LEGEND: [(Shape, &'static str); 4] = [
        (Shape::Diamond, "start"),
        (Shape::Up, "increase"),
        (Shape::Down, "decrease"),
        (Shape::Cross, "stop / withhold"),
    ];
}
