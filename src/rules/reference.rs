//! IGF-1 LMS reference files supplied by the user (`--igf1-reference FILE`):
//! a TOML table of age, sex, L, M, S with the assay and the citation. gh-dose
//! ships no copyrighted reference; `data/examples/` has a synthetic one for tests.

use crate::diagnostic::{Cx, R};
use crate::lms::linear;
use crate::lms::{Lms, LmsRow, age_range};
use crate::vocab::Sex;
use serde::Deserialize;
use toml::Spanned;

/// An LMS reference supplied by the user.
#[derive(Debug, Clone, PartialEq)]
pub struct LmsReference {
    pub(crate) name: String,
    pub(crate) assay: String,
    pub(crate) citation: String,
    /// Rows by sex, ordered by strictly increasing age; M in ng/mL.
    pub(crate) female: Vec<LmsRow>,
    pub(crate) male: Vec<LmsRow>,
}

impl LmsReference {
    /// L, M, S at an age, interpolated linearly between the two nearest rows.
    pub(crate) fn at(&self, sex: Sex, age: f64) -> Option<Lms> {
        linear(self.rows(sex), age)
    }

    /// The ages covered for a sex.
    pub(crate) fn ages(&self, sex: Sex) -> Option<(f64, f64)> {
        age_range(self.rows(sex))
    }

    fn rows(&self, sex: Sex) -> &[LmsRow] {
        match sex {
            Sex::Female => &self.female,
            Sex::Male => &self.male,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReferenceFile {
    schema_version: Spanned<u32>,
    kind: Spanned<String>,
    name: String,
    assay: String,
    citation: String,
    unit: Spanned<String>,
    rows: Vec<Spanned<RowFile>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RowFile {
    sex: String,
    age_years: f64,
    l: f64,
    m: f64,
    s: f64,
}

/// Parses and validates an LMS reference; M values are converted to ng/mL
/// with `ng_per_nmol` when the file's unit is nmol/L.
pub(crate) fn parse_lms(text: &str, path: &str, ng_per_nmol: f64) -> R<LmsReference> {
    let cx = Cx { text, path };
    let file: ReferenceFile = cx.parse()?;
    compile(&cx, file, ng_per_nmol)
}

fn compile(cx: &Cx, file: ReferenceFile, ng_per_nmol: f64) -> R<LmsReference> {
    if *file.schema_version.get_ref() != 1 {
        return Err(cx.err(&file.schema_version.span(), "schema_version must be 1"));
    }
    if file.kind.get_ref() != "igf1-lms" {
        return Err(cx.err(&file.kind.span(), "kind must be \"igf1-lms\""));
    }
    let factor = match file.unit.get_ref().to_lowercase().as_str() {
        "ng/ml" => 1.0,
        "nmol/l" => ng_per_nmol,
        other => {
            return Err(cx.err(
                &file.unit.span(),
                format!("unit '{other}': expected ng/mL or nmol/L"),
            ));
        }
    };
    let mut female: Vec<LmsRow> = Vec::new();
    let mut male: Vec<LmsRow> = Vec::new();
    for row in &file.rows {
        let r = row.get_ref();
        let sex: Sex = r
            .sex
            .parse()
            .map_err(|e: String| cx.err(&row.span(), format!("sex '{}': {e}", r.sex)))?;
        let finite = [r.age_years, r.l, r.m, r.s].iter().all(|x| x.is_finite());
        if !finite
            || r.m <= 0.0
            || r.s <= 0.0
            || !(0.0..=120.0).contains(&r.age_years)
            || r.l.abs() > 5.0
        {
            return Err(cx.err(
                &row.span(),
                "each row needs age 0-120 years, |L| <= 5, and positive M and S",
            ));
        }
        let list = match sex {
            Sex::Female => &mut female,
            Sex::Male => &mut male,
        };
        if list
            .last()
            .is_some_and(|last| last.age_years >= r.age_years)
        {
            return Err(cx.err(
                &row.span(),
                "rows of one sex must be in strictly increasing age",
            ));
        }
        list.push(LmsRow {
            age_years: r.age_years,
            l: r.l,
            m: r.m * factor,
            s: r.s,
        });
    }
    if female.is_empty() && male.is_empty() {
        return Err(cx.err(&(0..0), "the reference has no rows"));
    }
    Ok(LmsReference {
        name: file.name,
        assay: file.assay,
        citation: file.citation,
        female,
        male,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = include_str!("../../data/examples/igf1-lms-synthetic.toml");

    #[test]
    fn the_synthetic_example_loads() {
        let r = parse_lms(EXAMPLE, "example.toml", 7.649).unwrap();
        assert!(r.name.contains("synthetic"));
        assert_eq!(r.ages(Sex::Female), Some((2.0, 80.0)));
        assert_eq!(r.ages(Sex::Male), Some((2.0, 80.0)));
    }

    #[test]
    fn lms_interpolates_in_age() {
        let row = |age, m| LmsRow {
            age_years: age,
            l: 0.5,
            m,
            s: 0.3,
        };
        let reference = LmsReference {
            name: "t".into(),
            assay: "t".into(),
            citation: "t".into(),
            female: vec![row(5.0, 100.0), row(7.0, 140.0)],
            male: vec![],
        };
        let at = reference.at(Sex::Female, 6.0).unwrap();
        assert!((at.m - 120.0).abs() < 1e-9);
        assert!(reference.at(Sex::Female, 4.9).is_none());
        assert!(reference.at(Sex::Female, 7.1).is_none());
        assert!(reference.at(Sex::Female, f64::NAN).is_none());
        assert!(reference.at(Sex::Male, 6.0).is_none());
        assert_eq!(reference.at(Sex::Female, 7.0).unwrap().m, 140.0);
    }

    #[test]
    fn bad_rows_are_reported_with_positions() {
        let bad = EXAMPLE.replacen("m = 60.0", "m = -60.0", 1);
        let e = parse_lms(&bad, "x.toml", 7.649).unwrap_err();
        assert!(e.message.contains("positive M and S"), "{e}");
        assert!(e.line > 1);
        let e =
            parse_lms("schema_version = 1\nkind = \"igf1-lms\"\n", "y.toml", 7.649).unwrap_err();
        assert!(e.message.contains("missing field"), "{e}");
        let e = parse_lms(
            &EXAMPLE.replacen("unit = \"ng/mL\"", "unit = \"mg/dL\"", 1),
            "z.toml",
            7.649,
        )
        .unwrap_err();
        assert!(e.message.contains("expected ng/mL or nmol/L"), "{e}");
    }
}
