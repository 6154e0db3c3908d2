//! Deliverable doses: rounding an exact per-injection target to a real
//! presentation's increment, choosing the presentation, and supply.
//!
//! Rule (clinical-rules.md section 1): the nearest increment inside the
//! recommended range; if no increment falls inside it, the nearest one below
//! the maximum, with a flag; never above the maximum. Without a stated
//! increment the dose is exact.
//!
//! The folder holds the device stage: the product, device and label chosen
//! for a request ([`product`]), the rounding here, and the deliverable dose
//! and supply built from it ([`deliverable`]).

mod deliverable;
mod product;

// What the other stages of `dosing` read.
pub(super) use deliverable::{deliverable, describe, supply_for, weekly_target};
pub(super) use product::{
    OnProduct, adult_weekly_label, daily_injections, injections, label_check, on_product,
    outside_ages,
};

use crate::rules::products::{Device, Product};
use crate::units::{Exact, Micrograms};
use crate::vocab::DeviceKind;

/// A per-injection target, the range it must stay in, and (at a visit) the
/// side of the current dose it must land on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Target {
    pub(crate) dose: Exact,
    pub(crate) lo: Option<Exact>,
    pub(crate) hi: Exact,
    pub(crate) injections_per_week: u8,
    pub(crate) toward: Option<Toward>,
}

/// The direction of a decision, per injection: rounding never undoes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Toward {
    /// A decrease: strictly below the current dose (the range's lower end
    /// yields; a reduction may take the dose below the range).
    Below(Exact),
    /// An increase: strictly above the current dose.
    Above(Exact),
    /// Maintain: the current dose itself when the device gives it.
    At(Exact),
}

impl Toward {
    fn split(self, k: u8) -> Toward {
        match self {
            Toward::Below(c) => Toward::Below(c.split(k)),
            Toward::Above(c) => Toward::Above(c.split(k)),
            Toward::At(c) => Toward::At(c.split(k)),
        }
    }

    /// A dose to the microgram moved to the right side of the current one
    /// (strictly below, strictly above, or not above it); `None` when it
    /// cannot be.
    fn keep(self, dose: Micrograms) -> Option<Micrograms> {
        let ug = |k: i128| Micrograms(crate::units::saturate(k));
        match self {
            Toward::Below(c) => Some(dose.min(ug(c.ceil_steps(1).saturating_sub(1)))),
            Toward::Above(c) => Some(dose.max(ug(c.floor_steps(1).saturating_add(1)))),
            Toward::At(c) => Some(dose.min(ug(c.floor_steps(1)))),
        }
        .filter(|d| d.0 > 0)
    }
}

impl Target {
    /// This target split over `k` injections per dose.
    fn split(self, k: u8) -> Target {
        Target {
            dose: self.dose.split(k),
            lo: self.lo.map(|l| l.split(k)),
            hi: self.hi.split(k),
            injections_per_week: self.injections_per_week,
            toward: self.toward.map(|t| t.split(k)),
        }
    }
}

/// How a deliverable dose relates to its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rounding {
    /// The nearest increment, inside the range.
    Nearest,
    /// Moved to the nearest increment inside the range.
    IntoRange,
    /// No increment inside the range: the nearest one below its maximum.
    BelowRange,
    /// Moved to the nearest increment on the side of the current dose the
    /// decision goes to (or onto the current dose, to maintain it).
    Direction,
    /// The increment is unknown: the exact dose (to the µg).
    Unrounded,
}

/// A dose on one presentation.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Placed<'a> {
    pub(crate) device: &'a Device,
    pub(crate) per_injection: Micrograms,
    pub(crate) injections_per_dose: u8,
    pub(crate) rounding: Rounding,
    /// Chosen among this many pens that could give the dose (0 when forced
    /// or not a choice between pens).
    pub(crate) among: usize,
}

/// Rounds a per-injection target onto `device`; `None` when the device
/// cannot give it in one injection, or not on the side the decision needs.
pub(super) fn round_on(device: &Device, t: &Target) -> Option<(Micrograms, Rounding)> {
    if let Some(whole) = fixed_dose(device) {
        return whole_cartridge(whole, t);
    }
    let max_one = device.max_one_injection();
    let min_one = device.min_dose.unwrap_or(Micrograms(1));
    let fits = |dose: Micrograms| dose.0 > 0 && dose >= min_one && dose <= max_one;
    let Some(step) = device.increment.map(|i| i.0).filter(|s| *s > 0) else {
        return unstepped(t, fits);
    };
    // The dose on this device's step grid, by the range and the decision;
    // then whether the device can give it in one injection.
    let (range_lo, range_hi) = step_range(t, step, max_one)?;
    let (k, rounding) = on_grid(t, step, range_lo, range_hi)?;
    let dose = Micrograms(crate::units::saturate(k * i128::from(step)));
    (k >= 1 && fits(dose)).then_some((dose, rounding))
}

