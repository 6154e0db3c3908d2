//! The shared vocabulary: closed sets of names used by the rule tables, the
//! engine, the command line and the renderers (sex, population, grade,
//! severity, action, condition, symptom, flag code, region, molecule,
//! schedule, device kind, IGF-1 unit and range kind).
//!
//! Part of the ground floor: imports nothing of the project. Every name
//! parses case-insensitively (`Female`, `EU`, `nmol/L`) and prints in its one
//! stable spelling.

/// Declares a closed set of names with `FromStr` (case-insensitive),
/// `Display`, `Serialize`, `Deserialize`, a JSON Schema and the list of
/// names (for `--help` and error messages).
macro_rules! named_enum {
    ($(#[$meta:meta])* $vis:vis $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        $vis enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            $vis const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Every name, in declaration order.
            $vis const NAMES: &'static [&'static str] = &[$($text),+];

            /// The stable name used on the command line and in JSON.
            $vis fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> ::std::result::Result<Self, String> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str().eq_ignore_ascii_case(s))
                    .ok_or_else(|| format!("expected one of: {}", $name::NAMES.join(", ")))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(|e: String| ::serde::de::Error::custom(format!("'{s}': {e}")))
            }
        }

        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::schemars::json_schema!({ "type": "string", "enum": $name::NAMES })
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

pub(crate) use named_enum;

named_enum!(
    /// Sex, as used by adult dosing and reference ranges.
    pub Sex { Female => "female", Male => "male" }
);

named_enum!(
    /// Who an indication is for.
    pub Population { Pediatric => "pediatric", Adult => "adult" }
);

named_enum!(
    /// Evidence grade of a rule row.
    pub Grade {
        /// Product label text.
        L => "L",
        /// EU SmPC text (or an SmPC-aligned regulator text).
        Eu => "EU",
        /// Guideline or consensus statement.
        G => "G",
        /// Practice guide.
        Pg => "PG",
        /// Secondary source.
        S => "S",
        /// gh-dose protocol default.
        P => "P",
    }
);

named_enum!(
    /// How serious a flag is.
    pub Severity {
        /// The dose is withheld (exit code 4).
        Block => "block",
        /// The dose is computed; the clinician must read this.
        Warning => "warning",
        /// Context for the clinician.
        Info => "info",
    }
);

named_enum!(
    /// What the recommendation says to do.
    pub Action {
        Start => "start",
        Increase => "increase",
        Decrease => "decrease",
        Maintain => "maintain",
        Recheck => "recheck",
        Withhold => "withhold",
        Stop => "stop",
    }
);

impl Action {
    /// Withhold or stop: no dose is given (exit code 4).
    pub fn stops(self) -> bool {
        matches!(self, Action::Withhold | Action::Stop)
    }

    /// Increase or decrease: the dose changes.
    pub fn changes(self) -> bool {
        matches!(self, Action::Increase | Action::Decrease)
    }
}

named_enum!(
    /// Clinical conditions given with `--condition`.
    pub Condition {
        ActiveMalignancy => "active-malignancy",
        CriticalIllness => "critical-illness",
        ClosedEpiphyses => "closed-epiphyses",
        DiabeticRetinopathy => "diabetic-retinopathy",
        PwsSevereObesity => "pws-severe-obesity",
        PwsRespiratoryImpairment => "pws-respiratory-impairment",
        PwsSleepApnea => "pws-sleep-apnea",
        PwsUpperAirwayObstruction => "pws-upper-airway-obstruction",
        Hypersensitivity => "hypersensitivity",
        RenalTransplant => "renal-transplant",
        MalignancyHistory => "malignancy-history",
        CranialIrradiation => "cranial-irradiation",
        Scoliosis => "scoliosis",
        Hypopituitarism => "hypopituitarism",
        GlucocorticoidReplacement => "glucocorticoid-replacement",
        ThyroidReplacement => "thyroid-replacement",
        GlucoseIntolerance => "glucose-intolerance",
        HepaticImpairmentModerate => "hepatic-impairment-moderate",
        HepaticImpairmentSevere => "hepatic-impairment-severe",
    }
);

named_enum!(
    /// A measurement the user confirms as real with `--confirm` (repeatable):
    /// the plausibility check that would refuse it lets it through, named in
    /// the rationale and stored in the record line.
    pub Confirm {
        Weight => "weight",
        Height => "height",
        Dose => "dose",
    }
);

