//! The `[growth]` table: the numbers a growth assessment uses (mid-parental
//! target height, the SDS beyond which a measurement is unusual or refused,
//! the disagreement allowed between a typed and a computed height SDS, and
//! the first-year response threshold, per indication).

use super::cite::Cite;
use super::file::GrowthRow;
use super::model::{GrowthRules, Indication};
use crate::diagnostic::{Cx, R};
use std::collections::BTreeMap;

/// Compiles the growth table; indication ids in the per-indication
/// thresholds must be known.
pub(super) fn compile_growth(
    cx: &Cx,
    g: &GrowthRow,
    cite: &Cite,
    indications: &[Indication],
) -> R<GrowthRules> {
    // Each number is inside its physical band (checked at load); here the
    // numbers against each other.
    let positive = |v: &super::spanned::Spanned<f64>, what: &str| -> R<f64> {
        let x = *v.get_ref();
        if x > 0.0 {
            Ok(x)
        } else {
            Err(cx.err(&v.span(), format!("{what} must be above 0 (got {x})")))
        }
    };
    let warn_sds = positive(&g.warn_sds, "warn_sds")?;
    let refuse_sds = positive(&g.refuse_sds, "refuse_sds")?;
    if refuse_sds <= warn_sds {
        return Err(cx.err(&g.refuse_sds.span(), "refuse_sds must be above warn_sds"));
    }
    let mut by_indication = BTreeMap::new();
    for row in &g.poor_first_year_delta_hsds_by_indication {
        let r = row.get_ref();
        if !indications.iter().any(|i| i.id == r.indication) {
            return Err(cx.err(
                &row.span(),
                format!(
                    "poor_first_year_delta_hsds_by_indication: unknown indication '{}'",
                    r.indication
                ),
            ));
        }
        if by_indication
            .insert(r.indication.clone(), r.below)
            .is_some()
        {
            return Err(cx.err(&row.span(), format!("{} is given twice", r.indication)));
        }
    }
    Ok(GrowthRules {
        target_sex_difference_cm: *g.target_sex_difference_cm.get_ref(),
        target_range_cm: *g.target_range_cm.get_ref(),
        target_adult_age_years: *g.target_adult_age_years.get_ref(),
        warn_sds,
        refuse_sds,
        height_sds_disagreement: positive(&g.height_sds_disagreement, "height_sds_disagreement")?,
        obesity_bmi_sds: *g.obesity_bmi_sds.get_ref(),
        severe_obesity_percent_of_p95: *g.severe_obesity_percent_of_p95.get_ref(),
        poor_first_year_delta_hsds: *g.poor_first_year_delta_hsds.get_ref(),
        poor_first_year_delta_hsds_by_indication: by_indication,
        response_baseline_within_days: *g.response_baseline_within_days.get_ref(),
        cited: cite(&g.sources, &g.grade)?,
    })
}