/// A device of unknown increment: the exact dose, on the decision's side
/// and never above the range maximum.
fn unstepped(t: &Target, fits: impl Fn(Micrograms) -> bool) -> Option<(Micrograms, Rounding)> {
    // Unknown increment: exact dose, still never above the range maximum.
    let hi = Micrograms(crate::units::saturate(t.hi.floor_steps(1)));
    let mut dose = t.dose.round();
    if let Some(w) = t.toward {
        dose = w.keep(dose)?;
    }
    let dose = dose.min(hi);
    let allowed = match t.toward {
        Some(Toward::Above(c)) => c.cmp_ug(dose) == std::cmp::Ordering::Less,
        _ => true,
    };
    (fits(dose) && allowed).then_some((dose, Rounding::Unrounded))
}

/// The range in steps of this device (lowest, highest), the highest no
/// more than one injection gives for an increase; `None` when an increase
/// cannot be given in one injection.
fn step_range(t: &Target, step: i64, max_one: Micrograms) -> Option<(i128, i128)> {
    let range_lo = t.lo.map_or(1, |l| l.ceil_steps(step)).max(1);
    let mut range_hi = t.hi.floor_steps(step);
    // An increase is never above what one injection of this presentation
    // gives: its top step when that is still above the current dose (and
    // inside the range, or the range yields), else nothing (the dose is then
    // split, where allowed). A decrease, a maintain or a start whose nearest
    // step is beyond the presentation is left to another presentation: its
    // top step could be far below the decision.
    let top = i128::from(max_one.0).div_euclid(i128::from(step));
    if let Some(Toward::Above(c)) = t.toward
        && range_hi > top
    {
        let lowest = (if range_lo <= range_hi { range_lo } else { 1 }).max(c.floor_steps(step) + 1);
        if top < lowest {
            return None;
        }
        range_hi = top;
    }
    Some((range_lo, range_hi))
}

/// The step nearest the target within the range, moved to the decision's
/// side of the current dose (steps, how it was rounded); `None` when no
/// step is on that side within the bound.
fn on_grid(t: &Target, step: i64, range_lo: i128, range_hi: i128) -> Option<(i128, Rounding)> {
    let nearest = t.dose.nearest_steps(step);
    Some(match t.toward {
        Some(Toward::Below(c)) => {
            let hi = range_hi.min(c.ceil_steps(step) - 1);
            let k = nearest.min(hi);
            (
                k,
                if k == nearest {
                    Rounding::Nearest
                } else {
                    Rounding::Direction
                },
            )
        }
        Some(Toward::Above(c)) => {
            // A dose kept below the range (a reduction, a chosen intensity)
            // goes up within its bound: the range's lower end yields when
            // the bound is below it.
            let floor = if range_lo <= range_hi { range_lo } else { 1 };
            let lo = floor.max(c.floor_steps(step) + 1);
            if lo > range_hi {
                return None;
            }
            let k = nearest.clamp(lo, range_hi);
            (
                k,
                if k == nearest {
                    Rounding::Nearest
                } else {
                    Rounding::Direction
                },
            )
        }
        Some(Toward::At(c)) => {
            // Maintain: the current dose itself, or the nearest step not above it.
            let k = nearest.min(c.floor_steps(step));
            (
                k,
                if k == nearest {
                    Rounding::Nearest
                } else {
                    Rounding::Direction
                },
            )
        }
        _ if range_lo <= range_hi => {
            let k = nearest.clamp(range_lo, range_hi);
            (
                k,
                if k == nearest {
                    Rounding::Nearest
                } else {
                    Rounding::IntoRange
                },
            )
        }
        _ => (range_hi, Rounding::BelowRange),
    })
}

/// A single-dose presentation without a stated increment (a cartridge of
/// one strength) gives its whole content and nothing else.
pub(super) fn fixed_dose(device: &Device) -> Option<Micrograms> {
    (device.kind == DeviceKind::SingleDose && device.increment.is_none()).then_some(device.strength)
}