/// What the visit record keeps of the patient from visit to visit and
/// `--resolved` ends: a condition, or a treatment fact that changes dosing
/// (oral estrogen, diabetes, obesity as given).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fact {
    Condition(Condition),
    OralEstrogen,
    Diabetes,
    Obesity,
}

/// The treatment facts' names, after the conditions'.
const FACT_NAMES: [&str; 3] = ["oral-estrogen", "diabetes", "obesity"];

/// Every name of a [`Fact`]: the conditions', then the treatment facts'.
static ALL_FACT_NAMES: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    Condition::NAMES
        .iter()
        .chain(FACT_NAMES.iter())
        .copied()
        .collect()
});

impl Fact {
    /// Every name, conditions first.
    pub(crate) fn names() -> &'static [&'static str] {
        ALL_FACT_NAMES.as_slice()
    }

    /// The stable name used on the command line and in JSON.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Fact::Condition(c) => c.as_str(),
            Fact::OralEstrogen => FACT_NAMES[0],
            Fact::Diabetes => FACT_NAMES[1],
            Fact::Obesity => FACT_NAMES[2],
        }
    }
}

impl std::str::FromStr for Fact {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if let Ok(c) = s.parse::<Condition>() {
            return Ok(Fact::Condition(c));
        }
        [Fact::OralEstrogen, Fact::Diabetes, Fact::Obesity]
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("expected one of: {}", Fact::names().join(", ")))
    }
}

impl std::fmt::Display for Fact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Fact {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        s.parse()
            .map_err(|e: String| serde::de::Error::custom(format!("'{s}': {e}")))
    }
}

impl serde::Serialize for Fact {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl schemars::JsonSchema for Fact {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Fact".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "enum": Fact::names() })
    }
}

named_enum!(
    /// Symptoms given with `--symptom`.
    pub Symptom {
        Edema => "edema",
        Arthralgia => "arthralgia",
        Myalgia => "myalgia",
        Paresthesia => "paresthesia",
        Headache => "headache",
        SevereHeadache => "severe-headache",
        Papilledema => "papilledema",
        VisualChange => "visual-change",
        Hyperglycemia => "hyperglycemia",
        Limp => "limp",
        Snoring => "snoring",
    }
);

