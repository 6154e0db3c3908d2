//! `start`: the first dose for an indication, generic or on a product.

use super::device::{Exact, Placed, Rounding, place, supply};
use super::flags::{Raised, diabetic, obese, start_flags};
use super::patient::validate;
use super::types::{
    Action, Condition, FlagCode, Grams, Micrograms, MilliIu, NgPerKg, div_round, fmt_decimal,
};
use super::{
    Deliverable, Dose, DoseRange, Flag, IndicationRef, LabelRange, NextReview, Outcome, Patient,
    ProductRef, Recommendation, SourceList, SourceRef, Span, StartRequest, Supply,
};
use crate::error::InputError;
use crate::rules::products::{
    AdultWeekly, Device, Label, LabelDosing, Molecule, Product, Schedule,
};
use crate::rules::{
    AdultGroup, Indication, Offset, OralEstrogenStart, Regimen, RuleSet, WeightBased,
};
use chrono::{Days, Months, NaiveDate};

/// Flags, rationale and sources gathered while computing.
#[derive(Default)]
pub(super) struct Notes {
    pub(super) raised: Raised,
    pub(super) rationale: Vec<String>,
    pub(super) sources: SourceList,
}

impl Notes {
    pub(super) fn why(&mut self, line: String) {
        self.rationale.push(line);
    }

    /// OFF_LABEL with the reason in the rationale.
    pub(super) fn off_label(&mut self, why: String) {
        self.raised.raise(FlagCode::OffLabel);
        self.why(why);
    }

    /// Cites the product and shows its note, if any.
    pub(super) fn product(&mut self, product: &Product) {
        self.sources.add(&product.cited.sources);
        if let Some(note) = &product.note {
            self.why(format!("{}: {note}", product.name));
        }
    }

    /// The flags (most severe first) and every source cited, flags' included.
    pub(super) fn finish(mut self, rules: &RuleSet) -> (Vec<Flag>, Vec<String>, Vec<SourceRef>) {
        let flags = self.raised.resolve(rules);
        for f in &flags {
            self.sources.add(std::iter::once(&f.source));
        }
        (flags, self.rationale, self.sources.resolve(rules))
    }
}

/// What a regimen computed, before flags decide whether it is given.
struct Computed {
    dose: Dose,
    range: DoseRange,
    group: Option<String>,
    label_range: Option<LabelRange>,
    labelled: bool,
    /// Exact per-injection target and range, for device rounding.
    target: Option<Target>,
}

/// A per-injection target and the range it must stay in.
#[derive(Clone, Copy)]
pub(super) struct Target {
    pub(super) dose: Exact,
    pub(super) lo: Option<Exact>,
    pub(super) hi: Exact,
    pub(super) injections_per_week: u8,
}

/// The product side of a request, checked.
pub(super) struct OnProduct<'a> {
    pub(super) product: &'a Product,
    pub(super) device: Option<&'a Device>,
    pub(super) label: Option<&'a Label>,
}

/// Computes a starting dose. Errors are bad inputs (exit code 2).
pub fn start(req: &StartRequest, rules: &RuleSet) -> Result<Outcome, InputError> {
    let ind = rules.indication(&req.indication).ok_or_else(|| {
        unknown(
            "--indication",
            &req.indication,
            "indication",
            rules.indications.iter().map(|i| i.id.as_str()),
        )
    })?;
    let patient = validate(&req.patient, req.as_of, rules)?;
    let on = on_product(req, ind, rules)?;
    let mut notes = Notes::default();

    let weekly = on
        .as_ref()
        .filter(|o| o.product.schedule == Schedule::Weekly);
    let mut computed = match (&ind.regimen, weekly) {
        (Regimen::WeightBased(wb), None) => {
            weight_based(req, ind, wb, &patient, on.as_ref(), rules, &mut notes)?
        }
        (Regimen::WeightBased(_), Some(on)) => {
            weekly_pediatric(req, ind, &patient, on, &mut notes)?
        }
        (Regimen::FixedDaily(groups), None) => {
            fixed_daily(req, ind, groups, &patient, on.as_ref(), rules, &mut notes)?
        }
        (Regimen::FixedDaily(_), Some(on)) => weekly_adult(ind, &patient, on, &mut notes)?,
    };
    if let (Some(on), Some(target)) = (&on, computed.target) {
        computed.dose.deliverable = deliverable(on, target, patient.weight, &mut notes)?;
    }
    let supply = supply_for(req, on.as_ref(), &computed.dose)?;
    start_flags(&patient, ind, rules, &mut notes.raised);
    unusual_notes(&patient, rules, &mut notes);
    if on.is_none() {
        notes.raised.raise(FlagCode::NoDeviceRounding);
    }
    if on
        .as_ref()
        .is_some_and(|o| o.product.molecule != Molecule::Somatropin)
    {
        notes.why("weekly analogue: dosed in this product's own mg, never converted mg-for-mg from daily somatropin".into());
    }

    let blocks = notes.raised.blocks(rules);
    let (action, dose, next_review) = if blocks.is_empty() {
        let review = next_review(rules, &ind.review, req.as_of, &mut notes.sources);
        (Action::Start, Some(computed.dose), review)
    } else {
        let codes: Vec<&str> = blocks.iter().map(|c| c.as_str()).collect();
        notes.why(format!("dose withheld: {}", codes.join(", ")));
        (Action::Withhold, None, None)
    };
    let product = on
        .as_ref()
        .map(|o| ProductRef::of(o.product, req.region, computed.labelled));
    let (flags, rationale, sources) = notes.finish(rules);
    Ok(Outcome {
        patient,
        indication: IndicationRef {
            id: ind.id.clone(),
            name: ind.name.clone(),
            population: ind.population,
            group: computed.group,
        },
        product,
        recommendation: Recommendation {
            action,
            dose,
            range: computed.range,
            change: None,
            next_review,
            label_range: computed.label_range,
            supply: if action == Action::Start {
                supply
            } else {
                None
            },
        },
        flags,
        rationale,
        sources,
    })
}

/// One rationale line per unusual input, with the plausibility source.
pub(super) fn unusual_notes(p: &Patient, rules: &RuleSet, notes: &mut Notes) {
    if !p.unusual.is_empty() {
        notes.sources.add(&rules.plausibility.cited.sources);
    }
    for line in &p.unusual {
        notes.why(format!("unusual input: {line}"));
    }
}

