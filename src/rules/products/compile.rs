//! Product-table rows to the compiled model, one function per table: adult
//! weekly tables, weight-band tables, products with their labels and
//! presentations. Cross-checked against the rule set in use (every label
//! names a known indication; source ids do not collide).

use super::file::{AdultWeeklyRow, BandTableRow, DeviceRow, LabelRow, ProductFile, ProductRow};
use super::model::{
    AdultWeekly, Band, BandTable, Device, Label, LabelDosing, OlderAge, Product, ProductSet,
    Reduce, StrengthStep,
};
use crate::rules::RuleSet;
use crate::rules::compile::{
    Cite, bounds, cited, compile_sources, intensity, is_kebab, mass, percent, schema_version,
};
use crate::rules::diagnostic::{Cx, R, sha256_hex};
use crate::rules::file::RangeRow;
use crate::rules::model::{Origin, SdsStep};
use crate::units::{Grams, Micrograms, NgPerKg};
use crate::vocab::{Condition, DeviceKind, FlagCode, Molecule, Population, Region, Schedule};
use chrono::NaiveDate;
use std::collections::BTreeSet;
use std::ops::Range;
use toml::Spanned;

/// Compiles a parsed product table against a rule set.
pub fn compile(cx: &Cx, file: ProductFile, rules: &RuleSet) -> R<ProductSet> {
    schema_version(cx, &file.schema_version)?;
    if file.kind.get_ref() != "products" {
        return Err(cx.err(&file.kind.span(), "kind must be \"products\""));
    }
    let sources = compile_sources(cx, &file.sources)?;
    for s in &file.sources {
        if rules.sources.iter().any(|r| r.id == *s.id.get_ref()) {
            return Err(cx.err(
                &s.id.span(),
                format!(
                    "source id '{}' is already used by the rule file",
                    s.id.get_ref()
                ),
            ));
        }
    }
    let ids: BTreeSet<&str> = sources.iter().map(|s| s.id.as_str()).collect();
    let cite: &Cite = &|s: &Spanned<Vec<String>>, g: &Spanned<String>| cited(cx, s, g, &ids);
    let weekly = file
        .adult_weekly
        .iter()
        .map(|row| adult_weekly(cx, row, rules, cite))
        .collect::<R<Vec<_>>>()?;
    let tables = file
        .weight_bands
        .iter()
        .map(|row| band_table(cx, row, cite))
        .collect::<R<Vec<_>>>()?;
    let tables_ref = Tables {
        weekly: &weekly,
        bands: &tables,
    };
    let mut products: Vec<Product> = Vec::new();
    for row in &file.products {
        let id = row.id.get_ref();
        if !is_kebab(id) {
            return Err(cx.err(
                &row.id.span(),
                format!("product id '{id}' must be lower-case kebab-case"),
            ));
        }
        if products.iter().any(|p| &p.id == id) {
            return Err(cx.err(&row.id.span(), format!("duplicate product id '{id}'")));
        }
        products.push(product(cx, row, rules, &tables_ref, cite)?);
    }
    if products.is_empty() {
        return Err(cx.err(&(0..0), "the product table defines no products"));
    }
    Ok(ProductSet {
        origin: Origin {
            source: cx.path.to_string(),
            version: file.version.clone(),
            name: file.name.clone(),
            sha256: sha256_hex(cx.text.as_bytes()),
        },
        sources,
        products,
    })
}

/// The shared tables labels refer to.
struct Tables<'a> {
    weekly: &'a [AdultWeekly],
    bands: &'a [BandTable],
}

