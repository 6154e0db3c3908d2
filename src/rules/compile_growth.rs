//! The `[growth]` table: the numbers a growth assessment uses (mid-parental
//! target height, the SDS beyond which a measurement is unusual or refused,
//! the disagreement allowed between a typed and a computed height SDS, and
//! the first-year response threshold, per indication).

use super::compile::{Cite, within};
use super::diagnostic::{Cx, R};
use super::file::GrowthRow;
use super::model::{GrowthRules, Indication};
use std::collections::BTreeMap;

/// Compiles the growth table; indication ids in the per-indication
/// thresholds must be known.
pub fn compile_growth(
    cx: &Cx,
    g: &GrowthRow,
    cite: &Cite,
    indications: &[Indication],
) -> R<GrowthRules> {
    let warn_sds = within(cx, &g.warn_sds, 1.0, 10.0, "warn_sds")?;
    let refuse_sds = within(cx, &g.refuse_sds, 1.0, 20.0, "refuse_sds")?;
    if refuse_sds <= warn_sds {
        return Err(cx.err(&g.refuse_sds.span(), "refuse_sds must be above warn_sds"));
    }
    let mut by_indication = BTreeMap::new();
    for (id, v) in &g.poor_first_year_delta_hsds_by_indication {
        if !indications.iter().any(|i| &i.id == id) {
            return Err(cx.err(
                &v.span(),
                format!("poor_first_year_delta_hsds_by_indication: unknown indication '{id}'"),
            ));
        }
        by_indication.insert(
            id.clone(),
            within(cx, v, 0.0, 2.0, "a first-year change in height SDS")?,
        );
    }
    Ok(GrowthRules {
        target_sex_difference_cm: within(
            cx,
            &g.target_sex_difference_cm,
            0.0,
            30.0,
            "target_sex_difference_cm",
        )?,
        target_range_cm: within(cx, &g.target_range_cm, 0.0, 30.0, "target_range_cm")?,
        target_adult_age_years: within(
            cx,
            &g.target_adult_age_years,
            16.0,
            25.0,
            "target_adult_age_years",
        )?,
        warn_sds,
        refuse_sds,
        height_sds_disagreement: within(
            cx,
            &g.height_sds_disagreement,
            0.05,
            5.0,
            "height_sds_disagreement",
        )?,
        obesity_bmi_sds: within(cx, &g.obesity_bmi_sds, 0.0, 4.0, "obesity_bmi_sds")?,
        severe_obesity_percent_of_p95: within(
            cx,
            &g.severe_obesity_percent_of_p95,
            100.0,
            200.0,
            "severe_obesity_percent_of_p95",
        )?,
        poor_first_year_delta_hsds: within(
            cx,
            &g.poor_first_year_delta_hsds,
            0.0,
            2.0,
            "poor_first_year_delta_hsds",
        )?,
        poor_first_year_delta_hsds_by_indication: by_indication,
        response_baseline_within_days: {
            let d = *g.response_baseline_within_days.get_ref();
            if d > 366 {
                return Err(cx.err(
                    &g.response_baseline_within_days.span(),
                    "response_baseline_within_days must be 0-366",
                ));
            }
            d
        },
        cited: cite(&g.sources, &g.grade)?,
    })
}
