//! Product-table rows to the compiled model, one function per table: adult
//! weekly tables, weight-band tables, products with their labels and
//! presentations. Cross-checked against the rule set in use (every label
//! names a known indication; source ids do not collide).

use super::compile_weekly::{adult_weekly, band_table, strength_steps};
use super::file::{DeviceRow, LabelRow, ProductFile, ProductRow};
use super::model::{
    AdultWeekly, BandTable, Device, Label, LabelDosing, Product, ProductSet, Reduce, Revision,
};
use crate::diagnostic::{Cx, R};
use crate::rules::bands::PRODUCT_FIELDS;
use crate::rules::cite::{Cite, cited, compile_sources};
use crate::rules::compile::schema_version;
use crate::rules::convert::{intensity, is_kebab, mass, percent};
use crate::rules::file::RangeRow;
use crate::rules::model::Origin;
use crate::rules::{Indication, RuleSet};
use crate::units::NgPerKg;
use crate::vocab::{Condition, DeviceKind, FlagCode, Molecule, Population, Region, Schedule};
use chrono::NaiveDate;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;
use toml::Spanned;

/// Compiles a parsed product table against a rule set. Ids are looked up
/// in maps, so loading grows with the size of the file, not its square.
pub fn compile(cx: &Cx, file: ProductFile, rules: &RuleSet) -> R<ProductSet> {
    crate::rules::built_in::check_numbers(cx, PRODUCT_FIELDS, super::BUILT_IN_PRODUCTS)?;
    schema_version(cx, &file.schema_version)?;
    if file.kind.get_ref() != "products" {
        return Err(cx.err(&file.kind.span(), "kind must be \"products\""));
    }
    let sources = compile_sources(cx, &file.sources)?;
    sources_apart_from_rules(cx, &file, rules)?;
    let ids: BTreeSet<&str> = sources.iter().map(|s| s.id.as_str()).collect();
    let cite: &Cite = &|s: &Spanned<Vec<String>>, g: &Spanned<String>| cited(cx, s, g, &ids);
    let weekly = file
        .adult_weekly
        .iter()
        .map(|row| adult_weekly(cx, row, rules, cite))
        .collect::<R<Vec<_>>>()?;
    let bands = file
        .weight_bands
        .iter()
        .map(|row| band_table(cx, row, cite))
        .collect::<R<Vec<_>>>()?;
    let tables = tables(cx, &file, &weekly, &bands, rules)?;
    let products = products(cx, &file, &tables, cite)?;
    Ok(ProductSet {
        origin: Origin {
            source: cx.path.to_string(),
            version: file.version.clone(),
            name: file.name.clone(),
            sha256: crate::rules::built_in::sha256(cx.text),
        },
        sources,
        products,
        outside_label: Vec::new(),
    })
}

/// Refuses a product source id the rule file already uses.
fn sources_apart_from_rules(cx: &Cx, file: &ProductFile, rules: &RuleSet) -> R<()> {
    let rule_sources: HashSet<&str> = rules.sources.iter().map(|r| r.id.as_str()).collect();
    for s in &file.sources {
        if rule_sources.contains(s.id.get_ref().as_str()) {
            return Err(cx.err(
                &s.id.span(),
                format!(
                    "source id '{}' is already used by the rule file",
                    s.id.get_ref()
                ),
            ));
        }
    }
    Ok(())
}

/// Indexes the compiled shared tables and the rule set's indications by id,
/// refusing a duplicate table id.
fn tables<'a>(
    cx: &Cx,
    file: &ProductFile,
    weekly: &'a [AdultWeekly],
    bands: &'a [BandTable],
    rules: &'a RuleSet,
) -> R<Tables<'a>> {
    let mut tables = Tables {
        weekly: HashMap::with_capacity(weekly.len()),
        bands: HashMap::with_capacity(bands.len()),
        indications: rules
            .indications
            .iter()
            .map(|i| (i.id.to_ascii_lowercase(), i))
            .collect(),
    };
    for (row, table) in file.adult_weekly.iter().zip(weekly) {
        if tables.weekly.insert(table.id.as_str(), table).is_some() {
            return Err(cx.err(
                &row.id.span(),
                format!("duplicate adult_weekly id '{}'", table.id),
            ));
        }
    }
    for (row, table) in file.weight_bands.iter().zip(bands) {
        if tables.bands.insert(table.id.as_str(), table).is_some() {
            return Err(cx.err(
                &row.id.span(),
                format!("duplicate weight_bands id '{}'", table.id),
            ));
        }
    }
    Ok(tables)
}

