//! One device of a product: its kind, strength, volumes and dose limits,
//! consistent with one another.

use super::file::DeviceRow;
use super::model::Device;
use crate::diagnostic::{Cx, R};
use crate::rules::cite::Cite;
use crate::rules::convert::mass;
use crate::rules::spanned::Spanned;
use crate::vocab::DeviceKind;
use std::ops::Range;

/// Compiles one device row: increments and limits within its strength.
pub(super) fn device(cx: &Cx, d: &Spanned<DeviceRow>, cite: &Cite) -> R<Device> {
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

/// A volume, if given, must be positive.
fn positive(cx: &Cx, v: Option<f64>, span: &Range<usize>, what: &str) -> R<Option<f64>> {
    match v {
        Some(x) if x <= 0.0 => Err(cx.err(span, format!("{what} must be positive"))),
        other => Ok(other),
    }
}
