use super::*;

const V1: &str = r#"{"record":"gh-dose-visit","record_version":1,"date":"2026-01-10","command":"start","patient":{"sex":"female","birth_date":"2018-03-01"},"indication":"turner","measurements":{"weight_kg":24.0,"height_cm":118.0,"height_sds":1.53,"height_sds_source":"turner-lyon1985-height","bmi":17.2,"pubertal":false},"igf1":null,"dose_before":null,"dose":{"product":"norditropin","device":"flexpro-10","region":"US","injections_per_week":7,"injections_per_dose":1,"mg_per_injection":1.15,"mg_per_week":8.05,"mg_per_kg_per_week":0.335},"decision":{"action":"start","change_percent":null,"reduced_for_igf1":false,"flags":["GLUCOSE_MONITORING"],"next_review":{"earliest":"2026-04-10","latest":"2026-07-10"},"from_record":[],"overridden":[]},"rules":{"source":"built-in","version":"2026.11","sha256":"ab","products_sha256":null},"gh_dose_version":"0.1.0"}"#;

fn with(from: &str, to: &str) -> String {
    assert!(V1.contains(from), "{from}");
    V1.replacen(from, to, 1)
}

fn fails(text: &str) -> FileError {
    read(text, "p.jsonl").unwrap_err()
}

#[test]
fn whole_lines_are_visits_and_a_cut_last_line_is_named() {
    let two = format!(
        "{V1}\n{}\n",
        with("2026-01-10\",\"command", "2026-07-10\",\"command")
    );
    let c = read(&two, "p.jsonl").unwrap();
    assert_eq!(c.lines.len(), 2);
    assert_eq!(c.lines[1].number, 2);
    assert_eq!(c.incomplete, None);
    assert_eq!(c.last().unwrap().visit.date.to_string(), "2026-07-10");
    let cut = format!("{V1}\n{}", &V1[..40]);
    let c = read(&cut, "p.jsonl").unwrap();
    assert_eq!((c.lines.len(), c.incomplete), (1, Some(2)));
    // A whole last line without its end of line is a visit (an editor
    // that writes no final newline); the next append ends it first.
    let c = read(V1, "p.jsonl").unwrap();
    assert_eq!(
        (c.lines.len(), c.incomplete, c.unterminated),
        (1, None, true)
    );
    let c = read(&format!("{V1}\n{V1}"), "p.jsonl").unwrap();
    assert_eq!(
        (c.lines.len(), c.incomplete, c.unterminated),
        (2, None, true)
    );
    assert_eq!(read("", "p.jsonl").unwrap(), Course::default());
    // A byte order mark before the first line is not part of it.
    assert_eq!(
        read(&format!("\u{feff}{V1}\n"), "p").unwrap().lines.len(),
        1
    );
    // CRLF line ends are read.
    assert_eq!(read(&format!("{V1}\r\n"), "p").unwrap().lines.len(), 1);
}

#[test]
fn each_problem_is_reported_at_its_line_and_column() {
    let e = fails(&format!("{V1}\n\n"));
    assert_eq!((e.line, e.col), (2, 1));
    assert!(e.message.contains("empty line"), "{}", e.message);
    let e = fails(&format!("{V1}\n{{\"record\":\n"));
    assert_eq!(e.line, 2);
    assert!(e.message.starts_with("not JSON"), "{}", e.message);
    let e = fails(&format!(
        "{}\n",
        with(
            "\"action\":\"start\"",
            "\"action\":\"start\",\"action\":\"stop\""
        )
    ));
    assert!(e.message.contains("given twice"), "{}", e.message);
    let e = fails(&format!(
        "{}\n",
        with("\"pubertal\":false", "\"pubertal\":false,\"tanner\":2")
    ));
    assert!(e.message.contains("tanner"), "{}", e.message);
    assert_eq!(e.line, 1);
    let e = fails(&format!(
        "{}\n",
        with("\"record_version\":1", "\"record_version\":2")
    ));
    assert!(e.message.contains("record_version 2"), "{}", e.message);
    assert_eq!(e.col, V1.find("\"record_version\"").unwrap() + 1);
    let e = fails(&format!("{}\n", with("gh-dose-visit", "other")));
    assert!(
        e.message.contains("expected \"gh-dose-visit\""),
        "{}",
        e.message
    );
    let e = fails(&format!(
        "{}\n",
        with("\"mg_per_week\":8.05", "\"mg_per_week\":-8.05")
    ));
    assert!(
        e.message.contains("dose.mg_per_week -8.05"),
        "{}",
        e.message
    );
    let e = fails(&format!(
        "{}\n",
        with("\"injections_per_week\":7", "\"injections_per_week\":0")
    ));
    assert!(e.message.contains("not 1-7"), "{}", e.message);
    let e = fails(&format!(
        "{}\n",
        with("\"weight_kg\":24.0", "\"weight_kg\":0.0")
    ));
    assert!(e.message.contains("weight_kg 0"), "{}", e.message);
    let e = fails(&format!(
        "{}\n",
        with("\"command\":\"start\"", "\"command\":\"growth\"")
    ));
    assert!(e.message.contains("not start or titrate"), "{}", e.message);
    let e = fails(&format!(
        "{}\n",
        with("\"date\":\"2026-01-10\"", "\"date\":\"2017-01-10\"")
    ));
    assert!(e.message.contains("before the birth date"), "{}", e.message);
    let e = fails(&format!(
        "{}\n",
        with("\"action\":\"start\"", "\"action\":\"stop\"")
    ));
    assert!(
        e.message.contains("a stop visit gives no dose"),
        "{}",
        e.message
    );
    assert_eq!(e.to_string().split(':').next(), Some("p.jsonl"));
}

