//! Body mass index and its SDS on a BMI-for-age reference, with the status
//! of the CDC 2022 extended method (not implemented: marked, not invented).

use super::lms::GrowthReference;
use super::measures::positive;
use super::{GrowthError, Measurement};
use crate::lms::centile;
use crate::vocab::Sex;

/// SDS of the 95th centile, Phi^-1(0.95).
pub(crate) const P95_SDS: f64 = 1.644_853_626_951_472_2;

/// Said with a BMI above the 95th centile: the value is not extended.
pub(crate) const BMI_NOT_EXTENDED: &str = "BMI above the 95th centile: CDC uses its 2022 extended \
     BMI-for-age method there, which is not implemented (it needs a per-age dispersion that the \
     CDC 2000 tables do not have); this SDS and centile come from the CDC 2000 LMS curves and \
     are not extended values";

/// A BMI's SDS and centile on a BMI-for-age reference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct BmiSds {
    /// SDS from the LMS curves.
    pub(crate) sds: f64,
    /// Centile (0-100) from the LMS curves.
    pub(crate) centile: f64,
    /// Above the 95th centile.
    pub(crate) above_95th: bool,
    /// Whether the CDC 2022 extended method was applied: always `false`.
    pub(crate) extended: bool,
    /// [`BMI_NOT_EXTENDED`] when above the 95th centile.
    pub(crate) note: Option<&'static str>,
}

/// Body mass index, kg/m2, from weight (kg) and height (cm).
pub(crate) fn bmi(weight_kg: f64, height_cm: f64) -> Result<f64, GrowthError> {
    let weight = positive(weight_kg, "a weight (kg)")?;
    let metres = positive(height_cm, "a height (cm)")? / 100.0;
    let value = weight / (metres * metres);
    if value.is_finite() {
        Ok(value)
    } else {
        Err(GrowthError::InvalidValue {
            what: "a height (cm)",
            value: height_cm,
            allowed: "large enough to give a finite BMI",
        })
    }
}

/// SDS and centile of a BMI on a BMI-for-age reference; above the 95th
/// centile the result carries `extended: false` and [`BMI_NOT_EXTENDED`].
pub(crate) fn bmi_sds(
    reference: &GrowthReference,
    sex: Sex,
    age_years: f64,
    bmi: f64,
) -> Result<BmiSds, GrowthError> {
    if reference.info.measurement != Measurement::Bmi {
        return Err(GrowthError::WrongMeasurement {
            reference: reference.info.name.clone(),
            expected: Measurement::Bmi,
            found: reference.info.measurement,
        });
    }
    let sds = reference.sds(sex, age_years, bmi)?;
    let above_95th = sds > P95_SDS;
    Ok(BmiSds {
        sds,
        centile: centile(sds),
        above_95th,
        extended: false,
        note: above_95th.then_some(BMI_NOT_EXTENDED),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::growth::Builtin;

    #[test]
    fn bmi_and_its_not_extended_marker() {
        // 30 kg, 130 cm: 30 / 1.3^2 = 17.751479.
        assert!((bmi(30.0, 130.0).unwrap() - 17.751479).abs() < 1e-6);
        for (w, h) in [(0.0, 130.0), (30.0, 0.0), (f64::NAN, 130.0), (30.0, 1e-200)] {
            assert!(bmi(w, h).is_err(), "{w} {h}");
        }
        let cdc = Builtin::CdcBmi.reference().unwrap();
        let usual = bmi_sds(cdc, Sex::Male, 10.0, 17.0).unwrap();
        assert!(!usual.above_95th && !usual.extended && usual.note.is_none());
        let high = bmi_sds(cdc, Sex::Male, 10.0, 30.0).unwrap();
        assert!(high.above_95th && !high.extended, "{high:?}");
        assert_eq!(high.note, Some(BMI_NOT_EXTENDED));
        assert!(high.centile > 95.0 && high.centile < 100.0);
        let height = Builtin::CdcHeight.reference().unwrap();
        assert!(bmi_sds(height, Sex::Male, 10.0, 17.0).is_err());
        assert!(bmi_sds(cdc, Sex::Male, 1.5, 17.0).is_err());
    }
}
