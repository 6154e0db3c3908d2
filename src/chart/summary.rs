//! The visit summary for the notes: one printable HTML page (A4 or
//! Letter) with the last decision, the course as a short table, both charts
//! inline, the rule set with its sha256 and the sources.
//!
//! Self-contained: no script, no stylesheet, image or font fetched; every
//! text from the record or the tables escaped; well-formed as XML too. The reasons are what the
//! record keeps of the decision (the action and the change, the IGF-1
//! against the regimen's rule, each flag's message from the rule set, the
//! values taken from the record); the full rationale is in the visit's own
//! output. The same record gives the same bytes.

use super::band;
use super::dose_text::{dose_short, dose_text, product_text};
use super::svg::{amount, escape, signed};
use super::{ChartError, Parents, growth_svg, indication_name, titration_svg, visits};
use crate::growth::decimal_age;
use crate::record::{Course, Decision, GivenDose, VisitLine};
use crate::rules::RuleSet;
use crate::vocab::Schedule;
use std::fmt::Write as _;

/// How every summary begins: how `record summary -o` knows a file it may
/// replace is a summary it wrote.
pub(crate) const MARK: &str = "<!DOCTYPE html>\n<!-- gh-dose visit summary -->\n";

/// The most recent visits the course table shows.
const COURSE_ROWS: usize = 8;