fn adult_weekly(cx: &Cx, row: &AdultWeeklyRow, rules: &RuleSet, cite: &Cite) -> R<AdultWeekly> {
    let m = |v: &Spanned<f64>, what: &str| mass(cx, *v.get_ref(), &v.span(), what);
    let opt = |v: &Option<Spanned<f64>>, what: &str| -> R<Option<Micrograms>> {
        v.as_ref().map(|v| m(v, what)).transpose()
    };
    if !is_kebab(&row.group) {
        return Err(cx.err(&row.id.span(), "group must be a lower-case kebab-case id"));
    }
    let older = match (row.older_than_years, row.older_from_years) {
        (Some(y), None) => OlderAge {
            years: y,
            inclusive: false,
        },
        (None, Some(y)) => OlderAge {
            years: y,
            inclusive: true,
        },
        _ => {
            return Err(cx.err(
                &row.id.span(),
                "give exactly one of older_than_years or older_from_years",
            ));
        }
    };
    if !(older.years.is_finite() && (18.0..=120.0).contains(&older.years)) {
        return Err(cx.err(
            &row.id.span(),
            format!(
                "the older age must be between 18 and 120 (got {})",
                older.years
            ),
        ));
    }
    let review = row.review_after_change.get_ref();
    if rules.review(review).is_none() {
        return Err(cx.err(
            &row.review_after_change.span(),
            format!("unknown review '{review}' (reviews live in the rule file)"),
        ));
    }
    let aw = AdultWeekly {
        id: row.id.get_ref().clone(),
        group: row.group.clone(),
        start: m(&row.start_mg_per_week, "start_mg_per_week")?,
        older,
        older_start: m(&row.older_start_mg_per_week, "older_start_mg_per_week")?,
        oral_estrogen_start: m(
            &row.oral_estrogen_start_mg_per_week,
            "oral_estrogen_start_mg_per_week",
        )?,
        switch_start: opt(&row.switch_start_mg_per_week, "switch_start_mg_per_week")?,
        switch_older_start: opt(
            &row.switch_older_start_mg_per_week,
            "switch_older_start_mg_per_week",
        )?,
        switch_oral_estrogen_start: opt(
            &row.switch_oral_estrogen_start_mg_per_week,
            "switch_oral_estrogen_start_mg_per_week",
        )?,
        hepatic_moderate_start: m(
            &row.hepatic_moderate_start_mg_per_week,
            "hepatic_moderate_start_mg_per_week",
        )?,
        hepatic_moderate_max: m(
            &row.hepatic_moderate_max_mg_per_week,
            "hepatic_moderate_max_mg_per_week",
        )?,
        max: m(&row.max_mg_per_week, "max_mg_per_week")?,
        target: bounds(cx, &row.target_sds, "target_sds")?,
        step_up: steps(cx, &row.step_up, |r| (r.sds_below, r.mg_per_week), true)?,
        step_up_max_older: m(
            &row.step_up_max_older_mg_per_week,
            "step_up_max_older_mg_per_week",
        )?,
        step_down: steps(cx, &row.step_down, |r| (r.sds_above, r.mg_per_week), false)?,
        min_weeks_between_increases: row.min_weeks_between_increases,
        review_after_change: review.clone(),
        cited: cite(&row.sources, &row.grade)?,
    };
    let starts = [
        aw.start,
        aw.older_start,
        aw.oral_estrogen_start,
        aw.hepatic_moderate_start,
    ]
    .into_iter()
    .chain(aw.switch_start)
    .chain(aw.switch_older_start)
    .chain(aw.switch_oral_estrogen_start);
    for s in starts {
        if s > aw.max {
            return Err(cx.err(
                &row.max_mg_per_week.span(),
                format!("a start ({s} mg) exceeds max_mg_per_week"),
            ));
        }
    }
    if aw.hepatic_moderate_start > aw.hepatic_moderate_max || aw.hepatic_moderate_max > aw.max {
        return Err(cx.err(
            &row.hepatic_moderate_max_mg_per_week.span(),
            "hepatic_moderate_max_mg_per_week must lie between its start and max_mg_per_week",
        ));
    }
    if !(1..=52).contains(&aw.min_weeks_between_increases) {
        return Err(cx.err(&row.id.span(), "min_weeks_between_increases must be 1-52"));
    }
    Ok(aw)
}

