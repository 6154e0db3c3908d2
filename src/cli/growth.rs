//! `gh-dose growth`: what was measured, to be scored on growth references.
//! The same patient flags as the dosing commands where they mean the same.

use super::args::{BodyArgs, parse_date, parse_number};
use super::{OutputArgs, TableArgs};
use crate::dosing::{Field, Measured};
use crate::dosing::{GrowthRequest, ReferenceChoice};
use chrono::NaiveDate;
use clap::Args;
use serde::Deserialize;

/// `gh-dose growth`. Also read from JSON (batch lines with `"command": "growth"`).
#[derive(Debug, Args, Deserialize, Default)]
#[serde(default)]
#[command(
    mut_arg("sex", |a| a.help("Sex (the references differ by sex)")),
    mut_arg("height_cm", |a| a.help("Height (or length under 2 years) in cm, measured on the as-of date")),
)]
pub(crate) struct GrowthArgs {
    #[command(flatten)]
    #[serde(flatten)]
    pub(crate) body: BodyArgs,
    /// An earlier height in cm (for height velocity and the change in height SDS).
    #[arg(long, value_name = "CM", allow_negative_numbers = true, value_parser = parse_number, requires = "previous_height_date", help_heading = "Measurements")]
    pub(crate) previous_height_cm: Option<f64>,
    /// The date of the earlier height, YYYY-MM-DD.
    #[arg(long, value_name = "DATE", value_parser = parse_date, requires = "previous_height_cm", help_heading = "Measurements")]
    pub(crate) previous_height_date: Option<NaiveDate>,
    /// Mother's height in cm (target height, with the father's).
    #[arg(long, value_name = "CM", allow_negative_numbers = true, value_parser = parse_number, requires = "father_height_cm", help_heading = "Parents")]
    pub(crate) mother_height_cm: Option<f64>,
    /// Father's height in cm (target height, with the mother's).
    #[arg(long, value_name = "CM", allow_negative_numbers = true, value_parser = parse_number, requires = "mother_height_cm", help_heading = "Parents")]
    pub(crate) father_height_cm: Option<f64>,
    /// Indication id (turner: the Turner height reference, with CDC alongside).
    #[arg(long, value_name = "ID", help_heading = "Reference")]
    pub(crate) indication: Option<String>,
    /// Height reference: cdc, turner, or a growth-lms reference FILE of your own.
    #[arg(long, value_name = "cdc|turner|FILE", help_heading = "Reference")]
    pub(crate) reference: Option<String>,
    /// Decision date, YYYY-MM-DD [default: today].
    #[arg(long, value_name = "DATE", value_parser = parse_date, help_heading = "Request")]
    #[serde(skip)]
    pub(crate) as_of: Option<NaiveDate>,
    #[command(flatten)]
    #[serde(skip)]
    pub(crate) output: OutputArgs,
    #[command(flatten)]
    #[serde(skip)]
    pub(crate) tables: TableArgs,
}

/// What `--reference` names: a built-in reference or a file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ReferenceArg {
    Cdc,
    Turner,
    File(std::path::PathBuf),
}

impl GrowthArgs {
    /// What `--reference` asks for (none: chosen by the indication).
    pub(crate) fn reference_arg(&self) -> Option<ReferenceArg> {
        let r = self.reference.as_deref()?.trim();
        Some(match r.to_ascii_lowercase().as_str() {
            "cdc" => ReferenceArg::Cdc,
            "turner" => ReferenceArg::Turner,
            _ => ReferenceArg::File(r.into()),
        })
    }

    /// The request in canonical units; `file` is the reference read from
    /// `--reference FILE`, if any.
    pub(crate) fn to_request(
        &self,
        as_of: NaiveDate,
        file: Option<ReferenceChoice>,
    ) -> GrowthRequest {
        let GrowthArgs {
            body,
            previous_height_cm,
            previous_height_date,
            mother_height_cm,
            father_height_cm,
            indication,
            reference: _,
            as_of: _,
            output: _,
            tables: _,
        } = self;
        let reference = match (file, self.reference_arg()) {
            (Some(f), _) => f,
            (None, Some(ReferenceArg::Cdc)) => ReferenceChoice::Cdc,
            (None, Some(ReferenceArg::Turner)) => ReferenceChoice::Turner,
            (None, _) => ReferenceChoice::Auto,
        };
        GrowthRequest {
            as_of,
            patient: body.to_input(),
            indication: indication.clone(),
            reference,
            previous_height_cm: previous_height_cm
                .map(|cm| Measured::plain(cm, Field::PreviousHeightCm)),
            previous_height_date: *previous_height_date,
            father_height_cm: *father_height_cm,
            mother_height_cm: *mother_height_cm,
        }
    }
}
