//! Rule-file rows to the compiled model: the whole file, then conventions,
//! limits, reviews and flags. Indications live in
//! [`super::compile_indications`], titration tables in
//! [`super::compile_titration`]; the source register and row citations in
//! [`super::cite`], the checked conversions every table uses in
//! [`super::convert`]. Every number has already been checked
//! against its plausibility band ([`crate::bands`]) when these run; they
//! check what the numbers mean together.

use super::cite::{Cite, cited, compile_sources};
use super::compile_indications::compile_indications;
use super::compile_titration::{compile_igf1, compile_plausibility, compile_titration};
use super::convert::{bounds, offset, percent};
use super::file::{self, ClosedRangeRow, RuleFile};
use super::model::{
    Cited, Conventions, FlagDef, Limits, OralEstrogen, OralEstrogenStart, Origin, RestartRule,
    Review,
};
use super::spanned::Spanned;
use super::{RuleSet, SCHEMA_VERSION};
use crate::bands::RULE_FIELDS;
use crate::diagnostic::{Cx, R};
use crate::units::Micrograms;
use crate::vocab::{FlagCode, Severity};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// Resolves a review id named by a row.
pub(crate) type CheckReview<'a> = dyn Fn(&Spanned<String>) -> R<String> + 'a;

/// Compiles a parsed rule file; `reference` (the built-in rules, for any
/// other file) is the rule set whose `block` flags cannot be downgraded.
pub(crate) fn compile(cx: &Cx, file: RuleFile, reference: Option<&RuleSet>) -> R<RuleSet> {
    super::built_in::check_numbers(cx, RULE_FIELDS, super::BUILT_IN)?;
    schema_version(cx, &file.schema_version)?;
    let sources = compile_sources(cx, &file.sources)?;
    let ids: BTreeSet<&str> = sources.iter().map(|s| s.id.as_str()).collect();
    let cite = |s: &Spanned<Vec<String>>, g: &Spanned<String>| cited(cx, s, g, &ids);

    let conventions = compile_conventions(
        cx,
        &file.conventions,
        cite(&file.conventions.sources, &file.conventions.grade)?,
    )?;
    let limits = compile_limits(cx, &file.limits)?;
    cite(&file.limits.sources, &file.limits.grade)?;
    let reviews = compile_reviews(cx, &file.reviews, &cite)?;
    let review_ids: BTreeSet<String> = reviews.iter().map(|r| r.id.clone()).collect();
    let check_review = |s: &Spanned<String>| known_review(cx, s, &review_ids);

    let indications = compile_indications(cx, &file.indications, &cite, &check_review)?;
    let oral_estrogen = compile_oral_estrogen(cx, &file.adult_oral_estrogen, &cite)?;
    let restart = compile_restart(cx, &file.restart_after_safety_stop, &cite, &check_review)?;
    let titration = compile_titration(cx, &file.titration, &cite, &check_review)?;
    let plausibility = compile_plausibility(cx, &file.plausibility, &limits, &cite, &check_review)?;
    let course = super::compile_course::compile_course(cx, &file.course, &limits, &cite)?;
    let igf1 = compile_igf1(&file.igf1, &cite)?;
    let growth = super::compile_growth::compile_growth(cx, &file.growth, &cite, &indications)?;
    let flags = compile_flags(cx, &file.flags, &ids, reference)?;

    Ok(RuleSet {
        origin: Origin {
            source: cx.path.to_string(),
            version: file.version.clone(),
            name: file.name.clone(),
            sha256: super::built_in::sha256(cx.text),
        },
        conventions,
        limits,
        reviews,
        indications,
        oral_estrogen,
        restart,
        plausibility,
        course,
        igf1,
        titration,
        growth,
        sources,
        flags,
        products: None,
        outside_label: Vec::new(),
    })
}

/// Only the schema version this build understands.
pub(crate) fn schema_version(cx: &Cx, v: &Spanned<u32>) -> R<()> {
    if *v.get_ref() == SCHEMA_VERSION {
        return Ok(());
    }
    Err(cx.err(
        &v.span(),
        format!(
            "schema_version {} is not supported (this gh-dose reads version {SCHEMA_VERSION})",
            v.get_ref()
        ),
    ))
}

