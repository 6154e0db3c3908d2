//! Rule tables: the built-in TOML, loading, validation with `file:line:col`
//! errors, and the content hash that identifies the rules behind an output.
//!
//! A rule file is parsed into [`schema::RuleFile`] (unknown keys are errors),
//! then compiled into a [`RuleSet`]: every reference resolved, every range
//! checked, every dose converted to whole micrograms or nanograms per kg.

pub mod products;
pub mod reference;
pub mod schema;

use crate::dosing::types::{FlagCode, Grade, Micrograms, NgPerKg, Population, Severity};
use crate::error::RulesError;
use schema::{ClosedRangeRow, OffsetRow, RangeRow, RuleFile};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::Arc;
use toml::Spanned;

/// The built-in rule file, embedded in the binary.
pub const BUILT_IN: &str = include_str!("../../data/indications.toml");

/// The only rule-file schema version this build understands.
pub const SCHEMA_VERSION: u32 = 1;

/// Where a rule set came from and which exact bytes it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// `built-in` or the path given with `--rules`.
    pub source: String,
    /// The file's own `version`.
    pub version: String,
    /// The file's `name`.
    pub name: String,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
}

/// A cited source.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub id: String,
    pub citation: String,
    pub url: Option<String>,
    pub grade: Grade,
}

/// Source ids and grade of one rule row.
#[derive(Debug, Clone, PartialEq)]
pub struct Cited {
    pub sources: Vec<String>,
    pub grade: Grade,
}

/// An inclusive range of plain numbers (input limits, SDS bands).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub min: f64,
    pub max: f64,
}

impl Bounds {
    /// Whether `x` lies inside the range (ends included).
    pub fn contains(&self, x: f64) -> bool {
        x >= self.min && x <= self.max
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Conventions {
    pub milli_iu_per_mg: i64,
    pub days_per_year: f64,
    pub default_injections_per_week: u8,
    pub allowed_injections_per_week: Vec<u8>,
    pub adult_age_years: f64,
    pub adult_obesity_bmi_at_least: f64,
    pub cited: Cited,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    pub weight_kg: Bounds,
    pub height_cm: Bounds,
    pub age_years: Bounds,
    pub bmi: Bounds,
    pub height_sds: Bounds,
    pub igf1_sds: Bounds,
    pub igf1_ng_ml: Bounds,
    pub igf1_lambda: Bounds,
    pub dose_mg: Bounds,
}

/// An age band with a plausible range of a measurement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AgeBand {
    pub age_below: f64,
    pub range: Bounds,
}

/// Advisory limits: outside them an input is unusual, not impossible.
#[derive(Debug, Clone, PartialEq)]
pub struct Plausibility {
    pub igf1_sds_beyond: f64,
    pub weight_change_percent: f64,
    pub weight_for_age: Vec<AgeBand>,
    pub height_for_age: Vec<AgeBand>,
    pub cited: Cited,
}

impl Plausibility {
    fn band(bands: &[AgeBand], age: f64) -> Option<&AgeBand> {
        bands.iter().find(|b| age < b.age_below)
    }

    /// The usual weight range at an age.
    pub fn weight_at(&self, age: f64) -> Option<Bounds> {
        Plausibility::band(&self.weight_for_age, age).map(|b| b.range)
    }

    /// The usual height range at an age.
    pub fn height_at(&self, age: f64) -> Option<Bounds> {
        Plausibility::band(&self.height_for_age, age).map(|b| b.range)
    }
}

/// IGF-1 unit conversion and range quantiles.
#[derive(Debug, Clone, PartialEq)]
pub struct Igf1Conventions {
    pub ng_per_ml_per_nmol_per_l: f64,
    pub central_95_quantile: f64,
    pub two_sd_quantile: f64,
    pub cited: Cited,
}

/// An offset from the as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offset {
    Days(u32),
    Weeks(u32),
    Months(u32),
}

impl Offset {
    /// Approximate length in days, for ordering checks only.
    fn approx_days(self) -> f64 {
        match self {
            Offset::Days(d) => f64::from(d),
            Offset::Weeks(w) => f64::from(w) * 7.0,
            Offset::Months(m) => f64::from(m) * 30.44,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub id: String,
    pub earliest: Offset,
    pub latest: Offset,
    pub what: Vec<String>,
    pub cited: Cited,
}

/// A weight-based start that replaces the default when its condition holds.
#[derive(Debug, Clone, PartialEq)]
pub struct StartOverride {
    pub intensity: NgPerKg,
    pub height_sds_below: Option<f64>,
    pub pubertal: Option<bool>,
    pub reason: String,
    pub cited: Cited,
}

/// A regional per-day cap reported as a flag (not applied to the dose).
#[derive(Debug, Clone, PartialEq)]
pub struct DailyCap {
    pub per_day: Micrograms,
    pub region: String,
    pub cited: Cited,
}

/// Weight-based (pediatric) dosing of an indication, per week.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightBased {
    pub min: Option<NgPerKg>,
    pub max: NgPerKg,
    pub start: NgPerKg,
    pub ceiling: NgPerKg,
    pub ceiling_note: Option<String>,
    pub overrides: Vec<StartOverride>,
    pub daily_cap: Option<DailyCap>,
}

/// Conditions of which any one selects an adult group.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct WhenAny {
    pub age_years_at_least: Option<f64>,
    pub diabetes: bool,
    pub obesity: bool,
}

/// One adult dosing group, in mg/day.
#[derive(Debug, Clone, PartialEq)]
pub struct AdultGroup {
    pub id: String,
    pub name: String,
    pub when_any: Option<WhenAny>,
    pub min_per_day: Micrograms,
    pub max_per_day: Micrograms,
    pub start_per_day: Micrograms,
    pub cited: Cited,
}