/// A whole cartridge against a target: at most the range's maximum, on the
/// side of the current dose the decision goes to (a maintain not above it),
/// and, without a decrease or maintain, not below the range.
fn whole_cartridge(dose: Micrograms, t: &Target) -> Option<(Micrograms, Rounding)> {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let below_hi = t.hi.cmp_ug(dose) != Less;
    let side = match t.toward {
        Some(Toward::Below(c)) => c.cmp_ug(dose) == Greater,
        Some(Toward::Above(c)) => c.cmp_ug(dose) == Less,
        Some(Toward::At(c)) => c.cmp_ug(dose) != Less,
        None => true,
    };
    let above_lo = match t.toward {
        Some(Toward::Below(_) | Toward::At(_)) => true,
        _ => t.lo.is_none_or(|l| l.cmp_ug(dose) != Greater),
    };
    let rounding = if t.dose.cmp_ug(dose) == Equal {
        Rounding::Nearest
    } else {
        Rounding::Direction
    };
    (dose.0 > 0 && below_hi && side && above_lo).then_some((dose, rounding))
}

/// The dose closest to the target that any presentation gives inside the
/// target's range and on the decision's side: every presentation (only
/// `forced` when set), split into more injections only when no presentation
/// gives the target in one (up to the product's most per dose). A
/// stated step comes before a presentation whose step is unknown; on a tie:
/// the lower dose, then the patient's own presentation (`keep`), then fewer
/// injections, then a pen, then the larger presentation. This is the
/// guard's search when the first rounding broke a bound of the decision.
pub(super) fn closest_within<'a>(
    product: &'a Product,
    forced: Option<&'a Device>,
    keep: Option<&str>,
    t: &Target,
) -> Option<Placed<'a>> {
    let devices: Vec<&Device> = match forced {
        Some(d) => vec![d],
        None => offered(product),
    };
    let mut best: Option<(Placed<'a>, Rank)> = None;
    // A dose is split only when no presentation gives it in one injection
    // (the labels split only above the largest single dose).
    let single = devices
        .iter()
        .map(|d| d.max_one_injection())
        .max()
        .unwrap_or_default();
    let most = product.max_injections_per_dose.max(1);
    let first = (1..=most)
        .find(|k| t.dose.split(*k).cmp_ug(single) != std::cmp::Ordering::Greater)
        .unwrap_or(most);
    for k in [first] {
        let split = t.split(k);
        for device in &devices {
            let Some((per_injection, rounding)) = round_on(device, &split) else {
                continue;
            };
            let dose = i128::from(per_injection.0).saturating_mul(i128::from(k));
            let off = dose
                .saturating_mul(t.dose.den)
                .saturating_sub(t.dose.num)
                .saturating_abs();
            let key = (
                rounding == Rounding::Unrounded,
                off,
                dose,
                keep != Some(device.id.as_str()),
                k,
                device.kind != DeviceKind::Pen,
                std::cmp::Reverse(device.strength.0),
            );
            if best.as_ref().is_none_or(|(_, b)| key < *b) {
                best = Some((
                    Placed {
                        device,
                        per_injection,
                        injections_per_dose: k,
                        rounding,
                        among: 0,
                    },
                    key,
                ));
            }
        }
    }
    best.map(|(p, _)| p)
}

/// How a placement ranks in [`closest_within`]: a stated step before an
/// unknown one, distance from the target, dose, not the patient's own
/// presentation, injections, not a pen, larger.
type Rank = (bool, i128, i128, bool, u8, bool, std::cmp::Reverse<i64>);

/// The finest dose step of a presentation the patient may be given: the
/// forced one's, else the finest of the product's (`None` when no
/// presentation states a step: whole cartridges, or unknown increments).
pub(super) fn finest_step<'a>(devices: impl IntoIterator<Item = &'a Device>) -> Option<Micrograms> {
    devices
        .into_iter()
        .filter_map(|d| d.increment.filter(|i| i.0 > 0))
        .min()
}

