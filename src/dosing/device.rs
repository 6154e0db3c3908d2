//! Deliverable doses: rounding an exact per-injection target to a real
//! presentation's increment, choosing the presentation, and supply.
//!
//! Rule (clinical-rules.md section 1): the nearest increment inside the
//! recommended range; if no increment falls inside it, the nearest one below
//! the maximum, with a flag; never above the maximum. Without a stated
//! increment the dose is exact.

use crate::rules::products::{Device, Product};
use crate::units::{Exact, Micrograms};
use crate::vocab::DeviceKind;

/// A per-injection target and the range it must stay in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    pub dose: Exact,
    pub lo: Option<Exact>,
    pub hi: Exact,
    pub injections_per_week: u8,
}

/// How a deliverable dose relates to its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// The nearest increment, inside the range.
    Nearest,
    /// Moved to the nearest increment inside the range.
    IntoRange,
    /// No increment inside the range: the nearest one below its maximum.
    BelowRange,
    /// The increment is unknown: the exact dose (to the µg).
    Unrounded,
}

/// A dose on one presentation.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed<'a> {
    pub device: &'a Device,
    pub per_injection: Micrograms,
    pub injections_per_dose: u8,
    pub rounding: Rounding,
}

/// Rounds `target` (per injection) onto `device` within `[lo, hi]`; `None`
/// when the device cannot give it in one injection.
pub fn round_on(
    device: &Device,
    target: Exact,
    lo: Option<Exact>,
    hi: Exact,
) -> Option<(Micrograms, Rounding)> {
    let max_one = device.max_one_injection();
    let min_one = device.min_dose.unwrap_or(Micrograms(1));
    let Some(step) = device.increment.map(|i| i.0).filter(|s| *s > 0) else {
        // Unknown increment: exact dose, still never above the range maximum.
        let dose = target
            .round()
            .min(Micrograms(crate::units::saturate(hi.floor_steps(1))));
        return (dose >= min_one && dose <= max_one && dose.0 > 0)
            .then_some((dose, Rounding::Unrounded));
    };
    // First the dose on this device's step grid, by the range alone; then
    // whether the device can give it in one injection.
    let range_lo = lo.map_or(1, |l| l.ceil_steps(step)).max(1);
    let range_hi = hi.floor_steps(step);
    let nearest = target.nearest_steps(step);
    let (k, rounding) = if range_lo <= range_hi {
        let k = nearest.clamp(range_lo, range_hi);
        (
            k,
            if k == nearest {
                Rounding::Nearest
            } else {
                Rounding::IntoRange
            },
        )
    } else {
        (range_hi, Rounding::BelowRange)
    };
    let dose = Micrograms(crate::units::saturate(k * i128::from(step)));
    (k >= 1 && dose >= min_one && dose <= max_one).then_some((dose, rounding))
}

/// Devices in the order they are offered: pens by strength, then the rest.
fn offered(product: &Product) -> Vec<&Device> {
    let mut pens: Vec<&Device> = product
        .devices
        .iter()
        .filter(|d| d.kind == DeviceKind::Pen)
        .collect();
    pens.sort_by_key(|d| d.strength);
    let mut rest: Vec<&Device> = product
        .devices
        .iter()
        .filter(|d| d.kind != DeviceKind::Pen)
        .collect();
    rest.sort_by_key(|d| d.strength);
    pens.extend(rest);
    pens
}

/// Places a dose: the smallest pen that gives it in one injection, else the
/// other presentations, else (where the product allows it) equal split
/// injections. With `forced`, only that device.
pub fn place<'a>(
    product: &'a Product,
    forced: Option<&'a Device>,
    target: Exact,
    lo: Option<Exact>,
    hi: Exact,
) -> Option<Placed<'a>> {
    let devices: Vec<&Device> = match forced {
        Some(d) => vec![d],
        None => offered(product),
    };
    for k in 1..=product.max_injections_per_dose.max(1) {
        let (t, l, h) = (target.split(k), lo.map(|l| l.split(k)), hi.split(k));
        for device in &devices {
            if let Some((per_injection, rounding)) = round_on(device, t, l, h) {
                return Some(Placed {
                    device,
                    per_injection,
                    injections_per_dose: k,
                    rounding,
                });
            }
        }
    }
    None
}

/// Devices needed to cover `days` at a deliverable dose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SupplyCount {
    pub injections: u32,
    pub doses_per_device: u32,
    pub devices: u32,
}