/// Compiles every product row: ids kebab-case and unique, at least one.
fn products(cx: &Cx, file: &ProductFile, tables: &Tables, cite: &Cite) -> R<Vec<Product>> {
    let mut products: Vec<Product> = Vec::with_capacity(file.products.len());
    let mut seen: HashSet<&str> = HashSet::with_capacity(file.products.len());
    for row in &file.products {
        let id = row.id.get_ref();
        if !is_kebab(id) {
            return Err(cx.err(
                &row.id.span(),
                format!("product id '{id}' must be lower-case kebab-case"),
            ));
        }
        if !seen.insert(id) {
            return Err(cx.err(&row.id.span(), format!("duplicate product id '{id}'")));
        }
        products.push(product(cx, row, tables, cite)?);
    }
    if products.is_empty() {
        return Err(cx.err(&(0..0), "the product table defines no products"));
    }
    Ok(products)
}

/// The shared tables labels refer to, and the rule set's indications, by id
/// (indications in lower case: ids are matched in any case).
struct Tables<'a> {
    weekly: HashMap<&'a str, &'a AdultWeekly>,
    bands: HashMap<&'a str, &'a BandTable>,
    indications: HashMap<String, &'a Indication>,
}

/// Compiles one product row: its schedule, labels and devices, then the
/// product-wide settings (checked in the order the fields are read).
fn product(cx: &Cx, row: &ProductRow, tables: &Tables, cite: &Cite) -> R<Product> {
    let molecule = molecule(cx, row)?;
    let schedule = schedule(cx, row)?;
    let inj = injections_per_week(cx, row, schedule)?;
    let max_per_dose = row
        .max_injections_per_dose
        .as_ref()
        .map_or(1, |v| *v.get_ref());
    let labels = labels(cx, row, schedule, tables, cite)?;
    let devices = devices(cx, row, cite)?;
    Ok(Product {
        id: row.id.get_ref().clone(),
        name: row.name.clone(),
        maker: row.maker.clone(),
        molecule,
        schedule,
        injections_per_week: inj,
        max_injections_per_dose: max_per_dose,
        igf1_sample_days: sample_days(cx, row)?,
        switch_after_weekly_days: whole_days(
            cx,
            &row.switch_after_weekly_days,
            "switch_after_weekly_days",
        )?,
        missed_dose_within_days: whole_days(
            cx,
            &row.missed_dose_within_days,
            "missed_dose_within_days",
        )?,
        igf1_strength_steps: strength_steps(cx, row)?,
        reduce_above_sds: reduce_above_sds(cx, row)?,
        note: row.note.clone(),
        adult_refusal: row.adult_refusal.clone(),
        not_encoded: not_encoded(cx, row)?,
        revisions: revisions(cx, row)?,
        discontinued: discontinued(cx, row)?,
        blocked_conditions: blocked(cx, row)?,
        labels,
        devices,
        cited: cite(&row.sources, &row.grade)?,
    })
}

/// The product's molecule, parsed from its name.
fn molecule(cx: &Cx, row: &ProductRow) -> R<Molecule> {
    row.molecule
        .get_ref()
        .parse()
        .map_err(|e: String| cx.err(&row.molecule.span(), format!("molecule: {e}")))
}

/// The product's schedule (daily or weekly), parsed from its name.
fn schedule(cx: &Cx, row: &ProductRow) -> R<Schedule> {
    row.schedule
        .get_ref()
        .parse()
        .map_err(|e: String| cx.err(&row.schedule.span(), format!("schedule: {e}")))
}

/// The injections per week, checked against the schedule.
fn injections_per_week(cx: &Cx, row: &ProductRow, schedule: Schedule) -> R<Vec<u8>> {
    let inj = row.injections_per_week.get_ref().clone();
    let inj_ok = match schedule {
        Schedule::Daily => !inj.is_empty() && inj.iter().all(|n| (1..=7).contains(n)),
        Schedule::Weekly => inj == [1],
    };
    if !inj_ok {
        return Err(cx.err(
            &row.injections_per_week.span(),
            "injections_per_week: daily products list numbers from 1 to 7; weekly products [1]",
        ));
    }
    Ok(inj)
}