fn known_review(cx: &Cx, s: &Spanned<String>, ids: &BTreeSet<String>) -> R<String> {
    if ids.contains(s.get_ref()) {
        return Ok(s.get_ref().clone());
    }
    Err(cx.err(
        &s.span(),
        format!(
            "unknown review '{}' (defined: {})",
            s.get_ref(),
            ids.iter().cloned().collect::<Vec<_>>().join(", ")
        ),
    ))
}

fn compile_conventions(cx: &Cx, c: &file::ConventionsRow, cited: Cited) -> R<Conventions> {
    let milli_iu_per_mg = Micrograms::from_mg(*c.iu_per_mg.get_ref())
        .filter(|m| m.0 > 0)
        .ok_or_else(|| {
            cx.err(
                &c.iu_per_mg.span(),
                "iu_per_mg must be positive with at most 3 decimals",
            )
        })?
        .0;
    let allowed = c.allowed_injections_per_week.get_ref().clone();
    if allowed.is_empty() {
        return Err(cx.err(
            &c.allowed_injections_per_week.span(),
            "allowed_injections_per_week must list numbers from 1 to 7",
        ));
    }
    let default = *c.default_injections_per_week.get_ref();
    if !allowed.contains(&default) {
        return Err(cx.err(
            &c.default_injections_per_week.span(),
            "default_injections_per_week must be one of allowed_injections_per_week",
        ));
    }
    Ok(Conventions {
        adult_obesity_bmi_at_least: *c.adult_obesity_bmi_at_least.get_ref(),
        milli_iu_per_mg,
        days_per_year: *c.days_per_year.get_ref(),
        default_injections_per_week: default,
        allowed_injections_per_week: allowed,
        adult_injections_per_week: *c.adult_injections_per_week.get_ref(),
        adult_age_years: *c.adult_age_years.get_ref(),
        pediatric_indication_max_age_years: *c.pediatric_indication_max_age_years.get_ref(),
        benzyl_alcohol_below_years: *c.benzyl_alcohol_below_years.get_ref(),
        cited,
    })
}

fn compile_limits(cx: &Cx, l: &file::Limits) -> R<Limits> {
    let b = |r: &Spanned<ClosedRangeRow>, what: &str| bounds(cx, r, &format!("limits.{what}"));
    Ok(Limits {
        weight_kg: b(&l.weight_kg, "weight_kg")?,
        height_cm: b(&l.height_cm, "height_cm")?,
        age_years: b(&l.age_years, "age_years")?,
        bmi: b(&l.bmi, "bmi")?,
        height_sds: b(&l.height_sds, "height_sds")?,
        igf1_sds: b(&l.igf1_sds, "igf1_sds")?,
        igf1_ng_ml: b(&l.igf1_ng_ml, "igf1_ng_ml")?,
        igf1_lambda: b(&l.igf1_lambda, "igf1_lambda")?,
        dose_mg: b(&l.dose_mg, "dose_mg")?,
        current_adult_mg_per_day: b(&l.current_adult_mg_per_day, "current_adult_mg_per_day")?,
        current_child_mg_per_kg_week: b(
            &l.current_child_mg_per_kg_week,
            "current_child_mg_per_kg_week",
        )?,
        current_weekly_adult_mg_per_week: b(
            &l.current_weekly_adult_mg_per_week,
            "current_weekly_adult_mg_per_week",
        )?,
        height_velocity_cm_per_year: b(
            &l.height_velocity_cm_per_year,
            "height_velocity_cm_per_year",
        )?,
        supply_days: b(&l.supply_days, "supply_days")?,
    })
}

