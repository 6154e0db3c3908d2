use super::*;

/// Rows with L = 1 and S = 0.05 and the given (age, M).
fn rows(ms: &[(f64, f64)]) -> Vec<LmsRow> {
    ms.iter()
        .map(|&(age_years, m)| LmsRow {
            age_years,
            l: 1.0,
            m,
            s: 0.05,
        })
        .collect()
}

fn m(rows: &[LmsRow], age: f64) -> f64 {
    lagrange(rows, age).unwrap().m
}

const FIVE: [(f64, f64); 5] = [
    (0.0, 10.0),
    (1.0, 12.0),
    (2.0, 15.0),
    (3.0, 13.0),
    (4.0, 11.0),
];

#[test]
fn lagrange_at_a_mid_age_matches_the_hand_computation() {
    // Rows at 0, 1, 2, 3, 4 years with M = 10, 12, 15, 13, 11. At 1.5 y
    // (two rows each side: 0, 1 | 2, 3) the Lagrange weights at the
    // midpoint of equally spaced ages are -1/16, 9/16, 9/16, -1/16:
    // M = (-10 + 9*12 + 9*15 - 13) / 16 = 220 / 16 = 13.75.
    let t = rows(&FIVE);
    assert!((m(&t, 1.5) - 13.75).abs() < 1e-12);
    // At 1.25 y: weights l0 = (t-1)(t-2)(t-3)/((0-1)(0-2)(0-3)) = -0.0546875,
    // l1 = t(t-2)(t-3)/(1(-1)(-2)) = 0.8203125, l2 = t(t-1)(t-3)/(2*1*(-1))
    // = 0.2734375, l3 = t(t-1)(t-2)/(3*2*1) = -0.0390625 (sum 1):
    // M = -0.546875 + 9.84375 + 4.1015625 - 0.5078125 = 12.890625.
    assert!((m(&t, 1.25) - 12.890625).abs() < 1e-12);
    // 2.5 y uses the rows at 1, 2 | 3, 4: (-12 + 135 + 117 - 11)/16 = 14.3125.
    assert!((m(&t, 2.5) - 14.3125).abs() < 1e-12);
    // First and last intervals are linear: 0.5 y -> 11, 3.5 y -> 12.
    assert!((m(&t, 0.5) - 11.0).abs() < 1e-12);
    assert!((m(&t, 3.5) - 12.0).abs() < 1e-12);
}

#[test]
fn a_cubic_is_reproduced_on_unequal_spacing() {
    // M(t) = 100 + 2t + 0.5t^2 - 0.1t^3 sampled at unequal ages; four-point
    // Lagrange is exact for a cubic: M(2.2) = 100 + 4.4 + 2.42 - 1.0648.
    let f = |t: f64| 100.0 + 2.0 * t + 0.5 * t * t - 0.1 * t * t * t;
    let ages = [0.0, 1.0, 1.5, 3.0, 4.5, 5.0];
    let t = rows(&ages.map(|a| (a, f(a))));
    assert!((m(&t, 2.2) - 105.7552).abs() < 1e-9);
}

#[test]
fn rows_are_reproduced_and_the_curve_is_continuous_at_them() {
    let t = rows(&FIVE);
    for r in &t {
        assert_eq!(m(&t, r.age_years), r.m);
        for side in [-1e-9, 1e-9] {
            if let Some(near) = lagrange(&t, r.age_years + side) {
                assert!((near.m - r.m).abs() < 1e-7, "{} {}", r.age_years, near.m);
            }
        }
    }
}

#[test]
fn outside_the_rows_there_is_nothing() {
    let t = rows(&FIVE);
    for age in [-0.001, 4.001, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert_eq!(lagrange(&t, age), None, "{age}");
    }
    assert_eq!(lagrange(&[], 1.0), None);
    // One row: that age only; two rows: linear.
    assert_eq!(lagrange(&t[..1], 0.0).map(|l| l.m), Some(10.0));
    assert!((m(&t[..2], 0.25) - 10.5).abs() < 1e-12);
}

#[test]
fn linear_is_the_straight_line_between_the_nearest_rows() {
    let t = rows(&FIVE);
    let m = |age| linear(&t, age).unwrap().m;
    assert_eq!(m(1.5), 13.5);
    assert!((m(2.25) - 14.5).abs() < 1e-12);
    for r in &t {
        assert_eq!(m(r.age_years), r.m);
    }
    for age in [-0.001, 4.001, f64::NAN, f64::INFINITY] {
        assert_eq!(linear(&t, age), None, "{age}");
    }
    assert_eq!(linear(&[], 1.0), None);
    assert_eq!(linear(&t[..1], 0.0).map(|l| l.m), Some(10.0));
}

/// The IGF-1 references' interpolation before it moved here, kept to
/// show that the engine gives the same bits.
fn igf1_before(rows: &[LmsRow], age: f64) -> Option<LmsRow> {
    let first = rows.first()?;
    let last = rows.last()?;
    if !(age >= first.age_years && age <= last.age_years) {
        return None;
    }
    let i = rows.iter().rposition(|r| r.age_years <= age)?;
    let a = rows[i];
    let Some(b) = rows.get(i + 1) else {
        return Some(a);
    };
    let t = (age - a.age_years) / (b.age_years - a.age_years);
    let lerp = |x: f64, y: f64| x + t * (y - x);
    Some(LmsRow {
        age_years: age,
        l: lerp(a.l, b.l),
        m: lerp(a.m, b.m),
        s: lerp(a.s, b.s),
    })
}

#[test]
fn linear_gives_the_igf1_references_numbers_bit_for_bit() {
    // Rows of the synthetic IGF-1 example's shape: uneven ages, every
    // L, M and S changing.
    let t = [
        (2.0, 0.2, 60.0, 0.40),
        (5.0, 0.25, 95.5, 0.37),
        (9.0, 0.31, 180.25, 0.33),
        (13.5, 0.18, 390.0, 0.29),
        (18.0, -0.05, 310.7, 0.27),
        (80.0, -0.4, 95.1, 0.35),
    ]
    .map(|(age_years, l, m, s)| LmsRow { age_years, l, m, s });
    let mut age = 1.9;
    while age < 80.2 {
        let before = igf1_before(&t, age).map(|r| [r.l, r.m, r.s].map(f64::to_bits));
        let now = linear(&t, age).map(|r| [r.l, r.m, r.s].map(f64::to_bits));
        assert_eq!(now, before, "{age}");
        age += 0.37;
    }
    for r in &t {
        assert_eq!(
            linear(&t, r.age_years),
            igf1_before(&t, r.age_years).map(|r| r.lms())
        );
    }
}
