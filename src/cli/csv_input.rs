//! CSV batch input, one physical line at a time: the header row and each
//! data row are split into cells here, so that every input line gets its
//! own output line and errors carry the line number a spreadsheet shows.
//! A quoted cell therefore cannot span lines. Cells become JSON values in
//! [`super::json_input::csv_row`].

use super::InputError;
use crate::strict_json::shorten;
use csv::StringRecord;

/// The header row: column names, trimmed. A name given twice is refused
/// (the last one would otherwise win and hide the first).
pub(crate) fn header(line: &str) -> Result<StringRecord, InputError> {
    let names: StringRecord = cells(line)?.iter().map(str::trim).collect();
    for (i, name) in names.iter().enumerate() {
        if let Some(j) = names.iter().skip(i + 1).position(|n| n == name) {
            return Err(InputError::field(
                &shorten(name),
                format!(
                    "column {} is given twice (columns {} and {})",
                    shorten(name),
                    i + 1,
                    i + j + 2
                ),
            ));
        }
    }
    Ok(names)
}

/// One data row. More cells than the header has columns is refused: a comma
/// inside an unquoted value would otherwise shift every later cell.
pub(crate) fn row(line: &str, columns: usize) -> Result<StringRecord, InputError> {
    let record = cells(line)?;
    if record.len() > columns {
        return Err(InputError::new(format!(
            "this row has {} cells but the header has {columns} columns (quote a value that contains a comma)",
            record.len()
        )));
    }
    Ok(record)
}

/// Splits one line into cells with the `csv` crate's quoting rules.
fn cells(line: &str) -> Result<StringRecord, InputError> {
    if line.bytes().filter(|&b| b == b'"').count() % 2 == 1 {
        return Err(InputError::new(
            "a quote is not closed (a quoted cell cannot span lines)",
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes());
    let mut record = StringRecord::new();
    let bad = |e: csv::Error| InputError::new(format!("CSV: {e}"));
    reader.read_record(&mut record).map_err(bad)?;
    let mut more = StringRecord::new();
    if reader.read_record(&mut more).map_err(bad)? {
        return Err(InputError::new(
            "a carriage return inside the line splits it in two rows",
        ));
    }
    Ok(record)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_given_twice_is_refused() {
        let e = header("command,indication,condition,weight_kg, condition").unwrap_err();
        assert_eq!(
            e.message,
            "column condition is given twice (columns 3 and 5)"
        );
        assert_eq!(e.field.as_deref(), Some("condition"));
        let h = header("\"command\", indication ,weight_kg").unwrap();
        assert_eq!(
            h,
            StringRecord::from(vec!["command", "indication", "weight_kg"])
        );
    }

    #[test]
    fn rows_keep_their_quoting_and_refuse_extra_cells() {
        let r = row("start,\"ghd, child\",\"a \"\"b\"\"\"", 3).unwrap();
        assert_eq!(
            r,
            StringRecord::from(vec!["start", "ghd, child", "a \"b\""])
        );
        assert_eq!(row("start,ghd", 3).unwrap().len(), 2);
        let e = row("start,ghd,24,5", 3).unwrap_err();
        assert!(
            e.message.contains("4 cells but the header has 3"),
            "{}",
            e.message
        );
        let e = row("start,\"ghd", 3).unwrap_err();
        assert!(e.message.contains("not closed"), "{}", e.message);
        let e = row("start,ghd\rstart,ghd", 3).unwrap_err();
        assert!(e.message.contains("carriage return"), "{}", e.message);
    }
}