/// The dose step a change must reach to be one: the forced presentation's,
/// else the finest of the product's; without a product, the finest of any
/// daily somatropin presentation in the product table.
pub(super) fn dose_step(
    rules: &crate::rules::RuleSet,
    on: Option<&product::OnProduct>,
) -> Option<Micrograms> {
    match on {
        Some(o) => match o.device {
            Some(d) => finest_step([d]),
            None => finest_step(&o.product.devices),
        },
        None => rules.products.as_ref().and_then(|set| {
            finest_step(
                set.products
                    .iter()
                    .filter(|p| p.molecule == crate::vocab::Molecule::Somatropin)
                    .flat_map(|p| &p.devices),
            )
        }),
    }
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

/// Places a dose: among the pens that give it in one injection, the one with
/// a stated increment and a step inside the range that comes closest to the
/// target, then the one that
/// wastes least (content discarded per dose, counting the in-use period),
/// then the larger (fewer pen changes); else the other presentations in
/// order; else (where the product allows it) equal split injections. With
/// `forced`, only that device.
pub(super) fn place<'a>(
    product: &'a Product,
    forced: Option<&'a Device>,
    t: &Target,
) -> Option<Placed<'a>> {
    let devices: Vec<&Device> = match forced {
        Some(d) => vec![d],
        None => offered(product),
    };
    for k in 1..=product.max_injections_per_dose.max(1) {
        let split = t.split(k);
        let fits = devices.iter().filter_map(|device| {
            round_on(device, &split).map(|(per_injection, rounding)| Placed {
                device,
                per_injection,
                injections_per_dose: k,
                rounding,
                among: 0,
            })
        });
        let (pens, rest): (Vec<Placed>, Vec<Placed>) =
            fits.partition(|p| p.device.kind == DeviceKind::Pen);
        let target = split.dose.round().0;
        let among = pens.len();
        let best = pens
            .into_iter()
            .min_by_key(|p| {
                (
                    p.rounding == Rounding::Unrounded,
                    p.rounding == Rounding::BelowRange,
                    p.per_injection.0.abs_diff(target),
                    waste_per_dose(p, t.injections_per_week),
                    std::cmp::Reverse(p.device.strength),
                )
            })
            .map(|p| Placed {
                among: if among > 1 { among } else { 0 },
                ..p
            })
            .or_else(|| rest.into_iter().next());
        if best.is_some() {
            return best;
        }
    }
    None
}

/// Micrograms of a pen discarded per dose: its content spread over the
/// doses it gives (whole doses, within its in-use period), less the dose.
pub(super) fn waste_per_dose(p: &Placed, injections_per_week: u8) -> i64 {
    let count = supply(
        p.device,
        p.per_injection,
        injections_per_week,
        p.injections_per_dose,
        7,
    );
    let injections = i64::from(count.doses_per_device.max(1));
    (p.device.strength.0 / injections).saturating_sub(p.per_injection.0)
}

/// Devices needed to cover `days` at a deliverable dose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct SupplyCount {
    pub(crate) injections: u32,
    pub(crate) doses_per_device: u32,
    pub(crate) devices: u32,
    /// The in-use period, not the contents, limits the doses per device.
    pub(crate) in_use_limited: bool,
}

/// Whole devices for `days` of treatment: doses per device are whole doses
/// (a dose is never split across two devices), and none after the device's
/// in-use period (a pen discarded 28 days after first use gives at most 28
/// daily doses); priming loss is not counted.
pub(super) fn supply(
    device: &Device,
    per_injection: Micrograms,
    injections_per_week: u8,
    injections_per_dose: u8,
    days: u32,
) -> SupplyCount {
    let per_week = u64::from(injections_per_week);
    let doses = (u64::from(days) * per_week).div_ceil(7);
    let injections = doses * u64::from(injections_per_dose);
    let contents = match device.kind {
        DeviceKind::SingleDose => 1,
        DeviceKind::Pen | DeviceKind::Vial => {
            u64::try_from((device.strength.0 / per_injection.0.max(1)).max(1)).unwrap_or(1)
        }
    };
    let in_use = device
        .in_use_days
        .map(|d| (u64::from(d) * per_week / 7).max(1) * u64::from(injections_per_dose));
    let per_device = in_use.map_or(contents, |u| contents.min(u)).max(1);
    let clamp = |x: u64| u32::try_from(x).unwrap_or(u32::MAX);
    SupplyCount {
        injections: clamp(injections),
        doses_per_device: clamp(per_device),
        devices: clamp(injections.div_ceil(per_device)),
        in_use_limited: per_device < contents,
    }
}

#[cfg(test)]
mod tests;