/// How an indication is dosed.
#[derive(Debug, Clone, PartialEq)]
pub enum Regimen {
    /// mg/kg/week, divided into daily injections.
    WeightBased(WeightBased),
    /// mg/day by group; the last group is the default.
    FixedDaily(Vec<AdultGroup>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Indication {
    pub id: String,
    pub name: String,
    pub population: Population,
    pub regimen: Regimen,
    pub glucose_monitoring: bool,
    pub pws_checks: bool,
    pub renal_transplant_block: bool,
    pub review: String,
    pub note: Option<String>,
    pub cited: Cited,
}

/// What an adult on oral estrogen starts at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OralEstrogenStart {
    /// The group's maximum.
    GroupMax,
    /// The group's usual start (no adjustment; the flag still shows).
    GroupStart,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OralEstrogen {
    pub start: OralEstrogenStart,
    pub cited: Cited,
}

/// A flag's severity, message and source.
#[derive(Debug, Clone, PartialEq)]
pub struct FlagDef {
    pub severity: Severity,
    pub message: String,
    pub source: String,
}

/// A validated rule set, ready for the engine.
#[derive(Debug)]
pub struct RuleSet {
    pub origin: Origin,
    pub conventions: Conventions,
    pub limits: Limits,
    pub sources: Vec<Source>,
    pub reviews: Vec<Review>,
    pub indications: Vec<Indication>,
    pub oral_estrogen: OralEstrogen,
    pub plausibility: Plausibility,
    pub igf1: Igf1Conventions,
    /// Titration tables.
    pub titration: Titration,
    pub flags: BTreeMap<FlagCode, FlagDef>,
    /// The product table, when one is attached ([`RuleSet::with_products`]).
    pub products: Option<products::ProductSet>,
    /// Sources and flags serialized once, for fast output.
    raw: RawCache,
}

/// Pre-serialized JSON of every source and flag.
#[derive(Debug, Default)]
struct RawCache {
    sources: std::collections::HashMap<String, Arc<RawValue>>,
    flags: BTreeMap<FlagCode, Arc<RawValue>>,
}

impl RuleSet {
    /// The built-in rules with the built-in product table.
    pub fn built_in() -> Result<RuleSet, RulesError> {
        RuleSet::parse(BUILT_IN, "built-in")?
            .with_products(products::BUILT_IN_PRODUCTS, "built-in products")
    }

    /// Attaches a product table, validated against these rules.
    pub fn with_products(mut self, text: &str, path: &str) -> Result<RuleSet, RulesError> {
        let set = products::ProductSet::parse(text, path, &self)?;
        for s in &set.sources {
            if let Some(raw) = raw_json(&source_ref(s)) {
                self.raw.sources.insert(s.id.clone(), raw);
            }
        }
        self.products = Some(set);
        Ok(self)
    }

    /// The cached JSON of a source.
    pub fn raw_source(&self, id: &str) -> Option<Arc<RawValue>> {
        self.raw.sources.get(id).cloned()
    }

    /// The cached JSON of a flag.
    pub fn raw_flag(&self, code: FlagCode) -> Option<Arc<RawValue>> {
        self.raw.flags.get(&code).cloned()
    }

    /// The product with this id, when a product table is attached.
    pub fn product(&self, id: &str) -> Option<&products::Product> {
        self.products.as_ref().and_then(|p| p.product(id))
    }

    /// Parses and validates rule-file text; `path` names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<RuleSet, RulesError> {
        let cx = Cx { text, path };
        let file: RuleFile = toml::from_str(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            cx.err(&span, e.message().trim_end().replace('\n', " "))
        })?;
        compile(&cx, file)
    }

    /// The indication with this id.
    pub fn indication(&self, id: &str) -> Option<&Indication> {
        self.indications.iter().find(|i| i.id == id)
    }

    /// The review schedule with this id (validated to exist).
    pub fn review(&self, id: &str) -> Option<&Review> {
        self.reviews.iter().find(|r| r.id == id)
    }

    /// The source with this id, in the rule file or the product table.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources
            .iter()
            .find(|s| s.id == id)
            .or_else(|| self.products.as_ref().and_then(|p| p.source(id)))
    }

    /// The definition of a flag (validated to exist for every code).
    pub fn flag(&self, code: FlagCode) -> Option<&FlagDef> {
        self.flags.get(&code)
    }
}

/// A source as it appears in outputs.
fn source_ref(s: &Source) -> crate::dosing::SourceRef {
    crate::dosing::SourceRef {
        id: s.id.clone(),
        citation: s.citation.clone(),
        url: s.url.clone(),
        grade: s.grade,
        raw: None,
    }
}

/// JSON of a value, kept verbatim for later output.
fn raw_json<T: serde::Serialize>(v: &T) -> Option<Arc<RawValue>> {
    serde_json::to_string(v)
        .ok()
        .and_then(|s| RawValue::from_string(s).ok())
        .map(Arc::from)
}

/// Hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Error context: the text (for positions) and the name of the file.
struct Cx<'a> {
    text: &'a str,
    path: &'a str,
}

impl Cx<'_> {
    fn err(&self, span: &Range<usize>, message: impl Into<String>) -> RulesError {
        let (line, col) = line_col(self.text, span.start);
        RulesError {
            path: self.path.to_string(),
            line,
            col,
            message: message.into(),
        }
    }
}

/// 1-based line and character column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

type R<T> = Result<T, RulesError>;

/// Resolves a row's source ids and grade.
type Cite<'a> = dyn Fn(&Spanned<Vec<String>>, &Spanned<String>) -> R<Cited> + 'a;

