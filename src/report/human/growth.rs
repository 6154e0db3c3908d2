//! A `growth` document as a short table: each measurement with its SDS,
//! centile and reference; velocity, change in SDS and target height.

use super::{BOLD, DIM, flags, footer, paint, row, sources, why};
use crate::units::round_to;

/// A centile as the table shows it: 1 decimal (the JSON has 4).
fn centile(x: f64) -> f64 {
    round_to(x, 1)
}
use crate::report::growth::GrowthDocument;
use std::fmt::Write;

/// An SDS as the table shows it: 2 decimals, signed (the JSON has 4).
fn sds(x: f64) -> String {
    let x = round_to(x, 2);
    if x > 0.0 {
        format!("+{x}")
    } else {
        format!("{x}")
    }
}

/// A `growth` document as a compact table.
pub(crate) fn render_growth(doc: &GrowthDocument) -> String {
    let mut out = String::new();
    let who = doc
        .indication
        .as_ref()
        .map(|i| format!("{} ({}) - ", i.name, i.id))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{}",
        paint(BOLD, format!("{who}growth - as of {}", doc.head.as_of))
    );
    let p = &doc.patient;
    let mut who = Vec::new();
    if let Some(s) = p.sex {
        who.push(s.as_str().to_string());
    }
    if let Some(a) = p.age_years {
        who.push(format!("{a} years"));
    }
    if let Some(b) = p.birth_date {
        who.push(format!("born {b}"));
    }
    row(&mut out, "Patient", format_args!("{}", who.join(", ")));
    scores(&mut out, doc);
    change_and_target(&mut out, doc);
    flags(&mut out, &doc.flags);
    why(&mut out, &doc.rationale);
    if !doc.references.is_empty() {
        let _ = writeln!(out, "\n{}", paint(BOLD, "References"));
        for r in &doc.references {
            let _ = writeln!(out, "  [{}] {}. {}", r.id, r.name, r.citation);
        }
    }
    sources(&mut out, &doc.sources);
    footer(&mut out, &doc.head);
    out
}

/// Height (with CDC alongside a Turner score), weight and BMI.
fn scores(out: &mut String, doc: &GrowthDocument) {
    let (p, g) = (&doc.patient, &doc.growth);
    if let Some(h) = &g.height {
        let input = p
            .height_input
            .as_ref()
            .map(|i| format!(" (from {i})"))
            .unwrap_or_default();
        row(
            out,
            "Height",
            format_args!(
                "{} cm{input}: SDS {}, centile {} {}",
                paint(BOLD, h.value_cm),
                paint(BOLD, sds(h.sds)),
                centile(h.centile),
                paint(DIM, format!("[{}]", h.reference))
            ),
        );
    }
    if let Some(h) = &g.height_cdc {
        row(
            out,
            "",
            format_args!(
                "SDS {}, centile {} {}",
                sds(h.sds),
                centile(h.centile),
                paint(DIM, format!("[{}]", h.reference))
            ),
        );
    }
    if let Some(w) = &g.weight {
        row(
            out,
            "Weight",
            format_args!(
                "{} kg: SDS {}, centile {} {}",
                paint(BOLD, w.value_kg),
                sds(w.sds),
                centile(w.centile),
                paint(DIM, format!("[{}]", w.reference))
            ),
        );
    }
    if let Some(b) = &g.bmi {
        let extended = if b.note.is_some() {
            " (not extended)"
        } else {
            ""
        };
        row(
            out,
            "BMI",
            format_args!(
                "{} kg/m2: SDS {}, centile {}{extended} {}",
                paint(BOLD, b.value_kg_m2),
                sds(b.sds),
                centile(b.centile),
                paint(DIM, format!("[{}]", b.reference))
            ),
        );
    }
}

/// Velocity, change in height SDS and target height.
fn change_and_target(out: &mut String, doc: &GrowthDocument) {
    let g = &doc.growth;
    if let (Some(v), Some(d)) = (&g.height_velocity, &g.delta_height_sds) {
        row(
            out,
            "Velocity",
            format_args!(
                "{} cm/year over {} years; height SDS {} ({} a year)",
                paint(BOLD, v.cm_per_year),
                v.interval_years,
                sds(d.total),
                sds(d.per_year)
            ),
        );
    }
    if let Some(t) = &g.target_height {
        row(
            out,
            "Target height",
            format_args!(
                "{} cm (SDS {}), range {}-{} cm",
                paint(BOLD, t.cm),
                sds(t.sds),
                t.range_cm.min,
                t.range_cm.max
            ),
        );
    }
}
