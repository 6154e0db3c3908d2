//! Every number of a table file against the band of its key
//! ([`super::bands`]), with the position of the number itself: finite, inside
//! the band, and no table longer than [`MAX_ROWS`]. Every text (a string or
//! a key) holds no control character: a name, message or note with a line
//! break or a terminal escape would reach a report, a screen or a record. Runs after the typed
//! parse (which reports misspelt keys and wrong types) and before
//! compilation, so no compiled table ever holds `nan`, `inf` or a number no
//! patient, pen or calendar can have.

use super::bands::{Band, FieldBand, MAX_ROWS};
use crate::diagnostic::{Cx, R};
use std::collections::HashMap;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Checks every number of `cx`'s text against `fields` (a key without a
/// band is refused too: every numeric key must have one).
pub fn check(cx: &Cx, fields: &[FieldBand]) -> R<()> {
    let doc = DeTable::parse(cx.text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        cx.err(&span, e.message().trim_end().replace('\n', " "))
    })?;
    let walk = Walk {
        cx,
        bands: fields.iter().map(|(k, b)| (*k, *b)).collect(),
    };
    walk.table(doc.get_ref(), &mut String::new())
}

struct Walk<'a> {
    cx: &'a Cx<'a>,
    bands: HashMap<&'static str, Band>,
}

