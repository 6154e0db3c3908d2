//! The product side of a request: product and presentation lookup, the
//! label for the indication and region, injections per week, label ages.

use crate::dosing::error::{Error, Field, Result, msg};
use crate::dosing::patient::{Patient, check};
use crate::dosing::request::Subject;
use crate::dosing::trail::Notes;
use crate::rules::products::{AdultWeekly, Device, Label, LabelDosing, Product};
use crate::rules::{Indication, RuleSet};
use crate::units::years;
use crate::vocab::{Population, Schedule};

/// The product side of a request, checked.
#[derive(Debug)]
pub(crate) struct OnProduct<'a> {
    pub(crate) product: &'a Product,
    /// The presentation forced with `--device`.
    pub(crate) device: Option<&'a Device>,
    /// The label for the indication in the region, if any.
    pub(crate) label: Option<&'a Label>,
}

impl OnProduct<'_> {
    /// Whether the product is a weekly analogue.
    pub(crate) fn weekly(&self) -> bool {
        self.product.schedule == Schedule::Weekly
    }

    /// Cites the product and shows its note, if any.
    pub(crate) fn note(&self, notes: &mut Notes) {
        notes.cite(&self.product.cited.sources);
        if let Some(note) = &self.product.note {
            notes.why(format!("{}: {note}", self.product.name));
        }
        // A label read from an older revision than the current one says so.
        if let Some(r) = self
            .label
            .and_then(|l| self.product.revision(l.region))
            .filter(|r| r.read != r.current)
        {
            notes.why(format!(
                "{} {} label: rows read from: {}; current revision: {}{}",
                self.product.name,
                r.region,
                r.read,
                r.current,
                r.note
                    .as_ref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default()
            ));
        }
    }
}

/// The indications' generic ranges are the US labels': an EU child's dose
/// comes from a product's SmPC, never from them.
fn eu_needs_a_product(subject: &Subject, ind: &Indication) -> Result<()> {
    if subject.product.region != crate::vocab::Region::Eu || ind.population != Population::Pediatric
    {
        return Ok(());
    }
    Err(Error::new(
        Field::Region,
        msg![
            Field::Region,
            " eu needs ",
            Field::Product,
            format!(
                " for {}: the EU doses are the products' SmPC doses (the indication's own range is the US labels'); give the product, or the US region",
                ind.id
            )
        ],
    ))
}

/// The product, presentation and label of a request, or `None` without a
/// product (then a device or a supply count is refused).
pub(crate) fn on_product<'a>(
    subject: &Subject,
    supply: Option<u32>,
    ind: &Indication,
    rules: &'a RuleSet,
) -> Result<Option<OnProduct<'a>>> {
    let choice = &subject.product;
    if let Some(days) = supply {
        check(
            Field::SupplyDays,
            f64::from(days),
            rules.limits.supply_days,
            "days",
        )?;
    }
    let Some(id) = &choice.product else {
        for (field, given) in [
            (Field::Device, choice.device.is_some()),
            (Field::SupplyDays, supply.is_some()),
        ] {
            if given {
                return Err(Error::new(
                    field,
                    msg![
                        field,
                        " needs ",
                        Field::Product,
                        " (a device belongs to a product)"
                    ],
                ));
            }
        }
        eu_needs_a_product(subject, ind)?;
        return Ok(None);
    };
    let product = rules.product(id.trim()).ok_or_else(|| {
        Error::unknown(
            Field::Product,
            id,
            "product",
            rules.all_products().iter().map(|p| p.id.as_str()),
        )
    })?;
    let device = match &choice.device {
        None => None,
        Some(d) => Some(product.device(d.trim()).ok_or_else(|| {
            Error::says(
                Field::Device,
                format!(
                    "'{}' is not a presentation of {} (valid: {})",
                    crate::dosing::error::shorten(d),
                    product.id,
                    product
                        .devices
                        .iter()
                        .map(|x| x.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?),
    };
    Ok(Some(OnProduct {
        product,
        device,
        label: product.label(&ind.id, choice.region),
    }))
}

/// Injections per week: the request's, if allowed, else the default (or the
/// largest allowed number).
pub(crate) fn injections(
    subject: &Subject,
    allowed: &[u8],
    default: u8,
    whose: &str,
) -> Result<u8> {
    match subject.injections_per_week {
        None if allowed.contains(&default) => Ok(default),
        None => allowed
            .iter()
            .max()
            .copied()
            .ok_or_else(|| Error::says(Field::InjectionsPerWeek, "has no allowed schedule")),
        Some(n) if allowed.contains(&n) => Ok(n),
        Some(n) => Err(Error::says(
            Field::InjectionsPerWeek,
            format!(
                "must be one of {} for {whose} (got {n})",
                allowed
                    .iter()
                    .map(u8::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        )),
    }
}

/// Injections per week of daily somatropin, on a product or not.
pub(crate) fn daily_injections(
    subject: &Subject,
    on: Option<&OnProduct>,
    ind: &Indication,
    rules: &RuleSet,
) -> Result<u8> {
    let conv = &rules.conventions;
    match on {
        Some(o) => injections(
            subject,
            &o.product.injections_per_week,
            conv.default_injections_per_week,
            &o.product.id,
        ),
        None => injections(
            subject,
            &conv.allowed_injections_per_week,
            conv.default_injections_per_week,
            &ind.id,
        ),
    }
}

/// Why an age falls outside a label's ages, if it does.
pub(crate) fn outside_ages(label: &Label, p: &Patient) -> Option<String> {
    let age = p.age_exact?;
    if let Some(m) = label.min_age_years.filter(|m| age < *m) {
        return Some(format!("labelled from {}", years(m)));
    }
    if let Some(m) = label.max_age_years.filter(|m| age > *m) {
        return Some(format!("labelled up to {}", years(m)));
    }
    None
}

/// The adult weekly label of a product, or why there is none.
pub(crate) fn adult_weekly_label<'a>(
    ind: &Indication,
    on: &OnProduct<'a>,
) -> Result<(&'a Label, &'a AdultWeekly)> {
    let product = on.product;
    if let Some(refusal) = &product.adult_refusal {
        return Err(Error::says(
            Field::Product,
            format!("{} for {}: {refusal}", product.id, ind.id),
        ));
    }
    match on.label.map(|l| (l, &l.dosing)) {
        Some((label, LabelDosing::AdultWeekly(aw))) => Ok((label, aw)),
        _ => Err(Error::says(
            Field::Product,
            format!(
                "{} is not labelled for {} in this region, and a weekly dose cannot be derived from the daily tables",
                product.id, ind.id
            ),
        )),
    }
}

/// OFF_LABEL for a daily product not labelled for the indication (titrate).
pub(crate) fn label_check(
    on: Option<&OnProduct>,
    ind: &Indication,
    subject: &Subject,
    notes: &mut Notes,
) -> bool {
    let Some(o) = on else {
        return true;
    };
    o.note(notes);
    if o.label.is_none() {
        notes.off_label(format!(
            "{} is not labelled for {} in the {} label",
            o.product.name, ind.id, subject.product.region
        ));
        return false;
    }
    true
}
