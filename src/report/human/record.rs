//! `gh-dose record show` and `record check` as text: one row per visit,
//! oldest first, with the numbers a clinician scans for (age, weight,
//! height and its SDS, IGF-1 SDS, the dose given from the visit, the
//! decision).

use super::{BOLD, DIM, paint};
use crate::record::{Course, Line};
use crate::report::record::RecordCheckDocument;
use crate::units::fmt_decimal;
use std::fmt::Write;

/// The course as a table.
pub fn render_course(name: &str, course: &Course) -> String {
    let mut out = String::new();
    let Some(first) = course.lines.first() else {
        let _ = writeln!(out, "{name}: no visit yet");
        cut_note(&mut out, course);
        return out;
    };
    let p = first.visit.patient;
    let _ = writeln!(
        out,
        "{} - {}, born {} - {} visit{}",
        paint(BOLD, name),
        p.sex,
        p.birth_date,
        course.lines.len(),
        if course.lines.len() == 1 { "" } else { "s" }
    );
    let header = format!(
        "{:<4} {:<10} {:>6} {:<10} {:>7} {:>7} {:>6} {:>6} {:>9}  {}",
        "line",
        "date",
        "age",
        "indication",
        "wt kg",
        "ht cm",
        "HSDS",
        "IGF-1",
        "mg/week",
        "decision"
    );
    let _ = writeln!(out, "{}", paint(DIM, header));
    for l in &course.lines {
        row(&mut out, l);
    }
    if let Some(last) = course.last() {
        let r = &last.visit.rules;
        let _ = writeln!(
            out,
            "{}",
            paint(
                DIM,
                format!(
                    "rules of the last visit: {} {} (sha256 {})",
                    r.source,
                    r.version,
                    r.sha256.get(..12).unwrap_or(&r.sha256)
                )
            )
        );
    }
    cut_note(&mut out, course);
    out
}

fn row(out: &mut String, l: &Line) {
    let v = &l.visit;
    let age = crate::growth::decimal_age(v.patient.birth_date, v.date).unwrap_or_default();
    let num = |x: Option<f64>, d: u32| {
        x.map_or("-".to_string(), |x| {
            fmt_decimal((x * 10f64.powi(d as i32)).round() as i64, d)
        })
    };
    let sds = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{x:+.1}"));
    let m = &v.measurements;
    let dose = v
        .dose
        .as_ref()
        .map_or("-".to_string(), |d| num(Some(d.mg_per_week), 3));
    let mut decision = v.decision.action.to_string();
    if let Some(pc) = v.decision.change_percent {
        let _ = write!(decision, " {pc:+} %");
    }
    if v.decision.reduced_for_igf1 {
        decision.push_str(" (IGF-1 above the range)");
    }
    if let Some(d) = v.dose.as_ref().and_then(|d| d.device.as_deref()) {
        let _ = write!(decision, " - {d}");
    }
    let _ = writeln!(
        out,
        "{:<4} {:<10} {:>6.2} {:<10} {:>7} {:>7} {:>6} {:>6} {:>9}  {decision}",
        l.number,
        v.date,
        age,
        v.indication,
        num(m.weight_kg, 1),
        num(m.height_cm, 1),
        sds(m.height_sds),
        sds(v.igf1.as_ref().and_then(|i| i.sds)),
        dose,
    );
}

fn cut_note(out: &mut String, course: &Course) {
    if let Some(n) = course.incomplete {
        let _ = writeln!(
            out,
            "line {n} is cut short (an append that was interrupted): not shown"
        );
    }
}

/// `record check` on a valid record.
pub fn render_record_check(doc: &RecordCheckDocument) -> String {
    match (&doc.patient, doc.first, doc.last) {
        (Some(p), Some(first), Some(last)) => format!(
            "{}: ok - {} visit{} ({first} to {last}), {} born {}, record_version {}\n",
            doc.file,
            doc.visits,
            if doc.visits == 1 { "" } else { "s" },
            p.sex,
            p.birth_date,
            doc.record_version
        ),
        _ => format!("{}: ok - no visit yet\n", doc.file),
    }
}
