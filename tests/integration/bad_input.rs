//! Malformed invocations: each exits 2 with one line naming the flag, the
//! value and what is allowed, and writes nothing to stdout.

use super::fails;

/// (arguments after `start`, expected stderr fragment).
const CASES: &[(&[&str], &str)] = &[
    (
        &["--indication", "turner", "--weight-kg", "0.49"],
        "error: --weight-kg must be between 0.5 and 250 kg (got 0.49)",
    ),
    (
        &["--indication", "turner", "--weight-kg", "250.01"],
        "error: --weight-kg must be between 0.5 and 250 kg (got 250.01)",
    ),
    (
        &["--indication", "turner", "--weight-kg", "-5"],
        "error: --weight-kg must be between 0.5 and 250 kg (got -5)",
    ),
    (
        &["--indication", "turner", "--weight-kg", "0"],
        "error: --weight-kg must be between 0.5 and 250 kg (got 0)",
    ),
    (
        &["--indication", "turner", "--weight-kg", "abc"],
        "invalid value 'abc' for '--weight-kg <KG>': expected a number",
    ),
    (
        &["--indication", "turner", "--weight-kg", "24kg"],
        "invalid value '24kg' for '--weight-kg <KG>'",
    ),
    (
        &["--indication", "turner", "--weight-kg", ""],
        "invalid value '' for '--weight-kg <KG>'",
    ),
    (
        &["--indication", "turner", "--weight-kg", "NaN"],
        "error: --weight-kg must be a finite number between 0.5 and 250 kg (got NaN)",
    ),
    (
        &["--indication", "turner", "--weight-kg", "inf"],
        "error: --weight-kg must be a finite number between 0.5 and 250 kg (got inf)",
    ),
    (
        &["--indication", "turner", "--weight-lb", "700"],
        "error: --weight-lb must be between 0.5 and 250 kg (got 700 lb = 317.51 kg)",
    ),
    (
        &[
            "--indication",
            "turner",
            "--weight-kg",
            "24",
            "--weight-lb",
            "50",
        ],
        "'--weight-kg <KG>' cannot be used with '--weight-lb <LB>'",
    ),
    (
        &["--indication", "turner"],
        "error: --weight-kg (or --weight-lb) is required for turner (a weight-based indication)",
    ),
    (
        &["--indication", "turner", "--weight-kg"],
        "a value is required for '--weight-kg <KG>'",
    ),
    (
        &[
            "--indication",
            "turner",
            "--weight-kg",
            "24",
            "--age-years",
            "121",
        ],
        "error: --age-years must be between 0 and 120 years (got 121)",
    ),
    (
        &[
            "--indication",
            "turner",
            "--weight-kg",
            "24",
            "--age-years",
            "-1",
        ],
        "error: --age-years must be between 0 and 120 years (got -1)",
    ),
    (
        &[
            "--indication",
            "turner",
            "--weight-kg",
            "24",
            "--age-years",
            "8",
            "--birth-date",
            "2018-01-01",
        ],
        "'--age-years <YEARS>' cannot be used with '--birth-date <DATE>'",
    ),
    (
        &[
            "--indication",
            "turner",
            "--weight-kg",
            "24",
            "--birth-date",
            "2026-11-23",
            "--as-of",
            "2026-11-22",
        ],
        "error: --birth-date 2026-11-23 is after the as-of date 2026-11-22",
    ),
    (
        &[
            "--indication",
            "turner",
            "--weight-kg",
            "24",
            "--birth-date",
            "1900-01-01",
            "--as-of",
            "2026-11-22",
        ],
        "error: --birth-date 1900-01-01 gives an age of 126.89 years on 2026-11-22; ages must be between 0 and 120 years",
    ),
    (
        &[
            "--indication",
            "turner",
            "--weight-kg",
            "24",
            "--birth-date",
            "2020-02-30",
        ],
        "invalid value '2020-02-30' for '--birth-date <DATE>': expected a calendar date as YYYY-MM-DD",
    ),
    (
        &[
            "--indication",
            "turner",
            "--weight-kg",
            "24",
            "--as-of",
            "22/11/2026",
        ],
        "invalid value '22/11/2026' for '--as-of <DATE>'",
    ),
    (
        &[
            "--indication",
            "turner",
            "--weight-kg",
            "24",
            "--height-cm",
            "300",
        ],
        "error: --height-cm must be between 20 and 250 cm (got 300)",
    ),
    (
        &[
            "--indication",
            "turner",
            "--weight-kg",
            "24",
            "--height-in",
            "120",
        ],
        "error: --height-in must be between 20 and 250 cm (got 120 in = 304.8 cm)",
    ),
    (
        &[
            "--indication",
            "turner",
            "--weight-kg",
            "24",
            "--height-sds",
            "-11",
        ],
        "error: --height-sds must be between -10 and 10 (got -11)",
    ),
    (
        &["--indication", "turner", "--weight-kg", "24", "--bmi", "7"],
        "error: --bmi must be between 8 and 100 kg/m2 (got 7)",
    ),
    (
        &[
            "--indication",
            "turner",
            "--weight-kg",
            "24",
            "--injections-per-week",
            "3",
        ],
        "error: --injections-per-week must be one of 6, 7 for turner (got 3)",
    ),
    (
        &[
            "--indication",
            "turner",
            "--weight-kg",
            "24",
            "--injections-per-week",
            "300",
        ],
        "invalid value '300' for '--injections-per-week <N>'",
    ),
    (
        &[
            "--indication",
            "adult-ghd",
            "--age-years",
            "45",
            "--injections-per-week",
            "6",
        ],
        "error: --injections-per-week must be one of 7 for adult-ghd (got 6)",
    ),
    (
        &["--indication", "tuner", "--weight-kg", "24"],
        "error: --indication 'tuner' is not a known indication (valid: ghd, turner, pws, sga, iss, shox, noonan, ckd, adult-ghd, transition); did you mean 'turner'?",
    ),
    (
        &["--indication", "Turner", "--weight-kg", "24"],
        "did you mean 'turner'?",
    ),
    (
        &["--indication", "adult-ghd"],
        "error: --age-years or --birth-date is required for adult-ghd (the starting dose depends on age)",
    ),
    (
        &[
            "--indication",
            "adult-ghd",
            "--age-years",
            "45",
            "--mg-per-kg-week",
            "0.1",
        ],
        "error: --mg-per-kg-week applies only to weight-based indications; adult-ghd is dosed in mg/day",
    ),
    (
        &[
            "--indication",
            "ghd",
            "--weight-kg",
            "24",
            "--mg-per-kg-week",
            "0.8",
        ],
        "error: --mg-per-kg-week must be at most 0.7 for ghd, the highest labelled dose (got 0.8)",
    ),
    (
        &[
            "--indication",
            "ghd",
            "--weight-kg",
            "24",
            "--mg-per-kg-week",
            "0",
        ],
        "error: --mg-per-kg-week must be a positive number up to 0.7 for ghd (got 0)",
    ),
    (
        &[
            "--indication",
            "turner",
            "--weight-kg",
            "24",
            "--condition",
            "cancer",
        ],
        "invalid value 'cancer' for '--condition <NAME>'",
    ),
    (
        &[
            "--indication",
            "turner",
            "--weight-kg",
            "24",
            "--symptom",
            "fever",
        ],
        "invalid value 'fever' for '--symptom <NAME>'",
    ),
    (
        &["--indication", "turner", "--weight-kg", "24", "--sex", "f"],
        "invalid value 'f' for '--sex <SEX>'",
    ),
    (
        &["--indication", "turner", "--wieght-kg", "24"],
        "tip: a similar argument exists: '--weight-kg'",
    ),
    (
        &["--weight-kg", "24"],
        "the following required arguments were not provided",
    ),
    (
        &[
            "--indication",
            "turner",
            "--weight-kg",
            "24",
            "--format",
            "xml",
        ],
        "invalid value 'xml' for '--format <FORMAT>'",
    ),
];

#[test]
fn malformed_invocations_exit_2_with_one_clear_line() {
    for (args, want) in CASES {
        let all = [&["start"], *args].concat();
        let (code, err) = fails(&all);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}\n want: {want}\n  got: {err}");
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn value_errors_are_one_line() {
    for args in [
        &["start", "--indication", "turner", "--weight-kg", "-5"][..],
        &["start", "--indication", "turner", "--weight-kg", "abc"],
        &[
            "start",
            "--indication",
            "turner",
            "--weight-kg",
            "24",
            "--weight-lb",
            "50",
        ],
        &["start", "--indication", "nope", "--weight-kg", "24"],
    ] {
        let (_, err) = fails(args);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    }
}

#[test]
fn unknown_subcommand_suggests() {
    let (code, err) = fails(&["strt"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("a similar subcommand exists: 'start'"),
        "{err}"
    );
}
