//! Batch requests as CSV: each row keeps its physical line number, whole
//! numbers are integers, and a column no request has is refused like an
//! unknown JSON field.

use super::support::{AS_OF, batch, lines, message, run};
use serde_json::Value;

// 10. CSV lines, integers, BOM, CRLF, non-UTF-8.

#[test]
fn csv_rows_keep_their_physical_line_numbers_and_whole_numbers() {
    let csv = "\u{feff}command,indication,weight_kg,product,supply_days,injections_per_week,as_of\r\n\
               start,ghd,24,norditropin,28,6,2026-11-22\r\n\
               \r\n\
               \"start\",\"turner\",\"24\",,,,2026-11-22\n\
               start,turner,abc,,,,2026-11-22\n\
               start,turner,24,5,,,,2026-11-22\n\
               start,\"tur\rner\",24\n\
               start,turner,24\n";
    let (code, out, err) = run(&["batch", "--input-format", "csv", "--as-of", AS_OF], csv);
    assert_eq!(code, 2, "{err}");
    let out = lines(&out);
    assert_eq!(out.len(), 7, "one output line per line after the header");
    let supply = &out[0]["recommendation"]["supply"];
    assert_eq!(supply["days"], 28, "{}", out[0]);
    assert_eq!(out[0]["recommendation"]["dose"]["injections_per_week"], 6);
    assert_eq!(
        (out[1]["line"].clone(), message(&out[1])),
        (Value::from(3), "empty line")
    );
    assert_eq!(out[2]["recommendation"]["dose"]["mg_per_week"], 7.92);
    assert_eq!(out[3]["line"], 5);
    assert_eq!(out[3]["error"]["field"], "weight_kg");
    assert_eq!(out[4]["line"], 6);
    assert!(
        message(&out[4]).contains("8 cells but the header has 7 columns"),
        "{}",
        out[4]
    );
    // A CR inside a quoted cell reaches the message flattened.
    assert_eq!(out[5]["line"], 7);
    assert!(
        message(&out[5]).starts_with("indication 'tur ner' is not"),
        "{}",
        out[5]
    );
    assert_eq!(out[6]["recommendation"]["dose"]["mg_per_week"], 7.92);
}

#[test]
fn an_unknown_csv_column_is_refused_like_an_unknown_json_field() {
    // A column no request has: the batch ends at its header, before any
    // row, even when every cell of it is empty (one line, exit 2).
    for header in [
        "command,indication,weight_kg,wieght_kg",
        "command,indication,weight_kg,foo",
    ] {
        let bad = header.rsplit(',').next().unwrap();
        let csv = format!("{header}\nstart,turner,24,\nstart,turner,24,25\n");
        let (code, out, err) = batch(&csv, &["--input-format", "csv"]);
        assert_eq!(code, 2, "{err}");
        assert!(out.is_empty(), "{out:?}");
        assert_eq!(
            err,
            format!(
                "error: batch stdin:1: CSV header: unknown column '{bad}' (columns are the request fields: the flags' names in snake_case, e.g. weight_kg)\n"
            )
        );
    }
    // The same field in JSON Lines: refused on its line, null or not.
    let (code, out, _) = batch(
        "{\"command\":\"start\",\"indication\":\"turner\",\"weight_kg\":24,\"foo\":null}\n",
        &[],
    );
    assert_eq!(code, 2);
    assert_eq!(out[0]["error"]["field"], "foo");
    // A column of another command than the row's: refused on the row that
    // fills it, empty on the others (a batch may mix start and titrate).
    let csv = "command,indication,weight_kg,current_mg_per_week\n\
               start,turner,24,\n\
               titrate,turner,24,7\n\
               start,turner,24,7\n";
    let (code, out, _) = batch(csv, &["--input-format", "csv"]);
    assert_eq!(code, 2);
    assert_eq!(out.len(), 3);
    assert_eq!(out[0]["recommendation"]["dose"]["mg_per_week"], 7.92);
    assert_eq!(out[1]["command"], "titrate");
    assert_eq!(out[2]["line"], 4);
    assert_eq!(out[2]["error"]["field"], "current_mg_per_week");
    assert!(
        out[2]["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("unknown field 'current_mg_per_week' for start"),
        "{}",
        out[2]
    );
}
