//! L, M and S between table rows, in the two schemes the references use:
//! - [`lagrange`] (growth references): four-point Lagrange (cubic)
//!   interpolation through two rows on each side of the age, linear in the
//!   first and last interval where there is only one row on a side (T. J.
//!   Cole's LMSgrowth scheme, also used by the RCPCH growth engine);
//! - [`linear`] (IGF-1 references): linear between the two nearest rows.
//!
//! Both give the row itself at a table age and `None` outside the rows'
//! ages (and for NaN). Rows are in strictly increasing age.

use super::{Lms, LmsRow};

/// Where an age falls in the rows.
enum Place {
    /// At a row's age.
    At(Lms),
    /// Between the rows at `above - 1` and `above`.
    Between { above: usize },
}

fn place(rows: &[LmsRow], age: f64) -> Option<Place> {
    let (first, last) = (rows.first()?, rows.last()?);
    if !(first.age_years <= age && age <= last.age_years) {
        return None;
    }
    // The first row at or above the age.
    let above = rows.partition_point(|r| r.age_years < age);
    let hi = rows.get(above)?;
    if hi.age_years == age {
        return Some(Place::At(hi.lms()));
    }
    Some(Place::Between { above })
}

/// L, M, S on the straight line between two rows.
fn lerp(lo: &LmsRow, hi: &LmsRow, age: f64) -> Lms {
    let t = (age - lo.age_years) / (hi.age_years - lo.age_years);
    let lerp = |a: f64, b: f64| a + t * (b - a);
    Lms {
        l: lerp(lo.l, hi.l),
        m: lerp(lo.m, hi.m),
        s: lerp(lo.s, hi.s),
    }
}

/// L, M, S at `age`, linear between the two nearest rows.
pub(crate) fn linear(rows: &[LmsRow], age: f64) -> Option<Lms> {
    match place(rows, age)? {
        Place::At(lms) => Some(lms),
        Place::Between { above } => Some(lerp(
            rows.get(above.checked_sub(1)?)?,
            rows.get(above)?,
            age,
        )),
    }
}

/// L, M, S at `age`: four-point Lagrange through two rows on each side,
/// linear in the first and last interval.
pub(crate) fn lagrange(rows: &[LmsRow], age: f64) -> Option<Lms> {
    let above = match place(rows, age)? {
        Place::At(lms) => return Some(lms),
        Place::Between { above } => above,
    };
    let hi = rows.get(above)?;
    let lo = rows.get(above.checked_sub(1)?)?;
    let outer = above
        .checked_sub(2)
        .and_then(|i| Some((rows.get(i)?, rows.get(above + 1)?)));
    let Some((lo2, hi2)) = outer else {
        return Some(lerp(lo, hi, age));
    };
    let points = [lo2, lo, hi, hi2];
    let x = points.map(|r| r.age_years);
    let weight = |j: usize| {
        (0..4)
            .filter(|&k| k != j)
            .map(|k| (age - x[k]) / (x[j] - x[k]))
            .product::<f64>()
    };
    let w = [weight(0), weight(1), weight(2), weight(3)];
    let sum = |f: fn(&LmsRow) -> f64| points.iter().zip(w).map(|(r, w)| f(r) * w).sum();
    Some(Lms {
        l: sum(|r| r.l),
        m: sum(|r| r.m),
        s: sum(|r| r.s),
    })
}

#[cfg(test)]
mod tests;