/// `error: FLAG 'x' is not a known WHAT (valid: ...); did you mean 'y'?`
pub(super) fn unknown<'a>(
    flag: &str,
    got: &str,
    what: &str,
    valid: impl Iterator<Item = &'a str>,
) -> InputError {
    let ids: Vec<&str> = valid.collect();
    let lower = got.to_lowercase();
    let hint = ids
        .iter()
        .map(|c| (edit_distance(&lower, c), *c))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, c)| format!("; did you mean '{c}'?"))
        .unwrap_or_default();
    InputError::new(format!(
        "error: {flag} '{got}' is not a known {what} (valid: {}){hint}",
        ids.join(", ")
    ))
}

/// Levenshtein distance, for suggestions.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

pub(super) fn on_product<'a>(
    req: &StartRequest,
    ind: &Indication,
    rules: &'a RuleSet,
) -> Result<Option<OnProduct<'a>>, InputError> {
    let Some(id) = &req.product else {
        for (flag, given) in [
            ("--device", req.device.is_some()),
            ("--supply-days", req.supply_days.is_some()),
        ] {
            if given {
                return Err(InputError::new(format!(
                    "error: {flag} needs --product (a device belongs to a product)"
                )));
            }
        }
        return Ok(None);
    };
    let all = rules
        .products
        .as_ref()
        .map(|p| p.products.as_slice())
        .unwrap_or_default();
    let product = rules.product(id).ok_or_else(|| {
        unknown(
            "--product",
            id,
            "product",
            all.iter().map(|p| p.id.as_str()),
        )
    })?;
    let device = match &req.device {
        None => None,
        Some(d) => Some(product.device(d).ok_or_else(|| {
            InputError::new(format!(
                "error: --device '{d}' is not a presentation of {} (valid: {})",
                product.id,
                product
                    .devices
                    .iter()
                    .map(|x| x.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?),
    };
    Ok(Some(OnProduct {
        product,
        device,
        label: product.label(&ind.id, req.region),
    }))
}

pub(super) fn injections(
    req: &StartRequest,
    allowed: &[u8],
    default: u8,
    whose: &str,
) -> Result<u8, InputError> {
    match req.injections_per_week {
        None if allowed.contains(&default) => Ok(default),
        None => allowed
            .iter()
            .max()
            .copied()
            .ok_or_else(|| InputError::new("error: no injection schedule")),
        Some(n) if allowed.contains(&n) => Ok(n),
        Some(n) => Err(InputError::new(format!(
            "error: --injections-per-week must be one of {} for {whose} (got {n})",
            allowed
                .iter()
                .map(u8::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ))),
    }
}

pub(super) fn span_text<T: std::fmt::Display + PartialEq>(
    min: Option<T>,
    max: T,
    unit: &str,
) -> String {
    match min {
        Some(m) if m == max => format!("{max} {unit}"),
        Some(m) => format!("{m}-{max} {unit}"),
        None => format!("up to {max} {unit}"),
    }
}

/// IU per injection for somatropin: per injection (exact) x IU/mg.
pub(super) fn iu(target: Exact, rules: &RuleSet) -> MilliIu {
    MilliIu(div_round(
        target.num * i128::from(rules.conventions.milli_iu_per_mg),
        target.den * 1000,
    ) as i64)
}

/// Whether an age falls outside a label's ages.
pub(super) fn outside_ages(label: &Label, p: &Patient) -> Option<String> {
    let age = p.age_exact?;
    if label.min_age_years.is_some_and(|m| age < m) {
        return Some(format!(
            "labelled from {} years",
            label.min_age_years.unwrap_or_default()
        ));
    }
    if label.max_age_years.is_some_and(|m| age > m) {
        return Some(format!(
            "labelled up to {} years",
            label.max_age_years.unwrap_or_default()
        ));
    }
    None
}

pub(super) fn weight_of(p: &Patient, ind: &Indication) -> Result<Grams, InputError> {
    p.weight.ok_or_else(|| {
        InputError::new(format!(
            "error: --weight-kg (or --weight-lb) is required for {} (a weight-based indication)",
            ind.id
        ))
    })
}

fn weight_based(
    req: &StartRequest,
    ind: &Indication,
    wb: &WeightBased,
    p: &Patient,
    on: Option<&OnProduct>,
    rules: &RuleSet,
    notes: &mut Notes,
) -> Result<Computed, InputError> {
    let weight = weight_of(p, ind)?;
    notes.sources.add(&ind.cited.sources);
    let conv = &rules.conventions;
    let n = match on {
        Some(o) => injections(
            req,
            &o.product.injections_per_week,
            conv.default_injections_per_week,
            &o.product.id,
        )?,
        None => injections(
            req,
            &conv.allowed_injections_per_week,
            conv.default_injections_per_week,
            &ind.id,
        )?,
    };
    notes.why(format!(
        "{}: recommended {} (grade {}); suggested start {} mg/kg/week",
        ind.id,
        span_text(wb.min, wb.max, "mg/kg/week"),
        ind.cited.grade,
        wb.start
    ));

    // The recommended range: generic, intersected with the product label.
    let (mut min, mut max) = (wb.min, wb.max);
    let mut labelled = true;
    let mut label_range = None;
    if let Some(o) = on {
        match o.label.map(|l| (l, &l.dosing)) {
            Some((
                label,
                LabelDosing::WeightBased {
                    min: lmin,
                    max: lmax,
                    ..
                },
            )) => {
                notes.sources.add(&label.cited.sources);
                label_range = Some(LabelRange {
                    region: label.region,
                    mg_per_kg_per_week: Some(Span {
                        min: *lmin,
                        max: *lmax,
                    }),
                    mg_per_day: None,
                    mg_per_week: Some(Span {
                        min: lmin.map(|m| m.times(weight)),
                        max: lmax.times(weight),
                    }),
                });
                let imin = match (min, *lmin) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
                let imax = max.min(*lmax);
                if imin.is_some_and(|m| m > imax) {
                    // The product is labelled for the indication: its label wins over
                    // the generic table (e.g. EU Prader-Willi 0.035 mg/kg/day = 0.245/week
                    // against the generic 0.24).
                    (min, max) = (*lmin, *lmax);
                    notes.why(format!(
                        "{} label ({}, grade {}) {} does not overlap the generic range: the label's range is used",
                        o.product.name,
                        label.region,
                        label.cited.grade,
                        span_text(*lmin, *lmax, "mg/kg/week")
                    ));
                } else {
                    (min, max) = (imin, imax);
                    notes.why(format!(
                        "{} label ({}, grade {}): {}; recommended range with the label {}",
                        o.product.name,
                        label.region,
                        label.cited.grade,
                        span_text(*lmin, *lmax, "mg/kg/week"),
                        span_text(min, max, "mg/kg/week")
                    ));
                }
                if let Some(why) = outside_ages(label, p) {
                    labelled = false;
                    notes.off_label(format!("{} is {why}: off-label by age", o.product.name));
                }
            }
            _ => {
                labelled = false;
                notes.off_label(format!(
                    "{} is not labelled for {} in the {} label: dose from the generic table",
                    o.product.name, ind.id, req.region
                ));
            }
        }
        notes.product(o.product);
    }

    let intensity = match req.mg_per_kg_week {
        Some(chosen) => chosen_intensity(
            chosen,
            &ind.id,
            wb.ceiling,
            wb.ceiling_note.as_deref(),
            max,
            min,
            notes,
        )?,
        None => {
            let hit = wb.overrides.iter().find(|o| {
                o.height_sds_below
                    .is_some_and(|t| p.height_sds.is_some_and(|s| s < t))
                    || o.pubertal.is_some_and(|want| want && p.pubertal)
            });
            let base = match hit {
                Some(o) => {
                    notes.why(format!("start {} mg/kg/week: {}", o.intensity, o.reason));
                    notes.sources.add(&o.cited.sources);
                    o.intensity
                }
                None => wb.start,
            };
            let clamped = base.clamp(min.unwrap_or(base).min(max), max);
            if clamped != base {
                notes.why(format!(
                    "start {base} mg/kg/week moved into the product range: {clamped} mg/kg/week"
                ));
            }
            clamped
        }
    };

    let weekly = intensity.times(weight);
    let exact = Exact::per_injection(intensity, weight, n);
    let per_inj = exact.round();
    notes.why(format!(
        "{intensity} mg/kg/week x {weight} kg = {weekly} mg/week"
    ));
    notes.why(format!("{weekly} mg / {n} injections = {per_inj} mg"));
    let somatropin = on.is_none_or(|o| o.product.molecule == Molecule::Somatropin);
    let milli_iu = somatropin.then(|| iu(exact, rules));
    if let Some(m) = milli_iu {
        notes.sources.add(&conv.cited.sources);
        notes.why(format!(
            "{per_inj} mg x {} IU/mg = {m} IU per injection",
            fmt_decimal(conv.milli_iu_per_mg, 3)
        ));
    }
    if let Some(cap) = &wb.daily_cap
        && per_inj > cap.per_day
    {
        notes.raised.raise(FlagCode::PwsEuDailyCap);
        notes.sources.add(&cap.cited.sources);
        notes.why(format!(
            "{per_inj} mg per daily injection is above the {} cap of {} mg/day",
            cap.region, cap.per_day
        ));
    }

    let range = weight_range(min, max, weight, n);
    // Device rounding stays inside the range, widened to the dose itself when
    // a clinician chose a dose outside it.
    let lo = min
        .map(|m| m.min(intensity))
        .map(|m| Exact::per_injection(m, weight, n));
    let hi = Exact::per_injection(max.max(intensity), weight, n);
    Ok(Computed {
        dose: Dose {
            mg_per_week: weekly,
            mg_per_kg_per_week: Some(intensity),
            injections_per_week: n,
            mg_per_injection: per_inj,
            iu_per_injection: milli_iu,
            deliverable: None,
        },
        range,
        group: None,
        label_range,
        labelled,
        target: Some(Target {
            dose: exact,
            lo,
            hi,
            injections_per_week: n,
        }),
    })
}

/// A weight-based range in mg/kg/week, mg/week and mg per injection.
pub(super) fn weight_range(min: Option<NgPerKg>, max: NgPerKg, weight: Grams, n: u8) -> DoseRange {
    DoseRange {
        mg_per_kg_per_week: Some(Span { min, max }),
        mg_per_week: Some(Span {
            min: min.map(|m| m.times(weight)),
            max: max.times(weight),
        }),
        mg_per_injection: Some(Span {
            min: min.map(|m| Exact::per_injection(m, weight, n).round()),
            max: Exact::per_injection(max, weight, n).round(),
        }),
        mg_per_day: None,
    }
}

/// The adult weekly label of a product, or why there is none.
pub(super) fn adult_weekly_label<'a>(
    ind: &Indication,
    on: &OnProduct<'a>,
) -> Result<(&'a Label, &'a AdultWeekly), InputError> {
    let product = on.product;
    if let Some(refusal) = &product.adult_refusal {
        return Err(InputError::new(format!(
            "error: --product {} for {}: {refusal}",
            product.id, ind.id
        )));
    }
    match on.label.map(|l| (l, &l.dosing)) {
        Some((label, LabelDosing::AdultWeekly(aw))) => Ok((label, aw)),
        _ => Err(InputError::new(format!(
            "error: --product {} is not labelled for {} in this region, and a weekly dose cannot be derived from the daily tables",
            product.id, ind.id
        ))),
    }
}

/// A clinician-chosen intensity: refused above the ceiling, flagged outside the range.
fn chosen_intensity(
    chosen: f64,
    id: &str,
    ceiling: NgPerKg,
    ceiling_note: Option<&str>,
    max: NgPerKg,
    min: Option<NgPerKg>,
    notes: &mut Notes,
) -> Result<NgPerKg, InputError> {
    if !chosen.is_finite() || chosen <= 0.0 {
        return Err(InputError::new(format!(
            "error: --mg-per-kg-week must be a positive number up to {ceiling} for {id} (got {chosen})"
        )));
    }
    let intensity = NgPerKg((chosen * 1_000_000.0).round() as i64);
    if intensity > ceiling {
        let note = ceiling_note.map(|n| format!("; {n}")).unwrap_or_default();
        return Err(InputError::new(format!(
            "error: --mg-per-kg-week must be at most {ceiling} for {id}, the highest labelled dose (got {chosen}){note}"
        )));
    }
    notes.why(format!(
        "chosen intensity {intensity} mg/kg/week (--mg-per-kg-week)"
    ));
    if intensity > max {
        notes.raised.raise(FlagCode::DoseAboveRange);
        let note = ceiling_note.map(|n| format!(" ({n})")).unwrap_or_default();
        notes.why(format!(
            "{intensity} mg/kg/week is above the recommended maximum {max} mg/kg/week{note}"
        ));
    } else if let Some(m) = min.filter(|m| intensity < *m) {
        notes.why(format!(
            "{intensity} mg/kg/week is below the recommended minimum {m} mg/kg/week"
        ));
    }
    Ok(intensity)
}

/// Weekly analogues in children: the label's own dose, or its weight-band table.
fn weekly_pediatric(
    req: &StartRequest,
    ind: &Indication,
    p: &Patient,
    on: &OnProduct,
    notes: &mut Notes,
) -> Result<Computed, InputError> {
    let product = on.product;
    let weight = weight_of(p, ind)?;
    injections(req, &product.injections_per_week, 1, &product.id)?;
    let Some((label, LabelDosing::WeightBased { min, max, bands })) =
        on.label.map(|l| (l, &l.dosing))
    else {
        return Err(InputError::new(format!(
            "error: --product {} is not labelled for {} in the {} label, and a weekly dose cannot be derived from the daily somatropin tables",
            product.id, ind.id, req.region
        )));
    };
    notes.product(product);
    notes.sources.add(&label.cited.sources);
    let mut labelled = true;
    if let Some(why) = outside_ages(label, p) {
        labelled = false;
        notes.off_label(format!("{} is {why}: off-label by age", product.name));
    }
    notes.why(format!(
        "{} label ({}, grade {}): {} {}",
        product.name,
        label.region,
        label.cited.grade,
        span_text(*min, *max, "mg/kg/week"),
        product.molecule
    ));
    let intensity = match req.mg_per_kg_week {
        Some(chosen) => chosen_intensity(chosen, &product.id, *max, None, *max, *min, notes)?,
        None => min.unwrap_or(*max),
    };
    let weekly = intensity.times(weight);
    let exact = Exact::per_injection(intensity, weight, 1);
    notes.why(format!(
        "{intensity} mg/kg/week x {weight} kg = {weekly} mg/week, one injection a week"
    ));
    // One injection a week: per injection = per week.
    let range = weight_range(*min, *max, weight, 1);
    let label_range = Some(LabelRange {
        region: label.region,
        mg_per_kg_per_week: Some(Span {
            min: *min,
            max: *max,
        }),
        mg_per_day: None,
        mg_per_week: range.mg_per_week,
    });
    let mut dose = Dose {
        mg_per_week: weekly,
        mg_per_kg_per_week: Some(intensity),
        injections_per_week: 1,
        mg_per_injection: exact.round(),
        iu_per_injection: None,
        deliverable: None,
    };
    let mut target = Some(Target {
        dose: exact,
        lo: min.map(|m| Exact::per_injection(m, weight, 1)),
        hi: Exact::per_injection(*max, weight, 1),
        injections_per_week: 1,
    });
    if let Some(table) = bands {
        notes.sources.add(&table.cited.sources);
        let Some(band) = table.band(weight) else {
            let (first, last) = (table.bands.first(), table.bands.last());
            return Err(InputError::new(format!(
                "error: --weight-kg {weight} is outside the {} weight-band table ({}-{} kg); no cartridge dose is labelled for this weight",
                product.name,
                first.map(|b| b.from.to_string()).unwrap_or_default(),
                last.map(|b| b.to.to_string()).unwrap_or_default()
            )));
        };
        if req.device.is_some() {
            return Err(InputError::new(format!(
                "error: --device does not apply to {}: the weight-band table sets the cartridge",
                product.id
            )));
        }
        let per_cartridge = Micrograms(band.per_week.0 / i64::from(band.cartridges));
        let device = product.devices.iter().find(|d| d.strength == per_cartridge);
        notes.why(format!(
            "weight band {}-{} kg: {} mg/week = {} x {per_cartridge} mg cartridge (label table)",
            band.from, band.to, band.per_week, band.cartridges
        ));
        match device {
            Some(d) => {
                notes.sources.add(&d.cited.sources);
                dose.deliverable = Some(Deliverable {
                    mg_per_injection: per_cartridge,
                    mg_per_week: band.per_week,
                    mg_per_kg_per_week: Some(effective(band.per_week, weight)),
                    device: d.id.clone(),
                    device_name: d.name.clone(),
                    increment_mg: None,
                    injections_per_dose: band.cartridges,
                    volume_ml: d.volume_for(per_cartridge),
                    difference_mg_per_week: (band.per_week.0 - weekly.0) as f64 / 1000.0,
                });
                notes.why(format!(
                    "{} mg/week / {weight} kg = {} mg/kg/week delivered",
                    band.per_week,
                    effective(band.per_week, weight)
                ));
            }
            None => notes.raised.raise(FlagCode::DeviceCannotDeliver),
        }
        target = None;
    }
    Ok(Computed {
        dose,
        range,
        group: None,
        label_range,
        labelled,
        target,
    })
}

/// Effective mg/kg/week of a weekly amount.
pub(super) fn effective(weekly: Micrograms, weight: Grams) -> NgPerKg {
    NgPerKg(div_round(i128::from(weekly.0) * 1_000_000, i128::from(weight.0)) as i64)
}

pub(super) fn adult_group<'a>(
    ind: &Indication,
    groups: &'a [AdultGroup],
    p: &Patient,
    age: f64,
    rules: &RuleSet,
) -> Result<(&'a AdultGroup, Vec<String>), InputError> {
    let diabetic = diabetic(p);
    let obese = obese(p, ind.population, rules);
    let group = groups
        .iter()
        .find(|g| match g.when_any {
            None => true,
            Some(w) => {
                w.age_years_at_least.is_some_and(|a| age >= a)
                    || (w.diabetes && diabetic)
                    || (w.obesity && obese)
            }
        })
        .ok_or_else(|| {
            InputError::new(format!(
                "error: no dosing group of {} matches the patient",
                ind.id
            ))
        })?;
    let mut why = Vec::new();
    if let Some(w) = group.when_any {
        if w.age_years_at_least.is_some_and(|a| age >= a) {
            why.push(format!(
                "age {} years",
                fmt_decimal((age * 100.0).round() as i64, 2)
            ));
        }
        if w.diabetes && diabetic {
            why.push("diabetes or glucose intolerance".to_string());
        }
        if w.obesity && obese {
            why.push(match p.bmi {
                Some(b) if !p.obesity => format!("obesity (BMI {b})"),
                _ => "obesity".to_string(),
            });
        }
    }
    Ok((group, why))
}

pub(super) fn age_of(p: &Patient, ind: &Indication) -> Result<f64, InputError> {
    p.age_exact.ok_or_else(|| {
        InputError::new(format!(
            "error: --age-years or --birth-date is required for {} (the starting dose depends on age)",
            ind.id
        ))
    })
}

fn fixed_daily(
    req: &StartRequest,
    ind: &Indication,
    groups: &[AdultGroup],
    p: &Patient,
    on: Option<&OnProduct>,
    rules: &RuleSet,
    notes: &mut Notes,
) -> Result<Computed, InputError> {
    if req.mg_per_kg_week.is_some() {
        return Err(InputError::new(format!(
            "error: --mg-per-kg-week applies only to weight-based indications; {} is dosed in mg/day",
            ind.id
        )));
    }
    let age = age_of(p, ind)?;
    notes.sources.add(&ind.cited.sources);
    let n = injections(req, &[7], 7, &ind.id)?;
    let (group, why) = adult_group(ind, groups, p, age, rules)?;
    notes.sources.add(&group.cited.sources);
    let because = if why.is_empty() {
        String::new()
    } else {
        format!(" because of {}", why.join(", "))
    };
    notes.why(format!(
        "{} group '{}'{because}: range {}-{} mg/day (grade {}), suggested start {} mg/day",
        ind.id,
        group.id,
        group.min_per_day,
        group.max_per_day,
        group.cited.grade,
        group.start_per_day
    ));

    let (mut min, mut max) = (group.min_per_day, group.max_per_day);
    let mut labelled = true;
    let mut label_range = None;
    if let Some(o) = on {
        notes.product(o.product);
        match o.label.map(|l| (l, &l.dosing)) {
            Some((
                label,
                LabelDosing::Daily {
                    min: lmin,
                    max: lmax,
                },
            )) => {
                notes.sources.add(&label.cited.sources);
                label_range = Some(LabelRange {
                    region: label.region,
                    mg_per_kg_per_week: None,
                    mg_per_day: Some(Span {
                        min: Some(*lmin),
                        max: *lmax,
                    }),
                    mg_per_week: Some(Span {
                        min: Some(Micrograms(lmin.0 * 7)),
                        max: Micrograms(lmax.0 * 7),
                    }),
                });
                let (imin, imax) = (min.max(*lmin), max.min(*lmax));
                if imin > imax {
                    // Labelled for the indication: the label's range wins.
                    (min, max) = (*lmin, *lmax);
                    notes.why(format!(
                        "{} label ({}, grade {}) {lmin}-{lmax} mg/day does not overlap the group range: the label's range is used",
                        o.product.name, label.region, label.cited.grade
                    ));
                } else {
                    (min, max) = (imin, imax);
                    notes.why(format!(
                        "{} label ({}, grade {}): start {lmin}-{lmax} mg/day; recommended range with the label {min}-{max} mg/day",
                        o.product.name, label.region, label.cited.grade
                    ));
                }
            }
            _ => {
                labelled = false;
                notes.off_label(format!(
                    "{} is not labelled for {} in the {} label: group range used",
                    o.product.name, ind.id, req.region
                ));
            }
        }
    }

    let mut per_day = group.start_per_day.clamp(min, max);
    if per_day != group.start_per_day {
        notes.why(format!(
            "start {} mg/day moved into the product range: {per_day} mg/day",
            group.start_per_day
        ));
    }
    if p.oral_estrogen {
        notes.raised.raise(FlagCode::OralEstrogen);
        notes.sources.add(&rules.oral_estrogen.cited.sources);
        if rules.oral_estrogen.start == OralEstrogenStart::GroupMax {
            per_day = max;
            notes.why(format!(
                "oral estrogen: start at the range maximum {per_day} mg/day"
            ));
        }
    }
    let (cap, cap_why) = super::adult_cap(p.weight, age, &rules.titration.adult_daily);
    if p.weight.is_some() {
        notes.why(cap_why);
    }
    if per_day > cap {
        notes.raised.raise(FlagCode::DoseCapped);
        notes
            .sources
            .add(&rules.titration.adult_daily.cited.sources);
        notes.why(format!(
            "{per_day} mg/day is above the hard cap; limited to {cap} mg/day"
        ));
        per_day = cap;
        max = max.min(cap);
        min = min.min(cap);
    }
    let weekly = Micrograms(per_day.0 * i64::from(n));
    let exact = Exact::ug(per_day);
    let milli_iu = iu(exact, rules);
    notes.sources.add(&rules.conventions.cited.sources);
    notes.why(format!("{per_day} mg/day x {n} days = {weekly} mg/week"));
    notes.why(format!(
        "{per_day} mg x {} IU/mg = {milli_iu} IU per injection",
        fmt_decimal(rules.conventions.milli_iu_per_mg, 3)
    ));
    let week = |m: Micrograms| Micrograms(m.0 * i64::from(n));
    let range = DoseRange {
        mg_per_kg_per_week: None,
        mg_per_week: Some(Span {
            min: Some(week(min)),
            max: week(max),
        }),
        mg_per_injection: Some(Span {
            min: Some(min),
            max,
        }),
        mg_per_day: Some(Span {
            min: Some(min),
            max,
        }),
    };
    Ok(Computed {
        dose: Dose {
            mg_per_week: weekly,
            mg_per_kg_per_week: None,
            injections_per_week: n,
            mg_per_injection: per_day,
            iu_per_injection: Some(milli_iu),
            deliverable: None,
        },
        range,
        group: Some(group.id.clone()),
        label_range,
        labelled,
        target: Some(Target {
            dose: exact,
            lo: Some(Exact::ug(min)),
            hi: Exact::ug(max),
            injections_per_week: n,
        }),
    })
}

/// Weekly analogues in adults: the label's start table.
fn weekly_adult(
    ind: &Indication,
    p: &Patient,
    on: &OnProduct,
    notes: &mut Notes,
) -> Result<Computed, InputError> {
    let product = on.product;
    let (label, aw) = adult_weekly_label(ind, on)?;
    let age = age_of(p, ind)?;
    notes.sources.add(&product.cited.sources);
    notes.sources.add(&label.cited.sources);
    notes.sources.add(&aw.cited.sources);
    let (start, max, why) = adult_weekly_start(aw, p, age, notes);
    notes.why(format!(
        "{} adult start ({}, grade {}): {start} mg/week ({why}); maximum {max} mg/week",
        product.name, label.region, label.cited.grade
    ));
    if p.oral_estrogen {
        notes.raised.raise(FlagCode::OralEstrogen);
    }
    let exact = Exact::ug(start);
    let range = DoseRange {
        mg_per_kg_per_week: None,
        mg_per_week: Some(Span { min: None, max }),
        mg_per_injection: Some(Span { min: None, max }),
        mg_per_day: None,
    };
    Ok(Computed {
        dose: Dose {
            mg_per_week: start,
            mg_per_kg_per_week: None,
            injections_per_week: 1,
            mg_per_injection: start,
            iu_per_injection: None,
            deliverable: None,
        },
        label_range: Some(LabelRange {
            region: label.region,
            mg_per_kg_per_week: None,
            mg_per_day: None,
            mg_per_week: range.mg_per_week,
        }),
        range,
        group: Some(format!("{}-adult", product.id)),
        labelled: true,
        target: Some(Target {
            dose: exact,
            lo: None,
            hi: Exact::ug(max),
            injections_per_week: 1,
        }),
    })
}

/// The adult weekly start and maximum, and why. Hepatic impairment first,
/// then the switching table (where the label has one), oral estrogen, age.
fn adult_weekly_start(
    aw: &AdultWeekly,
    p: &Patient,
    age: f64,
    notes: &mut Notes,
) -> (Micrograms, Micrograms, String) {
    if p.has(Condition::HepaticImpairmentSevere) {
        notes.raised.raise(FlagCode::SevereHepaticImpairment);
    }
    if p.has(Condition::HepaticImpairmentModerate) {
        return (
            aw.hepatic_moderate_start,
            aw.hepatic_moderate_max,
            "moderate hepatic impairment".into(),
        );
    }
    let older = age > aw.older_than_years;
    if p.switching_from_daily {
        let switch = if p.oral_estrogen {
            aw.switch_oral_estrogen_start
                .map(|s| (s, "switching from daily GH, oral estrogen"))
        } else if older {
            aw.switch_older_start
                .map(|s| (s, "switching from daily GH, older than the label's age"))
        } else {
            aw.switch_start.map(|s| (s, "switching from daily GH"))
        };
        match switch {
            Some((s, why)) => return (s, aw.max, why.into()),
            None => notes.why("switching from daily GH: this label starts switching patients like treatment-naive ones".into()),
        }
    }
    if p.oral_estrogen {
        (aw.oral_estrogen_start, aw.max, "oral estrogen".into())
    } else if older {
        (
            aw.older_start,
            aw.max,
            format!("older than {} years", aw.older_than_years),
        )
    } else {
        (aw.start, aw.max, "standard".into())
    }
}

/// Rounds the target onto the product's presentations.
pub(super) fn deliverable(
    on: &OnProduct,
    t: Target,
    weight: Option<Grams>,
    notes: &mut Notes,
) -> Result<Option<Deliverable>, InputError> {
    let Some(placed) = place(on.product, on.device, t.dose, t.lo, t.hi) else {
        if let Some(d) = on.device {
            return Err(InputError::new(format!(
                "error: --device {} cannot deliver {} mg inside the recommended range (it gives {}-{} mg per injection{})",
                d.id,
                t.dose.round(),
                d.min_dose.unwrap_or(d.increment.unwrap_or(Micrograms(1))),
                d.max_one_injection(),
                d.increment
                    .map(|i| format!(" in {i} mg steps"))
                    .unwrap_or_default()
            )));
        }
        notes.raised.raise(FlagCode::DeviceCannotDeliver);
        notes.why(format!(
            "no presentation of {} delivers {} mg per injection",
            on.product.name,
            t.dose.round()
        ));
        return Ok(None);
    };
    let Placed {
        device,
        per_injection,
        injections_per_dose,
        rounding,
    } = placed;
    notes.sources.add(&device.cited.sources);
    let weekly = Micrograms(
        per_injection.0 * i64::from(injections_per_dose) * i64::from(t.injections_per_week),
    );
    let exact_week = Exact {
        num: t.dose.num * i128::from(t.injections_per_week),
        den: t.dose.den,
    };
    let difference = (i128::from(weekly.0) * exact_week.den - exact_week.num) as f64
        / exact_week.den as f64
        / 1000.0;
    let step = device
        .increment
        .map(|i| format!("{i} mg steps"))
        .unwrap_or_else(|| "increment not stated".into());
    let how = match rounding {
        Rounding::Nearest => "nearest step",
        Rounding::IntoRange => "moved to the nearest step inside the range",
        Rounding::BelowRange => "no step inside the range: nearest step below its maximum",
        Rounding::Unrounded => "not rounded",
    };
    let split = if injections_per_dose > 1 {
        format!(" as {injections_per_dose} equal injections")
    } else {
        String::new()
    };
    notes.why(format!(
        "{} ({step}): {} mg target{split} -> {per_injection} mg per injection ({how})",
        device.name,
        t.dose.split(injections_per_dose).round()
    ));
    match rounding {
        Rounding::BelowRange => notes.raised.raise(FlagCode::RoundedOutsideRange),
        Rounding::Unrounded => notes.raised.raise(FlagCode::NoDeviceRounding),
        Rounding::Nearest | Rounding::IntoRange => {}
    }
    let eff = weight.map(|w| effective(weekly, w));
    if let (Some(e), Some(w)) = (eff, weight) {
        notes.why(format!(
            "{weekly} mg/week delivered / {w} kg = {e} mg/kg/week"
        ));
    }
    Ok(Some(Deliverable {
        mg_per_injection: per_injection,
        mg_per_week: weekly,
        mg_per_kg_per_week: eff,
        device: device.id.clone(),
        device_name: device.name.clone(),
        increment_mg: device.increment,
        injections_per_dose,
        volume_ml: device
            .volume_for(per_injection)
            .map(|v| (v * 1000.0).round() / 1000.0),
        difference_mg_per_week: (difference * 1000.0).round() / 1000.0,
    }))
}

fn supply_for(
    req: &StartRequest,
    on: Option<&OnProduct>,
    dose: &Dose,
) -> Result<Option<Supply>, InputError> {
    let Some(days) = req.supply_days else {
        return Ok(None);
    };
    if !(1..=366).contains(&days) {
        return Err(InputError::new(format!(
            "error: --supply-days must be between 1 and 366 (got {days})"
        )));
    }
    let (Some(on), Some(d)) = (on, &dose.deliverable) else {
        return Ok(None);
    };
    let Some(device) = on.product.device(&d.device) else {
        return Ok(None);
    };
    let count = supply(
        device,
        d.mg_per_injection,
        dose.injections_per_week,
        d.injections_per_dose,
        days,
    );
    Ok(Some(Supply {
        days,
        injections: count.injections,
        device: device.id.clone(),
        doses_per_device: count.doses_per_device,
        devices: count.devices,
    }))
}

/// The review window after a start, from the as-of date.
pub(super) fn next_review(
    rules: &RuleSet,
    id: &str,
    as_of: NaiveDate,
    sources: &mut SourceList,
) -> Option<NextReview> {
    let r = rules.review(id)?;
    sources.add(&r.cited.sources);
    Some(NextReview {
        earliest: add(as_of, r.earliest)?,
        latest: add(as_of, r.latest)?,
        what: r.what.clone(),
    })
}

/// A date plus an offset; month ends clamp (Jan 31 + 1 month = Feb 28).
pub fn add(date: NaiveDate, offset: Offset) -> Option<NaiveDate> {
    match offset {
        Offset::Days(d) => date.checked_add_days(Days::new(u64::from(d))),
        Offset::Weeks(w) => date.checked_add_days(Days::new(u64::from(w) * 7)),
        Offset::Months(m) => date.checked_add_months(Months::new(m)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dosing::types::{Condition, Severity};
    use crate::dosing::{AgeInput, Measured, PatientInput};

    fn rules() -> RuleSet {
        RuleSet::built_in().unwrap()
    }

    fn req(ind: &str, weight: Option<f64>) -> StartRequest {
        StartRequest::new(
            ind,
            "2026-11-22".parse().unwrap(),
            PatientInput {
                weight_kg: weight.map(|w| Measured {
                    value: w,
                    flag: "--weight-kg",
                    original: None,
                }),
                ..Default::default()
            },
        )
    }

    fn adult(age: f64) -> StartRequest {
        let mut r = req("adult-ghd", None);
        r.patient.age = Some(AgeInput::Years(age));
        r
    }

    fn codes(o: &Outcome) -> Vec<&'static str> {
        o.flags.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn turner_24_kg_matches_the_contract_example() {
        let o = start(&req("turner", Some(24.0)), &rules()).unwrap();
        let d = o.recommendation.dose.clone().unwrap();
        assert_eq!(o.recommendation.action, Action::Start);
        assert_eq!(d.mg_per_week, Micrograms(7920));
        assert_eq!(d.mg_per_kg_per_week, Some(NgPerKg(330_000)));
        assert_eq!(d.injections_per_week, 7);
        assert_eq!(d.mg_per_injection, Micrograms(1131));
        assert_eq!(d.iu_per_injection, Some(MilliIu(3394)));
        let r = &o.recommendation.range;
        assert_eq!(
            r.mg_per_week,
            Some(Span {
                min: Some(Micrograms(7920)),
                max: Micrograms(10_800)
            })
        );
        assert_eq!(
            r.mg_per_injection,
            Some(Span {
                min: Some(Micrograms(1131)),
                max: Micrograms(1543)
            })
        );
        assert_eq!(r.mg_per_day, None);
        let review = o.recommendation.next_review.clone().unwrap();
        assert_eq!(review.earliest.to_string(), "2027-02-22");
        assert_eq!(review.latest.to_string(), "2027-05-22");
        assert!(codes(&o).contains(&"GLUCOSE_MONITORING"));
        assert!(codes(&o).contains(&"FUNDOSCOPY"));
        assert_eq!(
            o.rationale[1..3],
            [
                "0.33 mg/kg/week x 24 kg = 7.92 mg/week",
                "7.92 mg / 7 injections = 1.131 mg"
            ]
        );
    }

    #[test]
    fn adult_start_depends_on_age() {
        let o = start(&adult(45.0), &rules()).unwrap();
        let d = o.recommendation.dose.clone().unwrap();
        assert_eq!(d.mg_per_injection, Micrograms(200));
        assert_eq!(d.mg_per_week, Micrograms(1400));
        assert_eq!(d.mg_per_kg_per_week, None);
        assert_eq!(
            o.recommendation.range.mg_per_day,
            Some(Span {
                min: Some(Micrograms(100)),
                max: Micrograms(300)
            })
        );
        assert_eq!(o.indication.group.as_deref(), Some("standard"));
        let o = start(&adult(67.0), &rules()).unwrap();
        assert_eq!(
            o.recommendation.dose.unwrap().mg_per_injection,
            Micrograms(100)
        );
        assert_eq!(
            o.recommendation.range.mg_per_day,
            Some(Span {
                min: Some(Micrograms(100)),
                max: Micrograms(200)
            })
        );
        assert_eq!(o.indication.group.as_deref(), Some("older-or-metabolic"));
    }

    #[test]
    fn adult_age_boundary_is_inclusive_at_60() {
        assert_eq!(
            start(&adult(59.99), &rules())
                .unwrap()
                .indication
                .group
                .as_deref(),
            Some("standard")
        );
        assert_eq!(
            start(&adult(60.0), &rules())
                .unwrap()
                .indication
                .group
                .as_deref(),
            Some("older-or-metabolic")
        );
    }

    #[test]
    fn oral_estrogen_starts_at_the_group_maximum() {
        let mut r = adult(45.0);
        r.patient.oral_estrogen = true;
        let o = start(&r, &rules()).unwrap();
        assert_eq!(
            o.recommendation.dose.clone().unwrap().mg_per_injection,
            Micrograms(300)
        );
        assert!(codes(&o).contains(&"ORAL_ESTROGEN"));
    }

    #[test]
    fn obesity_by_bmi_selects_the_lower_group() {
        let mut r = adult(40.0);
        r.patient.bmi = Some(30.0);
        let o = start(&r, &rules()).unwrap();
        assert_eq!(o.indication.group.as_deref(), Some("older-or-metabolic"));
        assert!(codes(&o).contains(&"GLUCOSE_MONITORING"));
        r.patient.bmi = Some(29.9);
        let o = start(&r, &rules()).unwrap();
        assert_eq!(o.indication.group.as_deref(), Some("standard"));
        assert!(!codes(&o).contains(&"GLUCOSE_MONITORING"));
    }

    #[test]
    fn adult_start_is_capped_by_weight() {
        // 45 y, 10 kg: 0.0125 mg/kg/day x 10 kg = 0.125 mg/day < 0.2
        let mut r = adult(45.0);
        r.patient.weight_kg = Some(Measured {
            value: 10.0,
            flag: "--weight-kg",
            original: None,
        });
        let o = start(&r, &rules()).unwrap();
        assert_eq!(
            o.recommendation.dose.clone().unwrap().mg_per_injection,
            Micrograms(125)
        );
        assert!(codes(&o).contains(&"DOSE_CAPPED"));
    }

    #[test]
    fn pws_with_sleep_apnea_is_withheld() {
        let mut r = req("pws", Some(30.0));
        r.patient.conditions = vec![Condition::PwsSleepApnea];
        let o = start(&r, &rules()).unwrap();
        assert_eq!(o.recommendation.action, Action::Withhold);
        assert!(o.recommendation.dose.is_none());
        assert!(o.withheld());
        assert_eq!(o.flags[0].code, FlagCode::PwsContraindication);
        assert_eq!(o.flags[0].severity, Severity::Block);
        assert!(o.recommendation.next_review.is_none());
    }

    #[test]
    fn pws_eu_cap_is_a_flag_not_a_clamp() {
        // 0.24 x 112.5 kg = 27 mg/week; /7 = 3.857 mg > 2.7
        let o = start(&req("pws", Some(112.5)), &rules()).unwrap();
        assert!(codes(&o).contains(&"PWS_EU_DAILY_CAP"));
        assert_eq!(
            o.recommendation.dose.unwrap().mg_per_week,
            Micrograms(27_000)
        );
        // 0.24 x 78 kg / 7 = 2.674 mg <= 2.7
        let o = start(&req("pws", Some(78.0)), &rules()).unwrap();
        assert!(!codes(&o).contains(&"PWS_EU_DAILY_CAP"));
    }

    #[test]
    fn sga_starts_high_when_very_short_or_pubertal() {
        let r = rules();
        let base = start(&req("sga", Some(20.0)), &r).unwrap();
        assert_eq!(
            base.recommendation.dose.unwrap().mg_per_kg_per_week,
            Some(NgPerKg(230_000))
        );
        let mut q = req("sga", Some(20.0));
        q.patient.height_sds = Some(-3.1);
        assert_eq!(
            start(&q, &r)
                .unwrap()
                .recommendation
                .dose
                .unwrap()
                .mg_per_kg_per_week,
            Some(NgPerKg(470_000))
        );
        q.patient.height_sds = Some(-3.0);
        assert_eq!(
            start(&q, &r)
                .unwrap()
                .recommendation
                .dose
                .unwrap()
                .mg_per_kg_per_week,
            Some(NgPerKg(230_000))
        );
        q.patient.pubertal = true;
        assert_eq!(
            start(&q, &r)
                .unwrap()
                .recommendation
                .dose
                .unwrap()
                .mg_per_kg_per_week,
            Some(NgPerKg(470_000))
        );
    }

    #[test]
    fn chosen_intensity_above_range_is_flagged_and_above_ceiling_refused() {
        let mut q = req("ghd", Some(30.0));
        q.mg_per_kg_week = Some(0.3);
        let o = start(&q, &rules()).unwrap();
        assert!(codes(&o).contains(&"DOSE_ABOVE_RANGE"));
        assert_eq!(o.recommendation.dose.unwrap().mg_per_week, Micrograms(9000));
        q.mg_per_kg_week = Some(0.71);
        let e = start(&q, &rules()).unwrap_err();
        assert!(
            e.message
                .contains("--mg-per-kg-week must be at most 0.7 for ghd"),
            "{}",
            e.message
        );
    }

    #[test]
    fn bad_requests_are_refused() {
        let r = rules();
        let e = start(&req("tuner", Some(24.0)), &r).unwrap_err();
        assert!(
            e.message.contains("did you mean 'turner'?"),
            "{}",
            e.message
        );
        assert!(
            e.message.contains("valid: ghd, turner, pws"),
            "{}",
            e.message
        );
        let e = start(&req("turner", None), &r).unwrap_err();
        assert!(
            e.message
                .contains("--weight-kg (or --weight-lb) is required for turner")
        );
        let e = start(&req("adult-ghd", None), &r).unwrap_err();
        assert!(
            e.message
                .contains("--age-years or --birth-date is required for adult-ghd")
        );
        let mut q = req("turner", Some(24.0));
        q.injections_per_week = Some(3);
        let e = start(&q, &r).unwrap_err();
        assert_eq!(
            e.message,
            "error: --injections-per-week must be one of 6, 7 for turner (got 3)"
        );
    }

    #[test]
    fn age_indication_mismatch_warns() {
        let mut q = req("turner", Some(50.0));
        q.patient.age = Some(AgeInput::Years(18.0));
        assert!(codes(&start(&q, &rules()).unwrap()).contains(&"AGE_INDICATION_MISMATCH"));
        q.patient.age = Some(AgeInput::Years(17.99));
        assert!(!codes(&start(&q, &rules()).unwrap()).contains(&"AGE_INDICATION_MISMATCH"));
        assert!(
            codes(&start(&adult(17.0), &rules()).unwrap()).contains(&"AGE_INDICATION_MISMATCH")
        );
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("tuner", "turner"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("ghd", "ghd"), 0);
    }

    #[test]
    fn month_arithmetic_clamps_to_month_end() {
        let d: NaiveDate = "2026-08-31".parse().unwrap();
        assert_eq!(add(d, Offset::Months(6)).unwrap().to_string(), "2027-02-28");
        assert_eq!(add(d, Offset::Weeks(4)).unwrap().to_string(), "2026-09-28");
    }
}