fn band_table(cx: &Cx, row: &BandTableRow, cite: &Cite) -> R<BandTable> {
    let bands_s = &row.bands;
    let mut bands = Vec::new();
    for b in bands_s.get_ref() {
        let per_week = mass(cx, b.mg_per_week, &bands_s.span(), "bands.mg_per_week")?;
        if !(b.from_kg.is_finite()
            && b.to_kg.is_finite()
            && b.from_kg > 0.0
            && b.from_kg <= b.to_kg
            && b.to_kg <= 500.0)
        {
            return Err(cx.err(
                &bands_s.span(),
                format!(
                    "band {}-{} kg: from_kg must be positive, not above to_kg, and to_kg at most 500",
                    b.from_kg, b.to_kg
                ),
            ));
        }
        if b.cartridges == 0 || b.cartridges > 4 {
            return Err(cx.err(&bands_s.span(), "bands.cartridges must be 1 to 4"));
        }
        if per_week.0 % i64::from(b.cartridges) != 0 {
            return Err(cx.err(
                &bands_s.span(),
                format!(
                    "{} mg cannot be split into {} equal cartridges",
                    per_week, b.cartridges
                ),
            ));
        }
        bands.push(Band {
            from: Grams::from_kg(b.from_kg),
            to: Grams::from_kg(b.to_kg),
            per_week,
            cartridges: b.cartridges,
        });
    }
    if bands.is_empty()
        || bands
            .windows(2)
            .any(|w| w[0].to >= w[1].from || w[0].per_week > w[1].per_week)
    {
        return Err(cx.err(
            &bands_s.span(),
            "bands must be non-empty, ordered, non-overlapping and non-decreasing in dose",
        ));
    }
    Ok(BandTable {
        id: row.id.get_ref().clone(),
        bands,
        cited: cite(&row.sources, &row.grade)?,
    })
}

