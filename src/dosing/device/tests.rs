//! Unit tests of `dosing/device/mod.rs`.
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
    let on = |device: Option<&'static str>| crate::dosing::device::product::OnProduct {
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
