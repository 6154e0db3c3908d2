use super::*;
use crate::dosing;

#[test]
fn exit_codes_match_the_contract() {
    assert_eq!(ExitCode::Success.code(), 0);
    assert_eq!(ExitCode::Internal.code(), 1);
    assert_eq!(ExitCode::Usage.code(), 2);
    assert_eq!(ExitCode::Rules.code(), 3);
    assert_eq!(ExitCode::Withheld.code(), 4);
}

#[test]
fn errors_map_to_their_codes() {
    let input = Error::from(InputError::new("--weight-kg"));
    assert_eq!(input.exit_code(), ExitCode::Usage);
    let rules = Error::from(FileError {
        path: "x.toml".into(),
        line: 3,
        col: 7,
        message: "bad".into(),
    });
    assert_eq!(rules.exit_code(), ExitCode::Rules);
    assert_eq!(rules.to_string(), "x.toml:3:7: bad");
    let io = Error::RulesIo {
        path: "missing.toml".into(),
        source: std::io::Error::from(std::io::ErrorKind::NotFound),
    };
    assert_eq!(io.exit_code(), ExitCode::Rules);
    assert_eq!(Error::Internal("x".into()).exit_code(), ExitCode::Internal);
}

#[test]
fn messages_are_one_line_and_bounded() {
    assert_eq!(
        one_line("weight_kg: invalid type\n  expected f64\r\n"),
        "weight_kg: invalid type expected f64"
    );
    assert_eq!(one_line("'a\u{1b}[31mb' \t x"), "'a [31mb' x");
    assert_eq!(one_line("plain  words"), "plain  words");
    let long = one_line(&format!(
        "sex: '{}': expected one of: female, male",
        "é".repeat(10_000)
    ));
    assert!(long.chars().count() < 120, "{long}");
    assert!(
        long.ends_with("... (20003 bytes) expected one of: female, male"),
        "{long}"
    );
    let many = one_line(&"word ".repeat(1000));
    assert!(many.chars().count() < MAX_MESSAGE_CHARS + 30, "{many}");
    assert!(many.ends_with("... (4999 bytes)"), "{many}");
}

#[test]
fn a_refused_request_is_worded_for_its_route() {
    let e = dosing::Error::out_of_range(dosing::Field::WeightKg, "-3", 0.5, 250.0, "kg");
    let json = InputError::request(&e, dosing::Route::Json);
    assert_eq!(
        json.message,
        "weight_kg must be between 0.5 and 250 kg (got -3)"
    );
    assert_eq!(json.field.as_deref(), Some("weight_kg"));
    let flags = InputError::request(&e, dosing::Route::Flags);
    assert_eq!(flags.field.as_deref(), Some("--weight-kg"));
}
