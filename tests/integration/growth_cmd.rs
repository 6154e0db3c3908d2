//! `gh-dose growth` end to end: hand-checked examples, refusals, a user
//! reference file, the human table and the schema.

use super::{fails, gh};
use serde_json::Value;

/// `gh-dose growth ARGS --format json --as-of 2026-11-22`.
fn growth(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["growth"];
    all.extend_from_slice(args);
    all.extend(["--format", "json", "--as-of", "2026-11-22"]);
    let out = gh(&all).output().unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    (out.status.code().unwrap(), v)
}

fn f(v: &Value, ptr: &str) -> f64 {
    v.pointer(ptr)
        .and_then(Value::as_f64)
        .unwrap_or_else(|| panic!("{ptr} in {v}"))
}

#[test]
fn a_turner_girl_worked_by_hand() {
    let (code, v) = growth(&[
        "--indication",
        "turner",
        "--sex",
        "female",
        "--age-years",
        "10",
        "--height-cm",
        "125",
        "--previous-height-cm",
        "121",
        "--previous-height-date",
        "2026-05-22",
        "--mother-height-cm",
        "160",
        "--father-height-cm",
        "175",
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["command"], "growth");
    // Turner (Lyon 1985) at 10 years: L 1, M 119.45, S 0.047:
    // (125 / 119.45 - 1) / 0.047 = 0.98857, centile 83.8564 (the JSON
    // carries 4 decimals; the table +0.99 and 83.9).
    assert_eq!(v["growth"]["height"]["reference"], "turner-lyon1985-height");
    assert_eq!(f(&v, "/growth/height/sds"), 0.9886);
    assert_eq!(f(&v, "/growth/height/centile"), 83.8564);
    assert_eq!(v["growth"]["height_cdc"]["reference"], "cdc2000-height");
    // 184 days = 0.5038 years: (125 - 121) / 0.5038 = 7.94 cm/year.
    assert_eq!(f(&v, "/growth/height_velocity/cm_per_year"), 7.94);
    assert_eq!(f(&v, "/growth/height_velocity/interval_years"), 0.5);
    assert_eq!(f(&v, "/growth/delta_height_sds/interval_years"), 0.5);
    // Girl: (175 + 160 - 13) / 2 = 161 cm, range 152.5-169.5.
    assert_eq!(f(&v, "/growth/target_height/cm"), 161.0);
    assert_eq!(f(&v, "/growth/target_height/range_cm/min"), 152.5);
    assert_eq!(f(&v, "/growth/target_height/range_cm/max"), 169.5);
    assert_eq!(v["growth"]["target_height"]["source"], "tanner-1970");
    assert_eq!(f(&v, "/patient/previous_height_cm"), 121.0);
    let refs: Vec<&str> = v["references"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(refs, ["turner-lyon1985-height", "cdc2000-height"]);
}

#[test]
fn a_boy_on_cdc_with_weight_and_bmi() {
    // CDC boys 120.5 months (10.0417 years = 3667.7 days: born 2016-11-16
    // is 3658 days; use --age-years for the exact table age).
    let (code, v) = growth(&[
        "--sex",
        "male",
        "--age-years",
        "10.041666666666666",
        "--height-cm",
        "145",
        "--weight-lb",
        "77.16",
    ]);
    assert_eq!(code, 0);
    // L 0.505564115, M 138.8234114, S 0.047610108: SDS 0.92446, centile 82.2376.
    assert_eq!(f(&v, "/growth/height/sds"), 0.9245);
    assert_eq!(f(&v, "/growth/height/centile"), 82.2376);
    assert!(v["growth"]["height_cdc"].is_null());
    // 77.16 lb = 35.0 kg; BMI 35 / 1.45^2 = 16.65, computed.
    assert_eq!(v["patient"]["weight_input"], "77.16 lb");
    assert_eq!(f(&v, "/growth/bmi/value_kg_m2"), 16.65);
    assert_eq!(v["growth"]["bmi"]["computed"], true);
    assert_eq!(v["growth"]["bmi"]["extended"], false);
    assert!(v["growth"]["bmi"]["note"].is_null());
    assert_eq!(v["growth"]["weight"]["reference"], "cdc2000-weight");
}

#[test]
fn slips_are_refused_and_outliers_flagged() {
    // 180 cm at 5 years is about +13 SDS: a slip.
    let (code, err) = fails(&[
        "growth",
        "--sex",
        "male",
        "--age-years",
        "5",
        "--height-cm",
        "180",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: --height-cm refused: height 180 is"),
        "{err}"
    );
    assert!(err.contains("beyond +/-8"), "{err}");
    // 135 cm at 5 years is about +5 SDS: scored, UNUSUAL_INPUT.
    let (code, v) = growth(&["--sex", "male", "--age-years", "5", "--height-cm", "135"]);
    assert_eq!(code, 0);
    let sds = f(&v, "/growth/height/sds");
    assert!(sds > 4.0 && sds < 8.0, "{sds}");
    assert_eq!(v["flags"][0]["code"], "UNUSUAL_INPUT");
    // Outside the reference's ages: the range is named.
    let (code, err) = fails(&[
        "growth",
        "--sex",
        "female",
        "--age-years",
        "22",
        "--height-cm",
        "165",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("aged 2 to 20 years"), "{err}");
    // Turner is for girls.
    let (code, err) = fails(&[
        "growth",
        "--reference",
        "turner",
        "--sex",
        "male",
        "--age-years",
        "8",
        "--height-cm",
        "120",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("has no rows for boys"), "{err}");
    // Sex and age are needed.
    let (_, err) = fails(&["growth", "--age-years", "8", "--height-cm", "120"]);
    assert!(err.contains("--sex is required"), "{err}");
    let (_, err) = fails(&["growth", "--sex", "male", "--height-cm", "120"]);
    assert!(
        err.contains("--age-years or --birth-date is required"),
        "{err}"
    );
}

#[test]
fn heights_too_close_together_give_no_velocity() {
    let (code, v) = growth(&[
        "--sex",
        "female",
        "--age-years",
        "7",
        "--height-cm",
        "120",
        "--previous-height-cm",
        "120",
        "--previous-height-date",
        "2026-11-08",
    ]);
    assert_eq!(code, 0);
    assert!(v["growth"]["height_velocity"].is_null());
    assert!(v["growth"]["delta_height_sds"].is_null());
    let why = v["rationale"].to_string();
    assert!(why.contains("too close to annualise"), "{why}");
}

#[test]
fn a_reference_file_of_ones_own_is_used_and_named() {
    let dir = std::env::temp_dir().join(format!("gh-dose-growth-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("mine.toml");
    // An invented reference: M 100 cm at 4 and 5 years, L 1, S 0.05.
    std::fs::write(
        &file,
        "schema_version = 1\nkind = \"growth-lms\"\nid = \"my-height\"\nmeasurement = \"height\"\n\
         unit = \"cm\"\nname = \"Mine\"\ncitation = \"Invented for a test\"\nlicence = \"none\"\n\
         [[rows]]\nsex = \"male\"\nage_years = 4.0\nl = 1.0\nm = 100.0\ns = 0.05\n\
         [[rows]]\nsex = \"male\"\nage_years = 5.0\nl = 1.0\nm = 100.0\ns = 0.05\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let (code, v) = growth(&[
        "--sex",
        "male",
        "--age-years",
        "4.5",
        "--height-cm",
        "105",
        "--reference",
        path,
    ]);
    assert_eq!(code, 0);
    // (105 / 100 - 1) / 0.05 = 1.0.
    assert_eq!(f(&v, "/growth/height/sds"), 1.0);
    assert_eq!(v["growth"]["height"]["reference"], "my-height");
    assert_eq!(v["references"][0]["citation"], "Invented for a test");
    // A broken file: file:line:col, exit 3.
    std::fs::write(&file, "schema_version = 1\nkind = \"growth-lms\"\nid = 3\n").unwrap();
    let (code, err) = fails(&[
        "growth",
        "--sex",
        "male",
        "--age-years",
        "4.5",
        "--height-cm",
        "105",
        "--reference",
        path,
    ]);
    assert_eq!(code, 3);
    assert!(err.contains("mine.toml:"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_human_table_and_the_schema() {
    let out = gh(&[
        "growth",
        "--sex",
        "female",
        "--age-years",
        "10",
        "--height-cm",
        "125",
        "--indication",
        "turner",
        "--format",
        "human",
        "--as-of",
        "2026-11-22",
    ])
    .output()
    .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Height        125 cm: SDS +0.99, centile 83.9 [turner-lyon1985-height]"),
        "{text}"
    );
    let printed = gh(&["schema", "growth"]).output().unwrap().stdout;
    assert_eq!(
        String::from_utf8(printed).unwrap(),
        include_str!("../../docs/schema/growth.v1.json"),
        "run: gh-dose schema growth > docs/schema/growth.v1.json"
    );
    let schema: Value =
        serde_json::from_str(include_str!("../../docs/schema/growth.v1.json")).unwrap();
    let (_, v) = growth(&[
        "--indication",
        "turner",
        "--sex",
        "female",
        "--age-years",
        "10",
        "--height-cm",
        "125",
        "--weight-kg",
        "28",
        "--previous-height-cm",
        "121",
        "--previous-height-date",
        "2026-05-22",
        "--mother-height-cm",
        "160",
        "--father-height-cm",
        "175",
    ]);
    super::scripting::conforms(&v, &schema, &schema["$defs"], "").unwrap();
}

#[test]
fn a_reference_file_cannot_take_a_built_in_id() {
    let path = std::env::temp_dir().join(format!("gh-dose-growth-id-{}.toml", std::process::id()));
    std::fs::write(
        &path,
        "schema_version = 1\nkind = \"growth-lms\"\nid = \"cdc2000-height\"\nmeasurement = \"height\"\n\
         unit = \"cm\"\nname = \"Mine\"\ncitation = \"Invented for a test\"\nlicence = \"none\"\n\
         [[rows]]\nsex = \"male\"\nage_years = 4.0\nl = 1.0\nm = 100.0\ns = 0.05\n",
    )
    .unwrap();
    let (code, err) = fails(&[
        "growth",
        "--sex",
        "male",
        "--age-years",
        "4",
        "--height-cm",
        "100",
        "--reference",
        path.to_str().unwrap(),
    ]);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(code, 3);
    assert!(
        err.contains(":3:1: id 'cdc2000-height' is the id of a built-in reference"),
        "{err}"
    );
}

#[test]
fn growth_lines_in_batch() {
    let out = gh(&["batch", "--as-of", "2026-11-22"])
        .write_stdin(
            "{\"command\":\"growth\",\"sex\":\"female\",\"age_years\":10,\"height_cm\":125,\"indication\":\"turner\"}\n\
             {\"command\":\"growth\",\"sex\":\"male\",\"age_years\":5,\"height_cm\":180}\n",
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["growth"]["height"]["sds"], 0.9886);
    assert_eq!(lines[1]["error"]["field"], "height_cm");
}

#[test]
fn each_refusal_names_the_flag_it_came_from() {
    let refused = |args: &[&str]| {
        let mut all = vec![
            "growth",
            "--sex",
            "male",
            "--age-years",
            "9.5",
            "--as-of",
            "2026-11-22",
        ];
        all.extend_from_slice(args);
        fails(&all)
    };
    // An earlier height far below any child of that age.
    let (_, err) = refused(&[
        "--height-cm",
        "130",
        "--previous-height-cm",
        "60",
        "--previous-height-date",
        "2026-01-01",
    ]);
    assert!(
        err.starts_with("error: --previous-height-cm refused: previous height 60 is -14.71 SDS"),
        "{err}"
    );
    // A parent's height outside 100-250 cm.
    let (_, err) = refused(&["--father-height-cm", "99", "--mother-height-cm", "160"]);
    assert!(
        err.starts_with("error: --father-height-cm refused:"),
        "{err}"
    );
    // A weight in pounds is named as such.
    let (_, err) = refused(&["--weight-lb", "1200"]);
    assert!(err.starts_with("error: --weight-lb"), "{err}");
}
