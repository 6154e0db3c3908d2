//! Errors of the core: a request that cannot be dosed. Each error carries
//! the field that failed and a message whose field names are left to the
//! route that prints it: `--weight-kg` on the command line, `weight_kg` in a
//! JSON request or a batch line. No `error:` prefix here; the application
//! adds it where errors are printed.

use crate::vocab::named_enum;
use std::borrow::Cow;
use std::fmt;

named_enum!(
    /// A field of a request: a command-line flag or a JSON/CSV field, spelled
    /// in snake_case here and as `--kebab-case` on the command line.
    pub Field {
        Indication => "indication",
        WeightKg => "weight_kg",
        WeightLb => "weight_lb",
        HeightCm => "height_cm",
        HeightIn => "height_in",
        AgeYears => "age_years",
        BirthDate => "birth_date",
        Sex => "sex",
        HeightSds => "height_sds",
        Pubertal => "pubertal",
        Bmi => "bmi",
        OralEstrogen => "oral_estrogen",
        Diabetes => "diabetes",
        Obesity => "obesity",
        SwitchingFromDaily => "switching_from_daily",
        Condition => "condition",
        Symptom => "symptom",
        InjectionsPerWeek => "injections_per_week",
        MgPerKgWeek => "mg_per_kg_week",
        MgPerKgDay => "mg_per_kg_day",
        Product => "product",
        Device => "device",
        Region => "region",
        SupplyDays => "supply_days",
        CurrentMgPerDay => "current_mg_per_day",
        CurrentMgPerWeek => "current_mg_per_week",
        PrescribedMgPerKgWeek => "prescribed_mg_per_kg_week",
        PreviousWeightKg => "previous_weight_kg",
        PreviousWeightDate => "previous_weight_date",
        Confirm => "confirm",
        Igf1Sds => "igf1_sds",
        Igf1 => "igf1",
        Igf1Unit => "igf1_unit",
        Igf1RefLow => "igf1_ref_low",
        Igf1RefHigh => "igf1_ref_high",
        Igf1RefKind => "igf1_ref_kind",
        Igf1RefLambda => "igf1_ref_lambda",
        Igf1Reference => "igf1_reference",
        Igf1Date => "igf1_date",
        LastDoseChange => "last_dose_change",
        LastInjection => "last_injection",
        PreviousHeightCm => "previous_height_cm",
        PreviousHeightDate => "previous_height_date",
        PretreatmentHvCmPerYear => "pretreatment_hv_cm_per_year",
        BoneAgeYears => "bone_age_years",
        TreatmentStart => "treatment_start",
        FatherHeightCm => "father_height_cm",
        MotherHeightCm => "mother_height_cm",
        Reference => "reference",
        AsOf => "as_of",
        Record => "record",
        SignsResolved => "signs_resolved",
        Resolved => "resolved",
    }
);

impl Field {
    /// The command-line spelling: `--weight-kg`.
    pub(crate) fn flag(self) -> String {
        format!("--{}", self.as_str().replace('_', "-"))
    }

    /// The spelling for a route.
    pub(crate) fn spelled(self, route: Route) -> Cow<'static, str> {
        match route {
            Route::Flags => Cow::Owned(self.flag()),
            Route::Json => Cow::Borrowed(self.as_str()),
        }
    }
}

/// How a request reached the core, which decides how fields are spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    /// Command-line flags: `--weight-kg`.
    Flags,
    /// A JSON request or a batch line (JSON Lines or CSV): `weight_kg`.
    Json,
}

/// One part of an error message: words, or a field named by the route.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Piece {
    Text(Cow<'static, str>),
    Field(Field),
}

impl From<Field> for Piece {
    fn from(f: Field) -> Piece {
        Piece::Field(f)
    }
}

impl From<&'static str> for Piece {
    fn from(s: &'static str) -> Piece {
        Piece::Text(Cow::Borrowed(s))
    }
}

impl From<String> for Piece {
    fn from(s: String) -> Piece {
        Piece::Text(Cow::Owned(s))
    }
}

/// A message of words and fields: `msg![Field::WeightKg, " is required"]`.
macro_rules! msg {
    ($($p:expr),+ $(,)?) => {
        vec![$($crate::dosing::Piece::from($p)),+]
    };
}

pub(crate) use msg;

/// A request the core refuses (exit code 2).
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    /// The field that failed.
    pub(crate) field: Field,
    /// The message, one line.
    pub(crate) message: Vec<Piece>,
}

/// A result whose error is a refused request.
pub(crate) type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An error about `field` with a message of words and fields.
    pub(crate) fn new(field: Field, message: Vec<Piece>) -> Error {
        Error { field, message }
    }

    /// `FIELD WORDS`: the common shape, the field first.
    pub(crate) fn says(field: Field, words: impl Into<String>) -> Error {
        Error::new(field, msg![field, " ", words.into()])
    }

    /// `FIELD must be between MIN and MAX UNIT (got VALUE)`.
    pub(crate) fn out_of_range(field: Field, got: &str, min: f64, max: f64, unit: &str) -> Error {
        let unit = if unit.is_empty() {
            String::new()
        } else {
            format!(" {unit}")
        };
        Error::says(
            field,
            format!("must be between {min} and {max}{unit} (got {got})"),
        )
    }

    /// `FIELD 'x' is not a known WHAT (valid: ...); did you mean 'y'?`
    pub(crate) fn unknown<'a>(
        field: Field,
        got: &str,
        what: &str,
        valid: impl Iterator<Item = &'a str>,
    ) -> Error {
        let ids: Vec<&str> = valid.collect();
        let lower = got.to_lowercase();
        let hint = ids
            .iter()
            .map(|c| (edit_distance(&lower, c), *c))
            .filter(|(d, _)| *d <= 2)
            .min()
            .map(|(_, c)| format!("; did you mean '{c}'?"))
            .unwrap_or_default();
        Error::says(
            field,
            format!(
                "'{}' is not a known {what} (valid: {}){hint}",
                shorten(got),
                ids.join(", ")
            ),
        )
    }

    /// The message with fields spelled for a route.
    pub(crate) fn render(&self, route: Route) -> String {
        let mut out = String::new();
        for p in &self.message {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Field(f) => out.push_str(&f.spelled(route)),
            }
        }
        out
    }
}

impl fmt::Display for Error {
    /// The command-line wording.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Route::Flags))
    }
}

impl std::error::Error for Error {}

pub(crate) use crate::strict_json::shorten;

/// Levenshtein distance, for suggestions.
fn edit_distance(a: &str, b: &str) -> usize {
    if a.len() > 64 {
        return usize::MAX;
    }
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests;