/// The product's labels, at most one per indication and region.
fn labels(
    cx: &Cx,
    row: &ProductRow,
    schedule: Schedule,
    tables: &Tables,
    cite: &Cite,
) -> R<Vec<Label>> {
    let mut labels: Vec<Label> = Vec::with_capacity(row.labels.len());
    let mut seen: HashSet<(String, Region)> = HashSet::with_capacity(row.labels.len());
    for l in &row.labels {
        let label = label(cx, l, schedule, tables, cite)?;
        if !seen.insert((label.indication.clone(), label.region)) {
            return Err(cx.err(
                &l.span(),
                format!(
                    "duplicate label for {} in {}",
                    label.indication, label.region
                ),
            ));
        }
        labels.push(label);
    }
    Ok(labels)
}

/// The product's devices: at least one, ids unique.
fn devices(cx: &Cx, row: &ProductRow, cite: &Cite) -> R<Vec<Device>> {
    let mut devices: Vec<Device> = Vec::with_capacity(row.devices.len());
    let mut seen: HashSet<&str> = HashSet::with_capacity(row.devices.len());
    for d in &row.devices {
        if !seen.insert(d.get_ref().id.get_ref()) {
            return Err(cx.err(
                &d.get_ref().id.span(),
                format!("duplicate device id '{}'", d.get_ref().id.get_ref()),
            ));
        }
        devices.push(device(cx, d, cite)?);
    }
    if devices.is_empty() {
        return Err(cx.err(
            &row.id.span(),
            format!("product '{}' needs at least one device", row.id.get_ref()),
        ));
    }
    Ok(devices)
}

/// The reduction above an IGF-1 SDS, if the product has one.
fn reduce_above_sds(cx: &Cx, row: &ProductRow) -> R<Option<Reduce>> {
    match &row.reduce_percent_above_sds {
        None => Ok(None),
        Some(r) => Ok(Some(Reduce {
            sds: r.get_ref().sds,
            percent: percent(
                cx,
                &Spanned::new(r.span(), r.get_ref().percent),
                "reduce_percent_above_sds.percent",
            )?,
        })),
    }
}

/// The label indications the table knows but does not encode, by region.
fn not_encoded(cx: &Cx, row: &ProductRow) -> R<Vec<(String, Region, String)>> {
    row.not_encoded
        .iter()
        .map(|n| {
            let region = n
                .region
                .get_ref()
                .parse::<Region>()
                .map_err(|e: String| cx.err(&n.region.span(), format!("region: {e}")))?;
            Ok((n.indication.get_ref().clone(), region, n.says.clone()))
        })
        .collect::<R<Vec<_>>>()
}

/// The label revisions read, by region.
fn revisions(cx: &Cx, row: &ProductRow) -> R<Vec<Revision>> {
    row.revisions
        .iter()
        .map(|r| {
            let region = r
                .region
                .get_ref()
                .parse::<Region>()
                .map_err(|e: String| cx.err(&r.region.span(), format!("region: {e}")))?;
            Ok(Revision {
                region,
                read: r.read.clone(),
                current: r.current.clone(),
                note: r.note.clone(),
            })
        })
        .collect::<R<Vec<_>>>()
}