named_enum!(
    /// Stable flag codes. Messages and severities live in the rule file.
    pub FlagCode {
        ActiveMalignancy => "ACTIVE_MALIGNANCY",
        CriticalIllness => "CRITICAL_ILLNESS",
        PwsContraindication => "PWS_CONTRAINDICATION",
        ClosedEpiphyses => "CLOSED_EPIPHYSES",
        DiabeticRetinopathy => "DIABETIC_RETINOPATHY",
        Hypersensitivity => "HYPERSENSITIVITY",
        RenalTransplant => "RENAL_TRANSPLANT",
        IntracranialHypertension => "INTRACRANIAL_HYPERTENSION",
        PwsScreening => "PWS_SCREENING",
        PwsEuDailyCap => "PWS_EU_DAILY_CAP",
        MalignancyHistory => "MALIGNANCY_HISTORY",
        GlucoseMonitoring => "GLUCOSE_MONITORING",
        OralEstrogen => "ORAL_ESTROGEN",
        AdrenalThyroid => "ADRENAL_THYROID",
        Fundoscopy => "FUNDOSCOPY",
        ScfeEvaluation => "SCFE_EVALUATION",
        Scoliosis => "SCOLIOSIS",
        Igf1AboveRange => "IGF1_ABOVE_RANGE",
        Igf1LowOnTreatment => "IGF1_LOW_ON_TREATMENT",
        Igf1NotSteadyState => "IGF1_NOT_STEADY_STATE",
        Igf1SampleTiming => "IGF1_SAMPLE_TIMING",
        TitrationTooSoon => "TITRATION_TOO_SOON",
        DoseAboveRange => "DOSE_ABOVE_RANGE",
        RoundedOutsideRange => "ROUNDED_OUTSIDE_RANGE",
        DeviceCannotDeliver => "DEVICE_CANNOT_DELIVER",
        NoDeliverableDose => "NO_DELIVERABLE_DOSE",
        SevereHepaticImpairment => "SEVERE_HEPATIC_IMPAIRMENT",
        DoseCapped => "DOSE_CAPPED",
        HeightDecrease => "HEIGHT_DECREASE",
        UnusualInput => "UNUSUAL_INPUT",
        AboveTypicalMaintenance => "ABOVE_TYPICAL_MAINTENANCE",
        OffLabel => "OFF_LABEL",
        AgeIndicationMismatch => "AGE_INDICATION_MISMATCH",
        NearFinalHeight => "NEAR_FINAL_HEIGHT",
        PoorGrowthResponse => "POOR_GROWTH_RESPONSE",
        NoDeviceRounding => "NO_DEVICE_ROUNDING",
        ApproximateIgf1Sds => "APPROXIMATE_IGF1_SDS",
        Headache => "HEADACHE",
        HeightSdsMismatch => "HEIGHT_SDS_MISMATCH",
        PwsObesity => "PWS_OBESITY",
        PwsAirwaySymptoms => "PWS_AIRWAY_SYMPTOMS",
        DoseBelowRange => "DOSE_BELOW_RANGE",
        Igf1Stale => "IGF1_STALE",
        BenzylAlcohol => "BENZYL_ALCOHOL",
        ProductDiscontinued => "PRODUCT_DISCONTINUED",
        SafetyCheck => "SAFETY_CHECK",
        RulesOutsideLabel => "RULES_OUTSIDE_LABEL",
        RestartAfterSafetyStop => "RESTART_AFTER_SAFETY_STOP",
        MeasurementCarriedForward => "MEASUREMENT_CARRIED_FORWARD",
        WeightBeyondDosingEvidence => "WEIGHT_BEYOND_DOSING_EVIDENCE",
        DoseKeptAtExtremeWeight => "DOSE_KEPT_AT_EXTREME_WEIGHT",
        LastChangeUnknown => "LAST_CHANGE_UNKNOWN",
        MissedWeeklyDose => "MISSED_WEEKLY_DOSE",
    }
);

named_enum!(
    /// Active molecule: doses of different molecules are never converted mg-for-mg.
    pub(crate) Molecule {
        Somatropin => "somatropin",
        Somapacitan => "somapacitan",
        Lonapegsomatropin => "lonapegsomatropin",
        Somatrogon => "somatrogon",
    }
);

named_enum!(
    /// How often the product is injected.
    pub Schedule { Daily => "daily", Weekly => "weekly" }
);

named_enum!(
    /// Which regulator's label a row comes from.
    pub Region { Us => "US", Eu => "EU" }
);

// The enum comes from a macro with a fixed derive list, so this cannot be derived.
#[allow(clippy::derivable_impls)]
impl Default for Region {
    fn default() -> Self {
        Region::Us
    }
}

named_enum!(
    /// A presentation's kind. Pens are chosen automatically; other kinds only
    /// when no pen can deliver the dose, or with `--device`.
    pub(crate) DeviceKind { Pen => "pen", SingleDose => "single-dose", Vial => "vial" }
);

named_enum!(
    /// The unit of an IGF-1 concentration as given.
    pub Igf1Unit { NgPerMl => "ng/ml", NmolPerL => "nmol/l" }
);

impl Igf1Unit {
    /// The unit as a laboratory prints it.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Igf1Unit::NgPerMl => "ng/mL",
            Igf1Unit::NmolPerL => "nmol/L",
        }
    }
}

#[allow(clippy::derivable_impls)]
impl Default for Igf1Unit {
    fn default() -> Self {
        Igf1Unit::NgPerMl
    }
}

named_enum!(
    /// How a laboratory states its reference limits.
    pub RangeKind {
        /// 2.5th to 97.5th percentile.
        Central95 => "central95",
        /// Mean +/- 2 SD.
        TwoSd => "2sd",
    }
);

impl RangeKind {
    /// The kind in words.
    pub(crate) fn label(self) -> &'static str {
        match self {
            RangeKind::Central95 => "central 95 %",
            RangeKind::TwoSd => "+/-2 SD",
        }
    }
}

#[allow(clippy::derivable_impls)]
impl Default for RangeKind {
    fn default() -> Self {
        RangeKind::Central95
    }
}

#[cfg(test)]
mod tests;
