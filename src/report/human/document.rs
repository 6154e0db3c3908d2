//! A `start` or `titrate` document as a compact table.

use super::{BOLD, RED, YELLOW, dates, flags, footer, iu, paint, plural, row, sources, span, why};
use crate::dosing::{Deliverable, Dose, DoseRange, RangeBasis, Recommendation};
use crate::report::Document;
use crate::units::round_to;
use crate::vocab::{Action, DeviceKind, Severity};
use std::fmt::Write;

/// Whether the regimen is per day (adults on fixed daily doses).
pub(super) fn per_day(range: &DoseRange) -> bool {
    range.mg_per_day.is_some()
}

fn dose_lines(out: &mut String, dose: &Dose, range: &DoseRange) {
    if per_day(range) {
        row(
            out,
            "Dose",
            format_args!(
                "{} {}{}, {} mg/week",
                paint(BOLD, dose.mg_per_injection),
                paint(BOLD, "mg/day"),
                iu(dose.iu_per_injection),
                dose.mg_per_week
            ),
        );
        return;
    }
    let intensity = dose
        .mg_per_kg_per_week
        .map(|i| format!(" = {i} mg/kg/week"))
        .unwrap_or_default();
    row(
        out,
        "Dose",
        format_args!(
            "{}{intensity}",
            paint(BOLD, format!("{} mg/week", dose.mg_per_week))
        ),
    );
    // A split dose is shown as it is injected: "2 x 16.5 mg". A calculated
    // dose the device gives otherwise says so, so that its number is not
    // taken for the one to give.
    let per = match &dose.deliverable {
        Some(d) if d.injections_per_dose > 1 => {
            format!("{} x {} mg", d.injections_per_dose, d.mg_per_injection)
        }
        Some(d) if d.mg_per_injection != dose.mg_per_injection => {
            format!("{} mg calculated", dose.mg_per_injection)
        }
        _ => format!("{} mg", dose.mg_per_injection),
    };
    let days = if dose.injections_per_week == 1 {
        "once a week".to_string()
    } else {
        format!("{} a week", plural(dose.injections_per_week, "injection"))
    };
    row(
        out,
        "Per injection",
        format_args!("{}{}, {days}", paint(BOLD, per), iu(dose.iu_per_injection)),
    );
}

fn range_line(range: &DoseRange) -> String {
    let mut parts = Vec::new();
    if let Some(d) = &range.mg_per_day {
        parts.push(span(d, "mg/day"));
    }
    if let Some(k) = &range.mg_per_kg_per_week {
        parts.push(span(k, "mg/kg/week"));
    }
    if let Some(w) = &range.mg_per_week {
        parts.push(span(w, "mg/week"));
    }
    if range.mg_per_day.is_none()
        && let Some(i) = &range.mg_per_injection
    {
        parts.push(format!("{} per injection", span(i, "mg")));
    }
    parts.join("; ")
}

/// A `start` or `titrate` document as a compact table.
pub(crate) fn render_document(doc: &Document) -> String {
    let mut out = String::new();
    heading(&mut out, doc);
    decision(&mut out, doc);
    ranges(&mut out, doc);
    flags(&mut out, &doc.flags);
    why(&mut out, &doc.rationale);
    sources(&mut out, &doc.sources);
    footer(&mut out, &doc.head);
    out
}

/// The title, the patient and the product.
fn heading(out: &mut String, doc: &Document) {
    let _ = writeln!(
        out,
        "{} ({}) - {} - as of {}",
        paint(BOLD, &doc.indication.name),
        doc.indication.id,
        doc.head.header.command,
        doc.head.as_of
    );
    row(out, "Patient", format_args!("{}", patient_line(doc)));
    if let Some(p) = &doc.product {
        let labelled = if p.labelled { "labelled" } else { "OFF-LABEL" };
        row(
            out,
            "Product",
            format_args!(
                "{} ({}, {}, {} label: {labelled})",
                p.name, p.molecule, p.schedule, p.region
            ),
        );
    }
}