fn label(
    cx: &Cx,
    l: &Spanned<LabelRow>,
    schedule: Schedule,
    tables: &Tables,
    cite: &Cite,
) -> R<Label> {
    let lr = l.get_ref();
    let wanted = lr.indication.get_ref().to_ascii_lowercase();
    let ind = *tables.indications.get(&wanted).ok_or_else(|| {
        let mut ids: Vec<&str> = tables.indications.values().map(|i| i.id.as_str()).collect();
        ids.sort_unstable();
        cx.err(
            &lr.indication.span(),
            format!(
                "unknown indication '{}' (the rule file defines: {})",
                lr.indication.get_ref(),
                ids.join(", ")
            ),
        )
    })?;
    let region: Region = lr
        .region
        .get_ref()
        .parse()
        .map_err(|e: String| cx.err(&lr.region.span(), format!("region: {e}")))?;
    let dosing = label_dosing(cx, &l.span(), lr, tables)?;
    let adult = ind.population == Population::Adult;
    let fits = matches!(
        (&dosing, adult, schedule),
        (LabelDosing::WeightBased { .. }, false, _)
            | (LabelDosing::Daily { .. }, true, Schedule::Daily)
            | (LabelDosing::AdultWeekly(_), true, Schedule::Weekly)
    );
    if !fits {
        return Err(cx.err(
            &l.span(),
            format!("label for {}: pediatric indications need mg/kg; adults need mg_per_day (daily) or adult_weekly (weekly)", ind.id),
        ));
    }
    if let (Some(lo), Some(hi)) = (lr.min_age_years, lr.max_age_years)
        && lo > hi
    {
        return Err(cx.err(&l.span(), "min_age_years exceeds max_age_years"));
    }
    Ok(Label {
        indication: ind.id.clone(),
        region,
        dosing,
        min_age_years: lr.min_age_years,
        max_age_years: lr.max_age_years,
        cited: cite(&lr.sources, &lr.grade)?,
    })
}

fn device(cx: &Cx, d: &Spanned<DeviceRow>, cite: &Cite) -> R<Device> {
    let dr = d.get_ref();
    let span = d.span();
    let kind: DeviceKind = dr
        .kind
        .parse()
        .map_err(|e: String| cx.err(&span, format!("device kind '{}': {e}", dr.kind)))?;
    let opt_mass = |v: Option<f64>, what: &str| v.map(|x| mass(cx, x, &span, what)).transpose();
    let device = Device {
        id: dr.id.get_ref().clone(),
        name: dr.name.clone(),
        kind,
        strength: mass(cx, dr.strength_mg, &span, "strength_mg")?,
        volume_ml: positive(cx, dr.volume_ml, &span, "volume_ml")?,
        dose_volume_ml: positive(cx, dr.dose_volume_ml, &span, "dose_volume_ml")?,
        increment: opt_mass(dr.increment_mg, "increment_mg")?,
        min_dose: opt_mass(dr.min_dose_mg, "min_dose_mg")?,
        max_dose: opt_mass(dr.max_dose_mg, "max_dose_mg")?,
        in_use_days: dr.in_use_days,
        benzyl_alcohol: dr.benzyl_alcohol,
        cited: cite(&dr.sources, &dr.grade)?,
    };
    if let (Some(lo), Some(hi)) = (device.min_dose, device.max_dose)
        && lo > hi
    {
        return Err(cx.err(
            &span,
            format!("device {}: min_dose_mg exceeds max_dose_mg", device.id),
        ));
    }
    if device.increment.is_some_and(|i| i > device.strength) {
        return Err(cx.err(
            &span,
            format!(
                "device {}: increment_mg exceeds strength_mg (no dose of the pen could be dialled)",
                device.id
            ),
        ));
    }
    if device.max_dose.is_some_and(|m| m > device.strength) {
        return Err(cx.err(
            &span,
            format!("device {}: max_dose_mg exceeds strength_mg", device.id),
        ));
    }
    Ok(device)
}

fn discontinued(cx: &Cx, row: &ProductRow) -> R<Option<(Region, NaiveDate)>> {
    let Some(d) = &row.discontinued else {
        return Ok(None);
    };
    let v = d.get_ref();
    let region: Region = v
        .region
        .parse()
        .map_err(|e: String| cx.err(&d.span(), format!("discontinued.region: {e}")))?;
    let date = NaiveDate::parse_from_str(&v.date, "%Y-%m-%d")
        .map_err(|_| cx.err(&d.span(), "discontinued.date must be YYYY-MM-DD"))?;
    Ok(Some((region, date)))
}

fn blocked(cx: &Cx, row: &ProductRow) -> R<Vec<(Condition, FlagCode)>> {
    let Some(rows) = &row.blocked_conditions else {
        return Ok(Vec::new());
    };
    rows.get_ref()
        .iter()
        .map(|b| {
            let condition: Condition = b
                .condition
                .parse()
                .map_err(|e: String| cx.err(&rows.span(), format!("condition: {e}")))?;
            let flag: FlagCode = b
                .flag
                .parse()
                .map_err(|_| cx.err(&rows.span(), format!("unknown flag code '{}'", b.flag)))?;
            Ok((condition, flag))
        })
        .collect()
}