fn compile_reviews(cx: &Cx, rows: &[file::ReviewRow], cite: &Cite) -> R<Vec<Review>> {
    let mut reviews: Vec<Review> = Vec::with_capacity(rows.len());
    let mut seen: HashSet<&str> = HashSet::with_capacity(rows.len());
    for row in rows {
        if !seen.insert(row.id.get_ref()) {
            return Err(cx.err(
                &row.id.span(),
                format!("duplicate review id '{}'", row.id.get_ref()),
            ));
        }
        let earliest = offset(cx, &row.earliest)?;
        let latest = offset(cx, &row.latest)?;
        if earliest.approx_days() > latest.approx_days() {
            return Err(cx.err(&row.earliest.span(), "review 'earliest' is after 'latest'"));
        }
        if row.what.is_empty() {
            return Err(cx.err(&row.id.span(), "review 'what' must name at least one item"));
        }
        reviews.push(Review {
            id: row.id.get_ref().clone(),
            earliest,
            latest,
            what: row.what.clone(),
            cited: cite(&row.sources, &row.grade)?,
        });
    }
    Ok(reviews)
}

fn compile_oral_estrogen(cx: &Cx, row: &file::OralEstrogenRow, cite: &Cite) -> R<OralEstrogen> {
    let start = match row.start.get_ref().as_str() {
        "group-max" => OralEstrogenStart::GroupMax,
        "group-start" => OralEstrogenStart::GroupStart,
        other => {
            return Err(cx.err(
                &row.start.span(),
                format!("adult_oral_estrogen.start '{other}': expected group-max or group-start"),
            ));
        }
    };
    Ok(OralEstrogen {
        start,
        cited: cite(&row.sources, &row.grade)?,
    })
}

fn compile_restart(
    cx: &Cx,
    row: &file::RestartRow,
    cite: &Cite,
    check_review: &dyn Fn(&Spanned<String>) -> R<String>,
) -> R<RestartRule> {
    let mut after = Vec::new();
    for s in &row.after {
        let code: FlagCode = s.get_ref().parse().map_err(|_| {
            cx.err(
                &s.span(),
                format!(
                    "restart_after_safety_stop.after: unknown flag code '{}'",
                    s.get_ref()
                ),
            )
        })?;
        after.push(code);
    }
    Ok(RestartRule {
        after,
        reduce_from_dose_before: percent(
            cx,
            &row.reduce_percent_from_dose_before,
            "restart_after_safety_stop.reduce_percent_from_dose_before",
        )?,
        review: row.review.as_ref().map(check_review).transpose()?,
        cited: cite(&row.sources, &row.grade)?,
    })
}

fn compile_flags(
    cx: &Cx,
    rows: &BTreeMap<String, Spanned<file::FlagRow>>,
    ids: &BTreeSet<&str>,
    reference: Option<&RuleSet>,
) -> R<BTreeMap<FlagCode, FlagDef>> {
    let mut flags = BTreeMap::new();
    for (key, row) in rows {
        let code: FlagCode = key
            .parse()
            .map_err(|_| cx.err(&row.span(), format!("unknown flag code '{key}'")))?;
        let def = row.get_ref();
        let severity_s = &def.severity;
        let severity: Severity = severity_s.get_ref().parse().map_err(|e: String| {
            cx.err(
                &severity_s.span(),
                format!("flag {key} severity '{}': {e}", severity_s.get_ref()),
            )
        })?;
        if severity != Severity::Block
            && reference
                .and_then(|r| r.flag(code))
                .is_some_and(|d| d.severity == Severity::Block)
        {
            return Err(cx.err(
                &severity_s.span(),
                format!(
                    "flag {key} is a block (a contraindication: the dose is withheld) and cannot be downgraded to {severity} by a rule file"
                ),
            ));
        }
        if !ids.contains(def.source.as_str()) {
            return Err(cx.err(
                &row.span(),
                format!("flag {key} cites unknown source '{}'", def.source),
            ));
        }
        if def.message.trim().is_empty() {
            return Err(cx.err(&row.span(), format!("flag {key} has an empty message")));
        }
        flags.insert(
            code,
            FlagDef {
                severity,
                message: def.message.clone(),
                source: def.source.clone(),
            },
        );
    }
    let missing: Vec<&str> = FlagCode::ALL
        .iter()
        .filter(|c| !flags.contains_key(c))
        .map(|c| c.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(cx.err(
            &(0..0),
            format!("missing flag definitions: {}", missing.join(", ")),
        ));
    }
    Ok(flags)
}
