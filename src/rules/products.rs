//! The product table (`data/products.toml`): molecules, schedules, label
//! ranges per indication and region, presentations and their increments.
//! Validated like the rule file, and cross-checked against it (every label
//! names a known indication; source ids do not collide).

use super::{
    Bounds, Cite, Cited, Cx, Origin, Percent, R, RuleSet, SdsStep, Source, bounds, cited,
    compile_sources, intensity, is_kebab, mass, percent, sha256_hex,
};
use crate::dosing::types::{Grams, Micrograms, NgPerKg};
use crate::error::RulesError;
use std::collections::BTreeSet;
use toml::Spanned;

/// The built-in product table, embedded in the binary.
pub const BUILT_IN_PRODUCTS: &str = include_str!("../../data/products.toml");

mod schema {
    use super::super::schema::{ClosedRangeRow, RangeRow, SourceRow};
    use serde::Deserialize;
    use toml::Spanned;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct ProductFile {
        pub schema_version: Spanned<u32>,
        pub kind: Spanned<String>,
        pub name: String,
        pub version: String,
        pub sources: Vec<SourceRow>,
        pub products: Vec<ProductRow>,
        #[serde(default)]
        pub adult_weekly: Vec<AdultWeeklyRow>,
        #[serde(default)]
        pub weight_bands: Vec<BandTableRow>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct ProductRow {
        pub id: Spanned<String>,
        pub name: String,
        pub maker: String,
        pub molecule: Spanned<String>,
        pub schedule: Spanned<String>,
        pub injections_per_week: Spanned<Vec<u8>>,
        pub max_injections_per_dose: Option<Spanned<u8>>,
        pub igf1_sample_days: Option<Spanned<DaysRow>>,
        pub igf1_strength_steps: Option<Spanned<Vec<StrengthStepRow>>>,
        pub reduce_percent_above_sds: Option<Spanned<ReduceRow>>,
        pub note: Option<String>,
        pub adult_refusal: Option<String>,
        pub sources: Spanned<Vec<String>>,
        pub grade: Spanned<String>,
        pub labels: Vec<Spanned<LabelRow>>,
        pub devices: Vec<Spanned<DeviceRow>>,
    }

    #[derive(Debug, Deserialize, Clone, Copy)]
    #[serde(deny_unknown_fields)]
    pub struct DaysRow {
        pub min: u32,
        pub max: u32,
    }

    #[derive(Debug, Deserialize, Clone, Copy)]
    #[serde(deny_unknown_fields)]
    pub struct StrengthStepRow {
        pub sds_above: f64,
        pub steps: i32,
    }

    #[derive(Debug, Deserialize, Clone, Copy)]
    #[serde(deny_unknown_fields)]
    pub struct ReduceRow {
        pub sds: f64,
        pub percent: f64,
    }

    #[derive(Debug, Deserialize, Clone, Copy)]
    #[serde(deny_unknown_fields)]
    pub struct WeeklyStepUpRow {
        pub sds_below: f64,
        pub mg_per_week: f64,
    }

    #[derive(Debug, Deserialize, Clone, Copy)]
    #[serde(deny_unknown_fields)]
    pub struct WeeklyStepDownRow {
        pub sds_above: f64,
        pub mg_per_week: f64,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct LabelRow {
        pub indication: Spanned<String>,
        pub region: Spanned<String>,
        pub mg_per_kg_week: Option<RangeRow>,
        pub mg_per_kg_day: Option<RangeRow>,
        pub mg_per_day: Option<ClosedRangeRow>,
        pub adult_weekly: Option<String>,
        pub weight_bands: Option<String>,
        pub min_age_years: Option<f64>,
        pub max_age_years: Option<f64>,
        pub sources: Spanned<Vec<String>>,
        pub grade: Spanned<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct DeviceRow {
        pub id: Spanned<String>,
        pub name: String,
        pub kind: String,
        pub strength_mg: f64,
        pub volume_ml: Option<f64>,
        pub dose_volume_ml: Option<f64>,
        pub increment_mg: Option<f64>,
        pub min_dose_mg: Option<f64>,
        pub max_dose_mg: Option<f64>,
        pub sources: Spanned<Vec<String>>,
        pub grade: Spanned<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct AdultWeeklyRow {
        pub id: Spanned<String>,
        pub start_mg_per_week: Spanned<f64>,
        pub older_than_years: f64,
        pub older_start_mg_per_week: Spanned<f64>,
        pub oral_estrogen_start_mg_per_week: Spanned<f64>,
        pub switch_start_mg_per_week: Option<Spanned<f64>>,
        pub switch_older_start_mg_per_week: Option<Spanned<f64>>,
        pub switch_oral_estrogen_start_mg_per_week: Option<Spanned<f64>>,
        pub hepatic_moderate_start_mg_per_week: Spanned<f64>,
        pub hepatic_moderate_max_mg_per_week: Spanned<f64>,
        pub hepatic_severe: Spanned<String>,
        pub max_mg_per_week: Spanned<f64>,
        pub target_sds: Spanned<ClosedRangeRow>,
        pub step_up: Spanned<Vec<WeeklyStepUpRow>>,
        pub step_up_max_older_mg_per_week: Spanned<f64>,
        pub step_down: Spanned<Vec<WeeklyStepDownRow>>,
        pub min_weeks_between_increases: u32,
        pub review_after_change: Spanned<String>,
        pub sources: Spanned<Vec<String>>,
        pub grade: Spanned<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct BandTableRow {
        pub id: Spanned<String>,
        pub sources: Spanned<Vec<String>>,
        pub grade: Spanned<String>,
        pub bands: Spanned<Vec<BandRow>>,
    }

    #[derive(Debug, Deserialize, Clone, Copy)]
    #[serde(deny_unknown_fields)]
    pub struct BandRow {
        pub from_kg: f64,
        pub to_kg: f64,
        pub mg_per_week: f64,
        pub cartridges: u8,
    }
}

crate::dosing::types::named_enum!(
    /// Active molecule: doses of different molecules are never converted mg-for-mg.
    Molecule {
        Somatropin => "somatropin",
        Somapacitan => "somapacitan",
        Lonapegsomatropin => "lonapegsomatropin",
        Somatrogon => "somatrogon",
    }
);

crate::dosing::types::named_enum!(
    /// How often the product is injected.
    Schedule { Daily => "daily", Weekly => "weekly" }
);

crate::dosing::types::named_enum!(
    /// Which regulator's label a row comes from.
    Region { Us => "US", Eu => "EU" }
);

// The enum comes from a macro with a fixed derive list, so this cannot be derived.
#[allow(clippy::derivable_impls)]
impl Default for Region {
    fn default() -> Self {
        Region::Us
    }
}

crate::dosing::types::named_enum!(
    /// A presentation's kind. Pens are chosen automatically; other kinds only
    /// when no pen can deliver the dose, or with `--device`.
    DeviceKind { Pen => "pen", SingleDose => "single-dose", Vial => "vial" }
);

/// One row of a weight-band table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    pub from: Grams,
    pub to: Grams,
    pub per_week: Micrograms,
    pub cartridges: u8,
}

/// A weight-band table (Skytrofa).
#[derive(Debug, Clone, PartialEq)]
pub struct BandTable {
    pub id: String,
    pub bands: Vec<Band>,
    pub cited: Cited,
}

impl BandTable {
    /// The band a weight falls in: from its `from` up to the next band's
    /// `from`; the last band ends at its `to`.
    pub fn band(&self, weight: Grams) -> Option<&Band> {
        let i = self.bands.iter().rposition(|b| weight >= b.from)?;
        let band = &self.bands[i];
        if i + 1 == self.bands.len() && weight > band.to {
            return None;
        }
        Some(band)
    }
}

/// Adult weekly starts (Sogroya).
#[derive(Debug, Clone, PartialEq)]
pub struct AdultWeekly {
    pub id: String,
    pub start: Micrograms,
    /// Patients older than this start at `older_start`.
    pub older_than_years: f64,
    pub older_start: Micrograms,
    pub oral_estrogen_start: Micrograms,
    pub switch_start: Option<Micrograms>,
    pub switch_older_start: Option<Micrograms>,
    pub switch_oral_estrogen_start: Option<Micrograms>,
    pub hepatic_moderate_start: Micrograms,
    pub hepatic_moderate_max: Micrograms,
    pub max: Micrograms,
    /// IGF-1 SDS target band.
    pub target: Bounds,
    /// Ordered by increasing SDS: the first whose `sds` the value is below.
    pub step_up: Vec<SdsStep>,
    pub step_up_max_older: Micrograms,
    /// Ordered by decreasing SDS: the first whose `sds` the value is above.
    pub step_down: Vec<SdsStep>,
    pub min_weeks_between_increases: u32,
    /// Review id (in the rule file) after a dose change.
    pub review_after_change: String,
    pub cited: Cited,
}

/// A whole-strength move by IGF-1 SDS (Skytrofa EU table).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StrengthStep {
    pub sds_above: f64,
    pub steps: i32,
}

/// A percentage reduction above an IGF-1 SDS (Ngenla EU).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reduce {
    pub sds: f64,
    pub percent: Percent,
}

/// How a label doses an indication.
#[derive(Debug, Clone, PartialEq)]
pub enum LabelDosing {
    /// mg/kg/week; `bands` when the label rounds by a weight-band table.
    WeightBased {
        min: Option<NgPerKg>,
        max: NgPerKg,
        bands: Option<BandTable>,
    },
    /// mg/day (adults on daily somatropin).
    Daily { min: Micrograms, max: Micrograms },
    /// Adult weekly starts.
    AdultWeekly(AdultWeekly),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub indication: String,
    pub region: Region,
    pub dosing: LabelDosing,
    pub min_age_years: Option<f64>,
    pub max_age_years: Option<f64>,
    pub cited: Cited,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Device {
    pub id: String,
    pub name: String,
    pub kind: DeviceKind,
    pub strength: Micrograms,
    /// Volume of the whole presentation (for mL per dose).
    pub volume_ml: Option<f64>,
    /// Fixed volume per dose (single-dose syringes).
    pub dose_volume_ml: Option<f64>,
    /// Dose step; `None` when no source states it.
    pub increment: Option<Micrograms>,
    pub min_dose: Option<Micrograms>,
    pub max_dose: Option<Micrograms>,
    pub cited: Cited,
}

impl Device {
    /// The largest dose one injection from this device can give.
    pub fn max_one_injection(&self) -> Micrograms {
        self.max_dose.unwrap_or(self.strength).min(self.strength)
    }

    /// mL for a dose, when the concentration is known.
    pub fn volume_for(&self, dose: Micrograms) -> Option<f64> {
        if let Some(v) = self.dose_volume_ml {
            return Some(v);
        }
        let v = self.volume_ml?;
        Some(v * dose.0 as f64 / self.strength.0 as f64)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Product {
    pub id: String,
    pub name: String,
    pub maker: String,
    pub molecule: Molecule,
    pub schedule: Schedule,
    pub injections_per_week: Vec<u8>,
    pub max_injections_per_dose: u8,
    /// Days after the injection when IGF-1 may be drawn (weekly products).
    pub igf1_sample_days: Option<(u32, u32)>,
    /// Ordered by decreasing `sds_above`; the last covers everything below.
    pub igf1_strength_steps: Vec<StrengthStep>,
    pub reduce_above_sds: Option<Reduce>,
    pub note: Option<String>,
    pub adult_refusal: Option<String>,
    pub labels: Vec<Label>,
    pub devices: Vec<Device>,
    pub cited: Cited,
}

impl Product {
    /// The label row for an indication in a region.
    pub fn label(&self, indication: &str, region: Region) -> Option<&Label> {
        self.labels
            .iter()
            .find(|l| l.indication == indication && l.region == region)
    }

    /// The presentation with this id.
    pub fn device(&self, id: &str) -> Option<&Device> {
        self.devices.iter().find(|d| d.id == id)
    }

    /// Indications the product is labelled for in any region, in label order.
    pub fn indications(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for l in &self.labels {
            if !out.contains(&l.indication.as_str()) {
                out.push(&l.indication);
            }
        }
        out
    }
}

/// A validated product table.
#[derive(Debug, Clone)]
pub struct ProductSet {
    pub origin: Origin,
    pub sources: Vec<Source>,
    pub products: Vec<Product>,
}

impl ProductSet {
    /// The built-in product table, checked against the given rules.
    pub fn built_in(rules: &RuleSet) -> Result<ProductSet, RulesError> {
        ProductSet::parse(BUILT_IN_PRODUCTS, "built-in products", rules)
    }

    /// Parses and validates product-table text against a rule set.
    pub fn parse(text: &str, path: &str, rules: &RuleSet) -> Result<ProductSet, RulesError> {
        let cx = Cx { text, path };
        let file: schema::ProductFile = toml::from_str(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            cx.err(&span, e.message().trim_end().replace('\n', " "))
        })?;
        compile(&cx, file, rules)
    }

    /// The product with this id.
    pub fn product(&self, id: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.id == id)
    }

    /// The source with this id.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }
}

fn compile(cx: &Cx, file: schema::ProductFile, rules: &RuleSet) -> R<ProductSet> {
    if *file.schema_version.get_ref() != super::SCHEMA_VERSION {
        return Err(cx.err(
            &file.schema_version.span(),
            format!(
                "schema_version {} is not supported",
                file.schema_version.get_ref()
            ),
        ));
    }
    if file.kind.get_ref() != "products" {
        return Err(cx.err(&file.kind.span(), "kind must be \"products\""));
    }
    let sources = compile_sources(cx, &file.sources)?;
    for s in &file.sources {
        if rules.sources.iter().any(|r| r.id == *s.id.get_ref()) {
            return Err(cx.err(
                &s.id.span(),
                format!(
                    "source id '{}' is already used by the rule file",
                    s.id.get_ref()
                ),
            ));
        }
    }
    let ids: BTreeSet<&str> = sources.iter().map(|s| s.id.as_str()).collect();
    let cite: &Cite = &|s: &Spanned<Vec<String>>, g: &Spanned<String>| cited(cx, s, g, &ids);

    let mut weekly: Vec<AdultWeekly> = Vec::new();
    for row in &file.adult_weekly {
        let m = |v: &Spanned<f64>, what: &str| mass(cx, *v.get_ref(), &v.span(), what);
        let opt = |v: &Option<Spanned<f64>>, what: &str| -> R<Option<Micrograms>> {
            v.as_ref().map(|v| m(v, what)).transpose()
        };
        if row.hepatic_severe.get_ref() != "not-recommended" {
            return Err(cx.err(
                &row.hepatic_severe.span(),
                "hepatic_severe must be \"not-recommended\"",
            ));
        }
        let aw = AdultWeekly {
            id: row.id.get_ref().clone(),
            start: m(&row.start_mg_per_week, "start_mg_per_week")?,
            older_than_years: row.older_than_years,
            older_start: m(&row.older_start_mg_per_week, "older_start_mg_per_week")?,
            oral_estrogen_start: m(
                &row.oral_estrogen_start_mg_per_week,
                "oral_estrogen_start_mg_per_week",
            )?,
            switch_start: opt(&row.switch_start_mg_per_week, "switch_start_mg_per_week")?,
            switch_older_start: opt(
                &row.switch_older_start_mg_per_week,
                "switch_older_start_mg_per_week",
            )?,
            switch_oral_estrogen_start: opt(
                &row.switch_oral_estrogen_start_mg_per_week,
                "switch_oral_estrogen_start_mg_per_week",
            )?,
            hepatic_moderate_start: m(
                &row.hepatic_moderate_start_mg_per_week,
                "hepatic_moderate_start_mg_per_week",
            )?,
            hepatic_moderate_max: m(
                &row.hepatic_moderate_max_mg_per_week,
                "hepatic_moderate_max_mg_per_week",
            )?,
            max: m(&row.max_mg_per_week, "max_mg_per_week")?,
            target: bounds(cx, &row.target_sds, "target_sds")?,
            step_up: steps(cx, &row.step_up, |r| (r.sds_below, r.mg_per_week), true)?,
            step_up_max_older: m(
                &row.step_up_max_older_mg_per_week,
                "step_up_max_older_mg_per_week",
            )?,
            step_down: steps(cx, &row.step_down, |r| (r.sds_above, r.mg_per_week), false)?,
            min_weeks_between_increases: row.min_weeks_between_increases,
            review_after_change: match rules.review(row.review_after_change.get_ref()) {
                Some(r) => r.id.clone(),
                None => {
                    return Err(cx.err(
                        &row.review_after_change.span(),
                        format!(
                            "unknown review '{}' (reviews live in the rule file)",
                            row.review_after_change.get_ref()
                        ),
                    ));
                }
            },
            cited: cite(&row.sources, &row.grade)?,
        };
        let starts = [
            aw.start,
            aw.older_start,
            aw.oral_estrogen_start,
            aw.hepatic_moderate_start,
        ]
        .into_iter()
        .chain(aw.switch_start)
        .chain(aw.switch_older_start)
        .chain(aw.switch_oral_estrogen_start);
        for s in starts {
            if s > aw.max {
                return Err(cx.err(
                    &row.max_mg_per_week.span(),
                    format!("a start ({s} mg) exceeds max_mg_per_week"),
                ));
            }
        }
        if aw.hepatic_moderate_start > aw.hepatic_moderate_max || aw.hepatic_moderate_max > aw.max {
            return Err(cx.err(
                &row.hepatic_moderate_max_mg_per_week.span(),
                "hepatic_moderate_max_mg_per_week must lie between its start and max_mg_per_week",
            ));
        }
        weekly.push(aw);
    }

    let mut tables: Vec<BandTable> = Vec::new();
    for row in &file.weight_bands {
        let bands_s = &row.bands;
        let mut bands = Vec::new();
        for b in bands_s.get_ref() {
            let per_week = mass(cx, b.mg_per_week, &bands_s.span(), "bands.mg_per_week")?;
            if !(b.from_kg.is_finite()
                && b.to_kg.is_finite()
                && b.from_kg > 0.0
                && b.from_kg <= b.to_kg)
            {
                return Err(cx.err(
                    &bands_s.span(),
                    format!(
                        "band {}-{} kg: from_kg must be positive and not above to_kg",
                        b.from_kg, b.to_kg
                    ),
                ));
            }
            if b.cartridges == 0 || b.cartridges > 4 {
                return Err(cx.err(&bands_s.span(), "bands.cartridges must be 1 to 4"));
            }
            if per_week.0 % i64::from(b.cartridges) != 0 {
                return Err(cx.err(
                    &bands_s.span(),
                    format!(
                        "{} mg cannot be split into {} equal cartridges",
                        per_week, b.cartridges
                    ),
                ));
            }
            bands.push(Band {
                from: Grams::from_kg(b.from_kg),
                to: Grams::from_kg(b.to_kg),
                per_week,
                cartridges: b.cartridges,
            });
        }
        if bands.is_empty()
            || bands
                .windows(2)
                .any(|w| w[0].to >= w[1].from || w[0].per_week > w[1].per_week)
        {
            return Err(cx.err(
                &bands_s.span(),
                "bands must be non-empty, ordered, non-overlapping and non-decreasing in dose",
            ));
        }
        tables.push(BandTable {
            id: row.id.get_ref().clone(),
            bands,
            cited: cite(&row.sources, &row.grade)?,
        });
    }

    let mut products: Vec<Product> = Vec::new();
    for row in &file.products {
        let id = row.id.get_ref();
        if !is_kebab(id) {
            return Err(cx.err(
                &row.id.span(),
                format!("product id '{id}' must be lower-case kebab-case"),
            ));
        }
        if products.iter().any(|p| &p.id == id) {
            return Err(cx.err(&row.id.span(), format!("duplicate product id '{id}'")));
        }
        let molecule: Molecule = row
            .molecule
            .get_ref()
            .parse()
            .map_err(|e: String| cx.err(&row.molecule.span(), format!("molecule: {e}")))?;
        let schedule: Schedule = row
            .schedule
            .get_ref()
            .parse()
            .map_err(|e: String| cx.err(&row.schedule.span(), format!("schedule: {e}")))?;
        let inj = row.injections_per_week.get_ref().clone();
        let inj_ok = match schedule {
            Schedule::Daily => !inj.is_empty() && inj.iter().all(|n| (1..=7).contains(n)),
            Schedule::Weekly => inj == [1],
        };
        if !inj_ok {
            return Err(cx.err(
                &row.injections_per_week.span(),
                "injections_per_week: daily products list numbers from 1 to 7; weekly products [1]",
            ));
        }
        let max_per_dose = match &row.max_injections_per_dose {
            None => 1,
            Some(v) if (1..=4).contains(v.get_ref()) => *v.get_ref(),
            Some(v) => return Err(cx.err(&v.span(), "max_injections_per_dose must be 1 to 4")),
        };

        let mut labels: Vec<Label> = Vec::new();
        for l in &row.labels {
            let lr = l.get_ref();
            let ind = rules.indication(lr.indication.get_ref()).ok_or_else(|| {
                cx.err(
                    &lr.indication.span(),
                    format!(
                        "unknown indication '{}' (the rule file defines: {})",
                        lr.indication.get_ref(),
                        rule_ids(rules)
                    ),
                )
            })?;
            let region: Region = lr
                .region
                .get_ref()
                .parse()
                .map_err(|e: String| cx.err(&lr.region.span(), format!("region: {e}")))?;
            if labels
                .iter()
                .any(|x| x.indication == ind.id && x.region == region)
            {
                return Err(cx.err(
                    &l.span(),
                    format!("duplicate label for {} in {region}", ind.id),
                ));
            }
            let dosing = label_dosing(cx, &l.span(), lr, &weekly, &tables)?;
            let adult = ind.population == crate::dosing::types::Population::Adult;
            let fits = matches!(
                (&dosing, adult, schedule),
                (LabelDosing::WeightBased { .. }, false, _)
                    | (LabelDosing::Daily { .. }, true, Schedule::Daily)
                    | (LabelDosing::AdultWeekly(_), true, Schedule::Weekly)
            );
            if !fits {
                return Err(cx.err(
                    &l.span(),
                    format!("label for {}: pediatric indications need mg/kg; adults need mg_per_day (daily) or adult_weekly (weekly)", ind.id),
                ));
            }
            for a in [lr.min_age_years, lr.max_age_years].into_iter().flatten() {
                if !(0.0..=120.0).contains(&a) {
                    return Err(cx.err(&l.span(), "label ages must be between 0 and 120"));
                }
            }
            labels.push(Label {
                indication: ind.id.clone(),
                region,
                dosing,
                min_age_years: lr.min_age_years,
                max_age_years: lr.max_age_years,
                cited: cite(&lr.sources, &lr.grade)?,
            });
        }

        let mut devices: Vec<Device> = Vec::new();
        for d in &row.devices {
            let dr = d.get_ref();
            if devices.iter().any(|x| x.id == *dr.id.get_ref()) {
                return Err(cx.err(
                    &dr.id.span(),
                    format!("duplicate device id '{}'", dr.id.get_ref()),
                ));
            }
            let span = d.span();
            let kind: DeviceKind = dr
                .kind
                .parse()
                .map_err(|e: String| cx.err(&span, format!("device kind '{}': {e}", dr.kind)))?;
            let opt_mass =
                |v: Option<f64>, what: &str| v.map(|x| mass(cx, x, &span, what)).transpose();
            let device = Device {
                id: dr.id.get_ref().clone(),
                name: dr.name.clone(),
                kind,
                strength: mass(cx, dr.strength_mg, &span, "strength_mg")?,
                volume_ml: positive(cx, dr.volume_ml, &span, "volume_ml")?,
                dose_volume_ml: positive(cx, dr.dose_volume_ml, &span, "dose_volume_ml")?,
                increment: opt_mass(dr.increment_mg, "increment_mg")?,
                min_dose: opt_mass(dr.min_dose_mg, "min_dose_mg")?,
                max_dose: opt_mass(dr.max_dose_mg, "max_dose_mg")?,
                cited: cite(&dr.sources, &dr.grade)?,
            };
            if let (Some(lo), Some(hi)) = (device.min_dose, device.max_dose)
                && lo > hi
            {
                return Err(cx.err(
                    &span,
                    format!("device {}: min_dose_mg exceeds max_dose_mg", device.id),
                ));
            }
            if device.max_dose.is_some_and(|m| m > device.strength) {
                return Err(cx.err(
                    &span,
                    format!("device {}: max_dose_mg exceeds strength_mg", device.id),
                ));
            }
            devices.push(device);
        }
        if devices.is_empty() {
            return Err(cx.err(
                &row.id.span(),
                format!("product '{id}' needs at least one device"),
            ));
        }

        let igf1_sample_days = match &row.igf1_sample_days {
            None => None,
            Some(d) if d.get_ref().min <= d.get_ref().max && d.get_ref().max <= 7 => {
                Some((d.get_ref().min, d.get_ref().max))
            }
            Some(d) => {
                return Err(cx.err(
                    &d.span(),
                    "igf1_sample_days: min must not exceed max, and max must be at most 7",
                ));
            }
        };
        let igf1_strength_steps = match &row.igf1_strength_steps {
            None => Vec::new(),
            Some(v) => {
                let list: Vec<StrengthStep> = v
                    .get_ref()
                    .iter()
                    .map(|r| StrengthStep {
                        sds_above: r.sds_above,
                        steps: r.steps,
                    })
                    .collect();
                if list.is_empty()
                    || list
                        .windows(2)
                        .any(|w| w[0].sds_above <= w[1].sds_above || w[0].steps > w[1].steps)
                {
                    return Err(cx.err(&v.span(), "igf1_strength_steps must be ordered by decreasing sds_above with non-decreasing steps"));
                }
                list
            }
        };
        let reduce_above_sds = match &row.reduce_percent_above_sds {
            None => None,
            Some(r) => Some(Reduce {
                sds: r.get_ref().sds,
                percent: percent(
                    cx,
                    &Spanned::new(r.span(), r.get_ref().percent),
                    "reduce_percent_above_sds.percent",
                )?,
            }),
        };
        products.push(Product {
            id: id.clone(),
            name: row.name.clone(),
            maker: row.maker.clone(),
            molecule,
            schedule,
            injections_per_week: inj,
            max_injections_per_dose: max_per_dose,
            igf1_sample_days,
            igf1_strength_steps,
            reduce_above_sds,
            note: row.note.clone(),
            adult_refusal: row.adult_refusal.clone(),
            labels,
            devices,
            cited: cite(&row.sources, &row.grade)?,
        });
    }
    if products.is_empty() {
        return Err(cx.err(&(0..0), "the product table defines no products"));
    }
    Ok(ProductSet {
        origin: Origin {
            source: cx.path.to_string(),
            version: file.version.clone(),
            name: file.name.clone(),
            sha256: sha256_hex(cx.text.as_bytes()),
        },
        sources,
        products,
    })
}

/// SDS-keyed weekly steps, ordered (increasing for steps up, decreasing for steps down).
fn steps<T: Copy>(
    cx: &Cx,
    rows: &Spanned<Vec<T>>,
    get: impl Fn(&T) -> (f64, f64),
    increasing: bool,
) -> R<Vec<SdsStep>> {
    let list = rows
        .get_ref()
        .iter()
        .map(|r| {
            let (sds, mg) = get(r);
            Ok(SdsStep {
                sds,
                step: mass(cx, mg, &rows.span(), "mg_per_week")?,
            })
        })
        .collect::<R<Vec<_>>>()?;
    let ordered = list.windows(2).all(|w| {
        if increasing {
            w[0].sds < w[1].sds
        } else {
            w[0].sds > w[1].sds
        }
    });
    if list.is_empty() || !ordered {
        return Err(cx.err(&rows.span(), "steps must be non-empty and ordered by SDS"));
    }
    Ok(list)
}

fn rule_ids(rules: &RuleSet) -> String {
    rules
        .indications
        .iter()
        .map(|i| i.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn positive(cx: &Cx, v: Option<f64>, span: &std::ops::Range<usize>, what: &str) -> R<Option<f64>> {
    match v {
        Some(x) if !(x.is_finite() && x > 0.0) => {
            Err(cx.err(span, format!("{what} must be a positive number")))
        }
        other => Ok(other),
    }
}

fn label_dosing(
    cx: &Cx,
    span: &std::ops::Range<usize>,
    l: &schema::LabelRow,
    weekly: &[AdultWeekly],
    tables: &[BandTable],
) -> R<LabelDosing> {
    let given = [
        l.mg_per_kg_week.is_some(),
        l.mg_per_kg_day.is_some(),
        l.mg_per_day.is_some(),
        l.adult_weekly.is_some(),
    ]
    .iter()
    .filter(|x| **x)
    .count();
    if given != 1 {
        return Err(cx.err(
            span,
            "a label needs exactly one of mg_per_kg_week, mg_per_kg_day, mg_per_day or adult_weekly",
        ));
    }
    let per_kg =
        |r: &super::schema::RangeRow, days: i64| -> R<LabelDosing> {
            let conv =
                |x: f64, what: &str| intensity(cx, x, span, what).map(|n| NgPerKg(n.0 * days));
            let min = r.min.map(|m| conv(m, "min")).transpose()?;
            let max = conv(r.max, "max")?;
            if min.is_some_and(|m| m > max) {
                return Err(cx.err(span, format!("label range: min exceeds max ({max})")));
            }
            let bands =
                match &l.weight_bands {
                    None => None,
                    Some(id) => Some(tables.iter().find(|t| &t.id == id).cloned().ok_or_else(
                        || cx.err(span, format!("unknown weight_bands table '{id}'")),
                    )?),
                };
            Ok(LabelDosing::WeightBased { min, max, bands })
        };
    if let Some(r) = &l.mg_per_kg_week {
        return per_kg(r, 1);
    }
    if let Some(r) = &l.mg_per_kg_day {
        return per_kg(r, 7);
    }
    if l.weight_bands.is_some() {
        return Err(cx.err(span, "weight_bands needs mg_per_kg_week"));
    }
    if let Some(r) = &l.mg_per_day {
        let min = mass(cx, r.min, span, "mg_per_day.min")?;
        let max = mass(cx, r.max, span, "mg_per_day.max")?;
        if min > max {
            return Err(cx.err(span, format!("mg_per_day: min ({min}) exceeds max ({max})")));
        }
        return Ok(LabelDosing::Daily { min, max });
    }
    let id = l.adult_weekly.as_deref().unwrap_or_default();
    weekly
        .iter()
        .find(|w| w.id == id)
        .cloned()
        .map(LabelDosing::AdultWeekly)
        .ok_or_else(|| cx.err(span, format!("unknown adult_weekly table '{id}'")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> ProductSet {
        ProductSet::built_in(&RuleSet::built_in().unwrap()).unwrap()
    }

    fn with(from: &str, to: &str) -> Result<ProductSet, RulesError> {
        assert!(
            BUILT_IN_PRODUCTS.contains(from),
            "fixture not found: {from}"
        );
        let rules = RuleSet::built_in().unwrap();
        ProductSet::parse(&BUILT_IN_PRODUCTS.replacen(from, to, 1), "p.toml", &rules)
    }

    #[test]
    fn built_in_products_load() {
        let s = set();
        let ids: Vec<&str> = s.products.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "genotropin",
                "humatrope",
                "norditropin",
                "nutropin-aq",
                "omnitrope",
                "saizen",
                "zomacton",
                "sogroya",
                "skytrofa",
                "ngenla"
            ]
        );
        let nord = s.product("norditropin").unwrap();
        // EU Turner 0.045-0.067 mg/kg/day = 0.315-0.469 mg/kg/week
        let Some(Label {
            dosing: LabelDosing::WeightBased { min, max, .. },
            ..
        }) = nord.label("turner", Region::Eu)
        else {
            panic!("no EU Turner label");
        };
        assert_eq!((*min, *max), (Some(NgPerKg(315_000)), NgPerKg(469_000)));
        assert_eq!(
            nord.device("flexpro-5").unwrap().increment,
            Some(Micrograms(25))
        );
        assert_eq!(nord.device("flexpro-30").unwrap().increment, None);
    }

    #[test]
    fn skytrofa_bands_cover_every_edge() {
        let s = set();
        let sky = s.product("skytrofa").unwrap();
        let Some(LabelDosing::WeightBased { bands: Some(t), .. }) =
            sky.label("ghd", Region::Us).map(|l| &l.dosing)
        else {
            panic!("no band table");
        };
        let dose = |kg: f64| {
            t.band(Grams::from_kg(kg))
                .map(|b| (b.per_week.0, b.cartridges))
        };
        assert_eq!(dose(11.49), None);
        assert_eq!(dose(11.5), Some((3000, 1)));
        assert_eq!(dose(13.9), Some((3000, 1)));
        assert_eq!(dose(13.95), Some((3000, 1)));
        assert_eq!(dose(14.0), Some((3600, 1)));
        assert_eq!(dose(60.4), Some((13_300, 1)));
        assert_eq!(dose(60.5), Some((15_200, 2)));
        assert_eq!(dose(100.0), Some((22_000, 2)));
        assert_eq!(dose(100.01), None);
    }

    #[test]
    fn product_errors_have_positions() {
        let cases = [
            (
                "indication = \"ghd\", region = \"US\", mg_per_kg_week = { min = 0.16, max = 0.24 }",
                "indication = \"gdh\", region = \"US\", mg_per_kg_week = { min = 0.16, max = 0.24 }",
                "unknown indication 'gdh'",
            ),
            (
                "mg_per_kg_week = { min = 0.17, max = 0.24 }",
                "mg_per_kg_week = { min = 0.27, max = 0.24 }",
                "min exceeds max",
            ),
            (
                "region = \"EU\", mg_per_kg_day = { min = 0.025",
                "region = \"FR\", mg_per_kg_day = { min = 0.025",
                "region",
            ),
            (
                "increment_mg = 0.025, sources",
                "increment_mg = 0.0251, sources",
                "at most 3 decimals",
            ),
            (
                "{ from_kg = 14.0, to_kg = 16.4",
                "{ from_kg = 13.0, to_kg = 16.4",
                "non-overlapping",
            ),
            (
                "molecule = \"somatrogon\"",
                "molecule = \"somatrogen\"",
                "molecule",
            ),
            ("kind = \"products\"", "kind = \"rules\"", "kind must be"),
            (
                "id = \"genotropin-us-pi\"",
                "id = \"pes-2016\"",
                "already used by the rule file",
            ),
            (
                "max_dose_mg = 30.0",
                "max_dose_mg = 70.0",
                "exceeds strength_mg",
            ),
        ];
        for (from, to, want) in cases {
            let e = with(from, to).unwrap_err();
            assert!(e.message.contains(want), "{to}: {e}");
            assert_eq!(e.path, "p.toml");
            assert!(e.line > 1);
        }
    }
}
