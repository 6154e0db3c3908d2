//! Linear scales, "nice" tick steps (1, 2 or 5 times a power of ten) and
//! the drawing of axes with their ticks, tick labels and grid lines.

use super::svg::{Svg, amount, num};

/// Grey of grid lines.
const GRID: &str = "#e0e0e0";

/// A linear map from data values to pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Scale {
    /// The data range, lowest first.
    pub(crate) lo: f64,
    pub(crate) hi: f64,
    /// The pixels `lo` and `hi` map to (y scales run downwards: `from > to`).
    pub(crate) from: f64,
    pub(crate) to: f64,
    /// The distance between ticks.
    pub(crate) step: f64,
}

impl Scale {
    /// A scale over `lo..hi` widened to whole tick steps, with about
    /// `ticks` ticks.
    pub(super) fn nice(lo: f64, hi: f64, ticks: usize, from: f64, to: f64) -> Scale {
        let (lo, hi) = if hi > lo {
            (lo, hi)
        } else {
            (lo - 1.0, lo + 1.0)
        };
        let step = nice_step(hi - lo, ticks);
        Scale {
            lo: (lo / step).floor() * step,
            hi: (hi / step).ceil() * step,
            from,
            to,
            step,
        }
    }

    /// A scale over exactly `lo..hi` with about `ticks` ticks inside.
    pub(super) fn exact(lo: f64, hi: f64, ticks: usize, from: f64, to: f64) -> Scale {
        let (lo, hi) = if hi > lo {
            (lo, hi)
        } else {
            (lo - 1.0, lo + 1.0)
        };
        Scale {
            lo,
            hi,
            from,
            to,
            step: nice_step(hi - lo, ticks),
        }
    }

    /// The pixel of a value.
    pub(super) fn at(&self, v: f64) -> f64 {
        self.from + (v - self.lo) / (self.hi - self.lo) * (self.to - self.from)
    }

    /// Whether a value is within the range.
    pub(super) fn contains(&self, v: f64) -> bool {
        v >= self.lo - 1e-9 && v <= self.hi + 1e-9
    }

    /// The tick values: whole multiples of the step within the range, each
    /// computed from its index (no accumulated error).
    pub(super) fn ticks(&self) -> Vec<f64> {
        let first = (self.lo / self.step - 1e-9).ceil() as i64;
        let last = (self.hi / self.step + 1e-9).floor() as i64;
        (first..=last).map(|k| k as f64 * self.step).collect()
    }

    /// A tick value as a label, with the decimals its step needs.
    pub(super) fn label(&self, v: f64) -> String {
        let decimals = if self.step >= 1.0 {
            0
        } else if self.step >= 0.1 {
            1
        } else {
            2
        };
        amount(v, decimals)
    }
}

/// A step of 1, 2 or 5 times a power of ten giving about `ticks` ticks
/// over `span`.
pub(super) fn nice_step(span: f64, ticks: usize) -> f64 {
    let raw = span.abs() / ticks.max(1) as f64;
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let power = 10f64.powf(raw.log10().floor());
    let m = raw / power;
    let nice = if m < 1.5 {
        1.0
    } else if m < 3.5 {
        2.0
    } else if m < 7.5 {
        5.0
    } else {
        10.0
    };
    nice * power
}

/// The date at a decimal age (days / 365.25, as `growth::decimal_age`
/// counts it); none outside the calendar.
pub(super) fn date_at(birth: chrono::NaiveDate, age: f64) -> Option<chrono::NaiveDate> {
    let days = (age * 365.25).round();
    if !days.is_finite() || days.abs() > 1e6 {
        return None;
    }
    birth.checked_add_signed(chrono::TimeDelta::try_days(days as i64)?)
}

/// A plot area: its horizontal and vertical scales.
#[derive(Debug, Clone, Copy)]
pub(super) struct Plot {
    pub(crate) x: Scale,
    pub(crate) y: Scale,
}