#[test]
fn a_record_is_one_patient_in_date_order() {
    let other = with("2018-03-01", "2018-03-02");
    let e = fails(&format!("{V1}\n{other}\n"));
    assert_eq!(e.line, 2);
    assert!(e.message.contains("differs from line 1"), "{}", e.message);
    let male = with("\"sex\":\"female\"", "\"sex\":\"male\"");
    assert!(
        fails(&format!("{V1}\n{male}\n"))
            .message
            .contains("one patient's")
    );
    let earlier = with("2026-01-10\",\"command", "2025-12-31\",\"command");
    let e = fails(&format!("{V1}\n{earlier}\n"));
    assert_eq!(e.line, 2);
    assert!(
        e.message.contains("before line 1's 2026-01-10"),
        "{}",
        e.message
    );
    // The same day twice is allowed (a second decision that day).
    assert_eq!(read(&format!("{V1}\n{V1}\n"), "p").unwrap().lines.len(), 2);
}

#[test]
fn a_dose_is_its_injections_sum_to_a_microgram_an_injection() {
    // A split dose: 0.5 mg x 2 injections a dose x 7.
    let split = with(
        "\"injections_per_dose\":1,\"mg_per_injection\":1.15,\"mg_per_week\":8.05",
        "\"injections_per_dose\":2,\"mg_per_injection\":0.5,\"mg_per_week\":7.0",
    );
    assert_eq!(read(&format!("{split}\n"), "p").unwrap().lines.len(), 1);
    // 7 injections: up to 7 ug apart is rounding, 8 is not.
    let near = with("\"mg_per_week\":8.05", "\"mg_per_week\":8.057");
    assert_eq!(read(&format!("{near}\n"), "p").unwrap().lines.len(), 1);
    let off = with("\"mg_per_week\":8.05", "\"mg_per_week\":8.058");
    assert!(
        fails(&format!("{off}\n"))
            .message
            .contains("is not 1.15 mg x 7 injections a week")
    );
    // A visit on the birth date is a visit.
    let born = with(
        "\"birth_date\":\"2018-03-01\"",
        "\"birth_date\":\"2026-01-10\"",
    );
    assert_eq!(read(&format!("{born}\n"), "p").unwrap().lines.len(), 1);
}

#[test]
fn the_course_before_a_line_is_what_a_decision_there_saw() {
    // Visits on lines 1, 2, 3 and 5; line 4 voids line 2.
    let visit = |date: &str| with("2026-01-10\",\"command", &format!("{date}\",\"command"));
    let void = r#"{"record":"gh-dose-void","record_version":1,"status":"entered-in-error","voids":2,"reason":"typo","date":"2026-05-10","gh_dose_version":"0.1.0"}"#;
    let text = [
        V1.to_string(),
        visit("2026-02-10"),
        visit("2026-03-10"),
        void.to_string(),
        visit("2026-06-10"),
    ]
    .join("\n");
    let c = read(&text, "p.jsonl").unwrap();
    let numbers = |c: &Course| c.lines.iter().map(|l| l.number).collect::<Vec<_>>();
    assert_eq!(numbers(&c), [1, 3, 5]);
    // Before line 3: lines 1 and 2 (the void on line 4 came later).
    let b = c.before(3);
    assert_eq!(numbers(&b), [1, 2]);
    assert_eq!(b.whole, 2);
    // Before line 5: the void on line 4 applies; line 5 itself is not seen.
    assert_eq!(numbers(&c.before(5)), [1, 3]);
    // Before line 2: line 1 only, and a voided line 2 is not its own past.
    assert_eq!(numbers(&c.before(2)), [1]);
    // At the void's own line it already applies.
    assert_eq!(numbers(&c.before(4)), [1, 3]);
    assert_eq!(c.before(1).whole, 0);
}

#[test]
fn a_line_of_the_longest_length_is_read_and_one_byte_more_is_refused() {
    let padded = |len: usize| format!("{V1}{}", " ".repeat(len - V1.len()));
    // Exactly the limit, with or without its end of line: a visit.
    let c = read(&padded(MAX_LINE_BYTES), "p.jsonl").unwrap();
    assert_eq!(c.lines.len(), 1);
    assert!(c.unterminated);
    let c = read(&format!("{}\n", padded(MAX_LINE_BYTES)), "p.jsonl").unwrap();
    assert_eq!((c.lines.len(), c.unterminated), (1, false));
    // One byte more: refused at its line, whether it ends or not.
    let e = fails(&padded(MAX_LINE_BYTES + 1));
    assert_eq!(e.line, 1);
    assert!(e.message.starts_with("longer than"), "{}", e.message);
}
