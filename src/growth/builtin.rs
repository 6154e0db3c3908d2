//! The growth references shipped inside gh-dose (`data/growth/*.toml`),
//! compiled into arrays of LMS rows at build time (`build.rs`) and built
//! once, on first use, without parsing TOML on every run. A test proves
//! that each compiled reference equals the one its TOML text parses to,
//! with every check of the `growth-lms` format; the text stays embedded
//! for that proof and for anyone who reads it.

use super::lms::{GrowthReference, ReferenceInfo};
use crate::diagnostic::FileError;
use crate::lms::LmsRow;
use crate::vocab::named_enum;
use std::sync::OnceLock;

named_enum!(
    /// A built-in growth reference; its name is the file's `id`.
    pub Builtin {
        /// CDC 2000 stature-for-age (standing height), 2-20 years.
        CdcHeight => "cdc2000-height",
        /// CDC 2000 recumbent length-for-age, 0-35.5 months.
        CdcLength => "cdc2000-length",
        /// CDC 2000 weight-for-age, 2-20 years.
        CdcWeight => "cdc2000-weight",
        /// CDC 2000 weight-for-age for infants, 0-36 months.
        CdcWeightInfant => "cdc2000-weight-infant",
        /// CDC 2000 BMI-for-age, 2-20 years (not the 2022 extended method).
        CdcBmi => "cdc2000-bmi",
        /// CDC 2000 head circumference-for-age, 0-36 months.
        CdcHeadCircumference => "cdc2000-head-circumference",
        /// Turner syndrome height-for-age, girls 1-20 years (Lyon 1985).
        TurnerHeight => "turner-lyon1985-height",
    }
);

/// The age from which CDC practice uses standing height and the 2-20 year
/// tables instead of recumbent length and the infant tables.
pub(crate) const CDC_STATURE_FROM_YEARS: f64 = 2.0;

impl Builtin {
    /// The parsed reference (parsed on first use, then shared).
    pub fn reference(self) -> Result<&'static GrowthReference, FileError> {
        static CELLS: [OnceLock<Result<GrowthReference, FileError>>; Builtin::ALL.len()] =
            [const { OnceLock::new() }; Builtin::ALL.len()];
        let position = Builtin::ALL.iter().position(|b| *b == self);
        let Some(cell) = position.and_then(|i| CELLS.get(i)) else {
            return Err(FileError {
                path: format!("built-in {}", self.as_str()),
                line: 1,
                col: 1,
                message: "no such built-in growth reference".into(),
            });
        };
        cell.get_or_init(|| self.compiled())
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The reference from the rows compiled at build time; its rows pass
    /// [`GrowthReference::new`]'s checks as a parsed file's do.
    fn compiled(self) -> Result<GrowthReference, FileError> {
        let path = format!("built-in data/growth/{}.toml", self.as_str());
        let err = |message: String| FileError {
            path: path.clone(),
            line: 1,
            col: 1,
            message,
        };
        let c = COMPILED
            .iter()
            .find(|c| c.id == self.as_str())
            .ok_or_else(|| err("no compiled rows for this reference".into()))?;
        let info = ReferenceInfo {
            id: c.id.to_string(),
            name: c.name.to_string(),
            measurement: c.measurement.parse().map_err(err)?,
            citation: c.citation.to_string(),
            licence: c.licence.to_string(),
            source_file: c.source_file.map(str::to_string),
            source_sha256: c.source_sha256.map(str::to_string),
        };
        GrowthReference::new(info, c.female.to_vec(), c.male.to_vec())
            .map_err(|e| err(e.to_string()))
    }

    /// The embedded TOML text.
    pub fn text(self) -> &'static str {
        match self {
            Builtin::CdcHeight => include_str!("../../data/growth/cdc2000-height.toml"),
            Builtin::CdcLength => include_str!("../../data/growth/cdc2000-length.toml"),
            Builtin::CdcWeight => include_str!("../../data/growth/cdc2000-weight.toml"),
            Builtin::CdcWeightInfant => {
                include_str!("../../data/growth/cdc2000-weight-infant.toml")
            }
            Builtin::CdcBmi => include_str!("../../data/growth/cdc2000-bmi.toml"),
            Builtin::CdcHeadCircumference => {
                include_str!("../../data/growth/cdc2000-head-circumference.toml")
            }
            Builtin::TurnerHeight => include_str!("../../data/growth/turner-lyon1985-height.toml"),
        }
    }

    /// The CDC 2000 height reference for an age, as CDC practice does:
    /// recumbent length under 2 years, standing height from 2 years. The
    /// infant length table ends at 35.5 months, the stature table starts at
    /// 24 months; a child of 2-3 years measured lying down can be scored on
    /// [`Builtin::CdcLength`] explicitly.
    pub(crate) fn cdc_stature(age_years: f64) -> Builtin {
        if age_years < CDC_STATURE_FROM_YEARS {
            Builtin::CdcLength
        } else {
            Builtin::CdcHeight
        }
    }

    /// The CDC 2000 weight reference for an age: the infant table under
    /// 2 years, the 2-20 year table from 2 years.
    pub(crate) fn cdc_weight(age_years: f64) -> Builtin {
        if age_years < CDC_STATURE_FROM_YEARS {
            Builtin::CdcWeightInfant
        } else {
            Builtin::CdcWeight
        }
    }
}

/// A built-in reference as `build.rs` writes it from its TOML file.
struct Compiled {
    id: &'static str,
    name: &'static str,
    measurement: &'static str,
    citation: &'static str,
    licence: &'static str,
    source_file: Option<&'static str>,
    source_sha256: Option<&'static str>,
    female: &'static [LmsRow],
    male: &'static [LmsRow],
}

include!(concat!(env!("OUT_DIR"), "/growth_builtin.rs"));

#[cfg(test)]
mod tests;
