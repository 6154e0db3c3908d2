//! The code tables of `data/fhir.toml`, embedded: ATC per molecule, LOINC
//! codes and their UCUM units, flag severities as DetectedIssue
//! severities, and the Condition codes that name an indication. Parsed once
//! and checked: every row's source is in the register, every unit known.

use serde::Deserialize;
use std::sync::OnceLock;

/// The embedded table's text.
const TEXT: &str = include_str!("../../data/fhir.toml");

/// The file name its errors carry.
pub(crate) const FILE: &str = "data/fhir.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Codes {
    pub(crate) table: Table,
    pub(crate) systems: Systems,
    pub(crate) molecules: Vec<MoleculeRow>,
    pub(crate) observations: Vec<ObservationRow>,
    pub(crate) local_observations: Vec<LocalObservation>,
    pub(crate) units: Vec<UnitRow>,
    pub(crate) severities: Vec<SeverityRow>,
    pub(crate) conditions: Vec<ConditionRow>,
    pub(crate) sources: Vec<Source>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Table {
    pub(crate) name: String,
    pub(crate) version: String,
}

/// The code systems written and read.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Systems {
    pub(crate) flag: String,
    pub(crate) product: String,
    pub(crate) device: String,
    pub(crate) observation: String,
    pub(crate) action: String,
    /// gh-dose indication ids (`gh-dose indications`), read in a
    /// Condition's `code` or an order's `reasonCode`.
    pub(crate) indication: String,
    /// gh-dose condition names (`--condition`), read in a Condition's `code`.
    pub(crate) condition: String,
    pub(crate) rules: String,
    pub(crate) device_extension: String,
    pub(crate) atc: String,
    pub(crate) loinc: String,
    pub(crate) ucum: String,
    pub(crate) snomed: String,
    pub(crate) icd10: String,
    pub(crate) icd10cm: String,
    pub(crate) dose_rate_type: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MoleculeRow {
    pub(crate) molecule: String,
    pub(crate) atc: String,
    pub(crate) display: String,
    pub(crate) source: String,
    pub(crate) grade: String,
}

