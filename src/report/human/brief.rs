//! `--brief`: the answer a clinician copies into a note, in at most
//! [`MAX_LINES`] lines of at most [`MAX_WIDTH`] columns: the product, the
//! dose per injection with its device and volume, injections a week, the
//! action and change, the next review and the flag codes. The full output
//! (without `--brief`) holds the ranges, the reasons and the sources.

use super::document::{change_text, per_day};
use super::wrap::wrap;
use super::{BOLD, CYAN, RED, YELLOW, dates, iu, paint, plural, row};
use crate::dosing::Dose;
use crate::report::Document;
use crate::vocab::{Action, Severity};
use std::fmt::Write;

/// The most lines a brief answer takes.
pub(crate) const MAX_LINES: usize = 12;
/// The width of a brief answer, whatever the terminal's: it reads the same
/// pasted into a note.
pub(crate) const MAX_WIDTH: usize = 80;

/// The brief answer of a `start` or `titrate` document, wrapped to
/// [`MAX_WIDTH`]. Flag codes that do not fit in [`MAX_LINES`] are counted
/// ("+3 more"), the most severe kept.
pub(crate) fn render_brief(doc: &Document) -> String {
    let width = MAX_WIDTH;
    let head = wrap(&head(doc), width);
    let used = head.lines().count();
    let codes = flag_codes(doc);
    if codes.is_empty() {
        return head;
    }
    // As many codes as fit in the lines left, with a count of the rest.
    let room = MAX_LINES.saturating_sub(used).max(1);
    let mut shown = codes.len();
    loop {
        let rest = codes.len() - shown;
        let mut text = String::new();
        let mut list = codes[..shown].join(" ");
        if rest > 0 {
            let _ = write!(list, " +{rest} more (see the full output)");
        }
        row(&mut text, "Flags", format_args!("{list}"));
        let text = wrap(&text, width);
        if text.lines().count() <= room || shown == 0 {
            return head + &text;
        }
        shown -= 1;
    }
}

/// Every line but the flags.
fn head(doc: &Document) -> String {
    let mut out = String::new();
    let rec = &doc.recommendation;
    let _ = writeln!(
        out,
        "{} ({}) - {} - as of {}",
        paint(BOLD, &doc.indication.name),
        doc.indication.id,
        doc.head.header.command,
        doc.head.as_of
    );
    if let Some(p) = &doc.product {
        let labelled = if p.labelled { "labelled" } else { "OFF-LABEL" };
        row(
            &mut out,
            "Product",
            format_args!("{} ({} label: {labelled})", p.name, p.region),
        );
    }
    let style = match rec.action {
        Action::Stop | Action::Withhold => RED,
        Action::Recheck => YELLOW,
        _ => BOLD,
    };
    row(
        &mut out,
        "Action",
        format_args!(
            "{}{}",
            paint(style, rec.action.as_str().to_uppercase()),
            change_text(rec)
        ),
    );
    match &rec.dose {
        Some(dose) => dose_rows(&mut out, dose, per_day(&rec.range)),
        None => {
            let what = match rec.action {
                Action::Withhold | Action::Stop => {
                    let blocks: Vec<&str> = doc
                        .flags
                        .iter()
                        .filter(|f| f.severity == Severity::Block)
                        .map(|f| f.code.as_str())
                        .collect();
                    paint(RED, format!("no dose ({})", blocks.join(", ")))
                }
                _ => {
                    let keep = rec.current_dose.as_ref().map_or_else(
                        || "the current dose".to_string(),
                        |c| {
                            if per_day(&rec.range) {
                                format!("{} mg/day", c.mg_per_injection)
                            } else {
                                format!("{} mg/week", c.mg_per_week)
                            }
                        },
                    );
                    paint(BOLD, format!("continue {keep}"))
                }
            };
            row(&mut out, "Dose", format_args!("{what}"));
        }
    }
    if let Some(r) = &rec.next_review {
        row(
            &mut out,
            "Next review",
            format_args!("{}: {}", dates(r.earliest, r.latest), r.what.join(", ")),
        );
    }
    out
}

/// The dose per injection (on its device, with its volume) and how often.
fn dose_rows(out: &mut String, dose: &Dose, per_day: bool) {
    let per = match &dose.deliverable {
        Some(d) => {
            let split = if d.injections_per_dose > 1 {
                format!("{} x ", d.injections_per_dose)
            } else {
                String::new()
            };
            let volume = d
                .volume_ml
                .map(|v| format!(" ({v} mL)"))
                .unwrap_or_default();
            format!(
                "{}{volume} on {}",
                paint(BOLD, format!("{split}{} mg", d.mg_per_injection)),
                d.device_name
            )
        }
        None => format!(
            "{}{}, no device rounding",
            paint(BOLD, format!("{} mg", dose.mg_per_injection)),
            iu(dose.iu_per_injection)
        ),
    };
    row(out, "Per injection", format_args!("{per}"));
    let often = if dose.injections_per_week == 1 {
        match dose.deliverable.as_ref().map(|d| d.injections_per_dose) {
            Some(n) if n > 1 => format!("once a week ({})", plural(n, "injection")),
            _ => "once a week".to_string(),
        }
    } else {
        format!("{} a week", plural(dose.injections_per_week, "injection"))
    };
    let weekly = if per_day {
        format!("{} mg/day", dose.mg_per_injection)
    } else {
        format!("{} mg/week", dose.given_per_week())
    };
    row(out, "Schedule", format_args!("{often}; {weekly}"));
}

/// "BLOCK X", "WARNING Y", "INFO Z", most severe first (as the document
/// orders them).
fn flag_codes(doc: &Document) -> Vec<String> {
    doc.flags
        .iter()
        .map(|f| {
            let (style, word) = match f.severity {
                Severity::Block => (RED, "BLOCK"),
                Severity::Warning => (YELLOW, "WARNING"),
                Severity::Info => (CYAN, "INFO"),
            };
            format!("{}:{}", paint(style, word), f.code.as_str())
        })
        .collect()
}

#[cfg(test)]
mod tests;
