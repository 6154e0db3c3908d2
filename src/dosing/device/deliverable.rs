//! The dose on a real presentation, as the output reports it (target and
//! deliverable, effective mg/kg/week, volume, weekly difference), and the
//! supply of devices for a number of days.

use super::product::OnProduct;
use super::{Placed, Rounding, Target, Toward, place, supply, waste_per_dose};
use crate::dosing::error::{Error, Field, Result};
use crate::dosing::outcome::{Deliverable, Dose, Supply};
use crate::dosing::trail::Notes;
use crate::units::{Exact, Grams, Micrograms, NgPerKg, round_to};
use crate::vocab::FlagCode;

/// Rounds the target onto the product's presentations; `None` (with
/// DEVICE_CANNOT_DELIVER) when none can give it. A forced device that cannot
/// give it is refused.
pub(crate) fn deliverable(
    on: &OnProduct,
    t: Target,
    weight: Option<Grams>,
    notes: &mut Notes,
) -> Result<Option<Deliverable>> {
    let Some(placed) = place(on.product, on.device, &t) else {
        return cannot(on, &t, notes);
    };
    Ok(Some(describe(placed, &t, weight, notes)))
}

/// A placed dose as the output reports it, with its rationale lines.
pub(crate) fn describe(
    placed: Placed,
    t: &Target,
    weight: Option<Grams>,
    notes: &mut Notes,
) -> Deliverable {
    let Placed {
        device,
        per_injection,
        injections_per_dose,
        rounding,
        among,
    } = placed;
    if among > 1 {
        notes.why(format!(
            "{} chosen among {among} pens that give the dose: the closest to the target, discarding least ({} mg a dose within its use period); the larger pen on a tie",
            device.id,
            Micrograms(waste_per_dose(&placed, t.injections_per_week).max(0))
        ));
    }
    notes.cite(&device.cited.sources);
    let weekly = per_injection
        .times(i64::from(injections_per_dose))
        .times(i64::from(t.injections_per_week));
    let exact_week = t.dose.times(t.injections_per_week);
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
        Rounding::Direction => "the step on the side of the current dose the decision goes to",
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
        Rounding::BelowRange => notes.raise(FlagCode::RoundedOutsideRange),
        Rounding::Unrounded => notes.raise(FlagCode::NoDeviceRounding),
        Rounding::Nearest | Rounding::IntoRange | Rounding::Direction => {}
    }
    let eff = weight.map(|w| NgPerKg::of(weekly, w));
    if let (Some(e), Some(w)) = (eff, weight) {
        notes.why(format!(
            "{weekly} mg/week delivered / {w} kg = {e} mg/kg/week"
        ));
    }
    Deliverable {
        mg_per_injection: per_injection,
        mg_per_week: weekly,
        mg_per_kg_per_week: eff,
        device: device.id.clone(),
        device_name: device.name.clone(),
        increment_mg: device.increment,
        injections_per_dose,
        volume_ml: device.volume_for(per_injection).map(|v| round_to(v, 3)),
        difference_mg_per_week: round_to(difference, 3),
        kind: device.kind,
    }
}

/// No presentation gives the dose (on the side of the current dose the
/// decision needs): a forced device is refused, naming one that can;
/// otherwise DEVICE_CANNOT_DELIVER and the dose stays unrounded.
fn cannot(on: &OnProduct, t: &Target, notes: &mut Notes) -> Result<Option<Deliverable>> {
    let side = match t.toward {
        Some(Toward::Below(c)) => format!(" below the current {} mg", c.round()),
        Some(Toward::Above(c)) => format!(" above the current {} mg", c.round()),
        _ => String::new(),
    };
    if let Some(d) = on.device {
        let other = place(on.product, None, t)
            .map(|p| format!("; {} can", p.device.id))
            .unwrap_or_default();
        return Err(Error::says(
            Field::Device,
            format!(
                "{} cannot deliver {} mg{side} inside the allowed range (it gives {}-{} mg per injection{}){other}",
                d.id,
                t.dose.round(),
                d.min_dose.unwrap_or(d.increment.unwrap_or(Micrograms(1))),
                d.max_one_injection(),
                d.increment
                    .map(|i| format!(" in {i} mg steps"))
                    .unwrap_or_default()
            ),
        ));
    }
    notes.raise(FlagCode::DeviceCannotDeliver);
    notes.why(format!(
        "no presentation of {} delivers {} mg per injection{side}: the dose is shown unrounded",
        on.product.name,
        t.dose.round()
    ));
    Ok(None)
}

/// Devices for `days` of the dose, when a product and a deliverable dose
/// are known.
pub(crate) fn supply_for(
    days: Option<u32>,
    on: Option<&OnProduct>,
    dose: &Dose,
    notes: &mut Notes,
) -> Result<Option<Supply>> {
    let Some(days) = days else {
        return Ok(None);
    };
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
    if count.in_use_limited
        && let Some(u) = device.in_use_days
    {
        notes.cite(&device.cited.sources);
        notes.why(format!(
            "{}: used within {u} days of first use, so {} doses a device (not all its contents)",
            device.name, count.doses_per_device
        ));
    }
    Ok(Some(Supply {
        days,
        injections: count.injections,
        device: device.id.clone(),
        doses_per_device: count.doses_per_device,
        devices: count.devices,
    }))
}

/// An exact weekly amount as a target of one injection a week.
pub(crate) fn weekly_target(dose: Micrograms, lo: Option<Micrograms>, hi: Micrograms) -> Target {
    Target {
        dose: Exact::ug(dose),
        lo: lo.map(Exact::ug),
        hi: Exact::ug(hi),
        injections_per_week: 1,
        toward: None,
    }
}