/// A titration's change as it is prescribed (": 7.2 -> 6.125 mg/week
/// (-14.9 %)"; adults on daily doses in mg/day), empty without one.
pub(super) fn change_text(rec: &Recommendation) -> String {
    rec.change
        .as_ref()
        .map(|c| {
            let sign = if c.percent > 0.0 { "+" } else { "" };
            match (per_day(&rec.range), &rec.dose) {
                // Adults on daily doses: the change as it is prescribed, in mg/day.
                (true, Some(d)) => format!(
                    ": {} -> {} mg/day ({sign}{} %)",
                    rec.current_dose
                        .as_ref()
                        .map_or(d.mg_per_injection, |x| x.mg_per_injection),
                    d.mg_per_injection,
                    c.percent
                ),
                _ => format!(
                    ": {} -> {} mg/week ({sign}{} %)",
                    c.from_mg_per_week, c.to_mg_per_week, c.percent
                ),
            }
        })
        .unwrap_or_default()
}

/// The decision: the action (titrate), the dose or why there is none, and
/// what the device delivers.
fn decision(out: &mut String, doc: &Document) {
    let rec = &doc.recommendation;
    if doc.head.header.command == "titrate" {
        action_row(out, rec);
    }
    match (&rec.dose, rec.action) {
        (Some(dose), _) => dose_lines(out, dose, &rec.range),
        (None, Action::Withhold) => withheld_row(out, doc),
        (None, Action::Stop) => row(out, "Dose", format_args!("{}", paint(RED, "STOP: no dose"))),
        (None, _) => continue_row(out, rec),
    }
    if let Some(d) = rec.dose.as_ref().and_then(|d| d.deliverable.as_ref()) {
        deliverable_row(out, d);
    }
}

/// The action in capitals, coloured by what it asks of the reader, with
/// its change.
fn action_row(out: &mut String, rec: &Recommendation) {
    let change = change_text(rec);
    let style = match rec.action {
        Action::Stop | Action::Withhold => RED,
        Action::Recheck => YELLOW,
        _ => BOLD,
    };
    row(
        out,
        "Action",
        format_args!(
            "{}{change}",
            paint(style, rec.action.as_str().to_uppercase())
        ),
    );
}

/// No dose while a blocking flag stands: the flags that block it.
fn withheld_row(out: &mut String, doc: &Document) {
    let blocks: Vec<&str> = doc
        .flags
        .iter()
        .filter(|f| f.severity == Severity::Block)
        .map(|f| f.code.as_str())
        .collect();
    row(
        out,
        "Dose",
        format_args!(
            "{} ({})",
            paint(RED, "WITHHELD: no dose"),
            blocks.join(", ")
        ),
    );
}

/// No new dose: the current dose continues, until the repeat IGF-1.
fn continue_row(out: &mut String, rec: &Recommendation) {
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
    let when = rec
        .next_review
        .as_ref()
        .map(|r| {
            let on = if r.earliest == r.latest { "on " } else { "" };
            format!("; repeat IGF-1 {on}{}", dates(r.earliest, r.latest))
        })
        .unwrap_or_default();
    row(
        out,
        "Dose",
        format_args!("{}{when}", paint(BOLD, format!("continue {keep}"))),
    );
}

/// What the device delivers: per injection, volume, steps, per week.
fn deliverable_row(out: &mut String, d: &Deliverable) {
    let split = if d.injections_per_dose > 1 {
        format!("{} x ", d.injections_per_dose)
    } else {
        String::new()
    };
    // A single-dose presentation (a cartridge, a MiniQuick) is given whole;
    // a presentation whose dose step no source states gives a target to
    // dial, not a step the device is known to give.
    let (label, step) = match (d.increment_mg, d.kind) {
        (Some(i), _) => ("Deliverable", format!(", {i} mg steps")),
        (None, DeviceKind::SingleDose) => (
            "To give",
            if d.injections_per_dose > 1 {
                " (each given whole)".to_string()
            } else {
                " (given whole)".to_string()
            },
        ),
        (None, _) => (
            "To dial",
            " (its dose step is not stated: dial the nearest step it shows)".to_string(),
        ),
    };
    let volume = d
        .volume_ml
        .map(|v| format!(" ({v} mL)"))
        .unwrap_or_default();
    let eff = d
        .mg_per_kg_per_week
        .map(|e| format!(" = {e} mg/kg/week"))
        .unwrap_or_default();
    row(
        out,
        label,
        format_args!(
            "{}{volume} on {}{step}; {} mg/week{eff}",
            paint(BOLD, format!("{split}{} mg", d.mg_per_injection)),
            d.device_name,
            d.mg_per_week
        ),
    );
}