/// The page's style: fits A4 (210 x 297 mm) and Letter (216 x 279 mm)
/// with 10 mm margins; black on white.
const STYLE: &str = "@page { size: auto; margin: 10mm; }
* { box-sizing: border-box; }
body { font-family: sans-serif; font-size: 8pt; color: #000; background: #fff; margin: 0; }
h1 { font-size: 13pt; margin: 0 0 1mm 0; }
h2 { font-size: 9.5pt; margin: 2mm 0 0.8mm 0; border-bottom: 0.3mm solid #000; }
p, ul { margin: 0.5mm 0; }
ul { padding-left: 5mm; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.2mm solid #888; padding: 0.4mm 1.2mm; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; }
.decision td:first-child { width: 24%; font-weight: bold; }
.charts { display: flex; gap: 3mm; align-items: flex-start; }
.charts figure { margin: 0; flex: 1 1 0; }
.charts svg { width: 100%; height: auto; display: block; }
.small { font-size: 6.5pt; }
ul.sources { columns: 2; column-gap: 5mm; }
ul.sources li { break-inside: avoid; }
.mono { font-family: monospace; font-size: 7pt; word-break: break-all; }
@media print { body { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
";

/// The summary page of a record. `file` names the record on the page;
/// `label` is a clinic's patient reference; `parents` the parents' heights
/// for the growth chart's target height.
pub(crate) fn summary_html(
    course: &Course,
    rules: &RuleSet,
    file: &str,
    label: Option<&str>,
    parents: Option<&Parents>,
) -> Result<String, ChartError> {
    let at = visits(course)?;
    let (first, latest) = match (at.first(), at.last()) {
        (Some(f), Some(l)) => (f.visit, l.visit),
        _ => return Err(ChartError::new("the record has no visit")),
    };
    let titration = titration_svg(course, rules, label)?;
    // An adult's record has no growth chart: said in its place.
    let growth = growth_svg(course, rules, parents, label);
    let name = indication_name(rules, &latest.indication);
    let mut h = String::from(MARK);
    h.push_str("<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
    let title = match super::title_label(label).as_str() {
        "" => format!("Visit summary - {name}"),
        l => format!("{l}visit summary - {name}"),
    };
    let _ = writeln!(h, "<title>{}</title>", escape(&title));
    let _ = writeln!(h, "<style>\n{STYLE}</style>\n</head>\n<body>");
    let _ = writeln!(h, "<h1>{}</h1>", escape(&title));
    let _ = writeln!(
        h,
        "<p>{}, born {}; {} visit{} from {} to {}; record {}.</p>",
        first.patient.sex,
        first.patient.birth_date,
        at.len(),
        if at.len() == 1 { "" } else { "s" },
        first.date,
        latest.date,
        escape(file)
    );
    decision(&mut h, rules, latest);
    course_table(&mut h, rules, course);
    h.push_str("<h2>Charts</h2>\n<div class=\"charts\">\n");
    match &growth {
        Ok(svg) => figure(&mut h, svg, "growth"),
        Err(e) => {
            let _ = writeln!(
                h,
                "<figure class=\"growth\"><p>Growth chart not drawn: {}.</p></figure>",
                escape(&e.message)
            );
        }
    }
    figure(&mut h, &titration, "titration");
    h.push_str("</div>\n");
    rules_and_sources(&mut h, rules, latest);
    h.push_str("</body>\n</html>\n");
    Ok(h)
}

/// A chart inline: the SVG element without its XML declaration and mark.
fn figure(h: &mut String, svg: &str, class: &str) {
    let body = svg.find("<svg").map_or(svg, |i| &svg[i..]);
    let _ = writeln!(h, "<figure class=\"{class}\">\n{body}</figure>");
}

/// The last decision as a two-column table, then its reasons and flags.
fn decision(h: &mut String, rules: &RuleSet, v: &VisitLine) {
    decision_table(h, rules, v);
    h.push_str("<p><b>Reasons</b> (as the record keeps them; the full rationale is in the visit's output):</p>\n<ul>\n");
    for r in &reasons(rules, v) {
        let _ = writeln!(h, "<li>{}</li>", escape(r));
    }
    h.push_str("</ul>\n");
    flags(h, rules, &v.decision);
}

/// The decision's table: action, doses, product, device, IGF-1, review.
fn decision_table(h: &mut String, rules: &RuleSet, v: &VisitLine) {
    let d = &v.decision;
    let _ = writeln!(
        h,
        "<h2>Last decision ({}, {})</h2>\n<table class=\"decision\">",
        v.date, v.command
    );
    let row = |h: &mut String, k: &str, val: &str| {
        let _ = writeln!(h, "<tr><td>{}</td><td>{}</td></tr>", escape(k), escape(val));
    };
    let action = match d.change_percent {
        Some(p) if d.action.changes() => format!("{} ({} %)", d.action, signed(p, 1)),
        _ => d.action.to_string(),
    };
    row(h, "Action", &action.to_uppercase());
    match &v.dose {
        Some(dose) => {
            let (product, device) = product_text(rules, dose);
            row(h, "Dose", &dose_text(rules, v, dose));
            row(h, "Product", &product);
            row(h, "Device", &device);
            if let Some(rule) = missed_dose_rule(rules, dose) {
                row(h, "If a dose is missed", &rule);
            }
        }
        None => row(h, "Dose", "no dose is given"),
    }
    if let Some(before) = &v.dose_before {
        row(h, "Dose before", &dose_text(rules, v, before));
    }
    if let Some(i) = &v.igf1 {
        let sds = i
            .sds
            .map(|s| format!("SDS {}", signed(s, 2)))
            .unwrap_or_else(|| "SDS not known".into());
        row(h, "IGF-1", &format!("{sds} (as given: {})", i.given));
    }
    let review = d.next_review.map_or_else(
        || "none set".to_string(),
        |w| {
            if w.earliest == w.latest {
                w.earliest.to_string()
            } else {
                format!("{} to {}", w.earliest, w.latest)
            }
        },
    );
    row(h, "Next review", &review);
    h.push_str("</table>\n");
}

/// A weekly product's missed-dose rule as its label gives it (none for a
/// daily product, or a weekly one whose table states no number of days).
fn missed_dose_rule(rules: &RuleSet, dose: &GivenDose) -> Option<String> {
    let p = rules.product(dose.product.as_deref()?)?;
    let days = p
        .missed_dose_within_days
        .filter(|_| p.schedule == Schedule::Weekly)?;
    Some(format!(
        "give it as soon as possible within {days} days of the missed day, then keep the usual day; more than {days} days late, skip it and give the next dose on the usual day ({} label)",
        p.name
    ))
}

/// The reasons the record keeps of the decision: the change, the IGF-1
/// against the regimen's rule, values taken from or given over the record.
fn reasons(rules: &RuleSet, v: &VisitLine) -> Vec<String> {
    let d = &v.decision;
    let mut reasons: Vec<String> = Vec::new();
    match (&v.dose_before, &v.dose) {
        (Some(b), Some(n)) if d.action.changes() => reasons.push(format!(
            "{}: {} -> {}",
            d.action,
            dose_short(rules, v, Some(b)),
            dose_short(rules, v, Some(n))
        )),
        (_, Some(n)) if v.command == "start" => {
            reasons.push(format!("start at {}", dose_short(rules, v, Some(n))))
        }
        (_, None) => reasons.push(format!("{}: no dose is given", d.action)),
        (_, Some(n)) => reasons.push(format!(
            "{}: {} kept",
            d.action,
            dose_short(rules, v, Some(n))
        )),
    }
    let b = band::of_visit(rules, v);
    if let Some(s) = v.igf1.as_ref().and_then(|i| i.sds) {
        reasons.push(format!(
            "IGF-1 SDS {} against the regimen's rule: {}",
            signed(s, 2),
            b.label
        ));
    }
    if d.reduced_for_igf1 {
        reasons.push(format!(
            "the dose was reduced for an IGF-1 above {}",
            signed(b.ceiling_sds, 2)
        ));
    }
    if !d.from_record.is_empty() {
        reasons.push(format!(
            "taken from the record: {}",
            d.from_record.join(", ")
        ));
    }
    if !d.overridden.is_empty() {
        reasons.push(format!(
            "given on the command line over the record: {}",
            d.overridden.join(", ")
        ));
    }
    reasons
}

/// The decision's flags, each with its severity and the rule set's message.
fn flags(h: &mut String, rules: &RuleSet, d: &Decision) {
    if d.flags.is_empty() {
        h.push_str("<p><b>Flags:</b> none.</p>\n");
    } else {
        h.push_str("<p><b>Flags</b></p>\n<ul class=\"flags\">\n");
        for code in &d.flags {
            let (severity, message) = rules.flag(*code).map_or_else(
                || {
                    (
                        "unknown".to_string(),
                        "not in the rule set in use".to_string(),
                    )
                },
                |f| (f.severity.to_string(), f.message.clone()),
            );
            let _ = writeln!(
                h,
                "<li><b>{}</b> ({}): {}</li>",
                escape(code.as_str()),
                escape(&severity),
                escape(&message)
            );
        }
        h.push_str("</ul>\n");
    }
}

/// The course, the most recent visits first cut to [`COURSE_ROWS`].
fn course_table(h: &mut String, rules: &RuleSet, course: &Course) {
    h.push_str("<h2>Course</h2>\n<table class=\"course\">\n<tr><th>Line</th><th>Date</th><th class=\"n\">Age (y)</th><th class=\"n\">Weight (kg)</th><th class=\"n\">Height (cm)</th><th class=\"n\">IGF-1 SDS</th><th>Dose</th><th>Action</th></tr>\n");
    let skip = course.lines.len().saturating_sub(COURSE_ROWS);
    for l in course.lines.iter().skip(skip) {
        let v = &l.visit;
        let m = &v.measurements;
        let opt = |x: Option<f64>, d: usize| x.map_or_else(|| "-".to_string(), |x| amount(x, d));
        let age = decimal_age(v.patient.birth_date, v.date)
            .map_or_else(|_| "-".to_string(), |a| amount(a, 2));
        let igf1 = v
            .igf1
            .as_ref()
            .and_then(|i| i.sds)
            .map_or_else(|| "-".to_string(), |s| signed(s, 2));
        let product = v
            .dose
            .as_ref()
            .and_then(|d| d.product.as_deref())
            .map(|p| format!(" {p}"))
            .unwrap_or_default();
        let action = match v.decision.change_percent {
            Some(p) if v.decision.action.changes() => {
                format!("{} {} %", v.decision.action, signed(p, 1))
            }
            _ => v.decision.action.to_string(),
        };
        let _ = writeln!(
            h,
            "<tr><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}{}</td><td>{}</td></tr>",
            l.number,
            v.date,
            age,
            opt(m.weight_kg, 1),
            opt(m.height_cm, 1),
            igf1,
            escape(&dose_short(rules, v, v.dose.as_ref())),
            escape(&product),
            escape(&action)
        );
    }
    h.push_str("</table>\n");
    let mut notes: Vec<String> = Vec::new();
    if skip > 0 {
        notes.push(format!(
            "{skip} earlier visit{} not shown (gh-dose record show lists every visit).",
            if skip == 1 { "" } else { "s" }
        ));
    }
    if !course.voided.is_empty() {
        let lines: Vec<String> = course
            .voided
            .iter()
            .map(|v| v.line.number.to_string())
            .collect();
        notes.push(format!(
            "Entered in error and left out: line {}.",
            lines.join(", ")
        ));
    }
    if !notes.is_empty() {
        let _ = writeln!(h, "<p class=\"small\">{}</p>", escape(&notes.join(" ")));
    }
}

/// The rule set of the last decision (its sha256 in full) and the sources
/// of what the page states: the indication, the product's label, the
/// regimen's IGF-1 rule and each flag.
fn rules_and_sources(h: &mut String, rules: &RuleSet, v: &VisitLine) {
    let r = &v.rules;
    h.push_str("<h2>Rule set and sources</h2>\n");
    let _ = writeln!(
        h,
        "<p>Decided with rule set {} {} (gh-dose {}), sha256 <span class=\"mono\">{}</span>{}.</p>",
        escape(&r.source),
        escape(&r.version),
        escape(&v.gh_dose_version),
        escape(&r.sha256),
        r.products_sha256
            .as_deref()
            .map_or_else(String::new, |p| format!(
                "; product table sha256 <span class=\"mono\">{}</span>",
                escape(p)
            ))
    );
    if rules.origin.sha256 != r.sha256 {
        let _ = writeln!(
            h,
            "<p class=\"small\">The flag messages and sources below are read from the rule set in use now, {} {} (sha256 <span class=\"mono\">{}</span>), not the one of the decision.</p>",
            escape(&rules.origin.source),
            escape(&rules.origin.version),
            escape(&rules.origin.sha256)
        );
    }
    let mut ids: Vec<String> = Vec::new();
    let mut add = |list: &[String]| {
        for id in list {
            if !ids.contains(id) {
                ids.push(id.clone());
            }
        }
    };
    if let Some(ind) = rules.indication(&v.indication) {
        add(&ind.cited.sources);
    }
    if let Some(d) = &v.dose
        && let Some(p) = d.product.as_deref().and_then(|id| rules.product(id))
    {
        match p.label(&v.indication, d.region) {
            Some(l) => add(&l.cited.sources),
            None => add(&p.cited.sources),
        }
    }
    add(&band::of_visit(rules, v).sources);
    for code in &v.decision.flags {
        if let Some(f) = rules.flag(*code) {
            add(std::slice::from_ref(&f.source));
        }
    }
    h.push_str("<ul class=\"sources small\">\n");
    for id in &ids {
        match rules.source(id) {
            Some(s) => {
                let url = s
                    .url
                    .as_deref()
                    .map(|u| format!(" {u}"))
                    .unwrap_or_default();
                let _ = writeln!(
                    h,
                    "<li>[{}] {} (grade {}){}</li>",
                    escape(&s.id),
                    escape(&s.citation),
                    escape(&s.grade.to_string()),
                    escape(&url)
                );
            }
            None => {
                let _ = writeln!(h, "<li>[{}]</li>", escape(id));
            }
        }
    }
    h.push_str("</ul>\n");
}