fn sample_days(cx: &Cx, row: &ProductRow) -> R<Option<(u32, u32)>> {
    match &row.igf1_sample_days {
        None => Ok(None),
        Some(d) if d.get_ref().min <= d.get_ref().max => {
            Ok(Some((d.get_ref().min, d.get_ref().max)))
        }
        Some(d) => Err(cx.err(&d.span(), "igf1_sample_days: min must not exceed max")),
    }
}

fn positive(cx: &Cx, v: Option<f64>, span: &Range<usize>, what: &str) -> R<Option<f64>> {
    match v {
        Some(x) if x <= 0.0 => Err(cx.err(span, format!("{what} must be positive"))),
        other => Ok(other),
    }
}

fn label_dosing(cx: &Cx, span: &Range<usize>, l: &LabelRow, tables: &Tables) -> R<LabelDosing> {
    let given = [
        l.mg_per_kg_week.is_some(),
        l.mg_per_kg_day.is_some(),
        l.mg_per_day.is_some(),
        l.adult_weekly.is_some(),
    ]
    .iter()
    .filter(|x| **x)
    .count();
    if given != 1 {
        return Err(cx.err(
            span,
            "a label needs exactly one of mg_per_kg_week, mg_per_kg_day, mg_per_day or adult_weekly",
        ));
    }
    let per_kg = |r: &RangeRow, days: i64| -> R<LabelDosing> {
        let conv = |x: f64, what: &str| intensity(cx, x, span, what).map(|n| n.times_n(days));
        let min = r.min.map(|m| conv(m, "min")).transpose()?;
        let max: NgPerKg = conv(r.max, "max")?;
        if min.is_some_and(|m| m > max) {
            return Err(cx.err(span, format!("label range: min exceeds max ({max})")));
        }
        let bands = match &l.weight_bands {
            None => None,
            Some(id) => Some(
                tables
                    .bands
                    .get(id.as_str())
                    .map(|t| (*t).clone())
                    .ok_or_else(|| cx.err(span, format!("unknown weight_bands table '{id}'")))?,
            ),
        };
        let max_pubertal = match l.max_pubertal_mg_per_kg_week {
            None => None,
            Some(x) => {
                let p = intensity(cx, x, span, "max_pubertal_mg_per_kg_week")?;
                if p < max {
                    return Err(
                        cx.err(span, "max_pubertal_mg_per_kg_week is below the label's max")
                    );
                }
                Some(p)
            }
        };
        Ok(LabelDosing::WeightBased {
            min,
            max,
            max_pubertal,
            bands,
        })
    };
    if let Some(r) = &l.mg_per_kg_week {
        return per_kg(r, 1);
    }
    if let Some(r) = &l.mg_per_kg_day {
        return per_kg(r, 7);
    }
    if l.weight_bands.is_some() || l.max_pubertal_mg_per_kg_week.is_some() {
        return Err(cx.err(
            span,
            "weight_bands and max_pubertal_mg_per_kg_week need a mg/kg range",
        ));
    }
    if let Some(r) = &l.mg_per_day {
        let min = mass(cx, r.min, span, "mg_per_day.min")?;
        let max = mass(cx, r.max, span, "mg_per_day.max")?;
        if min > max {
            return Err(cx.err(span, format!("mg_per_day: min ({min}) exceeds max ({max})")));
        }
        return Ok(LabelDosing::Daily { min, max });
    }
    let id = l.adult_weekly.as_deref().unwrap_or_default();
    tables
        .weekly
        .get(id)
        .map(|w| LabelDosing::AdultWeekly((*w).clone()))
        .ok_or_else(|| cx.err(span, format!("unknown adult_weekly table '{id}'")))
}

/// A whole number of days (its band was checked before compiling).
fn whole_days(cx: &Cx, d: &Option<Spanned<f64>>, what: &str) -> R<Option<u32>> {
    d.as_ref()
        .map(|d| {
            let v = *d.get_ref();
            if v.fract() != 0.0 || !(0.0..=3650.0).contains(&v) {
                return Err(cx.err(&d.span(), format!("{what} must be whole days")));
            }
            Ok(v as u32)
        })
        .transpose()
}
