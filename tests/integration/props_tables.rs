//! The loaders of rule and product tables as properties: arbitrary and
//! mutated text never panics; a table that fails names a position inside
//! the text; a table that loads holds no non-finite number (whatever number
//! is typed where), and doses on it without panicking.
//!
//! `PROPTEST_CASES=2000 cargo test --locked --test integration props`.

use chrono::NaiveDate;
use gh_dose::api::dosing::{
    AgeInput, CurrentDose, Field, Igf1Input, Measured, PatientInput, StartRequest, Subject,
    TitrateRequest, start, titrate,
};
use gh_dose::api::rules::RuleSet;
use proptest::prelude::*;
use std::sync::LazyLock;

static RULES: LazyLock<RuleSet> = LazyLock::new(|| RuleSet::built_in().unwrap());

proptest! {
    #[test]
    fn the_rule_loader_never_panics_on_arbitrary_text(text in ".{0,400}") {
        let _ = RuleSet::parse(&text, "fuzz.toml");
    }

    #[test]
    fn the_rule_loader_never_panics_on_mutated_rules(
        at in 0usize..30_000,
        len in 0usize..40,
        insert in "[ -~\n]{0,12}",
    ) {
        let base = gh_dose::api::rules::BUILT_IN;
        let mut start = at.min(base.len());
        while !base.is_char_boundary(start) { start -= 1; }
        let mut end = (start + len).min(base.len());
        while !base.is_char_boundary(end) { end -= 1; }
        let text = format!("{}{}{}", &base[..start], insert, &base[end..]);
        loaded(&text, &RuleSet::parse(&text, "m.toml"))?;
    }

    #[test]
    fn a_loaded_table_never_holds_a_non_finite_number(
        products in any::<bool>(),
        at in any::<prop::sample::Index>(),
        number in prop::sample::select(&["nan", "inf", "-inf", "1e300", "-1e300", "0", "1e-300", "99999999999999999999", "-1", "2", "1e15"][..]),
    ) {
        let base = if products { gh_dose::api::rules::BUILT_IN_PRODUCTS } else { gh_dose::api::rules::BUILT_IN };
        let numbers = numbers_in(base);
        let (start, end) = numbers[at.index(numbers.len())];
        let text = format!("{}{number}{}", &base[..start], &base[end..]);
        if products {
            let set = gh_dose::api::rules::ProductSet::parse(&text, "m.toml", &RULES);
            if let Ok(p) = &set {
                prop_assert!(!non_finite(&format!("{p:?}")), "{number} at {start} loaded");
            }
            loaded(&text, &set.map(|_| ()))?;
        } else {
            loaded(&text, &RuleSet::parse(&text, "m.toml"))?;
        }
    }
}

/// A mutated table either fails at a position inside the text, or loads
/// with only finite numbers and doses without panicking.
fn loaded<T: std::fmt::Debug>(
    text: &str,
    r: &Result<T, gh_dose::api::diagnostic::FileError>,
) -> Result<(), TestCaseError> {
    match r {
        Err(e) => {
            prop_assert!(e.line >= 1 && e.col >= 1);
            prop_assert!(e.line <= text.lines().count().max(1) + 1);
        }
        Ok(set) => {
            prop_assert!(
                !non_finite(&format!("{set:?}")),
                "a non-finite number was loaded"
            );
            if let Ok(rules) = RuleSet::parse(text, "m.toml") {
                doses_without_panic(&rules);
            }
        }
    }
    Ok(())
}

/// Byte ranges of the numbers of a table's text (outside comments).
fn numbers_in(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let code = line.split('#').next().unwrap_or_default();
        let bytes = code.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let starts = (bytes[i].is_ascii_digit() || bytes[i] == b'-')
                && i > 0
                && matches!(bytes[i - 1], b' ' | b'[' | b'{')
                && !code[..i].ends_with("= \"");
            let mut j = i;
            while starts
                && j < bytes.len()
                && (bytes[j].is_ascii_alphanumeric() || b".-+_".contains(&bytes[j]))
            {
                j += 1;
            }
            if j > i
                && code[i..j].bytes().any(|b| b.is_ascii_digit())
                && code[..i].matches('"').count() % 2 == 0
            {
                out.push((offset + i, offset + j));
            }
            i = j.max(i + 1);
        }
        offset += line.len();
    }
    out
}

/// Whether the debug form of a compiled table holds `NaN` or `inf` outside
/// its strings (where `inf` may be part of a word).
fn non_finite(debug: &str) -> bool {
    let (mut in_string, mut escaped) = (false, false);
    let mut bare = String::with_capacity(debug.len());
    for c in debug.chars() {
        match (in_string, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (true, false, '"') => in_string = false,
            (true, false, _) => {}
            (false, _, '"') => in_string = true,
            (false, _, c) => bare.push(c),
        }
    }
    bare.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.'))
        .any(|t| matches!(t, "NaN" | "inf" | "-inf"))
}

/// A child's start and an adult's visit with IGF-1 at +5 on a loaded rule set.
fn doses_without_panic(rules: &RuleSet) {
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let child = PatientInput {
        weight_kg: Some(Measured::plain(30.0, Field::WeightKg)),
        age: Some(AgeInput::Years(10.0)),
        ..Default::default()
    };
    let _ = start(&StartRequest::new(Subject::new("ghd", as_of, child)), rules);
    let adult = PatientInput {
        age: Some(AgeInput::Years(80.0)),
        ..Default::default()
    };
    let mut q = TitrateRequest::new(Subject::new("adult-ghd", as_of, adult));
    q.current = Some(CurrentDose::PerDay(0.3));
    q.igf1 = Some(Igf1Input::Sds(5.0));
    q.last_dose_change = NaiveDate::from_ymd_opt(2026, 9, 1);
    let _ = titrate(&q, rules);
}

#[test]
fn the_property_helpers_see_what_they_look_for() {
    assert!(non_finite("Bounds { min: NaN, max: 1.0 }"));
    assert!(non_finite("Some(-inf)") && non_finite("[inf, 2.0]"));
    assert!(!non_finite("Source { citation: \"inf NaN\", x: 1e300 }"));
    assert!(!non_finite("information: \"a \\\" inf\", infusion: 2"));
    assert!(!non_finite(&format!("{:?}", *RULES)));
    let n = numbers_in(gh_dose::api::rules::BUILT_IN);
    assert!(n.len() > 150, "{}", n.len());
    let text = gh_dose::api::rules::BUILT_IN;
    assert!(n.iter().all(|(a, b)| text[*a..*b].parse::<f64>().is_ok()));
}