fn product(cx: &Cx, row: &ProductRow, rules: &RuleSet, tables: &Tables, cite: &Cite) -> R<Product> {
    let molecule: Molecule = row
        .molecule
        .get_ref()
        .parse()
        .map_err(|e: String| cx.err(&row.molecule.span(), format!("molecule: {e}")))?;
    let schedule: Schedule = row
        .schedule
        .get_ref()
        .parse()
        .map_err(|e: String| cx.err(&row.schedule.span(), format!("schedule: {e}")))?;
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
    let max_per_dose = match &row.max_injections_per_dose {
        None => 1,
        Some(v) if (1..=4).contains(v.get_ref()) => *v.get_ref(),
        Some(v) => return Err(cx.err(&v.span(), "max_injections_per_dose must be 1 to 4")),
    };
    let mut labels: Vec<Label> = Vec::new();
    for l in &row.labels {
        let label = label(cx, l, schedule, rules, tables, cite)?;
        if labels
            .iter()
            .any(|x| x.indication == label.indication && x.region == label.region)
        {
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
    let mut devices: Vec<Device> = Vec::new();
    for d in &row.devices {
        if devices.iter().any(|x| x.id == *d.get_ref().id.get_ref()) {
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
    Ok(Product {
        id: row.id.get_ref().clone(),
        name: row.name.clone(),
        maker: row.maker.clone(),
        molecule,
        schedule,
        injections_per_week: inj,
        max_injections_per_dose: max_per_dose,
        igf1_sample_days: sample_days(cx, row)?,
        igf1_strength_steps: strength_steps(cx, row)?,
        reduce_above_sds: match &row.reduce_percent_above_sds {
            None => None,
            Some(r) => Some(Reduce {
                sds: sds_value(
                    cx,
                    r.get_ref().sds,
                    &r.span(),
                    "reduce_percent_above_sds.sds",
                )?,
                percent: percent(
                    cx,
                    &Spanned::new(r.span(), r.get_ref().percent),
                    "reduce_percent_above_sds.percent",
                )?,
            }),
        },
        note: row.note.clone(),
        adult_refusal: row.adult_refusal.clone(),
        discontinued: discontinued(cx, row)?,
        blocked_conditions: blocked(cx, row)?,
        labels,
        devices,
        cited: cite(&row.sources, &row.grade)?,
    })
}

fn label(
    cx: &Cx,
    l: &Spanned<LabelRow>,
    schedule: Schedule,
    rules: &RuleSet,
    tables: &Tables,
    cite: &Cite,
) -> R<Label> {
    let lr = l.get_ref();
    let ind = rules.indication(lr.indication.get_ref()).ok_or_else(|| {
        cx.err(
            &lr.indication.span(),
            format!(
                "unknown indication '{}' (the rule file defines: {})",
                lr.indication.get_ref(),
                rules
                    .indications
                    .iter()
                    .map(|i| i.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
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
    for a in [lr.min_age_years, lr.max_age_years].into_iter().flatten() {
        if !(a.is_finite() && (0.0..=120.0).contains(&a)) {
            return Err(cx.err(&l.span(), "label ages must be between 0 and 120"));
        }
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
        in_use_days: match dr.in_use_days {
            Some(d) if !(1..=366).contains(&d) => {
                return Err(cx.err(&span, "in_use_days must be 1-366"));
            }
            other => other,
        },
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
        Some(d) if d.get_ref().min <= d.get_ref().max && d.get_ref().max <= 7 => {
            Ok(Some((d.get_ref().min, d.get_ref().max)))
        }
        Some(d) => Err(cx.err(
            &d.span(),
            "igf1_sample_days: min must not exceed max, and max must be at most 7",
        )),
    }
}

fn strength_steps(cx: &Cx, row: &ProductRow) -> R<Vec<StrengthStep>> {
    let Some(v) = &row.igf1_strength_steps else {
        return Ok(Vec::new());
    };
    let list: Vec<StrengthStep> = v
        .get_ref()
        .iter()
        .map(|r| StrengthStep {
            sds_above: r.sds_above,
            steps: r.steps,
        })
        .collect();
    let finite = list
        .iter()
        .all(|s| s.sds_above.is_finite() && s.sds_above.abs() <= 20.0 && s.steps.abs() <= 20);
    if list.is_empty()
        || !finite
        || list
            .windows(2)
            .any(|w| w[0].sds_above <= w[1].sds_above || w[0].steps > w[1].steps)
    {
        return Err(cx.err(&v.span(), "igf1_strength_steps must be ordered by decreasing sds_above (finite, within +/-20) with non-decreasing steps"));
    }
    Ok(list)
}

/// An SDS threshold: finite, within +/-20.
fn sds_value(cx: &Cx, x: f64, span: &Range<usize>, what: &str) -> R<f64> {
    if x.is_finite() && x.abs() <= 20.0 {
        Ok(x)
    } else {
        Err(cx.err(
            span,
            format!("{what} must be a finite SDS within +/-20 (got {x})"),
        ))
    }
}

/// SDS-keyed weekly steps, ordered (increasing for steps up, decreasing for steps down).
fn steps<T: Copy>(
    cx: &Cx,
    rows: &Spanned<Vec<T>>,
    get: impl Fn(&T) -> (f64, f64),
    increasing: bool,
) -> R<Vec<SdsStep>> {
    let list = rows
        .get_ref()
        .iter()
        .map(|r| {
            let (sds, mg) = get(r);
            Ok(SdsStep {
                sds: sds_value(cx, sds, &rows.span(), "step sds")?,
                step: mass(cx, mg, &rows.span(), "mg_per_week")?,
            })
        })
        .collect::<R<Vec<_>>>()?;
    let ordered = list.windows(2).all(|w| {
        if increasing {
            w[0].sds < w[1].sds
        } else {
            w[0].sds > w[1].sds
        }
    });
    if list.is_empty() || !ordered {
        return Err(cx.err(&rows.span(), "steps must be non-empty and ordered by SDS"));
    }
    Ok(list)
}

fn positive(cx: &Cx, v: Option<f64>, span: &Range<usize>, what: &str) -> R<Option<f64>> {
    match v {
        Some(x) if !(x.is_finite() && x > 0.0 && x <= 1000.0) => {
            Err(cx.err(span, format!("{what} must be a positive number up to 1000")))
        }
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
                    .iter()
                    .find(|t| &t.id == id)
                    .cloned()
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
        .iter()
        .find(|w| w.id == id)
        .cloned()
        .map(LabelDosing::AdultWeekly)
        .ok_or_else(|| cx.err(span, format!("unknown adult_weekly table '{id}'")))
}
