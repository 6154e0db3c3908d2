//! What the course checks report: a value outside what the rules allow
//! ([`Finding`]) and the slip that likely made it (digits swapped, named as
//! likely), shared by the checks against the previous value ([`super::course`])
//! and against the trajectory ([`super::trajectory`]).

use crate::dosing::error::Field;
use crate::vocab::Confirm;

/// A value outside what the rules allow, and what it would be confirmed as.
pub(crate) struct Finding {
    pub(crate) what: Confirm,
    pub(crate) field: Field,
    /// The sentence after the field: value, comparison, what is allowed, slip.
    pub(crate) words: String,
}

/// The number with two neighbouring digits of its whole part swapped (the
/// last two, and the first two of a three-digit number): 62 -> 26,
/// 103 -> 130 and 13.
pub(crate) fn swapped(x: f64) -> Vec<f64> {
    if !(10.0..1000.0).contains(&x) {
        return Vec::new();
    }
    let whole = x.trunc();
    let frac = x - whole;
    let digits: Vec<u8> = format!("{whole:.0}").bytes().collect();
    let n = digits.len();
    let mut pairs = vec![(n - 2, n - 1)];
    if n == 3 {
        pairs.push((0, 1));
    }
    pairs
        .into_iter()
        .filter_map(|(i, j)| {
            let mut d = digits.clone();
            d.swap(i, j);
            let s = String::from_utf8(d).ok()?;
            let v: f64 = s.parse().ok()?;
            (v != whole && !s.starts_with('0')).then_some(v + frac)
        })
        .collect()
}

/// `likely SLIP` or a plain request to check the value.
pub(crate) fn likely(slips: &[String], what: &str) -> String {
    if slips.is_empty() {
        format!("check the {what} and the previous one")
    } else {
        format!("likely slip: {}", slips.join(" "))
    }
}
