//! Every row of the built-in rule tables, reproduced from its source by hand,
//! and the dose it gives at a worked weight. A change to `data/` that is not
//! also made here fails: the two must be edited together, with the source.

use super::json;
use gh_dose::api::rules::{Regimen, RuleSet};

/// One pediatric row: id, min, max, start, ceiling, first source, grade.
type Row = (
    &'static str,
    Option<f64>,
    f64,
    f64,
    f64,
    &'static str,
    &'static str,
);

// (id, min, max, start, ceiling, first source, grade) in mg/kg/week.
// - ghd 0.16-0.24, start 0.16: Genotropin/Omnitrope US PI 2.1; PES 2016.
// - turner 0.33-0.45, start 0.33: Genotropin US PI 2.1 (0.33); upper 0.45 from the
//   practice range (Humatrope/Nutropin up to 0.375, Norditropin up to 0.47 = ceiling).
// - pws 0.24: Genotropin/Omnitrope/Norditropin US PI.
// - sga 0.23-0.47, start 0.23: Humatrope/Norditropin 0.033-0.067 mg/kg/day; ceiling 0.48 Genotropin.
// - iss 0.24-0.37, start 0.24: PES 2016 start; Humatrope up to 0.37; ceiling 0.47 Genotropin.
// - shox 0.35: Humatrope/Zomacton US PI.
// - noonan up to 0.46: Norditropin US PI (0.066 mg/kg/day).
// - ckd up to 0.35: Nutropin AQ US PI.
const PEDIATRIC: &[Row] = &[
    (
        "ghd",
        Some(0.16),
        0.24,
        0.16,
        0.7,
        "genotropin-us-pi-2.1",
        "L",
    ),
    (
        "turner",
        Some(0.33),
        0.45,
        0.33,
        0.47,
        "genotropin-us-pi-2.1",
        "L",
    ),
    (
        "pws",
        Some(0.24),
        0.24,
        0.24,
        0.24,
        "genotropin-us-pi-2.1",
        "L",
    ),
    (
        "sga",
        Some(0.23),
        0.47,
        0.23,
        0.48,
        "humatrope-us-pi-2",
        "L",
    ),
    ("iss", Some(0.24), 0.37, 0.24, 0.47, "pes-2016", "G"),
    (
        "shox",
        Some(0.35),
        0.35,
        0.35,
        0.35,
        "humatrope-us-pi-2",
        "L",
    ),
    ("noonan", None, 0.46, 0.46, 0.46, "norditropin-us-pi-2", "L"),
    ("ckd", None, 0.35, 0.35, 0.35, "nutropin-aq-us-pi-2", "L"),
];

/// (id, group, min, max, start) in mg/day.
/// - adult-ghd standard 0.1-0.3, start 0.2: US PIs (start ~0.2, 0.15-0.30); practice guide 0.1-0.3.
/// - adult-ghd older-or-metabolic 0.1-0.2, start 0.1: AACE 2019 (> 60 y or diabetes).
/// - transition 0.2-0.5, start 0.2: the EU label (the practice guide said 0.2-0.4).
const ADULT: &[(&str, &str, f64, f64, f64)] = &[
    ("adult-ghd", "older-or-metabolic", 0.1, 0.2, 0.1),
    ("adult-ghd", "standard", 0.1, 0.3, 0.2),
    ("transition", "transition", 0.2, 0.5, 0.2),
];

#[test]
fn pediatric_rows_match_their_sources() {
    let rules = RuleSet::built_in().unwrap();
    let weight_based: Vec<_> = rules
        .indications
        .iter()
        .filter(|i| matches!(i.regimen, Regimen::WeightBased(_)))
        .collect();
    assert_eq!(
        weight_based.len(),
        PEDIATRIC.len(),
        "a row was added or removed"
    );
    for (id, min, max, start, ceiling, source, grade) in PEDIATRIC {
        let ind = rules.indication(id).unwrap();
        let Regimen::WeightBased(wb) = &ind.regimen else {
            panic!("{id} is not weight-based");
        };
        assert_eq!(wb.min.map(|m| m.mg_per_kg()), *min, "{id} min");
        assert_eq!(wb.max.mg_per_kg(), *max, "{id} max");
        assert_eq!(wb.start.mg_per_kg(), *start, "{id} start");
        assert_eq!(wb.ceiling.mg_per_kg(), *ceiling, "{id} ceiling");
        assert_eq!(ind.cited.sources[0], *source, "{id} first source");
        assert_eq!(ind.cited.grade.as_str(), *grade, "{id} grade");
    }
}

#[test]
fn adult_rows_match_their_sources() {
    let rules = RuleSet::built_in().unwrap();
    let mut seen = 0;
    for ind in &rules.indications {
        if let Regimen::FixedDaily(groups) = &ind.regimen {
            for g in groups {
                let row = ADULT
                    .iter()
                    .find(|(i, gid, ..)| *i == ind.id && *gid == g.id)
                    .unwrap_or_else(|| panic!("{} {} not in the table", ind.id, g.id));
                assert_eq!(g.min_per_day.mg(), row.2);
                assert_eq!(g.max_per_day.mg(), row.3);
                assert_eq!(g.start_per_day.mg(), row.4);
                seen += 1;
            }
        }
    }
    assert_eq!(seen, ADULT.len());
}

