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

/// A per-injection target, the range it must stay in, and (at a visit) the
/// side of the current dose it must land on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    pub dose: Exact,
    pub lo: Option<Exact>,
    pub hi: Exact,
    pub injections_per_week: u8,
    pub toward: Option<Toward>,
}

/// The direction of a decision, per injection: rounding never undoes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Toward {
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
pub enum Rounding {
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
pub struct Placed<'a> {
    pub device: &'a Device,
    pub per_injection: Micrograms,
    pub injections_per_dose: u8,
    pub rounding: Rounding,
    /// Chosen among this many pens that could give the dose (0 when forced
    /// or not a choice between pens).
    pub among: usize,
}

/// Rounds a per-injection target onto `device`; `None` when the device
/// cannot give it in one injection, or not on the side the decision needs.
pub fn round_on(device: &Device, t: &Target) -> Option<(Micrograms, Rounding)> {
    if let Some(whole) = fixed_dose(device) {
        return whole_cartridge(whole, t);
    }
    let max_one = device.max_one_injection();
    let min_one = device.min_dose.unwrap_or(Micrograms(1));
    let fits = |dose: Micrograms| dose.0 > 0 && dose >= min_one && dose <= max_one;
    let Some(step) = device.increment.map(|i| i.0).filter(|s| *s > 0) else {
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
        return (fits(dose) && allowed).then_some((dose, Rounding::Unrounded));
    };
    // The dose on this device's step grid, by the range and the decision;
    // then whether the device can give it in one injection.
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
    let nearest = t.dose.nearest_steps(step);
    let (k, rounding) = match t.toward {
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
    };
    let dose = Micrograms(crate::units::saturate(k * i128::from(step)));
    (k >= 1 && fits(dose)).then_some((dose, rounding))
}

/// A single-dose presentation without a stated increment (a cartridge of
/// one strength) gives its whole content and nothing else.
pub fn fixed_dose(device: &Device) -> Option<Micrograms> {
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
pub fn closest_within<'a>(
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
pub fn finest_step<'a>(devices: impl IntoIterator<Item = &'a Device>) -> Option<Micrograms> {
    devices
        .into_iter()
        .filter_map(|d| d.increment.filter(|i| i.0 > 0))
        .min()
}

