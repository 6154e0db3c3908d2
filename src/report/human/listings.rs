//! The listings as tables: indications, products, a checked rule file.

use super::{BOLD, DIM, paint, sources, span};
use crate::report::{IndicationsDocument, ProductsDocument, RulesCheckDocument};
use std::fmt::Write;

/// `indications` as a table.
pub(crate) fn render_indications(doc: &IndicationsDocument) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        paint(
            BOLD,
            format!(
                "{:<11} {:<10} {:<28} {:<10} {:<6} {}",
                "ID", "POPULATION", "RANGE", "START", "GRADE", "NAME"
            )
        )
    );
    for ind in &doc.indications {
        match &ind.mg_per_kg_per_week {
            Some(range) => {
                let start = ind
                    .start_mg_per_kg_per_week
                    .map(|s| s.to_string())
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "{:<11} {:<10} {:<28} {:<10} {:<6} {}",
                    ind.id,
                    ind.population,
                    span(range, "mg/kg/week"),
                    start,
                    ind.grade,
                    ind.name
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "{:<11} {:<10} {:<28} {:<10} {:<6} {}",
                    ind.id, ind.population, "by group, mg/day", "", ind.grade, ind.name
                );
                for g in &ind.groups {
                    let _ = writeln!(
                        out,
                        "{:<11} {:<10} {:<28} {:<10} {:<6} {}",
                        "",
                        "",
                        format!("  {}", span(&g.mg_per_day, "mg/day")),
                        format!("{} mg/day", g.start_mg_per_day),
                        g.grade,
                        g.name
                    );
                }
            }
        }
    }
    sources(&mut out, &doc.sources);
    let _ = writeln!(
        out,
        "\n{}",
        paint(
            DIM,
            format!("rules: {} {}", doc.rules.source, doc.rules.version)
        )
    );
    out
}

/// `products` as a table.
pub(crate) fn render_products(doc: &ProductsDocument) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        paint(
            BOLD,
            format!(
                "{:<12} {:<18} {:<7} {:<9} {}",
                "ID", "MOLECULE", "SCHEDULE", "INJ/WEEK", "INDICATIONS"
            )
        )
    );
    for p in &doc.products {
        let inj: Vec<String> = p.injections_per_week.iter().map(u8::to_string).collect();
        let _ = writeln!(
            out,
            "{:<12} {:<18} {:<8} {:<9} {}",
            p.id,
            p.molecule,
            p.schedule,
            inj.join(","),
            p.indications
                .iter()
                .map(|i| {
                    let regions: Vec<&str> = p
                        .labels
                        .iter()
                        .filter(|l| &l.indication == i)
                        .map(|l| l.region.as_str())
                        .collect();
                    if regions.contains(&"US") {
                        i.clone()
                    } else {
                        format!("{i} ({})", regions.join(", "))
                    }
                })
                .collect::<Vec<_>>()
                .join(", ")
        );
        for d in &p.devices {
            let step = match (d.increment_mg, d.kind.as_str()) {
                (Some(i), _) => format!("{i} mg steps"),
                (None, "single-dose") => "single dose".to_string(),
                (None, _) => "increment not stated".to_string(),
            };
            let limits = match (d.min_dose_mg, d.max_dose_mg) {
                (Some(lo), Some(hi)) => format!(", {lo}-{hi} mg per injection"),
                (None, Some(hi)) => format!(", up to {hi} mg per injection"),
                _ => String::new(),
            };
            let _ = writeln!(out, "    {:<22} {} ({step}{limits})", d.id, d.name);
        }
        if let Some(n) = &p.note {
            let _ = writeln!(out, "    {}", paint(DIM, n));
        }
    }
    sources(&mut out, &doc.sources);
    out
}

/// `rules check` in one line.
pub(crate) fn render_rules_check(doc: &RulesCheckDocument) -> String {
    let mut out = format!(
        "{}: ok - {} {} ({} {}, sha256 {})\n",
        doc.file,
        doc.name,
        doc.version,
        doc.ids.len(),
        doc.kind,
        doc.sha256
    );
    for row in &doc.outside_label {
        out.push_str(&format!(
            "warning: {}: outside the built-in label limits: {row}\n",
            doc.file
        ));
    }
    out
}