fn compile(cx: &Cx, file: RuleFile) -> R<RuleSet> {
    if *file.schema_version.get_ref() != SCHEMA_VERSION {
        return Err(cx.err(
            &file.schema_version.span(),
            format!(
                "schema_version {} is not supported (this gh-dose reads version {SCHEMA_VERSION})",
                file.schema_version.get_ref()
            ),
        ));
    }

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

    let mut reviews = Vec::new();
    for row in &file.reviews {
        if reviews.iter().any(|r: &Review| r.id == *row.id.get_ref()) {
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
    let review_ids: BTreeSet<String> = reviews.iter().map(|r| r.id.clone()).collect();
    let check_review = |s: &Spanned<String>| -> R<String> {
        if review_ids.contains(s.get_ref()) {
            Ok(s.get_ref().clone())
        } else {
            Err(cx.err(
                &s.span(),
                format!(
                    "unknown review '{}' (defined: {})",
                    s.get_ref(),
                    review_ids.iter().cloned().collect::<Vec<_>>().join(", ")
                ),
            ))
        }
    };

    let mut indications: Vec<Indication> = Vec::new();
    for row in &file.indications {
        let id = row.id.get_ref();
        if !is_kebab(id) {
            return Err(cx.err(
                &row.id.span(),
                format!("indication id '{id}' must be lower-case kebab-case"),
            ));
        }
        if indications.iter().any(|i| &i.id == id) {
            return Err(cx.err(&row.id.span(), format!("duplicate indication id '{id}'")));
        }
        let population: Population = row
            .population
            .get_ref()
            .parse()
            .map_err(|e: String| cx.err(&row.population.span(), format!("population: {e}")))?;
        let regimen = match population {
            Population::Pediatric => Regimen::WeightBased(compile_weight_based(cx, row, &cite)?),
            Population::Adult => Regimen::FixedDaily(compile_groups(cx, row, &cite)?),
        };
        indications.push(Indication {
            id: id.clone(),
            name: row.name.clone(),
            population,
            regimen,
            glucose_monitoring: row.glucose_monitoring,
            pws_checks: row.pws_checks,
            renal_transplant_block: row.renal_transplant_block,
            review: check_review(&row.review)?,
            note: row.note.clone(),
            cited: cite(&row.sources, &row.grade)?,
        });
    }
    if indications.is_empty() {
        return Err(cx.err(&(0..0), "the rule file defines no indications"));
    }

    let oral_estrogen = OralEstrogen {
        start: match file.adult_oral_estrogen.start.get_ref().as_str() {
            "group-max" => OralEstrogenStart::GroupMax,
            "group-start" => OralEstrogenStart::GroupStart,
            other => {
                return Err(cx.err(
                    &file.adult_oral_estrogen.start.span(),
                    format!(
                        "adult_oral_estrogen.start '{other}': expected group-max or group-start"
                    ),
                ));
            }
        },
        cited: cite(
            &file.adult_oral_estrogen.sources,
            &file.adult_oral_estrogen.grade,
        )?,
    };

    let titration = compile_titration(cx, &file.titration, &cite, &check_review)?;
    let plausibility = compile_plausibility(cx, &file.plausibility, &cite)?;
    let igf1 = compile_igf1(cx, &file.igf1, &cite)?;

    let mut flags = BTreeMap::new();
    for (key, row) in &file.flags {
        let code: FlagCode = key
            .parse()
            .map_err(|_| cx.err(&row.span(), format!("unknown flag code '{key}'")))?;
        let def = row.get_ref();
        let severity: Severity = def.severity.parse().map_err(|e: String| {
            cx.err(
                &row.span(),
                format!("flag {key} severity '{}': {e}", def.severity),
            )
        })?;
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

    Ok(RuleSet {
        origin: Origin {
            source: cx.path.to_string(),
            version: file.version.clone(),
            name: file.name.clone(),
            sha256: sha256_hex(cx.text.as_bytes()),
        },
        conventions,
        limits,
        reviews,
        indications,
        oral_estrogen,
        plausibility,
        igf1,
        titration,
        raw: RawCache {
            sources: sources
                .iter()
                .filter_map(|s| raw_json(&source_ref(s)).map(|r| (s.id.clone(), r)))
                .collect(),
            flags: flags
                .iter()
                .filter_map(|(code, def)| {
                    let flag = crate::dosing::Flag {
                        code: *code,
                        severity: def.severity,
                        message: def.message.clone(),
                        source: def.source.clone(),
                        raw: None,
                    };
                    raw_json(&flag).map(|r| (*code, r))
                })
                .collect(),
        },
        sources,
        flags,
        products: None,
    })
}

fn compile_sources(cx: &Cx, rows: &[schema::SourceRow]) -> R<Vec<Source>> {
    let mut out: Vec<Source> = Vec::new();
    for row in rows {
        let id = row.id.get_ref();
        if id.trim().is_empty() {
            return Err(cx.err(&row.id.span(), "source id is empty"));
        }
        if out.iter().any(|s| &s.id == id) {
            return Err(cx.err(&row.id.span(), format!("duplicate source id '{id}'")));
        }
        out.push(Source {
            id: id.clone(),
            citation: row.citation.clone(),
            url: row.url.clone(),
            grade: grade(cx, &row.grade)?,
        });
    }
    Ok(out)
}

fn grade(cx: &Cx, g: &Spanned<String>) -> R<Grade> {
    g.get_ref()
        .parse()
        .map_err(|e: String| cx.err(&g.span(), format!("grade '{}': {e}", g.get_ref())))
}

fn cited(
    cx: &Cx,
    sources: &Spanned<Vec<String>>,
    g: &Spanned<String>,
    ids: &BTreeSet<&str>,
) -> R<Cited> {
    if sources.get_ref().is_empty() {
        return Err(cx.err(&sources.span(), "every rule row needs at least one source"));
    }
    for s in sources.get_ref() {
        if !ids.contains(s.as_str()) {
            return Err(cx.err(
                &sources.span(),
                format!("unknown source '{s}' (add it to [[sources]])"),
            ));
        }
    }
    Ok(Cited {
        sources: sources.get_ref().clone(),
        grade: grade(cx, g)?,
    })
}

fn compile_conventions(cx: &Cx, c: &schema::Conventions, cited: Cited) -> R<Conventions> {
    let iu = *c.iu_per_mg.get_ref();
    let milli_iu_per_mg = Micrograms::from_mg(iu)
        .filter(|m| m.0 > 0)
        .ok_or_else(|| {
            cx.err(
                &c.iu_per_mg.span(),
                "iu_per_mg must be positive with at most 3 decimals",
            )
        })?
        .0;
    let days = *c.days_per_year.get_ref();
    if !(360.0..=370.0).contains(&days) {
        return Err(cx.err(
            &c.days_per_year.span(),
            "days_per_year must be between 360 and 370",
        ));
    }
    let allowed = c.allowed_injections_per_week.get_ref().clone();
    if allowed.is_empty() || allowed.iter().any(|n| !(1..=7).contains(n)) {
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
    let adult = *c.adult_age_years.get_ref();
    if !(10.0..=30.0).contains(&adult) {
        return Err(cx.err(
            &c.adult_age_years.span(),
            "adult_age_years must be between 10 and 30",
        ));
    }
    let bmi = *c.adult_obesity_bmi_at_least.get_ref();
    if !(15.0..=60.0).contains(&bmi) {
        return Err(cx.err(
            &c.adult_obesity_bmi_at_least.span(),
            "adult_obesity_bmi_at_least must be between 15 and 60",
        ));
    }
    Ok(Conventions {
        adult_obesity_bmi_at_least: bmi,
        milli_iu_per_mg,
        days_per_year: days,
        default_injections_per_week: default,
        allowed_injections_per_week: allowed,
        adult_age_years: adult,
        cited,
    })
}

fn bounds(cx: &Cx, r: &Spanned<ClosedRangeRow>, what: &str) -> R<Bounds> {
    let v = r.get_ref();
    if !v.min.is_finite() || !v.max.is_finite() {
        return Err(cx.err(
            &r.span(),
            format!("{what}: min and max must be finite numbers"),
        ));
    }
    if v.min > v.max {
        return Err(cx.err(
            &r.span(),
            format!("{what}: min ({}) exceeds max ({})", v.min, v.max),
        ));
    }
    Ok(Bounds {
        min: v.min,
        max: v.max,
    })
}

fn compile_limits(cx: &Cx, l: &schema::Limits) -> R<Limits> {
    let positive = |r: &Spanned<ClosedRangeRow>, what: &str| -> R<Bounds> {
        let b = bounds(cx, r, what)?;
        if b.min < 0.0 {
            return Err(cx.err(&r.span(), format!("{what}: min must not be negative")));
        }
        Ok(b)
    };
    Ok(Limits {
        weight_kg: positive(&l.weight_kg, "limits.weight_kg")?,
        height_cm: positive(&l.height_cm, "limits.height_cm")?,
        age_years: positive(&l.age_years, "limits.age_years")?,
        bmi: positive(&l.bmi, "limits.bmi")?,
        height_sds: bounds(cx, &l.height_sds, "limits.height_sds")?,
        igf1_sds: bounds(cx, &l.igf1_sds, "limits.igf1_sds")?,
        igf1_ng_ml: positive(&l.igf1_ng_ml, "limits.igf1_ng_ml")?,
        igf1_lambda: bounds(cx, &l.igf1_lambda, "limits.igf1_lambda")?,
        dose_mg: positive(&l.dose_mg, "limits.dose_mg")?,
    })
}

fn offset(cx: &Cx, o: &Spanned<OffsetRow>) -> R<Offset> {
    let v = o.get_ref();
    let set: Vec<Offset> = [
        v.days.map(Offset::Days),
        v.weeks.map(Offset::Weeks),
        v.months.map(Offset::Months),
    ]
    .into_iter()
    .flatten()
    .collect();
    match set.as_slice() {
        [one] if one.approx_days() > 0.0 && one.approx_days() <= 3660.0 => Ok(*one),
        [_] => Err(cx.err(
            &o.span(),
            "review offset must be between 1 day and 10 years",
        )),
        _ => Err(cx.err(
            &o.span(),
            "review offset needs exactly one of days, weeks or months",
        )),
    }
}

/// A positive mg/kg value with at most 6 decimals.
fn intensity(cx: &Cx, v: f64, span: &Range<usize>, what: &str) -> R<NgPerKg> {
    match NgPerKg::from_mg_per_kg(v) {
        Some(n) if n.0 > 0 => Ok(n),
        _ => Err(cx.err(
            span,
            format!("{what} must be a positive mg/kg value with at most 6 decimals (got {v})"),
        )),
    }
}

/// A positive mg value with at most 3 decimals.
fn mass(cx: &Cx, v: f64, span: &Range<usize>, what: &str) -> R<Micrograms> {
    match Micrograms::from_mg(v) {
        Some(m) if m.0 > 0 => Ok(m),
        _ => Err(cx.err(
            span,
            format!("{what} must be a positive mg value with at most 3 decimals (got {v})"),
        )),
    }
}

fn compile_weight_based(cx: &Cx, row: &schema::IndicationRow, cite: &Cite) -> R<WeightBased> {
    let id = row.id.get_ref();
    let need = |what: &str| {
        cx.err(
            &row.id.span(),
            format!("pediatric indication '{id}' needs {what}"),
        )
    };
    if !row.groups.is_empty() {
        return Err(cx.err(
            &row.id.span(),
            format!("pediatric indication '{id}' cannot have adult groups"),
        ));
    }
    let range: &Spanned<RangeRow> = row
        .mg_per_kg_week
        .as_ref()
        .ok_or_else(|| need("mg_per_kg_week"))?;
    let r = range.get_ref();
    let min = match r.min {
        Some(m) => Some(intensity(cx, m, &range.span(), "mg_per_kg_week.min")?),
        None => None,
    };
    let max = intensity(cx, r.max, &range.span(), "mg_per_kg_week.max")?;
    if let Some(min) = min
        && min > max
    {
        return Err(cx.err(
            &range.span(),
            format!("{id} mg_per_kg_week: min ({min}) exceeds max ({max})"),
        ));
    }
    let start_s = row
        .start_mg_per_kg_week
        .as_ref()
        .ok_or_else(|| need("start_mg_per_kg_week"))?;
    let start = intensity(
        cx,
        *start_s.get_ref(),
        &start_s.span(),
        "start_mg_per_kg_week",
    )?;
    if start > max || min.is_some_and(|m| start < m) {
        return Err(cx.err(
            &start_s.span(),
            format!("{id} start_mg_per_kg_week ({start}) lies outside mg_per_kg_week"),
        ));
    }
    let ceiling_s = row
        .ceiling_mg_per_kg_week
        .as_ref()
        .ok_or_else(|| need("ceiling_mg_per_kg_week"))?;
    let ceiling = intensity(
        cx,
        *ceiling_s.get_ref(),
        &ceiling_s.span(),
        "ceiling_mg_per_kg_week",
    )?;
    if ceiling < max {
        return Err(cx.err(
            &ceiling_s.span(),
            format!("{id} ceiling_mg_per_kg_week ({ceiling}) is below mg_per_kg_week.max ({max})"),
        ));
    }
    let mut overrides = Vec::new();
    for o in &row.start_overrides {
        let v = intensity(
            cx,
            *o.mg_per_kg_week.get_ref(),
            &o.mg_per_kg_week.span(),
            "start_overrides.mg_per_kg_week",
        )?;
        if v > max || min.is_some_and(|m| v < m) {
            return Err(cx.err(
                &o.mg_per_kg_week.span(),
                format!("{id} start override ({v}) lies outside mg_per_kg_week"),
            ));
        }
        if o.height_sds_below.is_none() && o.pubertal.is_none() {
            return Err(cx.err(
                &o.mg_per_kg_week.span(),
                "a start override needs a condition (height_sds_below or pubertal)",
            ));
        }
        overrides.push(StartOverride {
            intensity: v,
            height_sds_below: o.height_sds_below,
            pubertal: o.pubertal,
            reason: o.reason.clone(),
            cited: cite(&o.sources, &o.grade)?,
        });
    }
    let daily_cap = match &row.daily_cap {
        None => None,
        Some(cap) => {
            let c = cap.get_ref();
            let per_day = mass(cx, c.mg_per_day, &cap.span(), "daily_cap.mg_per_day")?;
            let sources = Spanned::new(cap.span(), c.sources.clone());
            let grade = Spanned::new(cap.span(), c.grade.clone());
            Some(DailyCap {
                per_day,
                region: c.region.clone(),
                cited: cite(&sources, &grade)?,
            })
        }
    };
    Ok(WeightBased {
        min,
        max,
        start,
        ceiling,
        ceiling_note: row.ceiling_note.clone(),
        overrides,
        daily_cap,
    })
}

fn compile_groups(cx: &Cx, row: &schema::IndicationRow, cite: &Cite) -> R<Vec<AdultGroup>> {
    let id = row.id.get_ref();
    if row.mg_per_kg_week.is_some()
        || row.start_mg_per_kg_week.is_some()
        || row.ceiling_mg_per_kg_week.is_some()
    {
        return Err(cx.err(
            &row.id.span(),
            format!(
                "adult indication '{id}' is dosed in mg/day by group: remove the mg/kg/week keys"
            ),
        ));
    }
    if row.groups.is_empty() {
        return Err(cx.err(
            &row.id.span(),
            format!("adult indication '{id}' needs at least one [[indications.groups]]"),
        ));
    }
    let mut out: Vec<AdultGroup> = Vec::new();
    let last = row.groups.len() - 1;
    for (i, g) in row.groups.iter().enumerate() {
        let gid = g.id.get_ref();
        if out.iter().any(|o| &o.id == gid) {
            return Err(cx.err(
                &g.id.span(),
                format!("duplicate group id '{gid}' in '{id}'"),
            ));
        }
        let when_any = match (&g.when_any, i == last) {
            (Some(w), false) => {
                let v = w.get_ref();
                let when = WhenAny {
                    age_years_at_least: v.age_years_at_least,
                    diabetes: v.diabetes.unwrap_or(false),
                    obesity: v.obesity.unwrap_or(false),
                };
                if when == WhenAny::default() {
                    return Err(cx.err(&w.span(), "when_any must name at least one condition"));
                }
                Some(when)
            }
            (None, true) => None,
            (Some(w), true) => {
                return Err(cx.err(
                    &w.span(),
                    "the last group is the default and cannot have when_any",
                ));
            }
            (None, false) => {
                return Err(cx.err(&g.id.span(), "only the last group may lack when_any"));
            }
        };
        let range = g.mg_per_day.get_ref();
        let min = mass(cx, range.min, &g.mg_per_day.span(), "mg_per_day.min")?;
        let max = mass(cx, range.max, &g.mg_per_day.span(), "mg_per_day.max")?;
        if min > max {
            return Err(cx.err(
                &g.mg_per_day.span(),
                format!("{gid} mg_per_day: min ({min}) exceeds max ({max})"),
            ));
        }
        let start = mass(
            cx,
            *g.start_mg_per_day.get_ref(),
            &g.start_mg_per_day.span(),
            "start_mg_per_day",
        )?;
        if start < min || start > max {
            return Err(cx.err(
                &g.start_mg_per_day.span(),
                format!("{gid} start_mg_per_day ({start}) lies outside mg_per_day"),
            ));
        }
        out.push(AdultGroup {
            id: gid.clone(),
            name: g.name.clone(),
            when_any,
            min_per_day: min,
            max_per_day: max,
            start_per_day: start,
            cited: cite(&g.sources, &g.grade)?,
        });
    }
    Ok(out)
}

/// A percentage reduction, held in basis points (15 % = 1500).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Percent(pub i64);

impl Percent {
    /// `amount` reduced by this percentage, rounded to the microgram.
    pub fn reduce(self, amount: Micrograms) -> Micrograms {
        Micrograms(crate::dosing::types::div_round(
            i128::from(amount.0) * i128::from(10_000 - self.0),
            10_000,
        ) as i64)
    }
}

impl std::fmt::Display for Percent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", crate::dosing::types::fmt_decimal(self.0, 2))
    }
}

/// A step size chosen by how far IGF-1 SDS lies from a bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SdsStep {
    /// SDS below (step up) or above (step down) which the step applies.
    pub sds: f64,
    pub step: Micrograms,
}

/// Adult daily somatropin titration, compiled.
#[derive(Debug, Clone, PartialEq)]
pub struct AdultTitration {
    pub target: Bounds,
    pub ceiling_sds: f64,
    pub low_sds: f64,
    /// Ordered by increasing SDS: the first whose `sds` the value is below.
    pub step_up: Vec<SdsStep>,
    pub step_up_max_older_or_diabetes: Micrograms,
    pub older_age_years: f64,
    /// Ordered by decreasing SDS: the first whose `sds` the value is above.
    pub step_down: Vec<SdsStep>,
    pub step_down_symptoms: Micrograms,
    pub min_per_day: Micrograms,
    pub min_weeks_between_increases: u32,
    pub min_days_after_change_for_igf1: u32,
    pub typical_maintenance_max: Micrograms,
    /// (age at most, cap per kg per day); the last row has no age.
    pub caps: Vec<(Option<f64>, NgPerKg)>,
    pub cap_without_weight: Micrograms,
    pub review_after_change: String,
    pub review_stable: String,
    pub cited: Cited,
}

/// Pediatric daily somatropin titration, compiled.
#[derive(Debug, Clone, PartialEq)]
pub struct PediatricTitration {
    pub ceiling_sds: f64,
    pub reduce_above_ceiling: Percent,
    pub low_sds: f64,
    pub near_final_height_cm_per_year: f64,
    pub poor_first_year_gain_cm_per_year: f64,
    pub first_year_window_years: Bounds,
    pub height_measurement_error_cm: f64,
    pub min_days_after_change_for_igf1: u32,
    pub review: String,
    pub cited: Cited,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Titration {
    pub adult_daily: AdultTitration,
    pub pediatric_daily: PediatricTitration,
}

/// A percentage strictly between 0 and 100 with at most 2 decimals.
fn percent(cx: &Cx, v: &Spanned<f64>, what: &str) -> R<Percent> {
    let x = *v.get_ref();
    match Micrograms::from_mg(x / 10.0) {
        Some(m) if x > 0.0 && x < 100.0 => Ok(Percent(m.0)),
        _ => Err(cx.err(
            &v.span(),
            format!("{what} must be between 0 and 100 with at most 2 decimals (got {x})"),
        )),
    }
}

fn compile_titration(
    cx: &Cx,
    t: &schema::Titration,
    cite: &Cite,
    check_review: &dyn Fn(&Spanned<String>) -> R<String>,
) -> R<Titration> {
    let a = &t.adult_daily;
    let target = bounds(cx, &a.target_sds, "titration.adult_daily.target_sds")?;
    if *a.low_sds.get_ref() >= target.min {
        return Err(cx.err(&a.low_sds.span(), "low_sds must be below target_sds.min"));
    }
    if *a.ceiling_sds.get_ref() < target.max {
        return Err(cx.err(
            &a.ceiling_sds.span(),
            "ceiling_sds must not be below target_sds.max",
        ));
    }
    let ups = a.step_up.get_ref();
    if ups.is_empty() || ups.windows(2).any(|w| w[0].sds_below >= w[1].sds_below) {
        return Err(cx.err(
            &a.step_up.span(),
            "step_up must be non-empty and ordered by increasing sds_below",
        ));
    }
    let step_up = ups
        .iter()
        .map(|s| {
            Ok(SdsStep {
                sds: s.sds_below,
                step: mass(cx, s.mg_per_day, &a.step_up.span(), "step_up.mg_per_day")?,
            })
        })
        .collect::<R<Vec<_>>>()?;
    let downs = a.step_down.get_ref();
    if downs.is_empty() || downs.windows(2).any(|w| w[0].sds_above <= w[1].sds_above) {
        return Err(cx.err(
            &a.step_down.span(),
            "step_down must be non-empty and ordered by decreasing sds_above",
        ));
    }
    let step_down = downs
        .iter()
        .map(|s| {
            Ok(SdsStep {
                sds: s.sds_above,
                step: mass(
                    cx,
                    s.mg_per_day,
                    &a.step_down.span(),
                    "step_down.mg_per_day",
                )?,
            })
        })
        .collect::<R<Vec<_>>>()?;
    let m = |v: &Spanned<f64>, what: &str| mass(cx, *v.get_ref(), &v.span(), what);
    let age = *a.older_age_years.get_ref();
    if !(18.0..=120.0).contains(&age) {
        return Err(cx.err(
            &a.older_age_years.span(),
            "older_age_years must be between 18 and 120",
        ));
    }
    let raw_caps = a.cap_mg_per_kg_day.get_ref();
    match raw_caps.split_last() {
        Some((last, rest))
            if last.age_years_at_most.is_none()
                && rest.iter().all(|c| c.age_years_at_most.is_some()) => {}
        _ => {
            return Err(cx.err(
                &a.cap_mg_per_kg_day.span(),
                "cap_mg_per_kg_day: every row but the last needs age_years_at_most; the last has none",
            ));
        }
    }
    let caps = raw_caps
        .iter()
        .map(|c| {
            Ok((
                c.age_years_at_most,
                intensity(
                    cx,
                    c.mg_per_kg_day,
                    &a.cap_mg_per_kg_day.span(),
                    "cap_mg_per_kg_day.mg_per_kg_day",
                )?,
            ))
        })
        .collect::<R<Vec<_>>>()?;
    if !(1..=52).contains(&a.min_weeks_between_increases)
        || !(1..=60).contains(&a.min_days_after_change_for_igf1)
    {
        return Err(cx.err(
            &a.target_sds.span(),
            "min_weeks_between_increases must be 1-52 and min_days_after_change_for_igf1 1-60",
        ));
    }
    let adult_daily = AdultTitration {
        target,
        ceiling_sds: *a.ceiling_sds.get_ref(),
        low_sds: *a.low_sds.get_ref(),
        step_up,
        step_up_max_older_or_diabetes: m(
            &a.step_up_max_older_or_diabetes_mg_per_day,
            "step_up_max_older_or_diabetes_mg_per_day",
        )?,
        older_age_years: age,
        step_down,
        step_down_symptoms: m(
            &a.step_down_symptoms_mg_per_day,
            "step_down_symptoms_mg_per_day",
        )?,
        min_per_day: m(&a.min_mg_per_day, "min_mg_per_day")?,
        min_weeks_between_increases: a.min_weeks_between_increases,
        min_days_after_change_for_igf1: a.min_days_after_change_for_igf1,
        typical_maintenance_max: m(
            &a.typical_maintenance_max_mg_per_day,
            "typical_maintenance_max_mg_per_day",
        )?,
        caps,
        cap_without_weight: m(
            &a.cap_without_weight_mg_per_day,
            "cap_without_weight_mg_per_day",
        )?,
        review_after_change: check_review(&a.review_after_change)?,
        review_stable: check_review(&a.review_stable)?,
        cited: cite(&a.sources, &a.grade)?,
    };

    let p = &t.pediatric_daily;
    if p.low_sds.get_ref() >= p.ceiling_sds.get_ref() {
        return Err(cx.err(&p.low_sds.span(), "low_sds must be below ceiling_sds"));
    }
    for v in [
        &p.near_final_height_cm_per_year,
        &p.poor_first_year_gain_cm_per_year,
        &p.height_measurement_error_cm,
    ] {
        if !(*v.get_ref() > 0.0 && *v.get_ref() < 30.0) {
            return Err(cx.err(
                &v.span(),
                "growth thresholds must be between 0 and 30 cm (per year)",
            ));
        }
    }
    let window = bounds(cx, &p.first_year_window_years, "first_year_window_years")?;
    if window.min <= 0.0 || window.max > 3.0 {
        return Err(cx.err(
            &p.first_year_window_years.span(),
            "first_year_window_years must lie within 0-3 years",
        ));
    }
    if !(1..=60).contains(&p.min_days_after_change_for_igf1) {
        return Err(cx.err(
            &p.ceiling_sds.span(),
            "min_days_after_change_for_igf1 must be 1-60",
        ));
    }
    let pediatric_daily = PediatricTitration {
        ceiling_sds: *p.ceiling_sds.get_ref(),
        reduce_above_ceiling: percent(
            cx,
            &p.reduce_percent_above_ceiling,
            "reduce_percent_above_ceiling",
        )?,
        low_sds: *p.low_sds.get_ref(),
        near_final_height_cm_per_year: *p.near_final_height_cm_per_year.get_ref(),
        poor_first_year_gain_cm_per_year: *p.poor_first_year_gain_cm_per_year.get_ref(),
        first_year_window_years: window,
        height_measurement_error_cm: *p.height_measurement_error_cm.get_ref(),
        min_days_after_change_for_igf1: p.min_days_after_change_for_igf1,
        review: check_review(&p.review)?,
        cited: cite(&p.sources, &p.grade)?,
    };
    Ok(Titration {
        adult_daily,
        pediatric_daily,
    })
}

fn compile_plausibility(cx: &Cx, p: &schema::PlausibilityRow, cite: &Cite) -> R<Plausibility> {
    fn bands(
        cx: &Cx,
        rows: Vec<(f64, f64, f64)>,
        span: &Range<usize>,
        what: &str,
    ) -> R<Vec<AgeBand>> {
        let list: Vec<AgeBand> = rows
            .into_iter()
            .map(|(age_below, min, max)| AgeBand {
                age_below,
                range: Bounds { min, max },
            })
            .collect();
        let ok = !list.is_empty()
            && list.windows(2).all(|w| w[0].age_below < w[1].age_below)
            && list.iter().all(|b| {
                b.range.min.is_finite()
                    && b.range.max.is_finite()
                    && 0.0 <= b.range.min
                    && b.range.min < b.range.max
            })
            && list.last().is_some_and(|b| b.age_below > 120.0);
        if ok {
            Ok(list)
        } else {
            Err(cx.err(
                span,
                format!(
                    "{what}: bands need increasing age_below (the last above 120) and min below max"
                ),
            ))
        }
    }
    let weight = bands(
        cx,
        p.weight_for_age
            .get_ref()
            .iter()
            .map(|b| (b.age_below, b.min_kg, b.max_kg))
            .collect(),
        &p.weight_for_age.span(),
        "weight_for_age",
    )?;
    let height = bands(
        cx,
        p.height_for_age
            .get_ref()
            .iter()
            .map(|b| (b.age_below, b.min_cm, b.max_cm))
            .collect(),
        &p.height_for_age.span(),
        "height_for_age",
    )?;
    for (v, what) in [
        (&p.igf1_sds_beyond, "igf1_sds_beyond"),
        (&p.weight_change_percent, "weight_change_percent"),
    ] {
        if !(*v.get_ref() > 0.0 && *v.get_ref() <= 100.0) {
            return Err(cx.err(&v.span(), format!("{what} must be between 0 and 100")));
        }
    }
    Ok(Plausibility {
        igf1_sds_beyond: *p.igf1_sds_beyond.get_ref(),
        weight_change_percent: *p.weight_change_percent.get_ref(),
        weight_for_age: weight,
        height_for_age: height,
        cited: cite(&p.sources, &p.grade)?,
    })
}

fn compile_igf1(cx: &Cx, i: &schema::Igf1Row, cite: &Cite) -> R<Igf1Conventions> {
    let check = |v: &Spanned<f64>, lo: f64, hi: f64, what: &str| -> R<f64> {
        let x = *v.get_ref();
        if x.is_finite() && (lo..=hi).contains(&x) {
            Ok(x)
        } else {
            Err(cx.err(
                &v.span(),
                format!("{what} must be between {lo} and {hi} (got {x})"),
            ))
        }
    };
    Ok(Igf1Conventions {
        ng_per_ml_per_nmol_per_l: check(
            &i.ng_per_ml_per_nmol_per_l,
            7.0,
            8.0,
            "ng_per_ml_per_nmol_per_l",
        )?,
        central_95_quantile: check(&i.central_95_quantile, 1.5, 2.5, "central_95_quantile")?,
        two_sd_quantile: check(&i.two_sd_quantile, 1.5, 2.5, "two_sd_quantile")?,
        cited: cite(&i.sources, &i.grade)?,
    })
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built_in() -> RuleSet {
        RuleSet::built_in().unwrap()
    }

    fn with(from: &str, to: &str) -> Result<RuleSet, RulesError> {
        assert!(BUILT_IN.contains(from), "fixture text not found: {from}");
        RuleSet::parse(&BUILT_IN.replacen(from, to, 1), "t.toml")
    }

    #[test]
    fn built_in_rules_load() {
        let r = built_in();
        assert_eq!(r.origin.source, "built-in");
        assert_eq!(r.origin.version, "2026.11");
        assert_eq!(r.origin.sha256.len(), 64);
        let ids: Vec<&str> = r.indications.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "ghd",
                "turner",
                "pws",
                "sga",
                "iss",
                "shox",
                "noonan",
                "ckd",
                "adult-ghd",
                "transition"
            ]
        );
        assert_eq!(r.conventions.milli_iu_per_mg, 3000);
        assert_eq!(r.flags.len(), FlagCode::ALL.len());
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("é\nx", 3), (2, 1));
        assert_eq!(line_col("é", 1), (1, 1));
        assert_eq!(line_col("abc", 99), (1, 4));
    }

    #[test]
    fn min_above_max_is_reported_at_the_range() {
        let e = with(
            "mg_per_kg_week = { min = 0.33, max = 0.45 }",
            "mg_per_kg_week = { min = 0.5, max = 0.45 }",
        )
        .unwrap_err();
        assert_eq!(e.path, "t.toml");
        let line = BUILT_IN
            .lines()
            .position(|l| l.contains("min = 0.33, max = 0.45"))
            .unwrap()
            + 1;
        assert_eq!(e.line, line);
        assert_eq!(e.col, "mg_per_kg_week = ".len() + 1);
        assert!(
            e.message.contains("min (0.5) exceeds max (0.45)"),
            "{}",
            e.message
        );
    }

    #[test]
    fn unknown_keys_are_errors_with_positions() {
        let e = with("start_mg_per_kg_week = 0.33", "start_mg_per_kg_wek = 0.33").unwrap_err();
        assert!(
            e.message.contains("unknown field `start_mg_per_kg_wek`"),
            "{}",
            e.message
        );
        assert!(e.line > 1);
    }

    #[test]
    fn semantic_errors_are_caught() {
        let cases = [
            (
                "schema_version = 1",
                "schema_version = 2",
                "schema_version 2 is not supported",
            ),
            (
                "start_mg_per_kg_week = 0.33",
                "start_mg_per_kg_week = 0.5",
                "lies outside mg_per_kg_week",
            ),
            (
                "ceiling_mg_per_kg_week = 0.47\nceiling_note = \"Norditropin",
                "ceiling_mg_per_kg_week = 0.4\nceiling_note = \"Norditropin",
                "is below mg_per_kg_week.max",
            ),
            (
                "sources = [\"humatrope-us-pi-2\", \"zomacton-us-pi-2\"]",
                "sources = [\"humatrope-us-pi-2\", \"nope\"]",
                "unknown source 'nope'",
            ),
            (
                "grade = \"PG\"\n\n[[reviews]]\nid = \"adult-after-change\"",
                "grade = \"X\"\n\n[[reviews]]\nid = \"adult-after-change\"",
                "grade 'X'",
            ),
            (
                "review = \"pediatric\"\nsources = [\"humatrope-us-pi-2\", \"zomacton-us-pi-2\"]",
                "review = \"pedi\"\nsources = [\"humatrope-us-pi-2\", \"zomacton-us-pi-2\"]",
                "unknown review 'pedi'",
            ),
            (
                "id = \"turner\"",
                "id = \"ghd\"",
                "duplicate indication id 'ghd'",
            ),
            (
                "population = \"pediatric\"",
                "population = \"child\"",
                "population",
            ),
            (
                "mg_per_day = { min = 0.1, max = 0.2 }",
                "mg_per_day = { min = 0.3, max = 0.2 }",
                "min (0.3) exceeds max (0.2)",
            ),
            (
                "start_mg_per_day = 0.1",
                "start_mg_per_day = 0.25",
                "lies outside mg_per_day",
            ),
            (
                "[flags.APPROXIMATE_IGF1_SDS]",
                "[flags.APPROXIMATE_IGF1]",
                "unknown flag code",
            ),
            (
                "severity = \"block\"",
                "severity = \"fatal\"",
                "severity 'fatal'",
            ),
            (
                "earliest = { months = 3 }",
                "earliest = { months = 3, weeks = 2 }",
                "exactly one of days, weeks or months",
            ),
            (
                "earliest = { weeks = 4 }",
                "earliest = { weeks = 40 }",
                "'earliest' is after 'latest'",
            ),
            (
                "iu_per_mg = 3.0",
                "iu_per_mg = -3.0",
                "iu_per_mg must be positive",
            ),
            (
                "default_injections_per_week = 7",
                "default_injections_per_week = 5",
                "must be one of allowed",
            ),
            (
                "weight_kg = { min = 0.5, max = 250.0 }",
                "weight_kg = { min = 250.0, max = 0.5 }",
                "min (250) exceeds max (0.5)",
            ),
            (
                "mg_per_kg_week = 0.47\nheight_sds_below",
                "mg_per_kg_week = 0.4712345\nheight_sds_below",
                "at most 6 decimals",
            ),
            (
                "start = \"group-max\"",
                "start = \"double\"",
                "expected group-max or group-start",
            ),
            (
                "ceiling_sds = 2.0\n# Below this",
                "ceiling_sds = 0.5\n# Below this",
                "ceiling_sds must not be below",
            ),
        ];
        for (from, to, want) in cases {
            let e = with(from, to).unwrap_err();
            assert!(e.message.contains(want), "{from} -> {to}: got {e}");
            assert!(e.line >= 1 && e.col >= 1);
        }
    }

    #[test]
    fn a_missing_flag_definition_is_an_error() {
        // The last table of the file: cut it off.
        let cut = BUILT_IN.find("[flags.APPROXIMATE_IGF1_SDS]").unwrap();
        let text = &BUILT_IN[..cut];
        let e = RuleSet::parse(text, "t.toml").unwrap_err();
        assert!(
            e.message
                .contains("missing flag definitions: APPROXIMATE_IGF1_SDS"),
            "{e}"
        );
    }

    #[test]
    fn syntax_errors_carry_positions() {
        let e = RuleSet::parse("schema_version = 1\nname = \n", "x.toml").unwrap_err();
        assert_eq!((e.path.as_str(), e.line), ("x.toml", 2));
        let e = RuleSet::parse("", "empty.toml").unwrap_err();
        assert!(e.message.contains("missing field"), "{e}");
    }

    #[test]
    fn the_hash_is_of_the_exact_bytes() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let spaced = format!("{BUILT_IN}\n");
        let r = RuleSet::parse(&spaced, "t.toml").unwrap();
        assert_ne!(r.origin.sha256, built_in().origin.sha256);
    }
}