/// Hand calculations: weekly = mg/kg/week x kg; per injection = weekly / n;
/// IU = per injection x 3.
const WORKED: &[(&str, &str, &str, f64, f64, f64)] = &[
    // id, weight kg, injections, mg/week, mg/injection, IU/injection
    ("ghd", "30", "7", 4.8, 0.686, 2.057), // 0.16 x 30 = 4.8; 4.8/7 = 0.68571
    ("turner", "24", "7", 7.92, 1.131, 3.394), // 0.33 x 24; 7.92/7 = 1.13143; x3 = 3.39429
    ("turner", "24", "6", 7.92, 1.32, 3.96), // 7.92/6 = 1.32
    ("pws", "30", "7", 7.2, 1.029, 3.086), // 0.24 x 30; 7.2/7 = 1.02857
    ("sga", "20", "7", 4.6, 0.657, 1.971), // 0.23 x 20; 4.6/7 = 0.65714
    ("iss", "35", "7", 8.4, 1.2, 3.6),     // 0.24 x 35
    ("shox", "28", "7", 9.8, 1.4, 4.2),    // 0.35 x 28
    ("noonan", "22", "7", 10.12, 1.446, 4.337), // 0.46 x 22; 10.12/7 = 1.44571
    ("ckd", "18.5", "7", 6.475, 0.925, 2.775), // 0.35 x 18.5
    ("ghd", "12.345", "6", 1.975, 0.329, 0.988), // 0.16 x 12.345 = 1.9752; /6 = 0.3292
];

#[test]
fn worked_pediatric_doses() {
    for (id, kg, n, week, inj, iu) in WORKED {
        let (code, v) = json(&[
            "start",
            "--indication",
            id,
            "--weight-kg",
            kg,
            "--injections-per-week",
            n,
        ]);
        assert_eq!(code, 0, "{id} {kg}");
        let d = &v["recommendation"]["dose"];
        assert_eq!(d["mg_per_week"], *week, "{id} {kg} kg weekly");
        assert_eq!(d["mg_per_injection"], *inj, "{id} {kg} kg per injection");
        assert_eq!(d["iu_per_injection"], *iu, "{id} {kg} kg IU");
    }
}

#[test]
fn worked_adult_doses() {
    let cases: &[(&[&str], f64, f64, f64, &str)] = &[
        // args, mg/day, range min, range max, group
        (
            &[
                "--indication",
                "adult-ghd",
                "--age-years",
                "45",
                "--sex",
                "male",
            ],
            0.2,
            0.1,
            0.3,
            "standard",
        ),
        (
            &["--indication", "adult-ghd", "--age-years", "67"],
            0.1,
            0.1,
            0.2,
            "older-or-metabolic",
        ),
        (
            &[
                "--indication",
                "adult-ghd",
                "--age-years",
                "40",
                "--diabetes",
            ],
            0.1,
            0.1,
            0.2,
            "older-or-metabolic",
        ),
        (
            &[
                "--indication",
                "adult-ghd",
                "--age-years",
                "40",
                "--obesity",
            ],
            0.1,
            0.1,
            0.2,
            "older-or-metabolic",
        ),
        (
            &[
                "--indication",
                "adult-ghd",
                "--age-years",
                "40",
                "--condition",
                "glucose-intolerance",
            ],
            0.1,
            0.1,
            0.2,
            "older-or-metabolic",
        ),
        (
            &[
                "--indication",
                "adult-ghd",
                "--age-years",
                "40",
                "--weight-kg",
                "95",
                "--height-cm",
                "170",
            ],
            0.1,
            0.1,
            0.2,
            "older-or-metabolic",
        ),
        (
            &[
                "--indication",
                "adult-ghd",
                "--age-years",
                "45",
                "--sex",
                "female",
                "--oral-estrogen",
            ],
            0.3,
            0.1,
            0.3,
            "standard",
        ),
        (
            &[
                "--indication",
                "adult-ghd",
                "--age-years",
                "70",
                "--sex",
                "female",
                "--oral-estrogen",
            ],
            0.2,
            0.1,
            0.2,
            "older-or-metabolic",
        ),
        (
            &["--indication", "transition", "--age-years", "19"],
            0.2,
            0.2,
            0.5,
            "transition",
        ),
        (
            &[
                "--indication",
                "transition",
                "--age-years",
                "19",
                "--sex",
                "female",
                "--oral-estrogen",
            ],
            0.5,
            0.2,
            0.5,
            "transition",
        ),
    ];
    for (args, day, min, max, group) in cases {
        let all = [&["start"], *args].concat();
        let (code, v) = json(&all);
        assert_eq!(code, 0, "{args:?}");
        let d = &v["recommendation"]["dose"];
        assert_eq!(d["mg_per_injection"], *day, "{args:?}");
        assert_eq!(
            d["mg_per_week"],
            (day * 7.0 * 1000.0).round() / 1000.0,
            "{args:?}"
        );
        assert_eq!(
            d["iu_per_injection"],
            (day * 3.0 * 1000.0).round() / 1000.0,
            "{args:?}"
        );
        assert_eq!(
            v["recommendation"]["range"]["mg_per_day"]["min"], *min,
            "{args:?}"
        );
        assert_eq!(
            v["recommendation"]["range"]["mg_per_day"]["max"], *max,
            "{args:?}"
        );
        assert_eq!(v["indication"]["group"], *group, "{args:?}");
    }
}

#[test]
fn sga_high_start() {
    for (extra, want) in [
        (vec![], 0.23),
        (vec!["--height-sds", "-3.01"], 0.47),
        (vec!["--height-sds", "-3"], 0.23),
        (vec!["--pubertal"], 0.47),
    ] {
        let args = [
            &["start", "--indication", "sga", "--weight-kg", "20"][..],
            &extra,
        ]
        .concat();
        let (_, v) = json(&args);
        assert_eq!(
            v["recommendation"]["dose"]["mg_per_kg_per_week"], want,
            "{extra:?}"
        );
    }
}