impl Walk<'_> {
    fn table(&self, t: &DeTable, path: &mut String) -> R<()> {
        for (key, value) in t.iter() {
            self.text(key.get_ref(), &key.span(), path)?;
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(key.get_ref());
            self.value(value, path)?;
            path.truncate(len);
        }
        Ok(())
    }

    fn value(&self, v: &Spanned<DeValue>, path: &mut String) -> R<()> {
        match v.get_ref() {
            DeValue::Table(t) => self.table(t, path),
            DeValue::Array(items) => {
                if let Some(extra) = items.get(MAX_ROWS) {
                    return Err(self.cx.err(
                        &extra.span(),
                        format!(
                            "{path} has more than {MAX_ROWS} rows (a table file holds a protocol or a formulary, not a database)"
                        ),
                    ));
                }
                items.iter().try_for_each(|item| self.value(item, path))
            }
            DeValue::Float(f) => self.number(path, f.as_str().parse().ok(), f.as_str(), v),
            DeValue::Integer(i) => {
                let x = i128::from_str_radix(i.as_str(), i.radix())
                    .ok()
                    .map(|n| n as f64);
                self.number(path, x, &i.to_string(), v)
            }
            DeValue::String(text) => self.text(text, &v.span(), path),
            DeValue::Boolean(_) | DeValue::Datetime(_) => Ok(()),
        }
    }

    /// A key or string without control characters (line breaks, tabs,
    /// escapes, C1 controls).
    fn text(&self, text: &str, span: &std::ops::Range<usize>, path: &str) -> R<()> {
        let Some((at, c)) = text.chars().enumerate().find(|(_, c)| c.is_control()) else {
            return Ok(());
        };
        let what = if path.is_empty() { "a key" } else { path };
        Err(self.cx.err(
            span,
            format!(
                "{what}: a text may not hold a control character (U+{:04X} at character {})",
                u32::from(c),
                at + 1
            ),
        ))
    }

    fn number(&self, path: &str, x: Option<f64>, raw: &str, v: &Spanned<DeValue>) -> R<()> {
        let Some(band) = self.bands.get(path) else {
            return Err(self.cx.err(
                &v.span(),
                format!("{path}: no plausibility band is defined for this number"),
            ));
        };
        if x.is_some_and(|x| band.holds(x)) {
            return Ok(());
        }
        let unit = if band.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", band.unit)
        };
        Err(self.cx.err(
            &v.span(),
            format!(
                "{path} must be a finite number between {} and {}{unit} (got {raw})",
                band.lo, band.hi
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::FileError;
    use crate::rules::BUILT_IN;
    use crate::rules::bands::{PRODUCT_FIELDS, RULE_FIELDS, SDS};
    use crate::rules::products::BUILT_IN_PRODUCTS;

    fn run(text: &str, fields: &[FieldBand]) -> Result<(), FileError> {
        check(
            &Cx {
                text,
                path: "t.toml",
            },
            fields,
        )
    }

    #[test]
    fn the_built_in_tables_are_inside_their_bands() {
        run(BUILT_IN, RULE_FIELDS).unwrap();
        run(BUILT_IN_PRODUCTS, PRODUCT_FIELDS).unwrap();
    }

    #[test]
    fn every_band_names_a_key_once() {
        for fields in [RULE_FIELDS, PRODUCT_FIELDS] {
            let mut keys: Vec<&str> = fields.iter().map(|(k, _)| *k).collect();
            keys.sort_unstable();
            let n = keys.len();
            keys.dedup();
            assert_eq!(keys.len(), n, "a key is listed twice");
            for (k, b) in fields {
                assert!(b.lo < b.hi && b.lo.is_finite() && b.hi.is_finite(), "{k}");
            }
        }
    }

    #[test]
    fn a_control_character_in_a_text_is_refused_where_it_stands() {
        let fields: &[FieldBand] = &[("a.b", SDS)];
        for (text, col, code) in [
            ("[a]\nname = \"x\\ny\"\n", 8, "U+000A at character 2"),
            ("[a]\nname = \"\\u001b[2J\"\n", 8, "U+001B at character 1"),
            ("[a]\nname = \"a\\tb\"\n", 8, "U+0009 at character 2"),
            ("[a]\nname = \"\u{85}\"\n", 8, "U+0085 at character 1"),
            (
                "[a]\nname = \"\"\"\nx\ny\"\"\"\n",
                8,
                "U+000A at character 2",
            ),
        ] {
            let e = run(text, fields).expect_err(text);
            assert_eq!((e.line, e.col), (2, col), "{text:?}");
            assert_eq!(
                e.message,
                format!("a.name: a text may not hold a control character ({code})"),
                "{text:?}"
            );
        }
        let e = run("[a]\n\"x\\ny\" = 1\n", fields).unwrap_err();
        assert_eq!((e.line, e.col), (2, 1));
        assert!(
            e.message.starts_with("a: a text may not hold"),
            "{}",
            e.message
        );
        run("[a]\nname = \"Turner syndrome \u{e9}\"\n", fields).unwrap();
    }

    #[test]
    fn non_finite_and_out_of_band_numbers_are_refused_where_they_stand() {
        let fields: &[FieldBand] = &[("a.b", SDS), ("rows.x", SDS)];
        let e = run("[a]\nb = nan\n", fields).unwrap_err();
        assert_eq!((e.line, e.col), (2, 5));
        assert_eq!(
            e.message,
            "a.b must be a finite number between -10 and 10 SDS (got nan)"
        );
        let e = run("[a]\nb = -inf\n", fields).unwrap_err();
        assert!(e.message.ends_with("(got -inf)"), "{e}");
        let e = run("rows = [{ x = 1.0 }, { x = 1e300 }]\n", fields).unwrap_err();
        assert_eq!((e.line, e.col), (1, 28));
        assert!(e.message.ends_with("(got 1e300)"), "{e}");
        let e = run("[[rows]]\nx = 11\n", fields).unwrap_err();
        assert_eq!((e.line, e.col), (2, 5));
        assert!(run("a = { b = 10 }\n", fields).is_ok());
        assert!(run("a = { b = -10.0 }\nname = \"x\"\nflag = true\n", fields).is_ok());
    }

    #[test]
    fn a_number_without_a_band_is_refused() {
        let e = run("z = 1\n", &[]).unwrap_err();
        assert_eq!(
            e.message,
            "z: no plausibility band is defined for this number"
        );
    }

    #[test]
    fn no_table_holds_more_than_the_row_limit() {
        let rows = "[[rows]]\nx = 1\n".repeat(MAX_ROWS + 1);
        let e = run(&rows, &[("rows.x", SDS)]).unwrap_err();
        assert_eq!(e.line, 2 * MAX_ROWS + 1);
        assert!(e.message.contains("more than 10000 rows"), "{e}");
        let rows = "[[rows]]\nx = 1\n".repeat(MAX_ROWS);
        assert!(run(&rows, &[("rows.x", SDS)]).is_ok());
    }
}