/// What gh-dose does with an observation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ObsKind {
    Weight,
    Height,
    Igf1,
    Igf1Sds,
    Bmi,
    HeightSds,
    WeightSds,
    BmiSds,
    HeightVelocity,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ObservationRow {
    pub(crate) kind: ObsKind,
    pub(crate) loinc: String,
    pub(crate) display: String,
    pub(crate) units: Vec<String>,
    pub(crate) source: String,
    pub(crate) grade: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LocalObservation {
    pub(crate) kind: ObsKind,
    pub(crate) display: String,
    pub(crate) unit: String,
}

/// What a UCUM unit means to gh-dose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub(crate) enum UnitMeaning {
    #[serde(rename = "kg")]
    Kg,
    #[serde(rename = "g")]
    G,
    #[serde(rename = "lb")]
    Lb,
    #[serde(rename = "cm")]
    Cm,
    #[serde(rename = "in")]
    In,
    #[serde(rename = "ng/mL")]
    NgPerMl,
    #[serde(rename = "nmol/L")]
    NmolPerL,
    #[serde(rename = "kg/m2")]
    KgPerM2,
    #[serde(rename = "sds")]
    Sds,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UnitRow {
    pub(crate) ucum: String,
    pub(crate) means: UnitMeaning,
    pub(crate) source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SeverityRow {
    pub(crate) gh_dose: String,
    pub(crate) fhir: String,
    pub(crate) source: String,
}

/// How a Condition code is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Match {
    Exact,
    Category,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConditionRow {
    /// A key of [`Systems`]: `snomed`, `icd10`, `icd10cm`.
    pub(crate) system: String,
    pub(crate) code: String,
    pub(crate) display: String,
    pub(crate) indication: String,
    #[serde(rename = "match")]
    pub(crate) matching: Match,
    pub(crate) source: String,
    pub(crate) grade: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Source {
    pub(crate) id: String,
    pub(crate) citation: String,
    pub(crate) url: String,
}

impl Codes {
    /// Parses and checks a code table's text.
    pub(crate) fn parse(text: &str) -> Result<Codes, String> {
        let codes: Codes = toml::from_str(text).map_err(|e| {
            let at = e
                .span()
                .map(|s| {
                    let before = &text[..s.start.min(text.len())];
                    let line = before.matches('\n').count() + 1;
                    let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
                    format!(":{line}:{col}")
                })
                .unwrap_or_default();
            format!("{FILE}{at}: {}", e.message())
        })?;
        codes.check()?;
        Ok(codes)
    }

    /// Every row cites a registered source, every grade is T or S, every
    /// unit of an observation is a known unit, every condition's system a
    /// known one, every severity one of FHIR's.
    fn check(&self) -> Result<(), String> {
        let known = |id: &str| self.sources.iter().any(|s| s.id == id);
        let bad = |what: &str, id: &str| Err(format!("{FILE}: {what} cites unknown source '{id}'"));
        let grade_ok = |g: &str| g == "T" || g == "S";
        for s in &self.sources {
            if s.id.is_empty() || s.citation.is_empty() || !s.url.starts_with("http") {
                return Err(format!(
                    "{FILE}: source '{}' needs a citation and an http(s) url",
                    s.id
                ));
            }
        }
        for m in &self.molecules {
            if !known(&m.source) {
                return bad(&m.molecule, &m.source);
            }
            if !grade_ok(&m.grade) {
                return Err(format!("{FILE}: {}: grade must be T or S", m.molecule));
            }
        }
        for o in &self.observations {
            if !known(&o.source) {
                return bad(&o.loinc, &o.source);
            }
            if !grade_ok(&o.grade) {
                return Err(format!("{FILE}: {}: grade must be T or S", o.loinc));
            }
            if o.units.is_empty() {
                return Err(format!("{FILE}: {}: no unit", o.loinc));
            }
            for u in &o.units {
                if self.unit(u).is_none() {
                    return Err(format!(
                        "{FILE}: {}: unit '{u}' is not in [[units]]",
                        o.loinc
                    ));
                }
            }
        }
        for u in &self.units {
            if !known(&u.source) {
                return bad(&u.ucum, &u.source);
            }
        }
        for s in &self.severities {
            if !known(&s.source) {
                return bad(&s.gh_dose, &s.source);
            }
            if !matches!(s.fhir.as_str(), "high" | "moderate" | "low") {
                return Err(format!("{FILE}: severity '{}' is not a FHIR one", s.fhir));
            }
        }
        for c in &self.conditions {
            if !known(&c.source) {
                return bad(&c.code, &c.source);
            }
            if !grade_ok(&c.grade) {
                return Err(format!("{FILE}: {}: grade must be T or S", c.code));
            }
            if c.display.is_empty() {
                return Err(format!("{FILE}: {}: no display", c.code));
            }
            if self.system_uri(&c.system).is_none() {
                return Err(format!("{FILE}: {}: unknown system '{}'", c.code, c.system));
            }
        }
        Ok(())
    }

    /// A condition row's system key as its URI.
    pub(crate) fn system_uri(&self, key: &str) -> Option<&str> {
        match key {
            "snomed" => Some(&self.systems.snomed),
            "icd10" => Some(&self.systems.icd10),
            "icd10cm" => Some(&self.systems.icd10cm),
            _ => None,
        }
    }

    /// What a UCUM code means.
    pub(crate) fn unit(&self, ucum: &str) -> Option<UnitMeaning> {
        self.units.iter().find(|u| u.ucum == ucum).map(|u| u.means)
    }

    /// The ATC row of a molecule.
    pub(crate) fn molecule(&self, molecule: &str) -> Option<&MoleculeRow> {
        self.molecules.iter().find(|m| m.molecule == molecule)
    }

    /// The molecule an ATC code names.
    pub(crate) fn molecule_of_atc(&self, atc: &str) -> Option<&MoleculeRow> {
        self.molecules.iter().find(|m| m.atc == atc)
    }

    /// The observation row of a LOINC code.
    pub(crate) fn loinc(&self, code: &str) -> Option<&ObservationRow> {
        self.observations.iter().find(|o| o.loinc == code)
    }

    /// The first (written) LOINC row of a kind.
    pub(crate) fn loinc_of(&self, kind: ObsKind) -> Option<&ObservationRow> {
        self.observations.iter().find(|o| o.kind == kind)
    }

    /// A gh-dose observation of a kind without a LOINC code.
    pub(crate) fn local(&self, kind: ObsKind) -> Option<&LocalObservation> {
        self.local_observations.iter().find(|o| o.kind == kind)
    }

    /// The DetectedIssue severity of a gh-dose severity.
    pub(crate) fn severity(&self, gh_dose: &str) -> Option<&str> {
        self.severities
            .iter()
            .find(|s| s.gh_dose == gh_dose)
            .map(|s| s.fhir.as_str())
    }

    /// The condition rows a coding matches.
    pub(crate) fn conditions_of(&self, system: &str, code: &str) -> Vec<&ConditionRow> {
        self.conditions
            .iter()
            .filter(|c| self.system_uri(&c.system) == Some(system))
            .filter(|c| match c.matching {
                Match::Exact => c.code == code,
                Match::Category => {
                    code == c.code
                        || code
                            .strip_prefix(c.code.as_str())
                            .is_some_and(|rest| rest.starts_with('.'))
                }
            })
            .collect()
    }
}

/// The built-in table, parsed once.
pub(crate) fn codes() -> Result<&'static Codes, String> {
    static CODES: OnceLock<Result<Codes, String>> = OnceLock::new();
    CODES
        .get_or_init(|| Codes::parse(TEXT))
        .as_ref()
        .map_err(Clone::clone)
}