/// The range, the label's range, the supply and the next review.
fn ranges(out: &mut String, doc: &Document) {
    let rec = &doc.recommendation;
    if rec.action.stops() {
        // Nothing a hurried reader could copy as a dose.
        return;
    }
    let (label, note) = match rec.range.basis {
        RangeBasis::Limits => ("Limits", " (lowest dose to the hard cap)"),
        RangeBasis::WeightBand => ("Range", " (the label's weight-band dose)"),
        RangeBasis::Recommended => ("Range", ""),
    };
    row(out, label, format_args!("{}{note}", range_line(&rec.range)));
    if let Some(l) = &rec.label_range {
        let mut parts = Vec::new();
        if let Some(k) = &l.mg_per_kg_per_week {
            parts.push(span(k, "mg/kg/week"));
        }
        if let Some(d) = &l.mg_per_day {
            parts.push(span(d, "mg/day"));
        }
        if parts.is_empty()
            && let Some(w) = &l.mg_per_week
        {
            parts.push(span(w, "mg/week"));
        }
        row(
            out,
            "Label range",
            format_args!("{} ({} label)", parts.join("; "), l.region),
        );
    }
    if let Some(s) = &rec.supply {
        row(
            out,
            "Supply",
            format_args!(
                "{} x {} for {} days ({} injections, {} doses each)",
                s.devices, s.device, s.days, s.injections, s.doses_per_device
            ),
        );
    }
    if let Some(r) = &rec.next_review {
        row(
            out,
            "Next review",
            format_args!("{}: {}", dates(r.earliest, r.latest), r.what.join(", ")),
        );
    }
}

fn patient_line(doc: &Document) -> String {
    let p = &doc.patient;
    let mut parts = Vec::new();
    if let Some(w) = p.weight_kg {
        parts.push(match &p.weight_input {
            Some(orig) => format!("{w} kg (from {orig})"),
            None => format!("{w} kg"),
        });
    }
    if let Some(h) = p.height_cm {
        parts.push(match &p.height_input {
            Some(orig) => format!("{h} cm (from {orig})"),
            None => format!("{h} cm"),
        });
    }
    if let Some(a) = p.age_years {
        parts.push(format!("{a} years"));
    }
    if let Some(s) = p.sex {
        parts.push(s.to_string());
    }
    if let Some(s) = p.height_sds {
        parts.push(format!("height SDS {}", round_to(s, 2)));
    }
    if let Some(s) = p.igf1_sds {
        parts.push(format!("IGF-1 SDS {}", round_to(s, 2)));
    }
    if let Some(hv) = p.height_velocity_cm_per_year {
        parts.push(format!("height velocity {hv} cm/year"));
    }
    if let Some(b) = p.bmi {
        parts.push(format!("BMI {b}"));
    }
    for (on, what) in [
        (p.pubertal, "pubertal"),
        (p.oral_estrogen, "oral estrogen"),
        (p.diabetes, "diabetes"),
        (p.obesity, "obesity"),
    ] {
        if on {
            parts.push(what.to_string());
        }
    }
    parts.extend(p.conditions.iter().map(|c| c.to_string()));
    parts.extend(p.symptoms.iter().map(|s| format!("symptom {s}")));
    if parts.is_empty() {
        "-".to_string()
    } else {
        parts.join(", ")
    }
}