/// Whole devices for `days` of treatment: doses per device are whole doses
/// (a dose is never split across two devices); priming loss is not counted.
pub fn supply(
    device: &Device,
    per_injection: Micrograms,
    injections_per_week: u8,
    injections_per_dose: u8,
    days: u32,
) -> SupplyCount {
    let per_week = u64::from(injections_per_week);
    let doses = (u64::from(days) * per_week).div_ceil(7);
    let injections = doses * u64::from(injections_per_dose);
    let per_device = match device.kind {
        DeviceKind::SingleDose => 1,
        DeviceKind::Pen | DeviceKind::Vial => {
            u64::try_from((device.strength.0 / per_injection.0.max(1)).max(1)).unwrap_or(1)
        }
    };
    let clamp = |x: u64| u32::try_from(x).unwrap_or(u32::MAX);
    SupplyCount {
        injections: clamp(injections),
        doses_per_device: clamp(per_device),
        devices: clamp(injections.div_ceil(per_device)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;
    use crate::units::{Grams, NgPerKg};

    fn rules() -> RuleSet {
        RuleSet::built_in().unwrap()
    }

    #[test]
    fn rounds_up_into_the_range_rather_than_below_it() {
        let r = rules();
        let nord = r.product("norditropin").unwrap();
        let pen = nord.device("flexpro-5").unwrap();
        // Turner 24 kg: 0.33-0.45 mg/kg/week, 7 injections.
        let target = Exact::per_injection(NgPerKg(330_000), Grams(24_000), 7);
        let lo = Exact::per_injection(NgPerKg(330_000), Grams(24_000), 7);
        let hi = Exact::per_injection(NgPerKg(450_000), Grams(24_000), 7);
        assert_eq!(
            round_on(pen, target, Some(lo), hi),
            Some((Micrograms(1150), Rounding::IntoRange))
        );
    }

    #[test]
    fn point_ranges_fall_to_the_step_below() {
        let r = rules();
        let pen = r
            .product("norditropin")
            .unwrap()
            .device("flexpro-5")
            .unwrap();
        // PWS 0.24 x 30 kg / 7 = 1.02857 mg: no step inside [x, x]; 1.025 below it.
        let x = Exact::per_injection(NgPerKg(240_000), Grams(30_000), 7);
        assert_eq!(
            round_on(pen, x, Some(x), x),
            Some((Micrograms(1025), Rounding::BelowRange))
        );
    }

    #[test]
    fn devices_refuse_doses_beyond_one_injection() {
        let r = rules();
        let ngenla = r.product("ngenla").unwrap();
        let small = ngenla.device("ngenla-24").unwrap();
        let t = Exact::ug(Micrograms(33_000));
        assert_eq!(round_on(small, t, Some(t), t), None);
        let p = place(ngenla, None, t, Some(t), t).unwrap();
        assert_eq!(p.device.id, "ngenla-60");
        assert_eq!(p.injections_per_dose, 2);
        assert_eq!(p.per_injection, Micrograms(16_500));
    }

    #[test]
    fn the_smallest_pen_that_delivers_is_chosen() {
        let r = rules();
        let ngenla = r.product("ngenla").unwrap();
        let t = Exact::ug(Micrograms(11_880));
        assert_eq!(
            place(ngenla, None, t, Some(t), t).unwrap().device.id,
            "ngenla-24"
        );
        // 12.1 mg: no 0.2 mg step inside the point range; 12.0 below it still fits the 24 mg pen.
        let t = Exact::ug(Micrograms(12_100));
        let p = place(ngenla, None, t, Some(t), t).unwrap();
        assert_eq!(
            (p.device.id.as_str(), p.per_injection),
            ("ngenla-24", Micrograms(12_000))
        );
        assert_eq!(p.rounding, Rounding::BelowRange);
        // 12.5 mg needs the 60 mg pen.
        let t = Exact::ug(Micrograms(12_500));
        let p = place(ngenla, None, t, Some(t), t).unwrap();
        assert_eq!(
            (p.device.id.as_str(), p.per_injection),
            ("ngenla-60", Micrograms(12_500))
        );
    }

    #[test]
    fn unknown_increments_leave_the_dose_exact() {
        let r = rules();
        let g = r.product("genotropin").unwrap();
        let t = Exact::per_injection(NgPerKg(160_000), Grams(30_000), 7);
        let p = place(g, None, t, Some(t), t).unwrap();
        assert_eq!(p.device.id, "genotropin-pen-5");
        assert_eq!(p.rounding, Rounding::Unrounded);
        // 685.714 µg, never above the (point) range maximum: 685 µg, not 686.
        assert_eq!(p.per_injection, Micrograms(685));
    }

    #[test]
    fn supply_counts_whole_doses_per_pen() {
        let r = rules();
        let pen = r
            .product("norditropin")
            .unwrap()
            .device("flexpro-5")
            .unwrap();
        // 1.15 mg: 4 whole doses per 5 mg pen; 28 days x 7 = 28 injections -> 7 pens.
        let s = supply(pen, Micrograms(1150), 7, 1, 28);
        assert_eq!(
            s,
            SupplyCount {
                injections: 28,
                doses_per_device: 4,
                devices: 7
            }
        );
        let cart = r
            .product("skytrofa")
            .unwrap()
            .device("skytrofa-7.6")
            .unwrap();
        // 15.2 mg as 2 x 7.6 weekly for 30 days: 5 doses, 10 cartridges.
        let s = supply(cart, Micrograms(7600), 1, 2, 30);
        assert_eq!(
            s,
            SupplyCount {
                injections: 10,
                doses_per_device: 1,
                devices: 10
            }
        );
    }
}