/// The dose step a change must reach to be one: the forced presentation's,
/// else the finest of the product's; without a product, the finest of any
/// daily somatropin presentation in the product table.
pub fn dose_step(
    rules: &crate::rules::RuleSet,
    on: Option<&crate::dosing::product::OnProduct>,
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
pub fn place<'a>(
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
pub fn waste_per_dose(p: &Placed, injections_per_week: u8) -> i64 {
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
pub struct SupplyCount {
    pub injections: u32,
    pub doses_per_device: u32,
    pub devices: u32,
    /// The in-use period, not the contents, limits the doses per device.
    pub in_use_limited: bool,
}

/// Whole devices for `days` of treatment: doses per device are whole doses
/// (a dose is never split across two devices), and none after the device's
/// in-use period (a pen discarded 28 days after first use gives at most 28
/// daily doses); priming loss is not counted.
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
mod tests {
    use super::*;
    use crate::rules::RuleSet;
    use crate::units::{Grams, NgPerKg};

    fn rules() -> RuleSet {
        RuleSet::built_in().unwrap()
    }

    fn tgt(dose: Exact, lo: Exact, hi: Exact) -> Target {
        Target {
            dose,
            lo: Some(lo),
            hi,
            injections_per_week: 7,
            toward: None,
        }
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
            round_on(pen, &tgt(target, lo, hi)),
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
            round_on(pen, &tgt(x, x, x)),
            Some((Micrograms(1025), Rounding::BelowRange))
        );
    }

    #[test]
    fn devices_refuse_doses_beyond_one_injection() {
        let r = rules();
        let ngenla = r.product("ngenla").unwrap();
        let small = ngenla.device("ngenla-24").unwrap();
        let t = Exact::ug(Micrograms(33_000));
        assert_eq!(round_on(small, &tgt(t, t, t)), None);
        let p = place(ngenla, None, &tgt(t, t, t)).unwrap();
        assert_eq!(p.device.id, "ngenla-60");
        assert_eq!(p.injections_per_dose, 2);
        assert_eq!(p.per_injection, Micrograms(16_500));
    }

    fn weekly(t: Exact) -> Target {
        Target {
            injections_per_week: 1,
            ..tgt(t, t, t)
        }
    }

    #[test]
    fn the_closest_pen_then_the_least_waste_is_chosen() {
        let r = rules();
        let ngenla = r.product("ngenla").unwrap();
        // 11.88 mg a week: the 24 mg pen gives 2 doses and wastes 0.24 mg a
        // dose; the 60 mg pen, 4 doses in its 28 days, wastes 3.12 mg.
        let t = Exact::ug(Micrograms(11_880));
        assert_eq!(
            place(ngenla, None, &weekly(t)).unwrap().device.id,
            "ngenla-24"
        );
        // 12.1 mg: no 0.2 mg step inside the point range; 12.0 below it still fits the 24 mg pen.
        let t = Exact::ug(Micrograms(12_100));
        let p = place(ngenla, None, &weekly(t)).unwrap();
        assert_eq!(
            (p.device.id.as_str(), p.per_injection),
            ("ngenla-24", Micrograms(12_000))
        );
        assert_eq!(p.rounding, Rounding::BelowRange);
        // 12.5 mg needs the 60 mg pen.
        let t = Exact::ug(Micrograms(12_500));
        let p = place(ngenla, None, &weekly(t)).unwrap();
        assert_eq!(
            (p.device.id.as_str(), p.per_injection),
            ("ngenla-60", Micrograms(12_500))
        );
        let flexpro = |ug: i64| {
            let t = Exact::ug(Micrograms(ug));
            let p = place(r.product("norditropin").unwrap(), None, &tgt(t, t, t)).unwrap();
            (p.device.id.clone(), p.per_injection.0)
        };
        // 0.15 mg a day: FlexPro 5 gives 28 doses in its 28 days (0.029 mg
        // discarded a dose); FlexPro 10 discards 0.207 mg a dose.
        assert_eq!(flexpro(150), ("flexpro-5".to_string(), 150));
        // 2.05 mg: FlexPro 5 and 10 both give it exactly and discard 0.45 mg
        // a dose; the larger pen is changed half as often. FlexPro 15 (0.1 mg
        // steps) cannot reach 2.05 below the maximum and comes after.
        assert_eq!(flexpro(2_050), ("flexpro-10".to_string(), 2_050));
        // 1.2 mg: all step pens give it; FlexPro 15 gives 12 doses and wastes nothing.
        assert_eq!(flexpro(1_200), ("flexpro-15".to_string(), 1_200));
    }

    #[test]
    fn unknown_increments_leave_the_dose_exact() {
        let r = rules();
        let g = r.product("genotropin").unwrap();
        let t = Exact::per_injection(NgPerKg(160_000), Grams(30_000), 7);
        let p = place(g, None, &tgt(t, t, t)).unwrap();
        // 0.685 mg: the 5 mg pen gives 7 doses (0.714 mg used a dose), the
        // 12 mg pen 17 within its 28 days (0.705 mg): the 12 mg pen wastes less.
        assert_eq!(p.device.id, "genotropin-pen-12");
        assert_eq!(p.rounding, Rounding::Unrounded);
        // 685.714 µg, never above the (point) range maximum: 685 µg, not 686.
        assert_eq!(p.per_injection, Micrograms(685));
    }

    #[test]
    fn rounding_follows_the_direction_of_the_decision() {
        let r = rules();
        let mini = r
            .product("genotropin")
            .unwrap()
            .device("genotropin-miniquick")
            .unwrap();
        // 0.6 -> 0.5 mg: the nearest 0.2 mg step (0.6) would undo the decrease.
        let down = Target {
            toward: Some(Toward::Below(Exact::ug(Micrograms(600)))),
            ..tgt(
                Exact::ug(Micrograms(500)),
                Exact::ug(Micrograms(100)),
                Exact::ug(Micrograms(1330)),
            )
        };
        assert_eq!(
            round_on(mini, &down),
            Some((Micrograms(400), Rounding::Direction))
        );
        // Nothing below the smallest step.
        let floor = Target {
            toward: Some(Toward::Below(Exact::ug(Micrograms(200)))),
            ..down
        };
        assert_eq!(round_on(mini, &floor), None);
        // An increase lands above the current dose, never above the maximum.
        let up = Target {
            toward: Some(Toward::Above(Exact::ug(Micrograms(600)))),
            ..tgt(
                Exact::ug(Micrograms(650)),
                Exact::ug(Micrograms(100)),
                Exact::ug(Micrograms(900)),
            )
        };
        assert_eq!(
            round_on(mini, &up),
            Some((Micrograms(800), Rounding::Direction))
        );
        let capped = Target {
            hi: Exact::ug(Micrograms(700)),
            ..up
        };
        assert_eq!(round_on(mini, &capped), None);
        // Maintain: the current dose when it is on the grid.
        let keep = Target {
            toward: Some(Toward::At(Exact::ug(Micrograms(600)))),
            ..tgt(
                Exact::ug(Micrograms(690)),
                Exact::ug(Micrograms(100)),
                Exact::ug(Micrograms(900)),
            )
        };
        assert_eq!(
            round_on(mini, &keep),
            Some((Micrograms(600), Rounding::Nearest))
        );
        // ... and never a step above it.
        let keep = Target {
            dose: Exact::ug(Micrograms(750)),
            ..keep
        };
        assert_eq!(
            round_on(mini, &keep),
            Some((Micrograms(600), Rounding::Direction))
        );
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
                devices: 7,
                in_use_limited: false
            }
        );
        // 0.15 mg/day for 90 days: 33 doses in a 5 mg pen, but only 28 days
        // of use after opening: 28 doses a pen, 4 pens (not 3).
        let s = supply(pen, Micrograms(150), 7, 1, 90);
        assert_eq!(
            (s.doses_per_device, s.devices, s.in_use_limited),
            (28, 4, true)
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
                devices: 10,
                in_use_limited: false
            }
        );
        // Sogroya: discard 6 weeks after first use: 6 weekly doses of 1.5 mg
        // from a 10 mg pen (6 by contents too); 5 mg pen: 3 by contents.
        let sog = r.product("sogroya").unwrap();
        let s = supply(
            sog.device("sogroya-10").unwrap(),
            Micrograms(1000),
            1,
            1,
            84,
        );
        assert_eq!(
            (s.doses_per_device, s.devices, s.in_use_limited),
            (6, 2, true)
        );
    }

    fn ex(ug: i64) -> Exact {
        Exact::ug(Micrograms(ug))
    }

    #[test]
    fn a_whole_cartridge_gives_its_strength_on_the_decisions_side_only() {
        let r = rules();
        let sky = r.product("skytrofa").unwrap();
        let c = sky.device("skytrofa-5.2").unwrap();
        assert_eq!(fixed_dose(c), Some(Micrograms(5200)));
        // A pen is not a whole cartridge.
        let pen = r
            .product("norditropin")
            .unwrap()
            .device("flexpro-10")
            .unwrap();
        assert_eq!(fixed_dose(pen), None);
        let t = |dose: i64, lo: Option<i64>, hi: i64, toward: Option<Toward>| Target {
            dose: ex(dose),
            lo: lo.map(ex),
            hi: ex(hi),
            injections_per_week: 1,
            toward,
        };
        assert_eq!(
            round_on(c, &t(5200, None, 5200, None)),
            Some((Micrograms(5200), Rounding::Nearest))
        );
        assert_eq!(
            round_on(c, &t(5000, None, 6000, None)),
            Some((Micrograms(5200), Rounding::Direction))
        );
        // Above the range's maximum, or below its minimum: not given.
        assert_eq!(round_on(c, &t(5000, None, 5199, None)), None);
        assert_eq!(round_on(c, &t(5300, Some(5201), 6000, None)), None);
        // The side of the current dose: strictly below, strictly above, not above.
        assert_eq!(
            round_on(c, &t(5000, None, 9000, Some(Toward::Below(ex(5200))))),
            None
        );
        assert!(round_on(c, &t(5000, None, 9000, Some(Toward::Below(ex(5201))))).is_some());
        assert_eq!(
            round_on(c, &t(6000, None, 9000, Some(Toward::Above(ex(5200))))),
            None
        );
        assert!(round_on(c, &t(6000, None, 9000, Some(Toward::Above(ex(5199))))).is_some());
        assert!(round_on(c, &t(5200, None, 9000, Some(Toward::At(ex(5200))))).is_some());
        assert_eq!(
            round_on(c, &t(5200, None, 9000, Some(Toward::At(ex(5199))))),
            None
        );
        // A decrease or maintain may go below the range's minimum.
        assert!(round_on(c, &t(5200, Some(6000), 9000, Some(Toward::Below(ex(6300))))).is_some());
        assert!(round_on(c, &t(5200, Some(6000), 9000, Some(Toward::At(ex(5200))))).is_some());
        assert!(round_on(c, &t(6300, Some(6000), 9000, Some(Toward::Above(ex(5000))))).is_none());
    }

    #[test]
    fn the_search_finds_the_closest_dose_and_prefers_the_patients_pen() {
        let r = rules();
        let n = r.product("norditropin").unwrap();
        let t = Target {
            dose: Exact { num: 7000, den: 7 },
            lo: None,
            hi: Exact { num: 7000, den: 7 },
            injections_per_week: 7,
            toward: Some(Toward::At(Exact { num: 7000, den: 7 })),
        };
        // 1 mg a day is on FlexPro 5 (0.025) and FlexPro 10 (0.05) and 15:
        // the patient's pen on a tie.
        let p = closest_within(n, None, Some("flexpro-10"), &t).unwrap();
        assert_eq!(
            (p.device.id.as_str(), p.per_injection, p.injections_per_dose),
            ("flexpro-10", Micrograms(1000), 1)
        );
        let p = closest_within(n, None, Some("flexpro-5"), &t).unwrap();
        assert_eq!(p.device.id, "flexpro-5");
        // Without a pen of the patient's: the larger pen on a tie.
        let p = closest_within(n, None, None, &t).unwrap();
        assert_eq!(p.device.id, "flexpro-15");
        // A forced pen only.
        let five = n.device("flexpro-5").unwrap();
        let p = closest_within(n, Some(five), Some("flexpro-10"), &t).unwrap();
        assert_eq!(p.device.id, "flexpro-5");
        // The closest below the bound: 1.03 mg a day, at most 1.04 -> 1.025 on FlexPro 5.
        let t = Target {
            dose: Exact { num: 7210, den: 7 },
            lo: None,
            hi: Exact { num: 7280, den: 7 },
            injections_per_week: 7,
            toward: Some(Toward::Above(Exact { num: 7000, den: 7 })),
        };
        let p = closest_within(n, None, None, &t).unwrap();
        assert_eq!(
            (p.device.id.as_str(), p.per_injection),
            ("flexpro-5", Micrograms(1025))
        );
        // A presentation with a stated step before one without (FlexPro 30
        // would give 1.03 mg exactly, unrounded).
        assert_ne!(p.device.id, "flexpro-30");
        // Skytrofa: one cartridge below 13.3 mg, two equal ones above it.
        let sky = r.product("skytrofa").unwrap();
        let wk = |dose: i64, hi: i64| Target {
            dose: ex(dose),
            lo: None,
            hi: ex(hi),
            injections_per_week: 1,
            toward: None,
        };
        let p = closest_within(sky, None, None, &wk(6138, 6138)).unwrap();
        assert_eq!(
            (p.per_injection, p.injections_per_dose),
            (Micrograms(5200), 1)
        );
        let p = closest_within(sky, None, None, &wk(18_200, 20_000)).unwrap();
        assert_eq!(
            (p.per_injection, p.injections_per_dose),
            (Micrograms(9100), 2)
        );
        assert!(closest_within(sky, None, None, &wk(2000, 2999)).is_none());
    }

    #[test]
    fn the_dose_step_is_the_patients_pen_or_the_finest_there_is() {
        let r = rules();
        let n = r.product("norditropin").unwrap();
        let on = |device: Option<&'static str>| crate::dosing::product::OnProduct {
            product: crate::dosing::test_support::RULES
                .product("norditropin")
                .unwrap(),
            device: device.and_then(|d| {
                crate::dosing::test_support::RULES
                    .product("norditropin")
                    .unwrap()
                    .device(d)
            }),
            label: None,
        };
        assert_eq!(finest_step(&n.devices), Some(Micrograms(25)));
        assert_eq!(
            dose_step(&r, Some(&on(Some("flexpro-10")))),
            Some(Micrograms(50))
        );
        assert_eq!(dose_step(&r, Some(&on(None))), Some(Micrograms(25)));
        // Without a product: the finest daily somatropin presentation.
        assert_eq!(dose_step(&r, None), Some(Micrograms(25)));
        // Whole cartridges state no step.
        assert_eq!(finest_step(&r.product("skytrofa").unwrap().devices), None);
    }

    #[test]
    fn a_pens_top_step_is_given_whole_on_the_decisions_side() {
        let r = rules();
        let pen = r.product("ngenla").unwrap().device("ngenla-60").unwrap();
        let up = |now: i64, hi: i64| Target {
            dose: ex(hi),
            lo: None,
            hi: ex(hi),
            injections_per_week: 1,
            toward: Some(Toward::Above(ex(now))),
        };
        // Up from 28 mg within 30.745 mg: the pen's top step, 30 mg.
        assert_eq!(
            round_on(pen, &up(28_000, 30_745)).map(|x| x.0),
            Some(Micrograms(30_000))
        );
        // From 29.5 mg the top step is still above it.
        assert_eq!(
            round_on(pen, &up(29_500, 31_000)).map(|x| x.0),
            Some(Micrograms(30_000))
        );
        // From the top step itself nothing is above it in one injection.
        assert_eq!(round_on(pen, &up(30_000, 31_000)), None);
        // Without a decision, a range above the pen's top: nothing.
        let t = Target {
            dose: ex(33_000),
            lo: Some(ex(33_000)),
            hi: ex(33_000),
            injections_per_week: 1,
            toward: None,
        };
        assert_eq!(round_on(pen, &t), None);
        // A decrease whose nearest step is beyond the pen: another
        // presentation (or a split) gives it, not this pen's top step.
        let t = Target {
            dose: ex(31_000),
            lo: None,
            hi: ex(40_000),
            injections_per_week: 1,
            toward: Some(Toward::Below(ex(33_000))),
        };
        assert_eq!(round_on(pen, &t), None);
    }

    #[test]
    fn on_a_tie_the_search_prefers_a_pen() {
        // The same dose from a pen and from another kind of presentation:
        // the pen (a synthetic vial made of FlexPro 5 here).
        let r = rules();
        let mut n = r.product("norditropin").unwrap().clone();
        let five = n.devices.iter_mut().find(|d| d.id == "flexpro-5").unwrap();
        five.kind = DeviceKind::Vial;
        let t = Target {
            dose: Exact { num: 7000, den: 7 },
            lo: None,
            hi: Exact { num: 7000, den: 7 },
            injections_per_week: 7,
            toward: Some(Toward::At(Exact { num: 7000, den: 7 })),
        };
        let p = closest_within(&n, None, None, &t).unwrap();
        assert_eq!(p.device.kind, DeviceKind::Pen);
        assert_eq!(p.per_injection, Micrograms(1000));
    }
}
