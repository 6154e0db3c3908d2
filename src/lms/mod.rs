//! The LMS method (T. J. Cole): a reference's L (Box-Cox power), M (median)
//! and S (coefficient of variation) by age, the SDS of a value, its centile
//! and the value at an SDS. The one engine of the growth references
//! (`growth`) and the IGF-1 references (`rules::reference`); it imports
//! nothing of the project.
//!
//! - SDS = ((x/M)^L - 1)/(L S), or ln(x/M)/S when L = 0;
//! - value at an SDS = M (1 + L S z)^(1/L), or M exp(S z) when L = 0;
//! - centile = 100 Phi(SDS).
//!
//! Between the rows of a table, [`interpolate`] has the two schemes in use:
//! four-point Lagrange (growth references) and linear (IGF-1 references).

mod interpolate;

pub(crate) use interpolate::{lagrange, linear};

/// L (Box-Cox power), M (median) and S (coefficient of variation) at one age.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lms {
    /// Box-Cox power.
    pub l: f64,
    /// Median, in the measurement's unit.
    pub m: f64,
    /// Generalised coefficient of variation.
    pub s: f64,
}

impl Lms {
    /// SDS of a value: ((x/M)^L - 1)/(L S), or ln(x/M)/S when L = 0.
    /// Computed as expm1(L ln(x/M))/(L S), which is the same number without
    /// the loss of precision near L = 0; the log formula at (and near) L = 0
    /// ([`is_log_limit`]). Not finite when x is not positive.
    pub(crate) fn sds(&self, x: f64) -> f64 {
        let log_ratio = (x / self.m).ln();
        if is_log_limit(self.l) {
            log_ratio / self.s
        } else {
            (self.l * log_ratio).exp_m1() / (self.l * self.s)
        }
    }

    /// The value at an SDS: M (1 + L S z)^(1/L), or M exp(S z) at (and
    /// near) L = 0; `None` where the curve is undefined (1 + L S z <= 0) or
    /// not finite.
    pub(crate) fn value_at(&self, sds: f64) -> Option<f64> {
        let value = if is_log_limit(self.l) {
            self.m * (self.s * sds).exp()
        } else {
            let base = self.l * self.s * sds;
            if base <= -1.0 {
                return None;
            }
            self.m * (base.ln_1p() / self.l).exp()
        };
        value.is_finite().then_some(value)
    }
}

/// A Box-Cox power too close to zero for the power formula in f64: there
/// (x/M)^L rounds to 1 and the SDS to 0 for every value, so the L = 0 limit
/// (the log formula) is used; it differs from the exact value by less than
/// L ln(x/M) relative, far below the last digit. A numerical bound, not a
/// clinical number.
pub(crate) fn is_log_limit(l: f64) -> bool {
    l.abs() < f64::EPSILON
}

/// Centile (0-100) of an SDS: 100 Phi(SDS), Phi the standard normal
/// distribution function (from `libm::erfc`, accurate in the tails).
pub fn centile(sds: f64) -> f64 {
    50.0 * libm::erfc(-sds / std::f64::consts::SQRT_2)
}

/// One row of an LMS table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LmsRow {
    /// Age in years (CDC tables: months / 12).
    pub age_years: f64,
    /// Box-Cox power.
    pub l: f64,
    /// Median.
    pub m: f64,
    /// Coefficient of variation.
    pub s: f64,
}

impl LmsRow {
    /// The row's L, M and S.
    pub(crate) fn lms(&self) -> Lms {
        Lms {
            l: self.l,
            m: self.m,
            s: self.s,
        }
    }
}

/// The youngest and oldest ages of rows in increasing age; `None` for no rows.
pub(crate) fn age_range(rows: &[LmsRow]) -> Option<(f64, f64)> {
    Some((rows.first()?.age_years, rows.last()?.age_years))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sds_value_and_centile_are_inverse() {
        // L = 0: SDS = ln(120/100)/0.2 = 0.911607784.
        let log = Lms {
            l: 0.0,
            m: 100.0,
            s: 0.2,
        };
        assert!((log.sds(120.0) - 1.2f64.ln() / 0.2).abs() < 1e-12);
        // L = -1.5, M = 16, S = 0.08, x = 20: ((20/16)^-1.5 - 1)/(-1.5*0.08)
        // = (0.715541753 - 1)/(-0.12) = 2.370485390.
        let bc = Lms {
            l: -1.5,
            m: 16.0,
            s: 0.08,
        };
        assert!((bc.sds(20.0) - 2.370485390).abs() < 1e-8);
        for lms in [
            log,
            bc,
            Lms {
                l: 1.0,
                m: 110.67,
                s: 0.047,
            },
        ] {
            for z in [-3.0, -1.880793608, 0.0, 0.5, 1.880793608, 3.0] {
                let x = lms.value_at(z).unwrap();
                assert!((lms.sds(x) - z).abs() < 1e-9, "{lms:?} {z}");
            }
        }
        // 1 + L S z <= 0: no value (L = -1.5, S = 0.08: z >= 8.33).
        assert_eq!(bc.value_at(9.0), None);
        assert!(bc.sds(0.0).is_nan() || bc.sds(0.0).is_infinite());
        assert_eq!(centile(0.0), 50.0);
        assert!((centile(-1.880793608) - 3.0).abs() < 1e-8);
        assert!((centile(1.880793608) - 97.0).abs() < 1e-8);
        assert!((centile(1.6448536269514722) - 95.0).abs() < 1e-10);
        assert!(centile(-40.0) >= 0.0 && centile(40.0) <= 100.0);
    }

    #[test]
    fn sds_by_formula_and_the_l_zero_limit() {
        let sds = |x, l, m, s| Lms { l, m, s }.sds(x);
        assert_eq!(sds(120.0, 0.5, 120.0, 0.3), 0.0);
        assert!((sds(120.0, 0.0, 100.0, 0.2) - (1.2f64).ln() / 0.2).abs() < 1e-12);
        // L near zero is the L = 0 limit, not SDS 0 for every value.
        for l in [1e-300, -1e-300, 1e-17, 5e-324] {
            assert!((sds(120.0, l, 100.0, 0.2) - (1.2f64).ln() / 0.2).abs() < 1e-12);
            let near = Lms {
                l,
                m: 100.0,
                s: 0.2,
            };
            let at = near.value_at(1.2f64.ln() / 0.2).unwrap();
            assert!((at - 120.0).abs() < 1e-9, "{l} {at}");
        }
        // ((150/120)^0.5 - 1) / (0.5 x 0.3) = 0.7868
        assert!((sds(150.0, 0.5, 120.0, 0.3) - 0.786_893).abs() < 1e-5);
        assert!(is_log_limit(0.0) && is_log_limit(-1e-17));
        assert!(!is_log_limit(1e-15) && !is_log_limit(f64::NAN));
    }

    #[test]
    fn the_age_range_is_of_the_first_and_last_rows() {
        let row = |age_years| LmsRow {
            age_years,
            l: 1.0,
            m: 100.0,
            s: 0.05,
        };
        assert_eq!(
            age_range(&[row(2.0), row(3.0), row(20.0)]),
            Some((2.0, 20.0))
        );
        assert_eq!(age_range(&[row(5.0)]), Some((5.0, 5.0)));
        assert_eq!(age_range(&[]), None);
        assert_eq!(
            row(2.0).lms(),
            Lms {
                l: 1.0,
                m: 100.0,
                s: 0.05
            }
        );
    }
}