impl Plot {
    /// The pixel of a data point.
    pub(super) fn at(&self, x: f64, y: f64) -> (f64, f64) {
        (self.x.at(x), self.y.at(y))
    }

    pub(super) fn left(&self) -> f64 {
        self.x.from
    }

    pub(super) fn right(&self) -> f64 {
        self.x.to
    }

    pub(super) fn top(&self) -> f64 {
        self.y.to
    }

    pub(super) fn bottom(&self) -> f64 {
        self.y.from
    }

    /// Grid lines at the ticks of both axes, then the frame.
    pub(super) fn frame(&self, svg: &mut Svg) {
        let grid = [("stroke", GRID), ("stroke-width", "1")];
        for t in self.x.ticks() {
            let x = self.x.at(t);
            svg.line((x, self.top()), (x, self.bottom()), &grid);
        }
        for t in self.y.ticks() {
            let y = self.y.at(t);
            svg.line((self.left(), y), (self.right(), y), &grid);
        }
        svg.rect(
            (self.left(), self.top()),
            (self.right(), self.bottom()),
            &[("fill", "none"), ("stroke", "black"), ("stroke-width", "1")],
        );
    }

    /// Tick marks and labels under the plot, and the axis label under them
    /// (none when `label` is empty).
    pub(super) fn x_axis(&self, svg: &mut Svg, label: &str) {
        let y = self.bottom();
        for t in self.x.ticks() {
            let x = self.x.at(t);
            svg.line((x, y), (x, y + 4.0), &[("stroke", "black")]);
            svg.text(x, y + 15.0, 10.0, "middle", &self.x.label(t));
        }
        if !label.is_empty() {
            let mid = (self.left() + self.right()) / 2.0;
            svg.text(mid, y + 30.0, 11.0, "middle", label);
        }
    }

    /// Tick marks under the plot, each with the age and, under it, the
    /// calendar month the patient born on `birth` reached that age
    /// (`2026-07`), then the axis label.
    pub(super) fn x_axis_dated(&self, svg: &mut Svg, birth: chrono::NaiveDate) {
        let y = self.bottom();
        for t in self.x.ticks() {
            let x = self.x.at(t);
            svg.line((x, y), (x, y + 4.0), &[("stroke", "black")]);
            svg.text(x, y + 15.0, 10.0, "middle", &self.x.label(t));
            if let Some(date) = date_at(birth, t) {
                svg.text(
                    x,
                    y + 27.0,
                    9.0,
                    "middle",
                    &date.format("%Y-%m").to_string(),
                );
            }
        }
        let mid = (self.left() + self.right()) / 2.0;
        svg.text(mid, y + 42.0, 11.0, "middle", "Age (years) and date");
    }

    /// Tick marks and labels on the left of the plot, and the axis label
    /// written upwards.
    pub(super) fn y_axis_left(&self, svg: &mut Svg, label: &str) {
        self.y_axis(svg, &self.y, self.left(), -1.0, label);
    }

    fn y_axis(&self, svg: &mut Svg, scale: &Scale, x: f64, side: f64, label: &str) {
        let anchor = if side < 0.0 { "end" } else { "start" };
        for t in scale.ticks() {
            let y = scale.at(t);
            svg.line((x, y), (x + 4.0 * side, y), &[("stroke", "black")]);
            svg.text(x + 7.0 * side, y + 3.5, 10.0, anchor, &scale.label(t));
        }
        let lx = x + 38.0 * side;
        let ly = (self.top() + self.bottom()) / 2.0;
        let rotate = format!("rotate(-90 {} {})", num(lx), num(ly));
        let attrs = [
            ("x", num(lx)),
            ("y", num(ly)),
            ("font-size", num(11.0)),
            ("text-anchor", "middle".to_string()),
            ("transform", rotate),
        ];
        let attrs: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        svg.text_el("text", &attrs, label);
    }
}

#[cfg(test)]
mod tests;
